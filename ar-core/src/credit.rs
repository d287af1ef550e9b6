//! Credit memos: issued against an invoice (whole, by line, an amount) or
//! standalone, and voided; how those events fold into the state.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use smallvec::smallvec;

use crate::credit_memo::{CreditKind, CreditLine, CreditMemo};
use crate::currency::Currency;
use crate::decide::{date_before, duplicate, invalid_state, over, Decided, Decider};
use crate::error::{Error, Result};
use crate::event::Event;
use crate::id::{CreditMemoId, CustomerId, InvoiceId};
use crate::kinds::Source;
use crate::money::{check_positive, OrOverflow};
use crate::report::columns;
use crate::state::InvoiceState;
use crate::state::{dup, missing, SourceDoc, SourceState, State, Timeline};
use crate::view::Stamp;

impl Decider<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn issue_credit_memo(
        &self,
        id: &CreditMemoId,
        customer: &CustomerId,
        date: NaiveDate,
        currency: Option<Currency>,
        against: Option<&InvoiceId>,
        kind: &CreditKind,
        reason: &str,
    ) -> Result<Decided> {
        if self.state.credit_memos.contains(id) {
            return Err(duplicate("id", "credit memo", id.as_str()));
        }
        let cust = self.customer("customer", customer)?;
        let (currency, amount, kind) = match against {
            None => {
                let currency = currency.unwrap_or(cust.currency);
                match kind {
                    CreditKind::Amount { amount } => (
                        currency,
                        check_positive("kind.amount", *amount, currency)?,
                        kind.clone(),
                    ),
                    _ => {
                        return Err(Error::invalid_value(
                            "against",
                            "none",
                            "crediting a whole invoice or its lines needs the invoice",
                        ))
                    }
                }
            }
            Some(inv_id) => {
                let inv = self.live_invoice("against", inv_id)?;
                let invoice = &inv.invoice;
                if &invoice.customer != customer {
                    return Err(Error::CustomerMismatch {
                        field: "customer".into(),
                        expected: invoice.customer.to_string(),
                        found: customer.to_string(),
                    });
                }
                if let Some(c) = currency.filter(|c| *c != invoice.currency) {
                    return Err(Error::CurrencyMismatch {
                        field: "currency".into(),
                        expected: invoice.currency.code().into(),
                        found: c.code().into(),
                    });
                }
                if date < invoice.date {
                    return Err(date_before(
                        "date",
                        date,
                        format!("invoice {inv_id}"),
                        invoice.date,
                    ));
                }
                let currency = invoice.currency;
                let creditable = invoice
                    .totals
                    .total
                    .checked_sub(inv.credited)
                    .or_overflow("against")?;
                let (amount, kind) = match kind {
                    CreditKind::Amount { amount } => (
                        check_positive("kind.amount", *amount, currency)?,
                        kind.clone(),
                    ),
                    CreditKind::WholeInvoice => (creditable, kind.clone()),
                    CreditKind::Lines { lines } => self.credit_lines(inv, lines)?,
                };
                if amount <= Decimal::ZERO {
                    return Err(invalid_state(
                        "against",
                        "invoice",
                        inv_id.as_str(),
                        "fully credited",
                        "credit it again",
                    ));
                }
                if amount > creditable {
                    return Err(over(
                        "kind",
                        amount,
                        creditable,
                        format!("invoice {inv_id} (total less credits)"),
                    ));
                }
                (currency, amount, kind)
            }
        };
        let memo = CreditMemo {
            id: id.clone(),
            customer: customer.clone(),
            date,
            currency,
            amount,
            against: against.cloned(),
            kind,
            reason: reason.to_owned(),
        };
        Ok(smallvec![(
            date,
            Event::CreditMemoIssued {
                credit_memo: Arc::new(memo),
            },
        )])
    }

    /// Gross amount of credited lines, with their quantities made explicit.
    /// Successive partial credits of a line sum exactly to its gross.
    pub(crate) fn credit_lines(
        &self,
        inv: &InvoiceState,
        lines: &[CreditLine],
    ) -> Result<(Decimal, CreditKind)> {
        let invoice = &inv.invoice;
        if lines.is_empty() {
            return Err(Error::invalid_value(
                "kind.lines",
                "[]",
                "at least one line is required",
            ));
        }
        let mut total = Decimal::ZERO;
        let mut out = Vec::with_capacity(lines.len());
        let mut seen = std::collections::HashSet::with_capacity(lines.len());
        for (k, cl) in lines.iter().enumerate() {
            let field = format!("kind.lines[{k}]");
            if !seen.insert(cl.line) {
                return Err(Error::invalid_value(
                    &format!("{field}.line"),
                    cl.line,
                    "is listed twice",
                ));
            }
            let idx = usize::try_from(cl.line).unwrap_or(usize::MAX);
            let done = inv.credited_qty.get(idx).copied().unwrap_or_default();
            let (line, totals) = match (invoice.lines.get(idx), invoice.totals.lines.get(idx)) {
                (Some(l), Some(t)) => (l, t),
                _ => {
                    return Err(Error::invalid_value(
                        &format!("{field}.line"),
                        cl.line,
                        &format!("invoice {} has {} lines", invoice.id, invoice.lines.len()),
                    ))
                }
            };
            let remaining = line.quantity.checked_sub(done).or_overflow(&field)?;
            let qty = cl.quantity.unwrap_or(remaining);
            if qty <= Decimal::ZERO || qty > remaining {
                return Err(Error::invalid_value(
                    &format!("{field}.quantity"),
                    qty,
                    &format!(
                        "must be greater than zero and at most the {remaining} not yet credited"
                    ),
                ));
            }
            // The gross of the first q units, rounded: successive partial
            // credits then sum to the line's gross exactly.
            let share = |q: Decimal| -> Result<Decimal> {
                let exact = totals
                    .gross
                    .checked_mul(q)
                    .and_then(|g| g.checked_div(line.quantity))
                    .or_overflow(&field)?;
                invoice
                    .rounding
                    .round_checked(&field, exact, invoice.currency.minor_units())
            };
            let upto = done.checked_add(qty).or_overflow(&field)?;
            total = share(upto)?
                .checked_sub(share(done)?)
                .and_then(|s| total.checked_add(s))
                .or_overflow(&field)?;
            out.push(CreditLine {
                line: cl.line,
                quantity: Some(qty),
            });
        }
        Ok((total, CreditKind::Lines { lines: out }))
    }

    pub(crate) fn void_credit_memo(
        &self,
        credit_memo: CreditMemoId,
        date: NaiveDate,
        reason: String,
    ) -> Result<Decided> {
        let source = Source::CreditMemo(credit_memo.clone());
        self.check_void_source(&source, date)?;
        Ok(smallvec![(
            date,
            Event::CreditMemoVoided {
                credit_memo: credit_memo.clone(),
                reason: reason.clone(),
            },
        )])
    }
}

