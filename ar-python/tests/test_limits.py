"""Every documented limit (``ar.limits``, the core's constants): at the limit
the call succeeds, one past it raises ``ValidationError`` with code
``limit_exceeded`` naming the limit."""

from __future__ import annotations

import datetime
import time
from decimal import Decimal
from typing import Any, Callable, List

import pytest

import ar
import ar.limits as limits
from scenario import at, build, d, day

LATER = at("2026-04-01T09:00:00Z")
APRIL = day("2026-04-01")

# The limits the core checks once its limits change is merged; until then
# these calls are accepted past the limit on this branch.


def refuses(limit: int, call: Callable[[], object]) -> None:
    with pytest.raises(ar.ValidationError) as e:
        call()
    assert e.value.code == "limit_exceeded", e.value.message
    assert f"limit of {limit}" in e.value.message, e.value.message


def test_the_limits_are_the_documented_numbers() -> None:
    assert (limits.MAX_ID_LEN, limits.MAX_TEXT_LEN, limits.MAX_KEY_LEN) == (128, 65_536, 256)
    assert (limits.MAX_DIMENSIONS, limits.MAX_LINES, limits.MAX_TAXES_PER_LINE) == (64, 10_000, 16)
    assert (limits.MAX_INSTALLMENTS, limits.MAX_BUCKETS, limits.MAX_PERIODS) == (366, 64, 1_200)
    assert (limits.MAX_WEIGHTS, limits.MAX_SHOWN) == (1_000_000, 64)
    assert ar.limits is limits
    assert sorted(limits.__all__) == sorted(n for n in dir(limits) if n.startswith("MAX_"))


# ----- text ----------------------------------------------------------------------

def test_ids_at_the_limit() -> None:
    build().register_customer("c" * limits.MAX_ID_LEN, "n", "USD", recorded=LATER)


def test_ids_past_the_limit() -> None:
    n = limits.MAX_ID_LEN
    refuses(n, lambda: build().register_customer("c" * (n + 1), "n", "USD", recorded=LATER))


def free_text_calls(l: ar.Ledger, text: str) -> List[Callable[[], object]]:
    """A call with ``text`` in each kind of free text, in an order that
    runs on one ledger (the last voids the invoice the second issues)."""
    tag = str(len(text))
    return [
        lambda: l.register_customer("N" + tag, text, "USD", recorded=LATER),
        lambda: l.issue_invoice("I" + tag, "ACME", APRIL, [ar.Line(text, 1, d("1.00"))], recorded=LATER),
        lambda: l.issue_invoice("P" + tag, "ACME", APRIL, [ar.Line("x", 1, d("1.00"))],
                                po_number=text, recorded=LATER),
        lambda: l.record_receipt("R" + tag, APRIL, d("1.00"), "USD", remittance=text, recorded=LATER),
        lambda: l.record_receipt("F" + tag, APRIL, d("1.00"), "USD", reference=text, recorded=LATER),
        lambda: l.set_dispute("INV-1", True, APRIL, text, recorded=LATER),
        lambda: l.void_invoice("P" + tag, APRIL, text, recorded=LATER),
    ]


