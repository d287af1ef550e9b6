//! A log read back is held to the rules of the commands that made it.
//!
//! Each event is turned back into the one command that yields it, that
//! command is decided against the state the earlier events built, and the
//! event must be exactly what the decision gives: the same effective date
//! and the same fields, byte for byte in JSON. So an invoice's totals must
//! follow from its lines, its installments from its terms, every amount must
//! sit at its currency's minor unit and within what is open, and a log
//! edited by hand is refused with the event named, by the very code that
//! validates commands rather than by a second set of rules kept in step.

use crate::collection_records::NewCharge;
use crate::command::{Command, NewInvoice, OpeningInvoice};
use crate::decide::Decider;
use crate::error::{shown, Error, Result};
use crate::event::{Event, EventEnvelope};
use crate::state::State;

/// The command that, decided just before `env`, gives `env`'s event.
fn command_of(env: &EventEnvelope) -> Command {
    let date = env.effective;
    match &env.event {
        Event::CustomerRegistered { customer } => Command::RegisterCustomer {
            customer: (**customer).clone(),
        },
        Event::CustomerUpdated { customer } => Command::UpdateCustomer {
            customer: (**customer).clone(),
        },
        Event::InvoiceIssued { invoice } => match (invoice.opening_open, &invoice.charge) {
            (None, Some(charge)) => Command::IssueCharge {
                charge: NewCharge {
                    id: invoice.id.clone(),
                    customer: invoice.customer.clone(),
                    date: invoice.date,
                    currency: Some(invoice.currency),
                    kind: charge.kind,
                    lines: charge.lines.clone(),
                    terms: Some(invoice.terms.clone()),
                    notice: charge.notice.clone(),
                },
            },
            (Some(open), _) => Command::ImportInvoice {
                invoice: OpeningInvoice {
                    id: invoice.id.clone(),
                    customer: invoice.customer.clone(),
                    date: invoice.date,
                    due_date: invoice
                        .installments
                        .first()
                        .map_or(invoice.date, |i| i.due_date),
                    currency: Some(invoice.currency),
                    total: invoice.totals.total,
                    open,
                    po_number: invoice.po_number.clone(),
                    dimensions: invoice.dimensions.clone(),
                },
                as_of: date,
            },
            (None, None) => Command::IssueInvoice {
                invoice: NewInvoice {
                    id: invoice.id.clone(),
                    customer: invoice.customer.clone(),
                    date: invoice.date,
                    currency: Some(invoice.currency),
                    lines: invoice.lines.clone(),
                    tax_mode: invoice.tax_mode,
                    tax_rounding: invoice.tax_rounding,
                    rounding: invoice.rounding,
                    terms: Some(invoice.terms.clone()),
                    po_number: invoice.po_number.clone(),
                    dimensions: invoice.dimensions.clone(),
                    draft: invoice.draft,
                },
            },
        },
        Event::InvoiceFinalized { invoice } => Command::FinalizeInvoice {
            invoice: invoice.clone(),
            date,
        },
        Event::InvoiceVoided { invoice, reason } => Command::VoidInvoice {
            invoice: invoice.clone(),
            date,
            reason: reason.clone(),
        },
        Event::DisputeSet {
            invoice,
            disputed,
            reason,
        } => Command::SetDispute {
            invoice: invoice.clone(),
            disputed: *disputed,
            date,
            reason: reason.clone(),
        },
        Event::ReceiptRecorded { receipt } => Command::RecordReceipt {
            receipt: (**receipt).clone(),
        },
        Event::PayerAssigned { receipt, customer } => Command::AssignPayer {
            receipt: receipt.clone(),
            customer: customer.clone(),
            date,
        },
        Event::ReceiptVoided { receipt, reason } => Command::VoidReceipt {
            receipt: receipt.clone(),
            date,
            reason: reason.clone(),
        },
        Event::CreditMemoIssued { credit_memo: m } => Command::IssueCreditMemo {
            id: m.id.clone(),
            customer: m.customer.clone(),
            date,
            currency: Some(m.currency),
            against: m.against.clone(),
            kind: m.kind.clone(),
            reason: m.reason.clone(),
        },
        Event::CreditMemoVoided {
            credit_memo,
            reason,
        } => Command::VoidCreditMemo {
            credit_memo: credit_memo.clone(),
            date,
            reason: reason.clone(),
        },
        Event::Applied {
            application,
            source,
            invoice,
            allocations,
        } => {
            // One allocation names its installment; several come from an
            // application spread over the installments in due order, which
            // takes no discount.
            let (installment, amount, discount) = match allocations.as_slice() {
                [one] => (Some(one.installment), one.amount, one.discount),
                many => (
                    None,
                    many.iter()
                        .try_fold(rust_decimal::Decimal::ZERO, |s, a| s.checked_add(a.amount))
                        .unwrap_or(rust_decimal::Decimal::MAX),
                    many.iter()
                        .try_fold(rust_decimal::Decimal::ZERO, |s, a| {
                            s.checked_add(a.discount)
                        })
                        .unwrap_or(rust_decimal::Decimal::MAX),
                ),
            };
            Command::Apply {
                id: Some(application.clone()),
                source: source.clone(),
                invoice: invoice.clone(),
                installment,
                amount,
                discount,
                date,
            }
        }
        Event::Unapplied {
            application,
            reason,
        } => Command::Unapply {
            application: application.clone(),
            date,
            reason: reason.clone(),
        },
        Event::WrittenOff {
            write_off,
            invoice,
            allocations,
            reason,
        } => Command::WriteOff {
            id: Some(write_off.clone()),
            invoice: invoice.clone(),
            installment: match allocations.as_slice() {
                [one] => Some(one.installment),
                _ => None,
            },
            amount: Some(
                allocations
                    .iter()
                    .try_fold(rust_decimal::Decimal::ZERO, |s, a| s.checked_add(a.amount))
                    .unwrap_or(rust_decimal::Decimal::MAX),
            ),
            date,
            reason: reason.clone(),
        },
        Event::SourceWrittenOff {
            write_off,
            source,
            amount,
            reason,
        } => Command::WriteOffSource {
            id: Some(write_off.clone()),
            source: source.clone(),
            amount: Some(*amount),
            date,
            reason: reason.clone(),
        },
        Event::AllowanceBooked {
            currency,
            amount,
            reason,
        } => Command::BookAllowance {
            date,
            currency: *currency,
            amount: *amount,
            reason: reason.clone(),
        },
        Event::Revalued { rates } => Command::Revalue {
            date,
            rates: rates.clone(),
        },
        Event::PeriodClosed {
            up_to,
            policy,
            digest,
        } => Command::ClosePeriod {
            up_to: *up_to,
            policy: *policy,
            digest: digest.clone(),
        },
        Event::PeriodReopened { from, reason } => Command::ReopenPeriod {
            from: *from,
            reason: reason.clone(),
        },
        Event::WriteOffReversed { write_off, reason } => Command::ReverseWriteOff {
            write_off: write_off.clone(),
            date,
            reason: reason.clone(),
        },
        Event::Refunded {
            refund,
            source,
            amount,
            method,
            reason,
        } => Command::Refund {
            id: Some(refund.clone()),
            source: source.clone(),
            amount: *amount,
            date,
            method: *method,
            reason: reason.clone(),
        },
        Event::DunningNoticeRecorded { notice } => Command::RecordDunningNotice {
            notice: (**notice).clone(),
            date,
        },
        Event::DisputeOpened { dispute } => Command::OpenDispute {
            dispute: (**dispute).clone(),
            date,
        },
        Event::DisputeResolved {
            dispute,
            resolution,
            by,
            reason,
        } => Command::ResolveDispute {
            dispute: dispute.clone(),
            resolution: resolution.clone(),
            date,
            by: by.clone(),
            reason: reason.clone(),
        },
        Event::PromiseRecorded { promise } => Command::RecordPromise {
            promise: (**promise).clone(),
            date,
        },
        Event::PlanAgreed { plan } => Command::AgreePlan {
            plan: (**plan).clone(),
            date,
        },
        Event::CollectionsHoldSet {
            customer,
            hold,
            reason,
        } => Command::SetCollectionsHold {
            customer: customer.clone(),
            hold: *hold,
            date,
            reason: reason.clone(),
        },
    }
}

