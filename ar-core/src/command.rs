//! Commands: what a caller asks the ledger to do.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::collection_records::{
    Dispute, NewCharge, NoticeRecord, PaymentPlan, Promise, Resolution,
};
use crate::credit_memo::CreditKind;
use crate::currency::Currency;
use crate::customer::Customer;
use crate::id::{
    ApplicationId, CreditMemoId, CustomerId, DisputeId, InvoiceId, ReceiptId, RefundId, WriteOffId,
};
use crate::invoice::{InvoiceLine, TaxMode, TaxRounding};
use crate::kinds::Source;
use crate::money::RoundingPolicy;
use crate::receipt::{PaymentMethod, Receipt};
use crate::terms::PaymentTerms;

/// A closing rate of a revaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosingRate {
    /// The foreign currency.
    pub currency: Currency,
    /// Functional units per unit of it, greater than zero.
    #[serde(with = "crate::serde_decimal")]
    pub rate: Decimal,
}

/// What a command dated in a closed period gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosePolicy {
    /// Refused with `period_closed`.
    #[default]
    Refuse,
    /// A settlement, reversal or void is dated on the first open day, its
    /// own date kept in its event's `requested`; documents (invoices,
    /// receipts, credit memos) dated in the period are still refused, as
    /// their date is the document's own.
    MoveToOpenDay,
}

/// A new invoice, as the caller describes it. Totals and the installment
/// schedule are computed by the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewInvoice {
    /// Unique id (the invoice number).
    pub id: InvoiceId,
    /// Customer billed.
    pub customer: CustomerId,
    /// Invoice date; the invoice's effective date.
    pub date: NaiveDate,
    /// Currency; the customer's when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// Lines, at least one.
    pub lines: Vec<InvoiceLine>,
    /// Whether prices exclude or include tax.
    #[serde(default)]
    pub tax_mode: TaxMode,
    /// Where tax is rounded.
    #[serde(default)]
    pub tax_rounding: TaxRounding,
    /// Rounding policy for line amounts, tax and installments.
    #[serde(default)]
    pub rounding: RoundingPolicy,
    /// Payment terms; the customer's when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<PaymentTerms>,
    /// Customer's purchase-order number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub po_number: Option<String>,
    /// Free dimensions of the invoice.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dimensions: BTreeMap<String, String>,
    /// A draft is not receivable until finalized.
    #[serde(default)]
    pub draft: bool,
}

impl NewInvoice {
    /// An invoice with defaults for everything but the essentials.
    pub fn new(
        id: InvoiceId,
        customer: CustomerId,
        date: NaiveDate,
        lines: Vec<InvoiceLine>,
    ) -> Self {
        NewInvoice {
            id,
            customer,
            date,
            currency: None,
            lines,
            tax_mode: TaxMode::default(),
            tax_rounding: TaxRounding::default(),
            rounding: RoundingPolicy::default(),
            terms: None,
            po_number: None,
            dimensions: BTreeMap::new(),
            draft: false,
        }
    }
}

/// An invoice brought in from another system with what is still open on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningInvoice {
    /// Unique id.
    pub id: InvoiceId,
    /// Customer billed.
    pub customer: CustomerId,
    /// Original invoice date (for aging).
    pub date: NaiveDate,
    /// Original due date (for aging).
    pub due_date: NaiveDate,
    /// Currency; the customer's when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// Original invoice total.
    #[serde(with = "crate::serde_decimal")]
    pub total: Decimal,
    /// What is still open, from zero (excluded) to `total`.
    #[serde(with = "crate::serde_decimal")]
    pub open: Decimal,
    /// Customer's purchase-order number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub po_number: Option<String>,
    /// Free dimensions.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dimensions: BTreeMap<String, String>,
}

