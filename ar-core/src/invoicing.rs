//! Invoicing: issuing, importing, finalizing and voiding invoices, and
//! flagging disputes; how those events fold into the state.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use smallvec::smallvec;

use crate::command::{NewInvoice, OpeningInvoice};
use crate::decide::{date_before, duplicate, invalid_state, zero, Decided, Decider};
use crate::error::{Error, Result};
use crate::event::Event;
use crate::id::InvoiceId;
use crate::invoice::{totals_with_base_cut, Invoice, InvoiceTotals, TaxMode, TaxRounding};
use crate::money::{check_positive, OrOverflow, RoundingPolicy};
use crate::report::columns::{self, NEVER};
use crate::state::{dup, idx, missing, DeltaKind, DisputeMark, InvoiceState, State, Timeline};
use crate::terms::{DueRule, PaymentTerms, ScheduledInstallment};
use crate::view::Stamp;
use smallvec::SmallVec;

impl Decider<'_> {
    pub(crate) fn issue_invoice(&self, new: NewInvoice) -> Result<Decided> {
        if self.state.invoices.contains(&new.id) {
            return Err(duplicate("invoice.id", "invoice", new.id.as_str()));
        }
        let customer = self.customer("invoice.customer", &new.customer)?;
        let currency = new.currency.unwrap_or(customer.currency);
        let terms = new.terms.unwrap_or_else(|| customer.terms.clone());
        // A mixed discount reduces the tax base at invoicing (Belgium).
        let base_cut = terms.mixed_discount();
        if base_cut.is_some() && new.tax_mode != TaxMode::Exclusive {
            return Err(Error::InvalidTerms {
                field: "invoice.terms".into(),
                reason: "a mixed discount needs prices net of tax (tax_mode exclusive)".into(),
            });
        }
        let totals = totals_with_base_cut(
            &new.lines,
            currency,
            new.tax_mode,
            new.tax_rounding,
            new.rounding,
            base_cut,
        )?;
        if totals.total <= Decimal::ZERO {
            return Err(Error::invalid_amount(
                "invoice.lines",
                totals.total,
                "the invoice total must be greater than zero; use a credit memo for negative amounts",
            ));
        }
        let installments =
            terms.schedule_for(new.date, totals.net, totals.total, currency, new.rounding)?;
        let invoice = Invoice {
            id: new.id,
            customer: new.customer,
            date: new.date,
            currency,
            lines: new.lines,
            tax_mode: new.tax_mode,
            tax_rounding: new.tax_rounding,
            rounding: new.rounding,
            terms,
            totals,
            installments,
            po_number: new.po_number,
            dimensions: new.dimensions,
            draft: new.draft,
            opening_open: None,
            charge: None,
        };
        Ok(smallvec![(
            new.date,
            Event::InvoiceIssued {
                invoice: Arc::new(invoice),
            },
        )])
    }

    pub(crate) fn import_invoice(
        &self,
        open: &OpeningInvoice,
        as_of: NaiveDate,
    ) -> Result<Decided> {
        if self.state.invoices.contains(&open.id) {
            return Err(duplicate("invoice.id", "invoice", open.id.as_str()));
        }
        let customer = self.customer("invoice.customer", &open.customer)?;
        let currency = open.currency.unwrap_or(customer.currency);
        let total = check_positive("invoice.total", open.total, currency)?;
        let open_amount = check_positive("invoice.open", open.open, currency)?;
        if open_amount > total {
            return Err(Error::invalid_amount(
                "invoice.open",
                open_amount,
                "must not exceed the invoice total",
            ));
        }
        if open.due_date < open.date {
            return Err(date_before(
                "invoice.due_date",
                open.due_date,
                format!("invoice {}", open.id),
                open.date,
            ));
        }
        if as_of < open.date {
            return Err(date_before(
                "as_of",
                as_of,
                format!("invoice {}", open.id),
                open.date,
            ));
        }
        let days = u32::try_from(open.due_date.signed_duration_since(open.date).num_days())
            .unwrap_or(u32::MAX);
        // A whole invoice (nothing settled before) keeps the early-payment
        // discount of its customer's terms, so that a discount taken on it
        // is checked as on an invoice issued here.
        let discount = match &customer.terms {
            PaymentTerms::Single {
                discount: Some(d), ..
            } if open_amount == total => Some(*d),
            _ => None,
        };
        let terms = PaymentTerms::Single {
            due: DueRule::Net { days },
            discount,
        };
        let installments = match terms.schedule_for(
            open.date,
            total,
            total,
            currency,
            RoundingPolicy::default(),
        ) {
            Ok(mut i) if i.len() == 1 => {
                for x in &mut i {
                    x.due_date = open.due_date;
                }
                i
            }
            _ => vec![ScheduledInstallment {
                number: 1,
                due_date: open.due_date,
                amount: total,
                discount: None,
            }],
        };
        let invoice = Invoice {
            id: open.id.clone(),
            customer: open.customer.clone(),
            date: open.date,
            currency,
            lines: Vec::new(),
            tax_mode: TaxMode::default(),
            tax_rounding: TaxRounding::default(),
            rounding: RoundingPolicy::default(),
            terms,
            totals: InvoiceTotals {
                lines: Vec::new(),
                taxes: Vec::new(),
                net: total,
                tax: zero(currency),
                total,
            },
            installments,
            po_number: open.po_number.clone(),
            dimensions: open.dimensions.clone(),
            draft: false,
            opening_open: Some(open_amount),
            charge: None,
        };
        Ok(smallvec![(
            as_of,
            Event::InvoiceIssued {
                invoice: Arc::new(invoice),
            },
        )])
    }

    pub(crate) fn finalize_invoice(&self, invoice: InvoiceId, date: NaiveDate) -> Result<Decided> {
        let inv = self.invoice("invoice", &invoice)?;
        if inv.voided.is_some() {
            return Err(invalid_state(
                "invoice",
                "invoice",
                invoice.as_str(),
                "void",
                "finalize it",
            ));
        }
        if inv.finalized.is_some() {
            return Err(invalid_state(
                "invoice",
                "invoice",
                invoice.as_str(),
                "already final",
                "finalize it",
            ));
        }
        if date < inv.invoice.date {
            return Err(date_before(
                "date",
                date,
                format!("invoice {invoice}"),
                inv.invoice.date,
            ));
        }
        Ok(smallvec![(
            date,
            Event::InvoiceFinalized {
                invoice: invoice.clone(),
            },
        )])
    }

    pub(crate) fn void_invoice(
        &self,
        invoice: InvoiceId,
        date: NaiveDate,
        reason: String,
    ) -> Result<Decided> {
        let inv = self.invoice("invoice", &invoice)?;
        if inv.voided.is_some() {
            return Err(invalid_state(
                "invoice",
                "invoice",
                invoice.as_str(),
                "void",
                "void it again",
            ));
        }
        if inv.settled_by > 0 {
            return Err(invalid_state(
                "invoice",
                "invoice",
                invoice.as_str(),
                "settled in part",
                "void it before unapplying its payments, credits and write-offs",
            ));
        }
        if date < inv.last_eff {
            return Err(date_before(
                "date",
                date,
                format!("the last event on invoice {invoice}"),
                inv.last_eff,
            ));
        }
        Ok(smallvec![(
            date,
            Event::InvoiceVoided {
                invoice: invoice.clone(),
                reason: reason.clone(),
            },
        )])
    }

    pub(crate) fn set_dispute(
        &self,
        invoice: InvoiceId,
        disputed: bool,
        date: NaiveDate,
        reason: String,
    ) -> Result<Decided> {
        let inv = self.live_invoice("invoice", &invoice)?;
        if date < inv.issued.eff {
            return Err(date_before(
                "date",
                date,
                format!("invoice {invoice}"),
                inv.issued.eff,
            ));
        }
        Ok(smallvec![(
            date,
            Event::DisputeSet {
                invoice: invoice.clone(),
                disputed,
                reason: reason.clone(),
            },
        )])
    }
}

