//! The `Ledger` class: commands in, outcomes and views out.

use std::cell::{Ref, RefCell};
use std::collections::BTreeMap;
use std::sync::Arc;

use ar_core::chrono::{DateTime, Utc};
use ar_core::rust_decimal::Decimal;
use ar_core::{
    ApplicationId, Command, CommandMeta as CoreMeta, CreditKind, CreditLine as CoreCreditLine,
    CreditMemoId, Customer, CustomerId, Error, InvoiceId, NewInvoice, OpeningInvoice, Receipt,
    ReceiptId, RefundId, Source, WriteOffId,
};
use napi::bindgen_prelude::{
    Buffer, Either, FromNapiValue, ObjectFinalize, PromiseRaw, This, Unknown,
};
use napi::Env;
use napi_derive::napi;

use ar_core::limits;

use crate::read::from_js_object;

use crate::conv::{self, DecimalInput};
use crate::de;
use crate::errors::{catch, guard};
use crate::import;
use crate::invoice::Line;
use crate::memory::Reported;
use crate::task;
use crate::terms::{opt_payment_terms, Terms};
use crate::views::{self, Application, Balance, InvoiceView, LedgerEvent, OpenItem, Outcome};
use crate::views::{SourceView, View};

/// How money was received or refunded; default `other`.
#[napi(string_enum = "snake_case")]
pub enum PaymentMethod {
    /// Paper check.
    Check,
    /// ACH / bank transfer batch.
    Ach,
    /// Wire transfer.
    Wire,
    /// Card payment.
    Card,
    /// Cash.
    Cash,
    /// Direct debit initiated by the seller.
    DirectDebit,
    /// Anything else.
    Other,
}

/// When a command is recorded and how it is deduplicated: the optional second
/// argument of every command method.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct CommandMeta {
    /// When the command is recorded, RFC 3339 (`"2026-03-01T09:00:00Z"`);
    /// default: now. Never earlier than the last recorded event
    /// (`recorded_out_of_order`).
    pub recorded: Option<String>,
    /// Same key and same command: the original outcome, `replayed: true`,
    /// nothing appended. Same key and another command: `idempotency_conflict`.
    pub idempotency_key: Option<String>,
}

from_js_object!(
    CommandMeta,
    recorded: "recorded",
    idempotency_key: "idempotencyKey",
);

/// A customer, for `registerCustomer` and `updateCustomer`.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct CustomerOptions {
    /// Unique id: non-empty, at most 128 bytes, no surrounding spaces or
    /// control characters (as every id).
    pub id: String,
    /// Display name.
    pub name: String,
    /// ISO 4217 code: the default currency of the customer's invoices.
    pub currency: String,
    /// Default payment terms of the customer's invoices; default `"net 30"`.
    #[napi(ts_type = "string | Terms")]
    pub terms: Option<Either<String, Terms>>,
    /// Credit limit in the customer's currency.
    #[napi(ts_type = "string")]
    pub credit_limit: Option<DecimalInput>,
    /// Free dimensions: region, sales rep, segment, ...
    pub dimensions: Option<BTreeMap<String, String>>,
}

from_js_object!(
    CustomerOptions,
    id: "id",
    name: "name",
    currency: "currency",
    terms: "terms",
    credit_limit: "creditLimit",
    dimensions: "dimensions" max limits::MAX_DIMENSIONS,
);

/// A new invoice, for `issueInvoice`. Totals and installments are computed
/// by the engine.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct IssueInvoiceOptions {
    /// Unique id (the invoice number).
    pub id: String,
    /// Customer billed.
    pub customer: String,
    /// Invoice date, `YYYY-MM-DD`; the invoice's effective date.
    pub date: String,
    /// Lines, at least one.
    pub lines: Vec<Line>,
    /// ISO 4217 code; default: the customer's currency.
    pub currency: Option<String>,
    /// Default `exclusive`.
    #[napi(ts_type = "TaxMode")]
    pub tax_mode: Option<String>,
    /// Default `per_line`.
    #[napi(ts_type = "TaxRounding")]
    pub tax_rounding: Option<String>,
    /// Rounding of line amounts, tax and installments; default
    /// `half_away_from_zero`.
    #[napi(ts_type = "RoundingPolicy")]
    pub rounding: Option<String>,
    /// Payment terms; default: the customer's.
    #[napi(ts_type = "string | Terms")]
    pub terms: Option<Either<String, Terms>>,
    /// Customer's purchase-order number.
    pub po_number: Option<String>,
    /// Free dimensions of the invoice.
    pub dimensions: Option<BTreeMap<String, String>>,
    /// Save as a draft, not receivable until `finalizeInvoice`; default false.
    pub draft: Option<bool>,
}

from_js_object!(
    IssueInvoiceOptions,
    id: "id",
    customer: "customer",
    date: "date",
    lines: "lines" max limits::MAX_LINES,
    currency: "currency",
    tax_mode: "taxMode",
    tax_rounding: "taxRounding",
    rounding: "rounding",
    terms: "terms",
    po_number: "poNumber",
    dimensions: "dimensions" max limits::MAX_DIMENSIONS,
    draft: "draft",
);

/// For `finalizeInvoice`.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct FinalizeInvoiceOptions {
    /// The draft invoice.
    pub invoice: String,
    /// Effective date, on or after the invoice date.
    pub date: String,
}

from_js_object!(
    FinalizeInvoiceOptions,
    invoice: "invoice",
    date: "date",
);

/// An invoice brought in from another system with what is still open on it,
/// for `importInvoice`.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct ImportInvoiceOptions {
    /// Unique id.
    pub id: String,
    /// Customer billed.
    pub customer: String,
    /// Original invoice date (for aging), `YYYY-MM-DD`.
    pub date: String,
    /// Original due date (for aging), `YYYY-MM-DD`.
    pub due_date: String,
    /// Original invoice total.
    #[napi(ts_type = "string")]
    pub total: DecimalInput,
    /// What is still open, greater than zero and at most `total`.
    #[napi(ts_type = "string")]
    pub open: DecimalInput,
    /// Date of the opening balance (the effective date), on or after `date`.
    pub as_of: String,
    /// ISO 4217 code; default: the customer's currency.
    pub currency: Option<String>,
    /// Customer's purchase-order number.
    pub po_number: Option<String>,
    /// Free dimensions.
    pub dimensions: Option<BTreeMap<String, String>>,
}

from_js_object!(
    ImportInvoiceOptions,
    id: "id",
    customer: "customer",
    date: "date",
    due_date: "dueDate",
    total: "total",
    open: "open",
    as_of: "asOf",
    currency: "currency",
    po_number: "poNumber",
    dimensions: "dimensions" max limits::MAX_DIMENSIONS,
);

/// For `voidInvoice`: voids an invoice with nothing applied to it.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct VoidInvoiceOptions {
    /// The invoice.
    pub invoice: String,
    /// Effective date, on or after every other event on the invoice.
    pub date: String,
    /// Why.
    pub reason: Option<String>,
}

from_js_object!(
    VoidInvoiceOptions,
    invoice: "invoice",
    date: "date",
    reason: "reason",
);

/// For `setDispute`: flags or clears a dispute.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct SetDisputeOptions {
    /// The invoice.
    pub invoice: String,
    /// Disputed from `date` on, or not.
    pub disputed: bool,
    /// Effective date.
    pub date: String,
    /// Why.
    pub reason: Option<String>,
}

