//! Preparing a book: every row checked, ids joined, settlements placed by
//! invoice, and the columns the report engine reads laid out.

use std::collections::HashMap;

/// Customer ids are hashed with foldhash (as invoice ids are, in
/// `join.rs`): a million of them are looked up, and SipHash is several
/// times slower on short keys. It is still seeded per process.
type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::aging::GroupBy;
use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::join::{self, RowIndex};
use crate::limits::{check_count, check_len, MAX_DIMENSIONS, MAX_KEY_LEN};
use crate::money::check_positive;
use crate::par::PARALLEL_ROWS;
use crate::report::columns::{self, Columns};
use crate::report::engine::Names;

use super::{Book, PreparedBook, SettlementKind};
use crate::text::StrColumn;

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
/// [`Error::LimitExceeded`] for more than [`crate::limits::MAX_DIMENSIONS`] dimensions,
/// or a name or value longer than [`crate::limits::MAX_KEY_LEN`] bytes.
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
    /// for more than [`crate::limits::MAX_DIMENSIONS`] invoice or customer dimensions, a
    /// dimension name or a customer's dimension value longer than
    /// [`crate::limits::MAX_KEY_LEN`] bytes;
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
    pub(super) fn check_groups(&self, group_by: &[GroupBy]) -> Result<()> {
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
