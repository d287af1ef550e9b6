//! The cash-application generator keeps its own promises: every truth
//! settles open items of the payer in the receipt's currency, the amounts
//! add up to the receipt, and no item is settled beyond what it has open
//! across the batch.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::collections::{HashMap, HashSet};

use ar_benches::cash::{self, AmountKind, PayerEvidence, Style};
use ar_benches::cash_baselines::{greedy_oldest, regex_fifo, scan_references};
use ar_core::matching::{ItemKind, MatchItem, MatchOptions, Matcher};
use ar_core::rust_decimal::Decimal;

fn book() -> cash::CashBook {
    cash::generate(2_000, 7)
}

#[test]
fn truths_settle_open_items_and_add_up() {
    let b = book();
    assert!(b.receipts.len() > 200, "{} receipts", b.receipts.len());
    assert_eq!(b.receipts.len(), b.truths.len());
    let tolerance = b.tolerance.fixed.unwrap();

    let mut items: HashMap<(ItemKind, &str, Option<u32>), &MatchItem> = HashMap::new();
    for m in &b.items {
        assert!(m.open > Decimal::ZERO, "{m:?}");
        assert_eq!(m.open.scale(), 2);
        if let Some(d) = &m.discount {
            assert!(d.amount > Decimal::ZERO && d.amount < m.open, "{m:?}");
        }
        let dup = items.insert((m.kind, m.id.as_str(), m.installment), m);
        assert!(dup.is_none(), "{} twice", m.id);
    }
    let mut used: HashMap<(ItemKind, String, Option<u32>), Decimal> = HashMap::new();
    let mut ids = HashSet::new();
    let mut last_date = b.batch_date;
    for (r, t) in b.receipts.iter().zip(&b.truths) {
        assert!(ids.insert(r.id.clone()), "{} twice", r.id);
        assert!(r.date >= last_date && r.date >= b.batch_date);
        assert!(r.date < b.batch_date + ar_core::chrono::Duration::days(cash::WINDOW_DAYS));
        last_date = r.date;
        assert!(r.amount > Decimal::ZERO, "{}", r.id);
        assert!(r.remittance.len() <= 140, "{}", r.id);
        assert_eq!(
            r.remittance.is_empty(),
            t.category.style == Style::None,
            "{}",
            r.id
        );
        assert_eq!(
            r.customer.is_some(),
            t.category.payer == PayerEvidence::Given,
            "{}",
            r.id
        );
        if let Some(c) = &r.customer {
            assert_eq!(c, &t.customer);
        }
        assert!(!t.settles.is_empty(), "{} settles nothing", r.id);
        assert!(t.unapplied >= Decimal::ZERO);
        let mut cash = Decimal::ZERO;
        let mut write_off = Decimal::ZERO;
        let mut seen_cash = false;
        for s in &t.settles {
            assert!(s.amount >= Decimal::ZERO && s.discount >= Decimal::ZERO);
            assert!(s.write_off >= Decimal::ZERO);
            assert!(
                s.amount > Decimal::ZERO || s.write_off > Decimal::ZERO,
                "{}",
                r.id
            );
            let inv = items
                .get(&(ItemKind::Invoice, s.invoice.as_str(), s.installment))
                .unwrap_or_else(|| panic!("{}: {} is not open", r.id, s.invoice));
            assert_eq!(inv.customer, t.customer, "{}", r.id);
            assert_eq!(inv.currency, r.currency, "{}", r.id);
            assert!(!inv.disputed, "{}", r.id);
            *used
                .entry((ItemKind::Invoice, s.invoice.clone(), s.installment))
                .or_default() += s.amount + s.discount + s.write_off;
            match &s.credit_memo {
                Some(cm) => {
                    // Credit memos come first, and without discount or write-off.
                    assert!(!seen_cash, "{}: credit after cash", r.id);
                    assert!(s.discount.is_zero() && s.write_off.is_zero());
                    let memo = items
                        .get(&(ItemKind::CreditMemo, cm.as_str(), None))
                        .unwrap_or_else(|| panic!("{}: {cm} is not open", r.id));
                    assert_eq!(memo.customer, t.customer);
                    assert_eq!(memo.currency, r.currency);
                    *used
                        .entry((ItemKind::CreditMemo, cm.clone(), None))
                        .or_default() += s.amount;
                }
                None => {
                    seen_cash = true;
                    cash += s.amount;
                    write_off += s.write_off;
                    if s.discount > Decimal::ZERO {
                        let offer = inv.discount.unwrap();
                        assert_eq!(s.discount, offer.amount, "{}", r.id);
                        assert!(r.date <= offer.until, "{}", r.id);
                        assert_eq!(t.category.amount, AmountKind::Discount);
                    }
                }
            }
        }
        assert_eq!(cash + t.unapplied, r.amount, "{}", r.id);
        assert!(write_off <= tolerance, "{}", r.id);
        if write_off > Decimal::ZERO {
            assert_eq!(t.category.amount, AmountKind::BankFee, "{}", r.id);
        }
        // Short beyond the tolerance, when the truth leaves it open.
        if matches!(t.category.amount, AmountKind::Dispute | AmountKind::Partial) {
            let open: Decimal = t
                .settles
                .iter()
                .map(|s| items[&(ItemKind::Invoice, s.invoice.as_str(), s.installment)].open)
                .sum();
            assert!(open - cash > tolerance, "{}", r.id);
        }
        if t.unapplied > Decimal::ZERO {
            assert_eq!(t.category.amount, AmountKind::Overpayment, "{}", r.id);
        }
    }
    for ((kind, id, k), total) in &used {
        let m = items[&(*kind, id.as_str(), *k)];
        assert!(*total <= m.open, "{id} settled {total} of {}", m.open);
        if *kind == ItemKind::CreditMemo {
            // A netted memo is used whole.
            assert_eq!(*total, m.open, "{id}");
        }
    }
}

