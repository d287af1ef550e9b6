//! A cash forecast from the customers' own payment behaviour, and a
//! back-test that shows how good it is on a book.
//!
//! Each open installment is expected to be paid its customer's usual
//! delay after its due date: the amount-weighted average of the days
//! between due date and payment over the customer's past payments, shrunk
//! towards the book's average by `shrinkage` paid installments' worth of
//! weight (a customer with one payment is mostly the book; one with a
//! hundred, mostly itself). The delay is rounded to whole days, half away
//! from zero. An item whose expected day has passed is expected the day
//! after the forecast's date. Disputed items are left out, or, given a
//! probability, expected at that share of their amount on the same rule.
//!
//! Built by [`crate::Ledger::forecast`] and
//! [`crate::Ledger::forecast_backtest`].

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::id::{CustomerId, InvoiceId};
use crate::money::{OrOverflow, RoundingPolicy};
use crate::state::{DeltaKind, State};
use crate::view::Cut;

/// Weeks of one back-test.
pub const MAX_BACKTEST_WEEKS: u32 = 520;

/// How to forecast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastOptions {
    /// The forecast's date: what is open then, expected after it.
    pub as_of: NaiveDate,
    /// As the books were known at this time (all, when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Weight of the book's behaviour, in paid installments (5 by
    /// default).
    #[serde(default = "default_shrinkage")]
    pub shrinkage: u32,
    /// Share of a disputed item expected (0 to 1); disputed items are left
    /// out when absent.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::serde_decimal::option"
    )]
    pub disputed_probability: Option<Decimal>,
}

fn default_shrinkage() -> u32 {
    5
}

impl ForecastOptions {
    /// A forecast as of `as_of`, as known now, with the default shrinkage
    /// and disputed items left out.
    pub fn new(as_of: NaiveDate) -> Self {
        ForecastOptions {
            as_of,
            known_at: None,
            shrinkage: default_shrinkage(),
            disputed_probability: None,
        }
    }
}

/// One open installment and when it is expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ForecastItem {
    /// The customer.
    pub customer: CustomerId,
    /// The invoice.
    pub invoice: InvoiceId,
    /// The installment (1-based).
    pub installment: u32,
    /// The currency.
    pub currency: Currency,
    /// Its due date.
    pub due_date: NaiveDate,
    /// What is open on it.
    #[serde(with = "crate::serde_decimal")]
    pub open: Decimal,
    /// The day it is expected.
    pub expected_date: NaiveDate,
    /// The amount expected (the open amount, or its disputed share).
    #[serde(with = "crate::serde_decimal")]
    pub expected_amount: Decimal,
    /// The delay used, in days after the due date.
    pub delay_days: i64,
    /// The customer's paid installments behind the delay.
    pub history: u64,
    /// Whether the item is disputed.
    pub disputed: bool,
}

/// What is expected in one period, in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ForecastBucket {
    /// The period's first day (a Monday for weeks, the 1st for months).
    pub start: NaiveDate,
    /// The currency.
    pub currency: Currency,
    /// The amount expected.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
}

/// A cash forecast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Forecast {
    /// Its date.
    pub as_of: NaiveDate,
    /// The book's amount-weighted average days after due date, rounded.
    pub book_delay_days: i64,
    /// Every open installment covered, by expected date.
    pub items: Vec<ForecastItem>,
    /// Expected per day, per currency.
    pub daily: Vec<ForecastBucket>,
    /// Expected per week (Monday to Sunday), per currency.
    pub weekly: Vec<ForecastBucket>,
    /// Expected per calendar month, per currency.
    pub monthly: Vec<ForecastBucket>,
}

/// One week of a back-test, in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BacktestWeek {
    /// The week's first day (the day after the forecast's date, then every
    /// seventh day).
    pub start: NaiveDate,
    /// The currency.
    pub currency: Currency,
    /// What the forecast expected.
    #[serde(with = "crate::serde_decimal")]
    pub forecast: Decimal,
    /// What was received on the items it covered.
    #[serde(with = "crate::serde_decimal")]
    pub actual: Decimal,
    /// What "everything is paid on its due date" expected.
    #[serde(with = "crate::serde_decimal")]
    pub on_due_date: Decimal,
    /// What "paid the book's average delay after due" expected.
    #[serde(with = "crate::serde_decimal")]
    pub book_average: Decimal,
}

