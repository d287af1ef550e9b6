//! Exchange rates supplied by the caller: a table by currency and date.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::limits::check_count;

/// Rates of a table, all currencies together.
pub const MAX_RATES: usize = 1_000_000;

/// One rate: from `date` on (until the next rate of the currency), one unit
/// of `currency` is worth `rate` units of the functional currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    /// The foreign currency.
    pub currency: Currency,
    /// First day the rate holds.
    pub date: NaiveDate,
    /// Functional units per unit of `currency`, greater than zero.
    #[serde(with = "crate::serde_decimal")]
    pub rate: Decimal,
}

/// Exchange rates into one functional currency, by currency and date. A
/// rate holds from its date until the currency's next one; a date before a
/// currency's first rate has none.
///
/// # Example
/// ```
/// use ar_core::accounting::{Rate, RateTable};
/// use ar_core::Currency;
/// use rust_decimal::Decimal;
/// let eur = Currency::new("EUR").unwrap();
/// let usd = Currency::new("USD").unwrap();
/// let table = RateTable::new(usd, vec![Rate { currency: eur, date: "2026-01-01".parse().unwrap(), rate: Decimal::new(110, 2) }]).unwrap();
/// assert_eq!(table.rate(eur, "2026-03-01".parse().unwrap()).unwrap(), Decimal::new(110, 2));
/// assert_eq!(table.rate(usd, "2020-01-01".parse().unwrap()).unwrap(), Decimal::ONE);
/// assert_eq!(table.rate(eur, "2025-12-31".parse().unwrap()).unwrap_err().code(), "missing_rate");
/// // From JSON, a table is checked as one built in code.
/// let bad = r#"{"functional":"USD","rates":[{"currency":"EUR","date":"2026-01-01","rate":"0"}]}"#;
/// assert!(serde_json::from_str::<RateTable>(bad).is_err());
/// let json = serde_json::to_string(&table).unwrap();
/// assert_eq!(serde_json::from_str::<RateTable>(&json).unwrap(), table);
/// ```
///
/// Serialized as `{"functional": "USD", "rates": [{"currency", "date",
/// "rate"}, ...]}` and read back through [`RateTable::new`], so a table
/// from JSON is checked as one built in code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RateTableForm", into = "RateTableForm")]
pub struct RateTable {
    functional: Currency,
    by_currency: BTreeMap<Currency, BTreeMap<NaiveDate, Decimal>>,
}

/// A rate table as it is written.
#[derive(Serialize, Deserialize)]
struct RateTableForm {
    functional: Currency,
    #[serde(default)]
    rates: Vec<Rate>,
}

impl TryFrom<RateTableForm> for RateTable {
    type Error = Error;

    fn try_from(form: RateTableForm) -> Result<Self> {
        RateTable::new(form.functional, form.rates)
    }
}

impl From<RateTable> for RateTableForm {
    fn from(table: RateTable) -> Self {
        let rates = table
            .by_currency
            .into_iter()
            .flat_map(|(currency, dates)| {
                dates.into_iter().map(move |(date, rate)| Rate {
                    currency,
                    date,
                    rate,
                })
            })
            .collect();
        RateTableForm {
            functional: table.functional,
            rates,
        }
    }
}

impl RateTable {
    /// A table of `rates` into `functional`.
    ///
    /// # Errors
    /// [`Error::InvalidAmount`] for a rate that is not greater than zero,
    /// [`Error::InvalidValue`] for a currency given two rates on one date or
    /// a rate of the functional currency itself;
    /// [`Error::LimitExceeded`] past [`MAX_RATES`] rates.
    pub fn new(functional: Currency, rates: Vec<Rate>) -> Result<Self> {
        check_count("rates", rates.len(), MAX_RATES)?;
        let mut by_currency: BTreeMap<Currency, BTreeMap<NaiveDate, Decimal>> = BTreeMap::new();
        for (i, r) in rates.into_iter().enumerate() {
            if r.rate <= Decimal::ZERO {
                return Err(Error::invalid_amount(
                    &format!("rates[{i}].rate"),
                    r.rate,
                    "must be greater than zero",
                ));
            }
            if r.currency == functional {
                return Err(Error::invalid_value(
                    &format!("rates[{i}].currency"),
                    r.currency,
                    "is the functional currency, whose rate is 1",
                ));
            }
            if by_currency
                .entry(r.currency)
                .or_default()
                .insert(r.date, r.rate)
                .is_some()
            {
                return Err(Error::invalid_value(
                    &format!("rates[{i}].date"),
                    r.date,
                    &format!("{} has two rates on that day", r.currency),
                ));
            }
        }
        Ok(RateTable {
            functional,
            by_currency,
        })
    }

    /// The functional currency.
    pub fn functional(&self) -> Currency {
        self.functional
    }

    /// The rate of `currency` on `date`: 1 for the functional currency.
    ///
    /// # Errors
    /// [`Error::MissingRate`] naming the pair and date.
    pub fn rate(&self, currency: Currency, date: NaiveDate) -> Result<Decimal> {
        if currency == self.functional {
            return Ok(Decimal::ONE);
        }
        self.by_currency
            .get(&currency)
            .and_then(|d| d.range(..=date).next_back())
            .map(|(_, r)| *r)
            .ok_or_else(|| Error::MissingRate {
                from: currency.code().to_owned(),
                to: self.functional.code().to_owned(),
                date: date.to_string(),
            })
    }
}
