"""Aging, metrics, provisions and roll rates through the binding, with the
figures worked by hand in ``ar-core/tests/reports.rs`` and the unit tests of
``ar-core/src/metrics.rs`` and ``ar-core/src/provision.rs``."""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal
from typing import Any, Callable

import pytest

import ar
import ar.metrics
from reports_book import aging_book, amounts, metrics_book
from scenario import at, d, day

DEFAULT_LABELS = ["current", "1-30", "31-60", "61-90", "91-120", "over 120"]


def raises(cls: type[ar.ArError], code: str, call: Callable[[], object]) -> ar.ArError:
    with pytest.raises(cls) as e:
        call()
    assert e.value.code == code, e.value.message
    return e.value


def row(report: ar.AgingReport, group: list[str], currency: str) -> ar.AgingRow:
    found = [r for r in report.rows if r.group == group and r.currency == currency]
    assert len(found) == 1, (group, currency, report.rows)
    return found[0]


def total(report: ar.AgingReport, currency: str) -> ar.AgingRow:
    found = [t for t in report.totals if t.currency == currency]
    assert len(found) == 1
    return found[0]


# ----- aging ------------------------------------------------------------------


def test_aging_by_customer_hand_worked() -> None:
    r = aging_book().aging("2026-06-30")
    assert (r.as_of, r.basis, r.group_by) == (day("2026-06-30"), "due_date", ["customer"])
    assert r.labels == DEFAULT_LABELS
    a = row(r, ["A"], "USD")
    # current 100 + 30 + 30; 1-30 200 + 30; 91-120 250.
    assert amounts(a.buckets) == ["160.00", "230.00", "0.00", "0.00", "250.00", "0.00"]
    assert (a.total, a.open_credits, a.unapplied_cash, a.net) == (
        d("640.00"),
        d("25.00"),
        d("0.00"),
        d("615.00"),
    )
    assert a.items == 6
    b = row(r, ["B"], "USD")
    assert amounts(b.buckets) == ["0.00", "0.00", "400.00", "0.00", "0.00", "400.00"]
    assert amounts([b.total, b.unapplied_cash, b.net]) == ["800.00", "70.00", "730.00"]
    usd = total(r, "USD")
    assert amounts(usd.buckets) == ["160.00", "230.00", "400.00", "0.00", "250.00", "400.00"]
    assert amounts([usd.total, usd.net]) == ["1440.00", "1345.00"]
    assert usd.group == []
    eur = total(r, "EUR")
    assert amounts(eur.buckets) == ["0.00", "0.00", "600.00", "0.00", "0.00", "0.00"]
    # Rows in order of first appearance; totals in currency-code order.
    assert [x.group for x in r.rows] == [["A"], ["B"], ["C"]]
    assert [t.currency for t in r.totals] == ["EUR", "USD"]
    assert r.detail == []


def test_aging_as_known_at_excludes_later_recordings() -> None:
    l = aging_book()
    # The 06-25 payment was recorded on 07-10: as the books stood on 07-01,
    # I5 was 500.00 and there was no cash.
    r = l.aging("2026-06-30", known_at=at("2026-07-01T00:00:00Z"))
    b = row(r, ["B"], "USD")
    assert amounts([b.buckets[2], b.unapplied_cash]) == ["500.00", "0.00"]
    # Including it (no known_at): 400.00 and 70.00 of cash.
    b = row(l.aging(day("2026-06-30")), ["B"], "USD")
    assert amounts([b.buckets[2], b.unapplied_cash]) == ["400.00", "70.00"]
    # As of 07-05 A's I2 has 100.00 paid.
    assert row(l.aging("2026-07-05"), ["A"], "USD").total == d("540.00")


