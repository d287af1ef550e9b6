//! SWIFT MT940 customer statements.
//!
//! A message is a run of tags, each starting a line as `:NN:` or `:NNa:`;
//! lines that do not start a tag continue the tag before. Banks wrap
//! messages in SWIFT blocks (`{1:...}{4:` ... `-}`), end them with `-`, or
//! put header lines before them: everything outside a message's tags is
//! skipped. A new `:20:` starts a new message.

use ar_core::chrono::{Datelike, NaiveDate};
use ar_core::rust_decimal::Decimal;
use ar_core::{Currency, PaymentMethod};

use crate::common::{
    add, currency, decimal_amount, decode, limit, negate, ymd, yymmdd, Budget, Draft, Problem, P,
};
use crate::error::{at_line, shown, ErrorCode, Result};
use crate::model::{AccountStatement, Balance, CreditDebit, Format, Limits, Statement};

struct Tag {
    name: String,
    line: usize,
    value: String,
}

/// `:20:` or `:28C:` at the start of `line`: the tag name and the rest.
fn tag_start(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix(':')?;
    let end = rest.find(':')?;
    let name = rest.get(..end)?;
    let ok = (2..=3).contains(&name.len())
        && name.bytes().take(2).all(|b| b.is_ascii_digit())
        && name
            .as_bytes()
            .get(2)
            .is_none_or(|b| b.is_ascii_uppercase());
    ok.then(|| (name, rest.get(end.saturating_add(1)..).unwrap_or("")))
}

