//! What queries return: plain objects with string amounts, and the view
//! (`asOf` / `knownAt`) that slices history.

use std::collections::BTreeMap;

use ar_core::{Currency, EventEnvelope, Source};
use napi_derive::napi;

use crate::read::from_js_object;

use crate::conv;
use crate::invoice::{LineTax, TaxMode, TaxRounding, TaxTotal};
use crate::money::RoundingPolicy;
use crate::terms::{offer, DiscountOffer};

/// Which slice of history a query sees. Both limits are optional.
///
/// `asOf` keeps events effective on or before that business date; `knownAt`
/// keeps events recorded at or before that time. "Aging as of 31 October as
/// the books stood at close" is both; "as of 31 October including entries
/// back-dated later" is `asOf` alone.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct View {
    /// Last business date included, `YYYY-MM-DD`.
    pub as_of: Option<String>,
    /// Last recorded time included, RFC 3339 (`"2026-03-11T12:00:00Z"`).
    pub known_at: Option<String>,
}

from_js_object!(
    View,
    as_of: "asOf",
    known_at: "knownAt",
);

impl View {
    /// The core's view.
    pub fn to_core(&self) -> ar_core::Result<ar_core::View> {
        Ok(ar_core::View {
            as_of: conv::opt_date("asOf", self.as_of.as_deref())?,
            known_at: self
                .known_at
                .as_deref()
                .map(|t| conv::timestamp("knownAt", t))
                .transpose()?,
        })
    }
}

/// Status of an invoice.
#[napi(string_enum = "snake_case")]
pub enum InvoiceStatus {
    /// Saved, not yet receivable.
    Draft,
    /// Nothing settled.
    Open,
    /// Settled in part.
    PartiallyPaid,
    /// Fully settled by payments, credits and discounts.
    Paid,
    /// Voided.
    Void,
    /// Fully settled with part or all of it written off.
    WrittenOff,
}

impl From<ar_core::InvoiceStatus> for InvoiceStatus {
    fn from(status: ar_core::InvoiceStatus) -> Self {
        match status {
            ar_core::InvoiceStatus::Draft => InvoiceStatus::Draft,
            ar_core::InvoiceStatus::Open => InvoiceStatus::Open,
            ar_core::InvoiceStatus::PartiallyPaid => InvoiceStatus::PartiallyPaid,
            ar_core::InvoiceStatus::Paid => InvoiceStatus::Paid,
            ar_core::InvoiceStatus::Void => InvoiceStatus::Void,
            ar_core::InvoiceStatus::WrittenOff => InvoiceStatus::WrittenOff,
        }
    }
}

/// Kind of an open item.
#[napi(string_enum = "snake_case")]
pub enum OpenItemKind {
    /// An invoice (or one installment of it): owed to us.
    Invoice,
    /// An open credit memo: owed to the customer.
    CreditMemo,
    /// Unapplied cash: received, not yet matched to invoices.
    UnappliedCash,
}

impl From<ar_core::OpenItemKind> for OpenItemKind {
    fn from(kind: ar_core::OpenItemKind) -> Self {
        match kind {
            ar_core::OpenItemKind::Invoice => OpenItemKind::Invoice,
            ar_core::OpenItemKind::CreditMemo => OpenItemKind::CreditMemo,
            ar_core::OpenItemKind::UnappliedCash => OpenItemKind::UnappliedCash,
        }
    }
}

/// Where applied or refunded money comes from.
#[napi(string_enum = "snake_case")]
pub enum SourceKind {
    /// A receipt's unapplied cash.
    Receipt,
    /// A credit memo's open credit.
    CreditMemo,
}

fn source_kind(source: &Source) -> SourceKind {
    match source {
        Source::Receipt(_) => SourceKind::Receipt,
        Source::CreditMemo(_) => SourceKind::CreditMemo,
    }
}

/// One event of the log, as returned by commands and `Ledger.events()`.
#[napi(object, object_from_js = false)]
pub struct LedgerEvent {
    /// 1-based position in the log.
    pub seq: i64,
    /// What happened: `customer_registered`, `customer_updated`,
    /// `invoice_issued`, `invoice_finalized`, `invoice_voided`, `dispute_set`,
    /// `receipt_recorded`, `payer_assigned`, `receipt_voided`,
    /// `credit_memo_issued`, `credit_memo_voided`, `applied`, `unapplied`,
    /// `written_off`, `source_written_off`, `allowance_booked`, `revalued`,
    /// `period_closed`, `period_reopened`, `write_off_reversed` or
    /// `refunded`.
    pub r#type: String,
    /// Id of the record the event creates or changes (for `applied`, the
    /// application id, generated when none was given).
    pub subject: String,
    /// Business date the event takes effect, `YYYY-MM-DD`.
    pub effective: String,
    /// When it was recorded, RFC 3339 in UTC.
    pub recorded: String,
    /// Its hash in the log's chain (64 hex digits): covers this event and
    /// every one before it.
    pub hash: String,
    /// The whole event as stored in the log (its envelope: `seq`,
    /// `effective`, `recorded`, idempotency data, the `event` itself and
    /// its `hash`), as JSON. A list of these is what `Ledger.toJson()` holds
    /// under `events`: an app can store one at a time.
    pub json: String,
}

