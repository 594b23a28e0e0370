#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The rule that an EAL which cannot start fails a test, never skips it:
# run a test program with a broken EAL argument ($D11TX_TEST_EAL_ARGS,
# which every test program appends to its EAL line) and pass only when it
# exits 1 and names the reason.
#   expect_eal_failure.sh PROGRAM [ARGS...]
set -u
out=$(D11TX_TEST_EAL_ARGS=--proc-type=no-such-type "$@" 2>&1)
rc=$?
echo "$out" | tail -5
if ((rc != 1)); then
    echo "FAIL: $(basename "$1") with a broken EAL argument exited $rc, not 1"
    exit 1
fi
if ! grep -q "FAIL: EAL cannot start" <<<"$out"; then
    echo "FAIL: $(basename "$1") exited 1 without saying that EAL cannot start"
    exit 1
fi
echo "$(basename "$1"): a broken EAL fails the test (exit 1), as it must"
