//! Malformed input: each gives a typed error naming where, never a panic
//! or a partial import; and a proptest driver over mutated sample files.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::expect_used)]

use ar_formats::{parse, parse_with, ErrorCode, Format, FormatError, Limits};
use proptest::prelude::*;

fn data(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn err(bytes: &[u8]) -> FormatError {
    parse(bytes).unwrap_err()
}

fn replace(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let s = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(s.contains(from), "{from}");
    s.replacen(from, to, 1).into_bytes()
}

#[test]
fn bai2_wrong_totals_and_counts_name_the_trailer() {
    let f = data("bai2/handmade.bai");
    let e = err(&replace(&f, "49,804000,7/", "49,804001,7/"));
    assert_eq!(
        (e.code, e.line, e.location.as_str()),
        (ErrorCode::ControlTotal, 9, "record 49")
    );
    let e = err(&replace(&f, "49,804000,7/", "49,804000,6/"));
    assert_eq!((e.code, e.line), (ErrorCode::RecordCount, 9));
    let e = err(&replace(&f, "98,805000,2,12/", "98,805000,3,12/"));
    assert_eq!(
        (e.code, e.location.as_str()),
        (ErrorCode::RecordCount, "record 98")
    );
    let e = err(&replace(&f, "99,805000,1,14/", "99,805000,1,13/"));
    assert_eq!((e.code, e.line), (ErrorCode::RecordCount, 14));
    // Truncated: no trailer.
    let cut = &f[..f.len() - 20];
    assert_eq!(err(cut).code, ErrorCode::Missing);
    // A bad amount and a bad date name their record.
    let e = err(&replace(&f, "16,142,125000", "16,142,12500X"));
    assert_eq!(
        (e.code, e.line, e.location.as_str()),
        (ErrorCode::InvalidAmount, 6, "record 16")
    );
    let e = err(&replace(
        &f,
        "02,ACMESUPPLY,BANKID,1,260301",
        "02,ACMESUPPLY,BANKID,1,260231",
    ));
    assert_eq!((e.code, e.line), (ErrorCode::InvalidDate, 2));
    // Wrong separators.
    let e = err(&replace(&f, "16,475,2500,V", "16;475;2500;V"));
    assert_eq!(e.code, ErrorCode::Syntax);
    assert_eq!(e.line, 8);
}

#[test]
fn nacha_wrong_controls_name_the_record() {
    let f = data("nacha/handmade-ccd-ctx.ach");
    // Batch 1's credit total 1809.50 (123450 + 50000 + 7500 cents) written
    // as 1809.51.
    let e = err(&replace(&f, "000000180950", "000000180951"));
    assert_eq!(
        (e.code, e.line, e.location.as_str()),
        (ErrorCode::ControlTotal, 8, "record 8")
    );
    assert!(e.message.contains("180951"));
    // Entry hash of the file.
    let e = err(&replace(
        &f,
        "9000003000002000000110030500006",
        "9000003000002000000110030500007",
    ));
    assert_eq!((e.code, e.line), (ErrorCode::ControlTotal, 19));
    // A short record.
    let e = err(&replace(
        &f,
        "JANE DOE                0071",
        "JANE DOE               0071",
    ));
    assert_eq!((e.code, e.line), (ErrorCode::Syntax, 17));
    // A check digit that does not hold.
    let e = err(&replace(
        &f,
        "627021000021111222333",
        "627021000029111222333",
    ));
    assert_eq!((e.code, e.line), (ErrorCode::InvalidValue, 17));
    // Bad amount.
    let e = err(&replace(&f, "0000004200EMP-1", "00000042X0EMP-1"));
    assert_eq!((e.code, e.line), (ErrorCode::InvalidAmount, 17));
    // Truncated after the batches: no file control.
    let text = String::from_utf8(f.clone()).unwrap();
    let cut: String = text.lines().take(18).map(|l| format!("{l}\n")).collect();
    assert_eq!(err(cut.as_bytes()).code, ErrorCode::Missing);
}

#[test]
fn x12_counts_and_separators() {
    let f = data("x12/handmade-820.edi");
    let e = err(&replace(&f, "SE*17*0001", "SE*16*0001"));
    assert_eq!(
        (e.code, e.line, e.location.as_str()),
        (ErrorCode::RecordCount, 19, "segment SE #19")
    );
    let e = err(&replace(&f, "GE*2*905", "GE*1*905"));
    assert_eq!(e.code, ErrorCode::RecordCount);
    let e = err(&replace(&f, "IEA*1*000000905", "IEA*1*000000906"));
    assert_eq!(e.code, ErrorCode::RecordCount);
    let e = err(&replace(
        &f,
        "RMR*IV*INV-2001*PI*1000.00",
        "RMR*IV*INV-2001*PI*1000,00",
    ));
    assert_eq!((e.code, e.line), (ErrorCode::InvalidAmount, 14));
    let e = err(&replace(&f, "20260302~\nTRN", "20260230~\nTRN"));
    assert_eq!((e.code, e.line), (ErrorCode::InvalidDate, 4));
    // Segments cut: no IEA.
    let text = String::from_utf8(f).unwrap();
    let cut = text.split("GE*").next().unwrap();
    assert_eq!(err(cut.as_bytes()).code, ErrorCode::Missing);
    // An element separator other than the ISA's.
    let e = err(text
        .replace("BPR*C*1234.50*C", "BPR+C+1234.50+C")
        .as_bytes());
    assert_eq!(
        (e.code, e.line, e.location.as_str()),
        (ErrorCode::Syntax, 4, "segment #4")
    );
}

#[test]
fn mt940_bad_fields() {
    let f = data("mt940/danskebank-dk.sta");
    let e = err(&replace(
        &f,
        ":61:0909290929DK829419,78NTRF",
        ":61:0909290929XK829419,78NTRF",
    ));
    assert_eq!(
        (e.code, e.location.as_str()),
        (ErrorCode::InvalidValue, ":61:")
    );
    // Five lines of preamble, then :20:, :25:, :28C:, :60F: and four :86:.
    assert_eq!(e.line, 14);
    let e = err(&replace(&f, ":60F:C090924DKK", ":60F:C090931DKK"));
    assert_eq!((e.code, e.line), (ErrorCode::InvalidDate, 9));
    let e = err(&replace(
        &f,
        ":62F:C090930DKK1654095,16",
        ":62F:C090930DKK1654095,17",
    ));
    assert_eq!(
        (e.code, e.location.as_str()),
        (ErrorCode::ControlTotal, ":62F:")
    );
    assert_eq!(
        err(b":20:X\n:25:Y\n:61:260301C1,00NTRFX\n").code,
        ErrorCode::Syntax
    );
}

#[test]
fn camt_malformed_xml_and_fields() {
    let f = data("camt/handmade-camt054.v04.xml");
    let e = err(&replace(
        &f,
        "<ns2:Amt Ccy=\"EUR\">1815.50</ns2:Amt>",
        "<ns2:Amt Ccy=\"EUR\">1815,50</ns2:Amt>",
    ));
    assert_eq!((e.code, e.line), (ErrorCode::InvalidAmount, 13));
    assert!(e.location.ends_with("Ntfctn/Ntry/Amt"), "{}", e.location);
    let e = err(&replace(
        &f,
        "<ns2:Amt Ccy=\"EUR\">1815.50</ns2:Amt>",
        "<ns2:Amt Ccy=\"EUR\">1815.505</ns2:Amt>",
    ));
    assert_eq!(e.code, ErrorCode::InvalidAmount);
    let e = err(&replace(
        &f,
        "<ns2:Dt>2026-03-02</ns2:Dt></ns2:BookgDt>",
        "<ns2:Dt>2026-02-30</ns2:Dt></ns2:BookgDt>",
    ));
    assert_eq!((e.code, e.line), (ErrorCode::InvalidDate, 16));
    let e = err(&replace(
        &f,
        "<ns2:CdtDbtInd>CRDT</ns2:CdtDbtInd>",
        "<ns2:CdtDbtInd>CRED</ns2:CdtDbtInd>",
    ));
    assert_eq!((e.code, e.line), (ErrorCode::InvalidValue, 14));
    let e = err(&replace(&f, "Ccy=\"EUR\">1815.50", "Ccy=\"EUX\">1815.50"));
    assert_eq!(e.code, ErrorCode::InvalidValue);
    // Mismatched end tag.
    let e = err(&replace(&f, "</ns2:Sts>", "</ns2:Sta>"));
    assert_eq!((e.code, e.line), (ErrorCode::Syntax, 15));
    // Truncated.
    let e = err(&f[..f.len() / 2]);
    assert_eq!(e.code, ErrorCode::Syntax);
    // Not UTF-8.
    let mut bad = f.clone();
    bad[200] = 0xFF;
    assert_eq!(err(&bad).code, ErrorCode::Encoding);
    // A DTD is refused.
    let dtd = b"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><Document/>";
    assert_eq!(err(dtd).code, ErrorCode::Syntax);
    // Another XML document.
    assert_eq!(
        err(b"<Invoice><Id>1</Id></Invoice>").code,
        ErrorCode::Syntax
    );
}

#[test]
fn deeply_nested_xml_is_refused_at_the_limit() {
    let depth = 100_000;
    let mut xml = String::from("<Document><BkToCstmrStmt><Stmt>");
    xml.push_str(&"<a>".repeat(depth));
    let e = err(xml.as_bytes());
    assert_eq!(e.code, ErrorCode::LimitExceeded);
    assert_eq!(e.location, "a");
    assert!(e.message.contains("64"));
}

#[test]
fn garbage_of_ten_megabytes_is_an_error() {
    // Deterministic noise from a linear congruential generator.
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let noise: Vec<u8> = (0..10 << 20)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 56) as u8
        })
        .collect();
    assert_eq!(err(&noise).code, ErrorCode::UnknownFormat);
    // The same noise behind each format's opening is refused by its parser.
    for head in [&b"<Document>"[..], b"ISA*", b"01,", b"101", b":20:"] {
        let mut bytes = head.to_vec();
        bytes.extend_from_slice(&noise);
        let e = err(&bytes);
        assert_ne!(e.code, ErrorCode::UnknownFormat);
        assert!(e.message.len() < 300, "{}", e.message);
    }
}

