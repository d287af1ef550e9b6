//! Accounting-system layouts read from hand-made files in the systems'
//! documented layouts (see `tests/data/README.md`), with the rows they give
//! written out by hand; and the ledger written back in the QuickBooks and
//! Xero layouts and read in again.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use ar_core::chrono::{NaiveDate, TimeZone, Utc};
use ar_core::rust_decimal::Decimal;
use ar_core::*;
use ar_formats::book::{BookFile, BookTables};
use ar_formats::systems::{
    export_invoices, export_payments, import, ExportOptions, Field, Layout, Profile,
};
use ar_formats::Family;

fn data(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/data/systems/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn profile(name: &str) -> Profile {
    Profile::builtin(name).unwrap()
}

fn usd_profile(name: &str) -> Profile {
    Profile {
        currency: Some(Currency::new("USD").unwrap()),
        ..profile(name)
    }
}

/// (id, customer, currency, date, due, amount) of each invoice.
fn invoices(book: &BookTables) -> Vec<(String, String, String, NaiveDate, NaiveDate, Decimal)> {
    book.invoices
        .iter()
        .map(|i| {
            (
                i.id.clone(),
                i.customer.clone(),
                i.currency.code().to_owned(),
                i.date,
                i.due_date,
                i.amount,
            )
        })
        .collect()
}

fn row(
    id: &str,
    customer: &str,
    cur: &str,
    date: NaiveDate,
    due: NaiveDate,
    amount: &str,
) -> (String, String, String, NaiveDate, NaiveDate, Decimal) {
    (
        id.into(),
        customer.into(),
        cur.into(),
        date,
        due,
        dec(amount),
    )
}

fn recorded() -> ar_core::chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).single().unwrap()
}

#[test]
fn every_builtin_profile_exists_and_round_trips_as_json() {
    for name in ar_formats::systems::BUILTIN {
        let p = profile(name);
        assert_eq!(p.name, name);
        let json = serde_json::to_string(&p).unwrap();
        let back: Profile = serde_json::from_str(&json).unwrap();
        assert_eq!(back, p);
    }
}

#[test]
fn quickbooks_invoice_list() {
    let bytes = data("qbo_invoice_list.csv");
    let book = import(
        &usd_profile("qbo-invoices"),
        BookFile::new("qbo.csv", &bytes),
    )
    .unwrap();
    assert_eq!(
        invoices(&book),
        vec![
            row(
                "1001",
                "Acme Corp",
                "USD",
                day(2026, 3, 1),
                day(2026, 3, 31),
                "1250.00"
            ),
            row(
                "1002",
                "Globex Inc",
                "USD",
                day(2026, 3, 5),
                day(2026, 4, 4),
                "480.00"
            ),
            row(
                "1004",
                "Acme Corp",
                "USD",
                day(2026, 3, 9),
                day(2026, 4, 8),
                "99.99"
            ),
        ]
    );
    assert_eq!(
        book.customers
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        vec!["Acme Corp", "Globex Inc"]
    );
    assert_eq!(
        book.warnings,
        vec![
            "qbo.csv: 1 rows of type \"Sales Receipt\" skipped".to_owned(),
            "qbo.csv: 1 rows without a type skipped (totals)".to_owned(),
        ]
    );

    // As open items: the open balance, and settled invoices left out.
    let open = import(
        &Profile {
            open_items: true,
            ..usd_profile("qbo-invoices")
        },
        BookFile::new("qbo.csv", &bytes),
    )
    .unwrap();
    assert_eq!(
        open.invoices
            .iter()
            .map(|i| (i.id.as_str(), i.amount))
            .collect::<Vec<_>>(),
        vec![("1001", dec("250.00")), ("1002", dec("480.00"))]
    );
}

#[test]
fn quickbooks_needs_a_currency_when_the_file_has_none() {
    let bytes = data("qbo_invoice_list.csv");
    let e = import(&profile("qbo-invoices"), BookFile::new("qbo.csv", &bytes)).unwrap_err();
    assert_eq!(
        (e.file.as_str(), e.row, e.column.as_str(), e.code.as_str()),
        ("qbo.csv", 2, "Currency", "missing")
    );
}

