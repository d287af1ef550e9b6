//! The one place where failures become JavaScript errors.
//!
//! Every failure, whether the core refused the input, a JS value could not be
//! converted, or the engine panicked, is thrown as an `ArError` (a subclass
//! of `Error` made when the module loads, see `js::define_error_class`) with:
//!
//! - `code`: the stable snake_case code of [`ar_core::Error::code`];
//! - `family`: the family of [`ar_core::Error::family`] (`validation`,
//!   `not_found`, `conflict`, `currency`, `state`, `log`, `internal`);
//! - `message`: `"<code>: <message naming the field and the value>"`;
//! - `field` and `value`: the field at fault and the value refused, when
//!   the error names them.
//!
//! A panic never unwinds into Node: [`guard`] catches it and reports code
//! `internal`.
//!
//! When a getter or proxy trap of an argument threw (`invalid_value` naming
//! the field, see `read.rs`), what it threw is the error's `cause`.

use std::any::Any;
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

use ar_core::Error;
use napi::bindgen_prelude::{Object, Unknown};
use napi::{Env, JsValue, Status};
use napi_derive::napi;

use crate::js::{Kept, Threw};

thread_local! {
    /// What a getter of an argument threw, for the `cause` of the error
    /// about to be thrown (set by `read.rs`, taken by [`to_js`]). One JS
    /// thread per Node-API environment: a thread-local is the call's own.
    static CAUSE: RefCell<Option<Kept>> = const { RefCell::new(None) };
}

/// Keeps what was thrown for the error the current call is about to throw.
pub(crate) fn set_cause(threw: Threw) {
    let old = CAUSE.with(|c| c.replace(threw.keep()));
    if let Some(old) = old {
        old.release(&threw.env());
    }
}

/// Takes the kept cause, if any.
fn take_cause() -> Option<Kept> {
    CAUSE.with(RefCell::take)
}

/// Every stable error `code` a thrown error can carry, in the order of the
/// core's documentation. Each has a `family`: see the README.
#[napi]
pub const ERROR_CODES: [&str; 28] = Error::CODES;

/// Calls in progress under [`catch`], on any thread: while there is one, a
/// panic is reported by the `internal` error it becomes, not printed.
static CATCHING: AtomicUsize = AtomicUsize::new(0);

/// Installs (once per process) a panic hook that keeps a caught panic off
/// the host's stderr: the default hook prints a backtrace there for every
/// panic, even one [`catch`] turns into an `internal` error. A panic outside
/// a call still goes to the previous hook.
pub(crate) fn quiet_caught_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CATCHING.load(Ordering::SeqCst) == 0 {
                previous(info);
            }
        }));
    });
}

/// Counts a call under [`catch`] while it lives (also when unwinding).
struct Catching;

impl Catching {
    fn new() -> Self {
        CATCHING.fetch_add(1, Ordering::SeqCst);
        Catching
    }
}

impl Drop for Catching {
    fn drop(&mut self) {
        CATCHING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs `f`, turning a panic into [`Error::Internal`] so that nothing unwinds
/// across the FFI boundary.
pub(crate) fn catch<T>(f: impl FnOnce() -> ar_core::Result<T>) -> ar_core::Result<T> {
    let counted = Catching::new();
    let result = catch_unwind(AssertUnwindSafe(f));
    drop(counted);
    result.unwrap_or_else(|payload| {
        Err(Error::Internal {
            message: panic_message(payload.as_ref()),
        })
    })
}

/// Runs `f` under [`catch`] and maps any error to the JS error thrown to the
/// caller. Every `#[napi]` entry point goes through here.
pub(crate) fn guard<T>(env: &Env, f: impl FnOnce() -> ar_core::Result<T>) -> napi::Result<T> {
    forget_cause(env);
    catch(f).map_err(|e| to_js(env, &e))
}

/// Drops a cause left by an earlier call that ended otherwise: it is not
/// the cause of the error a new call may make.
pub(crate) fn forget_cause(env: &Env) {
    if let Some(stale) = take_cause() {
        stale.release(env);
    }
}

/// The text of a panic payload (`panic!("...")` carries a `&str` or a `String`).
fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-text payload".to_owned()
    }
}

/// Bytes of a message kept, past which it is cut: each part of a message
/// that echoes a value is already bounded (`ar_core::shown_value`); this
/// bounds the whole, whatever a part forgot to.
const MAX_MESSAGE: usize = 768;

/// The message of the JS error: `"<code>: <core message>"`, at most
/// [`MAX_MESSAGE`] bytes of the core's message.
pub(crate) fn message(err: &Error) -> String {
    format!(
        "{}: {}",
        err.code(),
        crate::conv::bounded(&err.to_string(), MAX_MESSAGE)
    )
}

/// Throws the `ArError` for `err` (see [`object`]); what the `#[napi]`
/// function returns for napi-rs to leave the exception as is.
///
/// The object is thrown here rather than handed to napi-rs
/// (`napi::Error::from(object)`), which would read it back: its message
/// (`toString`, JS) and its `cause` chain, recursively, and convert
/// whatever those reads throw the same way. Near the stack limit each read
/// throws a stack overflow, and that conversion recursed until the native
/// stack ran out (a getter calling its ledger back without end crashed
/// the process).
pub(crate) fn to_js(env: &Env, err: &Error) -> napi::Error {
    // A failed napi conversion may have left a JS exception pending; ours
    // replaces it.
    crate::js::clear_pending_exception(env);
    let text = message(err);
    if let Some(js) = object(env, err) {
        if crate::js::throw(env, js.raw()) {
            return napi::Error::new(Status::PendingException, text);
        }
    }
    // Only when the environment is shutting down; keep the message at least.
    napi::Error::new(Status::GenericFailure, text)
}

