//! Books given directly as columns, as a notebook holds them in DataFrames:
//! invoices with their totals, the settlements applied to them, and open
//! credits and unapplied cash as they stand. Aging and metrics are computed
//! by the same column engine as the ledger's, without building a ledger and
//! without an object per row.
//!
//! # Example
//! ```
//! use ar_core::bulk::{Book, InvoiceColumns, SettlementColumns};
//! use ar_core::{AgingOptions, Currency};
//! use rust_decimal::Decimal;
//! let day = |s: &str| s.parse().unwrap();
//! let usd = Currency::new("USD").unwrap();
//! let book = Book {
//!     invoices: InvoiceColumns {
//!         id: ["I1", "I2"].into_iter().collect(),
//!         customer: ["A", "B"].into_iter().collect(),
//!         currency: vec![usd, usd],
//!         date: vec![day("2026-05-01"), day("2026-06-01")],
//!         due_date: vec![day("2026-05-31"), day("2026-07-01")],
//!         amount: vec![Decimal::new(10000, 2), Decimal::new(5000, 2)],
//!         dimensions: vec![],
//!     },
//!     settlements: SettlementColumns {
//!         invoice: ["I1"].into_iter().collect(),
//!         date: vec![day("2026-06-10")],
//!         amount: vec![Decimal::new(4000, 2)],
//!         kind: vec![],
//!     },
//!     ..Book::default()
//! };
//! let book = book.prepare().unwrap();
//! let aging = book.aging(&AgingOptions::new(day("2026-06-30"))).unwrap();
//! // I1: 60.00 open, 30 days past due; I2: 50.00, not yet due.
//! assert_eq!(aging.totals[0].buckets[1].to_string(), "60.00");
//! assert_eq!(aging.totals[0].buckets[0].to_string(), "50.00");
//! ```

use std::collections::HashMap;

/// Customer ids are hashed with foldhash (as invoice ids are, in
/// `join.rs`): a million of them are looked up, and SipHash is several
/// times slower on short keys. It is still seeded per process.
type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::aging::{AgingOptions, AgingReport, GroupBy};
use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::heap::{self, Heap};
use crate::join::{self, RowIndex};
use crate::limits::{check_count, check_len, MAX_DIMENSIONS, MAX_KEY_LEN};
use crate::money::check_positive;
use crate::par::PARALLEL_ROWS;
use crate::report::columns::{self, ColCut, Columns};
use crate::report::engine::{self, Names};
use crate::report::{MetricsOptions, MetricsRow};
pub use crate::text::StrColumn;

/// What a settlement is. Only payments count for days-to-pay metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SettlementKind {
    /// Cash applied.
    #[default]
    Payment,
    /// A credit memo applied.
    Credit,
    /// An early-payment discount granted.
    Discount,
    /// An amount written off.
    WriteOff,
}

/// Invoices, one row each: id, customer, currency, dates and total.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceColumns {
    /// Unique ids.
    pub id: StrColumn,
    /// Customer ids.
    pub customer: StrColumn,
    /// Currencies.
    pub currency: Vec<Currency>,
    /// Invoice dates.
    pub date: Vec<NaiveDate>,
    /// Due dates.
    pub due_date: Vec<NaiveDate>,
    /// Totals, greater than zero, at most the currency's decimals.
    pub amount: Vec<Decimal>,
    /// Invoice dimensions: a name and one value per invoice.
    pub dimensions: Vec<(String, StrColumn)>,
}

/// Amounts settled on invoices, one row each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettlementColumns {
    /// Invoice ids.
    pub invoice: StrColumn,
    /// Dates, on or after the invoice date.
    pub date: Vec<NaiveDate>,
    /// Amounts, greater than zero, in the invoice's currency.
    pub amount: Vec<Decimal>,
    /// Kinds; empty means every row is a payment.
    pub kind: Vec<SettlementKind>,
}

/// Open credits or unapplied cash as they stand, one row each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenColumns {
    /// Ids (credit memo or receipt).
    pub id: StrColumn,
    /// Customer ids; empty for an unidentified payer.
    pub customer: StrColumn,
    /// Currencies.
    pub currency: Vec<Currency>,
    /// Dates.
    pub date: Vec<NaiveDate>,
    /// Open amounts, greater than zero.
    pub amount: Vec<Decimal>,
}

/// Customers, one row each: an id and its dimensions (region, sales rep,
/// ...), for grouping by `customer.<name>`. Optional: a customer missing
/// from it has no dimensions (`""` in a group).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerColumns {
    /// Unique customer ids, as the other tables name them.
    pub id: StrColumn,
    /// Customer dimensions: a name and one value per customer (`""` for none).
    pub dimensions: Vec<(String, StrColumn)>,
}

/// A book given as columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Book {
    /// Invoices.
    pub invoices: InvoiceColumns,
    /// Settlements on them.
    pub settlements: SettlementColumns,
    /// Open credit memos.
    pub open_credits: OpenColumns,
    /// Unapplied cash.
    pub unapplied_cash: OpenColumns,
    /// Customers with their dimensions.
    pub customers: CustomerColumns,
}

/// A validated book, ready for any number of reports.
#[derive(Debug, Clone)]
pub struct PreparedBook {
    book: Book,
    cols: Columns,
    /// Customer ids by index: rows of the invoice or open tables.
    customers: Vec<(u8, u32)>,
    /// Row of each customer (by index) in the customers table, `u32::MAX`
    /// for one not listed there.
    customer_rows: Vec<u32>,
}

fn lengths(table: &str, lens: &[usize]) -> Result<usize> {
    let n = lens.first().copied().unwrap_or(0);
    if lens.iter().any(|l| *l != n) {
        return Err(Error::invalid_value(
            table,
            format!("{lens:?}"),
            "all columns must have the same length",
        ));
    }
    Ok(n)
}

