//! Work off the JS thread, for the Promise-returning variants
//! (`Ledger.fromTablesAsync`, `ledger.agingAsync`, ...).
//!
//! An async variant reads its arguments on the JS thread, as the sync call
//! does (JS values can be read nowhere else), then hands the core's work to
//! libuv's thread pool as a napi-rs task ([`Job`]) and returns its promise;
//! the result becomes JS back on the JS thread. Whatever fails, while the
//! arguments are read, in the core, or in a panic, rejects the promise with
//! the `ArError` the sync call throws: an async variant never throws
//! (but for a receiver that is not a live instance, refused before any of
//! this runs).
//!
//! The work owns what it reads: arguments as Rust values, and a ledger or
//! book as an `Arc` of its state (see `Ledger::snapshot`).

use ar_core::{Error, Result};
use napi::bindgen_prelude::{PromiseRaw, ToNapiValue, TypeName};
use napi::{Env, ScopedTask};

use crate::errors;

/// One async call: `work` runs on the thread pool, `done` makes its result
/// a JS value on the JS thread.
pub(crate) struct Job<W, D> {
    work: Option<W>,
    done: Option<D>,
}

impl<'e, T, R, W, D> ScopedTask<'e> for Job<W, D>
where
    T: Send + 'static,
    R: ToNapiValue + TypeName,
    W: FnOnce() -> Result<T> + Send,
    D: FnOnce(&'e Env, T) -> Result<R> + Send,
{
    // The core's result travels as the output: its error becomes the
    // `ArError` on the JS thread, where JS objects can be made.
    type Output = Result<T>;
    type JsValue = R;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(match self.work.take() {
            Some(work) => errors::catch(work),
            None => Err(ran_twice()),
        })
    }

    fn resolve(&mut self, env: &'e Env, output: Self::Output) -> napi::Result<R> {
        let done = self.done.take();
        let result = output.and_then(|value| match done {
            Some(done) => errors::catch(|| done(env, value)),
            None => Err(ran_twice()),
        });
        result.map_err(|e| errors::rejection(env, &e))
    }
}

fn ran_twice() -> Error {
    Error::Internal {
        message: "an async task ran twice".to_owned(),
    }
}

/// The promise of an async variant: `prepare` reads the arguments (on this
/// thread, now) and returns the work and the conversion of its result.
/// A failure to prepare rejects the promise rather than throwing.
pub(crate) fn promise<'e, T, R, W, D>(
    env: &'e Env,
    prepare: impl FnOnce() -> Result<(W, D)>,
) -> napi::Result<PromiseRaw<'e, R>>
where
    T: Send + 'static,
    R: ToNapiValue + TypeName,
    W: FnOnce() -> Result<T> + Send + 'e,
    D: FnOnce(&'e Env, T) -> Result<R> + Send + 'e,
{
    errors::forget_cause(env);
    let prepared = errors::catch(prepare).and_then(|(work, done)| {
        env.spawn(Job {
            work: Some(work),
            done: Some(done),
        })
        .map_err(|e| Error::Internal {
            message: format!("the work could not be queued: {e}"),
        })
    });
    match prepared {
        Ok(spawned) => Ok(spawned.promise_object()),
        // Rejected with the error object itself (with the `cause` a getter
        // may have left), not through napi-rs's reading of it back.
        Err(e) => {
            crate::js::clear_pending_exception(env);
            match errors::object(env, &e) {
                Some(error) => PromiseRaw::reject(env, error),
                None => Err(napi::Error::from_reason(errors::message(&e))),
            }
        }
    }
}
