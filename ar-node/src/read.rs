//! Reading the arguments of a call: every JS value a function or method
//! receives is read here, once and strictly, into plain Rust values
//! ([`FromJs`]); `conv.rs` then turns them into the core's types.
//!
//! napi-rs's own conversions are not used for arguments: they take a string
//! or an array where an object is expected (a string's characters become
//! keys, so a 10 MB `dimensions` string took 98 s), reserve an array's
//! length before reading it (a sparse array of length 2^32 - 1 aborted the
//! process), report a throwing getter as "Failed to get property", and name
//! the struct rather than the field at fault. The rules here:
//!
//! - an object (an options bag, a line, terms, dimensions, ...) must be a
//!   plain object: its prototype `Object.prototype` (of any realm) or
//!   `null`. A string, array, number, `Date`, `Map` or class instance is
//!   `invalid_type` naming the field, before anything is read from it;
//! - an array must be a JS array. Where the core limits the count (lines,
//!   taxes, installments, buckets, group-by keys, weights, dimensions) the
//!   length alone is checked first (`limit_exceeded`, as the core says
//!   it). Elements are read in order and a hole is `undefined`, an error
//!   (an element that may be absent is `null`), so a sparse array fails at
//!   its first hole and a dense one costs what it took to build;
//! - text is a string of Unicode text (a lone surrogate is
//!   `invalid_value`), a flag a boolean, a count a number; a BigInt, a
//!   Symbol or a function is never any of them;
//! - `undefined` and `null` are absent: `None` for an optional field,
//!   `invalid_type` for a required one;
//! - each property is read once, in the declared order, so a getter runs
//!   once. A getter or proxy trap that throws is `invalid_value` naming the
//!   field, with what it threw as the thrown error's `cause`.
//!
//! Properties not declared are ignored.

use std::collections::BTreeMap;
use std::fmt;

use ar_core::{Error, Result};
use napi::bindgen_prelude::Either;

use crate::js::{Found, Scope, Threw, Value, NOT_PLAIN};

/// Elements read per handle scope: a long array never holds more handles.
const CHUNK: u32 = 256;

/// Elements an array's `Vec` is made for before they are read; more grow
/// as read (a length costs JS nothing, reading the elements does).
const MAX_RESERVE: usize = 1024;

/// Where a value is, for messages: `lines[2].taxes[0].rate`, `dimensions["region"]`.
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    /// An argument whose fields are named after it: `items[0].id`.
    Arg(&'a str),
    /// An options argument whose fields are named alone: `date`, as the
    /// conversions of `conv.rs` name them, not `options.date`.
    Options(&'a str),
    /// A property of an object.
    Key(&'a Path<'a>, &'a str),
    /// An element of an array.
    Index(&'a Path<'a>, u32),
    /// A value of a map, by its key (shown at most `MAX_SHOWN` bytes long).
    Entry(&'a Path<'a>, &'a str),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Arg(name) | Path::Options(name) => f.write_str(name),
            Path::Key(Path::Options(_), key) => f.write_str(key),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
            Path::Entry(parent, key) => write!(f, "{parent}[{:?}]", ar_core::shown_value(key)),
        }
    }
}

impl Path<'_> {
    fn name(&self) -> String {
        self.to_string()
    }
}

/// The state of a read: the scope values are made in and a text buffer
/// reused for every string.
pub(crate) struct Reader<'r, 's> {
    scope: &'r mut Scope<'s>,
    buf: &'r mut Vec<u8>,
}

/// A value read from JS.
pub(crate) trait FromJs: Sized {
    /// What the value should be, for messages (`"a string"`, `"Line"`).
    fn expected() -> String;

    /// Reads `value`, found at `path`. `limit`: the most elements an array
    /// (or entries a map) may have, if the core limits them.
    fn read(
        r: &mut Reader<'_, '_>,
        value: Value<'_>,
        path: &Path<'_>,
        limit: Option<usize>,
    ) -> Result<Self>;
}