/// Each of `table`'s dimension columns has `n` values, one per `row`.
fn dimension_lengths(
    table: &str,
    dimensions: &[(String, StrColumn)],
    n: usize,
    row: &str,
) -> Result<()> {
    match dimensions.iter().find(|(_, values)| values.len() != n) {
        Some((name, values)) => Err(Error::invalid_value(
            &format!("{table}.{name}"),
            values.len(),
            &format!("a dimension needs one value per {row}"),
        )),
        None => Ok(()),
    }
}

/// Each of `table`'s dimensions: how many, the length of each name and,
/// with `values`, of each value.
///
/// # Errors
/// [`Error::LimitExceeded`] for more than [`MAX_DIMENSIONS`] dimensions,
/// or a name or value longer than [`MAX_KEY_LEN`] bytes.
fn dimension_limits(table: &str, dimensions: &[(String, StrColumn)], values: bool) -> Result<()> {
    let field = format!("{table}.dimensions");
    check_count(&field, dimensions.len(), MAX_DIMENSIONS)?;
    for (name, column) in dimensions {
        check_len(&format!("{field}.key"), name, MAX_KEY_LEN)?;
        let long = values
            .then(|| column.first_longer_than(MAX_KEY_LEN))
            .flatten();
        if let Some(row) = long {
            let value = column.get(row).unwrap_or_default();
            check_len(&format!("{table}.{name}[{row}]"), value, MAX_KEY_LEN)?;
        }
    }
    Ok(())
}

/// `amount` in minor units of `currency`, checked positive and not finer
/// than the currency; the field is only formatted on error.
///
/// # Errors
/// As [`check_positive`]; [`Error::Overflow`] for an amount too large to
/// be held at the currency's minor unit.
fn units(
    amount: Decimal,
    currency: Currency,
    table: &str,
    column: &str,
    row: usize,
) -> Result<i128> {
    let minor = currency.minor_units();
    // Fast path: already at the currency's scale (the usual case).
    if amount.scale() == minor {
        let m = amount.mantissa();
        if m > 0 {
            return Ok(m);
        }
    }
    // Slow path: the same checks as every other amount, naming the cell.
    let field = format!("{table}.{column}[{row}]");
    let amount = check_positive(&field, amount, currency)?;
    if amount.scale() != minor {
        // Too many digits to hold at the minor unit: its mantissa would
        // read as minor units off by a power of ten.
        return Err(Error::overflow(&field));
    }
    Ok(amount.mantissa())
}

/// Runs `a` and `b`, on two cores unless `small`.
fn both<A: Send, B>(
    small: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B,
) -> Result<(A, B)> {
    crate::par::both(small, a, b).ok_or_else(|| Error::Internal {
        message: "a worker thread of the bulk layout failed".into(),
    })
}

impl Book {
    /// Validates the book and lays it out for reports.
    ///
    /// # Errors
    /// Naming the table, column and row: [`Error::InvalidValue`] for columns
    /// of different lengths; [`Error::DuplicateId`] for an invoice id used
    /// twice; [`Error::NotFound`] for a settlement of an unknown invoice;
    /// [`Error::InvalidAmount`] for an amount that is not positive;
    /// [`Error::TooManyDecimals`]; [`Error::DateBeforeDocument`] for a
    /// settlement dated before its invoice; [`Error::OverApplication`] when
    /// an invoice's settlements exceed its total; [`Error::LimitExceeded`]
    /// for more than [`MAX_DIMENSIONS`] invoice or customer dimensions, a
    /// dimension name or a customer's dimension value longer than
    /// [`MAX_KEY_LEN`] bytes;
    /// [`Error::Overflow`] for amounts that together leave the range the
    /// reports can hold.
    pub fn prepare(self) -> Result<PreparedBook> {
        // An invoice's dimension values are a column of the invoices table,
        // whatever their length, as the bindings' tables give them; a
        // customer's are bounded like a ledger customer's.
        dimension_limits("invoices", &self.invoices.dimensions, false)?;
        dimension_limits("customers", &self.customers.dimensions, true)?;
        // Lean columns unless the amounts together leave the i64 range,
        // which only then is known: laid out again in full.
        let mut cols = self.layout(Columns::lean())?;
        if cols.0.wide() {
            cols = self.layout(Columns::default())?;
        }
        if cols.0.magnitude_bound() > columns::MAX_MAGNITUDE {
            // Reports could not hold their sums.
            return Err(Error::overflow("amount"));
        }
        let mut book = PreparedBook {
            customers: cols.1,
            cols: cols.0,
            book: self,
            customer_rows: Vec::new(),
        };
        book.customer_rows = book.customer_rows()?;
        Ok(book)
    }

