#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dot11tx-gen's Prometheus metrics, scraped over HTTP and parsed by the
Prometheus client library's text parser (Debian's python3-prometheus-client).

  test_prometheus.py builtin GEN
      dot11tx-gen --prometheus on two queues: every family with its type,
      per-queue and per-status labels, counters that grow between two
      scrapes, latency quantiles, 404 and 405 for what is not a scrape.
  test_prometheus.py exporter GEN EXPORTER ENDPOINTS_DIR
      DPDK's dpdk-telemetry-exporter.py with the dot11tx module
      (tools/telemetry/dot11tx.py) against a running dot11tx-gen: the same
      families, types and label names as the built-in endpoint's.

Exit 0 pass, 1 fail.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    # Debian's package is for Debian's python3; a python3 of its own
    # (pyenv) may come first in PATH.
    if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("FAIL: python3-prometheus-client is not installed (tools/setup.sh installs it)")
    sys.exit(1)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_gen_run import Eal, Fail, check, cpus, gen_cmd, runtime_dir  # noqa: E402

PREFIX = "dpdk_dot11tx_"
# family (without the prefix): (type, label names of its samples)
FAMILIES = {
    "info": ("gauge", {"port", "driver", "source", "rate", "mode"}),
    "elapsed_seconds": ("gauge", set()),
    "frames_submitted_total": ("counter", {"queue"}),
    "frames_refused_total": ("counter", {"queue"}),
    "frames_completed_total": ("counter", {"queue"}),
    "completions_total": ("counter", {"queue", "status"}),
    "retries_total": ("counter", {"queue"}),
    "backpressure_total": ("counter", {"queue"}),
    "tx_bytes_total": ("counter", {"queue"}),
    "frames_in_flight": ("gauge", {"queue"}),
    "latency_seconds": ("summary", {"queue", "quantile"}),
}
STATUSES = {"sent", "acked", "noack", "dropped", "cancelled"}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def scrape(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        check(r.status == 200, "GET %s: 200" % url)
        ctype = r.headers.get("Content-Type", "")
        return r.read().decode(), ctype


def parse(text):
    """{sample name: [(labels, value)]} and {family: type}, from the
    parser; samples are gathered whatever family the parser put them in
    (the exporter writes every HELP/TYPE line before the samples)."""
    samples, types = {}, {}
    for fam in text_string_to_metric_families(text):
        if fam.type != "unknown" or fam.name not in types:
            types.setdefault(fam.name, fam.type)
            if fam.type != "unknown":
                types[fam.name] = fam.type
        for s in fam.samples:
            samples.setdefault(s.name, []).append((s.labels, s.value))
    return samples, types


def family_of(sample_name, types):
    """The family a sample belongs to: its name, or without _total
    (the parser names counter families without it)."""
    for cand in (sample_name, sample_name[:-len("_total")]
                 if sample_name.endswith("_total") else None):
        if cand and cand in types and types[cand] != "unknown":
            return cand, types[cand]
    return sample_name, types.get(sample_name, "unknown")


def check_page(text, nb_queues, driver):
    samples, types = parse(text)
    for name, (typ, labels) in FAMILIES.items():
        full = PREFIX + name
        check(full in samples, "%s: samples" % full)
        fam, got = family_of(full, types)
        check(got == typ, "%s: TYPE %s (%s)" % (full, typ, got))
        for lab, _ in samples[full]:
            check(set(lab) == labels, "%s: labels %s (%s)" % (full, sorted(labels),
                                                              sorted(lab)))
        if "queue" in labels:
            check({lab["queue"] for lab, _ in samples[full]} ==
                  {str(i) for i in range(nb_queues)}, "%s: queues 0..%d" % (full, nb_queues - 1))
    check({lab["status"] for lab, _ in samples[PREFIX + "completions_total"]} == STATUSES,
          "completions_total: every status")
    info = samples[PREFIX + "info"][0][0]
    check(info["driver"] == driver, "info: driver %s" % driver)
    return samples


def total(samples, name, **want):
    return sum(v for lab, v in samples[PREFIX + name]
               if all(lab.get(k) == x for k, x in want.items()))


def start_gen(gen, port_opt, prefix=None, duration=4):
    c = cpus()
    lcores = "0@%d,1@%d,2@%d" % (c[0], c[-1], c[-1])
    eal = Eal(["net_null0"], lcores=lcores)
    if prefix:
        eal.args = [a for a in eal.args if not a.startswith("--file-prefix=")]
        eal.args.append("--file-prefix=" + prefix)
        eal.prefix = prefix
    cmd = gen_cmd(gen, eal, ["--duration", str(duration), "--rate", "200kpps",
                             "--json", "--quiet"] + port_opt)
    print("run:", " ".join(cmd))
    return eal, subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)


def wait_http(url, p, deadline):
    while True:
        try:
            return scrape(url)
        except (urllib.error.URLError, ConnectionError, OSError):
            if time.time() >= deadline or p.poll() is not None:
                raise Fail("nothing answers at " + url)
            time.sleep(0.05)


