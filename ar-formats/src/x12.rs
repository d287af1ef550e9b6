//! ANSI ASC X12 820 (payment order / remittance advice): a tokenizer for
//! the separators an ISA segment (or a bare `ST` set, as carried in NACHA
//! CTX addenda) declares, the envelope counts, and one mapper from an 820
//! transaction set to a payment with its remittance, shared with CTX.

use ar_core::chrono::NaiveDate;
use ar_core::rust_decimal::Decimal;
use ar_core::{Currency, PaymentMethod};

use crate::common::{
    currency, decimal_amount, decode, limit, negate, yyyymmdd, Budget, Draft, Problem, P,
};
use crate::error::{at_line, shown, ErrorCode, Result};
use crate::model::{
    AccountStatement, CreditDebit, Format, Limits, Reference, ReferenceKind, Statement,
};

/// One segment: its id, its elements (the id excluded) and where it is.
#[derive(Debug, Clone)]
pub(crate) struct Segment<'a> {
    pub(crate) id: &'a str,
    pub(crate) elements: Vec<&'a str>,
    /// 1-based position among the segments.
    pub(crate) index: usize,
    /// 1-based line where it starts.
    pub(crate) line: usize,
}

impl<'a> Segment<'a> {
    /// Element `n` (1-based, as X12 numbers them: `BPR02` is `el(2)`).
    pub(crate) fn el(&self, n: usize) -> &'a str {
        n.checked_sub(1)
            .and_then(|i| self.elements.get(i))
            .map_or("", |s| s.trim())
    }

    pub(crate) fn name(&self) -> String {
        format!("segment {} #{}", self.id, self.index)
    }
}

/// Splits X12 text into segments. With an ISA header the separators are
/// those it declares; a bare `ST` set uses the character after `ST` as the
/// element separator and the first other punctuation after the set's
/// control number as the segment terminator.
pub(crate) fn tokenize<'a>(
    text: &'a str,
    format: Format,
    first_line: usize,
    limits: &Limits,
) -> Result<Vec<Segment<'a>>> {
    let lead = text.len().saturating_sub(text.trim_start().len());
    let lead_lines = text.get(..lead).unwrap_or("").matches('\n').count();
    let body = text.trim_start();
    let err =
        |line: usize, code: ErrorCode, msg: String| at_line(format, line, code, "segment ISA", msg);
    let start_line = first_line.saturating_add(lead_lines);
    let (element, terminator) = if body.starts_with("ISA") {
        let element = body.chars().nth(3).ok_or_else(|| {
            err(
                start_line,
                ErrorCode::Syntax,
                "the ISA segment is cut short".to_owned(),
            )
        })?;
        // ISA has 16 elements; after the 16th separator come the
        // sub-element separator and then the segment terminator.
        let mut seps = body.char_indices().filter(|&(_, c)| c == element);
        let sixteenth = seps.nth(15).map(|(i, _)| i).ok_or_else(|| {
            err(
                start_line,
                ErrorCode::Syntax,
                "the ISA segment has fewer than 16 elements".to_owned(),
            )
        })?;
        let mut after = body
            .get(sixteenth.saturating_add(1)..)
            .unwrap_or("")
            .chars();
        let _sub = after.next();
        let terminator = after.next().ok_or_else(|| {
            err(
                start_line,
                ErrorCode::Syntax,
                "the ISA segment has no segment terminator".to_owned(),
            )
        })?;
        (element, terminator)
    } else if body.starts_with("ST") {
        let element = body
            .chars()
            .nth(2)
            .filter(|c| !c.is_ascii_alphanumeric())
            .ok_or_else(|| {
                at_line(
                    format,
                    start_line,
                    ErrorCode::Syntax,
                    "segment ST",
                    "no element separator after ST",
                )
            })?;
        let terminator = body
            .chars()
            .skip(3)
            .find(|&c| !c.is_ascii_alphanumeric() && c != element && c != ' ')
            .ok_or_else(|| {
                at_line(
                    format,
                    start_line,
                    ErrorCode::Syntax,
                    "segment ST",
                    "no segment terminator",
                )
            })?;
        (element, terminator)
    } else {
        return Err(at_line(
            format,
            start_line,
            ErrorCode::Syntax,
            "",
            "an X12 interchange starts with ISA (or a transaction set with ST)",
        ));
    };
    if terminator == element || terminator.is_ascii_alphanumeric() {
        return Err(err(
            start_line,
            ErrorCode::Syntax,
            format!("segment terminator {terminator:?} is not usable"),
        ));
    }
    let mut out = Vec::new();
    let mut line = start_line;
    for raw in body.split(terminator) {
        let skipped = raw.len().saturating_sub(raw.trim_start().len());
        line = line.saturating_add(raw.get(..skipped).unwrap_or("").matches('\n').count());
        let seg = raw.trim();
        let seg_line = line;
        line = line.saturating_add(raw.get(skipped..).unwrap_or("").matches('\n').count());
        if seg.is_empty() {
            continue;
        }
        let mut parts = seg.split(element);
        let id = parts.next().unwrap_or("").trim();
        let index = out.len().saturating_add(1);
        let id_ok = (2..=3).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if !id_ok {
            return Err(at_line(
                format,
                seg_line,
                ErrorCode::Syntax,
                format!("segment #{index}"),
                format!(
                    "{} is not a segment id (or the separators are wrong)",
                    shown(id)
                ),
            ));
        }
        let elements: Vec<&str> = parts.collect();
        limit("elements of one segment", elements.len(), 1000).map_err(|p| {
            at_line(
                format,
                seg_line,
                p.code,
                format!("segment {id} #{index}"),
                p.message,
            )
        })?;
        out.push(Segment {
            id,
            elements,
            index,
            line: seg_line,
        });
        let max = limits.max_entries.saturating_mul(16).saturating_add(1000);
        limit("segments", out.len(), max).map_err(|p| {
            at_line(
                format,
                seg_line,
                p.code,
                format!("segment {id} #{index}"),
                p.message,
            )
        })?;
    }
    Ok(out)
}

