//! Accuracy of cash application on generated receipts with ground truth,
//! beside two baselines:
//!
//! ```text
//! cargo run --release -p ar-benches --bin cash_accuracy [-- --style first|second] [--policies default|permissive] [--dump N [--only wrong|missed] [--filter dim=value,dim=value]] [--ids RCPT-0000001,...]
//! ```
//!
//! The size is `AR_BENCH_INVOICES` open invoices (default 100,000); the
//! seed is fixed. A receipt is settled exactly right when what is applied
//! (for the matcher: the first proposal, and only when auto-applied) is,
//! as a set of (credit memo or cash, invoice, installment, amount, discount,
//! write-off), plus the cash left unapplied, the truth.
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Instant;

use ar_benches::cash::{self, CashBook, Settle, Truth};
use ar_benches::cash_baselines::{greedy_oldest, regex_fifo, Outcome};
use ar_core::matching::{
    match_receipts, MatchOptions, MatchReceipt, MatchStatus, ReceiptMatch, SourceKind,
};
use ar_core::rust_decimal::Decimal;

/// What became of one receipt under one method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Right,
    Wrong,
    /// Applied: a strict subset of the right items, each with no more
    /// than the truth settles on it (the rest left open, not misapplied).
    Subset,
    /// Left for review (for the matcher: with the right first proposal or not).
    Review {
        first_right: bool,
    },
    Unmatched,
}

impl Verdict {
    fn applied(self) -> bool {
        matches!(self, Verdict::Right | Verdict::Wrong | Verdict::Subset)
    }

    fn wrong(self) -> bool {
        matches!(self, Verdict::Wrong | Verdict::Subset)
    }
}

fn normalized(settles: &[Settle], unapplied: Decimal) -> (Vec<Settle>, Decimal) {
    let mut v: Vec<Settle> = settles
        .iter()
        .filter(|s| !(s.amount.is_zero() && s.discount.is_zero() && s.write_off.is_zero()))
        .map(|s| Settle {
            amount: s.amount.normalize(),
            discount: s.discount.normalize(),
            write_off: s.write_off.normalize(),
            ..s.clone()
        })
        .collect();
    v.sort();
    (v, unapplied.normalize())
}

fn equals(truth: &Truth, settles: &[Settle], unapplied: Decimal) -> bool {
    normalized(&truth.settles, truth.unapplied) == normalized(settles, unapplied)
}

fn proposal_settles(m: &ReceiptMatch, k: usize) -> Option<(Vec<Settle>, Decimal)> {
    let p = m.proposals.get(k)?;
    let settles = p
        .applications
        .iter()
        .map(|a| Settle {
            credit_memo: (a.source_kind == SourceKind::CreditMemo).then(|| a.source.clone()),
            invoice: a.invoice.clone(),
            installment: a.installment,
            amount: a.amount,
            discount: a.discount,
            write_off: a.write_off,
        })
        .collect();
    Some((settles, p.unapplied))
}

fn judge_matcher(truth: &Truth, m: &ReceiptMatch) -> Verdict {
    let first_right = proposal_settles(m, 0).is_some_and(|(s, u)| equals(truth, &s, u));
    match m.status {
        MatchStatus::Auto if first_right => Verdict::Right,
        MatchStatus::Auto if proposal_settles(m, 0).is_some_and(|(s, _)| subset(truth, &s)) => {
            Verdict::Subset
        }
        MatchStatus::Auto => Verdict::Wrong,
        MatchStatus::Review => Verdict::Review { first_right },
        MatchStatus::Unmatched => Verdict::Unmatched,
    }
}

/// Whether `settles` takes a strict subset of the truth's items, none
/// beyond what the truth settles on it.
fn subset(truth: &Truth, settles: &[Settle]) -> bool {
    let key = |s: &Settle| (s.credit_memo.clone(), s.invoice.clone(), s.installment);
    let total = |s: &Settle| s.amount + s.discount + s.write_off;
    let right: BTreeMap<_, Decimal> = truth.settles.iter().map(|s| (key(s), total(s))).collect();
    let mut taken: BTreeMap<_, Decimal> = BTreeMap::new();
    for s in settles {
        *taken.entry(key(s)).or_default() += total(s);
    }
    !taken.is_empty()
        && taken.len() < right.len()
        && taken
            .iter()
            .all(|(k, v)| right.get(k).is_some_and(|r| v <= r))
}

