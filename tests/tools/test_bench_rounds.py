#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dot11tx-bench --rounds as a program: test_bench_rounds.py BENCH.

Three interleaved rounds of every scenario on net_null, as JSON: one row
per scenario with "rounds": 3, the median between min and max, ns/frame
the median's, ratios to raw, every completion back once. Then the bad
values of --rounds: one line each, exit 2, nothing measured.
"""

import json
import subprocess
import sys

SCENARIOS = ["raw", "engine_owned", "app_owned", "eth_encap", "clients_8"]


class Fail(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)
    print("ok:", what)


def run(bench, opts, prefix):
    cmd = [bench, "-l", "0", "--no-pci", "--no-huge", "-m", "512", "--no-shconf",
           "--file-prefix=" + prefix, "--vdev=net_null0", "--"] + opts
    print("run:", " ".join(cmd))
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def main():
    bench = sys.argv[1]
    p = run(bench, ["--frames", "20000", "--sizes", "64", "--bursts", "32",
                    "--latency", "100", "--rounds", "3", "--json"], "rounds")
    check(p.returncode == 0, "exit 0 (%d): %s" % (p.returncode, p.stderr[-500:]))
    rows = json.loads(p.stdout)
    check([r["name"] for r in rows] == SCENARIOS, "one row per scenario")
    check(p.stderr.count("round ") == 3, "a progress line per round")
    for r in rows:
        name = r["name"]
        check(r["rounds"] == 3, name + ": rounds 3")
        check(r["completions_ok"], name + ": completions exactly once")
        check(0 < r["mpps_min"] <= r["mpps"] <= r["mpps_max"],
              name + ": min %.2f <= median %.2f <= max %.2f"
              % (r["mpps_min"], r["mpps"], r["mpps_max"]))
        check(abs(r["ns_per_frame"] * r["mpps"] / 1e3 - 1) < 0.01,
              name + ": ns/frame of the median")
        check(0 < r["ratio_vs_raw"] and (name != "raw" or r["ratio_vs_raw"] == 1),
              name + ": ratio_vs_raw %.3f" % r["ratio_vs_raw"])
        check(name == "raw" or "latency_p99_ns" in r, name + ": latency, once")

    # "--rounds" alone is 5; "--rounds=N" and "-RN" as well.
    p = run(bench, ["--frames", "2000", "--sizes", "64", "--bursts", "32",
                    "--latency", "0", "--scenarios", "raw", "--rounds", "--json",
                    "--quiet"], "rounds5")
    check(p.returncode == 0 and json.loads(p.stdout)[0]["rounds"] == 5,
          "--rounds alone: 5 rounds")
    p = run(bench, ["--frames", "2000", "--sizes", "64", "--bursts", "32",
                    "--latency", "0", "--scenarios", "raw", "-R2", "--json",
                    "--quiet"], "rounds2")
    check(p.returncode == 0 and json.loads(p.stdout)[0]["rounds"] == 2, "-R2: 2 rounds")

    for bad in (["--rounds", "0"], ["--rounds=102"], ["--rounds=x"]):
        p = run(bench, bad, "roundsbad")
        lines = p.stderr.strip().splitlines()
        check(p.returncode == 2 and len(lines) == 1 and "--rounds" in lines[0],
              " ".join(bad) + ": exit 2, one line: " + (lines[0] if lines else ""))
        check(p.stdout == "", " ".join(bad) + ": nothing measured")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Fail as e:
        print("FAIL:", e)
        sys.exit(1)
