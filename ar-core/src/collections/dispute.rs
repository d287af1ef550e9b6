//! Disputes as records: opened on an invoice, an installment or an amount
//! of one, resolved by a credit memo, a write-off or reinstatement.
//!
//! An open record makes its invoice read as disputed (see
//! `InvoiceState::disputed`), as the `set_dispute` flag does: out of FIFO
//! and automatic matching. Dunning is finer: it leaves out only the amount
//! disputed.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use smallvec::smallvec;

use crate::collection_records::{Dispute, ItemRef, Resolution};
use crate::decide::{date_before, duplicate, invalid_state, Decided, Decider};
use crate::error::{Error, Result};
use crate::event::Event;
use crate::id::DisputeId;
use crate::limits::{check_len, MAX_KEY_LEN, MAX_TEXT_LEN};
use crate::money::{check_positive, OrOverflow};
use crate::state::{dup, idx, missing, DisputeMark, DisputeState, Resolved, SourceDoc, State};
use crate::view::Stamp;

use super::columns_of;

impl Decider<'_> {
    pub(crate) fn open_dispute(&self, dispute: Dispute, date: NaiveDate) -> Result<Decided> {
        if self.state.collections.disputes.contains(&dispute.id) {
            return Err(duplicate("dispute.id", "dispute", dispute.id.as_str()));
        }
        check_len("dispute.reason", &dispute.reason, MAX_KEY_LEN)?;
        check_len("dispute.owner", &dispute.owner, MAX_KEY_LEN)?;
        check_len("dispute.note", &dispute.note, MAX_TEXT_LEN)?;
        if dispute.reason.trim().is_empty() {
            return Err(Error::invalid_value(
                "dispute.reason",
                &dispute.reason,
                "a dispute needs a reason code",
            ));
        }
        let inv = self.live_invoice("dispute.invoice", &dispute.invoice)?;
        let item = ItemRef {
            invoice: dispute.invoice.clone(),
            installment: dispute.installment,
        };
        let cols = columns_of(inv, &item, "dispute")?;
        let live_from = inv.finalized.map_or(inv.issued.eff, |s| s.eff);
        if date < live_from {
            return Err(date_before(
                "date",
                date,
                format!("invoice {}", dispute.invoice),
                live_from,
            ));
        }
        let open = cols
            .iter()
            .filter_map(|c| c.checked_sub(inv.first_inst))
            .filter_map(|i| inv.installments.get(i as usize))
            .try_fold(Decimal::ZERO, |s, t| {
                s.checked_add(t.at(crate::view::Cut {
                    date,
                    seq: u64::MAX,
                }))
            })
            .or_overflow("dispute.amount")?;
        let dispute = match dispute.amount {
            Some(a) => {
                let a = check_positive("dispute.amount", a, inv.invoice.currency)?;
                if a > open {
                    return Err(crate::decide::over(
                        "dispute.amount",
                        a,
                        open,
                        format!("invoice {}", dispute.invoice),
                    ));
                }
                Dispute {
                    amount: Some(a),
                    ..dispute
                }
            }
            None => {
                if open <= Decimal::ZERO {
                    return Err(invalid_state(
                        "dispute.invoice",
                        "invoice",
                        dispute.invoice.as_str(),
                        "settled",
                        "dispute it",
                    ));
                }
                dispute
            }
        };
        Ok(smallvec![(
            date,
            Event::DisputeOpened {
                dispute: Arc::new(dispute),
            },
        )])
    }

    pub(crate) fn resolve_dispute(
        &self,
        id: DisputeId,
        resolution: Resolution,
        date: NaiveDate,
        by: String,
        reason: String,
    ) -> Result<Decided> {
        let d = self
            .state
            .collections
            .disputes
            .get(&id)
            .ok_or_else(|| Error::not_found("dispute", "dispute", id.as_str()))?;
        check_len("by", &by, MAX_KEY_LEN)?;
        if by.trim().is_empty() {
            return Err(Error::invalid_value(
                "by",
                &by,
                "say who resolved the dispute",
            ));
        }
        if d.resolved.is_some() {
            return Err(invalid_state(
                "dispute",
                "dispute",
                id.as_str(),
                "resolved",
                "resolve it again",
            ));
        }
        if date < d.opened.eff {
            return Err(date_before(
                "date",
                date,
                format!("dispute {id}"),
                d.opened.eff,
            ));
        }
        let invoice = &d.dispute.invoice;
        match &resolution {
            Resolution::CreditMemo { credit_memo } => {
                let src = self.state.credit_memos.get(credit_memo).ok_or_else(|| {
                    Error::not_found(
                        "resolution.credit_memo",
                        "credit_memo",
                        credit_memo.as_str(),
                    )
                })?;
                let SourceDoc::CreditMemo(m) = &src.doc else {
                    return Err(Error::not_found(
                        "resolution.credit_memo",
                        "credit_memo",
                        credit_memo.as_str(),
                    ));
                };
                let inv = self.invoice("dispute", invoice)?;
                if m.customer != inv.invoice.customer {
                    return Err(Error::CustomerMismatch {
                        field: "resolution.credit_memo".into(),
                        expected: inv.invoice.customer.to_string(),
                        found: m.customer.to_string(),
                    });
                }
                if m.against.as_ref().is_some_and(|a| a != invoice) {
                    return Err(Error::invalid_value(
                        "resolution.credit_memo",
                        credit_memo,
                        &format!("credits another invoice than the disputed {invoice}"),
                    ));
                }
                if src.voided.is_some() {
                    return Err(invalid_state(
                        "resolution.credit_memo",
                        "credit_memo",
                        credit_memo.as_str(),
                        "void",
                        "resolve a dispute with it",
                    ));
                }
            }
            Resolution::WriteOff { write_off } => {
                let w = self.state.write_offs.get(write_off).ok_or_else(|| {
                    Error::not_found("resolution.write_off", "write_off", write_off.as_str())
                })?;
                let written = match &w.target {
                    crate::state::WrittenOff::Invoice(id, _) => Some(id),
                    crate::state::WrittenOff::Source(..) => None,
                };
                if written != Some(invoice) {
                    return Err(Error::invalid_value(
                        "resolution.write_off",
                        write_off,
                        &format!("writes off another invoice than the disputed {invoice}"),
                    ));
                }
                if w.reversed.is_some() {
                    return Err(invalid_state(
                        "resolution.write_off",
                        "write_off",
                        write_off.as_str(),
                        "reversed",
                        "resolve a dispute with it",
                    ));
                }
            }
            Resolution::Reinstated => {}
        }
        Ok(smallvec![(
            date,
            Event::DisputeResolved {
                dispute: id,
                resolution,
                by,
                reason,
            },
        )])
    }
}