/// The error the promise of an async variant is rejected with when its
/// work failed: the same `ArError` the sync call throws. napi-rs keeps a
/// reference to it and rejects with it as is; it reads the object's message
/// and `cause`, both ours (the arguments were read long before, so no
/// getter's exception is its cause).
pub(crate) fn rejection(env: &Env, err: &Error) -> napi::Error {
    crate::js::clear_pending_exception(env);
    forget_cause(env);
    match object(env, err) {
        Some(js) => napi::Error::from(js),
        None => napi::Error::new(Status::GenericFailure, message(err)),
    }
}

/// A new `ArError` for `err`, not thrown: `message`, `code`, `family`, and
/// `field` and `value` when the error names them (and `cause`, when a
/// getter's exception was kept for it). `None` only when the environment
/// is shutting down.
pub(crate) fn object<'e>(env: &'e Env, err: &Error) -> Option<Unknown<'e>> {
    let text = message(err);
    let js = crate::js::new_error(env, &text)?;
    let mut object = Object::from_raw(env.raw(), js.raw());
    if let Some(cause) = take_cause() {
        cause.set_as_cause(env, js.raw());
    }
    let (field, value) = field_and_value(err);
    let set = object.set("code", err.code()).is_ok()
        && object.set("family", err.family().name()).is_ok()
        && field.is_none_or(|f| object.set("field", f).is_ok())
        && value.is_none_or(|v| object.set("value", ar_core::shown_value(v)).is_ok());
    set.then_some(js)
}

/// The field an error names and the value it refused, when it has them
/// (`Error::field_and_value`), the field of an idempotency key in the
/// spelling of the Node API.
fn field_and_value(err: &Error) -> (Option<&str>, Option<&str>) {
    match err.field_and_value() {
        (Some("idempotency_key"), value) => (Some("idempotencyKey"), value),
        other => other,
    }
}

/// Every stable error code, as a string-literal type: the `code` of an
/// `ArError`. The same codes as `ERROR_CODES`, in the same order.
#[napi(string_enum = "snake_case")]
pub enum ArErrorCode {
    InvalidCurrency,
    CurrencyMismatch,
    TooManyDecimals,
    InvalidAmount,
    InvalidValue,
    InvalidType,
    InvalidDecimal,
    InvalidDate,
    InvalidTerms,
    NotFound,
    DuplicateId,
    IdempotencyConflict,
    CustomerMismatch,
    OverApplication,
    InvalidState,
    DateBeforeDocument,
    RecordedOutOfOrder,
    DiscountNotAllowed,
    NothingToApply,
    Overflow,
    LimitExceeded,
    TemplateError,
    MissingRate,
    PeriodClosed,
    CorruptLog,
    UnsupportedLogVersion,
    Interrupted,
    Internal,
}

/// The family of an error code, the `family` of an `ArError`: what kind of
/// mistake, to handle a group of codes at once.
#[napi(string_enum = "snake_case")]
pub enum ArErrorFamily {
    /// The input is malformed or out of range, whatever the ledger holds.
    Validation,
    /// The input names something the ledger does not know.
    NotFound,
    /// The input clashes with something that already exists.
    Conflict,
    /// Two amounts in different currencies were combined.
    Currency,
    /// The input is well formed but the ledger's state does not allow it.
    State,
    /// A serialized log cannot be read back.
    Log,
    /// A defect in ar itself; please report it.
    Internal,
}

/// The class of every error ar throws, and of every rejection of an async
/// variant: an `Error` with `code` (an `ArErrorCode`), `family` (an
/// `ArErrorFamily`), and, when the error names them, `field` (as the
/// message names it: `amount`, `lines[0].quantity`,
/// `settlements.invoice[1]`) and `value` (the value refused, as text, at
/// most 64 bytes of it). `isArError(e)` tells one apart.
// Declared here for its export and its declaration (completed by the
// interface in `dts-header.d.ts`); the class itself is made in JS when the
// module loads (`js::define_error_class`), as a subclass of `Error`, which
// a native class cannot be.
#[napi]
pub struct ArError {}

/// True when `value` is an `ArError` (an error thrown or rejected with by
/// ar): then `value.code` is an `ArErrorCode`.
#[napi(ts_args_type = "value: unknown", ts_return_type = "value is ArError")]
pub fn is_ar_error(env: Env, value: Unknown<'_>) -> bool {
    crate::js::is_error_class_instance(&env, &value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::panic)]
    fn a_panic_becomes_an_internal_error() {
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let result: ar_core::Result<()> = catch(|| panic!("boom"));
        std::panic::set_hook(hook);
        let err = result.err();
        assert_eq!(err.as_ref().map(Error::code), Some("internal"));
        assert_eq!(
            err.as_ref().map(message).as_deref(),
            Some("internal: internal error: boom")
        );
    }

    #[test]
    fn fields_and_values_are_those_the_message_names() {
        let err = Error::InvalidType {
            field: "amount".into(),
            expected: "a decimal string".into(),
            found: "the number 1".into(),
        };
        assert_eq!(
            field_and_value(&err),
            (Some("amount"), Some("the number 1"))
        );
        let err = Error::Overflow {
            field: "total".into(),
        };
        assert_eq!(field_and_value(&err), (Some("total"), None));
        let err = Error::CorruptLog {
            reason: "not JSON".into(),
        };
        assert_eq!(field_and_value(&err), (None, None));
    }

    #[test]
    fn messages_start_with_the_code() {
        let err = Error::InvalidDecimal {
            field: "amount".into(),
            value: "1e3".into(),
        };
        assert_eq!(
            message(&err),
            "invalid_decimal: amount: \"1e3\" is not a decimal number"
        );
    }
}
