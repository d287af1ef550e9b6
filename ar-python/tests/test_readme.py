"""Runs every ``>>>`` example of ``ar-python/README.md``, so the docs cannot
drift from the code."""

from __future__ import annotations

import doctest
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_examples() -> None:
    result = doctest.testfile(
        str(README),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        raise_on_error=False,
        verbose=False,
    )
    assert result.attempted > 40
    assert result.failed == 0, f"{result.failed} README example(s) failed (see output above)"


ROOT_README = Path(__file__).resolve().parents[2] / "README.md"


def test_root_readme_quick_start() -> None:
    """The Python quick start of the top-level README runs as written."""
    result = doctest.testfile(
        str(ROOT_README),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        raise_on_error=False,
        verbose=False,
    )
    assert result.attempted >= 10
    assert result.failed == 0, f"{result.failed} root README example(s) failed (see output above)"