#[test]
fn quickbooks_payments_with_the_invoices_build_a_ledger() {
    let inv = data("qbo_invoice_list.csv");
    let pay = data("qbo_payments.csv");
    let mut book = import(&usd_profile("qbo-invoices"), BookFile::new("inv.csv", &inv)).unwrap();
    let payments = import(&usd_profile("qbo-payments"), BookFile::new("pay.csv", &pay)).unwrap();
    let receipts: Vec<(&str, Decimal, PaymentMethod, &str)> = payments
        .receipts
        .iter()
        .map(|r| (r.id.as_str(), r.amount, r.method, r.remittance.as_str()))
        .collect();
    assert_eq!(
        receipts,
        vec![
            ("5521", dec("1000.00"), PaymentMethod::Check, ""),
            ("5530", dec("99.99"), PaymentMethod::Check, ""),
            ("WT-88", dec("350.00"), PaymentMethod::Wire, "part of 1002"),
        ]
    );
    let apps: Vec<(&str, &str, Decimal, usize)> = payments
        .applications
        .iter()
        .map(|a| {
            (
                a.receipt.as_deref().unwrap(),
                a.invoice.as_str(),
                a.amount,
                a.origin.row,
            )
        })
        .collect();
    assert_eq!(
        apps,
        vec![
            ("5521", "1001", dec("1000.00"), 2),
            ("5530", "1004", dec("99.99"), 3),
            ("WT-88", "1002", dec("300.00"), 4)
        ]
    );
    book.merge(payments);
    let ledger = book.ledger(recorded()).unwrap();
    let mut open: Vec<(String, String)> = ledger
        .open_items(&View::all())
        .iter()
        .map(|i| (i.id.clone(), i.open.to_string()))
        .collect();
    open.sort();
    assert_eq!(
        open,
        vec![
            ("1001".to_owned(), "250.00".to_owned()),
            ("1002".to_owned(), "180.00".to_owned()),
            ("WT-88".to_owned(), "50.00".to_owned()),
        ]
    );
}

#[test]
fn xero_sales_invoice_template_day_first() {
    let bytes = data("xero_sales_invoices.csv");
    let book = import(&profile("xero-invoices"), BookFile::new("xero.csv", &bytes)).unwrap();
    // INV-0101: 2 x 150.00 + 60.00 tax, and 4 x 12.50 less 10 % = 405.00.
    // INV-0102: 1.5 x 800.00 + 240.00 tax = 1440.00.
    assert_eq!(
        invoices(&book),
        vec![
            row(
                "INV-0101",
                "Bayside Club",
                "GBP",
                day(2026, 3, 5),
                day(2026, 4, 4),
                "405.00"
            ),
            row(
                "INV-0102",
                "Ridgeway Bank",
                "GBP",
                day(2026, 3, 15),
                day(2026, 4, 14),
                "1440.00"
            ),
        ]
    );
    assert_eq!(
        book.invoices[0]
            .dimensions
            .get("reference")
            .map(String::as_str),
        Some("PO-5")
    );
    assert_eq!(book.customers[1].currency.code(), "GBP");
}

#[test]
fn xero_dates_follow_the_region() {
    let bytes = data("xero_sales_invoices.csv");
    // Read month-first, 15/03/2026 is no date: the row and column say so.
    let e = import(
        &profile("xero-invoices-us"),
        BookFile::new("xero.csv", &bytes),
    )
    .unwrap_err();
    assert_eq!(
        (e.row, e.column.as_str(), e.code.as_str()),
        (4, "*InvoiceDate", "invalid_date")
    );
    assert!(e.message.contains("15/03/2026"), "{}", e.message);
    let us = b"*ContactName,*InvoiceNumber,*InvoiceDate,*DueDate,*Quantity,*UnitAmount,Currency\nA,1,03/05/2026,04/04/2026,1,10.00,USD\n";
    let book = import(&profile("xero-invoices-us"), BookFile::new("us.csv", us)).unwrap();
    assert_eq!(book.invoices[0].date, day(2026, 3, 5));
}