/// Splits the file into messages of tags.
fn messages(text: &str, limits: &Limits) -> Result<Vec<Vec<Tag>>> {
    let mut out: Vec<Vec<Tag>> = Vec::new();
    let mut current: Vec<Tag> = Vec::new();
    let mut tags = 0usize;
    for (idx, raw) in text.split('\n').enumerate() {
        let line = idx.saturating_add(1);
        // Transmission control characters (SOH, ETX) are not text.
        let mut l = raw.trim_matches(|c: char| c == '\r' || (c.is_control() && c != '\t'));
        // A SWIFT block header line: the text block's content follows `{4:`.
        if l.starts_with('{') {
            match l.find("{4:") {
                Some(i) => l = l.get(i.saturating_add(3)..).unwrap_or(""),
                None => continue,
            }
        }
        if let Some((name, value)) = tag_start(l) {
            if name == "20" && !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            tags = tags.saturating_add(1);
            let max = limits.max_entries.saturating_mul(4).saturating_add(1000);
            limit("tags in the file", tags, max).map_err(|p| {
                at_line(Format::Mt940, line, p.code, format!(":{name}:"), p.message)
            })?;
            current.push(Tag {
                name: name.to_owned(),
                line,
                value: value.to_owned(),
            });
            continue;
        }
        // `-`, `-}`, `-XXX`: the end of a message.
        let end = l.starts_with('-')
            && l.chars()
                .skip(1)
                .all(|c| c == '}' || c == 'X' || c.is_whitespace());
        if end {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if let Some(last) = current.last_mut() {
            let len = last.value.len().saturating_add(l.len()).saturating_add(1);
            limit("text of one tag", len, limits.max_text_len).map_err(|p| {
                at_line(
                    Format::Mt940,
                    line,
                    p.code,
                    format!(":{}:", last.name),
                    p.message,
                )
            })?;
            last.value.push('\n');
            last.value.push_str(l);
        }
        // Lines outside a message (file headers, `-` lines) are skipped.
    }
    if !current.is_empty() {
        out.push(current);
    }
    Ok(out)
}

pub(crate) fn parse(input: &[u8], limits: &Limits) -> Result<Statement> {
    limit("bytes of input", input.len(), limits.max_input_bytes)
        .map_err(|p| at_line(Format::Mt940, 0, p.code, "", p.message))?;
    let text = decode(input);
    let msgs = messages(&text, limits)?;
    let mut budget = Budget::new(limits);
    let mut statement = Statement {
        format: Format::Mt940,
        version: None,
        message_id: None,
        created: None,
        sender: None,
        receiver: None,
        accounts: Vec::new(),
    };
    if msgs.is_empty() {
        return Err(at_line(
            Format::Mt940,
            1,
            ErrorCode::Missing,
            ":20:",
            "no MT940 message (no :20: tag) in the file",
        ));
    }
    for msg in msgs {
        budget.account().map_err(|p| {
            at_line(
                Format::Mt940,
                msg.first().map_or(1, |t| t.line),
                p.code,
                ":20:",
                p.message,
            )
        })?;
        statement.accounts.push(message(&msg, &mut budget)?);
    }
    Ok(statement)
}

/// One message as a statement; the closing balance is checked against the
/// opening balance and the entries.
fn message(tags: &[Tag], budget: &mut Budget) -> Result<AccountStatement> {
    let mut acct = AccountStatement::default();
    let mut opening: Option<(Decimal, Currency, usize)> = None;
    let mut closing: Option<(Decimal, Currency, usize, String)> = None;
    let mut net = Decimal::ZERO;
    let mut pending: Option<(Draft, usize)> = None;
    let first_line = tags.first().map_or(1, |t| t.line);
    for (i, t) in tags.iter().enumerate() {
        let at = |p: Problem| {
            at_line(
                Format::Mt940,
                t.line,
                p.code,
                format!(":{}:", t.name),
                p.message,
            )
        };
        if t.name != "86" {
            if let Some((d, _)) = pending.take() {
                d.file(&mut acct, budget).map_err(at)?;
            }
        }
        match t.name.as_str() {
            "20" => acct.id = budget.opt(":20:", &t.value).map_err(at)?,
            "25" => account(&mut acct, &t.value, budget).map_err(at)?,
            "28" | "28C" => acct.sequence = budget.opt(":28C:", &t.value).map_err(at)?,
            "60F" | "60M" => {
                let (amount, ccy, date) = balance(&t.value).map_err(at)?;
                acct.account.currency = Some(ccy);
                acct.from_date = Some(date);
                acct.balances.push(Balance {
                    code: if t.name == "60F" { "OPBD" } else { "ITBD" }.to_owned(),
                    amount,
                    currency: ccy,
                    date: Some(date),
                });
                opening = Some((amount, ccy, t.line));
            }
            "61" => {
                let Some((_, ccy, _)) = opening else {
                    return Err(at(Problem::new(
                        ErrorCode::Syntax,
                        "an entry (:61:) before the opening balance (:60F:)",
                    )));
                };
                let d = entry(&t.value, ccy, budget).map_err(at)?;
                let signed = match d.credit_debit {
                    CreditDebit::Credit => d.amount,
                    CreditDebit::Debit => negate(d.amount),
                };
                net = add(net, signed).map_err(at)?;
                pending = Some((d, i));
            }
            "86" => {
                if let Some((d, _)) = pending.as_mut() {
                    info(d, &t.value, budget).map_err(at)?;
                }
            }
            "62F" | "62M" => {
                let (amount, ccy, date) = balance(&t.value).map_err(at)?;
                acct.to_date = Some(date);
                acct.balances.push(Balance {
                    code: if t.name == "62F" { "CLBD" } else { "ITBD" }.to_owned(),
                    amount,
                    currency: ccy,
                    date: Some(date),
                });
                closing = Some((amount, ccy, t.line, t.name.clone()));
            }
            "64" | "65" => {
                let (amount, ccy, date) = balance(&t.value).map_err(at)?;
                acct.balances.push(Balance {
                    code: if t.name == "64" { "CLAV" } else { "FWAV" }.to_owned(),
                    amount,
                    currency: ccy,
                    date: Some(date),
                });
            }
            _ => {}
        }
    }
    if let Some((d, i)) = pending.take() {
        let line = tags.get(i).map_or(first_line, |t| t.line);
        d.file(&mut acct, budget)
            .map_err(|p| at_line(Format::Mt940, line, p.code, ":61:", p.message))?;
    }
    let Some((open, open_ccy, _)) = opening else {
        return Err(at_line(
            Format::Mt940,
            first_line,
            ErrorCode::Missing,
            ":60F:",
            "the message has no opening balance",
        ));
    };
    let Some((close, close_ccy, line, name)) = closing else {
        return Err(at_line(
            Format::Mt940,
            first_line,
            ErrorCode::Missing,
            ":62F:",
            "the message has no closing balance",
        ));
    };
    let at = |p: Problem| at_line(Format::Mt940, line, p.code, format!(":{name}:"), p.message);
    if open_ccy != close_ccy {
        return Err(at(Problem::new(
            ErrorCode::InvalidValue,
            format!("closing balance in {close_ccy}, opening balance in {open_ccy}"),
        )));
    }
    let expected = add(open, net).map_err(at)?;
    if expected != close {
        return Err(at(Problem::new(
            ErrorCode::ControlTotal,
            format!("closing balance {close} does not follow from the opening balance {open} and the entries ({expected})"),
        )));
    }
    Ok(acct)
}

/// `:25:` account identification: an IBAN, or `BANK/ACCOUNT`, perhaps with
/// the currency after it.
fn account(acct: &mut AccountStatement, value: &str, b: &Budget) -> P<()> {
    let v = value.trim();
    let compact: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    let looks_iban = compact.len() >= 15
        && compact.bytes().take(2).all(|c| c.is_ascii_uppercase())
        && compact.bytes().skip(2).take(2).all(|c| c.is_ascii_digit())
        && compact.bytes().all(|c| c.is_ascii_alphanumeric());
    if looks_iban {
        acct.account.iban = b.opt(":25:", &compact)?;
    } else if let Some((bank, number)) = v.split_once('/') {
        acct.account.bank = b.opt(":25:", bank)?;
        acct.account.number = b.opt(":25:", number)?;
    } else {
        acct.account.number = b.opt(":25:", v)?;
    }
    Ok(())
}

/// `C260301EUR1234,56`: mark, date, currency, amount.
fn balance(value: &str) -> P<(Decimal, Currency, NaiveDate)> {
    let v = value.trim();
    let mark = v.get(..1).unwrap_or("");
    let date = yymmdd(v.get(1..7).unwrap_or(""))?;
    let ccy = currency(v.get(7..10).unwrap_or(""))?;
    let amount = comma_amount(v.get(10..).unwrap_or(""), ccy)?;
    match mark {
        "C" => Ok((amount, ccy, date)),
        "D" => Ok((negate(amount), ccy, date)),
        _ => Err(Problem::new(
            ErrorCode::InvalidValue,
            format!("balance mark {} is neither C nor D", shown(mark)),
        )),
    }
}

/// An MT940 amount: digits with a decimal comma (`1234,56`, `100,`).
fn comma_amount(text: &str, ccy: Currency) -> P<Decimal> {
    let t = text.trim();
    let bad = |why: &str| {
        Problem::new(
            ErrorCode::InvalidAmount,
            format!("amount {} {why}", shown(t)),
        )
    };
    if t.contains('.') {
        return Err(bad("uses '.' where MT940 writes a decimal comma"));
    }
    if t.matches(',').count() != 1 || !t.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        return Err(bad("is not digits with one decimal comma"));
    }
    let body = t.replace(',', ".");
    let body = body.strip_suffix('.').unwrap_or(&body);
    let body = body.trim_start_matches('0');
    let body = if body.is_empty() || body.starts_with('.') {
        format!("0{body}")
    } else {
        body.to_owned()
    };
    decimal_amount(&body, ccy)
}

