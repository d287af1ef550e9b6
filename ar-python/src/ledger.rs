//! `ar.Ledger`: the append-only log, its commands and its queries, with the
//! `Outcome` and `Event` a command returns.

use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use ar_core::chrono::{DateTime, NaiveDate, Utc};
use ar_core::{
    ApplicationId, Command, CreditKind, CreditLine, CreditMemoId, Customer, CustomerId, Error,
    EventEnvelope, InvoiceId, NewInvoice, OpeningInvoice, Receipt, ReceiptId, RefundId, Source,
    View, WriteOffId,
};
use pyo3::prelude::*;
use pyo3::pyclass::CompareOp;
use pyo3::sync::RwLockExt;
use pyo3::types::{PyDict, PyList, PyType};

use crate::accounting;
use crate::aging::{self, AgingReport};
use crate::bank;
use crate::collections;
use crate::conv::{self, given};
use crate::credit_control;
use crate::discounts;
use crate::errors::{catch, fail, guard, to_py};
use crate::forecast;
use crate::formats;
use crate::import;
use crate::invoice;
use crate::matching::{self, MatchBatch, OptionArgs, ReceiptMatch};
use crate::metrics::{self, MetricsRow};
use crate::provision;
use crate::record;
use crate::records;
use crate::statement;
use crate::views::{Application, Balance, InvoiceView, OpenItem, SourceView};
use crate::worklist;

type Arg<'a, 'py> = Option<&'a Bound<'py, PyAny>>;

/// One event of the log: its ``seq`` (from 1), ``type`` (``"applied"``,
/// ``"invoice_issued"``, ...), ``subject`` (the id of the record it creates
/// or changes, e.g. a generated application id), ``effective`` business
/// date, ``recorded`` time (UTC), the ``idempotency_key`` of its command,
/// its ``hash`` in the log's chain and ``json``, the event as a line of the
/// log (with its hash).
#[pyclass(module = "ar", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct Event {
    env: EventEnvelope,
    hash: ar_core::ChainHash,
}

const EVENT_FIELDS: &[&str] = &[
    "seq",
    "type",
    "subject",
    "effective",
    "recorded",
    "idempotency_key",
    "hash",
    "json",
];

/// `events` (a run of `ledger`'s log) as Python events, with their hashes.
fn events_of(ledger: &ar_core::Ledger, events: &[EventEnvelope]) -> ar_core::Result<Vec<Event>> {
    let Some(first) = events.first() else {
        return Ok(Vec::new());
    };
    let from = usize::try_from(first.seq.saturating_sub(1)).unwrap_or(usize::MAX);
    let hashes = ledger.event_hashes(from)?;
    Ok(events
        .iter()
        .zip(hashes)
        .map(|(env, hash)| Event {
            env: env.clone(),
            hash,
        })
        .collect())
}

#[pymethods]
impl Event {
    /// 1-based position in the log.
    #[getter]
    fn seq(&self) -> u64 {
        self.env.seq
    }

    /// Event name: ``"applied"``, ``"invoice_issued"``, ...
    #[getter(r#type)]
    fn kind(&self) -> &'static str {
        self.env.event.name()
    }

    /// Id of the record the event creates or changes.
    #[getter]
    fn subject(&self) -> &str {
        self.env.event.subject()
    }

    /// Business date.
    #[getter]
    fn effective(&self) -> NaiveDate {
        self.env.effective
    }

    /// Recorded time (UTC).
    #[getter]
    fn recorded(&self) -> DateTime<Utc> {
        self.env.recorded
    }

    /// Idempotency key of the command, if any.
    #[getter]
    fn idempotency_key(&self) -> Option<&str> {
        self.env.idempotency_key.as_deref()
    }

    /// Its hash in the log's chain (64 hex digits): covers this event and
    /// every one before it.
    #[getter]
    fn hash(&self) -> String {
        self.hash.to_string()
    }

    /// The event as a line of the log (with its ``hash``): a list of these
    /// is what ``to_json`` holds under ``events``, so an app can store one
    /// at a time.
    #[getter]
    fn json(&self) -> PyResult<String> {
        guard(|| self.env.to_log_json(&self.hash))
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        record::repr(
            slf.as_any(),
            "Event",
            &["seq", "type", "subject", "effective", "recorded"],
        )
    }

    /// The fields as a dict.
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        record::to_dict(slf.as_any(), EVENT_FIELDS)
    }
}

/// What a command did: the ``events`` it appended, or for a retried
/// idempotent command (``replayed`` is then ``True``) the events it appended
/// the first time.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct Outcome {
    /// True when this was a retry and nothing was appended.
    replayed: bool,
    /// The events.
    events: Vec<Event>,
}

const OUTCOME_FIELDS: &[&str] = &["replayed", "events"];

#[pymethods]
impl Outcome {
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        record::repr(slf.as_any(), "Outcome", OUTCOME_FIELDS)
    }

    /// The fields as a dict (events as dicts too).
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        record::to_dict(slf.as_any(), OUTCOME_FIELDS)
    }
}

/// What a snapshot's header says (``Ledger.snapshot_info``).
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct SnapshotInfo {
    /// The snapshot format.
    version: u32,
    /// The log version of its events.
    log_version: u32,
    /// How many events it holds: the log's tail starts at this index.
    events: u64,
    /// The head of the hash chain over them (64 hex digits).
    chain_head: String,
}

const SNAPSHOT_INFO_FIELDS: &[&str] = &["version", "log_version", "events", "chain_head"];

#[pymethods]
impl SnapshotInfo {
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        record::repr(slf.as_any(), "SnapshotInfo", SNAPSHOT_INFO_FIELDS)
    }

    /// The fields as a dict.
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        record::to_dict(slf.as_any(), SNAPSHOT_INFO_FIELDS)
    }
}

/// A snapshot: `bytes` only, whose contents cannot change while the call
/// reads them without the GIL (a `bytearray` could).
fn snapshot_bytes<'a, 'py>(
    obj: &'a Bound<'py, PyAny>,
) -> PyResult<&'a Bound<'py, pyo3::types::PyBytes>> {
    match obj.cast::<pyo3::types::PyBytes>() {
        Ok(b) => Ok(b),
        Err(_) => conv::wrong_type("snapshot", "bytes", obj),
    }
}

/// Exactly one of a receipt and a credit memo.
fn source(receipt: Arg<'_, '_>, credit_memo: Arg<'_, '_>) -> PyResult<Source> {
    match (given(receipt), given(credit_memo)) {
        (Some(r), None) => Ok(Source::Receipt(conv::id(
            "receipt",
            r,
            ReceiptId::parse_field,
        )?)),
        (None, Some(c)) => Ok(Source::CreditMemo(conv::id(
            "credit_memo",
            c,
            CreditMemoId::parse_field,
        )?)),
        (r, _) => fail(Error::InvalidValue {
            field: "source".into(),
            value: if r.is_some() { "both" } else { "none" }.into(),
            reason: "give exactly one of receipt and credit_memo".into(),
        }),
    }
}

fn reason(obj: Arg<'_, '_>) -> PyResult<String> {
    Ok(conv::opt_text("reason", obj)?.unwrap_or_default())
}

fn customer(
    id: &Bound<'_, PyAny>,
    name: &Bound<'_, PyAny>,
    currency: &Bound<'_, PyAny>,
    terms: Arg<'_, '_>,
    credit_limit: Arg<'_, '_>,
    dimensions: Arg<'_, '_>,
) -> PyResult<Customer> {
    Ok(Customer {
        id: conv::id("id", id, CustomerId::parse_field)?,
        name: conv::text("name", name)?,
        currency: conv::currency("currency", currency)?,
        terms: conv::opt_terms("terms", terms)?.unwrap_or_default(),
        credit_limit: conv::opt_decimal("credit_limit", credit_limit)?,
        dimensions: conv::dimensions("dimensions", dimensions)?,
    })
}

/// The receivables of one company: an append-only log of events and the
/// state folded from it.
///
/// Commands (``register_customer``, ``issue_invoice``, ``record_receipt``,
/// ``apply``, ...) are validated against the current state; a valid command
/// appends events and returns an ``Outcome``, an invalid one raises an
/// ``ar.ArError`` and changes nothing. Every command takes keyword-only
/// ``recorded`` (a timezone-aware datetime, default now) and
/// ``idempotency_key``. Queries take keyword-only ``as_of`` (a business
/// date) and ``known_at`` (a recorded time).
///
/// A ledger may be shared between threads: its calls are serialized (one
/// command at a time, queries beside each other but never beside a
/// command), so each sees the ledger before or after another thread's
/// command, never in between.
#[pyclass(module = "ar", frozen)]
pub struct Ledger {
    /// The class is `frozen` (no `&mut self`, hence no "Already borrowed"
    /// when threads share it); the core ledger behind a read-write lock
    /// instead. A thread waits for the lock without the GIL, so a thread
    /// that holds the lock and needs the GIL always gets it.
    inner: RwLock<ar_core::Ledger>,
}

impl Ledger {
    fn wrap(inner: ar_core::Ledger) -> Self {
        Ledger {
            inner: RwLock::new(inner),
        }
    }

