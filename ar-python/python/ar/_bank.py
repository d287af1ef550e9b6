"""The records of bank statement and remittance files (``ar.parse_bank_file``
and the per-format functions): the ``ar-formats`` crate's ``Statement`` and
what it holds, read by :mod:`ar._records`. A field the file does not give is
``None`` (an empty text ``""``, an empty list ``[]``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Dict, List, Optional

from ar._records import Record, _plain, record
from ar.typedefs import BankFormat, BankReferenceKind, CreditDebit, ListedKind, PaymentMethod

# Each record is keyword-only so that a field with a default (one the file
# may not give) can come before one without, in the core's order.


@record
@dataclass(frozen=True, init=False, slots=True, kw_only=True)
class BankReference(Record[Dict[str, Any]]):
    """A structured reference carried by a payment: what it refers to
    (``kind``), its ``value`` (creditor and Belgian references in compact
    form), the file's own type code (``scheme``: ``"CINV"``, ``"SCOR"``,
    ``"IV"``), and the ``amount`` paid against it, the document's
    ``invoiced`` amount and the ``discount`` taken, when the file says."""

    kind: BankReferenceKind
    value: str
    scheme: Optional[str] = None
    amount: Optional[Decimal] = None
    invoiced: Optional[Decimal] = None
    discount: Optional[Decimal] = None


@record
@dataclass(frozen=True, init=False, slots=True, kw_only=True)
class BankReceipt(Record[Dict[str, Any]]):
    """A booked credit to the account: money received (``amount`` greater than
    zero, at its currency's minor unit), with what the file says about who
    paid (``payer_name``, ``payer_account``, ``ultimate_payer``) and for what
    (``remittance`` text and structured ``references``), ready for the
    matcher; ``Ledger.record_bank_receipts`` records it."""

    date: datetime.date
    value_date: Optional[datetime.date] = None
    amount: Decimal
    currency: str
    method: PaymentMethod
    bank_reference: Optional[str] = None
    end_to_end_id: Optional[str] = None
    transaction_code: Optional[str] = None
    payer_name: Optional[str] = None
    payer_account: Optional[str] = None
    ultimate_payer: Optional[str] = None
    remittance: str = ""
    references: List[BankReference] = field(default_factory=list)


@record
@dataclass(frozen=True, init=False, slots=True, kw_only=True)
class ListedEntry(Record[Dict[str, Any]]):
    """An entry that is not a receipt (``kind``: a debit, a return, a
    reversal, a pending entry, or a notice of no money moved), listed so
    that nothing in the file goes unseen."""

    kind: ListedKind
    credit_debit: Optional[CreditDebit] = None
    date: datetime.date
    value_date: Optional[datetime.date] = None
    amount: Decimal
    currency: str
    bank_reference: Optional[str] = None
    end_to_end_id: Optional[str] = None
    transaction_code: Optional[str] = None
    counterparty_name: Optional[str] = None
    counterparty_account: Optional[str] = None
    text: str = ""
    references: List[BankReference] = field(default_factory=list)


@record
@dataclass(frozen=True, init=False, slots=True, kw_only=True)
class BankBalance(Record[Dict[str, Any]]):
    """A balance of an account: its ISO 20022 ``code`` (``"OPBD"`` opening
    booked, ``"CLBD"`` closing booked, ...; otherwise the format's own, such
    as ``"BAI:072"``), the signed ``amount`` (negative when overdrawn), its
    ``currency`` and ``date``."""

    code: str
    amount: Decimal
    currency: str
    date: Optional[datetime.date] = None


@record
@dataclass(frozen=True, init=False, slots=True, kw_only=True)
class BankAccount(Record[Dict[str, Any]]):
    """The account a statement reports on, as far as the file says."""

    iban: Optional[str] = None
    number: Optional[str] = None
    currency: Optional[str] = None
    owner: Optional[str] = None
    bank: Optional[str] = None


@record
@dataclass(frozen=True, init=False, slots=True, kw_only=True)
class AccountStatement(Record[Dict[str, Any]]):
    """One statement of a file (a camt statement or notification, an MT940
    message, a BAI2 account, a NACHA batch or an X12 transaction set): its
    ``balances``, ``receipts`` and the ``other_entries``."""

    id: Optional[str] = None
    sequence: Optional[str] = None
    account: BankAccount
    from_date: Optional[datetime.date] = None
    to_date: Optional[datetime.date] = None
    balances: List[BankBalance] = field(default_factory=list)
    receipts: List[BankReceipt]
    other_entries: List[ListedEntry]


@record
@dataclass(frozen=True, init=False, slots=True, kw_only=True)
class BankStatement(Record[Dict[str, Any]]):
    """A bank statement or remittance file read: its ``format``, ``version``
    (``"camt.053.001.08"``, ...), ``message_id``, ``created`` (as written, no
    time zone), ``sender``, ``receiver`` and its ``accounts`` in file
    order."""

    format: BankFormat
    version: Optional[str] = None
    message_id: Optional[str] = None
    created: Optional[datetime.datetime] = None
    sender: Optional[str] = None
    receiver: Optional[str] = None
    accounts: List[AccountStatement]

    def receipts(self) -> List[BankReceipt]:
        """Every receipt of every account, in file order."""
        return [r for a in self.accounts for r in a.receipts]

    def other_entries(self) -> List[ListedEntry]:
        """Every entry that is not a receipt, in file order."""
        return [e for a in self.accounts for e in a.other_entries]


def _receipts_of(value: Any) -> Any:
    """The receipts of ``Ledger.record_bank_receipts`` as plain data: a
    statement's, or the list given (its records as dicts)."""
    if isinstance(value, BankStatement):
        value = value.receipts()
    if isinstance(value, tuple):
        value = list(value)
    return _plain(value)
