//! Progress of long calls (`Ledger.from_tables`, `Ledger.from_json`): a
//! Python callable told `(done, total)`, and Ctrl-C honoured meanwhile.

use std::ops::ControlFlow;

use ar_core::Progress;
use pyo3::prelude::*;

use crate::conv;

/// What a long call reports to: the caller's callable, if any, and the
/// first exception it raised (or `KeyboardInterrupt`), which the call
/// raises in place of the core's `interrupted`.
pub struct Reporter {
    callback: Option<Py<PyAny>>,
    raised: Option<PyErr>,
}

impl Reporter {
    /// A reporter for the `progress` argument (`None`: signals only).
    ///
    /// # Errors
    ///
    /// `ArTypeError` naming `progress` for a value that is not callable.
    pub fn new(progress: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let callback = match conv::given(progress) {
            Some(p) if p.is_callable() => Some(p.clone().unbind()),
            Some(p) => return conv::wrong_type("progress", "a callable", p),
            None => None,
        };
        Ok(Reporter {
            callback,
            raised: None,
        })
    }

    /// The core's observer: with the GIL taken for a moment, checks for
    /// Ctrl-C and calls the callable; an exception stops the call.
    pub fn observe(&mut self, progress: Progress) -> ControlFlow<()> {
        Python::attach(|py| {
            let result = py.check_signals().and_then(|()| match &self.callback {
                Some(f) => f.call1(py, (progress.done, progress.total)).map(drop),
                None => Ok(()),
            });
            match result {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => {
                    self.raised = Some(e);
                    ControlFlow::Break(())
                }
            }
        })
    }

    /// The call's result as Python sees it: the exception the callable
    /// raised when it stopped the call, else the core's error.
    pub fn finish<T>(self, result: ar_core::Result<T>) -> PyResult<T> {
        match (result, self.raised) {
            (Ok(value), _) => Ok(value),
            (Err(ar_core::Error::Interrupted { .. }), Some(raised)) => Err(raised),
            (Err(e), _) => Err(crate::errors::to_py(&e)),
        }
    }
}
