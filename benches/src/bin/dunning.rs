//! Times a dunning run with interest over the generated book, once the
//! ledger is built: `cargo run --release -p ar-benches --bin dunning -- 1000000`.
//! The policy has four levels, the last two claiming EU statutory interest
//! (open items and items paid late) and EUR/USD compensation; the run is
//! as of the book's last day, first without and then with letters
//! rendered.
use std::time::Instant;

use ar_core::chrono::NaiveDate;
use ar_core::collections::{DunningLevel, DunningPolicy, DunningSetup, InterestRule, RateEntry};
use ar_core::rust_decimal::Decimal;
use ar_core::*;

fn level(days: i32, template: &str, interest: bool) -> DunningLevel {
    DunningLevel {
        days,
        min_overdue: Money::new(
            Decimal::new(5000, 2),
            Currency::new("USD").unwrap_or_else(|_| std::process::abort()),
        )
        .into_iter()
        .collect(),
        action: DunningAction::Email,
        template: template.into(),
        fee: vec![],
        interest,
    }
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let book = ar_benches::generate(n, 42);
    let t = Instant::now();
    let (ledger, refused) = ar_benches::build_from(book.commands.clone());
    println!(
        "build {n}: {:?} ({refused} refused, {} events)",
        t.elapsed(),
        ledger.events().len()
    );
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let rates = vec![
        RateEntry {
            from: day(2024, 1, 1),
            rate: Decimal::new(450, 2),
        },
        RateEntry {
            from: day(2025, 1, 1),
            rate: Decimal::new(315, 2),
        },
        RateEntry {
            from: day(2025, 7, 1),
            rate: Decimal::new(215, 2),
        },
        RateEntry {
            from: day(2026, 1, 1),
            rate: Decimal::new(200, 2),
        },
    ];
    let policy = DunningPolicy {
        id: "standard".into(),
        levels: vec![
            level(1, "first", false),
            level(15, "second", false),
            level(30, "third", true),
            level(60, "final", true),
        ],
        min_days_between: 7,
        interest: Some(InterestRule::eu_directive(rates)),
        clearing: Default::default(),
    };
    let mut plain = policy.clone();
    for l in &mut plain.levels {
        l.interest = false;
    }
    let t = Instant::now();
    match ledger.dunning_run(&DunningSetup::single(plain), book.end, None) {
        Ok(run) => println!(
            "dunning run without interest: {:?} ({} notices)",
            t.elapsed(),
            run.notices.len()
        ),
        Err(e) => println!("refused: {e}"),
    }
    let mut setup = DunningSetup::single(policy);
    // `--repeat N`: N more runs with interest (for a profiler).
    let repeat: usize = std::env::args()
        .skip_while(|a| a != "--repeat")
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    for _ in 0..repeat {
        let _ = ledger.dunning_run(&setup, book.end, None);
    }
    for runs in 0..3 {
        let t = Instant::now();
        match ledger.dunning_run(&setup, book.end, None) {
            Ok(run) => println!(
                "dunning run with interest{}: {:?} ({} notices, {} items, {} interest lines, {} not chased)",
                if runs == 2 { " and letters" } else { "" },
                t.elapsed(),
                run.notices.len(),
                run.notices.iter().map(|n| n.items.len()).sum::<usize>(),
                run.notices.iter().map(|n| n.interest.len()).sum::<usize>(),
                run.skipped.len()
            ),
            Err(e) => println!("refused: {e}"),
        }
        if runs == 1 {
            for t in ["first", "second", "third", "final"] {
                setup.templates.insert(
                    t.into(),
                    "Dear {{ customer_name }},\n{% for i in items %}{{ i.invoice }} {{ i.open|money(currency) }}\n{% endfor %}Total {{ total|money(currency) }}\n".into(),
                );
            }
        }
    }
}
