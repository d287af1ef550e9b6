//! Snapshots: the ledger written in one piece and read back without
//! deciding its history again.
//!
//! A snapshot holds the log exactly as its hash chain covers it (each
//! event's envelope JSON, length-prefixed) behind a fixed header that
//! names the format, the log version, the number of events and the chain's
//! head. Restoring hashes the events as it reads them, so any damaged,
//! edited, dropped or moved byte gives another head than the header's
//! and is refused, and folds them into the state without turning each back
//! into its command: the events were decided when they were made, and the
//! chain vouches they are those events. Reading is shared by the two
//! cores; one of them folds, the other hashes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use crate::error::{shown, Error, Result};
use crate::event::EventEnvelope;
use crate::log::{ChainCache, ChainHash, LOG_VERSION};
use crate::progress::Meter;
use crate::state::State;

use super::{fold, Ledger};

/// The first bytes of every snapshot.
const MAGIC: [u8; 8] = *b"ar-snap\n";
/// The snapshot format this build writes and reads.
pub const SNAPSHOT_VERSION: u32 = 1;
/// Magic, format version, log version, events, head.
const HEADER: usize = 8 + 4 + 4 + 8 + 32;

/// What a snapshot's header says, read without restoring it: for finding
/// where the log's tail starts (the events after [`SnapshotInfo::events`]).
///
/// # Example
/// ```
/// use ar_core::*;
/// use chrono::{TimeZone, Utc};
///
/// let at = CommandMeta::at(Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap());
/// let mut ledger = Ledger::new();
/// let acme = Customer::new(CustomerId::new("ACME").unwrap(), "Acme", Currency::new("USD").unwrap());
/// ledger.execute(Command::RegisterCustomer { customer: acme }, &at).unwrap();
/// let info = Ledger::snapshot_info(&ledger.snapshot().unwrap()).unwrap();
/// assert_eq!(info.events, 1);
/// assert_eq!(info.chain_head, ledger.chain_head().unwrap());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SnapshotInfo {
    /// The snapshot format, [`SNAPSHOT_VERSION`].
    pub version: u32,
    /// The log version of its events, [`LOG_VERSION`].
    pub log_version: u32,
    /// How many events it holds: the tail starts at this index.
    pub events: u64,
    /// The head of the hash chain over them.
    pub chain_head: ChainHash,
}

fn damaged(what: &str) -> Error {
    Error::corrupt(format!("snapshot: {what}"))
}

/// `N` bytes at `at`, or the snapshot ends too soon.
fn take<const N: usize>(bytes: &[u8], at: usize) -> Result<[u8; N]> {
    at.checked_add(N)
        .and_then(|end| bytes.get(at..end))
        .and_then(|b| <[u8; N]>::try_from(b).ok())
        .ok_or_else(|| damaged("it ends before its header does"))
}

impl SnapshotInfo {
    fn read(bytes: &[u8]) -> Result<SnapshotInfo> {
        if take::<8>(bytes, 0)? != MAGIC {
            return Err(damaged("it does not start as a snapshot does"));
        }
        let version = u32::from_le_bytes(take(bytes, 8)?);
        if version != SNAPSHOT_VERSION {
            return Err(Error::UnsupportedLogVersion {
                version,
                supported: SNAPSHOT_VERSION,
            });
        }
        let log_version = u32::from_le_bytes(take(bytes, 12)?);
        if log_version != LOG_VERSION {
            return Err(Error::UnsupportedLogVersion {
                version: log_version,
                supported: LOG_VERSION,
            });
        }
        Ok(SnapshotInfo {
            version,
            log_version,
            events: u64::from_le_bytes(take(bytes, 16)?),
            chain_head: ChainHash::from_bytes(take(bytes, 24)?),
        })
    }
}

