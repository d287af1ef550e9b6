//! Payment terms: `ar.Terms`, `ar.Installment`, `ar.schedule` and its
//! `ScheduledInstallment` / `DiscountOffer` results.

use ar_core::chrono::NaiveDate;
use ar_core::{DiscountBase, DueRule, EarlyDiscount, InstallmentTerm, PaymentTerms, Portion};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};
use serde::Deserialize;

use crate::conv::{self, Dec};
use crate::de::{self, Amount};
use crate::errors::{fail, guard};
use crate::record;

type Arg<'a, 'py> = Option<&'a Bound<'py, PyAny>>;

/// The early-payment discount arguments (`discount_percent`,
/// `discount_amount`, `discount_days`, `discount_base`), read through the
/// conversion layer.
#[derive(Deserialize)]
struct DiscountArgs {
    discount_percent: Option<Amount>,
    discount_amount: Option<Amount>,
    discount_days: Option<u32>,
    discount_base: Option<DiscountBase>,
}

fn required<T>(field: &str, reason: &str) -> PyResult<T> {
    fail(ar_core::Error::InvalidValue {
        field: field.into(),
        value: "None".into(),
        reason: reason.into(),
    })
}

/// An early-payment discount from its four optional arguments: a percent
/// or an amount, with the days, and the base (default: the total).
fn discount(
    py: Python<'_>,
    [percent, amount, days, base]: [Arg<'_, '_>; 4],
) -> PyResult<Option<EarlyDiscount>> {
    let a: DiscountArgs = de::from_args(
        py,
        &[
            ("discount_percent", percent),
            ("discount_amount", amount),
            ("discount_days", days),
            ("discount_base", base),
        ],
    )?;
    let d = match (a.discount_percent, a.discount_amount, a.discount_days) {
        (None, None, None) if a.discount_base.is_none() => return Ok(None),
        (Some(_), Some(_), _) => {
            return fail(ar_core::Error::InvalidValue {
                field: "discount_amount".into(),
                value: "both".into(),
                reason: "give one of discount_percent and discount_amount".into(),
            })
        }
        (None, None, _) => {
            return required(
                "discount_percent",
                "a discount needs discount_percent or discount_amount",
            )
        }
        (_, _, None) => {
            return required(
                "discount_days",
                "is required with discount_percent or discount_amount",
            )
        }
        (Some(p), None, Some(days)) => EarlyDiscount::percent(p.0, days),
        (None, Some(x), Some(days)) => EarlyDiscount::fixed(x.0, days),
    };
    Ok(Some(d.with_base(a.discount_base.unwrap_or_default())))
}

/// The name of a discount's base: `"total"`, `"untaxed"` or `"mixed"`.
pub fn base_name(base: DiscountBase) -> &'static str {
    match base {
        DiscountBase::Total => "total",
        DiscountBase::Untaxed => "untaxed",
        DiscountBase::Mixed => "mixed",
    }
}

/// Validates terms with the core's rules.
fn checked(terms: PaymentTerms) -> PyResult<Terms> {
    guard(|| terms.validate())?;
    Ok(Terms { inner: terms })
}

/// Single-due terms on `due` with the discount of the four arguments.
fn single(py: Python<'_>, due: DueRule, discount_args: [Arg<'_, '_>; 4]) -> PyResult<Terms> {
    checked(PaymentTerms::Single {
        due,
        discount: discount(py, discount_args)?,
    })
}

/// A due rule from its text (`"net 30, day 10 of next month"`, ...).
fn due_rule(due: &Bound<'_, PyAny>) -> PyResult<DueRule> {
    let text = conv::text("due", due)?;
    guard(|| text.parse::<DueRule>())
}

/// The discount's percent (`None` for a fixed amount), amount, days and
/// base, for the getters of `Terms` and `Installment`.
fn percent_of(d: Option<EarlyDiscount>) -> Option<Dec> {
    d.filter(|d| d.amount.is_none()).map(|d| Dec(d.percent))
}
fn amount_of(d: Option<EarlyDiscount>) -> Option<Dec> {
    d.and_then(|d| d.amount).map(Dec)
}