/// What a command did.
#[napi(object, object_from_js = false)]
pub struct Outcome {
    /// True when this was a retried idempotent command: nothing was appended
    /// and `events` are those the first attempt appended.
    pub replayed: bool,
    /// The events appended (or, when replayed, appended the first time).
    pub events: Vec<LedgerEvent>,
}

/// An event for output, with its hash in the log's chain.
pub fn event(env: &EventEnvelope, hash: &ar_core::ChainHash) -> ar_core::Result<LedgerEvent> {
    Ok(LedgerEvent {
        seq: i64::try_from(env.seq).unwrap_or(i64::MAX),
        r#type: env.event.name().to_owned(),
        subject: env.event.subject().to_owned(),
        effective: conv::date_out(env.effective),
        recorded: conv::timestamp_out(env.recorded),
        hash: hash.to_string(),
        json: env.to_log_json(hash)?,
    })
}

/// `events` (a run of `ledger`'s log) for output, with their hashes.
pub fn events(
    ledger: &ar_core::Ledger,
    events: &[EventEnvelope],
) -> ar_core::Result<Vec<LedgerEvent>> {
    let Some(first) = events.first() else {
        return Ok(Vec::new());
    };
    let from = usize::try_from(first.seq.saturating_sub(1)).unwrap_or(usize::MAX);
    let hashes = ledger.event_hashes(from)?;
    events
        .iter()
        .zip(&hashes)
        .map(|(e, h)| event(e, h))
        .collect()
}

/// An outcome of a command on `ledger` for output.
pub fn outcome(ledger: &ar_core::Ledger, o: &ar_core::Outcome) -> ar_core::Result<Outcome> {
    Ok(Outcome {
        replayed: o.replayed,
        events: events(ledger, &o.events)?,
    })
}

/// Something still open: an invoice installment, a credit or unapplied cash.
/// Amounts are positive whatever the direction; `kind` tells it.
#[napi(object, object_from_js = false)]
pub struct OpenItem {
    /// What it is.
    pub kind: OpenItemKind,
    /// Invoice, credit memo or receipt id.
    pub id: String,
    /// Installment number, for invoices with more than one installment.
    pub installment: Option<u32>,
    /// Customer, when known (unapplied cash may have no payer yet).
    pub customer: Option<String>,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Document date, `YYYY-MM-DD`.
    pub date: String,
    /// Due date (invoices only), `YYYY-MM-DD`.
    pub due_date: Option<String>,
    /// Original amount of the item.
    pub original: String,
    /// Amount still open.
    pub open: String,
    /// Whether the invoice is disputed.
    pub disputed: bool,
}

/// An open item for output.
pub fn open_item(i: &ar_core::OpenItem) -> OpenItem {
    OpenItem {
        kind: i.kind.into(),
        id: i.id.clone(),
        installment: i.installment,
        customer: i.customer.as_ref().map(|c| c.as_str().to_owned()),
        currency: i.currency.code().to_owned(),
        date: conv::date_out(i.date),
        due_date: i.due_date.map(conv::date_out),
        original: conv::money(i.original, i.currency),
        open: conv::money(i.open, i.currency),
        disputed: i.disputed,
    }
}

/// A customer's position in one currency.
#[napi(object, object_from_js = false)]
pub struct Balance {
    /// Customer; absent for cash from payers not yet identified.
    pub customer: Option<String>,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Open invoices.
    pub invoices: String,
    /// Unapplied cash.
    pub unapplied_cash: String,
    /// Open credit memos.
    pub open_credits: String,
    /// `invoices - unappliedCash - openCredits`: what the customer owes net
    /// (negative when we owe the customer).
    pub net: String,
}

/// A balance row for output.
pub fn balance(b: &ar_core::Balance) -> Balance {
    Balance {
        customer: b.customer.as_ref().map(|c| c.as_str().to_owned()),
        currency: b.currency.code().to_owned(),
        invoices: conv::money(b.invoices, b.currency),
        unapplied_cash: conv::money(b.unapplied_cash, b.currency),
        open_credits: conv::money(b.open_credits, b.currency),
        net: conv::money(b.net, b.currency),
    }
}

