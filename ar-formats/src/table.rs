//! A report as a table of typed columns, written as aligned text, CSV or
//! Excel .xlsx by one writer each. Every report (aging, metrics, open
//! items, balances, match results, bank reconciliation; statements, dunning
//! and the journal as they come) is turned into a [`Table`] once, and gets
//! all three outputs.
//!
//! Amounts carry their currency, so each is shown at its currency's minor
//! unit: two decimals for USD, none for JPY, three for KWD, in text, CSV
//! and the .xlsx number format alike.
//!
//! # Example
//! ```
//! use ar_core::{chrono::NaiveDate, rust_decimal::Decimal, Currency};
//! use ar_formats::table::{Cell, Column, ColumnKind, Table};
//! let usd = Currency::new("USD").unwrap();
//! let mut t = Table::new("balances", "Balances", vec![
//!     Column::new("customer", ColumnKind::Text).min_width(8),
//!     Column::new("due", ColumnKind::Date),
//!     Column::new("open", ColumnKind::Amount).min_width(10),
//! ]);
//! t.rows.push(vec![
//!     Cell::text("ACME"),
//!     Cell::Date(NaiveDate::from_ymd_opt(2026, 10, 20).unwrap()),
//!     Cell::amount(Decimal::new(40219, 2), usd),
//! ]);
//! assert_eq!(t.to_text(false), "Balances\ncustomer due              open\nACME     2026-10-20     402.19\n");
//! assert_eq!(t.to_csv().unwrap(), b"customer,due,open\nACME,2026-10-20,402.19\n");
//! ```

use std::fmt::Write as _;

use ar_core::chrono::NaiveDate;
use ar_core::rust_decimal::Decimal;
use ar_core::Currency;
use serde::{Deserialize, Serialize};

/// What a column holds, which decides how it is aligned and formatted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ColumnKind {
    /// Text, left-aligned.
    Text,
    /// Dates: ISO 8601 in text and CSV, real dates in .xlsx.
    Date,
    /// Money: each cell an [`Cell::Amount`] at its currency's minor unit.
    Amount,
    /// Whole numbers (counts, days).
    Integer,
    /// Other decimals (ratios, days on average), with this many decimals
    /// in .xlsx.
    Number {
        /// Decimals shown in .xlsx.
        decimals: u32,
    },
}

impl ColumnKind {
    fn right_aligned(self) -> bool {
        !matches!(self, ColumnKind::Text | ColumnKind::Date)
    }
}

/// A column: its name (the header), what it holds, and a minimum width in
/// characters for text output (so that reports printed on different days
/// line up).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// Header.
    pub name: String,
    /// What it holds.
    pub kind: ColumnKind,
    /// Minimum width in characters, for text.
    #[serde(default)]
    pub min_width: usize,
}

impl Column {
    /// A column with no minimum width.
    ///
    /// # Example
    /// ```
    /// use ar_formats::table::{Column, ColumnKind};
    /// assert_eq!(Column::new("open", ColumnKind::Amount).min_width, 0);
    /// ```
    pub fn new(name: impl Into<String>, kind: ColumnKind) -> Self {
        Column {
            name: name.into(),
            kind,
            min_width: 0,
        }
    }

    /// The same column, at least `width` characters wide in text.
    ///
    /// # Example
    /// ```
    /// use ar_formats::table::{Column, ColumnKind};
    /// assert_eq!(Column::new("id", ColumnKind::Text).min_width(8).min_width, 8);
    /// ```
    #[must_use]
    pub fn min_width(mut self, width: usize) -> Self {
        self.min_width = width;
        self
    }
}

/// One value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Cell {
    /// Nothing: `-` in text, empty in CSV and .xlsx.
    Empty,
    /// Text.
    Text(String),
    /// A date.
    Date(NaiveDate),
    /// Money in a currency.
    Amount {
        /// The amount.
        #[serde(with = "ar_core::serde_decimal")]
        amount: Decimal,
        /// Its currency.
        currency: Currency,
    },
    /// A whole number.
    Integer(i64),
    /// Any other decimal.
    Number(#[serde(with = "ar_core::serde_decimal")] Decimal),
}

impl Cell {
    /// A text cell.
    ///
    /// # Example
    /// ```
    /// assert_eq!(ar_formats::table::Cell::text("ACME").display().as_deref(), Some("ACME"));
    /// ```
    pub fn text(s: impl Into<String>) -> Self {
        Cell::Text(s.into())
    }

