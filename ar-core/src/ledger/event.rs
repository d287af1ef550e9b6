//! Events: the immutable facts the ledger is a fold over.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::credit_memo::CreditMemo;
use crate::customer::Customer;
use crate::id::{
    ApplicationId, CreditMemoId, CustomerId, InvoiceId, ReceiptId, RefundId, WriteOffId,
};
use crate::invoice::Invoice;
use crate::ledger::command::Source;
use crate::receipt::{PaymentMethod, Receipt};

/// Version of the serialized log this build writes. Version 2 added each
/// event's `hash` in the log's chain; version 1 logs are still read.
pub const LOG_VERSION: u32 = 2;

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
            Event::WriteOffReversed { .. } => "write_off_reversed",
            Event::Refunded { .. } => "refunded",
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
            Event::WrittenOff { write_off, .. } | Event::WriteOffReversed { write_off, .. } => {
                write_off.as_str()
            }
            Event::Refunded { refund, .. } => refund.as_str(),
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
    /// What happened.
    pub event: Event,
}

impl EventEnvelope {
    /// The event as a line of the log that [`crate::Ledger::to_json`]
    /// writes: the envelope's JSON with `hash`, its hash in the log's chain
    /// (from [`crate::Ledger::event_hashes`]). An app that stores one event
    /// at a time stores this; `{"version":2,"events":[<lines>]}` is then the
    /// log.
    ///
    /// # Errors
    /// [`crate::Error::CorruptLog`] if the event cannot be serialized (never
    /// in practice).
    pub fn to_log_json(&self, hash: &crate::ledger::chain::ChainHash) -> crate::Result<String> {
        let mut out = serde_json::to_vec(self).map_err(|e| crate::Error::corrupt(e.to_string()))?;
        with_hash(&mut out, hash);
        String::from_utf8(out).map_err(|e| crate::Error::corrupt(e.to_string()))
    }
}

/// Puts `hash` into the serialized envelope `json`, as its last field.
pub(crate) fn with_hash(json: &mut Vec<u8>, hash: &crate::ledger::chain::ChainHash) {
    // The envelope is a JSON object: its hash goes in before the closing
    // brace.
    if json.last() == Some(&b'}') {
        json.pop();
    }
    json.extend_from_slice(format!(",\"hash\":\"{hash}\"}}").as_bytes());
}

/// The serialized form of a ledger: a versioned list of events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerLog {
    /// Format version, [`LOG_VERSION`].
    pub version: u32,
    /// Events in order.
    pub events: Vec<EventEnvelope>,
}

/// An event as a version-2 log writes it: the envelope and its hash.
#[derive(Deserialize)]
pub(crate) struct HashedEnvelope {
    seq: u64,
    effective: NaiveDate,
    recorded: DateTime<Utc>,
    #[serde(default)]
    idempotency_key: Option<String>,
    #[serde(default)]
    command_fingerprint: Option<String>,
    event: Event,
    #[serde(default)]
    hash: Option<crate::ledger::chain::ChainHash>,
}

impl HashedEnvelope {
    /// The envelope, and the hash the log gave it.
    pub fn split(self) -> (EventEnvelope, Option<crate::ledger::chain::ChainHash>) {
        let HashedEnvelope {
            seq,
            effective,
            recorded,
            idempotency_key,
            command_fingerprint,
            event,
            hash,
        } = self;
        (
            EventEnvelope {
                seq,
                effective,
                recorded,
                idempotency_key,
                command_fingerprint,
                event,
            },
            hash,
        )
    }
}

/// A serialized log as read back: events with their hashes when the log
/// has them.
#[derive(Deserialize)]
pub(crate) struct HashedLog {
    pub events: Vec<HashedEnvelope>,
}

/// The envelope's fields before its event, serialized as the envelope
/// serializes them.
#[derive(Serialize)]
struct Head<'a> {
    seq: u64,
    effective: NaiveDate,
    recorded: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    idempotency_key: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    command_fingerprint: &'a Option<String>,
}

/// Writes `env` as JSON into `out` (cleared first), given its event
/// already serialized as `event_json`: the same bytes as serializing the
/// envelope, without serializing the event a second time.
///
/// # Errors
/// A serialization error (never in practice).
pub(crate) fn envelope_json(
    env: &EventEnvelope,
    event_json: &[u8],
    out: &mut Vec<u8>,
) -> serde_json::Result<()> {
    out.clear();
    serde_json::to_writer(
        &mut *out,
        &Head {
            seq: env.seq,
            effective: env.effective,
            recorded: env.recorded,
            idempotency_key: &env.idempotency_key,
            command_fingerprint: &env.command_fingerprint,
        },
    )?;
    // `{...}` becomes `{...,"event":<event>}`.
    out.pop();
    out.extend_from_slice(b",\"event\":");
    out.extend_from_slice(event_json);
    out.push(b'}');
    Ok(())
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn envelope_json_is_the_envelope_serialized() {
        let event = Event::InvoiceFinalized {
            invoice: InvoiceId::new("INV-1").unwrap_or_else(|_| unreachable!()),
        };
        for key in [None, Some("k\"1".to_owned())] {
            let env = EventEnvelope {
                seq: 7,
                effective: NaiveDate::MIN,
                recorded: DateTime::<Utc>::MAX_UTC,
                idempotency_key: key.clone(),
                command_fingerprint: key,
                event: event.clone(),
            };
            let mut out = Vec::new();
            let ev = serde_json::to_vec(&env.event).unwrap_or_default();
            envelope_json(&env, &ev, &mut out).unwrap_or_default();
            assert_eq!(out, serde_json::to_vec(&env).unwrap_or_default());
        }
    }
}
