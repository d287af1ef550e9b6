//! The ledger: an append-only log of events and the state it folds into.

mod accounting;
mod cash_application;
mod collections;
mod credit_control;
mod dispatch;
mod fold;
mod forecast;
pub mod import;
mod query;
mod read;
mod report;
mod snapshot;
mod statement;
mod verify;
mod warm;
mod worklist;

use std::collections::HashMap;
use std::sync::Arc;

pub use query::{ApplicationView, Balance, InstallmentView, InvoiceView, OpenItem, SourceView};
pub use snapshot::{SnapshotInfo, SNAPSHOT_VERSION};

use crate::command::{Command, CommandMeta};
use crate::customer::Customer;
use crate::decide::Decider;
use crate::error::{shown, Error, Result};
use crate::event::EventEnvelope;
use crate::id::CustomerId;
use crate::log::{self, ChainCache, ChainHash, LedgerLog, LOG_VERSION};
use crate::state::State;

/// What a command did: the events it appended, or for a retried idempotent
/// command the events it appended the first time.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Outcome {
    /// The events.
    pub events: Vec<EventEnvelope>,
    /// True when this was a retry and nothing was appended.
    pub replayed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct IdempotencyRecord {
    fingerprint: String,
    first: usize,
    count: usize,
}

/// Each idempotency key's command and where its events are.
type IdempotencyMap = HashMap<String, IdempotencyRecord>;

/// Whether `env` may follow `events` in a log read back: the next sequence
/// number, recorded no earlier than the last.
///
/// # Errors
/// [`Error::CorruptLog`] naming the event.
fn check_place(events: &[EventEnvelope], env: &EventEnvelope) -> Result<()> {
    let expected = u64::try_from(events.len())
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    if env.seq != expected {
        return Err(Error::corrupt(format!(
            "event seq {} where {expected} was expected",
            env.seq
        )));
    }
    if let Some(last) = events.last() {
        if env.recorded < last.recorded {
            return Err(Error::corrupt(format!(
                "event {} was recorded before event {}",
                env.seq, last.seq
            )));
        }
    }
    Ok(())
}

/// Files `env`, the event at index `at` of the log, under its idempotency
/// key, if it has one: a command's events are consecutive, so a key's
/// record is where its first event is and how many there are.
fn remember_key(idempotency: &mut IdempotencyMap, env: &EventEnvelope, at: usize) {
    if let (Some(key), Some(fp)) = (&env.idempotency_key, &env.command_fingerprint) {
        idempotency
            .entry(key.clone())
            .and_modify(|r| r.count = r.count.saturating_add(1))
            .or_insert(IdempotencyRecord {
                fingerprint: fp.clone(),
                first: at,
                count: 1,
            });
    }
}

/// The receivables of one company: an append-only log of events and the
/// state folded from it. Holds no I/O and reads no clock; the caller
/// persists [`Ledger::events`] (or [`Ledger::to_json`]) wherever it likes.
///
/// # Example
/// ```
/// use ar_core::*;
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use rust_decimal::Decimal;
///
/// let usd = Currency::new("USD").unwrap();
/// let acme = CustomerId::new("ACME").unwrap();
/// let at = CommandMeta::at(Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap());
/// let day = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
/// let mut ledger = Ledger::new();
/// ledger.execute(Command::RegisterCustomer { customer: Customer::new(acme.clone(), "Acme", usd) }, &at).unwrap();
/// let line = InvoiceLine::new("Widgets", Decimal::TEN, Decimal::new(1250, 2));
/// let invoice = NewInvoice::new(InvoiceId::new("INV-1").unwrap(), acme.clone(), day, vec![line]);
/// ledger.execute(Command::IssueInvoice { invoice }, &at).unwrap();
/// let balance = &ledger.customer_balance(&acme, &View::all()).unwrap()[0];
/// assert_eq!(balance.invoices.to_string(), "125.00");
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ledger {
    events: Vec<EventEnvelope>,
    state: State,
    idempotency: IdempotencyMap,
    /// The hash chain's head, as far as it has been computed.
    chain: ChainCache,
}

