//! What the parsers share: entries under construction, limits, amounts,
//! dates and text.

use std::borrow::Cow;

use ar_core::chrono::{NaiveDate, NaiveDateTime};
use ar_core::rust_decimal::Decimal;
use ar_core::{Currency, PaymentMethod};

use crate::error::{shown, ErrorCode};
use crate::model::{
    AccountStatement, BankReceipt, CreditDebit, Limits, ListedEntry, ListedKind, Reference,
};
use crate::refs::find_references;

/// A problem without its position: each parser adds where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) code: ErrorCode,
    pub(crate) message: String,
}

impl Problem {
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Problem {
            code,
            message: message.into(),
        }
    }
}

pub(crate) type P<T> = std::result::Result<T, Problem>;

pub(crate) fn limit(what: &str, count: usize, max: usize) -> P<()> {
    if count > max {
        return Err(Problem::new(
            ErrorCode::LimitExceeded,
            format!("{what}: {count} is more than the limit of {max}"),
        ));
    }
    Ok(())
}

/// Text of a file: UTF-8 when it is, otherwise each byte read as Latin-1
/// (the 8-bit files banks still send), so no byte is lost or replaced. A
/// byte-order mark is dropped.
pub(crate) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

/// Counts entries and statements against the limits.
pub(crate) struct Budget {
    pub(crate) limits: Limits,
    entries: usize,
    accounts: usize,
}

impl Budget {
    pub(crate) fn new(limits: &Limits) -> Self {
        Budget {
            limits: *limits,
            entries: 0,
            accounts: 0,
        }
    }

    pub(crate) fn account(&mut self) -> P<()> {
        self.accounts = self.accounts.saturating_add(1);
        limit(
            "statements in the file",
            self.accounts,
            self.limits.max_accounts,
        )
    }

    fn entry(&mut self) -> P<()> {
        self.entries = self.entries.saturating_add(1);
        limit("entries in the file", self.entries, self.limits.max_entries)
    }

    /// `text` kept, if it is not longer than the text limit.
    pub(crate) fn text(&self, what: &str, text: &str) -> P<String> {
        limit(what, text.len(), self.limits.max_text_len)?;
        Ok(text.trim().to_owned())
    }

    /// `Some(text)` kept, `None` when blank.
    pub(crate) fn opt(&self, what: &str, text: &str) -> P<Option<String>> {
        let t = self.text(what, text)?;
        Ok((!t.is_empty()).then_some(t))
    }

    /// Appends `part` to `buf` with `sep` between, within the text limit.
    pub(crate) fn append(&self, what: &str, buf: &mut String, part: &str, sep: &str) -> P<()> {
        let part = part.trim();
        if part.is_empty() {
            return Ok(());
        }
        let sep = if buf.is_empty() { "" } else { sep };
        let len = buf
            .len()
            .saturating_add(sep.len())
            .saturating_add(part.len());
        limit(what, len, self.limits.max_text_len)?;
        buf.push_str(sep);
        buf.push_str(part);
        Ok(())
    }

    pub(crate) fn reference(&self, refs: &mut Vec<Reference>, r: Reference) -> P<()> {
        limit("reference", r.value.len(), self.limits.max_text_len)?;
        if r.value.is_empty() {
            return Ok(());
        }
        refs.push(r);
        limit(
            "structured references of one entry",
            refs.len(),
            self.limits.max_references,
        )
    }
}

/// An entry being read, before it is known to be a receipt.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub(crate) credit_debit: CreditDebit,
    pub(crate) reversal: bool,
    pub(crate) returned: bool,
    pub(crate) pending: bool,
    pub(crate) notice: bool,
    pub(crate) date: NaiveDate,
    pub(crate) value_date: Option<NaiveDate>,
    pub(crate) amount: Decimal,
    pub(crate) currency: Currency,
    pub(crate) method: PaymentMethod,
    pub(crate) bank_reference: Option<String>,
    pub(crate) end_to_end_id: Option<String>,
    pub(crate) transaction_code: Option<String>,
    pub(crate) party_name: Option<String>,
    pub(crate) party_account: Option<String>,
    pub(crate) ultimate_party: Option<String>,
    pub(crate) text: String,
    pub(crate) references: Vec<Reference>,
}

