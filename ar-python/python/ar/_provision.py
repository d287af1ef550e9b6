"""The records of bad-debt provisions (``ar.provision``,
``ar.allowance_adjustment``, ``Ledger.roll_rates``): the core's
``ar_core::provision`` results, read by :mod:`ar._records`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import List, Optional

from ar._records import Record, record
from ar.typedefs import AllowanceAdjustmentDict, ProvisionDict, ProvisionLineDict, RollRatesDict


@record
@dataclass(frozen=True, init=False, slots=True)
class ProvisionLine(Record[ProvisionLineDict]):
    """One bucket's share of a provision: the ``exposure`` (open amount) in the
    ``bucket``, its loss ``rate`` in percent and ``provision``, ``exposure x
    rate / 100`` unrounded."""

    bucket: str
    exposure: Decimal
    rate: Decimal
    provision: Decimal


@record
@dataclass(frozen=True, init=False, slots=True)
class Provision(Record[ProvisionDict]):
    """A provision over bucket exposures (the aging-method allowance or the
    IFRS 9 provision matrix): ``lines`` per bucket, the total ``exposure``,
    and ``total``, the sum of the unrounded line provisions rounded once."""

    currency: str
    lines: List[ProvisionLine]
    exposure: Decimal
    total: Decimal


@record
@dataclass(frozen=True, init=False, slots=True)
class AllowanceAdjustment(Record[AllowanceAdjustmentDict]):
    """The journal entry that brings the allowance for doubtful accounts to
    what is ``required``: ``adjustment = required - existing``, where
    ``existing`` is positive for the usual credit balance and negative for a
    debit balance. A positive adjustment debits bad-debt expense; a negative
    one releases allowance."""

    required: Decimal
    existing: Decimal
    adjustment: Decimal


@record
@dataclass(frozen=True, init=False, slots=True)
class RollRates(Record[RollRatesDict]):
    """Roll rates and loss rates from a ledger's history: ``history`` holds the
    whole-book bucket totals in ``currency`` at each of ``period_ends``
    (oldest first); ``roll[i]`` is the percent of bucket ``i`` found one
    bucket older one period later (``None`` for a bucket that never held a
    balance); ``loss[i]`` the percent of bucket ``i`` expected to be lost."""

    currency: str
    period_ends: List[datetime.date]
    labels: List[str]
    history: List[List[Decimal]]
    roll: List[Optional[Decimal]]
    loss: List[Optional[Decimal]]
