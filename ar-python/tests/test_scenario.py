"""The acceptance scenario of ``ar-core/tests/scenario.rs``, through Python:
the same hand-worked figures, the same asserts."""

from __future__ import annotations

import datetime

import pytest

import ar
from scenario import at, d, day


def test_invoice_totals_are_hand_worked(ledger: ar.Ledger) -> None:
    v = ledger.invoice("INV-1")
    assert (v.net, v.tax, v.total) == (d("130.00"), d("24.70"), d("154.70"))
    assert str(v.total) == "154.70"
    line = v.lines[1]
    assert (line.net, line.tax, line.gross) == (d("30.00"), d("5.70"), d("35.70"))
    offer = v.installments[0].discount
    assert offer is not None
    assert (offer.until, offer.amount) == (day("2026-03-11"), d("3.09"))
    assert v.installments[0].due_date == day("2026-03-31")
    assert v.due_date == day("2026-03-31")
    assert [(t.code, t.rate, t.taxable, t.tax) for t in v.taxes] == [
        ("VAT19", d("19"), d("130.00"), d("24.70"))
    ]
    assert str(v.terms) == "2/10 net 30"


def test_final_balances(ledger: ar.Ledger) -> None:
    [b] = ledger.customer_balance("ACME")
    assert (b.invoices, b.unapplied_cash, b.open_credits, b.net) == (
        d("19.00"),
        d("50.00"),
        d("0.00"),
        d("-31.00"),
    )
    assert (b.customer, b.currency) == ("ACME", "USD")
    assert [str(x) for x in (b.invoices, b.unapplied_cash, b.open_credits, b.net)] == [
        "19.00",
        "50.00",
        "0.00",
        "-31.00",
    ]

    def status(id: str) -> str:
        return ledger.invoice(id).status

    assert status("INV-1") == "partially_paid"
    assert status("INV-2") == "paid"
    assert status("INV-3") == "void"
    assert status("INV-4") == "paid"
    v1 = ledger.invoice("INV-1")
    assert (v1.paid, v1.credited, v1.open) == (d("100.00"), d("35.70"), d("19.00"))
    v4 = ledger.invoice("INV-4")
    assert (v4.paid, v4.discounted) == (d("490.00"), d("10.00"))
    summary = [(i.kind, i.id, i.open) for i in ledger.open_items()]
    assert summary == [("invoice", "INV-1", d("19.00")), ("unapplied_cash", "R2", d("50.00"))]
    cm = ledger.credit_memo("CM-1")
    assert (cm.amount, cm.applied, cm.open) == (d("35.70"), d("35.70"), d("0.00"))
    assert (cm.kind, cm.customer, cm.void) == ("credit_memo", "ACME", False)
    r2 = ledger.receipt("R2")
    assert (r2.amount, r2.applied, r2.refunded, r2.open) == (
        d("250.00"),
        d("200.00"),
        d("0.00"),
        d("50.00"),
    )
    assert ledger.balances() == ledger.customer_balance("ACME")


