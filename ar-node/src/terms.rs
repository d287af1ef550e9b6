//! Payment terms: the shorthand strings, the `Terms` object and schedules.

use ar_core::DiscountBase as CoreBase;
use ar_core::{Currency, DueRule, EarlyDiscount, Error, InstallmentTerm as CoreInstallment};
use ar_core::{PaymentTerms, Portion};
use napi::bindgen_prelude::{Either, Unknown};
use napi::Env;
use napi_derive::napi;

use ar_core::limits;

use crate::read::from_js_object;

use crate::conv::{self, DecimalInput};
use crate::errors::guard;

/// Payment terms as an object, when the shorthand string is not enough.
///
/// Either single-due terms, `{due: "net 30", discountPercent?: "2",
/// discountDays?: 10}`, or an installment schedule, `{installments: [...]}`;
/// never both. A discount is `discountPercent` or `discountAmount` (a fixed
/// amount), with `discountDays`, of `discountBase` (default `total`).
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct Terms {
    /// When the invoice falls due: `"net 30"`, `"EOM + 15"`, `"EOM + 1
    /// month"`, `"day 10 of next month"`, `"net 30, day 10 of next month"`,
    /// `"net 31 on day 15"`, `"due on receipt"`.
    pub due: Option<String>,
    /// Early-payment discount in percent (`"2"` is 2 %), greater than 0 and
    /// less than 100; requires `discountDays`.
    #[napi(ts_type = "string")]
    pub discount_percent: Option<DecimalInput>,
    /// Early-payment discount as a fixed amount (`"50.00"`), instead of a
    /// percent; requires `discountDays`.
    #[napi(ts_type = "string")]
    pub discount_amount: Option<DecimalInput>,
    /// Days after the invoice date during which the discount may be taken;
    /// requires `discountPercent` or `discountAmount`.
    pub discount_days: Option<f64>,
    /// What a percent discount is taken of: `total` (default), `untaxed`, or
    /// `mixed` (untaxed, and tax charged on the net less the discount).
    #[napi(ts_type = "DiscountBase")]
    pub discount_base: Option<String>,
    /// An installment schedule, at least one installment.
    pub installments: Option<Vec<InstallmentTerm>>,
}

from_js_object!(
    Terms,
    due: "due",
    discount_percent: "discountPercent",
    discount_amount: "discountAmount",
    discount_days: "discountDays",
    discount_base: "discountBase",
    installments: "installments" max limits::MAX_INSTALLMENTS,
);

/// One installment of a schedule. Its size is `percent` of the total, a fixed
/// `amount`, or with `remainder: true` (last installment only) what the others
/// leave; with none of them, an equal share of what the percent and fixed
/// installments leave (split exactly, earlier installments taking any extra
/// minor unit).
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct InstallmentTerm {
    /// When it falls due, counted from the invoice date: a due rule as in
    /// `Terms.due`.
    pub due: String,
    /// Share of the invoice total in percent (`"50"`), greater than 0 and at
    /// most 100, rounded by the invoice's rounding policy.
    #[napi(ts_type = "string")]
    pub percent: Option<DecimalInput>,
    /// A fixed amount in the invoice currency (`"250.00"`).
    #[napi(ts_type = "string")]
    pub amount: Option<DecimalInput>,
    /// Takes whatever the other installments leave; only the last one.
    pub remainder: Option<bool>,
    /// This installment's early-payment discount in percent; requires
    /// `discountDays`.
    #[napi(ts_type = "string")]
    pub discount_percent: Option<DecimalInput>,
    /// This installment's early-payment discount as a fixed amount;
    /// requires `discountDays`.
    #[napi(ts_type = "string")]
    pub discount_amount: Option<DecimalInput>,
    /// Days after the invoice date during which that discount may be taken.
    pub discount_days: Option<f64>,
    /// What a percent discount is taken of: `total` (default) or `untaxed`.
    #[napi(ts_type = "DiscountBase")]
    pub discount_base: Option<String>,
}

from_js_object!(
    InstallmentTerm,
    due: "due",
    percent: "percent",
    amount: "amount",
    remainder: "remainder",
    discount_percent: "discountPercent",
    discount_amount: "discountAmount",
    discount_days: "discountDays",
    discount_base: "discountBase",
);

/// An early-payment discount as it applies to one installment.
#[napi(object, object_from_js = false)]
pub struct DiscountOffer {
    /// Last day on which it may be taken, `YYYY-MM-DD`.
    pub until: String,
    /// Percentage, e.g. `"2"`; `"0"` for a fixed amount.
    pub percent: String,
    /// The discount amount, rounded once, at the currency's minor unit.
    pub amount: String,
    /// What it is taken of: `total`, `untaxed` or `mixed`.
    #[napi(ts_type = "DiscountBase")]
    pub base: String,
}

