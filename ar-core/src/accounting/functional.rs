//! Reports in the functional currency, at one date's rates.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::rates::RateTable;
use crate::aging::{AgingLine, AgingReport, AgingRow};
use crate::error::Result;
use crate::metrics::ConvertedTiming;
use crate::money::{OrOverflow, RoundingPolicy};
use crate::report::engine::{metrics_row, MetricsSums};
use crate::report::MetricsOptions;
use crate::MetricsRow;

/// `amount` at `rate`, rounded once to `minor` places: one figure in the
/// functional currency.
fn converted(amount: Decimal, rate: Decimal, minor: u32) -> Result<Decimal> {
    let exact = amount.checked_mul(rate).or_overflow("rates")?;
    RoundingPolicy::default().round_checked("rates", exact, minor)
}

/// Adds `b` to `a`, checked.
fn add(a: &mut Decimal, b: Decimal) -> Result<()> {
    *a = a.checked_add(b).or_overflow("rates")?;
    Ok(())
}

/// `report` in the functional currency of `rates`, every amount converted
/// at its currency's rate on `date` (a period end's closing rates, say)
/// and rounded once to the functional currency's minor unit.
///
/// Rows of one group in several currencies become one row; each converted
/// amount is rounded before it is added, so every row's buckets still sum
/// to its total, and the report's total is the sum of its rows. Detail
/// lines are converted one by one.
///
/// # Errors
/// [`crate::Error::MissingRate`] for a currency the table has no rate for
/// on `date`; [`crate::Error::Overflow`].
///
/// # Example
/// ```
/// use ar_core::accounting::{aging_in_functional, Rate, RateTable};
/// use ar_core::*;
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use rust_decimal::Decimal;
///
/// let (usd, eur) = (Currency::new("USD").unwrap(), Currency::new("EUR").unwrap());
/// let at = CommandMeta::at(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap());
/// let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
/// let mut ledger = Ledger::new();
/// let acme = CustomerId::new("ACME").unwrap();
/// ledger.execute(Command::RegisterCustomer { customer: Customer::new(acme.clone(), "Acme", usd) }, &at).unwrap();
/// for (id, currency, amount) in [("I-1", usd, 10000), ("I-2", eur, 10000)] {
///     let mut invoice = NewInvoice::new(InvoiceId::new(id).unwrap(), acme.clone(), day,
///         vec![InvoiceLine::new("x", Decimal::ONE, Decimal::new(amount, 2))]);
///     invoice.currency = Some(currency);
///     ledger.execute(Command::IssueInvoice { invoice }, &at).unwrap();
/// }
/// let report = ledger.aging(&AgingOptions::new(day)).unwrap();
/// let rates = RateTable::new(usd, vec![Rate { currency: eur, date: day, rate: Decimal::new(1085, 3) }]).unwrap();
/// let usd_report = aging_in_functional(&report, &rates, day).unwrap();
/// // 100.00 USD + 100.00 EUR at 1.085: one row of 208.50 USD.
/// assert_eq!(usd_report.rows.len(), 1);
/// assert_eq!(usd_report.rows[0].total.to_string(), "208.50");
/// ```
pub fn aging_in_functional(
    report: &AgingReport,
    rates: &RateTable,
    date: NaiveDate,
) -> Result<AgingReport> {
    let functional = rates.functional();
    let minor = functional.minor_units();
    let convert = |amount: Decimal, rate: Decimal| converted(amount, rate, minor);
    let zero = |group: Vec<String>, buckets: usize| AgingRow {
        group,
        currency: functional,
        buckets: vec![Decimal::ZERO; buckets],
        total: Decimal::ZERO,
        open_credits: Decimal::ZERO,
        unapplied_cash: Decimal::ZERO,
        net: Decimal::ZERO,
        items: 0,
    };
    let width = report.labels.len();
    let mut rows: Vec<AgingRow> = Vec::new();
    // Each group's row, found by hashing: a report by customer has as many
    // groups as customers.
    let mut index: HashMap<&[String], usize> = HashMap::new();
    for r in &report.rows {
        let rate = rates.rate(r.currency, date)?;
        let at = *index.entry(r.group.as_slice()).or_insert_with(|| {
            rows.push(zero(r.group.clone(), width));
            rows.len().saturating_sub(1)
        });
        let Some(row) = rows.get_mut(at) else {
            continue;
        };
        for (b, amount) in row.buckets.iter_mut().zip(&r.buckets) {
            add(b, convert(*amount, rate)?)?;
        }
        add(&mut row.open_credits, convert(r.open_credits, rate)?)?;
        add(&mut row.unapplied_cash, convert(r.unapplied_cash, rate)?)?;
        row.items = row.items.saturating_add(r.items);
    }
    let mut total = zero(Vec::new(), width);
    for row in &mut rows {
        row.total = row
            .buckets
            .iter()
            .try_fold(Decimal::ZERO, |s, b| s.checked_add(*b))
            .or_overflow("rates")?;
        row.net = row
            .total
            .checked_sub(row.open_credits)
            .and_then(|n| n.checked_sub(row.unapplied_cash))
            .or_overflow("rates")?;
        for (t, b) in total.buckets.iter_mut().zip(&row.buckets) {
            add(t, *b)?;
        }
        add(&mut total.total, row.total)?;
        add(&mut total.open_credits, row.open_credits)?;
        add(&mut total.unapplied_cash, row.unapplied_cash)?;
        add(&mut total.net, row.net)?;
        total.items = total.items.saturating_add(row.items);
    }
    let mut detail = Vec::with_capacity(report.detail.len());
    for l in &report.detail {
        let rate = rates.rate(l.currency, date)?;
        detail.push(AgingLine {
            currency: functional,
            open: convert(l.open, rate)?,
            ..l.clone()
        });
    }
    Ok(AgingReport {
        as_of: report.as_of,
        basis: report.basis,
        labels: report.labels.clone(),
        group_by: report.group_by.clone(),
        totals: if rows.is_empty() {
            Vec::new()
        } else {
            vec![total]
        },
        rows,
        detail,
        credit_holds: report.credit_holds.clone(),
    })
}

