//! The report engine over columns: aging and metrics as a few sequential
//! passes. Shared by the ledger and by books given directly as columns
//! (`crate::bulk`); the `Names` trait supplies the text (ids, dimensions)
//! the columns refer to by index.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::aging::{
    self, AgeBasis, AgingAccumulator, AgingLine, AgingOptions, AgingReport, GroupBy,
};
use crate::currency::Currency;
use crate::error::Result;
use crate::kinds::OpenItemKind;
use crate::limits::{check_count, MAX_PERIODS};
use crate::metrics::{self, Period};
use crate::par;
use crate::report::columns::{self, ColCut, Columns};
use crate::report::{MetricsOptions, MetricsRow};

/// Group value for cash from an unidentified payer.
pub(crate) const UNKNOWN: &str = "(unknown)";

/// Text behind the indices of [`Columns`]; shared by the threads of a report.
pub(crate) trait Names: Sync {
    /// Customer id of customer index `c` (`None` for `u32::MAX`).
    fn customer(&self, c: u32) -> Option<&str>;
    /// A customer dimension.
    fn customer_dim(&self, c: u32, key: &str) -> Option<&str>;
    /// An invoice dimension of invoice index `i`.
    fn invoice_dim(&self, i: u32, key: &str) -> Option<&str>;
    /// Invoice id of invoice index `i`.
    fn invoice_id(&self, i: u32) -> Option<&str>;
    /// Id of source index `s` (credit memo or receipt).
    fn source_id(&self, s: u32) -> Option<&str>;
}

fn group_values<'a>(
    names: &'a dyn Names,
    group_by: &[GroupBy],
    customer: u32,
    invoice: Option<u32>,
) -> Vec<&'a str> {
    group_by
        .iter()
        .map(|g| match g {
            GroupBy::Customer => names.customer(customer).unwrap_or(UNKNOWN),
            GroupBy::CustomerDimension(k) => names.customer_dim(customer, k).unwrap_or(""),
            GroupBy::InvoiceDimension(k) => {
                invoice.and_then(|i| names.invoice_dim(i, k)).unwrap_or("")
            }
        })
        .collect()
}

/// Row ids by customer and currency. Groupings that depend on the customer
/// only resolve each customer once; the common case (one currency per
/// customer) is a vector lookup.
struct RowCache {
    per_customer: bool,
    first: Vec<Option<(Currency, usize)>>,
    other: HashMap<(u32, Currency), usize>,
}

impl RowCache {
    fn new(group_by: &[GroupBy], customers: usize) -> Self {
        RowCache {
            per_customer: !group_by
                .iter()
                .any(|g| matches!(g, GroupBy::InvoiceDimension(_))),
            // One slot per customer and one for an unknown payer.
            first: vec![None; customers.saturating_add(1)],
            other: HashMap::new(),
        }
    }

    /// `customer` is a customer index, or `u32::MAX` for an unknown payer.
    #[inline]
    fn get(&mut self, customer: u32, currency: Currency, make: impl FnOnce() -> usize) -> usize {
        if !self.per_customer {
            return make();
        }
        let slot = (customer as usize).min(self.first.len().saturating_sub(1));
        match self.first.get(slot).copied().flatten() {
            Some((c, r)) if c == currency => r,
            Some(_) => *self.other.entry((customer, currency)).or_insert_with(make),
            None => {
                let r = make();
                if let Some(s) = self.first.get_mut(slot) {
                    *s = Some((currency, r));
                }
                r
            }
        }
    }
}

fn date_of(day: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day).unwrap_or_default()
}

/// Aging over columns through `cut`.
///
/// # Errors
/// [`crate::Error::LimitExceeded`] for more than `MAX_DIMENSIONS` group-by
/// keys or a key longer than `MAX_KEY_LEN`; [`crate::Error::Overflow`] for
/// a sum beyond a `Decimal` (not reached within the columns' bound).
pub(crate) fn aging(
    c: &Columns,
    names: &dyn Names,
    cut: ColCut,
    options: &AgingOptions,
    customers: usize,
) -> Result<AgingReport> {
    aging::check_group_by(&options.group_by)?;
    if c.wide() {
        let open = c.installment_open(cut);
        let src_open = c.source_open(cut);
        aging_with(
            c,
            names,
            cut,
            options,
            customers,
            open.iter().copied().enumerate(),
            |s| src_open.get(s).copied().unwrap_or(0),
        )
    } else {
        let fc = c.fast(cut);
        let open = c.open_installments_fast(&fc);
        aging_with(
            c,
            names,
            cut,
            options,
            customers,
            open.iter().map(|(k, o)| (*k as usize, i128::from(*o))),
            |s| c.source_open_fast(s, &fc),
        )
    }
}

