//! A dunning run: as of a date and as known at a time, per customer and
//! currency, the notice due and, for every customer not chased, why.
//!
//! An item (an invoice installment) is overdue for a policy once it is as
//! many days past due as the policy's first level says. Its level is the
//! highest its days past due reach, and never below the level it was last
//! reminded at (so a partly paid item keeps its history). A notice is due
//! when some item reached a level above the one it was last reminded at,
//! the customer is not on hold, the overdue amount is at least the level's
//! threshold, and the last notice in that currency is at least the
//! policy's minimum days old. Disputed amounts, items under an open
//! promise and items under a current plan are left out, each with why.
//! Recording the notice (`record_dunning_notice`) moves each item's level,
//! so a second run that day proposes nothing new.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::collection_records::{ChargeKind, DunningAction, NoticeItem, NoticeRecord};
use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::id::{CustomerId, InvoiceId, NoticeId, PlanId, PromiseId};
use crate::money::OrOverflow;
use crate::report::columns::{self, from_minor, ColCut};
use crate::state::{InvoiceState, State};
use crate::view::Cut;

use super::interest::{late_interest, CompensationLine, InterestRule, Prepared, PrincipalChange};
use super::policy::{amount_in, DunningPolicy, DunningSetup};
use super::status::{disputed_amount, plan_view, promise_view, PlanStatus, PromiseStatus};

/// One item of a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NoticeLine {
    /// The invoice.
    pub invoice: InvoiceId,
    /// The installment (1-based).
    pub installment: u32,
    /// Invoice date.
    pub invoice_date: NaiveDate,
    /// Due date.
    pub due_date: NaiveDate,
    /// Days past due as of the run (negative before due).
    pub days_past_due: i64,
    /// Amount of the installment.
    #[serde(with = "crate::serde_decimal")]
    pub original: Decimal,
    /// Open and not disputed.
    #[serde(with = "crate::serde_decimal")]
    pub open: Decimal,
    /// Level it is reminded at now.
    pub level: u32,
    /// Level it was last reminded at (0: never).
    pub previous_level: u32,
}

/// Interest claimable on one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InterestLine {
    /// The invoice.
    pub invoice: InvoiceId,
    /// The installment (1-based).
    pub installment: u32,
    /// Due date.
    pub due_date: NaiveDate,
    /// Last day computed (the run's date).
    pub through: NaiveDate,
    /// Days that bore interest.
    pub days: i64,
    /// Interest accrued from the due date (plus grace) to `through`.
    #[serde(with = "crate::serde_decimal")]
    pub accrued: Decimal,
    /// Already charged on interest notes.
    #[serde(with = "crate::serde_decimal")]
    pub charged: Decimal,
    /// Claimable now: accrued less charged, never below zero.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
    /// The principal is paid: the interest is all that is left.
    pub paid: bool,
}

/// Why an overdue item is left out of a notice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Exclusion {
    /// All of what is open is disputed.
    Disputed {
        /// Amount disputed.
        #[serde(with = "crate::serde_decimal")]
        amount: Decimal,
    },
    /// An open promise to pay covers it.
    PromiseOpen {
        /// The promise.
        promise: PromiseId,
        /// Its due date.
        due: NaiveDate,
    },
    /// A payment plan that is kept covers it.
    PlanCurrent {
        /// The plan.
        plan: PlanId,
    },
}

/// An overdue item left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ExcludedItem {
    /// The invoice.
    pub invoice: InvoiceId,
    /// The installment.
    pub installment: u32,
    /// Open amount.
    #[serde(with = "crate::serde_decimal")]
    pub open: Decimal,
    /// Why.
    pub reason: Exclusion,
}

