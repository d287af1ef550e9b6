//! Invoice lines, taxes and totals that reconcile to the cent.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::money::{allocate, check_minor_units, RoundingPolicy};

/// A tax on a line: a code and its rate in percent (`20` for 20 %).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Tax {
    /// Tax code, e.g. `"VAT20"`; one rate per code within an invoice.
    pub code: String,
    /// Rate in percent, from 0 to 100.
    #[serde(with = "crate::serde_decimal")]
    pub rate: Decimal,
}

/// A discount on one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LineDiscount {
    /// A percentage off the extended amount (quantity x unit price).
    Percent {
        /// Percent, from 0 to 100.
        #[serde(with = "crate::serde_decimal")]
        percent: Decimal,
    },
    /// A fixed amount off the extended amount.
    Amount {
        /// Amount in the invoice currency.
        #[serde(with = "crate::serde_decimal")]
        amount: Decimal,
    },
}

/// One invoice line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InvoiceLine {
    /// Free description.
    #[serde(default)]
    pub description: String,
    /// Quantity, greater than zero.
    #[serde(with = "crate::serde_decimal")]
    pub quantity: Decimal,
    /// Price per unit, zero or more; any number of decimals.
    #[serde(with = "crate::serde_decimal")]
    pub unit_price: Decimal,
    /// Line discount, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<LineDiscount>,
    /// Taxes on the line (not compounded: each applies to the net amount).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub taxes: Vec<Tax>,
}

impl InvoiceLine {
    /// A line of `quantity` x `unit_price` with no discount and no tax.
    pub fn new(description: impl Into<String>, quantity: Decimal, unit_price: Decimal) -> Self {
        InvoiceLine {
            description: description.into(),
            quantity,
            unit_price,
            discount: None,
            taxes: Vec::new(),
        }
    }

    /// Adds a tax.
    pub fn with_tax(mut self, code: impl Into<String>, rate: Decimal) -> Self {
        self.taxes.push(Tax {
            code: code.into(),
            rate,
        });
        self
    }

    /// Sets the discount.
    pub fn with_discount(mut self, discount: LineDiscount) -> Self {
        self.discount = Some(discount);
        self
    }
}

/// Whether unit prices exclude or include tax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaxMode {
    /// Prices are net; tax is added on top.
    #[default]
    Exclusive,
    /// Prices are gross; tax is carved out of them.
    Inclusive,
}

/// Where tax is rounded to the minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaxRounding {
    /// Each line's tax is rounded, then summed.
    #[default]
    PerLine,
    /// Tax is summed per code at full precision and rounded once per code;
    /// the rounded amount is then spread back over the lines exactly.
    PerDocument,
}

/// Amounts of one line after discount and tax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LineTotals {
    /// Amount before tax.
    #[serde(with = "crate::serde_decimal")]
    pub net: Decimal,
    /// Tax on the line.
    #[serde(with = "crate::serde_decimal")]
    pub tax: Decimal,
    /// Net plus tax.
    #[serde(with = "crate::serde_decimal")]
    pub gross: Decimal,
}

/// Tax collected under one code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TaxTotal {
    /// Tax code.
    pub code: String,
    /// Rate in percent.
    #[serde(with = "crate::serde_decimal")]
    pub rate: Decimal,
    /// Net amount the tax applies to.
    #[serde(with = "crate::serde_decimal")]
    pub taxable: Decimal,
    /// Tax amount.
    #[serde(with = "crate::serde_decimal")]
    pub tax: Decimal,
}

/// Totals of an invoice. `net + tax == total`, and each is the exact sum of
/// the line amounts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InvoiceTotals {
    /// Per line, in line order.
    pub lines: Vec<LineTotals>,
    /// Per tax code, in code order.
    pub taxes: Vec<TaxTotal>,
    /// Sum of line nets.
    #[serde(with = "crate::serde_decimal")]
    pub net: Decimal,
    /// Sum of line taxes.
    #[serde(with = "crate::serde_decimal")]
    pub tax: Decimal,
    /// Sum of line grosses: the amount receivable.
    #[serde(with = "crate::serde_decimal")]
    pub total: Decimal,
}

