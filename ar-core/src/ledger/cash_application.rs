//! Cash application over the ledger: the matcher's inputs built from the
//! books, and proposals carried out as one all-or-nothing batch of the
//! ledger's ordinary commands.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use crate::command::{Command, CommandMeta};
use crate::error::{Error, Result};
use crate::event::Event;
use crate::id::{CreditMemoId, CustomerId, InvoiceId, ReceiptId};
use crate::kinds::Source;
use crate::ledger::{Ledger, Outcome};
use crate::matching::{
    ItemKind, MatchBatch, MatchChanges, MatchCustomer, MatchDiscount, MatchItem, MatchItemKey,
    MatchOptions, MatchReceipt, Matcher, ReceiptMatch,
};
use crate::state::{DeltaKind, InvoiceState, SourceDoc, SourceState, WrittenOff};
use crate::view::{Cut, View};

impl Ledger {
    /// Open invoice installments and open credit memos through `view`, as
    /// the matcher reads them: with the early-payment discount each still
    /// offers, purchase-order numbers and dispute flags.
    pub fn match_items(&self, view: &View) -> Vec<MatchItem> {
        let cut = self.cut(view);
        let mut out = Vec::new();
        for inv in self.state.invoices.iter() {
            Self::invoice_items(inv, cut, &mut out);
        }
        out.extend(
            self.state
                .credit_memos
                .iter()
                .filter_map(|src| Self::memo_item(src, cut)),
        );
        out
    }

