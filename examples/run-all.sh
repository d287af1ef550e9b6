#!/usr/bin/env bash
# Runs the demo in all three languages on the bundled sample data and checks
# each prints exactly the hand-worked report in examples/expected/demo.txt.
# Called by scripts/test.sh after the Python and Node bindings are built.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
expected=examples/expected/demo.txt
python="${PYTHON_BIN:-.venv/bin/python}"
cargo run -q -p ar-examples --bin ar-demo | diff -u "$expected" - && echo "rust demo: matches $expected"
"$python" examples/python/demo.py | diff -u "$expected" - && echo "python demo: matches $expected"
node examples/node/demo.mjs | diff -u "$expected" - && echo "node demo: matches $expected"
