//! The serialized log: its version, its JSON with each event's hash, and
//! the hash chain. Each event's hash covers the event and the hash before
//! it, so an edited, dropped, inserted or reordered event changes every
//! hash from there on, and the last one (the head) vouches for the whole
//! log.

use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};

use crate::event::{Event, EventEnvelope};

/// A SHA-256 link of the log's hash chain, written as 64 lowercase hex
/// digits.
///
/// The hash of event `n` is `SHA-256(hash(n - 1) || json(n))`, where
/// `json(n)` is the event's envelope serialized as [`Ledger::to_json`]
/// writes it (without its own hash) and the hash before the first event is
/// [`ChainHash::GENESIS`] (32 zero bytes).
///
/// [`Ledger::to_json`]: crate::Ledger::to_json
///
/// # Example
/// ```
/// use ar_core::ChainHash;
/// let genesis = ChainHash::GENESIS;
/// assert_eq!(genesis.to_string(), "0".repeat(64));
/// let parsed: ChainHash = genesis.to_string().parse().unwrap();
/// assert_eq!(parsed, genesis);
/// assert_eq!("xyz".parse::<ChainHash>().unwrap_err().code(), "invalid_value");
/// ```
///
/// The default is [`ChainHash::GENESIS`].
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChainHash([u8; 32]);

impl ChainHash {
    /// The hash before the first event: an empty log's head.
    pub const GENESIS: ChainHash = ChainHash([0; 32]);

    /// The hash of these 32 bytes (as [`ChainHash::as_bytes`] gives them).
    pub fn from_bytes(bytes: [u8; 32]) -> ChainHash {
        ChainHash(bytes)
    }

    /// The raw 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The link after `self` for an event serialized as `event_json`.
    pub(crate) fn next(&self, event_json: &[u8]) -> ChainHash {
        let mut h = Sha256::new();
        h.update(self.0);
        h.update(event_json);
        ChainHash(h.finalize().into())
    }

    /// The link after `self` for `env`.
    ///
    /// # Errors
    /// [`Error::CorruptLog`] if the event cannot be serialized.
    pub fn after(&self, env: &EventEnvelope) -> Result<ChainHash> {
        let json = serde_json::to_vec(env).map_err(|e| Error::corrupt(e.to_string()))?;
        Ok(self.next(&json))
    }
}

impl fmt::Display for ChainHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One write of 64 digits: a log writes one hash per event.
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 64];
        for (pair, b) in out.chunks_exact_mut(2).zip(self.0) {
            if let [hi, lo] = pair {
                *hi = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
                *lo = HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0');
            }
        }
        f.write_str(std::str::from_utf8(&out).unwrap_or_default())
    }
}

impl fmt::Debug for ChainHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChainHash({self})")
    }
}

impl FromStr for ChainHash {
    type Err = Error;

    /// Parses 64 hex digits (either case).
    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::invalid_value("hash", s, "expected 64 hex digits");
        if s.len() != 64 {
            return Err(bad());
        }
        let mut out = [0u8; 32];
        for (byte, pair) in out.iter_mut().zip(s.as_bytes().chunks_exact(2)) {
            let text = std::str::from_utf8(pair).map_err(|_| bad())?;
            *byte = u8::from_str_radix(text, 16).map_err(|_| bad())?;
        }
        Ok(ChainHash(out))
    }
}

impl Serialize for ChainHash {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ChainHash {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The head of the chain over the first `covered` events, advanced only
/// when asked for: hashing every event as it is appended would cost a
/// serialization per event on every command and bulk load.
#[derive(Debug, Default)]
pub(crate) struct ChainCache(Mutex<(usize, ChainHash)>);

impl ChainCache {
    /// A cache already covering `covered` events with head `head`.
    pub fn at(covered: usize, head: ChainHash) -> Self {
        ChainCache(Mutex::new((covered, head)))
    }

    /// The head over all of `events`, hashing only those not yet covered.
    pub fn head(&self, events: &[EventEnvelope]) -> Result<ChainHash> {
        // A poisoned lock only means a panic elsewhere mid-update; the pair
        // is then recomputed from the start.
        let mut guard = self.0.lock().unwrap_or_else(|p| {
            let mut g = p.into_inner();
            *g = (0, ChainHash::GENESIS);
            g
        });
        let (covered, head) = &mut *guard;
        if *covered > events.len() {
            *covered = 0;
            *head = ChainHash::GENESIS;
        }
        for env in events.get(*covered..).unwrap_or_default() {
            *head = head.after(env)?;
            *covered = covered.saturating_add(1);
        }
        Ok(*head)
    }

    /// The hash of each event from index `from` on, continuing the chain
    /// from where it was last computed when that is at or before `from`.
    pub fn hashes(&self, events: &[EventEnvelope], from: usize) -> Result<Vec<ChainHash>> {
        let (covered, head) = self.get();
        let (start, mut h) = if covered <= from && covered <= events.len() {
            (covered, head)
        } else {
            (0, ChainHash::GENESIS)
        };
        let mut out = Vec::with_capacity(events.len().saturating_sub(from));
        for (i, env) in events.iter().enumerate().skip(start) {
            h = h.after(env)?;
            if i >= from {
                out.push(h);
            }
        }
        self.set(events.len(), h);
        Ok(out)
    }

    /// Forgets what it covered past `len` events (after a truncation).
    pub fn truncate(&self, len: usize) {
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if guard.0 > len {
            *guard = (0, ChainHash::GENESIS);
        }
    }

