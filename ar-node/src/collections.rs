//! Collections: late interest with its statutory presets, the cost of a
//! forgone discount and letters as functions (`interestRule`,
//! `lateInterest`, `discountCost`, `discountCostOfTerms`, `renderNotice`,
//! `formatAmount`); the collections commands and queries of `Ledger`
//! (dunning runs, notices, charge notes, the clearing order, disputes,
//! promises, plans, holds). Every figure comes from `ar_core::collections`.
//!
//! Through the conversion layer: arguments are read by `de.rs` into the
//! core's types or the `Deserialize` structs below (camelCase properties,
//! enum values snake_case), results written by `out.rs`; the
//! `#[napi(object)]` structs declare the TypeScript interfaces only.

use std::collections::{BTreeMap, HashMap};

use ar_core::collections::{self as core, DisputeGroup, PrincipalChange};
use ar_core::limits::{MAX_COLLECTION_ITEMS, MAX_RATES};
use ar_core::{
    Command, CreditMemoId, CustomerId, DisputeId, Error, InvoiceId, NoticeId, ReceiptId, Source,
    WriteOffId,
};
use napi::bindgen_prelude::Unknown;
use napi::Env;
use napi_derive::napi;
use serde::Deserialize;

use crate::de::{self, Amount, Date, Limited, Timestamp};
use crate::errors::guard;
use crate::ledger::Ledger;
use crate::out;
use crate::views::Outcome;

// ----- arguments ----------------------------------------------------------------------

/// A reference rate in percent, in force from a day on.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::RateEntry`
pub struct RateEntry {
    /// First day in force, `YYYY-MM-DD`.
    pub from: String,
    /// Percent (`"5.25"`); may be negative.
    pub rate: String,
}

/// One tier of a fixed compensation.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::CompensationTier`
pub struct CompensationTier {
    /// For debts below this; absent on the last tier.
    pub below: Option<String>,
    /// The sum.
    pub amount: String,
}

/// A fixed sum per late invoice in one currency, tiered by its total.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::Compensation`
pub struct Compensation {
    /// ISO 4217 code.
    pub currency: String,
    /// Tiers by ascending bound, the last unbounded.
    pub tiers: Vec<CompensationTier>,
}

/// How late interest and fixed compensation are computed (also what
/// `interestRule` returns).
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::InterestRule`
pub struct InterestRule {
    /// Reference rates, ascending.
    pub rates: Vec<RateEntry>,
    /// Points on top of the reference rate.
    pub margin: String,
    /// Default `per_annum`.
    #[napi(ts_type = "'per_annum' | 'per_month'")]
    pub basis: Option<String>,
    /// Default `actual365`.
    #[napi(ts_type = "'actual365' | 'actual360' | 'thirty360'")]
    pub day_count: Option<String>,
    /// Fixed at the due date (UK) or floating by half-year (EU, Germany);
    /// default `fixed`.
    #[napi(ts_type = "'fixed' | 'floating'")]
    pub mode: Option<String>,
    /// Days after the due date before interest starts.
    pub grace_days: Option<u32>,
    /// Fixed sums per late invoice, by currency.
    pub compensation: Option<Vec<Compensation>>,
    /// How the interest is rounded, once.
    #[napi(ts_type = "RoundingPolicy")]
    pub rounding: Option<String>,
}

/// An amount in a currency.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::Money`
pub struct MoneyAmount {
    /// Decimal string.
    pub amount: String,
    /// ISO 4217 code.
    pub currency: String,
}

/// One level of a dunning policy.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::DunningLevel`
pub struct DunningLevel {
    /// Days past due from which an item reaches it; negative before due.
    pub days: i32,
    /// Least overdue amount per currency for a notice.
    pub min_overdue: Option<Vec<MoneyAmount>>,
    /// How the notice is sent; default `email`.
    #[napi(ts_type = "'email' | 'letter' | 'call' | 'stop_supply' | 'agency'")]
    pub action: Option<String>,
    /// Template id.
    pub template: String,
    /// Fee per notice, per currency.
    pub fee: Option<Vec<MoneyAmount>>,
    /// Whether the notice claims interest by the policy's rule.
    pub interest: Option<bool>,
}

/// A dunning policy.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::DunningPolicy`
pub struct DunningPolicy {
    /// Id, named by customers' `dunning_policy` dimension.
    pub id: String,
    /// Levels in ascending order of days.
    pub levels: Vec<DunningLevel>,
    /// Days between notices to a customer in a currency.
    pub min_days_between: Option<u32>,
    /// How interest is computed for levels that claim it.
    pub interest: Option<InterestRule>,
    /// How the company applies payments; default `as_named`.
    #[napi(ts_type = "'as_named' | 'costs_interest_principal'")]
    pub clearing: Option<String>,
}

