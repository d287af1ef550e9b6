//! Read-only views of the ledger, as of a business date and as known at a
//! recorded time.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::event::Allocation;
use crate::id::{ApplicationId, CustomerId, InvoiceId};
use crate::invoice::Invoice;
use crate::kinds::{InvoiceStatus, OpenItemKind, Source};
use crate::ledger::Ledger;
use crate::state::{DeltaKind, InvoiceState, SourceDoc, SourceState};
use crate::view::{Cut, View};

/// Something still open: an invoice installment, a credit or unapplied cash.
/// Amounts are positive whatever the direction; `kind` tells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OpenItem {
    /// What it is.
    pub kind: OpenItemKind,
    /// Invoice, credit memo or receipt id.
    pub id: String,
    /// Installment number, for invoices with more than one installment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installment: Option<u32>,
    /// Customer, when known (unapplied cash may have no payer yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<CustomerId>,
    /// Currency.
    pub currency: Currency,
    /// Document date.
    pub date: NaiveDate,
    /// Due date (invoices only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<NaiveDate>,
    /// Original amount of the item.
    #[serde(with = "crate::serde_decimal")]
    pub original: Decimal,
    /// Amount still open.
    #[serde(with = "crate::serde_decimal")]
    pub open: Decimal,
    /// Whether the invoice is disputed.
    #[serde(default)]
    pub disputed: bool,
}

/// A customer's position in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Balance {
    /// Customer; `None` for cash from payers not yet identified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<CustomerId>,
    /// Currency.
    pub currency: Currency,
    /// Open invoices.
    #[serde(with = "crate::serde_decimal")]
    pub invoices: Decimal,
    /// Unapplied cash.
    #[serde(with = "crate::serde_decimal")]
    pub unapplied_cash: Decimal,
    /// Open credit memos.
    #[serde(with = "crate::serde_decimal")]
    pub open_credits: Decimal,
    /// `invoices - unapplied_cash - open_credits`: what the customer owes net.
    #[serde(with = "crate::serde_decimal")]
    pub net: Decimal,
}

/// One installment of an invoice as seen through a view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InstallmentView {
    /// 1-based number.
    pub number: u32,
    /// Due date.
    pub due_date: NaiveDate,
    /// Amount scheduled.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
    /// Amount open.
    #[serde(with = "crate::serde_decimal")]
    pub open: Decimal,
}

/// An invoice as seen through a view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InvoiceView {
    /// The invoice as issued.
    pub invoice: Invoice,
    /// Status.
    pub status: InvoiceStatus,
    /// Disputed flag.
    pub disputed: bool,
    /// Amount open (zero when void or draft).
    #[serde(with = "crate::serde_decimal")]
    pub open: Decimal,
    /// Settled by receipts.
    #[serde(with = "crate::serde_decimal")]
    pub paid: Decimal,
    /// Settled by credit memos.
    #[serde(with = "crate::serde_decimal")]
    pub credited: Decimal,
    /// Early-payment discounts granted.
    #[serde(with = "crate::serde_decimal")]
    pub discounted: Decimal,
    /// Written off.
    #[serde(with = "crate::serde_decimal")]
    pub written_off: Decimal,
    /// Settled before an opening-balance import.
    #[serde(with = "crate::serde_decimal")]
    pub settled_before_import: Decimal,
    /// Installments.
    pub installments: Vec<InstallmentView>,
}

/// A receipt or credit memo as seen through a view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SourceView {
    /// Receipt or credit memo.
    pub source: Source,
    /// Customer, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<CustomerId>,
    /// Currency.
    pub currency: Currency,
    /// Date.
    pub date: NaiveDate,
    /// Amount received or credited.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
    /// Applied to invoices (net of unapplications).
    #[serde(with = "crate::serde_decimal")]
    pub applied: Decimal,
    /// Refunded.
    #[serde(with = "crate::serde_decimal")]
    pub refunded: Decimal,
    /// Written off (net of reversals).
    #[serde(with = "crate::serde_decimal")]
    pub written_off: Decimal,
    /// Still open.
    #[serde(with = "crate::serde_decimal")]
    pub open: Decimal,
    /// Voided.
    pub void: bool,
}

/// An application with its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApplicationView {
    /// Id.
    pub id: ApplicationId,
    /// Where the money came from.
    pub source: Source,
    /// The invoice.
    pub invoice: InvoiceId,
    /// Currency of the amounts.
    pub currency: Currency,
    /// Per installment, amounts at the currency's minor unit.
    pub allocations: Vec<Allocation>,
    /// Effective date.
    pub date: NaiveDate,
    /// Date it was unapplied, if it was (within the view).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unapplied_on: Option<NaiveDate>,
}