/// Everything a caller can ask of the ledger. Each variant names its
/// business date (`date`), which becomes the effective date of its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    /// Adds a customer (effective on the recorded date).
    RegisterCustomer {
        /// The customer.
        customer: Customer,
    },
    /// Replaces a customer's name, currency, terms, limit and dimensions;
    /// invoices already issued keep their terms.
    UpdateCustomer {
        /// The customer as it should now be.
        customer: Customer,
    },
    /// Issues an invoice (or saves a draft).
    IssueInvoice {
        /// The invoice.
        invoice: NewInvoice,
    },
    /// Makes a draft receivable.
    FinalizeInvoice {
        /// The draft.
        invoice: InvoiceId,
        /// Effective date, on or after the invoice date.
        date: NaiveDate,
    },
    /// Imports an invoice with its open amount as it stands elsewhere.
    ImportInvoice {
        /// The invoice.
        invoice: OpeningInvoice,
        /// Date of the opening balance (effective date), on or after the invoice date.
        as_of: NaiveDate,
    },
    /// Voids an invoice with nothing applied to it.
    VoidInvoice {
        /// The invoice.
        invoice: InvoiceId,
        /// Effective date, on or after every other event on the invoice.
        date: NaiveDate,
        /// Why.
        #[serde(default)]
        reason: String,
    },
    /// Flags or clears a dispute on an invoice.
    SetDispute {
        /// The invoice.
        invoice: InvoiceId,
        /// Disputed from `date` on, or not.
        disputed: bool,
        /// Effective date.
        date: NaiveDate,
        /// Why.
        #[serde(default)]
        reason: String,
    },
    /// Records money received.
    RecordReceipt {
        /// The receipt.
        receipt: Receipt,
    },
    /// Names the payer of a receipt received from an unknown payer.
    AssignPayer {
        /// The receipt.
        receipt: ReceiptId,
        /// The payer.
        customer: CustomerId,
        /// Effective date, on or after the receipt date.
        date: NaiveDate,
    },
    /// Reverses a receipt (a bounced check) with nothing applied or refunded.
    VoidReceipt {
        /// The receipt.
        receipt: ReceiptId,
        /// Effective date.
        date: NaiveDate,
        /// Why.
        #[serde(default)]
        reason: String,
    },
    /// Issues a credit memo: an open credit until applied or refunded.
    IssueCreditMemo {
        /// Unique id.
        id: CreditMemoId,
        /// Customer credited; must match the invoice's when `against` is set.
        customer: CustomerId,
        /// Issue date; the memo's effective date.
        date: NaiveDate,
        /// Currency; the invoice's or the customer's when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        currency: Option<Currency>,
        /// Invoice credited, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        against: Option<InvoiceId>,
        /// What is credited.
        kind: CreditKind,
        /// Why.
        #[serde(default)]
        reason: String,
    },
    /// Voids a credit memo with nothing applied or refunded.
    VoidCreditMemo {
        /// The memo.
        credit_memo: CreditMemoId,
        /// Effective date.
        date: NaiveDate,
        /// Why.
        #[serde(default)]
        reason: String,
    },
    /// Applies cash or credit to an invoice (or one installment of it).
    Apply {
        /// Id of the application; generated when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<ApplicationId>,
        /// Where the money comes from.
        source: Source,
        /// The invoice.
        invoice: InvoiceId,
        /// One installment (1-based); otherwise installments in due order.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        installment: Option<u32>,
        /// Amount taken from the source, greater than zero.
        #[serde(with = "crate::serde_decimal")]
        amount: Decimal,
        /// Early-payment discount taken on top, within the terms' window.
        #[serde(default)]
        #[serde(with = "crate::serde_decimal")]
        discount: Decimal,
        /// Effective date, on or after both documents.
        date: NaiveDate,
    },
    /// Applies a source to the customer's open invoices, oldest due date first.
    ApplyFifo {
        /// Where the money comes from.
        source: Source,
        /// Effective date.
        date: NaiveDate,
        /// Also settle disputed invoices (skipped by default).
        #[serde(default)]
        include_disputed: bool,
    },
    /// Reverses an application, restoring both sides.
    Unapply {
        /// The application.
        application: ApplicationId,
        /// Effective date, on or after the application's.
        date: NaiveDate,
        /// Why.
        #[serde(default)]
        reason: String,
    },
    /// Writes off an open amount as uncollectible (or a tolerated short pay).
    WriteOff {
        /// Id of the write-off; generated when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<WriteOffId>,
        /// The invoice.
        invoice: InvoiceId,
        /// One installment; otherwise installments in due order.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        installment: Option<u32>,
        /// Amount; everything open at `date` when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[serde(with = "crate::serde_decimal::option")]
        amount: Option<Decimal>,
        /// Effective date.
        date: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Writes off what is open on a receipt or a credit memo: a small
    /// overpayment left as unapplied cash, or a credit nobody will use,
    /// booked to income. Reversed by [`Command::ReverseWriteOff`].
    WriteOffSource {
        /// Id of the write-off; generated when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<WriteOffId>,
        /// The receipt or credit memo.
        source: Source,
        /// Amount; everything open at `date` when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[serde(with = "crate::serde_decimal::option")]
        amount: Option<Decimal>,
        /// Effective date.
        date: NaiveDate,
        /// Why.
        reason: String,
    },
    /// Books the bad-debt allowance of a currency at `amount` (from a
    /// provision, say): the journal posts the change from the allowance
    /// booked before.
    BookAllowance {
        /// Effective date.
        date: NaiveDate,
        /// The currency.
        currency: Currency,
        /// The allowance, zero or more.
        #[serde(with = "crate::serde_decimal")]
        amount: Decimal,
        /// Why (the provision's method, say).
        #[serde(default)]
        reason: String,
    },
    /// Revalues open foreign-currency items at closing `rates` on `date`:
    /// the journal books the unrealized exchange difference and reverses
    /// it the next day.
    Revalue {
        /// The revaluation date (a period's end).
        date: NaiveDate,
        /// Closing rates: functional units per unit of each currency.
        rates: Vec<ClosingRate>,
    },
    /// Closes every period up to `up_to`: afterwards a command dated on or
    /// before it is refused, or, with [`ClosePolicy::MoveToOpenDay`], a
    /// settlement is dated on the first open day with its own date kept.
    ClosePeriod {
        /// Last day closed.
        up_to: NaiveDate,
        /// What a command dated in the closed period gets.
        #[serde(default)]
        policy: ClosePolicy,
        /// The digest of the period's figures as they stood
        /// ([`crate::Ledger::period_digest`]), for an auditor to check later.
        digest: String,
    },
    /// Reopens closed periods from `from` on (so that what is closed ends
    /// the day before), or all of them when `from` is absent.
    ReopenPeriod {
        /// First day reopened.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<NaiveDate>,
        /// Why: reopening is recorded.
        reason: String,
    },
    /// Reverses a write-off (a recovery).
    ReverseWriteOff {
        /// The write-off.
        write_off: WriteOffId,
        /// Effective date, on or after the write-off's.
        date: NaiveDate,
        /// Why.
        #[serde(default)]
        reason: String,
    },
    /// Pays unapplied cash or open credit back to the customer.
    Refund {
        /// Id of the refund; generated when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<RefundId>,
        /// What is refunded.
        source: Source,
        /// Amount, greater than zero.
        #[serde(with = "crate::serde_decimal")]
        amount: Decimal,
        /// Effective date.
        date: NaiveDate,
        /// How it is paid out.
        #[serde(default)]
        method: PaymentMethod,
        /// Why.
        #[serde(default)]
        reason: String,
    },
    /// Records a dunning notice as sent: each item's level moves on, and
    /// the customer counts as reminded on `date`.
    RecordDunningNotice {
        /// The notice (see `DunningNotice::record`).
        notice: NoticeRecord,
        /// Date sent; the effective date.
        date: NaiveDate,
    },
    /// Charges interest or fees as a note of their own: an invoice that
    /// ages, is paid, disputed and written off like any other.
    IssueCharge {
        /// The note.
        charge: NewCharge,
    },
    /// Applies a source to the customer's open items costs first, then
    /// interest, then principal (as section 367 BGB requires of a payment
    /// that does not cover everything), each oldest due first.
    ApplyInClearingOrder {
        /// Where the money comes from.
        source: Source,
        /// Effective date.
        date: NaiveDate,
        /// Only this invoice and the fee and interest notes charged for it;
        /// every open item of the customer when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        invoice: Option<InvoiceId>,
        /// Also settle disputed items (skipped by default).
        #[serde(default)]
        include_disputed: bool,
    },
    /// Opens a dispute on an invoice, an installment or an amount of one.
    OpenDispute {
        /// The dispute.
        dispute: Dispute,
        /// Effective date.
        date: NaiveDate,
    },
    /// Resolves an open dispute.
    ResolveDispute {
        /// The dispute.
        dispute: DisputeId,
        /// How: by a credit memo, a write-off or reinstating the amount.
        resolution: Resolution,
        /// Effective date, on or after the opening.
        date: NaiveDate,
        /// Who resolved it.
        by: String,
        /// Why.
        #[serde(default)]
        reason: String,
    },
    /// Records a promise to pay; dunning of its items waits for it.
    RecordPromise {
        /// The promise.
        promise: Promise,
        /// Date it was made; the effective date.
        date: NaiveDate,
    },
    /// Agrees a payment plan over open items; the plan governs their
    /// dunning while it is kept.
    AgreePlan {
        /// The plan.
        plan: PaymentPlan,
        /// Date agreed; the effective date.
        date: NaiveDate,
    },
    /// Puts a customer on a collections hold (no dunning), or lifts it.
    SetCollectionsHold {
        /// The customer.
        customer: CustomerId,
        /// On hold from `date` on, or not.
        hold: bool,
        /// Effective date.
        date: NaiveDate,
        /// Why.
        #[serde(default)]
        reason: String,
    },
}

