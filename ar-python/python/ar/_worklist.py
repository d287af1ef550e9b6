"""The records of the collector's worklist (``Ledger.worklist``): the
core's ``ar_core::worklist`` results, read by :mod:`ar._records`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Dict, List, Literal

from ar._records import Record, record

Any_ = Dict[str, Any]


@record
@dataclass(frozen=True, init=False, slots=True)
class WorklistRow(Record[Any_]):
    """A customer worth a call at ``rank`` (1 first): its ``score``, what is
    ``overdue`` in ``items`` (the oldest ``oldest_days`` past due), that
    amount weighted by age, the share of its payments made late and their
    average ``days_beyond_terms``, broken promises and plans, its
    ``exposure``, an ``explanation`` in words, and whether the customer is
    on ``credit_hold``."""

    rank: int
    customer: str
    name: str
    currency: str
    score: Decimal
    overdue: Decimal
    weighted_overdue: Decimal
    items: int
    oldest_days: int
    late_share: Decimal
    days_beyond_terms: Decimal
    broken_promises: int
    broken_plans: int
    exposure: Decimal
    explanation: str
    credit_hold: bool


@record
@dataclass(frozen=True, init=False, slots=True)
class WorklistExcluded(Record[Any_]):
    """A customer with something open left off the worklist, and why."""

    customer: str
    currency: str
    reasons: List[Literal["nothing_overdue", "disputed", "promised", "on_plan", "on_hold"]]


@record
@dataclass(frozen=True, init=False, slots=True)
class Worklist(Record[Any_]):
    """The worklist as of ``as_of``: customers to call, best first, and
    those left off."""

    as_of: datetime.date
    rows: List[WorklistRow]
    excluded: List[WorklistExcluded]