def test_aging_by_region_on_invoice_date_with_detail() -> None:
    r = aging_book().aging(
        "2026-06-30",
        group_by=["customer.region"],
        basis="invoice_date",
        buckets=[30, 60, 90],
        detail=True,
    )
    assert r.labels == ["up to 30", "31-60", "61-90", "over 90"]
    assert (r.basis, r.group_by) == ("invoice_date", ["region"])
    # EMEA (A) by invoice date: I1 20 days, I2 60, I3 121, I7 46 (all three installments).
    emea = row(r, ["EMEA"], "USD")
    assert amounts(emea.buckets) == ["100.00", "290.00", "0.00", "250.00"]
    # C has no region: grouped under "".
    assert row(r, [""], "EUR").total == d("600.00")
    # I1-I6, I7's three installments, one credit and one cash line.
    assert len(r.detail) == 11
    i7 = [x for x in r.detail if x.id == "I7"]
    assert [x.installment for x in i7] == [1, 2, 3]
    assert [x.due_date for x in i7] == [day("2026-06-14"), day("2026-07-14"), day("2026-08-13")]
    assert {x.days for x in i7} == {46}
    usd = [x.open for x in r.detail if x.kind == "invoice" and x.currency == "USD"]
    assert sum(usd, Decimal(0)) == d("1440.00")
    credit = [x for x in r.detail if x.kind == "credit_memo"]
    assert [(c.id, c.customer, c.group, c.open, c.bucket, c.due_date) for c in credit] == [
        ("CM1", "A", ["EMEA"], d("25.00"), None, None)
    ]
    cash = [x for x in r.detail if x.kind == "unapplied_cash"]
    assert [(c.id, c.open, c.days) for c in cash] == [("RB", d("70.00"), 5)]
    i1 = next(x for x in r.detail if x.id == "I1")
    assert (i1.days, i1.bucket, r.labels[i1.bucket or 0]) == (20, 0, "up to 30")


def test_aging_whole_book_and_by_invoice_dimension() -> None:
    l = aging_book()
    r = l.aging("2026-06-30", group_by=[])
    assert r.group_by == []
    assert [(x.group, x.currency, x.total) for x in r.rows] == [
        ([], "USD", d("1440.00")),
        ([], "EUR", d("600.00")),
    ]
    # No invoice carries a "project" dimension: one "" group per currency.
    r = l.aging("2026-06-30", group_by=("customer", "invoice.project"))
    assert r.group_by == ["customer", "project"]
    assert row(r, ["A", ""], "USD").total == d("640.00")


def test_aging_records_are_frozen_values() -> None:
    l = aging_book()
    r = l.aging("2026-06-30", detail=True)
    assert r == l.aging(datetime.date(2026, 6, 30), detail=True)
    assert r != l.aging("2026-06-30")
    a = r.rows[0]
    with pytest.raises(AttributeError):
        a.total = Decimal(0)  # type: ignore[misc]
    assert repr(a).startswith("AgingRow(group=['A'], currency='USD', buckets=[Decimal('160.00')")
    assert a.to_dict()["net"] == d("615.00")
    assert repr(r) == (
        "<ar.AgingReport as of 2026-06-30 by ['customer'] (due_date): "
        "3 rows, 2 totals, 11 detail lines>"
    )
    as_dict = r.to_dict()
    assert as_dict["totals"][1]["buckets"][5] == d("400.00")
    assert as_dict["detail"][0]["kind"] == "invoice"
    assert repr(r.detail[0]).startswith("AgingLine(group=['A'], kind='invoice', customer='A'")


def test_aging_bad_input() -> None:
    l = aging_book()

    def aging(**options: Any) -> object:
        """Deliberately untyped: these calls break the stubs on purpose."""
        return l.aging("2026-06-30", **options)

    for bad in ("region", "customer.", "invoice.", "vendor.name", ""):
        e = raises(ar.ValidationError, "invalid_value", lambda: aging(group_by=[bad]))
        assert e.message.startswith(f'group_by: "{bad}" is not allowed'), e.message
    e = raises(ar.ArTypeError, "invalid_type", lambda: aging(group_by="customer"))
    assert "list of str" in e.message
    raises(ar.ArTypeError, "invalid_type", lambda: aging(group_by=[1]))
    for bounds in ([30, 30], [60, 30, 90], []):
        e = raises(ar.ValidationError, "invalid_value", lambda: aging(buckets=bounds))
        assert e.message.startswith("buckets:"), e.message
    e = raises(ar.ArTypeError, "invalid_type", lambda: aging(buckets=[30.0]))
    assert e.message == "buckets[0]: expected int, got float"
    assert isinstance(e, TypeError)
    raises(ar.ArTypeError, "invalid_type", lambda: aging(buckets=[True]))
    raises(ar.ArTypeError, "invalid_type", lambda: aging(buckets=(0, "30")))
    raises(ar.ValidationError, "invalid_value", lambda: aging(basis="due"))
    raises(ar.ArTypeError, "invalid_type", lambda: aging(detail=1))
    raises(ar.ArTypeError, "invalid_type", lambda: aging(known_at=datetime.datetime(2026, 7, 1)))
    raises(ar.ArTypeError, "invalid_type", lambda: l.aging(datetime.datetime(2026, 6, 30)))
    raises(ar.ValidationError, "invalid_date", lambda: l.aging("2026-06-31"))


