//! # ar-formats
//!
//! Bank statement and remittance files read into records for the
//! accounts-receivable engine [`ar_core`]: bytes in, records out, no I/O of
//! its own.
//!
//! | format | function | what it gives |
//! |---|---|---|
//! | ISO 20022 camt.053 / camt.054 (and camt.052), `.001.02` to `.001.13` | [`parse_camt`] | statements or notifications, balances, entries with their transaction details |
//! | BAI2 | [`parse_bai2`] | groups and accounts, summaries as balances, detail records; control totals and record counts checked |
//! | SWIFT MT940 | [`parse_mt940`] | one statement per message, balances checked against the entries |
//! | NACHA ACH | [`parse_nacha`] | one statement per batch; CCD+ addenda as remittance, CTX addenda read as X12 820; entry hash, totals and counts checked |
//! | ANSI X12 820 | [`parse_x12_820`] | one statement per transaction set; `RMR` invoices, `ADX` adjustments; segment and set counts checked |
//!
//! [`parse`] finds the format itself. Every booked credit becomes a
//! [`BankReceipt`] (date, amount, currency, method, bank reference, payer,
//! remittance text and structured references: invoice numbers, ISO 11649
//! creditor references and Belgian structured communications, checked by
//! their mod-97 digits); debits, returns, reversals, pending and zero
//! entries are listed as [`ListedEntry`] and never become receipts.
//! [`BankReceipt::to_receipt`] gives the [`ar_core::Receipt`] to record or
//! match.
//!
//! A file that cannot be read is a [`FormatError`] with a stable
//! [`ErrorCode`] and the line and record, tag, segment or element at fault;
//! a control total that does not match is an error, never a partial import.
//! Every size a file controls is bounded by [`Limits`].
//!
//! # Example
//! ```
//! let camt = br#"<?xml version="1.0" encoding="UTF-8"?>
//! <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">
//!  <BkToCstmrDbtCdtNtfctn>
//!   <GrpHdr><MsgId>N-1</MsgId><CreDtTm>2026-03-02T10:00:00</CreDtTm></GrpHdr>
//!   <Ntfctn>
//!    <Id>N-1-1</Id>
//!    <Acct><Id><IBAN>BE68539007547034</IBAN></Id><Ccy>EUR</Ccy></Acct>
//!    <Ntry>
//!     <Amt Ccy="EUR">121.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
//!     <BookgDt><Dt>2026-03-02</Dt></BookgDt><AcctSvcrRef>B-77</AcctSvcrRef>
//!     <NtryDtls><TxDtls>
//!      <RltdPties><Dbtr><Pty><Nm>Acme NV</Nm></Pty></Dbtr></RltdPties>
//!      <RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>
//!       <Ref>RF18539007547034</Ref></CdtrRefInf></Strd></RmtInf>
//!     </TxDtls></NtryDtls>
//!    </Ntry>
//!   </Ntfctn>
//!  </BkToCstmrDbtCdtNtfctn>
//! </Document>"#;
//! let statement = ar_formats::parse(camt).unwrap();
//! let receipt = statement.receipts().next().unwrap();
//! assert_eq!(receipt.payer_name.as_deref(), Some("Acme NV"));
//! assert_eq!(receipt.references[0].kind, ar_formats::ReferenceKind::CreditorReference);
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![deny(clippy::arithmetic_side_effects)]

mod bai2;
pub mod book;
mod camt;
mod common;
mod error;
mod model;
mod mt940;
mod nacha;
pub mod reconcile;
mod refs;
pub mod reports;
mod rows;
pub mod systems;
pub mod table;
mod x12;

pub use error::{ErrorCode, FormatError, Result};
pub use model::{
    Account, AccountStatement, Balance, BankReceipt, CreditDebit, Format, Limits, ListedEntry,
    ListedKind, Reference, ReferenceKind, Statement,
};
pub use refs::{belgian_reference, creditor_reference, find_references};
pub use rows::{error_field, Family, NumberStyle, RowError, MAX_ROWS};

