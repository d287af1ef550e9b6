"""Shared fixtures: the acceptance scenario's ledger (see ``scenario.py``)."""

from __future__ import annotations

import pytest

import ar
from scenario import build


@pytest.fixture
def ledger() -> ar.Ledger:
    """A fresh copy of the acceptance scenario."""
    return build()