/// A notice due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DunningNotice {
    /// Customer.
    pub customer: CustomerId,
    /// Customer's name.
    pub customer_name: String,
    /// Currency.
    pub currency: Currency,
    /// Date of the run.
    pub as_of: NaiveDate,
    /// Policy followed.
    pub policy: String,
    /// Level of the notice: the highest of its items'.
    pub level: u32,
    /// How it is sent.
    pub action: DunningAction,
    /// Template id.
    pub template: String,
    /// The overdue items, oldest due first.
    pub items: Vec<NoticeLine>,
    /// Interest claimable, open items first, then items paid late.
    pub interest: Vec<InterestLine>,
    /// Fixed compensation claimable per late invoice.
    pub compensation: Vec<CompensationLine>,
    /// Overdue items left out, with why.
    pub excluded: Vec<ExcludedItem>,
    /// Overdue: the items' open amounts.
    #[serde(with = "crate::serde_decimal")]
    pub overdue: Decimal,
    /// The level's fee.
    #[serde(with = "crate::serde_decimal")]
    pub fee: Decimal,
    /// Interest claimable.
    #[serde(with = "crate::serde_decimal")]
    pub interest_total: Decimal,
    /// Compensation claimable.
    #[serde(with = "crate::serde_decimal")]
    pub compensation_total: Decimal,
    /// Overdue plus fee, interest and compensation.
    #[serde(with = "crate::serde_decimal")]
    pub total: Decimal,
    /// The notice written with its template, when the setup has templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The customer is on credit hold: the notice still goes (a credit
    /// hold stops new credit, not collection), flagged for the collector
    /// and the template.
    #[serde(default)]
    pub credit_hold: bool,
}

impl DunningNotice {
    /// The record of this notice as sent, for `record_dunning_notice`.
    ///
    /// # Example
    /// ```
    /// # use ar_core::collections::DunningNotice;
    /// # fn f(notice: &DunningNotice) {
    /// use ar_core::{Command, NoticeId};
    /// let id = NoticeId::new(format!("N-{}-{}", notice.customer, notice.as_of)).unwrap();
    /// let command = Command::RecordDunningNotice { notice: notice.record(id), date: notice.as_of };
    /// # }
    /// ```
    pub fn record(&self, id: NoticeId) -> NoticeRecord {
        NoticeRecord {
            id,
            customer: self.customer.clone(),
            currency: self.currency,
            level: self.level,
            action: self.action,
            items: self
                .items
                .iter()
                .map(|i| NoticeItem {
                    invoice: i.invoice.clone(),
                    installment: i.installment,
                    level: i.level,
                })
                .collect(),
        }
    }
}

/// Why a customer (in a currency) gets no notice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SkipReason {
    /// Nothing is overdue by the policy's first level.
    NothingOverdue,
    /// Less is overdue than the level's threshold.
    BelowThreshold {
        /// Overdue.
        #[serde(with = "crate::serde_decimal")]
        overdue: Decimal,
        /// Threshold.
        #[serde(with = "crate::serde_decimal")]
        threshold: Decimal,
    },
    /// Overdue items are disputed.
    Disputed {
        /// Amount disputed among them.
        #[serde(with = "crate::serde_decimal")]
        amount: Decimal,
    },
    /// Overdue items are under an open promise.
    PromiseOpen {
        /// The promise.
        promise: PromiseId,
        /// Its due date.
        due: NaiveDate,
    },
    /// Overdue items are under a plan that is kept.
    PlanCurrent {
        /// The plan.
        plan: PlanId,
    },
    /// A notice in this currency was sent too recently.
    NoticeSentRecently {
        /// The notice.
        notice: NoticeId,
        /// Days ago.
        days_ago: i64,
        /// The policy's minimum.
        min_days: u32,
    },
    /// Every overdue item was already reminded at the level it has reached.
    NoNewLevel {
        /// The level reached.
        level: u32,
    },
    /// The customer is on a collections hold.
    OnHold {
        /// Why.
        reason: String,
    },
}

/// A customer (in a currency, when it has overdue items in it) not chased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DunningSkip {
    /// Customer.
    pub customer: CustomerId,
    /// Currency; none when nothing is overdue in any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// Every reason that applies.
    pub reasons: Vec<SkipReason>,
}

/// What a run proposes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DunningRun {
    /// Date of the run.
    pub as_of: NaiveDate,
    /// Notices due, by customer (in registration order), then currency.
    pub notices: Vec<DunningNotice>,
    /// Customers not chased, in the same order.
    pub skipped: Vec<DunningSkip>,
}

/// A customer and currency's overdue items as the run gathers them.
struct Group {
    customer: u32,
    currency: Currency,
    policy: usize,
    items: Vec<(u32, NoticeLine)>,
    excluded: Vec<ExcludedItem>,
}

/// The level an installment was last reminded at through `cut`.
fn last_level(state: &State, col: u32, cut: Cut) -> u32 {
    let Some(levels) = state.collections.levels.get(&col) else {
        return 0;
    };
    levels
        .iter()
        .filter(|(row, _)| {
            state
                .collections
                .notices
                .at(*row as usize)
                .is_some_and(|n| cut.sees(n.at))
        })
        .map(|(_, l)| *l)
        .max()
        .unwrap_or(0)
}