def test_negative_bucket_bounds_split_what_is_not_yet_due() -> None:
    r = aging_book().aging("2026-06-30", buckets=[-30, 0], group_by=[])
    assert r.labels == ["up to -30", "-29-0", "over 0"]
    # Not yet due: I7's third installment 44 days ahead; I1 10 and I7's second 14 days ahead.
    usd = total(r, "USD")
    assert amounts(usd.buckets) == ["30.00", "130.00", "1280.00"]


# ----- metrics ----------------------------------------------------------------


def test_metrics_hand_worked() -> None:
    rows = metrics_book().metrics("2026-04-01", "2026-06-30")
    assert len(rows) == 1
    m = rows[0]
    assert (m.group, m.currency, m.start, m.end, m.days) == (
        [],
        "USD",
        day("2026-04-01"),
        day("2026-06-30"),
        91,
    )
    # AR at 03-31: J1 1,000. At 06-30: 500 + 3,000 + 600 = 4,100, of which J4's 600 not yet due.
    assert amounts([m.ar_begin, m.ar_end, m.current_end, m.credit_sales]) == [
        "1000.00",
        "4100.00",
        "600.00",
        "5600.00",
    ]
    assert m.dso_period_end == d("66.625")  # 4,100 / 5,600 x 91
    assert m.dso_average == d("41.4375")  # (1,000 + 4,100) / 2 / 5,600 x 91
    assert m.dso_countback == d("68.5")  # June 30 + May 31 + 500 / 2,000 of April's 30
    assert m.best_possible_dso == d("9.75")  # 600 / 5,600 x 91
    assert m.average_days_delinquent == d("56.875")
    assert m.cei is not None and round(m.cei, 4) == d("41.6667")  # 2,500 / 6,000
    assert m.ar_turnover is not None and round(m.ar_turnover, 4) == d("2.1961")
    assert m.percent_current is not None and round(m.percent_current, 4) == d("14.6341")
    assert m.percent_past_due is not None and round(m.percent_past_due, 4) == d("85.3659")
    # Payments: 1,000 after 36 days (6 late), 1,500 after 25 days (5 early).
    t = m.timing
    assert t.payments == 2
    assert t.average_days_to_pay == d("30.5")
    assert t.weighted_days_to_pay == d("29.4")  # (36,000 + 37,500) / 2,500
    assert t.average_days_beyond_terms == d("0.5")
    assert t.weighted_days_beyond_terms == d("-0.6")  # (6,000 - 7,500) / 2,500
    # Full precision, not rounded by the binding.
    assert m.cei == d("41.666666666666666666666666667")
    assert m.to_dict()["timing"]["payments"] == 2


def test_metrics_monthly_average_cei() -> None:
    l = metrics_book()
    # Sales 5,600 / 3 = 1,866.67: (1,000 + 1,866.67 - 4,100) / (1,000 + 1,866.67 - 600) = -54.41 %.
    (m,) = l.metrics("2026-04-01", "2026-06-30", cei="monthly_average", cei_months=3)
    assert m.cei is not None and round(m.cei, 2) == d("-54.41")
    e = raises(
        ar.ValidationError,
        "invalid_value",
        lambda: l.metrics("2026-04-01", "2026-06-30", cei="monthly_average"),
    )
    assert e.message.startswith("cei_months:")
    raises(
        ar.ValidationError,
        "invalid_value",
        lambda: l.metrics("2026-04-01", "2026-06-30", cei_months=3),
    )
    q2: Any = functools.partial(l.metrics, "2026-04-01", "2026-06-30")
    raises(ar.ValidationError, "invalid_value", lambda: q2(cei="sales"))


def test_metrics_with_no_sales_are_none_not_nan() -> None:
    (m,) = metrics_book().metrics("2026-08-01", "2026-08-31")
    assert m.credit_sales == d("0.00")
    assert (m.dso_period_end, m.dso_average, m.best_possible_dso, m.average_days_delinquent) == (
        None,
        None,
        None,
        None,
    )
    assert m.timing.payments == 0 and m.timing.average_days_to_pay is None