/// The aging loop, given the installments with their open amounts (in
/// order; those not listed have none) and the open amount of each source.
fn aging_with(
    c: &Columns,
    names: &dyn Names,
    cut: ColCut,
    options: &AgingOptions,
    customers: usize,
    open: impl Iterator<Item = (usize, i128)>,
    src_open: impl Fn(usize) -> i128,
) -> Result<AgingReport> {
    let mut acc = AgingAccumulator::new(options);
    let mut cache = RowCache::new(&options.group_by, customers);
    let as_of = columns::day(options.as_of);
    let group_by = &options.group_by;
    for (k, o) in open {
        if o == 0 {
            continue;
        }
        let (Some(&inv), Some(&due)) = (c.inst_invoice.get(k), c.inst_due.get(k)) else {
            continue;
        };
        let i = inv as usize;
        let (Some(&customer), Some(&currency), Some(&date)) = (
            c.inv_customer.get(i),
            c.inv_currency.get(i),
            c.inv_date.get(i),
        ) else {
            continue;
        };
        let row = cache.get(customer, currency, || {
            acc.row_id(
                &group_values(names, group_by, customer, Some(inv)),
                currency,
            )
        });
        // Day numbers are i32: their difference is exact in i64.
        let days =
            i64::from(as_of).saturating_sub(i64::from(if options.basis == AgeBasis::DueDate {
                due
            } else {
                date
            }));
        let bucket = acc.bucket(days);
        acc.add_invoice(row, bucket, o);
        if options.detail {
            let first = c.inv_first.get(i).copied().unwrap_or(0);
            // `i` indexes a column: `i + 1` cannot saturate.
            let next = c
                .inv_first
                .get(i.saturating_add(1))
                .copied()
                .unwrap_or_else(|| u32::try_from(c.installments()).unwrap_or(u32::MAX));
            let number = u32::try_from(k)
                .unwrap_or(0)
                .saturating_sub(first)
                .saturating_add(1);
            acc.add_line(AgingLine {
                group: acc.group_of(row),
                kind: OpenItemKind::Invoice,
                customer: names.customer(customer).map(str::to_owned),
                id: names.invoice_id(inv).unwrap_or_default().to_owned(),
                installment: (next.saturating_sub(first) > 1).then_some(number),
                currency,
                date: date_of(date),
                due_date: Some(date_of(due)),
                days,
                bucket: Some(bucket),
                open: aging::to_decimal(o, currency, "aging.detail.open")?,
            });
        }
    }
    for s in 0..c.src_base.len() {
        let o = &src_open(s);
        if *o == 0 {
            continue;
        }
        let (Some(&cash), Some(&currency), Some(&created), Some(&payer_at)) = (
            c.src_is_cash.get(s),
            c.src_currency.get(s),
            c.src_created.get(s),
            c.src_payer_at.get(s),
        ) else {
            continue;
        };
        let customer = if cut.sees(payer_at) {
            c.src_customer.get(s).copied().unwrap_or(u32::MAX)
        } else {
            u32::MAX
        };
        let against = c.src_invoice.get(s).copied().filter(|i| *i != u32::MAX);
        let row = if against.is_some() && !cache.per_customer {
            acc.row_id(&group_values(names, group_by, customer, against), currency)
        } else {
            cache.get(customer, currency, || {
                acc.row_id(&group_values(names, group_by, customer, against), currency)
            })
        };
        if cash {
            acc.add_cash(row, *o);
        } else {
            acc.add_credit(row, *o);
        }
        if options.detail {
            let src = u32::try_from(s).unwrap_or(u32::MAX);
            acc.add_line(AgingLine {
                group: acc.group_of(row),
                kind: if cash {
                    OpenItemKind::UnappliedCash
                } else {
                    OpenItemKind::CreditMemo
                },
                customer: names.customer(customer).map(str::to_owned),
                id: names.source_id(src).unwrap_or_default().to_owned(),
                installment: None,
                currency,
                date: date_of(created.0),
                due_date: None,
                days: i64::from(as_of).saturating_sub(i64::from(created.0)),
                bucket: None,
                open: aging::to_decimal(*o, currency, "aging.detail.open")?,
            });
        }
    }
    acc.finish()
}