#[test]
fn xero_bad_values_name_their_column() {
    let bad = b"*ContactName,*InvoiceNumber,*InvoiceDate,*DueDate,*Quantity,*UnitAmount,Currency\nA,1,05/03/2026,04/04/2026,two,10.00,GBP\n";
    let e = import(&profile("xero-invoices"), BookFile::new("x.csv", bad)).unwrap_err();
    assert_eq!(
        (e.file.as_str(), e.row, e.column.as_str(), e.code.as_str()),
        ("x.csv", 2, "*Quantity", "invalid_amount")
    );
    assert_eq!(e.family, Family::Format);

    let missing = b"*ContactName,*InvoiceDate,*DueDate,*Quantity,*UnitAmount\nA,05/03/2026,04/04/2026,1,10.00\n";
    let e = import(&profile("xero-invoices"), BookFile::new("x.csv", missing)).unwrap_err();
    assert_eq!(
        (e.row, e.column.as_str(), e.code.as_str()),
        (1, "InvoiceNumber", "missing")
    );

    // Two rows of one invoice for two contacts.
    let mixed = b"*ContactName,*InvoiceNumber,*InvoiceDate,*DueDate,*Quantity,*UnitAmount,Currency\nA,1,05/03/2026,04/04/2026,1,10.00,GBP\nB,1,05/03/2026,04/04/2026,1,10.00,GBP\n";
    let e = import(&profile("xero-invoices"), BookFile::new("x.csv", mixed)).unwrap_err();
    assert_eq!((e.row, e.column.as_str()), (3, "*ContactName"));
}

#[test]
fn an_adjusted_mapping_reads_a_users_variant() {
    let variant = b"Client,Invoice #,Invoice Date,Due Date,Total,Currency\nACME,77,03/02/2026,04/01/2026,12.50,USD\n";
    let p = profile("qbo-invoices")
        .with_column(Field::Customer, "Client")
        .with_column(Field::Document, "Invoice #")
        .with_column(Field::Date, "Invoice Date");
    let book = import(&p, BookFile::new("v.csv", variant)).unwrap();
    assert_eq!(
        invoices(&book),
        vec![row(
            "77",
            "ACME",
            "USD",
            day(2026, 3, 2),
            day(2026, 4, 1),
            "12.50"
        )]
    );
}

#[test]
fn sap_bsid_open_items() {
    let bytes = data("sap_bsid.csv");
    let book = import(
        &profile("sap-open-items"),
        BookFile::new("bsid.csv", &bytes),
    )
    .unwrap();
    // ZFBDT 2026-03-01 + the longest term (ZBD2T 30 days) = 2026-03-31;
    // ZFBDT 2026-03-15 + ZBD3T 45 days = 2026-04-29.
    assert_eq!(
        invoices(&book),
        vec![
            row(
                "0090000123",
                "0000004711",
                "EUR",
                day(2026, 3, 1),
                day(2026, 3, 31),
                "1190.00"
            ),
            row(
                "0090000124",
                "0000004711",
                "EUR",
                day(2026, 3, 10),
                day(2026, 4, 29),
                "595.00"
            ),
        ]
    );
    assert_eq!(
        book.invoices[0]
            .dimensions
            .get("reference")
            .map(String::as_str),
        Some("INV-123")
    );
    assert_eq!(
        book.invoices[0]
            .dimensions
            .get("company_code")
            .map(String::as_str),
        Some("1000")
    );
    // H with document type DZ: a payment on account; H otherwise: a credit.
    assert_eq!(book.receipts.len(), 1);
    assert_eq!(
        (book.receipts[0].id.as_str(), book.receipts[0].amount),
        ("1400000050", dec("200.00"))
    );
    assert_eq!(book.receipts[0].remittance, "payment on account");
    assert_eq!(book.credit_memos.len(), 1);
    assert_eq!(
        (
            book.credit_memos[0].id.as_str(),
            book.credit_memos[0].customer.as_str(),
            book.credit_memos[0].amount
        ),
        ("1700000007", "0000004712", dec("50.00"))
    );
    assert_eq!(book.customers.len(), 2);

    let ledger = book.ledger(recorded()).unwrap();
    let balances = ledger.balances(&View::all());
    let b4711 = balances
        .iter()
        .find(|b| {
            b.customer
                .as_ref()
                .is_some_and(|c| c.as_str() == "0000004711")
        })
        .unwrap();
    assert_eq!(
        (b4711.invoices, b4711.unapplied_cash, b4711.net),
        (dec("1785.00"), dec("200.00"), dec("1585.00"))
    );
}

