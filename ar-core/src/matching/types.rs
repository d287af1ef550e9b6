//! What the matcher reads and what it answers, as plain data.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::id::CustomerId;

use super::remittance::Reference;

/// Whether an open item is owed by the customer or owed to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// An invoice (or one installment of it): the customer owes it.
    Invoice,
    /// An open credit memo: it settles invoices alongside the cash.
    CreditMemo,
}

impl ItemKind {
    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Invoice => "invoice",
            ItemKind::CreditMemo => "credit_memo",
        }
    }
}

/// An early-payment discount still on offer on an open item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MatchDiscount {
    /// Last day on which it may be taken.
    pub until: NaiveDate,
    /// The discount amount still offered, at the currency's minor unit.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
}

/// An open item the matcher may settle: an invoice installment or an open
/// credit memo. Amounts are positive for both kinds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchItem {
    /// Invoice or credit memo.
    pub kind: ItemKind,
    /// The invoice or credit memo number, as the customer sees it.
    pub id: String,
    /// Installment number, for invoices paid in installments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installment: Option<u32>,
    /// The customer it belongs to.
    pub customer: CustomerId,
    /// Currency.
    pub currency: Currency,
    /// Document date.
    pub date: NaiveDate,
    /// Due date (a credit memo's own date).
    pub due_date: NaiveDate,
    /// Amount open, greater than zero, at the currency's minor unit.
    #[serde(with = "crate::serde_decimal")]
    pub open: Decimal,
    /// Early-payment discount on offer, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<MatchDiscount>,
    /// The customer's purchase-order number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub po_number: Option<String>,
    /// Disputed items are proposed but never applied automatically.
    #[serde(default)]
    pub disputed: bool,
}

/// A receipt to match: money in, with whatever the payer wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchReceipt {
    /// The receipt's id.
    pub id: String,
    /// The payer, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<CustomerId>,
    /// Date received.
    pub date: NaiveDate,
    /// Amount to settle (what is still unapplied), greater than zero.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
    /// Currency.
    pub currency: Currency,
    /// Remittance text as received.
    #[serde(default)]
    pub remittance: String,
    /// The payer's name as the bank gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_name: Option<String>,
    /// The account paid from (bank account, card token), as the bank gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

/// What identifies a customer when a receipt names no payer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchCustomer {
    /// The customer.
    pub id: CustomerId,
    /// Name, as on their invoices.
    pub name: String,
    /// Other names they pay under ("ACME HOLDINGS").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Accounts they have paid from before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<String>,
}

/// How short a payment may be and still close the items it pays, the
/// difference written off (bank fees, small deductions). When both limits
/// are set, both must hold (the lesser of the two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tolerance {
    /// At most this amount, in the receipt's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::serde_decimal::option")]
    pub fixed: Option<Decimal>,
    /// At most this percentage of what the items had open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::serde_decimal::option")]
    pub percent: Option<Decimal>,
}

/// What it takes for a short pay within the tolerance to be written off
/// automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToleranceEvidence {
    /// The remittance refers to the items (by number, purchase order,
    /// creditor reference, or a typing error the amount corroborates). A
    /// fit found by the amount alone is proposed with its write-off for
    /// review: an amount near some open item is no evidence of which.
    #[default]
    Reference,
    /// The amount alone may do, as for an exact fit.
    Any,
    /// Never automatically: every write-off is reviewed.
    ReviewOnly,
}

impl ToleranceEvidence {
    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            ToleranceEvidence::Reference => "reference",
            ToleranceEvidence::Any => "any",
            ToleranceEvidence::ReviewOnly => "review_only",
        }
    }

    /// The policy of a snake_case name; `None` for any other text.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Reference, Self::Any, Self::ReviewOnly]
            .into_iter()
            .find(|v| v.name() == name)
    }
}

/// What a partial payment (the items referred to, paid short beyond the
/// tolerance, the rest left open) may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartialPayments {
    /// Proposed for review: the payer may have meant other items, or a
    /// deduction to dispute.
    #[default]
    Review,
    /// Applied automatically when the proposal is sure enough and alone.
    Auto,
}

impl PartialPayments {
    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            PartialPayments::Review => "review",
            PartialPayments::Auto => "auto",
        }
    }

    /// The policy of a snake_case name; `None` for any other text.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Review, Self::Auto]
            .into_iter()
            .find(|v| v.name() == name)
    }
}

