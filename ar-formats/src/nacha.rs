//! NACHA ACH files: 94-character records. 1 file header, 5 batch header, 6
//! entry detail, 7 addenda, 8 batch control, 9 file control, then records
//! of nines filling the last block of ten.
//!
//! Each batch becomes a statement. A received credit becomes a receipt
//! whose payer is the batch's originator; CCD+ (and PPD+) `05` addenda are
//! its remittance text; the `05` addenda of a CTX entry, joined, are an X12
//! 820 read by the same mapper as an 820 file.

use ar_core::chrono::NaiveDate;
use ar_core::rust_decimal::Decimal;
use ar_core::{Currency, PaymentMethod};

use crate::common::{at_time, currency, decode, hhmm, limit, yymmdd, Budget, Draft, Problem, P};
use crate::error::{at_line, shown, ErrorCode, Result};
use crate::model::{AccountStatement, CreditDebit, Format, Limits, Statement};
use crate::x12;

const RECORD: usize = 94;

/// Characters `from` to `to` (1-based, inclusive) of a record: the
/// positions the NACHA layouts give.
fn field(rec: &str, from: usize, to: usize) -> &str {
    let (a, b) = (from.saturating_sub(1), to);
    if rec.is_ascii() {
        return rec.get(a..b).unwrap_or("");
    }
    let mut idx = rec
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(rec.len()));
    let start = idx.nth(a);
    let end = idx.nth(b.saturating_sub(a).saturating_sub(1));
    match (start, end) {
        (Some(s), Some(e)) => rec.get(s..e).unwrap_or(""),
        _ => "",
    }
}

fn digits(text: &str, what: &str) -> P<u64> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem::new(
            ErrorCode::InvalidValue,
            format!("{what} {} is not digits", shown(text)),
        ));
    }
    t.parse()
        .map_err(|_| Problem::new(ErrorCode::InvalidValue, format!("{what} {}", shown(text))))
}

fn cents(text: &str, what: &str) -> P<i128> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem::new(
            ErrorCode::InvalidAmount,
            format!("{what} {} is not a whole number of cents", shown(text)),
        ));
    }
    Ok(i128::from(digits(text, what)?))
}

fn usd() -> P<Currency> {
    currency("USD")
}

fn sum(a: i128, b: i128) -> P<i128> {
    a.checked_add(b)
        .ok_or_else(|| Problem::new(ErrorCode::InvalidAmount, "the totals do not fit"))
}

fn check(written: i128, counted: i128, what: &str, code: ErrorCode) -> P<()> {
    if written == counted {
        Ok(())
    } else {
        Err(Problem::new(
            code,
            format!("{what}: the control record says {written}, the records give {counted}"),
        ))
    }
}

/// The ABA routing check digit of an 8-digit DFI identification.
fn check_digit(dfi: &str) -> Option<u32> {
    const WEIGHTS: [u32; 8] = [3, 7, 1, 3, 7, 1, 3, 7];
    let mut total = 0u32;
    for (c, w) in dfi.chars().zip(WEIGHTS) {
        total = total.saturating_add(c.to_digit(10)?.saturating_mul(w));
    }
    Some((10u32.saturating_sub(total % 10)) % 10)
}

struct Entry {
    line: usize,
    draft: Draft,
    ctx: bool,
    addenda: String,
    addenda_line: usize,
    addenda_count: usize,
}

struct Batch {
    line: usize,
    statement: AccountStatement,
    service: String,
    sec: String,
    company: Option<String>,
    company_id: Option<String>,
    number: String,
    date: NaiveDate,
    entries: Vec<Entry>,
    count: i128,
    hash: i128,
    debit: i128,
    credit: i128,
}

/// The file's records with their line numbers: one a line, or a file
/// without line breaks cut every 94 characters.
fn records(text: &str) -> Vec<(usize, &str)> {
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    let single = lines.iter().filter(|l| !l.is_empty()).count() == 1;
    if single {
        if let Some(l) = lines.iter().find(|l| !l.is_empty()) {
            let n = l.chars().count();
            if n > RECORD && n % RECORD == 0 && l.is_ascii() {
                return (0..n / RECORD)
                    .filter_map(|i| {
                        let from = i.saturating_mul(RECORD);
                        l.get(from..from.saturating_add(RECORD)).map(|r| (1, r))
                    })
                    .collect();
            }
        }
    }
    let mut out: Vec<(usize, &str)> = lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| (i.saturating_add(1), l))
        .collect();
    while out.last().is_some_and(|(_, l)| l.trim().is_empty()) {
        out.pop();
    }
    out
}