impl Draft {
    pub(crate) fn new(
        credit_debit: CreditDebit,
        date: NaiveDate,
        amount: Decimal,
        currency: Currency,
    ) -> Self {
        Draft {
            credit_debit,
            reversal: false,
            returned: false,
            pending: false,
            notice: false,
            date,
            value_date: None,
            amount,
            currency,
            method: PaymentMethod::Other,
            bank_reference: None,
            end_to_end_id: None,
            transaction_code: None,
            party_name: None,
            party_account: None,
            ultimate_party: None,
            text: String::new(),
            references: Vec::new(),
        }
    }

    /// Files the entry under `account`: a booked credit of more than zero
    /// becomes a receipt, anything else is listed. References written in
    /// the free text are added to the structured ones.
    pub(crate) fn file(mut self, account: &mut AccountStatement, budget: &mut Budget) -> P<()> {
        budget.entry()?;
        for found in find_references(&self.text) {
            let known = self
                .references
                .iter()
                .any(|r| r.kind == found.kind && r.value == found.value);
            if !known {
                budget.reference(&mut self.references, found)?;
            }
        }
        let kind = if self.pending {
            Some(ListedKind::Pending)
        } else if self.returned {
            Some(ListedKind::Return)
        } else if self.reversal {
            Some(ListedKind::Reversal)
        } else if self.notice || self.amount.is_zero() {
            Some(ListedKind::Notice)
        } else if self.credit_debit == CreditDebit::Debit {
            Some(ListedKind::Debit)
        } else {
            None
        };
        match kind {
            None => account.receipts.push(BankReceipt {
                date: self.date,
                value_date: self.value_date,
                amount: self.amount,
                currency: self.currency,
                method: self.method,
                bank_reference: self.bank_reference,
                end_to_end_id: self.end_to_end_id,
                transaction_code: self.transaction_code,
                payer_name: self.party_name,
                payer_account: self.party_account,
                ultimate_payer: self.ultimate_party,
                remittance: self.text,
                references: self.references,
            }),
            Some(kind) => account.other_entries.push(ListedEntry {
                kind,
                credit_debit: (!self.notice).then_some(self.credit_debit),
                date: self.date,
                value_date: self.value_date,
                amount: self.amount,
                currency: self.currency,
                bank_reference: self.bank_reference,
                end_to_end_id: self.end_to_end_id,
                transaction_code: self.transaction_code,
                counterparty_name: self.party_name,
                counterparty_account: self.party_account,
                text: self.text,
                references: self.references,
            }),
        }
        Ok(())
    }
}

/// `-d`, for a non-zero amount (a sign flip, which cannot overflow).
pub(crate) fn negate(d: Decimal) -> Decimal {
    let mut n = d;
    if !d.is_zero() {
        n.set_sign_negative(!d.is_sign_negative());
    }
    n
}

/// Longest amount text read: more digits than any real amount has, few
/// enough that nothing near the decimal's limit gets through.
const MAX_AMOUNT_LEN: usize = 24;

/// `amount` at exactly `currency`'s minor unit: trailing zeros past it are
/// dropped, anything else past it is refused.
pub(crate) fn at_minor_unit(amount: Decimal, currency: Currency) -> P<Decimal> {
    let minor = currency.minor_units();
    let mut d = amount;
    if d.scale() > minor {
        d = d.normalize();
        if d.scale() > minor {
            return Err(Problem::new(
                ErrorCode::InvalidAmount,
                format!("{amount} has more decimals than {currency} allows ({minor})"),
            ));
        }
    }
    d.rescale(minor);
    // -0 reads as 0.
    if d.is_zero() {
        d.set_sign_positive(true);
    }
    Ok(d)
}

/// A plain decimal (`1234.50`), zero or more, at the currency's minor unit.
pub(crate) fn decimal_amount(text: &str, currency: Currency) -> P<Decimal> {
    let t = text.trim();
    if t.len() > MAX_AMOUNT_LEN {
        return Err(Problem::new(
            ErrorCode::InvalidAmount,
            format!("amount {} is too long", shown(t)),
        ));
    }
    let d = ar_core::parse_decimal("amount", t)
        .map_err(|_| Problem::new(ErrorCode::InvalidAmount, format!("amount {}", shown(t))))?;
    if d.is_sign_negative() && !d.is_zero() {
        return Err(Problem::new(
            ErrorCode::InvalidAmount,
            format!("amount {} is negative", shown(t)),
        ));
    }
    at_minor_unit(d, currency)
}

