//! Node.js bindings for `ar-core`, built with napi-rs.
//!
//! `napi build` generates `index.js` (the platform loader) and `index.d.ts`
//! (TypeScript declarations) from the `#[napi]` items in this crate.

use napi_derive::napi;

/// Return the version of the `ar` native addon (the crate version).
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

#[cfg(test)]
mod tests {
    use super::version;

    #[test]
    fn version_is_crate_version() {
        assert_eq!(version(), env!("CARGO_PKG_VERSION"));
    }
}
