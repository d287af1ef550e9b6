//! What every untrusted entry of `ar-core` must do with any input: return a
//! value or a typed error (never panic, never `internal`, never a message
//! that grows with the input), leave the ledger unchanged when it refuses a
//! command, and hold its own figures together when it accepts one.
//!
//! One definition serves both drivers: the coverage-guided targets in
//! `fuzz/fuzz_targets/` and the proptest generation of
//! `ar-core/tests/fuzz_entries.rs`, which includes this file as a module.
//!
//! Each check returns `Err(Finding)`. A finding of a class the core is
//! still being fixed for (the `*_FIXED` constants below) is `Known` while
//! its constant is `false`, so both drivers can go on past it and count it;
//! the fix turns the constant to `true`, and the class then fails like any
//! other.
#![allow(clippy::indexing_slicing)]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Once, OnceLock};

use ar_core::bulk::{Book, PreparedBook};
use ar_core::chrono::{DateTime, Days, NaiveDate, Utc};
use ar_core::import::LedgerTables;
use ar_core::matching::{
    parse_remittance, ItemKind, MatchCustomer, MatchDiscount, MatchItem, MatchOptions,
    MatchReceipt, Matcher,
};
use ar_core::rust_decimal::Decimal;
use ar_core::*;

/// Arithmetic near the 96-bit decimal limit panics (`compute_totals`,
/// `schedule`, `apply` with a huge discount) instead of returning
/// `overflow`, and so does date arithmetic at the calendar's ends (metrics
/// for a period starting on `NaiveDate::MIN`); an amount that does not fit
/// its currency's minor unit is accepted with figures off by a power of
/// ten (a schedule of 79228162514264337593543950335 KWD, a receipt of it
/// in USD).
pub const OVERFLOW_FIXED: bool = true;
/// Views show `-0.00` for zero (a new invoice's `paid`, an untouched
/// receipt's `applied`).
pub const NEGATIVE_ZERO_FIXED: bool = true;
/// `Ledger::from_json` accepts logs whose amounts, totals or derived fields
/// disagree with their own documents, instead of `corrupt_log`.
pub const LOG_VALIDATION_FIXED: bool = true;

/// `PaymentTerms::from_str` puts the whole text it refuses in its message
/// (`"net 30" + 10 MB` makes a 10 MB message), where other errors show a
/// bounded prefix of the value.
pub const MESSAGES_BOUNDED_FIXED: bool = true;

/// Longest error message accepted, whatever the size of the input: a
/// message names the field and shows a bounded prefix of the value.
pub const MAX_MESSAGE: usize = 1024;

/// A property that did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// A class the core is being fixed for (see the constants above), and
    /// what was seen.
    Known(String, String),
    /// Anything else: a defect to report.
    Fail(String),
}

/// The result of one check.
pub type Checked = Result<(), Finding>;

fn fail(what: impl Into<String>) -> Finding {
    Finding::Fail(what.into())
}

/// `Known(class)` while `fixed` is false, else a failure.
fn known(fixed: bool, class: &str, what: impl Into<String>) -> Finding {
    if fixed {
        Finding::Fail(format!("{class}: {}", what.into()))
    } else {
        Finding::Known(class.to_owned(), what.into())
    }
}

fn ensure(ok: bool, what: impl FnOnce() -> String) -> Checked {
    if ok {
        Ok(())
    } else {
        Err(fail(what()))
    }
}

// ----- panics -----------------------------------------------------------

thread_local! {
    /// Set while a check runs under [`guard`]: a panic's message is kept
    /// here instead of being printed (or aborting, under libFuzzer).
    static CAUGHT: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let kept = CAUGHT.with(|c| {
                let mut c = c.borrow_mut();
                match c.as_mut() {
                    Some(slot) => {
                        *slot = Some(info.to_string());
                        true
                    }
                    None => false,
                }
            });
            if !kept {
                previous(info);
            }
        }));
    });
}

/// Runs `check`, turning a panic into a finding: an arithmetic overflow
/// (the class being fixed) is `Known`, any other panic fails.
pub fn guard(check: impl FnOnce() -> Checked) -> Checked {
    install_hook();
    CAUGHT.with(|c| *c.borrow_mut() = Some(None));
    let result = panic::catch_unwind(AssertUnwindSafe(check));
    let message = CAUGHT.with(|c| c.borrow_mut().take().flatten());
    match result {
        Ok(checked) => checked,
        Err(_) => {
            let message = message.unwrap_or_else(|| "a panic without a message".into());
            if message.contains("overflow") {
                // Told apart by where they panicked (a registry path cut
                // to the crate's own).
                let first = message.lines().next().unwrap_or_default();
                let at = first
                    .find("rust_decimal-")
                    .or_else(|| first.find("ar-core/"))
                    .map_or(first, |i| &first[i..]);
                Err(known(OVERFLOW_FIXED, &format!("overflow, {at}"), message))
            } else {
                Err(fail(format!("panic: {message}")))
            }
        }
    }
}

// ----- errors and amounts -------------------------------------------------

/// A refusal is fine if it is typed: a stable code that is not `internal`
/// and a message of bounded length.
pub fn typed(e: &Error) -> Checked {
    let message = e.to_string();
    ensure(e.code() != "internal", || {
        format!("internal error: {message}")
    })?;
    ensure(!e.code().is_empty(), || {
        format!("error without a code: {message}")
    })?;
    if message.len() > MAX_MESSAGE {
        let what = format!(
            "{} error of {} bytes: {}…",
            e.code(),
            message.len(),
            message.chars().take(120).collect::<String>()
        );
        return Err(if e.code() == "invalid_terms" {
            known(MESSAGES_BOUNDED_FIXED, "message grows with the input", what)
        } else {
            fail(what)
        });
    }
    Ok(())
}