pub(crate) fn parse(input: &[u8], limits: &Limits) -> Result<Statement> {
    limit("bytes of input", input.len(), limits.max_input_bytes)
        .map_err(|p| at_line(Format::Nacha, 0, p.code, "", p.message))?;
    let text = decode(input);
    let recs = records(&text);
    let mut budget = Budget::new(limits);
    let mut statement = Statement {
        format: Format::Nacha,
        version: None,
        message_id: None,
        created: None,
        sender: None,
        receiver: None,
        accounts: Vec::new(),
    };
    let mut header = false;
    let mut control = false;
    let mut batch: Option<Batch> = None;
    let mut batches: i128 = 0;
    let mut file_count: i128 = 0;
    let mut file_hash: i128 = 0;
    let mut file_debit: i128 = 0;
    let mut file_credit: i128 = 0;
    let total_records = recs.len();
    let mut last_line = 1usize;
    let mut entries_seen = 0usize;
    for (line, rec) in recs {
        last_line = line;
        let kind = rec.chars().next().unwrap_or(' ');
        let location = format!("record {kind}");
        let at = |p: Problem| at_line(Format::Nacha, line, p.code, location.clone(), p.message);
        let len = rec.chars().count();
        if len != RECORD {
            return Err(at(Problem::new(
                ErrorCode::Syntax,
                format!("the record is {len} characters long, NACHA records are {RECORD}"),
            )));
        }
        if control {
            if rec.bytes().all(|b| b == b'9') {
                continue;
            }
            return Err(at(Problem::new(
                ErrorCode::Syntax,
                "a record after the 9 file control",
            )));
        }
        match kind {
            '1' => {
                if header {
                    return Err(at(Problem::new(
                        ErrorCode::Syntax,
                        "a second 1 file header",
                    )));
                }
                header = true;
                file_header(rec, &mut statement, &budget).map_err(at)?;
            }
            _ if !header => {
                return Err(at(Problem::new(
                    ErrorCode::Syntax,
                    "the file does not start with a 1 file header",
                )))
            }
            '5' => {
                if batch.is_some() {
                    return Err(at(Problem::new(
                        ErrorCode::Syntax,
                        "a 5 batch header before the 8 control of the batch before",
                    )));
                }
                budget.account().map_err(at)?;
                batches = batches.saturating_add(1);
                batch = Some(batch_header(rec, line, &budget).map_err(at)?);
            }
            '6' => {
                let Some(b) = batch.as_mut() else {
                    return Err(at(Problem::new(
                        ErrorCode::Syntax,
                        "an entry outside a batch",
                    )));
                };
                entry(rec, line, b, &budget).map_err(at)?;
                entries_seen = entries_seen.saturating_add(1);
                limit("entries in the file", entries_seen, limits.max_entries).map_err(at)?;
            }
            '7' => {
                let Some(b) = batch.as_mut() else {
                    return Err(at(Problem::new(
                        ErrorCode::Syntax,
                        "an addenda record outside a batch",
                    )));
                };
                addenda(rec, line, b, &budget).map_err(at)?;
            }
            '8' => {
                let Some(b) = batch.take() else {
                    return Err(at(Problem::new(
                        ErrorCode::Syntax,
                        "a batch control outside a batch",
                    )));
                };
                let b = batch_control(rec, b).map_err(at)?;
                file_count = sum(file_count, b.count).map_err(at)?;
                file_hash = sum(file_hash, b.hash % 10_000_000_000).map_err(at)?;
                file_debit = sum(file_debit, b.debit).map_err(at)?;
                file_credit = sum(file_credit, b.credit).map_err(at)?;
                statement.accounts.push(finish(b, &mut budget, limits)?);
            }
            '9' => {
                if batch.is_some() {
                    return Err(at(Problem::new(
                        ErrorCode::Syntax,
                        "the 9 file control before the batch's 8 control",
                    )));
                }
                let n = |from, to, what| digits(field(rec, from, to), what).map(i128::from);
                check(
                    n(2, 7, "batch count").map_err(at)?,
                    batches,
                    "batch count",
                    ErrorCode::RecordCount,
                )
                .map_err(at)?;
                let blocks = i128::try_from(total_records.div_ceil(10)).unwrap_or(i128::MAX);
                check(
                    n(8, 13, "block count").map_err(at)?,
                    blocks,
                    "block count",
                    ErrorCode::RecordCount,
                )
                .map_err(at)?;
                check(
                    n(14, 21, "entry/addenda count").map_err(at)?,
                    file_count,
                    "entry/addenda count",
                    ErrorCode::RecordCount,
                )
                .map_err(at)?;
                check(
                    n(22, 31, "entry hash").map_err(at)?,
                    file_hash % 10_000_000_000,
                    "entry hash",
                    ErrorCode::ControlTotal,
                )
                .map_err(at)?;
                check(
                    cents(field(rec, 32, 43), "total debit").map_err(at)?,
                    file_debit,
                    "total debit entry amount",
                    ErrorCode::ControlTotal,
                )
                .map_err(at)?;
                check(
                    cents(field(rec, 44, 55), "total credit").map_err(at)?,
                    file_credit,
                    "total credit entry amount",
                    ErrorCode::ControlTotal,
                )
                .map_err(at)?;
                control = true;
            }
            other => {
                return Err(at(Problem::new(
                    ErrorCode::Syntax,
                    format!(
                        "record type {} is not 1, 5, 6, 7, 8 or 9",
                        shown(&other.to_string())
                    ),
                )))
            }
        }
    }
    if !control {
        let what = if header {
            "the file ends without its 9 file control"
        } else {
            "the file is empty"
        };
        return Err(at_line(
            Format::Nacha,
            last_line,
            ErrorCode::Missing,
            "record 9",
            what,
        ));
    }
    Ok(statement)
}