/// Where two JSON values first differ, as a JSON pointer with both sides.
fn first_difference(
    path: &mut String,
    stored: &serde_json::Value,
    decided: &serde_json::Value,
) -> Option<String> {
    use serde_json::Value;
    match (stored, decided) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                let len = path.len();
                path.push('/');
                path.push_str(k);
                let (x, y) = (
                    a.get(k).unwrap_or(&Value::Null),
                    b.get(k).unwrap_or(&Value::Null),
                );
                if let Some(d) = first_difference(path, x, y) {
                    return Some(d);
                }
                path.truncate(len);
            }
            None
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                let len = path.len();
                path.push_str(&format!("/{i}"));
                if let Some(d) = first_difference(path, x, y) {
                    return Some(d);
                }
                path.truncate(len);
            }
            None
        }
        (a, b) if a == b => None,
        (a, b) => Some(format!(
            "{path}: {} where its command gives {}",
            shown(&a.to_string()),
            shown(&b.to_string())
        )),
    }
}

/// What an event in the log should be, as the reason for a corrupt log.
fn mismatch(stored: &Event, decided: &Event) -> String {
    let values = (serde_json::to_value(stored), serde_json::to_value(decided));
    match values {
        (Ok(a), Ok(b)) => first_difference(&mut String::new(), &a, &b)
            .unwrap_or_else(|| "its fields differ from what its command gives".to_owned()),
        _ => "it cannot be serialized".to_owned(),
    }
}

