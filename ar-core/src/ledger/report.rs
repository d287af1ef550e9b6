//! Reports from the ledger's state: aging, metrics and the bucket history
//! behind roll rates, computed by the column engine (`engine.rs`).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::aging::{AgeBasis, AgingOptions, AgingReport, Buckets};
use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::limits::{check_count, MAX_PERIODS};
use crate::report::columns::{self, ColCut};
use crate::report::engine::{self, Names};
use crate::report::{MetricsOptions, MetricsRow};
use crate::state::SourceDoc;
use crate::view::View;

/// The names a report shows, with customers as the report's view knows
/// them: a customer's dimensions as they stood at its `known_at`.
struct Known<'a> {
    ledger: &'a Ledger,
    seq: u64,
}

impl Names for Known<'_> {
    fn customer(&self, c: u32) -> Option<&str> {
        Names::customer(self.ledger, c)
    }

    fn customer_dim(&self, c: u32, key: &str) -> Option<&str> {
        self.ledger
            .state
            .customer_at(c as usize, self.seq)
            .and_then(|c| c.dimensions.get(key))
            .map(String::as_str)
    }

    fn invoice_dim(&self, i: u32, key: &str) -> Option<&str> {
        self.ledger.invoice_dim(i, key)
    }

    fn invoice_id(&self, i: u32) -> Option<&str> {
        self.ledger.invoice_id(i)
    }

    fn source_id(&self, s: u32) -> Option<&str> {
        self.ledger.source_id(s)
    }
}

impl Names for Ledger {
    fn customer(&self, c: u32) -> Option<&str> {
        self.state.customers.at(c as usize).map(|c| c.id.as_str())
    }

    fn customer_dim(&self, c: u32, key: &str) -> Option<&str> {
        self.state
            .customers
            .at(c as usize)
            .and_then(|c| c.dimensions.get(key))
            .map(String::as_str)
    }

    fn invoice_dim(&self, i: u32, key: &str) -> Option<&str> {
        self.state
            .invoices
            .at(i as usize)
            .and_then(|s| s.invoice.dimensions.get(key))
            .map(String::as_str)
    }

    fn invoice_id(&self, i: u32) -> Option<&str> {
        self.state
            .invoices
            .at(i as usize)
            .map(|s| s.invoice.id.as_str())
    }

    fn source_id(&self, s: u32) -> Option<&str> {
        let c = &self.state.cols;
        let (cash, row) = (c.src_is_cash.get(s as usize)?, c.src_row.get(s as usize)?);
        let src = if *cash {
            self.state.receipts.at(*row as usize)
        } else {
            self.state.credit_memos.at(*row as usize)
        }?;
        Some(match &src.doc {
            SourceDoc::Receipt(r) => r.id.as_str(),
            SourceDoc::CreditMemo(m) => m.id.as_str(),
        })
    }
}

impl Ledger {
    /// Ages the open items as of `options.as_of` (and as known at
    /// `options.known_at`): invoice installments into buckets by due date or
    /// invoice date, open credits and unapplied cash beside them, grouped and
    /// totalled per currency. For every row `total` (the sum of the buckets)
    /// equals the open invoices of [`Ledger::open_items`] for the same view.
    ///
    /// # Errors
    /// [`Error::LimitExceeded`] for more than [`crate::limits::MAX_DIMENSIONS`]
    /// `group_by` keys or a key longer than [`crate::limits::MAX_KEY_LEN`].
    pub fn aging(&self, options: &AgingOptions) -> Result<AgingReport> {
        let cut = self.cut(&View {
            as_of: Some(options.as_of),
            known_at: options.known_at,
        });
        let mut report = engine::aging(
            &self.state.cols,
            &Known {
                ledger: self,
                seq: cut.seq,
            },
            ColCut::from(cut),
            options,
            self.state.customers.len(),
        )?;
        report.credit_holds = self.state.credit_held(cut);
        Ok(report)
    }