fn judge_baseline(truth: &Truth, o: &Outcome) -> Verdict {
    if !o.applied {
        Verdict::Unmatched
    } else if equals(truth, &o.settles, o.unapplied) {
        Verdict::Right
    } else if subset(truth, &o.settles) {
        Verdict::Subset
    } else {
        Verdict::Wrong
    }
}

fn pct(n: usize, d: usize) -> String {
    if d == 0 {
        "-".to_owned()
    } else {
        // Two decimals, computed in integers.
        let bp = (n as u128 * 10_000 + d as u128 / 2) / d as u128;
        format!("{}.{:02}%", bp / 100, bp % 100)
    }
}

fn pct_dec(n: Decimal, d: Decimal) -> String {
    if d.is_zero() {
        return "-".to_owned();
    }
    let v = (n * Decimal::from(100) / d).round_dp(2);
    format!("{v:.2}%")
}

struct Scores {
    name: &'static str,
    verdicts: Vec<Verdict>,
}

fn table(book: &CashBook, methods: &[Scores]) {
    let total = book.receipts.len();
    let cash_total: Decimal = book.receipts.iter().map(|r| r.amount).sum();
    let mut header = format!("{:<44}", "");
    for m in methods {
        let _ = write!(header, "{:>22}", m.name);
    }
    println!("{header}");
    type Row = Box<dyn Fn(&[Verdict]) -> String>;
    let count = |f: fn(Verdict) -> bool| move |v: &[Verdict]| v.iter().filter(|x| f(**x)).count();
    let rows: Vec<(&str, Row)> = vec![
        (
            "settled exactly right (share of receipts)",
            Box::new(move |v| pct(count(|x| x == Verdict::Right)(v), total)),
        ),
        (
            "precision of applied (right / applied)",
            Box::new(move |v| {
                pct(
                    count(|x| x == Verdict::Right)(v),
                    count(Verdict::applied)(v),
                )
            }),
        ),
        (
            "applied automatically",
            Box::new(move |v| pct(count(Verdict::applied)(v), total)),
        ),
        (
            "precision, subsets of right items left out",
            Box::new(move |v| {
                pct(
                    count(|x| x == Verdict::Right)(v),
                    count(|x| x.applied() && x != Verdict::Subset)(v),
                )
            }),
        ),
        (
            "applied wrongly",
            Box::new(move |v| pct(count(Verdict::wrong)(v), total)),
        ),
        (
            "  of which a subset of the right items",
            Box::new(move |v| pct(count(|x| x == Verdict::Subset)(v), total)),
        ),
        (
            "left for review",
            Box::new(move |v| pct(count(|x| matches!(x, Verdict::Review { .. }))(v), total)),
        ),
        (
            "  of which the first proposal is right",
            Box::new(move |v| {
                pct(
                    count(|x| x == Verdict::Review { first_right: true })(v),
                    total,
                )
            }),
        ),
        (
            "unmatched",
            Box::new(move |v| pct(count(|x| x == Verdict::Unmatched)(v), total)),
        ),
    ];
    for (label, f) in &rows {
        let mut line = format!("{label:<44}");
        for m in methods {
            let _ = write!(line, "{:>22}", f(&m.verdicts));
        }
        println!("{line}");
    }
    let mut line = format!("{:<44}", "cash settled exactly right (share of amount)");
    for m in methods {
        let right: Decimal = m
            .verdicts
            .iter()
            .zip(&book.receipts)
            .filter(|(v, _)| **v == Verdict::Right)
            .map(|(_, r)| r.amount)
            .sum();
        let _ = write!(line, "{:>22}", pct_dec(right, cash_total));
    }
    println!("{line}");
}

/// Receipts per value of each category dimension: how many, and how the
/// matcher did on them.
/// Of the receipts left for review, those with the right answer first and
/// those with it anywhere among the proposals.
fn review_coverage(book: &CashBook, matches: &[ReceiptMatch]) {
    let (mut review, mut first, mut any) = (0usize, 0usize, 0usize);
    for (t, m) in book.truths.iter().zip(matches) {
        if m.status != MatchStatus::Review {
            continue;
        }
        review += 1;
        let right = |k: usize| proposal_settles(m, k).is_some_and(|(s, u)| equals(t, &s, u));
        first += usize::from(right(0));
        any += usize::from((0..m.proposals.len()).any(right));
    }
    println!(
        "\nreview cases: {review}; right answer first {} ({}), among the proposals {} ({})",
        first,
        pct(first, review),
        any,
        pct(any, review)
    );
}

