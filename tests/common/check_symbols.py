#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The symbols of dot11tx's libraries, checked with nm:

- every global symbol that a static library of the engine or of
  net_wlansim defines carries the d11tx_ or wlansim_ prefix, so that
  linking libdot11tx.a never clashes with an application's names;
- libdot11tx.so exports exactly the symbols that engine/version.map
  names, each declared in a public header (include/dot11tx/), and every
  function a public header declares out of line is among them;
- the net_wlansim plugin exports nothing.

check_symbols.py VERSION_MAP INCLUDE_DIR SHARED_LIB PLUGIN STATIC_LIB...
"""
import re
import subprocess
import sys

PREFIXES = ("d11tx_", "wlansim_")
# Not ours to name: what a sanitizer's instrumentation adds, and what
# DPDK's driver registration macros define (RTE_PMD_REGISTER_VDEV,
# RTE_PMD_REGISTER_PARAM_STRING; global since DPDK 25.11, for
# dpdk-pmdinfo).
GENERATED = re.compile(r"^(__odr_asan|__asan|__ubsan|__sancov|this_pmd_name\w+$"
                       r"|__\w+_param_string_export$)")


def nm(args, path):
    out = subprocess.run(["nm"] + args + [path], capture_output=True, text=True,
                         check=True).stdout
    names = set()
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] not in "UVWvw":
            names.add(f[2].split("@")[0])
    return names


def main():
    vmap, include, shared, plugin, statics = (sys.argv[1], sys.argv[2], sys.argv[3],
                                              sys.argv[4], sys.argv[5:])
    bad = []
    for lib in statics:
        for name in sorted(nm(["-g", "--defined-only"], lib)):
            if not name.startswith(PREFIXES) and not GENERATED.match(name):
                bad.append("%s defines %s, without the d11tx_/wlansim_ prefix" % (lib, name))
    text = open(vmap).read()
    listed = set(re.findall(r"^\s*(d11tx_\w+);", text, re.M))
    exported = {n for n in nm(["-D", "--defined-only"], shared) if n.startswith("d11tx_")}
    nodes = set(re.findall(r"^(DOT11TX_[\w.]+)\s*{", text, re.M))
    others = {n for n in nm(["-D", "--defined-only"], shared)
              if not n.startswith("d11tx_") and n not in nodes}
    for n in sorted(exported - listed):
        bad.append("libdot11tx.so exports %s, which version.map does not name" % n)
    for n in sorted(listed - exported):
        bad.append("version.map names %s, which libdot11tx.so does not define" % n)
    for n in sorted(others):
        bad.append("libdot11tx.so exports %s" % n)
    headers = subprocess.run(["sh", "-c", "cat %s/dot11tx/*.h" % include],
                             capture_output=True, text=True, check=True).stdout
    for n in sorted(listed):
        if not re.search(r"\b%s\b" % n, headers):
            bad.append("version.map names %s, which no public header declares" % n)
    # Every function a public header declares out of line (not static
    # inline) is in the map: else the shared library hides it.
    declared = set()
    for m in re.finditer(r"^([^\n#/*{}]*?)\b(d11tx_\w+)\s*\(", headers, re.M):
        if "static" not in m.group(1) and m.group(1).strip() and "define" not in m.group(1):
            declared.add(m.group(2))
    for n in sorted(declared - listed):
        bad.append("%s is declared in a public header but not exported (version.map)" % n)
    for n in sorted(nm(["-D", "--defined-only"], plugin)):
        bad.append("the net_wlansim plugin exports %s" % n)
    for b in bad:
        print("FAIL:", b)
    print("symbols: %d static libraries, %d exported names checked%s" %
          (len(statics), len(listed), "" if not bad else ", %d problems" % len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
