//! Cash application: which open items a receipt settles, and why.
//!
//! The [`Matcher`] indexes open items once (invoice installments and open
//! credit memos, as plain [`MatchItem`]s) and proposes, for each receipt,
//! how it settles them: by the references in its remittance text
//! ([`parse_remittance`]), by purchase-order numbers and creditor
//! references, by typing errors the amount corroborates, by the amount of
//! one item or of a combination (a bounded search that prefers older
//! items), with early-payment discounts, tolerated short pays and
//! overpayments. Each [`Proposal`] carries a confidence and its reasons. A
//! proposal at or above [`MatchOptions::auto_threshold`] is marked
//! [`MatchStatus::Auto`] only when no other fits as well; otherwise every
//! alternative is returned for review. Results are deterministic.
//!
//! Apps with their own database call [`match_receipts`] with plain data.
//! With a [`crate::Ledger`], [`crate::Ledger::match_receipts`] builds the
//! same inputs from the books, and [`ReceiptMatch::commands`] turns a
//! proposal into the ledger's own commands (assign payer, apply, write off).
//!
//! # Example
//! ```
//! use ar_core::matching::{match_receipts, ItemKind, MatchItem, MatchOptions, MatchReceipt, MatchStatus};
//! use ar_core::{chrono::NaiveDate, rust_decimal::Decimal, Currency, CustomerId};
//!
//! let usd = Currency::new("USD").unwrap();
//! let acme = CustomerId::new("ACME").unwrap();
//! let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
//! let item = |id: &str, open: i64| MatchItem {
//!     kind: ItemKind::Invoice, id: id.into(), installment: None, customer: acme.clone(),
//!     currency: usd, date: day, due_date: day, open: Decimal::new(open, 2),
//!     discount: None, po_number: None, disputed: false,
//! };
//! let items = vec![item("INV-1", 10000), item("INV-2", 25000), item("INV-3", 5000)];
//! let receipt = MatchReceipt {
//!     id: "R-1".into(), customer: Some(acme.clone()), date: day,
//!     amount: Decimal::new(30000, 2), currency: usd, remittance: String::new(),
//!     payer_name: None, account: None,
//! };
//! let batch = match_receipts(&[receipt], items, &[], &MatchOptions::default()).unwrap();
//! let m = &batch.matches[0];
//! assert_eq!(m.status, MatchStatus::Auto);
//! let settled: Vec<&str> = m.proposals[0].applications.iter().map(|a| a.invoice.as_str()).collect();
//! assert_eq!(settled, ["INV-2", "INV-3"]);
//! ```

mod allocate;
mod commands;
mod creditor;
mod evaluate;
mod evidence;
mod fit;
mod index;
mod keys;
mod references;
mod remittance;
mod score;
mod search;
mod types;
mod update;

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::limits::{check_count, MAX_TEXT_LEN};

pub use creditor::creditor_reference;
pub use remittance::{parse_remittance, Reference, ReferenceKind, Remittance};
pub use types::{
    ItemKind, MatchBatch, MatchCustomer, MatchDiscount, MatchItem, MatchOptions, MatchReceipt,
    MatchStatus, PartialPayments, PayerBasis, Proposal, ProposedApplication, Reason, ReasonCode,
    ReceiptMatch, SourceKind, SummaryRow, Tolerance, ToleranceEvidence,
};
pub use update::{MatchChanges, MatchItemKey, MAX_CHANGES};

use evaluate::{parse, Evaluator};
use index::{to_minor, Book};
use references::has_direct_reference;

/// Open items indexed for matching, with what a batch has consumed so far.
#[derive(Debug, Clone)]
pub struct Matcher {
    book: Book,
    options: MatchOptions,
}

