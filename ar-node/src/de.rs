//! Arguments to Rust, for any `Deserialize` type: an options bag (or a
//! command, a record) becomes a Rust value without a reader written for it.
//!
//! A serde `Deserializer` over the strict reader of `read.rs`: the same
//! rules (plain objects only, arrays without holes, Unicode text, getters
//! read once, in the declared order), with struct fields read by their
//! camelCase names (`period_ends` from `periodEnds`; properties not declared
//! are not read) and every error an [`ar_core::Error`] naming the field as
//! the caller spells it (`periodEnds[2]`, `lines[0].unitPrice`).
//!
//! Values follow the binding's conventions through the marker types below:
//! [`Amount`] (a decimal string; a number is `invalid_type`), [`Date`]
//! (`YYYY-MM-DD`), [`Timestamp`] (RFC 3339) and [`Limited`] (an array of at
//! most `N`, refused from its length alone). A core type read directly gets
//! the core's own serde rules; its errors are typed the same way where the
//! core's deserializer failed on text (a decimal, a currency, a date).
//!
//! Bounds: text at most `MAX_TEXT_LEN` bytes (refused from its length,
//! before it is copied), nesting at most [`MAX_DEPTH`] levels, and an array
//! the core counts at most its limit ([`Limited`], from its length alone).
//! Other arrays and objects are read element by element with nothing
//! reserved for their length, as `read.rs` reads them: they cost what they
//! took to build, and a sparse array fails at its first hole.
//!
//! One file, past 800 lines: a serde `Deserializer` is one trait of some
//! thirty methods, with its accessors, errors and marker types, none of
//! which is used apart.

use ar_core::chrono::{DateTime, NaiveDate, Utc};
use ar_core::limits::MAX_TEXT_LEN;
use ar_core::rust_decimal::Decimal;
use ar_core::{Currency, Error, Result};
use napi::bindgen_prelude::Unknown;
use napi::Env;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::conv;
use crate::js::{Found, Scope, Value};
use crate::read::{self, Path, Reader};

/// What an [`Amount`] is, in messages.
pub(crate) const AMOUNT_TEXT: &str = "a decimal string such as \"12.50\"";

/// Levels of arrays and objects inside one another.
pub(crate) const MAX_DEPTH: u32 = 32;

/// Serde names the deserializers of the bindings recognize.
const AMOUNT: &str = "$ar::Amount";
const DATE: &str = "$ar::Date";
const TIMESTAMP: &str = "$ar::Timestamp";
const LIMITED: &str = "$ar::Limited";

/// Reads the options argument `value` as `T`: its fields named alone
/// (`date`, `lines[0].quantity`); `expected` names `T` when `value` is not
/// even an object.
pub(crate) fn options<T: DeserializeOwned>(
    env: &Env,
    value: Unknown<'_>,
    field: &str,
    expected: &str,
) -> Result<T> {
    argument(env, value, &Path::Options(field), expected)
}

/// Reads the argument `value` as `T`, its fields named after it
/// (`report.totals[0]`).
pub(crate) fn from_js<T: DeserializeOwned>(
    env: &Env,
    value: Unknown<'_>,
    field: &str,
    expected: &str,
) -> Result<T> {
    argument(env, value, &Path::Arg(field), expected)
}

fn argument<T: DeserializeOwned>(
    env: &Env,
    value: Unknown<'_>,
    path: &Path<'_>,
    expected: &str,
) -> Result<T> {
    let mut scope = Scope::root(env);
    let value = scope.arg(&value);
    let root = path.to_string();
    read::with_reader_of(&mut scope, |r| {
        let mut last = None;
        let de = JsDe {
            r,
            value,
            path,
            depth: 0,
            last: &mut last,
            hole: false,
        };
        T::deserialize(de).map_err(|e| e.place(path, last.as_deref()))
    })
    .map_err(|e| match e {
        // The argument itself is of the wrong type: say it as the caller
        // names its type.
        Error::InvalidType { field, found, .. } if field == root => Error::InvalidType {
            field,
            expected: expected.to_owned(),
            found,
        },
        other => other,
    })
}

