//! Settlement: cash and credit applied to invoices (by hand or FIFO) and
//! unapplied, open amounts written off and the write-offs reversed, cash
//! and credit refunded; how those events fold into the state.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use smallvec::smallvec;

use crate::decide::{date_before, duplicate, invalid_state, non_negative, over, Decided, Decider};
use crate::error::{Error, Result};
use crate::event::{Allocation, Event};
use crate::id::{ApplicationId, CustomerId, InvoiceId, RefundId, WriteOffId};
use crate::kinds::Source;
use crate::money::neg;
use crate::money::{check_positive, OrOverflow};
use crate::receipt::PaymentMethod;
use crate::report::columns;
use crate::state::{dup, missing, ApplicationState, RefundState, State, WriteOffState, WrittenOff};
use crate::state::{DeltaKind, InvoiceState, SourceState, Timeline};
use crate::terms::ScheduledInstallment;
use crate::view::Cut;
use crate::view::Stamp;
use smallvec::SmallVec;

impl Decider<'_> {
    /// Spreads `amount` over the invoice's installments (one, or all in due
    /// order), never more than each has open at `date` and after.
    pub(crate) fn allocate(
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
    pub(crate) fn apply(
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

    pub(crate) fn new_application_id(&self, offset: u64) -> Result<ApplicationId> {
        self.fresh_id("APP", offset, |s| {
            ApplicationId::new(s)
                .ok()
                .filter(|id| !self.state.applications.contains(id))
        })
    }

    /// The source's payer, known by `date`: the source exists by then and,
    /// for cash from a payer identified later, so does the identification.
    pub(crate) fn payer<'s>(
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
    pub(crate) fn check_parties(
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

    pub(crate) fn apply_fifo(
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

    pub(crate) fn write_off(
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
    pub(crate) fn unapply(
        &self,
        application: ApplicationId,
        date: NaiveDate,
        reason: String,
    ) -> Result<Decided> {
        let app =
            self.state.applications.get(&application).ok_or_else(|| {
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

    pub(crate) fn reverse_write_off(
        &self,
        write_off: WriteOffId,
        date: NaiveDate,
        reason: String,
    ) -> Result<Decided> {
        let wo = self
            .state
            .write_offs
            .get(&write_off)
            .ok_or_else(|| Error::not_found("write_off", "write-off", write_off.as_str()))?;
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

    /// Writes off what is open on `source` (all of it at `date` when
    /// `amount` is none).
    pub(crate) fn write_off_source(
        &self,
        id: Option<WriteOffId>,
        source: Source,
        amount: Option<Decimal>,
        date: NaiveDate,
        reason: String,
    ) -> Result<Decided> {
        let src = self.live_source("source", &source)?;
        if reason.trim().is_empty() {
            return Err(Error::invalid_value(
                "reason",
                &reason,
                "a write-off needs a reason",
            ));
        }
        if date < src.created.eff {
            return Err(date_before(
                "date",
                date,
                format!("{} {}", source.kind(), source.id()),
                src.created.eff,
            ));
        }
        let available = src.timeline.available_from(date);
        let amount = match amount {
            Some(a) => check_positive("amount", a, src.currency())?,
            None if available > Decimal::ZERO => available,
            None => {
                return Err(Error::NothingToApply {
                    field: "source".into(),
                    reason: format!(
                        "{} {} has nothing open at {date}",
                        source.kind(),
                        source.id()
                    ),
                })
            }
        };
        if amount > available {
            return Err(over(
                "amount",
                amount,
                available,
                format!("{} {}", source.kind(), source.id()),
            ));
        }
        let write_off = match id {
            Some(id) => {
                if self.state.write_offs.contains(&id) {
                    return Err(duplicate("id", "write-off", id.as_str()));
                }
                id
            }
            None => self.fresh_id("WO", 0, |s| {
                WriteOffId::new(s)
                    .ok()
                    .filter(|id| !self.state.write_offs.contains(id))
            })?,
        };
        Ok(smallvec![(
            date,
            Event::SourceWrittenOff {
                write_off,
                source,
                amount,
                reason,
            },
        )])
    }

    pub(crate) fn refund(
        &self,
        id: Option<RefundId>,
        source: Source,
        amount: Decimal,
        date: NaiveDate,
        method: PaymentMethod,
        reason: String,
    ) -> Result<Decided> {
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

fn check_discount(
    inv: &InvoiceState,
    s: &ScheduledInstallment,
    t: &Timeline,
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

impl State {
    /// Folds `applied`.
    pub(crate) fn fold_applied(
        &mut self,
        at: Stamp,
        application: &ApplicationId,
        source: &Source,
        invoice: &InvoiceId,
        allocations: &[Allocation],
    ) -> Result<()> {
        let kind = match source {
            Source::Receipt(_) => DeltaKind::Payment,
            Source::CreditMemo(_) => DeltaKind::Credit,
        };
        if self.applications.contains(application) {
            return Err(dup("application", application.as_str()));
        }
        self.post(invoice, Some(source), allocations, at, Decimal::ONE, kind)?;
        let state = ApplicationState {
            id: application.clone(),
            source: source.clone(),
            invoice: invoice.clone(),
            allocations: SmallVec::from_slice(allocations),
            at,
            reversed: None,
        };
        if !self.applications.insert(application.clone(), state) {
            return Err(dup("application", application.as_str()));
        }
        self.cols.push_application();

        Ok(())
    }

    /// Folds `unapplied`.
    pub(crate) fn fold_unapplied(&mut self, at: Stamp, application: &ApplicationId) -> Result<()> {
        let app = self
            .applications
            .get(application)
            .ok_or_else(|| missing("application", application.as_str()))?
            .clone();
        if app.reversed.is_some() {
            return Err(Error::corrupt(format!(
                "application {application} is unapplied twice"
            )));
        }
        let kind = match app.source {
            Source::Receipt(_) => DeltaKind::Payment,
            Source::CreditMemo(_) => DeltaKind::Credit,
        };
        self.post(
            &app.invoice,
            Some(&app.source),
            &app.allocations,
            at,
            -Decimal::ONE,
            kind,
        )?;
        if let Some(a) = self.applications.get_mut(application) {
            a.reversed = Some(at);
        }
        if let Some(i) = self.applications.index_of(application) {
            self.cols.unapply(i, columns::stamp(at));
        }

        Ok(())
    }

    /// Folds `written_off`.
    pub(crate) fn fold_written_off(
        &mut self,
        at: Stamp,
        write_off: &WriteOffId,
        invoice: &InvoiceId,
        allocations: &[Allocation],
        reason: &str,
    ) -> Result<()> {
        if self.write_offs.contains(write_off) {
            return Err(dup("write-off", write_off.as_str()));
        }
        self.post(
            invoice,
            None,
            allocations,
            at,
            Decimal::ONE,
            DeltaKind::WriteOff,
        )?;
        let state = WriteOffState {
            id: write_off.clone(),
            target: WrittenOff::Invoice(invoice.clone(), SmallVec::from_slice(allocations)),
            reason: reason.to_owned(),
            at,
            reversed: None,
        };
        if !self.write_offs.insert(write_off.clone(), state) {
            return Err(dup("write-off", write_off.as_str()));
        }

        Ok(())
    }

    /// Folds `write_off_reversed`.
    pub(crate) fn fold_write_off_reversed(
        &mut self,
        at: Stamp,
        write_off: &WriteOffId,
    ) -> Result<()> {
        let wo = self
            .write_offs
            .get(write_off)
            .ok_or_else(|| missing("write-off", write_off.as_str()))?
            .clone();
        if wo.reversed.is_some() {
            return Err(Error::corrupt(format!(
                "write-off {write_off} is reversed twice"
            )));
        }
        match &wo.target {
            WrittenOff::Invoice(invoice, allocations) => self.post(
                invoice,
                None,
                allocations,
                at,
                -Decimal::ONE,
                DeltaKind::WriteOff,
            )?,
            WrittenOff::Source(source, amount) => {
                self.move_source(source, at, *amount, DeltaKind::WriteOff, false)?
            }
        }
        if let Some(w) = self.write_offs.get_mut(write_off) {
            w.reversed = Some(at);
        }

        Ok(())
    }

    /// Folds `refunded`.
    pub(crate) fn fold_refunded(
        &mut self,
        at: Stamp,
        refund: &RefundId,
        source: &Source,
        amount: &Decimal,
    ) -> Result<()> {
        if self.refunds.contains(refund) {
            return Err(dup("refund", refund.as_str()));
        }
        self.move_source(source, at, *amount, DeltaKind::Refund, true)?;
        let state = RefundState {
            source: source.clone(),
            amount: *amount,
            at,
        };
        if !self.refunds.insert(refund.clone(), state) {
            return Err(dup("refund", refund.as_str()));
        }

        Ok(())
    }
    /// Folds `source_written_off`.
    pub(crate) fn fold_source_written_off(
        &mut self,
        at: Stamp,
        write_off: &WriteOffId,
        source: &Source,
        amount: &Decimal,
        reason: &str,
    ) -> Result<()> {
        if self.write_offs.contains(write_off) {
            return Err(dup("write-off", write_off.as_str()));
        }
        self.move_source(source, at, *amount, DeltaKind::WriteOff, true)?;
        let state = WriteOffState {
            id: write_off.clone(),
            target: WrittenOff::Source(source.clone(), *amount),
            reason: reason.to_owned(),
            at,
            reversed: None,
        };
        if !self.write_offs.insert(write_off.clone(), state) {
            return Err(dup("write-off", write_off.as_str()));
        }
        Ok(())
    }

    /// Takes `amount` off a source's open amount (`out`), or puts it back,
    /// counting what uses the source so that it cannot be voided meanwhile.
    fn move_source(
        &mut self,
        source: &Source,
        at: Stamp,
        amount: Decimal,
        kind: DeltaKind,
        out: bool,
    ) -> Result<()> {
        let src = self.source_mut(source)?;
        let change = if out { neg(amount) } else { amount };
        src.used_by = if out {
            src.used_by.saturating_add(1)
        } else {
            src.used_by.saturating_sub(1)
        };
        src.timeline.push(at, change, kind);
        src.last_eff = src.last_eff.max(at.eff);
        let (col, currency) = (src.col, src.currency());
        self.cols
            .source_change(col, columns::stamp(at), columns::minor(change, currency));
        Ok(())
    }
}
