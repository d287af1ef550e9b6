//! Columns of `ar.Book`'s tables (and `Ledger.from_tables`') read straight from their Arrow buffers:
//! no Python object per row. pyarrow hands over each buffer as one `bytes`
//! (see `python/ar/_bulk.py`); everything here is plain Rust over byte
//! slices, so it runs with the GIL released.
//!
//! Supported layouts: `utf8` / `large_utf8` (offsets + data), dictionary
//! encoded text (pandas categoricals), `decimal32/64/128/256` (little-endian
//! two's complement + the type's scale), integers, floats (amounts only, on
//! request), `date32`, `date64`, `timestamp` (midnight only, no timezone
//! other than UTC) and the `null` type. A null where a value is needed, a
//! type the column cannot hold and a malformed buffer are errors naming
//! `table.column` (and `[row]` when a row is at fault).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::str::FromStr;

use ar_core::bulk::{SettlementKind, StrColumn};
use ar_core::chrono::{DateTime, NaiveDate};
use ar_core::rust_decimal::Decimal;
use ar_core::{parse_decimal, Currency, Error, PaymentTerms, Result, RoundingPolicy};

/// The physical layout of one chunk, as classified by `ar._bulk`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `string`: `i32` offsets and UTF-8 data.
    Utf8,
    /// `large_string`: `i64` offsets and UTF-8 data.
    LargeUtf8,
    /// `decimal{32,64,128,256}`: `width` bytes per value, little-endian two's
    /// complement, `scale` digits after the point.
    Decimal { width: usize, scale: i64 },
    /// `float16/32/64`, `width` bytes.
    Float { width: usize },
    /// Integers of `width` bytes.
    Int { width: usize, signed: bool },
    /// Days since 1970-01-01, `i32`.
    Date32,
    /// Milliseconds since 1970-01-01, `i64`, a whole number of days.
    Date64,
    /// `i64` since 1970-01-01 00:00, `per_day` units a day; no timezone or UTC.
    Timestamp { per_day: i64 },
    /// A timestamp in a timezone other than UTC (refused: its dates depend
    /// on the zone).
    TimestampTz,
    /// Indices of `width` bytes into the chunk's `dictionary`.
    Dictionary { width: usize, signed: bool },
    /// The `null` type: every value is null.
    Null,
    /// Anything else (refused with `invalid_type`).
    Other,
}

impl Kind {
    /// The kind from `ar._bulk`'s name for it; `Other` for a name it does
    /// not know.
    pub fn from_parts(name: &str, width: usize, signed: bool, scale: i64, per_day: i64) -> Kind {
        match name {
            "utf8" => Kind::Utf8,
            "large_utf8" => Kind::LargeUtf8,
            "decimal" => Kind::Decimal { width, scale },
            "float" => Kind::Float { width },
            "int" => Kind::Int { width, signed },
            "date32" => Kind::Date32,
            "date64" => Kind::Date64,
            "timestamp" if per_day > 0 => Kind::Timestamp { per_day },
            "timestamp_tz" => Kind::TimestampTz,
            "dictionary" => Kind::Dictionary { width, signed },
            "null" => Kind::Null,
            _ => Kind::Other,
        }
    }
}

/// One chunk of a column: `len` values from element `offset` of its buffers.
#[derive(Debug, Clone)]
pub struct Array<'a> {
    /// Layout.
    pub kind: Kind,
    /// Number of values.
    pub len: usize,
    /// Index of the first value in the buffers (a sliced array).
    pub offset: usize,
    /// Validity bitmap (bit set: valid); `None` when nothing is null.
    pub validity: Option<&'a [u8]>,
    /// Values, offsets or dictionary indices.
    pub values: &'a [u8],
    /// Text data (`utf8`, `large_utf8`).
    pub data: &'a [u8],
    /// The dictionary of a dictionary-encoded chunk.
    pub dictionary: Option<Box<Array<'a>>>,
}

/// A column: its name as `table.column`, its Arrow type's name (for
/// messages) and its chunks, in row order.
#[derive(Debug, Clone)]
pub struct Column<'a> {
    /// `table.column`.
    pub field: String,
    /// The Arrow type, as pyarrow prints it (`decimal128(18, 2)`, `float64`).
    pub type_name: String,
    /// The chunks.
    pub chunks: Vec<Array<'a>>,
}

impl Column<'_> {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.chunks.iter().map(|c| c.len).sum()
    }

    fn at(&self, row: usize) -> String {
        format!("{}[{row}]", self.field)
    }

    fn wrong_type(&self, expected: &str) -> Error {
        Error::InvalidType {
            field: self.field.clone(),
            expected: expected.to_owned(),
            found: self.type_name.clone(),
        }
    }

    fn null(&self, row: usize) -> Error {
        Error::InvalidValue {
            field: self.at(row),
            value: "null".into(),
            reason: "a value is required".into(),
        }
    }

    /// Buffers that do not hold what their type says: the buffer at
    /// fault is the value shown, not the type, which is one the column may
    /// have.
    fn malformed(&self, what: &str) -> Error {
        Error::InvalidValue {
            field: self.field.clone(),
            value: what.to_owned(),
            reason: format!("the column's Arrow {} array is malformed", self.type_name),
        }
    }
}

