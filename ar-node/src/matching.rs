//! Cash application: which open items a receipt settles, and why.
//!
//! Over plain data: `matchReceipts`, the `Matcher` class (open items indexed
//! once, then `propose` or `matchBatch`), `parseRemittance` and
//! `creditorReference`. On a `Ledger`: the matcher's inputs read from the
//! books (`matchItems`, `matchReceiptInputs`, `matchCustomers`), proposals
//! (`matchReceipts`, `matchReceipt`), and carrying one out with the ledger's
//! own commands, all or nothing (`applyMatch`, `executeAllJson`).
//!
//! Every proposal, confidence and reason comes from `ar_core::matching`;
//! this module only converts.

use std::sync::{Arc, Mutex};

use ar_core::matching as cm;
use ar_core::rust_decimal::Decimal;
use ar_core::{Command, CustomerId, Error, ReceiptId, Result};
use napi::bindgen_prelude::{PromiseRaw, This, Unknown};
use napi::Env;
use napi_derive::napi;

use crate::js::Value;
use crate::read::{from_js_object, Path, Reader};

use crate::conv::{self, DecimalInput};
use crate::errors::guard;
use crate::ledger::{self, Ledger};
use crate::task;
use crate::views::{self, Outcome, SourceKind};

// ---------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------

/// Whether an open item is owed by the customer (`invoice`: an invoice or
/// one installment of it) or owed to them (`credit_memo`: an open credit
/// memo, which settles invoices alongside the cash).
#[napi(string_enum = "snake_case")]
pub enum ItemKind {
    /// An invoice, or one installment of it.
    Invoice,
    /// An open credit memo.
    CreditMemo,
}

/// What became of a receipt: `auto` (the first proposal is sure enough and
/// alone: apply it), `review` (proposals for a person to choose from) or
/// `unmatched` (nothing fits).
#[napi(string_enum = "snake_case")]
pub enum MatchStatus {
    /// Apply the first proposal.
    Auto,
    /// For a person to choose.
    Review,
    /// Nothing fits.
    Unmatched,
}

impl From<cm::MatchStatus> for MatchStatus {
    fn from(status: cm::MatchStatus) -> Self {
        match status {
            cm::MatchStatus::Auto => MatchStatus::Auto,
            cm::MatchStatus::Review => MatchStatus::Review,
            cm::MatchStatus::Unmatched => MatchStatus::Unmatched,
        }
    }
}

/// How the payer of a proposal was known.
#[napi(string_enum = "snake_case")]
pub enum PayerBasis {
    /// The receipt named it.
    Given,
    /// The items the remittance refers to belong to it.
    Reference,
    /// It paid from this account before.
    Account,
    /// Its name is in the remittance or the bank's payer name.
    Name,
    /// Only it has open items the amount fits.
    Amount,
}

impl From<cm::PayerBasis> for PayerBasis {
    fn from(basis: cm::PayerBasis) -> Self {
        match basis {
            cm::PayerBasis::Given => PayerBasis::Given,
            cm::PayerBasis::Reference => PayerBasis::Reference,
            cm::PayerBasis::Account => PayerBasis::Account,
            cm::PayerBasis::Name => PayerBasis::Name,
            cm::PayerBasis::Amount => PayerBasis::Amount,
        }
    }
}

/// The kind of evidence behind a reason: one stable code each.
#[napi(string_enum = "snake_case")]
pub enum ReasonCode {
    /// The payer was named on the receipt.
    PayerGiven,
    /// The payer was found from the items referred to.
    PayerByReference,
    /// The payer was found from the account paid from.
    PayerByAccount,
    /// The payer was found by name.
    PayerByName,
    /// The payer was found from the amount alone.
    PayerByAmount,
    /// An item was referred to by its number.
    Reference,
    /// An item was referred to by a creditor reference with valid check digits.
    CreditorReference,
    /// An invoice was referred to by its purchase-order number.
    PurchaseOrder,
    /// An item was referred to with a typing error the amount corroborates.
    FuzzyReference,
    /// A reference cut off at the end of the text matched the start of an
    /// item's number.
    TruncatedReference,
    /// Items the remittance did not name complete the amount.
    UnlistedItems,
    /// The amount equals what the items have open.
    ExactAmount,
    /// The amount equals one item.
    SingleItem,
    /// The amount equals a combination of items.
    Combination,
    /// The payer took the early-payment discount in its window.
    DiscountInWindow,
    /// The payer took the discount after its window: left open as a deduction.
    DiscountLate,
    /// Short within the tolerance: written off.
    ShortPayWrittenOff,
    /// Short beyond the tolerance: left open as a deduction.
    ShortPayDeduction,
    /// Short within the tolerance, but only the amount points at the items
    /// (or the options review every write-off): for review.
    ToleranceUnsupported,
    /// Paid in part, the rest left open: for review unless the options let
    /// partial payments be applied automatically.
    PartialPayment,
    /// A purchase-order or check number was read as an invoice number, as
    /// nothing else fits: for review.
    NotInvoiceNumber,
    /// The remittance says the cash pays no invoice (a prepayment, deposit
    /// or advance): never applied automatically.
    NoInvoice,
    /// More than the items had open: the rest stays unapplied.
    Overpayment,
    /// Several proposals fit equally well.
    Ambiguous,
    /// The evidence points different ways.
    Conflict,
    /// A disputed item is involved.
    Disputed,
    /// The combination search stopped at its bound.
    SearchLimited,
    /// More proposals fit than are listed.
    MoreAlternatives,
    /// A reference led to another customer's item and was ignored.
    OtherCustomer,
    /// A reference led to an item no longer open (or settled earlier in the
    /// batch).
    NotOpen,
    /// A creditor reference failed its check digits.
    BadCreditorReference,
    /// The remittance text was longer than is read.
    TextTruncated,
    /// Nothing fits.
    NoFit,
}

impl From<cm::ReasonCode> for ReasonCode {
    fn from(code: cm::ReasonCode) -> Self {
        use cm::ReasonCode as C;
        match code {
            C::PayerGiven => ReasonCode::PayerGiven,
            C::PayerByReference => ReasonCode::PayerByReference,
            C::PayerByAccount => ReasonCode::PayerByAccount,
            C::PayerByName => ReasonCode::PayerByName,
            C::PayerByAmount => ReasonCode::PayerByAmount,
            C::Reference => ReasonCode::Reference,
            C::CreditorReference => ReasonCode::CreditorReference,
            C::PurchaseOrder => ReasonCode::PurchaseOrder,
            C::FuzzyReference => ReasonCode::FuzzyReference,
            C::TruncatedReference => ReasonCode::TruncatedReference,
            C::UnlistedItems => ReasonCode::UnlistedItems,
            C::ExactAmount => ReasonCode::ExactAmount,
            C::SingleItem => ReasonCode::SingleItem,
            C::Combination => ReasonCode::Combination,
            C::DiscountInWindow => ReasonCode::DiscountInWindow,
            C::DiscountLate => ReasonCode::DiscountLate,
            C::ShortPayWrittenOff => ReasonCode::ShortPayWrittenOff,
            C::ShortPayDeduction => ReasonCode::ShortPayDeduction,
            C::ToleranceUnsupported => ReasonCode::ToleranceUnsupported,
            C::PartialPayment => ReasonCode::PartialPayment,
            C::NotInvoiceNumber => ReasonCode::NotInvoiceNumber,
            C::NoInvoice => ReasonCode::NoInvoice,
            C::Overpayment => ReasonCode::Overpayment,
            C::Ambiguous => ReasonCode::Ambiguous,
            C::Conflict => ReasonCode::Conflict,
            C::Disputed => ReasonCode::Disputed,
            C::SearchLimited => ReasonCode::SearchLimited,
            C::MoreAlternatives => ReasonCode::MoreAlternatives,
            C::OtherCustomer => ReasonCode::OtherCustomer,
            C::NotOpen => ReasonCode::NotOpen,
            C::BadCreditorReference => ReasonCode::BadCreditorReference,
            C::TextTruncated => ReasonCode::TextTruncated,
            C::NoFit => ReasonCode::NoFit,
        }
    }
}

