#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Set up, build, and run the main job, dot11tx-gen, on the embedded
# default port. Extra arguments go to dot11tx-gen (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh build
args=("$@")
((${#args[@]})) || args=(--duration 3)
exec build/tools/dot11tx-gen "${args[@]}"