/// Errors of one forecast over the weeks of a back-test, in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BacktestError {
    /// The currency.
    pub currency: Currency,
    /// Mean absolute error per week of the forecast.
    #[serde(with = "crate::serde_decimal")]
    pub mae: Decimal,
    /// Mean of forecast less actual per week (positive: too much expected).
    #[serde(with = "crate::serde_decimal")]
    pub bias: Decimal,
    /// Mean absolute error of "paid on the due date".
    #[serde(with = "crate::serde_decimal")]
    pub mae_on_due_date: Decimal,
    /// Mean absolute error of "paid the book's average delay after due".
    #[serde(with = "crate::serde_decimal")]
    pub mae_book_average: Decimal,
}

/// A forecast made as of a past date against what was received after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Backtest {
    /// The forecast tested.
    pub forecast: Forecast,
    /// Week by week.
    pub weeks: Vec<BacktestWeek>,
    /// The errors per currency.
    pub errors: Vec<BacktestError>,
}

/// A customer's (or the book's) payments so far.
#[derive(Default, Clone, Copy)]
pub(crate) struct History {
    /// Amount paid.
    pub weight: Decimal,
    /// Amount paid times days after due.
    pub weighted_days: Decimal,
    /// Amount paid after its due date.
    pub late: Decimal,
    /// Installments paid (in part or whole).
    pub paid: u64,
}

impl History {
    fn add(&mut self, amount: Decimal, days: i64) -> Result<()> {
        self.weight = self.weight.checked_add(amount).or_overflow("forecast")?;
        let d = amount
            .checked_mul(Decimal::from(days))
            .or_overflow("forecast")?;
        self.weighted_days = self.weighted_days.checked_add(d).or_overflow("forecast")?;
        if days > 0 {
            self.late = self.late.checked_add(amount).or_overflow("forecast")?;
        }
        Ok(())
    }
}

/// Delay of a history shrunk towards the book's, rounded to days.
fn delay(own: &History, book: &History, shrinkage: u32) -> Result<i64> {
    let avg = |h: &History| {
        if h.weight.is_zero() {
            Ok(Decimal::ZERO)
        } else {
            h.weighted_days
                .checked_div(h.weight)
                .or_overflow("forecast")
        }
    };
    let (mine, all) = (avg(own)?, avg(book)?);
    let (n, k) = (Decimal::from(own.paid), Decimal::from(shrinkage));
    let total = n.checked_add(k).or_overflow("forecast")?;
    let blended = if total.is_zero() {
        all
    } else {
        n.checked_mul(mine)
            .and_then(|a| k.checked_mul(all).and_then(|b| a.checked_add(b)))
            .and_then(|s| s.checked_div(total))
            .or_overflow("forecast")?
    };
    let days = RoundingPolicy::HalfAwayFromZero.round_checked("forecast", blended, 0)?;
    i64::try_from(days).map_err(|_| Error::overflow("forecast"))
}

