//! BAI2 (Cash Management Balance Reporting Specifications, version 2).
//!
//! A file is records of comma-separated fields ended by `/`: 01 file header,
//! 02 group header, 03 account identifier and summary, 16 transaction
//! detail, 88 continuation of the record before it, 49 account trailer, 98
//! group trailer, 99 file trailer. Amounts are whole numbers of the
//! currency's minor unit. The text field of a 16 record runs to the end of
//! its line (it may hold commas and slashes) and may go on in 88 records.
//! Every trailer's control total and record count is checked.

use ar_core::chrono::NaiveDate;
use ar_core::rust_decimal::Decimal;
use ar_core::{Currency, PaymentMethod};

use crate::common::{
    at_time, currency, decode, hhmm, limit, minor_units_amount, yymmdd, Budget, Draft, Problem, P,
};
use crate::error::{at_line, shown, ErrorCode, Result};
use crate::model::{AccountStatement, Balance, CreditDebit, Format, Limits, Statement};

/// A record with its continuations: each part is the text after the record
/// code (or after `88,`), without its terminator.
struct Logical<'a> {
    code: u8,
    line: usize,
    parts: Vec<(usize, &'a str)>,
}

const CODES: [&str; 8] = ["01", "02", "03", "16", "49", "88", "98", "99"];

fn record_start(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 3 && b.get(2) == Some(&b',') && s.get(..2).is_some_and(|c| CODES.contains(&c))
}

/// Splits the file into records. Most end at their first `/`; 16 and 88
/// records (which may end in text) end at the end of their line, or at a
/// `/` that is followed by the start of another record on the same line.
fn records<'a>(text: &'a str, limits: &Limits) -> Result<Vec<Logical<'a>>> {
    let mut out: Vec<Logical<'a>> = Vec::new();
    for (idx, raw) in text.split('\n').enumerate() {
        let line = idx.saturating_add(1);
        let mut rest = raw.trim_end_matches('\r');
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                break;
            }
            if !record_start(rest) {
                return Err(at_line(
                    Format::Bai2,
                    line,
                    ErrorCode::Syntax,
                    "",
                    format!(
                        "{} does not start with a record code (01, 02, 03, 16, 49, 88, 98, 99) and a comma",
                        shown(rest)
                    ),
                ));
            }
            let code: u8 = rest.get(..2).and_then(|c| c.parse().ok()).unwrap_or(0);
            let body = rest.get(3..).unwrap_or("");
            let (content, next) = if code == 16 || code == 88 {
                split_text_record(body)
            } else {
                match body.find('/') {
                    Some(i) => (
                        body.get(..i).unwrap_or(""),
                        body.get(i.saturating_add(1)..).unwrap_or(""),
                    ),
                    None => (body, ""),
                }
            };
            if code == 88 {
                let Some(prev) = out.last_mut() else {
                    return Err(at_line(
                        Format::Bai2,
                        line,
                        ErrorCode::Syntax,
                        "record 88",
                        "a continuation record with no record before it",
                    ));
                };
                prev.parts.push((line, content));
                limit(
                    "continuations of one record",
                    prev.parts.len(),
                    limits.max_references,
                )
                .map_err(|p| at_line(Format::Bai2, line, p.code, "record 88", p.message))?;
            } else {
                out.push(Logical {
                    code,
                    line,
                    parts: vec![(line, content)],
                });
                // Far more records than entries would be needed.
                let max = limits.max_entries.saturating_mul(4).saturating_add(1000);
                limit("records in the file", out.len(), max).map_err(|p| {
                    at_line(
                        Format::Bai2,
                        line,
                        p.code,
                        format!("record {code:02}"),
                        p.message,
                    )
                })?;
            }
            rest = next;
        }
    }
    Ok(out)
}

