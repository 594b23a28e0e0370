#!/usr/bin/env bash
# Seed a fuzz corpus with whole files (for targets whose input is a file,
# such as fuzz_gen_pcap), as run_fuzz.sh calls its corpus tool:
#   copy_corpus.sh OUT_DIR FILE...
set -euo pipefail
out=$1
shift
cp -- "$@" "$out"/
echo "copy_corpus: $# files"
