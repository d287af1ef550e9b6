//! `Ledger::from_tables`: a book's history given as tables, checked against
//! figures worked by hand, and its errors naming table, column and row.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use ar_core::bulk::{InvoiceColumns, OpenColumns, StrColumn};
use ar_core::chrono::{DateTime, NaiveDate, Utc};
use ar_core::import::{ApplicationColumns, CreditMemoColumns, CustomerTable, LedgerTables};
use ar_core::rust_decimal::Decimal;
use ar_core::*;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn col(v: &[&str]) -> StrColumn {
    v.iter().copied().collect()
}

fn recorded() -> DateTime<Utc> {
    "2026-07-01T09:00:00Z".parse().unwrap()
}

/// ACME (net 30, region N) and BETA (region S).
/// - I1 ACME 05-01 due 05-31 100.00; I2 BETA 05-10 due 06-09 250.00.
/// - CM1 BETA 05-15 50.00 against I2.
/// - R1 ACME 05-20 40.00; R2 BETA 06-01 300.00; R3 (payer unknown) 06-02 10.00.
/// - R1 -> I1 40.00 on 05-20; CM1 -> I2 50.00 on 05-20; R2 -> I2 150.00 on 06-01.
fn history() -> LedgerTables {
    let usd = Currency::new("USD").unwrap();
    LedgerTables {
        customers: CustomerTable {
            id: col(&["ACME", "BETA"]),
            name: col(&["Acme Corp", ""]),
            currency: vec![usd; 2],
            terms: vec![PaymentTerms::net(30), PaymentTerms::net(30)],
            dimensions: vec![("region".into(), col(&["N", "S"]))],
        },
        invoices: InvoiceColumns {
            id: col(&["I1", "I2"]),
            customer: col(&["ACME", "BETA"]),
            currency: vec![usd; 2],
            date: vec![day("2026-05-01"), day("2026-05-10")],
            due_date: vec![day("2026-05-31"), day("2026-06-09")],
            amount: vec![d("100.00"), d("250.00")],
            dimensions: vec![("channel".into(), col(&["web", ""]))],
        },
        credit_memos: CreditMemoColumns {
            id: col(&["CM1"]),
            customer: col(&["BETA"]),
            currency: vec![usd],
            date: vec![day("2026-05-15")],
            amount: vec![d("50.00")],
            against: col(&["I2"]),
        },
        receipts: OpenColumns {
            id: col(&["R1", "R2", "R3"]),
            customer: col(&["ACME", "BETA", ""]),
            currency: vec![usd; 3],
            date: vec![day("2026-05-20"), day("2026-06-01"), day("2026-06-02")],
            amount: vec![d("40.00"), d("300.00"), d("10.00")],
        },
        applications: ApplicationColumns {
            receipt: col(&["R1", "", "R2"]),
            credit_memo: col(&["", "CM1", ""]),
            invoice: col(&["I1", "I2", "I2"]),
            date: vec![day("2026-05-20"), day("2026-05-20"), day("2026-06-01")],
            amount: vec![d("40.00"), d("50.00"), d("150.00")],
            discount: vec![],
        },
        receipt_details: Default::default(),
    }
}

#[test]
fn a_history_imported_as_tables_ages_as_worked_by_hand() {
    let ledger = Ledger::from_tables(&history(), recorded()).unwrap();
    // 2 customers + 2 invoices + 1 memo + 3 receipts + 3 applications.
    assert_eq!(ledger.events().len(), 11);
    assert_eq!(
        ledger
            .customer(&CustomerId::new("ACME").unwrap())
            .unwrap()
            .name,
        "Acme Corp"
    );
    assert_eq!(
        ledger
            .customer(&CustomerId::new("BETA").unwrap())
            .unwrap()
            .name,
        "BETA"
    );
    let a = ledger
        .aging(&AgingOptions {
            group_by: vec!["customer.region".parse().unwrap()],
            ..AgingOptions::new(day("2026-06-30"))
        })
        .unwrap();
    // I1: 100.00 - 40.00 = 60.00, 30 days past due (1-30).
    // I2: 250.00 - 50.00 - 150.00 = 50.00, 21 days past due (1-30).
    // R2 has 300.00 - 150.00 = 150.00 unapplied (BETA); R3's 10.00 has no payer.
    let n = a.rows.iter().find(|r| r.group == ["N"]).unwrap();
    assert_eq!((n.buckets[1], n.unapplied_cash), (d("60.00"), d("0.00")));
    let s = a.rows.iter().find(|r| r.group == ["S"]).unwrap();
    assert_eq!((s.buckets[1], s.unapplied_cash), (d("50.00"), d("150.00")));
    assert_eq!(a.totals[0].total, d("110.00"));
    assert_eq!(a.totals[0].unapplied_cash, d("160.00"));
    assert_eq!(a.totals[0].open_credits, d("0.00"));
    // As of 05-31 R2 is not yet received and I2 owes 200.00 after the memo.
    let may = ledger.aging(&AgingOptions::new(day("2026-05-31"))).unwrap();
    assert_eq!(may.totals[0].total, d("260.00"));
    // The invoice dimension is kept where the row has a value.
    let web = ledger
        .aging(&AgingOptions {
            group_by: vec!["invoice.channel".parse().unwrap()],
            ..AgingOptions::new(day("2026-06-30"))
        })
        .unwrap();
    let groups: Vec<(&str, Decimal)> = web
        .rows
        .iter()
        .map(|r| (r.group[0].as_str(), r.total))
        .collect();
    assert!(groups.contains(&("web", d("60.00"))), "{groups:?}");
    assert!(groups.contains(&("", d("50.00"))), "{groups:?}");
}