    fn layout<'b>(&'b self, mut cols: Columns) -> Result<(Columns, Vec<(u8, u32)>)> {
        let inv = &self.invoices;
        let n = lengths(
            "invoices",
            &[
                inv.id.len(),
                inv.customer.len(),
                inv.currency.len(),
                inv.date.len(),
                inv.due_date.len(),
                inv.amount.len(),
            ],
        )?;
        dimension_lengths("invoices", &inv.dimensions, n, "invoice")?;
        if n >= u32::MAX as usize {
            return Err(Error::invalid_value(
                "invoices",
                n,
                "at most 4294967294 rows",
            ));
        }
        // Invoice columns are laid out whole (`Columns::extend_invoices`).
        cols.reserve(
            0,
            self.settlements.invoice.len(),
            self.open_credits
                .id
                .len()
                .saturating_add(self.unapplied_cash.id.len()),
        );
        // Customers are named by where they first appear: (table, row).
        let mut customers: Vec<(u8, u32)> = Vec::new();
        let mut customer_index: Map<&'b str, u32> = Map::default();
        let mut intern = |c: &'b str, at: (u8, usize), customers: &mut Vec<(u8, u32)>| -> u32 {
            *customer_index.entry(c).or_insert_with(|| {
                let index = u32::try_from(customers.len()).unwrap_or(u32::MAX);
                customers.push((at.0, u32::try_from(at.1).unwrap_or(u32::MAX)));
                index
            })
        };
        let small = n < PARALLEL_ROWS;
        // Two cores: one indexes the ids and turns dates into day numbers,
        // the other (this one) names each invoice's customer and checks its
        // total; the columns are then laid out whole.
        let mut bad_amount = None;
        let (indexed, named) = both(
            small,
            || {
                let ids = RowIndex::new(&inv.id);
                let day = |d: &NaiveDate| columns::day(*d);
                let date: Vec<i32> = inv.date.iter().map(day).collect();
                let due: Vec<i32> = inv.due_date.iter().map(day).collect();
                (ids, date, due)
            },
            || -> std::result::Result<_, usize> {
                let mut customer = Vec::with_capacity(n);
                let mut total = Vec::with_capacity(n);
                for (row, (c, (&currency, &amount))) in inv
                    .customer
                    .iter()
                    .zip(inv.currency.iter().zip(&inv.amount))
                    .enumerate()
                {
                    match units(amount, currency, "invoices", "amount", row) {
                        Ok(units) => total.push(units),
                        Err(e) => {
                            bad_amount = Some(e);
                            return Err(row);
                        }
                    }
                    customer.push(intern(c, (0, row), &mut customers));
                }
                Ok((customer, total))
            },
        )?;
        let (ids, date, due) = indexed;
        let duplicate = |row: usize| Error::DuplicateId {
            field: format!("invoices.id[{row}]"),
            kind: "invoice".into(),
            id: inv.id.get(row).unwrap_or_default().to_owned(),
        };
        // The earliest row's error, a duplicate id before a bad amount on
        // the same row.
        let ids = match (ids, named) {
            (Ok(ids), Ok((customer, total))) => {
                cols.extend_invoices(customer, &inv.currency, date, due, &total);
                ids
            }
            (Err(row), Ok(_)) => return Err(duplicate(row)),
            (Err(row), Err(bad)) if row <= bad => return Err(duplicate(row)),
            (_, Err(_)) => {
                return Err(bad_amount.unwrap_or_else(|| Error::Internal {
                    message: "an invoice was refused but no error was kept".into(),
                }))
            }
        };
        let s = &self.settlements;
        let m = lengths(
            "settlements",
            &[s.invoice.len(), s.date.len(), s.amount.len()],
        )?;
        if !s.kind.is_empty() && s.kind.len() != m {
            return Err(Error::invalid_value(
                "settlements.kind",
                s.kind.len(),
                "give one kind per settlement, or none",
            ));
        }
        if u32::try_from(m).is_err() {
            return Err(Error::invalid_value(
                "settlements",
                m,
                "at most 4294967295 rows",
            ));
        }
        // The join itself, on both cores, in row order: each settlement's
        // invoice, day and amount, checked. Each half stops at its first
        // bad row; the front half's is the earlier.
        let mut due = vec![Due::default(); m];
        let (front, back) = due.split_at_mut(m / 2);
        let (a, b) = both(
            m < PARALLEL_ROWS,
            || self.settle(front, 0, &ids, &cols),
            || self.settle(back, m / 2, &ids, &cols),
        )?;
        a.and(b)?;
        // Laid out in invoice order (rows of one invoice in their own
        // order): the per-invoice columns are then read and written in one
        // forward sweep instead of at random. A counting sort: `end[i]` is
        // first where invoice i's rows start, then, once they are placed,
        // where they end.
        // Counts and their running sums are at most `m`, which fits u32:
        // the additions cannot saturate.
        let mut end = vec![0u32; n.saturating_add(1)];
        for d in &due {
            if let Some(c) = end.get_mut((d.invoice as usize).saturating_add(1)) {
                *c = c.saturating_add(1);
            }
        }
        let mut at = 0u32;
        for c in end.iter_mut() {
            at = at.saturating_add(*c);
            *c = at;
        }
        let mut placed = vec![Placed::default(); m];
        for (row, d) in due.iter().enumerate() {
            if let Some(c) = end.get_mut(d.invoice as usize) {
                if let Some(p) = placed.get_mut(*c as usize) {
                    *p = Placed {
                        amount: d.amount,
                        day: d.day,
                        row: u32::try_from(row).unwrap_or(u32::MAX),
                    };
                }
                *c = c.saturating_add(1);
            }
        }
        drop(due);
        let mut begin = 0usize;
        for (i, &stop) in end.iter().take(n).enumerate() {
            let (Some(&currency), Some(rows)) =
                (cols.inv_currency.get(i), placed.get(begin..stop as usize))
            else {
                break;
            };
            begin = stop as usize;
            let index = u32::try_from(i).unwrap_or(u32::MAX);
            let mut done = 0i128;
            for p in rows {
                let amount = if p.amount == i64::MIN {
                    // Beyond i64: taken again from its row.
                    let row = p.row as usize;
                    let cell = s.amount.get(row).copied().unwrap_or_default();
                    units(cell, currency, "settlements", "amount", row)?
                } else {
                    i128::from(p.amount)
                };
                done = done
                    .checked_add(amount)
                    .ok_or_else(|| Error::overflow("settlements.amount"))?;
                // A positive mantissa (under 2^96): its negation is exact.
                cols.change(index, (p.day, 0), amount.wrapping_neg());
                if s.kind.get(p.row as usize).copied().unwrap_or_default()
                    == SettlementKind::Payment
                {
                    let app = u32::try_from(cols.app_reversed.len()).unwrap_or(u32::MAX);
                    cols.push_application();
                    cols.payment(index, (p.day, 0), amount, app);
                }
            }
            // The total is exact in the i64 column unless it does not fit
            // (0 there): the book is then laid out again in full.
            let total = match cols.inv_total.get(i) {
                Some(&t) => t,
                None => i128::from(cols.inv_total64.get(i).copied().unwrap_or(0)),
            };
            if total > 0 && done > total {
                return Err(Error::OverApplication {
                    field: "settlements.amount".into(),
                    requested: columns::from_minor(done, currency).to_string(),
                    available: columns::from_minor(total, currency).to_string(),
                    target: format!("invoice {}", inv.id.get(i).unwrap_or_default()),
                });
            }
        }
        for (code, table, cash, open) in [
            (1u8, "open_credits", false, &self.open_credits),
            (2u8, "unapplied_cash", true, &self.unapplied_cash),
        ] {
            let k = lengths(
                table,
                &[
                    open.id.len(),
                    open.customer.len(),
                    open.currency.len(),
                    open.date.len(),
                    open.amount.len(),
                ],
            )?;
            for row in 0..k {
                let (Some(customer), Some(&currency), Some(&date), Some(&amount)) = (
                    open.customer.get(row),
                    open.currency.get(row),
                    open.date.get(row),
                    open.amount.get(row),
                ) else {
                    break;
                };
                let base = units(amount, currency, table, "amount", row)?;
                let c =
                    (!customer.is_empty()).then(|| intern(customer, (code, row), &mut customers));
                cols.push_source(
                    cash,
                    c,
                    currency,
                    (columns::day(date), 0),
                    base,
                    u32::MAX,
                    u32::try_from(row).unwrap_or(u32::MAX),
                );
            }
        }
        Ok((cols, customers))
    }
    /// Checks settlement rows from `first` on, in row order, into `out`:
    /// each one's invoice, day and amount in minor units.
    ///
    /// # Errors
    /// For the first bad row: an unknown invoice, an amount that is not
    /// positive or too fine, or a date before the invoice's.
    fn settle(
        &self,
        out: &mut [Due],
        first: usize,
        ids: &RowIndex<'_>,
        cols: &Columns,
    ) -> Result<()> {
        let s = &self.settlements;
        let mut found = [None; join::BATCH];
        let starts = (first..).step_by(join::BATCH);
        for (start, batch) in starts.zip(out.chunks_mut(join::BATCH)) {
            let found = found.get_mut(..batch.len()).unwrap_or_default();
            ids.find_batch(&s.invoice, start, found);
            for ((row, slot), i) in (start..).zip(batch.iter_mut()).zip(found.iter()) {
                let (Some(invoice), Some(&date), Some(&amount)) =
                    (s.invoice.get(row), s.date.get(row), s.amount.get(row))
                else {
                    return Ok(());
                };
                let Some(i) = *i else {
                    return Err(Error::not_found(
                        &format!("settlements.invoice[{row}]"),
                        "invoice",
                        invoice,
                    ));
                };
                let (Some(&currency), Some(&inv_day)) = (
                    cols.inv_currency.get(i as usize),
                    cols.inv_date.get(i as usize),
                ) else {
                    return Ok(());
                };
                let units = units(amount, currency, "settlements", "amount", row)?;
                let day = columns::day(date);
                if day < inv_day {
                    return Err(Error::DateBeforeDocument {
                        field: format!("settlements.date[{row}]"),
                        date: date.to_string(),
                        document: format!("invoice {invoice}"),
                        document_date: NaiveDate::from_num_days_from_ce_opt(inv_day)
                            .unwrap_or_default()
                            .to_string(),
                    });
                }
                *slot = Due {
                    amount: i64::try_from(units).unwrap_or(i64::MIN),
                    day,
                    invoice: i,
                };
            }
        }
        Ok(())
    }
}