/// An amount shown by a view: at its currency's minor unit, and never a
/// negative zero.
fn shown(field: &str, d: Decimal, currency: Currency, from_log: bool) -> Checked {
    if d.is_zero() && d.is_sign_negative() {
        return Err(known(
            NEGATIVE_ZERO_FIXED,
            "negative zero",
            format!("{field} is {d}"),
        ));
    }
    if !representable(d, currency) {
        return Err(known(
            OVERFLOW_FIXED,
            "amount beyond the minor unit",
            format!("{field} is {d}, which {} cannot hold", currency.code()),
        ));
    }
    if d.scale() != currency.minor_units() {
        let what = format!(
            "{field} is {d}, not at the minor unit of {}",
            currency.code()
        );
        return Err(if from_log {
            known(LOG_VALIDATION_FIXED, "log not validated", what)
        } else {
            fail(what)
        });
    }
    Ok(())
}

/// Whether `d` can be written at the minor unit of `currency` in a
/// decimal: 79228162514264337593543950335 cannot in USD.
pub fn representable(d: Decimal, currency: Currency) -> bool {
    let minor = currency.minor_units();
    if d.scale() > minor {
        // Too fine rather than too large: not this question.
        return true;
    }
    let mut at = d;
    at.rescale(minor);
    at.scale() == minor
}

/// Interesting decimals for amounts: the usual cents, zero and negative
/// zero, negatives, too many decimals, and the edges of the 96-bit range.
/// `pick` chooses the kind, `mantissa` and `scale` the value.
pub fn amount(pick: u8, mantissa: i64, scale: u8) -> Decimal {
    let max = Decimal::MAX;
    match pick % 12 {
        0 => Decimal::ZERO,
        1 => -Decimal::new(0, 2),
        2 => -Decimal::new(mantissa.unsigned_abs().min(1 << 40) as i64, 2),
        3 => max,
        4 => Decimal::MIN,
        // MAX with two decimals: 792281625142643375935439503.35.
        5 => Decimal::from_i128_with_scale(max.mantissa(), 2),
        6 => Decimal::new(mantissa, u32::from(scale % 29)),
        7 => Decimal::new(mantissa.unsigned_abs().min(1 << 40) as i64 * 10 + 1, 3),
        8 => max - Decimal::ONE,
        _ => Decimal::new(mantissa.unsigned_abs().min(1 << 40) as i64, 2),
    }
}

// ----- a ledger to run commands against -----------------------------------

/// When the seeded ledger's commands are recorded.
pub fn recorded() -> DateTime<Utc> {
    DateTime::from_timestamp(1_775_000_000, 0).unwrap_or_default()
}

/// A day of March 2026.
pub fn march(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, day.clamp(1, 31)).unwrap_or_default()
}

fn id<T>(make: fn(&str) -> Result<T>, text: &str) -> T
where
    T: Clone,
{
    match make(text) {
        Ok(v) => v,
        Err(e) => panic!("seed id {text}: {e}"),
    }
}

fn currency(code: &str) -> Currency {
    match Currency::new(code) {
        Ok(c) => c,
        Err(e) => panic!("seed currency {code}: {e}"),
    }
}

/// A small book with one of everything: three customers in USD, EUR and
/// JPY, invoices on single and installment terms with discounts, a draft,
/// a disputed invoice, receipts from a known and an unknown payer, a
/// credit memo, applications, a write-off and a refund.
pub fn seeded_ledger() -> &'static Ledger {
    static SEEDED: OnceLock<Ledger> = OnceLock::new();
    SEEDED.get_or_init(|| {
        let mut ledger = Ledger::new();
        for command in seed_commands() {
            if let Err(e) = ledger.execute(command, &CommandMeta::at(recorded())) {
                panic!("seed command refused: {e}");
            }
        }
        ledger
    })
}

