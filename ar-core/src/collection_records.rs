//! The records of collections work, as the log holds them: dunning
//! notices sent, disputes, promises to pay, payment plans, and the
//! interest and fee notes charged (see `collections` for what is done
//! with them).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::heap::{sum, vec, Heap};
use crate::id::{
    CreditMemoId, CustomerId, DisputeId, InvoiceId, NoticeId, PlanId, PromiseId, WriteOffId,
};
use crate::terms::PaymentTerms;

/// An invoice installment, or every installment of an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ItemRef {
    /// The invoice.
    pub invoice: InvoiceId,
    /// One installment (1-based); all of them when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installment: Option<u32>,
}

impl ItemRef {
    /// Every installment of `invoice`.
    pub fn invoice(invoice: InvoiceId) -> Self {
        ItemRef {
            invoice,
            installment: None,
        }
    }

    /// Installment `n` of `invoice`.
    pub fn installment(invoice: InvoiceId, n: u32) -> Self {
        ItemRef {
            invoice,
            installment: Some(n),
        }
    }
}

/// What a charge note charges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeKind {
    /// Late-payment interest.
    Interest,
    /// Costs: dunning fees and fixed late-payment compensation.
    Fee,
}

impl ChargeKind {
    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            ChargeKind::Interest => "interest",
            ChargeKind::Fee => "fee",
        }
    }
}

/// One line of a charge note: what it charges for and how much.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ChargeLine {
    /// The item charged for: required for interest; for a fee, the late
    /// item a fixed compensation is claimed for, or none for a dunning fee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<ItemRef>,
    /// Amount charged, greater than zero.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
    /// Interest: the last day it was computed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub through: Option<NaiveDate>,
}

impl ChargeLine {
    /// The invoice line's description: made from the line, so that a
    /// charge note read back gives the same invoice.
    pub fn description(&self, kind: ChargeKind) -> String {
        let item = self.item.as_ref().map(|i| match i.installment {
            Some(n) => format!("{} installment {n}", i.invoice),
            None => i.invoice.to_string(),
        });
        match (kind, item, self.through) {
            (ChargeKind::Interest, Some(i), Some(t)) => format!("Interest on {i} through {t}"),
            (ChargeKind::Interest, Some(i), None) => format!("Interest on {i}"),
            (ChargeKind::Interest, None, _) => "Interest".to_owned(),
            (ChargeKind::Fee, Some(i), _) => format!("Late-payment compensation for {i}"),
            (ChargeKind::Fee, None, _) => "Dunning fee".to_owned(),
        }
    }
}

/// What makes an invoice an interest or fee note: its kind, the lines it
/// charges and the notice it was charged with.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Charge {
    /// Interest or fee.
    pub kind: ChargeKind,
    /// What is charged, line by line (the invoice's lines follow them).
    pub lines: Vec<ChargeLine>,
    /// The dunning notice it was charged with, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<NoticeId>,
}

/// An interest or fee note as the caller describes it: an invoice of its
/// own, so it ages, is paid, disputed and written off like any invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCharge {
    /// Unique invoice id of the note.
    pub id: InvoiceId,
    /// Customer charged.
    pub customer: CustomerId,
    /// Date of the note; its effective date.
    pub date: NaiveDate,
    /// Currency; the customer's when absent. Every item charged for must
    /// be in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// Interest or fee.
    pub kind: ChargeKind,
    /// What is charged; at least one line.
    pub lines: Vec<ChargeLine>,
    /// When the note falls due; due on receipt when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<PaymentTerms>,
    /// The dunning notice it is charged with, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<NoticeId>,
}

/// How a dunning notice is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DunningAction {
    /// An e-mail.
    #[default]
    Email,
    /// A letter.
    Letter,
    /// A phone call.
    Call,
    /// Supply is stopped.
    StopSupply,
    /// The debt is handed to a collection agency.
    Agency,
}

impl DunningAction {
    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            DunningAction::Email => "email",
            DunningAction::Letter => "letter",
            DunningAction::Call => "call",
            DunningAction::StopSupply => "stop_supply",
            DunningAction::Agency => "agency",
        }
    }
}

/// One item of a notice sent, at the level it was reminded at.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NoticeItem {
    /// The invoice.
    pub invoice: InvoiceId,
    /// The installment (1-based).
    pub installment: u32,
    /// Level the item was reminded at (1 = first level of the policy).
    pub level: u32,
}

