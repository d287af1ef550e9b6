//! Arguments to Rust, for any `Deserialize` type: keyword arguments, an
//! options dict or a command become a Rust value without a reader written
//! for each.
//!
//! A serde `Deserializer` over Python values, strict as `conv.rs` is: a
//! `float` is never a number (`invalid_type`), a `bool` never an `int`, a
//! `str` must be Unicode text (a lone surrogate is `invalid_value`), a
//! struct is a `dict` whose keys are its fields (another key is
//! `invalid_value` naming it; `None` is absent), and every error is an
//! `ar.ArError` naming the field (`period_ends[2]`, `lines[0].unit_price`).
//! An exception raised by the caller's own code while a value is read (a
//! sequence's `__iter__`) becomes `invalid_value` naming the field, as in
//! `conv.rs`.
//!
//! Values follow the binding's conventions through the marker types:
//! [`Amount`] (`decimal.Decimal` or `int`), [`Date`] (`datetime.date` or
//! `"YYYY-MM-DD"`), [`Timestamp`] (an aware `datetime.datetime`) and
//! [`Limited`] (at most `N` elements, from `len()`). Where a core type asks
//! for text (its amounts are read from text by `serde_decimal`, its dates
//! by chrono), a `Decimal` or `int` is given as its exact decimal text and a
//! `datetime.date` as `YYYY-MM-DD`, so a record's `to_dict()` reads back.
//!
//! Bounds: text at most `MAX_TEXT_LEN` bytes, nesting at most
//! [`MAX_DEPTH`] levels, a [`Limited`] list at most its limit.
//!
//! One file, past 800 lines: a serde `Deserializer` is one trait of some
//! thirty methods, with its accessors, errors and marker types, none of
//! which is used apart.

use ar_core::chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use ar_core::limits::MAX_TEXT_LEN;
use ar_core::rust_decimal::Decimal;
use ar_core::{Currency, Error};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::conv;
use crate::errors::to_py;

static DECIMAL: pyo3::sync::PyOnceLock<Py<pyo3::types::PyType>> = pyo3::sync::PyOnceLock::new();

/// Levels of lists and dicts inside one another.
pub const MAX_DEPTH: u32 = 32;

const AMOUNT: &str = "$ar::Amount";
const DATE: &str = "$ar::Date";
const TIMESTAMP: &str = "$ar::Timestamp";
const LIMITED: &str = "$ar::Limited";