fn seed_commands() -> Vec<Command> {
    let usd = currency("USD");
    let acme = id(|s| CustomerId::new(s), "ACME");
    let beta = id(|s| CustomerId::new(s), "BETA");
    let gamma = id(|s| CustomerId::new(s), "GAMMA");
    let inv = |s: &str| id(|s| InvoiceId::new(s), s);
    let rec = |s: &str| id(|s| ReceiptId::new(s), s);
    let line = |price: i64| InvoiceLine::new("Widgets", Decimal::ONE, Decimal::new(price, 2));
    let mut commands = vec![
        Command::RegisterCustomer {
            customer: Customer::new(acme.clone(), "Acme", usd)
                .with_terms(PaymentTerms::net(30).with_discount(Decimal::TWO, 10))
                .with_dimension("region", "west"),
        },
        Command::RegisterCustomer {
            customer: Customer::new(beta.clone(), "Beta", currency("EUR")),
        },
        Command::RegisterCustomer {
            customer: Customer::new(gamma.clone(), "Gamma", currency("JPY")),
        },
        Command::IssueInvoice {
            invoice: NewInvoice::new(
                inv("INV-000123"),
                acme.clone(),
                march(1),
                vec![line(15000).with_tax("VAT", Decimal::TEN)],
            ),
        },
    ];
    let mut split = NewInvoice::new(inv("INV-000124"), acme.clone(), march(2), vec![line(30000)]);
    split.terms = Some(PaymentTerms::Installments {
        installments: (1..=3)
            .map(|n| InstallmentTerm {
                portion: Portion::Equal,
                due: DueRule::Net { days: 30 * n },
                discount: Some(EarlyDiscount::percent(Decimal::ONE, 5)),
            })
            .collect(),
    });
    let mut draft = NewInvoice::new(inv("INV-000125"), acme.clone(), march(3), vec![line(5000)]);
    draft.draft = true;
    let eur = NewInvoice::new(inv("B-7"), beta.clone(), march(4), vec![line(99999)]);
    let jpy = NewInvoice::new(
        inv("G-1"),
        gamma,
        march(5),
        vec![InvoiceLine::new("x", Decimal::TWO, Decimal::new(1500, 0))],
    );
    commands.extend([
        Command::IssueInvoice { invoice: split },
        Command::IssueInvoice { invoice: draft },
        Command::IssueInvoice { invoice: eur },
        Command::IssueInvoice { invoice: jpy },
        Command::SetDispute {
            invoice: inv("B-7"),
            disputed: true,
            date: march(6),
            reason: "damaged".into(),
        },
        Command::RecordReceipt {
            receipt: Receipt {
                id: rec("R-1"),
                customer: Some(acme.clone()),
                date: march(8),
                amount: Decimal::new(10000, 2),
                currency: usd,
                method: PaymentMethod::Ach,
                reference: None,
                remittance: "INV-000123".into(),
                payer_name: None,
                payer_account: None,
            },
        },
        Command::RecordReceipt {
            receipt: Receipt {
                id: rec("R-2"),
                customer: None,
                date: march(9),
                amount: Decimal::new(5000, 2),
                currency: usd,
                method: PaymentMethod::Wire,
                reference: None,
                remittance: String::new(),
                payer_name: None,
                payer_account: None,
            },
        },
        Command::IssueCreditMemo {
            id: id(|s| CreditMemoId::new(s), "CM-1"),
            customer: acme,
            date: march(10),
            currency: None,
            against: Some(inv("INV-000123")),
            kind: CreditKind::Amount {
                amount: Decimal::new(2000, 2),
            },
            reason: "returned".into(),
        },
        Command::Apply {
            id: Some(id(|s| ApplicationId::new(s), "A-1")),
            source: Source::Receipt(rec("R-1")),
            invoice: inv("INV-000123"),
            installment: None,
            amount: Decimal::new(6000, 2),
            discount: Decimal::ZERO,
            date: march(11),
        },
        Command::WriteOff {
            id: Some(id(|s| WriteOffId::new(s), "W-1")),
            invoice: inv("INV-000124"),
            installment: Some(3),
            amount: Some(Decimal::new(1000, 2)),
            date: march(12),
            reason: "goodwill".into(),
        },
        Command::Refund {
            id: Some(id(|s| RefundId::new(s), "F-1")),
            source: Source::Receipt(rec("R-1")),
            amount: Decimal::new(500, 2),
            date: march(13),
            method: PaymentMethod::Check,
            reason: String::new(),
        },
    ]);
    commands
}

/// Commands against the seeded ledger, most of them valid, as JSON: the
/// starting points that [`command_json`] inputs are mutated from.
pub fn command_templates() -> Vec<String> {
    let acme = id(|s| CustomerId::new(s), "ACME");
    let inv = |s: &str| id(|s| InvoiceId::new(s), s);
    let rec = |s: &str| id(|s| ReceiptId::new(s), s);
    let memo = id(|s| CreditMemoId::new(s), "CM-1");
    let mut commands = seed_commands();
    commands.extend([
        Command::Apply {
            id: None,
            source: Source::CreditMemo(memo.clone()),
            invoice: inv("INV-000124"),
            installment: Some(1),
            amount: Decimal::new(1000, 2),
            discount: Decimal::new(100, 2),
            date: march(6),
        },
        Command::ApplyFifo {
            source: Source::Receipt(rec("R-1")),
            date: march(20),
            include_disputed: false,
        },
        Command::AssignPayer {
            receipt: rec("R-2"),
            customer: acme.clone(),
            date: march(15),
        },
        Command::Unapply {
            application: id(|s| ApplicationId::new(s), "A-1"),
            date: march(21),
            reason: "wrong invoice".into(),
        },
        Command::ReverseWriteOff {
            write_off: id(|s| WriteOffId::new(s), "W-1"),
            date: march(22),
            reason: "recovered".into(),
        },
        Command::VoidInvoice {
            invoice: inv("G-1"),
            date: march(23),
            reason: "duplicate".into(),
        },
        Command::VoidReceipt {
            receipt: rec("R-2"),
            date: march(24),
            reason: "bounced".into(),
        },
        Command::VoidCreditMemo {
            credit_memo: memo,
            date: march(25),
            reason: String::new(),
        },
        Command::FinalizeInvoice {
            invoice: inv("INV-000125"),
            date: march(26),
        },
        Command::ImportInvoice {
            invoice: OpeningInvoice {
                id: inv("OLD-1"),
                customer: acme.clone(),
                date: march(1),
                due_date: march(31),
                currency: None,
                total: Decimal::new(40000, 2),
                open: Decimal::new(12500, 2),
                po_number: Some("PO-9".into()),
                dimensions: BTreeMap::new(),
            },
            as_of: march(15),
        },
        Command::IssueCreditMemo {
            id: id(|s| CreditMemoId::new(s), "CM-2"),
            customer: acme.clone(),
            date: march(27),
            currency: None,
            against: Some(inv("INV-000123")),
            kind: CreditKind::WholeInvoice,
            reason: String::new(),
        },
        Command::WriteOff {
            id: None,
            invoice: inv("INV-000123"),
            installment: None,
            amount: None,
            date: march(28),
            reason: "uncollectible".into(),
        },
        Command::UpdateCustomer {
            customer: Customer::new(acme, "Acme Corp", currency("USD"))
                .with_credit_limit(Decimal::new(100_000, 2)),
        },
    ]);
    commands
        .iter()
        .filter_map(|c| serde_json::to_value(c).ok())
        .map(|mut v| {
            // New ids for what the seeded ledger already holds, so that
            // the templates are accepted rather than duplicates.
            for path in [
                &["customer", "id"][..],
                &["invoice", "id"],
                &["receipt", "id"],
                &["id"],
            ] {
                let is_new = matches!(
                    v.get("type").and_then(|t| t.as_str()),
                    Some(
                        "register_customer"
                            | "issue_invoice"
                            | "record_receipt"
                            | "issue_credit_memo"
                            | "import_invoice"
                            | "apply"
                            | "write_off"
                            | "refund"
                    )
                );
                let mut node = Some(&mut v);
                for key in path {
                    node = node.and_then(|n| n.get_mut(*key));
                }
                if let (true, Some(serde_json::Value::String(id))) = (is_new, node) {
                    id.push_str("-NEW");
                }
            }
            v.to_string()
        })
        .collect()
}