/// A row of metrics in minor units. Its sums are of amounts from the
/// columns, whose magnitudes sum to at most `MAX_MAGNITUDE` (2^96 - 1):
/// they cannot leave the i128 range, so they wrap (exact) rather than
/// check per item, and are checked when they become decimals.
#[derive(Default)]
pub(crate) struct Acc {
    pub group: Vec<String>,
    pub currency: Option<Currency>,
    pub ar_begin: i128,
    pub ar_end: i128,
    pub current_end: i128,
    pub sales: i128,
    /// Credit sales per countback month, the period end's month first.
    pub monthly: Vec<i128>,
    pub timing: metrics::TimingAcc,
}

/// The sums of every metrics row, before the ratios: what
/// [`finish_metrics`] turns into rows, or a report in the functional
/// currency converts and adds up first.
pub(crate) struct MetricsSums {
    pub accs: Vec<Acc>,
    /// Days of each countback month (the same for every row).
    pub month_days: Vec<u32>,
}

/// The metrics of a group's sums, each in `currency`: the one place the
/// ratios are taken.
#[allow(clippy::too_many_arguments)]
pub(crate) fn metrics_row(
    group: Vec<String>,
    currency: Currency,
    options: &MetricsOptions,
    ar_begin: Decimal,
    ar_end: Decimal,
    current_end: Decimal,
    sales: Decimal,
    periods: &[(Decimal, u32)],
    timing: metrics::PaymentTiming,
) -> Result<MetricsRow> {
    let p = options.period;
    let days = p.days();
    let dso_pe = metrics::dso_period_end(ar_end, sales, days);
    let bp = metrics::best_possible_dso(current_end, sales, days);
    Ok(MetricsRow {
        group,
        currency,
        period: p,
        days,
        ar_begin,
        ar_end,
        current_end,
        credit_sales: sales,
        dso_period_end: dso_pe,
        dso_average: metrics::dso_average(ar_begin, ar_end, sales, days),
        dso_countback: metrics::dso_countback(ar_end, periods)?,
        best_possible_dso: bp,
        average_days_delinquent: dso_pe
            .zip(bp)
            .map(|(d, b)| metrics::average_days_delinquent(d, b)),
        cei: metrics::cei(ar_begin, sales, ar_end, current_end, options.cei),
        ar_turnover: metrics::ar_turnover(sales, ar_begin, ar_end),
        percent_current: metrics::percent_current(current_end, ar_end),
        percent_past_due: metrics::percent_past_due(current_end, ar_end),
        timing,
    })
}

/// The rows of `sums`, each in its own currency, sorted by currency then
/// group.
pub(crate) fn finish_metrics(
    sums: MetricsSums,
    options: &MetricsOptions,
) -> Result<Vec<MetricsRow>> {
    let MetricsSums { accs, month_days } = sums;
    let mut out: Vec<MetricsRow> = Vec::with_capacity(accs.len());
    for a in accs {
        let Some(currency) = a.currency else {
            continue;
        };
        let dec = |v: i128, field: &str| aging::to_decimal(v, currency, field);
        let mut periods: Vec<(Decimal, u32)> = Vec::with_capacity(month_days.len());
        for (s, days) in a.monthly.iter().zip(&month_days) {
            periods.push((dec(*s, "metrics.credit_sales")?, *days));
        }
        out.push(metrics_row(
            a.group,
            currency,
            options,
            dec(a.ar_begin, "metrics.ar_begin")?,
            dec(a.ar_end, "metrics.ar_end")?,
            dec(a.current_end, "metrics.current_end")?,
            dec(a.sales, "metrics.credit_sales")?,
            &periods,
            a.timing.finish(currency),
        )?);
    }
    out.sort_by(|x, y| (x.currency, &x.group).cmp(&(y.currency, &y.group)));
    Ok(out)
}