/// The content of a record that may end in text, and what follows it on the
/// line.
fn split_text_record(body: &str) -> (&str, &str) {
    let mut from = 0usize;
    while let Some(i) = body.get(from..).and_then(|s| s.find('/')) {
        let at = from.saturating_add(i);
        let after = body.get(at.saturating_add(1)..).unwrap_or("");
        let trimmed = after.trim_start();
        if trimmed.is_empty() || record_start(trimmed) {
            return (body.get(..at).unwrap_or(""), after);
        }
        from = at.saturating_add(1);
    }
    (body.trim_end(), "")
}

/// Reads the fields of a record across its continuations.
struct Fields<'a> {
    parts: &'a [(usize, &'a str)],
    idx: usize,
    rest: Option<&'a str>,
}

impl<'a> Fields<'a> {
    fn new(parts: &'a [(usize, &'a str)]) -> Self {
        Fields {
            parts,
            idx: 0,
            rest: parts.first().map(|p| p.1),
        }
    }

    fn line(&self) -> usize {
        self.parts.get(self.idx).map_or(0, |p| p.0)
    }

    fn next(&mut self) -> Option<&'a str> {
        loop {
            match self.rest {
                Some(r) => {
                    return Some(match r.find(',') {
                        Some(i) => {
                            self.rest = r.get(i.saturating_add(1)..);
                            r.get(..i).unwrap_or("").trim()
                        }
                        None => {
                            self.rest = None;
                            r.trim()
                        }
                    });
                }
                None => {
                    self.idx = self.idx.saturating_add(1);
                    let part = self.parts.get(self.idx)?;
                    self.rest = Some(part.1);
                }
            }
        }
    }

    /// Everything left, as text: the rest of this part, then each further
    /// part after a space.
    fn text(&mut self) -> String {
        let mut out = String::new();
        let mut push = |s: &str| {
            let s = s.trim();
            if !s.is_empty() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(s);
            }
        };
        if let Some(r) = self.rest.take() {
            push(r);
        }
        while let Some(part) = self.parts.get(self.idx.saturating_add(1)) {
            self.idx = self.idx.saturating_add(1);
            push(part.1);
        }
        out
    }
}

fn name(code: u8) -> String {
    format!("record {code:02}")
}

/// Where the parser is in the file's nesting.
struct Group {
    date: NaiveDate,
    currency: Currency,
    total: i128,
    accounts: usize,
    records: usize,
}

struct Acct {
    statement: AccountStatement,
    currency: Currency,
    total: i128,
    records: usize,
}

