"""``examples/python/demo.py`` prints exactly the hand-worked report of
``examples/expected/demo.txt``, byte for byte (the Rust demo prints it too)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DEMO = EXAMPLES / "python" / "demo.py"


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, str(DEMO), *args], capture_output=True, check=False, timeout=120
    )


def test_demo_prints_the_expected_report() -> None:
    out = run()
    assert out.returncode == 0, out.stderr.decode()
    assert out.stdout == (EXAMPLES / "expected" / "demo.txt").read_bytes()


def test_demo_takes_a_data_dir_and_a_date() -> None:
    out = run(str(EXAMPLES / "data" / "sample"), "2026-11-23")
    assert out.returncode == 0, out.stderr.decode()
    assert out.stdout == (EXAMPLES / "expected" / "demo.txt").read_bytes()
    earlier = run(str(EXAMPLES / "data" / "sample"), "2026-09-30")
    assert earlier.returncode == 0, earlier.stderr.decode()
    assert earlier.stdout.startswith(b"Open items as of 2026-09-30\n")


def test_demo_says_how_to_use_it_and_reports_bad_dates() -> None:
    help = run("--help")
    assert help.returncode == 0
    assert help.stdout.startswith(b"usage: demo.py [DATA_DIR] [AS_OF]\n")
    out = run(str(EXAMPLES / "data" / "sample"), "2026-13-01")
    assert out.returncode == 2
    assert out.stderr.startswith(b"error: AS_OF must be a date")
