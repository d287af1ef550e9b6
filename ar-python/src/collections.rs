//! Collections: late interest and its statutory presets, the cost of a
//! forgone discount and letters as module functions; the collections
//! commands and queries of `Ledger` (dunning runs, disputes, promises,
//! plans) read their arguments here. Every figure comes from
//! `ar_core::collections`.
//!
//! Through the conversion layer: policies, disputes, promises, plans and
//! charge notes are dicts read by [`de`] into the core's types (after
//! `ar._collections.plain`, which turns records into dicts and dates into
//! ISO text, so a result can be handed back); results are the records of
//! `python/ar/_collections.py`, built by [`records`].

use ar_core::chrono::{DateTime, NaiveDate, Utc};
use ar_core::collections::{
    self as core, DisputeGroup, DunningNotice, DunningSetup, InterestRule, PrincipalChange,
    RateEntry,
};
use ar_core::limits::{MAX_COLLECTION_ITEMS, MAX_RATES, MAX_TEXT_LEN};
use ar_core::{
    Command, CreditMemoId, CustomerId, DisputeId, Error, InvoiceId, NewCharge, NoticeId,
    PaymentPlan, Promise, Resolution, Source, WriteOffId,
};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use serde::de::DeserializeOwned;

use crate::conv;
use crate::de;
use crate::errors::{fail, guard};
use crate::records;

type Arg<'a, 'py> = Option<&'a Bound<'py, PyAny>>;

static PLAIN: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `obj` read as `T`, records and dates first made plain.
pub fn read<T: DeserializeOwned>(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<T> {
    let plain = PLAIN
        .import(obj.py(), "ar._collections", "plain")?
        .call1((obj,))?;
    de::from_py(&plain, name)
}

pub fn text(field: &str, obj: Arg<'_, '_>) -> PyResult<String> {
    let Some(o) = conv::given(obj) else {
        return Ok(String::new());
    };
    let t = conv::text(field, o)?;
    limit(field, t.len(), MAX_TEXT_LEN)?;
    Ok(t)
}

/// `limit_exceeded` for `count` over `max`.
fn limit(field: &str, count: usize, max: usize) -> PyResult<()> {
    if count <= max {
        return Ok(());
    }
    fail(Error::LimitExceeded {
        field: field.to_owned(),
        count: u64::try_from(count).unwrap_or(u64::MAX),
        limit: u64::try_from(max).unwrap_or(u64::MAX),
    })
}

// ----- module functions -------------------------------------------------------

/// A statutory interest rule over the reference ``rates`` (a list of
/// ``{"from": date, "rate": percent}``): ``"eu_directive"`` (reference + 8
/// points floating by half-year, EUR 40 per late invoice),
/// ``"uk_late_payment"`` (reference + 8 fixed at the due date, GBP 40 / 70 /
/// 100 by debt) or ``"germany"`` (reference + 9 floating, EUR 40).
#[pyfunction]
#[pyo3(signature = (preset, rates))]
pub fn interest_rule<'py>(
    preset: &Bound<'py, PyAny>,
    rates: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let name = conv::text("preset", preset)?;
    let rates: Vec<RateEntry> = read(rates, "rates")?;
    limit("rates", rates.len(), MAX_RATES)?;
    let rule = match name.as_str() {
        "eu_directive" => InterestRule::eu_directive(rates),
        "uk_late_payment" => InterestRule::uk_late_payment(rates),
        "germany" => InterestRule::germany(rates),
        _ => {
            return fail(Error::InvalidValue {
                field: "preset".into(),
                value: ar_core::shown_value(&name),
                reason: "expected \"eu_directive\", \"uk_late_payment\" or \"germany\"".into(),
            })
        }
    };
    guard(|| rule.validate("rates"))?;
    records::to_py(preset.py(), "InterestRule", &rule)
}

/// Simple interest on ``principal`` due on ``due_date`` through
/// ``through`` by ``rule`` (a dict or ``InterestRule``), with ``changes``
/// of the principal (``{"date", "amount"}``, negative for a payment);
/// computed over the whole period on exact values and rounded once.
#[pyfunction]
#[pyo3(signature = (rule, principal, due_date, through, currency, *, changes = None))]
pub fn late_interest<'py>(
    rule: &Bound<'py, PyAny>,
    principal: &Bound<'py, PyAny>,
    due_date: &Bound<'py, PyAny>,
    through: &Bound<'py, PyAny>,
    currency: &Bound<'py, PyAny>,
    changes: Arg<'_, 'py>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = rule.py();
    let rule: InterestRule = read(rule, "rule")?;
    let principal = conv::decimal("principal", principal)?;
    let due = conv::date("due_date", due_date)?;
    let through = conv::date("through", through)?;
    let currency = conv::currency("currency", currency)?;
    let changes: Vec<PrincipalChange> = match conv::given(changes) {
        Some(c) => read(c, "changes")?,
        None => Vec::new(),
    };
    limit("changes", changes.len(), MAX_COLLECTION_ITEMS)?;
    let i = guard(|| core::late_interest(&rule, principal, &changes, due, through, currency))?;
    records::to_py(py, "LateInterest", &i)
}

