"""The records of a credit check (``Ledger.credit_check``): the core's
``ar_core::credit_control`` results, read by :mod:`ar._records`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Dict, List, Literal, Optional

from ar._records import Record, record

Any_ = Dict[str, Any]


@record
@dataclass(frozen=True, init=False, slots=True)
class CreditReason(Record[Any_]):
    """Why a check warns or blocks: ``over_limit`` (``limit``, ``exposure``,
    ``over_by``), ``near_limit`` (``limit``, ``exposure``), ``past_due``
    (``days``, ``items``, ``amount``, ``oldest_days``), ``broken_promises``
    (``count``) or ``on_hold`` (``since``, ``reason``, ``by``)."""

    omits_none: ClassVar[bool] = True
    kind: Literal["over_limit", "near_limit", "past_due", "broken_promises", "on_hold"]
    limit: Optional[Decimal]
    exposure: Optional[Decimal]
    over_by: Optional[Decimal]
    days: Optional[int]
    items: Optional[int]
    amount: Optional[Decimal]
    oldest_days: Optional[int]
    count: Optional[int]
    since: Optional[datetime.date]
    reason: Optional[str]
    by: Optional[str]


@record
@dataclass(frozen=True, init=False, slots=True)
class CreditFinding(Record[Any_]):
    """One reason, and whether it warns or blocks."""

    outcome: Literal["allow", "warn", "block"]
    reason: CreditReason


@record
@dataclass(frozen=True, init=False, slots=True)
class CreditCheck(Record[Any_]):
    """The answer of a credit check: what the customer ``owed``, the
    ``exposure`` with the orders and the amount asked for, against its
    ``limit`` (``None`` when it has none), in ``currency``; ``outcome`` is
    the worst of the ``reasons``."""

    omits_none: ClassVar[bool] = True
    customer: str
    currency: str
    limit: Optional[Decimal]
    owed: Decimal
    exposure: Decimal
    outcome: Literal["allow", "warn", "block"]
    reasons: List[CreditFinding]
