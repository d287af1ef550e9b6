"""Credit checks and the collector's worklist from Python: the hand-worked
cases of ``ar-core/tests/credit_control.rs`` (a 10,000.00 limit with
6,000.00 owed) and ``ar-core/tests/worklist.rs`` (five customers ranked,
three left off)."""

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


def acme() -> ar.Ledger:
    """ACME, limit 10,000.00; INV-1 of 6,000.00 due March 31 (net 30)."""
    l = ar.Ledger()
    l.register_customer("ACME", "Acme", "USD", credit_limit=d("10000.00"))
    l.issue_invoice("INV-1", "ACME", "2026-03-01", [ar.Line("x", 1, d("6000.00"))], terms="net 30")
    return l


def kinds(c: ar.CreditCheck) -> list[tuple[str, str]]:
    return [(f.outcome, f.reason.kind) for f in c.reasons]


def test_allowed_warned_and_over_the_limit() -> None:
    l = acme()
    c = l.credit_check("ACME", d("2000.00"), "2026-03-10")
    assert (c.outcome, c.owed, c.exposure, c.limit) == ("allow", d("6000.00"), d("8000.00"), d("10000.00"))
    assert c.reasons == [] and c.currency == "USD"
    # Exactly 90 % of the limit: a warning.
    c = l.credit_check("ACME", d("3000.00"), day("2026-03-10"))
    assert kinds(c) == [("warn", "near_limit")]
    assert (c.reasons[0].reason.limit, c.reasons[0].reason.exposure) == (d("10000.00"), d("9000.00"))
    c = l.credit_check("ACME", d("4500.00"), "2026-03-10")
    assert c.outcome == "block"
    r = c.reasons[0].reason
    assert (r.kind, r.limit, r.exposure, r.over_by) == ("over_limit", d("10000.00"), d("10500.00"), d("500.00"))
    assert r.days is None and r.since is None
    # Orders accepted but not invoiced count.
    c = l.credit_check("ACME", d("2000.00"), "2026-03-10", orders=d("2500.00"))
    assert (c.exposure, c.outcome) == (d("10500.00"), "block")
    with pytest.raises(ar.ValidationError) as e:
        l.credit_check("ACME", d("-1"), "2026-03-10")
    assert e.value.code == "invalid_amount"
    with pytest.raises(ar.ValidationError) as e:
        l.credit_check("ACME", d("1.001"), "2026-03-10")
    assert e.value.code == "too_many_decimals"
    with pytest.raises(ar.NotFoundError):
        l.credit_check("NOBODY", d("1"), "2026-03-10")
    with pytest.raises(TypeError):
        l.credit_check("ACME", 1.5, "2026-03-10")  # type: ignore[arg-type]


def test_past_due_items_block_by_policy() -> None:
    l = acme()
    c = l.credit_check("ACME", d("100.00"), "2026-05-01")
    r = c.reasons[0].reason
    assert c.outcome == "block"
    assert (r.kind, r.days, r.items, r.amount, r.oldest_days) == ("past_due", 30, 1, d("6000.00"), 31)
    assert l.credit_check("ACME", d("100.00"), "2026-04-30").outcome == "allow"
    c = l.credit_check("ACME", d("100.00"), "2026-05-01", policy={"past_due": "warn"})
    assert kinds(c) == [("warn", "past_due")]
    # A lower share of the limit warns sooner.
    c = l.credit_check("ACME", d("1000.00"), "2026-03-10", policy={"warn_at_percent": d("70")})
    assert kinds(c) == [("warn", "near_limit")]
    with pytest.raises(ar.ValidationError):
        l.credit_check("ACME", d("1"), "2026-03-10", policy={"past_due": "shout"})


def test_a_broken_promise_warns_and_a_hold_blocks() -> None:
    l = acme()
    l.record_promise(
        {"id": "P-1", "customer": "ACME", "items": [{"invoice": "INV-1"}], "amount": d("6000.00"), "due": "2026-04-05"},
        "2026-04-01",
    )
    c = l.credit_check("ACME", d("100.00"), "2026-04-06")
    assert kinds(c) == [("warn", "broken_promises")]
    assert c.reasons[0].reason.count == 1
    out = l.set_credit_hold("ACME", True, "2026-04-07", "promise broken", by="j.smith")
    assert [str(e.type) for e in out.events] == ["credit_hold_set"]
    c = l.credit_check("ACME", d("100.00"), "2026-04-08")
    assert kinds(c) == [("block", "on_hold"), ("warn", "broken_promises")]
    r = c.reasons[0].reason
    assert (r.since, r.reason, r.by) == (day("2026-04-07"), "promise broken", "j.smith")
    assert kinds(l.credit_check("ACME", d("100.00"), "2026-04-06")) == [("warn", "broken_promises")]
    # A hold needs a reason, to be lifted too.
    with pytest.raises(ar.ValidationError) as e:
        l.set_credit_hold("ACME", False, "2026-04-09", " ", by="j.smith")
    assert e.value.code == "invalid_value"
    l.set_credit_hold("ACME", False, "2026-04-09", "paid in full", by="j.smith")
    assert kinds(l.credit_check("ACME", d("100.00"), "2026-04-10")) == [("warn", "broken_promises")]
    assert ar.Ledger.from_json(l.to_json()) == l
    assert c.to_dict()["reasons"][0]["reason"]["kind"] == "on_hold"


