"""Statements of account from Python: the hand-worked statement of
``ar-core/tests/statement.rs`` (every kind of movement, the running
balance, the open items and their aging), a run for every customer, and the
errors."""

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
    l.register_customer("ACME", "Acme Corp", "USD")

    def invoice(id: str, date: str, amount: str, currency: str | None = None) -> None:
        l.issue_invoice(id, "ACME", date, [ar.Line("x", 1, d(amount))], currency=currency,
                        terms="2/10 net 30")

    # Before the period: INV-0 of 300.00, 100.00 paid: 200.00 brought forward.
    invoice("INV-0", "2026-02-10", "300.00")
    l.record_receipt("R-0", "2026-02-20", d("100.00"), "USD", customer="ACME")
    l.apply("INV-0", d("100.00"), "2026-02-20", receipt="R-0")
    # March.
    invoice("INV-1", "2026-03-02", "1000.00")  # +1000.00 -> 1200.00
    l.record_receipt("R-1", "2026-03-05", d("980.00"), "USD", customer="ACME")  # -980.00 -> 220.00
    l.apply("INV-1", d("980.00"), "2026-03-05", receipt="R-1", discount=d("20.00"))  # -20.00 -> 200.00
    l.issue_credit_memo("CM-1", "ACME", "2026-03-08", amount=d("50.00"), against="INV-0",
                        reason="damaged")  # -50.00 -> 150.00
    invoice("INV-2", "2026-03-10", "40.00")  # +40.00 -> 190.00
    l.void_invoice("INV-2", "2026-03-11", "duplicate")  # -40.00 -> 150.00
    invoice("INV-3", "2026-03-12", "25.00")  # +25.00 -> 175.00
    l.write_off("INV-3", "2026-03-15", "small balance", id="WO-1")  # -25.00 -> 150.00
    l.reverse_write_off("WO-1", "2026-03-16", "customer will pay")  # +25.00 -> 175.00
    # 60.00 from a payer named on the 18th: -60.00 -> 115.00; 10.00 of it
    # refunded: +10.00 -> 125.00.
    l.record_receipt("R-2", "2026-03-17", d("60.00"), "USD")
    l.assign_payer("R-2", "ACME", "2026-03-18")
    l.refund(d("10.00"), "2026-03-20", receipt="R-2", method="check", reason="overpaid")
    # A EUR invoice: a section of its own.
    invoice("E-1", "2026-03-25", "70.00", "EUR")
    # After the period: not on it.
    l.record_receipt("R-9", "2026-04-02", d("5.00"), "USD", customer="ACME")
    return l


MARCH = (day("2026-03-01"), day("2026-03-31"))


def test_a_statement_of_every_kind_of_movement() -> None:
    l = book()
    s = l.statement("ACME", *MARCH)
    assert (s.customer, s.name, s.start, s.end) == ("ACME", "Acme Corp", *MARCH)
    assert s.labels == ["current", "1-30", "31-60", "61-90", "91-120", "over 120"]
    assert [x.currency for x in s.sections] == ["EUR", "USD"]
    usd = s.sections[1]
    assert usd.opening == d("200.00")
    got = [(e.date.isoformat(), e.kind, e.amount, e.balance) for e in usd.entries]
    assert got == [
        ("2026-03-02", "invoice", d("1000.00"), d("1200.00")),
        ("2026-03-05", "payment", d("-980.00"), d("220.00")),
        ("2026-03-05", "discount", d("-20.00"), d("200.00")),
        ("2026-03-08", "credit_memo", d("-50.00"), d("150.00")),
        ("2026-03-10", "invoice", d("40.00"), d("190.00")),
        ("2026-03-11", "invoice_voided", d("-40.00"), d("150.00")),
        ("2026-03-12", "invoice", d("25.00"), d("175.00")),
        ("2026-03-15", "write_off", d("-25.00"), d("150.00")),
        ("2026-03-16", "write_off_reversed", d("25.00"), d("175.00")),
        ("2026-03-18", "payment", d("-60.00"), d("115.00")),
        ("2026-03-20", "refund", d("10.00"), d("125.00")),
    ]
    assert all(type(e.amount) is Decimal and type(e.balance) is Decimal for e in usd.entries)
    assert usd.closing == d("125.00")
    # The discount names the invoice it was taken on; an invoice names none.
    assert (usd.entries[2].document, usd.entries[2].reference) == ("R-1", "INV-1")
    assert (usd.entries[0].document, usd.entries[0].reference) == ("INV-1", None)
    # Open at the end: INV-0 200.00 (the credit memo is not applied), INV-3
    # 25.00, CM-1 50.00 of credit, R-2 50.00 of cash.
    assert [(i.id, i.kind, i.open) for i in usd.open_items] == [
        ("INV-0", "invoice", d("200.00")),
        ("INV-3", "invoice", d("25.00")),
        ("CM-1", "credit_memo", d("50.00")),
        ("R-2", "unapplied_cash", d("50.00")),
    ]
    # INV-0 was due 2026-03-12: 19 days late, in 1-30.
    assert (usd.open_items[0].days, usd.open_items[0].bucket) == (19, 1)
    # The aging summary is the aging report's row of ACME in USD.
    assert usd.aging is not None
    row = next(r for r in l.aging(day("2026-03-31")).rows if r.currency == "USD")
    assert usd.aging.to_dict() == row.to_dict()
    assert (usd.aging.total, usd.aging.net) == (d("225.00"), d("125.00"))
    eur = s.sections[0]
    assert (eur.opening, eur.closing) == (d("0.00"), d("70.00"))
    assert [(e.kind, e.document, e.balance) for e in eur.entries] == [("invoice", "E-1", d("70.00"))]