/// The sums of metrics over columns, before the ratios ([`finish_metrics`]
/// takes them): `end` cuts at the period end, `begin` at the day before its
/// start (same recorded limit).
///
/// # Errors
/// [`crate::Error::LimitExceeded`] for more than `MAX_PERIODS` countback
/// months, more than `MAX_DIMENSIONS` group-by keys or a key longer than
/// `MAX_KEY_LEN`; [`crate::Error::Overflow`] for a sum beyond a `Decimal`
/// (not reached within the columns' bound).
pub(crate) fn metrics_sums(
    c: &Columns,
    names: &dyn Names,
    end: ColCut,
    begin: ColCut,
    options: &MetricsOptions,
    customers: usize,
) -> Result<MetricsSums> {
    check_count(
        "countback_months",
        usize::try_from(options.countback_months).unwrap_or(usize::MAX),
        MAX_PERIODS,
    )?;
    aging::check_group_by(&options.group_by)?;
    let start_day = columns::day(options.period.start);
    if c.wide() {
        let (open_end, open_begin) = c.installment_open_pair(end, Some(begin));
        metrics_with(
            c,
            names,
            options,
            customers,
            |k| {
                (
                    open_end.get(k).copied().unwrap_or(0),
                    open_begin.get(k).copied().unwrap_or(0),
                )
            },
            |i| {
                c.inv_finalized.get(i).is_some_and(|f| end.sees(*f))
                    && !c.inv_voided.get(i).is_some_and(|v| end.sees(*v))
            },
            |i| c.inv_total.get(i).copied().unwrap_or(0),
            |add| {
                for (((inst, at), amount), app) in c
                    .pay_inst
                    .iter()
                    .zip(&c.pay_at)
                    .zip(&c.pay_amount)
                    .zip(&c.pay_app)
                {
                    if !end.sees(*at)
                        || at.0 < start_day
                        || c.app_reversed
                            .get(*app as usize)
                            .is_some_and(|r| end.sees(*r))
                    {
                        continue;
                    }
                    let (Some(&inv), Some(&due)) = (
                        c.inst_invoice.get(*inst as usize),
                        c.inst_due.get(*inst as usize),
                    ) else {
                        continue;
                    };
                    let Some(&date) = c.inv_date.get(inv as usize) else {
                        continue;
                    };
                    // Day numbers are i32: their differences are exact in i64.
                    let day = i64::from(at.0);
                    add(
                        inv,
                        day.saturating_sub(i64::from(date)),
                        day.saturating_sub(i64::from(due)),
                        *amount,
                    );
                }
            },
        )
    } else {
        let (fe, fb) = (c.fast(end), c.fast(begin));
        metrics_with(
            c,
            names,
            options,
            customers,
            |k| {
                let inv = c.inst_invoice.get(k).copied().unwrap_or(u32::MAX) as usize;
                let oe = if c.live_fast(inv, &fe) {
                    c.inst.open(k, &fe)
                } else {
                    0
                };
                let ob = if c.live_fast(inv, &fb) {
                    c.inst.open(k, &fb)
                } else {
                    0
                };
                (i128::from(oe), i128::from(ob))
            },
            |i| c.live_fast(i, &fe),
            |i| i128::from(c.inv_total64.get(i).copied().unwrap_or(0)),
            |add| {
                // Payment days and amounts were fixed when recorded: one
                // sequential pass, reading the rest only for payments in the period.
                for (j, &day) in c.pay_day.iter().enumerate() {
                    if day < start_day || day > fe.day {
                        continue;
                    }
                    if !fe.all && c.pay_at.get(j).is_none_or(|at| at.1 > fe.seq) {
                        continue;
                    }
                    if c.unapplied > 0
                        && c.pay_app
                            .get(j)
                            .and_then(|a| c.app_reversed.get(*a as usize))
                            .is_some_and(|r| end.sees(*r))
                    {
                        continue;
                    }
                    let (Some(&inv), Some(&to_pay), Some(&late), Some(&amount)) = (
                        c.pay_inv.get(j),
                        c.pay_to_pay.get(j),
                        c.pay_late.get(j),
                        c.pay_amount64.get(j),
                    ) else {
                        continue;
                    };
                    add(inv, i64::from(to_pay), i64::from(late), i128::from(amount));
                }
            },
        )
    }
}

/// What the pass of metrics over invoices reads.
struct InvoicePass<'a, O, L, T> {
    c: &'a Columns,
    names: &'a dyn Names,
    group_by: &'a [GroupBy],
    customers: usize,
    months: usize,
    /// Countback month of a day, from day `lo`.
    month_of: &'a [u32],
    lo: i32,
    start_day: i32,
    end_day: i32,
    open_pair: O,
    live_end: L,
    total: T,
}

/// Rows of metrics from a pass over invoices, before payments.
struct Rows {
    accs: Vec<Acc>,
    index: HashMap<(Vec<String>, Currency), usize>,
    /// Row of each invoice of the pass.
    inv_row: Vec<u32>,
}

