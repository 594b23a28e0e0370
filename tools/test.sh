#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Set up, build, and run the whole test suite.
#   --sanitize  also build with AddressSanitizer + UBSan and run it again,
#               and run the libFuzzer targets (clang) for a bounded time
# With CI=true: builds with -Werror and runs all of it.
set -euo pipefail
cd "$(dirname "$0")/.."

sanitize=false
[[ ${1:-} == --sanitize ]] && sanitize=true
werror=false
if [[ ${CI:-} == true ]]; then
    sanitize=true
    werror=true
fi

tools/setup.sh
passed=0 failed=0 skipped=0

# Run one build's suite (extra arguments go to meson test); add its counts
# from meson's JSON log.
run_suite() {
    local dir=$1 rc=0
    shift
    meson test -C "$dir" --print-errorlogs "$@" || rc=$?
    read -r p f s < <(python3 - "$dir/meson-logs/testlog.json" <<'PY'
import json, sys
counts = {"OK": 0, "FAIL": 0, "SKIP": 0}
for line in open(sys.argv[1]):
    r = json.loads(line)["result"]
    key = r if r in counts else "FAIL"   # TIMEOUT, ERROR, ... fail
    counts[key] += 1
print(counts["OK"], counts["FAIL"], counts["SKIP"])
PY
)
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
    return $rc
}

status=0
tools/build.sh build -Dwerror=$werror
run_suite build || status=1
if $sanitize; then
    # With the engine's test hooks: allocation failure injection
    # (tests/test_faults.c) and the mbuf sanity checks on every mbuf
    # handed to and taken back from the PMD, for the whole suite.
    tools/build.sh build-san -Dwerror=$werror -Dbuildtype=debug \
        -Db_sanitize=address,undefined -Db_lundef=false \
        -Dfault_injection=true -Dmbuf_debug=true
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 \
        run_suite build-san || status=1
fi
if $sanitize; then
    # The libFuzzer targets, for a bounded time, where clang is installed.
    if command -v clang >/dev/null; then
        CC=clang CXX=clang++ tools/build.sh build-fuzz -Dwerror=$werror \
            -Dfuzz=true -Db_lundef=false
        run_suite build-fuzz --suite fuzz || status=1
    else
        echo "test: clang not installed: fuzz targets not run"
    fi
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
