//! What a journal adds up to: the trial balance, and its reconciliation
//! with the general ledger a company keeps elsewhere.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::journal::Journal;
use super::rules::Role;
use crate::currency::Currency;
use crate::error::Result;
use crate::limits::{check_count, check_len, MAX_KEY_LEN};
use crate::money::OrOverflow;

/// Accounts and documents are hashed (foldhash), then sorted once.
type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// One account in one currency, as the journal leaves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TrialBalanceRow {
    /// The account.
    pub account: String,
    /// The document currency.
    pub currency: Currency,
    /// Debits.
    #[serde(with = "crate::serde_decimal")]
    pub debit: Decimal,
    /// Credits.
    #[serde(with = "crate::serde_decimal")]
    pub credit: Decimal,
    /// Debits less credits.
    #[serde(with = "crate::serde_decimal")]
    pub balance: Decimal,
    /// The balance in the functional currency (the document currency's
    /// when the journal has none).
    #[serde(with = "crate::serde_decimal")]
    pub functional: Decimal,
}

/// A line of the general ledger kept elsewhere, as its export gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlLine {
    /// The account.
    pub account: String,
    /// The currency.
    pub currency: Currency,
    /// Posting date.
    pub date: NaiveDate,
    /// Debit positive, credit negative.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
    /// The document it posts (an invoice, receipt or credit memo id), when
    /// the GL knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}

/// Lines of the general ledger read for one reconciliation.
pub const MAX_GL_LINES: usize = 10_000_000;

/// Why a document's amounts differ between the journal and the GL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReconcileCause {
    /// In the journal by the cut-off, not in the GL at all.
    MissingInGl,
    /// In the GL by the cut-off, not in the journal at all.
    MissingInAr,
    /// In both by the cut-off, for different amounts.
    AmountDiffers,
    /// In both, but posted after the cut-off on one side: a timing
    /// difference.
    AfterCutOff,
    /// A GL line that names no document: not from ar.
    Unidentified,
}

/// A document behind a difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReconcileItem {
    /// The document (empty for GL lines naming none).
    pub document: String,
    /// Its amount in the journal by the cut-off.
    #[serde(with = "crate::serde_decimal")]
    pub ar: Decimal,
    /// Its amount in the GL by the cut-off.
    #[serde(with = "crate::serde_decimal")]
    pub gl: Decimal,
    /// Why they differ.
    pub cause: ReconcileCause,
}

/// One account and currency reconciled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReconcileRow {
    /// The account.
    pub account: String,
    /// The currency.
    pub currency: Currency,
    /// The journal's balance by the cut-off.
    #[serde(with = "crate::serde_decimal")]
    pub ar: Decimal,
    /// The GL's balance by the cut-off.
    #[serde(with = "crate::serde_decimal")]
    pub gl: Decimal,
    /// `ar - gl`.
    #[serde(with = "crate::serde_decimal")]
    pub difference: Decimal,
    /// The documents behind the difference; their `ar - gl` add up to it.
    pub items: Vec<ReconcileItem>,
}

/// Per document: journal and GL amounts by the cut-off, and whether
/// either has it after.
#[derive(Default)]
struct Sides {
    ar: Decimal,
    gl: Decimal,
    ar_later: bool,
    gl_later: bool,
    ar_any: bool,
    gl_any: bool,
}

impl Journal {
    /// Debits and credits per account and currency, in account order.
    ///
    /// # Errors
    /// [`crate::Error::Overflow`] (never for a ledger's amounts).
    pub fn trial_balance(&self) -> Result<Vec<TrialBalanceRow>> {
        let mut rows: Map<(&str, Currency), TrialBalanceRow> = Map::default();
        for line in self.entries.iter().flat_map(|e| &e.lines) {
            let row = rows
                .entry((&line.account, line.currency))
                .or_insert_with(|| TrialBalanceRow {
                    account: line.account.to_string(),
                    currency: line.currency,
                    debit: Decimal::ZERO,
                    credit: Decimal::ZERO,
                    balance: Decimal::ZERO,
                    functional: Decimal::ZERO,
                });
            row.debit = row.debit.checked_add(line.debit()).or_overflow("journal")?;
            row.credit = row
                .credit
                .checked_add(line.credit())
                .or_overflow("journal")?;
            row.balance = row
                .balance
                .checked_add(line.amount)
                .or_overflow("journal")?;
            row.functional = row
                .functional
                .checked_add(line.functional)
                .or_overflow("journal")?;
        }
        let mut rows: Vec<_> = rows.into_iter().collect();
        rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Ok(rows.into_iter().map(|(_, r)| rescaled(r)).collect())
    }

    /// The balance of the lines of `role` in `currency`: for
    /// [`Role::Receivable`], the open invoices of that currency.
    ///
    /// # Errors
    /// [`crate::Error::Overflow`] (never for a ledger's amounts).
    pub fn role_balance(&self, role: Role, currency: Currency) -> Result<Decimal> {
        let mut sum = Decimal::ZERO;
        for line in self.entries.iter().flat_map(|e| &e.lines) {
            if line.role == role && line.currency == currency {
                sum = sum.checked_add(line.amount).or_overflow("journal")?;
            }
        }
        crate::money::at_scale("journal", sum, currency.minor_units())
    }