impl State {
    /// Folds `invoice_issued`.
    pub(crate) fn fold_invoice_issued(&mut self, at: Stamp, invoice: &Arc<Invoice>) -> Result<()> {
        if self.invoices.contains(&invoice.id) {
            return Err(dup("invoice", invoice.id.as_str()));
        }
        let customer = self
            .customers
            .index_of(&invoice.customer)
            .ok_or_else(|| missing("customer", invoice.customer.as_str()))?;
        // What an imported invoice no longer has open: a reduction.
        let opening = match invoice.opening_open {
            Some(open) if open != invoice.totals.total => Some(
                open.checked_sub(invoice.totals.total)
                    .or_overflow("invoice.open")?,
            ),
            _ => None,
        };
        let index = idx(self.invoices.len());
        let first_inst = idx(self.cols.installments());
        let c = &mut self.cols;
        c.push_invoice(
            idx(customer),
            invoice.currency,
            columns::day(invoice.date),
            columns::minor(invoice.totals.total, invoice.currency),
            if invoice.draft {
                NEVER
            } else {
                columns::stamp(at)
            },
        );
        for s in &invoice.installments {
            c.push_installment(
                index,
                columns::day(s.due_date),
                columns::minor(s.amount, invoice.currency),
            );
        }
        // An invoice imported with all of its total open changes
        // nothing: no zero change is kept.
        if let Some(reduction) = opening {
            c.change(
                first_inst,
                columns::stamp(at),
                columns::minor(reduction, invoice.currency),
            );
        }
        let mut installments: SmallVec<[Timeline; 1]> = invoice
            .installments
            .iter()
            .map(|i| Timeline::new(i.amount))
            .collect();
        if let (Some(reduction), Some(first)) = (opening, installments.first_mut()) {
            first.push(at, reduction, DeltaKind::Opening);
        }
        let state = InvoiceState {
            invoice: invoice.clone(),
            issued: at,
            finalized: (!invoice.draft).then_some(at),
            voided: None,
            disputes: Vec::new(),
            installments,
            credited: Decimal::ZERO,
            credited_qty: Vec::new(),
            last_eff: at.eff,
            index,
            first_inst,
            settled_by: 0,
        };
        if !self.invoices.insert(invoice.id.clone(), state) {
            return Err(dup("invoice", invoice.id.as_str()));
        }

        Ok(())
    }

