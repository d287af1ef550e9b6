//! Customers.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::heap::{map, sum, Heap};
use crate::id::CustomerId;
use crate::terms::PaymentTerms;

/// A customer: who owes, in which currency, on which terms.
///
/// # Example
/// ```
/// use ar_core::{Currency, Customer, CustomerId, PaymentTerms};
/// let c = Customer::new(CustomerId::new("ACME").unwrap(), "Acme Corp", Currency::new("USD").unwrap())
///     .with_terms(PaymentTerms::net(30))
///     .with_dimension("region", "EMEA");
/// assert_eq!(c.dimensions["region"], "EMEA");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// Unique id.
    pub id: CustomerId,
    /// Display name.
    pub name: String,
    /// Default currency of the customer's invoices.
    pub currency: Currency,
    /// Default payment terms of the customer's invoices.
    #[serde(default)]
    pub terms: PaymentTerms,
    /// Credit limit in the customer's currency, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::serde_decimal::option")]
    pub credit_limit: Option<Decimal>,
    /// Free dimensions: region, sales rep, segment, ...
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dimensions: BTreeMap<String, String>,
}

impl Customer {
    /// A customer on net 30 with no credit limit and no dimensions.
    pub fn new(id: CustomerId, name: impl Into<String>, currency: Currency) -> Self {
        Customer {
            id,
            name: name.into(),
            currency,
            terms: PaymentTerms::default(),
            credit_limit: None,
            dimensions: BTreeMap::new(),
        }
    }

    /// Sets the payment terms.
    pub fn with_terms(mut self, terms: PaymentTerms) -> Self {
        self.terms = terms;
        self
    }

    /// Sets the credit limit.
    pub fn with_credit_limit(mut self, limit: Decimal) -> Self {
        self.credit_limit = Some(limit);
        self
    }

    /// Adds a dimension.
    pub fn with_dimension(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.dimensions.insert(key.into(), value.into());
        self
    }
}

impl Heap for Customer {
    fn heap(&self) -> usize {
        sum([
            self.id.heap(),
            self.name.capacity(),
            map(&self.dimensions),
            self.terms.heap(),
        ])
    }
}
