"""Collections from Python: dunning runs with reasons, recording notices,
late interest and the statutory presets, the cost of a forgone discount,
disputes, promises and plans, and letters rendered byte for byte as the
core renders them. Every figure is worked by hand in the comments."""

from __future__ import annotations

import datetime
import pathlib
from decimal import Decimal
from typing import Any

import pytest

import ar

DATA = pathlib.Path(__file__).resolve().parents[2] / "ar-core" / "tests" / "data"


def d(text: str) -> Decimal:
    return Decimal(text)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def level(days: int, template: str, fee: str, action: str = "email") -> dict[str, Any]:
    return {
        "days": days,
        "template": template,
        "action": action,
        "min_overdue": [{"amount": d("50.00"), "currency": "EUR"}],
        "fee": [{"amount": d(fee), "currency": "EUR"}],
    }


# Levels from 1, 15, 30 and 45 days past due; at least EUR 50 overdue;
# fees 0 / 5 / 10 / 20; a week between notices.
POLICY: dict[str, Any] = {
    "id": "standard",
    "levels": [
        level(1, "first", "0.00"),
        level(15, "second", "5.00"),
        level(30, "third", "10.00", "letter"),
        level(45, "final", "20.00", "agency"),
    ],
    "min_days_between": 7,
}


def book() -> ar.Ledger:
    ledger = ar.Ledger()
    ledger.register_customer("A", "A Ltd", "EUR")
    ledger.register_customer("B", "B GmbH", "EUR")
    # Net 30: INV-A1 due 31 January, INV-A2 due 28 February, INV-B1 due
    # 31 January.
    ledger.issue_invoice("INV-A1", "A", "2026-01-01", [ar.Line("a", 1, d("1500.00"))], terms="net 30")
    ledger.issue_invoice("INV-A2", "A", "2026-01-29", [ar.Line("b", 1, d("200.00"))], terms="net 30")
    ledger.issue_invoice("INV-B1", "B", "2026-01-01", [ar.Line("c", 1, d("80.00"))], terms="net 30")
    return ledger


def test_a_run_its_reasons_and_the_letter_byte_for_byte() -> None:
    ledger = book()
    # 20 February: INV-A1 is 20 days past due (level 2, fee 5.00); INV-B1
    # too, but B disputes 40.00 of it, leaving 40.00, below the 50.00.
    ledger.open_dispute(
        {"id": "D-1", "invoice": "INV-B1", "amount": d("40.00"), "reason": "pricing", "owner": "ann"},
        "2026-02-10",
    )
    run = ledger.dunning_run(POLICY, "2026-02-20")
    assert isinstance(run, ar.DunningRun)
    assert [(n.customer, n.level, n.fee, n.total) for n in run.notices] == [("A", 2, d("5.00"), d("1505.00"))]
    notice = run.notices[0]
    assert [(i.invoice, i.days_past_due, i.open, i.level, i.previous_level) for i in notice.items] == [
        ("INV-A1", 20, d("1500.00"), 2, 0)
    ]
    assert notice.text is None
    [skip] = run.skipped
    assert (skip.customer, skip.currency) == ("B", "EUR")
    kinds = {r.kind: r for r in skip.reasons}
    assert kinds["below_threshold"].overdue == d("40.00")
    assert kinds["below_threshold"].threshold == d("50.00")
    assert kinds["disputed"].amount == d("40.00")

    # Recorded as sent, a rerun that day proposes nothing new and says why.
    out = ledger.record_dunning_notice(notice, "N-1")
    assert [e.type for e in out.events] == ["dunning_notice_recorded"]
    again = ledger.dunning_run(POLICY, "2026-02-20")
    assert again.notices == []
    reasons = [r.kind for s in again.skipped if s.customer == "A" for r in s.reasons]
    assert "notice_sent_recently" in reasons

    # 12 March: INV-A1 40 days (level 3), INV-A2 12 days (level 1): a level
    # 3 letter, fee 10.00, total 1,500 + 200 + 10 = 1,710.00, written with
    # the core's test template into the core's expected bytes.
    template = (DATA / "dunning_letter.txt.j2").read_text(encoding="utf-8")
    expected = (DATA / "dunning_letter_expected.txt").read_bytes()
    setup = {
        "policies": [POLICY],
        "default_policy": "standard",
        "templates": {"first": "x", "second": "x", "third": template, "final": "x"},
    }
    run3 = ledger.dunning_run(setup, day("2026-03-12"))
    [letter] = run3.notices
    assert (letter.level, letter.action, letter.total) == (3, "letter", d("1710.00"))
    assert letter.text is not None
    assert letter.text.encode("utf-8") == expected
    # The same bytes from the notice alone.
    assert ar.render_notice(template, letter).encode("utf-8") == expected
    assert ar.render_notice(template, letter.to_dict()).encode("utf-8") == expected


