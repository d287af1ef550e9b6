//! Events: the immutable facts the ledger is a fold over.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::collection_records::{Dispute, NoticeRecord, PaymentPlan, Promise, Resolution};
use crate::credit_memo::CreditMemo;
use crate::currency::Currency;
use crate::customer::Customer;
use crate::heap::{arc, sum, vec, Heap};
use crate::id::{
    ApplicationId, CreditMemoId, CustomerId, DisputeId, InvoiceId, ReceiptId, RefundId, WriteOffId,
};
use crate::invoice::Invoice;
use crate::kinds::Source;
use crate::receipt::{PaymentMethod, Receipt};

/// The part of an application or write-off that lands on one installment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Allocation {
    /// 1-based installment number.
    pub installment: u32,
    /// Amount taken from the source (or written off).
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
    /// Early-payment discount granted on top.
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    #[serde(with = "crate::serde_decimal")]
    pub discount: Decimal,
}

/// Something that happened. Events are never changed or removed; mistakes are
/// corrected by reversing events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A customer was added.
    CustomerRegistered {
        /// The customer.
        customer: Arc<Customer>,
    },
    /// A customer's details were replaced.
    CustomerUpdated {
        /// The customer as it now is.
        customer: Arc<Customer>,
    },
    /// An invoice (or draft, or imported opening balance) was issued.
    InvoiceIssued {
        /// The invoice.
        invoice: Arc<Invoice>,
    },
    /// A draft became receivable.
    InvoiceFinalized {
        /// The invoice.
        invoice: InvoiceId,
    },
    /// An invoice was voided.
    InvoiceVoided {
        /// The invoice.
        invoice: InvoiceId,
        /// Why.
        reason: String,
    },
    /// A dispute was flagged or cleared.
    DisputeSet {
        /// The invoice.
        invoice: InvoiceId,
        /// Disputed or not.
        disputed: bool,
        /// Why.
        reason: String,
    },
    /// Money was received.
    ReceiptRecorded {
        /// The receipt.
        receipt: Arc<Receipt>,
    },
    /// The payer of a receipt was identified.
    PayerAssigned {
        /// The receipt.
        receipt: ReceiptId,
        /// The payer.
        customer: CustomerId,
    },
    /// A receipt was reversed.
    ReceiptVoided {
        /// The receipt.
        receipt: ReceiptId,
        /// Why.
        reason: String,
    },
    /// A credit memo was issued.
    CreditMemoIssued {
        /// The memo.
        credit_memo: Arc<CreditMemo>,
    },
    /// A credit memo was voided.
    CreditMemoVoided {
        /// The memo.
        credit_memo: CreditMemoId,
        /// Why.
        reason: String,
    },
    /// Cash or credit was applied to an invoice.
    Applied {
        /// Id of the application.
        application: ApplicationId,
        /// Where the money came from.
        source: Source,
        /// The invoice.
        invoice: InvoiceId,
        /// Per installment.
        allocations: Vec<Allocation>,
    },
    /// An application was reversed.
    Unapplied {
        /// The application.
        application: ApplicationId,
        /// Why.
        reason: String,
    },
    /// An open amount was written off.
    WrittenOff {
        /// Id of the write-off.
        write_off: WriteOffId,
        /// The invoice.
        invoice: InvoiceId,
        /// Per installment.
        allocations: Vec<Allocation>,
        /// Why.
        reason: String,
    },
    /// What was open on a receipt or credit memo was written off.
    SourceWrittenOff {
        /// Id of the write-off.
        write_off: WriteOffId,
        /// The receipt or credit memo.
        source: Source,
        /// Amount.
        #[serde(with = "crate::serde_decimal")]
        amount: Decimal,
        /// Why.
        reason: String,
    },
    /// The bad-debt allowance of a currency was booked at an amount.
    AllowanceBooked {
        /// The currency.
        currency: Currency,
        /// The allowance.
        #[serde(with = "crate::serde_decimal")]
        amount: Decimal,
        /// Why.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        reason: String,
    },
    /// Open foreign-currency items were revalued at closing rates.
    Revalued {
        /// The closing rates.
        rates: Vec<crate::command::ClosingRate>,
    },
    /// Periods were closed up to a day.
    PeriodClosed {
        /// Last day closed.
        up_to: NaiveDate,
        /// What a command dated in them gets.
        #[serde(default)]
        policy: crate::command::ClosePolicy,
        /// Digest of the period's figures as they stood.
        digest: String,
    },
    /// Closed periods were reopened.
    PeriodReopened {
        /// First day reopened (all, when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<NaiveDate>,
        /// Why.
        reason: String,
    },
    /// A write-off was reversed.
    WriteOffReversed {
        /// The write-off.
        write_off: WriteOffId,
        /// Why.
        reason: String,
    },
    /// Cash or credit was paid back.
    Refunded {
        /// Id of the refund.
        refund: RefundId,
        /// What was refunded.
        source: Source,
        /// Amount.
        #[serde(with = "crate::serde_decimal")]
        amount: Decimal,
        /// How.
        method: PaymentMethod,
        /// Why.
        reason: String,
    },
    /// A dunning notice was sent.
    DunningNoticeRecorded {
        /// The notice.
        notice: Arc<NoticeRecord>,
    },
    /// A dispute was opened.
    DisputeOpened {
        /// The dispute.
        dispute: Arc<Dispute>,
    },
    /// A dispute was resolved.
    DisputeResolved {
        /// The dispute.
        dispute: DisputeId,
        /// How.
        resolution: Resolution,
        /// Who resolved it.
        by: String,
        /// Why.
        reason: String,
    },
    /// A promise to pay was made.
    PromiseRecorded {
        /// The promise.
        promise: Arc<Promise>,
    },
    /// A payment plan was agreed.
    PlanAgreed {
        /// The plan.
        plan: Arc<PaymentPlan>,
    },
    /// A collections hold was set or lifted.
    CollectionsHoldSet {
        /// The customer.
        customer: CustomerId,
        /// On hold or not.
        hold: bool,
        /// Why.
        reason: String,
    },
}