def test_metrics_group_by_known_at_and_bad_input() -> None:
    l = metrics_book()
    (m,) = l.metrics("2026-04-01", "2026-06-30", group_by=["customer"], countback_months=2)
    assert m.group == ["D"]
    # Two months back (June, May) explain only 3,600 of the 4,100: no countback DSO.
    assert m.dso_countback is None
    # Before P2 was recorded J2 was still open in full.
    (k,) = l.metrics("2026-04-01", "2026-06-30", known_at=at("2026-05-01T00:00:00Z"))
    assert k.ar_end == d("5600.00") and k.timing.payments == 1
    e = raises(ar.ValidationError, "invalid_value", lambda: l.metrics("2026-06-30", "2026-04-01"))
    assert e.message.startswith("period.end:")
    q2: Any = functools.partial(l.metrics, "2026-04-01", "2026-06-30")
    raises(ar.ValidationError, "invalid_value", lambda: q2(group_by=["x"]))
    raises(ar.ArTypeError, "invalid_type", lambda: q2(countback_months=1.5))
    raises(ar.ValidationError, "invalid_value", lambda: q2(countback_months=-1))


def test_ledger_metrics_agree_with_the_plain_formulas() -> None:
    (m,) = metrics_book().metrics("2026-04-01", "2026-06-30")
    f = ar.metrics
    assert f.dso_period_end(m.ar_end, m.credit_sales, m.days) == m.dso_period_end
    assert f.dso_average(m.ar_begin, m.ar_end, m.credit_sales, m.days) == m.dso_average
    assert f.best_possible_dso(m.current_end, m.credit_sales, m.days) == m.best_possible_dso
    assert f.cei(m.ar_begin, m.credit_sales, m.ar_end, m.current_end) == m.cei
    assert f.ar_turnover(m.credit_sales, m.ar_begin, m.ar_end) == m.ar_turnover
    assert f.percent_current(m.current_end, m.ar_end) == m.percent_current
    assert f.percent_past_due(m.current_end, m.ar_end) == m.percent_past_due
    # June (to the 30th) 600, May 3,000, April 2,000 of sales.
    months = [(d("600.00"), 30), (d("3000.00"), 31), (d("2000.00"), 30)]
    assert f.dso_countback(m.ar_end, months) == m.dso_countback
    timing = f.payment_timing(
        [
            ("2026-03-15", "2026-04-14", "2026-04-20", d("1000.00")),
            (day("2026-04-10"), day("2026-05-10"), day("2026-05-05"), d("1500.00")),
        ]
    )
    assert timing == m.timing


# ----- ar.metrics: plain numbers ------------------------------------------------


def test_metrics_submodule_imports() -> None:
    from ar.metrics import cei

    assert cei is ar.metrics.cei
    assert ar.metrics is ar._ar.metrics
    assert ar.metrics.__name__ == "ar.metrics"
    assert sorted(ar.metrics.__all__) == sorted(
        [
            "dso_period_end",
            "dso_average",
            "dso_countback",
            "best_possible_dso",
            "average_days_delinquent",
            "cei",
            "ar_turnover",
            "percent_current",
            "percent_past_due",
            "payment_timing",
        ]
    )


def test_dso_variants_and_bpdso() -> None:
    f = ar.metrics
    # 90-day quarter, sales 900,000; AR 240,000 at the start and 300,000 at the
    # end, 180,000 current.
    assert f.dso_period_end(d("300000"), d("900000"), 90) == d("30")
    assert f.dso_average(240000, 300000, 900000, 90) == d("27")
    bp = f.best_possible_dso(d("180000"), d("900000"), 90)
    assert bp == d("18")
    assert f.average_days_delinquent(d("30"), d("18")) == d("12")
    turnover = f.ar_turnover(d("900000"), d("240000"), d("300000"))
    assert turnover is not None and round(turnover, 4) == d("3.3333")
    assert f.percent_current(d("180000"), d("300000")) == d("60")
    assert f.percent_past_due(d("180000"), d("300000")) == d("40")


