//! Raw Node-API reads for tables (`Book`, `Ledger.fromTables`; see
//! `tables.rs`), and the clearing of an exception a failed conversion left
//! pending (`errors.rs`).
//!
//! Why raw: a `Book` is read cell by cell, 100k to a million rows, and a
//! Node-API call costs about as much as parsing the cell (some 40 ns each
//! for `napi_get_element`, `napi_get_property` and
//! `napi_get_value_string_utf8` on the machine this was measured on). Two
//! ways to read a column, both here:
//!
//! - [`Encoder`], the fast path: one call of a small JS function (compiled
//!   once per `Book`) per column, which walks the records (or the column
//!   array) in optimized JS and writes the column's text as UTF-8 into a
//!   reused `Uint8Array`, with the end of each cell in a `Uint32Array`.
//!   Rust then reads both buffers in place: no Node-API call per cell.
//!   The JS function gives up on the first cell that is not a string (nor,
//!   for an optional column, `null` or `undefined`) and returns its row.
//! - Cell by cell ([`Scope::element`], [`Scope::property`], [`Value::text`]
//!   into one reused buffer): for a column the encoder gave up on, so that
//!   the error names exactly what was found where, and as the reference the
//!   encoder is tested against (`AR_NODE_BOOK_READ=cells`, see `tables.rs`).
//!
//! napi-rs's safe conversions would read a string with two calls and an
//! allocation, and look properties up by C string (a new key per call).
//! This is the one module of the crate with `unsafe` code: thin calls of the
//! C API, each with its safety argument.
//!
//! Handle lifetimes are checked by the compiler. A [`Value<'s>`] is a handle
//! of the scope `'s`. Values are made only through the innermost open
//! [`Scope`] (`&mut`), and [`Scope::with`] opens a child scope for a closure
//! whose values cannot escape it (a higher-ranked lifetime), so no handle is
//! used after its scope is closed, and scopes close in order.
#![allow(unsafe_code)]

use std::ffi::{c_char, c_void};
use std::marker::PhantomData;
use std::ptr;

use napi::bindgen_prelude::{FromNapiValue, Unknown};
use napi::{sys, Env, JsValue, UnknownRef};

/// Clears the JS exception a failed Node-API call left pending, if any, so
/// that the error thrown instead is ours (with its `code`). napi-rs's own
/// conversions can leave one: reading a property of `null` in a list of
/// records makes V8 throw a `TypeError` that would otherwise win.
pub(crate) fn clear_pending_exception(env: &Env) {
    let mut pending = false;
    // SAFETY: `env` is the current call's environment; `pending` is a valid
    // out pointer.
    let status = unsafe { sys::napi_is_exception_pending(env.raw(), &mut pending) };
    if status == sys::Status::napi_ok && pending {
        let mut exception = ptr::null_mut();
        // SAFETY: as above; `exception` is a valid out pointer, and the
        // exception it receives is dropped with the current handle scope.
        unsafe { sys::napi_get_and_clear_last_exception(env.raw(), &mut exception) };
    }
}

/// A child scope opened by [`Scope::with`], closed when dropped (also when
/// the closure panics: the panic is caught by `errors::guard`, and the
/// scopes still close in order).
struct Open {
    env: sys::napi_env,
    raw: sys::napi_handle_scope,
}

impl Drop for Open {
    fn drop(&mut self) {
        // SAFETY: `raw` was opened by `Scope::with` and is the innermost
        // scope: the parent is borrowed `&mut` while the child exists, and
        // the child's values cannot outlive the closure (a higher-ranked
        // lifetime), so no other scope was opened or left open since.
        unsafe { sys::napi_close_handle_scope(self.env, self.raw) };
    }
}

/// A JS value handle, valid while the handle scope `'s` is open.
#[derive(Clone, Copy)]
pub(crate) struct Value<'s> {
    env: sys::napi_env,
    raw: sys::napi_value,
    _scope: PhantomData<&'s ()>,
}

/// What a value is, when it is not the string expected.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Found<'a> {
    /// `undefined`, or a missing property or element.
    Undefined,
    /// `null`.
    Null,
    /// A number (the value, for the message).
    Number(f64),
    /// Anything else: `"an object"`, `"a boolean"`, ...
    Other(&'static str),
    /// A string with a lone surrogate (`"\ud800"`): not Unicode text, so
    /// it has no UTF-8 form. The text with U+FFFD in its place, for the
    /// message.
    LoneSurrogate(&'a str),
}

impl Found<'_> {
    /// `undefined` or `null`: the value is absent.
    pub(crate) fn is_absent(self) -> bool {
        matches!(self, Found::Undefined | Found::Null)
    }

    /// As said in an error message: `undefined`, `the number 12.5`, ...
    pub(crate) fn describe(self) -> String {
        match self {
            Found::Undefined => "undefined".to_owned(),
            Found::Null => "null".to_owned(),
            Found::Number(n) => format!("the number {n}"),
            Found::Other(what) => what.to_owned(),
            Found::LoneSurrogate(_) => "a string with a lone surrogate".to_owned(),
        }
    }

    /// The error for finding this where `expected` was: `invalid_type`
    /// naming `field`, or `invalid_value` for a string that is not Unicode
    /// text (as the Python binding says it).
    pub(crate) fn error(self, field: String, expected: &str) -> ar_core::Error {
        match self {
            Found::LoneSurrogate(lossy) => ar_core::Error::InvalidValue {
                field,
                value: ar_core::shown_value(lossy),
                reason: "not valid Unicode: it holds a lone surrogate (U+D800 to U+DFFF), \
                         shown here as U+FFFD"
                    .to_owned(),
            },
            other => ar_core::Error::InvalidType {
                field,
                expected: expected.to_owned(),
                found: other.describe(),
            },
        }
    }
}

/// How an object that is not a plain object is described in messages.
pub(crate) const NOT_PLAIN: &str = "a Date, Map or other non-plain object";

/// A JS exception was thrown while reading (by a getter or a proxy); it has
/// been cleared, so the caller can report its own error instead. It holds
/// what was thrown, a handle of the scope the failed call was made in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Threw {
    env: sys::napi_env,
    exception: sys::napi_value,
}

impl Threw {
    /// A failure that threw nothing (a Node-API call refused its arguments).
    fn nothing(env: sys::napi_env) -> Self {
        Threw {
            env,
            exception: ptr::null_mut(),
        }
    }

    /// What was thrown, in words for a message (at most `MAX_SHOWN`
    /// bytes of it): an error's `message`, a string, or its kind. Reading
    /// the message may run a getter; what that throws is dropped.
    pub(crate) fn describe(self) -> String {
        if self.exception.is_null() {
            return "undefined".to_owned();
        }
        let thrown = Value {
            env: self.env,
            raw: self.exception,
            _scope: PhantomData,
        };
        let mut is_error = false;
        // SAFETY: a live handle (see `keep`); `is_error` is a valid out pointer.
        let status = unsafe { sys::napi_is_error(self.env, self.exception, &mut is_error) };
        let shown = if status == sys::Status::napi_ok && is_error {
            let mut raw = ptr::null_mut();
            // SAFETY: as above; the name is a NUL-terminated C string; the
            // value lands in the current scope.
            let status = unsafe {
                sys::napi_get_named_property(
                    self.env,
                    self.exception,
                    c"message".as_ptr(),
                    &mut raw,
                )
            };
            if status != sys::Status::napi_ok || raw.is_null() {
                clear_pending_exception(&Env::from_raw(self.env));
                return "an Error".to_owned();
            }
            Value {
                env: self.env,
                raw,
                _scope: PhantomData,
            }
        } else {
            thrown
        };
        let mut buf = Vec::new();
        match shown.text(&mut buf) {
            Ok(text) => ar_core::shown_value(text),
            Err(found) => found.describe(),
        }
    }

