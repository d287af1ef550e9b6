//! Cash: receipts recorded, their payer identified, receipts voided; how
//! those events fold into the state.

use std::sync::Arc;

use chrono::NaiveDate;
use smallvec::smallvec;

use crate::decide::{date_before, duplicate, invalid_state, Decided, Decider};
use crate::error::{Error, Result};
use crate::event::Event;
use crate::id::{CustomerId, ReceiptId};
use crate::kinds::Source;
use crate::money::check_positive;
use crate::receipt::Receipt;
use crate::report::columns;
use crate::state::{dup, idx, missing, SourceDoc, SourceState, State, Timeline};
use crate::view::Cut;
use crate::view::Stamp;

impl Decider<'_> {
    pub(crate) fn record_receipt(&self, receipt: Receipt) -> Result<Decided> {
        if self.state.receipts.contains(&receipt.id) {
            return Err(duplicate("receipt.id", "receipt", receipt.id.as_str()));
        }
        if let Some(c) = &receipt.customer {
            self.customer("receipt.customer", c)?;
        }
        let amount = check_positive("receipt.amount", receipt.amount, receipt.currency)?;
        let receipt = Receipt { amount, ..receipt };
        Ok(smallvec![(
            receipt.date,
            Event::ReceiptRecorded {
                receipt: Arc::new(receipt),
            },
        )])
    }

    pub(crate) fn assign_payer(
        &self,
        receipt: ReceiptId,
        customer: CustomerId,
        date: NaiveDate,
    ) -> Result<Decided> {
        let r = self
            .state
            .receipts
            .get(&receipt)
            .ok_or_else(|| Error::not_found("receipt", "receipt", receipt.as_str()))?;
        if r.voided.is_some() {
            return Err(invalid_state(
                "receipt",
                "receipt",
                receipt.as_str(),
                "void",
                "assign a payer",
            ));
        }
        if let Some(c) = r.customer(Cut::ALL) {
            return Err(invalid_state(
                "receipt",
                "receipt",
                receipt.as_str(),
                &format!("already paid by {c}"),
                "assign a payer",
            ));
        }
        self.customer("customer", &customer)?;
        if date < r.created.eff {
            return Err(date_before(
                "date",
                date,
                format!("receipt {receipt}"),
                r.created.eff,
            ));
        }
        Ok(smallvec![(
            date,
            Event::PayerAssigned {
                receipt: receipt.clone(),
                customer: customer.clone(),
            },
        )])
    }

    pub(crate) fn void_receipt(
        &self,
        receipt: ReceiptId,
        date: NaiveDate,
        reason: String,
    ) -> Result<Decided> {
        let source = Source::Receipt(receipt.clone());
        self.check_void_source(&source, date)?;
        Ok(smallvec![(
            date,
            Event::ReceiptVoided {
                receipt: receipt.clone(),
                reason: reason.clone(),
            },
        )])
    }
}

impl State {
    /// Folds `receipt_recorded`.
    pub(crate) fn fold_receipt_recorded(
        &mut self,
        at: Stamp,
        receipt: &Arc<Receipt>,
    ) -> Result<()> {
        if self.receipts.contains(&receipt.id) {
            return Err(dup("receipt", receipt.id.as_str()));
        }
        let customer = match &receipt.customer {
            Some(c) => Some(
                self.customers
                    .index_of(c)
                    .ok_or_else(|| missing("customer", c.as_str()))?,
            ),
            None => None,
        };
        let col = self.push_source(true, customer, receipt.currency, receipt.amount, at, None);
        let state = SourceState {
            doc: SourceDoc::Receipt(receipt.clone()),
            created: at,
            payer: None,
            voided: None,
            timeline: Timeline::new(receipt.amount),
            last_eff: at.eff,
            col,
            used_by: 0,
        };
        if !self.receipts.insert(receipt.id.clone(), state) {
            return Err(dup("receipt", receipt.id.as_str()));
        }

        Ok(())
    }

    /// Folds `payer_assigned`.
    pub(crate) fn fold_payer_assigned(
        &mut self,
        at: Stamp,
        receipt: &ReceiptId,
        customer: &CustomerId,
    ) -> Result<()> {
        let r = self
            .receipts
            .get_mut(receipt)
            .ok_or_else(|| missing("receipt", receipt.as_str()))?;
        r.payer = Some((at, customer.clone()));
        r.last_eff = r.last_eff.max(at.eff);
        let col = r.col;
        let c = self
            .customers
            .index_of(customer)
            .ok_or_else(|| missing("customer", customer.as_str()))?;
        self.cols.assign_payer(col, idx(c), columns::stamp(at));

        Ok(())
    }

    /// Folds `receipt_voided`.
    pub(crate) fn fold_receipt_voided(&mut self, at: Stamp, receipt: &ReceiptId) -> Result<()> {
        let r = self
            .receipts
            .get_mut(receipt)
            .ok_or_else(|| missing("receipt", receipt.as_str()))?;
        r.voided = Some(at);
        r.last_eff = r.last_eff.max(at.eff);
        self.cols.void_source(r.col, columns::stamp(at));

        Ok(())
    }
}