// Precision kept for tax weights when spreading a document's tax over lines.
const WEIGHT_DP: u32 = 12;

/// Computes line and document totals.
///
/// # Example
/// ```
/// use ar_core::{compute_totals, Currency, InvoiceLine, RoundingPolicy, TaxMode, TaxRounding};
/// use rust_decimal::Decimal;
/// let usd = Currency::new("USD").unwrap();
/// // Three lines of 0.10 at 15 %: 0.015 tax each.
/// let lines = vec![InvoiceLine::new("x", Decimal::ONE, Decimal::new(10, 2)).with_tax("T", Decimal::new(15, 0)); 3];
/// let per_line = compute_totals(&lines, usd, TaxMode::Exclusive, TaxRounding::PerLine, RoundingPolicy::default()).unwrap();
/// let per_doc = compute_totals(&lines, usd, TaxMode::Exclusive, TaxRounding::PerDocument, RoundingPolicy::default()).unwrap();
/// assert_eq!(per_line.tax.to_string(), "0.06"); // 0.02 x 3
/// assert_eq!(per_doc.tax.to_string(), "0.05");  // round(0.045)
/// ```
///
/// # Errors
/// [`Error::InvalidValue`] for no lines, a quantity that is not positive, a
/// negative price, a discount or rate out of range, a tax code with two
/// rates; [`Error::TooManyDecimals`] for a discount amount finer than the
/// currency; [`Error::Overflow`].
pub fn compute_totals(
    lines: &[InvoiceLine],
    currency: Currency,
    mode: TaxMode,
    rounding: TaxRounding,
    policy: RoundingPolicy,
) -> Result<InvoiceTotals> {
    if lines.is_empty() {
        return Err(Error::invalid_value(
            "lines",
            "[]",
            "an invoice needs at least one line",
        ));
    }
    let minor = currency.minor_units();
    let hundred = Decimal::ONE_HUNDRED;
    // Stated amount of each line: net when exclusive, gross when inclusive.
    let mut amounts = Vec::with_capacity(lines.len());
    // Tax codes in code order with their rates, checked to be consistent
    // across lines. An invoice has few codes, so a sorted list beats a map.
    let mut rates: Vec<(&str, Decimal)> = Vec::new();
    // (line, code, unrounded tax contribution)
    let mut contributions: Vec<(usize, &str, Decimal)> = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let field = |f: &str| format!("lines[{i}].{f}");
        if line.quantity <= Decimal::ZERO {
            return Err(Error::invalid_value(
                &field("quantity"),
                line.quantity,
                "must be greater than zero",
            ));
        }
        if line.unit_price.is_sign_negative() && !line.unit_price.is_zero() {
            return Err(Error::invalid_value(
                &field("unit_price"),
                line.unit_price,
                "must not be negative",
            ));
        }
        let extended = line
            .quantity
            .checked_mul(line.unit_price)
            .ok_or_else(|| Error::overflow(&field("unit_price")))?;
        let amount = match line.discount {
            None => policy.round(extended, minor),
            Some(LineDiscount::Percent { percent }) => {
                if percent.is_sign_negative() || percent > hundred {
                    return Err(Error::invalid_value(
                        &field("discount.percent"),
                        percent,
                        "must be from 0 to 100",
                    ));
                }
                policy.round(extended * (hundred - percent) / hundred, minor)
            }
            Some(LineDiscount::Amount { amount }) => {
                let amount = check_minor_units(&field("discount.amount"), amount, currency)?;
                let rounded = policy.round(extended, minor);
                if amount.is_sign_negative() || amount > rounded {
                    return Err(Error::invalid_value(
                        &field("discount.amount"),
                        amount,
                        "must be from 0 to the extended amount",
                    ));
                }
                rounded - amount
            }
        };
        let mut total_rate = Decimal::ZERO;
        for (k, tax) in line.taxes.iter().enumerate() {
            if tax.rate.is_sign_negative() || tax.rate > hundred {
                return Err(Error::invalid_value(
                    &field(&format!("taxes[{k}].rate")),
                    tax.rate,
                    "must be from 0 to 100",
                ));
            }
            if tax.code.is_empty() {
                return Err(Error::invalid_value(
                    &field(&format!("taxes[{k}].code")),
                    "",
                    "must not be empty",
                ));
            }
            if line.taxes.iter().take(k).any(|t| t.code == tax.code) {
                return Err(Error::invalid_value(
                    &field(&format!("taxes[{k}].code")),
                    &tax.code,
                    "appears twice on the line",
                ));
            }
            match rates.binary_search_by(|(c, _)| (*c).cmp(tax.code.as_str())) {
                Ok(at) => {
                    if let Some((_, r)) = rates.get(at).filter(|(_, r)| *r != tax.rate) {
                        return Err(Error::invalid_value(
                            &field(&format!("taxes[{k}].rate")),
                            tax.rate,
                            &format!("tax code {} already has rate {r}", tax.code),
                        ));
                    }
                }
                Err(at) => rates.insert(at, (tax.code.as_str(), tax.rate)),
            }
            total_rate += tax.rate;
        }
        for tax in &line.taxes {
            let base = match mode {
                TaxMode::Exclusive => hundred,
                TaxMode::Inclusive => hundred + total_rate,
            };
            contributions.push((i, tax.code.as_str(), amount * tax.rate / base));
        }
        amounts.push(amount);
    }

    let code_at = |code: &str| rates.binary_search_by(|(c, _)| (*c).cmp(code)).ok();
    let mut line_tax = vec![Decimal::ZERO; lines.len()];
    // Tax per code, in the order of `rates`.
    let mut code_tax = vec![Decimal::ZERO; rates.len()];
    match rounding {
        TaxRounding::PerLine => {
            for (i, code, c) in &contributions {
                let t = policy.round(*c, minor);
                if let Some(lt) = line_tax.get_mut(*i) {
                    *lt += t;
                }
                if let Some(ct) = code_at(code).and_then(|k| code_tax.get_mut(k)) {
                    *ct += t;
                }
            }
        }
        TaxRounding::PerDocument => {
            for ((code, _), ct) in rates.iter().zip(code_tax.iter_mut()) {
                let parts: Vec<&(usize, &str, Decimal)> =
                    contributions.iter().filter(|(_, c, _)| c == code).collect();
                let exact: Decimal = parts.iter().map(|(_, _, c)| *c).sum();
                let rounded = policy.round(exact, minor);
                *ct = rounded;
                let weights: Vec<Decimal> = parts
                    .iter()
                    .map(|(_, _, c)| c.round_dp(WEIGHT_DP))
                    .collect();
                if weights.iter().all(|w| w.is_zero()) {
                    continue;
                }
                let spread = allocate(rounded, &weights, minor)?;
                for ((i, _, _), t) in parts.iter().zip(spread) {
                    if let Some(lt) = line_tax.get_mut(*i) {
                        *lt += t;
                    }
                }
            }
        }
    }

    let mut out_lines = Vec::with_capacity(lines.len());
    for (amount, tax) in amounts.iter().zip(&line_tax) {
        let (net, gross) = match mode {
            TaxMode::Exclusive => (*amount, *amount + *tax),
            TaxMode::Inclusive => (*amount - *tax, *amount),
        };
        out_lines.push(LineTotals {
            net: rescaled(net, minor),
            tax: rescaled(*tax, minor),
            gross: rescaled(gross, minor),
        });
    }
    // Net taxed under each code, summed in line order (codes are unique
    // within a line).
    let mut taxable = vec![Decimal::ZERO; rates.len()];
    for (line, totals) in lines.iter().zip(&out_lines) {
        for t in &line.taxes {
            if let Some(sum) = code_at(&t.code).and_then(|k| taxable.get_mut(k)) {
                *sum += totals.net;
            }
        }
    }
    let taxes = rates
        .iter()
        .zip(code_tax)
        .zip(taxable)
        .map(|(((code, rate), tax), taxable)| TaxTotal {
            code: (*code).to_owned(),
            rate: *rate,
            taxable: rescaled(taxable, minor),
            tax: rescaled(tax, minor),
        })
        .collect();
    let net = out_lines.iter().map(|l| l.net).sum();
    let tax = out_lines.iter().map(|l| l.tax).sum();
    let total = out_lines.iter().map(|l| l.gross).sum();
    Ok(InvoiceTotals {
        lines: out_lines,
        taxes,
        net: rescaled(net, minor),
        tax: rescaled(tax, minor),
        total: rescaled(total, minor),
    })
}

