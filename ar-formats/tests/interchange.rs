//! Bank reconciliation, book CSV tables, and reports written as text, CSV
//! and .xlsx. Every expected value is written out by hand.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::io::{Cursor, Read};

use ar_core::chrono::NaiveDate;
use ar_core::rust_decimal::Decimal;
use ar_core::{Currency, PaymentMethod, View};
use ar_formats::book::{BookFile, BookFiles, BookTables};
use ar_formats::reconcile::{reconcile, BankEntry, PairBasis, ReconcileOptions, RecordedReceipt};
use ar_formats::table::{to_xlsx, Cell};
use ar_formats::{reports, Family};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn usd() -> Currency {
    Currency::new("USD").unwrap()
}

fn bank(index: usize, date: NaiveDate, amount: &str, reference: Option<&str>) -> BankEntry {
    BankEntry {
        index,
        date,
        amount: dec(amount),
        currency: usd(),
        bank_reference: reference.map(str::to_owned),
        end_to_end_id: None,
        payer_name: None,
        remittance: String::new(),
    }
}

fn booked(id: &str, date: NaiveDate, amount: &str, reference: Option<&str>) -> RecordedReceipt {
    RecordedReceipt {
        id: id.to_owned(),
        customer: None,
        date,
        amount: dec(amount),
        currency: usd(),
        method: PaymentMethod::Wire,
        reference: reference.map(str::to_owned),
    }
}

// ---------------------------------------------------------------- reconcile

#[test]
fn reconciliation_has_three_sides() {
    let statement = vec![
        bank(0, day(3, 5), "500.00", Some("WT-1")),
        bank(1, day(3, 6), "120.00", None),
        bank(2, day(3, 7), "75.00", Some("WT-3")),
    ];
    let books = vec![
        booked("R-1", day(3, 4), "500.00", Some("wt 1")),
        booked("R-2", day(3, 9), "120.00", None),
        booked("R-3", day(3, 6), "300.00", None),
        // Before the statement's first credit: another month's business.
        booked("R-4", day(2, 1), "80.00", None),
    ];
    let r = reconcile(&statement, &books, &ReconcileOptions::default());
    let pairs: Vec<(usize, &str, PairBasis, i64, bool)> = r
        .matched
        .iter()
        .map(|p| {
            (
                p.bank.index,
                p.receipt.id.as_str(),
                p.basis,
                p.days_apart,
                p.ambiguous,
            )
        })
        .collect();
    assert_eq!(
        pairs,
        vec![
            (0, "R-1", PairBasis::Reference, -1, false),
            (1, "R-2", PairBasis::AmountAndDate, 3, false),
        ]
    );
    assert_eq!(
        r.bank_only.iter().map(|b| b.index).collect::<Vec<_>>(),
        vec![2]
    );
    assert_eq!(
        r.ledger_only
            .iter()
            .map(|x| x.id.as_str())
            .collect::<Vec<_>>(),
        vec!["R-3"]
    );
    assert_eq!(r.period, Some((day(3, 5), day(3, 7))));
}

#[test]
fn an_agreeing_reference_wins_over_a_closer_date() {
    let statement = vec![bank(0, day(3, 10), "250.00", Some("E2E-77"))];
    let books = vec![
        booked("SAME-DAY", day(3, 10), "250.00", None),
        booked("BY-REF", day(3, 14), "250.00", Some("e2e77")),
    ];
    let r = reconcile(&statement, &books, &ReconcileOptions::default());
    assert_eq!(r.matched.len(), 1);
    assert_eq!(r.matched[0].receipt.id, "BY-REF");
    assert_eq!(r.matched[0].basis, PairBasis::Reference);
    assert_eq!(r.ledger_only[0].id, "SAME-DAY");
}

