"""The acceptance scenario of ``ar-core/tests/scenario.rs``, built through the
Python binding. Every figure is worked out by hand there:

- ACME, USD, terms 2/10 net 30.
- INV-1, 2026-03-01, tax-inclusive at 19 %: 2 x 59.50 = 119.00 gross (tax
  19.00, net 100.00) and 1 x 35.70 gross (tax 5.70, net 30.00). Total
  154.70; due 2026-03-31; 2 % discount 3.09 until 03-11.
- INV-2, 2026-03-05: 200.00, no tax.
- INV-3, 2026-03-06: 50.00; voided 03-07.
- INV-4, 2026-03-02: 500.00; paid 03-10 by R3 490.00 + 10.00 discount.
- R1 100.00 on 03-08, applied to INV-1: INV-1 54.70 open.
- CM-1 on 03-09 credits INV-1 line 1 (35.70) and is applied: INV-1 19.00.
- R2 250.00 on 03-10: 200.00 to INV-2 (paid), 19.00 to INV-1 (paid), 31.00
  left over. The 19.00 is unapplied on 03-12 (recorded 03-12).

Final: INV-1 19.00 open, R2 50.00 unapplied, net -31.00.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import ar


def d(text: str) -> Decimal:
    return Decimal(text)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def at(text: str) -> datetime.datetime:
    """An RFC 3339 UTC timestamp such as ``"2026-03-01T08:00:00Z"``."""
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def build() -> ar.Ledger:
    l = ar.Ledger()
    l.register_customer(
        "ACME", "Acme Corp", "USD", terms="2/10 net 30", recorded=at("2026-03-01T08:00:00Z")
    )
    l.issue_invoice(
        "INV-1",
        "ACME",
        day("2026-03-01"),
        [
            ar.Line("Widget", 2, d("59.50"), taxes=[("VAT19", 19)]),
            ar.Line("Service", 1, d("35.70"), taxes=[("VAT19", 19)]),
        ],
        tax_mode="inclusive",
        recorded=at("2026-03-01T09:00:00Z"),
    )

    def simple(id: str, date: str, amount: str) -> None:
        l.issue_invoice(
            id,
            "ACME",
            date,
            [ar.Line("Goods", 1, d(amount))],
            recorded=at(f"{date}T09:00:00Z"),
        )

    simple("INV-4", "2026-03-02", "500.00")
    simple("INV-2", "2026-03-05", "200.00")
    simple("INV-3", "2026-03-06", "50.00")
    l.void_invoice("INV-3", "2026-03-07", "issued in error", recorded=at("2026-03-07T09:00:00Z"))

    def receipt(id: str, date: str, amount: str) -> None:
        l.record_receipt(
            id,
            date,
            d(amount),
            "USD",
            customer="ACME",
            method="check",
            recorded=at(f"{date}T09:00:00Z" if id != "R2" else f"{date}T10:00:00Z"),
        )

    receipt("R1", "2026-03-08", "100.00")
    l.apply("INV-1", d("100.00"), "2026-03-08", receipt="R1", id="A1",
            recorded=at("2026-03-08T09:01:00Z"))
    l.issue_credit_memo(
        "CM-1",
        "ACME",
        "2026-03-09",
        against="INV-1",
        lines=[(1, None)],
        reason="service not rendered",
        recorded=at("2026-03-09T09:00:00Z"),
    )
    l.apply("INV-1", d("35.70"), "2026-03-09", credit_memo="CM-1", id="A2",
            recorded=at("2026-03-09T09:01:00Z"))
    receipt("R3", "2026-03-10", "490.00")
    l.apply("INV-4", d("490.00"), "2026-03-10", receipt="R3", discount=d("10.00"), id="A3",
            recorded=at("2026-03-10T09:01:00Z"))
    receipt("R2", "2026-03-10", "250.00")
    l.apply("INV-2", d("200.00"), "2026-03-10", receipt="R2", id="A4",
            recorded=at("2026-03-10T10:01:00Z"))
    l.apply("INV-1", d("19.00"), "2026-03-10", receipt="R2", id="A5",
            recorded=at("2026-03-10T10:02:00Z"))
    l.unapply("A5", "2026-03-12", "wrong invoice", recorded=at("2026-03-12T09:00:00Z"))
    return l
