"""Type stubs for the native extension module ``ar._ar`` (implemented in Rust).

Keep in sync with ``src/*.rs``; ``python -m mypy.stubtest ar`` checks it.
"""

import datetime
import os
from decimal import Decimal
from typing import Any, Callable, ClassVar, Literal, Mapping, Sequence, final

# Optional dependencies, for annotations only (pip install ar[pandas], ar[plot]).
# pyarrow ships no type information: its Table is Any to a type checker.
import pandas
import pyarrow  # type: ignore[import-untyped, import-not-found, unused-ignore]
from matplotlib.axes import Axes

from ar import limits as limits
# Records declared in Python (ar._records), published in this module too.
from ar._accounting import Journal as Journal
from ar._accounting import JournalEntry as JournalEntry
from ar._accounting import JournalLine as JournalLine
from ar._accounting import ReconcileItem as ReconcileItem
from ar._accounting import ReconcileRow as ReconcileRow
from ar._accounting import TrialBalanceRow as TrialBalanceRow
from ar._notebook import plot_metrics as plot_metrics
from ar._notebook import to_arrow as to_arrow
from ar._notebook import to_pandas as to_pandas
from ar._bank import AccountStatement as AccountStatement
from ar._bank import BankAccount as BankAccount
from ar._bank import BankBalance as BankBalance
from ar._bank import BankReceipt as BankReceipt
from ar._bank import BankReference as BankReference
from ar._bank import BankStatement as BankStatement
from ar._bank import ListedEntry as ListedEntry
from ar._formats import AccountingProfile as AccountingProfile
from ar._formats import BankEntry as BankEntry
from ar._formats import BankReconciliation as BankReconciliation
from ar._formats import BookApplicationRow as BookApplicationRow
from ar._formats import BookCreditMemoRow as BookCreditMemoRow
from ar._formats import BookCustomerRow as BookCustomerRow
from ar._formats import BookInvoiceRow as BookInvoiceRow
from ar._formats import BookReceiptRow as BookReceiptRow
from ar._formats import BookRows as BookRows
from ar._formats import NumberStyle as NumberStyle
from ar._formats import ReconciledPair as ReconciledPair
from ar._formats import RecordedReceipt as RecordedReceipt
from ar._formats import RowOrigin as RowOrigin
from ar._collections import Compensation as Compensation
from ar._collections import CompensationLine as CompensationLine
from ar._collections import CompensationTier as CompensationTier
from ar._collections import DiscountCost as DiscountCost
from ar._collections import DisputeSummaryRow as DisputeSummaryRow
from ar._collections import DisputeView as DisputeView
from ar._collections import DunningNotice as DunningNotice
from ar._collections import DunningRun as DunningRun
from ar._collections import DunningSkip as DunningSkip
from ar._collections import ExcludedItem as ExcludedItem
from ar._collections import Exclusion as Exclusion
from ar._collections import InterestLine as InterestLine
from ar._collections import InterestRule as InterestRule
from ar._collections import InterestSegment as InterestSegment
from ar._collections import ItemRef as ItemRef
from ar._collections import LateInterest as LateInterest
from ar._collections import NoticeLine as NoticeLine
from ar._collections import PaymentPlan as PaymentPlan
from ar._collections import PlanInstalment as PlanInstalment
from ar._collections import PlanView as PlanView
from ar._collections import Promise as Promise
from ar._collections import PromiseView as PromiseView
from ar._collections import Resolution as Resolution
from ar._collections import SkipReason as SkipReason
from ar._provision import AllowanceAdjustment as AllowanceAdjustment
from ar._provision import Provision as Provision
from ar._provision import ProvisionLine as ProvisionLine
from ar._provision import RollRates as RollRates
from ar._terms import DiscountSplit as DiscountSplit
from ar._terms import DiscountTax as DiscountTax
from ar._credit import CreditCheck as CreditCheck
from ar._credit import CreditFinding as CreditFinding
from ar._credit import CreditReason as CreditReason
from ar._worklist import Worklist as Worklist
from ar._worklist import WorklistExcluded as WorklistExcluded
from ar._worklist import WorklistRow as WorklistRow
from ar._forecast import Backtest as Backtest
from ar._forecast import BacktestError as BacktestError
from ar._forecast import BacktestWeek as BacktestWeek
from ar._forecast import Forecast as Forecast
from ar._forecast import ForecastBucket as ForecastBucket
from ar._forecast import ForecastItem as ForecastItem
from ar._statement import Statement as Statement
from ar._statement import StatementAging as StatementAging
from ar._statement import StatementEntry as StatementEntry
from ar._statement import StatementOpenItem as StatementOpenItem
from ar._statement import StatementSection as StatementSection
from ar import metrics as metrics
from ar.typedefs import (
    AgeBasis,
    AgingLineDict,
    AgingReportDict,
    AgingRowDict,
    Amount,
    AmountsAs,
    BookAmounts,
    AllocationDict,
    ApplicationDict,
    BalanceDict,
    BankFormat,
    ClosePolicy,
    ClosingRateDict,
    DateLike,
    GlLineDict,
    JournalDict,
    JournalOptionsDict,
    RatesDict,
    CompanyDict,
    DiscountBase,
    DiscountOfferDict,
    EventDict,
    EventType,
    InstallmentViewDict,
    InvoiceStatus,
    InvoiceTotalsDict,
    InvoiceViewDict,
    LineDict,
    LineTotalsDict,
    MetricsRowDict,
    OpenItemDict,
    OpenItemKind,
    OutcomeDict,
    SnapshotInfoDict,
    PaymentMethod,
    PaymentTimingDict,
    RoundingPolicy,
    CeiVariant,
    ScheduledInstallmentDict,
    SourceKind,
    SourceViewDict,
    TaxMode,
    TaxRounding,
    TaxTotalDict,
    MatchBatchDict,
    MatchCustomerDict,
    MatchItemDict,
    MatchItemKeyDict,
    MatchChangesDict,
    MatchItemKind,
    MatchOptionsDict,
    MatchReceiptDict,
    MatchStatus,
    PartialPayments,
    PayerBasis,
    ProposalDict,
    ProposalsAs,
    ProposedApplicationDict,
    ReasonCode,
    ReasonDict,
    ReceiptMatchDict,
    ReferenceDict,
    ReferenceKind,
    RemittanceDict,
    SummaryRowDict,
    ToleranceDict,
    ToleranceEvidence,
)