/// Digits giving an amount in minor units (`12345` = 123.45 USD), with an
/// optional sign when `signed`.
pub(crate) fn minor_units_amount(text: &str, currency: Currency, signed: bool) -> P<Decimal> {
    let t = text.trim();
    let bad = |why: &str| {
        Problem::new(
            ErrorCode::InvalidAmount,
            format!("amount {} {why}", shown(t)),
        )
    };
    let (neg, digits) = match (signed, t.as_bytes().first()) {
        (true, Some(b'-')) => (true, t.get(1..).unwrap_or("")),
        (true, Some(b'+')) => (false, t.get(1..).unwrap_or("")),
        _ => (false, t),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(if signed {
            "is not a signed whole number of minor units"
        } else {
            "is not a whole number of minor units"
        }));
    }
    if digits.len() > 18 {
        return Err(bad("has more than 18 digits"));
    }
    let n: i64 = digits.parse().map_err(|_| bad("does not fit"))?;
    let n = if neg { n.saturating_neg() } else { n };
    Ok(Decimal::new(n, currency.minor_units()))
}

/// `a + b`, or an `invalid_amount` problem when the sum does not fit.
pub(crate) fn add(a: Decimal, b: Decimal) -> P<Decimal> {
    a.checked_add(b).ok_or_else(|| {
        Problem::new(
            ErrorCode::InvalidAmount,
            "the amounts add up to more than a decimal holds",
        )
    })
}

pub(crate) fn currency(code: &str) -> P<Currency> {
    Currency::new(code.trim()).map_err(|_| {
        Problem::new(
            ErrorCode::InvalidValue,
            format!("currency {} is not an ISO 4217 code", shown(code)),
        )
    })
}

fn digits_u32(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

pub(crate) fn ymd(y: i32, m: u32, d: u32, text: &str) -> P<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        Problem::new(
            ErrorCode::InvalidDate,
            format!("{} is not a date", shown(text)),
        )
    })
}

fn bad_date(text: &str, form: &str) -> Problem {
    Problem::new(
        ErrorCode::InvalidDate,
        format!("date {} is not {form}", shown(text)),
    )
}

/// A two-digit year: 00-79 is 2000-2079, 80-99 is 1980-1999.
pub(crate) fn century(yy: u32) -> i32 {
    let yy = i32::try_from(yy).unwrap_or(0);
    if yy < 80 {
        2000i32.saturating_add(yy)
    } else {
        1900i32.saturating_add(yy)
    }
}

/// `YYMMDD`.
pub(crate) fn yymmdd(text: &str) -> P<NaiveDate> {
    let t = text.trim();
    let part = |r: std::ops::Range<usize>| t.get(r).and_then(digits_u32);
    match (t.len(), part(0..2), part(2..4), part(4..6)) {
        (6, Some(y), Some(m), Some(d)) => ymd(century(y), m, d, t),
        _ => Err(bad_date(t, "YYMMDD")),
    }
}

/// `CCYYMMDD`.
pub(crate) fn yyyymmdd(text: &str) -> P<NaiveDate> {
    let t = text.trim();
    let part = |r: std::ops::Range<usize>| t.get(r).and_then(digits_u32);
    match (t.len(), part(0..4), part(4..6), part(6..8)) {
        (8, Some(y), Some(m), Some(d)) => ymd(i32::try_from(y).unwrap_or(0), m, d, t),
        _ => Err(bad_date(t, "CCYYMMDD")),
    }
}

/// `HHMM` (2400 allowed, as BAI2 writes end of day) as hours and minutes.
pub(crate) fn hhmm(text: &str) -> P<(u32, u32)> {
    let t = text.trim();
    let part = |r: std::ops::Range<usize>| t.get(r).and_then(digits_u32);
    match (t.len(), part(0..2), part(2..4)) {
        (4, Some(h), Some(m)) if (h < 24 && m < 60) || (h == 24 && m == 0) => Ok((h, m)),
        _ => Err(Problem::new(
            ErrorCode::InvalidDate,
            format!("time {} is not HHMM", shown(t)),
        )),
    }
}

