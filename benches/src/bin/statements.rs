//! Statements of account for every customer, the cash forecast and its
//! back-test over a generated book, once the ledger is built:
//! `cargo run --release -p ar-benches --bin statements -- [INVOICES]`.
//!
//! Checked as timed: every statement's closing balance must be the
//! customer's balance at the end of the period, and the forecast must
//! cover the open invoices that are not disputed.
use std::process::ExitCode;
use std::time::Instant;

use ar_core::chrono::Datelike;
use ar_core::forecast::ForecastOptions;
use ar_core::*;
use rust_decimal::Decimal;

fn main() -> ExitCode {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let book = ar_benches::generate(n, 42);
    let t = Instant::now();
    let (ledger, _) = ar_benches::build(&book);
    println!("build {n} invoices: {:?}", t.elapsed());
    let end = book.end;
    let from = end.with_day0(0).unwrap_or(end);
    let options = StatementOptions::new(from, end);
    let t = Instant::now();
    let Ok(statements) = ledger.statements(&options) else {
        eprintln!("statements failed");
        return ExitCode::FAILURE;
    };
    let entries: usize = statements
        .iter()
        .flat_map(|s| &s.sections)
        .map(|s| s.entries.len())
        .sum();
    println!(
        "statements of {} customers for {from} to {end}: {:?} ({entries} movements)",
        statements.len(),
        t.elapsed()
    );
    let mut ok = true;
    let balances = ledger.balances(&View::as_of(end));
    for s in &statements {
        for sec in &s.sections {
            let net: Decimal = balances
                .iter()
                .filter(|b| b.customer.as_ref() == Some(&s.customer) && b.currency == sec.currency)
                .map(|b| b.net)
                .sum();
            ok &= net == sec.closing;
        }
    }
    println!("  closing balances agree with the ledger's: {ok}");

    // Forecast as of three months before the end, tested over 12 weeks.
    let as_of = end - chrono::Duration::days(91);
    let t = Instant::now();
    let Ok(test) = ledger.forecast_backtest(&ForecastOptions::new(as_of), 12) else {
        eprintln!("forecast failed");
        return ExitCode::FAILURE;
    };
    println!(
        "forecast as of {as_of} ({} items, book delay {} days) and back-test over 12 weeks: {:?}",
        test.forecast.items.len(),
        test.forecast.book_delay_days,
        t.elapsed()
    );
    let open: Decimal = ledger
        .open_items(&View::as_of(as_of))
        .iter()
        .filter(|i| i.kind == OpenItemKind::Invoice && !i.disputed)
        .map(|i| i.open)
        .sum();
    let covered: Decimal = test.forecast.items.iter().map(|i| i.expected_amount).sum();
    ok &= open == covered;
    println!(
        "  forecast covers the open invoices ({covered}): {}",
        open == covered
    );
    for e in &test.errors {
        println!(
            "  {}: mean absolute error per week {} (bias {}); paid on due date {}; book average delay {}",
            e.currency, e.mae, e.bias, e.mae_on_due_date, e.mae_book_average
        );
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
