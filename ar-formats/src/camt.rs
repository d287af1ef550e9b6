//! ISO 20022 camt.052, camt.053 and camt.054, read as a stream of XML events
//! (no document tree), by local element names: one code path for every
//! `.001.xx` version, whatever namespace prefix the file uses.

use ar_core::chrono::NaiveDate;
use ar_core::rust_decimal::Decimal;
use ar_core::{Currency, PaymentMethod};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::common::{
    add, at_minor_unit, currency, decimal_amount, iso_date, iso_datetime, limit, negate, Budget,
    Draft, Problem, P,
};
use crate::error::{shown, ErrorCode, FormatError, Locator, Result};
use crate::model::{
    AccountStatement, Balance, CreditDebit, Format, Limits, Reference, ReferenceKind, Statement,
};
use crate::refs::classify_creditor;

/// Element names the mapper knows; everything else is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Document,
    BkToCstmrStmt,
    BkToCstmrDbtCdtNtfctn,
    BkToCstmrAcctRpt,
    GrpHdr,
    MsgId,
    CreDtTm,
    Stmt,
    Ntfctn,
    Rpt,
    Id,
    ElctrncSeqNb,
    LglSeqNb,
    FrToDt,
    FrDtTm,
    ToDtTm,
    Acct,
    Iban,
    Othr,
    Ccy,
    Ownr,
    Nm,
    Pty,
    Svcr,
    FinInstnId,
    Bic,
    Bal,
    Tp,
    CdOrPrtry,
    Cd,
    Prtry,
    Amt,
    CdtDbtInd,
    Dt,
    DtTm,
    Ntry,
    RvslInd,
    Sts,
    BookgDt,
    ValDt,
    AcctSvcrRef,
    BkTxCd,
    Domn,
    Fmly,
    SubFmlyCd,
    AddtlNtryInf,
    NtryDtls,
    TxDtls,
    Refs,
    EndToEndId,
    AmtDtls,
    TxAmt,
    InstdAmt,
    RltdPties,
    Dbtr,
    DbtrAcct,
    UltmtDbtr,
    Cdtr,
    CdtrAcct,
    RmtInf,
    Ustrd,
    Strd,
    RfrdDocInf,
    Nb,
    RfrdDocAmt,
    RmtdAmt,
    DuePyblAmt,
    DscntApldAmt,
    CdtrRefInf,
    Ref,
    AddtlRmtInf,
    AddtlTxInf,
    RtrInf,
    Other,
}

fn tag(name: &str) -> Tag {
    match name {
        "Document" => Tag::Document,
        "BkToCstmrStmt" => Tag::BkToCstmrStmt,
        "BkToCstmrDbtCdtNtfctn" => Tag::BkToCstmrDbtCdtNtfctn,
        "BkToCstmrAcctRpt" => Tag::BkToCstmrAcctRpt,
        "GrpHdr" => Tag::GrpHdr,
        "MsgId" => Tag::MsgId,
        "CreDtTm" => Tag::CreDtTm,
        "Stmt" => Tag::Stmt,
        "Ntfctn" => Tag::Ntfctn,
        "Rpt" => Tag::Rpt,
        "Id" => Tag::Id,
        "ElctrncSeqNb" => Tag::ElctrncSeqNb,
        "LglSeqNb" => Tag::LglSeqNb,
        "FrToDt" => Tag::FrToDt,
        "FrDtTm" => Tag::FrDtTm,
        "ToDtTm" => Tag::ToDtTm,
        "Acct" => Tag::Acct,
        "IBAN" => Tag::Iban,
        "Othr" => Tag::Othr,
        "Ccy" => Tag::Ccy,
        "Ownr" => Tag::Ownr,
        "Nm" => Tag::Nm,
        "Pty" => Tag::Pty,
        "Svcr" => Tag::Svcr,
        "FinInstnId" => Tag::FinInstnId,
        "BIC" | "BICFI" | "BICOrBEI" | "AnyBIC" => Tag::Bic,
        "Bal" => Tag::Bal,
        "Tp" => Tag::Tp,
        "CdOrPrtry" => Tag::CdOrPrtry,
        "Cd" => Tag::Cd,
        "Prtry" => Tag::Prtry,
        "Amt" => Tag::Amt,
        "CdtDbtInd" => Tag::CdtDbtInd,
        "Dt" => Tag::Dt,
        "DtTm" => Tag::DtTm,
        "Ntry" => Tag::Ntry,
        "RvslInd" => Tag::RvslInd,
        "Sts" => Tag::Sts,
        "BookgDt" => Tag::BookgDt,
        "ValDt" => Tag::ValDt,
        "AcctSvcrRef" => Tag::AcctSvcrRef,
        "BkTxCd" => Tag::BkTxCd,
        "Domn" => Tag::Domn,
        "Fmly" => Tag::Fmly,
        "SubFmlyCd" => Tag::SubFmlyCd,
        "AddtlNtryInf" => Tag::AddtlNtryInf,
        "NtryDtls" => Tag::NtryDtls,
        "TxDtls" => Tag::TxDtls,
        "Refs" => Tag::Refs,
        "EndToEndId" => Tag::EndToEndId,
        "AmtDtls" => Tag::AmtDtls,
        "TxAmt" => Tag::TxAmt,
        "InstdAmt" => Tag::InstdAmt,
        "RltdPties" => Tag::RltdPties,
        "Dbtr" => Tag::Dbtr,
        "DbtrAcct" => Tag::DbtrAcct,
        "UltmtDbtr" => Tag::UltmtDbtr,
        "Cdtr" => Tag::Cdtr,
        "CdtrAcct" => Tag::CdtrAcct,
        "RmtInf" => Tag::RmtInf,
        "Ustrd" => Tag::Ustrd,
        "Strd" => Tag::Strd,
        "RfrdDocInf" => Tag::RfrdDocInf,
        "Nb" => Tag::Nb,
        "RfrdDocAmt" => Tag::RfrdDocAmt,
        "RmtdAmt" => Tag::RmtdAmt,
        "DuePyblAmt" => Tag::DuePyblAmt,
        "DscntApldAmt" => Tag::DscntApldAmt,
        "CdtrRefInf" => Tag::CdtrRefInf,
        "Ref" => Tag::Ref,
        "AddtlRmtInf" => Tag::AddtlRmtInf,
        "AddtlTxInf" => Tag::AddtlTxInf,
        "RtrInf" => Tag::RtrInf,
        _ => Tag::Other,
    }
}

