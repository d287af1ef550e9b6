//! Hashed keys: FNV-1a over short texts, and a hasher that passes such a
//! key through.

use std::hash::Hasher;

/// FNV-1a over bytes: keys here are short and already well spread.
pub(crate) fn fnv(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Passes a `u64` key through: it is a hash already.
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv(bytes.iter().copied()) ^ self.0.rotate_left(5);
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}
