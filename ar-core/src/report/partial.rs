//! Mergeable partial reports, for a book too large for one process: each
//! part of the book (a partition of a Spark or Dask job) gives a
//! [`Partial`] of aging or metrics, partials are merged by adding, and the
//! merged partial is finished into the same [`AgingReport`] or
//! [`MetricsRow`]s as the whole book gives in one process, to the last
//! digit.
//!
//! Every figure of a partial is a sum in integer minor units (or of days,
//! or of amounts times days), so merging is addition: associative and
//! commutative, checked against overflow. The one exception is the date of
//! the book's first invoice (countback DSO looks back no further than its
//! month), which merges by minimum.
//!
//! # Partitioning contract
//! A settlement must sit in the same part as its invoice: partition the
//! invoices and settlements together by invoice id (or by customer, which
//! keeps an invoice's settlements with it too). A settlement whose invoice
//! is in another part is refused when that part's book is prepared
//! ([`crate::Error::NotFound`] naming `settlements.invoice[row]`), never
//! counted wrongly. Open credits and unapplied cash may sit in any part.
//! The customers table, for grouping by a customer dimension, must be
//! given whole to every part.
//!
//! # As a table
//! [`Partial::entries`] gives the partial as a long table that a
//! distributed engine merges itself: group the entries by `currency`,
//! `group` and `field`, add up `sum` and take the minimum of `min`; then
//! [`Partial::from_entries`] reads the merged table back (adding up any
//! entries still repeated) for [`Partial::finish_aging`] or
//! [`Partial::finish_metrics`]. Two entries describe the partial itself,
//! with an empty `currency`: the options it was made with (field
//! `options`, the options as JSON in `group`, `sum` counting the parts
//! merged) and, for metrics, the first invoice date (field
//! `first_invoice_day`, days since 1970-01-01 in `min`).
//!
//! # Example
//! ```
//! use ar_core::bulk::{Book, InvoiceColumns};
//! use ar_core::partial::Partial;
//! use ar_core::{AgingOptions, Currency};
//! use rust_decimal::Decimal;
//! let day = |s: &str| s.parse().unwrap();
//! let usd = Currency::new("USD").unwrap();
//! let part = |id: &str, amount: i64| Book {
//!     invoices: InvoiceColumns {
//!         id: [id].into_iter().collect(),
//!         customer: ["A"].into_iter().collect(),
//!         currency: vec![usd],
//!         date: vec![day("2026-05-01")],
//!         due_date: vec![day("2026-05-31")],
//!         amount: vec![Decimal::new(amount, 2)],
//!         dimensions: vec![],
//!     },
//!     ..Book::default()
//! }
//! .prepare()
//! .unwrap();
//! let options = AgingOptions::new(day("2026-06-30"));
//! let mut merged = part("I1", 10000).aging_partial(&options).unwrap();
//! merged.merge(part("I2", 5000).aging_partial(&options).unwrap()).unwrap();
//! let aging = merged.finish_aging(&options).unwrap();
//! assert_eq!(aging.rows[0].buckets[1].to_string(), "150.00");
//! assert_eq!(aging.rows[0].items, 2);
//! ```

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::aging::{AgingAccumulator, AgingOptions, AgingReport};
use crate::bulk::PreparedBook;
use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::limits::{check_len, MAX_KEY_LEN};
use crate::metrics::TimingAcc;
use crate::report::columns;
use crate::report::engine::{self, Acc, MetricsSums};
use crate::report::{MetricsOptions, MetricsRow};

/// Field of the entry holding the options a partial was made with.
pub const OPTIONS: &str = "options";
/// Field of the entry holding the first invoice date (metrics).
pub const FIRST_INVOICE_DAY: &str = "first_invoice_day";
/// Lines a partial read back may have: far more than any merged partial
/// holds (a line per group, currency and figure).
pub const MAX_PARTIAL_LINES: usize = 100_000_000;

