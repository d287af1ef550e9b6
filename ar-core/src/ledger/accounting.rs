//! The journal of a ledger, through a view.

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};

use crate::accounting::{self, GlLine, Journal, JournalOptions, ReconcileRow, TrialBalanceRow};
use crate::command::{ClosePolicy, Command, CommandMeta};
use crate::error::Result;
use crate::ledger::{Ledger, Outcome};
use crate::view::View;

impl Ledger {
    /// The journal entries of the events `view` sees, derived from the
    /// log by `options` (the chart-of-accounts mapping; rates into a
    /// functional currency, when the book has one). One entry per event
    /// that moves money, in log order; each balances in the document's
    /// currency and in the functional currency.
    ///
    /// The entries are made from the whole log (an entry's functional
    /// amounts depend on what came before it in the log) and then cut by
    /// the view: effective by `as_of`, recorded by `known_at`.
    ///
    /// # Errors
    /// [`crate::Error::MissingRate`] for a document whose currency has no
    /// rate on its date; [`crate::Error::LimitExceeded`] for rules past
    /// their limits.
    ///
    /// # Example
    /// ```
    /// use ar_core::*;
    /// use ar_core::accounting::{JournalOptions, Role};
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use rust_decimal::Decimal;
    ///
    /// let usd = Currency::new("USD").unwrap();
    /// let acme = CustomerId::new("ACME").unwrap();
    /// let at = CommandMeta::at(Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap());
    /// let day = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    /// let mut ledger = Ledger::new();
    /// ledger.execute(Command::RegisterCustomer { customer: Customer::new(acme.clone(), "Acme", usd) }, &at).unwrap();
    /// let line = InvoiceLine::new("Widgets", Decimal::TEN, Decimal::new(1250, 2));
    /// let invoice = NewInvoice::new(InvoiceId::new("INV-1").unwrap(), acme, day, vec![line]);
    /// ledger.execute(Command::IssueInvoice { invoice }, &at).unwrap();
    /// let journal = ledger.journal(&JournalOptions::default(), &View::all()).unwrap();
    /// // Dr receivable 125.00, Cr revenue 125.00.
    /// assert_eq!(journal.entries[0].lines.len(), 2);
    /// assert_eq!(journal.role_balance(Role::Receivable, usd).unwrap().to_string(), "125.00");
    /// ```
    pub fn journal(&self, options: &JournalOptions, view: &View) -> Result<Journal> {
        let mut journal = accounting::derive(&self.events, &self.state, options)?;
        let cut = self.cut(view);
        journal
            .entries
            .retain(|e| e.effective <= cut.date && e.seq <= cut.seq);
        Ok(journal)
    }

    /// The trial balance of [`Ledger::journal`]: per account and currency,
    /// debits, credits and balance.
    ///
    /// # Errors
    /// As [`Ledger::journal`].
    pub fn trial_balance(
        &self,
        options: &JournalOptions,
        view: &View,
    ) -> Result<Vec<TrialBalanceRow>> {
        self.journal(options, view)?.trial_balance()
    }

    /// [`Journal::reconcile`] of the journal with a general ledger's
    /// lines, by the `view`'s `as_of` (every line when it has none), as
    /// known at its `known_at`.
    ///
    /// # Errors
    /// As [`Ledger::journal`] and [`Journal::reconcile`].
    pub fn reconcile_gl(
        &self,
        options: &JournalOptions,
        gl: &[GlLine],
        view: &View,
    ) -> Result<Vec<ReconcileRow>> {
        let mut journal = accounting::derive(&self.events, &self.state, options)?;
        let cut = self.cut(view);
        journal.entries.retain(|e| e.seq <= cut.seq);
        journal.reconcile(gl, cut.date)
    }

    /// The digest of a period's figures: SHA-256 (64 hex digits) of every
    /// open item as of `up_to` as known at `known_at` (kind, id,
    /// installment, currency, open amount, one line each, in order). A
    /// close records it; recomputed later with the close's `recorded` as
    /// `known_at`, it shows that the closed figures have not moved.
    ///
    /// # Example
    /// ```
    /// use ar_core::Ledger;
    /// use chrono::NaiveDate;
    ///
    /// let ledger = Ledger::new();
    /// let day = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
    /// // The digest of nothing open: SHA-256 of the empty string.
    /// assert_eq!(
    ///     ledger.period_digest(day, None),
    ///     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// );
    /// ```
    pub fn period_digest(&self, up_to: NaiveDate, known_at: Option<DateTime<Utc>>) -> String {
        let mut view = View::as_of(up_to);
        view.known_at = known_at;
        let mut items: Vec<String> = self
            .open_items(&view)
            .into_iter()
            .map(|i| {
                format!(
                    "{}|{}|{}|{}|{}\n",
                    i.kind.name(),
                    i.id,
                    i.installment.unwrap_or(0),
                    i.currency,
                    i.open
                )
            })
            .collect();
        items.sort_unstable();
        let mut h = Sha256::new();
        for i in &items {
            h.update(i.as_bytes());
        }
        h.finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    }

    /// Closes every period up to `up_to` with the digest of its figures as
    /// they stand ([`Ledger::period_digest`]): afterwards a command dated
    /// on or before `up_to` is refused with `period_closed`, or moved to
    /// the first open day by [`ClosePolicy::MoveToOpenDay`].
    ///
    /// # Errors
    /// As [`Ledger::execute`] of [`Command::ClosePeriod`]: `invalid_value`
    /// for a day before one already closed.
    ///
    /// # Example
    /// ```
    /// use ar_core::*;
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use rust_decimal::Decimal;
    ///
    /// let usd = Currency::new("USD").unwrap();
    /// let at = CommandMeta::at(Utc.with_ymd_and_hms(2026, 2, 3, 9, 0, 0).unwrap());
    /// let jan31 = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
    /// let mut ledger = Ledger::new();
    /// ledger.close_period(jan31, ClosePolicy::Refuse, &at).unwrap();
    /// let receipt = Receipt::new(ReceiptId::new("R-1").unwrap(), jan31, usd, Decimal::TEN)
    ///     .with_method(PaymentMethod::Wire);
    /// let err = ledger.execute(Command::RecordReceipt { receipt }, &at).unwrap_err();
    /// assert_eq!(err.code(), "period_closed");
    /// ```
    pub fn close_period(
        &mut self,
        up_to: NaiveDate,
        policy: ClosePolicy,
        meta: &CommandMeta,
    ) -> Result<Outcome> {
        let digest = self.period_digest(up_to, None);
        self.execute(
            Command::ClosePeriod {
                up_to,
                policy,
                digest,
            },
            meta,
        )
    }
}
