#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Set up a Debian bookworm machine for dot11tx. Idempotent: installs only
# missing packages, reserves hugepages only when too few are free.
#   D11TX_HUGEPAGES  2 MiB pages to reserve (default 512); 0 to skip.
set -euo pipefail

PACKAGES=(gcc g++ meson ninja-build pkg-config python3
          dpdk libdpdk-dev dpdk-dev libcmocka-dev libpcap-dev libbenchmark-dev
          tshark clang libclang-rt-dev iproute2)
WANT_PAGES=${D11TX_HUGEPAGES:-512}
HUGE_DIR=/dev/hugepages

say() { echo "setup: $*"; }

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$p")
done
if ((${#missing[@]})); then
    if ((EUID != 0)); then
        say "missing packages: ${missing[*]}; run as root, or: apt-get install ${missing[*]}" >&2
        exit 1
    fi
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    say "packages present"
fi

# net_wlansim is built against DPDK's driver SDK headers, which Debian's
# libdpdk-dev leaves out: take them from the matching source package.
"$(dirname "$0")/fetch-driver-sdk.sh"

free_pages() { awk '/^HugePages_Free:/ {print $2}' /proc/meminfo; }

hugepages_fallback() {
    say "no hugepages ($1): DPDK runs with --no-huge, at about half the speed"
    exit 0
}

if ((WANT_PAGES == 0)); then
    say "hugepage reservation skipped (D11TX_HUGEPAGES=0)"
elif (($(free_pages) < WANT_PAGES)); then
    ((EUID == 0)) || hugepages_fallback "not root"
    total=$(cat /proc/sys/vm/nr_hugepages)
    need=$((total + WANT_PAGES - $(free_pages)))
    echo "$need" > /proc/sys/vm/nr_hugepages 2>/dev/null \
        || hugepages_fallback "cannot write /proc/sys/vm/nr_hugepages"
fi
if ((WANT_PAGES > 0)) && ! grep -q " hugetlbfs " /proc/mounts; then
    ((EUID == 0)) || hugepages_fallback "hugetlbfs not mounted, not root"
    mkdir -p "$HUGE_DIR"
    mount -t hugetlbfs nodev "$HUGE_DIR" 2>/dev/null \
        || hugepages_fallback "cannot mount hugetlbfs at $HUGE_DIR"
fi
free=$(free_pages)
grep -q " hugetlbfs " /proc/mounts || hugepages_fallback "hugetlbfs not mounted"
((free > 0)) || hugepages_fallback "none free"
say "hugepages: $free x 2 MiB free"
