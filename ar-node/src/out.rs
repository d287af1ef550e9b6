//! Results to JS, for any `Serialize` value: the core's result types (and a
//! binding's own, such as `RollRates`) become plain JS objects without a
//! field-by-field copy. Their TypeScript interfaces are declared once, as
//! `#[napi(object)]` structs that napi turns into `index.d.ts`.
//!
//! The value is serialized into a small ordered tree ([`Out`]), with the
//! names of struct fields (and of enum variants given as keys, `{monthlyAverage:
//! 3}`) in camelCase; map keys (dimensions) and enum values (`"half_even"`)
//! stay as they are. A [`Shape`] may then restyle some amounts, for results
//! whose JS form predates this layer ([`Form`]); the tree becomes JS through
//! napi's serde support. Decimals arrive as the core writes them (exact text,
//! at their own scale), dates as `YYYY-MM-DD`, timestamps as RFC 3339.
//!
//! Meant for report-sized results (thousands of rows); the bulk paths
//! (`Book`, tables) stay on columns.

use ar_core::rust_decimal::Decimal;
use ar_core::{Currency, Error, Result};
use napi::bindgen_prelude::Unknown;
use napi::Env;
use serde::ser::{self, Serialize, SerializeMap, SerializeSeq};

use crate::conv;

/// A serialized value, in the order serde gave it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Out {
    /// `null` (`None`, unit).
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (every integer a JS number holds exactly).
    Number(f64),
    /// Text: strings, decimals, dates, enum values.
    Text(String),
    /// An array.
    List(Vec<Out>),
    /// An object: its keys in JS spelling, in serde's order.
    Map(Vec<(String, Out)>),
}

/// `snake_case` as `camelCase`: `period_ends` is `periodEnds`,
/// `write_off` is `writeOff`.
pub(crate) fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' && !out.is_empty() {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// How a field's decimal text is restyled ([`Shape`]).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Form {
    /// An amount at least at the minor unit of the object's `currency` (or
    /// its parent's): `"1000"` in USD is `"1000.00"` (`conv::money`).
    Money,
    /// A computed figure without trailing zeros: `"0.0050"` is `"0.005"`
    /// (`conv::figure_out`).
    Figure,
}

/// What a [`Shape`] says of one field.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Hint {
    /// Restyle the field's decimals (in nested arrays too).
    Form(Form),
    /// The field is an object, or an array of objects, of this shape.
    Nested(&'static Shape),
}

/// Fields of a result restyled on their way to JS, by their JS names; the
/// fields not named are as the core serializes them.
#[derive(Debug)]
pub(crate) struct Shape(pub &'static [(&'static str, Hint)]);

/// `value` as a JS value: objects with camelCase keys, restyled by `shape`.
///
/// # Errors
/// `internal` when serde or Node-API fails (neither does for the core's
/// types: their numbers are integers a JS number holds).
pub(crate) fn to_js<'e, T: Serialize + ?Sized>(
    env: &Env,
    value: &T,
    shape: Option<&Shape>,
) -> Result<Unknown<'e>> {
    let mut out = tree(value)?;
    if let Some(shape) = shape {
        restyle(&mut out, shape, None);
    }
    env.to_js_value(&out).map_err(|e| Error::Internal {
        message: format!("a result could not be made a JS value: {e}"),
    })
}

/// `value` as an [`Out`] tree.
///
/// # Errors
/// `internal` for what JS cannot hold (an integer past 2^53, a map key
/// that is not text).
pub(crate) fn tree<T: Serialize + ?Sized>(value: &T) -> Result<Out> {
    value.serialize(ToOut).map_err(|e| Error::Internal {
        message: format!("a result could not be serialized: {}", e.0),
    })
}

fn restyle(out: &mut Out, shape: &Shape, currency: Option<Currency>) {
    match out {
        Out::List(items) => {
            for item in items {
                restyle(item, shape, currency);
            }
        }
        Out::Map(entries) => {
            let own = entries.iter().find_map(|(k, v)| match (k.as_str(), v) {
                ("currency", Out::Text(code)) => Currency::new(code).ok(),
                _ => None,
            });
            let currency = own.or(currency);
            for (key, value) in entries {
                match shape.0.iter().find(|(k, _)| k == key).map(|(_, h)| *h) {
                    Some(Hint::Form(form)) => styled(value, form, currency),
                    Some(Hint::Nested(inner)) => restyle(value, inner, currency),
                    None => {}
                }
            }
        }
        _ => {}
    }
}

fn styled(out: &mut Out, form: Form, currency: Option<Currency>) {
    match out {
        Out::List(items) => {
            for item in items {
                styled(item, form, currency);
            }
        }
        Out::Text(text) => {
            let Ok(value) = Decimal::from_str_exact(text) else {
                return;
            };
            *text = match (form, currency) {
                (Form::Money, Some(c)) => conv::money(value, c),
                (Form::Money, None) => conv::decimal_out(value),
                (Form::Figure, _) => conv::figure_out(value),
            };
        }
        _ => {}
    }
}