// ----- buffers ------------------------------------------------------------------

/// Is value `i` of the chunk valid (not null)?
fn valid(a: &Array<'_>, i: usize) -> bool {
    match a.validity {
        None => true,
        Some(bits) => {
            let j = a.offset + i;
            bits.get(j / 8).is_some_and(|b| (b >> (j % 8)) & 1 == 1)
        }
    }
}

/// Checks that the chunk's validity bitmap (if any) has a bit for each of
/// its values.
fn check_validity(col: &Column<'_>, a: &Array<'_>) -> Result<()> {
    if let Some(bits) = a.validity {
        match a.offset.checked_add(a.len) {
            Some(end) if bits.len() >= end.div_ceil(8) => {}
            _ => return Err(col.malformed("validity bitmap too short")),
        }
    }
    Ok(())
}

/// The chunk's values as `width`-byte items, checked long enough, and its
/// validity bitmap checked too.
fn fixed<'a>(
    col: &Column<'_>,
    a: &Array<'a>,
    width: usize,
) -> Result<std::slice::ChunksExact<'a, u8>> {
    check_validity(col, a)?;
    let end = a.offset.checked_add(a.len);
    let range = end
        .and_then(|e| Some(a.offset.checked_mul(width)?..e.checked_mul(width)?))
        .filter(|_| width > 0);
    match range.and_then(|r| a.values.get(r)) {
        Some(bytes) => Ok(bytes.chunks_exact(width)),
        None => Err(col.malformed("value buffer too short")),
    }
}

/// A little-endian two's-complement (or unsigned) integer of 1 to 16 bytes,
/// or of 32 bytes when it fits 128 bits.
fn int(bytes: &[u8], signed: bool) -> Option<i128> {
    // The common widths first, without the general case's buffer.
    if signed {
        if let Ok(b) = <[u8; 8]>::try_from(bytes) {
            return Some(i128::from(i64::from_le_bytes(b)));
        }
        if let Ok(b) = <[u8; 16]>::try_from(bytes) {
            return Some(i128::from_le_bytes(b));
        }
        if let Ok(b) = <[u8; 4]>::try_from(bytes) {
            return Some(i128::from(i32::from_le_bytes(b)));
        }
    }
    let negative = signed && bytes.last().is_some_and(|b| b & 0x80 != 0);
    let fill = if negative { 0xFF } else { 0 };
    let (low, high) = bytes.split_at(bytes.len().min(16));
    if high.iter().any(|b| *b != fill)
        || (!high.is_empty() && (low.last()? & 0x80 != 0) != negative)
    {
        return None;
    }
    let mut buf = [fill; 16];
    buf.get_mut(..low.len())?.copy_from_slice(low);
    let v = i128::from_le_bytes(buf);
    if !signed && low.len() == 16 && v < 0 {
        return None; // a u128 over i128::MAX: no Arrow type is one
    }
    Some(v)
}

/// The values of a `utf8` / `large_utf8` chunk, in order; `None` inside
/// for a malformed offset.
struct Texts<'a> {
    ends: std::slice::ChunksExact<'a, u8>,
    text: &'a str,
    first: usize,
    prev: usize,
}

impl<'a> Texts<'a> {
    fn new(col: &Column<'_>, a: &Array<'a>) -> Result<Self> {
        let width = if a.kind == Kind::LargeUtf8 { 8 } else { 4 };
        check_validity(col, a)?;
        // A chunk of `len` strings has `len + 1` offsets; the validity
        // bitmap has bits for the strings only (`len`), so the offsets are
        // read without it (checking it for `len + 1` refused every column
        // of 8, 16, ... rows with nulls whose bitmap ends on a byte).
        let offsets = Array {
            len: a.len.saturating_add(1),
            validity: None,
            ..a.clone()
        };
        let mut ends = fixed(col, &offsets, width)?;
        let first = ends
            .next()
            .and_then(Self::offset)
            .ok_or_else(|| col.malformed("bad offsets"))?;
        let last = ends
            .clone()
            .last()
            .map_or(Some(first), Self::offset)
            .ok_or_else(|| col.malformed("bad offsets"))?;
        let bytes = a
            .data
            .get(first..last)
            .ok_or_else(|| col.malformed("offsets outside the data"))?;
        let text = std::str::from_utf8(bytes).map_err(|_| col.malformed("text is not UTF-8"))?;
        Ok(Texts {
            ends,
            text,
            first,
            prev: 0,
        })
    }

    fn offset(b: &[u8]) -> Option<usize> {
        usize::try_from(int(b, true)?).ok()
    }
}

impl<'a> Iterator for Texts<'a> {
    type Item = Option<&'a str>;

    fn next(&mut self) -> Option<Self::Item> {
        let end = self.ends.next()?;
        let value = Self::offset(end)
            .and_then(|e| e.checked_sub(self.first))
            .and_then(|e| {
                let v = self.text.get(self.prev..e)?;
                self.prev = e;
                Some(v)
            });
        Some(value)
    }
}