    /// An amount cell.
    ///
    /// # Example
    /// ```
    /// use ar_core::{rust_decimal::Decimal, Currency};
    /// let c = ar_formats::table::Cell::amount(Decimal::new(5, 1), Currency::new("EUR").unwrap());
    /// assert_eq!(c.display().as_deref(), Some("0.50"));
    /// ```
    pub fn amount(amount: Decimal, currency: Currency) -> Self {
        Cell::Amount { amount, currency }
    }

    /// A date, or [`Cell::Empty`].
    ///
    /// # Example
    /// ```
    /// assert_eq!(ar_formats::table::Cell::date_opt(None), ar_formats::table::Cell::Empty);
    /// ```
    pub fn date_opt(date: Option<NaiveDate>) -> Self {
        date.map_or(Cell::Empty, Cell::Date)
    }

    /// A decimal, or [`Cell::Empty`].
    ///
    /// # Example
    /// ```
    /// use ar_core::rust_decimal::Decimal;
    /// let c = ar_formats::table::Cell::number_opt(Some(Decimal::new(1250, 2)));
    /// assert_eq!(c.display().as_deref(), Some("12.5"));
    /// ```
    pub fn number_opt(value: Option<Decimal>) -> Self {
        value.map_or(Cell::Empty, Cell::Number)
    }

    /// The cell as text and CSV show it (`None` for an empty cell).
    ///
    /// # Example
    /// ```
    /// assert_eq!(ar_formats::table::Cell::Integer(-3).display().as_deref(), Some("-3"));
    /// assert_eq!(ar_formats::table::Cell::Empty.display(), None);
    /// ```
    pub fn display(&self) -> Option<String> {
        match self {
            Cell::Empty => None,
            Cell::Text(s) => Some(s.clone()),
            Cell::Date(d) => Some(d.to_string()),
            Cell::Amount { amount, currency } => Some(format_amount(*amount, *currency)),
            Cell::Integer(n) => Some(n.to_string()),
            Cell::Number(d) => Some(d.normalize().to_string()),
        }
    }
}

/// `amount` at `currency`'s minor unit: `402.19`, `0.00`, `10264` (JPY).
/// An amount with more decimals than the currency has is shown as it is,
/// never rounded.
///
/// # Example
/// ```
/// use ar_core::{rust_decimal::Decimal, Currency};
/// let usd = Currency::new("USD").unwrap();
/// assert_eq!(ar_formats::table::format_amount(Decimal::new(5, 0), usd), "5.00");
/// assert_eq!(ar_formats::table::format_amount(Decimal::new(10264, 0), Currency::new("JPY").unwrap()), "10264");
/// ```
pub fn format_amount(amount: Decimal, currency: Currency) -> String {
    let mut d = amount;
    if d.scale() < currency.minor_units() {
        d.rescale(currency.minor_units());
    }
    d.to_string()
}

/// A report as a table: a title, typed columns, rows and total rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// Short name, used as the worksheet's name (`aging`, `open_items`).
    pub name: String,
    /// Title line (`Aging as of 2026-11-23`).
    pub title: String,
    /// Columns.
    pub columns: Vec<Column>,
    /// Rows, one cell per column.
    pub rows: Vec<Vec<Cell>>,
    /// Total rows (one per currency, typically), under the rows.
    #[serde(default)]
    pub totals: Vec<Vec<Cell>>,
}

/// A table could not be written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{table}: {message}")]
pub struct WriteError {
    /// The table's name.
    pub table: String,
    /// What went wrong.
    pub message: String,
}

impl Table {
    /// An empty table.
    ///
    /// # Example
    /// ```
    /// use ar_formats::table::{Column, ColumnKind, Table};
    /// let t = Table::new("aging", "Aging", vec![Column::new("cur", ColumnKind::Text)]);
    /// assert!(t.rows.is_empty() && t.totals.is_empty());
    /// ```
    pub fn new(name: impl Into<String>, title: impl Into<String>, columns: Vec<Column>) -> Self {
        Table {
            name: name.into(),
            title: title.into(),
            columns,
            rows: Vec::new(),
            totals: Vec::new(),
        }
    }

    fn error(&self, message: impl Into<String>) -> WriteError {
        WriteError {
            table: self.name.clone(),
            message: message.into(),
        }
    }