pub(crate) fn parse(input: &[u8], limits: &Limits) -> Result<Statement> {
    limit("bytes of input", input.len(), limits.max_input_bytes)
        .map_err(|p| at_line(Format::Bai2, 0, p.code, "", p.message))?;
    let text = decode(input);
    let recs = records(&text, limits)?;
    let mut budget = Budget::new(limits);
    let mut statement = Statement {
        format: Format::Bai2,
        version: None,
        message_id: None,
        created: None,
        sender: None,
        receiver: None,
        accounts: Vec::new(),
    };
    let mut file_total: i128 = 0;
    let mut file_records = 0usize;
    let mut groups = 0usize;
    let mut group: Option<Group> = None;
    let mut acct: Option<Acct> = None;
    let mut header = false;
    let mut done = false;
    let mut last_line = 0usize;
    for rec in &recs {
        last_line = rec.parts.last().map_or(rec.line, |p| p.0);
        let at = |p: Problem| at_line(Format::Bai2, rec.line, p.code, name(rec.code), p.message);
        let count = rec.parts.len();
        if done {
            return Err(at(Problem::new(
                ErrorCode::Syntax,
                "a record after the 99 file trailer",
            )));
        }
        file_records = file_records.saturating_add(count);
        if let Some(g) = group.as_mut() {
            g.records = g.records.saturating_add(count);
        }
        if let Some(a) = acct.as_mut() {
            a.records = a.records.saturating_add(count);
        }
        let mut f = Fields::new(&rec.parts);
        let out_of_place = |what: &str| Problem::new(ErrorCode::Syntax, what.to_owned());
        match rec.code {
            1 => {
                if header {
                    return Err(at(out_of_place("a second 01 file header")));
                }
                header = true;
                file_header(&mut f, &mut statement, &budget).map_err(at)?;
            }
            _ if !header => {
                return Err(at(out_of_place(
                    "the file does not start with a 01 file header",
                )))
            }
            2 => {
                if group.is_some() {
                    return Err(at(out_of_place(
                        "a 02 group header before the 98 trailer of the group before",
                    )));
                }
                groups = groups.saturating_add(1);
                group = Some(group_header(&mut f, count).map_err(at)?);
            }
            3 => {
                let Some(g) = group.as_mut() else {
                    return Err(at(out_of_place("a 03 account record outside a group")));
                };
                if acct.is_some() {
                    return Err(at(out_of_place(
                        "a 03 account record before the 49 trailer of the account before",
                    )));
                }
                budget.account().map_err(at)?;
                g.accounts = g.accounts.saturating_add(1);
                acct = Some(account(&mut f, g, count, &budget).map_err(at)?);
            }
            16 => {
                let (Some(a), Some(g)) = (acct.as_mut(), group.as_ref()) else {
                    return Err(at(out_of_place("a 16 detail record outside an account")));
                };
                let line = rec.line;
                detail(&mut f, a, g.date, &mut budget).map_err(|p| {
                    at_line(
                        Format::Bai2,
                        line.max(f.line()),
                        p.code,
                        name(16),
                        p.message,
                    )
                })?;
            }
            49 => {
                let Some(a) = acct.take() else {
                    return Err(at(out_of_place("a 49 account trailer outside an account")));
                };
                let total = signed(f.next(), "account control total").map_err(at)?;
                let n = number(f.next(), "number of records").map_err(at)?;
                check_total(total, a.total, "account control total").map_err(at)?;
                check_count(n, a.records, "records of the account (03 to 49)").map_err(at)?;
                if let Some(g) = group.as_mut() {
                    g.total = sum(g.total, total).map_err(at)?;
                }
                statement.accounts.push(a.statement);
            }
            98 => {
                if acct.is_some() {
                    return Err(at(out_of_place(
                        "a 98 group trailer before the account's 49 trailer",
                    )));
                }
                let Some(g) = group.take() else {
                    return Err(at(out_of_place("a 98 group trailer outside a group")));
                };
                let total = signed(f.next(), "group control total").map_err(at)?;
                let accounts = number(f.next(), "number of accounts").map_err(at)?;
                let n = number(f.next(), "number of records").map_err(at)?;
                check_total(total, g.total, "group control total").map_err(at)?;
                check_count(accounts, g.accounts, "accounts of the group").map_err(at)?;
                check_count(n, g.records, "records of the group (02 to 98)").map_err(at)?;
                file_total = sum(file_total, total).map_err(at)?;
            }
            99 => {
                if group.is_some() {
                    return Err(at(out_of_place(
                        "a 99 file trailer before the group's 98 trailer",
                    )));
                }
                // The file total adds group totals, each in its own currency's
                // minor unit: all totals are compared in minor units.
                let total = signed(f.next(), "file control total").map_err(at)?;
                let n_groups = number(f.next(), "number of groups").map_err(at)?;
                let n = number(f.next(), "number of records").map_err(at)?;
                check_total(total, file_total, "file control total").map_err(at)?;
                check_count(n_groups, groups, "groups of the file").map_err(at)?;
                check_count(n, file_records, "records of the file (01 to 99)").map_err(at)?;
                done = true;
            }
            88 => {
                return Err(at(out_of_place(
                    "a continuation record with no record before it",
                )))
            }
            _ => {}
        }
    }
    if !done {
        let what = if header {
            "the file ends without its 99 file trailer"
        } else {
            "no 01 file header"
        };
        return Err(at_line(
            Format::Bai2,
            last_line.max(1),
            ErrorCode::Missing,
            "record 99",
            what,
        ));
    }
    Ok(statement)
}