fn file_header(rec: &str, s: &mut Statement, b: &Budget) -> P<()> {
    if field(rec, 2, 3) != "01" {
        return Err(Problem::new(
            ErrorCode::InvalidValue,
            format!("priority code {} is not 01", shown(field(rec, 2, 3))),
        ));
    }
    if field(rec, 35, 37) != "094" {
        return Err(Problem::new(
            ErrorCode::InvalidValue,
            format!("record size {} is not 094", shown(field(rec, 35, 37))),
        ));
    }
    let date = yymmdd(field(rec, 24, 29))?;
    let time = field(rec, 30, 33);
    s.created = if time.trim().is_empty() {
        date.and_hms_opt(0, 0, 0)
    } else {
        at_time(date, hhmm(time)?)
    };
    s.receiver = b.opt("immediate destination name", field(rec, 41, 63))?;
    s.sender = b.opt("immediate origin name", field(rec, 64, 86))?;
    let reference = field(rec, 87, 94).trim();
    let modifier = field(rec, 34, 34);
    s.message_id = Some(if reference.is_empty() {
        modifier.to_owned()
    } else {
        reference.to_owned()
    });
    Ok(())
}

fn batch_header(rec: &str, line: usize, b: &Budget) -> P<Batch> {
    let service = field(rec, 2, 4).to_owned();
    if !matches!(service.as_str(), "200" | "220" | "225" | "280") {
        return Err(Problem::new(
            ErrorCode::InvalidValue,
            format!(
                "service class code {} is not 200, 220, 225 or 280",
                shown(&service)
            ),
        ));
    }
    let date = yymmdd(field(rec, 70, 75))?;
    let mut statement = AccountStatement::default();
    let number = field(rec, 88, 94).to_owned();
    statement.id = b.opt("batch number", &number)?;
    statement.account.bank = b.opt("originating DFI", field(rec, 80, 87))?;
    statement.account.currency = Some(usd()?);
    statement.to_date = Some(date);
    Ok(Batch {
        line,
        statement,
        service,
        sec: field(rec, 51, 53).to_owned(),
        company: b.opt("company name", field(rec, 5, 20))?,
        company_id: b.opt("company identification", field(rec, 41, 50))?,
        number,
        date,
        entries: Vec::new(),
        count: 0,
        hash: 0,
        debit: 0,
        credit: 0,
    })
}