/// What a reference read from remittance text seems to point at.
#[napi(string_enum = "snake_case")]
pub enum ReferenceKind {
    /// An invoice number, or a number with no telling word before it.
    Invoice,
    /// A purchase-order number (`PO 4500012345`).
    PurchaseOrder,
    /// A credit memo number (`CM-77`, `credit 77`).
    CreditMemo,
    /// An ISO 11649 creditor reference whose check digits hold.
    Creditor,
    /// A check number (`CHK 4411`, `CHECK NO 4411`): read as an invoice
    /// number only when nothing else fits.
    Check,
}

impl From<cm::ReferenceKind> for ReferenceKind {
    fn from(kind: cm::ReferenceKind) -> Self {
        match kind {
            cm::ReferenceKind::Invoice => ReferenceKind::Invoice,
            cm::ReferenceKind::PurchaseOrder => ReferenceKind::PurchaseOrder,
            cm::ReferenceKind::CreditMemo => ReferenceKind::CreditMemo,
            cm::ReferenceKind::Creditor => ReferenceKind::Creditor,
            cm::ReferenceKind::Check => ReferenceKind::Check,
        }
    }
}

impl From<cm::SourceKind> for SourceKind {
    fn from(kind: cm::SourceKind) -> Self {
        match kind {
            cm::SourceKind::Receipt => SourceKind::Receipt,
            cm::SourceKind::CreditMemo => SourceKind::CreditMemo,
        }
    }
}

// ---------------------------------------------------------------------------
// What the matcher reads: open items, receipts, customers, options. Items,
// receipts and customers go both ways (`Ledger.matchItems` returns what
// `new Matcher` takes).
// ---------------------------------------------------------------------------

/// An early-payment discount still on offer on an open item.
#[napi(object, object_from_js = false)]
pub struct MatchDiscount {
    /// Last day on which it may be taken, `YYYY-MM-DD`.
    pub until: String,
    /// The discount still offered, at the currency's minor unit.
    #[napi(ts_type = "string")]
    pub amount: DecimalInput,
}

from_js_object!(
    MatchDiscount,
    until: "until",
    amount: "amount",
);

/// An open item the matcher may settle: an invoice installment or an open
/// credit memo. Amounts are positive for both kinds.
#[napi(object, object_from_js = false)]
pub struct MatchItem {
    /// Invoice or credit memo.
    #[napi(ts_type = "ItemKind")]
    pub kind: String,
    /// The invoice or credit memo number, as the customer sees it.
    pub id: String,
    /// Installment number (1-based), for invoices paid in installments.
    pub installment: Option<f64>,
    /// The customer it belongs to.
    pub customer: String,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Document date, `YYYY-MM-DD`.
    pub date: String,
    /// Due date (a credit memo's own date), `YYYY-MM-DD`.
    pub due_date: String,
    /// Amount open, greater than zero, at the currency's minor unit.
    #[napi(ts_type = "string")]
    pub open: DecimalInput,
    /// Early-payment discount still on offer, if any.
    pub discount: Option<MatchDiscount>,
    /// The customer's purchase-order number.
    pub po_number: Option<String>,
    /// Disputed items are proposed but never applied automatically;
    /// default false.
    pub disputed: Option<bool>,
}

from_js_object!(
    MatchItem,
    kind: "kind",
    id: "id",
    installment: "installment",
    customer: "customer",
    currency: "currency",
    date: "date",
    due_date: "dueDate",
    open: "open",
    discount: "discount",
    po_number: "poNumber",
    disputed: "disputed",
);

/// An open item's identity, for `Matcher.removeItems`.
#[napi(object, object_from_js = false)]
pub struct MatchItemKey {
    /// Invoice or credit memo; default `invoice`.
    #[napi(ts_type = "ItemKind")]
    pub kind: Option<String>,
    /// Its id.
    pub id: String,
    /// Its installment, for an invoice paid in installments.
    pub installment: Option<f64>,
}

from_js_object!(
    MatchItemKey,
    kind: "kind",
    id: "id",
    installment: "installment",
);

fn keys(env: &Env, value: Unknown<'_>) -> Result<Vec<cm::MatchItemKey>> {
    let list: Vec<MatchItemKey> = conv::from_js(env, value, "keys", "an array of MatchItemKey")?;
    list.iter()
        .enumerate()
        .map(|(i, k)| {
            let f = |name: &str| format!("keys[{i}].{name}");
            Ok(cm::MatchItemKey {
                kind: match &k.kind {
                    Some(kind) => item_kind(&f("kind"), kind)?,
                    None => cm::ItemKind::Invoice,
                },
                id: k.id.clone(),
                installment: conv::opt_count(&f("installment"), k.installment)?,
            })
        })
        .collect()
}

/// What `ledger.matchChanges(since)` says a matcher needs to stand as the
/// books now do.
#[napi(object, object_from_js = false)]
pub struct MatchChanges {
    /// Open items of the invoices and credit memos the events since
    /// touched, as they now stand.
    pub items: Vec<MatchItem>,
    /// Their installments and credit memos no longer open.
    pub closed: Vec<MatchItemKey>,
    /// The log's length they are current through: `since` next time.
    pub through: u32,
}

/// A receipt to match: money in, with whatever the payer wrote.
#[napi(object, object_from_js = false)]
pub struct MatchReceipt {
    /// The receipt's id.
    pub id: String,
    /// The payer, when known.
    pub customer: Option<String>,
    /// Date received, `YYYY-MM-DD`.
    pub date: String,
    /// Amount to settle (what is still unapplied), greater than zero.
    #[napi(ts_type = "string")]
    pub amount: DecimalInput,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Remittance text as received; default `""`.
    pub remittance: Option<String>,
    /// The payer's name as the bank gave it.
    pub payer_name: Option<String>,
    /// The account paid from (bank account, card token), as the bank gave it.
    pub account: Option<String>,
}

from_js_object!(
    MatchReceipt,
    id: "id",
    customer: "customer",
    date: "date",
    amount: "amount",
    currency: "currency",
    remittance: "remittance",
    payer_name: "payerName",
    account: "account",
);

/// What identifies a customer when a receipt names no payer.
#[napi(object, object_from_js = false)]
pub struct MatchCustomer {
    /// The customer's id.
    pub id: String,
    /// Name, as on their invoices.
    pub name: String,
    /// Other names they pay under (`"ACME HOLDINGS"`).
    pub aliases: Option<Vec<String>>,
    /// Accounts they have paid from before.
    pub accounts: Option<Vec<String>>,
}

from_js_object!(
    MatchCustomer,
    id: "id",
    name: "name",
    aliases: "aliases",
    accounts: "accounts",
);

/// How short a payment may be and still close the items it pays, the
/// difference written off (bank fees, small deductions). When both limits
/// are given, both must hold.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct Tolerance {
    /// At most this amount, in the receipt's currency.
    #[napi(ts_type = "string")]
    pub fixed: Option<DecimalInput>,
    /// At most this percentage of what the items had open (`"2"` is 2 %).
    #[napi(ts_type = "string")]
    pub percent: Option<DecimalInput>,
}

from_js_object!(
    Tolerance,
    fixed: "fixed",
    percent: "percent",
);