    /// Whole-book bucket totals in `currency` at each of `dates` (as known at
    /// `known_at`), for [`crate::provision::roll_rates`].
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the dates do not strictly increase;
    /// [`Error::LimitExceeded`] for more than [`MAX_PERIODS`] dates (each is
    /// an aging of the whole book).
    pub fn bucket_history(
        &self,
        dates: &[NaiveDate],
        buckets: &Buckets,
        currency: Currency,
        known_at: Option<DateTime<Utc>>,
    ) -> Result<Vec<Vec<Decimal>>> {
        check_count("period_ends", dates.len(), MAX_PERIODS)?;
        if dates.windows(2).any(|w| matches!(w, [a, b] if a >= b)) {
            return Err(Error::invalid_value(
                "period_ends",
                format!("{dates:?}"),
                "dates must strictly increase",
            ));
        }
        dates
            .iter()
            .map(|d| {
                let options = AgingOptions {
                    as_of: *d,
                    known_at,
                    basis: AgeBasis::DueDate,
                    buckets: buckets.clone(),
                    group_by: Vec::new(),
                    detail: false,
                };
                Ok(self
                    .aging(&options)?
                    .totals
                    .into_iter()
                    .find(|t| t.currency == currency)
                    .map_or_else(|| vec![Decimal::ZERO; buckets.len()], |t| t.buckets))
            })
            .collect()
    }

    /// DSO (three ways), best possible DSO, average days delinquent, CEI,
    /// turnover, percent current and past due, and payment timing for
    /// `options.period`, per group and currency. AR is open invoices (gross;
    /// credits and cash not netted); credit sales are the totals of invoices
    /// dated in the period, finalized and not void at its end; payment timing
    /// covers receipts applied in the period and not unapplied by its end.
    ///
    /// # Errors
    /// [`Error::LimitExceeded`] for more than [`MAX_PERIODS`]
    /// `countback_months`, more than [`crate::limits::MAX_DIMENSIONS`]
    /// `group_by` keys or a key longer than [`crate::limits::MAX_KEY_LEN`].
    pub fn metrics(&self, options: &MetricsOptions) -> Result<Vec<MetricsRow>> {
        engine::finish_metrics(self.metrics_sums(options)?, options)
    }

    /// [`Ledger::metrics`] in the functional currency of `rates`, every
    /// currency's sums converted at its rate on `date` (the period end's
    /// closing rates, say), rounded once to the functional currency's minor
    /// unit and added up per group; the ratios are then taken of the
    /// converted sums, so a group in several currencies gets one row.
    ///
    /// # Errors
    /// As [`Ledger::metrics`]; [`Error::MissingRate`] for a currency the
    /// table has no rate for on `date`; [`Error::Overflow`].
    ///
    /// # Example
    /// ```
    /// use ar_core::accounting::{Rate, RateTable};
    /// use ar_core::metrics::Period;
    /// use ar_core::*;
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use rust_decimal::Decimal;
    ///
    /// let (usd, eur) = (Currency::new("USD").unwrap(), Currency::new("EUR").unwrap());
    /// let at = CommandMeta::at(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap());
    /// let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    /// let mut ledger = Ledger::new();
    /// let acme = CustomerId::new("ACME").unwrap();
    /// ledger.execute(Command::RegisterCustomer { customer: Customer::new(acme.clone(), "Acme", usd) }, &at).unwrap();
    /// for (id, currency, cents) in [("I-1", usd, 62_000), ("I-2", eur, 20_000)] {
    ///     let mut invoice = NewInvoice::new(InvoiceId::new(id).unwrap(), acme.clone(), day(1),
    ///         vec![InvoiceLine::new("x", Decimal::ONE, Decimal::new(cents, 2))]);
    ///     invoice.currency = Some(currency);
    ///     ledger.execute(Command::IssueInvoice { invoice }, &at).unwrap();
    /// }
    /// let options = MetricsOptions::new(Period::new(day(1), day(31)).unwrap());
    /// let rates = RateTable::new(usd, vec![Rate { currency: eur, date: day(31), rate: Decimal::new(11, 1) }]).unwrap();
    /// let rows = ledger.metrics_in_functional(&options, &rates, day(31)).unwrap();
    /// // 620.00 USD + 200.00 EUR at 1.1 = 840.00 USD of sales, all still open.
    /// assert_eq!(rows.len(), 1);
    /// assert_eq!(rows[0].credit_sales.to_string(), "840.00");
    /// assert_eq!(rows[0].dso_period_end, Some(Decimal::from(31)));
    /// ```
    pub fn metrics_in_functional(
        &self,
        options: &MetricsOptions,
        rates: &crate::accounting::RateTable,
        date: NaiveDate,
    ) -> Result<Vec<MetricsRow>> {
        crate::accounting::metrics_in_functional(self.metrics_sums(options)?, options, rates, date)
    }

