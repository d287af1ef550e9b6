//! Period close, the bad-debt allowance and revaluations as records of the
//! ledger: what each command checks and how its event folds in.

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use smallvec::smallvec;

use crate::command::{ClosePolicy, ClosingRate, Command};
use crate::currency::Currency;
use crate::decide::{Decided, Decider};
use crate::error::{Error, Result};
use crate::event::Event;
use crate::limits::check_count;
use crate::money::check_minor_units;
use crate::state::State;

/// Closing rates of one revaluation.
pub const MAX_CLOSING_RATES: usize = 200;

impl Decider<'_> {
    pub(crate) fn book_allowance(
        &self,
        date: NaiveDate,
        currency: Currency,
        amount: Decimal,
        reason: String,
    ) -> Result<Decided> {
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(Error::invalid_amount(
                "amount",
                amount,
                "an allowance is zero or more",
            ));
        }
        let amount = check_minor_units("amount", amount, currency)?;
        Ok(smallvec![(
            date,
            Event::AllowanceBooked {
                currency,
                amount,
                reason,
            }
        )])
    }

    pub(crate) fn revalue(&self, date: NaiveDate, rates: Vec<ClosingRate>) -> Result<Decided> {
        check_count("rates", rates.len(), MAX_CLOSING_RATES)?;
        if rates.is_empty() {
            return Err(Error::invalid_value(
                "rates",
                "[]",
                "a revaluation needs a closing rate",
            ));
        }
        for (i, r) in rates.iter().enumerate() {
            if r.rate <= Decimal::ZERO {
                return Err(Error::invalid_amount(
                    &format!("rates[{i}].rate"),
                    r.rate,
                    "must be greater than zero",
                ));
            }
            if rates.iter().take(i).any(|o| o.currency == r.currency) {
                return Err(Error::invalid_value(
                    &format!("rates[{i}].currency"),
                    r.currency,
                    "is given twice",
                ));
            }
        }
        Ok(smallvec![(date, Event::Revalued { rates })])
    }

    pub(crate) fn close_period(
        &self,
        up_to: NaiveDate,
        policy: ClosePolicy,
        digest: String,
    ) -> Result<Decided> {
        if let Some((closed, _)) = self.state.closed {
            if up_to < closed {
                return Err(Error::invalid_value(
                    "up_to",
                    up_to,
                    &format!("periods are already closed up to {closed}"),
                ));
            }
        }
        if digest.len() != 64 || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::invalid_value(
                "digest",
                &digest,
                "expected 64 hex digits (Ledger::period_digest)",
            ));
        }
        // A close is dated on its last day.
        Ok(smallvec![(
            up_to,
            Event::PeriodClosed {
                up_to,
                policy,
                digest,
            }
        )])
    }

    pub(crate) fn reopen_period(&self, from: Option<NaiveDate>, reason: String) -> Result<Decided> {
        let Some((closed, _)) = self.state.closed else {
            return Err(Error::InvalidState {
                field: "from".into(),
                kind: "period".into(),
                id: "closed periods".into(),
                state: "none".into(),
                action: "reopen them".into(),
            });
        };
        if reason.trim().is_empty() {
            return Err(Error::invalid_value(
                "reason",
                &reason,
                "reopening a period needs a reason",
            ));
        }
        if let Some(f) = from.filter(|f| *f > closed) {
            return Err(Error::invalid_value(
                "from",
                f,
                &format!("periods are closed only up to {closed}"),
            ));
        }
        // Dated when it is recorded: reopening is not itself in a period.
        Ok(smallvec![(
            self.today,
            Event::PeriodReopened { from, reason }
        )])
    }
}

impl State {
    /// Folds `period_closed`.
    pub(crate) fn fold_period_closed(&mut self, up_to: NaiveDate, policy: ClosePolicy) {
        self.closed = Some((up_to, policy));
    }

    /// Folds `period_reopened`.
    pub(crate) fn fold_period_reopened(&mut self, from: Option<NaiveDate>) {
        self.closed = match (from.and_then(|f| f.pred_opt()), self.closed) {
            (Some(last), Some((_, policy))) => Some((last, policy)),
            _ => None,
        };
    }
}

