//! Payment plans: instalments over open items that add up exactly to what
//! the items have open when the plan is agreed.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use smallvec::smallvec;

use crate::collection_records::{PaymentPlan, PlanInstalment};
use crate::currency::Currency;
use crate::decide::{date_before, duplicate, Decided, Decider};
use crate::error::{Error, Result};
use crate::event::Event;
use crate::limits::{check_count, MAX_INSTALLMENTS};
use crate::money::{allocate, check_positive, OrOverflow};
use crate::state::{dup, idx, missing, PlanState, State};
use crate::view::{Cut, Stamp};

use super::columns_of;
use super::promise::plus_days;

impl PaymentPlan {
    /// Instalments of `total` on `dates`, split as equally as the
    /// currency's minor unit allows by [`crate::allocate`] (largest
    /// remainder; earlier instalments take any extra minor unit), so they
    /// add up to `total` exactly.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for no dates, [`Error::LimitExceeded`] past
    /// [`MAX_INSTALLMENTS`], as [`crate::allocate`] otherwise.
    ///
    /// # Example
    /// ```
    /// use ar_core::{Currency, PaymentPlan};
    /// use chrono::NaiveDate;
    /// use rust_decimal::Decimal;
    /// let d = |m| NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
    /// let eur = Currency::new("EUR").unwrap();
    /// let parts = PaymentPlan::split(Decimal::new(10000, 2), eur, &[d(1), d(2), d(3)]).unwrap();
    /// let amounts: Vec<String> = parts.iter().map(|p| p.amount.to_string()).collect();
    /// assert_eq!(amounts, ["33.34", "33.33", "33.33"]);
    /// ```
    pub fn split(
        total: Decimal,
        currency: Currency,
        dates: &[NaiveDate],
    ) -> Result<Vec<PlanInstalment>> {
        if dates.is_empty() {
            return Err(Error::invalid_value(
                "dates",
                "[]",
                "a plan has at least one instalment",
            ));
        }
        check_count("dates", dates.len(), MAX_INSTALLMENTS)?;
        let total = check_positive("total", total, currency)?;
        let weights = vec![Decimal::ONE; dates.len()];
        let parts = allocate(total, &weights, currency.minor_units())?;
        Ok(dates
            .iter()
            .zip(parts)
            .map(|(due, amount)| PlanInstalment { due: *due, amount })
            .collect())
    }
}

impl Decider<'_> {
    pub(crate) fn agree_plan(&self, plan: PaymentPlan, date: NaiveDate) -> Result<Decided> {
        if self.state.collections.plans.contains(&plan.id) {
            return Err(duplicate("plan.id", "plan", plan.id.as_str()));
        }
        self.customer("plan.customer", &plan.customer)?;
        let (currency, cols) = self.items_of("plan.items", &plan.customer, &plan.items)?;
        let Some(currency) = currency else {
            return Err(Error::invalid_value("plan.items", "[]", "no items"));
        };
        if plan.instalments.is_empty() {
            return Err(Error::invalid_value(
                "plan.instalments",
                "[]",
                "a plan has at least one instalment",
            ));
        }
        check_count("plan.instalments", plan.instalments.len(), MAX_INSTALLMENTS)?;
        let mut total = Decimal::ZERO;
        let mut last = date;
        let mut instalments = Vec::with_capacity(plan.instalments.len());
        for (i, p) in plan.instalments.iter().enumerate() {
            let f = format!("plan.instalments[{i}]");
            let amount = check_positive(&format!("{f}.amount"), p.amount, currency)?;
            if p.due < last {
                return Err(date_before(
                    &format!("{f}.due"),
                    p.due,
                    if i == 0 {
                        "the date the plan was agreed".to_owned()
                    } else {
                        format!("plan.instalments[{}]", i.saturating_sub(1))
                    },
                    last,
                ));
            }
            plus_days("plan.grace_days", p.due, plan.grace_days)?;
            last = p.due;
            total = total.checked_add(amount).or_overflow("plan.instalments")?;
            instalments.push(PlanInstalment { due: p.due, amount });
        }
        let cut = Cut {
            date,
            seq: u64::MAX,
        };
        let mut open = Decimal::ZERO;
        for col in &cols {
            let Some((inv, n)) = super::installment_at(self.state, *col) else {
                continue;
            };
            let live_from = inv.finalized.map_or(inv.issued.eff, |s| s.eff);
            if date < live_from {
                return Err(date_before(
                    "date",
                    date,
                    format!("invoice {}", inv.invoice.id),
                    live_from,
                ));
            }
            let t = inv
                .installments
                .get(usize::try_from(n.saturating_sub(1)).unwrap_or(usize::MAX));
            let o = t.map_or(Decimal::ZERO, |t| t.at(cut));
            open = open.checked_add(o).or_overflow("plan.items")?;
        }
        if open <= Decimal::ZERO {
            return Err(Error::NothingToApply {
                field: "plan.items".into(),
                reason: format!("the items have nothing open at {date}"),
            });
        }
        if total != open {
            return Err(Error::invalid_amount(
                "plan.instalments",
                total,
                &format!("the instalments must add up to the {open} the items have open at {date}"),
            ));
        }
        Ok(smallvec![(
            date,
            Event::PlanAgreed {
                plan: Arc::new(PaymentPlan {
                    instalments,
                    ..plan
                }),
            },
        )])
    }
}

impl State {
    /// Folds `plan_agreed`.
    pub(crate) fn fold_plan_agreed(&mut self, at: Stamp, plan: &Arc<PaymentPlan>) -> Result<()> {
        if self.collections.plans.contains(&plan.id) {
            return Err(dup("plan", plan.id.as_str()));
        }
        let mut cols = Vec::new();
        let mut currency = None;
        for item in &plan.items {
            let inv = self
                .invoices
                .get(&item.invoice)
                .ok_or_else(|| missing("invoice", item.invoice.as_str()))?;
            currency = Some(inv.invoice.currency);
            cols.extend(
                columns_of(inv, item, "plan.items").map_err(|e| Error::corrupt(e.to_string()))?,
            );
        }
        let currency = currency.ok_or_else(|| Error::corrupt("a plan without items"))?;
        let c = &mut self.collections;
        let row = idx(c.plans.len());
        for col in &cols {
            c.plans_of.entry(*col).or_default().push(row);
        }
        c.plans.insert(
            plan.id.clone(),
            PlanState {
                plan: plan.clone(),
                at,
                currency,
                installments: cols,
            },
        );
        Ok(())
    }
}