fn check_options(o: &MatchOptions) -> Result<()> {
    if o.auto_threshold > 100 {
        return Err(Error::invalid_value(
            "options.auto_threshold",
            o.auto_threshold,
            "must be 0 to 100",
        ));
    }
    if let Some(f) = o.tolerance.fixed {
        if f < Decimal::ZERO {
            return Err(Error::invalid_amount(
                "options.tolerance.fixed",
                f,
                "must not be negative",
            ));
        }
    }
    if let Some(p) = o.tolerance.percent {
        if p < Decimal::ZERO || p >= Decimal::ONE_HUNDRED {
            return Err(Error::invalid_value(
                "options.tolerance.percent",
                p,
                "must be at least 0 and less than 100",
            ));
        }
    }
    // The text read per receipt is free text: at most MAX_TEXT_LEN.
    check_count(
        "options.max_remittance_bytes",
        o.max_remittance_bytes,
        MAX_TEXT_LEN,
    )?;
    for (field, v, max) in [
        ("options.max_combination", o.max_combination, 12),
        ("options.max_search_items", o.max_search_items, 1000),
        ("options.max_proposals", o.max_proposals, 1000),
        (
            "options.max_remittance_bytes",
            o.max_remittance_bytes,
            MAX_TEXT_LEN,
        ),
    ] {
        if v == 0 || v > max {
            return Err(Error::invalid_value(
                field,
                v,
                &format!("must be 1 to {max}"),
            ));
        }
    }
    if o.max_search_steps == 0 || o.max_search_steps > 10_000_000 {
        return Err(Error::invalid_value(
            "options.max_search_steps",
            o.max_search_steps,
            "must be 1 to 10,000,000",
        ));
    }
    Ok(())
}

impl Matcher {
    /// Validates and indexes open items, and the customers that identify
    /// unnamed payers by name or account. The work is linear in the items
    /// and customers; a receipt's remittance and payer name are read up to
    /// [`MatchOptions::max_remittance_bytes`], so no text makes a receipt
    /// cost more than that much text.
    ///
    /// # Errors
    /// [`Error::LimitExceeded`] for `max_remittance_bytes` over
    /// [`MAX_TEXT_LEN`]; [`Error::InvalidValue`] for other out-of-range
    /// options or an empty id;
    /// [`Error::InvalidAmount`] for an open amount not above zero or a
    /// discount not below it; [`Error::TooManyDecimals`] for amounts finer
    /// than the currency; [`Error::DuplicateId`] for an item given twice.
    /// Fields are named as `items[3].open`.
    pub fn new(
        items: Vec<MatchItem>,
        customers: &[MatchCustomer],
        options: MatchOptions,
    ) -> Result<Self> {
        check_options(&options)?;
        Ok(Matcher {
            book: Book::new(items, customers, &options)?,
            options,
        })
    }

    /// The options in force.
    pub fn options(&self) -> &MatchOptions {
        &self.options
    }

    fn check_receipt(field: &str, r: &MatchReceipt) -> Result<i64> {
        if r.id.trim().is_empty() {
            return Err(Error::invalid_value(
                &format!("{field}.id"),
                &r.id,
                "must not be empty",
            ));
        }
        let amount = to_minor(&format!("{field}.amount"), r.amount, r.currency)?;
        if amount <= 0 {
            return Err(Error::invalid_amount(
                &format!("{field}.amount"),
                r.amount,
                "must be greater than zero",
            ));
        }
        Ok(amount)
    }

    /// Proposals for one receipt against the items as they stand; nothing
    /// is consumed.
    ///
    /// # Errors
    /// [`Error::InvalidValue`], [`Error::InvalidAmount`] or
    /// [`Error::TooManyDecimals`] for a receipt with an empty id or an
    /// amount not above zero or finer than its currency.
    pub fn propose(&self, receipt: &MatchReceipt) -> Result<ReceiptMatch> {
        let amount = Self::check_receipt("receipt", receipt)?;
        let parsed = parse(receipt, &self.options);
        Ok(
            Evaluator::new(&self.book, &self.options, receipt, amount, parsed)
                .run()
                .result,
        )
    }

