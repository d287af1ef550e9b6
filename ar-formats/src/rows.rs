//! CSV files read row by row, and the error naming a file, row and column.

use std::collections::HashMap;

use ar_core::chrono::NaiveDate;
use ar_core::rust_decimal::Decimal;
use ar_core::{Currency, Error as CoreError};
use serde::{Deserialize, Serialize};

use crate::common::decode;
use crate::error::ErrorCode;

/// A row of a file that cannot be read or that the ledger refused, named by
/// file, row (the line number a spreadsheet shows: the header is row 1) and
/// column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{file}: row {row}, column {column:?}: {message} ({code})")]
pub struct RowError {
    /// Stable code: a [`ErrorCode`] name for a file that cannot be read
    /// (`invalid_amount`, `missing`, ...), or the ledger's code for a row it
    /// refused (`not_found`, `over_application`, ...).
    pub code: String,
    /// [`Family::Format`] for a file that cannot be read; otherwise the
    /// ledger's error family.
    pub family: Family,
    /// File name as given.
    pub file: String,
    /// Row: 1-based line of the file (0 when the error concerns no row).
    pub row: usize,
    /// Column header (empty when the error concerns the whole row).
    pub column: String,
    /// What is wrong.
    pub message: String,
}

/// What kind of error a [`RowError`] is: a file that cannot be read, or one
/// of the ledger's error families for a row it refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// The file cannot be read (syntax, a missing column, a bad value).
    Format,
    /// The ledger found the value malformed or out of range.
    Validation,
    /// The row names something the ledger does not know.
    NotFound,
    /// The row clashes with something that exists (a duplicate id).
    Conflict,
    /// Currencies that do not agree.
    Currency,
    /// The ledger's state does not allow the row (an over-application).
    State,
    /// A ledger log that cannot be read.
    Log,
    /// A defect in ar itself.
    Internal,
}

impl Family {
    /// Stable snake_case name.
    ///
    /// # Example
    /// ```
    /// assert_eq!(ar_formats::Family::NotFound.name(), "not_found");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Family::Format => "format",
            Family::Validation => "validation",
            Family::NotFound => "not_found",
            Family::Conflict => "conflict",
            Family::Currency => "currency",
            Family::State => "state",
            Family::Log => "log",
            Family::Internal => "internal",
        }
    }

    /// The family of the ledger's error family `f`.
    ///
    /// # Example
    /// ```
    /// use ar_formats::Family;
    /// assert_eq!(Family::of(ar_core::ErrorFamily::State), Family::State);
    /// ```
    pub fn of(f: ar_core::ErrorFamily) -> Self {
        use ar_core::ErrorFamily as F;
        match f {
            F::Validation => Family::Validation,
            F::NotFound => Family::NotFound,
            F::Conflict => Family::Conflict,
            F::Currency => Family::Currency,
            F::State => Family::State,
            F::Log => Family::Log,
            F::Internal => Family::Internal,
        }
    }
}

impl RowError {
    pub(crate) fn format(
        code: ErrorCode,
        file: &str,
        row: usize,
        column: &str,
        message: impl Into<String>,
    ) -> Self {
        RowError {
            code: code.as_str().to_owned(),
            family: Family::Format,
            file: file.to_owned(),
            row,
            column: column.to_owned(),
            message: message.into(),
        }
    }

    /// The ledger's error `e`, placed at `file`, `row`, `column`.
    ///
    /// # Example
    /// ```
    /// let e = ar_core::Error::NotFound { field: "invoice".into(), kind: "invoice".into(), id: "I-9".into() };
    /// let r = ar_formats::RowError::ledger(&e, "app.csv", 4, "invoice");
    /// assert_eq!((r.code.as_str(), r.family), ("not_found", ar_formats::Family::NotFound));
    /// ```
    pub fn ledger(e: &CoreError, file: &str, row: usize, column: &str) -> Self {
        RowError {
            code: e.code().to_owned(),
            family: Family::of(e.family()),
            file: file.to_owned(),
            row,
            column: column.to_owned(),
            message: e.to_string(),
        }
    }
}

