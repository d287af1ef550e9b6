//! Times (and profiles) building the ledger alone:
//! `perf record target/release/ledger_build 1000000`.
use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let book = ar_benches::generate(n, 42);
    // Copying the book's commands is not part of building a ledger.
    let t = Instant::now();
    let commands = book.commands.clone();
    let copy = t.elapsed();
    if std::env::args().any(|a| a == "--tables") {
        // The same history as tables, through `Ledger::from_tables`.
        let tables = ar_benches::tables(&book);
        let at = "2026-11-01T00:00:00Z".parse().unwrap_or_default();
        let t = Instant::now();
        let ledger = ar_core::Ledger::from_tables(&tables, at);
        println!(
            "from_tables {n}: {:?} ({} events)",
            t.elapsed(),
            ledger.as_ref().map_or(0, |l| l.events().len())
        );
        match &ledger {
            Ok(ledger) => {
                let t = Instant::now();
                let bytes = ledger.heap_bytes();
                println!(
                    "heap_bytes: {} MB, read in {:?}",
                    bytes / 1_000_000,
                    t.elapsed()
                );
            }
            Err(e) => println!("refused: {e}"),
        }
    }
    if std::env::args().any(|a| a == "--by-kind") {
        by_kind(
            commands
                .into_iter()
                .map(|(c, at)| (c, ar_core::CommandMeta::at(at)))
                .collect(),
        );
        return;
    }
    let t = Instant::now();
    let (ledger, refused) = ar_benches::build_from(commands);
    println!(
        "build {n}: {:?} ({refused} refused, {} events; copying the commands first took {copy:?})",
        t.elapsed(),
        ledger.events().len()
    );
    if std::env::args().any(|a| a == "--voids") {
        voids(ledger);
        return;
    }
    if std::env::args().any(|a| a == "--no-drop") {
        // For a profile of the build alone: exit without freeing the ledger.
        std::process::exit(0);
    }
    if std::env::args().any(|a| a == "--replay") {
        // The serialized log written and read back: every event re-decided
        // and its hash checked.
        let t = Instant::now();
        let json = ledger.to_json().unwrap_or_default();
        let write = t.elapsed();
        let t = Instant::now();
        let back = ar_core::Ledger::from_json(&json);
        let read = t.elapsed();
        let events = ledger.events().len();
        let per_second = u128::try_from(events)
            .unwrap_or(0)
            .saturating_mul(1_000_000)
            .checked_div(read.as_micros())
            .unwrap_or(0);
        println!(
            "to_json {events} events: {write:?}; from_json: {read:?} ({per_second} events/s; {})",
            if back.as_ref().is_ok_and(|b| *b == ledger) {
                "equal"
            } else {
                "NOT EQUAL"
            }
        );
    }
    if std::env::args().any(|a| a == "--snapshot") {
        snapshot(&ledger);
    }
    if std::env::args().any(|a| a == "--digest") {
        // A digest of the serialized log, to check a change to the ledger
        // leaves its results as they were.
        let json = ledger.to_json().unwrap_or_default();
        let hash = json.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        println!("log digest {hash:016x} ({} bytes)", json.len());
    }
}

/// A snapshot written and restored, beside the serialized log read back,
/// each checked to give the ledger it was taken of.
fn snapshot(ledger: &ar_core::Ledger) {
    let events = ledger.events().len();
    let t = Instant::now();
    let json = ledger.to_json().unwrap_or_default();
    let to_json = t.elapsed();
    let t = Instant::now();
    let back = ar_core::Ledger::from_json(&json);
    let from_json = t.elapsed();
    let json_equal = back.as_ref().is_ok_and(|b| b == ledger);
    drop(back);
    let t = Instant::now();
    let snap = ledger.snapshot().unwrap_or_default();
    let write = t.elapsed();
    let t = Instant::now();
    let restored = ar_core::Ledger::restore(&snap, []);
    let read = t.elapsed();
    let equal = restored.as_ref().is_ok_and(|b| b == ledger);
    println!(
        "log of {events} events: to_json {to_json:?}, from_json {from_json:?} ({}); \
         snapshot {write:?} ({} MB), restore {read:?} ({}); restore is {} faster",
        if json_equal { "equal" } else { "NOT EQUAL" },
        snap.len() / 1_000_000,
        if equal { "equal" } else { "NOT EQUAL" },
        ar_benches::ratio(from_json, read),
    );
    if let Err(e) = restored {
        println!("restore refused: {e}");
    }
}

