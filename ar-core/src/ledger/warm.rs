//! Reading ahead for a bulk load: what a batch of commands will touch is
//! read together, before the commands are decided and folded one by one.

use std::sync::Arc;

use crate::command::Command;
use crate::id::InvoiceId;
use crate::join::touch;
use crate::kinds::Source;
use crate::state::{SourceDoc, State};

/// Records read per stage: enough misses in flight to overlap, few enough
/// lines to stay in the first-level cache until they are used.
const BATCH: usize = 16;

impl State {
    /// Reads what deciding and folding a batch of upcoming commands will
    /// read: the slots their new documents' ids take, and for applications
    /// the invoice's and the source's records and columns. At a million
    /// invoices each is a cache miss; read a batch at a time, stage by
    /// stage, the misses overlap instead of coming one by one. Changes
    /// nothing.
    pub fn warm<'c>(&self, commands: impl Iterator<Item = &'c Command> + Clone) {
        self.invoices.warm(commands.clone().filter_map(|c| match c {
            Command::ImportInvoice { invoice, .. } => Some(&invoice.id),
            Command::IssueInvoice { invoice } => Some(&invoice.id),
            Command::IssueCreditMemo { against, .. } => against.as_ref(),
            _ => None,
        }));
        self.receipts.warm(commands.clone().filter_map(|c| match c {
            Command::RecordReceipt { receipt } => Some(&receipt.id),
            _ => None,
        }));
        self.credit_memos
            .warm(commands.clone().filter_map(|c| match c {
                Command::IssueCreditMemo { id, .. } => Some(id),
                _ => None,
            }));
        let rows: Vec<(&InvoiceId, &Source)> = commands
            .filter_map(|c| match c {
                Command::Apply {
                    invoice, source, ..
                } => Some((invoice, source)),
                _ => None,
            })
            .collect();
        for chunk in rows.chunks(BATCH) {
            let mut invoices = [None; BATCH];
            let mut sources = [None; BATCH];
            for ((inv, src), (id, source)) in invoices.iter_mut().zip(&mut sources).zip(chunk) {
                *inv = self.invoices.get(id);
                *src = self.source(source);
            }
            let rows = chunk.len();
            // The records (their first timeline and its first change
            // inline) point to the documents, spilled changes and columns.
            touch(
                invoices
                    .iter()
                    .take(rows)
                    .flatten()
                    .map(|inv| Arc::as_ptr(&inv.invoice) as u64 ^ u64::from(inv.first_inst)),
            );
            touch(
                sources
                    .iter()
                    .take(rows)
                    .flatten()
                    .map(|src| src.timeline.deltas.as_ptr() as u64 ^ u64::from(src.col)),
            );
            touch(invoices.iter().take(rows).flatten().map(|inv| {
                let doc = inv.invoice.installments.as_ptr() as u64
                    ^ inv.invoice.customer.as_str().len() as u64;
                let k = inv.first_inst as usize;
                let i = inv.index as usize;
                let col = self.cols.inst.first_day.get(k).copied().unwrap_or(0) as u64
                    ^ self.cols.inst.tail_of(k) as u64
                    ^ self.cols.inv_date.get(i).copied().unwrap_or(0) as u64
                    ^ self.cols.inst_due.get(k).copied().unwrap_or(0) as u64;
                doc ^ col
            }));
            touch(sources.iter().take(rows).flatten().map(|src| {
                let doc = match &src.doc {
                    SourceDoc::Receipt(r) => r.amount.mantissa() as u64,
                    SourceDoc::CreditMemo(m) => m.amount.mantissa() as u64,
                };
                let k = src.col as usize;
                doc ^ src.timeline.deltas.last().map_or(0, |d| d.at.seq)
                    ^ self.cols.src.first_day.get(k).copied().unwrap_or(0) as u64
                    ^ self.cols.src.tail_of(k) as u64
            }));
            touch(invoices.iter().take(rows).flatten().map(|inv| {
                inv.invoice
                    .installments
                    .first()
                    .map_or(0, |s| s.amount.mantissa() as u64)
                    ^ inv
                        .installments
                        .first()
                        .and_then(|t| t.deltas.first())
                        .map_or(0, |d| d.at.seq)
            }));
        }
    }
}