/// Field present (1 per part) on every row of a partial, so that a row
/// whose sums are all zero still appears, as it does in one process.
pub const ROWS: &str = "rows";

/// One line of a partial as a long table: an additive figure of a group in
/// a currency, or (with an empty `currency`) a line describing the partial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialEntry {
    /// Currency code; empty for the lines describing the partial.
    pub currency: String,
    /// The group's values, as a JSON array of strings (`["C1","EMEA"]`;
    /// `[]` for the whole book); the options as JSON on the options line.
    pub group: String,
    /// The figure: `bucket.0`, `items`, `ar_end`, `credit_sales.month.3`, ...
    pub field: String,
    /// The figure's value (merged by adding).
    pub sum: i128,
    /// Merged by minimum: the first invoice day on its line, 0 elsewhere.
    pub min: i64,
}

/// A report's figures over a part of a book, before the ratios; see the
/// module's documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partial {
    /// The options, as JSON: partials of different options do not merge.
    options: String,
    /// Parts merged into this one.
    parts: i128,
    /// Earliest invoice date, in days since 1970-01-01.
    first_day: Option<i64>,
    rows: BTreeMap<(Currency, Vec<String>), BTreeMap<String, i128>>,
}

/// Days from 0001-01-01 to 1970-01-01 (day numbers of the column engine).
const UNIX_EPOCH_DAY: i64 = 719_163;

fn options_json(report: &str, options: &impl Serialize) -> Result<String> {
    serde_json::to_string(&serde_json::json!({ "report": report, "options": options })).map_err(
        |e| Error::Internal {
            message: format!("options could not be written as JSON: {e}"),
        },
    )
}

fn aging_options(options: &AgingOptions) -> Result<String> {
    if options.detail {
        return Err(Error::invalid_value(
            "detail",
            "true",
            "a partial aging has no detail lines",
        ));
    }
    options_json("aging", options)
}

fn metrics_options(options: &MetricsOptions) -> Result<String> {
    options_json("metrics", options)
}

/// An amount of a finished report in minor units of `currency` (reports
/// give amounts at the currency's scale, so this is its mantissa).
fn units(amount: Decimal, currency: Currency) -> Result<i128> {
    let mut a = amount;
    a.rescale(currency.minor_units());
    if a != amount {
        return Err(Error::Internal {
            message: format!("{amount} is finer than {}", currency.code()),
        });
    }
    Ok(a.mantissa())
}

impl Partial {
    fn new(options: String) -> Self {
        Partial {
            options,
            parts: 1,
            first_day: None,
            rows: BTreeMap::new(),
        }
    }

    /// Adds `value` to `field` of a row (made on first use).
    fn add(
        &mut self,
        currency: Currency,
        group: &[String],
        field: &str,
        value: i128,
    ) -> Result<()> {
        let row = self.rows.entry((currency, group.to_vec())).or_default();
        add_to(row, field, value)
    }

    fn row(&mut self, currency: Currency, group: Vec<String>) -> Result<()> {
        let row = self.rows.entry((currency, group)).or_default();
        add_to(row, ROWS, 1)
    }

    /// Number of parts merged into this partial.
    pub fn parts(&self) -> i128 {
        self.parts
    }

    /// Adds `other` into this partial.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] (field `options`) for partials made with
    /// other options; [`Error::Overflow`] for a sum beyond the i128 range.
    pub fn merge(&mut self, other: Partial) -> Result<()> {
        if other.options != self.options {
            return Err(different(&other.options, &self.options));
        }
        self.parts = self
            .parts
            .checked_add(other.parts)
            .ok_or_else(|| Error::overflow("partial.options"))?;
        self.first_day = match (self.first_day, other.first_day) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        for (key, fields) in other.rows {
            let row = self.rows.entry(key).or_default();
            for (field, value) in fields {
                add_to(row, &field, value)?;
            }
        }
        Ok(())
    }