fn rescaled(mut d: Decimal, minor: u32) -> Decimal {
    d.rescale(minor);
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }
    fn usd() -> Currency {
        Currency::new("USD").unwrap()
    }
    fn line(q: &str, p: &str, rate: &str) -> InvoiceLine {
        InvoiceLine::new("item", d(q), d(p)).with_tax("VAT", d(rate))
    }

    #[test]
    fn per_line_and_per_document_differ_by_a_cent() {
        // Each line: 0.10 net, 15 % -> 0.015 tax.
        // Per line: round(0.015) = 0.02, three lines = 0.06.
        // Per document: 0.045 -> 0.05.
        let lines = vec![line("1", "0.10", "15"); 3];
        let pl = compute_totals(
            &lines,
            usd(),
            TaxMode::Exclusive,
            TaxRounding::PerLine,
            RoundingPolicy::default(),
        )
        .unwrap();
        let pd = compute_totals(
            &lines,
            usd(),
            TaxMode::Exclusive,
            TaxRounding::PerDocument,
            RoundingPolicy::default(),
        )
        .unwrap();
        assert_eq!(
            (pl.net, pl.tax, pl.total),
            (d("0.30"), d("0.06"), d("0.36"))
        );
        assert_eq!(
            (pd.net, pd.tax, pd.total),
            (d("0.30"), d("0.05"), d("0.35"))
        );
        // The document's 0.05 is spread back over the lines: 0.02 + 0.02 + 0.01.
        let spread: Vec<Decimal> = pd.lines.iter().map(|l| l.tax).collect();
        assert_eq!(spread, vec![d("0.02"), d("0.02"), d("0.01")]);
    }

    #[test]
    fn tax_inclusive_lines() {
        // 119.00 gross at 19 %: net = 100.00, tax = 19.00.
        // 10.00 gross at 19 %: tax = 10 * 19 / 119 = 1.5966.. -> 1.60, net 8.40.
        let lines = vec![line("1", "119.00", "19"), line("2", "5.00", "19")];
        let t = compute_totals(
            &lines,
            usd(),
            TaxMode::Inclusive,
            TaxRounding::PerLine,
            RoundingPolicy::default(),
        )
        .unwrap();
        assert_eq!(
            t.lines[0],
            LineTotals {
                net: d("100.00"),
                tax: d("19.00"),
                gross: d("119.00")
            }
        );
        assert_eq!(
            t.lines[1],
            LineTotals {
                net: d("8.40"),
                tax: d("1.60"),
                gross: d("10.00")
            }
        );
        assert_eq!(
            (t.net, t.tax, t.total),
            (d("108.40"), d("20.60"), d("129.00"))
        );
        assert_eq!(t.taxes[0].taxable, d("108.40"));
    }

    #[test]
    fn discounts() {
        // 3 x 19.99 = 59.97, 10 % off = 53.973 -> 53.97; tax 20 % = 10.794 -> 10.79.
        let l = line("3", "19.99", "20").with_discount(LineDiscount::Percent { percent: d("10") });
        let t = compute_totals(
            &[l],
            usd(),
            TaxMode::Exclusive,
            TaxRounding::PerLine,
            RoundingPolicy::default(),
        )
        .unwrap();
        assert_eq!(
            (t.net, t.tax, t.total),
            (d("53.97"), d("10.79"), d("64.76"))
        );
        let l = line("3", "19.99", "0").with_discount(LineDiscount::Amount { amount: d("9.97") });
        let t = compute_totals(
            &[l],
            usd(),
            TaxMode::Exclusive,
            TaxRounding::PerLine,
            RoundingPolicy::default(),
        )
        .unwrap();
        assert_eq!(t.total, d("50.00"));
    }

    #[test]
    fn jpy_and_kwd() {
        let jpy = Currency::new("JPY").unwrap();
        // 3 x 333 = 999 yen, 10 % tax = 99.9 -> 100.
        let t = compute_totals(
            &[line("3", "333", "10")],
            jpy,
            TaxMode::Exclusive,
            TaxRounding::PerLine,
            RoundingPolicy::default(),
        )
        .unwrap();
        assert_eq!((t.net, t.tax, t.total), (d("999"), d("100"), d("1099")));
        let kwd = Currency::new("KWD").unwrap();
        // 1.2345 x 1 = 1.2345 -> 1.235 (half away) ; 5 % tax = 0.06175 -> 0.062.
        let t = compute_totals(
            &[line("1", "1.2345", "5")],
            kwd,
            TaxMode::Exclusive,
            TaxRounding::PerLine,
            RoundingPolicy::default(),
        )
        .unwrap();
        assert_eq!(
            (t.net, t.tax, t.total),
            (d("1.235"), d("0.062"), d("1.297"))
        );
        let even = compute_totals(
            &[line("1", "1.2345", "5")],
            kwd,
            TaxMode::Exclusive,
            TaxRounding::PerLine,
            RoundingPolicy::HalfEven,
        )
        .unwrap();
        assert_eq!(even.net, d("1.234"));
    }

    #[test]
    fn bad_lines() {
        let code = |lines: &[InvoiceLine]| {
            compute_totals(
                lines,
                usd(),
                TaxMode::Exclusive,
                TaxRounding::PerLine,
                RoundingPolicy::default(),
            )
            .unwrap_err()
            .code()
        };
        assert_eq!(code(&[]), "invalid_value");
        assert_eq!(code(&[line("-1", "1", "0")]), "invalid_value");
        assert_eq!(code(&[line("1", "-1", "0")]), "invalid_value");
        assert_eq!(code(&[line("1", "1", "101")]), "invalid_value");
        assert_eq!(
            code(&[line("1", "1", "10"), line("1", "1", "20")]),
            "invalid_value"
        );
        let l = line("1", "1", "0").with_discount(LineDiscount::Amount { amount: d("0.001") });
        assert_eq!(code(&[l]), "too_many_decimals");
        let e = compute_totals(
            &[line("1", "-1", "0")],
            usd(),
            TaxMode::Exclusive,
            TaxRounding::PerLine,
            RoundingPolicy::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("lines[0].unit_price"), "{e}");
    }
}