fn entry(rec: &str, line: usize, batch: &mut Batch, b: &Budget) -> P<()> {
    let code = field(rec, 2, 3);
    let last = code.chars().nth(1).and_then(|c| c.to_digit(10));
    let (cd, notice, returned) = match last {
        Some(2) => (CreditDebit::Credit, false, false),
        Some(3 | 4) => (CreditDebit::Credit, true, false),
        Some(1) => (CreditDebit::Credit, false, true),
        Some(7) => (CreditDebit::Debit, false, false),
        Some(8 | 9) => (CreditDebit::Debit, true, false),
        Some(6) => (CreditDebit::Debit, false, true),
        _ => {
            return Err(Problem::new(
                ErrorCode::InvalidValue,
                format!(
                    "transaction code {} is not an ACH transaction code",
                    shown(code)
                ),
            ))
        }
    };
    if !code
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '2' | '3' | '4' | '5'))
    {
        return Err(Problem::new(
            ErrorCode::InvalidValue,
            format!(
                "transaction code {} is not an ACH transaction code",
                shown(code)
            ),
        ));
    }
    let dfi = field(rec, 4, 11);
    let dfi_n = digits(dfi, "receiving DFI identification")?;
    let written_check = field(rec, 12, 12);
    let expected = check_digit(dfi);
    if expected.map(|d| d.to_string()).as_deref() != Some(written_check) {
        return Err(Problem::new(
            ErrorCode::InvalidValue,
            format!(
                "check digit {} of DFI {} should be {}",
                shown(written_check),
                shown(dfi),
                expected.unwrap_or(0)
            ),
        ));
    }
    let amount = cents(field(rec, 30, 39), "amount")?;
    let ccy = usd()?;
    let decimal = Decimal::from_i128_with_scale(amount, ccy.minor_units());
    let mut d = Draft::new(cd, batch.date, decimal, ccy);
    d.notice = notice;
    d.returned = returned;
    d.method = PaymentMethod::Ach;
    d.transaction_code = Some(format!("{code} {}", batch.sec.trim()));
    d.bank_reference = b.opt("trace number", field(rec, 80, 94))?;
    d.end_to_end_id = b.opt("identification number", field(rec, 40, 54))?;
    d.party_name = batch.company.clone();
    d.party_account = batch.company_id.clone();
    batch.hash = sum(batch.hash, i128::from(dfi_n))?;
    batch.count = sum(batch.count, 1)?;
    match cd {
        CreditDebit::Credit => batch.credit = sum(batch.credit, amount)?,
        CreditDebit::Debit => batch.debit = sum(batch.debit, amount)?,
    }
    batch.entries.push(Entry {
        line,
        draft: d,
        ctx: batch.sec.trim() == "CTX",
        addenda: String::new(),
        addenda_line: line,
        addenda_count: 0,
    });
    Ok(())
}

fn addenda(rec: &str, line: usize, batch: &mut Batch, b: &Budget) -> P<()> {
    let Some(e) = batch.entries.last_mut() else {
        return Err(Problem::new(
            ErrorCode::Syntax,
            "an addenda record before any entry of its batch",
        ));
    };
    batch.count = sum(batch.count, 1)?;
    e.addenda_count = e.addenda_count.saturating_add(1);
    limit("addenda of one entry", e.addenda_count, 9999)?;
    if e.addenda_count == 1 {
        e.addenda_line = line;
    }
    match field(rec, 2, 3) {
        "05" => {
            let info = field(rec, 4, 83);
            if e.ctx {
                // The 820 runs on across addenda: joined as written.
                let len = e.addenda.len().saturating_add(info.len());
                limit("addenda text of one entry", len, b.limits.max_text_len)?;
                e.addenda.push_str(info);
            } else {
                b.append("payment related information", &mut e.draft.text, info, " ")?;
            }
        }
        "99" => {
            e.draft.returned = true;
            let reason = field(rec, 4, 6);
            b.append(
                "return reason",
                &mut e.draft.text,
                &format!("return {reason}"),
                " ",
            )?;
        }
        "98" => {
            e.draft.notice = true;
            let reason = field(rec, 4, 6);
            b.append(
                "change code",
                &mut e.draft.text,
                &format!("notification of change {reason}"),
                " ",
            )?;
        }
        other => {
            return Err(Problem::new(
                ErrorCode::InvalidValue,
                format!("addenda type {} is not 05, 98 or 99", shown(other)),
            ))
        }
    }
    Ok(())
}

