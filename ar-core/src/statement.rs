//! Statements of account: what a customer is sent.
//!
//! A statement covers one customer over a period, one section per
//! currency. The **balance-forward** part is the opening balance, every
//! movement of the period in date order with a running balance, and the
//! closing balance; the **open-item** part lists what is open at the end
//! with its age, and an aging summary in the same buckets as the aging
//! report (so the two never disagree).
//!
//! The balance is what the customer owes: open invoices less unapplied
//! cash and open credits ([`crate::Balance::net`]). A movement is anything
//! that changes it: an invoice (+), a payment or credit memo (-), a
//! discount taken (-), a write-off (-), a refund (+), a void or a reversal
//! (the opposite of what it voids). Applying cash to an invoice moves
//! nothing: the payment was on the statement when it arrived.
//!
//! Built by [`crate::Ledger::statement`] and
//! [`crate::Ledger::statements`].

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::aging::{AgingLine, AgingRow, Buckets};
use crate::currency::Currency;
use crate::error::Result;
use crate::event::{Event, EventEnvelope};
use crate::id::CustomerId;
use crate::kinds::Source;
use crate::money::{neg, OrOverflow};
use crate::state::{DeltaKind, SourceDoc, State, WrittenOff};
use crate::view::Cut;

/// Customers in one statement run.
pub const MAX_STATEMENT_CUSTOMERS: usize = 10_000_000;

/// What a statement covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementOptions {
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period: the open items and aging are as of it.
    pub to: NaiveDate,
    /// As the books were known at this time (all that is recorded, when
    /// absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_at: Option<DateTime<Utc>>,
    /// The aging buckets of the open-item part (the aging report's
    /// default when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buckets: Option<Buckets>,
}

impl StatementOptions {
    /// A statement of the period `from` to `to`, as known now.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Self {
        StatementOptions {
            from,
            to,
            known_at: None,
            buckets: None,
        }
    }
}

/// What a movement on a statement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementEntryKind {
    /// An invoice became receivable (issued, finalized or brought in as an
    /// opening balance).
    Invoice,
    /// An interest note was issued.
    InterestNote,
    /// A fee note was issued.
    FeeNote,
    /// An invoice was voided.
    InvoiceVoided,
    /// A payment was received (or its payer identified).
    Payment,
    /// A payment was voided.
    PaymentVoided,
    /// A credit memo was issued.
    CreditMemo,
    /// A credit memo was voided.
    CreditMemoVoided,
    /// An early-payment discount was taken.
    Discount,
    /// An application with a discount was reversed.
    DiscountReversed,
    /// An invoice amount was written off.
    WriteOff,
    /// Unapplied cash or an open credit was written off.
    CreditWrittenOff,
    /// A write-off was reversed.
    WriteOffReversed,
    /// Cash or credit was paid back.
    Refund,
}

impl StatementEntryKind {
    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            StatementEntryKind::Invoice => "invoice",
            StatementEntryKind::InterestNote => "interest_note",
            StatementEntryKind::FeeNote => "fee_note",
            StatementEntryKind::InvoiceVoided => "invoice_voided",
            StatementEntryKind::Payment => "payment",
            StatementEntryKind::PaymentVoided => "payment_voided",
            StatementEntryKind::CreditMemo => "credit_memo",
            StatementEntryKind::CreditMemoVoided => "credit_memo_voided",
            StatementEntryKind::Discount => "discount",
            StatementEntryKind::DiscountReversed => "discount_reversed",
            StatementEntryKind::WriteOff => "write_off",
            StatementEntryKind::CreditWrittenOff => "credit_written_off",
            StatementEntryKind::WriteOffReversed => "write_off_reversed",
            StatementEntryKind::Refund => "refund",
        }
    }
}

/// One movement of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StatementEntry {
    /// Its business date.
    pub date: NaiveDate,
    /// The event's place in the log.
    pub seq: u64,
    /// What it is.
    pub kind: StatementEntryKind,
    /// The document: an invoice, receipt or credit memo id.
    pub document: String,
    /// The invoice a discount or write-off is on, when another document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// What it adds to the balance (negative: what it takes off).
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
    /// The balance after it.
    #[serde(with = "crate::serde_decimal")]
    pub balance: Decimal,
}

impl StatementEntry {
    /// The amount as a debit (zero for a credit).
    pub fn debit(&self) -> Decimal {
        self.amount.max(Decimal::ZERO)
    }

