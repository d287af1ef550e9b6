//! Statements of account worked by hand: every kind of movement, the
//! running balance, opening plus movements equal to closing, and the
//! aging summary equal to the aging report's.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use ar_core::*;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}
fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}
fn usd() -> Currency {
    Currency::new("USD").unwrap()
}
fn eur() -> Currency {
    Currency::new("EUR").unwrap()
}
fn acme() -> CustomerId {
    CustomerId::new("ACME").unwrap()
}

struct Book {
    l: Ledger,
    t: DateTime<Utc>,
}

impl Book {
    fn run(&mut self, c: Command) -> Outcome {
        self.t += chrono::Duration::minutes(1);
        self.l.execute(c, &CommandMeta::at(self.t)).unwrap()
    }
    fn invoice(&mut self, id: &str, date: &str, amount: &str, currency: Option<Currency>) {
        let mut inv = NewInvoice::new(
            InvoiceId::new(id).unwrap(),
            acme(),
            day(date),
            vec![InvoiceLine::new("x", Decimal::ONE, d(amount))],
        );
        inv.currency = currency;
        inv.terms = Some("2/10 net 30".parse().unwrap());
        self.run(Command::IssueInvoice { invoice: inv });
    }
    fn receipt(&mut self, id: &str, date: &str, amount: &str, customer: bool) {
        let mut r = Receipt::new(ReceiptId::new(id).unwrap(), day(date), usd(), d(amount));
        if customer {
            r = r.with_customer(acme());
        }
        self.run(Command::RecordReceipt { receipt: r });
    }
    fn apply(&mut self, r: &str, inv: &str, date: &str, amount: &str, discount: &str) -> Outcome {
        let a = NewApplication::new(
            Source::Receipt(ReceiptId::new(r).unwrap()),
            InvoiceId::new(inv).unwrap(),
            d(amount),
            day(date),
        )
        .with_discount(d(discount));
        self.run(a.into())
    }
}

