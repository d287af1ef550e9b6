//! Deciding a command: the state it is checked against, the lookups every
//! capability makes and the errors they share. Each capability decides its
//! own commands (`customer`, `invoicing`, `cash`, `credit`, `settlement`);
//! nothing here mutates, so a rejected command leaves the ledger untouched.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use smallvec::SmallVec;

use crate::currency::Currency;
use crate::customer::Customer;
use crate::error::{Error, Result};
use crate::event::Event;
use crate::id::{CustomerId, InvoiceId};
use crate::kinds::Source;
use crate::money::{check_minor_units, RoundingPolicy};
use crate::state::{InvoiceState, SourceState, State};

/// Events produced by a command, each with its effective date.
/// Nearly every command produces one event: kept inline, not allocated.
pub(crate) type Decided = SmallVec<[(NaiveDate, Event); 1]>;

/// A command's decision context: the state before it, and what its events
/// will be numbered from.
pub(crate) struct Decider<'a> {
    pub state: &'a State,
    /// Sequence number the first produced event will get.
    pub next_seq: u64,
    /// Business date for commands that have none (customer records).
    pub today: NaiveDate,
}

pub(crate) fn date_before(
    field: &str,
    date: NaiveDate,
    document: String,
    document_date: NaiveDate,
) -> Error {
    Error::DateBeforeDocument {
        field: field.to_owned(),
        date: date.to_string(),
        document,
        document_date: document_date.to_string(),
    }
}

pub(crate) fn invalid_state(field: &str, kind: &str, id: &str, state: &str, action: &str) -> Error {
    Error::InvalidState {
        field: field.to_owned(),
        kind: kind.to_owned(),
        id: id.to_owned(),
        state: state.to_owned(),
        action: action.to_owned(),
    }
}

pub(crate) fn non_negative(field: &str, value: Decimal, currency: Currency) -> Result<Decimal> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(Error::invalid_amount(field, value, "must not be negative"));
    }
    check_minor_units(field, value, currency)
}

/// `make` of the generated id text `PREFIX-<seq>`, formatted on the stack:
/// one id per application adds up.
pub(crate) fn generated<T>(
    prefix: &str,
    seq: u64,
    make: impl FnOnce(&str) -> Option<T>,
) -> Option<T> {
    let mut buf = [0u8; 48];
    let mut cursor = std::io::Cursor::new(&mut buf[..]);
    std::io::Write::write_fmt(&mut cursor, format_args!("{prefix}-{seq}")).ok()?;
    let len = usize::try_from(cursor.position()).ok()?;
    make(std::str::from_utf8(buf.get(..len)?).ok()?)
}

pub(crate) fn zero(currency: Currency) -> Decimal {
    RoundingPolicy::default().round_to(Decimal::ZERO, currency)
}

pub(crate) fn duplicate(field: &str, kind: &str, id: &str) -> Error {
    Error::DuplicateId {
        field: field.to_owned(),
        kind: kind.to_owned(),
        id: id.to_owned(),
    }
}

pub(crate) fn over(field: &str, requested: Decimal, available: Decimal, target: String) -> Error {
    Error::OverApplication {
        field: field.to_owned(),
        requested: requested.to_string(),
        available: available.max(Decimal::ZERO).to_string(),
        target,
    }
}

impl Decider<'_> {
    pub(crate) fn customer(&self, field: &str, id: &CustomerId) -> Result<&Arc<Customer>> {
        self.state
            .customers
            .get(id)
            .ok_or_else(|| Error::not_found(field, "customer", id.as_str()))
    }

    pub(crate) fn invoice(&self, field: &str, id: &InvoiceId) -> Result<&InvoiceState> {
        self.state
            .invoices
            .get(id)
            .ok_or_else(|| Error::not_found(field, "invoice", id.as_str()))
    }

    /// An invoice that is receivable: final and not void.
    pub(crate) fn live_invoice(&self, field: &str, id: &InvoiceId) -> Result<&InvoiceState> {
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

    pub(crate) fn live_source(&self, field: &str, source: &Source) -> Result<&SourceState> {
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
    pub(crate) fn fresh_id<T>(
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

    pub(crate) fn check_void_source(&self, source: &Source, date: NaiveDate) -> Result<()> {
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
}