    fn metrics_sums(&self, options: &MetricsOptions) -> Result<engine::MetricsSums> {
        let p = options.period;
        let end = ColCut::from(self.cut(&View {
            as_of: Some(p.end),
            known_at: options.known_at,
        }));
        // The day before the period (day numbers are far from the i32 limits).
        let begin = ColCut {
            day: columns::day(p.start).saturating_sub(1),
            seq: end.seq,
        };
        engine::metrics_sums(
            &self.state.cols,
            &Known {
                ledger: self,
                seq: end.seq,
            },
            end,
            begin,
            options,
            self.state.customers.len(),
        )
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use crate::terms::{DueRule, InstallmentTerm, PaymentTerms, Portion};
    use crate::*;
    use chrono::TimeZone;

    /// A ledger from a seeded stream of commands of every kind that moves
    /// an open amount, back-dated and recorded over time; refused commands
    /// are skipped.
    fn random_ledger(seed: u64) -> Ledger {
        let mut x = seed;
        let mut rnd = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n.max(1)
        };
        let usd = Currency::new("USD").unwrap();
        let day0 = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let mut t = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let mut l = Ledger::new();
        for c in 0..3 {
            let customer = Customer::new(CustomerId::new(format!("C{c}")).unwrap(), "c", usd)
                .with_dimension("region", if c == 0 { "N" } else { "S" });
            l.execute(Command::RegisterCustomer { customer }, &CommandMeta::at(t))
                .unwrap();
        }
        let (mut invoices, mut sources, mut apps, mut wos) = (0, 0, Vec::new(), Vec::new());
        for n in 0..400 {
            t += chrono::Duration::hours(i64::try_from(rnd(30)).unwrap());
            let date = day0 + chrono::Duration::days(i64::try_from(rnd(120)).unwrap());
            let cust = CustomerId::new(format!("C{}", rnd(6).saturating_sub(3))).unwrap();
            let inv = InvoiceId::new(format!("I{}", rnd(invoices + 1))).unwrap();
            let src = |k: u64| {
                if k.is_multiple_of(2) {
                    Source::Receipt(ReceiptId::new(format!("S{k}")).unwrap())
                } else {
                    Source::CreditMemo(CreditMemoId::new(format!("S{k}")).unwrap())
                }
            };
            let amount = Decimal::new(i64::try_from(1 + rnd(50_000)).unwrap(), 2);
            let cmd = match rnd(12) {
                0..=2 => {
                    let mut new = NewInvoice::new(
                        InvoiceId::new(format!("I{invoices}")).unwrap(),
                        cust,
                        date,
                        vec![InvoiceLine::new("x", Decimal::ONE, amount)],
                    );
                    invoices += 1;
                    let equal = |days| InstallmentTerm {
                        portion: Portion::Equal,
                        due: DueRule::Net { days },
                        discount: None,
                    };
                    if rnd(3) == 0 {
                        new.terms = Some(PaymentTerms::Installments {
                            installments: vec![equal(30), equal(60), equal(90)],
                        });
                    }
                    new.draft = rnd(10) == 0;
                    Command::IssueInvoice { invoice: new }
                }
                3 => Command::FinalizeInvoice { invoice: inv, date },
                4 => {
                    let k = sources;
                    sources += 1;
                    match src(k) {
                        Source::Receipt(id) => Command::RecordReceipt {
                            receipt: Receipt {
                                id,
                                customer: (rnd(4) != 0).then_some(cust),
                                date,
                                amount: amount * Decimal::from(4),
                                currency: usd,
                                method: PaymentMethod::Ach,
                                reference: None,
                                remittance: String::new(),
                                payer_name: None,
                                payer_account: None,
                            },
                        },
                        Source::CreditMemo(id) => Command::IssueCreditMemo {
                            id,
                            customer: cust,
                            date,
                            currency: None,
                            against: None,
                            kind: CreditKind::Amount {
                                amount: amount * Decimal::from(4),
                            },
                            reason: String::new(),
                        },
                    }
                }
                5..=7 => {
                    let id = ApplicationId::new(format!("A{n}")).unwrap();
                    apps.push(id.clone());
                    Command::Apply {
                        id: Some(id),
                        source: src(rnd(sources + 1)),
                        invoice: inv,
                        installment: None,
                        amount: (amount / Decimal::from(1 + rnd(8))).round_dp(2),
                        discount: Decimal::ZERO,
                        date: date + chrono::Duration::days(60),
                    }
                }
                8 => Command::Unapply {
                    application: apps
                        .get(usize::try_from(rnd(apps.len() as u64 + 1)).unwrap())
                        .cloned()
                        .unwrap_or_else(|| ApplicationId::new("none").unwrap()),
                    date,
                    reason: String::new(),
                },
                9 => {
                    let id = WriteOffId::new(format!("W{n}")).unwrap();
                    wos.push(id.clone());
                    Command::WriteOff {
                        id: Some(id),
                        invoice: inv,
                        installment: None,
                        amount: Some((amount / Decimal::from(8)).round_dp(2)),
                        date: date + chrono::Duration::days(60),
                        reason: "bad debt".into(),
                    }
                }
                10 if rnd(3) == 0 => Command::VoidInvoice {
                    invoice: inv,
                    date,
                    reason: String::new(),
                },
                10 => Command::Unapply {
                    application: apps
                        .last()
                        .cloned()
                        .unwrap_or_else(|| ApplicationId::new("none").unwrap()),
                    date: date + chrono::Duration::days(70),
                    reason: String::new(),
                },
                _ => Command::AssignPayer {
                    receipt: ReceiptId::new(format!("S{}", 2 * rnd(sources / 2 + 1))).unwrap(),
                    customer: cust,
                    date,
                },
            };
            let _ = l.execute(cmd, &CommandMeta::at(t));
        }
        l
    }

