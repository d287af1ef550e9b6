//! The credit check of a ledger.

use rust_decimal::Decimal;

use crate::credit_control::{
    CreditCheck, CreditCheckOptions, CreditFinding, CreditOutcome, CreditReason,
};
use crate::error::{Error, Result};
use crate::id::CustomerId;
use crate::kinds::OpenItemKind;
use crate::ledger::Ledger;
use crate::money::{check_minor_units, OrOverflow};
use crate::view::View;

impl Ledger {
    /// Whether `customer` may buy `amount` more on credit, as of
    /// `options.as_of`: allow, warn or block, with every reason that
    /// applies (see [`crate::credit_control`]).
    ///
    /// # Errors
    /// [`Error::NotFound`] for a customer the view does not know;
    /// [`Error::InvalidAmount`] for a negative amount or orders,
    /// [`Error::TooManyDecimals`] for one finer than the customer's
    /// currency; [`Error::InvalidValue`] for a warning share outside 0 to
    /// 100.
    ///
    /// # Example
    /// ```
    /// use ar_core::*;
    /// use ar_core::credit_control::{CreditCheckOptions, CreditOutcome};
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use rust_decimal::Decimal;
    ///
    /// let usd = Currency::new("USD").unwrap();
    /// let acme = CustomerId::new("ACME").unwrap();
    /// let at = CommandMeta::at(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap());
    /// let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    /// let mut ledger = Ledger::new();
    /// let customer = Customer::new(acme.clone(), "Acme", usd).with_credit_limit(Decimal::new(100000, 2));
    /// ledger.execute(Command::RegisterCustomer { customer }, &at).unwrap();
    /// // 1,200.00 on a limit of 1,000.00: blocked, over by 200.00.
    /// let check = ledger.credit_check(&acme, Decimal::new(120000, 2), &CreditCheckOptions::new(day)).unwrap();
    /// assert_eq!(check.outcome, CreditOutcome::Block);
    /// ```
    pub fn credit_check(
        &self,
        customer: &CustomerId,
        amount: Decimal,
        options: &CreditCheckOptions,
    ) -> Result<CreditCheck> {
        let view = View {
            as_of: Some(options.as_of),
            known_at: options.known_at,
        };
        let cut = self.cut(&view);
        // Unknown, or not yet registered as the view knows the log.
        let (row, record) = self
            .state
            .customers
            .index_of(customer)
            .and_then(|r| Some((r, self.state.customer_at(r, cut.seq)?)))
            .ok_or_else(|| Error::not_found("customer", "customer", customer.as_str()))?;
        let currency = record.currency;
        for (field, value) in [("amount", amount), ("orders", options.orders)] {
            if value.is_sign_negative() && !value.is_zero() {
                return Err(Error::invalid_amount(field, value, "must not be negative"));
            }
            check_minor_units(field, value, currency)?;
        }
        let policy = &options.policy;
        if policy.warn_at_percent < Decimal::ZERO || policy.warn_at_percent > Decimal::ONE_HUNDRED {
            return Err(Error::invalid_value(
                "policy.warn_at_percent",
                policy.warn_at_percent,
                "must be between 0 and 100",
            ));
        }
        let owed = self
            .balances_of(&view, Some(customer))
            .into_iter()
            .filter(|b| b.currency == currency)
            .map(|b| b.net)
            .try_fold(Decimal::ZERO, |s, n| s.checked_add(n))
            .or_overflow("credit_check")?;
        let exposure = owed
            .checked_add(options.orders)
            .and_then(|e| e.checked_add(amount))
            .or_overflow("credit_check")?;
        let mut findings = Vec::new();
        if let Some(h) = self.state.credit_hold(row, cut) {
            findings.push(CreditFinding {
                outcome: CreditOutcome::Block,
                reason: CreditReason::OnHold {
                    since: h.at.eff,
                    reason: h.reason.clone(),
                    by: h.by.clone(),
                },
            });
        }
        if let Some(limit) = record.credit_limit {
            let warn_at = limit
                .checked_mul(policy.warn_at_percent)
                .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
                .or_overflow("credit_check")?;
            if exposure > limit {
                findings.push(CreditFinding {
                    outcome: CreditOutcome::Block,
                    reason: CreditReason::OverLimit {
                        limit,
                        exposure,
                        over_by: exposure.checked_sub(limit).or_overflow("credit_check")?,
                    },
                });
            } else if exposure >= warn_at && !exposure.is_zero() {
                findings.push(CreditFinding {
                    outcome: CreditOutcome::Warn,
                    reason: CreditReason::NearLimit { limit, exposure },
                });
            }
        }
        // Items of the customer's currency past due beyond the policy.
        let (mut items, mut late, mut oldest) = (0u64, Decimal::ZERO, 0i64);
        for item in self.open_items_of(&view, Some(customer)) {
            let (OpenItemKind::Invoice, Some(due)) = (item.kind, item.due_date) else {
                continue;
            };
            let days = options.as_of.signed_duration_since(due).num_days();
            if item.currency != currency || days <= i64::from(policy.past_due_days) {
                continue;
            }
            items = items.saturating_add(1);
            late = late.checked_add(item.open).or_overflow("credit_check")?;
            oldest = oldest.max(days);
        }
        if items > 0 {
            findings.push(CreditFinding {
                outcome: policy.past_due.outcome(),
                reason: CreditReason::PastDue {
                    days: policy.past_due_days,
                    items,
                    amount: late,
                    oldest_days: oldest,
                },
            });
        }
        let broken = self
            .broken_promises(options.as_of, options.known_at)?
            .into_iter()
            .filter(|p| &p.promise.customer == customer)
            .count();
        if broken > 0 {
            findings.push(CreditFinding {
                outcome: policy.broken_promise.outcome(),
                reason: CreditReason::BrokenPromises {
                    count: u64::try_from(broken).unwrap_or(u64::MAX),
                },
            });
        }
        // Weightiest first; the order found within a weight.
        findings.sort_by_key(|f| std::cmp::Reverse(f.outcome));
        let outcome = findings.first().map_or(CreditOutcome::Allow, |f| f.outcome);
        let scale = |mut d: Decimal| {
            d.rescale(currency.minor_units());
            d
        };
        Ok(CreditCheck {
            customer: customer.clone(),
            currency,
            limit: record.credit_limit,
            owed: scale(owed),
            exposure: scale(exposure),
            outcome,
            reasons: findings,
        })
    }
}