/// The format of `bytes`, from how the file begins: `<` (XML, then its root
/// element), `ISA` or `ST` (X12), `01,` (BAI2), `101` (NACHA), or a SWIFT
/// block or `:20:` tag (MT940).
///
/// # Errors
/// [`ErrorCode::UnknownFormat`] when it is none of them.
///
/// # Example
/// ```
/// use ar_formats::{detect, Format};
/// assert_eq!(detect(b"01,BANK,CUST,260301,0800,1,,,2/").unwrap(), Format::Bai2);
/// assert!(detect(b"hello").is_err());
/// ```
pub fn detect(bytes: &[u8]) -> Result<Format> {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let skip = start
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(start.len());
    let head = start.get(skip..).unwrap_or(&[]);
    let prefix = head.get(..4096).unwrap_or(head);
    let has = |needle: &[u8]| prefix.windows(needle.len()).any(|w| w == needle);
    let format = if head.starts_with(b"<") {
        // The root's message element names the message, whatever the
        // namespace prefix.
        if has(b"BkToCstmrDbtCdtNtfctn") {
            Some(Format::Camt054)
        } else if has(b"BkToCstmrAcctRpt") {
            Some(Format::Camt052)
        } else {
            // Also for a large header that pushes the element past the
            // prefix: the XML reader says what it finds.
            Some(Format::Camt053)
        }
    } else if head.starts_with(b"ISA") || head.starts_with(b"ST") {
        Some(Format::X12_820)
    } else if head.starts_with(b"01,") {
        Some(Format::Bai2)
    } else if head.starts_with(b"101") {
        Some(Format::Nacha)
    } else if head.starts_with(b"{1:") || head.starts_with(b":20:") || has(b"\n:20:") {
        Some(Format::Mt940)
    } else {
        None
    };
    format.ok_or_else(|| FormatError {
        code: ErrorCode::UnknownFormat,
        format: None,
        line: 1,
        location: String::new(),
        message: "not a camt, BAI2, MT940, NACHA or X12 820 file".to_owned(),
    })
}

/// Reads any supported file, finding its format with [`detect`], within the
/// default [`Limits`].
///
/// # Errors
/// [`ErrorCode::UnknownFormat`], or the format's own errors (see the
/// `parse_*` functions).
///
/// # Example
/// ```
/// let statement = ar_formats::parse(b"01,B,C,260301,0800,1,,,2/\n02,C,B,1,260301,,USD,2/\n\
/// 03,9,,010,0,,/\n49,0,2/\n98,0,1,4/\n99,0,1,6/\n").unwrap();
/// assert_eq!(statement.accounts.len(), 1);
/// ```
pub fn parse(bytes: &[u8]) -> Result<Statement> {
    parse_with(bytes, None, &Limits::default())
}

/// Reads `bytes` as `format` (or the format [`detect`] finds when `None`),
/// within `limits`.
///
/// # Errors
/// As [`parse`]; [`ErrorCode::LimitExceeded`] past a limit.
///
/// # Example
/// ```
/// use ar_formats::{parse_with, Format, Limits};
/// let err = parse_with(b"01,B,C,260301,0800,1,,,2/", Some(Format::Mt940), &Limits::default());
/// assert!(err.is_err());
/// ```
pub fn parse_with(bytes: &[u8], format: Option<Format>, limits: &Limits) -> Result<Statement> {
    let format = match format {
        Some(f) => f,
        None => detect(bytes)?,
    };
    match format {
        Format::Camt052 | Format::Camt053 | Format::Camt054 => camt::parse(bytes, limits),
        Format::Bai2 => bai2::parse(bytes, limits),
        Format::Mt940 => mt940::parse(bytes, limits),
        Format::Nacha => nacha::parse(bytes, limits),
        Format::X12_820 => x12::parse(bytes, limits),
    }
}

/// Reads an ISO 20022 camt.053 statement, camt.054 notification or camt.052
/// report, any `.001.xx` version, as a stream (no document tree).
///
/// # Errors
/// [`ErrorCode::Encoding`] for bytes that are not UTF-8;
/// [`ErrorCode::Syntax`] for malformed XML or a root that is not a camt
/// message; [`ErrorCode::Missing`], [`ErrorCode::InvalidAmount`],
/// [`ErrorCode::InvalidDate`], [`ErrorCode::InvalidValue`] for entries and
/// balances; [`ErrorCode::LimitExceeded`] for nesting, text or counts past
/// the default [`Limits`]. The error names the line and element path.
///
/// # Example
/// ```
/// let err = ar_formats::parse_camt(b"<Document><BkToCstmrStmt><Stmt><Ntry>\
/// <Amt Ccy=\"EUR\">1.5x</Amt></Ntry></Stmt></BkToCstmrStmt></Document>").unwrap_err();
/// assert_eq!(err.code, ar_formats::ErrorCode::InvalidAmount);
/// assert!(err.location.ends_with("Ntry/Amt"));
/// ```
pub fn parse_camt(bytes: &[u8]) -> Result<Statement> {
    camt::parse(bytes, &Limits::default())
}