/// What the deltas of one kind took off the invoice, as a positive amount.
///
/// The ledger keeps the magnitudes of all its amounts within what a
/// `Decimal` holds at their minor units (it refuses a command or event that
/// would go beyond), so no sum of them saturates: the saturating ops here
/// and in the views below are exact.
fn sum_all(inv: &InvoiceState, cut: Cut, kind: DeltaKind) -> Decimal {
    inv.installments
        .iter()
        .map(|t| t.sum_kind(cut, kind))
        .fold(Decimal::ZERO, |total, taken| total.saturating_sub(taken))
}

impl Ledger {
    pub(crate) fn cut(&self, view: &View) -> Cut {
        let seq = match view.known_at {
            None => u64::MAX,
            Some(t) => {
                let n = self.events.partition_point(|e| e.recorded <= t);
                u64::try_from(n).unwrap_or(u64::MAX)
            }
        };
        Cut {
            date: view.as_of.unwrap_or(NaiveDate::MAX),
            seq,
        }
    }

    pub(super) fn invoice_open(inv: &InvoiceState, cut: Cut) -> Option<Vec<Decimal>> {
        if !cut.sees_opt(inv.finalized) || cut.sees_opt(inv.voided) {
            return None;
        }
        Some(inv.installments.iter().map(|t| t.at(cut)).collect())
    }

    pub(super) fn source_open(src: &SourceState, cut: Cut) -> Option<Decimal> {
        if !cut.sees(src.created) || cut.sees_opt(src.voided) {
            return None;
        }
        Some(src.timeline.at(cut))
    }

    /// Every open item as seen through `view`: invoice installments with an
    /// open amount, open credit memos, unapplied cash. Invoices come first in
    /// issue order, then credit memos, then receipts.
    pub fn open_items(&self, view: &View) -> Vec<OpenItem> {
        self.open_items_of(view, None)
    }

    /// [`Ledger::open_items`] of one customer (`Some`), or of all; items of
    /// other customers are never made.
    pub(crate) fn open_items_of(
        &self,
        view: &View,
        customer: Option<&CustomerId>,
    ) -> Vec<OpenItem> {
        let cut = self.cut(view);
        let mut out = Vec::new();
        let rows: Box<dyn Iterator<Item = &InvoiceState>> = match customer {
            None => Box::new(self.state.invoices.iter()),
            Some(c) => Box::new(self.state.invoices_of(c)),
        };
        for inv in rows {
            let Some(open) = Self::invoice_open(inv, cut) else {
                continue;
            };
            let many = inv.installments.len() > 1;
            let disputed = inv.disputed(cut);
            for (s, open) in inv.invoice.installments.iter().zip(open) {
                if open.is_zero() {
                    continue;
                }
                out.push(OpenItem {
                    kind: OpenItemKind::Invoice,
                    id: inv.invoice.id.to_string(),
                    installment: many.then_some(s.number),
                    customer: Some(inv.invoice.customer.clone()),
                    currency: inv.invoice.currency,
                    date: inv.invoice.date,
                    due_date: Some(s.due_date),
                    original: s.amount,
                    open,
                    disputed,
                });
            }
        }
        let kind = |cash: bool| {
            if cash {
                OpenItemKind::UnappliedCash
            } else {
                OpenItemKind::CreditMemo
            }
        };
        let sources: Box<dyn Iterator<Item = (&SourceState, OpenItemKind)>> = match customer {
            None => Box::new(
                (self.state.credit_memos.iter().map(|s| (s, kind(false))))
                    .chain(self.state.receipts.iter().map(|s| (s, kind(true)))),
            ),
            Some(c) => Box::new(self.state.sources_of(c).map(|(s, cash)| (s, kind(cash)))),
        };
        {
            for (src, kind) in sources {
                if customer.is_some_and(|c| src.customer(cut) != Some(c)) {
                    continue;
                }
                let Some(open) = Self::source_open(src, cut) else {
                    continue;
                };
                if open.is_zero() {
                    continue;
                }
                let id = match &src.doc {
                    SourceDoc::Receipt(r) => r.id.to_string(),
                    SourceDoc::CreditMemo(m) => m.id.to_string(),
                };
                out.push(OpenItem {
                    kind,
                    id,
                    installment: None,
                    customer: src.customer(cut).cloned(),
                    currency: src.currency(),
                    date: src.date(),
                    due_date: None,
                    original: src.amount(),
                    open,
                    disputed: false,
                });
            }
        }
        out
    }

    /// Unapplied cash only.
    pub fn unapplied_cash(&self, view: &View) -> Vec<OpenItem> {
        let mut v = self.open_items(view);
        v.retain(|i| i.kind == OpenItemKind::UnappliedCash);
        v
    }