/// Amount of `inv`'s installment `n` (1-based) kept out by open dispute
/// records, and by the dispute flag (all of it).
fn disputed_part(
    state: &State,
    inv: &InvoiceState,
    inv_row: u32,
    n: u32,
    open: Decimal,
    cut: Cut,
) -> Decimal {
    let flag = inv
        .disputes
        .iter()
        .filter(|(s, m)| matches!(m, crate::state::DisputeMark::Flag(_)) && cut.sees(*s))
        .max_by_key(|(s, _)| (s.eff, s.seq))
        .is_some_and(|(_, m)| *m == crate::state::DisputeMark::Flag(true));
    if flag {
        return open;
    }
    let Some(rows) = state.collections.disputes_of.get(&inv_row) else {
        return Decimal::ZERO;
    };
    let mut disputed = Decimal::ZERO;
    for r in rows {
        let Some(d) = state.collections.disputes.at(*r as usize) else {
            continue;
        };
        if !d.open_in(cut) {
            continue;
        }
        let part = match (d.dispute.installment, d.dispute.amount) {
            (Some(k), _) if k != n => Decimal::ZERO,
            (Some(_), _) => disputed_amount(state, d, cut),
            (None, None) => open,
            // An amount on a whole invoice is taken from its installments
            // in order: what the earlier ones have open comes first.
            (None, Some(a)) => {
                let before = inv
                    .installments
                    .iter()
                    .take(usize::try_from(n.saturating_sub(1)).unwrap_or(0))
                    .fold(Decimal::ZERO, |s, t| s.saturating_add(t.at(cut)));
                a.saturating_sub(before).max(Decimal::ZERO).min(open)
            }
        };
        disputed = disputed.saturating_add(part);
    }
    disputed.min(open)
}

/// Interest accrued on an installment of `currency` (its timeline `t`,
/// due on `due`) through `through`, with `less` taken off its principal
/// (a disputed part): the integer path of `prepared` when it can,
/// [`late_interest`] otherwise (same figures).
#[allow(clippy::too_many_arguments)]
fn accrued(
    rule: &InterestRule,
    prepared: Option<&Prepared>,
    t: &crate::state::Timeline,
    due: NaiveDate,
    currency: Currency,
    less: Decimal,
    through: NaiveDate,
    cut: Cut,
) -> Result<(i64, Decimal)> {
    let principal = t.base.checked_sub(less).or_overflow("interest")?;
    if let Some(p) = prepared {
        let mut changes: smallvec::SmallVec<[(NaiveDate, i128); 4]> = t
            .deltas
            .iter()
            .filter(|d| cut.sees(d.at))
            .map(|d| (d.at.eff, columns::minor(d.amount, currency)))
            .collect();
        let base = columns::minor(principal, currency);
        if let Some((days, minor)) = p.accrue(base, &mut changes, due, through) {
            if let Ok(amount) = Decimal::try_from_i128_with_scale(minor, currency.minor_units()) {
                return Ok((days, amount));
            }
        }
    }
    let changes: Vec<PrincipalChange> = t
        .deltas
        .iter()
        .filter(|d| cut.sees(d.at))
        .map(|d| PrincipalChange {
            date: d.at.eff,
            amount: d.amount,
        })
        .collect();
    let i = late_interest(rule, principal, &changes, due, through, currency)?;
    Ok((i.days, i.amount))
}

/// An item whose interest is claimed: where it is and what it is.
struct Claimed<'a> {
    id: &'a InvoiceId,
    row: u32,
    col: u32,
    n: u32,
    due: NaiveDate,
    currency: Currency,
    /// The invoice's total, which the compensation is tiered by.
    total: Decimal,
}

/// The interest line claimable on `item` (none when nothing is), and
/// whether any interest accrued (a late item).
#[allow(clippy::too_many_arguments)]
fn interest_line(
    state: &State,
    (rule, prepared): (&InterestRule, Option<&Prepared>),
    item: &Claimed<'_>,
    t: &crate::state::Timeline,
    less: Decimal,
    as_of: NaiveDate,
    cut: Cut,
    paid: bool,
) -> Result<(Option<InterestLine>, bool)> {
    let (days, accrued_amount) =
        accrued(rule, prepared, t, item.due, item.currency, less, as_of, cut)?;
    let (charged_interest, _) = charged(state, item.col, cut);
    let amount = accrued_amount
        .checked_sub(charged_interest)
        .or_overflow("interest")?;
    let line = (amount > Decimal::ZERO).then(|| InterestLine {
        invoice: item.id.clone(),
        installment: item.n,
        due_date: item.due,
        through: as_of,
        days,
        accrued: accrued_amount,
        charged: charged_interest,
        amount,
        paid,
    });
    Ok((line, days > 0))
}

