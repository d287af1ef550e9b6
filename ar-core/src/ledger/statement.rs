//! Statements of account of a ledger.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use crate::aging::{AgingOptions, GroupBy};
use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::id::CustomerId;
use crate::ledger::Ledger;
use crate::limits::check_count;
use crate::statement::{
    movements, run_balance, Statement, StatementOptions, StatementSection, MAX_STATEMENT_CUSTOMERS,
};
use crate::view::View;

impl Ledger {
    /// The statement of account of `customer` for the period of `options`:
    /// per currency, the opening balance, every movement with a running
    /// balance, the closing balance, and what is open at the end with its
    /// age and an aging summary.
    ///
    /// # Errors
    /// [`Error::NotFound`] for a customer the view does not know;
    /// [`Error::InvalidValue`] for a period that ends before it starts.
    ///
    /// # Example
    /// ```
    /// use ar_core::*;
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use rust_decimal::Decimal;
    ///
    /// let usd = Currency::new("USD").unwrap();
    /// let acme = CustomerId::new("ACME").unwrap();
    /// let at = CommandMeta::at(Utc.with_ymd_and_hms(2026, 3, 31, 9, 0, 0).unwrap());
    /// let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    /// let mut ledger = Ledger::new();
    /// ledger.execute(Command::RegisterCustomer { customer: Customer::new(acme.clone(), "Acme", usd) }, &at).unwrap();
    /// let line = InvoiceLine::new("Widgets", Decimal::ONE, Decimal::new(50000, 2));
    /// let invoice = NewInvoice::new(InvoiceId::new("INV-1").unwrap(), acme.clone(), day(2), vec![line]);
    /// ledger.execute(Command::IssueInvoice { invoice }, &at).unwrap();
    /// let receipt = Receipt::new(ReceiptId::new("R-1").unwrap(), day(20), usd, Decimal::new(20000, 2))
    ///     .with_customer(acme.clone());
    /// ledger.execute(Command::RecordReceipt { receipt }, &at).unwrap();
    ///
    /// let s = ledger.statement(&acme, &StatementOptions::new(day(1), day(31))).unwrap();
    /// let usd_part = &s.sections[0];
    /// assert_eq!(usd_part.opening, Decimal::ZERO);
    /// assert_eq!(usd_part.entries.len(), 2); // the invoice, the payment
    /// assert_eq!(usd_part.closing.to_string(), "300.00");
    /// ```
    pub fn statement(
        &self,
        customer: &CustomerId,
        options: &StatementOptions,
    ) -> Result<Statement> {
        let known = self.cut(&View {
            as_of: Some(options.to),
            known_at: options.known_at,
        });
        let row = self.state.customers.index_of(customer);
        if row
            .and_then(|r| self.state.customer_at(r, known.seq))
            .is_none()
        {
            return Err(Error::not_found("customer", "customer", customer.as_str()));
        }
        let mut all = self.statements_of(options, Some(customer))?;
        all.pop()
            .ok_or_else(|| Error::not_found("customer", "customer", customer.as_str()))
    }

    /// The statements of every customer with anything to show for the
    /// period (an opening balance, a movement or an open item), in
    /// customer order; a customer with nothing gets none.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a period that ends before it starts.
    pub fn statements(&self, options: &StatementOptions) -> Result<Vec<Statement>> {
        self.statements_of(options, None)
    }

    /// The statements of `customers`, in that order: one pass over the
    /// book for all of them (as [`Ledger::statements`]), and
    /// [`Ledger::statement`] for any with nothing to show there (which
    /// then says why).
    ///
    /// # Errors
    /// [`Error::LimitExceeded`] for more than [`MAX_STATEMENT_CUSTOMERS`];
    /// those of [`Ledger::statement`].
    pub fn statements_for(
        &self,
        customers: &[CustomerId],
        options: &StatementOptions,
    ) -> Result<Vec<Statement>> {
        check_count("customers", customers.len(), MAX_STATEMENT_CUSTOMERS)?;
        let mut all: std::collections::HashMap<CustomerId, Statement> = self
            .statements(options)?
            .into_iter()
            .map(|s| (s.customer.clone(), s))
            .collect();
        customers
            .iter()
            .map(|c| match all.remove(c) {
                Some(s) => Ok(s),
                None => self.statement(c, options),
            })
            .collect()
    }