/// The US dollar, the currency of a group that names none.
fn usd() -> P<Currency> {
    currency("USD")
}

/// Control totals add amounts in minor units: kept as integers.
fn sum(a: i128, b: i128) -> P<i128> {
    a.checked_add(b).ok_or_else(|| {
        Problem::new(
            ErrorCode::InvalidAmount,
            "the amounts add up to more than can be counted",
        )
    })
}

fn minor(amount: Decimal) -> i128 {
    amount.mantissa()
}

fn file_header(f: &mut Fields<'_>, s: &mut Statement, b: &Budget) -> P<()> {
    s.sender = b.opt("sender identification", f.next().unwrap_or(""))?;
    s.receiver = b.opt("receiver identification", f.next().unwrap_or(""))?;
    let date = yymmdd(f.next().unwrap_or(""))?;
    let time = hhmm(f.next().unwrap_or(""))?;
    s.created = at_time(date, time);
    s.message_id = b.opt("file identification number", f.next().unwrap_or(""))?;
    let _record_length = f.next();
    let _block_size = f.next();
    let version = f.next().unwrap_or("");
    if version != "2" {
        return Err(Problem::new(
            ErrorCode::InvalidValue,
            format!("version number {} is not 2 (BAI2)", shown(version)),
        ));
    }
    s.version = Some("2".to_owned());
    Ok(())
}

fn group_header(f: &mut Fields<'_>, count: usize) -> P<Group> {
    let _receiver = f.next();
    let _originator = f.next();
    let status = f.next().unwrap_or("");
    if !matches!(status, "1" | "2" | "3" | "4") {
        return Err(Problem::new(
            ErrorCode::InvalidValue,
            format!("group status {} is not 1, 2, 3 or 4", shown(status)),
        ));
    }
    let date = yymmdd(f.next().unwrap_or(""))?;
    let time = f.next().unwrap_or("");
    if !time.is_empty() {
        hhmm(time)?;
    }
    let ccy = match f.next().unwrap_or("") {
        // The default currency is the US dollar.
        "" => usd()?,
        c => currency(c)?,
    };
    Ok(Group {
        date,
        currency: ccy,
        total: 0,
        accounts: 0,
        records: count,
    })
}

/// Status type codes (balances): 001-099 and 900-919.
fn is_status(code: u16) -> bool {
    (1..=99).contains(&code) || (900..=919).contains(&code)
}

fn type_code(text: &str) -> P<u16> {
    let ok = text.len() == 3 && text.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| text.parse().ok()).flatten().ok_or_else(|| {
        Problem::new(
            ErrorCode::InvalidValue,
            format!("type code {} is not three digits", shown(text)),
        )
    })
}

fn balance_code(code: u16) -> String {
    match code {
        10 => "OPBD".to_owned(),
        15 => "CLBD".to_owned(),
        40 => "OPAV".to_owned(),
        45 => "CLAV".to_owned(),
        _ => format!("BAI:{code:03}"),
    }
}

