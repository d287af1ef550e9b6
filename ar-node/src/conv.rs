//! Conversions between JavaScript values and `ar-core` values: decimal
//! strings, dates, timestamps, currencies and snake_case enum names.
//!
//! Conversions only: no rule of the engine lives here. Every failure is an
//! [`ar_core::Error`] naming the field and the value, mapped to a JS error in
//! `errors.rs`.

use std::time::SystemTime;

use ar_core::chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use ar_core::rust_decimal::Decimal;
use ar_core::{
    AgeBasis, Currency, Error, GroupBy, PaymentMethod, Result, RoundingPolicy, TaxMode, TaxRounding,
};
use napi::bindgen_prelude::{Either, This, Unknown};
use napi::Env;
use napi::JsValue;

use crate::js::{Scope, Value};
use crate::read::{self, FromJs, Path, Reader};

/// A JS value where a decimal string is expected. Declared `string` in
/// TypeScript; read as a number too so that a number is refused with our
/// own `invalid_type` error saying it was a number.
pub type DecimalInput = Either<String, f64>;

/// `text`, or its first `max` bytes (cut at a character boundary) and its
/// length, as `ar_core::shown_value` does with 64: for a message part
/// longer than a value, such as a parser's reason.
pub fn bounded(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    format!("{}… ({} bytes)", text.get(..end).unwrap_or(""), text.len())
}

/// Bytes of a reason from a parser (serde's, the terms parser's) kept in a
/// message: they may quote the whole input.
pub const MAX_REASON: usize = 256;

/// Checks that a constructor of the class `class` is called with `new` on
/// a new object: called as a plain function it would wrap `globalThis` or
/// whatever it is called on.
pub fn constructed(env: &Env, this: &This<'_>, class: &str) -> Result<()> {
    if crate::js::constructed(env, this, class) {
        return Ok(());
    }
    Err(Error::InvalidType {
        field: "this".to_owned(),
        expected: format!(
            "a new {class}: {class} is a class, to be called with `new {class}(...)`"
        ),
        found: "a call without new".to_owned(),
    })
}

/// Checks that the factory `class.factory` is called on the class (or a
/// subclass): napi-rs makes the instance by calling `this` as a
/// constructor, so a detached `const {{ fromJson }} = Ledger` would fail
/// there, and `Ledger.fromJson.call(Book, ...)` would make a `Book`
/// holding a ledger.
pub fn factory(env: &Env, this: &This<'_>, class: &str, factory: &str) -> Result<()> {
    if crate::js::factory_receiver(env, this, class) {
        return Ok(());
    }
    let found = Scope::root(env).arg(&this.to_unknown()).found().describe();
    Err(Error::InvalidType {
        field: "this".to_owned(),
        expected: format!(
            "{class} or a subclass: call it as {class}.{factory}(...), not detached from its class"
        ),
        found,
    })
}

/// Reads the argument `value` as `T` (see `read.rs`): named `field`, its
/// fields named after it (`items[0].id`). `expected` names its type, for
/// when it is not even an object, an array or a string.
pub fn from_js<T: FromJs>(env: &Env, value: Unknown<'_>, field: &str, expected: &str) -> Result<T> {
    argument(env, value, &Path::Arg(field), expected)
}

/// [`from_js`] for an array (or map) argument of at most `limit` elements
/// (`limit_exceeded`, from its length alone).
pub fn from_js_limited<T: FromJs>(
    env: &Env,
    value: Unknown<'_>,
    field: &str,
    expected: &str,
    limit: usize,
) -> Result<T> {
    let mut scope = Scope::root(env);
    let value = scope.arg(&value);
    read::argument_limited(&mut scope, value, &Path::Arg(field), expected, Some(limit))
}

/// [`from_js`] for an options argument, whose fields are named alone
/// (`date`, `lines[0].quantity`), as the conversions here name them.
pub fn options<T: FromJs>(env: &Env, value: Unknown<'_>, field: &str, expected: &str) -> Result<T> {
    argument(env, value, &Path::Options(field), expected)
}

