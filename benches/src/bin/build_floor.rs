//! What building the benchmark's ledger costs when the state is laid out
//! as columns of integers: the same tables, the same checks on each row as
//! `Ledger::from_tables` makes, into one 32-byte record per document, a
//! list of changes to open amounts and a log of 12-byte entries (what
//! happened, its date, which row), with no object, envelope or allocation
//! per row. It answers how fast a ledger laid out that way could be built;
//! it runs beside `Ledger::from_tables` on the same tables, in the same
//! process, and checks both leave the same amounts open and log the same
//! events:
//! `cargo run --release -p ar-benches --bin build_floor -- 1000000`.
//!
//! Not a ledger: it keeps no document beyond its id and amounts, answers
//! no query, and checks what the benchmark's rows need (one installment
//! per invoice, receipts that name their payer).
use std::hash::BuildHasher;
use std::time::{Duration, Instant};

use ar_core::bulk::StrColumn;
use ar_core::import::LedgerTables;
use ar_core::rust_decimal::Decimal;
use ar_core::{check_minor_units, Currency, CustomerId, Error, InvoiceId, ReceiptId, View};
use hashbrown::HashTable;

/// Ids of one kind: the ids in a column and an index of rows by id.
struct Ids<K> {
    keys: Vec<K>,
    index: HashTable<u32>,
    hasher: foldhash::fast::RandomState,
}

impl<K: Eq + std::hash::Hash> Ids<K> {
    fn with_capacity(n: usize) -> Self {
        Ids {
            keys: Vec::with_capacity(n),
            index: HashTable::with_capacity(n),
            hasher: foldhash::fast::RandomState::default(),
        }
    }

    fn find(&self, k: &K) -> Option<usize> {
        let hash = self.hasher.hash_one(k);
        self.index
            .find(hash, |&row| self.keys.get(row as usize) == Some(k))
            .map(|&row| row as usize)
    }

    /// Adds `k`; false when it is taken.
    fn insert(&mut self, k: K) -> bool {
        let hash = self.hasher.hash_one(&k);
        let Ok(row) = u32::try_from(self.keys.len()) else {
            return false;
        };
        let (keys, hasher) = (&self.keys, &self.hasher);
        match self.index.entry(
            hash,
            |&r| keys.get(r as usize) == Some(&k),
            |&r| keys.get(r as usize).map_or(0, |k| hasher.hash_one(k)),
        ) {
            hashbrown::hash_table::Entry::Occupied(_) => false,
            hashbrown::hash_table::Entry::Vacant(v) => {
                v.insert(row);
                self.keys.push(k);
                true
            }
        }
    }
}

/// A document with an open amount (an invoice, or a receipt), in one
/// record so that a row's checks read one cache line of it.
#[derive(Clone, Copy)]
struct Doc {
    customer: u32,
    currency: Currency,
    date: i32,
    /// Latest effective day of a change: a change on or after it can take
    /// all that is open, without reading the changes.
    last: i32,
    /// The latest change (`u32::MAX` for none).
    head: u32,
    /// Open now, in minor units.
    open: i64,
}

impl Doc {
    fn new(customer: u32, currency: Currency, date: i32, open: i64) -> Self {
        Doc {
            customer,
            currency,
            date,
            last: date,
            head: u32::MAX,
            open,
        }
    }
}

/// A change to an open amount: the document's previous change, the day,
/// the amount (negative: taken).
struct Change {
    prev: u32,
    day: i32,
    amount: i64,
}

/// What can be taken from `doc` on `day` without its open amount going
/// negative then or later.
fn available(doc: &Doc, changes: &[Change], day: i32) -> i64 {
    if day >= doc.last {
        return doc.open;
    }
    // Back-dated: the balance on `day` and after each later change.
    let mut later: Vec<(i32, i64)> = Vec::new();
    let mut at = doc.head;
    while let Some(c) = changes.get(at as usize) {
        if c.day > day {
            later.push((c.day, c.amount));
        }
        at = c.prev;
    }
    later.sort_by_key(|c| c.0);
    let mut balance = doc.open - later.iter().map(|c| c.1).sum::<i64>();
    let mut least = balance;
    for (_, amount) in later {
        balance += amount;
        least = least.min(balance);
    }
    least
}

fn take(doc: &mut Doc, changes: &mut Vec<Change>, day: i32, amount: i64) {
    changes.push(Change {
        prev: doc.head,
        day,
        amount,
    });
    doc.head = u32::try_from(changes.len() - 1).unwrap_or(u32::MAX);
    doc.open += amount;
    doc.last = doc.last.max(day);
}

