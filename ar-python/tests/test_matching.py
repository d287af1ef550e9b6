"""Cash application through the binding: the hand-worked cases of
``ar-core/tests/matching.rs`` and ``ar-core/tests/cash_application.rs``, the
typed errors of bad input, and the data frames of a ``MatchBatch``."""

from __future__ import annotations

import datetime
import json
import types
from decimal import Decimal
from typing import Any, List, Optional, Tuple

import pytest

import ar
from ar.typedefs import (
    MatchCustomerDict,
    MatchItemDict,
    MatchItemKind,
    MatchReceiptDict,
    ReasonCode,
    ToleranceDict,
)
from scenario import at, d, day

# ----- helpers ------------------------------------------------------------------


def inv(
    id: str,
    customer: str,
    due: str,
    open: str,
    *,
    kind: MatchItemKind = "invoice",
    date: Optional[str] = None,
    discount: Optional[Tuple[str, str]] = None,
    po_number: Optional[str] = None,
    disputed: bool = False,
) -> MatchItemDict:
    """An open item: invoiced 30 days before it is due unless ``date`` says."""
    item: MatchItemDict = {
        "kind": kind,
        "id": id,
        "customer": customer,
        "currency": "USD",
        "date": day(date) if date else day(due) - datetime.timedelta(days=30),
        "due_date": day(due),
        "open": d(open),
        "disputed": disputed,
    }
    if discount is not None:
        item["discount"] = {"until": day(discount[0]), "amount": d(discount[1])}
    if po_number is not None:
        item["po_number"] = po_number
    return item


def receipt(
    id: str, payer: Optional[str], date: str, amount: str, text: str = ""
) -> MatchReceiptDict:
    return {
        "id": id,
        "customer": payer,
        "date": day(date),
        "amount": d(amount),
        "currency": "USD",
        "remittance": text,
    }


def one(r: MatchReceiptDict, items: List[MatchItemDict], **options: Any) -> ar.ReceiptMatch:
    batch = ar.match_receipts([r], items, **options)
    assert len(batch) == 1
    return batch.matches[0]


Line = Tuple[str, Decimal, Decimal, Decimal, Decimal]


def lines(m: ar.ReceiptMatch, p: int = 0) -> List[Line]:
    """(invoice, amount, discount, write_off, open_after) of a proposal."""
    return [
        (a.invoice, a.amount, a.discount, a.write_off, a.open_after)
        for a in m.proposals[p].applications
    ]


def line(invoice: str, amount: str, disc: str, wo: str, after: str) -> Line:
    return (invoice, d(amount), d(disc), d(wo), d(after))


def has(m: ar.ReceiptMatch, code: ReasonCode, p: int = 0) -> bool:
    return any(r.code == code for r in m.proposals[p].reasons)


# ----- the hand-worked cases of ar-core/tests/matching.rs ------------------------


def test_amount_settles_the_one_combination_that_fits() -> None:
    # 300.00 against 100.00, 250.00 and 50.00: only 250 + 50 = 300.
    items = [
        inv("INV-1", "ACME", "2026-01-31", "100.00"),
        inv("INV-2", "ACME", "2026-02-28", "250.00"),
        inv("INV-3", "ACME", "2026-03-31", "50.00"),
    ]
    m = one(receipt("R1", "ACME", "2026-04-02", "300.00"), items)
    assert m.status == "auto"
    assert lines(m) == [
        line("INV-2", "250.00", "0.00", "0.00", "0.00"),
        line("INV-3", "50.00", "0.00", "0.00", "0.00"),
    ]
    assert has(m, "combination")
    assert m.proposals[0].confidence >= 85
    assert m.auto == m.proposals[0]
    assert (m.receipt, m.date, m.amount, m.currency, m.given_payer) == (
        "R1", day("2026-04-02"), d("300.00"), "USD", "ACME"
    )
    p = m.proposals[0]
    assert (p.customer, p.payer_basis, p.unapplied) == ("ACME", "given", d("0.00"))
    a = p.applications[0]
    assert (a.source_kind, a.source, a.installment, a.date) == (
        "receipt", "R1", None, day("2026-04-02")
    )


def test_a_list_of_references_settles_both() -> None:
    items = [
        inv("INV-1001", "ACME", "2026-01-31", "120.00"),
        inv("INV-1002", "ACME", "2026-02-28", "80.50"),
        inv("INV-1003", "ACME", "2026-03-31", "200.50"),
    ]
    # 120.00 + 80.50 = 200.50, which INV-1003 alone also is: the references decide.
    m = one(receipt("R1", "ACME", "2026-04-02", "200.50", "INV-1001/1002"), items)
    assert m.status == "auto"
    assert lines(m) == [
        line("INV-1001", "120.00", "0.00", "0.00", "0.00"),
        line("INV-1002", "80.50", "0.00", "0.00", "0.00"),
    ]
    assert m.proposals[0].confidence == 99
    assert has(m, "reference") and has(m, "exact_amount")
    assert [(r.kind, r.number) for r in m.references] == [("invoice", "1001"), ("invoice", "1002")]


def discounted(id: str) -> MatchItemDict:
    # 1,000.00 on 2/10 net 30, invoiced 1 March: 20.00 off until 11 March.
    return inv(
        id,
        "ACME",
        "2026-03-31",
        "1000.00",
        date="2026-03-01",
        discount=("2026-03-11", "20.00"),
    )


def test_discount_in_window_closes_and_after_it_leaves_a_deduction() -> None:
    m = one(receipt("R1", "ACME", "2026-03-10", "980.00", "INV 77"), [discounted("INV-77")])
    assert m.status == "auto"
    assert lines(m) == [line("INV-77", "980.00", "20.00", "0.00", "0.00")]
    assert has(m, "discount_in_window")
    # The same 980.00 on 20 March: the window closed on the 11th.
    m = one(receipt("R1", "ACME", "2026-03-20", "980.00", "INV 77"), [discounted("INV-77")])
    assert lines(m) == [line("INV-77", "980.00", "0.00", "0.00", "20.00")]
    assert has(m, "discount_late")
    # Also by the amount alone, without a reference.
    m = one(receipt("R1", "ACME", "2026-03-05", "980.00"), [discounted("INV-77")])
    assert m.status == "auto"
    assert lines(m) == [line("INV-77", "980.00", "20.00", "0.00", "0.00")]


