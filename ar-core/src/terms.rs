//! Payment terms: due dates, early-payment discounts and installment schedules.
//!
//! The rules follow what ERPNext and Odoo do, and say where ar differs on
//! purpose (see the items' docs): due dates after the end of a month,
//! on a day of a later month, or on the first given day of a month after a
//! number of days; discounts by percent or by a fixed amount, taken of the
//! total or of the untaxed amount; percentages of the total that add up to
//! exactly the total, odd cents included.

use chrono::{Datelike, Days, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::{shown, Error, Result};
use crate::heap::{vec, Heap};
use crate::limits::{check_count, MAX_INSTALLMENTS};
use crate::money::{allocate, check_minor_units, OrOverflow, RoundingPolicy};

/// When an amount falls due, counted from the invoice date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum DueRule {
    /// Due on the invoice date.
    DueOnReceipt,
    /// Due `days` after the invoice date ("net 30").
    Net {
        /// Days after the invoice date.
        days: u32,
    },
    /// Due `days` after the last day of the invoice's month ("EOM + 15";
    /// ERPNext's "day(s) after the end of the invoice month").
    EndOfMonth {
        /// Days after the end of the month.
        days: u32,
    },
    /// Due on day `day` of the month after the one in which the date `days`
    /// after the invoice date falls ("net 30, day 10 of next month"; Odoo's
    /// "days end of month on the"). A day past the end of that month is its
    /// last day; day 0 is the last day of the month in which the date falls.
    /// From 12 December 2023, net 30 (11 January), day 10 is 10 February
    /// 2024; day 31 is 29 February.
    DayOfNextMonth {
        /// Days after the invoice date before the month is found.
        #[serde(default)]
        days: u32,
        /// Day of the next month, 0 to 31.
        day: u32,
    },
    /// Due on the first day `day` of a month that is `days` or more after the
    /// invoice date ("net 31 on day 15": the 15th, at least 31 days out;
    /// Odoo's older "day of the month"). In a shorter month, its last day.
    OnDayOfMonth {
        /// Days after the invoice date, at least.
        days: u32,
        /// Day of the month, 1 to 31.
        day: u32,
    },
    /// Due on the last day of the month `months` after the invoice's month
    /// ("EOM + 1 month"; ERPNext's "month(s) after the end of the invoice
    /// month", which adds months to the last day and so lands on the 28th
    /// after a February: ar takes the month's last day, as the name says).
    MonthsAfterEndOfMonth {
        /// Months after the invoice's month.
        months: u32,
    },
}

/// The last day of the month `months` after `date`'s.
fn end_of_month_after(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    let first = date.with_day(1)?.checked_add_months(Months::new(months))?;
    end_of_month(first)
}

/// Day `day` of the month of `first` (a first of a month), or its last day
/// when the month is shorter; day 0 is the last day of the month before.
fn day_of(first: NaiveDate, day: u32) -> Option<NaiveDate> {
    match day.checked_sub(1) {
        None => first.pred_opt(),
        Some(after) => {
            let last = end_of_month(first)?;
            let d = first.checked_add_days(Days::new(u64::from(after)))?;
            Some(d.min(last))
        }
    }
}

impl DueRule {
    /// The due date for an invoice dated `invoice_date`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the date leaves the calendar's range.
    ///
    /// # Example
    /// ```
    /// use ar_core::DueRule;
    /// let day = |s: &str| s.parse().unwrap();
    /// // Odoo's "30 days end of month on the 10th", from its own tests.
    /// let rule = DueRule::DayOfNextMonth { days: 30, day: 10 };
    /// assert_eq!(rule.due_date(day("2023-12-12")).unwrap(), day("2024-02-10"));
    /// ```
    pub fn due_date(self, invoice_date: NaiveDate) -> Result<NaiveDate> {
        let out_of_range = || Error::invalid_value("terms", invoice_date, "due date out of range");
        let plus = |days: u32| invoice_date.checked_add_days(Days::new(u64::from(days)));
        let due = match self {
            DueRule::DueOnReceipt => Some(invoice_date),
            DueRule::Net { days } => plus(days),
            DueRule::EndOfMonth { days } => end_of_month(invoice_date)
                .and_then(|eom| eom.checked_add_days(Days::new(u64::from(days)))),
            DueRule::DayOfNextMonth { days, day } => plus(days)
                .and_then(end_of_month)
                .and_then(|eom| eom.succ_opt())
                .and_then(|next| day_of(next, day)),
            DueRule::OnDayOfMonth { days, day } => plus(days).and_then(|from| {
                let this = day_of(from.with_day(1)?, day)?;
                if this >= from {
                    Some(this)
                } else {
                    day_of(end_of_month(from)?.succ_opt()?, day)
                }
            }),
            DueRule::MonthsAfterEndOfMonth { months } => end_of_month_after(invoice_date, months),
        };
        due.ok_or_else(out_of_range)
    }

