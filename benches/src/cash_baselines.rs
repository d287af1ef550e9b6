//! Two baselines for cash application, written as an AR team's script
//! would be: no discounts, no tolerance, no credit memos, no typo handling,
//! and no guessing of the payer.
//!
//! - [`regex_fifo`]: reads invoice numbers from the remittance with a
//!   regex-like scan (`INV-?\d+`, and bare numbers of 5 or 6 digits); when
//!   some lead to the payer's open invoices, applies the cash to them in the
//!   order written, each up to what it has open, and leaves the rest
//!   unapplied; otherwise applies the cash FIFO by due date over the payer's
//!   open invoices.
//! - [`greedy_oldest`]: ignores the remittance and applies the cash to the
//!   payer's open invoices oldest (due date) first.
//!
//! Both run over the receipts in the order given, consuming what they
//! apply, and leave a receipt without a payer unmatched.

use std::collections::HashMap;

use ar_core::matching::{ItemKind, MatchItem, MatchReceipt};
use ar_core::rust_decimal::Decimal;

use crate::cash::Settle;

/// What a baseline did with one receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Whether anything was applied.
    pub applied: bool,
    /// Applications (cash only).
    pub settles: Vec<Settle>,
    /// Cash left unapplied.
    pub unapplied: Decimal,
}

/// The digits of `text` without leading zeros.
fn number_of(text: &str) -> String {
    let d: String = text.chars().filter(char::is_ascii_digit).collect();
    let s = d.trim_start_matches('0');
    if s.is_empty() && !d.is_empty() {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// Invoice numbers in `text`: `INV-?\d+` and bare `\b\d{5,6}\b`, in order,
/// without repeats, leading zeros dropped.
pub fn scan_references(text: &str) -> Vec<String> {
    let up = text.to_ascii_uppercase();
    let b = up.as_bytes();
    let mut out: Vec<String> = Vec::new();
    let push = |s: &[u8], out: &mut Vec<String>| {
        let n = number_of(&String::from_utf8_lossy(s));
        if !n.is_empty() && !out.contains(&n) {
            out.push(n);
        }
    };
    let word = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
    let mut i = 0;
    while i < b.len() {
        if b.get(i..i + 3) == Some(b"INV") {
            let mut k = i + 3;
            if b.get(k) == Some(&b'-') {
                k += 1;
            }
            let start = k;
            while b.get(k).is_some_and(u8::is_ascii_digit) {
                k += 1;
            }
            if k > start {
                push(b.get(start..k).unwrap_or_default(), &mut out);
                i = k;
                continue;
            }
            i += 3;
            continue;
        }
        if b.get(i).is_some_and(u8::is_ascii_digit)
            && !word(i.checked_sub(1).and_then(|p| b.get(p)))
        {
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            let len = i - start;
            if (5..=6).contains(&len) && !word(b.get(i)) {
                push(b.get(start..i).unwrap_or_default(), &mut out);
            }
            continue;
        }
        i += 1;
    }
    out
}

/// Open invoices, by customer (oldest due first) and by number.
struct Open<'a> {
    items: &'a [MatchItem],
    open: Vec<Decimal>,
    by_customer: HashMap<&'a str, Vec<usize>>,
    by_number: HashMap<String, Vec<usize>>,
}

impl<'a> Open<'a> {
    fn new(items: &'a [MatchItem]) -> Self {
        let mut by_customer: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_number: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, m) in items.iter().enumerate() {
            if m.kind != ItemKind::Invoice {
                continue;
            }
            by_customer.entry(m.customer.as_str()).or_default().push(i);
            by_number.entry(number_of(&m.id)).or_default().push(i);
        }
        let key = |i: &usize| {
            items
                .get(*i)
                .map(|m| (m.due_date, m.date, m.id.clone(), m.installment))
        };
        for list in by_customer.values_mut() {
            list.sort_by_key(key);
        }
        for list in by_number.values_mut() {
            list.sort_by_key(key);
        }
        Open {
            items,
            open: items.iter().map(|m| m.open).collect(),
            by_customer,
            by_number,
        }
    }

    /// Applies up to `left` to each of `targets` in turn.
    fn apply(&mut self, receipt: &MatchReceipt, targets: &[usize]) -> Outcome {
        let mut left = receipt.amount;
        let mut settles = Vec::new();
        for &i in targets {
            if left <= Decimal::ZERO {
                break;
            }
            let (Some(m), Some(open)) = (self.items.get(i), self.open.get_mut(i)) else {
                continue;
            };
            let take = left.min(*open);
            if take <= Decimal::ZERO {
                continue;
            }
            *open -= take;
            left -= take;
            settles.push(Settle {
                credit_memo: None,
                invoice: m.id.clone(),
                installment: m.installment,
                amount: take,
                discount: Decimal::ZERO,
                write_off: Decimal::ZERO,
            });
        }
        Outcome {
            applied: !settles.is_empty(),
            settles,
            unapplied: left,
        }
    }

    /// The payer's open invoices in the receipt's currency, oldest first.
    fn fifo(&self, receipt: &MatchReceipt) -> Vec<usize> {
        let Some(payer) = &receipt.customer else {
            return Vec::new();
        };
        self.by_customer
            .get(payer.as_str())
            .map(|list| {
                list.iter()
                    .copied()
                    .filter(|&i| self.usable(i, receipt))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn usable(&self, i: usize, receipt: &MatchReceipt) -> bool {
        self.items.get(i).is_some_and(|m| {
            Some(&m.customer) == receipt.customer.as_ref() && m.currency == receipt.currency
        }) && self.open.get(i).is_some_and(|o| *o > Decimal::ZERO)
    }
}

fn unmatched(receipt: &MatchReceipt) -> Outcome {
    Outcome {
        applied: false,
        settles: Vec::new(),
        unapplied: receipt.amount,
    }
}

/// Reference regex + FIFO: see the module documentation.
pub fn regex_fifo(items: &[MatchItem], receipts: &[MatchReceipt]) -> Vec<Outcome> {
    let mut book = Open::new(items);
    receipts
        .iter()
        .map(|r| {
            if r.customer.is_none() {
                return unmatched(r);
            }
            let mut targets: Vec<usize> = Vec::new();
            for n in scan_references(&r.remittance) {
                for &i in book
                    .by_number
                    .get(&n)
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                {
                    if book.usable(i, r) && !targets.contains(&i) {
                        targets.push(i);
                    }
                }
            }
            if targets.is_empty() {
                targets = book.fifo(r);
            }
            book.apply(r, &targets)
        })
        .collect()
}

/// Greedy oldest-first: see the module documentation.
pub fn greedy_oldest(items: &[MatchItem], receipts: &[MatchReceipt]) -> Vec<Outcome> {
    let mut book = Open::new(items);
    receipts
        .iter()
        .map(|r| {
            if r.customer.is_none() {
                return unmatched(r);
            }
            let targets = book.fifo(r);
            book.apply(r, &targets)
        })
        .collect()
}