def test_short_pay_within_tolerance_is_written_off_beyond_it_is_not() -> None:
    items = [inv("INV-5", "ACME", "2026-03-31", "500.00")]
    fixed = {"fixed": d("25.00")}
    # 500.00 - 485.00 = 15.00 <= 25.00.
    m = one(receipt("R1", "ACME", "2026-04-01", "485.00", "INV-5"), items, tolerance=fixed)
    assert m.status == "auto"
    assert lines(m) == [line("INV-5", "485.00", "0.00", "15.00", "0.00")]
    assert has(m, "short_pay_written_off")
    # 500.00 - 470.00 = 30.00 > 25.00: applied, 30.00 left open.
    m = one(receipt("R1", "ACME", "2026-04-01", "470.00", "INV-5"), items, tolerance=fixed)
    assert lines(m) == [line("INV-5", "470.00", "0.00", "0.00", "30.00")]
    assert has(m, "short_pay_deduction")
    assert not has(m, "short_pay_written_off")
    # Without a tolerance nothing is written off.
    m = one(receipt("R1", "ACME", "2026-04-01", "485.00", "INV-5"), items)
    assert lines(m) == [line("INV-5", "485.00", "0.00", "0.00", "15.00")]
    # A percentage: 2 % of 500.00 is 10.00; 9.99 short passes, 10.01 does not.
    pct = {"percent": Decimal(2)}
    m = one(receipt("R1", "ACME", "2026-04-01", "490.01", "INV-5"), items, tolerance=pct)
    assert lines(m) == [line("INV-5", "490.01", "0.00", "9.99", "0.00")]
    m = one(receipt("R1", "ACME", "2026-04-01", "489.99", "INV-5"), items, tolerance=pct)
    assert lines(m) == [line("INV-5", "489.99", "0.00", "0.00", "10.01")]
    # Through the options dict as well.
    m = one(
        receipt("R1", "ACME", "2026-04-01", "491.00"), items, options={"tolerance": pct}
    )
    assert lines(m) == [line("INV-5", "491.00", "0.00", "9.00", "0.00")]


def test_write_offs_need_a_reference_and_partial_payments_are_reviewed() -> None:
    # 236.67 - 225.45 = 11.22, within 25.00; only the amount points at INV-7001.
    items = [
        inv("INV-7001", "ACME", "2026-03-31", "236.67"),
        inv("INV-7002", "ACME", "2026-03-31", "980.00"),
    ]
    fixed: ToleranceDict = {"fixed": d("25.00")}
    m = one(receipt("R1", "ACME", "2026-04-02", "225.45", "PO 90595"), items, tolerance=fixed)
    assert m.status == "review"
    assert lines(m) == [line("INV-7001", "225.45", "0.00", "11.22", "0.00")]
    assert has(m, "tolerance_unsupported")
    m = one(
        receipt("R1", "ACME", "2026-04-02", "225.45"),
        items,
        tolerance=fixed,
        tolerance_evidence="any",
    )
    assert m.status == "auto"
    m = one(
        receipt("R1", "ACME", "2026-04-02", "225.45", "INV-7001"),
        items,
        options={"tolerance": fixed, "tolerance_evidence": "review_only"},
    )
    assert m.status == "review"
    # 100.00 of INV-7002's 980.00: reviewed, or applied when partial payments may be.
    m = one(receipt("R1", "ACME", "2026-04-02", "100.00", "INV-7002"), items)
    assert m.status == "review"
    assert has(m, "partial_payment")
    m = one(receipt("R1", "ACME", "2026-04-02", "100.00", "INV-7002"), items, partial_payments="auto")
    assert m.status == "auto"
    assert lines(m) == [line("INV-7002", "100.00", "0.00", "0.00", "880.00")]
    opts = ar.Matcher(items, partial_payments="auto").options
    assert (opts["tolerance_evidence"], opts["partial_payments"]) == ("reference", "auto")
    for key, bad in (("tolerance_evidence", "amount"), ("partial_payments", "always")):
        with pytest.raises(ar.ValidationError) as e:
            one(receipt("R1", "ACME", "2026-04-02", "1.00"), items, **{key: bad})
        assert e.value.code == "invalid_value"
    # A check number is not an invoice number; a deposit pays no invoice.
    r = ar.parse_remittance("CHECK NO 4411 DEPOSIT")
    assert r.references[0].kind == "check"
    assert r.no_invoice


def test_several_fitting_combinations_are_listed_and_none_applied() -> None:
    # 500.00 against 100, 200, 300, 400: 100+400 and 200+300 fit equally.
    items = [
        inv("A", "ACME", "2026-01-31", "100.00"),
        inv("B", "ACME", "2026-02-28", "200.00"),
        inv("C", "ACME", "2026-03-31", "300.00"),
        inv("D", "ACME", "2026-04-30", "400.00"),
    ]
    m = one(receipt("R1", "ACME", "2026-05-02", "500.00"), items)
    assert m.status == "review"
    assert any(n.code == "ambiguous" for n in m.notes)
    sets = [[a.invoice for a in p.applications] for p in m.proposals]
    assert sets == [["A", "D"], ["B", "C"]]
    assert m.proposals[0].confidence == m.proposals[1].confidence
    assert m.auto is None


def test_unknown_payer_is_found_from_the_reference() -> None:
    items = [
        inv("INV-000123", "ACME", "2026-03-31", "640.00"),
        inv("INV-000124", "GLOBEX", "2026-03-31", "640.00"),
    ]
    m = one(receipt("R1", None, "2026-04-01", "640.00", "ACH CCD PAYMENT INV123"), items)
    assert m.status == "auto"
    assert m.given_payer is None
    p = m.proposals[0]
    assert (p.customer, p.payer_basis) == ("ACME", "reference")
    assert has(m, "payer_by_reference")
    assert lines(m) == [line("INV-000123", "640.00", "0.00", "0.00", "0.00")]
    # The commands name the payer first.
    commands = [json.loads(c) for c in m.commands(0)]
    assert [c["type"] for c in commands] == ["assign_payer", "apply"]
    assert commands[0]["customer"] == "ACME"
    assert commands[1]["amount"] == "640.00"


def test_a_typo_counts_only_when_the_amount_agrees() -> None:
    def items() -> List[MatchItemDict]:
        return [
            inv("INV-4512", "ACME", "2026-03-31", "310.00"),
            inv("INV-9000", "ACME", "2026-04-30", "75.00"),
        ]

    # 4152 is 4512 with two digits swapped; the amount is 4512's.
    m = one(receipt("R1", "ACME", "2026-04-01", "310.00", "INV 4152"), items())
    assert m.status == "auto"
    assert lines(m) == [line("INV-4512", "310.00", "0.00", "0.00", "0.00")]
    assert has(m, "fuzzy_reference")
    # A doubled digit and a dropped one.
    for text in ["INV 45512", "INV 452"]:
        m = one(receipt("R1", "ACME", "2026-04-01", "310.00", text), items())
        assert has(m, "fuzzy_reference"), text
    # The same typo with an amount that does not agree: not taken.
    m = one(receipt("R1", "ACME", "2026-04-01", "200.00", "INV 4152"), items())
    assert m.status == "unmatched"
    assert m.proposals == []
    # Typos are looked for among the payer's own items only.
    other = items()
    other[0]["customer"] = "GLOBEX"
    m = one(receipt("R1", "ACME", "2026-04-01", "310.00", "INV 4152"), other)
    assert m.status == "unmatched"
    # And only when asked to.
    m = one(receipt("R1", "ACME", "2026-04-01", "310.00", "INV 4152"), items(), fuzzy=False)
    assert not any(has(m, "fuzzy_reference", k) for k in range(len(m.proposals)))


