//! Serde for decimals as exact strings. rust_decimal's own string
//! deserializer rounds past 28 digits and accepts exponents; amounts must
//! arrive exactly as written or be refused, in JSON as everywhere else.

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serializer};

use crate::error::{shown, Error};

/// Parses a decimal written as plain text (`"1234.50"`, `"-3"`), naming
/// `field` in the error. Exponents, thousands separators and NaN are refused.
///
/// # Errors
/// [`Error::InvalidDecimal`] for anything else.
pub fn parse_decimal(field: &str, text: &str) -> crate::Result<Decimal> {
    let bad = || Error::InvalidDecimal {
        field: field.to_owned(),
        value: shown(text),
    };
    let body = text.strip_prefix('-').unwrap_or(text);
    let mut parts = body.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let ok = digits(int) && frac.is_none_or(digits);
    if !ok {
        return Err(bad());
    }
    Decimal::from_str_exact(text).map_err(|_| bad())
}

/// Writes the decimal as a string, keeping its scale (`"1.50"`).
///
/// # Errors
/// Those of the serializer.
pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

/// Reads a plain decimal string (`"-12.50"`); numbers, exponents and text
/// that does not fit a decimal exactly are refused.
///
/// # Errors
/// A serde error naming the rejected text.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let text = Cow::<str>::deserialize(d)?;
    parse_decimal("amount", &text).map_err(serde::de::Error::custom)
}

/// The same for `Option<Decimal>`.
pub mod option {
    use super::*;

    /// Writes `None` as null.
    ///
    /// # Errors
    /// Those of the serializer.
    pub fn serialize<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }

    /// Reads null or a plain decimal string.
    ///
    /// # Errors
    /// As [`super::deserialize`].
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        Option::<Cow<str>>::deserialize(d)?
            .map(|t| parse_decimal("amount", &t).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// The same for `Vec<Decimal>`.
pub mod vec {
    use super::*;
    use serde::ser::SerializeSeq;

    /// Writes a list of decimal strings.
    ///
    /// # Errors
    /// Those of the serializer.
    pub fn serialize<S: Serializer>(v: &[Decimal], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for d in v {
            seq.serialize_element(&d.to_string())?;
        }
        seq.end()
    }

    /// Reads a list of plain decimal strings.
    ///
    /// # Errors
    /// As [`super::deserialize`].
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Decimal>, D::Error> {
        Vec::<Cow<str>>::deserialize(d)?
            .iter()
            .map(|t| parse_decimal("amount", t).map_err(serde::de::Error::custom))
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct T {
        #[serde(with = "super")]
        a: rust_decimal::Decimal,
        #[serde(default, with = "super::option")]
        b: Option<rust_decimal::Decimal>,
    }

    #[test]
    fn exact_strings_only() {
        let t: T = serde_json::from_str(r#"{"a":"1.50","b":null}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"a":"1.50","b":null}"#
        );
        let t: T = serde_json::from_str(r#"{"a":"2"}"#).unwrap();
        assert_eq!(t.b, None);
        for bad in [
            r#"{"a":1.5}"#,
            r#"{"a":"1e3"}"#,
            r#"{"a":"19.000000000000000000000000000001"}"#,
            r#"{"a":"NaN"}"#,
            r#"{"a":"1","b":"x"}"#,
        ] {
            assert!(serde_json::from_str::<T>(bad).is_err(), "{bad}");
        }
    }
}