impl State {
    /// Folds `credit_memo_issued`.
    pub(crate) fn fold_credit_memo_issued(
        &mut self,
        at: Stamp,
        credit_memo: &Arc<CreditMemo>,
    ) -> Result<()> {
        if self.credit_memos.contains(&credit_memo.id) {
            return Err(dup("credit memo", credit_memo.id.as_str()));
        }
        if let Some(inv_id) = &credit_memo.against {
            let inv = self
                .invoices
                .get(inv_id)
                .ok_or_else(|| missing("invoice", inv_id.as_str()))?;
            if let CreditKind::Lines { lines } = &credit_memo.kind {
                if let Some(l) = lines.iter().find(|l| {
                    usize::try_from(l.line).map_or(true, |i| i >= inv.invoice.lines.len())
                }) {
                    return Err(Error::corrupt(format!(
                        "invoice {inv_id} has no line {}",
                        l.line
                    )));
                }
            }
        }
        if let Some(inv_id) = &credit_memo.against {
            let inv = self.invoice_mut(inv_id)?;
            // Decided events only reach the fold: credits stay
            // within the invoice's total, quantities within its lines.
            inv.credited = inv.credited.saturating_add(credit_memo.amount);
            inv.last_eff = inv.last_eff.max(at.eff);
            if let CreditKind::Lines { lines } = &credit_memo.kind {
                if inv.credited_qty.is_empty() {
                    inv.credited_qty = vec![Decimal::ZERO; inv.invoice.lines.len()];
                }
                for l in lines {
                    let q = usize::try_from(l.line)
                        .ok()
                        .and_then(|i| inv.credited_qty.get_mut(i))
                        .ok_or_else(|| {
                            Error::corrupt(format!("invoice {inv_id} has no line {}", l.line))
                        })?;
                    *q = q.saturating_add(l.quantity.unwrap_or_default());
                }
            }
        }
        let customer = self
            .customers
            .index_of(&credit_memo.customer)
            .ok_or_else(|| missing("customer", credit_memo.customer.as_str()))?;
        let against = credit_memo
            .against
            .as_ref()
            .and_then(|a| self.invoices.index_of(a));
        let col = self.push_source(
            false,
            Some(customer),
            credit_memo.currency,
            credit_memo.amount,
            at,
            against,
        );
        let state = SourceState {
            doc: SourceDoc::CreditMemo(credit_memo.clone()),
            created: at,
            payer: None,
            voided: None,
            timeline: Timeline::new(credit_memo.amount),
            last_eff: at.eff,
            col,
            used_by: 0,
        };
        if !self.credit_memos.insert(credit_memo.id.clone(), state) {
            return Err(dup("credit memo", credit_memo.id.as_str()));
        }

        Ok(())
    }

    /// Folds `credit_memo_voided`.
    pub(crate) fn fold_credit_memo_voided(
        &mut self,
        at: Stamp,
        credit_memo: &CreditMemoId,
    ) -> Result<()> {
        let m = self
            .credit_memos
            .get_mut(credit_memo)
            .ok_or_else(|| missing("credit memo", credit_memo.as_str()))?;
        m.voided = Some(at);
        m.last_eff = m.last_eff.max(at.eff);
        let col = m.col;
        self.cols.void_source(col, columns::stamp(at));
        // A void memo credits nothing: its invoice may be credited
        // again up to its total.
        let SourceDoc::CreditMemo(memo) = &m.doc else {
            return Err(missing("credit memo", credit_memo.as_str()));
        };
        let memo = memo.clone();
        if let Some(inv_id) = &memo.against {
            let inv = self.invoice_mut(inv_id)?;
            inv.credited = inv.credited.saturating_sub(memo.amount);
            if let CreditKind::Lines { lines } = &memo.kind {
                for l in lines {
                    let q = usize::try_from(l.line)
                        .ok()
                        .and_then(|i| inv.credited_qty.get_mut(i));
                    if let Some(q) = q {
                        *q = q.saturating_sub(l.quantity.unwrap_or_default());
                    }
                }
            }
        }

        Ok(())
    }
}