/// Policies for a dunning run.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::DunningSetup`
pub struct DunningSetup {
    /// The policies.
    pub policies: Vec<DunningPolicy>,
    /// Id of the policy of customers that name none.
    pub default_policy: String,
    /// The customer dimension naming a customer's policy; default
    /// `dunning_policy`.
    pub dimension: Option<String>,
    /// Templates by id (minijinja); without, notices carry no text.
    pub templates: Option<HashMap<String, String>>,
}

/// The options of `Ledger.dunningRun`.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct DunningRunOptions {
    /// Date of the run, `YYYY-MM-DD`.
    #[napi(ts_type = "string")]
    pub as_of: Date,
    /// Templates by id, added to the setup's.
    #[napi(ts_type = "Record<string, string>")]
    pub templates: Option<BTreeMap<String, String>>,
    /// Only events recorded by this time, RFC 3339.
    #[napi(ts_type = "string")]
    pub known_at: Option<Timestamp>,
}

/// The options of the collections queries.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct CollectionsView {
    /// The business date, `YYYY-MM-DD`.
    #[napi(ts_type = "string")]
    pub as_of: Date,
    /// Only events recorded by this time, RFC 3339.
    #[napi(ts_type = "string")]
    pub known_at: Option<Timestamp>,
    /// `disputeSummary`: by `reason` (default), `customer` or `owner`.
    #[napi(ts_type = "'reason' | 'customer' | 'owner'")]
    pub by: Option<DisputeGroup>,
    /// `promises`: the broken ones only.
    pub broken: Option<bool>,
}

/// An invoice, or one installment of it.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::ItemRef`
pub struct ItemRef {
    /// The invoice.
    pub invoice: String,
    /// One installment (1-based); all when absent.
    pub installment: Option<u32>,
}

/// A line of an interest or fee note.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::ChargeLine`
pub struct ChargeLine {
    /// The item charged for (required for interest).
    pub item: Option<ItemRef>,
    /// Amount, greater than zero.
    pub amount: String,
    /// Interest: the last day computed to.
    pub through: Option<String>,
}

/// An interest or fee note: an invoice of its own.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::NewCharge`
pub struct NewCharge {
    /// Invoice id of the note.
    pub id: String,
    /// Customer charged.
    pub customer: String,
    /// Date of the note.
    pub date: String,
    /// The customer's when absent.
    pub currency: Option<String>,
    /// Interest or fee.
    #[napi(ts_type = "'interest' | 'fee'")]
    pub kind: String,
    /// At least one.
    pub lines: Vec<ChargeLine>,
    /// The dunning notice it is charged with.
    pub notice: Option<String>,
}

/// A dispute on an invoice, an installment or an amount of one.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::Dispute`
pub struct Dispute {
    /// Id.
    pub id: String,
    /// The invoice.
    pub invoice: String,
    /// One installment; the whole invoice when absent.
    pub installment: Option<u32>,
    /// The amount; all that is open when absent.
    pub amount: Option<String>,
    /// Reason code.
    pub reason: String,
    /// Who works on it.
    pub owner: String,
    /// Free text.
    pub note: Option<String>,
}

/// A promise to pay.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::Promise`
pub struct PromiseToPay {
    /// Id.
    pub id: String,
    /// Customer.
    pub customer: String,
    /// Items promised.
    pub items: Vec<ItemRef>,
    /// Amount promised.
    pub amount: String,
    /// Date by which it is to be paid.
    pub due: String,
    /// Days after `due` still on time.
    pub grace_days: Option<u32>,
    /// Share of the amount (percent) that keeps it; default `"100"`.
    pub threshold_percent: Option<String>,
    /// Free text.
    pub note: Option<String>,
}

/// One instalment of a payment plan.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::PlanInstalment`
pub struct PlanInstalment {
    /// Due date.
    pub due: String,
    /// Amount.
    pub amount: String,
}

/// A payment plan over open items.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::PaymentPlan`
pub struct PaymentPlan {
    /// Id.
    pub id: String,
    /// Customer.
    pub customer: String,
    /// Items covered.
    pub items: Vec<ItemRef>,
    /// Instalments summing exactly to what the items have open.
    pub instalments: Vec<PlanInstalment>,
    /// Days after an instalment's due date before it is missed.
    pub grace_days: Option<u32>,
}