/// A settlement row, checked: minor units (`i64::MIN` when beyond i64),
/// day and invoice index.
#[derive(Debug, Clone, Copy, Default)]
struct Due {
    amount: i64,
    day: i32,
    invoice: u32,
}

/// A settlement in its invoice's place: minor units (as in [`Due`]), day
/// and row.
#[derive(Debug, Clone, Copy, Default)]
struct Placed {
    amount: i64,
    day: i32,
    row: u32,
}

impl PreparedBook {
    /// Checks the customers table and finds each customer's row in it.
    fn customer_rows(&self) -> Result<Vec<u32>> {
        let table = &self.book.customers;
        let n = table.id.len();
        dimension_lengths("customers", &table.dimensions, n, "customer")?;
        let mut rows: Map<&str, u32> = Map::default();
        rows.reserve(n);
        for (row, id) in table.id.iter().enumerate() {
            let r = u32::try_from(row).unwrap_or(u32::MAX);
            if rows.insert(id, r).is_some() {
                return Err(Error::DuplicateId {
                    field: format!("customers.id[{row}]"),
                    kind: "customer".into(),
                    id: id.to_owned(),
                });
            }
        }
        Ok((0..self.customers.len())
            .map(|c| {
                let c = u32::try_from(c).unwrap_or(u32::MAX);
                self.customer(c)
                    .and_then(|id| rows.get(id).copied())
                    .unwrap_or(u32::MAX)
            })
            .collect())
    }

    /// A group by a dimension the book does not have is refused rather
    /// than grouped as `""`: for a book given as columns it is a mistake.
    fn check_groups(&self, group_by: &[GroupBy]) -> Result<()> {
        for g in group_by {
            let (known, table, prefix, key) = match g {
                GroupBy::Customer => continue,
                GroupBy::CustomerDimension(key) => (
                    &self.book.customers.dimensions,
                    "the dimensions of its customers table",
                    "customer",
                    key,
                ),
                GroupBy::InvoiceDimension(key) => (
                    &self.book.invoices.dimensions,
                    "its invoice dimensions",
                    "invoice",
                    key,
                ),
            };
            if !known.iter().any(|(k, _)| k == key) {
                return Err(Error::invalid_value(
                    "group_by",
                    format!("{prefix}.{key}"),
                    &format!("the book has no {key:?} among {table}"),
                ));
            }
        }
        Ok(())
    }
}