// ----- the figures of a ledger hold together -------------------------------

/// The ledger's own figures agree: every invoice's total is its open amount
/// plus what settled it, installments sum to the total, sources' open
/// amounts are what was not applied or refunded, open items are positive
/// and within their original amounts, balances and aging total the open
/// items; every amount at its currency's minor unit. `from_log` tags a
/// failure as the log-validation class: a ledger built by commands must
/// hold it outright.
pub fn consistent(ledger: &Ledger, from_log: bool) -> Checked {
    let bad = |what: String| {
        if from_log {
            known(LOG_VALIDATION_FIXED, "log not validated", what)
        } else {
            fail(what)
        }
    };
    let all = View::all();
    let mut open_per_currency: BTreeMap<&'static str, (Currency, Decimal, Decimal, Decimal)> =
        BTreeMap::new();
    for item in ledger.open_items(&all) {
        let c = item.currency;
        shown("open item open", item.open, c, from_log)?;
        if item.open <= Decimal::ZERO || item.open > item.original {
            return Err(bad(format!(
                "open item {} {:?} has {} open of {}",
                item.id, item.installment, item.open, item.original
            )));
        }
        let e = open_per_currency.entry(c.code()).or_insert((
            c,
            Decimal::ZERO,
            Decimal::ZERO,
            Decimal::ZERO,
        ));
        match item.kind {
            OpenItemKind::Invoice => e.1 += item.open,
            OpenItemKind::CreditMemo => e.2 += item.open,
            OpenItemKind::UnappliedCash => e.3 += item.open,
        }
    }
    let mut balance_per_currency: BTreeMap<&'static str, (Decimal, Decimal, Decimal)> =
        BTreeMap::new();
    for b in ledger.balances(&all) {
        for (field, v) in [
            ("balance invoices", b.invoices),
            ("balance unapplied_cash", b.unapplied_cash),
            ("balance open_credits", b.open_credits),
            ("balance net", b.net),
        ] {
            shown(field, v, b.currency, from_log)?;
        }
        ensure(
            b.net == b.invoices - b.unapplied_cash - b.open_credits,
            || format!("balance {:?}: net is not invoices - cash - credits", b),
        )?;
        let e = balance_per_currency.entry(b.currency.code()).or_default();
        e.0 += b.invoices;
        e.1 += b.open_credits;
        e.2 += b.unapplied_cash;
    }
    for (code, (_, invoices, credits, cash)) in &open_per_currency {
        let b = balance_per_currency.get(code).copied().unwrap_or_default();
        if b != (*invoices, *credits, *cash) {
            return Err(bad(format!(
                "{code}: open items {invoices}/{credits}/{cash}, balances {b:?}"
            )));
        }
    }
    // Aging far enough ahead that every document is in it.
    let as_of = NaiveDate::from_ymd_opt(2200, 1, 1).unwrap_or_default();
    let aging = ledger
        .aging(&AgingOptions::new(as_of))
        .map_err(|e| bad(format!("aging refused: {e}")))?;
    let dated = ledger.open_items(&View::as_of(as_of));
    for t in &aging.totals {
        let buckets: Decimal = t.buckets.iter().copied().sum();
        let items: Decimal = dated
            .iter()
            .filter(|i| i.kind == OpenItemKind::Invoice && i.currency == t.currency)
            .map(|i| i.open)
            .sum();
        if buckets != t.total || t.total != items {
            return Err(bad(format!(
                "aging {}: buckets {buckets}, total {}, open items {items}",
                t.currency.code(),
                t.total
            )));
        }
    }
    for env in ledger.events() {
        match &env.event {
            Event::InvoiceIssued { invoice } => {
                let v = ledger
                    .invoice(&invoice.id, &all)
                    .map_err(|e| fail(format!("issued invoice {} not found: {e}", invoice.id)))?;
                invoice_adds_up(&v, from_log).map_err(|f| match f {
                    Finding::Fail(what) => bad(what),
                    known => known,
                })?;
            }
            Event::ReceiptRecorded { receipt } => {
                source_adds_up(ledger, &Source::Receipt(receipt.id.clone()), from_log).map_err(
                    |f| match f {
                        Finding::Fail(what) => bad(what),
                        known => known,
                    },
                )?;
            }
            Event::CreditMemoIssued { credit_memo } => {
                source_adds_up(
                    ledger,
                    &Source::CreditMemo(credit_memo.id.clone()),
                    from_log,
                )
                .map_err(|f| match f {
                    Finding::Fail(what) => bad(what),
                    known => known,
                })?;
            }
            _ => {}
        }
    }
    Ok(())
}

