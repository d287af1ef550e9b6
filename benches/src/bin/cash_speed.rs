//! Speed and bounded cost of cash application:
//!
//! ```text
//! cargo run --release -p ar-benches --bin cash_speed [-- --runs 5 --items 1000000 --receipts 100000]
//! ```
//!
//! 1. Hostile inputs: 5,000 open invoices of the same amount for one
//!    customer, with receipts of once, three and six times that amount
//!    (named payer and unknown payer), and a text naming all 5,000; 1 MB of
//!    remittance text, read up to the default limit and with the limit
//!    raised to its most (`ar_core::limits::MAX_TEXT_LEN`, 64 KB).
//! 2. 100,000 generated receipts against 1,000,000 generated open items:
//!    `Matcher::new` (validate and index) and `match_batch`, separately and
//!    together, min and median over several runs.
//!
//! Memory is counted two ways: heap bytes live and at peak, through a
//! counting wrapper around the system allocator (exact, and not fooled by
//! freed memory the allocator keeps), and the process's peak resident set
//! (`VmHWM`, reset before each phase where the kernel allows it).
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ar_benches::cash;
use ar_core::chrono::NaiveDate;
use ar_core::matching::{
    ItemKind, MatchBatch, MatchItem, MatchOptions, MatchReceipt, Matcher, ReceiptMatch,
};
use ar_core::rust_decimal::Decimal;
use ar_core::{Currency, CustomerId};

/// The system allocator, counting live and peak bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// Delegates every call to `System` unchanged and only counts sizes.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn mb(bytes: usize) -> String {
    let tenths = (bytes as u128 * 10 + 524_288) / 1_048_576;
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

/// Starts a new peak at what is live now; returns it.
fn heap_mark() -> usize {
    let now = LIVE.load(Ordering::Relaxed);
    PEAK.store(now, Ordering::Relaxed);
    now
}

/// Heap growth above `mark`: (live now, peak), in MB.
fn heap_since(mark: usize) -> String {
    let live = LIVE.load(Ordering::Relaxed).saturating_sub(mark);
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(mark);
    format!("heap +{} at peak, +{} still live", mb(peak), mb(live))
}

fn status(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .map(|l| l.trim_start_matches(field).trim().to_owned())
        })
        .unwrap_or_else(|| "?".to_owned())
}

/// Resets the peak resident set to the current one; false when not allowed.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn memory() -> String {
    format!("peak RSS {}, now {}", status("VmHWM:"), status("VmRSS:"))
}

fn stats(times: &mut [Duration]) -> String {
    times.sort_unstable();
    let min = times.first().copied().unwrap_or_default();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    format!(
        "min {min:>9.2?}  median {median:>9.2?}  ({} runs)",
        times.len()
    )
}

fn fail(what: &str, e: &dyn std::fmt::Display) -> ! {
    eprintln!("{what}: {e}");
    std::process::exit(1)
}

fn arg(name: &str) -> Option<usize> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
}