/// [`from_js`] for an optional argument: absent, `undefined` or `null` is `None`.
pub fn from_js_opt<T: FromJs>(
    env: &Env,
    value: Option<Unknown<'_>>,
    field: &str,
    expected: &str,
) -> Result<Option<T>> {
    value.map(|v| from_js(env, v, field, expected)).transpose()
}

/// [`options`] for an optional argument.
pub fn options_opt<T: FromJs>(
    env: &Env,
    value: Option<Unknown<'_>>,
    field: &str,
    expected: &str,
) -> Result<Option<T>> {
    value.map(|v| options(env, v, field, expected)).transpose()
}

fn argument<T: FromJs>(
    env: &Env,
    value: Unknown<'_>,
    path: &Path<'_>,
    expected: &str,
) -> Result<T> {
    let mut scope = Scope::root(env);
    let value = scope.arg(&value);
    read::argument::<Option<T>>(&mut scope, value, path, expected)?.ok_or_else(|| {
        Error::InvalidType {
            field: path.to_string(),
            expected: expected.to_owned(),
            found: value.found().describe(),
        }
    })
}

/// Reads the argument `value`, a plain object named `field` (its fields
/// named after it), with `f`: for objects read field by field, such as an
/// aging report or a proposed match given back.
pub fn with_object<T>(
    env: &Env,
    value: Unknown<'_>,
    field: &str,
    expected: &str,
    f: impl FnOnce(&mut Reader<'_, '_>, Value<'_>, &Path<'_>) -> Result<T>,
) -> Result<T> {
    let mut scope = Scope::root(env);
    let value = scope.arg(&value);
    read::with_reader(&mut scope, |r| {
        let path = Path::Arg(field);
        r.object(value, &path, expected)?;
        f(r, value, &path)
    })
}

/// A decimal from its plain text (`"1234.50"`, `"-3"`); a JS number is an
/// `invalid_type`, text with an exponent, separators or spaces `invalid_decimal`.
pub fn decimal(field: &str, value: &DecimalInput) -> Result<Decimal> {
    match value {
        Either::A(text) => ar_core::parse_decimal(field, text),
        Either::B(number) => Err(Error::InvalidType {
            field: field.to_owned(),
            expected: "a decimal string such as \"12.50\"".to_owned(),
            found: format!("the number {number}"),
        }),
    }
}

/// An amount of a table cell (`Book`), as [`ar_core::parse_decimal`] reads
/// it, or `None` for text that is not a plain decimal. The common case, a
/// non-negative decimal of at most 18 digits (`"5135.11"`), is read digit
/// by digit, about 8 times faster; anything else (a sign, more digits, a
/// mistake) goes through `parse_decimal`. Both agree on every input: see
/// the tests.
pub fn parse_amount(text: &str) -> Option<Decimal> {
    let mut mantissa: u64 = 0;
    let mut digits = 0u32;
    let mut scale: Option<u32> = None;
    for &b in text.as_bytes() {
        match b {
            b'0'..=b'9' if digits < 18 => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                digits += 1;
                if let Some(s) = &mut scale {
                    *s += 1;
                }
            }
            b'.' if scale.is_none() && digits > 0 => scale = Some(0),
            _ => return ar_core::parse_decimal("", text).ok(),
        }
    }
    match scale {
        Some(0) => None, // "12.": no digit after the point
        _ if digits == 0 => None,
        s => Decimal::try_from_i128_with_scale(i128::from(mantissa), s.unwrap_or(0)).ok(),
    }
}

/// [`decimal`] for an optional field.
pub fn opt_decimal(field: &str, value: Option<&DecimalInput>) -> Result<Option<Decimal>> {
    value.map(|v| decimal(field, v)).transpose()
}

