//! Bank reconciliation: the credits of a bank statement against the
//! receipts recorded in the ledger, by currency, amount, date and bank
//! reference. The answer has three parts: pairs that match, money in the
//! bank that the books do not have, and receipts in the books that the
//! bank does not show.
//!
//! # How pairs are chosen
//!
//! A bank credit and a recorded receipt can pair when they have the same
//! currency and the same amount, and the receipt's date lies in the
//! window around the bank's booking date (from `days_before` days before
//! to `days_after` days after, both included). Among those:
//!
//! 1. **References first.** A pair whose references agree (the bank
//!    reference or end-to-end id equals the receipt's reference, ignoring
//!    case, spaces and dashes) is taken before any pair that agrees only on
//!    amount and date, however close that one's date.
//! 2. **Then the closest dates.** The remaining pairs are taken by the
//!    number of days between the two dates, fewest first.
//! 3. **Ties** go to the earlier bank entry (file order), then the earlier
//!    receipt (the order the ledger recorded them), so the same inputs give
//!    the same pairs on every run.
//!
//! Each entry and receipt is paired at most once: a credit booked twice by
//! the bank pairs with one receipt, and the second stays in the bank column
//! (and the other way round for a receipt recorded twice). A pair that had
//! an equally good alternative (two receipts of the same amount, as close,
//! with no reference to tell them apart) is marked `ambiguous`, for a person
//! to confirm.
//!
//! Receipts in the books are reported as missing from the bank only when
//! dated in the statement's period (by default, from its first to its last
//! credit), so receipts of other months are not listed as differences.

use std::collections::HashMap;

use ar_core::chrono::NaiveDate;
use ar_core::rust_decimal::Decimal;
use ar_core::{Currency, Event, Ledger, PaymentMethod, View};
use serde::{Deserialize, Serialize};

use crate::model::{BankReceipt, Statement};

/// A credit on the bank statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankEntry {
    /// 0-based position among the statement's credits, in file order.
    pub index: usize,
    /// Booking date.
    pub date: NaiveDate,
    /// Amount received.
    #[serde(with = "ar_core::serde_decimal")]
    pub amount: Decimal,
    /// Currency.
    pub currency: Currency,
    /// The bank's reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_reference: Option<String>,
    /// The payer's end-to-end id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_to_end_id: Option<String>,
    /// Payer's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_name: Option<String>,
    /// Remittance text with its structured references.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub remittance: String,
}

impl BankEntry {
    /// The entry for the `index`-th credit of a statement.
    ///
    /// # Example
    /// ```
    /// let s = ar_formats::parse_mt940(b":20:S\n:25:A\n:28C:1\n:60F:C260301EUR0,00\n\
    /// :61:2603020302C121,00NTRFNONREF//BANK1\n:86:INV 9\n:62F:C260302EUR121,00\n-").unwrap();
    /// let e = ar_formats::reconcile::BankEntry::from_receipt(0, s.receipts().next().unwrap());
    /// assert_eq!(e.bank_reference.as_deref(), Some("BANK1"));
    /// ```
    pub fn from_receipt(index: usize, r: &BankReceipt) -> Self {
        BankEntry {
            index,
            date: r.date,
            amount: r.amount,
            currency: r.currency,
            bank_reference: r.bank_reference.clone(),
            end_to_end_id: r.end_to_end_id.clone(),
            payer_name: r.payer_name.clone(),
            remittance: r.remittance_text(),
        }
    }

    /// Every credit of `statement`, in file order (debits, returns and
    /// other listed entries are not money received and are left out).
    ///
    /// # Example
    /// ```
    /// let s = ar_formats::parse_mt940(b":20:S\n:25:A\n:28C:1\n:60F:C260301EUR0,00\n\
    /// :61:2603020302C121,00NTRFNONREF//BANK1\n:61:2603020302D1,00NMSCNONREF\n:62F:C260302EUR120,00\n-").unwrap();
    /// // The debit is not money received.
    /// assert_eq!(ar_formats::reconcile::BankEntry::from_statement(&s).len(), 1);
    /// ```
    pub fn from_statement(statement: &Statement) -> Vec<BankEntry> {
        statement
            .receipts()
            .enumerate()
            .map(|(i, r)| BankEntry::from_receipt(i, r))
            .collect()
    }
}

/// A receipt recorded in the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedReceipt {
    /// Receipt id.
    pub id: String,
    /// Payer, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// Date received.
    pub date: NaiveDate,
    /// Amount received.
    #[serde(with = "ar_core::serde_decimal")]
    pub amount: Decimal,
    /// Currency.
    pub currency: Currency,
    /// How it was paid.
    pub method: PaymentMethod,
    /// Bank or check reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// The receipts of `ledger` as seen through `view`, in the order they were