#[test]
fn limits_are_enforced() {
    let f = data("bai2/handmade.bai");
    let tight = Limits {
        max_entries: 2,
        ..Limits::default()
    };
    let e = parse_with(&f, None, &tight).unwrap_err();
    // The third entry, after a 16 and its 88 and another 16.
    assert_eq!((e.code, e.line), (ErrorCode::LimitExceeded, 7));
    let short = Limits {
        max_text_len: 20,
        ..Limits::default()
    };
    let e = parse_with(&f, None, &short).unwrap_err();
    assert_eq!(e.code, ErrorCode::LimitExceeded);
    let small = Limits {
        max_input_bytes: 100,
        ..Limits::default()
    };
    assert_eq!(
        parse_with(&f, None, &small).unwrap_err().code,
        ErrorCode::LimitExceeded
    );
    let one = Limits {
        max_accounts: 1,
        ..Limits::default()
    };
    let x = data("x12/handmade-820.edi");
    let e = parse_with(&x, Some(Format::X12_820), &one).unwrap_err();
    assert_eq!((e.code, e.line), (ErrorCode::LimitExceeded, 20));
    let refs = Limits {
        max_references: 1,
        ..Limits::default()
    };
    assert_eq!(
        parse_with(&x, None, &refs).unwrap_err().code,
        ErrorCode::LimitExceeded
    );
}

