//! Reading a serialized log back ([`Ledger::from_json`]) on both cores:
//! one parses the events, serializes each back and checks its hash in the
//! chain, handing them over in batches as it goes; the other decides and
//! folds them in order.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;

use crate::error::{shown, Error, Result};
use crate::event::EventEnvelope;
use crate::log::{self, ChainHash, HashedEnvelope, LOG_VERSION};

use super::Ledger;

/// Events handed from the reading side to the deciding side at a time.
const BATCH: usize = 1_024;

/// An event read back, its event's JSON as the ledger serializes it.
type Read = (EventEnvelope, Vec<u8>);

/// The log's version and its number of events, read in a first pass that
/// keeps nothing.
#[derive(serde::Deserialize)]
struct Header {
    version: u32,
    events: Count,
}

/// The length of a JSON array, its elements skipped.
struct Count(usize);

impl<'de> serde::Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Counter;
        impl<'de> Visitor<'de> for Counter {
            type Value = Count;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of events")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Count, A::Error> {
                let mut n = 0usize;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    n = n.saturating_add(1);
                }
                Ok(Count(n))
            }
        }
        d.deserialize_seq(Counter)
    }
}

/// What the reading side shares with its serde visitors: where to send
/// batches, the chain so far, and the first error of its own (a serde
/// error can only carry text).
struct Reading<'a> {
    version: u32,
    send: &'a mut dyn FnMut(Vec<Read>) -> bool,
    stop: &'a AtomicBool,
    head: ChainHash,
    /// The envelope's JSON, reused from event to event.
    envelope: Vec<u8>,
    failed: Option<Error>,
}

impl Reading<'_> {
    /// Serializes `hashed` back, checks its hash, and files it in `batch`.
    fn take(&mut self, hashed: HashedEnvelope, batch: &mut Vec<Read>) -> Result<()> {
        let (env, hash) = hashed.split();
        let bad = |e: serde_json::Error| Error::corrupt(e.to_string());
        // The event's JSON goes on with it; the envelope's is only hashed.
        let mut event_json = Vec::with_capacity(512);
        serde_json::to_writer(&mut event_json, &env.event).map_err(bad)?;
        log::envelope_json(&env, &event_json, &mut self.envelope).map_err(bad)?;
        self.head = self.head.next(&self.envelope);
        match (self.version, hash) {
            (1, _) => {}
            (_, Some(h)) if h == self.head => {}
            (_, Some(_)) => {
                return Err(Error::corrupt(format!(
                    "event {} ({} {}): its hash does not follow from it and the events \
                     before it: an event was edited, dropped, inserted or moved",
                    env.seq,
                    env.event.name(),
                    shown(env.event.subject())
                )))
            }
            (_, None) => {
                return Err(Error::corrupt(format!(
                    "event {} ({} {}): no hash",
                    env.seq,
                    env.event.name(),
                    shown(env.event.subject())
                )))
            }
        }
        batch.push((env, event_json));
        Ok(())
    }
}

/// The document: its `events` read one by one, the rest skipped.
struct Document<'r, 'a>(&'r mut Reading<'a>);

impl<'de> DeserializeSeed<'de> for Document<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Document<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a log: {\"version\": ..., \"events\": [...]}")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "events" {
                map.next_value_seed(Events(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// The `events` array, each event taken as it is read.
struct Events<'r, 'a>(&'r mut Reading<'a>);

impl<'de> DeserializeSeed<'de> for Events<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Events<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of events")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        use serde::de::Error as _;
        let reading = self.0;
        let mut batch = Vec::with_capacity(BATCH);
        while let Some(hashed) = seq.next_element::<HashedEnvelope>()? {
            if let Err(e) = reading.take(hashed, &mut batch) {
                reading.failed = Some(e);
                return Err(A::Error::custom("stopped"));
            }
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                if reading.stop.load(Ordering::Relaxed) || !(reading.send)(full) {
                    // The deciding side stopped; its error is the one told.
                    return Err(A::Error::custom("stopped"));
                }
            }
        }
        if !batch.is_empty() {
            (reading.send)(batch);
        }
        Ok(())
    }
}

/// Reads `json`'s events, sending them on in batches; the chain's head
/// they reach, or the first error of the reading.
fn read_events(
    json: &str,
    version: u32,
    stop: &AtomicBool,
    send: &mut dyn FnMut(Vec<Read>) -> bool,
) -> Result<ChainHash> {
    let mut reading = Reading {
        version,
        send,
        stop,
        head: ChainHash::GENESIS,
        envelope: Vec::with_capacity(512),
        failed: None,
    };
    let mut de = serde_json::Deserializer::from_str(json);
    let parsed = Document(&mut reading)
        .deserialize(&mut de)
        .and_then(|()| de.end());
    if let Some(e) = reading.failed.take() {
        return Err(e);
    }
    parsed.map_err(|e| Error::corrupt(e.to_string()))?;
    Ok(reading.head)
}

impl Ledger {
    /// [`Ledger::from_json`], telling `observer` how many events are read
    /// back every [`crate::Progress::STEP`] events and at the end; the
    /// observer may stop the reading (see [`crate::Progress`]).
    ///
    /// # Errors
    ///
    /// As [`Ledger::from_json`]; [`Error::Interrupted`] when the observer
    /// stops the reading.
    pub fn from_json_with_progress(json: &str, observer: crate::Observer<'_>) -> Result<Self> {
        let header: Header =
            serde_json::from_str(json).map_err(|e| Error::corrupt(e.to_string()))?;
        if header.version != LOG_VERSION && header.version != 1 {
            return Err(Error::UnsupportedLogVersion {
                version: header.version,
                supported: LOG_VERSION,
            });
        }
        let total = header.events.0;
        let mut meter = crate::progress::Meter::new(observer, total);
        let mut ledger = Ledger::new();
        let stop = AtomicBool::new(false);
        let (tx, rx) = mpsc::channel::<Vec<Read>>();
        let halt = &stop;
        let there = move || {
            read_events(json, header.version, halt, &mut |batch| {
                tx.send(batch).is_ok()
            })
        };
        let mut here = || {
            let decided = rx.iter().try_for_each(|batch| {
                batch.into_iter().try_for_each(|(env, event_json)| {
                    ledger.append_serialized(env, &event_json)?;
                    meter.add(1)
                })
            });
            if decided.is_err() {
                halt.store(true, Ordering::Relaxed);
            }
            decided
        };
        let small = total < crate::par::PARALLEL_ROWS;
        let (head, decided) =
            crate::par::both(small, there, &mut here).ok_or_else(|| Error::Internal {
                message: "the log reader stopped".into(),
            })?;
        // The deciding side only saw events the reading side had read and
        // checked: its error comes first in the log.
        decided?;
        let head = head?;
        meter.tell()?;
        ledger.chain.set(ledger.events.len(), head);
        Ok(ledger)
    }
}
