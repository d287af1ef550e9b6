"""The log stored one row per event: ``log_lines`` and ``append_log_line``
rebuild the same ledger row by row, and a row edited, dropped or repeated is
refused with the ledger left as it was."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import ar


def book() -> ar.Ledger:
    l = ar.Ledger()
    l.register_customer("ACME", "Acme", "USD")
    l.issue_invoice("INV-1", "ACME", "2026-03-01", [ar.Line("x", 1, Decimal("1000.00"))], terms="net 30")
    l.record_receipt("R-1", "2026-03-10", Decimal("250.00"), "USD", customer="ACME")
    l.apply("INV-1", Decimal("250.00"), "2026-03-10", receipt="R-1")
    return l


def test_rows_rebuild_the_same_ledger() -> None:
    l = book()
    lines = l.log_lines()
    assert len(lines) == len(l) == 4
    assert [json.loads(x)["seq"] for x in lines] == [1, 2, 3, 4]
    assert l.log_lines(2) == lines[2:] and l.log_lines(start=4) == []
    copy = ar.Ledger()
    for line in lines:
        copy.append_log_line(line)
    assert copy == l and copy.chain_head == l.chain_head
    assert copy.customer_balance("ACME")[0].net == Decimal("750.00")
    # New rows only: what a store appends after a command.
    l.record_receipt("R-2", "2026-03-11", Decimal("1.00"), "USD", customer="ACME")
    (new,) = l.log_lines(len(copy))
    copy.append_log_line(new)
    assert copy == l


def test_a_bad_row_is_refused_and_changes_nothing() -> None:
    lines = book().log_lines()
    copy = ar.Ledger()
    copy.append_log_line(lines[0])
    edited = lines[1].replace('"INV-1"', '"INV-X"')
    assert edited != lines[1]
    for bad, code in [
        (lines[2], "corrupt_log"),  # one dropped
        (edited, "corrupt_log"),  # edited
        (lines[0], "corrupt_log"),  # repeated
        ("not json", "corrupt_log"),
    ]:
        with pytest.raises(ar.LogError) as e:
            copy.append_log_line(bad)
        assert e.value.code == code
        assert len(copy) == 1
    with pytest.raises(ar.ArTypeError):
        copy.append_log_line(b"{}")  # type: ignore[arg-type]
    with pytest.raises(ar.ArTypeError):
        copy.log_lines(1.0)  # type: ignore[arg-type]
    with pytest.raises(ar.ValidationError):
        copy.log_lines(-1)