#[test]
fn the_mix_is_realistic() {
    let b = book();
    let n = b.truths.len();
    let share =
        |f: &dyn Fn(&cash::Truth) -> bool| b.truths.iter().filter(|t| f(t)).count() * 100 / n;
    let amount_only = share(&|t| t.category.style == Style::None);
    assert!(
        (8..=20).contains(&amount_only),
        "{amount_only}% amount-only"
    );
    let unnamed = share(&|t| t.category.payer != PayerEvidence::Given);
    assert!((1..=8).contains(&unnamed), "{unnamed}% without payer");
    let exact = share(&|t| t.category.amount == AmountKind::Exact);
    assert!(exact >= 70, "{exact}% exact");
    // Every kind of receipt the generator promises shows up at this size.
    for kind in [
        AmountKind::Discount,
        AmountKind::BankFee,
        AmountKind::Dispute,
        AmountKind::Overpayment,
        AmountKind::CreditNetting,
    ] {
        assert!(
            b.truths.iter().any(|t| t.category.amount == kind),
            "no {kind:?}"
        );
    }
}

#[test]
fn generation_is_deterministic_and_the_matcher_accepts_it() {
    let a = book();
    let b = book();
    assert_eq!(a.items, b.items);
    assert_eq!(a.receipts, b.receipts);
    assert_eq!(a.truths, b.truths);
    let options = MatchOptions {
        tolerance: a.tolerance,
        ..MatchOptions::default()
    };
    let mut m = Matcher::new(a.items.clone(), &a.customers, options).unwrap();
    let batch = m.match_batch(&a.receipts).unwrap();
    assert_eq!(batch.matches.len(), a.receipts.len());
}

#[test]
fn baselines_conserve_cash() {
    let b = book();
    for outcomes in [
        regex_fifo(&b.items, &b.receipts),
        greedy_oldest(&b.items, &b.receipts),
    ] {
        assert_eq!(outcomes.len(), b.receipts.len());
        for (o, r) in outcomes.iter().zip(&b.receipts) {
            let applied: Decimal = o.settles.iter().map(|s| s.amount).sum();
            assert_eq!(applied + o.unapplied, r.amount, "{}", r.id);
            assert_eq!(o.applied, !o.settles.is_empty());
            if r.customer.is_none() {
                assert!(!o.applied);
            }
        }
    }
    assert_eq!(
        scan_references("ACH CCD ACME INV123456 INV-0123457, #123458 PO 4500012345 CHECK 12"),
        ["123456", "123457", "123458"]
    );
}
