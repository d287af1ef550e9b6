//! Reports computed straight from the ledger's state: aging, metrics and the
//! bucket history behind roll rates. They read the timelines directly and
//! allocate per group, not per item.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::aging::{
    AgeBasis, AgingAccumulator, AgingLine, AgingOptions, AgingReport, Buckets, GroupBy,
};
use crate::currency::Currency;
use crate::id::CustomerId;
use crate::ledger::columns::{self, ColCut};
use crate::ledger::query::{OpenItemKind, View};
use crate::ledger::state::{Cut, SourceDoc};
use crate::ledger::Ledger;
use crate::metrics::{self, CeiVariant, PaymentTiming, Period};

const UNKNOWN: &str = "(unknown)";

/// Values of the group-by keys for one item.
fn group_values<'a>(
    ledger: &'a Ledger,
    group_by: &[GroupBy],
    customer: Option<&'a CustomerId>,
    invoice_dims: Option<&'a BTreeMap<String, String>>,
) -> Vec<&'a str> {
    group_by
        .iter()
        .map(|g| match g {
            GroupBy::Customer => customer.map_or(UNKNOWN, CustomerId::as_str),
            GroupBy::CustomerDimension(k) => customer
                .and_then(|c| ledger.state.customers.get(c))
                .and_then(|c| c.dimensions.get(k))
                .map_or("", String::as_str),
            GroupBy::InvoiceDimension(k) => invoice_dims
                .and_then(|d| d.get(k))
                .map_or("", String::as_str),
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
            first: vec![None; customers + 1],
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

/// Metrics of one group in one currency for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricsRow {
    /// Values of the group-by keys (empty for the whole book).
    pub group: Vec<String>,
    /// Currency.
    pub currency: Currency,
    /// The period.
    pub period: Period,
    /// Days in the period.
    pub days: u32,
    /// Open invoices at the end of the day before the period.
    #[serde(with = "crate::serde_decimal")]
    pub ar_begin: Decimal,
    /// Open invoices at the end of the period.
    #[serde(with = "crate::serde_decimal")]
    pub ar_end: Decimal,
    /// Part of `ar_end` not yet past due (due on or after the period end).
    #[serde(with = "crate::serde_decimal")]
    pub current_end: Decimal,
    /// Invoices dated in the period (finalized, not void at the period end).
    #[serde(with = "crate::serde_decimal")]
    pub credit_sales: Decimal,
    /// [`metrics::dso_period_end`].
    #[serde(with = "crate::serde_decimal::option")]
    pub dso_period_end: Option<Decimal>,
    /// [`metrics::dso_average`].
    #[serde(with = "crate::serde_decimal::option")]
    pub dso_average: Option<Decimal>,
    /// [`metrics::dso_countback`] over calendar months back from the period end.
    #[serde(with = "crate::serde_decimal::option")]
    pub dso_countback: Option<Decimal>,
    /// [`metrics::best_possible_dso`].
    #[serde(with = "crate::serde_decimal::option")]
    pub best_possible_dso: Option<Decimal>,
    /// Period-end DSO less best possible DSO.
    #[serde(with = "crate::serde_decimal::option")]
    pub average_days_delinquent: Option<Decimal>,
    /// [`metrics::cei`] with the options' variant.
    #[serde(with = "crate::serde_decimal::option")]
    pub cei: Option<Decimal>,
    /// [`metrics::ar_turnover`].
    #[serde(with = "crate::serde_decimal::option")]
    pub ar_turnover: Option<Decimal>,
    /// [`metrics::percent_current`] at the period end.
    #[serde(with = "crate::serde_decimal::option")]
    pub percent_current: Option<Decimal>,
    /// [`metrics::percent_past_due`] at the period end.
    #[serde(with = "crate::serde_decimal::option")]
    pub percent_past_due: Option<Decimal>,
    /// Days to pay and beyond terms over receipts applied in the period.
    pub timing: PaymentTiming,
}

/// What metrics to compute and over what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricsOptions {
    /// The period.
    pub period: Period,
    /// Only events recorded by this time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_at: Option<DateTime<Utc>>,
    /// Group-by keys; empty for the whole book.
    #[serde(default)]
    pub group_by: Vec<GroupBy>,
    /// Which credit sales CEI uses.
    #[serde(default)]
    pub cei: CeiVariant,
    /// Calendar months the countback DSO may look back (default 12).
    #[serde(default = "default_countback")]
    pub countback_months: u32,
}