impl Names for PreparedBook {
    fn customer(&self, c: u32) -> Option<&str> {
        let (table, row) = *self.customers.get(c as usize)?;
        let column = match table {
            0 => &self.book.invoices.customer,
            1 => &self.book.open_credits.customer,
            _ => &self.book.unapplied_cash.customer,
        };
        column.get(row as usize)
    }

    fn customer_dim(&self, c: u32, key: &str) -> Option<&str> {
        let row = *self.customer_rows.get(c as usize)?;
        self.book
            .customers
            .dimensions
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| v.get(row as usize))
    }

    fn invoice_dim(&self, i: u32, key: &str) -> Option<&str> {
        self.book
            .invoices
            .dimensions
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| v.get(i as usize))
    }

    fn invoice_id(&self, i: u32) -> Option<&str> {
        self.book.invoices.id.get(i as usize)
    }

    fn source_id(&self, s: u32) -> Option<&str> {
        let cash = *self.cols.src_is_cash.get(s as usize)?;
        let row = *self.cols.src_row.get(s as usize)? as usize;
        if cash {
            self.book.unapplied_cash.id.get(row)
        } else {
            self.book.open_credits.id.get(row)
        }
    }
}

impl PreparedBook {
    /// Ages the book as of `options.as_of`. Group by `customer`, by the
    /// invoice dimensions and by the dimensions of the customers table.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when `options.known_at` is set (a book given
    /// as columns has no recorded times), and for a group by a dimension
    /// the book was not given (field `group_by`); [`Error::LimitExceeded`]
    /// for more than [`MAX_DIMENSIONS`] `group_by` keys or a key longer than
    /// [`MAX_KEY_LEN`] bytes.
    pub fn aging(&self, options: &AgingOptions) -> Result<AgingReport> {
        no_known_at(options.known_at.is_some())?;
        crate::aging::check_group_by(&options.group_by)?;
        self.check_groups(&options.group_by)?;
        let cut = ColCut {
            day: columns::day(options.as_of),
            seq: u64::MAX,
        };
        engine::aging(&self.cols, self, cut, options, self.customers.len())
    }

    /// The metrics of [`crate::Ledger::metrics`] over the book, with
    /// settlements of kind payment as the payments.
    ///
    /// # Errors
    /// As [`PreparedBook::aging`]; [`Error::LimitExceeded`] for more than
    /// [`crate::limits::MAX_PERIODS`] `countback_months`.
    pub fn metrics(&self, options: &MetricsOptions) -> Result<Vec<MetricsRow>> {
        no_known_at(options.known_at.is_some())?;
        crate::aging::check_group_by(&options.group_by)?;
        self.check_groups(&options.group_by)?;
        let p = options.period;
        let end = ColCut {
            day: columns::day(p.end),
            seq: u64::MAX,
        };
        // The day before the period (day numbers are far from the i32 limits).
        let begin = ColCut {
            day: columns::day(p.start).saturating_sub(1),
            seq: u64::MAX,
        };
        engine::metrics(&self.cols, self, end, begin, options, self.customers.len())
    }

    /// Number of invoices.
    pub fn invoices(&self) -> usize {
        self.cols.invoices()
    }

    /// An estimate of the heap memory the book holds, in bytes: the
    /// columns it was given and those it laid out, by their capacity (see
    /// [`crate::Ledger::heap_bytes`]). Reads no row.
    pub fn heap_bytes(&self) -> usize {
        let PreparedBook {
            book,
            cols,
            customers,
            customer_rows,
        } = self;
        heap::sum([
            book.heap(),
            cols.heap(),
            heap::vec(customers),
            heap::vec(customer_rows),
        ])
    }
}

impl Heap for (String, StrColumn) {
    fn heap(&self) -> usize {
        heap::sum([self.0.capacity(), self.1.heap()])
    }
}

impl Heap for InvoiceColumns {
    fn heap(&self) -> usize {
        let InvoiceColumns {
            id,
            customer,
            currency,
            date,
            due_date,
            amount,
            dimensions,
        } = self;
        heap::sum([
            id.heap(),
            customer.heap(),
            heap::vec(currency),
            heap::vec(date),
            heap::vec(due_date),
            heap::vec(amount),
            heap::deep(dimensions),
        ])
    }
}

impl Heap for SettlementColumns {
    fn heap(&self) -> usize {
        let SettlementColumns {
            invoice,
            date,
            amount,
            kind,
        } = self;
        heap::sum([
            invoice.heap(),
            heap::vec(date),
            heap::vec(amount),
            heap::vec(kind),
        ])
    }
}

impl Heap for OpenColumns {
    fn heap(&self) -> usize {
        let OpenColumns {
            id,
            customer,
            currency,
            date,
            amount,
        } = self;
        heap::sum([
            id.heap(),
            customer.heap(),
            heap::vec(currency),
            heap::vec(date),
            heap::vec(amount),
        ])
    }
}

impl Heap for Book {
    fn heap(&self) -> usize {
        let Book {
            invoices,
            settlements,
            open_credits,
            unapplied_cash,
            customers,
        } = self;
        heap::sum([
            invoices.heap(),
            settlements.heap(),
            open_credits.heap(),
            unapplied_cash.heap(),
            customers.id.heap(),
            heap::deep(&customers.dimensions),
        ])
    }
}

