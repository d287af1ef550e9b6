//! Where promises, plans and disputes stand as of a date and as known at a
//! time: decided from the log each time it is asked, never stored, so a
//! back-dated payment counts wherever its date puts it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::collection_records::{PaymentPlan, Promise, Resolution};
use crate::currency::Currency;
use crate::error::Result;
use crate::id::{CustomerId, DisputeId, InvoiceId};
use crate::money::OrOverflow;
use crate::state::{DeltaKind, DisputeState, PlanState, PromiseState, State};
use crate::view::Cut;

use super::installment_at;

/// Whether a promise is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromiseStatus {
    /// Not yet due (with grace) and not yet kept: dunning of its items waits.
    Open,
    /// At least the threshold share of the amount was paid by the due date
    /// plus grace.
    Kept,
    /// The due date plus grace passed without it.
    Broken,
}

/// A promise and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PromiseView {
    /// The promise.
    pub promise: Promise,
    /// Date it was made.
    pub made: NaiveDate,
    /// Currency of its items.
    pub currency: Currency,
    /// Last day that counts: the due date plus grace days.
    pub deadline: NaiveDate,
    /// Paid and credited on its items from the day it was made to the
    /// deadline (as of the view).
    #[serde(with = "crate::serde_decimal")]
    pub paid: Decimal,
    /// What keeps it: the threshold share of the amount.
    #[serde(with = "crate::serde_decimal")]
    pub required: Decimal,
    /// Status.
    pub status: PromiseStatus,
}

/// Whether a plan is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::enum_variant_names)]
pub enum PlanStatus {
    /// Every instalment due (with grace) is paid: the plan governs dunning.
    Current,
    /// An instalment was not paid by its due date plus grace: its items
    /// are dunned again.
    Broken,
    /// The items are settled.
    Completed,
}

/// A plan and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlanView {
    /// The plan.
    pub plan: PaymentPlan,
    /// Date agreed.
    pub agreed: NaiveDate,
    /// Currency of its items.
    pub currency: Currency,
    /// Paid and credited on its items since it was agreed.
    #[serde(with = "crate::serde_decimal")]
    pub paid: Decimal,
    /// Status.
    pub status: PlanStatus,
    /// The first instalment missed (0-based), if broken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missed: Option<usize>,
    /// The next instalment not yet covered, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_due: Option<NaiveDate>,
}

/// Payments and credits on installment columns `cols` effective from
/// `from` to `to` and seen through `cut`, as a positive amount.
fn paid_on(state: &State, cols: &[u32], from: NaiveDate, to: NaiveDate, cut: Cut) -> Decimal {
    let mut paid = Decimal::ZERO;
    for col in cols {
        let Some((inv, n)) = installment_at(state, *col) else {
            continue;
        };
        let Some(t) = usize::try_from(n.saturating_sub(1))
            .ok()
            .and_then(|i| inv.installments.get(i))
        else {
            continue;
        };
        for d in &t.deltas {
            if matches!(d.kind, DeltaKind::Payment | DeltaKind::Credit)
                && d.at.eff >= from
                && d.at.eff <= to
                && cut.sees(d.at)
            {
                // Within the ledger's bound on amounts: never saturates.
                paid = paid.saturating_sub(d.amount);
            }
        }
    }
    paid
}

/// Open on installment columns `cols` through `cut`.
pub(crate) fn open_on(state: &State, cols: &[u32], cut: Cut) -> Decimal {
    cols.iter()
        .filter_map(|c| installment_at(state, *c))
        .filter(|(inv, _)| cut.sees_opt(inv.finalized) && !cut.sees_opt(inv.voided))
        .filter_map(|(inv, n)| {
            usize::try_from(n.saturating_sub(1))
                .ok()
                .and_then(|i| inv.installments.get(i))
        })
        .fold(Decimal::ZERO, |s, t| s.saturating_add(t.at(cut)))
}

pub(crate) fn promise_view(state: &State, p: &PromiseState, cut: Cut) -> Result<PromiseView> {
    let deadline = super::promise::plus_days("grace_days", p.promise.due, p.promise.grace_days)?;
    // At the currency's minor unit even when nothing was paid.
    let paid = paid_on(state, &p.installments, p.at.eff, deadline, cut)
        .checked_add(crate::decide::zero(p.currency))
        .or_overflow("paid")?;
    let required = p
        .promise
        .amount
        .checked_mul(p.promise.threshold_percent)
        .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
        .or_overflow("promise.amount")?;
    let status = if paid >= required {
        PromiseStatus::Kept
    } else if cut.date > deadline {
        PromiseStatus::Broken
    } else {
        PromiseStatus::Open
    };
    Ok(PromiseView {
        promise: (*p.promise).clone(),
        made: p.at.eff,
        currency: p.currency,
        deadline,
        paid,
        required,
        status,
    })
}

pub(crate) fn plan_view(state: &State, p: &PlanState, cut: Cut) -> Result<PlanView> {
    let paid = paid_on(state, &p.installments, p.at.eff, cut.date, cut)
        .checked_add(crate::decide::zero(p.currency))
        .or_overflow("paid")?;
    let mut due = Decimal::ZERO;
    let mut missed = None;
    let mut next_due = None;
    for (i, inst) in p.plan.instalments.iter().enumerate() {
        due = due
            .checked_add(inst.amount)
            .or_overflow("plan.instalments")?;
        let deadline = super::promise::plus_days("grace_days", inst.due, p.plan.grace_days)?;
        if cut.date > deadline {
            // Paid by the deadline, as the view knows it.
            if paid_on(state, &p.installments, p.at.eff, deadline, cut) < due {
                missed = Some(i);
                break;
            }
        } else if next_due.is_none() && paid < due {
            next_due = Some(inst.due);
        }
    }
    let status = if open_on(state, &p.installments, cut) <= Decimal::ZERO {
        PlanStatus::Completed
    } else if missed.is_some() {
        PlanStatus::Broken
    } else {
        PlanStatus::Current
    };
    Ok(PlanView {
        plan: (*p.plan).clone(),
        agreed: p.at.eff,
        currency: p.currency,
        paid,
        status,
        missed: missed.filter(|_| status == PlanStatus::Broken),
        next_due: next_due.filter(|_| status == PlanStatus::Current),
    })
}