    /// Checks every row has one cell per column, and amounts sit in amount
    /// columns.
    fn check(&self) -> Result<(), WriteError> {
        for (i, row) in self.rows.iter().chain(&self.totals).enumerate() {
            if row.len() != self.columns.len() {
                return Err(self.error(format!(
                    "row {i} has {} cells for {} columns",
                    row.len(),
                    self.columns.len()
                )));
            }
        }
        Ok(())
    }

    /// Sums the amount columns of the rows per currency, one total row per
    /// currency in code order, labelled `Total` in the first column (the
    /// currency in any column named `currency` or `cur`).
    ///
    /// # Errors
    /// A [`WriteError`] when a sum overflows.
    ///
    /// # Example
    /// ```
    /// use ar_core::{rust_decimal::Decimal, Currency};
    /// use ar_formats::table::{Cell, Column, ColumnKind, Table};
    /// let usd = Currency::new("USD").unwrap();
    /// let mut t = Table::new("t", "", vec![Column::new("id", ColumnKind::Text), Column::new("open", ColumnKind::Amount)]);
    /// t.rows.push(vec![Cell::text("A"), Cell::amount(Decimal::new(150, 2), usd)]);
    /// t.rows.push(vec![Cell::text("B"), Cell::amount(Decimal::new(250, 2), usd)]);
    /// t.add_currency_totals().unwrap();
    /// assert_eq!(t.totals, vec![vec![Cell::text("Total"), Cell::amount(Decimal::new(400, 2), usd)]]);
    /// ```
    pub fn add_currency_totals(&mut self) -> Result<(), WriteError> {
        let mut by_currency: Vec<(Currency, Vec<Decimal>)> = Vec::new();
        for row in &self.rows {
            let Some(currency) = row.iter().find_map(|c| match c {
                Cell::Amount { currency, .. } => Some(*currency),
                _ => None,
            }) else {
                continue;
            };
            let at = match by_currency.iter().position(|(c, _)| *c == currency) {
                Some(at) => at,
                None => {
                    by_currency.push((currency, vec![Decimal::ZERO; self.columns.len()]));
                    by_currency.len().saturating_sub(1)
                }
            };
            let Some((_, sums)) = by_currency.get_mut(at) else {
                continue;
            };
            for (cell, sum) in row.iter().zip(sums.iter_mut()) {
                if let Cell::Amount {
                    amount,
                    currency: c,
                } = cell
                {
                    if *c != currency {
                        return Err(WriteError {
                            table: self.name.clone(),
                            message: format!("a row mixes {currency} and {c}"),
                        });
                    }
                    *sum = sum.checked_add(*amount).ok_or_else(|| WriteError {
                        table: self.name.clone(),
                        message: "a total overflows".into(),
                    })?;
                }
            }
        }
        by_currency.sort_by_key(|(c, _)| c.code());
        for (currency, sums) in by_currency {
            let mut row = Vec::with_capacity(self.columns.len());
            for (i, (col, sum)) in self.columns.iter().zip(sums).enumerate() {
                row.push(match col.kind {
                    ColumnKind::Amount => Cell::amount(sum, currency),
                    _ if i == 0 => Cell::text("Total"),
                    _ if col.name == "currency" || col.name == "cur" => Cell::text(currency.code()),
                    _ => Cell::Empty,
                });
            }
            self.totals.push(row);
        }
        Ok(())
    }

