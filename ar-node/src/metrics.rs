//! Receivables metrics: `Ledger.metrics` per group and currency over a
//! period, and the formulas of `ar_core::metrics` from plain numbers. Every
//! value is computed by the core; a zero or negative denominator gives
//! `null`, never NaN. Values keep full precision (round them for display).

use ar_core::rust_decimal::Decimal;
use ar_core::{CeiVariant, GroupBy, MetricsOptions as CoreOptions};
use napi::bindgen_prelude::{Either, PromiseRaw, Unknown};
use napi::Env;
use napi_derive::napi;

use ar_core::limits;

use crate::accounting;
use crate::read::from_js_object;

use crate::conv::{self, DecimalInput};
use crate::errors::guard;
use crate::ledger::Ledger;
use crate::task;

/// The monthly-average variant of CEI: the period's credit sales divided by
/// `monthlyAverage`, the number of months in the period.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct CeiMonthlyAverage {
    /// Months in the period (a whole number, at least 1 for a value).
    pub monthly_average: f64,
}

from_js_object!(
    CeiMonthlyAverage,
    monthly_average: "monthlyAverage",
);

/// The argument of `Ledger.metrics` (and of `Book.metrics`, without `knownAt`).
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct MetricsOptions {
    /// First day of the period, `YYYY-MM-DD`.
    pub start: String,
    /// Last day of the period (included), `YYYY-MM-DD`.
    pub end: String,
    /// Only events recorded by this time, RFC 3339. Default: everything.
    pub known_at: Option<String>,
    /// Group-by keys as for `aging` (`"customer"`, `"customer.<dimension>"`,
    /// `"invoice.<dimension>"`). Default `[]`: the whole book.
    pub group_by: Option<Vec<String>>,
    /// Which credit sales CEI uses: `"period_sales"` (the default: the
    /// period's credit sales in full) or `{monthlyAverage: months}` (the
    /// period's credit sales divided by that number of months).
    #[napi(ts_type = "'period_sales' | CeiMonthlyAverage")]
    pub cei: Option<Either<String, CeiMonthlyAverage>>,
    /// Calendar months the countback DSO may look back; default 12.
    pub countback_months: Option<f64>,
}

from_js_object!(
    MetricsOptions,
    start: "start",
    end: "end",
    known_at: "knownAt",
    group_by: "groupBy" max limits::MAX_DIMENSIONS,
    cei: "cei",
    countback_months: "countbackMonths",
);

/// Days to pay and days beyond terms, plain and amount-weighted. Each value
/// is `null` when there are no payments.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct PaymentTiming {
    /// Number of payments.
    pub payments: i64,
    /// Mean of `paidDate - invoiceDate`.
    pub average_days_to_pay: Option<String>,
    /// `sum(amount x daysToPay) / sum(amount)`.
    pub weighted_days_to_pay: Option<String>,
    /// Mean of `paidDate - dueDate` (negative when paid early).
    pub average_days_beyond_terms: Option<String>,
    /// `sum(amount x daysBeyondTerms) / sum(amount)`.
    pub weighted_days_beyond_terms: Option<String>,
}

/// Metrics of one group in one currency for one period. AR is open invoices
/// (gross: credits and cash not netted); credit sales are the totals of
/// invoices dated in the period. Metric values are decimal strings at full
/// precision, `null` where the denominator is zero or negative.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct MetricsRow {
    /// Values of the group-by keys (empty for the whole book).
    pub group: Vec<String>,
    /// ISO 4217 currency code.
    pub currency: String,
    /// First day of the period, `YYYY-MM-DD`.
    pub start: String,
    /// Last day of the period (included), `YYYY-MM-DD`.
    pub end: String,
    /// Days in the period, both ends included.
    pub days: u32,
    /// Open invoices at the end of the day before the period.
    pub ar_begin: String,
    /// Open invoices at the end of the period.
    pub ar_end: String,
    /// Part of `arEnd` not yet past due (due on or after the period end).
    pub current_end: String,
    /// Invoices dated in the period (finalized, not void at its end).
    pub credit_sales: String,
    /// `arEnd / creditSales x days`.
    pub dso_period_end: Option<String>,
    /// `(arBegin + arEnd) / 2 / creditSales x days`.
    pub dso_average: Option<String>,
    /// Countback DSO over calendar months back from the period end.
    pub dso_countback: Option<String>,
    /// `currentEnd / creditSales x days`.
    pub best_possible_dso: Option<String>,
    /// `dsoPeriodEnd - bestPossibleDso`.
    pub average_days_delinquent: Option<String>,
    /// Collection effectiveness index in percent, with the options' variant:
    /// `(arBegin + sales - arEnd) / (arBegin + sales - currentEnd) x 100`.
    pub cei: Option<String>,
    /// `creditSales / ((arBegin + arEnd) / 2)`.
    pub ar_turnover: Option<String>,
    /// `currentEnd / arEnd x 100`.
    pub percent_current: Option<String>,
    /// `(arEnd - currentEnd) / arEnd x 100`.
    pub percent_past_due: Option<String>,
    /// Days to pay and beyond terms over receipts applied in the period.
    pub timing: PaymentTiming,
}

