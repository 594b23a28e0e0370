#!/usr/bin/env bash
# Run a libFuzzer target for a bounded time, seeded with its committed
# seeds (tests/fuzz/seeds/<target>: hand-written inputs and the inputs of
# every crash found so far, so that each is replayed first) and, where a
# corpus tool is given, with what it makes of the real captures.
# Usage: run_fuzz.sh FUZZER SECONDS SEEDS_DIR [CAPTURES_DIR TOOL [TOOL_ARGS...]]
#   TOOL is called as: TOOL [TOOL_ARGS...] OUT_DIR CAPTURE...
# Exits 77 (skipped) where there is nothing to start from: no seeds and
# no captures.
set -euo pipefail
fuzzer=$(realpath "$1") seconds=$2 seeds=$3
shift 3
# Reproducers of what a run finds: kept here (the build folder under
# meson test), as fuzz-artifacts/<target>-crash-<sha1> and so on.
artifacts=${FUZZ_ARTIFACTS:-$PWD/fuzz-artifacts}
mkdir -p "$artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
dirs=("$work/corpus")
if [[ -d $seeds ]]; then
    dirs+=("$(realpath "$seeds")")
    echo "run_fuzz: $(find "$seeds" -type f | wc -l) seeds in $seeds"
fi
if (($# >= 2)); then
    captures=$1 tool=$(realpath "$2")
    shift 2
    if [[ -d $captures ]]; then
        shopt -s nullglob
        "$tool" "$@" "$work/corpus" "$captures"/*.cap "$captures"/*.pcap
    else
        echo "run_fuzz: no captures at $captures"
    fi
fi
if ((${#dirs[@]} == 1)) && [[ -z $(ls -A "$work/corpus") ]]; then
    echo "SKIP: no fuzz seeds and no captures"
    exit 77
fi
# -max_total_time bounds the run; a crash, leak or timeout makes it fail,
# and the reproducer lands in $artifacts, named in the log: add it to the
# target's seeds. New inputs go to the first folder only, never into the
# seeds. libFuzzer's own error exit
# code is 77, meson's "skipped": say 1 instead, or every finding would
# pass as a skip.
cd "$work"
"$fuzzer" -max_total_time="$seconds" -timeout=60 -print_final_stats=1 \
    -error_exitcode=1 -timeout_exitcode=1 \
    -artifact_prefix="$artifacts/$(basename "$fuzzer")-" "${dirs[@]}"