/// How the matcher decides, and how much work it may do per receipt. Every
/// field is optional.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct MatchOptions {
    /// A proposal at or above this confidence (0 to 100) is applied
    /// automatically, unless another fits as well. Default 85.
    pub auto_threshold: Option<f64>,
    /// Short pays closed by a write-off. Default: none.
    pub tolerance: Option<Tolerance>,
    /// What a write-off within the tolerance needs to be applied
    /// automatically: `'reference'` (default) a remittance that refers to
    /// the items, the amount alone being only proposed for review; `'any'`
    /// the amount alone may do; `'review_only'` never automatically.
    #[napi(ts_type = "'reference' | 'any' | 'review_only'")]
    pub tolerance_evidence: Option<String>,
    /// Whether partial payments of the items referred to may be applied
    /// automatically: `'review'` (default) or `'auto'`. A shortfall the
    /// remittance names as a deduction is not a partial payment.
    #[napi(ts_type = "'review' | 'auto'")]
    pub partial_payments: Option<String>,
    /// Look for typing errors in references (transposed, dropped or doubled
    /// digits) among the payer's own items, taken only when the amount
    /// agrees. Default true.
    pub fuzzy: Option<bool>,
    /// Most items in one combination (1 to 12). Default 6.
    pub max_combination: Option<f64>,
    /// Most of the payer's items searched for combinations (1 to 1,000).
    /// Default 40.
    pub max_search_items: Option<f64>,
    /// Most steps of the combination search per receipt (1 to 10,000,000).
    /// Default 50,000.
    pub max_search_steps: Option<f64>,
    /// Most proposals returned per receipt (1 to 1,000). Default 10.
    pub max_proposals: Option<f64>,
    /// Bytes of remittance text read per receipt (1 to 1,048,576). Default
    /// 4,096.
    pub max_remittance_bytes: Option<f64>,
}

from_js_object!(
    MatchOptions,
    auto_threshold: "autoThreshold",
    tolerance: "tolerance",
    tolerance_evidence: "toleranceEvidence",
    partial_payments: "partialPayments",
    fuzzy: "fuzzy",
    max_combination: "maxCombination",
    max_search_items: "maxSearchItems",
    max_search_steps: "maxSearchSteps",
    max_proposals: "maxProposals",
    max_remittance_bytes: "maxRemittanceBytes",
);

// ---------------------------------------------------------------------------
// What the matcher answers.
// ---------------------------------------------------------------------------

/// One piece of an explanation.
#[napi(object, object_from_js = false)]
pub struct Reason {
    /// The kind of evidence.
    pub code: ReasonCode,
    /// The evidence in words, naming items and amounts.
    pub message: String,
}

/// One reference read from remittance text.
#[napi(object, object_from_js = false)]
pub struct Reference {
    /// What it seems to point at.
    pub kind: ReferenceKind,
    /// Letters and digits as read, upper case, separators dropped and a
    /// letter O read as zero inside numbers: `inv-OO123` gives `INV00123`.
    pub text: String,
    /// The digits with leading zeros dropped (`"123"`); `""` when none.
    pub number: String,
    /// Expanded from a range such as `123-125`.
    pub in_range: bool,
    /// Runs to the very end of the text, so a field limit may have cut it.
    pub at_end: bool,
}

/// What `parseRemittance` read from a text.
#[napi(object, object_from_js = false)]
pub struct Remittance {
    /// References, in the order read, without repeats.
    pub references: Vec<Reference>,
    /// Amounts named in the text (`1,234.50`, `$55`), in order, as decimal
    /// strings (`"1234.50"`, `"55"`).
    pub amounts: Vec<String>,
    /// Amounts named as deductions (`less 55`, `less credit 55.00`,
    /// `short 15 bank fee`).
    pub deductions: Vec<String>,
    /// Creditor references (`RF..`) whose check digits fail.
    pub bad_creditor_references: Vec<String>,
    /// The text was longer than is read (4,096 bytes); the rest was ignored.
    pub truncated: bool,
    /// The text says the cash pays no invoice: `PREPAYMENT`, `DEPOSIT`,
    /// `ADVANCE`, `RETAINER`.
    pub no_invoice: bool,
    /// Installments named (`installment 3 of 3`, `inst 2`): of the
    /// invoices referred to, these installments are paid.
    pub installments: Vec<u32>,
}

/// One application in a proposal, with what closes or stays open.
#[napi(object, object_from_js = false)]
pub struct ProposedApplication {
    /// Cash from the receipt, or an open credit memo.
    pub source_kind: SourceKind,
    /// The receipt or credit memo id.
    pub source: String,
    /// The invoice settled.
    pub invoice: String,
    /// The installment, for invoices paid in installments.
    pub installment: Option<u32>,
    /// Amount taken from the source.
    pub amount: String,
    /// Early-payment discount granted with it (`"0.00"` when none).
    pub discount: String,
    /// Short pay written off with it (`"0.00"` when none).
    pub write_off: String,
    /// What the installment still has open afterwards (a deduction when
    /// above zero).
    pub open_after: String,
    /// Effective date, `YYYY-MM-DD`: the receipt's, or a later document's.
    pub date: String,
}

/// One way a receipt could settle open items.
#[napi(object, object_from_js = false)]
pub struct Proposal {
    /// How sure the matcher is, 0 to 100.
    pub confidence: u32,
    /// The customer whose items it settles.
    pub customer: String,
    /// How that customer was found.
    pub payer_basis: PayerBasis,
    /// Applications: credit memos first, then cash, invoices oldest first.
    pub applications: Vec<ProposedApplication>,
    /// Cash left unapplied (an overpayment); `"0.00"` when none.
    pub unapplied: String,
    /// The explanation.
    pub reasons: Vec<Reason>,
}

/// The matcher's answer for one receipt.
#[napi(object, object_from_js = false)]
pub struct ReceiptMatch {
    /// The receipt.
    pub receipt: String,
    /// Its date, `YYYY-MM-DD`.
    pub date: String,
    /// The amount matched (what was unapplied).
    pub amount: String,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Whether the first proposal is to be applied (`auto`), chosen from
    /// (`review`), or nothing fits (`unmatched`).
    pub status: MatchStatus,
    /// The payer named on the receipt; absent when unknown.
    pub given_payer: Option<String>,
    /// References read from the remittance.
    pub references: Vec<Reference>,
    /// Proposals, best first; empty when unmatched.
    pub proposals: Vec<Proposal>,
    /// Notes on the receipt as a whole (references ignored, text cut).
    pub notes: Vec<Reason>,
}

/// Receipts and their amounts for one status and currency.
#[napi(object, object_from_js = false)]
pub struct SummaryRow {
    /// Status.
    pub status: MatchStatus,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Number of receipts.
    pub receipts: i64,
    /// Their amounts, at the currency's minor unit.
    pub amount: String,
}

/// The answer for a batch of receipts.
#[napi(object, object_from_js = false)]
pub struct MatchBatch {
    /// One per receipt, in the order given.
    pub matches: Vec<ReceiptMatch>,
    /// Per status (`auto`, `review`, `unmatched`) and currency (in code
    /// order), every status listed for every currency seen.
    pub summary: Vec<SummaryRow>,
}

// ---------------------------------------------------------------------------
// Conversions in.
// ---------------------------------------------------------------------------

fn item_kind(field: &str, name: &str) -> Result<cm::ItemKind> {
    match name {
        "invoice" => Ok(cm::ItemKind::Invoice),
        "credit_memo" => Ok(cm::ItemKind::CreditMemo),
        other => Err(conv::bad_name(field, other, "invoice or credit_memo")),
    }
}

fn item(i: usize, x: &MatchItem) -> Result<cm::MatchItem> {
    let f = |name: &str| format!("items[{i}].{name}");
    let currency = conv::currency(&f("currency"), &x.currency)?;
    Ok(cm::MatchItem {
        kind: item_kind(&f("kind"), &x.kind)?,
        id: x.id.clone(),
        installment: conv::opt_count(&f("installment"), x.installment)?,
        customer: CustomerId::parse_field(&f("customer"), x.customer.as_str())?,
        currency,
        date: conv::date(&f("date"), &x.date)?,
        due_date: conv::date(&f("dueDate"), &x.due_date)?,
        open: conv::decimal(&f("open"), &x.open)?,
        discount: x
            .discount
            .as_ref()
            .map(|d| {
                Ok::<_, Error>(cm::MatchDiscount {
                    until: conv::date(&f("discount.until"), &d.until)?,
                    amount: conv::decimal(&f("discount.amount"), &d.amount)?,
                })
            })
            .transpose()?,
        po_number: x.po_number.clone(),
        disputed: x.disputed.unwrap_or(false),
    })
}