/// What an 820 transaction set says about its payment.
#[derive(Debug, Default)]
pub(crate) struct Remittance {
    pub(crate) handling: String,
    pub(crate) amount: Option<Decimal>,
    pub(crate) credit_debit: Option<CreditDebit>,
    pub(crate) method: String,
    pub(crate) payment_format: String,
    pub(crate) payer_account: Option<String>,
    pub(crate) payee_account: Option<String>,
    pub(crate) payee_bank: Option<String>,
    pub(crate) date: Option<NaiveDate>,
    pub(crate) trace: Option<String>,
    pub(crate) currency: Option<Currency>,
    pub(crate) payer_name: Option<String>,
    pub(crate) payee_name: Option<String>,
    pub(crate) text: String,
    pub(crate) references: Vec<Reference>,
}

impl Remittance {
    pub(crate) fn method(&self) -> PaymentMethod {
        match self.method.as_str() {
            "ACH" => PaymentMethod::Ach,
            "CHK" => PaymentMethod::Check,
            "FWT" | "FEW" | "CWT" => PaymentMethod::Wire,
            _ => PaymentMethod::Other,
        }
    }

    pub(crate) fn code(&self) -> Option<String> {
        match (self.method.is_empty(), self.payment_format.is_empty()) {
            (true, _) => None,
            (false, true) => Some(self.method.clone()),
            (false, false) => Some(format!("{}/{}", self.method, self.payment_format)),
        }
    }
}

fn signed_amount(text: &str, ccy: Currency) -> P<Decimal> {
    let t = text.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t),
    };
    // X12 numbers may have no decimals; a leading `.` is allowed.
    let body = if body.starts_with('.') {
        format!("0{body}")
    } else {
        body.to_owned()
    };
    let d = decimal_amount(&body, ccy)?;
    Ok(if neg { negate(d) } else { d })
}

fn opt_amount(text: &str, ccy: Currency) -> P<Option<Decimal>> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    signed_amount(text, ccy).map(Some)
}