/// Checks that `env` is exactly the event its command gives against
/// `state` (the fold of the events before it); `event_json` is its event
/// serialized.
///
/// # Errors
/// [`Error::CorruptLog`] naming the event: the command is refused (with the
/// command's own error), or gives another event or another date.
pub(crate) fn check(state: &State, env: &EventEnvelope, event_json: &[u8]) -> Result<()> {
    let name = |reason: String| {
        Error::corrupt(format!(
            "event {} ({} {}): {reason}",
            env.seq,
            env.event.name(),
            shown(env.event.subject())
        ))
    };
    let decider = Decider {
        state,
        next_seq: env.seq,
        today: env.recorded.date_naive(),
    };
    // A command moved out of a closed period is decided on the day it was
    // moved to, and must have asked for a day in that period.
    let (decided, _) = crate::ledger::dispatch::decide_dated(&decider, command_of(env))
        .map_err(|e| name(e.to_string()))?;
    if let Some(requested) = env.requested {
        let moved = state.closed.is_some_and(|(closed, policy)| {
            policy == crate::command::ClosePolicy::MoveToOpenDay
                && requested <= closed
                && closed.succ_opt() == Some(env.effective)
        });
        if !moved {
            return Err(name(format!(
                "requested {requested} but moved to {} where no closed period moves it",
                env.effective
            )));
        }
    }
    let [(effective, event)] = decided.as_slice() else {
        return Err(name(format!(
            "its command gives {} events, not one",
            decided.len()
        )));
    };
    if *effective != env.effective {
        return Err(name(format!(
            "effective {} where its command gives {effective}",
            env.effective
        )));
    }
    // Equal values may still differ in scale (150.0 for 150.00 USD): the
    // serialized forms must be the same too.
    let same = event == &env.event && serde_json::to_vec(event).is_ok_and(|d| d == event_json);
    if !same {
        return Err(name(mismatch(&env.event, event)));
    }
    Ok(())
}