    /// The amount as a credit (zero for a debit).
    pub fn credit(&self) -> Decimal {
        neg(self.amount.min(Decimal::ZERO))
    }
}

/// One currency of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StatementSection {
    /// The currency.
    pub currency: Currency,
    /// The balance at the end of the day before the period.
    #[serde(with = "crate::serde_decimal")]
    pub opening: Decimal,
    /// The movements of the period, by date then log order.
    pub entries: Vec<StatementEntry>,
    /// The balance at the end of the period: opening plus the movements.
    #[serde(with = "crate::serde_decimal")]
    pub closing: Decimal,
    /// What is open at the end of the period, with its age (the aging
    /// report's detail lines of the customer).
    pub open_items: Vec<AgingLine>,
    /// The aging summary: the aging report's row of the customer (absent
    /// when nothing is open).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aging: Option<AgingRow>,
}

/// A statement of account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Statement {
    /// The customer.
    pub customer: CustomerId,
    /// Its name, as the books knew it at the end of the period.
    pub name: String,
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period.
    pub to: NaiveDate,
    /// The aging buckets' labels.
    pub labels: Vec<String>,
    /// One section per currency the customer had anything in, in currency
    /// order.
    pub sections: Vec<StatementSection>,
    /// The customer was on credit hold at the end of the period (for the
    /// sender; the bundled templates do not print it).
    #[serde(default)]
    pub credit_hold: bool,
}

/// The movements of the period `from..=to` seen by `cut`, per customer and
/// currency, in log order (not yet sorted nor with running balances).
pub(crate) type Movements = BTreeMap<(CustomerId, Currency), Vec<StatementEntry>>;

/// Walks `events` once for the movements of every customer (or of `only`).
pub(crate) fn movements(
    events: &[EventEnvelope],
    state: &State,
    cut: Cut,
    from: NaiveDate,
    only: Option<&CustomerId>,
) -> Result<Movements> {
    let mut out = Movements::new();
    for env in events {
        if env.seq > cut.seq || env.effective < from || env.effective > cut.date {
            continue;
        }
        for m in movement(env, state, cut)? {
            if only.is_some_and(|c| *c != m.customer) {
                continue;
            }
            out.entry((m.customer, m.currency))
                .or_default()
                .push(StatementEntry {
                    date: env.effective,
                    seq: env.seq,
                    kind: m.kind,
                    document: m.document,
                    reference: m.reference,
                    amount: m.amount,
                    balance: Decimal::ZERO,
                });
        }
    }
    Ok(out)
}

/// Sorts `entries` by date then log order and runs the balance from
/// `opening`; the closing balance.
pub(crate) fn run_balance(opening: Decimal, entries: &mut [StatementEntry]) -> Result<Decimal> {
    entries.sort_by_key(|e| (e.date, e.seq));
    let mut balance = opening;
    for e in entries {
        balance = balance.checked_add(e.amount).or_overflow("statement")?;
        e.balance = balance;
    }
    Ok(balance)
}

struct Move {
    customer: CustomerId,
    currency: Currency,
    kind: StatementEntryKind,
    document: String,
    reference: Option<String>,
    amount: Decimal,
}

