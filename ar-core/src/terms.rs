//! Payment terms: due dates, early-payment discounts and installment schedules.

use chrono::{Datelike, Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::{Error, Result};
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
    /// Due `days` after the last day of the invoice's month ("EOM + 15").
    EndOfMonth {
        /// Days after the end of the month.
        days: u32,
    },
}

impl DueRule {
    /// The due date for an invoice dated `invoice_date`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the date leaves the calendar's range.
    pub fn due_date(self, invoice_date: NaiveDate) -> Result<NaiveDate> {
        let out_of_range = || Error::invalid_value("terms", invoice_date, "due date out of range");
        match self {
            DueRule::DueOnReceipt => Ok(invoice_date),
            DueRule::Net { days } => invoice_date
                .checked_add_days(Days::new(u64::from(days)))
                .ok_or_else(out_of_range),
            DueRule::EndOfMonth { days } => end_of_month(invoice_date)
                .and_then(|eom| eom.checked_add_days(Days::new(u64::from(days))))
                .ok_or_else(out_of_range),
        }
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

/// An early-payment discount: `percent` off if paid within `days` of the
/// invoice date ("2/10" is 2 percent within 10 days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EarlyDiscount {
    /// Percentage off, e.g. `2` for 2 %; greater than 0 and less than 100.
    #[serde(with = "crate::serde_decimal")]
    pub percent: Decimal,
    /// Days after the invoice date during which the discount may be taken.
    pub days: u32,
}

impl EarlyDiscount {
    fn validate(&self, field: &str) -> Result<()> {
        if self.percent <= Decimal::ZERO || self.percent >= Decimal::ONE_HUNDRED {
            return Err(Error::InvalidTerms {
                field: format!("{field}.percent"),
                reason: format!("{} must be greater than 0 and less than 100", self.percent),
            });
        }
        Ok(())
    }
}

/// How large one installment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Portion {
    /// A percentage of the invoice total, rounded by the invoice's policy.
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

    /// Adds an early-payment discount to single-due terms (installment terms
    /// carry a discount per installment and are returned unchanged).
    pub fn with_discount(self, percent: Decimal, days: u32) -> Self {
        match self {
            PaymentTerms::Single { due, .. } => PaymentTerms::Single {
                due,
                discount: Some(EarlyDiscount { percent, days }),
            },
            other => other,
        }
    }