/// Reads an argument of the current call as `T`. `expected` names what it
/// should be when it is not even that (`"CustomerOptions"`).
pub(crate) fn argument<T: FromJs>(
    scope: &mut Scope<'_>,
    value: Value<'_>,
    path: &Path<'_>,
    expected: &str,
) -> Result<T> {
    argument_limited(scope, value, path, expected, None)
}

/// [`argument`] with the limit of an array or map argument.
pub(crate) fn argument_limited<T: FromJs>(
    scope: &mut Scope<'_>,
    value: Value<'_>,
    path: &Path<'_>,
    expected: &str,
    limit: Option<usize>,
) -> Result<T> {
    with_reader(scope, |r| T::read(r, value, path, limit)).map_err(|e| match e {
        // The argument itself is of the wrong type: say it as the caller
        // names its type.
        Error::InvalidType { field, found, .. } if field == path.name() => Error::InvalidType {
            field,
            expected: expected.to_owned(),
            found,
        },
        other => other,
    })
}

/// Runs `f` with a reader of `scope`.
pub(crate) fn with_reader<T>(
    scope: &mut Scope<'_>,
    f: impl FnOnce(&mut Reader<'_, '_>) -> Result<T>,
) -> Result<T> {
    let mut buf = Vec::new();
    f(&mut Reader {
        scope,
        buf: &mut buf,
    })
}

/// [`with_reader`] for `f` that reads values of `scope` itself (an argument).
pub(crate) fn with_reader_of<'s, T>(
    scope: &mut Scope<'s>,
    f: impl FnOnce(&mut Reader<'_, 's>) -> Result<T>,
) -> Result<T> {
    let mut buf = Vec::new();
    f(&mut Reader {
        scope,
        buf: &mut buf,
    })
}

/// A getter or proxy trap threw while `path` was read: `invalid_value`,
/// with what was thrown kept as the `cause` of the error thrown to JS.
fn threw(threw: Threw, path: &Path<'_>) -> Error {
    let what = threw.describe();
    crate::errors::set_cause(threw);
    Error::InvalidValue {
        field: path.name(),
        value: what,
        reason: "reading it threw this (the error's `cause`)".to_owned(),
    }
}

fn wrong(path: &Path<'_>, expected: &str, found: Found<'_>) -> Error {
    found.error(path.name(), expected)
}