def test_purchase_orders_credit_memos_and_creditor_references() -> None:
    m = one(
        receipt("R1", "ACME", "2026-04-01", "410.00", "P.O. 4500012345"),
        [
            inv("INV-31", "ACME", "2026-03-31", "410.00", po_number="PO-4500012345"),
            inv("INV-32", "ACME", "2026-03-31", "410.00"),
        ],
    )
    assert m.status == "auto"
    assert m.proposals[0].applications[0].invoice == "INV-31"
    assert has(m, "purchase_order")
    # 500.00 less credit memo CM-9 of 55.00: 445.00 paid.
    credit = inv("CM-9", "ACME", "2026-03-15", "55.00", kind="credit_memo")
    m = one(
        receipt("R1", "ACME", "2026-04-01", "445.00", "INV 40 less credit CM-9"),
        [inv("INV-40", "ACME", "2026-03-31", "500.00"), credit],
    )
    assert m.status == "auto"
    a = m.proposals[0].applications
    assert [(x.source_kind, x.source, x.amount, x.open_after) for x in a] == [
        ("credit_memo", "CM-9", d("55.00"), d("445.00")),
        ("receipt", "R1", d("445.00"), d("0.00")),
    ]
    # RF18 5390 0754 7034 is the ISO 11649 example; its body is our invoice number.
    m = one(
        receipt("R1", None, "2026-04-01", "99.00", "RF18 5390 0754 7034"),
        [inv("539007547034", "ACME", "2026-03-31", "99.00")],
    )
    assert m.status == "auto"
    assert m.proposals[0].confidence == 100
    assert has(m, "creditor_reference")


def test_overpayment_and_partial_payment_against_a_reference() -> None:
    items = [inv("INV-8", "ACME", "2026-03-31", "250.00")]
    m = one(receipt("R1", "ACME", "2026-04-01", "260.00", "INV-8"), items)
    assert m.status == "auto"
    assert m.proposals[0].unapplied == d("10.00")
    assert has(m, "overpayment")
    m = one(receipt("R1", "ACME", "2026-04-01", "100.00", "INV-8"), items)
    assert lines(m) == [line("INV-8", "100.00", "0.00", "0.00", "150.00")]


def test_a_batch_never_settles_an_item_twice() -> None:
    items = [
        inv("INV-1", "ACME", "2026-03-31", "100.00"),
        inv("INV-2", "ACME", "2026-04-30", "100.00"),
    ]
    receipts = [
        receipt("R1", "ACME", "2026-05-01", "100.00"),
        receipt("R2", "ACME", "2026-05-01", "100.00", "INV-1"),
        receipt("R3", "ACME", "2026-05-01", "100.00", "INV-1"),
    ]
    batch = ar.match_receipts(receipts, items)
    r1, r2, r3 = batch.matches
    assert [m.receipt for m in batch.matches] == ["R1", "R2", "R3"]
    assert r2.status == "auto"
    assert r2.proposals[0].applications[0].invoice == "INV-1"
    assert any(n.code == "not_open" for n in r3.notes)
    assert r3.status != "auto"
    assert r1.status == "auto"
    assert r1.proposals[0].applications[0].invoice == "INV-2"
    assert [(s.status, s.currency, s.receipts, s.amount) for s in batch.summary] == [
        ("auto", "USD", 2, d("200.00")),
        ("review", "USD", 1, d("100.00")),
        ("unmatched", "USD", 0, d("0.00")),
    ]
    assert len(batch.summary) == 3
    assert repr(batch).startswith("<ar.MatchBatch of 3 receipts: 2 auto")


def test_a_matcher_consumes_items_across_batches() -> None:
    matcher = ar.Matcher([inv("INV-1", "ACME", "2026-03-31", "100.00")])
    first = matcher.match_batch([receipt("R1", "ACME", "2026-04-01", "100.00", "INV-1")])
    assert first.matches[0].status == "auto"
    # INV-1 is settled now: the same receipt again finds nothing open.
    again = matcher.propose(receipt("R2", "ACME", "2026-04-02", "100.00", "INV-1"))
    assert again.status != "auto"
    assert any(n.code == "not_open" for n in again.notes)


def test_a_matcher_for_daily_use_is_told_of_changes_made_outside_it() -> None:
    # Monday: ACME owes INV-1 (100.00) and INV-2 (250.00); BETA owes INV-9 (250.00).
    matcher = ar.Matcher([
        inv("INV-1", "ACME", "2026-03-31", "100.00"),
        inv("INV-2", "ACME", "2026-04-15", "250.00"),
        inv("INV-9", "BETA", "2026-04-15", "250.00"),
    ])
    # Overnight: INV-3 issued; INV-1 paid at the counter; INV-2 half
    # credited; INV-9 disputed.
    matcher.add_items([inv("INV-3", "ACME", "2026-04-30", "75.00")])
    matcher.remove_items(["INV-1"])
    matcher.update_items([inv("INV-2", "ACME", "2026-04-15", "125.00"),
                          inv("INV-9", "BETA", "2026-04-15", "250.00", disputed=True)])
    batch = matcher.match_batch([
        receipt("R1", "ACME", "2026-04-16", "75.00", "INV-3"),
        receipt("R2", "ACME", "2026-04-16", "125.00"),
        receipt("R3", "ACME", "2026-04-16", "100.00", "INV-1"),
    ])
    statuses = {m.receipt: m.status for m in batch.matches}
    assert statuses["R1"] == "auto"
    # 125.00 is what INV-2 has open now: its only fit.
    r2 = next(m for m in batch.matches if m.receipt == "R2")
    assert r2.proposals[0].applications[0].invoice == "INV-2"
    assert r2.proposals[0].applications[0].open_after == d("0.00")
    # INV-1 is no longer open: nothing settles it automatically.
    assert statuses["R3"] != "auto"
    # The same answers as a matcher built from the items as they stand.
    fresh = ar.Matcher([
        inv("INV-2", "ACME", "2026-04-15", "125.00"),
        inv("INV-9", "BETA", "2026-04-15", "250.00", disputed=True),
        inv("INV-3", "ACME", "2026-04-30", "75.00"),
    ]).match_batch([
        receipt("R1", "ACME", "2026-04-16", "75.00", "INV-3"),
        receipt("R2", "ACME", "2026-04-16", "125.00"),
        receipt("R3", "ACME", "2026-04-16", "100.00", "INV-1"),
    ])
    assert [m.status for m in batch.matches] == [m.status for m in fresh.matches]
    # Errors change nothing.
    with pytest.raises(ar.ConflictError) as dup:
        matcher.add_items([inv("INV-3", "ACME", "2026-04-30", "75.00")])
    assert dup.value.field == "items[0].id"
    with pytest.raises(ar.NotFoundError) as nf:
        matcher.remove_items([{"id": "CM-1", "kind": "credit_memo"}])
    assert nf.value.field == "keys[0].id"
    with pytest.raises(ar.NotFoundError):
        matcher.update_items([inv("INV-404", "ACME", "2026-04-30", "1.00")])
    with pytest.raises(ar.ValidationError) as other:
        matcher.update_items([inv("INV-9", "ACME", "2026-04-15", "250.00")])
    assert other.value.field == "items[0].customer"


