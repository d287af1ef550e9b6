//! The journal derived from the log: hand-worked postings for each kind of
//! event, exchange differences and residues, and the receivables control
//! equal to the open items.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use ar_core::accounting::{
    GlLine, JournalOptions, PostingRules, Rate, RateTable, ReconcileCause, Role,
};
use ar_core::*;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}
fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}
fn at(date: &str) -> CommandMeta {
    CommandMeta::at(
        format!("{date}T12:00:00Z")
            .parse::<DateTime<Utc>>()
            .unwrap(),
    )
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
fn inv(id: &str) -> InvoiceId {
    InvoiceId::new(id).unwrap()
}
fn rc(id: &str) -> Source {
    Source::Receipt(ReceiptId::new(id).unwrap())
}

struct Book(Ledger);

impl Book {
    fn new() -> Self {
        let mut l = Ledger::new();
        l.execute(
            Command::RegisterCustomer {
                customer: Customer::new(acme(), "Acme", usd()),
            },
            &at("2026-01-01"),
        )
        .unwrap();
        l.execute(
            Command::RegisterCustomer {
                customer: Customer::new(CustomerId::new("EURO").unwrap(), "Euro GmbH", eur()),
            },
            &at("2026-01-01"),
        )
        .unwrap();
        Book(l)
    }

    /// Runs `command`, recorded at noon of `date` or just after the last
    /// event, whichever is later.
    fn run(&mut self, date: &str, command: Command) -> Outcome {
        let mut meta = at(date);
        if let Some(last) = self.0.events().last() {
            meta.recorded = meta
                .recorded
                .max(last.recorded + chrono::Duration::seconds(1));
        }
        self.0.execute(command, &meta).unwrap()
    }

    fn invoice(
        &mut self,
        id: &str,
        customer: &str,
        date: &str,
        lines: Vec<InvoiceLine>,
        terms: PaymentTerms,
        draft: bool,
    ) {
        let mut invoice = NewInvoice::new(
            inv(id),
            CustomerId::new(customer).unwrap(),
            day(date),
            lines,
        );
        invoice.terms = Some(terms);
        invoice.draft = draft;
        self.run(date, Command::IssueInvoice { invoice });
    }

    fn receipt(
        &mut self,
        id: &str,
        customer: &str,
        date: &str,
        amount: &str,
        currency: Currency,
        method: PaymentMethod,
    ) {
        let receipt = Receipt {
            id: ReceiptId::new(id).unwrap(),
            customer: Some(CustomerId::new(customer).unwrap()),
            date: day(date),
            amount: d(amount),
            currency,
            method,
            reference: None,
            remittance: String::new(),
            payer_name: None,
            payer_account: None,
        };
        self.run(date, Command::RecordReceipt { receipt });
    }

    fn apply(
        &mut self,
        date: &str,
        source: Source,
        invoice: &str,
        amount: &str,
        discount: &str,
    ) -> Outcome {
        self.run(
            date,
            Command::Apply {
                id: None,
                source,
                invoice: inv(invoice),
                installment: None,
                amount: d(amount),
                discount: d(discount),
                date: day(date),
            },
        )
    }
}

/// The lines of the entry of event `seq` as (account, amount, functional).
fn lines(journal: &accounting::Journal, seq: u64) -> Vec<(String, String, String)> {
    journal
        .entries
        .iter()
        .filter(|e| e.seq == seq)
        .flat_map(|e| &e.lines)
        .map(|l| {
            (
                l.account.to_string(),
                l.amount.to_string(),
                l.functional.to_string(),
            )
        })
        .collect()
}

fn l(account: &str, amount: &str) -> (String, String, String) {
    (account.into(), amount.into(), amount.into())
}
fn lf(account: &str, amount: &str, functional: &str) -> (String, String, String) {
    (account.into(), amount.into(), functional.into())
}

#[test]
fn postings_for_each_kind_of_event() {
    let mut b = Book::new();
    // INV-1: 100.00 at 20 % VAT and 50.00 untaxed = 170.00.
    b.invoice(
        "INV-1",
        "ACME",
        "2026-03-01",
        vec![
            InvoiceLine::new("a", Decimal::ONE, d("100.00")).with_tax("VAT20", d("20")),
            InvoiceLine::new("b", Decimal::ONE, d("50.00")),
        ],
        PaymentTerms::net(30),
        false,
    );
    b.receipt(
        "R-1",
        "ACME",
        "2026-03-05",
        "100.00",
        usd(),
        PaymentMethod::Ach,
    );
    let apply_r1 = b.apply("2026-03-05", rc("R-1"), "INV-1", "100.00", "0");
    // CM-1: 34.00 against INV-1: 34 x 20 / 170 = 4.00 tax, 30.00 net.
    b.run(
        "2026-03-06",
        Command::IssueCreditMemo {
            id: CreditMemoId::new("CM-1").unwrap(),
            customer: acme(),
            date: day("2026-03-06"),
            currency: None,
            against: Some(inv("INV-1")),
            kind: CreditKind::Amount { amount: d("34.00") },
            reason: "damaged".into(),
        },
    );
    b.apply(
        "2026-03-06",
        Source::CreditMemo(CreditMemoId::new("CM-1").unwrap()),
        "INV-1",
        "34.00",
        "0",
    );
    // 36.00 left: written off, then the write-off reversed (recovered).
    let wo = b.run(
        "2026-04-01",
        Command::WriteOff {
            id: Some(WriteOffId::new("WO-1").unwrap()),
            invoice: inv("INV-1"),
            installment: None,
            amount: None,
            date: day("2026-04-01"),
            reason: "bankrupt".into(),
        },
    );
    let recovered = b.run(
        "2026-04-10",
        Command::ReverseWriteOff {
            write_off: WriteOffId::new("WO-1").unwrap(),
            date: day("2026-04-10"),
            reason: "paid after all".into(),
        },
    );
    // INV-2 on 2/10 net 30: 1,000.00 + 200.00 VAT; paid 1,176.00 with
    // 24.00 off (2 % of the total): 20.00 net and 4.00 of VAT.
    b.invoice(
        "INV-2",
        "ACME",
        "2026-04-01",
        vec![InvoiceLine::new("c", Decimal::ONE, d("1000.00")).with_tax("VAT20", d("20"))],
        PaymentTerms::net(30).with_discount(d("2"), 10),
        false,
    );
    b.receipt(
        "R-2",
        "ACME",
        "2026-04-05",
        "1176.00",
        usd(),
        PaymentMethod::Wire,
    );
    let discounted = b.apply("2026-04-05", rc("R-2"), "INV-2", "1176.00", "24.00");
    // 50.00, 20.00 refunded by check, 30.00 written off to income.
    b.receipt(
        "R-3",
        "ACME",
        "2026-04-06",
        "50.00",
        usd(),
        PaymentMethod::Card,
    );
    let refund = b.run(
        "2026-04-07",
        Command::Refund {
            id: None,
            source: rc("R-3"),
            amount: d("20.00"),
            date: day("2026-04-07"),
            method: PaymentMethod::Check,
            reason: "overpaid".into(),
        },
    );
    let income = b.run(
        "2026-04-08",
        Command::WriteOffSource {
            id: None,
            source: rc("R-3"),
            amount: None,
            date: day("2026-04-08"),
            reason: "unclaimed".into(),
        },
    );
    // R-1's application reversed.
    let Event::Applied { application, .. } = &apply_r1.events[0].event else {
        unreachable!()
    };
    let unapplied = b.run(
        "2026-04-15",
        Command::Unapply {
            application: application.clone(),
            date: day("2026-04-15"),
            reason: "wrong invoice".into(),
        },
    );
    // An opening balance: 80.00 open of 100.00.
    let opening = b.run(
        "2026-04-20",
        Command::ImportInvoice {
            invoice: OpeningInvoice {
                id: inv("INV-0"),
                customer: acme(),
                date: day("2026-01-10"),
                due_date: day("2026-02-10"),
                currency: None,
                total: d("100.00"),
                open: d("80.00"),
                po_number: None,
                dimensions: Default::default(),
            },
            as_of: day("2026-04-20"),
        },
    );
    // A draft posts when finalized; a voided receipt is reversed.
    b.invoice(
        "INV-3",
        "ACME",
        "2026-04-21",
        vec![InvoiceLine::new("d", Decimal::ONE, d("10.00"))],
        PaymentTerms::net(30),
        true,
    );
    let finalized = b.run(
        "2026-04-22",
        Command::FinalizeInvoice {
            invoice: inv("INV-3"),
            date: day("2026-04-22"),
        },
    );
    b.receipt(
        "R-4",
        "ACME",
        "2026-04-23",
        "5.00",
        usd(),
        PaymentMethod::Cash,
    );
    let voided = b.run(
        "2026-04-24",
        Command::VoidReceipt {
            receipt: ReceiptId::new("R-4").unwrap(),
            date: day("2026-04-24"),
            reason: "duplicate".into(),
        },
    );

    let ledger = &b.0;
    let journal = ledger
        .journal(&JournalOptions::default(), &View::all())
        .unwrap();
    let seq = |o: &Outcome| o.events[0].seq;
    let issue = ledger
        .events()
        .iter()
        .find(|e| e.event.subject() == "INV-1")
        .unwrap()
        .seq;
    assert_eq!(
        lines(&journal, issue),
        [
            l("receivable", "170.00"),
            l("revenue", "-100.00"),
            l("revenue", "-50.00"),
            l("tax_payable", "-20.00")
        ]
    );
    assert_eq!(
        lines(&journal, seq(&apply_r1)),
        [l("unapplied_cash", "100.00"), l("receivable", "-100.00")]
    );
    let memo = ledger
        .events()
        .iter()
        .find(|e| e.event.subject() == "CM-1")
        .unwrap()
        .seq;
    assert_eq!(
        lines(&journal, memo),
        [
            l("sales_returns", "30.00"),
            l("tax_payable", "4.00"),
            l("customer_credits", "-34.00")
        ]
    );
    assert_eq!(
        lines(&journal, memo + 1),
        [l("customer_credits", "34.00"), l("receivable", "-34.00")]
    );
    assert_eq!(
        lines(&journal, seq(&wo)),
        [l("write_offs", "36.00"), l("receivable", "-36.00")]
    );
    assert_eq!(
        lines(&journal, seq(&recovered)),
        [l("recoveries", "-36.00"), l("receivable", "36.00")]
    );
    assert_eq!(
        lines(&journal, seq(&discounted)),
        [
            l("unapplied_cash", "1176.00"),
            l("receivable", "-1200.00"),
            l("discounts", "20.00"),
            l("tax_payable", "4.00")
        ]
    );
    assert_eq!(
        lines(&journal, seq(&refund)),
        [l("unapplied_cash", "20.00"), l("cash", "-20.00")]
    );
    assert_eq!(
        lines(&journal, seq(&income)),
        [l("unapplied_cash", "30.00"), l("other_income", "-30.00")]
    );
    assert_eq!(
        lines(&journal, seq(&unapplied)),
        [l("unapplied_cash", "-100.00"), l("receivable", "100.00")]
    );
    assert_eq!(
        lines(&journal, seq(&opening)),
        [l("receivable", "80.00"), l("opening_balance", "-80.00")]
    );
    assert_eq!(
        lines(&journal, seq(&finalized)),
        [l("receivable", "10.00"), l("revenue", "-10.00")]
    );
    assert_eq!(
        lines(&journal, seq(&voided)),
        [l("cash", "-5.00"), l("unapplied_cash", "5.00")]
    );

    // The receivables control is the open invoices: INV-1 136.00 (170 -
    // 34 credited, R-1's 100 unapplied, the write-off recovered), INV-0
    // 80.00, INV-3 10.00.
    let open: Decimal = ledger
        .open_items(&View::all())
        .iter()
        .filter(|i| i.kind == OpenItemKind::Invoice)
        .map(|i| i.open)
        .sum();
    assert_eq!(open, d("226.00"));
    assert_eq!(
        journal.role_balance(Role::Receivable, usd()).unwrap(),
        d("226.00")
    );
    // Every entry balances.
    for e in &journal.entries {
        assert_eq!(
            e.lines.iter().map(|l| l.amount).sum::<Decimal>(),
            Decimal::ZERO,
            "{e:?}"
        );
    }
    // The trial balance: cash 100 + 1,176 + 50 - 20 = 1,306.00.
    let tb = ledger
        .trial_balance(&JournalOptions::default(), &View::all())
        .unwrap();
    let cash = tb.iter().find(|r| r.account == "cash").unwrap();
    assert_eq!(
        (cash.debit, cash.credit, cash.balance),
        (d("1331.00"), d("25.00"), d("1306.00"))
    );
    assert_eq!(tb.iter().map(|r| r.balance).sum::<Decimal>(), Decimal::ZERO);
}

#[test]
fn accounts_come_from_the_rules() {
    let mut b = Book::new();
    b.invoice(
        "INV-1",
        "ACME",
        "2026-03-01",
        vec![InvoiceLine::new("a", Decimal::ONE, d("100.00")).with_tax("VAT20", d("20"))],
        PaymentTerms::net(30),
        false,
    );
    b.receipt(
        "R-1",
        "ACME",
        "2026-03-05",
        "120.00",
        usd(),
        PaymentMethod::Wire,
    );
    let mut rules = PostingRules::default()
        .with_account(Role::Receivable, "1200")
        .with_account(Role::Revenue, "4000");
    rules.overrides.push(accounting::AccountOverride {
        role: Role::TaxPayable,
        account: "2210 VAT 20".into(),
        dimension: None,
        currency: None,
        tax_code: Some("VAT20".into()),
        method: None,
        reason: None,
    });
    rules.overrides.push(accounting::AccountOverride {
        role: Role::Cash,
        account: "1010 bank".into(),
        dimension: None,
        currency: None,
        tax_code: None,
        method: Some(PaymentMethod::Wire),
        reason: None,
    });
    let options = JournalOptions { rules, rates: None };
    let journal = b.0.journal(&options, &View::all()).unwrap();
    let accounts: Vec<String> = journal
        .entries
        .iter()
        .flat_map(|e| &e.lines)
        .map(|l| l.account.to_string())
        .collect();
    assert_eq!(
        accounts,
        ["1200", "4000", "2210 VAT 20", "1010 bank", "unapplied_cash"]
    );
}

fn rates() -> RateTable {
    let rate = |date: &str, r: &str| Rate {
        currency: eur(),
        date: day(date),
        rate: d(r),
    };
    RateTable::new(
        usd(),
        vec![
            rate("2026-03-01", "1.10"),
            rate("2026-03-20", "1.12"),
            rate("2026-04-01", "1.15"),
            rate("2026-05-01", "1.115"),
        ],
    )
    .unwrap()
}

#[test]
fn realized_exchange_differences_and_residues() {
    let mut b = Book::new();
    let eur_invoice = |b: &mut Book, id: &str, date: &str, amount: &str| {
        b.invoice(
            id,
            "EURO",
            date,
            vec![InvoiceLine::new("x", Decimal::ONE, d(amount))],
            PaymentTerms::net(30),
            false,
        );
    };
    // EUR 1,000 at 1.10 (1,100.00 USD) paid at 1.12 (1,120.00): a realized
    // gain of 20.00.
    eur_invoice(&mut b, "E-1", "2026-03-01", "1000.00");
    b.receipt(
        "ER-1",
        "EURO",
        "2026-03-20",
        "1000.00",
        eur(),
        PaymentMethod::Wire,
    );
    let paid = b.apply("2026-03-20", rc("ER-1"), "E-1", "1000.00", "0");
    // EUR 500 at 1.10 paid 200 at 1.15 (gain 10.00), then 300 at 1.15
    // (gain 15.00; the last 330.00 carried is what is left).
    eur_invoice(&mut b, "E-2", "2026-03-01", "500.00");
    b.receipt(
        "ER-2",
        "EURO",
        "2026-04-01",
        "200.00",
        eur(),
        PaymentMethod::Wire,
    );
    let part = b.apply("2026-04-01", rc("ER-2"), "E-2", "200.00", "0");
    b.receipt(
        "ER-3",
        "EURO",
        "2026-04-02",
        "300.00",
        eur(),
        PaymentMethod::Wire,
    );
    let rest = b.apply("2026-04-02", rc("ER-3"), "E-2", "300.00", "0");
    // EUR 10.00 at 1.115 = 11.15 USD paid in thirds at the same rate
    // from a receipt of 20.00: 3.33 -> 3.71, 3.33 -> 3.71, and 3.34 ->
    // 3.72 at the rate, but 3.73 is what is left carried on the invoice:
    // the cent goes to rounding.
    eur_invoice(&mut b, "E-3", "2026-05-01", "10.00");
    b.receipt(
        "ER-4",
        "EURO",
        "2026-05-02",
        "20.00",
        eur(),
        PaymentMethod::Wire,
    );
    b.apply("2026-05-02", rc("ER-4"), "E-3", "3.33", "0");
    b.apply("2026-05-02", rc("ER-4"), "E-3", "3.33", "0");
    let last = b.apply("2026-05-02", rc("ER-4"), "E-3", "3.34", "0");

    let options = JournalOptions {
        rules: PostingRules::default(),
        rates: Some(rates()),
    };
    let journal = b.0.journal(&options, &View::all()).unwrap();
    let seq = |o: &Outcome| o.events[0].seq;
    assert_eq!(journal.functional, Some(usd()));
    assert_eq!(
        lines(&journal, seq(&paid)),
        [
            lf("unapplied_cash", "1000.00", "1120.00"),
            lf("receivable", "-1000.00", "-1100.00"),
            lf("fx_gain", "0", "-20.00")
        ]
    );
    assert_eq!(
        lines(&journal, seq(&part)),
        [
            lf("unapplied_cash", "200.00", "230.00"),
            lf("receivable", "-200.00", "-220.00"),
            lf("fx_gain", "0", "-10.00")
        ]
    );
    assert_eq!(
        lines(&journal, seq(&rest)),
        [
            lf("unapplied_cash", "300.00", "345.00"),
            lf("receivable", "-300.00", "-330.00"),
            lf("fx_gain", "0", "-15.00")
        ]
    );
    assert_eq!(
        lines(&journal, seq(&last)),
        [
            lf("unapplied_cash", "3.34", "3.72"),
            lf("receivable", "-3.34", "-3.73"),
            lf("rounding", "0", "0.01")
        ]
    );
    // Every entry balances in both currencies; nothing is left carried in
    // USD on a settled invoice: the receivable's functional balance is 0.
    for e in &journal.entries {
        assert_eq!(
            e.lines.iter().map(|l| l.amount).sum::<Decimal>(),
            Decimal::ZERO,
            "{e:?}"
        );
        assert_eq!(
            e.lines.iter().map(|l| l.functional).sum::<Decimal>(),
            Decimal::ZERO,
            "{e:?}"
        );
    }
    let receivable_f: Decimal = journal
        .entries
        .iter()
        .flat_map(|e| &e.lines)
        .filter(|l| l.role == Role::Receivable)
        .map(|l| l.functional)
        .sum();
    assert_eq!(receivable_f, Decimal::ZERO);
    // A currency without a rate on a document's date is an error naming it.
    let mut b2 = Book::new();
    eur_invoice(&mut b2, "E-9", "2026-02-01", "1.00");
    let err = b2.0.journal(&options, &View::all()).unwrap_err();
    assert_eq!(err.code(), "missing_rate");
    assert!(
        err.to_string().contains("EUR to USD on 2026-02-01"),
        "{err}"
    );
}

#[test]
fn the_gl_reconciliation_names_the_documents() {
    let mut b = Book::new();
    for (id, amount) in [
        ("INV-1", "100.00"),
        ("INV-2", "200.00"),
        ("INV-3", "300.00"),
    ] {
        b.invoice(
            id,
            "ACME",
            "2026-03-01",
            vec![InvoiceLine::new("x", Decimal::ONE, d(amount))],
            PaymentTerms::net(30),
            false,
        );
    }
    b.invoice(
        "INV-4",
        "ACME",
        "2026-04-05",
        vec![InvoiceLine::new("x", Decimal::ONE, d("50.00"))],
        PaymentTerms::net(30),
        false,
    );
    // The GL: INV-1 right, INV-2 at 210.00, INV-3 missing, INV-4 posted by
    // the GL before the cut-off though dated 5 April in ar, and a manual
    // journal of 7.00 with no document.
    let gl = |doc: Option<&str>, date: &str, amount: &str| GlLine {
        account: "receivable".into(),
        currency: usd(),
        date: day(date),
        amount: d(amount),
        document: doc.map(str::to_owned),
    };
    let lines = vec![
        gl(Some("INV-1"), "2026-03-01", "100.00"),
        gl(Some("INV-2"), "2026-03-01", "210.00"),
        gl(Some("INV-4"), "2026-03-31", "50.00"),
        gl(None, "2026-03-15", "7.00"),
    ];
    let rows =
        b.0.reconcile_gl(
            &JournalOptions::default(),
            &lines,
            &View::as_of(day("2026-03-31")),
        )
        .unwrap();
    let receivable = rows.iter().find(|r| r.account == "receivable").unwrap();
    assert_eq!(
        (receivable.ar, receivable.gl, receivable.difference),
        (d("600.00"), d("367.00"), d("233.00"))
    );
    let items: Vec<(&str, ReconcileCause, Decimal)> = receivable
        .items
        .iter()
        .map(|i| (i.document.as_str(), i.cause, i.ar - i.gl))
        .collect();
    assert_eq!(
        items,
        [
            ("", ReconcileCause::Unidentified, d("-7.00")),
            ("INV-2", ReconcileCause::AmountDiffers, d("-10.00")),
            ("INV-3", ReconcileCause::MissingInGl, d("300.00")),
            ("INV-4", ReconcileCause::AfterCutOff, d("-50.00")),
        ]
    );
    assert_eq!(
        items.iter().map(|i| i.2).sum::<Decimal>(),
        receivable.difference
    );
}

fn lines_named(journal: &accounting::Journal, event: &str) -> Vec<Vec<(String, String, String)>> {
    journal
        .entries
        .iter()
        .filter(|e| e.event == event)
        .map(|e| {
            e.lines
                .iter()
                .map(|l| {
                    (
                        l.account.to_string(),
                        l.amount.to_string(),
                        l.functional.to_string(),
                    )
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_allowance_posts_its_change() {
    let mut b = Book::new();
    let book = |b: &mut Book, date: &str, amount: &str| {
        b.run(
            date,
            Command::BookAllowance {
                date: day(date),
                currency: usd(),
                amount: d(amount),
                reason: "aging method".into(),
            },
        )
    };
    book(&mut b, "2026-03-31", "100.00");
    book(&mut b, "2026-04-30", "60.00");
    // The same amount again changes nothing.
    book(&mut b, "2026-05-31", "60.00");
    let journal =
        b.0.journal(&JournalOptions::default(), &View::all())
            .unwrap();
    assert_eq!(
        lines_named(&journal, "allowance_booked"),
        [
            vec![l("bad_debt_expense", "100.00"), l("allowance", "-100.00")],
            vec![l("bad_debt_expense", "-40.00"), l("allowance", "40.00")],
        ]
    );
    assert_eq!(
        journal.role_balance(Role::Allowance, usd()).unwrap(),
        d("-60.00")
    );
    // As of April 15 only the first booking is seen.
    let march =
        b.0.journal(&JournalOptions::default(), &View::as_of(day("2026-04-15")))
            .unwrap();
    assert_eq!(
        march.role_balance(Role::Allowance, usd()).unwrap(),
        d("-100.00")
    );
    // A negative allowance or one finer than cents is refused.
    for bad in ["-1.00", "1.001"] {
        let err =
            b.0.execute(
                Command::BookAllowance {
                    date: day("2026-06-30"),
                    currency: usd(),
                    amount: d(bad),
                    reason: String::new(),
                },
                &at("2026-07-01"),
            )
            .unwrap_err();
        assert!(
            ["invalid_amount", "too_many_decimals"].contains(&err.code()),
            "{err}"
        );
    }
}

#[test]
fn revaluation_books_unrealized_differences_and_reverses_them() {
    let mut b = Book::new();
    // EUR 1,000.00 invoiced at 1.10 (1,100.00 USD); EUR 200.00 received
    // at 1.12 (224.00) and left unapplied.
    b.invoice(
        "E-1",
        "EURO",
        "2026-03-01",
        vec![InvoiceLine::new("x", Decimal::ONE, d("1000.00"))],
        PaymentTerms::net(30),
        false,
    );
    b.receipt(
        "ER-1",
        "EURO",
        "2026-03-20",
        "200.00",
        eur(),
        PaymentMethod::Wire,
    );
    // A USD invoice is not revalued.
    b.invoice(
        "U-1",
        "ACME",
        "2026-03-02",
        vec![InvoiceLine::new("y", Decimal::ONE, d("50.00"))],
        PaymentTerms::net(30),
        false,
    );
    // Closing rate 1.13: the invoice is worth 1,130.00 (a gain of 30.00),
    // the unapplied cash 226.00 (a liability 2.00 larger: a loss).
    b.run(
        "2026-03-31",
        Command::Revalue {
            date: day("2026-03-31"),
            rates: vec![ClosingRate {
                currency: eur(),
                rate: d("1.13"),
            }],
        },
    );
    // Applied on April 1: the realized gain is 4.00 (224.00 of cash at
    // 1.12 against 220.00 of invoice at 1.10), from the documents' own
    // rates, as the revaluation was reversed that day.
    let applied = b.apply("2026-04-01", rc("ER-1"), "E-1", "200.00", "0");
    let options = JournalOptions {
        rates: Some(rates()),
        ..JournalOptions::default()
    };
    let journal = b.0.journal(&options, &View::all()).unwrap();
    assert_eq!(
        lines_named(&journal, "revalued"),
        [vec![
            lf("receivable", "0", "30.00"),
            lf("unrealized_fx_gain", "0", "-30.00"),
            lf("unapplied_cash", "0", "-2.00"),
            lf("unrealized_fx_loss", "0", "2.00"),
        ]]
    );
    let reversed = journal
        .entries
        .iter()
        .find(|e| e.event == "revaluation_reversed")
        .unwrap();
    assert_eq!(reversed.effective, day("2026-04-01"));
    assert_eq!(
        lines_named(&journal, "revaluation_reversed"),
        [vec![
            lf("receivable", "0", "-30.00"),
            lf("unrealized_fx_gain", "0", "30.00"),
            lf("unapplied_cash", "0", "2.00"),
            lf("unrealized_fx_loss", "0", "-2.00"),
        ]]
    );
    assert_eq!(
        lines(&journal, applied.events[0].seq),
        [
            lf("unapplied_cash", "200.00", "224.00"),
            lf("receivable", "-200.00", "-220.00"),
            lf("fx_gain", "0", "-4.00"),
        ]
    );
    // As of March 31 the receivable stands at the closing rate.
    let march =
        b.0.journal(&options, &View::as_of(day("2026-03-31")))
            .unwrap();
    let functional_of = |j: &accounting::Journal, account: &str| -> Decimal {
        j.entries
            .iter()
            .flat_map(|e| &e.lines)
            .filter(|l| &*l.account == account && l.currency == eur())
            .map(|l| l.functional)
            .sum()
    };
    assert_eq!(functional_of(&march, "receivable"), d("1130.00"));
    assert_eq!(functional_of(&march, "unapplied_cash"), d("-226.00"));
    // Every entry balances in the functional currency.
    for e in &journal.entries {
        let sum: Decimal = e.lines.iter().map(|l| l.functional).sum();
        assert!(sum.is_zero(), "entry {} {} off by {sum}", e.seq, e.event);
    }
    // Without rates there is nothing to revalue; bad rates are refused.
    let plain =
        b.0.journal(&JournalOptions::default(), &View::all())
            .unwrap();
    assert!(lines_named(&plain, "revalued").is_empty());
    for rates in [
        vec![],
        vec![ClosingRate {
            currency: eur(),
            rate: d("0"),
        }],
        vec![
            ClosingRate {
                currency: eur(),
                rate: d("1.1"),
            },
            ClosingRate {
                currency: eur(),
                rate: d("1.2"),
            },
        ],
    ] {
        let err =
            b.0.execute(
                Command::Revalue {
                    date: day("2026-04-30"),
                    rates,
                },
                &at("2026-05-01"),
            )
            .unwrap_err();
        assert!(
            ["invalid_value", "invalid_amount"].contains(&err.code()),
            "{err}"
        );
    }
}

#[test]
fn a_closed_period_refuses_or_moves_commands_and_keeps_its_figures() {
    let mut b = Book::new();
    b.invoice(
        "INV-1",
        "ACME",
        "2026-03-10",
        vec![InvoiceLine::new("a", Decimal::ONE, d("100.00"))],
        PaymentTerms::net(30),
        false,
    );
    b.receipt(
        "R-1",
        "ACME",
        "2026-03-20",
        "40.00",
        usd(),
        PaymentMethod::Ach,
    );
    let digest = b.0.period_digest(day("2026-03-31"), None);
    assert_eq!(digest.len(), 64);
    let closed =
        b.0.close_period(day("2026-03-31"), ClosePolicy::Refuse, &at("2026-04-02"))
            .unwrap();
    let Event::PeriodClosed {
        digest: recorded, ..
    } = &closed.events[0].event
    else {
        unreachable!()
    };
    assert_eq!(recorded, &digest);
    assert_eq!(closed.events[0].effective, day("2026-03-31"));
    let tb_closed =
        b.0.trial_balance(&JournalOptions::default(), &View::as_of(day("2026-03-31")))
            .unwrap();

    // Refused: a receipt, an application and a write-off dated in March.
    let apply_march = Command::Apply {
        id: None,
        source: rc("R-1"),
        invoice: inv("INV-1"),
        installment: None,
        amount: d("40.00"),
        discount: Decimal::ZERO,
        date: day("2026-03-30"),
    };
    let err =
        b.0.execute(apply_march.clone(), &at("2026-04-03"))
            .unwrap_err();
    assert_eq!(err.code(), "period_closed");
    assert_eq!(
        err.to_string(),
        "date: 2026-03-30 is in a period closed up to 2026-03-31"
    );
    let events = b.0.events().len();
    // Reopened from March 1, the command goes through; closed again with
    // moving, the next one is moved to April 1.
    b.run(
        "2026-04-03",
        Command::ReopenPeriod {
            from: Some(day("2026-03-01")),
            reason: "late bank file".into(),
        },
    );
    assert_eq!(b.0.events().len(), events + 1);
    b.run("2026-04-03", apply_march);
    b.0.close_period(
        day("2026-03-31"),
        ClosePolicy::MoveToOpenDay,
        &at("2026-04-04"),
    )
    .unwrap();
    let tb_reclosed =
        b.0.trial_balance(&JournalOptions::default(), &View::as_of(day("2026-03-31")))
            .unwrap();
    assert_ne!(
        tb_closed, tb_reclosed,
        "the reopened period took the application"
    );
    let moved = b.run(
        "2026-04-05",
        Command::WriteOff {
            id: None,
            invoice: inv("INV-1"),
            installment: None,
            amount: Some(d("10.00")),
            date: day("2026-03-25"),
            reason: "goodwill".into(),
        },
    );
    assert_eq!(moved.events[0].effective, day("2026-04-01"));
    assert_eq!(moved.events[0].requested, Some(day("2026-03-25")));
    // A document keeps its own date: an invoice dated in March is refused.
    let mut march = NewInvoice::new(
        inv("INV-2"),
        acme(),
        day("2026-03-15"),
        vec![InvoiceLine::new("b", Decimal::ONE, d("5.00"))],
    );
    march.terms = Some(PaymentTerms::net(30));
    let err =
        b.0.execute(Command::IssueInvoice { invoice: march }, &at("2026-04-06"))
            .unwrap_err();
    assert_eq!(err.code(), "period_closed");
    // The closed figures have not moved: the trial balance and the digest
    // as of March 31 are what they were at the second close.
    assert_eq!(
        b.0.trial_balance(&JournalOptions::default(), &View::as_of(day("2026-03-31")))
            .unwrap(),
        tb_reclosed
    );
    let Some(Event::PeriodClosed { digest, .. }) =
        b.0.events()
            .iter()
            .rev()
            .map(|e| &e.event)
            .find(|e| matches!(e, Event::PeriodClosed { .. }))
    else {
        unreachable!()
    };
    let close_recorded = at("2026-04-04").recorded;
    assert_eq!(
        &b.0.period_digest(day("2026-03-31"), Some(close_recorded)),
        digest
    );
    // Closing before what is closed, and reopening with no reason, are
    // refused and change nothing.
    let before = b.0.events().len();
    let err =
        b.0.close_period(day("2026-02-28"), ClosePolicy::Refuse, &at("2026-04-07"))
            .unwrap_err();
    assert_eq!(err.code(), "invalid_value");
    let err =
        b.0.execute(
            Command::ReopenPeriod {
                from: None,
                reason: " ".into(),
            },
            &at("2026-04-07"),
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_value");
    assert_eq!(b.0.events().len(), before);
    // The log reads back, re-deciding each command through the closes.
    let back = Ledger::from_json(&b.0.to_json().unwrap()).unwrap();
    assert_eq!(back.events(), b.0.events());
    // An edited log that moves a command nobody moved is refused.
    let json = b.0.to_json().unwrap().replace(
        "\"requested\":\"2026-03-25\"",
        "\"requested\":\"2026-03-24\"",
    );
    assert!(Ledger::from_json(&json).is_err());
}

fn charge_note(id: &str, date: &str, kind: ChargeKind, amount: &str) -> Command {
    Command::IssueCharge {
        charge: NewCharge {
            id: inv(id),
            customer: acme(),
            date: day(date),
            currency: None,
            kind,
            lines: vec![ChargeLine {
                item: Some(ItemRef::invoice(inv("INV-1"))),
                amount: d(amount),
                through: None,
            }],
            terms: None,
            notice: None,
        },
    }
}

#[test]
fn interest_and_fee_notes_post_to_their_income_and_settle_like_invoices() {
    let mut b = Book::new();
    b.invoice(
        "INV-1",
        "ACME",
        "2026-01-10",
        vec![InvoiceLine::new("a", Decimal::ONE, d("1000.00"))],
        PaymentTerms::net(30),
        false,
    );
    let int = b.run(
        "2026-03-10",
        charge_note("INT-1", "2026-03-10", ChargeKind::Interest, "12.34"),
    );
    let fee = b.run(
        "2026-03-10",
        charge_note("FEE-1", "2026-03-10", ChargeKind::Fee, "40.00"),
    );
    // Collections records move no money: no entry of their own.
    let dispute = b.run(
        "2026-03-11",
        Command::OpenDispute {
            dispute: Dispute {
                id: DisputeId::new("D-1").unwrap(),
                invoice: inv("FEE-1"),
                installment: None,
                amount: None,
                reason: "fee".into(),
                owner: "ann".into(),
                note: String::new(),
            },
            date: day("2026-03-11"),
        },
    );
    b.receipt(
        "R-1",
        "ACME",
        "2026-03-20",
        "12.34",
        usd(),
        PaymentMethod::Ach,
    );
    let paid = b.apply("2026-03-20", rc("R-1"), "INT-1", "12.34", "0");
    let wo = b.run(
        "2026-03-21",
        Command::WriteOff {
            id: None,
            invoice: inv("FEE-1"),
            installment: None,
            amount: None,
            date: day("2026-03-21"),
            reason: "waived".into(),
        },
    );
    let journal =
        b.0.journal(&JournalOptions::default(), &View::all())
            .unwrap();
    assert_eq!(
        lines(&journal, int.events[0].seq),
        vec![l("receivable", "12.34"), l("interest_income", "-12.34")]
    );
    assert_eq!(
        lines(&journal, fee.events[0].seq),
        vec![l("receivable", "40.00"), l("fee_income", "-40.00")]
    );
    assert!(lines(&journal, dispute.events[0].seq).is_empty());
    assert_eq!(
        lines(&journal, paid.events[0].seq),
        vec![l("unapplied_cash", "12.34"), l("receivable", "-12.34")]
    );
    assert_eq!(
        lines(&journal, wo.events[0].seq),
        vec![l("write_offs", "40.00"), l("receivable", "-40.00")]
    );
    // A role's account is the chart's to set.
    let options = JournalOptions {
        rules: PostingRules::default().with_account(Role::InterestIncome, "4710"),
        ..JournalOptions::default()
    };
    let journal = b.0.journal(&options, &View::all()).unwrap();
    assert_eq!(
        lines(&journal, int.events[0].seq),
        vec![l("receivable", "12.34"), l("4710", "-12.34")]
    );
}

#[test]
fn a_closed_period_refuses_a_charge_note_and_moves_collections_records() {
    let mut b = Book::new();
    b.invoice(
        "INV-1",
        "ACME",
        "2026-01-10",
        vec![InvoiceLine::new("a", Decimal::ONE, d("1000.00"))],
        PaymentTerms::net(30),
        false,
    );
    b.0.close_period(
        day("2026-03-31"),
        ClosePolicy::MoveToOpenDay,
        &at("2026-04-02"),
    )
    .unwrap();
    let events = b.0.events().len();
    // A note is a document: it keeps its date, so it is refused.
    let err =
        b.0.execute(
            charge_note("INT-1", "2026-03-31", ChargeKind::Interest, "5.00"),
            &at("2026-04-03"),
        )
        .unwrap_err();
    assert_eq!(err.code(), "period_closed");
    assert_eq!(
        err.to_string(),
        "charge.date: 2026-03-31 is in a period closed up to 2026-03-31"
    );
    assert_eq!(b.0.events().len(), events);
    // A hold asked for in March is moved to April 1, its date kept.
    let moved = b.run(
        "2026-04-03",
        Command::SetCollectionsHold {
            customer: acme(),
            hold: true,
            date: day("2026-03-15"),
            reason: "in talks".into(),
        },
    );
    assert_eq!(moved.events[0].effective, day("2026-04-01"));
    assert_eq!(moved.events[0].requested, Some(day("2026-03-15")));
    // The log reads back with the moved record in it.
    let log = b.0.to_json().unwrap();
    assert_eq!(Ledger::from_json(&log).unwrap().events().len(), events + 1);
}

#[test]
fn aging_in_the_functional_currency_rounds_each_amount_once() {
    use ar_core::accounting::aging_in_functional;
    let mut b = Book::new();
    // EUR 33.33 due in 30 days and EUR 66.67 30 days late, for
    // Euro GmbH; USD 50.00 for ACME.
    b.invoice(
        "E-1",
        "EURO",
        "2026-03-01",
        vec![InvoiceLine::new("x", Decimal::ONE, d("33.33"))],
        PaymentTerms::net(30),
        false,
    );
    b.invoice(
        "E-2",
        "EURO",
        "2026-01-30",
        vec![InvoiceLine::new("y", Decimal::ONE, d("66.67"))],
        PaymentTerms::net(30),
        false,
    );
    b.invoice(
        "U-1",
        "ACME",
        "2026-03-01",
        vec![InvoiceLine::new("z", Decimal::ONE, d("50.00"))],
        PaymentTerms::net(30),
        false,
    );
    let mut opts = AgingOptions::new(day("2026-03-31"));
    opts.detail = true;
    let report = b.0.aging(&opts).unwrap();
    // On March 31, rate 1.115: 33.33 -> 37.16295 -> 37.16 (current);
    // 66.67 -> 74.33705 -> 74.34 (due March 1: 30 days, in 1-30).
    let rates = RateTable::new(
        usd(),
        vec![Rate {
            currency: eur(),
            date: day("2026-03-31"),
            rate: d("1.115"),
        }],
    )
    .unwrap();
    let f = aging_in_functional(&report, &rates, day("2026-03-31")).unwrap();
    let euro = f.rows.iter().find(|r| r.group == ["EURO"]).unwrap();
    assert_eq!(euro.currency, usd());
    assert_eq!(euro.buckets[0], d("37.16"));
    assert_eq!(euro.buckets[1], d("74.34"));
    assert_eq!(euro.total, d("111.50"));
    let acme_row = f.rows.iter().find(|r| r.group == ["ACME"]).unwrap();
    assert_eq!(acme_row.total, d("50.00"));
    assert_eq!(f.totals.len(), 1);
    assert_eq!(f.totals[0].total, d("161.50"));
    assert_eq!(
        f.detail.iter().map(|l| l.open).sum::<Decimal>(),
        d("161.50")
    );
    // No rate on the day asked: missing_rate, naming it.
    let err = aging_in_functional(&report, &rates, day("2026-03-30")).unwrap_err();
    assert_eq!(err.code(), "missing_rate");
}

#[test]
fn metrics_in_the_functional_currency_take_ratios_of_converted_sums() {
    let mut b = Book::new();
    let net = PaymentTerms::net;
    let line = |amount: &str| vec![InvoiceLine::new("x", Decimal::ONE, d(amount))];
    // Before March: USD 400.00 due 03-03 and EUR 200.00 due 02-24.
    b.invoice("U-0", "ACME", "2026-02-01", line("400.00"), net(30), false);
    b.invoice("E-0", "EURO", "2026-02-10", line("200.00"), net(14), false);
    // March sales: USD 1,000.00 due 03-31, EUR 500.00 due 04-09.
    b.invoice("U-1", "ACME", "2026-03-01", line("1000.00"), net(30), false);
    b.invoice("E-1", "EURO", "2026-03-10", line("500.00"), net(30), false);
    // USD 300.00 of U-0 paid 03-13 (40 days after its date, 10 late);
    // E-0 paid in full 03-26 (44 days, 30 late).
    b.receipt(
        "R-1",
        "ACME",
        "2026-03-13",
        "300.00",
        usd(),
        PaymentMethod::Ach,
    );
    b.apply("2026-03-13", rc("R-1"), "U-0", "300.00", "0");
    b.receipt(
        "R-2",
        "EURO",
        "2026-03-26",
        "200.00",
        eur(),
        PaymentMethod::Wire,
    );
    b.apply("2026-03-26", rc("R-2"), "E-0", "200.00", "0");

    let options =
        MetricsOptions::new(metrics::Period::new(day("2026-03-01"), day("2026-03-31")).unwrap());
    let rates = RateTable::new(
        usd(),
        vec![Rate {
            currency: eur(),
            date: day("2026-03-31"),
            rate: d("1.10"),
        }],
    )
    .unwrap();
    let rows =
        b.0.metrics_in_functional(&options, &rates, day("2026-03-31"))
            .unwrap();
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r.currency, usd());
    // In USD at 1.10: AR begin 400 + 220 = 620; AR end 1,100 + 550 =
    // 1,650, of which current 1,000 + 550 = 1,550; sales 1,000 + 550.
    assert_eq!(
        (r.ar_begin, r.ar_end, r.current_end, r.credit_sales),
        (d("620.00"), d("1650.00"), d("1550.00"), d("1550.00"))
    );
    // DSO 1,650 / 1,550 x 31 = 33; average (620 + 1,650) / 2 = 1,135,
    // / 1,550 x 31 = 22.7; best possible 31; delinquent 2.
    assert_eq!(r.dso_period_end, Some(d("33")));
    assert_eq!(r.dso_average, Some(d("22.7")));
    assert_eq!(r.best_possible_dso, Some(d("31")));
    assert_eq!(r.average_days_delinquent, Some(d("2")));
    // Countback: March's 1,550 leaves 100 of 1,650; February's sales
    // 400 + 220 = 620 over 28 days: 100 / 620 x 28 = 4.516..; 35.516..
    assert_eq!(r.dso_countback.unwrap().round_dp(4), d("35.5161"));
    // CEI (620 + 1,550 - 1,650) / (620 + 1,550 - 1,550) = 520 / 620.
    assert_eq!(r.cei.unwrap().round_dp(4), d("83.8710"));
    assert_eq!(r.percent_current.unwrap().round_dp(4), d("93.9394"));
    // Timing: days 40 and 44, late 10 and 30; weighted by USD 300 and
    // USD 220 (EUR 200 at 1.10): 21,680 / 520 and 9,600 / 520.
    assert_eq!(r.timing.payments, 2);
    assert_eq!(r.timing.average_days_to_pay, Some(d("42")));
    assert_eq!(r.timing.average_days_beyond_terms, Some(d("20")));
    assert_eq!(
        r.timing.weighted_days_to_pay.unwrap().round_dp(4),
        d("41.6923")
    );
    assert_eq!(
        r.timing.weighted_days_beyond_terms.unwrap().round_dp(4),
        d("18.4615")
    );
    // By customer: one row each, in USD; the EUR row's ratios are those of
    // its own currency (a rate scales both sides).
    let mut by_customer = options.clone();
    by_customer.group_by = vec![GroupBy::Customer];
    let rows =
        b.0.metrics_in_functional(&by_customer, &rates, day("2026-03-31"))
            .unwrap();
    let plain = b.0.metrics(&by_customer).unwrap();
    assert_eq!(rows.len(), 2);
    let euro = rows.iter().find(|r| r.group == ["EURO"]).unwrap();
    let euro_own = plain.iter().find(|r| r.group == ["EURO"]).unwrap();
    assert_eq!((euro.currency, euro.ar_end), (usd(), d("550.00")));
    assert_eq!(euro.dso_period_end, euro_own.dso_period_end);
    assert_eq!(euro.timing, euro_own.timing);
    // A rate missing on the day asked: missing_rate, nothing else.
    let err =
        b.0.metrics_in_functional(&options, &rates, day("2026-03-30"))
            .unwrap_err();
    assert_eq!(err.code(), "missing_rate");
}