const SAMPLES: [&str; 9] = [
    "camt/genkgo-camt053.v8.xml",
    "camt/handmade-camt054.v04.xml",
    "bai2/handmade.bai",
    "bai2/moov-sample3.txt",
    "mt940/danskebank-dk.sta",
    "mt940/betterplace-sepa.sta",
    "nacha/handmade-ccd-ctx.ach",
    "nacha/moov-ccd-debit.ach",
    "x12/handmade-820.edi",
];

/// Every result is a statement whose receipts are booked credits above
/// zero at their currency's minor unit, or a typed error whose message
/// stays short.
fn check(bytes: &[u8]) {
    match parse(bytes) {
        Ok(s) => {
            for r in s.receipts() {
                assert!(r.amount > ar_core::rust_decimal::Decimal::ZERO);
                assert_eq!(r.amount.scale(), r.currency.minor_units());
            }
        }
        Err(e) => assert!(e.message.len() < 400, "{}", e.message),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn mutated_samples_never_panic(
        which in 0..SAMPLES.len(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
    ) {
        let mut bytes = data(SAMPLES[which]);
        for (at, byte, op) in edits {
            if bytes.is_empty() { break; }
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = byte,
                1 => { bytes.remove(i); }
                _ => bytes.insert(i, byte),
            }
        }
        check(&bytes);
    }

    #[test]
    fn truncated_samples_never_import_partially(which in 0..SAMPLES.len(), cut in 0usize..10_000) {
        // MT940 has no file trailer: a file cut between messages is a
        // shorter file, not a broken one.
        prop_assume!(!SAMPLES[which].starts_with("mt940"));
        let bytes = data(SAMPLES[which]);
        let keep = bytes.len() * cut / 10_000;
        let prefix = &bytes[..keep.min(bytes.len().saturating_sub(30))];
        // A NACHA file cut in the nines after its file control is whole.
        prop_assume!(!(SAMPLES[which].starts_with("nacha") && prefix.windows(2).any(|w| w == b"\n9")));
        // Every format ends with a trailer or closing element: a file cut
        // before it is refused as a whole.
        prop_assert!(parse(prefix).is_err());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check(&bytes);
    }
}
