//! Journal, trial balance and GL reconciliation over a generated book, once
//! the ledger is built:
//! `cargo run --release -p ar-benches --bin journal -- [INVOICES]`.
//!
//! The figures are checked as they are timed: the journal's receivables
//! control must equal the open invoices, and its unapplied-cash and credit
//! accounts the open cash and credits, as the ledger reports them.
use std::process::ExitCode;
use std::time::{Duration, Instant};

use ar_core::accounting::{GlLine, JournalOptions, Role};
use ar_core::*;
use rust_decimal::Decimal;

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed());
        out = Some(r);
    }
    match out {
        Some(r) => (best, r),
        None => std::process::abort(),
    }
}

fn main() -> ExitCode {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let book = ar_benches::generate(n, 42);
    let t = Instant::now();
    let (ledger, _) = ar_benches::build(&book);
    println!(
        "build {n} invoices: {:?} ({} events)",
        t.elapsed(),
        ledger.events().len()
    );
    let options = JournalOptions::default();
    let view = View::all();
    let (took, journal) = best(3, || ledger.journal(&options, &view));
    let Ok(journal) = journal else {
        eprintln!("journal failed");
        return ExitCode::FAILURE;
    };
    let lines: usize = journal.entries.iter().map(|e| e.lines.len()).sum();
    println!(
        "journal: {took:?} best of 3 ({} entries, {lines} lines)",
        journal.entries.len()
    );
    let (took, tb) = best(3, || journal.trial_balance());
    let Ok(tb) = tb else {
        return ExitCode::FAILURE;
    };
    println!("trial balance of the journal: {took:?} ({} rows)", tb.len());

    // The check: control accounts equal the open items, per currency.
    let mut open: std::collections::BTreeMap<(Currency, OpenItemKind), Decimal> =
        Default::default();
    for item in ledger.open_items(&view) {
        *open.entry((item.currency, item.kind)).or_default() += item.open;
    }
    let mut ok = true;
    for (&(currency, kind), &amount) in &open {
        let (role, sign) = match kind {
            OpenItemKind::Invoice => (Role::Receivable, Decimal::ONE),
            OpenItemKind::UnappliedCash => (Role::UnappliedCash, -Decimal::ONE),
            OpenItemKind::CreditMemo => (Role::CustomerCredits, -Decimal::ONE),
        };
        let control = journal.role_balance(role, currency).unwrap_or_default();
        let agrees = control * sign == amount;
        ok &= agrees;
        println!(
            "  {currency} {}: open items {amount}, journal {} {}",
            kind.name(),
            control * sign,
            if agrees { "(agree)" } else { "(DIFFER)" }
        );
    }

    // Reconciliation against a GL that is the journal's own balances.
    let end = book.end;
    let gl: Vec<GlLine> = tb
        .iter()
        .take(accounting::MAX_GL_LINES)
        .map(|r| GlLine {
            account: r.account.clone(),
            currency: r.currency,
            date: end,
            amount: r.balance,
            document: None,
        })
        .collect();
    let (took, rows) = best(3, || ledger.reconcile_gl(&options, &gl, &view));
    match rows {
        Ok(rows) => {
            let differ = rows.iter().filter(|r| !r.difference.is_zero()).count();
            ok &= differ == 0;
            println!(
                "reconcile with a GL of {} lines: {took:?} ({differ} accounts differ)",
                gl.len()
            );
        }
        Err(e) => {
            eprintln!("reconcile: {e}");
            return ExitCode::FAILURE;
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        eprintln!("the journal does not agree with the open items");
        ExitCode::FAILURE
    }
}
