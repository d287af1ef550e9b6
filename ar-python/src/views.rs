//! Query results: `OpenItem`, `Balance`, `InvoiceView`, `InstallmentView`,
//! `SourceView`, `Application` and `Allocation`. Frozen records with typed
//! getters, `__repr__`, `__eq__` and `to_dict()`; enums as snake_case
//! strings.

use std::collections::BTreeMap;

use ar_core::chrono::NaiveDate;
use ar_core::rust_decimal::Decimal;
use ar_core::Currency;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::conv::Dec;
use crate::invoice::{LineTotals, TaxTotal};
use crate::record;
use crate::terms::{DiscountOffer, Terms};

/// Generates `__repr__` and `to_dict` for a record class.
macro_rules! record_methods {
    ($ty:ident, $fields:ident) => {
        #[pymethods]
        impl $ty {
            fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
                record::repr(slf.as_any(), stringify!($ty), $fields)
            }

            /// The fields as a dict (nested records as dicts too).
            fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
                record::to_dict(slf.as_any(), $fields)
            }
        }
    };
}

/// Something still open: an invoice installment, a credit memo's open credit
/// or a receipt's unapplied cash. Amounts are positive whatever the
/// direction; ``kind`` (``"invoice"``, ``"credit_memo"``,
/// ``"unapplied_cash"``) tells it.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct OpenItem {
    /// ``"invoice"``, ``"credit_memo"`` or ``"unapplied_cash"``.
    kind: &'static str,
    /// Invoice, credit memo or receipt id.
    id: String,
    /// Installment number, for invoices with more than one installment.
    installment: Option<u32>,
    /// Customer, when known.
    customer: Option<String>,
    /// Currency code.
    currency: &'static str,
    /// Document date.
    date: NaiveDate,
    /// Due date (invoices only).
    due_date: Option<NaiveDate>,
    /// Original amount.
    original: Dec,
    /// Amount still open.
    open: Dec,
    /// Whether the invoice is disputed.
    disputed: bool,
}

const OPEN_ITEM_FIELDS: &[&str] = &[
    "kind",
    "id",
    "installment",
    "customer",
    "currency",
    "date",
    "due_date",
    "original",
    "open",
    "disputed",
];

impl From<ar_core::OpenItem> for OpenItem {
    fn from(i: ar_core::OpenItem) -> Self {
        OpenItem {
            kind: i.kind.name(),
            id: i.id,
            installment: i.installment,
            customer: i.customer.map(|c| c.to_string()),
            currency: i.currency.code(),
            date: i.date,
            due_date: i.due_date,
            original: Dec(i.original),
            open: Dec(i.open),
            disputed: i.disputed,
        }
    }
}

record_methods!(OpenItem, OPEN_ITEM_FIELDS);

/// A customer's position in one currency: open ``invoices``,
/// ``unapplied_cash``, ``open_credits`` and ``net`` (``invoices -
/// unapplied_cash - open_credits``). ``customer`` is ``None`` for cash from
/// payers not yet identified.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct Balance {
    /// Customer id, or ``None`` for unidentified payers.
    customer: Option<String>,
    /// Currency code.
    currency: &'static str,
    /// Open invoices.
    invoices: Dec,
    /// Unapplied cash.
    unapplied_cash: Dec,
    /// Open credit memos.
    open_credits: Dec,
    /// What the customer owes net.
    net: Dec,
}

const BALANCE_FIELDS: &[&str] = &[
    "customer",
    "currency",
    "invoices",
    "unapplied_cash",
    "open_credits",
    "net",
];

impl From<ar_core::Balance> for Balance {
    fn from(b: ar_core::Balance) -> Self {
        Balance {
            customer: b.customer.map(|c| c.to_string()),
            currency: b.currency.code(),
            invoices: Dec(b.invoices),
            unapplied_cash: Dec(b.unapplied_cash),
            open_credits: Dec(b.open_credits),
            net: Dec(b.net),
        }
    }
}

record_methods!(Balance, BALANCE_FIELDS);

