//! Reports of a prepared book: aging and metrics by the column engine.

use crate::aging::{AgingOptions, AgingReport};
use crate::error::{Error, Result};
use crate::heap::{self, Heap};
use crate::report::columns::{self, ColCut};
use crate::report::engine::{self, Names};
use crate::report::{MetricsOptions, MetricsRow};

use super::PreparedBook;

impl Names for PreparedBook {
    fn customer(&self, c: u32) -> Option<&str> {
        let (table, row) = *self.customers.get(c as usize)?;
        let column = match table {
            0 => &self.book.invoices.customer,
            1 => &self.book.open_credits.customer,
            _ => &self.book.unapplied_cash.customer,
        };
        column.get(row as usize)
    }

    fn customer_dim(&self, c: u32, key: &str) -> Option<&str> {
        let row = *self.customer_rows.get(c as usize)?;
        self.book
            .customers
            .dimensions
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| v.get(row as usize))
    }

    fn invoice_dim(&self, i: u32, key: &str) -> Option<&str> {
        self.book
            .invoices
            .dimensions
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| v.get(i as usize))
    }

    fn invoice_id(&self, i: u32) -> Option<&str> {
        self.book.invoices.id.get(i as usize)
    }

    fn source_id(&self, s: u32) -> Option<&str> {
        let cash = *self.cols.src_is_cash.get(s as usize)?;
        let row = *self.cols.src_row.get(s as usize)? as usize;
        if cash {
            self.book.unapplied_cash.id.get(row)
        } else {
            self.book.open_credits.id.get(row)
        }
    }
}

impl PreparedBook {
    /// Ages the book as of `options.as_of`. Group by `customer`, by the
    /// invoice dimensions and by the dimensions of the customers table.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when `options.known_at` is set (a book given
    /// as columns has no recorded times), and for a group by a dimension
    /// the book was not given (field `group_by`); [`Error::LimitExceeded`]
    /// for more than [`crate::limits::MAX_DIMENSIONS`] `group_by` keys or a key longer than
    /// [`crate::limits::MAX_KEY_LEN`] bytes.
    pub fn aging(&self, options: &AgingOptions) -> Result<AgingReport> {
        no_known_at(options.known_at.is_some())?;
        crate::aging::check_group_by(&options.group_by)?;
        self.check_groups(&options.group_by)?;
        let cut = ColCut {
            day: columns::day(options.as_of),
            seq: u64::MAX,
        };
        engine::aging(&self.cols, self, cut, options, self.customers.len())
    }

    /// The metrics of [`crate::Ledger::metrics`] over the book, with
    /// settlements of kind payment as the payments.
    ///
    /// # Errors
    /// As [`PreparedBook::aging`]; [`Error::LimitExceeded`] for more than
    /// [`crate::limits::MAX_PERIODS`] `countback_months`.
    pub fn metrics(&self, options: &MetricsOptions) -> Result<Vec<MetricsRow>> {
        engine::finish_metrics(self.metrics_sums(options)?, options)
    }

    /// [`crate::Ledger::metrics_in_functional`] over the book.
    ///
    /// # Errors
    /// As [`PreparedBook::metrics`]; [`Error::MissingRate`] for a currency
    /// the table has no rate for on `date`; [`Error::Overflow`].
    pub fn metrics_in_functional(
        &self,
        options: &MetricsOptions,
        rates: &crate::accounting::RateTable,
        date: chrono::NaiveDate,
    ) -> Result<Vec<MetricsRow>> {
        crate::accounting::metrics_in_functional(self.metrics_sums(options)?, options, rates, date)
    }

    pub(crate) fn metrics_sums(&self, options: &MetricsOptions) -> Result<engine::MetricsSums> {
        no_known_at(options.known_at.is_some())?;
        crate::aging::check_group_by(&options.group_by)?;
        self.check_groups(&options.group_by)?;
        let p = options.period;
        let end = ColCut {
            day: columns::day(p.end),
            seq: u64::MAX,
        };
        // The day before the period (day numbers are far from the i32 limits).
        let begin = ColCut {
            day: columns::day(p.start).saturating_sub(1),
            seq: u64::MAX,
        };
        engine::metrics_sums(&self.cols, self, end, begin, options, self.customers.len())
    }

    /// The day number of the earliest invoice, `None` without invoices.
    pub(crate) fn first_invoice_day(&self) -> Option<i32> {
        self.cols.inv_date.iter().copied().min()
    }

    /// Number of invoices.
    pub fn invoices(&self) -> usize {
        self.cols.invoices()
    }

    /// An estimate of the heap memory the book holds, in bytes: the
    /// columns it was given and those it laid out, by their capacity (see
    /// [`crate::Ledger::heap_bytes`]). Reads no row.
    pub fn heap_bytes(&self) -> usize {
        let PreparedBook {
            book,
            cols,
            customers,
            customer_rows,
        } = self;
        heap::sum([
            book.heap(),
            cols.heap(),
            heap::vec(customers),
            heap::vec(customer_rows),
        ])
    }
}

fn no_known_at(set: bool) -> Result<()> {
    if set {
        return Err(Error::invalid_value(
            "known_at",
            "set",
            "a book given as columns has no recorded times",
        ));
    }
    Ok(())
}