    fn validate(&self, field: &str) -> Result<()> {
        let (lowest, day) = match *self {
            DueRule::DayOfNextMonth { day, .. } => (0, day),
            DueRule::OnDayOfMonth { day, .. } => (1, day),
            _ => return Ok(()),
        };
        if day < lowest || day > 31 {
            return Err(Error::InvalidTerms {
                field: format!("{field}.day"),
                reason: format!("{day} is not a day of a month ({lowest} to 31)"),
            });
        }
        Ok(())
    }
}

/// Last day of the month of `date`.
pub fn end_of_month(date: NaiveDate) -> Option<NaiveDate> {
    let (y, m) = if date.month() == 12 {
        (date.year().checked_add(1)?, 1)
    } else {
        (date.year(), date.month().saturating_add(1))
    };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

/// What a percentage discount is taken of, and so how a discount taken
/// splits into net and tax (see [`crate::Invoice::discount_split`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscountBase {
    /// Of the amount due, tax included; a discount taken reduces net and
    /// tax in proportion (Odoo's "included"; ERPNext's percentage).
    #[default]
    Total,
    /// Of the untaxed share of the amount due; a discount taken reduces
    /// only the net (Odoo's "excluded", as in the Netherlands).
    Untaxed,
    /// Of the untaxed share, and tax is charged at invoicing on the net
    /// less the discount, whether it is taken or not, so a discount taken
    /// reduces only the net (Odoo's "mixed", as in Belgium). Only for a
    /// percentage on single-due terms with prices net of tax.
    Mixed,
}

impl DiscountBase {
    fn is_total(&self) -> bool {
        *self == DiscountBase::Total
    }
}

/// An early-payment discount: `percent` off, or a fixed `amount` off, if
/// paid within `days` of the invoice date ("2/10" is 2 percent within 10
/// days).
///
/// # Example
/// ```
/// use ar_core::{DiscountBase, EarlyDiscount};
/// use rust_decimal::Decimal;
/// let two = EarlyDiscount::percent(Decimal::TWO, 10);
/// let fifty = EarlyDiscount::fixed(Decimal::new(5000, 2), 10);
/// let untaxed = two.with_base(DiscountBase::Untaxed);
/// assert_eq!((two.days, fifty.amount), (10, Some(Decimal::new(5000, 2))));
/// assert_eq!(untaxed.base, DiscountBase::Untaxed);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EarlyDiscount {
    /// Percentage off, e.g. `2` for 2 %; greater than 0 and less than 100;
    /// zero when `amount` is given.
    #[serde(
        default,
        skip_serializing_if = "Decimal::is_zero",
        with = "crate::serde_decimal"
    )]
    pub percent: Decimal,
    /// A fixed amount off instead of a percentage, in the invoice's
    /// currency (ERPNext's discount type "Amount"); less than what it is
    /// taken off.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::serde_decimal::option"
    )]
    pub amount: Option<Decimal>,
    /// Days after the invoice date during which the discount may be taken.
    pub days: u32,
    /// What the discount is taken of.
    #[serde(default, skip_serializing_if = "DiscountBase::is_total")]
    pub base: DiscountBase,
}

impl EarlyDiscount {
    /// `percent` off within `days`, of the total.
    pub fn percent(percent: Decimal, days: u32) -> Self {
        EarlyDiscount {
            percent,
            amount: None,
            days,
            base: DiscountBase::Total,
        }
    }

    /// A fixed `amount` off within `days`.
    pub fn fixed(amount: Decimal, days: u32) -> Self {
        EarlyDiscount {
            percent: Decimal::ZERO,
            amount: Some(amount),
            days,
            base: DiscountBase::Total,
        }
    }

    /// The same discount taken of `base`.
    pub fn with_base(mut self, base: DiscountBase) -> Self {
        self.base = base;
        self
    }

    fn validate(&self, field: &str) -> Result<()> {
        let bad = |what: &str, reason: String| {
            Err(Error::InvalidTerms {
                field: format!("{field}.{what}"),
                reason,
            })
        };
        match self.amount {
            None if self.percent <= Decimal::ZERO || self.percent >= Decimal::ONE_HUNDRED => bad(
                "percent",
                format!("{} must be greater than 0 and less than 100", self.percent),
            ),
            Some(a) if !self.percent.is_zero() => bad(
                "amount",
                format!("{a} off and {} % off: give one of them", self.percent),
            ),
            Some(a) if a <= Decimal::ZERO => {
                bad("amount", format!("{a} must be greater than zero"))
            }
            Some(_) if self.base == DiscountBase::Mixed => bad(
                "base",
                "a mixed discount reduces the tax base by a percentage: give a percent".into(),
            ),
            _ => Ok(()),
        }
    }
}

