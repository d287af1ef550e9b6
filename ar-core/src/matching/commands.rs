//! A proposal as the ledger's own commands.

use crate::command::Command;
use crate::error::{Error, Result};
use crate::id::{CreditMemoId, InvoiceId, ReceiptId};
use crate::kinds::Source;

use super::types::{ReceiptMatch, SourceKind};

impl ReceiptMatch {
    /// The commands that carry out proposal `index`: `AssignPayer` when the
    /// receipt named no payer, then one `Apply` per application (credit
    /// memos first, each with its discount), then one `WriteOff` per
    /// tolerated short pay. Run them with [`crate::Ledger::execute_all`] so
    /// that they apply together or not at all.
    ///
    /// # Errors
    /// [`Error::NotFound`] when there is no proposal `index`;
    /// [`Error::InvalidValue`] when an id is not a valid ledger id.
    pub fn commands(&self, index: usize) -> Result<Vec<Command>> {
        let p = self.proposals.get(index).ok_or_else(|| Error::NotFound {
            field: "proposal".into(),
            kind: "proposal".into(),
            id: index.to_string(),
        })?;
        let receipt = ReceiptId::parse_field("receipt", self.receipt.as_str())?;
        let mut out = Vec::new();
        if self.given_payer.is_none() {
            out.push(Command::AssignPayer {
                receipt: receipt.clone(),
                customer: p.customer.clone(),
                date: self.date,
            });
        }
        let mut write_offs = Vec::new();
        for a in &p.applications {
            let invoice = InvoiceId::parse_field("invoice", a.invoice.as_str())?;
            let source = match a.source_kind {
                SourceKind::Receipt => Source::Receipt(receipt.clone()),
                SourceKind::CreditMemo => {
                    Source::CreditMemo(CreditMemoId::parse_field("source", a.source.as_str())?)
                }
            };
            if !a.amount.is_zero() {
                out.push(Command::Apply {
                    id: None,
                    source,
                    invoice: invoice.clone(),
                    installment: a.installment,
                    amount: a.amount,
                    discount: a.discount,
                    date: a.date,
                });
            }
            if !a.write_off.is_zero() {
                write_offs.push(Command::WriteOff {
                    id: None,
                    invoice,
                    installment: a.installment,
                    amount: Some(a.write_off),
                    date: a.date,
                    reason: format!("short pay on receipt {} within tolerance", self.receipt),
                });
            }
        }
        out.extend(write_offs);
        Ok(out)
    }
}