/// Reads a BAI2 file: 01/02/03/16/88/49/98/99 records, continuation
/// records joined, amounts in the currency's minor units, funds types with
/// their availability fields; every account, group and file control total
/// and record count checked.
///
/// # Errors
/// [`ErrorCode::ControlTotal`] or [`ErrorCode::RecordCount`] naming the
/// trailer whose figure does not match; [`ErrorCode::Syntax`] for a record
/// out of place or malformed; amount, date and value errors naming the line
/// and record.
///
/// # Example
/// ```
/// let err = ar_formats::parse_bai2(b"01,B,C,260301,0800,1,,,2/\n02,C,B,1,260301,,USD,2/\n\
/// 03,9,,010,0,,/\n16,195,100,,,,X/\n49,99,3/\n98,100,1,5/\n99,100,1,7/\n").unwrap_err();
/// assert_eq!(err.code, ar_formats::ErrorCode::ControlTotal);
/// assert_eq!(err.line, 5);
/// ```
pub fn parse_bai2(bytes: &[u8]) -> Result<Statement> {
    bai2::parse(bytes, &Limits::default())
}

/// Reads a SWIFT MT940 file of one or more messages: `:20:`, `:25:`,
/// `:28C:`, `:60F:`/`:60M:`, `:61:`, `:86:`, `:62F:`/`:62M:`, `:64:`,
/// `:65:`. Payer name, account and remittance are taken from `:86:` in
/// free form or in the common structured dialects (German `?20`..`?33`
/// subfields with SEPA `EREF+`/`SVWZ+` keys; Dutch `/NAME/`, `/REMI/`,
/// `/EREF/` keys). The closing balance is checked against the opening
/// balance and the entries.
///
/// # Errors
/// [`ErrorCode::ControlTotal`] when the closing balance does not follow;
/// [`ErrorCode::Syntax`] for a malformed tag; amount, date and mark errors
/// naming the line and tag.
///
/// # Example
/// ```
/// let err = ar_formats::parse_mt940(b":20:S\n:25:A\n:28C:1\n:60F:C260301EUR0,00\n\
/// :61:260302C1,5.0NTRFX\n:62F:C260302EUR1,50\n-").unwrap_err();
/// assert_eq!(err.code, ar_formats::ErrorCode::InvalidAmount);
/// assert_eq!(err.location, ":61:");
/// ```
pub fn parse_mt940(bytes: &[u8]) -> Result<Statement> {
    mt940::parse(bytes, &Limits::default())
}

/// Reads a NACHA ACH file of 94-character records (1, 5, 6, 7, 8, 9): one
/// statement per batch, CCD+ `05` addenda as remittance text, CTX addenda
/// joined and read as an X12 820 (the same mapper as [`parse_x12_820`]),
/// returns (`99` addenda, return transaction codes) listed. Batch and file
/// entry hashes, debit and credit totals, entry/addenda, batch and block
/// counts are checked.
///
/// # Errors
/// [`ErrorCode::ControlTotal`] or [`ErrorCode::RecordCount`] naming the
/// control record; [`ErrorCode::Syntax`] for a record of the wrong length
/// or out of place; field errors naming the line and record.
///
/// # Example
/// ```
/// let err = ar_formats::parse_nacha(b"101 0000000000000000002603020000A094101").unwrap_err();
/// assert_eq!(err.code, ar_formats::ErrorCode::Syntax);
/// assert_eq!(err.line, 1);
/// ```
pub fn parse_nacha(bytes: &[u8]) -> Result<Statement> {
    nacha::parse(bytes, &Limits::default())
}

/// Reads an ANSI X12 820 payment order / remittance advice: the separators
/// come from the ISA segment (or, for a bare `ST` transaction set, from the
/// text itself); `BPR`, `TRN`, `CUR`, `REF`, `DTM`, `N1`/`N3`/`N4`, `ENT`,
/// `RMR`, `NTE` and `ADX` are mapped; `SE`, `GE` and `IEA` counts and
/// control numbers are checked.
///
/// # Errors
/// [`ErrorCode::RecordCount`] for a count that does not match;
/// [`ErrorCode::Syntax`] for a broken envelope; field errors naming the
/// segment and its position.
///
/// # Example
/// ```
/// let err = ar_formats::parse_x12_820(b"ST*820*0001~BPR*C*10*C*ACH~SE*9*0001~").unwrap_err();
/// assert_eq!(err.code, ar_formats::ErrorCode::RecordCount);
/// ```
pub fn parse_x12_820(bytes: &[u8]) -> Result<Statement> {
    x12::parse(bytes, &Limits::default())
}