fn items(env: &Env, value: Unknown<'_>) -> Result<Vec<cm::MatchItem>> {
    let list: Vec<MatchItem> = conv::from_js(env, value, "items", "an array of MatchItem")?;
    list.iter().enumerate().map(|(i, x)| item(i, x)).collect()
}

fn receipt(field: &str, r: &MatchReceipt) -> Result<cm::MatchReceipt> {
    let f = |name: &str| format!("{field}.{name}");
    Ok(cm::MatchReceipt {
        id: r.id.clone(),
        customer: r
            .customer
            .as_deref()
            .map(|c| CustomerId::parse_field(&f("customer"), c))
            .transpose()?,
        date: conv::date(&f("date"), &r.date)?,
        amount: conv::decimal(&f("amount"), &r.amount)?,
        currency: conv::currency(&f("currency"), &r.currency)?,
        remittance: r.remittance.clone().unwrap_or_default(),
        payer_name: r.payer_name.clone(),
        account: r.account.clone(),
    })
}

fn receipts(env: &Env, value: Unknown<'_>) -> Result<Vec<cm::MatchReceipt>> {
    let list: Vec<MatchReceipt> =
        conv::from_js(env, value, "receipts", "an array of MatchReceipt")?;
    list.iter()
        .enumerate()
        .map(|(i, r)| receipt(&format!("receipts[{i}]"), r))
        .collect()
}

fn customers(env: &Env, value: Option<Unknown<'_>>) -> Result<Vec<cm::MatchCustomer>> {
    let list: Option<Vec<MatchCustomer>> =
        conv::from_js_opt(env, value, "customers", "an array of MatchCustomer")?;
    list.unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            Ok(cm::MatchCustomer {
                id: CustomerId::parse_field(&format!("customers[{i}].id"), c.id.as_str())?,
                name: c.name,
                aliases: c.aliases.unwrap_or_default(),
                accounts: c.accounts.unwrap_or_default(),
            })
        })
        .collect()
}

/// A whole number that must fit a narrower type than `u32`: refused with
/// the range the core allows when it does not fit at all.
fn small<T: TryFrom<u32>>(field: &str, value: f64, range: &str) -> Result<T> {
    let n = conv::count(field, value)?;
    T::try_from(n).map_err(|_| Error::InvalidValue {
        field: field.to_owned(),
        value: value.to_string(),
        reason: format!("must be {range}"),
    })
}

/// The core's options; its defaults for whatever is absent. The ranges are
/// checked by the core.
fn options(env: &Env, value: Option<Unknown<'_>>) -> Result<cm::MatchOptions> {
    let o: Option<MatchOptions> = conv::from_js_opt(env, value, "options", "MatchOptions")?;
    let mut out = cm::MatchOptions::default();
    let Some(o) = o else {
        return Ok(out);
    };
    if let Some(v) = o.auto_threshold {
        out.auto_threshold = small("options.autoThreshold", v, "0 to 100")?;
    }
    if let Some(t) = &o.tolerance {
        out.tolerance = cm::Tolerance {
            fixed: conv::opt_decimal("options.tolerance.fixed", t.fixed.as_ref())?,
            percent: conv::opt_decimal("options.tolerance.percent", t.percent.as_ref())?,
        };
    }
    if let Some(v) = &o.tolerance_evidence {
        out.tolerance_evidence =
            cm::ToleranceEvidence::from_name(v).ok_or_else(|| Error::InvalidValue {
                field: "options.toleranceEvidence".into(),
                value: v.clone(),
                reason: "must be 'reference', 'any' or 'review_only'".into(),
            })?;
    }
    if let Some(v) = &o.partial_payments {
        out.partial_payments =
            cm::PartialPayments::from_name(v).ok_or_else(|| Error::InvalidValue {
                field: "options.partialPayments".into(),
                value: v.clone(),
                reason: "must be 'review' or 'auto'".into(),
            })?;
    }
    if let Some(v) = o.fuzzy {
        out.fuzzy = v;
    }
    let count = |field: &str, v: f64| conv::count(field, v).map(|n| n as usize);
    if let Some(v) = o.max_combination {
        out.max_combination = count("options.maxCombination", v)?;
    }
    if let Some(v) = o.max_search_items {
        out.max_search_items = count("options.maxSearchItems", v)?;
    }
    if let Some(v) = o.max_search_steps {
        out.max_search_steps = conv::count("options.maxSearchSteps", v)?;
    }
    if let Some(v) = o.max_proposals {
        out.max_proposals = count("options.maxProposals", v)?;
    }
    if let Some(v) = o.max_remittance_bytes {
        out.max_remittance_bytes = count("options.maxRemittanceBytes", v)?;
    }
    Ok(out)
}