/// An amount as written, with its `Ccy` attribute.
#[derive(Debug, Clone, Default)]
struct RawAmt {
    text: String,
    ccy: Option<String>,
}

#[derive(Debug, Default)]
struct BalB {
    code: Option<String>,
    amt: Option<RawAmt>,
    cdt_dbt: Option<String>,
    date: Option<String>,
}

/// Bank transaction code parts.
#[derive(Debug, Default, Clone)]
struct TxCode {
    domain: Option<String>,
    family: Option<String>,
    sub_family: Option<String>,
    proprietary: Option<String>,
}

impl TxCode {
    fn written(&self) -> Option<String> {
        match (&self.domain, &self.family, &self.sub_family) {
            (Some(d), Some(f), Some(s)) => Some(format!("{d}/{f}/{s}")),
            (Some(d), Some(f), None) => Some(format!("{d}/{f}")),
            (Some(d), None, _) => Some(d.clone()),
            _ => self.proprietary.clone(),
        }
    }

    fn is_empty(&self) -> bool {
        self.domain.is_none() && self.proprietary.is_none()
    }

    /// The payment method the ISO bank transaction code implies.
    fn method(&self) -> PaymentMethod {
        let fam = self.family.as_deref().unwrap_or("");
        let sub = self.sub_family.as_deref().unwrap_or("");
        match (fam, sub) {
            (_, "XBCT" | "PRCT" | "FICT" | "SDVA" | "VCOM") => PaymentMethod::Wire,
            ("RCDT" | "ICDT", _) => PaymentMethod::Ach,
            ("RCHQ" | "ICHQ" | "LBOX", _) => PaymentMethod::Check,
            ("RDDT" | "IDDT", _) => PaymentMethod::DirectDebit,
            ("CCRD" | "MCRD", _) => PaymentMethod::Card,
            ("CNTR", "CDPT" | "CWDL") => PaymentMethod::Cash,
            _ => PaymentMethod::Other,
        }
    }
}

#[derive(Debug, Default)]
struct DocB {
    code: Option<String>,
    number: Option<String>,
}

#[derive(Debug, Default)]
struct StrdB {
    docs: Vec<DocB>,
    remitted: Option<RawAmt>,
    due: Option<RawAmt>,
    discount: Option<RawAmt>,
    cref_code: Option<String>,
    cref: Option<String>,
}

#[derive(Debug, Default)]
struct TxB {
    end_to_end: Option<String>,
    bank_ref: Option<String>,
    amt: Option<RawAmt>,
    cdt_dbt: Option<String>,
    code: TxCode,
    debtor: Option<String>,
    debtor_acct: Option<String>,
    ultimate_debtor: Option<String>,
    creditor: Option<String>,
    creditor_acct: Option<String>,
    ustrd: String,
    last_ustrd_len: usize,
    extra: String,
    refs: Vec<Reference>,
    returned: bool,
}

#[derive(Debug, Default)]
struct NtryB {
    amt: Option<(Decimal, Currency)>,
    cdt_dbt: Option<CreditDebit>,
    reversal: bool,
    status: Option<String>,
    booking: Option<NaiveDate>,
    value: Option<NaiveDate>,
    bank_ref: Option<String>,
    code: TxCode,
    info: String,
    txs: Vec<TxB>,
}