/// One installment of an invoice as seen through a view.
#[napi(object, object_from_js = false)]
pub struct InstallmentView {
    /// 1-based number.
    pub number: u32,
    /// Due date, `YYYY-MM-DD`.
    pub due_date: String,
    /// Amount scheduled.
    pub amount: String,
    /// Amount open.
    pub open: String,
    /// Early-payment discount offered on this installment, if any.
    pub discount: Option<DiscountOffer>,
}

/// An invoice line as issued, with its totals.
#[napi(object, object_from_js = false)]
pub struct InvoiceLineView {
    /// Free description.
    pub description: String,
    /// Quantity.
    pub quantity: String,
    /// Price per unit.
    pub unit_price: String,
    /// Discount in percent, if any.
    pub discount_percent: Option<String>,
    /// Discount amount, if any.
    pub discount_amount: Option<String>,
    /// Taxes on the line.
    pub taxes: Vec<LineTax>,
    /// Amount before tax.
    pub net: String,
    /// Tax on the line.
    pub tax: String,
    /// Net plus tax.
    pub gross: String,
}

/// An invoice with its status and settlement as seen through a view. All
/// amounts at the invoice currency's minor unit.
#[napi(object, object_from_js = false)]
pub struct InvoiceView {
    /// Invoice id.
    pub id: String,
    /// Customer billed.
    pub customer: String,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Invoice date, `YYYY-MM-DD`.
    pub date: String,
    /// Final due date: that of the last installment.
    pub due_date: String,
    /// The terms the schedule was computed from, in shorthand
    /// (`"2/10 net 30"`; `"3 installments"` for a schedule).
    pub terms: String,
    /// Customer's purchase-order number.
    pub po_number: Option<String>,
    /// Free dimensions.
    pub dimensions: BTreeMap<String, String>,
    /// Status.
    pub status: InvoiceStatus,
    /// Disputed flag.
    pub disputed: bool,
    /// Whether prices exclude or include tax.
    pub tax_mode: TaxMode,
    /// Where tax was rounded.
    pub tax_rounding: TaxRounding,
    /// Rounding policy used.
    pub rounding: RoundingPolicy,
    /// Invoice total (net + tax).
    pub total: String,
    /// Sum of line nets.
    pub net: String,
    /// Sum of line taxes.
    pub tax: String,
    /// Amount open (zero when void or draft).
    pub open: String,
    /// Settled by receipts.
    pub paid: String,
    /// Settled by credit memos.
    pub credited: String,
    /// Early-payment discounts granted.
    pub discounted: String,
    /// Written off.
    pub written_off: String,
    /// Settled before an opening-balance import (imported invoices only).
    pub settled_before_import: String,
    /// Installments, in schedule order; one for single-due terms.
    pub installments: Vec<InstallmentView>,
    /// Lines with their totals (none for an imported opening balance).
    pub lines: Vec<InvoiceLineView>,
    /// Tax per code.
    pub taxes: Vec<TaxTotal>,
}

/// An invoice view for output.
pub fn invoice(v: &ar_core::InvoiceView) -> InvoiceView {
    let inv = &v.invoice;
    let c = inv.currency;
    let totals = crate::invoice::totals_out(&inv.totals, c);
    let lines = inv
        .lines
        .iter()
        .zip(&inv.totals.lines)
        .map(|(l, t)| line_view(l, t, c))
        .collect();
    let installments = v
        .installments
        .iter()
        .map(|i| InstallmentView {
            number: i.number,
            due_date: conv::date_out(i.due_date),
            amount: conv::money(i.amount, c),
            open: conv::money(i.open, c),
            discount: inv
                .installments
                .iter()
                .find(|s| s.number == i.number)
                .and_then(|s| s.discount.as_ref())
                .map(|d| offer(d, c)),
        })
        .collect();
    InvoiceView {
        id: inv.id.as_str().to_owned(),
        customer: inv.customer.as_str().to_owned(),
        currency: c.code().to_owned(),
        date: conv::date_out(inv.date),
        due_date: inv
            .installments
            .last()
            .map_or_else(|| conv::date_out(inv.date), |s| conv::date_out(s.due_date)),
        terms: inv.terms.to_string(),
        po_number: inv.po_number.clone(),
        dimensions: inv.dimensions.clone(),
        status: v.status.into(),
        disputed: v.disputed,
        tax_mode: inv.tax_mode.into(),
        tax_rounding: inv.tax_rounding.into(),
        rounding: inv.rounding.into(),
        total: totals.total,
        net: totals.net,
        tax: totals.tax,
        open: conv::money(v.open, c),
        paid: conv::money(v.paid, c),
        credited: conv::money(v.credited, c),
        discounted: conv::money(v.discounted, c),
        written_off: conv::money(v.written_off, c),
        settled_before_import: conv::money(v.settled_before_import, c),
        installments,
        lines,
        taxes: totals.taxes,
    }
}