def test_countback_over_calendar_months() -> None:
    f = ar.metrics
    months = [(d("100000"), 31), (d("120000"), 28), (d("60000"), 31)]
    assert f.dso_countback(d("250000"), months) == d("74.5")
    leap = [(d("100000"), 31), (d("120000"), 29), (d("60000"), 31)]
    assert f.dso_countback(d("250000"), leap) == d("75.5")
    assert f.dso_countback(d("500000"), months) is None
    assert f.dso_countback(d("0"), months) == d("0")
    assert f.dso_countback(150, [(100, 31), (100, 28)]) == d("45")


def test_cei_variants() -> None:
    f = ar.metrics
    p = f.cei(d("100000"), d("300000"), d("120000"), d("70000"))
    assert p is not None and round(p, 3) == d("84.848")
    m = f.cei(
        d("100000"), d("300000"), d("120000"), d("70000"), variant="monthly_average", months=3
    )
    assert m is not None and round(m, 3) == d("61.538")
    assert f.cei(0, 0, 0, 0) is None
    assert f.cei(1, 1, 0, 0, variant="monthly_average", months=0) is None
    assert f.cei(100, 300, 120, 80, variant="period_sales") == d("87.5")
    raises(
        ar.ValidationError, "invalid_value", lambda: f.cei(1, 1, 0, 0, variant="monthly_average")
    )
    raises(ar.ValidationError, "invalid_value", lambda: f.cei(1, 1, 0, 0, months=3))


def test_zero_and_negative_denominators_are_none() -> None:
    f = ar.metrics
    assert f.dso_period_end(d("100"), d("0"), 30) is None
    assert f.dso_period_end(d("100"), d("-5"), 30) is None
    assert f.dso_average(1, 1, 0, 30) is None
    assert f.ar_turnover(d("100"), d("0"), d("0")) is None
    assert f.percent_current(0, 0) is None
    assert f.percent_past_due(0, 0) is None
    assert f.best_possible_dso(1, 0, 30) is None
    t = f.payment_timing([])
    assert (t.payments, t.average_days_to_pay, t.weighted_days_beyond_terms) == (0, None, None)


def test_payment_timing() -> None:
    f = ar.metrics
    # Due 01-31: one paid 5 days early (200), one 15 days late (100).
    t = f.payment_timing(
        [
            ("2026-01-01", "2026-01-31", "2026-01-26", d("200")),
            ("2026-01-01", "2026-01-31", "2026-02-15", d("100")),
        ]
    )
    assert t.average_days_beyond_terms == d("5")
    assert t.weighted_days_beyond_terms is not None
    assert round(t.weighted_days_beyond_terms, 4) == d("1.6667")
    assert t.average_days_to_pay == d("35")
    # 100 paid after 10 days, 300 after 30 days: plain mean 20, weighted 25.
    u = f.payment_timing(
        [
            ("2026-01-01", "2026-01-01", "2026-01-11", 100),
            ("2026-01-01", "2026-01-01", "2026-01-31", 300),
        ]
    )
    assert (u.average_days_to_pay, u.weighted_days_to_pay) == (d("20"), d("25"))
    assert repr(u).startswith("PaymentTiming(payments=2, average_days_to_pay=Decimal('20')")


def test_plain_metrics_bad_input() -> None:
    f: Any = ar.metrics  # deliberately untyped: these calls break the stubs on purpose
    e = raises(ar.ArTypeError, "invalid_type", lambda: f.dso_period_end(100.0, d("5"), 30))
    assert e.message == "ar_end: expected decimal.Decimal, int or decimal str, got float"
    raises(ar.ValidationError, "invalid_decimal", lambda: f.dso_period_end(d("1"), "5x", 30))
    raises(ar.ArTypeError, "invalid_type", lambda: f.dso_period_end(d("1"), d("5"), 30.0))
    raises(ar.ValidationError, "invalid_value", lambda: f.dso_period_end(d("1"), d("5"), -1))
    raises(ar.ValidationError, "invalid_decimal", lambda: f.percent_current(Decimal("NaN"), 1))
    raises(ar.ArTypeError, "invalid_type", lambda: f.dso_countback(1, [(1, 2, 3)]))
    e = raises(ar.ArTypeError, "invalid_type", lambda: f.dso_countback(1, [(1.5, 30)]))
    assert e.message.startswith("periods[0].credit_sales:")
    day3 = ("2026-01-01", "2026-01-01", "2026-01-02")
    raises(ar.ArTypeError, "invalid_type", lambda: f.payment_timing([day3]))
    e = raises(
        ar.ValidationError,
        "invalid_date",
        lambda: f.payment_timing([("2026-01-01", "2026-01-01", "2026-02-30", 1)]),
    )
    assert e.message.startswith("payments[0].paid_date:")
    raises(ar.ArTypeError, "invalid_type", lambda: f.average_days_delinquent(1.0, 1))
    # A result beyond the 96-bit decimal range is undefined (None), as
    # documented in ar_core::metrics; it never crashes the interpreter.
    assert f.dso_period_end(Decimal("79228162514264337593543950335"), 1, 1000) is None