/// FNV-1a: a stable fingerprint of a command's canonical JSON, so that a
/// retried key can be told from a reused one across processes.
fn fingerprint(command: &Command) -> Result<String> {
    let bytes = serde_json::to_vec(command)
        .map_err(|e| Error::invalid_value("command", e, "cannot be serialized"))?;
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    Ok(format!("{hash:016x}"))
}

impl Ledger {
    /// An empty ledger.
    pub fn new() -> Self {
        Ledger::default()
    }

    /// Validates `command` against the current state and appends its events.
    ///
    /// # Errors
    /// Any [`Error`] the command's validation raises; the ledger is then
    /// unchanged. Also [`Error::RecordedOutOfOrder`] when `meta.recorded` is
    /// earlier than the last event's, and [`Error::IdempotencyConflict`] when
    /// the key was used for a different command.
    pub fn execute(&mut self, command: Command, meta: &CommandMeta) -> Result<Outcome> {
        let key_fp = match &meta.idempotency_key {
            None => None,
            Some(key) => {
                if key.is_empty() {
                    return Err(Error::invalid_value(
                        "idempotency_key",
                        key,
                        "must not be empty",
                    ));
                }
                let fp = fingerprint(&command)?;
                if let Some(rec) = self.idempotency.get(key) {
                    if rec.fingerprint != fp {
                        return Err(Error::IdempotencyConflict { key: key.clone() });
                    }
                    let events = self
                        .events
                        .iter()
                        .skip(rec.first)
                        .take(rec.count)
                        .cloned()
                        .collect();
                    return Ok(Outcome {
                        events,
                        replayed: true,
                    });
                }
                Some((key.clone(), fp))
            }
        };
        let first = self.events.len();
        let count = self.append_decided(command, meta, key_fp.as_ref())?;
        if let Some((key, fingerprint)) = key_fp {
            self.idempotency.insert(
                key,
                IdempotencyRecord {
                    fingerprint,
                    first,
                    count,
                },
            );
        }
        Ok(Outcome {
            events: self.events.get(first..).unwrap_or_default().to_vec(),
            replayed: false,
        })
    }

    /// Decides `command`, folds its events in and appends them; their
    /// number. On error the ledger is unchanged.
    fn append_decided(
        &mut self,
        command: Command,
        meta: &CommandMeta,
        key_fp: Option<&(String, String)>,
    ) -> Result<usize> {
        if let Some(last) = self.events.last() {
            if meta.recorded < last.recorded {
                return Err(Error::RecordedOutOfOrder {
                    recorded: meta.recorded.to_rfc3339(),
                    last: last.recorded.to_rfc3339(),
                });
            }
        }
        let next_seq = u64::try_from(self.events.len())
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        let decider = Decider {
            state: &self.state,
            next_seq,
            today: meta.recorded.date_naive(),
        };
        let (decided, requested) = dispatch::decide_dated(&decider, command)?;
        let first = self.events.len();
        let count = decided.len();
        for (i, (effective, event)) in decided.into_iter().enumerate() {
            let env = EventEnvelope {
                seq: next_seq.saturating_add(u64::try_from(i).unwrap_or(0)),
                effective,
                recorded: meta.recorded,
                idempotency_key: key_fp.map(|(k, _)| k.clone()),
                command_fingerprint: key_fp.map(|(_, f)| f.clone()),
                requested,
                event,
            };
            // Decide has validated everything the fold checks, so the fold
            // cannot fail here; its checks guard logs replayed from storage.
            if let Err(e) = fold::fold(&mut self.state, &env) {
                // A defect, not bad input: restore the state from the log so
                // the rejected command leaves nothing behind.
                self.events.truncate(first);
                self.chain.truncate(first);
                self.state = Self::fold(&self.events)?;
                return Err(Error::Internal {
                    message: format!("event {} did not fold: {e}", env.seq),
                });
            }
            self.events.push(env);
        }
        if self.state.cols.magnitude_bound() > crate::report::columns::MAX_MAGNITUDE {
            // Reports could no longer hold their sums: refuse the command.
            self.events.truncate(first);
            self.chain.truncate(first);
            self.state = Self::fold(&self.events)?;
            return Err(Error::overflow("amount"));
        }
        Ok(count)
    }

