//! The cash forecast of a ledger.

use crate::error::Result;
use crate::forecast::{self, Backtest, Forecast, ForecastOptions};
use crate::ledger::Ledger;
use crate::view::View;

impl Ledger {
    /// The cash forecast as of `options.as_of`: each open installment with
    /// the day it is expected from its customer's payment behaviour, and
    /// the amounts expected per day, week and month, per currency. See
    /// [`crate::forecast`] for the rule.
    ///
    /// # Errors
    /// [`crate::Error::InvalidAmount`] for a disputed probability outside
    /// 0 to 1; [`crate::Error::Overflow`].
    ///
    /// # Example
    /// ```
    /// use ar_core::*;
    /// use ar_core::forecast::ForecastOptions;
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use rust_decimal::Decimal;
    ///
    /// let usd = Currency::new("USD").unwrap();
    /// let acme = CustomerId::new("ACME").unwrap();
    /// let at = CommandMeta::at(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap());
    /// let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    /// let mut ledger = Ledger::new();
    /// ledger.execute(Command::RegisterCustomer { customer: Customer::new(acme.clone(), "Acme", usd) }, &at).unwrap();
    /// let line = InvoiceLine::new("Widgets", Decimal::ONE, Decimal::new(50000, 2));
    /// let mut invoice = NewInvoice::new(InvoiceId::new("INV-1").unwrap(), acme, day(1), vec![line]);
    /// invoice.terms = Some(PaymentTerms::net(10));
    /// ledger.execute(Command::IssueInvoice { invoice }, &at).unwrap();
    ///
    /// // No history at all: expected on its due date.
    /// let f = ledger.forecast(&ForecastOptions::new(day(2))).unwrap();
    /// assert_eq!(f.items[0].expected_date, day(11));
    /// assert_eq!(f.weekly[0].amount.to_string(), "500.00");
    /// ```
    pub fn forecast(&self, options: &ForecastOptions) -> Result<Forecast> {
        let cut = self.cut(&View {
            as_of: Some(options.as_of),
            known_at: options.known_at,
        });
        forecast::forecast(&self.state, cut, options)
    }

    /// The forecast as of a past date (as [`Ledger::forecast`]) against
    /// what the log shows was received on its items in each of the `weeks`
    /// after it, beside two naive forecasts (everything paid on its due
    /// date; paid the book's average delay after it): per week and
    /// currency, and the mean absolute error and bias of each.
    ///
    /// # Errors
    /// As [`Ledger::forecast`]; [`crate::Error::InvalidValue`] for no
    /// weeks, [`crate::Error::LimitExceeded`] past
    /// [`crate::forecast::MAX_BACKTEST_WEEKS`].
    pub fn forecast_backtest(&self, options: &ForecastOptions, weeks: u32) -> Result<Backtest> {
        let cut = self.cut(&View {
            as_of: Some(options.as_of),
            known_at: options.known_at,
        });
        forecast::backtest(&self.state, cut, options, weeks)
    }
}
