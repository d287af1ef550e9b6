//! The `ar` binary run on fixtures: the bundled sample book, small books
//! under `tests/data/`, and the accounting-system files of ar-formats.
//! Expected figures are written out by hand (the sample's are those of
//! `examples/expected/demo.txt`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn sample() -> String {
    root().join("examples/data/sample").display().to_string()
}

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
        .display()
        .to_string()
}

fn ar(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ar"))
        .args(args)
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> String {
    let out = ar(args);
    assert!(
        out.status.success(),
        "ar {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(args: &[&str]) -> (i32, String) {
    let out = ar(args);
    assert!(!out.status.success(), "ar {args:?} succeeded");
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ar-cli-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_subcommand_has_help() {
    for sub in [
        "import",
        "match",
        "aging",
        "metrics",
        "open-items",
        "balances",
        "journal",
        "reconcile-bank",
        "export",
        "statements",
        "dunning",
    ] {
        let out = ok(&[sub, "--help"]);
        assert!(out.contains("Usage: ar"), "{sub}: {out}");
    }
    let top = ok(&["--help"]);
    assert!(top.contains("Exit codes: 0 success"), "{top}");
}

#[test]
fn open_items_of_the_sample_are_the_demos() {
    let out = ok(&["open-items", &sample(), "--as-of", "2026-11-23"]);
    let expected = "\
Open items as of 2026-11-23
kind            id         customer   cur due                open
invoice         INV-1002   ACME       USD 2026-10-20       402.19
invoice         INV-1004   GLOBEX     USD 2026-11-15      1000.00
invoice         INV-1007   NAKATOMI   JPY 2026-11-09        10264
credit_memo     CM-302     GLOBEX     USD -                150.00
unapplied_cash  R-503      INITECH    EUR -                 72.00
unapplied_cash  R-504      (unknown)  USD -                500.00
-----------------------------------------------------------------
Net             -          -          EUR -                -72.00
Net             -          -          JPY -                 10264
Net             -          -          USD -                752.19
";
    assert_eq!(out, expected);
}

#[test]
fn aging_of_the_sample_as_csv() {
    let out = ok(&["aging", &sample(), "--as-of", "2026-11-23", "--csv"]);
    // USD: INV-1004 (8 days late) 1000.00, INV-1002 (34 days) 402.19;
    // JPY: INV-1007 (14 days) 10264; EUR: only R-503's 72.00 of cash.
    assert_eq!(
        out,
        "book,cur,current,1-30,31-60,61-90,91-120,over 120,total,credits,cash,net,items\n\
         all,USD,0.00,1000.00,402.19,0.00,0.00,0.00,1402.19,150.00,500.00,752.19,2\n\
         all,JPY,0,10264,0,0,0,0,10264,0,0,10264,1\n\
         all,EUR,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,72.00,-72.00,0\n"
    );
}

#[test]
fn balances_by_customer() {
    let out = ok(&["balances", &sample(), "--as-of", "2026-11-23", "--csv"]);
    assert!(
        out.contains("GLOBEX,USD,1000.00,0.00,150.00,850.00\n"),
        "{out}"
    );
    assert!(
        out.contains("(unknown),USD,0.00,500.00,0.00,-500.00\n"),
        "{out}"
    );
}

#[test]
fn match_proposes_then_applies_what_is_automatic() {
    let book = data("match");
    let out = ok(&["match", &book, "--csv"]);
    let line = out.lines().nth(1).unwrap();
    assert!(line.starts_with("R-9,2026-03-20,USD,250.00,auto,"), "{out}");
    assert!(line.contains(",ACME,INV-9,250.00,0.00,0.00,0.00,"), "{out}");

    let dir = temp_dir("match");
    let log = dir.join("matched.json").display().to_string();
    ok(&["match", &book, "--apply", "-o", &log]);
    let open = ok(&["open-items", &log, "--as-of", "2026-04-30", "--csv"]);
    assert_eq!(
        open,
        "kind,id,customer,cur,due,open\ninvoice,INV-10,ACME,USD,2026-04-01,100.00\n"
    );
    // --apply without --out is a usage error.
    let (code, _) = fails(&["match", &book, "--apply"]);
    assert_eq!(code, 2);
}

#[test]
fn reconcile_bank_on_an_mt940_statement() {
    let out = ok(&[
        "reconcile-bank",
        &sample(),
        "--bank",
        &data("sample-eur.sta"),
        "--csv",
    ]);
    assert_eq!(
        out,
        "status,cur,bank_date,bank_amount,bank_ref,payer,receipt,book_date,book_amount,book_ref,basis\n\
         matched,EUR,2026-10-30,1500.00,BANK-1,,R-503,2026-10-30,1500.00,SEPA-9912,reference\n\
         bank_only,EUR,2026-10-31,99.00,BANK-2,,,,,,\n"
    );
}

#[test]
fn import_an_accounting_export_and_a_bank_file_into_a_log() {
    let dir = temp_dir("import");
    let log = dir.join("book.json").display().to_string();
    let xero = root().join("ar-formats/tests/data/systems/xero_sales_invoices.csv");
    let out = ok(&[
        "import",
        "--profile",
        "xero-invoices",
        "--file",
        &xero.display().to_string(),
        "--bank",
        &data("sample-eur.sta"),
        "-o",
        &log,
    ]);
    assert!(
        out.contains(
            "2 customers, 2 invoices, 0 credit memos, 0 receipts, 0 applications, 2 bank receipts"
        ),
        "{out}"
    );
    let open = ok(&["open-items", &log, "--as-of", "2026-11-30", "--csv"]);
    assert_eq!(
        open,
        "kind,id,customer,cur,due,open\n\
         invoice,INV-0101,Bayside Club,GBP,2026-04-04,405.00\n\
         invoice,INV-0102,Ridgeway Bank,GBP,2026-04-14,1440.00\n\
         unapplied_cash,sample-eur-1,(unknown),EUR,,1500.00\n\
         unapplied_cash,sample-eur-2,(unknown),EUR,,99.00\n"
    );
}

#[test]
fn import_with_quickbooks_needs_a_currency() {
    let dir = temp_dir("qbo");
    let log = dir.join("qbo.json").display().to_string();
    let qbo = root()
        .join("ar-formats/tests/data/systems/qbo_invoice_list.csv")
        .display()
        .to_string();
    let (code, err) = fails(&[
        "import",
        "--profile",
        "qbo-invoices",
        "--file",
        &qbo,
        "-o",
        &log,
    ]);
    assert_eq!(code, 4);
    assert!(
        err.contains("qbo_invoice_list.csv: row 2, column \"Currency\""),
        "{err}"
    );
    let out = ok(&[
        "import",
        "--profile",
        "qbo-invoices",
        "--currency",
        "usd",
        "--file",
        &qbo,
        "-o",
        &log,
    ]);
    assert!(out.contains("2 customers, 3 invoices"), "{out}");
}

#[test]
fn export_xlsx_has_a_sheet_per_report() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let dir = temp_dir("xlsx");
    let path = dir.join("reports.xlsx");
    ok(&[
        "export",
        &sample(),
        "--format",
        "xlsx",
        "--as-of",
        "2026-11-23",
        "-o",
        &path.display().to_string(),
    ]);
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec!["aging", "open_items", "balances", "journal"]
    );
    let open = wb.worksheet_range("open_items").unwrap();
    assert_eq!(
        open.get_value((2, 1)),
        Some(&Data::String("INV-1002".into()))
    );
    assert_eq!(open.get_value((2, 5)), Some(&Data::Float(402.19)));
    assert_eq!(open.get_value((4, 5)), Some(&Data::Float(10264.0)));
}

#[test]
fn export_csv_and_the_xero_layout() {
    let dir = temp_dir("csv");
    let path = dir.join("balances.csv");
    ok(&[
        "export",
        &sample(),
        "--format",
        "csv",
        "--report",
        "balances",
        "--as-of",
        "2026-11-23",
        "-o",
        &path.display().to_string(),
    ]);
    let csv = std::fs::read_to_string(&path).unwrap();
    assert!(
        csv.starts_with(
            "customer,cur,invoices,cash,credits,net\nACME,USD,402.19,0.00,0.00,402.19\n"
        ),
        "{csv}"
    );

    let path = dir.join("xero.csv");
    ok(&[
        "export",
        &sample(),
        "--format",
        "csv",
        "--report",
        "invoices",
        "--layout",
        "xero",
        "-o",
        &path.display().to_string(),
    ]);
    let csv = std::fs::read_to_string(&path).unwrap();
    assert!(
        csv.contains(
            "\nNakatomi Trading,INV-1007,,10/10/2026,09/11/2026,,1,10264,,200,Tax Exempt,,JPY\n"
        ),
        "{csv}"
    );

    // Two reports do not fit one CSV file.
    let (code, _) = fails(&[
        "export",
        &sample(),
        "--format",
        "csv",
        "--report",
        "aging",
        "--report",
        "balances",
        "-o",
        &path.display().to_string(),
    ]);
    assert_eq!(code, 2);
}

#[test]
fn journal_balances_per_currency() {
    let out = ok(&["journal", &sample(), "--csv"]);
    assert!(
        out.starts_with("seq,date,event,subject,account,role,document,cur,debit,credit\n"),
        "{out}"
    );
    assert!(
        out.contains(
            ",2026-09-01,invoice_issued,INV-1001,receivable,receivable,INV-1001,USD,1720.63,0.00\n"
        ),
        "{out}"
    );
}

#[test]
fn metrics_over_a_period() {
    let out = ok(&[
        "metrics",
        &sample(),
        "--from",
        "2026-09-01",
        "--to",
        "2026-11-30",
    ]);
    assert!(
        out.starts_with("Metrics 2026-09-01 to 2026-11-30\n"),
        "{out}"
    );
    // USD: AR 1800.00 on 2026-09-01 (INV-1003), 1402.19 at the end.
    assert!(
        out.lines()
            .any(|l| l.starts_with("all        USD   91  1800.00 1402.19")),
        "{out}"
    );
}

#[test]
fn exit_codes_follow_the_error_family() {
    // I/O.
    let (code, err) = fails(&["aging", "/nonexistent/book"]);
    assert_eq!(code, 3, "{err}");
    // Format: the file, row and column.
    let (code, err) = fails(&["aging", &data("bad")]);
    assert_eq!(code, 4);
    assert!(
        err.contains("invoices.csv: row 3, column \"amount\""),
        "{err}"
    );
    assert!(err.contains("(invalid_amount)"), "{err}");
    // Usage.
    let (code, _) = fails(&["aging"]);
    assert_eq!(code, 2);
    let (code, _) = fails(&[
        "import",
        "--profile",
        "lotus-123",
        "--file",
        "x.csv",
        "-o",
        "y.json",
    ]);
    assert_eq!(code, 2);
    // A log that is not one.
    let dir = temp_dir("codes");
    let bad_log = dir.join("bad.json");
    std::fs::write(&bad_log, "{\"events\": 7}").unwrap();
    let (code, _) = fails(&["aging", &bad_log.display().to_string()]);
    assert_eq!(code, 9);
    // Not found and state: rows the ledger refuses.
    let book = dir.join("book");
    std::fs::create_dir_all(&book).unwrap();
    std::fs::write(
        book.join("customers.csv"),
        "id,name,currency\nACME,Acme,USD\n",
    )
    .unwrap();
    std::fs::write(
        book.join("invoices.csv"),
        "id,customer,date,due_date,amount\nI-1,ACME,2026-03-01,2026-03-31,10.00\n",
    )
    .unwrap();
    std::fs::write(
        book.join("receipts.csv"),
        "id,customer,currency,date,amount\nR-1,ACME,USD,2026-03-02,20.00\n",
    )
    .unwrap();
    std::fs::write(
        book.join("applications.csv"),
        "receipt,invoice,date,amount\nR-1,I-2,2026-03-02,5.00\n",
    )
    .unwrap();
    let (code, err) = fails(&["aging", &book.display().to_string()]);
    assert_eq!(code, 6, "{err}");
    assert!(
        err.contains("applications.csv: row 2, column \"invoice\""),
        "{err}"
    );
    std::fs::write(
        book.join("applications.csv"),
        "receipt,invoice,date,amount\nR-1,I-1,2026-03-02,15.00\n",
    )
    .unwrap();
    let (code, err) = fails(&["aging", &book.display().to_string()]);
    assert_eq!(code, 8, "{err}");
}

#[test]
fn aging_grouped_by_a_dimension_with_its_detail() {
    let out = ok(&[
        "aging",
        &sample(),
        "--as-of",
        "2026-11-23",
        "--group-by",
        "customer.region",
        "--detail",
        "--csv",
    ]);
    // AMER is Globex: INV-1004's 1000.00 eight days late, less CM-302.
    assert!(
        out.contains("\nAMER,USD,0.00,1000.00,0.00,0.00,0.00,0.00,1000.00,150.00,0.00,850.00,1\n"),
        "{out}"
    );
    assert!(
        out.contains("\nEMEA,invoice,INV-1002,USD,2026-09-20,2026-10-20,34,31-60,402.19\n"),
        "{out}"
    );
    // Text prints the report's totals per currency under the groups.
    let text = ok(&[
        "aging",
        &sample(),
        "--as-of",
        "2026-11-23",
        "--group-by",
        "customer",
    ]);
    assert!(
        text.lines().any(|l| l.starts_with("Total      USD")),
        "{text}"
    );
}

#[test]
fn import_with_a_profile_from_a_json_file() {
    let dir = temp_dir("profile");
    // A user's variant of the QuickBooks layout: their own column names.
    let profile = r#"{"name": "ours", "records": "invoices",
        "columns": {"customer": ["Client"], "document": ["Invoice #"], "date": ["Issued"],
                    "due_date": ["Due"], "amount": ["Total"]},
        "date_format": "%Y-%m-%d", "numbers": {"decimal": "."}, "delimiter": ";", "currency": "CHF"}"#;
    let profile_path = dir.join("ours.json");
    std::fs::write(&profile_path, profile).unwrap();
    let file = dir.join("ours.csv");
    std::fs::write(
        &file,
        "Client;Invoice #;Issued;Due;Total\nZEN;Z-1;2026-05-01;2026-05-31;70.05\n",
    )
    .unwrap();
    let log = dir.join("ours.log.json").display().to_string();
    ok(&[
        "import",
        "--profile",
        &profile_path.display().to_string(),
        "--file",
        &file.display().to_string(),
        "-o",
        &log,
    ]);
    let open = ok(&["open-items", &log, "--as-of", "2026-06-30", "--csv"]);
    assert_eq!(
        open,
        "kind,id,customer,cur,due,open\ninvoice,Z-1,ZEN,CHF,2026-05-31,70.05\n"
    );
}