/// How large one installment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Portion {
    /// A percentage of the invoice total, rounded by the invoice's policy.
    /// Percentages that add up to 100 % always add up to the total.
    Percent {
        /// Percentage, greater than 0 and at most 100.
        #[serde(with = "crate::serde_decimal")]
        percent: Decimal,
    },
    /// A fixed amount in the invoice currency.
    Fixed {
        /// The amount.
        #[serde(with = "crate::serde_decimal")]
        amount: Decimal,
    },
    /// An equal share of what the percent and fixed portions leave, split
    /// exactly by largest remainder (earlier installments take any extra cent).
    Equal,
    /// Whatever the other portions leave; only the last installment.
    Remainder,
}

/// One installment of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InstallmentTerm {
    /// Its size.
    pub portion: Portion,
    /// When it falls due.
    pub due: DueRule,
    /// Its own early-payment discount, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<EarlyDiscount>,
}

/// Payment terms of a customer or an invoice.
///
/// # Example
/// ```
/// use ar_core::PaymentTerms;
/// use rust_decimal::Decimal;
/// let terms = PaymentTerms::net(30).with_discount(Decimal::TWO, 10); // 2/10 net 30
/// assert_eq!(terms.to_string(), "2/10 net 30");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PaymentTerms {
    /// One due date, with an optional early-payment discount.
    Single {
        /// When the invoice falls due.
        due: DueRule,
        /// Early-payment discount, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        discount: Option<EarlyDiscount>,
    },
    /// A schedule of installments, each aged and paid on its own.
    Installments {
        /// The installments in order; at least one.
        installments: Vec<InstallmentTerm>,
    },
}

impl Default for PaymentTerms {
    fn default() -> Self {
        PaymentTerms::net(30)
    }
}

impl PaymentTerms {
    /// Due on the invoice date.
    pub fn due_on_receipt() -> Self {
        PaymentTerms::Single {
            due: DueRule::DueOnReceipt,
            discount: None,
        }
    }

    /// Net `days`.
    pub fn net(days: u32) -> Self {
        PaymentTerms::Single {
            due: DueRule::Net { days },
            discount: None,
        }
    }

    /// `days` after the end of the invoice's month.
    pub fn end_of_month(days: u32) -> Self {
        PaymentTerms::Single {
            due: DueRule::EndOfMonth { days },
            discount: None,
        }
    }

    /// Adds an early-payment discount of `percent` within `days` to
    /// single-due terms (installment terms carry a discount per installment
    /// and are returned unchanged).
    pub fn with_discount(self, percent: Decimal, days: u32) -> Self {
        self.with_early_discount(EarlyDiscount::percent(percent, days))
    }

    /// Adds `discount` to single-due terms (installment terms carry a
    /// discount per installment and are returned unchanged).
    pub fn with_early_discount(self, discount: EarlyDiscount) -> Self {
        match self {
            PaymentTerms::Single { due, .. } => PaymentTerms::Single {
                due,
                discount: Some(discount),
            },
            other => other,
        }
    }

    /// The percentage by which a mixed discount reduces the tax base at
    /// invoicing ([`DiscountBase::Mixed`]), if the terms have one.
    pub fn mixed_discount(&self) -> Option<Decimal> {
        match self {
            PaymentTerms::Single {
                discount: Some(d), ..
            } if d.base == DiscountBase::Mixed => Some(d.percent),
            _ => None,
        }
    }