impl Rows {
    /// Adds the rows of the invoices after this pass's: a row in both adds
    /// up, a row only in `other` is added.
    fn merge(&mut self, other: Rows) {
        let mut row_of = Vec::with_capacity(other.accs.len());
        for mut a in other.accs {
            let Some(currency) = a.currency else {
                row_of.push(u32::MAX);
                continue;
            };
            let key = (std::mem::take(&mut a.group), currency);
            let row = match self.index.entry(key) {
                Entry::Occupied(e) => {
                    let row = *e.get();
                    if let Some(into) = self.accs.get_mut(row) {
                        // Within the columns' bound (see `Acc`): exact.
                        into.ar_begin = into.ar_begin.wrapping_add(a.ar_begin);
                        into.ar_end = into.ar_end.wrapping_add(a.ar_end);
                        into.current_end = into.current_end.wrapping_add(a.current_end);
                        into.sales = into.sales.wrapping_add(a.sales);
                        for (m, add) in into.monthly.iter_mut().zip(&a.monthly) {
                            *m = m.wrapping_add(*add);
                        }
                    }
                    row
                }
                Entry::Vacant(e) => {
                    a.group.clone_from(&e.key().0);
                    let row = self.accs.len();
                    self.accs.push(a);
                    *e.insert(row)
                }
            };
            row_of.push(u32::try_from(row).unwrap_or(u32::MAX));
        }
        let remap = |r: &u32| row_of.get(*r as usize).copied().unwrap_or(u32::MAX);
        self.inv_row.extend(other.inv_row.iter().map(remap));
    }
}

impl<O, L, T> InvoicePass<'_, O, L, T>
where
    O: Fn(usize) -> (i128, i128) + Sync,
    L: Fn(usize) -> bool + Sync,
    T: Fn(usize) -> i128 + Sync,
{
    /// One pass over invoices `range` and their installments: rows, open
    /// amounts at both ends, sales.
    fn run(&self, range: std::ops::Range<usize>) -> Rows {
        let (c, group_by, months, lo) = (self.c, self.group_by, self.months, self.lo);
        let (start_day, end_day) = (self.start_day, self.end_day);
        let mut accs: Vec<Acc> = Vec::new();
        let mut index: HashMap<(Vec<String>, Currency), usize> = HashMap::new();
        let mut cache = RowCache::new(group_by, self.customers);
        let n_inst = c.installments();
        let mut inv_row: Vec<u32> = Vec::with_capacity(range.len());
        for i in range {
            let (Some(&customer), Some(&currency)) = (c.inv_customer.get(i), c.inv_currency.get(i))
            else {
                break;
            };
            let inv = u32::try_from(i).unwrap_or(u32::MAX);
            let row = cache.get(customer, currency, || {
                let key: Vec<String> = group_values(self.names, group_by, customer, Some(inv))
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                *index.entry((key.clone(), currency)).or_insert_with(|| {
                    let row = accs.len();
                    accs.push(Acc {
                        group: key,
                        currency: Some(currency),
                        monthly: vec![0; months],
                        ..Acc::default()
                    });
                    row
                })
            });
            inv_row.push(u32::try_from(row).unwrap_or(u32::MAX));
            let Some(a) = accs.get_mut(row) else {
                continue;
            };
            let first = c.inv_first.get(i).map_or(n_inst, |f| *f as usize);
            // `i` indexes a column: `i + 1` cannot saturate.
            let next = c
                .inv_first
                .get(i.saturating_add(1))
                .map_or(n_inst, |f| *f as usize);
            for k in first..next {
                let (oe, ob) = (self.open_pair)(k);
                if oe == 0 && ob == 0 {
                    continue;
                }
                // Within the columns' bound (see `Acc`): exact.
                a.ar_begin = a.ar_begin.wrapping_add(ob);
                a.ar_end = a.ar_end.wrapping_add(oe);
                if c.inst_due.get(k).is_some_and(|due| *due >= end_day) {
                    a.current_end = a.current_end.wrapping_add(oe);
                }
            }
            let Some(&date) = c.inv_date.get(i) else {
                continue;
            };
            if date > end_day || !(self.live_end)(i) {
                continue;
            }
            let total = (self.total)(i);
            if date >= start_day {
                a.sales = a.sales.wrapping_add(total);
            }
            // Day numbers of dates are within 2^27 of zero: the difference
            // does not wrap (and a negative one is no month).
            let back = usize::try_from(date.wrapping_sub(lo))
                .ok()
                .and_then(|d| self.month_of.get(d))
                .map_or(u32::MAX, |m| *m);
            if let Some(slot) = a.monthly.get_mut(back as usize) {
                *slot = slot.wrapping_add(total);
            }
        }
        Rows {
            accs,
            index,
            inv_row,
        }
    }
}