def test_as_of_and_known_at(ledger: ar.Ledger) -> None:
    # On 03-11 the 19.00 was still applied: INV-1 paid, 31.00 unapplied.
    [b] = ledger.customer_balance("ACME", as_of=day("2026-03-11"))
    assert (b.invoices, b.unapplied_cash, b.net) == (d("0.00"), d("31.00"), d("-31.00"))
    # On 03-08: INV-1 154.70 - 100.00, INV-4 500.00, INV-2 200.00 (INV-3 void).
    [b] = ledger.customer_balance("ACME", as_of="2026-03-08")
    assert b.invoices == d("54.70") + d("500.00") + d("200.00")
    # On 03-06 INV-3 was open; voided on 03-07.
    [b] = ledger.customer_balance("ACME", as_of=day("2026-03-06"))
    assert b.invoices == d("154.70") + d("500.00") + d("200.00") + d("50.00")
    # As known on 03-11 at noon, even looking at all dates, no unapply yet.
    known = at("2026-03-11T12:00:00Z")
    assert ledger.invoice("INV-1", known_at=known).status == "paid"
    # The same instant in another time zone is the same cut.
    cet = datetime.timezone(datetime.timedelta(hours=1))
    assert ledger.invoice("INV-1", known_at=known.astimezone(cet)).status == "paid"
    a5 = next(a for a in ledger.applications() if a.id == "A5")
    assert a5.unapplied_on == day("2026-03-12")
    assert (a5.source_kind, a5.source, a5.invoice, a5.date) == (
        "receipt",
        "R2",
        "INV-1",
        day("2026-03-10"),
    )
    [alloc] = a5.allocations
    assert (alloc.installment, alloc.amount, alloc.discount) == (1, d("19.00"), d("0.00"))
    assert str(alloc.discount) == "0.00"
    a3 = next(a for a in ledger.applications() if a.id == "A3")
    assert a3.allocations[0].discount == d("10.00")
    # Known at 03-11: A5 not yet unapplied.
    a5_then = next(a for a in ledger.applications(known_at=known) if a.id == "A5")
    assert a5_then.unapplied_on is None


def test_discount_outside_the_window_is_refused(ledger: ar.Ledger) -> None:
    before = ledger.to_json()
    with pytest.raises(ar.StateError) as e:
        ledger.apply(
            "INV-1",
            d("15.91"),
            "2026-03-20",
            receipt="R2",
            discount=d("3.09"),
            recorded=at("2026-03-20T09:00:00Z"),
        )
    assert e.value.code == "discount_not_allowed"
    assert ledger.to_json() == before


def test_currency_mismatch_is_refused(ledger: ar.Ledger) -> None:
    ledger.record_receipt(
        "R-EUR",
        "2026-03-20",
        d("10.00"),
        "EUR",
        customer="ACME",
        method="wire",
        recorded=at("2026-03-20T09:00:00Z"),
    )
    before = ledger.to_json()
    with pytest.raises(ar.CurrencyMismatchError) as e:
        ledger.apply(
            "INV-1", d("10.00"), "2026-03-20", receipt="R-EUR", recorded=at("2026-03-20T09:00:00Z")
        )
    assert (e.value.code, e.value.family) == ("currency_mismatch", "currency")
    assert ledger.to_json() == before
    # The EUR cash shows in its own balance row, EUR before USD.
    rows = ledger.customer_balance("ACME")
    assert [(r.currency, r.unapplied_cash, r.net) for r in rows] == [
        ("EUR", d("10.00"), d("-10.00")),
        ("USD", d("50.00"), d("-31.00")),
    ]


def test_fifo_write_off_and_refund(ledger: ar.Ledger) -> None:
    # R2's 50.00: FIFO pays INV-1's 19.00 (only open invoice), 31.00 stays.
    out = ledger.apply_fifo("2026-03-13", receipt="R2", recorded=at("2026-03-13T09:00:00Z"))
    assert len(out.events) == 1
    assert out.events[0].type == "applied"
    assert ledger.unapplied_cash()[0].open == d("31.00")
    # Refund 31.00; nothing is left.
    ledger.refund(
        d("31.00"),
        "2026-03-14",
        receipt="R2",
        method="ach",
        reason="overpayment",
        recorded=at("2026-03-14T09:00:00Z"),
    )
    assert ledger.open_items() == []
    assert ledger.receipt("R2").refunded == d("31.00")
    # A new invoice, written off, and the write-off reversed.
    ledger.issue_invoice(
        "INV-5", "ACME", "2026-03-15", [ar.Line("x", 1, d("80.00"))],
        recorded=at("2026-03-15T09:00:00Z"),
    )
    wo = ledger.write_off("INV-5", "2026-06-30", "bankrupt", recorded=at("2026-06-30T09:00:00Z"))
    assert ledger.invoice("INV-5").status == "written_off"
    [event] = wo.events
    assert event.type == "written_off"
    ledger.reverse_write_off(
        event.subject, "2026-07-10", "recovered", recorded=at("2026-07-10T09:00:00Z")
    )
    v = ledger.invoice("INV-5")
    assert (v.status, v.open) == ("open", d("80.00"))
    v = ledger.invoice("INV-5", as_of="2026-07-01")
    assert (v.status, v.written_off) == ("written_off", d("80.00"))