    /// The environment of the failed call.
    pub(crate) fn env(self) -> Env {
        Env::from_raw(self.env)
    }

    /// What was thrown, kept past the scope it was caught in (as the
    /// `cause` of our own error). Call it while that scope is still open,
    /// that is right after the failed call.
    pub(crate) fn keep(self) -> Option<Kept> {
        if self.exception.is_null() {
            return None;
        }
        let value = Value {
            env: self.env,
            raw: self.exception,
            _scope: PhantomData,
        };
        // Node-API refers to objects only (before Node 21): a primitive is
        // kept as its Rust value.
        match value.found() {
            Found::Other("an object" | "an array" | "a function") => {
                // SAFETY: `exception` is a live handle (see above).
                unsafe { UnknownRef::<false>::from_napi_value(self.env, self.exception) }
                    .ok()
                    .map(Kept::Object)
            }
            Found::Null => Some(Kept::Null),
            Found::Number(n) => Some(Kept::Number(n)),
            _ => {
                if let Some(b) = value.boolean_value() {
                    return Some(Kept::Boolean(b));
                }
                let mut buf = Vec::new();
                value.text(&mut buf).ok().map(|t| Kept::Text(t.to_owned()))
            }
        }
    }
}

/// A thrown value kept for later ([`Threw::keep`]).
pub(crate) enum Kept {
    /// An object (an `Error`), by reference.
    Object(UnknownRef<false>),
    /// A thrown string.
    Text(String),
    /// A thrown number.
    Number(f64),
    /// A thrown boolean.
    Boolean(bool),
    /// A thrown `null`.
    Null,
}

impl Kept {
    /// Sets it as the `cause` of `error` (an object of the current call),
    /// and releases it. Advice for the reader of the error: a failure here
    /// is ignored.
    pub(crate) fn set_as_cause(self, env: &Env, error: sys::napi_value) {
        let env_raw = env.raw();
        let mut value = ptr::null_mut();
        let status = match self {
            Kept::Object(r) => {
                let status = match r.get_value(env) {
                    Ok(v) => {
                        value = v.raw();
                        sys::Status::napi_ok
                    }
                    Err(_) => sys::Status::napi_generic_failure,
                };
                let _ = r.unref(env);
                status
            }
            // SAFETY: `env` is the current call's; `value` is a valid out
            // pointer; the text is valid UTF-8 of the given length.
            Kept::Text(t) => unsafe {
                sys::napi_create_string_utf8(
                    env_raw,
                    t.as_ptr().cast::<c_char>(),
                    isize::try_from(t.len()).unwrap_or(0),
                    &mut value,
                )
            },
            // SAFETY: as above.
            Kept::Number(n) => unsafe { sys::napi_create_double(env_raw, n, &mut value) },
            // SAFETY: as above.
            Kept::Boolean(b) => unsafe { sys::napi_get_boolean(env_raw, b, &mut value) },
            // SAFETY: as above.
            Kept::Null => unsafe { sys::napi_get_null(env_raw, &mut value) },
        };
        if status == sys::Status::napi_ok && !value.is_null() {
            // SAFETY: live handles; a NUL-terminated name.
            unsafe { sys::napi_set_named_property(env_raw, error, c"cause".as_ptr(), value) };
        }
        clear_pending_exception(env);
    }

    /// Releases it without using it.
    pub(crate) fn release(self, env: &Env) {
        if let Kept::Object(r) = self {
            let _ = r.unref(env);
        }
    }
}

/// An open handle scope: the innermost one is the only one that can make
/// values (it is borrowed `&mut`), and its values are [`Value<'s>`].
pub(crate) struct Scope<'s> {
    env: sys::napi_env,
    /// Invariant in `'s`, so a child's values never pass for the parent's.
    _values: PhantomData<fn(&'s ()) -> &'s ()>,
}

impl<'s> Scope<'s> {
    /// The scope of the current call: its values live until the call
    /// returns. `env` is the call's environment. Make one root per call (a
    /// second one could make values in a child scope of the first).
    pub(crate) fn root(env: &'s Env) -> Self {
        Scope {
            env: env.raw(),
            _values: PhantomData,
        }
    }

    /// An argument of the current call, as a value of this scope.
    pub(crate) fn arg(&self, value: &Unknown<'_>) -> Value<'s> {
        self.value(value.raw())
    }

    fn value(&self, raw: sys::napi_value) -> Value<'s> {
        Value {
            env: self.env,
            raw,
            _scope: PhantomData,
        }
    }