fn line_view(
    l: &ar_core::InvoiceLine,
    t: &ar_core::LineTotals,
    currency: Currency,
) -> InvoiceLineView {
    let (discount_percent, discount_amount) = match l.discount {
        None => (None, None),
        Some(ar_core::LineDiscount::Percent { percent }) => {
            (Some(conv::decimal_out(percent)), None)
        }
        Some(ar_core::LineDiscount::Amount { amount }) => {
            (None, Some(conv::money(amount, currency)))
        }
    };
    let totals = crate::invoice::line_totals(t, currency);
    InvoiceLineView {
        description: l.description.clone(),
        quantity: conv::decimal_out(l.quantity),
        unit_price: conv::decimal_out(l.unit_price),
        discount_percent,
        discount_amount,
        taxes: l
            .taxes
            .iter()
            .map(|x| LineTax {
                code: x.code.clone(),
                rate: napi::bindgen_prelude::Either::A(conv::decimal_out(x.rate)),
            })
            .collect(),
        net: totals.net,
        tax: totals.tax,
        gross: totals.gross,
    }
}

/// A receipt or credit memo as seen through a view.
#[napi(object, object_from_js = false)]
pub struct SourceView {
    /// Receipt or credit memo.
    pub kind: SourceKind,
    /// Its id.
    pub id: String,
    /// Customer, when known (a receipt's payer may not be named yet).
    pub customer: Option<String>,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Date received or issued, `YYYY-MM-DD`.
    pub date: String,
    /// Amount received or credited.
    pub amount: String,
    /// Applied to invoices (net of unapplications).
    pub applied: String,
    /// Refunded.
    pub refunded: String,
    /// Written off (`writeOffSource`), net of reversals.
    pub written_off: String,
    /// Still open (zero when void).
    pub open: String,
    /// Voided.
    pub void: bool,
}

/// A source view for output.
pub fn source(v: &ar_core::SourceView) -> SourceView {
    let c = v.currency;
    SourceView {
        kind: source_kind(&v.source),
        id: v.source.id().to_owned(),
        customer: v.customer.as_ref().map(|c| c.as_str().to_owned()),
        currency: c.code().to_owned(),
        date: conv::date_out(v.date),
        amount: conv::money(v.amount, c),
        applied: conv::money(v.applied, c),
        refunded: conv::money(v.refunded, c),
        written_off: conv::money(v.written_off, c),
        open: conv::money(v.open, c),
        void: v.void,
    }
}

/// The part of an application that lands on one installment.
#[napi(object, object_from_js = false)]
pub struct Allocation {
    /// 1-based installment number.
    pub installment: u32,
    /// Amount taken from the source.
    pub amount: String,
    /// Early-payment discount granted on top (`"0.00"` when none).
    pub discount: String,
}

/// An application of cash or credit to an invoice, with its history.
#[napi(object, object_from_js = false)]
pub struct Application {
    /// Application id (generated from the sequence number when none was given).
    pub id: String,
    /// Whether the money came from a receipt or a credit memo.
    pub source_kind: SourceKind,
    /// Id of that receipt or credit memo.
    pub source: String,
    /// The invoice.
    pub invoice: String,
    /// Currency of the invoice (and of the source).
    pub currency: String,
    /// Effective date, `YYYY-MM-DD`.
    pub date: String,
    /// Per installment.
    pub allocations: Vec<Allocation>,
    /// Date it was unapplied, if it was (within the view), `YYYY-MM-DD`.
    pub unapplied_on: Option<String>,
}

/// An application for output.
pub fn application(a: &ar_core::ApplicationView) -> Application {
    let currency = a.currency;
    Application {
        id: a.id.as_str().to_owned(),
        source_kind: source_kind(&a.source),
        source: a.source.id().to_owned(),
        invoice: a.invoice.as_str().to_owned(),
        currency: currency.code().to_owned(),
        date: conv::date_out(a.date),
        allocations: a
            .allocations
            .iter()
            .map(|x| Allocation {
                installment: x.installment,
                amount: conv::money(x.amount, currency),
                discount: conv::money(x.discount, currency),
            })
            .collect(),
        unapplied_on: a.unapplied_on.map(conv::date_out),
    }
}