from_js_object!(
    SetDisputeOptions,
    invoice: "invoice",
    disputed: "disputed",
    date: "date",
    reason: "reason",
);

/// Money received, for `recordReceipt`.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct RecordReceiptOptions {
    /// Unique id.
    pub id: String,
    /// Date received, `YYYY-MM-DD`.
    pub date: String,
    /// Amount received, greater than zero, at the currency's minor unit.
    #[napi(ts_type = "string")]
    pub amount: DecimalInput,
    /// ISO 4217 code of the money received.
    pub currency: String,
    /// Paying customer; absent when not known yet (see `assignPayer`).
    pub customer: Option<String>,
    /// How it was paid; default `other`.
    #[napi(ts_type = "PaymentMethod")]
    pub method: Option<String>,
    /// Bank or check reference.
    pub reference: Option<String>,
    /// Free remittance text as received.
    pub remittance: Option<String>,
    /// The payer's name as the bank gives it.
    pub payer_name: Option<String>,
    /// The account the money came from: the matcher recognises a customer
    /// by the accounts its earlier receipts came from.
    pub payer_account: Option<String>,
}

from_js_object!(
    RecordReceiptOptions,
    id: "id",
    date: "date",
    amount: "amount",
    currency: "currency",
    customer: "customer",
    method: "method",
    reference: "reference",
    remittance: "remittance",
    payer_name: "payerName",
    payer_account: "payerAccount",
);

/// For `assignPayer`: names the payer of a receipt from an unknown payer.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct AssignPayerOptions {
    /// The receipt.
    pub receipt: String,
    /// The payer.
    pub customer: String,
    /// Effective date, on or after the receipt date.
    pub date: String,
}

from_js_object!(
    AssignPayerOptions,
    receipt: "receipt",
    customer: "customer",
    date: "date",
);

/// For `voidReceipt`: reverses a receipt with nothing applied or refunded.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct VoidReceiptOptions {
    /// The receipt.
    pub receipt: String,
    /// Effective date.
    pub date: String,
    /// Why.
    pub reason: Option<String>,
}

from_js_object!(
    VoidReceiptOptions,
    receipt: "receipt",
    date: "date",
    reason: "reason",
);

/// One credited invoice line of a credit memo.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct CreditLine {
    /// 0-based index of the invoice line.
    pub line: f64,
    /// Quantity credited; the whole remaining quantity when absent.
    #[napi(ts_type = "string")]
    pub quantity: Option<DecimalInput>,
}

from_js_object!(
    CreditLine,
    line: "line",
    quantity: "quantity",
);

/// A credit memo, for `issueCreditMemo`: exactly one of `amount`, `lines`
/// (requires `against`) or `whole: true` (requires `against`).
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct IssueCreditMemoOptions {
    /// Unique id.
    pub id: String,
    /// Customer credited; must be the invoice's when `against` is given.
    pub customer: String,
    /// Issue date, `YYYY-MM-DD`.
    pub date: String,
    /// A stated amount (tax included), greater than zero.
    #[napi(ts_type = "string")]
    pub amount: Option<DecimalInput>,
    /// Invoice credited, if any.
    pub against: Option<String>,
    /// Lines of the invoice credited, at their gross amounts.
    pub lines: Option<Vec<CreditLine>>,
    /// Credit whatever of the invoice's total has not been credited yet.
    pub whole: Option<bool>,
    /// ISO 4217 code; default: the invoice's, else the customer's.
    pub currency: Option<String>,
    /// Why.
    pub reason: Option<String>,
}

from_js_object!(
    IssueCreditMemoOptions,
    id: "id",
    customer: "customer",
    date: "date",
    amount: "amount",
    against: "against",
    lines: "lines" max limits::MAX_LINES,
    whole: "whole",
    currency: "currency",
    reason: "reason",
);

/// For `voidCreditMemo`: voids a credit memo with nothing applied or refunded.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct VoidCreditMemoOptions {
    /// The credit memo.
    pub credit_memo: String,
    /// Effective date.
    pub date: String,
    /// Why.
    pub reason: Option<String>,
}

from_js_object!(
    VoidCreditMemoOptions,
    credit_memo: "creditMemo",
    date: "date",
    reason: "reason",
);

/// For `apply`: applies cash or credit to an invoice. Exactly one of
/// `receipt` and `creditMemo`.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct ApplyOptions {
    /// The invoice.
    pub invoice: String,
    /// Amount taken from the source, greater than zero.
    #[napi(ts_type = "string")]
    pub amount: DecimalInput,
    /// Effective date, on or after both documents.
    pub date: String,
    /// The receipt whose unapplied cash is applied.
    pub receipt: Option<String>,
    /// The credit memo whose open credit is applied.
    pub credit_memo: Option<String>,
    /// One installment (1-based); otherwise installments in due order.
    pub installment: Option<f64>,
    /// Early-payment discount taken on top, within the terms' window;
    /// default `"0"`.
    #[napi(ts_type = "string")]
    pub discount: Option<DecimalInput>,
    /// Id of the application; generated from the sequence number when absent.
    pub id: Option<String>,
}

from_js_object!(
    ApplyOptions,
    invoice: "invoice",
    amount: "amount",
    date: "date",
    receipt: "receipt",
    credit_memo: "creditMemo",
    installment: "installment",
    discount: "discount",
    id: "id",
);

/// For `applyFifo`: applies a source to the customer's open invoices, oldest
/// due date first. Exactly one of `receipt` and `creditMemo`.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct ApplyFifoOptions {
    /// Effective date.
    pub date: String,
    /// The receipt applied.
    pub receipt: Option<String>,
    /// The credit memo applied.
    pub credit_memo: Option<String>,
    /// Also settle disputed invoices (skipped by default).
    pub include_disputed: Option<bool>,
}

from_js_object!(
    ApplyFifoOptions,
    date: "date",
    receipt: "receipt",
    credit_memo: "creditMemo",
    include_disputed: "includeDisputed",
);

/// For `unapply`: reverses an application, restoring both sides.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct UnapplyOptions {
    /// The application id.
    pub application: String,
    /// Effective date, on or after the application's.
    pub date: String,
    /// Why.
    pub reason: Option<String>,
}

from_js_object!(
    UnapplyOptions,
    application: "application",
    date: "date",
    reason: "reason",
);

/// For `writeOff`: writes off an open amount.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct WriteOffOptions {
    /// The invoice.
    pub invoice: String,
    /// Effective date.
    pub date: String,
    /// Why.
    pub reason: String,
    /// Amount; everything open at `date` when absent.
    #[napi(ts_type = "string")]
    pub amount: Option<DecimalInput>,
    /// One installment; otherwise installments in due order.
    pub installment: Option<f64>,
    /// Id of the write-off; generated when absent.
    pub id: Option<String>,
}

from_js_object!(
    WriteOffOptions,
    invoice: "invoice",
    date: "date",
    reason: "reason",
    amount: "amount",
    installment: "installment",
    id: "id",
);

/// For `reverseWriteOff`: reverses a write-off (a recovery).
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct ReverseWriteOffOptions {
    /// The write-off id.
    pub write_off: String,
    /// Effective date, on or after the write-off's.
    pub date: String,
    /// Why.
    pub reason: Option<String>,
}

