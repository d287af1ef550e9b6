//! Aging: `Ledger.aging`, open items sorted into buckets by days past due
//! (or since the invoice date), grouped and totalled per currency. The
//! buckets, groups and totals all come from `ar_core::Ledger::aging`.

use ar_core::Buckets;
use napi::bindgen_prelude::{PromiseRaw, Unknown};
use napi::Env;
use napi_derive::napi;

use ar_core::limits;

use crate::accounting;
use crate::read::from_js_object;

use crate::conv;
use crate::errors::guard;
use crate::ledger::Ledger;
use crate::task;
use crate::views::OpenItemKind;

/// From which date an item's age is counted: `due_date` (the default: days
/// past due, negative when not yet due) or `invoice_date` (days since the
/// invoice date).
#[napi(string_enum = "snake_case")]
pub enum AgeBasis {
    /// Days past the due date.
    DueDate,
    /// Days since the invoice date.
    InvoiceDate,
}

impl From<ar_core::AgeBasis> for AgeBasis {
    fn from(basis: ar_core::AgeBasis) -> Self {
        match basis {
            ar_core::AgeBasis::DueDate => AgeBasis::DueDate,
            ar_core::AgeBasis::InvoiceDate => AgeBasis::InvoiceDate,
        }
    }
}

/// The argument of `Ledger.aging` (and of `Book.aging`, without `knownAt`).
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct AgingOptions {
    /// Age as of this business date, `YYYY-MM-DD` (events effective after it
    /// are ignored).
    pub as_of: String,
    /// Only events recorded by this time, RFC 3339: the books as they stood
    /// then. Default: everything recorded.
    pub known_at: Option<String>,
    /// Age from the due date (default) or from the invoice date.
    #[napi(ts_type = "AgeBasis")]
    pub basis: Option<String>,
    /// Bucket bounds in days, strictly increasing, each the last day of a
    /// bucket; a final bucket takes everything above the last bound. Default
    /// `[0, 30, 60, 90, 120]`: current, 1-30, 31-60, 61-90, 91-120, over 120.
    pub buckets: Option<Vec<f64>>,
    /// Group-by keys: `"customer"`, `"customer.<dimension>"` (e.g.
    /// `"customer.region"`), `"invoice.<dimension>"`; several group by their
    /// combination, `[]` is the whole book. Default `["customer"]`.
    pub group_by: Option<Vec<String>>,
    /// Also list every open item in `detail`; default false.
    pub detail: Option<bool>,
}

from_js_object!(
    AgingOptions,
    as_of: "asOf",
    known_at: "knownAt",
    basis: "basis",
    buckets: "buckets" max limits::MAX_BUCKETS,
    group_by: "groupBy" max limits::MAX_DIMENSIONS,
    detail: "detail",
);

/// One group's aging in one currency. Invoices are bucketed; open credits and
/// unapplied cash are shown beside them, never netted into the buckets.
#[napi(object, object_from_js = false)]
pub struct AgingRow {
    /// Values of the group-by keys, in order (empty for a currency total).
    /// `"(unknown)"` is the customer of cash from an unidentified payer; `""`
    /// an item without the dimension.
    pub group: Vec<String>,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Open invoice amounts, one per bucket label.
    pub buckets: Vec<String>,
    /// Sum of the buckets: the open invoices.
    pub total: String,
    /// Open credit memos.
    pub open_credits: String,
    /// Unapplied cash.
    pub unapplied_cash: String,
    /// `total - openCredits - unappliedCash`.
    pub net: String,
    /// Number of open invoice items (installments) in the buckets.
    pub items: i64,
}

/// One open item of an aging's detail.
#[napi(object, object_from_js = false)]
pub struct AgingLine {
    /// Values of the group-by keys.
    pub group: Vec<String>,
    /// What it is.
    pub kind: OpenItemKind,
    /// Customer; absent for cash from an unidentified payer.
    pub customer: Option<String>,
    /// Invoice, credit memo or receipt id.
    pub id: String,
    /// Installment number, for invoices with more than one installment.
    pub installment: Option<u32>,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Document date, `YYYY-MM-DD`.
    pub date: String,
    /// Due date (invoices), `YYYY-MM-DD`.
    pub due_date: Option<String>,
    /// Age in days on the report's basis (for credits and cash: days since
    /// their date).
    pub days: i64,
    /// Index of the bucket in `labels` (invoices only).
    pub bucket: Option<u32>,
    /// Amount open.
    pub open: String,
}

/// An aging report: summary rows per group and currency, totals per
/// currency, and, when asked for, every open item.
#[napi(object, object_from_js = false)]
pub struct AgingReport {
    /// The date the items are aged at, `YYYY-MM-DD`.
    pub as_of: String,
    /// Basis of the ages.
    pub basis: AgeBasis,
    /// Bucket labels: `"current"` (a first bucket ending at 0) or `"up to
    /// N"`, then `"A-B"`, and `"over N"` last.
    pub labels: Vec<String>,
    /// Names of the group-by keys (`"customer"`, `"region"`, ...).
    pub group_by: Vec<String>,
    /// One row per group and currency, in order of first appearance.
    pub rows: Vec<AgingRow>,
    /// One row per currency for the whole book (`group` empty), in
    /// currency-code order.
    pub totals: Vec<AgingRow>,
    /// Every open item when `detail` was asked for, else empty.
    pub detail: Vec<AgingLine>,
    /// Customers on credit hold as the report's view sees them, by id
    /// (empty for a `Book`, which has no holds).
    pub credit_holds: Vec<String>,
}

