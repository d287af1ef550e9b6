#!/usr/bin/env bash
# Statements of account of the sample book, printed to PDF (and the first
# page to PNG) by a headless Chromium: the HTML the core renders prints
# one customer per page on A4 or Letter.
#
# Usage: bash examples/statements_pdf.sh [OUT_DIR]   (default: target/statements)
#
# Needs the Python binding built into .venv (`bash scripts/test.sh` or
# `maturin develop` does it) and Debian's chromium, which this script
# installs with apt-get when it is missing (as root, or through sudo).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-target/statements}"
python="${PYTHON_BIN:-.venv/bin/python}"
mkdir -p "$out"
out="$(realpath "$out")"
[[ "$python" = /* ]] || python="$PWD/$python"   # not realpath: a venv's python is a symlink

if ! command -v chromium >/dev/null 2>&1; then
    echo "installing Debian's chromium (once)..."
    sudo=""
    [[ "$(id -u)" -eq 0 ]] || sudo="sudo"
    $sudo apt-get install -y -q chromium >/dev/null
fi

(cd examples/python && "$python" statements.py "$out/statements.html")

# A fresh profile, no network chatter: the flags a closed machine needs.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chrome=(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
        --disable-background-networking --disable-component-update --disable-sync
        --user-data-dir="$profile")
page="file://$out/statements.html"
"${chrome[@]}" --no-pdf-header-footer --print-to-pdf="$out/statements.pdf" "$page" 2>/dev/null
"${chrome[@]}" --window-size=794,1123 --screenshot="$out/statements.png" "$page" 2>/dev/null

# One page per customer: the PDF has as many pages as the HTML statements.
sections=$(grep -c '<section class="statement">' "$out/statements.html")
pages=$(grep -ac -e '/Type /Page$' -e '/Type /Page[^s]' "$out/statements.pdf" || true)
head -c 5 "$out/statements.pdf" | grep -q '%PDF-' || { echo "not a PDF" >&2; exit 1; }
if [[ "$pages" -lt "$sections" ]]; then
    echo "$pages PDF pages for $sections statements" >&2
    exit 1
fi
echo "$sections statements, $pages pages -> $out/statements.pdf, $out/statements.png"
