//! Interest and fee notes, and applying a payment costs first, then
//! interest, then principal.
//!
//! A note is an invoice whose `charge` says what it charges: it ages, is
//! paid, disputed and written off like any invoice, and the interest a
//! dunning run proposes for an item is what has accrued less what notes
//! already charged for it.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use smallvec::smallvec;

use crate::collection_records::{Charge, ChargeKind, NewCharge};
use crate::decide::{duplicate, Decided, Decider};
use crate::error::{Error, Result};
use crate::event::{Allocation, Event};
use crate::id::InvoiceId;
use crate::invoice::{compute_totals, Invoice, InvoiceLine, TaxMode, TaxRounding};
use crate::kinds::Source;
use crate::limits::{check_count, MAX_LINES};
use crate::money::{check_positive, OrOverflow, RoundingPolicy};
use crate::state::{missing, Charged, InvoiceState, State};
use crate::terms::PaymentTerms;
use crate::view::Cut;

use super::columns_of;

impl Decider<'_> {
    pub(crate) fn issue_charge(&self, charge: NewCharge) -> Result<Decided> {
        if self.state.invoices.contains(&charge.id) {
            return Err(duplicate("charge.id", "invoice", charge.id.as_str()));
        }
        let customer = self.customer("charge.customer", &charge.customer)?;
        let currency = charge.currency.unwrap_or(customer.currency);
        if charge.lines.is_empty() {
            return Err(Error::invalid_value(
                "charge.lines",
                "[]",
                "a note charges at least one line",
            ));
        }
        check_count("charge.lines", charge.lines.len(), MAX_LINES)?;
        let mut lines = Vec::with_capacity(charge.lines.len());
        let mut charged = Vec::with_capacity(charge.lines.len());
        for (i, line) in charge.lines.iter().enumerate() {
            let f = format!("charge.lines[{i}]");
            let amount = check_positive(&format!("{f}.amount"), line.amount, currency)?;
            if let Some(item) = &line.item {
                let inv = self.live_invoice(&format!("{f}.item.invoice"), &item.invoice)?;
                if inv.invoice.customer != charge.customer {
                    return Err(Error::CustomerMismatch {
                        field: format!("{f}.item.invoice"),
                        expected: charge.customer.to_string(),
                        found: inv.invoice.customer.to_string(),
                    });
                }
                if inv.invoice.currency != currency {
                    return Err(Error::CurrencyMismatch {
                        field: format!("{f}.item.invoice"),
                        expected: currency.code().into(),
                        found: inv.invoice.currency.code().into(),
                    });
                }
                if inv.invoice.charge.is_some() {
                    return Err(Error::invalid_value(
                        &format!("{f}.item.invoice"),
                        &item.invoice,
                        "is itself an interest or fee note: neither interest nor fees are charged on charges",
                    ));
                }
                columns_of(inv, item, &format!("{f}.item"))?;
            } else if charge.kind == ChargeKind::Interest {
                return Err(Error::invalid_value(
                    &format!("{f}.item"),
                    "none",
                    "interest is charged for an item",
                ));
            }
            if line.through.is_some() && charge.kind != ChargeKind::Interest {
                return Err(Error::invalid_value(
                    &format!("{f}.through"),
                    line.through.map(|d| d.to_string()).unwrap_or_default(),
                    "only interest is computed through a date",
                ));
            }
            let line = crate::collection_records::ChargeLine {
                amount,
                ..line.clone()
            };
            lines.push(InvoiceLine::new(
                line.description(charge.kind),
                Decimal::ONE,
                amount,
            ));
            charged.push(line);
        }
        if let Some(n) = &charge.notice {
            if !self.state.collections.notices.contains(n) {
                return Err(Error::not_found("charge.notice", "notice", n.as_str()));
            }
        }
        let rounding = RoundingPolicy::default();
        let totals = compute_totals(
            &lines,
            currency,
            TaxMode::default(),
            TaxRounding::default(),
            rounding,
        )?;
        let terms = charge.terms.unwrap_or_else(PaymentTerms::due_on_receipt);
        let installments = terms.schedule(charge.date, totals.total, currency, rounding)?;
        let invoice = Invoice {
            id: charge.id,
            customer: charge.customer,
            date: charge.date,
            currency,
            lines,
            tax_mode: TaxMode::default(),
            tax_rounding: TaxRounding::default(),
            rounding,
            terms,
            totals,
            installments,
            po_number: None,
            dimensions: std::collections::BTreeMap::new(),
            draft: false,
            opening_open: None,
            charge: Some(Charge {
                kind: charge.kind,
                lines: charged,
                notice: charge.notice,
            }),
        };
        Ok(smallvec![(
            charge.date,
            Event::InvoiceIssued {
                invoice: Arc::new(invoice),
            },
        )])
    }

    /// Applies `source` to the payer's open items: fee notes, then interest
    /// notes, then principal, each oldest due first (or only `invoice` and
    /// the notes charged for it).
    pub(crate) fn apply_in_clearing_order(
        &self,
        source: &Source,
        date: NaiveDate,
        invoice: Option<&InvoiceId>,
        include_disputed: bool,
    ) -> Result<Decided> {
        let src = self.live_source("source", source)?;
        let payer = self.payer(src, source, date)?;
        if let Some(id) = invoice {
            let inv = self.live_invoice("invoice", id)?;
            if &inv.invoice.customer != payer {
                return Err(Error::CustomerMismatch {
                    field: "invoice".into(),
                    expected: payer.to_string(),
                    found: inv.invoice.customer.to_string(),
                });
            }
        }
        let mut left = src.timeline.available_from(date);
        type Entry<'a> = (
            u8,
            NaiveDate,
            NaiveDate,
            &'a InvoiceId,
            usize,
            &'a InvoiceState,
        );
        let mut queue: Vec<Entry<'_>> = Vec::new();
        for inv in self.state.invoices_of(payer) {
            let live_from = inv.finalized.map(|f| f.eff);
            let eligible = inv.invoice.currency == src.currency()
                && inv.voided.is_none()
                && live_from.is_some_and(|d| d <= date)
                && (include_disputed || !inv.disputed(Cut::ALL));
            if !eligible {
                continue;
            }
            let rank = match &inv.invoice.charge {
                Some(c) if c.kind == ChargeKind::Fee => 0,
                Some(_) => 1,
                None => 2,
            };
            if let Some(id) = invoice {
                let concerns = match &inv.invoice.charge {
                    None => &inv.invoice.id == id,
                    Some(c) => c
                        .lines
                        .iter()
                        .any(|l| l.item.as_ref().is_some_and(|i| &i.invoice == id)),
                };
                if !concerns {
                    continue;
                }
            }
            for (i, s) in inv.invoice.installments.iter().enumerate() {
                queue.push((rank, s.due_date, inv.invoice.date, &inv.invoice.id, i, inv));
            }
        }
        queue.sort_by(|a, b| (a.0, a.1, a.2, a.3, a.4).cmp(&(b.0, b.1, b.2, b.3, b.4)));
        let mut events = Decided::new();
        for (_, _, _, id, i, inv) in queue {
            if left <= Decimal::ZERO {
                break;
            }
            let (Some(t), Some(s)) = (inv.installments.get(i), inv.invoice.installments.get(i))
            else {
                continue;
            };
            let take = left.min(t.available_from(date));
            if take <= Decimal::ZERO {
                continue;
            }
            left = left.checked_sub(take).or_overflow("source")?;
            let offset = u64::try_from(events.len()).unwrap_or(u64::MAX);
            events.push((
                date,
                Event::Applied {
                    application: self.new_application_id(offset)?,
                    source: source.clone(),
                    invoice: id.clone(),
                    allocations: vec![Allocation {
                        installment: s.number,
                        amount: take,
                        discount: Decimal::ZERO,
                    }],
                },
            ));
        }
        if events.is_empty() {
            return Err(Error::NothingToApply {
                field: "source".into(),
                reason: format!(
                    "{} {} has nothing open or its customer has nothing open to clear at {date}",
                    source.kind(),
                    source.id()
                ),
            });
        }
        Ok(events)
    }
}

