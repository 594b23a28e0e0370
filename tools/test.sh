#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Set up, build, and run the whole test suite.
#   --sanitize      also build with AddressSanitizer + UBSan and run it
#                   again, run the IHV suite under ThreadSanitizer (first
#                   DPDK only), and run the libFuzzer targets (clang) briefly
#   --dpdk PREFIX   use the DPDK installed under PREFIX (tools/build-dpdk.sh)
#                   instead of the one pkg-config finds (build-dpdk-<version>/)
#   --matrix        then build every DPDK of ../shared/dpdk (cached in
#                   $D11TX_CACHE, default /var/cache/dot11tx, keyed by the
#                   tarball's checksum) and run the suite against each
#                   (with --sanitize, its sanitizer and fuzz passes too)
# With CI=true: -Werror, --sanitize and --matrix.
#
# Exit 1 when a test fails, or when a test is skipped for a reason that is
# not on SKIP_ALLOWED below: a skip says why in a "SKIP: ..." line
# (tests/skip.h), and the summary names each one.
set -euo pipefail
cd "$(dirname "$0")/.."

# Skips that a CI machine may show, each a regular expression for the
# reason of a "SKIP:" line, with why it cannot run in CI. CI machines have
# everything the suite needs (tools/setup.sh installs it, ../shared holds
# the captures), so none is expected there and the list is empty.
SKIP_ALLOWED=(
)

usage() {
    awk 'NR > 2 && /^#/ { sub(/^# ?/, ""); print; next } NR > 2 { exit }' "$0" >&2
    exit 2
}

sanitize=false matrix=false werror=false dpdk_prefix=
while (($#)); do
    case $1 in
        --sanitize) sanitize=true ;;
        --matrix) matrix=true ;;
        --dpdk) (($# >= 2)) || usage; dpdk_prefix=$2; shift ;;
        --dpdk=*) dpdk_prefix=${1#--dpdk=} ;;
        -h|--help) usage ;;
        *) echo "test: unknown argument '$1'" >&2; usage ;;
    esac
    shift
done
if [[ ${CI:-} == true ]]; then
    sanitize=true matrix=true werror=true
fi