from_js_object!(
    ReverseWriteOffOptions,
    write_off: "writeOff",
    date: "date",
    reason: "reason",
);

/// For `refund`: pays unapplied cash or open credit back. Exactly one of
/// `receipt` and `creditMemo`.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct RefundOptions {
    /// Amount, greater than zero.
    #[napi(ts_type = "string")]
    pub amount: DecimalInput,
    /// Effective date.
    pub date: String,
    /// The receipt refunded.
    pub receipt: Option<String>,
    /// The credit memo refunded.
    pub credit_memo: Option<String>,
    /// How it is paid out; default `other`.
    #[napi(ts_type = "PaymentMethod")]
    pub method: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// Id of the refund; generated when absent.
    pub id: Option<String>,
}

from_js_object!(
    RefundOptions,
    amount: "amount",
    date: "date",
    receipt: "receipt",
    credit_memo: "creditMemo",
    method: "method",
    reason: "reason",
    id: "id",
);

fn source(receipt: Option<&str>, credit_memo: Option<&str>) -> ar_core::Result<Source> {
    match (receipt, credit_memo) {
        (Some(r), None) => Ok(Source::Receipt(ReceiptId::parse_field("receipt", r)?)),
        (None, Some(m)) => Ok(Source::CreditMemo(CreditMemoId::parse_field(
            "creditMemo",
            m,
        )?)),
        (r, m) => Err(Error::InvalidValue {
            field: "receipt".to_owned(),
            value: format!("receipt: {r:?}, creditMemo: {m:?}"),
            reason: "give exactly one of receipt and creditMemo".to_owned(),
        }),
    }
}

fn customer(o: &CustomerOptions) -> ar_core::Result<Customer> {
    let mut c = Customer::new(
        CustomerId::parse_field("id", o.id.as_str())?,
        o.name.clone(),
        conv::currency("currency", &o.currency)?,
    );
    if let Some(terms) = opt_payment_terms("terms", o.terms.as_ref())? {
        c.terms = terms;
    }
    c.credit_limit = conv::opt_decimal("creditLimit", o.credit_limit.as_ref())?;
    c.dimensions = o.dimensions.clone().unwrap_or_default();
    Ok(c)
}

fn credit_kind(o: &IssueCreditMemoOptions) -> ar_core::Result<CreditKind> {
    match (&o.amount, &o.lines, o.whole.unwrap_or(false)) {
        (Some(amount), None, false) => Ok(CreditKind::Amount {
            amount: conv::decimal("amount", amount)?,
        }),
        (None, Some(lines), false) => Ok(CreditKind::Lines {
            lines: lines
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    Ok(CoreCreditLine {
                        line: conv::count(&format!("lines[{i}].line"), l.line)?,
                        quantity: conv::opt_decimal(
                            &format!("lines[{i}].quantity"),
                            l.quantity.as_ref(),
                        )?,
                    })
                })
                .collect::<ar_core::Result<_>>()?,
        }),
        (None, None, true) => Ok(CreditKind::WholeInvoice),
        _ => Err(Error::InvalidValue {
            field: "amount".to_owned(),
            value: format!(
                "amount: {}, lines: {}, whole: {}",
                if o.amount.is_some() {
                    "given"
                } else {
                    "absent"
                },
                if o.lines.is_some() { "given" } else { "absent" },
                o.whole.unwrap_or(false)
            ),
            reason: "give exactly one of amount, lines or whole: true".to_owned(),
        }),
    }
}

/// The receivables of one company: an append-only log of events and the
/// state folded from it.
///
/// Every command method takes one options object and an optional
/// `CommandMeta` (`recorded`, `idempotencyKey`) and returns an `Outcome`.
/// A rejected command throws and changes nothing. Every query takes an
/// optional `View` (`asOf`, `knownAt`). Amounts are decimal strings, in and
/// out.
///
/// A ledger belongs to the thread that made it: it cannot be shared with a
/// worker (a copy posted to one is a plain object, whose methods throw
/// `invalid_type`). A getter of an argument may call the same ledger: its
/// call runs to the end before the first one goes on.
#[napi(custom_finalize)]
pub struct Ledger {
    // Every method takes `&self` and borrows the core ledger only while the
    // core works, after the arguments are read (which may run JS that calls
    // this ledger again); napi-rs would refuse that second call to a `&mut
    // self` method with an error of its own, without a code.
    //
    // In an `Arc` for the async variants: their work, on another thread,
    // holds the ledger as it was when they were called (a snapshot, see
    // `snapshot`), and a command meanwhile copies it before changing it
    // (`Arc::make_mut` in `mutate`), so neither sees the other.
    inner: RefCell<Arc<ar_core::Ledger>>,
    /// Its memory as told to V8.
    memory: RefCell<Reported>,
}

impl ObjectFinalize for Ledger {
    fn finalize(mut self, env: Env) -> napi::Result<()> {
        self.memory.get_mut().release(&env);
        Ok(())
    }
}

/// The ledger was borrowed when it could not be: a call into it while the
/// core works, which runs no JS. A defect if ever seen.
fn busy() -> Error {
    Error::Internal {
        message: "the ledger is in use by a call in progress".to_owned(),
    }
}

impl Ledger {
    /// Wraps `inner`, telling V8 the memory it holds.
    pub(crate) fn wrap(env: &Env, inner: ar_core::Ledger) -> Self {
        let memory = Reported::new(env, inner.heap_bytes(), inner.events().len());
        Ledger {
            inner: RefCell::new(Arc::new(inner)),
            memory: RefCell::new(memory),
        }
    }

