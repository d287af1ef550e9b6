#!/usr/bin/env bash
# A long soak of every untrusted entry: each coverage-guided fuzz target in
# fuzz/ (cargo fuzz, libFuzzer) for SECONDS, then the proptest entries
# (ar-core/tests/fuzz_entries.rs) and the differential model test
# (ar-core/tests/model.rs) with CASES inputs each from a random seed.
#
#   scripts/soak.sh [SECONDS_PER_TARGET] [CASES]     (defaults: 120, 50000)
#
# Environment:
#   TARGETS="log_json terms"  only these fuzz targets (default: all of fuzz/)
#   AR_FUZZ_KNOWN=fail        also stop on the classes the core is still being
#                             fixed for (see fuzz/src/lib.rs), to collect them;
#                             or words of some of them: AR_FUZZ_KNOWN=overflow
#   AR_FUZZ_SEED=N            seed of the proptest runs (default: random, printed)
#   SKIP_FUZZ=1 / SKIP_PROPTEST=1   leave out one half
#
# cargo-fuzz needs nightly's -Z flags: on the stable toolchain they are
# enabled with RUSTC_BOOTSTRAP=1. It is installed from crates.io when
# missing. Crashes are kept in fuzz/artifacts/TARGET/ and the corpus grows in
# fuzz/corpus/TARGET/ (both ignored by git); `cargo fuzz tmin TARGET FILE`
# minimizes a crash. Exits non-zero when any target or test failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SECONDS_PER_TARGET="${1:-120}"
CASES="${2:-50000}"
SEED="${AR_FUZZ_SEED:-$((RANDOM * 32768 + RANDOM))}"
FAILED=()
SUMMARY=()

if [[ -z "${SKIP_FUZZ:-}" ]]; then
    export RUSTC_BOOTSTRAP=1
    if ! cargo fuzz --version >/dev/null 2>&1; then
        echo "==> installing cargo-fuzz"
        cargo install cargo-fuzz --locked || { echo "cargo-fuzz could not be installed"; exit 1; }
    fi
    targets="${TARGETS:-$(cd fuzz && cargo fuzz list)}"
    echo "==> building fuzz targets: $targets"
    (cd fuzz && cargo fuzz build -O -a -s none) || { echo "fuzz build failed"; exit 1; }
    for t in $targets; do
        mkdir -p "fuzz/corpus/$t"
        dict=()
        case "$t" in
            log_json|command_json) dict=(-dict=dicts/json.dict) ;;
        esac
        echo "==> fuzz $t for ${SECONDS_PER_TARGET}s"
        log="$(mktemp)"
        (cd fuzz && cargo fuzz run -O -a -s none "$t" "corpus/$t" -- \
            -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=4096 -timeout=20 \
            -max_len=8192 -print_final_stats=1 "${dict[@]}") >"$log" 2>&1
        rc=$?
        runs=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo "?")
        tail -n 25 "$log"
        if [[ $rc -ne 0 ]]; then
            FAILED+=("fuzz $t")
            SUMMARY+=("$(printf '%-28s FAIL  %s runs (see fuzz/artifacts/%s)' "fuzz $t" "$runs" "$t")")
        else
            SUMMARY+=("$(printf '%-28s ok    %s runs' "fuzz $t" "$runs")")
        fi
        rm -f "$log"
    done
fi

if [[ -z "${SKIP_PROPTEST:-}" ]]; then
    unset RUSTC_BOOTSTRAP
    echo "==> proptest entries and model: $CASES cases each, seed $SEED"
    for t in fuzz_entries model; do
        if AR_FUZZ_CASES="$CASES" AR_FUZZ_SEED="$SEED" AR_MODEL_CASES="$CASES" AR_MODEL_SEED="$SEED" \
            cargo test -p ar-core --test "$t" -- --nocapture; then
            SUMMARY+=("$(printf '%-28s ok    %s cases, seed %s' "proptest $t" "$CASES" "$SEED")")
        else
            FAILED+=("proptest $t")
            SUMMARY+=("$(printf '%-28s FAIL  seed %s' "proptest $t" "$SEED")")
        fi
    done
fi

echo
echo "==> soak summary"
printf '    %s\n' "${SUMMARY[@]}"
if [[ ${#FAILED[@]} -gt 0 ]]; then
    echo "soak FAILED: ${FAILED[*]}"
    exit 1
fi
echo "soak passed"