/// The options of `Ledger.recordDunningNotice`.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct RecordNoticeOptions {
    /// The notice of a run.
    #[napi(ts_type = "DunningNotice")]
    pub notice: core::DunningNotice,
    /// Id of the record.
    pub id: String,
    /// Date sent; the run's date by default.
    #[napi(ts_type = "string")]
    pub date: Option<Date>,
}

/// The options of `Ledger.applyInClearingOrder`.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct ClearingOrderOptions {
    /// A receipt (or give `creditMemo`).
    pub receipt: Option<String>,
    /// A credit memo (or give `receipt`).
    pub credit_memo: Option<String>,
    /// Effective date.
    #[napi(ts_type = "string")]
    pub date: Date,
    /// Only this invoice and its notes.
    pub invoice: Option<String>,
    /// Also settle disputed items.
    pub include_disputed: Option<bool>,
}

/// The options of `Ledger.resolveDispute`: by a credit memo, a write-off,
/// or reinstated when neither is named.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct ResolveDisputeOptions {
    /// The dispute.
    pub dispute: String,
    /// Effective date.
    #[napi(ts_type = "string")]
    pub date: Date,
    /// Who resolved it.
    pub by: String,
    /// The credit memo it was resolved by.
    pub credit_memo: Option<String>,
    /// The write-off it was resolved by.
    pub write_off: Option<String>,
    /// Why.
    pub reason: Option<String>,
}

/// The options of `Ledger.setCollectionsHold`.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct HoldOptions {
    /// The customer.
    pub customer: String,
    /// On hold from `date`, or lifted.
    pub hold: bool,
    /// Effective date.
    #[napi(ts_type = "string")]
    pub date: Date,
    /// Why.
    pub reason: Option<String>,
}

/// The options of `lateInterest`.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct LateInterestOptions {
    /// The rule.
    #[napi(ts_type = "InterestRule")]
    pub rule: core::InterestRule,
    /// Principal.
    #[napi(ts_type = "string")]
    pub principal: Amount,
    /// Due date.
    #[napi(ts_type = "string")]
    pub due_date: Date,
    /// Last day computed.
    #[napi(ts_type = "string")]
    pub through: Date,
    /// ISO 4217 code.
    #[napi(ts_type = "string")]
    pub currency: ar_core::Currency,
    /// Changes of the principal (negative for a payment), `{date, amount}`.
    #[napi(ts_type = "Array<{ date: string; amount: string }>")]
    pub changes: Option<Limited<PrincipalChange, MAX_COLLECTION_ITEMS>>,
}

// ----- results --------------------------------------------------------------------------

/// An overdue item of a notice.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::NoticeLine`
pub struct NoticeLine {
    pub invoice: String,
    pub installment: u32,
    pub invoice_date: String,
    pub due_date: String,
    /// Negative before due.
    pub days_past_due: i64,
    pub original: String,
    /// Open and not disputed.
    pub open: String,
    /// Level reminded at now.
    pub level: u32,
    /// Level last reminded at (0: never).
    pub previous_level: u32,
}

/// Interest claimable on one item: accrued less what notes charged.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::InterestLine`
pub struct InterestLine {
    pub invoice: String,
    pub installment: u32,
    pub due_date: String,
    pub through: String,
    pub days: i64,
    pub accrued: String,
    pub charged: String,
    pub amount: String,
    /// The principal is paid (late).
    pub paid: bool,
}

/// A fixed compensation claimed for a late invoice.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::CompensationLine`
pub struct CompensationLine {
    pub invoice: String,
    /// The invoice's total.
    pub debt: String,
    pub amount: String,
}

/// Why an overdue item is left out: `disputed` (`amount`), `promise_open`
/// (`promise`, `due`) or `plan_current` (`plan`).
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::Exclusion`
pub struct Exclusion {
    #[napi(ts_type = "'disputed' | 'promise_open' | 'plan_current'")]
    pub kind: String,
    pub amount: Option<String>,
    pub promise: Option<String>,
    pub due: Option<String>,
    pub plan: Option<String>,
}

/// An overdue item left out of a notice.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::ExcludedItem`
pub struct ExcludedItem {
    pub invoice: String,
    pub installment: u32,
    pub open: String,
    pub reason: Exclusion,
}