/// One log entry: the kind of event, its effective day, the row.
struct Entry {
    kind: u8,
    day: i32,
    row: u32,
}

/// The state built.
struct Floor {
    log: Vec<Entry>,
    invoices: Vec<Doc>,
    receipts: Vec<Doc>,
    /// Time since the start when customers, invoices, receipts and
    /// applications were done.
    phases: Vec<Duration>,
}

fn day(d: ar_core::chrono::NaiveDate) -> i32 {
    use ar_core::chrono::Datelike;
    d.num_days_from_ce()
}

fn refused(field: &str, row: usize, reason: &str) -> Error {
    Error::InvalidValue {
        field: format!("{field}[{row}]"),
        value: String::new(),
        reason: reason.to_owned(),
    }
}

/// Row `row` of a column the length checks have covered.
fn at<T: Copy>(column: &[T], field: &str, row: usize) -> Result<T, Error> {
    column
        .get(row)
        .copied()
        .ok_or_else(|| refused(field, row, "missing"))
}

fn text(c: &StrColumn, row: usize) -> &str {
    c.get(row).unwrap_or_default()
}

/// The amount of row `row` of `column`, greater than zero, in minor units.
fn minor(column: &[Decimal], field: &str, row: usize, currency: Currency) -> Result<i64, Error> {
    let v = at(column, field, row)?;
    if v <= Decimal::ZERO {
        return Err(refused(field, row, "must be greater than zero"));
    }
    let v = check_minor_units(field, v, currency)?;
    i64::try_from(v.mantissa()).map_err(|_| refused(field, row, "too large"))
}

fn entry(kind: u8, day: i32, row: usize) -> Entry {
    Entry {
        kind,
        day,
        row: u32::try_from(row).unwrap_or(u32::MAX),
    }
}

fn build(t: &LedgerTables) -> Result<Floor, Error> {
    let (nc, ni, nr, na) = (
        t.customers.id.len(),
        t.invoices.id.len(),
        t.receipts.id.len(),
        t.applications.invoice.len(),
    );
    let started = Instant::now();
    let mut phases = Vec::new();
    let mut log: Vec<Entry> = Vec::with_capacity(nc + ni + nr + na);
    let mut customers: Ids<CustomerId> = Ids::with_capacity(nc);
    for row in 0..nc {
        if !customers.insert(CustomerId::new(text(&t.customers.id, row))?) {
            return Err(refused("customers.id", row, "taken"));
        }
        log.push(entry(0, 0, row));
    }
    phases.push(started.elapsed());
    let customer = |c: &StrColumn, field: &str, row: usize| -> Result<u32, Error> {
        let id = CustomerId::new(text(c, row))?;
        let found = customers
            .find(&id)
            .ok_or_else(|| refused(field, row, "unknown"))?;
        u32::try_from(found).map_err(|_| refused(field, row, "too many"))
    };
    let mut invoice_ids: Ids<InvoiceId> = Ids::with_capacity(ni);
    let mut invoices: Vec<Doc> = Vec::with_capacity(ni);
    let inv = &t.invoices;
    for row in 0..ni {
        let id = InvoiceId::new(text(&inv.id, row))?;
        let customer = customer(&inv.customer, "invoices.customer", row)?;
        let currency = at(&inv.currency, "invoices.currency", row)?;
        let total = minor(&inv.amount, "invoices.amount", row, currency)?;
        let date = day(at(&inv.date, "invoices.date", row)?);
        if day(at(&inv.due_date, "invoices.due_date", row)?) < date {
            return Err(refused("invoices.due_date", row, "before the date"));
        }
        if !invoice_ids.insert(id) {
            return Err(refused("invoices.id", row, "taken"));
        }
        invoices.push(Doc::new(customer, currency, date, total));
        log.push(entry(1, date, row));
    }
    phases.push(started.elapsed());
    let mut receipt_ids: Ids<ReceiptId> = Ids::with_capacity(nr);
    let mut receipts: Vec<Doc> = Vec::with_capacity(nr);
    let r = &t.receipts;
    for row in 0..nr {
        let id = ReceiptId::new(text(&r.id, row))?;
        let customer = customer(&r.customer, "receipts.customer", row)?;
        let currency = at(&r.currency, "receipts.currency", row)?;
        let amount = minor(&r.amount, "receipts.amount", row, currency)?;
        let date = day(at(&r.date, "receipts.date", row)?);
        if !receipt_ids.insert(id) {
            return Err(refused("receipts.id", row, "taken"));
        }
        receipts.push(Doc::new(customer, currency, date, amount));
        log.push(entry(2, date, row));
    }
    phases.push(started.elapsed());
    let mut changes: Vec<Change> = Vec::with_capacity(2 * na);
    let a = &t.applications;
    for row in 0..na {
        let unknown = |field| refused(field, row, "unknown");
        let src = receipt_ids
            .find(&ReceiptId::new(text(&a.receipt, row))?)
            .ok_or_else(|| unknown("applications.receipt"))?;
        let inv = invoice_ids
            .find(&InvoiceId::new(text(&a.invoice, row))?)
            .ok_or_else(|| unknown("applications.invoice"))?;
        let (Some(s), Some(i)) = (receipts.get_mut(src), invoices.get_mut(inv)) else {
            return Err(unknown("applications.invoice"));
        };
        if i.currency != s.currency || i.customer != s.customer {
            return Err(refused("applications.invoice", row, "another party"));
        }
        let amount = minor(&a.amount, "applications.amount", row, s.currency)?;
        let discount = match a.discount.get(row) {
            Some(d) if !d.is_zero() => {
                minor(&a.discount, "applications.discount", row, s.currency)?
            }
            _ => 0,
        };
        let d = day(at(&a.date, "applications.date", row)?);
        if d < s.date || d < i.date {
            return Err(refused("applications.date", row, "before a document"));
        }
        if amount > available(s, &changes, d) || amount + discount > available(i, &changes, d) {
            return Err(refused("applications.amount", row, "more than is open"));
        }
        take(s, &mut changes, d, -amount);
        take(i, &mut changes, d, -amount - discount);
        log.push(entry(3, d, row));
    }
    phases.push(started.elapsed());
    Ok(Floor {
        log,
        invoices,
        receipts,
        phases,
    })
}