/// One period of a countback, most recent first.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct CountbackPeriod {
    /// Credit sales of the period.
    #[napi(ts_type = "string")]
    pub credit_sales: DecimalInput,
    /// Days in the period.
    pub days: f64,
}

from_js_object!(
    CountbackPeriod,
    credit_sales: "creditSales",
    days: "days",
);

/// One payment of one invoice (or installment), for `paymentTiming`.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct Payment {
    /// Invoice date, `YYYY-MM-DD`.
    pub invoice_date: String,
    /// Due date of what was paid, `YYYY-MM-DD`.
    pub due_date: String,
    /// Date paid, `YYYY-MM-DD`.
    pub paid_date: String,
    /// Amount paid.
    #[napi(ts_type = "string")]
    pub amount: DecimalInput,
}

from_js_object!(
    Payment,
    invoice_date: "invoiceDate",
    due_date: "dueDate",
    paid_date: "paidDate",
    amount: "amount",
);

/// A metric for output: full precision, `null` when undefined.
fn metric(value: Option<Decimal>) -> Option<String> {
    value.map(conv::figure_out)
}

/// Payment timing for output.
pub fn timing(t: &ar_core::PaymentTiming) -> PaymentTiming {
    PaymentTiming {
        payments: i64::try_from(t.payments).unwrap_or(i64::MAX),
        average_days_to_pay: metric(t.average_days_to_pay),
        weighted_days_to_pay: metric(t.weighted_days_to_pay),
        average_days_beyond_terms: metric(t.average_days_beyond_terms),
        weighted_days_beyond_terms: metric(t.weighted_days_beyond_terms),
    }
}

pub(crate) fn row(r: &ar_core::MetricsRow) -> MetricsRow {
    let c = r.currency;
    MetricsRow {
        group: r.group.clone(),
        currency: c.code().to_owned(),
        start: conv::date_out(r.period.start),
        end: conv::date_out(r.period.end),
        days: r.days,
        ar_begin: conv::money(r.ar_begin, c),
        ar_end: conv::money(r.ar_end, c),
        current_end: conv::money(r.current_end, c),
        credit_sales: conv::money(r.credit_sales, c),
        dso_period_end: metric(r.dso_period_end),
        dso_average: metric(r.dso_average),
        dso_countback: metric(r.dso_countback),
        best_possible_dso: metric(r.best_possible_dso),
        average_days_delinquent: metric(r.average_days_delinquent),
        cei: metric(r.cei),
        ar_turnover: metric(r.ar_turnover),
        percent_current: metric(r.percent_current),
        percent_past_due: metric(r.percent_past_due),
        timing: timing(&r.timing),
    }
}

/// A CEI variant: `"period_sales"` or `{monthlyAverage: months}`; the
/// core's default when absent.
fn cei_variant(
    field: &str,
    value: Option<&Either<String, CeiMonthlyAverage>>,
) -> ar_core::Result<CeiVariant> {
    match value {
        None => Ok(CeiVariant::default()),
        Some(Either::A(name)) if name == "period_sales" => Ok(CeiVariant::PeriodSales),
        Some(Either::A(other)) => Err(conv::bad_name(
            field,
            other,
            "\"period_sales\" or {monthlyAverage: months}",
        )),
        Some(Either::B(m)) => Ok(CeiVariant::MonthlyAverage {
            months: conv::count(&format!("{field}.monthlyAverage"), m.monthly_average)?,
        }),
    }
}

