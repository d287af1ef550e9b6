//! Native memory told to V8. A `Ledger` or `Book` is a small JS object in
//! front of up to gigabytes the engine holds; V8 times its collections by
//! what it is told is held outside its heap, so each wrapper reports the
//! core's estimate (`heap_bytes`) and takes it back when it is collected.
//! Without it, a process that builds ledger after ledger grows until the
//! collector happens to run.

use napi::Env;

/// What one wrapper has reported.
#[derive(Debug, Default)]
pub(crate) struct Reported {
    bytes: i64,
    /// The ledger's log length when last measured (0 for a book).
    at_len: usize,
}

impl Reported {
    /// Reports `bytes`, held by an object whose log has `len` events.
    pub fn new(env: &Env, bytes: usize, len: usize) -> Self {
        let mut reported = Reported::default();
        reported.set(env, bytes, len);
        reported
    }

    /// Measures again once the log has grown by an eighth since the last
    /// measure (or been rebuilt shorter): `measure` reads the whole
    /// ledger, so measuring at every command would cost a read of the book
    /// per command; this way it costs a constant per event, and V8 is
    /// never told less than eight ninths of what is held.
    pub fn track(&mut self, env: &Env, len: usize, measure: impl FnOnce() -> usize) {
        if len > self.at_len.saturating_add(self.at_len / 8) || len < self.at_len {
            self.set(env, measure(), len);
        }
    }

    fn set(&mut self, env: &Env, bytes: usize, len: usize) {
        let bytes = i64::try_from(bytes).unwrap_or(i64::MAX);
        // Telling V8 is advice: nothing else depends on it succeeding.
        if env.adjust_external_memory(bytes - self.bytes).is_ok() {
            self.bytes = bytes;
        }
        self.at_len = len;
    }

    /// Takes back everything reported: the wrapper is being collected.
    pub fn release(&mut self, env: &Env) {
        if env.adjust_external_memory(-self.bytes).is_ok() {
            self.bytes = 0;
        }
    }
}