    /// The core ledger, for queries here and for the report methods of the
    /// other modules (`aging`, `metrics`, `provision`, `matching`), which
    /// add their own `#[napi] impl`. Borrow it after reading the arguments.
    pub(crate) fn core(&self) -> ar_core::Result<Ref<'_, ar_core::Ledger>> {
        let inner = self.inner.try_borrow().map_err(|_| busy())?;
        Ok(Ref::map(inner, |ledger| &**ledger))
    }

    /// The core ledger as it is now, for the work of an async variant on
    /// another thread: later commands change a copy, never this.
    pub(crate) fn snapshot(&self) -> ar_core::Result<Arc<ar_core::Ledger>> {
        Ok(Arc::clone(&*self.inner.try_borrow().map_err(|_| busy())?))
    }

    /// Builds the command under the guard, then executes it.
    pub(crate) fn run(
        &self,
        env: &Env,
        meta: Option<Unknown<'_>>,
        build: impl FnOnce() -> ar_core::Result<Command>,
    ) -> napi::Result<Outcome> {
        guard(env, || {
            let command = build()?;
            let meta = Self::meta(env, meta)?;
            self.execute(env, command, &meta)
        })
    }

    /// The core's metadata of an optional `CommandMeta` argument: recorded
    /// now unless it says when.
    pub(crate) fn meta(env: &Env, meta: Option<Unknown<'_>>) -> ar_core::Result<CoreMeta> {
        let meta: Option<CommandMeta> = conv::options_opt(env, meta, "meta", "CommandMeta")?;
        Ok(CoreMeta {
            recorded: recorded(meta.as_ref().and_then(|m| m.recorded.as_deref()))?,
            idempotency_key: meta.and_then(|m| m.idempotency_key),
        })
    }

    /// Executes a command.
    fn execute(&self, env: &Env, command: Command, meta: &CoreMeta) -> ar_core::Result<Outcome> {
        let outcome = self.mutate(env, |l| l.execute(command, meta))?;
        views::outcome(&*self.core()?, &outcome)
    }

    /// Runs `f`, which may append to the log, on the core ledger. Should the
    /// engine panic midway, the ledger is rebuilt from the log it had before
    /// (which a failed command never reaches), so a caught `internal` error
    /// leaves it as it was, even after part of a batch. What it holds is
    /// then told to V8 again, if it has grown enough to matter.
    pub(crate) fn mutate<T>(
        &self,
        env: &Env,
        f: impl FnOnce(&mut ar_core::Ledger) -> ar_core::Result<T>,
    ) -> ar_core::Result<T> {
        let mut shared = self.inner.try_borrow_mut().map_err(|_| busy())?;
        let mut memory = self.memory.try_borrow_mut().map_err(|_| busy())?;
        // A copy only while an async variant's work holds the ledger.
        let inner = Arc::make_mut(&mut shared);
        let before = inner.events().len();
        let result = match catch(|| f(&mut *inner)) {
            Err(e @ Error::Internal { .. }) => {
                let log = inner.events().iter().take(before).cloned();
                if let Ok(rebuilt) = ar_core::Ledger::replay(log.collect::<Vec<_>>()) {
                    *inner = rebuilt;
                }
                Err(e)
            }
            other => other,
        };
        memory.track(env, inner.events().len(), || inner.heap_bytes());
        result
    }

    /// The core's view of an optional `View` argument.
    pub(crate) fn view(env: &Env, view: Option<Unknown<'_>>) -> ar_core::Result<ar_core::View> {
        let view: Option<View> = conv::options_opt(env, view, "view", "View")?;
        view.map_or(Ok(ar_core::View::all()), |v| v.to_core())
    }
}

/// A `recorded` time, RFC 3339; now when absent.
pub(crate) fn recorded(text: Option<&str>) -> ar_core::Result<DateTime<Utc>> {
    match text {
        Some(t) => conv::timestamp("recorded", t),
        None => Ok(conv::now()),
    }
}

/// What a snapshot's header says, without restoring it: `events` is where
/// the log's tail starts (`ledger.logLines(info.events)`).
///
/// Errors: `invalid_type` (not a `Buffer`), `corrupt_log` (not a
/// snapshot), `unsupported_log_version`.
#[napi(ts_args_type = "snapshot: Buffer")]
pub fn snapshot_info(env: Env, snapshot: Unknown<'_>) -> napi::Result<SnapshotInfo> {
    guard(&env, || {
        let bytes = snapshot_bytes(&env, snapshot)?;
        let info = ar_core::Ledger::snapshot_info(&bytes)?;
        Ok(SnapshotInfo {
            version: info.version,
            log_version: info.log_version,
            events: i64::try_from(info.events).unwrap_or(i64::MAX),
            chain_head: info.chain_head.to_string(),
        })
    })
}

/// What a snapshot's header says (`snapshotInfo`).
#[napi(object, object_from_js = false)]
pub struct SnapshotInfo {
    /// The snapshot format.
    pub version: u32,
    /// The log version of its events.
    pub log_version: u32,
    /// How many events it holds: the log's tail starts at this index.
    pub events: i64,
    /// The head of the hash chain over them (64 hex digits).
    pub chain_head: String,
}

/// A snapshot's bytes: a `Buffer` (or any `Uint8Array`), nothing else.
fn snapshot_bytes(env: &Env, value: Unknown<'_>) -> ar_core::Result<Vec<u8>> {
    use napi::JsValue;
    let is_bytes = value.is_buffer().unwrap_or(false) || value.is_typedarray().unwrap_or(false);
    if is_bytes {
        if let Ok(slice) = napi::bindgen_prelude::Uint8Array::from_unknown(value) {
            return Ok(slice.to_vec());
        }
    }
    Err(ar_core::Error::InvalidType {
        field: "snapshot".to_owned(),
        expected: "a Buffer".to_owned(),
        found: crate::js::Scope::root(env).arg(&value).found().describe(),
    })
}

/// `restore`'s arguments, read on the JS thread.
fn restore_args(
    env: &Env,
    snapshot: Unknown<'_>,
    tail: Option<Unknown<'_>>,
) -> ar_core::Result<(Vec<u8>, Vec<String>)> {
    let bytes = snapshot_bytes(env, snapshot)?;
    let lines: Option<Vec<String>> = match tail {
        Some(t) => de::from_js(env, t, "tail", "an array of strings")?,
        None => None,
    };
    Ok((bytes, lines.unwrap_or_default()))
}

pub(crate) fn string(env: &Env, value: Unknown<'_>, field: &str) -> ar_core::Result<String> {
    conv::from_js(env, value, field, "string")
}

#[napi]
impl Ledger {
    /// An empty ledger.
    #[napi(constructor)]
    pub fn new(env: Env, this: This<'_>) -> napi::Result<Self> {
        guard(&env, || {
            conv::constructed(&env, &this, "Ledger")?;
            Ok(Ledger::wrap(&env, ar_core::Ledger::new()))
        })
    }

    /// Rebuilds a ledger from `toJson()` output. Events are facts: they are
    /// not validated again as commands, only checked to form a consistent log.
    ///
    /// Errors: `corrupt_log` (not JSON, sequence gaps, recorded times going
    /// back, references to unknown records), `unsupported_log_version`.
    #[napi(factory, ts_args_type = "json: string")]
    pub fn from_json(env: Env, this: This<'_>, json: Unknown<'_>) -> napi::Result<Self> {
        guard(&env, || {
            conv::factory(&env, &this, "Ledger", "fromJson")?;
            let json = string(&env, json, "json")?;
            Ok(Ledger::wrap(&env, ar_core::Ledger::from_json(&json)?))
        })
    }

