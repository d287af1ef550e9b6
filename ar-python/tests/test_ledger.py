"""Idempotency, replay, ``execute_json``, events and the shape of results."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest

import ar
from scenario import at, build, d, day


def test_idempotency_keys(ledger: ar.Ledger) -> None:
    def pay(amount: Decimal) -> ar.Outcome:
        return ledger.apply(
            "INV-1",
            amount,
            "2026-03-13",
            receipt="R2",
            recorded=at("2026-03-13T09:00:00Z"),
            idempotency_key="pay-1",
        )

    first = pay(d("19.00"))
    assert not first.replayed
    assert [e.type for e in first.events] == ["applied"]
    assert first.events[0].idempotency_key == "pay-1"
    n = len(ledger)
    json_after = ledger.to_json()
    again = pay(d("19.00"))
    assert again.replayed
    assert again.events == first.events
    assert len(ledger) == n
    assert ledger.to_json() == json_after
    # Same key, another command.
    with pytest.raises(ar.ConflictError) as e:
        pay(d("1.00"))
    assert (e.value.code, e.value.family) == ("idempotency_conflict", "conflict")
    assert ledger.to_json() == json_after
    # Keys survive a round trip through JSON.
    back = ar.Ledger.from_json(ledger.to_json())
    out = back.apply(
        "INV-1",
        d("19.00"),
        "2026-03-13",
        receipt="R2",
        recorded=at("2026-03-13T09:00:00Z"),
        idempotency_key="pay-1",
    )
    assert out.replayed
    assert out.events == first.events


def test_replay_rebuilds_the_same_ledger(ledger: ar.Ledger) -> None:
    text = ledger.to_json()
    assert text.startswith('{"version":2,')
    back = ar.Ledger.from_json(text)
    assert back == ledger
    assert back.to_json() == text
    assert back.balances() == ledger.balances()
    assert back.open_items() == ledger.open_items()
    assert back.applications() == ledger.applications()
    assert back.balances(as_of="2026-03-08") == ledger.balances(as_of="2026-03-08")
    known = at("2026-03-11T12:00:00Z")
    assert back.balances(known_at=known) == ledger.balances(known_at=known)
    assert back.events() == ledger.events()
    assert len(back) == len(ledger) == 16


def test_events_and_outcomes(ledger: ar.Ledger) -> None:
    events = ledger.events()
    assert [e.seq for e in events] == list(range(1, 17))
    first = events[0]
    assert (first.type, first.subject, first.effective) == (
        "customer_registered",
        "ACME",
        day("2026-03-01"),
    )
    assert first.recorded == datetime.datetime(2026, 3, 1, 8, tzinfo=datetime.timezone.utc)
    assert first.recorded.tzinfo is not None
    assert first.idempotency_key is None
    body = json.loads(first.json)
    assert body["seq"] == 1
    assert body["event"]["type"] == "customer_registered"
    # Each event is a line of the log, with its hash in the log's chain: a
    # list of them is the log.
    assert body["hash"] == first.hash and len(first.hash) == 64
    logged = json.loads(ledger.to_json())["events"]
    assert logged[0] == body
    assert [json.loads(e.json) for e in events] == logged
    # A generated application id is the subject of its event.
    out = ledger.apply("INV-1", 5, "2026-03-13", receipt="R2", recorded=at("2026-03-13T09:00:00Z"))
    [event] = out.events
    assert event.type == "applied"
    assert event.subject in [a.id for a in ledger.applications()]
    assert out.to_dict()["events"][0]["subject"] == event.subject
    assert repr(event).startswith("Event(seq=17, type='applied', subject=")


def test_default_recorded_time_is_now_in_utc() -> None:
    l = ar.Ledger()
    before = datetime.datetime.now(datetime.timezone.utc)
    out = l.register_customer("C", "C", "USD")
    after = datetime.datetime.now(datetime.timezone.utc)
    recorded = out.events[0].recorded
    assert before - datetime.timedelta(seconds=1) <= recorded <= after
    assert recorded.utcoffset() == datetime.timedelta(0)


def test_execute_json_round_trip(ledger: ar.Ledger) -> None:
    command = {
        "type": "apply",
        "source": {"receipt": "R2"},
        "invoice": "INV-1",
        "amount": "19.00",
        "date": "2026-03-13",
    }
    by_json = build()
    out = by_json.execute_json(json.dumps(command), recorded=at("2026-03-13T09:00:00Z"))
    ledger.apply("INV-1", d("19.00"), "2026-03-13", receipt="R2",
                 recorded=at("2026-03-13T09:00:00Z"))
    assert not out.replayed
    assert by_json.to_json() == ledger.to_json()
    assert by_json.invoice("INV-1").status == "paid"
    # The log's own events are valid input for a rebuilt ledger.
    assert ar.Ledger.from_json(by_json.to_json()) == by_json
    # Idempotency works the same way through JSON.
    keyed = by_json.execute_json(
        json.dumps({"type": "refund", "source": {"receipt": "R2"}, "amount": "31.00",
                    "date": "2026-03-14", "method": "ach"}),
        recorded=at("2026-03-14T09:00:00Z"),
        idempotency_key="refund-1",
    )
    assert [e.type for e in keyed.events] == ["refunded"]
    again = by_json.execute_json(
        json.dumps({"type": "refund", "source": {"receipt": "R2"}, "amount": "31.00",
                    "date": "2026-03-14", "method": "ach"}),
        recorded=at("2026-03-14T09:00:00Z"),
        idempotency_key="refund-1",
    )
    assert again.replayed


@pytest.mark.parametrize(
    "text, names",
    [
        ("{not json", "key must be a string"),
        ('{"type": "teleport"}', "teleport"),
        ('{"type": "apply", "invoice": "INV-1"}', "missing field"),
        (
            '{"type": "apply", "source": {"receipt": "R2"}, "invoice": "INV-1", '
            '"amount": 19.0, "date": "2026-03-13"}',
            "floating point",
        ),
        (
            '{"type": "apply", "source": {"receipt": "R2"}, "invoice": "", '
            '"amount": "1", "date": "2026-03-13"}',
            "must not be empty",
        ),
    ],
)
def test_execute_json_refuses_what_is_not_a_command(
    ledger: ar.Ledger, text: str, names: str
) -> None:
    before = ledger.to_json()
    with pytest.raises(ar.ValidationError) as e:
        ledger.execute_json(text, recorded=at("2026-04-01T00:00:00Z"))
    assert e.value.code == "invalid_value"
    assert e.value.message.startswith("command_json: ")
    assert names in e.value.message
    assert ledger.to_json() == before


def test_records_have_repr_eq_and_to_dict(ledger: ar.Ledger) -> None:
    [item, cash] = ledger.open_items()
    assert repr(item) == (
        "OpenItem(kind='invoice', id='INV-1', installment=None, customer='ACME', "
        "currency='USD', date=datetime.date(2026, 3, 1), "
        "due_date=datetime.date(2026, 3, 31), original=Decimal('154.70'), "
        "open=Decimal('19.00'), disputed=False)"
    )
    assert item == ledger.open_items()[0]
    assert item != cash
    assert item != "INV-1"
    assert item.to_dict() == {
        "kind": "invoice",
        "id": "INV-1",
        "installment": None,
        "customer": "ACME",
        "currency": "USD",
        "date": day("2026-03-01"),
        "due_date": day("2026-03-31"),
        "original": d("154.70"),
        "open": d("19.00"),
        "disputed": False,
    }
    with pytest.raises(AttributeError):
        item.open = d("0")  # type: ignore[misc]
    view = ledger.invoice("INV-1").to_dict()
    assert view["installments"][0]["discount"] == {
        "until": day("2026-03-11"),
        "percent": d("2"),
        "amount": d("3.09"),
        "base": "total",
    }
    assert view["lines"][1] == {"net": d("30.00"), "tax": d("5.70"), "gross": d("35.70")}
    assert view["status"] == "partially_paid"
    assert ledger.balances()[0].to_dict()["net"] == d("-31.00")
    assert "allocations" in ledger.applications()[0].to_dict()
    assert repr(ledger) == "<ar.Ledger with 16 events>"


def test_terms_and_lines_as_values() -> None:
    t = ar.Terms.parse("2/10 net 30")
    assert str(t) == "2/10 net 30"
    assert repr(t) == "Terms.parse('2/10 net 30')"
    assert t == ar.Terms.net(30, discount_percent=2, discount_days=10)
    assert hash(t) == hash(ar.Terms.net(30, discount_percent=Decimal("2"), discount_days=10))
    assert t.kind == "single"
    assert str(ar.Terms.end_of_month(15)) == "EOM + 15"
    assert ar.Terms.parse("eom 15") == ar.Terms.end_of_month(15)
    assert str(ar.Terms.due_on_receipt()) == "due on receipt"
    inst = ar.Terms.installments(
        [ar.Installment("net 30", percent=40), ar.Installment("net 60", remainder=True)]
    )
    assert (inst.kind, str(inst)) == ("installments", "2 installments")
    assert repr(inst) == (
        "Terms.installments([Installment('net 30', percent=Decimal('40')), "
        "Installment('net 60', remainder=True)])"
    )
    i = ar.Installment("EOM + 15", amount=Decimal("10.00"), discount_percent=2, discount_days=10)
    assert (i.due, i.amount, i.percent, i.remainder, i.equal) == (
        "EOM + 15",
        Decimal("10.00"),
        None,
        False,
        False,
    )
    assert (i.discount_percent, i.discount_days) == (Decimal("2"), 10)
    assert ar.Installment("net 30").equal
    line = ar.Line("Widget", 2, Decimal("59.50"), taxes=[("VAT19", 19)])
    assert line.taxes == [("VAT19", Decimal("19"))]
    assert (line.quantity, line.unit_price) == (Decimal("2"), Decimal("59.50"))
    assert line == ar.Line("Widget", Decimal("2"), Decimal("59.50"), taxes=(("VAT19", 19),))
    assert line.to_dict()["unit_price"] == Decimal("59.50")


def test_customers_drafts_disputes_and_credit_memos() -> None:
    l = ar.Ledger()
    m = at("2026-05-01T00:00:00Z")
    l.register_customer(
        "C", "Cee", "EUR", terms=ar.Terms.net(14), credit_limit=Decimal("1000.00"),
        dimensions={"region": "EMEA"}, recorded=m,
    )
    l.update_customer("C", "Cee Ltd", "EUR", terms="net 45", recorded=m)
    l.issue_invoice(
        "D1", "C", "2026-05-01", [ar.Line("x", 2, Decimal("50.00"), taxes=[("V", 20)])],
        po_number="PO-1", dimensions={"project": "p1"}, draft=True, recorded=m,
    )
    assert l.invoice("D1").status == "draft"
    assert l.open_items() == []
    l.finalize_invoice("D1", "2026-05-02", recorded=m)
    v = l.invoice("D1")
    assert (v.status, v.total, v.po_number, v.dimensions) == (
        "open", Decimal("120.00"), "PO-1", {"project": "p1"}
    )
    # Terms at issue time were the customer's updated net 45.
    assert v.due_date == datetime.date(2026, 6, 15)
    l.set_dispute("D1", True, "2026-05-03", "wrong price", recorded=m)
    assert l.invoice("D1").disputed
    assert l.open_items()[0].disputed
    l.set_dispute("D1", False, "2026-05-04", recorded=m)
    l.issue_credit_memo("CM", "C", "2026-05-05", against="D1", whole=True, recorded=m)
    cm = l.credit_memo("CM")
    assert (cm.amount, cm.open) == (Decimal("120.00"), Decimal("120.00"))
    l.apply_fifo("2026-05-05", credit_memo="CM", recorded=m)
    assert l.invoice("D1").status == "paid"
    assert l.invoice("D1").credited == Decimal("120.00")
    l.issue_credit_memo("CM2", "C", "2026-05-06", amount=Decimal("5.00"), reason="goodwill",
                        recorded=m)
    assert [c.id for c in l.open_credits()] == ["CM2"]
    l.void_credit_memo("CM2", "2026-05-07", recorded=m)
    assert l.open_credits() == []
    l.record_receipt("RX", "2026-05-08", Decimal("9.99"), "EUR", customer="C", method="card",
                     reference="tx-1", recorded=m)
    l.void_receipt("RX", "2026-05-09", "chargeback", recorded=m)
    assert l.receipt("RX").void
    lines_memo = ar.Ledger()
    lines_memo.register_customer("C", "C", "USD", recorded=m)
    lines_memo.issue_invoice("I", "C", "2026-05-01", [ar.Line("x", 4, Decimal("10.00"))],
                             recorded=m)
    lines_memo.issue_credit_memo("CL", "C", "2026-05-02", against="I",
                                 lines=[(0, Decimal("1"))], recorded=m)
    assert lines_memo.credit_memo("CL").amount == Decimal("10.00")


def test_the_log_carries_a_hash_chain(ledger: ar.Ledger) -> None:
    text = ledger.to_json()
    head = ledger.chain_head
    assert len(head) == 64 and head != "0" * 64
    assert ar.Ledger().chain_head == "0" * 64
    assert json.loads(text)["events"][-1]["hash"] == head
    assert ar.Ledger.from_json(text).chain_head == head
    # A reason edited by hand breaks the chain: the event is named.
    edited = text.replace('"reason":"wrong invoice"', '"reason":"right invoice"')
    assert edited != text
    with pytest.raises(ar.LogError) as e:
        ar.Ledger.from_json(edited)
    assert e.value.code == "corrupt_log"
    assert "hash" in e.value.message and "event 16" in e.value.message


def test_a_log_edited_against_its_own_documents_is_refused(ledger: ar.Ledger) -> None:
    # Version 1 (no hashes): only the events' own rules can catch the edit.
    log = json.loads(ledger.to_json())
    log["version"] = 1
    for e in log["events"]:
        del e["hash"]
    assert ar.Ledger.from_json(json.dumps(log)) == ledger
    receipt = next(e for e in log["events"] if e["event"]["type"] == "receipt_recorded")
    receipt["event"]["receipt"]["amount"] = "-100.00"
    with pytest.raises(ar.LogError) as e:
        ar.Ledger.from_json(json.dumps(log))
    assert e.value.code == "corrupt_log"
    assert f"event {receipt['seq']} (receipt_recorded" in e.value.message