    /// Checks the terms on their own (percentages in range, remainder last,
    /// days of a month, ...).
    ///
    /// # Errors
    /// [`Error::InvalidTerms`] naming the installment at fault;
    /// [`Error::LimitExceeded`] past [`MAX_INSTALLMENTS`] installments.
    pub fn validate(&self) -> Result<()> {
        match self {
            PaymentTerms::Single { due, discount } => {
                due.validate("terms.due")?;
                if let Some(d) = discount {
                    d.validate("terms.discount")?;
                }
                Ok(())
            }
            PaymentTerms::Installments { installments } => {
                let Some(last) = installments.len().checked_sub(1) else {
                    return Err(Error::InvalidTerms {
                        field: "terms.installments".into(),
                        reason: "at least one installment is required".into(),
                    });
                };
                check_count("terms.installments", installments.len(), MAX_INSTALLMENTS)?;
                let mut has_equal = false;
                let mut has_remainder = false;
                let mut percents = Decimal::ZERO;
                for (i, inst) in installments.iter().enumerate() {
                    let field = format!("terms.installments[{i}]");
                    inst.due.validate(&format!("{field}.due"))?;
                    if let Some(d) = &inst.discount {
                        d.validate(&format!("{field}.discount"))?;
                        if d.base == DiscountBase::Mixed {
                            return Err(Error::InvalidTerms {
                                field: format!("{field}.discount.base"),
                                reason: "a mixed discount is only for single-due terms".into(),
                            });
                        }
                    }
                    match inst.portion {
                        Portion::Percent { percent } => {
                            if percent <= Decimal::ZERO || percent > Decimal::ONE_HUNDRED {
                                return Err(Error::InvalidTerms {
                                    field: format!("{field}.percent"),
                                    reason: format!(
                                        "{percent} must be greater than 0 and at most 100"
                                    ),
                                });
                            }
                            // At most 366 percentages of at most 100 each.
                            percents = percents.saturating_add(percent);
                        }
                        Portion::Fixed { amount } => {
                            if amount <= Decimal::ZERO {
                                return Err(Error::InvalidTerms {
                                    field: format!("{field}.amount"),
                                    reason: format!("{amount} must be greater than zero"),
                                });
                            }
                        }
                        Portion::Equal => has_equal = true,
                        Portion::Remainder => {
                            if i != last {
                                return Err(Error::InvalidTerms {
                                    field,
                                    reason: "only the last installment may take the remainder"
                                        .into(),
                                });
                            }
                            has_remainder = true;
                        }
                    }
                }
                if has_equal && has_remainder {
                    return Err(Error::InvalidTerms {
                        field: "terms.installments".into(),
                        reason: "equal portions and a remainder cannot be combined".into(),
                    });
                }
                if percents > Decimal::ONE_HUNDRED {
                    return Err(Error::InvalidTerms {
                        field: "terms.installments".into(),
                        reason: format!("percentages add up to {percents}, more than 100"),
                    });
                }
                Ok(())
            }
        }
    }

    /// The installments of an invoice of `total` dated `invoice_date`, as
    /// [`PaymentTerms::schedule_for`] with no tax (the untaxed amount is the
    /// total).
    ///
    /// # Errors
    /// As [`PaymentTerms::schedule_for`].
    pub fn schedule(
        &self,
        invoice_date: NaiveDate,
        total: Decimal,
        currency: Currency,
        policy: RoundingPolicy,
    ) -> Result<Vec<ScheduledInstallment>> {
        self.schedule_for(invoice_date, total, total, currency, policy)
    }