/// A notice due; `Ledger.recordDunningNotice` records it as sent.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::DunningNotice`
pub struct DunningNotice {
    pub customer: String,
    pub customer_name: String,
    pub currency: String,
    pub as_of: String,
    pub policy: String,
    /// The highest of its items'.
    pub level: u32,
    #[napi(ts_type = "'email' | 'letter' | 'call' | 'stop_supply' | 'agency'")]
    pub action: String,
    pub template: String,
    pub items: Vec<NoticeLine>,
    pub interest: Vec<InterestLine>,
    pub compensation: Vec<CompensationLine>,
    pub excluded: Vec<ExcludedItem>,
    pub overdue: String,
    pub fee: String,
    pub interest_total: String,
    pub compensation_total: String,
    pub total: String,
    /// Written with the level's template, when the setup has templates.
    pub text: Option<String>,
    /// The customer is on credit hold: the notice still goes, flagged.
    pub credit_hold: bool,
}

/// One reason a customer is not chased; the fields of its `kind` only.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::SkipReason`
pub struct SkipReason {
    #[napi(
        ts_type = "'nothing_overdue' | 'below_threshold' | 'disputed' | 'promise_open' | 'plan_current' | 'notice_sent_recently' | 'no_new_level' | 'on_hold'"
    )]
    pub kind: String,
    pub overdue: Option<String>,
    pub threshold: Option<String>,
    pub amount: Option<String>,
    pub promise: Option<String>,
    pub due: Option<String>,
    pub plan: Option<String>,
    pub notice: Option<String>,
    pub days_ago: Option<i64>,
    pub min_days: Option<u32>,
    pub level: Option<u32>,
    pub reason: Option<String>,
}

/// A customer not chased, with every reason that applies.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::DunningSkip`
pub struct DunningSkip {
    pub customer: String,
    /// Absent when nothing is overdue in any currency.
    pub currency: Option<String>,
    pub reasons: Vec<SkipReason>,
}

/// A dunning run: the notices due and the customers not chased.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::DunningRun`
pub struct DunningRun {
    pub as_of: String,
    pub notices: Vec<DunningNotice>,
    pub skipped: Vec<DunningSkip>,
}

/// A stretch of days with one principal and one rate.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::InterestSegment`
pub struct InterestSegment {
    pub after: String,
    pub through: String,
    pub days: i64,
    pub principal: String,
    /// Percent, reference plus margin.
    pub rate: String,
}

/// Interest on one item, rounded once.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::LateInterest`
pub struct LateInterest {
    /// The due date plus grace.
    pub start: String,
    pub through: String,
    pub days: i64,
    pub segments: Vec<InterestSegment>,
    pub amount: String,
}

/// The annual cost in percent of forgoing an early-payment discount.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::DiscountCost`
pub struct DiscountCost {
    pub simple360: String,
    pub simple365: String,
    pub compounded365: String,
}

/// How a dispute ended.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::Resolution`
pub struct Resolution {
    #[napi(ts_type = "'credit_memo' | 'write_off' | 'reinstated'")]
    pub by: String,
    pub credit_memo: Option<String>,
    pub write_off: Option<String>,
}

/// A dispute and where it stands.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::DisputeView`
pub struct DisputeView {
    pub id: String,
    pub invoice: String,
    pub installment: Option<u32>,
    pub customer: String,
    pub currency: String,
    pub reason: String,
    pub owner: String,
    pub opened: String,
    /// Kept out of dunning; zero once resolved.
    pub amount: String,
    pub age_days: i64,
    pub open: bool,
    pub resolution: Option<Resolution>,
    pub resolved_on: Option<String>,
    pub resolved_by: Option<String>,
    pub resolution_reason: Option<String>,
}

/// Open disputes of one reason, customer or owner and currency.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::DisputeSummaryRow`
pub struct DisputeSummaryRow {
    pub key: String,
    pub currency: String,
    pub count: i64,
    pub amount: String,
    pub average_age_days: String,
    pub oldest_age_days: i64,
}

/// A promise and where it stands.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::PromiseView`
pub struct PromiseView {
    pub promise: PromiseToPay,
    pub made: String,
    pub currency: String,
    /// Due plus grace.
    pub deadline: String,
    pub paid: String,
    pub required: String,
    #[napi(ts_type = "'open' | 'kept' | 'broken'")]
    pub status: String,
}

/// A plan and where it stands.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::collections::PlanView`
pub struct PlanView {
    pub plan: PaymentPlan,
    pub agreed: String,
    pub currency: String,
    pub paid: String,
    #[napi(ts_type = "'current' | 'broken' | 'completed'")]
    pub status: String,
    /// The first instalment missed (0-based).
    pub missed: Option<u32>,
    pub next_due: Option<String>,
}

// ----- helpers ----------------------------------------------------------------------