/// How the matcher decides, and how much work it may do per receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MatchOptions {
    /// A proposal at or above this confidence (0-100) is applied
    /// automatically, unless another fits as well. Default 85.
    pub auto_threshold: u8,
    /// Short pays closed by a write-off. Default: none.
    pub tolerance: Tolerance,
    /// What a write-off within the tolerance needs to be applied
    /// automatically. Default: a reference to the items.
    pub tolerance_evidence: ToleranceEvidence,
    /// Whether partial payments of the items referred to may be applied
    /// automatically. Default: review. A shortfall the remittance names as
    /// a deduction (`short 45.00 damaged`) is not a partial payment.
    pub partial_payments: PartialPayments,
    /// Look for typing errors in references (transposed, dropped or doubled
    /// digits) among the payer's own items. Default true.
    pub fuzzy: bool,
    /// Most items in one combination. Default 6.
    pub max_combination: usize,
    /// Most of the payer's items searched for combinations. Default 40.
    pub max_search_items: usize,
    /// Most steps of the combination search per receipt. Default 50,000.
    pub max_search_steps: u32,
    /// Most proposals returned per receipt. Default 10.
    pub max_proposals: usize,
    /// Bytes of remittance text (and of the bank's payer name) read per
    /// receipt, at most [`crate::limits::MAX_TEXT_LEN`]; the rest is not
    /// read. Default 4,096.
    pub max_remittance_bytes: usize,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            auto_threshold: 85,
            tolerance: Tolerance::default(),
            tolerance_evidence: ToleranceEvidence::default(),
            partial_payments: PartialPayments::default(),
            fuzzy: true,
            max_combination: 6,
            max_search_items: 40,
            max_search_steps: 50_000,
            max_proposals: 10,
            max_remittance_bytes: 4096,
        }
    }
}

/// What became of a receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchStatus {
    /// The best proposal is sure enough and alone: apply it.
    Auto,
    /// Proposals for a person to choose from.
    Review,
    /// Nothing fits.
    Unmatched,
}

impl MatchStatus {
    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            MatchStatus::Auto => "auto",
            MatchStatus::Review => "review",
            MatchStatus::Unmatched => "unmatched",
        }
    }
}

/// How the payer of a receipt was known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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

impl PayerBasis {
    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            PayerBasis::Given => "given",
            PayerBasis::Reference => "reference",
            PayerBasis::Account => "account",
            PayerBasis::Name => "name",
            PayerBasis::Amount => "amount",
        }
    }
}

/// Why a proposal is what it is: one stable code per kind of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    /// A reference cut off at the end of the text matched the start of an item's number.
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
    /// Short beyond the tolerance: left open as a deduction.
    ShortPayDeduction,
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
    /// A reference led to an item no longer open (or settled earlier in the batch).
    NotOpen,
    /// A creditor reference failed its check digits.
    BadCreditorReference,
    /// The remittance text was cut: longer than is read, or as long as a
    /// bank's field and ending mid-word.
    TextTruncated,
    /// Nothing fits.
    NoFit,
}

/// One piece of the explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Reason {
    /// The kind of evidence.
    pub code: ReasonCode,
    /// The evidence in words, naming items and amounts.
    pub message: String,
}

/// Where proposed money comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// The receipt's cash.
    Receipt,
    /// An open credit memo.
    CreditMemo,
}

/// One application in a proposal, with what closes or stays open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedApplication {
    /// Cash from the receipt, or an open credit memo.
    pub source_kind: SourceKind,
    /// The receipt or credit memo id.
    pub source: String,
    /// The invoice settled.
    pub invoice: String,
    /// The installment, for invoices paid in installments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installment: Option<u32>,
    /// Amount taken from the source.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
    /// Early-payment discount granted with it.
    #[serde(with = "crate::serde_decimal")]
    pub discount: Decimal,
    /// Short pay written off with it.
    #[serde(with = "crate::serde_decimal")]
    pub write_off: Decimal,
    /// What the installment still has open afterwards (a deduction when
    /// above zero).
    #[serde(with = "crate::serde_decimal")]
    pub open_after: Decimal,
    /// Effective date: the receipt's, or a later document's.
    pub date: NaiveDate,
}

/// One way a receipt could settle open items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    /// How sure the matcher is, 0 to 100.
    pub confidence: u8,
    /// The customer whose items it settles.
    pub customer: CustomerId,
    /// How that customer was found.
    pub payer_basis: PayerBasis,
    /// Applications, credit memos first, then cash, invoices oldest first.
    pub applications: Vec<ProposedApplication>,
    /// Cash left unapplied (an overpayment).
    #[serde(with = "crate::serde_decimal")]
    pub unapplied: Decimal,
    /// The explanation.
    pub reasons: Vec<Reason>,
}

/// The matcher's answer for one receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptMatch {
    /// The receipt.
    pub receipt: String,
    /// Its date.
    pub date: NaiveDate,
    /// The amount matched.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
    /// Its currency.
    pub currency: Currency,
    /// Whether the first proposal is to be applied.
    pub status: MatchStatus,
    /// The payer named on the receipt, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_payer: Option<CustomerId>,
    /// References read from the remittance.
    pub references: Vec<Reference>,
    /// Proposals, best first; empty when unmatched.
    pub proposals: Vec<Proposal>,
    /// Notes on the receipt as a whole (references ignored, text cut).
    pub notes: Vec<Reason>,
}

impl ReceiptMatch {
    /// The proposal applied automatically, if any.
    pub fn auto(&self) -> Option<&Proposal> {
        (self.status == MatchStatus::Auto)
            .then(|| self.proposals.first())
            .flatten()
    }
}

/// Receipts and amounts per status and currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SummaryRow {
    /// Status.
    pub status: MatchStatus,
    /// Currency.
    pub currency: Currency,
    /// Number of receipts.
    pub receipts: u64,
    /// Their amounts.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
}

/// The answer for a batch of receipts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MatchBatch {
    /// One per receipt, in the order given.
    pub matches: Vec<ReceiptMatch>,
    /// Per status (auto, review, unmatched) and currency, in that order.
    pub summary: Vec<SummaryRow>,
}
