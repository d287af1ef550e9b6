//! Validation of commands against the state, producing the events to append.
//! Nothing here mutates: a rejected command leaves the ledger untouched.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use smallvec::{smallvec, SmallVec};

use crate::command::{Command, NewInvoice, OpeningInvoice};
use crate::credit_memo::{CreditKind, CreditLine, CreditMemo};
use crate::currency::Currency;
use crate::customer::Customer;
use crate::error::{Error, Result};
use crate::event::{Allocation, Event};
use crate::id::{ApplicationId, CreditMemoId, CustomerId, InvoiceId, RefundId, WriteOffId};
use crate::invoice::{compute_totals, Invoice, InvoiceTotals, TaxMode, TaxRounding};
use crate::kinds::Source;
use crate::ledger::state::{DeltaKind, InvoiceState, SourceState, State};
use crate::limits::{check_count, check_dimensions, check_len, MAX_LINES, MAX_TEXT_LEN};
use crate::money::{check_minor_units, check_positive, OrOverflow, RoundingPolicy};
use crate::receipt::Receipt;
use crate::terms::{DueRule, PaymentTerms, ScheduledInstallment};
use crate::view::Cut;

/// Events produced by a command, each with its effective date.
/// Nearly every command produces one event: kept inline, not allocated.
pub(crate) type Decided = SmallVec<[(NaiveDate, Event); 1]>;

pub(crate) struct Decider<'a> {
    pub state: &'a State,
    /// Sequence number the first produced event will get.
    pub next_seq: u64,
    /// Business date for commands that have none (customer records).
    pub today: NaiveDate,
}

fn date_before(field: &str, date: NaiveDate, document: String, document_date: NaiveDate) -> Error {
    Error::DateBeforeDocument {
        field: field.to_owned(),
        date: date.to_string(),
        document,
        document_date: document_date.to_string(),
    }
}

fn invalid_state(field: &str, kind: &str, id: &str, state: &str, action: &str) -> Error {
    Error::InvalidState {
        field: field.to_owned(),
        kind: kind.to_owned(),
        id: id.to_owned(),
        state: state.to_owned(),
        action: action.to_owned(),
    }
}

fn non_negative(field: &str, value: Decimal, currency: Currency) -> Result<Decimal> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(Error::invalid_amount(field, value, "must not be negative"));
    }
    check_minor_units(field, value, currency)
}

/// `make` of the generated id text `PREFIX-<seq>`, formatted on the stack:
/// one id per application adds up.
fn generated<T>(prefix: &str, seq: u64, make: impl FnOnce(&str) -> Option<T>) -> Option<T> {
    let mut buf = [0u8; 48];
    let mut cursor = std::io::Cursor::new(&mut buf[..]);
    std::io::Write::write_fmt(&mut cursor, format_args!("{prefix}-{seq}")).ok()?;
    let len = usize::try_from(cursor.position()).ok()?;
    make(std::str::from_utf8(buf.get(..len)?).ok()?)
}