/// A whole number from 0 to `u32::MAX` (an installment or line number, a
/// count of days). napi's own `u32` conversion would wrap `-1` and truncate
/// `1.5`; these are refused with `invalid_value` instead.
pub fn count(field: &str, value: f64) -> Result<u32> {
    let whole = value.is_finite() && value.trunc() == value;
    if whole && value >= 0.0 && value <= f64::from(u32::MAX) {
        // Exact: a whole number within range.
        Ok(value as u32)
    } else {
        Err(Error::InvalidValue {
            field: field.to_owned(),
            value: value.to_string(),
            reason: format!("must be a whole number from 0 to {}", u32::MAX),
        })
    }
}

/// [`count`] for an optional field.
pub fn opt_count(field: &str, value: Option<f64>) -> Result<Option<u32>> {
    value.map(|v| count(field, v)).transpose()
}

/// Largest whole number a JS `number` holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A whole number of days that may be negative (an aging bucket bound: `-30`
/// is "due in 30 days or more"). Fractions, NaN, infinities and numbers past
/// `Number.MAX_SAFE_INTEGER` are refused with `invalid_value`.
pub fn days(field: &str, value: f64) -> Result<i64> {
    let whole = value.is_finite() && value.trunc() == value;
    if whole && value.abs() <= MAX_SAFE_INTEGER {
        // Exact: a whole number within the safe range.
        Ok(value as i64)
    } else {
        Err(Error::InvalidValue {
            field: field.to_owned(),
            value: value.to_string(),
            reason: "must be a whole number of days".to_owned(),
        })
    }
}

/// A business date, exactly `YYYY-MM-DD`.
pub fn date(field: &str, text: &str) -> Result<NaiveDate> {
    parse_date(text).ok_or_else(|| Error::InvalidDate {
        field: field.to_owned(),
        value: text.to_owned(),
        expected: "date (YYYY-MM-DD)".to_owned(),
    })
}

/// A date written exactly `YYYY-MM-DD` (four, two and two ASCII digits), or
/// `None`: the shape checked by hand, the calendar by chrono. Cheap enough
/// to call once per row of a table (`Book`).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let bytes: [u8; 10] = text.as_bytes().try_into().ok()?;
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = bytes else {
        return None;
    };
    let digit = |b: u8| b.is_ascii_digit().then(|| u32::from(b - b'0'));
    let year = digit(y0)? * 1000 + digit(y1)? * 100 + digit(y2)? * 10 + digit(y3)?;
    let month = digit(m0)? * 10 + digit(m1)?;
    let day = digit(d0)? * 10 + digit(d1)?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// [`date`] for an optional field.
pub fn opt_date(field: &str, text: Option<&str>) -> Result<Option<NaiveDate>> {
    text.map(|t| date(field, t)).transpose()
}

/// A recorded time, RFC 3339 (`"2026-03-01T09:00:00Z"`, any offset).
pub fn timestamp(field: &str, text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| Error::InvalidDate {
            field: field.to_owned(),
            value: text.to_owned(),
            expected: "RFC 3339 timestamp (2026-03-01T09:00:00Z)".to_owned(),
        })
}

/// The current time, the default recorded time of a command.
pub fn now() -> DateTime<Utc> {
    DateTime::<Utc>::from(SystemTime::now())
}

/// An ISO 4217 currency code.
pub fn currency(field: &str, code: &str) -> Result<Currency> {
    Currency::parse_field(field, code)
}

/// [`currency`] for an optional field.
pub fn opt_currency(field: &str, code: Option<&str>) -> Result<Option<Currency>> {
    code.map(|c| currency(field, c)).transpose()
}

/// An unknown enum name: `invalid_value` saying what was expected.
pub fn bad_name(field: &str, value: &str, expected: &str) -> Error {
    Error::InvalidValue {
        field: field.to_owned(),
        value: value.to_owned(),
        reason: format!("expected {expected}"),
    }
}