fn invoice_adds_up(v: &InvoiceView, from_log: bool) -> Checked {
    let c = v.invoice.currency;
    let id = &v.invoice.id;
    for (field, d) in [
        ("open", v.open),
        ("paid", v.paid),
        ("credited", v.credited),
        ("discounted", v.discounted),
        ("written_off", v.written_off),
        ("settled_before_import", v.settled_before_import),
        ("total", v.invoice.totals.total),
    ] {
        shown(&format!("invoice {id} {field}"), d, c, from_log)?;
        ensure(!d.is_sign_negative() || d.is_zero(), || {
            format!("invoice {id} {field} is {d}")
        })?;
    }
    let total = v.invoice.totals.total;
    ensure(total > Decimal::ZERO, || {
        format!("invoice {id} total {total}")
    })?;
    let scheduled: Decimal = v.installments.iter().map(|i| i.amount).sum();
    ensure(scheduled == total, || {
        format!("invoice {id}: installments sum to {scheduled}, total {total}")
    })?;
    let open: Decimal = v.installments.iter().map(|i| i.open).sum();
    ensure(open == v.open, || {
        format!(
            "invoice {id}: installments open {open}, invoice open {}",
            v.open
        )
    })?;
    for i in &v.installments {
        ensure(i.open >= Decimal::ZERO && i.open <= i.amount, || {
            format!(
                "invoice {id} installment {}: {} open of {}",
                i.number, i.open, i.amount
            )
        })?;
    }
    if matches!(
        v.status,
        InvoiceStatus::Open
            | InvoiceStatus::PartiallyPaid
            | InvoiceStatus::Paid
            | InvoiceStatus::WrittenOff
    ) {
        let settled =
            v.paid + v.credited + v.discounted + v.written_off + v.settled_before_import + v.open;
        ensure(settled == total, || {
            format!("invoice {id}: open and settled make {settled}, total {total}")
        })?;
    }
    Ok(())
}

fn source_adds_up(ledger: &Ledger, source: &Source, from_log: bool) -> Checked {
    let v = ledger.source(source, &View::all()).map_err(|e| {
        fail(format!(
            "recorded {} {} not found: {e}",
            source.kind(),
            source.id()
        ))
    })?;
    let c = v.currency;
    let name = format!("{} {}", source.kind(), source.id());
    for (field, d) in [
        ("amount", v.amount),
        ("applied", v.applied),
        ("refunded", v.refunded),
        ("open", v.open),
    ] {
        shown(&format!("{name} {field}"), d, c, from_log)?;
        ensure(!d.is_sign_negative() || d.is_zero(), || {
            format!("{name} {field} is {d}")
        })?;
    }
    ensure(v.amount > Decimal::ZERO, || {
        format!("{name} amount {}", v.amount)
    })?;
    if !v.void {
        ensure(v.open == v.amount - v.applied - v.refunded, || {
            format!(
                "{name}: open {} is not {} - {} - {}",
                v.open, v.amount, v.applied, v.refunded
            )
        })?;
    }
    Ok(())
}

/// A ledger reads back from its own JSON as an equal ledger, and writes
/// the same JSON again.
pub fn round_trips(ledger: &Ledger) -> Checked {
    let json = ledger
        .to_json()
        .map_err(|e| fail(format!("to_json failed: {e}")))?;
    let back = Ledger::from_json(&json).map_err(|e| {
        fail(format!(
            "its own JSON does not load: {e}; JSON starts {}",
            json.chars().take(300).collect::<String>()
        ))
    })?;
    ensure(&back == ledger, || "read back as a different ledger".into())?;
    let again = back
        .to_json()
        .map_err(|e| fail(format!("to_json of the copy failed: {e}")))?;
    ensure(again == json, || {
        "wrote different JSON the second time".into()
    })
}

// ----- the entries ----------------------------------------------------------

/// (a) A log as JSON: refused with a typed error, or loaded as a ledger
/// that holds together and round-trips.
pub fn log_json(text: &str) -> Checked {
    match Ledger::from_json(text) {
        Err(e) => typed(&e),
        Ok(ledger) => {
            round_trips(&ledger)?;
            consistent(&ledger, true)
        }
    }
}

/// (b) Commands as JSON, one per line, executed in order on `ledger`: each
/// either refused with a typed error, leaving the ledger as it was, or
/// accepted with the ledger still holding together; the ledger then
/// round-trips.
pub fn command_json(ledger: &Ledger, lines: &[&str]) -> Checked {
    let mut ledger = ledger.clone();
    let meta = CommandMeta::at(recorded());
    for line in lines {
        let command = match serde_json::from_str::<Command>(line) {
            Ok(c) => c,
            // A serde error is the binding's to type; it must stay short.
            Err(e) => {
                let message = e.to_string();
                ensure(message.len() <= MAX_MESSAGE, || {
                    format!(
                        "serde error of {} bytes: {}…",
                        message.len(),
                        message.chars().take(200).collect::<String>()
                    )
                })?;
                continue;
            }
        };
        let before = ledger.clone();
        match ledger.execute(command, &meta) {
            Err(e) => {
                typed(&e)?;
                ensure(ledger == before, || {
                    format!("refused with {} but the ledger changed", e.code())
                })?;
            }
            Ok(_) => consistent(&ledger, false).map_err(|f| match f {
                Finding::Fail(what) => fail(format!("after `{line}`: {what}")),
                known => known,
            })?,
        }
    }
    round_trips(&ledger)
}