/// Maps the segments of one 820 transaction set (`ST` to `SE`, both
/// included or not) to its payment. The currency is read first (`CUR`), so
/// amounts are checked against its minor unit.
pub(crate) fn map_820(
    segs: &[Segment<'_>],
    b: &Budget,
    default_ccy: Currency,
) -> std::result::Result<Remittance, (usize, String, Problem)> {
    let mut r = Remittance::default();
    let ccy = segs
        .iter()
        .find(|s| s.id == "CUR")
        .map(|s| currency(s.el(2)).map_err(|p| (s.line, s.name(), p)))
        .transpose()?
        .unwrap_or(default_ccy);
    r.currency = Some(ccy);
    // The RMR an ADX, REF or DTM after it belongs to.
    let mut last_rmr: Option<usize> = None;
    for s in segs {
        let at = |p: Problem| (s.line, s.name(), p);
        match s.id {
            "BPR" => {
                r.handling = s.el(1).to_owned();
                r.amount = Some(decimal_amount(&dotted(s.el(2)), ccy).map_err(at)?);
                r.credit_debit = match s.el(3) {
                    "C" => Some(CreditDebit::Credit),
                    "D" => Some(CreditDebit::Debit),
                    other => {
                        return Err(at(Problem::new(
                            ErrorCode::InvalidValue,
                            format!("BPR03 {} is neither C nor D", shown(other)),
                        )))
                    }
                };
                r.method = s.el(4).chars().take(3).collect();
                r.payment_format = s.el(5).chars().take(3).collect();
                r.payer_account = b.opt("BPR09", s.el(9)).map_err(at)?;
                r.payee_bank = b.opt("BPR13", s.el(13)).map_err(at)?;
                r.payee_account = b.opt("BPR15", s.el(15)).map_err(at)?;
                if !s.el(16).is_empty() {
                    r.date = Some(yyyymmdd(s.el(16)).map_err(at)?);
                }
            }
            "TRN" => r.trace = b.opt("TRN02", s.el(2)).map_err(at)?,
            "DTM" => {
                if r.date.is_none() && !s.el(2).is_empty() && last_rmr.is_none() {
                    r.date = Some(yyyymmdd(s.el(2)).map_err(at)?);
                } else if !s.el(2).is_empty() {
                    yyyymmdd(s.el(2)).map_err(at)?;
                }
            }
            "N1" => match s.el(1) {
                "PR" => r.payer_name = b.opt("N1", s.el(2)).map_err(at)?,
                "PE" => r.payee_name = b.opt("N1", s.el(2)).map_err(at)?,
                _ => {}
            },
            "NTE" => {
                let text = if s.el(2).is_empty() { s.el(1) } else { s.el(2) };
                b.append("NTE", &mut r.text, text, " ").map_err(at)?;
            }
            "RMR" => {
                let kind = match s.el(1) {
                    "IV" | "R7" | "OI" | "IK" => ReferenceKind::Invoice,
                    "PO" => ReferenceKind::PurchaseOrder,
                    "CR" | "CM" => ReferenceKind::CreditNote,
                    _ => ReferenceKind::Other,
                };
                let mut reference = Reference::new(kind, b.text("RMR02", s.el(2)).map_err(at)?)
                    .with_scheme(b.opt("RMR01", s.el(1)).map_err(at)?);
                reference.amount = opt_amount(s.el(4), ccy).map_err(at)?;
                reference.invoiced = opt_amount(s.el(5), ccy).map_err(at)?;
                reference.discount = opt_amount(s.el(6), ccy).map_err(at)?;
                if reference.value.is_empty() {
                    return Err(at(Problem::new(
                        ErrorCode::Missing,
                        "RMR02 (the reference) is empty",
                    )));
                }
                b.reference(&mut r.references, reference).map_err(at)?;
                last_rmr = Some(r.references.len());
            }
            "REF" => {
                let value = if s.el(2).is_empty() { s.el(3) } else { s.el(2) };
                let kind = match s.el(1) {
                    "IV" => ReferenceKind::Invoice,
                    "PO" => ReferenceKind::PurchaseOrder,
                    _ => ReferenceKind::Other,
                };
                let reference = Reference::new(kind, b.text("REF02", value).map_err(at)?)
                    .with_scheme(b.opt("REF01", s.el(1)).map_err(at)?);
                b.reference(&mut r.references, reference).map_err(at)?;
            }
            "ADX" => {
                let amount = signed_amount(s.el(1), ccy).map_err(at)?;
                let mut reference = Reference::new(
                    ReferenceKind::Adjustment,
                    b.text("ADX02", s.el(2)).map_err(at)?,
                )
                .with_scheme(b.opt("ADX04", s.el(4)).map_err(at)?);
                reference.amount = Some(amount);
                if reference.value.is_empty() {
                    reference.value = "adjustment".to_owned();
                }
                b.reference(&mut r.references, reference).map_err(at)?;
            }
            _ => {}
        }
    }
    if r.amount.is_none() {
        let s = segs.first();
        return Err((
            s.map_or(0, |s| s.line),
            s.map_or_else(String::new, Segment::name),
            Problem::new(ErrorCode::Missing, "the transaction set has no BPR segment"),
        ));
    }
    Ok(r)
}

/// X12 decimals are written without a leading zero at times (`.50`).
fn dotted(text: &str) -> String {
    if text.starts_with('.') {
        format!("0{text}")
    } else {
        text.to_owned()
    }
}

fn count(text: &str, what: &str) -> P<usize> {
    let t = text.trim();
    if t.is_empty() || t.len() > 10 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem::new(
            ErrorCode::InvalidValue,
            format!("{what} {} is not a count", shown(t)),
        ));
    }
    t.parse()
        .map_err(|_| Problem::new(ErrorCode::InvalidValue, format!("{what} {}", shown(t))))
}