/// One installment of a schedule.
#[napi(object, object_from_js = false)]
pub struct ScheduledInstallment {
    /// 1-based position in the schedule.
    pub number: u32,
    /// Due date, `YYYY-MM-DD`.
    pub due_date: String,
    /// Amount due, at the currency's minor unit.
    pub amount: String,
    /// Early-payment discount on this installment, if the terms offer one.
    pub discount: Option<DiscountOffer>,
}

/// The argument of `schedule`.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct ScheduleOptions {
    /// The terms: a shorthand string (`"2/10 net 30"`) or a `Terms` object.
    #[napi(ts_type = "string | Terms")]
    pub terms: Either<String, Terms>,
    /// Invoice date, `YYYY-MM-DD`.
    pub invoice_date: String,
    /// Invoice total, a decimal string at the currency's minor unit.
    #[napi(ts_type = "string")]
    pub total: DecimalInput,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Rounding of percent portions and discounts; default `half_away_from_zero`.
    #[napi(ts_type = "RoundingPolicy")]
    pub rounding: Option<String>,
}

from_js_object!(
    ScheduleOptions,
    terms: "terms",
    invoice_date: "invoiceDate",
    total: "total",
    currency: "currency",
    rounding: "rounding",
);

/// The installments of an invoice of `total` dated `invoiceDate` under
/// `terms`; the amounts always sum to `total`.
///
/// `schedule({terms: "2/10 net 30", invoiceDate: "2026-03-01", total: "154.70",
/// currency: "USD"})` is one installment due `2026-03-31` with a discount of
/// `"3.09"` until `2026-03-11`.
///
/// Errors: `invalid_terms` (unparseable shorthand, portions that exceed or do
/// not reach the total, a remainder that is not last, ...), `invalid_type`,
/// `invalid_decimal`, `invalid_date`, `invalid_currency`, `invalid_value`,
/// `too_many_decimals` (a fixed portion finer than the currency).
#[napi(ts_args_type = "options: ScheduleOptions")]
pub fn schedule(env: Env, options: Unknown<'_>) -> napi::Result<Vec<ScheduledInstallment>> {
    guard(&env, || {
        let o: ScheduleOptions = conv::options(&env, options, "options", "ScheduleOptions")?;
        let terms = payment_terms("terms", &o.terms)?;
        let date = conv::date("invoiceDate", &o.invoice_date)?;
        let total = conv::decimal("total", &o.total)?;
        let currency = conv::currency("currency", &o.currency)?;
        let rounding = conv::rounding("rounding", o.rounding.as_deref())?;
        let parts = terms.schedule(date, total, currency, rounding)?;
        Ok(parts.iter().map(|s| scheduled(s, currency)).collect())
    })
}

/// A schedule entry for output.
pub fn scheduled(s: &ar_core::ScheduledInstallment, currency: Currency) -> ScheduledInstallment {
    ScheduledInstallment {
        number: s.number,
        due_date: conv::date_out(s.due_date),
        amount: conv::money(s.amount, currency),
        discount: s.discount.as_ref().map(|d| offer(d, currency)),
    }
}

/// A discount offer for output.
pub fn offer(d: &ar_core::DiscountOffer, currency: Currency) -> DiscountOffer {
    DiscountOffer {
        until: conv::date_out(d.until),
        percent: conv::decimal_out(d.percent),
        amount: conv::money(d.amount, currency),
        base: base_name(d.base).to_owned(),
    }
}

fn base_name(base: CoreBase) -> &'static str {
    match base {
        CoreBase::Total => "total",
        CoreBase::Untaxed => "untaxed",
        CoreBase::Mixed => "mixed",
    }
}

/// What an early-payment discount is taken of: the total (tax included),
/// the untaxed amount, or the untaxed amount with tax charged on the net
/// less the discount at invoicing (`mixed`).
#[napi(string_enum = "snake_case")]
pub enum DiscountBase {
    /// Of the total, tax included.
    Total,
    /// Of the untaxed amount.
    Untaxed,
    /// Of the untaxed amount, the tax base reduced at invoicing.
    Mixed,
}

/// Terms given as a shorthand string or a [`Terms`] object.
pub fn payment_terms(field: &str, terms: &Either<String, Terms>) -> ar_core::Result<PaymentTerms> {
    match terms {
        Either::A(text) => text_terms(field, text),
        Either::B(obj) => object_terms(field, obj),
    }
}

/// Terms given as a shorthand string (`"2/10 net 30"`), parsed by the core.
pub fn text_terms(field: &str, text: &str) -> ar_core::Result<PaymentTerms> {
    text.parse::<PaymentTerms>().map_err(|e| rename(e, field))
}

/// [`payment_terms`] for an optional field.
pub fn opt_payment_terms(
    field: &str,
    terms: Option<&Either<String, Terms>>,
) -> ar_core::Result<Option<PaymentTerms>> {
    terms.map(|t| payment_terms(field, t)).transpose()
}

