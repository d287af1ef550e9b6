//! Receipts: money received from customers.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::heap::{sum, Heap};
use crate::id::{CustomerId, ReceiptId};

/// How money was received (or refunded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// Paper check.
    Check,
    /// ACH / bank transfer batch.
    Ach,
    /// Wire transfer.
    Wire,
    /// Card payment.
    Card,
    /// Cash.
    Cash,
    /// Direct debit initiated by the seller.
    DirectDebit,
    /// Anything else.
    #[default]
    Other,
}

impl PaymentMethod {
    /// All methods with their snake_case names, for bindings.
    pub const ALL: [(PaymentMethod, &'static str); 7] = [
        (PaymentMethod::Check, "check"),
        (PaymentMethod::Ach, "ach"),
        (PaymentMethod::Wire, "wire"),
        (PaymentMethod::Card, "card"),
        (PaymentMethod::Cash, "cash"),
        (PaymentMethod::DirectDebit, "direct_debit"),
        (PaymentMethod::Other, "other"),
    ];

    /// The snake_case name.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(m, _)| *m == self)
            .map_or("other", |(_, n)| n)
    }

    /// Parses a snake_case name.
    ///
    /// # Errors
    /// [`crate::Error::InvalidValue`] naming `field`.
    pub fn parse_field(field: &str, name: &str) -> crate::Result<Self> {
        Self::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(m, _)| *m)
            .ok_or_else(|| {
                crate::Error::invalid_value(
                    field,
                    name,
                    "expected check, ach, wire, card, cash, direct_debit or other",
                )
            })
    }
}

/// A receipt: an amount received on a date, possibly from an unknown payer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// Unique id.
    pub id: ReceiptId,
    /// Paying customer, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<CustomerId>,
    /// Date received; the receipt's effective date.
    pub date: NaiveDate,
    /// Amount received, greater than zero.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
    /// Currency received.
    pub currency: Currency,
    /// How it was paid.
    #[serde(default)]
    pub method: PaymentMethod,
    /// Bank or check reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Free remittance text as received.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub remittance: String,
    /// The payer's name as the bank gives it (`Ordering party`, `ORIG
    /// NAME`): evidence of who paid when `customer` is not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_name: Option<String>,
    /// The account the money came from (an IBAN, a routing and account
    /// number): a customer is recognised by the accounts its earlier
    /// receipts came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_account: Option<String>,
}

impl Receipt {
    /// A receipt of `amount` on `date` from a payer not yet known, by
    /// method `other`, with no reference or remittance text; the `with_`
    /// methods fill in the rest.
    ///
    /// # Example
    /// ```
    /// use ar_core::*;
    /// use chrono::NaiveDate;
    /// use rust_decimal::Decimal;
    ///
    /// let receipt = Receipt::new(
    ///     ReceiptId::new("R-1").unwrap(),
    ///     NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(),
    ///     Currency::new("USD").unwrap(),
    ///     Decimal::new(100000, 2),
    /// )
    /// .with_customer(CustomerId::new("ACME").unwrap())
    /// .with_method(PaymentMethod::Ach)
    /// .with_remittance("INV-1");
    /// assert_eq!(receipt.amount.to_string(), "1000.00");
    /// assert_eq!(receipt.remittance, "INV-1");
    /// ```
    pub fn new(id: ReceiptId, date: NaiveDate, currency: Currency, amount: Decimal) -> Self {
        Receipt {
            id,
            customer: None,
            date,
            amount,
            currency,
            method: PaymentMethod::Other,
            reference: None,
            remittance: String::new(),
            payer_name: None,
            payer_account: None,
        }
    }

    /// The same receipt from `customer`.
    pub fn with_customer(mut self, customer: CustomerId) -> Self {
        self.customer = Some(customer);
        self
    }

    /// The same receipt received by `method`.
    pub fn with_method(mut self, method: PaymentMethod) -> Self {
        self.method = method;
        self
    }

    /// The same receipt with the bank's `reference`.
    pub fn with_reference(mut self, reference: impl Into<String>) -> Self {
        self.reference = Some(reference.into());
        self
    }

    /// The same receipt with the payer's remittance text.
    pub fn with_remittance(mut self, remittance: impl Into<String>) -> Self {
        self.remittance = remittance.into();
        self
    }

    /// The same receipt with the payer's name as the bank gives it.
    pub fn with_payer_name(mut self, name: impl Into<String>) -> Self {
        self.payer_name = Some(name.into());
        self
    }

    /// The same receipt with the account the money came from.
    pub fn with_payer_account(mut self, account: impl Into<String>) -> Self {
        self.payer_account = Some(account.into());
        self
    }
}

impl Heap for Receipt {
    fn heap(&self) -> usize {
        sum([
            self.id.heap(),
            self.customer.heap(),
            self.reference.heap(),
            self.remittance.capacity(),
            self.payer_name.heap(),
            self.payer_account.heap(),
        ])
    }
}