    /// Records that the head over the first `covered` events is `head`.
    pub fn set(&self, covered: usize, head: ChainHash) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = (covered, head);
    }

    fn get(&self) -> (usize, ChainHash) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Clone for ChainCache {
    fn clone(&self) -> Self {
        let (covered, head) = self.get();
        ChainCache::at(covered, head)
    }
}

impl PartialEq for ChainCache {
    /// A cache of what the events determine: two ledgers with equal events
    /// have equal chains whatever each has computed so far.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Version of the serialized log this build writes. Version 2 added each
/// event's `hash` in the log's chain; version 1 logs are still read.
pub const LOG_VERSION: u32 = 2;

impl EventEnvelope {
    /// The event as a line of the log that [`crate::Ledger::to_json`]
    /// writes: the envelope's JSON with `hash`, its hash in the log's chain
    /// (from [`crate::Ledger::event_hashes`]). An app that stores one event
    /// at a time stores this; `{"version":2,"events":[<lines>]}` is then the
    /// log.
    ///
    /// # Errors
    /// [`crate::Error::CorruptLog`] if the event cannot be serialized (never
    /// in practice).
    pub fn to_log_json(&self, hash: &ChainHash) -> crate::Result<String> {
        let mut out = serde_json::to_vec(self).map_err(|e| crate::Error::corrupt(e.to_string()))?;
        with_hash(&mut out, hash);
        String::from_utf8(out).map_err(|e| crate::Error::corrupt(e.to_string()))
    }
}

/// Puts `hash` into the serialized envelope `json`, as its last field.
pub(crate) fn with_hash(json: &mut Vec<u8>, hash: &ChainHash) {
    // The envelope is a JSON object: its hash goes in before the closing
    // brace.
    if json.last() == Some(&b'}') {
        json.pop();
    }
    json.extend_from_slice(format!(",\"hash\":\"{hash}\"}}").as_bytes());
}

/// The serialized form of a ledger: a versioned list of events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerLog {
    /// Format version, [`LOG_VERSION`].
    pub version: u32,
    /// Events in order.
    pub events: Vec<EventEnvelope>,
}

/// An event as a version-2 log writes it: the envelope and its hash.
#[derive(Deserialize)]
pub(crate) struct HashedEnvelope {
    seq: u64,
    effective: NaiveDate,
    recorded: DateTime<Utc>,
    #[serde(default)]
    idempotency_key: Option<String>,
    #[serde(default)]
    command_fingerprint: Option<String>,
    #[serde(default)]
    requested: Option<NaiveDate>,
    event: Event,
    #[serde(default)]
    hash: Option<ChainHash>,
}

impl HashedEnvelope {
    /// The envelope, and the hash the log gave it.
    pub fn split(self) -> (EventEnvelope, Option<ChainHash>) {
        let HashedEnvelope {
            seq,
            effective,
            recorded,
            idempotency_key,
            command_fingerprint,
            requested,
            event,
            hash,
        } = self;
        (
            EventEnvelope {
                seq,
                effective,
                recorded,
                idempotency_key,
                command_fingerprint,
                requested,
                event,
            },
            hash,
        )
    }
}

/// The envelope's fields before its event, serialized as the envelope
/// serializes them.
#[derive(Serialize)]
struct Head<'a> {
    seq: u64,
    effective: NaiveDate,
    recorded: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    idempotency_key: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    command_fingerprint: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    requested: &'a Option<NaiveDate>,
}

/// Writes `env` as JSON into `out` (cleared first), given its event
/// already serialized as `event_json`: the same bytes as serializing the
/// envelope, without serializing the event a second time.
///
/// # Errors
/// A serialization error (never in practice).
pub(crate) fn envelope_json(
    env: &EventEnvelope,
    event_json: &[u8],
    out: &mut Vec<u8>,
) -> serde_json::Result<()> {
    out.clear();
    serde_json::to_writer(
        &mut *out,
        &Head {
            seq: env.seq,
            effective: env.effective,
            recorded: env.recorded,
            idempotency_key: &env.idempotency_key,
            command_fingerprint: &env.command_fingerprint,
            requested: &env.requested,
        },
    )?;
    // `{...}` becomes `{...,"event":<event>}`.
    out.pop();
    out.extend_from_slice(b",\"event\":");
    out.extend_from_slice(event_json);
    out.push(b'}');
    Ok(())
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use crate::id::InvoiceId;

    #[test]
    fn envelope_json_is_the_envelope_serialized() {
        let event = Event::InvoiceFinalized {
            invoice: InvoiceId::new("INV-1").unwrap_or_else(|_| unreachable!()),
        };
        for (key, requested) in [
            (None, None),
            (Some("k\"1".to_owned()), Some(NaiveDate::MAX)),
        ] {
            let env = EventEnvelope {
                seq: 7,
                effective: NaiveDate::MIN,
                recorded: DateTime::<Utc>::MAX_UTC,
                idempotency_key: key.clone(),
                command_fingerprint: key,
                requested,
                event: event.clone(),
            };
            let mut out = Vec::new();
            let ev = serde_json::to_vec(&env.event).unwrap_or_default();
            envelope_json(&env, &ev, &mut out).unwrap_or_default();
            assert_eq!(out, serde_json::to_vec(&env).unwrap_or_default());
        }
    }
}
