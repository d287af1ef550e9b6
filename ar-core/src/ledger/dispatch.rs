//! Each command to the capability that decides it, after the sizes every
//! command is held to.

use chrono::NaiveDate;

use crate::accounting::through_close;
use crate::command::Command;
use crate::credit_memo::CreditKind;
use crate::decide::{Decided, Decider};
use crate::error::Result;
use crate::limits::{check_count, check_dimensions, check_len, MAX_LINES, MAX_TEXT_LEN};

/// Every size in `command` a caller controls, against its limit in
/// [`crate::limits`]: text lengths, dimensions, lines. Lines and taxes of
/// an invoice are checked with its totals.
fn check_sizes(command: &Command) -> Result<()> {
    let text = |field: &str, t: &str| check_len(field, t, MAX_TEXT_LEN);
    match command {
        Command::RegisterCustomer { customer } | Command::UpdateCustomer { customer } => {
            text("customer.name", &customer.name)?;
            check_dimensions("customer.dimensions", customer.dimensions.iter())
        }
        Command::IssueInvoice { invoice } => {
            text(
                "invoice.po_number",
                invoice.po_number.as_deref().unwrap_or(""),
            )?;
            check_dimensions("invoice.dimensions", invoice.dimensions.iter())
        }
        Command::ImportInvoice { invoice, .. } => {
            text(
                "invoice.po_number",
                invoice.po_number.as_deref().unwrap_or(""),
            )?;
            check_dimensions("invoice.dimensions", invoice.dimensions.iter())
        }
        Command::RecordReceipt { receipt } => {
            text(
                "receipt.reference",
                receipt.reference.as_deref().unwrap_or(""),
            )?;
            text("receipt.remittance", &receipt.remittance)?;
            text(
                "receipt.payer_name",
                receipt.payer_name.as_deref().unwrap_or(""),
            )?;
            text(
                "receipt.payer_account",
                receipt.payer_account.as_deref().unwrap_or(""),
            )
        }
        Command::IssueCreditMemo { kind, reason, .. } => {
            if let CreditKind::Lines { lines } = kind {
                check_count("kind.lines", lines.len(), MAX_LINES)?;
            }
            text("reason", reason)
        }
        Command::VoidInvoice { reason, .. }
        | Command::SetDispute { reason, .. }
        | Command::VoidReceipt { reason, .. }
        | Command::VoidCreditMemo { reason, .. }
        | Command::Unapply { reason, .. }
        | Command::WriteOff { reason, .. }
        | Command::WriteOffSource { reason, .. }
        | Command::BookAllowance { reason, .. }
        | Command::ReopenPeriod { reason, .. }
        | Command::ReverseWriteOff { reason, .. }
        | Command::Refund { reason, .. } => text("reason", reason),
        Command::SetCollectionsHold { reason, .. } => text("reason", reason),
        Command::SetCreditHold { reason, by, .. } => {
            text("reason", reason)?;
            text("by", by)
        }
        Command::ResolveDispute { by, reason, .. } => {
            text("by", by)?;
            text("reason", reason)
        }
        Command::ClosePeriod { digest, .. } => check_len("digest", digest, MAX_TEXT_LEN),
        Command::FinalizeInvoice { .. }
        | Command::Revalue { .. }
        | Command::AssignPayer { .. }
        | Command::Apply { .. }
        | Command::ApplyFifo { .. }
        | Command::RecordDunningNotice { .. }
        | Command::IssueCharge { .. }
        | Command::ApplyInClearingOrder { .. }
        | Command::OpenDispute { .. }
        | Command::RecordPromise { .. }
        | Command::AgreePlan { .. } => Ok(()),
    }
}

/// Decides `command` against `d`'s state, through the closed periods: its
/// events and the date the command asked for when a closed period moved
/// it, or why not.
///
/// # Errors
/// Any [`crate::Error`] the command's validation raises, and
/// [`crate::Error::PeriodClosed`].
pub(crate) fn decide_dated(
    d: &Decider<'_>,
    command: Command,
) -> Result<(Decided, Option<NaiveDate>)> {
    check_sizes(&command)?;
    let (command, requested) = through_close(d.state, command)?;
    Ok((decide_open(d, command)?, requested))
}