    /// Open credit memos only.
    pub fn open_credits(&self, view: &View) -> Vec<OpenItem> {
        let mut v = self.open_items(view);
        v.retain(|i| i.kind == OpenItemKind::CreditMemo);
        v
    }

    /// Balances of every customer (and of unidentified payers), one row per
    /// customer and currency, in customer order; customers with nothing open
    /// get a zero row in their own currency.
    pub fn balances(&self, view: &View) -> Vec<Balance> {
        self.balances_of(view, None)
    }

    /// [`Ledger::balances`] of one customer (`Some`), or of all.
    pub(crate) fn balances_of(&self, view: &View, customer: Option<&CustomerId>) -> Vec<Balance> {
        let mut rows: Vec<Balance> = Vec::new();
        let zero_row = |customer: Option<CustomerId>, currency: Currency| Balance {
            customer,
            currency,
            invoices: Decimal::ZERO,
            unapplied_cash: Decimal::ZERO,
            open_credits: Decimal::ZERO,
            net: Decimal::ZERO,
        };
        let mut index: std::collections::HashMap<(Option<CustomerId>, Currency), usize> =
            Default::default();
        // Customers as the view knows them: none registered later, each as
        // it then stood (its currency at that time).
        let known = self.cut(view).seq;
        for c in self.state.customers_at(known) {
            if customer.is_some_and(|only| only != &c.id) {
                continue;
            }
            index.insert((Some(c.id.clone()), c.currency), rows.len());
            rows.push(zero_row(Some(c.id.clone()), c.currency));
        }
        for item in self.open_items_of(view, customer) {
            let key = (item.customer.clone(), item.currency);
            let i = *index.entry(key).or_insert_with(|| {
                let i = rows.len();
                rows.push(zero_row(item.customer.clone(), item.currency));
                i
            });
            if let Some(row) = rows.get_mut(i) {
                // Within the ledger's bound (see `sum_all`): exact.
                let total = match item.kind {
                    OpenItemKind::Invoice => &mut row.invoices,
                    OpenItemKind::CreditMemo => &mut row.open_credits,
                    OpenItemKind::UnappliedCash => &mut row.unapplied_cash,
                };
                *total = total.saturating_add(item.open);
            }
        }
        let order: std::collections::HashMap<&CustomerId, usize> = self
            .state
            .customers
            .iter()
            .enumerate()
            .map(|(i, c)| (&c.id, i))
            .collect();
        rows.sort_by_key(|r| {
            (
                r.customer
                    .as_ref()
                    .map_or(usize::MAX, |c| order.get(c).copied().unwrap_or(usize::MAX)),
                r.currency,
            )
        });
        for r in &mut rows {
            for v in [&mut r.invoices, &mut r.unapplied_cash, &mut r.open_credits] {
                v.rescale(r.currency.minor_units());
            }
            // Within the ledger's bound (see `sum_all`): exact.
            r.net = r
                .invoices
                .saturating_sub(r.unapplied_cash)
                .saturating_sub(r.open_credits);
        }
        rows
    }

    /// Balances of one customer, one row per currency (at least one: its own).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown customer.
    pub fn customer_balance(&self, customer: &CustomerId, view: &View) -> Result<Vec<Balance>> {
        let known = self.cut(view).seq;
        let row = self.state.customers.index_of(customer);
        if row.and_then(|r| self.state.customer_at(r, known)).is_none() {
            // Unknown, or not yet registered as the view knows the log.
            return Err(Error::not_found("customer", "customer", customer.as_str()));
        }
        Ok(self.balances_of(view, Some(customer)))
    }

    /// An invoice with its status and settlement as seen through `view`.
    ///
    /// # Errors
    /// [`Error::NotFound`] when the invoice is unknown or not yet in the view.
    pub fn invoice(&self, id: &InvoiceId, view: &View) -> Result<InvoiceView> {
        let cut = self.cut(view);
        let inv = self
            .state
            .invoices
            .get(id)
            .filter(|inv| cut.sees(inv.issued))
            .ok_or_else(|| Error::not_found("invoice", "invoice", id.as_str()))?;
        let open_parts = Self::invoice_open(inv, cut);
        let currency = inv.invoice.currency;
        let scale = |mut d: Decimal| {
            d.rescale(currency.minor_units());
            // Sums of reductions are negated for display: never -0.00.
            crate::money::zero_unsigned(d)
        };
        let open: Decimal = scale(
            open_parts
                .as_ref()
                .map_or(Decimal::ZERO, |v| v.iter().sum()),
        );
        let written_off = scale(sum_all(inv, cut, DeltaKind::WriteOff));
        let status = if cut.sees_opt(inv.voided) {
            InvoiceStatus::Void
        } else if !cut.sees_opt(inv.finalized) {
            InvoiceStatus::Draft
        } else if open.is_zero() {
            if written_off.is_zero() {
                InvoiceStatus::Paid
            } else {
                InvoiceStatus::WrittenOff
            }
        } else if open == inv.invoice.totals.total {
            InvoiceStatus::Open
        } else {
            InvoiceStatus::PartiallyPaid
        };
        let installments = inv
            .invoice
            .installments
            .iter()
            .enumerate()
            .map(|(i, s)| InstallmentView {
                number: s.number,
                due_date: s.due_date,
                amount: s.amount,
                open: scale(
                    open_parts
                        .as_ref()
                        .and_then(|v| v.get(i).copied())
                        .unwrap_or(Decimal::ZERO),
                ),
            })
            .collect();
        Ok(InvoiceView {
            invoice: (*inv.invoice).clone(),
            status,
            disputed: inv.disputed(cut),
            open,
            paid: scale(sum_all(inv, cut, DeltaKind::Payment)),
            credited: scale(sum_all(inv, cut, DeltaKind::Credit)),
            discounted: scale(sum_all(inv, cut, DeltaKind::Discount)),
            written_off,
            settled_before_import: scale(sum_all(inv, cut, DeltaKind::Opening)),
            installments,
        })
    }