    /// The installments of an invoice of `total`, of which `net` is untaxed,
    /// dated `invoice_date`.
    ///
    /// Fixed portions are taken as given. Percent portions are rounded one
    /// by one by `policy`, as ERPNext and Odoo do; when the percentages add
    /// up to 100 % and their rounded amounts do not add up to the total
    /// (50 % and 50 % of 0.03), they are spread by largest remainder instead
    /// (0.02 and 0.01, as Odoo gives by making the last line the balance), so
    /// that any percentages adding up to 100 % add up to the total. Equal
    /// portions split what is left exactly, or the last installment takes
    /// it. The amounts always sum to `total`.
    ///
    /// An installment's discount is its percentage of the installment, or
    /// of the installment's untaxed share (`net / total` of it) when taken
    /// of the untaxed amount, rounded once; or its fixed amount.
    ///
    /// # Errors
    /// [`Error::InvalidTerms`] when the portions exceed the total, or (with
    /// neither equal nor remainder portions) do not add up to it, or a fixed
    /// discount is not less than its installment;
    /// [`Error::TooManyDecimals`] when `total` is finer than the currency;
    /// [`Error::Overflow`].
    ///
    /// # Example
    /// ```
    /// use ar_core::{Currency, DueRule, InstallmentTerm, PaymentTerms, Portion, RoundingPolicy};
    /// use rust_decimal::Decimal;
    /// let half = |days| InstallmentTerm {
    ///     portion: Portion::Percent { percent: Decimal::from(50) },
    ///     due: DueRule::Net { days },
    ///     discount: None,
    /// };
    /// let terms = PaymentTerms::Installments { installments: vec![half(30), half(60)] };
    /// let usd = Currency::new("USD").unwrap();
    /// let s = terms
    ///     .schedule("2026-03-01".parse().unwrap(), Decimal::new(3, 2), usd, RoundingPolicy::default())
    ///     .unwrap();
    /// assert_eq!((s[0].amount.to_string(), s[1].amount.to_string()), ("0.02".into(), "0.01".into()));
    /// ```
    pub fn schedule_for(
        &self,
        invoice_date: NaiveDate,
        net: Decimal,
        total: Decimal,
        currency: Currency,
        policy: RoundingPolicy,
    ) -> Result<Vec<ScheduledInstallment>> {
        self.validate()?;
        let total = check_minor_units("total", total, currency)?;
        let minor = currency.minor_units();
        // amount x percent / 100, rounded once.
        let share = |field: &str, amount: Decimal, percent: Decimal| -> Result<Decimal> {
            let exact = amount
                .checked_mul(percent)
                .and_then(|p| p.checked_div(Decimal::ONE_HUNDRED))
                .or_overflow(field)?;
            policy.round_checked(field, exact, minor)
        };
        let offer = |d: &Option<EarlyDiscount>, amount: Decimal| -> Result<Option<DiscountOffer>> {
            let Some(d) = d else {
                return Ok(None);
            };
            let field = "terms.discount";
            let value = match d.amount {
                Some(fixed) => {
                    let fixed = check_minor_units("terms.discount.amount", fixed, currency)?;
                    if fixed >= amount {
                        return Err(Error::InvalidTerms {
                            field: "terms.discount.amount".into(),
                            reason: format!(
                                "{fixed} off is not less than the {amount} it is taken off"
                            ),
                        });
                    }
                    fixed
                }
                None if d.base == DiscountBase::Total || net == total || total.is_zero() => {
                    share(field, amount, d.percent)?
                }
                // The installment's untaxed share: amount x net / total,
                // then the percentage, rounded once.
                None => {
                    let exact = amount
                        .checked_mul(net)
                        .and_then(|x| x.checked_mul(d.percent))
                        .and_then(|x| x.checked_div(total))
                        .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
                        .or_overflow(field)?;
                    policy.round_checked(field, exact, minor)?
                }
            };
            Ok(Some(DiscountOffer {
                until: DueRule::Net { days: d.days }.due_date(invoice_date)?,
                percent: d.percent,
                amount: value,
                base: d.base,
            }))
        };
        match self {
            PaymentTerms::Single { due, discount } => Ok(vec![ScheduledInstallment {
                number: 1,
                due_date: due.due_date(invoice_date)?,
                amount: total,
                discount: offer(discount, total)?,
            }]),
            PaymentTerms::Installments { installments } => {
                let mut amounts: Vec<Option<Decimal>> = Vec::with_capacity(installments.len());
                let mut taken = Decimal::ZERO;
                let mut percents: Vec<(usize, Decimal)> = Vec::new();
                for (i, inst) in installments.iter().enumerate() {
                    let amount = match inst.portion {
                        Portion::Percent { percent } => {
                            percents.push((i, percent));
                            Some(share(
                                &format!("terms.installments[{i}].percent"),
                                total,
                                percent,
                            )?)
                        }
                        Portion::Fixed { amount } => Some(check_minor_units(
                            &format!("terms.installments[{i}].amount"),
                            amount,
                            currency,
                        )?),
                        Portion::Equal | Portion::Remainder => None,
                    };
                    if let Some(a) = amount {
                        taken = taken.checked_add(a).or_overflow("terms.installments")?;
                    }
                    amounts.push(amount);
                }
                let all_percent = percents.len() == installments.len();
                let hundred = percents
                    .iter()
                    .try_fold(Decimal::ZERO, |s, (_, p)| s.checked_add(*p))
                    == Some(Decimal::ONE_HUNDRED);
                if all_percent && hundred && taken != total {
                    // Odd cents: the percentages' shares of the total by
                    // largest remainder, which add up to it exactly.
                    let weights: Vec<Decimal> = percents.iter().map(|(_, p)| *p).collect();
                    for ((i, _), part) in percents.iter().zip(allocate(total, &weights, minor)?) {
                        if let Some(a) = amounts.get_mut(*i) {
                            *a = Some(part);
                        }
                    }
                    taken = total;
                }
                let left = total.checked_sub(taken).or_overflow("terms.installments")?;
                if left.is_sign_negative() && !left.is_zero() {
                    return Err(Error::InvalidTerms {
                        field: "terms.installments".into(),
                        reason: format!("portions sum to {taken}, more than the total {total}"),
                    });
                }
                let open_slots = amounts.iter().filter(|a| a.is_none()).count();
                if open_slots == 0 && !left.is_zero() {
                    return Err(Error::InvalidTerms {
                        field: "terms.installments".into(),
                        reason: format!(
                            "portions sum to {taken}, not the total {total}; end with a remainder"
                        ),
                    });
                }
                let mut fill = if open_slots > 0 {
                    allocate(left, &vec![Decimal::ONE; open_slots], minor)?
                } else {
                    Vec::new()
                }
                .into_iter();
                installments
                    .iter()
                    .zip(amounts)
                    .enumerate()
                    .map(|(i, (inst, amount))| {
                        let amount = amount.or_else(|| fill.next()).unwrap_or(Decimal::ZERO);
                        Ok(ScheduledInstallment {
                            // At most MAX_INSTALLMENTS installments.
                            number: u32::try_from(i.saturating_add(1)).unwrap_or(u32::MAX),
                            due_date: inst.due.due_date(invoice_date)?,
                            amount,
                            discount: offer(&inst.discount, amount)?,
                        })
                    })
                    .collect()
            }
        }
    }
}