/// A rounding policy by name; the core's default when absent.
pub fn rounding(field: &str, name: Option<&str>) -> Result<RoundingPolicy> {
    match name {
        None => Ok(RoundingPolicy::default()),
        Some("half_away_from_zero") => Ok(RoundingPolicy::HalfAwayFromZero),
        Some("half_even") => Ok(RoundingPolicy::HalfEven),
        Some(other) => Err(bad_name(field, other, "half_away_from_zero or half_even")),
    }
}

/// A tax mode by name; the core's default when absent.
pub fn tax_mode(field: &str, name: Option<&str>) -> Result<TaxMode> {
    match name {
        None => Ok(TaxMode::default()),
        Some("exclusive") => Ok(TaxMode::Exclusive),
        Some("inclusive") => Ok(TaxMode::Inclusive),
        Some(other) => Err(bad_name(field, other, "exclusive or inclusive")),
    }
}

/// A tax rounding by name; the core's default when absent.
pub fn tax_rounding(field: &str, name: Option<&str>) -> Result<TaxRounding> {
    match name {
        None => Ok(TaxRounding::default()),
        Some("per_line") => Ok(TaxRounding::PerLine),
        Some("per_document") => Ok(TaxRounding::PerDocument),
        Some(other) => Err(bad_name(field, other, "per_line or per_document")),
    }
}

/// A payment method by name; the core's default when absent.
pub fn method(field: &str, name: Option<&str>) -> Result<PaymentMethod> {
    name.map_or(Ok(PaymentMethod::default()), |n| {
        PaymentMethod::parse_field(field, n)
    })
}

/// An aging basis by name; the core's default (`due_date`) when absent.
pub fn age_basis(field: &str, name: Option<&str>) -> Result<AgeBasis> {
    match name {
        None => Ok(AgeBasis::default()),
        Some("due_date") => Ok(AgeBasis::DueDate),
        Some("invoice_date") => Ok(AgeBasis::InvoiceDate),
        Some(other) => Err(bad_name(field, other, "due_date or invoice_date")),
    }
}

/// A group-by key: `"customer"`, `"customer.<key>"` (a customer dimension)
/// or `"invoice.<key>"` (an invoice dimension), with a non-empty key.
pub fn group_by(field: &str, text: &str) -> Result<GroupBy> {
    GroupBy::parse_field(field, text)
}

/// [`group_by`] for every key of a list (`field[i]` names the one at fault).
pub fn group_by_list(field: &str, keys: &[String]) -> Result<Vec<GroupBy>> {
    keys.iter()
        .enumerate()
        .map(|(i, k)| group_by(&format!("{field}[{i}]"), k))
        .collect()
}

/// An amount for output, at the minor unit of `currency`: `"402.19"`,
/// `"10264"` (JPY), `"0.00"`, `"-72.00"`. Never changes the value.
pub fn money(value: Decimal, currency: Currency) -> String {
    let mut v = value;
    if v.is_zero() {
        v.set_sign_positive(true);
    }
    let minor = currency.minor_units();
    if v.scale() < minor {
        v.rescale(minor);
    }
    v.to_string()
}

/// A decimal that is not an amount (a quantity, a rate), as written.
pub fn decimal_out(value: Decimal) -> String {
    let mut v = value;
    if v.is_zero() {
        v.set_sign_positive(true);
    }
    v.to_string()
}

/// A computed figure that is not an amount (a metric, a derived rate): full
/// precision, without trailing zeros (`"68.5"`, not `"68.50"`). Never
/// changes the value.
pub fn figure_out(value: Decimal) -> String {
    decimal_out(value.normalize())
}

/// A date for output, `YYYY-MM-DD`.
pub fn date_out(value: NaiveDate) -> String {
    value.format("%Y-%m-%d").to_string()
}