    /// The partial as lines of a long table (see the module's
    /// documentation): the options line, the first invoice day for
    /// metrics, then each row's figures, those that are zero left out but
    /// `rows`.
    pub fn entries(&self) -> Vec<PartialEntry> {
        let meta = |group: &str, field: &str, sum: i128, min: i64| PartialEntry {
            currency: String::new(),
            group: group.to_owned(),
            field: field.to_owned(),
            sum,
            min,
        };
        let mut out = vec![meta(&self.options, OPTIONS, self.parts, 0)];
        if let Some(day) = self.first_day {
            out.push(meta("", FIRST_INVOICE_DAY, 0, day));
        }
        for ((currency, group), fields) in &self.rows {
            // A list of strings always serializes.
            let group = serde_json::to_string(group).unwrap_or_default();
            for (field, sum) in fields {
                if *sum == 0 && field != ROWS {
                    continue;
                }
                out.push(PartialEntry {
                    currency: currency.code().to_owned(),
                    group: group.clone(),
                    field: field.clone(),
                    sum: *sum,
                    min: 0,
                });
            }
        }
        out
    }

    /// Reads a partial back from its lines, merged or not: lines of the
    /// same currency, group and field add up (their `min` is read on the
    /// first-invoice line only), as [`Partial::merge`] adds partials.
    ///
    /// # Errors
    /// Naming the line (`partial[3].group`): [`Error::InvalidValue`] for
    /// no options line, two different options, a group that is not a JSON
    /// list of strings, a line of the partial itself it does not know;
    /// [`Error::InvalidCurrency`]; [`Error::LimitExceeded`] for a field
    /// name longer than [`MAX_KEY_LEN`] or more than
    /// [`MAX_PARTIAL_LINES`] lines; [`Error::Overflow`].
    pub fn from_entries(entries: impl IntoIterator<Item = PartialEntry>) -> Result<Partial> {
        let mut options: Option<(String, i128)> = None;
        let mut first_day: Option<i64> = None;
        let mut rows: BTreeMap<(Currency, Vec<String>), BTreeMap<String, i128>> = BTreeMap::new();
        for (i, e) in entries.into_iter().enumerate() {
            crate::limits::check_count("partial", i.saturating_add(1), MAX_PARTIAL_LINES)?;
            let at = |column: &str| format!("partial[{i}].{column}");
            check_len(&at("field"), &e.field, MAX_KEY_LEN)?;
            if e.currency.is_empty() {
                match e.field.as_str() {
                    OPTIONS => match &mut options {
                        None => options = Some((e.group, e.sum)),
                        Some((text, parts)) => {
                            if *text != e.group {
                                return Err(different(&e.group, text));
                            }
                            *parts = parts
                                .checked_add(e.sum)
                                .ok_or_else(|| Error::overflow(&at("sum")))?;
                        }
                    },
                    FIRST_INVOICE_DAY => {
                        first_day = Some(first_day.map_or(e.min, |d| d.min(e.min)));
                    }
                    other => {
                        return Err(Error::invalid_value(
                            &at("field"),
                            other,
                            "a line without a currency describes the partial: \"options\" or \"first_invoice_day\"",
                        ))
                    }
                }
                continue;
            }
            let currency =
                Currency::new(&e.currency).map_err(|err| err.refield(|_| at("currency")))?;
            let group: Vec<String> = serde_json::from_str(&e.group).map_err(|_| {
                Error::invalid_value(&at("group"), &e.group, "expected a JSON list of strings")
            })?;
            let row = rows.entry((currency, group)).or_default();
            add_to(row, &e.field, e.sum).map_err(|err| err.refield(|_| at("sum")))?;
        }
        let Some((options, parts)) = options else {
            return Err(Error::invalid_value(
                "partial",
                "(no options line)",
                "not a partial of ar: it has no line with field \"options\"",
            ));
        };
        Ok(Partial {
            options,
            parts,
            first_day,
            rows,
        })
    }