if [[ -n $dpdk_prefix ]]; then
    pc=$(tools/build-dpdk.sh --pkgconfig "$dpdk_prefix") \
        || { echo "test: no DPDK installed under $dpdk_prefix (tools/build-dpdk.sh SRC $dpdk_prefix)" >&2; exit 2; }
    export PKG_CONFIG_PATH=$pc${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
fi
tools/setup.sh

passed=0 failed=0 skipped=0 status=0 tsan_done=false
reports=() skips=() unexplained=() failures=()

# Counts of one build's run from meson's JSON log: "passed failed skipped"
# on the first line, then "SKIP<TAB>test<TAB>reason" for every skip, of a
# whole test (exit 77) or of a cmocka case, each from its "SKIP:" line,
# and "FAIL<TAB>test<TAB>result" for every failure.
read_testlog() {
    python3 - "$1" <<'PY'
import json, re, sys
counts = {"OK": 0, "FAIL": 0, "SKIP": 0}
skips, fails = [], []
for line in open(sys.argv[1]):
    t = json.loads(line)
    r = t["result"]
    counts[r if r in counts else "FAIL"] += 1     # TIMEOUT, ERROR, ... fail
    reasons = re.findall(r"^SKIP: (.*)$", t.get("stdout") or "", re.M)
    if r == "SKIP" and not reasons:
        reasons = ["(exit 77 without a SKIP: line)"]
    skips += [(t["name"], x.strip()) for x in reasons]
    if r not in ("OK", "SKIP"):
        fails.append((t["name"], r))
print(counts["OK"], counts["FAIL"], len(skips))
for name, reason in skips:
    print("SKIP\t%s\t%s" % (name, reason))
for name, result in fails:
    print("FAIL\t%s\t%s" % (name, result))
PY
}

skip_allowed() {
    local re
    for re in "${SKIP_ALLOWED[@]}"; do
        [[ $1 =~ $re ]] && return 0
    done
    return 1
}

# run_suite BUILD_DIR LABEL [meson test arguments]: run it, count it.
run_suite() {
    local dir=$1 label=$2 rc=0 p f s kind name reason
    shift 2
    meson test -C "$dir" --print-errorlogs "$@" || rc=$?
    {
        read -r p f s
        while IFS=$'\t' read -r kind name reason; do
            if [[ $kind == FAIL ]]; then
                failures+=("$label: $name ($reason)")
                continue
            fi
            skips+=("$label: $name: $reason")
            skip_allowed "$reason" || { unexplained+=("$label: $name: $reason"); rc=1; }
        done
    } < <(read_testlog "$dir/meson-logs/testlog.json")
    p=${p:-0} f=${f:-1} s=${s:-0}     # no log: count the run as failed
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
    reports+=("$label: $p passed, $f failed, $s skipped")
    echo "test: $label: $p passed, $f failed, $s skipped"
    return $rc
}

# run_all BUILD_DIR FUZZ_SECONDS [meson options]: the whole suite on the
# DPDK that pkg-config finds now: the normal build, then with --sanitize
# the sanitizers and the fuzzers (FUZZ_SECONDS each).
run_all() {
    local base=$1 fuzz_seconds=$2 extra=("${@:3}") label
    label="DPDK $(pkg-config --modversion libdpdk) ($(pkg-config --variable=prefix libdpdk))"
    tools/build.sh "$base" -Dwerror=$werror "${extra[@]}" || { failed_build "$label"; return; }
    run_suite "$base" "$label" || status=1
    $sanitize || return 0
    # With the engine's test hooks: allocation failure injection
    # (tests/queue/test_faults.c) and the mbuf sanity checks on every mbuf
    # handed to and taken back from the PMD, for the whole suite.
    tools/build.sh "$base-san" -Dwerror=$werror -Dbuildtype=debug \
        -Db_sanitize=address,undefined -Db_lundef=false \
        -Dfault_injection=true -Dmbuf_debug=true "${extra[@]}" \
        || { failed_build "$label, sanitizers"; return; }
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 \
        run_suite "$base-san" "$label, ASan+UBSan" || status=1
    # ThreadSanitizer on the IHV suite (threads of an extension sending at
    # once, the soak among them), on the first DPDK of the run only: the
    # suppressions (tests/ihv/tsan.supp) name functions of that DPDK's
    # inline ring code. -Wno-tsan: GCC warns that TSan does not model the
    # fences in DPDK's headers, which is what the suppressions are for.
    if ! $tsan_done; then
        tsan_done=true
        tools/build.sh "$base-tsan" -Dwerror=$werror -Dbuildtype=debug \
            -Db_sanitize=thread -Db_lundef=false -Dc_args=-Wno-tsan \
            -Dcpp_args=-Wno-tsan "${extra[@]}" \
            || { failed_build "$label, TSan"; return; }
        TSAN_OPTIONS="suppressions=$PWD/tests/ihv/tsan.supp halt_on_error=1" \
            run_suite "$base-tsan" "$label, TSan (suite ihv)" --suite ihv || status=1
    fi
    # The libFuzzer targets, for a bounded time, where clang is installed.
    if command -v clang >/dev/null; then
        CC=clang CXX=clang++ tools/build.sh "$base-fuzz" -Dwerror=$werror \
            -Dfuzz=true -Dfuzz_seconds="$fuzz_seconds" -Db_lundef=false \
            -Db_sanitize=address,undefined "${extra[@]}" \
            || { failed_build "$label, fuzzers"; return; }
        run_suite "$base-fuzz" "$label, fuzzers" --suite fuzz || status=1
    else
        echo "test: clang not installed: fuzz targets not run"
    fi
}

failed_build() {
    echo "test: $1: the build failed"
    reports+=("$1: the build failed")
    status=1
}

# The DPDK matrix: each tarball of ../shared/dpdk built once into the
# cache (tools/build-dpdk.sh), then the suite against it, the sanitizer
# pass and the fuzzers too with --sanitize (the fuzzers briefly: they
# prove that the targets build and run on that DPDK; the long run is the
# system DPDK's).
run_matrix() {
    local src=../shared/dpdk cache t name key prefix pc
    if [[ ! -d $src ]]; then
        echo "test: no $src here: the DPDK version matrix is not run"
        return
    fi
    cache=${D11TX_CACHE:-/var/cache/dot11tx}
    [[ -w ${cache%/*} || -w $cache ]] || cache=${XDG_CACHE_HOME:-$HOME/.cache}/dot11tx
    mkdir -p "$cache/dpdk"
    shopt -s nullglob
    for t in "$src"/dpdk-*.tar.*; do
        name=$(basename "$t")
        name=${name%.tar.*}
        key=$(sha256sum "$t" | cut -c1-12)
        prefix=$cache/dpdk/$name-$key
        (
            flock 9
            if [[ -f $prefix/.dot11tx-built ]]; then
                echo "test: $name: cached in $prefix"
            else
                # Another checksum of the same release is stale now.
                rm -rf "$cache/dpdk/$name"-*
                tools/build-dpdk.sh "$t" "$prefix"
            fi
        ) 9> "$cache/dpdk/.lock" || { failed_build "$name"; continue; }
        pc=$(tools/build-dpdk.sh --pkgconfig "$prefix")
        PKG_CONFIG_PATH=$pc run_all "build-$name" 5 -Dpkg_config_path="$pc"
    done
}

start=$SECONDS
if [[ -n $dpdk_prefix ]]; then
    run_all "build-dpdk-$(pkg-config --modversion libdpdk)" 30 -Dpkg_config_path="$pc"
else
    run_all build 30
fi
$matrix && run_matrix

echo
echo "test: summary, $((SECONDS - start)) s"
for r in "${reports[@]}"; do echo "  $r"; done
for s in "${failures[@]}"; do echo "  failed: $s"; done
for s in "${skips[@]}"; do echo "  skipped: $s"; done
for s in "${unexplained[@]}"; do echo "  FAIL: a skip not on tools/test.sh's allow-list: $s"; done
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
