#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Fetch the DPDK driver SDK headers that Debian's libdpdk-dev leaves out
# (ethdev_driver.h and the vdev bus headers), which pmd/wlansim needs.
#
# They come from the Debian source package of exactly the installed
# libdpdk-dev version, through a deb-src entry derived at run time from the
# machine's own apt sources, so no mirror is written down here. Only the
# headers are extracted, into .driver-sdk/ (ignored by git; never commit it).
#
#   tools/fetch-driver-sdk.sh [DEST]     DEST defaults to <repo>/.driver-sdk
# Idempotent: does nothing when DEST already holds this version's headers.
set -euo pipefail

HEADERS=(lib/ethdev/ethdev_driver.h lib/ethdev/ethdev_vdev.h
         drivers/bus/vdev/bus_vdev_driver.h lib/eal/include/bus_driver.h
         lib/eal/include/dev_driver.h)

root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$root/.driver-sdk}
say() { echo "driver-sdk: $*"; }
die() { echo "driver-sdk: $*" >&2; exit 1; }

version=$(dpkg-query -W -f='${Version}' libdpdk-dev 2>/dev/null) \
    || die "libdpdk-dev is not installed (run tools/setup.sh)"
stamp="$dest/VERSION"
if [[ -f $stamp && $(cat "$stamp") == "$version" ]]; then
    all=1
    for h in "${HEADERS[@]}"; do [[ -f $dest/include/$(basename "$h") ]] || all=0; done
    if ((all)); then say "headers for dpdk $version present in $dest"; exit 0; fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/parts" "$tmp/lists/partial" "$tmp/src"

# deb-src twins of every deb entry this machine already uses (deb822 and
# one-line formats).
found=0
for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    sed -E 's/^Types:.*\bdeb\b.*/Types: deb-src/' "$f" > "$tmp/parts/$(basename "$f")"
    found=1
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    grep -E '^\s*deb\s' "$f" | sed -E 's/^\s*deb\s/deb-src /' \
        > "$tmp/parts/src-$(basename "$f")" && found=1
done
((found)) || die "no apt sources found to derive a deb-src entry from"

APT=(apt-get -q -o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$tmp/parts"
     -o "Dir::State::Lists=$tmp/lists" -o APT::Sandbox::User=root)
say "fetching the dpdk $version source package index"
"${APT[@]}" update >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; die "apt-get update failed"; }
say "downloading dpdk=$version sources (headers only are kept)"
(cd "$tmp/src" && "${APT[@]}" source --download-only "dpdk=$version" >/dev/null 2>"$tmp/err") \
    || { cat "$tmp/err" >&2; die "apt-get source dpdk=$version failed"; }

orig=$(ls "$tmp"/src/dpdk_*.orig.tar.* 2>/dev/null | head -1)
[[ -n $orig ]] || die "no orig tarball among the downloaded files"
members=()
for h in "${HEADERS[@]}"; do members+=("--wildcards" "*/$h"); done
tar -xf "$orig" -C "$tmp/src" "${members[@]}" \
    || die "headers missing from $(basename "$orig")"

rm -rf "$dest"
mkdir -p "$dest/include"
for h in "${HEADERS[@]}"; do
    cp "$(find "$tmp/src" -path "*/$h" | head -1)" "$dest/include/"
done
echo "$version" > "$stamp"
cat > "$dest/README" <<EOF
DPDK $version driver SDK headers, extracted by tools/fetch-driver-sdk.sh from
the Debian source package. Not part of dot11tx; do not commit.
EOF
say "headers for dpdk $version in $dest/include"