def test_template_errors_name_the_template_and_line() -> None:
    ledger = book()
    # An undefined name is an error, not empty text in a letter.
    undefined = {"first": "x", "second": "Dear {{ customer_name }}\n{{ nope }}\n", "third": "x", "final": "x"}
    bad = {"first": "x", "second": "ok\n{{ customer_name }\n", "third": "x", "final": "x"}
    for templates in [undefined, bad]:
        with pytest.raises(ar.ValidationError) as e:
            ledger.dunning_run(POLICY, "2026-02-20", templates=templates)
        assert e.value.code == "template_error"
        assert str(e.value).startswith("template second, line 2: ")


def test_a_bad_policy_is_refused_naming_the_field() -> None:
    ledger = book()
    with pytest.raises(ar.ValidationError) as e:
        ledger.dunning_run({**POLICY, "min_days_between": 1.5}, "2026-02-20")
    assert e.value.code == "invalid_type"
    assert "min_days_between" in str(e.value)
    with pytest.raises(ar.ValidationError) as e:
        ledger.dunning_run({**POLICY, "levels": []}, "2026-02-20")
    assert "levels" in str(e.value)


def test_the_worked_uk_example() -> None:
    # GBP 10,000 due 15 Feb 2024, paid 15 Apr 2024: 60 days at 5.25 + 8 =
    # 13.25 %: 10,000 x 13.25 x 60 / 36,500 = 217.808... -> 217.81; the
    # debt is 10,000 or more: GBP 100 fixed. 217.81 + 100 = 317.81.
    rule = ar.interest_rule("uk_late_payment", [{"from": "2024-01-01", "rate": d("5.25")}])
    assert (rule.margin, rule.mode, rule.day_count) == (d("8"), "fixed", "actual365")
    i = ar.late_interest(rule, d("10000.00"), day("2024-02-15"), "2024-04-15", "GBP")
    assert (i.days, i.amount) == (60, d("217.81"))
    assert [(s.days, s.principal, s.rate) for s in i.segments] == [(60, d("10000.00"), d("13.25"))]
    fixed = [t.amount for c in rule.compensation if c.currency == "GBP" for t in c.tiers]
    assert fixed == [d("40.00"), d("70.00"), d("100.00")]
    assert i.amount + fixed[2] == d("317.81")


def test_interest_day_counts_modes_and_payments() -> None:
    rates = [{"from": "2024-01-01", "rate": d("4.00")}, {"from": "2024-03-01", "rate": d("2.00")}]
    fixed: dict[str, Any] = {"rates": rates, "margin": d("8"), "mode": "fixed"}
    # Fixed at the due date (31 Jan: 4 + 8 = 12 %), 1,000 for 60 days
    # (31 Jan to 31 Mar): actual/365 1,000 x 12 x 60 / 36,500 = 19.726 ->
    # 19.73; actual/360 = 20.00; 30/360: 30 Jan..30 Mar = 60 days -> 20.00.
    def at(rule: dict[str, Any]) -> Decimal:
        return ar.late_interest(rule, d("1000.00"), "2024-01-31", "2024-03-31", "EUR").amount

    assert at(fixed) == d("19.73")
    assert at({**fixed, "day_count": "actual360"}) == d("20.00")
    assert at({**fixed, "day_count": "thirty360"}) == d("20.00")
    # Floating: the rate resets on 1 January and 1 July only, so the March
    # change is not in force until July: still 12 %.
    assert at({**fixed, "mode": "floating"}) == d("19.73")
    # Per month: 1 % a month on 1,000 for 60 days of a 365-day year =
    # 1,000 x 12 x 60 / 36,500 = 19.73 again (the month rate times 12).
    monthly = {"rates": [{"from": "2024-01-01", "rate": d("1")}], "margin": 0, "basis": "per_month"}
    assert at(monthly) == d("19.73")
    # Half paid on 1 March (29 days at 1,000 then 30 at 500): 1,000 x 12 x
    # 30 + 500 x 12 x 30 = 540,000 / 36,500 = 14.794 -> 14.79. (The day the
    # money arrives still bears interest on the whole.)
    half = ar.late_interest(
        fixed, d("1000.00"), "2024-01-31", "2024-03-31", "EUR", changes=[{"date": "2024-03-01", "amount": d("-500.00")}]
    )
    assert half.amount == d("14.79")
    # Paid on time: nothing.
    assert ar.late_interest(fixed, d("1000.00"), "2024-01-31", "2024-01-31", "EUR").amount == d("0.00")