def worklist_book() -> ar.Ledger:
    l = ar.Ledger()
    for c in "ABCDEFGH":
        l.register_customer(c, f"Customer {c}", "USD", dimensions={"collector": "ann" if c < "E" else "bob"})

    def invoice(customer: str, id: str, date: str, amount: str) -> None:
        net = 28 if date == "2026-02-01" else 30
        l.issue_invoice(id, customer, date, [ar.Line("x", 1, d(amount))], terms=f"net {net}")

    def pay(customer: str, id: str, date: str, amount: str) -> None:
        l.record_receipt(f"R-{id}", date, d(amount), "USD", customer=customer)
        l.apply(id, d(amount), date, receipt=f"R-{id}")

    def promise(id: str, customer: str, invoice: str, amount: str, due: str, on: str) -> None:
        l.record_promise({"id": id, "customer": customer, "items": [{"invoice": invoice}], "amount": d(amount), "due": due}, on)

    # History: B paid 400.00 ten days late; G 200.00 on time and 200.00
    # five days late (all due March 1).
    invoice("B", "B0", "2026-02-01", "400.00")
    invoice("G", "G0", "2026-02-01", "200.00")
    invoice("G", "G00", "2026-02-01", "200.00")
    pay("B", "B0", "2026-03-11", "400.00")
    pay("G", "G0", "2026-03-01", "200.00")
    pay("G", "G00", "2026-03-06", "200.00")
    invoice("A", "A1", "2026-03-01", "1000.00")
    invoice("B", "B1", "2026-03-16", "600.00")
    invoice("C", "C1", "2026-03-21", "500.00")
    invoice("D", "D1", "2026-03-26", "2000.00")
    invoice("E", "E1", "2026-04-15", "300.00")
    invoice("F", "F1", "2026-03-02", "800.00")
    invoice("G", "G1", "2026-01-30", "100.00")
    invoice("H", "H1", "2026-03-30", "1200.00")
    l.set_dispute("D1", True, "2026-04-26", "not delivered")
    promise("P-C", "C", "C1", "500.00", "2026-04-22", "2026-04-10")  # broken
    promise("P-F", "F", "F1", "800.00", "2026-05-05", "2026-04-20")  # open
    return l


def test_five_customers_ranked_and_three_left_off() -> None:
    l = worklist_book()
    w = l.worklist("2026-04-30")
    assert w.as_of == day("2026-04-30")
    assert [(r.rank, r.customer, r.score) for r in w.rows] == [
        (1, "A", d("2000.00")),
        (2, "B", d("1800.00")),
        (3, "H", d("1240.00")),
        (4, "C", d("1000.00")),
        (5, "G", d("450.00")),
    ]
    g = w.rows[4]
    assert (g.late_share, g.days_beyond_terms, g.oldest_days, g.weighted_overdue) == (d("0.5"), d("2.5"), 60, d("300.00"))
    assert "100.00 USD overdue in 1 item(s), the oldest 60 days" in g.explanation
    assert "50% of past payments late" in g.explanation
    assert w.rows[3].broken_promises == 1
    assert [(e.customer, e.reasons) for e in w.excluded] == [
        ("D", ["disputed"]),
        ("E", ["nothing_overdue"]),
        ("F", ["promised"]),
    ]
    ann = l.worklist(day("2026-04-30"), dimension=("collector", "ann"))
    assert [r.customer for r in ann.rows] == ["A", "B", "C"]
    assert l.worklist("2026-04-30", currency="EUR").rows == []
    l.set_collections_hold("A", True, "2026-04-29", reason="in legal review")
    w = l.worklist("2026-04-30")
    assert [r.customer for r in w.rows] == ["B", "H", "C", "G"]
    assert ("A", ["on_hold"]) in [(e.customer, e.reasons) for e in w.excluded]


def samples() -> List[Any]:
    """A credit check with every reason's fields and a worklist with rows
    and exclusions, for ``test_layer``."""
    l = acme()
    l.set_credit_hold("ACME", True, "2026-04-07", "promise broken", by="j.smith")
    return [
        l.credit_check("ACME", d("4500.00"), "2026-03-10"),
        l.credit_check("ACME", d("100.00"), "2026-05-01"),
        worklist_book().worklist("2026-04-30"),
    ]


def test_a_credit_hold_is_flagged_in_every_report() -> None:
    """``a_credit_hold_is_flagged_in_every_report`` of
    ``ar-core/tests/credit_control.rs``: held April 7 to 20."""
    l = acme()
    l.set_credit_hold("ACME", True, "2026-04-07", "late", by="j.smith")
    l.set_credit_hold("ACME", False, "2026-04-20", "late", by="j.smith")
    assert l.aging("2026-04-06").credit_holds == []
    assert l.aging("2026-04-10").credit_holds == ["ACME"]
    assert l.aging("2026-04-20").credit_holds == []
    assert "credit_holds" in l.aging("2026-04-10").to_dict()
    assert [r.credit_hold for r in l.worklist("2026-04-10").rows] == [True]
    assert [r.credit_hold for r in l.worklist("2026-04-21").rows] == [False]
    setup: Any = {"id": "std", "levels": [{"days": 7, "action": "email", "template": "first"}],
                  "min_days_between": 7}
    # A credit hold flags the notice; it does not stop it.
    assert [n.credit_hold for n in l.dunning_run(setup, "2026-04-10").notices] == [True]
    assert [n.credit_hold for n in l.dunning_run(setup, "2026-04-21").notices] == [False]
    assert l.statement("ACME", "2026-04-01", "2026-04-10").credit_hold is True
    assert l.statement("ACME", "2026-04-01", "2026-04-30").credit_hold is False