/// Every size in `command` a caller controls, against its limit in
/// [`crate::limits`]: text lengths, dimensions, lines. Lines and taxes of
/// an invoice are checked with its totals.
fn check_sizes(command: &Command) -> Result<()> {
    let text = |field: &str, t: &str| check_len(field, t, MAX_TEXT_LEN);
    match command {
        Command::RegisterCustomer { customer } | Command::UpdateCustomer { customer } => {
            text("customer.name", &customer.name)?;
            check_dimensions("customer.dimensions", customer.dimensions.iter())
        }
        Command::IssueInvoice { invoice } => {
            text(
                "invoice.po_number",
                invoice.po_number.as_deref().unwrap_or(""),
            )?;
            check_dimensions("invoice.dimensions", invoice.dimensions.iter())
        }
        Command::ImportInvoice { invoice, .. } => {
            text(
                "invoice.po_number",
                invoice.po_number.as_deref().unwrap_or(""),
            )?;
            check_dimensions("invoice.dimensions", invoice.dimensions.iter())
        }
        Command::RecordReceipt { receipt } => {
            text(
                "receipt.reference",
                receipt.reference.as_deref().unwrap_or(""),
            )?;
            text("receipt.remittance", &receipt.remittance)
        }
        Command::IssueCreditMemo { kind, reason, .. } => {
            if let CreditKind::Lines { lines } = kind {
                check_count("kind.lines", lines.len(), MAX_LINES)?;
            }
            text("reason", reason)
        }
        Command::VoidInvoice { reason, .. }
        | Command::SetDispute { reason, .. }
        | Command::VoidReceipt { reason, .. }
        | Command::VoidCreditMemo { reason, .. }
        | Command::Unapply { reason, .. }
        | Command::WriteOff { reason, .. }
        | Command::ReverseWriteOff { reason, .. }
        | Command::Refund { reason, .. } => text("reason", reason),
        Command::FinalizeInvoice { .. }
        | Command::AssignPayer { .. }
        | Command::Apply { .. }
        | Command::ApplyFifo { .. } => Ok(()),
    }
}

