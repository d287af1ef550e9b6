//! Payment terms: `ar.Terms`, `ar.Installment`, `ar.schedule` and its
//! `ScheduledInstallment` / `DiscountOffer` results.

use ar_core::chrono::NaiveDate;
use ar_core::{DueRule, EarlyDiscount, InstallmentTerm, PaymentTerms, Portion};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};

use crate::conv::{self, Dec};
use crate::errors::{fail, guard};
use crate::record;

/// An early-payment discount from two optional arguments given together.
fn discount(
    percent: Option<&Bound<'_, PyAny>>,
    days: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<EarlyDiscount>> {
    let percent = conv::opt_decimal("discount_percent", percent)?;
    let days = conv::opt_count("discount_days", days)?;
    match (percent, days) {
        (Some(percent), Some(days)) => Ok(Some(EarlyDiscount::percent(percent, days))),
        (None, None) => Ok(None),
        (Some(_), None) => fail(ar_core::Error::InvalidValue {
            field: "discount_days".into(),
            value: "None".into(),
            reason: "is required with discount_percent".into(),
        }),
        (None, Some(_)) => fail(ar_core::Error::InvalidValue {
            field: "discount_percent".into(),
            value: "None".into(),
            reason: "is required with discount_days".into(),
        }),
    }
}

/// Validates terms with the core's rules.
fn checked(terms: PaymentTerms) -> PyResult<Terms> {
    guard(|| terms.validate())?;
    Ok(Terms { inner: terms })
}

/// Text of a due rule: ``"net 30"``, ``"EOM + 15"``, ``"due on receipt"``.
fn due_text(due: DueRule) -> PyResult<String> {
    guard(|| {
        Ok(PaymentTerms::Single {
            due,
            discount: None,
        }
        .to_string())
    })
}

/// Payment terms of a customer or an invoice: one due date (with an optional
/// early-payment discount) or a schedule of installments.
///
/// Build them with ``Terms.parse("2/10 net 30")``, ``Terms.net(30)``,
/// ``Terms.end_of_month(15)``, ``Terms.due_on_receipt()`` or
/// ``Terms.installments([...])``. Wherever terms are accepted, the
/// shorthand string works as well.
#[pyclass(module = "ar", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Terms {
    pub(crate) inner: PaymentTerms,
}

#[pymethods]
impl Terms {
    /// Parse the shorthand: ``"due on receipt"``, ``"net 30"``, ``"EOM + 15"``,
    /// each optionally preceded by an early-payment discount ``"2/10 "``
    /// (percent / days). Raises ``ValidationError`` (``invalid_terms``).
    #[classmethod]
    #[pyo3(signature = (text))]
    fn parse(_cls: &Bound<'_, PyType>, text: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text = conv::text("text", text)?;
        Ok(Terms {
            inner: guard(|| text.parse::<PaymentTerms>())?,
        })
    }

    /// Due ``days`` after the invoice date, with an optional early-payment
    /// discount of ``discount_percent`` within ``discount_days``.
    #[classmethod]
    #[pyo3(signature = (days, *, discount_percent = None, discount_days = None))]
    fn net(
        _cls: &Bound<'_, PyType>,
        days: &Bound<'_, PyAny>,
        discount_percent: Option<&Bound<'_, PyAny>>,
        discount_days: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        checked(PaymentTerms::Single {
            due: DueRule::Net {
                days: conv::count("days", days)?,
            },
            discount: discount(discount_percent, discount_days)?,
        })
    }

    /// Due ``days`` after the end of the invoice's month, with an optional
    /// early-payment discount.
    #[classmethod]
    #[pyo3(signature = (days, *, discount_percent = None, discount_days = None))]
    fn end_of_month(
        _cls: &Bound<'_, PyType>,
        days: &Bound<'_, PyAny>,
        discount_percent: Option<&Bound<'_, PyAny>>,
        discount_days: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        checked(PaymentTerms::Single {
            due: DueRule::EndOfMonth {
                days: conv::count("days", days)?,
            },
            discount: discount(discount_percent, discount_days)?,
        })
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
                    .collect::<PyResult<Vec<String>>>()?;
                Ok(format!("Terms.installments([{}])", parts.join(", ")))
            }
        }
    }
}

/// One installment of ``Terms.installments``: when it falls due and how large
/// it is.
///
/// ``due`` is ``"net 30"``, ``"EOM + 15"`` or ``"due on receipt"``. Give at
/// most one of ``percent`` (of the invoice total), ``amount`` (fixed) and
/// ``remainder=True`` (whatever the others leave; last installment only);
/// with none of them the installment takes an equal share of what the percent
/// and fixed installments leave. ``discount_percent`` and ``discount_days``
/// (together) add an early-payment discount to this installment.
#[pyclass(module = "ar", frozen, eq, hash)]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Installment {
    inner: InstallmentTerm,
}

#[pymethods]
impl Installment {
    #[new]
    #[pyo3(
        signature = (due, *, percent = None, amount = None, remainder = None, discount_percent = None, discount_days = None),
        text_signature = "(due, *, percent=None, amount=None, remainder=False, discount_percent=None, discount_days=None)"
    )]
    fn new(
        due: &Bound<'_, PyAny>,
        percent: Option<&Bound<'_, PyAny>>,
        amount: Option<&Bound<'_, PyAny>>,
        remainder: Option<&Bound<'_, PyAny>>,
        discount_percent: Option<&Bound<'_, PyAny>>,
        discount_days: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let due_text = conv::text("due", due)?;
        let due = guard(|| due_text.parse::<DueRule>())?;
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
        Ok(Installment {
            inner: InstallmentTerm {
                portion,
                due,
                discount: discount(discount_percent, discount_days)?,
            },
        })
    }

    /// When it falls due: ``"net 30"``, ``"EOM + 15"`` or ``"due on receipt"``.
    #[getter]
    fn due(&self) -> PyResult<String> {
        due_text(self.inner.due)
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

    /// Early-payment discount percent, if any.
    #[getter]
    fn discount_percent(&self) -> Option<Dec> {
        self.inner.discount.map(|d| Dec(d.percent))
    }

    /// Early-payment discount window in days, if any.
    #[getter]
    fn discount_days(&self) -> Option<u32> {
        self.inner.discount.map(|d| d.days)
    }

    fn __repr__(&self) -> PyResult<String> {
        let mut parts = vec![format!("'{}'", self.due()?)];
        match self.inner.portion {
            Portion::Percent { percent } => parts.push(format!("percent=Decimal('{percent}')")),
            Portion::Fixed { amount } => parts.push(format!("amount=Decimal('{amount}')")),
            Portion::Remainder => parts.push("remainder=True".into()),
            Portion::Equal => {}
        }
        if let Some(d) = self.inner.discount {
            parts.push(format!(
                "discount_percent=Decimal('{}'), discount_days={}",
                d.percent, d.days
            ));
        }
        Ok(format!("Installment({})", parts.join(", ")))
    }
}

/// An early-payment discount as it applies to one installment: ``percent``
/// off, ``amount`` (rounded once) if paid on or before ``until``.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct DiscountOffer {
    /// Last day on which it may be taken.
    until: NaiveDate,
    /// Percentage.
    percent: Dec,
    /// The discount amount.
    amount: Dec,
}

const DISCOUNT_OFFER_FIELDS: &[&str] = &["until", "percent", "amount"];

impl From<ar_core::DiscountOffer> for DiscountOffer {
    fn from(d: ar_core::DiscountOffer) -> Self {
        DiscountOffer {
            until: d.until,
            percent: Dec(d.percent),
            amount: Dec(d.amount),
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