    /// Folds `invoice_finalized`.
    pub(crate) fn fold_invoice_finalized(&mut self, at: Stamp, invoice: &InvoiceId) -> Result<()> {
        let inv = self.invoice_mut(invoice)?;
        inv.finalized = Some(at);
        inv.last_eff = inv.last_eff.max(at.eff);
        let i = inv.index;
        self.cols.finalize(i, columns::stamp(at));

        Ok(())
    }

    /// Folds `invoice_voided`.
    pub(crate) fn fold_invoice_voided(&mut self, at: Stamp, invoice: &InvoiceId) -> Result<()> {
        let inv = self.invoice_mut(invoice)?;
        inv.voided = Some(at);
        inv.last_eff = inv.last_eff.max(at.eff);
        let i = inv.index;
        self.cols.void_invoice(i, columns::stamp(at));

        Ok(())
    }

    /// Folds `dispute_set`.
    pub(crate) fn fold_dispute_set(
        &mut self,
        at: Stamp,
        invoice: &InvoiceId,
        disputed: &bool,
    ) -> Result<()> {
        let inv = self.invoice_mut(invoice)?;
        inv.disputes.push((at, DisputeMark::Flag(*disputed)));
        inv.last_eff = inv.last_eff.max(at.eff);

        Ok(())
    }
}