    /// The table as aligned text: the title, the header, the rows and, when
    /// `totals` is set, the total rows. Text columns are left-aligned and
    /// numbers right-aligned, each as wide as its widest value, header or
    /// minimum width; an empty cell shows `-`; a [`ColumnKind::Number`] is
    /// rounded to its decimals.
    ///
    /// # Example
    /// ```
    /// use ar_formats::table::{Cell, Column, ColumnKind, Table};
    /// let mut t = Table::new("t", "", vec![Column::new("n", ColumnKind::Integer)]);
    /// t.rows.push(vec![Cell::Integer(7)]);
    /// assert_eq!(t.to_text(true), "n\n7\n");
    /// ```
    pub fn to_text(&self, totals: bool) -> String {
        let body: Vec<Vec<String>> = self
            .rows
            .iter()
            .chain(if totals { &self.totals[..] } else { &[] })
            .map(|row| {
                row.iter()
                    .zip(&self.columns)
                    .map(|(c, col)| match (c, col.kind) {
                        // Text shows a ratio at its column's decimals, as
                        // the .xlsx number format does; CSV keeps every digit.
                        (Cell::Number(d), ColumnKind::Number { decimals }) => {
                            let mut r = d.round_dp(decimals);
                            r.rescale(decimals);
                            r.to_string()
                        }
                        _ => c.display().unwrap_or_else(|| "-".to_owned()),
                    })
                    .collect()
            })
            .collect();
        let widths: Vec<usize> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, col)| {
                body.iter()
                    .filter_map(|r| r.get(i))
                    .map(|s| s.chars().count())
                    .chain([col.name.chars().count(), col.min_width])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
            let mut out = String::new();
            for (i, (cell, col)) in cells.zip(&self.columns).enumerate() {
                let w = widths.get(i).copied().unwrap_or(0);
                if i > 0 {
                    out.push(' ');
                }
                if col.kind.right_aligned() {
                    let _ = write!(out, "{cell:>w$}");
                } else {
                    let _ = write!(out, "{cell:<w$}");
                }
            }
            out.truncate(out.trim_end().len());
            out.push('\n');
            out
        };
        let mut out = String::new();
        if !self.title.is_empty() {
            out.push_str(&self.title);
            out.push('\n');
        }
        out.push_str(&line(&mut self.columns.iter().map(|c| c.name.as_str())));
        let n = self.rows.len();
        for (i, row) in body.iter().enumerate() {
            if i == n && n > 0 {
                // A rule between the rows and their totals.
                let width = widths
                    .iter()
                    .fold(widths.len().saturating_sub(1), |a, w| a.saturating_add(*w));
                out.push_str(&"-".repeat(width));
                out.push('\n');
            }
            out.push_str(&line(&mut row.iter().map(String::as_str)));
        }
        out
    }

    /// The table as CSV (RFC 4180, `\n` line ends): a header of the column
    /// names, then the rows; no title and no totals, so that the file reads
    /// back as data. Amounts are plain decimals at their currency's minor
    /// unit, dates ISO 8601, an empty cell empty.
    ///
    /// # Errors
    /// A [`WriteError`] for a row of the wrong length.
    ///
    /// # Example
    /// ```
    /// use ar_formats::table::{Cell, Column, ColumnKind, Table};
    /// let mut t = Table::new("t", "", vec![Column::new("memo", ColumnKind::Text)]);
    /// t.rows.push(vec![Cell::text("a, b")]);
    /// assert_eq!(t.to_csv().unwrap(), b"memo\n\"a, b\"\n");
    /// ```
    pub fn to_csv(&self) -> Result<Vec<u8>, WriteError> {
        self.check()?;
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let fail = |e: csv::Error| self.error(e.to_string());
        w.write_record(self.columns.iter().map(|c| c.name.as_str()))
            .map_err(fail)?;
        for row in &self.rows {
            w.write_record(row.iter().map(|c| c.display().unwrap_or_default()))
                .map_err(fail)?;
        }
        w.into_inner().map_err(|e| self.error(e.to_string()))
    }
}

#[cfg(feature = "xlsx")]
pub use xlsx::to_xlsx;

