//! Cash application through the ledger: proposals from the books, carried
//! out by the ledger's own commands, all or nothing.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use ar_core::matching::{MatchOptions, MatchReceipt, MatchStatus, Matcher, PayerBasis, Tolerance};
use ar_core::*;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}
fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}
fn at(s: &str) -> CommandMeta {
    CommandMeta::at(s.parse::<DateTime<Utc>>().unwrap())
}

/// ACME (2/10 net 30): INV-1001 1,000.00 on 03-01 (20.00 off until 03-11),
/// INV-1002 250.00 and INV-1003 50.00 on 03-05. GLOBEX (net 30): INV-2001
/// 400.00 on 03-02.
///
/// - R1, ACME, 03-10, 980.00 "INV-1001": the discount in its window.
/// - R2, no payer, 03-20, 300.00 "ACME CORP INV 1002 1003": the references
///   name ACME; 250.00 + 50.00 = 300.00. Their discounts (5.00, 1.00) closed
///   on 03-15.
/// - R3, GLOBEX, 03-25, 385.00, no remittance: 15.00 short of INV-2001,
///   within a 25.00 tolerance: written off once a person confirms it, as
///   only the amount points at INV-2001.
fn books() -> Ledger {
    let mut l = Ledger::new();
    let usd = Currency::new("USD").unwrap();
    let acme = CustomerId::new("ACME").unwrap();
    let globex = CustomerId::new("GLOBEX").unwrap();
    let t = at("2026-03-01T08:00:00Z");
    l.execute(
        Command::RegisterCustomer {
            customer: Customer::new(acme.clone(), "Acme Corp", usd)
                .with_terms(PaymentTerms::net(30).with_discount(d("2"), 10)),
        },
        &t,
    )
    .unwrap();
    l.execute(
        Command::RegisterCustomer {
            customer: Customer::new(globex.clone(), "Globex Corporation", usd),
        },
        &t,
    )
    .unwrap();
    for (id, c, date, amount) in [
        ("INV-1001", &acme, "2026-03-01", "1000.00"),
        ("INV-2001", &globex, "2026-03-02", "400.00"),
        ("INV-1002", &acme, "2026-03-05", "250.00"),
        ("INV-1003", &acme, "2026-03-05", "50.00"),
    ] {
        let invoice = NewInvoice::new(
            InvoiceId::new(id).unwrap(),
            c.clone(),
            day(date),
            vec![InvoiceLine::new("Goods", d("1"), d(amount))],
        );
        l.execute(Command::IssueInvoice { invoice }, &t).unwrap();
    }
    for (id, c, date, amount, text) in [
        ("R1", Some(&acme), "2026-03-10", "980.00", "INV-1001"),
        (
            "R2",
            None,
            "2026-03-20",
            "300.00",
            "ACME CORP INV 1002 1003",
        ),
        ("R3", Some(&globex), "2026-03-25", "385.00", ""),
    ] {
        let receipt = Receipt {
            id: ReceiptId::new(id).unwrap(),
            customer: c.cloned(),
            date: day(date),
            amount: d(amount),
            currency: usd,
            method: PaymentMethod::Ach,
            reference: None,
            remittance: text.into(),
            payer_name: None,
            payer_account: None,
        };
        l.execute(
            Command::RecordReceipt { receipt },
            &at("2026-03-26T08:00:00Z"),
        )
        .unwrap();
    }
    l
}

fn options() -> MatchOptions {
    MatchOptions {
        tolerance: Tolerance {
            fixed: Some(d("25.00")),
            percent: None,
        },
        ..MatchOptions::default()
    }
}