    /// Matches a batch of receipts. Items are consumed as receipts are
    /// applied automatically, so no item is settled twice; proposals left
    /// for review consume nothing. Receipts are taken day by day, as a
    /// clerk works: within a day, those whose remittance refers to an open
    /// item go first, then the others, each group in the order given; the
    /// answer keeps the order given.
    ///
    /// # Errors
    /// As [`Matcher::propose`], naming `receipts[i]`; the matcher is then
    /// unchanged.
    pub fn match_batch(&mut self, receipts: &[MatchReceipt]) -> Result<MatchBatch> {
        let amounts = receipts
            .iter()
            .enumerate()
            .map(|(i, r)| Self::check_receipt(&format!("receipts[{i}]"), r))
            .collect::<Result<Vec<i64>>>()?;
        let mut parsed: Vec<Option<Remittance>> = receipts
            .iter()
            .map(|r| Some(parse(r, &self.options)))
            .collect();
        let mut order: Vec<(chrono::NaiveDate, bool, usize)> = parsed
            .iter()
            .zip(receipts)
            .enumerate()
            .map(|(i, (p, r))| {
                let direct = p
                    .as_ref()
                    .is_some_and(|p| has_direct_reference(&self.book, p));
                (r.date, !direct, i)
            })
            .collect();
        order.sort_unstable();
        let mut out: Vec<Option<ReceiptMatch>> = vec![None; receipts.len()];
        for (_, _, i) in order {
            let (Some(r), Some(&amount)) = (receipts.get(i), amounts.get(i)) else {
                continue;
            };
            let p = parsed.get_mut(i).and_then(Option::take).unwrap_or_default();
            let ev = Evaluator::new(&self.book, &self.options, r, amount, p).run();
            for (item, v) in ev.consumes {
                self.book.consume(item, v);
            }
            if let Some(slot) = out.get_mut(i) {
                *slot = Some(ev.result);
            }
        }
        self.book.settle();
        let matches: Vec<ReceiptMatch> = out.into_iter().flatten().collect();
        let summary = summarize(&matches)?;
        Ok(MatchBatch { matches, summary })
    }

    /// Adds open items issued since the matcher was built (a day's new
    /// invoices and credit memos) and files `customers` (new customers, or
    /// more accounts and aliases of known ones): later batches see them as
    /// if they had been given to [`Matcher::new`]. Costs what the items
    /// cost, not a rebuild.
    ///
    /// # Errors
    /// As [`Matcher::new`] for each item and customer, named
    /// `items[k].<field>`; [`Error::DuplicateId`] for an item the matcher
    /// already holds; [`Error::LimitExceeded`] past [`MAX_CHANGES`] items.
    /// The matcher is then unchanged.
    ///
    /// # Example
    /// ```
    /// use ar_core::matching::*;
    /// use ar_core::{Currency, CustomerId};
    /// use rust_decimal::Decimal;
    ///
    /// let usd = Currency::new("USD").unwrap();
    /// let item = |id: &str, open: i64| MatchItem {
    ///     kind: ItemKind::Invoice, id: id.into(), installment: None,
    ///     customer: CustomerId::new("ACME").unwrap(), currency: usd,
    ///     date: "2026-03-01".parse().unwrap(), due_date: "2026-03-31".parse().unwrap(),
    ///     open: Decimal::new(open, 2), discount: None, po_number: None, disputed: false,
    /// };
    /// let mut matcher = Matcher::new(vec![item("INV-1", 10000)], &[], MatchOptions::default())?;
    /// // The next morning: INV-2 was issued, INV-1 was paid at the counter.
    /// matcher.add_items(vec![item("INV-2", 25000)], &[])?;
    /// matcher.remove_items(&[MatchItemKey::invoice("INV-1")])?;
    /// let receipt = MatchReceipt {
    ///     id: "R1".into(), customer: Some(CustomerId::new("ACME").unwrap()),
    ///     date: "2026-03-20".parse().unwrap(), amount: Decimal::new(25000, 2), currency: usd,
    ///     remittance: "INV-2".into(), payer_name: None, account: None,
    /// };
    /// let batch = matcher.match_batch(&[receipt])?;
    /// assert_eq!(batch.matches[0].status, MatchStatus::Auto);
    /// assert_eq!(batch.matches[0].proposals[0].applications[0].invoice, "INV-2");
    /// # Ok::<(), ar_core::Error>(())
    /// ```
    pub fn add_items(&mut self, items: Vec<MatchItem>, customers: &[MatchCustomer]) -> Result<()> {
        self.book.add(items, customers)
    }

