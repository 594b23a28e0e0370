#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""What reading dot11tx-gen's figures costs while it sends at line rate.

    bench/telemetry_load.py [--build DIR] [--rounds N] [--duration S]
                            [--hz F] [--vdev VDEV] [--json]

Each round runs dot11tx-gen twice for --duration seconds at line rate on
two queues (two worker lcores on the CPUs after the first, which is left
to the main lcore, the telemetry threads and the scraper, as a DPDK
deployment keeps a core for control; on two CPUs both workers share the
second), once alone and once with a scraper
attached that, --hz times a second (default 10), asks the DPDK telemetry
socket for /dot11tx/stats and /dot11tx/queues and GETs the --prometheus
page. The rounds alternate which run goes first. Reported: the medians of
both rates and of the per-round ratio (with scraper / without), and each
endpoint's answer time (p50, p99, max over every request of every round).
Exit 0, or 1 when a run failed or lost a completion.
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

from gen_vs_bench import hugepages_free  # this folder's: same EAL choice

DEFAULT_VDEV = "net_null0"


def lcores():
    c = sorted(os.sched_getaffinity(0))
    w = c[1:] or c
    return "0@%d,1@%d,2@%d" % (c[0], w[0], w[1 % len(w)])


def eal_args(vdev, prefix):
    args = ["--lcores=" + lcores(), "--no-pci", "--log-level=warning",
            "--vdev=" + vdev, "--file-prefix=" + prefix]
    if hugepages_free() >= 64:
        return args + ["--in-memory"]
    return args + ["--no-huge", "-m", "512"]


