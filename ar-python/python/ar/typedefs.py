"""Types of ar's values, for annotations: the snake_case string enums as
unions of ``Literal`` strings, the shapes of the records' ``to_dict()`` results as
``TypedDict``s, and the dicts the matcher reads (``MatchReceiptDict``,
``MatchItemDict``, ``MatchCustomerDict``, ``MatchOptionsDict``).

In ``to_dict()`` results nested records (``InvoiceView.installments``,
``Outcome.events``, ...) are dicts too; amounts stay ``decimal.Decimal``,
dates ``datetime.date`` and timestamps ``datetime.datetime``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Dict, List, Literal, NotRequired, Optional, Sequence, Tuple, TypedDict, Union

if TYPE_CHECKING:
    from ar._ar import Terms

__all__ = [
    "AgeBasis",
    "Amount",
    "AmountsAs",
    "BankFormat",
    "BankReferenceKind",
    "CreditDebit",
    "ListedKind",
    "BookAmounts",
    "CeiVariant",
    "DateLike",
    "ClosePolicy",
    "DiscountBase",
    "EventType",
    "ReconcileCause",
    "Role",
    "InvoiceStatus",
    "OpenItemKind",
    "PaymentMethod",
    "RoundingPolicy",
    "SourceKind",
    "TaxMode",
    "TaxRounding",
    "AgingLineDict",
    "AgingReportDict",
    "AgingRowDict",
    "AllocationDict",
    "AllowanceAdjustmentDict",
    "ApplicationDict",
    "BalanceDict",
    "DiscountOfferDict",
    "DiscountSplitDict",
    "DiscountTaxDict",
    "AccountOverrideDict",
    "ClosingRateDict",
    "GlLineDict",
    "JournalDict",
    "JournalEntryDict",
    "JournalLineDict",
    "JournalOptionsDict",
    "PostingRulesDict",
    "RateDict",
    "RatesDict",
    "CompanyDict",
    "ReconcileItemDict",
    "ReconcileRowDict",
    "TrialBalanceRowDict",
    "EventDict",
    "InstallmentViewDict",
    "InvoiceTotalsDict",
    "InvoiceViewDict",
    "LineDict",
    "LineTotalsDict",
    "MetricsRowDict",
    "OpenItemDict",
    "OutcomeDict",
    "SnapshotInfoDict",
    "PaymentTimingDict",
    "ProvisionDict",
    "ProvisionLineDict",
    "RollRatesDict",
    "ScheduledInstallmentDict",
    "SourceViewDict",
    "TaxTotalDict",
    "MatchStatus",
    "PayerBasis",
    "ReasonCode",
    "ReferenceKind",
    "MatchItemKind",
    "ProposalsAs",
    "MatchReceiptDict",
    "MatchItemDict",
    "MatchDiscountDict",
    "MatchCustomerDict",
    "MatchItemKeyDict",
    "MatchChangesDict",
    "ToleranceDict",
    "ToleranceEvidence",
    "PartialPayments",
    "MatchOptionsDict",
    "ReasonDict",
    "ReferenceDict",
    "RemittanceDict",
    "ProposedApplicationDict",
    "ProposalDict",
    "ReceiptMatchDict",
    "SummaryRowDict",
    "MatchBatchDict",
]

Amount = Union[Decimal, int, str]
"""An exact amount: ``decimal.Decimal``, ``int`` or its plain decimal text
(``"1234.50"``; no exponent, no separators); never ``float``."""

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
BankFormat = Union[
    Literal["camt052"],
    Literal["camt053"],
    Literal["camt054"],
    Literal["bai2"],
    Literal["mt940"],
    Literal["nacha"],
    Literal["x12_820"],
]
"""A bank file format ``ar.parse_bank_file`` reads."""
CreditDebit = Union[
    Literal["credit"],
    Literal["debit"],
]
ListedKind = Union[
    Literal["debit"],
    Literal["return"],
    Literal["reversal"],
    Literal["pending"],
    Literal["notice"],
]
"""Why a bank file's entry is listed rather than a receipt."""
BankReferenceKind = Union[
    Literal["invoice"],
    Literal["credit_note"],
    Literal["purchase_order"],
    Literal["creditor_reference"],
    Literal["belgian"],
    Literal["adjustment"],
    Literal["other"],
]
"""What a structured reference in a bank file refers to."""
DiscountBase = Union[
    Literal["total"],
    Literal["untaxed"],
    Literal["mixed"],
]
"""What an early-payment discount is taken of: the total (tax included), the
untaxed amount, or the untaxed amount with tax charged on the net less the
discount at invoicing ("mixed")."""
AgeBasis = Union[
    Literal["due_date"],
    Literal["invoice_date"],
]
"""From which date an aging counts an item's age."""
CeiVariant = Union[
    Literal["period_sales"],
    Literal["monthly_average"],
]
"""Which credit sales the collection effectiveness index uses."""
AmountsAs = Union[
    Literal["decimal"],
    Literal["str"],
    Literal["float"],
]
"""How a data frame holds amounts: ``decimal.Decimal`` (Arrow ``decimal128``),
text, or binary floats (only when asked for)."""
BookAmounts = Union[
    Literal["decimal"],
    Literal["float"],
]
"""Which amount columns ``ar.Book`` takes: exact ones only (decimals, integers,
text), or binary floats too, each rounded once to its currency's minor unit."""
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
    Literal["source_written_off"],
    Literal["write_off_reversed"],
    Literal["refunded"],
    Literal["allowance_booked"],
    Literal["revalued"],
    Literal["period_closed"],
    Literal["period_reopened"],
]