    fn statements_of(
        &self,
        options: &StatementOptions,
        only: Option<&CustomerId>,
    ) -> Result<Vec<Statement>> {
        if options.to < options.from {
            return Err(Error::invalid_value(
                "to",
                options.to,
                &format!("the period ends before it starts ({})", options.from),
            ));
        }
        let end = View {
            as_of: Some(options.to),
            known_at: options.known_at,
        };
        let cut = self.cut(&end);
        // Opening balances: as of the day before the period.
        let mut opening: BTreeMap<(CustomerId, Currency), Decimal> = BTreeMap::new();
        if let Some(before) = options.from.pred_opt() {
            let view = View {
                as_of: Some(before),
                known_at: options.known_at,
            };
            for b in self.balances_of(&view, only) {
                if let Some(c) = b.customer {
                    if !b.net.is_zero() {
                        opening.insert((c, b.currency), b.net);
                    }
                }
            }
        }
        let mut moves = movements(&self.events, &self.state, cut, options.from, only)?;
        let mut aging_options = AgingOptions::new(options.to);
        aging_options.known_at = options.known_at;
        aging_options.group_by = vec![GroupBy::Customer];
        aging_options.detail = true;
        if let Some(b) = &options.buckets {
            aging_options.buckets = b.clone();
        }
        let aging = self.aging(&aging_options)?;
        let mut rows: BTreeMap<(String, Currency), crate::aging::AgingRow> = BTreeMap::new();
        for r in aging.rows {
            if let Some(c) = r.group.first() {
                if only.is_none_or(|o| o.as_str() == c) {
                    rows.insert((c.clone(), r.currency), r);
                }
            }
        }
        let mut lines: BTreeMap<(String, Currency), Vec<crate::aging::AgingLine>> = BTreeMap::new();
        for l in aging.detail {
            if let Some(c) = &l.customer {
                if only.is_none_or(|o| o.as_str() == c) {
                    lines.entry((c.clone(), l.currency)).or_default().push(l);
                }
            }
        }
        // Every (customer, currency) with anything to show.
        let mut keys: BTreeSet<(CustomerId, Currency)> = opening.keys().cloned().collect();
        keys.extend(moves.keys().cloned());
        for (c, currency) in rows.keys() {
            if let Ok(id) = CustomerId::new(c) {
                keys.insert((id, *currency));
            }
        }
        let mut by_customer: BTreeMap<CustomerId, Vec<StatementSection>> = BTreeMap::new();
        for (customer, currency) in keys {
            let k = (customer.clone(), currency);
            let open = opening.get(&k).copied().unwrap_or_default();
            let mut entries = moves.remove(&k).unwrap_or_default();
            let mut closing = run_balance(open, &mut entries)?;
            closing.rescale(currency.minor_units());
            let mut open_at = open;
            open_at.rescale(currency.minor_units());
            let ak = (customer.to_string(), currency);
            by_customer
                .entry(customer)
                .or_default()
                .push(StatementSection {
                    currency,
                    opening: open_at,
                    entries,
                    closing,
                    open_items: lines.remove(&ak).unwrap_or_default(),
                    aging: rows.remove(&ak),
                });
        }
        check_count("customers", by_customer.len(), MAX_STATEMENT_CUSTOMERS)?;
        // In the ledger's customer order, named as the view knows them.
        let mut out = Vec::with_capacity(by_customer.len());
        for c in self.state.customers_at(cut.seq) {
            if let Some(sections) = by_customer.remove(&c.id) {
                out.push(Statement {
                    customer: c.id.clone(),
                    name: c.name.clone(),
                    from: options.from,
                    to: options.to,
                    labels: aging.labels.clone(),
                    sections,
                    credit_hold: self
                        .state
                        .customers
                        .index_of(&c.id)
                        .is_some_and(|r| self.state.credit_hold(r, cut).is_some()),
                });
            }
        }
        Ok(out)
    }
}