/// One group's metrics sums in the functional currency.
struct FunctionalSums {
    group: Vec<String>,
    ar_begin: Decimal,
    ar_end: Decimal,
    current_end: Decimal,
    sales: Decimal,
    monthly: Vec<Decimal>,
    timing: ConvertedTiming,
}

/// The metrics of `sums` in the functional currency of `rates`: each row's
/// amounts (AR at both ends, current AR, credit sales, each countback
/// month's sales) converted at its currency's rate on `date`, rounded once
/// to the functional minor unit, and added up per group; the ratios are
/// then taken of the converted sums, so a group with several currencies
/// gets one row whose DSO weighs each currency by its converted size.
/// Payment timing weighs each payment by its converted amount.
pub(crate) fn metrics_in_functional(
    sums: MetricsSums,
    options: &MetricsOptions,
    rates: &RateTable,
    date: NaiveDate,
) -> Result<Vec<MetricsRow>> {
    let functional = rates.functional();
    let minor = functional.minor_units();
    let MetricsSums { accs, month_days } = sums;
    let mut groups: Vec<FunctionalSums> = Vec::new();
    let mut index: HashMap<Vec<String>, usize> = HashMap::new();
    for a in accs {
        let Some(currency) = a.currency else {
            continue;
        };
        let rate = rates.rate(currency, date)?;
        let convert = |v: i128, field: &str| -> Result<Decimal> {
            converted(crate::aging::to_decimal(v, currency, field)?, rate, minor)
        };
        let at = *index.entry(a.group.clone()).or_insert_with(|| {
            groups.push(FunctionalSums {
                group: a.group.clone(),
                ar_begin: Decimal::ZERO,
                ar_end: Decimal::ZERO,
                current_end: Decimal::ZERO,
                sales: Decimal::ZERO,
                monthly: vec![Decimal::ZERO; month_days.len()],
                timing: ConvertedTiming::default(),
            });
            groups.len().saturating_sub(1)
        });
        let Some(g) = groups.get_mut(at) else {
            continue;
        };
        add(&mut g.ar_begin, convert(a.ar_begin, "metrics.ar_begin")?)?;
        add(&mut g.ar_end, convert(a.ar_end, "metrics.ar_end")?)?;
        add(
            &mut g.current_end,
            convert(a.current_end, "metrics.current_end")?,
        )?;
        add(&mut g.sales, convert(a.sales, "metrics.credit_sales")?)?;
        for (m, s) in g.monthly.iter_mut().zip(&a.monthly) {
            add(m, convert(*s, "metrics.credit_sales")?)?;
        }
        g.timing.add(&a.timing, currency.minor_units(), rate);
    }
    let mut out = Vec::with_capacity(groups.len());
    for g in groups {
        let periods: Vec<(Decimal, u32)> = g
            .monthly
            .iter()
            .copied()
            .zip(month_days.iter().copied())
            .collect();
        out.push(metrics_row(
            g.group,
            functional,
            options,
            g.ar_begin,
            g.ar_end,
            g.current_end,
            g.sales,
            &periods,
            g.timing.finish(),
        )?);
    }
    out.sort_by(|x, y| x.group.cmp(&y.group));
    Ok(out)
}
