"""``heap_bytes`` and ``sys.getsizeof``: what a ``Ledger`` or ``Book`` holds
outside its Python object. The estimate is checked against the allocator
itself in ``ar-core/tests/heap.rs``; here, that Python sees it, that it
grows with the book, and that ``sys.getsizeof`` includes it.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Any

import pytest

import ar
from scenario import at

pd: Any = pytest.importorskip("pandas")

RECORDED = at("2026-07-01T09:00:00Z")


def tables(n: int) -> dict[str, Any]:
    """``n`` invoices of 150.00 over 10 customers, each paid 40.00 by a
    receipt of its own."""
    ids = [f"INV-{i:06}" for i in range(n)]
    receipts = [f"R-{i:06}" for i in range(n)]
    customers = [f"C{i % 10}" for i in range(n)]
    day = pd.to_datetime(["2026-05-01"] * n)
    return {
        "customers": pd.DataFrame({"id": [f"C{i}" for i in range(10)]}),
        "invoices": pd.DataFrame(
            {
                "id": ids,
                "customer": customers,
                "date": day,
                "due_date": pd.to_datetime(["2026-05-31"] * n),
                "amount": pd.Series([Decimal("150.00")] * n, dtype=object),
            }
        ),
        "receipts": pd.DataFrame(
            {
                "id": receipts,
                "customer": customers,
                "date": day,
                "amount": pd.Series([Decimal("40.00")] * n, dtype=object),
            }
        ),
        "applications": pd.DataFrame(
            {
                "receipt": receipts,
                "invoice": ids,
                "date": day,
                "amount": pd.Series([Decimal("40.00")] * n, dtype=object),
            }
        ),
    }


def ledger(n: int) -> ar.Ledger:
    t = tables(n)
    return ar.Ledger.from_tables(
        t["customers"],
        t["invoices"],
        receipts=t["receipts"],
        applications=t["applications"],
        currency="USD",
        recorded=RECORDED,
    )


def test_a_ledger_reports_what_it_holds_and_it_grows_with_the_book() -> None:
    assert ar.Ledger().heap_bytes == 0
    small, large = ledger(2_000), ledger(4_000)
    # 10 customers and three events (invoice, receipt, application) per
    # invoice; each event keeps at least its ids, dates and amounts.
    assert len(small) == 10 + 3 * 2_000
    assert small.heap_bytes > 100 * len(small)
    # Twice the invoices, about twice the memory: nothing is counted per
    # ledger that should be per record, nor the other way round.
    ratio = large.heap_bytes / small.heap_bytes
    assert 1.8 < ratio < 2.2, ratio
    # `sys.getsizeof` adds the object itself (a few kB of headers of its
    # columns and tables) and the GC's header to it.
    assert small.heap_bytes < sys.getsizeof(small) < small.heap_bytes + 10_000


def test_a_command_adds_to_the_estimate() -> None:
    book = ledger(100)
    before = book.heap_bytes
    book.register_customer("NEW", "A customer registered later", "USD")
    assert book.heap_bytes > before


def test_a_book_reports_what_it_holds() -> None:
    t = tables(3_000)
    settlements = t["applications"][["invoice", "date", "amount"]]
    book = ar.Book(t["invoices"], settlements, currency="USD")
    # Per invoice at least its id (10 bytes), date, due date and amount.
    assert book.heap_bytes > 3_000 * (10 + 4 + 4 + 8)
    assert book.heap_bytes < sys.getsizeof(book) < book.heap_bytes + 10_000
