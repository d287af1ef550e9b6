"""The records of collections (``Ledger.dunning_run``, ``Ledger.disputes``,
``Ledger.promises``, ``Ledger.plans``, ``ar.late_interest``,
``ar.interest_rule``, ``ar.discount_cost``): the core's
``ar_core::collections`` results, read by :mod:`ar._records`.

Tagged choices of the core (why a customer is not chased, why an item is
left out, how a dispute ended) are one record each with a ``kind`` (or
``by``) and the fields of every choice, ``None`` where a choice has none.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Dict, List, Literal, Optional

from ar._records import Record, record

# Levels of lists and dicts `plain` copies; deeper values are left for the
# native reader, which refuses them with an error naming the field.
_MAX_DEPTH = 32


def plain(value: Any, depth: int = 0) -> Any:
    """``value`` as the native reader takes it: records as dicts, dates as
    ISO text, lists and dicts copied with their items made plain."""
    if depth > _MAX_DEPTH:
        return value
    if isinstance(value, Record):
        value = value.to_dict()
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if type(value) is dict:
        return {k: plain(v, depth + 1) for k, v in value.items()}
    if type(value) in (list, tuple):
        return [plain(v, depth + 1) for v in value]
    return value


Any_ = Dict[str, Any]


# ----- interest -----------------------------------------------------------------


@record
@dataclass(frozen=True, init=False, slots=True)
class CompensationTier(Record[Any_]):
    """``amount`` for a debt ``below`` a bound (the last tier has none)."""

    omits_none: ClassVar[bool] = True
    below: Optional[Decimal]
    amount: Decimal


@record
@dataclass(frozen=True, init=False, slots=True)
class Compensation(Record[Any_]):
    """A fixed sum per late invoice in ``currency``, tiered by its total."""

    currency: str
    tiers: List[CompensationTier]


@record
@dataclass(frozen=True, init=False, slots=True)
class InterestRule(Record[Any_]):
    """How late interest and fixed compensation are computed: reference
    ``rates`` plus ``margin`` points, per annum or month, a day count, fixed
    at the due date or floating by half-year, after ``grace_days``; pass it
    (or its ``to_dict()``) as a policy's ``interest``."""

    # `{"from": "YYYY-MM-DD", "rate": percent}` as text (`from` is no
    # name a field can have).
    rates: List[Dict[str, str]]
    margin: Decimal
    basis: Literal["per_annum", "per_month"]
    day_count: Literal["actual365", "actual360", "thirty360"]
    mode: Literal["fixed", "floating"]
    grace_days: int
    compensation: List[Compensation]
    rounding: Literal["half_even", "half_away_from_zero"]
    omits_none: ClassVar[bool] = True


@record
@dataclass(frozen=True, init=False, slots=True)
class InterestSegment(Record[Any_]):
    """A stretch of days (``after`` to ``through``) with one principal and
    one rate in percent."""

    after: datetime.date
    through: datetime.date
    days: int
    principal: Decimal
    rate: Decimal


@record
@dataclass(frozen=True, init=False, slots=True)
class LateInterest(Record[Any_]):
    """Interest on one item from the day after ``start`` (the due date plus
    grace) through ``through``: the stretches, and ``amount`` rounded once."""

    start: datetime.date
    through: datetime.date
    days: int
    segments: List[InterestSegment]
    amount: Decimal


@record
@dataclass(frozen=True, init=False, slots=True)
class DiscountCost(Record[Any_]):
    """The annual cost in percent of forgoing an early-payment discount."""

    simple_360: Decimal
    simple_365: Decimal
    compounded_365: Decimal


# ----- the dunning run ----------------------------------------------------------


@record
@dataclass(frozen=True, init=False, slots=True)
class NoticeLine(Record[Any_]):
    """An overdue item of a notice: ``open`` is what is open and not
    disputed; ``level`` it is reminded at now, ``previous_level`` it was
    last (0: never)."""

    invoice: str
    installment: int
    invoice_date: datetime.date
    due_date: datetime.date
    days_past_due: int
    original: Decimal
    open: Decimal
    level: int
    previous_level: int


