#!/usr/bin/env bash
# Run a libFuzzer target for a bounded time, seeded with the frames of the
# real captures. Usage: run_fuzz.sh FUZZER CORPUS_TOOL CAPTURES_DIR SECONDS
# Exits 77 (skipped) where the captures are missing.
set -euo pipefail
fuzzer=$(realpath "$1") tool=$(realpath "$2") captures=$3 seconds=$4
[[ -d $captures ]] || { echo "no captures at $captures: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
"$tool" "$work/corpus" "$captures"/*.cap "$captures"/*.pcap
# -max_total_time bounds the run; a crash or leak makes it fail, and the
# reproducer lands in the working folder (kept in the log). libFuzzer's
# own error exit code is 77, meson's "skipped": say 1 instead, or every
# finding would pass as a skip.
cd "$work"
"$fuzzer" -max_total_time="$seconds" -print_final_stats=1 \
    -error_exitcode=1 -timeout_exitcode=1 corpus