/// The values of a text dictionary (`None` for a null entry).
fn dictionary_texts<'a>(
    col: &Column<'_>,
    dict: &Array<'a>,
    expected: &str,
) -> Result<Vec<Option<&'a str>>> {
    match dict.kind {
        Kind::Utf8 | Kind::LargeUtf8 => Texts::new(col, dict)?
            .enumerate()
            .map(|(i, v)| match v {
                Some(s) => Ok(valid(dict, i).then_some(s)),
                None => Err(col.malformed("bad offsets")),
            })
            .collect(),
        _ => Err(col.wrong_type(expected)),
    }
}

/// Calls `f(row, value)` for every row of a text column (`utf8`,
/// `large_utf8`, dictionary-encoded text or `null`); `value` is `None` for a
/// null. Any other type is an `invalid_type` expecting `expected`.
fn texts<'a>(
    col: &Column<'a>,
    expected: &str,
    mut f: impl FnMut(usize, Option<&'a str>) -> Result<()>,
) -> Result<()> {
    let mut row = 0;
    for a in &col.chunks {
        match a.kind {
            Kind::Utf8 | Kind::LargeUtf8 => {
                for (i, value) in Texts::new(col, a)?.enumerate() {
                    let value = value.ok_or_else(|| col.malformed("bad offsets"))?;
                    f(row + i, valid(a, i).then_some(value))?;
                }
            }
            Kind::Dictionary { width, signed } => {
                let dict = a
                    .dictionary
                    .as_deref()
                    .ok_or_else(|| col.malformed("no dictionary"))?;
                let values = dictionary_texts(col, dict, expected)?;
                for (i, index) in fixed(col, a, width)?.enumerate() {
                    if !valid(a, i) {
                        f(row + i, None)?;
                        continue;
                    }
                    let value = int(index, signed)
                        .and_then(|k| usize::try_from(k).ok())
                        .and_then(|k| values.get(k).copied())
                        .ok_or_else(|| col.malformed("dictionary index out of range"))?;
                    f(row + i, value)?;
                }
            }
            Kind::Null => {
                for i in 0..a.len {
                    f(row + i, None)?;
                }
            }
            _ => return Err(col.wrong_type(expected)),
        }
        row += a.len;
    }
    Ok(())
}

// ----- text -----------------------------------------------------------------------

/// What a null in a text column means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nulls {
    /// An error naming the row.
    Refuse,
    /// The empty string (an unidentified payer, a missing dimension); for
    /// an amount, none: zero (a discount not taken).
    Empty,
}

/// A text column as a [`StrColumn`], copied row by row into one buffer.
pub fn strings(col: &Column<'_>, nulls: Nulls) -> Result<StrColumn> {
    let rows = col.len();
    let bytes = col.chunks.iter().map(|c| c.data.len()).sum();
    let mut out = StrColumn::with_capacity(rows, bytes);
    if rows == 0 {
        return Ok(out);
    }
    // Text chunks without nulls are appended whole, not row by row.
    if col
        .chunks
        .iter()
        .all(|a| matches!(a.kind, Kind::Utf8 | Kind::LargeUtf8) && a.validity.is_none())
    {
        for a in &col.chunks {
            let t = Texts::new(col, a)?;
            let first = t.first;
            let ends = t.ends.map(|b| {
                Texts::offset(b)
                    .and_then(|e| e.checked_sub(first))
                    .unwrap_or(usize::MAX)
            });
            out.extend_ends(&col.field, t.text, ends)
                .map_err(|_| col.malformed("bad offsets"))?;
        }
        return Ok(out);
    }
    texts(col, "str", |row, value| {
        match (value, nulls) {
            (Some(v), _) => out.push(v),
            (None, Nulls::Empty) => out.push(""),
            (None, Nulls::Refuse) => return Err(col.null(row)),
        }
        Ok(())
    })?;
    Ok(out)
}

/// Currencies: the column's ISO codes (a null takes `default`), or
/// `default` for all `rows` when there is no column. No currency at all for
/// a row is an `invalid_value` naming `currency`.
pub fn currencies(
    table: &str,
    col: Option<&Column<'_>>,
    default: Option<Currency>,
    rows: usize,
) -> Result<Vec<Currency>> {
    let missing = || Error::InvalidValue {
        field: "currency".into(),
        value: "None".into(),
        reason: format!("required: {table} has no currency column"),
    };
    let Some(col) = col else {
        if rows == 0 {
            return Ok(Vec::new());
        }
        return default.map(|c| vec![c; rows]).ok_or_else(missing);
    };
    let mut out = Vec::with_capacity(rows);
    if rows == 0 {
        return Ok(out);
    }
    let mut seen: HashMap<&str, Currency> = HashMap::new();
    let mut last: Option<(&str, Currency)> = None;
    texts(col, "str (an ISO 4217 code)", |row, value| {
        let currency = match value {
            None => default.ok_or_else(|| Error::InvalidValue {
                field: col.at(row),
                value: "null".into(),
                reason: "a value is required (or pass the currency argument)".into(),
            })?,
            Some(code) => match last {
                Some((l, c)) if l == code => c,
                _ => {
                    let c = match seen.get(code) {
                        Some(c) => *c,
                        None => {
                            let c = Currency::parse_field(&col.at(row), code)?;
                            seen.insert(code, c);
                            c
                        }
                    };
                    last = Some((code, c));
                    c
                }
            },
        };
        out.push(currency);
        Ok(())
    })?;
    Ok(out)
}