/// `:61:` statement line.
fn entry(value: &str, ccy: Currency, b: &Budget) -> P<Draft> {
    let (first, supplementary) = value.split_once('\n').unwrap_or((value, ""));
    let s = first.trim_end();
    let value_date = yymmdd(s.get(..6).unwrap_or(""))?;
    let mut rest = s.get(6..).unwrap_or("");
    let mut booking = value_date;
    if rest.len() >= 4 && rest.bytes().take(4).all(|c| c.is_ascii_digit()) {
        let mm: u32 = rest.get(..2).and_then(|x| x.parse().ok()).unwrap_or(0);
        let dd: u32 = rest.get(2..4).and_then(|x| x.parse().ok()).unwrap_or(0);
        // The entry date has no year: the value date's, or the one next to
        // it across a year end.
        let mut year = value_date.year();
        if mm == 12 && value_date.month() == 1 {
            year = year.saturating_sub(1);
        } else if mm == 1 && value_date.month() == 12 {
            year = year.saturating_add(1);
        }
        booking = ymd(year, mm, dd, rest.get(..4).unwrap_or(""))?;
        rest = rest.get(4..).unwrap_or("");
    }
    let (cd, reversal, used) = if rest.starts_with("RC") || rest.starts_with("EC") {
        // Reversal of a credit: money out.
        (CreditDebit::Debit, true, 2)
    } else if rest.starts_with("RD") || rest.starts_with("ED") {
        (CreditDebit::Credit, true, 2)
    } else if rest.starts_with('C') {
        (CreditDebit::Credit, false, 1)
    } else if rest.starts_with('D') {
        (CreditDebit::Debit, false, 1)
    } else {
        return Err(Problem::new(
            ErrorCode::InvalidValue,
            format!(
                "debit/credit mark {} is not C, D, RC or RD",
                shown(rest.get(..2).unwrap_or(rest))
            ),
        ));
    };
    rest = rest.get(used..).unwrap_or("");
    // Funds code: the third letter of the currency code, optional.
    if rest.bytes().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        rest = rest.get(1..).unwrap_or("");
    }
    let amount_len = rest
        .bytes()
        .take_while(|c| c.is_ascii_digit() || *c == b',' || *c == b'.')
        .count();
    let amount = comma_amount(rest.get(..amount_len).unwrap_or(""), ccy)?;
    rest = rest.get(amount_len..).unwrap_or("");
    let kind = rest.get(..4).unwrap_or("");
    let kind_ok = kind.len() == 4
        && kind
            .bytes()
            .next()
            .is_some_and(|c| matches!(c, b'S' | b'N' | b'F'))
        && kind.bytes().skip(1).all(|c| c.is_ascii_alphanumeric());
    if !kind_ok {
        return Err(Problem::new(
            ErrorCode::InvalidValue,
            format!(
                "transaction type {} is not S, N or F and three characters",
                shown(kind)
            ),
        ));
    }
    rest = rest.get(4..).unwrap_or("");
    let (customer_ref, bank_ref) = match rest.split_once("//") {
        Some((c, b)) => (c, b),
        None => (rest, ""),
    };
    let mut d = Draft::new(cd, booking, amount, ccy);
    d.value_date = Some(value_date);
    d.reversal = reversal;
    d.transaction_code = Some(kind.to_owned());
    d.method = method(kind);
    d.end_to_end_id = b
        .opt(":61: reference", customer_ref)?
        .filter(|r| r != "NONREF");
    d.bank_reference = b.opt(":61: bank reference", bank_ref)?;
    let supplementary = supplementary.trim();
    if !supplementary.is_empty() {
        // Banks put the counterparty's account here.
        d.party_account = b.opt(":61: details", supplementary)?;
    }
    Ok(d)
}