// ----- errors ----------------------------------------------------------------

/// An error while deserializing: placed (it names its field), or raised by
/// serde or a type's own `Deserialize` and placed by the caller, who knows
/// where the value was.
#[derive(Debug)]
pub(crate) enum DeError {
    /// Names its field.
    Placed(Error),
    /// A type's own message (`Currency`'s, `serde_decimal`'s, chrono's).
    Custom(String),
    /// A value of the wrong type.
    Type { expected: String, found: String },
    /// A value out of range.
    Value { value: String, reason: String },
    /// A required field that is absent.
    Missing(&'static str),
}

impl DeError {
    /// The error placed at `path`, where the text `last` (if any) was read.
    fn place(self, path: &Path<'_>, last: Option<&str>) -> Error {
        let field = path.to_string();
        match self {
            DeError::Placed(e) => e,
            DeError::Custom(msg) => typed_custom(field, last, &msg),
            DeError::Type { expected, found } => Error::InvalidType {
                field,
                expected,
                found,
            },
            DeError::Value { value, reason } => Error::InvalidValue {
                field,
                value,
                reason,
            },
            DeError::Missing(name) => Error::InvalidType {
                field: Path::Key(path, &crate::out::camel(name)).to_string(),
                expected: "a value".to_owned(),
                found: "undefined".to_owned(),
            },
        }
    }
}

/// The typed error for a message a type's `Deserialize` gave for the text
/// `text`: the core's decimal, currency and date parsers, and chrono's, fail
/// with the message their own error has, so an equal message is that error,
/// made again with the field's name and its code. Anything else is
/// `invalid_value` with the message (bounded).
pub(crate) fn typed_custom(field: String, text: Option<&str>, msg: &str) -> Error {
    if let Some(text) = text {
        if let Err(e) = ar_core::parse_decimal("amount", text) {
            if e.to_string() == msg {
                return ar_core::parse_decimal(&field, text).err().unwrap_or(e);
            }
        }
        if let Err(e) = Currency::new(text) {
            if e.to_string() == msg {
                return Currency::parse_field(&field, text).err().unwrap_or(e);
            }
        }
        let date = text.parse::<NaiveDate>().err().map(|e| e.to_string());
        let time = text.parse::<DateTime<Utc>>().err().map(|e| e.to_string());
        for (err, expected) in [
            (date, "date (YYYY-MM-DD)"),
            (time, "RFC 3339 timestamp (2026-03-01T09:00:00Z)"),
        ] {
            if err.as_deref() == Some(msg) {
                return Error::InvalidDate {
                    field,
                    value: text.to_owned(),
                    expected: expected.to_owned(),
                };
            }
        }
    }
    Error::InvalidValue {
        field,
        value: text.map(ar_core::shown_value).unwrap_or_default(),
        reason: conv::bounded(msg, conv::MAX_REASON),
    }
}

impl std::fmt::Display for DeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeError::Placed(e) => write!(f, "{e}"),
            DeError::Custom(m) => f.write_str(m),
            DeError::Type { expected, found } => write!(f, "expected {expected}, got {found}"),
            DeError::Value { value, reason } => write!(f, "{value}: {reason}"),
            DeError::Missing(name) => write!(f, "{name} is required"),
        }
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        DeError::Custom(msg.to_string())
    }

    fn invalid_type(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        DeError::Type {
            expected: exp.to_string(),
            found: unexp.to_string(),
        }
    }

    fn invalid_value(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        DeError::Value {
            value: ar_core::shown_value(&unexp.to_string()),
            reason: format!("expected {exp}"),
        }
    }

    fn invalid_length(len: usize, exp: &dyn de::Expected) -> Self {
        DeError::Value {
            value: format!("{len} elements"),
            reason: format!("expected {exp}"),
        }
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        DeError::Value {
            value: ar_core::shown_value(variant),
            reason: format!("expected {}", names(expected)),
        }
    }

    fn missing_field(field: &'static str) -> Self {
        DeError::Missing(field)
    }
}

