//! Invoice lines and totals: `ar.Line`, `ar.compute_totals` and its
//! `InvoiceTotals` / `LineTotals` / `TaxTotal` results.

use ar_core::{InvoiceLine, LineDiscount, Tax};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::conv::{self, Dec};
use crate::errors::{fail, guard};
use crate::record;

/// One invoice line: ``quantity`` x ``unit_price``, an optional discount
/// (``discount_percent`` or ``discount_amount``, not both) and taxes as
/// ``(code, rate)`` pairs, rates in percent (``19`` is 19 %).
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct Line {
    /// Free description.
    description: String,
    /// Quantity.
    quantity: Dec,
    /// Price per unit.
    unit_price: Dec,
    /// Percent off the extended amount, if any.
    discount_percent: Option<Dec>,
    /// Amount off the extended amount, if any.
    discount_amount: Option<Dec>,
    /// Taxes as ``(code, rate)``.
    taxes: Vec<(String, Dec)>,
}

const LINE_FIELDS: &[&str] = &[
    "description",
    "quantity",
    "unit_price",
    "discount_percent",
    "discount_amount",
    "taxes",
];

impl Line {
    /// The core's line.
    pub fn to_core(&self) -> InvoiceLine {
        InvoiceLine {
            description: self.description.clone(),
            quantity: self.quantity.0,
            unit_price: self.unit_price.0,
            discount: match (self.discount_percent, self.discount_amount) {
                (Some(Dec(percent)), _) => Some(LineDiscount::Percent { percent }),
                (None, Some(Dec(amount))) => Some(LineDiscount::Amount { amount }),
                (None, None) => None,
            },
            taxes: self
                .taxes
                .iter()
                .map(|(code, rate)| Tax {
                    code: code.clone(),
                    rate: rate.0,
                })
                .collect(),
        }
    }
}

#[pymethods]
impl Line {
    #[new]
    #[pyo3(
        signature = (description, quantity, unit_price, *, discount_percent = None, discount_amount = None, taxes = None),
        text_signature = "(description, quantity, unit_price, *, discount_percent=None, discount_amount=None, taxes=())"
    )]
    fn new(
        description: &Bound<'_, PyAny>,
        quantity: &Bound<'_, PyAny>,
        unit_price: &Bound<'_, PyAny>,
        discount_percent: Option<&Bound<'_, PyAny>>,
        discount_amount: Option<&Bound<'_, PyAny>>,
        taxes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let discount_percent = conv::opt_decimal("discount_percent", discount_percent)?;
        let discount_amount = conv::opt_decimal("discount_amount", discount_amount)?;
        if discount_percent.is_some() && discount_amount.is_some() {
            return fail(ar_core::Error::InvalidValue {
                field: "discount_amount".into(),
                value: discount_amount.map(|d| d.to_string()).unwrap_or_default(),
                reason: "give discount_percent or discount_amount, not both".into(),
            });
        }
        let mut pairs = Vec::new();
        if let Some(taxes) = conv::given(taxes) {
            for (i, pair) in conv::items("taxes", "list of (code, rate)", taxes)?
                .iter()
                .enumerate()
            {
                let field = format!("taxes[{i}]");
                let parts = conv::items(&field, "(code, rate)", pair)?;
                let [code, rate] = parts.as_slice() else {
                    return conv::wrong_type(&field, "(code, rate)", pair);
                };
                pairs.push((
                    conv::text(&format!("{field}.code"), code)?,
                    Dec(conv::decimal(&format!("{field}.rate"), rate)?),
                ));
            }
        }
        Ok(Line {
            description: conv::text("description", description)?,
            quantity: Dec(conv::decimal("quantity", quantity)?),
            unit_price: Dec(conv::decimal("unit_price", unit_price)?),
            discount_percent: discount_percent.map(Dec),
            discount_amount: discount_amount.map(Dec),
            taxes: pairs,
        })
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        record::repr(slf.as_any(), "Line", LINE_FIELDS)
    }

    /// The fields as a dict.
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        record::to_dict(slf.as_any(), LINE_FIELDS)
    }
}

/// A list of ``ar.Line`` as the core's lines.
pub fn lines(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<Vec<InvoiceLine>> {
    conv::items(field, "list of ar.Line", obj)?
        .iter()
        .enumerate()
        .map(|(i, l)| match l.cast::<Line>() {
            Ok(line) => Ok(line.get().to_core()),
            Err(_) => conv::wrong_type(&format!("{field}[{i}]"), "ar.Line", l),
        })
        .collect()
}

/// Amounts of one line after discount and tax: ``net + tax == gross``.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct LineTotals {
    /// Amount before tax.
    net: Dec,
    /// Tax on the line.
    tax: Dec,
    /// Net plus tax.
    gross: Dec,
}