fn default_countback() -> u32 {
    12
}

impl MetricsOptions {
    /// Whole-book metrics for `period`.
    pub fn new(period: Period) -> Self {
        MetricsOptions {
            period,
            known_at: None,
            group_by: Vec::new(),
            cei: CeiVariant::default(),
            countback_months: 12,
        }
    }
}

#[derive(Default)]
struct Acc {
    group: Vec<String>,
    currency: Option<Currency>,
    ar_begin: i128,
    ar_end: i128,
    current_end: i128,
    sales: i128,
    monthly: Vec<i128>,
    timing: metrics::TimingAcc,
}

impl Ledger {
    fn customer_at(&self, index: u32) -> Option<&CustomerId> {
        self.state.customers.at(index as usize).map(|c| &c.id)
    }

    /// Ages the open items as of `options.as_of` (and as known at
    /// `options.known_at`): invoice installments into buckets by due date or
    /// invoice date, open credits and unapplied cash beside them, grouped and
    /// totalled per currency. For every row `total` (the sum of the buckets)
    /// equals the open invoices of [`Ledger::open_items`] for the same view.
    pub fn aging(&self, options: &AgingOptions) -> AgingReport {
        let cut = self.cut(&View {
            as_of: Some(options.as_of),
            known_at: options.known_at,
        });
        let cc = ColCut::from(cut);
        let c = &self.state.cols;
        let open = c.installment_open(cc);
        let src_open = c.source_open(cc);
        let mut acc = AgingAccumulator::new(options);
        let mut cache = RowCache::new(&options.group_by, self.state.customers.len());
        let as_of = columns::day(options.as_of);
        let group_by = &options.group_by;
        for (k, o) in open.iter().enumerate() {
            if *o == 0 {
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
                let dims = self.state.invoices.at(i).map(|s| &s.invoice.dimensions);
                acc.row_id(
                    &group_values(self, group_by, self.customer_at(customer), dims),
                    currency,
                )
            });
            let days = i64::from(as_of)
                - i64::from(if options.basis == AgeBasis::DueDate {
                    due
                } else {
                    date
                });
            let bucket = acc.bucket(days);
            acc.add_invoice(row, bucket, *o);
            if options.detail {
                if let Some(s) = self.state.invoices.at(i) {
                    let number = u32::try_from(k).unwrap_or(0).saturating_sub(s.first_inst) + 1;
                    acc.add_line(AgingLine {
                        group: acc.group_of(row),
                        kind: OpenItemKind::Invoice,
                        customer: Some(s.invoice.customer.to_string()),
                        id: s.invoice.id.to_string(),
                        installment: (s.invoice.installments.len() > 1).then_some(number),
                        currency,
                        date: s.invoice.date,
                        due_date: s
                            .invoice
                            .installments
                            .get(number as usize - 1)
                            .map(|x| x.due_date),
                        days,
                        bucket: Some(bucket),
                        open: columns::from_minor(*o, currency),
                    });
                }
            }
        }
        let memos = self
            .state
            .credit_memos
            .iter()
            .map(|s| (OpenItemKind::CreditMemo, s));
        let receipts = self
            .state
            .receipts
            .iter()
            .map(|s| (OpenItemKind::UnappliedCash, s));
        for (kind, src) in memos.chain(receipts) {
            let col = src.col as usize;
            let o = src_open.get(col).copied().unwrap_or(0);
            if o == 0 {
                continue;
            }
            let currency = src.currency();
            let known = c.src_payer_at.get(col).is_some_and(|p| cc.sees(*p));
            let customer = if known {
                c.src_customer.get(col).copied().unwrap_or(u32::MAX)
            } else {
                u32::MAX
            };
            let dims = match &src.doc {
                SourceDoc::CreditMemo(m) => m
                    .against
                    .as_ref()
                    .and_then(|a| self.state.invoices.get(a))
                    .map(|i| &i.invoice.dimensions),
                SourceDoc::Receipt(_) => None,
            };
            let row = if dims.is_some() {
                acc.row_id(
                    &group_values(self, group_by, self.customer_at(customer), dims),
                    currency,
                )
            } else {
                cache.get(customer, currency, || {
                    acc.row_id(
                        &group_values(self, group_by, self.customer_at(customer), None),
                        currency,
                    )
                })
            };
            if kind == OpenItemKind::CreditMemo {
                acc.add_credit(row, o);
            } else {
                acc.add_cash(row, o);
            }
            if options.detail {
                let id = match &src.doc {
                    SourceDoc::Receipt(r) => r.id.to_string(),
                    SourceDoc::CreditMemo(m) => m.id.to_string(),
                };
                acc.add_line(AgingLine {
                    group: acc.group_of(row),
                    kind,
                    customer: self.customer_at(customer).map(ToString::to_string),
                    id,
                    installment: None,
                    currency,
                    date: src.date(),
                    due_date: None,
                    days: (options.as_of - src.date()).num_days(),
                    bucket: None,
                    open: columns::from_minor(o, currency),
                });
            }
        }
        acc.finish()
    }

    /// Whole-book bucket totals in `currency` at each of `dates` (as known at
    /// `known_at`), for [`crate::provision::roll_rates`].
    pub fn bucket_history(
        &self,
        dates: &[NaiveDate],
        buckets: &Buckets,
        currency: Currency,
        known_at: Option<DateTime<Utc>>,
    ) -> Vec<Vec<Decimal>> {
        dates
            .iter()
            .map(|d| {
                let options = AgingOptions {
                    as_of: *d,
                    known_at,
                    basis: AgeBasis::DueDate,
                    buckets: buckets.clone(),
                    group_by: Vec::new(),
                    detail: false,
                };
                self.aging(&options)
                    .totals
                    .into_iter()
                    .find(|t| t.currency == currency)
                    .map_or_else(|| vec![Decimal::ZERO; buckets.len()], |t| t.buckets)
            })
            .collect()
    }

    /// DSO (three ways), best possible DSO, average days delinquent, CEI,
    /// turnover, percent current and past due, and payment timing for
    /// `options.period`, per group and currency. AR is open invoices (gross;
    /// credits and cash not netted); credit sales are the totals of invoices
    /// dated in the period, finalized and not void at its end; payment timing
    /// covers receipts applied in the period and not unapplied by its end.
    pub fn metrics(&self, options: &MetricsOptions) -> Vec<MetricsRow> {
        let p = options.period;
        let end_cut = self.cut(&View {
            as_of: Some(p.end),
            known_at: options.known_at,
        });
        let begin_cut = Cut {
            date: p.start - Duration::days(1),
            seq: end_cut.seq,
        };
        let (ce, cb) = (ColCut::from(end_cut), ColCut::from(begin_cut));
        let c = &self.state.cols;
        let open_end = c.installment_open(ce);
        let open_begin = c.installment_open(cb);
        let months = usize::try_from(options.countback_months.max(1)).unwrap_or(12);
        let (start_day, end_day) = (columns::day(p.start), columns::day(p.end));
        let end_month = i64::from(p.end.year()) * 12 + i64::from(p.end.month0());
        let mut accs: Vec<Acc> = Vec::new();
        let mut index: HashMap<(Vec<String>, Currency), usize> = HashMap::new();
        let mut cache = RowCache::new(&options.group_by, self.state.customers.len());
        let group_by = &options.group_by;
        // Row of each invoice, resolved once.
        let n_inv = c.inv_customer.len();
        let mut inv_row: Vec<usize> = Vec::with_capacity(n_inv);
        for i in 0..n_inv {
            let (Some(&customer), Some(&currency)) = (c.inv_customer.get(i), c.inv_currency.get(i))
            else {
                inv_row.push(usize::MAX);
                continue;
            };
            let row = cache.get(customer, currency, || {
                let dims = self.state.invoices.at(i).map(|s| &s.invoice.dimensions);
                let key: Vec<String> =
                    group_values(self, group_by, self.customer_at(customer), dims)
                        .into_iter()
                        .map(str::to_owned)
                        .collect();
                *index.entry((key.clone(), currency)).or_insert_with(|| {
                    accs.push(Acc {
                        group: key,
                        currency: Some(currency),
                        monthly: vec![0; months],
                        ..Acc::default()
                    });
                    accs.len() - 1
                })
            });
            inv_row.push(row);
        }
        for (k, (oe, ob)) in open_end.iter().zip(&open_begin).enumerate() {
            if *oe == 0 && *ob == 0 {
                continue;
            }
            let (Some(&inv), Some(&due)) = (c.inst_invoice.get(k), c.inst_due.get(k)) else {
                continue;
            };
            let Some(a) = inv_row.get(inv as usize).and_then(|r| accs.get_mut(*r)) else {
                continue;
            };
            a.ar_begin += *ob;
            a.ar_end += *oe;
            if due >= end_day {
                a.current_end += *oe;
            }
        }
        for i in 0..n_inv {
            let live = c.inv_finalized.get(i).is_some_and(|f| ce.sees(*f))
                && !c.inv_voided.get(i).is_some_and(|v| ce.sees(*v));
            let (Some(&date), Some(&total)) = (c.inv_date.get(i), c.inv_total.get(i)) else {
                continue;
            };
            if !live || date > end_day {
                continue;
            }
            let Some(a) = inv_row.get(i).and_then(|r| accs.get_mut(*r)) else {
                continue;
            };
            if date >= start_day {
                a.sales += total;
            }
            let Some(d) = NaiveDate::from_num_days_from_ce_opt(date) else {
                continue;
            };
            let back = end_month - (i64::from(d.year()) * 12 + i64::from(d.month0()));
            if let Some(slot) = usize::try_from(back)
                .ok()
                .and_then(|m| a.monthly.get_mut(m))
            {
                *slot += total;
            }
        }
        for (((inst, at), amount), app) in c
            .pay_inst
            .iter()
            .zip(&c.pay_at)
            .zip(&c.pay_amount)
            .zip(&c.pay_app)
        {
            if !ce.sees(*at)
                || at.0 < start_day
                || c.app_reversed
                    .get(*app as usize)
                    .is_some_and(|r| ce.sees(*r))
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
            let Some(a) = inv_row.get(inv as usize).and_then(|r| accs.get_mut(*r)) else {
                continue;
            };
            a.timing
                .add(i64::from(at.0 - date), i64::from(at.0 - due), *amount);
        }
        let days = p.days();
        let mut out: Vec<MetricsRow> = accs
            .into_iter()
            .filter_map(|a| {
                let currency = a.currency?;
                let dec = |v: i128| columns::from_minor(v, currency);
                let (ar_begin, ar_end, current_end, sales) = (
                    dec(a.ar_begin),
                    dec(a.ar_end),
                    dec(a.current_end),
                    dec(a.sales),
                );
                // Countback periods: the period end's month up to the end date, then whole months.
                let periods: Vec<(Decimal, u32)> = a
                    .monthly
                    .iter()
                    .enumerate()
                    .map(|(m, s)| {
                        let month_days = if m == 0 {
                            p.end.day()
                        } else {
                            let first = p.end.with_day(1).unwrap_or(p.end);
                            let shifted = first
                                .checked_sub_months(chrono::Months::new(
                                    u32::try_from(m).unwrap_or(0),
                                ))
                                .unwrap_or(first);
                            Period::month_of(shifted).days()
                        };
                        (dec(*s), month_days)
                    })
                    .collect();
                let dso_pe = metrics::dso_period_end(ar_end, sales, days);
                let bp = metrics::best_possible_dso(current_end, sales, days);
                Some(MetricsRow {
                    group: a.group,
                    currency,
                    period: p,
                    days,
                    ar_begin,
                    ar_end,
                    current_end,
                    credit_sales: sales,
                    dso_period_end: dso_pe,
                    dso_average: metrics::dso_average(ar_begin, ar_end, sales, days),
                    dso_countback: metrics::dso_countback(ar_end, &periods),
                    best_possible_dso: bp,
                    average_days_delinquent: dso_pe
                        .zip(bp)
                        .map(|(d, b)| metrics::average_days_delinquent(d, b)),
                    cei: metrics::cei(ar_begin, sales, ar_end, current_end, options.cei),
                    ar_turnover: metrics::ar_turnover(sales, ar_begin, ar_end),
                    percent_current: metrics::percent_current(current_end, ar_end),
                    percent_past_due: metrics::percent_past_due(current_end, ar_end),
                    timing: a.timing.finish(currency),
                })
            })
            .collect();
        out.sort_by(|x, y| (x.currency, &x.group).cmp(&(y.currency, &y.group)));
        out
    }
}
