//! Each event to the capability that folds it into the state.

use crate::error::Result;
use crate::event::{Event, EventEnvelope};
use crate::state::State;
use crate::view::Stamp;

/// Folds one event into `state`. Fails only on a log that refers to records
/// it never created (or creates one twice); every reference is checked
/// before anything changes.
///
/// # Errors
/// [`crate::Error::CorruptLog`] naming the record.
pub(crate) fn fold(state: &mut State, env: &EventEnvelope) -> Result<()> {
    let at = Stamp {
        eff: env.effective,
        seq: env.seq,
    };
    match &env.event {
        Event::CustomerRegistered { customer } => state.fold_customer_registered(at, customer),
        Event::CustomerUpdated { customer } => state.fold_customer_updated(at, customer),
        Event::InvoiceIssued { invoice } => {
            // A charge note's items are resolved before anything changes.
            let (note, charged) = state.check_charge(invoice)?;
            state.fold_invoice_issued(at, invoice)?;
            state.fold_charged(note, charged);
            Ok(())
        }
        Event::InvoiceFinalized { invoice } => state.fold_invoice_finalized(at, invoice),
        Event::InvoiceVoided { invoice, .. } => state.fold_invoice_voided(at, invoice),
        Event::DisputeSet {
            invoice, disputed, ..
        } => state.fold_dispute_set(at, invoice, disputed),
        Event::ReceiptRecorded { receipt } => state.fold_receipt_recorded(at, receipt),
        Event::PayerAssigned { receipt, customer } => {
            state.fold_payer_assigned(at, receipt, customer)
        }
        Event::ReceiptVoided { receipt, .. } => state.fold_receipt_voided(at, receipt),
        Event::CreditMemoIssued { credit_memo } => state.fold_credit_memo_issued(at, credit_memo),
        Event::CreditMemoVoided { credit_memo, .. } => {
            state.fold_credit_memo_voided(at, credit_memo)
        }
        Event::Applied {
            application,
            source,
            invoice,
            allocations,
        } => state.fold_applied(at, application, source, invoice, allocations),
        Event::Unapplied { application, .. } => state.fold_unapplied(at, application),
        Event::WrittenOff {
            write_off,
            invoice,
            allocations,
            reason,
        } => state.fold_written_off(at, write_off, invoice, allocations, reason),
        Event::SourceWrittenOff {
            write_off,
            source,
            amount,
            reason,
        } => state.fold_source_written_off(at, write_off, source, amount, reason),
        Event::PeriodClosed { up_to, policy, .. } => {
            state.fold_period_closed(*up_to, *policy);
            Ok(())
        }
        Event::PeriodReopened { from, .. } => {
            state.fold_period_reopened(*from);
            Ok(())
        }
        // The journal books these; the open items do not change.
        Event::AllowanceBooked { .. } | Event::Revalued { .. } => Ok(()),
        Event::WriteOffReversed { write_off, .. } => state.fold_write_off_reversed(at, write_off),
        Event::Refunded {
            refund,
            source,
            amount,
            ..
        } => state.fold_refunded(at, refund, source, amount),
        Event::DunningNoticeRecorded { notice } => state.fold_notice_recorded(at, notice),
        Event::DisputeOpened { dispute } => state.fold_dispute_opened(at, dispute),
        Event::DisputeResolved {
            dispute,
            resolution,
            by,
            reason,
        } => state.fold_dispute_resolved(at, dispute, resolution, by, reason),
        Event::PromiseRecorded { promise } => state.fold_promise_recorded(at, promise),
        Event::PlanAgreed { plan } => state.fold_plan_agreed(at, plan),
        Event::CollectionsHoldSet {
            customer,
            hold,
            reason,
        } => state.fold_hold_set(at, customer, *hold, reason),
    }
}