/// The annual cost, in percent, of forgoing ``percent`` off for paying
/// within ``discount_days`` instead of on day ``net_days`` (2/10 net 30:
/// 36.7347 simple over 360 days).
#[pyfunction]
#[pyo3(signature = (percent, discount_days, net_days))]
pub fn discount_cost<'py>(
    percent: &Bound<'py, PyAny>,
    discount_days: &Bound<'py, PyAny>,
    net_days: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let p = conv::decimal("percent", percent)?;
    let discount_days = conv::count("discount_days", discount_days)?;
    let net_days = conv::count("net_days", net_days)?;
    let c = guard(|| core::discount_cost(p, discount_days, net_days))?;
    records::to_py(percent.py(), "DiscountCost", &c)
}

/// [`discount_cost`] of ``terms`` (an ``ar.Terms`` or shorthand) for an
/// invoice dated ``invoice_date``; ``None`` for terms without a discount.
#[pyfunction]
#[pyo3(signature = (terms, invoice_date))]
pub fn discount_cost_of_terms<'py>(
    terms: &Bound<'py, PyAny>,
    invoice_date: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let t = conv::terms("terms", terms)?;
    let day = conv::date("invoice_date", invoice_date)?;
    match guard(|| core::discount_cost_of_terms(&t, day))? {
        Some(c) => records::to_py(terms.py(), "DiscountCost", &c).map(Some),
        None => Ok(None),
    }
}

/// ``notice`` (a ``DunningNotice``) written with ``template`` (minijinja
/// text; the notice's fields are its names, ``money(currency)`` formats an
/// amount); an error names ``name`` and the line.
#[pyfunction]
#[pyo3(signature = (template, notice, *, name = None))]
pub fn render_notice(
    template: &Bound<'_, PyAny>,
    notice: &Bound<'_, PyAny>,
    name: Arg<'_, '_>,
) -> PyResult<String> {
    let template = conv::text("template", template)?;
    let notice: DunningNotice = read(notice, "notice")?;
    let name = match conv::given(name) {
        Some(n) => conv::text("name", n)?,
        None => notice.template.clone(),
    };
    guard(|| core::render_notice(&name, &template, &notice))
}

/// ``amount`` with grouped thousands and the currency's decimals
/// (``"10,000.00"`` for GBP); the template filter ``money`` adds the code.
#[pyfunction]
#[pyo3(signature = (amount, currency))]
pub fn format_amount(amount: &Bound<'_, PyAny>, currency: &Bound<'_, PyAny>) -> PyResult<String> {
    let a = conv::decimal("amount", amount)?;
    let c = conv::currency("currency", currency)?;
    Ok(core::format_amount(a, c))
}

// ----- the ledger's commands ----------------------------------------------------

/// `record_dunning_notice`: the notice of a run as sent, under `id`.
pub fn record_notice(
    notice: &Bound<'_, PyAny>,
    id: &Bound<'_, PyAny>,
    date: Arg<'_, '_>,
) -> PyResult<Command> {
    let notice: DunningNotice = read(notice, "notice")?;
    let id = conv::id("id", id, NoticeId::parse_field)?;
    let date = conv::opt_date("date", date)?.unwrap_or(notice.as_of);
    Ok(Command::RecordDunningNotice {
        notice: notice.record(id),
        date,
    })
}

/// `issue_charge`: an interest or fee note.
pub fn issue_charge(charge: &Bound<'_, PyAny>) -> PyResult<Command> {
    Ok(Command::IssueCharge {
        charge: read::<NewCharge>(charge, "charge")?,
    })
}

/// `apply_in_clearing_order`.
pub fn clearing_order(
    source: Source,
    date: &Bound<'_, PyAny>,
    invoice: Arg<'_, '_>,
    include_disputed: bool,
) -> PyResult<Command> {
    Ok(Command::ApplyInClearingOrder {
        source,
        date: conv::date("date", date)?,
        invoice: conv::opt_id("invoice", invoice, InvoiceId::parse_field)?,
        include_disputed,
    })
}

/// `open_dispute`.
pub fn open_dispute(dispute: &Bound<'_, PyAny>, date: &Bound<'_, PyAny>) -> PyResult<Command> {
    Ok(Command::OpenDispute {
        dispute: read(dispute, "dispute")?,
        date: conv::date("date", date)?,
    })
}

