//! Invoice lines, taxes and totals.

use ar_core::{Currency, InvoiceLine, LineDiscount, Tax};
use napi::bindgen_prelude::Unknown;
use napi::Env;
use napi_derive::napi;

use ar_core::limits;

use crate::read::from_js_object;

use crate::conv::{self, DecimalInput};
use crate::errors::guard;

/// Whether unit prices exclude tax (`exclusive`, the default: tax is added on
/// top) or include it (`inclusive`: tax is carved out of them).
#[napi(string_enum = "snake_case")]
pub enum TaxMode {
    /// Prices are net; tax is added on top.
    Exclusive,
    /// Prices are gross; tax is carved out of them.
    Inclusive,
}

/// Where tax is rounded: `per_line` (the default: each line's tax is rounded,
/// then summed) or `per_document` (summed per tax code at full precision,
/// rounded once per code, then spread back over the lines exactly).
#[napi(string_enum = "snake_case")]
pub enum TaxRounding {
    /// Each line's tax is rounded, then summed.
    PerLine,
    /// Rounded once per tax code, then spread back over the lines.
    PerDocument,
}

impl From<ar_core::TaxMode> for TaxMode {
    fn from(mode: ar_core::TaxMode) -> Self {
        match mode {
            ar_core::TaxMode::Exclusive => TaxMode::Exclusive,
            ar_core::TaxMode::Inclusive => TaxMode::Inclusive,
        }
    }
}

impl From<ar_core::TaxRounding> for TaxRounding {
    fn from(rounding: ar_core::TaxRounding) -> Self {
        match rounding {
            ar_core::TaxRounding::PerLine => TaxRounding::PerLine,
            ar_core::TaxRounding::PerDocument => TaxRounding::PerDocument,
        }
    }
}

/// A tax on a line: a code and its rate in percent.
#[napi(object, object_from_js = false)]
pub struct LineTax {
    /// Tax code, e.g. `"VAT19"`; one rate per code within an invoice.
    pub code: String,
    /// Rate in percent, from `"0"` to `"100"` (`"19"` is 19 %).
    #[napi(ts_type = "string")]
    pub rate: DecimalInput,
}

from_js_object!(
    LineTax,
    code: "code",
    rate: "rate",
);

/// One invoice line: `quantity` x `unitPrice`, less a discount, plus taxes.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct Line {
    /// Free description; `""` when absent.
    pub description: Option<String>,
    /// Quantity, a decimal string greater than zero (`"3"`, `"1.5"`).
    #[napi(ts_type = "string")]
    pub quantity: DecimalInput,
    /// Price per unit, zero or more, any number of decimals (`"59.50"`).
    #[napi(ts_type = "string")]
    pub unit_price: DecimalInput,
    /// Discount in percent of the extended amount, from `"0"` to `"100"`.
    /// At most one of `discountPercent` and `discountAmount`.
    #[napi(ts_type = "string")]
    pub discount_percent: Option<DecimalInput>,
    /// Discount as an amount in the invoice currency, at most the extended
    /// amount and at the currency's minor unit.
    #[napi(ts_type = "string")]
    pub discount_amount: Option<DecimalInput>,
    /// Taxes on the line (not compounded: each applies to the net amount).
    pub taxes: Option<Vec<LineTax>>,
}

from_js_object!(
    Line,
    description: "description",
    quantity: "quantity",
    unit_price: "unitPrice",
    discount_percent: "discountPercent",
    discount_amount: "discountAmount",
    taxes: "taxes" max limits::MAX_TAXES_PER_LINE,
);

/// Amounts of one line after discount and tax.
#[napi(object, object_from_js = false)]
pub struct LineTotals {
    /// Amount before tax.
    pub net: String,
    /// Tax on the line.
    pub tax: String,
    /// Net plus tax.
    pub gross: String,
}

/// Tax collected under one code.
#[napi(object, object_from_js = false)]
pub struct TaxTotal {
    /// Tax code.
    pub code: String,
    /// Rate in percent.
    pub rate: String,
    /// Net amount the tax applies to.
    pub taxable: String,
    /// Tax amount.
    pub tax: String,
}

/// Totals of an invoice: `net + tax == total`, each the exact sum of the line
/// amounts. All amounts at the currency's minor unit.
#[napi(object, object_from_js = false)]
pub struct InvoiceTotals {
    /// Per line, in line order.
    pub lines: Vec<LineTotals>,
    /// Per tax code, in code order.
    pub taxes: Vec<TaxTotal>,
    /// Sum of line nets.
    pub net: String,
    /// Sum of line taxes.
    pub tax: String,
    /// Sum of line grosses: the amount receivable.
    pub total: String,
}