# ----- provisions -----------------------------------------------------------------


def test_matrix_rounds_once_not_per_rate() -> None:
    exposures = [d("123456.78"), d("23456.78"), d("3456.78")]
    labels = ["current", "1-30", "over 30"]
    rates = [d("0.4567"), d("2.3456"), d("12.3456")]
    p = ar.provision(exposures, rates, labels=labels, currency="USD")
    # 123456.78 x 0.004567 = 563.827114...; 550.202231...; 426.760231...;
    # sum 1540.789577 -> 1540.79.
    assert p.lines[0].provision == d("563.82711426")
    assert [x.bucket for x in p.lines] == labels
    assert (p.currency, p.exposure, p.total) == ("USD", d("150370.34"), d("1540.79"))
    # Rounding the rates to two decimals first: 1546.05, off by 5.26.
    q = ar.provision(exposures, [d("0.46"), d("2.35"), d("12.35")], labels=labels, currency="USD")
    assert q.total == d("1546.05")
    # 0.005 x 3 = 0.015 -> 0.02, not 3 x 0.01.
    r = ar.provision([d("0.05")] * 3, [10, 10, 10], labels=["a", "b", "c"], currency="USD")
    assert r.total == d("0.02")
    assert ar.provision([d("0.05")] * 3, [10] * 3, labels=["a", "b", "c"], currency="USD",
                        rounding="half_even").total == d("0.02")
    assert r.to_dict()["lines"][0] == {
        "bucket": "a",
        "exposure": d("0.05"),
        "rate": d("10"),
        "provision": d("0.005"),
    }


def test_provision_of_an_aging() -> None:
    report = aging_book().aging("2026-06-30")
    rates = [d("1"), d("2"), d("5"), d("10"), d("20"), d("50")]
    p = report.provision(rates, "USD")
    # 1.60 + 4.60 + 20.00 + 0 + 50.00 + 200.00
    assert (p.exposure, p.total) == (d("1440.00"), d("276.20"))
    assert [x.bucket for x in p.lines] == DEFAULT_LABELS
    # The same from the totals row, or from a group's row.
    usd = total(report, "USD")
    assert ar.provision(usd, rates) == p
    assert ar.provision(usd, rates, currency="USD") == p
    a = ar.provision(row(report, ["A"], "USD"), rates)
    assert a.total == d("56.20")  # 1.60 + 4.60 + 50.00
    # Nothing open in a currency: no exposure.
    none = report.provision(rates, "JPY")
    assert (none.exposure, none.total) == (d("0"), d("0"))
    raises(
        ar.CurrencyMismatchError,
        "currency_mismatch",
        lambda: ar.provision(usd, rates, currency="EUR"),
    )
    raises(ar.ValidationError, "invalid_value", lambda: report.provision(rates[:5], "USD"))
    raises(ar.ValidationError, "invalid_currency", lambda: report.provision(rates, "usd"))