/// The lines of a charge note that name an item, by installment column.
pub(crate) type ChargedLines = Vec<(u32, Charged)>;

impl State {
    /// Indexes the lines of a charge note that name an item, once the note
    /// itself is folded in as an invoice; every item is resolved first.
    pub(crate) fn check_charge(&self, invoice: &Invoice) -> Result<(Option<u32>, ChargedLines)> {
        let Some(charge) = &invoice.charge else {
            return Ok((None, Vec::new()));
        };
        let note = crate::state::idx(self.invoices.len());
        let mut out = Vec::new();
        for line in &charge.lines {
            let Some(item) = &line.item else { continue };
            let inv = self
                .invoices
                .get(&item.invoice)
                .ok_or_else(|| missing("invoice", item.invoice.as_str()))?;
            let cols =
                columns_of(inv, item, "charge.lines").map_err(|e| Error::corrupt(e.to_string()))?;
            // A line for a whole invoice is kept on its first installment.
            if let Some(col) = cols.first() {
                out.push((
                    *col,
                    Charged {
                        note,
                        kind: charge.kind,
                        amount: line.amount,
                        through: line.through,
                    },
                ));
            }
        }
        Ok((Some(note), out))
    }

    pub(crate) fn fold_charged(&mut self, note: Option<u32>, charged: Vec<(u32, Charged)>) {
        if let Some(row) = note {
            self.collections.notes.insert(row);
        }
        for (col, c) in charged {
            self.collections.charged.entry(col).or_default().push(c);
        }
    }
}