/// Where each event's JSON lies in a snapshot's body; as many as the
/// header says, or the snapshot is damaged.
fn locate(body: &[u8], expected: u64) -> Result<Vec<std::ops::Range<usize>>> {
    // Sized by the header only as far as the body could hold that many (an
    // event is at least its length and `{}`), so a damaged count cannot
    // ask for memory.
    let most = u64::try_from(body.len() / 6).unwrap_or(u64::MAX);
    let mut spans = Vec::with_capacity(usize::try_from(expected.min(most)).unwrap_or(0));
    let mut at = 0usize;
    while at < body.len() {
        let past = || {
            damaged(&format!(
                "event {} runs past its end",
                spans.len().saturating_add(1)
            ))
        };
        let len = u32::from_le_bytes(take(body, at).map_err(|_| past())?) as usize;
        let start = at.saturating_add(4);
        let end = start
            .checked_add(len)
            .filter(|end| *end <= body.len())
            .ok_or_else(past)?;
        spans.push(start..end);
        at = end;
    }
    if u64::try_from(spans.len()).ok() != Some(expected) {
        return Err(damaged(&format!(
            "it holds {} events where its header says {expected}",
            spans.len()
        )));
    }
    Ok(spans)
}

/// The events at `spans` of `body`, read; the first that does not read is
/// named by its place in the log (`first` is the place of `spans[0]`).
/// Gives up, with an error no one reads, once `stop` is set (the folding
/// side failed or was told to stop).
fn parse(
    body: &[u8],
    spans: &[std::ops::Range<usize>],
    first: usize,
    stop: &AtomicBool,
) -> Result<Vec<EventEnvelope>> {
    let mut out = Vec::with_capacity(spans.len());
    for (i, span) in spans.iter().enumerate() {
        if i % 4_096 == 0 && stop.load(Ordering::Relaxed) {
            return Err(damaged("reading stopped"));
        }
        out.push(
            serde_json::from_slice(body.get(span.clone()).unwrap_or_default()).map_err(|e| {
                damaged(&format!(
                    "event {} does not read: {e}",
                    first.saturating_add(i).saturating_add(1)
                ))
            })?,
        );
    }
    Ok(out)
}

/// The chain's head over the events at `spans`.
fn chain(body: &[u8], spans: &[std::ops::Range<usize>]) -> ChainHash {
    spans.iter().fold(ChainHash::GENESIS, |head, span| {
        head.next(body.get(span.clone()).unwrap_or_default())
    })
}

/// A ledger's parts, folded from trusted events one at a time.
#[derive(Default)]
struct Folder {
    events: Vec<EventEnvelope>,
    state: State,
    idempotency: super::IdempotencyMap,
}

impl Folder {
    /// Folds `env` in, checking its place in the log.
    fn take(&mut self, env: EventEnvelope) -> Result<()> {
        super::check_place(&self.events, &env)?;
        fold::fold(&mut self.state, &env).map_err(|e| {
            damaged(&format!(
                "event {} ({} {}) does not fold: {e}",
                env.seq,
                env.event.name(),
                shown(env.event.subject())
            ))
        })?;
        super::remember_key(&mut self.idempotency, &env, self.events.len());
        self.events.push(env);
        Ok(())
    }

    fn take_all(&mut self, events: Vec<EventEnvelope>, meter: &mut Meter<'_>) -> Result<()> {
        events.into_iter().try_for_each(|env| {
            self.take(env)?;
            meter.add(1)
        })
    }
}

/// The share of the events' bytes this thread reads before folding every
/// event, in twentieths: the other thread reads the rest and hashes them
/// all, so that both finish together (reading an event costs several times
/// folding it, hashing it a fraction).
const HERE: usize = 8;
/// Events read by the other thread handed over at a time.
const BATCH: usize = 4_096;