    fn check_options(&self, expected: &str) -> Result<()> {
        if self.options == expected {
            return Ok(());
        }
        let (key, given, made) = difference(expected, &self.options);
        Err(Error::invalid_value(
            &key,
            given,
            &format!("the partial was made with {key} {made}"),
        ))
    }

    /// The aging the merged parts give together: the same figures as
    /// [`PreparedBook::aging`] over the whole book, rows sorted by currency
    /// then group (one process lists them in order of first appearance).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for options other than the partial's, or a
    /// field aging does not have; [`Error::Overflow`] for a sum beyond what
    /// a report holds.
    pub fn finish_aging(&self, options: &AgingOptions) -> Result<AgingReport> {
        self.check_options(&aging_options(options)?)?;
        let n = options.buckets.len();
        let mut acc = AgingAccumulator::new(options);
        let mut rows: Vec<RowSums<'_>> = Vec::new();
        for ((currency, group), fields) in &self.rows {
            let mut buckets = vec![0i128; n];
            let (mut items, mut credits, mut cash) = (0u64, 0i128, 0i128);
            for (field, value) in fields {
                match field.as_str() {
                    ROWS => {}
                    "items" => {
                        items = u64::try_from(*value)
                            .map_err(|_| Error::invalid_value("partial.items", value, "a count"))?;
                    }
                    "open_credits" => credits = *value,
                    "unapplied_cash" => cash = *value,
                    other => {
                        let slot = indexed(other, "bucket.")
                            .and_then(|b| buckets.get_mut(b))
                            .ok_or_else(|| unknown(other, "aging"))?;
                        *slot = *value;
                    }
                }
            }
            rows.push(RowSums {
                currency: *currency,
                group,
                buckets,
                items,
                credits,
                cash,
            });
        }
        check_aging_sums(&rows)?;
        for r in rows {
            let names: Vec<&str> = r.group.iter().map(String::as_str).collect();
            let row = acc.row_id(&names, r.currency);
            acc.add_sums(row, &r.buckets, r.items, r.credits, r.cash);
        }
        acc.finish()
    }

    /// The metrics the merged parts give together: the same rows as
    /// [`PreparedBook::metrics`] over the whole book (sorted by currency
    /// then group, as there).
    ///
    /// # Errors
    /// As [`Partial::finish_aging`]; [`Error::LimitExceeded`] as
    /// [`PreparedBook::metrics`].
    pub fn finish_metrics(&self, options: &MetricsOptions) -> Result<Vec<MetricsRow>> {
        self.check_options(&metrics_options(options)?)?;
        let p = options.period;
        let end_day = columns::day(p.end);
        // The countback months of the whole book: trimmed at its first
        // invoice's month, as one process trims them.
        let floor = match self.first_day {
            Some(d) => d
                .checked_add(UNIX_EPOCH_DAY)
                .and_then(|d| i32::try_from(d).ok())
                .ok_or_else(|| {
                    Error::invalid_value("partial.first_invoice_day", d, "not a date")
                })?,
            None => end_day,
        };
        let wanted = usize::try_from(options.countback_months.max(1)).unwrap_or(usize::MAX);
        crate::limits::check_count("countback_months", wanted, crate::limits::MAX_PERIODS)?;
        let months = engine::month_starts(p.end, wanted, floor).len();
        let mut accs = Vec::with_capacity(self.rows.len());
        for ((currency, group), fields) in &self.rows {
            let mut a = Acc {
                group: group.clone(),
                currency: Some(*currency),
                monthly: vec![0; months],
                ..Acc::default()
            };
            let mut t = TimingAcc::default();
            let narrow = |v: i128, field: &str| {
                i64::try_from(v).map_err(|_| Error::overflow(&format!("partial.{field}")))
            };
            for (field, value) in fields {
                let v = *value;
                match field.as_str() {
                    ROWS => {}
                    "ar_begin" => a.ar_begin = v,
                    "ar_end" => a.ar_end = v,
                    "current_end" => a.current_end = v,
                    "credit_sales" => a.sales = v,
                    "payments" => {
                        t.n = u64::try_from(v)
                            .map_err(|_| Error::invalid_value("partial.payments", v, "a count"))?;
                    }
                    "days_to_pay" => t.sum_pay = narrow(v, field)?,
                    "days_beyond_terms" => t.sum_late = narrow(v, field)?,
                    "amount_days_to_pay" => t.w_pay = v,
                    "amount_days_beyond_terms" => t.w_late = v,
                    "paid_amount" => t.amount = v,
                    other => {
                        let slot = indexed(other, "credit_sales.month.")
                            .and_then(|m| a.monthly.get_mut(m))
                            .ok_or_else(|| unknown(other, "metrics"))?;
                        *slot = v;
                    }
                }
            }
            a.timing = t;
            accs.push(a);
        }
        engine::finish_metrics(
            MetricsSums {
                accs,
                month_days: engine::month_days(p, months),
            },
            options,
        )
    }
}