pub(crate) fn core_options(o: &MetricsOptions) -> ar_core::Result<CoreOptions> {
    let period = ar_core::Period::new(conv::date("start", &o.start)?, conv::date("end", &o.end)?)?;
    let mut options = CoreOptions::new(period);
    options.known_at = o
        .known_at
        .as_deref()
        .map(|t| conv::timestamp("knownAt", t))
        .transpose()?;
    options.group_by = match &o.group_by {
        Some(keys) => conv::group_by_list("groupBy", keys)?,
        None => Vec::<GroupBy>::new(),
    };
    options.cei = cei_variant("cei", o.cei.as_ref())?;
    if let Some(months) = conv::opt_count("countbackMonths", o.countback_months)? {
        options.countback_months = months;
    }
    Ok(options)
}

#[napi]
impl Ledger {
    /// DSO (period-end, average-AR, countback), best possible DSO, average
    /// days delinquent, CEI, AR turnover, percent current and past due, and
    /// payment timing for the period `start`..`end` (both included), one row
    /// per group and currency (sorted by currency, then group).
    ///
    /// Errors: `invalid_value` (`end` before `start`, an unknown group-by key
    /// or CEI variant, a month count that is not a whole number),
    /// `invalid_date`, `invalid_type`.
    ///
    /// With `rates`, one row per group in their functional currency, each
    /// currency's sums converted at `ratesDate`'s rates (default `end`) and
    /// the ratios taken of the converted sums.
    #[napi(ts_args_type = "options: MetricsOptions & InFunctional")]
    pub fn metrics(&self, env: Env, options: Unknown<'_>) -> napi::Result<Vec<MetricsRow>> {
        guard(&env, || {
            let o: MetricsOptions = conv::options(&env, options, "options", "MetricsOptions")?;
            let core = core_options(&o)?;
            let functional =
                accounting::functional(&env, options, "MetricsOptions", core.period.end)?;
            let ledger = self.core()?;
            let rows = match &functional {
                Some((rates, day)) => ledger.metrics_in_functional(&core, rates, *day)?,
                None => ledger.metrics(&core)?,
            };
            Ok(rows.iter().map(row).collect())
        })
    }

    /// `metrics` off the JS thread: resolves to the same rows, of the ledger
    /// as it was when called. Rejects with the errors `metrics` throws.
    #[napi(
        ts_args_type = "options: MetricsOptions",
        ts_return_type = "Promise<Array<MetricsRow>>"
    )]
    pub fn metrics_async<'e>(
        &self,
        env: &'e Env,
        options: Unknown<'_>,
    ) -> napi::Result<PromiseRaw<'e, Vec<MetricsRow>>> {
        task::promise(env, || {
            let o: MetricsOptions = conv::options(env, options, "options", "MetricsOptions")?;
            let options = core_options(&o)?;
            let ledger = self.snapshot()?;
            Ok((
                move || ledger.metrics(&options),
                |_: &Env, rows: Vec<ar_core::MetricsRow>| Ok(rows.iter().map(row).collect()),
            ))
        })
    }
}

/// A decimal-string argument.
fn amount(env: &Env, value: Unknown<'_>, field: &str) -> ar_core::Result<Decimal> {
    let v: DecimalInput = conv::from_js(env, value, field, "string")?;
    conv::decimal(field, &v)
}

/// A day-count argument.
fn day_count(env: &Env, value: Unknown<'_>, field: &str) -> ar_core::Result<u32> {
    let v: f64 = conv::from_js(env, value, field, "number")?;
    conv::count(field, v)
}

/// Period-end DSO: `arEnd / creditSales x days`; `null` when credit sales
/// are zero or negative.
///
/// Errors: `invalid_type` (a number as an amount), `invalid_decimal`,
/// `invalid_value` (days not a whole number).
#[napi(ts_args_type = "arEnd: string, creditSales: string, days: number")]
pub fn dso_period_end(
    env: Env,
    ar_end: Unknown<'_>,
    credit_sales: Unknown<'_>,
    days: Unknown<'_>,
) -> napi::Result<Option<String>> {
    guard(&env, || {
        Ok(metric(ar_core::metrics::dso_period_end(
            amount(&env, ar_end, "arEnd")?,
            amount(&env, credit_sales, "creditSales")?,
            day_count(&env, days, "days")?,
        )))
    })
}