pub(crate) fn at_time(date: NaiveDate, (h, m): (u32, u32)) -> Option<NaiveDateTime> {
    // 24:00 is the end of the day: kept as 23:59.
    let (h, m) = if h == 24 { (23, 59) } else { (h, m) };
    date.and_hms_opt(h, m, 0)
}

/// ISO 8601 `YYYY-MM-DD`, with a time or zone after it ignored.
pub(crate) fn iso_date(text: &str) -> P<NaiveDate> {
    let t = text.trim();
    let part = |r: std::ops::Range<usize>| t.get(r).and_then(digits_u32);
    let seps = t.get(4..5) == Some("-") && t.get(7..8) == Some("-");
    let tail_ok = t
        .get(10..)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['T', 'Z', '+', '-', ' ']));
    match (seps && tail_ok, part(0..4), part(5..7), part(8..10)) {
        (true, Some(y), Some(m), Some(d)) => ymd(i32::try_from(y).unwrap_or(0), m, d, t),
        _ => Err(bad_date(t, "YYYY-MM-DD")),
    }
}

/// ISO 8601 `YYYY-MM-DDTHH:MM:SS`, fractions and zone ignored (the time is
/// kept as written).
pub(crate) fn iso_datetime(text: &str) -> P<NaiveDateTime> {
    let t = text.trim();
    let date = iso_date(t)?;
    let part = |r: std::ops::Range<usize>| t.get(r).and_then(digits_u32);
    let seps = t.get(10..11) == Some("T") && t.get(13..14) == Some(":");
    let (h, m) = match (seps, part(11..13), part(14..16)) {
        (true, Some(h), Some(m)) => (h, m),
        _ if t.len() == 10 => (0, 0),
        _ => return Err(bad_date(t, "YYYY-MM-DDTHH:MM:SS")),
    };
    let s = if t.get(16..17) == Some(":") {
        part(17..19).ok_or_else(|| bad_date(t, "YYYY-MM-DDTHH:MM:SS"))?
    } else {
        0
    };
    date.and_hms_opt(h, m, s)
        .ok_or_else(|| bad_date(t, "YYYY-MM-DDTHH:MM:SS"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::new("USD").unwrap()
    }

    #[test]
    fn amounts_at_minor_unit() {
        assert_eq!(decimal_amount("3.1", usd()).unwrap().to_string(), "3.10");
        assert_eq!(decimal_amount("3.100", usd()).unwrap().to_string(), "3.10");
        assert_eq!(
            decimal_amount("3.105", usd()).unwrap_err().code,
            ErrorCode::InvalidAmount
        );
        assert_eq!(
            decimal_amount("-1", usd()).unwrap_err().code,
            ErrorCode::InvalidAmount
        );
        assert_eq!(
            minor_units_amount("12345", usd(), false)
                .unwrap()
                .to_string(),
            "123.45"
        );
        assert_eq!(
            minor_units_amount("-00500", usd(), true)
                .unwrap()
                .to_string(),
            "-5.00"
        );
        assert!(minor_units_amount("1234567890123456789", usd(), false).is_err());
        assert!(minor_units_amount("+5", usd(), false).is_err());
    }

    #[test]
    fn dates() {
        assert_eq!(yymmdd("260229").unwrap_err().code, ErrorCode::InvalidDate);
        assert_eq!(yymmdd("240229").unwrap().to_string(), "2024-02-29");
        assert_eq!(yymmdd("991231").unwrap().to_string(), "1999-12-31");
        assert_eq!(
            iso_date("2014-12-31+01:00").unwrap().to_string(),
            "2014-12-31"
        );
        assert!(iso_date("2014-12-31X").is_err());
        assert_eq!(
            iso_datetime("2007-10-18T12:30:00+01:00")
                .unwrap()
                .to_string(),
            "2007-10-18 12:30:00"
        );
        assert!(hhmm("2400").is_ok());
        assert!(hhmm("2401").is_err());
    }
}