impl Event {
    /// The snake_case name of the event, as in its serialized `type`.
    pub fn name(&self) -> &'static str {
        match self {
            Event::CustomerRegistered { .. } => "customer_registered",
            Event::CustomerUpdated { .. } => "customer_updated",
            Event::InvoiceIssued { .. } => "invoice_issued",
            Event::InvoiceFinalized { .. } => "invoice_finalized",
            Event::InvoiceVoided { .. } => "invoice_voided",
            Event::DisputeSet { .. } => "dispute_set",
            Event::ReceiptRecorded { .. } => "receipt_recorded",
            Event::PayerAssigned { .. } => "payer_assigned",
            Event::ReceiptVoided { .. } => "receipt_voided",
            Event::CreditMemoIssued { .. } => "credit_memo_issued",
            Event::CreditMemoVoided { .. } => "credit_memo_voided",
            Event::Applied { .. } => "applied",
            Event::Unapplied { .. } => "unapplied",
            Event::WrittenOff { .. } => "written_off",
            Event::SourceWrittenOff { .. } => "source_written_off",
            Event::AllowanceBooked { .. } => "allowance_booked",
            Event::Revalued { .. } => "revalued",
            Event::PeriodClosed { .. } => "period_closed",
            Event::PeriodReopened { .. } => "period_reopened",
            Event::WriteOffReversed { .. } => "write_off_reversed",
            Event::Refunded { .. } => "refunded",
            Event::DunningNoticeRecorded { .. } => "dunning_notice_recorded",
            Event::DisputeOpened { .. } => "dispute_opened",
            Event::DisputeResolved { .. } => "dispute_resolved",
            Event::PromiseRecorded { .. } => "promise_recorded",
            Event::PlanAgreed { .. } => "plan_agreed",
            Event::CollectionsHoldSet { .. } => "collections_hold_set",
        }
    }

    /// The id of the record the event creates or changes: the application
    /// id of `applied`, the write-off id of `written_off`, and so on.
    pub fn subject(&self) -> &str {
        match self {
            Event::CustomerRegistered { customer } | Event::CustomerUpdated { customer } => {
                customer.id.as_str()
            }
            Event::InvoiceIssued { invoice } => invoice.id.as_str(),
            Event::InvoiceFinalized { invoice }
            | Event::InvoiceVoided { invoice, .. }
            | Event::DisputeSet { invoice, .. } => invoice.as_str(),
            Event::ReceiptRecorded { receipt } => receipt.id.as_str(),
            Event::PayerAssigned { receipt, .. } | Event::ReceiptVoided { receipt, .. } => {
                receipt.as_str()
            }
            Event::CreditMemoIssued { credit_memo } => credit_memo.id.as_str(),
            Event::CreditMemoVoided { credit_memo, .. } => credit_memo.as_str(),
            Event::Applied { application, .. } | Event::Unapplied { application, .. } => {
                application.as_str()
            }
            Event::WrittenOff { write_off, .. }
            | Event::SourceWrittenOff { write_off, .. }
            | Event::WriteOffReversed { write_off, .. } => write_off.as_str(),
            Event::Refunded { refund, .. } => refund.as_str(),
            Event::DunningNoticeRecorded { notice } => notice.id.as_str(),
            Event::DisputeOpened { dispute } => dispute.id.as_str(),
            Event::DisputeResolved { dispute, .. } => dispute.as_str(),
            Event::PromiseRecorded { promise } => promise.id.as_str(),
            Event::PlanAgreed { plan } => plan.id.as_str(),
            Event::CollectionsHoldSet { customer, .. } => customer.as_str(),
            // Events of the book as a whole: the currency, or what they are.
            Event::AllowanceBooked { currency, .. } => currency.code(),
            Event::Revalued { .. } => "revaluation",
            Event::PeriodClosed { .. } => "period",
            Event::PeriodReopened { .. } => "period",
        }
    }
}