fn plus_days(date: NaiveDate, days: i64) -> NaiveDate {
    let moved = if days >= 0 {
        date.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    moved.unwrap_or(date)
}

/// Payment histories per customer and of the book, from cash applied to
/// installments that `cut` sees.
pub(crate) fn histories(
    state: &State,
    cut: Cut,
) -> Result<(HashMap<&CustomerId, History>, History)> {
    let mut per: HashMap<&CustomerId, History> = HashMap::new();
    let mut book = History::default();
    for inv in state.invoices.iter() {
        for (t, due) in inv.installments.iter().zip(&inv.invoice.installments) {
            let mut paid = false;
            for d in t.deltas.iter() {
                if d.kind != DeltaKind::Payment || !cut.sees(d.at) {
                    continue;
                }
                let amount = crate::money::neg(d.amount);
                if amount <= Decimal::ZERO {
                    continue;
                }
                let days = d.at.eff.signed_duration_since(due.due_date).num_days();
                per.entry(&inv.invoice.customer)
                    .or_default()
                    .add(amount, days)?;
                book.add(amount, days)?;
                paid = true;
            }
            if paid {
                let h = per.entry(&inv.invoice.customer).or_default();
                h.paid = h.paid.saturating_add(1);
                book.paid = book.paid.saturating_add(1);
            }
        }
    }
    Ok((per, book))
}

fn validate(options: &ForecastOptions) -> Result<()> {
    if let Some(p) = options.disputed_probability {
        if p < Decimal::ZERO || p > Decimal::ONE {
            return Err(Error::invalid_amount(
                "disputed_probability",
                p,
                "must be between 0 and 1",
            ));
        }
    }
    Ok(())
}

/// The items of a forecast and the book's delay.
fn items(state: &State, cut: Cut, options: &ForecastOptions) -> Result<(Vec<ForecastItem>, i64)> {
    validate(options)?;
    let (per, book) = histories(state, cut)?;
    let book_delay = delay(&History::default(), &book, 1)?;
    let tomorrow = plus_days(options.as_of, 1);
    let none = History::default();
    let mut out = Vec::new();
    for inv in state.invoices.iter() {
        if !cut.sees_opt(inv.finalized) || cut.sees_opt(inv.voided) {
            continue;
        }
        let disputed = inv.disputed(cut);
        let share = match (disputed, options.disputed_probability) {
            (false, _) => Decimal::ONE,
            (true, Some(p)) => p,
            (true, None) => continue,
        };
        let own = per.get(&inv.invoice.customer).unwrap_or(&none);
        let delay_days = delay(own, &book, options.shrinkage)?;
        let currency = inv.invoice.currency;
        for (t, due) in inv.installments.iter().zip(&inv.invoice.installments) {
            let open = t.at(cut);
            if open <= Decimal::ZERO {
                continue;
            }
            let expected_amount = RoundingPolicy::default().round_checked(
                "forecast",
                open.checked_mul(share).or_overflow("forecast")?,
                currency.minor_units(),
            )?;
            out.push(ForecastItem {
                customer: inv.invoice.customer.clone(),
                invoice: inv.invoice.id.clone(),
                installment: due.number,
                currency,
                due_date: due.due_date,
                open,
                expected_date: plus_days(due.due_date, delay_days).max(tomorrow),
                expected_amount,
                delay_days,
                history: own.paid,
                disputed,
            });
        }
    }
    out.sort_by(|a, b| {
        (a.expected_date, &a.customer, &a.invoice, a.installment).cmp(&(
            b.expected_date,
            &b.customer,
            &b.invoice,
            b.installment,
        ))
    });
    Ok((out, book_delay))
}

fn monday(d: NaiveDate) -> NaiveDate {
    d.checked_sub_days(Days::new(u64::from(d.weekday().num_days_from_monday())))
        .unwrap_or(d)
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn buckets(
    items: &[ForecastItem],
    start: impl Fn(NaiveDate) -> NaiveDate,
) -> Result<Vec<ForecastBucket>> {
    let mut m: BTreeMap<(Currency, NaiveDate), Decimal> = BTreeMap::new();
    for i in items {
        let e = m.entry((i.currency, start(i.expected_date))).or_default();
        *e = e.checked_add(i.expected_amount).or_overflow("forecast")?;
    }
    Ok(m.into_iter()
        .map(|((currency, start), amount)| ForecastBucket {
            start,
            currency,
            amount,
        })
        .collect())
}

/// The forecast seen by `cut`.
pub(crate) fn forecast(state: &State, cut: Cut, options: &ForecastOptions) -> Result<Forecast> {
    let (items, book_delay_days) = items(state, cut, options)?;
    Ok(Forecast {
        as_of: options.as_of,
        book_delay_days,
        daily: buckets(&items, |d| d)?,
        weekly: buckets(&items, monday)?,
        monthly: buckets(&items, first_of_month)?,
        items,
    })
}

/// The forecast seen by `cut` tested against what the whole log shows was
/// received on its items over the `weeks` after its date.
pub(crate) fn backtest(
    state: &State,
    cut: Cut,
    options: &ForecastOptions,
    weeks: u32,
) -> Result<Backtest> {
    crate::limits::check_count(
        "weeks",
        usize::try_from(weeks).unwrap_or(usize::MAX),
        usize::try_from(MAX_BACKTEST_WEEKS).unwrap_or(usize::MAX),
    )?;
    if weeks == 0 {
        return Err(Error::invalid_value("weeks", 0, "a back-test needs a week"));
    }
    let forecast = forecast(state, cut, options)?;
    let first = plus_days(options.as_of, 1);
    let week_of = |d: NaiveDate| -> Option<u32> {
        let days = d.signed_duration_since(first).num_days();
        let w = u32::try_from(days.checked_div(7)?).ok()?;
        (days >= 0 && w < weeks).then_some(w)
    };
    // (currency, week) -> [forecast, actual, on due date, book average]
    let mut cells: BTreeMap<(Currency, u32), [Decimal; 4]> = BTreeMap::new();
    let mut add = |c: Currency, w: Option<u32>, slot: usize, amount: Decimal| -> Result<()> {
        if let Some(w) = w {
            let cell = cells.entry((c, w)).or_default();
            if let Some(x) = cell.get_mut(slot) {
                *x = x.checked_add(amount).or_overflow("forecast")?;
            }
        }
        Ok(())
    };
    for i in &forecast.items {
        add(i.currency, week_of(i.expected_date), 0, i.expected_amount)?;
        add(
            i.currency,
            week_of(i.due_date.max(first)),
            2,
            i.expected_amount,
        )?;
        let avg = plus_days(i.due_date, forecast.book_delay_days).max(first);
        add(i.currency, week_of(avg), 3, i.expected_amount)?;
        // What the log shows was received on it after the forecast's date.
        let paid = state
            .invoices
            .get(&i.invoice)
            .and_then(|s| {
                let n = usize::try_from(i.installment).ok()?.checked_sub(1)?;
                s.installments.get(n)
            })
            .map(|t| t.deltas.as_slice())
            .unwrap_or_default();
        for d in paid {
            if d.kind == DeltaKind::Payment && d.at.eff > options.as_of {
                add(
                    i.currency,
                    week_of(d.at.eff),
                    1,
                    crate::money::neg(d.amount),
                )?;
            }
        }
    }
    let mut currencies: Vec<Currency> = forecast.items.iter().map(|i| i.currency).collect();
    currencies.sort();
    currencies.dedup();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for c in currencies {
        let minor = c.minor_units();
        let (mut abs, mut signed, mut abs_due, mut abs_avg) =
            (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        for w in 0..weeks {
            let [mut f, mut a, mut due, mut avg] = cells.get(&(c, w)).copied().unwrap_or_default();
            for x in [&mut f, &mut a, &mut due, &mut avg] {
                x.rescale(minor);
            }
            let diff = |x: Decimal| x.checked_sub(a).or_overflow("forecast");
            abs = abs.checked_add(diff(f)?.abs()).or_overflow("forecast")?;
            signed = signed.checked_add(diff(f)?).or_overflow("forecast")?;
            abs_due = abs_due
                .checked_add(diff(due)?.abs())
                .or_overflow("forecast")?;
            abs_avg = abs_avg
                .checked_add(diff(avg)?.abs())
                .or_overflow("forecast")?;
            let start = plus_days(first, i64::from(w).saturating_mul(7));
            out.push(BacktestWeek {
                start,
                currency: c,
                forecast: f,
                actual: a,
                on_due_date: due,
                book_average: avg,
            });
        }
        let n = Decimal::from(weeks);
        let mean = |x: Decimal| {
            RoundingPolicy::default().round_checked(
                "forecast",
                x.checked_div(n).or_overflow("forecast")?,
                minor,
            )
        };
        errors.push(BacktestError {
            currency: c,
            mae: mean(abs)?,
            bias: mean(signed)?,
            mae_on_due_date: mean(abs_due)?,
            mae_book_average: mean(abs_avg)?,
        });
    }
    Ok(Backtest {
        forecast,
        weeks: out,
        errors,
    })
}