#[test]
fn sap_fbl5n_german_spreadsheet() {
    let bytes = data("sap_fbl5n.csv");
    let book = import(&profile("sap-fbl5n"), BookFile::new("fbl5n.csv", &bytes)).unwrap();
    assert_eq!(
        invoices(&book),
        vec![row(
            "0090000123",
            "0000004711",
            "EUR",
            day(2026, 3, 1),
            day(2026, 3, 31),
            "1190.00"
        )]
    );
    assert_eq!(book.receipts[0].amount, dec("200.00"));

    let bad = b"BUKRS;KUNNR;BELNR;BLDAT;WAERS;WRBTR;SHKZG\n1000;1;9;01.03.2026;EUR;1.190.00;S\n";
    let e = import(&profile("sap-fbl5n"), BookFile::new("f.csv", bad)).unwrap_err();
    assert_eq!(
        (e.row, e.column.as_str(), e.code.as_str()),
        (2, "WRBTR", "invalid_amount")
    );
}

#[test]
fn netsuite_saved_search() {
    let bytes = data("netsuite_transactions.csv");
    let book = import(&profile("netsuite"), BookFile::new("ns.csv", &bytes)).unwrap();
    assert_eq!(
        invoices(&book),
        vec![
            row(
                "INV10045",
                "Wayne Enterprises",
                "USD",
                day(2026, 3, 2),
                day(2026, 4, 1),
                "2500.00"
            ),
            row(
                "INV10046",
                "Stark Industries",
                "USD",
                day(2026, 3, 9),
                day(2026, 4, 8),
                "750.00"
            ),
        ]
    );
    let r = &book.receipts[0];
    assert_eq!(
        (r.id.as_str(), r.amount, r.method, r.remittance.as_str()),
        ("PYMT2201", dec("2000.00"), PaymentMethod::Ach, "INV10045")
    );
    assert_eq!(
        book.warnings,
        vec!["ns.csv: 1 rows of type \"Journal\" skipped".to_owned()]
    );

    let open = import(
        &Profile {
            open_items: true,
            ..profile("netsuite")
        },
        BookFile::new("ns.csv", &bytes),
    )
    .unwrap();
    assert_eq!(
        open.invoices
            .iter()
            .map(|i| (i.id.as_str(), i.amount))
            .collect::<Vec<_>>(),
        vec![("INV10045", dec("500.00")), ("INV10046", dec("750.00"))]
    );
    assert!(open.receipts.is_empty());
}

/// Acme (USD, net 30): INV-1 of 2026-03-01 with Widgets 10 x 125.00 taxed
/// 8 % and Installation 4 x 95.00 untaxed (1730.00); R-1 of 1000.00 by wire
/// with 800.00 applied to INV-1.
fn small_ledger() -> Ledger {
    let meta = CommandMeta::at(recorded());
    let mut l = Ledger::new();
    let usd = Currency::new("USD").unwrap();
    let acme = CustomerId::new("ACME").unwrap();
    l.execute(
        Command::RegisterCustomer {
            customer: Customer::new(acme.clone(), "Acme Corp", usd)
                .with_terms("net 30".parse().unwrap()),
        },
        &meta,
    )
    .unwrap();
    let mut inv = NewInvoice::new(
        InvoiceId::new("INV-1").unwrap(),
        acme.clone(),
        day(2026, 3, 1),
        vec![
            InvoiceLine::new("Widgets", dec("10"), dec("125.00")).with_tax("US", dec("8")),
            InvoiceLine::new("Installation", dec("4"), dec("95.00")),
        ],
    );
    inv.po_number = Some("PO-9".into());
    l.execute(Command::IssueInvoice { invoice: inv }, &meta)
        .unwrap();
    l.execute(
        Command::RecordReceipt {
            receipt: Receipt {
                id: ReceiptId::new("R-1").unwrap(),
                customer: Some(acme),
                date: day(2026, 3, 20),
                amount: dec("1000.00"),
                currency: usd,
                method: PaymentMethod::Wire,
                reference: Some("WT-1".into()),
                remittance: String::new(),
                payer_name: None,
                payer_account: None,
            },
        },
        &meta,
    )
    .unwrap();
    l.execute(
        Command::Apply {
            id: None,
            source: Source::Receipt(ReceiptId::new("R-1").unwrap()),
            invoice: InvoiceId::new("INV-1").unwrap(),
            installment: None,
            amount: dec("800.00"),
            discount: Decimal::ZERO,
            date: day(2026, 3, 20),
        },
        &meta,
    )
    .unwrap();
    l
}

