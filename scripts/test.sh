#!/usr/bin/env bash
# The one command that checks everything: Rust (fmt, clippy, tests), the Python
# binding (build into .venv, mypy, stubtest, pytest) and the Node binding
# (npm ci, napi build, generated-file check, tsc, node --test), then the
# examples (examples/run-all.sh: the demo in all three languages).
#
# Needs only Rust (cargo, with rustfmt + clippy), Python 3 (>= 3.11, with venv)
# and Node (>= 20.17, with npm) on PATH; installs everything else itself:
#   - Python tools pinned in ar-python/requirements-dev.txt, into ./.venv
#   - Node tools pinned by ar-node/package-lock.json, via `npm ci` (better-sqlite3
#     builds from source against the local Node headers when offline)
# Safe to re-run. Debug builds throughout.
#
# Environment knobs:
#   PYTHON=/path/to/python3   interpreter used to create .venv (default: python3)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv"

# ----------------------------------------------------------------------------
# Stage bookkeeping: a header per stage, a summary at the end (also on failure).
# ----------------------------------------------------------------------------
SCRIPT_START=$SECONDS
STAGE=""
STAGE_START=$SECONDS
DONE=()

stage() {
    finish_stage
    STAGE="$1"
    STAGE_START=$SECONDS
    if [[ -t 1 ]]; then
        printf '\n\033[1;34m==> [%s] %s\033[0m\n' "$(date +%H:%M:%S)" "$STAGE"
    else
        printf '\n==> [%s] %s\n' "$(date +%H:%M:%S)" "$STAGE"
    fi
}

finish_stage() {
    if [[ -n "$STAGE" ]]; then
        DONE+=("$(printf '%-64s ok   %4ss' "$STAGE" "$((SECONDS - STAGE_START))")")
        STAGE=""
    fi
}

# Test counts, parsed from the runners' own closing lines.
TESTS_PASSED=0
TESTS_FAILED=0
LOGDIR="$(mktemp -d)"

# count_tests KIND LOG: add the pass/fail counts a runner printed to the totals.
count_tests() {
    local kind=$1 log=$2 counts
    case "$kind" in
        cargo)  # "test result: ok. 3 passed; 0 failed; 0 ignored; ..." (one per binary)
            counts=$(awk '/^test result: /{for(i=1;i<=NF;i++){if($(i+1)~/^passed/)p+=$i; if($(i+1)~/^failed/)f+=$i}} END{print p+0, f+0}' "$log") ;;
        pytest) # "===== 3 passed, 1 failed, 2 errors in 0.02s =====" (last line)
            counts=$(tail -n 1 "$log" | awk '{for(i=1;i<=NF;i++){if($(i+1)~/^passed/)p+=$i; if($(i+1)~/^(failed|errors?)/)f+=$i}} END{print p+0, f+0}') ;;
        node)   # "# pass 3" / "# fail 0"
            counts=$(awk '$1=="#"&&$2=="pass"{p=$3} $1=="#"&&$2=="fail"{f=$3} END{print p+0, f+0}' "$log") ;;
    esac
    TESTS_PASSED=$((TESTS_PASSED + ${counts% *}))
    TESTS_FAILED=$((TESTS_FAILED + ${counts#* }))
}

# counted KIND CMD...: run a test runner, echo its output, count its results
# (also when it fails), and return its exit status.
counted() {
    local kind=$1 rc
    shift
    local log="$LOGDIR/$kind.log"
    set +e
    "$@" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    set -e
    count_tests "$kind" "$log"
    return "$rc"
}

on_exit() {
    local rc=$?
    local failed=0
    if [[ $rc -ne 0 ]]; then
        failed=1
    else
        finish_stage
    fi
    rm -rf "$LOGDIR"
    printf '\n==> Summary (%ss total)\n' "$((SECONDS - SCRIPT_START))"
    local line
    for line in "${DONE[@]}"; do
        printf '    %s\n' "$line"
    done
    if [[ $failed -eq 1 ]]; then
        printf '    %-64s FAIL %4ss (exit %s)\n' "${STAGE:-?}" "$((SECONDS - STAGE_START))" "$rc"
        printf '\nscripts/test.sh FAILED in stage: %s\n' "${STAGE:-?}"
        # Never report "0 failed" for a failed run.
        [[ $TESTS_FAILED -gt 0 ]] || TESTS_FAILED=1
    else
        printf '\nscripts/test.sh: all %d stages passed\n' "${#DONE[@]}"
    fi
    # Rust + Python + Node test totals (one plain closing line).
    printf 'tests: %d passed, %d failed\n' "$TESTS_PASSED" "$TESTS_FAILED"
}
trap on_exit EXIT

die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# ----------------------------------------------------------------------------
stage "Toolchain check"
# ----------------------------------------------------------------------------
command -v cargo >/dev/null || die "cargo not found on PATH"
command -v "$PYTHON" >/dev/null || die "$PYTHON not found on PATH (set PYTHON=...)"
command -v node >/dev/null || die "node not found on PATH"
command -v npm >/dev/null || die "npm not found on PATH"
for component in rustfmt clippy; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
        command -v rustup >/dev/null || die "cargo $component missing and rustup not available"
        rustup component add "$component"
    fi
done
cargo --version
cargo fmt --version
cargo clippy --version
"$PYTHON" --version
printf 'node %s, npm %s\n' "$(node --version)" "$(npm --version 2>/dev/null)"

# Python's shared-library directory, for `cargo test`: lets Rust unit tests
# that embed Python (pyo3 `Python::attach`) find libpython at run time.
PY_LIBDIR="$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR") or "")')"
TEST_LD_LIBRARY_PATH="$PY_LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# Build pyo3 against the same interpreter everywhere.
PYO3_PYTHON="$("$PYTHON" -c 'import sys; print(sys.executable)')"
export PYO3_PYTHON