def test_rounding_in_jpy_and_kwd_through_the_ledger() -> None:
    l = ar.Ledger()
    m = at("2026-01-01T00:00:00Z")
    for id, code in [("JP", "JPY"), ("KW", "KWD")]:
        l.register_customer(id, id, code, recorded=m)
    # JPY: 3 x 333 = 999, 10 % tax 99.9 -> 100; total 1,099 yen.
    l.issue_invoice("J1", "JP", "2026-01-01", [ar.Line("x", 3, 333, taxes=[("CT", 10)])],
                    recorded=m)
    assert l.invoice("J1").open == d("1099")
    assert str(l.invoice("J1").open) == "1099"
    # KWD: 1 x 12.3456 -> 12.346; three equal installments 4.116 / 4.115 / 4.115.
    equal = ar.Terms.installments(
        [ar.Installment("net 30"), ar.Installment("net 60"), ar.Installment("net 90")]
    )
    l.issue_invoice("K1", "KW", "2026-01-01", [ar.Line("x", 1, d("12.3456"))], terms=equal,
                    recorded=m)
    v = l.invoice("K1")
    assert [i.amount for i in v.installments] == [d("4.116"), d("4.115"), d("4.115")]
    assert [str(i.amount) for i in v.installments] == ["4.116", "4.115", "4.115"]
    assert len([i for i in l.open_items() if i.id == "K1"]) == 3
    assert [i.installment for i in l.open_items() if i.id == "K1"] == [1, 2, 3]
    # A yen receipt of 100.5 is refused.
    with pytest.raises(ar.ValidationError) as e:
        l.record_receipt("RJ", "2026-01-02", d("100.5"), "JPY", customer="JP", recorded=m)
    assert e.value.code == "too_many_decimals"


def test_opening_balances_and_unknown_payers() -> None:
    l = ar.Ledger()
    m = at("2026-01-01T00:00:00Z")
    l.register_customer("C1", "C1", "USD", recorded=m)
    l.import_invoice(
        "OLD-7", "C1", "2025-11-15", "2025-12-15", d("1000.00"), d("400.00"),
        as_of="2025-12-31", recorded=m,
    )
    v = l.invoice("OLD-7")
    assert (v.status, v.open, v.settled_before_import) == (
        "partially_paid",
        d("400.00"),
        d("600.00"),
    )
    # Cash from an unknown payer cannot be applied until the payer is named.
    l.record_receipt("R?", "2026-01-05", d("400.00"), "USD", method="wire",
                     remittance="OLD-7", recorded=m)
    with pytest.raises(ar.StateError) as e:
        l.apply("OLD-7", d("400.00"), "2026-01-05", receipt="R?", recorded=m)
    assert e.value.code == "invalid_state"
    assert l.balances()[-1].customer is None
    assert l.unapplied_cash()[0].customer is None
    l.assign_payer("R?", "C1", "2026-01-06", recorded=m)
    # Applying before the payer was known is refused; on the 6th it works.
    with pytest.raises(ar.StateError) as e:
        l.apply("OLD-7", d("400.00"), "2026-01-05", receipt="R?", recorded=m)
    assert e.value.code == "date_before_document"
    l.apply("OLD-7", d("400.00"), "2026-01-06", receipt="R?", recorded=m)
    assert l.invoice("OLD-7").status == "paid"
