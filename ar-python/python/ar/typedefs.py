"""Types of ar's values, for annotations: the snake_case string enums as
unions of ``Literal`` strings, and the shapes of the records' ``to_dict()`` results as
``TypedDict``s.

In ``to_dict()`` results nested records (``InvoiceView.installments``,
``Outcome.events``, ...) are dicts too; amounts stay ``decimal.Decimal``,
dates ``datetime.date`` and timestamps ``datetime.datetime``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Dict, List, Literal, Optional, Tuple, TypedDict, Union

if TYPE_CHECKING:
    from ar._ar import Terms

__all__ = [
    "Amount",
    "DateLike",
    "EventType",
    "InvoiceStatus",
    "OpenItemKind",
    "PaymentMethod",
    "RoundingPolicy",
    "SourceKind",
    "TaxMode",
    "TaxRounding",
    "AllocationDict",
    "ApplicationDict",
    "BalanceDict",
    "DiscountOfferDict",
    "EventDict",
    "InstallmentViewDict",
    "InvoiceTotalsDict",
    "InvoiceViewDict",
    "LineDict",
    "LineTotalsDict",
    "OpenItemDict",
    "OutcomeDict",
    "ScheduledInstallmentDict",
    "SourceViewDict",
    "TaxTotalDict",
]

Amount = Union[Decimal, int]
"""An exact amount: ``decimal.Decimal`` or ``int`` (never ``float``)."""

DateLike = Union[datetime.date, str]
"""A business date: ``datetime.date`` or ``"YYYY-MM-DD"`` (not a ``datetime``)."""

# The string enums are unions of one-value Literals (the same type as
# ``Literal["a", "b"]`` to a type checker) so that ``mypy.stubtest`` can check
# them against the runtime objects.
RoundingPolicy = Union[
    Literal["half_away_from_zero"],
    Literal["half_even"],
]
TaxMode = Union[
    Literal["exclusive"],
    Literal["inclusive"],
]
TaxRounding = Union[
    Literal["per_line"],
    Literal["per_document"],
]
PaymentMethod = Union[
    Literal["check"],
    Literal["ach"],
    Literal["wire"],
    Literal["card"],
    Literal["cash"],
    Literal["direct_debit"],
    Literal["other"],
]
InvoiceStatus = Union[
    Literal["draft"],
    Literal["open"],
    Literal["partially_paid"],
    Literal["paid"],
    Literal["void"],
    Literal["written_off"],
]
OpenItemKind = Union[
    Literal["invoice"],
    Literal["credit_memo"],
    Literal["unapplied_cash"],
]
SourceKind = Union[
    Literal["receipt"],
    Literal["credit_memo"],
]
EventType = Union[
    Literal["customer_registered"],
    Literal["customer_updated"],
    Literal["invoice_issued"],
    Literal["invoice_finalized"],
    Literal["invoice_voided"],
    Literal["dispute_set"],
    Literal["receipt_recorded"],
    Literal["payer_assigned"],
    Literal["receipt_voided"],
    Literal["credit_memo_issued"],
    Literal["credit_memo_voided"],
    Literal["applied"],
    Literal["unapplied"],
    Literal["written_off"],
    Literal["write_off_reversed"],
    Literal["refunded"],
]


class DiscountOfferDict(TypedDict):
    """``DiscountOffer.to_dict()``."""

    until: datetime.date
    percent: Decimal
    amount: Decimal


class ScheduledInstallmentDict(TypedDict):
    """``ScheduledInstallment.to_dict()``."""

    number: int
    due_date: datetime.date
    amount: Decimal
    discount: Optional[DiscountOfferDict]


class LineDict(TypedDict):
    """``Line.to_dict()``."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Optional[Decimal]
    discount_amount: Optional[Decimal]
    taxes: List[Tuple[str, Decimal]]


class LineTotalsDict(TypedDict):
    """``LineTotals.to_dict()``."""

    net: Decimal
    tax: Decimal
    gross: Decimal


class TaxTotalDict(TypedDict):
    """``TaxTotal.to_dict()``."""

    code: str
    rate: Decimal
    taxable: Decimal
    tax: Decimal


class InvoiceTotalsDict(TypedDict):
    """``InvoiceTotals.to_dict()``."""

    lines: List[LineTotalsDict]
    taxes: List[TaxTotalDict]
    net: Decimal
    tax: Decimal
    total: Decimal


class OpenItemDict(TypedDict):
    """``OpenItem.to_dict()``."""

    kind: OpenItemKind
    id: str
    installment: Optional[int]
    customer: Optional[str]
    currency: str
    date: datetime.date
    due_date: Optional[datetime.date]
    original: Decimal
    open: Decimal
    disputed: bool


class BalanceDict(TypedDict):
    """``Balance.to_dict()``."""

    customer: Optional[str]
    currency: str
    invoices: Decimal
    unapplied_cash: Decimal
    open_credits: Decimal
    net: Decimal


class InstallmentViewDict(TypedDict):
    """``InstallmentView.to_dict()``."""

    number: int
    due_date: datetime.date
    amount: Decimal
    open: Decimal
    discount: Optional[DiscountOfferDict]


class InvoiceViewDict(TypedDict):
    """``InvoiceView.to_dict()`` (``terms`` stays an ``ar.Terms``)."""

    id: str
    customer: str
    currency: str
    date: datetime.date
    due_date: datetime.date
    po_number: Optional[str]
    dimensions: Dict[str, str]
    terms: Terms
    status: InvoiceStatus
    disputed: bool
    total: Decimal
    net: Decimal
    tax: Decimal
    open: Decimal
    paid: Decimal
    credited: Decimal
    discounted: Decimal
    written_off: Decimal
    settled_before_import: Decimal
    installments: List[InstallmentViewDict]
    lines: List[LineTotalsDict]
    taxes: List[TaxTotalDict]


class SourceViewDict(TypedDict):
    """``SourceView.to_dict()``."""

    kind: SourceKind
    id: str
    customer: Optional[str]
    currency: str
    date: datetime.date
    amount: Decimal
    applied: Decimal
    refunded: Decimal
    open: Decimal
    void: bool


class AllocationDict(TypedDict):
    """``Allocation.to_dict()``."""

    installment: int
    amount: Decimal
    discount: Decimal


class ApplicationDict(TypedDict):
    """``Application.to_dict()``."""

    id: str
    source_kind: SourceKind
    source: str
    invoice: str
    date: datetime.date
    unapplied_on: Optional[datetime.date]
    allocations: List[AllocationDict]


class EventDict(TypedDict):
    """``Event.to_dict()``."""

    seq: int
    type: EventType
    subject: str
    effective: datetime.date
    recorded: datetime.datetime
    idempotency_key: Optional[str]
    json: str


class OutcomeDict(TypedDict):
    """``Outcome.to_dict()``."""

    replayed: bool
    events: List[EventDict]