/// (c) Payment terms from text (and from JSON, for installment schedules),
/// scheduled for an invoice of `total`: a schedule whose installments sum
/// exactly to the total at the currency's minor unit, in order, each
/// discount within its installment; or a typed error. Terms that parse
/// display as text that parses back to the same terms.
pub fn terms(
    text: &str,
    json: bool,
    date: NaiveDate,
    total: Decimal,
    currency: Currency,
    policy: RoundingPolicy,
) -> Checked {
    let parsed = if json {
        serde_json::from_str::<PaymentTerms>(text).map_err(|e| Error::InvalidTerms {
            field: "terms".into(),
            reason: shown_value(&e.to_string()),
        })
    } else {
        text.parse::<PaymentTerms>()
    };
    let terms = match parsed {
        Err(e) => return typed(&e),
        Ok(t) => t,
    };
    if !json {
        let shown = terms.to_string();
        let back = shown.parse::<PaymentTerms>();
        ensure(back.as_ref() == Ok(&terms), || {
            format!("{text:?} displays as {shown:?}, which parses as {back:?}")
        })?;
    }
    match terms.schedule(date, total, currency, policy) {
        Err(e) => typed(&e),
        Ok(_) if !representable(total, currency) => Err(known(
            OVERFLOW_FIXED,
            "amount beyond the minor unit",
            format!("{text:?} scheduled {total} {}", currency.code()),
        )),
        Ok(schedule) => {
            ensure(!schedule.is_empty(), || format!("{text:?}: empty schedule"))?;
            let sum: Decimal = schedule.iter().map(|s| s.amount).sum();
            ensure(sum == total, || {
                format!("{text:?}: installments of {total} sum to {sum}")
            })?;
            for (n, s) in schedule.iter().enumerate() {
                ensure(s.number as usize == n + 1, || {
                    format!("{text:?}: installment {} at {n}", s.number)
                })?;
                ensure(s.amount.scale() == currency.minor_units(), || {
                    format!("{text:?}: installment amount {}", s.amount)
                })?;
                ensure(s.due_date >= date, || {
                    format!("{text:?}: due {} before {date}", s.due_date)
                })?;
                if let Some(d) = s.discount {
                    ensure(d.amount.abs() <= s.amount.abs() && d.until >= date, || {
                        format!("{text:?}: discount {d:?} on {}", s.amount)
                    })?;
                }
            }
            Ok(())
        }
    }
}

/// Open items the remittance entry matches against.
pub fn match_items() -> Vec<MatchItem> {
    let usd = currency("USD");
    let acme = id(|s| CustomerId::new(s), "ACME");
    let item = |id: &str, open: i64, due: u32| MatchItem {
        kind: ItemKind::Invoice,
        id: id.into(),
        installment: None,
        customer: acme.clone(),
        currency: usd,
        date: march(1),
        due_date: march(due),
        open: Decimal::new(open, 2),
        discount: None,
        po_number: None,
        disputed: false,
    };
    let mut items = vec![
        item("INV-000123", 15000, 31),
        item("INV-000124", 25000, 20),
        item("INV-000125", 5000, 25),
        item("INV-000131", 5005, 25),
        item("2026-77", 1999, 10),
    ];
    items.push(MatchItem {
        discount: Some(MatchDiscount {
            until: march(10),
            amount: Decimal::new(300, 2),
        }),
        po_number: Some("PO-778".into()),
        ..item("INV-000200", 15000, 30)
    });
    items.push(MatchItem {
        kind: ItemKind::CreditMemo,
        ..item("CM-55", 5500, 1)
    });
    items.push(MatchItem {
        installment: Some(2),
        disputed: true,
        ..item("INV-000300", 10000, 15)
    });
    items
}

/// (d) Remittance text: parsed within its limits, and a receipt carrying
/// it matched against [`match_items`]: proposals that settle known items
/// within what the receipt and the items hold, or a typed error.
pub fn remittance(
    text: &str,
    amount: Decimal,
    currency: Currency,
    payer: bool,
    day: u32,
) -> Checked {
    let parsed = parse_remittance(text);
    ensure(parsed.references.len() <= 200, || {
        format!("{} references kept", parsed.references.len())
    })?;
    ensure(parsed.truncated == (text.len() > 4096), || {
        format!(
            "truncated {} for a text of {} bytes",
            parsed.truncated,
            text.len()
        )
    })?;
    for r in &parsed.references {
        ensure(r.text.len() <= text.len().saturating_mul(4) + 16, || {
            format!("reference {} from a text of {} bytes", r.text, text.len())
        })?;
    }
    let items = match_items();
    let customers = [MatchCustomer {
        id: id(|s| CustomerId::new(s), "ACME"),
        name: "Acme Corporation".into(),
        aliases: vec!["ACME HOLDINGS".into()],
        accounts: vec!["DE89370400440532013000".into()],
    }];
    let matcher = Matcher::new(items.clone(), &customers, MatchOptions::default())
        .map_err(|e| fail(format!("the item set is refused: {e}")))?;
    let receipt = MatchReceipt {
        id: "R-1".into(),
        customer: payer.then(|| id(|s| CustomerId::new(s), "ACME")),
        date: march(day),
        amount,
        currency,
        remittance: text.to_owned(),
        payer_name: (!payer).then(|| text.chars().take(40).collect()),
        account: None,
    };
    let m = match matcher.propose(&receipt) {
        Err(e) => return typed(&e),
        Ok(m) => m,
    };
    let known_ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    for p in &m.proposals {
        ensure(p.confidence <= 100, || {
            format!("confidence {}", p.confidence)
        })?;
        let mut cash = Decimal::ZERO;
        for a in &p.applications {
            ensure(
                known_ids.contains(&a.invoice.as_str())
                    && (a.source == "R-1" || known_ids.contains(&a.source.as_str())),
                || format!("proposal settles unknown {a:?}"),
            )?;
            let item_open = items
                .iter()
                .filter(|i| i.id == a.invoice)
                .map(|i| i.open)
                .sum::<Decimal>();
            ensure(
                a.amount > Decimal::ZERO
                    && a.amount + a.discount + a.write_off <= item_open
                    && a.open_after >= Decimal::ZERO,
                || format!("application {a:?} of an item with {item_open} open"),
            )?;
            if a.source == "R-1" {
                cash += a.amount;
            }
        }
        ensure(cash <= amount && p.unapplied >= Decimal::ZERO, || {
            format!("proposal applies {cash} of a receipt of {amount}: {p:?}")
        })?;
    }
    Ok(())
}