    /// The core ledger, to read. Every Python value is converted before a
    /// lock is taken: converting may run Python code (a `__iter__`, a
    /// `tzinfo`), which could call back into this ledger on this thread.
    /// A lock is poisoned only by a panic outside the engine's `catch`
    /// (engine panics are caught, and `mutate` restores the log), so the
    /// state it guards is whole and a poisoned lock is used as is.
    fn read(&self, py: Python<'_>) -> RwLockReadGuard<'_, ar_core::Ledger> {
        self.inner
            .read_py_attached(py)
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The core ledger, to change (see [`Self::read`]).
    fn write(&self, py: Python<'_>) -> RwLockWriteGuard<'_, ar_core::Ledger> {
        self.inner
            .write_py_attached(py)
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn run(
        &self,
        py: Python<'_>,
        command: Command,
        recorded: Arg<'_, '_>,
        key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let meta = conv::meta(recorded, key)?;
        let out = self.mutate(py, |l| {
            let out = l.execute(command, &meta.resolve(last(l))?)?;
            outcome(l, &out)
        })?;
        Ok(out)
    }

    /// Runs `f`, which may append several commands' events, on the core
    /// ledger, holding its write lock. Should the engine panic midway
    /// (caught as `internal`), the ledger is rebuilt from the log it had
    /// before, so even part of a batch is never kept.
    fn mutate<T>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut ar_core::Ledger) -> ar_core::Result<T>,
    ) -> PyResult<T> {
        let mut ledger = self.write(py);
        let before = ledger.events().len();
        match catch(|| f(&mut ledger)) {
            Ok(v) => Ok(v),
            Err(e) => {
                if matches!(e, Error::Internal { .. }) && ledger.events().len() != before {
                    let log = ledger.events().iter().take(before).cloned();
                    if let Ok(rebuilt) = ar_core::Ledger::replay(log.collect::<Vec<_>>()) {
                        *ledger = rebuilt;
                    }
                }
                Err(to_py(&e))
            }
        }
    }
}

/// The last recorded time in the log.
fn last(ledger: &ar_core::Ledger) -> Option<DateTime<Utc>> {
    ledger.events().last().map(|e| e.recorded)
}

/// A command's outcome on `ledger` as the Python class.
fn outcome(ledger: &ar_core::Ledger, out: &ar_core::Outcome) -> ar_core::Result<Outcome> {
    Ok(Outcome {
        replayed: out.replayed,
        events: events_of(ledger, &out.events)?,
    })
}

#[pymethods]
impl Ledger {
    /// An empty ledger.
    #[new]
    fn new() -> Self {
        Ledger::wrap(ar_core::Ledger::new())
    }

    // ----- commands ---------------------------------------------------------

    /// Add a customer: ``id``, display ``name``, default ``currency`` and
    /// ``terms`` (default net 30) of its invoices, an optional
    /// ``credit_limit`` and free ``dimensions``.
    #[pyo3(signature = (id, name, currency, *, terms = None, credit_limit = None, dimensions = None, recorded = None, idempotency_key = None))]
    #[allow(clippy::too_many_arguments)]
    fn register_customer(
        &self,
        py: Python<'_>,
        id: &Bound<'_, PyAny>,
        name: &Bound<'_, PyAny>,
        currency: &Bound<'_, PyAny>,
        terms: Arg<'_, '_>,
        credit_limit: Arg<'_, '_>,
        dimensions: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let customer = customer(id, name, currency, terms, credit_limit, dimensions)?;
        self.run(
            py,
            Command::RegisterCustomer { customer },
            recorded,
            idempotency_key,
        )
    }

    /// Replace a customer's name, currency, terms, limit and dimensions;
    /// invoices already issued keep their terms.
    #[pyo3(signature = (id, name, currency, *, terms = None, credit_limit = None, dimensions = None, recorded = None, idempotency_key = None))]
    #[allow(clippy::too_many_arguments)]
    fn update_customer(
        &self,
        py: Python<'_>,
        id: &Bound<'_, PyAny>,
        name: &Bound<'_, PyAny>,
        currency: &Bound<'_, PyAny>,
        terms: Arg<'_, '_>,
        credit_limit: Arg<'_, '_>,
        dimensions: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let customer = customer(id, name, currency, terms, credit_limit, dimensions)?;
        self.run(
            py,
            Command::UpdateCustomer { customer },
            recorded,
            idempotency_key,
        )
    }

    /// Issue an invoice (or save a draft with ``draft=True``) of ``lines`` (a
    /// list of ``ar.Line``) to ``customer`` dated ``date``. Currency and
    /// terms default to the customer's.
    #[pyo3(
        signature = (id, customer, date, lines, *, currency = None, tax_mode = None, tax_rounding = None, rounding = None, terms = None, po_number = None, dimensions = None, draft = None, recorded = None, idempotency_key = None),
        text_signature = "($self, id, customer, date, lines, *, currency=None, tax_mode='exclusive', tax_rounding='per_line', rounding='half_away_from_zero', terms=None, po_number=None, dimensions=None, draft=False, recorded=None, idempotency_key=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn issue_invoice(
        &self,
        py: Python<'_>,
        id: &Bound<'_, PyAny>,
        customer: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        lines: &Bound<'_, PyAny>,
        currency: Arg<'_, '_>,
        tax_mode: Arg<'_, '_>,
        tax_rounding: Arg<'_, '_>,
        rounding: Arg<'_, '_>,
        terms: Arg<'_, '_>,
        po_number: Arg<'_, '_>,
        dimensions: Arg<'_, '_>,
        draft: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let invoice = NewInvoice {
            id: conv::id("id", id, InvoiceId::parse_field)?,
            customer: conv::id("customer", customer, CustomerId::parse_field)?,
            date: conv::date("date", date)?,
            currency: conv::opt_currency("currency", currency)?,
            lines: invoice::lines("lines", lines)?,
            tax_mode: given(tax_mode)
                .map(|m| conv::tax_mode("tax_mode", m))
                .transpose()?
                .unwrap_or_default(),
            tax_rounding: given(tax_rounding)
                .map(|r| conv::tax_rounding("tax_rounding", r))
                .transpose()?
                .unwrap_or_default(),
            rounding: given(rounding)
                .map(|r| conv::rounding("rounding", r))
                .transpose()?
                .unwrap_or_default(),
            terms: conv::opt_terms("terms", terms)?,
            po_number: conv::opt_text("po_number", po_number)?,
            dimensions: conv::dimensions("dimensions", dimensions)?,
            draft: conv::opt_flag("draft", draft)?,
        };
        self.run(
            py,
            Command::IssueInvoice { invoice },
            recorded,
            idempotency_key,
        )
    }

    /// Make a draft receivable from ``date`` on.
    #[pyo3(signature = (invoice, date, *, recorded = None, idempotency_key = None))]
    fn finalize_invoice(
        &self,
        py: Python<'_>,
        invoice: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = Command::FinalizeInvoice {
            invoice: conv::id("invoice", invoice, InvoiceId::parse_field)?,
            date: conv::date("date", date)?,
        };
        self.run(py, command, recorded, idempotency_key)
    }

    /// Import an invoice from another system with what is still ``open`` on
    /// it (from above zero to ``total``), as of the opening-balance date
    /// ``as_of``.
    #[pyo3(signature = (id, customer, date, due_date, total, open, *, as_of, currency = None, po_number = None, dimensions = None, recorded = None, idempotency_key = None))]
    #[allow(clippy::too_many_arguments)]
    fn import_invoice(
        &self,
        py: Python<'_>,
        id: &Bound<'_, PyAny>,
        customer: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        due_date: &Bound<'_, PyAny>,
        total: &Bound<'_, PyAny>,
        open: &Bound<'_, PyAny>,
        as_of: &Bound<'_, PyAny>,
        currency: Arg<'_, '_>,
        po_number: Arg<'_, '_>,
        dimensions: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let invoice = OpeningInvoice {
            id: conv::id("id", id, InvoiceId::parse_field)?,
            customer: conv::id("customer", customer, CustomerId::parse_field)?,
            date: conv::date("date", date)?,
            due_date: conv::date("due_date", due_date)?,
            currency: conv::opt_currency("currency", currency)?,
            total: conv::decimal("total", total)?,
            open: conv::decimal("open", open)?,
            po_number: conv::opt_text("po_number", po_number)?,
            dimensions: conv::dimensions("dimensions", dimensions)?,
        };
        let command = Command::ImportInvoice {
            invoice,
            as_of: conv::date("as_of", as_of)?,
        };
        self.run(py, command, recorded, idempotency_key)
    }

    /// Void an invoice with nothing applied to it.
    #[pyo3(
        signature = (invoice, date, reason = None, *, recorded = None, idempotency_key = None),
        text_signature = "($self, invoice, date, reason='', *, recorded=None, idempotency_key=None)"
    )]
    fn void_invoice(
        &self,
        py: Python<'_>,
        invoice: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        reason: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = Command::VoidInvoice {
            invoice: conv::id("invoice", invoice, InvoiceId::parse_field)?,
            date: conv::date("date", date)?,
            reason: self::reason(reason)?,
        };
        self.run(py, command, recorded, idempotency_key)
    }

    /// Flag (``disputed=True``) or clear a dispute on an invoice from
    /// ``date`` on.
    #[pyo3(
        signature = (invoice, disputed, date, reason = None, *, recorded = None, idempotency_key = None),
        text_signature = "($self, invoice, disputed, date, reason='', *, recorded=None, idempotency_key=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn set_dispute(
        &self,
        py: Python<'_>,
        invoice: &Bound<'_, PyAny>,
        disputed: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        reason: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = Command::SetDispute {
            invoice: conv::id("invoice", invoice, InvoiceId::parse_field)?,
            disputed: conv::flag("disputed", disputed)?,
            date: conv::date("date", date)?,
            reason: self::reason(reason)?,
        };
        self.run(py, command, recorded, idempotency_key)
    }

    /// Record money received: ``amount`` in ``currency`` on ``date``, from
    /// ``customer`` (``None`` for a payer not yet identified), by ``method``
    /// (``"check"``, ``"ach"``, ``"wire"``, ``"card"``, ``"cash"``,
    /// ``"direct_debit"`` or ``"other"``). ``payer_name`` and
    /// ``payer_account`` are what the bank says of the payer (its name, the
    /// account the money came from): the matcher recognises a customer by
    /// the accounts its earlier receipts came from.
    #[pyo3(
        signature = (id, date, amount, currency, *, customer = None, method = None, reference = None, remittance = None, payer_name = None, payer_account = None, recorded = None, idempotency_key = None),
        text_signature = "($self, id, date, amount, currency, *, customer=None, method='other', reference=None, remittance='', payer_name=None, payer_account=None, recorded=None, idempotency_key=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn record_receipt(
        &self,
        py: Python<'_>,
        id: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        amount: &Bound<'_, PyAny>,
        currency: &Bound<'_, PyAny>,
        customer: Arg<'_, '_>,
        method: Arg<'_, '_>,
        reference: Arg<'_, '_>,
        remittance: Arg<'_, '_>,
        payer_name: Arg<'_, '_>,
        payer_account: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let receipt = Receipt {
            id: conv::id("id", id, ReceiptId::parse_field)?,
            customer: conv::opt_id("customer", customer, CustomerId::parse_field)?,
            date: conv::date("date", date)?,
            amount: conv::decimal("amount", amount)?,
            currency: conv::currency("currency", currency)?,
            method: given(method)
                .map(|m| conv::method("method", m))
                .transpose()?
                .unwrap_or_default(),
            reference: conv::opt_text("reference", reference)?,
            remittance: conv::opt_text("remittance", remittance)?.unwrap_or_default(),
            payer_name: conv::opt_text("payer_name", payer_name)?,
            payer_account: conv::opt_text("payer_account", payer_account)?,
        };
        self.run(
            py,
            Command::RecordReceipt { receipt },
            recorded,
            idempotency_key,
        )
    }

    /// Name the payer of a receipt received from an unknown payer.
    #[pyo3(signature = (receipt, customer, date, *, recorded = None, idempotency_key = None))]
    fn assign_payer(
        &self,
        py: Python<'_>,
        receipt: &Bound<'_, PyAny>,
        customer: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = Command::AssignPayer {
            receipt: conv::id("receipt", receipt, ReceiptId::parse_field)?,
            customer: conv::id("customer", customer, CustomerId::parse_field)?,
            date: conv::date("date", date)?,
        };
        self.run(py, command, recorded, idempotency_key)
    }

    /// Reverse a receipt (a bounced check) with nothing applied or refunded.
    #[pyo3(
        signature = (receipt, date, reason = None, *, recorded = None, idempotency_key = None),
        text_signature = "($self, receipt, date, reason='', *, recorded=None, idempotency_key=None)"
    )]
    fn void_receipt(
        &self,
        py: Python<'_>,
        receipt: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        reason: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = Command::VoidReceipt {
            receipt: conv::id("receipt", receipt, ReceiptId::parse_field)?,
            date: conv::date("date", date)?,
            reason: self::reason(reason)?,
        };
        self.run(py, command, recorded, idempotency_key)
    }

    /// Issue a credit memo: an open credit until applied or refunded. It
    /// credits exactly one of ``amount=`` (tax included), ``lines=[(line_index,
    /// quantity_or_None), ...]`` of the invoice ``against``, or
    /// ``whole=True`` (what of ``against`` is not yet credited).
    #[pyo3(
        signature = (id, customer, date, *, amount = None, against = None, lines = None, whole = None, currency = None, reason = None, recorded = None, idempotency_key = None),
        text_signature = "($self, id, customer, date, *, amount=None, against=None, lines=None, whole=False, currency=None, reason='', recorded=None, idempotency_key=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn issue_credit_memo(
        &self,
        py: Python<'_>,
        id: &Bound<'_, PyAny>,
        customer: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        amount: Arg<'_, '_>,
        against: Arg<'_, '_>,
        lines: Arg<'_, '_>,
        whole: Arg<'_, '_>,
        currency: Arg<'_, '_>,
        reason: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let amount = conv::opt_decimal("amount", amount)?;
        let whole = conv::opt_flag("whole", whole)?;
        let credit_lines = match given(lines) {
            None => None,
            Some(list) => {
                let mut out = Vec::new();
                for (i, item) in conv::items("lines", "list of (line_index, quantity)", list)?
                    .iter()
                    .enumerate()
                {
                    let field = format!("lines[{i}]");
                    let parts = conv::items(&field, "(line_index, quantity)", item)?;
                    let [line, quantity] = parts.as_slice() else {
                        return conv::wrong_type(&field, "(line_index, quantity)", item);
                    };
                    out.push(CreditLine {
                        line: conv::count(&format!("{field}.line"), line)?,
                        quantity: conv::opt_decimal(&format!("{field}.quantity"), Some(quantity))?,
                    });
                }
                Some(out)
            }
        };
        let kind = match (amount, credit_lines, whole) {
            (Some(amount), None, false) => CreditKind::Amount { amount },
            (None, Some(lines), false) => CreditKind::Lines { lines },
            (None, None, true) => CreditKind::WholeInvoice,
            _ => {
                return fail(Error::InvalidValue {
                    field: "amount".into(),
                    value: "amount, lines, whole".into(),
                    reason: "give exactly one of amount, lines and whole=True".into(),
                })
            }
        };
        let command = Command::IssueCreditMemo {
            id: conv::id("id", id, CreditMemoId::parse_field)?,
            customer: conv::id("customer", customer, CustomerId::parse_field)?,
            date: conv::date("date", date)?,
            currency: conv::opt_currency("currency", currency)?,
            against: conv::opt_id("against", against, InvoiceId::parse_field)?,
            kind,
            reason: self::reason(reason)?,
        };
        self.run(py, command, recorded, idempotency_key)
    }

    /// Void a credit memo with nothing applied or refunded.
    #[pyo3(
        signature = (credit_memo, date, reason = None, *, recorded = None, idempotency_key = None),
        text_signature = "($self, credit_memo, date, reason='', *, recorded=None, idempotency_key=None)"
    )]
    fn void_credit_memo(
        &self,
        py: Python<'_>,
        credit_memo: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        reason: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = Command::VoidCreditMemo {
            credit_memo: conv::id("credit_memo", credit_memo, CreditMemoId::parse_field)?,
            date: conv::date("date", date)?,
            reason: self::reason(reason)?,
        };
        self.run(py, command, recorded, idempotency_key)
    }

    /// Apply ``amount`` from a receipt or a credit memo (exactly one) to an
    /// invoice (or one ``installment`` of it), with an early-payment
    /// ``discount`` on top when the terms allow it. ``id`` is generated when
    /// not given (see the ``subject`` of the ``applied`` event).
    #[pyo3(signature = (invoice, amount, date, *, receipt = None, credit_memo = None, installment = None, discount = None, id = None, recorded = None, idempotency_key = None))]
    #[allow(clippy::too_many_arguments)]
    fn apply(
        &self,
        py: Python<'_>,
        invoice: &Bound<'_, PyAny>,
        amount: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        receipt: Arg<'_, '_>,
        credit_memo: Arg<'_, '_>,
        installment: Arg<'_, '_>,
        discount: Arg<'_, '_>,
        id: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = Command::Apply {
            id: conv::opt_id("id", id, ApplicationId::parse_field)?,
            source: source(receipt, credit_memo)?,
            invoice: conv::id("invoice", invoice, InvoiceId::parse_field)?,
            installment: conv::opt_count("installment", installment)?,
            amount: conv::decimal("amount", amount)?,
            discount: conv::opt_decimal("discount", discount)?.unwrap_or_default(),
            date: conv::date("date", date)?,
        };
        self.run(py, command, recorded, idempotency_key)
    }

    /// Apply a receipt or credit memo (exactly one) to the customer's open
    /// invoices, oldest due date first; disputed invoices are skipped unless
    /// ``include_disputed=True``.
    #[pyo3(
        signature = (date, *, receipt = None, credit_memo = None, include_disputed = None, recorded = None, idempotency_key = None),
        text_signature = "($self, date, *, receipt=None, credit_memo=None, include_disputed=False, recorded=None, idempotency_key=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn apply_fifo(
        &self,
        py: Python<'_>,
        date: &Bound<'_, PyAny>,
        receipt: Arg<'_, '_>,
        credit_memo: Arg<'_, '_>,
        include_disputed: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = Command::ApplyFifo {
            source: source(receipt, credit_memo)?,
            date: conv::date("date", date)?,
            include_disputed: conv::opt_flag("include_disputed", include_disputed)?,
        };
        self.run(py, command, recorded, idempotency_key)
    }

    /// Reverse an application, restoring both sides, from ``date`` on.
    #[pyo3(
        signature = (application, date, reason = None, *, recorded = None, idempotency_key = None),
        text_signature = "($self, application, date, reason='', *, recorded=None, idempotency_key=None)"
    )]
    fn unapply(
        &self,
        py: Python<'_>,
        application: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        reason: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = Command::Unapply {
            application: conv::id("application", application, ApplicationId::parse_field)?,
            date: conv::date("date", date)?,
            reason: self::reason(reason)?,
        };
        self.run(py, command, recorded, idempotency_key)
    }

    /// Write off ``amount`` (default: everything open at ``date``) of an
    /// invoice (or one ``installment``) as uncollectible.
    #[pyo3(signature = (invoice, date, reason, *, amount = None, installment = None, id = None, recorded = None, idempotency_key = None))]
    #[allow(clippy::too_many_arguments)]
    fn write_off(
        &self,
        py: Python<'_>,
        invoice: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        reason: &Bound<'_, PyAny>,
        amount: Arg<'_, '_>,
        installment: Arg<'_, '_>,
        id: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = Command::WriteOff {
            id: conv::opt_id("id", id, WriteOffId::parse_field)?,
            invoice: conv::id("invoice", invoice, InvoiceId::parse_field)?,
            installment: conv::opt_count("installment", installment)?,
            amount: conv::opt_decimal("amount", amount)?,
            date: conv::date("date", date)?,
            reason: conv::text("reason", reason)?,
        };
        self.run(py, command, recorded, idempotency_key)
    }

    /// Write off what is open on a receipt (unapplied cash, such as a small
    /// overpayment) or a credit memo (exactly one), booked to income:
    /// ``amount``, or everything open at ``date``. ``reverse_write_off``
    /// puts it back.
    #[pyo3(signature = (date, reason, *, receipt = None, credit_memo = None, amount = None, id = None, recorded = None, idempotency_key = None))]
    #[allow(clippy::too_many_arguments)]
    fn write_off_source(
        &self,
        py: Python<'_>,
        date: &Bound<'_, PyAny>,
        reason: &Bound<'_, PyAny>,
        receipt: Arg<'_, '_>,
        credit_memo: Arg<'_, '_>,
        amount: Arg<'_, '_>,
        id: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let source = [receipt, credit_memo, amount, id];
        let command = discounts::write_off_source(py, date, reason, source)?;
        self.run(py, command, recorded, idempotency_key)
    }

    /// Reverse a write-off (a recovery) from ``date`` on.
    #[pyo3(
        signature = (write_off, date, reason = None, *, recorded = None, idempotency_key = None),
        text_signature = "($self, write_off, date, reason='', *, recorded=None, idempotency_key=None)"
    )]
    fn reverse_write_off(
        &self,
        py: Python<'_>,
        write_off: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        reason: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = Command::ReverseWriteOff {
            write_off: conv::id("write_off", write_off, WriteOffId::parse_field)?,
            date: conv::date("date", date)?,
            reason: self::reason(reason)?,
        };
        self.run(py, command, recorded, idempotency_key)
    }

    /// Pay ``amount`` of a receipt's unapplied cash or a credit memo's open
    /// credit (exactly one) back to the customer.
    #[pyo3(
        signature = (amount, date, *, receipt = None, credit_memo = None, method = None, reason = None, id = None, recorded = None, idempotency_key = None),
        text_signature = "($self, amount, date, *, receipt=None, credit_memo=None, method='other', reason='', id=None, recorded=None, idempotency_key=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn refund(
        &self,
        py: Python<'_>,
        amount: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        receipt: Arg<'_, '_>,
        credit_memo: Arg<'_, '_>,
        method: Arg<'_, '_>,
        reason: Arg<'_, '_>,
        id: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = Command::Refund {
            id: conv::opt_id("id", id, RefundId::parse_field)?,
            source: source(receipt, credit_memo)?,
            amount: conv::decimal("amount", amount)?,
            date: conv::date("date", date)?,
            method: given(method)
                .map(|m| conv::method("method", m))
                .transpose()?
                .unwrap_or_default(),
            reason: self::reason(reason)?,
        };
        self.run(py, command, recorded, idempotency_key)
    }

    /// Execute any command given as the core's serde JSON (``{"type":
    /// "apply", ...}``). Malformed JSON, or JSON that is not a command, is a
    /// ``ValidationError`` (``invalid_value``) naming the problem.
    #[pyo3(signature = (command_json, *, recorded = None, idempotency_key = None))]
    fn execute_json(
        &self,
        py: Python<'_>,
        command_json: &Bound<'_, PyAny>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let text = conv::text("command_json", command_json)?;
        let command = guard(|| conv::command("command_json", &text))?;
        self.run(py, command, recorded, idempotency_key)
    }

    // ----- collections ----------------------------------------------------------

    /// Record a notice of a dunning run (a ``DunningNotice``) as sent, under
    /// ``id``, on ``date`` (the run's date by default): each item's level
    /// moves, so a rerun that day proposes nothing new.
    #[pyo3(
        signature = (notice, id, *, date = None, recorded = None, idempotency_key = None),
        text_signature = "($self, notice, id, *, date=None, recorded=None, idempotency_key=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn record_dunning_notice(
        &self,
        py: Python<'_>,
        notice: &Bound<'_, PyAny>,
        id: &Bound<'_, PyAny>,
        date: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = collections::record_notice(notice, id, date)?;
        self.run(py, command, recorded, idempotency_key)
    }

    /// Issue an interest or fee note (a dict of the core's ``NewCharge``:
    /// ``id``, ``customer``, ``date``, ``kind``, ``lines`` of ``{"item",
    /// "amount", "through"}``): an invoice of its own that ages, is paid,
    /// disputed and written off like any other.
    #[pyo3(signature = (charge, *, recorded = None, idempotency_key = None))]
    fn issue_charge(
        &self,
        py: Python<'_>,
        charge: &Bound<'_, PyAny>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = collections::issue_charge(charge)?;
        self.run(py, command, recorded, idempotency_key)
    }

    /// Apply a receipt or credit memo (exactly one) to costs (fee notes),
    /// then interest notes, then principal, each oldest due first (section
    /// 367 BGB); only ``invoice`` and its notes when given.
    #[pyo3(
        signature = (date, *, receipt = None, credit_memo = None, invoice = None, include_disputed = None, recorded = None, idempotency_key = None),
        text_signature = "($self, date, *, receipt=None, credit_memo=None, invoice=None, include_disputed=False, recorded=None, idempotency_key=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn apply_in_clearing_order(
        &self,
        py: Python<'_>,
        date: &Bound<'_, PyAny>,
        receipt: Arg<'_, '_>,
        credit_memo: Arg<'_, '_>,
        invoice: Arg<'_, '_>,
        include_disputed: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = collections::clearing_order(
            source(receipt, credit_memo)?,
            date,
            invoice,
            conv::opt_flag("include_disputed", include_disputed)?,
        )?;
        self.run(py, command, recorded, idempotency_key)
    }

    /// Open a dispute (a dict: ``id``, ``invoice``, ``installment``,
    /// ``amount``, ``reason``, ``owner``, ``note``) on ``date``: its amount
    /// leaves dunning, the invoice leaves automatic matching.
    #[pyo3(signature = (dispute, date, *, recorded = None, idempotency_key = None))]
    fn open_dispute(
        &self,
        py: Python<'_>,
        dispute: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = collections::open_dispute(dispute, date)?;
        self.run(py, command, recorded, idempotency_key)
    }

    /// Resolve a dispute by a credit memo or a write-off (at most one
    /// named), or reinstate the amount when neither is; ``by`` who.
    #[pyo3(
        signature = (dispute, date, by, *, credit_memo = None, write_off = None, reason = None, recorded = None, idempotency_key = None),
        text_signature = "($self, dispute, date, by, *, credit_memo=None, write_off=None, reason='', recorded=None, idempotency_key=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn resolve_dispute(
        &self,
        py: Python<'_>,
        dispute: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        by: &Bound<'_, PyAny>,
        credit_memo: Arg<'_, '_>,
        write_off: Arg<'_, '_>,
        reason: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command =
            collections::resolve_dispute(dispute, date, by, credit_memo, write_off, reason)?;
        self.run(py, command, recorded, idempotency_key)
    }

    /// Record a promise to pay (a dict: ``id``, ``customer``, ``items``,
    /// ``amount``, ``due``, ``grace_days``, ``threshold_percent``,
    /// ``note``) made on ``date``; dunning of its items waits for it.
    #[pyo3(signature = (promise, date, *, recorded = None, idempotency_key = None))]
    fn record_promise(
        &self,
        py: Python<'_>,
        promise: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = collections::record_promise(promise, date)?;
        self.run(py, command, recorded, idempotency_key)
    }

    /// Agree a payment plan (a dict: ``id``, ``customer``, ``items``,
    /// ``instalments`` of ``{"due", "amount"}`` summing exactly to what the
    /// items have open, ``grace_days``) on ``date``.
    #[pyo3(signature = (plan, date, *, recorded = None, idempotency_key = None))]
    fn agree_plan(
        &self,
        py: Python<'_>,
        plan: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = collections::agree_plan(plan, date)?;
        self.run(py, command, recorded, idempotency_key)
    }

    /// Put ``customer`` on a collections hold from ``date`` (no dunning),
    /// or lift it (``hold=False``).
    #[pyo3(
        signature = (customer, hold, date, *, reason = None, recorded = None, idempotency_key = None),
        text_signature = "($self, customer, hold, date, *, reason='', recorded=None, idempotency_key=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn set_collections_hold(
        &self,
        py: Python<'_>,
        customer: &Bound<'_, PyAny>,
        hold: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        reason: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = collections::hold(customer, hold, date, reason)?;
        self.run(py, command, recorded, idempotency_key)
    }

    /// Put ``customer`` on a credit hold from ``date`` (every credit check
    /// blocks), or lift it (``hold=False``); ``reason`` and ``by`` are kept
    /// for the check to show.
    #[pyo3(
        signature = (customer, hold, date, reason, *, by = None, recorded = None, idempotency_key = None),
        text_signature = "($self, customer, hold, date, reason, *, by='', recorded=None, idempotency_key=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn set_credit_hold(
        &self,
        py: Python<'_>,
        customer: &Bound<'_, PyAny>,
        hold: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        reason: &Bound<'_, PyAny>,
        by: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = credit_control::hold(customer, hold, date, reason, by)?;
        self.run(py, command, recorded, idempotency_key)
    }

    /// The dunning run as of ``as_of`` (as known at ``known_at``) by
    /// ``setup``: a dict of the core's ``DunningSetup`` (``policies``,
    /// ``default_policy``, ``dimension``, ``templates``) or one policy
    /// (a dict with ``levels``) for every customer; ``templates`` by id
    /// add to the setup's. Each notice due, and for every customer not
    /// chased, why.
    #[pyo3(
        signature = (setup, as_of, *, templates = None, known_at = None),
        text_signature = "($self, setup, as_of, *, templates=None, known_at=None)"
    )]
    fn dunning_run<'py>(
        &self,
        py: Python<'py>,
        setup: &Bound<'py, PyAny>,
        as_of: &Bound<'py, PyAny>,
        templates: Arg<'_, 'py>,
        known_at: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let setup = collections::setup(setup, templates)?;
        let at = collections::as_of(as_of, known_at)?;
        let run = guard(|| self.read(py).dunning_run(&setup, at.as_of, at.known_at))?;
        collections::out(py, "DunningRun", &run)
    }

    /// Every dispute opened by ``as_of`` (as known at ``known_at``), open
    /// or resolved, in the order opened.
    #[pyo3(signature = (as_of, *, known_at = None))]
    fn disputes<'py>(
        &self,
        py: Python<'py>,
        as_of: &Bound<'py, PyAny>,
        known_at: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let at = collections::as_of(as_of, known_at)?;
        let views = self.read(py).disputes(at.as_of, at.known_at);
        collections::out(py, "DisputeView", &views)
    }

    /// Open disputes counted, summed and aged ``by`` ``"reason"``,
    /// ``"customer"`` or ``"owner"``, per currency.
    #[pyo3(
        signature = (as_of, *, by = None, known_at = None),
        text_signature = "($self, as_of, *, by='reason', known_at=None)"
    )]
    fn dispute_summary<'py>(
        &self,
        py: Python<'py>,
        as_of: &Bound<'py, PyAny>,
        by: Arg<'_, 'py>,
        known_at: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let group = collections::group(by)?;
        let at = collections::as_of(as_of, known_at)?;
        let rows = guard(|| self.read(py).dispute_summary(at.as_of, at.known_at, group))?;
        collections::out(py, "DisputeSummaryRow", &rows)
    }

    /// Every promise made by ``as_of`` (as known at ``known_at``) with
    /// whether it is open, kept or broken; ``broken=True`` for the broken
    /// ones only.
    #[pyo3(
        signature = (as_of, *, broken = None, known_at = None),
        text_signature = "($self, as_of, *, broken=False, known_at=None)"
    )]
    fn promises<'py>(
        &self,
        py: Python<'py>,
        as_of: &Bound<'py, PyAny>,
        broken: Arg<'_, 'py>,
        known_at: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let broken = conv::opt_flag("broken", broken)?;
        let at = collections::as_of(as_of, known_at)?;
        let views = guard(|| {
            let l = self.read(py);
            if broken {
                l.broken_promises(at.as_of, at.known_at)
            } else {
                l.promises(at.as_of, at.known_at)
            }
        })?;
        collections::out(py, "PromiseView", &views)
    }

    /// Every payment plan agreed by ``as_of`` (as known at ``known_at``)
    /// with whether it is current, broken or completed.
    #[pyo3(signature = (as_of, *, known_at = None))]
    fn plans<'py>(
        &self,
        py: Python<'py>,
        as_of: &Bound<'py, PyAny>,
        known_at: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let at = collections::as_of(as_of, known_at)?;
        let views = guard(|| self.read(py).plans(at.as_of, at.known_at))?;
        collections::out(py, "PlanView", &views)
    }

    // ----- queries ------------------------------------------------------------

    /// Every open item: invoice installments with an open amount (in issue
    /// order), then open credit memos, then unapplied cash.
    #[pyo3(signature = (*, as_of = None, known_at = None))]
    fn open_items(
        &self,
        py: Python<'_>,
        as_of: Arg<'_, '_>,
        known_at: Arg<'_, '_>,
    ) -> PyResult<Vec<OpenItem>> {
        let view = conv::view(as_of, known_at)?;
        let items = guard(|| Ok(self.read(py).open_items(&view)))?;
        Ok(items.into_iter().map(OpenItem::from).collect())
    }

    /// Unapplied cash items only.
    #[pyo3(signature = (*, as_of = None, known_at = None))]
    fn unapplied_cash(
        &self,
        py: Python<'_>,
        as_of: Arg<'_, '_>,
        known_at: Arg<'_, '_>,
    ) -> PyResult<Vec<OpenItem>> {
        let view = conv::view(as_of, known_at)?;
        let items = guard(|| Ok(self.read(py).unapplied_cash(&view)))?;
        Ok(items.into_iter().map(OpenItem::from).collect())
    }

    /// Open credit memo items only.
    #[pyo3(signature = (*, as_of = None, known_at = None))]
    fn open_credits(
        &self,
        py: Python<'_>,
        as_of: Arg<'_, '_>,
        known_at: Arg<'_, '_>,
    ) -> PyResult<Vec<OpenItem>> {
        let view = conv::view(as_of, known_at)?;
        let items = guard(|| Ok(self.read(py).open_credits(&view)))?;
        Ok(items.into_iter().map(OpenItem::from).collect())
    }

    /// One row per customer and currency, in customer order (customers with
    /// nothing open get a zero row in their own currency; unidentified payers
    /// last).
    #[pyo3(signature = (*, as_of = None, known_at = None))]
    fn balances(
        &self,
        py: Python<'_>,
        as_of: Arg<'_, '_>,
        known_at: Arg<'_, '_>,
    ) -> PyResult<Vec<Balance>> {
        let view = conv::view(as_of, known_at)?;
        let rows = guard(|| Ok(self.read(py).balances(&view)))?;
        Ok(rows.into_iter().map(Balance::from).collect())
    }

    /// The balance rows of one customer, one per currency (at least its own).
    /// Raises ``NotFoundError`` for an unknown customer.
    #[pyo3(signature = (customer, *, as_of = None, known_at = None))]
    fn customer_balance(
        &self,
        py: Python<'_>,
        customer: &Bound<'_, PyAny>,
        as_of: Arg<'_, '_>,
        known_at: Arg<'_, '_>,
    ) -> PyResult<Vec<Balance>> {
        let customer = conv::id("customer", customer, CustomerId::parse_field)?;
        let view = conv::view(as_of, known_at)?;
        let rows = guard(|| self.read(py).customer_balance(&customer, &view))?;
        Ok(rows.into_iter().map(Balance::from).collect())
    }

    /// An invoice with its status and settlement. Raises ``NotFoundError``
    /// when it is unknown or not yet in the view.
    #[pyo3(signature = (id, *, as_of = None, known_at = None))]
    fn invoice(
        &self,
        py: Python<'_>,
        id: &Bound<'_, PyAny>,
        as_of: Arg<'_, '_>,
        known_at: Arg<'_, '_>,
    ) -> PyResult<InvoiceView> {
        let id = conv::id("id", id, InvoiceId::parse_field)?;
        let view = conv::view(as_of, known_at)?;
        let v = guard(|| self.read(py).invoice(&id, &view))?;
        Ok(InvoiceView::from(v))
    }

    /// How ``amount``, an early-payment discount taken on installment
    /// ``installment`` (from 1) of ``invoice``, splits into net and tax, by
    /// the base of that installment's discount: a ``DiscountSplit``.
    #[pyo3(signature = (invoice, installment, amount))]
    fn discount_split<'py>(
        &self,
        py: Python<'py>,
        invoice: &Bound<'py, PyAny>,
        installment: &Bound<'py, PyAny>,
        amount: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let issued = |id: &InvoiceId| discounts::invoice(&self.read(py), id);
        discounts::discount_split(py, issued, invoice, installment, amount)
    }

    /// A receipt as seen through the view. Raises ``NotFoundError`` when it
    /// is unknown or not yet in the view.
    #[pyo3(signature = (id, *, as_of = None, known_at = None))]
    fn receipt(
        &self,
        py: Python<'_>,
        id: &Bound<'_, PyAny>,
        as_of: Arg<'_, '_>,
        known_at: Arg<'_, '_>,
    ) -> PyResult<SourceView> {
        let source = Source::Receipt(conv::id("id", id, ReceiptId::parse_field)?);
        let view = conv::view(as_of, known_at)?;
        Ok(SourceView::from(guard(|| {
            self.read(py).source(&source, &view)
        })?))
    }

    /// A credit memo as seen through the view. Raises ``NotFoundError`` when
    /// it is unknown or not yet in the view.
    #[pyo3(signature = (id, *, as_of = None, known_at = None))]
    fn credit_memo(
        &self,
        py: Python<'_>,
        id: &Bound<'_, PyAny>,
        as_of: Arg<'_, '_>,
        known_at: Arg<'_, '_>,
    ) -> PyResult<SourceView> {
        let source = Source::CreditMemo(conv::id("id", id, CreditMemoId::parse_field)?);
        let view = conv::view(as_of, known_at)?;
        Ok(SourceView::from(guard(|| {
            self.read(py).source(&source, &view)
        })?))
    }

    /// Applications in the order they were made, each with its allocations
    /// and the date it was unapplied (if within the view).
    #[pyo3(signature = (*, as_of = None, known_at = None))]
    fn applications(
        &self,
        py: Python<'_>,
        as_of: Arg<'_, '_>,
        known_at: Arg<'_, '_>,
    ) -> PyResult<Vec<Application>> {
        let view = conv::view(as_of, known_at)?;
        let ledger = self.read(py);
        guard(|| {
            Ok(ledger
                .applications(&view)
                .into_iter()
                .map(|a| {
                    let currency = ledger
                        .source(&a.source, &View::all())
                        .ok()
                        .map(|s| s.currency);
                    Application::new(a, currency)
                })
                .collect())
        })
    }

    // ----- reports ------------------------------------------------------------

    /// Age the open items as of ``as_of`` (as known at ``known_at``):
    /// invoice installments into ``buckets`` (bounds in days, default
    /// ``[0, 30, 60, 90, 120]``) by days past due (``basis="due_date"``) or
    /// since the invoice date (``"invoice_date"``); open credits and
    /// unapplied cash beside them; grouped by ``group_by`` (``"customer"``,
    /// ``"customer.<key>"``, ``"invoice.<key>"``; empty for the whole book)
    /// and totalled per currency. ``detail=True`` also lists every item.
    #[pyo3(
        signature = (as_of, *, known_at = None, basis = None, buckets = None, group_by = None, detail = None, rates = None, rates_date = None),
        text_signature = "($self, as_of, *, known_at=None, basis='due_date', buckets=None, group_by=['customer'], detail=False, rates=None, rates_date=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn aging(
        &self,
        py: Python<'_>,
        as_of: &Bound<'_, PyAny>,
        known_at: Arg<'_, '_>,
        basis: Arg<'_, '_>,
        buckets: Arg<'_, '_>,
        group_by: Arg<'_, '_>,
        detail: Arg<'_, '_>,
        rates: Arg<'_, '_>,
        rates_date: Arg<'_, '_>,
    ) -> PyResult<AgingReport> {
        let options = aging::options(as_of, known_at, basis, buckets, group_by, detail)?;
        let functional = accounting::functional(rates, rates_date, options.as_of)?;
        let report =
            guard(|| accounting::aging_in(self.read(py).aging(&options)?, functional.as_ref()))?;
        Ok(AgingReport::from(report))
    }

    /// DSO (period-end, average, countback), best possible DSO, average days
    /// delinquent, CEI, turnover, percent current and past due, and payment
    /// timing for the period ``start`` to ``end`` (both included), per
    /// ``group_by`` and currency. ``cei`` is ``"period_sales"`` or
    /// ``"monthly_average"`` (then ``cei_months`` is required);
    /// ``countback_months`` bounds the countback DSO's look-back.
    #[pyo3(
        signature = (start, end, *, known_at = None, group_by = None, cei = None, cei_months = None, countback_months = None, rates = None, rates_date = None),
        text_signature = "($self, start, end, *, known_at=None, group_by=(), cei='period_sales', cei_months=None, countback_months=12, rates=None, rates_date=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn metrics(
        &self,
        py: Python<'_>,
        start: &Bound<'_, PyAny>,
        end: &Bound<'_, PyAny>,
        known_at: Arg<'_, '_>,
        group_by: Arg<'_, '_>,
        cei: Arg<'_, '_>,
        cei_months: Arg<'_, '_>,
        countback_months: Arg<'_, '_>,
        rates: Arg<'_, '_>,
        rates_date: Arg<'_, '_>,
    ) -> PyResult<Vec<MetricsRow>> {
        let options = metrics::options(
            start,
            end,
            known_at,
            group_by,
            cei,
            cei_months,
            countback_months,
        )?;
        let functional = accounting::functional(rates, rates_date, options.period.end)?;
        let rows = guard(|| {
            let ledger = self.read(py);
            match &functional {
                Some((table, date)) => ledger.metrics_in_functional(&options, table, *date),
                None => ledger.metrics(&options),
            }
        })?;
        Ok(rows.into_iter().map(MetricsRow::from).collect())
    }

    /// Roll rates and loss rates from the whole-book bucket totals in
    /// ``currency`` at each of ``period_ends`` (oldest first, at least two;
    /// as known at ``known_at``), aged by due date into ``buckets``;
    /// ``final_loss`` is the percent of the last bucket never collected.
    #[pyo3(
        signature = (period_ends, currency, *, buckets = None, final_loss = None, known_at = None),
        text_signature = "($self, period_ends, currency, *, buckets=None, final_loss=100, known_at=None)"
    )]
    fn roll_rates<'py>(
        &self,
        py: Python<'py>,
        period_ends: &Bound<'py, PyAny>,
        currency: &Bound<'py, PyAny>,
        buckets: Arg<'_, 'py>,
        final_loss: Arg<'_, 'py>,
        known_at: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        provision::from_ledger(
            |ends, buckets, currency, known_at| {
                self.read(py)
                    .bucket_history(ends, buckets, currency, known_at)
            },
            period_ends,
            currency,
            buckets,
            final_loss,
            known_at,
        )
    }

    // ----- accounting -----------------------------------------------------------

    /// Record the bad-debt allowance required in ``currency`` on ``date``
    /// (zero or more, such as a provision's total): the journal books its
    /// change since the last booking.
    #[pyo3(signature = (date, currency, amount, reason = None, *, recorded = None, idempotency_key = None))]
    #[allow(clippy::too_many_arguments)]
    fn book_allowance(
        &self,
        py: Python<'_>,
        date: &Bound<'_, PyAny>,
        currency: &Bound<'_, PyAny>,
        amount: &Bound<'_, PyAny>,
        reason: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let args = [Some(date), Some(currency), Some(amount), reason];
        let command = accounting::book_allowance(py, args)?;
        self.run(py, command, recorded, idempotency_key)
    }

    /// Revalue open foreign-currency items on ``date`` at closing ``rates``
    /// (a list of ``{"currency": ..., "rate": Decimal}``, functional units
    /// per unit): the journal books the unrealized difference and reverses
    /// it the next day.
    #[pyo3(signature = (date, rates, *, recorded = None, idempotency_key = None))]
    fn revalue(
        &self,
        py: Python<'_>,
        date: &Bound<'_, PyAny>,
        rates: &Bound<'_, PyAny>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = accounting::revalue(py, Some(date), Some(rates))?;
        self.run(py, command, recorded, idempotency_key)
    }

    /// Close every period up to ``up_to``, recording the digest of its
    /// figures (``period_digest``). Afterwards a command dated on or before
    /// it raises ``StateError`` (``period_closed``), or, with ``policy=
    /// "move_to_open_day"``, a settlement is dated on the first open day.
    #[pyo3(signature = (up_to, policy = None, *, recorded = None, idempotency_key = None))]
    fn close_period(
        &self,
        py: Python<'_>,
        up_to: &Bound<'_, PyAny>,
        policy: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let (up_to, policy) = accounting::close(py, Some(up_to), policy)?;
        let meta = conv::meta(recorded, idempotency_key)?;
        self.mutate(py, |l| {
            let out = l.close_period(up_to, policy, &meta.resolve(last(l))?)?;
            outcome(l, &out)
        })
    }

    /// Reopen closed periods from ``from_`` on, or all of them; recorded
    /// with its ``reason``.
    #[pyo3(signature = (reason, *, from_ = None, recorded = None, idempotency_key = None))]
    fn reopen_period(
        &self,
        py: Python<'_>,
        reason: &Bound<'_, PyAny>,
        from_: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Outcome> {
        let command = accounting::reopen(py, Some(reason), from_)?;
        self.run(py, command, recorded, idempotency_key)
    }

    /// SHA-256 (64 hex digits) of every open item as of ``up_to`` as known
    /// at ``known_at``: what ``close_period`` records, to be recomputed
    /// with the close's ``recorded`` time to show the closed figures stand.
    #[pyo3(signature = (up_to, *, known_at = None))]
    fn period_digest(
        &self,
        py: Python<'_>,
        up_to: &Bound<'_, PyAny>,
        known_at: Arg<'_, '_>,
    ) -> PyResult<String> {
        let (up_to, known_at) = accounting::digest_args(py, Some(up_to), known_at)?;
        guard(|| Ok(self.read(py).period_digest(up_to, known_at)))
    }

    /// The journal entries derived from the log by ``options`` (a
    /// ``JournalOptionsDict``, or the same as JSON text: ``rules`` for the
    /// chart of accounts, ``rates`` for a functional currency), cut by the
    /// view: a ``Journal``. Raises ``ValidationError`` (``missing_rate``)
    /// for a document whose currency has no rate on its date.
    #[pyo3(signature = (options = None, *, as_of = None, known_at = None))]
    fn journal<'py>(
        &self,
        py: Python<'py>,
        options: Arg<'_, 'py>,
        as_of: Arg<'_, 'py>,
        known_at: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = accounting::options(options)?;
        let view = conv::view(as_of, known_at)?;
        let journal = guard(|| self.read(py).journal(&options, &view))?;
        records::to_py(py, "Journal", &journal)
    }

    /// Debits, credits and balance per account and currency of
    /// ``journal(options, ...)``: a list of ``TrialBalanceRow``.
    #[pyo3(signature = (options = None, *, as_of = None, known_at = None))]
    fn trial_balance<'py>(
        &self,
        py: Python<'py>,
        options: Arg<'_, 'py>,
        as_of: Arg<'_, 'py>,
        known_at: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = accounting::options(options)?;
        let view = conv::view(as_of, known_at)?;
        let rows = guard(|| self.read(py).trial_balance(&options, &view))?;
        records::to_py(py, "TrialBalanceRow", &rows)
    }

    /// The journal against the general ledger's ``gl_lines`` (each a
    /// ``GlLineDict``: ``account``, ``currency``, ``date``, ``amount``
    /// debit positive, optional ``document``) by the cut-off ``as_of``
    /// (every line without one): per account and currency the difference
    /// and the documents behind it, a list of ``ReconcileRow``.
    #[pyo3(signature = (gl_lines, options = None, *, as_of = None, known_at = None))]
    fn reconcile_gl<'py>(
        &self,
        py: Python<'py>,
        gl_lines: &Bound<'py, PyAny>,
        options: Arg<'_, 'py>,
        as_of: Arg<'_, 'py>,
        known_at: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let lines = accounting::gl_lines(py, gl_lines)?;
        let options = accounting::options(options)?;
        let view = conv::view(as_of, known_at)?;
        let rows = guard(|| self.read(py).reconcile_gl(&options, &lines, &view))?;
        records::to_py(py, "ReconcileRow", &rows)
    }

    /// The statement of account of ``customer`` for the period ``start`` to
    /// ``end`` (both included; as known at ``known_at``): per currency, the
    /// balance brought forward, every movement with the running balance,
    /// the closing balance, the items open at ``end`` and their aging into
    /// ``buckets`` (bounds in days, default ``[0, 30, 60, 90, 120]``).
    #[pyo3(
        signature = (customer, start, end, *, known_at = None, buckets = None),
        text_signature = "($self, customer, start, end, *, known_at=None, buckets=None)"
    )]
    fn statement<'py>(
        &self,
        py: Python<'py>,
        customer: &Bound<'py, PyAny>,
        start: &Bound<'py, PyAny>,
        end: &Bound<'py, PyAny>,
        known_at: Arg<'_, 'py>,
        buckets: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let customer = statement::customer(customer)?;
        let options = statement::options(start, end, known_at, buckets)?;
        let s = guard(|| self.read(py).statement(&customer, &options))?;
        statement::out(py, &s)
    }

    /// The statements of every customer with anything to show for the
    /// period (a balance brought forward, a movement or an open item), in
    /// customer order; arguments as ``statement``.
    #[pyo3(
        signature = (start, end, *, known_at = None, buckets = None),
        text_signature = "($self, start, end, *, known_at=None, buckets=None)"
    )]
    fn statements<'py>(
        &self,
        py: Python<'py>,
        start: &Bound<'py, PyAny>,
        end: &Bound<'py, PyAny>,
        known_at: Arg<'_, 'py>,
        buckets: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = statement::options(start, end, known_at, buckets)?;
        let all = guard(|| self.read(py).statements(&options))?;
        statement::out_all(py, &all)
    }

    /// The statements of ``customers`` (default: every customer with
    /// anything to show) for ``start`` to ``end``, rendered as one
    /// document: ``format="html"`` (a print stylesheet for A4 and Letter,
    /// a page per customer) or ``"text"``, through the bundled template or
    /// the caller's ``template`` (Jinja syntax; context ``company`` and
    /// ``statements``). ``company`` is ``{"name": ..., "address": [...]}``.
    #[pyo3(
        signature = (start, end, *, company, format = None, template = None, customers = None, known_at = None, buckets = None),
        text_signature = "($self, start, end, *, company, format='html', template=None, customers=None, known_at=None, buckets=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn render_statements(
        &self,
        py: Python<'_>,
        start: &Bound<'_, PyAny>,
        end: &Bound<'_, PyAny>,
        company: &Bound<'_, PyAny>,
        format: Arg<'_, '_>,
        template: Arg<'_, '_>,
        customers: Arg<'_, '_>,
        known_at: Arg<'_, '_>,
        buckets: Arg<'_, '_>,
    ) -> PyResult<String> {
        let options = statement::options(start, end, known_at, buckets)?;
        let r = statement::render_args(py, company, format, template, customers)?;
        guard(|| {
            let ledger = self.read(py);
            let all = match &r.customers {
                Some(ids) => ledger.statements_for(ids, &options)?,
                None => ledger.statements(&options)?,
            };
            ar_core::statement::render_statements(r.name, &r.template, &all, &r.company)
        })
    }

    /// The cash expected from the items open at ``as_of`` (as known at
    /// ``known_at``): each expected its customer's average days late,
    /// shrunk toward the book's by ``shrinkage`` paid installments;
    /// disputed items left out unless ``disputed_probability`` (0 to 1)
    /// says what share of them to expect. Totals per day, week and month.
    #[pyo3(
        signature = (as_of, *, known_at = None, shrinkage = None, disputed_probability = None),
        text_signature = "($self, as_of, *, known_at=None, shrinkage=5, disputed_probability=None)"
    )]
    fn forecast<'py>(
        &self,
        py: Python<'py>,
        as_of: &Bound<'py, PyAny>,
        known_at: Arg<'_, 'py>,
        shrinkage: Arg<'_, 'py>,
        disputed_probability: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = forecast::options(as_of, known_at, shrinkage, disputed_probability)?;
        let f = guard(|| self.read(py).forecast(&options))?;
        records::to_py(py, "Forecast", &f)
    }

    /// The forecast as of a past ``as_of`` against what was received on its
    /// items in each of the ``weeks`` after it, beside two naive forecasts
    /// (paid on the due date; paid the book's average delay after it): per
    /// week and currency, and the mean absolute error and bias of each.
    #[pyo3(
        signature = (as_of, weeks, *, known_at = None, shrinkage = None, disputed_probability = None),
        text_signature = "($self, as_of, weeks, *, known_at=None, shrinkage=5, disputed_probability=None)"
    )]
    fn forecast_backtest<'py>(
        &self,
        py: Python<'py>,
        as_of: &Bound<'py, PyAny>,
        weeks: &Bound<'py, PyAny>,
        known_at: Arg<'_, 'py>,
        shrinkage: Arg<'_, 'py>,
        disputed_probability: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = forecast::options(as_of, known_at, shrinkage, disputed_probability)?;
        let weeks = forecast::weeks(weeks)?;
        let t = guard(|| self.read(py).forecast_backtest(&options, weeks))?;
        records::to_py(py, "Backtest", &t)
    }

    // ----- credit control and the worklist ---------------------------------

    /// Whether ``customer`` may take ``amount`` more on credit as of
    /// ``as_of`` (as known at ``known_at``), with ``orders`` already
    /// accepted but not invoiced: ``allow``, ``warn`` or ``block``, and
    /// every reason. ``policy`` is a dict of the core's ``CreditPolicy``
    /// (``warn_at_percent``, ``past_due_days``, ``past_due``,
    /// ``broken_promise``); left out, its defaults.
    #[pyo3(
        signature = (customer, amount, as_of, *, orders = None, policy = None, known_at = None),
        text_signature = "($self, customer, amount, as_of, *, orders=None, policy=None, known_at=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn credit_check<'py>(
        &self,
        py: Python<'py>,
        customer: &Bound<'py, PyAny>,
        amount: &Bound<'py, PyAny>,
        as_of: &Bound<'py, PyAny>,
        orders: Arg<'_, 'py>,
        policy: Arg<'_, 'py>,
        known_at: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let c = credit_control::check(customer, amount, as_of, orders, policy, known_at)?;
        let check = guard(|| {
            self.read(py)
                .credit_check(&c.customer, c.amount, &c.options)
        })?;
        records::to_py(py, "CreditCheck", &check)
    }

    /// The customers worth a call as of ``as_of`` (as known at
    /// ``known_at``), best first, each with its score and why; those with
    /// something open left off, and why. ``currency`` and ``dimension``
    /// (a ``(key, value)`` pair of the customer's dimensions) narrow it.
    #[pyo3(
        signature = (as_of, *, known_at = None, currency = None, dimension = None),
        text_signature = "($self, as_of, *, known_at=None, currency=None, dimension=None)"
    )]
    fn worklist<'py>(
        &self,
        py: Python<'py>,
        as_of: &Bound<'py, PyAny>,
        known_at: Arg<'_, 'py>,
        currency: Arg<'_, 'py>,
        dimension: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = worklist::options(as_of, known_at, currency, dimension)?;
        let w = guard(|| self.read(py).worklist(&options))?;
        records::to_py(py, "Worklist", &w)
    }

    // ----- cash application ---------------------------------------------------

    /// Open invoice installments and open credit memos through the view, as
    /// the matcher reads them: a list of ``MatchItemDict`` (every key
    /// present), with the early-payment discount each still offers, the
    /// purchase-order number and the dispute flag.
    #[pyo3(signature = (*, as_of = None, known_at = None))]
    fn match_items<'py>(
        &self,
        py: Python<'py>,
        as_of: Arg<'_, '_>,
        known_at: Arg<'_, '_>,
    ) -> PyResult<Bound<'py, PyList>> {
        let view = conv::view(as_of, known_at)?;
        let items = guard(|| Ok(self.read(py).match_items(&view)))?;
        matching::items_dicts(py, &items)
    }

    /// What a ``Matcher`` built from ``match_items()`` when the ledger had
    /// ``since`` events (``len(ledger)`` then) needs to stand as the books
    /// do now: ``{"items": [MatchItemDict], "closed": [MatchItemKeyDict],
    /// "through": int}``, the open items of the invoices and credit memos
    /// the events since touched, the keys of their installments no longer
    /// open, and the log's length to pass next time. Give ``items`` and
    /// ``closed`` to ``Matcher.sync``. Costs what the events since cost.
    /// Raises ``ValidationError`` for ``since`` past the end of the log.
    #[pyo3(signature = (since, *, as_of = None, known_at = None))]
    fn match_changes<'py>(
        &self,
        py: Python<'py>,
        since: &Bound<'_, PyAny>,
        as_of: Arg<'_, '_>,
        known_at: Arg<'_, '_>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let since = usize::try_from(conv::count("since", since)?).unwrap_or(usize::MAX);
        let view = conv::view(as_of, known_at)?;
        let changes = guard(|| self.read(py).match_changes(since, &view))?;
        let out = PyDict::new(py);
        out.set_item("items", matching::items_dicts(py, &changes.items)?)?;
        out.set_item("closed", matching::keys_dicts(py, &changes.closed)?)?;
        out.set_item("through", changes.through)?;
        Ok(out)
    }

    /// Receipts with unapplied cash through the view, as the matcher reads
    /// them: a list of ``MatchReceiptDict`` with the unapplied amount, the
    /// payer if known, the remittance, and the bank reference as
    /// ``account``.
    #[pyo3(signature = (*, as_of = None, known_at = None))]
    fn match_receipt_inputs<'py>(
        &self,
        py: Python<'py>,
        as_of: Arg<'_, '_>,
        known_at: Arg<'_, '_>,
    ) -> PyResult<Bound<'py, PyList>> {
        let view = conv::view(as_of, known_at)?;
        let receipts = guard(|| Ok(self.read(py).match_receipt_inputs(&view)))?;
        matching::receipts_dicts(py, &receipts)
    }

    /// Customers as the matcher identifies unnamed payers: a list of
    /// ``MatchCustomerDict`` with their names and the bank references of
    /// receipts they have paid before as ``accounts``.
    #[pyo3(signature = (*, as_of = None, known_at = None))]
    fn match_customers<'py>(
        &self,
        py: Python<'py>,
        as_of: Arg<'_, '_>,
        known_at: Arg<'_, '_>,
    ) -> PyResult<Bound<'py, PyList>> {
        let view = conv::view(as_of, known_at)?;
        let customers = guard(|| Ok(self.read(py).match_customers(&view)))?;
        matching::customers_dicts(py, &customers)
    }

    /// Match every receipt with unapplied cash against the open items, both
    /// through the view, as one batch (see ``ar.Matcher.match_batch``).
    /// Nothing is applied: carry a proposal out with ``apply_match``.
    /// Options as for ``ar.match_receipts``.
    #[pyo3(
        signature = (*, as_of = None, known_at = None, options = None, auto_threshold = None, tolerance = None, tolerance_evidence = None, partial_payments = None, fuzzy = None, max_combination = None, max_search_items = None, max_search_steps = None, max_proposals = None, max_remittance_bytes = None),
        text_signature = "($self, *, as_of=None, known_at=None, options=None, auto_threshold=85, tolerance=None, tolerance_evidence='reference', partial_payments='review', fuzzy=True, max_combination=6, max_search_items=40, max_search_steps=50000, max_proposals=10, max_remittance_bytes=4096)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn match_receipts(
        &self,
        py: Python<'_>,
        as_of: Arg<'_, '_>,
        known_at: Arg<'_, '_>,
        options: Arg<'_, '_>,
        auto_threshold: Arg<'_, '_>,
        tolerance: Arg<'_, '_>,
        tolerance_evidence: Arg<'_, '_>,
        partial_payments: Arg<'_, '_>,
        fuzzy: Arg<'_, '_>,
        max_combination: Arg<'_, '_>,
        max_search_items: Arg<'_, '_>,
        max_search_steps: Arg<'_, '_>,
        max_proposals: Arg<'_, '_>,
        max_remittance_bytes: Arg<'_, '_>,
    ) -> PyResult<MatchBatch> {
        let view = conv::view(as_of, known_at)?;
        let options = matching::options(&OptionArgs {
            options,
            auto_threshold,
            tolerance,
            tolerance_evidence,
            partial_payments,
            fuzzy,
            max_combination,
            max_search_items,
            max_search_steps,
            max_proposals,
            max_remittance_bytes,
        })?;
        let batch = {
            let ledger = self.read(py);
            let ledger = &*ledger;
            py.detach(|| catch(|| ledger.match_receipts(&view, &options)))
        }
        .map_err(|e| to_py(&e))?;
        matching::batch(py, batch)
    }

    /// Proposals for one receipt's unapplied cash against the open items
    /// through the view. Raises ``NotFoundError`` when the receipt has no
    /// unapplied cash in the view (or does not exist).
    #[pyo3(
        signature = (receipt, *, as_of = None, known_at = None, options = None, auto_threshold = None, tolerance = None, tolerance_evidence = None, partial_payments = None, fuzzy = None, max_combination = None, max_search_items = None, max_search_steps = None, max_proposals = None, max_remittance_bytes = None),
        text_signature = "($self, receipt, *, as_of=None, known_at=None, options=None, auto_threshold=85, tolerance=None, tolerance_evidence='reference', partial_payments='review', fuzzy=True, max_combination=6, max_search_items=40, max_search_steps=50000, max_proposals=10, max_remittance_bytes=4096)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn match_receipt(
        &self,
        py: Python<'_>,
        receipt: &Bound<'_, PyAny>,
        as_of: Arg<'_, '_>,
        known_at: Arg<'_, '_>,
        options: Arg<'_, '_>,
        auto_threshold: Arg<'_, '_>,
        tolerance: Arg<'_, '_>,
        tolerance_evidence: Arg<'_, '_>,
        partial_payments: Arg<'_, '_>,
        fuzzy: Arg<'_, '_>,
        max_combination: Arg<'_, '_>,
        max_search_items: Arg<'_, '_>,
        max_search_steps: Arg<'_, '_>,
        max_proposals: Arg<'_, '_>,
        max_remittance_bytes: Arg<'_, '_>,
    ) -> PyResult<ReceiptMatch> {
        let receipt = conv::id("receipt", receipt, ReceiptId::parse_field)?;
        let view = conv::view(as_of, known_at)?;
        let options = matching::options(&OptionArgs {
            options,
            auto_threshold,
            tolerance,
            tolerance_evidence,
            partial_payments,
            fuzzy,
            max_combination,
            max_search_items,
            max_search_steps,
            max_proposals,
            max_remittance_bytes,
        })?;
        let m = {
            let ledger = self.read(py);
            let ledger = &*ledger;
            py.detach(|| catch(|| ledger.match_receipt(&receipt, &view, &options)))
        }
        .map_err(|e| to_py(&e))?;
        Ok(ReceiptMatch::from(m))
    }

    /// Carry out proposal ``proposal`` (default 0, the best) of ``match`` (a
    /// ``ReceiptMatch``): its ``commands(proposal)`` run together through
    /// ``execute_all_json``, all or nothing. A proposal that no longer fits the
    /// books (the cash or the invoices moved since it was made) is refused
    /// whole and the ledger is unchanged. Returns one ``Outcome`` per
    /// command.
    #[pyo3(
        signature = (r#match, proposal = None, *, recorded = None, idempotency_key = None),
        text_signature = "($self, match, proposal=0, *, recorded=None, idempotency_key=None)"
    )]
    fn apply_match(
        &self,
        py: Python<'_>,
        r#match: &Bound<'_, PyAny>,
        proposal: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Vec<Outcome>> {
        let m = matching::receipt_match("match", r#match)?;
        let index = matching::proposal_index(proposal)?;
        let meta = conv::meta(recorded, idempotency_key)?;
        let m = m.get().core();
        self.mutate(py, |l| {
            let out = l.apply_match(m, index, &meta.resolve(last(l))?)?;
            out.iter().map(|o| outcome(l, o)).collect()
        })
    }

    /// Record the receipts of a bank file (``statement``, a
    /// ``BankStatement``, or a list of its ``BankReceipt``s) as receipts of
    /// this ledger, all or none: the ``n``-th (from 1, in the order given)
    /// with id ``f"{id_prefix}{n}"``, of ``customer`` (default: unknown, for
    /// the matcher to find), its remittance the file's text followed by its
    /// structured references. Recording the same file again with the same
    /// prefix is refused (``duplicate_id``). Returns one ``Outcome`` per
    /// receipt.
    #[pyo3(signature = (statement, *, id_prefix, customer = None, recorded = None, idempotency_key = None))]
    fn record_bank_receipts(
        &self,
        py: Python<'_>,
        statement: &Bound<'_, PyAny>,
        id_prefix: &Bound<'_, PyAny>,
        customer: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Vec<Outcome>> {
        let commands = bank::record_commands(statement, id_prefix, customer)?;
        let meta = conv::meta(recorded, idempotency_key)?;
        self.mutate(py, |l| {
            let out = l.execute_all(commands, &meta.resolve(last(l))?)?;
            out.iter().map(|o| outcome(l, o)).collect()
        })
    }

    /// Reconcile a bank file's credits (``statement``, a ``BankStatement``,
    /// or a list of its ``BankReceipt``s) with the receipts recorded in this
    /// ledger as seen through the view: pairs by amount and currency within
    /// the date window (a receipt dated up to ``days_before`` days before
    /// the bank's booking date, or ``days_after`` after), a matching
    /// reference first, then the closest dates; the credits only in the
    /// bank, and the receipts only in the books dated in the period
    /// ``start`` to ``end`` (by default the statement's first to last
    /// credit). A ``BankReconciliation``.
    #[pyo3(signature = (statement, *, days_before = None, days_after = None, start = None, end = None, as_of = None, known_at = None))]
    #[allow(clippy::too_many_arguments)] // Python keyword arguments
    fn reconcile_bank<'py>(
        &self,
        py: Python<'py>,
        statement: &Bound<'py, PyAny>,
        days_before: Arg<'_, 'py>,
        days_after: Arg<'_, 'py>,
        start: Arg<'_, 'py>,
        end: Arg<'_, 'py>,
        as_of: Arg<'_, 'py>,
        known_at: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (bank, options) =
            formats::reconcile_args(statement, [days_before, days_after, start, end])?;
        let view = conv::view(as_of, known_at)?;
        formats::reconcile_bank(py, &self.read(py), &bank, &options, &view)
    }

    /// The ledger's invoices as seen through the view (not voided, not
    /// drafts), a row per line, as CSV text in the ``layout`` of QuickBooks
    /// Online's invoice import (``"quickbooks"``) or Xero's sales invoice
    /// template (``"xero"``): each line net of tax with its tax beside it.
    /// ``date_format`` in ``strftime`` notation (default ``"%m/%d/%Y"``,
    /// Xero ``"%d/%m/%Y"``); Xero's ``account_code`` (``"200"``) and
    /// ``no_tax`` tax type (``"Tax Exempt"``).
    #[pyo3(signature = (layout, *, date_format = None, account_code = None, no_tax = None, as_of = None, known_at = None))]
    #[allow(clippy::too_many_arguments)] // Python keyword arguments
    fn export_invoices(
        &self,
        py: Python<'_>,
        layout: &Bound<'_, PyAny>,
        date_format: Arg<'_, '_>,
        account_code: Arg<'_, '_>,
        no_tax: Arg<'_, '_>,
        as_of: Arg<'_, '_>,
        known_at: Arg<'_, '_>,
    ) -> PyResult<String> {
        let (layout, options) =
            formats::export_args(py, [Some(layout), date_format, account_code, no_tax])?;
        let view = conv::view(as_of, known_at)?;
        let l = self.read(py);
        formats::csv_text(ar_formats::systems::export_invoices(
            &l, &view, layout, &options,
        ))
    }

    /// The ledger's receipts as seen through the view, as CSV text in the
    /// QuickBooks or Xero payments layout: a row per invoice each receipt
    /// was applied to, and one for what is left unapplied. Arguments as for
    /// ``export_invoices``.
    #[pyo3(signature = (layout, *, date_format = None, account_code = None, no_tax = None, as_of = None, known_at = None))]
    #[allow(clippy::too_many_arguments)] // Python keyword arguments
    fn export_payments(
        &self,
        py: Python<'_>,
        layout: &Bound<'_, PyAny>,
        date_format: Arg<'_, '_>,
        account_code: Arg<'_, '_>,
        no_tax: Arg<'_, '_>,
        as_of: Arg<'_, '_>,
        known_at: Arg<'_, '_>,
    ) -> PyResult<String> {
        let (layout, options) =
            formats::export_args(py, [Some(layout), date_format, account_code, no_tax])?;
        let view = conv::view(as_of, known_at)?;
        let l = self.read(py);
        formats::csv_text(ar_formats::systems::export_payments(
            &l, &view, layout, &options,
        ))
    }

    /// Execute ``commands_json`` (each a command as the core's serde JSON,
    /// as ``execute_json`` reads it and ``ReceiptMatch.commands`` gives it)
    /// in order as one unit: all of them, or, when one is rejected, none
    /// (the ledger is restored and the error raised). With an
    /// ``idempotency_key``, command ``i`` runs under ``"{key}#{i}"``.
    #[pyo3(signature = (commands_json, *, recorded = None, idempotency_key = None))]
    fn execute_all_json(
        &self,
        py: Python<'_>,
        commands_json: &Bound<'_, PyAny>,
        recorded: Arg<'_, '_>,
        idempotency_key: Arg<'_, '_>,
    ) -> PyResult<Vec<Outcome>> {
        let commands = matching::commands("commands_json", commands_json)?;
        let meta = conv::meta(recorded, idempotency_key)?;
        self.mutate(py, |l| {
            let out = l.execute_all(commands, &meta.resolve(last(l))?)?;
            out.iter().map(|o| outcome(l, o)).collect()
        })
    }

    /// Every event of the log, in order.
    fn events(&self, py: Python<'_>) -> PyResult<Vec<Event>> {
        let ledger = self.read(py);
        guard(|| events_of(&ledger, ledger.events()))
    }

    /// The log as versioned JSON (``{"version": 2, "events": [...]}``, each
    /// event with its ``hash`` in the log's chain); feed it to
    /// ``Ledger.from_json`` to rebuild an identical ledger.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        guard(|| self.read(py).to_json())
    }

    /// The log from event ``start`` on, one line of JSON per event with its
    /// ``hash``: store each as a row (e.g. keyed by its ``seq``) and rebuild
    /// with ``append_log_line``, row by row.
    #[pyo3(signature = (start = None), text_signature = "($self, start=0)")]
    fn log_lines(&self, py: Python<'_>, start: Arg<'_, '_>) -> PyResult<Vec<String>> {
        let from = match conv::given(start) {
            Some(s) => conv::count("start", s)?,
            None => 0,
        };
        let from = usize::try_from(from).unwrap_or(usize::MAX);
        guard(|| self.read(py).log_lines(from))
    }

    /// Appends one line of ``log_lines``: its hash must follow from the
    /// event and the events before it, and the event is checked as the
    /// command that made it would be. Raises ``LogError``
    /// (``corrupt_log``) or the command's error; the ledger is unchanged
    /// then.
    #[pyo3(signature = (line))]
    fn append_log_line(&self, py: Python<'_>, line: &Bound<'_, PyAny>) -> PyResult<()> {
        let text = conv::text("line", line)?;
        self.mutate(py, |l| l.append_log_line(&text))
    }

    /// The head of the log's hash chain: 64 hex digits, the hash of the last
    /// event, which covers every event before it (64 zeros for an empty
    /// ledger). Store it beside the events: a log that reads back with
    /// another head was changed.
    #[getter]
    fn chain_head(&self, py: Python<'_>) -> PyResult<String> {
        guard(|| self.read(py).chain_head().map(|h| h.to_string()))
    }

    /// The ledger in one piece (``bytes``): the log as its hash chain covers
    /// it behind a header naming the format, the number of events and the
    /// chain's head. Store it beside the log lines; ``Ledger.restore`` reads
    /// it back faster than ``from_json`` reads the log.
    fn snapshot<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        let ledger = self.read(py);
        let bytes = py
            .detach(|| catch(|| ledger.snapshot()))
            .map_err(|e| to_py(&e))?;
        Ok(pyo3::types::PyBytes::new(py, &bytes))
    }

    /// What a snapshot's header says (``SnapshotInfo``), without restoring
    /// it: ``events`` is where the log's tail starts. Raises ``LogError``
    /// (``corrupt_log`` for bytes that are not a snapshot,
    /// ``unsupported_log_version``).
    #[staticmethod]
    #[pyo3(signature = (snapshot))]
    fn snapshot_info(snapshot: &Bound<'_, PyAny>) -> PyResult<SnapshotInfo> {
        let bytes = snapshot_bytes(snapshot)?;
        let info = guard(|| ar_core::Ledger::snapshot_info(bytes.as_bytes()))?;
        Ok(SnapshotInfo {
            version: info.version,
            log_version: info.log_version,
            events: info.events,
            chain_head: info.chain_head.to_string(),
        })
    }

    /// The ledger a ``snapshot`` was taken of, then ``tail``: the log lines
    /// written after it (``log_lines(start)`` from the snapshot's
    /// ``events`` on), each checked as ``append_log_line`` checks it. Equal
    /// to the ledger ``from_json`` reads from the whole log. The snapshot's
    /// events are hashed as they are read and must reach the head its
    /// header gives (a snapshot damaged or edited anywhere is refused); they
    /// are folded without being decided again. Raises ``LogError``
    /// (``corrupt_log`` naming the event or line, ``unsupported_log_version``)
    /// or a tail line's command error; ``ArTypeError`` for a snapshot that
    /// is not ``bytes`` or a tail that is not a sequence of ``str``.
    /// ``progress`` is as for ``from_json``: called with ``(done, total)``
    /// events every 65,536 events and at the end; an exception it raises,
    /// or Ctrl-C, stops the restore.
    #[classmethod]
    #[pyo3(
        signature = (snapshot, tail = None, *, progress = None),
        text_signature = "(snapshot, tail=(), *, progress=None)"
    )]
    fn restore(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        snapshot: &Bound<'_, PyAny>,
        tail: Arg<'_, '_>,
        progress: Arg<'_, '_>,
    ) -> PyResult<Self> {
        let bytes = snapshot_bytes(snapshot)?;
        let lines = match given(tail) {
            None => Vec::new(),
            Some(t) => conv::items("tail", "a sequence of str", t)?
                .iter()
                .enumerate()
                .map(|(i, line)| conv::text(&format!("tail[{i}]"), line))
                .collect::<PyResult<Vec<String>>>()?,
        };
        let data = bytes.as_bytes();
        let mut reporter = crate::progress::Reporter::new(progress)?;
        let restored = py.detach(|| {
            let tail: Vec<&str> = lines.iter().map(String::as_str).collect();
            catch(|| {
                ar_core::Ledger::restore_with_progress(data, &tail, &mut |p| reporter.observe(p))
            })
        });
        Ok(Ledger::wrap(reporter.finish(restored)?))
    }

    /// Rebuild a ledger from ``to_json`` output, each event checked as the
    /// command that made it would be and against its hash. Raises
    /// ``LogError`` (``corrupt_log`` naming the event,
    /// ``unsupported_log_version``). ``progress``, a callable, is called
    /// with ``(done, total)`` events every 65,536 events and at the end (to
    /// drive a ``tqdm`` bar); an exception it raises stops the reading and
    /// is raised here, as is ``KeyboardInterrupt`` (Ctrl-C is honoured
    /// whether or not ``progress`` is given).
    #[classmethod]
    #[pyo3(signature = (json, *, progress = None))]
    fn from_json(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        json: &Bound<'_, PyAny>,
        progress: Arg<'_, '_>,
    ) -> PyResult<Self> {
        let text = conv::text("json", json)?;
        let mut reporter = crate::progress::Reporter::new(progress)?;
        let read = py.detach(|| {
            catch(|| ar_core::Ledger::from_json_with_progress(&text, &mut |p| reporter.observe(p)))
        });
        Ok(Ledger::wrap(reporter.finish(read)?))
    }

    /// A ledger built from a book's history given as tables (each a
    /// ``pandas.DataFrame`` or a ``pyarrow.Table``, read through its Arrow
    /// buffers as ``ar.Book`` reads its own): every row is executed as the
    /// command it stands for, by the same rules, in this order of tables:
    ///
    /// - ``customers`` (``register_customer``): ``id``, optional ``name``
    ///   (default: the id), ``currency``, ``terms`` (text such as
    ///   ``"2/10 net 30"``; default terms when null) and the columns named in
    ///   ``customer_dimensions``;
    /// - ``invoices`` (``import_invoice`` with the whole total open):
    ///   ``id``, ``customer``, ``date``, ``due_date``, ``amount`` (the
    ///   total), optional ``currency``, and the columns named in
    ///   ``dimensions``, kept on the invoice;
    /// - ``credit_memos`` (``issue_credit_memo`` for an amount): ``id``,
    ///   ``customer``, ``date``, ``amount``, optional ``currency`` and
    ///   ``against`` (the invoice credited);
    /// - ``receipts`` (``record_receipt``): ``id``, ``customer`` (null or
    ///   ``""`` for a payer not yet identified), ``date``, ``amount``,
    ///   optional ``currency``, ``remittance``, ``reference``, ``method``,
    ///   ``payer_name`` and ``payer_account`` (null is none), which the
    ///   matcher reads;
    /// - ``applications`` (``apply``): ``receipt`` or ``credit_memo``
    ///   (exactly one per row; either column may be absent), ``invoice``,
    ///   ``date``, ``amount``, optional ``discount``.
    ///
    /// ``currency`` applies to a table without a ``currency`` column and to
    /// its null cells. Amounts are exact (``decimal128``, ``Decimal``,
    /// ``int`` or decimal text; a float column is ``ArTypeError``). Every
    /// event is recorded at ``recorded`` (a timezone-aware datetime,
    /// default now). The first bad row raises its error, naming the table,
    /// column and row (``applications.amount[2]``; for a DataFrame whose
    /// index is not the default one, also the row's index ``label``), and
    /// no ledger is made.
    ///
    /// ``progress``, a callable, is called with ``(done, total)`` rows
    /// every 65,536 rows and at the end (to drive a ``tqdm`` bar); an
    /// exception it raises stops the build and is raised here, as is
    /// ``KeyboardInterrupt`` (Ctrl-C is honoured whether or not
    /// ``progress`` is given).
    #[classmethod]
    #[pyo3(
        signature = (customers, invoices, *, receipts = None, applications = None, credit_memos = None, currency = None, dimensions = None, customer_dimensions = None, recorded = None, progress = None),
        text_signature = "($cls, customers, invoices, *, receipts=None, applications=None, credit_memos=None, currency=None, dimensions=(), customer_dimensions=(), recorded=None, progress=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn from_tables(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        customers: &Bound<'_, PyAny>,
        invoices: &Bound<'_, PyAny>,
        receipts: Arg<'_, '_>,
        applications: Arg<'_, '_>,
        credit_memos: Arg<'_, '_>,
        currency: Arg<'_, '_>,
        dimensions: Arg<'_, '_>,
        customer_dimensions: Arg<'_, '_>,
        recorded: Arg<'_, '_>,
        progress: Arg<'_, '_>,
    ) -> PyResult<Self> {
        let meta = conv::meta(recorded, None)?;
        let recorded = guard(|| meta.resolve(None))?.recorded;
        let given = import::Given {
            progress,
            customers,
            invoices,
            receipts,
            applications,
            credit_memos,
            currency,
            dimensions,
            customer_dimensions,
        };
        Ok(Ledger::wrap(import::ledger(py, &given, recorded)?))
    }

    /// A ledger built from book rows (``ar.import_accounting``'s, or a list
    /// of them merged in order, such as a system's invoices and payments):
    /// customers, invoices and credit memos, then each receipt and
    /// application as its command, every event recorded at ``recorded``
    /// (default now). The first row the ledger refuses raises its error
    /// (its code and family) with ``file``, ``row`` and ``column``.
    #[classmethod]
    #[pyo3(signature = (rows, *, recorded = None))]
    fn from_book_rows(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        rows: &Bound<'_, PyAny>,
        recorded: Arg<'_, '_>,
    ) -> PyResult<Self> {
        let book = formats::book_rows(rows)?;
        let meta = conv::meta(recorded, None)?;
        let recorded = guard(|| meta.resolve(None))?.recorded;
        Ok(Ledger::wrap(formats::book_ledger(py, &book, recorded)?))
    }

    /// An estimate of the memory the ledger holds outside this object, in
    /// bytes: what its log, state and indexes have reserved and what their
    /// records own. Reads every event and record.
    #[getter]
    fn heap_bytes(&self, py: Python<'_>) -> usize {
        self.read(py).heap_bytes()
    }

    /// This object and `heap_bytes`, for `sys.getsizeof`.
    fn __sizeof__(&self, py: Python<'_>) -> usize {
        std::mem::size_of::<Self>() + self.read(py).heap_bytes()
    }

    /// Two ledgers are equal when they hold the same log and state. A
    /// ledger is equal to itself without being locked twice, and two
    /// ledgers are locked in one order (by address), so that threads
    /// comparing `a == b` and `b == a` meanwhile cannot deadlock.
    fn __richcmp__(
        slf: &Bound<'_, Self>,
        other: &Bound<'_, PyAny>,
        op: CompareOp,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let Ok(other) = other.cast::<Ledger>() else {
            return Ok(py.NotImplemented());
        };
        let equal = slf.is(other) || {
            let (a, b) = (slf.get(), other.get());
            let (first, second) = if std::ptr::from_ref(a) < std::ptr::from_ref(b) {
                (a, b)
            } else {
                (b, a)
            };
            let first = first.read(py);
            let second = second.read(py);
            *first == *second
        };
        match op {
            CompareOp::Eq => Ok(equal.into_pyobject(py)?.to_owned().into_any().unbind()),
            CompareOp::Ne => Ok((!equal).into_pyobject(py)?.to_owned().into_any().unbind()),
            _ => Ok(py.NotImplemented()),
        }
    }

    fn __len__(&self, py: Python<'_>) -> usize {
        self.read(py).events().len()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("<ar.Ledger with {} events>", self.read(py).events().len())
    }
}