def test_payers_by_name_and_by_account() -> None:
    items = [
        inv("INV-1", "ACME", "2026-03-31", "700.00"),
        inv("INV-2", "GLOBEX", "2026-03-31", "700.00"),
    ]
    customers: List[MatchCustomerDict] = [
        {"id": "ACME", "name": "Acme Corp", "accounts": ["021000021-99887766"]},
        {"id": "GLOBEX", "name": "Globex Corporation", "aliases": ["Globex Intl"]},
    ]
    matcher = ar.Matcher(items, customers)
    r = receipt("R1", None, "2026-04-01", "700.00", "ACH GLOBEX INTL PAYMENT")
    p = matcher.propose(r)
    assert (p.proposals[0].customer, p.proposals[0].payer_basis) == ("GLOBEX", "name")
    r["remittance"] = ""
    r["account"] = "021000021 99887766"
    p = matcher.propose(r)
    assert (p.proposals[0].customer, p.proposals[0].payer_basis) == ("ACME", "account")
    # Neither: the amount fits both customers' invoices; never applied.
    r["account"] = None
    m = matcher.match_batch([r]).matches[0]
    assert m.status == "review"
    assert len(m.proposals) == 2
    assert all(x.payer_basis == "amount" and x.confidence <= 70 for x in m.proposals)


def test_disputed_items_are_never_applied_automatically() -> None:
    m = one(
        receipt("R1", "ACME", "2026-04-01", "100.00", "INV-1"),
        [inv("INV-1", "ACME", "2026-03-31", "100.00", disputed=True)],
    )
    assert m.status == "review"
    assert has(m, "disputed")


def test_hostile_input_is_bounded() -> None:
    items = [inv(f"INV-{i}", "ACME", "2026-03-31", "100.00") for i in range(5000)]
    m = one(receipt("R1", "ACME", "2026-04-01", "300.00"), items)
    assert m.status == "review"
    assert len(m.proposals) == 10
    assert any(n.code == "more_alternatives" for n in m.notes)
    text = "INV-1 INV-2 0123456789 " * 50_000
    m = one(
        receipt("R1", "ACME", "2026-04-01", "100.00", text),
        [inv("INV-1", "ACME", "2026-03-31", "100.00")],
    )
    assert m.status == "auto"
    assert any(n.code == "text_truncated" for n in m.notes)


def test_results_are_deterministic_and_read_only() -> None:
    items = [inv(f"INV-{i}", "ACME", "2026-03-31", f"{10 + i % 7}.00") for i in range(50)]
    receipts = [receipt(f"R{i}", "ACME", "2026-04-01", f"{20 + i}.00") for i in range(20)]
    a = ar.match_receipts(receipts, items)
    b = ar.match_receipts(receipts, items)
    assert a == b
    assert a.to_dict() == b.to_dict()
    m = a.matches[0]
    with pytest.raises(AttributeError):
        m.status = "auto"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        m.proposals[0].confidence = 100  # type: ignore[misc]
    # Changing a returned list changes nothing inside.
    m.proposals.clear()
    assert a.matches[0].proposals != []


# ----- remittance text and creditor references -----------------------------------


def test_parse_remittance() -> None:
    r = ar.parse_remittance("ACH CCD ACME INV-000123/124, PO 778 less credit 55")
    assert [x.number for x in r.references] == ["123", "124", "778", "55"]
    assert [x.kind for x in r.references] == ["invoice", "invoice", "purchase_order", "credit_memo"]
    assert r.references[0].text == "INV000123"
    assert r.deductions == [Decimal("55")]
    assert not r.truncated
    r = ar.parse_remittance("INV 123-125")
    assert [(x.number, x.in_range) for x in r.references if x.in_range] == [
        ("123", True), ("124", True), ("125", True)
    ]
    assert ar.parse_remittance("RF19 5390 0754 7034").bad_creditor_references != []
    assert ar.parse_remittance("x" * 5000).truncated
    with pytest.raises(ar.ArTypeError) as e:
        ar.parse_remittance(b"INV-1")  # type: ignore[arg-type]
    assert e.value.message.startswith("text:")


def test_creditor_reference() -> None:
    assert ar.creditor_reference("5390 0754 7034") == "RF18539007547034"
    rf = ar.creditor_reference("INV-000123")
    assert rf.startswith("RF") and rf.endswith("INV000123")
    # Read back by the matcher as a reference to INV-000123.
    r = ar.parse_remittance(rf)
    assert [(x.kind, x.text) for x in r.references] == [("creditor", "INV000123")]
    for bad in ["-", "1" * 22]:
        with pytest.raises(ar.ValidationError) as e:
            ar.creditor_reference(bad)
        assert e.value.code == "invalid_value"
        assert e.value.message.startswith("reference:")


# ----- the ledger flow of ar-core/tests/cash_application.rs ----------------------


