//! Identifiers of ledger records: validated, serde-transparent strings.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{Error, Result};

/// Longest id accepted, in bytes.
pub const MAX_ID_LEN: usize = 128;

fn validate(field: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid_value(field, value, "must not be empty"));
    }
    if value.len() > MAX_ID_LEN {
        return Err(Error::invalid_value(
            field,
            value,
            "must be at most 128 bytes",
        ));
    }
    if value.trim() != value || value.chars().any(char::is_control) {
        return Err(Error::invalid_value(
            field,
            value,
            "must not have surrounding spaces or control characters",
        ));
    }
    Ok(())
}

macro_rules! define_id {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Validates and wraps an id: non-empty, at most 128 bytes, no
            /// surrounding spaces or control characters.
            ///
            /// # Errors
            /// [`Error::InvalidValue`] naming the field.
            pub fn new(value: impl Into<String>) -> Result<Self> {
                Self::parse_field($field, value)
            }

            /// Like `new`, naming `field` in the error.
            ///
            /// # Errors
            /// [`Error::InvalidValue`] naming `field`.
            pub fn parse_field(field: &str, value: impl Into<String>) -> Result<Self> {
                let value = value.into();
                validate(field, &value)?;
                Ok($name(value))
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $name::new(s).map_err(serde::de::Error::custom)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

define_id!(
    /// Identifies a customer.
    CustomerId, "customer"
);
define_id!(
    /// Identifies an invoice.
    InvoiceId, "invoice"
);
define_id!(
    /// Identifies a receipt (an incoming payment).
    ReceiptId, "receipt"
);
define_id!(
    /// Identifies a credit memo.
    CreditMemoId, "credit_memo"
);
define_id!(
    /// Identifies one application of a receipt or credit memo to an invoice.
    ApplicationId, "application"
);
define_id!(
    /// Identifies a write-off.
    WriteOffId, "write_off"
);
define_id!(
    /// Identifies a refund.
    RefundId, "refund"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_validated() {
        assert_eq!(CustomerId::new("C-1").unwrap().as_str(), "C-1");
        for bad in ["", " C1", "C1 ", "a\nb"] {
            assert_eq!(CustomerId::new(bad).unwrap_err().code(), "invalid_value");
        }
        assert!(InvoiceId::new("x".repeat(129)).is_err());
        let e = InvoiceId::parse_field("invoice", "").unwrap_err();
        assert!(e.to_string().starts_with("invoice:"), "{e}");
    }

    #[test]
    fn serde_rejects_invalid_ids() {
        assert!(serde_json::from_str::<CustomerId>("\"\"").is_err());
        assert_eq!(
            serde_json::from_str::<CustomerId>("\"C1\"")
                .unwrap()
                .as_str(),
            "C1"
        );
    }
}