__all__ = [
    "plot_metrics",
    "to_arrow",
    "to_pandas",
    "version",
    "allocate",
    "minor_units",
    "round_amount",
    "schedule",
    "DiscountOffer",
    "DiscountSplit",
    "DiscountTax",
    "Installment",
    "ScheduledInstallment",
    "Terms",
    "compute_totals",
    "InvoiceTotals",
    "Line",
    "LineTotals",
    "TaxTotal",
    "Allocation",
    "Application",
    "Balance",
    "InstallmentView",
    "InvoiceView",
    "OpenItem",
    "SourceView",
    "Event",
    "Ledger",
    "Outcome",
    "SnapshotInfo",
    "AgingLine",
    "AgingReport",
    "AgingRow",
    "MetricsRow",
    "PaymentTiming",
    "Book",
    "aging_finish",
    "metrics_finish",
    "metrics",
    "limits",
    "allowance_adjustment",
    "loss_rates",
    "provision",
    "roll_rates",
    "AllowanceAdjustment",
    "Provision",
    "ProvisionLine",
    "RollRates",
    "Journal",
    "JournalEntry",
    "JournalLine",
    "ReconcileItem",
    "ReconcileRow",
    "TrialBalanceRow",
    "AccountStatement",
    "BankAccount",
    "BankBalance",
    "BankReceipt",
    "BankReference",
    "BankStatement",
    "ListedEntry",
    "parse_bank_file",
    "parse_camt",
    "parse_bai2",
    "parse_mt940",
    "parse_nacha",
    "parse_x12_820",
    "BankEntry",
    "BankReconciliation",
    "ReconciledPair",
    "RecordedReceipt",
    "AccountingProfile",
    "NumberStyle",
    "BookRows",
    "BookCustomerRow",
    "BookInvoiceRow",
    "BookCreditMemoRow",
    "BookReceiptRow",
    "BookApplicationRow",
    "RowOrigin",
    "accounting_profile",
    "import_accounting",
    "open_items_to_csv",
    "open_items_to_xlsx",
    "Statement",
    "StatementSection",
    "StatementEntry",
    "StatementOpenItem",
    "StatementAging",
    "Forecast",
    "ForecastItem",
    "ForecastBucket",
    "Backtest",
    "BacktestWeek",
    "BacktestError",
    "CreditCheck",
    "CreditFinding",
    "CreditReason",
    "Worklist",
    "WorklistRow",
    "WorklistExcluded",
    "Compensation",
    "CompensationLine",
    "CompensationTier",
    "DiscountCost",
    "DisputeSummaryRow",
    "DisputeView",
    "DunningNotice",
    "DunningRun",
    "DunningSkip",
    "ExcludedItem",
    "Exclusion",
    "InterestLine",
    "InterestRule",
    "InterestSegment",
    "ItemRef",
    "LateInterest",
    "NoticeLine",
    "PaymentPlan",
    "PlanInstalment",
    "PlanView",
    "Promise",
    "PromiseView",
    "Resolution",
    "SkipReason",
    "interest_rule",
    "late_interest",
    "discount_cost",
    "discount_cost_of_terms",
    "render_notice",
    "format_amount",
    "match_receipts",
    "parse_remittance",
    "creditor_reference",
    "Matcher",
    "MatchBatch",
    "ReceiptMatch",
    "Proposal",
    "ProposedApplication",
    "Reason",
    "Reference",
    "Remittance",
    "SummaryRow",
    "ArError",
    "ValidationError",
    "ArTypeError",
    "FormatError",
    "NotFoundError",
    "ConflictError",
    "CurrencyMismatchError",
    "StateError",
    "LogError",
    "InternalError",
    "__version__",
]

__version__: str

def version() -> str:
    """Return the version of the ``ar`` native extension (the crate version)."""

# ----- errors -----------------------------------------------------------------

class ArError(Exception):
    """Base class of every error raised by ar.

    ``code`` is the stable snake_case code, ``family`` the family of the class
    and ``message`` names the field and the value at fault; ``field`` and
    ``value`` are those two (``None`` when the error names none), and
    ``label`` the index label of a DataFrame row at fault when the frame's
    index is not the default one. Each class has a default ``code``; errors
    raised by ar carry the precise one.
    """

    code: str
    family: str
    message: str
    field: str | None
    value: str | None
    label: object
    def __init__(self, message: str = "", code: str | None = None) -> None: ...

class ValidationError(ArError):
    """The input is malformed or out of range (family ``validation``)."""

class ArTypeError(ValidationError, TypeError):
    """A value of the wrong type (code ``invalid_type``); also a ``TypeError``."""

class FormatError(ValidationError):
    """A bank or remittance file that cannot be read (family ``format``), with
    the ``format`` being read, the 1-based ``line`` and the ``location``."""

    format: BankFormat | None
    line: int
    location: str
    # A row of an accounting-system export: its file, line and header.
    file: str
    row: int
    column: str

class NotFoundError(ArError):
    """The input names something the ledger does not know (``not_found``)."""

class ConflictError(ArError):
    """``duplicate_id`` or ``idempotency_conflict`` (family ``conflict``)."""

class CurrencyMismatchError(ArError):
    """Two currencies met where one was required (``currency_mismatch``)."""

class StateError(ArError):
    """The ledger's state does not allow the command (family ``state``)."""

class LogError(ArError):
    """A serialized log cannot be read back (family ``log``)."""

class InternalError(ArError):
    """A defect in ar itself, such as a caught panic (code ``internal``)."""

# ----- money ------------------------------------------------------------------