def books() -> ar.Ledger:
    """ACME (2/10 net 30): INV-1001 1,000.00 on 03-01 (20.00 off until
    03-11), INV-1002 250.00 and INV-1003 50.00 on 03-05. GLOBEX (net 30):
    INV-2001 400.00 on 03-02.

    - R1, ACME, 03-10, 980.00 "INV-1001": the discount in its window.
    - R2, no payer, 03-20, 300.00 "ACME CORP INV 1002 1003": the references
      name ACME; 250.00 + 50.00 = 300.00.
    - R3, GLOBEX, 03-25, 385.00, no remittance: 15.00 short of INV-2001,
      within a 25.00 tolerance: written off.
    """
    ledger = ar.Ledger()
    t = at("2026-03-01T08:00:00Z")
    ledger.register_customer("ACME", "Acme Corp", "USD", terms="2/10 net 30", recorded=t)
    ledger.register_customer("GLOBEX", "Globex Corporation", "USD", recorded=t)
    for id, customer, date, amount in [
        ("INV-1001", "ACME", "2026-03-01", "1000.00"),
        ("INV-2001", "GLOBEX", "2026-03-02", "400.00"),
        ("INV-1002", "ACME", "2026-03-05", "250.00"),
        ("INV-1003", "ACME", "2026-03-05", "50.00"),
    ]:
        ledger.issue_invoice(id, customer, date, [ar.Line("Goods", 1, d(amount))], recorded=t)
    t = at("2026-03-26T08:00:00Z")
    for rid, payer, date, amount, text in [
        ("R1", "ACME", "2026-03-10", "980.00", "INV-1001"),
        ("R2", None, "2026-03-20", "300.00", "ACME CORP INV 1002 1003"),
        ("R3", "GLOBEX", "2026-03-25", "385.00", ""),
    ]:
        ledger.record_receipt(
            rid, date, d(amount), "USD", customer=payer, method="ach", remittance=text, recorded=t
        )
    return ledger


TOLERANCE: ToleranceDict = {"fixed": d("25.00")}


def test_proposals_from_the_books_settle_everything_exactly() -> None:
    ledger = books()
    items = ledger.match_items()
    i1001 = next(i for i in items if i["id"] == "INV-1001")
    assert i1001.get("discount") == {"until": day("2026-03-11"), "amount": d("20.00")}
    assert i1001["open"] == d("1000.00") and i1001.get("kind") == "invoice"
    assert [r["id"] for r in ledger.match_receipt_inputs()] == ["R1", "R2", "R3"]
    assert [c["id"] for c in ledger.match_customers()] == ["ACME", "GLOBEX"]

    batch = ledger.match_receipts(tolerance=TOLERANCE)
    assert [(m.receipt, m.status) for m in batch.matches] == [
        ("R1", "auto"), ("R2", "auto"), ("R3", "review")
    ]
    # R3's write-off rests on the amount alone: proposed, for review.
    assert batch.matches[2].proposals[0].applications[0].write_off == d("15.00")
    assert batch.matches[1].proposals[0].payer_basis == "reference"
    assert batch.summary[0].amount == d("1280.00")
    # The ledger's inputs through the free function give the same answer.
    same = ar.match_receipts(
        ledger.match_receipt_inputs(), items, ledger.match_customers(), tolerance=TOLERANCE
    )
    assert same == batch

    for k, m in enumerate(batch.matches):
        outcomes = ledger.apply_match(m, recorded=at(f"2026-03-27T08:00:0{k}Z"))
        assert all(not o.replayed for o in outcomes)
    i1001v = ledger.invoice("INV-1001")
    assert (i1001v.open, i1001v.paid, i1001v.discounted) == (d("0.00"), d("980.00"), d("20.00"))
    i2001 = ledger.invoice("INV-2001")
    assert (i2001.paid, i2001.written_off, i2001.status) == (d("385.00"), d("15.00"), "written_off")
    # Nothing open, no cash left.
    assert ledger.open_items() == []
    # R2's payer is now ACME.
    assert ledger.receipt("R2").customer == "ACME"
    # Replaying the log gives the same books.
    assert ar.Ledger.from_json(ledger.to_json()) == ledger
    # Nothing left to match.
    assert len(ledger.match_receipts()) == 0


def test_apply_match_returns_an_outcome_per_command() -> None:
    ledger = books()
    m = ledger.match_receipt("R2", tolerance=TOLERANCE)
    assert [json.loads(c)["type"] for c in m.commands()] == ["assign_payer", "apply", "apply"]
    outcomes = ledger.apply_match(m, 0, recorded=at("2026-03-27T08:00:00Z"))
    assert [[e.type for e in o.events] for o in outcomes] == [
        ["payer_assigned"], ["applied"], ["applied"]
    ]


def test_a_stale_proposal_is_refused_whole() -> None:
    ledger = books()
    m = ledger.match_receipt("R2", options={"tolerance": TOLERANCE})
    assert m.status == "auto"
    # Someone settles INV-1003 by hand with R1's cash meanwhile.
    ledger.apply(
        "INV-1003", d("50.00"), "2026-03-20", receipt="R1", recorded=at("2026-03-27T08:00:00Z")
    )
    before = ledger.to_json()
    # Assign payer and INV-1002 would pass; INV-1003 no longer can.
    with pytest.raises(ar.StateError) as e:
        ledger.apply_match(m, recorded=at("2026-03-27T09:00:00Z"))
    assert e.value.code == "over_application"
    assert ledger.to_json() == before
    # And with an idempotency key, the keys of the undone commands are gone too.
    with pytest.raises(ar.ArError):
        ledger.apply_match(m, recorded=at("2026-03-27T09:00:00Z"), idempotency_key="match-R2")
    assert ledger.to_json() == before


def test_unknown_receipt_and_missing_proposal() -> None:
    ledger = books()
    with pytest.raises(ar.NotFoundError) as e:
        ledger.match_receipt("R9")
    assert e.value.code == "not_found"
    m = ledger.match_receipt("R1")
    with pytest.raises(ar.NotFoundError):
        m.commands(5)
    before = ledger.to_json()
    with pytest.raises(ar.NotFoundError):
        ledger.apply_match(m, 5)
    with pytest.raises(ar.ArTypeError) as t:
        ledger.apply_match(m.to_dict())  # type: ignore[arg-type]
    assert t.value.message == "match: expected ar.ReceiptMatch, got dict"
    with pytest.raises(ar.ValidationError):
        ledger.apply_match(m, -1)
    assert ledger.to_json() == before


def test_execute_all_json_is_all_or_nothing() -> None:
    ledger = books()
    m = ledger.match_receipt("R3", tolerance=TOLERANCE)
    commands = m.commands()
    assert [json.loads(c)["type"] for c in commands] == ["apply", "write_off"]
    # A command that fails after one that passes: neither stays.
    bad = json.dumps(
        {"type": "apply", "source": {"receipt": "R3"}, "invoice": "INV-9", "amount": "1.00",
         "discount": "0.00", "date": "2026-03-25"}
    )
    before = ledger.to_json()
    with pytest.raises(ar.NotFoundError):
        ledger.execute_all_json([commands[0], bad], recorded=at("2026-03-27T08:00:00Z"))
    assert ledger.to_json() == before
    with pytest.raises(ar.ValidationError) as e:
        ledger.execute_all_json([commands[0], "{}"], recorded=at("2026-03-27T08:00:00Z"))
    assert e.value.message.startswith("commands_json[1]:")
    assert ledger.to_json() == before
    with pytest.raises(ar.ArTypeError):
        ledger.execute_all_json("not a list")
    outcomes = ledger.execute_all_json(
        commands, recorded=at("2026-03-27T08:00:00Z"), idempotency_key="R3"
    )
    assert [o.events[0].idempotency_key for o in outcomes] == ["R3#0", "R3#1"]
    assert ledger.invoice("INV-2001").status == "written_off"
    # A retry appends nothing.
    again = ledger.execute_all_json(
        commands, recorded=at("2026-03-27T08:00:00Z"), idempotency_key="R3"
    )
    assert [o.replayed for o in again] == [True, True]


