//! One run per bank format: a statement whose credits pay invoices of a
//! ledger is parsed, its credits recorded as receipts from payers not yet
//! known, matched, the automatic proposals applied, and the aging checked.
//! Expected figures are worked out by hand from the files.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use ar_core::chrono::{NaiveDate, TimeZone, Utc};
use ar_core::matching::{MatchOptions, MatchStatus};
use ar_core::rust_decimal::Decimal;
use ar_core::{AgingOptions, AgingReport, Command, CommandMeta, Ledger, ReceiptId, View};
use ar_formats::book::{BookFile, BookFiles, BookTables};
use ar_formats::Statement;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn load(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// What became of each receipt: (id, status, invoices settled).
type Outcome = Vec<(String, MatchStatus, Vec<String>)>;

/// Builds the ledger of `customers` and `invoices` (CSV tables), records
/// every credit of `statement` as a receipt `B-1`, `B-2`, ... with no payer,
/// matches them all and applies what is automatic.
fn run(customers: &str, invoices: &str, statement: &Statement) -> (Ledger, Outcome) {
    let recorded = Utc.with_ymd_and_hms(2026, 3, 10, 0, 0, 0).single().unwrap();
    let book = BookTables::read(&BookFiles {
        customers: BookFile::new("customers.csv", customers.as_bytes()),
        invoices: BookFile::new("invoices.csv", invoices.as_bytes()),
        credit_memos: None,
        receipts: None,
        applications: None,
    })
    .unwrap();
    let mut ledger = book.ledger(recorded).unwrap();
    let meta = CommandMeta::at(recorded);
    for (i, r) in statement.receipts().enumerate() {
        let receipt = r
            .to_receipt(ReceiptId::new(format!("B-{}", i + 1)).unwrap(), None)
            .unwrap();
        ledger
            .execute(Command::RecordReceipt { receipt }, &meta)
            .unwrap();
    }
    let batch = ledger
        .match_receipts(&View::all(), &MatchOptions::default())
        .unwrap();
    let mut outcome = Vec::new();
    for m in &batch.matches {
        let settles = m
            .proposals
            .first()
            .map(|p| {
                let mut v: Vec<String> = p.applications.iter().map(|a| a.invoice.clone()).collect();
                v.dedup();
                v
            })
            .unwrap_or_default();
        outcome.push((m.receipt.clone(), m.status, settles));
        if m.status == MatchStatus::Auto {
            ledger.apply_match(m, 0, &meta).unwrap();
        }
    }
    (ledger, outcome)
}

fn aging(ledger: &Ledger, y: i32, m: u32, day: u32) -> AgingReport {
    ledger
        .aging(&AgingOptions::new(
            NaiveDate::from_ymd_opt(y, m, day).unwrap(),
        ))
        .unwrap()
}

/// (currency, open invoices, unapplied cash) of each total row.
fn totals(r: &AgingReport) -> Vec<(&'static str, Decimal, Decimal)> {
    r.totals
        .iter()
        .map(|t| (t.currency.code(), t.total, t.unapplied_cash))
        .collect()
}

fn auto(id: &str, invoices: &[&str]) -> (String, MatchStatus, Vec<String>) {
    (
        id.to_owned(),
        MatchStatus::Auto,
        invoices.iter().map(|s| (*s).to_owned()).collect(),
    )
}

#[test]
fn camt053_statement() {
    let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
 <BkToCstmrStmt>
  <GrpHdr><MsgId>S-1</MsgId><CreDtTm>2026-03-03T18:00:00</CreDtTm></GrpHdr>
  <Stmt>
   <Id>S-1-1</Id>
   <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
   <Ntry>
    <Amt Ccy="EUR">500.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
    <BookgDt><Dt>2026-03-03</Dt></BookgDt><AcctSvcrRef>B-100</AcctSvcrRef>
    <NtryDtls><TxDtls>
     <RltdPties><Dbtr><Pty><Nm>Globex GmbH</Nm></Pty></Dbtr></RltdPties>
     <RmtInf><Ustrd>Rechnung INV-5001</Ustrd></RmtInf>
    </TxDtls></NtryDtls>
   </Ntry>
   <Ntry>
    <Amt Ccy="EUR">42.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
    <BookgDt><Dt>2026-03-03</Dt></BookgDt><AcctSvcrRef>B-101</AcctSvcrRef>
    <NtryDtls><TxDtls>
     <RltdPties><Dbtr><Pty><Nm>Somebody Else</Nm></Pty></Dbtr></RltdPties>
     <RmtInf><Ustrd>donation</Ustrd></RmtInf>
    </TxDtls></NtryDtls>
   </Ntry>
  </Stmt>
 </BkToCstmrStmt>
</Document>"#;
    let s = ar_formats::parse(xml).unwrap();
    let (ledger, outcome) = run(
        "id,name,currency\nGLOBEX,Globex GmbH,EUR\n",
        "id,customer,date,due_date,amount\nINV-5001,GLOBEX,2026-02-01,2026-03-01,500.00\nINV-5002,GLOBEX,2026-02-15,2026-03-15,80.00\n",
        &s,
    );
    assert_eq!(outcome[0], auto("B-1", &["INV-5001"]));
    assert_eq!(outcome[1].1, MatchStatus::Unmatched);
    // Left: INV-5002's 80.00, and the 42.00 nobody can place.
    assert_eq!(
        totals(&aging(&ledger, 2026, 3, 31)),
        vec![("EUR", d("80.00"), d("42.00"))]
    );
}

#[test]
fn camt054_notification() {
    let s = ar_formats::parse(&load("camt/handmade-camt054.v04.xml")).unwrap();
    // The first credit, 1000.00 from Acme NV, names INV-1001.
    let (ledger, outcome) = run(
        "id,name,currency\nACME,Acme NV,EUR\n",
        "id,customer,date,due_date,amount\nINV-1001,ACME,2026-02-01,2026-03-03,1000.00\nINV-1002,ACME,2026-02-20,2026-03-22,300.00\n",
        &s,
    );
    assert_eq!(outcome[0], auto("B-1", &["INV-1001"]));
    // 605.50 and 210.00 carry only RF and Belgian references no invoice has.
    assert_eq!(
        outcome.iter().filter(|o| o.1 == MatchStatus::Auto).count(),
        1
    );
    assert_eq!(
        totals(&aging(&ledger, 2026, 3, 31)),
        vec![("EUR", d("300.00"), d("815.50"))]
    );
}

#[test]
fn bai2_file() {
    let s = ar_formats::parse(&load("bai2/handmade.bai")).unwrap();
    // The 2000.00 wire from Globex Corp names INV-2001 and INV-2002, which
    // add up to it.
    let (ledger, outcome) = run(
        "id,name,currency\nGLOBEX,Globex Corp,USD\n",
        "id,customer,date,due_date,amount\nINV-2001,GLOBEX,2026-01-20,2026-02-19,1200.00\nINV-2002,GLOBEX,2026-01-25,2026-02-24,800.00\n",
        &s,
    );
    assert_eq!(outcome[0], auto("B-1", &["INV-2001", "INV-2002"]));
    // Left unplaced: the 1250.00 ACH in USD and the 10.00 CAD credit.
    assert_eq!(
        totals(&aging(&ledger, 2026, 3, 31)),
        vec![
            ("CAD", d("0"), d("10.00")),
            ("USD", d("0.00"), d("1250.00"))
        ]
    );
}

#[test]
fn mt940_statement() {
    let sta = b":20:STMT-0303\n:25:DE89370400440532013000\n:28C:1/1\n:60F:C260302EUR100,00\n\
:61:2603030303C1500,00NTRFE2E-77//BANK-1\n:86:INITECH GMBH INV-1005 INV-1006\n\
:61:2603030303D12,00NMSCNONREF//FEE-1\n:86:KONTOFUEHRUNG\n\
:62F:C260303EUR1588,00\n-";
    let s = ar_formats::parse(sta).unwrap();
    let (ledger, outcome) = run(
        "id,name,currency\nINITECH,Initech GmbH,EUR\n",
        "id,customer,date,due_date,amount\nINV-1005,INITECH,2026-02-01,2026-03-01,1190.00\nINV-1006,INITECH,2026-02-05,2026-03-05,310.00\nINV-1007,INITECH,2026-02-10,2026-03-10,99.00\n",
        &s,
    );
    // The fee is a debit: not a receipt.
    assert_eq!(outcome.len(), 1);
    assert_eq!(outcome[0], auto("B-1", &["INV-1005", "INV-1006"]));
    assert_eq!(
        totals(&aging(&ledger, 2026, 3, 31)),
        vec![("EUR", d("99.00"), d("0.00"))]
    );
}

#[test]
fn nacha_ccd_and_ctx() {
    let s = ar_formats::parse(&load("nacha/handmade-ccd-ctx.ach")).unwrap();
    // CCD+: 1234.50 from Globex Corp for INV-2001, and 500.00 more; CTX:
    // 1500.00 from Initech LLC with an 820 paying INV-3001 1000.00 and
    // INV-3002 500.00.
    let (ledger, outcome) = run(
        "id,name,currency\nGLOBEX,Globex Corp,USD\nINITECH,Initech LLC,USD\n",
        "id,customer,date,due_date,amount\n\
         INV-2001,GLOBEX,2026-02-01,2026-03-03,1234.50\n\
         INV-3001,INITECH,2026-02-01,2026-03-03,1000.00\n\
         INV-3002,INITECH,2026-02-02,2026-03-04,500.00\n",
        &s,
    );
    let by_id = |id: &str| outcome.iter().find(|o| o.0 == id).cloned().unwrap();
    assert_eq!(by_id("B-1"), auto("B-1", &["INV-2001"]));
    assert_eq!(by_id("B-3"), auto("B-3", &["INV-3001", "INV-3002"]));
    // The second CCD credit of 500.00 names nothing open.
    assert_eq!(
        totals(&aging(&ledger, 2026, 3, 31)),
        vec![("USD", d("0.00"), d("500.00"))]
    );
}

#[test]
fn x12_820_remittance() {
    let s = ar_formats::parse(&load("x12/handmade-820.edi")).unwrap();
    // 1234.50 from Globex Corporation for INV-2001 and INV-2002 (open
    // 1000.00 and 234.50); a 99.00 check from Initech for INV-3001.
    let (ledger, outcome) = run(
        "id,name,currency\nGLOBEX,Globex Corporation,USD\nINITECH,Initech,USD\n",
        "id,customer,date,due_date,amount\n\
         INV-2001,GLOBEX,2026-02-01,2026-03-03,1000.00\n\
         INV-2002,GLOBEX,2026-02-01,2026-03-03,234.50\n\
         INV-3001,INITECH,2026-02-01,2026-03-03,99.00\n\
         INV-3009,INITECH,2026-02-01,2026-03-03,60.00\n",
        &s,
    );
    assert_eq!(outcome[0], auto("B-1", &["INV-2001", "INV-2002"]));
    assert_eq!(outcome[1], auto("B-2", &["INV-3001"]));
    assert_eq!(
        totals(&aging(&ledger, 2026, 3, 31)),
        vec![("USD", d("60.00"), d("0.00"))]
    );
}