fn method(kind: &str) -> PaymentMethod {
    match kind.get(1..).unwrap_or("") {
        "CHK" => PaymentMethod::Check,
        "DDT" | "RTI" => PaymentMethod::DirectDebit,
        "TRF" | "STO" | "COL" | "CLR" => PaymentMethod::Ach,
        "103" | "202" | "200" => PaymentMethod::Wire,
        "CCD" | "CCH" => PaymentMethod::Card,
        "CSH" => PaymentMethod::Cash,
        _ => PaymentMethod::Other,
    }
}

/// SEPA purpose keys of the German `:86:` layout.
const SEPA_KEYS: [&str; 10] = [
    "EREF+", "KREF+", "MREF+", "CRED+", "DEBT+", "SVWZ+", "ABWA+", "ABWE+", "IBAN+", "BIC+",
];

/// Keys of the slash-structured `:86:` layout (Dutch banks and others).
const SLASH_KEYS: [&str; 18] = [
    "/TRTP/", "/NAME/", "/REMI/", "/EREF/", "/IBAN/", "/BIC/", "/ORDP/", "/BENM/", "/CNTP/",
    "/ADDR/", "/CSID/", "/MARF/", "/PREF/", "/RTRN/", "/ISDT/", "/ULTD/", "/ULTC/", "/PURP/",
];

/// `:86:` information: payer name and account, remittance text, end-to-end
/// id, from the German `?NN` subfields, the `/KEY/` layout or free text.
fn info(d: &mut Draft, value: &str, b: &Budget) -> P<()> {
    let v = value.trim();
    let german = v.len() > 4
        && v.bytes().take(3).all(|c| c.is_ascii_digit())
        && v.as_bytes().get(3).is_some_and(|&c| c == b'?' || c == b'>');
    if german {
        return german_info(d, v, b);
    }
    if v.starts_with('/') && SLASH_KEYS.iter().any(|k| v.contains(k)) {
        return slash_info(d, v, b);
    }
    let text = v.split('\n').map(str::trim).collect::<Vec<_>>().join(" ");
    b.append(":86:", &mut d.text, &text, " ")
}

