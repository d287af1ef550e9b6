//! Invoice lines, taxes and totals that reconcile to the cent.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::heap::{deep, map, sum, vec, Heap};
use crate::limits::{
    check_count, check_len, MAX_KEY_LEN, MAX_LINES, MAX_TAXES_PER_LINE, MAX_TEXT_LEN,
};
use crate::money::{allocate, at_scale, check_minor_units, OrOverflow, RoundingPolicy};

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
#[non_exhaustive]
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
#[non_exhaustive]
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
    totals_with_base_cut(lines, currency, mode, rounding, policy, None)
}

/// [`compute_totals`] with tax charged on each line's net less `base_cut`
/// percent, for a mixed early-payment discount
/// ([`crate::DiscountBase::Mixed`]): the tax base is reduced at invoicing
/// whether or not the discount is taken. Prices must be net of tax.
pub(crate) fn totals_with_base_cut(
    lines: &[InvoiceLine],
    currency: Currency,
    mode: TaxMode,
    rounding: TaxRounding,
    policy: RoundingPolicy,
    base_cut: Option<Decimal>,
) -> Result<InvoiceTotals> {
    // The share of each net that is taxed: 1, or 1 - base_cut / 100.
    let taxed_share = match base_cut {
        None => Decimal::ONE,
        Some(p) => Decimal::ONE_HUNDRED
            .checked_sub(p)
            .and_then(|k| k.checked_div(Decimal::ONE_HUNDRED))
            .or_overflow("terms.discount.percent")?,
    };
    if lines.is_empty() {
        return Err(Error::invalid_value(
            "lines",
            "[]",
            "an invoice needs at least one line",
        ));
    }
    check_count("lines", lines.len(), MAX_LINES)?;
    let minor = currency.minor_units();
    let hundred = Decimal::ONE_HUNDRED;
    // Stated amount of each line: net when exclusive, gross when inclusive.
    let mut amounts = Vec::with_capacity(lines.len());
    // Each tax code with its rate and its position in `codes`, checked to be
    // consistent across lines.
    let mut rates: BTreeMap<&str, (Decimal, usize)> = BTreeMap::new();
    // (line, code position, unrounded tax contribution)
    let mut contributions: Vec<(usize, usize, Decimal)> = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let field = |f: &str| format!("lines[{i}].{f}");
        check_len(&field("description"), &line.description, MAX_TEXT_LEN)?;
        check_count(&field("taxes"), line.taxes.len(), MAX_TAXES_PER_LINE)?;
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
            .or_overflow(&field("unit_price"))?;
        let amount = match line.discount {
            None => policy.round_checked(&field("unit_price"), extended, minor)?,
            Some(LineDiscount::Percent { percent }) => {
                if percent.is_sign_negative() || percent > hundred {
                    return Err(Error::invalid_value(
                        &field("discount.percent"),
                        percent,
                        "must be from 0 to 100",
                    ));
                }
                let kept = hundred
                    .checked_sub(percent)
                    .and_then(|k| extended.checked_mul(k))
                    .and_then(|k| k.checked_div(hundred))
                    .or_overflow(&field("discount.percent"))?;
                policy.round_checked(&field("discount.percent"), kept, minor)?
            }
            Some(LineDiscount::Amount { amount }) => {
                let amount = check_minor_units(&field("discount.amount"), amount, currency)?;
                let rounded = policy.round_checked(&field("unit_price"), extended, minor)?;
                if amount.is_sign_negative() || amount > rounded {
                    return Err(Error::invalid_value(
                        &field("discount.amount"),
                        amount,
                        "must be from 0 to the extended amount",
                    ));
                }
                rounded
                    .checked_sub(amount)
                    .or_overflow(&field("discount.amount"))?
            }
        };
        let mut total_rate = Decimal::ZERO;
        for (k, tax) in line.taxes.iter().enumerate() {
            let field = |f: &str| field(&format!("taxes[{k}].{f}"));
            if tax.rate.is_sign_negative() || tax.rate > hundred {
                return Err(Error::invalid_value(
                    &field("rate"),
                    tax.rate,
                    "must be from 0 to 100",
                ));
            }
            if tax.code.is_empty() {
                return Err(Error::invalid_value(
                    &field("code"),
                    "",
                    "must not be empty",
                ));
            }
            check_len(&field("code"), &tax.code, MAX_KEY_LEN)?;
            // At most MAX_TAXES_PER_LINE taxes: a scan of the earlier ones
            // is bounded.
            if line.taxes.iter().take(k).any(|t| t.code == tax.code) {
                return Err(Error::invalid_value(
                    &field("code"),
                    &tax.code,
                    "appears twice on the line",
                ));
            }
            let next = rates.len();
            let (rate, _) = *rates.entry(tax.code.as_str()).or_insert((tax.rate, next));
            if rate != tax.rate {
                return Err(Error::invalid_value(
                    &field("rate"),
                    tax.rate,
                    &format!("tax code {} already has rate {rate}", tax.code),
                ));
            }
            // Each rate is at most 100, and there are at most 16.
            total_rate = total_rate
                .checked_add(tax.rate)
                .or_overflow(&field("rate"))?;
        }
        let base = match mode {
            TaxMode::Exclusive => hundred,
            TaxMode::Inclusive => hundred
                .checked_add(total_rate)
                .or_overflow(&field("taxes"))?,
        };
        for tax in &line.taxes {
            let code = rates.get(tax.code.as_str()).map_or(0, |(_, at)| *at);
            // amount x rate / base, in that order: dividing first would
            // round the rate and could move a half cent.
            let share = amount
                .checked_mul(taxed_share)
                .and_then(|t| t.checked_mul(tax.rate))
                .and_then(|t| t.checked_div(base))
                .or_overflow(&field("taxes"))?;
            contributions.push((i, code, share));
        }
        amounts.push(amount);
    }

    // Codes in code order; `order[k]` is the sorted place of the code first
    // seen k-th.
    let sorted: Vec<(&str, Decimal, usize)> = rates
        .iter()
        .map(|(code, (rate, at))| (*code, *rate, *at))
        .collect();
    let mut order = vec![0usize; sorted.len()];
    for (place, (_, _, at)) in sorted.iter().enumerate() {
        if let Some(o) = order.get_mut(*at) {
            *o = place;
        }
    }
    let place = |at: usize| order.get(at).copied().unwrap_or(0);
    let mut line_tax = vec![Decimal::ZERO; lines.len()];
    // Tax per code, in code order.
    let mut code_tax = vec![Decimal::ZERO; sorted.len()];
    let add = |sum: &mut Decimal, t: Decimal| -> Result<()> {
        *sum = sum.checked_add(t).or_overflow("lines")?;
        Ok(())
    };
    match rounding {
        TaxRounding::PerLine => {
            for (i, code, c) in &contributions {
                let t = policy.round_checked("lines", *c, minor)?;
                if let Some(lt) = line_tax.get_mut(*i) {
                    add(lt, t)?;
                }
                if let Some(ct) = code_tax.get_mut(place(*code)) {
                    add(ct, t)?;
                }
            }
        }
        TaxRounding::PerDocument => {
            // The contributions of each code, grouped in one pass (line
            // order kept within a code).
            let mut by_code: Vec<Vec<(usize, Decimal)>> = vec![Vec::new(); sorted.len()];
            for (i, code, c) in &contributions {
                if let Some(parts) = by_code.get_mut(place(*code)) {
                    parts.push((*i, *c));
                }
            }
            for (parts, ct) in by_code.iter().zip(code_tax.iter_mut()) {
                let mut exact = Decimal::ZERO;
                for (_, c) in parts {
                    add(&mut exact, *c)?;
                }
                let rounded = policy.round_checked("lines", exact, minor)?;
                *ct = rounded;
                let weights: Vec<Decimal> =
                    parts.iter().map(|(_, c)| c.round_dp(WEIGHT_DP)).collect();
                if weights.iter().all(|w| w.is_zero()) {
                    continue;
                }
                let spread = allocate(rounded, &weights, minor)?;
                for ((i, _), t) in parts.iter().zip(spread) {
                    if let Some(lt) = line_tax.get_mut(*i) {
                        add(lt, t)?;
                    }
                }
            }
        }
    }

    let mut out_lines = Vec::with_capacity(lines.len());
    for (amount, tax) in amounts.iter().zip(&line_tax) {
        let (net, gross) = match mode {
            TaxMode::Exclusive => (*amount, amount.checked_add(*tax).or_overflow("lines")?),
            TaxMode::Inclusive => (amount.checked_sub(*tax).or_overflow("lines")?, *amount),
        };
        out_lines.push(LineTotals {
            net: at_scale("lines", net, minor)?,
            tax: at_scale("lines", *tax, minor)?,
            gross: at_scale("lines", gross, minor)?,
        });
    }
    // Net taxed under each code, summed in line order (codes are unique
    // within a line).
    let mut taxable = vec![Decimal::ZERO; sorted.len()];
    for (line, totals) in lines.iter().zip(&out_lines) {
        for t in &line.taxes {
            let at = rates.get(t.code.as_str()).map_or(0, |(_, at)| *at);
            if let Some(sum) = taxable.get_mut(place(at)) {
                add(sum, totals.net)?;
            }
        }
    }
    // With a mixed discount, what is taxed is the net less the discount.
    if base_cut.is_some() {
        for t in &mut taxable {
            *t = policy.round_checked(
                "lines",
                t.checked_mul(taxed_share).or_overflow("lines")?,
                minor,
            )?;
        }
    }
    let mut taxes = Vec::with_capacity(sorted.len());
    for (((code, rate, _), tax), taxable) in sorted.iter().zip(code_tax).zip(taxable) {
        taxes.push(TaxTotal {
            code: (*code).to_owned(),
            rate: *rate,
            taxable: at_scale("lines", taxable, minor)?,
            tax: at_scale("lines", tax, minor)?,
        });
    }
    let (mut net, mut tax, mut total) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for l in &out_lines {
        add(&mut net, l.net)?;
        add(&mut tax, l.tax)?;
        add(&mut total, l.gross)?;
    }
    Ok(InvoiceTotals {
        lines: out_lines,
        taxes,
        net: at_scale("lines", net, minor)?,
        tax: at_scale("lines", tax, minor)?,
        total: at_scale("lines", total, minor)?,
    })
}

