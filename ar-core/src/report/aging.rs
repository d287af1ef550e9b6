//! Aging: open items sorted into buckets by days past due (or since the
//! invoice date), grouped and totalled per currency.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::kinds::OpenItemKind;
use crate::limits::{check_count, check_len, MAX_BUCKETS, MAX_DIMENSIONS, MAX_KEY_LEN};

/// From which date an item's age is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeBasis {
    /// Days past the due date (negative: not yet due).
    #[default]
    DueDate,
    /// Days since the invoice date.
    InvoiceDate,
}

/// Bucket boundaries: each bound is the last day (inclusive) of a bucket; a
/// final bucket takes everything above the last bound. At most
/// [`MAX_BUCKETS`] bounds.
///
/// # Example
/// ```
/// use ar_core::Buckets;
/// let b = Buckets::default(); // current, 1-30, 31-60, 61-90, 91-120, over 120
/// assert_eq!(b.labels(), ["current", "1-30", "31-60", "61-90", "91-120", "over 120"]);
/// assert_eq!(b.index(-5), 0);
/// assert_eq!(b.index(30), 1);
/// assert_eq!(b.index(121), 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Vec<i64>", into = "Vec<i64>")]
pub struct Buckets {
    bounds: Vec<i64>,
}

impl Default for Buckets {
    fn default() -> Self {
        Buckets {
            bounds: vec![0, 30, 60, 90, 120],
        }
    }
}

impl TryFrom<Vec<i64>> for Buckets {
    type Error = Error;
    fn try_from(bounds: Vec<i64>) -> Result<Self> {
        Buckets::new(bounds)
    }
}

impl From<Buckets> for Vec<i64> {
    fn from(b: Buckets) -> Self {
        b.bounds
    }
}

impl Buckets {
    /// Buckets ending at the given days, strictly increasing: `[0, 30, 60]`
    /// gives current (up to 0), 1-30, 31-60 and over 60.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for no bounds or bounds that do not increase;
    /// [`Error::LimitExceeded`] for more than [`MAX_BUCKETS`] bounds.
    pub fn new(bounds: Vec<i64>) -> Result<Self> {
        check_count("buckets", bounds.len(), MAX_BUCKETS)?;
        if bounds.is_empty() {
            return Err(Error::invalid_value(
                "buckets",
                "[]",
                "at least one bound is required",
            ));
        }
        if bounds.windows(2).any(|w| matches!(w, [a, b] if a >= b)) {
            return Err(Error::invalid_value(
                "buckets",
                format!("{bounds:?}"),
                "bounds must strictly increase",
            ));
        }
        Ok(Buckets { bounds })
    }

    /// The bounds.
    pub fn bounds(&self) -> &[i64] {
        &self.bounds
    }

    /// Number of buckets (bounds + 1).
    pub fn len(&self) -> usize {
        // At most MAX_BUCKETS bounds: cannot saturate.
        self.bounds.len().saturating_add(1)
    }

    /// Never true: there is always a final bucket.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The bucket of an item `days` old.
    pub fn index(&self, days: i64) -> usize {
        self.bounds.partition_point(|b| *b < days)
    }

    /// Labels: `"current"` for a first bucket ending at 0, `"up to N"` for
    /// another first bucket, `"A-B"` in between, `"over N"` last.
    pub fn labels(&self) -> Vec<String> {
        let mut out = Vec::with_capacity(self.len());
        let mut prev: Option<i64> = None;
        for b in &self.bounds {
            out.push(match prev {
                None if *b == 0 => "current".to_owned(),
                None => format!("up to {b}"),
                // Bounds strictly increase, so `p < b` and `p + 1` is exact.
                Some(p) => format!("{}-{b}", p.saturating_add(1)),
            });
            prev = Some(*b);
        }
        out.push(format!("over {}", prev.unwrap_or(0)));
        out
    }
}

/// What an aging groups by. Several keys group by their combination.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "by", content = "key", rename_all = "snake_case")]
pub enum GroupBy {
    /// The customer id (`"(unknown)"` for cash from an unidentified payer).
    Customer,
    /// A customer dimension such as `region` (`""` where the customer has none).
    CustomerDimension(String),
    /// An invoice dimension (`""` where the item has none: cash, standalone credits).
    InvoiceDimension(String),
}

impl std::str::FromStr for GroupBy {
    type Err = Error;