/// Adds `line` and, once per invoice not yet charged it, the fixed
/// compensation for a late `item` to `notice`.
fn add_claim(
    state: &State,
    rule: &InterestRule,
    item: &Claimed<'_>,
    (line, late): (Option<InterestLine>, bool),
    compensated: &mut HashSet<u32>,
    cut: Cut,
    notice: &mut DunningNotice,
) -> Result<()> {
    if let Some(line) = line {
        notice.interest_total = notice
            .interest_total
            .checked_add(line.amount)
            .or_overflow("interest")?;
        notice.interest.push(line);
    }
    if !late || compensated.contains(&item.row) {
        return Ok(());
    }
    let first = state
        .invoices
        .at(item.row as usize)
        .map_or(item.col, |i| i.first_inst);
    if charged(state, first, cut).1 {
        return Ok(());
    }
    compensated.insert(item.row);
    if let Some(sum) = rule.compensation_for(item.currency, item.total) {
        if sum > Decimal::ZERO {
            notice.compensation_total = notice
                .compensation_total
                .checked_add(sum)
                .or_overflow("compensation")?;
            notice.compensation.push(CompensationLine {
                invoice: item.id.clone(),
                debt: item.total,
                amount: sum,
            });
        }
    }
    Ok(())
}

/// What interest notes live through `cut` charged for installment column
/// `col`, and whether a fee note claimed compensation for it.
fn charged(state: &State, col: u32, cut: Cut) -> (Decimal, bool) {
    let Some(lines) = state.collections.charged.get(&col) else {
        return (Decimal::ZERO, false);
    };
    let mut interest = Decimal::ZERO;
    let mut fee = false;
    for c in lines {
        let live = state
            .invoices
            .at(c.note as usize)
            .is_some_and(|n| cut.sees_opt(n.finalized) && !cut.sees_opt(n.voided));
        if !live {
            continue;
        }
        match c.kind {
            ChargeKind::Interest => interest = interest.saturating_add(c.amount),
            ChargeKind::Fee => fee = true,
        }
    }
    (interest, fee)
}

