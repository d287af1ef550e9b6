"""The records of bank reconciliation (``Ledger.reconcile_bank``) and of
accounting-system layouts (``ar.accounting_profile``,
``ar.import_accounting``): the ``ar-formats`` crate's ``Reconciliation``,
``Profile`` and ``BookTables``, read by :mod:`ar._records`. A field the core
leaves out when empty is ``None`` (an empty text ``""``, an empty list or
dict)."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Dict, List, Literal, Optional, Union

from ar import _ar
from ar._records import Record, record
from ar.typedefs import PaymentMethod

# Each record is keyword-only so that a field with a default (one the core
# may leave out) can come before one without, in the core's order.


@record
@dataclass(frozen=True, init=False, slots=True, kw_only=True)
class BankEntry(Record[Dict[str, Any]]):
    """A credit on the bank statement: its ``index`` among the statement's
    credits (from 0, in file order), booking ``date``, ``amount``,
    ``currency``, the bank's reference, the payer's end-to-end id and name,
    and the remittance text with its structured references."""

    index: int
    date: datetime.date
    amount: Decimal
    currency: str
    bank_reference: Optional[str] = None
    end_to_end_id: Optional[str] = None
    payer_name: Optional[str] = None
    remittance: str = ""


@record
@dataclass(frozen=True, init=False, slots=True, kw_only=True)
class RecordedReceipt(Record[Dict[str, Any]]):
    """A receipt recorded in the ledger, as reconciliation sees it."""

    id: str
    customer: Optional[str] = None
    date: datetime.date
    amount: Decimal
    currency: str
    method: PaymentMethod
    reference: Optional[str] = None


@record
@dataclass(frozen=True, init=False, slots=True, kw_only=True)
class ReconciledPair(Record[Dict[str, Any]]):
    """A bank credit and the recorded receipt it is: ``basis``
    ``"reference"`` (amount, date window and reference agree) or
    ``"amount_and_date"``, ``days_apart`` (receipt date less bank date) and
    ``ambiguous`` (another pair was as good: a person should confirm)."""

    bank: BankEntry
    receipt: RecordedReceipt
    basis: Literal["reference", "amount_and_date"]
    days_apart: int
    ambiguous: bool


@record
@dataclass(frozen=True, init=False, slots=True, kw_only=True)
class BankReconciliation(Record[Dict[str, Any]]):
    """Bank credits against the receipts recorded: ``matched`` pairs in
    bank order, ``bank_only`` credits with no receipt, ``ledger_only``
    receipts dated in the ``period`` (``[start, end]``) the bank does not
    show."""

    matched: List[ReconciledPair]
    bank_only: List[BankEntry]
    ledger_only: List[RecordedReceipt]
    period: Optional[List[datetime.date]] = None

    def to_csv(self) -> str:
        """The reconciliation as CSV text: a row per pair, per credit only
        in the bank and per receipt only in the books."""
        out: str = _ar._reconciliation_to_csv(self.to_dict())
        return out

    def to_xlsx(self, path: Union[str, "os.PathLike[str]", None] = None) -> bytes:
        """The rows of ``to_csv()`` as an .xlsx workbook (title, frozen
        header, amounts as numbers, dates as dates). Returns its bytes, and
        also writes them to ``path`` when given."""
        out: bytes = _ar._reconciliation_to_xlsx(self.to_dict(), path)
        return out


@record
@dataclass(frozen=True, init=False, slots=True, kw_only=True)
class NumberStyle(Record[Dict[str, Any]]):
    """How numbers are written: the ``decimal`` mark and the digit
    ``grouping`` mark, if any."""

    decimal: str
    grouping: Optional[str] = None


@record
@dataclass(frozen=True, init=False, slots=True, kw_only=True)
class AccountingProfile(Record[Dict[str, Any]]):
    """An accounting system's column layout: for each field (``customer``,
    ``document``, ``date``, ``due_date``, ``amount``, ``open``,
    ``currency``, ...) the headers that may hold it, the first the file has
    winning; the ``date_format`` (``strftime``), ``numbers``, ``delimiter``,
    the ``currency`` of rows without one, and ``open_items``."""

    name: str
    records: Literal["invoices", "payments"]
    columns: Dict[str, List[str]]
    date_format: str
    numbers: NumberStyle
    delimiter: str
    currency: Optional[str] = None
    open_items: bool


@record
@dataclass(frozen=True, init=False, slots=True, kw_only=True)
class RowOrigin(Record[Dict[str, Any]]):
    """Where a row came from: its ``file`` and ``row`` (the line, the
    header being line 1)."""

    file: str
    row: int


@record
@dataclass(frozen=True, init=False, slots=True, kw_only=True)
class BookCustomerRow(Record[Dict[str, Any]]):
    """A customer of book rows."""

    id: str
    name: str
    currency: str
    terms: Optional[str] = None
    dimensions: Dict[str, str] = field(default_factory=dict)
    origin: RowOrigin


@record
@dataclass(frozen=True, init=False, slots=True, kw_only=True)
class BookInvoiceRow(Record[Dict[str, Any]]):
    """An invoice of book rows, with its total (``amount``)."""

    id: str
    customer: str
    currency: str
    date: datetime.date
    due_date: datetime.date
    amount: Decimal
    dimensions: Dict[str, str] = field(default_factory=dict)
    origin: RowOrigin


@record
@dataclass(frozen=True, init=False, slots=True, kw_only=True)
class BookCreditMemoRow(Record[Dict[str, Any]]):
    """A credit memo of book rows, ``against`` the invoice it credits."""

    id: str
    customer: str
    currency: str
    date: datetime.date
    amount: Decimal
    against: Optional[str] = None
    origin: RowOrigin


@record
@dataclass(frozen=True, init=False, slots=True, kw_only=True)
class BookReceiptRow(Record[Dict[str, Any]]):
    """A receipt of book rows."""

    id: str
    customer: Optional[str] = None
    currency: str
    date: datetime.date
    amount: Decimal
    method: PaymentMethod
    reference: Optional[str] = None
    remittance: str = ""
    origin: RowOrigin


@record
@dataclass(frozen=True, init=False, slots=True, kw_only=True)
class BookApplicationRow(Record[Dict[str, Any]]):
    """A receipt or credit memo applied to an invoice, in book rows."""

    receipt: Optional[str] = None
    credit_memo: Optional[str] = None
    invoice: str
    date: datetime.date
    amount: Decimal
    discount: Optional[Decimal] = None
    origin: RowOrigin


@record
@dataclass(frozen=True, init=False, slots=True, kw_only=True)
class BookRows(Record[Dict[str, Any]]):
    """A book's history as rows, each with its ``origin``: what
    ``ar.import_accounting`` reads and ``Ledger.from_book_rows`` builds a
    ledger from; ``warnings`` say what the import could not carry over
    (rows skipped by type, settled documents left out)."""

    customers: List[BookCustomerRow]
    invoices: List[BookInvoiceRow]
    credit_memos: List[BookCreditMemoRow]
    receipts: List[BookReceiptRow]
    applications: List[BookApplicationRow]
    warnings: List[str] = field(default_factory=list)


def _plain(value: Any) -> Any:
    """``value`` as plain data for the binding: records and native results
    (``OpenItem``, ``AgingReport``) as dicts, lists and tuples element by
    element."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Record):
        return value.to_dict()
    to_dict = getattr(type(value), "to_dict", None)
    if to_dict is not None and type(value).__module__ == "ar":
        return to_dict(value)
    return value
