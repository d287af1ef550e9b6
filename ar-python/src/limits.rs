//! `ar.limits`: the limits on every count and size a caller controls, as
//! the core defines them (`ar_core::limits`, `ar_core::MAX_ID_LEN`). Past
//! one, a call raises `ValidationError` with code `limit_exceeded`.

use ar_core::limits;
use pyo3::prelude::*;

const SUBMODULE_DOC: &str = "The limits on every count and size a caller controls (the core's \
constants): past one, a call raises ValidationError with code \"limit_exceeded\", naming the \
field, the size given and the limit. Lengths are in bytes of UTF-8.";

/// The `ar.limits` submodule, registered as `sys.modules["ar.limits"]` so
/// that `import ar.limits` and `from ar.limits import MAX_LINES` work.
pub fn submodule(py: Python<'_>) -> PyResult<Bound<'_, PyModule>> {
    let m = PyModule::new(py, "ar.limits")?;
    m.setattr("__doc__", SUBMODULE_DOC)?;
    for (name, value) in [
        ("MAX_ID_LEN", ar_core::MAX_ID_LEN),
        ("MAX_TEXT_LEN", limits::MAX_TEXT_LEN),
        ("MAX_KEY_LEN", limits::MAX_KEY_LEN),
        ("MAX_DIMENSIONS", limits::MAX_DIMENSIONS),
        ("MAX_LINES", limits::MAX_LINES),
        ("MAX_TAXES_PER_LINE", limits::MAX_TAXES_PER_LINE),
        ("MAX_INSTALLMENTS", limits::MAX_INSTALLMENTS),
        ("MAX_BUCKETS", limits::MAX_BUCKETS),
        ("MAX_PERIODS", limits::MAX_PERIODS),
        ("MAX_WEIGHTS", limits::MAX_WEIGHTS),
        ("MAX_SHOWN", ar_core::MAX_SHOWN),
    ] {
        m.add(name, value)?;
    }
    py.import("sys")?
        .getattr("modules")?
        .set_item("ar.limits", &m)?;
    Ok(m)
}
