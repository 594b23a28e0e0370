#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Configure (or reconfigure) and build: tools/build.sh BUILD_DIR [meson -D options]
# Says which DPDK the build uses and where the driver headers come from.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1; shift
# CC/CXX pick the compiler when the folder is first set up (meson keeps it).
if [[ -f $dir/build.ninja ]]; then
    meson configure "$dir" "$@" >/dev/null
else
    meson setup "$dir" "$@" >/dev/null
fi
ninja -C "$dir" >/dev/null
# What the last configuration (this one, or an earlier one) found.
grep -E '^Message: (DPDK|driver SDK)' "$dir/meson-logs/meson-log.txt" \
    | sed "s|^Message: |build: $dir: |" || true
echo "build: $dir ready"
