//! The collector's worklist of a ledger.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rust_decimal::Decimal;

use crate::collections::{PlanStatus, PromiseStatus};
use crate::currency::Currency;
use crate::error::Result;
use crate::forecast::histories;
use crate::id::{CustomerId, InvoiceId};
use crate::kinds::OpenItemKind;
use crate::ledger::Ledger;
use crate::money::{OrOverflow, RoundingPolicy};
use crate::state::idx;
use crate::view::View;
use crate::worklist::{Exclusion, Worklist, WorklistExcluded, WorklistOptions, WorklistRow};

/// Installments covered by promises or plans: `None` for every
/// installment of the invoice.
type Covered = HashMap<InvoiceId, Vec<Option<u32>>>;

fn covers(c: &Covered, invoice: &InvoiceId, installment: Option<u32>) -> bool {
    c.get(invoice).is_some_and(|v| {
        v.iter()
            .any(|i| i.is_none() || *i == installment || installment.is_none())
    })
}

impl Ledger {
    /// The collector's worklist as of `options.as_of`: customers ranked by
    /// what a call is worth, each with the figures behind its rank, and
    /// the customers left off with why (see [`crate::worklist`]).
    ///
    /// # Errors
    /// [`crate::Error::Overflow`] never in practice.
    pub fn worklist(&self, options: &WorklistOptions) -> Result<Worklist> {
        let view = View {
            as_of: Some(options.as_of),
            known_at: options.known_at,
        };
        let cut = self.cut(&view);
        let (history, _) = histories(&self.state, cut)?;
        let mut promised = Covered::new();
        let mut broken_promises: HashMap<CustomerId, u64> = HashMap::new();
        for p in self.promises(options.as_of, options.known_at)? {
            match p.status {
                PromiseStatus::Open => {
                    for i in &p.promise.items {
                        promised
                            .entry(i.invoice.clone())
                            .or_default()
                            .push(i.installment);
                    }
                }
                PromiseStatus::Broken => {
                    let n = broken_promises
                        .entry(p.promise.customer.clone())
                        .or_default();
                    *n = n.saturating_add(1);
                }
                PromiseStatus::Kept => {}
            }
        }
        let mut planned = Covered::new();
        let mut broken_plans: HashMap<CustomerId, u64> = HashMap::new();
        for p in self.plans(options.as_of, options.known_at)? {
            match p.status {
                PlanStatus::Current => {
                    for i in &p.plan.items {
                        planned
                            .entry(i.invoice.clone())
                            .or_default()
                            .push(i.installment);
                    }
                }
                PlanStatus::Broken => {
                    let n = broken_plans.entry(p.plan.customer.clone()).or_default();
                    *n = n.saturating_add(1);
                }
                PlanStatus::Completed => {}
            }
        }
        // Customers as the view knows them, filtered by dimension.
        let mut names: HashMap<&CustomerId, (&str, bool, bool)> = HashMap::new();
        for c in self.state.customers_at(cut.seq) {
            let keep = options
                .dimension
                .as_ref()
                .is_none_or(|(k, v)| c.dimensions.get(k) == Some(v));
            let row = self.state.customers.index_of(&c.id);
            let held = row.is_some_and(|r| self.state.collections.hold(idx(r), cut).is_some());
            let credit_hold = row.is_some_and(|r| self.state.credit_hold(r, cut).is_some());
            if keep {
                names.insert(&c.id, (c.name.as_str(), held, credit_hold));
            }
        }
        #[derive(Default)]
        struct Acc {
            overdue: Decimal,
            weighted: Decimal,
            items: u64,
            oldest: i64,
            reasons: BTreeSet<ExclusionKey>,
            anything_overdue: bool,
        }
        #[derive(PartialEq, Eq, PartialOrd, Ord)]
        struct ExclusionKey(u8);
        let mut acc: BTreeMap<(CustomerId, Currency), Acc> = BTreeMap::new();
        let thirty = Decimal::from(30);
        // What each customer owes, from the same open items: invoices less
        // credits and cash.
        let mut exposure: HashMap<(CustomerId, Currency), Decimal> = HashMap::new();
        for item in self.open_items_of(&view, None) {
            let Some(customer) = &item.customer else {
                continue;
            };
            let Some((_, held, _)) = names.get(customer) else {
                continue;
            };
            if options.currency.is_some_and(|c| c != item.currency) {
                continue;
            }
            let owed = exposure
                .entry((customer.clone(), item.currency))
                .or_default();
            *owed = match item.kind {
                OpenItemKind::Invoice => owed.checked_add(item.open),
                OpenItemKind::CreditMemo | OpenItemKind::UnappliedCash => {
                    owed.checked_sub(item.open)
                }
            }
            .or_overflow("worklist")?;
            let a = acc.entry((customer.clone(), item.currency)).or_default();
            let (OpenItemKind::Invoice, Some(due)) = (item.kind, item.due_date) else {
                continue;
            };
            let days = options.as_of.signed_duration_since(due).num_days();
            if days <= 0 {
                continue;
            }
            a.anything_overdue = true;
            let invoice = InvoiceId::new(&item.id)?;
            let reason = if *held {
                Some(4)
            } else if item.disputed {
                Some(1)
            } else if covers(&promised, &invoice, item.installment) {
                Some(2)
            } else if covers(&planned, &invoice, item.installment) {
                Some(3)
            } else {
                None
            };
            if let Some(r) = reason {
                a.reasons.insert(ExclusionKey(r));
                continue;
            }
            // open x (1 + days / 30)
            let weight = Decimal::ONE
                .checked_add(
                    Decimal::from(days)
                        .checked_div(thirty)
                        .or_overflow("worklist")?,
                )
                .or_overflow("worklist")?;
            a.weighted = a
                .weighted
                .checked_add(item.open.checked_mul(weight).or_overflow("worklist")?)
                .or_overflow("worklist")?;
            a.overdue = a.overdue.checked_add(item.open).or_overflow("worklist")?;
            a.items = a.items.saturating_add(1);
            a.oldest = a.oldest.max(days);
        }
        let round = |x: Decimal, places: u32| {
            RoundingPolicy::default().round_checked("worklist", x, places)
        };
        let mut rows = Vec::new();
        let mut excluded = Vec::new();
        for ((customer, currency), a) in acc {
            if a.items == 0 {
                let mut reasons: Vec<Exclusion> = a
                    .reasons
                    .iter()
                    .map(|k| match k.0 {
                        1 => Exclusion::Disputed,
                        2 => Exclusion::Promised,
                        3 => Exclusion::OnPlan,
                        _ => Exclusion::OnHold,
                    })
                    .collect();
                if !a.anything_overdue {
                    reasons = vec![Exclusion::NothingOverdue];
                }
                excluded.push(WorklistExcluded {
                    customer,
                    currency,
                    reasons,
                });
                continue;
            }
            let h = history.get(&customer).copied().unwrap_or_default();
            let (late_share, beyond) = if h.weight.is_zero() {
                (Decimal::ZERO, Decimal::ZERO)
            } else {
                (
                    h.late.checked_div(h.weight).or_overflow("worklist")?,
                    h.weighted_days
                        .checked_div(h.weight)
                        .or_overflow("worklist")?,
                )
            };
            let broken = broken_promises.get(&customer).copied().unwrap_or(0);
            let plans = broken_plans.get(&customer).copied().unwrap_or(0);
            let promise_factor = Decimal::ONE
                .checked_add(
                    Decimal::from(broken.min(4))
                        .checked_div(Decimal::TWO)
                        .or_overflow("worklist")?,
                )
                .or_overflow("worklist")?;
            let score = a
                .weighted
                .checked_mul(
                    Decimal::ONE
                        .checked_add(late_share)
                        .or_overflow("worklist")?,
                )
                .and_then(|s| s.checked_mul(promise_factor))
                .or_overflow("worklist")?;
            let minor = currency.minor_units();
            let (overdue, weighted) = (round(a.overdue, minor)?, round(a.weighted, minor)?);
            let late_share = round(late_share, 4)?;
            let beyond = round(beyond, 1)?;
            let name = names.get(&customer).map_or("", |n| n.0).to_owned();
            let credit_hold = names.get(&customer).is_some_and(|n| n.2);
            let explanation = format!(
                "{} {currency} overdue in {} item(s), the oldest {} days ({weighted} weighted by age); \
                 {}% of past payments late, {beyond} days beyond terms on average; \
                 {broken} broken promise(s), {plans} broken plan(s)",
                overdue,
                a.items,
                a.oldest,
                late_share
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .unwrap_or_default()
                    .round_dp(1)
                    .normalize(),
            );
            rows.push(WorklistRow {
                rank: 0,
                exposure: exposure
                    .get(&(customer.clone(), currency))
                    .copied()
                    .unwrap_or_default(),
                customer,
                name,
                currency,
                score: round(score, 2)?,
                overdue,
                weighted_overdue: weighted,
                items: a.items,
                oldest_days: a.oldest,
                late_share,
                days_beyond_terms: beyond,
                broken_promises: broken,
                broken_plans: plans,
                explanation,
                credit_hold,
            });
        }
        rows.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then_with(|| a.customer.cmp(&b.customer))
        });
        for (i, r) in rows.iter_mut().enumerate() {
            r.rank = u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1);
        }
        Ok(Worklist {
            as_of: options.as_of,
            rows,
            excluded,
        })
    }
}