/// A dispute and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DisputeView {
    /// Id.
    pub id: DisputeId,
    /// The invoice.
    pub invoice: InvoiceId,
    /// The installment, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installment: Option<u32>,
    /// The customer.
    pub customer: CustomerId,
    /// Currency.
    pub currency: Currency,
    /// Reason code.
    pub reason: String,
    /// Who works on it.
    pub owner: String,
    /// Date opened.
    pub opened: NaiveDate,
    /// Amount disputed: the amount named, or what was open when it was
    /// opened, never more than is open now (zero once resolved).
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
    /// Days from opening to the view's date (or to its resolution).
    pub age_days: i64,
    /// Open through the view.
    pub open: bool,
    /// How it was resolved, if it was (within the view).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
    /// Date resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_on: Option<NaiveDate>,
    /// Who resolved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<String>,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution_reason: Option<String>,
}

/// The amount `d` keeps out of dunning through `cut`: what it names (or
/// everything) within what is open.
pub(crate) fn disputed_amount(state: &State, d: &DisputeState, cut: Cut) -> Decimal {
    let Some(inv) = state.invoices.at(d.invoice as usize) else {
        return Decimal::ZERO;
    };
    let item = crate::collection_records::ItemRef {
        invoice: d.dispute.invoice.clone(),
        installment: d.dispute.installment,
    };
    let cols = super::columns_of(inv, &item, "dispute").unwrap_or_default();
    let open = open_on(state, &cols, cut);
    d.dispute.amount.map_or(open, |a| a.min(open))
}

pub(crate) fn dispute_view(
    state: &State,
    d: &DisputeState,
    cut: Cut,
    as_of: NaiveDate,
) -> Option<DisputeView> {
    if !cut.sees(d.opened) {
        return None;
    }
    let inv = state.invoices.at(d.invoice as usize)?;
    let resolved = d.resolved.as_ref().filter(|r| cut.sees(r.at));
    let open = resolved.is_none();
    let end = resolved.map_or(as_of, |r| r.at.eff);
    Some(DisputeView {
        id: d.dispute.id.clone(),
        invoice: d.dispute.invoice.clone(),
        installment: d.dispute.installment,
        customer: inv.invoice.customer.clone(),
        currency: inv.invoice.currency,
        reason: d.dispute.reason.clone(),
        owner: d.dispute.owner.clone(),
        opened: d.opened.eff,
        amount: if open {
            disputed_amount(state, d, cut)
        } else {
            crate::decide::zero(inv.invoice.currency)
        },
        age_days: end.signed_duration_since(d.opened.eff).num_days().max(0),
        open,
        resolution: resolved.map(|r| r.resolution.clone()),
        resolved_on: resolved.map(|r| r.at.eff),
        resolved_by: resolved.map(|r| r.by.clone()),
        resolution_reason: resolved.map(|r| r.reason.clone()),
    })
}

/// What open disputes are counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeGroup {
    /// By reason code.
    #[default]
    Reason,
    /// By customer.
    Customer,
    /// By owner.
    Owner,
}

/// Open disputes of one group and currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DisputeSummaryRow {
    /// The reason code, customer id or owner.
    pub key: String,
    /// Currency.
    pub currency: Currency,
    /// Open disputes.
    pub count: u64,
    /// Amount disputed.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
    /// Average age in days, to 1 decimal.
    #[serde(with = "crate::serde_decimal")]
    pub average_age_days: Decimal,
    /// Age of the oldest, in days.
    pub oldest_age_days: i64,
}

pub(crate) fn summarize(
    views: &[DisputeView],
    group: DisputeGroup,
) -> Result<Vec<DisputeSummaryRow>> {
    let mut rows: BTreeMap<(String, Currency), (u64, Decimal, i64, i64)> = BTreeMap::new();
    for v in views.iter().filter(|v| v.open) {
        let key = match group {
            DisputeGroup::Reason => v.reason.clone(),
            DisputeGroup::Customer => v.customer.to_string(),
            DisputeGroup::Owner => v.owner.clone(),
        };
        let r = rows
            .entry((key, v.currency))
            .or_insert((0, Decimal::ZERO, 0, 0));
        r.0 = r.0.saturating_add(1);
        r.1 = r.1.checked_add(v.amount).or_overflow("amount")?;
        r.2 = r.2.saturating_add(v.age_days);
        r.3 = r.3.max(v.age_days);
    }
    Ok(rows
        .into_iter()
        .map(
            |((key, currency), (count, amount, ages, oldest))| DisputeSummaryRow {
                key,
                currency,
                count,
                amount,
                average_age_days: {
                    // Always to one decimal: "18.0", not "18".
                    let mut avg = Decimal::from(ages)
                        .checked_div(Decimal::from(count.max(1)))
                        .unwrap_or_default()
                        .round_dp(1);
                    avg.rescale(1);
                    avg
                },
                oldest_age_days: oldest,
            },
        )
        .collect())
}