def test_views_cut_the_inputs() -> None:
    ledger = books()
    # As of 03-09 no receipt had been received; as of 03-04 two invoices were
    # issued; before 08:00 on 03-01 nothing was recorded.
    assert ledger.match_receipt_inputs(as_of="2026-03-09") == []
    assert len(ledger.match_receipts(as_of="2026-03-09")) == 0
    assert [i["id"] for i in ledger.match_items(as_of="2026-03-04")] == ["INV-1001", "INV-2001"]
    assert ledger.match_items(known_at=at("2026-03-01T07:00:00Z")) == []


# ----- bad input: typed errors naming the field ------------------------------------


def raises(cls: type[ar.ArError], code: str, field: str, call: Any) -> ar.ArError:
    with pytest.raises(cls) as e:
        call()
    assert e.value.code == code, e.value.message
    assert e.value.message.startswith(field + ":"), e.value.message
    return e.value


def test_bad_input_names_the_field() -> None:
    items = [inv("INV-1", "ACME", "2026-03-31", "100.00")]
    good = receipt("R1", "ACME", "2026-04-01", "100.00")

    def with_receipt(**changes: Any) -> Any:
        r: Any = dict(good)
        r.update(changes)
        return lambda: ar.match_receipts([r], items)

    def with_item(**changes: Any) -> Any:
        i: Any = dict(items[0])
        i.update(changes)
        return lambda: ar.match_receipts([good], [i])

    # Floats are never amounts.
    e = raises(ar.ArTypeError, "invalid_type", "receipts[0].amount", with_receipt(amount=100.0))
    assert isinstance(e, TypeError)
    raises(ar.ArTypeError, "invalid_type", "items[0].open", with_item(open=100.0))
    raises(
        ar.ValidationError,
        "invalid_amount",
        "receipts[0].amount",
        with_receipt(amount=d("0.00")),
    )
    raises(ar.ValidationError, "too_many_decimals", "items[0].open", with_item(open=d("1.001")))
    raises(
        ar.ValidationError, "invalid_decimal", "receipts[0].amount", with_receipt(amount=d("NaN"))
    )
    raises(
        ar.ArTypeError,
        "invalid_type",
        "receipts[0].date",
        with_receipt(date=datetime.datetime(2026, 4, 1)),
    )
    raises(
        ar.ValidationError,
        "invalid_date",
        "items[0].due_date",
        with_item(due_date="01/04/2026"),
    )
    raises(
        ar.ValidationError,
        "invalid_currency",
        "receipts[0].currency",
        with_receipt(currency="usd"),
    )
    raises(ar.ValidationError, "invalid_value", "items[0].customer", with_item(customer=" ACME"))
    raises(ar.ValidationError, "invalid_value", "items[0].kind", with_item(kind="receipt"))
    raises(ar.ValidationError, "invalid_value", "items[0].kind", with_item(kind=None))
    raises(ar.ArTypeError, "invalid_type", "items[0].disputed", with_item(disputed=1))
    raises(ar.ArTypeError, "invalid_type", "items[0].installment", with_item(installment="1"))
    raises(
        ar.ArTypeError,
        "invalid_type",
        "items[0].discount.amount",
        with_item(discount={"until": "2026-03-10", "amount": 2.5}),
    )
    # Missing, None and misspelled fields.
    r: Any = dict(good)
    del r["amount"]
    e = raises(
        ar.ValidationError,
        "invalid_value",
        "receipts[0].amount",
        lambda: ar.match_receipts([r], items),
    )
    assert "(missing)" in e.message
    raises(ar.ValidationError, "invalid_value", "receipts[0].id", with_receipt(id=None))
    e = raises(ar.ValidationError, "invalid_value", "receipts[0]", with_receipt(remitance="INV-1"))
    assert '"remitance"' in e.message
    raises(ar.ValidationError, "invalid_value", "receipts[0].id", with_receipt(id=" "))
    raises(
        ar.ArTypeError,
        "invalid_type",
        "receipts[0] key",
        lambda: ar.match_receipts([{**good, 1: "x"}], items),
    )
    # Any mapping will do.
    frozen = ar.match_receipts([types.MappingProxyType(dict(good))], items)
    assert frozen.matches[0].status == "auto"
    # Not dicts, not lists.
    raises(
        ar.ArTypeError,
        "invalid_type",
        "receipts[0]",
        lambda: ar.match_receipts([("R1",)], items),
    )
    raises(ar.ArTypeError, "invalid_type", "receipts", lambda: ar.match_receipts("R1", items))
    raises(ar.ArTypeError, "invalid_type", "items", lambda: ar.match_receipts([good], 3))
    raises(
        ar.ArTypeError,
        "invalid_type",
        "customers[0].aliases",
        lambda: ar.match_receipts([good], items, [{"id": "ACME", "name": "Acme", "aliases": "A"}]),
    )
    # Duplicates, and the receipt of Matcher.propose.
    raises(
        ar.ConflictError,
        "duplicate_id",
        "items[1].id",
        lambda: ar.match_receipts([], items * 2),
    )
    matcher = ar.Matcher(items)
    raises(ar.ValidationError, "invalid_amount", "receipt.amount", lambda: matcher.propose(
        receipt("R1", "ACME", "2026-04-01", "-1.00")))