    /// `Ledger.fromJson` off the JS thread: the log is read back (every
    /// event checked) on libuv's thread pool. Resolves to a `Ledger` (on a
    /// subclass too: the async factories make the class itself); rejects
    /// with the errors `fromJson` throws.
    #[napi(ts_args_type = "json: string", ts_return_type = "Promise<Ledger>")]
    pub fn from_json_async<'e>(
        env: &'e Env,
        this: This<'_>,
        json: Unknown<'_>,
    ) -> napi::Result<PromiseRaw<'e, Ledger>> {
        task::promise(env, || {
            conv::factory(env, &this, "Ledger", "fromJsonAsync")?;
            let json = string(env, json, "json")?;
            Ok((
                move || ar_core::Ledger::from_json(&json),
                |env: &'e Env, ledger| Ok(Ledger::wrap(env, ledger)),
            ))
        })
    }

    /// The ledger in one piece: the log as its hash chain covers it, behind
    /// a header naming the format, the number of events and the chain's
    /// head. Store it beside the log lines; `Ledger.restore` reads it back
    /// faster than `fromJson` reads the log.
    #[napi(js_name = "snapshot")]
    pub fn write_snapshot(&self, env: Env) -> napi::Result<Buffer> {
        guard(&env, || Ok(Buffer::from(self.core()?.snapshot()?)))
    }

    /// The ledger a `snapshot` was taken of, then `tail`: the log lines
    /// written after it (`logLines(info.events)`), each checked as
    /// `appendLogLine` checks it. Equal to the ledger `fromJson` reads from
    /// the whole log. The snapshot's events are hashed as they are read and
    /// must reach the head its header gives (a snapshot damaged or edited
    /// anywhere is refused); they are folded without being decided again.
    ///
    /// Errors: `invalid_type` (a snapshot that is not a `Buffer`, a tail
    /// that is not an array of strings), `corrupt_log` naming the event or
    /// line, `unsupported_log_version`, and a tail line's command errors.
    #[napi(factory, ts_args_type = "snapshot: Buffer, tail?: string[]")]
    pub fn restore(
        env: Env,
        this: This<'_>,
        snapshot: Unknown<'_>,
        tail: Option<Unknown<'_>>,
    ) -> napi::Result<Self> {
        guard(&env, || {
            conv::factory(&env, &this, "Ledger", "restore")?;
            let (bytes, lines) = restore_args(&env, snapshot, tail)?;
            Ok(Ledger::wrap(
                &env,
                ar_core::Ledger::restore(&bytes, lines.iter().map(String::as_str))?,
            ))
        })
    }

    /// `Ledger.restore` off the JS thread (the snapshot is copied first).
    /// Resolves to a `Ledger`; rejects with the errors `restore` throws.
    #[napi(
        ts_args_type = "snapshot: Buffer, tail?: string[]",
        ts_return_type = "Promise<Ledger>"
    )]
    pub fn restore_async<'e>(
        env: &'e Env,
        this: This<'_>,
        snapshot: Unknown<'_>,
        tail: Option<Unknown<'_>>,
    ) -> napi::Result<PromiseRaw<'e, Ledger>> {
        task::promise(env, || {
            conv::factory(env, &this, "Ledger", "restoreAsync")?;
            let (bytes, lines) = restore_args(env, snapshot, tail)?;
            Ok((
                move || ar_core::Ledger::restore(&bytes, lines.iter().map(String::as_str)),
                |env: &'e Env, ledger| Ok(Ledger::wrap(env, ledger)),
            ))
        })
    }

    /// A ledger built from a book's history given as tables: each row is
    /// executed as the command it stands for (`registerCustomer`,
    /// `importInvoice` with the whole total open, `issueCreditMemo` for an
    /// amount, `recordReceipt`, `apply`), table after table in that order,
    /// by the same rules, every event recorded at `recorded` (default now).
    /// The ledger is the one those commands build, event for event. Each
    /// table is an array of plain records or an object of columns, as for
    /// `new Book(...)`.
    ///
    /// The first bad row stops the import; its error names the table,
    /// column and row. While the tables are read, as JS spells them:
    /// `invalid_type` (a number as an amount, a missing column or value, a
    /// table that is neither records nor columns, no currency for a row;
    /// `creditMemos.amount[0]`), `invalid_decimal`, `invalid_date`,
    /// `invalid_currency`, `invalid_terms` (`customers.terms[1]`). Then the
    /// engine's, as the core spells them (`credit_memos.against[0]`,
    /// `applications.credit_memo[1]`, `invoices.due_date[0]`): what the
    /// row's command raises (`not_found` for an unknown customer, invoice or
    /// source, `duplicate_id`, `over_application`, `date_before_document`,
    /// `invalid_amount`, ...), and `invalid_value` for columns of different
    /// lengths or an application naming no source or both
    /// (`applications.receipt[2]`).
    #[napi(factory, ts_args_type = "tables: LedgerTables")]
    pub fn from_tables(env: Env, this: This<'_>, tables: Unknown<'_>) -> napi::Result<Self> {
        guard(&env, || {
            conv::factory(&env, &this, "Ledger", "fromTables")?;
            let (tables, recorded) = import::read(&env, &tables)?;
            Ok(Ledger::wrap(
                &env,
                ar_core::Ledger::from_tables(&tables, recorded)?,
            ))
        })
    }

    /// `Ledger.fromTables` off the JS thread: the tables are read now (JS
    /// values can be read nowhere else), the commands run on libuv's thread
    /// pool. Resolves to a `Ledger` (on a subclass too); rejects with the
    /// errors `fromTables` throws.
    #[napi(
        ts_args_type = "tables: LedgerTables",
        ts_return_type = "Promise<Ledger>"
    )]
    pub fn from_tables_async<'e>(
        env: &'e Env,
        this: This<'_>,
        tables: Unknown<'_>,
    ) -> napi::Result<PromiseRaw<'e, Ledger>> {
        task::promise(env, || {
            conv::factory(env, &this, "Ledger", "fromTablesAsync")?;
            let (tables, recorded) = import::read(env, &tables)?;
            Ok((
                move || ar_core::Ledger::from_tables(&tables, recorded),
                |env: &'e Env, ledger| Ok(Ledger::wrap(env, ledger)),
            ))
        })
    }

    /// The log as JSON: `{"version":2,"events":[...]}`, each event with its
    /// `hash` in the log's chain. Persist it anywhere; `Ledger.fromJson`
    /// rebuilds an identical ledger, checking every event.
    #[napi]
    pub fn to_json(&self, env: Env) -> napi::Result<String> {
        guard(&env, || self.core()?.to_json())
    }

    /// The log from event `from` on (default 0), one line of JSON per event
    /// with its `hash`: store each as a row (e.g. keyed by its `seq`) and
    /// rebuild with `appendLogLine`, row by row.
    ///
    /// Errors: `invalid_type`, `invalid_value` (not a whole number from 0).
    #[napi(ts_args_type = "from?: number")]
    pub fn log_lines(&self, env: Env, from: Option<Unknown<'_>>) -> napi::Result<Vec<String>> {
        guard(&env, || {
            let from: Option<u32> = match from {
                Some(f) => de::from_js(&env, f, "from", "a whole number")?,
                None => None,
            };
            let from = usize::try_from(from.unwrap_or(0)).unwrap_or(usize::MAX);
            self.core()?.log_lines(from)
        })
    }

    /// Appends one line of `logLines`: its hash must follow from the event
    /// and the events before it, and the event is checked as the command
    /// that made it would be. The ledger is unchanged on error.
    ///
    /// Errors: `corrupt_log`, and the errors of the command that made the
    /// event.
    #[napi(ts_args_type = "line: string")]
    pub fn append_log_line(&self, env: Env, line: Unknown<'_>) -> napi::Result<()> {
        guard(&env, || {
            let line = string(&env, line, "line")?;
            self.mutate(&env, |l| l.append_log_line(&line))
        })
    }

    /// The head of the log's hash chain: 64 hex digits, the hash of the last
    /// event, which covers every event before it (64 zeros for an empty
    /// ledger). Store it beside the events: a log that reads back with
    /// another head was changed.
    #[napi(getter)]
    pub fn chain_head(&self, env: Env) -> napi::Result<String> {
        guard(&env, || Ok(self.core()?.chain_head()?.to_string()))
    }

    /// Number of events in the log.
    #[napi(getter)]
    pub fn length(&self, env: Env) -> napi::Result<u32> {
        guard(&env, || {
            Ok(u32::try_from(self.core()?.events().len()).unwrap_or(u32::MAX))
        })
    }

    /// An estimate of the native memory the ledger holds, in bytes: what
    /// its log, state and indexes have reserved and what their records own.
    /// V8 is told it (as external memory) so that it collects unreachable
    /// ledgers in time; re-told as the log grows by an eighth. Reads every
    /// event and record.
    #[napi(getter)]
    pub fn heap_bytes(&self, env: Env) -> napi::Result<i64> {
        guard(&env, || {
            Ok(i64::try_from(self.core()?.heap_bytes()).unwrap_or(i64::MAX))
        })
    }

    /// Every event of the log, in order.
    #[napi]
    pub fn events(&self, env: Env) -> napi::Result<Vec<LedgerEvent>> {
        guard(&env, || {
            let ledger = self.core()?;
            views::events(&ledger, ledger.events())
        })
    }

    /// Executes any command given as the engine's serde JSON, e.g.
    /// `{"type":"void_invoice","invoice":"INV-3","date":"2026-03-07"}`.
    ///
    /// Errors: `invalid_value` for JSON that is not a command; then those of
    /// the command.
    #[napi(ts_args_type = "commandJson: string, meta?: CommandMeta")]
    pub fn execute_json(
        &self,
        env: Env,
        command_json: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let text = string(&env, command_json, "commandJson")?;
            serde_json::from_str::<Command>(&text).map_err(|e| Error::InvalidValue {
                field: "commandJson".to_owned(),
                value: text.chars().take(80).collect(),
                reason: format!(
                    "not a command: {}",
                    conv::bounded(&e.to_string(), conv::MAX_REASON)
                ),
            })
        })
    }

    /// Adds a customer.
    ///
    /// Errors: `duplicate_id`, `invalid_value` (id), `invalid_currency`,
    /// `invalid_terms`, `invalid_type`, `invalid_decimal`.
    #[napi(ts_args_type = "options: CustomerOptions, meta?: CommandMeta")]
    pub fn register_customer(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: CustomerOptions = conv::options(&env, options, "options", "CustomerOptions")?;
            Ok(Command::RegisterCustomer {
                customer: customer(&o)?,
            })
        })
    }

    /// Replaces a customer's name, currency, terms, limit and dimensions;
    /// invoices already issued keep their terms.
    ///
    /// Errors: `not_found`, and those of `registerCustomer`.
    #[napi(ts_args_type = "options: CustomerOptions, meta?: CommandMeta")]
    pub fn update_customer(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: CustomerOptions = conv::options(&env, options, "options", "CustomerOptions")?;
            Ok(Command::UpdateCustomer {
                customer: customer(&o)?,
            })
        })
    }

    /// Issues an invoice (or saves a draft).
    ///
    /// Errors: `not_found` (customer), `duplicate_id`, `currency_mismatch`,
    /// `invalid_value` (lines), `too_many_decimals`, `invalid_terms`,
    /// `invalid_date`, `invalid_type`, `invalid_decimal`.
    #[napi(ts_args_type = "options: IssueInvoiceOptions, meta?: CommandMeta")]
    pub fn issue_invoice(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: IssueInvoiceOptions =
                conv::options(&env, options, "options", "IssueInvoiceOptions")?;
            let mut invoice = NewInvoice::new(
                InvoiceId::parse_field("id", o.id.as_str())?,
                CustomerId::parse_field("customer", o.customer.as_str())?,
                conv::date("date", &o.date)?,
                crate::invoice::lines(&o.lines)?,
            );
            invoice.currency = conv::opt_currency("currency", o.currency.as_deref())?;
            invoice.tax_mode = conv::tax_mode("taxMode", o.tax_mode.as_deref())?;
            invoice.tax_rounding = conv::tax_rounding("taxRounding", o.tax_rounding.as_deref())?;
            invoice.rounding = conv::rounding("rounding", o.rounding.as_deref())?;
            invoice.terms = opt_payment_terms("terms", o.terms.as_ref())?;
            invoice.po_number = o.po_number;
            invoice.dimensions = o.dimensions.unwrap_or_default();
            invoice.draft = o.draft.unwrap_or(false);
            Ok(Command::IssueInvoice { invoice })
        })
    }

    /// Makes a draft receivable.
    ///
    /// Errors: `not_found`, `invalid_state` (not a draft),
    /// `date_before_document`, `invalid_date`.
    #[napi(ts_args_type = "options: FinalizeInvoiceOptions, meta?: CommandMeta")]
    pub fn finalize_invoice(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: FinalizeInvoiceOptions =
                conv::options(&env, options, "options", "FinalizeInvoiceOptions")?;
            Ok(Command::FinalizeInvoice {
                invoice: InvoiceId::parse_field("invoice", o.invoice.as_str())?,
                date: conv::date("date", &o.date)?,
            })
        })
    }

    /// Imports an invoice with its open amount as it stands elsewhere.
    ///
    /// Errors: `not_found` (customer), `duplicate_id`, `invalid_amount`,
    /// `too_many_decimals`, `date_before_document`, `invalid_date`,
    /// `invalid_type`, `invalid_decimal`.
    #[napi(ts_args_type = "options: ImportInvoiceOptions, meta?: CommandMeta")]
    pub fn import_invoice(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: ImportInvoiceOptions =
                conv::options(&env, options, "options", "ImportInvoiceOptions")?;
            Ok(Command::ImportInvoice {
                invoice: OpeningInvoice {
                    id: InvoiceId::parse_field("id", o.id.as_str())?,
                    customer: CustomerId::parse_field("customer", o.customer.as_str())?,
                    date: conv::date("date", &o.date)?,
                    due_date: conv::date("dueDate", &o.due_date)?,
                    currency: conv::opt_currency("currency", o.currency.as_deref())?,
                    total: conv::decimal("total", &o.total)?,
                    open: conv::decimal("open", &o.open)?,
                    po_number: o.po_number,
                    dimensions: o.dimensions.unwrap_or_default(),
                },
                as_of: conv::date("asOf", &o.as_of)?,
            })
        })
    }

    /// Voids an invoice with nothing applied to it.
    ///
    /// Errors: `not_found`, `invalid_state`, `date_before_document`,
    /// `invalid_date`.
    #[napi(ts_args_type = "options: VoidInvoiceOptions, meta?: CommandMeta")]
    pub fn void_invoice(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: VoidInvoiceOptions =
                conv::options(&env, options, "options", "VoidInvoiceOptions")?;
            Ok(Command::VoidInvoice {
                invoice: InvoiceId::parse_field("invoice", o.invoice.as_str())?,
                date: conv::date("date", &o.date)?,
                reason: o.reason.unwrap_or_default(),
            })
        })
    }

    /// Flags or clears a dispute on an invoice.
    ///
    /// Errors: `not_found`, `invalid_state`, `date_before_document`,
    /// `invalid_date`.
    #[napi(ts_args_type = "options: SetDisputeOptions, meta?: CommandMeta")]
    pub fn set_dispute(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: SetDisputeOptions =
                conv::options(&env, options, "options", "SetDisputeOptions")?;
            Ok(Command::SetDispute {
                invoice: InvoiceId::parse_field("invoice", o.invoice.as_str())?,
                disputed: o.disputed,
                date: conv::date("date", &o.date)?,
                reason: o.reason.unwrap_or_default(),
            })
        })
    }

    /// Records money received.
    ///
    /// Errors: `duplicate_id`, `not_found` (customer), `invalid_amount`,
    /// `too_many_decimals`, `invalid_currency`, `invalid_value` (method),
    /// `invalid_date`, `invalid_type`, `invalid_decimal`.
    #[napi(ts_args_type = "options: RecordReceiptOptions, meta?: CommandMeta")]
    pub fn record_receipt(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: RecordReceiptOptions =
                conv::options(&env, options, "options", "RecordReceiptOptions")?;
            Ok(Command::RecordReceipt {
                receipt: Receipt {
                    id: ReceiptId::parse_field("id", o.id.as_str())?,
                    customer: o
                        .customer
                        .as_deref()
                        .map(|c| CustomerId::parse_field("customer", c))
                        .transpose()?,
                    date: conv::date("date", &o.date)?,
                    amount: conv::decimal("amount", &o.amount)?,
                    currency: conv::currency("currency", &o.currency)?,
                    method: conv::method("method", o.method.as_deref())?,
                    reference: o.reference,
                    remittance: o.remittance.unwrap_or_default(),
                    payer_name: o.payer_name,
                    payer_account: o.payer_account,
                },
            })
        })
    }

    /// Names the payer of a receipt received from an unknown payer.
    ///
    /// Errors: `not_found`, `invalid_state` (payer already known),
    /// `currency_mismatch`, `date_before_document`, `invalid_date`.
    #[napi(ts_args_type = "options: AssignPayerOptions, meta?: CommandMeta")]
    pub fn assign_payer(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: AssignPayerOptions =
                conv::options(&env, options, "options", "AssignPayerOptions")?;
            Ok(Command::AssignPayer {
                receipt: ReceiptId::parse_field("receipt", o.receipt.as_str())?,
                customer: CustomerId::parse_field("customer", o.customer.as_str())?,
                date: conv::date("date", &o.date)?,
            })
        })
    }

    /// Reverses a receipt (a bounced check) with nothing applied or refunded.
    ///
    /// Errors: `not_found`, `invalid_state`, `date_before_document`,
    /// `invalid_date`.
    #[napi(ts_args_type = "options: VoidReceiptOptions, meta?: CommandMeta")]
    pub fn void_receipt(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: VoidReceiptOptions =
                conv::options(&env, options, "options", "VoidReceiptOptions")?;
            Ok(Command::VoidReceipt {
                receipt: ReceiptId::parse_field("receipt", o.receipt.as_str())?,
                date: conv::date("date", &o.date)?,
                reason: o.reason.unwrap_or_default(),
            })
        })
    }

    /// Issues a credit memo: an open credit until applied or refunded.
    ///
    /// Errors: `duplicate_id`, `not_found`, `customer_mismatch`,
    /// `currency_mismatch`, `invalid_amount`, `over_application` (more than
    /// the invoice has left to credit), `too_many_decimals`, `invalid_value`,
    /// `invalid_state`, `date_before_document`, `invalid_date`,
    /// `invalid_type`, `invalid_decimal`.
    #[napi(ts_args_type = "options: IssueCreditMemoOptions, meta?: CommandMeta")]
    pub fn issue_credit_memo(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: IssueCreditMemoOptions =
                conv::options(&env, options, "options", "IssueCreditMemoOptions")?;
            Ok(Command::IssueCreditMemo {
                id: CreditMemoId::parse_field("id", o.id.as_str())?,
                customer: CustomerId::parse_field("customer", o.customer.as_str())?,
                date: conv::date("date", &o.date)?,
                currency: conv::opt_currency("currency", o.currency.as_deref())?,
                against: o
                    .against
                    .as_deref()
                    .map(|a| InvoiceId::parse_field("against", a))
                    .transpose()?,
                kind: credit_kind(&o)?,
                reason: o.reason.unwrap_or_default(),
            })
        })
    }

    /// Voids a credit memo with nothing applied or refunded.
    ///
    /// Errors: `not_found`, `invalid_state`, `date_before_document`,
    /// `invalid_date`.
    #[napi(ts_args_type = "options: VoidCreditMemoOptions, meta?: CommandMeta")]
    pub fn void_credit_memo(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: VoidCreditMemoOptions =
                conv::options(&env, options, "options", "VoidCreditMemoOptions")?;
            Ok(Command::VoidCreditMemo {
                credit_memo: CreditMemoId::parse_field("creditMemo", o.credit_memo.as_str())?,
                date: conv::date("date", &o.date)?,
                reason: o.reason.unwrap_or_default(),
            })
        })
    }

    /// Applies cash or credit to an invoice (or one installment of it).
    ///
    /// Errors: `not_found`, `over_application` (more than the source or the
    /// invoice has open, at the date and every later date),
    /// `currency_mismatch`, `customer_mismatch`, `invalid_state` (void
    /// documents, unknown payer), `date_before_document`,
    /// `discount_not_allowed`, `duplicate_id`, `invalid_amount`,
    /// `too_many_decimals`, `invalid_value`, `invalid_date`, `invalid_type`,
    /// `invalid_decimal`.
    #[napi(ts_args_type = "options: ApplyOptions, meta?: CommandMeta")]
    pub fn apply(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: ApplyOptions = conv::options(&env, options, "options", "ApplyOptions")?;
            Ok(Command::Apply {
                id: o
                    .id
                    .as_deref()
                    .map(|i| ApplicationId::parse_field("id", i))
                    .transpose()?,
                source: source(o.receipt.as_deref(), o.credit_memo.as_deref())?,
                invoice: InvoiceId::parse_field("invoice", o.invoice.as_str())?,
                installment: conv::opt_count("installment", o.installment)?,
                amount: conv::decimal("amount", &o.amount)?,
                discount: conv::opt_decimal("discount", o.discount.as_ref())?
                    .unwrap_or(Decimal::ZERO),
                date: conv::date("date", &o.date)?,
            })
        })
    }

    /// Applies a source to the customer's open invoices, oldest due date
    /// first (one `applied` event per invoice).
    ///
    /// Errors: `not_found`, `nothing_to_apply`, `invalid_state`,
    /// `invalid_value`, `invalid_date`.
    #[napi(ts_args_type = "options: ApplyFifoOptions, meta?: CommandMeta")]
    pub fn apply_fifo(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: ApplyFifoOptions = conv::options(&env, options, "options", "ApplyFifoOptions")?;
            Ok(Command::ApplyFifo {
                source: source(o.receipt.as_deref(), o.credit_memo.as_deref())?,
                date: conv::date("date", &o.date)?,
                include_disputed: o.include_disputed.unwrap_or(false),
            })
        })
    }

    /// Reverses an application, restoring both sides.
    ///
    /// Errors: `not_found`, `invalid_state` (already unapplied),
    /// `date_before_document`, `over_application`, `invalid_date`.
    #[napi(ts_args_type = "options: UnapplyOptions, meta?: CommandMeta")]
    pub fn unapply(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: UnapplyOptions = conv::options(&env, options, "options", "UnapplyOptions")?;
            Ok(Command::Unapply {
                application: ApplicationId::parse_field("application", o.application.as_str())?,
                date: conv::date("date", &o.date)?,
                reason: o.reason.unwrap_or_default(),
            })
        })
    }

    /// Writes off an open amount as uncollectible (or a tolerated short pay).
    ///
    /// Errors: `not_found`, `over_application`, `nothing_to_apply`,
    /// `invalid_state`, `duplicate_id`, `invalid_amount`,
    /// `too_many_decimals`, `date_before_document`, `invalid_date`,
    /// `invalid_type`, `invalid_decimal`.
    #[napi(ts_args_type = "options: WriteOffOptions, meta?: CommandMeta")]
    pub fn write_off(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: WriteOffOptions = conv::options(&env, options, "options", "WriteOffOptions")?;
            Ok(Command::WriteOff {
                id: o
                    .id
                    .as_deref()
                    .map(|i| WriteOffId::parse_field("id", i))
                    .transpose()?,
                invoice: InvoiceId::parse_field("invoice", o.invoice.as_str())?,
                installment: conv::opt_count("installment", o.installment)?,
                amount: conv::opt_decimal("amount", o.amount.as_ref())?,
                date: conv::date("date", &o.date)?,
                reason: o.reason,
            })
        })
    }

    /// Reverses a write-off (a recovery).
    ///
    /// Errors: `not_found`, `invalid_state`, `date_before_document`,
    /// `invalid_date`.
    #[napi(ts_args_type = "options: ReverseWriteOffOptions, meta?: CommandMeta")]
    pub fn reverse_write_off(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: ReverseWriteOffOptions =
                conv::options(&env, options, "options", "ReverseWriteOffOptions")?;
            Ok(Command::ReverseWriteOff {
                write_off: WriteOffId::parse_field("writeOff", o.write_off.as_str())?,
                date: conv::date("date", &o.date)?,
                reason: o.reason.unwrap_or_default(),
            })
        })
    }

    /// Pays unapplied cash or open credit back to the customer.
    ///
    /// Errors: `not_found`, `over_application`, `invalid_state`,
    /// `duplicate_id`, `invalid_amount`, `too_many_decimals`,
    /// `invalid_value`, `date_before_document`, `invalid_date`,
    /// `invalid_type`, `invalid_decimal`.
    #[napi(ts_args_type = "options: RefundOptions, meta?: CommandMeta")]
    pub fn refund(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: RefundOptions = conv::options(&env, options, "options", "RefundOptions")?;
            Ok(Command::Refund {
                id: o
                    .id
                    .as_deref()
                    .map(|i| RefundId::parse_field("id", i))
                    .transpose()?,
                source: source(o.receipt.as_deref(), o.credit_memo.as_deref())?,
                amount: conv::decimal("amount", &o.amount)?,
                date: conv::date("date", &o.date)?,
                method: conv::method("method", o.method.as_deref())?,
                reason: o.reason.unwrap_or_default(),
            })
        })
    }

    /// Every open item seen through `view`: invoice installments with an open
    /// amount (issue order), then open credit memos, then unapplied cash.
    #[napi(ts_args_type = "view?: View")]
    pub fn open_items(&self, env: Env, view: Option<Unknown<'_>>) -> napi::Result<Vec<OpenItem>> {
        guard(&env, || {
            let view = Self::view(&env, view)?;
            Ok(self
                .core()?
                .open_items(&view)
                .iter()
                .map(views::open_item)
                .collect())
        })
    }

    /// Unapplied cash (open items of kind `unapplied_cash`).
    #[napi(ts_args_type = "view?: View")]
    pub fn unapplied_cash(
        &self,
        env: Env,
        view: Option<Unknown<'_>>,
    ) -> napi::Result<Vec<OpenItem>> {
        guard(&env, || {
            let view = Self::view(&env, view)?;
            Ok(self
                .core()?
                .unapplied_cash(&view)
                .iter()
                .map(views::open_item)
                .collect())
        })
    }

    /// Open credit memos (open items of kind `credit_memo`).
    #[napi(ts_args_type = "view?: View")]
    pub fn open_credits(&self, env: Env, view: Option<Unknown<'_>>) -> napi::Result<Vec<OpenItem>> {
        guard(&env, || {
            let view = Self::view(&env, view)?;
            Ok(self
                .core()?
                .open_credits(&view)
                .iter()
                .map(views::open_item)
                .collect())
        })
    }

    /// Balances per customer and currency (customers in registration order,
    /// then cash from unidentified payers), each with `net = invoices -
    /// unappliedCash - openCredits`.
    #[napi(ts_args_type = "view?: View")]
    pub fn balances(&self, env: Env, view: Option<Unknown<'_>>) -> napi::Result<Vec<Balance>> {
        guard(&env, || {
            let view = Self::view(&env, view)?;
            Ok(self
                .core()?
                .balances(&view)
                .iter()
                .map(views::balance)
                .collect())
        })
    }

    /// The balance rows of one customer, one per currency (at least its own).
    ///
    /// Errors: `not_found`.
    #[napi(ts_args_type = "customer: string, view?: View")]
    pub fn customer_balance(
        &self,
        env: Env,
        customer: Unknown<'_>,
        view: Option<Unknown<'_>>,
    ) -> napi::Result<Vec<Balance>> {
        guard(&env, || {
            let id = CustomerId::parse_field("customer", string(&env, customer, "customer")?)?;
            let view = Self::view(&env, view)?;
            Ok(self
                .core()?
                .customer_balance(&id, &view)?
                .iter()
                .map(views::balance)
                .collect())
        })
    }

    /// An invoice with its status, settlement, installments and lines.
    ///
    /// Errors: `not_found` (unknown, or not yet in the view).
    #[napi(ts_args_type = "id: string, view?: View")]
    pub fn invoice(
        &self,
        env: Env,
        id: Unknown<'_>,
        view: Option<Unknown<'_>>,
    ) -> napi::Result<InvoiceView> {
        guard(&env, || {
            let id = InvoiceId::parse_field("id", string(&env, id, "id")?)?;
            let view = Self::view(&env, view)?;
            Ok(views::invoice(&self.core()?.invoice(&id, &view)?))
        })
    }

    /// A receipt: amount, applied, refunded, open, void, payer.
    ///
    /// Errors: `not_found` (unknown, or not yet in the view).
    #[napi(ts_args_type = "id: string, view?: View")]
    pub fn receipt(
        &self,
        env: Env,
        id: Unknown<'_>,
        view: Option<Unknown<'_>>,
    ) -> napi::Result<SourceView> {
        guard(&env, || {
            let id = ReceiptId::parse_field("id", string(&env, id, "id")?)?;
            let view = Self::view(&env, view)?;
            Ok(views::source(
                &self.core()?.source(&Source::Receipt(id), &view)?,
            ))
        })
    }

    /// A credit memo: amount, applied, refunded, open, void, customer.
    ///
    /// Errors: `not_found` (unknown, or not yet in the view).
    #[napi(ts_args_type = "id: string, view?: View")]
    pub fn credit_memo(
        &self,
        env: Env,
        id: Unknown<'_>,
        view: Option<Unknown<'_>>,
    ) -> napi::Result<SourceView> {
        guard(&env, || {
            let id = CreditMemoId::parse_field("id", string(&env, id, "id")?)?;
            let view = Self::view(&env, view)?;
            Ok(views::source(
                &self.core()?.source(&Source::CreditMemo(id), &view)?,
            ))
        })
    }

    /// Applications seen through `view`, in the order they were made, each
    /// with its allocations and, if reversed within the view, `unappliedOn`.
    #[napi(ts_args_type = "view?: View")]
    pub fn applications(
        &self,
        env: Env,
        view: Option<Unknown<'_>>,
    ) -> napi::Result<Vec<Application>> {
        guard(&env, || {
            let view = Self::view(&env, view)?;
            Ok(self
                .core()?
                .applications(&view)
                .iter()
                .map(views::application)
                .collect())
        })
    }
}
