//! ISO 11649 structured creditor references ("RF" references).
//!
//! An RF reference is `RF`, two check digits and a body of 1 to 21 letters
//! and digits. The check digits make the whole reference, read with the
//! letters as numbers (A = 10 ... Z = 35) and `RF` plus the check digits
//! moved to the end, leave 1 when divided by 97: the same scheme as IBAN.

use crate::error::{Error, Result};

/// Longest body an RF reference can carry.
pub const MAX_BODY: usize = 21;

/// The remainder modulo 97 of `chars` read as one number, letters as 10-35.
/// `None` when a character is not an ASCII letter or digit.
fn mod97(chars: impl Iterator<Item = u8>) -> Option<u32> {
    let mut rem: u32 = 0;
    for c in chars {
        // Digits and upper-case letters only: 0-9 and 10-35.
        let v = match c {
            b'0'..=b'9' | b'A'..=b'Z' => char::from(c).to_digit(36)?,
            _ => return None,
        };
        // Letters are two digits long. `rem` is below 97 and `v` below 36,
        // so the number is at most 9,735: the operations are exact.
        let shift = if v >= 10 { 100 } else { 10 };
        rem = rem.saturating_mul(shift).saturating_add(v) % 97;
    }
    Some(rem)
}

/// The RF creditor reference for `reference` (an invoice number, say):
/// letters and digits kept, upper-cased, everything else dropped.
///
/// # Errors
/// [`Error::InvalidValue`] naming `reference` when it has no letters or
/// digits, or more than 21 of them.
///
/// # Example
/// ```
/// use ar_core::matching::creditor_reference;
/// assert_eq!(creditor_reference("5390 0754 7034").unwrap(), "RF18539007547034");
/// ```
pub fn creditor_reference(reference: &str) -> Result<String> {
    let body: String = reference
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if body.is_empty() || body.len() > MAX_BODY {
        return Err(Error::invalid_value(
            "reference",
            reference,
            "must have 1 to 21 letters and digits to make an RF creditor reference",
        ));
    }
    // Below 97: the check digits are 2 to 98.
    let rem = mod97(body.bytes().chain(*b"RF00")).unwrap_or(0);
    Ok(format!("RF{:02}{body}", 98u32.saturating_sub(rem)))
}

/// The body of `candidate` (letters and digits only, upper case, starting
/// `RF`) when its check digits hold.
pub(crate) fn check(candidate: &[u8]) -> Option<&[u8]> {
    let (head, body) = (candidate.get(..4)?, candidate.get(4..)?);
    if body.is_empty() || body.len() > MAX_BODY || head.get(..2)? != b"RF" {
        return None;
    }
    (mod97(body.iter().chain(head).copied())? == 1).then_some(body)
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn published_example_validates() {
        // The example of ISO 11649 and the EPC's guidance.
        assert_eq!(check(b"RF18539007547034"), Some(&b"539007547034"[..]));
        assert_eq!(check(b"RF19539007547034"), None);
        assert_eq!(check(b"RF18539007547043"), None);
        assert_eq!(
            creditor_reference("539007547034").unwrap(),
            "RF18539007547034"
        );
    }

    #[test]
    fn letters_count_as_two_digits() {
        let rf = creditor_reference("INV-000123").unwrap();
        assert!(rf.starts_with("RF") && rf.ends_with("INV000123"));
        assert_eq!(check(rf.as_bytes()), Some(&b"INV000123"[..]));
        assert!(creditor_reference("-").is_err());
        assert!(creditor_reference(&"1".repeat(22)).is_err());
    }
}
