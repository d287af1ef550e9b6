//! A log read back is validated as strictly as the commands that made it,
//! and its hash chain detects an edited, dropped or reordered event.
//!
//! The edits are the ones outside testing made by hand to a saved log: each
//! must be `corrupt_log` naming the event, never a ledger whose figures
//! disagree with its own documents.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use ar_core::*;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
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

/// ACME (USD, net 30); INV-1 of 1 x 150.00 on 50/50 installments (75.00 +
/// 75.00); INV-2 of 1 x 150.00; R-1 of 100.00 applied 60.00 to INV-2.
fn book() -> Ledger {
    let mut l = Ledger::new();
    let usd = Currency::new("USD").unwrap();
    let acme = CustomerId::new("ACME").unwrap();
    let meta = at("2026-03-01T09:00:00Z");
    l.execute(
        Command::RegisterCustomer {
            customer: Customer::new(acme.clone(), "Acme", usd),
        },
        &meta,
    )
    .unwrap();
    let half = |days| InstallmentTerm {
        portion: Portion::Percent { percent: d("50") },
        due: DueRule::Net { days },
        discount: None,
    };
    let mut i1 = NewInvoice::new(
        InvoiceId::new("INV-1").unwrap(),
        acme.clone(),
        day("2026-03-01"),
        vec![InvoiceLine::new("Goods", d("1"), d("150.00"))],
    );
    i1.terms = Some(PaymentTerms::Installments {
        installments: vec![half(30), half(60)],
    });
    l.execute(Command::IssueInvoice { invoice: i1 }, &meta)
        .unwrap();
    let i2 = NewInvoice::new(
        InvoiceId::new("INV-2").unwrap(),
        acme.clone(),
        day("2026-03-02"),
        vec![InvoiceLine::new("Goods", d("1"), d("150.00"))],
    );
    l.execute(Command::IssueInvoice { invoice: i2 }, &meta)
        .unwrap();
    let receipt = Receipt {
        id: ReceiptId::new("R-1").unwrap(),
        customer: Some(acme),
        date: day("2026-03-05"),
        amount: d("100.00"),
        currency: usd,
        method: PaymentMethod::Ach,
        reference: None,
        remittance: "INV-2".into(),
        payer_name: None,
        payer_account: None,
    };
    l.execute(Command::RecordReceipt { receipt }, &meta)
        .unwrap();
    l.execute(
        Command::Apply {
            id: None,
            source: Source::Receipt(ReceiptId::new("R-1").unwrap()),
            invoice: InvoiceId::new("INV-2").unwrap(),
            installment: None,
            amount: d("60.00"),
            discount: Decimal::ZERO,
            date: day("2026-03-05"),
        },
        &meta,
    )
    .unwrap();
    l
}

/// The log as JSON of version 1 (no hashes), so that an edit is caught by
/// the validation of its events alone, not by the chain.
fn v1(l: &Ledger) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(&l.to_json().unwrap()).unwrap();
    v["version"] = 1.into();
    for e in v["events"].as_array_mut().unwrap() {
        e.as_object_mut().unwrap().remove("hash");
    }
    v
}

fn refused(v: &serde_json::Value, seq: u64) -> String {
    let err = Ledger::from_json(&v.to_string()).unwrap_err();
    assert_eq!(err.code(), "corrupt_log", "{err}");
    let msg = err.to_string();
    assert!(msg.contains(&format!("event {seq} (")), "{msg}");
    msg
}

#[test]
fn an_unedited_log_reads_back_in_both_versions() {
    let l = book();
    assert_eq!(Ledger::from_json(&l.to_json().unwrap()).unwrap(), l);
    assert_eq!(Ledger::from_json(&v1(&l).to_string()).unwrap(), l);
}

#[test]
fn a_negative_receipt_is_refused() {
    let mut v = v1(&book());
    v["events"][3]["event"]["receipt"]["amount"] = "-100.00".into();
    let msg = refused(&v, 4);
    assert!(msg.contains("must be greater than zero"), "{msg}");
}

#[test]
fn an_amount_finer_than_the_currency_is_refused() {
    let mut v = v1(&book());
    v["events"][3]["event"]["receipt"]["amount"] = "100.001".into();
    let msg = refused(&v, 4);
    assert!(msg.contains("decimal places"), "{msg}");
    // The same value at another scale is not the event its command gives.
    let mut v = v1(&book());
    v["events"][3]["event"]["receipt"]["amount"] = "100.0".into();
    let msg = refused(&v, 4);
    assert!(msg.contains("/receipt/amount"), "{msg}");
}

#[test]
fn an_installment_above_the_invoice_is_refused() {
    // 151.00 on an invoice of 150.00: installments must follow from terms.
    let mut v = v1(&book());
    v["events"][1]["event"]["invoice"]["installments"][1]["amount"] = "76.00".into();
    let msg = refused(&v, 2);
    assert!(msg.contains("/invoice/installments/1/amount"), "{msg}");
}

