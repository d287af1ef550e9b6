//! The main job on bundled sample data, in Rust: read the sample book (the
//! tables layout of `ar_formats::book`: customers, invoices, credit memos,
//! receipts and their applications), then print what an AR team asks of
//! it: open items, customer balances, the aging, DSO and CEI, and what the
//! matcher proposes for the cash not yet applied.
//!
//! Usage: `cargo run -p ar-examples --bin ar-demo -- [DATA_DIR] [AS_OF]`
//! (default `examples/data/sample`, and the book's last day). The Python
//! and Node demos print the same bytes (`examples/expected/demo.txt`).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ar_core::chrono::{Datelike, Months, NaiveDate, TimeZone, Utc};
use ar_core::matching::MatchOptions;
use ar_core::metrics::Period;
use ar_core::rust_decimal::Decimal;
use ar_core::*;
use ar_formats::book::{BookFile, BookFiles, BookTables};

const USAGE: &str = "usage: ar-demo [DATA_DIR] [AS_OF]

Reads the book in DATA_DIR (customers.csv, invoices.csv, and optionally
credit_memos.csv, receipts.csv, applications.csv; default
examples/data/sample) and prints its open items, balances, aging, DSO and
CEI, and cash-application proposals as of AS_OF (YYYY-MM-DD; default: the
book's last day).";

/// The ledger of the book in `dir`.
fn load(dir: &Path) -> Result<Ledger, String> {
    let read = |name: &str| -> Result<Option<Vec<u8>>, String> {
        let path = dir.join(name);
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e)
                if e.kind() == std::io::ErrorKind::NotFound
                    && name != "customers.csv"
                    && name != "invoices.csv" =>
            {
                Ok(None)
            }
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    };
    let (customers, invoices) = (read("customers.csv")?, read("invoices.csv")?);
    let (memos, receipts, apps) = (
        read("credit_memos.csv")?,
        read("receipts.csv")?,
        read("applications.csv")?,
    );
    let files = BookFiles {
        customers: BookFile::new("customers.csv", customers.as_deref().unwrap_or_default()),
        invoices: BookFile::new("invoices.csv", invoices.as_deref().unwrap_or_default()),
        credit_memos: memos
            .as_deref()
            .map(|b| BookFile::new("credit_memos.csv", b)),
        receipts: receipts
            .as_deref()
            .map(|b| BookFile::new("receipts.csv", b)),
        applications: apps
            .as_deref()
            .map(|b| BookFile::new("applications.csv", b)),
    };
    let recorded = Utc
        .with_ymd_and_hms(2026, 11, 23, 0, 0, 0)
        .single()
        .ok_or("bad timestamp")?;
    BookTables::read(&files)
        .and_then(|t| t.ledger(recorded))
        .map_err(|e| e.to_string())
}

/// A ratio to two places, half to even, or `-` when there is none.
fn figure(value: Option<Decimal>) -> String {
    value.map_or_else(
        || "-".into(),
        |v| RoundingPolicy::HalfEven.round(v, 2).to_string(),
    )
}