#[test]
fn invoices_export_in_the_quickbooks_layout_and_read_back() {
    let l = small_ledger();
    let csv = export_invoices(
        &l,
        &View::all(),
        Layout::QuickBooks,
        &ExportOptions::for_layout(Layout::QuickBooks),
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(csv.clone()).unwrap(),
        "InvoiceNo,Customer,InvoiceDate,DueDate,Memo,ItemDescription,ItemQuantity,ItemRate,ItemAmount,ItemTaxCode,ItemTaxAmount,Currency\n\
         INV-1,Acme Corp,03/01/2026,03/31/2026,PO-9,Widgets,10,125.00,1250.00,US,100.00,USD\n\
         INV-1,Acme Corp,03/01/2026,03/31/2026,PO-9,Installation,4,95.00,380.00,,,USD\n"
    );
    let book = import(&profile("qbo-invoices"), BookFile::new("out.csv", &csv)).unwrap();
    assert_eq!(
        invoices(&book),
        vec![row(
            "INV-1",
            "Acme Corp",
            "USD",
            day(2026, 3, 1),
            day(2026, 3, 31),
            "1730.00"
        )]
    );
}

#[test]
fn invoices_export_in_the_xero_layout_and_read_back() {
    let l = small_ledger();
    let csv = export_invoices(
        &l,
        &View::all(),
        Layout::Xero,
        &ExportOptions::for_layout(Layout::Xero),
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(csv.clone()).unwrap(),
        "*ContactName,*InvoiceNumber,Reference,*InvoiceDate,*DueDate,Description,*Quantity,*UnitAmount,Discount,*AccountCode,*TaxType,TaxAmount,Currency\n\
         Acme Corp,INV-1,PO-9,01/03/2026,31/03/2026,Widgets,10,125.00,,200,US,100.00,USD\n\
         Acme Corp,INV-1,PO-9,01/03/2026,31/03/2026,Installation,4,95.00,,200,Tax Exempt,,USD\n"
    );
    let book = import(&profile("xero-invoices"), BookFile::new("out.csv", &csv)).unwrap();
    assert_eq!(
        invoices(&book),
        vec![row(
            "INV-1",
            "Acme Corp",
            "USD",
            day(2026, 3, 1),
            day(2026, 3, 31),
            "1730.00"
        )]
    );
}

#[test]
fn payments_export_a_row_per_invoice_and_one_for_the_rest() {
    let l = small_ledger();
    let qbo = export_payments(
        &l,
        &View::all(),
        Layout::QuickBooks,
        &ExportOptions::for_layout(Layout::QuickBooks),
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(qbo.clone()).unwrap(),
        "Date,Ref no.,Customer,Payment method,Invoice no.,Amount,Memo,Currency\n\
         03/20/2026,R-1,Acme Corp,wire,INV-1,800.00,,USD\n\
         03/20/2026,R-1,Acme Corp,wire,,200.00,,USD\n"
    );
    let back = import(&profile("qbo-payments"), BookFile::new("p.csv", &qbo)).unwrap();
    assert_eq!(
        (back.receipts[0].amount, back.receipts[0].method),
        (dec("1000.00"), PaymentMethod::Wire)
    );
    assert_eq!(back.applications.len(), 1);
    assert_eq!(back.applications[0].amount, dec("800.00"));

    let xero = export_payments(
        &l,
        &View::all(),
        Layout::Xero,
        &ExportOptions::for_layout(Layout::Xero),
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(xero).unwrap(),
        "*ContactName,*InvoiceNumber,*PaymentDate,*Amount,Reference,Currency,PaymentId\n\
         Acme Corp,INV-1,20/03/2026,800.00,WT-1,USD,R-1\n\
         Acme Corp,,20/03/2026,200.00,WT-1,USD,R-1\n"
    );
}

