#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dot11tx-gen against dot11tx-bench's engine_owned, on the same port, in
one run: how much of the engine's rate the lab tool keeps.

    bench/gen_vs_bench.py [--build DIR] [--rounds N] [--duration S]
                          [--len BYTES] [--burst N] [--vdev VDEV] [--json]

Each round runs dot11tx-bench -k engine_owned, then dot11tx-gen at
--rate line (the default), for --duration seconds each, on one lcore and
a fresh --vdev (default net_wlansim0 as dot11tx-gen's default port:
ack_loss=0.1, retry_limit=2), with the same frame length and burst. Both
count completions per second. The rounds alternate which goes first;
the medians of the rates and of the per-round ratio gen/bench are
reported. Exit 0, or 1 when a run failed or lost a completion.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

DEFAULT_VDEV = "net_wlansim0,ack_loss=0.1,retry_limit=2"


def hugepages_free():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("HugePages_Free:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def eal_args(vdev, tag):
    """One lcore, no PCI, the vdev, in memory (hugepages) or not."""
    args = ["-l", "0", "--no-pci", "--log-level=warning", "--vdev=" + vdev]
    if hugepages_free() >= 64:
        return args + ["--in-memory"]
    return args + ["--no-huge", "-m", "512", "--no-shconf",
                   "--file-prefix=gvb%d%s" % (os.getpid(), tag)]


def run_json(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    try:
        return p.returncode, json.loads(p.stdout)
    except json.JSONDecodeError:
        sys.stderr.write(p.stderr)
        return p.returncode or 1, None


def bench_mpps(o):
    rc, rows = run_json([os.path.join(o.build, "bench", "dot11tx-bench")] +
                        eal_args(o.vdev, "b") +
                        ["--", "-k", "engine_owned", "-s", str(o.len), "-b", str(o.burst),
                         "-d", str(o.duration), "-l", "0", "-j", "-q"])
    if rc != 0 or not rows or not rows[0]["completions_ok"]:
        return None
    return rows[0]["mpps"]


def gen_mpps(o):
    rc, j = run_json([os.path.join(o.build, "tools", "dot11tx-gen")] +
                     eal_args(o.vdev, "g") +
                     ["--", "--len", str(o.len), "--burst", str(o.burst),
                      "--duration", str(o.duration), "--json", "--quiet"])
    if rc != 0 or j is None or not j["exactly_once"]:
        return None
    return j["mpps"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(os.path.dirname(__file__), "..", "build"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--duration", type=float, default=2.0)
    ap.add_argument("--len", type=int, default=64)
    ap.add_argument("--burst", type=int, default=32)
    ap.add_argument("--vdev", default=DEFAULT_VDEV)
    ap.add_argument("--json", action="store_true")
    o = ap.parse_args()
    if o.rounds < 1:
        ap.error("--rounds: at least 1")
    bench, gen, ratio = [], [], []
    for r in range(o.rounds):
        order = (bench_mpps, gen_mpps) if r % 2 == 0 else (gen_mpps, bench_mpps)
        got = {f: f(o) for f in order}
        if None in got.values():
            sys.stderr.write("gen_vs_bench: round %d: a run failed or lost a completion\n" % (r + 1))
            return 1
        bench.append(got[bench_mpps])
        gen.append(got[gen_mpps])
        ratio.append(gen[-1] / bench[-1])
        if not o.json:
            sys.stderr.write("gen_vs_bench: round %d of %d: bench %.2f Mpps, gen %.2f Mpps, "
                             "ratio %.3f\n" % (r + 1, o.rounds, bench[-1], gen[-1], ratio[-1]))
    out = {"vdev": o.vdev, "frame_len": o.len, "burst": o.burst, "rounds": o.rounds,
           "duration_s": o.duration,
           "bench_engine_owned_mpps": statistics.median(bench),
           "gen_mpps": statistics.median(gen),
           "ratio_gen_vs_bench": statistics.median(ratio),
           "ratio_min": min(ratio), "ratio_max": max(ratio)}
    if o.json:
        print(json.dumps(out))
    else:
        print("gen_vs_bench: %s, %d B, burst %d, %d rounds of %g s: bench engine_owned "
              "%.2f Mpps, dot11tx-gen %.2f Mpps, ratio %.3f (%.3f..%.3f)" %
              (o.vdev, o.len, o.burst, o.rounds, o.duration, out["bench_engine_owned_mpps"],
               out["gen_mpps"], out["ratio_gen_vs_bench"], out["ratio_min"], out["ratio_max"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