    /// Checks the terms on their own (percentages in range, remainder last, ...).
    ///
    /// # Errors
    /// [`Error::InvalidTerms`] naming the installment at fault.
    pub fn validate(&self) -> Result<()> {
        match self {
            PaymentTerms::Single { discount, .. } => {
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
                for (i, inst) in installments.iter().enumerate() {
                    let field = format!("terms.installments[{i}]");
                    if let Some(d) = &inst.discount {
                        d.validate(&format!("{field}.discount"))?;
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
                Ok(())
            }
        }
    }

    /// The installments of an invoice of `total` dated `invoice_date`.
    ///
    /// Fixed portions are taken as given, percent portions are rounded once
    /// by `policy`; equal portions split what is left exactly, or the last
    /// installment takes it. The amounts always sum to `total`.
    ///
    /// # Errors
    /// [`Error::InvalidTerms`] when the portions exceed the total, or (with
    /// neither equal nor remainder portions) do not add up to it;
    /// [`Error::TooManyDecimals`] when `total` is finer than the currency.
    pub fn schedule(
        &self,
        invoice_date: NaiveDate,
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
            d.map(|d| {
                Ok(DiscountOffer {
                    until: DueRule::Net { days: d.days }.due_date(invoice_date)?,
                    percent: d.percent,
                    amount: share("terms.discount", amount, d.percent)?,
                })
            })
            .transpose()
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
                for (i, inst) in installments.iter().enumerate() {
                    let amount = match inst.portion {
                        Portion::Percent { percent } => Some(share(
                            &format!("terms.installments[{i}].percent"),
                            total,
                            percent,
                        )?),
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
                    allocate(
                        left,
                        &vec![Decimal::ONE; open_slots],
                        currency.minor_units(),
                    )?
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

impl std::fmt::Display for PaymentTerms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PaymentTerms::Single { due, discount } => {
                if let Some(d) = discount {
                    write!(f, "{}/{} ", d.percent.normalize(), d.days)?;
                }
                match due {
                    DueRule::DueOnReceipt => f.write_str("due on receipt"),
                    DueRule::Net { days } => write!(f, "net {days}"),
                    DueRule::EndOfMonth { days } => write!(f, "EOM + {days}"),
                }
            }
            PaymentTerms::Installments { installments } => {
                write!(f, "{} installments", installments.len())
            }
        }
    }
}

impl std::str::FromStr for PaymentTerms {
    type Err = Error;

    /// Parses the usual shorthand, the same text [`PaymentTerms`] displays:
    /// `"due on receipt"`, `"net 30"`, `"EOM + 15"` (or `"eom 15"`), each
    /// optionally preceded by an early-payment discount `"2/10 "` (percent /
    /// days). Case and extra spaces are ignored.
    ///
    /// # Example
    /// ```
    /// use ar_core::{DueRule, PaymentTerms};
    /// let t: PaymentTerms = "2/10 net 30".parse().unwrap();
    /// assert_eq!(t.to_string(), "2/10 net 30");
    /// assert_eq!("EOM + 15".parse::<PaymentTerms>().unwrap(), PaymentTerms::end_of_month(15));
    /// assert!("net thirty".parse::<PaymentTerms>().is_err());
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidTerms`] for anything else.
    fn from_str(text: &str) -> Result<Self> {
        let bad = || {
            Error::InvalidTerms {
            field: "terms".into(),
            reason: format!("{:?} is not \"due on receipt\", \"net N\" or \"EOM + N\", optionally after \"P/D \"", crate::error::shown(text)),
        }
        };
        let lower = text.trim().to_ascii_lowercase();
        let mut words: Vec<&str> = lower.split_whitespace().collect();
        let discount = match words.first().and_then(|w| w.split_once('/')) {
            Some((p, d)) => {
                let percent = crate::serde_decimal::parse_decimal("terms", p).map_err(|_| bad())?;
                let days = d.parse::<u32>().map_err(|_| bad())?;
                words.remove(0);
                Some(EarlyDiscount { percent, days })
            }
            None => None,
        };
        let days = |w: Option<&&str>| w.and_then(|w| w.parse::<u32>().ok()).ok_or_else(bad);
        let due = match words.as_slice() {
            ["due", "on", "receipt"] => DueRule::DueOnReceipt,
            ["net", n] => DueRule::Net {
                days: days(Some(n))?,
            },
            ["eom", "+", n] | ["eom", n] => DueRule::EndOfMonth {
                days: days(Some(n))?,
            },
            ["eom"] => DueRule::EndOfMonth { days: 0 },
            _ => return Err(bad()),
        };
        let terms = PaymentTerms::Single { due, discount };
        terms.validate()?;
        Ok(terms)
    }
}

impl std::str::FromStr for DueRule {
    type Err = Error;

    /// Parses `"due on receipt"`, `"net 30"` or `"EOM + 15"`.
    ///
    /// # Errors
    /// [`Error::InvalidTerms`] for anything else, a discount included.
    fn from_str(text: &str) -> Result<Self> {
        match text.parse::<PaymentTerms>()? {
            PaymentTerms::Single {
                due,
                discount: None,
            } => Ok(due),
            _ => Err(Error::InvalidTerms {
                field: "due".into(),
                reason: format!(
                    "{:?} is not \"due on receipt\", \"net N\" or \"EOM + N\"",
                    crate::error::shown(text)
                ),
            }),
        }
    }
}

/// An early-payment discount as it applies to one installment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DiscountOffer {
    /// Last day on which it may be taken.
    pub until: NaiveDate,
    /// Percentage.
    #[serde(with = "crate::serde_decimal")]
    pub percent: Decimal,
    /// The discount amount, rounded once.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
}

/// One installment of an invoice, with its own due date and amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
                    discount: Some(EarlyDiscount {
                        percent: d("1"),
                        days: 10,
                    }),
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