def test_provision_bad_input() -> None:
    def usd(exposures: Any, rates: Any, labels: Any = ("a", "b"), **options: Any) -> object:
        """Deliberately untyped: some of these calls break the stubs on purpose."""
        return ar.provision(exposures, rates, labels=labels, currency="USD", **options)

    e = raises(ar.ValidationError, "invalid_value", lambda: usd([1, 2], [1, 101]))
    assert e.message.startswith("rates:")
    raises(ar.ValidationError, "invalid_value", lambda: usd([1, 2], [1, -1]))
    raises(ar.ValidationError, "invalid_value", lambda: usd([1, 2], [1]))
    raises(ar.ValidationError, "invalid_value", lambda: usd([1, 2], [1, 2], labels=["a"]))
    e = raises(ar.ValidationError, "invalid_value", lambda: usd([1, 2], [1, 2], labels=None))
    assert e.message.startswith("labels:")
    e = raises(
        ar.ValidationError,
        "invalid_value",
        lambda: ar.provision([1, 2], [1, 2], labels=["a", "b"]),
    )
    assert e.message.startswith("currency:")
    e = raises(ar.ValidationError, "too_many_decimals", lambda: usd([d("1.005")], [1], ["a"]))
    assert e.message.startswith("report_row_or_buckets[0]:")
    raises(ar.ArTypeError, "invalid_type", lambda: usd([1.5], [1], ["a"]))
    raises(ar.ArTypeError, "invalid_type", lambda: usd([1], [0.5], ["a"]))
    raises(ar.ArTypeError, "invalid_type", lambda: usd("100", [1], ["a"]))
    raises(ar.ArTypeError, "invalid_type", lambda: usd([1], [1], [1]))
    raises(ar.ValidationError, "invalid_value", lambda: usd([1], [1], ["a"], rounding="up"))


def test_allowance_adjustment_with_credit_and_debit_balances() -> None:
    # Required 4,350.00; a credit balance of 3,000.00 needs 1,350.00 more.
    a = ar.allowance_adjustment(d("4350.00"), d("3000.00"))
    assert (a.required, a.existing, a.adjustment) == (d("4350.00"), d("3000.00"), d("1350.00"))
    # A debit balance of 700.00 (write-offs exceeded it) needs 5,050.00.
    assert ar.allowance_adjustment(d("4350.00"), d("-700.00")).adjustment == d("5050.00")
    # Over-provided: a 5,000.00 credit balance releases 650.00.
    assert ar.allowance_adjustment(d("4350.00"), d("5000.00")).adjustment == d("-650.00")
    assert repr(a) == (
        "AllowanceAdjustment(required=Decimal('4350.00'), existing=Decimal('3000.00'), "
        "adjustment=Decimal('1350.00'))"
    )
    untyped: Any = ar.allowance_adjustment
    raises(ar.ArTypeError, "invalid_type", lambda: untyped(4350.0, 0))


# ----- roll rates ---------------------------------------------------------------

HISTORY = [
    [d("1000"), d("200"), d("50"), d("10")],
    [d("1100"), d("150"), d("60"), d("20")],
    [d("900"), d("220"), d("45"), d("30")],
]


def test_roll_and_loss_rates_from_history() -> None:
    r = ar.roll_rates(HISTORY)
    # current -> 1-30: (150 + 220) / (1000 + 1100); 1-30 -> 31-60: (60 + 45) / (200 + 150);
    # 31-60 -> over 60: (20 + 30) / (50 + 60).
    assert [round(x, 3) for x in r if x is not None] == [d("17.619"), d("30"), d("45.455")]
    assert r[1] == d("30")
    loss = ar.loss_rates(r, d("100"))
    assert len(loss) == 4
    assert loss[1] is not None and round(loss[1], 3) == d("13.636")  # 30 % x 45.45 %
    assert loss[3] == d("100")
    assert ar.loss_rates(r) == loss
    assert ar.loss_rates([d("10"), d("50")], 80) == [d("4"), d("40"), d("80")]
    assert ar.loss_rates([None, d("50")], 80) == [None, d("40"), d("80")]
    assert ar.roll_rates([[0, 1], [0, 1]]) == [None]
    raises(ar.ValidationError, "invalid_value", lambda: ar.roll_rates(HISTORY[:1]))
    raises(ar.ValidationError, "invalid_value", lambda: ar.roll_rates([]))
    raises(ar.ValidationError, "invalid_value", lambda: ar.roll_rates([[1, 2], [1]]))
    untyped: Any = ar
    raises(ar.ArTypeError, "invalid_type", lambda: untyped.roll_rates([[1.0, 2], [1, 2]]))
    raises(ar.ArTypeError, "invalid_type", lambda: untyped.loss_rates([0.5]))
    raises(ar.ArTypeError, "invalid_type", lambda: untyped.loss_rates([1], final_loss=0.5))