/// An application of cash or credit to an invoice, built step by step and
/// turned into [`Command::Apply`].
///
/// # Example
/// ```
/// use ar_core::*;
/// use chrono::NaiveDate;
/// use rust_decimal::Decimal;
///
/// let day = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
/// let command: Command = NewApplication::new(
///     Source::Receipt(ReceiptId::new("R-1").unwrap()),
///     InvoiceId::new("INV-1").unwrap(),
///     Decimal::new(98000, 2),
///     day,
/// )
/// .with_discount(Decimal::new(2000, 2))
/// .into();
/// assert_eq!(command.name(), "apply");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApplication {
    /// Id of the application; generated when absent.
    pub id: Option<ApplicationId>,
    /// Where the money comes from.
    pub source: Source,
    /// The invoice.
    pub invoice: InvoiceId,
    /// One installment (1-based); otherwise installments in due order.
    pub installment: Option<u32>,
    /// Amount taken from the source.
    pub amount: Decimal,
    /// Early-payment discount taken on top.
    pub discount: Decimal,
    /// Effective date.
    pub date: NaiveDate,
}

impl NewApplication {
    /// `amount` of `source` applied to `invoice` on `date`, installments
    /// in due order, no discount.
    pub fn new(source: Source, invoice: InvoiceId, amount: Decimal, date: NaiveDate) -> Self {
        NewApplication {
            id: None,
            source,
            invoice,
            installment: None,
            amount,
            discount: Decimal::ZERO,
            date,
        }
    }