/// Payment terms of a customer or an invoice: one due date (with an optional
/// early-payment discount) or a schedule of installments.
///
/// Build them with ``Terms.parse("2/10 net 30")``, ``Terms.net(30)``,
/// ``Terms.end_of_month(15)``, ``Terms.single("net 30, day 10 of next
/// month")``, ``Terms.due_on_receipt()`` or ``Terms.installments([...])``.
/// Wherever terms are accepted, the shorthand string works as well.
#[pyclass(module = "ar", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Terms {
    pub(crate) inner: PaymentTerms,
}

impl Terms {
    fn discount(&self) -> Option<EarlyDiscount> {
        match self.inner {
            PaymentTerms::Single { discount, .. } => discount,
            PaymentTerms::Installments { .. } => None,
        }
    }
}

#[pymethods]
impl Terms {
    /// Parse the shorthand: a due rule (``"due on receipt"``, ``"net 30"``,
    /// ``"EOM + 15"``, ``"EOM + 1 month"``, ``"day 10 of next month"``,
    /// ``"net 30, day 10 of next month"``, ``"net 31 on day 15"``),
    /// optionally preceded by an early-payment discount ``"2/10 "`` (percent
    /// / days) or ``"50.00 off/10 "`` (amount / days), then ``"untaxed "`` or
    /// ``"mixed "`` for its base. Raises ``ValidationError``
    /// (``invalid_terms``).
    #[classmethod]
    #[pyo3(signature = (text))]
    fn parse(_cls: &Bound<'_, PyType>, text: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text = conv::text("text", text)?;
        Ok(Terms {
            inner: guard(|| text.parse::<PaymentTerms>())?,
        })
    }

    /// Due by the rule ``due`` (the text of ``Installment``'s ``due``), with
    /// an optional early-payment discount: ``discount_percent`` or
    /// ``discount_amount`` within ``discount_days``, of ``discount_base``
    /// (``"total"``, ``"untaxed"`` or ``"mixed"``).
    #[classmethod]
    #[pyo3(signature = (due, *, discount_percent = None, discount_amount = None, discount_days = None, discount_base = None))]
    fn single(
        cls: &Bound<'_, PyType>,
        due: &Bound<'_, PyAny>,
        discount_percent: Arg<'_, '_>,
        discount_amount: Arg<'_, '_>,
        discount_days: Arg<'_, '_>,
        discount_base: Arg<'_, '_>,
    ) -> PyResult<Self> {
        let discount = [
            discount_percent,
            discount_amount,
            discount_days,
            discount_base,
        ];
        single(cls.py(), due_rule(due)?, discount)
    }

    /// Due ``days`` after the invoice date, with an optional early-payment
    /// discount (as for ``Terms.single``).
    #[classmethod]
    #[pyo3(signature = (days, *, discount_percent = None, discount_amount = None, discount_days = None, discount_base = None))]
    fn net(
        cls: &Bound<'_, PyType>,
        days: &Bound<'_, PyAny>,
        discount_percent: Arg<'_, '_>,
        discount_amount: Arg<'_, '_>,
        discount_days: Arg<'_, '_>,
        discount_base: Arg<'_, '_>,
    ) -> PyResult<Self> {
        let due = DueRule::Net {
            days: conv::count("days", days)?,
        };
        let discount = [
            discount_percent,
            discount_amount,
            discount_days,
            discount_base,
        ];
        single(cls.py(), due, discount)
    }

    /// Due ``days`` after the end of the invoice's month, with an optional
    /// early-payment discount (as for ``Terms.single``).
    #[classmethod]
    #[pyo3(signature = (days, *, discount_percent = None, discount_amount = None, discount_days = None, discount_base = None))]
    fn end_of_month(
        cls: &Bound<'_, PyType>,
        days: &Bound<'_, PyAny>,
        discount_percent: Arg<'_, '_>,
        discount_amount: Arg<'_, '_>,
        discount_days: Arg<'_, '_>,
        discount_base: Arg<'_, '_>,
    ) -> PyResult<Self> {
        let due = DueRule::EndOfMonth {
            days: conv::count("days", days)?,
        };
        let discount = [
            discount_percent,
            discount_amount,
            discount_days,
            discount_base,
        ];
        single(cls.py(), due, discount)
    }