#[test]
fn statements_of_the_sample_as_text_csv_and_html() {
    // GLOBEX in October and November: INV-1003 (1,800.00) brought forward,
    // INV-1004 1,200.00, CM-302 150.00 and R-502 2,000.00: 850.00.
    let base = [
        "statements",
        &sample(),
        "--from",
        "2026-10-01",
        "--to",
        "2026-11-23",
        "--customer",
        "GLOBEX",
    ];
    let csv = ok(&[&base[..], &["--format", "csv"]].concat());
    assert_eq!(
        csv,
        "customer,cur,date,document,description,debit,credit,balance\n\
         GLOBEX,USD,2026-10-01,,Opening balance,,,1800.00\n\
         GLOBEX,USD,2026-10-01,INV-1004,invoice,1200.00,,3000.00\n\
         GLOBEX,USD,2026-10-15,CM-302,credit memo,,150.00,2850.00\n\
         GLOBEX,USD,2026-10-20,R-502,payment,,2000.00,850.00\n\
         GLOBEX,USD,2026-11-23,,Closing balance,,,850.00\n"
    );
    let text = ok(&[&base[..], &["--company", "Widgets Ltd"]].concat());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Widgets Ltd");
    assert_eq!(
        lines[1],
        "STATEMENT OF ACCOUNT  Globex Inc (GLOBEX)  2026-10-01 to 2026-11-23"
    );
    assert!(
        text.contains("Aging: current 0.00; 1-30 1,000.00;"),
        "{text}"
    );
    // Every customer with anything to show, as HTML written to a file.
    let dir = temp_dir("statements");
    let out = dir.join("statements.html");
    ok(&[
        "statements",
        &sample(),
        "--from",
        "2026-10-01",
        "--to",
        "2026-11-23",
        "--format",
        "html",
        "--out",
        out.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&out).unwrap();
    assert_eq!(html.matches("<section class=\"statement\">").count(), 4);
    let (code, err) = fails(&[&base[..6], &["--customer", "NOBODY"]].concat());
    assert_ne!(code, 0);
    assert!(err.contains("NOBODY"), "{err}");
}

#[test]
fn dunning_of_the_sample() {
    let dir = temp_dir("dunning");
    let setup = dir.join("setup.json");
    std::fs::write(
        &setup,
        r#"{"policies": [{"id": "std", "min_days_between": 7, "levels": [
            {"days": 7, "action": "email", "template": "first"},
            {"days": 30, "action": "letter", "template": "second",
             "fee": [{"currency": "USD", "amount": "10.00"}]}]}],
            "default_policy": "std"}"#,
    )
    .unwrap();
    // On 2026-11-23: INV-1002 is 34 days late (a letter and its 10.00 fee),
    // INV-1004 8 days and INV-1007 14 days (an email each).
    let csv = ok(&[
        "dunning",
        &sample(),
        "--setup",
        setup.to_str().unwrap(),
        "--as-of",
        "2026-11-23",
        "--csv",
    ]);
    assert_eq!(
        csv,
        "customer,cur,level,action,items,overdue,fee,interest,compensation,total,credit hold\n\
         ACME,USD,2,letter,1,402.19,10.00,0.00,0.00,412.19,\n\
         GLOBEX,USD,1,email,1,1000.00,0.00,0.00,0.00,1000.00,\n\
         NAKATOMI,JPY,1,email,1,10264,0,0,0,10264,\n"
    );
    std::fs::write(&setup, "{").unwrap();
    let (code, err) = fails(&["dunning", &sample(), "--setup", setup.to_str().unwrap()]);
    assert_eq!(code, 4);
    assert!(err.contains("not a dunning setup"), "{err}");
}
