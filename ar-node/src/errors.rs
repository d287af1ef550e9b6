//! The one place where failures become JavaScript errors.
//!
//! Every failure, whether the core refused the input, a JS value could not be
//! converted, or the engine panicked, is thrown as a plain JS `Error` with:
//!
//! - `code`: the stable snake_case code of [`ar_core::Error::code`];
//! - `family`: the family of [`ar_core::Error::family`] (`validation`,
//!   `not_found`, `conflict`, `currency`, `state`, `log`, `internal`);
//! - `message`: `"<code>: <message naming the field and the value>"`.
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
use napi::bindgen_prelude::{JsError, Object};
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
pub const ERROR_CODES: [&str; 27] = Error::CODES;

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
    // A cause left by an earlier call that ended otherwise is not ours.
    if let Some(stale) = take_cause() {
        stale.release(env);
    }
    catch(f).map_err(|e| to_js(env, &e))
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

/// Throws the JS `Error` for `err`, with its `code` and `family` properties
/// (and `cause`, when a getter's exception was kept for it); what the
/// `#[napi]` function returns for napi-rs to leave the exception as is.
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
    let code = err.code();
    let text = message(err);
    // napi creates the Error object and sets `code`; we add `family`.
    let js = JsError::from(napi::Error::new(code, text.clone())).into_unknown(*env);
    let mut object = Object::from_raw(env.raw(), js.raw());
    if let Some(cause) = take_cause() {
        cause.set_as_cause(env, js.raw());
    }
    if object.set("family", err.family().name()).is_ok() && crate::js::throw(env, js.raw()) {
        return napi::Error::new(Status::PendingException, text);
    }
    // Only when the environment is shutting down; keep the message at least.
    napi::Error::new(Status::GenericFailure, text)
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