/// First day of each of the `months` calendar months back from the month
/// of `end` (index 0: `end`'s own month), stopping before `floor`'s month.
pub(crate) fn month_starts(end: NaiveDate, months: usize, floor: i32) -> Vec<i32> {
    let first = end.with_day(1).unwrap_or(end);
    let mut out = Vec::new();
    for m in 0..months {
        let Some(start) = u32::try_from(m)
            .ok()
            .and_then(|m| first.checked_sub_months(chrono::Months::new(m)))
        else {
            break;
        };
        out.push(columns::day(start));
        if columns::day(start) <= floor {
            break;
        }
    }
    out
}

/// The metrics passes, given the open amounts of each installment at the
/// period end and before its start, invoice liveness at the end, invoice
/// totals, and the payments of the period (invoice, days to pay, days
/// beyond terms, amount).
#[allow(clippy::too_many_arguments)]
fn metrics_with(
    c: &Columns,
    names: &dyn Names,
    options: &MetricsOptions,
    customers: usize,
    open_pair: impl Fn(usize) -> (i128, i128) + Sync,
    live_end: impl Fn(usize) -> bool + Sync,
    total: impl Fn(usize) -> i128 + Sync,
    payments: impl FnOnce(&mut dyn FnMut(u32, i64, i64, i128)),
) -> Result<MetricsSums> {
    let p = options.period;
    let months = usize::try_from(options.countback_months.max(1)).unwrap_or(12);
    let (start_day, end_day) = (columns::day(p.start), columns::day(p.end));
    let floor = c.inv_date.iter().copied().min().unwrap_or(end_day);
    // Countback month of a day: a table over the months that can hold an
    // invoice, instead of a calendar conversion per invoice. Months before
    // the first invoice's have no sales, so a countback that reaches them
    // has no answer: they are not kept.
    let starts = month_starts(p.end, months, floor);
    let months = starts.len();
    let lo = starts.last().copied().unwrap_or(end_day);
    let table_days = end_day
        .checked_sub(lo)
        .and_then(|d| d.checked_add(1))
        .and_then(|d| usize::try_from(d).ok())
        .unwrap_or(0);
    let mut month_of: Vec<u32> = vec![u32::MAX; table_days];
    for (m, (s, next)) in starts
        .iter()
        .zip(std::iter::once(end_day.saturating_add(1)).chain(starts.iter().copied()))
        .enumerate()
    {
        for d in *s..next {
            if let Some(slot) = d
                .checked_sub(lo)
                .and_then(|d| usize::try_from(d).ok())
                .and_then(|i| month_of.get_mut(i))
            {
                *slot = u32::try_from(m).unwrap_or(u32::MAX);
            }
        }
    }
    let pass = InvoicePass {
        c,
        names,
        group_by: &options.group_by,
        customers,
        months,
        month_of: &month_of,
        lo,
        start_day,
        end_day,
        open_pair,
        live_end,
        total,
    };
    // Invoices on two cores for a large book, each half into rows of its
    // own; the back half's are then added to the front's.
    let n_inv = c.inv_customer.len();
    let half = n_inv / 2;
    let rows = if n_inv < par::PARALLEL_ROWS {
        pass.run(0..n_inv)
    } else if let Some((mut front, back)) =
        par::both(false, || pass.run(0..half), || pass.run(half..n_inv))
    {
        front.merge(back);
        front
    } else {
        pass.run(0..n_inv)
    };
    let Rows {
        mut accs, inv_row, ..
    } = rows;
    payments(&mut |inv, to_pay, late, amount| {
        if let Some(a) = inv_row
            .get(inv as usize)
            .and_then(|r| accs.get_mut(*r as usize))
        {
            a.timing.add(to_pay, late, amount);
        }
    });
    Ok(MetricsSums {
        accs,
        month_days: month_days(p, months),
    })
}

/// Days of each of the `months` countback periods: the period end's month
/// up to the end date, then whole months; the same for every row.
pub(crate) fn month_days(p: Period, months: usize) -> Vec<u32> {
    let first = p.end.with_day(1).unwrap_or(p.end);
    (0..months)
        .map(|m| match m {
            0 => p.end.day(),
            _ => {
                let back = chrono::Months::new(u32::try_from(m).unwrap_or(0));
                Period::month_of(first.checked_sub_months(back).unwrap_or(first)).days()
            }
        })
        .collect()
}