/// The field an error of the ledger names (`invoices.amount[2]`,
/// `receipt.amount`), when it names one.
///
/// # Example
/// ```
/// let e = ar_core::Error::NotFound { field: "invoices.customer[2]".into(), kind: "customer".into(), id: "X".into() };
/// assert_eq!(ar_formats::error_field(&e), Some("invoices.customer[2]"));
/// ```
pub fn error_field(e: &CoreError) -> Option<&str> {
    use CoreError as E;
    match e {
        E::InvalidCurrency { field, .. }
        | E::CurrencyMismatch { field, .. }
        | E::TooManyDecimals { field, .. }
        | E::InvalidAmount { field, .. }
        | E::InvalidValue { field, .. }
        | E::InvalidType { field, .. }
        | E::InvalidDecimal { field, .. }
        | E::InvalidDate { field, .. }
        | E::InvalidTerms { field, .. }
        | E::NotFound { field, .. }
        | E::DuplicateId { field, .. }
        | E::CustomerMismatch { field, .. }
        | E::OverApplication { field, .. }
        | E::InvalidState { field, .. }
        | E::DateBeforeDocument { field, .. }
        | E::DiscountNotAllowed { field, .. }
        | E::NothingToApply { field, .. }
        | E::Overflow { field, .. }
        | E::LimitExceeded { field, .. } => Some(field),
        _ => None,
    }
}

/// A CSV file: its header and its records with their line numbers.
pub(crate) struct CsvFile {
    pub(crate) name: String,
    pub(crate) header: Vec<String>,
    index: HashMap<String, usize>,
    pub(crate) records: Vec<(usize, csv::StringRecord)>,
}

/// Lines above a header that [`CsvFile::find_header`] looks through.
pub(crate) const MAX_TITLE_LINES: usize = 20;

/// Most rows a file may have: far above any export a system produces, low
/// enough that a file cannot make the reader hold unbounded records.
pub const MAX_ROWS: usize = 5_000_000;

impl CsvFile {
    /// Reads `bytes` (UTF-8, or Latin-1 when not; a byte-order mark is
    /// dropped) as CSV with a header row.
    pub(crate) fn read(name: &str, bytes: &[u8], delimiter: u8) -> Result<Self, RowError> {
        Self::read_below(name, bytes, delimiter, 0)
    }

    /// The 0-based line, among the first [`MAX_TITLE_LINES`], that `is_header`
    /// accepts as a header (a report's title lines come above it), or 0.
    pub(crate) fn find_header(
        bytes: &[u8],
        delimiter: u8,
        is_header: impl Fn(&csv::StringRecord) -> bool,
    ) -> usize {
        let text = decode(bytes);
        for (i, line) in text.split_inclusive('\n').take(MAX_TITLE_LINES).enumerate() {
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .flexible(true)
                .has_headers(false)
                .from_reader(line.as_bytes());
            if let Some(Ok(record)) = reader.records().next() {
                if is_header(&record) {
                    return i;
                }
            }
        }
        0
    }

    /// Reads the file with its first `skip` lines (a report's title) left
    /// out; rows keep the line numbers of the whole file.
    pub(crate) fn read_below(
        name: &str,
        bytes: &[u8],
        delimiter: u8,
        skip: usize,
    ) -> Result<Self, RowError> {
        let text = decode(bytes);
        let start: usize = text
            .split_inclusive('\n')
            .take(skip)
            .map(str::len)
            .fold(0, usize::saturating_add);
        let body = text.get(start..).unwrap_or("");
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(body.as_bytes());
        let line_of = |p: Option<&csv::Position>| {
            p.map_or(0, |p| usize::try_from(p.line()).unwrap_or(usize::MAX))
                .saturating_add(skip)
        };
        let bad = |e: csv::Error| {
            let row = line_of(e.position());
            RowError::format(ErrorCode::Syntax, name, row, "", e.to_string())
        };
        let header: Vec<String> = reader
            .headers()
            .map_err(bad)?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect();
        let mut index = HashMap::with_capacity(header.len());
        for (i, h) in header.iter().enumerate() {
            if h.is_empty() {
                continue;
            }
            if index.insert(normalize(h), i).is_some() {
                return Err(RowError::format(
                    ErrorCode::InvalidValue,
                    name,
                    skip.saturating_add(1),
                    h,
                    "the column appears twice in the header",
                ));
            }
        }
        let mut records = Vec::new();
        for record in reader.records() {
            let record = record.map_err(bad)?;
            let line = line_of(record.position());
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            if records.len() >= MAX_ROWS {
                return Err(RowError::format(
                    ErrorCode::LimitExceeded,
                    name,
                    line,
                    "",
                    format!("more than {MAX_ROWS} rows"),
                ));
            }
            records.push((line, record));
        }
        Ok(CsvFile {
            name: name.to_owned(),
            header,
            index,
            records,
        })
    }

