//! Results to Python, for any `Serialize` value: the core's result types
//! (and a binding's own, such as `RollRates`) become the frozen dataclasses
//! declared in `python/ar/` (`ar._records`), without a class written in
//! Rust or a field-by-field copy.
//!
//! The value is serialized to JSON (decimals as exact text, dates and
//! timestamps as ISO text) and built by `ar._records.build_json` into the
//! record class of the name given, which reads each field by its annotation
//! and refuses a result whose fields are not the record's. Meant for
//! report-sized results (thousands of rows); the bulk paths stay on Arrow.

use ar_core::Error;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use serde::Serialize;

use crate::errors::fail;

static BUILD: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `value` as the record class `record` of `ar._records` (a list of them for
/// a list, and so on).
pub fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    record: &str,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let text = match serde_json::to_string(value) {
        Ok(text) => text,
        Err(e) => {
            return fail(Error::Internal {
                message: format!("a result could not be serialized: {e}"),
            })
        }
    };
    BUILD
        .import(py, "ar._records", "build_json")?
        .call1((record, text))
}
