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
use crate::ledger::command::Source;
use crate::ledger::query::{OpenItemKind, View};
use crate::ledger::state::{Cut, SourceDoc};
use crate::ledger::Ledger;
use crate::metrics::{self, CeiVariant, Payment, PaymentTiming, Period};

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

/// Row ids by customer and currency, for groupings that depend on the
/// customer only.
struct RowCache<'a> {
    per_customer: bool,
    rows: HashMap<(Option<&'a CustomerId>, Currency), usize>,
}

impl<'a> RowCache<'a> {
    fn new(group_by: &[GroupBy]) -> Self {
        RowCache {
            per_customer: !group_by
                .iter()
                .any(|g| matches!(g, GroupBy::InvoiceDimension(_))),
            rows: HashMap::new(),
        }
    }

    fn get(
        &mut self,
        ledger: &'a Ledger,
        group_by: &[GroupBy],
        customer: Option<&'a CustomerId>,
        invoice_dims: Option<&'a BTreeMap<String, String>>,
        currency: Currency,
        make: &mut impl FnMut(&[&str], Currency) -> usize,
    ) -> usize {
        if self.per_customer {
            if let Some(r) = self.rows.get(&(customer, currency)) {
                return *r;
            }
        }
        let r = make(
            &group_values(ledger, group_by, customer, invoice_dims),
            currency,
        );
        if self.per_customer {
            self.rows.insert((customer, currency), r);
        }
        r
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
    pub ar_begin: Decimal,
    /// Open invoices at the end of the period.
    pub ar_end: Decimal,
    /// Part of `ar_end` not yet past due (due on or after the period end).
    pub current_end: Decimal,
    /// Invoices dated in the period (finalized, not void at the period end).
    pub credit_sales: Decimal,
    /// [`metrics::dso_period_end`].
    pub dso_period_end: Option<Decimal>,
    /// [`metrics::dso_average`].
    pub dso_average: Option<Decimal>,
    /// [`metrics::dso_countback`] over calendar months back from the period end.
    pub dso_countback: Option<Decimal>,
    /// [`metrics::best_possible_dso`].
    pub best_possible_dso: Option<Decimal>,
    /// Period-end DSO less best possible DSO.
    pub average_days_delinquent: Option<Decimal>,
    /// [`metrics::cei`] with the options' variant.
    pub cei: Option<Decimal>,
    /// [`metrics::ar_turnover`].
    pub ar_turnover: Option<Decimal>,
    /// [`metrics::percent_current`] at the period end.
    pub percent_current: Option<Decimal>,
    /// [`metrics::percent_past_due`] at the period end.
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
    ar_begin: Decimal,
    ar_end: Decimal,
    current_end: Decimal,
    sales: Decimal,
    monthly: Vec<Decimal>,
    payments: Vec<Payment>,
}

fn months_back(end: NaiveDate, date: NaiveDate) -> i64 {
    i64::from(end.year() - date.year()) * 12 + i64::from(end.month()) - i64::from(date.month())
}

impl Ledger {
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
        let mut acc = AgingAccumulator::new(options);
        let mut cache = RowCache::new(&options.group_by);
        let mut make = |g: &[&str], c: Currency| acc.row_id(g, c);
        // Row ids first, then amounts: the closure borrows the accumulator.
        let mut invoice_rows: Vec<(usize, usize, u32, i64, usize, Decimal)> = Vec::new();
        let as_of = options.as_of;
        for (ii, inv) in self.state.invoices.iter().enumerate() {
            if !cut.sees_opt(inv.finalized) || cut.sees_opt(inv.voided) {
                continue;
            }
            let i = &inv.invoice;
            let mut row = None;
            for (k, (t, s)) in inv.installments.iter().zip(&i.installments).enumerate() {
                let open = t.at(cut);
                if open.is_zero() {
                    continue;
                }
                let r = *row.get_or_insert_with(|| {
                    cache.get(
                        self,
                        &options.group_by,
                        Some(&i.customer),
                        Some(&i.dimensions),
                        i.currency,
                        &mut make,
                    )
                });
                let days = match options.basis {
                    AgeBasis::DueDate => (as_of - s.due_date).num_days(),
                    AgeBasis::InvoiceDate => (as_of - i.date).num_days(),
                };
                invoice_rows.push((r, ii, s.number, days, k, open));
            }
        }
        let mut source_rows: Vec<(usize, OpenItemKind, Source, Decimal)> = Vec::new();
        for (kind, src) in self
            .state
            .credit_memos
            .iter()
            .map(|s| (OpenItemKind::CreditMemo, s))
            .chain(
                self.state
                    .receipts
                    .iter()
                    .map(|s| (OpenItemKind::UnappliedCash, s)),
            )
        {
            if !cut.sees(src.created) || cut.sees_opt(src.voided) {
                continue;
            }
            let open = src.timeline.at(cut);
            if open.is_zero() {
                continue;
            }
            let (dims, source) = match &src.doc {
                SourceDoc::CreditMemo(m) => (
                    m.against
                        .as_ref()
                        .and_then(|a| self.state.invoices.get(a))
                        .map(|i| &i.invoice.dimensions),
                    Source::CreditMemo(m.id.clone()),
                ),
                SourceDoc::Receipt(r) => (None, Source::Receipt(r.id.clone())),
            };
            let r = cache.get(
                self,
                &options.group_by,
                src.customer(cut),
                dims,
                src.currency(),
                &mut make,
            );
            source_rows.push((r, kind, source, open));
        }
        let invoices: Vec<&crate::ledger::state::InvoiceState> =
            self.state.invoices.iter().collect();
        for (r, ii, number, days, k, open) in invoice_rows {
            let bucket = acc.add_invoice(r, days, open);
            if options.detail {
                if let Some(inv) = invoices.get(ii) {
                    let i = &inv.invoice;
                    acc.add_line(AgingLine {
                        group: acc.group_of(r),
                        kind: OpenItemKind::Invoice,
                        customer: Some(i.customer.to_string()),
                        id: i.id.to_string(),
                        installment: (i.installments.len() > 1).then_some(number),
                        currency: i.currency,
                        date: i.date,
                        due_date: i.installments.get(k).map(|s| s.due_date),
                        days,
                        bucket: Some(bucket),
                        open,
                    });
                }
            }
        }
        for (r, kind, source, open) in source_rows {
            match kind {
                OpenItemKind::CreditMemo => acc.add_credit(r, open),
                _ => acc.add_cash(r, open),
            }
            if options.detail {
                if let Some(src) = self.state.source(&source) {
                    acc.add_line(AgingLine {
                        group: acc.group_of(r),
                        kind,
                        customer: src.customer(cut).map(ToString::to_string),
                        id: source.id().to_owned(),
                        installment: None,
                        currency: src.currency(),
                        date: src.date(),
                        due_date: None,
                        days: (as_of - src.date()).num_days(),
                        bucket: None,
                        open,
                    });
                }
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
    /// dated in the period, finalized and not void at its end.
    pub fn metrics(&self, options: &MetricsOptions) -> Vec<MetricsRow> {
        let p = options.period;
        let begin_day = p.start - Duration::days(1);
        let end_cut = self.cut(&View {
            as_of: Some(p.end),
            known_at: options.known_at,
        });
        let begin_cut = Cut {
            date: begin_day,
            seq: end_cut.seq,
        };
        let months = usize::try_from(options.countback_months.max(1)).unwrap_or(12);
        let mut accs: Vec<Acc> = Vec::new();
        let mut index: HashMap<(Vec<String>, Currency), usize> = HashMap::new();
        let mut cache = RowCache::new(&options.group_by);
        let mut make = |g: &[&str], c: Currency| {
            let key: Vec<String> = g.iter().map(|s| (*s).to_owned()).collect();
            *index.entry((key.clone(), c)).or_insert_with(|| {
                accs.push(Acc {
                    group: key,
                    currency: Some(c),
                    monthly: vec![Decimal::ZERO; months],
                    ..Acc::default()
                });
                accs.len() - 1
            })
        };
        let mut rows_of: Vec<Option<usize>> = Vec::with_capacity(self.state.invoices.len());
        // (row, AR at the start, AR at the end, current at the end, credit sales)
        let mut updates: Vec<(usize, Decimal, Decimal, Decimal, Decimal)> = Vec::new();
        for inv in self.state.invoices.iter() {
            let i = &inv.invoice;
            let live_end = end_cut.sees_opt(inv.finalized) && !end_cut.sees_opt(inv.voided);
            let live_begin = begin_cut.sees_opt(inv.finalized) && !begin_cut.sees_opt(inv.voided);
            if !live_end && !live_begin {
                rows_of.push(None);
                continue;
            }
            let r = cache.get(
                self,
                &options.group_by,
                Some(&i.customer),
                Some(&i.dimensions),
                i.currency,
                &mut make,
            );
            rows_of.push(Some(r));
            let (mut begin, mut end, mut current) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
            for (t, s) in inv.installments.iter().zip(&i.installments) {
                if live_begin {
                    begin += t.at(begin_cut);
                }
                if live_end {
                    let open = t.at(end_cut);
                    end += open;
                    if s.due_date >= p.end {
                        current += open;
                    }
                }
            }
            let sales = if live_end && p.contains(i.date) {
                i.totals.total
            } else {
                Decimal::ZERO
            };
            updates.push((r, begin, end, current, sales));
        }
        for (r, begin, end, current, sales) in updates {
            if let Some(a) = accs.get_mut(r) {
                a.ar_begin += begin;
                a.ar_end += end;
                a.current_end += current;
                a.sales += sales;
            }
        }
        // Monthly sales for the countback.
        for (inv, r) in self.state.invoices.iter().zip(&rows_of) {
            let (Some(r), i) = (r, &inv.invoice) else {
                continue;
            };
            if !end_cut.sees_opt(inv.finalized) || end_cut.sees_opt(inv.voided) || i.date > p.end {
                continue;
            }
            let Ok(m) = usize::try_from(months_back(p.end, i.date)) else {
                continue;
            };
            if let Some(slot) = accs.get_mut(*r).and_then(|a| a.monthly.get_mut(m)) {
                *slot += i.totals.total;
            }
        }
        // Payments: receipts applied in the period and not unapplied by its end.
        let position: HashMap<&crate::id::InvoiceId, usize> = self
            .state
            .invoices
            .iter()
            .enumerate()
            .map(|(n, inv)| (&inv.invoice.id, n))
            .collect();
        let invoices: Vec<&crate::ledger::state::InvoiceState> =
            self.state.invoices.iter().collect();
        for app in self.state.applications.iter() {
            if !matches!(app.source, Source::Receipt(_))
                || !end_cut.sees(app.at)
                || !p.contains(app.at.eff)
                || end_cut.sees_opt(app.reversed)
            {
                continue;
            }
            let Some(&n) = position.get(&app.invoice) else {
                continue;
            };
            let (Some(inv), Some(Some(r))) = (invoices.get(n), rows_of.get(n)) else {
                continue;
            };
            for al in &app.allocations {
                let due = usize::try_from(al.installment)
                    .ok()
                    .and_then(|x| x.checked_sub(1))
                    .and_then(|x| inv.invoice.installments.get(x))
                    .map_or(inv.invoice.date, |s| s.due_date);
                if let Some(a) = accs.get_mut(*r) {
                    a.payments.push(Payment {
                        invoice_date: inv.invoice.date,
                        due_date: due,
                        paid_date: app.at.eff,
                        amount: al.amount,
                    });
                }
            }
        }
        let days = p.days();
        let mut out: Vec<MetricsRow> = accs
            .into_iter()
            .filter_map(|a| {
                let currency = a.currency?;
                let minor = currency.minor_units();
                let scale = |mut d: Decimal| {
                    d.rescale(minor);
                    d
                };
                // Countback periods: the period end's month up to the end date, then whole months.
                let periods: Vec<(Decimal, u32)> = a
                    .monthly
                    .iter()
                    .enumerate()
                    .map(|(m, sales)| {
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
                        (*sales, month_days)
                    })
                    .collect();
                let dso_pe = metrics::dso_period_end(a.ar_end, a.sales, days);
                let bp = metrics::best_possible_dso(a.current_end, a.sales, days);
                Some(MetricsRow {
                    group: a.group,
                    currency,
                    period: p,
                    days,
                    ar_begin: scale(a.ar_begin),
                    ar_end: scale(a.ar_end),
                    current_end: scale(a.current_end),
                    credit_sales: scale(a.sales),
                    dso_period_end: dso_pe,
                    dso_average: metrics::dso_average(a.ar_begin, a.ar_end, a.sales, days),
                    dso_countback: metrics::dso_countback(a.ar_end, &periods),
                    best_possible_dso: bp,
                    average_days_delinquent: dso_pe
                        .zip(bp)
                        .map(|(d, b)| metrics::average_days_delinquent(d, b)),
                    cei: metrics::cei(a.ar_begin, a.sales, a.ar_end, a.current_end, options.cei),
                    ar_turnover: metrics::ar_turnover(a.sales, a.ar_begin, a.ar_end),
                    percent_current: metrics::percent_current(a.current_end, a.ar_end),
                    percent_past_due: metrics::percent_past_due(a.current_end, a.ar_end),
                    timing: metrics::payment_timing(&a.payments),
                })
            })
            .collect();
        out.sort_by(|x, y| (x.currency, &x.group).cmp(&(y.currency, &y.group)));
        out
    }
}