def case_builtin(gen):
    port = free_port()
    url = "http://127.0.0.1:%d/metrics" % port
    eal, p = start_gen(gen, ["--prometheus", str(port)])
    try:
        text, ctype = wait_http(url, p, time.time() + 30)
        time.sleep(1)
        a = check_page(scrape(url)[0], 2, "net_null")
        time.sleep(1)
        page, ctype = scrape(url)
        b = check_page(page, 2, "net_null")
        print("scrape excerpt:\n" + "\n".join(
            x for x in page.splitlines()
            if x.startswith(PREFIX + "frames_submitted_total") or
            x.startswith(PREFIX + "latency_seconds") or "TYPE " + PREFIX + "frames_sub" in x))
        check(ctype.startswith("text/plain; version=0.0.4"), "Content-Type %s" % ctype)
        for q in ("0", "1"):
            check(total(b, "frames_submitted_total", queue=q) >
                  total(a, "frames_submitted_total", queue=q), "queue %s: submitted grows" % q)
            p50 = total(b, "latency_seconds", queue=q, quantile="0.5")
            p99 = total(b, "latency_seconds", queue=q, quantile="0.99")
            check(0 < p50 <= p99 < 1, "queue %s: latency p50 %.2g s <= p99 %.2g s" % (q, p50, p99))
        grew = total(b, "frames_submitted_total") - total(a, "frames_submitted_total")
        dt = total(b, "elapsed_seconds") - total(a, "elapsed_seconds")
        check(abs(grew / dt / 200000 - 1) < 0.25, "grew at %.0f pps (200 kpps asked)" % (grew / dt))
        check(total(b, "completions_total") == total(b, "frames_completed_total"),
              "completions by status add up to the completed frames")
        for bad, code in (("/other", 404), ("/metrics", 405)):
            req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, bad),
                                         data=b"x" if code == 405 else None)
            try:
                urllib.request.urlopen(req, timeout=5)
                raise Fail("%s: answered 200" % bad)
            except urllib.error.HTTPError as e:
                check(e.code == code, "%s %s: %d" % ("POST" if code == 405 else "GET", bad, code))
        out, err = p.communicate(timeout=60)
        sys.stderr.write(err)
        j = json.loads(out)
        check(p.returncode == 0 and j["exactly_once"], "exit 0, exactly once")
        check(j["frames_completed"] >= total(b, "frames_completed_total"),
              "the final count is past the last scrape's")
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        eal.cleanup()
    # Nothing listens after the run.
    try:
        scrape(url, timeout=2)
        raise Fail("the endpoint outlived the run")
    except (urllib.error.URLError, ConnectionError, OSError):
        print("ok: nothing listens after the run")


def case_exporter(gen, exporter, endpoints):
    port, port2 = free_port(), free_port()
    prefix = "promtest-%d" % os.getpid()
    eal, p = start_gen(gen, ["--prometheus", str(port)], prefix=prefix, duration=5)
    sock = os.path.join(runtime_dir(prefix), "dpdk_telemetry.v2")
    ex = None
    try:
        wait_http("http://127.0.0.1:%d/metrics" % port, p, time.time() + 30)
        cmd = [sys.executable, exporter, "-o", "prometheus://127.0.0.1:%d" % port2,
               "-s", sock, "-p", endpoints, "-e", "dot11tx"]
        print("run:", " ".join(cmd))
        ex = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        text, _ = wait_http("http://127.0.0.1:%d/metrics" % port2, ex, time.time() + 20)
        time.sleep(0.5)
        text = scrape("http://127.0.0.1:%d/metrics" % port2)[0]
        print("exporter's scrape excerpt:\n" + "\n".join(text.splitlines()[:6]))
        mine = check_page(scrape("http://127.0.0.1:%d/metrics" % port)[0], 2, "net_null")
        theirs = check_page(text, 2, "net_null")
        check(set(mine) == set(theirs), "the same sample names (%s)" %
              sorted(set(mine) ^ set(theirs)))
        for name in mine:
            check({tuple(sorted(lab)) for lab, _ in mine[name]} ==
                  {tuple(sorted(lab)) for lab, _ in theirs[name]},
                  "%s: the same label names" % name)
        check(total(theirs, "frames_submitted_total") > 0, "the exporter reads the counters")
        out, err = p.communicate(timeout=60)
        check(p.returncode == 0 and json.loads(out)["exactly_once"], "exit 0, exactly once")
    finally:
        for proc in (ex, p):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
        eal.cleanup()


def main():
    try:
        if sys.argv[1] == "builtin":
            case_builtin(sys.argv[2])
        elif sys.argv[1] == "exporter":
            case_exporter(sys.argv[2], sys.argv[3], sys.argv[4])
        else:
            raise Fail("unknown case " + sys.argv[1])
    except Fail as e:
        print("FAIL:", e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