fn decide_open(d: &Decider<'_>, command: Command) -> Result<Decided> {
    match command {
        Command::RegisterCustomer { customer } => d.register_customer(customer),
        Command::UpdateCustomer { customer } => d.update_customer(customer),
        Command::IssueInvoice { invoice } => d.issue_invoice(invoice),
        Command::FinalizeInvoice { invoice, date } => d.finalize_invoice(invoice, date),
        Command::ImportInvoice { invoice, as_of } => d.import_invoice(&invoice, as_of),
        Command::VoidInvoice {
            invoice,
            date,
            reason,
        } => d.void_invoice(invoice, date, reason),
        Command::SetDispute {
            invoice,
            disputed,
            date,
            reason,
        } => d.set_dispute(invoice, disputed, date, reason),
        Command::RecordReceipt { receipt } => d.record_receipt(receipt),
        Command::AssignPayer {
            receipt,
            customer,
            date,
        } => d.assign_payer(receipt, customer, date),
        Command::VoidReceipt {
            receipt,
            date,
            reason,
        } => d.void_receipt(receipt, date, reason),
        Command::IssueCreditMemo {
            id,
            customer,
            date,
            currency,
            against,
            kind,
            reason,
        } => d.issue_credit_memo(
            &id,
            &customer,
            date,
            currency,
            against.as_ref(),
            &kind,
            &reason,
        ),
        Command::VoidCreditMemo {
            credit_memo,
            date,
            reason,
        } => d.void_credit_memo(credit_memo, date, reason),
        Command::Apply {
            id,
            source,
            invoice,
            installment,
            amount,
            discount,
            date,
        } => d.apply(
            id.as_ref(),
            &source,
            &invoice,
            installment,
            amount,
            discount,
            date,
        ),
        Command::ApplyFifo {
            source,
            date,
            include_disputed,
        } => d.apply_fifo(&source, date, include_disputed),
        Command::Unapply {
            application,
            date,
            reason,
        } => d.unapply(application, date, reason),
        Command::WriteOff {
            id,
            invoice,
            installment,
            amount,
            date,
            reason,
        } => d.write_off(id.as_ref(), &invoice, installment, amount, date, &reason),
        Command::WriteOffSource {
            id,
            source,
            amount,
            date,
            reason,
        } => d.write_off_source(id, source, amount, date, reason),
        Command::BookAllowance {
            date,
            currency,
            amount,
            reason,
        } => d.book_allowance(date, currency, amount, reason),
        Command::Revalue { date, rates } => d.revalue(date, rates),
        Command::ClosePeriod {
            up_to,
            policy,
            digest,
        } => d.close_period(up_to, policy, digest),
        Command::ReopenPeriod { from, reason } => d.reopen_period(from, reason),
        Command::ReverseWriteOff {
            write_off,
            date,
            reason,
        } => d.reverse_write_off(write_off, date, reason),
        Command::Refund {
            id,
            source,
            amount,
            date,
            method,
            reason,
        } => d.refund(id, source, amount, date, method, reason),
        Command::RecordDunningNotice { notice, date } => d.record_dunning_notice(notice, date),
        Command::IssueCharge { charge } => d.issue_charge(charge),
        Command::ApplyInClearingOrder {
            source,
            date,
            invoice,
            include_disputed,
        } => d.apply_in_clearing_order(&source, date, invoice.as_ref(), include_disputed),
        Command::OpenDispute { dispute, date } => d.open_dispute(dispute, date),
        Command::ResolveDispute {
            dispute,
            resolution,
            date,
            by,
            reason,
        } => d.resolve_dispute(dispute, resolution, date, by, reason),
        Command::RecordPromise { promise, date } => d.record_promise(promise, date),
        Command::AgreePlan { plan, date } => d.agree_plan(plan, date),
        Command::SetCreditHold {
            customer,
            hold,
            date,
            reason,
            by,
        } => d.set_credit_hold(customer, hold, date, reason, by),
        Command::SetCollectionsHold {
            customer,
            hold,
            date,
            reason,
        } => d.set_collections_hold(customer, hold, date, reason),
    }
}