    #[test]
    fn the_fast_path_gives_the_figures_of_the_i128_path() {
        for seed in [1, 7, 42] {
            let fast = random_ledger(seed);
            let mut wide = fast.clone();
            wide.state.cols.force_wide();
            assert!(!fast.state.cols.wide() && wide.state.cols.wide());
            let mut known: Vec<Option<DateTime<Utc>>> = fast
                .events()
                .iter()
                .step_by(25)
                .map(|e| Some(e.recorded))
                .collect();
            known.push(None);
            let day0 = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
            for known_at in known {
                for offset in (0..260).step_by(13) {
                    let as_of = day0 + chrono::Duration::days(offset);
                    for group_by in [
                        vec![GroupBy::Customer],
                        vec![GroupBy::InvoiceDimension("none".into())],
                        vec![GroupBy::CustomerDimension("region".into())],
                    ] {
                        let o = AgingOptions {
                            known_at,
                            group_by: group_by.clone(),
                            detail: true,
                            ..AgingOptions::new(as_of)
                        };
                        assert_eq!(fast.aging(&o), wide.aging(&o), "{seed} {o:?}");
                        let m = MetricsOptions {
                            known_at,
                            group_by,
                            ..MetricsOptions::new(
                                Period::new(as_of - chrono::Duration::days(40), as_of).unwrap(),
                            )
                        };
                        assert_eq!(fast.metrics(&m), wide.metrics(&m), "{seed} {m:?}");
                    }
                }
            }
        }
    }
}
