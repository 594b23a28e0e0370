#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dot11tx-plot and dot11tx-gen --plot, from a real run:

    test_plot.py GEN PLOT

dot11tx-gen sends for 4 s on net_wlansim with --stats-file and --plot: the
SVG must parse, be of some size, and hold each series as the group of its
CSV column with one point per CSV row, the points where the CSV puts them
(x and y, up to the axes' scale and offset). dot11tx-plot draws the same
CSV as a PNG (its signature and size checked), and refuses what it must in
one line. Exit 0 pass, 1 fail.
"""

import csv
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_gen_run import Eal, Fail, check, gen_cmd  # noqa: E402

SERIES = ["tx_pps", "completions_ps", "acked_ps", "noack_ps", "refused", "backpressure",
          "latency_p50_us", "latency_p99_us"]
SVG = "{http://www.w3.org/2000/svg}"


def line_points(svg_root, gid):
    """The vertices of the line drawn for @p gid (its group's first path)."""
    for g in svg_root.iter(SVG + "g"):
        if g.get("id") == gid:
            for p in g.iter(SVG + "path"):
                nums = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", p.get("d", ""))]
                return list(zip(nums[0::2], nums[1::2]))
    raise Fail("no group %s in the SVG" % gid)


def check_affine(name, data, drawn):
    """drawn = a * data + b for one a != 0 and b (an axis's scale and
    offset), within 0.5% of the drawn range; or all equal when the data
    are (a flat series)."""
    check(len(drawn) == len(data), "%s: %d points for %d rows" % (name, len(drawn), len(data)))
    lo, hi = min(data), max(data)
    if hi == lo:
        check(max(drawn) - min(drawn) < 1e-6, "%s: flat, as the CSV" % name)
        return
    a = (drawn[data.index(hi)] - drawn[data.index(lo)]) / (hi - lo)
    b = drawn[data.index(lo)] - a * lo
    span = max(drawn) - min(drawn)
    worst = max(abs(a * d + b - v) for d, v in zip(data, drawn))
    check(a != 0 and worst <= 0.005 * span,
          "%s: every point where the CSV puts it (worst %.3g of %.3g)" % (name, worst, span))


def one_line_exit2(cmd, what):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    lines = p.stderr.strip().splitlines()
    check(p.returncode == 2 and len(lines) == 1, "%s: exit 2, one line: %s" % (what, lines))


def main():
    gen, plot = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="plot-")
    csv_path, svg_path = os.path.join(tmp, "run.csv"), os.path.join(tmp, "run.svg")
    png_path = os.path.join(tmp, "run.png")
    eal = Eal(["net_wlansim0,rate=54,ack_loss=0.1,retry_limit=2"])
    try:
        cmd = gen_cmd(gen, eal, ["--duration", "4", "--rate", "10kpps", "--json", "--quiet",
                                 "--stats-file", csv_path, "--plot", svg_path])
        print("run:", " ".join(cmd))
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        sys.stderr.write(p.stderr)
        check(p.returncode == 0, "dot11tx-gen --plot: exit 0")
        with open(csv_path, newline="") as f:
            rows = list(csv.DictReader(f))
        check(len(rows) >= 3, "the CSV has %d rows" % len(rows))
        size = os.path.getsize(svg_path)
        check(size > 10000, "the SVG is %d bytes" % size)
        root = ET.parse(svg_path).getroot()
        check(root.tag == SVG + "svg", "an SVG document")
        t = [float(r["elapsed_s"]) for r in rows]
        for name in SERIES:
            pts = line_points(root, name)
            data = [float(r[name]) for r in rows]
            check_affine(name + " (x)", t, [x for x, _ in pts])
            check_affine(name, data, [y for _, y in pts])
        print("ok: %s, %d bytes: %d series of %d points, each where the CSV puts it"
              % (os.path.basename(svg_path), size, len(SERIES), len(rows)))

        r = subprocess.run([plot, csv_path, "-o", png_path], capture_output=True, text=True,
                           timeout=120)
        check(r.returncode == 0, "dot11tx-plot -o run.png: exit 0 (%s)" % r.stderr.strip())
        with open(png_path, "rb") as f:
            head = f.read(24)
        w, h = struct.unpack(">II", head[16:24])
        check(head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR",
              "a PNG (signature, IHDR)")
        check(w >= 600 and h >= 400 and os.path.getsize(png_path) > 10000,
              "run.png: %dx%d, %d bytes" % (w, h, os.path.getsize(png_path)))

        one_line_exit2([plot, os.path.join(tmp, "none.csv")], "a missing CSV")
        bad = os.path.join(tmp, "bad.csv")
        with open(bad, "w") as f:
            f.write("a,b\n1,2\n")
        one_line_exit2([plot, bad], "a CSV of another shape")
        one_line_exit2([plot, csv_path, "-o", os.path.join(tmp, "x.gif")], "-o x.gif")
        empty = os.path.join(tmp, "empty.csv")
        with open(csv_path) as f:
            header = f.readline()
        with open(empty, "w") as f:
            f.write(header)
        one_line_exit2([plot, empty], "a CSV without rows")
    except Fail as e:
        print("FAIL:", e)
        return 1
    finally:
        eal.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