@record
@dataclass(frozen=True, init=False, slots=True)
class InterestLine(Record[Any_]):
    """Interest claimable on one item: ``accrued`` less what notes already
    ``charged``; ``paid`` when the principal is paid (late)."""

    invoice: str
    installment: int
    due_date: datetime.date
    through: datetime.date
    days: int
    accrued: Decimal
    charged: Decimal
    amount: Decimal
    paid: bool


@record
@dataclass(frozen=True, init=False, slots=True)
class CompensationLine(Record[Any_]):
    """A fixed compensation claimed for a late invoice of total ``debt``."""

    invoice: str
    debt: Decimal
    amount: Decimal


@record
@dataclass(frozen=True, init=False, slots=True)
class Exclusion(Record[Any_]):
    """Why an overdue item is left out: ``disputed`` (``amount``),
    ``promise_open`` (``promise``, ``due``) or ``plan_current``
    (``plan``)."""

    omits_none: ClassVar[bool] = True
    kind: Literal["disputed", "promise_open", "plan_current"]
    amount: Optional[Decimal]
    promise: Optional[str]
    due: Optional[datetime.date]
    plan: Optional[str]


@record
@dataclass(frozen=True, init=False, slots=True)
class ExcludedItem(Record[Any_]):
    """An overdue item left out of a notice, with why."""

    invoice: str
    installment: int
    open: Decimal
    reason: Exclusion


@record
@dataclass(frozen=True, init=False, slots=True)
class DunningNotice(Record[Any_]):
    """A notice due: the customer's overdue items in ``currency`` at
    ``level``, interest and compensation claimable, the fee, the totals,
    and ``text`` written with the level's template when the setup has
    templates; ``credit_hold`` flags a customer on credit hold (the notice
    still goes). ``Ledger.record_dunning_notice`` records it as sent."""

    omits_none: ClassVar[bool] = True
    customer: str
    customer_name: str
    currency: str
    as_of: datetime.date
    policy: str
    level: int
    action: Literal["email", "letter", "call", "stop_supply", "agency"]
    template: str
    items: List[NoticeLine]
    interest: List[InterestLine]
    compensation: List[CompensationLine]
    excluded: List[ExcludedItem]
    overdue: Decimal
    fee: Decimal
    interest_total: Decimal
    compensation_total: Decimal
    total: Decimal
    text: Optional[str]
    credit_hold: bool


@record
@dataclass(frozen=True, init=False, slots=True)
class SkipReason(Record[Any_]):
    """One reason a customer is not chased: ``nothing_overdue``,
    ``below_threshold`` (``overdue``, ``threshold``), ``disputed``
    (``amount``), ``promise_open`` (``promise``, ``due``), ``plan_current``
    (``plan``), ``notice_sent_recently`` (``notice``, ``days_ago``,
    ``min_days``), ``no_new_level`` (``level``) or ``on_hold``
    (``reason``)."""

    omits_none: ClassVar[bool] = True
    kind: Literal[
        "nothing_overdue",
        "below_threshold",
        "disputed",
        "promise_open",
        "plan_current",
        "notice_sent_recently",
        "no_new_level",
        "on_hold",
    ]
    overdue: Optional[Decimal]
    threshold: Optional[Decimal]
    amount: Optional[Decimal]
    promise: Optional[str]
    due: Optional[datetime.date]
    plan: Optional[str]
    notice: Optional[str]
    days_ago: Optional[int]
    min_days: Optional[int]
    level: Optional[int]
    reason: Optional[str]


@record
@dataclass(frozen=True, init=False, slots=True)
class DunningSkip(Record[Any_]):
    """A customer not chased (in ``currency``, or in none when nothing is
    overdue), with every reason that applies."""

    omits_none: ClassVar[bool] = True
    customer: str
    currency: Optional[str]
    reasons: List[SkipReason]