impl<'s> Reader<'_, 's> {
    /// True for a plain object: its prototype is `null`, or an object whose
    /// own prototype is `null` (`Object.prototype`, of any realm).
    fn is_plain(&mut self, value: Value<'_>, path: &Path<'_>) -> Result<bool> {
        self.scope.is_plain(value).map_err(|t| threw(t, path))
    }

    /// What `value` is, for a message; objects as plain or not.
    fn describe(&mut self, value: Value<'_>, path: &Path<'_>) -> Result<String> {
        if value.is_object() && !self.is_plain(value, path)? {
            return Ok(NOT_PLAIN.to_owned());
        }
        Ok(value.found().describe())
    }

    /// Checks that `value` is a plain object; `expected` says what it should be.
    pub(crate) fn object(
        &mut self,
        value: Value<'_>,
        path: &Path<'_>,
        expected: &str,
    ) -> Result<()> {
        if value.is_object() && self.is_plain(value, path)? {
            return Ok(());
        }
        Err(Error::InvalidType {
            field: path.name(),
            expected: expected.to_owned(),
            found: self.describe(value, path)?,
        })
    }

    /// Property `key` of the object `object` (checked by [`Reader::object`]).
    pub(crate) fn get(
        &mut self,
        object: Value<'_>,
        key: &str,
        path: &Path<'_>,
    ) -> Result<Value<'s>> {
        let field = Path::Key(path, key);
        let key = self.scope.key(key).map_err(|t| threw(t, &field))?;
        self.scope
            .property(object, key)
            .map_err(|t| threw(t, &field))
    }

    /// Property `key` of `object` read as `T` (`limit` as for [`FromJs::read`]).
    pub(crate) fn field<T: FromJs>(
        &mut self,
        object: Value<'_>,
        key: &str,
        path: &Path<'_>,
        limit: Option<usize>,
    ) -> Result<T> {
        let value = self.get(object, key, path)?;
        T::read(self, value, &Path::Key(path, key), limit)
    }

    /// Reads the array `value` element by element with `f`, in handle
    /// scopes of [`CHUNK`] elements.
    pub(crate) fn array<T>(
        &mut self,
        value: Value<'_>,
        path: &Path<'_>,
        expected: &str,
        limit: Option<usize>,
        mut f: impl FnMut(&mut Reader<'_, '_>, Value<'_>, &Path<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        if !value.is_array() {
            return Err(Error::InvalidType {
                field: path.name(),
                expected: expected.to_owned(),
                found: self.describe(value, path)?,
            });
        }
        let len = value.array_len();
        let count = len as usize;
        if let Some(limit) = limit.filter(|l| count > *l) {
            return Err(Error::LimitExceeded {
                field: path.name(),
                count: u64::from(len),
                limit: u64::try_from(limit).unwrap_or(u64::MAX),
            });
        }
        let mut out = Vec::with_capacity(count.min(MAX_RESERVE));
        let Reader { scope, buf } = self;
        let mut start = 0u32;
        while start < len {
            let end = start.saturating_add(CHUNK).min(len);
            scope.with(|child| {
                let mut r = Reader { scope: child, buf };
                for i in start..end {
                    let at = Path::Index(path, i);
                    let element = r.scope.element(value, i).map_err(|t| threw(t, &at))?;
                    out.push(f(&mut r, element, &at)?);
                }
                Ok(())
            })?;
            start = end;
        }
        Ok(out)
    }

    /// Runs `f` with a reader of a child handle scope: the values it makes
    /// are released when it returns (one element of an array at a time).
    pub(crate) fn child<T>(
        &mut self,
        f: impl for<'c> FnOnce(&mut Reader<'_, 'c>) -> Result<T>,
    ) -> Result<T> {
        let Reader { scope, buf } = self;
        scope.with(|child| f(&mut Reader { scope: child, buf }))
    }

    /// Element `index` of the array `array`, found at `path`.
    pub(crate) fn element(
        &mut self,
        array: Value<'_>,
        index: u32,
        path: &Path<'_>,
    ) -> Result<Value<'s>> {
        self.scope.element(array, index).map_err(|t| threw(t, path))
    }

    /// The own enumerable string keys of the plain object `object`, as a
    /// JS array (`Object.keys`).
    pub(crate) fn keys(&mut self, object: Value<'_>, path: &Path<'_>) -> Result<Value<'s>> {
        self.scope.own_keys(object).map_err(|t| threw(t, path))
    }

    /// The text of `value`, which must be a string of Unicode text.
    pub(crate) fn text(&mut self, value: Value<'_>, path: &Path<'_>) -> Result<String> {
        match value.unicode_text(self.buf) {
            Ok(text) => Ok(text.to_owned()),
            Err(Found::Other("an object")) => {
                Err(self.wrong(value, path, "a string", Found::Other("an object")))
            }
            Err(found) => Err(wrong(path, "a string", found)),
        }
    }

    /// The error for `value`, found at `path` where `expected` was: an
    /// object described as plain or not, anything else as `found` says.
    fn wrong(
        &mut self,
        value: Value<'_>,
        path: &Path<'_>,
        expected: &str,
        found: Found<'_>,
    ) -> Error {
        if found != Found::Other("an object") {
            return wrong(path, expected, found);
        }
        match self.describe(value, path) {
            Ok(described) => Error::InvalidType {
                field: path.name(),
                expected: expected.to_owned(),
                found: described,
            },
            Err(e) => e,
        }
    }
}

