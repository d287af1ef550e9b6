//! Cash application over the ledger: the matcher's inputs built from the
//! books, and proposals carried out as one all-or-nothing batch of the
//! ledger's ordinary commands.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::command::{Command, CommandMeta};
use crate::error::{Error, Result};
use crate::id::{CustomerId, ReceiptId};
use crate::ledger::{Ledger, Outcome};
use crate::matching::{
    ItemKind, MatchBatch, MatchCustomer, MatchDiscount, MatchItem, MatchOptions, MatchReceipt,
    Matcher, ReceiptMatch,
};
use crate::state::{DeltaKind, SourceDoc};
use crate::view::View;

impl Ledger {
    /// Open invoice installments and open credit memos through `view`, as
    /// the matcher reads them: with the early-payment discount each still
    /// offers, purchase-order numbers and dispute flags.
    pub fn match_items(&self, view: &View) -> Vec<MatchItem> {
        let cut = self.cut(view);
        let mut out = Vec::new();
        for inv in self.state.invoices.iter() {
            let Some(opens) = Self::invoice_open(inv, cut) else {
                continue;
            };
            let many = inv.installments.len() > 1;
            let disputed = inv.disputed(cut);
            let schedule = inv.invoice.installments.iter().zip(&inv.installments);
            for ((s, t), open) in schedule.zip(opens) {
                if open <= Decimal::ZERO {
                    continue;
                }
                let discount = s.discount.and_then(|offer| {
                    // Discounts taken are negative deltas: what is left of
                    // the offer is the offer plus them. Within the ledger's
                    // bound on its amounts, so never `None`.
                    let left = offer
                        .amount
                        .checked_add(t.sum_kind(cut, DeltaKind::Discount))?;
                    (left > Decimal::ZERO && left < open).then_some(MatchDiscount {
                        until: offer.until,
                        amount: left,
                    })
                });
                out.push(MatchItem {
                    kind: ItemKind::Invoice,
                    id: inv.invoice.id.to_string(),
                    installment: many.then_some(s.number),
                    customer: inv.invoice.customer.clone(),
                    currency: inv.invoice.currency,
                    date: inv.invoice.date,
                    due_date: s.due_date,
                    open,
                    discount,
                    po_number: inv.invoice.po_number.clone(),
                    disputed,
                });
            }
        }
        for src in self.state.credit_memos.iter() {
            let SourceDoc::CreditMemo(m) = &src.doc else {
                continue;
            };
            let Some(open) = Self::source_open(src, cut).filter(|o| *o > Decimal::ZERO) else {
                continue;
            };
            out.push(MatchItem {
                kind: ItemKind::CreditMemo,
                id: m.id.to_string(),
                installment: None,
                customer: m.customer.clone(),
                currency: m.currency,
                date: m.date,
                due_date: m.date,
                open,
                discount: None,
                po_number: None,
                disputed: false,
            });
        }
        out
    }

    /// Receipts with unapplied cash through `view`, as the matcher reads
    /// them: the unapplied amount, the payer if known, the remittance, the
    /// payer's name as the bank gave it, and the account paid from (the
    /// bank reference for a receipt recorded without one).
    pub fn match_receipt_inputs(&self, view: &View) -> Vec<MatchReceipt> {
        let cut = self.cut(view);
        let mut out = Vec::new();
        for src in self.state.receipts.iter() {
            let SourceDoc::Receipt(r) = &src.doc else {
                continue;
            };
            let Some(open) = Self::source_open(src, cut).filter(|o| *o > Decimal::ZERO) else {
                continue;
            };
            out.push(MatchReceipt {
                id: r.id.to_string(),
                customer: src.customer(cut).cloned(),
                date: r.date,
                amount: open,
                currency: r.currency,
                remittance: r.remittance.clone(),
                payer_name: r.payer_name.clone(),
                account: r.payer_account.clone().or_else(|| r.reference.clone()),
            });
        }
        out
    }

    /// Customers as the matcher identifies them: by name, and by the
    /// accounts their earlier receipts came from (the payer's account, else
    /// the bank reference), learnt from the ledger's history. Only customers the
    /// view knows: registered at or before its `known_at` (a customer is
    /// registered when recorded, so `as_of` alone hides none).
    pub fn match_customers(&self, view: &View) -> Vec<MatchCustomer> {
        let cut = self.cut(view);
        let mut accounts: BTreeMap<&CustomerId, Vec<String>> = BTreeMap::new();
        for src in self.state.receipts.iter() {
            let SourceDoc::Receipt(r) = &src.doc else {
                continue;
            };
            if !cut.sees(src.created) {
                continue;
            }
            let account = r.payer_account.as_ref().or(r.reference.as_ref());
            if let (Some(c), Some(reference)) = (src.customer(cut), account) {
                let list = accounts.entry(c).or_default();
                if !list.contains(reference) && reference.chars().any(char::is_alphanumeric) {
                    list.push(reference.clone());
                }
            }
        }
        // A customer registered after what the view knows is not offered;
        // the others as they then stood.
        self.state
            .customers_at(cut.seq)
            .map(|c| MatchCustomer {
                id: c.id.clone(),
                name: c.name.clone(),
                aliases: Vec::new(),
                accounts: accounts.get(&c.id).cloned().unwrap_or_default(),
            })
            .collect()
    }