    fn fold(events: &[EventEnvelope]) -> Result<State> {
        let mut state = State::default();
        for env in events {
            fold::fold(&mut state, env)?;
        }
        Ok(state)
    }

    /// The events, in order.
    pub fn events(&self) -> &[EventEnvelope] {
        &self.events
    }

    /// An estimate of the heap memory the ledger holds, in bytes: what its
    /// log, state and indexes have reserved and what their records own,
    /// each document counted once. Not counted: the allocator's own
    /// overhead per allocation. For telling a garbage collector or a cache
    /// how big the ledger is (the Node binding reports it to V8; Python's
    /// `sys.getsizeof` includes it). Reads every event and record: 8 ms
    /// for the 100k-invoice benchmark book (209 MB), 58 ms at a million
    /// invoices (2.1 GB).
    ///
    /// # Example
    /// ```
    /// use ar_core::*;
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use rust_decimal::Decimal;
    ///
    /// let usd = Currency::new("USD").unwrap();
    /// let acme = CustomerId::new("ACME").unwrap();
    /// let at = CommandMeta::at(Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap());
    /// let mut ledger = Ledger::new();
    /// assert_eq!(ledger.heap_bytes(), 0);
    /// ledger.execute(Command::RegisterCustomer { customer: Customer::new(acme, "Acme", usd) }, &at).unwrap();
    /// let one = ledger.heap_bytes();
    /// // At least the event and the customer it holds.
    /// assert!(one >= std::mem::size_of::<EventEnvelope>() + std::mem::size_of::<Customer>());
    /// ```
    pub fn heap_bytes(&self) -> usize {
        use crate::heap::{self, Heap};
        let Ledger {
            events,
            state,
            idempotency,
            chain: _,
        } = self;
        // A hash map keeps a control byte beside each bucket.
        let buckets = idempotency
            .capacity()
            .saturating_mul(size_of::<(String, IdempotencyRecord)>().saturating_add(1));
        let keys = idempotency
            .iter()
            .map(|(k, r)| k.capacity().saturating_add(r.fingerprint.capacity()))
            .fold(0, usize::saturating_add);
        [heap::deep(events), state.heap(), buckets, keys]
            .into_iter()
            .fold(0, usize::saturating_add)
    }

    /// A customer by id.
    pub fn customer(&self, id: &CustomerId) -> Option<&Customer> {
        self.state.customers.get(id).map(Arc::as_ref)
    }

    /// All customers, in registration order.
    pub fn customers(&self) -> impl Iterator<Item = &Customer> {
        self.state.customers.iter().map(Arc::as_ref)
    }

    /// Rebuilds a ledger from events (as previously returned by
    /// [`Ledger::events`]), each checked as [`Ledger::append`] checks it.
    ///
    /// # Errors
    /// As [`Ledger::append`], for the first event that fails.
    pub fn replay(events: impl IntoIterator<Item = EventEnvelope>) -> Result<Self> {
        let mut ledger = Ledger::new();
        for env in events {
            ledger.append(env)?;
        }
        Ok(ledger)
    }