def allocate(total: Amount, weights: Sequence[Amount], currency: str) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights``, exactly (largest remainder)."""

def round_amount(
    value: Amount, currency: str, policy: RoundingPolicy = "half_away_from_zero"
) -> Decimal:
    """Round ``value`` once to the minor unit of ``currency``."""

def minor_units(code: str) -> int:
    """Decimal places of the minor unit of an ISO 4217 currency."""

# ----- terms ------------------------------------------------------------------

@final
class Terms:
    """Payment terms: one due date (optional early-payment discount) or installments."""

    @classmethod
    def parse(cls, text: str) -> Terms: ...
    @classmethod
    def single(
        cls,
        due: str,
        *,
        discount_percent: Amount | None = None,
        discount_amount: Amount | None = None,
        discount_days: int | None = None,
        discount_base: DiscountBase | None = None,
    ) -> Terms: ...
    @classmethod
    def net(
        cls,
        days: int,
        *,
        discount_percent: Amount | None = None,
        discount_amount: Amount | None = None,
        discount_days: int | None = None,
        discount_base: DiscountBase | None = None,
    ) -> Terms: ...
    @classmethod
    def end_of_month(
        cls,
        days: int,
        *,
        discount_percent: Amount | None = None,
        discount_amount: Amount | None = None,
        discount_days: int | None = None,
        discount_base: DiscountBase | None = None,
    ) -> Terms: ...
    @classmethod
    def due_on_receipt(cls) -> Terms: ...
    @classmethod
    def installments(cls, installments: Sequence[Installment]) -> Terms: ...
    @property
    def kind(self) -> str: ...
    @property
    def due(self) -> str | None: ...
    @property
    def discount_percent(self) -> Decimal | None: ...
    @property
    def discount_amount(self) -> Decimal | None: ...
    @property
    def discount_days(self) -> int | None: ...
    @property
    def discount_base(self) -> DiscountBase | None: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Installment:
    """One installment of ``Terms.installments``."""

    def __new__(
        cls,
        due: str,
        *,
        percent: Amount | None = None,
        amount: Amount | None = None,
        remainder: bool = False,
        discount_percent: Amount | None = None,
        discount_amount: Amount | None = None,
        discount_days: int | None = None,
        discount_base: DiscountBase | None = None,
    ) -> Installment: ...
    @property
    def due(self) -> str: ...
    @property
    def percent(self) -> Decimal | None: ...
    @property
    def amount(self) -> Decimal | None: ...
    @property
    def remainder(self) -> bool: ...
    @property
    def equal(self) -> bool: ...
    @property
    def discount_percent(self) -> Decimal | None: ...
    @property
    def discount_amount(self) -> Decimal | None: ...
    @property
    def discount_days(self) -> int | None: ...
    @property
    def discount_base(self) -> DiscountBase | None: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class DiscountOffer:
    """An early-payment discount as it applies to one installment."""

    @property
    def until(self) -> datetime.date: ...
    @property
    def percent(self) -> Decimal: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def base(self) -> DiscountBase: ...
    def to_dict(self) -> DiscountOfferDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class ScheduledInstallment:
    """One installment of a schedule."""

    @property
    def number(self) -> int: ...
    @property
    def due_date(self) -> datetime.date: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def discount(self) -> DiscountOffer | None: ...
    def to_dict(self) -> ScheduledInstallmentDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

def schedule(
    terms: Terms | str,
    invoice_date: DateLike,
    total: Amount,
    currency: str,
    *,
    rounding: RoundingPolicy = "half_away_from_zero",
) -> list[ScheduledInstallment]:
    """The installments of an invoice of ``total`` dated ``invoice_date``."""

# ----- invoices ---------------------------------------------------------------

@final
class Line:
    """One invoice line: quantity x unit price, a discount and taxes."""

    def __new__(
        cls,
        description: str,
        quantity: Amount,
        unit_price: Amount,
        *,
        discount_percent: Amount | None = None,
        discount_amount: Amount | None = None,
        taxes: Sequence[tuple[str, Amount]] = (),
    ) -> Line: ...
    @property
    def description(self) -> str: ...
    @property
    def quantity(self) -> Decimal: ...
    @property
    def unit_price(self) -> Decimal: ...
    @property
    def discount_percent(self) -> Decimal | None: ...
    @property
    def discount_amount(self) -> Decimal | None: ...
    @property
    def taxes(self) -> list[tuple[str, Decimal]]: ...
    def to_dict(self) -> LineDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class LineTotals:
    """Amounts of one line after discount and tax."""

    @property
    def net(self) -> Decimal: ...
    @property
    def tax(self) -> Decimal: ...
    @property
    def gross(self) -> Decimal: ...
    def to_dict(self) -> LineTotalsDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class TaxTotal:
    """Tax collected under one code."""

    @property
    def code(self) -> str: ...
    @property
    def rate(self) -> Decimal: ...
    @property
    def taxable(self) -> Decimal: ...
    @property
    def tax(self) -> Decimal: ...
    def to_dict(self) -> TaxTotalDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class InvoiceTotals:
    """Totals of an invoice: per line, per tax code and for the document."""

    @property
    def lines(self) -> list[LineTotals]: ...
    @property
    def taxes(self) -> list[TaxTotal]: ...
    @property
    def net(self) -> Decimal: ...
    @property
    def tax(self) -> Decimal: ...
    @property
    def total(self) -> Decimal: ...
    def to_dict(self) -> InvoiceTotalsDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

def compute_totals(
    lines: Sequence[Line],
    currency: str,
    *,
    tax_mode: TaxMode = "exclusive",
    tax_rounding: TaxRounding = "per_line",
    rounding: RoundingPolicy = "half_away_from_zero",
) -> InvoiceTotals:
    """Line and document totals of ``lines`` in ``currency``."""

# ----- query results ----------------------------------------------------------

@final
class OpenItem:
    """An open invoice installment, open credit or unapplied cash."""

    @property
    def kind(self) -> OpenItemKind: ...
    @property
    def id(self) -> str: ...
    @property
    def installment(self) -> int | None: ...
    @property
    def customer(self) -> str | None: ...
    @property
    def currency(self) -> str: ...
    @property
    def date(self) -> datetime.date: ...
    @property
    def due_date(self) -> datetime.date | None: ...
    @property
    def original(self) -> Decimal: ...
    @property
    def open(self) -> Decimal: ...
    @property
    def disputed(self) -> bool: ...
    def to_dict(self) -> OpenItemDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Balance:
    """A customer's position in one currency."""

    @property
    def customer(self) -> str | None: ...
    @property
    def currency(self) -> str: ...
    @property
    def invoices(self) -> Decimal: ...
    @property
    def unapplied_cash(self) -> Decimal: ...
    @property
    def open_credits(self) -> Decimal: ...
    @property
    def net(self) -> Decimal: ...
    def to_dict(self) -> BalanceDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class InstallmentView:
    """One installment of an invoice as seen through a view."""

    @property
    def number(self) -> int: ...
    @property
    def due_date(self) -> datetime.date: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def open(self) -> Decimal: ...
    @property
    def discount(self) -> DiscountOffer | None: ...
    def to_dict(self) -> InstallmentViewDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class InvoiceView:
    """An invoice as seen through a view."""

    @property
    def id(self) -> str: ...
    @property
    def customer(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def date(self) -> datetime.date: ...
    @property
    def due_date(self) -> datetime.date: ...
    @property
    def po_number(self) -> str | None: ...
    @property
    def dimensions(self) -> dict[str, str]: ...
    @property
    def terms(self) -> Terms: ...
    @property
    def status(self) -> InvoiceStatus: ...
    @property
    def disputed(self) -> bool: ...
    @property
    def total(self) -> Decimal: ...
    @property
    def net(self) -> Decimal: ...
    @property
    def tax(self) -> Decimal: ...
    @property
    def open(self) -> Decimal: ...
    @property
    def paid(self) -> Decimal: ...
    @property
    def credited(self) -> Decimal: ...
    @property
    def discounted(self) -> Decimal: ...
    @property
    def written_off(self) -> Decimal: ...
    @property
    def settled_before_import(self) -> Decimal: ...
    @property
    def installments(self) -> list[InstallmentView]: ...
    @property
    def lines(self) -> list[LineTotals]: ...
    @property
    def taxes(self) -> list[TaxTotal]: ...
    def to_dict(self) -> InvoiceViewDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class SourceView:
    """A receipt or credit memo as seen through a view."""

    @property
    def kind(self) -> SourceKind: ...
    @property
    def id(self) -> str: ...
    @property
    def customer(self) -> str | None: ...
    @property
    def currency(self) -> str: ...
    @property
    def date(self) -> datetime.date: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def applied(self) -> Decimal: ...
    @property
    def refunded(self) -> Decimal: ...
    @property
    def written_off(self) -> Decimal: ...
    @property
    def open(self) -> Decimal: ...
    @property
    def void(self) -> bool: ...
    def to_dict(self) -> SourceViewDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Allocation:
    """The part of an application that lands on one installment."""

    @property
    def installment(self) -> int: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def discount(self) -> Decimal: ...
    def to_dict(self) -> AllocationDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Application:
    """One application of a receipt or credit memo to an invoice."""

    @property
    def id(self) -> str: ...
    @property
    def source_kind(self) -> SourceKind: ...
    @property
    def source(self) -> str: ...
    @property
    def invoice(self) -> str: ...
    @property
    def date(self) -> datetime.date: ...
    @property
    def unapplied_on(self) -> datetime.date | None: ...
    @property
    def allocations(self) -> list[Allocation]: ...
    def to_dict(self) -> ApplicationDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

# ----- the ledger -------------------------------------------------------------

@final
class Event:
    """One event of the log."""

    @property
    def seq(self) -> int: ...
    @property
    def type(self) -> EventType: ...
    @property
    def subject(self) -> str: ...
    @property
    def effective(self) -> datetime.date: ...
    @property
    def recorded(self) -> datetime.datetime: ...
    @property
    def idempotency_key(self) -> str | None: ...
    @property
    def hash(self) -> str:
        """Its hash in the log's chain (64 hex digits)."""
    @property
    def json(self) -> str:
        """The event as a line of the log, with its hash."""
    def to_dict(self) -> EventDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Outcome:
    """What a command did."""

    @property
    def replayed(self) -> bool: ...
    @property
    def events(self) -> list[Event]: ...
    def to_dict(self) -> OutcomeDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class SnapshotInfo:
    """What a snapshot's header says (``Ledger.snapshot_info``)."""

    @property
    def version(self) -> int: ...
    @property
    def log_version(self) -> int: ...
    @property
    def events(self) -> int:
        """How many events it holds: the log's tail starts at this index."""
    @property
    def chain_head(self) -> str: ...
    def to_dict(self) -> SnapshotInfoDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Ledger:
    """The receivables of one company: an append-only log and its state.

    May be shared between threads: its calls are serialized (commands one
    at a time, queries beside each other but never beside a command)."""

    def __init__(self) -> None: ...
    def register_customer(
        self,
        id: str,
        name: str,
        currency: str,
        *,
        terms: Terms | str | None = None,
        credit_limit: Amount | None = None,
        dimensions: dict[str, str] | None = None,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def update_customer(
        self,
        id: str,
        name: str,
        currency: str,
        *,
        terms: Terms | str | None = None,
        credit_limit: Amount | None = None,
        dimensions: dict[str, str] | None = None,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def issue_invoice(
        self,
        id: str,
        customer: str,
        date: DateLike,
        lines: Sequence[Line],
        *,
        currency: str | None = None,
        tax_mode: TaxMode = "exclusive",
        tax_rounding: TaxRounding = "per_line",
        rounding: RoundingPolicy = "half_away_from_zero",
        terms: Terms | str | None = None,
        po_number: str | None = None,
        dimensions: dict[str, str] | None = None,
        draft: bool = False,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def finalize_invoice(
        self,
        invoice: str,
        date: DateLike,
        *,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def import_invoice(
        self,
        id: str,
        customer: str,
        date: DateLike,
        due_date: DateLike,
        total: Amount,
        open: Amount,
        *,
        as_of: DateLike,
        currency: str | None = None,
        po_number: str | None = None,
        dimensions: dict[str, str] | None = None,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def void_invoice(
        self,
        invoice: str,
        date: DateLike,
        reason: str = "",
        *,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def set_dispute(
        self,
        invoice: str,
        disputed: bool,
        date: DateLike,
        reason: str = "",
        *,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def record_receipt(
        self,
        id: str,
        date: DateLike,
        amount: Amount,
        currency: str,
        *,
        customer: str | None = None,
        method: PaymentMethod = "other",
        reference: str | None = None,
        remittance: str = "",
        payer_name: str | None = None,
        payer_account: str | None = None,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def assign_payer(
        self,
        receipt: str,
        customer: str,
        date: DateLike,
        *,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def void_receipt(
        self,
        receipt: str,
        date: DateLike,
        reason: str = "",
        *,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def issue_credit_memo(
        self,
        id: str,
        customer: str,
        date: DateLike,
        *,
        amount: Amount | None = None,
        against: str | None = None,
        lines: Sequence[tuple[int, Amount | None]] | None = None,
        whole: bool = False,
        currency: str | None = None,
        reason: str = "",
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def void_credit_memo(
        self,
        credit_memo: str,
        date: DateLike,
        reason: str = "",
        *,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def apply(
        self,
        invoice: str,
        amount: Amount,
        date: DateLike,
        *,
        receipt: str | None = None,
        credit_memo: str | None = None,
        installment: int | None = None,
        discount: Amount | None = None,
        id: str | None = None,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def apply_fifo(
        self,
        date: DateLike,
        *,
        receipt: str | None = None,
        credit_memo: str | None = None,
        include_disputed: bool = False,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def unapply(
        self,
        application: str,
        date: DateLike,
        reason: str = "",
        *,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def write_off(
        self,
        invoice: str,
        date: DateLike,
        reason: str,
        *,
        amount: Amount | None = None,
        installment: int | None = None,
        id: str | None = None,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def write_off_source(
        self,
        date: DateLike,
        reason: str,
        *,
        receipt: str | None = None,
        credit_memo: str | None = None,
        amount: Amount | None = None,
        id: str | None = None,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def reverse_write_off(
        self,
        write_off: str,
        date: DateLike,
        reason: str = "",
        *,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def refund(
        self,
        amount: Amount,
        date: DateLike,
        *,
        receipt: str | None = None,
        credit_memo: str | None = None,
        method: PaymentMethod = "other",
        reason: str = "",
        id: str | None = None,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    # ----- collections -----
    def record_dunning_notice(
        self,
        notice: DunningNotice | Mapping[str, Any],
        id: str,
        *,
        date: DateLike | None = None,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def issue_charge(
        self,
        charge: Mapping[str, Any],
        *,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def apply_in_clearing_order(
        self,
        date: DateLike,
        *,
        receipt: str | None = None,
        credit_memo: str | None = None,
        invoice: str | None = None,
        include_disputed: bool = False,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def open_dispute(
        self,
        dispute: Mapping[str, Any],
        date: DateLike,
        *,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def resolve_dispute(
        self,
        dispute: str,
        date: DateLike,
        by: str,
        *,
        credit_memo: str | None = None,
        write_off: str | None = None,
        reason: str = "",
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def record_promise(
        self,
        promise: Mapping[str, Any],
        date: DateLike,
        *,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def agree_plan(
        self,
        plan: Mapping[str, Any],
        date: DateLike,
        *,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def set_collections_hold(
        self,
        customer: str,
        hold: bool,
        date: DateLike,
        *,
        reason: str = "",
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def set_credit_hold(
        self,
        customer: str,
        hold: bool,
        date: DateLike,
        reason: str,
        *,
        by: str = "",
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def credit_check(
        self,
        customer: str,
        amount: Amount,
        as_of: DateLike,
        *,
        orders: Amount | None = None,
        policy: Mapping[str, Any] | None = None,
        known_at: datetime.datetime | None = None,
    ) -> CreditCheck: ...
    def worklist(
        self,
        as_of: DateLike,
        *,
        known_at: datetime.datetime | None = None,
        currency: str | None = None,
        dimension: tuple[str, str] | None = None,
    ) -> Worklist: ...
    def dunning_run(
        self,
        setup: Mapping[str, Any],
        as_of: DateLike,
        *,
        templates: Mapping[str, str] | None = None,
        known_at: datetime.datetime | None = None,
    ) -> DunningRun: ...
    def disputes(self, as_of: DateLike, *, known_at: datetime.datetime | None = None) -> list[DisputeView]: ...
    def dispute_summary(
        self,
        as_of: DateLike,
        *,
        by: Literal["reason", "customer", "owner"] = "reason",
        known_at: datetime.datetime | None = None,
    ) -> list[DisputeSummaryRow]: ...
    def promises(
        self, as_of: DateLike, *, broken: bool = False, known_at: datetime.datetime | None = None
    ) -> list[PromiseView]: ...
    def plans(self, as_of: DateLike, *, known_at: datetime.datetime | None = None) -> list[PlanView]: ...
    def execute_json(
        self,
        command_json: str,
        *,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def open_items(
        self, *, as_of: DateLike | None = None, known_at: datetime.datetime | None = None
    ) -> list[OpenItem]: ...
    def unapplied_cash(
        self, *, as_of: DateLike | None = None, known_at: datetime.datetime | None = None
    ) -> list[OpenItem]: ...
    def open_credits(
        self, *, as_of: DateLike | None = None, known_at: datetime.datetime | None = None
    ) -> list[OpenItem]: ...
    def balances(
        self, *, as_of: DateLike | None = None, known_at: datetime.datetime | None = None
    ) -> list[Balance]: ...
    def customer_balance(
        self,
        customer: str,
        *,
        as_of: DateLike | None = None,
        known_at: datetime.datetime | None = None,
    ) -> list[Balance]: ...
    def invoice(
        self,
        id: str,
        *,
        as_of: DateLike | None = None,
        known_at: datetime.datetime | None = None,
    ) -> InvoiceView: ...
    def discount_split(self, invoice: str, installment: int, amount: Amount) -> DiscountSplit: ...
    def receipt(
        self,
        id: str,
        *,
        as_of: DateLike | None = None,
        known_at: datetime.datetime | None = None,
    ) -> SourceView: ...
    def credit_memo(
        self,
        id: str,
        *,
        as_of: DateLike | None = None,
        known_at: datetime.datetime | None = None,
    ) -> SourceView: ...
    def applications(
        self, *, as_of: DateLike | None = None, known_at: datetime.datetime | None = None
    ) -> list[Application]: ...
    def aging(
        self,
        as_of: DateLike,
        *,
        known_at: datetime.datetime | None = None,
        basis: AgeBasis = "due_date",
        buckets: Sequence[int] | None = None,
        group_by: Sequence[str] = ["customer"],
        detail: bool = False,
        rates: RatesDict | None = None,
        rates_date: DateLike | None = None,
    ) -> AgingReport: ...
    def metrics(
        self,
        start: DateLike,
        end: DateLike,
        *,
        known_at: datetime.datetime | None = None,
        group_by: Sequence[str] = (),
        cei: CeiVariant = "period_sales",
        cei_months: int | None = None,
        countback_months: int = 12,
        rates: RatesDict | None = None,
        rates_date: DateLike | None = None,
    ) -> list[MetricsRow]: ...
    def roll_rates(
        self,
        period_ends: Sequence[DateLike],
        currency: str,
        *,
        buckets: Sequence[int] | None = None,
        final_loss: Amount = 100,
        known_at: datetime.datetime | None = None,
    ) -> RollRates: ...
    def record_bank_receipts(
        self,
        statement: BankStatement | Sequence[BankReceipt],
        *,
        id_prefix: str,
        customer: str | None = None,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> list[Outcome]: ...
    def reconcile_bank(
        self,
        statement: BankStatement | Sequence[BankReceipt],
        *,
        days_before: int | None = None,
        days_after: int | None = None,
        start: DateLike | None = None,
        end: DateLike | None = None,
        as_of: DateLike | None = None,
        known_at: datetime.datetime | None = None,
    ) -> BankReconciliation: ...
    def export_invoices(
        self,
        layout: Literal["quickbooks", "xero"],
        *,
        date_format: str | None = None,
        account_code: str | None = None,
        no_tax: str | None = None,
        as_of: DateLike | None = None,
        known_at: datetime.datetime | None = None,
    ) -> str: ...
    def export_payments(
        self,
        layout: Literal["quickbooks", "xero"],
        *,
        date_format: str | None = None,
        account_code: str | None = None,
        no_tax: str | None = None,
        as_of: DateLike | None = None,
        known_at: datetime.datetime | None = None,
    ) -> str: ...
    def book_allowance(
        self,
        date: DateLike,
        currency: str,
        amount: Amount,
        reason: str | None = None,
        *,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def revalue(
        self,
        date: DateLike,
        rates: Sequence[ClosingRateDict],
        *,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def close_period(
        self,
        up_to: DateLike,
        policy: ClosePolicy | None = None,
        *,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def reopen_period(
        self,
        reason: str,
        *,
        from_: DateLike | None = None,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome: ...
    def period_digest(
        self, up_to: DateLike, *, known_at: datetime.datetime | None = None
    ) -> str: ...
    def journal(
        self,
        options: JournalOptionsDict | str | None = None,
        *,
        as_of: DateLike | None = None,
        known_at: datetime.datetime | None = None,
    ) -> Journal: ...
    def trial_balance(
        self,
        options: JournalOptionsDict | str | None = None,
        *,
        as_of: DateLike | None = None,
        known_at: datetime.datetime | None = None,
    ) -> list[TrialBalanceRow]: ...
    def reconcile_gl(
        self,
        gl_lines: Sequence[GlLineDict],
        options: JournalOptionsDict | str | None = None,
        *,
        as_of: DateLike | None = None,
        known_at: datetime.datetime | None = None,
    ) -> list[ReconcileRow]: ...
    def statement(
        self,
        customer: str,
        start: DateLike,
        end: DateLike,
        *,
        known_at: datetime.datetime | None = None,
        buckets: Sequence[int] | None = None,
    ) -> Statement: ...
    def statements(
        self,
        start: DateLike,
        end: DateLike,
        *,
        known_at: datetime.datetime | None = None,
        buckets: Sequence[int] | None = None,
    ) -> list[Statement]: ...
    def render_statements(
        self,
        start: DateLike,
        end: DateLike,
        *,
        company: CompanyDict,
        format: Literal["html", "text"] = "html",
        template: str | None = None,
        customers: Sequence[str] | None = None,
        known_at: datetime.datetime | None = None,
        buckets: Sequence[int] | None = None,
    ) -> str: ...
    def forecast(
        self,
        as_of: DateLike,
        *,
        known_at: datetime.datetime | None = None,
        shrinkage: int = 5,
        disputed_probability: Amount | None = None,
    ) -> Forecast: ...
    def forecast_backtest(
        self,
        as_of: DateLike,
        weeks: int,
        *,
        known_at: datetime.datetime | None = None,
        shrinkage: int = 5,
        disputed_probability: Amount | None = None,
    ) -> Backtest: ...
    def match_items(
        self, *, as_of: DateLike | None = None, known_at: datetime.datetime | None = None
    ) -> list[MatchItemDict]: ...
    def match_changes(
        self,
        since: int,
        *,
        as_of: DateLike | None = None,
        known_at: datetime.datetime | None = None,
    ) -> MatchChangesDict: ...
    def match_receipt_inputs(
        self, *, as_of: DateLike | None = None, known_at: datetime.datetime | None = None
    ) -> list[MatchReceiptDict]: ...
    def match_customers(
        self, *, as_of: DateLike | None = None, known_at: datetime.datetime | None = None
    ) -> list[MatchCustomerDict]: ...
    def match_receipts(
        self,
        *,
        as_of: DateLike | None = None,
        known_at: datetime.datetime | None = None,
        options: MatchOptionsDict | None = None,
        auto_threshold: int = 85,
        tolerance: ToleranceDict | None = None,
        tolerance_evidence: ToleranceEvidence = "reference",
        partial_payments: PartialPayments = "review",
        fuzzy: bool = True,
        max_combination: int = 6,
        max_search_items: int = 40,
        max_search_steps: int = 50000,
        max_proposals: int = 10,
        max_remittance_bytes: int = 4096,
    ) -> MatchBatch: ...
    def match_receipt(
        self,
        receipt: str,
        *,
        as_of: DateLike | None = None,
        known_at: datetime.datetime | None = None,
        options: MatchOptionsDict | None = None,
        auto_threshold: int = 85,
        tolerance: ToleranceDict | None = None,
        tolerance_evidence: ToleranceEvidence = "reference",
        partial_payments: PartialPayments = "review",
        fuzzy: bool = True,
        max_combination: int = 6,
        max_search_items: int = 40,
        max_search_steps: int = 50000,
        max_proposals: int = 10,
        max_remittance_bytes: int = 4096,
    ) -> ReceiptMatch: ...
    def apply_match(
        self,
        match: ReceiptMatch,
        proposal: int = 0,
        *,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> list[Outcome]: ...
    def execute_all_json(
        self,
        commands_json: Sequence[str],
        *,
        recorded: datetime.datetime | None = None,
        idempotency_key: str | None = None,
    ) -> list[Outcome]: ...
    def events(self) -> list[Event]: ...
    def to_json(self) -> str: ...
    def log_lines(self, start: int = 0) -> list[str]: ...
    def append_log_line(self, line: str) -> None: ...
    @property
    def chain_head(self) -> str:
        """The head of the log's hash chain (64 hex digits): the hash of the
        last event, covering every event before it."""
    @classmethod
    def from_json(
        cls, json: str, *, progress: Callable[[int, int], object] | None = None
    ) -> Ledger: ...
    def snapshot(self) -> bytes:
        """The ledger in one piece, for ``Ledger.restore``."""
    @staticmethod
    def snapshot_info(snapshot: bytes) -> SnapshotInfo: ...
    @classmethod
    def restore(
        cls,
        snapshot: bytes,
        tail: Sequence[str] = (),
        *,
        progress: Callable[[int, int], object] | None = None,
    ) -> Ledger:
        """The ledger a snapshot was taken of, then the log lines after it."""
    @classmethod
    def from_tables(
        cls,
        customers: pandas.DataFrame | pyarrow.Table,
        invoices: pandas.DataFrame | pyarrow.Table,
        *,
        receipts: pandas.DataFrame | pyarrow.Table | None = None,
        applications: pandas.DataFrame | pyarrow.Table | None = None,
        credit_memos: pandas.DataFrame | pyarrow.Table | None = None,
        currency: str | None = None,
        dimensions: Sequence[str] = (),
        customer_dimensions: Sequence[str] = (),
        recorded: datetime.datetime | None = None,
        progress: Callable[[int, int], object] | None = None,
    ) -> Ledger:
        """A ledger built from a book's history given as tables: each row
        executed as its command (customers, invoices, credit memos, receipts,
        applications), every event recorded at ``recorded``."""
    @classmethod
    def from_book_rows(
        cls, rows: BookRows | Sequence[BookRows], *, recorded: datetime.datetime | None = None
    ) -> Ledger:
        """A ledger built from ``import_accounting``'s rows (several merged in
        order), every event recorded at ``recorded``."""
    @property
    def heap_bytes(self) -> int:
        """An estimate of the memory the ledger holds outside this object,
        in bytes: what its log, state and indexes have reserved and what
        their records own. Reads every event and record."""
    def __sizeof__(self) -> int:
        """This object and ``heap_bytes``, for ``sys.getsizeof``."""
    def __len__(self) -> int: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

# ----- reports: aging ---------------------------------------------------------

@final
class AgingRow:
    """One group's aging in one currency (a totals row has an empty ``group``)."""

    @property
    def group(self) -> list[str]: ...
    @property
    def currency(self) -> str: ...
    @property
    def buckets(self) -> list[Decimal]: ...
    @property
    def total(self) -> Decimal: ...
    @property
    def open_credits(self) -> Decimal: ...
    @property
    def unapplied_cash(self) -> Decimal: ...
    @property
    def net(self) -> Decimal: ...
    @property
    def items(self) -> int: ...
    def to_dict(self) -> AgingRowDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class AgingLine:
    """One open item of an aging's detail."""

    @property
    def group(self) -> list[str]: ...
    @property
    def kind(self) -> OpenItemKind: ...
    @property
    def customer(self) -> str | None: ...
    @property
    def id(self) -> str: ...
    @property
    def installment(self) -> int | None: ...
    @property
    def currency(self) -> str: ...
    @property
    def date(self) -> datetime.date: ...
    @property
    def due_date(self) -> datetime.date | None: ...
    @property
    def days(self) -> int: ...
    @property
    def bucket(self) -> int | None: ...
    @property
    def open(self) -> Decimal: ...
    def to_dict(self) -> AgingLineDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class AgingReport:
    """An aging: rows per group and currency, totals per currency, detail."""

    @property
    def as_of(self) -> datetime.date: ...
    @property
    def basis(self) -> AgeBasis: ...
    @property
    def labels(self) -> list[str]: ...
    @property
    def group_by(self) -> list[str]: ...
    @property
    def rows(self) -> list[AgingRow]: ...
    @property
    def totals(self) -> list[AgingRow]: ...
    @property
    def detail(self) -> list[AgingLine]: ...
    @property
    def credit_holds(self) -> list[str]:
        """Customers on credit hold as the report's view sees them."""
    def to_pandas(
        self, amounts: AmountsAs = "decimal", *, totals: bool = False
    ) -> pandas.DataFrame:
        """One row per ``AgingRow`` (needs ``pip install ar[pandas]``)."""
    def to_arrow(self, amounts: AmountsAs = "decimal", *, totals: bool = False) -> pyarrow.Table:
        """The ``to_pandas`` columns as a ``pyarrow.Table`` (``decimal128`` amounts)."""
    def detail_to_pandas(self, amounts: AmountsAs = "decimal") -> pandas.DataFrame:
        """One row per ``AgingLine`` of ``detail``."""
    def plot(self, ax: Axes | Sequence[Axes] | None = None, *, top: int = 10) -> list[Axes]:
        """One panel per currency, a stacked bar per group (the ``top``
        largest, the rest as "other"); needs ``pip install ar[plot]``."""
    def _repr_html_(self) -> str:
        """The report as an HTML table."""
    def to_csv(self) -> str: ...
    def to_xlsx(self, path: str | os.PathLike[str] | None = None) -> bytes: ...
    def provision(
        self,
        rates: Sequence[Amount],
        currency: str,
        *,
        rounding: RoundingPolicy = "half_away_from_zero",
    ) -> Provision:
        """The provision of the totals row in ``currency`` at ``rates`` (percent)."""
    def to_dict(self) -> AgingReportDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

# ----- reports: metrics -------------------------------------------------------

@final
class PaymentTiming:
    """Days to pay and days beyond terms, plain and amount-weighted."""

    @property
    def payments(self) -> int: ...
    @property
    def average_days_to_pay(self) -> Decimal | None: ...
    @property
    def weighted_days_to_pay(self) -> Decimal | None: ...
    @property
    def average_days_beyond_terms(self) -> Decimal | None: ...
    @property
    def weighted_days_beyond_terms(self) -> Decimal | None: ...
    def to_dict(self) -> PaymentTimingDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class MetricsRow:
    """Metrics of one group in one currency for one period."""

    @property
    def group(self) -> list[str]: ...
    @property
    def currency(self) -> str: ...
    @property
    def start(self) -> datetime.date: ...
    @property
    def end(self) -> datetime.date: ...
    @property
    def days(self) -> int: ...
    @property
    def ar_begin(self) -> Decimal: ...
    @property
    def ar_end(self) -> Decimal: ...
    @property
    def current_end(self) -> Decimal: ...
    @property
    def credit_sales(self) -> Decimal: ...
    @property
    def dso_period_end(self) -> Decimal | None: ...
    @property
    def dso_average(self) -> Decimal | None: ...
    @property
    def dso_countback(self) -> Decimal | None: ...
    @property
    def best_possible_dso(self) -> Decimal | None: ...
    @property
    def average_days_delinquent(self) -> Decimal | None: ...
    @property
    def cei(self) -> Decimal | None: ...
    @property
    def ar_turnover(self) -> Decimal | None: ...
    @property
    def percent_current(self) -> Decimal | None: ...
    @property
    def percent_past_due(self) -> Decimal | None: ...
    @property
    def timing(self) -> PaymentTiming: ...
    def to_dict(self) -> MetricsRowDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

# ----- books given as tables (bulk path) ----------------------------------------

@final
class Book:
    """A book given as tables (pandas DataFrames or pyarrow Tables), read
    through Arrow buffers and prepared once for any number of reports."""

    def __new__(
        cls,
        invoices: pandas.DataFrame | pyarrow.Table,
        settlements: pandas.DataFrame | pyarrow.Table | None = None,
        *,
        open_credits: pandas.DataFrame | pyarrow.Table | None = None,
        unapplied_cash: pandas.DataFrame | pyarrow.Table | None = None,
        customers: pandas.DataFrame | pyarrow.Table | None = None,
        currency: str | None = None,
        dimensions: Sequence[str] = (),
        customer_dimensions: Sequence[str] = (),
        amounts: BookAmounts = "decimal",
    ) -> Book: ...
    @property
    def invoice_count(self) -> int: ...
    @property
    def heap_bytes(self) -> int:
        """An estimate of the memory the book holds outside this object, in
        bytes: the columns it was given and those it laid out."""
    def __sizeof__(self) -> int:
        """This object and ``heap_bytes``, for ``sys.getsizeof``."""
    def aging(
        self,
        as_of: DateLike,
        *,
        basis: AgeBasis = "due_date",
        buckets: Sequence[int] | None = None,
        group_by: Sequence[str] = ["customer"],
        detail: bool = False,
        rates: RatesDict | None = None,
        rates_date: DateLike | None = None,
    ) -> AgingReport: ...
    def metrics(
        self,
        start: DateLike,
        end: DateLike,
        *,
        group_by: Sequence[str] = (),
        cei: CeiVariant = "period_sales",
        cei_months: int | None = None,
        countback_months: int = 12,
        rates: RatesDict | None = None,
        rates_date: DateLike | None = None,
    ) -> list[MetricsRow]: ...
    def aging_partial(
        self,
        as_of: DateLike,
        *,
        basis: AgeBasis = "due_date",
        buckets: Sequence[int] | None = None,
        group_by: Sequence[str] = ["customer"],
    ) -> pyarrow.Table:
        """This part's partial aging: lines (``currency``, ``group``,
        ``field``, ``sum``, ``min``) to merge with other parts' and finish
        with ``ar.aging_finish``."""
    def metrics_partial(
        self,
        start: DateLike,
        end: DateLike,
        *,
        group_by: Sequence[str] = (),
        cei: CeiVariant = "period_sales",
        cei_months: int | None = None,
        countback_months: int = 12,
    ) -> pyarrow.Table:
        """This part's partial metrics; finished with ``ar.metrics_finish``."""

def aging_finish(
    partial: pyarrow.Table | pandas.DataFrame,
    as_of: DateLike,
    *,
    basis: AgeBasis = "due_date",
    buckets: Sequence[int] | None = None,
    group_by: Sequence[str] = ["customer"],
) -> AgingReport:
    """The aging of the merged partial table: ``Book.aging`` over the whole
    book, rows sorted by currency then group."""

def metrics_finish(
    partial: pyarrow.Table | pandas.DataFrame,
    start: DateLike,
    end: DateLike,
    *,
    group_by: Sequence[str] = (),
    cei: CeiVariant = "period_sales",
    cei_months: int | None = None,
    countback_months: int = 12,
) -> list[MetricsRow]:
    """The metrics of the merged partial table: ``Book.metrics`` over the
    whole book."""

# ----- cash application ---------------------------------------------------------

# A table of receipts, items or customers: dicts, or a DataFrame / Table with
# those columns.
_Receipts = Sequence[MatchReceiptDict] | pandas.DataFrame | pyarrow.Table
_Items = Sequence[MatchItemDict] | pandas.DataFrame | pyarrow.Table
_Customers = Sequence[MatchCustomerDict] | pandas.DataFrame | pyarrow.Table

@final
class Reason:
    """One piece of a proposal's explanation: a stable code and the evidence in words."""

    @property
    def code(self) -> ReasonCode: ...
    @property
    def message(self) -> str: ...
    def to_dict(self) -> ReasonDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Reference:
    """One reference read from remittance text."""

    @property
    def kind(self) -> ReferenceKind: ...
    @property
    def text(self) -> str: ...
    @property
    def number(self) -> str: ...
    @property
    def in_range(self) -> bool: ...
    @property
    def at_end(self) -> bool: ...
    def to_dict(self) -> ReferenceDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Remittance:
    """What ``parse_remittance`` read from a text."""

    @property
    def references(self) -> list[Reference]: ...
    @property
    def amounts(self) -> list[Decimal]: ...
    @property
    def deductions(self) -> list[Decimal]: ...
    @property
    def bad_creditor_references(self) -> list[str]: ...
    @property
    def truncated(self) -> bool: ...
    @property
    def no_invoice(self) -> bool: ...
    @property
    def installments(self) -> list[int]: ...
    def to_dict(self) -> RemittanceDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class ProposedApplication:
    """One application of a proposal, with what closes or stays open."""

    @property
    def source_kind(self) -> SourceKind: ...
    @property
    def source(self) -> str: ...
    @property
    def invoice(self) -> str: ...
    @property
    def installment(self) -> int | None: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def discount(self) -> Decimal: ...
    @property
    def write_off(self) -> Decimal: ...
    @property
    def open_after(self) -> Decimal: ...
    @property
    def date(self) -> datetime.date: ...
    def to_dict(self) -> ProposedApplicationDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Proposal:
    """One way a receipt could settle open items, with a confidence and reasons."""

    @property
    def confidence(self) -> int: ...
    @property
    def customer(self) -> str: ...
    @property
    def payer_basis(self) -> PayerBasis: ...
    @property
    def applications(self) -> list[ProposedApplication]: ...
    @property
    def unapplied(self) -> Decimal: ...
    @property
    def reasons(self) -> list[Reason]: ...
    def to_dict(self) -> ProposalDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class ReceiptMatch:
    """The matcher's answer for one receipt: a status and proposals, best first."""

    @property
    def receipt(self) -> str: ...
    @property
    def date(self) -> datetime.date: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def currency(self) -> str: ...
    @property
    def status(self) -> MatchStatus: ...
    @property
    def given_payer(self) -> str | None: ...
    @property
    def references(self) -> list[Reference]: ...
    @property
    def proposals(self) -> list[Proposal]: ...
    @property
    def notes(self) -> list[Reason]: ...
    @property
    def auto(self) -> Proposal | None:
        """The proposal to apply automatically, if any."""
    def commands(self, proposal: int = 0) -> list[str]:
        """Proposal ``proposal`` as the ledger's commands (JSON for ``execute_json``)."""
    def to_dict(self) -> ReceiptMatchDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class SummaryRow:
    """Receipts and their amounts with one status in one currency."""

    @property
    def status(self) -> MatchStatus: ...
    @property
    def currency(self) -> str: ...
    @property
    def receipts(self) -> int: ...
    @property
    def amount(self) -> Decimal: ...
    def to_dict(self) -> SummaryRowDict: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class MatchBatch:
    """The answer for a batch of receipts: one match per receipt and a summary."""

    @property
    def matches(self) -> list[ReceiptMatch]: ...
    @property
    def summary(self) -> list[SummaryRow]: ...
    def to_pandas(
        self, amounts: AmountsAs = "decimal", *, proposals: ProposalsAs = "first"
    ) -> pandas.DataFrame:
        """One row per proposed application (needs ``pip install ar[pandas]``)."""
    def to_arrow(
        self, amounts: AmountsAs = "decimal", *, proposals: ProposalsAs = "first"
    ) -> pyarrow.Table:
        """The ``to_pandas`` columns as a ``pyarrow.Table`` (``decimal128`` amounts)."""
    def summary_to_pandas(self, amounts: AmountsAs = "decimal") -> pandas.DataFrame:
        """One row per ``SummaryRow``."""
    def to_dict(self) -> MatchBatchDict: ...
    def __len__(self) -> int: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Matcher:
    """Open items indexed once for matching, with what its batches have consumed.

    May be shared between threads: its calls are serialized."""

    def __new__(
        cls,
        items: _Items,
        customers: _Customers | None = None,
        *,
        options: MatchOptionsDict | None = None,
        auto_threshold: int = 85,
        tolerance: ToleranceDict | None = None,
        tolerance_evidence: ToleranceEvidence = "reference",
        partial_payments: PartialPayments = "review",
        fuzzy: bool = True,
        max_combination: int = 6,
        max_search_items: int = 40,
        max_search_steps: int = 50000,
        max_proposals: int = 10,
        max_remittance_bytes: int = 4096,
    ) -> Matcher: ...
    @property
    def options(self) -> MatchOptionsDict: ...
    def propose(self, receipt: MatchReceiptDict) -> ReceiptMatch:
        """Proposals for one receipt; nothing is consumed."""
    def match_batch(self, receipts: _Receipts) -> MatchBatch:
        """Matches receipts, consuming the items applied automatically."""
    def add_items(self, items: _Items, customers: _Customers | None = None) -> None:
        """Adds items issued since the matcher was built (and customers)."""
    def update_items(self, items: _Items) -> None:
        """Replaces items changed outside the matcher, by kind, id and installment."""
    def remove_items(self, keys: Sequence[MatchItemKeyDict | str]) -> None:
        """Items settled or voided outside the matcher: no longer offered."""
    def sync(
        self, items: _Items, closed: Sequence[MatchItemKeyDict | str] | None = None
    ) -> None:
        """Brings the matcher to the books as they stand (``Ledger.match_changes``)."""

def match_receipts(
    receipts: _Receipts,
    items: _Items,
    customers: _Customers | None = None,
    *,
    options: MatchOptionsDict | None = None,
    auto_threshold: int = 85,
    tolerance: ToleranceDict | None = None,
    tolerance_evidence: ToleranceEvidence = "reference",
    partial_payments: PartialPayments = "review",
    fuzzy: bool = True,
    max_combination: int = 6,
    max_search_items: int = 40,
    max_search_steps: int = 50000,
    max_proposals: int = 10,
    max_remittance_bytes: int = 4096,
) -> MatchBatch:
    """Matches ``receipts`` against open ``items`` in one batch."""

def parse_remittance(text: str) -> Remittance:
    """References, amounts and deductions read from remittance text."""

def creditor_reference(reference: str) -> str:
    """The ISO 11649 ``RF`` creditor reference for ``reference``."""

# ----- reports: provisions ----------------------------------------------------

def provision(
    report_row_or_buckets: AgingRow | Sequence[Amount],
    rates: Sequence[Amount],
    *,
    labels: Sequence[str] | None = None,
    currency: str | None = None,
    rounding: RoundingPolicy = "half_away_from_zero",
) -> Provision:
    """A rate per bucket (percent) applied to bucket exposures, rounded once."""

def allowance_adjustment(required: Amount, existing: Amount) -> AllowanceAdjustment:
    """The adjusting entry from ``existing`` (negative: a debit balance) to ``required``."""

def roll_rates(history: Sequence[Sequence[Amount]]) -> list[Decimal | None]:
    """Roll rates (percent) from bucket balances at consecutive period ends."""

def loss_rates(roll: Sequence[Amount | None], final_loss: Amount = 100) -> list[Decimal | None]:
    """Loss rates (percent) per bucket from roll rates (percent)."""

# ----- bank files ---------------------------------------------------------------

_BankSource = bytes | bytearray | memoryview | str | os.PathLike[str]

def parse_bank_file(source: _BankSource, format: BankFormat | None = None) -> BankStatement:
    """A bank statement or remittance file of any supported format."""

def parse_camt(source: _BankSource) -> BankStatement:
    """An ISO 20022 camt.052, camt.053 or camt.054 file."""

def parse_bai2(source: _BankSource) -> BankStatement:
    """A BAI2 file."""

def parse_mt940(source: _BankSource) -> BankStatement:
    """A SWIFT MT940 file."""

def parse_nacha(source: _BankSource) -> BankStatement:
    """A NACHA ACH file."""

def parse_x12_820(source: _BankSource) -> BankStatement:
    """An ANSI X12 820 payment order / remittance advice."""

def _journal_to_csv(journal: JournalDict) -> str:
    """``Journal.to_csv()``: the journal as the core writes it."""

def _journal_to_xlsx(journal: JournalDict, path: str | os.PathLike[str] | None = None) -> bytes:
    """``Journal.to_xlsx()``."""

def _reconciliation_to_csv(reconciliation: Mapping[str, Any]) -> str:
    """``BankReconciliation.to_csv()``."""

def _reconciliation_to_xlsx(
    reconciliation: Mapping[str, Any], path: str | os.PathLike[str] | None = None
) -> bytes:
    """``BankReconciliation.to_xlsx()``."""

# ----- accounting systems, reports to CSV and .xlsx -------------------------------

def accounting_profile(name: str) -> AccountingProfile:
    """A built-in column layout of an accounting system."""

def import_accounting(
    source: _BankSource,
    profile: str | AccountingProfile | Mapping[str, Any],
    *,
    name: str | None = None,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    currency: str | None = None,
    open_items: bool | None = None,
) -> BookRows:
    """An accounting system's export read into book rows."""

def open_items_to_csv(
    items: Sequence[OpenItem | Mapping[str, Any]], *, as_of: DateLike | None = None
) -> str:
    """Open items as CSV text, with a ``Net`` row per currency."""

def open_items_to_xlsx(
    items: Sequence[OpenItem | Mapping[str, Any]],
    path: str | os.PathLike[str] | None = None,
    *,
    as_of: DateLike | None = None,
) -> bytes:
    """Open items as an .xlsx workbook."""

# ----- collections -------------------------------------------------------------

def interest_rule(
    preset: Literal["eu_directive", "uk_late_payment", "germany"], rates: Sequence[Mapping[str, Any]]
) -> InterestRule:
    """A statutory interest rule over the reference ``rates``."""

def late_interest(
    rule: InterestRule | Mapping[str, Any],
    principal: Amount,
    due_date: DateLike,
    through: DateLike,
    currency: str,
    *,
    changes: Sequence[Mapping[str, Any]] | None = None,
) -> LateInterest:
    """Simple interest on ``principal`` from ``due_date`` through ``through``, rounded once."""

def discount_cost(percent: Amount, discount_days: int, net_days: int) -> DiscountCost:
    """The annual cost in percent of forgoing an early-payment discount."""

def discount_cost_of_terms(terms: Terms | str, invoice_date: DateLike) -> DiscountCost | None:
    """``discount_cost`` of ``terms``; ``None`` for terms without a discount."""

def render_notice(template: str, notice: DunningNotice | Mapping[str, Any], *, name: str | None = None) -> str:
    """``notice`` written with ``template``."""

def format_amount(amount: Amount, currency: str) -> str:
    """``amount`` as a letter shows it (grouped thousands, the currency's decimals)."""

def _layer_echo(value: object) -> str:
    """For the binding's own tests: ``value`` read by the conversion layer as
    a sample of every kind of value, written back as JSON."""