/// The run.
///
/// # Errors
/// As [`DunningSetup::validate`]; [`Error::NotFound`] for a customer whose
/// policy dimension names no policy; as [`late_interest`]. The notices'
/// texts are written after (`render::render_all`).
pub(crate) fn run(
    state: &State,
    cut: Cut,
    as_of: NaiveDate,
    setup: &DunningSetup,
) -> Result<DunningRun> {
    setup.validate()?;
    let index: HashMap<&str, usize> = setup
        .policies
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let default = index
        .get(setup.default_policy.as_str())
        .copied()
        .unwrap_or(0);
    // Each customer's policy, as its record stood at the cut.
    let mut policy_of: Vec<Option<usize>> = vec![None; state.customers.len()];
    for (row, slot) in policy_of.iter_mut().enumerate() {
        let Some(c) = state.customer_at(row, cut.seq) else {
            continue;
        };
        *slot = Some(match c.dimensions.get(&setup.dimension) {
            None => default,
            Some(id) => *index.get(id.as_str()).ok_or_else(|| {
                Error::not_found(
                    &format!("customer {}: dimensions[{}]", c.id, setup.dimension),
                    "dunning policy",
                    id,
                )
            })?,
        });
    }
    let policy = |row: u32| -> Option<&DunningPolicy> {
        policy_of
            .get(row as usize)
            .copied()
            .flatten()
            .and_then(|p| setup.policies.get(p))
    };

    let c = &state.cols;
    let col_cut = ColCut::from(cut);
    let open: Vec<(usize, i128)> = if c.wide() {
        c.installment_open(col_cut)
            .into_iter()
            .enumerate()
            .filter(|(_, o)| *o != 0)
            .collect()
    } else {
        let fc = c.fast(col_cut);
        c.open_installments_fast(&fc)
            .into_iter()
            .map(|(k, o)| (k as usize, i128::from(o)))
            .collect()
    };
    let today = columns::day(as_of);
    let mut groups: Vec<Group> = Vec::new();
    let mut group_of: HashMap<(u32, Currency), usize> = HashMap::new();
    let promises_open = |col: u32| -> Result<Option<(PromiseId, NaiveDate)>> {
        let Some(rows) = state.collections.promises_of.get(&col) else {
            return Ok(None);
        };
        for r in rows {
            let Some(p) = state.collections.promises.at(*r as usize) else {
                continue;
            };
            if cut.sees(p.at) && promise_view(state, p, cut)?.status == PromiseStatus::Open {
                return Ok(Some((p.promise.id.clone(), p.promise.due)));
            }
        }
        Ok(None)
    };
    let plan_current = |col: u32| -> Result<Option<PlanId>> {
        let Some(rows) = state.collections.plans_of.get(&col) else {
            return Ok(None);
        };
        for r in rows {
            let Some(p) = state.collections.plans.at(*r as usize) else {
                continue;
            };
            if cut.sees(p.at) && plan_view(state, p, cut)?.status == PlanStatus::Current {
                return Ok(Some(p.plan.id.clone()));
            }
        }
        Ok(None)
    };
    for (k, o) in open {
        if o <= 0 {
            continue;
        }
        let (Some(&inv_row), Some(&due)) = (c.inst_invoice.get(k), c.inst_due.get(k)) else {
            continue;
        };
        let (Some(&customer), Some(&currency)) = (
            c.inv_customer.get(inv_row as usize),
            c.inv_currency.get(inv_row as usize),
        ) else {
            continue;
        };
        let Some(p) = policy(customer) else { continue };
        let dpd = i64::from(today).saturating_sub(i64::from(due));
        let reached = p.reached(dpd);
        if reached == 0 {
            continue;
        }
        let Some(inv) = state.invoices.at(inv_row as usize) else {
            continue;
        };
        let col = u32::try_from(k).unwrap_or(u32::MAX);
        let n = col.saturating_sub(inv.first_inst).saturating_add(1);
        let Some(s) = inv
            .invoice
            .installments
            .get(usize::try_from(n.saturating_sub(1)).unwrap_or(usize::MAX))
        else {
            continue;
        };
        let open = from_minor(o, currency);
        let g = *group_of.entry((customer, currency)).or_insert_with(|| {
            groups.push(Group {
                customer,
                currency,
                policy: policy_of
                    .get(customer as usize)
                    .copied()
                    .flatten()
                    .unwrap_or(default),
                items: Vec::new(),
                excluded: Vec::new(),
            });
            groups.len().saturating_sub(1)
        });
        let Some(group) = groups.get_mut(g) else {
            continue;
        };
        let excluded = |reason| ExcludedItem {
            invoice: inv.invoice.id.clone(),
            installment: n,
            open,
            reason,
        };
        let disputed = if inv.disputes.is_empty() {
            Decimal::ZERO
        } else {
            disputed_part(state, inv, inv_row, n, open, cut)
        };
        if disputed >= open {
            group
                .excluded
                .push(excluded(Exclusion::Disputed { amount: disputed }));
            continue;
        }
        if let Some((promise, due)) = promises_open(col)? {
            group
                .excluded
                .push(excluded(Exclusion::PromiseOpen { promise, due }));
            continue;
        }
        if let Some(plan) = plan_current(col)? {
            group
                .excluded
                .push(excluded(Exclusion::PlanCurrent { plan }));
            continue;
        }
        if !disputed.is_zero() {
            group
                .excluded
                .push(excluded(Exclusion::Disputed { amount: disputed }));
        }
        let previous = last_level(state, col, cut);
        group.items.push((
            col,
            NoticeLine {
                invoice: inv.invoice.id.clone(),
                installment: n,
                invoice_date: inv.invoice.date,
                due_date: s.due_date,
                days_past_due: dpd,
                original: s.amount,
                open: open.checked_sub(disputed).or_overflow("open")?,
                level: reached.max(previous),
                previous_level: previous,
            },
        ));
    }
    groups.sort_by(|a, b| (a.customer, a.currency.code()).cmp(&(b.customer, b.currency.code())));

    let mut notices = Vec::new();
    let mut skipped = Vec::new();
    // Groups with a notice that claims interest: their items paid late too.
    let mut claims: HashMap<(u32, Currency), (usize, HashSet<u32>)> = HashMap::new();
    let prepared: Vec<Option<Prepared>> = setup
        .policies
        .iter()
        .map(|p| p.interest.as_ref().and_then(Prepared::new))
        .collect();
    let mut chased = vec![false; state.customers.len()];
    let mut with_groups = vec![false; state.customers.len()];
    for g in groups {
        if let Some(w) = with_groups.get_mut(g.customer as usize) {
            *w = true;
        }
        let Some(p) = setup.policies.get(g.policy) else {
            continue;
        };
        let Some(customer) = state.customer_at(g.customer as usize, cut.seq) else {
            continue;
        };
        let mut reasons = Vec::new();
        let mut disputed_total = Decimal::ZERO;
        for e in &g.excluded {
            match &e.reason {
                Exclusion::Disputed { amount } => {
                    disputed_total = disputed_total.saturating_add(*amount);
                }
                Exclusion::PromiseOpen { promise, due } => {
                    let r = SkipReason::PromiseOpen {
                        promise: promise.clone(),
                        due: *due,
                    };
                    if !reasons.contains(&r) {
                        reasons.push(r);
                    }
                }
                Exclusion::PlanCurrent { plan } => {
                    let r = SkipReason::PlanCurrent { plan: plan.clone() };
                    if !reasons.contains(&r) {
                        reasons.push(r);
                    }
                }
            }
        }
        if !disputed_total.is_zero() {
            reasons.insert(
                0,
                SkipReason::Disputed {
                    amount: disputed_total,
                },
            );
        }
        // Items left out are reasons only when nothing else is chased.
        let mut blocked = false;
        if let Some(reason) = state.collections.hold(g.customer, cut) {
            blocked = true;
            reasons.push(SkipReason::OnHold {
                reason: reason.to_owned(),
            });
        }
        let mut items: Vec<(u32, NoticeLine)> = g.items;
        items.sort_by(|a, b| {
            (
                a.1.due_date,
                a.1.invoice_date,
                &a.1.invoice,
                a.1.installment,
            )
                .cmp(&(
                    b.1.due_date,
                    b.1.invoice_date,
                    &b.1.invoice,
                    b.1.installment,
                ))
        });
        let level = items.iter().map(|(_, i)| i.level).max().unwrap_or(0);
        let overdue = items
            .iter()
            .try_fold(crate::decide::zero(g.currency), |s, (_, i)| {
                s.checked_add(i.open)
            })
            .or_overflow("overdue")?;
        let mut decisive = Vec::new();
        if !items.is_empty() {
            if !items.iter().any(|(_, i)| i.level > i.previous_level) {
                decisive.push(SkipReason::NoNewLevel { level });
            }
            let threshold = p
                .level(level)
                .and_then(|l| amount_in(&l.min_overdue, g.currency))
                .unwrap_or(Decimal::ZERO);
            if overdue < threshold || overdue <= Decimal::ZERO {
                decisive.push(SkipReason::BelowThreshold { overdue, threshold });
            }
            let last = state
                .collections
                .notices_of
                .get(&g.customer)
                .into_iter()
                .flatten()
                .filter_map(|r| state.collections.notices.at(*r as usize))
                .filter(|n| n.notice.currency == g.currency && cut.sees(n.at) && n.at.eff <= as_of)
                .max_by_key(|n| (n.at.eff, n.at.seq));
            if let Some(n) = last {
                let days_ago = as_of.signed_duration_since(n.at.eff).num_days();
                if days_ago < i64::from(p.min_days_between) {
                    decisive.push(SkipReason::NoticeSentRecently {
                        notice: n.notice.id.clone(),
                        days_ago,
                        min_days: p.min_days_between,
                    });
                }
            }
        }
        if items.is_empty() || blocked || !decisive.is_empty() {
            reasons.extend(decisive);
            if reasons.is_empty() {
                reasons.push(SkipReason::NothingOverdue);
            }
            skipped.push(DunningSkip {
                customer: customer.id.clone(),
                currency: Some(g.currency),
                reasons,
            });
            continue;
        }
        let Some(lv) = p.level(level) else { continue };
        let zero = crate::decide::zero(g.currency);
        let fee = amount_in(&lv.fee, g.currency).unwrap_or(zero);
        if let Some(c) = chased.get_mut(g.customer as usize) {
            *c = true;
        }
        let mut notice = DunningNotice {
            customer: customer.id.clone(),
            customer_name: customer.name.clone(),
            currency: g.currency,
            as_of,
            policy: p.id.clone(),
            level,
            action: lv.action,
            template: lv.template.clone(),
            items: Vec::new(),
            interest: Vec::new(),
            compensation: Vec::new(),
            excluded: g.excluded,
            overdue,
            fee,
            interest_total: zero,
            compensation_total: zero,
            total: zero,
            text: None,
            credit_hold: state.credit_hold(g.customer as usize, cut).is_some(),
        };
        if let (true, Some(rule)) = (lv.interest, &p.interest) {
            let ready = prepared.get(g.policy).and_then(Option::as_ref);
            // Invoices whose compensation this notice claims.
            let mut compensated = HashSet::new();
            for (col, item) in &items {
                let Some((inv, _)) = super::installment_at(state, *col) else {
                    continue;
                };
                let i = usize::try_from(item.installment.saturating_sub(1)).unwrap_or(usize::MAX);
                let Some(t) = inv.installments.get(i) else {
                    continue;
                };
                if inv.invoice.charge.is_some() {
                    continue;
                }
                let claimed = Claimed {
                    id: &inv.invoice.id,
                    row: inv.index,
                    col: *col,
                    n: item.installment,
                    due: item.due_date,
                    currency: g.currency,
                    total: inv.invoice.totals.total,
                };
                // The disputed part of what is open bears no interest here.
                let less = t.at(cut).saturating_sub(item.open);
                let line =
                    interest_line(state, (rule, ready), &claimed, t, less, as_of, cut, false)?;
                add_claim(
                    state,
                    rule,
                    &claimed,
                    line,
                    &mut compensated,
                    cut,
                    &mut notice,
                )?;
            }
            claims.insert((g.customer, g.currency), (notices.len(), compensated));
        }
        notice.items = items.into_iter().map(|(_, i)| i).collect();
        notices.push(notice);
    }
    // Items paid late of customers whose notice claims interest: found in
    // the columns, on both cores, each half in order.
    if !claims.is_empty() {
        let mut by_customer: Vec<smallvec::SmallVec<[(Currency, usize); 1]>> =
            vec![smallvec::SmallVec::new(); state.customers.len()];
        for ((customer, currency), (at, _)) in &claims {
            if let Some(v) = by_customer.get_mut(*customer as usize) {
                v.push((*currency, *at));
            }
        }
        let ctx = PaidLate {
            state,
            setup,
            prepared: &prepared,
            policy_of: &policy_of,
            default,
            by_customer: &by_customer,
            cut,
            as_of,
        };
        let n = c.inst_invoice.len();
        let half = n / 2;
        let found = match crate::par::both(
            n < crate::par::PARALLEL_ROWS,
            || ctx.scan(0..half),
            || ctx.scan(half..n),
        ) {
            Some((front, back)) => [front?, back?],
            None => [ctx.scan(0..n)?, Vec::new()],
        };
        for (at, pi, line, item_row, col, total) in found.into_iter().flatten() {
            let (Some(notice), Some(rule)) = (
                notices.get_mut(at),
                setup.policies.get(pi).and_then(|p| p.interest.as_ref()),
            ) else {
                continue;
            };
            let Some((_, compensated)) = claims.get_mut(&(
                c.inv_customer
                    .get(item_row as usize)
                    .copied()
                    .unwrap_or(u32::MAX),
                notice.currency,
            )) else {
                continue;
            };
            let id = line.invoice.clone();
            let claimed = Claimed {
                id: &id,
                row: item_row,
                col,
                n: line.installment,
                due: line.due_date,
                currency: notice.currency,
                total,
            };
            let late = Some(line).filter(|l| l.amount > Decimal::ZERO);
            add_claim(
                state,
                rule,
                &claimed,
                (late, true),
                compensated,
                cut,
                notice,
            )?;
        }
    }
    for notice in &mut notices {
        notice.total = [
            notice.overdue,
            notice.fee,
            notice.interest_total,
            notice.compensation_total,
        ]
        .into_iter()
        .try_fold(Decimal::ZERO, |s, x| s.checked_add(x))
        .or_overflow("total")?;
    }
    // Customers with nothing overdue at all.
    let mut order: Vec<(u32, Option<DunningSkip>)> = skipped
        .into_iter()
        .map(|s| {
            let row = state
                .customers
                .index_of(&s.customer)
                .map_or(u32::MAX, crate::state::idx);
            (row, Some(s))
        })
        .collect();
    for (row, known) in policy_of.iter().enumerate() {
        let has = with_groups.get(row).copied().unwrap_or(false);
        if known.is_none() || has {
            continue;
        }
        if let Some(c) = state.customer_at(row, cut.seq) {
            order.push((
                crate::state::idx(row),
                Some(DunningSkip {
                    customer: c.id.clone(),
                    currency: None,
                    reasons: vec![SkipReason::NothingOverdue],
                }),
            ));
        }
    }
    // Stable: a customer's currencies stay in code order.
    order.sort_by_key(|(row, _)| *row);
    let mut skipped: Vec<DunningSkip> = order.into_iter().filter_map(|(_, s)| s).collect();
    // A customer chased in one currency is not "not chased" for having
    // nothing overdue in another.
    skipped.retain(|s| {
        s.currency.is_some()
            || state
                .customers
                .index_of(&s.customer)
                .is_none_or(|r| !chased.get(r).copied().unwrap_or(false))
    });
    Ok(DunningRun {
        as_of,
        notices,
        skipped,
    })
}