/// Where a value is: `period_ends[2]`, `options.tolerance.percent`.
#[derive(Clone, Copy)]
pub enum Path<'a> {
    /// An argument (`""` for keyword arguments, whose fields are named
    /// alone).
    Root(&'a str),
    /// A key of a dict.
    Key(&'a Path<'a>, &'a str),
    /// An element of a list.
    Index(&'a Path<'a>, usize),
}

impl std::fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Path::Root(name) => f.write_str(name),
            Path::Key(Path::Root(""), key) => f.write_str(&ar_core::shown_value(key)),
            Path::Key(parent, key) => write!(f, "{parent}.{}", ar_core::shown_value(key)),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// Reads `obj`, the argument `name`, as `T`.
pub fn from_py<T: DeserializeOwned>(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<T> {
    let path = Path::Root(name);
    let mut last = None;
    let de = PyDe {
        obj,
        path: &path,
        depth: 0,
        last: &mut last,
    };
    T::deserialize(de).map_err(|e| e.place(&path, last.as_deref()))
}

/// Reads keyword arguments (the absent ones `None`) as the struct `T`, its
/// fields named alone.
pub fn from_args<T: DeserializeOwned>(
    py: Python<'_>,
    args: &[(&str, Option<&Bound<'_, PyAny>>)],
) -> PyResult<T> {
    let dict = PyDict::new(py);
    for (name, value) in args {
        if let Some(v) = conv::given(*value) {
            dict.set_item(*name, v)?;
        }
    }
    from_py(dict.as_any(), "")
}

// ----- errors ------------------------------------------------------------------

/// An error while deserializing: placed (an `ar.ArError` naming its field),
/// or raised by serde or a type's own `Deserialize` and placed by the
/// caller, who knows where the value was.
#[derive(Debug)]
pub enum DeError {
    /// Names its field.
    Placed(PyErr),
    /// A type's own message (`Currency`'s, `serde_decimal`'s, chrono's).
    Custom(String),
    /// A value of the wrong type.
    Type { expected: String, found: String },
    /// A value out of range.
    Value { value: String, reason: String },
    /// A required field that is absent.
    Missing(&'static str),
}

impl From<PyErr> for DeError {
    fn from(e: PyErr) -> Self {
        DeError::Placed(e)
    }
}

impl DeError {
    fn place(self, path: &Path<'_>, last: Option<&str>) -> PyErr {
        let field = path.to_string();
        to_py(&match self {
            DeError::Placed(e) => return e,
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
                field: Path::Key(path, name).to_string(),
                expected: "a value".to_owned(),
                found: "None".to_owned(),
            },
        })
    }
}

/// The typed error for a message a type's `Deserialize` gave for the text
/// `text`: the core's decimal and currency parsers, and chrono's, fail with
/// the message their own error has, so an equal message is that error, made
/// again with the field's name and its code. Anything else is
/// `invalid_value` with the message (bounded).
fn typed_custom(field: String, text: Option<&str>, msg: &str) -> Error {
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
        for (err, expected) in [(date, "date (YYYY-MM-DD)"), (time, "timestamp")] {
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
        reason: conv::bounded(msg, 256),
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
fn names(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => "nothing".to_owned(),
    }
}

// ----- the deserializer ----------------------------------------------------------

type DeResult<T> = Result<T, DeError>;

/// One Python value to deserialize, found at `path`; `last` keeps the text
/// read there, for [`typed_custom`].
struct PyDe<'a, 'py> {
    obj: &'a Bound<'py, PyAny>,
    path: &'a Path<'a>,
    depth: u32,
    last: &'a mut Option<String>,
}

impl PyDe<'_, '_> {
    fn field(&self) -> String {
        self.path.to_string()
    }

    fn wrong(&self, expected: &str) -> DeError {
        DeError::Placed(
            match conv::wrong_type::<()>(&self.field(), expected, self.obj) {
                Err(e) => e,
                Ok(()) => to_py(&Error::Internal {
                    message: "a type error that was none".to_owned(),
                }),
            },
        )
    }

    fn deeper(&self) -> DeResult<u32> {
        let depth = self.depth.saturating_add(1);
        if depth > MAX_DEPTH {
            return Err(DeError::Placed(to_py(&Error::LimitExceeded {
                field: self.field(),
                count: u64::from(depth),
                limit: u64::from(MAX_DEPTH),
            })));
        }
        Ok(depth)
    }

    /// The text of a `str` (at most `MAX_TEXT_LEN` bytes, checked from its
    /// length before it is encoded), of a `Decimal` or `int` (its exact
    /// decimal text) or of a `datetime.date` (`YYYY-MM-DD`; a `datetime` is
    /// `invalid_type`); kept in `last`.
    fn text(&mut self) -> DeResult<String> {
        let field = self.field();
        let text = if let Ok(s) = self.obj.cast::<PyString>() {
            // A code point is 1 to 4 bytes of UTF-8: past the limit in code
            // points is past it in bytes.
            let chars = s.len()?;
            if chars > MAX_TEXT_LEN {
                return Err(DeError::Placed(to_py(&limit(&field, chars))));
            }
            let text = conv::text(&field, self.obj)?;
            if text.len() > MAX_TEXT_LEN {
                return Err(DeError::Placed(to_py(&limit(&field, text.len()))));
            }
            text
        } else if self.obj.is_instance_of::<PyBool>() || self.obj.is_instance_of::<PyFloat>() {
            return Err(self.wrong("str"));
        } else if is_decimal(self.obj)? {
            conv::decimal(&field, self.obj)?.to_string()
        } else if conv::is_date(self.obj)? {
            conv::date(&field, self.obj)?.to_string()
        } else {
            return Err(self.wrong("str"));
        };
        *self.last = Some(text.clone());
        Ok(text)
    }

    fn integer(&self) -> DeResult<i128> {
        if self.obj.is_instance_of::<PyBool>() || !self.obj.is_instance_of::<PyInt>() {
            return Err(self.wrong("int"));
        }
        self.obj.extract::<i128>().map_err(|_| {
            DeError::Placed(to_py(&Error::InvalidValue {
                field: self.field(),
                value: conv::shown(self.obj),
                reason: "must fit 128 bits".to_owned(),
            }))
        })
    }
}

fn limit(field: &str, count: usize) -> Error {
    Error::LimitExceeded {
        field: field.to_owned(),
        count: u64::try_from(count).unwrap_or(u64::MAX),
        limit: u64::try_from(MAX_TEXT_LEN).unwrap_or(u64::MAX),
    }
}

/// A `decimal.Decimal` or an `int` (not a `bool`).
fn is_decimal(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    if obj.is_instance_of::<PyBool>() {
        return Ok(false);
    }
    if obj.is_instance_of::<PyInt>() {
        return Ok(true);
    }
    obj.is_instance(DECIMAL.import(obj.py(), "decimal", "Decimal")?)
}

macro_rules! integer {
    ($method:ident, $visit:ident, $t:ty) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
            let n = self.integer()?;
            match <$t>::try_from(n) {
                Ok(v) => visitor.$visit(v),
                Err(_) => Err(DeError::Placed(to_py(&Error::InvalidValue {
                    field: self.field(),
                    value: n.to_string(),
                    reason: format!("must be from {} to {}", <$t>::MIN, <$t>::MAX),
                }))),
            }
        }
    };
}

impl<'de> de::Deserializer<'de> for PyDe<'_, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(mut self, visitor: V) -> DeResult<V::Value> {
        let obj = self.obj;
        if obj.is_none() {
            visitor.visit_unit()
        } else if obj.is_instance_of::<PyBool>() {
            visitor.visit_bool(obj.extract::<bool>()?)
        } else if obj.is_instance_of::<PyInt>() {
            let n = self.integer()?;
            // Narrowest first: serde's buffered content has no 128-bit integers.
            match (i64::try_from(n), u64::try_from(n)) {
                (Ok(v), _) => visitor.visit_i64(v),
                (_, Ok(v)) => visitor.visit_u64(v),
                _ => visitor.visit_i128(n),
            }
        } else if obj.is_instance_of::<PyString>() || is_decimal(obj)? {
            visitor.visit_string(self.text()?)
        } else if obj.is_instance_of::<PyDict>() {
            self.deserialize_map(visitor)
        } else if obj.is_instance_of::<PyFloat>() {
            Err(self.wrong("decimal.Decimal, int or decimal str"))
        } else {
            self.deserialize_seq(visitor)
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        let flag = conv::flag(&self.field(), self.obj)?;
        visitor.visit_bool(flag)
    }

    integer!(deserialize_i8, visit_i8, i8);
    integer!(deserialize_i16, visit_i16, i16);
    integer!(deserialize_i32, visit_i32, i32);
    integer!(deserialize_i64, visit_i64, i64);
    integer!(deserialize_u8, visit_u8, u8);
    integer!(deserialize_u16, visit_u16, u16);
    integer!(deserialize_u32, visit_u32, u32);
    integer!(deserialize_u64, visit_u64, u64);

    fn deserialize_f32<V: Visitor<'de>>(self, _: V) -> DeResult<V::Value> {
        Err(self.wrong("decimal.Decimal, int or decimal str"))
    }

    fn deserialize_f64<V: Visitor<'de>>(self, _: V) -> DeResult<V::Value> {
        Err(self.wrong("decimal.Decimal, int or decimal str"))
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
        if self.obj.is_none() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        if self.obj.is_none() {
            visitor.visit_unit()
        } else {
            Err(self.wrong("None"))
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
        self,
        name: &'static str,
        visitor: V,
    ) -> DeResult<V::Value> {
        let field = self.field();
        let canonical = match name {
            AMOUNT => conv::decimal(&field, self.obj)?.to_string(),
            DATE => conv::date(&field, self.obj)?.format("%Y-%m-%d").to_string(),
            TIMESTAMP => {
                conv::timestamp(&field, self.obj)?.to_rfc3339_opts(SecondsFormat::AutoSi, true)
            }
            _ => return visitor.visit_newtype_struct(self),
        };
        visitor.visit_newtype_struct(canonical.into_deserializer())
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        self.seq(None, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> DeResult<V::Value> {
        self.seq(None, visitor)
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
        let Ok(dict) = self.obj.cast::<PyDict>() else {
            return Err(self.wrong("dict"));
        };
        let mut entries = Vec::with_capacity(dict.len().min(1024));
        for (k, v) in dict.iter() {
            let key = conv::text(&format!("{} key", self.path), &k)?;
            entries.push((key, v));
        }
        visitor.visit_map(Entries {
            entries: entries.into_iter(),
            value: None,
            path: self.path,
            depth,
            fields: None,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> DeResult<V::Value> {
        let depth = self.deeper()?;
        let Ok(dict) = self.obj.cast::<PyDict>() else {
            return Err(self.wrong("dict"));
        };
        let mut entries = Vec::with_capacity(dict.len().min(64));
        for (k, v) in dict.iter() {
            let key = conv::text(&format!("{} key", self.path), &k)?;
            if !fields.contains(&key.as_str()) {
                return Err(DeError::Placed(to_py(&Error::InvalidValue {
                    field: Path::Key(self.path, &key).to_string(),
                    value: ar_core::shown_value(&key),
                    reason: format!("is not a field: expected {}", names(fields)),
                })));
            }
            // `None` is absent: the field's default, or `missing_field`.
            if !v.is_none() {
                entries.push((key, v));
            }
        }
        visitor.visit_map(Entries {
            entries: entries.into_iter(),
            value: None,
            path: self.path,
            depth,
            fields: Some(fields),
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        mut self,
        _: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> DeResult<V::Value> {
        if self.obj.is_instance_of::<PyString>() {
            let text = self.text()?;
            return visitor.visit_enum(text.into_deserializer());
        }
        let Ok(dict) = self.obj.cast::<PyDict>() else {
            return Err(self.wrong(&format!("str or a dict with one of {}", names(variants))));
        };
        let mut items = dict.iter();
        let (Some((k, v)), None) = (items.next(), items.next()) else {
            return Err(DeError::Placed(to_py(&Error::InvalidValue {
                field: self.field(),
                value: format!("a dict of {} keys", dict.len()),
                reason: format!("expected one key, one of {}", names(variants)),
            })));
        };
        let key = conv::text(&self.field(), &k)?;
        visitor.visit_enum(Variant {
            key,
            value: v,
            path: self.path,
            depth: self.depth,
        })
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        self.deserialize_string(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> DeResult<V::Value> {
        visitor.visit_unit()
    }
}

impl PyDe<'_, '_> {
    fn seq<'de, V: Visitor<'de>>(self, most: Option<usize>, visitor: V) -> DeResult<V::Value> {
        let depth = self.deeper()?;
        let field = self.field();
        if let Some(most) = most {
            // From the length alone, before an element is read.
            let len = conv::reading(&field, || self.obj.len()).unwrap_or(0);
            if len > most {
                return Err(DeError::Placed(to_py(&Error::LimitExceeded {
                    field,
                    count: u64::try_from(len).unwrap_or(u64::MAX),
                    limit: u64::try_from(most).unwrap_or(u64::MAX),
                })));
            }
        }
        let items = conv::items(&field, "list", self.obj)?;
        visitor.visit_seq(Items {
            items: items.into_iter().enumerate(),
            path: self.path,
            depth,
        })
    }
}

struct Items<'a, 'py> {
    items: std::iter::Enumerate<std::vec::IntoIter<Bound<'py, PyAny>>>,
    path: &'a Path<'a>,
    depth: u32,
}

impl<'de> de::SeqAccess<'de> for Items<'_, '_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> DeResult<Option<T::Value>> {
        let Some((i, obj)) = self.items.next() else {
            return Ok(None);
        };
        let at = Path::Index(self.path, i);
        let mut last = None;
        let de = PyDe {
            obj: &obj,
            path: &at,
            depth: self.depth,
            last: &mut last,
        };
        seed.deserialize(de)
            .map(Some)
            .map_err(|e| DeError::Placed(e.place(&at, last.as_deref())))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The entries of a dict: a map's, or a struct's fields (checked).
struct Entries<'a, 'py> {
    entries: std::vec::IntoIter<(String, Bound<'py, PyAny>)>,
    value: Option<(String, Bound<'py, PyAny>)>,
    path: &'a Path<'a>,
    depth: u32,
    fields: Option<&'static [&'static str]>,
}

impl<'de> de::MapAccess<'de> for Entries<'_, '_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> DeResult<Option<K::Value>> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        let at = Path::Key(self.path, &key);
        let out = seed
            .deserialize(key.clone().into_deserializer())
            .map_err(|e: DeError| DeError::Placed(e.place(&at, Some(&key))))?;
        self.value = Some((key, value));
        Ok(Some(out))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> DeResult<V::Value> {
        let _ = self.fields;
        let Some((key, obj)) = self.value.take() else {
            return Err(DeError::Custom("a value without its key".to_owned()));
        };
        let at = Path::Key(self.path, &key);
        let mut last = None;
        let de = PyDe {
            obj: &obj,
            path: &at,
            depth: self.depth,
            last: &mut last,
        };
        seed.deserialize(de)
            .map_err(|e| DeError::Placed(e.place(&at, last.as_deref())))
    }
}

/// An enum given as `{variant: data}`.
struct Variant<'a, 'py> {
    key: String,
    value: Bound<'py, PyAny>,
    path: &'a Path<'a>,
    depth: u32,
}

impl<'de, 'a, 'py> de::EnumAccess<'de> for Variant<'a, 'py> {
    type Error = DeError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> DeResult<(V::Value, Self)> {
        let v = seed
            .deserialize(self.key.clone().into_deserializer())
            .map_err(|e: DeError| DeError::Placed(e.place(self.path, Some(&self.key))))?;
        Ok((v, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'_, '_> {
    type Error = DeError;

    fn unit_variant(self) -> DeResult<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> DeResult<T::Value> {
        let at = Path::Key(self.path, &self.key);
        let mut last = None;
        let de = PyDe {
            obj: &self.value,
            path: &at,
            depth: self.depth,
            last: &mut last,
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

/// A variant's data read by a visitor: as a list (no fields) or as a struct.
struct AsData<V>(Option<&'static [&'static str]>, V);

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for AsData<V> {
    type Value = V::Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        match self.0 {
            Some(fields) => d.deserialize_struct("variant", fields, self.1),
            None => d.deserialize_seq(self.1),
        }
    }
}

// ----- marker types ------------------------------------------------------------------

/// An amount or rate: a `decimal.Decimal` or an `int` (`float`, `bool` and
/// `str` are `invalid_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount(pub Decimal);

/// A business date: a `datetime.date` or `"YYYY-MM-DD"` (a `datetime` is
/// `invalid_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

/// A recorded time: a timezone-aware `datetime.datetime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp(pub DateTime<Utc>);

/// A list of at most `N` elements, refused from its length alone
/// (`limit_exceeded`) before an element is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limited<T, const N: usize>(pub Vec<T>);

/// The canonical text a marker's deserializer hands on, parsed by `parse`.
struct Marked<F>(&'static str, F);

impl<'de, T, F: FnOnce(&str) -> Option<T>> Visitor<'de> for Marked<F> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.1)(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self.0))
    }

    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        let text = String::deserialize(d)?;
        self.visit_str(&text)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(
            AMOUNT,
            Marked("decimal.Decimal, int or decimal str", |t: &str| {
                ar_core::parse_decimal("amount", t).ok().map(Amount)
            }),
        )
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(
            DATE,
            Marked("datetime.date", |t: &str| {
                NaiveDate::parse_from_str(t, "%Y-%m-%d").ok().map(Date)
            }),
        )
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(
            TIMESTAMP,
            Marked("timezone-aware datetime.datetime", |t: &str| {
                DateTime::parse_from_rfc3339(t)
                    .ok()
                    .map(|t| Timestamp(t.with_timezone(&Utc)))
            }),
        )
    }
}

impl<'de, T: Deserialize<'de>, const N: usize> Deserialize<'de> for Limited<T, N> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Elements<T, const N: usize>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>, const N: usize> Visitor<'de> for Elements<T, N> {
            type Value = Limited<T, N>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "a list of at most {N} elements")
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
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