#[test]
fn the_date_window_is_inclusive_and_one_sided() {
    let options = ReconcileOptions {
        days_before: 2,
        days_after: 1,
        ..ReconcileOptions::default()
    };
    let statement = vec![
        bank(0, day(3, 10), "10.00", None),
        bank(1, day(3, 10), "20.00", None),
    ];
    let books = vec![
        // Two days before the bank: inside.
        booked("EARLY", day(3, 8), "10.00", None),
        // Two days after: outside a one-day window.
        booked("LATE", day(3, 12), "20.00", None),
    ];
    let r = reconcile(
        &statement,
        &books,
        &ReconcileOptions {
            from: Some(day(3, 1)),
            to: Some(day(3, 31)),
            ..options
        },
    );
    assert_eq!(r.matched.len(), 1);
    assert_eq!(r.matched[0].receipt.id, "EARLY");
    assert_eq!(r.matched[0].days_apart, -2);
    assert_eq!(r.bank_only[0].index, 1);
    assert_eq!(r.ledger_only[0].id, "LATE");
    assert_eq!(r.period, Some((day(3, 1), day(3, 31))));
}

#[test]
fn equal_candidates_pair_once_and_are_flagged() {
    let statement = vec![bank(0, day(3, 10), "99.00", None)];
    let books = vec![
        booked("A", day(3, 11), "99.00", None),
        booked("B", day(3, 9), "99.00", None),
    ];
    // The period held to is the statement's (3/10 only) unless given.
    let r = reconcile(&statement, &books, &ReconcileOptions::default());
    assert!(r.ledger_only.is_empty());
    let march = ReconcileOptions {
        from: Some(day(3, 1)),
        to: Some(day(3, 31)),
        ..ReconcileOptions::default()
    };
    let r = reconcile(&statement, &books, &march);
    assert_eq!(r.matched.len(), 1);
    // Same distance either way: the receipt recorded first.
    assert_eq!(r.matched[0].receipt.id, "A");
    assert!(r.matched[0].ambiguous);
    assert_eq!(r.ledger_only[0].id, "B");
}