/// `options.max_search_steps` -> `options.maxSearchSteps`: the core names the
/// options as Rust spells them; here they are named as JS spells them.
fn camel(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// An error of the core's option checks, with the field named in camelCase.
fn js_names(mut e: Error) -> Error {
    if let Error::InvalidValue { field, .. }
    | Error::InvalidAmount { field, .. }
    | Error::TooManyDecimals { field, .. } = &mut e
    {
        if field.starts_with("options.") {
            *field = camel(field);
        }
    }
    e
}

fn source_kind(field: &str, name: &str) -> Result<cm::SourceKind> {
    match name {
        "receipt" => Ok(cm::SourceKind::Receipt),
        "credit_memo" => Ok(cm::SourceKind::CreditMemo),
        other => Err(conv::bad_name(field, other, "receipt or credit_memo")),
    }
}

fn match_status(field: &str, name: &str) -> Result<cm::MatchStatus> {
    match name {
        "auto" => Ok(cm::MatchStatus::Auto),
        "review" => Ok(cm::MatchStatus::Review),
        "unmatched" => Ok(cm::MatchStatus::Unmatched),
        other => Err(conv::bad_name(field, other, "auto, review or unmatched")),
    }
}

fn payer_basis(field: &str, name: &str) -> Result<cm::PayerBasis> {
    match name {
        "given" => Ok(cm::PayerBasis::Given),
        "reference" => Ok(cm::PayerBasis::Reference),
        "account" => Ok(cm::PayerBasis::Account),
        "name" => Ok(cm::PayerBasis::Name),
        "amount" => Ok(cm::PayerBasis::Amount),
        other => Err(conv::bad_name(
            field,
            other,
            "given, reference, account, name or amount",
        )),
    }
}

/// Reads the properties of a JS object, each named `{prefix}.{key}` in errors.
/// A plain object given back (a `ReceiptMatch` and what it holds), read
/// field by field: `r` reads, `object` is the object, `path` where it is.
struct Props<'p, 'v> {
    object: Value<'v>,
    path: &'p Path<'p>,
}

impl Props<'_, '_> {
    fn field(&self, key: &str) -> String {
        Path::Key(self.path, key).to_string()
    }

    fn string(&self, r: &mut Reader<'_, '_>, key: &str) -> Result<String> {
        r.field(self.object, key, self.path, None)
    }

    fn opt_string(&self, r: &mut Reader<'_, '_>, key: &str) -> Result<Option<String>> {
        r.field(self.object, key, self.path, None)
    }

    fn amount(&self, r: &mut Reader<'_, '_>, key: &str) -> Result<Decimal> {
        let value: DecimalInput = r.field(self.object, key, self.path, None)?;
        conv::decimal(&self.field(key), &value)
    }

    fn date(&self, r: &mut Reader<'_, '_>, key: &str) -> Result<ar_core::chrono::NaiveDate> {
        conv::date(&self.field(key), &self.string(r, key)?)
    }

    fn count(&self, r: &mut Reader<'_, '_>, key: &str) -> Result<u32> {
        let value: f64 = r.field(self.object, key, self.path, None)?;
        conv::count(&self.field(key), value)
    }

    fn opt_count(&self, r: &mut Reader<'_, '_>, key: &str) -> Result<Option<u32>> {
        let value: Option<f64> = r.field(self.object, key, self.path, None)?;
        conv::opt_count(&self.field(key), value)
    }

    /// The array of objects `key`, each read by `f`.
    fn objects<T>(
        &self,
        r: &mut Reader<'_, '_>,
        key: &str,
        expected: &str,
        mut f: impl FnMut(&mut Reader<'_, '_>, &Props<'_, '_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let list = r.get(self.object, key, self.path)?;
        let path = Path::Key(self.path, key);
        let what = format!("an array of {expected}");
        r.array(list, &path, &what, None, |r, element, at| {
            r.object(element, at, expected)?;
            f(
                r,
                &Props {
                    object: element,
                    path: at,
                },
            )
        })
    }
}

fn application_in(r: &mut Reader<'_, '_>, p: &Props<'_, '_>) -> Result<cm::ProposedApplication> {
    Ok(cm::ProposedApplication {
        source_kind: source_kind(&p.field("sourceKind"), &p.string(r, "sourceKind")?)?,
        source: p.string(r, "source")?,
        invoice: p.string(r, "invoice")?,
        installment: p.opt_count(r, "installment")?,
        amount: p.amount(r, "amount")?,
        discount: p.amount(r, "discount")?,
        write_off: p.amount(r, "writeOff")?,
        open_after: p.amount(r, "openAfter")?,
        date: p.date(r, "date")?,
    })
}

fn proposal_in(r: &mut Reader<'_, '_>, p: &Props<'_, '_>) -> Result<cm::Proposal> {
    let confidence = p.count(r, "confidence")?;
    let applications = p.objects(r, "applications", "ProposedApplication", application_in)?;
    Ok(cm::Proposal {
        confidence: u8::try_from(confidence).map_err(|_| Error::InvalidValue {
            field: p.field("confidence"),
            value: confidence.to_string(),
            reason: "must be 0 to 100".to_owned(),
        })?,
        customer: CustomerId::parse_field(&p.field("customer"), p.string(r, "customer")?)?,
        payer_basis: payer_basis(&p.field("payerBasis"), &p.string(r, "payerBasis")?)?,
        applications,
        unapplied: p.amount(r, "unapplied")?,
        reasons: Vec::new(),
    })
}

fn receipt_match_in(env: &Env, value: Unknown<'_>) -> Result<cm::ReceiptMatch> {
    conv::with_object(env, value, "match", "ReceiptMatch", |r, object, path| {
        let p = Props { object, path };
        let currency = conv::currency(&p.field("currency"), &p.string(r, "currency")?)?;
        let proposals = p.objects(r, "proposals", "Proposal", proposal_in)?;
        Ok(cm::ReceiptMatch {
            receipt: p.string(r, "receipt")?,
            date: p.date(r, "date")?,
            amount: p.amount(r, "amount")?,
            currency,
            status: match_status(&p.field("status"), &p.string(r, "status")?)?,
            given_payer: p
                .opt_string(r, "givenPayer")?
                .map(|c| CustomerId::parse_field(&p.field("givenPayer"), c))
                .transpose()?,
            references: Vec::new(),
            proposals,
            notes: Vec::new(),
        })
    })
}

// ---------------------------------------------------------------------------
// Conversions out.
// ---------------------------------------------------------------------------

fn reason(r: &cm::Reason) -> Reason {
    Reason {
        code: r.code.into(),
        message: r.message.clone(),
    }
}

fn reference(r: &cm::Reference) -> Reference {
    Reference {
        kind: r.kind.into(),
        text: r.text.clone(),
        number: r.number.clone(),
        in_range: r.in_range,
        at_end: r.at_end,
    }
}

/// A match for output; amounts at the receipt currency's minor unit.
pub fn receipt_match(m: &cm::ReceiptMatch) -> ReceiptMatch {
    let c = m.currency;
    ReceiptMatch {
        receipt: m.receipt.clone(),
        date: conv::date_out(m.date),
        amount: conv::money(m.amount, c),
        currency: c.code().to_owned(),
        status: m.status.into(),
        given_payer: m.given_payer.as_ref().map(|p| p.as_str().to_owned()),
        references: m.references.iter().map(reference).collect(),
        proposals: m
            .proposals
            .iter()
            .map(|p| Proposal {
                confidence: u32::from(p.confidence),
                customer: p.customer.as_str().to_owned(),
                payer_basis: p.payer_basis.into(),
                applications: p
                    .applications
                    .iter()
                    .map(|a| ProposedApplication {
                        source_kind: a.source_kind.into(),
                        source: a.source.clone(),
                        invoice: a.invoice.clone(),
                        installment: a.installment,
                        amount: conv::money(a.amount, c),
                        discount: conv::money(a.discount, c),
                        write_off: conv::money(a.write_off, c),
                        open_after: conv::money(a.open_after, c),
                        date: conv::date_out(a.date),
                    })
                    .collect(),
                unapplied: conv::money(p.unapplied, c),
                reasons: p.reasons.iter().map(reason).collect(),
            })
            .collect(),
        notes: m.notes.iter().map(reason).collect(),
    }
}

/// A batch for output.
pub fn batch(b: &cm::MatchBatch) -> MatchBatch {
    MatchBatch {
        matches: b.matches.iter().map(receipt_match).collect(),
        summary: b
            .summary
            .iter()
            .map(|s| SummaryRow {
                status: s.status.into(),
                currency: s.currency.code().to_owned(),
                receipts: i64::try_from(s.receipts).unwrap_or(i64::MAX),
                amount: conv::money(s.amount, s.currency),
            })
            .collect(),
    }
}

fn item_out(i: &cm::MatchItem) -> MatchItem {
    let c = i.currency;
    MatchItem {
        kind: i.kind.name().to_owned(),
        id: i.id.clone(),
        installment: i.installment.map(f64::from),
        customer: i.customer.as_str().to_owned(),
        currency: c.code().to_owned(),
        date: conv::date_out(i.date),
        due_date: conv::date_out(i.due_date),
        open: DecimalInput::A(conv::money(i.open, c)),
        discount: i.discount.map(|d| MatchDiscount {
            until: conv::date_out(d.until),
            amount: DecimalInput::A(conv::money(d.amount, c)),
        }),
        po_number: i.po_number.clone(),
        disputed: Some(i.disputed),
    }
}

fn receipt_out(r: &cm::MatchReceipt) -> MatchReceipt {
    MatchReceipt {
        id: r.id.clone(),
        customer: r.customer.as_ref().map(|c| c.as_str().to_owned()),
        date: conv::date_out(r.date),
        amount: DecimalInput::A(conv::money(r.amount, r.currency)),
        currency: r.currency.code().to_owned(),
        remittance: Some(r.remittance.clone()),
        payer_name: r.payer_name.clone(),
        account: r.account.clone(),
    }
}

fn customer_out(c: &cm::MatchCustomer) -> MatchCustomer {
    MatchCustomer {
        id: c.id.as_str().to_owned(),
        name: c.name.clone(),
        aliases: Some(c.aliases.clone()),
        accounts: Some(c.accounts.clone()),
    }
}

// ---------------------------------------------------------------------------
// Free functions.
// ---------------------------------------------------------------------------

/// Matches `receipts` against open `items` in one batch, without a ledger:
/// for an app with its own database. Items are consumed as receipts are
/// applied automatically, so no item is settled twice; proposals left for
/// review consume nothing. Receipts whose remittance names an open item go
/// first; the answer keeps the order given. `customers` identify payers
/// the receipts do not name, by name or account.
///
/// Errors, naming the field (`receipts[0].amount`, `items[3].open`,
/// `options.maxCombination`): `invalid_type` (a number as an amount),
/// `invalid_decimal`, `invalid_date`, `invalid_currency`, `invalid_amount`
/// (an amount not above zero), `too_many_decimals`, `invalid_value` (an
/// empty id, an unknown kind, options out of range), `duplicate_id` (an
/// item given twice).
#[napi(
    ts_args_type = "receipts: Array<MatchReceipt>, items: Array<MatchItem>, customers?: Array<MatchCustomer>, options?: MatchOptions"
)]
pub fn match_receipts(
    env: Env,
    receipts: Unknown<'_>,
    items: Unknown<'_>,
    customers: Option<Unknown<'_>>,
    options: Option<Unknown<'_>>,
) -> napi::Result<MatchBatch> {
    guard(&env, || {
        let receipts = self::receipts(&env, receipts)?;
        let items = self::items(&env, items)?;
        let customers = self::customers(&env, customers)?;
        let options = self::options(&env, options)?;
        let b = cm::match_receipts(&receipts, items, &customers, &options).map_err(js_names)?;
        Ok(batch(&b))
    })
}