fn source(receipt: Option<&str>, credit_memo: Option<&str>) -> ar_core::Result<Source> {
    match (receipt, credit_memo) {
        (Some(r), None) => Ok(Source::Receipt(ReceiptId::parse_field("receipt", r)?)),
        (None, Some(c)) => Ok(Source::CreditMemo(CreditMemoId::parse_field(
            "creditMemo",
            c,
        )?)),
        (r, _) => Err(Error::InvalidValue {
            field: "source".into(),
            value: if r.is_some() { "both" } else { "none" }.into(),
            reason: "give exactly one of receipt and creditMemo".into(),
        }),
    }
}

/// A setup, or one policy (an object with `levels`) for everyone.
fn setup(env: &Env, value: Unknown<'_>) -> ar_core::Result<core::DunningSetup> {
    #[derive(Deserialize)]
    struct Probe {
        levels: Option<serde::de::IgnoredAny>,
    }
    let probe: Probe = de::from_js(env, value, "setup", "DunningSetup or DunningPolicy")?;
    let setup = if probe.levels.is_some() {
        core::DunningSetup::single(de::from_js::<core::DunningPolicy>(
            env,
            value,
            "setup",
            "DunningPolicy",
        )?)
    } else {
        de::from_js(env, value, "setup", "DunningSetup")?
    };
    Ok(setup)
}

// ----- functions ------------------------------------------------------------------------

/// A statutory interest rule over the reference `rates`: `eu_directive`
/// (reference + 8 points floating by half-year, EUR 40 per late invoice),
/// `uk_late_payment` (reference + 8 fixed at the due date, GBP 40 / 70 /
/// 100 by debt) or `germany` (reference + 9 floating, EUR 40).
///
/// Errors: `invalid_value` (another preset, rates out of order),
/// `limit_exceeded`, `invalid_date`, `invalid_type`.
#[napi(
    ts_args_type = "preset: 'eu_directive' | 'uk_late_payment' | 'germany', rates: Array<RateEntry>",
    ts_return_type = "InterestRule"
)]
pub fn interest_rule<'e>(
    env: &'e Env,
    preset: Unknown<'_>,
    rates: Unknown<'_>,
) -> napi::Result<Unknown<'e>> {
    guard(env, || {
        let name: String = de::from_js(env, preset, "preset", "string")?;
        let rates: Limited<core::RateEntry, MAX_RATES> =
            de::from_js(env, rates, "rates", "an array of RateEntry")?;
        let rates = rates.0;
        let rule = match name.as_str() {
            "eu_directive" => core::InterestRule::eu_directive(rates),
            "uk_late_payment" => core::InterestRule::uk_late_payment(rates),
            "germany" => core::InterestRule::germany(rates),
            _ => {
                return Err(Error::InvalidValue {
                    field: "preset".into(),
                    value: ar_core::shown_value(&name),
                    reason: "expected \"eu_directive\", \"uk_late_payment\" or \"germany\"".into(),
                })
            }
        };
        rule.validate("rates")?;
        out::to_js(env, &rule, None)
    })
}

/// Simple interest on `principal` due on `dueDate` through `through`:
/// computed over the whole period on exact values and rounded once.
///
/// Errors: `invalid_value` (a bad rule, no rate in force), `invalid_type`,
/// `invalid_decimal`, `invalid_date`, `invalid_currency`, `overflow`.
#[napi(
    ts_args_type = "options: LateInterestOptions",
    ts_return_type = "LateInterest"
)]
pub fn late_interest<'e>(env: &'e Env, options: Unknown<'_>) -> napi::Result<Unknown<'e>> {
    guard(env, || {
        let o: LateInterestOptions = de::options(env, options, "options", "LateInterestOptions")?;
        let changes = o.changes.map(|c| c.0).unwrap_or_default();
        let i = core::late_interest(
            &o.rule,
            o.principal.0,
            &changes,
            o.due_date.0,
            o.through.0,
            o.currency,
        )?;
        out::to_js(env, &i, None)
    })
}

/// The annual cost, in percent, of forgoing `percent` off for paying within
/// `discountDays` instead of on day `netDays` (2/10 net 30: `"36.7347"`
/// simple over 360 days).
///
/// Errors: `invalid_value`, `invalid_type`, `invalid_decimal`.
#[napi(
    ts_args_type = "percent: string, discountDays: number, netDays: number",
    ts_return_type = "DiscountCost"
)]
pub fn discount_cost<'e>(
    env: &'e Env,
    percent: Unknown<'_>,
    discount_days: Unknown<'_>,
    net_days: Unknown<'_>,
) -> napi::Result<Unknown<'e>> {
    guard(env, || {
        let p: Amount = de::from_js(env, percent, "percent", de::AMOUNT_TEXT)?;
        let d: u32 = de::from_js(env, discount_days, "discountDays", "a whole number")?;
        let n: u32 = de::from_js(env, net_days, "netDays", "a whole number")?;
        out::to_js(env, &core::discount_cost(p.0, d, n)?, None)
    })
}