/// A value per row of a text column: `parse(row, text)`, or `null` for a
/// null.
fn parsed<T: Clone>(
    col: &Column<'_>,
    null: &T,
    mut parse: impl FnMut(usize, &str) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out = Vec::with_capacity(col.len());
    if col.len() == 0 {
        return Ok(out);
    }
    texts(col, "str", |row, value| {
        out.push(match value {
            None => null.clone(),
            Some(text) => parse(row, text)?,
        });
        Ok(())
    })?;
    Ok(out)
}

/// Settlement kinds: `payment` (also for a null), `credit`, `discount`,
/// `write_off`.
pub fn kinds(col: &Column<'_>) -> Result<Vec<SettlementKind>> {
    const NAMES: [(&str, SettlementKind); 4] = [
        ("payment", SettlementKind::Payment),
        ("credit", SettlementKind::Credit),
        ("discount", SettlementKind::Discount),
        ("write_off", SettlementKind::WriteOff),
    ];
    parsed(col, &SettlementKind::Payment, |row, name| {
        NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, k)| *k)
            .ok_or_else(|| Error::InvalidValue {
                field: col.at(row),
                value: name.to_owned(),
                reason: "expected \"payment\", \"credit\", \"discount\" or \"write_off\"".into(),
            })
    })
}

/// Payment terms as text (`"net 30"`, `"2/10 net 30"`, `"EOM + 15"`,
/// `"due on receipt"`), parsed as `PaymentTerms` parses them; a null is
/// the default terms. A text the core cannot parse is its `invalid_terms`,
/// naming the row.
pub fn terms(col: &Column<'_>) -> Result<Vec<PaymentTerms>> {
    parsed(col, &PaymentTerms::default(), |row, text| {
        text.parse().map_err(|e| match e {
            Error::InvalidTerms { reason, .. } => Error::InvalidTerms {
                field: col.at(row),
                reason,
            },
            other => other,
        })
    })
}

// ----- dates ------------------------------------------------------------------------

/// 1970-01-01 as days from 0001-01-01 (chrono's day numbering).
const EPOCH_FROM_CE: i64 = 719_163;
const DATE_EXPECTED: &str =
    "date (date32, datetime64 / timestamp at midnight without a timezone, or \"YYYY-MM-DD\")";

fn epoch_day(days: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(days.checked_add(EPOCH_FROM_CE)?).ok()?)
}

/// Dates by day number, remembered in a small direct-mapped table: a book's
/// dates span a few hundred days, each converted once.
struct DayCache {
    slots: Vec<(i64, NaiveDate)>,
}

impl DayCache {
    const SLOTS: i64 = 4096;

    fn new() -> Self {
        DayCache {
            slots: vec![(i64::MIN, NaiveDate::MIN); Self::SLOTS as usize],
        }
    }

    /// The date `days` after 1970-01-01, or `None` out of range.
    fn get(&mut self, days: i64) -> Option<NaiveDate> {
        let slot = self
            .slots
            .get_mut(usize::try_from(days.rem_euclid(Self::SLOTS)).unwrap_or_default())?;
        if slot.0 != days {
            *slot = (days, epoch_day(days)?);
        }
        Some(slot.1)
    }
}

/// Parses exactly `YYYY-MM-DD`.
fn iso_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let digits = b.get(r)?;
        digits.iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

/// A timestamp of `per_day` units a day, as text, for a message.
fn timestamp_text(value: i64, per_day: i64) -> String {
    let per_second = (per_day / 86_400).max(1);
    let nanos_per_unit = 1_000_000_000 / per_second;
    let secs = value.div_euclid(per_second);
    let sub = value.rem_euclid(per_second) * nanos_per_unit;
    u32::try_from(sub)
        .ok()
        .and_then(|n| DateTime::from_timestamp(secs, n))
        .map_or_else(|| value.to_string(), |t| t.naive_utc().to_string())
}

/// `value.div_euclid(per_day)`, the usual units' divisors spelled out as
/// constants: a division by a constant is a multiplication, by a variable
/// a slow instruction, and a book has millions of dates.
fn per_day_div(value: i64, per_day: i64) -> i64 {
    match per_day {
        86_400_000_000_000 => value.div_euclid(86_400_000_000_000),
        86_400_000_000 => value.div_euclid(86_400_000_000),
        86_400_000 => value.div_euclid(86_400_000),
        86_400 => value.div_euclid(86_400),
        _ => value.div_euclid(per_day),
    }
}