/// recorded: those recorded (effective and known) in the view and not
/// voided in it.
///
/// # Example
/// ```
/// let ledger = ar_core::Ledger::new();
/// assert!(ar_formats::reconcile::ledger_receipts(&ledger, &ar_core::View::all()).is_empty());
/// ```
pub fn ledger_receipts(ledger: &Ledger, view: &View) -> Vec<RecordedReceipt> {
    let mut out: Vec<RecordedReceipt> = Vec::new();
    for env in ledger.events() {
        if view.known_at.is_some_and(|t| env.recorded > t) {
            break;
        }
        if view.as_of.is_some_and(|d| env.effective > d) {
            continue;
        }
        match &env.event {
            Event::ReceiptRecorded { receipt } => out.push(RecordedReceipt {
                id: receipt.id.to_string(),
                customer: receipt.customer.as_ref().map(ToString::to_string),
                date: receipt.date,
                amount: receipt.amount,
                currency: receipt.currency,
                method: receipt.method,
                reference: receipt.reference.clone(),
            }),
            Event::PayerAssigned {
                receipt, customer, ..
            } => {
                if let Some(r) = out.iter_mut().find(|r| r.id == receipt.as_str()) {
                    r.customer = Some(customer.to_string());
                }
            }
            Event::ReceiptVoided { receipt, .. } => out.retain(|r| r.id != receipt.as_str()),
            _ => {}
        }
    }
    out
}

/// How to reconcile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconcileOptions {
    /// Days a receipt may be dated before the bank's booking date (a check
    /// recorded when received, booked when the bank cleared it).
    pub days_before: u32,
    /// Days a receipt may be dated after the bank's booking date (a
    /// transfer recorded when the remittance advice arrived).
    pub days_after: u32,
    /// First day of the period whose receipts must be in the bank; the
    /// statement's first credit when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// Last day of that period; the statement's last credit when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
}

impl Default for ReconcileOptions {
    fn default() -> Self {
        ReconcileOptions {
            days_before: 5,
            days_after: 5,
            from: None,
            to: None,
        }
    }
}

/// What made a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PairBasis {
    /// Amount, currency, the date window and the reference.
    Reference,
    /// Amount, currency and the date window.
    AmountAndDate,
}

impl PairBasis {
    /// The snake_case name.
    ///
    /// # Example
    /// ```
    /// assert_eq!(ar_formats::reconcile::PairBasis::AmountAndDate.name(), "amount_and_date");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            PairBasis::Reference => "reference",
            PairBasis::AmountAndDate => "amount_and_date",
        }
    }
}

/// A bank credit and the recorded receipt it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconciledPair {
    /// The bank's side.
    pub bank: BankEntry,
    /// The ledger's side.
    pub receipt: RecordedReceipt,
    /// What made the pair.
    pub basis: PairBasis,
    /// Receipt date less bank date, in days.
    pub days_apart: i64,
    /// Another pair was as good (same basis and distance): a person should
    /// confirm this one.
    pub ambiguous: bool,
}

/// The outcome of a reconciliation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconciliation {
    /// Pairs, in bank order.
    pub matched: Vec<ReconciledPair>,
    /// Credits in the bank with no receipt in the books, in bank order.
    pub bank_only: Vec<BankEntry>,
    /// Receipts in the books, dated in the period, that the bank does not
    /// show, in ledger order.
    pub ledger_only: Vec<RecordedReceipt>,
    /// The period the ledger side was held to (none when the statement has
    /// no credits and no period was given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<(NaiveDate, NaiveDate)>,
}

/// References compared without case, spaces, dashes or slashes.
fn reference_key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '/' | '.'))
        .flat_map(char::to_uppercase)
        .collect()
}

fn references_agree(bank: &BankEntry, receipt: &RecordedReceipt) -> bool {
    let Some(theirs) = receipt.reference.as_deref().map(reference_key) else {
        return false;
    };
    if theirs.is_empty() {
        return false;
    }
    [&bank.bank_reference, &bank.end_to_end_id]
        .into_iter()
        .flatten()
        .any(|r| reference_key(r) == theirs)
}