    /// Appends one already-decided event (from storage) and folds it in.
    ///
    /// A log read back is held to the rules of the commands that made it:
    /// the event is turned back into its command, which is decided against
    /// the ledger as it stands, and must give exactly this event. So totals
    /// must follow from lines, installments from terms, amounts must sit at
    /// their currency's minor unit and within what is open, and so on.
    ///
    /// # Errors
    /// [`Error::CorruptLog`] naming the event, for a sequence gap, a
    /// recorded time going back, a reference to a record the log never
    /// created, or an event its command does not give (with that command's
    /// own error in the reason); the ledger is unchanged on error.
    pub fn append(&mut self, env: EventEnvelope) -> Result<()> {
        let json = serde_json::to_vec(&env.event).map_err(|e| Error::corrupt(e.to_string()))?;
        self.append_serialized(env, &json)
    }

    /// [`Ledger::append`] of an event whose JSON is at hand.
    fn append_serialized(&mut self, env: EventEnvelope, event_json: &[u8]) -> Result<()> {
        check_place(&self.events, &env)?;
        verify::check(&self.state, &env, event_json)?;
        // The fold checks every reference before it mutates anything.
        fold::fold(&mut self.state, &env)?;
        if self.state.cols.magnitude_bound() > crate::report::columns::MAX_MAGNITUDE {
            self.state = Self::fold(&self.events)?;
            return Err(Error::overflow(&format!("event {}", env.seq)));
        }
        remember_key(&mut self.idempotency, &env, self.events.len());
        self.events.push(env);
        Ok(())
    }

    /// The versioned log.
    pub fn to_log(&self) -> LedgerLog {
        LedgerLog {
            version: LOG_VERSION,
            events: self.events.clone(),
        }
    }

    /// The head of the log's hash chain: the hash of the last event, which
    /// covers every event before it (see [`ChainHash`]); [`ChainHash::GENESIS`]
    /// for an empty ledger. Store it beside the events: a log that reads
    /// back with another head was changed.
    ///
    /// Computed when asked for, from where it was last computed: the first
    /// call after a bulk load hashes every event (about a microsecond
    /// each), later calls only the new ones.
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
    /// assert_eq!(ledger.chain_head().unwrap(), ChainHash::GENESIS);
    /// let acme = Customer::new(CustomerId::new("ACME").unwrap(), "Acme", Currency::new("USD").unwrap());
    /// ledger.execute(Command::RegisterCustomer { customer: acme }, &at).unwrap();
    /// let head = ledger.chain_head().unwrap();
    /// assert_ne!(head, ChainHash::GENESIS);
    /// // The same events give the same head, wherever they are replayed.
    /// let copy = Ledger::from_json(&ledger.to_json().unwrap()).unwrap();
    /// assert_eq!(copy.chain_head().unwrap(), head);
    /// ```
    pub fn chain_head(&self) -> Result<ChainHash> {
        self.chain.head(&self.events)
    }

    /// The hash in the log's chain of each event from index `from` (0 for
    /// the first event) on: for storing events one at a time, each with
    /// [`EventEnvelope::to_log_json`]. Continues from the last hash computed
    /// when that is at or before `from`, so asking after each command for
    /// its new events costs only those.
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
    /// let out = ledger.execute(Command::RegisterCustomer { customer: acme }, &at).unwrap();
    /// let hashes = ledger.event_hashes(0).unwrap();
    /// let line = out.events[0].to_log_json(&hashes[0]).unwrap();
    /// // The stored lines are the log.
    /// let log = format!("{{\"version\":2,\"events\":[{line}]}}");
    /// assert_eq!(log, ledger.to_json().unwrap());
    /// assert_eq!(Ledger::from_json(&log).unwrap(), ledger);
    /// ```
    pub fn event_hashes(&self, from: usize) -> Result<Vec<ChainHash>> {
        self.chain.hashes(&self.events, from)
    }