def test_options_known_at_and_buckets() -> None:
    l = book()
    # Bounds 0 and 10: INV-0, 19 days late, is in "over 10".
    s = l.statement("ACME", "2026-03-01", "2026-03-31", buckets=[0, 10])
    assert s.labels == ["current", "1-10", "over 10"]
    usd = s.sections[1]
    assert usd.open_items[0].bucket == 2 and usd.aging is not None
    assert usd.aging.buckets == [d("25.00"), d("0.00"), d("200.00")]
    # As known before anything was recorded: no customer yet.
    with pytest.raises(ar.NotFoundError) as e:
        l.statement("ACME", *MARCH, known_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc))
    assert e.value.code == "not_found"


def test_statements_of_every_customer() -> None:
    l = book()
    l.register_customer("IDLE", "Nothing to show", "USD")
    all_ = l.statements(*MARCH)
    assert all_ == [l.statement("ACME", *MARCH)]
    assert all_[0].to_dict()["sections"][1]["closing"] == d("125.00")


@pytest.mark.parametrize(
    "call, error, code",
    [
        (lambda l: l.statement("ACME", "2026-03-31", "2026-03-01"), ar.ValidationError, "invalid_value"),
        (lambda l: l.statement("NOBODY", *MARCH), ar.NotFoundError, "not_found"),
        (lambda l: l.statement("ACME", "2026-03-01", 1.5), ar.ArTypeError, "invalid_type"),
        (lambda l: l.statement("ACME", *MARCH, buckets=[30, 0]), ar.ValidationError, "invalid_value"),
        (lambda l: l.statements(*MARCH, buckets=list(range(65))), ar.ValidationError, "limit_exceeded"),
        (lambda l: l.statements("2026-13-01", "2026-03-31"), ar.ValidationError, "invalid_date"),
    ],
)
def test_bad_arguments_are_typed_errors(call: Any, error: type, code: str) -> None:
    with pytest.raises(error) as e:
        call(book())
    assert e.value.code == code  # type: ignore[attr-defined]


def samples() -> List[Any]:
    """A statement with every record, for ``test_layer``."""
    return [book().statement("ACME", *MARCH)]


COMPANY: Any = {"name": "Widgets <Ltd> & Co", "address": ["1 Main St", "Springfield"]}


def test_statements_rendered_as_text_and_html() -> None:
    l = book()
    text = l.render_statements(*MARCH, company=COMPANY, format="text")
    lines = text.splitlines()
    assert lines[0] == "Widgets <Ltd> & Co"
    assert lines[1] == "STATEMENT OF ACCOUNT  Acme Corp (ACME)  2026-03-01 to 2026-03-31"

    def row(date: str, doc: str, what: str, debit: str, credit: str, balance: str) -> str:
        return f"{date:<10} {doc:<10} {what:<24} {debit:>12} {credit:>12} {balance:>12}"

    usd = lines.index("USD")
    assert lines[usd + 2] == row("2026-03-01", "", "Opening balance", "", "", "200.00")
    assert lines[usd + 3] == row("2026-03-02", "INV-1", "invoice", "1,000.00", "", "1,200.00")
    assert lines[usd + 5] == row("2026-03-05", "R-1", "discount on INV-1", "", "20.00", "200.00")
    assert row("2026-03-31", "", "Closing balance", "", "", "125.00") in lines
    assert "Aging: current 25.00; 1-30 200.00; 31-60 0.00;" in text
    # The same bytes as the customer asked for by name.
    assert l.render_statements(*MARCH, company=COMPANY, format="text", customers=["ACME"]) == text
    html = l.render_statements(*MARCH, company=COMPANY)
    assert html.count('<section class="statement">') == 1
    assert "break-after: page" in html and "@page" in html
    assert "<strong>Widgets &lt;Ltd&gt; &amp; Co</strong>" in html
    assert '<td class="num">1,200.00</td>' in html
    assert html.rstrip().endswith("</html>")
    # A template of the caller's: its mistakes name it and the line.
    mine = l.render_statements(*MARCH, company=COMPANY, format="text",
                               template="{% for s in statements %}{{ s.customer }}{% endfor %}")
    assert mine == "ACME"
    with pytest.raises(ar.ArError) as e:
        l.render_statements(*MARCH, company=COMPANY, format="text",
                            template="{{ company.name }}\n{{ nope }}")
    assert e.value.code == "template_error" and "line 2" in e.value.message
    with pytest.raises(ar.NotFoundError):
        l.render_statements(*MARCH, company=COMPANY, customers=["NOBODY"])
    with pytest.raises(ar.ValidationError) as e:
        l.render_statements(*MARCH, company=COMPANY, format="pdf")  # type: ignore[arg-type]
    assert e.value.code == "invalid_value"