/// `discountCost` of `terms` (shorthand such as `"2/10 net 30"`) for an
/// invoice dated `invoiceDate`; `null` for terms without a discount.
///
/// Errors: `invalid_terms`, `invalid_date`, `invalid_value`.
#[napi(
    ts_args_type = "terms: string, invoiceDate: string",
    ts_return_type = "DiscountCost | null"
)]
pub fn discount_cost_of_terms<'e>(
    env: &'e Env,
    terms: Unknown<'_>,
    invoice_date: Unknown<'_>,
) -> napi::Result<Unknown<'e>> {
    guard(env, || {
        let t: String = de::from_js(env, terms, "terms", "string")?;
        let terms: ar_core::PaymentTerms = t.parse()?;
        let day: Date = de::from_js(env, invoice_date, "invoiceDate", "YYYY-MM-DD")?;
        let cost = core::discount_cost_of_terms(&terms, day.0)?;
        out::to_js(env, &cost, None)
    })
}

/// `notice` written with `template` (minijinja; the notice's fields in
/// snake_case are its names, `money(currency)` writes an amount and its
/// code). An error names `name` (default: the notice's template) and the
/// line.
///
/// Errors: `template_error`, `limit_exceeded`, `invalid_type`.
#[napi(ts_args_type = "template: string, notice: DunningNotice, name?: string")]
pub fn render_notice(
    env: Env,
    template: Unknown<'_>,
    notice: Unknown<'_>,
    name: Option<Unknown<'_>>,
) -> napi::Result<String> {
    guard(&env, || {
        let template: String = de::from_js(&env, template, "template", "string")?;
        let notice: core::DunningNotice = de::from_js(&env, notice, "notice", "DunningNotice")?;
        let name: Option<String> = match name {
            Some(n) => de::from_js(&env, n, "name", "string")?,
            None => None,
        };
        let name = name.unwrap_or_else(|| notice.template.clone());
        core::render_notice(&name, &template, &notice)
    })
}

/// `amount` with grouped thousands and the currency's decimals
/// (`"10,000.00"` for GBP); the template filter `money` adds the code.
///
/// Errors: `invalid_type`, `invalid_decimal`, `invalid_currency`.
#[napi(ts_args_type = "amount: string, currency: string")]
pub fn format_amount(env: Env, amount: Unknown<'_>, currency: Unknown<'_>) -> napi::Result<String> {
    guard(&env, || {
        let a: Amount = de::from_js(&env, amount, "amount", de::AMOUNT_TEXT)?;
        let c: ar_core::Currency = de::from_js(&env, currency, "currency", "an ISO 4217 code")?;
        Ok(core::format_amount(a.0, c))
    })
}

// ----- the ledger ---------------------------------------------------------------------------