/// Average-AR DSO: `(arBegin + arEnd) / 2 / creditSales x days`; `null`
/// when credit sales are zero or negative.
///
/// Errors: as `dsoPeriodEnd`.
#[napi(ts_args_type = "arBegin: string, arEnd: string, creditSales: string, days: number")]
pub fn dso_average(
    env: Env,
    ar_begin: Unknown<'_>,
    ar_end: Unknown<'_>,
    credit_sales: Unknown<'_>,
    days: Unknown<'_>,
) -> napi::Result<Option<String>> {
    guard(&env, || {
        Ok(metric(ar_core::metrics::dso_average(
            amount(&env, ar_begin, "arBegin")?,
            amount(&env, ar_end, "arEnd")?,
            amount(&env, credit_sales, "creditSales")?,
            day_count(&env, days, "days")?,
        )))
    })
}

/// Countback DSO: walks back from the period end through `periods` (most
/// recent first), consuming `arEnd` with each period's credit sales; the
/// period whose sales cover what is left adds the matching fraction of its
/// days. `null` when `arEnd` is more than all the sales given or a needed
/// period has no sales; `"0"` when `arEnd` is zero or less.
///
/// Errors: as `dsoPeriodEnd`.
#[napi(ts_args_type = "arEnd: string, periods: Array<CountbackPeriod>")]
pub fn dso_countback(
    env: Env,
    ar_end: Unknown<'_>,
    periods: Unknown<'_>,
) -> napi::Result<Option<String>> {
    guard(&env, || {
        let ar_end = amount(&env, ar_end, "arEnd")?;
        let list: Vec<CountbackPeriod> =
            conv::from_js(&env, periods, "periods", "an array of CountbackPeriod")?;
        let periods = list
            .iter()
            .enumerate()
            .map(|(i, p)| {
                Ok((
                    conv::decimal(&format!("periods[{i}].creditSales"), &p.credit_sales)?,
                    conv::count(&format!("periods[{i}].days"), p.days)?,
                ))
            })
            .collect::<ar_core::Result<Vec<_>>>()?;
        Ok(metric(ar_core::metrics::dso_countback(ar_end, &periods)?))
    })
}

/// Best possible DSO: `currentAr / creditSales x days`, current AR being
/// what is not yet past due; `null` when credit sales are zero or negative.
///
/// Errors: as `dsoPeriodEnd`.
#[napi(ts_args_type = "currentAr: string, creditSales: string, days: number")]
pub fn best_possible_dso(
    env: Env,
    current_ar: Unknown<'_>,
    credit_sales: Unknown<'_>,
    days: Unknown<'_>,
) -> napi::Result<Option<String>> {
    guard(&env, || {
        Ok(metric(ar_core::metrics::best_possible_dso(
            amount(&env, current_ar, "currentAr")?,
            amount(&env, credit_sales, "creditSales")?,
            day_count(&env, days, "days")?,
        )))
    })
}

/// Average days delinquent: `dso - bestPossible` (always defined).
///
/// Errors: `invalid_type`, `invalid_decimal`.
#[napi(ts_args_type = "dso: string, bestPossible: string")]
pub fn average_days_delinquent(
    env: Env,
    dso: Unknown<'_>,
    best_possible: Unknown<'_>,
) -> napi::Result<String> {
    guard(&env, || {
        Ok(conv::figure_out(ar_core::metrics::average_days_delinquent(
            amount(&env, dso, "dso")?,
            amount(&env, best_possible, "bestPossible")?,
        )))
    })
}

