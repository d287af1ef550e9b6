"""Accounting through the binding: the hand-worked postings, exchange
differences, reconciliation and period close of
``ar-core/tests/journal.rs``, with the figures written out by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, List, Tuple

import pytest

import ar


def d(s: str) -> Decimal:
    return Decimal(s)


def day(s: str) -> datetime.date:
    return datetime.date.fromisoformat(s)


def book() -> ar.Ledger:
    l = ar.Ledger()
    l.register_customer("ACME", "Acme", "USD")
    l.register_customer("EURO", "Euro GmbH", "EUR")
    return l


def lines(journal: ar.Journal, subject: str, event: str) -> List[Tuple[str, Decimal, Decimal]]:
    """The lines of the entry of ``event`` on ``subject``: (account, amount,
    functional)."""
    found = [e for e in journal.entries if e.subject == subject and e.event == event]
    assert len(found) == 1, found
    return [(ln.account, ln.amount, ln.functional) for ln in found[0].lines]


def same(*rows: Tuple[str, str]) -> List[Tuple[str, Decimal, Decimal]]:
    return [(a, d(x), d(x)) for a, x in rows]


# EUR into USD from 1 March: 1.10, then 1.12 from 20 March.
RATES: Any = {"functional": "USD", "rates": [
    {"currency": "EUR", "date": "2026-03-01", "rate": d("1.10")},
    {"currency": "EUR", "date": "2026-03-20", "rate": d("1.12")},
]}


def test_postings_for_each_kind_of_event() -> None:
    l = book()
    # INV-1: 100.00 at 20 % VAT and 50.00 untaxed = 170.00.
    l.issue_invoice("INV-1", "ACME", "2026-03-01", [
        ar.Line("a", 1, d("100.00"), taxes=[("VAT20", 20)]), ar.Line("b", 1, d("50.00"))
    ], terms="net 30")
    # CM-1: 34.00 against INV-1: 34 x 20 / 170 = 4.00 tax, 30.00 net.
    l.issue_credit_memo("CM-1", "ACME", "2026-03-06", amount=d("34.00"), against="INV-1",
                        reason="damaged")
    l.apply("INV-1", d("34.00"), "2026-03-06", credit_memo="CM-1")
    # INV-2 on 2/10 net 30: 1,200.00 paid 1,176.00 with 24.00 off (2 % of
    # the total): 20.00 net and 4.00 of VAT.
    l.issue_invoice("INV-2", "ACME", "2026-04-01",
                    [ar.Line("c", 1, d("1000.00"), taxes=[("VAT20", 20)])], terms="2/10 net 30")
    l.record_receipt("R-2", "2026-04-05", d("1176.00"), "USD", customer="ACME", method="wire")
    paid = l.apply("INV-2", d("1176.00"), "2026-04-05", receipt="R-2", discount=d("24.00"))
    # 50.00, 20.00 refunded, 30.00 written off to income.
    l.record_receipt("R-3", "2026-04-06", d("50.00"), "USD", customer="ACME", method="card")
    l.refund(d("20.00"), "2026-04-07", receipt="R-3", method="check")
    income = l.write_off_source("2026-04-08", "unclaimed", receipt="R-3")

    j = l.journal()
    assert j.functional is None
    assert lines(j, "INV-1", "invoice_issued") == same(
        ("receivable", "170.00"), ("revenue", "-100.00"), ("revenue", "-50.00"),
        ("tax_payable", "-20.00"))
    assert lines(j, "CM-1", "credit_memo_issued") == same(
        ("sales_returns", "30.00"), ("tax_payable", "4.00"), ("customer_credits", "-34.00"))
    assert lines(j, paid.events[0].subject, "applied") == same(
        ("unapplied_cash", "1176.00"), ("receivable", "-1200.00"), ("discounts", "20.00"),
        ("tax_payable", "4.00"))
    assert lines(j, income.events[0].subject, "source_written_off") == same(
        ("unapplied_cash", "30.00"), ("other_income", "-30.00"))
    for e in j.entries:
        assert sum(ln.amount for ln in e.lines) == 0, e
    # The receivables control is the open invoices: 170 - 34 = 136.00.
    tb = {(r.account, r.currency): r for r in l.trial_balance()}
    assert tb["receivable", "USD"].balance == d("136.00")
    assert sum(i.open for i in l.open_items() if i.kind == "invoice") == d("136.00")
    # Cash: 1,176 + 50 in, 20 out.
    cash = tb["cash", "USD"]
    assert (cash.debit, cash.credit, cash.balance) == (d("1226.00"), d("20.00"), d("1206.00"))
    assert sum(r.balance for r in tb.values()) == 0
    # As of 31 March only INV-1 and the memo are posted.
    assert {e.subject for e in l.journal(as_of="2026-03-31").entries} == {"INV-1", "CM-1"} | {
        e.subject for e in j.entries if e.effective <= day("2026-03-31")}


def test_accounts_come_from_the_rules_as_a_dict_or_json() -> None:
    l = book()
    l.issue_invoice("INV-1", "ACME", "2026-03-01",
                    [ar.Line("a", 1, d("100.00"), taxes=[("VAT20", 20)])], terms="net 30")
    rules: Any = {"accounts": {"receivable": "1200", "revenue": "4000"},
             "overrides": [{"role": "tax_payable", "account": "2210 VAT 20", "tax_code": "VAT20"}]}
    expect = same(("1200", "120.00"), ("4000", "-100.00"), ("2210 VAT 20", "-20.00"))
    assert lines(l.journal({"rules": rules}), "INV-1", "invoice_issued") == expect
    text = ('{"rules": {"accounts": {"receivable": "1200", "revenue": "4000"}, "overrides": '
            '[{"role": "tax_payable", "account": "2210 VAT 20", "tax_code": "VAT20"}]}}')
    assert lines(l.journal(text), "INV-1", "invoice_issued") == expect
    # Bad options name the field.
    bad: Any
    for bad, code, field in [
        ({"rule": {}}, "invalid_value", "rule"),
        ({"rules": {"accounts": {"nowhere": "1"}}}, "invalid_value", "nowhere"),
        ({"rates": {"functional": "USD", "rates": [
            {"currency": "EUR", "date": "2026-03-01", "rate": 1.1}]}}, "invalid_type", "rate"),
        ({"rates": {"functional": "USD", "rates": [
            {"currency": "EUR", "date": "2026-03-01", "rate": d("0")}]}}, "invalid_amount",
         "rates[0].rate"),
        ("{not json", "invalid_value", "options"),
    ]:
        with pytest.raises(ar.ArError) as e:
            l.journal(bad)
        assert e.value.code == code, (bad, e.value)
        assert field in e.value.message, (bad, e.value)


def test_an_invoice_in_euros_paid_at_a_better_rate_books_the_gain() -> None:
    # EUR 1,000 at 1.10 (1,100.00 USD) paid at 1.12 (1,120.00): a realized
    # gain of 20.00.
    l = book()
    l.issue_invoice("E-1", "EURO", "2026-03-01", [ar.Line("x", 1, d("1000.00"))], terms="net 30")
    l.record_receipt("ER-1", "2026-03-20", d("1000.00"), "EUR", customer="EURO", method="wire")
    paid = l.apply("E-1", d("1000.00"), "2026-03-20", receipt="ER-1")
    j = l.journal({"rates": RATES})
    assert j.functional == "USD"
    assert lines(j, paid.events[0].subject, "applied") == [
        ("unapplied_cash", d("1000.00"), d("1120.00")),
        ("receivable", d("-1000.00"), d("-1100.00")),
        ("fx_gain", d("0"), d("-20.00")),
    ]
    for e in j.entries:
        assert sum(ln.functional for ln in e.lines) == 0, e
    # A document dated before the first rate: missing_rate, naming the pair
    # and the date.
    l.issue_invoice("E-9", "EURO", "2026-02-01", [ar.Line("x", 1, d("1.00"))], terms="net 30")
    with pytest.raises(ar.NotFoundError) as missing:
        l.journal({"rates": RATES})
    assert missing.value.code == "missing_rate"
    assert "EUR to USD on 2026-02-01" in missing.value.message


def test_revaluation_and_its_reversal() -> None:
    # EUR 1,000.00 at 1.10; closing rate 1.13 on 31 March: worth 1,130.00,
    # an unrealized gain of 30.00, reversed on 1 April.
    l = book()
    l.issue_invoice("E-1", "EURO", "2026-03-01", [ar.Line("x", 1, d("1000.00"))], terms="net 30")
    out = l.revalue("2026-03-31", [{"currency": "EUR", "rate": d("1.13")}])
    assert out.events[0].type == "revalued"
    j = l.journal({"rates": RATES})
    booked = [e for e in j.entries if e.event == "revalued"][0]
    assert [(ln.account, ln.functional) for ln in booked.lines] == [
        ("receivable", d("30.00")), ("unrealized_fx_gain", d("-30.00"))]
    reversed_ = [e for e in j.entries if e.event == "revaluation_reversed"][0]
    assert reversed_.effective == day("2026-04-01")
    assert [(ln.account, ln.functional) for ln in reversed_.lines] == [
        ("receivable", d("-30.00")), ("unrealized_fx_gain", d("30.00"))]
    with pytest.raises(ar.ArError) as e:
        l.revalue("2026-04-30", [{"currency": "EUR", "rate": d("0")}])
    assert e.value.code in ("invalid_amount", "invalid_value")


def test_the_allowance_posts_its_change() -> None:
    l = book()
    l.book_allowance("2026-03-31", "USD", d("100.00"), "aging method")
    l.book_allowance("2026-04-30", "USD", d("60.00"))
    j = l.journal()
    assert [[(ln.account, ln.amount) for ln in e.lines]
            for e in j.entries if e.event == "allowance_booked"] == [
        [("bad_debt_expense", d("100.00")), ("allowance", d("-100.00"))],
        [("bad_debt_expense", d("-40.00")), ("allowance", d("40.00"))],
    ]
    with pytest.raises(ar.ValidationError) as e:
        l.book_allowance("2026-05-31", "USD", d("-1.00"))
    assert e.value.code == "invalid_amount"


def test_the_gl_reconciliation_names_the_documents() -> None:
    l = book()
    for id_, amount in [("INV-1", "100.00"), ("INV-2", "200.00"), ("INV-3", "300.00")]:
        l.issue_invoice(id_, "ACME", "2026-03-01", [ar.Line("x", 1, d(amount))], terms="net 30")
    l.issue_invoice("INV-4", "ACME", "2026-04-05", [ar.Line("x", 1, d("50.00"))], terms="net 30")
    # INV-1 right, INV-2 at 210.00, INV-3 missing, INV-4 early in the GL, a
    # manual 7.00 with no document.
    gl: Any = [
        {"account": "receivable", "currency": "USD", "date": "2026-03-01", "amount": d("100.00"),
         "document": "INV-1"},
        {"account": "receivable", "currency": "USD", "date": "2026-03-01", "amount": d("210.00"),
         "document": "INV-2"},
        {"account": "receivable", "currency": "USD", "date": "2026-03-31", "amount": d("50.00"),
         "document": "INV-4"},
        {"account": "receivable", "currency": "USD", "date": "2026-03-15", "amount": d("7.00")},
    ]
    rows = l.reconcile_gl(gl, as_of="2026-03-31")
    rec = [r for r in rows if r.account == "receivable"][0]
    assert (rec.ar, rec.gl, rec.difference) == (d("600.00"), d("367.00"), d("233.00"))
    assert [(i.document, i.cause, i.ar - i.gl) for i in rec.items] == [
        ("", "unidentified", d("-7.00")),
        ("INV-2", "amount_differs", d("-10.00")),
        ("INV-3", "missing_in_gl", d("300.00")),
        ("INV-4", "after_cut_off", d("-50.00")),
    ]
    with pytest.raises(ar.ArTypeError) as e:
        l.reconcile_gl([gl[0] | {"amount": 100.0}])
    assert "gl_lines[0].amount" in e.value.message


def test_a_closed_period_refuses_or_moves_commands() -> None:
    l = book()
    l.issue_invoice("INV-1", "ACME", "2026-03-10", [ar.Line("a", 1, d("100.00"))], terms="net 30")
    l.record_receipt("R-1", "2026-03-20", d("40.00"), "USD", customer="ACME")
    digest = l.period_digest("2026-03-31")
    assert len(digest) == 64 and digest != l.period_digest("2026-03-01")
    closed_at = datetime.datetime.now(datetime.timezone.utc)
    out = l.close_period("2026-03-31", recorded=closed_at)
    assert (out.events[0].type, out.events[0].effective) == ("period_closed", day("2026-03-31"))
    assert digest in out.events[0].json
    with pytest.raises(ar.StateError) as e:
        l.apply("INV-1", d("40.00"), "2026-03-30", receipt="R-1")
    assert e.value.code == "period_closed"
    assert e.value.message == "date: 2026-03-30 is in a period closed up to 2026-03-31"
    # Reopened from 1 March the command goes through; closed again moving
    # commands, a write-off dated 25 March is dated 1 April.
    assert l.reopen_period("late bank file", from_="2026-03-01").events[0].type == (
        "period_reopened")
    l.apply("INV-1", d("40.00"), "2026-03-30", receipt="R-1")
    l.close_period("2026-03-31", "move_to_open_day")
    moved = l.write_off("INV-1", "2026-03-25", "goodwill", amount=d("10.00"))
    assert moved.events[0].effective == day("2026-04-01")
    # Figures as of the close are unchanged by what came after.
    assert l.period_digest("2026-03-31", known_at=closed_at) == digest
    with pytest.raises(ar.ValidationError) as bad:
        l.reopen_period(" ")
    assert bad.value.code == "invalid_value"
    with pytest.raises(ar.ValidationError) as bad:
        l.close_period("2026-03-31", "sometimes")  # type: ignore[arg-type]
    assert bad.value.code == "invalid_value" and "policy" in bad.value.message


def test_journal_exports() -> None:
    l = book()
    l.issue_invoice("INV-1", "ACME", "2026-03-01", [ar.Line("a, \"b\"", 1, d("100.00"))],
                    terms="net 30")
    l.record_receipt("R-1", "2026-03-05", d("100.00"), "USD", customer="ACME", method="ach")
    j = l.journal({"rules": {"accounts": {"cash": "1010 bank, main"}}})
    assert j.to_csv() == (
        "seq,effective,event,subject,document,account,role,currency,amount,functional\r\n"
        "3,2026-03-01,invoice_issued,INV-1,INV-1,receivable,receivable,USD,100.00,100.00\r\n"
        "3,2026-03-01,invoice_issued,INV-1,INV-1,revenue,revenue,USD,-100.00,-100.00\r\n"
        '4,2026-03-05,receipt_recorded,R-1,R-1,"1010 bank, main",cash,USD,100.00,100.00\r\n'
        "4,2026-03-05,receipt_recorded,R-1,R-1,unapplied_cash,unapplied_cash,USD,-100.00,-100.00\r\n"
    )
    pd = pytest.importorskip("pandas")
    frame = j.to_pandas()
    assert list(frame.columns) == ["seq", "effective", "event", "subject", "document", "account",
                                   "role", "currency", "amount", "functional"]
    assert list(frame["amount"]) == [d("100.00"), d("-100.00"), d("100.00"), d("-100.00")]
    assert isinstance(frame, pd.DataFrame)
    table = j.to_arrow()
    assert table.column("functional").to_pylist()[1] == d("-100.00")
    assert str(table.schema.field("effective").type) == "date32[day]"


def functional_book() -> ar.Ledger:
    """The book of ``metrics_in_the_functional_currency_...`` in
    ``ar-core/tests/journal.rs``."""
    l = book()
    l.issue_invoice("U-0", "ACME", "2026-02-01", [ar.Line("x", 1, d("400.00"))], terms="net 30")
    l.issue_invoice("E-0", "EURO", "2026-02-10", [ar.Line("x", 1, d("200.00"))], terms="net 14")
    l.issue_invoice("U-1", "ACME", "2026-03-01", [ar.Line("x", 1, d("1000.00"))], terms="net 30")
    l.issue_invoice("E-1", "EURO", "2026-03-10", [ar.Line("x", 1, d("500.00"))], terms="net 30")
    l.record_receipt("R-1", "2026-03-13", d("300.00"), "USD", customer="ACME", method="ach")
    l.apply("U-0", d("300.00"), "2026-03-13", receipt="R-1")
    l.record_receipt("R-2", "2026-03-26", d("200.00"), "EUR", customer="EURO", method="wire")
    l.apply("E-0", d("200.00"), "2026-03-26", receipt="R-2")
    return l


MARCH_END: Any = {"functional": "USD", "rates": [
    {"currency": "EUR", "date": "2026-03-31", "rate": d("1.10")},
]}


def test_metrics_in_the_functional_currency() -> None:
    l = functional_book()
    [r] = l.metrics("2026-03-01", "2026-03-31", rates=MARCH_END)
    assert r.currency == "USD"
    # AR begin 400 + 200 x 1.10; end 1,100 + 550 (current 1,000 + 550).
    assert (r.ar_begin, r.ar_end, r.current_end, r.credit_sales) == (
        d("620.00"), d("1650.00"), d("1550.00"), d("1550.00"))
    # 1,650 / 1,550 x 31 = 33; (620 + 1,650) / 2 / 1,550 x 31 = 22.7.
    assert (r.dso_period_end, r.dso_average) == (d("33"), d("22.7"))
    assert r.dso_countback is not None and round(r.dso_countback, 4) == d("35.5161")
    assert r.cei is not None and round(r.cei, 4) == d("83.8710")
    # Weighted by USD 300 and 220: (300 x 40 + 220 x 44) / 520.
    assert r.timing.weighted_days_to_pay is not None
    assert round(r.timing.weighted_days_to_pay, 4) == d("41.6923")
    # Without rates: one row per currency, as before.
    assert [x.currency for x in l.metrics("2026-03-01", "2026-03-31")] == ["EUR", "USD"]
    # The same through a Book from the ledger's tables is not the point
    # here; a missing rate on the day asked names it.
    with pytest.raises(ar.NotFoundError) as e:
        l.metrics("2026-03-01", "2026-03-31", rates=MARCH_END, rates_date="2026-03-30")
    assert e.value.code == "missing_rate"


def test_aging_in_the_functional_currency() -> None:
    l = functional_book()
    report = l.aging("2026-03-31", rates=MARCH_END, group_by=[])
    [total] = report.totals
    # U-0 100.00 due 03-03 (28 days late) and U-1 1,000.00 current; E-1
    # 500.00 at 1.10 = 550.00 current.
    assert total.currency == "USD"
    assert total.total == d("1650.00")
    assert total.buckets[0] == d("1550.00")
    assert total.buckets[1] == d("100.00")
    with pytest.raises(ar.ValidationError) as e:
        l.aging("2026-03-31", rates_date="2026-03-31")
    assert e.value.code == "invalid_value" and "rates_date" in e.value.message