#[test]
fn proposals_from_the_books_settle_everything_exactly() {
    let mut l = books();
    let items = l.match_items(&View::all());
    let i1001 = items.iter().find(|i| i.id == "INV-1001").unwrap();
    assert_eq!(i1001.discount.unwrap().amount, d("20.00"));
    assert_eq!(i1001.discount.unwrap().until, day("2026-03-11"));

    let batch = l.match_receipts(&View::all(), &options()).unwrap();
    let statuses: Vec<(&str, MatchStatus)> = batch
        .matches
        .iter()
        .map(|m| (m.receipt.as_str(), m.status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("R1", MatchStatus::Auto),
            ("R2", MatchStatus::Auto),
            ("R3", MatchStatus::Review)
        ]
    );
    assert_eq!(
        batch.matches[2].proposals[0].applications[0].write_off,
        d("15.00")
    );
    assert_eq!(
        batch.matches[1].proposals[0].payer_basis,
        PayerBasis::Reference
    );
    assert_eq!(batch.summary[0].amount, d("1280.00"));

    // R3's proposal confirmed with the others.
    for (k, m) in batch.matches.iter().enumerate() {
        let meta = at(&format!("2026-03-27T08:00:0{k}Z"));
        l.apply_match(m, 0, &meta).unwrap();
    }
    let v = View::all();
    let i1001 = l.invoice(&InvoiceId::new("INV-1001").unwrap(), &v).unwrap();
    assert_eq!(
        (i1001.open, i1001.paid, i1001.discounted),
        (d("0.00"), d("980.00"), d("20.00"))
    );
    let i2001 = l.invoice(&InvoiceId::new("INV-2001").unwrap(), &v).unwrap();
    assert_eq!((i2001.paid, i2001.written_off), (d("385.00"), d("15.00")));
    assert_eq!(i2001.status, InvoiceStatus::WrittenOff);
    // Nothing open, no cash left.
    assert!(l.open_items(&v).is_empty());
    // R2's payer is now ACME.
    let r2 = l
        .source(&Source::Receipt(ReceiptId::new("R2").unwrap()), &v)
        .unwrap();
    assert_eq!(r2.customer, Some(CustomerId::new("ACME").unwrap()));
    // As of 03-05 the discount R1 took on 03-10 is still on offer, whole.
    let then = l.match_items(&View::as_of(day("2026-03-05")));
    let i1001 = then.iter().find(|i| i.id == "INV-1001").unwrap();
    assert_eq!(
        (i1001.open, i1001.discount.unwrap().amount),
        (d("1000.00"), d("20.00"))
    );
    // Replaying the log gives the same books.
    assert_eq!(Ledger::from_json(&l.to_json().unwrap()).unwrap(), l);
}

#[test]
fn a_stale_proposal_is_refused_whole() {
    let mut l = books();
    let m = l
        .match_receipt(&ReceiptId::new("R2").unwrap(), &View::all(), &options())
        .unwrap();
    assert_eq!(m.status, MatchStatus::Auto);
    // Someone settles INV-1003 by hand with R1's cash meanwhile.
    l.execute(
        Command::Apply {
            id: None,
            source: Source::Receipt(ReceiptId::new("R1").unwrap()),
            invoice: InvoiceId::new("INV-1003").unwrap(),
            installment: None,
            amount: d("50.00"),
            discount: d("0"),
            date: day("2026-03-20"),
        },
        &at("2026-03-27T08:00:00Z"),
    )
    .unwrap();
    let before = l.to_json().unwrap();
    // Assign payer and INV-1002 would pass; INV-1003 no longer can.
    let err = l
        .apply_match(&m, 0, &at("2026-03-27T09:00:00Z"))
        .unwrap_err();
    assert_eq!(err.code(), "over_application");
    assert_eq!(l.to_json().unwrap(), before);
    // And with an idempotency key, the keys of the undone commands are gone too.
    let meta = at("2026-03-27T09:00:00Z").with_key("match-R2");
    assert!(l.apply_match(&m, 0, &meta).is_err());
    assert_eq!(l.to_json().unwrap(), before);
    // A fresh proposal under the same key: R2 settles INV-1002, 50.00 left.
    let fresh = l
        .match_receipt(&ReceiptId::new("R2").unwrap(), &View::all(), &options())
        .unwrap();
    assert_eq!(fresh.proposals[0].unapplied, d("50.00"));
    let out = l.apply_match(&fresh, 0, &meta).unwrap();
    assert_eq!(out.len(), 2);
    // Retried with the same key: replayed, nothing appended.
    let n = l.events().len();
    let again = l.apply_match(&fresh, 0, &meta).unwrap();
    assert!(again.iter().all(|o| o.replayed));
    assert_eq!(l.events().len(), n);
}