impl Serialize for Out {
    fn serialize<S: ser::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Out::Null => s.serialize_unit(),
            Out::Bool(b) => s.serialize_bool(*b),
            Out::Number(n) => s.serialize_f64(*n),
            Out::Text(t) => s.serialize_str(t),
            Out::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Out::Map(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Why a value could not become an [`Out`].
#[derive(Debug)]
pub(crate) struct OutError(String);

impl std::fmt::Display for OutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OutError {}

impl ser::Error for OutError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        OutError(msg.to_string())
    }
}

/// Largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE: u64 = (1 << 53) - 1;

fn integer(v: i128) -> std::result::Result<Out, OutError> {
    if v.unsigned_abs() > u128::from(MAX_SAFE) {
        return Err(OutError(format!(
            "{v} is past what a JS number holds exactly"
        )));
    }
    // Exact: within ±2^53.
    #[allow(clippy::cast_precision_loss)]
    Ok(Out::Number(v as f64))
}

/// The serializer into [`Out`].
struct ToOut;

type R = std::result::Result<Out, OutError>;

impl ser::Serializer for ToOut {
    type Ok = Out;
    type Error = OutError;
    type SerializeSeq = Items;
    type SerializeTuple = Items;
    type SerializeTupleStruct = Items;
    type SerializeTupleVariant = Tagged<Items>;
    type SerializeMap = Entries;
    type SerializeStruct = Entries;
    type SerializeStructVariant = Tagged<Entries>;