#[test]
fn a_bad_row_is_named_by_table_column_and_row() {
    let check = |edit: &dyn Fn(&mut LedgerTables), code: &str, field: &str| {
        let mut t = history();
        edit(&mut t);
        let e = Ledger::from_tables(&t, recorded()).unwrap_err();
        assert_eq!(e.code(), code, "{e}");
        assert!(e.to_string().starts_with(field), "{e}");
    };
    // I2 has 250.00 - 50.00 = 200.00 open when R2 comes: 250.00 exceeds it.
    check(
        &|t| t.applications.amount[2] = d("250.00"),
        "over_application",
        "applications.amount[2]",
    );
    // Applications are read ahead in batches: a row that cannot be read
    // (row 2 names no invoice) is still reported after an earlier row that
    // is refused when executed (row 1 takes 60.00 of CM1's 50.00).
    check(
        &|t| {
            t.applications.amount[1] = d("60.00");
            t.applications.invoice = col(&["I1", "I2", ""]);
        },
        "over_application",
        "applications.amount[1]",
    );
    check(
        &|t| t.applications.invoice = col(&["I1", "I2", ""]),
        "invalid_value",
        "applications.invoice[2]",
    );
    check(
        &|t| t.invoices.customer = col(&["ACME", "GAMMA"]),
        "not_found",
        "invoices.customer[1]",
    );
    check(
        &|t| t.applications.credit_memo = col(&["", "CM9", ""]),
        "not_found",
        "applications.credit_memo[1]",
    );
    check(
        &|t| t.applications.receipt = col(&["R1", "R2", "R2"]),
        "invalid_value",
        "applications.receipt[1]",
    );
    check(
        &|t| t.invoices.due_date[0] = day("2026-04-01"),
        "date_before_document",
        "invoices.due_date[0]",
    );
    check(
        &|t| t.applications.date[0] = day("2026-04-01"),
        "date_before_document",
        "applications.date[0]",
    );
    check(
        &|t| t.invoices.amount[1] = d("-1.00"),
        "invalid_amount",
        "invoices.amount[1]",
    );
    check(
        &|t| t.credit_memos.against = col(&["I9"]),
        "not_found",
        "credit_memos.against[0]",
    );
    check(
        &|t| t.receipts.id = col(&["R1", "R1", "R3"]),
        "duplicate_id",
        "receipts.id[1]",
    );
    check(
        &|t| {
            t.receipts.date.pop();
        },
        "invalid_value",
        "receipts.date",
    );
    check(
        &|t| t.applications.discount = vec![d("1.00")],
        "invalid_value",
        "applications.discount",
    );
}

#[test]
fn amounts_beyond_what_reports_can_sum_are_refused() {
    // Each invoice is 5 x 10^28 cents, within a Decimal; the two together
    // are not: the second is refused and the ledger keeps the first.
    let mut t = history();
    t.invoices.amount = vec![
        d("500000000000000000000000000.00"),
        d("500000000000000000000000000.00"),
    ];
    t.credit_memos = CreditMemoColumns::default();
    t.applications = ApplicationColumns::default();
    let e = Ledger::from_tables(&t, recorded()).unwrap_err();
    assert_eq!(e.code(), "overflow", "{e}");
    assert!(e.to_string().starts_with("invoices.amount[1]"), "{e}");
    // Through commands: refused, and nothing changed.
    let mut first = t.clone();
    first.invoices = InvoiceColumns {
        id: col(&["I1"]),
        customer: col(&["ACME"]),
        currency: vec![t.invoices.currency[0]],
        date: vec![day("2026-05-01")],
        due_date: vec![day("2026-05-31")],
        amount: vec![d("500000000000000000000000000.00")],
        dimensions: vec![],
    };
    first.receipts = OpenColumns::default();
    let mut ledger = Ledger::from_tables(&first, recorded()).unwrap();
    let before = ledger.clone();
    let second = OpeningInvoice {
        id: InvoiceId::new("I2").unwrap(),
        customer: CustomerId::new("BETA").unwrap(),
        date: day("2026-05-10"),
        due_date: day("2026-06-09"),
        currency: None,
        total: d("500000000000000000000000000.00"),
        open: d("500000000000000000000000000.00"),
        po_number: None,
        dimensions: Default::default(),
    };
    let e = ledger
        .execute(
            Command::ImportInvoice {
                invoice: second,
                as_of: day("2026-05-10"),
            },
            &CommandMeta::at(recorded()),
        )
        .unwrap_err();
    assert_eq!(e.code(), "overflow");
    assert_eq!(ledger, before);
    // The same book given as columns is refused when prepared.
    let book = ar_core::bulk::Book {
        invoices: t.invoices.clone(),
        ..Default::default()
    };
    assert_eq!(book.prepare().unwrap_err().code(), "overflow");
}