/// Collection effectiveness index, in percent:
/// `(beginAr + sales - endTotalAr) / (beginAr + sales - endCurrentAr) x 100`,
/// `sales` being `creditSales` (`"period_sales"`, the default) or
/// `creditSales / months` (`{monthlyAverage: months}`); `null` when the
/// denominator is zero or negative (or `months` is 0).
///
/// Errors: `invalid_type`, `invalid_decimal`, `invalid_value` (an unknown
/// variant, months not a whole number).
#[napi(
    ts_args_type = "beginAr: string, creditSales: string, endTotalAr: string, endCurrentAr: string, variant?: 'period_sales' | CeiMonthlyAverage"
)]
pub fn cei(
    env: Env,
    begin_ar: Unknown<'_>,
    credit_sales: Unknown<'_>,
    end_total_ar: Unknown<'_>,
    end_current_ar: Unknown<'_>,
    variant: Option<Unknown<'_>>,
) -> napi::Result<Option<String>> {
    guard(&env, || {
        let begin = amount(&env, begin_ar, "beginAr")?;
        let sales = amount(&env, credit_sales, "creditSales")?;
        let end_total = amount(&env, end_total_ar, "endTotalAr")?;
        let end_current = amount(&env, end_current_ar, "endCurrentAr")?;
        let variant: Option<Either<String, CeiMonthlyAverage>> = conv::from_js_opt(
            &env,
            variant,
            "variant",
            "\"period_sales\" or {monthlyAverage: months}",
        )?;
        let variant = cei_variant("variant", variant.as_ref())?;
        Ok(metric(ar_core::metrics::cei(
            begin,
            sales,
            end_total,
            end_current,
            variant,
        )))
    })
}

/// AR turnover: `creditSales / ((arBegin + arEnd) / 2)`; `null` when the
/// average AR is zero or negative.
///
/// Errors: `invalid_type`, `invalid_decimal`.
#[napi(ts_args_type = "creditSales: string, arBegin: string, arEnd: string")]
pub fn ar_turnover(
    env: Env,
    credit_sales: Unknown<'_>,
    ar_begin: Unknown<'_>,
    ar_end: Unknown<'_>,
) -> napi::Result<Option<String>> {
    guard(&env, || {
        Ok(metric(ar_core::metrics::ar_turnover(
            amount(&env, credit_sales, "creditSales")?,
            amount(&env, ar_begin, "arBegin")?,
            amount(&env, ar_end, "arEnd")?,
        )))
    })
}

/// Percent of AR not yet past due: `currentAr / totalAr x 100`; `null` when
/// the total is zero or negative.
///
/// Errors: `invalid_type`, `invalid_decimal`.
#[napi(ts_args_type = "currentAr: string, totalAr: string")]
pub fn percent_current(
    env: Env,
    current_ar: Unknown<'_>,
    total_ar: Unknown<'_>,
) -> napi::Result<Option<String>> {
    guard(&env, || {
        Ok(metric(ar_core::metrics::percent_current(
            amount(&env, current_ar, "currentAr")?,
            amount(&env, total_ar, "totalAr")?,
        )))
    })
}

/// Percent of AR past due: `(totalAr - currentAr) / totalAr x 100`; `null`
/// when the total is zero or negative.
///
/// Errors: `invalid_type`, `invalid_decimal`.
#[napi(ts_args_type = "currentAr: string, totalAr: string")]
pub fn percent_past_due(
    env: Env,
    current_ar: Unknown<'_>,
    total_ar: Unknown<'_>,
) -> napi::Result<Option<String>> {
    guard(&env, || {
        Ok(metric(ar_core::metrics::percent_past_due(
            amount(&env, current_ar, "currentAr")?,
            amount(&env, total_ar, "totalAr")?,
        )))
    })
}

/// Days to pay and days beyond terms over `payments`, plain and
/// amount-weighted; the values are `null` with no payments (or a zero total).
///
/// Errors: `invalid_type`, `invalid_decimal`, `invalid_date`.
#[napi(ts_args_type = "payments: Array<Payment>")]
pub fn payment_timing(env: Env, payments: Unknown<'_>) -> napi::Result<PaymentTiming> {
    guard(&env, || {
        let list: Vec<Payment> = conv::from_js(&env, payments, "payments", "an array of Payment")?;
        let payments = list
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let field = |name: &str| format!("payments[{i}].{name}");
                Ok(ar_core::metrics::Payment {
                    invoice_date: conv::date(&field("invoiceDate"), &p.invoice_date)?,
                    due_date: conv::date(&field("dueDate"), &p.due_date)?,
                    paid_date: conv::date(&field("paidDate"), &p.paid_date)?,
                    amount: conv::decimal(&field("amount"), &p.amount)?,
                })
            })
            .collect::<ar_core::Result<Vec<_>>>()?;
        Ok(timing(&ar_core::metrics::payment_timing(&payments)))
    })
}