    /// The header as the file spells it that `column` matches.
    pub(crate) fn spelled(&self, column: &str) -> Option<&str> {
        let i = *self.index.get(&normalize(column))?;
        self.header.get(i).map(String::as_str)
    }

    pub(crate) fn has(&self, column: &str) -> bool {
        self.index.contains_key(&normalize(column))
    }

    /// Row `i`, for reading its fields.
    pub(crate) fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.records.iter().map(move |(line, record)| Row {
            file: self,
            line: *line,
            record,
        })
    }
}

/// One record of a [`CsvFile`].
#[derive(Clone, Copy)]
pub(crate) struct Row<'a> {
    pub(crate) file: &'a CsvFile,
    pub(crate) line: usize,
    record: &'a csv::StringRecord,
}

impl<'a> Row<'a> {
    /// An error at this row and `column`.
    pub(crate) fn error(
        &self,
        code: ErrorCode,
        column: &str,
        message: impl Into<String>,
    ) -> RowError {
        RowError::format(code, &self.file.name, self.line, column, message)
    }

    /// The trimmed value of `column`, `None` when the column is absent or
    /// the cell empty.
    pub(crate) fn get(&self, column: &str) -> Option<&'a str> {
        let i = *self.file.index.get(&normalize(column))?;
        let v = self.record.get(i)?.trim();
        (!v.is_empty()).then_some(v)
    }

    /// The value of a required `column`.
    pub(crate) fn req(&self, column: &str) -> Result<&'a str, RowError> {
        self.get(column).ok_or_else(|| {
            let why = if self.file.has(column) {
                "is empty"
            } else {
                "is not in the file's header"
            };
            self.error(
                ErrorCode::Missing,
                column,
                format!("a value is required; the column {why}"),
            )
        })
    }

    /// A date in `format` (chrono's `%Y-%m-%d` style), `None` when empty.
    pub(crate) fn date_opt(
        &self,
        column: &str,
        format: &str,
    ) -> Result<Option<NaiveDate>, RowError> {
        let Some(v) = self.get(column) else {
            return Ok(None);
        };
        parse_date(v, format).map(Some).ok_or_else(|| {
            self.error(
                ErrorCode::InvalidDate,
                column,
                format!(
                    "{} is not a date in the format {format}",
                    crate::error::shown(v)
                ),
            )
        })
    }

    /// A required date.
    pub(crate) fn date(&self, column: &str, format: &str) -> Result<NaiveDate, RowError> {
        self.req(column)?;
        self.date_opt(column, format)?
            .ok_or_else(|| self.error(ErrorCode::Missing, column, "a date is required"))
    }

    /// A decimal written in `style`, `None` when empty.
    pub(crate) fn decimal_opt(
        &self,
        column: &str,
        style: &NumberStyle,
    ) -> Result<Option<Decimal>, RowError> {
        let Some(v) = self.get(column) else {
            return Ok(None);
        };
        style.parse(v).map(Some).ok_or_else(|| {
            self.error(
                ErrorCode::InvalidAmount,
                column,
                format!(
                    "{} is not a number written as {}",
                    crate::error::shown(v),
                    style.describe()
                ),
            )
        })
    }

    /// A required decimal.
    pub(crate) fn decimal(&self, column: &str, style: &NumberStyle) -> Result<Decimal, RowError> {
        self.req(column)?;
        self.decimal_opt(column, style)?
            .ok_or_else(|| self.error(ErrorCode::Missing, column, "a number is required"))
    }

    /// A currency code, `None` when empty.
    pub(crate) fn currency_opt(&self, column: &str) -> Result<Option<Currency>, RowError> {
        let Some(v) = self.get(column) else {
            return Ok(None);
        };
        Currency::parse_field(column, &v.to_ascii_uppercase())
            .map(Some)
            .map_err(|e| self.error(ErrorCode::InvalidValue, column, e.to_string()))
    }
}