def test_bad_options_name_the_option() -> None:
    items = [inv("INV-1", "ACME", "2026-03-31", "100.00")]

    def call(**options: Any) -> Any:
        return lambda: ar.match_receipts([], items, **options)

    raises(ar.ValidationError, "invalid_value", "options.auto_threshold", call(auto_threshold=101))
    raises(ar.ValidationError, "invalid_value", "options.auto_threshold", call(auto_threshold=1000))
    raises(ar.ArTypeError, "invalid_type", "options.auto_threshold", call(auto_threshold=85.0))
    raises(
        ar.ValidationError,
        "invalid_value",
        "options.tolerance.percent",
        call(tolerance={"percent": d("100")}),
    )
    raises(
        ar.ValidationError,
        "invalid_amount",
        "options.tolerance.fixed",
        call(tolerance={"fixed": d("-1")}),
    )
    raises(
        ar.ArTypeError,
        "invalid_type",
        "options.tolerance.fixed",
        call(tolerance={"fixed": 1.5}),
    )
    raises(ar.ValidationError, "invalid_value", "options.tolerance", call(tolerance={"fix": 1}))
    raises(ar.ArTypeError, "invalid_type", "options.fuzzy", call(fuzzy=1))
    raises(ar.ValidationError, "invalid_value", "options.max_combination", call(max_combination=0))
    raises(
        ar.ValidationError,
        "invalid_value",
        "options.max_search_steps",
        call(max_search_steps=0),
    )
    raises(ar.ValidationError, "invalid_value", "options", call(options={"threshold": 90}))
    raises(ar.ArTypeError, "invalid_type", "options", call(options=[("fuzzy", True)]))
    # The keywords win over the options dict.
    m = ar.Matcher(items, options={"auto_threshold": 50, "fuzzy": False}, auto_threshold=90)
    assert m.options["auto_threshold"] == 90
    assert m.options["fuzzy"] is False
    assert m.options["tolerance"] == {"fixed": None, "percent": None}
    assert ar.Matcher(items).options["max_search_steps"] == 50_000
    # Bad options change no ledger.
    ledger = books()
    with pytest.raises(ar.ValidationError):
        ledger.match_receipts(max_proposals=0)
    with pytest.raises(ar.ArTypeError):
        ledger.match_receipt("R1", as_of=datetime.datetime(2026, 3, 1))


# ----- tables in and out -------------------------------------------------------------



def frames() -> Tuple[Any, Any]:
    """pandas and pyarrow: optional extras of the package, dev tools here."""
    return pytest.importorskip("pandas"), pytest.importorskip("pyarrow")

FRAME_COLUMNS = [
    "receipt",
    "receipt_date",
    "receipt_amount",
    "currency",
    "status",
    "proposal",
    "confidence",
    "customer",
    "payer_basis",
    "source_kind",
    "source",
    "invoice",
    "installment",
    "amount",
    "discount",
    "write_off",
    "open_after",
    "date",
]
AMOUNTS = ["receipt_amount", "amount", "discount", "write_off", "open_after"]


@pytest.fixture(scope="module")
def batch() -> ar.MatchBatch:
    """R1 settles INV-2 + INV-3 (auto); R2 fits A+D or B+C (review); R3 fits nothing."""
    items = [
        inv("INV-1", "ACME", "2026-01-31", "100.00"),
        inv("INV-2", "ACME", "2026-02-28", "250.00"),
        inv("INV-3", "ACME", "2026-03-31", "50.00"),
        inv("A", "GLOBEX", "2026-01-31", "100.00"),
        inv("B", "GLOBEX", "2026-02-28", "200.00"),
        inv("C", "GLOBEX", "2026-03-31", "300.00"),
        inv("D", "GLOBEX", "2026-04-30", "400.00"),
    ]
    return ar.match_receipts(
        [
            receipt("R1", "ACME", "2026-04-02", "300.00"),
            receipt("R2", "GLOBEX", "2026-05-02", "500.00"),
            receipt("R3", "ACME", "2026-05-02", "7.00"),
        ],
        items,
    )


def test_to_pandas_has_a_row_per_application_with_decimals(batch: ar.MatchBatch) -> None:
    pd, _ = frames()
    df = batch.to_pandas()
    assert list(df.columns) == FRAME_COLUMNS
    assert list(df["receipt"]) == ["R1", "R1", "R2", "R2", "R3"]
    assert list(df["status"]) == ["auto", "auto", "review", "review", "unmatched"]
    assert list(df["invoice"][:4]) == ["INV-2", "INV-3", "A", "D"]
    assert list(df["amount"][:4]) == [d("250.00"), d("50.00"), d("100.00"), d("400.00")]
    for column in AMOUNTS:
        assert df[column].dtype == object, column
        assert all(isinstance(v, Decimal) for v in df[column][:4]), column
    assert list(df["receipt_amount"]) == [d("300.00")] * 2 + [d("500.00")] * 2 + [d("7.00")]
    # The receipt without proposals keeps a row, its proposal columns empty.
    last = df.iloc[4]
    assert last["amount"] is None and pd.isna(last["invoice"])
    assert pd.isna(last["confidence"]) and pd.isna(last["proposal"])
    assert str(df["confidence"].dtype) == "Int64"
    assert list(df["confidence"][:2]) == [batch.matches[0].proposals[0].confidence] * 2
    assert list(df["date"][:2]) == [day("2026-04-02")] * 2
    assert df["receipt_date"][0] == day("2026-04-02")


def test_to_pandas_all_proposals_and_other_amounts(batch: ar.MatchBatch) -> None:
    pd, _ = frames()
    df = batch.to_pandas(proposals="all")
    assert list(df["receipt"]) == ["R1", "R1", "R2", "R2", "R2", "R2", "R3"]
    assert list(df["proposal"][:6]) == [0, 0, 0, 0, 1, 1]
    assert list(df["invoice"][2:6]) == ["A", "D", "B", "C"]
    text = batch.to_pandas("str")
    assert list(text["amount"][:2]) == ["250.00", "50.00"]
    assert pd.isna(text["amount"][4])
    floats = batch.to_pandas("float")
    assert floats["amount"].dtype == "float64"
    assert list(floats["amount"][:2]) == [250.0, 50.0]
    with pytest.raises(ar.ValidationError) as e:
        batch.to_pandas(proposals="best")  # type: ignore[arg-type]
    assert e.value.message.startswith("proposals:")
    with pytest.raises(ar.ValidationError):
        batch.to_pandas("double")  # type: ignore[arg-type]


def test_to_arrow_and_summary(batch: ar.MatchBatch) -> None:
    _, pa = frames()
    table = batch.to_arrow()
    assert table.column_names == FRAME_COLUMNS
    assert table.schema.field("amount").type == pa.decimal128(38, 2)
    assert table.schema.field("date").type == pa.date32()
    assert table.column("amount").to_pylist()[:2] == [d("250.00"), d("50.00")]
    assert table.column("confidence").null_count == 1
    summary = batch.summary_to_pandas()
    assert list(summary.columns) == ["status", "currency", "receipts", "amount"]
    assert [tuple(r) for r in summary.itertuples(index=False)] == [
        ("auto", "USD", 1, d("300.00")),
        ("review", "USD", 1, d("500.00")),
        ("unmatched", "USD", 1, d("7.00")),
    ]
    assert summary_rows(batch) == [
        ("auto", 1, d("300.00")), ("review", 1, d("500.00")), ("unmatched", 1, d("7.00"))
    ]