    /// Runs `f` in a child scope, closed when `f` returns: every value made
    /// in it is released then (a table is read in chunks of rows this way,
    /// so a million rows never hold a million handles).
    pub(crate) fn with<R>(
        &mut self,
        f: impl for<'c> FnOnce(&mut Scope<'c>) -> ar_core::Result<R>,
    ) -> ar_core::Result<R> {
        let mut raw: sys::napi_handle_scope = ptr::null_mut();
        // SAFETY: `env` is the environment of the current call (we run on
        // its thread, inside the call); `raw` is a valid out pointer.
        let status = unsafe { sys::napi_open_handle_scope(self.env, &mut raw) };
        if status != sys::Status::napi_ok {
            return Err(ar_core::Error::Internal {
                message: format!("could not open a handle scope (status {status})"),
            });
        }
        let _open = Open { env: self.env, raw };
        let mut child = Scope {
            env: self.env,
            _values: PhantomData,
        };
        f(&mut child)
    }

    /// A property key (a JS string) to look properties up with, made once.
    pub(crate) fn key(&mut self, name: &str) -> Result<Value<'s>, Threw> {
        let mut raw = ptr::null_mut();
        let len = isize::try_from(name.len()).map_err(|_| Threw::nothing(self.env))?;
        // SAFETY: `name` is valid UTF-8 of `len` bytes; `raw` is a valid out
        // pointer; the value lands in the innermost scope, which is `self`.
        let status = unsafe {
            sys::napi_create_string_utf8(self.env, name.as_ptr().cast::<c_char>(), len, &mut raw)
        };
        self.made(status, raw)
    }

    /// Element `index` of `array` (`undefined` past the end).
    pub(crate) fn element(&mut self, array: Value<'_>, index: u32) -> Result<Value<'s>, Threw> {
        let mut raw = ptr::null_mut();
        // SAFETY: `array.raw` is a live handle (values cannot outlive their
        // scope); `raw` is a valid out pointer; the result lands in `self`.
        let status = unsafe { sys::napi_get_element(self.env, array.raw, index, &mut raw) };
        self.made(status, raw)
    }

    /// True when `array` has an element at `index` (false for a hole of a
    /// sparse array, or past its end).
    pub(crate) fn has_element(&mut self, array: Value<'_>, index: u32) -> Result<bool, Threw> {
        let mut has = false;
        // SAFETY: as `element`; `has` is a valid out pointer.
        let status = unsafe { sys::napi_has_element(self.env, array.raw, index, &mut has) };
        if status == sys::Status::napi_ok {
            Ok(has)
        } else {
            self.made(status, ptr::null_mut()).map(|_| false)
        }
    }

    /// Property `key` (made by [`Scope::key`]) of `object`; `undefined` when
    /// absent. Fails for `null` and `undefined` objects.
    pub(crate) fn property(
        &mut self,
        object: Value<'_>,
        key: Value<'_>,
    ) -> Result<Value<'s>, Threw> {
        let mut raw = ptr::null_mut();
        // SAFETY: both handles are live (see `element`); `raw` is a valid out
        // pointer; the result lands in `self`.
        let status = unsafe { sys::napi_get_property(self.env, object.raw, key.raw, &mut raw) };
        self.made(status, raw)
    }

    /// The prototype of `object` (`null` for `Object.create(null)`); runs a
    /// proxy's `getPrototypeOf` trap.
    pub(crate) fn prototype(&mut self, object: Value<'_>) -> Result<Value<'s>, Threw> {
        let mut raw = ptr::null_mut();
        // SAFETY: as `element`.
        let status = unsafe { sys::napi_get_prototype(self.env, object.raw, &mut raw) };
        self.made(status, raw)
    }

    /// True for a plain object: an object (not an array or a function)
    /// whose prototype is `null`, or an object whose own prototype is
    /// `null` (`Object.prototype`, of any realm). Not a `Date`, a `Map`, a
    /// boxed string or a class instance.
    pub(crate) fn is_plain(&mut self, value: Value<'_>) -> Result<bool, Threw> {
        if !value.is_object() {
            return Ok(false);
        }
        let proto = self.prototype(value)?;
        if proto.is_null() {
            return Ok(true);
        }
        Ok(self.prototype(proto)?.is_null())
    }

    /// The own enumerable string-keyed property names of `object`, as an
    /// array of strings (`Object.keys`); runs a proxy's `ownKeys` trap.
    pub(crate) fn own_keys(&mut self, object: Value<'_>) -> Result<Value<'s>, Threw> {
        let mut raw = ptr::null_mut();
        // SAFETY: as `element`.
        let status = unsafe {
            sys::napi_get_all_property_names(
                self.env,
                object.raw,
                sys::KeyCollectionMode::own_only,
                sys::KeyFilter::enumerable | sys::KeyFilter::skip_symbols,
                sys::KeyConversion::numbers_to_strings,
                &mut raw,
            )
        };
        self.made(status, raw)
    }

    /// `undefined`.
    pub(crate) fn undefined(&mut self) -> Result<Value<'s>, Threw> {
        let mut raw = ptr::null_mut();
        // SAFETY: `raw` is a valid out pointer; the result lands in `self`.
        let status = unsafe { sys::napi_get_undefined(self.env, &mut raw) };
        self.made(status, raw)
    }

    /// `true` or `false`.
    pub(crate) fn boolean(&mut self, value: bool) -> Result<Value<'s>, Threw> {
        let mut raw = ptr::null_mut();
        // SAFETY: as `undefined`.
        let status = unsafe { sys::napi_get_boolean(self.env, value, &mut raw) };
        self.made(status, raw)
    }

    /// Compiles and runs `source` as a script: its completion value.
    fn script(&mut self, source: &str) -> Result<Value<'s>, Threw> {
        let text = self.key(source)?;
        let mut raw = ptr::null_mut();
        // SAFETY: `text` is a live string handle; `raw` is a valid out
        // pointer; the result lands in `self`.
        let status = unsafe { sys::napi_run_script(self.env, text.raw, &mut raw) };
        self.made(status, raw)
    }

    /// Calls `function` with `this` undefined.
    fn call(&mut self, function: Value<'_>, args: &[Value<'_>]) -> Result<Value<'s>, Threw> {
        let this = self.undefined()?;
        let argv: Vec<sys::napi_value> = args.iter().map(|a| a.raw).collect();
        let mut raw = ptr::null_mut();
        // SAFETY: every handle is live; `argv` holds `argv.len()` handles;
        // `raw` is a valid out pointer; the result lands in `self`.
        let status = unsafe {
            sys::napi_call_function(
                self.env,
                this.raw,
                function.raw,
                argv.len(),
                argv.as_ptr(),
                &mut raw,
            )
        };
        self.made(status, raw)
    }

    /// The value a call made, or [`Threw`] after clearing what it threw.
    fn made(&self, status: sys::napi_status, raw: sys::napi_value) -> Result<Value<'s>, Threw> {
        if status == sys::Status::napi_ok && !raw.is_null() {
            return Ok(self.value(raw));
        }
        let mut exception = ptr::null_mut();
        // SAFETY: `env` is the current call's; clearing a pending exception
        // (if any) lets the call throw our own error instead. The exception
        // lands in `self`, like any value made here.
        let status = unsafe { sys::napi_get_and_clear_last_exception(self.env, &mut exception) };
        if status != sys::Status::napi_ok {
            exception = ptr::null_mut();
        }
        // Nothing pending comes back as `undefined`: not a thrown value.
        let mut kind = 0;
        // SAFETY: as above; `kind` is a valid out pointer.
        let typed = !exception.is_null()
            && unsafe { sys::napi_typeof(self.env, exception, &mut kind) } == sys::Status::napi_ok;
        if !typed || kind == sys::ValueType::napi_undefined {
            exception = ptr::null_mut();
        }
        Err(Threw {
            env: self.env,
            exception,
        })
    }
}