/// The argument of `computeTotals`.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct ComputeTotalsOptions {
    /// The lines, at least one.
    pub lines: Vec<Line>,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Default `exclusive`.
    #[napi(ts_type = "TaxMode")]
    pub tax_mode: Option<String>,
    /// Default `per_line`.
    #[napi(ts_type = "TaxRounding")]
    pub tax_rounding: Option<String>,
    /// Default `half_away_from_zero`.
    #[napi(ts_type = "RoundingPolicy")]
    pub rounding: Option<String>,
}

from_js_object!(
    ComputeTotalsOptions,
    lines: "lines" max limits::MAX_LINES,
    currency: "currency",
    tax_mode: "taxMode",
    tax_rounding: "taxRounding",
    rounding: "rounding",
);

/// Computes line and document totals without a ledger.
///
/// Three lines of `"0.10"` at 15 %: tax `"0.06"` per line (0.015 rounds to
/// 0.02 three times) but `"0.05"` per document (0.045 rounds once).
///
/// Errors: `invalid_value` (no lines, a quantity that is not positive, a
/// negative price, a discount or rate out of range, a tax code with two rates,
/// both discounts on one line, unknown enum names), `too_many_decimals` (a
/// discount amount finer than the currency), `invalid_type`,
/// `invalid_decimal`, `invalid_currency`, `overflow`.
#[napi(ts_args_type = "options: ComputeTotalsOptions")]
pub fn compute_totals(env: Env, options: Unknown<'_>) -> napi::Result<InvoiceTotals> {
    guard(&env, || {
        let o: ComputeTotalsOptions =
            conv::options(&env, options, "options", "ComputeTotalsOptions")?;
        let currency = conv::currency("currency", &o.currency)?;
        let lines = lines(&o.lines)?;
        let totals = ar_core::compute_totals(
            &lines,
            currency,
            conv::tax_mode("taxMode", o.tax_mode.as_deref())?,
            conv::tax_rounding("taxRounding", o.tax_rounding.as_deref())?,
            conv::rounding("rounding", o.rounding.as_deref())?,
        )?;
        Ok(totals_out(&totals, currency))
    })
}

/// Converts input lines, naming `lines[i].field` in errors.
pub fn lines(lines: &[Line]) -> ar_core::Result<Vec<InvoiceLine>> {
    lines.iter().enumerate().map(|(i, l)| line(i, l)).collect()
}

fn line(i: usize, l: &Line) -> ar_core::Result<InvoiceLine> {
    let field = |f: &str| format!("lines[{i}].{f}");
    let mut out = InvoiceLine::new(
        l.description.clone().unwrap_or_default(),
        conv::decimal(&field("quantity"), &l.quantity)?,
        conv::decimal(&field("unitPrice"), &l.unit_price)?,
    );
    let percent = conv::opt_decimal(&field("discountPercent"), l.discount_percent.as_ref())?;
    let amount = conv::opt_decimal(&field("discountAmount"), l.discount_amount.as_ref())?;
    out.discount = match (percent, amount) {
        (None, None) => None,
        (Some(percent), None) => Some(LineDiscount::Percent { percent }),
        (None, Some(amount)) => Some(LineDiscount::Amount { amount }),
        (Some(_), Some(amount)) => {
            return Err(ar_core::Error::InvalidValue {
                field: field("discountAmount"),
                value: amount.to_string(),
                reason: "give at most one of discountPercent and discountAmount".to_owned(),
            })
        }
    };
    for (k, tax) in l.taxes.iter().flatten().enumerate() {
        out.taxes.push(Tax {
            code: tax.code.clone(),
            rate: conv::decimal(&field(&format!("taxes[{k}].rate")), &tax.rate)?,
        });
    }
    Ok(out)
}

/// Totals for output.
pub fn totals_out(t: &ar_core::InvoiceTotals, currency: Currency) -> InvoiceTotals {
    InvoiceTotals {
        lines: t.lines.iter().map(|l| line_totals(l, currency)).collect(),
        taxes: t
            .taxes
            .iter()
            .map(|x| TaxTotal {
                code: x.code.clone(),
                rate: conv::decimal_out(x.rate),
                taxable: conv::money(x.taxable, currency),
                tax: conv::money(x.tax, currency),
            })
            .collect(),
        net: conv::money(t.net, currency),
        tax: conv::money(t.tax, currency),
        total: conv::money(t.total, currency),
    }
}

/// One line's totals for output.
pub fn line_totals(l: &ar_core::LineTotals, currency: Currency) -> LineTotals {
    LineTotals {
        net: conv::money(l.net, currency),
        tax: conv::money(l.tax, currency),
        gross: conv::money(l.gross, currency),
    }
}
