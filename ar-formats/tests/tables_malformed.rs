//! Mutated and arbitrary input for the CSV readers (book tables and every
//! accounting-system profile) and the writers: an error or a result, never
//! a panic.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::expect_used,
    missing_docs
)]

use ar_core::chrono::{TimeZone, Utc};
use ar_core::rust_decimal::Decimal;
use ar_core::Currency;
use ar_formats::book::{BookFile, BookFiles, BookTables};
use ar_formats::systems::{import, Profile, BUILTIN};
use ar_formats::table::{to_xlsx, Cell, Column, ColumnKind, Table};
use proptest::prelude::*;

const SYSTEM_FILES: [&str; 7] = [
    "qbo_invoice_list.csv",
    "qbo_invoice_list_report.csv",
    "qbo_payments.csv",
    "xero_sales_invoices.csv",
    "sap_bsid.csv",
    "sap_fbl5n.csv",
    "netsuite_transactions.csv",
];

const BOOK_FILES: [&str; 5] = [
    "customers.csv",
    "invoices.csv",
    "credit_memos.csv",
    "receipts.csv",
    "applications.csv",
];

fn system_file(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/data/systems/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn book_file(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../examples/data/sample/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn mutate(bytes: &mut Vec<u8>, edits: &[(prop::sample::Index, u8, u8)]) {
    for (at, byte, op) in edits {
        if bytes.is_empty() {
            break;
        }
        let i = at.index(bytes.len());
        match op {
            0 => bytes[i] = *byte,
            1 => {
                bytes.remove(i);
            }
            _ => bytes.insert(i, *byte),
        }
    }
}

/// Every profile reads `bytes`; what is read builds a ledger or is refused.
fn check_systems(bytes: &[u8]) {
    let recorded = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).single().unwrap();
    for name in BUILTIN {
        let p = Profile {
            currency: Some(Currency::new("USD").unwrap()),
            ..Profile::builtin(name).unwrap()
        };
        if let Ok(book) = import(&p, BookFile::new("f.csv", bytes)) {
            assert!(book.invoices.iter().all(|i| !i.amount.is_sign_negative()));
            let _ = book.ledger(recorded);
            let _ = book.to_book();
        }
    }
}

fn check_book(files: &[Vec<u8>; 5]) {
    let recorded = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).single().unwrap();
    let f = |i: usize| BookFile::new(BOOK_FILES[i], &files[i]);
    let read = BookTables::read(&BookFiles {
        customers: f(0),
        invoices: f(1),
        credit_memos: Some(f(2)),
        receipts: Some(f(3)),
        applications: Some(f(4)),
    });
    match read {
        Ok(book) => {
            if let Ok(ledger) = book.ledger(recorded) {
                let _ = ar_formats::systems::export_invoices(
                    &ledger,
                    &ar_core::View::all(),
                    ar_formats::systems::Layout::Xero,
                    &ar_formats::systems::ExportOptions::for_layout(
                        ar_formats::systems::Layout::Xero,
                    ),
                );
            }
            let _ = book.to_book();
        }
        // An error names a file of the book.
        Err(e) => assert!(BOOK_FILES.iter().any(|n| *n == e.file), "{e}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn mutated_system_files_never_panic(
        which in 0..SYSTEM_FILES.len(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
    ) {
        let mut bytes = system_file(SYSTEM_FILES[which]);
        mutate(&mut bytes, &edits);
        check_systems(&bytes);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check_systems(&bytes);
    }

    #[test]
    fn mutated_book_files_never_panic(
        which in 0..BOOK_FILES.len(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
    ) {
        let mut files = BOOK_FILES.map(book_file);
        mutate(&mut files[which], &edits);
        check_book(&files);
    }

    #[test]
    fn any_amounts_write_to_every_output(
        mantissas in proptest::collection::vec(any::<i64>(), 1..20),
        scale in 0u32..28,
        code in prop::sample::select(vec!["USD", "JPY", "KWD", "EUR"]),
    ) {
        let c = Currency::new(code).unwrap();
        let mut t = Table::new("t", "T", vec![
            Column::new("id", ColumnKind::Text),
            Column::new("amount", ColumnKind::Amount),
            Column::new("ratio", ColumnKind::Number { decimals: 1 }),
        ]);
        for m in mantissas {
            let d = Decimal::new(m, scale);
            t.rows.push(vec![Cell::text("x"), Cell::amount(d, c), Cell::Number(d)]);
        }
        // A total may overflow: an error, not a panic.
        let _ = t.add_currency_totals();
        let _ = t.to_text(true);
        prop_assert!(t.to_csv().is_ok());
        prop_assert!(to_xlsx(&[t]).is_ok());
    }
}