def test_free_text_at_the_limit() -> None:
    l = build()
    text = "é" * (limits.MAX_TEXT_LEN // 2)  # MAX_TEXT_LEN bytes of UTF-8
    for call in free_text_calls(l, text):
        call()
    assert l.invoice("P" + str(len(text))).status == "void"


def test_free_text_past_the_limit() -> None:
    n = limits.MAX_TEXT_LEN
    for call in free_text_calls(build(), "x" * (n + 1)):
        refuses(n, call)


def test_keys_at_the_limit() -> None:
    k = "k" * limits.MAX_KEY_LEN
    build().register_customer("K1", "n", "USD", dimensions={k: k}, recorded=LATER)
    # A 10 % tax on 1.00 under a 256-byte code.
    assert ar.compute_totals([ar.Line("x", 1, d("1.00"), taxes=[(k, 10)])], "USD").tax == d("0.10")


def test_keys_past_the_limit() -> None:
    n = limits.MAX_KEY_LEN
    over = "k" * (n + 1)
    l = build()
    refuses(n, lambda: l.register_customer("K2", "n", "USD", dimensions={over: "v"}, recorded=LATER))
    refuses(n, lambda: l.register_customer("K2", "n", "USD", dimensions={"k": over}, recorded=LATER))
    refuses(n, lambda: ar.compute_totals([ar.Line("x", 1, d("1.00"), taxes=[(over, 10)])], "USD"))


# ----- counts ---------------------------------------------------------------------

def test_dimensions_and_group_by_keys_at_the_limit() -> None:
    n = limits.MAX_DIMENSIONS
    l = build()
    l.register_customer("D1", "n", "USD", dimensions={f"k{i}": "v" for i in range(n)}, recorded=LATER)
    assert len(l.aging(APRIL, group_by=[f"customer.k{i}" for i in range(n)]).rows[0].group) == n


def test_dimensions_and_group_by_keys_past_the_limit() -> None:
    n = limits.MAX_DIMENSIONS
    l = build()
    refuses(n, lambda: l.register_customer(
        "D2", "n", "USD", dimensions={f"k{i}": "v" for i in range(n + 1)}, recorded=LATER))
    refuses(n, lambda: l.aging(APRIL, group_by=[f"customer.k{i}" for i in range(n + 1)]))


LINE = ar.Line("x", 1, d("0.01"))


def test_lines_at_the_limit() -> None:
    lines = [LINE] * limits.MAX_LINES
    # 10,000 lines of 0.01: 100.00.
    assert ar.compute_totals(lines, "USD").total == d("100.00")
    l = build()
    l.issue_invoice("L1", "ACME", APRIL, lines, recorded=LATER)
    assert l.invoice("L1").total == d("100.00")


def test_lines_past_the_limit() -> None:
    n = limits.MAX_LINES
    lines = [LINE] * (n + 1)
    refuses(n, lambda: ar.compute_totals(lines, "USD"))
    refuses(n, lambda: build().issue_invoice("L2", "ACME", APRIL, lines, recorded=LATER))


def test_taxes_per_line_at_the_limit() -> None:
    taxes = [(f"T{i}", 1) for i in range(limits.MAX_TAXES_PER_LINE)]
    # 16 taxes of 1 % on 100.00: 16.00 of tax.
    assert ar.compute_totals([ar.Line("x", 1, d("100.00"), taxes=taxes)], "USD").tax == d("16.00")


def test_taxes_per_line_past_the_limit() -> None:
    n = limits.MAX_TAXES_PER_LINE
    taxes = [(f"T{i}", 1) for i in range(n + 1)]
    refuses(n, lambda: ar.compute_totals([ar.Line("x", 1, d("100.00"), taxes=taxes)], "USD"))


def test_installments_at_the_limit() -> None:
    n = limits.MAX_INSTALLMENTS
    portions = [ar.Installment(f"net {i + 1}") for i in range(n)]
    # 366 equal shares of 366.00: 1.00 each.
    plan = ar.schedule(ar.Terms.installments(portions), APRIL, d("366.00"), "USD")
    assert len(plan) == n and all(p.amount == d("1.00") for p in plan)


def test_installments_past_the_limit() -> None:
    n = limits.MAX_INSTALLMENTS
    portions = [ar.Installment(f"net {i + 1}") for i in range(n + 1)]
    refuses(n, lambda: ar.schedule(ar.Terms.installments(portions), APRIL, d("367.00"), "USD"))


def test_buckets_at_the_limit() -> None:
    n = limits.MAX_BUCKETS
    # n bounds make n + 1 buckets.
    assert len(build().aging(APRIL, buckets=list(range(n))).rows[0].buckets) == n + 1


def test_buckets_past_the_limit() -> None:
    n = limits.MAX_BUCKETS
    refuses(n, lambda: build().aging(APRIL, buckets=list(range(n + 1))))


ENDS = [day("1900-01-31") + datetime.timedelta(days=31 * i) for i in range(limits.MAX_PERIODS + 1)]


def test_periods_at_the_limit() -> None:
    n = limits.MAX_PERIODS
    l = build()
    l.metrics(day("2026-03-01"), day("2026-03-31"), countback_months=n)
    # Sales of 1 a period for n periods explain an AR of n: n periods of 30 days.
    assert ar.metrics.dso_countback(d(str(n)), [(d("1"), 30)] * n) == Decimal(30 * n)
    assert len(l.roll_rates(ENDS[:n], "USD").period_ends) == n


def test_periods_past_the_limit() -> None:
    n = limits.MAX_PERIODS
    l = build()
    refuses(n, lambda: l.metrics(day("2026-03-01"), day("2026-03-31"), countback_months=n + 1))
    refuses(n, lambda: ar.metrics.dso_countback(d("1"), [(d("1"), 30)] * (n + 1)))
    refuses(n, lambda: l.roll_rates(ENDS, "USD"))


def test_weights_at_the_limit() -> None:
    weights: List[Any] = [1] * limits.MAX_WEIGHTS
    # 10,000.00 over a million equal weights: 0.01 each.
    parts = ar.allocate(Decimal("10000.00"), weights, "USD")
    assert len(parts) == limits.MAX_WEIGHTS and set(parts) == {d("0.01")}


def test_weights_past_the_limit() -> None:
    n = limits.MAX_WEIGHTS
    refuses(n, lambda: ar.allocate(Decimal("10000.00"), [1] * (n + 1), "USD"))


def test_a_countback_of_a_billion_months_is_refused_quickly() -> None:
    start = time.perf_counter()
    refuses(limits.MAX_PERIODS, lambda: build().metrics(
        day("2026-03-01"), day("2026-03-31"), countback_months=10**9))
    assert time.perf_counter() - start < 1.0