impl Heap for InvoiceLine {
    fn heap(&self) -> usize {
        sum([self.description.capacity(), deep(&self.taxes)])
    }
}

impl Heap for Tax {
    fn heap(&self) -> usize {
        self.code.capacity()
    }
}

impl Heap for TaxTotal {
    fn heap(&self) -> usize {
        self.code.capacity()
    }
}

/// How an early-payment discount taken on an invoice splits into net and
/// tax: what an EU seller books to adjust VAT when a customer takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DiscountSplit {
    /// The discount.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
    /// Its net part.
    #[serde(with = "crate::serde_decimal")]
    pub net: Decimal,
    /// Its tax part (zero for a discount of the untaxed amount).
    #[serde(with = "crate::serde_decimal")]
    pub tax: Decimal,
    /// Per tax code, in code order: the taxable base and the tax it
    /// reduces.
    pub taxes: Vec<TaxTotal>,
}

impl Invoice {
    /// How `discount`, taken on installment `installment` (1-based), splits
    /// into net and tax, by the base of that installment's discount
    /// ([`crate::DiscountBase`]): a discount of the total reduces net and tax
    /// in proportion to the invoice's (tax part = discount x tax / total,
    /// rounded once by the invoice's policy, and spread over the tax codes
    /// by their tax, largest remainder first); a discount of the untaxed
    /// amount, or a mixed one, reduces only the net. Each code's taxable
    /// base is reduced by the net part times its share of the net, rounded
    /// once.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for an installment the invoice does not have;
    /// [`Error::InvalidAmount`] for a discount that is negative or more than
    /// the invoice's total; [`Error::TooManyDecimals`]; [`Error::Overflow`].
    ///
    /// # Example
    /// ```
    /// use ar_core::*;
    /// use rust_decimal::Decimal;
    /// let usd = Currency::new("USD").unwrap();
    /// // 1,000.00 net + 15 % tax = 1,150.00; 10 % of the total is 115.00,
    /// // of which 15.00 is tax (Odoo's "included" computation).
    /// let line = InvoiceLine::new("x", Decimal::ONE, Decimal::new(100000, 2)).with_tax("T15", Decimal::from(15));
    /// let totals = compute_totals(&[line.clone()], usd, TaxMode::Exclusive, TaxRounding::PerLine, RoundingPolicy::default()).unwrap();
    /// let invoice = Invoice::from_totals(InvoiceId::new("I").unwrap(), CustomerId::new("C").unwrap(), "2026-01-01".parse().unwrap(), usd, vec![line], totals, PaymentTerms::net(30)).unwrap();
    /// let split = invoice.discount_split(1, Decimal::new(11500, 2)).unwrap();
    /// assert_eq!((split.net.to_string(), split.tax.to_string()), ("100.00".into(), "15.00".into()));
    /// ```
    pub fn discount_split(&self, installment: u32, discount: Decimal) -> Result<DiscountSplit> {
        let currency = self.currency;
        let inst = usize::try_from(installment)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| self.installments.get(i))
            .ok_or_else(|| {
                Error::invalid_value(
                    "installment",
                    installment,
                    &format!(
                        "invoice {} has installments 1 to {}",
                        self.id,
                        self.installments.len()
                    ),
                )
            })?;
        let discount = check_minor_units("discount", discount, currency)?;
        let t = &self.totals;
        if discount.is_sign_negative() || discount > t.total {
            return Err(Error::invalid_amount(
                "discount",
                discount,
                "must be from zero to the invoice's total",
            ));
        }
        let base = inst.discount.map(|d| d.base).unwrap_or_default();
        self.split(discount, base)
    }

    /// How `amount` of the invoice (a credit of part of it, say) splits
    /// into net and tax in proportion to the invoice's own: tax part =
    /// amount x tax / total, rounded once, spread over the codes by their
    /// tax. As [`Invoice::discount_split`] of a discount of the total.
    ///
    /// # Errors
    /// [`Error::InvalidAmount`] for an amount that is negative or more than
    /// the invoice's total; [`Error::TooManyDecimals`]; [`Error::Overflow`].
    pub fn tax_split(&self, amount: Decimal) -> Result<DiscountSplit> {
        let amount = check_minor_units("amount", amount, self.currency)?;
        if amount.is_sign_negative() || amount > self.totals.total {
            return Err(Error::invalid_amount(
                "amount",
                amount,
                "must be from zero to the invoice's total",
            ));
        }
        self.split(amount, crate::terms::DiscountBase::Total)
    }

    fn split(&self, discount: Decimal, base: crate::terms::DiscountBase) -> Result<DiscountSplit> {
        let currency = self.currency;
        let minor = currency.minor_units();
        let t = &self.totals;
        let policy = self.rounding;
        let ratio = |x: Decimal, num: Decimal, den: Decimal| -> Result<Decimal> {
            if den.is_zero() {
                return Ok(Decimal::ZERO);
            }
            let exact = x
                .checked_mul(num)
                .and_then(|v| v.checked_div(den))
                .or_overflow("discount")?;
            policy.round_checked("discount", exact, minor)
        };
        let tax = match base {
            crate::terms::DiscountBase::Total => ratio(discount, t.tax, t.total)?,
            crate::terms::DiscountBase::Untaxed | crate::terms::DiscountBase::Mixed => {
                at_scale("discount", Decimal::ZERO, minor)?
            }
        };
        let net = at_scale(
            "discount",
            discount.checked_sub(tax).or_overflow("discount")?,
            minor,
        )?;
        let weights: Vec<Decimal> = t.taxes.iter().map(|c| c.tax).collect();
        let tax_parts = if tax.is_zero() || weights.iter().all(|w| w.is_zero()) {
            vec![at_scale("discount", Decimal::ZERO, minor)?; t.taxes.len()]
        } else {
            allocate(tax, &weights, minor)?
        };
        let mut taxes = Vec::with_capacity(t.taxes.len());
        for (code, tax) in t.taxes.iter().zip(tax_parts) {
            taxes.push(TaxTotal {
                code: code.code.clone(),
                rate: code.rate,
                taxable: ratio(net, code.taxable, t.net)?,
                tax,
            });
        }
        Ok(DiscountSplit {
            amount: discount,
            net,
            tax,
            taxes,
        })
    }

    /// An invoice of `lines` with their `totals` on `terms`, scheduled from
    /// its date; for computing with an invoice outside a ledger (a ledger
    /// makes its own when the invoice is issued).
    ///
    /// # Errors
    /// Those of [`crate::PaymentTerms::schedule_for`].
    pub fn from_totals(
        id: crate::id::InvoiceId,
        customer: crate::id::CustomerId,
        date: chrono::NaiveDate,
        currency: Currency,
        lines: Vec<InvoiceLine>,
        totals: InvoiceTotals,
        terms: crate::terms::PaymentTerms,
    ) -> Result<Invoice> {
        let policy = RoundingPolicy::default();
        let installments = terms.schedule_for(date, totals.net, totals.total, currency, policy)?;
        Ok(Invoice {
            id,
            customer,
            date,
            currency,
            lines,
            tax_mode: TaxMode::default(),
            tax_rounding: TaxRounding::default(),
            rounding: policy,
            terms,
            totals,
            installments,
            po_number: None,
            dimensions: BTreeMap::new(),
            draft: false,
            opening_open: None,
            charge: None,
        })
    }
}

impl Heap for Invoice {
    fn heap(&self) -> usize {
        sum([
            self.id.heap(),
            self.customer.heap(),
            deep(&self.lines),
            self.terms.heap(),
            vec(&self.totals.lines),
            deep(&self.totals.taxes),
            vec(&self.installments),
            self.po_number.heap(),
            map(&self.dimensions),
            self.charge.as_ref().map_or(0, Heap::heap),
        ])
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
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
    /// For an interest or fee note: what it charges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charge: Option<crate::collection_records::Charge>,
}