impl Value<'_> {
    /// True for a JS array.
    pub(crate) fn is_array(self) -> bool {
        let mut result = false;
        // SAFETY: a live handle of the current call's environment; `result`
        // is a valid out pointer.
        let status = unsafe { sys::napi_is_array(self.env, self.raw, &mut result) };
        status == sys::Status::napi_ok && result
    }

    /// The length of an array (0 for anything else).
    pub(crate) fn array_len(self) -> u32 {
        let mut len = 0u32;
        // SAFETY: as `is_array`.
        let status = unsafe { sys::napi_get_array_length(self.env, self.raw, &mut len) };
        if status == sys::Status::napi_ok {
            len
        } else {
            0
        }
    }

    /// What the value is, for an error message or to tell absent from wrong.
    pub(crate) fn found(self) -> Found<'static> {
        let mut kind = 0;
        // SAFETY: as `is_array`.
        let status = unsafe { sys::napi_typeof(self.env, self.raw, &mut kind) };
        if status != sys::Status::napi_ok {
            return Found::Other("a value that could not be read");
        }
        match kind {
            sys::ValueType::napi_undefined => Found::Undefined,
            sys::ValueType::napi_null => Found::Null,
            sys::ValueType::napi_number => {
                let mut number = f64::NAN;
                // SAFETY: as `is_array`; the value is a number.
                unsafe { sys::napi_get_value_double(self.env, self.raw, &mut number) };
                Found::Number(number)
            }
            sys::ValueType::napi_boolean => Found::Other("a boolean"),
            sys::ValueType::napi_string => Found::Other("a string"),
            sys::ValueType::napi_symbol => Found::Other("a symbol"),
            sys::ValueType::napi_object => Found::Other(if self.is_array() {
                "an array"
            } else {
                "an object"
            }),
            sys::ValueType::napi_function => Found::Other("a function"),
            9 => Found::Other("a bigint"),
            _ => Found::Other("a value of another type"),
        }
    }

    /// A reference to the value, keeping it alive across calls.
    fn keep(self) -> Option<UnknownRef<false>> {
        // SAFETY: a live handle of `env`.
        unsafe { UnknownRef::<false>::from_napi_value(self.env, self.raw) }.ok()
    }

    /// True for `null`.
    pub(crate) fn is_null(self) -> bool {
        self.found() == Found::Null
    }

    /// The boolean, or `None` for anything else.
    pub(crate) fn boolean_value(self) -> Option<bool> {
        let mut value = false;
        // SAFETY: as `is_array`.
        let status = unsafe { sys::napi_get_value_bool(self.env, self.raw, &mut value) };
        (status == sys::Status::napi_ok).then_some(value)
    }

    /// The number, or `None` for anything else.
    pub(crate) fn number(self) -> Option<f64> {
        let mut number = f64::NAN;
        // SAFETY: as `is_array`.
        let status = unsafe { sys::napi_get_value_double(self.env, self.raw, &mut number) };
        (status == sys::Status::napi_ok).then_some(number)
    }

    /// The bytes of a `Uint8Array` or `Uint32Array` (4 bytes per element,
    /// native order).
    ///
    /// # Safety
    /// The slice points into the array's buffer: until it is dropped, no JS
    /// code may run that could write to, detach or resize that buffer.
    unsafe fn typed_bytes<'a>(self) -> Option<&'a [u8]> {
        let mut kind = 0;
        let mut len = 0usize;
        let mut data: *mut c_void = ptr::null_mut();
        // SAFETY: as `is_array`; every out pointer is valid (the buffer is
        // not asked for). Node materializes the array's buffer off the JS
        // heap before returning `data`, so the GC never moves it.
        let status = unsafe {
            sys::napi_get_typedarray_info(
                self.env,
                self.raw,
                &mut kind,
                &mut len,
                &mut data,
                ptr::null_mut(),
                ptr::null_mut(),
            )
        };
        let width = match kind {
            sys::TypedarrayType::uint8_array => 1,
            sys::TypedarrayType::uint32_array => 4,
            _ => return None,
        };
        if status != sys::Status::napi_ok || data.is_null() {
            return None;
        }
        // SAFETY: `data` points to `len` elements of `width` bytes of the
        // array's (off-heap) buffer; the caller keeps JS from touching it.
        Some(unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len.checked_mul(width)?) })
    }

    /// True for an object (not `null`, not an array or a function).
    pub(crate) fn is_object(self) -> bool {
        self.found() == Found::Other("an object")
    }

    /// The string, copied into `buf` (grown when too small, else reused);
    /// what the value is instead when it is not a string.
    pub(crate) fn text(self, buf: &mut Vec<u8>) -> Result<&str, Found<'_>> {
        if buf.len() < 64 {
            buf.resize(256, 0);
        }
        let mut copied = self.write_utf8(buf)?;
        // V8 writes whole characters only (up to 4 bytes), and at most
        // `len - 1` bytes: a copy this close to the end may be cut short.
        if copied + 4 >= buf.len() {
            let mut len = 0usize;
            // SAFETY: as `is_array`; a null buffer asks for the length only.
            let status = unsafe {
                sys::napi_get_value_string_utf8(self.env, self.raw, ptr::null_mut(), 0, &mut len)
            };
            if status != sys::Status::napi_ok {
                return Err(self.found());
            }
            buf.resize(len + 1, 0);
            copied = self.write_utf8(buf)?;
        }
        let bytes = buf.get(..copied).unwrap_or_default();
        std::str::from_utf8(bytes).map_err(|_| Found::Other("text that is not UTF-8"))
    }

    /// The length of a string in bytes of UTF-8 (a lone surrogate counting
    /// as U+FFFD), found without copying it; `None` for anything else.
    pub(crate) fn utf8_len(self) -> Option<usize> {
        let mut len = 0usize;
        // SAFETY: as `is_array`; a null buffer asks for the length only.
        let status = unsafe {
            sys::napi_get_value_string_utf8(self.env, self.raw, ptr::null_mut(), 0, &mut len)
        };
        (status == sys::Status::napi_ok).then_some(len)
    }

    /// [`Value::text`] of a string that must be Unicode text: one with a
    /// lone surrogate (which `text` reads as U+FFFD, as Node-API writes it)
    /// is [`Found::LoneSurrogate`].
    pub(crate) fn unicode_text(self, buf: &mut Vec<u8>) -> Result<&str, Found<'_>> {
        let text = self.text(buf)?;
        // Look at the UTF-16 only when a lone surrogate may be there.
        if text.contains('\u{FFFD}') && self.has_lone_surrogate() {
            return Err(Found::LoneSurrogate(text));
        }
        Ok(text)
    }

    /// True for a string with a surrogate that is not half of a pair.
    fn has_lone_surrogate(self) -> bool {
        let mut len = 0usize;
        // SAFETY: as `is_array`; a null buffer asks for the length only.
        let status = unsafe {
            sys::napi_get_value_string_utf16(self.env, self.raw, ptr::null_mut(), 0, &mut len)
        };
        if status != sys::Status::napi_ok {
            return false;
        }
        let mut units = vec![0u16; len.saturating_add(1)];
        let mut copied = 0usize;
        // SAFETY: `units` is writable for `units.len()` code units (Node
        // writes at most `units.len() - 1` and a NUL).
        let status = unsafe {
            sys::napi_get_value_string_utf16(
                self.env,
                self.raw,
                units.as_mut_ptr(),
                units.len(),
                &mut copied,
            )
        };
        status == sys::Status::napi_ok
            && char::decode_utf16(units.iter().take(copied).copied()).any(|c| c.is_err())
    }

    /// Copies the string into `buf` (at most `buf.len() - 1` bytes, then a
    /// NUL); the number of bytes copied.
    fn write_utf8(self, buf: &mut [u8]) -> Result<usize, Found<'static>> {
        let mut copied = 0usize;
        // SAFETY: `buf` is writable for `buf.len()` bytes (Node writes at
        // most `buf.len() - 1` bytes and a NUL); the handle is live.
        let status = unsafe {
            sys::napi_get_value_string_utf8(
                self.env,
                self.raw,
                buf.as_mut_ptr().cast::<c_char>(),
                buf.len(),
                &mut copied,
            )
        };
        if status == sys::Status::napi_ok {
            Ok(copied.min(buf.len()))
        } else {
            Err(self.found())
        }
    }
}