# ----------------------------------------------------------------------------
stage "Rust: cargo fmt --all --check"
# ----------------------------------------------------------------------------
cargo fmt --all --check

# ----------------------------------------------------------------------------
stage "Rust: cargo clippy --workspace --all-targets -D warnings"
# ----------------------------------------------------------------------------
cargo clippy --workspace --all-targets -- -D warnings

# ----------------------------------------------------------------------------
stage "Rust: cargo doc -p ar-core (no broken links, no missing docs)"
# ----------------------------------------------------------------------------
RUSTDOCFLAGS="-D warnings" cargo doc -p ar-core --no-deps --quiet

# ----------------------------------------------------------------------------
stage "Rust: cargo test --workspace"
# ----------------------------------------------------------------------------
LD_LIBRARY_PATH="$TEST_LD_LIBRARY_PATH" counted cargo cargo test --workspace

# ----------------------------------------------------------------------------
stage "Python: venv + dev tools (ar-python/requirements-dev.txt)"
# ----------------------------------------------------------------------------
if [[ -x "$VENV/bin/python" ]] && ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    echo "existing .venv is broken; recreating it"
    rm -rf "$VENV"
fi
if [[ ! -x "$VENV/bin/python" ]]; then
    "$PYTHON" -m venv "$VENV"
fi
export VIRTUAL_ENV="$VENV"
export PATH="$VENV/bin:$PATH"
python -m pip install --quiet --disable-pip-version-check -r ar-python/requirements-dev.txt
python -m pip --disable-pip-version-check list 2>/dev/null | grep -iE '^(maturin|pytest|mypy) '

# ----------------------------------------------------------------------------
stage "Python: maturin develop (build + install ar into .venv)"
# ----------------------------------------------------------------------------
# maturin sets PYO3_BUILD_EXTENSION_MODULE and PYO3_PYTHON itself.
(cd ar-python && env -u PYO3_PYTHON maturin develop)

# ----------------------------------------------------------------------------
stage "Python: mypy --strict (package + tests)"
# ----------------------------------------------------------------------------
(cd ar-python && python -m mypy)

# ----------------------------------------------------------------------------
stage "Python: mypy.stubtest ar (stubs match the built module)"
# ----------------------------------------------------------------------------
(cd ar-python && python -m mypy.stubtest ar)

# ----------------------------------------------------------------------------
stage "Python: pytest"
# ----------------------------------------------------------------------------
cd ar-python
counted pytest python -m pytest
cd "$ROOT"

# ----------------------------------------------------------------------------
stage "Node: npm ci"
# ----------------------------------------------------------------------------
# better-sqlite3 (a devDependency, for the SQLite example) builds from source
# when its prebuilt binary cannot be downloaded; node-gyp then needs Node's
# headers, which a Node install ships beside its binary: point it there rather
# than at the network.
NODE_PREFIX="$(cd "$(dirname "$(command -v node)")/.." && pwd)"
if [[ -z "${npm_config_nodedir:-}" && -f "$NODE_PREFIX/include/node/node.h" ]]; then
    export npm_config_nodedir="$NODE_PREFIX"
fi
(cd ar-node && npm ci --no-audit --no-fund)

# ----------------------------------------------------------------------------
stage "Node: napi build + check generated index.js / index.d.ts"
# ----------------------------------------------------------------------------
GEN_SNAPSHOT="$(mktemp -d)"
for f in index.js index.d.ts; do
    if [[ -f "ar-node/$f" ]]; then cp "ar-node/$f" "$GEN_SNAPSHOT/$f"; fi
done
(cd ar-node && npx --no-install napi build --platform)
stale=0
for f in index.js index.d.ts; do
    if [[ ! -f "$GEN_SNAPSHOT/$f" ]]; then
        echo "ar-node/$f was missing; napi build generated it: commit it"
        stale=1
    elif ! diff -u "$GEN_SNAPSHOT/$f" "ar-node/$f"; then
        echo "ar-node/$f was stale; napi build regenerated it (diff above): commit it"
        stale=1
    fi
done
rm -rf "$GEN_SNAPSHOT"
# On CI (a fresh clone) also make sure the generated files are committed at all.
if [[ "${CI:-}" == "true" ]] && git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
    git -C "$ROOT" ls-files --error-unmatch ar-node/index.js ar-node/index.d.ts >/dev/null || stale=1
    git -C "$ROOT" diff --exit-code -- ar-node/index.js ar-node/index.d.ts || stale=1
fi
[[ $stale -eq 0 ]] || die "generated Node bindings are out of date"
echo "generated index.js and index.d.ts are up to date"

# ----------------------------------------------------------------------------
stage "Node: tsc --strict --noEmit (test/types.ts against index.d.ts)"
# ----------------------------------------------------------------------------
(cd ar-node && npx --no-install tsc -p tsconfig.json --strict --noEmit)

# ----------------------------------------------------------------------------
stage "Node: node --test"
# ----------------------------------------------------------------------------
shopt -s nullglob
node_tests=(ar-node/test/*.test.mjs ar-node/test/*.test.cjs ar-node/test/*.test.js)
shopt -u nullglob
[[ ${#node_tests[@]} -gt 0 ]] || die "no ar-node/test/*.test.{mjs,cjs,js} files found"
cd ar-node
counted node node --test "${node_tests[@]#ar-node/}"
cd "$ROOT"

# ----------------------------------------------------------------------------
stage "Examples: the demo in Rust, Python and Node against examples/expected/demo.txt"
PYTHON_BIN="$VENV/bin/python" bash examples/run-all.sh

finish_stage