#[test]
fn totals_that_do_not_follow_from_lines_are_refused() {
    // Every 150.00 of INV-2 changed to 15.00 while its line says 1 x 150.00.
    let mut v = v1(&book());
    let text = v["events"][2]
        .to_string()
        .replace("\"150.00\"", "\"15.00\"");
    let line_price = "\"unit_price\":\"15.00\"";
    let text = text.replace(line_price, "\"unit_price\":\"150.00\"");
    v["events"][2] = serde_json::from_str(&text).unwrap();
    let msg = refused(&v, 3);
    assert!(msg.contains("where its command gives \"150.00\""), "{msg}");
}

#[test]
fn an_application_above_what_is_open_is_refused() {
    // 160.00 applied where the receipt holds 100.00.
    let mut v = v1(&book());
    v["events"][4]["event"]["allocations"][0]["amount"] = "160.00".into();
    let msg = refused(&v, 5);
    assert!(msg.contains("exceeds"), "{msg}");
}

#[test]
fn an_effective_date_that_its_command_would_not_give_is_refused() {
    let mut v = v1(&book());
    v["events"][2]["effective"] = "2026-02-01".into();
    refused(&v, 3);
}

#[test]
fn the_hash_chain_detects_edits_drops_and_moves() {
    let l = book();
    let good: serde_json::Value = serde_json::from_str(&l.to_json().unwrap()).unwrap();
    let head = l.chain_head().unwrap();
    // The last event's hash is the head.
    assert_eq!(good["events"][4]["hash"], head.to_string());

    // An edit that the rules allow (another remittance text) is caught by
    // the chain alone.
    let mut edited = good.clone();
    edited["events"][3]["event"]["receipt"]["remittance"] = "INV-1".into();
    let msg = refused(&edited, 4);
    assert!(msg.contains("hash"), "{msg}");

    // A dropped event: the sequence breaks, and so would the chain.
    let mut dropped = good.clone();
    dropped["events"].as_array_mut().unwrap().remove(2);
    assert_eq!(
        Ledger::from_json(&dropped.to_string()).unwrap_err().code(),
        "corrupt_log"
    );

    // Two events swapped with their seq numbers swapped back: caught.
    let mut moved = good.clone();
    let events = moved["events"].as_array_mut().unwrap();
    events.swap(1, 2);
    events[1]["seq"] = 2.into();
    events[2]["seq"] = 3.into();
    let msg = refused(&moved, 2);
    assert!(msg.contains("hash"), "{msg}");

    // A hash that is not hex, or missing in a version-2 log.
    let mut bad = good.clone();
    bad["events"][0]["hash"] = "zz".into();
    assert_eq!(
        Ledger::from_json(&bad.to_string()).unwrap_err().code(),
        "corrupt_log"
    );
    let mut missing = good;
    missing["events"][0].as_object_mut().unwrap().remove("hash");
    refused(&missing, 1);
}

#[test]
fn the_head_is_stable_and_advances_with_commands() {
    let mut l = book();
    let head = l.chain_head().unwrap();
    assert_eq!(l.chain_head().unwrap(), head);
    l.execute(
        Command::SetDispute {
            invoice: InvoiceId::new("INV-1").unwrap(),
            disputed: true,
            date: day("2026-03-06"),
            reason: "damaged".into(),
        },
        &at("2026-03-06T09:00:00Z"),
    )
    .unwrap();
    let next = l.chain_head().unwrap();
    assert_ne!(next, head);
    // The head is the last link computed from the one before: replaying
    // the events one at a time gives the same.
    let mut h = ChainHash::GENESIS;
    for e in l.events() {
        h = h.after(e).unwrap();
    }
    assert_eq!(h, next);
    let back = Ledger::from_json(&l.to_json().unwrap()).unwrap();
    assert_eq!(back.chain_head().unwrap(), next);
}

#[test]
fn append_checks_each_event_as_its_command() {
    // An app storing one event at a time gets the same checks.
    let l = book();
    let mut copy = Ledger::new();
    for e in l.events().iter().take(3) {
        copy.append(e.clone()).unwrap();
    }
    let mut receipt = l.events()[3].clone();
    if let Event::ReceiptRecorded { receipt: r } = &mut receipt.event {
        let mut changed = (**r).clone();
        changed.amount = d("-1.00");
        *r = std::sync::Arc::new(changed);
    }
    let before = copy.clone();
    assert_eq!(copy.append(receipt).unwrap_err().code(), "corrupt_log");
    assert_eq!(copy, before);
}