impl Ledger {
    /// The ledger in one piece, for storing beside its log and reading back
    /// with [`Ledger::restore`] faster than [`Ledger::from_json`] reads the
    /// log: a header (format [`SNAPSHOT_VERSION`], log version, number of
    /// events, the chain's head) and every event as the hash chain covers
    /// it. Computes the chain's head as it goes, so [`Ledger::chain_head`]
    /// costs nothing afterwards.
    ///
    /// # Errors
    /// [`Error::CorruptLog`] if an event cannot be serialized (never in
    /// practice).
    ///
    /// # Example
    /// ```
    /// use ar_core::*;
    /// use chrono::{TimeZone, Utc};
    ///
    /// let at = CommandMeta::at(Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap());
    /// let mut ledger = Ledger::new();
    /// let acme = Customer::new(CustomerId::new("ACME").unwrap(), "Acme", Currency::new("USD").unwrap());
    /// ledger.execute(Command::RegisterCustomer { customer: acme }, &at).unwrap();
    /// let snapshot = ledger.snapshot().unwrap();
    /// assert_eq!(Ledger::restore(&snapshot, []).unwrap(), ledger);
    /// ```
    pub fn snapshot(&self) -> Result<Vec<u8>> {
        let mut out =
            Vec::with_capacity(HEADER.saturating_add(self.events.len().saturating_mul(300)));
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&SNAPSHOT_VERSION.to_le_bytes());
        out.extend_from_slice(&LOG_VERSION.to_le_bytes());
        let count = u64::try_from(self.events.len()).unwrap_or(u64::MAX);
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(ChainHash::GENESIS.as_bytes());
        let mut head = ChainHash::GENESIS;
        let mut json = Vec::with_capacity(512);
        for env in &self.events {
            json.clear();
            serde_json::to_writer(&mut json, env).map_err(|e| Error::corrupt(e.to_string()))?;
            // A length past the body is refused when read, so a damaged
            // one never asks for memory.
            let len = u32::try_from(json.len())
                .map_err(|_| Error::corrupt(format!("event {} is over 4 GiB of JSON", env.seq)))?;
            head = head.next(&json);
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&json);
        }
        if let Some(slot) = out.get_mut(24..HEADER) {
            slot.copy_from_slice(head.as_bytes());
        }
        self.chain.set(self.events.len(), head);
        Ok(out)
    }

    /// What a snapshot's header says, without restoring it.
    ///
    /// # Errors
    /// [`Error::CorruptLog`] for bytes that do not start as a snapshot;
    /// [`Error::UnsupportedLogVersion`] for a snapshot format or log version
    /// this build does not read.
    pub fn snapshot_info(snapshot: &[u8]) -> Result<SnapshotInfo> {
        SnapshotInfo::read(snapshot)
    }

    /// The ledger a [`Ledger::snapshot`] was taken of, then the log lines
    /// written after it (`tail`, as [`Ledger::log_lines`] gives them from
    /// the snapshot's [`SnapshotInfo::events`] on), each checked as
    /// [`Ledger::append_log_line`] checks it. Equal to the ledger
    /// [`Ledger::from_json`] reads from the whole log.
    ///
    /// The snapshot's events are hashed as they are read, and the head
    /// they reach must be the header's: a snapshot damaged or edited
    /// anywhere is refused. They are folded into the state without being
    /// turned back into their commands (they were decided when made), which
    /// is what makes this faster than reading the log; the tail's events
    /// are decided again, as any log read back is. Both cores read; one
    /// folds, the other hashes.
    ///
    /// # Errors
    /// [`Error::CorruptLog`] for a snapshot whose events do not read, do
    /// not hash to its header's head, are not as many as it says, or do
    /// not fold (naming the event), and for a tail line that
    /// [`Ledger::append_log_line`] refuses (naming it);
    /// [`Error::UnsupportedLogVersion`] as [`Ledger::snapshot_info`].
    ///
    /// # Example
    /// ```
    /// use ar_core::*;
    /// use chrono::{TimeZone, Utc};
    ///
    /// let at = CommandMeta::at(Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap());
    /// let usd = Currency::new("USD").unwrap();
    /// let mut ledger = Ledger::new();
    /// let acme = Customer::new(CustomerId::new("ACME").unwrap(), "Acme", usd);
    /// ledger.execute(Command::RegisterCustomer { customer: acme }, &at).unwrap();
    /// let snapshot = ledger.snapshot().unwrap();
    /// // Later commands are stored as log lines, one per event.
    /// let globex = Customer::new(CustomerId::new("GLOBEX").unwrap(), "Globex", usd);
    /// ledger.execute(Command::RegisterCustomer { customer: globex }, &at).unwrap();
    /// let from = Ledger::snapshot_info(&snapshot).unwrap().events as usize;
    /// let tail = ledger.log_lines(from).unwrap();
    /// let restored = Ledger::restore(&snapshot, tail.iter().map(String::as_str)).unwrap();
    /// assert_eq!(restored, ledger);
    /// assert_eq!(restored.chain_head().unwrap(), ledger.chain_head().unwrap());
    /// ```
    pub fn restore<'a>(snapshot: &[u8], tail: impl IntoIterator<Item = &'a str>) -> Result<Self> {
        let tail: Vec<&str> = tail.into_iter().collect();
        Ledger::restore_with_progress(snapshot, &tail, &mut crate::progress::unobserved)
    }

    /// [`Ledger::restore`], telling `observer` how many events (the
    /// snapshot's, then the tail's) are in every [`crate::Progress::STEP`]
    /// events and at the end; the observer may stop the restore (see
    /// [`crate::Progress`]).
    ///
    /// # Errors
    ///
    /// As [`Ledger::restore`]; [`Error::Interrupted`] when the observer
    /// stops it.
    pub fn restore_with_progress(
        snapshot: &[u8],
        tail: &[&str],
        observer: crate::Observer<'_>,
    ) -> Result<Self> {
        let info = SnapshotInfo::read(snapshot)?;
        let body = snapshot.get(HEADER..).unwrap_or_default();
        let spans = locate(body, info.events)?;
        // Reading costs by the byte (an invoice reads slower than a
        // receipt), so the split is by bytes, not by events.
        let cut = (body.len() / 20).saturating_mul(HERE);
        let split = spans.partition_point(|span| span.start < cut);
        let (front, back) = spans.split_at(split);
        let mut folder = Folder {
            events: Vec::with_capacity(spans.len()),
            ..Folder::default()
        };
        let mut meter = Meter::new(observer, spans.len().saturating_add(tail.len()));
        let stop = AtomicBool::new(false);
        // The other core reads the rest in batches, handed over as read, and
        // then hashes every event; this one reads its part, folds it, then
        // folds the batches: both finish at about the same time.
        let (tx, rx) = mpsc::channel::<Vec<EventEnvelope>>();
        let (all, halt) = (&spans, &stop);
        let there = move || {
            let mut first = split;
            for chunk in back.chunks(BATCH) {
                let events = parse(body, chunk, first, halt)?;
                first = first.saturating_add(chunk.len());
                if tx.send(events).is_err() {
                    // This side stopped on an error, reported from there.
                    return Ok(ChainHash::GENESIS);
                }
            }
            drop(tx);
            Ok(chain(body, all))
        };
        let mut here = || {
            let read = parse(body, front, 0, halt)
                .and_then(|events| folder.take_all(events, &mut meter))
                .and_then(|()| {
                    rx.iter()
                        .try_for_each(|batch| folder.take_all(batch, &mut meter))
                });
            if read.is_err() {
                halt.store(true, Ordering::Relaxed);
            }
            read
        };
        let small = spans.len() < crate::par::PARALLEL_ROWS;
        let (head, folded): (Result<ChainHash>, Result<()>) =
            crate::par::both(small, there, &mut here).ok_or_else(|| Error::Internal {
                message: "the snapshot reader stopped".into(),
            })?;
        // An event that did not fold comes before any the other side could
        // not read (it stops folding where the batches stop).
        folded?;
        let head = head?;
        if head != info.chain_head {
            return Err(damaged(
                "its events do not hash to the head its header gives: it was damaged or edited",
            ));
        }
        if folder.state.cols.magnitude_bound() > crate::report::columns::MAX_MAGNITUDE {
            return Err(Error::overflow("snapshot"));
        }
        let Folder {
            events,
            state,
            idempotency,
        } = folder;
        let covered = events.len();
        let mut ledger = Ledger {
            events,
            state,
            idempotency,
            chain: ChainCache::at(covered, head),
        };
        for line in tail {
            ledger.append_log_line(line)?;
            meter.add(1)?;
        }
        meter.tell()?;
        Ok(ledger)
    }
}