class DiscountOfferDict(TypedDict):
    """``DiscountOffer.to_dict()``."""

    until: datetime.date
    percent: Decimal
    amount: Decimal
    base: DiscountBase


class DiscountTaxDict(TypedDict):
    """``DiscountTax.to_dict()``."""

    code: str
    rate: Decimal
    taxable: Decimal
    tax: Decimal


class DiscountSplitDict(TypedDict):
    """``DiscountSplit.to_dict()``."""

    amount: Decimal
    net: Decimal
    tax: Decimal
    taxes: List[DiscountTaxDict]


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
    written_off: Decimal
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
    hash: str
    json: str


class OutcomeDict(TypedDict):
    """``Outcome.to_dict()``."""

    replayed: bool
    events: List[EventDict]


class SnapshotInfoDict(TypedDict):
    """``SnapshotInfo.to_dict()``."""

    version: int
    log_version: int
    events: int
    chain_head: str


class AgingRowDict(TypedDict):
    """``AgingRow.to_dict()``."""

    group: List[str]
    currency: str
    buckets: List[Decimal]
    total: Decimal
    open_credits: Decimal
    unapplied_cash: Decimal
    net: Decimal
    items: int


class AgingLineDict(TypedDict):
    """``AgingLine.to_dict()``."""

    group: List[str]
    kind: OpenItemKind
    customer: Optional[str]
    id: str
    installment: Optional[int]
    currency: str
    date: datetime.date
    due_date: Optional[datetime.date]
    days: int
    bucket: Optional[int]
    open: Decimal


class AgingReportDict(TypedDict):
    """``AgingReport.to_dict()``."""

    as_of: datetime.date
    basis: AgeBasis
    labels: List[str]
    group_by: List[str]
    rows: List[AgingRowDict]
    totals: List[AgingRowDict]
    detail: List[AgingLineDict]


class PaymentTimingDict(TypedDict):
    """``PaymentTiming.to_dict()``."""

    payments: int
    average_days_to_pay: Optional[Decimal]
    weighted_days_to_pay: Optional[Decimal]
    average_days_beyond_terms: Optional[Decimal]
    weighted_days_beyond_terms: Optional[Decimal]


class MetricsRowDict(TypedDict):
    """``MetricsRow.to_dict()``."""

    group: List[str]
    currency: str
    start: datetime.date
    end: datetime.date
    days: int
    ar_begin: Decimal
    ar_end: Decimal
    current_end: Decimal
    credit_sales: Decimal
    dso_period_end: Optional[Decimal]
    dso_average: Optional[Decimal]
    dso_countback: Optional[Decimal]
    best_possible_dso: Optional[Decimal]
    average_days_delinquent: Optional[Decimal]
    cei: Optional[Decimal]
    ar_turnover: Optional[Decimal]
    percent_current: Optional[Decimal]
    percent_past_due: Optional[Decimal]
    timing: PaymentTimingDict