/// An aging row's sums, read from a partial.
struct RowSums<'a> {
    currency: Currency,
    group: &'a Vec<String>,
    buckets: Vec<i128>,
    items: u64,
    credits: i128,
    cash: i128,
}

/// Adds `value` into `field` of `row`, checked.
fn add_to(row: &mut BTreeMap<String, i128>, field: &str, value: i128) -> Result<()> {
    let slot = row.entry(field.to_owned()).or_insert(0);
    *slot = slot
        .checked_add(value)
        .ok_or_else(|| Error::overflow(&format!("partial.{field}")))?;
    Ok(())
}

fn different(found: &str, expected: &str) -> Error {
    let (key, found, expected) = difference(found, expected);
    Error::invalid_value(
        "partial.options",
        format!("{key} {found}"),
        &format!("partials of different options do not merge; the other has {key} {expected}"),
    )
}

/// The first option in which two options' JSON differ: its name and its
/// value in each (the whole text when they are not options of ar).
fn difference(a: &str, b: &str) -> (String, String, String) {
    let parse = |t: &str| serde_json::from_str::<serde_json::Value>(t).ok();
    let whole = || ("options".to_owned(), a.to_owned(), b.to_owned());
    let (Some(va), Some(vb)) = (parse(a), parse(b)) else {
        return whole();
    };
    if va.get("report") != vb.get("report") {
        let report =
            |v: &serde_json::Value| v.get("report").map(ToString::to_string).unwrap_or_default();
        return ("report".to_owned(), report(&va), report(&vb));
    }
    let (Some(oa), Some(ob)) = (
        va.get("options").and_then(|o| o.as_object()),
        vb.get("options").and_then(|o| o.as_object()),
    ) else {
        return whole();
    };
    let text = |v: &serde_json::Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    let shown = |v: Option<&serde_json::Value>| v.map_or_else(|| "(none)".to_owned(), text);
    oa.keys()
        .chain(ob.keys())
        .find(|k| oa.get(*k) != ob.get(*k))
        .map_or_else(whole, |k| (k.clone(), shown(oa.get(k)), shown(ob.get(k))))
}

fn unknown(field: &str, report: &str) -> Error {
    Error::invalid_value(
        "partial.field",
        field,
        &format!("not a field of a partial {report} with these options"),
    )
}

/// `n` of a field named `prefix` + `n`.
fn indexed(field: &str, prefix: &str) -> Option<usize> {
    let n = field.strip_prefix(prefix)?;
    // Only the digits the partial writes: no sign, no leading zero.
    if n.is_empty() || (n.len() > 1 && n.starts_with('0')) || !n.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    n.parse().ok()
}