/// The business date `command` asks for, with the field naming it, and
/// whether a closed period may move it (documents carry their own date;
/// they are never moved).
fn dated(command: &Command) -> Option<(&'static str, NaiveDate, bool)> {
    Some(match command {
        Command::IssueInvoice { invoice } => ("invoice.date", invoice.date, false),
        Command::ImportInvoice { as_of, .. } => ("as_of", *as_of, false),
        Command::RecordReceipt { receipt } => ("receipt.date", receipt.date, false),
        Command::IssueCreditMemo { date, .. } => ("date", *date, false),
        // Interest and fee notes are documents too.
        Command::IssueCharge { charge } => ("charge.date", charge.date, false),
        Command::FinalizeInvoice { date, .. }
        | Command::VoidInvoice { date, .. }
        | Command::SetDispute { date, .. }
        | Command::AssignPayer { date, .. }
        | Command::VoidReceipt { date, .. }
        | Command::VoidCreditMemo { date, .. }
        | Command::Apply { date, .. }
        | Command::ApplyFifo { date, .. }
        | Command::Unapply { date, .. }
        | Command::WriteOff { date, .. }
        | Command::WriteOffSource { date, .. }
        | Command::ReverseWriteOff { date, .. }
        | Command::Refund { date, .. }
        | Command::BookAllowance { date, .. }
        | Command::Revalue { date, .. }
        | Command::ApplyInClearingOrder { date, .. }
        // Collections records post nothing; they follow the cash they
        // chase into the first open day.
        | Command::RecordDunningNotice { date, .. }
        | Command::OpenDispute { date, .. }
        | Command::ResolveDispute { date, .. }
        | Command::RecordPromise { date, .. }
        | Command::AgreePlan { date, .. }
        | Command::SetCollectionsHold { date, .. } => ("date", *date, true),
        Command::RegisterCustomer { .. }
        | Command::UpdateCustomer { .. }
        | Command::ClosePeriod { .. }
        | Command::ReopenPeriod { .. } => return None,
    })
}

/// `command` with its movable date set to `date`.
fn redated(mut command: Command, to: NaiveDate) -> Command {
    match &mut command {
        Command::FinalizeInvoice { date, .. }
        | Command::VoidInvoice { date, .. }
        | Command::SetDispute { date, .. }
        | Command::AssignPayer { date, .. }
        | Command::VoidReceipt { date, .. }
        | Command::VoidCreditMemo { date, .. }
        | Command::Apply { date, .. }
        | Command::ApplyFifo { date, .. }
        | Command::Unapply { date, .. }
        | Command::WriteOff { date, .. }
        | Command::WriteOffSource { date, .. }
        | Command::ReverseWriteOff { date, .. }
        | Command::Refund { date, .. }
        | Command::BookAllowance { date, .. }
        | Command::Revalue { date, .. }
        | Command::ApplyInClearingOrder { date, .. }
        | Command::RecordDunningNotice { date, .. }
        | Command::OpenDispute { date, .. }
        | Command::ResolveDispute { date, .. }
        | Command::RecordPromise { date, .. }
        | Command::AgreePlan { date, .. }
        | Command::SetCollectionsHold { date, .. } => *date = to,
        // Documents and undated commands keep what they ask for.
        Command::IssueInvoice { .. }
        | Command::ImportInvoice { .. }
        | Command::RecordReceipt { .. }
        | Command::IssueCreditMemo { .. }
        | Command::IssueCharge { .. }
        | Command::RegisterCustomer { .. }
        | Command::UpdateCustomer { .. }
        | Command::ClosePeriod { .. }
        | Command::ReopenPeriod { .. } => {}
    }
    command
}

/// `command` as the closed periods let it through: unchanged, or moved to
/// the first open day with the date it asked for.
///
/// # Errors
/// [`Error::PeriodClosed`] for a date in a closed period that may not be
/// moved.
pub(crate) fn through_close(
    state: &State,
    command: Command,
) -> Result<(Command, Option<NaiveDate>)> {
    let (Some((closed, policy)), Some((field, date, movable))) = (state.closed, dated(&command))
    else {
        return Ok((command, None));
    };
    if date > closed {
        return Ok((command, None));
    }
    let open = closed.checked_add_days(Days::new(1));
    match (policy, movable, open) {
        (ClosePolicy::MoveToOpenDay, true, Some(open)) => Ok((redated(command, open), Some(date))),
        _ => Err(Error::PeriodClosed {
            field: field.to_owned(),
            date: date.to_string(),
            closed_until: closed.to_string(),
        }),
    }
}
