"""Payment terms as the ERPs know them, through the binding: the hand-worked
cases of ``ar-core/tests/terms.rs`` (Odoo's and ERPNext's own tests), each
citing the rule it follows."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import List, Sequence

import pytest

import ar


def d(s: str) -> Decimal:
    return Decimal(s)


def day(s: str) -> datetime.date:
    return datetime.date.fromisoformat(s)


def percents(ps: Sequence[str]) -> ar.Terms:
    return ar.Terms.installments(
        [ar.Installment(f"net {30 * (i + 1)}", percent=d(p)) for i, p in enumerate(ps)]
    )


def amounts(terms: ar.Terms, total: str) -> List[Decimal]:
    return [i.amount for i in ar.schedule(terms, "2026-01-01", d(total), "USD")]


def test_percentages_on_odd_cents_add_up_to_the_total() -> None:
    half = percents(["50", "50"])
    # Odoo test_payment_term_residual_amount_on_last_line: 50/50 of 0.03.
    assert amounts(half, "0.03") == [d("0.02"), d("0.01")]
    # 50.005 twice: 50.01 and 50.00 (was refused as 100.02 > 100.01).
    assert amounts(half, "100.01") == [d("50.01"), d("50.00")]
    # 3.333.. 3.333.. 3.334 by largest remainder: the last takes the cent.
    assert amounts(percents(["33.33", "33.33", "33.34"]), "0.10") == [
        d("0.03"), d("0.03"), d("0.04")
    ]
    # Odoo's 40/30/30 on 1,000.
    assert amounts(percents(["40", "30", "30"]), "1000.00") == [
        d("400.00"), d("300.00"), d("300.00")
    ]


def due(text: str, date: str) -> datetime.date:
    return ar.schedule(text, date, d("100.00"), "USD")[0].due_date


def test_due_on_a_day_of_the_next_month_as_odoo() -> None:
    # test_payment_term_days_end_of_month_on_the: 30 days, on the 10th.
    assert due("net 30, day 10 of next month", "2023-12-12") == day("2024-02-10")
    # ... on the 31st: February's last day.
    assert due("net 30, day 31 of next month", "2023-12-12") == day("2024-02-29")
    # nb_days_0: the 29th and 31st of June.
    assert due("day 29 of next month", "2024-05-23") == day("2024-06-29")
    assert due("day 31 of next month", "2024-05-23") == day("2024-06-30")
    # "EOM + 15" is 15 days after month end, not always the 15th.
    assert due("EOM + 31", "2026-01-10") == day("2026-03-03")
    assert due("day 31 of next month", "2026-01-10") == day("2026-02-28")
    terms = ar.Terms.single("net 30, day 10 of next month")
    assert terms.due == "net 30, day 10 of next month"


def test_due_on_the_first_given_day_at_least_n_days_out() -> None:
    # Odoo's older "day of the month": from 1 March, 31 days is 1 April.
    assert due("net 31 on day 15", "2026-03-01") == day("2026-04-15")
    assert due("net 31 on day 15", "2026-03-20") == day("2026-05-15")
    assert due("net 0 on day 30", "2026-01-31") == day("2026-02-28")


def test_due_at_the_end_of_a_later_month() -> None:
    # ERPNext "month(s) after the end of the invoice month".
    assert due("EOM + 1 month", "2026-07-30") == day("2026-08-31")
    # ERPNext gives 28 March from February; ar the month's last day.
    assert due("EOM + 1 month", "2026-02-10") == day("2026-03-31")
    assert due("EOM + 12 months", "2026-12-31") == day("2027-12-31")


def test_terms_text_round_trips_and_bad_text_is_refused() -> None:
    for text in ["day 10 of next month", "net 31 on day 15", "EOM + 3 months",
                 "2/10 untaxed net 30", "2/10 mixed net 30", "50.00 off/10 net 30"]:
        assert str(ar.Terms.parse(text)) == text
    fixed = ar.Terms.parse("50.00 off/10 net 30")
    assert (fixed.discount_amount, fixed.discount_percent, fixed.discount_days) == (
        d("50.00"), None, 10)
    assert ar.Terms.parse("2/10 untaxed net 30").discount_base == "untaxed"
    for bad in ["day 32 of next month", "net 30 on day 0", "50.00 off/10 mixed net 30",
                "0 off/10 net 30", "2/10 sideways net 30"]:
        with pytest.raises(ar.ValidationError) as e:
            ar.Terms.parse(bad)
        assert e.value.code == "invalid_terms", bad


def book(terms: ar.Terms | str, lines: Sequence[ar.Line], *, tax_mode: str = "exclusive") -> ar.Ledger:
    l = ar.Ledger()
    l.register_customer("ACME", "Acme", "USD")
    l.issue_invoice("INV-1", "ACME", "2016-01-01", lines, terms=terms,
                    tax_mode=tax_mode)  # type: ignore[arg-type]
    return l


# Odoo's tests: 1,000.00 untaxed + 150.00 tax, a 10 % discount.
ODOO = [ar.Line("x", 1, d("1000.00"), taxes=[("T15", 15)])]


def test_discount_bases_as_odoo_computes_them() -> None:
    # "included": 1,150.00 less 10 % = 1,035.00.
    included = book(ar.Terms.net(30, discount_percent=10, discount_days=2), ODOO)
    offer = included.invoice("INV-1").installments[0].discount
    assert offer is not None
    assert (offer.amount, offer.base) == (d("115.00"), "total")
    # "excluded": 1,150.00 less 10 % of 1,000.00 = 1,050.00.
    excluded = book(
        ar.Terms.net(30, discount_percent=10, discount_days=2, discount_base="untaxed"), ODOO)
    offer = excluded.invoice("INV-1").installments[0].discount
    assert offer is not None
    assert (offer.amount, offer.base, offer.until) == (d("100.00"), "untaxed", day("2016-01-03"))
    assert excluded.invoice("INV-1").total == d("1150.00")


def test_a_mixed_discount_reduces_the_tax_base_at_invoicing() -> None:
    # Belgium: 1,000.00 at 21 % with 2 % within 10 days: VAT on 980.00 =
    # 205.80 whether or not the discount is taken.
    lines = [ar.Line("x", 1, d("1000.00"), taxes=[("VAT21", 21)])]
    l = book("2/10 mixed net 30", lines)
    inv = l.invoice("INV-1")
    # 21 % of 980.00, not of 1,000.00 (210.00).
    assert (inv.net, inv.tax, inv.total) == (d("1000.00"), d("205.80"), d("1205.80"))
    offer = inv.installments[0].discount
    assert offer is not None and offer.amount == d("20.00")
    # Prices including tax cannot carry a mixed discount.
    with pytest.raises(ar.ValidationError) as e:
        book("2/10 mixed net 30", lines, tax_mode="inclusive")
    assert e.value.code == "invalid_terms"


def test_a_discount_splits_into_net_and_tax_by_its_base() -> None:
    # Of the total: 115.00 = 100.00 net + 15.00 tax.
    split = book("10/2 net 30", ODOO).discount_split("INV-1", 1, d("115.00"))
    assert (split.amount, split.net, split.tax) == (d("115.00"), d("100.00"), d("15.00"))
    assert [(t.code, t.taxable, t.tax) for t in split.taxes] == [
        ("T15", d("100.00"), d("15.00"))]
    # Of the untaxed amount: all net.
    split = book("10/2 untaxed net 30", ODOO).discount_split("INV-1", 1, d("100.00"))
    assert (split.net, split.tax) == (d("100.00"), d("0.00"))
    # 100.00 at 20 % and 100.00 at 10 % = 230.00; 2 % is 4.60: tax 4.60 x
    # 30/230 = 0.60, spread 0.40 / 0.20; net 4.00, 2.00 under each code.
    two = book("2/10 net 30", [ar.Line("a", 1, d("100.00"), taxes=[("V20", 20)]),
                               ar.Line("b", 1, d("100.00"), taxes=[("V10", 10)])])
    split = two.discount_split("INV-1", 1, d("4.60"))
    assert (split.net, split.tax) == (d("4.00"), d("0.60"))
    assert [(t.code, t.taxable, t.tax) for t in split.taxes] == [
        ("V10", d("2.00"), d("0.20")), ("V20", d("2.00"), d("0.40"))]
    with pytest.raises(ar.ValidationError) as e:
        two.discount_split("INV-1", 2, d("1.00"))
    assert e.value.code == "invalid_value"
    with pytest.raises(ar.ValidationError) as e:
        two.discount_split("INV-1", 1, d("-1.00"))
    assert (e.value.code, "amount" in e.value.message) == ("invalid_amount", True)


def test_fixed_amount_discounts_per_installment() -> None:
    # ERPNext's discount type "Amount": 50.00 off each half within 10 days.
    half = [ar.Installment(f"net {n}", percent=50, discount_amount=d("50.00"), discount_days=10)
            for n in (30, 60)]
    assert half[0].discount_amount == d("50.00") and half[0].discount_percent is None
    l = book(ar.Terms.installments(half), [ar.Line("x", 1, d("2000.00"))])
    inv = l.invoice("INV-1")
    offers = [(i.amount, i.discount.amount, i.discount.until, i.discount.percent)
              for i in inv.installments if i.discount is not None]
    assert offers == [(d("1000.00"), d("50.00"), day("2016-01-11"), d("0"))] * 2
    l.record_receipt("R-1", "2016-01-05", d("950.00"), "USD", customer="ACME")
    l.apply("INV-1", d("950.00"), "2016-01-05", receipt="R-1", installment=1,
            discount=d("50.00"))
    inv = l.invoice("INV-1")
    assert (inv.installments[0].open, inv.open) == (d("0.00"), d("1000.00"))
    # A fixed discount must be less than its installment.
    with pytest.raises(ar.ValidationError) as e:
        ar.schedule(ar.Terms.net(30, discount_amount=d("10.00"), discount_days=10),
                    "2016-01-01", d("10.00"), "USD")
    assert e.value.code == "invalid_terms"
    # A percent and an amount together are refused, naming the field.
    with pytest.raises(ar.ValidationError) as e:
        ar.Terms.net(30, discount_percent=2, discount_amount=d("1.00"), discount_days=10)
    assert "discount_amount" in e.value.message


def test_writing_off_unapplied_cash() -> None:
    # A 0.05 overpayment left on R-1 after paying INV-1 in full.
    l = book("net 30", [ar.Line("x", 1, d("100.00"))])
    l.record_receipt("R-1", "2016-01-10", d("100.05"), "USD", customer="ACME")
    l.apply("INV-1", d("100.00"), "2016-01-10", receipt="R-1")
    for kwargs, code in [({"amount": d("0.06"), "date": "2016-02-10"}, "over_application"),
                         ({"date": "2016-01-09"}, "date_before_document")]:
        with pytest.raises(ar.ArError) as e:
            l.write_off_source(reason="small overpayment", receipt="R-1", **kwargs)  # type: ignore[arg-type]
        assert e.value.code == code
    with pytest.raises(ar.ValidationError) as e:
        l.write_off_source("2016-02-10", "x", receipt="R-1", credit_memo="CM-1")
    assert e.value.code == "invalid_value"
    out = l.write_off_source("2016-02-10", "small overpayment", receipt="R-1")
    assert out.events[0].type == "source_written_off"
    view = l.receipt("R-1")
    assert (view.open, view.written_off) == (d("0.00"), d("0.05"))
    assert l.receipt("R-1", as_of="2016-02-09").open == d("0.05")
    assert l.unapplied_cash() == []
    l.reverse_write_off(out.events[0].subject, "2016-02-12", "refund asked")
    view = l.receipt("R-1")
    assert (view.open, view.written_off) == (d("0.05"), d("0.00"))
    assert ar.Ledger.from_json(l.to_json()) == l