#[test]
fn the_journal_as_csv_balances() {
    let l = small_ledger();
    let journal = l
        .journal(
            &ar_core::accounting::JournalOptions::default(),
            &View::all(),
        )
        .unwrap();
    let t = ar_formats::reports::journal(&journal).unwrap();
    let csv = String::from_utf8(t.to_csv().unwrap()).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "seq,date,event,subject,account,role,document,cur,debit,credit"
    );
    // The invoice: receivable 1730.00 against revenue 1250.00 and 380.00
    // and tax 100.00.
    let invoice: Vec<(String, String, String)> = lines
        .iter()
        .filter(|l| l.contains(",invoice_issued,"))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[5].to_owned(), f[8].to_owned(), f[9].to_owned())
        })
        .collect();
    for expected in [
        ("receivable", "1730.00", "0.00"),
        ("revenue", "0.00", "1250.00"),
        ("revenue", "0.00", "380.00"),
        ("tax_payable", "0.00", "100.00"),
    ] {
        let e = (
            expected.0.to_owned(),
            expected.1.to_owned(),
            expected.2.to_owned(),
        );
        assert!(invoice.contains(&e), "{e:?} not in {invoice:?}");
    }
    // One total row, debits equal to credits.
    assert_eq!(t.totals.len(), 1);
    assert_eq!(t.totals[0][8], t.totals[0][9]);
}

#[test]
fn bad_options_are_errors_not_panics() {
    let l = small_ledger();
    let options = ExportOptions {
        date_format: "%Q".to_owned(),
        ..ExportOptions::for_layout(Layout::Xero)
    };
    let e = export_invoices(&l, &View::all(), Layout::Xero, &options).unwrap_err();
    assert_eq!(e.table, "invoices");
    assert!(export_payments(&l, &View::all(), Layout::QuickBooks, &options).is_err());

    let p = Profile {
        delimiter: '\u{00A7}',
        ..profile("netsuite")
    };
    let e = import(&p, BookFile::new("ns.csv", b"Type\n")).unwrap_err();
    assert_eq!(
        (e.file.as_str(), e.code.as_str()),
        ("ns.csv", "invalid_value")
    );
    // A date format chrono cannot read fails each date, not the program.
    let p = Profile {
        date_format: "%Q".to_owned(),
        ..profile("netsuite")
    };
    let bytes = data("netsuite_transactions.csv");
    let e = import(&p, BookFile::new("ns.csv", &bytes)).unwrap_err();
    assert_eq!(
        (e.row, e.column.as_str(), e.code.as_str()),
        (2, "Date", "invalid_date")
    );
}

#[test]
fn a_reports_title_lines_are_skipped_and_rows_keep_their_line_numbers() {
    let bytes = data("qbo_invoice_list_report.csv");
    let book = import(&usd_profile("qbo-invoices"), BookFile::new("r.csv", &bytes)).unwrap();
    assert_eq!(
        book.invoices
            .iter()
            .map(|i| (i.id.as_str(), i.origin.row))
            .collect::<Vec<_>>(),
        vec![("1001", 6), ("1002", 7), ("1004", 9)]
    );
    // An error below the title names the line of the whole file.
    let text = String::from_utf8(bytes)
        .unwrap()
        .replace("480.00,480.00", "4S0.00,480.00");
    let e = import(
        &usd_profile("qbo-invoices"),
        BookFile::new("r.csv", text.as_bytes()),
    )
    .unwrap_err();
    assert_eq!((e.row, e.column.as_str()), (7, "Amount"));
}

#[test]
fn sap_rows_need_their_debit_credit_indicator() {
    let bsid = b"BUKRS,KUNNR,BELNR,BLDAT,WAERS,WRBTR,SHKZG\n1000,4711,1,20260301,EUR,12.00,S\n1000,4711,2,20260302,EUR,5.00,\n";
    let e = import(&profile("sap-open-items"), BookFile::new("bsid.csv", bsid)).unwrap_err();
    assert_eq!(
        (e.row, e.column.as_str(), e.code.as_str()),
        (3, "SHKZG", "missing")
    );
}