/// `resolve_dispute`: by a credit memo, a write-off, or reinstated when
/// neither is named.
#[allow(clippy::too_many_arguments)]
pub fn resolve_dispute(
    dispute: &Bound<'_, PyAny>,
    date: &Bound<'_, PyAny>,
    by: &Bound<'_, PyAny>,
    credit_memo: Arg<'_, '_>,
    write_off: Arg<'_, '_>,
    reason: Arg<'_, '_>,
) -> PyResult<Command> {
    let dispute = conv::id("dispute", dispute, DisputeId::parse_field)?;
    let memo = conv::opt_id("credit_memo", credit_memo, CreditMemoId::parse_field)?;
    let wo = conv::opt_id("write_off", write_off, WriteOffId::parse_field)?;
    let resolution = match (memo, wo) {
        (Some(credit_memo), None) => Resolution::CreditMemo { credit_memo },
        (None, Some(write_off)) => Resolution::WriteOff { write_off },
        (None, None) => Resolution::Reinstated,
        (Some(_), Some(w)) => {
            return fail(Error::InvalidValue {
                field: "write_off".into(),
                value: ar_core::shown_value(w.as_str()),
                reason: "a dispute is resolved by a credit memo or a write-off, not both".into(),
            })
        }
    };
    Ok(Command::ResolveDispute {
        dispute,
        resolution,
        date: conv::date("date", date)?,
        by: conv::text("by", by)?,
        reason: text("reason", reason)?,
    })
}

/// `record_promise`.
pub fn record_promise(promise: &Bound<'_, PyAny>, date: &Bound<'_, PyAny>) -> PyResult<Command> {
    Ok(Command::RecordPromise {
        promise: read::<Promise>(promise, "promise")?,
        date: conv::date("date", date)?,
    })
}

/// `agree_plan`.
pub fn agree_plan(plan: &Bound<'_, PyAny>, date: &Bound<'_, PyAny>) -> PyResult<Command> {
    Ok(Command::AgreePlan {
        plan: read::<PaymentPlan>(plan, "plan")?,
        date: conv::date("date", date)?,
    })
}

/// `set_collections_hold`.
pub fn hold(
    customer: &Bound<'_, PyAny>,
    on: &Bound<'_, PyAny>,
    date: &Bound<'_, PyAny>,
    reason: Arg<'_, '_>,
) -> PyResult<Command> {
    Ok(Command::SetCollectionsHold {
        customer: conv::id("customer", customer, CustomerId::parse_field)?,
        hold: conv::flag("hold", on)?,
        date: conv::date("date", date)?,
        reason: text("reason", reason)?,
    })
}

// ----- the ledger's queries -------------------------------------------------------

/// The arguments every collections query takes.
pub struct AsOf {
    pub as_of: NaiveDate,
    pub known_at: Option<DateTime<Utc>>,
}

pub fn as_of(as_of: &Bound<'_, PyAny>, known_at: Arg<'_, '_>) -> PyResult<AsOf> {
    Ok(AsOf {
        as_of: conv::date("as_of", as_of)?,
        known_at: conv::opt_timestamp("known_at", known_at)?,
    })
}

/// A dunning setup: a dict of the core's `DunningSetup`, or one policy
/// (a dict with `levels`) used for every customer.
pub fn setup(obj: &Bound<'_, PyAny>, templates: Arg<'_, '_>) -> PyResult<DunningSetup> {
    let plain = PLAIN
        .import(obj.py(), "ar._collections", "plain")?
        .call1((obj,))?;
    let is_policy = plain
        .cast::<pyo3::types::PyDict>()
        .is_ok_and(|d| d.contains("levels").unwrap_or(false));
    let mut setup = if is_policy {
        DunningSetup::single(de::from_py(&plain, "policy")?)
    } else {
        de::from_py::<DunningSetup>(&plain, "setup")?
    };
    if let Some(t) = conv::given(templates) {
        let more: std::collections::BTreeMap<String, String> = read(t, "templates")?;
        setup.templates.extend(more);
    }
    guard(|| setup.validate())?;
    Ok(setup)
}

/// A dispute grouping by name.
pub fn group(obj: Arg<'_, '_>) -> PyResult<DisputeGroup> {
    match conv::given(obj) {
        Some(o) => de::from_py(o, "by"),
        None => Ok(DisputeGroup::default()),
    }
}

/// `value` as the record (or list of records) `name`.
pub fn out<'py, T: serde::Serialize + ?Sized>(
    py: Python<'py>,
    name: &str,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    records::to_py(py, name, value)
}
