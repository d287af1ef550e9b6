//! The journal of a ledger, through a view.

use crate::accounting::{self, GlLine, Journal, JournalOptions, ReconcileRow, TrialBalanceRow};
use crate::error::Result;
use crate::ledger::Ledger;
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
}
