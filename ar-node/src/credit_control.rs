//! Credit control: `Ledger.setCreditHold` and `Ledger.creditCheck`. Every
//! rule comes from `ar_core::credit_control`.
//!
//! Through the conversion layer: the options are read by `de.rs` (the
//! policy straight into the core's `CreditPolicy`), the core's
//! `CreditCheck` written by `out.rs`; the `#[napi(object)]` structs of the
//! result declare their TypeScript interfaces only.

use ar_core::credit_control::{CreditCheckOptions as CoreOptions, CreditPolicy};
use ar_core::{Command, CustomerId};
use napi::bindgen_prelude::Unknown;
use napi::Env;
use napi_derive::napi;
use serde::Deserialize;

use crate::de::{self, Amount, Date, Timestamp};
use crate::errors::guard;
use crate::ledger::Ledger;
use crate::out;
use crate::views::Outcome;

/// The options of `Ledger.setCreditHold`.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct CreditHoldOptions {
    /// The customer.
    pub customer: String,
    /// On hold from `date`, or lifted.
    pub hold: bool,
    /// Effective date.
    #[napi(ts_type = "string")]
    pub date: Date,
    /// Why; required, to lift a hold too.
    pub reason: String,
    /// Who placed or lifted it.
    pub by: Option<String>,
}

/// When a credit check warns or blocks. Every field is optional.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::credit_control::CreditPolicy`
pub struct CreditPolicyOptions {
    /// Warn when the exposure reaches this percent of the limit; default
    /// `"90"`.
    pub warn_at_percent: Option<String>,
    /// Items more than this many days past due count; default 30.
    pub past_due_days: Option<u32>,
    /// What such items do; default `'block'`.
    #[napi(ts_type = "'warn' | 'block'")]
    pub past_due: Option<String>,
    /// What a broken promise to pay does; default `'warn'`.
    #[napi(ts_type = "'warn' | 'block'")]
    pub broken_promise: Option<String>,
}

/// The options of `Ledger.creditCheck`.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct CreditCheckOptions {
    /// The customer.
    pub customer: String,
    /// The amount asked for.
    #[napi(ts_type = "string")]
    pub amount: Amount,
    /// The check's date, `YYYY-MM-DD`.
    #[napi(ts_type = "string")]
    pub as_of: Date,
    /// Only events recorded by this time, RFC 3339. Default: everything.
    #[napi(ts_type = "string")]
    pub known_at: Option<Timestamp>,
    /// Orders accepted but not yet invoiced; default `"0"`.
    #[napi(ts_type = "string")]
    pub orders: Option<Amount>,
    /// The policy; default: its defaults.
    #[napi(ts_type = "CreditPolicyOptions")]
    pub policy: Option<CreditPolicy>,
}

/// Why a check warns or blocks; the fields of its `kind` only.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::credit_control::CreditReason`
pub struct CreditReason {
    #[napi(ts_type = "'over_limit' | 'near_limit' | 'past_due' | 'broken_promises' | 'on_hold'")]
    pub kind: String,
    /// `over_limit`, `near_limit`: the limit.
    pub limit: Option<String>,
    /// `over_limit`, `near_limit`: the exposure with the amount asked for.
    pub exposure: Option<String>,
    /// `over_limit`: by how much.
    pub over_by: Option<String>,
    /// `past_due`: the policy's days.
    pub days: Option<u32>,
    /// `past_due`: how many items.
    pub items: Option<i64>,
    /// `past_due`: their open amount.
    pub amount: Option<String>,
    /// `past_due`: days past due of the oldest.
    pub oldest_days: Option<i64>,
    /// `broken_promises`: how many.
    pub count: Option<i64>,
    /// `on_hold`: since when, `YYYY-MM-DD`.
    pub since: Option<String>,
    /// `on_hold`: why.
    pub reason: Option<String>,
    /// `on_hold`: who placed it.
    pub by: Option<String>,
}

/// One reason, and whether it warns or blocks.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::credit_control::CreditFinding`
pub struct CreditFinding {
    #[napi(ts_type = "'allow' | 'warn' | 'block'")]
    pub outcome: String,
    pub reason: CreditReason,
}

/// The answer of a credit check.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::credit_control::CreditCheck`
pub struct CreditCheck {
    pub customer: String,
    /// ISO 4217 code.
    pub currency: String,
    /// The credit limit; absent when the customer has none.
    pub limit: Option<String>,
    /// Owed as of the date.
    pub owed: String,
    /// Owed, plus the orders, plus the amount asked for.
    pub exposure: String,
    /// The worst of the reasons; `'allow'` when there are none.
    #[napi(ts_type = "'allow' | 'warn' | 'block'")]
    pub outcome: String,
    pub reasons: Vec<CreditFinding>,
}

#[napi]
impl Ledger {
    /// Puts a customer on a credit hold (every credit check blocks), or
    /// lifts it.
    ///
    /// Errors: `not_found`, `invalid_value` (no reason), `invalid_date`.
    #[napi(ts_args_type = "options: CreditHoldOptions, meta?: CommandMeta")]
    pub fn set_credit_hold(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: CreditHoldOptions = de::options(&env, options, "options", "CreditHoldOptions")?;
            Ok(Command::SetCreditHold {
                customer: CustomerId::parse_field("customer", o.customer)?,
                hold: o.hold,
                date: o.date.0,
                reason: o.reason,
                by: o.by.unwrap_or_default(),
            })
        })
    }

    /// Whether a customer may take `amount` more on credit: `'allow'`,
    /// `'warn'` or `'block'`, with every reason.
    ///
    /// Errors: `not_found`, `invalid_amount`, `too_many_decimals`,
    /// `invalid_date`, `invalid_value` (a bad policy).
    #[napi(
        ts_args_type = "options: CreditCheckOptions",
        ts_return_type = "CreditCheck"
    )]
    pub fn credit_check<'e>(
        &self,
        env: &'e Env,
        options: Unknown<'_>,
    ) -> napi::Result<Unknown<'e>> {
        guard(env, || {
            let o: CreditCheckOptions = de::options(env, options, "options", "CreditCheckOptions")?;
            let customer = CustomerId::parse_field("customer", o.customer)?;
            let mut core = CoreOptions::new(o.as_of.0);
            core.known_at = o.known_at.map(|t| t.0);
            if let Some(orders) = o.orders {
                core.orders = orders.0;
            }
            if let Some(policy) = o.policy {
                core.policy = policy;
            }
            let c = self.core()?.credit_check(&customer, o.amount.0, &core)?;
            out::to_js(env, &c, None)
        })
    }
}