/// A timestamp for output, RFC 3339 in UTC with a `Z`.
pub fn timestamp_out(value: DateTime<Utc>) -> String {
    value.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_strings_never_numbers() {
        let ok = decimal("amount", &Either::A("12.50".to_owned())).ok();
        assert_eq!(ok.map(|d| d.to_string()).as_deref(), Some("12.50"));
        let num = decimal("amount", &Either::B(12.5)).err();
        assert_eq!(num.as_ref().map(Error::code), Some("invalid_type"));
        assert_eq!(
            num.map(|e| e.to_string()).as_deref(),
            Some("amount: expected a decimal string such as \"12.50\", got the number 12.5")
        );
        for bad in ["1e3", "abc", " 1", ""] {
            let e = decimal("amount", &Either::A(bad.to_owned())).err();
            assert_eq!(
                e.as_ref().map(Error::code),
                Some("invalid_decimal"),
                "{bad}"
            );
        }
    }

    #[test]
    fn amounts_read_fast_as_parse_decimal_reads_them() {
        let mut cases: Vec<String> = [
            "0",
            "5",
            "5135.11",
            "0005.10",
            "1000.001",
            "0.00",
            "123456789012345678",
            "1234567890123456789",
            "12345678901234567.8",
            "99999999999999999999.99",
            "-1",
            "-0.00",
            "+1",
            "1.",
            ".5",
            "1..2",
            "1.2.3",
            "1e3",
            " 1",
            "1 ",
            "",
            "-",
            ".",
            "1,000",
            "١٢",
            "0.0000000000000000000000000001",
            "0.00000000000000000000000000001",
            "79228162514264337593543950335",
            "79228162514264337593543950336",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        // Every decimal shape up to 6 characters over a small alphabet.
        let alphabet = ['0', '1', '9', '.', '-'];
        let mut shapes = vec![String::new()];
        for _ in 0..6 {
            let next: Vec<String> = shapes
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            cases.extend(next.iter().cloned());
            shapes = next;
        }
        for text in &cases {
            let fast = parse_amount(text);
            let reference = ar_core::parse_decimal("", text).ok();
            assert_eq!(
                fast.map(|d| (d.to_string(), d.scale())),
                reference.map(|d| (d.to_string(), d.scale())),
                "{text:?}"
            );
        }
    }

    #[test]
    fn counts_are_whole_numbers() {
        assert_eq!(count("n", 3.0).ok(), Some(3));
        assert_eq!(count("n", 4_294_967_295.0).ok(), Some(u32::MAX));
        for bad in [-1.0, 1.5, f64::NAN, f64::INFINITY, 4_294_967_296.0] {
            let e = count("n", bad).err();
            assert_eq!(e.as_ref().map(Error::code), Some("invalid_value"), "{bad}");
        }
    }

    #[test]
    fn days_may_be_negative_but_whole() {
        assert_eq!(days("d", -30.0).ok(), Some(-30));
        assert_eq!(days("d", 0.0).ok(), Some(0));
        for bad in [1.5, f64::NAN, f64::NEG_INFINITY, 9_007_199_254_740_992.0] {
            let e = days("d", bad).err();
            assert_eq!(e.as_ref().map(Error::code), Some("invalid_value"), "{bad}");
        }
    }

    #[test]
    fn group_by_keys() {
        assert_eq!(group_by("g", "customer").ok(), Some(GroupBy::Customer));
        assert_eq!(
            group_by("g", "customer.region").ok(),
            Some(GroupBy::CustomerDimension("region".to_owned()))
        );
        assert_eq!(
            group_by("g", "invoice.project.x").ok(),
            Some(GroupBy::InvoiceDimension("project.x".to_owned()))
        );
        for bad in [
            "",
            "region",
            "customer.",
            "invoice",
            "Customer",
            "supplier.x",
        ] {
            let e = group_by("g", bad).err();
            assert_eq!(e.as_ref().map(Error::code), Some("invalid_value"), "{bad}");
        }
        let e = group_by_list("groupBy", &["customer".to_owned(), "x".to_owned()]).err();
        assert_eq!(
            e.map(|e| e.to_string()).as_deref(),
            Some(
                "groupBy[1]: \"x\" is not allowed: expected \"customer\", \"customer.<key>\" or \"invoice.<key>\""
            )
        );
        assert_eq!(
            age_basis("basis", Some("invoice_date")).ok(),
            Some(AgeBasis::InvoiceDate)
        );
        assert_eq!(age_basis("basis", None).ok(), Some(AgeBasis::DueDate));
    }

    #[test]
    fn dates_are_strict() {
        assert!(date("date", "2026-03-01").is_ok());
        assert_eq!(
            parse_date("2028-02-29"),
            NaiveDate::from_ymd_opt(2028, 2, 29)
        );
        assert_eq!(parse_date("0000-01-01"), NaiveDate::from_ymd_opt(0, 1, 1));
        assert_eq!(parse_date("2026-02-29"), None);
        for bad in [
            "2026-13-01",
            "2026-3-1",
            "2026-02-30",
            "+2026-03-01",
            "20260301",
            "2026-03-1a",
            "2026/03/01",
            "2026-00-10",
            "",
        ] {
            let e = date("date", bad).err();
            assert_eq!(e.as_ref().map(Error::code), Some("invalid_date"), "{bad}");
        }
        let t = timestamp("recorded", "2026-03-01T10:00:00+01:00").ok();
        assert_eq!(
            t.map(timestamp_out).as_deref(),
            Some("2026-03-01T09:00:00Z")
        );
        let e = timestamp("recorded", "2026-03-01").err();
        assert_eq!(e.as_ref().map(Error::code), Some("invalid_date"));
    }

    #[test]
    fn money_is_printed_at_the_minor_unit() {
        let usd = Currency::new("USD").ok();
        let jpy = Currency::new("JPY").ok();
        let d = |s: &str| Decimal::from_str_exact(s).unwrap_or_default();
        assert_eq!(usd.map(|c| money(d("0"), c)).as_deref(), Some("0.00"));
        assert_eq!(usd.map(|c| money(-d("0.00"), c)).as_deref(), Some("0.00"));
        assert_eq!(usd.map(|c| money(d("-72"), c)).as_deref(), Some("-72.00"));
        assert_eq!(jpy.map(|c| money(d("10264"), c)).as_deref(), Some("10264"));
    }

    #[test]
    fn long_text_is_bounded() {
        assert_eq!(bounded("short", 10), "short");
        let long = "é".repeat(1_000);
        let cut = bounded(&long, 9);
        // Cut at a character boundary (each "é" is 2 bytes), then the length.
        assert_eq!(cut, "éééé… (2000 bytes)");
    }

    #[test]
    fn figures_drop_trailing_zeros_only() {
        let d = |s: &str| Decimal::from_str_exact(s).unwrap_or_default();
        assert_eq!(figure_out(d("68.50")), "68.5");
        assert_eq!(figure_out(d("-0.60")), "-0.6");
        assert_eq!(figure_out(d("100")), "100");
        assert_eq!(figure_out(d("-0.00")), "0");
        assert_eq!(
            figure_out(d("41.666666666666666666666666667")),
            "41.666666666666666666666666667"
        );
    }

    #[test]
    fn enum_names() {
        assert_eq!(
            rounding("r", None).ok(),
            Some(RoundingPolicy::HalfAwayFromZero)
        );
        assert_eq!(
            rounding("r", Some("half_even")).ok(),
            Some(RoundingPolicy::HalfEven)
        );
        let e = rounding("rounding", Some("up")).err();
        assert_eq!(e.as_ref().map(Error::code), Some("invalid_value"));
        assert_eq!(
            tax_mode("t", Some("inclusive")).ok(),
            Some(TaxMode::Inclusive)
        );
        assert_eq!(
            tax_rounding("t", Some("per_document")).ok(),
            Some(TaxRounding::PerDocument)
        );
        assert_eq!(method("m", Some("wire")).ok(), Some(PaymentMethod::Wire));
        assert_eq!(
            method("m", Some("bitcoin")).err().as_ref().map(Error::code),
            Some("invalid_value")
        );
    }
}