impl std::fmt::Display for EarlyDiscount {
    /// `"2/10"`, or `"50.00 off/10"` for a fixed amount; `" untaxed"` or
    /// `" mixed"` after it when not taken of the total.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.amount {
            Some(a) => write!(f, "{a} off/{}", self.days)?,
            None => write!(f, "{}/{}", self.percent.normalize(), self.days)?,
        }
        match self.base {
            DiscountBase::Total => Ok(()),
            DiscountBase::Untaxed => f.write_str(" untaxed"),
            DiscountBase::Mixed => f.write_str(" mixed"),
        }
    }
}

impl std::fmt::Display for DueRule {
    /// The text [`PaymentTerms`] parses: `"due on receipt"`, `"net 30"`,
    /// `"EOM + 15"`, `"day 10 of next month"`, `"net 30, day 10 of next
    /// month"`, `"net 31 on day 15"`, `"EOM + 1 month"`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            DueRule::DueOnReceipt => f.write_str("due on receipt"),
            DueRule::Net { days } => write!(f, "net {days}"),
            DueRule::EndOfMonth { days } => write!(f, "EOM + {days}"),
            DueRule::DayOfNextMonth { days: 0, day } => write!(f, "day {day} of next month"),
            DueRule::DayOfNextMonth { days, day } => {
                write!(f, "net {days}, day {day} of next month")
            }
            DueRule::OnDayOfMonth { days, day } => write!(f, "net {days} on day {day}"),
            DueRule::MonthsAfterEndOfMonth { months: 1 } => f.write_str("EOM + 1 month"),
            DueRule::MonthsAfterEndOfMonth { months } => write!(f, "EOM + {months} months"),
        }
    }
}

impl std::fmt::Display for PaymentTerms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PaymentTerms::Single { due, discount } => {
                if let Some(d) = discount {
                    write!(f, "{d} ")?;
                }
                write!(f, "{due}")
            }
            PaymentTerms::Installments { installments } => {
                write!(f, "{} installments", installments.len())
            }
        }
    }
}

/// The grammar of terms as text, for error messages.
const GRAMMAR: &str = "\"due on receipt\", \"net N\", \"EOM + N\", \"EOM + N months\", \
                       \"day D of next month\", \"net N, day D of next month\" or \
                       \"net N on day D\", optionally after a discount \"P/D \" or \
                       \"A off/D \" (and \"untaxed \" or \"mixed \")";

/// Parses a due rule from lower-case words.
fn due_words(words: &[&str]) -> Option<DueRule> {
    let n = |w: &str| w.parse::<u32>().ok();
    Some(match *words {
        ["due", "on", "receipt"] => DueRule::DueOnReceipt,
        ["net", d] => DueRule::Net { days: n(d)? },
        ["eom", "+", d] | ["eom", d] => DueRule::EndOfMonth { days: n(d)? },
        ["eom"] => DueRule::EndOfMonth { days: 0 },
        ["eom", "+", m, "month" | "months"] => DueRule::MonthsAfterEndOfMonth { months: n(m)? },
        ["day", d, "of", "next", "month"] => DueRule::DayOfNextMonth {
            days: 0,
            day: n(d)?,
        },
        ["net", days, "day", d, "of", "next", "month"] => DueRule::DayOfNextMonth {
            days: n(days.strip_suffix(',').unwrap_or(days))?,
            day: n(d)?,
        },
        ["net", days, "on", "day", d] => DueRule::OnDayOfMonth {
            days: n(days)?,
            day: n(d)?,
        },
        _ => return None,
    })
}

impl std::str::FromStr for PaymentTerms {
    type Err = Error;