/// The column encoder of the fast path (see the module documentation):
/// `(table, key, optional, bytes, ends) => [bytes, ends, used, n] | row`.
///
/// `table` is an array of records (`key`: the property to read) or a column
/// array (`key` undefined). Each cell's UTF-8 is appended to `bytes` (grown
/// by doubling when full, else reused from the last column), and
/// `ends[row]` is the offset where it ends, with bit 31 set for `undefined`
/// and bit 30 for `null` (accepted only when `optional`; a hole of a
/// column array is not `undefined` but an error, so that a sparse array of
/// length 2^32 - 1 fails at its first hole rather than being read to its
/// length). Lone surrogates
/// become U+FFFD, as `napi_get_value_string_utf8` writes them. A cell of
/// another type, a record that is not an object or more than 1 GiB of text
/// returns the row instead, to be read cell by cell.
const ENCODER: &str = r#"(function encodeColumn(table, key, optional, bytes, ends) {
  'use strict';
  const n = table.length;
  if (!(ends instanceof Uint32Array) || ends.length < n) ends = new Uint32Array(n);
  if (!(bytes instanceof Uint8Array)) bytes = new Uint8Array(n * 12 + 64);
  let p = 0;
  for (let i = 0; i < n; i++) {
    let v = table[i];
    if (key !== undefined) {
      if (v === null || typeof v !== 'object') return i;
      v = v[key];
    }
    if (typeof v !== 'string') {
      // A hole of a column array is not an absent cell: read cell by cell.
      if (optional && v === undefined && (key !== undefined || i in table)) { ends[i] = (p | 0x80000000) >>> 0; continue; }
      if (optional && v === null) { ends[i] = (p | 0x40000000) >>> 0; continue; }
      return i;
    }
    const len = v.length;
    if (p + len * 3 > bytes.length) {
      if (p + len * 3 > 0x3fffffff) return i;
      const grown = new Uint8Array(Math.max(bytes.length * 2, p + len * 3 + 64));
      grown.set(bytes.subarray(0, p));
      bytes = grown;
    }
    for (let j = 0; j < len; j++) {
      let c = v.charCodeAt(j);
      if (c < 0x80) { bytes[p++] = c; continue; }
      if (c < 0x800) { bytes[p++] = 0xc0 | (c >> 6); bytes[p++] = 0x80 | (c & 63); continue; }
      if (c >= 0xd800 && c < 0xe000) {
        const d = j + 1 < len ? v.charCodeAt(j + 1) : 0;
        if (c < 0xdc00 && d >= 0xdc00 && d < 0xe000) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          j++;
          bytes[p++] = 0xf0 | (c >> 18);
          bytes[p++] = 0x80 | ((c >> 12) & 63);
          bytes[p++] = 0x80 | ((c >> 6) & 63);
          bytes[p++] = 0x80 | (c & 63);
          continue;
        }
        c = 0xfffd;
      }
      bytes[p++] = 0xe0 | (c >> 12);
      bytes[p++] = 0x80 | ((c >> 6) & 63);
      bytes[p++] = 0x80 | (c & 63);
    }
    ends[i] = p;
  }
  return [bytes, ends, p, n];
})"#;

/// Bit of an end offset marking an `undefined` cell.
const UNDEFINED_BIT: u32 = 0x8000_0000;
/// Bit of an end offset marking a `null` cell.
const NULL_BIT: u32 = 0x4000_0000;

/// The encoder function of an environment, kept in the addon's instance
/// data (nothing else of the crate uses it).
struct EncoderCache {
    function: UnknownRef<false>,
}

/// The fast path's column encoder, compiled once per environment, with the buffers it
/// reuses from one column to the next.
pub(crate) struct Encoder<'s> {
    function: Value<'s>,
    bytes: Option<Value<'s>>,
    ends: Option<Value<'s>>,
}

/// A column the encoder read: each cell's text, or what was found instead
/// (`undefined` or `null`, in optional columns only).
pub(crate) struct Cells<'a> {
    text: &'a str,
    ends: std::slice::ChunksExact<'a, u8>,
    start: usize,
    left: usize,
}

impl<'a> Iterator for Cells<'a> {
    type Item = Result<&'a str, Found<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let raw = self.ends.next()?;
        let end = u32::from_ne_bytes(raw.try_into().ok()?);
        let at = (end & !(UNDEFINED_BIT | NULL_BIT)) as usize;
        let cell = if end & UNDEFINED_BIT != 0 {
            Err(Found::Undefined)
        } else if end & NULL_BIT != 0 {
            Err(Found::Null)
        } else {
            self.text
                .get(self.start..at)
                .ok_or(Found::Other("text the encoder cut wrongly"))
        };
        self.start = at;
        Some(cell)
    }
}

impl<'s> Encoder<'s> {
    /// The encoder of this environment: compiled on first use, then kept
    /// (a reference in the addon's instance data), so that V8's optimized
    /// code and type feedback carry over from one `Book` to the next.
    pub(crate) fn new(env: &Env, scope: &mut Scope<'s>) -> Result<Self, Threw> {
        let function = match env.get_instance_data::<EncoderCache>() {
            Ok(Some(cache)) => {
                let function = cache
                    .function
                    .get_value(env)
                    .map_err(|_| Threw::nothing(env.raw()))?;
                scope.arg(&function)
            }
            _ => {
                let function = scope.script(ENCODER)?;
                let cached = EncoderCache {
                    function: function.keep().ok_or(Threw::nothing(env.raw()))?,
                };
                // Released with the environment.
                env.set_instance_data(cached, (), |done| {
                    let _ = done.value.function.unref(&done.env);
                })
                .map_err(|_| Threw::nothing(env.raw()))?;
                function
            }
        };
        Ok(Encoder {
            function,
            bytes: None,
            ends: None,
        })
    }

    /// Encodes the `rows` cells of a column, the property `key` of the
    /// records of `table` (or the elements of the column array `table` when
    /// `key` is `None`), and hands them to `f`. `Ok(None)` when the encoder
    /// gave up (a cell of another type, ...): read that column cell by cell.
    pub(crate) fn column<R>(
        &mut self,
        scope: &mut Scope<'s>,
        table: Value<'_>,
        key: Option<Value<'_>>,
        optional: bool,
        rows: u32,
        f: impl FnOnce(Cells<'_>) -> R,
    ) -> Result<Option<R>, Threw> {
        let undefined = scope.undefined()?;
        let args = [
            table,
            key.unwrap_or(undefined),
            scope.boolean(optional)?,
            self.bytes.unwrap_or(undefined),
            self.ends.unwrap_or(undefined),
        ];
        let out = scope.call(self.function, &args)?;
        if !out.is_array() {
            return Ok(None); // the row it gave up on
        }
        let bytes = scope.element(out, 0)?;
        let ends = scope.element(out, 1)?;
        let used = scope.element(out, 2)?.number();
        let n = scope.element(out, 3)?.number();
        self.bytes = Some(bytes);
        self.ends = Some(ends);
        if n != Some(f64::from(rows)) {
            return Ok(None); // the table changed length while read
        }
        let used = used
            .filter(|u| u.fract() == 0.0 && *u >= 0.0)
            .map(|u| u as usize);
        // SAFETY: both arrays were made by the encoder and are referenced
        // only by it, through our handles: no other JS code can reach them.
        // No JS runs until the slices are dropped: `f` gets no scope (every
        // call that could run JS needs `scope`, borrowed here).
        let (Some(used), Some(text), Some(ends)) = (used, unsafe { bytes.typed_bytes() }, unsafe {
            ends.typed_bytes()
        }) else {
            return Ok(None);
        };
        let (Some(text), Some(ends)) = (text.get(..used), ends.get(..rows as usize * 4)) else {
            return Ok(None);
        };
        let Ok(text) = std::str::from_utf8(text) else {
            return Ok(None);
        };
        Ok(Some(f(Cells {
            text,
            ends: ends.chunks_exact(4),
            start: 0,
            left: rows as usize,
        })))
    }
}

// ---------------------------------------------------------------------------
// Receivers: a method called on something that is not a live instance.
// ---------------------------------------------------------------------------

/// Replaces every method and getter of every class among the exports with
/// a guarded one made by `guard` (see [`guard_receivers`]). Reflection is
/// simplest in JS; the guard itself is native.
const GUARD: &str = r#"(function guardClasses(exports, guard) {
  'use strict';
  for (const key of Object.keys(exports)) {
    const Class = exports[key];
    if (typeof Class !== 'function' || typeof Class.prototype !== 'object') continue;
    const proto = Class.prototype;
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor') continue;
      const d = Object.getOwnPropertyDescriptor(proto, name);
      if (typeof d.value === 'function') d.value = guard(d.value, Class, key, name);
      else if (typeof d.get === 'function') d.get = guard(d.get, Class, key, name);
      else continue;
      Object.defineProperty(proto, name, d);
    }
  }
})"#;