@record
@dataclass(frozen=True, init=False, slots=True)
class DunningRun(Record[Any_]):
    """A dunning run as of a date: the notices due and the customers not
    chased, with why."""

    as_of: datetime.date
    notices: List[DunningNotice]
    skipped: List[DunningSkip]


# ----- disputes, promises, plans -----------------------------------------------------


@record
@dataclass(frozen=True, init=False, slots=True)
class Resolution(Record[Any_]):
    """How a dispute ended: ``by`` a ``credit_memo``, a ``write_off``, or
    ``reinstated``."""

    omits_none: ClassVar[bool] = True
    by: Literal["credit_memo", "write_off", "reinstated"]
    credit_memo: Optional[str]
    write_off: Optional[str]


@record
@dataclass(frozen=True, init=False, slots=True)
class DisputeView(Record[Any_]):
    """A dispute and where it stands: the ``amount`` it keeps out of dunning
    (zero once resolved), its age in days, and its resolution."""

    omits_none: ClassVar[bool] = True
    id: str
    invoice: str
    installment: Optional[int]
    customer: str
    currency: str
    reason: str
    owner: str
    opened: datetime.date
    amount: Decimal
    age_days: int
    open: bool
    resolution: Optional[Resolution]
    resolved_on: Optional[datetime.date]
    resolved_by: Optional[str]
    resolution_reason: Optional[str]


@record
@dataclass(frozen=True, init=False, slots=True)
class DisputeSummaryRow(Record[Any_]):
    """Open disputes of one reason, customer or owner (``key``) and
    currency: how many, how much, their average and oldest age."""

    key: str
    currency: str
    count: int
    amount: Decimal
    average_age_days: Decimal
    oldest_age_days: int


@record
@dataclass(frozen=True, init=False, slots=True)
class ItemRef(Record[Any_]):
    """An invoice, or one installment of it."""

    omits_none: ClassVar[bool] = True
    invoice: str
    installment: Optional[int]


@record
@dataclass(frozen=True, init=False, slots=True)
class Promise(Record[Any_]):
    """A promise to pay ``amount`` on ``items`` by ``due``."""

    omits_none: ClassVar[bool] = True
    id: str
    customer: str
    items: List[ItemRef]
    amount: Decimal
    due: datetime.date
    grace_days: int
    threshold_percent: Decimal
    note: Optional[str]


@record
@dataclass(frozen=True, init=False, slots=True)
class PromiseView(Record[Any_]):
    """A promise and where it stands: what was ``paid`` on its items from
    the day it was made to its ``deadline`` (due plus grace), what keeps it
    (``required``), and ``status``."""

    promise: Promise
    made: datetime.date
    currency: str
    deadline: datetime.date
    paid: Decimal
    required: Decimal
    status: Literal["open", "kept", "broken"]


@record
@dataclass(frozen=True, init=False, slots=True)
class PlanInstalment(Record[Any_]):
    """An instalment of a payment plan."""

    due: datetime.date
    amount: Decimal


@record
@dataclass(frozen=True, init=False, slots=True)
class PaymentPlan(Record[Any_]):
    """A schedule of instalments over open items."""

    id: str
    customer: str
    items: List[ItemRef]
    instalments: List[PlanInstalment]
    grace_days: int


@record
@dataclass(frozen=True, init=False, slots=True)
class PlanView(Record[Any_]):
    """A plan and where it stands: ``paid`` since agreed, ``status``, the
    first instalment ``missed`` (0-based) if broken, the ``next_due``."""

    omits_none: ClassVar[bool] = True
    plan: PaymentPlan
    agreed: datetime.date
    currency: str
    paid: Decimal
    status: Literal["current", "broken", "completed"]
    missed: Optional[int]
    next_due: Optional[datetime.date]