fn check(written: usize, counted: usize, what: &str) -> P<()> {
    if written == counted {
        Ok(())
    } else {
        Err(Problem::new(
            ErrorCode::RecordCount,
            format!("{what}: the trailer says {written}, counted {counted}"),
        ))
    }
}

fn same(a: &str, b: &str, what: &str) -> P<()> {
    if a.trim() == b.trim() {
        Ok(())
    } else {
        Err(Problem::new(
            ErrorCode::RecordCount,
            format!(
                "{what} {} does not match the header's {}",
                shown(a),
                shown(b)
            ),
        ))
    }
}

/// Splits the segments into transaction sets (`ST` to `SE`), checking
/// `SE01` (segments in the set) and `SE02` (= `ST02`).
pub(crate) fn sets<'s, 'a>(
    segs: &'s [Segment<'a>],
    format: Format,
) -> Result<Vec<&'s [Segment<'a>]>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, s) in segs.iter().enumerate() {
        let at = |p: Problem| at_line(format, s.line, p.code, s.name(), p.message);
        match s.id {
            "ST" => {
                if start.is_some() {
                    return Err(at(Problem::new(
                        ErrorCode::Syntax,
                        "ST before the SE of the set before",
                    )));
                }
                if s.el(1) != "820" {
                    return Err(at(Problem::new(
                        ErrorCode::InvalidValue,
                        format!("transaction set {} is not an 820", shown(s.el(1))),
                    )));
                }
                start = Some(i);
            }
            "SE" => {
                let Some(st) = start.take() else {
                    return Err(at(Problem::new(ErrorCode::Syntax, "SE without its ST")));
                };
                let set = segs.get(st..=i).unwrap_or(&[]);
                let n = count(s.el(1), "SE01").map_err(at)?;
                check(n, set.len(), "segments in the transaction set (ST to SE)").map_err(at)?;
                let st_control = set.first().map_or("", |x| x.el(2));
                same(s.el(2), st_control, "SE02").map_err(at)?;
                out.push(set);
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        let s = segs.get(st);
        return Err(at_line(
            format,
            s.map_or(0, |s| s.line),
            ErrorCode::Missing,
            s.map_or_else(String::new, Segment::name),
            "the transaction set has no SE",
        ));
    }
    Ok(out)
}

/// Checks the ISA/GS/GE/IEA envelope: `GE01` sets per group, `GE02` =
/// `GS06`, `IEA01` groups per interchange, `IEA02` = `ISA13`.
fn envelope(segs: &[Segment<'_>]) -> Result<()> {
    let mut isa: Option<&Segment<'_>> = None;
    let mut gs: Option<&Segment<'_>> = None;
    let mut groups = 0usize;
    let mut sets_in_group = 0usize;
    let mut closed = false;
    for s in segs {
        let at = |p: Problem| at_line(Format::X12_820, s.line, p.code, s.name(), p.message);
        if closed {
            if s.id == "ISA" {
                closed = false;
                groups = 0;
            } else {
                return Err(at(Problem::new(ErrorCode::Syntax, "a segment after IEA")));
            }
        }
        match s.id {
            "ISA" => {
                if isa.is_some() && !closed {
                    return Err(at(Problem::new(
                        ErrorCode::Syntax,
                        "ISA before the IEA of the interchange before",
                    )));
                }
                isa = Some(s);
            }
            "GS" => {
                if isa.is_none() || gs.is_some() {
                    return Err(at(Problem::new(ErrorCode::Syntax, "GS out of place")));
                }
                gs = Some(s);
                groups = groups.saturating_add(1);
                sets_in_group = 0;
            }
            "ST" => {
                if gs.is_none() {
                    return Err(at(Problem::new(
                        ErrorCode::Syntax,
                        "ST outside a GS functional group",
                    )));
                }
                sets_in_group = sets_in_group.saturating_add(1);
            }
            "GE" => {
                let Some(g) = gs.take() else {
                    return Err(at(Problem::new(ErrorCode::Syntax, "GE without its GS")));
                };
                let n = count(s.el(1), "GE01").map_err(at)?;
                check(n, sets_in_group, "transaction sets in the group").map_err(at)?;
                same(s.el(2), g.el(6), "GE02").map_err(at)?;
            }
            "IEA" => {
                let Some(i) = isa else {
                    return Err(at(Problem::new(ErrorCode::Syntax, "IEA without its ISA")));
                };
                if gs.is_some() {
                    return Err(at(Problem::new(
                        ErrorCode::Syntax,
                        "IEA before the GE of its group",
                    )));
                }
                let n = count(s.el(1), "IEA01").map_err(at)?;
                check(n, groups, "functional groups in the interchange").map_err(at)?;
                same(s.el(2), i.el(13), "IEA02").map_err(at)?;
                closed = true;
            }
            _ => {}
        }
    }
    if !closed {
        let last = segs.last();
        return Err(at_line(
            Format::X12_820,
            last.map_or(0, |s| s.line),
            ErrorCode::Missing,
            last.map_or_else(String::new, Segment::name),
            "the interchange ends without its IEA segment",
        ));
    }
    Ok(())
}

pub(crate) fn parse(input: &[u8], limits: &Limits) -> Result<Statement> {
    limit("bytes of input", input.len(), limits.max_input_bytes)
        .map_err(|p| at_line(Format::X12_820, 0, p.code, "", p.message))?;
    let text = decode(input);
    let segs = tokenize(&text, Format::X12_820, 1, limits)?;
    let mut statement = Statement {
        format: Format::X12_820,
        version: None,
        message_id: None,
        created: None,
        sender: None,
        receiver: None,
        accounts: Vec::new(),
    };
    let mut group_date: Option<NaiveDate> = None;
    if let Some(isa) = segs.first().filter(|s| s.id == "ISA") {
        envelope(&segs)?;
        let b = Budget::new(limits);
        let at = |p: Problem| at_line(Format::X12_820, isa.line, p.code, isa.name(), p.message);
        statement.sender = b.opt("ISA06", isa.el(6)).map_err(at)?;
        statement.receiver = b.opt("ISA08", isa.el(8)).map_err(at)?;
        statement.message_id = b.opt("ISA13", isa.el(13)).map_err(at)?;
        if let Some(gs) = segs.iter().find(|s| s.id == "GS") {
            let at = |p: Problem| at_line(Format::X12_820, gs.line, p.code, gs.name(), p.message);
            statement.version = b.opt("GS08", gs.el(8)).map_err(at)?;
            if !gs.el(4).is_empty() {
                group_date = Some(yyyymmdd(gs.el(4)).map_err(at)?);
            }
        }
    }
    let mut budget = Budget::new(limits);
    let usd = currency("USD").map_err(|p| at_line(Format::X12_820, 0, p.code, "", p.message))?;
    for set in sets(&segs, Format::X12_820)? {
        let st = set.first();
        let st_line = st.map_or(0, |s| s.line);
        let st_name = st.map_or_else(String::new, Segment::name);
        budget
            .account()
            .map_err(|p| at_line(Format::X12_820, st_line, p.code, st_name.clone(), p.message))?;
        let r = map_820(set, &budget, usd)
            .map_err(|(line, name, p)| at_line(Format::X12_820, line, p.code, name, p.message))?;
        let mut acct = AccountStatement {
            id: st.and_then(|s| budget.opt("ST02", s.el(2)).ok().flatten()),
            ..AccountStatement::default()
        };
        acct.account.number = r.payee_account.clone();
        acct.account.bank = r.payee_bank.clone();
        acct.account.owner = r.payee_name.clone();
        acct.account.currency = r.currency;
        let date = r.date.or(group_date).ok_or_else(|| {
            at_line(
                Format::X12_820,
                st_line,
                ErrorCode::Missing,
                st_name.clone(),
                "no date: neither BPR16, DTM nor GS04",
            )
        })?;
        let d = draft(r, date, usd);
        d.file(&mut acct, &mut budget)
            .map_err(|p| at_line(Format::X12_820, st_line, p.code, st_name.clone(), p.message))?;
        statement.accounts.push(acct);
    }
    if statement.accounts.is_empty() {
        return Err(at_line(
            Format::X12_820,
            1,
            ErrorCode::Missing,
            "segment ST",
            "no 820 transaction set in the file",
        ));
    }
    Ok(statement)
}

/// The payment an 820 describes, as an entry.
fn draft(r: Remittance, date: NaiveDate, usd: Currency) -> Draft {
    let method = r.method();
    let code = r.code();
    let mut d = Draft::new(
        r.credit_debit.unwrap_or(CreditDebit::Credit),
        date,
        r.amount.unwrap_or(Decimal::ZERO),
        r.currency.unwrap_or(usd),
    );
    // A prenotification or non-payment advice moves no money.
    d.notice = r.handling == "P" || r.method == "NON";
    d.method = method;
    d.transaction_code = code;
    d.bank_reference = r.trace;
    d.party_name = r.payer_name;
    d.party_account = r.payer_account;
    d.text = r.text;
    d.references = r.references;
    d
}