const LINE_TOTALS_FIELDS: &[&str] = &["net", "tax", "gross"];

impl From<&ar_core::LineTotals> for LineTotals {
    fn from(t: &ar_core::LineTotals) -> Self {
        LineTotals {
            net: Dec(t.net),
            tax: Dec(t.tax),
            gross: Dec(t.gross),
        }
    }
}

#[pymethods]
impl LineTotals {
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        record::repr(slf.as_any(), "LineTotals", LINE_TOTALS_FIELDS)
    }

    /// The fields as a dict.
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        record::to_dict(slf.as_any(), LINE_TOTALS_FIELDS)
    }
}

/// Tax collected under one code: its ``rate`` (percent), the ``taxable`` net
/// amount and the ``tax``.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct TaxTotal {
    /// Tax code.
    code: String,
    /// Rate in percent.
    rate: Dec,
    /// Net amount the tax applies to.
    taxable: Dec,
    /// Tax amount.
    tax: Dec,
}

const TAX_TOTAL_FIELDS: &[&str] = &["code", "rate", "taxable", "tax"];

impl From<&ar_core::TaxTotal> for TaxTotal {
    fn from(t: &ar_core::TaxTotal) -> Self {
        TaxTotal {
            code: t.code.clone(),
            rate: Dec(t.rate),
            taxable: Dec(t.taxable),
            tax: Dec(t.tax),
        }
    }
}

#[pymethods]
impl TaxTotal {
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        record::repr(slf.as_any(), "TaxTotal", TAX_TOTAL_FIELDS)
    }

    /// The fields as a dict.
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        record::to_dict(slf.as_any(), TAX_TOTAL_FIELDS)
    }
}

/// Totals of an invoice: per line, per tax code, and ``net + tax == total``.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct InvoiceTotals {
    /// Per line, in line order.
    lines: Vec<LineTotals>,
    /// Per tax code, in code order.
    taxes: Vec<TaxTotal>,
    /// Sum of line nets.
    net: Dec,
    /// Sum of line taxes.
    tax: Dec,
    /// Sum of line grosses: the amount receivable.
    total: Dec,
}

const INVOICE_TOTALS_FIELDS: &[&str] = &["lines", "taxes", "net", "tax", "total"];

impl From<&ar_core::InvoiceTotals> for InvoiceTotals {
    fn from(t: &ar_core::InvoiceTotals) -> Self {
        InvoiceTotals {
            lines: t.lines.iter().map(LineTotals::from).collect(),
            taxes: t.taxes.iter().map(TaxTotal::from).collect(),
            net: Dec(t.net),
            tax: Dec(t.tax),
            total: Dec(t.total),
        }
    }
}

#[pymethods]
impl InvoiceTotals {
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        record::repr(slf.as_any(), "InvoiceTotals", INVOICE_TOTALS_FIELDS)
    }

    /// The fields as a dict (lines and taxes as dicts too).
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        record::to_dict(slf.as_any(), INVOICE_TOTALS_FIELDS)
    }
}

/// Line and document totals of ``lines`` (a list of ``ar.Line``) in
/// ``currency``: tax exclusive or inclusive, rounded per line or per document,
/// by ``rounding``.
#[pyfunction]
#[pyo3(
    signature = (lines, currency, *, tax_mode = None, tax_rounding = None, rounding = None),
    text_signature = "(lines, currency, *, tax_mode='exclusive', tax_rounding='per_line', rounding='half_away_from_zero')"
)]
pub fn compute_totals(
    lines: &Bound<'_, PyAny>,
    currency: &Bound<'_, PyAny>,
    tax_mode: Option<&Bound<'_, PyAny>>,
    tax_rounding: Option<&Bound<'_, PyAny>>,
    rounding: Option<&Bound<'_, PyAny>>,
) -> PyResult<InvoiceTotals> {
    let lines = self::lines("lines", lines)?;
    let currency = conv::currency("currency", currency)?;
    let mode = conv::given(tax_mode)
        .map(|m| conv::tax_mode("tax_mode", m))
        .transpose()?
        .unwrap_or_default();
    let tax_rounding = conv::given(tax_rounding)
        .map(|r| conv::tax_rounding("tax_rounding", r))
        .transpose()?
        .unwrap_or_default();
    let policy = conv::given(rounding)
        .map(|r| conv::rounding("rounding", r))
        .transpose()?
        .unwrap_or_default();
    let totals = guard(|| ar_core::compute_totals(&lines, currency, mode, tax_rounding, policy))?;
    Ok(InvoiceTotals::from(&totals))
}