/// `matchReceipts` off the JS thread: the arguments are read now, the
/// matching runs on libuv's thread pool; resolves to the same batch.
/// Rejects with the errors `matchReceipts` throws.
#[napi(
    ts_args_type = "receipts: Array<MatchReceipt>, items: Array<MatchItem>, customers?: Array<MatchCustomer>, options?: MatchOptions",
    ts_return_type = "Promise<MatchBatch>"
)]
pub fn match_receipts_async<'e>(
    env: &'e Env,
    receipts: Unknown<'_>,
    items: Unknown<'_>,
    customers: Option<Unknown<'_>>,
    options: Option<Unknown<'_>>,
) -> napi::Result<PromiseRaw<'e, MatchBatch>> {
    task::promise(env, || {
        let receipts = self::receipts(env, receipts)?;
        let items = self::items(env, items)?;
        let customers = self::customers(env, customers)?;
        let options = self::options(env, options)?;
        Ok((
            move || cm::match_receipts(&receipts, items, &customers, &options).map_err(js_names),
            |_: &Env, b: cm::MatchBatch| Ok(batch(&b)),
        ))
    })
}

/// The references and amounts read from remittance text (at most its first
/// 4,096 bytes): invoice numbers with or without prefixes, lists and
/// ranges, purchase-order and credit memo numbers, creditor references,
/// amounts and deductions. Generous on purpose: the matcher keeps only the
/// references that lead to the payer's open items.
///
/// Errors: `invalid_type` when `text` is not a string.
#[napi(ts_args_type = "text: string")]
pub fn parse_remittance(env: Env, text: Unknown<'_>) -> napi::Result<Remittance> {
    guard(&env, || {
        let text = ledger::string(&env, text, "text")?;
        let r = cm::parse_remittance(&text);
        Ok(Remittance {
            references: r.references.iter().map(reference).collect(),
            amounts: r.amounts.iter().copied().map(conv::decimal_out).collect(),
            deductions: r
                .deductions
                .iter()
                .copied()
                .map(conv::decimal_out)
                .collect(),
            bad_creditor_references: r.bad_creditor_references,
            truncated: r.truncated,
            no_invoice: r.no_invoice,
            installments: r.installments,
        })
    })
}

/// The ISO 11649 creditor reference (`RF` and two check digits) for a
/// reference of yours, such as an invoice number: letters and digits kept,
/// upper-cased, everything else dropped. `creditorReference('5390 0754 7034')`
/// is `'RF18539007547034'`.
///
/// Errors: `invalid_value` when `reference` has no letters or digits, or
/// more than 21 of them.
#[napi(ts_args_type = "reference: string")]
pub fn creditor_reference(env: Env, reference: Unknown<'_>) -> napi::Result<String> {
    guard(&env, || {
        let text = ledger::string(&env, reference, "reference")?;
        cm::creditor_reference(&text)
    })
}

// ---------------------------------------------------------------------------
// The Matcher class.
// ---------------------------------------------------------------------------

/// Open items indexed once, for any number of receipts: `propose` for one
/// receipt (nothing consumed), `matchBatch` for a day's receipts (items
/// consumed as receipts are applied automatically, across calls).
#[napi]
pub struct Matcher {
    /// Shared with a `matchBatchAsync` in progress, which holds the core
    /// matcher on a worker thread and puts it back when done.
    inner: Arc<Mutex<Slot>>,
}

/// Where a `Matcher`'s core matcher is.
enum Slot {
    /// Here, ready.
    Ready(Box<cm::Matcher>),
    /// Taken by a call in progress (a `matchBatchAsync`, or a getter of an
    /// argument calling this matcher again while the arguments are read).
    Busy,
    /// Dropped after an internal error cut a batch short.
    Broken,
}

fn unusable() -> Error {
    Error::Internal {
        message: "this Matcher was left unusable by an earlier internal error; create a new one"
            .to_owned(),
    }
}

fn busy() -> Error {
    Error::InvalidState {
        field: "this".to_owned(),
        kind: "matcher".to_owned(),
        id: "Matcher".to_owned(),
        state: "busy with a matchBatchAsync that has not settled".to_owned(),
        action: "use it before that promise settles (await it first)".to_owned(),
    }
}

/// The core matcher taken out of its slot, put back when dropped: as it is
/// after a call that returned (an error leaves it unchanged), as broken
/// after a panic midway.
struct Taken {
    slot: Arc<Mutex<Slot>>,
    matcher: Option<Box<cm::Matcher>>,
}

impl Taken {
    fn out(slot: &Arc<Mutex<Slot>>) -> Result<Self> {
        let mut guard = slot.lock().map_err(|_| unusable())?;
        match std::mem::replace(&mut *guard, Slot::Busy) {
            Slot::Ready(matcher) => Ok(Taken {
                slot: Arc::clone(slot),
                matcher: Some(matcher),
            }),
            other => {
                let err = match other {
                    Slot::Busy => busy(),
                    _ => unusable(),
                };
                *guard = other;
                Err(err)
            }
        }
    }

    fn matcher(&mut self) -> Result<&mut cm::Matcher> {
        self.matcher.as_deref_mut().ok_or_else(unusable)
    }
}

impl Drop for Taken {
    fn drop(&mut self) {
        let back = match self.matcher.take() {
            Some(m) if !std::thread::panicking() => Slot::Ready(m),
            _ => Slot::Broken,
        };
        if let Ok(mut guard) = self.slot.lock() {
            *guard = back;
        }
    }
}