/// A dunning notice as sent: recorded so that the next run knows each
/// item's level and when the customer was last reminded.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NoticeRecord {
    /// Unique id.
    pub id: NoticeId,
    /// Customer reminded.
    pub customer: CustomerId,
    /// Currency of the items.
    pub currency: Currency,
    /// Level of the notice: the highest of its items'.
    pub level: u32,
    /// How it was sent.
    #[serde(default)]
    pub action: DunningAction,
    /// The items reminded, each at its level; at least one.
    pub items: Vec<NoticeItem>,
}

/// A dispute on an item or an amount of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Dispute {
    /// Unique id.
    pub id: DisputeId,
    /// The invoice disputed.
    pub invoice: InvoiceId,
    /// One installment; the whole invoice when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installment: Option<u32>,
    /// The amount disputed; everything open on the item when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::serde_decimal::option")]
    pub amount: Option<Decimal>,
    /// The caller's reason code (`"pricing"`, `"damaged"`, ...).
    pub reason: String,
    /// Who works on it.
    pub owner: String,
    /// Free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// How a dispute ended.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Resolution {
    /// The customer was right, in whole or in part: a credit memo against
    /// the invoice.
    CreditMemo {
        /// The memo.
        credit_memo: CreditMemoId,
    },
    /// The amount was written off.
    WriteOff {
        /// The write-off.
        write_off: WriteOffId,
    },
    /// The customer was wrong: the amount is owed again.
    Reinstated,
}

impl Resolution {
    /// The snake_case name.
    pub fn name(&self) -> &'static str {
        match self {
            Resolution::CreditMemo { .. } => "credit_memo",
            Resolution::WriteOff { .. } => "write_off",
            Resolution::Reinstated => "reinstated",
        }
    }
}

/// A promise to pay.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Promise {
    /// Unique id.
    pub id: PromiseId,
    /// Customer who promised.
    pub customer: CustomerId,
    /// The items promised; at least one, all of the customer's.
    pub items: Vec<ItemRef>,
    /// Amount promised, greater than zero, in the items' currency.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
    /// Date by which it is to be paid.
    pub due: NaiveDate,
    /// Days after `due` still counted as on time.
    #[serde(default)]
    pub grace_days: u32,
    /// Share of `amount` (percent, over 0 and at most 100) that counts as
    /// keeping the promise.
    #[serde(default = "hundred", with = "crate::serde_decimal")]
    pub threshold_percent: Decimal,
    /// Free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

fn hundred() -> Decimal {
    Decimal::ONE_HUNDRED
}

/// One instalment of a payment plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PlanInstalment {
    /// When it falls due.
    pub due: NaiveDate,
    /// Amount, greater than zero.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
}

/// A payment plan over open items: instalments that add up exactly to
/// what the items had open when it was agreed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PaymentPlan {
    /// Unique id.
    pub id: PlanId,
    /// Customer.
    pub customer: CustomerId,
    /// The items covered; at least one, all of the customer's, in one
    /// currency.
    pub items: Vec<ItemRef>,
    /// Instalments in due-date order; at least one.
    pub instalments: Vec<PlanInstalment>,
    /// Days after an instalment's due date before it counts as missed.
    #[serde(default)]
    pub grace_days: u32,
}

impl Heap for ItemRef {
    fn heap(&self) -> usize {
        self.invoice.heap()
    }
}

impl Heap for ChargeLine {
    fn heap(&self) -> usize {
        self.item.as_ref().map_or(0, Heap::heap)
    }
}

impl Heap for Charge {
    fn heap(&self) -> usize {
        sum([
            crate::heap::deep(&self.lines),
            self.notice.as_ref().map_or(0, Heap::heap),
        ])
    }
}

impl Heap for NoticeRecord {
    fn heap(&self) -> usize {
        sum([
            self.id.heap(),
            self.customer.heap(),
            vec(&self.items),
            self.items
                .iter()
                .map(|i| i.invoice.heap())
                .fold(0, usize::saturating_add),
        ])
    }
}

impl Heap for Dispute {
    fn heap(&self) -> usize {
        sum([
            self.id.heap(),
            self.invoice.heap(),
            self.reason.capacity(),
            self.owner.capacity(),
            self.note.capacity(),
        ])
    }
}

impl Heap for Promise {
    fn heap(&self) -> usize {
        sum([
            self.id.heap(),
            self.customer.heap(),
            crate::heap::deep(&self.items),
            self.note.capacity(),
        ])
    }
}

impl Heap for PaymentPlan {
    fn heap(&self) -> usize {
        sum([
            self.id.heap(),
            self.customer.heap(),
            crate::heap::deep(&self.items),
            vec(&self.instalments),
        ])
    }
}