/// One customer with `n` invoices of 1.00.
fn many(n: usize) -> LedgerTables {
    let usd = Currency::new("USD").unwrap();
    let ids: Vec<String> = (0..n).map(|i| format!("I{i}")).collect();
    LedgerTables {
        customers: CustomerTable {
            id: col(&["ACME"]),
            currency: vec![usd],
            ..CustomerTable::default()
        },
        invoices: InvoiceColumns {
            id: ids.iter().map(String::as_str).collect(),
            customer: std::iter::repeat_n("ACME", n).collect(),
            currency: vec![usd; n],
            date: vec![day("2026-05-01"); n],
            due_date: vec![day("2026-05-31"); n],
            amount: vec![d("1.00"); n],
            dimensions: vec![],
        },
        ..LedgerTables::default()
    }
}

#[test]
fn a_build_and_a_read_back_report_progress_and_stop_when_asked() {
    use std::ops::ControlFlow;
    // 1 customer + 70,000 invoices: one step passed, then the end.
    let tables = many(70_000);
    let mut seen = Vec::new();
    let ledger = Ledger::from_tables_with_progress(&tables, recorded(), &mut |p: Progress| {
        seen.push((p.done, p.total));
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(
        seen[0].0 >= Progress::STEP && seen[0].0 < 70_001,
        "{seen:?}"
    );
    assert_eq!(seen[1], (70_001, 70_001));
    assert_eq!(ledger.events().len(), 70_001);

    // Stopped at the first report: no ledger, and the error says where.
    let err =
        Ledger::from_tables_with_progress(&tables, recorded(), &mut |_| ControlFlow::Break(()))
            .unwrap_err();
    assert_eq!(err.code(), "interrupted");
    assert_eq!(err.family(), ErrorFamily::State);
    match err {
        Error::Interrupted { done, total } => {
            assert_eq!(total, 70_001);
            assert!((Progress::STEP..70_001).contains(&done), "{done}");
        }
        other => panic!("{other:?}"),
    }

    // Reading the log back counts events (a small log: its one report is
    // the end's, and stopping there still makes nothing).
    let ledger = Ledger::from_tables(&history(), recorded()).unwrap();
    let json = ledger.to_json().unwrap();
    let mut last = (0, 0);
    let again = Ledger::from_json_with_progress(&json, &mut |p: Progress| {
        last = (p.done, p.total);
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(last, (11, 11));
    assert_eq!(again, ledger);
    let err = Ledger::from_json_with_progress(&json, &mut |_| ControlFlow::Break(())).unwrap_err();
    assert_eq!(err.code(), "interrupted");
}

#[test]
fn receipts_keep_their_remittance_reference_method_and_payer() {
    let mut t = history();
    t.receipt_details = ar_core::import::ReceiptDetailColumns {
        remittance: col(&["I1", "", "payment I2"]),
        reference: col(&["", "CHK 1001", ""]),
        method: col(&["ach", "check", ""]),
        payer_name: col(&["", "", "BETA LLC"]),
        payer_account: col(&["", "", "GB29 NWBK 6016 1331 9268 19"]),
    };
    let ledger = Ledger::from_tables(&t, recorded()).unwrap();
    let inputs = ledger.match_receipt_inputs(&View::all());
    let r3 = inputs.iter().find(|r| r.id == "R3").unwrap();
    assert_eq!(r3.remittance, "payment I2");
    assert_eq!(r3.payer_name.as_deref(), Some("BETA LLC"));
    assert_eq!(r3.account.as_deref(), Some("GB29 NWBK 6016 1331 9268 19"));
    // R2 (BETA, 300.00 less 150.00 applied) keeps its check reference,
    // which the matcher reads as the account it came from.
    let r2 = inputs.iter().find(|r| r.id == "R2").unwrap();
    assert_eq!(r2.account.as_deref(), Some("CHK 1001"));
    let json = ledger.to_json().unwrap();
    assert!(json.contains(r#""method":"check""#), "{json}");
    assert!(json.contains(r#""payer_name":"BETA LLC""#));

    // A method that is not one names its row; a column of another length
    // names the column.
    let mut bad = history();
    bad.receipt_details.method = col(&["ach", "telegraph", ""]);
    let e = Ledger::from_tables(&bad, recorded()).unwrap_err();
    assert_eq!(e.code(), "invalid_value");
    assert!(e.to_string().starts_with("receipts.method[1]"), "{e}");
    let mut short = history();
    short.receipt_details.remittance = col(&["I1"]);
    let e = Ledger::from_tables(&short, recorded()).unwrap_err();
    assert!(e.to_string().starts_with("receipts.remittance"), "{e}");
}