fn batch_control(rec: &str, b: Batch) -> P<Batch> {
    if field(rec, 2, 4) != b.service {
        return Err(Problem::new(
            ErrorCode::InvalidValue,
            format!(
                "service class code {} differs from the batch header's {}",
                shown(field(rec, 2, 4)),
                shown(&b.service)
            ),
        ));
    }
    if field(rec, 88, 94) != b.number {
        return Err(Problem::new(
            ErrorCode::InvalidValue,
            format!(
                "batch number {} differs from the batch header's {}",
                shown(field(rec, 88, 94)),
                shown(&b.number)
            ),
        ));
    }
    let n = |from, to, what| digits(field(rec, from, to), what).map(i128::from);
    check(
        n(5, 10, "entry/addenda count")?,
        b.count,
        "entry/addenda count",
        ErrorCode::RecordCount,
    )?;
    check(
        n(11, 20, "entry hash")?,
        b.hash % 10_000_000_000,
        "entry hash",
        ErrorCode::ControlTotal,
    )?;
    check(
        cents(field(rec, 21, 32), "total debit")?,
        b.debit,
        "total debit entry amount",
        ErrorCode::ControlTotal,
    )?;
    check(
        cents(field(rec, 33, 44), "total credit")?,
        b.credit,
        "total credit entry amount",
        ErrorCode::ControlTotal,
    )?;
    Ok(b)
}

/// Files a batch's entries once its control record has checked them, so a
/// batch that does not add up contributes nothing.
fn finish(
    mut b: Batch,
    budget: &mut Budget,
    limits: &Limits,
) -> crate::error::Result<AccountStatement> {
    let usd = usd().map_err(|p| at_line(Format::Nacha, b.line, p.code, "record 5", p.message))?;
    for e in b.entries {
        let mut d = e.draft;
        if e.ctx && !e.addenda.trim().is_empty() {
            ctx(&mut d, &e.addenda, e.addenda_line, budget, limits, usd)?;
        }
        d.file(&mut b.statement, budget)
            .map_err(|p| at_line(Format::Nacha, e.line, p.code, "record 6", p.message))?;
    }
    Ok(b.statement)
}

/// The X12 820 in a CTX entry's addenda: its payer, references and notes
/// added to the entry. Addenda that are not X12 are kept as text.
fn ctx(
    d: &mut Draft,
    text: &str,
    line: usize,
    budget: &Budget,
    limits: &Limits,
    usd: Currency,
) -> Result<()> {
    let t = text.trim();
    if !(t.starts_with("ISA") || t.starts_with("ST")) {
        return budget
            .append("payment related information", &mut d.text, t, " ")
            .map_err(|p| at_line(Format::Nacha, line, p.code, "record 7", p.message));
    }
    let segs = x12::tokenize(t, Format::Nacha, line, limits)?;
    for set in x12::sets(&segs, Format::Nacha)? {
        let r = x12::map_820(set, budget, usd).map_err(|(_, name, p)| {
            at_line(
                Format::Nacha,
                line,
                p.code,
                format!("record 7, 820 {name}"),
                p.message,
            )
        })?;
        let at = |p: Problem| at_line(Format::Nacha, line, p.code, "record 7", p.message);
        if r.payer_name.is_some() {
            d.party_name = r.payer_name;
        }
        budget
            .append("remittance", &mut d.text, &r.text, " ")
            .map_err(at)?;
        for reference in r.references {
            budget.reference(&mut d.references, reference).map_err(at)?;
        }
    }
    Ok(())
}