#[test]
fn a_credit_booked_twice_pairs_once_and_currencies_must_agree() {
    let mut eur = bank(2, day(3, 10), "40.00", None);
    eur.currency = Currency::new("EUR").unwrap();
    let statement = vec![
        bank(0, day(3, 10), "40.00", None),
        bank(1, day(3, 10), "40.00", None),
        eur,
    ];
    let books = vec![booked("R", day(3, 10), "40.00", None)];
    let r = reconcile(&statement, &books, &ReconcileOptions::default());
    assert_eq!(r.matched.len(), 1);
    assert_eq!(r.matched[0].bank.index, 0);
    assert_eq!(
        r.bank_only.iter().map(|b| b.index).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert!(r.ledger_only.is_empty());
}

// --------------------------------------------------------------------- book

const CUSTOMERS: &[u8] = b"id,name,currency,terms,region\n\
ACME,Acme Corp,USD,net 30,EMEA\n\
NAKA,Nakatomi Trading,JPY,net 30,APAC\n";
const INVOICES: &[u8] = b"id,customer,date,due_date,amount,po\n\
I-1,ACME,2026-03-01,2026-03-31,100.00,PO-1\n\
I-2,NAKA,2026-03-02,2026-04-01,10264,\n";
const RECEIPTS: &[u8] = b"id,customer,currency,date,amount,method,reference,remittance\n\
R-1,ACME,USD,2026-03-20,40.00,wire,WT-9,I-1 part\n\
R-2,,USD,2026-03-21,15.00,check,CHK-4,\n";
const APPLICATIONS: &[u8] = b"receipt,invoice,date,amount\nR-1,I-1,2026-03-20,40.00\n";

fn files<'a>() -> BookFiles<'a> {
    BookFiles {
        customers: BookFile::new("customers.csv", CUSTOMERS),
        invoices: BookFile::new("invoices.csv", INVOICES),
        credit_memos: None,
        receipts: Some(BookFile::new("receipts.csv", RECEIPTS)),
        applications: Some(BookFile::new("applications.csv", APPLICATIONS)),
    }
}

fn recorded() -> ar_core::chrono::DateTime<ar_core::chrono::Utc> {
    "2026-04-01T00:00:00Z".parse().unwrap()
}

#[test]
fn a_book_reads_into_rows_and_builds_its_ledger() {
    let book = BookTables::read(&files()).unwrap();
    assert_eq!(book.customers.len(), 2);
    assert_eq!(
        book.customers[0]
            .dimensions
            .get("region")
            .map(String::as_str),
        Some("EMEA")
    );
    assert_eq!(book.invoices[1].currency.code(), "JPY");
    assert_eq!(book.invoices[1].amount, dec("10264"));
    assert_eq!(
        book.invoices[0].dimensions.get("po").map(String::as_str),
        Some("PO-1")
    );
    assert_eq!(book.invoices[1].origin.row, 3);
    assert_eq!(book.receipts[1].customer, None);
    assert_eq!(book.receipts[1].method, PaymentMethod::Check);

    let ledger = book.ledger(recorded()).unwrap();
    let open: Vec<(String, String)> = ledger
        .open_items(&View::all())
        .iter()
        .map(|i| (i.id.clone(), i.open.to_string()))
        .collect();
    assert!(
        open.contains(&("I-1".to_owned(), "60.00".to_owned())),
        "{open:?}"
    );
    assert!(
        open.contains(&("I-2".to_owned(), "10264".to_owned())),
        "{open:?}"
    );
    assert!(
        open.contains(&("R-2".to_owned(), "15.00".to_owned())),
        "{open:?}"
    );

    // The recorded receipts keep their references, for bank reconciliation.
    let receipts = ar_formats::reconcile::ledger_receipts(&ledger, &View::all());
    assert_eq!(receipts.len(), 2);
    assert_eq!(receipts[0].reference.as_deref(), Some("WT-9"));
    assert_eq!(receipts[1].method, PaymentMethod::Check);
}

fn read_err(f: BookFiles<'_>) -> ar_formats::RowError {
    BookTables::read(&f).unwrap_err()
}

#[test]
fn bad_rows_name_file_row_and_column() {
    let bad = b"id,customer,date,due_date,amount\nI-1,ACME,2026-03-01,2026-03-31,100.00\nI-2,ACME,2026-03-02,2026-04-01,12.3x\n";
    let e = read_err(BookFiles {
        invoices: BookFile::new("inv.csv", bad),
        ..files()
    });
    assert_eq!(
        (e.file.as_str(), e.row, e.column.as_str()),
        ("inv.csv", 3, "amount")
    );
    assert_eq!(
        (e.code.as_str(), e.family),
        ("invalid_amount", Family::Format)
    );
    assert!(e.message.contains("12.3x"), "{}", e.message);

    let bad = b"id,customer,date,due_date,amount\nI-1,ACME,01/03/2026,2026-03-31,100.00\n";
    let e = read_err(BookFiles {
        invoices: BookFile::new("inv.csv", bad),
        ..files()
    });
    assert_eq!(
        (e.row, e.column.as_str(), e.code.as_str()),
        (2, "date", "invalid_date")
    );

    let bad = b"id,customer,date,amount\nI-1,ACME,2026-03-01,100.00\n";
    let e = read_err(BookFiles {
        invoices: BookFile::new("inv.csv", bad),
        ..files()
    });
    assert_eq!(
        (e.row, e.column.as_str(), e.code.as_str()),
        (2, "due_date", "missing")
    );
    assert!(
        e.message.contains("not in the file's header"),
        "{}",
        e.message
    );

    // A misspelled header in receipts is refused, not dropped.
    let bad = b"id,customer,currency,date,amount,refrence\nR-1,ACME,USD,2026-03-20,40.00,X\n";
    let e = read_err(BookFiles {
        receipts: Some(BookFile::new("rec.csv", bad)),
        ..files()
    });
    assert_eq!(
        (e.file.as_str(), e.row, e.column.as_str()),
        ("rec.csv", 1, "refrence")
    );

    let bad = b"id,name,currency,currency\nA,A,USD,USD\n";
    let e = read_err(BookFiles {
        customers: BookFile::new("c.csv", bad),
        ..files()
    });
    assert_eq!((e.row, e.column.as_str()), (1, "currency"));

    let bad = b"id,customer,currency,date,amount,method\nR-1,ACME,USD,2026-03-20,40.00,bitcoin\n";
    let e = read_err(BookFiles {
        receipts: Some(BookFile::new("rec.csv", bad)),
        ..files()
    });
    assert_eq!(
        (e.row, e.column.as_str(), e.code.as_str()),
        (2, "method", "invalid_value")
    );

    let bad = b"receipt,credit_memo,invoice,date,amount\nR-1,CM-1,I-1,2026-03-20,1.00\n";
    let e = read_err(BookFiles {
        applications: Some(BookFile::new("app.csv", bad)),
        ..files()
    });
    assert_eq!((e.row, e.column.as_str()), (2, "receipt"));

    let bad = b"id,name,currency\nA,A,XYZ\n";
    let e = read_err(BookFiles {
        customers: BookFile::new("c.csv", bad),
        ..files()
    });
    assert_eq!(
        (e.row, e.column.as_str(), e.code.as_str()),
        (2, "currency", "invalid_value")
    );
}

#[test]
fn rows_the_ledger_refuses_name_file_row_and_column() {
    let book = |f: BookFiles<'_>| {
        BookTables::read(&f)
            .unwrap()
            .ledger(recorded())
            .unwrap_err()
    };

    let bad = b"id,customer,currency,date,due_date,amount\nI-1,ACME,,2026-03-01,2026-03-31,100.00\nI-9,NOBODY,USD,2026-03-02,2026-04-01,5.00\n";
    let e = book(BookFiles {
        invoices: BookFile::new("inv.csv", bad),
        ..files()
    });
    assert_eq!(
        (e.file.as_str(), e.row, e.column.as_str()),
        ("inv.csv", 3, "customer")
    );
    assert_eq!(e.family, Family::NotFound);

    // R-2 came from a payer not yet known: it cannot settle ACME's invoice.
    let bad = b"receipt,invoice,date,amount\nR-1,I-1,2026-03-20,40.00\nR-2,I-1,2026-03-21,15.00\n";
    let e = book(BookFiles {
        applications: Some(BookFile::new("app.csv", bad)),
        ..files()
    });
    assert_eq!(
        (e.file.as_str(), e.row, e.column.as_str()),
        ("app.csv", 3, "receipt")
    );

    // More than R-1 holds.
    let bad = b"receipt,invoice,date,amount\nR-1,I-1,2026-03-20,40.00\nR-1,I-1,2026-03-21,0.01\n";
    let e = book(BookFiles {
        applications: Some(BookFile::new("app.csv", bad)),
        ..files()
    });
    assert_eq!(
        (e.file.as_str(), e.row, e.column.as_str()),
        ("app.csv", 3, "amount")
    );
    assert_eq!(e.family, Family::State);

    let bad = b"id,name,currency,terms\nACME,Acme,USD,whenever\nNAKA,N,JPY,\n";
    let e = book(BookFiles {
        customers: BookFile::new("c.csv", bad),
        ..files()
    });
    assert_eq!(
        (e.file.as_str(), e.row, e.column.as_str()),
        ("c.csv", 2, "terms")
    );
}