#[cfg(feature = "xlsx")]
mod xlsx {
    use super::*;
    use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError};

    /// Significant digits an Excel number (an IEEE double) holds exactly.
    const EXACT_DIGITS: u32 = 15;

    /// Widest column, in characters.
    const MAX_WIDTH: usize = 60;

    /// The double whose shortest decimal form is `d`'s digits, when `d` has
    /// at most 15 significant digits (so the cell's XML holds exactly the
    /// amount's digits); `None` beyond, for the caller to write text.
    fn exact_number(d: Decimal) -> Option<f64> {
        let digits = d
            .mantissa()
            .unsigned_abs()
            .checked_ilog10()
            .map_or(1, |l| l.saturating_add(1));
        if digits > EXACT_DIGITS {
            return None;
        }
        // Parsing the decimal's text rounds correctly to the nearest double,
        // which prints back as the same digits at 15 or fewer.
        d.to_string().parse().ok()
    }

    /// `#,##0.00` for two decimals, `#,##0` for none.
    fn number_format(decimals: u32) -> String {
        if decimals == 0 {
            "#,##0".to_owned()
        } else {
            format!("#,##0.{}", "0".repeat(decimals as usize))
        }
    }

    struct Formats {
        header: Format,
        title: Format,
        date: Format,
        integer: Format,
    }

    fn fail(table: &Table, e: XlsxError) -> WriteError {
        table.error(e.to_string())
    }

    fn xlsx_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
        use ar_core::chrono::Datelike;
        let (y, m, day) = (d.year(), d.month(), d.day());
        ExcelDateTime::from_ymd(
            u16::try_from(y).map_err(|_| XlsxError::DateTimeRangeError(d.to_string()))?,
            u8::try_from(m).unwrap_or(1),
            u8::try_from(day).unwrap_or(1),
        )
    }

    fn write_cell(
        ws: &mut Worksheet,
        row: u32,
        col: u16,
        cell: &Cell,
        kind: ColumnKind,
        f: &Formats,
        bold: bool,
    ) -> Result<(), XlsxError> {
        let style = |fmt: &Format| {
            if bold {
                fmt.clone().set_bold().set_border_top(FormatBorder::Thin)
            } else {
                fmt.clone()
            }
        };
        let plain = style(&Format::new());
        match cell {
            Cell::Empty => {
                if bold {
                    ws.write_blank(row, col, &plain)?;
                }
            }
            Cell::Text(s) => {
                ws.write_string_with_format(row, col, s, &plain)?;
            }
            Cell::Date(d) => match xlsx_date(*d) {
                Ok(x) => {
                    ws.write_date_with_format(row, col, &x, &style(&f.date))?;
                }
                // Excel has no dates before 1900: the ISO text instead.
                Err(_) => {
                    ws.write_string_with_format(row, col, d.to_string(), &plain)?;
                }
            },
            Cell::Amount { amount, currency } => {
                let fmt =
                    style(&Format::new().set_num_format(number_format(currency.minor_units())));
                match exact_number(*amount) {
                    Some(n) => ws.write_number_with_format(row, col, n, &fmt)?,
                    None => ws.write_string_with_format(
                        row,
                        col,
                        format_amount(*amount, *currency),
                        &plain,
                    )?,
                };
            }
            Cell::Integer(n) => {
                let d = Decimal::from(*n);
                match exact_number(d) {
                    Some(x) => ws.write_number_with_format(row, col, x, &style(&f.integer))?,
                    None => ws.write_string_with_format(row, col, n.to_string(), &plain)?,
                };
            }
            Cell::Number(d) => {
                let decimals = match kind {
                    ColumnKind::Number { decimals } => decimals,
                    _ => d.scale(),
                };
                let fmt = style(&Format::new().set_num_format(if decimals == 0 {
                    "0".to_owned()
                } else {
                    format!("0.{}", "0".repeat(decimals as usize))
                }));
                match exact_number(*d) {
                    Some(x) => ws.write_number_with_format(row, col, x, &fmt)?,
                    None => ws.write_string_with_format(row, col, d.to_string(), &plain)?,
                };
            }
        }
        Ok(())
    }

    /// Width in characters a cell takes when shown with its format.
    fn shown_width(cell: &Cell) -> usize {
        let text = cell.display().unwrap_or_default();
        let len = text.chars().count();
        match cell {
            // Thousands separators: one per three digits before the point.
            Cell::Amount { .. } => {
                let int = text
                    .split('.')
                    .next()
                    .unwrap_or("")
                    .trim_start_matches('-')
                    .len();
                len.saturating_add(int.saturating_sub(1) / 3)
            }
            _ => len,
        }
    }

    /// Sheet names: at most 31 characters, none of `[]:*?/\`, unique.
    fn sheet_name(name: &str, taken: &[String]) -> String {
        let clean: String = name
            .chars()
            .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
            .take(28)
            .collect();
        let base = if clean.trim().is_empty() {
            "sheet".to_owned()
        } else {
            clean
        };
        let mut candidate = base.clone();
        let mut n = 1u32;
        while taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate)) {
            n = n.saturating_add(1);
            candidate = format!("{base}~{n}");
        }
        candidate
    }

    fn write_table(wb: &mut Workbook, t: &Table, name: String) -> Result<(), XlsxError> {
        let f = Formats {
            header: Format::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin),
            title: Format::new().set_bold().set_font_size(13),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            integer: Format::new().set_num_format("#,##0"),
        };
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        ws.write_string_with_format(0, 0, &t.title, &f.title)?;
        for (c, col) in t.columns.iter().enumerate() {
            let c = u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)?;
            ws.write_string_with_format(1, c, &col.name, &f.header)?;
        }
        let mut r: u32 = 2;
        for (rows, bold) in [(&t.rows, false), (&t.totals, true)] {
            for row in rows {
                for (c, (cell, col)) in row.iter().zip(&t.columns).enumerate() {
                    let c = u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)?;
                    write_cell(ws, r, c, cell, col.kind, &f, bold)?;
                }
                r = r.checked_add(1).ok_or(XlsxError::RowColumnLimitError)?;
            }
        }
        // Title and header stay in view while scrolling.
        ws.set_freeze_panes(2, 0)?;
        if !t.columns.is_empty() && !t.rows.is_empty() {
            let last_col = u16::try_from(t.columns.len().saturating_sub(1))
                .map_err(|_| XlsxError::RowColumnLimitError)?;
            let last_row = u32::try_from(t.rows.len().saturating_add(1))
                .map_err(|_| XlsxError::RowColumnLimitError)?;
            ws.autofilter(1, 0, last_row, last_col)?;
        }
        for (c, col) in t.columns.iter().enumerate() {
            let widest = t
                .rows
                .iter()
                .chain(&t.totals)
                .filter_map(|row| row.get(c))
                .map(shown_width)
                .chain([col.name.chars().count().saturating_add(3), 10])
                .max()
                .unwrap_or(10)
                .min(MAX_WIDTH);
            let c = u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)?;
            // A little room beside the widest value (and the filter button).
            let width = u32::try_from(widest.saturating_add(2)).unwrap_or(62);
            ws.set_column_width(c, width)?;
        }
        Ok(())
    }

    /// The tables as one .xlsx workbook, a worksheet each (named after
    /// the table): the title in the first row and the header in the second,
    /// both frozen, with a filter on the header; amounts as numbers in
    /// their currency's format (`#,##0.00`, `#,##0` for JPY), dates as
    /// dates (`yyyy-mm-dd`), the total rows in bold under a rule, and each
    /// column as wide as its widest value.
    ///
    /// A number in Excel is a binary double, which holds 15 significant
    /// digits exactly: an amount within them is written with exactly its
    /// digits; a larger one is written as text, never rounded.
    ///
    /// # Errors
    /// A [`WriteError`] naming the table, for a row of the wrong length or
    /// a sheet past Excel's limits (1,048,576 rows).
    ///
    /// # Example
    /// ```
    /// use ar_formats::table::{to_xlsx, Column, ColumnKind, Table};
    /// let t = Table::new("empty", "Nothing yet", vec![Column::new("id", ColumnKind::Text)]);
    /// let bytes = to_xlsx(&[t]).unwrap();
    /// assert!(bytes.starts_with(b"PK"));
    /// ```
    pub fn to_xlsx(tables: &[Table]) -> Result<Vec<u8>, WriteError> {
        let mut wb = Workbook::new();
        let mut taken = Vec::with_capacity(tables.len());
        for t in tables {
            t.check()?;
            let name = sheet_name(&t.name, &taken);
            taken.push(name.clone());
            write_table(&mut wb, t, name).map_err(|e| fail(t, e))?;
        }
        wb.save_to_buffer().map_err(|e| WriteError {
            table: String::new(),
            message: e.to_string(),
        })
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn numbers_keep_their_digits_up_to_fifteen() {
            let d = |s: &str| ar_core::parse_decimal("t", s).unwrap_or_default();
            for s in [
                "0.10",
                "1720.63",
                "-34.41",
                "9999999999999.99",
                "123456789012345",
            ] {
                let n = exact_number(d(s)).unwrap_or(f64::NAN);
                assert_eq!(d(&n.to_string()), d(s), "{s}");
            }
            assert_eq!(exact_number(d("1234567890123456")), None);
            assert_eq!(exact_number(d("79228162514264337593543950335")), None);
        }

        #[test]
        fn sheet_names_are_cleaned_and_unique() {
            let taken = vec!["aging".to_owned()];
            assert_eq!(sheet_name("aging", &taken), "aging~2");
            assert_eq!(sheet_name("a/b[c]", &[]), "a_b_c_");
            assert_eq!(sheet_name(&"x".repeat(40), &[]).len(), 28);
        }
    }
}
