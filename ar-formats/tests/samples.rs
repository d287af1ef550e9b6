//! Published sample files and hand-made ones, each with the records it
//! should give written out by hand.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    clippy::type_complexity
)]

use ar_core::chrono::NaiveDate;
use ar_core::rust_decimal::Decimal;
use ar_core::{CustomerId, PaymentMethod, ReceiptId};
use ar_formats::{
    parse, BankReceipt, CreditDebit, ErrorCode, Format, ListedKind, ReferenceKind, Statement,
};

fn load(path: &str) -> Statement {
    let bytes = std::fs::read(format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    parse(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn day(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).unwrap()
}

fn refs(r: &BankReceipt) -> Vec<(ReferenceKind, &str)> {
    r.references
        .iter()
        .map(|x| (x.kind, x.value.as_str()))
        .collect()
}

// ---------------------------------------------------------------- camt

#[test]
fn genkgo_camt053_v8() {
    let s = load("camt/genkgo-camt053.v8.xml");
    assert_eq!(s.format, Format::Camt053);
    assert_eq!(s.version.as_deref(), Some("camt.053.001.08"));
    assert_eq!(s.message_id.as_deref(), Some("CAMT053RIB000000000001"));
    assert_eq!(s.receiver.as_deref(), Some("COMPANY BVBA"));
    let a = &s.accounts[0];
    assert_eq!(a.id.as_deref(), Some("253EURNL26VAYB8060476890"));
    assert_eq!(a.sequence.as_deref(), Some("12312"));
    assert_eq!(a.from_date, Some(day(2007, 10, 18)));
    assert_eq!(a.account.number.as_deref(), Some("NL26VAYB8060476890"));
    assert_eq!(a.account.owner.as_deref(), Some("FINPETROL"));
    let bal: Vec<(&str, String, &str)> = a
        .balances
        .iter()
        .map(|b| (b.code.as_str(), b.amount.to_string(), b.currency.code()))
        .collect();
    assert_eq!(
        bal,
        [
            ("OPBD", "18.15".to_owned(), "EUR"),
            ("CLBD", "-27.00".to_owned(), "SEK"),
            ("OPAV", "35.00".to_owned(), "CHF"),
            ("CLAV", "-2700".to_owned(), "JPY"),
        ]
    );
    assert_eq!(a.receipts.len(), 1);
    let r = &a.receipts[0];
    assert_eq!(r.amount, d("8.85"));
    assert_eq!(r.currency.code(), "EUR");
    // The booking date is a date-time in this file: its date is kept.
    assert_eq!(r.date, day(2014, 12, 31));
    assert_eq!(r.value_date, Some(day(2015, 1, 2)));
    assert_eq!(r.bank_reference.as_deref(), Some("AAAASESS-FP-CN_98765/01"));
    assert_eq!(r.end_to_end_id.as_deref(), Some("MUELL/FINP/RA12345"));
    assert_eq!(r.transaction_code.as_deref(), Some("PMNT/RCDT/BOOK"));
    assert_eq!(r.method, PaymentMethod::Ach);
    assert_eq!(r.payer_name.as_deref(), Some("NAME NAME"));
    assert_eq!(r.payer_account.as_deref(), Some("NL56AGDH9619008421"));
    // A SCOR reference that is not an RF reference is kept, unverified.
    assert_eq!(refs(r), [(ReferenceKind::Other, "4654654654654654")]);
    assert_eq!(r.references[0].scheme.as_deref(), Some("SCOR"));
}

#[test]
fn genkgo_camt054_v2_debit_batch_is_listed_not_received() {
    let s = load("camt/genkgo-camt054.v2.xml");
    assert_eq!(s.format, Format::Camt054);
    assert_eq!(s.version.as_deref(), Some("camt.054.001.02"));
    let a = &s.accounts[0];
    assert!(a.receipts.is_empty());
    assert_eq!(a.other_entries.len(), 1);
    let e = &a.other_entries[0];
    assert_eq!(e.kind, ListedKind::Debit);
    assert_eq!(e.amount, d("200000.00"));
    assert_eq!(e.currency.code(), "SEK");
    assert_eq!(e.date, day(2007, 10, 18));
    assert_eq!(e.transaction_code.as_deref(), Some("PMNT/ICDT/DMCT"));
    // Four transactions without amounts of their own stay one entry; their
    // remittance is joined, Ustrd blocks first.
    assert!(e.text.starts_with(
        "Unstructured Remittance Information V1 Additional Remittance Information V1 ISR ref number V2"
    ));
    assert!(e
        .text
        .ends_with("Additional Remittance Information V3 block 2"));
    assert_eq!(e.references.len(), 5);
    assert!(e.references.iter().all(|r| r.kind == ReferenceKind::Other));
}

#[test]
fn handmade_camt054_v04_batch_split_and_listed_entries() {
    let s = load("camt/handmade-camt054.v04.xml");
    assert_eq!(s.format, Format::Camt054);
    assert_eq!(s.version.as_deref(), Some("camt.054.001.04"));
    let a = &s.accounts[0];
    assert_eq!(a.account.iban.as_deref(), Some("BE68539007547034"));
    assert_eq!(a.account.bank.as_deref(), Some("GEBABEBB"));
    // 1000.00 + 605.50 + 210.00 = 1815.50: the batch is split.
    let amounts: Vec<Decimal> = a.receipts.iter().map(|r| r.amount).collect();
    assert_eq!(amounts, [d("1000.00"), d("605.50"), d("210.00")]);
    let first = &a.receipts[0];
    assert_eq!(first.payer_name.as_deref(), Some("Acme NV"));
    assert_eq!(first.ultimate_payer.as_deref(), Some("Acme Holding"));
    assert_eq!(first.payer_account.as_deref(), Some("BE71096123456769"));
    assert_eq!(first.bank_reference.as_deref(), Some("BATCH-9"));
    assert_eq!(first.end_to_end_id.as_deref(), Some("E2E-ACME-1"));
    assert_eq!(first.date, day(2026, 3, 2));
    assert_eq!(first.value_date, Some(day(2026, 3, 3)));
    assert_eq!(first.method, PaymentMethod::Ach);
    let inv = &first.references[0];
    assert_eq!(
        (inv.kind, inv.value.as_str()),
        (ReferenceKind::Invoice, "INV-1001")
    );
    assert_eq!(inv.scheme.as_deref(), Some("CINV"));
    assert_eq!(inv.amount, Some(d("1000.00")));
    assert_eq!(inv.invoiced, Some(d("1020.00")));
    assert_eq!(inv.discount, Some(d("20.00")));
    let second = &a.receipts[1];
    assert_eq!(second.end_to_end_id, None, "NOTPROVIDED is no id");
    assert_eq!(
        refs(second),
        [(ReferenceKind::CreditorReference, "RF18539007547034")]
    );
    let third = &a.receipts[2];
    assert_eq!(third.payer_name.as_deref(), Some("Initech & Co"));
    assert_eq!(
        third.remittance,
        "+++090/9337/55493+++ invoices 2001 and 2002"
    );
    assert_eq!(refs(third), [(ReferenceKind::Belgian, "090933755493")]);
    let kinds: Vec<(ListedKind, Option<CreditDebit>, Decimal)> = a
        .other_entries
        .iter()
        .map(|e| (e.kind, e.credit_debit, e.amount))
        .collect();
    assert_eq!(
        kinds,
        [
            (ListedKind::Return, Some(CreditDebit::Credit), d("50.00")),
            (ListedKind::Reversal, Some(CreditDebit::Credit), d("75.00")),
            (ListedKind::Pending, Some(CreditDebit::Credit), d("300.00")),
            (ListedKind::Debit, Some(CreditDebit::Debit), d("12.34")),
        ]
    );
    // The pending entry has only a value date: it is its date.
    assert_eq!(a.other_entries[2].date, day(2026, 3, 4));
    assert_eq!(a.other_entries[3].text, "BANK FEES");
}

#[test]
fn every_camt_version_reads_the_same() {
    let body = |ns: &str, sts: &str, dbtr: &str| {
        format!(
            r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:{ns}"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr><Stmt><Id>S</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct><Ntry><Amt Ccy="EUR">42.5</Amt><CdtDbtInd>CRDT</CdtDbtInd>{sts}<BookgDt><Dt>2026-03-02</Dt></BookgDt><NtryDtls><TxDtls><RltdPties>{dbtr}</RltdPties><RmtInf><Ustrd>INV 7</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>"#
        )
    };
    let old_sts = "<Sts>BOOK</Sts>";
    let new_sts = "<Sts><Cd>BOOK</Cd></Sts>";
    let old_dbtr = "<Dbtr><Nm>Payer</Nm></Dbtr>";
    let new_dbtr = "<Dbtr><Pty><Nm>Payer</Nm></Pty></Dbtr>";
    for (ns, sts, dbtr) in [
        ("camt.053.001.02", old_sts, old_dbtr),
        ("camt.053.001.04", old_sts, old_dbtr),
        ("camt.053.001.06", old_sts, old_dbtr),
        ("camt.053.001.08", new_sts, new_dbtr),
        ("camt.053.001.13", new_sts, new_dbtr),
    ] {
        let s = parse(body(ns, sts, dbtr).as_bytes()).unwrap();
        assert_eq!(s.version.as_deref(), Some(ns));
        let r = s.receipts().next().unwrap();
        assert_eq!(
            (r.amount, r.payer_name.as_deref()),
            (d("42.50"), Some("Payer")),
            "{ns}"
        );
        assert_eq!(r.remittance, "INV 7");
    }
}

#[test]
fn full_ustrd_blocks_are_joined_without_a_space() {
    let full = "X".repeat(139) + "1";
    let xml = format!(
        r#"<Document><BkToCstmrStmt><Stmt><Ntry><Amt Ccy="EUR">1</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-03-02</Dt></BookgDt><NtryDtls><TxDtls><RmtInf><Ustrd>{full}</Ustrd><Ustrd>23 more</Ustrd><Ustrd>end</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>"#
    );
    let s = parse(xml.as_bytes()).unwrap();
    let r = s.receipts().next().unwrap();
    assert_eq!(r.remittance, format!("{full}23 more end"));
}

// ---------------------------------------------------------------- BAI2

#[test]
fn moov_bai2_sample_with_continued_summary() {
    let s = load("bai2/moov-sample.txt");
    assert_eq!(s.format, Format::Bai2);
    assert_eq!(s.sender.as_deref(), Some("0004"));
    assert_eq!(s.receiver.as_deref(), Some("12345"));
    assert_eq!(s.message_id.as_deref(), Some("001"));
    assert_eq!(s.accounts.len(), 2);
    let a = &s.accounts[0];
    assert_eq!(a.account.number.as_deref(), Some("10200123456"));
    assert_eq!(a.account.currency.unwrap().code(), "CAD");
    assert_eq!(a.to_date, Some(day(2006, 3, 17)));
    // 108 is a credit, 409 a debit.
    let credits: Vec<Decimal> = a.receipts.iter().map(|r| r.amount).collect();
    assert_eq!(credits, [d("2035.00"), d("25.00"), d("25.00")]);
    assert_eq!(a.receipts[0].remittance, "TFR 1020 0345678");
    assert_eq!(a.receipts[0].value_date, Some(day(2006, 3, 16)));
    assert_eq!(a.other_entries.len(), 8);
    assert!(a.other_entries.iter().all(|e| e.kind == ListedKind::Debit));
    let second: Vec<Decimal> = s.accounts[1].receipts.iter().map(|r| r.amount).collect();
    assert_eq!(second, [d("115.00"), d("1000.00")]);
    // Balances 040 and 045 (opening and closing available) of zero.
    assert_eq!(a.balances.len(), 2);
    assert_eq!(a.balances[0].code, "OPAV");
}

#[test]
fn moov_bai2_spec_section3_text_without_terminator() {
    let s = load("bai2/moov-spec-section3.txt");
    let a = &s.accounts[0];
    assert_eq!(a.account.currency.unwrap().code(), "USD");
    assert_eq!(a.balances[0].code, "OPBD");
    assert_eq!(a.balances[0].amount, d("5000.00"));
    let r = &a.receipts[0];
    assert_eq!(r.amount, d("15000.00"));
    assert_eq!(r.transaction_code.as_deref(), Some("165"));
    assert_eq!(r.method, PaymentMethod::Ach);
    assert_eq!(r.bank_reference.as_deref(), Some("DD1620"));
    assert_eq!(r.remittance, "DEALER PAYMENTS");
    assert_eq!(r.date, day(2004, 6, 20));
}

#[test]
fn handmade_bai2_continuations_funds_types_and_codes() {
    let s = load("bai2/handmade.bai");
    assert_eq!(s.message_id.as_deref(), Some("FILE7"));
    let a = &s.accounts[0];
    assert_eq!(a.account.currency.unwrap().code(), "USD");
    let bal: Vec<(&str, Decimal)> = a
        .balances
        .iter()
        .map(|b| (b.code.as_str(), b.amount))
        .collect();
    assert_eq!(bal, [("OPBD", d("1500.00")), ("CLBD", d("-25.00"))]);
    assert_eq!(a.receipts.len(), 2);
    let wire = &a.receipts[0];
    assert_eq!(wire.amount, d("2000.00"));
    assert_eq!(wire.method, PaymentMethod::Wire);
    assert_eq!(wire.bank_reference.as_deref(), Some("WIRE0001"));
    assert_eq!(wire.end_to_end_id.as_deref(), Some("CUST9"));
    assert_eq!(wire.payer_name.as_deref(), Some("GLOBEX CORP"));
    assert_eq!(
        wire.remittance,
        "ORIG CO NAME:GLOBEX CORP ORIG ID:123 INV-2001 INV-2002 RF18 5390 0754 7034"
    );
    assert_eq!(
        refs(wire),
        [(ReferenceKind::CreditorReference, "RF18539007547034")]
    );
    let ach = &a.receipts[1];
    assert_eq!((ach.amount, ach.method), (d("1250.00"), PaymentMethod::Ach));
    assert_eq!(refs(ach), [(ReferenceKind::Belgian, "090933755493")]);
    let listed: Vec<(ListedKind, Decimal)> =
        a.other_entries.iter().map(|e| (e.kind, e.amount)).collect();
    assert_eq!(
        listed,
        [
            (ListedKind::Return, d("40.00")),
            (ListedKind::Debit, d("25.00"))
        ]
    );
    assert_eq!(a.other_entries[1].value_date, Some(day(2026, 3, 1)));
    let cad = &s.accounts[1].receipts[0];
    assert_eq!((cad.amount, cad.currency.code()), (d("10.00"), "CAD"));
}

#[test]
fn moov_bai2_records_run_together_on_lines() {
    // The moov-io sample3 layout: several records on a line, 88 text.
    let s = load("bai2/moov-sample3.txt");
    assert_eq!(s.accounts.len(), 15);
    let first = &s.accounts[0];
    let credits: Vec<Decimal> = first.receipts.iter().map(|r| r.amount).collect();
    assert_eq!(credits, [d("25.00"), d("5.00"), d("1.00")]);
    assert_eq!(
        first.receipts[0].remittance,
        "TRANSFER   PAYPAL             PPD"
    );
    assert_eq!(
        first.other_entries[0].text,
        "111111     ACH_SETL           1111111111                    111111111111111 1111111111"
    );
}

// ---------------------------------------------------------------- MT940

#[test]
fn danske_bank_dk_example() {
    let s = load("mt940/danskebank-dk.sta");
    assert_eq!(s.format, Format::Mt940);
    let a = &s.accounts[0];
    assert_eq!(a.id.as_deref(), Some("3996-1234567890"));
    assert_eq!(a.sequence.as_deref(), Some("00001/001"));
    assert_eq!(a.account.bank.as_deref(), Some("DABADKKK"));
    assert_eq!(a.account.number.as_deref(), Some("1234567890"));
    let bal: Vec<(&str, Decimal)> = a
        .balances
        .iter()
        .map(|b| (b.code.as_str(), b.amount))
        .collect();
    assert_eq!(
        bal,
        [
            ("OPBD", d("2478926.70")),
            ("CLBD", d("1654095.16")),
            ("CLAV", d("1651125.67"))
        ]
    );
    // Two credits (C with funds code K); the rest are debits.
    let credits: Vec<(Decimal, &str)> = a
        .receipts
        .iter()
        .map(|r| (r.amount, r.remittance.as_str()))
        .collect();
    assert_eq!(
        credits,
        [
            (
                d("2000.00"),
                "DB faktura 1234567 Testkunde HOLMENS KANAL 2-12 1192  KOBENHAVN H"
            ),
            (d("5183.49"), ""),
        ]
    );
    assert_eq!(a.receipts[0].date, day(2009, 9, 29));
    assert_eq!(a.receipts[0].value_date, Some(day(2009, 9, 30)));
    assert_eq!(a.receipts[0].bank_reference.as_deref(), Some("1234567"));
    assert_eq!(a.receipts[1].transaction_code.as_deref(), Some("FINT"));
    assert_eq!(a.other_entries.len(), 5);
}

#[test]
fn rabobank_structured_86() {
    let s = load("mt940/rabobank-iban.sta");
    let a = &s.accounts[0];
    assert_eq!(a.account.iban.as_deref(), Some("NL71RABO0123456789"));
    let e = &a.other_entries[0];
    assert_eq!((e.kind, e.amount), (ListedKind::Debit, d("25.00")));
    assert_eq!(
        e.counterparty_name.as_deref(),
        Some("CONTRA ACCOUNT HOLDER")
    );
    assert_eq!(
        e.counterparty_account.as_deref(),
        Some("NL70ABNA0987654321")
    );
    assert_eq!(
        e.end_to_end_id.as_deref(),
        Some("01-01-2013 12:00 0030000987654321")
    );
    let f = &a.other_entries[1];
    assert_eq!(f.counterparty_name.as_deref(), Some("JOHN DOE"));
    assert_eq!(f.text, "Reference 201301234");
}

#[test]
fn german_sepa_86_and_returns() {
    let s = load("mt940/betterplace-sepa.sta");
    let a = &s.accounts[0];
    // GVC 159 credits are returned transfers; RC is a reversal.
    let kinds: Vec<(ListedKind, Decimal)> =
        a.other_entries.iter().map(|e| (e.kind, e.amount)).collect();
    assert_eq!(
        kinds,
        [
            (ListedKind::Return, d("300.00")),
            (ListedKind::Return, d("335.33")),
            (ListedKind::Return, d("15000.00")),
            (ListedKind::Return, d("915311.55")),
            (ListedKind::Reversal, d("204.88")),
            (ListedKind::Debit, d("999946.95")),
        ]
    );
    // The keyed value runs on into the next subfield, as German banks
    // write it.
    let eref = a.other_entries[0].end_to_end_id.as_deref().unwrap();
    assert!(eref.starts_with("TFNR 40005 00005"), "{eref}");
    assert_eq!(a.receipts.len(), 1);
    assert_eq!(a.receipts[0].amount, d("66295.08"));
}

#[test]
fn mbank_with_transmission_characters() {
    let s = load("mt940/mbank.sta");
    let a = &s.accounts[0];
    assert_eq!(
        a.account.iban.as_deref(),
        Some("PL29114010810000267002001002")
    );
    assert_eq!(a.receipts.len(), 3);
    assert!(a.receipts.iter().all(|r| r.amount == d("0.01")));
    assert_eq!(
        a.receipts[0].bank_reference.as_deref(),
        Some("MB170119012058")
    );
}

#[test]
fn postfinance_sample_does_not_balance() {
    // Its second message: 229.20 - 79.90 + 10.10 = 159.40, but it closes
    // at 159.60.
    let bytes = std::fs::read(format!(
        "{}/tests/data/mt940/postfinance.sta",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let err = parse(&bytes).unwrap_err();
    assert_eq!(err.code, ErrorCode::ControlTotal);
    assert_eq!((err.line, err.location.as_str()), (27, ":62F:"));
    assert!(err.message.contains("159.40"), "{}", err.message);
}

// ---------------------------------------------------------------- NACHA

#[test]
fn moov_ccd_and_ctx_debits_are_listed() {
    let s = load("nacha/moov-ccd-debit.ach");
    assert_eq!(s.format, Format::Nacha);
    assert_eq!(s.receiver.as_deref(), Some("Federal Reserve Bank"));
    assert_eq!(s.sender.as_deref(), Some("My Bank Name"));
    let a = &s.accounts[0];
    let listed: Vec<(ListedKind, Decimal, Option<&str>)> = a
        .other_entries
        .iter()
        .map(|e| (e.kind, e.amount, e.bank_reference.as_deref()))
        .collect();
    assert_eq!(
        listed,
        [
            (ListedKind::Debit, d("5000.00"), Some("031300010000001")),
            (ListedKind::Debit, d("1.25"), Some("031300010000002")),
        ]
    );
    assert_eq!(a.other_entries[0].date, day(2018, 8, 4));
    let s = load("nacha/moov-ctx-debit.ach");
    let e = &s.accounts[0].other_entries[0];
    assert_eq!((e.kind, e.amount), (ListedKind::Debit, d("1000000.00")));
    // CTX addenda that are not X12 are kept as text.
    assert_eq!(e.text, "Debit First Account                                                             Debit Second Account");
}

#[test]
fn handmade_ccd_plus_and_ctx_with_820() {
    let s = load("nacha/handmade-ccd-ctx.ach");
    assert_eq!(s.message_id.as_deref(), Some("REF00042"));
    assert_eq!(s.accounts.len(), 3);
    let ccd = &s.accounts[0];
    assert_eq!(ccd.id.as_deref(), Some("0000001"));
    let first = &ccd.receipts[0];
    assert_eq!(first.amount, d("1234.50"));
    assert_eq!(first.date, day(2026, 3, 2));
    assert_eq!(first.method, PaymentMethod::Ach);
    assert_eq!(first.transaction_code.as_deref(), Some("22 CCD"));
    assert_eq!(first.payer_name.as_deref(), Some("GLOBEX CORP"));
    assert_eq!(first.payer_account.as_deref(), Some("1234567890"));
    assert_eq!(first.bank_reference.as_deref(), Some("091000010000001"));
    assert_eq!(first.end_to_end_id.as_deref(), Some("INV-2001"));
    assert_eq!(first.remittance, "INV 2001 RF18 5390 0754 7034");
    assert_eq!(
        refs(first),
        [(ReferenceKind::CreditorReference, "RF18539007547034")]
    );
    assert_eq!(ccd.receipts[1].amount, d("500.00"));
    let ret = &ccd.other_entries[0];
    assert_eq!((ret.kind, ret.amount), (ListedKind::Return, d("75.00")));
    assert_eq!(ret.text, "return R01");
    let ctx = &s.accounts[1].receipts[0];
    assert_eq!(ctx.amount, d("1500.00"));
    assert_eq!(ctx.payer_name.as_deref(), Some("INITECH LLC"));
    let invoices: Vec<(&str, Option<Decimal>, Option<Decimal>, Option<Decimal>)> = ctx
        .references
        .iter()
        .map(|r| (r.value.as_str(), r.amount, r.invoiced, r.discount))
        .collect();
    assert_eq!(
        invoices,
        [
            ("INV-3001", Some(d("1000.00")), Some(d("1000.00")), None),
            (
                "INV-3002",
                Some(d("500.00")),
                Some(d("510.00")),
                Some(d("10.00"))
            ),
        ]
    );
    let fee = &s.accounts[2].other_entries[0];
    assert_eq!(
        (fee.kind, fee.amount, fee.date),
        (ListedKind::Debit, d("42.00"), day(2026, 3, 3))
    );
}

// ---------------------------------------------------------------- X12 820

#[test]
fn handmade_820_two_payments() {
    let s = load("x12/handmade-820.edi");
    assert_eq!(s.format, Format::X12_820);
    assert_eq!(s.version.as_deref(), Some("004010"));
    assert_eq!(s.message_id.as_deref(), Some("000000905"));
    assert_eq!(s.sender.as_deref(), Some("GLOBEX"));
    let a = &s.accounts[0];
    assert_eq!(a.id.as_deref(), Some("0001"));
    assert_eq!(a.account.owner.as_deref(), Some("ACME SUPPLY CO"));
    assert_eq!(a.account.number.as_deref(), Some("9876543210"));
    let r = &a.receipts[0];
    assert_eq!(r.amount, d("1234.50"));
    assert_eq!(r.date, day(2026, 3, 2));
    assert_eq!(r.method, PaymentMethod::Ach);
    assert_eq!(r.transaction_code.as_deref(), Some("ACH/CCP"));
    assert_eq!(r.bank_reference.as_deref(), Some("0000000012345"));
    assert_eq!(r.payer_name.as_deref(), Some("GLOBEX CORPORATION"));
    assert_eq!(r.payer_account.as_deref(), Some("1234567890"));
    assert_eq!(r.remittance, "SEE ATTACHED RF18539007547034");
    let got: Vec<(ReferenceKind, &str, Option<Decimal>)> = r
        .references
        .iter()
        .map(|x| (x.kind, x.value.as_str(), x.amount))
        .collect();
    assert_eq!(
        got,
        [
            (ReferenceKind::Other, "TX-99", None),
            (ReferenceKind::Invoice, "INV-2001", Some(d("1000.00"))),
            (ReferenceKind::Invoice, "INV-2002", Some(d("250.00"))),
            (ReferenceKind::Adjustment, "CS", Some(d("-15.50"))),
            (ReferenceKind::CreditorReference, "RF18539007547034", None),
        ]
    );
    let chk = &s.accounts[1].receipts[0];
    assert_eq!(
        (chk.amount, chk.method, chk.date),
        (d("99.00"), PaymentMethod::Check, day(2026, 3, 3))
    );
    assert_eq!(refs(chk), [(ReferenceKind::Invoice, "INV-3001")]);
}

// ---------------------------------------------------------------- to_receipt

#[test]
fn to_receipt_carries_references_for_the_matcher() {
    let s = load("x12/handmade-820.edi");
    let bank = &s.accounts[0].receipts[0];
    let receipt = bank
        .to_receipt(
            ReceiptId::new("R-1").unwrap(),
            Some(CustomerId::new("GLOBEX").unwrap()),
        )
        .unwrap();
    assert_eq!(receipt.amount, d("1234.50"));
    assert_eq!(receipt.reference.as_deref(), Some("0000000012345"));
    assert_eq!(receipt.method, PaymentMethod::Ach);
    // Free text first, then each reference not already in it; adjustments
    // are no references to match.
    assert_eq!(
        receipt.remittance,
        "SEE ATTACHED RF18539007547034 TX-99 INV-2001 INV-2002"
    );
    let belgian = load("bai2/handmade.bai");
    let r = belgian.accounts[0].receipts[1]
        .to_receipt(ReceiptId::new("R-2").unwrap(), None)
        .unwrap();
    assert_eq!(r.remittance, "PAYMENT FROM INITECH +++090/9337/55493+++");
}

#[test]
fn records_round_trip_through_json() {
    for path in [
        "camt/handmade-camt054.v04.xml",
        "bai2/handmade.bai",
        "nacha/handmade-ccd-ctx.ach",
        "x12/handmade-820.edi",
        "mt940/danskebank-dk.sta",
    ] {
        let s = load(path);
        let json = serde_json::to_string(&s).unwrap();
        let back: Statement = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s, "{path}");
    }
    let json =
        serde_json::to_value(load("x12/handmade-820.edi").accounts[0].receipts[0].clone()).unwrap();
    assert_eq!(json["amount"], "1234.50");
    assert_eq!(json["method"], "ach");
}