/// The floor's log says what the ledger's does: the same kind of event in
/// each place, on the same day (a customer's is the day it was recorded,
/// which the floor does not keep), each kind's rows in order.
fn same_log(log: &[Entry], events: &[ar_core::EventEnvelope]) -> bool {
    use ar_core::Event;
    let mut next = [0u32; 4];
    log.len() == events.len()
        && log.iter().zip(events).all(|(entry, env)| {
            let kind = match env.event {
                Event::CustomerRegistered { .. } => 0,
                Event::InvoiceIssued { .. } => 1,
                Event::ReceiptRecorded { .. } => 2,
                Event::Applied { .. } => 3,
                _ => return false,
            };
            let Some(row) = next.get_mut(usize::from(kind)) else {
                return false;
            };
            let in_order = *row == entry.row;
            *row += 1;
            entry.kind == kind && in_order && (kind == 0 || entry.day == day(env.effective))
        })
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let book = ar_benches::generate(n, 42);
    let mut tables = ar_benches::tables(&book);
    // The generator's credit memos are never applied: both sides leave
    // them out, so the floor need not keep a second kind of source.
    tables.credit_memos = Default::default();
    let at = "2026-11-01T00:00:00Z".parse().unwrap_or_default();
    for _ in 0..3 {
        let t = Instant::now();
        let floor = match build(&tables) {
            Ok(floor) => floor,
            Err(e) => return println!("refused: {e}"),
        };
        let columns = t.elapsed();
        let t = Instant::now();
        let ledger = match ar_core::Ledger::from_tables(&tables, at) {
            Ok(ledger) => ledger,
            Err(e) => return println!("refused: {e}"),
        };
        let from_tables = t.elapsed();
        // Both sides must leave the same amounts open (the book has one
        // currency).
        let scale = tables
            .invoices
            .currency
            .first()
            .map_or(2, |c| c.minor_units());
        let total = |docs: &[Doc]| {
            Decimal::from_i128_with_scale(docs.iter().map(|d| i128::from(d.open)).sum(), scale)
        };
        let balances = ledger.balances(&View::all());
        let open = |f: fn(&ar_core::Balance) -> Decimal| balances.iter().map(f).sum::<Decimal>();
        let same = total(&floor.invoices) == open(|b| b.invoices)
            && total(&floor.receipts) == open(|b| b.unapplied_cash)
            && same_log(&floor.log, ledger.events());
        let phases: Vec<String> = floor
            .phases
            .iter()
            .map(|d| format!("{} ms", d.as_millis()))
            .collect();
        println!(
            "{n}: columns {columns:?} (customers, invoices, receipts, applications done at {}) vs Ledger::from_tables {from_tables:?} ({} events): {}; same amounts open and log: {same}",
            phases.join(", "),
            ledger.events().len(),
            ar_benches::ratio(from_tables, columns),
        );
    }
}