/// One installment of an invoice as seen through a view: ``amount``
/// scheduled, ``open`` now, and its early-payment ``discount`` offer.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct InstallmentView {
    /// 1-based number.
    number: u32,
    /// Due date.
    due_date: NaiveDate,
    /// Amount scheduled.
    amount: Dec,
    /// Amount open.
    open: Dec,
    /// Early-payment discount offer, if the terms have one.
    discount: Option<DiscountOffer>,
}

const INSTALLMENT_VIEW_FIELDS: &[&str] = &["number", "due_date", "amount", "open", "discount"];

record_methods!(InstallmentView, INSTALLMENT_VIEW_FIELDS);

/// An invoice as seen through a view: what was billed, its status and how it
/// was settled.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct InvoiceView {
    /// Invoice id.
    id: String,
    /// Customer billed.
    customer: String,
    /// Currency code.
    currency: &'static str,
    /// Invoice date.
    date: NaiveDate,
    /// Final due date (the last installment's).
    due_date: NaiveDate,
    /// Purchase-order number.
    po_number: Option<String>,
    /// Free dimensions.
    dimensions: BTreeMap<String, String>,
    /// Terms the schedule was computed from.
    terms: Terms,
    /// ``"draft"``, ``"open"``, ``"partially_paid"``, ``"paid"``, ``"void"``
    /// or ``"written_off"``.
    status: &'static str,
    /// Disputed flag.
    disputed: bool,
    /// Invoice total.
    total: Dec,
    /// Total before tax.
    net: Dec,
    /// Tax.
    tax: Dec,
    /// Amount open (zero when void or draft).
    open: Dec,
    /// Settled by receipts.
    paid: Dec,
    /// Settled by credit memos.
    credited: Dec,
    /// Early-payment discounts granted.
    discounted: Dec,
    /// Written off.
    written_off: Dec,
    /// Settled before an opening-balance import.
    settled_before_import: Dec,
    /// Installments.
    installments: Vec<InstallmentView>,
    /// Totals per line.
    lines: Vec<LineTotals>,
    /// Totals per tax code.
    taxes: Vec<TaxTotal>,
}

const INVOICE_VIEW_FIELDS: &[&str] = &[
    "id",
    "customer",
    "currency",
    "date",
    "due_date",
    "po_number",
    "dimensions",
    "terms",
    "status",
    "disputed",
    "total",
    "net",
    "tax",
    "open",
    "paid",
    "credited",
    "discounted",
    "written_off",
    "settled_before_import",
    "installments",
    "lines",
    "taxes",
];

impl From<ar_core::InvoiceView> for InvoiceView {
    fn from(v: ar_core::InvoiceView) -> Self {
        let inv = v.invoice;
        let offer = |number: u32| {
            inv.installments
                .iter()
                .find(|s| s.number == number)
                .and_then(|s| s.discount)
                .map(DiscountOffer::from)
        };
        let installments = v
            .installments
            .iter()
            .map(|i| InstallmentView {
                number: i.number,
                due_date: i.due_date,
                amount: Dec(i.amount),
                open: Dec(i.open),
                discount: offer(i.number),
            })
            .collect();
        InvoiceView {
            id: inv.id.to_string(),
            customer: inv.customer.to_string(),
            currency: inv.currency.code(),
            date: inv.date,
            due_date: inv.installments.last().map_or(inv.date, |s| s.due_date),
            po_number: inv.po_number.clone(),
            dimensions: inv.dimensions.clone(),
            terms: Terms {
                inner: inv.terms.clone(),
            },
            status: v.status.name(),
            disputed: v.disputed,
            total: Dec(inv.totals.total),
            net: Dec(inv.totals.net),
            tax: Dec(inv.totals.tax),
            open: Dec(v.open),
            paid: Dec(v.paid),
            credited: Dec(v.credited),
            discounted: Dec(v.discounted),
            written_off: Dec(v.written_off),
            settled_before_import: Dec(v.settled_before_import),
            installments,
            lines: inv.totals.lines.iter().map(LineTotals::from).collect(),
            taxes: inv.totals.taxes.iter().map(TaxTotal::from).collect(),
        }
    }
}