/// A header as matched: without case, spaces, underscores or the `*` that
/// marks required columns (`*InvoiceNumber` is `invoice number`).
pub(crate) fn normalize(header: &str) -> String {
    header
        .chars()
        .filter(|c| !matches!(c, '*' | ' ' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A date in a chrono format; `%Y%m%d` and the like need the exact length.
pub(crate) fn parse_date(v: &str, format: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(v, format).ok()
}

/// How numbers are written: the decimal mark and the digit grouping mark.
/// Negative amounts may be written `-1.00`, `1.00-` (SAP) or `(1.00)`
/// (accounting style); a currency symbol in front (`$`, `€`, `£`, `¥`) is
/// ignored. Grouping marks must stand between groups of three digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberStyle {
    /// Decimal mark: `.` or `,`.
    pub decimal: char,
    /// Digit grouping mark (`,`, `.`, `'`, a space), if any is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grouping: Option<char>,
}

impl Default for NumberStyle {
    fn default() -> Self {
        NumberStyle {
            decimal: '.',
            grouping: Some(','),
        }
    }
}

impl NumberStyle {
    fn describe(&self) -> String {
        match self.grouping {
            Some(g) => format!("1{g}234{}56", self.decimal),
            None => format!("1234{}56", self.decimal),
        }
    }

    /// The exact decimal `text` stands for, or `None`.
    ///
    /// # Example
    /// ```
    /// use ar_formats::NumberStyle;
    /// let de = NumberStyle { decimal: ',', grouping: Some('.') };
    /// assert_eq!(de.parse("1.234,56-").unwrap().to_string(), "-1234.56");
    /// assert_eq!(NumberStyle::default().parse("($1,200.00)").unwrap().to_string(), "-1200.00");
    /// assert!(NumberStyle::default().parse("1e5").is_none());
    /// assert!(de.parse("1.190.00").is_none());
    /// ```
    pub fn parse(&self, text: &str) -> Option<Decimal> {
        let mut t = text.trim();
        let mut negative = false;
        if let Some(inner) = t.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
            negative = true;
            t = inner.trim();
        }
        if let Some(rest) = t.strip_suffix('-') {
            negative = !negative;
            t = rest.trim();
        } else if let Some(rest) = t.strip_prefix('-') {
            negative = !negative;
            t = rest.trim();
        }
        let t = t.trim_start_matches(['$', '€', '£', '¥']).trim();
        if negative && t.starts_with('-') {
            return None;
        }
        let mut plain = String::with_capacity(t.len().saturating_add(1));
        if negative {
            plain.push('-');
        }
        let (int, frac) = match t.split_once(self.decimal) {
            Some((i, f)) => (i, Some(f)),
            None => (t, None),
        };
        // Grouping marks only between groups of three digits: `1.190.00`
        // read with `.` grouping is a mistake, not 119000.
        let mut groups = match self.grouping {
            Some(g) => int.split(g).collect::<Vec<_>>(),
            None => vec![int],
        };
        if groups.len() > 1
            && (groups.first().is_none_or(|g| g.is_empty() || g.len() > 3)
                || groups.iter().skip(1).any(|g| g.len() != 3))
        {
            return None;
        }
        if let Some(f) = frac {
            groups.push(".");
            groups.push(f);
        }
        for part in groups {
            if part == "." {
                plain.push('.');
            } else if part.chars().all(|c| c.is_ascii_digit()) {
                plain.push_str(part);
            } else {
                return None;
            }
        }
        ar_core::parse_decimal("amount", &plain).ok()
    }

    /// `amount` written in this style, without grouping: `1234,56`.
    ///
    /// # Example
    /// ```
    /// use ar_formats::NumberStyle;
    /// let de = NumberStyle { decimal: ',', grouping: Some('.') };
    /// assert_eq!(de.write("-1234.56".parse().unwrap()), "-1234,56");
    /// ```
    pub fn write(&self, amount: Decimal) -> String {
        let s = amount.to_string();
        if self.decimal == '.' {
            s
        } else {
            s.replace('.', &self.decimal.to_string())
        }
    }
}