/// The movements one event makes (none for most).
fn movement(env: &EventEnvelope, state: &State, cut: Cut) -> Result<Vec<Move>> {
    use StatementEntryKind as K;
    let at = Cut {
        date: env.effective,
        seq: cut.seq,
    };
    let invoice_move = |id: &crate::id::InvoiceId,
                        kind: StatementEntryKind,
                        amount: Decimal,
                        reference: bool|
     -> Option<Move> {
        let inv = &state.invoices.get(id)?.invoice;
        Some(Move {
            customer: inv.customer.clone(),
            currency: inv.currency,
            kind,
            document: id.to_string(),
            reference: reference.then(|| id.to_string()),
            amount,
        })
    };
    // A receipt or memo's movement, when its customer is known by then:
    // from the start, or by a payer assigned before it (in date, then log
    // order; what came before is in the assignment's own movement).
    let source_move = |source: &Source, kind: StatementEntryKind, amount: Decimal| {
        let s = state.source(source)?;
        let customer = match (&s.doc, &s.payer) {
            (SourceDoc::Receipt(r), Some((stamp, payer))) if r.customer.is_none() => {
                (stamp.seq <= cut.seq && (stamp.eff, stamp.seq) < (env.effective, env.seq))
                    .then_some(payer)?
            }
            _ => s.customer(at)?,
        };
        Some(Move {
            customer: customer.clone(),
            currency: s.currency(),
            kind,
            document: source.id().to_owned(),
            reference: None,
            amount,
        })
    };
    let receivable = |inv: &crate::invoice::Invoice| inv.opening_open.unwrap_or(inv.totals.total);
    // Interest and fee notes are invoices of their own, named as such.
    let issued = |inv: &crate::invoice::Invoice| match inv.charge.as_ref().map(|c| c.kind) {
        Some(crate::collection_records::ChargeKind::Interest) => K::InterestNote,
        Some(crate::collection_records::ChargeKind::Fee) => K::FeeNote,
        None => K::Invoice,
    };
    let sum = |a: &[crate::event::Allocation], f: fn(&crate::event::Allocation) -> Decimal| {
        a.iter()
            .try_fold(Decimal::ZERO, |s, x| s.checked_add(f(x)))
            .or_overflow("statement")
    };
    let m = match &env.event {
        Event::InvoiceIssued { invoice } if !invoice.draft => {
            invoice_move(&invoice.id, issued(invoice), receivable(invoice), false)
        }
        Event::InvoiceFinalized { invoice } => state
            .invoices
            .get(invoice)
            .and_then(|s| invoice_move(invoice, issued(&s.invoice), receivable(&s.invoice), false)),
        Event::InvoiceVoided { invoice, .. } => state.invoices.get(invoice).and_then(|s| {
            // A draft voided was never on the statement.
            s.finalized?;
            invoice_move(
                invoice,
                K::InvoiceVoided,
                neg(receivable(&s.invoice)),
                false,
            )
        }),
        Event::ReceiptRecorded { receipt } => receipt.customer.as_ref().map(|c| Move {
            customer: c.clone(),
            currency: receipt.currency,
            kind: K::Payment,
            document: receipt.id.to_string(),
            reference: None,
            amount: neg(receipt.amount),
        }),
        Event::PayerAssigned { receipt, customer } => {
            // The receipt joins the customer's balance with what was not
            // refunded or written off before (in date, then log order);
            // what happens after moves on its own. Applications need a
            // known payer, so none came before.
            let source = Source::Receipt(receipt.clone());
            match state.source(&source) {
                Some(s) => {
                    let here = (env.effective, env.seq);
                    let gone = s
                        .timeline
                        .deltas
                        .iter()
                        .filter(|d| matches!(d.kind, DeltaKind::Refund | DeltaKind::WriteOff))
                        .filter(|d| d.at.seq <= cut.seq && (d.at.eff, d.at.seq) < here)
                        .try_fold(Decimal::ZERO, |t, d| t.checked_add(d.amount))
                        .or_overflow("statement")?;
                    let open = s.amount().checked_add(gone).or_overflow("statement")?;
                    Some(Move {
                        customer: customer.clone(),
                        currency: s.currency(),
                        kind: K::Payment,
                        document: receipt.to_string(),
                        reference: None,
                        amount: neg(open),
                    })
                }
                None => None,
            }
        }
        Event::ReceiptVoided { receipt, .. } => {
            let source = Source::Receipt(receipt.clone());
            let amount = state
                .source(&source)
                .map(|s| s.amount())
                .unwrap_or_default();
            source_move(&source, K::PaymentVoided, amount)
        }
        Event::CreditMemoIssued { credit_memo } => Some(Move {
            customer: credit_memo.customer.clone(),
            currency: credit_memo.currency,
            kind: K::CreditMemo,
            document: credit_memo.id.to_string(),
            reference: credit_memo.against.as_ref().map(ToString::to_string),
            amount: neg(credit_memo.amount),
        }),
        Event::CreditMemoVoided { credit_memo, .. } => {
            let source = Source::CreditMemo(credit_memo.clone());
            let amount = state
                .source(&source)
                .map(|s| s.amount())
                .unwrap_or_default();
            source_move(&source, K::CreditMemoVoided, amount)
        }
        Event::Applied {
            source,
            invoice,
            allocations,
            ..
        } => {
            let discount = sum(allocations, |a| a.discount)?;
            if discount.is_zero() {
                None
            } else {
                invoice_move(invoice, K::Discount, neg(discount), true).map(|mut m| {
                    m.document = source.id().to_owned();
                    m
                })
            }
        }
        Event::Unapplied { application, .. } => match state.applications.get(application) {
            Some(app) => {
                let discount = sum(&app.allocations, |a| a.discount)?;
                if discount.is_zero() {
                    None
                } else {
                    invoice_move(&app.invoice, K::DiscountReversed, discount, true).map(|mut m| {
                        m.document = app.source.id().to_owned();
                        m
                    })
                }
            }
            None => None,
        },
        Event::WrittenOff {
            invoice,
            allocations,
            ..
        } => {
            let amount = sum(allocations, |a| a.amount)?;
            invoice_move(invoice, K::WriteOff, neg(amount), false)
        }
        Event::SourceWrittenOff { source, amount, .. } => {
            source_move(source, K::CreditWrittenOff, *amount)
        }
        Event::WriteOffReversed { write_off, .. } => match state.write_offs.get(write_off) {
            Some(wo) => match &wo.target {
                WrittenOff::Invoice(invoice, allocations) => {
                    let amount = sum(allocations, |a| a.amount)?;
                    invoice_move(invoice, K::WriteOffReversed, amount, false)
                }
                WrittenOff::Source(source, amount) => {
                    source_move(source, K::WriteOffReversed, neg(*amount))
                }
            },
            None => None,
        },
        Event::Refunded { source, amount, .. } => source_move(source, K::Refund, *amount),
        _ => None,
    };
    Ok(m.into_iter().collect())
}

