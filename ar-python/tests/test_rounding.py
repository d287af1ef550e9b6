"""Rounding and exact splitting, with figures worked by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

import ar

D = Decimal


def three_lines() -> list[ar.Line]:
    # Each line: 0.10 net at 15 % -> 0.015 tax.
    return [ar.Line("x", 1, D("0.10"), taxes=[("VAT", 15)]) for _ in range(3)]


def test_per_line_and_per_document_tax_differ_by_a_cent() -> None:
    per_line = ar.compute_totals(three_lines(), "USD")
    per_doc = ar.compute_totals(three_lines(), "USD", tax_rounding="per_document")
    # Per line: round(0.015) = 0.02, three lines = 0.06.
    assert (per_line.net, per_line.tax, per_line.total) == (D("0.30"), D("0.06"), D("0.36"))
    # Per document: 0.045 -> 0.05, spread back as 0.02 + 0.02 + 0.01.
    assert (per_doc.net, per_doc.tax, per_doc.total) == (D("0.30"), D("0.05"), D("0.35"))
    assert [l.tax for l in per_doc.lines] == [D("0.02"), D("0.02"), D("0.01")]
    assert [(t.code, t.rate, t.taxable, t.tax) for t in per_doc.taxes] == [
        ("VAT", D("15"), D("0.30"), D("0.05"))
    ]


def test_allocate_a_hundred_in_three() -> None:
    parts = ar.allocate(D("100.00"), [1, 1, 1], "USD")
    assert parts == [D("33.34"), D("33.33"), D("33.33")]
    assert [str(p) for p in parts] == ["33.34", "33.33", "33.33"]
    assert sum(parts) == D("100.00")
    # An int total comes back at the minor unit.
    assert [str(p) for p in ar.allocate(100, [1, 1, 1], "USD")] == ["33.34", "33.33", "33.33"]
    # Largest remainder wins the cent: 10.00 by 1:2:3.
    assert ar.allocate(D("10.00"), [D("1"), D("2"), D("3")], "USD") == [
        D("1.67"),
        D("3.33"),
        D("5.00"),
    ]
    # Negative totals mirror positive ones.
    assert ar.allocate(D("-100.00"), (1, 1, 1), "USD") == [D("-33.34"), D("-33.33"), D("-33.33")]
    assert ar.allocate(1000, [1, 1, 1], "JPY") == [D("334"), D("333"), D("333")]
    assert ar.allocate(D("1.000"), [1, 1, 1], "KWD") == [D("0.334"), D("0.333"), D("0.333")]


def test_allocate_refuses_bad_weights() -> None:
    for weights in ([], [0], [-1, 2]):
        with pytest.raises(ar.ValidationError) as e:
            ar.allocate(D("1.00"), weights, "USD")
        assert e.value.code == "invalid_value"
    with pytest.raises(ar.ValidationError) as e:
        ar.allocate(D("1.001"), [1], "USD")
    assert e.value.code == "invalid_amount"
    with pytest.raises(ar.ArTypeError) as t:
        ar.allocate(D("1.00"), [1.0], "USD")  # type: ignore[list-item]
    assert "weights[0]" in t.value.message


def test_jpy_three_times_333_at_ten_percent() -> None:
    t = ar.compute_totals([ar.Line("x", 3, 333, taxes=[("CT", 10)])], "JPY")
    # 999 yen, tax 99.9 -> 100, total 1,099.
    assert (t.net, t.tax, t.total) == (D("999"), D("100"), D("1099"))
    assert str(t.total) == "1099"
    assert ar.minor_units("JPY") == 0


def test_kwd_installments() -> None:
    equal = ar.Terms.installments(
        [ar.Installment("net 30"), ar.Installment("net 60"), ar.Installment("net 90")]
    )
    parts = ar.schedule(equal, datetime.date(2026, 1, 1), D("12.346"), "KWD")
    assert [p.amount for p in parts] == [D("4.116"), D("4.115"), D("4.115")]
    assert [p.number for p in parts] == [1, 2, 3]
    assert [p.due_date for p in parts] == [
        datetime.date(2026, 1, 31),
        datetime.date(2026, 3, 2),
        datetime.date(2026, 4, 1),
    ]
    assert ar.minor_units("KWD") == 3
    # 1.2345 -> 1.235 half away from zero, 1.234 half even; 5 % tax 0.06175 -> 0.062.
    t = ar.compute_totals([ar.Line("x", 1, D("1.2345"), taxes=[("T", 5)])], "KWD")
    assert (t.net, t.tax, t.total) == (D("1.235"), D("0.062"), D("1.297"))
    even = ar.compute_totals(
        [ar.Line("x", 1, D("1.2345"), taxes=[("T", 5)])], "KWD", rounding="half_even"
    )
    assert even.net == D("1.234")


def test_percent_fixed_and_remainder_installments() -> None:
    terms = ar.Terms.installments(
        [
            ar.Installment("due on receipt", amount=D("10.00")),
            ar.Installment("net 30", percent=50, discount_percent=2, discount_days=10),
            ar.Installment("EOM + 15", remainder=True),
        ]
    )
    parts = ar.schedule(terms, "2026-03-10", D("100.01"), "USD")
    # 50 % of 100.01 = 50.005 -> 50.01 (half away from zero); the rest 40.00.
    assert [p.amount for p in parts] == [D("10.00"), D("50.01"), D("40.00")]
    assert [p.due_date for p in parts] == [
        datetime.date(2026, 3, 10),
        datetime.date(2026, 4, 9),
        datetime.date(2026, 4, 15),
    ]
    offer = parts[1].discount
    assert offer is not None
    # 2 % of 50.01 = 1.0002 -> 1.00, until 03-20.
    assert (offer.until, offer.percent, offer.amount) == (
        datetime.date(2026, 3, 20),
        D("2"),
        D("1.00"),
    )
    even = ar.schedule(terms, "2026-03-10", D("100.01"), "USD", rounding="half_even")
    # 50.005 -> 50.00 half even; the rest 40.01.
    assert [p.amount for p in even] == [D("10.00"), D("50.00"), D("40.01")]


def test_half_even_versus_half_away_from_zero() -> None:
    assert ar.round_amount(D("0.125"), "USD") == D("0.13")
    assert ar.round_amount(D("0.125"), "USD", "half_away_from_zero") == D("0.13")
    assert ar.round_amount(D("0.125"), "USD", "half_even") == D("0.12")
    assert ar.round_amount(D("0.135"), "USD", "half_even") == D("0.14")
    assert ar.round_amount(D("-0.125"), "USD") == D("-0.13")
    assert ar.round_amount(D("2.5"), "JPY") == D("3")
    assert ar.round_amount(D("2.5"), "JPY", "half_even") == D("2")
    # Always at the minor unit, also when nothing is rounded.
    assert str(ar.round_amount(7, "USD")) == "7.00"
    assert str(ar.round_amount(D("1.5"), "KWD")) == "1.500"
    with pytest.raises(ar.ValidationError) as e:
        ar.round_amount(D("1"), "USD", "banker")  # type: ignore[arg-type]
    assert e.value.code == "invalid_value"
    assert "half_even" in e.value.message


def test_line_discounts_and_inclusive_tax() -> None:
    # 3 x 19.99 = 59.97, 10 % off = 53.973 -> 53.97; tax 20 % = 10.794 -> 10.79.
    l = ar.Line("x", 3, D("19.99"), discount_percent=10, taxes=[("T", 20)])
    t = ar.compute_totals([l], "USD")
    assert (t.net, t.tax, t.total) == (D("53.97"), D("10.79"), D("64.76"))
    l = ar.Line("x", 3, D("19.99"), discount_amount=D("9.97"))
    assert ar.compute_totals([l], "USD").total == D("50.00")
    # Inclusive: 119.00 gross at 19 % is 100.00 net + 19.00 tax.
    t = ar.compute_totals(
        [ar.Line("x", 1, D("119.00"), taxes=[("V", 19)])], "USD", tax_mode="inclusive"
    )
    assert [(x.net, x.tax, x.gross) for x in t.lines] == [(D("100.00"), D("19.00"), D("119.00"))]


def test_any_sequence_of_lines_and_weights() -> None:
    import collections

    lines = collections.deque(three_lines())
    assert ar.compute_totals(lines, "USD").tax == D("0.06")
    assert ar.compute_totals(tuple(three_lines()), "USD").tax == D("0.06")
    assert ar.allocate(D("1.00"), range(1, 3), "USD") == [D("0.33"), D("0.67")]
    with pytest.raises(ar.ArTypeError) as e:
        ar.allocate(D("1.00"), "12", "USD")  # a str is no list of weights
    assert e.value.message == "weights: expected list of decimal.Decimal, int or decimal str, got str"
    with pytest.raises(ar.ArTypeError):
        ar.compute_totals(iter(three_lines()), "USD")  # type: ignore[arg-type]