/// An issued invoice: what was billed, its totals and its installments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    /// Unique id.
    pub id: crate::id::InvoiceId,
    /// Customer billed.
    pub customer: crate::id::CustomerId,
    /// Invoice date.
    pub date: chrono::NaiveDate,
    /// Currency.
    pub currency: Currency,
    /// Lines (empty for an imported opening balance).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<InvoiceLine>,
    /// Whether prices exclude or include tax.
    #[serde(default)]
    pub tax_mode: TaxMode,
    /// Where tax was rounded.
    #[serde(default)]
    pub tax_rounding: TaxRounding,
    /// Rounding policy used.
    #[serde(default)]
    pub rounding: RoundingPolicy,
    /// Terms the schedule was computed from.
    pub terms: crate::terms::PaymentTerms,
    /// Totals.
    pub totals: InvoiceTotals,
    /// Installments; one for single-due terms.
    pub installments: Vec<crate::terms::ScheduledInstallment>,
    /// Customer's purchase-order number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub po_number: Option<String>,
    /// Free dimensions.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dimensions: BTreeMap<String, String>,
    /// Saved as a draft (receivable only once finalized).
    #[serde(default)]
    pub draft: bool,
    /// For an imported opening balance: what was open when imported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::serde_decimal::option")]
    pub opening_open: Option<Decimal>,
}
