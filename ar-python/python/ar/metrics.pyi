"""Type stubs for ``ar.metrics``: receivables metrics from plain numbers
(implemented in Rust, a submodule of the native extension registered as
``ar.metrics``).

Each function states its formula; a zero or negative denominator gives
``None``, never NaN. Results keep full decimal precision: round them for
display. Keep in sync with ``src/metrics.rs``; ``python -m mypy.stubtest ar``
checks it.
"""

from decimal import Decimal
from typing import Sequence

from ar._ar import PaymentTiming
from ar.typedefs import Amount, CeiVariant, DateLike

__all__ = [
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

def dso_period_end(ar_end: Amount, credit_sales: Amount, days: int) -> Decimal | None:
    """Period-end DSO: ``ar_end / credit_sales x days``."""

def dso_average(
    ar_begin: Amount, ar_end: Amount, credit_sales: Amount, days: int
) -> Decimal | None:
    """Average-AR DSO: ``(ar_begin + ar_end) / 2 / credit_sales x days``."""

def dso_countback(ar_end: Amount, periods: Sequence[tuple[Amount, int]]) -> Decimal | None:
    """Countback DSO over ``(credit_sales, days)`` periods, most recent first."""

def best_possible_dso(current_ar: Amount, credit_sales: Amount, days: int) -> Decimal | None:
    """Best possible DSO: ``current_ar / credit_sales x days``."""

def average_days_delinquent(dso: Amount, best_possible: Amount) -> Decimal:
    """Average days delinquent: ``dso - best_possible``."""

def cei(
    begin: Amount,
    sales: Amount,
    end_total: Amount,
    end_current: Amount,
    *,
    variant: CeiVariant = "period_sales",
    months: int | None = None,
) -> Decimal | None:
    """Collection effectiveness index, in percent."""

def ar_turnover(credit_sales: Amount, ar_begin: Amount, ar_end: Amount) -> Decimal | None:
    """AR turnover: ``credit_sales / ((ar_begin + ar_end) / 2)``."""

def percent_current(current_ar: Amount, total_ar: Amount) -> Decimal | None:
    """Percent of AR not yet past due."""

def percent_past_due(current_ar: Amount, total_ar: Amount) -> Decimal | None:
    """Percent of AR past due."""

def payment_timing(
    payments: Sequence[tuple[DateLike, DateLike, DateLike, Amount]],
) -> PaymentTiming:
    """Days to pay and beyond terms over ``(invoice_date, due_date, paid_date, amount)``."""