    /// Replaces items changed outside the matcher (a payment posted by
    /// hand, a credit memo applied, a dispute raised or resolved, a due
    /// date moved): each given item replaces the one of its kind, id and
    /// installment, keeping its customer and currency.
    ///
    /// # Errors
    /// As [`Matcher::new`] for each item; [`Error::NotFound`] for an item
    /// the matcher does not hold; [`Error::InvalidValue`] for another
    /// customer or currency (remove the item and add it again). The
    /// matcher is then unchanged.
    pub fn update_items(&mut self, items: Vec<MatchItem>) -> Result<()> {
        self.book.update(items)
    }

    /// Items settled or voided outside the matcher: no longer offered. A
    /// removed item stays known, as an item a batch settled does: a
    /// remittance that names it is told it is no longer open, and is not
    /// read as naming nothing.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an item the matcher does not hold, named
    /// `keys[k].id`; the matcher is then unchanged.
    pub fn remove_items(&mut self, keys: &[MatchItemKey]) -> Result<()> {
        self.book.remove(keys)
    }

    /// Brings the matcher to the books as they now stand, from
    /// [`crate::Ledger::match_changes`]: each item replaces the one held,
    /// or is added when none is; each `closed` key held is no longer
    /// offered (a key not held is passed over). All or nothing.
    ///
    /// # Errors
    /// As [`Matcher::update_items`] and [`Matcher::add_items`], naming
    /// `items[k]` of the list given; [`Error::LimitExceeded`] past
    /// [`MAX_CHANGES`] items or keys. The matcher is then unchanged.
    pub fn sync(&mut self, items: Vec<MatchItem>, closed: &[MatchItemKey]) -> Result<()> {
        self.book.sync(items, closed)
    }
}

/// Totals per status and currency: auto, review, unmatched, currencies in
/// code order, each status listed for every currency seen.
///
/// # Errors
/// [`Error::Overflow`] when the receipts' amounts together leave the
/// decimal range.
fn summarize(matches: &[ReceiptMatch]) -> Result<Vec<SummaryRow>> {
    let mut by: BTreeMap<(MatchStatus, &'static str), (Currency, u64, Decimal)> = BTreeMap::new();
    let currencies: std::collections::BTreeSet<(&'static str, Currency)> = matches
        .iter()
        .map(|m| (m.currency.code(), m.currency))
        .collect();
    for status in [
        MatchStatus::Auto,
        MatchStatus::Review,
        MatchStatus::Unmatched,
    ] {
        for (code, c) in &currencies {
            by.insert((status, code), (*c, 0, Decimal::ZERO));
        }
    }
    for m in matches {
        if let Some(e) = by.get_mut(&(m.status, m.currency.code())) {
            e.1 = e.1.saturating_add(1);
            e.2 =
                e.2.checked_add(m.amount)
                    .ok_or_else(|| Error::overflow("receipts.amount"))?;
        }
    }
    Ok(by
        .into_iter()
        .map(|((status, _), (currency, receipts, amount))| {
            let mut amount = amount;
            amount.rescale(currency.minor_units());
            SummaryRow {
                status,
                currency,
                receipts,
                amount,
            }
        })
        .collect())
}

/// Matches `receipts` against `items` in one batch: see
/// [`Matcher::match_batch`].
///
/// # Errors
/// As [`Matcher::new`] and [`Matcher::match_batch`].
pub fn match_receipts(
    receipts: &[MatchReceipt],
    items: Vec<MatchItem>,
    customers: &[MatchCustomer],
    options: &MatchOptions,
) -> Result<MatchBatch> {
    Matcher::new(items, customers, options.clone())?.match_batch(receipts)
}