/// The company a statement is from, as its header shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    /// Its name.
    pub name: String,
    /// Address lines.
    #[serde(default)]
    pub address: Vec<String>,
}

/// The bundled HTML template of [`render_statements`]: one page (or more)
/// per customer, a print stylesheet that fits A4 and Letter, the company in
/// the header, movements, open items and the aging summary. A caller may
/// pass its own instead.
pub const STATEMENTS_HTML: &str = include_str!("templates/statements.html.j2");

/// The bundled plain-text template of [`render_statements`], in columns.
pub const STATEMENTS_TEXT: &str = include_str!("templates/statements.txt.j2");

/// `statements` written with `template` (named `name` in errors), through
/// the core's template engine, so that Rust, Python and Node write the
/// same bytes. The context is `company` and `statements` as they
/// serialize, each movement also with `description` (its kind, and the
/// invoice it is on), `debit` and `credit` (empty when zero); the filters
/// are those of dunning letters (`amount`, `money`, `ljust`, `rjust`).
/// Names ending in `.html` are HTML-escaped.
///
/// # Errors
/// [`crate::Error::Template`] (`template_error`) naming the template and
/// line; [`crate::Error::LimitExceeded`] for a template over its limit.
///
/// # Example
/// ```
/// use ar_core::statement::{render_statements, Company, STATEMENTS_TEXT};
/// let company = Company { name: "Widgets Ltd".into(), address: vec!["1 Main St".into()] };
/// // No statements: nothing but the template's last newline.
/// assert_eq!(render_statements("statements.txt", STATEMENTS_TEXT, &[], &company).unwrap(), "\n");
/// ```
pub fn render_statements(
    name: &str,
    template: &str,
    statements: &[Statement],
    company: &Company,
) -> Result<String> {
    let mut list = Vec::with_capacity(statements.len());
    for s in statements {
        let mut v = serde_json::to_value(s).map_err(|e| crate::Error::corrupt(e.to_string()))?;
        let sections = v
            .get_mut("sections")
            .and_then(serde_json::Value::as_array_mut);
        for (sec, section) in s.sections.iter().zip(sections.into_iter().flatten()) {
            let entries = section
                .get_mut("entries")
                .and_then(serde_json::Value::as_array_mut);
            for (e, entry) in sec.entries.iter().zip(entries.into_iter().flatten()) {
                let text = |d: Decimal| {
                    if d.is_zero() {
                        serde_json::Value::String(String::new())
                    } else {
                        serde_json::Value::String(d.to_string())
                    }
                };
                let mut description = e.kind.name().replace('_', " ");
                if let Some(r) = e.reference.as_ref().filter(|r| **r != e.document) {
                    description.push_str(" on ");
                    description.push_str(r);
                }
                if let Some(o) = entry.as_object_mut() {
                    o.insert("debit".into(), text(e.debit()));
                    o.insert("credit".into(), text(e.credit()));
                    o.insert("description".into(), serde_json::Value::String(description));
                }
            }
        }
        list.push(v);
    }
    #[derive(Serialize)]
    struct Context<'a> {
        company: &'a Company,
        statements: Vec<serde_json::Value>,
    }
    crate::collections::render::render_context(
        name,
        template,
        &Context {
            company,
            statements: list,
        },
    )
}