#[test]
fn customers_are_records_in_time() {
    // ACME registered at 09:00 on 03-01 (book); BETA at 10:00 on 03-10;
    // ACME renamed and moved to EUR at 11:00 on 03-10.
    let mut l = book();
    let t1: DateTime<Utc> = "2026-03-01T09:00:00Z".parse().unwrap();
    let beta = Customer::new(
        CustomerId::new("BETA").unwrap(),
        "Beta",
        Currency::new("USD").unwrap(),
    );
    l.execute(
        Command::RegisterCustomer { customer: beta },
        &at("2026-03-10T10:00:00Z"),
    )
    .unwrap();
    let renamed = Customer::new(
        CustomerId::new("ACME").unwrap(),
        "Acme Europe",
        Currency::new("EUR").unwrap(),
    )
    .with_dimension("region", "EU");
    l.execute(
        Command::UpdateCustomer { customer: renamed },
        &at("2026-03-10T11:00:00Z"),
    )
    .unwrap();

    let then = View {
        as_of: None,
        known_at: Some(t1),
    };
    // As known at t1: only ACME, in USD (its currency then), no BETA row.
    let rows = l.balances(&then);
    let names: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r.customer.as_ref().unwrap().as_str(), r.currency.code()))
        .collect();
    assert_eq!(names, [("ACME", "USD")]);
    assert_eq!(
        l.customer_balance(&CustomerId::new("BETA").unwrap(), &then)
            .unwrap_err()
            .code(),
        "not_found"
    );
    // Now: both, ACME's zero row in EUR beside its USD items.
    let now = l.balances(&View::all());
    let names: Vec<(&str, &str)> = now
        .iter()
        .map(|r| (r.customer.as_ref().unwrap().as_str(), r.currency.code()))
        .collect();
    assert_eq!(names, [("ACME", "EUR"), ("ACME", "USD"), ("BETA", "USD")]);
    // The history survives a round trip through the log.
    let back = Ledger::from_json(&l.to_json().unwrap()).unwrap();
    assert_eq!(back.balances(&then), rows);
}

/// A snapshot is refused when any byte of it is damaged: a flipped bit in
/// any event, or the header, gives another head, another count, or bytes
/// that do not read.
#[test]
fn a_snapshot_damaged_anywhere_is_refused() {
    let l = snapshot_book();
    let snap = l.snapshot().unwrap();
    assert_eq!(Ledger::restore(&snap, []).unwrap(), l);
    // Every byte of the header and of the first events, and a sample after.
    let step = (snap.len() / 2_000).max(1);
    let places: Vec<usize> = (0..600).chain((600..snap.len()).step_by(step)).collect();
    for i in places {
        let mut bad = snap.clone();
        bad[i] ^= 0x01;
        let err = Ledger::restore(&bad, []).unwrap_err();
        assert!(
            matches!(err.code(), "corrupt_log" | "unsupported_log_version"),
            "byte {i}: {err}"
        );
    }
}

/// The ledger of the log tests' books, with a customer, invoices, a
/// receipt applied and an idempotency key.
fn snapshot_book() -> Ledger {
    let usd = Currency::new("USD").unwrap();
    let acme = CustomerId::new("ACME").unwrap();
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    let at = |d: u32| CommandMeta::at(Utc.with_ymd_and_hms(2026, 3, d, 9, 0, 0).unwrap());
    let mut l = Ledger::new();
    l.execute(
        Command::RegisterCustomer {
            customer: Customer::new(acme.clone(), "Acme", usd),
        },
        &at(1),
    )
    .unwrap();
    for n in 1..=3u32 {
        let line = InvoiceLine::new("Widgets", Decimal::from(n), Decimal::new(1250, 2));
        let invoice = NewInvoice::new(
            InvoiceId::new(format!("INV-{n}")).unwrap(),
            acme.clone(),
            day(n),
            vec![line],
        );
        l.execute(Command::IssueInvoice { invoice }, &at(n))
            .unwrap();
    }
    let receipt = Receipt::new(
        ReceiptId::new("R-1").unwrap(),
        day(5),
        usd,
        Decimal::new(1250, 2),
    )
    .with_customer(acme);
    l.execute(Command::RecordReceipt { receipt }, &at(5))
        .unwrap();
    let keyed = CommandMeta {
        idempotency_key: Some("k-1".into()),
        ..at(5)
    };
    l.execute(
        Command::ApplyFifo {
            source: Source::Receipt(ReceiptId::new("R-1").unwrap()),
            date: day(5),
            include_disputed: false,
        },
        &keyed,
    )
    .unwrap();
    l
}

/// Restoring reports its progress over the snapshot's events and then the
/// tail's, and stops when told to, making nothing.
#[test]
fn a_restore_reports_progress_and_stops_when_told() {
    use std::ops::ControlFlow;
    let mut l = snapshot_book();
    let snap = l.snapshot().unwrap();
    let from = l.events().len();
    let usd = Currency::new("USD").unwrap();
    let globex = Customer::new(CustomerId::new("GLOBEX").unwrap(), "Globex", usd);
    let at = CommandMeta::at(Utc.with_ymd_and_hms(2026, 3, 6, 9, 0, 0).unwrap());
    l.execute(Command::RegisterCustomer { customer: globex }, &at)
        .unwrap();
    let tail = l.log_lines(from).unwrap();
    let tail: Vec<&str> = tail.iter().map(String::as_str).collect();
    let mut seen = Vec::new();
    let restored = Ledger::restore_with_progress(&snap, &tail, &mut |p: Progress| {
        seen.push((p.done, p.total));
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(restored, l);
    // Six events in the snapshot, one line after it: told once, at the end.
    assert_eq!(seen, [(7, 7)]);
    let stopped = Ledger::restore_with_progress(&snap, &tail, &mut |_| ControlFlow::Break(()));
    assert_eq!(stopped.unwrap_err().code(), "interrupted");
}