fn no_known_at(set: bool) -> Result<()> {
    if set {
        return Err(Error::invalid_value(
            "known_at",
            "set",
            "a book given as columns has no recorded times",
        ));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use crate::metrics::Period;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }
    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// The metrics book of `tests/reports.rs` as columns: D's four invoices
    /// and two payments, Q2 2026.
    fn d_book() -> Book {
        let usd = Currency::new("USD").unwrap();
        Book {
            invoices: InvoiceColumns {
                id: ["J1", "J2", "J3", "J4"].into_iter().collect(),
                customer: ["D"; 4].into_iter().collect(),
                currency: vec![usd; 4],
                date: vec![
                    day("2026-03-15"),
                    day("2026-04-10"),
                    day("2026-05-20"),
                    day("2026-06-25"),
                ],
                due_date: vec![
                    day("2026-04-14"),
                    day("2026-05-10"),
                    day("2026-06-19"),
                    day("2026-07-25"),
                ],
                amount: vec![d("1000.00"), d("2000.00"), d("3000.00"), d("600.00")],
                dimensions: vec![("region".into(), ["N", "N", "S", "S"].into_iter().collect())],
            },
            settlements: SettlementColumns {
                invoice: ["J1", "J2"].into_iter().collect(),
                date: vec![day("2026-04-20"), day("2026-05-05")],
                amount: vec![d("1000.00"), d("1500.00")],
                kind: vec![],
            },
            ..Book::default()
        }
    }

    #[test]
    fn metrics_from_columns_match_the_hand_worked_figures() {
        let b = d_book().prepare().unwrap();
        let q2 = Period::new(day("2026-04-01"), day("2026-06-30")).unwrap();
        let m = &b.metrics(&MetricsOptions::new(q2)).unwrap()[0];
        assert_eq!(
            (m.ar_begin, m.ar_end, m.current_end, m.credit_sales),
            (d("1000.00"), d("4100.00"), d("600.00"), d("5600.00"))
        );
        assert_eq!(
            (m.dso_period_end, m.dso_countback, m.best_possible_dso),
            (Some(d("66.625")), Some(d("68.5")), Some(d("9.75")))
        );
        assert_eq!(m.timing.weighted_days_to_pay, Some(d("29.4")));
        let by_region = b
            .aging(&AgingOptions {
                group_by: vec![crate::GroupBy::InvoiceDimension("region".into())],
                ..AgingOptions::new(day("2026-06-30"))
            })
            .unwrap();
        // N: J2's 500.00 is 51 days past due; S: J3 3,000.00 11 days, J4 600.00 current.
        let n = by_region.rows.iter().find(|r| r.group == ["N"]).unwrap();
        assert_eq!(n.buckets[2], d("500.00"));
        let s = by_region.rows.iter().find(|r| r.group == ["S"]).unwrap();
        assert_eq!((s.buckets[0], s.buckets[1]), (d("600.00"), d("3000.00")));
    }

    /// A book big enough to be laid out on two threads.
    fn big_book(n: usize) -> Book {
        let usd = Currency::new("USD").unwrap();
        let ids: Vec<String> = (0..n).map(|i| format!("I{i}")).collect();
        Book {
            invoices: InvoiceColumns {
                id: ids.iter().map(String::as_str).collect(),
                customer: (0..n).map(|i| if i % 3 == 0 { "A" } else { "B" }).collect(),
                currency: vec![usd; n],
                date: vec![day("2026-05-01"); n],
                due_date: vec![day("2026-05-31"); n],
                amount: vec![d("100.00"); n],
                dimensions: vec![],
            },
            settlements: SettlementColumns {
                invoice: ids.iter().rev().map(String::as_str).collect(),
                date: vec![day("2026-06-01"); n],
                amount: vec![d("40.00"); n],
                kind: vec![],
            },
            ..Book::default()
        }
    }

    #[test]
    fn big_books_report_on_two_cores_as_on_one() {
        // 60,000 invoices of 100.00, due May 31, aged June 30 (1-30). The
        // front half's customers are C0-C4 (by i % 5), the back half's
        // D0-D2 (by i % 3); every invoice 999 mod 1000 is Z's, in both
        // halves. Rows come in the order one pass meets them.
        let n = 60_000;
        let mut b = big_book(n);
        let names: Vec<String> = (0..n)
            .map(|i| match i {
                _ if i % 1000 == 999 => "Z".to_owned(),
                _ if i < n / 2 => format!("C{}", i % 5),
                _ => format!("D{}", i % 3),
            })
            .collect();
        b.invoices.customer = names.iter().map(String::as_str).collect();
        b.settlements = SettlementColumns::default();
        let mut options = AgingOptions::new(day("2026-06-30"));
        options.detail = true;
        let a = b.clone().prepare().unwrap().aging(&options).unwrap();
        let rows: Vec<(&str, Decimal)> = a
            .rows
            .iter()
            .map(|r| (r.group[0].as_str(), r.buckets[1]))
            .collect();
        // Z takes 30 invoices from C4 (999 is 4 mod 5) and 10 from each D
        // (1000j + 999 for j = 30..59 is j mod 3).
        assert_eq!(
            rows,
            [
                ("C0", d("600000.00")),
                ("C1", d("600000.00")),
                ("C2", d("600000.00")),
                ("C3", d("600000.00")),
                ("C4", d("597000.00")),
                ("Z", d("6000.00")),
                ("D0", d("999000.00")),
                ("D1", d("999000.00")),
                ("D2", d("999000.00")),
            ]
        );
        assert_eq!(a.rows[5].items, 60);
        // Detail lines in installment order, across the halves.
        assert_eq!(a.detail.len(), n);
        assert_eq!(
            (a.detail[0].id.as_str(), a.detail[n - 1].id.as_str()),
            ("I0", "I59999")
        );
        assert_eq!(a.detail[30_000].group, ["D0"]);
        assert_eq!(a.detail[59_999].group, ["Z"]);
        // Metrics the same way (rows sorted by group): all sold in the
        // period, none paid.
        let book = b.prepare().unwrap();
        let period = Period::new(day("2026-05-01"), day("2026-06-30")).unwrap();
        let mut by_customer = MetricsOptions::new(period);
        by_customer.group_by = vec![GroupBy::Customer];
        let m = book.metrics(&by_customer).unwrap();
        let sales: Vec<(&str, Decimal, Decimal)> = m
            .iter()
            .map(|r| (r.group[0].as_str(), r.credit_sales, r.ar_end))
            .collect();
        let hundred = |k: i64| d("100.00") * Decimal::from(k);
        let expected: Vec<(&str, Decimal, Decimal)> = [
            ("C0", 6000),
            ("C1", 6000),
            ("C2", 6000),
            ("C3", 6000),
            ("C4", 5970),
            ("D0", 9990),
            ("D1", 9990),
            ("D2", 9990),
            ("Z", 60),
        ]
        .into_iter()
        .map(|(g, k)| (g, hundred(k), hundred(k)))
        .collect();
        assert_eq!(sales, expected);
    }

    #[test]
    fn big_books_name_the_first_bad_row() {
        let n = 3 * PARALLEL_ROWS;
        let b = big_book(n).prepare().unwrap();
        let a = b.aging(&AgingOptions::new(day("2026-06-30"))).unwrap();
        assert_eq!(a.totals[0].buckets[1], d("60.00") * Decimal::from(n));
        // Both halves of the book, on both cores: 100.00 each open on May
        // 31, 60.00 each after the June 1 settlements.
        let june = Period::new(day("2026-06-01"), day("2026-06-30")).unwrap();
        let m = b.metrics(&MetricsOptions::new(june)).unwrap();
        assert_eq!(m[0].ar_begin, d("100.00") * Decimal::from(n));
        assert_eq!(m[0].ar_end, d("60.00") * Decimal::from(n));
        let check = |edit: &dyn Fn(&mut Book), code: &str, field: &str| {
            let mut b = big_book(n);
            edit(&mut b);
            let e = b.prepare().unwrap_err();
            assert_eq!(e.code(), code, "{e}");
            assert!(e.to_string().contains(field), "{e}");
        };
        let dup = |b: &mut Book, row: usize| {
            let ids: Vec<String> = (0..n)
                .map(|i| format!("I{}", if i == row { 1 } else { i }))
                .collect();
            b.invoices.id = ids.iter().map(String::as_str).collect();
        };
        check(
            &|b| {
                dup(b, 50_000);
                b.invoices.amount[40_000] = d("0");
            },
            "invalid_amount",
            "invoices.amount[40000]",
        );
        check(
            &|b| {
                dup(b, 40_000);
                b.invoices.amount[50_000] = d("0");
            },
            "duplicate_id",
            "invoices.id[40000]",
        );
        check(
            &|b| {
                dup(b, 40_000);
                b.invoices.amount[40_000] = d("0");
            },
            "duplicate_id",
            "invoices.id[40000]",
        );
        check(
            &|b| {
                let mut ids: Vec<String> = (0..n).rev().map(|i| format!("I{i}")).collect();
                ids[50_000] = "nope".into();
                ids[55_000] = "nope either".into();
                b.settlements.invoice = ids.iter().map(String::as_str).collect();
            },
            "not_found",
            "settlements.invoice[50000]",
        );
    }

    #[test]
    fn bad_books_name_the_row() {
        let check = |edit: &dyn Fn(&mut Book), code: &str, field: &str| {
            let mut b = d_book();
            edit(&mut b);
            let e = b.prepare().unwrap_err();
            assert_eq!(e.code(), code, "{e}");
            assert!(e.to_string().contains(field), "{e}");
        };
        check(
            &|b| b.invoices.id = ["J1", "J1", "J3", "J4"].into_iter().collect(),
            "duplicate_id",
            "invoices.id[1]",
        );
        check(
            &|b| b.settlements.invoice = ["J1", "J9"].into_iter().collect(),
            "not_found",
            "settlements.invoice[1]",
        );
        check(
            &|b| b.settlements.amount[0] = d("1000.001"),
            "too_many_decimals",
            "settlements.amount[0]",
        );
        check(
            &|b| b.invoices.amount[2] = d("0"),
            "invalid_amount",
            "invoices.amount[2]",
        );
        check(
            &|b| b.settlements.date[0] = day("2026-03-01"),
            "date_before_document",
            "settlements.date[0]",
        );
        check(
            &|b| b.settlements.amount[0] = d("1000.01"),
            "over_application",
            "invoice J1",
        );
        check(
            &|b| b.invoices.date.pop().map(|_| ()).unwrap_or(()),
            "invalid_value",
            "invoices",
        );
        let mut o = AgingOptions::new(day("2026-06-30"));
        o.known_at = Some("2026-07-01T00:00:00Z".parse().unwrap());
        assert_eq!(
            d_book().prepare().unwrap().aging(&o).unwrap_err().code(),
            "invalid_value"
        );
    }

    #[test]
    fn books_beyond_i64_are_laid_out_in_full() {
        // Each total fits i64 in cents (6 * 10^18); the two together do not,
        // so the book is laid out again with the i128 columns.
        let big = d("60000000000000000.00");
        let book = |second: Decimal| {
            let mut b = d_book();
            b.invoices.amount = vec![big, big, d("3000.00"), d("600.00")];
            b.settlements = SettlementColumns {
                invoice: ["J2", "J1", "J1"].into_iter().collect(),
                date: vec![day("2026-05-05"), day("2026-04-20"), day("2026-04-21")],
                amount: vec![second, d("1.00"), d("2.00")],
                kind: vec![],
            };
            b
        };
        let b = book(d("0.01")).prepare().unwrap();
        assert!(b.cols.wide());
        let a = b.aging(&AgingOptions::new(day("2026-06-30"))).unwrap();
        // J1 is 77 days past due, J2 51: 59999999999999997.00 and
        // 59999999999999999.99 in 61-90 and 31-60; J3 3,000.00 in 1-30.
        assert_eq!(a.totals[0].buckets[3], d("59999999999999997.00"));
        assert_eq!(a.totals[0].buckets[2], d("59999999999999999.99"));
        assert_eq!(a.totals[0].buckets[1], d("3000.00"));
        let e = book(d("60000000000000000.01")).prepare().unwrap_err();
        assert_eq!(e.code(), "over_application", "{e}");
        assert!(e.to_string().contains("invoice J2"), "{e}");
    }

    #[test]
    fn settlements_beyond_i64_are_taken_exactly() {
        // 10^19 cents is beyond i64 (about 9.2 * 10^18): J1 is settled in
        // full by one such row, and J2 is left with 0.01 of the same.
        let huge = d("100000000000000000.00");
        let mut b = d_book();
        b.invoices.amount = vec![huge, huge, d("3000.00"), d("600.00")];
        b.settlements = SettlementColumns {
            invoice: ["J1", "J2"].into_iter().collect(),
            date: vec![day("2026-04-20"), day("2026-05-05")],
            amount: vec![huge, d("99999999999999999.99")],
            kind: vec![],
        };
        let a = b
            .prepare()
            .unwrap()
            .aging(&AgingOptions::new(day("2026-06-30")));
        let t = &a.unwrap().totals[0];
        // J2 (51 days past due) 0.01 in 31-60; J3 3,000.00 in 1-30; J4 600.00 current.
        assert_eq!(t.buckets[2], d("0.01"));
        assert_eq!(t.total, d("3600.01"));
    }

    #[test]
    fn settlements_finer_or_coarser_than_cents_are_taken_exactly() {
        // 1000.0 (one decimal) settles J1 in full, as 1000.00 does; 1500 (no
        // decimals) is J2's 1,500.00.
        let mut b = d_book();
        b.settlements.amount = vec![d("1000.0"), d("1500")];
        let m = &b.prepare().unwrap().metrics(&MetricsOptions::new(
            Period::new(day("2026-04-01"), day("2026-06-30")).unwrap(),
        ));
        assert_eq!(m.as_ref().unwrap()[0].ar_end, d("4100.00"));
    }

    #[test]
    fn settlements_in_any_order_give_the_same_book() {
        // Rows by invoice, and the same rows shuffled: the same figures.
        let mut b = d_book();
        b.settlements = SettlementColumns {
            invoice: ["J2", "J1", "J2", "J3"].into_iter().collect(),
            date: vec![
                day("2026-05-05"),
                day("2026-04-20"),
                day("2026-06-01"),
                day("2026-06-02"),
            ],
            amount: vec![d("1500.00"), d("1000.00"), d("100.00"), d("1.00")],
            kind: vec![],
        };
        let shuffled = b.clone().prepare().unwrap();
        let q2 = Period::new(day("2026-04-01"), day("2026-06-30")).unwrap();
        let m = &shuffled.metrics(&MetricsOptions::new(q2)).unwrap()[0];
        // Open at 06-30: J2 400.00, J3 2,999.00, J4 600.00.
        assert_eq!(m.ar_end, d("3999.00"));
        let a = shuffled
            .aging(&AgingOptions::new(day("2026-05-31")))
            .unwrap();
        // At 05-31: J2 500.00 (21 days past due), J3 3,000.00 not yet due.
        assert_eq!(a.totals[0].buckets[1], d("500.00"));
        assert_eq!(a.totals[0].buckets[0], d("3000.00"));
    }

    #[test]
    fn customer_dimensions_come_from_the_customers_table() {
        // Two customers: D (region N) with J1-J4, E (not in the table) with one invoice.
        let mut b = d_book();
        b.invoices.id.push("K1");
        b.invoices.customer.push("E");
        b.invoices.currency.push(b.invoices.currency[0]);
        b.invoices.date.push(day("2026-06-01"));
        b.invoices.due_date.push(day("2026-06-20"));
        b.invoices.amount.push(d("70.00"));
        b.invoices.dimensions[0].1.push("S");
        b.customers = CustomerColumns {
            id: ["D", "Z"].into_iter().collect(),
            dimensions: vec![("region".into(), ["N", "W"].into_iter().collect())],
        };
        let book = b.clone().prepare().unwrap();
        let by = |g: &str| AgingOptions {
            group_by: vec![g.parse().unwrap()],
            ..AgingOptions::new(day("2026-06-30"))
        };
        let a = book.aging(&by("customer.region")).unwrap();
        // N (D): 500.00 + 3,000.00 + 600.00; "" (E, not listed): 70.00. Z has nothing.
        let groups: Vec<(&str, Decimal)> = a
            .rows
            .iter()
            .map(|r| (r.group[0].as_str(), r.total))
            .collect();
        assert_eq!(groups, [("N", d("4100.00")), ("", d("70.00"))]);
        // A dimension the book was not given is refused, not grouped as "".
        let e = book.aging(&by("customer.sales_rep")).unwrap_err();
        assert_eq!(e.code(), "invalid_value");
        assert!(e.to_string().contains("customer.sales_rep"), "{e}");
        let q2 = Period::new(day("2026-04-01"), day("2026-06-30")).unwrap();
        let m = MetricsOptions {
            group_by: vec!["invoice.channel".parse().unwrap()],
            ..MetricsOptions::new(q2)
        };
        assert!(book
            .metrics(&m)
            .unwrap_err()
            .to_string()
            .contains("invoice.channel"));
        // The customers table is checked like the others.
        let mut dup = b.clone();
        dup.customers.id = ["D", "D"].into_iter().collect();
        let e = dup.prepare().unwrap_err();
        assert_eq!(e.code(), "duplicate_id");
        assert!(e.to_string().contains("customers.id[1]"), "{e}");
        let mut short = b;
        short.customers.dimensions[0].1 = ["N"].into_iter().collect();
        let e = short.prepare().unwrap_err();
        assert!(e.to_string().contains("customers.region"), "{e}");
    }
}