/// The report, as text.
fn report(ledger: &Ledger, as_of: NaiveDate) -> Result<String> {
    let view = View::as_of(as_of);
    let mut out = String::new();
    let _ = writeln!(out, "Open items as of {as_of}");
    let _ = writeln!(
        out,
        "{:<15} {:<10} {:<10} {:<3} {:<10} {:>12}",
        "kind", "id", "customer", "cur", "due", "open"
    );
    for i in ledger.open_items(&view) {
        let due = i.due_date.map_or_else(|| "-".into(), |d| d.to_string());
        let customer = i.customer.as_ref().map_or("(unknown)", CustomerId::as_str);
        let _ = writeln!(
            out,
            "{:<15} {:<10} {:<10} {:<3} {:<10} {:>12}",
            i.kind.name(),
            i.id,
            customer,
            i.currency.code(),
            due,
            i.open
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Customer balances as of {as_of}");
    let _ = writeln!(
        out,
        "{:<10} {:<3} {:>12} {:>12} {:>12} {:>12}",
        "customer", "cur", "invoices", "cash", "credits", "net"
    );
    for b in ledger.balances(&view) {
        let customer = b.customer.as_ref().map_or("(unknown)", CustomerId::as_str);
        let _ = writeln!(
            out,
            "{:<10} {:<3} {:>12} {:>12} {:>12} {:>12}",
            customer,
            b.currency.code(),
            b.invoices,
            b.unapplied_cash,
            b.open_credits,
            b.net
        );
    }

    let aging = ledger.aging(&AgingOptions::new(as_of))?;
    let _ = writeln!(out);
    let _ = writeln!(out, "Aging by days past due as of {as_of}");
    let mut head = format!("{:<10} {:<3}", "customer", "cur");
    for label in &aging.labels {
        let _ = write!(head, " {label:>10}");
    }
    let _ = writeln!(out, "{head} {:>10}", "total");
    for r in aging.rows.iter().chain(&aging.totals) {
        let name = r.group.first().map_or("(all)", String::as_str);
        let mut line = format!("{:<10} {:<3}", name, r.currency.code());
        for b in &r.buckets {
            let _ = write!(line, " {b:>10}");
        }
        let _ = writeln!(out, "{line} {:>10}", r.total);
    }

    let start = as_of
        .with_day(1)
        .and_then(|d| d.checked_sub_months(Months::new(1)))
        .unwrap_or(as_of);
    let period = Period::new(start, as_of)?;
    let _ = writeln!(out);
    let _ = writeln!(out, "DSO and CEI from {start} to {as_of}");
    let _ = writeln!(
        out,
        "{:<3} {:>12} {:>12} {:>10} {:>10}",
        "cur", "sales", "AR at end", "DSO", "CEI %"
    );
    for m in ledger.metrics(&MetricsOptions::new(period))? {
        let _ = writeln!(
            out,
            "{:<3} {:>12} {:>12} {:>10} {:>10}",
            m.currency.code(),
            m.credit_sales,
            m.ar_end,
            figure(m.dso_period_end),
            figure(m.cei)
        );
    }

    let batch = ledger.match_receipts(&view, &MatchOptions::default())?;
    let _ = writeln!(out);
    let _ = writeln!(out, "Cash application: unapplied receipts as of {as_of}");
    for m in &batch.matches {
        let best = m.proposals.first();
        let target = best.map_or_else(
            || "-".into(),
            |p| {
                p.applications
                    .iter()
                    .map(|a| format!("{} {}", a.invoice, a.amount))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        );
        let _ = writeln!(out, "{:<8} {:<10} {}", m.receipt, m.status.name(), target);
    }
    Ok(out)
}

/// The last day anything in the book happened.
fn last_day(ledger: &Ledger) -> Option<NaiveDate> {
    ledger.events().iter().map(|e| e.effective).max()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        // A closed pipe (`| head`) is no error of ours: nothing more to say.
        let _ = writeln!(std::io::stdout(), "{USAGE}");
        return ExitCode::SUCCESS;
    }
    if let Some(flag) = args.iter().find(|a| a.starts_with('-')) {
        eprintln!("error: unknown option {flag}\n\n{USAGE}");
        return ExitCode::from(2);
    }
    let dir = args.first().map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("data")
                .join("sample")
        },
        PathBuf::from,
    );
    let ledger = match load(&dir) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let as_of = match args.get(1).map(|s| s.parse::<NaiveDate>()) {
        None => last_day(&ledger),
        Some(Ok(d)) => Some(d),
        Some(Err(_)) => {
            eprintln!("error: AS_OF must be a date, YYYY-MM-DD\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let Some(as_of) = as_of else {
        eprintln!("error: the book is empty; give AS_OF");
        return ExitCode::FAILURE;
    };
    match report(&ledger, as_of) {
        Ok(text) => {
            let _ = std::io::stdout().write_all(text.as_bytes());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}: {e}", e.code());
            ExitCode::FAILURE
        }
    }
}
