#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Configure (or reconfigure) and build: tools/build.sh BUILD_DIR [meson -D options]
# Says which DPDK the build uses and where the driver headers come from.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1; shift
# CC/CXX pick the compiler when the folder is first set up (meson keeps it).
# meson says what went wrong on stdout: shown only then.
if [[ -f $dir/build.ninja ]]; then
    out=$(meson configure "$dir" "$@" 2>&1) || { echo "$out" >&2; exit 1; }
else
    out=$(meson setup "$dir" "$@" 2>&1) || { echo "$out" | tail -20 >&2; exit 1; }
fi
ninja -C "$dir" >/dev/null
# What the last configuration (this one, or an earlier one) found.
grep -E '^Message: (DPDK|driver SDK)' "$dir/meson-logs/meson-log.txt" \
    | sed "s|^Message: |build: $dir: |" || true
echo "build: $dir ready"
