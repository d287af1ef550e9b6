"""The records of statements of account (``Ledger.statement``,
``Ledger.statements``): the core's ``ar_core::statement`` results, read by
:mod:`ar._records`. The period is ``start`` to ``end``, as a
``MetricsRow``'s."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Dict, List, Literal, Optional

from ar._records import Record, record

Any_ = Dict[str, Any]


@record
@dataclass(frozen=True, init=False, slots=True)
class StatementEntry(Record[Any_]):
    """One movement on a statement, on its business ``date`` (``seq``: the
    event's place in the log): ``amount`` is positive for what the customer
    owes more (an invoice, a refund), negative for what they owe less (a
    payment, a credit, a discount); ``balance`` is the running balance after
    it. ``document`` is the invoice, receipt or credit memo moved;
    ``reference`` the invoice a discount was taken on."""

    omits_none: ClassVar[bool] = True
    date: datetime.date
    seq: int
    kind: Literal[
        "invoice",
        "interest_note",
        "fee_note",
        "invoice_voided",
        "payment",
        "payment_voided",
        "credit_memo",
        "credit_memo_voided",
        "discount",
        "discount_reversed",
        "write_off",
        "credit_written_off",
        "write_off_reversed",
        "refund",
    ]
    document: str
    reference: Optional[str]
    amount: Decimal
    balance: Decimal


@record
@dataclass(frozen=True, init=False, slots=True)
class StatementOpenItem(Record[Any_]):
    """An item open at the statement's end, as an aging's detail line
    (``AgingLine``): its ``days`` past due (or since its date) and
    ``bucket`` (an index into the statement's ``labels``)."""

    omits_none: ClassVar[bool] = True
    group: List[str]
    kind: Literal["invoice", "credit_memo", "unapplied_cash"]
    customer: Optional[str]
    id: str
    installment: Optional[int]
    currency: str
    date: datetime.date
    due_date: Optional[datetime.date]
    days: int
    bucket: Optional[int]
    open: Decimal


@record
@dataclass(frozen=True, init=False, slots=True)
class StatementAging(Record[Any_]):
    """The customer's aging at the statement's end, the aging report's row
    (``AgingRow``): open invoices per bucket, their ``total``, open credits
    and unapplied cash beside them, and ``net``."""

    group: List[str]
    currency: str
    buckets: List[Decimal]
    total: Decimal
    open_credits: Decimal
    unapplied_cash: Decimal
    net: Decimal
    items: int


@record
@dataclass(frozen=True, init=False, slots=True)
class StatementSection(Record[Any_]):
    """A statement's part in one ``currency``: the ``opening`` balance
    brought forward, the ``entries`` in date order, the ``closing`` balance
    (``opening`` plus every entry), the items open at the end and their
    ``aging`` (``None`` when nothing is open)."""

    omits_none: ClassVar[bool] = True
    currency: str
    opening: Decimal
    entries: List[StatementEntry]
    closing: Decimal
    open_items: List[StatementOpenItem]
    aging: Optional[StatementAging]


@record
@dataclass(frozen=True, init=False, slots=True)
class Statement(Record[Any_]):
    """A customer's statement of account for the period ``start`` to ``end``
    (both included): one section per currency; ``labels`` name the aging's
    buckets; ``credit_hold`` is true when the customer was on credit hold
    at the end of the period."""

    customer: str
    name: str
    start: datetime.date
    end: datetime.date
    labels: List[str]
    sections: List[StatementSection]
    credit_hold: bool