/// Pairs bank credits with recorded receipts (see the module
/// documentation for the rules).
///
/// # Example
/// ```
/// use ar_core::{chrono::NaiveDate, rust_decimal::Decimal, Currency, PaymentMethod};
/// use ar_formats::reconcile::{reconcile, BankEntry, PairBasis, ReconcileOptions, RecordedReceipt};
/// let usd = Currency::new("USD").unwrap();
/// let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
/// let bank = vec![BankEntry {
///     index: 0, date: day(5), amount: Decimal::new(50000, 2), currency: usd,
///     bank_reference: Some("WT-1".into()), end_to_end_id: None, payer_name: None,
///     remittance: String::new(),
/// }];
/// let books = vec![RecordedReceipt {
///     id: "R-1".into(), customer: None, date: day(4), amount: Decimal::new(50000, 2),
///     currency: usd, method: PaymentMethod::Wire, reference: Some("wt 1".into()),
/// }];
/// let r = reconcile(&bank, &books, &ReconcileOptions::default());
/// assert_eq!(r.matched[0].basis, PairBasis::Reference);
/// assert_eq!(r.matched[0].days_apart, -1);
/// assert!(r.bank_only.is_empty() && r.ledger_only.is_empty());
/// ```
pub fn reconcile(
    bank: &[BankEntry],
    books: &[RecordedReceipt],
    options: &ReconcileOptions,
) -> Reconciliation {
    // Receipts by currency and amount, so that each credit looks only at
    // receipts it could pair with.
    let mut by_amount: HashMap<(Currency, Decimal), Vec<usize>> = HashMap::new();
    for (r, receipt) in books.iter().enumerate() {
        by_amount
            .entry((receipt.currency, receipt.amount))
            .or_default()
            .push(r);
    }
    // Candidate pairs: (tier, days apart, bank position, receipt position,
    // signed days).
    let mut candidates: Vec<(u8, u64, usize, usize, i64)> = Vec::new();
    for (b, entry) in bank.iter().enumerate() {
        let Some(same) = by_amount.get(&(entry.currency, entry.amount)) else {
            continue;
        };
        for &r in same {
            let Some(receipt) = books.get(r) else {
                continue;
            };
            let apart = receipt.date.signed_duration_since(entry.date).num_days();
            let limit = if apart < 0 {
                options.days_before
            } else {
                options.days_after
            };
            if apart.unsigned_abs() > u64::from(limit) {
                continue;
            }
            let tier = u8::from(!references_agree(entry, receipt));
            candidates.push((tier, apart.unsigned_abs(), b, r, apart));
        }
    }
    candidates.sort_unstable_by_key(|&(tier, dist, b, r, _)| (tier, dist, b, r));

    let mut bank_taken = vec![false; bank.len()];
    let mut book_taken = vec![false; books.len()];
    let mut pairs: Vec<(usize, usize, u8, u64, i64)> = Vec::new();
    for &(tier, dist, b, r, apart) in &candidates {
        let free = |v: &[bool], i: usize| !v.get(i).copied().unwrap_or(true);
        if free(&bank_taken, b) && free(&book_taken, r) {
            if let Some(x) = bank_taken.get_mut(b) {
                *x = true;
            }
            if let Some(x) = book_taken.get_mut(r) {
                *x = true;
            }
            pairs.push((b, r, tier, dist, apart));
        }
    }
    // A pair is ambiguous when one of its sides had another candidate as
    // good (same tier, same distance).
    let mut per_bank: HashMap<(usize, u8, u64), u32> = HashMap::new();
    let mut per_book: HashMap<(usize, u8, u64), u32> = HashMap::new();
    for &(tier, dist, b, r, _) in &candidates {
        let n = per_bank.entry((b, tier, dist)).or_default();
        *n = n.saturating_add(1);
        let n = per_book.entry((r, tier, dist)).or_default();
        *n = n.saturating_add(1);
    }
    let ambiguous = |b: usize, r: usize, tier: u8, dist: u64| {
        per_bank.get(&(b, tier, dist)).copied().unwrap_or(0) > 1
            || per_book.get(&(r, tier, dist)).copied().unwrap_or(0) > 1
    };
    pairs.sort_unstable_by_key(|&(b, r, ..)| (b, r));
    let matched = pairs
        .iter()
        .filter_map(|&(b, r, tier, dist, apart)| {
            Some(ReconciledPair {
                bank: bank.get(b)?.clone(),
                receipt: books.get(r)?.clone(),
                basis: if tier == 0 {
                    PairBasis::Reference
                } else {
                    PairBasis::AmountAndDate
                },
                days_apart: apart,
                ambiguous: ambiguous(b, r, tier, dist),
            })
        })
        .collect();
    let bank_only: Vec<BankEntry> = bank
        .iter()
        .zip(&bank_taken)
        .filter(|(_, t)| !**t)
        .map(|(e, _)| e.clone())
        .collect();
    let first = bank.iter().map(|e| e.date).min();
    let last = bank.iter().map(|e| e.date).max();
    let period = match (options.from.or(first), options.to.or(last)) {
        (Some(a), Some(b)) => Some((a, b)),
        _ => None,
    };
    let ledger_only = books
        .iter()
        .zip(&book_taken)
        .filter(|(r, t)| !**t && period.is_some_and(|(a, b)| r.date >= a && r.date <= b))
        .map(|(r, _)| r.clone())
        .collect();
    Reconciliation {
        matched,
        bank_only,
        ledger_only,
        period,
    }
}