#[test]
fn a_payer_named_since_the_proposal_is_not_named_again() {
    let mut l = books();
    let m = l
        .match_receipt(&ReceiptId::new("R2").unwrap(), &View::all(), &options())
        .unwrap();
    assert_eq!(m.commands(0).unwrap()[0].name(), "assign_payer");
    l.execute(
        Command::AssignPayer {
            receipt: ReceiptId::new("R2").unwrap(),
            customer: CustomerId::new("ACME").unwrap(),
            date: day("2026-03-20"),
        },
        &at("2026-03-27T08:00:00Z"),
    )
    .unwrap();
    let outcomes = l.apply_match(&m, 0, &at("2026-03-27T09:00:00Z")).unwrap();
    assert_eq!(outcomes.len(), 2);
    let i1002 = l
        .invoice(&InvoiceId::new("INV-1002").unwrap(), &View::all())
        .unwrap();
    assert_eq!(i1002.open, d("0.00"));
}

#[test]
fn unknown_receipt_and_missing_proposal() {
    let l = books();
    let err = l
        .match_receipt(&ReceiptId::new("R9").unwrap(), &View::all(), &options())
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    let m = l
        .match_receipt(&ReceiptId::new("R1").unwrap(), &View::all(), &options())
        .unwrap();
    assert_eq!(m.commands(5).unwrap_err().code(), "not_found");
}

#[test]
fn customers_are_offered_as_the_view_knows_them() {
    // ACME and GLOBEX are registered at 03-01 08:00; INITECH at 04-01.
    let mut l = books();
    let initech = Customer::new(
        CustomerId::new("INITECH").unwrap(),
        "Initech",
        Currency::new("USD").unwrap(),
    );
    l.execute(
        Command::RegisterCustomer { customer: initech },
        &at("2026-04-01T08:00:00Z"),
    )
    .unwrap();
    let ids = |view: &View| -> Vec<String> {
        l.match_customers(view)
            .iter()
            .map(|c| c.id.to_string())
            .collect()
    };
    assert_eq!(ids(&View::all()), ["ACME", "GLOBEX", "INITECH"]);
    let march = View::all().known_at("2026-03-31T00:00:00Z".parse().unwrap());
    assert_eq!(ids(&march), ["ACME", "GLOBEX"]);
    // An effective date alone does not hide a customer: customers are
    // registered when recorded, often after the history they carry.
    assert_eq!(ids(&View::as_of(day("2026-03-02"))).len(), 3);
}

/// INV-1004 ACME and INV-2002 GLOBEX, both 120.00 on 03-20.
fn twins(l: &mut Ledger, t: &CommandMeta) {
    for (id, c) in [("INV-1004", "ACME"), ("INV-2002", "GLOBEX")] {
        let invoice = NewInvoice::new(
            InvoiceId::new(id).unwrap(),
            CustomerId::new(c).unwrap(),
            day("2026-03-20"),
            vec![InvoiceLine::new("Goods", d("1"), d("120.00"))],
        );
        l.execute(Command::IssueInvoice { invoice }, t).unwrap();
    }
}