    /// The open installments of `inv` as of `cut`, as the matcher reads
    /// them, appended to `out`.
    fn invoice_items(inv: &InvoiceState, cut: Cut, out: &mut Vec<MatchItem>) {
        let Some(opens) = Self::invoice_open(inv, cut) else {
            return;
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

    /// A credit memo as the matcher reads it, when it has credit open as
    /// of `cut`.
    fn memo_item(src: &SourceState, cut: Cut) -> Option<MatchItem> {
        let SourceDoc::CreditMemo(m) = &src.doc else {
            return None;
        };
        let open = Self::source_open(src, cut).filter(|o| *o > Decimal::ZERO)?;
        Some(MatchItem {
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
        })
    }

    /// What a [`Matcher`] built from [`Ledger::match_items`] when the log
    /// had `since` events needs to be told to stand as the books do now
    /// (through `view`): every open item of the invoices and credit memos
    /// the events since touched (issued, applied to or from, written off,
    /// voided, disputed, refunded, and each reversal), and the keys of
    /// their installments no longer open. Give them to
    /// [`Matcher::sync`]; `through` is the log's length to pass next time.
    /// Costs what the events since cost, not a pass over the book.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for `since` past the end of the log.
    ///
    /// # Example
    ///
    /// ```
    /// use ar_core::*;
    /// use ar_core::matching::{MatchOptions, Matcher};
    /// use chrono::NaiveDate;
    /// use rust_decimal::Decimal;
    ///
    /// let usd = Currency::new("USD")?;
    /// let acme = CustomerId::new("ACME")?;
    /// let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    /// let at = CommandMeta::at("2026-03-01T09:00:00Z".parse().unwrap());
    /// let mut l = Ledger::new();
    /// l.execute(Command::RegisterCustomer { customer: Customer::new(acme.clone(), "Acme", usd) }, &at)?;
    /// let line = |p| vec![InvoiceLine::new("Goods", Decimal::ONE, Decimal::new(p, 2))];
    /// let invoice = NewInvoice::new(InvoiceId::new("INV-1")?, acme.clone(), day(1), line(10000));
    /// l.execute(Command::IssueInvoice { invoice }, &at)?;
    /// let view = View::all();
    /// let mut matcher = Matcher::new(l.match_items(&view), &l.match_customers(&view), MatchOptions::default())?;
    /// let built_at = l.events().len();
    /// // Later: INV-2 issued, and INV-1 paid by a credit memo.
    /// let invoice = NewInvoice::new(InvoiceId::new("INV-2")?, acme.clone(), day(2), line(25000));
    /// l.execute(Command::IssueInvoice { invoice }, &at)?;
    /// let changes = l.match_changes(built_at, &view)?;
    /// assert_eq!(changes.items.len(), 1);
    /// assert_eq!(changes.items[0].id, "INV-2");
    /// matcher.sync(changes.items, &changes.closed)?;
    /// assert_eq!(changes.through, l.events().len());
    /// # Ok::<(), ar_core::Error>(())
    /// ```
    pub fn match_changes(&self, since: usize, view: &View) -> Result<MatchChanges> {
        let Some(events) = self.events.get(since..) else {
            return Err(Error::invalid_value(
                "since",
                since,
                &format!("is past the end of the log ({} events)", self.events.len()),
            ));
        };
        let mut invoices: BTreeSet<InvoiceId> = BTreeSet::new();
        let mut memos: BTreeSet<CreditMemoId> = BTreeSet::new();
        let source = |s: &Source, memos: &mut BTreeSet<CreditMemoId>| {
            if let Source::CreditMemo(m) = s {
                memos.insert(m.clone());
            }
        };
        for env in events {
            match &env.event {
                Event::InvoiceIssued { invoice } => {
                    invoices.insert(invoice.id.clone());
                }
                Event::InvoiceFinalized { invoice }
                | Event::InvoiceVoided { invoice, .. }
                | Event::DisputeSet { invoice, .. }
                | Event::WrittenOff { invoice, .. } => {
                    invoices.insert(invoice.clone());
                }
                Event::CreditMemoIssued { credit_memo } => {
                    memos.insert(credit_memo.id.clone());
                }
                Event::CreditMemoVoided { credit_memo, .. } => {
                    memos.insert(credit_memo.clone());
                }
                Event::Applied {
                    source: s, invoice, ..
                } => {
                    invoices.insert(invoice.clone());
                    source(s, &mut memos);
                }
                Event::Unapplied { application, .. } => {
                    if let Some(a) = self.state.applications.get(application) {
                        invoices.insert(a.invoice.clone());
                        source(&a.source, &mut memos);
                    }
                }
                Event::SourceWrittenOff { source: s, .. } | Event::Refunded { source: s, .. } => {
                    source(s, &mut memos);
                }
                Event::WriteOffReversed { write_off, .. } => {
                    match self.state.write_offs.get(write_off).map(|w| &w.target) {
                        Some(WrittenOff::Invoice(invoice, _)) => {
                            invoices.insert(invoice.clone());
                        }
                        Some(WrittenOff::Source(s, _)) => source(s, &mut memos),
                        None => {}
                    }
                }
                Event::DisputeOpened { dispute } => {
                    invoices.insert(dispute.invoice.clone());
                }
                Event::DisputeResolved { dispute, .. } => {
                    if let Some(d) = self.state.collections.disputes.get(dispute) {
                        invoices.insert(d.dispute.invoice.clone());
                    }
                }
                _ => {}
            }
        }
        let cut = self.cut(view);
        let (mut items, mut closed) = (Vec::new(), Vec::new());
        for id in invoices {
            let Some(inv) = self.state.invoices.get(&id) else {
                continue;
            };
            let first = items.len();
            Self::invoice_items(inv, cut, &mut items);
            let open: Vec<Option<u32>> = items
                .get(first..)
                .unwrap_or_default()
                .iter()
                .map(|m| m.installment)
                .collect();
            let many = inv.installments.len() > 1;
            for s in &inv.invoice.installments {
                let installment = many.then_some(s.number);
                if !open.contains(&installment) {
                    closed.push(MatchItemKey {
                        kind: ItemKind::Invoice,
                        id: id.to_string(),
                        installment,
                    });
                }
            }
        }
        for id in memos {
            match self
                .state
                .credit_memos
                .get(&id)
                .and_then(|src| Self::memo_item(src, cut))
            {
                Some(item) => items.push(item),
                None => closed.push(MatchItemKey {
                    kind: ItemKind::CreditMemo,
                    id: id.to_string(),
                    installment: None,
                }),
            }
        }
        Ok(MatchChanges::new(items, closed, self.events.len()))
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