class ProvisionLineDict(TypedDict):
    """``ProvisionLine.to_dict()``."""

    bucket: str
    exposure: Decimal
    rate: Decimal
    provision: Decimal


class ProvisionDict(TypedDict):
    """``Provision.to_dict()``."""

    currency: str
    lines: List[ProvisionLineDict]
    exposure: Decimal
    total: Decimal


class AllowanceAdjustmentDict(TypedDict):
    """``AllowanceAdjustment.to_dict()``."""

    required: Decimal
    existing: Decimal
    adjustment: Decimal


class RollRatesDict(TypedDict):
    """``RollRates.to_dict()``."""

    currency: str
    period_ends: List[datetime.date]
    labels: List[str]
    history: List[List[Decimal]]
    roll: List[Optional[Decimal]]
    loss: List[Optional[Decimal]]


# ----- cash application -----------------------------------------------------------

MatchStatus = Union[
    Literal["auto"],
    Literal["review"],
    Literal["unmatched"],
]
"""What became of a receipt: its first proposal is applied (``auto``), left
for a person to choose (``review``), or nothing fits (``unmatched``)."""
PayerBasis = Union[
    Literal["given"],
    Literal["reference"],
    Literal["account"],
    Literal["name"],
    Literal["amount"],
]
"""How the payer of a receipt was known."""
ReasonCode = Union[
    Literal["payer_given"],
    Literal["payer_by_reference"],
    Literal["payer_by_account"],
    Literal["payer_by_name"],
    Literal["payer_by_amount"],
    Literal["reference"],
    Literal["creditor_reference"],
    Literal["purchase_order"],
    Literal["fuzzy_reference"],
    Literal["truncated_reference"],
    Literal["unlisted_items"],
    Literal["exact_amount"],
    Literal["single_item"],
    Literal["combination"],
    Literal["discount_in_window"],
    Literal["discount_late"],
    Literal["short_pay_written_off"],
    Literal["short_pay_deduction"],
    Literal["tolerance_unsupported"],
    Literal["partial_payment"],
    Literal["not_invoice_number"],
    Literal["no_invoice"],
    Literal["overpayment"],
    Literal["ambiguous"],
    Literal["conflict"],
    Literal["disputed"],
    Literal["search_limited"],
    Literal["more_alternatives"],
    Literal["other_customer"],
    Literal["not_open"],
    Literal["bad_creditor_reference"],
    Literal["text_truncated"],
    Literal["no_fit"],
]
"""The kind of evidence behind a proposal (``Reason.code``)."""
ToleranceEvidence = Union[
    Literal["reference"],
    Literal["any"],
    Literal["review_only"],
]
"""What a write-off within the tolerance needs to be applied automatically:
a remittance that refers to the items (the default; found by the amount
alone it is proposed for review), the amount alone, or never."""
PartialPayments = Union[
    Literal["review"],
    Literal["auto"],
]
"""Whether partial payments of the items referred to may be applied
automatically (default ``"review"``)."""
ReferenceKind = Union[
    Literal["invoice"],
    Literal["purchase_order"],
    Literal["credit_memo"],
    Literal["creditor"],
    Literal["check"],
]
"""What a reference read from remittance text seems to point at."""
MatchItemKind = Union[
    Literal["invoice"],
    Literal["credit_memo"],
]
"""An open item the matcher may settle: an invoice (installment) or an open
credit memo."""
ProposalsAs = Union[
    Literal["first"],
    Literal["all"],
]
"""Which proposals of each receipt a ``MatchBatch`` frame has rows for."""


class _MatchReceiptRequired(TypedDict):
    id: str
    date: DateLike
    amount: Amount
    currency: str


class MatchReceiptDict(_MatchReceiptRequired, total=False):
    """A receipt to match (``id``, ``date``, ``amount`` (what is still
    unapplied), ``currency`` required); ``Ledger.match_receipt_inputs()``
    gives them with every key."""

    customer: Optional[str]
    remittance: str
    payer_name: Optional[str]
    account: Optional[str]