/// The sums the accumulator makes (row totals and nets, totals per
/// currency) stay within i128, so that its wrapping additions are exact.
fn check_aging_sums(rows: &[RowSums<'_>]) -> Result<()> {
    let over = |field: &str| Error::overflow(&format!("aging.{field}"));
    let mut per_currency: BTreeMap<Currency, (Vec<i128>, i128, i128, i128)> = BTreeMap::new();
    for RowSums {
        currency,
        buckets,
        credits,
        cash,
        ..
    } in rows
    {
        let t = per_currency
            .entry(*currency)
            .or_insert_with(|| (vec![0; buckets.len()], 0, 0, 0));
        let mut total = 0i128;
        for (sum, b) in t.0.iter_mut().zip(buckets) {
            *sum = sum.checked_add(*b).ok_or_else(|| over("buckets"))?;
            total = total.checked_add(*b).ok_or_else(|| over("total"))?;
        }
        total
            .checked_sub(*credits)
            .and_then(|n| n.checked_sub(*cash))
            .ok_or_else(|| over("net"))?;
        t.1 =
            t.1.checked_add(*credits)
                .ok_or_else(|| over("open_credits"))?;
        t.2 =
            t.2.checked_add(*cash)
                .ok_or_else(|| over("unapplied_cash"))?;
        t.3 = t.3.checked_add(total).ok_or_else(|| over("total"))?;
    }
    for (buckets, credits, cash, _) in per_currency.values() {
        let total = buckets
            .iter()
            .try_fold(0i128, |a, b| a.checked_add(*b))
            .ok_or_else(|| over("total"))?;
        total
            .checked_sub(*credits)
            .and_then(|n| n.checked_sub(*cash))
            .ok_or_else(|| over("net"))?;
    }
    Ok(())
}

impl PreparedBook {
    /// The partial aging of this part of a book (see [`crate::partial`]):
    /// merged with the other parts' and finished by
    /// [`Partial::finish_aging`], the aging of the whole book.
    ///
    /// # Errors
    /// As [`PreparedBook::aging`]; [`Error::InvalidValue`] for `detail`.
    pub fn aging_partial(&self, options: &AgingOptions) -> Result<Partial> {
        let mut partial = Partial::new(aging_options(options)?);
        let report = self.aging(options)?;
        for r in report.rows {
            let c = r.currency;
            partial.row(c, r.group.clone())?;
            for (b, amount) in r.buckets.iter().enumerate() {
                partial.add(c, &r.group, &format!("bucket.{b}"), units(*amount, c)?)?;
            }
            partial.add(c, &r.group, "items", i128::from(r.items))?;
            partial.add(c, &r.group, "open_credits", units(r.open_credits, c)?)?;
            partial.add(c, &r.group, "unapplied_cash", units(r.unapplied_cash, c)?)?;
        }
        Ok(partial)
    }

    /// The partial metrics of this part of a book (see [`crate::partial`]):
    /// merged with the other parts' and finished by
    /// [`Partial::finish_metrics`], the metrics of the whole book.
    ///
    /// # Errors
    /// As [`PreparedBook::metrics`].
    pub fn metrics_partial(&self, options: &MetricsOptions) -> Result<Partial> {
        let mut partial = Partial::new(metrics_options(options)?);
        partial.first_day = self
            .first_invoice_day()
            .map(|d| i64::from(d).saturating_sub(UNIX_EPOCH_DAY));
        let sums = self.metrics_sums(options)?;
        for a in sums.accs {
            let Some(c) = a.currency else { continue };
            let g = &a.group;
            partial.row(c, g.clone())?;
            let t = &a.timing;
            for (field, value) in [
                ("ar_begin", a.ar_begin),
                ("ar_end", a.ar_end),
                ("current_end", a.current_end),
                ("credit_sales", a.sales),
                ("payments", i128::from(t.n)),
                ("days_to_pay", i128::from(t.sum_pay)),
                ("days_beyond_terms", i128::from(t.sum_late)),
                ("amount_days_to_pay", t.w_pay),
                ("amount_days_beyond_terms", t.w_late),
                ("paid_amount", t.amount),
            ] {
                partial.add(c, g, field, value)?;
            }
            for (m, value) in a.monthly.iter().enumerate() {
                partial.add(c, g, &format!("credit_sales.month.{m}"), *value)?;
            }
        }
        Ok(partial)
    }
}