def test_the_presets() -> None:
    rates = [{"from": "2024-01-01", "rate": d("4.50")}]
    eu = ar.interest_rule("eu_directive", rates)
    de = ar.interest_rule("germany", rates)
    assert (eu.margin, eu.mode) == (d("8"), "floating")
    assert (de.margin, de.mode) == (d("9"), "floating")
    assert [t.amount for c in eu.compensation for t in c.tiers] == [d("40.00")]
    assert [c.currency for c in de.compensation] == ["EUR"]
    with pytest.raises(ar.ValidationError) as e:
        ar.interest_rule("france", rates)  # type: ignore[arg-type]
    assert (e.value.code, "preset" in str(e.value)) == ("invalid_value", True)


def test_the_cost_of_a_forgone_discount() -> None:
    # 2/10 net 30: 2 / 98 x 360 / 20 = 36.7347 %, x 365 / 20 = 37.2449 %;
    # compounded (1 + 2/98) ^ (365/20) - 1 = 44.5853 %.
    c = ar.discount_cost(2, 10, 30)
    assert (c.simple_360, c.simple_365, c.compounded_365) == (d("36.7347"), d("37.2449"), d("44.5853"))
    assert ar.discount_cost_of_terms("2/10 net 30", "2026-03-01") == c
    assert ar.discount_cost_of_terms("net 30", "2026-03-01") is None
    with pytest.raises(ar.ArTypeError):
        ar.discount_cost(2.0, 10, 30)  # type: ignore[arg-type]


def test_format_amount() -> None:
    assert ar.format_amount(d("10000"), "GBP") == "10,000.00"
    assert ar.format_amount(d("1234567.5"), "EUR") == "1,234,567.50"


def test_charges_and_the_clearing_order() -> None:
    ledger = book()
    ledger.issue_charge(
        {
            "id": "INT-1",
            "customer": "A",
            "date": day("2026-03-12"),
            "kind": "interest",
            "lines": [{"item": {"invoice": "INV-A1"}, "amount": d("12.00"), "through": "2026-03-12"}],
        }
    )
    ledger.issue_charge(
        {
            "id": "FEE-1",
            "customer": "A",
            "date": "2026-03-12",
            "kind": "fee",
            "lines": [{"item": {"invoice": "INV-A1"}, "amount": d("5.00")}],
        }
    )
    assert ledger.invoice("INT-1").open == d("12.00")
    # 20.00 clears the fee (5.00), then the interest (12.00), then 3.00 of
    # INV-A1's principal.
    ledger.record_receipt("R-1", "2026-03-15", d("20.00"), "EUR", customer="A")
    out = ledger.apply_in_clearing_order("2026-03-15", receipt="R-1", invoice="INV-A1")
    assert [e.type for e in out.events] == ["applied", "applied", "applied"]
    assert ledger.invoice("FEE-1").open == d("0.00")
    assert ledger.invoice("INT-1").open == d("0.00")
    assert ledger.invoice("INV-A1").open == d("1497.00")