/// `"a", "b" or "c"`.
pub(crate) fn names(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => "nothing".to_owned(),
    }
}

// ----- the deserializer --------------------------------------------------------

/// One JS value to deserialize, found at `path`. `last` keeps the text read
/// there, for [`typed_custom`].
struct JsDe<'a, 'r, 's> {
    r: &'a mut Reader<'r, 's>,
    value: Value<'s>,
    path: &'a Path<'a>,
    depth: u32,
    last: &'a mut Option<String>,
    /// The value is a hole of an array: not absent, though `undefined`, so
    /// that an optional element says what it expected there.
    hole: bool,
}

type DeResult<T> = std::result::Result<T, DeError>;

fn absent(value: Value<'_>) -> bool {
    value.found().is_absent()
}

impl JsDe<'_, '_, '_> {
    fn wrong(&self, expected: &str) -> DeError {
        DeError::Placed(self.value.found().error(self.path.to_string(), expected))
    }

    /// The text of the value (at most `MAX_TEXT_LEN` bytes, checked before
    /// it is copied), kept in `last`.
    fn text(&mut self) -> DeResult<String> {
        if let Some(len) = self.value.utf8_len().filter(|l| *l > MAX_TEXT_LEN) {
            return Err(DeError::Placed(Error::LimitExceeded {
                field: self.path.to_string(),
                count: u64::try_from(len).unwrap_or(u64::MAX),
                limit: u64::try_from(MAX_TEXT_LEN).unwrap_or(u64::MAX),
            }));
        }
        let text = self
            .r
            .text(self.value, self.path)
            .map_err(DeError::Placed)?;
        *self.last = Some(text.clone());
        Ok(text)
    }

    fn deeper(&self) -> DeResult<u32> {
        let depth = self.depth.saturating_add(1);
        if depth > MAX_DEPTH {
            return Err(DeError::Placed(Error::LimitExceeded {
                field: self.path.to_string(),
                count: u64::from(depth),
                limit: u64::from(MAX_DEPTH),
            }));
        }
        Ok(depth)
    }

    /// A whole number within `min..=max`, from a JS number.
    fn whole(&self, min: f64, max: f64) -> DeResult<f64> {
        let Some(n) = self.value.number() else {
            return Err(self.wrong("a number"));
        };
        if n.is_finite() && n.trunc() == n && n >= min && n <= max {
            Ok(n)
        } else {
            Err(DeError::Placed(Error::InvalidValue {
                field: self.path.to_string(),
                value: n.to_string(),
                reason: format!("must be a whole number from {min} to {max}"),
            }))
        }
    }
}

/// Largest integer a JS number holds exactly.
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
const MIN_SAFE: f64 = -9_007_199_254_740_991.0;

macro_rules! integer {
    ($method:ident, $visit:ident, $t:ty, $min:expr, $max:expr) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
            let n = self.whole($min, $max)?;
            // Exact: a whole number within the type's range.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            visitor.$visit(n as $t)
        }
    };
}

impl<'de> de::Deserializer<'de> for JsDe<'_, '_, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(mut self, visitor: V) -> DeResult<V::Value> {
        if self.hole {
            return Err(self.wrong("a value"));
        }
        match self.value.found() {
            Found::Undefined | Found::Null => visitor.visit_unit(),
            Found::Number(n) if n.is_finite() && n.trunc() == n && n.abs() <= MAX_SAFE => {
                // Exact: a whole number within the safe range.
                #[allow(clippy::cast_possible_truncation)]
                visitor.visit_i64(n as i64)
            }
            Found::Number(n) => visitor.visit_f64(n),
            Found::Other("a boolean") => self.deserialize_bool(visitor),
            Found::Other("a string") => visitor.visit_string(self.text()?),
            Found::Other("an array") => self.deserialize_seq(visitor),
            Found::Other("an object") => self.deserialize_map(visitor),
            _ => Err(self.wrong("a string, number, boolean, array or object")),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        match self.value.boolean_value() {
            Some(b) => visitor.visit_bool(b),
            None => Err(self.wrong("a boolean")),
        }
    }