/// Settled exactly and precision of what was applied, by slice: whether
/// the remittance names invoices, whether the bank identified the payer,
/// whether the payment covers several invoices.
fn slices(book: &CashBook, verdicts: &[Verdict]) {
    use cash::{PayerEvidence, Style};
    type Slice = (&'static str, fn(&cash::Category) -> bool);
    let slices: [Slice; 5] = [
        ("remittance names invoices", |c| {
            !matches!(c.style, Style::None | Style::PurchaseOrder)
        }),
        ("remittance without an invoice number", |c| {
            matches!(c.style, Style::None | Style::PurchaseOrder)
        }),
        ("payer not identified by the bank", |c| {
            c.payer != PayerEvidence::Given
        }),
        ("payment covering several invoices", |c| c.items > 1),
        ("all receipts", |_| true),
    ];
    println!(
        "\n{:<40}{:>10}{:>10}{:>12}",
        "slice", "receipts", "exact", "precision"
    );
    for (name, keep) in slices {
        let v: Vec<Verdict> = book
            .truths
            .iter()
            .zip(verdicts)
            .filter(|(t, _)| keep(&t.category))
            .map(|(_, v)| *v)
            .collect();
        let right = v.iter().filter(|x| **x == Verdict::Right).count();
        let applied = v.iter().filter(|x| x.applied()).count();
        println!(
            "{name:<40}{:>10}{:>10}{:>12}",
            v.len(),
            pct(right, v.len()),
            pct(right, applied)
        );
    }
}

fn breakdown(book: &CashBook, verdicts: &[Verdict]) {
    #[derive(Default)]
    struct Cell {
        n: usize,
        right: usize,
        wrong: usize,
        review: usize,
        review_right: usize,
        unmatched: usize,
    }
    let mut by: BTreeMap<(&str, &str), Cell> = BTreeMap::new();
    for (t, v) in book.truths.iter().zip(verdicts) {
        for (dim, value) in t.category.dims() {
            let c = by.entry((dim, value)).or_default();
            c.n += 1;
            match v {
                Verdict::Right => c.right += 1,
                Verdict::Wrong | Verdict::Subset => c.wrong += 1,
                Verdict::Review { first_right } => {
                    c.review += 1;
                    c.review_right += usize::from(*first_right);
                }
                Verdict::Unmatched => c.unmatched += 1,
            }
        }
    }
    let total = book.receipts.len();
    let failures = verdicts.iter().filter(|v| **v != Verdict::Right).count();
    println!(
        "\nThe matcher by category ({failures} receipts not settled right; share = of all receipts, fail = share of all failures)"
    );
    println!(
        "{:<12} {:<16} {:>8} {:>7} {:>8} {:>6} {:>7} {:>9} {:>8} {:>6}",
        "dimension",
        "value",
        "receipts",
        "share",
        "right",
        "wrong",
        "review",
        "rev.1st✓",
        "unmatch",
        "fail"
    );
    let mut last = "";
    for ((dim, value), c) in &by {
        if *dim != last {
            println!();
            last = dim;
        }
        let fails = c.wrong + c.review + c.unmatched;
        println!(
            "{:<12} {:<16} {:>8} {:>7} {:>8} {:>6} {:>7} {:>9} {:>8} {:>6}",
            dim,
            value,
            c.n,
            pct(c.n, total),
            pct(c.right, c.n),
            c.wrong,
            c.review,
            c.review_right,
            c.unmatched,
            pct(fails, failures)
        );
    }
}

/// The matcher's failures grouped by what it said: the verdict, the notes
/// on the receipt and the reason codes of its first proposal.
fn signatures(book: &CashBook, batch: &[ReceiptMatch], verdicts: &[Verdict], top: usize) {
    let mut by: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for ((m, v), r) in batch.iter().zip(verdicts).zip(&book.receipts) {
        let verdict = match v {
            Verdict::Right => continue,
            Verdict::Wrong => "wrong",
            Verdict::Subset => "subset",
            Verdict::Review { first_right: true } => "review (first right)",
            Verdict::Review { first_right: false } => "review",
            Verdict::Unmatched => "unmatched",
        };
        let mut notes: Vec<String> = m.notes.iter().map(|n| format!("{:?}", n.code)).collect();
        notes.dedup();
        let mut first: Vec<String> = m
            .proposals
            .first()
            .map(|p| p.reasons.iter().map(|x| format!("{:?}", x.code)).collect())
            .unwrap_or_default();
        first.sort();
        first.dedup();
        let key = format!(
            "{verdict:<21} notes [{}] first [{}]",
            notes.join(" "),
            first.join(" ")
        );
        let e = by.entry(key).or_insert((0, r.id.clone()));
        e.0 += 1;
    }
    let mut rows: Vec<(String, (usize, String))> = by.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    println!("\nThe matcher's failures by what it said (top {top}; an example receipt each)");
    for (key, (n, example)) in rows.iter().take(top) {
        println!("{n:>6}  {key}  e.g. {example}");
    }
}

fn show_settles(settles: &[Settle]) -> String {
    let v: Vec<String> = settles
        .iter()
        .map(|s| {
            let mut x = match &s.credit_memo {
                Some(cm) => format!("{cm} -> "),
                None => String::new(),
            };
            x.push_str(&s.invoice);
            if let Some(k) = s.installment {
                let _ = write!(x, "#{k}");
            }
            let _ = write!(x, " {}", s.amount);
            if !s.discount.is_zero() {
                let _ = write!(x, " disc {}", s.discount);
            }
            if !s.write_off.is_zero() {
                let _ = write!(x, " w/o {}", s.write_off);
            }
            x
        })
        .collect();
    v.join(", ")
}

fn dump_one(r: &MatchReceipt, t: &Truth, m: &ReceiptMatch, v: Verdict) {
    let dims: Vec<String> = t
        .category
        .dims()
        .iter()
        .map(|(d, x)| format!("{d}={x}"))
        .collect();
    println!(
        "\n{} {} {} {} payer={} account={} name={}  [{:?}]",
        r.id,
        r.date,
        r.amount,
        r.currency.code(),
        r.customer.as_ref().map_or("-", |c| c.as_str()),
        r.account.as_deref().unwrap_or("-"),
        r.payer_name.as_deref().unwrap_or("-"),
        v
    );
    println!("  text:  {:?}", r.remittance);
    println!("  kind:  {}", dims.join(" "));
    println!(
        "  truth: {} {} | unapplied {}",
        t.customer,
        show_settles(&t.settles),
        t.unapplied
    );
    let refs: Vec<String> = m
        .references
        .iter()
        .map(|x| format!("{}:{}", x.kind.name(), x.number))
        .collect();
    println!("  read:  [{}]  status {}", refs.join(" "), m.status.name());
    for (k, p) in m.proposals.iter().enumerate().take(4) {
        let (s, u) = proposal_settles(m, k).unwrap_or_default();
        println!(
            "  #{} {:>3}% {} ({}) {} | unapplied {}",
            k + 1,
            p.confidence,
            p.customer,
            p.payer_basis.name(),
            show_settles(&s),
            u
        );
        for reason in &p.reasons {
            println!("        {:?}: {}", reason.code, reason.message);
        }
    }
    if m.proposals.len() > 4 {
        println!("  ... {} proposals in all", m.proposals.len());
    }
    for n in &m.notes {
        println!("  note {:?}: {}", n.code, n.message);
    }
}

fn main() {
    let invoices: usize = std::env::var("AR_BENCH_INVOICES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(cash::DEFAULT_INVOICES);
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let dump: usize = arg("--dump").and_then(|s| s.parse().ok()).unwrap_or(0);
    let only = arg("--only");
    let filter = arg("--filter");
    let ids: Vec<String> = arg("--ids")
        .map(|s| s.split(',').map(str::to_owned).collect())
        .unwrap_or_default();

    let profile = match arg("--style").as_deref() {
        None | Some("first") => cash::Profile::FIRST,
        Some("second") => cash::Profile::SECOND,
        Some(other) => {
            eprintln!("--style: {other:?} is not a style (first, second)");
            std::process::exit(2);
        }
    };
    let t = Instant::now();
    let book = cash::generate_as(invoices, cash::SEED, &profile);
    let open_invoices = book
        .items
        .iter()
        .filter(|m| m.kind == ar_core::matching::ItemKind::Invoice)
        .count();
    println!(
        "Generated in {:.2?} ({} style): {} open items ({} invoice installments, {} credit memos), {} customers, {} receipts over {} days from {} (seed {}, tolerance {} fixed)",
        t.elapsed(),
        profile.name,
        book.items.len(),
        open_invoices,
        book.items.len() - open_invoices,
        book.customers.len(),
        book.receipts.len(),
        cash::WINDOW_DAYS,
        book.batch_date,
        cash::SEED,
        book.tolerance.fixed.unwrap_or_default(),
    );
    // `--policies permissive`: write-offs on the amount alone and partial
    // payments applied automatically, to see what the safe defaults leave
    // to a person.
    let permissive = match arg("--policies").as_deref() {
        None | Some("default") => false,
        Some("permissive") => true,
        Some(other) => {
            eprintln!("--policies: {other:?} is not one (default, permissive)");
            std::process::exit(2);
        }
    };
    let mut options = MatchOptions {
        tolerance: book.tolerance,
        ..MatchOptions::default()
    };
    if permissive {
        options.tolerance_evidence = ar_core::matching::ToleranceEvidence::Any;
        options.partial_payments = ar_core::matching::PartialPayments::Auto;
    }
    let t = Instant::now();
    let batch = match match_receipts(
        &book.receipts,
        book.items.clone(),
        &book.customers,
        &options,
    ) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("matcher refused the data: {e}");
            std::process::exit(1);
        }
    };
    let matcher_time = t.elapsed();
    let t = Instant::now();
    let a = regex_fifo(&book.items, &book.receipts);
    let b = greedy_oldest(&book.items, &book.receipts);
    let baseline_time = t.elapsed();
    println!(
        "Matched in {matcher_time:.2?} (index + batch); both baselines in {baseline_time:.2?}\n"
    );

    let matcher: Vec<Verdict> = book
        .truths
        .iter()
        .zip(&batch.matches)
        .map(|(t, m)| judge_matcher(t, m))
        .collect();
    let judge = |o: &[Outcome]| -> Vec<Verdict> {
        book.truths
            .iter()
            .zip(o)
            .map(|(t, o)| judge_baseline(t, o))
            .collect()
    };
    let methods = [
        Scores {
            name: "matcher",
            verdicts: matcher.clone(),
        },
        Scores {
            name: "regex + FIFO",
            verdicts: judge(&a),
        },
        Scores {
            name: "greedy oldest-first",
            verdicts: judge(&b),
        },
    ];
    table(&book, &methods);
    review_coverage(&book, &batch.matches);
    slices(&book, &matcher);
    breakdown(&book, &matcher);
    signatures(&book, &batch.matches, &matcher, 25);

    for ((r, t), (m, v)) in book
        .receipts
        .iter()
        .zip(&book.truths)
        .zip(batch.matches.iter().zip(&matcher))
    {
        if ids.contains(&r.id) {
            dump_one(r, t, m, *v);
        }
    }
    if dump > 0 {
        println!("\nExamples of receipts the matcher did not settle right:");
        let mut shown = 0;
        for ((r, t), (m, v)) in book
            .receipts
            .iter()
            .zip(&book.truths)
            .zip(batch.matches.iter().zip(&matcher))
        {
            if shown >= dump {
                break;
            }
            let keep = match (only.as_deref(), v) {
                (_, Verdict::Right) => false,
                (Some("wrong"), v) => v.wrong(),
                (Some("missed"), v) => !v.wrong(),
                _ => true,
            };
            let keep = keep
                && filter.as_deref().is_none_or(|f| {
                    f.split(',').all(|f| {
                        let (dim, value) = f.split_once('=').unwrap_or((f, ""));
                        t.category
                            .dims()
                            .iter()
                            .any(|(d, x)| *d == dim && *x == value)
                    })
                });
            if keep {
                dump_one(r, t, m, *v);
                shown += 1;
            }
        }
    }
}