/// A date column: `date32`, `date64`, a timestamp at midnight (pandas
/// `datetime64`; a time of day is refused with `invalid_date`), or
/// `YYYY-MM-DD` text.
pub fn dates(col: &Column<'_>) -> Result<Vec<NaiveDate>> {
    let rows = col.len();
    let mut out = Vec::with_capacity(rows);
    if rows == 0 {
        return Ok(out);
    }
    let bad = |row: usize, value: String, expected: &str| Error::InvalidDate {
        field: col.at(row),
        value,
        expected: expected.to_owned(),
    };
    let mut cache = DayCache::new();
    let mut row = 0;
    for a in &col.chunks {
        match a.kind {
            Kind::Date32 | Kind::Date64 | Kind::Timestamp { .. } => {
                let (width, per_day) = match a.kind {
                    Kind::Date32 => (4, 1),
                    Kind::Date64 => (8, 86_400_000),
                    Kind::Timestamp { per_day } => (8, per_day),
                    _ => (8, 1),
                };
                for (i, bytes) in fixed(col, a, width)?.enumerate() {
                    if !valid(a, i) {
                        return Err(col.null(row + i));
                    }
                    let value = int(bytes, true)
                        .and_then(|v| i64::try_from(v).ok())
                        .ok_or_else(|| col.malformed("bad value"))?;
                    let days = if per_day == 1 {
                        value
                    } else {
                        let days = per_day_div(value, per_day);
                        if days.checked_mul(per_day) != Some(value) {
                            return Err(bad(
                                row + i,
                                timestamp_text(value, per_day),
                                "date (a timestamp must be at midnight: drop the time with .dt.normalize())",
                            ));
                        }
                        days
                    };
                    let day = cache
                        .get(days)
                        .ok_or_else(|| bad(row + i, value.to_string(), "date (out of range)"))?;
                    out.push(day);
                }
            }
            _ => {
                let one = Column {
                    field: col.field.clone(),
                    type_name: col.type_name.clone(),
                    chunks: vec![a.clone()],
                };
                texts(&one, DATE_EXPECTED, |i, value| {
                    let text = value.ok_or_else(|| col.null(row + i))?;
                    let day = iso_date(text)
                        .ok_or_else(|| bad(row + i, text.to_owned(), "date (YYYY-MM-DD)"))?;
                    out.push(day);
                    Ok(())
                })?;
            }
        }
        row += a.len;
    }
    Ok(out)
}

// ----- amounts ------------------------------------------------------------------------

/// Whether an amount column may hold binary floats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Floats {
    /// Refused with `invalid_type` (the default: `amounts="decimal"`).
    Refuse,
    /// Rounded once, half away from zero, to the row's currency's minor unit
    /// (`amounts="float"`).
    Round,
}

const AMOUNT_EXPECTED: &str = "exact amounts (decimal128, decimal.Decimal, int or str; \
     floats only with ar.Book(..., amounts=\"float\"))";

fn out_of_range(field: String, value: impl ToString) -> Error {
    Error::InvalidValue {
        field,
        value: value.to_string(),
        reason: "cannot be held exactly (at most 28 significant digits and 28 decimal places)"
            .into(),
    }
}

/// `mantissa x 10^-scale` as a `Decimal`, exactly, or `None`.
fn scaled(mut mantissa: i128, mut scale: i64) -> Option<Decimal> {
    while scale < 0 {
        mantissa = mantissa.checked_mul(10)?;
        scale += 1;
    }
    while scale > 28 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    Decimal::try_from_i128_with_scale(mantissa, u32::try_from(scale).ok()?).ok()
}

/// A decimal's unscaled value as text, for a message.
fn scaled_text(mantissa: i128, scale: i64) -> String {
    format!("{mantissa}E-{scale}")
}