    /// The log lines of the events from index `from` (0 for the first
    /// event) on, each [`EventEnvelope::to_log_json`] with its hash in the
    /// chain: what an app stores, one row per event, after each command
    /// (`from` = the number of events it had stored). Read back one at a
    /// time by [`Ledger::append_log_line`].
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
    /// let stored = ledger.log_lines(0).unwrap();
    /// // Rebuilt from the stored rows, one at a time.
    /// let mut copy = Ledger::new();
    /// for line in &stored {
    ///     copy.append_log_line(line).unwrap();
    /// }
    /// assert_eq!(copy, ledger);
    /// ```
    pub fn log_lines(&self, from: usize) -> Result<Vec<String>> {
        let hashes = self.event_hashes(from)?;
        self.events
            .get(from..)
            .unwrap_or_default()
            .iter()
            .zip(&hashes)
            .map(|(env, hash)| env.to_log_json(hash))
            .collect()
    }

    /// Appends one stored log line ([`Ledger::log_lines`]): its hash must
    /// follow from the event and the events before it, and the event is
    /// checked as [`Ledger::append`] checks it. The ledger is unchanged on
    /// error, so an app replaying rows stops at the first bad one with the
    /// ledger of the rows before it.
    ///
    /// # Errors
    /// [`Error::CorruptLog`] for a line that does not parse, has no hash or
    /// a hash that does not follow (an event edited, dropped, inserted or
    /// moved), and as [`Ledger::append`].
    pub fn append_log_line(&mut self, line: &str) -> Result<()> {
        let bad = |e: serde_json::Error| Error::corrupt(e.to_string());
        let hashed: log::HashedEnvelope = serde_json::from_str(line).map_err(bad)?;
        let (env, hash) = hashed.split();
        let mut event_json = Vec::with_capacity(512);
        let mut bytes = Vec::with_capacity(512);
        serde_json::to_writer(&mut event_json, &env.event).map_err(bad)?;
        log::envelope_json(&env, &event_json, &mut bytes).map_err(bad)?;
        let head = self.chain_head()?.next(&bytes);
        if hash != Some(head) {
            return Err(Error::corrupt(format!(
                "event {} ({} {}): its hash does not follow from it and the events before it",
                env.seq,
                env.event.name(),
                shown(env.event.subject())
            )));
        }
        self.append_serialized(env, &event_json)?;
        self.chain.set(self.events.len(), head);
        Ok(())
    }

    /// The log as JSON: `{"version": 2, "events": [...]}`, each event with
    /// its `hash` in the chain (see [`ChainHash`]).
    ///
    /// # Errors
    /// Never in practice; serialization errors are reported as
    /// [`Error::CorruptLog`].
    pub fn to_json(&self) -> Result<String> {
        let mut out = Vec::with_capacity(self.events.len().saturating_mul(256));
        out.extend_from_slice(format!("{{\"version\":{LOG_VERSION},\"events\":[").as_bytes());
        let mut head = ChainHash::GENESIS;
        let mut json = Vec::with_capacity(512);
        for (i, env) in self.events.iter().enumerate() {
            json.clear();
            serde_json::to_writer(&mut json, env).map_err(|e| Error::corrupt(e.to_string()))?;
            head = head.next(&json);
            if i > 0 {
                out.push(b',');
            }
            log::with_hash(&mut json, &head);
            out.extend_from_slice(&json);
        }
        out.extend_from_slice(b"]}");
        self.chain.set(self.events.len(), head);
        String::from_utf8(out).map_err(|e| Error::corrupt(e.to_string()))
    }

    /// Rebuilds a ledger from [`Ledger::to_json`] output, checking each
    /// event's hash in the chain and each event as [`Ledger::append`] does.
    /// Logs of version 1 (before the chain) are read and checked the same
    /// way, without hashes.
    ///
    /// # Errors
    /// [`Error::UnsupportedLogVersion`]; [`Error::CorruptLog`] for JSON that
    /// does not parse, a version-2 event without a hash or whose hash does
    /// not follow from it and the events before it (an event edited,
    /// dropped, inserted or moved), or an event [`Ledger::append`] refuses.
    pub fn from_json(json: &str) -> Result<Self> {
        Ledger::from_json_with_progress(json, &mut crate::progress::unobserved)
    }
}