/// An event with its place in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventEnvelope {
    /// 1-based position in the log.
    pub seq: u64,
    /// Business date the event takes effect.
    pub effective: NaiveDate,
    /// When it was recorded; never decreases along the log.
    pub recorded: DateTime<Utc>,
    /// Idempotency key of the command that produced it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// Fingerprint of that command, to tell a retry from a conflicting reuse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command_fingerprint: Option<String>,
    /// The date the command asked for, when a closed period moved it to
    /// `effective` (the first open day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested: Option<NaiveDate>,
    /// What happened.
    pub event: Event,
}

impl Heap for Event {
    fn heap(&self) -> usize {
        match self {
            Event::CustomerRegistered { customer } | Event::CustomerUpdated { customer } => {
                arc(customer.as_ref())
            }
            Event::InvoiceIssued { invoice } => arc(invoice.as_ref()),
            Event::ReceiptRecorded { receipt } => arc(receipt.as_ref()),
            Event::CreditMemoIssued { credit_memo } => arc(credit_memo.as_ref()),
            Event::InvoiceFinalized { invoice } => invoice.heap(),
            Event::InvoiceVoided { invoice, reason }
            | Event::DisputeSet {
                invoice, reason, ..
            } => sum([invoice.heap(), reason.capacity()]),
            Event::PayerAssigned { receipt, customer } => sum([receipt.heap(), customer.heap()]),
            Event::ReceiptVoided { receipt, reason } => sum([receipt.heap(), reason.capacity()]),
            Event::CreditMemoVoided {
                credit_memo,
                reason,
            } => sum([credit_memo.heap(), reason.capacity()]),
            Event::Applied {
                application,
                source,
                invoice,
                allocations,
            } => sum([
                application.heap(),
                source.heap(),
                invoice.heap(),
                vec(allocations),
            ]),
            Event::Unapplied {
                application,
                reason,
            } => sum([application.heap(), reason.capacity()]),
            Event::WrittenOff {
                write_off,
                invoice,
                allocations,
                reason,
            } => sum([
                write_off.heap(),
                invoice.heap(),
                vec(allocations),
                reason.capacity(),
            ]),
            Event::SourceWrittenOff {
                write_off,
                source,
                reason,
                ..
            } => sum([write_off.heap(), source.heap(), reason.capacity()]),
            Event::WriteOffReversed { write_off, reason } => {
                sum([write_off.heap(), reason.capacity()])
            }
            Event::AllowanceBooked { reason, .. } | Event::PeriodReopened { reason, .. } => {
                reason.capacity()
            }
            Event::Revalued { rates } => vec(rates),
            Event::PeriodClosed { digest, .. } => digest.capacity(),
            Event::Refunded {
                refund,
                source,
                reason,
                ..
            } => sum([refund.heap(), source.heap(), reason.capacity()]),
            Event::DunningNoticeRecorded { notice } => arc(notice.as_ref()),
            Event::DisputeOpened { dispute } => arc(dispute.as_ref()),
            Event::DisputeResolved {
                dispute,
                resolution,
                by,
                reason,
            } => sum([
                dispute.heap(),
                match resolution {
                    Resolution::CreditMemo { credit_memo } => credit_memo.heap(),
                    Resolution::WriteOff { write_off } => write_off.heap(),
                    Resolution::Reinstated => 0,
                },
                by.capacity(),
                reason.capacity(),
            ]),
            Event::PromiseRecorded { promise } => arc(promise.as_ref()),
            Event::PlanAgreed { plan } => arc(plan.as_ref()),
            Event::CollectionsHoldSet {
                customer, reason, ..
            } => sum([customer.heap(), reason.capacity()]),
        }
    }
}

impl Heap for EventEnvelope {
    fn heap(&self) -> usize {
        sum([
            self.idempotency_key.heap(),
            self.command_fingerprint.heap(),
            self.event.heap(),
        ])
    }
}