/// Time spent per kind of command (timing each adds a little to all).
fn by_kind(commands: Vec<(ar_core::Command, ar_core::CommandMeta)>) {
    use std::collections::BTreeMap;
    let mut ledger = ar_core::Ledger::new();
    let mut spent: BTreeMap<&str, (usize, std::time::Duration)> = BTreeMap::new();
    let t0 = Instant::now();
    for (cmd, meta) in commands {
        use ar_core::Command as C;
        let kind = match &cmd {
            C::RegisterCustomer { .. } => "register_customer",
            C::IssueInvoice { .. } => "issue_invoice",
            C::IssueCreditMemo { .. } => "issue_credit_memo",
            C::RecordReceipt { .. } => "record_receipt",
            C::Apply { .. } => "apply",
            _ => "other",
        };
        let t = Instant::now();
        let _ = ledger.execute(cmd, &meta);
        let e = spent.entry(kind).or_default();
        e.0 += 1;
        e.1 += t.elapsed();
    }
    println!("all: {:?} (with the timing)", t0.elapsed());
    for (kind, (n, d)) in spent {
        println!("{kind:>20}: {n:>8} in {d:?} ({:?} each)", each(d, n));
    }
}

/// Every `step`-th id, up to `take`, of the records `pick` finds in the log.
fn sample<T>(
    ledger: &ar_core::Ledger,
    step: usize,
    take: usize,
    pick: impl Fn(&ar_core::Event) -> Option<T>,
) -> Vec<T> {
    let picked = ledger.events().iter().filter_map(|e| pick(&e.event));
    picked.step_by(step).take(take).collect()
}

/// Time per call of `calls` calls that took `spent`.
fn each(spent: std::time::Duration, calls: usize) -> std::time::Duration {
    spent / u32::try_from(calls.max(1)).unwrap_or(1)
}

/// Time for single commands and queries on a built ledger, none of which
/// should read the whole book: voiding (or being refused voiding) an
/// invoice, one customer's balance, applying a receipt first in, first out.
fn voids(mut ledger: ar_core::Ledger) {
    use ar_core::{Command, Event};
    let at = ledger
        .events()
        .last()
        .map(|e| e.recorded)
        .unwrap_or_default();
    let meta = ar_core::CommandMeta::at(at);
    let day = ar_core::chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap_or_default();
    let invoices = sample(&ledger, 1000, 1000, |e| match e {
        Event::InvoiceIssued { invoice } => Some(invoice.id.clone()),
        _ => None,
    });
    let t = Instant::now();
    let mut refused = 0;
    for invoice in &invoices {
        let command = Command::VoidInvoice {
            invoice: invoice.clone(),
            date: day,
            reason: String::new(),
        };
        refused += usize::from(ledger.execute(command, &meta).is_err());
    }
    println!(
        "void {} invoices ({refused} refused as settled): {:?} each",
        invoices.len(),
        each(t.elapsed(), invoices.len())
    );
    let customers = sample(&ledger, 100, 20, |e| match e {
        Event::CustomerRegistered { customer } => Some(customer.id.clone()),
        _ => None,
    });
    let t = Instant::now();
    let view = ar_core::View::all();
    let rows: usize = customers
        .iter()
        .map(|c| ledger.customer_balance(c, &view).map_or(0, |b| b.len()))
        .sum();
    println!(
        "balance of {} customers ({rows} rows): {:?} each",
        customers.len(),
        each(t.elapsed(), customers.len())
    );
    let receipts = sample(&ledger, 1000, 100, |e| match e {
        Event::ReceiptRecorded { receipt } => Some(receipt.id.clone()),
        _ => None,
    });
    let t = Instant::now();
    let mut applied = 0;
    for receipt in &receipts {
        let command = Command::ApplyFifo {
            source: ar_core::Source::Receipt(receipt.clone()),
            date: day,
            include_disputed: false,
        };
        applied += usize::from(ledger.execute(command, &meta).is_ok());
    }
    println!(
        "apply {} receipts first in, first out ({applied} with cash left): {:?} each",
        receipts.len(),
        each(t.elapsed(), receipts.len())
    );
}