#[test]
fn the_book_columns_give_the_ledgers_aging() {
    let book = BookTables::read(&files()).unwrap();
    let options = ar_core::AgingOptions::new(day(4, 15));
    let from_ledger = book.ledger(recorded()).unwrap().aging(&options).unwrap();
    let from_columns = book
        .to_book()
        .unwrap()
        .prepare()
        .unwrap()
        .aging(&options)
        .unwrap();
    // USD: I-1 60.00 open, 15 days past due; R-2 15.00 unapplied.
    let usd_row = from_columns
        .totals
        .iter()
        .find(|r| r.currency.code() == "USD")
        .unwrap();
    assert_eq!(usd_row.total, dec("60.00"));
    assert_eq!(usd_row.unapplied_cash, dec("15.00"));
    assert_eq!(usd_row.net, dec("45.00"));
    assert_eq!(from_ledger.totals, from_columns.totals);
}

// ------------------------------------------------------------------- tables

fn open_items_table() -> ar_formats::table::Table {
    let ledger = BookTables::read(&BookFiles {
        receipts: None,
        applications: None,
        ..files()
    })
    .unwrap()
    .ledger(recorded())
    .unwrap();
    let mut items = ledger.open_items(&View::all());
    items.sort_by(|a, b| a.id.cmp(&b.id));
    let mut items_paid = items.clone();
    // 40.00 paid on I-1 by hand, so that an amount has cents to show.
    items_paid[0].open = dec("60");
    reports::open_items(&items_paid, Some(day(4, 1)), true).unwrap()
}