struct Parser<'a> {
    loc: Locator<'a>,
    budget: Budget,
    stack: Vec<(Tag, usize)>,
    /// The tags of `stack`, kept apart so a slice of them can be matched
    /// while the parser changes.
    tags: Vec<Tag>,
    text: String,
    amt_ccy: Option<String>,
    statement: Statement,
    account: Option<AccountStatement>,
    bal: Option<BalB>,
    ntry: Option<NtryB>,
    tx: Option<TxB>,
    strd: Option<StrdB>,
    doc: Option<DocB>,
}

/// Reads a camt.053 statement, camt.054 notification or camt.052 report
/// (any `.001.xx` version).
///
/// # Errors
/// A [`FormatError`] naming the line and element: malformed XML, an element
/// out of place, a missing or invalid amount, date or credit/debit mark, a
/// text, nesting depth or entry count past `limits`.
pub(crate) fn parse(input: &[u8], limits: &Limits) -> Result<Statement> {
    let loc = Locator {
        input,
        format: Format::Camt053,
    };
    limit("bytes of input", input.len(), limits.max_input_bytes)
        .map_err(|p| loc.at(0, p.code, "", p.message))?;
    let text = std::str::from_utf8(input).map_err(|e| {
        loc.at(
            e.valid_up_to(),
            ErrorCode::Encoding,
            "",
            "ISO 20022 files are UTF-8; this byte is not",
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let skipped = input.len().saturating_sub(text.len());
    let mut reader = Reader::from_str(text);
    let mut p = Parser {
        loc,
        budget: Budget::new(limits),
        stack: Vec::new(),
        tags: Vec::new(),
        text: String::new(),
        amt_ccy: None,
        statement: Statement {
            format: Format::Camt053,
            version: None,
            message_id: None,
            created: None,
            sender: None,
            receiver: None,
            accounts: Vec::new(),
        },
        account: None,
        bal: None,
        ntry: None,
        tx: None,
        strd: None,
        doc: None,
    };
    let mut seen_root = false;
    loop {
        let offset = usize::try_from(reader.buffer_position())
            .unwrap_or(usize::MAX)
            .saturating_add(skipped);
        let event = reader.read_event().map_err(|e| {
            let at = usize::try_from(reader.error_position())
                .unwrap_or(offset)
                .saturating_add(skipped);
            // The reader's message may quote a name of any length: cut.
            let what: String = e.to_string().chars().take(120).collect();
            p.loc.at(
                at,
                ErrorCode::Syntax,
                p.path(),
                format!("malformed XML: {what}"),
            )
        })?;
        match event {
            Event::Start(e) => {
                p.start(&e, offset)?;
                seen_root = true;
            }
            Event::Empty(e) => {
                p.start(&e, offset)?;
                p.end(offset)?;
                seen_root = true;
            }
            Event::End(_) => p.end(offset)?,
            Event::Text(t) => p.push_text(&t.xml10_content(), offset)?,
            Event::CData(t) => {
                let content = t.into_inner().into_owned();
                p.push_text(&content, offset)?;
            }
            Event::GeneralRef(r) => {
                let ch = match r.as_ref() {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "apos" => Some('\''),
                    "quot" => Some('"'),
                    _ => r.resolve_char_ref().ok().flatten(),
                };
                let Some(ch) = ch else {
                    return Err(p.loc.at(
                        offset,
                        ErrorCode::Syntax,
                        p.path(),
                        format!("unknown entity &{};", shown(&r)),
                    ));
                };
                p.push_text(ch.encode_utf8(&mut [0u8; 4]), offset)?;
            }
            Event::DocType(_) => {
                return Err(p.loc.at(
                    offset,
                    ErrorCode::Syntax,
                    "",
                    "a document type declaration is not allowed in ISO 20022 files",
                ))
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if !p.stack.is_empty() {
        return Err(p.loc.at(
            input.len(),
            ErrorCode::Syntax,
            p.path(),
            "the file ends before its elements are closed",
        ));
    }
    if !seen_root {
        return Err(p.loc.at(0, ErrorCode::Syntax, "", "no XML element found"));
    }
    Ok(p.statement)
}

impl Parser<'_> {
    /// The path of open elements, as written (`Document/BkToCstmrStmt/...`).
    fn path(&self) -> String {
        let names: Vec<&str> = self
            .stack
            .iter()
            .map(|&(_, off)| self.name_at(off))
            .collect();
        names.join("/")
    }

    /// The local name of the element whose tag starts at or after `offset`.
    fn name_at(&self, offset: usize) -> &str {
        let rest = self.loc.input.get(offset..).unwrap_or(&[]);
        let start = rest
            .iter()
            .position(|&b| b == b'<')
            .map_or(0, |i| i.saturating_add(1));
        let rest = rest.get(start..).unwrap_or(&[]);
        let end = rest
            .iter()
            .position(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
            .unwrap_or(rest.len())
            .min(64);
        let name = std::str::from_utf8(rest.get(..end).unwrap_or(&[])).unwrap_or("?");
        name.rsplit(':').next().unwrap_or(name)
    }

    fn err(&self, offset: usize, p: Problem) -> FormatError {
        self.loc.at(offset, p.code, self.path(), p.message)
    }

    fn push_text(&mut self, s: &str, offset: usize) -> Result<()> {
        if self.stack.is_empty() {
            return Ok(());
        }
        let len = self.text.len().saturating_add(s.len());
        limit("text of one element", len, self.budget.limits.max_text_len)
            .map_err(|p| self.err(offset, p))?;
        self.text.push_str(s);
        Ok(())
    }

    fn start(&mut self, e: &BytesStart<'_>, offset: usize) -> Result<()> {
        let t = tag(e.local_name().as_ref());
        self.stack.push((t, offset));
        self.tags.push(t);
        self.text.clear();
        if self.stack.len() > self.budget.limits.max_depth {
            let p = Problem::new(
                ErrorCode::LimitExceeded,
                format!(
                    "elements nested deeper than the limit of {}",
                    self.budget.limits.max_depth
                ),
            );
            // The path itself would be as long as the nesting: name the
            // element only.
            return Err(self
                .loc
                .at(offset, p.code, self.name_at(offset).to_owned(), p.message));
        }
        let depth = self.stack.len();
        match (depth, t) {
            (1, Tag::Document) => {
                for attr in e.attributes().flatten() {
                    let key = attr.key.as_ref();
                    if key == "xmlns" || key.starts_with("xmlns:") {
                        let value = attr.value.into_owned();
                        if let Some(v) = value.rsplit(':').next().filter(|v| v.starts_with("camt."))
                        {
                            self.statement.version = Some(v.chars().take(32).collect());
                        }
                    }
                }
            }
            (1, _) => {
                return Err(self.err(
                    offset,
                    Problem::new(
                        ErrorCode::Syntax,
                        "not an ISO 20022 document (no Document root)",
                    ),
                ))
            }
            (2, Tag::BkToCstmrStmt) => self.set_format(Format::Camt053),
            (2, Tag::BkToCstmrDbtCdtNtfctn) => self.set_format(Format::Camt054),
            (2, Tag::BkToCstmrAcctRpt) => self.set_format(Format::Camt052),
            (2, _) => {
                return Err(self.err(
                    offset,
                    Problem::new(
                        ErrorCode::Syntax,
                        "not a camt.052, camt.053 or camt.054 message",
                    ),
                ))
            }
            (3, Tag::Stmt | Tag::Ntfctn | Tag::Rpt) => {
                self.budget.account().map_err(|p| self.err(offset, p))?;
                self.account = Some(AccountStatement::default());
            }
            _ => {}
        }
        if depth > 3 && self.account.is_some() {
            let tags = std::mem::take(&mut self.tags);
            match tags.get(3..).unwrap_or(&[]) {
                [Tag::Bal] => self.bal = Some(BalB::default()),
                [Tag::Ntry] => self.ntry = Some(NtryB::default()),
                [Tag::Ntry, Tag::NtryDtls, Tag::TxDtls] => self.tx = Some(TxB::default()),
                [Tag::Ntry, Tag::NtryDtls, Tag::TxDtls, Tag::RtrInf] => {
                    if let Some(tx) = self.tx.as_mut() {
                        tx.returned = true;
                    }
                }
                [Tag::Ntry, Tag::NtryDtls, Tag::TxDtls, Tag::RmtInf, Tag::Strd] => {
                    self.strd = Some(StrdB::default())
                }
                [Tag::Ntry, Tag::NtryDtls, Tag::TxDtls, Tag::RmtInf, Tag::Strd, Tag::RfrdDocInf] => {
                    self.doc = Some(DocB::default())
                }
                _ => {}
            }
            self.tags = tags;
        }
        self.amt_ccy = None;
        if matches!(
            t,
            Tag::Amt | Tag::RmtdAmt | Tag::DuePyblAmt | Tag::DscntApldAmt
        ) {
            if let Ok(Some(a)) = e.try_get_attribute("Ccy") {
                self.amt_ccy = Some(a.value.chars().take(8).collect());
            }
        }
        Ok(())
    }

    fn set_format(&mut self, f: Format) {
        self.statement.format = f;
        self.loc.format = f;
    }

    fn end(&mut self, offset: usize) -> Result<()> {
        let text = std::mem::take(&mut self.text);
        let tags = std::mem::take(&mut self.tags);
        let r = self.element(&tags, &text, offset);
        self.tags = tags;
        r.map_err(|p| self.err(offset, p))?;
        self.stack.pop();
        self.tags.pop();
        Ok(())
    }

    fn raw_amt(&self, text: &str) -> RawAmt {
        RawAmt {
            text: text.to_owned(),
            ccy: self.amt_ccy.clone(),
        }
    }

    /// Handles the end of the element at the top of `tags`, whose text is
    /// `text`.
    fn element(&mut self, tags: &[Tag], text: &str, offset: usize) -> P<()> {
        let b = &self.budget;
        match tags {
            [Tag::Document, _, Tag::GrpHdr, Tag::MsgId] => {
                self.statement.message_id = b.opt("MsgId", text)?;
            }
            [Tag::Document, _, Tag::GrpHdr, Tag::CreDtTm] => {
                self.statement.created = Some(iso_datetime(text)?);
            }
            [Tag::Document, _, Tag::GrpHdr, Tag::Other, Tag::Nm] => {
                // MsgRcpt/Nm.
                self.statement.receiver = b.opt("MsgRcpt/Nm", text)?;
            }
            [Tag::Document, _, Tag::Stmt | Tag::Ntfctn | Tag::Rpt] => {
                if let Some(acct) = self.account.take() {
                    self.statement.accounts.push(acct);
                }
            }
            [Tag::Document, _, Tag::Stmt | Tag::Ntfctn | Tag::Rpt, rest @ ..] => {
                self.in_statement(rest, text, offset)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn in_statement(&mut self, rel: &[Tag], text: &str, offset: usize) -> P<()> {
        let Some(acct) = self.account.as_mut() else {
            return Ok(());
        };
        let b = &self.budget;
        match rel {
            [Tag::Id] => acct.id = b.opt("Id", text)?,
            [Tag::ElctrncSeqNb] => acct.sequence = b.opt("ElctrncSeqNb", text)?,
            [Tag::LglSeqNb] if acct.sequence.is_none() => {
                acct.sequence = b.opt("LglSeqNb", text)?
            }
            [Tag::FrToDt, Tag::FrDtTm] => acct.from_date = Some(iso_date(text)?),
            [Tag::FrToDt, Tag::ToDtTm] => acct.to_date = Some(iso_date(text)?),
            [Tag::Acct, Tag::Id, Tag::Iban] => acct.account.iban = b.opt("IBAN", text)?,
            [Tag::Acct, Tag::Id, Tag::Othr, Tag::Id] => {
                acct.account.number = b.opt("Othr/Id", text)?
            }
            [Tag::Acct, Tag::Ccy] => acct.account.currency = Some(currency(text)?),
            [Tag::Acct, Tag::Ownr, Tag::Nm] | [Tag::Acct, Tag::Ownr, Tag::Pty, Tag::Nm] => {
                acct.account.owner = b.opt("Ownr/Nm", text)?
            }
            [Tag::Acct, Tag::Svcr, Tag::FinInstnId, Tag::Bic] => {
                acct.account.bank = b.opt("BIC", text)?
            }
            [Tag::Bal, rest @ ..] => self.in_balance(rest, text)?,
            [Tag::Ntry, rest @ ..] => self.in_entry(rest, text, offset)?,
            _ => {}
        }
        Ok(())
    }

    fn in_balance(&mut self, rel: &[Tag], text: &str) -> P<()> {
        let amt = self.raw_amt(text);
        let Some(bal) = self.bal.as_mut() else {
            return Ok(());
        };
        match rel {
            [Tag::Tp, Tag::CdOrPrtry, Tag::Cd | Tag::Prtry] => {
                bal.code = self.budget.opt("Bal/Tp", text)?;
            }
            [Tag::Amt] => bal.amt = Some(amt),
            [Tag::CdtDbtInd] => bal.cdt_dbt = Some(text.trim().to_owned()),
            [Tag::Dt, Tag::Dt | Tag::DtTm] => bal.date = Some(text.to_owned()),
            [] => {
                let Some(bal) = self.bal.take() else {
                    return Ok(());
                };
                let code = bal.code.ok_or_else(|| {
                    Problem::new(ErrorCode::Missing, "balance without Tp/CdOrPrtry")
                })?;
                let raw = bal
                    .amt
                    .ok_or_else(|| Problem::new(ErrorCode::Missing, "balance without Amt"))?;
                let ccy = self.amount_currency(&raw)?;
                let mut amount = decimal_amount(&raw.text, ccy)?;
                if credit_debit(bal.cdt_dbt.as_deref())? == CreditDebit::Debit && !amount.is_zero()
                {
                    amount = negate(amount);
                }
                let date = bal.date.as_deref().map(iso_date).transpose()?;
                if let Some(acct) = self.account.as_mut() {
                    acct.balances.push(Balance {
                        code,
                        amount,
                        currency: ccy,
                        date,
                    });
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn amount_currency(&self, raw: &RawAmt) -> P<Currency> {
        match raw.ccy.as_deref() {
            Some(c) => currency(c),
            None => self
                .account
                .as_ref()
                .and_then(|a| a.account.currency)
                .ok_or_else(|| Problem::new(ErrorCode::Missing, "amount without Ccy")),
        }
    }

    fn in_entry(&mut self, rel: &[Tag], text: &str, offset: usize) -> P<()> {
        // Only amounts need their text and currency kept.
        let amt = match rel.last() {
            Some(Tag::Amt | Tag::RmtdAmt | Tag::DuePyblAmt | Tag::DscntApldAmt) => {
                self.raw_amt(text)
            }
            _ => RawAmt::default(),
        };
        if let [Tag::NtryDtls, Tag::TxDtls, rest @ ..] = rel {
            return self.in_tx(rest, text, amt);
        }
        if rel.is_empty() {
            let _ = offset;
            return self.finish_entry();
        }
        // Checked where they are written, so that an error names their line.
        let amount = match rel {
            [Tag::Amt] => {
                let ccy = self.amount_currency(&amt)?;
                Some((decimal_amount(text, ccy)?, ccy))
            }
            _ => None,
        };
        let date = match rel {
            [Tag::BookgDt | Tag::ValDt, Tag::Dt | Tag::DtTm] => Some(iso_date(text)?),
            _ => None,
        };
        let b = &self.budget;
        let Some(n) = self.ntry.as_mut() else {
            return Ok(());
        };
        match rel {
            [Tag::Amt] => n.amt = amount,
            [Tag::CdtDbtInd] => n.cdt_dbt = Some(credit_debit(Some(text.trim()))?),
            [Tag::RvslInd] => n.reversal = matches!(text.trim(), "true" | "1"),
            [Tag::Sts] | [Tag::Sts, Tag::Cd] if !text.trim().is_empty() => {
                n.status = Some(text.trim().chars().take(8).collect());
            }
            [Tag::BookgDt, _] => n.booking = date,
            [Tag::ValDt, _] => n.value = date,
            [Tag::AcctSvcrRef] => n.bank_ref = b.opt("AcctSvcrRef", text)?,
            [Tag::BkTxCd, rest @ ..] => tx_code(&mut n.code, rest, text, b)?,
            [Tag::AddtlNtryInf] => b.append("AddtlNtryInf", &mut n.info, text, " ")?,
            _ => {}
        }
        Ok(())
    }

    fn in_tx(&mut self, rel: &[Tag], text: &str, amt: RawAmt) -> P<()> {
        if rel.is_empty() {
            if let (Some(n), Some(tx)) = (self.ntry.as_mut(), self.tx.take()) {
                n.txs.push(tx);
                limit(
                    "transactions of one entry",
                    n.txs.len(),
                    self.budget.limits.max_references,
                )?;
            }
            return Ok(());
        }
        let b = &self.budget;
        let Some(tx) = self.tx.as_mut() else {
            return Ok(());
        };
        match rel {
            [Tag::Refs, Tag::EndToEndId] => {
                let v = b.opt("EndToEndId", text)?;
                // NOTPROVIDED is the scheme's placeholder, not an id.
                tx.end_to_end = v.filter(|v| v != "NOTPROVIDED");
            }
            [Tag::Refs, Tag::AcctSvcrRef] => tx.bank_ref = b.opt("Refs/AcctSvcrRef", text)?,
            [Tag::Amt] => tx.amt = Some(amt),
            [Tag::AmtDtls, Tag::TxAmt | Tag::InstdAmt, Tag::Amt] if tx.amt.is_none() => {
                tx.amt = Some(amt);
            }
            [Tag::CdtDbtInd] => tx.cdt_dbt = Some(text.trim().to_owned()),
            [Tag::BkTxCd, rest @ ..] => tx_code(&mut tx.code, rest, text, b)?,
            [Tag::RltdPties, Tag::Dbtr, Tag::Nm]
            | [Tag::RltdPties, Tag::Dbtr, Tag::Pty, Tag::Nm] => {
                tx.debtor = b.opt("Dbtr/Nm", text)?
            }
            [Tag::RltdPties, Tag::UltmtDbtr, Tag::Nm]
            | [Tag::RltdPties, Tag::UltmtDbtr, Tag::Pty, Tag::Nm] => {
                tx.ultimate_debtor = b.opt("UltmtDbtr/Nm", text)?
            }
            [Tag::RltdPties, Tag::Cdtr, Tag::Nm]
            | [Tag::RltdPties, Tag::Cdtr, Tag::Pty, Tag::Nm] => {
                tx.creditor = b.opt("Cdtr/Nm", text)?
            }
            [Tag::RltdPties, Tag::DbtrAcct, Tag::Id, Tag::Iban]
            | [Tag::RltdPties, Tag::DbtrAcct, Tag::Id, Tag::Othr, Tag::Id] => {
                tx.debtor_acct = b.opt("DbtrAcct", text)?
            }
            [Tag::RltdPties, Tag::CdtrAcct, Tag::Id, Tag::Iban]
            | [Tag::RltdPties, Tag::CdtrAcct, Tag::Id, Tag::Othr, Tag::Id] => {
                tx.creditor_acct = b.opt("CdtrAcct", text)?
            }
            [Tag::RmtInf, Tag::Ustrd] => {
                // Ustrd blocks hold at most 140 characters; one that is full
                // was most likely cut mid-word, so the next continues it.
                let sep = if tx.last_ustrd_len >= 140 { "" } else { " " };
                tx.last_ustrd_len = text.chars().count();
                b.append("Ustrd", &mut tx.ustrd, text, sep)?;
            }
            [Tag::RmtInf, Tag::Strd, rest @ ..] => return self.in_strd(rest, text, amt),
            [Tag::AddtlTxInf] => b.append("AddtlTxInf", &mut tx.extra, text, " ")?,
            _ => {}
        }
        Ok(())
    }

    fn in_strd(&mut self, rel: &[Tag], text: &str, amt: RawAmt) -> P<()> {
        let b = &self.budget;
        if rel.is_empty() {
            let (Some(strd), Some(tx)) = (self.strd.take(), self.tx.as_mut()) else {
                return Ok(());
            };
            let single = strd.docs.len() == 1;
            for doc in strd.docs {
                let Some(number) = doc.number else { continue };
                let kind = match doc.code.as_deref() {
                    None | Some("CINV" | "DEBN" | "CMCN" | "HIRI" | "DISP") => {
                        ReferenceKind::Invoice
                    }
                    Some("CREN") => ReferenceKind::CreditNote,
                    Some("PUOR") => ReferenceKind::PurchaseOrder,
                    Some(_) => ReferenceKind::Other,
                };
                let mut r = Reference::new(kind, number).with_scheme(doc.code);
                if single {
                    r.amount = money(strd.remitted.as_ref())?;
                    r.invoiced = money(strd.due.as_ref())?;
                    r.discount = money(strd.discount.as_ref())?;
                }
                b.reference(&mut tx.refs, r)?;
            }
            if let Some(value) = strd.cref {
                b.reference(&mut tx.refs, classify_creditor(&value, strd.cref_code))?;
            }
            return Ok(());
        }
        if let [Tag::RfrdDocInf, rest @ ..] = rel {
            match rest {
                [] => {
                    if let (Some(strd), Some(doc)) = (self.strd.as_mut(), self.doc.take()) {
                        strd.docs.push(doc);
                        limit(
                            "referred documents",
                            strd.docs.len(),
                            b.limits.max_references,
                        )?;
                    }
                }
                [Tag::Tp, Tag::CdOrPrtry, Tag::Cd | Tag::Prtry] => {
                    if let Some(doc) = self.doc.as_mut() {
                        doc.code = b.opt("RfrdDocInf/Tp", text)?;
                    }
                }
                [Tag::Nb] => {
                    if let Some(doc) = self.doc.as_mut() {
                        doc.number = b.opt("RfrdDocInf/Nb", text)?;
                    }
                }
                _ => {}
            }
            return Ok(());
        }
        let Some(strd) = self.strd.as_mut() else {
            return Ok(());
        };
        match rel {
            [Tag::RfrdDocAmt, Tag::RmtdAmt] | [Tag::RfrdDocAmt, Tag::RmtdAmt, Tag::Amt] => {
                strd.remitted = Some(amt)
            }
            [Tag::RfrdDocAmt, Tag::DuePyblAmt] | [Tag::RfrdDocAmt, Tag::DuePyblAmt, Tag::Amt] => {
                strd.due = Some(amt)
            }
            [Tag::RfrdDocAmt, Tag::DscntApldAmt]
            | [Tag::RfrdDocAmt, Tag::DscntApldAmt, Tag::Amt] => strd.discount = Some(amt),
            [Tag::CdtrRefInf, Tag::Tp, Tag::CdOrPrtry, Tag::Cd | Tag::Prtry] => {
                strd.cref_code = b.opt("CdtrRefInf/Tp", text)?
            }
            [Tag::CdtrRefInf, Tag::Ref] => strd.cref = b.opt("CdtrRefInf/Ref", text)?,
            [Tag::AddtlRmtInf] => {
                if let Some(tx) = self.tx.as_mut() {
                    b.append("AddtlRmtInf", &mut tx.extra, text, " ")?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn finish_entry(&mut self) -> P<()> {
        let Some(n) = self.ntry.take() else {
            return Ok(());
        };
        let (amount, ccy) = n
            .amt
            .ok_or_else(|| Problem::new(ErrorCode::Missing, "entry without Amt"))?;
        let cd = n
            .cdt_dbt
            .ok_or_else(|| Problem::new(ErrorCode::Missing, "entry without CdtDbtInd"))?;
        let (booking, value) = (n.booking, n.value);
        let date = booking
            .or(value)
            .ok_or_else(|| Problem::new(ErrorCode::Missing, "entry without BookgDt or ValDt"))?;
        let pending = !matches!(n.status.as_deref(), None | Some("BOOK"));
        let base = EntryBase {
            date,
            value,
            ccy,
            reversal: n.reversal,
            pending,
            bank_ref: n.bank_ref.clone(),
            code: n.code.clone(),
            info: n.info.clone(),
        };
        // A batch entry is split into its transactions when each has its own
        // amount and they add up to the entry's; otherwise it stays one.
        let split = n.txs.len() > 1 && {
            let mut sum = Some(Decimal::ZERO);
            for tx in &n.txs {
                let part = tx.amt.as_ref().and_then(|a| {
                    let same = a.ccy.as_deref().is_none_or(|c| c == ccy.code());
                    same.then(|| decimal_amount(&a.text, ccy).ok()).flatten()
                });
                sum = match (sum, part) {
                    (Some(s), Some(p)) => add(s, p).ok(),
                    _ => None,
                };
            }
            sum == Some(amount)
        };
        let mut drafts = Vec::new();
        if split {
            for tx in n.txs {
                let tx_amount = match tx.amt.as_ref() {
                    Some(a) => decimal_amount(&a.text, ccy)?,
                    None => Decimal::ZERO,
                };
                let tx_cd = match tx.cdt_dbt.as_deref() {
                    Some(c) => credit_debit(Some(c))?,
                    None => cd,
                };
                drafts.push(base.draft(
                    tx_cd,
                    tx_amount,
                    std::slice::from_ref(&tx),
                    &self.budget,
                )?);
            }
        } else {
            drafts.push(base.draft(cd, amount, &n.txs, &self.budget)?);
        }
        let Some(acct) = self.account.as_mut() else {
            return Ok(());
        };
        for d in drafts {
            d.file(acct, &mut self.budget)?;
        }
        Ok(())
    }
}

/// What an entry gives each receipt made from it.
struct EntryBase {
    date: NaiveDate,
    value: Option<NaiveDate>,
    ccy: Currency,
    reversal: bool,
    pending: bool,
    bank_ref: Option<String>,
    code: TxCode,
    info: String,
}

impl EntryBase {
    fn draft(&self, cd: CreditDebit, amount: Decimal, txs: &[TxB], b: &Budget) -> P<Draft> {
        let mut d = Draft::new(cd, self.date, amount, self.ccy);
        d.value_date = self.value;
        d.reversal = self.reversal;
        d.pending = self.pending;
        d.bank_reference = self.bank_ref.clone();
        let code = txs
            .iter()
            .map(|t| &t.code)
            .find(|c| !c.is_empty())
            .filter(|_| self.code.is_empty())
            .unwrap_or(&self.code);
        d.transaction_code = code.written();
        d.method = code.method();
        let credit = cd == CreditDebit::Credit;
        for tx in txs {
            d.returned |= tx.returned;
            if txs.len() == 1 && tx.bank_ref.is_some() && d.bank_reference.is_none() {
                d.bank_reference = tx.bank_ref.clone();
            }
            let (name, acct) = if credit {
                (&tx.debtor, &tx.debtor_acct)
            } else {
                (&tx.creditor, &tx.creditor_acct)
            };
            if d.party_name.is_none() {
                d.party_name = name.clone();
            }
            if d.party_account.is_none() {
                d.party_account = acct.clone();
            }
            if d.ultimate_party.is_none() && credit {
                d.ultimate_party = tx.ultimate_debtor.clone();
            }
            if d.end_to_end_id.is_none() {
                d.end_to_end_id = tx.end_to_end.clone();
            }
            b.append("remittance", &mut d.text, &tx.ustrd, " ")?;
            b.append("remittance", &mut d.text, &tx.extra, " ")?;
            for r in &tx.refs {
                b.reference(&mut d.references, r.clone())?;
            }
        }
        if d.text.is_empty() {
            b.append("remittance", &mut d.text, &self.info, " ")?;
        }
        Ok(d)
    }
}

fn tx_code(code: &mut TxCode, rel: &[Tag], text: &str, b: &Budget) -> P<()> {
    match rel {
        [Tag::Domn, Tag::Cd] => code.domain = b.opt("BkTxCd/Domn/Cd", text)?,
        [Tag::Domn, Tag::Fmly, Tag::Cd] => code.family = b.opt("BkTxCd/Fmly/Cd", text)?,
        [Tag::Domn, Tag::Fmly, Tag::SubFmlyCd] => {
            code.sub_family = b.opt("BkTxCd/SubFmlyCd", text)?
        }
        [Tag::Prtry, Tag::Cd] => code.proprietary = b.opt("BkTxCd/Prtry/Cd", text)?,
        _ => {}
    }
    Ok(())
}

fn credit_debit(text: Option<&str>) -> P<CreditDebit> {
    match text {
        Some("CRDT") => Ok(CreditDebit::Credit),
        Some("DBIT") => Ok(CreditDebit::Debit),
        Some(other) => Err(Problem::new(
            ErrorCode::InvalidValue,
            format!("CdtDbtInd {} is neither CRDT nor DBIT", shown(other)),
        )),
        None => Err(Problem::new(ErrorCode::Missing, "CdtDbtInd is missing")),
    }
}

fn money(raw: Option<&RawAmt>) -> P<Option<Decimal>> {
    let Some(raw) = raw else { return Ok(None) };
    let ccy = match raw.ccy.as_deref() {
        Some(c) => currency(c)?,
        // A document amount without a currency: kept as written.
        None => {
            let d = ar_core::parse_decimal("amount", raw.text.trim()).map_err(|_| {
                Problem::new(
                    ErrorCode::InvalidAmount,
                    format!("amount {}", shown(&raw.text)),
                )
            })?;
            return Ok(Some(d));
        }
    };
    let d = decimal_amount(&raw.text, ccy)?;
    Ok(Some(at_minor_unit(d, ccy)?))
}