#[test]
fn a_statement_of_every_kind_of_movement() {
    let mut b = Book {
        l: Ledger::new(),
        t: "2026-01-01T00:00:00Z".parse().unwrap(),
    };
    b.run(Command::RegisterCustomer {
        customer: Customer::new(acme(), "Acme Corp", usd()),
    });
    // Before the period: INV-0 of 300.00, 100.00 paid: 200.00 brought
    // forward.
    b.invoice("INV-0", "2026-02-10", "300.00", None);
    b.receipt("R-0", "2026-02-20", "100.00", true);
    b.apply("R-0", "INV-0", "2026-02-20", "100.00", "0");
    // March.
    b.invoice("INV-1", "2026-03-02", "1000.00", None); //  +1000.00 -> 1200.00
    b.receipt("R-1", "2026-03-05", "980.00", true); //     -980.00 ->  220.00
    b.apply("R-1", "INV-1", "2026-03-05", "980.00", "20.00"); // discount -20.00 -> 200.00
    b.run(Command::IssueCreditMemo {
        // -50.00 -> 150.00
        id: CreditMemoId::new("CM-1").unwrap(),
        customer: acme(),
        date: day("2026-03-08"),
        currency: None,
        against: Some(InvoiceId::new("INV-0").unwrap()),
        kind: CreditKind::Amount { amount: d("50.00") },
        reason: "damaged".into(),
    });
    b.invoice("INV-2", "2026-03-10", "40.00", None); // +40.00 -> 190.00
    b.run(Command::VoidInvoice {
        // -40.00 -> 150.00
        invoice: InvoiceId::new("INV-2").unwrap(),
        date: day("2026-03-11"),
        reason: "duplicate".into(),
    });
    b.invoice("INV-3", "2026-03-12", "25.00", None); // +25.00 -> 175.00
    b.run(Command::WriteOff {
        // -25.00 -> 150.00
        id: Some(WriteOffId::new("WO-1").unwrap()),
        invoice: InvoiceId::new("INV-3").unwrap(),
        installment: None,
        amount: None,
        date: day("2026-03-15"),
        reason: "small balance".into(),
    });
    b.run(Command::ReverseWriteOff {
        // +25.00 -> 175.00
        write_off: WriteOffId::new("WO-1").unwrap(),
        date: day("2026-03-16"),
        reason: "customer will pay".into(),
    });
    // 60.00 from a payer named on the 18th: -60.00 -> 115.00; then 10.00
    // of it refunded: +10.00 -> 125.00.
    b.receipt("R-2", "2026-03-17", "60.00", false);
    b.run(Command::AssignPayer {
        receipt: ReceiptId::new("R-2").unwrap(),
        customer: acme(),
        date: day("2026-03-18"),
    });
    b.run(Command::Refund {
        id: None,
        source: Source::Receipt(ReceiptId::new("R-2").unwrap()),
        amount: d("10.00"),
        date: day("2026-03-20"),
        method: PaymentMethod::Check,
        reason: "overpaid".into(),
    });
    // A EUR invoice: a section of its own.
    b.invoice("E-1", "2026-03-25", "70.00", Some(eur()));
    // After the period: not on it.
    b.receipt("R-9", "2026-04-02", "5.00", true);

    let s =
        b.l.statement(
            &acme(),
            &StatementOptions::new(day("2026-03-01"), day("2026-03-31")),
        )
        .unwrap();
    assert_eq!(s.name, "Acme Corp");
    assert_eq!(s.sections.len(), 2);
    let usd_part = &s.sections.iter().find(|x| x.currency == usd()).unwrap();
    assert_eq!(usd_part.opening, d("200.00"));
    let got: Vec<(String, &str, String, String)> = usd_part
        .entries
        .iter()
        .map(|e| {
            (
                e.date.to_string(),
                e.kind.name(),
                e.amount.to_string(),
                e.balance.to_string(),
            )
        })
        .collect();
    let want = [
        ("2026-03-02", "invoice", "1000.00", "1200.00"),
        ("2026-03-05", "payment", "-980.00", "220.00"),
        ("2026-03-05", "discount", "-20.00", "200.00"),
        ("2026-03-08", "credit_memo", "-50.00", "150.00"),
        ("2026-03-10", "invoice", "40.00", "190.00"),
        ("2026-03-11", "invoice_voided", "-40.00", "150.00"),
        ("2026-03-12", "invoice", "25.00", "175.00"),
        ("2026-03-15", "write_off", "-25.00", "150.00"),
        ("2026-03-16", "write_off_reversed", "25.00", "175.00"),
        ("2026-03-18", "payment", "-60.00", "115.00"),
        ("2026-03-20", "refund", "10.00", "125.00"),
    ];
    let want: Vec<(String, &str, String, String)> = want
        .iter()
        .map(|(a, b, c, e)| (a.to_string(), *b, c.to_string(), e.to_string()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(usd_part.closing, d("125.00"));
    // The discount names the invoice it was taken on.
    let discount = &usd_part.entries[2];
    assert_eq!(discount.document, "R-1");
    assert_eq!(discount.reference.as_deref(), Some("INV-1"));
    assert_eq!((discount.debit(), discount.credit()), (d("0"), d("20.00")));
    // Open at the end: INV-0 200.00 - 50.00 credit memo not applied, so
    // INV-0 200.00, INV-3 25.00, CM-1 50.00 credit, R-2 50.00 cash.
    let open: Vec<(String, String)> = usd_part
        .open_items
        .iter()
        .map(|i| (i.id.clone(), i.open.to_string()))
        .collect();
    assert_eq!(
        open,
        [
            ("INV-0".to_string(), "200.00".to_string()),
            ("INV-3".to_string(), "25.00".to_string()),
            ("CM-1".to_string(), "50.00".to_string()),
            ("R-2".to_string(), "50.00".to_string()),
        ]
    );
    // The aging summary is the aging report's row of ACME in USD.
    let aging = b.l.aging(&AgingOptions::new(day("2026-03-31"))).unwrap();
    let row = aging
        .rows
        .iter()
        .find(|r| r.group == ["ACME"] && r.currency == usd())
        .unwrap();
    assert_eq!(usd_part.aging.as_ref(), Some(row));
    assert_eq!(row.net, d("125.00"));
    // INV-0 was due 2026-03-12: 19 days late, in 1-30.
    assert_eq!(usd_part.open_items[0].days, 19);
    let eur_part = &s.sections.iter().find(|x| x.currency == eur()).unwrap();
    assert_eq!(
        (eur_part.opening, eur_part.closing),
        (d("0.00"), d("70.00"))
    );

    // A run gives the same statement; a period that ends before it starts
    // is refused; an unknown customer is not found.
    let all =
        b.l.statements(&StatementOptions::new(day("2026-03-01"), day("2026-03-31")))
            .unwrap();
    assert_eq!(all, vec![s]);
    // Chosen customers, in their order, from the same run; one unknown is
    // not found, as for a single statement.
    let march = StatementOptions::new(day("2026-03-01"), day("2026-03-31"));
    let chosen = b.l.statements_for(&[acme(), acme()], &march).unwrap();
    assert_eq!(chosen, vec![all[0].clone(), all[0].clone()]);
    let err =
        b.l.statements_for(&[acme(), CustomerId::new("NOBODY").unwrap()], &march)
            .unwrap_err();
    assert_eq!(err.code(), "not_found");

    // Written as text with the bundled template: the columns, the figures
    // above, the aging summary.
    use ar_core::statement::{render_statements, Company, STATEMENTS_HTML, STATEMENTS_TEXT};
    let company = Company {
        name: "Widgets <Ltd> & Co".into(),
        address: vec!["1 Main St".into(), "Springfield".into()],
    };
    let text = render_statements("statements.txt", STATEMENTS_TEXT, &all, &company).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Widgets <Ltd> & Co");
    assert_eq!(
        lines[1],
        "STATEMENT OF ACCOUNT  Acme Corp (ACME)  2026-03-01 to 2026-03-31"
    );
    let usd_at = lines.iter().position(|l| *l == "USD").unwrap();
    // The template's columns: 10, 10 and 24 characters left, three of 12
    // right.
    let row = |date: &str, doc: &str, what: &str, debit: &str, credit: &str, balance: &str| {
        format!("{date:<10} {doc:<10} {what:<24} {debit:>12} {credit:>12} {balance:>12}")
    };
    assert_eq!(
        lines[usd_at + 2],
        row("2026-03-01", "", "Opening balance", "", "", "200.00")
    );
    assert_eq!(
        lines[usd_at + 3],
        row("2026-03-02", "INV-1", "invoice", "1,000.00", "", "1,200.00")
    );
    assert_eq!(
        lines[usd_at + 5],
        row(
            "2026-03-05",
            "R-1",
            "discount on INV-1",
            "",
            "20.00",
            "200.00"
        )
    );
    assert!(text.contains(&row("2026-03-31", "", "Closing balance", "", "", "125.00")));
    // INV-3 (due April 11) is current; INV-0 19 days late.
    assert!(
        text.contains("Aging: current 25.00; 1-30 200.00; 31-60 0.00;"),
        "{text}"
    );
    // As HTML: one section per customer, page breaks between them, the
    // company's name escaped, amounts grouped.
    let html = render_statements("statements.html", STATEMENTS_HTML, &all, &company).unwrap();
    assert_eq!(html.matches("<section class=\"statement\">").count(), 1);
    assert!(html.contains("break-after: page"));
    assert!(html.contains("@page"));
    assert!(html.contains("<strong>Widgets &lt;Ltd&gt; &amp; Co</strong>"));
    assert!(html.contains("<td class=\"num\">1,200.00</td>"));
    assert!(html.contains("125.00 USD"));
    assert!(html.trim_end().ends_with("</html>"));
    // A template with a mistake names itself and its line.
    let err = render_statements("mine.txt", "{{ company.name }}\n{{ nope }}", &all, &company)
        .unwrap_err();
    assert_eq!(err.code(), "template_error");
    assert!(err.to_string().contains("mine.txt, line 2"), "{err}");
    let err =
        b.l.statement(
            &acme(),
            &StatementOptions::new(day("2026-03-31"), day("2026-03-01")),
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_value");
    let err =
        b.l.statement(
            &CustomerId::new("NOBODY").unwrap(),
            &StatementOptions::new(day("2026-03-01"), day("2026-03-31")),
        )
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
}
