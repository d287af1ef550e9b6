//! Properties of the matcher over random books and receipts: no cent is
//! lost or invented, nothing is settled beyond what is open, automatic
//! applications are sure and alone, and results are deterministic.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use std::collections::HashMap;

use ar_core::chrono::{Duration, NaiveDate};
use ar_core::matching::{
    match_receipts, parse_remittance, ItemKind, MatchDiscount, MatchItem, MatchItemKey,
    MatchOptions, MatchReceipt, MatchStatus, Matcher, SourceKind, Tolerance,
};
use ar_core::rust_decimal::Decimal;
use ar_core::{Currency, CustomerId};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Case {
    items: Vec<MatchItem>,
    receipts: Vec<MatchReceipt>,
}

fn cents(v: i64) -> Decimal {
    Decimal::new(v, 2)
}

fn case() -> impl Strategy<Value = Case> {
    // (customer, cents, days, has discount, is credit)
    let item = (0u8..3, 1i64..50_000, 0i64..90, any::<bool>(), 0u8..8);
    let items = prop::collection::vec(item, 1..25);
    // (payer known, pick mask, extra cents, remittance style, day)
    let receipt = (
        any::<bool>(),
        any::<u32>(),
        -3000i64..3000,
        0u8..6,
        0i64..120,
    );
    let receipts = prop::collection::vec(receipt, 1..8);
    (items, receipts).prop_map(|(items, receipts)| {
        let usd = Currency::new("USD").unwrap();
        let base = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let items: Vec<MatchItem> = items
            .into_iter()
            .enumerate()
            .map(|(i, (c, v, days, disc, credit))| {
                let date = base + Duration::days(days);
                let kind = if credit == 0 {
                    ItemKind::CreditMemo
                } else {
                    ItemKind::Invoice
                };
                MatchItem {
                    kind,
                    id: format!("{}-{:05}", if credit == 0 { "CM" } else { "INV" }, i + 1),
                    installment: None,
                    customer: CustomerId::new(format!("C{c}")).unwrap(),
                    currency: usd,
                    date,
                    due_date: date + Duration::days(30),
                    open: cents(v),
                    discount: (disc && kind == ItemKind::Invoice && v > 50).then(|| {
                        MatchDiscount {
                            until: date + Duration::days(10),
                            amount: cents(v / 50),
                        }
                    }),
                    po_number: None,
                    disputed: false,
                }
            })
            .collect();
        let receipts = receipts
            .into_iter()
            .enumerate()
            .map(|(k, (known, mask, extra, style, day))| {
                // Mostly sums of some open invoices, with noise.
                let picked: Vec<&MatchItem> = items
                    .iter()
                    .enumerate()
                    .filter(|(i, m)| m.kind == ItemKind::Invoice && mask & (1 << (i % 32)) != 0)
                    .map(|(_, m)| m)
                    .take(4)
                    .collect();
                let sum: i64 = picked.iter().map(|m| m.open.mantissa() as i64).sum();
                let amount = match style {
                    0 | 1 => sum,
                    2 => sum + extra,
                    _ => {
                        sum - picked
                            .iter()
                            .filter_map(|m| m.discount)
                            .map(|d| d.amount.mantissa() as i64)
                            .sum::<i64>()
                    }
                }
                .max(1);
                let remittance = match style {
                    0 | 2 => picked
                        .iter()
                        .map(|m| m.id.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                    1 => String::new(),
                    3 => picked
                        .iter()
                        .map(|m| {
                            // A transposed pair of digits.
                            let mut b = m.id.clone().into_bytes();
                            let n = b.len();
                            b.swap(n - 1, n - 2);
                            String::from_utf8(b).unwrap()
                        })
                        .collect::<Vec<_>>()
                        .join(" "),
                    _ => format!("payment {}", k),
                };
                MatchReceipt {
                    id: format!("R{k}"),
                    customer: (known && !picked.is_empty()).then(|| picked[0].customer.clone()),
                    date: base + Duration::days(day),
                    amount: cents(amount),
                    currency: usd,
                    remittance,
                    payer_name: None,
                    account: None,
                }
            })
            .collect();
        Case { items, receipts }
    })
}

fn options() -> MatchOptions {
    MatchOptions {
        tolerance: Tolerance {
            fixed: Some(cents(2500)),
            percent: None,
        },
        ..MatchOptions::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn proposals_lose_no_cent_and_never_overdraw(c in case()) {
        let o = options();
        let batch = match_receipts(&c.receipts, c.items.clone(), &[], &o).unwrap();
        prop_assert_eq!(batch.matches.len(), c.receipts.len());
        let open: HashMap<&str, Decimal> = c.items.iter().map(|m| (m.id.as_str(), m.open)).collect();
        let mut consumed: HashMap<String, Decimal> = HashMap::new();
        for (m, r) in batch.matches.iter().zip(&c.receipts) {
            prop_assert_eq!(&m.receipt, &r.id);
            for p in &m.proposals {
                // Cash applied plus cash left unapplied is the receipt, exactly.
                let cash: Decimal = p
                    .applications
                    .iter()
                    .filter(|a| a.source_kind == SourceKind::Receipt)
                    .map(|a| a.amount)
                    .sum();
                prop_assert_eq!(cash + p.unapplied, r.amount);
                prop_assert!(p.unapplied >= Decimal::ZERO);
                prop_assert!(p.confidence <= 100);
                // Per invoice: what the proposal settles plus what stays
                // open is at most what was open; nothing negative.
                let mut per_item: HashMap<&str, Decimal> = HashMap::new();
                for a in &p.applications {
                    prop_assert!(a.amount >= Decimal::ZERO && a.discount >= Decimal::ZERO);
                    prop_assert!(a.write_off >= Decimal::ZERO && a.open_after >= Decimal::ZERO);
                    prop_assert!(a.amount > Decimal::ZERO || a.write_off > Decimal::ZERO);
                    *per_item.entry(a.invoice.as_str()).or_default() += a.amount + a.discount + a.write_off;
                    if a.source_kind == SourceKind::CreditMemo {
                        *per_item.entry(a.source.as_str()).or_default() += a.amount;
                    }
                }
                for (id, used) in per_item {
                    prop_assert!(used <= open[id], "{} uses {} of {}", id, used, open[id]);
                }
            }
            if m.status == MatchStatus::Auto {
                let top = &m.proposals[0];
                prop_assert!(top.confidence >= o.auto_threshold);
                prop_assert!(m.proposals.get(1).is_none_or(|p| p.confidence < top.confidence));
                for a in &top.applications {
                    *consumed.entry(a.invoice.clone()).or_default() += a.amount + a.discount + a.write_off;
                    if a.source_kind == SourceKind::CreditMemo {
                        *consumed.entry(a.source.clone()).or_default() += a.amount;
                    }
                }
            } else {
                prop_assert!(m.auto().is_none());
            }
            prop_assert_eq!(m.status == MatchStatus::Unmatched, m.proposals.is_empty());
        }
        // Across the batch, no item is settled beyond what it had open.
        for (id, used) in &consumed {
            prop_assert!(*used <= open[id.as_str()], "{} settled {} of {}", id, used, open[id.as_str()]);
        }
        // The same input gives the same answer.
        let again = match_receipts(&c.receipts, c.items.clone(), &[], &o).unwrap();
        prop_assert_eq!(again, batch);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Items added to a matcher later are matched as if it had been built
    /// with them.
    #[test]
    fn items_added_later_match_as_if_given_at_first(c in case(), split in 0usize..25) {
        let o = options();
        let k = split.min(c.items.len());
        let whole = match_receipts(&c.receipts, c.items.clone(), &[], &o).unwrap();
        let mut m = Matcher::new(c.items[..k].to_vec(), &[], o.clone()).unwrap();
        m.add_items(c.items[k..].to_vec(), &[]).unwrap();
        prop_assert_eq!(m.match_batch(&c.receipts).unwrap(), whole);
        // An item added twice is refused, and changes nothing.
        if let Some(first) = c.items.first() {
            let before = m.propose(&c.receipts[0]).unwrap();
            let e = m.add_items(vec![first.clone()], &[]).unwrap_err();
            prop_assert_eq!(e.code(), "duplicate_id");
            prop_assert_eq!(m.propose(&c.receipts[0]).unwrap(), before);
        }
    }

    /// Items changed or settled outside a matcher are matched as a matcher
    /// built from the items as they now stand matches them: what each
    /// receipt's status is and what is applied automatically.
    #[test]
    fn items_changed_outside_match_as_if_rebuilt(c in case(), changes in prop::collection::vec((0usize..25, 0u8..3), 0..8)) {
        let o = options();
        let mut now: Vec<Option<MatchItem>> = c.items.iter().cloned().map(Some).collect();
        let (mut updated, mut removed) = (Vec::new(), Vec::new());
        let mut touched = std::collections::HashSet::new();
        for (i, what) in changes {
            let i = i % c.items.len();
            if !touched.insert(i) {
                continue;
            }
            let item = c.items[i].clone();
            match what {
                // Paid in full elsewhere.
                0 => {
                    removed.push(MatchItemKey::of(&item));
                    now[i] = None;
                }
                // Half paid elsewhere: the discount no longer offered.
                1 if item.open > cents(1) => {
                    let mut half = item.clone();
                    half.open = (item.open / Decimal::TWO).round_dp(2);
                    half.discount = None;
                    updated.push(half.clone());
                    now[i] = Some(half);
                }
                // Disputed.
                _ => {
                    let mut d = item.clone();
                    d.disputed = true;
                    updated.push(d.clone());
                    now[i] = Some(d);
                }
            }
        }
        // A removed item stays known: a remittance naming it is told it is
        // no longer open, which a matcher that never had it cannot say.
        // Those receipts are left out of the comparison.
        let number = |id: &str| {
            id.trim_start_matches(|ch: char| !ch.is_ascii_digit())
                .trim_start_matches('0')
                .to_owned()
        };
        let receipts: Vec<MatchReceipt> = c
            .receipts
            .iter()
            .filter(|r| {
                !parse_remittance(&r.remittance)
                    .references
                    .iter()
                    .any(|x| removed.iter().any(|k| number(&k.id) == x.number))
            })
            .cloned()
            .collect();
        let mut m = Matcher::new(c.items.clone(), &[], o.clone()).unwrap();
        m.update_items(updated).unwrap();
        m.remove_items(&removed).unwrap();
        let rebuilt: Vec<MatchItem> = now.into_iter().flatten().collect();
        let fresh = match_receipts(&receipts, rebuilt, &[], &o).unwrap();
        let got = m.match_batch(&receipts).unwrap();
        prop_assert_eq!(&got.summary, &fresh.summary);
        for (a, b) in got.matches.iter().zip(&fresh.matches) {
            prop_assert_eq!(a.status, b.status, "{}", a.receipt);
            prop_assert_eq!(a.auto().map(|p| &p.applications), b.auto().map(|p| &p.applications));
        }
        // An unknown item is refused.
        let e = m.remove_items(&[MatchItemKey::invoice("NOPE")]).unwrap_err();
        prop_assert_eq!(e.code(), "not_found");
    }
}