    /// Reconciles the journal with the lines of a general ledger kept
    /// elsewhere, by `cut_off`: per account and currency the two balances,
    /// and the documents behind any difference with their cause. Lines of
    /// either side dated after the cut-off are read only to tell a timing
    /// difference from a missing posting. Accounts and currencies whose
    /// balances agree are listed with no items (differences that cancel
    /// within an account are not looked for).
    ///
    /// # Errors
    /// [`crate::Error::LimitExceeded`] past [`MAX_GL_LINES`] lines or for an
    /// account or document longer than [`MAX_KEY_LEN`];
    /// [`crate::Error::Overflow`].
    pub fn reconcile(&self, gl: &[GlLine], cut_off: NaiveDate) -> Result<Vec<ReconcileRow>> {
        check_count("gl", gl.len(), MAX_GL_LINES)?;
        for (i, g) in gl.iter().enumerate() {
            check_len(&format!("gl[{i}].account"), &g.account, MAX_KEY_LEN)?;
            let doc = g.document.as_deref().unwrap_or_default();
            check_len(&format!("gl[{i}].document"), doc, MAX_KEY_LEN)?;
        }
        // First the balances per account, then the documents of the
        // accounts that differ only: a month's reconciliation that agrees
        // reads each line once.
        let mut totals: Map<(&str, Currency), (Decimal, Decimal)> = Map::default();
        for e in self.entries.iter().filter(|e| e.effective <= cut_off) {
            for l in &e.lines {
                let t = totals.entry((&l.account, l.currency)).or_default();
                t.0 = t.0.checked_add(l.amount).or_overflow("journal")?;
            }
        }
        for g in gl.iter().filter(|g| g.date <= cut_off) {
            let t = totals.entry((&g.account, g.currency)).or_default();
            t.1 = t.1.checked_add(g.amount).or_overflow("gl")?;
        }
        let differ: Map<(&str, Currency), ()> = totals
            .iter()
            .filter(|(_, (ar, gl))| ar != gl)
            .map(|(k, _)| (*k, ()))
            .collect();
        let mut by: Map<(&str, Currency), Map<&str, Sides>> = Map::default();
        if !differ.is_empty() {
            for e in &self.entries {
                for l in &e.lines {
                    let k = (&*l.account, l.currency);
                    if !differ.contains_key(&k) {
                        continue;
                    }
                    let s = by.entry(k).or_default().entry(&l.document).or_default();
                    s.ar_any = true;
                    if e.effective <= cut_off {
                        s.ar = s.ar.checked_add(l.amount).or_overflow("journal")?;
                    } else {
                        s.ar_later = true;
                    }
                }
            }
            for g in gl {
                let k = (g.account.as_str(), g.currency);
                if !differ.contains_key(&k) {
                    continue;
                }
                let doc = g.document.as_deref().unwrap_or_default();
                let s = by.entry(k).or_default().entry(doc).or_default();
                s.gl_any = true;
                if g.date <= cut_off {
                    s.gl = s.gl.checked_add(g.amount).or_overflow("gl")?;
                } else {
                    s.gl_later = true;
                }
            }
        }
        let mut totals: Vec<_> = totals.into_iter().collect();
        totals.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut rows = Vec::with_capacity(totals.len());
        for ((account, currency), (ar, gl_sum)) in totals {
            let minor = currency.minor_units();
            let mut docs: Vec<_> = by
                .remove(&(account, currency))
                .unwrap_or_default()
                .into_iter()
                .filter(|(_, s)| s.ar != s.gl)
                .collect();
            docs.sort_unstable_by(|a, b| a.0.cmp(b.0));
            let mut items = Vec::with_capacity(docs.len());
            for (document, s) in docs {
                let cause = if document.is_empty() {
                    ReconcileCause::Unidentified
                } else if !s.gl_any {
                    ReconcileCause::MissingInGl
                } else if !s.ar_any {
                    ReconcileCause::MissingInAr
                } else if s.ar_later || s.gl_later {
                    ReconcileCause::AfterCutOff
                } else {
                    ReconcileCause::AmountDiffers
                };
                items.push(ReconcileItem {
                    document: document.to_owned(),
                    ar: crate::money::at_scale("journal", s.ar, minor)?,
                    gl: crate::money::at_scale("gl", s.gl, minor)?,
                    cause,
                });
            }
            let difference = ar.checked_sub(gl_sum).or_overflow("gl")?;
            rows.push(ReconcileRow {
                account: account.to_owned(),
                currency,
                ar: crate::money::at_scale("journal", ar, minor)?,
                gl: crate::money::at_scale("gl", gl_sum, minor)?,
                difference: crate::money::at_scale("gl", difference, minor)?,
                items,
            });
        }
        Ok(rows)
    }
}

fn rescaled(mut r: TrialBalanceRow) -> TrialBalanceRow {
    let minor = r.currency.minor_units();
    for v in [&mut r.debit, &mut r.credit, &mut r.balance] {
        v.rescale(minor);
    }
    r
}