/// The books, then:
/// - R1 (ACME) came from account DE89 3704 0044 0532 0130 00, applied.
/// - INV-1004 ACME 03-20 120.00 and INV-2002 GLOBEX 03-20 120.00: the same
///   amount for two customers.
/// - R4 on 03-28, 120.00, no payer, no remittance, from the same account,
///   the bank naming the payer "ACME CORPORATION": only the account and the
///   name tell whose 120.00 it is.
#[test]
fn the_accounts_a_customer_paid_from_identify_it_later() {
    let mut l = books();
    let batch = l.match_receipts(&View::all(), &options()).unwrap();
    l.apply_match(&batch.matches[0], 0, &at("2026-03-27T08:00:00Z"))
        .unwrap();
    // R1 is recorded without an account; a later receipt from ACME with it.
    let usd = Currency::new("USD").unwrap();
    let acme = CustomerId::new("ACME").unwrap();
    let t = at("2026-03-28T08:00:00Z");
    twins(&mut l, &t);
    let iban = "DE89 3704 0044 0532 0130 00";
    let r5 = Receipt::new(
        ReceiptId::new("R5").unwrap(),
        day("2026-03-28"),
        usd,
        d("50.00"),
    )
    .with_customer(acme.clone())
    .with_payer_account(iban);
    l.execute(Command::RecordReceipt { receipt: r5 }, &t)
        .unwrap();
    let r4 = Receipt::new(
        ReceiptId::new("R4").unwrap(),
        day("2026-03-28"),
        usd,
        d("120.00"),
    )
    .with_payer_account(iban)
    .with_payer_name("ACME CORPORATION");
    l.execute(Command::RecordReceipt { receipt: r4 }, &t)
        .unwrap();

    let inputs = l.match_receipt_inputs(&View::all());
    let r4 = inputs.iter().find(|r| r.id == "R4").unwrap();
    assert_eq!(r4.account.as_deref(), Some(iban));
    assert_eq!(r4.payer_name.as_deref(), Some("ACME CORPORATION"));
    let customers = l.match_customers(&View::all());
    let known = customers.iter().find(|c| c.id == acme).unwrap();
    assert_eq!(known.accounts, [iban.to_owned()]);

    let batch = l.match_receipts(&View::all(), &options()).unwrap();
    let m = batch.matches.iter().find(|m| m.receipt == "R4").unwrap();
    let best = &m.proposals[0];
    assert_eq!(best.customer, acme);
    assert_eq!(best.payer_basis, PayerBasis::Account);
    assert_eq!(best.applications[0].invoice, "INV-1004");
    // Without the account, two customers' 120.00 fit: never automatic.
    let mut blind = books();
    twins(&mut blind, &t);
    let r4 = Receipt::new(
        ReceiptId::new("R4").unwrap(),
        day("2026-03-28"),
        usd,
        d("120.00"),
    );
    blind
        .execute(Command::RecordReceipt { receipt: r4 }, &t)
        .unwrap();
    let batch = blind.match_receipts(&View::all(), &options()).unwrap();
    let m = batch.matches.iter().find(|m| m.receipt == "R4").unwrap();
    assert_ne!(m.status, MatchStatus::Auto);
    // The fields travel in the log and back.
    assert_eq!(Ledger::from_json(&l.to_json().unwrap()).unwrap(), l);
}

