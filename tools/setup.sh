#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Set up a machine for dot11tx. Idempotent: installs only missing
# packages, reserves hugepages only when too few are free.
#
# DPDK: where pkg-config already finds one that is not Debian's package
# (PKG_CONFIG_PATH=<prefix>/lib/<arch>/pkgconfig, e.g. one built with
# tools/build-dpdk.sh), that one is used and nothing of DPDK is installed;
# it must have its driver SDK headers (-Denable_driver_sdk=true). Else, on
# Debian, DPDK 22.11 comes from apt, with the driver SDK headers fetched
# from its source package (tools/fetch-driver-sdk.sh).
#   D11TX_HUGEPAGES  2 MiB pages to reserve (default 512); 0 to skip.
set -euo pipefail

TOOL_PACKAGES=(gcc g++ meson ninja-build pkg-config python3 python3-pyelftools
               python3-prometheus-client python3-matplotlib
               libcmocka-dev libpcap-dev libbenchmark-dev
               tshark clang libclang-rt-dev iproute2)
DPDK_PACKAGES=(dpdk libdpdk-dev dpdk-dev)
WANT_PAGES=${D11TX_HUGEPAGES:-512}
HUGE_DIR=/dev/hugepages

say() { echo "setup: $*"; }
die() { echo "setup: $*" >&2; exit 1; }

# A DPDK that pkg-config finds and that no Debian package installed.
external_dpdk() {
    local pc
    pc=$(pkg-config --variable=pcfiledir libdpdk 2>/dev/null) || return 1
    [[ -n $pc ]] || return 1
    ! command -v dpkg >/dev/null || ! dpkg -S "$pc/libdpdk.pc" >/dev/null 2>&1
}

# install_missing WHAT PACKAGE...
install_missing() {
    local what=$1 missing=() p
    shift
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$p")
    done
    if ((${#missing[@]} == 0)); then
        say "$what: present"
        return
    fi
    ((EUID == 0)) || die "missing packages: ${missing[*]}; run as root, or: apt-get install ${missing[*]}"
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

if ! command -v dpkg >/dev/null; then
    # Not Debian: check, install nothing; one line says what is missing.
    missing=()
    for c in cc meson ninja pkg-config python3; do
        command -v "$c" >/dev/null || missing+=("$c")
    done
    for m in cmocka libpcap; do
        pkg-config --exists "$m" 2>/dev/null || missing+=("$m (-dev)")
    done
    external_dpdk || missing+=("DPDK >= 22.11 with its driver SDK headers, where pkg-config finds it (tools/build-dpdk.sh builds one)")
    if ((${#missing[@]})); then
        list=${missing[0]}
        for m in "${missing[@]:1}"; do list+="; $m"; done
        die "no dpkg here: install $list; then run this again"
    fi
    say "no dpkg: the tools and DPDK $(pkg-config --modversion libdpdk) found are used as they are"
else
    # The tools first: pkg-config then tells whether a DPDK is here.
    install_missing "build and test packages" "${TOOL_PACKAGES[@]}"
    if external_dpdk; then
        say "DPDK $(pkg-config --modversion libdpdk) from $(pkg-config --variable=prefix libdpdk) (pkg-config): no DPDK package installed"
    else
        install_missing "DPDK packages (22.11)" "${DPDK_PACKAGES[@]}"
    fi
fi

if external_dpdk; then
    inc=$(pkg-config --variable=includedir libdpdk)
    [[ -f $inc/ethdev_driver.h ]] \
        || die "DPDK $(pkg-config --modversion libdpdk) in $inc has no driver SDK headers (ethdev_driver.h), which net_wlansim needs: rebuild it with -Denable_driver_sdk=true (tools/build-dpdk.sh does)"
else
    # net_wlansim is built against DPDK's driver SDK headers, which
    # Debian's libdpdk-dev leaves out: take them from the matching source
    # package.
    "$(dirname "$0")/fetch-driver-sdk.sh"
fi

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
