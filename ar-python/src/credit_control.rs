//! Credit control: `Ledger.set_credit_hold` and `Ledger.credit_check` read
//! their arguments here and hand back the core's `CreditCheck` as the
//! records of `python/ar/_credit.py`. Every rule comes from
//! `ar_core::credit_control`.

use ar_core::credit_control::{CreditCheckOptions, CreditPolicy};
use ar_core::rust_decimal::Decimal;
use ar_core::{Command, CustomerId};
use pyo3::prelude::*;

use crate::collections::{read, text};
use crate::conv;

type Arg<'a, 'py> = Option<&'a Bound<'py, PyAny>>;

/// `set_credit_hold`.
pub fn hold(
    customer: &Bound<'_, PyAny>,
    on: &Bound<'_, PyAny>,
    date: &Bound<'_, PyAny>,
    reason: &Bound<'_, PyAny>,
    by: Arg<'_, '_>,
) -> PyResult<Command> {
    Ok(Command::SetCreditHold {
        customer: conv::id("customer", customer, CustomerId::parse_field)?,
        hold: conv::flag("hold", on)?,
        date: conv::date("date", date)?,
        reason: text("reason", Some(reason))?,
        by: text("by", by)?,
    })
}

/// The arguments of `credit_check`, read before the ledger is locked.
pub struct Check {
    pub customer: CustomerId,
    pub amount: Decimal,
    pub options: CreditCheckOptions,
}

pub fn check(
    customer: &Bound<'_, PyAny>,
    amount: &Bound<'_, PyAny>,
    as_of: &Bound<'_, PyAny>,
    orders: Arg<'_, '_>,
    policy: Arg<'_, '_>,
    known_at: Arg<'_, '_>,
) -> PyResult<Check> {
    let customer = conv::id("customer", customer, CustomerId::parse_field)?;
    let amount = conv::decimal("amount", amount)?;
    let mut options = CreditCheckOptions::new(conv::date("as_of", as_of)?);
    if let Some(o) = conv::opt_decimal("orders", orders)? {
        options.orders = o;
    }
    if let Some(p) = conv::given(policy) {
        options.policy = read::<CreditPolicy>(p, "policy")?;
    }
    options.known_at = conv::opt_timestamp("known_at", known_at)?;
    Ok(Check {
        customer,
        amount,
        options,
    })
}