fn german_info(d: &mut Draft, v: &str, b: &Budget) -> P<()> {
    let sep = v.as_bytes().get(3).map_or('?', |&c| char::from(c));
    // Subfields may wrap across lines anywhere: the line breaks are not
    // part of the text.
    let joined: String = v.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    // Business transaction code 159 is a returned transfer (Retoure): money
    // back, not a payment.
    if v.starts_with("159") {
        d.returned = true;
    }
    let mut purpose: Vec<&str> = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for field in joined.split(sep).skip(1) {
        let (code, text) = (field.get(..2).unwrap_or(""), field.get(2..).unwrap_or(""));
        match code {
            "20" | "21" | "22" | "23" | "24" | "25" | "26" | "27" | "28" | "29" | "60" | "61"
            | "62" | "63" => purpose.push(text),
            "31" => d.party_account = b.opt(":86: ?31", text)?,
            "32" | "33" => names.push(text),
            _ => {}
        }
    }
    if !names.is_empty() {
        d.party_name = b.opt(":86: ?32", &names.concat())?;
    }
    let keyed = purpose
        .iter()
        .any(|p| SEPA_KEYS.iter().any(|k| p.contains(k)));
    let purpose = if keyed {
        purpose.concat()
    } else {
        purpose.join(" ")
    };
    if !keyed {
        return b.append(":86:", &mut d.text, &purpose, " ");
    }
    let mut spans: Vec<(usize, &str)> = SEPA_KEYS
        .iter()
        .flat_map(|k| {
            purpose
                .match_indices(k)
                .map(|(i, _)| (i, *k))
                .collect::<Vec<_>>()
        })
        .collect();
    spans.sort_unstable();
    let mut remittance = String::new();
    for (n, &(start, key)) in spans.iter().enumerate() {
        let from = start.saturating_add(key.len());
        let to = spans
            .get(n.saturating_add(1))
            .map_or(purpose.len(), |s| s.0);
        let text = purpose.get(from..to.max(from)).unwrap_or("").trim();
        match key {
            "EREF+" => d.end_to_end_id = b.opt("EREF+", text)?.filter(|t| t != "NOTPROVIDED"),
            "SVWZ+" => b.append("SVWZ+", &mut remittance, text, " ")?,
            "ABWA+" => d.ultimate_party = b.opt("ABWA+", text)?,
            _ => {}
        }
    }
    b.append(":86:", &mut d.text, &remittance, " ")
}

fn slash_info(d: &mut Draft, v: &str, b: &Budget) -> P<()> {
    let joined: String = v.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    let mut spans: Vec<(usize, &str)> = SLASH_KEYS
        .iter()
        .flat_map(|k| {
            joined
                .match_indices(k)
                .map(|(i, _)| (i, *k))
                .collect::<Vec<_>>()
        })
        .collect();
    spans.sort_unstable();
    // A key inside the value of another (`/ORDP//NAME/`) starts its own
    // field: keep the spans in order, each running to the next.
    let mut remittance = String::new();
    for (n, &(start, key)) in spans.iter().enumerate() {
        let from = start.saturating_add(key.len());
        let to = spans.get(n.saturating_add(1)).map_or(joined.len(), |s| s.0);
        let raw = joined.get(from..to.max(from)).unwrap_or("");
        let text = raw.trim_end_matches('/').trim();
        match key {
            "/NAME/" if d.party_name.is_none() => d.party_name = b.opt("/NAME/", text)?,
            "/IBAN/" if d.party_account.is_none() => d.party_account = b.opt("/IBAN/", text)?,
            "/CNTP/" => {
                // account/BIC/name/city
                let mut parts = text.split('/');
                if let Some(acct) = parts.next().filter(|a| !a.trim().is_empty()) {
                    d.party_account = b.opt("/CNTP/", acct)?;
                }
                if let Some(name) = parts.nth(1).filter(|n| !n.trim().is_empty()) {
                    d.party_name = b.opt("/CNTP/", name)?;
                }
            }
            "/EREF/" => d.end_to_end_id = b.opt("/EREF/", text)?.filter(|t| t != "NOTPROVIDED"),
            "/REMI/" => {
                let t = text
                    .strip_prefix("USTD//")
                    .or_else(|| text.strip_prefix("STRD/CUR/"))
                    .or_else(|| text.strip_prefix("STRD/ISO/"))
                    .or_else(|| text.strip_prefix('/'))
                    .unwrap_or(text);
                b.append("/REMI/", &mut remittance, t.trim_end_matches('/'), " ")?;
            }
            _ => {}
        }
    }
    b.append(":86:", &mut d.text, &remittance, " ")
}