/// A matcher kept beside the books: built from them once, then told what
/// the ledger's events since changed (`Ledger::match_changes`,
/// `Matcher::sync`). After the books (R1 applied through a proposal), a new
/// invoice, a credit memo of ACME (60.00, applied in part: 10.00 on
/// INV-1003), INV-2001 disputed and INV-1002 voided, it proposes what a
/// matcher built from the books as they now stand proposes.
#[test]
fn a_kept_matcher_follows_the_ledgers_events() {
    let mut l = books();
    let view = View::all();
    let mut kept =
        Matcher::new(l.match_items(&view), &l.match_customers(&view), options()).unwrap();
    let since = l.events().len();
    let batch = l.match_receipts(&view, &options()).unwrap();
    l.apply_match(&batch.matches[0], 0, &at("2026-03-27T08:00:00Z"))
        .unwrap();
    let t = at("2026-03-28T08:00:00Z");
    let acme = CustomerId::new("ACME").unwrap();
    let invoice = NewInvoice::new(
        InvoiceId::new("INV-1005").unwrap(),
        acme.clone(),
        day("2026-03-21"),
        vec![InvoiceLine::new("Goods", d("1"), d("75.00"))],
    );
    l.execute(Command::IssueInvoice { invoice }, &t).unwrap();
    l.execute(
        Command::IssueCreditMemo {
            id: CreditMemoId::new("CM-9").unwrap(),
            customer: acme.clone(),
            date: day("2026-03-22"),
            currency: None,
            against: None,
            kind: CreditKind::Amount { amount: d("60.00") },
            reason: "Returned goods".into(),
        },
        &t,
    )
    .unwrap();
    let apply = NewApplication::new(
        Source::CreditMemo(CreditMemoId::new("CM-9").unwrap()),
        InvoiceId::new("INV-1003").unwrap(),
        d("10.00"),
        day("2026-03-22"),
    );
    l.execute(apply.into(), &t).unwrap();
    l.execute(
        Command::SetDispute {
            invoice: InvoiceId::new("INV-2001").unwrap(),
            disputed: true,
            date: day("2026-03-23"),
            reason: "Quantity short".into(),
        },
        &t,
    )
    .unwrap();
    l.execute(
        Command::VoidInvoice {
            invoice: InvoiceId::new("INV-1002").unwrap(),
            date: day("2026-03-24"),
            reason: "Issued in error".into(),
        },
        &t,
    )
    .unwrap();

    let changes = l.match_changes(since, &view).unwrap();
    assert_eq!(changes.through, l.events().len());
    let mut touched: Vec<&str> = changes.items.iter().map(|m| m.id.as_str()).collect();
    touched.sort_unstable();
    // INV-1001 (paid by R1) and INV-1002 (voided) are closed; the others
    // as they now stand.
    assert_eq!(touched, ["CM-9", "INV-1003", "INV-1005", "INV-2001"]);
    let mut closed: Vec<&str> = changes.closed.iter().map(|k| k.id.as_str()).collect();
    closed.sort_unstable();
    assert_eq!(closed, ["INV-1001", "INV-1002"]);
    kept.sync(changes.items, &changes.closed).unwrap();
    // Nothing since: nothing to tell.
    let none = l.match_changes(l.events().len(), &view).unwrap();
    assert!(none.items.is_empty() && none.closed.is_empty());
    assert_eq!(
        l.match_changes(l.events().len() + 1, &view)
            .unwrap_err()
            .code(),
        "invalid_value"
    );

    let fresh = Matcher::new(l.match_items(&view), &l.match_customers(&view), options()).unwrap();
    let usd = Currency::new("USD").unwrap();
    let receipts: Vec<MatchReceipt> = [
        ("N1", Some("ACME"), "65.00", ""),
        ("N2", Some("ACME"), "40.00", "INV-1003"),
        ("N3", Some("GLOBEX"), "400.00", "INV-2001"),
        ("N4", Some("ACME"), "250.00", "INV-1002"),
        ("N5", None, "75.00", "INV-1005"),
    ]
    .into_iter()
    .map(|(id, c, amount, text)| MatchReceipt {
        id: id.into(),
        customer: c.map(|c| CustomerId::new(c).unwrap()),
        date: day("2026-03-30"),
        amount: d(amount),
        currency: usd,
        remittance: text.into(),
        payer_name: None,
        account: None,
    })
    .collect();
    let (a, b) = (
        kept.clone().match_batch(&receipts).unwrap(),
        fresh.clone().match_batch(&receipts).unwrap(),
    );
    assert_eq!(
        a.matches.iter().map(|m| m.status).collect::<Vec<_>>(),
        b.matches.iter().map(|m| m.status).collect::<Vec<_>>()
    );
    for (x, y) in a.matches.iter().zip(&b.matches) {
        assert_eq!(
            x.proposals.first().map(|p| &p.applications),
            y.proposals.first().map(|p| &p.applications),
            "{}",
            x.receipt
        );
    }
    // N5 names INV-1005 (new since the matcher was built) and settles it.
    assert_eq!(a.matches[4].status, MatchStatus::Auto);
    // N2: INV-1003 has 40.00 open now (50.00 less the credit's 10.00).
    assert_eq!(a.matches[1].status, MatchStatus::Auto);
}