    /// Due on the invoice date.
    #[classmethod]
    fn due_on_receipt(_cls: &Bound<'_, PyType>) -> Self {
        Terms {
            inner: PaymentTerms::due_on_receipt(),
        }
    }

    /// A schedule of installments, each aged and paid on its own.
    #[classmethod]
    #[pyo3(signature = (installments))]
    fn installments(_cls: &Bound<'_, PyType>, installments: &Bound<'_, PyAny>) -> PyResult<Self> {
        let list = conv::items("installments", "list of ar.Installment", installments)?
            .iter()
            .enumerate()
            .map(|(i, obj)| match obj.cast::<Installment>() {
                Ok(inst) => Ok(inst.get().inner),
                Err(_) => conv::wrong_type(&format!("installments[{i}]"), "ar.Installment", obj),
            })
            .collect::<PyResult<Vec<InstallmentTerm>>>()?;
        checked(PaymentTerms::Installments { installments: list })
    }

    /// ``"single"`` or ``"installments"``.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.inner {
            PaymentTerms::Single { .. } => "single",
            PaymentTerms::Installments { .. } => "installments",
        }
    }

    /// The due rule of single-due terms as text (``"net 30, day 10 of next
    /// month"``); ``None`` for installments.
    #[getter]
    fn due(&self) -> Option<String> {
        match self.inner {
            PaymentTerms::Single { due, .. } => Some(due.to_string()),
            PaymentTerms::Installments { .. } => None,
        }
    }

    /// Early-payment discount percent, if a percentage is offered.
    #[getter]
    fn discount_percent(&self) -> Option<Dec> {
        percent_of(self.discount())
    }

    /// Early-payment discount as a fixed amount, if one is offered.
    #[getter]
    fn discount_amount(&self) -> Option<Dec> {
        amount_of(self.discount())
    }

    /// Early-payment discount window in days, if any.
    #[getter]
    fn discount_days(&self) -> Option<u32> {
        self.discount().map(|d| d.days)
    }

    /// What the discount is taken of: ``"total"``, ``"untaxed"`` or
    /// ``"mixed"``; ``None`` without a discount.
    #[getter]
    fn discount_base(&self) -> Option<&'static str> {
        self.discount().map(|d| base_name(d.base))
    }

    fn __str__(&self) -> PyResult<String> {
        guard(|| Ok(self.inner.to_string()))
    }

    fn __repr__(&self) -> PyResult<String> {
        match &self.inner {
            PaymentTerms::Single { .. } => Ok(format!("Terms.parse('{}')", self.__str__()?)),
            PaymentTerms::Installments { installments } => {
                let parts = installments
                    .iter()
                    .map(|i| Installment { inner: *i }.__repr__())
                    .collect::<Vec<String>>();
                Ok(format!("Terms.installments([{}])", parts.join(", ")))
            }
        }
    }
}

/// One installment of ``Terms.installments``: when it falls due and how large
/// it is.
///
/// ``due`` is a due rule as text (``"net 30"``, ``"EOM + 15"``, ``"EOM + 1
/// month"``, ``"day 10 of next month"``, ``"net 30, day 10 of next month"``,
/// ``"net 31 on day 15"``, ``"due on receipt"``). Give at most one of
/// ``percent`` (of the invoice total), ``amount`` (fixed) and
/// ``remainder=True`` (whatever the others leave; last installment only);
/// with none of them the installment takes an equal share of what the
/// percent and fixed installments leave. ``discount_percent`` or
/// ``discount_amount``, with ``discount_days`` (and ``discount_base``), add
/// an early-payment discount to this installment.
#[pyclass(module = "ar", frozen, eq, hash)]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Installment {
    inner: InstallmentTerm,
}