/// The core names the field of an unparseable shorthand `terms`; keep the
/// caller's field name instead when it differs.
/// The core's reason quotes the text, which may be long: kept bounded.
fn rename(err: Error, field: &str) -> Error {
    match err {
        Error::InvalidTerms { reason, .. } => Error::InvalidTerms {
            field: field.to_owned(),
            reason: conv::bounded(&reason, conv::MAX_REASON),
        },
        other => other,
    }
}

fn invalid(field: String, reason: &str) -> Error {
    Error::InvalidTerms {
        field,
        reason: reason.to_owned(),
    }
}

fn discount(
    field: &str,
    percent: Option<&DecimalInput>,
    amount: Option<&DecimalInput>,
    days: Option<f64>,
    base: Option<&str>,
) -> ar_core::Result<Option<EarlyDiscount>> {
    let at = |name: &str| format!("{field}.{name}");
    let percent = conv::opt_decimal(&at("discountPercent"), percent)?;
    let amount = conv::opt_decimal(&at("discountAmount"), amount)?;
    let days = conv::opt_count(&at("discountDays"), days)?;
    let base = match base {
        None => None,
        Some("total") => Some(CoreBase::Total),
        Some("untaxed") => Some(CoreBase::Untaxed),
        Some("mixed") => Some(CoreBase::Mixed),
        Some(other) => {
            return Err(Error::InvalidValue {
                field: at("discountBase"),
                value: ar_core::shown_value(other),
                reason: "expected `total`, `untaxed` or `mixed`".to_owned(),
            })
        }
    };
    let discount = match (percent, amount, days) {
        (None, None, None) if base.is_none() => return Ok(None),
        (Some(_), Some(_), _) => {
            return Err(invalid(
                at("discountAmount"),
                "give one of discountPercent and discountAmount",
            ))
        }
        (None, None, _) => {
            return Err(invalid(
                at("discountPercent"),
                "a discount needs discountPercent or discountAmount",
            ))
        }
        (_, _, None) => {
            return Err(invalid(
                at("discountDays"),
                "is required with discountPercent or discountAmount",
            ))
        }
        (Some(percent), None, Some(days)) => EarlyDiscount::percent(percent, days),
        (None, Some(amount), Some(days)) => EarlyDiscount::fixed(amount, days),
    };
    Ok(Some(discount.with_base(base.unwrap_or_default())))
}

fn due(field: String, text: &str) -> ar_core::Result<DueRule> {
    text.parse::<DueRule>().map_err(|e| rename(e, &field))
}

fn object_terms(field: &str, t: &Terms) -> ar_core::Result<PaymentTerms> {
    let terms = match (&t.due, &t.installments) {
        (Some(text), None) => PaymentTerms::Single {
            due: due(format!("{field}.due"), text)?,
            discount: discount(
                field,
                t.discount_percent.as_ref(),
                t.discount_amount.as_ref(),
                t.discount_days,
                t.discount_base.as_deref(),
            )?,
        },
        (None, Some(list)) => {
            if t.discount_percent.is_some()
                || t.discount_amount.is_some()
                || t.discount_days.is_some()
                || t.discount_base.is_some()
            {
                return Err(invalid(
                    format!("{field}.discountPercent"),
                    "installment terms carry a discount per installment",
                ));
            }
            let installments = list
                .iter()
                .enumerate()
                .map(|(i, inst)| installment(&format!("{field}.installments[{i}]"), inst))
                .collect::<ar_core::Result<Vec<_>>>()?;
            PaymentTerms::Installments { installments }
        }
        _ => {
            return Err(invalid(
                field.to_owned(),
                "give exactly one of `due` or `installments`",
            ))
        }
    };
    terms.validate()?;
    Ok(terms)
}

fn installment(field: &str, inst: &InstallmentTerm) -> ar_core::Result<CoreInstallment> {
    let percent = conv::opt_decimal(&format!("{field}.percent"), inst.percent.as_ref())?;
    let amount = conv::opt_decimal(&format!("{field}.amount"), inst.amount.as_ref())?;
    let portion = match (percent, amount, inst.remainder.unwrap_or(false)) {
        (None, None, false) => Portion::Equal,
        (Some(percent), None, false) => Portion::Percent { percent },
        (None, Some(amount), false) => Portion::Fixed { amount },
        (None, None, true) => Portion::Remainder,
        _ => {
            return Err(invalid(
                field.to_owned(),
                "give at most one of `percent`, `amount` or `remainder: true`",
            ))
        }
    };
    Ok(CoreInstallment {
        portion,
        due: due(format!("{field}.due"), &inst.due)?,
        discount: discount(
            field,
            inst.discount_percent.as_ref(),
            inst.discount_amount.as_ref(),
            inst.discount_days,
            inst.discount_base.as_deref(),
        )?,
    })
}