    /// The same application with an early-payment discount taken.
    pub fn with_discount(mut self, discount: Decimal) -> Self {
        self.discount = discount;
        self
    }

    /// The same application to one installment (1-based).
    pub fn with_installment(mut self, installment: u32) -> Self {
        self.installment = Some(installment);
        self
    }

    /// The same application with its id given.
    pub fn with_id(mut self, id: ApplicationId) -> Self {
        self.id = Some(id);
        self
    }
}

impl From<NewApplication> for Command {
    fn from(a: NewApplication) -> Self {
        Command::Apply {
            id: a.id,
            source: a.source,
            invoice: a.invoice,
            installment: a.installment,
            amount: a.amount,
            discount: a.discount,
            date: a.date,
        }
    }
}

impl Command {
    /// The snake_case name of the command, as in its serialized `type`.
    pub fn name(&self) -> &'static str {
        match self {
            Command::RegisterCustomer { .. } => "register_customer",
            Command::UpdateCustomer { .. } => "update_customer",
            Command::IssueInvoice { .. } => "issue_invoice",
            Command::FinalizeInvoice { .. } => "finalize_invoice",
            Command::ImportInvoice { .. } => "import_invoice",
            Command::VoidInvoice { .. } => "void_invoice",
            Command::SetDispute { .. } => "set_dispute",
            Command::RecordReceipt { .. } => "record_receipt",
            Command::AssignPayer { .. } => "assign_payer",
            Command::VoidReceipt { .. } => "void_receipt",
            Command::IssueCreditMemo { .. } => "issue_credit_memo",
            Command::VoidCreditMemo { .. } => "void_credit_memo",
            Command::Apply { .. } => "apply",
            Command::ApplyFifo { .. } => "apply_fifo",
            Command::Unapply { .. } => "unapply",
            Command::WriteOff { .. } => "write_off",
            Command::WriteOffSource { .. } => "write_off_source",
            Command::BookAllowance { .. } => "book_allowance",
            Command::Revalue { .. } => "revalue",
            Command::ClosePeriod { .. } => "close_period",
            Command::ReopenPeriod { .. } => "reopen_period",
            Command::ReverseWriteOff { .. } => "reverse_write_off",
            Command::Refund { .. } => "refund",
            Command::RecordDunningNotice { .. } => "record_dunning_notice",
            Command::IssueCharge { .. } => "issue_charge",
            Command::ApplyInClearingOrder { .. } => "apply_in_clearing_order",
            Command::OpenDispute { .. } => "open_dispute",
            Command::ResolveDispute { .. } => "resolve_dispute",
            Command::RecordPromise { .. } => "record_promise",
            Command::AgreePlan { .. } => "agree_plan",
            Command::SetCollectionsHold { .. } => "set_collections_hold",
        }
    }
}

/// When a command is recorded and how it is deduplicated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandMeta {
    /// When the command is recorded. Supplied by the caller (the core reads
    /// no clock); never earlier than the last recorded event.
    pub recorded: DateTime<Utc>,
    /// Same key and same command: the original result, nothing appended.
    /// Same key and another command: [`crate::Error::IdempotencyConflict`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
}

impl CommandMeta {
    /// Recorded at `recorded`, with no idempotency key.
    pub fn at(recorded: DateTime<Utc>) -> Self {
        CommandMeta {
            recorded,
            idempotency_key: None,
        }
    }

    /// Adds an idempotency key.
    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }
}