def test_roll_rates_from_the_ledger() -> None:
    ends = ["2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30"]
    rr = aging_book().roll_rates(ends, "USD")
    assert (rr.currency, rr.labels) == ("USD", DEFAULT_LABELS)
    assert rr.period_ends == [day(e) for e in ends]
    assert len(rr.history) == 4
    # At 03-31: I3 300 current (due that day), I4 400 in 31-60 (45 days).
    assert amounts(rr.history[0]) == ["300.00", "0.00", "400.00", "0.00", "0.00", "0.00"]
    assert amounts(rr.history[3]) == ["160.00", "230.00", "400.00", "0.00", "250.00", "400.00"]
    assert len(rr.roll) == 5 and len(rr.loss) == 6
    # The same as the plain functions over the same history.
    assert rr.roll == ar.roll_rates(rr.history)
    assert rr.loss == ar.loss_rates(rr.roll, 100)
    assert aging_book().roll_rates(ends, "USD", final_loss=d("80")).loss[-1] == d("80")
    # History 03-31 [300, 0, 400, 0, 0, 0], 04-30 [500, 300, 0, 400, 0, 0],
    # 05-31 [290, 500, 0, 300, 400, 0], 06-30 [160, 230, 400, 0, 250, 400]:
    # current -> 1-30 (300 + 500 + 230) / (300 + 500 + 290) = 94.495 %;
    # 1-30 -> 31-60 (0 + 0 + 400) / (0 + 300 + 500) = 50 %;
    # 31-60 -> 61-90 (400 + 300 + 0) / 400 = 175 %, capped at 100 %;
    # 61-90 -> 91-120 (0 + 400 + 250) / (0 + 400 + 300) = 92.857 %;
    # 91-120 -> over 120 400 / 400 = 100 %.
    roll = rr.roll
    assert roll[1] == d("50") and roll[2] == d("100") and roll[4] == d("100")
    assert roll[0] is not None and round(roll[0], 3) == d("94.495")
    assert roll[3] is not None and round(roll[3], 3) == d("92.857")
    # Loss: 94.495 % x 50 % x 100 % x 92.857 % x 100 % x 100 % = 43.873 %.
    assert rr.loss[0] is not None and round(rr.loss[0], 3) == d("43.873")
    assert rr.loss[1] is not None and round(rr.loss[1], 3) == d("46.429")
    # EUR: C's I6 only; known_at before anything was recorded: all zero.
    eur = aging_book().roll_rates(ends, "EUR", known_at=at("2025-12-31T00:00:00Z"))
    assert all(v == 0 for h in eur.history for v in h)
    assert eur.roll == [None] * 5
    custom = aging_book().roll_rates(ends, "USD", buckets=[30, 60])
    assert custom.labels == ["up to 30", "31-60", "over 60"] and len(custom.roll) == 2
    l = aging_book()
    usd: Any = functools.partial(l.roll_rates, ends, "USD")
    raises(ar.ValidationError, "invalid_value", lambda: l.roll_rates(ends[:1], "USD"))
    raises(ar.ArTypeError, "invalid_type", lambda: usd(final_loss=0.8))
    raises(ar.ValidationError, "invalid_value", lambda: usd(buckets=[30, 30]))
    raises(ar.ValidationError, "invalid_currency", lambda: l.roll_rates(ends, "XXX1"))
    bad_date = ["2026-13-01", "2026-04-30"]
    raises(ar.ValidationError, "invalid_date", lambda: l.roll_rates(bad_date, "USD"))
    raises(ar.ArTypeError, "invalid_type", lambda: l.roll_rates("2026-03-31", "USD"))


def test_results_compare_by_value() -> None:
    a: Any = ar.roll_rates(HISTORY)
    assert a == ar.roll_rates(HISTORY)
    p = ar.provision([1], [1], labels=["a"], currency="USD")
    assert p == ar.provision([1], [1], labels=["a"], currency="USD")
    assert p != ar.provision([1], [2], labels=["a"], currency="USD")
    with pytest.raises(TypeError):
        hash(p)


def test_loss_rates_and_history_are_checked() -> None:
    # A final loss or roll rate outside 0-100 %, and period ends out of order,
    # are refused rather than computed.
    raises(ar.ValidationError, "invalid_value", lambda: ar.loss_rates([d("10")], d("101")))
    raises(ar.ValidationError, "invalid_value", lambda: ar.loss_rates([d("-1")], d("100")))
    ledger = aging_book()
    raises(
        ar.ValidationError,
        "invalid_value",
        lambda: ledger.roll_rates([day("2026-04-30"), day("2026-03-31")], "USD"),
    )