def summary_rows(batch: ar.MatchBatch) -> List[Tuple[str, int, Decimal]]:
    return [(s.status, s.receipts, s.amount) for s in batch.summary]


def test_receipts_and_items_as_data_frames() -> None:
    pd, pa = frames()
    items = pd.DataFrame(
        {
            "kind": ["invoice", "invoice", "invoice"],
            "id": ["INV-1", "INV-2", "INV-3"],
            "customer": ["ACME", "ACME", "ACME"],
            "currency": ["USD", "USD", "USD"],
            "date": pd.to_datetime(["2026-01-01", "2026-01-29", "2026-03-01"]),
            "due_date": pd.to_datetime(["2026-01-31", "2026-02-28", "2026-03-31"]),
            "open": [d("100.00"), d("250.00"), d("50.00")],
            "notes": ["other columns", "are", "ignored"],
        }
    )
    receipts = pd.DataFrame(
        {
            "id": ["R1", "R2"],
            "customer": ["ACME", None],
            "date": pd.to_datetime(["2026-04-02", "2026-04-02"]),
            "amount": [d("300.00"), d("100.00")],
            "currency": ["USD", "USD"],
            "remittance": [None, "INV-1"],
        }
    )
    batch = ar.match_receipts(receipts, items)
    r1, r2 = batch.matches
    assert lines(r1) == [
        line("INV-2", "250.00", "0.00", "0.00", "0.00"),
        line("INV-3", "50.00", "0.00", "0.00", "0.00"),
    ]
    assert (r2.given_payer, r2.proposals[0].payer_basis) == (None, "reference")
    # A pyarrow Table too, and the same answer as from dicts.
    assert ar.match_receipts(pa.Table.from_pandas(receipts), pa.Table.from_pandas(items)) == batch
    # Float amounts are refused, naming the row; so is a time of day.
    floats = receipts.assign(amount=[300.0, 100.0])
    raises(
        ar.ArTypeError,
        "invalid_type",
        "receipts[0].amount",
        lambda: ar.match_receipts(floats, items),
    )
    timed = items.assign(
        date=pd.to_datetime(["2026-01-01", "2026-01-29 10:30", "2026-03-01"], format="ISO8601")
    )
    e = raises(
        ar.ArTypeError, "invalid_type", "items[1].date", lambda: ar.match_receipts(receipts, timed)
    )
    assert e.message.endswith("got datetime")
    missing = items.drop(columns=["open"])
    raises(
        ar.ValidationError,
        "invalid_value",
        "items[0].open",
        lambda: ar.match_receipts(receipts, missing),
    )
    mixed = items.assign(open=[d("100.00"), 250.5, d("50.00")])
    raises(ar.ArTypeError, "invalid_type", "items.open", lambda: ar.match_receipts(receipts, mixed))


def test_ledger_items_make_a_data_frame() -> None:
    pd, _ = frames()
    ledger = books()
    frame = pd.DataFrame(ledger.match_items())
    assert list(frame["id"]) == ["INV-1001", "INV-2001", "INV-1002", "INV-1003"]
    # And back: the frame's discount column holds dicts (or None).
    batch = ar.match_receipts(ledger.match_receipt_inputs(), frame, tolerance=TOLERANCE)
    # R3 (385.00 for 400.00, no remittance) writes off 15.00 on the amount
    # alone: proposed, for review.
    assert [m.status for m in batch.matches] == ["auto", "auto", "review"]


def test_customers_are_offered_as_the_view_knows_them() -> None:
    # ACME and GLOBEX are registered at 03-01 08:00; INITECH at 04-01.
    ledger = books()
    ledger.register_customer("INITECH", "Initech", "USD", recorded=at("2026-04-01T08:00:00Z"))
    assert [c["id"] for c in ledger.match_customers()] == ["ACME", "GLOBEX", "INITECH"]
    march = ledger.match_customers(known_at=at("2026-03-31T00:00:00Z"))
    assert [c["id"] for c in march] == ["ACME", "GLOBEX"]
    # An effective date alone hides none: customers are registered when recorded.
    assert len(ledger.match_customers(as_of="2026-03-02")) == 3


def test_an_installment_named_in_the_remittance_is_the_one_paid() -> None:
    assert ar.parse_remittance("Inv 7 installment 3 of 3").installments == [3]
    items: List[MatchItemDict] = []
    for k, due in enumerate(["2026-04-01", "2026-05-01", "2026-06-01"], start=1):
        item = inv("INV-7", "ACME", due, "100.00", date="2026-03-01")
        item["installment"] = k
        items.append(item)
    m = one(receipt("R1", "ACME", "2026-04-02", "100.00", "INV-7 installment 3 of 3"), items)
    assert m.status == "auto"
    assert m.proposals[0].applications[0].installment == 3


def test_a_kept_matcher_follows_the_ledgers_events() -> None:
    ledger = books()
    kept = ar.Matcher(ledger.match_items(), ledger.match_customers(), tolerance=TOLERANCE)
    since = len(ledger)
    batch = ledger.match_receipts(tolerance=TOLERANCE)
    ledger.apply_match(batch.matches[0], recorded=at("2026-03-27T08:00:00Z"))
    t = at("2026-03-28T08:00:00Z")
    ledger.issue_invoice("INV-1005", "ACME", "2026-03-21", [ar.Line("Goods", 1, d("75.00"))],
                         recorded=t)
    ledger.void_invoice("INV-1002", "2026-03-24", reason="Issued in error", recorded=t)
    changes = ledger.match_changes(since)
    assert changes["through"] == len(ledger)
    assert sorted(i["id"] for i in changes["items"]) == ["INV-1005"]
    assert sorted(k["id"] for k in changes["closed"]) == ["INV-1001", "INV-1002"]
    kept.sync(changes["items"], changes["closed"])
    fresh = ar.Matcher(ledger.match_items(), ledger.match_customers(), tolerance=TOLERANCE)
    receipts = [receipt("N1", "ACME", "2026-03-30", "75.00", "INV-1005"),
                receipt("N2", "ACME", "2026-03-30", "250.00", "INV-1002")]
    a, b = kept.match_batch(receipts), fresh.match_batch(receipts)
    assert [m.status for m in a.matches] == [m.status for m in b.matches]
    assert a.matches[0].status == "auto"
    assert a.matches[1].status != "auto"
    assert ledger.match_changes(len(ledger)) == {"items": [], "closed": [], "through": len(ledger)}
    with pytest.raises(ar.ValidationError) as e:
        ledger.match_changes(len(ledger) + 1)
    assert e.value.field == "since"