    integer!(deserialize_i8, visit_i8, i8, -128.0, 127.0);
    integer!(deserialize_i16, visit_i16, i16, -32_768.0, 32_767.0);
    integer!(
        deserialize_i32,
        visit_i32,
        i32,
        -2_147_483_648.0,
        2_147_483_647.0
    );
    integer!(deserialize_i64, visit_i64, i64, MIN_SAFE, MAX_SAFE);
    integer!(deserialize_u8, visit_u8, u8, 0.0, 255.0);
    integer!(deserialize_u16, visit_u16, u16, 0.0, 65_535.0);
    integer!(deserialize_u32, visit_u32, u32, 0.0, 4_294_967_295.0);
    integer!(deserialize_u64, visit_u64, u64, 0.0, MAX_SAFE);

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        match self.value.number() {
            Some(n) => visitor.visit_f64(n),
            None => Err(self.wrong("a number")),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        self.deserialize_string(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(mut self, visitor: V) -> DeResult<V::Value> {
        visitor.visit_string(self.text()?)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _: V) -> DeResult<V::Value> {
        Err(self.wrong("bytes"))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _: V) -> DeResult<V::Value> {
        Err(self.wrong("bytes"))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        if absent(self.value) && !self.hole {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        if absent(self.value) {
            visitor.visit_unit()
        } else {
            Err(self.wrong("null"))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> DeResult<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        mut self,
        name: &'static str,
        visitor: V,
    ) -> DeResult<V::Value> {
        let field = self.path.to_string();
        let canonical = match name {
            AMOUNT => {
                if let Some(n) = self.value.number() {
                    return Err(DeError::Placed(Error::InvalidType {
                        field,
                        expected: AMOUNT_TEXT.to_owned(),
                        found: format!("the number {n}"),
                    }));
                }
                let text = self.text_as(AMOUNT_TEXT)?;
                ar_core::parse_decimal(&field, &text)
                    .map_err(DeError::Placed)?
                    .to_string()
            }
            DATE => {
                let text = self.text_as("a date string YYYY-MM-DD")?;
                conv::date(&field, &text).map_err(DeError::Placed)?;
                text
            }
            TIMESTAMP => {
                let text = self.text_as("an RFC 3339 timestamp string")?;
                conv::timestamp_out(conv::timestamp(&field, &text).map_err(DeError::Placed)?)
            }
            _ => return visitor.visit_newtype_struct(self),
        };
        visitor.visit_newtype_struct(canonical.into_deserializer())
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        self.seq(None, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> DeResult<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> DeResult<V::Value> {
        self.seq((name == LIMITED).then_some(len), visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        let depth = self.deeper()?;
        self.r
            .object(self.value, self.path, "an object")
            .map_err(DeError::Placed)?;
        let keys = self
            .r
            .keys(self.value, self.path)
            .map_err(DeError::Placed)?;
        let len = keys.array_len();
        visitor.visit_map(Entries {
            r: self.r,
            object: self.value,
            keys,
            len,
            i: 0,
            key: None,
            path: self.path,
            depth,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> DeResult<V::Value> {
        let depth = self.deeper()?;
        self.r
            .object(self.value, self.path, name)
            .map_err(DeError::Placed)?;
        visitor.visit_map(Fields {
            r: self.r,
            object: self.value,
            fields,
            i: 0,
            value: None,
            path: self.path,
            depth,
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        mut self,
        _: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> DeResult<V::Value> {
        if self.value.found() == Found::Other("a string") {
            let text = self.text()?;
            return visitor.visit_enum(text.into_deserializer());
        }
        // `{variantName: data}`: one key, the variant in camelCase.
        self.r
            .object(
                self.value,
                self.path,
                &format!("a string or an object with one of {}", names(variants)),
            )
            .map_err(DeError::Placed)?;
        let keys = self
            .r
            .keys(self.value, self.path)
            .map_err(DeError::Placed)?;
        if keys.array_len() != 1 {
            return Err(DeError::Placed(Error::InvalidValue {
                field: self.path.to_string(),
                value: format!("an object of {} keys", keys.array_len()),
                reason: format!("expected one key, one of {}", names(variants)),
            }));
        }
        let key = self
            .r
            .element(keys, 0, self.path)
            .map_err(DeError::Placed)?;
        let js_name = self.r.text(key, self.path).map_err(DeError::Placed)?;
        let variant = variants
            .iter()
            .find(|v| crate::out::camel(v) == js_name)
            .copied()
            .unwrap_or("");
        visitor.visit_enum(Variant {
            de: self,
            js_name,
            variant,
        })
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        self.deserialize_string(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        // Not read: nothing of it is used.
        visitor.visit_unit()
    }
}

impl<'a, 'r, 's> JsDe<'a, 'r, 's> {
    fn text_as(&mut self, expected: &str) -> DeResult<String> {
        if self.value.found() != Found::Other("a string") {
            return Err(self.wrong(expected));
        }
        self.text()
    }

    fn seq<'de, V: Visitor<'de>>(self, limit_of: Option<usize>, visitor: V) -> DeResult<V::Value> {
        let depth = self.deeper()?;
        if !self.value.is_array() {
            return Err(self.wrong("an array"));
        }
        let len = self.value.array_len();
        if let Some(most) = limit_of.filter(|most| len as usize > *most) {
            return Err(DeError::Placed(Error::LimitExceeded {
                field: self.path.to_string(),
                count: u64::from(len),
                limit: u64::try_from(most).unwrap_or(u64::MAX),
            }));
        }
        visitor.visit_seq(Seq {
            r: self.r,
            array: self.value,
            len,
            i: 0,
            path: self.path,
            depth,
        })
    }
}

/// The elements of an array, each read in a handle scope of its own.
struct Seq<'a, 'r, 's> {
    r: &'a mut Reader<'r, 's>,
    array: Value<'s>,
    len: u32,
    i: u32,
    path: &'a Path<'a>,
    depth: u32,
}

impl<'de> de::SeqAccess<'de> for Seq<'_, '_, '_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> DeResult<Option<T::Value>> {
        if self.i >= self.len {
            return Ok(None);
        }
        let i = self.i;
        self.i = i.saturating_add(1);
        let at = Path::Index(self.path, i);
        let (array, depth) = (self.array, self.depth);
        self.r
            .child(|r| {
                let value = r.element(array, i, &at)?;
                // A hole is `undefined`: only `null` stands for "none" in an
                // array, so that a sparse array fails at its first hole.
                let hole = value.found() == Found::Undefined;
                let mut last = None;
                let de = JsDe {
                    r,
                    value,
                    path: &at,
                    depth,
                    last: &mut last,
                    hole,
                };
                seed.deserialize(de)
                    .map_err(|e| e.place(&at, last.as_deref()))
            })
            .map(Some)
            .map_err(DeError::Placed)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.len.saturating_sub(self.i) as usize)
    }
}

/// The entries of a plain object read as a map (dimensions): its own keys
/// as they are.
struct Entries<'a, 'r, 's> {
    r: &'a mut Reader<'r, 's>,
    object: Value<'s>,
    keys: Value<'s>,
    len: u32,
    i: u32,
    key: Option<String>,
    path: &'a Path<'a>,
    depth: u32,
}

impl<'de> de::MapAccess<'de> for Entries<'_, '_, '_> {
    type Error = DeError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> DeResult<Option<K::Value>> {
        if self.i >= self.len {
            return Ok(None);
        }
        let i = self.i;
        self.i = i.saturating_add(1);
        let keys = self.keys;
        let path = self.path;
        let key = self.r.child(|r| {
            let key = r.element(keys, i, path)?;
            r.text(key, path)
        });
        let key = key.map_err(DeError::Placed)?;
        let entry = Path::Entry(path, &key);
        let out = seed
            .deserialize(key.clone().into_deserializer())
            .map_err(|e: DeError| DeError::Placed(e.place(&entry, Some(&key))))?;
        self.key = Some(key);
        Ok(Some(out))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> DeResult<V::Value> {
        let key = self.key.take().unwrap_or_default();
        let (object, path, depth) = (self.object, self.path, self.depth);
        let entry = Path::Entry(path, &key);
        self.r
            .child(|r| {
                let value = r.get(object, &key, path).map_err(|e| match e {
                    Error::InvalidValue { value, reason, .. } => Error::InvalidValue {
                        field: entry.to_string(),
                        value,
                        reason,
                    },
                    other => other,
                })?;
                let mut last = None;
                let de = JsDe {
                    r,
                    value,
                    path: &entry,
                    depth,
                    last: &mut last,
                    hole: false,
                };
                seed.deserialize(de)
                    .map_err(|e| e.place(&entry, last.as_deref()))
            })
            .map_err(DeError::Placed)
    }
}

/// The declared fields of a struct, each read from its camelCase property
/// once, in order; an absent one (`undefined` or `null`) is left to serde
/// (`None`, its default, or `missing_field`).
struct Fields<'a, 'r, 's> {
    r: &'a mut Reader<'r, 's>,
    object: Value<'s>,
    fields: &'static [&'static str],
    i: usize,
    value: Option<(String, Value<'s>)>,
    path: &'a Path<'a>,
    depth: u32,
}

impl<'de> de::MapAccess<'de> for Fields<'_, '_, '_> {
    type Error = DeError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> DeResult<Option<K::Value>> {
        while let Some(field) = self.fields.get(self.i).copied() {
            self.i = self.i.saturating_add(1);
            let js = crate::out::camel(field);
            let value = self
                .r
                .get(self.object, &js, self.path)
                .map_err(DeError::Placed)?;
            if absent(value) {
                continue;
            }
            self.value = Some((js, value));
            return seed.deserialize(field.into_deserializer()).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> DeResult<V::Value> {
        let Some((js, value)) = self.value.take() else {
            return Err(DeError::Custom("a value without its key".to_owned()));
        };
        let at = Path::Key(self.path, &js);
        let mut last = None;
        let de = JsDe {
            r: self.r,
            value,
            path: &at,
            depth: self.depth,
            last: &mut last,
            hole: false,
        };
        seed.deserialize(de)
            .map_err(|e| DeError::Placed(e.place(&at, last.as_deref())))
    }
}

/// An enum given as `{variantName: data}`.
struct Variant<'a, 'r, 's> {
    de: JsDe<'a, 'r, 's>,
    js_name: String,
    variant: &'static str,
}

impl<'de, 'a, 'r, 's> de::EnumAccess<'de> for Variant<'a, 'r, 's> {
    type Error = DeError;
    type Variant = Data<'a, 'r, 's>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> DeResult<(V::Value, Data<'a, 'r, 's>)> {
        let name = if self.variant.is_empty() {
            self.js_name.clone()
        } else {
            self.variant.to_owned()
        };
        let de = self.de;
        let v = seed
            .deserialize(name.into_deserializer())
            .map_err(|e: DeError| DeError::Placed(e.place(de.path, Some(&self.js_name))))?;
        Ok((
            v,
            Data {
                de,
                js_name: self.js_name,
            },
        ))
    }
}

/// The data of an enum variant given as `{variantName: data}`.
struct Data<'a, 'r, 's> {
    de: JsDe<'a, 'r, 's>,
    js_name: String,
}

impl<'de> de::VariantAccess<'de> for Data<'_, '_, '_> {
    type Error = DeError;

    fn unit_variant(self) -> DeResult<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> DeResult<T::Value> {
        let JsDe {
            r,
            value,
            path,
            depth,
            ..
        } = self.de;
        let js = self.js_name;
        let at = Path::Key(path, &js);
        let inner = r.get(value, &js, path).map_err(DeError::Placed)?;
        let mut last = None;
        let de = JsDe {
            r,
            value: inner,
            path: &at,
            depth,
            last: &mut last,
            hole: false,
        };
        seed.deserialize(de)
            .map_err(|e| DeError::Placed(e.place(&at, last.as_deref())))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> DeResult<V::Value> {
        self.newtype_variant_seed(AsData(None, visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> DeResult<V::Value> {
        self.newtype_variant_seed(AsData(Some(fields), visitor))
    }
}

/// A variant's data read by a visitor: as an array (no fields) or as a
/// struct of `fields`.
struct AsData<V>(Option<&'static [&'static str]>, V);

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for AsData<V> {
    type Value = V::Value;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<V::Value, D::Error> {
        match self.0 {
            Some(fields) => d.deserialize_struct("variant", fields, self.1),
            None => d.deserialize_seq(self.1),
        }
    }
}

// ----- marker types -------------------------------------------------------------

/// An amount or rate given as a decimal string (`"1234.50"`): a number is
/// `invalid_type`, text that is not a plain decimal `invalid_decimal`.
/// Declared `string` in TypeScript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Amount(pub Decimal);

/// A business date given as `"YYYY-MM-DD"` (`invalid_date` otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Date(pub NaiveDate);

/// A recorded time given as an RFC 3339 string (`"2026-03-01T09:00:00Z"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Timestamp(pub DateTime<Utc>);

/// An array of at most `N` elements, refused from its length alone
/// (`limit_exceeded`) before an element is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Limited<T, const N: usize>(pub Vec<T>);

/// The text a marker's deserializer hands on, parsed by `parse`.
struct Marked<F>(&'static str, F);

impl<'de, T, F: FnOnce(&str) -> Option<T>> Visitor<'de> for Marked<F> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<T, E> {
        (self.1)(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self.0))
    }

    fn visit_newtype_struct<D: de::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<T, D::Error> {
        let text = String::deserialize(d)?;
        self.visit_str(&text)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_newtype_struct(
            AMOUNT,
            Marked(AMOUNT_TEXT, |t: &str| {
                ar_core::parse_decimal("amount", t).ok().map(Amount)
            }),
        )
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_newtype_struct(
            DATE,
            Marked("a date string YYYY-MM-DD", |t: &str| {
                conv::parse_date(t).map(Date)
            }),
        )
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_newtype_struct(
            TIMESTAMP,
            Marked("an RFC 3339 timestamp", |t: &str| {
                conv::timestamp("", t).ok().map(Timestamp)
            }),
        )
    }
}

impl<'de, T: Deserialize<'de>, const N: usize> Deserialize<'de> for Limited<T, N> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Elements<T, const N: usize>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>, const N: usize> Visitor<'de> for Elements<T, N> {
            type Value = Limited<T, N>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "an array of at most {N} elements")
            }

            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(N).min(1024));
                while let Some(item) = seq.next_element()? {
                    if out.len() == N {
                        return Err(de::Error::invalid_length(N.saturating_add(1), &self));
                    }
                    out.push(item);
                }
                Ok(Limited(out))
            }
        }

        d.deserialize_tuple_struct(LIMITED, N, Elements::<T, N>(std::marker::PhantomData))
    }
}

impl Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<T: Serialize, const N: usize> Serialize for Limited<T, N> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}
