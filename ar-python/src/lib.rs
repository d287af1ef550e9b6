//! Python bindings for `ar-core`, compiled into the native module `ar._ar`.
//!
//! The pure-Python package `ar` (see `python/ar/__init__.py`) re-exports
//! everything public from here; type stubs live in `python/ar/_ar.pyi`.

use pyo3::prelude::*;

/// Return the version of the `ar` native extension (the crate version).
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// Native core of the `ar` package (accounts receivable), implemented in Rust.
#[pymodule]
mod _ar {
    #[pymodule_export]
    use super::version;
}

#[cfg(test)]
mod tests {
    use super::version;

    #[test]
    fn version_is_crate_version() {
        assert_eq!(version(), env!("CARGO_PKG_VERSION"));
    }
}