thread_local! {
    /// The exported classes by name, for the checks of constructors and
    /// factories (one JS thread per environment).
    static CLASSES: std::cell::RefCell<Vec<(String, sys::napi_ref)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// What a guarded function forwards to, and for what.
struct Guarded {
    /// The method (or getter, or static method) napi-rs defined.
    original: sys::napi_ref,
    /// Its class.
    class: sys::napi_ref,
    /// Class and member names, for messages: `Ledger`, `openItems`.
    class_name: String,
    member: String,
}

/// Makes every method of the exported classes give a typed error when
/// called on something that is not a live instance, instead of V8's bare
/// "Illegal invocation" `TypeError`.
///
/// Why here: napi-rs defines classes with `napi_define_class`, which gives
/// each method a V8 signature, so V8 throws before any of our code runs
/// for a receiver that is not an instance (`Ledger.prototype.openItems
/// .call({})`, a `structuredClone` of a ledger given its prototype back, a
/// ledger posted to a worker); getters have no signature and fail in
/// napi-rs's unwrapping, with its own error. Once the module is loaded
/// (napi-rs's module-exports hook), each method and getter is replaced
/// with a native function without a signature that checks `this` (wrapped
/// by this addon and an instance of the class), throws `invalid_type` if it
/// is not, and otherwise calls the original. Whatever the original still
/// throws without one of our codes (the receiver refused by V8's signature
/// or napi-rs's type check after all) is given one too, with what it threw
/// as `cause`. Static methods cannot be replaced (napi defines them
/// read-only); constructors and factories check their `this` themselves
/// ([`constructed`], [`factory_receiver`]).
pub(crate) fn guard_receivers(
    env: &Env,
    exports: &napi::bindgen_prelude::Object<'_>,
) -> napi::Result<()> {
    let failed =
        |what: &str| napi::Error::from_reason(format!("could not guard the classes: {what}"));
    let mut scope = Scope::root(env);
    let script = scope.script(GUARD).map_err(|_| failed("script"))?;
    let mut guard = ptr::null_mut();
    // SAFETY: `env` is the module's; the name is valid UTF-8 of the given
    // length; `make_guard` has the Node-API callback signature.
    let status = unsafe {
        sys::napi_create_function(
            env.raw(),
            c"guard".as_ptr(),
            5,
            Some(make_guard),
            ptr::null_mut(),
            &mut guard,
        )
    };
    let guard = scope.made(status, guard).map_err(|_| failed("guard"))?;
    let exports = scope.arg(&exports.to_unknown());
    scope
        .call(script, &[exports, guard])
        .map(|_| ())
        .map_err(|t| failed(&t.describe()))
}

/// `guard(original, Class, className, member)`: the guarded function,
/// named as the member.
unsafe extern "C" fn make_guard(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    let mut argv = [ptr::null_mut(); 4];
    let mut argc = argv.len();
    // SAFETY: `info` is this call's; `argv` holds `argc` handles.
    let status = unsafe {
        sys::napi_get_cb_info(
            env,
            info,
            &mut argc,
            argv.as_mut_ptr(),
            ptr::null_mut(),
            ptr::null_mut(),
        )
    };
    let [original, class, class_name, member] = argv;
    if status != sys::Status::napi_ok || argc < 4 {
        return ptr::null_mut();
    }
    let text = |raw| {
        let value = Value {
            env,
            raw,
            _scope: PhantomData,
        };
        let mut buf = Vec::new();
        value.text(&mut buf).map(str::to_owned).unwrap_or_default()
    };
    let (mut original_ref, mut class_ref) = (ptr::null_mut(), ptr::null_mut());
    // SAFETY: live handles of this call; valid out pointers.
    let made = unsafe {
        sys::napi_create_reference(env, original, 1, &mut original_ref) == sys::Status::napi_ok
            && sys::napi_create_reference(env, class, 1, &mut class_ref) == sys::Status::napi_ok
    };
    if !made {
        return ptr::null_mut();
    }
    let member = text(member);
    let class_name = text(class_name);
    register_class(env, &class_name, class);
    let Ok(name_len) = isize::try_from(member.len()) else {
        return ptr::null_mut();
    };
    let data = Box::new(Guarded {
        original: original_ref,
        class: class_ref,
        class_name,
        member: member.clone(),
    });
    let data = Box::into_raw(data);
    let mut function = ptr::null_mut();
    // SAFETY: the name is valid UTF-8 of the given length; `guarded` has
    // the callback signature; `data` outlives the function (released by
    // its finalizer, below).
    let status = unsafe {
        sys::napi_create_function(
            env,
            member.as_ptr().cast::<c_char>(),
            name_len,
            Some(guarded),
            data.cast::<c_void>(),
            &mut function,
        )
    };
    // SAFETY: `function` is live; `release_guarded` frees `data` when the
    // function is collected (or the environment torn down), and only then.
    let added = status == sys::Status::napi_ok
        && unsafe {
            sys::napi_add_finalizer(
                env,
                function,
                data.cast::<c_void>(),
                Some(release_guarded),
                ptr::null_mut(),
                ptr::null_mut(),
            )
        } == sys::Status::napi_ok;
    if !added {
        // SAFETY: `data` came from `Box::into_raw` and no finalizer took it.
        drop(unsafe { Box::from_raw(data) });
        return ptr::null_mut();
    }
    function
}

/// Frees a [`Guarded`] and its references.
unsafe extern "C" fn release_guarded(env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    if data.is_null() {
        return;
    }
    // SAFETY: `data` is the `Box<Guarded>` given to `napi_add_finalizer`,
    // finalized once.
    let guarded = unsafe { Box::from_raw(data.cast::<Guarded>()) };
    // SAFETY: references made in `make_guard`, deleted once.
    unsafe {
        sys::napi_delete_reference(env, guarded.original);
        sys::napi_delete_reference(env, guarded.class);
    }
}

/// A guarded member: checks the receiver, calls the original, and gives a
/// code to whatever it throws without one.
unsafe extern "C" fn guarded(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    let mut argc = 0usize;
    let mut this = ptr::null_mut();
    let mut data = ptr::null_mut();
    // SAFETY: `info` is this call's; with `argc` 0 only the count is read.
    let status = unsafe {
        sys::napi_get_cb_info(env, info, &mut argc, ptr::null_mut(), &mut this, &mut data)
    };
    if status != sys::Status::napi_ok || data.is_null() {
        return ptr::null_mut();
    }
    let mut argv = vec![ptr::null_mut(); argc];
    if argc > 0 {
        let mut n = argc;
        // SAFETY: `argv` holds `argc` handles.
        unsafe {
            sys::napi_get_cb_info(
                env,
                info,
                &mut n,
                argv.as_mut_ptr(),
                ptr::null_mut(),
                ptr::null_mut(),
            )
        };
    }
    // SAFETY: `data` is the `Guarded` of this function, alive while it is.
    let g = unsafe { &*data.cast::<Guarded>() };
    let node = Env::from_raw(env);
    let (Some(class), Some(original)) = (
        reference_value(env, g.class),
        reference_value(env, g.original),
    ) else {
        return ptr::null_mut();
    };
    if !is_live(env, this, class) {
        let found = Value {
            env,
            raw: this,
            _scope: PhantomData,
        }
        .found()
        .describe();
        return throw_error(&node, &receiver_error(g, found));
    }
    let mut result = ptr::null_mut();
    // SAFETY: every handle is live; `argv` holds `argc` handles.
    let status =
        unsafe { sys::napi_call_function(env, this, original, argc, argv.as_ptr(), &mut result) };
    if status == sys::Status::napi_ok {
        return result;
    }
    let mut exception = ptr::null_mut();
    // SAFETY: clears the pending exception into `exception`.
    unsafe { sys::napi_get_and_clear_last_exception(env, &mut exception) };
    if exception.is_null() || has_our_code(env, exception) {
        // SAFETY: rethrows what was thrown, as it was.
        unsafe { sys::napi_throw(env, exception) };
        return ptr::null_mut();
    }
    let error = if refused_receiver(env, exception) {
        receiver_error(g, "an object that is not a live instance".to_owned())
    } else {
        ar_core::Error::Internal {
            message: format!(
                "{}.{} threw without a code: {}",
                g.class_name,
                g.member,
                Threw { env, exception }.describe()
            ),
        }
    };
    crate::errors::set_cause(Threw { env, exception });
    throw_error(&node, &error)
}

/// The value of a reference, if it still holds one.
fn reference_value(env: sys::napi_env, reference: sys::napi_ref) -> Option<sys::napi_value> {
    let mut value = ptr::null_mut();
    // SAFETY: a reference made in `make_guard`, not yet deleted.
    let status = unsafe { sys::napi_get_reference_value(env, reference, &mut value) };
    (status == sys::Status::napi_ok && !value.is_null()).then_some(value)
}

/// Throws `error` as our JS error; the callback's return value.
fn throw_error(env: &Env, error: &ar_core::Error) -> sys::napi_value {
    let error = crate::errors::to_js(env, error);
    // SAFETY: the callback's environment. `to_js` threw already (and then
    // this does nothing), unless the environment is shutting down.
    unsafe { napi::bindgen_prelude::JsError::from(error).throw_into(env.raw()) };
    ptr::null_mut()
}

/// Throws `value` (an object of the current call), with no exception
/// pending; false if it could not.
pub(crate) fn throw(env: &Env, value: sys::napi_value) -> bool {
    // SAFETY: a live handle of the current call's environment.
    unsafe { sys::napi_throw(env.raw(), value) == sys::Status::napi_ok }
}

/// `invalid_type` naming `this`: not a live instance of the class.
fn receiver_error(g: &Guarded, found: String) -> ar_core::Error {
    let class = &g.class_name;
    ar_core::Error::InvalidType {
        field: "this".to_owned(),
        expected: format!(
            "a live {class}: {class}.{} must be called on an object made by new {class}() \
             or a {class} factory (a copy made by structuredClone or postMessage is a plain \
             object with no {class} behind it)",
            g.member
        ),
        found,
    }
}

/// True when `this` is an instance of `class` that this addon wrapped.
fn is_live(env: sys::napi_env, this: sys::napi_value, class: sys::napi_value) -> bool {
    let value = Value {
        env,
        raw: this,
        _scope: PhantomData,
    };
    if value.found() != Found::Other("an object") && !value.is_array() {
        return false;
    }
    let mut instance = false;
    let mut wrapped = ptr::null_mut();
    // SAFETY: live handles; valid out pointers. `instanceof` may run a
    // `Symbol.hasInstance` or a proxy trap: what it throws is cleared.
    let live = unsafe {
        sys::napi_instanceof(env, this, class, &mut instance) == sys::Status::napi_ok
            && instance
            && sys::napi_unwrap(env, this, &mut wrapped) == sys::Status::napi_ok
            && !wrapped.is_null()
    };
    clear_pending_exception(&Env::from_raw(env));
    live
}

/// Keeps a reference to the exported class `name` (once per class: the
/// addon loaded again into the same environment defines new classes of
/// the same names, and both loads' classes stay in use).
fn register_class(env: sys::napi_env, name: &str, class: sys::napi_value) {
    if classes(env, name).into_iter().any(|c| same(env, c, class)) {
        return;
    }
    let mut reference = ptr::null_mut();
    // SAFETY: a live handle of the current call; a valid out pointer.
    // Kept for the life of the environment, as the class itself.
    if unsafe { sys::napi_create_reference(env, class, 1, &mut reference) } == sys::Status::napi_ok
    {
        CLASSES.with(|classes| classes.borrow_mut().push((name.to_owned(), reference)));
    }
}

/// The exported classes named `name`.
fn classes(env: sys::napi_env, name: &str) -> Vec<sys::napi_value> {
    let references: Vec<sys::napi_ref> = CLASSES.with(|classes| {
        classes
            .borrow()
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, r)| *r)
            .collect()
    });
    references
        .into_iter()
        .filter_map(|r| reference_value(env, r))
        .collect()
}

