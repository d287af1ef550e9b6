//! The collector's worklist: `Ledger.worklist` reads its arguments here and
//! hands back the core's `Worklist` as the records of
//! `python/ar/_worklist.py`. Every score comes from `ar_core::worklist`.

use ar_core::worklist::WorklistOptions;
use pyo3::prelude::*;

use crate::conv;

type Arg<'a, 'py> = Option<&'a Bound<'py, PyAny>>;

/// The core's options; `dimension` is a `(key, value)` pair.
pub fn options(
    as_of: &Bound<'_, PyAny>,
    known_at: Arg<'_, '_>,
    currency: Arg<'_, '_>,
    dimension: Arg<'_, '_>,
) -> PyResult<WorklistOptions> {
    let mut options = WorklistOptions::new(conv::date("as_of", as_of)?);
    options.known_at = conv::opt_timestamp("known_at", known_at)?;
    options.currency = conv::opt_currency("currency", currency)?;
    if let Some(d) = conv::given(dimension) {
        let (key, value): (String, String) = crate::collections::read(d, "dimension")?;
        options.dimension = Some((key, value));
    }
    Ok(options)
}
