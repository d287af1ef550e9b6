"""The records of accounting (``Ledger.journal``, ``trial_balance``,
``reconcile_gl``): the core's ``ar_core::accounting`` results, read by
:mod:`ar._records`, and the journal's exports (CSV from the core; pandas
and Arrow frames reshaped here, every figure as the core gave it)."""

from __future__ import annotations

import datetime
import importlib
import os
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, List, Optional, Tuple, Union

from ar import _ar
from ar._records import Record, record
from ar.typedefs import (
    JournalDict,
    JournalEntryDict,
    JournalLineDict,
    ReconcileCause,
    ReconcileItemDict,
    ReconcileRowDict,
    Role,
    TrialBalanceRowDict,
)

if TYPE_CHECKING:
    import pandas

# The columns of `Journal.to_csv()`, `to_pandas()` and `to_arrow()`.
COLUMNS = (
    "seq", "effective", "event", "subject", "document", "account", "role", "currency",
    "amount", "functional",
)


@record
@dataclass(frozen=True, init=False, slots=True)
class JournalLine(Record[JournalLineDict]):
    """One line of a journal entry: ``amount`` in the document's
    ``currency`` and ``functional`` in the journal's functional currency
    (the document's own without rates), debit positive, credit negative;
    ``role`` is what it stands for, ``account`` where the rules post it,
    ``document`` the invoice, receipt or credit memo it is about."""

    account: str
    role: Role
    currency: str
    amount: Decimal
    functional: Decimal
    document: str


@record
@dataclass(frozen=True, init=False, slots=True)
class JournalEntry(Record[JournalEntryDict]):
    """The entry of one event (``seq`` in the log, ``effective`` date,
    ``event`` type, ``subject`` id): its ``lines`` balance in the document's
    currency and in the functional currency."""

    seq: int
    effective: datetime.date
    event: str
    subject: str
    lines: List[JournalLine]


def _require(module: str, what: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise ImportError(
            f"{what} needs {module}, an optional dependency of ar: pip install ar[pandas]"
        ) from e


@record
@dataclass(frozen=True, init=False, slots=True)
class Journal(Record[JournalDict]):
    """The journal derived from the log: ``entries`` in log order, and the
    ``functional`` currency when it was derived with rates."""

    entries: List[JournalEntry]
    functional: Optional[str] = None

    def _rows(self) -> List[Tuple[Any, ...]]:
        return [
            (e.seq, e.effective, e.event, e.subject, ln.document, ln.account, ln.role,
             ln.currency, ln.amount, ln.functional)
            for e in self.entries
            for ln in e.lines
        ]

    def to_csv(self) -> str:
        """The journal as CSV (RFC 4180, CRLF line ends), one row per line:
        ``seq, effective, event, subject, document, account, role, currency,
        amount, functional``, amounts as exact decimal text (debit positive)."""
        out: str = _ar._journal_to_csv(self.to_dict())
        return out

    def to_xlsx(self, path: Union[str, "os.PathLike[str]", None] = None) -> bytes:
        """The journal as an .xlsx workbook: a row per line (``seq``,
        ``date``, ``event``, ``subject``, ``account``, ``role``,
        ``document``, ``cur``, ``debit``, ``credit``) under a title and a
        frozen header, amounts as numbers in their currency's format, dates
        as dates, then debit and credit totals per currency in bold. Returns
        its bytes, and also writes them to ``path`` when given."""
        out: bytes = _ar._journal_to_xlsx(self.to_dict(), path)
        return out

    def to_pandas(self) -> pandas.DataFrame:
        """A ``pandas.DataFrame`` with the columns of ``to_csv()``, one row
        per line; amounts as ``decimal.Decimal`` (``object`` dtype), dates as
        ``datetime.date``."""
        pd = _require("pandas", "Journal.to_pandas()")
        rows = self._rows()
        dtypes = {"seq": "int64"}
        frame: pandas.DataFrame = pd.DataFrame(
            {name: pd.Series([r[i] for r in rows], dtype=dtypes.get(name, object))
             for i, name in enumerate(COLUMNS)}
        )
        return frame

    def to_arrow(self) -> Any:
        """A ``pyarrow.Table`` with the columns of ``to_csv()``: amounts as
        ``decimal128`` (scale 9, exact for any journal amount up to 10**29),
        ``effective`` as ``date32``."""
        pa = _require("pyarrow", "Journal.to_arrow()")
        rows = self._rows()
        amount = pa.decimal128(38, 9)
        types = {"seq": pa.int64(), "effective": pa.date32(), "amount": amount,
                 "functional": amount}
        return pa.table({
            name: pa.array([r[i] for r in rows], type=types.get(name, pa.string()))
            for i, name in enumerate(COLUMNS)
        })


@record
@dataclass(frozen=True, init=False, slots=True)
class TrialBalanceRow(Record[TrialBalanceRowDict]):
    """One account in one currency: ``debit`` and ``credit`` totals,
    ``balance`` (debits less credits) and that balance in the functional
    currency."""

    account: str
    currency: str
    debit: Decimal
    credit: Decimal
    balance: Decimal
    functional: Decimal


@record
@dataclass(frozen=True, init=False, slots=True)
class ReconcileItem(Record[ReconcileItemDict]):
    """A document behind a difference: its amount in the journal (``ar``)
    and in the GL (``gl``) by the cut-off, and the ``cause``."""

    document: str
    ar: Decimal
    gl: Decimal
    cause: ReconcileCause


@record
@dataclass(frozen=True, init=False, slots=True)
class ReconcileRow(Record[ReconcileRowDict]):
    """One account and currency reconciled: the journal's (``ar``) and the
    GL's (``gl``) balances by the cut-off, their ``difference``, and the
    documents behind it (``items``, whose ``ar - gl`` add up to it)."""

    account: str
    currency: str
    ar: Decimal
    gl: Decimal
    difference: Decimal
    items: List[ReconcileItem]