/// (e) A book's history as tables: refused with a typed error naming a
/// table, or a ledger that holds together and round-trips.
pub fn tables(tables: &LedgerTables) -> Checked {
    match Ledger::from_tables(tables, recorded()) {
        Err(e) => typed(&e),
        Ok(ledger) => {
            consistent(&ledger, false)?;
            round_trips(&ledger)
        }
    }
}

/// (f) A book given as columns: refused with a typed error, or prepared
/// with an aging whose buckets sum to its totals, and metrics or a typed
/// error, as of `as_of`.
pub fn book(book: Book, as_of: NaiveDate) -> Checked {
    let prepared: PreparedBook = match book.prepare() {
        Err(e) => return typed(&e),
        Ok(p) => p,
    };
    let aging = match prepared.aging(&AgingOptions::new(as_of)) {
        Err(e) => return typed(&e),
        Ok(a) => a,
    };
    for row in aging.rows.iter().chain(&aging.totals) {
        let sum: Decimal = row.buckets.iter().copied().sum();
        ensure(sum == row.total, || {
            format!("aging row {:?}: buckets sum to {sum}", row)
        })?;
        ensure(
            row.net == row.total - row.open_credits - row.unapplied_cash,
            || format!("aging row {:?}: net", row),
        )?;
        for d in row.buckets.iter().chain([&row.total, &row.open_credits]) {
            shown("aging amount", *d, row.currency, false)?;
            ensure(*d >= Decimal::ZERO, || format!("aging row {row:?}"))?;
        }
    }
    let start = as_of.checked_sub_days(Days::new(90)).unwrap_or(as_of);
    let period = Period::new(start, as_of).map_err(|e| fail(e.to_string()))?;
    match prepared.metrics(&MetricsOptions::new(period)) {
        Err(e) => typed(&e),
        Ok(_) => Ok(()),
    }
}

// ----- structure-aware mutation of JSON -------------------------------------

/// One edit of a JSON document, as a tester would make it by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// Change one digit of a number or numeric string to `to`.
    Digit { at: usize, to: u8 },
    /// Put a minus sign on a number or numeric string, or take it off.
    Sign { at: usize },
    /// Add a decimal place ("150.00" to "150.000") or drop one.
    Scale { at: usize, more: bool },
    /// Remove a field of an object.
    DropField { at: usize },
    /// Remove an element of an array (an event of a log).
    DropElement { at: usize },
    /// Swap two neighbouring elements of an array.
    Swap { at: usize },
    /// Repeat an element of an array.
    Duplicate { at: usize },
    /// Replace a leaf with another value.
    Replace { at: usize, with: u8 },
}

fn digits_of(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// Paths to the nodes of `v`, in document order: leaves, objects' fields
/// and arrays' elements.
fn nodes(v: &serde_json::Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(path.clone());
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map {
                path.push(Step::Key(k.clone()));
                nodes(child, path, out);
                path.pop();
            }
        }
        serde_json::Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(Step::Index(i));
                nodes(child, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

fn at_mut<'a>(v: &'a mut serde_json::Value, path: &[Step]) -> Option<&'a mut serde_json::Value> {
    let mut v = v;
    for step in path {
        v = match step {
            Step::Key(k) => v.get_mut(k.as_str())?,
            Step::Index(i) => v.get_mut(*i)?,
        };
    }
    Some(v)
}