fn account(f: &mut Fields<'_>, g: &Group, count: usize, b: &Budget) -> P<Acct> {
    let number = f.next().unwrap_or("");
    if number.is_empty() {
        return Err(Problem::new(
            ErrorCode::Missing,
            "the account number is missing",
        ));
    }
    let ccy = match f.next().unwrap_or("") {
        "" => g.currency,
        c => currency(c)?,
    };
    let mut statement = AccountStatement::default();
    statement.account.number = b.opt("account number", number)?;
    statement.account.currency = Some(ccy);
    statement.to_date = Some(g.date);
    let mut total: i128 = 0;
    while let Some(code) = f.next() {
        if code.is_empty() {
            // Trailing empty fields end the summaries; anything after them
            // is out of place.
            while let Some(extra) = f.next() {
                if !extra.is_empty() {
                    return Err(Problem::new(
                        ErrorCode::Syntax,
                        format!("{} after an empty type code", shown(extra)),
                    ));
                }
            }
            break;
        }
        let code = type_code(code)?;
        let amount_text = f.next().unwrap_or("");
        let _item_count = f.next();
        let funds = f.next().unwrap_or("");
        funds_type(f, funds, ccy)?;
        if amount_text.is_empty() {
            continue;
        }
        let amount = minor_units_amount(amount_text, ccy, true)?;
        total = sum(total, minor(amount))?;
        if is_status(code) {
            statement.balances.push(Balance {
                code: balance_code(code),
                amount,
                currency: ccy,
                date: Some(g.date),
            });
            limit(
                "balances of one account",
                statement.balances.len(),
                b.limits.max_references,
            )?;
        } else if amount.is_sign_negative() && !amount.is_zero() {
            return Err(Problem::new(
                ErrorCode::InvalidAmount,
                format!(
                    "summary amount {} of type {code:03} is negative",
                    shown(amount_text)
                ),
            ));
        }
    }
    Ok(Acct {
        statement,
        currency: ccy,
        total,
        records: count,
    })
}

/// Reads and checks the fields a funds type brings. Their amounts are
/// availability, not new amounts: they are not part of the control total.
fn funds_type(f: &mut Fields<'_>, funds: &str, ccy: Currency) -> P<()> {
    match funds {
        "" | "0" | "1" | "2" | "Z" => Ok(()),
        "V" => {
            let date = f.next().unwrap_or("");
            yymmdd(date)?;
            let time = f.next().unwrap_or("");
            if !time.is_empty() {
                hhmm(time)?;
            }
            Ok(())
        }
        "S" => {
            for _ in 0..3 {
                let t = f.next().unwrap_or("");
                if !t.is_empty() {
                    minor_units_amount(t, ccy, true)?;
                }
            }
            Ok(())
        }
        "D" => {
            let n_text = f.next().unwrap_or("");
            let n: usize = n_text.parse().map_err(|_| {
                Problem::new(
                    ErrorCode::InvalidValue,
                    format!("number of distributions {} is not a number", shown(n_text)),
                )
            })?;
            limit("distributions of a funds type D", n, 1000)?;
            for _ in 0..n {
                let _days = f.next();
                let t = f.next().unwrap_or("");
                if !t.is_empty() {
                    minor_units_amount(t, ccy, true)?;
                }
            }
            Ok(())
        }
        other => Err(Problem::new(
            ErrorCode::InvalidValue,
            format!("funds type {} is not 0, 1, 2, V, S, D or Z", shown(other)),
        )),
    }
}

/// Credit detail codes that return or correct an earlier item rather than
/// bring new money.
const RETURN_CREDITS: [u16; 6] = [118, 123, 168, 172, 188, 196];

fn method(code: u16) -> PaymentMethod {
    match code {
        109..=118 | 170 | 172..=178 | 184..=189 | 301 => PaymentMethod::Check,
        120..=123 | 140..=145 | 150..=169 => PaymentMethod::Ach,
        146 | 147 => PaymentMethod::Card,
        190..=199 | 205..=216 => PaymentMethod::Wire,
        _ => PaymentMethod::Other,
    }
}