record_methods!(InvoiceView, INVOICE_VIEW_FIELDS);

/// A receipt (``kind == "receipt"``) or credit memo (``"credit_memo"``) as
/// seen through a view: ``amount`` received or credited, ``applied`` to
/// invoices, ``refunded``, ``written_off``, still ``open``, and whether it
/// is ``void``.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct SourceView {
    /// ``"receipt"`` or ``"credit_memo"``.
    kind: &'static str,
    /// Receipt or credit memo id.
    id: String,
    /// Customer, when known.
    customer: Option<String>,
    /// Currency code.
    currency: &'static str,
    /// Date received or issued.
    date: NaiveDate,
    /// Amount received or credited.
    amount: Dec,
    /// Applied to invoices (net of unapplications).
    applied: Dec,
    /// Refunded.
    refunded: Dec,
    /// Written off (net of reversals).
    written_off: Dec,
    /// Still open.
    open: Dec,
    /// Voided.
    void: bool,
}

const SOURCE_VIEW_FIELDS: &[&str] = &[
    "kind",
    "id",
    "customer",
    "currency",
    "date",
    "amount",
    "applied",
    "refunded",
    "written_off",
    "open",
    "void",
];

impl From<ar_core::SourceView> for SourceView {
    fn from(s: ar_core::SourceView) -> Self {
        SourceView {
            kind: s.source.kind(),
            id: s.source.id().to_owned(),
            customer: s.customer.map(|c| c.to_string()),
            currency: s.currency.code(),
            date: s.date,
            amount: Dec(s.amount),
            applied: Dec(s.applied),
            refunded: Dec(s.refunded),
            written_off: Dec(s.written_off),
            open: Dec(s.open),
            void: s.void,
        }
    }
}

record_methods!(SourceView, SOURCE_VIEW_FIELDS);

/// The part of an application (or write-off) that lands on one installment:
/// ``amount`` taken from the source and the early-payment ``discount``
/// granted on top.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct Allocation {
    /// 1-based installment number.
    installment: u32,
    /// Amount.
    amount: Dec,
    /// Discount granted on top.
    discount: Dec,
}

const ALLOCATION_FIELDS: &[&str] = &["installment", "amount", "discount"];

record_methods!(Allocation, ALLOCATION_FIELDS);

/// One application of a receipt or credit memo to an invoice, with its
/// allocations per installment and the date it was unapplied (if it was,
/// within the view).
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct Application {
    /// Application id.
    id: String,
    /// ``"receipt"`` or ``"credit_memo"``.
    source_kind: &'static str,
    /// Receipt or credit memo id.
    source: String,
    /// Invoice id.
    invoice: String,
    /// Effective date.
    date: NaiveDate,
    /// Date it was unapplied, if it was.
    unapplied_on: Option<NaiveDate>,
    /// Per installment.
    allocations: Vec<Allocation>,
}

const APPLICATION_FIELDS: &[&str] = &[
    "id",
    "source_kind",
    "source",
    "invoice",
    "date",
    "unapplied_on",
    "allocations",
];

impl Application {
    /// From the core's view; amounts shown at the minor unit of `currency`.
    pub fn new(a: ar_core::ApplicationView, currency: Option<Currency>) -> Self {
        let at_minor = |mut d: Decimal| {
            if let Some(c) = currency {
                if d.scale() < c.minor_units() {
                    d.rescale(c.minor_units());
                }
            }
            d
        };
        Application {
            id: a.id.to_string(),
            source_kind: a.source.kind(),
            source: a.source.id().to_owned(),
            invoice: a.invoice.to_string(),
            date: a.date,
            unapplied_on: a.unapplied_on,
            allocations: a
                .allocations
                .iter()
                .map(|x| Allocation {
                    installment: x.installment,
                    amount: Dec(at_minor(x.amount)),
                    discount: Dec(at_minor(x.discount)),
                })
                .collect(),
        }
    }
}

record_methods!(Application, APPLICATION_FIELDS);
