//! Promises to pay: recorded with their items; kept or broken is a
//! question asked of the log as of a date (see `status`).

use std::sync::Arc;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use smallvec::smallvec;

use crate::collection_records::Promise;
use crate::decide::{date_before, duplicate, Decided, Decider};
use crate::error::{Error, Result};
use crate::event::Event;
use crate::limits::{check_len, MAX_TEXT_LEN};
use crate::money::check_positive;
use crate::state::{dup, idx, missing, PromiseState, State};
use crate::view::Stamp;

use super::columns_of;

/// `date` plus `days`, or an error naming `field` past the calendar's end.
pub(crate) fn plus_days(field: &str, date: NaiveDate, days: u32) -> Result<NaiveDate> {
    date.checked_add_days(Days::new(u64::from(days)))
        .ok_or_else(|| Error::invalid_value(field, days, "takes the date past the calendar's end"))
}

impl Decider<'_> {
    pub(crate) fn record_promise(&self, promise: Promise, date: NaiveDate) -> Result<Decided> {
        if self.state.collections.promises.contains(&promise.id) {
            return Err(duplicate("promise.id", "promise", promise.id.as_str()));
        }
        self.customer("promise.customer", &promise.customer)?;
        check_len("promise.note", &promise.note, MAX_TEXT_LEN)?;
        let (currency, _) = self.items_of("promise.items", &promise.customer, &promise.items)?;
        let Some(currency) = currency else {
            return Err(Error::invalid_value("promise.items", "[]", "no items"));
        };
        check_positive("promise.amount", promise.amount, currency)?;
        if promise.threshold_percent <= Decimal::ZERO
            || promise.threshold_percent > Decimal::ONE_HUNDRED
        {
            return Err(Error::invalid_value(
                "promise.threshold_percent",
                promise.threshold_percent,
                "must be greater than 0 and at most 100",
            ));
        }
        if promise.due < date {
            return Err(date_before(
                "promise.due",
                promise.due,
                "the date the promise was made".to_owned(),
                date,
            ));
        }
        plus_days("promise.grace_days", promise.due, promise.grace_days)?;
        for item in &promise.items {
            let inv = self.invoice("promise.items", &item.invoice)?;
            let live_from = inv.finalized.map_or(inv.issued.eff, |s| s.eff);
            if date < live_from {
                return Err(date_before(
                    "date",
                    date,
                    format!("invoice {}", item.invoice),
                    live_from,
                ));
            }
        }
        // Kept at the minor unit it is compared at.
        let promise = Promise {
            amount: check_positive("promise.amount", promise.amount, currency)?,
            ..promise
        };
        Ok(smallvec![(
            date,
            Event::PromiseRecorded {
                promise: Arc::new(promise),
            },
        )])
    }
}

impl State {
    /// Folds `promise_recorded`.
    pub(crate) fn fold_promise_recorded(
        &mut self,
        at: Stamp,
        promise: &Arc<Promise>,
    ) -> Result<()> {
        if self.collections.promises.contains(&promise.id) {
            return Err(dup("promise", promise.id.as_str()));
        }
        let mut cols = Vec::new();
        let mut currency = None;
        for item in &promise.items {
            let inv = self
                .invoices
                .get(&item.invoice)
                .ok_or_else(|| missing("invoice", item.invoice.as_str()))?;
            currency = Some(inv.invoice.currency);
            cols.extend(
                columns_of(inv, item, "promise.items")
                    .map_err(|e| Error::corrupt(e.to_string()))?,
            );
        }
        let currency = currency.ok_or_else(|| Error::corrupt("a promise without items"))?;
        let c = &mut self.collections;
        let row = idx(c.promises.len());
        for col in &cols {
            c.promises_of.entry(*col).or_default().push(row);
        }
        c.promises.insert(
            promise.id.clone(),
            PromiseState {
                promise: promise.clone(),
                at,
                currency,
                installments: cols,
            },
        );
        Ok(())
    }
}