/// `undefined` or `null`.
fn absent(value: Value<'_>) -> bool {
    value.found().is_absent()
}

impl FromJs for String {
    fn expected() -> String {
        "a string".to_owned()
    }

    fn read(
        r: &mut Reader<'_, '_>,
        value: Value<'_>,
        path: &Path<'_>,
        _: Option<usize>,
    ) -> Result<Self> {
        r.text(value, path)
    }
}

impl FromJs for bool {
    fn expected() -> String {
        "a boolean".to_owned()
    }

    fn read(
        r: &mut Reader<'_, '_>,
        value: Value<'_>,
        path: &Path<'_>,
        _: Option<usize>,
    ) -> Result<Self> {
        match value.boolean_value() {
            Some(v) => Ok(v),
            None => Err(r.wrong(value, path, "a boolean", value.found())),
        }
    }
}

impl FromJs for f64 {
    fn expected() -> String {
        "a number".to_owned()
    }

    fn read(
        r: &mut Reader<'_, '_>,
        value: Value<'_>,
        path: &Path<'_>,
        _: Option<usize>,
    ) -> Result<Self> {
        match value.number() {
            Some(v) => Ok(v),
            None => Err(r.wrong(value, path, "a number", value.found())),
        }
    }
}

/// A decimal string, or a number, read as such so that `conv::decimal` can
/// refuse it saying it was a number.
impl FromJs for Either<String, f64> {
    fn expected() -> String {
        "a decimal string such as \"12.50\"".to_owned()
    }

    fn read(
        r: &mut Reader<'_, '_>,
        value: Value<'_>,
        path: &Path<'_>,
        _: Option<usize>,
    ) -> Result<Self> {
        if let Some(n) = value.number() {
            return Ok(Either::B(n));
        }
        match value.unicode_text(r.buf) {
            Ok(text) => Ok(Either::A(text.to_owned())),
            Err(Found::Other("an object")) => {
                Err(r.wrong(value, path, &Self::expected(), Found::Other("an object")))
            }
            Err(found) => Err(wrong(path, &Self::expected(), found)),
        }
    }
}

/// A struct read from a plain object ([`from_js_object`]).
pub(crate) trait PlainObject {}

/// Text or an object: terms (`"net 30"` or a `Terms`), a CEI variant.
impl<B: FromJs + PlainObject> FromJs for Either<String, B> {
    fn expected() -> String {
        format!("a string or {}", B::expected())
    }

    fn read(
        r: &mut Reader<'_, '_>,
        value: Value<'_>,
        path: &Path<'_>,
        limit: Option<usize>,
    ) -> Result<Self> {
        match value.unicode_text(r.buf) {
            Ok(text) => Ok(Either::A(text.to_owned())),
            Err(found @ Found::LoneSurrogate(_)) => Err(wrong(path, &Self::expected(), found)),
            Err(_) if value.is_object() => B::read(r, value, path, limit).map(Either::B),
            Err(Found::Other("an object")) => {
                Err(r.wrong(value, path, &Self::expected(), Found::Other("an object")))
            }
            Err(found) => Err(wrong(path, &Self::expected(), found)),
        }
    }
}

/// Absent (`undefined` or `null`) or a `T`.
impl<T: FromJs> FromJs for Option<T> {
    fn expected() -> String {
        T::expected()
    }

    fn read(
        r: &mut Reader<'_, '_>,
        value: Value<'_>,
        path: &Path<'_>,
        limit: Option<usize>,
    ) -> Result<Self> {
        if absent(value) {
            return Ok(None);
        }
        T::read(r, value, path, limit).map(Some)
    }
}

impl<T: FromJs> FromJs for Vec<T> {
    fn expected() -> String {
        format!("an array of {}", T::expected())
    }