/// `a === b`.
fn same(env: sys::napi_env, a: sys::napi_value, b: sys::napi_value) -> bool {
    let mut same = false;
    // SAFETY: live handles; a valid out pointer.
    let status = unsafe { sys::napi_strict_equals(env, a, b, &mut same) };
    status == sys::Status::napi_ok && same
}

/// True when `this`, the receiver of a constructor of the class `name`,
/// is a new object for it: an instance of it (made by `new`: a call
/// without `new` would wrap `globalThis` or whatever it is called on)
/// not yet wrapped (a second construction of a live object).
pub(crate) fn constructed(env: &Env, this: &napi::bindgen_prelude::This<'_>, name: &str) -> bool {
    let classes = classes(env.raw(), name);
    if classes.is_empty() {
        return true;
    }
    let this = this.raw();
    let mut wrapped = ptr::null_mut();
    // SAFETY: a live handle; a valid out pointer.
    let unwrapped =
        unsafe { sys::napi_unwrap(env.raw(), this, &mut wrapped) } != sys::Status::napi_ok;
    let fresh = unwrapped
        && classes.into_iter().any(|class| {
            let mut instance = false;
            // SAFETY: live handles; a valid out pointer; what `instanceof`
            // throws is cleared below.
            let status = unsafe { sys::napi_instanceof(env.raw(), this, class, &mut instance) };
            status == sys::Status::napi_ok && instance
        });
    clear_pending_exception(env);
    fresh
}