    /// Parses `"customer"`, `"customer.<key>"` or `"invoice.<key>"`.
    ///
    /// # Example
    /// ```
    /// use ar_core::GroupBy;
    /// assert_eq!("customer.region".parse::<GroupBy>().unwrap(), GroupBy::CustomerDimension("region".into()));
    /// assert!("region".parse::<GroupBy>().is_err());
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidValue`] (field `group_by`) for anything else.
    fn from_str(text: &str) -> Result<Self> {
        GroupBy::parse_field("group_by", text)
    }
}

impl GroupBy {
    /// Like `str::parse`, naming `field` (e.g. `"groupBy[1]"`) in the error.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] naming `field`; [`Error::LimitExceeded`] for
    /// a key longer than [`MAX_KEY_LEN`] bytes.
    pub fn parse_field(field: &str, text: &str) -> Result<Self> {
        if let Some((_, key)) = text.split_once('.') {
            check_len(field, key, MAX_KEY_LEN)?;
        }
        let bad = || {
            Error::invalid_value(
                field,
                text,
                "expected \"customer\", \"customer.<key>\" or \"invoice.<key>\"",
            )
        };
        match text.split_once('.') {
            None if text == "customer" => Ok(GroupBy::Customer),
            Some(("customer", key)) if !key.is_empty() => {
                Ok(GroupBy::CustomerDimension(key.to_owned()))
            }
            Some(("invoice", key)) if !key.is_empty() => {
                Ok(GroupBy::InvoiceDimension(key.to_owned()))
            }
            _ => Err(bad()),
        }
    }

    /// The dimension key, if it is one.
    fn key(&self) -> Option<&str> {
        match self {
            GroupBy::Customer => None,
            GroupBy::CustomerDimension(k) | GroupBy::InvoiceDimension(k) => Some(k),
        }
    }
}

/// Checks the keys of a report's `group_by`: how many, and how long each is.
///
/// # Errors
/// [`Error::LimitExceeded`] for more than [`MAX_DIMENSIONS`] keys or a key
/// longer than [`MAX_KEY_LEN`] bytes.
pub(crate) fn check_group_by(group_by: &[GroupBy]) -> Result<()> {
    check_count("group_by", group_by.len(), MAX_DIMENSIONS)?;
    for (i, g) in group_by.iter().enumerate() {
        if let Some(key) = g.key() {
            check_len(&format!("group_by[{i}]"), key, MAX_KEY_LEN)?;
        }
    }
    Ok(())
}

/// One group's aging in one currency. Invoices are bucketed; open credits
/// and unapplied cash are shown beside them, never netted into buckets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AgingRow {
    /// Values of the group-by keys, in order (empty for the whole book).
    pub group: Vec<String>,
    /// Currency.
    pub currency: Currency,
    /// Open invoice amounts per bucket.
    pub buckets: Vec<Decimal>,
    /// Sum of the buckets: open invoices.
    #[serde(with = "crate::serde_decimal")]
    pub total: Decimal,
    /// Open credit memos.
    #[serde(with = "crate::serde_decimal")]
    pub open_credits: Decimal,
    /// Unapplied cash.
    #[serde(with = "crate::serde_decimal")]
    pub unapplied_cash: Decimal,
    /// `total - open_credits - unapplied_cash`.
    #[serde(with = "crate::serde_decimal")]
    pub net: Decimal,
    /// Number of open invoice items (installments) in the buckets.
    pub items: u64,
}

/// One open item in an aging detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AgingLine {
    /// Values of the group-by keys.
    pub group: Vec<String>,
    /// What it is.
    pub kind: OpenItemKind,
    /// Customer (`None` for an unidentified payer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// Invoice, credit memo or receipt id.
    pub id: String,
    /// Installment number for invoices with several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installment: Option<u32>,
    /// Currency.
    pub currency: Currency,
    /// Document date.
    pub date: NaiveDate,
    /// Due date (invoices).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<NaiveDate>,
    /// Age in days on the report's basis (invoices; for credits and cash,
    /// days since their date).
    pub days: i64,
    /// Bucket index (invoices only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket: Option<usize>,
    /// Amount open.
    #[serde(with = "crate::serde_decimal")]
    pub open: Decimal,
}

/// An aging report: summary rows per group and currency, totals per
/// currency, and optionally every line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AgingReport {
    /// Date the items are aged at.
    pub as_of: NaiveDate,
    /// Basis of the ages.
    pub basis: AgeBasis,
    /// Bucket labels.
    pub labels: Vec<String>,
    /// Group-by keys, named (`"customer"`, `"region"`, ...).
    pub group_by: Vec<String>,
    /// One row per group and currency, in order of first appearance.
    pub rows: Vec<AgingRow>,
    /// One row per currency for the whole book, in currency-code order.
    pub totals: Vec<AgingRow>,
    /// Every open item, when asked for.
    pub detail: Vec<AgingLine>,
    /// Customers on credit hold as the report's view sees them, by id in
    /// order, so that the report flags them (empty for a book given as
    /// tables, which has no holds).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credit_holds: Vec<String>,
}

/// How to age.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgingOptions {
    /// Age as of this business date (events effective after it are ignored).
    pub as_of: NaiveDate,
    /// Only events recorded by this time (the books as they stood then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Age from the due date or from the invoice date.
    #[serde(default)]
    pub basis: AgeBasis,
    /// Bucket boundaries.
    #[serde(default)]
    pub buckets: Buckets,
    /// Group-by keys; empty for the whole book. At most [`MAX_DIMENSIONS`].
    #[serde(default)]
    pub group_by: Vec<GroupBy>,
    /// Also list every open item.
    #[serde(default)]
    pub detail: bool,
}

impl AgingOptions {
    /// Aging by due date into the default buckets, by customer, as of `as_of`.
    pub fn new(as_of: NaiveDate) -> Self {
        AgingOptions {
            as_of,
            known_at: None,
            basis: AgeBasis::default(),
            buckets: Buckets::default(),
            group_by: vec![GroupBy::Customer],
            detail: false,
        }
    }
}

#[derive(Debug)]
struct RowAcc {
    group: Vec<String>,
    currency: Currency,
    buckets: Vec<i128>,
    credits: i128,
    cash: i128,
    items: u64,
}

/// Accumulates items into rows, in integer minor units of each row's
/// currency; shared by the ledger and the bulk paths.
///
/// The amounts come from the column engine, whose amounts have magnitudes
/// that sum to at most `MAX_MAGNITUDE` (2^96 - 1; checked by the ledger
/// and the bulk book). No sum here can then leave the i128 range (2^127),
/// so the sums wrap, which is exact, instead of checking on every item; a
/// sum beyond what a `Decimal` holds is [`Error::Overflow`] in [`Self::finish`].
#[derive(Debug)]
pub(crate) struct AgingAccumulator {
    report: AgingReport,
    buckets: Buckets,
    rows: Vec<RowAcc>,
    // Bucket amounts of all rows in one array (row-major): adding an item
    // touches one cache line, not a small heap vector per row.
    cells: Vec<i128>,
    counts: Vec<u64>,
    index: std::collections::HashMap<(Vec<String>, Currency), usize>,
}

/// `units` minor units of `currency` as a decimal.
///
/// # Errors
/// [`Error::Overflow`] naming `field` beyond a `Decimal`.
pub(crate) fn to_decimal(units: i128, currency: Currency, field: &str) -> Result<Decimal> {
    Decimal::try_from_i128_with_scale(units, currency.minor_units())
        .map_err(|_| Error::overflow(field))
}

impl AgingAccumulator {
    /// An empty report for `options`.
    pub fn new(options: &AgingOptions) -> Self {
        AgingAccumulator {
            report: AgingReport {
                as_of: options.as_of,
                basis: options.basis,
                labels: options.buckets.labels(),
                group_by: options
                    .group_by
                    .iter()
                    .map(|g| match g {
                        GroupBy::Customer => "customer".to_owned(),
                        GroupBy::CustomerDimension(k) | GroupBy::InvoiceDimension(k) => k.clone(),
                    })
                    .collect(),
                rows: Vec::new(),
                totals: Vec::new(),
                detail: Vec::new(),
                credit_holds: Vec::new(),
            },
            buckets: options.buckets.clone(),
            rows: Vec::new(),
            cells: Vec::new(),
            counts: Vec::new(),
            index: std::collections::HashMap::new(),
        }
    }

    /// The row of a group and currency, created on first use. Callers
    /// resolve a group once and reuse the id for every item of it.
    pub fn row_id(&mut self, group: &[&str], currency: Currency) -> usize {
        let n = self.buckets.len();
        let key: Vec<String> = group.iter().map(|s| (*s).to_owned()).collect();
        let (rows, cells, counts) = (&mut self.rows, &mut self.cells, &mut self.counts);
        *self.index.entry((key, currency)).or_insert_with(|| {
            cells.extend(std::iter::repeat_n(0, n));
            counts.push(0);
            let id = rows.len();
            rows.push(RowAcc {
                group: group.iter().map(|s| (*s).to_owned()).collect(),
                currency,
                buckets: Vec::new(),
                credits: 0,
                cash: 0,
                items: 0,
            });
            id
        })
    }

    /// The bucket of an item `days` old.
    pub fn bucket(&self, days: i64) -> usize {
        self.buckets.index(days)
    }

    /// Adds an open invoice item of `open` minor units to `bucket` of row `row`.
    #[inline]
    pub fn add_invoice(&mut self, row: usize, bucket: usize, open: i128) {
        let n = self.buckets.len();
        // `row` is below the number of rows and `bucket` below `n`: the
        // index is below `cells.len()` (rows x n), an allocated length, so
        // it cannot wrap; a wrong one would only miss (`get_mut`).
        let k = row.wrapping_mul(n).wrapping_add(bucket);
        if let Some(cell) = self.cells.get_mut(k) {
            // Within the column engine's bound (see the type): exact.
            *cell = cell.wrapping_add(open);
        }
        if let Some(c) = self.counts.get_mut(row) {
            *c = c.saturating_add(1);
        }
    }

    /// Adds the sums of row `row` as another part of the book holds them:
    /// bucket amounts, the number of items, open credits and cash. The
    /// caller has checked that no sum of them leaves the i128 range.
    pub fn add_sums(
        &mut self,
        row: usize,
        buckets: &[i128],
        items: u64,
        credits: i128,
        cash: i128,
    ) {
        let n = self.buckets.len();
        for (bucket, open) in buckets.iter().enumerate().take(n) {
            // As in `add_invoice`: below `cells.len()`, cannot wrap.
            let k = row.wrapping_mul(n).wrapping_add(bucket);
            if let Some(cell) = self.cells.get_mut(k) {
                *cell = cell.wrapping_add(*open);
            }
        }
        if let Some(c) = self.counts.get_mut(row) {
            *c = c.saturating_add(items);
        }
        self.add_credit(row, credits);
        self.add_cash(row, cash);
    }

    /// Adds an open credit memo (minor units) to row `row`.
    pub fn add_credit(&mut self, row: usize, open: i128) {
        if let Some(r) = self.rows.get_mut(row) {
            r.credits = r.credits.wrapping_add(open);
        }
    }

    /// Adds unapplied cash (minor units) to row `row`.
    pub fn add_cash(&mut self, row: usize, open: i128) {
        if let Some(r) = self.rows.get_mut(row) {
            r.cash = r.cash.wrapping_add(open);
        }
    }

    /// Group values of row `row`.
    pub fn group_of(&self, row: usize) -> Vec<String> {
        self.rows
            .get(row)
            .map(|r| r.group.clone())
            .unwrap_or_default()
    }

    /// Adds a detail line.
    pub fn add_line(&mut self, line: AgingLine) {
        self.report.detail.push(line);
    }

    /// Totals per currency, decimal amounts, and the report.
    ///
    /// # Errors
    /// [`Error::Overflow`] for a sum beyond a `Decimal` (not reached from
    /// columns within their bound).
    pub fn finish(mut self) -> Result<AgingReport> {
        let n = self.buckets.len();
        for ((r, cells), count) in self
            .rows
            .iter_mut()
            .zip(self.cells.chunks(n.max(1)))
            .zip(&self.counts)
        {
            r.buckets = cells.to_vec();
            r.items = *count;
        }
        // One total per currency (a handful): found by a scan.
        let mut totals: Vec<RowAcc> = Vec::new();
        for r in &self.rows {
            let t = match totals.iter().position(|t| t.currency == r.currency) {
                Some(t) => t,
                None => {
                    let t = totals.len();
                    totals.push(RowAcc {
                        group: Vec::new(),
                        currency: r.currency,
                        buckets: vec![0; n],
                        credits: 0,
                        cash: 0,
                        items: 0,
                    });
                    t
                }
            };
            if let Some(t) = totals.get_mut(t) {
                for (a, b) in t.buckets.iter_mut().zip(&r.buckets) {
                    *a = a.wrapping_add(*b);
                }
                t.credits = t.credits.wrapping_add(r.credits);
                t.cash = t.cash.wrapping_add(r.cash);
                t.items = t.items.saturating_add(r.items);
            }
        }
        totals.sort_by_key(|t| t.currency);
        let convert = |r: RowAcc| -> Result<AgingRow> {
            let total = r.buckets.iter().fold(0i128, |a, b| a.wrapping_add(*b));
            let net = total.wrapping_sub(r.credits).wrapping_sub(r.cash);
            let dec = |v: i128, field: &str| to_decimal(v, r.currency, field);
            // Sized up front: a report has a row per customer.
            let mut buckets = Vec::with_capacity(r.buckets.len());
            for b in &r.buckets {
                buckets.push(dec(*b, "aging.buckets")?);
            }
            Ok(AgingRow {
                currency: r.currency,
                buckets,
                total: dec(total, "aging.total")?,
                open_credits: dec(r.credits, "aging.open_credits")?,
                unapplied_cash: dec(r.cash, "aging.unapplied_cash")?,
                net: dec(net, "aging.net")?,
                items: r.items,
                group: r.group,
            })
        };
        let mut rows = Vec::with_capacity(self.rows.len());
        for r in self.rows {
            rows.push(convert(r)?);
        }
        self.report.rows = rows;
        self.report.totals = totals.into_iter().map(convert).collect::<Result<_>>()?;
        Ok(self.report)
    }
}