    /// Matches every receipt with unapplied cash against the open items,
    /// both through `view`, as one batch (see
    /// [`crate::matching::Matcher::match_batch`]). Nothing is applied: carry
    /// a proposal out with [`Ledger::apply_match`].
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for out-of-range options.
    pub fn match_receipts(&self, view: &View, options: &MatchOptions) -> Result<MatchBatch> {
        let mut m = Matcher::new(
            self.match_items(view),
            &self.match_customers(view),
            options.clone(),
        )?;
        m.match_batch(&self.match_receipt_inputs(view))
    }

    /// Proposals for one receipt's unapplied cash, against the open items
    /// through `view`.
    ///
    /// # Errors
    /// [`Error::NotFound`] when the receipt has no unapplied cash in the
    /// view (or does not exist); [`Error::InvalidValue`] for bad options.
    pub fn match_receipt(
        &self,
        receipt: &ReceiptId,
        view: &View,
        options: &MatchOptions,
    ) -> Result<ReceiptMatch> {
        let r = self
            .match_receipt_inputs(view)
            .into_iter()
            .find(|r| r.id == receipt.as_str())
            .ok_or_else(|| Error::NotFound {
                field: "receipt".into(),
                kind: "receipt with unapplied cash".into(),
                id: receipt.to_string(),
            })?;
        Matcher::new(
            self.match_items(view),
            &self.match_customers(view),
            options.clone(),
        )?
        .propose(&r)
    }

    /// Executes `commands` in order as one unit: all of them, or, when one
    /// is rejected, none (the ledger is restored and the error returned).
    /// With an idempotency key, command `i` runs under `"{key}#{i}"`.
    ///
    /// # Errors
    /// The first rejected command's error, with nothing appended. Restoring
    /// after a rejection replays the log, which costs what a replay costs.
    pub fn execute_all(
        &mut self,
        commands: Vec<Command>,
        meta: &CommandMeta,
    ) -> Result<Vec<Outcome>> {
        let events = self.events.len();
        let mut out = Vec::with_capacity(commands.len());
        for (i, command) in commands.into_iter().enumerate() {
            let meta_i = CommandMeta {
                recorded: meta.recorded,
                idempotency_key: meta.idempotency_key.as_ref().map(|k| format!("{k}#{i}")),
            };
            match self.execute(command, &meta_i) {
                Ok(o) => out.push(o),
                Err(e) => {
                    if self.events.len() != events {
                        self.events.truncate(events);
                        self.state = Self::fold(&self.events)?;
                        self.idempotency.retain(|_, rec| rec.first < events);
                    }
                    return Err(e);
                }
            }
        }
        Ok(out)
    }

    /// Carries out proposal `index` of `m`: [`ReceiptMatch::commands`] run
    /// through [`Ledger::execute_all`].
    ///
    /// # Errors
    /// As [`ReceiptMatch::commands`] and [`Ledger::execute_all`]: a proposal
    /// that no longer fits the books (the cash or the invoices have moved
    /// since it was made) is rejected whole.
    pub fn apply_match(
        &mut self,
        m: &ReceiptMatch,
        index: usize,
        meta: &CommandMeta,
    ) -> Result<Vec<Outcome>> {
        let mut commands = m.commands(index)?;
        // The payer may have been named since the proposal was made; naming
        // the same payer again is not a change. A retry under the key that
        // named it replays it instead, so its commands keep their numbers.
        let retry = meta
            .idempotency_key
            .as_ref()
            .is_some_and(|k| self.idempotency.contains_key(&format!("{k}#0")));
        commands.retain(|c| match c {
            Command::AssignPayer { .. } if retry => true,
            Command::AssignPayer {
                receipt, customer, ..
            } => {
                self.state
                    .receipts
                    .get(receipt)
                    .and_then(|r| r.customer(crate::view::Cut::ALL))
                    != Some(customer)
            }
            _ => true,
        });
        self.execute_all(commands, meta)
    }
}