#[napi]
impl Matcher {
    /// Validates and indexes the open items, and the customers that
    /// identify payers the receipts do not name.
    ///
    /// Errors: as `matchReceipts`, for `items`, `customers` and `options`.
    #[napi(
        constructor,
        ts_args_type = "items: Array<MatchItem>, customers?: Array<MatchCustomer>, options?: MatchOptions"
    )]
    pub fn new(
        env: Env,
        this: This<'_>,
        items: Unknown<'_>,
        customers: Option<Unknown<'_>>,
        options: Option<Unknown<'_>>,
    ) -> napi::Result<Self> {
        guard(&env, || {
            conv::constructed(&env, &this, "Matcher")?;
            let items = self::items(&env, items)?;
            let customers = self::customers(&env, customers)?;
            let options = self::options(&env, options)?;
            let inner = cm::Matcher::new(items, &customers, options).map_err(js_names)?;
            Ok(Matcher {
                inner: Arc::new(Mutex::new(Slot::Ready(Box::new(inner)))),
            })
        })
    }

    /// Proposals for one receipt against the items as they stand now;
    /// nothing is consumed.
    ///
    /// Errors, naming `receipt.<field>`: `invalid_type`, `invalid_decimal`,
    /// `invalid_date`, `invalid_currency`, `invalid_amount`,
    /// `too_many_decimals`, `invalid_value`.
    #[napi(ts_args_type = "receipt: MatchReceipt")]
    pub fn propose(&self, env: Env, receipt: Unknown<'_>) -> napi::Result<ReceiptMatch> {
        guard(&env, || {
            let r: MatchReceipt = conv::from_js(&env, receipt, "receipt", "MatchReceipt")?;
            let r = self::receipt("receipt", &r)?;
            let mut taken = Taken::out(&self.inner)?;
            Ok(receipt_match(&taken.matcher()?.propose(&r)?))
        })
    }

    /// Matches a batch of receipts, as `matchReceipts`. The items receipts
    /// are applied to automatically are consumed for later batches too.
    ///
    /// Errors: as `matchReceipts`, naming `receipts[i]`; the matcher is then
    /// unchanged.
    #[napi(ts_args_type = "receipts: Array<MatchReceipt>")]
    pub fn match_batch(&self, env: Env, receipts: Unknown<'_>) -> napi::Result<MatchBatch> {
        guard(&env, || {
            let receipts = self::receipts(&env, receipts)?;
            let mut taken = Taken::out(&self.inner)?;
            Ok(batch(&taken.matcher()?.match_batch(&receipts)?))
        })
    }

    /// Adds open items issued since the matcher was built (and customers:
    /// new ones, or more accounts and aliases of known ones): later batches
    /// see them as if they had been given at first, at the cost of the
    /// items added, not of a rebuild.
    ///
    /// Errors: as the constructor, naming `items[i]`; `duplicate_id` for an
    /// item the matcher holds. The matcher is then unchanged.
    #[napi(ts_args_type = "items: Array<MatchItem>, customers?: Array<MatchCustomer>")]
    pub fn add_items(
        &self,
        env: Env,
        items: Unknown<'_>,
        customers: Option<Unknown<'_>>,
    ) -> napi::Result<()> {
        guard(&env, || {
            let items = self::items(&env, items)?;
            let customers = self::customers(&env, customers)?;
            let mut taken = Taken::out(&self.inner)?;
            taken
                .matcher()?
                .add_items(items, &customers)
                .map_err(js_names)
        })
    }

    /// Replaces items changed outside the matcher (a payment posted by
    /// hand, a credit memo applied, a dispute raised, a due date moved):
    /// each replaces the item of its kind, id and installment, keeping its
    /// customer and currency.
    ///
    /// Errors: as the constructor, naming `items[i]`; `not_found` for an
    /// item the matcher does not hold; `invalid_value` for another customer
    /// or currency. The matcher is then unchanged.
    #[napi(ts_args_type = "items: Array<MatchItem>")]
    pub fn update_items(&self, env: Env, items: Unknown<'_>) -> napi::Result<()> {
        guard(&env, || {
            let items = self::items(&env, items)?;
            let mut taken = Taken::out(&self.inner)?;
            taken.matcher()?.update_items(items).map_err(js_names)
        })
    }

    /// Items settled or voided outside the matcher: no longer offered.
    ///
    /// Errors: `not_found` naming `keys[i].id` for an item the matcher does
    /// not hold; the matcher is then unchanged.
    #[napi(ts_args_type = "keys: Array<MatchItemKey>")]
    pub fn remove_items(&self, env: Env, keys: Unknown<'_>) -> napi::Result<()> {
        guard(&env, || {
            let keys = self::keys(&env, keys)?;
            let mut taken = Taken::out(&self.inner)?;
            taken.matcher()?.remove_items(&keys).map_err(js_names)
        })
    }

    /// Brings the matcher to the books as they now stand, from
    /// `ledger.matchChanges`: each of `items` replaces the item held or is
    /// added when none is; each of `closed` held is no longer offered (one
    /// not held is passed over). All or nothing.
    ///
    /// Errors: as `addItems` and `updateItems`, naming `items[i]`.
    #[napi(ts_args_type = "items: Array<MatchItem>, closed?: Array<MatchItemKey>")]
    pub fn sync(
        &self,
        env: Env,
        items: Unknown<'_>,
        closed: Option<Unknown<'_>>,
    ) -> napi::Result<()> {
        guard(&env, || {
            let items = self::items(&env, items)?;
            let closed = match closed {
                Some(c) => self::keys(&env, c)?,
                None => Vec::new(),
            };
            let mut taken = Taken::out(&self.inner)?;
            taken.matcher()?.sync(items, &closed).map_err(js_names)
        })
    }

    /// `matchBatch` off the JS thread: the receipts are read now, the
    /// batch runs on libuv's thread pool; resolves to the same batch and
    /// consumes the same items. Until it settles, other calls on this
    /// matcher throw `invalid_state` (await it first). Rejects with the
    /// errors `matchBatch` throws; the matcher is then unchanged.
    #[napi(
        ts_args_type = "receipts: Array<MatchReceipt>",
        ts_return_type = "Promise<MatchBatch>"
    )]
    pub fn match_batch_async<'e>(
        &self,
        env: &'e Env,
        receipts: Unknown<'_>,
    ) -> napi::Result<PromiseRaw<'e, MatchBatch>> {
        task::promise(env, || {
            let receipts = self::receipts(env, receipts)?;
            let taken = Taken::out(&self.inner)?;
            Ok((
                move || {
                    let mut taken = taken;
                    taken.matcher()?.match_batch(&receipts)
                },
                |_: &Env, b: cm::MatchBatch| Ok(batch(&b)),
            ))
        })
    }
}

// ---------------------------------------------------------------------------
// The ledger side.
// ---------------------------------------------------------------------------

#[napi]
impl Ledger {
    /// Open invoice installments and open credit memos through `view`, as
    /// the matcher reads them: with the early-payment discount each still
    /// offers, purchase-order numbers and dispute flags. What
    /// `new Matcher` takes.
    #[napi(ts_args_type = "view?: View")]
    pub fn match_items(&self, env: Env, view: Option<Unknown<'_>>) -> napi::Result<Vec<MatchItem>> {
        guard(&env, || {
            let view = Ledger::view(&env, view)?;
            Ok(self
                .core()?
                .match_items(&view)
                .iter()
                .map(item_out)
                .collect())
        })
    }

    /// What a `Matcher` built from `matchItems()` when the ledger had
    /// `since` events (`ledger.length` then) needs to stand as the books do
    /// now: the open items of the invoices and credit memos the events
    /// since touched, the keys of their items no longer open, and `through`,
    /// the `since` of the next call. Give `items` and `closed` to
    /// `matcher.sync`. Costs what the events since cost.
    ///
    /// Errors: `invalid_value` for `since` past the end of the log,
    /// `invalid_type`.
    #[napi(ts_args_type = "since: number, view?: View")]
    pub fn match_changes(
        &self,
        env: Env,
        since: Unknown<'_>,
        view: Option<Unknown<'_>>,
    ) -> napi::Result<MatchChanges> {
        guard(&env, || {
            let since: u32 = crate::de::from_js(&env, since, "since", "a whole number")?;
            let view = Ledger::view(&env, view)?;
            let since = usize::try_from(since).unwrap_or(usize::MAX);
            let c = self.core()?.match_changes(since, &view)?;
            Ok(MatchChanges {
                items: c.items.iter().map(item_out).collect(),
                closed: c
                    .closed
                    .iter()
                    .map(|k| MatchItemKey {
                        kind: Some(k.kind.name().to_owned()),
                        id: k.id.clone(),
                        installment: k.installment.map(f64::from),
                    })
                    .collect(),
                through: u32::try_from(c.through).unwrap_or(u32::MAX),
            })
        })
    }

    /// Receipts with unapplied cash through `view`, as the matcher reads
    /// them: the unapplied amount, the payer if known, the remittance, and
    /// the bank reference as the account paid from.
    #[napi(ts_args_type = "view?: View")]
    pub fn match_receipt_inputs(
        &self,
        env: Env,
        view: Option<Unknown<'_>>,
    ) -> napi::Result<Vec<MatchReceipt>> {
        guard(&env, || {
            let view = Ledger::view(&env, view)?;
            Ok(self
                .core()?
                .match_receipt_inputs(&view)
                .iter()
                .map(receipt_out)
                .collect())
        })
    }

