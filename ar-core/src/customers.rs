//! Customer records: registered and updated, each version kept in time (the
//! `Customer` type itself is in `customer.rs`); how those events fold into
//! the state.

use std::sync::Arc;

use smallvec::smallvec;

use crate::customer::Customer;
use crate::decide::{non_negative, Decided, Decider};
use crate::error::{Error, Result};
use crate::event::Event;
use crate::state::{dup, missing, State};
use crate::view::Stamp;

impl Decider<'_> {
    pub(crate) fn register_customer(&self, customer: Customer) -> Result<Decided> {
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

    pub(crate) fn update_customer(&self, customer: Customer) -> Result<Decided> {
        self.customer("customer.id", &customer.id)?;
        validate_customer(&customer)?;
        Ok(smallvec![(
            self.today,
            Event::CustomerUpdated {
                customer: Arc::new(customer),
            },
        )])
    }
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

impl State {
    /// Folds `customer_registered`.
    pub(crate) fn fold_customer_registered(
        &mut self,
        at: Stamp,
        customer: &Arc<Customer>,
    ) -> Result<()> {
        if !self.customers.insert(customer.id.clone(), customer.clone()) {
            return Err(dup("customer", customer.id.as_str()));
        }
        self.customer_seq.push(at.seq);
        self.customer_since.push(at.seq);

        Ok(())
    }

    /// Folds `customer_updated`.
    pub(crate) fn fold_customer_updated(
        &mut self,
        at: Stamp,
        customer: &Arc<Customer>,
    ) -> Result<()> {
        let row = self
            .customers
            .index_of(&customer.id)
            .ok_or_else(|| missing("customer", customer.id.as_str()))?;
        let (Some(c), Some(since)) = (self.customers.at_mut(row), self.customer_since.get_mut(row))
        else {
            return Err(missing("customer", customer.id.as_str()));
        };
        let old = std::mem::replace(c, customer.clone());
        let from = std::mem::replace(since, at.seq);
        self.customer_past.entry(row).or_default().push((from, old));

        Ok(())
    }
}