def test_disputes_promises_and_plans() -> None:
    ledger = book()
    ledger.open_dispute(
        {"id": "D-1", "invoice": "INV-A1", "amount": d("300.00"), "reason": "damaged", "owner": "ann"}, "2026-02-05"
    )
    ledger.open_dispute({"id": "D-2", "invoice": "INV-B1", "reason": "pricing", "owner": "bob"}, "2026-02-10")
    ledger.resolve_dispute("D-2", "2026-02-20", "bob", reason="price confirmed")
    views = ledger.disputes("2026-03-01")
    assert [(v.id, v.open, v.amount, v.age_days) for v in views] == [
        ("D-1", True, d("300.00"), 24),
        ("D-2", False, d("0.00"), 10),
    ]
    assert views[1].resolution is not None and views[1].resolution.by == "reinstated"
    assert views[1].resolved_by == "bob"
    [row] = ledger.dispute_summary("2026-03-01", by="customer")
    assert (row.key, row.count, row.amount, row.oldest_age_days) == ("A", 1, d("300.00"), 24)

    # A promise of 200.00 by 5 March (2 days' grace), 100 % to keep it:
    # 150.00 paid by 7 March is not enough: broken as of 8 March.
    ledger.record_promise(
        {
            "id": "P-1",
            "customer": "A",
            "items": [{"invoice": "INV-A2"}],
            "amount": d("200.00"),
            "due": "2026-03-05",
            "grace_days": 2,
        },
        "2026-03-01",
    )
    ledger.record_receipt("R-1", "2026-03-04", d("150.00"), "EUR", customer="A")
    ledger.apply("INV-A2", d("150.00"), "2026-03-04", receipt="R-1")
    [p] = ledger.promises("2026-03-06")
    assert (p.status, p.paid, p.required, p.deadline) == ("open", d("150.00"), d("200.00"), day("2026-03-07"))
    [broken] = ledger.promises("2026-03-08", broken=True)
    assert broken.promise.id == "P-1" and broken.status == "broken"

    # A plan over INV-B1 (80.00): 40.00 on 1 March and 1 April, no grace.
    # Nothing paid by 1 March: broken on 2 March, instalment 0 missed.
    ledger.agree_plan(
        {
            "id": "PL-1",
            "customer": "B",
            "items": [{"invoice": "INV-B1"}],
            "instalments": [{"due": "2026-03-01", "amount": d("40.00")}, {"due": "2026-04-01", "amount": d("40.00")}],
        },
        "2026-02-25",
    )
    [current] = ledger.plans("2026-02-28")
    assert (current.status, current.next_due) == ("current", day("2026-03-01"))
    [plan] = ledger.plans("2026-03-02")
    assert (plan.status, plan.missed) == ("broken", 0)
    # Instalments that do not add up are refused, and nothing changes.
    n = len(ledger)
    with pytest.raises(ar.ValidationError):
        ledger.agree_plan(
            {
                "id": "PL-2",
                "customer": "B",
                "items": [{"invoice": "INV-B1"}],
                "instalments": [{"due": "2026-04-01", "amount": d("10.00")}],
            },
            "2026-03-02",
        )
    assert len(ledger) == n

    # A hold keeps A out of the run, with its reason.
    ledger.set_collections_hold("A", True, "2026-03-10", reason="in talks")
    run = ledger.dunning_run(POLICY, "2026-03-12")
    [a] = [s for s in run.skipped if s.customer == "A"]
    assert ("on_hold", "in talks") in [(r.kind, r.reason) for r in a.reasons]


def samples() -> list[Any]:
    """A result holding each collections record (for ``test_layer``)."""
    ledger = book()
    ledger.open_dispute({"id": "D-1", "invoice": "INV-A2", "reason": "damaged", "owner": "ann"}, "2026-03-01")
    ledger.open_dispute({"id": "D-2", "invoice": "INV-B1", "reason": "pricing", "owner": "bob"}, "2026-02-02")
    ledger.resolve_dispute("D-2", "2026-02-03", "bob")
    ledger.set_collections_hold("B", True, "2026-03-01", reason="in talks")
    ledger.record_promise(
        {"id": "P-1", "customer": "B", "items": [{"invoice": "INV-B1"}], "amount": d("80.00"), "due": "2026-04-01"},
        "2026-03-02",
    )
    ledger.agree_plan(
        {
            "id": "PL-1",
            "customer": "B",
            "items": [{"invoice": "INV-B1", "installment": 1}],
            "instalments": [{"due": "2026-04-01", "amount": d("80.00")}],
        },
        "2026-03-02",
    )
    rule = ar.interest_rule("eu_directive", [{"from": "2026-01-01", "rate": d("2.00")}])
    policy = {**POLICY, "interest": rule}
    policy["levels"] = [{**lv, "interest": True} for lv in POLICY["levels"]]
    run = ledger.dunning_run(policy, "2026-03-12")
    # The notice claims interest and the EUR 40 on INV-A1 and leaves the
    # disputed INV-A2 out; B is on hold.
    assert [(n.customer, len(n.interest), len(n.compensation), len(n.excluded)) for n in run.notices] == [
        ("A", 1, 1, 1)
    ]
    return [
        run,
        rule,
        ar.late_interest(rule, d("100.00"), "2026-01-31", "2026-03-12", "EUR"),
        ar.discount_cost(2, 10, 30),
        ledger.disputes("2026-03-12"),
        ledger.dispute_summary("2026-03-12"),
        ledger.promises("2026-03-12"),
        ledger.plans("2026-03-12"),
    ]


def test_a_record_that_omits_none_still_refuses_what_does_not_fit() -> None:
    from ar import _records

    skip = _records.build(ar.DunningSkip, {"customer": "A", "reasons": [{"kind": "nothing_overdue"}]})
    assert (skip.customer, skip.currency, skip.reasons[0].kind, skip.reasons[0].level) == ("A", None, "nothing_overdue", None)
    # A required field absent, or a field not declared, is still an error.
    cases: list[dict[str, Any]] = [{"reasons": []}, {"customer": "A", "reasons": [], "extra": 1}]
    for data in cases:
        with pytest.raises(ar.InternalError):
            _records.build(ar.DunningSkip, data)
