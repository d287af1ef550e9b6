"""The books of ``ar-core/tests/reports.rs``, built through the Python
binding. Every figure is worked out by hand there.

``aging_book()``: as of 2026-06-30, due-date basis, default buckets:

| item | due | days | bucket | open |
|---|---|---|---|---|
| A I1 100.00 | 07-10 | -10 | current | 100.00 |
| A I2 200.00 | 05-31 | 30 | 1-30 | 200.00 |
| A I3 300.00, 50.00 paid 06-20 | 03-31 | 91 | 91-120 | 250.00 |
| A I7 90.00 in 3 x 30.00 | 06-14 / 07-14 / 08-13 | 16 / -14 / -44 | 1-30, current x 2 | 90.00 |
| B I4 400.00 | 02-14 | 136 | over 120 | 400.00 |
| B I5 500.00, 100.00 paid 06-25 (recorded 07-10) | 05-15 | 46 | 31-60 | 400.00 |
| C I6 EUR 600.00 | 05-01 | 60 | 31-60 | 600.00 |

A (region EMEA) has a 25.00 standalone credit; B's (AMER) 170.00 receipt
leaves 70.00 unapplied; C (EUR) has no region. A's I2 gets 100.00 on 07-05,
after the as-of date.

``metrics_book()``: customer D, period 2026-04-01 to 06-30 (91 days): J1
03-15 1,000.00 due 04-14, paid 04-20; J2 04-10 2,000.00 due 05-10, 1,500.00
paid 05-05; J3 05-20 3,000.00 due 06-19; J4 06-25 600.00 due 07-25.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Optional, Sequence, Tuple

import ar
from scenario import at, d

OPENING = at("2026-01-01T00:00:00Z")


def _customer(l: ar.Ledger, id: str, currency: str, region: Optional[str]) -> None:
    l.register_customer(
        id,
        id,
        currency,
        dimensions={"region": region} if region is not None else None,
        recorded=OPENING,
    )


def _invoice(l: ar.Ledger, id: str, customer: str, date: str, amount: str,
             terms: "ar.Terms | str" = "net 30") -> None:
    l.issue_invoice(
        id, customer, date, [ar.Line("x", 1, d(amount))], terms=terms, recorded=OPENING
    )


def _pay(
    l: ar.Ledger,
    receipt: str,
    customer: str,
    date: str,
    amount: str,
    applied: Sequence[Tuple[str, str]],
    recorded: str,
) -> None:
    currency = l.customer_balance(customer)[0].currency
    l.record_receipt(
        receipt, date, d(amount), currency, customer=customer, method="wire",
        recorded=at(recorded),
    )
    for invoice, value in applied:
        l.apply(invoice, d(value), date, receipt=receipt, recorded=at(recorded))


def aging_book() -> ar.Ledger:
    l = ar.Ledger()
    _customer(l, "A", "USD", "EMEA")
    _customer(l, "B", "USD", "AMER")
    _customer(l, "C", "EUR", None)
    _invoice(l, "I1", "A", "2026-06-10", "100.00")
    _invoice(l, "I2", "A", "2026-05-01", "200.00")
    _invoice(l, "I3", "A", "2026-03-01", "300.00")
    _invoice(l, "I4", "B", "2026-01-15", "400.00")
    _invoice(l, "I5", "B", "2026-04-15", "500.00")
    _invoice(l, "I6", "C", "2026-04-01", "600.00")
    equal = ar.Terms.installments(
        [ar.Installment("net 30"), ar.Installment("net 60"), ar.Installment("net 90")]
    )
    _invoice(l, "I7", "A", "2026-05-15", "90.00", equal)
    l.issue_credit_memo(
        "CM1", "A", "2026-06-01", amount=d("25.00"), recorded=at("2026-06-01T00:00:00Z")
    )
    _pay(l, "RA", "A", "2026-06-20", "50.00", [("I3", "50.00")], "2026-06-20T12:00:00Z")
    _pay(l, "RA2", "A", "2026-07-05", "100.00", [("I2", "100.00")], "2026-07-05T12:00:00Z")
    _pay(l, "RB", "B", "2026-06-25", "170.00", [("I5", "100.00")], "2026-07-10T12:00:00Z")
    return l


def metrics_book() -> ar.Ledger:
    l = ar.Ledger()
    _customer(l, "D", "USD", None)
    _invoice(l, "J1", "D", "2026-03-15", "1000.00")
    _invoice(l, "J2", "D", "2026-04-10", "2000.00")
    _invoice(l, "J3", "D", "2026-05-20", "3000.00")
    _invoice(l, "J4", "D", "2026-06-25", "600.00")
    _pay(l, "P1", "D", "2026-04-20", "1000.00", [("J1", "1000.00")], "2026-04-20T00:00:00Z")
    _pay(l, "P2", "D", "2026-05-05", "1500.00", [("J2", "1500.00")], "2026-05-05T00:00:00Z")
    return l


def amounts(values: Sequence[Decimal]) -> list[str]:
    """Amounts as text, to compare scale and value at once."""
    return [str(v) for v in values]
