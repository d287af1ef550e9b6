"""The cash forecast from Python: the hand-worked book of
``ar-core/tests/forecast.rs`` (delays learnt per customer and shrunk to the
book's, disputed items, weekly totals) and its back-test against the two
naive forecasts."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, List

import pytest

import ar


def d(text: str) -> Decimal:
    return Decimal(text)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def book() -> ar.Ledger:
    l = ar.Ledger()
    for c in ("ACME", "GLOBEX", "INITECH"):
        l.register_customer(c, c, "USD")

    def invoice(customer: str, id: str, date: str, net: int, amount: str) -> None:
        l.issue_invoice(id, customer, date, [ar.Line("x", 1, d(amount))], terms=f"net {net}")

    def pay(customer: str, id: str, date: str, amount: str) -> None:
        l.record_receipt(f"R-{id}", date, d(amount), "USD", customer=customer)
        l.apply(id, d(amount), date, receipt=f"R-{id}")

    # History, all due March 1: ACME pays 100.00 ten days late and 300.00
    # twenty days late; GLOBEX 400.00 two days early.
    invoice("ACME", "A1", "2026-02-01", 28, "100.00")
    invoice("ACME", "A2", "2026-02-01", 28, "300.00")
    invoice("GLOBEX", "G1", "2026-02-01", 28, "400.00")
    pay("ACME", "A1", "2026-03-11", "100.00")
    pay("ACME", "A2", "2026-03-21", "300.00")
    pay("GLOBEX", "G1", "2026-02-27", "400.00")
    # Open on April 1.
    invoice("ACME", "A3", "2026-03-11", 30, "200.00")  # due April 10
    invoice("GLOBEX", "G2", "2026-03-06", 30, "150.00")  # due April 5
    invoice("INITECH", "I1", "2026-02-18", 30, "80.00")  # due March 20
    invoice("ACME", "A4", "2026-03-16", 30, "50.00")  # due April 15
    l.set_dispute("A4", True, "2026-03-20", "wrong price")
    # After April 1: G2 on April 7, A3 on April 25; I1 never.
    pay("GLOBEX", "G2", "2026-04-07", "150.00")
    pay("ACME", "A3", "2026-04-25", "200.00")
    return l


APRIL = day("2026-04-01")


def test_delays_come_from_each_customers_history_shrunk_to_the_book() -> None:
    f = book().forecast(APRIL)
    assert f.as_of == APRIL
    # Book: (100 x 10 + 300 x 20 + 400 x -2) / 800 = 7.75 days -> 8.
    assert f.book_delay_days == 8
    assert [(i.invoice, i.delay_days, i.expected_date, i.expected_amount) for i in f.items] == [
        # INITECH, no history: 8 days after March 20 is already past: the
        # day after the forecast.
        ("I1", 8, day("2026-04-02"), d("80.00")),
        # GLOBEX: (1 x -2 + 5 x 7.75) / 6 = 6.125 -> 6 days.
        ("G2", 6, day("2026-04-11"), d("150.00")),
        # ACME: (2 x 17.5 + 5 x 7.75) / 7 = 10.54 -> 11 days after April 10;
        # A4 is disputed: left out.
        ("A3", 11, day("2026-04-21"), d("200.00")),
    ]
    assert [(i.customer, i.history, i.disputed) for i in f.items] == [
        ("INITECH", 0, False), ("GLOBEX", 1, False), ("ACME", 2, False)]
    # April 2 is in the week of Monday March 30; April 11 of April 6; April
    # 21 of April 20.
    assert [(w.start, w.currency, w.amount) for w in f.weekly] == [
        (day("2026-03-30"), "USD", d("80.00")),
        (day("2026-04-06"), "USD", d("150.00")),
        (day("2026-04-20"), "USD", d("200.00")),
    ]
    assert [(m.start, m.amount) for m in f.monthly] == [(day("2026-04-01"), d("430.00"))]
    assert sum(x.amount for x in f.daily) == d("430.00")


def test_disputed_items_at_a_share_and_the_shrinkage() -> None:
    l = book()
    with_disputed = l.forecast(APRIL, disputed_probability=d("0.5"))
    a4 = next(i for i in with_disputed.items if i.invoice == "A4")
    # Half of 50.00 on ACME's delay: 11 days after April 15.
    assert (a4.expected_date, a4.expected_amount, a4.disputed) == (day("2026-04-26"), d("25.00"), True)
    # No shrinkage: GLOBEX's own 2 days early, before April 5 is April 3.
    own = l.forecast(APRIL, shrinkage=0)
    g2 = next(i for i in own.items if i.invoice == "G2")
    assert (g2.delay_days, g2.expected_date) == (-2, day("2026-04-03"))


def test_the_backtest_compares_with_naive_forecasts() -> None:
    t = book().forecast_backtest(APRIL, 4)
    assert t.forecast == book().forecast(APRIL)
    assert [(w.start, w.forecast, w.actual, w.on_due_date, w.book_average) for w in t.weeks] == [
        # April 2-8: I1 expected; G2 paid; due: I1 and G2.
        (day("2026-04-02"), d("80.00"), d("150.00"), d("230.00"), d("80.00")),
        # April 9-15: G2 expected (11th); A3 due (10th); G2 + 8 = 13th.
        (day("2026-04-09"), d("150.00"), d("0.00"), d("200.00"), d("150.00")),
        # April 16-22: A3 expected (21st) and A3 + 8 = 18th.
        (day("2026-04-16"), d("200.00"), d("0.00"), d("0.00"), d("200.00")),
        # April 23-29: A3 paid on the 25th.
        (day("2026-04-23"), d("0.00"), d("200.00"), d("0.00"), d("0.00")),
    ]
    (e,) = t.errors
    # |80-150| + 150 + 200 + 200 = 620 over 4 weeks; bias 80 / 4; due
    # dates: 80 + 200 + 0 + 200 = 480 / 4.
    assert (e.currency, e.mae, e.bias, e.mae_on_due_date, e.mae_book_average) == (
        "USD", d("155.00"), d("20.00"), d("120.00"), d("155.00"))


@pytest.mark.parametrize(
    "call, error, code",
    [
        (lambda l: l.forecast(APRIL, disputed_probability=d("1.5")), ar.ValidationError, "invalid_amount"),
        (lambda l: l.forecast(APRIL, disputed_probability=0.5), ar.ArTypeError, "invalid_type"),
        (lambda l: l.forecast(APRIL, shrinkage=-1), ar.ValidationError, "invalid_value"),
        (lambda l: l.forecast(APRIL, shrinkage=True), ar.ArTypeError, "invalid_type"),
        (lambda l: l.forecast("2026-04-31"), ar.ValidationError, "invalid_date"),
        # Cash expected the day after 9999-12-31: past what a datetime.date holds.
        (lambda l: l.forecast(datetime.date.max), ar.ValidationError, "invalid_date"),
        (lambda l: l.forecast_backtest(APRIL, 0), ar.ValidationError, "invalid_value"),
        (lambda l: l.forecast_backtest(APRIL, 521), ar.ValidationError, "limit_exceeded"),
        (lambda l: l.forecast_backtest(APRIL, "4"), ar.ArTypeError, "invalid_type"),
    ],
)
def test_bad_arguments_are_typed_errors(call: Any, error: type, code: str) -> None:
    with pytest.raises(error) as e:
        call(book())
    assert e.value.code == code  # type: ignore[attr-defined]


def samples() -> List[Any]:
    """A back-test (holding a forecast) with every record, for ``test_layer``."""
    return [book().forecast_backtest(APRIL, 4)]