#[test]
fn text_aligns_columns_at_the_currencys_minor_unit() {
    let t = open_items_table();
    let expected = "\
Open items as of 2026-04-01
kind            id         customer   cur due                open
invoice         I-1        ACME       USD 2026-03-31        60.00
invoice         I-2        NAKA       JPY 2026-04-01        10264
-----------------------------------------------------------------
Net             -          -          JPY -                 10264
Net             -          -          USD -                 60.00
";
    assert_eq!(t.to_text(true), expected);
}

#[test]
fn csv_is_data_without_title_or_totals() {
    let t = open_items_table();
    let csv = String::from_utf8(t.to_csv().unwrap()).unwrap();
    assert_eq!(
        csv,
        "kind,id,customer,cur,due,open\n\
         invoice,I-1,ACME,USD,2026-03-31,60.00\n\
         invoice,I-2,NAKA,JPY,2026-04-01,10264\n"
    );
}

#[test]
fn a_row_of_the_wrong_length_is_an_error_not_a_broken_file() {
    let mut t = open_items_table();
    t.rows[0].pop();
    let e = t.to_csv().unwrap_err();
    assert_eq!(e.table, "open_items");
    assert!(to_xlsx(&[t]).is_err());
}

#[test]
fn xlsx_has_numbers_dates_totals_and_a_frozen_header() {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let bytes = to_xlsx(&[open_items_table()]).unwrap();
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(wb.sheet_names(), vec!["open_items".to_owned()]);
    let range = wb.worksheet_range("open_items").unwrap();
    let at = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(at(0, 0), Data::String("Open items as of 2026-04-01".into()));
    assert_eq!(at(1, 5), Data::String("open".into()));
    assert_eq!(at(2, 1), Data::String("I-1".into()));
    // Amounts are numbers, not text.
    assert_eq!(at(2, 5), Data::Float(60.0));
    assert_eq!(at(3, 5), Data::Float(10264.0));
    // Dates are dates: 2026-03-31 is serial 46112 in the 1900 system.
    match at(2, 4) {
        Data::DateTime(d) => assert_eq!(d.as_f64(), 46112.0),
        other => panic!("not a date: {other:?}"),
    }
    // Totals row under the data, per currency in code order.
    assert_eq!(at(4, 0), Data::String("Net".into()));
    assert_eq!(at(4, 3), Data::String("JPY".into()));
    assert_eq!(at(4, 5), Data::Float(10264.0));
    assert_eq!(at(5, 3), Data::String("USD".into()));
    assert_eq!(at(5, 5), Data::Float(60.0));

    let styles = wb.worksheet_style("open_items").unwrap();
    let format = |r: u32, c: u32| {
        styles
            .get((r, c))
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.clone())
            .unwrap_or_default()
    };
    assert_eq!(format(2, 5), "#,##0.00");
    assert_eq!(format(3, 5), "#,##0");
    assert_eq!(format(2, 4), "yyyy-mm-dd");
    let bold = |r: u32, c: u32| {
        styles
            .get((r, c))
            .and_then(|s| s.font.as_ref())
            .is_some_and(|f| f.is_bold())
    };
    assert!(bold(1, 0), "header is bold");
    assert!(bold(4, 5), "totals are bold");
    assert!(!bold(2, 5), "data is not");

    // Frozen title and header, and set column widths (not exposed by
    // calamine: read from the sheet's XML).
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(
        xml.contains(r#"ySplit="2""#) && xml.contains(r#"state="frozen""#),
        "{xml}"
    );
    assert!(xml.contains("<cols>"), "{xml}");
}

#[test]
fn xlsx_writes_an_amount_beyond_fifteen_digits_as_text() {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let mut t = open_items_table();
    t.rows[0][5] = Cell::amount(dec("12345678901234567.89"), usd());
    t.totals.clear();
    let bytes = to_xlsx(&[t]).unwrap();
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range("open_items").unwrap();
    assert_eq!(
        range.get_value((2, 5)).cloned(),
        Some(Data::String("12345678901234567.89".into()))
    );
}
