//! Collections queries: dunning runs, disputes, promises and plans, each
//! as of a business date and as known at a recorded time.

use chrono::{DateTime, NaiveDate, Utc};

use crate::collections::status::{
    self, DisputeGroup, DisputeSummaryRow, DisputeView, PlanView, PromiseStatus, PromiseView,
};
use crate::collections::{dunning, DunningRun, DunningSetup};
use crate::error::Result;
use crate::ledger::Ledger;
use crate::view::{Cut, View};

impl Ledger {
    fn collections_cut(&self, as_of: NaiveDate, known_at: Option<DateTime<Utc>>) -> Cut {
        self.cut(&View {
            as_of: Some(as_of),
            known_at,
        })
    }

    /// A dunning run as of `as_of`, as the ledger was known at `known_at`
    /// (everything recorded when `None`): per customer and currency, the
    /// notice due, and for every customer not chased, why. Deterministic:
    /// the same ledger and setup give the same run. See
    /// [`crate::collections::dunning`] for the rules.
    ///
    /// # Errors
    /// As [`DunningSetup::validate`]; [`crate::Error::NotFound`] for a
    /// customer whose policy dimension names no policy;
    /// [`crate::Error::InvalidValue`] when a notice claims interest on a
    /// date the rule's rate table does not cover;
    /// [`crate::Error::Template`] when a notice's template fails.
    ///
    /// # Example
    /// ```
    /// use ar_core::*;
    /// use ar_core::collections::{DunningLevel, DunningPolicy, DunningSetup};
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use rust_decimal::Decimal;
    ///
    /// let usd = Currency::new("USD").unwrap();
    /// let acme = CustomerId::new("ACME").unwrap();
    /// let at = CommandMeta::at(Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap());
    /// let day = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    /// let mut ledger = Ledger::new();
    /// ledger.execute(Command::RegisterCustomer { customer: Customer::new(acme.clone(), "Acme", usd) }, &at).unwrap();
    /// let line = InvoiceLine::new("Widgets", Decimal::ONE, Decimal::new(10000, 2));
    /// let invoice = NewInvoice::new(InvoiceId::new("INV-1").unwrap(), acme, day, vec![line]);
    /// ledger.execute(Command::IssueInvoice { invoice }, &at).unwrap(); // net 30: due 4 February
    /// let policy = DunningPolicy {
    ///     id: "std".into(),
    ///     levels: vec![DunningLevel { days: 7, min_overdue: vec![], action: DunningAction::Email,
    ///         template: "first".into(), fee: vec![], interest: false }],
    ///     min_days_between: 7, interest: None, clearing: Default::default(),
    /// };
    /// let setup = DunningSetup::single(policy);
    /// let run = ledger.dunning_run(&setup, NaiveDate::from_ymd_opt(2026, 2, 20).unwrap(), None).unwrap();
    /// assert_eq!(run.notices[0].items[0].days_past_due, 16);
    /// // Recorded, the notice is not proposed again.
    /// let notice = run.notices[0].record(NoticeId::new("N-1").unwrap());
    /// ledger.execute(Command::RecordDunningNotice { notice, date: run.as_of }, &at).unwrap();
    /// let again = ledger.dunning_run(&setup, run.as_of, None).unwrap();
    /// assert!(again.notices.is_empty());
    /// ```
    pub fn dunning_run(
        &self,
        setup: &DunningSetup,
        as_of: NaiveDate,
        known_at: Option<DateTime<Utc>>,
    ) -> Result<DunningRun> {
        let mut run = dunning::run(
            &self.state,
            self.collections_cut(as_of, known_at),
            as_of,
            setup,
        )?;
        crate::collections::render::render_all(setup, &mut run)?;
        Ok(run)
    }

    /// Every dispute record opened by `as_of` (as known at `known_at`),
    /// open or resolved, in the order opened; ages run to `as_of` or the
    /// resolution.
    pub fn disputes(&self, as_of: NaiveDate, known_at: Option<DateTime<Utc>>) -> Vec<DisputeView> {
        let cut = self.collections_cut(as_of, known_at);
        self.state
            .collections
            .disputes
            .iter()
            .filter_map(|d| status::dispute_view(&self.state, d, cut, as_of))
            .collect()
    }

    /// Open disputes counted, summed and aged by reason, customer or owner,
    /// per currency.
    ///
    /// # Errors
    /// [`crate::Error::Overflow`] never in practice (the ledger bounds its
    /// amounts).
    pub fn dispute_summary(
        &self,
        as_of: NaiveDate,
        known_at: Option<DateTime<Utc>>,
        group: DisputeGroup,
    ) -> Result<Vec<DisputeSummaryRow>> {
        status::summarize(&self.disputes(as_of, known_at), group)
    }

    /// Every promise made by `as_of` (as known at `known_at`) with whether
    /// it is open, kept or broken, in the order made.
    ///
    /// # Errors
    /// [`crate::Error::Overflow`] never in practice.
    pub fn promises(
        &self,
        as_of: NaiveDate,
        known_at: Option<DateTime<Utc>>,
    ) -> Result<Vec<PromiseView>> {
        let cut = self.collections_cut(as_of, known_at);
        self.state
            .collections
            .promises
            .iter()
            .filter(|p| cut.sees(p.at))
            .map(|p| status::promise_view(&self.state, p, cut))
            .collect()
    }

    /// The promises broken as of `as_of`: [`Ledger::promises`] filtered.
    ///
    /// # Errors
    /// As [`Ledger::promises`].
    pub fn broken_promises(
        &self,
        as_of: NaiveDate,
        known_at: Option<DateTime<Utc>>,
    ) -> Result<Vec<PromiseView>> {
        let mut all = self.promises(as_of, known_at)?;
        all.retain(|p| p.status == PromiseStatus::Broken);
        Ok(all)
    }

    /// Every payment plan agreed by `as_of` (as known at `known_at`) with
    /// whether it is current, broken or completed, in the order agreed.
    ///
    /// # Errors
    /// [`crate::Error::Overflow`] never in practice.
    pub fn plans(
        &self,
        as_of: NaiveDate,
        known_at: Option<DateTime<Utc>>,
    ) -> Result<Vec<PlanView>> {
        let cut = self.collections_cut(as_of, known_at);
        self.state
            .collections
            .plans
            .iter()
            .filter(|p| cut.sees(p.at))
            .map(|p| status::plan_view(&self.state, p, cut))
            .collect()
    }
}