fn detail(f: &mut Fields<'_>, a: &mut Acct, date: NaiveDate, b: &mut Budget) -> P<()> {
    let code_text = f.next().unwrap_or("");
    let code = type_code(code_text)?;
    let amount_text = f.next().unwrap_or("");
    let amount = if amount_text.is_empty() {
        Decimal::ZERO
    } else {
        minor_units_amount(amount_text, a.currency, false)?
    };
    let funds = f.next().unwrap_or("");
    let mut value_date = None;
    if funds == "V" {
        // Read here for the value date; the same fields funds_type checks.
        let saved = (f.idx, f.rest);
        value_date = Some(yymmdd(f.next().unwrap_or(""))?);
        (f.idx, f.rest) = saved;
    }
    funds_type(f, funds, a.currency)?;
    a.total = sum(a.total, minor(amount))?;
    let bank_ref = f.next().unwrap_or("").to_owned();
    let customer_ref = f.next().unwrap_or("").to_owned();
    let text = f.text();
    let cd = match code {
        100..=399 | 920..=959 => Some(CreditDebit::Credit),
        400..=699 | 960..=999 => Some(CreditDebit::Debit),
        700..=799 | 890 => None,
        _ => {
            return Err(Problem::new(
                ErrorCode::InvalidValue,
                format!("type code {code:03} is not a detail code"),
            ))
        }
    };
    let mut d = Draft::new(cd.unwrap_or(CreditDebit::Credit), date, amount, a.currency);
    d.notice = cd.is_none();
    d.returned = RETURN_CREDITS.contains(&code);
    d.value_date = value_date;
    d.method = method(code);
    d.transaction_code = Some(format!("{code:03}"));
    d.bank_reference = b.opt("bank reference", &bank_ref)?;
    d.end_to_end_id = b.opt("customer reference", &customer_ref)?;
    d.party_name = payer_in_text(&text);
    b.append("text", &mut d.text, &text, " ")?;
    d.file(&mut a.statement, b)
}

/// The originator named in a detail text in the ACH-style layout banks use
/// (`ORIG CO NAME:ACME CORP ORIG ID:...`), or after `B/O:`.
fn payer_in_text(text: &str) -> Option<String> {
    const KEYS: [&str; 3] = ["ORIG CO NAME:", "B/O:", "BY ORDER OF:"];
    const ENDS: [&str; 8] = [
        "ORIG ID:",
        "CO ENTRY",
        "ENTRY DESCR:",
        "SEC:",
        "IND ID:",
        "IND NAME:",
        "TRN:",
        "  ",
    ];
    let upper = text.to_ascii_uppercase();
    KEYS.iter().find_map(|key| {
        let start = upper.find(key)?.saturating_add(key.len());
        let tail = upper.get(start..)?;
        let end = ENDS
            .iter()
            .filter_map(|e| tail.find(e))
            .min()
            .unwrap_or(tail.len());
        let name = text.get(start..start.saturating_add(end))?.trim();
        (!name.is_empty()).then(|| name.to_owned())
    })
}

fn number(text: Option<&str>, what: &str) -> P<usize> {
    let t = text.unwrap_or("");
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) || t.len() > 12 {
        return Err(Problem::new(
            if t.is_empty() {
                ErrorCode::Missing
            } else {
                ErrorCode::InvalidValue
            },
            format!("{what} {} is not a number", shown(t)),
        ));
    }
    t.parse()
        .map_err(|_| Problem::new(ErrorCode::InvalidValue, format!("{what} {}", shown(t))))
}

/// A signed control total in minor units.
fn signed(text: Option<&str>, what: &str) -> P<i128> {
    let t = text.unwrap_or("");
    if t.is_empty() {
        return Err(Problem::new(
            ErrorCode::Missing,
            format!("the {what} is missing"),
        ));
    }
    // Any currency with two decimals reads the digits the same way; only
    // the integer of minor units is used.
    let amount = minor_units_amount(t, usd()?, true)
        .map_err(|p| Problem::new(p.code, format!("{what}: {}", p.message)))?;
    Ok(minor(amount))
}

fn check_total(written: i128, computed: i128, what: &str) -> P<()> {
    if written == computed {
        return Ok(());
    }
    Err(Problem::new(
        ErrorCode::ControlTotal,
        format!("{what} is {written} but the records add up to {computed} (minor units)"),
    ))
}

fn check_count(written: usize, counted: usize, what: &str) -> P<()> {
    if written == counted {
        return Ok(());
    }
    Err(Problem::new(
        ErrorCode::RecordCount,
        format!("the trailer says {written} {what}, the file has {counted}"),
    ))
}