fn describe(m: &ReceiptMatch) -> String {
    format!(
        "{} with {} proposals, notes: {}",
        m.status.name(),
        m.proposals.len(),
        m.notes
            .iter()
            .map(|n| format!("{:?}", n.code))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn summary(b: &MatchBatch) -> String {
    b.summary
        .iter()
        .filter(|r| r.receipts > 0)
        .map(|r| format!("{} {} {}", r.status.name(), r.currency.code(), r.receipts))
        .collect::<Vec<_>>()
        .join(", ")
}

fn big_batch(runs: usize, items: usize, receipts: usize) {
    println!("== {receipts} receipts against {items} open items");
    let t = Instant::now();
    let book = cash::generate(items, cash::SEED);
    let step = (book.receipts.len() / receipts.max(1)).max(1);
    let chosen: Vec<MatchReceipt> = book
        .receipts
        .iter()
        .step_by(step)
        .take(receipts)
        .cloned()
        .collect();
    let with_text = chosen.iter().filter(|r| !r.remittance.is_empty()).count();
    println!(
        "generated in {:.2?}: {} open items, {} customers, {} receipts generated, {} taken (every {step}th; {with_text} with remittance text); {}",
        t.elapsed(),
        book.items.len(),
        book.customers.len(),
        book.receipts.len(),
        chosen.len(),
        memory()
    );
    let options = MatchOptions {
        tolerance: book.tolerance,
        ..MatchOptions::default()
    };
    let (mut new, mut batch, mut total) = (Vec::new(), Vec::new(), Vec::new());
    let mut peak = String::new();
    let mut last = String::new();
    for run in 0..runs {
        let copy = heap_mark();
        let items = book.items.clone();
        let items_size = LIVE.load(Ordering::Relaxed).saturating_sub(copy);
        let reset = reset_peak();
        let before = status("VmRSS:");
        let mark = heap_mark();
        let t0 = Instant::now();
        let mut m = Matcher::new(items, &book.customers, options.clone())
            .unwrap_or_else(|e| fail("Matcher::new", &e));
        let t1 = Instant::now();
        let index = heap_since(mark);
        let b = m
            .match_batch(&chosen)
            .unwrap_or_else(|e| fail("match_batch", &e));
        let t2 = Instant::now();
        new.push(t1 - t0);
        batch.push(t2 - t1);
        total.push(t2 - t0);
        if run == 0 {
            peak = format!(
                "the items handed over: {}; Matcher::new: {index}; with match_batch: {} (its results included); process: {before} RSS before, {} peak{}",
                mb(items_size),
                heap_since(mark),
                status("VmHWM:"),
                if reset { "" } else { " (peak not reset)" }
            );
            last = summary(&b);
        }
        drop(b);
        drop(m);
    }
    println!("Matcher::new            {}", stats(&mut new));
    println!("match_batch             {}", stats(&mut batch));
    println!("new + match_batch       {}", stats(&mut total));
    println!("memory: {peak}");
    println!("outcome: {last}");
}

fn usd() -> Currency {
    Currency::new("USD").unwrap_or_else(|e| fail("currency", &e))
}

fn same_amount_items(n: usize) -> Vec<MatchItem> {
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d).unwrap_or_default();
    let acme = CustomerId::new("ACME").unwrap_or_else(|e| fail("id", &e));
    (0..n)
        .map(|i| MatchItem {
            kind: ItemKind::Invoice,
            id: format!("INV-{i:06}"),
            installment: None,
            customer: acme.clone(),
            currency: usd(),
            date: day(1),
            due_date: day(31),
            open: Decimal::new(10_000, 2),
            discount: None,
            po_number: None,
            disputed: false,
        })
        .collect()
}

fn receipt(id: &str, payer: Option<&str>, amount: i64, text: String) -> MatchReceipt {
    MatchReceipt {
        id: id.into(),
        customer: payer.and_then(|p| CustomerId::new(p).ok()),
        date: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap_or_default(),
        amount: Decimal::new(amount, 2),
        currency: usd(),
        remittance: text,
        payer_name: None,
        account: None,
    }
}

fn time_propose(m: &Matcher, r: &MatchReceipt, runs: usize) -> (String, String) {
    let mut times = Vec::new();
    let mut outcome = String::new();
    for _ in 0..runs {
        let t = Instant::now();
        let p = m.propose(r).unwrap_or_else(|e| fail("propose", &e));
        times.push(t.elapsed());
        outcome = describe(&p);
    }
    (stats(&mut times), outcome)
}

fn hostile(runs: usize) {
    println!("== hostile: 5,000 open invoices of 100.00 for one customer");
    let reset = reset_peak();
    let mark = heap_mark();
    let t = Instant::now();
    let m = Matcher::new(same_amount_items(5_000), &[], MatchOptions::default())
        .unwrap_or_else(|e| fail("Matcher::new", &e));
    println!("Matcher::new {:.2?}", t.elapsed());
    for (label, payer, amount) in [
        ("1x  (100.00), payer named  ", Some("ACME"), 10_000),
        ("3x  (300.00), payer named  ", Some("ACME"), 30_000),
        ("6x  (600.00), payer named  ", Some("ACME"), 60_000),
        ("1x  (100.00), payer unknown", None, 10_000),
        ("3x  (300.00), payer unknown", None, 30_000),
    ] {
        let (s, outcome) = time_propose(&m, &receipt("R1", payer, amount, String::new()), runs);
        println!("propose {label}  {s}  -> {outcome}");
    }
    // A text naming every one of them (55 KB), read whole (the most that
    // is read is 64 KB).
    let all: Vec<String> = (0..5_000).map(|i| format!("INV-{i:06}")).collect();
    let named = Matcher::new(
        same_amount_items(5_000),
        &[],
        MatchOptions {
            max_remittance_bytes: ar_core::limits::MAX_TEXT_LEN,
            ..MatchOptions::default()
        },
    )
    .unwrap_or_else(|e| fail("Matcher::new", &e));
    let (s, outcome) = time_propose(
        &named,
        &receipt("R1", Some("ACME"), 30_000, all.join(" ")),
        runs,
    );
    println!("propose 3x, the text naming all 5,000     {s}  -> {outcome}");
    // A batch: every receipt is ambiguous, so none consumes anything and
    // each costs a full search.
    let receipts: Vec<MatchReceipt> = (0..1_000)
        .map(|i| {
            let amount = if i % 2 == 0 { 10_000 } else { 30_000 };
            receipt(&format!("R{i}"), Some("ACME"), amount, String::new())
        })
        .collect();
    let mut times = Vec::new();
    let mut outcome = String::new();
    for _ in 0..runs.min(3) {
        let mut m = m.clone();
        let t = Instant::now();
        let b = m
            .match_batch(&receipts)
            .unwrap_or_else(|e| fail("match_batch", &e));
        times.push(t.elapsed());
        outcome = summary(&b);
    }
    println!(
        "match_batch of 1,000 such receipts (1x and 3x)  {}  -> {outcome}",
        stats(&mut times)
    );
    println!(
        "memory: {} over this part; process {}{}",
        heap_since(mark),
        memory(),
        if reset {
            " (reset before this part)"
        } else {
            ""
        }
    );

    println!("\n== hostile: 1 MB of remittance text");
    // Numbers, words, separators and amounts, 1 MB: every token a candidate.
    let mut text = String::with_capacity(1 << 20);
    let mut rng = ar_benches::Rng::new(9);
    while text.len() < (1 << 20) {
        let piece = match rng.below(6) {
            0 => format!("INV-{:06} ", rng.below(1_000_000)),
            1 => format!("{}/{} ", rng.below(1_000_000), rng.below(1_000_000)),
            2 => format!("{}-{} ", 100 + rng.below(100), 200 + rng.below(100)),
            3 => format!("less credit {}.{:02} ", rng.below(1_000), rng.below(100)),
            4 => "RF18 5390 0754 7034 PO 4500012345 ".to_owned(),
            _ => "ACH CCD ACME LOGISTICS PAYMENT & ".to_owned(),
        };
        text.push_str(&piece);
    }
    text.truncate(1 << 20);
    // 1,000 invoices of 100.00, numbered 0 to 999: the text names some.
    let items = || same_amount_items(1_000);
    for (label, limit) in [
        ("default limit (4,096 bytes read)", 4_096usize),
        (
            "limit raised to 64 KB (the most)",
            ar_core::limits::MAX_TEXT_LEN,
        ),
    ] {
        let reset = reset_peak();
        let mark = heap_mark();
        let options = MatchOptions {
            max_remittance_bytes: limit,
            ..MatchOptions::default()
        };
        let m = Matcher::new(items(), &[], options).unwrap_or_else(|e| fail("Matcher::new", &e));
        let r = receipt("R1", Some("ACME"), 10_000, text.clone());
        let (s, outcome) = time_propose(&m, &r, runs);
        println!(
            "propose, {label}  {s}  -> {outcome}; {} (the 1 MB receipt included); process {}{}",
            heap_since(mark),
            memory(),
            if reset { " (reset before)" } else { "" }
        );
    }
    let r = receipt("R1", None, 10_000, text.clone());
    let t = Instant::now();
    let p = ar_core::matching::parse_remittance(&r.remittance);
    println!(
        "parse_remittance of the 1 MB text (default limits): {:.2?}, {} references",
        t.elapsed(),
        p.references.len()
    );
}

fn main() {
    let runs = arg("--runs").unwrap_or(5).max(1);
    let items = arg("--items").unwrap_or(1_000_000);
    let receipts = arg("--receipts").unwrap_or(100_000);
    // Hostile inputs first, so their memory is not the big book's.
    hostile(runs);
    if !std::env::args().any(|a| a == "--hostile-only") {
        println!();
        big_batch(runs, items, receipts);
    }
}