class MatchDiscountDict(TypedDict):
    """An early-payment discount still on offer: the last day it may be
    taken and the amount."""

    until: DateLike
    amount: Amount


class _MatchItemRequired(TypedDict):
    kind: MatchItemKind
    id: str
    customer: str
    currency: str
    date: DateLike
    due_date: DateLike
    open: Amount


class MatchItemDict(_MatchItemRequired, total=False):
    """An open item the matcher may settle (``kind``, ``id``, ``customer``,
    ``currency``, ``date``, ``due_date``, ``open`` required);
    ``Ledger.match_items()`` gives them with every key."""

    installment: Optional[int]
    discount: Optional[MatchDiscountDict]
    po_number: Optional[str]
    disputed: bool


class _MatchCustomerRequired(TypedDict):
    id: str
    name: str


class MatchCustomerDict(_MatchCustomerRequired, total=False):
    """What identifies a customer when a receipt names no payer: its name,
    other names it pays under, accounts it has paid from."""

    aliases: Sequence[str]
    accounts: Sequence[str]


class _MatchItemKeyRequired(TypedDict):
    id: str


class MatchItemKeyDict(_MatchItemKeyRequired, total=False):
    """An open item's identity, for ``Matcher.remove_items``: its ``id``,
    ``kind`` (default ``"invoice"``) and ``installment``."""

    kind: MatchItemKind
    installment: Optional[int]


class MatchChangesDict(TypedDict):
    """``Ledger.match_changes(since)``: the open items of the documents the
    events since touched, the keys of their items no longer open, and the
    log's length to pass next time."""

    items: List[MatchItemDict]
    closed: List[MatchItemKeyDict]
    through: int


class ToleranceDict(TypedDict, total=False):
    """How short a payment may be and still close its items (both limits
    must hold when both are given)."""

    fixed: Optional[Amount]
    percent: Optional[Amount]


class MatchOptionsDict(TypedDict, total=False):
    """The matcher's options (``Matcher.options`` gives every key)."""

    auto_threshold: int
    tolerance: Optional[ToleranceDict]
    tolerance_evidence: ToleranceEvidence
    partial_payments: PartialPayments
    fuzzy: bool
    max_combination: int
    max_search_items: int
    max_search_steps: int
    max_proposals: int
    max_remittance_bytes: int


class ReasonDict(TypedDict):
    """``Reason.to_dict()``."""

    code: ReasonCode
    message: str


class ReferenceDict(TypedDict):
    """``Reference.to_dict()``."""

    kind: ReferenceKind
    text: str
    number: str
    in_range: bool
    at_end: bool


class RemittanceDict(TypedDict):
    """``Remittance.to_dict()``."""

    references: List[ReferenceDict]
    amounts: List[Decimal]
    deductions: List[Decimal]
    bad_creditor_references: List[str]
    truncated: bool
    no_invoice: bool
    installments: List[int]


class ProposedApplicationDict(TypedDict):
    """``ProposedApplication.to_dict()``."""

    source_kind: SourceKind
    source: str
    invoice: str
    installment: Optional[int]
    amount: Decimal
    discount: Decimal
    write_off: Decimal
    open_after: Decimal
    date: datetime.date


class ProposalDict(TypedDict):
    """``Proposal.to_dict()``."""

    confidence: int
    customer: str
    payer_basis: PayerBasis
    applications: List[ProposedApplicationDict]
    unapplied: Decimal
    reasons: List[ReasonDict]


class ReceiptMatchDict(TypedDict):
    """``ReceiptMatch.to_dict()``."""

    receipt: str
    date: datetime.date
    amount: Decimal
    currency: str
    status: MatchStatus
    given_payer: Optional[str]
    references: List[ReferenceDict]
    proposals: List[ProposalDict]
    notes: List[ReasonDict]


class SummaryRowDict(TypedDict):
    """``SummaryRow.to_dict()``."""

    status: MatchStatus
    currency: str
    receipts: int
    amount: Decimal