/// What the pass over items paid late needs.
struct PaidLate<'a> {
    state: &'a State,
    setup: &'a DunningSetup,
    prepared: &'a [Option<Prepared>],
    policy_of: &'a [Option<usize>],
    default: usize,
    /// By customer row: the notices (by currency) that claim interest.
    by_customer: &'a [smallvec::SmallVec<[(Currency, usize); 1]>],
    cut: Cut,
    as_of: NaiveDate,
}

/// An item paid late: the notice, the policy, the line (its amount may be
/// zero: the compensation is still due), the invoice row, the installment
/// column and the invoice's total.
type Late = (usize, usize, InterestLine, u32, u32, Decimal);

impl PaidLate<'_> {
    /// The items paid late among installment columns `range`, in order.
    /// Reads the invoices' records in order and their documents not at
    /// all: ids, due dates and totals come from the table and the columns.
    fn scan(&self, range: std::ops::Range<usize>) -> Result<Vec<Late>> {
        let (state, cut) = (self.state, self.cut);
        let c = &state.cols;
        let notes = &state.collections.notes;
        let mut out = Vec::new();
        for k in range {
            let Some(&row) = c.inst_invoice.get(k) else {
                continue;
            };
            let (Some(&customer), Some(&currency)) = (
                c.inv_customer.get(row as usize),
                c.inv_currency.get(row as usize),
            ) else {
                continue;
            };
            let Some(&(_, at)) = self
                .by_customer
                .get(customer as usize)
                .and_then(|v| v.iter().find(|(cur, _)| *cur == currency))
            else {
                continue;
            };
            if notes.contains(&row) {
                continue;
            }
            let Some(inv) = state.invoices.at(row as usize) else {
                continue;
            };
            if !cut.sees_opt(inv.finalized) || cut.sees_opt(inv.voided) {
                continue;
            }
            if !inv.disputes.is_empty() && inv.disputed(cut) {
                continue;
            }
            let col = u32::try_from(k).unwrap_or(u32::MAX);
            let n = col.saturating_sub(inv.first_inst).saturating_add(1);
            let i = usize::try_from(n.saturating_sub(1)).unwrap_or(usize::MAX);
            let Some(t) = inv.installments.get(i) else {
                continue;
            };
            // Open items are claimed with the notice (or left out on purpose).
            if !t.at(cut).is_zero() {
                continue;
            }
            let pi = self
                .policy_of
                .get(customer as usize)
                .copied()
                .flatten()
                .unwrap_or(self.default);
            let Some(rule) = self
                .setup
                .policies
                .get(pi)
                .and_then(|p| p.interest.as_ref())
            else {
                continue;
            };
            let Some(due) = c
                .inst_due
                .get(k)
                .and_then(|d| NaiveDate::from_num_days_from_ce_opt(*d))
            else {
                continue;
            };
            let start = super::promise::plus_days("grace_days", due, rule.grace_days)?;
            if !t.deltas.iter().any(|d| cut.sees(d.at) && d.at.eff > start) {
                continue;
            }
            let Some(id) = state.invoices.key_at(row as usize) else {
                continue;
            };
            let total = c
                .inv_total
                .get(row as usize)
                .map_or(Decimal::ZERO, |t| from_minor(*t, currency));
            let claimed = Claimed {
                id,
                row,
                col,
                n,
                due,
                currency,
                total,
            };
            let prepared = self.prepared.get(pi).and_then(Option::as_ref);
            let (line, late) = interest_line(
                state,
                (rule, prepared),
                &claimed,
                t,
                Decimal::ZERO,
                self.as_of,
                cut,
                true,
            )?;
            if !late {
                continue;
            }
            let line = line.unwrap_or(InterestLine {
                invoice: id.clone(),
                installment: n,
                due_date: due,
                through: self.as_of,
                days: 0,
                accrued: Decimal::ZERO,
                charged: Decimal::ZERO,
                amount: Decimal::ZERO,
                paid: true,
            });
            out.push((at, pi, line, row, col, total));
        }
        Ok(out)
    }
}