    /// Parses the usual shorthand, the same text [`PaymentTerms`] displays:
    /// a due rule (`"due on receipt"`, `"net 30"`, `"EOM + 15"`, `"EOM + 1
    /// month"`, `"day 10 of next month"`, `"net 30, day 10 of next month"`,
    /// `"net 31 on day 15"`), optionally preceded by an early-payment
    /// discount: `"2/10 "` (percent / days) or `"50.00 off/10 "` (amount /
    /// days), then `"untaxed "` or `"mixed "` for its base. Case and extra
    /// spaces are ignored.
    ///
    /// # Example
    /// ```
    /// use ar_core::{DueRule, PaymentTerms};
    /// let t: PaymentTerms = "2/10 net 30".parse().unwrap();
    /// assert_eq!(t.to_string(), "2/10 net 30");
    /// assert_eq!("EOM + 15".parse::<PaymentTerms>().unwrap(), PaymentTerms::end_of_month(15));
    /// let odoo: PaymentTerms = "net 30, day 10 of next month".parse().unwrap();
    /// assert_eq!(odoo, PaymentTerms::Single { due: DueRule::DayOfNextMonth { days: 30, day: 10 }, discount: None });
    /// assert!("net thirty".parse::<PaymentTerms>().is_err());
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidTerms`] for anything else.
    fn from_str(text: &str) -> Result<Self> {
        let bad = || Error::InvalidTerms {
            field: "terms".into(),
            reason: format!("{:?} is not {GRAMMAR}", shown(text)),
        };
        let lower = text.trim().to_ascii_lowercase();
        let mut words: Vec<&str> = lower.split_whitespace().collect();
        // A discount: "P/D" or "A off/D", then an optional base.
        let discount = match words.as_slice() {
            [amount, off_days, ..] if off_days.starts_with("off/") => {
                let amount =
                    crate::serde_decimal::parse_decimal("terms", amount).map_err(|_| bad())?;
                let days = off_days
                    .strip_prefix("off/")
                    .and_then(|d| d.parse::<u32>().ok())
                    .ok_or_else(bad)?;
                words.drain(..2);
                Some(EarlyDiscount::fixed(amount, days))
            }
            [first, ..] if first.contains('/') => {
                let (p, d) = first.split_once('/').ok_or_else(bad)?;
                let percent = crate::serde_decimal::parse_decimal("terms", p).map_err(|_| bad())?;
                let days = d.parse::<u32>().map_err(|_| bad())?;
                words.remove(0);
                Some(EarlyDiscount::percent(percent, days))
            }
            _ => None,
        };
        let discount = match (discount, words.first().copied()) {
            (Some(d), Some("untaxed")) => {
                words.remove(0);
                Some(d.with_base(DiscountBase::Untaxed))
            }
            (Some(d), Some("mixed")) => {
                words.remove(0);
                Some(d.with_base(DiscountBase::Mixed))
            }
            (d, _) => d,
        };
        let due = due_words(&words).ok_or_else(bad)?;
        let terms = PaymentTerms::Single { due, discount };
        terms.validate()?;
        Ok(terms)
    }
}

impl std::str::FromStr for DueRule {
    type Err = Error;

    /// Parses a due rule alone: `"due on receipt"`, `"net 30"`, `"EOM +
    /// 15"`, `"EOM + 1 month"`, `"day 10 of next month"`, `"net 30, day 10
    /// of next month"`, `"net 31 on day 15"`.
    ///
    /// # Errors
    /// [`Error::InvalidTerms`] for anything else, a discount included.
    fn from_str(text: &str) -> Result<Self> {
        match text.parse::<PaymentTerms>() {
            Ok(PaymentTerms::Single {
                due,
                discount: None,
            }) => Ok(due),
            Err(e) if e.code() != "invalid_terms" => Err(e),
            _ => Err(Error::InvalidTerms {
                field: "due".into(),
                reason: format!("{:?} is not a due rule alone", shown(text)),
            }),
        }
    }
}

/// An early-payment discount as it applies to one installment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DiscountOffer {
    /// Last day on which it may be taken.
    pub until: NaiveDate,
    /// Percentage; zero for a fixed amount.
    #[serde(
        default,
        skip_serializing_if = "Decimal::is_zero",
        with = "crate::serde_decimal"
    )]
    pub percent: Decimal,
    /// The discount amount, rounded once.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
    /// What it was taken of, and so how a discount taken splits into net
    /// and tax.
    #[serde(default, skip_serializing_if = "DiscountBase::is_total")]
    pub base: DiscountBase,
}

/// One installment of an invoice, with its own due date and amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScheduledInstallment {
    /// 1-based position in the schedule.
    pub number: u32,
    /// Due date.
    pub due_date: NaiveDate,
    /// Amount due.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
    /// Early-payment discount on this installment, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<DiscountOffer>,
}

impl Heap for PaymentTerms {
    fn heap(&self) -> usize {
        match self {
            PaymentTerms::Installments { installments } => vec(installments),
            _ => 0,
        }
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }
    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn usd() -> Currency {
        Currency::new("USD").unwrap()
    }

    #[test]
    fn due_dates() {
        let inv = date("2026-01-31");
        assert_eq!(DueRule::DueOnReceipt.due_date(inv).unwrap(), inv);
        assert_eq!(
            DueRule::Net { days: 30 }.due_date(inv).unwrap(),
            date("2026-03-02")
        );
        // EOM + 15: end of January is the 31st, plus 15 days.
        assert_eq!(
            DueRule::EndOfMonth { days: 15 }
                .due_date(date("2026-01-05"))
                .unwrap(),
            date("2026-02-15")
        );
        // February in a leap year.
        assert_eq!(
            DueRule::EndOfMonth { days: 0 }
                .due_date(date("2028-02-10"))
                .unwrap(),
            date("2028-02-29")
        );
        assert_eq!(
            DueRule::EndOfMonth { days: 10 }
                .due_date(date("2026-12-20"))
                .unwrap(),
            date("2027-01-10")
        );
    }