impl State {
    /// Folds `dispute_opened`.
    pub(crate) fn fold_dispute_opened(&mut self, at: Stamp, dispute: &Arc<Dispute>) -> Result<()> {
        if self.collections.disputes.contains(&dispute.id) {
            return Err(dup("dispute", dispute.id.as_str()));
        }
        let row = self
            .invoices
            .index_of(&dispute.invoice)
            .ok_or_else(|| missing("invoice", dispute.invoice.as_str()))?;
        let inv = self.invoice_mut(&dispute.invoice)?;
        inv.disputes.push((at, DisputeMark::Opened));
        inv.last_eff = inv.last_eff.max(at.eff);
        let c = &mut self.collections;
        let d = idx(c.disputes.len());
        c.disputes_of.entry(idx(row)).or_default().push(d);
        c.disputes.insert(
            dispute.id.clone(),
            DisputeState {
                dispute: dispute.clone(),
                invoice: idx(row),
                opened: at,
                resolved: None,
            },
        );
        Ok(())
    }

    /// Folds `dispute_resolved`.
    pub(crate) fn fold_dispute_resolved(
        &mut self,
        at: Stamp,
        id: &DisputeId,
        resolution: &Resolution,
        by: &str,
        reason: &str,
    ) -> Result<()> {
        let d = self
            .collections
            .disputes
            .get(id)
            .ok_or_else(|| missing("dispute", id.as_str()))?;
        if d.resolved.is_some() {
            return Err(Error::corrupt(format!("dispute {id:?} is resolved twice")));
        }
        let invoice = d.dispute.invoice.clone();
        let inv = self.invoice_mut(&invoice)?;
        inv.disputes.push((at, DisputeMark::Resolved));
        inv.last_eff = inv.last_eff.max(at.eff);
        if let Some(d) = self.collections.disputes.get_mut(id) {
            d.resolved = Some(Resolved {
                at,
                resolution: resolution.clone(),
                by: by.to_owned(),
                reason: reason.to_owned(),
            });
        }
        Ok(())
    }
}
