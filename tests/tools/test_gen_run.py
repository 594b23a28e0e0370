#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dot11tx-gen run as a program: test_gen_run.py CASE GEN.

Cases (each asserts numbers; exit 0 pass, 1 fail, 77 skip):
  rate        --rate on net_null: the generator's rate within 1%, and on the
              wire (net_pcap's timestamps) within 1%; 20 pps exactly
  interrupt   SIGINT (Ctrl-C), and SIGTERM (a remote stop: kill, ssh,
              an orchestrator), with frames in flight on a slow
              net_wlansim: exit 0, interrupted, exactly once, every frame
              completed
  multiqueue  several worker lcores, one queue each: per-queue counts sum
              to the totals; --spread ac puts each TID on its queue
  af_packet   net_af_packet on a veth pair in a network namespace of its
              own; tshark (or tcpdump) on the peer counts every frame
  telemetry   /dot11tx/stats etc. read while it runs: counters grow
  stats_file  --stats-file: a header and one row a second
  replay      the real captures replayed through net_pcap, byte for byte;
              shares over two queues; files that once crashed parsers
  options     --help, one line for every bad option, every template sent
  start_at    two generators (two ports, two file prefixes, two CPUs)
              started with one --start-at: each sends its first frame
              within 1 ms of it, and both end together with --duration
"""

import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

SKIP = 77
CAPTURES = os.environ.get("D11TX_CAPTURES", "")


def last_line(text):
    """The last non-empty line of a tool's error output, for a one-line skip."""
    lines = text.strip().splitlines()
    return lines[-1] if lines else "(no message)"


class Fail(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)
    print("ok:", what)


def hugepages_free(n=64):
    try:
        with open("/proc/mounts") as f:
            if " hugetlbfs " not in f.read():
                return False
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("HugePages_Free:"):
                    return int(line.split()[1]) >= n
    except OSError:
        pass
    return False


def cpus():
    return sorted(os.sched_getaffinity(0))


def runtime_dir(prefix):
    base = "/var/run/dpdk" if os.geteuid() == 0 else \
        os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/tmp"), "dpdk")
    return os.path.join(base, prefix)


class Eal:
    """EAL arguments of one run, with a file prefix of its own (removed
    afterwards)."""
    counter = 0

    def __init__(self, vdevs, lcores=None):
        Eal.counter += 1
        self.prefix = "gentest-%d-%d" % (os.getpid(), Eal.counter)
        c = cpus()
        self.args = ["--lcores=" + lcores] if lcores else ["-l", str(c[0])]
        self.args += ["--no-pci", "--log-level=warning", "--file-prefix=" + self.prefix]
        if hugepages_free():
            self.args += ["--in-memory"]
        else:
            self.args += ["--no-huge", "-m", "512", "--no-shconf"]
        self.args += ["--vdev=" + v for v in vdevs]

    def cleanup(self):
        d = runtime_dir(self.prefix)
        for name in ("dpdk_telemetry.v2",):
            try:
                os.unlink(os.path.join(d, name))
            except OSError:
                pass
        try:
            os.rmdir(d)
        except OSError:
            pass


def gen_cmd(gen, eal, opts):
    return [gen] + eal.args + ["--"] + opts


def run_gen(gen, vdevs, opts, lcores=None, timeout=90, expect_rc=0):
    eal = Eal(vdevs, lcores)
    cmd = gen_cmd(gen, eal, opts + ["--json", "--quiet"])
    print("run:", " ".join(cmd))
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    finally:
        eal.cleanup()
    if p.returncode != expect_rc:
        sys.stderr.write(p.stderr)
        raise Fail("exit %d, expected %d" % (p.returncode, expect_rc))
    if expect_rc not in (0, 1):
        return None
    return json.loads(p.stdout)


def read_pcap(path):
    """(link type, [(ts, bytes)]) of a classic pcap file."""
    with open(path, "rb") as f:
        d = f.read()
    magic = struct.unpack("<I", d[:4])[0]
    if magic in (0xa1b2c3d4, 0xa1b23c4d):
        e = "<"
    else:
        e = ">"
        magic = struct.unpack(">I", d[:4])[0]
    nano = magic == 0xa1b23c4d
    lt = struct.unpack(e + "I", d[20:24])[0]
    off, out = 24, []
    while off + 16 <= len(d):
        s, u, cl, _ = struct.unpack(e + "IIII", d[off:off + 16])
        out.append((s + u * (1e-9 if nano else 1e-6), d[off + 16:off + 16 + cl]))
        off += 16 + cl
    return lt, out


def radiotap_split(f):
    """(radiotap length, the Flags field or 0)."""
    rlen = struct.unpack("<H", f[2:4])[0]
    present = struct.unpack("<I", f[4:8])[0]
    off = 8
    p = present
    while p & 0x80000000:
        p = struct.unpack("<I", f[off:off + 4])[0]
        off += 4
    flags = 0
    if present & 1:               # TSFT: 8 bytes, aligned to 8
        off = (off + 7) & ~7
        off += 8
    if present & 2:
        flags = f[off]
    return rlen, flags


def mpdu_of(lt, f):
    """The 802.11 frame a capture record holds, as a sender sends it: no
    radiotap or prism header, no FCS where radiotap says there is one."""
    if lt == 127:
        rlen, flags = radiotap_split(f)
        m = f[rlen:]
        return m[:-4] if flags & 0x10 else m
    if lt == 119:
        return f[struct.unpack("<I", f[4:8])[0]:]
    return f


def frame_ac(m):
    """The access category of an 802.11 frame: its TID's for QoS data,
    BE for the rest."""
    if len(m) >= 26 and m[0] & 0x8c == 0x88:
        qos = 30 if m[1] & 0x03 == 0x03 else 24
        if len(m) > qos:
            return {1: "BK", 2: "BK", 0: "BE", 3: "BE", 4: "VI", 5: "VI",
                    6: "VO", 7: "VO"}[m[qos] & 7]
    return "BE"


# ---------------------------------------------------------------- cases

def case_rate(gen):
    tmp = tempfile.mkdtemp(prefix="gen-rate-")
    try:
        csv = os.path.join(tmp, "s.csv")
        j = run_gen(gen, ["net_null0"], ["--rate", "100kpps", "--duration", "3",
                                         "--stats-file", csv])
        err = j["tx_pps"] / 100000 - 1
        print("100 kpps for 3 s on net_null: %d frames, %.3f pps over %.6f s: "
              "error %+.4f%%" % (j["frames_submitted"], j["tx_pps"], j["tx_duration_s"],
                                 err * 100))
        check(j["exactly_once"], "exactly once")
        check(abs(err) < 0.01, "the generator's rate within 1%")
        check(abs(j["frames_submitted"] / 300000 - 1) < 0.01, "300000 frames within 1%")
        check(abs(j["tx_duration_s"] - 3) < 0.05, "sent for 3 s")
        with open(csv) as f:
            rows = [line.split(",") for line in f.read().splitlines()[1:]]
        whole = [r for r in rows if float(r[0]) <= 3.0]
        check(len(whole) >= 2, "%d per-second rows" % len(whole))
        for r in whole:
            check(abs(float(r[1]) / 100000 - 1) < 0.02,
                  "second %s: %s pps within 2%%" % (r[0], r[1]))

        # The wire: net_pcap stamps each frame as it writes it.
        out = os.path.join(tmp, "out.pcap")
        j = run_gen(gen, ["net_pcap0,tx_pcap=" + out], ["--rate", "50kpps", "--duration", "2"])
        _, frames = read_pcap(out)
        span = frames[-1][0] - frames[0][0]
        wire = (len(frames) - 1) / span
        print("50 kpps for 2 s on net_pcap: %d frames on the wire over %.6f s = %.1f pps "
              "(%+.4f%%)" % (len(frames), span, wire, (wire / 50000 - 1) * 100))
        check(len(frames) == j["frames_submitted"] == j["frames_completed"],
              "every frame in the capture")
        check(abs(wire / 50000 - 1) < 0.01, "the wire's rate within 1%")

        # Low rates are exact: 20 pps for 2 s is 40 frames.
        j = run_gen(gen, ["net_null0"], ["--rate", "20pps", "--duration", "2"])
        check(j["frames_submitted"] in (40, 41), "20 pps for 2 s: %d frames"
              % j["frames_submitted"])

        # A bit rate: 10 Mbit/s of 125-byte frames is 10000 frames/s.
        j = run_gen(gen, ["net_null0"], ["--rate", "10Mbps", "--len", "125",
                                         "--duration", "2"])
        check(abs(j["tx_bps"] / 10e6 - 1) < 0.01, "10 Mbit/s: %.0f bit/s" % j["tx_bps"])
        check(abs(j["frames_submitted"] / 20000 - 1) < 0.01, "20000 frames")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def interrupt_once(gen, mode, sig=signal.SIGINT):
    tmp = tempfile.mkdtemp(prefix="gen-int-")
    eal = Eal(["net_wlansim0,rate=54,ack_loss=0.1,retry_limit=2"])
    csv = os.path.join(tmp, "s.csv")
    cmd = gen_cmd(gen, eal, ["--duration", "30", "--json", "--quiet", "--mode", mode,
                             "--stats-file", csv])
    print("run:", " ".join(cmd))
    try:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Sending for a second: the first CSV row is there.
        deadline = time.time() + 20
        rows = []
        while time.time() < deadline and p.poll() is None:
            if os.path.exists(csv):
                with open(csv) as f:
                    rows = f.read().splitlines()[1:]
                if rows:
                    break
            time.sleep(0.05)
        check(len(rows) >= 1, "sending (a CSV row)")
        in_flight = int(rows[-1].split(",")[4])
        p.send_signal(sig)
        out, err = p.communicate(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        eal.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)
    sys.stderr.write(err)
    j = json.loads(out)
    st = j["status"]
    print("%s, %s: %d in flight a second in; %d submitted, %d completed, %s"
          % (mode, signal.Signals(sig).name, in_flight, j["frames_submitted"],
             j["frames_completed"], st))
    check(in_flight > 0, "frames in flight at the interrupt (%d)" % in_flight)
    check(p.returncode == 0, "exit 0")
    check(j["interrupted"] is True, "interrupted")
    check(j["exactly_once"] is True, "exactly once")
    check(j["frames_refused"] == 0, "nothing refused")
    check(j["frames_completed"] == j["frames_submitted"], "every frame completed")
    check(st["acked"] + st["noack"] == j["frames_completed"],
          "every frame went on the air (none dropped or cancelled)")
    check(j["duration_s"] < 15, "stopped at the interrupt")


def case_interrupt(gen):
    interrupt_once(gen, "engine")
    interrupt_once(gen, "app")
    interrupt_once(gen, "engine", signal.SIGTERM)


def lcores(n_workers):
    """--lcores for a main lcore and n workers over the CPUs we may use:
    workers share CPUs where there are fewer."""
    c = cpus()
    spec = ["0@%d" % c[0]]
    for i in range(1, n_workers + 1):
        spec.append("%d@%d" % (i, c[i % len(c)]))
    return ",".join(spec)


def check_queues(j, n, total):
    q = j["queues"]
    check(len(q) == n, "%d queues" % n)
    check(sum(x["frames_submitted"] for x in q) == j["frames_submitted"] == total,
          "per-queue submitted sum to the total (%d)" % total)
    check(sum(x["frames_completed"] for x in q) == j["frames_completed"] == total,
          "per-queue completed sum to the total")
    for x in q:
        check(x["frames_completed"] == x["frames_submitted"] and x["exactly_once"],
              "queue %d: %d frames, exactly once" % (x["queue"], x["frames_submitted"]))
    check(sum(sum(x["status"].values()) for x in q) == total, "statuses sum")
    check(sum(x["retries"] for x in q) == j["retries"], "retries sum")
    check(j["exactly_once"], "exactly once")


def case_multiqueue(gen):
    # Three workers on net_wlansim's queues, round robin.
    j = run_gen(gen, ["net_wlansim0,queues=4,ack_loss=0.1,retry_limit=2"],
                ["--count", "90000"], lcores=lcores(3))
    check_queues(j, 3, 90000)
    check(all(x["frames_submitted"] == 30000 for x in j["queues"]), "30000 frames each")
    check(sorted(x["lcore"] for x in j["queues"]) == [1, 2, 3], "one lcore each")
    check(j["status"]["acked"] > 0 and j["status"]["noack"] >= 0, "acked frames")

    # One worker lcore: the main lcore only shows the view.
    j = run_gen(gen, ["net_null0"], ["--count", "100000", "--rate", "500kpps"],
                lcores=lcores(1))
    check_queues(j, 1, 100000)
    check(j["queues"][0]["lcore"] == 1, "sent from worker lcore 1")

    # Two workers, app-owned, on net_null, for a second.
    j = run_gen(gen, ["net_null0"], ["--duration", "1", "--mode", "app"], lcores=lcores(2))
    check_queues(j, 2, j["frames_submitted"])
    check(j["frames_submitted"] > 0, "frames sent")

    # By access category: queue i carries the TIDs of its category.
    tmp = tempfile.mkdtemp(prefix="gen-mq-")
    try:
        air = os.path.join(tmp, "air.pcap")
        j = run_gen(gen, ["net_wlansim0,queues=4,pcap=" + air],
                    ["--count", "4000", "--spread", "ac"], lcores=lcores(4))
        check_queues(j, 4, 4000)
        check([x["ac"] for x in j["queues"]] == ["VO", "VI", "BE", "BK"],
              "queues 0..3 are VO, VI, BE, BK")
        lt, frames = read_pcap(air)
        tids = {}
        for _, f in frames:
            m = mpdu_of(lt, f)
            if m[0] & 0xfc == 0x88:          # QoS data
                tid = m[24] & 0x0f
                tids[tid] = tids.get(tid, 0) + 1
        check(tids == {6: 1000, 5: 1000, 0: 1000, 1: 1000},
              "TIDs on the air: %s" % tids)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def case_af_packet(gen):
    if os.geteuid() != 0:
        print("SKIP: needs root for a network namespace")
        return SKIP
    if shutil.which("ip") is None or shutil.which("unshare") is None:
        print("SKIP: no ip or unshare")
        return SKIP
    if shutil.which("tshark") is None and shutil.which("tcpdump") is None:
        print("SKIP: neither tshark nor tcpdump")
        return SKIP
    if subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode != 0:
        print("SKIP: network namespaces are not allowed here")
        return SKIP
    p = subprocess.run(["unshare", "-n", sys.executable, os.path.abspath(__file__),
                        "af_packet_inner", gen], timeout=110)
    return p.returncode


def case_af_packet_inner(gen):
    """In a fresh network namespace: a veth pair, gen on one end, a
    capture on the other."""
    r = subprocess.run(["ip", "link", "add", "gen0", "type", "veth", "peer", "name", "gen1"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print("SKIP: cannot create a veth pair: " + last_line(r.stderr))
        return SKIP
    # No IPv6 chatter on the link; only our frames in the capture anyway:
    # a data frame To-DS starts 08 01.
    subprocess.run(["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"], capture_output=True)
    for dev in ("gen0", "gen1", "lo"):
        subprocess.run(["ip", "link", "set", dev, "up"], check=True)
    tmp = tempfile.mkdtemp(prefix="gen-af-")
    cap = os.path.join(tmp, "peer.pcap")
    errf = os.path.join(tmp, "cap.err")
    filt = "ether[0:2] = 0x0801"
    if shutil.which("tshark"):
        cmd = ["tshark", "-q", "-i", "gen1", "-f", filt, "-F", "pcap", "-w", cap]
        ready = "Capturing on"
    else:
        cmd = ["tcpdump", "-i", "gen1", "-U", "-w", cap, filt]
        ready = "listening on"
    with open(errf, "w") as ef:
        capt = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=ef)
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            with open(errf) as f:
                if ready in f.read():
                    break
            if capt.poll() is not None:
                break
            time.sleep(0.05)
        else:
            raise Fail("the capture did not start")
        if capt.poll() is not None:
            with open(errf) as f:
                print("SKIP: cannot capture on the veth: " + last_line(f.read()))
            return SKIP
        j = run_gen(gen, ["net_af_packet0,iface=gen0"],
                    ["--count", "5000", "--rate", "20kpps"])
        time.sleep(1)
    finally:
        capt.send_signal(signal.SIGINT)
        try:
            capt.wait(timeout=20)
        except subprocess.TimeoutExpired:
            capt.kill()
    _, frames = read_pcap(cap)
    print("net_af_packet: %d sent, %d on the peer" % (j["frames_submitted"], len(frames)))
    check(j["port_driver"] == "net_af_packet", "on net_af_packet")
    check(j["exactly_once"] and j["frames_completed"] == 5000, "5000 frames, exactly once")
    check(len(frames) == 5000, "the peer saw every frame (%d)" % len(frames))
    check(all(len(f) == 64 for _, f in frames), "64 bytes each")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


def telemetry_query(sock, cmd):
    sock.send(cmd.encode())
    return json.loads(sock.recv(1 << 16).decode())


def case_telemetry(gen):
    eal = Eal(["net_null0"])
    cmd = gen_cmd(gen, eal, ["--duration", "3", "--rate", "200kpps", "--json", "--quiet"])
    print("run:", " ".join(cmd))
    path = os.path.join(runtime_dir(eal.prefix), "dpdk_telemetry.v2")
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 10
        while time.time() < deadline and not os.path.exists(path) and p.poll() is None:
            time.sleep(0.02)
        if not os.path.exists(path):
            raise Fail("no telemetry socket at " + path)
        # DPDK binds the socket (the file appears) before it listens:
        # a connect in between is refused, so try again until the deadline.
        while True:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            try:
                s.connect(path)
                break
            except ConnectionRefusedError:
                s.close()
                if time.time() >= deadline or p.poll() is not None:
                    raise Fail("the telemetry socket refuses connections")
                time.sleep(0.02)
        hello = json.loads(s.recv(1 << 16).decode())
        print("telemetry:", hello)
        time.sleep(0.5)
        a = telemetry_query(s, "/dot11tx/stats")["/dot11tx/stats"]
        time.sleep(0.5)
        b = telemetry_query(s, "/dot11tx/stats")["/dot11tx/stats"]
        q = telemetry_query(s, "/dot11tx/queues")["/dot11tx/queues"]
        q0 = telemetry_query(s, "/dot11tx/queues,0")["/dot11tx/queues"]
        info = telemetry_query(s, "/dot11tx/info")["/dot11tx/info"]
        s.close()
        print("stats:", a, "\nthen:", b, "\nqueues:", q, "\ninfo:", info)
        check(a["submitted"] > 0 and a["completed"] > 0, "nonzero counters")
        check(b["submitted"] > a["submitted"] and b["completed"] > a["completed"],
              "growing counters")
        # 200 kpps between the two answers' own times.
        grew = b["submitted"] - a["submitted"]
        dt = float(b["elapsed_s"]) - float(a["elapsed_s"])
        check(dt > 0 and abs(grew / dt / 200000 - 1) < 0.25,
              "grew by %d in %.3f s: %.0f pps" % (grew, dt, grew / dt))
        check(len(q["submitted"]) == 1 and q["submitted"][0] >= b["submitted"],
              "per-queue arrays")
        check(q0["queue"] == 0 and q0["submitted"] >= q["submitted"][0], "one queue")
        check(info["driver"] == "net_null" and info["rate"] == "200 kpps", "info")
        # DPDK's own client, where installed.
        client = shutil.which("dpdk-telemetry.py")
        if client:
            r = subprocess.run([sys.executable, client, "-f", eal.prefix],
                               input="/dot11tx/stats\n", capture_output=True, text=True,
                               timeout=10)
            line = [x for x in r.stdout.splitlines() if "/dot11tx/stats" in x]
            check(line and json.loads(line[0][line[0].index("{"):])["/dot11tx/stats"]
                  ["submitted"] > b["submitted"], "dpdk-telemetry.py reads it")
        out, err = p.communicate(timeout=30)
        check(p.returncode == 0 and json.loads(out)["exactly_once"], "exit 0, exactly once")
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        eal.cleanup()
    return 0


def case_stats_file(gen):
    tmp = tempfile.mkdtemp(prefix="gen-csv-")
    try:
        csv = os.path.join(tmp, "s.csv")
        eal = Eal(["net_wlansim0,ack_loss=0.1,retry_limit=2"])
        cmd = gen_cmd(gen, eal, ["--duration", "3", "--stats-file", csv, "--rate", "100kpps"])
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        eal.cleanup()
        check(p.returncode == 0, "exit 0")
        live = [x for x in p.stderr.splitlines() if x.startswith("dot11tx-gen: ") and " s  tx " in x]
        with open(csv) as f:
            lines = f.read().splitlines()
        header = lines[0].split(",")
        rows = [x.split(",") for x in lines[1:]]
        print(lines[0], *lines[1:], sep="\n")
        check(header[:4] == ["elapsed_s", "tx_pps", "tx_bps", "completions_ps"], "header")
        check(2 <= len(rows) <= 4, "%d rows for 3 s" % len(rows))
        check(all(len(r) == len(header) for r in rows), "every row has every column")
        t = [float(r[0]) for r in rows]
        check(t == sorted(t) and abs(t[0] - 1) < 0.2, "one row a second")
        check(all(abs(float(r[1]) / 100000 - 1) < 0.05 for r in rows if float(r[0]) <= 3),
              "tx_pps ~100000")
        check(all(float(r[7]) > 0 for r in rows), "acked per second")
        check(all(r[10] != "" and float(r[10]) > 0 for r in rows), "latency p50")
        check(len(live) == len(rows), "a live line per row (%d)" % len(live))
        check(p.stdout.startswith("dot11tx-gen: port 0 (net_wlansim)"), "summary line")
        check("exactly once: yes" in p.stdout, "exactly once")

        # --quiet: the CSV still, no live line.
        eal = Eal(["net_null0"])
        p = subprocess.run(gen_cmd(gen, eal, ["--duration", "2", "--quiet", "--stats-file", csv]),
                           capture_output=True, text=True, timeout=60)
        eal.cleanup()
        with open(csv) as f:
            rows = f.read().splitlines()[1:]
        check(p.returncode == 0 and 1 <= len(rows) <= 3, "--quiet: %d rows" % len(rows))
        check(" s  tx " not in p.stderr, "--quiet: no live line")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


REPLAYED = ["n-02.cap", "capture_wds-01.cap", "wpa2-psk-linksys.cap", "wpa2.eapol.cap",
            "Chinese-SSID-Name.pcap", "test1.pcap", "wpa3-psk.pcap", "zn2i.pcap",
            "80211ad_beacon.pcap", "floatingpoint_exception.pcap"]
CRASHERS = ["wpaclean_crash.pcap", "floatingpoint_exception.pcap"]


def case_replay(gen):
    if not CAPTURES or not os.path.isdir(CAPTURES):
        print("SKIP: no captures (D11TX_CAPTURES, ../shared/captures)")
        return SKIP
    tmp = tempfile.mkdtemp(prefix="gen-replay-")
    try:
        for name in REPLAYED:
            src = os.path.join(CAPTURES, name)
            if not os.path.exists(src):
                continue
            lt, frames = read_pcap(src)
            want = [mpdu_of(lt, f) for _, f in frames]
            out = os.path.join(tmp, name + ".out")
            j = run_gen(gen, ["net_pcap0,tx_pcap=" + out], ["--pcap", src, "--rate", "line"])
            _, got = read_pcap(out)
            got = [f for _, f in got]
            check(j["exactly_once"] and j["frames_refused"] == 0 and
                  j["frames_completed"] == len(want),
                  "%s: %d frames sent, exactly once" % (name, len(want)))
            check(got == want, "%s: the same 802.11 bytes out" % name)

        # Two queues: queue q sends frames q, q + 2, ... (net_pcap: one
        # file per queue), at the capture's timing, 50 times faster.
        src = os.path.join(CAPTURES, "n-02.cap")
        lt, frames = read_pcap(src)
        want = [mpdu_of(lt, f) for _, f in frames]
        outs = [os.path.join(tmp, "q%d.pcap" % i) for i in range(2)]
        j = run_gen(gen, ["net_pcap0," + ",".join("tx_pcap=" + o for o in outs)],
                    ["--pcap", src, "--replay-speed", "50"], lcores=lcores(2))
        check_queues(j, 2, len(want))
        for i, o in enumerate(outs):
            _, got = read_pcap(o)
            check([f for _, f in got] == want[i::2], "queue %d: its share of the frames" % i)
        span = frames[-1][0] - frames[0][0]
        check(abs(j["tx_duration_s"] - span / 50) < 0.05,
              "capture timing / 50: %.3f s for %.3f s" % (j["tx_duration_s"], span / 50))

        # By access category: each queue sends the capture's frames of
        # its category (non-QoS ones: BE).
        src = os.path.join(CAPTURES, "test1.pcap")
        lt, frames = read_pcap(src)
        want = {"VO": 0, "VI": 0, "BE": 0, "BK": 0}
        for _, f in frames:
            want[frame_ac(mpdu_of(lt, f))] += 1
        j = run_gen(gen, ["net_wlansim0,queues=4"], ["--pcap", src, "--rate", "line",
                                                     "--spread", "ac"], lcores=lcores(4))
        check_queues(j, 4, len(frames))
        got = {x["ac"]: x["frames_submitted"] for x in j["queues"]}
        check(got == want, "test1.pcap by category: %s" % got)

        # Files that once crashed parsers: refused with one line, exit 2,
        # or sent whole.
        for name in CRASHERS:
            src = os.path.join(CAPTURES, name)
            if not os.path.exists(src):
                continue
            eal = Eal(["net_null0"])
            p = subprocess.run(gen_cmd(gen, eal, ["--pcap", src, "--rate", "line", "--json",
                                                  "--quiet"]),
                               capture_output=True, text=True, timeout=60)
            eal.cleanup()
            if p.returncode == 2:
                lines = p.stderr.splitlines()
                check(len(lines) == 1 and lines[0].startswith("dot11tx-gen: "),
                      "%s: refused in one line: %s" % (name, lines))
            else:
                check(p.returncode == 0 and json.loads(p.stdout)["exactly_once"],
                      "%s: sent, exactly once" % name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


BAD_OPTIONS = [
    ["--rate", "fast"], ["--rate", "-5pps"], ["--len", "5"], ["--len", "64,128"],
    ["--sizes", "100-50"], ["--template", "foo"], ["--hex", "abc"],
    ["--pcap", "/nonexistent.pcap"], ["--bogus"], ["-Z"], ["--count"], ["--count", "0"],
    ["--duration", "-1"], ["--spread", "ac", "--template", "beacon"], ["--spread", "xy"],
    ["--loop"], ["--tid", "9"], ["--template", "beacon", "--tid", "3"], ["--da", "xx"],
    ["--ssid", "x" * 33], ["--replay-speed", "0"], ["-b", "0"], ["--max-burst", "600"],
    ["--mode", "x"], ["--stats-file", "/nonexistent/dir/x.csv"], ["--rt-rate", "7.3"],
    ["--hex", "0801", "--template", "data"], ["extra"],
    ["--start-at", "2026-12-06T19:30:00"], ["--start-at", "soon"],
    ["--start-at", "2020-01-01T00:00:00Z"], ["--start-at", "4102444800"],
    ["--prometheus", "0"], ["--prometheus", "70000"], ["--prometheus-bind", "0.0.0.0"],
    ["--rt-mcs", "32"], ["--rt-mcs", "1,2"], ["--mcs", "9", "--nss", "1"],
    ["--mcs", "7", "--bw", "80"], ["--mcs", "7-3"], ["--mcs", "0-16"], ["--nss", "9"],
    ["--bw", "30"], ["--gi", "medium"], ["--bw", "40"], ["--rates", "7"],
    ["--rates", "6,x"], ["--rates", "6", "--mcs", "1"], ["--rates", "6", "--rt-rate", "6"],
    ["--retry-limit", "16"], ["--retry-limit", "2", "--no-ack"],
    ["--rate-interval", "1"], ["--rates", "6,12", "--rate-interval", "0"],
    ["--pcap", "/nonexistent.pcap", "--radiotap", "--rates", "6,12"],
]
TEMPLATES = ["beacon", "probe-req", "probe-resp", "qos-data", "data", "null", "rts",
             "cts", "ack", "deauth"]


def case_options(gen):
    p = subprocess.run([gen, "--help"], capture_output=True, text=True, timeout=30)
    check(p.returncode == 0, "--help: exit 0")
    for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "Frame source",
                    "Sizes and addresses", "Pacing", "Run and scale", "Output", "TELEMETRY",
                    "EXAMPLES", "EXIT STATUS"):
        check(section in p.stdout, "--help has %s" % section)
    # The SYNOPSIS names the program as it was run: a long build path
    # is the checkout's, not the text's.
    text = p.stdout.replace(gen, os.path.basename(gen))
    check(max(len(x) for x in text.splitlines()) <= 80, "--help fits 80 columns")
    for opts in BAD_OPTIONS:
        p = subprocess.run([gen] + opts, capture_output=True, text=True, timeout=30)
        lines = p.stderr.splitlines()
        check(p.returncode == 2 and len(lines) == 1 and lines[0].startswith("dot11tx-gen: "),
              "%s: exit 2, one line: %s" % (" ".join(opts)[:40], lines))
        check(p.stdout == "", "%s: nothing on stdout" % " ".join(opts)[:40])
    # Every template goes through the engine's 802.11 check, plain and
    # behind radiotap on an injection port, in both buffer modes.
    for t in TEMPLATES:
        for extra, vdev in (([], "net_wlansim0"),
                            (["--radiotap", "--rt-rate", "6", "--mode", "app"],
                             "net_wlansim0,radiotap=1")):
            j = run_gen(gen, [vdev], ["--template", t, "--count", "100"] + extra)
            check(j["exactly_once"] and j["frames_refused"] == 0 and
                  j["frames_completed"] == 100,
                  "%s%s: 100 frames, exactly once" % (t, " (radiotap)" if extra else ""))
    j = run_gen(gen, ["net_null0"], ["--hex", "d4 00 00 00 02 00 00 00 00 01", "--count", "10"])
    check(j["frames_completed"] == 10 and j["frame_len"] == 10, "--hex: a 10-byte ACK")
    j = run_gen(gen, ["net_null0"], ["--sizes", "100-1500", "--count", "20000"])
    check(500 < j["frame_len"] < 1100, "--sizes 100-1500: mean %d" % j["frame_len"])
    j = run_gen(gen, ["net_null0"], ["--hex", "0801", "--no-validate", "--count", "10"])
    check(j["frames_completed"] == 10, "--no-validate: a 2-byte frame sent")
    j = run_gen(gen, ["net_null0"], ["--hex", "0801", "--count", "10"])
    check(j["frames_refused"] == 10 and j["frames_completed"] == 0 and j["exactly_once"],
          "validated: the 2-byte frame refused, 10 times")


def case_start_at(gen):
    """Two instances told one instant: each reports its first frame's
    skew (the time of its first submit less the target, on this host's
    CLOCK_REALTIME); both must be within 1 ms, and both must have waited."""
    c = cpus()
    target = time.time() + 8     # EAL set-up takes seconds under ASan
    eals = [Eal(["net_null%d" % i], lcores="%d@%d" % (0, c[i % len(c)])) for i in range(2)]
    procs = []
    try:
        for i, eal in enumerate(eals):
            cmd = gen_cmd(gen, eal, ["--start-at", "%.6f" % target, "--duration", "1",
                                     "--rate", "100kpps", "--json", "--quiet"])
            print("run:", " ".join(cmd))
            procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, text=True))
        outs = [p.communicate(timeout=60) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        for eal in eals:
            eal.cleanup()
    ended = time.time()
    for i, (out, err) in enumerate(outs):
        sys.stderr.write(err)
        check(procs[i].returncode == 0, "instance %d: exit 0" % i)
        j = json.loads(out)
        skew = j["start_skew_us"]
        print("instance %d: start_at %s, first frame %.1f us after it; %d frames in %.3f s"
              % (i, j["start_at"], skew, j["frames_completed"], j["duration_s"]))
        check(0 <= skew < 1000, "instance %d: first frame within 1 ms of --start-at "
              "(%.1f us)" % (i, skew))
        check(j["exactly_once"] and abs(j["frames_completed"] - 100000) <= 2000,
              "instance %d: 1 s at 100 kpps, exactly once" % i)
    check(ended >= target + 1, "both waited for the instant, then ran 1 s")


def case_txparams(gen):
    """Per-frame TX parameters on net_wlansim: a sweep's frames split
    evenly over its rates, with figures per rate in the JSON and the
    CSV that add up to the totals; a retry limit and no-ACK honoured; a
    port that reads none refused in one line; with --radiotap, one rate
    in each frame's header, which net_wlansim honours and taps."""
    tmp = tempfile.mkdtemp(prefix="gen-txp-")
    try:
        csv = os.path.join(tmp, "r.csv")
        j = run_gen(gen, ["net_wlansim0,ack_loss=0.3,seed=5"],
                    ["--rates", "6,12,24,54", "--count", "4000", "--len", "200",
                     "--stats-file", csv])
        rates = j["rates"]
        print("rates:", json.dumps(rates))
        check([r["rate"] for r in rates] == ["6M", "12M", "24M", "54M"], "four rates, named")
        check([r["kbps"] for r in rates] == [6000, 12000, 24000, 54000], "their kbit/s")
        check(all(r["completed"] == 1000 for r in rates), "1000 frames each")
        check(sum(r["completed"] for r in rates) == j["frames_completed"] == 4000,
              "the rates add up to the completions")
        check(sum(r["retries"] for r in rates) == j["retries"] > 0, "and to the retries")
        check(sum(r["acked"] for r in rates) == j["status"]["acked"], "and to the ACKs")
        check(all(r["acked"] + r["noack"] == r["completed"] for r in rates),
              "each acked or not")
        check(all(r["latency_us"]["p50"] <= r["latency_us"]["p99"] for r in rates),
              "latency per rate")
        with open(csv) as f:
            header = f.readline().strip().split(",")
        check("6M_completions_ps" in header and "54M_latency_p99_us" in header,
              "per-rate CSV columns: %s" % header[12:])
        svg = os.path.join(tmp, "r.svg")
        p = subprocess.run([os.path.join(os.path.dirname(gen), "dot11tx-plot"), csv,
                            "-o", svg], capture_output=True, text=True, timeout=120)
        check(p.returncode == 0, "dot11tx-plot draws the sweep's CSV: %s" % p.stderr)
        with open(svg) as f:
            text = f.read()
        check(all('id="%s_completions_ps"' % r in text for r in ("6M", "12M", "24M", "54M")),
              "the plot has a series per rate")
        j = run_gen(gen, ["net_wlansim0,ack_loss=0.3,seed=5"],
                    ["--mcs", "0-7", "--count", "8000", "--rate-interval", "0.2"])
        check([r["rate"] for r in j["rates"]] == ["HT%d" % m for m in range(8)] and
              sum(r["completed"] for r in j["rates"]) == 8000, "--mcs 0-7 by interval")
        j = run_gen(gen, ["net_wlansim0,ack_loss=0.3,seed=5"],
                    ["--retry-limit", "0", "--count", "4000"])
        noack = j["status"].get("noack", 0) / 4000
        check(j["retries"] == 0 and 0.25 < noack < 0.35,
              "--retry-limit 0: no retries, %.3f without ACK" % noack)
        j = run_gen(gen, ["net_wlansim0,ack_loss=0.3,seed=5"], ["--no-ack", "--count", "4000"])
        check(j["retries"] == 0 and j["status"].get("sent") == 4000,
              "--no-ack: 4000 sent once, none awaited")
        j = run_gen(gen, ["net_wlansim0"], ["--rt-mcs", "9", "--nss", "2", "--bw", "80",
                                            "--gi", "short", "--count", "1000"])
        check(j["rates"][0]["rate"] == "VHT9x2/80/sgi" and j["rates"][0]["kbps"] == 866666,
              "--rt-mcs 9 --nss 2 --bw 80 --gi short: %s" % j["rates"][0]["rate"])
        eal = Eal(["net_null0"])
        p = subprocess.run(gen_cmd(gen, eal, ["--rates", "6", "--count", "10"]),
                           capture_output=True, text=True, timeout=60)
        eal.cleanup()
        err = [x for x in p.stderr.splitlines() if x.startswith("dot11tx-gen:")]
        check(p.returncode == 2 and len(err) == 1 and "takes no per-frame TX parameters"
              in err[0], "net_null: refused in one line: %s" % err)
        if shutil.which("tshark") is None:
            print("SKIP: tshark not installed: the radiotap case is not run")
            return 77
        tap = os.path.join(tmp, "air.pcap")
        for mode in ("engine", "app"):
            j = run_gen(gen, ["net_wlansim0,radiotap=1,pcap=" + tap],
                        ["--radiotap", "--rates", "6,54", "--count", "1000", "--mode", mode])
            out = subprocess.run(["tshark", "-n", "-r", tap, "-T", "fields", "-e",
                                  "radiotap.datarate"], capture_output=True, text=True,
                                 timeout=60).stdout.split()
            check(j["frames_refused"] == 0 and out == ["6", "54"] * 500,
                  "--radiotap --rates 6,54 (%s buffers): a radiotap header per frame "
                  "from the engine, the rates in turn" % mode)
        j = run_gen(gen, ["net_wlansim0,radiotap=1,ack_loss=0.5,seed=2,pcap=" + tap],
                    ["--radiotap", "--rt-mcs", "7", "--bw", "40", "--retry-limit", "1",
                     "--count", "2000"])
        out = subprocess.run(["tshark", "-n", "-r", tap, "-T", "fields", "-e",
                              "radiotap.mcs.index", "-e", "radiotap.mcs.bw", "-e",
                              "radiotap.data_retries"], capture_output=True, text=True,
                             timeout=60).stdout.split("\n")
        rows = [x.split("\t") for x in out if x]
        check(len(rows) == 2000 and all(r[:2] == ["7", "1"] for r in rows),
              "the tap: every frame at HT MCS 7, 40 MHz")
        check(max(int(r[2]) for r in rows) == 1, "at most the one retry asked")
        check(abs(j["status"]["noack"] / 2000 - 0.25) < 0.05,
              "noack %.3f with 2 attempts at 50%% loss" % (j["status"]["noack"] / 2000))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


CASES = {
    "rate": case_rate, "interrupt": case_interrupt, "multiqueue": case_multiqueue,
    "af_packet": case_af_packet, "af_packet_inner": case_af_packet_inner,
    "telemetry": case_telemetry, "stats_file": case_stats_file, "replay": case_replay,
    "options": case_options, "start_at": case_start_at, "txparams": case_txparams,
}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in CASES:
        sys.stderr.write("usage: test_gen_run.py CASE GEN\ncases: %s\n" % " ".join(CASES))
        return 2
    try:
        rc = CASES[sys.argv[1]](os.path.abspath(sys.argv[2]))
    except Fail as e:
        print("FAIL:", e)
        return 1
    except subprocess.TimeoutExpired as e:
        print("FAIL: timeout:", e)
        return 1
    return rc or 0


if __name__ == "__main__":
    sys.exit(main())
