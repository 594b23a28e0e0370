#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build and install a minimal DPDK that dot11tx builds and tests against:
# the driver SDK headers (for net_wlansim), the drivers the suite uses and
# dpdk-testpmd (for dot11tx-bench --vs-testpmd).
#
#   tools/build-dpdk.sh SRC_TARBALL_OR_DIR PREFIX
#
# SRC is a DPDK release tarball (.tar.xz/.tar.gz) or an unpacked tree.
# PREFIX must not be under a world-writable folder such as /tmp (EAL then
# refuses to load its plugins): use /opt/dpdk-X or /var/cache/... . When
# done, PREFIX/.dot11tx-built holds the version; use the build with
#   PKG_CONFIG_PATH=$(tools/build-dpdk.sh --pkgconfig PREFIX) meson setup ...
# or tools/test.sh --dpdk PREFIX.
#   D11TX_DPDK_JOBS  ninja jobs (default: the number of CPUs)
set -euo pipefail

DRIVERS=bus/vdev,bus/pci,mempool/ring,mempool/stack,net/null,net/ring,net/pcap,net/af_packet
say() { echo "build-dpdk: $*"; }
die() { echo "build-dpdk: $*" >&2; exit 1; }
usage() { die "usage: tools/build-dpdk.sh SRC_TARBALL_OR_DIR PREFIX (or --pkgconfig PREFIX)"; }

# The folder of the installed libdpdk.pc (lib/<multiarch>/pkgconfig or
# lib/pkgconfig, depending on how meson picked the libdir).
pkgconfig_dir() {
    local pc
    pc=$(find "$1" -path '*/pkgconfig/libdpdk.pc' -print -quit 2>/dev/null)
    [[ -n $pc ]] || return 1
    dirname "$pc"
}

if [[ ${1:-} == --pkgconfig ]]; then
    [[ $# -eq 2 ]] || usage
    pkgconfig_dir "$2" || die "no DPDK installed under $2"
    exit 0
fi
[[ $# -eq 2 ]] || usage
src=$1
prefix=$2
[[ -e $src ]] || die "$src: no such file or folder"
[[ $prefix == /* ]] || die "PREFIX must be an absolute path: $prefix"
case "$prefix/" in
    /tmp/*|/var/tmp/*|/dev/shm/*)
        die "PREFIX $prefix is under a world-writable folder; EAL would refuse its plugins (use /opt or /var/cache)";;
esac

for tool in meson ninja python3 pkg-config; do
    command -v "$tool" >/dev/null || die "$tool not found (tools/setup.sh installs it)"
done
# DPDK's build scripts run "python3" from PATH and need pyelftools; a
# python of its own ahead in PATH (pyenv, venv) would lack it.
export PATH=/usr/bin:$PATH
python3 -c 'import elftools' 2>/dev/null \
    || die "python3 has no pyelftools (apt-get install python3-pyelftools)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ -d $src ]]; then
    tree=$(cd "$src" && pwd)
else
    say "unpacking $(basename "$src")"
    tar -xf "$src" -C "$work" 2>/dev/null || die "$src: not a tarball that tar can unpack"
    tree=$(find "$work" -mindepth 1 -maxdepth 1 -type d -print -quit)
fi
[[ -f $tree/VERSION && -f $tree/meson.build ]] || die "$src holds no DPDK source tree"
version=$(cat "$tree/VERSION")

# A tree trimmed of app/test (../shared/dpdk's): 22.11's app/meson.build
# enters app/test whatever -Dtests says, and with -Dtests=false that folder
# builds nothing, so an empty meson.build stands in for it. Never in the
# caller's own tree: a folder given as SRC is copied first.
if [[ -f $tree/app/meson.build && ! -f $tree/app/test/meson.build ]]         && grep -q "^subdir('test')" "$tree/app/meson.build"; then
    if [[ -d $src ]]; then
        say "copying $src (its app/test is missing)"
        cp -a "$tree" "$work/src"
        tree=$work/src
    fi
    mkdir -p "$tree/app/test"
    echo "# empty: tests=false (tools/build-dpdk.sh)" > "$tree/app/test/meson.build"
fi

say "configuring DPDK $version for $prefix"
start=$SECONDS
meson setup "$work/build" "$tree" --prefix="$prefix" \
    -Denable_drivers=$DRIVERS -Denable_apps=test-pmd \
    -Dtests=false -Denable_docs=false -Denable_driver_sdk=true \
    > "$work/setup.log" 2>&1 || { tail -30 "$work/setup.log" >&2; die "meson setup failed"; }
say "building with ${D11TX_DPDK_JOBS:-$(nproc)} jobs"
ninja -C "$work/build" -j "${D11TX_DPDK_JOBS:-$(nproc)}" > "$work/build.log" 2>&1 \
    || { tail -30 "$work/build.log" >&2; die "build failed"; }
rm -rf "$prefix"
ninja -C "$work/build" install > "$work/install.log" 2>&1 \
    || { tail -30 "$work/install.log" >&2; die "install failed"; }
pc=$(pkgconfig_dir "$prefix") || die "installed, but no libdpdk.pc under $prefix"
echo "$version" > "$prefix/.dot11tx-built"
say "DPDK $version in $prefix ($((SECONDS - start)) s); PKG_CONFIG_PATH=$pc"