class MatchBatchDict(TypedDict):
    """``MatchBatch.to_dict()``."""

    matches: List[ReceiptMatchDict]
    summary: List[SummaryRowDict]


# ----- accounting ----------------------------------------------------------------

Role = Union[
    Literal["receivable"],
    Literal["revenue"],
    Literal["tax_payable"],
    Literal["cash"],
    Literal["unapplied_cash"],
    Literal["customer_credits"],
    Literal["sales_returns"],
    Literal["discounts"],
    Literal["write_offs"],
    Literal["recoveries"],
    Literal["other_income"],
    Literal["opening_balance"],
    Literal["bad_debt_expense"],
    Literal["allowance"],
    Literal["fx_gain"],
    Literal["fx_loss"],
    Literal["unrealized_fx_gain"],
    Literal["unrealized_fx_loss"],
    Literal["rounding"],
    Literal["interest_income"],
    Literal["fee_income"],
]
"""What a journal line stands for; by default also its account's name."""
ReconcileCause = Union[
    Literal["missing_in_gl"],
    Literal["missing_in_ar"],
    Literal["amount_differs"],
    Literal["after_cut_off"],
    Literal["unidentified"],
]
"""Why a document's amounts differ between the journal and the GL."""
ClosePolicy = Union[
    Literal["refuse"],
    Literal["move_to_open_day"],
]
"""What a command dated in a closed period gets."""


class AccountOverrideDict(TypedDict, total=False):
    """An account for ``role`` where every condition given holds:
    ``dimension`` (a customer dimension and its value), ``currency``,
    ``tax_code``, ``method`` (cash lines), ``reason``."""

    role: Role
    account: str
    dimension: Tuple[str, str]
    currency: str
    tax_code: str
    method: PaymentMethod
    reason: str


class PostingRulesDict(TypedDict, total=False):
    """The chart-of-accounts mapping: an account per role (default: the
    role's name) and overrides, the first that matches winning."""

    accounts: Dict[Role, str]
    overrides: List[AccountOverrideDict]


class RateDict(TypedDict):
    """From ``date`` on, one unit of ``currency`` is ``rate`` units of the
    functional currency."""

    currency: str
    date: DateLike
    rate: Amount


class CompanyDict(TypedDict):
    """The company a statement of account is from."""

    name: str
    address: NotRequired[Sequence[str]]


class RatesDict(TypedDict):
    """Exchange rates into the ``functional`` currency."""

    functional: str
    rates: Sequence[RateDict]


class JournalOptionsDict(TypedDict, total=False):
    """How ``Ledger.journal`` derives the journal."""

    rules: PostingRulesDict
    rates: RatesDict


class GlLineDict(TypedDict, total=False):
    """A line of the general ledger kept elsewhere (``document`` optional)."""

    account: str
    currency: str
    date: DateLike
    amount: Amount
    document: str


class ClosingRateDict(TypedDict):
    """A closing rate of ``Ledger.revalue``."""

    currency: str
    rate: Amount


class JournalLineDict(TypedDict):
    """``JournalLine.to_dict()``."""

    account: str
    role: Role
    currency: str
    amount: Decimal
    functional: Decimal
    document: str


class JournalEntryDict(TypedDict):
    """``JournalEntry.to_dict()``."""

    seq: int
    effective: datetime.date
    event: str
    subject: str
    lines: List[JournalLineDict]


class JournalDict(TypedDict):
    """``Journal.to_dict()``."""

    entries: List[JournalEntryDict]
    functional: Optional[str]


class TrialBalanceRowDict(TypedDict):
    """``TrialBalanceRow.to_dict()``."""

    account: str
    currency: str
    debit: Decimal
    credit: Decimal
    balance: Decimal
    functional: Decimal


class ReconcileItemDict(TypedDict):
    """``ReconcileItem.to_dict()``."""

    document: str
    ar: Decimal
    gl: Decimal
    cause: ReconcileCause


class ReconcileRowDict(TypedDict):
    """``ReconcileRow.to_dict()``."""

    account: str
    currency: str
    ar: Decimal
    gl: Decimal
    difference: Decimal
    items: List[ReconcileItemDict]