#[napi]
impl Ledger {
    /// Records a notice of a dunning run as sent: each item's level moves,
    /// so a rerun that day proposes nothing new.
    ///
    /// Errors: `duplicate_id`, `not_found`, `invalid_value`, `invalid_date`.
    #[napi(ts_args_type = "options: RecordNoticeOptions, meta?: CommandMeta")]
    pub fn record_dunning_notice(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: RecordNoticeOptions =
                de::options(&env, options, "options", "RecordNoticeOptions")?;
            let id = NoticeId::parse_field("id", o.id.as_str())?;
            let date = o.date.map_or(o.notice.as_of, |d| d.0);
            Ok(Command::RecordDunningNotice {
                notice: o.notice.record(id),
                date,
            })
        })
    }

    /// Issues an interest or fee note: an invoice of its own that ages, is
    /// paid, disputed and written off like any other.
    ///
    /// Errors: `duplicate_id`, `not_found`, `invalid_value`,
    /// `currency_mismatch`, `invalid_date`.
    #[napi(ts_args_type = "charge: NewCharge, meta?: CommandMeta")]
    pub fn issue_charge(
        &self,
        env: Env,
        charge: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let charge: ar_core::NewCharge = de::from_js(&env, charge, "charge", "NewCharge")?;
            Ok(Command::IssueCharge { charge })
        })
    }

    /// Applies a receipt or credit memo to costs (fee notes), then interest
    /// notes, then principal, each oldest due first (section 367 BGB).
    ///
    /// Errors: `not_found`, `nothing_to_apply`, `invalid_state`,
    /// `invalid_value`, `invalid_date`.
    #[napi(ts_args_type = "options: ClearingOrderOptions, meta?: CommandMeta")]
    pub fn apply_in_clearing_order(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: ClearingOrderOptions =
                de::options(&env, options, "options", "ClearingOrderOptions")?;
            Ok(Command::ApplyInClearingOrder {
                source: source(o.receipt.as_deref(), o.credit_memo.as_deref())?,
                date: o.date.0,
                invoice: o
                    .invoice
                    .as_deref()
                    .map(|i| InvoiceId::parse_field("invoice", i))
                    .transpose()?,
                include_disputed: o.include_disputed.unwrap_or(false),
            })
        })
    }

    /// Opens a dispute on `date`: its amount leaves dunning, the invoice
    /// leaves automatic matching.
    ///
    /// Errors: `duplicate_id`, `not_found`, `invalid_value`, `invalid_date`.
    #[napi(ts_args_type = "dispute: Dispute, date: string, meta?: CommandMeta")]
    pub fn open_dispute(
        &self,
        env: Env,
        dispute: Unknown<'_>,
        date: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let dispute: ar_core::Dispute = de::from_js(&env, dispute, "dispute", "Dispute")?;
            let date: Date = de::from_js(&env, date, "date", "YYYY-MM-DD")?;
            Ok(Command::OpenDispute {
                dispute,
                date: date.0,
            })
        })
    }

    /// Resolves a dispute by a credit memo or a write-off, or reinstates
    /// the amount when neither is named.
    ///
    /// Errors: `not_found`, `invalid_state`, `invalid_value`, `invalid_date`.
    #[napi(ts_args_type = "options: ResolveDisputeOptions, meta?: CommandMeta")]
    pub fn resolve_dispute(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: ResolveDisputeOptions =
                de::options(&env, options, "options", "ResolveDisputeOptions")?;
            let resolution = match (o.credit_memo, o.write_off) {
                (Some(m), None) => ar_core::Resolution::CreditMemo {
                    credit_memo: CreditMemoId::parse_field("creditMemo", m)?,
                },
                (None, Some(w)) => ar_core::Resolution::WriteOff {
                    write_off: WriteOffId::parse_field("writeOff", w)?,
                },
                (None, None) => ar_core::Resolution::Reinstated,
                (Some(_), Some(w)) => {
                    return Err(Error::InvalidValue {
                        field: "writeOff".into(),
                        value: ar_core::shown_value(&w),
                        reason: "a dispute is resolved by a credit memo or a write-off, not both"
                            .into(),
                    })
                }
            };
            Ok(Command::ResolveDispute {
                dispute: DisputeId::parse_field("dispute", o.dispute)?,
                resolution,
                date: o.date.0,
                by: o.by,
                reason: o.reason.unwrap_or_default(),
            })
        })
    }

    /// Records a promise to pay made on `date`; dunning of its items waits
    /// for it.
    ///
    /// Errors: `duplicate_id`, `not_found`, `invalid_value`, `invalid_date`.
    #[napi(ts_args_type = "promise: PromiseToPay, date: string, meta?: CommandMeta")]
    pub fn record_promise(
        &self,
        env: Env,
        promise: Unknown<'_>,
        date: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let promise: ar_core::Promise = de::from_js(&env, promise, "promise", "PromiseToPay")?;
            let date: Date = de::from_js(&env, date, "date", "YYYY-MM-DD")?;
            Ok(Command::RecordPromise {
                promise,
                date: date.0,
            })
        })
    }

    /// Agrees a payment plan on `date`: its instalments govern the dunning
    /// of its items while it is kept.
    ///
    /// Errors: `duplicate_id`, `not_found`, `invalid_value`, `invalid_date`.
    #[napi(ts_args_type = "plan: PaymentPlan, date: string, meta?: CommandMeta")]
    pub fn agree_plan(
        &self,
        env: Env,
        plan: Unknown<'_>,
        date: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let plan: ar_core::PaymentPlan = de::from_js(&env, plan, "plan", "PaymentPlan")?;
            let date: Date = de::from_js(&env, date, "date", "YYYY-MM-DD")?;
            Ok(Command::AgreePlan { plan, date: date.0 })
        })
    }

    /// Puts a customer on a collections hold (no dunning), or lifts it.
    ///
    /// Errors: `not_found`, `invalid_value`, `invalid_date`.
    #[napi(ts_args_type = "options: HoldOptions, meta?: CommandMeta")]
    pub fn set_collections_hold(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: HoldOptions = de::options(&env, options, "options", "HoldOptions")?;
            Ok(Command::SetCollectionsHold {
                customer: CustomerId::parse_field("customer", o.customer)?,
                hold: o.hold,
                date: o.date.0,
                reason: o.reason.unwrap_or_default(),
            })
        })
    }

    /// The dunning run by `setup` (a `DunningSetup`, or one
    /// `DunningPolicy` for everyone): each notice due and, for every
    /// customer not chased, why.
    ///
    /// Errors: `invalid_value` (a bad policy), `not_found` (a customer's
    /// policy not in the setup), `template_error`, `limit_exceeded`,
    /// `invalid_date`.
    #[napi(
        ts_args_type = "setup: DunningSetup | DunningPolicy, options: DunningRunOptions",
        ts_return_type = "DunningRun"
    )]
    pub fn dunning_run<'e>(
        &self,
        env: &'e Env,
        setup: Unknown<'_>,
        options: Unknown<'_>,
    ) -> napi::Result<Unknown<'e>> {
        guard(env, || {
            let mut s = self::setup(env, setup)?;
            let o: DunningRunOptions = de::options(env, options, "options", "DunningRunOptions")?;
            if let Some(t) = o.templates {
                s.templates.extend(t);
            }
            s.validate()?;
            let run = self
                .core()?
                .dunning_run(&s, o.as_of.0, o.known_at.map(|t| t.0))?;
            out::to_js(env, &run, None)
        })
    }

    /// Every dispute opened by `asOf`, open or resolved.
    ///
    /// Errors: `invalid_date`, `invalid_type`.
    #[napi(
        ts_args_type = "options: CollectionsView",
        ts_return_type = "Array<DisputeView>"
    )]
    pub fn disputes<'e>(&self, env: &'e Env, options: Unknown<'_>) -> napi::Result<Unknown<'e>> {
        guard(env, || {
            let o: CollectionsView = de::options(env, options, "options", "CollectionsView")?;
            let views = self.core()?.disputes(o.as_of.0, o.known_at.map(|t| t.0));
            out::to_js(env, &views, None)
        })
    }

    /// Open disputes counted, summed and aged `by` reason, customer or
    /// owner, per currency.
    ///
    /// Errors: `invalid_date`, `invalid_value`.
    #[napi(
        ts_args_type = "options: CollectionsView",
        ts_return_type = "Array<DisputeSummaryRow>"
    )]
    pub fn dispute_summary<'e>(
        &self,
        env: &'e Env,
        options: Unknown<'_>,
    ) -> napi::Result<Unknown<'e>> {
        guard(env, || {
            let o: CollectionsView = de::options(env, options, "options", "CollectionsView")?;
            let rows = self.core()?.dispute_summary(
                o.as_of.0,
                o.known_at.map(|t| t.0),
                o.by.unwrap_or_default(),
            )?;
            out::to_js(env, &rows, None)
        })
    }

    /// Every promise made by `asOf` with whether it is open, kept or broken
    /// (`broken: true` for the broken ones only).
    ///
    /// Errors: `invalid_date`, `invalid_type`.
    #[napi(
        ts_args_type = "options: CollectionsView",
        ts_return_type = "Array<PromiseView>"
    )]
    pub fn promises<'e>(&self, env: &'e Env, options: Unknown<'_>) -> napi::Result<Unknown<'e>> {
        guard(env, || {
            let o: CollectionsView = de::options(env, options, "options", "CollectionsView")?;
            let l = self.core()?;
            let known_at = o.known_at.map(|t| t.0);
            let views = if o.broken.unwrap_or(false) {
                l.broken_promises(o.as_of.0, known_at)?
            } else {
                l.promises(o.as_of.0, known_at)?
            };
            out::to_js(env, &views, None)
        })
    }

    /// Every payment plan agreed by `asOf` with whether it is current,
    /// broken or completed.
    ///
    /// Errors: `invalid_date`, `invalid_type`.
    #[napi(
        ts_args_type = "options: CollectionsView",
        ts_return_type = "Array<PlanView>"
    )]
    pub fn plans<'e>(&self, env: &'e Env, options: Unknown<'_>) -> napi::Result<Unknown<'e>> {
        guard(env, || {
            let o: CollectionsView = de::options(env, options, "options", "CollectionsView")?;
            let views = self.core()?.plans(o.as_of.0, o.known_at.map(|t| t.0))?;
            out::to_js(env, &views, None)
        })
    }
}