#[pymethods]
impl Installment {
    #[new]
    #[pyo3(
        signature = (due, *, percent = None, amount = None, remainder = None, discount_percent = None, discount_amount = None, discount_days = None, discount_base = None),
        text_signature = "(due, *, percent=None, amount=None, remainder=False, discount_percent=None, discount_amount=None, discount_days=None, discount_base=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        due: &Bound<'_, PyAny>,
        percent: Arg<'_, '_>,
        amount: Arg<'_, '_>,
        remainder: Arg<'_, '_>,
        discount_percent: Arg<'_, '_>,
        discount_amount: Arg<'_, '_>,
        discount_days: Arg<'_, '_>,
        discount_base: Arg<'_, '_>,
    ) -> PyResult<Self> {
        let due = due_rule(due)?;
        let percent = conv::opt_decimal("percent", percent)?;
        let amount = conv::opt_decimal("amount", amount)?;
        let remainder = match conv::given(remainder) {
            Some(r) => conv::flag("remainder", r)?,
            None => false,
        };
        let portion = match (percent, amount, remainder) {
            (None, None, false) => Portion::Equal,
            (Some(percent), None, false) => Portion::Percent { percent },
            (None, Some(amount), false) => Portion::Fixed { amount },
            (None, None, true) => Portion::Remainder,
            _ => {
                return fail(ar_core::Error::InvalidValue {
                    field: "percent".into(),
                    value: "several".into(),
                    reason: "give at most one of percent, amount and remainder=True".into(),
                })
            }
        };
        let discount_args = [
            discount_percent,
            discount_amount,
            discount_days,
            discount_base,
        ];
        Ok(Installment {
            inner: InstallmentTerm {
                portion,
                due,
                discount: discount(py, discount_args)?,
            },
        })
    }
    /// When it falls due, as text: ``"net 30"``, ``"net 30, day 10 of next
    /// month"``, ...
    #[getter]
    fn due(&self) -> String {
        self.inner.due.to_string()
    }

    /// Percent of the invoice total, if a percent portion.
    #[getter]
    fn percent(&self) -> Option<Dec> {
        match self.inner.portion {
            Portion::Percent { percent } => Some(Dec(percent)),
            _ => None,
        }
    }

    /// Fixed amount, if a fixed portion.
    #[getter]
    fn amount(&self) -> Option<Dec> {
        match self.inner.portion {
            Portion::Fixed { amount } => Some(Dec(amount)),
            _ => None,
        }
    }

    /// Whether it takes the remainder.
    #[getter]
    fn remainder(&self) -> bool {
        matches!(self.inner.portion, Portion::Remainder)
    }

    /// Whether it takes an equal share.
    #[getter]
    fn equal(&self) -> bool {
        matches!(self.inner.portion, Portion::Equal)
    }

    /// Early-payment discount percent, if a percentage is offered.
    #[getter]
    fn discount_percent(&self) -> Option<Dec> {
        percent_of(self.inner.discount)
    }

    /// Early-payment discount as a fixed amount, if one is offered.
    #[getter]
    fn discount_amount(&self) -> Option<Dec> {
        amount_of(self.inner.discount)
    }

    /// Early-payment discount window in days, if any.
    #[getter]
    fn discount_days(&self) -> Option<u32> {
        self.inner.discount.map(|d| d.days)
    }

    /// What the discount is taken of (``"total"`` or ``"untaxed"``), if any.
    #[getter]
    fn discount_base(&self) -> Option<&'static str> {
        self.inner.discount.map(|d| base_name(d.base))
    }

    fn __repr__(&self) -> String {
        let mut parts = vec![format!("'{}'", self.due())];
        match self.inner.portion {
            Portion::Percent { percent } => parts.push(format!("percent=Decimal('{percent}')")),
            Portion::Fixed { amount } => parts.push(format!("amount=Decimal('{amount}')")),
            Portion::Remainder => parts.push("remainder=True".into()),
            Portion::Equal => {}
        }
        if let Some(d) = self.inner.discount {
            parts.push(match d.amount {
                Some(a) => format!("discount_amount=Decimal('{a}')"),
                None => format!("discount_percent=Decimal('{}')", d.percent),
            });
            parts.push(format!("discount_days={}", d.days));
            if d.base != DiscountBase::Total {
                parts.push(format!("discount_base='{}'", base_name(d.base)));
            }
        }
        format!("Installment({})", parts.join(", "))
    }
}