    /// A receipt or credit memo as seen through `view`.
    ///
    /// # Errors
    /// [`Error::NotFound`] when it is unknown or not yet in the view.
    pub fn source(&self, source: &Source, view: &View) -> Result<SourceView> {
        let cut = self.cut(view);
        let src = self
            .state
            .source(source)
            .filter(|s| cut.sees(s.created))
            .ok_or_else(|| Error::not_found("source", source.kind(), source.id()))?;
        let currency = src.currency();
        let scale = |mut d: Decimal| {
            d.rescale(currency.minor_units());
            // Sums of reductions are negated for display: never -0.00.
            crate::money::zero_unsigned(d)
        };
        let applied_kind = match source {
            Source::Receipt(_) => DeltaKind::Payment,
            Source::CreditMemo(_) => DeltaKind::Credit,
        };
        let void = cut.sees_opt(src.voided);
        Ok(SourceView {
            source: source.clone(),
            customer: src.customer(cut).cloned(),
            currency,
            date: src.date(),
            amount: src.amount(),
            // Negated: exact for any decimal.
            applied: scale(Decimal::ZERO.saturating_sub(src.timeline.sum_kind(cut, applied_kind))),
            refunded: scale(
                Decimal::ZERO.saturating_sub(src.timeline.sum_kind(cut, DeltaKind::Refund)),
            ),
            written_off: scale(
                Decimal::ZERO.saturating_sub(src.timeline.sum_kind(cut, DeltaKind::WriteOff)),
            ),
            open: scale(if void {
                Decimal::ZERO
            } else {
                src.timeline.at(cut)
            }),
            void,
        })
    }

    /// A receipt as seen through `view`: [`Ledger::source`] of
    /// [`Source::Receipt`].
    ///
    /// # Errors
    /// [`Error::NotFound`] when it is unknown or not yet in the view.
    pub fn receipt(&self, id: &crate::id::ReceiptId, view: &View) -> Result<SourceView> {
        self.source(&Source::Receipt(id.clone()), view)
    }

    /// A credit memo as seen through `view`: [`Ledger::source`] of
    /// [`Source::CreditMemo`].
    ///
    /// # Errors
    /// [`Error::NotFound`] when it is unknown or not yet in the view.
    pub fn credit_memo(&self, id: &crate::id::CreditMemoId, view: &View) -> Result<SourceView> {
        self.source(&Source::CreditMemo(id.clone()), view)
    }

    /// Applications seen through `view`, in the order they were made, with
    /// their unapplication date when one is in the view.
    pub fn applications(&self, view: &View) -> Vec<ApplicationView> {
        let cut = self.cut(view);
        self.state
            .applications
            .iter()
            .filter(|a| cut.sees(a.at))
            // Every application's source exists: the fold guarantees it.
            .filter_map(|a| self.state.source(&a.source).map(|s| (a, s.currency())))
            .map(|(a, currency)| ApplicationView {
                id: a.id.clone(),
                source: a.source.clone(),
                invoice: a.invoice.clone(),
                currency,
                allocations: a
                    .allocations
                    .iter()
                    .map(|al| {
                        let (mut amount, mut discount) = (al.amount, al.discount);
                        amount.rescale(currency.minor_units());
                        discount.rescale(currency.minor_units());
                        Allocation {
                            amount,
                            discount,
                            ..*al
                        }
                    })
                    .collect(),
                date: a.at.eff,
                unapplied_on: a.reversed.filter(|r| cut.sees(*r)).map(|r| r.eff),
            })
            .collect()
    }
}
