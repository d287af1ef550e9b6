//! Identifiers of ledger records: validated, serde-transparent strings.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// Longest id accepted, in bytes.
pub const MAX_ID_LEN: usize = 128;

fn validate(field: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid_value(field, value, "must not be empty"));
    }
    crate::limits::check_len(field, value, MAX_ID_LEN)?;
    if value.trim() != value || value.chars().any(char::is_control) {
        return Err(Error::invalid_value(
            field,
            value,
            "must not have surrounding spaces or control characters",
        ));
    }
    Ok(())
}

/// Longest text kept inline.
const INLINE: usize = 22;

/// The text of an id. Most ids are short, so they live inline: cloning one
/// (into events, states and index keys) allocates nothing, and comparing
/// keys in an index reads no other memory. Longer ids share one allocation.
#[derive(Clone)]
enum Text {
    Inline { len: u8, bytes: [u8; INLINE] },
    Shared(Arc<str>),
}

impl Text {
    fn new(value: &str) -> Self {
        let mut bytes = [0u8; INLINE];
        match (bytes.get_mut(..value.len()), u8::try_from(value.len())) {
            (Some(head), Ok(len)) => {
                head.copy_from_slice(value.as_bytes());
                Text::Inline { len, bytes }
            }
            _ => Text::Shared(Arc::from(value)),
        }
    }

    fn as_bytes(&self) -> &[u8] {
        match self {
            Text::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or_default(),
            Text::Shared(s) => s.as_bytes(),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // Always valid: the bytes were copied from a `str`.
            Text::Inline { .. } => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            Text::Shared(s) => s,
        }
    }
}

impl crate::heap::Heap for Text {
    /// A shared text's allocation, counted by each id holding it: only ids
    /// over 22 bytes have one.
    fn heap(&self) -> usize {
        match self {
            Text::Inline { .. } => 0,
            Text::Shared(s) => crate::heap::sum([
                std::mem::size_of::<usize>(),
                std::mem::size_of::<usize>(),
                s.len(),
            ]),
        }
    }
}

// Equality, hashing and order are those of the text (as for `String`); a
// text has one representation, so comparing bytes is enough.
impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Text {}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // As `str` hashes, without checking the bytes are UTF-8 again.
        state.write(self.as_bytes());
        state.write_u8(0xff);
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

macro_rules! define_id {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Text);

        impl $name {
            /// Validates and wraps an id: non-empty, at most 128 bytes, no
            /// surrounding spaces or control characters.
            ///
            /// # Errors
            /// [`Error::InvalidValue`] naming the field.
            pub fn new(value: impl AsRef<str>) -> Result<Self> {
                Self::parse_field($field, value)
            }

            /// Like `new`, naming `field` in the error.
            ///
            /// # Errors
            /// [`Error::InvalidValue`] naming `field`.
            pub fn parse_field(field: &str, value: impl AsRef<str>) -> Result<Self> {
                // Short ids are copied inline: text given by reference is
                // never copied to the heap first.
                let value = value.as_ref();
                validate(field, value)?;
                Ok($name(Text::new(value)))
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }
        }

        impl crate::heap::Heap for $name {
            fn heap(&self) -> usize {
                self.0.heap()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
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
                self.as_str()
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
define_id!(
    /// Names the record a journal line or entry is about: any of the ids
    /// above (an invoice, a receipt, an application, ...), or a word for
    /// records of the book as a whole (`revaluation`, a currency code).
    DocumentId, "document"
);

impl DocumentId {
    /// An id already valid as another kind's: copied, not checked again.
    pub(crate) fn of(value: &str) -> Self {
        DocumentId(Text::new(value))
    }
}

impl std::ops::Deref for DocumentId {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

define_id!(
    /// Id of a dispute record.
    DisputeId, "dispute"
);
define_id!(
    /// Id of a promise to pay.
    PromiseId, "promise"
);
define_id!(
    /// Id of a payment plan.
    PlanId, "plan"
);
define_id!(
    /// Id of a dunning notice sent.
    NoticeId, "notice"
);

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
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
    fn short_and_long_ids_compare_as_text() {
        let long = "L".repeat(INLINE + 1);
        let ids = ["", "A", "C1", "C10", "C2"]
            .iter()
            .map(|s| format!("{s}{}", "x".repeat(INLINE - 1)))
            .chain([long.clone(), "x".repeat(INLINE)])
            .collect::<Vec<_>>();
        for a in &ids {
            for b in &ids {
                let (ia, ib) = (
                    InvoiceId::new(a.clone()).unwrap(),
                    InvoiceId::new(b.clone()).unwrap(),
                );
                assert_eq!(ia.cmp(&ib), a.cmp(b), "{a} {b}");
                assert_eq!(ia == ib, a == b);
            }
        }
        let id = InvoiceId::new(long.clone()).unwrap();
        assert_eq!(id.as_str(), long);
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{long}\""));
        assert_eq!(format!("{id:?}"), format!("InvoiceId({long:?})"));
        // No larger than the `String` it replaced.
        assert_eq!(std::mem::size_of::<InvoiceId>(), 24);
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