    /// Customers as the matcher identifies them: by name, and by the bank
    /// references of receipts they have paid before.
    #[napi(ts_args_type = "view?: View")]
    pub fn match_customers(
        &self,
        env: Env,
        view: Option<Unknown<'_>>,
    ) -> napi::Result<Vec<MatchCustomer>> {
        guard(&env, || {
            let view = Ledger::view(&env, view)?;
            Ok(self
                .core()?
                .match_customers(&view)
                .iter()
                .map(customer_out)
                .collect())
        })
    }

    /// Matches every receipt with unapplied cash against the open items,
    /// both through `view`, as one batch. Nothing is applied: carry a
    /// proposal out with `applyMatch`.
    ///
    /// Errors: `invalid_value` (options out of range), `invalid_type`,
    /// `invalid_decimal`, `invalid_date`.
    #[napi(ts_args_type = "view?: View, options?: MatchOptions")]
    pub fn match_receipts(
        &self,
        env: Env,
        view: Option<Unknown<'_>>,
        options: Option<Unknown<'_>>,
    ) -> napi::Result<MatchBatch> {
        guard(&env, || {
            let view = Ledger::view(&env, view)?;
            let options = self::options(&env, options)?;
            let b = self
                .core()?
                .match_receipts(&view, &options)
                .map_err(js_names)?;
            Ok(batch(&b))
        })
    }

    /// `matchReceipts` off the JS thread: resolves to the same batch, of the
    /// ledger as it was when called. Rejects with the errors
    /// `matchReceipts` throws.
    #[napi(
        ts_args_type = "view?: View, options?: MatchOptions",
        ts_return_type = "Promise<MatchBatch>"
    )]
    pub fn match_receipts_async<'e>(
        &self,
        env: &'e Env,
        view: Option<Unknown<'_>>,
        options: Option<Unknown<'_>>,
    ) -> napi::Result<PromiseRaw<'e, MatchBatch>> {
        task::promise(env, || {
            let view = Ledger::view(env, view)?;
            let options = self::options(env, options)?;
            let ledger = self.snapshot()?;
            Ok((
                move || ledger.match_receipts(&view, &options).map_err(js_names),
                |_: &Env, b: cm::MatchBatch| Ok(batch(&b)),
            ))
        })
    }

    /// Proposals for one receipt's unapplied cash against the open items
    /// through `view`.
    ///
    /// Errors: `not_found` (no such receipt, or nothing of it unapplied in
    /// the view), and those of `matchReceipts`.
    #[napi(ts_args_type = "receipt: string, view?: View, options?: MatchOptions")]
    pub fn match_receipt(
        &self,
        env: Env,
        receipt: Unknown<'_>,
        view: Option<Unknown<'_>>,
        options: Option<Unknown<'_>>,
    ) -> napi::Result<ReceiptMatch> {
        guard(&env, || {
            let id = ReceiptId::parse_field("receipt", ledger::string(&env, receipt, "receipt")?)?;
            let view = Ledger::view(&env, view)?;
            let options = self::options(&env, options)?;
            let m = self
                .core()?
                .match_receipt(&id, &view, &options)
                .map_err(js_names)?;
            Ok(receipt_match(&m))
        })
    }

    /// Carries out proposal `proposal` (default 0, the best) of `match`
    /// with the ledger's own commands, all or nothing: `assignPayer` when
    /// the receipt named no payer, one `apply` per application (credit
    /// memos first, each with its discount), then one `writeOff` per
    /// tolerated short pay. One outcome per command. With an idempotency
    /// key, command `i` runs under `"<key>#<i>"`.
    ///
    /// A proposal that no longer fits the books (the cash or the items have
    /// moved since it was made) is refused whole: the first rejected
    /// command's error is thrown and nothing is appended.
    ///
    /// Errors: `not_found` (no such proposal), `invalid_type` /
    /// `invalid_value` naming `match.<field>` for something that is not a
    /// `ReceiptMatch`, then those of `assignPayer`, `apply` and `writeOff`
    /// (`over_application`, ...).
    #[napi(
        ts_args_type = "match: ReceiptMatch, proposal?: number, meta?: CommandMeta",
        ts_return_type = "Array<Outcome>"
    )]
    pub fn apply_match(
        &self,
        env: Env,
        r#match: Unknown<'_>,
        proposal: Option<Unknown<'_>>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Vec<Outcome>> {
        guard(&env, || {
            let m = receipt_match_in(&env, r#match)?;
            let index: Option<f64> = conv::from_js_opt(&env, proposal, "proposal", "number")?;
            let index = conv::opt_count("proposal", index)?.unwrap_or(0) as usize;
            let meta = Ledger::meta(&env, meta)?;
            let outcomes = self.mutate(&env, |l| l.apply_match(&m, index, &meta))?;
            let ledger = self.core()?;
            outcomes
                .iter()
                .map(|o| views::outcome(&ledger, o))
                .collect()
        })
    }

    /// Executes commands given as the engine's serde JSON (as
    /// `executeJson`), in order, as one unit: all of them, or, when one is
    /// rejected, none (its error is thrown and nothing is appended). One
    /// outcome per command. With an idempotency key, command `i` runs under
    /// `"<key>#<i>"`.
    ///
    /// Errors: `invalid_value` naming `commandsJson[i]` for JSON that is not
    /// a command; then those of the first rejected command.
    #[napi(
        ts_args_type = "commandsJson: Array<string>, meta?: CommandMeta",
        ts_return_type = "Array<Outcome>"
    )]
    pub fn execute_all_json(
        &self,
        env: Env,
        commands_json: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Vec<Outcome>> {
        guard(&env, || {
            let texts: Vec<String> =
                conv::from_js(&env, commands_json, "commandsJson", "an array of strings")?;
            let commands = texts
                .iter()
                .enumerate()
                .map(|(i, text)| {
                    serde_json::from_str::<Command>(text).map_err(|e| Error::InvalidValue {
                        field: format!("commandsJson[{i}]"),
                        value: text.chars().take(80).collect(),
                        reason: format!(
                            "not a command: {}",
                            conv::bounded(&e.to_string(), conv::MAX_REASON)
                        ),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let meta = Ledger::meta(&env, meta)?;
            let outcomes = self.mutate(&env, |l| l.execute_all(commands, &meta))?;
            let ledger = self.core()?;
            outcomes
                .iter()
                .map(|o| views::outcome(&ledger, o))
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_fields_are_named_in_camel_case() {
        assert_eq!(camel("options.max_search_steps"), "options.maxSearchSteps");
        assert_eq!(
            camel("options.tolerance.percent"),
            "options.tolerance.percent"
        );
        let e = js_names(Error::InvalidValue {
            field: "options.auto_threshold".into(),
            value: "101".into(),
            reason: "must be 0 to 100".into(),
        });
        assert_eq!(
            e.to_string(),
            "options.autoThreshold: \"101\" is not allowed: must be 0 to 100"
        );
        // Other fields are left as the core names them.
        let e = js_names(Error::InvalidAmount {
            field: "receipts[0].amount".into(),
            value: "0".into(),
            reason: "must be greater than zero".into(),
        });
        assert!(e.to_string().starts_with("receipts[0].amount: "));
    }

    #[test]
    fn small_numbers_that_do_not_fit_are_refused() {
        assert_eq!(small::<u8>("f", 100.0, "0 to 100").ok(), Some(100));
        let e = small::<u8>("f", 256.0, "0 to 100").err();
        assert_eq!(e.as_ref().map(Error::code), Some("invalid_value"));
        let e = small::<u8>("f", 1.5, "0 to 100").err();
        assert_eq!(e.as_ref().map(Error::code), Some("invalid_value"));
    }
}