/// True when `this`, the receiver of a factory (a static method) of the
/// class `name`, is the class or a subclass of it: napi-rs builds the
/// instance by calling `this` as a constructor.
pub(crate) fn factory_receiver(
    env: &Env,
    this: &napi::bindgen_prelude::This<'_>,
    name: &str,
) -> bool {
    let classes = classes(env.raw(), name);
    if classes.is_empty() {
        return true;
    }
    let env = env.raw();
    let mut at = this.raw();
    let mut found = false;
    // A subclass's constructor has the class's in its prototype chain.
    for _ in 0..64 {
        if classes.iter().any(|class| same(env, at, *class)) {
            found = true;
            break;
        }
        let value = Value {
            env,
            raw: at,
            _scope: PhantomData,
        };
        if value.found() != Found::Other("a function") {
            break;
        }
        let mut proto = ptr::null_mut();
        // SAFETY: as above; a proxy's trap may throw, cleared below.
        if unsafe { sys::napi_get_prototype(env, at, &mut proto) } != sys::Status::napi_ok
            || proto.is_null()
        {
            break;
        }
        at = proto;
    }
    clear_pending_exception(&Env::from_raw(env));
    found
}

/// True for an error carrying one of our codes.
fn has_our_code(env: sys::napi_env, exception: sys::napi_value) -> bool {
    property_text(env, exception, c"code")
        .is_some_and(|code| ar_core::Error::CODES.contains(&code.as_str()))
}

/// True for what refusing a receiver throws: V8's "Illegal invocation"
/// `TypeError` (a method's signature) or napi-rs's `InvalidArg` (a
/// getter's unwrapping).
fn refused_receiver(env: sys::napi_env, exception: sys::napi_value) -> bool {
    property_text(env, exception, c"code").as_deref() == Some("InvalidArg")
        || property_text(env, exception, c"message").as_deref() == Some("Illegal invocation")
}

/// The string property `name` of an object, if it is one.
fn property_text(
    env: sys::napi_env,
    object: sys::napi_value,
    name: &std::ffi::CStr,
) -> Option<String> {
    let value = Value {
        env,
        raw: object,
        _scope: PhantomData,
    };
    if value.found() != Found::Other("an object") {
        return None;
    }
    let mut raw = ptr::null_mut();
    // SAFETY: a live object handle; a NUL-terminated name; the value lands
    // in the current scope.
    let status = unsafe { sys::napi_get_named_property(env, object, name.as_ptr(), &mut raw) };
    if status != sys::Status::napi_ok || raw.is_null() {
        clear_pending_exception(&Env::from_raw(env));
        return None;
    }
    let mut buf = Vec::new();
    Value {
        env,
        raw,
        _scope: PhantomData,
    }
    .text(&mut buf)
    .ok()
    .map(str::to_owned)
}

// ---------------------------------------------------------------------------
// The error class: `ArError`, a subclass of `Error` made in JS.
// ---------------------------------------------------------------------------

/// Makes the `ArError` class (or takes the one an earlier load of the addon
/// made in this environment, so that both loads' errors are of one class)
/// and exports it in place of napi-rs's declaration of it.
const ERROR_CLASS: &str = r#"(function defineArError(exports, existing) {
  'use strict';
  let ArError = existing;
  if (typeof ArError !== 'function') {
    ArError = class ArError extends Error {};
    Object.defineProperty(ArError.prototype, 'name', { value: 'ArError', writable: true, configurable: true });
  }
  Object.defineProperty(exports, 'ArError', { value: ArError, writable: true, enumerable: true, configurable: true });
  return ArError;
})"#;

/// Defines and exports `ArError` (see [`ERROR_CLASS`]); the errors made by
/// [`new_error`] are its instances.
pub(crate) fn define_error_class(
    env: &Env,
    exports: &napi::bindgen_prelude::Object<'_>,
) -> napi::Result<()> {
    let failed = |what: &str| napi::Error::from_reason(format!("could not define ArError: {what}"));
    let existing = classes(env.raw(), "ArError").into_iter().next();
    let mut scope = Scope::root(env);
    let script = scope.script(ERROR_CLASS).map_err(|_| failed("script"))?;
    let existing = match existing {
        Some(raw) => scope.value(raw),
        None => scope.undefined().map_err(|_| failed("undefined"))?,
    };
    let exports = scope.arg(&exports.to_unknown());
    let class = scope
        .call(script, &[exports, existing])
        .map_err(|t| failed(&t.describe()))?;
    register_class(env.raw(), "ArError", class.raw);
    Ok(())
}

/// A new `ArError` with `message` (a plain `Error` should the class be
/// missing); `None` only when the environment is shutting down.
pub(crate) fn new_error<'e>(env: &'e Env, message: &str) -> Option<Unknown<'e>> {
    let env_raw = env.raw();
    let mut text = ptr::null_mut();
    // SAFETY: the current call's environment; the text is valid UTF-8 of
    // the given length; a valid out pointer.
    let status = unsafe {
        sys::napi_create_string_utf8(
            env_raw,
            message.as_ptr().cast::<c_char>(),
            isize::try_from(message.len()).unwrap_or(0),
            &mut text,
        )
    };
    if status != sys::Status::napi_ok {
        return None;
    }
    let mut error = ptr::null_mut();
    let made = classes(env_raw, "ArError")
        .into_iter()
        .next()
        .is_some_and(|class| {
            // SAFETY: live handles; `argv` holds one handle; a valid out
            // pointer. The class is ours and its constructor `Error`'s, which
            // throws nothing for a string.
            let status = unsafe { sys::napi_new_instance(env_raw, class, 1, &text, &mut error) };
            status == sys::Status::napi_ok
        });
    if !made {
        clear_pending_exception(env);
        // SAFETY: as above.
        let status = unsafe { sys::napi_create_error(env_raw, ptr::null_mut(), text, &mut error) };
        if status != sys::Status::napi_ok {
            return None;
        }
    }
    // SAFETY: a live handle of the current call.
    Some(unsafe { Unknown::from_raw_unchecked(env_raw, error) })
}

/// True when `value` is an instance of `ArError` (`instanceof`, whose
/// `Symbol.hasInstance` or proxy trap may throw: then false).
pub(crate) fn is_error_class_instance(env: &Env, value: &Unknown<'_>) -> bool {
    let is = classes(env.raw(), "ArError").into_iter().any(|class| {
        let mut instance = false;
        // SAFETY: live handles; a valid out pointer; what `instanceof`
        // throws is cleared below.
        let status = unsafe { sys::napi_instanceof(env.raw(), value.raw(), class, &mut instance) };
        status == sys::Status::napi_ok && instance
    });
    clear_pending_exception(env);
    is
}