/// An early-payment discount as it applies to one installment: ``percent``
/// off (zero for a fixed amount), ``amount`` (rounded once) if paid on or
/// before ``until``, taken of ``base`` (``"total"``, ``"untaxed"`` or
/// ``"mixed"``).
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct DiscountOffer {
    /// Last day on which it may be taken.
    until: NaiveDate,
    /// Percentage; zero for a fixed amount.
    percent: Dec,
    /// The discount amount.
    amount: Dec,
    /// What it is taken of.
    base: &'static str,
}

const DISCOUNT_OFFER_FIELDS: &[&str] = &["until", "percent", "amount", "base"];

impl From<ar_core::DiscountOffer> for DiscountOffer {
    fn from(d: ar_core::DiscountOffer) -> Self {
        DiscountOffer {
            until: d.until,
            percent: Dec(d.percent),
            amount: Dec(d.amount),
            base: base_name(d.base),
        }
    }
}

#[pymethods]
impl DiscountOffer {
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        record::repr(slf.as_any(), "DiscountOffer", DISCOUNT_OFFER_FIELDS)
    }

    /// The fields as a dict.
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        record::to_dict(slf.as_any(), DISCOUNT_OFFER_FIELDS)
    }
}

/// One installment of a schedule: its number (from 1), due date, amount and
/// early-payment discount, if any.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct ScheduledInstallment {
    /// 1-based position.
    number: u32,
    /// Due date.
    due_date: NaiveDate,
    /// Amount due.
    amount: Dec,
    /// Early-payment discount, if any.
    discount: Option<DiscountOffer>,
}

const SCHEDULED_FIELDS: &[&str] = &["number", "due_date", "amount", "discount"];

impl From<ar_core::ScheduledInstallment> for ScheduledInstallment {
    fn from(s: ar_core::ScheduledInstallment) -> Self {
        ScheduledInstallment {
            number: s.number,
            due_date: s.due_date,
            amount: Dec(s.amount),
            discount: s.discount.map(DiscountOffer::from),
        }
    }
}

#[pymethods]
impl ScheduledInstallment {
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        record::repr(slf.as_any(), "ScheduledInstallment", SCHEDULED_FIELDS)
    }

    /// The fields as a dict (the discount as a dict too).
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        record::to_dict(slf.as_any(), SCHEDULED_FIELDS)
    }
}

/// The installments of an invoice of ``total`` in ``currency`` dated
/// ``invoice_date`` under ``terms`` (an ``ar.Terms`` or the shorthand).
/// Amounts always sum to ``total``.
#[pyfunction]
#[pyo3(
    signature = (terms, invoice_date, total, currency, *, rounding = None),
    text_signature = "(terms, invoice_date, total, currency, *, rounding='half_away_from_zero')"
)]
pub fn schedule(
    terms: &Bound<'_, PyAny>,
    invoice_date: &Bound<'_, PyAny>,
    total: &Bound<'_, PyAny>,
    currency: &Bound<'_, PyAny>,
    rounding: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<ScheduledInstallment>> {
    let terms = conv::terms("terms", terms)?;
    let date = conv::date("invoice_date", invoice_date)?;
    let total = conv::decimal("total", total)?;
    let currency = conv::currency("currency", currency)?;
    let policy = match conv::given(rounding) {
        Some(r) => conv::rounding("rounding", r)?,
        None => ar_core::RoundingPolicy::default(),
    };
    let out = guard(|| {
        let total = ar_core::check_minor_units("total", total, currency)?;
        terms.schedule(date, total, currency, policy)
    })?;
    Ok(out.into_iter().map(ScheduledInstallment::from).collect())
}
