//! Parsing throughput of ar-formats: entries per second reading a generated
//! camt.054 notification and a BAI2 file of 100,000 entries each (best of
//! five runs): `cargo run --release -p ar-benches --bin formats -- [ENTRIES]`.
// Rates and sizes are printed, never used as money.
#![allow(clippy::float_arithmetic)]

use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// A camt.054.001.08 notification of `n` booked credits, each with a debtor,
/// its IBAN, a referred invoice and unstructured text (every tenth with an
/// RF creditor reference).
fn camt054(n: usize) -> String {
    let mut xml = String::with_capacity(n.saturating_mul(900));
    xml.push_str(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2026-03-02T10:00:00</CreDtTm></GrpHdr>
<Ntfctn><Id>N1</Id><Acct><Id><IBAN>BE68539007547034</IBAN></Id><Ccy>EUR</Ccy></Acct>
"#,
    );
    for i in 0..n {
        let cents = 1000 + (i % 997) * 13;
        let rf = if i % 10 == 0 {
            "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>RF18539007547034</Ref></CdtrRefInf></Strd>"
        } else {
            ""
        };
        let _ = writeln!(
            xml,
            r#"<Ntry><Amt Ccy="EUR">{}.{:02}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-03-02</Dt></BookgDt><ValDt><Dt>2026-03-02</Dt></ValDt><AcctSvcrRef>REF{i:08}</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls><TxDtls><Refs><EndToEndId>E2E{i:08}</EndToEndId></Refs><RltdPties><Dbtr><Pty><Nm>Customer {c} NV</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>BE71096123456769</IBAN></Id></DbtrAcct></RltdPties><RmtInf><Ustrd>Invoice INV-{i:07} thank you</Ustrd><Strd><RfrdDocInf><Tp><CdOrPrtry><Cd>CINV</Cd></CdOrPrtry></Tp><Nb>INV-{i:07}</Nb></RfrdDocInf></Strd>{rf}</RmtInf></TxDtls></NtryDtls></Ntry>"#,
            cents / 100,
            cents % 100,
            c = i % 5000,
        );
    }
    xml.push_str("</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>\n");
    xml
}

/// A BAI2 file of one group and one account with `n` credit details, every
/// fifth continued by an 88 record, with its totals.
fn bai2(n: usize) -> String {
    let mut out = String::with_capacity(n.saturating_mul(80));
    out.push_str("01,BANK,ACME,260302,0800,1,,,2/\n02,ACME,BANK,1,260301,,USD,2/\n03,123456789,,010,100000,,/\n");
    let mut total: u64 = 100_000;
    let mut records: u64 = 1;
    for i in 0..n {
        let cents = 1000 + (i as u64 % 997) * 13;
        total += cents;
        records += 1;
        let _ = writeln!(
            out,
            "16,195,{cents},,BR{i:08},CR{i:08},ORIG CO NAME:CUSTOMER {} INV-{i:07}/",
            i % 5000
        );
        if i % 5 == 0 {
            records += 1;
            out.push_str("88,REMITTANCE CONTINUED RF18 5390 0754 7034/\n");
        }
    }
    records += 1;
    let _ = writeln!(out, "49,{total},{records}/");
    let _ = writeln!(out, "98,{total},1,{}/", records + 2);
    let _ = writeln!(out, "99,{total},1,{}/", records + 4);
    out
}

fn best(runs: usize, bytes: &[u8], expect: usize) -> Result<Duration, String> {
    let mut fastest = Duration::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        let statement = ar_formats::parse(bytes).map_err(|e| e.to_string())?;
        let took = start.elapsed();
        let got = statement.receipts().count();
        if got != expect {
            return Err(format!("{got} receipts, expected {expect}"));
        }
        fastest = fastest.min(took);
    }
    Ok(fastest)
}

fn main() -> ExitCode {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    for (name, text) in [("camt.054", camt054(n)), ("BAI2", bai2(n))] {
        match best(5, text.as_bytes(), n) {
            Ok(t) => {
                let secs = t.as_secs_f64();
                println!(
                    "{name:9} {n} entries, {:.1} MB: {:.1} ms, {:.0} entries/s, {:.0} MB/s",
                    text.len() as f64 / 1e6,
                    secs * 1e3,
                    n as f64 / secs,
                    text.len() as f64 / 1e6 / secs
                );
            }
            Err(e) => {
                eprintln!("{name}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