    fn read(
        r: &mut Reader<'_, '_>,
        value: Value<'_>,
        path: &Path<'_>,
        limit: Option<usize>,
    ) -> Result<Self> {
        r.array(value, path, &Self::expected(), limit, |r, element, at| {
            // A hole reads as `undefined`: only `null` stands for "none" in
            // an array, so that a sparse array fails at its first hole.
            if element.found() == Found::Undefined {
                return Err(wrong(at, &T::expected(), Found::Undefined));
            }
            T::read(r, element, at, None)
        })
    }
}

/// A map of text to text (dimensions): a plain object of string values.
impl FromJs for BTreeMap<String, String> {
    fn expected() -> String {
        "an object of strings".to_owned()
    }

    fn read(
        r: &mut Reader<'_, '_>,
        value: Value<'_>,
        path: &Path<'_>,
        limit: Option<usize>,
    ) -> Result<Self> {
        r.object(value, path, &Self::expected())?;
        let keys = r.scope.own_keys(value).map_err(|t| threw(t, path))?;
        let len = keys.array_len();
        if let Some(limit) = limit.filter(|l| len as usize > *l) {
            return Err(Error::LimitExceeded {
                field: path.name(),
                count: u64::from(len),
                limit: u64::try_from(limit).unwrap_or(u64::MAX),
            });
        }
        let mut map = BTreeMap::new();
        for i in 0..len {
            let key = r.scope.element(keys, i).map_err(|t| threw(t, path))?;
            let key = r.text(key, path)?;
            let entry = Path::Entry(path, &key);
            let value = r.get(value, &key, path).map_err(|e| match e {
                Error::InvalidValue { value, reason, .. } => Error::InvalidValue {
                    field: entry.name(),
                    value,
                    reason,
                },
                other => other,
            })?;
            let text = r.text(value, &entry)?;
            map.insert(key, text);
        }
        Ok(map)
    }
}

/// Implements [`FromJs`] for a `#[napi(object)]` struct given as a plain
/// object: each field read from its JS property, in the order listed,
/// `max N` giving the limit of an array or map field.
macro_rules! from_js_object {
    ($ty:ident $(, $field:ident: $js:literal $(max $limit:expr)?)* $(,)?) => {
        impl $crate::read::PlainObject for $ty {}

        impl $crate::read::FromJs for $ty {
            fn expected() -> String {
                stringify!($ty).to_owned()
            }

            fn read(
                r: &mut $crate::read::Reader<'_, '_>,
                value: $crate::js::Value<'_>,
                path: &$crate::read::Path<'_>,
                _: Option<usize>,
            ) -> ar_core::Result<Self> {
                r.object(value, path, stringify!($ty))?;
                Ok($ty {
                    $($field: r.field(value, $js, path, $crate::read::limit!($($limit)?))?,)*
                })
            }
        }
    };
}
pub(crate) use from_js_object;

/// The limit of a field of [`from_js_object`]: `None`, or `Some(limit)`.
macro_rules! limit {
    () => {
        None
    };
    ($limit:expr) => {
        Some($limit)
    };
}
pub(crate) use limit;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_fields_as_js_spells_them() {
        let options = Path::Options("options");
        let lines = Path::Key(&options, "lines");
        let line = Path::Index(&lines, 2);
        let taxes = Path::Key(&line, "taxes");
        assert_eq!(options.to_string(), "options");
        assert_eq!(lines.to_string(), "lines");
        assert_eq!(Path::Index(&taxes, 0).to_string(), "lines[2].taxes[0]");
        let items = Path::Arg("items");
        let item = Path::Index(&items, 0);
        assert_eq!(Path::Key(&item, "id").to_string(), "items[0].id");
        let dims = Path::Key(&options, "dimensions");
        assert_eq!(
            Path::Entry(&dims, "region").to_string(),
            "dimensions[\"region\"]"
        );
        // A key is shown at most 64 bytes long.
        let long = "k".repeat(10_000);
        assert!(Path::Entry(&dims, &long).to_string().len() < 120);
    }
}