    fn serialize_bool(self, v: bool) -> R {
        Ok(Out::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> R {
        integer(v.into())
    }
    fn serialize_i16(self, v: i16) -> R {
        integer(v.into())
    }
    fn serialize_i32(self, v: i32) -> R {
        integer(v.into())
    }
    fn serialize_i64(self, v: i64) -> R {
        integer(v.into())
    }
    fn serialize_i128(self, v: i128) -> R {
        integer(v)
    }
    fn serialize_u8(self, v: u8) -> R {
        integer(v.into())
    }
    fn serialize_u16(self, v: u16) -> R {
        integer(v.into())
    }
    fn serialize_u32(self, v: u32) -> R {
        integer(v.into())
    }
    fn serialize_u64(self, v: u64) -> R {
        integer(v.into())
    }
    fn serialize_u128(self, v: u128) -> R {
        i128::try_from(v)
            .map_err(|_| OutError(format!("{v} is past what a JS number holds exactly")))
            .and_then(integer)
    }
    fn serialize_f32(self, v: f32) -> R {
        Ok(Out::Number(v.into()))
    }
    fn serialize_f64(self, v: f64) -> R {
        Ok(Out::Number(v))
    }
    fn serialize_char(self, v: char) -> R {
        Ok(Out::Text(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> R {
        Ok(Out::Text(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> R {
        Ok(Out::List(
            v.iter().map(|b| Out::Number(f64::from(*b))).collect(),
        ))
    }
    fn serialize_none(self) -> R {
        Ok(Out::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R {
        Ok(Out::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> R {
        Ok(Out::Null)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R {
        Ok(Out::Text(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> R {
        Ok(Out::Map(vec![(camel(variant), value.serialize(self)?)]))
    }
    fn serialize_seq(self, len: Option<usize>) -> std::result::Result<Items, OutError> {
        Ok(Items(Vec::with_capacity(len.unwrap_or(0).min(1024))))
    }
    fn serialize_tuple(self, len: usize) -> std::result::Result<Items, OutError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> std::result::Result<Items, OutError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> std::result::Result<Tagged<Items>, OutError> {
        Ok(Tagged(camel(variant), self.serialize_seq(Some(len))?))
    }
    fn serialize_map(self, len: Option<usize>) -> std::result::Result<Entries, OutError> {
        Ok(Entries {
            entries: Vec::with_capacity(len.unwrap_or(0).min(1024)),
            key: None,
        })
    }
    fn serialize_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> std::result::Result<Entries, OutError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> std::result::Result<Tagged<Entries>, OutError> {
        Ok(Tagged(camel(variant), self.serialize_map(Some(len))?))
    }
}

/// The elements of an array.
struct Items(Vec<Out>);

impl ser::SerializeSeq for Items {
    type Ok = Out;
    type Error = OutError;
    fn serialize_element<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> std::result::Result<(), OutError> {
        self.0.push(value.serialize(ToOut)?);
        Ok(())
    }
    fn end(self) -> R {
        Ok(Out::List(self.0))
    }
}

impl ser::SerializeTuple for Items {
    type Ok = Out;
    type Error = OutError;
    fn serialize_element<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> std::result::Result<(), OutError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> R {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Items {
    type Ok = Out;
    type Error = OutError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> std::result::Result<(), OutError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> R {
        ser::SerializeSeq::end(self)
    }
}

/// The entries of an object: a struct's fields (camelCase) or a map's
/// entries (keys as they are).
struct Entries {
    entries: Vec<(String, Out)>,
    key: Option<String>,
}

impl ser::SerializeMap for Entries {
    type Ok = Out;
    type Error = OutError;
    fn serialize_key<T: Serialize + ?Sized>(
        &mut self,
        key: &T,
    ) -> std::result::Result<(), OutError> {
        self.key = Some(match key.serialize(ToOut)? {
            Out::Text(t) => t,
            Out::Number(n) => n.to_string(),
            other => return Err(OutError(format!("a map key must be text, not {other:?}"))),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> std::result::Result<(), OutError> {
        let key = self.key.take().unwrap_or_default();
        self.entries.push((key, value.serialize(ToOut)?));
        Ok(())
    }
    fn end(self) -> R {
        Ok(Out::Map(self.entries))
    }
}

impl ser::SerializeStruct for Entries {
    type Ok = Out;
    type Error = OutError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> std::result::Result<(), OutError> {
        self.entries.push((camel(key), value.serialize(ToOut)?));
        Ok(())
    }
    fn end(self) -> R {
        Ok(Out::Map(self.entries))
    }
}

/// An enum variant with data: `{variant: data}`.
struct Tagged<T>(String, T);

impl ser::SerializeTupleVariant for Tagged<Items> {
    type Ok = Out;
    type Error = OutError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> std::result::Result<(), OutError> {
        ser::SerializeSeq::serialize_element(&mut self.1, value)
    }
    fn end(self) -> R {
        Ok(Out::Map(vec![(self.0, ser::SerializeSeq::end(self.1)?)]))
    }
}

impl ser::SerializeStructVariant for Tagged<Entries> {
    type Ok = Out;
    type Error = OutError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> std::result::Result<(), OutError> {
        ser::SerializeStruct::serialize_field(&mut self.1, key, value)
    }
    fn end(self) -> R {
        Ok(Out::Map(vec![(self.0, ser::SerializeStruct::end(self.1)?)]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct Row {
        due_date: &'static str,
        write_off: Option<u32>,
        dimensions: BTreeMap<&'static str, &'static str>,
        cei: Cei,
        rounding: Rounding,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Cei {
        MonthlyAverage(u32),
    }

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Rounding {
        HalfEven,
    }

    fn text(t: &str) -> Out {
        Out::Text(t.to_owned())
    }

    #[test]
    fn fields_are_camel_case_map_keys_and_values_as_they_are() {
        let row = Row {
            due_date: "2026-03-01",
            write_off: None,
            dimensions: BTreeMap::from([("sales_region", "EU")]),
            cei: Cei::MonthlyAverage(3),
            rounding: Rounding::HalfEven,
        };
        assert_eq!(
            tree(&row).ok(),
            Some(Out::Map(vec![
                ("dueDate".to_owned(), text("2026-03-01")),
                ("writeOff".to_owned(), Out::Null),
                (
                    "dimensions".to_owned(),
                    Out::Map(vec![("sales_region".to_owned(), text("EU"))])
                ),
                (
                    "cei".to_owned(),
                    Out::Map(vec![("monthlyAverage".to_owned(), Out::Number(3.0))])
                ),
                ("rounding".to_owned(), text("half_even")),
            ]))
        );
        assert_eq!(camel("a_b_c"), "aBC");
        assert_eq!(camel("_x"), "_x");
    }

    #[test]
    fn integers_past_two_to_the_53_are_refused() {
        assert_eq!(
            tree(&MAX_SAFE).ok(),
            Some(Out::Number(9_007_199_254_740_991.0))
        );
        let e = tree(&(MAX_SAFE + 1)).err();
        assert_eq!(e.as_ref().map(Error::code), Some("internal"));
    }

    #[test]
    fn shapes_restyle_amounts_by_the_currency_in_reach() {
        static LINE: Shape = Shape(&[("exposure", Hint::Form(Form::Money))]);
        static TOP: Shape = Shape(&[
            ("lines", Hint::Nested(&LINE)),
            ("rates", Hint::Form(Form::Figure)),
        ]);
        let mut out = Out::Map(vec![
            ("currency".to_owned(), text("JPY")),
            ("rates".to_owned(), Out::List(vec![text("1.50"), Out::Null])),
            (
                "lines".to_owned(),
                Out::List(vec![Out::Map(vec![("exposure".to_owned(), text("-0"))])]),
            ),
        ]);
        restyle(&mut out, &TOP, None);
        let Out::Map(entries) = out else {
            unreachable!("a map stays a map")
        };
        assert_eq!(
            entries.get(1).map(|e| &e.1),
            Some(&Out::List(vec![text("1.5"), Out::Null]))
        );
        let usd = Currency::new("USD").ok();
        let mut line = Out::Map(vec![("exposure".to_owned(), text("1000"))]);
        restyle(&mut line, &LINE, usd);
        assert_eq!(
            line,
            Out::Map(vec![("exposure".to_owned(), text("1000.00"))])
        );
    }
}