impl Decider<'_> {
    pub fn decide(&self, command: Command) -> Result<Decided> {
        check_sizes(&command)?;
        match command {
            Command::RegisterCustomer { customer } => {
                if self.state.customers.contains(&customer.id) {
                    return Err(Error::DuplicateId {
                        field: "customer.id".into(),
                        kind: "customer".into(),
                        id: customer.id.to_string(),
                    });
                }
                validate_customer(&customer)?;
                Ok(smallvec![(
                    self.today,
                    Event::CustomerRegistered {
                        customer: Arc::new(customer),
                    },
                )])
            }
            Command::UpdateCustomer { customer } => {
                self.customer("customer.id", &customer.id)?;
                validate_customer(&customer)?;
                Ok(smallvec![(
                    self.today,
                    Event::CustomerUpdated {
                        customer: Arc::new(customer),
                    },
                )])
            }
            Command::IssueInvoice { invoice } => self.issue_invoice(invoice),
            Command::FinalizeInvoice { invoice, date } => {
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
            Command::ImportInvoice { invoice, as_of } => self.import_invoice(&invoice, as_of),
            Command::VoidInvoice {
                invoice,
                date,
                reason,
            } => {
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
            Command::SetDispute {
                invoice,
                disputed,
                date,
                reason,
            } => {
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
            Command::RecordReceipt { receipt } => self.record_receipt(receipt),
            Command::AssignPayer {
                receipt,
                customer,
                date,
            } => {
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
            Command::VoidReceipt {
                receipt,
                date,
                reason,
            } => {
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
            Command::IssueCreditMemo {
                id,
                customer,
                date,
                currency,
                against,
                kind,
                reason,
            } => self.issue_credit_memo(
                &id,
                &customer,
                date,
                currency,
                against.as_ref(),
                &kind,
                &reason,
            ),
            Command::VoidCreditMemo {
                credit_memo,
                date,
                reason,
            } => {
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
            Command::Apply {
                id,
                source,
                invoice,
                installment,
                amount,
                discount,
                date,
            } => self.apply(
                id.as_ref(),
                &source,
                &invoice,
                installment,
                amount,
                discount,
                date,
            ),
            Command::ApplyFifo {
                source,
                date,
                include_disputed,
            } => self.apply_fifo(&source, date, include_disputed),
            Command::Unapply {
                application,
                date,
                reason,
            } => {
                let app = self.state.applications.get(&application).ok_or_else(|| {
                    Error::not_found("application", "application", application.as_str())
                })?;
                if app.reversed.is_some() {
                    return Err(invalid_state(
                        "application",
                        "application",
                        application.as_str(),
                        "already unapplied",
                        "unapply it",
                    ));
                }
                if date < app.at.eff {
                    return Err(date_before(
                        "date",
                        date,
                        format!("application {application}"),
                        app.at.eff,
                    ));
                }
                Ok(smallvec![(
                    date,
                    Event::Unapplied {
                        application: application.clone(),
                        reason: reason.clone(),
                    },
                )])
            }
            Command::WriteOff {
                id,
                invoice,
                installment,
                amount,
                date,
                reason,
            } => self.write_off(id.as_ref(), &invoice, installment, amount, date, &reason),
            Command::ReverseWriteOff {
                write_off,
                date,
                reason,
            } => {
                let wo = self.state.write_offs.get(&write_off).ok_or_else(|| {
                    Error::not_found("write_off", "write-off", write_off.as_str())
                })?;
                if wo.reversed.is_some() {
                    return Err(invalid_state(
                        "write_off",
                        "write-off",
                        write_off.as_str(),
                        "already reversed",
                        "reverse it",
                    ));
                }
                if date < wo.at.eff {
                    return Err(date_before(
                        "date",
                        date,
                        format!("write-off {write_off}"),
                        wo.at.eff,
                    ));
                }
                Ok(smallvec![(
                    date,
                    Event::WriteOffReversed {
                        write_off: write_off.clone(),
                        reason: reason.clone(),
                    },
                )])
            }
            Command::Refund {
                id,
                source,
                amount,
                date,
                method,
                reason,
            } => {
                let src = self.live_source("source", &source)?;
                let amount = check_positive("amount", amount, src.currency())?;
                if date < src.created.eff {
                    return Err(date_before(
                        "date",
                        date,
                        format!("{} {}", source.kind(), source.id()),
                        src.created.eff,
                    ));
                }
                let available = src.timeline.available_from(date);
                if amount > available {
                    return Err(over(
                        "amount",
                        amount,
                        available,
                        format!("{} {}", source.kind(), source.id()),
                    ));
                }
                let refund = match id {
                    Some(id) => {
                        if self.state.refunds.contains(&id) {
                            return Err(duplicate("id", "refund", id.as_str()));
                        }
                        id.clone()
                    }
                    None => self.fresh_id("RF", 0, |s| {
                        RefundId::new(s)
                            .ok()
                            .filter(|id| !self.state.refunds.contains(id))
                    })?,
                };
                Ok(smallvec![(
                    date,
                    Event::Refunded {
                        refund,
                        source: source.clone(),
                        amount,
                        method,
                        reason: reason.clone(),
                    },
                )])
            }
        }
    }

    // ----- lookups ---------------------------------------------------------

    fn customer(&self, field: &str, id: &CustomerId) -> Result<&Arc<Customer>> {
        self.state
            .customers
            .get(id)
            .ok_or_else(|| Error::not_found(field, "customer", id.as_str()))
    }

    fn invoice(&self, field: &str, id: &InvoiceId) -> Result<&InvoiceState> {
        self.state
            .invoices
            .get(id)
            .ok_or_else(|| Error::not_found(field, "invoice", id.as_str()))
    }

    /// An invoice that is receivable: final and not void.
    fn live_invoice(&self, field: &str, id: &InvoiceId) -> Result<&InvoiceState> {
        let inv = self.invoice(field, id)?;
        if inv.voided.is_some() {
            return Err(invalid_state(
                field,
                "invoice",
                id.as_str(),
                "void",
                "change it",
            ));
        }
        if inv.finalized.is_none() {
            return Err(invalid_state(
                field,
                "invoice",
                id.as_str(),
                "a draft",
                "settle it before it is finalized",
            ));
        }
        Ok(inv)
    }

    fn live_source(&self, field: &str, source: &Source) -> Result<&SourceState> {
        let src = self
            .state
            .source(source)
            .ok_or_else(|| Error::not_found(field, source.kind(), source.id()))?;
        if src.voided.is_some() {
            return Err(invalid_state(
                field,
                source.kind(),
                source.id(),
                "void",
                "use it",
            ));
        }
        Ok(src)
    }

    /// A generated id `PREFIX-<seq>`, with a suffix in the unlikely case the
    /// caller already used that text.
    fn fresh_id<T>(
        &self,
        prefix: &str,
        offset: u64,
        make: impl Fn(&str) -> Option<T>,
    ) -> Result<T> {
        let seq = self.next_seq.saturating_add(offset);
        if let Some(id) = generated(prefix, seq, &make) {
            return Ok(id);
        }
        // Rare: the caller already used that text.
        let base = format!("{prefix}-{seq}");
        (1..1000u32)
            .find_map(|n| make(&format!("{base}-{n}")))
            .ok_or_else(|| Error::invalid_value("id", base, "could not generate a free id"))
    }

    fn check_void_source(&self, source: &Source, date: NaiveDate) -> Result<()> {
        let field = source.kind();
        let src = self.live_source(field, source)?;
        if src.used_by > 0 {
            return Err(invalid_state(
                field,
                source.kind(),
                source.id(),
                "applied or refunded",
                "void it; unapply it first",
            ));
        }
        if date < src.last_eff {
            return Err(date_before(
                "date",
                date,
                format!("the last event on {} {}", source.kind(), source.id()),
                src.last_eff,
            ));
        }
        Ok(())
    }

    // ----- documents -------------------------------------------------------

    fn issue_invoice(&self, new: NewInvoice) -> Result<Decided> {
        if self.state.invoices.contains(&new.id) {
            return Err(duplicate("invoice.id", "invoice", new.id.as_str()));
        }
        let customer = self.customer("invoice.customer", &new.customer)?;
        let currency = new.currency.unwrap_or(customer.currency);
        let terms = new.terms.unwrap_or_else(|| customer.terms.clone());
        let totals = compute_totals(
            &new.lines,
            currency,
            new.tax_mode,
            new.tax_rounding,
            new.rounding,
        )?;
        if totals.total <= Decimal::ZERO {
            return Err(Error::invalid_amount(
                "invoice.lines",
                totals.total,
                "the invoice total must be greater than zero; use a credit memo for negative amounts",
            ));
        }
        let installments = terms.schedule(new.date, totals.total, currency, new.rounding)?;
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
        };
        Ok(smallvec![(
            new.date,
            Event::InvoiceIssued {
                invoice: Arc::new(invoice),
            },
        )])
    }

    fn import_invoice(&self, open: &OpeningInvoice, as_of: NaiveDate) -> Result<Decided> {
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
        let invoice = Invoice {
            id: open.id.clone(),
            customer: open.customer.clone(),
            date: open.date,
            currency,
            lines: Vec::new(),
            tax_mode: TaxMode::default(),
            tax_rounding: TaxRounding::default(),
            rounding: RoundingPolicy::default(),
            terms: PaymentTerms::Single {
                due: DueRule::Net { days },
                discount: None,
            },
            totals: InvoiceTotals {
                lines: Vec::new(),
                taxes: Vec::new(),
                net: total,
                tax: zero(currency),
                total,
            },
            installments: vec![ScheduledInstallment {
                number: 1,
                due_date: open.due_date,
                amount: total,
                discount: None,
            }],
            po_number: open.po_number.clone(),
            dimensions: open.dimensions.clone(),
            draft: false,
            opening_open: Some(open_amount),
        };
        Ok(smallvec![(
            as_of,
            Event::InvoiceIssued {
                invoice: Arc::new(invoice),
            },
        )])
    }

    fn record_receipt(&self, receipt: Receipt) -> Result<Decided> {
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

    #[allow(clippy::too_many_arguments)]
    fn issue_credit_memo(
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
    fn credit_lines(
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

    // ----- settlement ------------------------------------------------------

    /// Spreads `amount` over the invoice's installments (one, or all in due
    /// order), never more than each has open at `date` and after.
    fn allocate(
        &self,
        inv: &InvoiceState,
        installment: Option<u32>,
        amount: Decimal,
        discount: Decimal,
        date: NaiveDate,
        field: &str,
    ) -> Result<Vec<Allocation>> {
        let id = &inv.invoice.id;
        // One installment (named, or the only one) needs no list.
        let one: [usize; 1];
        let sorted: Vec<usize>;
        let order: &[usize] = match installment {
            Some(n) => {
                let i = usize::try_from(n)
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .filter(|i| *i < inv.installments.len());
                match i {
                    Some(i) => {
                        one = [i];
                        &one
                    }
                    None => {
                        return Err(Error::invalid_value(
                            "installment",
                            n,
                            &format!(
                                "invoice {id} has installments 1 to {}",
                                inv.installments.len()
                            ),
                        ))
                    }
                }
            }
            None if inv.installments.len() == 1 => {
                one = [0];
                &one
            }
            None => {
                let mut o: Vec<usize> = (0..inv.installments.len()).collect();
                o.sort_by_key(|i| {
                    inv.invoice
                        .installments
                        .get(*i)
                        .map(|s| (s.due_date, s.number))
                });
                sorted = o;
                &sorted
            }
        };
        if !discount.is_zero() && order.len() != 1 {
            return Err(Error::invalid_value(
                "installment",
                "none",
                "name the installment when taking a discount on an installment schedule",
            ));
        }
        let requested = amount.checked_add(discount).or_overflow("discount")?;
        let mut left = requested;
        let mut total_available = Decimal::ZERO;
        let mut out = Vec::new();
        for &i in order {
            let (Some(t), Some(s)) = (inv.installments.get(i), inv.invoice.installments.get(i))
            else {
                continue;
            };
            let available = t.available_from(date);
            total_available = total_available.saturating_add(available);
            if !discount.is_zero() {
                check_discount(inv, s, t, discount, date)?;
            }
            let take = left.min(available);
            if take > Decimal::ZERO {
                out.push(Allocation {
                    installment: s.number,
                    amount: take.checked_sub(discount).or_overflow("discount")?,
                    discount,
                });
                left = left.checked_sub(take).or_overflow(field)?;
            }
            if left.is_zero() {
                break;
            }
        }
        if left > Decimal::ZERO {
            let target = match installment {
                Some(n) => format!("invoice {id} installment {n}"),
                None => format!("invoice {id}"),
            };
            return Err(over(field, requested, total_available, target));
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn apply(
        &self,
        id: Option<&ApplicationId>,
        source: &Source,
        invoice: &InvoiceId,
        installment: Option<u32>,
        amount: Decimal,
        discount: Decimal,
        date: NaiveDate,
    ) -> Result<Decided> {
        let src = self.live_source("source", source)?;
        let inv = self.live_invoice("invoice", invoice)?;
        let currency = src.currency();
        if inv.invoice.currency != currency {
            return Err(Error::CurrencyMismatch {
                field: "invoice".into(),
                expected: currency.code().into(),
                found: inv.invoice.currency.code().into(),
            });
        }
        let amount = check_positive("amount", amount, currency)?;
        let discount = non_negative("discount", discount, currency)?;
        self.check_parties(src, source, inv, date)?;
        let available = src.timeline.available_from(date);
        if amount > available {
            return Err(over(
                "amount",
                amount,
                available,
                format!("{} {}", source.kind(), source.id()),
            ));
        }
        let allocations = self.allocate(inv, installment, amount, discount, date, "amount")?;
        let application = match id {
            Some(id) => {
                if self.state.applications.contains(id) {
                    return Err(duplicate("id", "application", id.as_str()));
                }
                id.clone()
            }
            None => self.new_application_id(0)?,
        };
        Ok(smallvec![(
            date,
            Event::Applied {
                application,
                source: source.clone(),
                invoice: invoice.clone(),
                allocations,
            },
        )])
    }

    fn new_application_id(&self, offset: u64) -> Result<ApplicationId> {
        self.fresh_id("APP", offset, |s| {
            ApplicationId::new(s)
                .ok()
                .filter(|id| !self.state.applications.contains(id))
        })
    }

    /// The source's payer, known by `date`: the source exists by then and,
    /// for cash from a payer identified later, so does the identification.
    fn payer<'s>(
        &self,
        src: &'s SourceState,
        source: &Source,
        date: NaiveDate,
    ) -> Result<&'s CustomerId> {
        let Some(payer) = src.customer(Cut::ALL) else {
            return Err(invalid_state(
                "source",
                source.kind(),
                source.id(),
                "from an unknown payer",
                "apply it; assign a payer first",
            ));
        };
        if date < src.created.eff {
            return Err(date_before(
                "date",
                date,
                format!("{} {}", source.kind(), source.id()),
                src.created.eff,
            ));
        }
        if let Some((s, _)) = &src.payer {
            if date < s.eff {
                return Err(date_before(
                    "date",
                    date,
                    format!("the payer assignment of receipt {}", source.id()),
                    s.eff,
                ));
            }
        }
        Ok(payer)
    }

    /// Payer known and the same as the invoice's customer; dates in order.
    fn check_parties(
        &self,
        src: &SourceState,
        source: &Source,
        inv: &InvoiceState,
        date: NaiveDate,
    ) -> Result<()> {
        let payer = self.payer(src, source, date)?;
        if payer != &inv.invoice.customer {
            return Err(Error::CustomerMismatch {
                field: "invoice".into(),
                expected: payer.to_string(),
                found: inv.invoice.customer.to_string(),
            });
        }
        let live_from = inv.finalized.map_or(inv.issued.eff, |f| f.eff);
        if date < live_from {
            return Err(date_before(
                "date",
                date,
                format!("invoice {}", inv.invoice.id),
                live_from,
            ));
        }
        Ok(())
    }

    fn apply_fifo(
        &self,
        source: &Source,
        date: NaiveDate,
        include_disputed: bool,
    ) -> Result<Decided> {
        let src = self.live_source("source", source)?;
        let payer = self.payer(src, source, date)?;
        let mut left = src.timeline.available_from(date);
        // (due date, invoice date, invoice id, installment index)
        let mut queue: Vec<(NaiveDate, NaiveDate, &InvoiceId, usize, &InvoiceState)> = Vec::new();
        for inv in self.state.invoices_of(payer) {
            let live_from = inv.finalized.map(|f| f.eff);
            let eligible = inv.invoice.currency == src.currency()
                && inv.voided.is_none()
                && live_from.is_some_and(|d| d <= date)
                // Disputed as the ledger stands now, whatever the date of
                // the application: cash is not pushed onto a contested item.
                && (include_disputed || !inv.disputed(Cut::ALL));
            if !eligible {
                continue;
            }
            for (i, s) in inv.invoice.installments.iter().enumerate() {
                queue.push((s.due_date, inv.invoice.date, &inv.invoice.id, i, inv));
            }
        }
        queue.sort_by(|a, b| (a.0, a.1, a.2, a.3).cmp(&(b.0, b.1, b.2, b.3)));
        let mut events = Decided::new();
        for (_, _, id, i, inv) in queue {
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
                    "{} {} has nothing open or its customer has no open invoices at {date}",
                    source.kind(),
                    source.id()
                ),
            });
        }
        Ok(events)
    }

    fn write_off(
        &self,
        id: Option<&WriteOffId>,
        invoice: &InvoiceId,
        installment: Option<u32>,
        amount: Option<Decimal>,
        date: NaiveDate,
        reason: &str,
    ) -> Result<Decided> {
        let inv = self.live_invoice("invoice", invoice)?;
        if reason.trim().is_empty() {
            return Err(Error::invalid_value(
                "reason",
                reason,
                "a write-off needs a reason",
            ));
        }
        let live_from = inv.finalized.map_or(inv.issued.eff, |f| f.eff);
        if date < live_from {
            return Err(date_before(
                "date",
                date,
                format!("invoice {invoice}"),
                live_from,
            ));
        }
        let amount = match amount {
            Some(a) => check_positive("amount", a, inv.invoice.currency)?,
            None => {
                let all: Decimal = match installment {
                    Some(n) => usize::try_from(n)
                        .ok()
                        .and_then(|n| n.checked_sub(1))
                        .and_then(|i| inv.installments.get(i))
                        .map_or(Decimal::ZERO, |t| t.available_from(date)),
                    None => inv
                        .installments
                        .iter()
                        .map(|t| t.available_from(date))
                        .sum(),
                };
                if all <= Decimal::ZERO {
                    return Err(Error::NothingToApply {
                        field: "invoice".into(),
                        reason: format!("invoice {invoice} has nothing open at {date}"),
                    });
                }
                all
            }
        };
        let allocations = self.allocate(inv, installment, amount, Decimal::ZERO, date, "amount")?;
        let write_off = match id {
            Some(id) => {
                if self.state.write_offs.contains(id) {
                    return Err(duplicate("id", "write-off", id.as_str()));
                }
                id.clone()
            }
            None => self.fresh_id("WO", 0, |s| {
                WriteOffId::new(s)
                    .ok()
                    .filter(|id| !self.state.write_offs.contains(id))
            })?,
        };
        Ok(smallvec![(
            date,
            Event::WrittenOff {
                write_off,
                invoice: invoice.clone(),
                allocations,
                reason: reason.to_owned(),
            },
        )])
    }
}

fn check_discount(
    inv: &InvoiceState,
    s: &ScheduledInstallment,
    t: &crate::ledger::state::Timeline,
    discount: Decimal,
    date: NaiveDate,
) -> Result<()> {
    let id = &inv.invoice.id;
    let Some(offer) = s.discount else {
        return Err(Error::DiscountNotAllowed {
            field: "discount".into(),
            reason: format!(
                "invoice {id} installment {} offers no early-payment discount",
                s.number
            ),
        });
    };
    if date > offer.until {
        return Err(Error::DiscountNotAllowed {
            field: "discount".into(),
            reason: format!(
                "the discount on invoice {id} could be taken until {}, not on {date}",
                offer.until
            ),
        });
    }
    // Discounts are recorded as reductions: negative deltas.
    let taken = Decimal::ZERO.saturating_sub(t.sum_kind(Cut::ALL, DeltaKind::Discount));
    let offered = offer.amount.checked_sub(taken).or_overflow("discount")?;
    if discount > offered {
        return Err(Error::DiscountNotAllowed {
            field: "discount".into(),
            reason: format!(
                "{discount} exceeds the {} discount still offered on invoice {id}",
                offered
            ),
        });
    }
    Ok(())
}

fn validate_customer(c: &Customer) -> Result<()> {
    if c.name.trim().is_empty() {
        return Err(Error::invalid_value(
            "customer.name",
            &c.name,
            "must not be empty",
        ));
    }
    c.terms.validate()?;
    if let Some(limit) = c.credit_limit {
        non_negative("customer.credit_limit", limit, c.currency)?;
    }
    Ok(())
}

fn zero(currency: Currency) -> Decimal {
    RoundingPolicy::default().round_to(Decimal::ZERO, currency)
}

fn duplicate(field: &str, kind: &str, id: &str) -> Error {
    Error::DuplicateId {
        field: field.to_owned(),
        kind: kind.to_owned(),
        id: id.to_owned(),
    }
}

fn over(field: &str, requested: Decimal, available: Decimal, target: String) -> Error {
    Error::OverApplication {
        field: field.to_owned(),
        requested: requested.to_string(),
        available: available.max(Decimal::ZERO).to_string(),
        target,
    }
}