def runtime_dir(prefix):
    base = "/var/run/dpdk" if os.geteuid() == 0 else \
        os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/tmp"), "dpdk")
    return os.path.join(base, prefix)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Scraper(threading.Thread):
    """Asks every endpoint once per period until stopped; keeps each
    answer's time in microseconds."""

    def __init__(self, proc, sock_path, http_port, hz, duration):
        super().__init__(daemon=True)
        self.proc = proc
        # The run's last moments (the endpoint and then telemetry close
        # as it ends) are not scraped.
        self.until_s = duration - 1.0 / hz
        self.sock_path, self.port = sock_path, http_port
        self.url = "http://127.0.0.1:%d/metrics" % http_port
        self.period = 1.0 / hz
        self.stop = threading.Event()
        self.times = {"/dot11tx/stats": [], "/dot11tx/queues": [], "prometheus": []}
        self.errors = 0

    def connect(self, deadline):
        while time.time() < deadline and not self.stop.is_set():
            s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            try:
                s.connect(self.sock_path)
                s.recv(1 << 16)          # the hello
                return s
            except OSError:
                s.close()
                time.sleep(0.02)
        return None

    def ending(self):
        """After a failed request: whether the run is ending (it exits
        within a second), which closes the endpoints first."""
        try:
            self.proc.wait(timeout=1)
            return True
        except subprocess.TimeoutExpired:
            return False

    def get(self):
        """One scrape, over a plain socket: what a Prometheus server does,
        without urllib's own cost in the figure."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as c:
            c.sendall(b"GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            chunks = []
            while True:
                b = c.recv(1 << 16)
                if not b:
                    return b"".join(chunks)
                chunks.append(b)

    def http_up(self, deadline):
        while time.time() < deadline and not self.stop.is_set():
            try:
                with urllib.request.urlopen(self.url, timeout=2) as r:
                    r.read()
                return True
            except OSError:
                time.sleep(0.02)
        return False

    def run(self):
        # On the control CPU, beside the threads that answer: a scraper
        # on a worker's CPU would wait for its timeslice, and time that.
        os.sched_setaffinity(threading.get_native_id(), {sorted(os.sched_getaffinity(0))[0]})
        deadline = time.time() + 30
        s = self.connect(deadline)
        if s is None or not self.http_up(deadline):
            self.errors += 1
            return
        nxt = time.monotonic()
        while not self.stop.is_set():
            for cmd in ("/dot11tx/stats", "/dot11tx/queues"):
                t = time.perf_counter()
                try:
                    s.send(cmd.encode())
                    answer = json.loads(s.recv(1 << 16).decode())[cmd]
                    answer["submitted"]
                    self.times[cmd].append((time.perf_counter() - t) * 1e6)
                    if "elapsed_s" in answer and float(answer["elapsed_s"]) >= self.until_s:
                        self.stop.set()
                except (OSError, ValueError, KeyError, TypeError):
                    if self.ending():
                        break               # the run ended: not a failure
                    self.errors += 1
            t = time.perf_counter()
            try:
                page = self.get()
                if not page.startswith(b"HTTP/1.0 200") or b"dpdk_dot11tx_" not in page:
                    raise OSError("bad answer")
                self.times["prometheus"].append((time.perf_counter() - t) * 1e6)
            except OSError:
                if self.ending():
                    break
                self.errors += 1
            nxt += self.period
            self.stop.wait(max(0.0, nxt - time.monotonic()))
        s.close()


def run_gen(o, scraped, tag):
    prefix = "tl%d%s" % (os.getpid(), tag)
    port = free_port()
    cmd = ([os.path.join(o.build, "tools", "dot11tx-gen")] + eal_args(o.vdev, prefix) +
           ["--", "--duration", str(o.duration), "--json", "--quiet",
            "--prometheus", str(port)])
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sc = None
    if scraped:
        sc = Scraper(p, os.path.join(runtime_dir(prefix), "dpdk_telemetry.v2"), port, o.hz,
                     o.duration)
        sc.start()
    out, err = p.communicate(timeout=o.duration + 120)
    if sc is not None:
        sc.stop.set()
        sc.join()
    try:
        os.rmdir(runtime_dir(prefix))
    except OSError:
        pass
    try:
        j = json.loads(out)
    except json.JSONDecodeError:
        sys.stderr.write(err)
        return None, sc
    if p.returncode != 0 or not j["exactly_once"]:
        sys.stderr.write(err)
        return None, sc
    return j["tx_pps"] / 1e6, sc


def pct(v, q):
    v = sorted(v)
    return v[min(len(v) - 1, int(q * len(v)))] if v else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(os.path.dirname(__file__), "..", "build"),
                    help="the build folder (default: build)")
    ap.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    ap.add_argument("--duration", type=float, default=3, help="seconds a run (default 3)")
    ap.add_argument("--hz", type=float, default=10, help="scrapes a second (default 10)")
    ap.add_argument("--vdev", default=DEFAULT_VDEV, help="the port (default net_null0)")
    ap.add_argument("--json", action="store_true", help="one JSON object")
    o = ap.parse_args()
    if o.rounds < 1 or o.duration <= 0 or not 0 < o.hz <= 1000:
        ap.error("--rounds >= 1, --duration > 0, --hz in (0, 1000]")

    alone, scraped, ratios = [], [], []
    times = {"/dot11tx/stats": [], "/dot11tx/queues": [], "prometheus": []}
    errors = 0
    for r in range(o.rounds):
        order = (False, True) if r % 2 == 0 else (True, False)
        got = {}
        for s in order:
            mpps, sc = run_gen(o, s, "%d%s" % (r, "s" if s else "a"))
            if mpps is None:
                print("telemetry_load: round %d: dot11tx-gen failed" % (r + 1), file=sys.stderr)
                return 1
            got[s] = mpps
            if sc is not None:
                errors += sc.errors
                for k in times:
                    times[k] += sc.times[k]
        alone.append(got[False])
        scraped.append(got[True])
        ratios.append(got[True] / got[False])
        print("telemetry_load: round %d/%d: alone %.2f Mpps, scraped %.2f Mpps, ratio %.3f"
              % (r + 1, o.rounds, got[False], got[True], ratios[-1]), file=sys.stderr)
    if errors or not all(times.values()):
        print("telemetry_load: %d scrape(s) failed" % errors, file=sys.stderr)
        return 1
    res = {
        "rounds": o.rounds, "duration_s": o.duration, "scrape_hz": o.hz, "vdev": o.vdev,
        "alone_mpps": statistics.median(alone), "scraped_mpps": statistics.median(scraped),
        "ratio": statistics.median(ratios), "ratio_min": min(ratios), "ratio_max": max(ratios),
        "answer_us": {k: {"p50": pct(v, 0.5), "p99": pct(v, 0.99), "max": max(v), "n": len(v)}
                      for k, v in times.items()},
    }
    if o.json:
        print(json.dumps(res))
        return 0
    print("telemetry_load: %s, 2 queues at line rate, %d rounds of %g s: alone %.2f Mpps, "
          "scraped at %g Hz %.2f Mpps, ratio %.3f (%.3f..%.3f)"
          % (o.vdev, o.rounds, o.duration, res["alone_mpps"], o.hz, res["scraped_mpps"],
             res["ratio"], res["ratio_min"], res["ratio_max"]))
    for k, v in res["answer_us"].items():
        print("telemetry_load: %s answered in p50 %.0f us, p99 %.0f us, max %.0f us (%d requests)"
              % (k, v["p50"], v["p99"], v["max"], v["n"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