/// Applies `edit` to the node it picks (modulo the nodes that fit it);
/// false when no node fits.
pub fn mutate(v: &mut serde_json::Value, edit: Edit) -> bool {
    use serde_json::Value;
    let mut all = Vec::new();
    nodes(v, &mut Vec::new(), &mut all);
    let fits = |v: &Value, p: &Vec<Step>| -> bool {
        let node = {
            let mut n = v;
            for s in p {
                n = match s {
                    Step::Key(k) => match n.get(k.as_str()) {
                        Some(x) => x,
                        None => return false,
                    },
                    Step::Index(i) => match n.get(*i) {
                        Some(x) => x,
                        None => return false,
                    },
                };
            }
            n
        };
        match edit {
            Edit::Digit { .. } | Edit::Sign { .. } | Edit::Scale { .. } => match node {
                Value::Number(_) => true,
                Value::String(s) => digits_of(s),
                _ => false,
            },
            Edit::DropField { .. } => matches!(p.last(), Some(Step::Key(_))),
            Edit::DropElement { .. } | Edit::Duplicate { .. } => {
                matches!(p.last(), Some(Step::Index(_)))
            }
            Edit::Swap { .. } => matches!(node, Value::Array(a) if a.len() > 1),
            Edit::Replace { .. } => !matches!(node, Value::Object(_) | Value::Array(_)),
        }
    };
    let candidates: Vec<&Vec<Step>> = all.iter().filter(|p| fits(v, p)).collect();
    if candidates.is_empty() {
        return false;
    }
    let at = match edit {
        Edit::Digit { at, .. }
        | Edit::Sign { at }
        | Edit::Scale { at, .. }
        | Edit::DropField { at }
        | Edit::DropElement { at }
        | Edit::Swap { at }
        | Edit::Duplicate { at }
        | Edit::Replace { at, .. } => at,
    };
    let path = candidates[at % candidates.len()].clone();
    match edit {
        Edit::DropField { .. } | Edit::DropElement { .. } | Edit::Duplicate { .. } => {
            let Some((last, parent)) = path.split_last() else {
                return false;
            };
            let Some(parent) = at_mut(v, parent) else {
                return false;
            };
            match (last, parent) {
                (Step::Key(k), Value::Object(map)) => map.remove(k).is_some(),
                (Step::Index(i), Value::Array(items)) if *i < items.len() => {
                    if matches!(edit, Edit::Duplicate { .. }) {
                        let copy = items[*i].clone();
                        items.insert(*i, copy);
                    } else {
                        items.remove(*i);
                    }
                    true
                }
                _ => false,
            }
        }
        Edit::Swap { at } => match at_mut(v, &path) {
            Some(Value::Array(items)) if items.len() > 1 => {
                let i = (at / 7) % (items.len() - 1);
                items.swap(i, i + 1);
                true
            }
            _ => false,
        },
        Edit::Replace { with, .. } => {
            let Some(node) = at_mut(v, &path) else {
                return false;
            };
            *node = match with % 8 {
                0 => Value::Null,
                1 => Value::Bool(true),
                2 => Value::from(-1),
                3 => Value::from(u64::MAX),
                4 => Value::from(""),
                5 => Value::from("79228162514264337593543950335"),
                6 => Value::from("2026-02-30"),
                _ => Value::from("1e3"),
            };
            true
        }
        Edit::Digit { .. } | Edit::Sign { .. } | Edit::Scale { .. } => {
            let Some(node) = at_mut(v, &path) else {
                return false;
            };
            let (text, was_string) = match node {
                Value::Number(n) => (n.to_string(), false),
                Value::String(s) => (s.clone(), true),
                _ => return false,
            };
            let edited = match edit {
                Edit::Digit { at, to } => {
                    let positions: Vec<usize> = text
                        .bytes()
                        .enumerate()
                        .filter(|(_, b)| b.is_ascii_digit())
                        .map(|(i, _)| i)
                        .collect();
                    if positions.is_empty() {
                        return false;
                    }
                    let i = positions[(at / 3) % positions.len()];
                    let mut bytes = text.into_bytes();
                    bytes[i] = b'0' + (to % 10);
                    String::from_utf8(bytes).unwrap_or_default()
                }
                Edit::Sign { .. } => match text.strip_prefix('-') {
                    Some(rest) => rest.to_owned(),
                    None => format!("-{text}"),
                },
                Edit::Scale { more, .. } => {
                    if more {
                        if text.contains('.') {
                            format!("{text}0")
                        } else {
                            format!("{text}.0")
                        }
                    } else if text.contains('.') {
                        let mut t = text;
                        t.pop();
                        if t.ends_with('.') {
                            t.pop();
                        }
                        t
                    } else {
                        format!("{text}1")
                    }
                }
                _ => return false,
            };
            *node = if was_string {
                Value::String(edited)
            } else {
                serde_json::from_str(&edited).unwrap_or(Value::String(edited))
            };
            true
        }
    }
}

/// The seeded ledger's log with `edits` applied, as JSON.
pub fn mutated_log(edits: &[Edit]) -> String {
    static LOG: OnceLock<serde_json::Value> = OnceLock::new();
    let mut v = LOG
        .get_or_init(|| {
            let json = seeded_ledger().to_json().unwrap_or_default();
            serde_json::from_str(&json).unwrap_or_default()
        })
        .clone();
    for e in edits {
        mutate(&mut v, *e);
    }
    v.to_string()
}

// ----- for the coverage-guided targets ----------------------------------------

/// Edits read from raw bytes, four bytes an edit: a libFuzzer input made
/// into structure-aware edits of a JSON document.
pub fn edits_from(bytes: &[u8]) -> Vec<Edit> {
    bytes
        .chunks_exact(4)
        .take(8)
        .map(|c| {
            let at = usize::from(u16::from_le_bytes([c[1], c[2]]));
            let x = c[3];
            match c[0] % 8 {
                0 => Edit::Digit { at, to: x },
                1 => Edit::Sign { at },
                2 => Edit::Scale {
                    at,
                    more: x % 2 == 0,
                },
                3 => Edit::DropField { at },
                4 => Edit::DropElement { at },
                5 => Edit::Swap { at },
                6 => Edit::Duplicate { at },
                _ => Edit::Replace { at, with: x },
            }
        })
        .collect()
}

/// What a coverage-guided target does with a check's result: a failure
/// panics (libFuzzer then keeps the input as a crash); a known class is let
/// through, unless `AR_FUZZ_KNOWN` asks to stop on it too, to collect and
/// minimize reproducers of a class being fixed: `fail` for every class, or
/// words of the classes to stop on (`overflow,message`).
pub fn report(checked: Checked) {
    match checked {
        Ok(()) => {}
        Err(Finding::Fail(what)) => panic!("{what}"),
        Err(Finding::Known(class, what)) => {
            let stop = std::env::var("AR_FUZZ_KNOWN").is_ok_and(|v| {
                v == "fail" || v.split(',').any(|w| !w.is_empty() && class.contains(w))
            });
            if stop {
                panic!("{class}: {what}");
            }
        }
    }
}