    #[test]
    fn two_ten_net_thirty() {
        let t = PaymentTerms::net(30).with_discount(d("2"), 10);
        let s = t
            .schedule(
                date("2026-03-01"),
                d("1000.00"),
                usd(),
                RoundingPolicy::default(),
            )
            .unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].due_date, date("2026-03-31"));
        let offer = s[0].discount.unwrap();
        assert_eq!(offer.until, date("2026-03-11"));
        assert_eq!(offer.amount, d("20.00"));
    }

    #[test]
    fn three_equal_installments() {
        let inst = |days| InstallmentTerm {
            portion: Portion::Equal,
            due: DueRule::Net { days },
            discount: None,
        };
        let t = PaymentTerms::Installments {
            installments: vec![inst(30), inst(60), inst(90)],
        };
        let s = t
            .schedule(
                date("2026-01-01"),
                d("100.00"),
                usd(),
                RoundingPolicy::default(),
            )
            .unwrap();
        let amounts: Vec<Decimal> = s.iter().map(|i| i.amount).collect();
        assert_eq!(amounts, vec![d("33.34"), d("33.33"), d("33.33")]);
        assert_eq!(s[2].due_date, date("2026-04-01"));
    }

    #[test]
    fn percent_then_remainder() {
        // 50% of 100.01 = 50.005 -> 50.01 (half away from zero); the last takes 50.00.
        let t = PaymentTerms::Installments {
            installments: vec![
                InstallmentTerm {
                    portion: Portion::Percent { percent: d("50") },
                    due: DueRule::Net { days: 30 },
                    discount: Some(EarlyDiscount::percent(d("1"), 10)),
                },
                InstallmentTerm {
                    portion: Portion::Remainder,
                    due: DueRule::Net { days: 60 },
                    discount: None,
                },
            ],
        };
        let s = t
            .schedule(
                date("2026-01-01"),
                d("100.01"),
                usd(),
                RoundingPolicy::default(),
            )
            .unwrap();
        assert_eq!((s[0].amount, s[1].amount), (d("50.01"), d("50.00")));
        assert_eq!(s[0].discount.unwrap().amount, d("0.50")); // 1% of 50.01 = 0.5001
        let even = t
            .schedule(
                date("2026-01-01"),
                d("100.01"),
                usd(),
                RoundingPolicy::HalfEven,
            )
            .unwrap();
        assert_eq!((even[0].amount, even[1].amount), (d("50.00"), d("50.01")));
    }

    #[test]
    fn parse_round_trips() {
        for text in [
            "due on receipt",
            "net 30",
            "EOM + 15",
            "2/10 net 30",
            "1.5/15 EOM + 0",
        ] {
            let t: PaymentTerms = text.parse().unwrap();
            assert_eq!(t.to_string(), text);
        }
        assert_eq!(
            "  NET  45 ".parse::<PaymentTerms>().unwrap(),
            PaymentTerms::net(45)
        );
        for bad in [
            "",
            "net",
            "net -3",
            "2/ net 30",
            "x/10 net 30",
            "100/10 net 30",
            "net 30 days",
        ] {
            assert_eq!(
                bad.parse::<PaymentTerms>().unwrap_err().code(),
                "invalid_terms",
                "{bad}"
            );
        }
    }

    #[test]
    fn bad_schedules() {
        let fixed = |a: &str| InstallmentTerm {
            portion: Portion::Fixed { amount: d(a) },
            due: DueRule::DueOnReceipt,
            discount: None,
        };
        let over = PaymentTerms::Installments {
            installments: vec![fixed("80"), fixed("30")],
        };
        let e = over
            .schedule(
                date("2026-01-01"),
                d("100"),
                usd(),
                RoundingPolicy::default(),
            )
            .unwrap_err();
        assert_eq!(e.code(), "invalid_terms");
        let short = PaymentTerms::Installments {
            installments: vec![fixed("80")],
        };
        assert_eq!(
            short
                .schedule(
                    date("2026-01-01"),
                    d("100"),
                    usd(),
                    RoundingPolicy::default()
                )
                .unwrap_err()
                .code(),
            "invalid_terms"
        );
        let rem_first = PaymentTerms::Installments {
            installments: vec![
                InstallmentTerm {
                    portion: Portion::Remainder,
                    due: DueRule::DueOnReceipt,
                    discount: None,
                },
                fixed("1"),
            ],
        };
        assert_eq!(rem_first.validate().unwrap_err().code(), "invalid_terms");
        assert_eq!(
            PaymentTerms::net(30)
                .with_discount(d("100"), 10)
                .validate()
                .unwrap_err()
                .code(),
            "invalid_terms"
        );
        assert_eq!(
            PaymentTerms::Installments {
                installments: vec![]
            }
            .validate()
            .unwrap_err()
            .code(),
            "invalid_terms"
        );
    }
}