/// Bucket bounds given in days; the core's default when absent.
pub fn buckets(field: &str, bounds: Option<&[f64]>) -> ar_core::Result<Buckets> {
    match bounds {
        None => Ok(Buckets::default()),
        Some(list) => Buckets::new(
            list.iter()
                .enumerate()
                .map(|(i, b)| conv::days(&format!("{field}[{i}]"), *b))
                .collect::<ar_core::Result<Vec<_>>>()?,
        ),
    }
}

pub(crate) fn core_options(o: &AgingOptions) -> ar_core::Result<ar_core::AgingOptions> {
    let mut options = ar_core::AgingOptions::new(conv::date("asOf", &o.as_of)?);
    options.known_at = o
        .known_at
        .as_deref()
        .map(|t| conv::timestamp("knownAt", t))
        .transpose()?;
    options.basis = conv::age_basis("basis", o.basis.as_deref())?;
    options.buckets = buckets("buckets", o.buckets.as_deref())?;
    if let Some(keys) = &o.group_by {
        options.group_by = conv::group_by_list("groupBy", keys)?;
    }
    options.detail = o.detail.unwrap_or(false);
    Ok(options)
}

fn row(r: &ar_core::AgingRow) -> AgingRow {
    let c = r.currency;
    AgingRow {
        group: r.group.clone(),
        currency: c.code().to_owned(),
        buckets: r.buckets.iter().map(|b| conv::money(*b, c)).collect(),
        total: conv::money(r.total, c),
        open_credits: conv::money(r.open_credits, c),
        unapplied_cash: conv::money(r.unapplied_cash, c),
        net: conv::money(r.net, c),
        items: i64::try_from(r.items).unwrap_or(i64::MAX),
    }
}

fn line(l: &ar_core::AgingLine) -> AgingLine {
    AgingLine {
        group: l.group.clone(),
        kind: l.kind.into(),
        customer: l.customer.clone(),
        id: l.id.clone(),
        installment: l.installment,
        currency: l.currency.code().to_owned(),
        date: conv::date_out(l.date),
        due_date: l.due_date.map(conv::date_out),
        days: l.days,
        bucket: l.bucket.map(|b| u32::try_from(b).unwrap_or(u32::MAX)),
        open: conv::money(l.open, l.currency),
    }
}

/// `r` in the functional currency of `functional`'s rates at its day, or
/// as it is.
pub(crate) fn in_functional(
    r: ar_core::AgingReport,
    functional: Option<&(ar_core::accounting::RateTable, ar_core::chrono::NaiveDate)>,
) -> ar_core::Result<ar_core::AgingReport> {
    match functional {
        Some((rates, day)) => ar_core::accounting::aging_in_functional(&r, rates, *day),
        None => Ok(r),
    }
}

/// An aging report for output.
pub fn report(r: &ar_core::AgingReport) -> AgingReport {
    AgingReport {
        as_of: conv::date_out(r.as_of),
        basis: r.basis.into(),
        labels: r.labels.clone(),
        group_by: r.group_by.clone(),
        rows: r.rows.iter().map(row).collect(),
        totals: r.totals.iter().map(row).collect(),
        detail: r.detail.iter().map(line).collect(),
        credit_holds: r.credit_holds.clone(),
    }
}

#[napi]
impl Ledger {
    /// Ages the open items as of `asOf` (and as known at `knownAt`):
    /// invoice installments into buckets by due date or invoice date, open
    /// credits and unapplied cash beside them, grouped and totalled per
    /// currency. For every row `total` (the sum of the buckets) equals the
    /// open invoices of `openItems` for the same view.
    ///
    /// Errors: `invalid_value` (buckets not strictly increasing or not whole
    /// numbers, an unknown basis or group-by key), `invalid_date`,
    /// `invalid_type`.
    ///
    /// With `rates`, the report is in their functional currency at
    /// `ratesDate`'s rates (default `asOf`); `missing_rate` for a currency
    /// without a rate that day.
    #[napi(ts_args_type = "options: AgingOptions & InFunctional")]
    pub fn aging(&self, env: Env, options: Unknown<'_>) -> napi::Result<AgingReport> {
        guard(&env, || {
            let o: AgingOptions = conv::options(&env, options, "options", "AgingOptions")?;
            let core = core_options(&o)?;
            let functional = accounting::functional(&env, options, "AgingOptions", core.as_of)?;
            let r = self.core()?.aging(&core)?;
            Ok(report(&in_functional(r, functional.as_ref())?))
        })
    }

    /// `aging` off the JS thread: resolves to the same report, of the
    /// ledger as it was when called (commands made meanwhile are not in
    /// it). Rejects with the errors `aging` throws.
    #[napi(
        ts_args_type = "options: AgingOptions",
        ts_return_type = "Promise<AgingReport>"
    )]
    pub fn aging_async<'e>(
        &self,
        env: &'e Env,
        options: Unknown<'_>,
    ) -> napi::Result<PromiseRaw<'e, AgingReport>> {
        task::promise(env, || {
            let o: AgingOptions = conv::options(env, options, "options", "AgingOptions")?;
            let options = core_options(&o)?;
            let ledger = self.snapshot()?;
            Ok((
                move || ledger.aging(&options),
                |_: &Env, r: ar_core::AgingReport| Ok(report(&r)),
            ))
        })
    }
}