/// An amount column: decimals (exact, at the type's scale), integers,
/// decimal text (`"1234.50"`) or, with [`Floats::Round`], binary floats
/// rounded once, half away from zero, to the minor unit of `currency(row)`
/// (unrounded when the row's currency is unknown: the core reports that row
/// first). A null is refused, or with [`Nulls::Empty`] is zero.
pub fn amounts(
    col: &Column<'_>,
    floats: Floats,
    nulls: Nulls,
    currency: impl Fn(usize) -> Option<Currency>,
) -> Result<Vec<Decimal>> {
    let rows = col.len();
    let mut out = Vec::with_capacity(rows);
    if rows == 0 {
        return Ok(out);
    }
    // A null is an error, or with `Nulls::Empty` no amount: zero.
    let null = |row: usize| match nulls {
        Nulls::Refuse => Err(col.null(row)),
        Nulls::Empty => Ok(Decimal::ZERO),
    };
    let mut row = 0;
    let mut buf = String::new();
    for a in &col.chunks {
        match a.kind {
            Kind::Decimal { width, scale } => {
                for (i, bytes) in fixed(col, a, width)?.enumerate() {
                    if !valid(a, i) {
                        out.push(null(row + i)?);
                        continue;
                    }
                    let mantissa = int(bytes, true);
                    let value = mantissa.and_then(|m| scaled(m, scale)).ok_or_else(|| {
                        out_of_range(
                            col.at(row + i),
                            mantissa.map_or_else(
                                || "(over 128 bits)".into(),
                                |m| scaled_text(m, scale),
                            ),
                        )
                    })?;
                    out.push(value);
                }
            }
            Kind::Int { width, signed } => {
                for (i, bytes) in fixed(col, a, width)?.enumerate() {
                    if !valid(a, i) {
                        out.push(null(row + i)?);
                        continue;
                    }
                    let value = int(bytes, signed)
                        .and_then(|v| scaled(v, 0))
                        .ok_or_else(|| out_of_range(col.at(row + i), "(integer)"))?;
                    out.push(value);
                }
            }
            Kind::Float {
                width: width @ (4 | 8),
            } if floats == Floats::Round => {
                for (i, bytes) in fixed(col, a, width)?.enumerate() {
                    if !valid(a, i) {
                        out.push(null(row + i)?);
                        continue;
                    }
                    // The shortest text that reads back as the same float (what
                    // `repr` prints: 0.1, not 0.1000000000000000055...).
                    buf.clear();
                    let finite = match <[u8; 8]>::try_from(bytes) {
                        Ok(b) => {
                            let v = f64::from_le_bytes(b);
                            let _ = write!(buf, "{v}");
                            v.is_finite()
                        }
                        Err(_) => {
                            let v =
                                f32::from_le_bytes(<[u8; 4]>::try_from(bytes).unwrap_or_default());
                            let _ = write!(buf, "{v}");
                            v.is_finite()
                        }
                    };
                    if !finite {
                        return Err(Error::InvalidDecimal {
                            field: col.at(row + i),
                            value: buf.clone(),
                        });
                    }
                    let value =
                        Decimal::from_str(&buf).map_err(|_| out_of_range(col.at(row + i), &buf))?;
                    let value = match currency(row + i) {
                        Some(c) => RoundingPolicy::HalfAwayFromZero.round_to(value, c),
                        None => value,
                    };
                    out.push(value);
                }
            }
            Kind::Float { .. } => return Err(col.wrong_type(AMOUNT_EXPECTED)),
            _ => {
                let one = Column {
                    field: col.field.clone(),
                    type_name: col.type_name.clone(),
                    chunks: vec![a.clone()],
                };
                texts(&one, AMOUNT_EXPECTED, |i, value| {
                    let Some(text) = value else {
                        out.push(null(row + i)?);
                        return Ok(());
                    };
                    // The field is formatted only for an error.
                    let value = parse_decimal("", text)
                        .or_else(|_| parse_decimal(&col.at(row + i), text))?;
                    out.push(value);
                    Ok(())
                })?;
            }
        }
        row += a.len;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf8<'a>(offsets: &'a [u8], data: &'a [u8], len: usize) -> Array<'a> {
        Array {
            kind: Kind::Utf8,
            len,
            offset: 0,
            validity: None,
            values: offsets,
            data,
            dictionary: None,
        }
    }

    fn fixed_array(kind: Kind, values: &[u8], len: usize) -> Array<'_> {
        Array {
            kind,
            len,
            offset: 0,
            validity: None,
            values,
            data: &[],
            dictionary: None,
        }
    }

    fn column<'a>(chunks: Vec<Array<'a>>) -> Column<'a> {
        Column {
            field: "t.c".into(),
            type_name: "test".into(),
            chunks,
        }
    }

    fn le32(values: &[i32]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    fn le64(values: &[i64]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    fn le128(values: &[i128]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    #[test]
    fn text_with_nulls_slices_and_dictionaries() {
        let offsets = le32(&[0, 2, 2, 5, 6]);
        let mut a = utf8(&offsets, b"J1J10K", 4);
        let bits = [0b1101u8]; // row 1 is null
        a.validity = Some(&bits);
        let col = column(vec![a.clone()]);
        let s = strings(&col, Nulls::Empty).unwrap();
        assert_eq!(s.iter().collect::<Vec<_>>(), ["J1", "", "J10", "K"]);
        let e = strings(&col, Nulls::Refuse).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.c[1]: \"null\" is not allowed: a value is required"
        );
        // A slice: offset 2, two values.
        let sliced = Array {
            offset: 2,
            len: 2,
            ..a.clone()
        };
        let s = strings(&column(vec![sliced]), Nulls::Refuse).unwrap();
        assert_eq!(s.iter().collect::<Vec<_>>(), ["J10", "K"]);
        // Without nulls, chunks are taken whole: a slice, then a chunk.
        let plain = utf8(&offsets, b"J1J10K", 4);
        let tail = Array {
            offset: 2,
            len: 2,
            ..plain.clone()
        };
        let s = strings(&column(vec![tail, plain]), Nulls::Refuse).unwrap();
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            ["J10", "K", "J1", "", "J10", "K"]
        );
        // Two chunks: rows are numbered across them.
        let e = strings(
            &column(vec![utf8(&offsets, b"J1J10K", 4), a]),
            Nulls::Refuse,
        );
        assert!(e.unwrap_err().to_string().starts_with("t.c[5]:"));
        // Dictionary: int8 indices into ["N", "S"].
        let dict_offsets = le32(&[0, 1, 2]);
        let dict = utf8(&dict_offsets, b"NS", 2);
        let indices = [1u8, 0, 1];
        let coded = Array {
            kind: Kind::Dictionary {
                width: 1,
                signed: true,
            },
            dictionary: Some(Box::new(dict)),
            ..fixed_array(Kind::Null, &indices, 3)
        };
        let s = strings(&column(vec![coded.clone()]), Nulls::Refuse).unwrap();
        assert_eq!(s.iter().collect::<Vec<_>>(), ["S", "N", "S"]);
        let bad = [2u8];
        let out_of_range = Array {
            values: &bad,
            len: 1,
            ..coded
        };
        let e = strings(&column(vec![out_of_range]), Nulls::Refuse).unwrap_err();
        assert!(
            e.to_string().contains("dictionary index out of range"),
            "{e}"
        );
    }

    #[test]
    fn a_bitmap_ending_on_a_byte_covers_its_rows_not_the_offsets() {
        // 8 strings, 9 offsets, and one byte of validity: row 0 null.
        let ends: Vec<i32> = (0..=8).collect();
        let offsets = le32(&ends);
        let bits = [0b1111_1110u8];
        let mut a = utf8(&offsets, b"abcdefgh", 8);
        a.validity = Some(&bits);
        let s = strings(&column(vec![a.clone()]), Nulls::Empty).unwrap();
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            ["", "b", "c", "d", "e", "f", "g", "h"]
        );
        // Nine rows need two bytes: one is malformed, and the message
        // names the buffer, not the (allowed) type as "not allowed".
        let offsets9 = le32(&(0..=9).collect::<Vec<i32>>());
        let mut b = utf8(&offsets9, b"abcdefghi", 9);
        b.validity = Some(&bits);
        let e = strings(&column(vec![b]), Nulls::Empty).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.c: \"validity bitmap too short\" is not allowed: the column's Arrow test array is malformed"
        );
    }

    #[test]
    fn malformed_buffers_are_errors_not_panics() {
        let short = le32(&[0, 2]);
        let e = strings(&column(vec![utf8(&short, b"J1", 3)]), Nulls::Refuse).unwrap_err();
        assert_eq!(e.code(), "invalid_value");
        assert!(
            e.to_string().contains("Arrow test array is malformed"),
            "{e}"
        );
        let beyond = le32(&[0, 9]);
        assert!(strings(&column(vec![utf8(&beyond, b"J1", 1)]), Nulls::Refuse).is_err());
        let backwards = le32(&[0, 2, 1]);
        assert!(strings(&column(vec![utf8(&backwards, b"J1", 2)]), Nulls::Refuse).is_err());
        let split = le32(&[0, 1, 2]);
        let e = strings(
            &column(vec![utf8(&split, "é".as_bytes(), 2)]),
            Nulls::Refuse,
        );
        assert!(e.is_err());
        let not_utf8 = le32(&[0, 1]);
        assert!(strings(&column(vec![utf8(&not_utf8, &[0xFF], 1)]), Nulls::Refuse).is_err());
        let values = le32(&[1]);
        let e = dates(&column(vec![fixed_array(Kind::Date32, &values, 2)])).unwrap_err();
        assert!(e.to_string().contains("value buffer too short"), "{e}");
        let mut a = fixed_array(Kind::Date32, &values, 1);
        a.validity = Some(&[]);
        assert!(dates(&column(vec![a])).is_err());
    }

    #[test]
    fn integers_of_every_width() {
        assert_eq!(int(&[0xFF], true), Some(-1));
        assert_eq!(int(&[0xFF], false), Some(255));
        assert_eq!(int(&(-2i16).to_le_bytes(), true), Some(-2));
        assert_eq!(
            int(&u64::MAX.to_le_bytes(), false),
            Some(i128::from(u64::MAX))
        );
        assert_eq!(int(&(-7i128).to_le_bytes(), true), Some(-7));
        // decimal256: fits when the high half only extends the sign.
        let mut wide = (-5i128).to_le_bytes().to_vec();
        wide.extend([0xFF; 16]);
        assert_eq!(int(&wide, true), Some(-5));
        let mut too_wide = 5i128.to_le_bytes().to_vec();
        too_wide.extend([0, 0, 1]);
        too_wide.extend([0; 13]);
        assert_eq!(int(&too_wide, true), None);
        let mut sign_mismatch = (-5i128).to_le_bytes().to_vec();
        sign_mismatch.extend([0; 16]);
        assert_eq!(int(&sign_mismatch, true), None);
    }

    #[test]
    fn decimals_at_their_scale() {
        let values = le128(&[100_050, -1, 12]);
        let a = fixed_array(
            Kind::Decimal {
                width: 16,
                scale: 2,
            },
            &values,
            3,
        );
        let out = amounts(&column(vec![a]), Floats::Refuse, Nulls::Refuse, |_| None).unwrap();
        assert_eq!(
            out.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["1000.50", "-0.01", "0.12"]
        );
        // Scale -2 (hundreds) and 30 (beyond Decimal, but trailing zeros).
        let a = fixed_array(
            Kind::Decimal {
                width: 16,
                scale: -2,
            },
            &values,
            1,
        );
        let out = amounts(&column(vec![a]), Floats::Refuse, Nulls::Refuse, |_| None).unwrap();
        assert_eq!(out[0].to_string(), "10005000");
        let fine = le128(&[12 * 10i128.pow(28)]);
        let a = fixed_array(
            Kind::Decimal {
                width: 16,
                scale: 30,
            },
            &fine,
            1,
        );
        let out = amounts(&column(vec![a]), Floats::Refuse, Nulls::Refuse, |_| None).unwrap();
        assert_eq!(out[0], Decimal::new(12, 2));
        let huge = le128(&[i128::MAX]);
        let a = fixed_array(
            Kind::Decimal {
                width: 16,
                scale: 2,
            },
            &huge,
            1,
        );
        let e = amounts(&column(vec![a]), Floats::Refuse, Nulls::Refuse, |_| None).unwrap_err();
        assert_eq!(e.code(), "invalid_value");
        assert!(e.to_string().starts_with("t.c[0]:"), "{e}");
    }

    #[test]
    fn floats_only_on_request_rounded_as_written() {
        let values: Vec<u8> = [10.005f64, 0.125, 1e30]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let a = fixed_array(Kind::Float { width: 8 }, &values, 2);
        let usd = Currency::new("USD").ok();
        let e = amounts(
            &column(vec![a.clone()]),
            Floats::Refuse,
            Nulls::Refuse,
            |_| usd,
        )
        .unwrap_err();
        assert_eq!(e.code(), "invalid_type");
        let out = amounts(&column(vec![a]), Floats::Round, Nulls::Refuse, |_| usd).unwrap();
        assert_eq!(
            out.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["10.01", "0.13"]
        );
        let a = fixed_array(Kind::Float { width: 8 }, &values, 3);
        let e = amounts(&column(vec![a]), Floats::Round, Nulls::Refuse, |_| usd).unwrap_err();
        assert!(e.to_string().starts_with("t.c[2]:"), "{e}");
        let single: Vec<u8> = 0.1f32.to_le_bytes().to_vec();
        let a = fixed_array(Kind::Float { width: 4 }, &single, 1);
        let out = amounts(&column(vec![a]), Floats::Round, Nulls::Refuse, |_| None).unwrap();
        assert_eq!(out[0].to_string(), "0.1");
    }

    #[test]
    fn dates_from_days_timestamps_and_text() {
        let days = le32(&[0, 20_605]);
        let a = fixed_array(Kind::Date32, &days, 2);
        let out = dates(&column(vec![a])).unwrap();
        assert_eq!(out[0].to_string(), "1970-01-01");
        assert_eq!(out[1].to_string(), "2026-06-01");
        let us = 86_400_000_000i64;
        let stamps = le64(&[-us, 20_605 * us, 20_605 * us + 1_000_000]);
        let a = fixed_array(Kind::Timestamp { per_day: us }, &stamps, 3);
        let e = dates(&column(vec![a])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.c[2]: \"2026-06-01 00:00:01\" is not a valid date (a timestamp must be at \
             midnight: drop the time with .dt.normalize())"
        );
        let a = fixed_array(Kind::Timestamp { per_day: us }, &stamps, 2);
        let out = dates(&column(vec![a])).unwrap();
        assert_eq!(out[0].to_string(), "1969-12-31");
        let far = le64(&[i64::MAX / 86_400_000 * 86_400_000]);
        let a = fixed_array(Kind::Date64, &far, 1);
        assert_eq!(dates(&column(vec![a])).unwrap_err().code(), "invalid_date");
        assert_eq!(
            iso_date("2026-02-28").map(|d| d.to_string()).as_deref(),
            Some("2026-02-28")
        );
        for bad in [
            "2026-02-30",
            "2026-2-28",
            "2026/02/28",
            "+026-02-28",
            "２０２６-02-28",
        ] {
            assert_eq!(iso_date(bad), None, "{bad}");
        }
        let a = fixed_array(Kind::TimestampTz, &stamps, 1);
        assert_eq!(dates(&column(vec![a])).unwrap_err().code(), "invalid_type");
    }

    #[test]
    fn empty_columns_take_any_type() {
        let a = fixed_array(Kind::Other, &[], 0);
        assert!(dates(&column(vec![a.clone()])).unwrap().is_empty());
        assert!(amounts(
            &column(vec![a.clone()]),
            Floats::Refuse,
            Nulls::Refuse,
            |_| None
        )
        .unwrap()
        .is_empty());
        assert!(strings(&column(vec![a.clone()]), Nulls::Refuse)
            .unwrap()
            .is_empty());
        assert!(kinds(&column(vec![a])).unwrap().is_empty());
        assert!(currencies("t", None, None, 0).unwrap().is_empty());
    }
}
