//! Dunning policies as data: levels by days past due, thresholds, fees,
//! templates, interest, and which customer follows which policy.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::collection_records::DunningAction;
use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::limits::{
    check_count, check_len, MAX_CURRENCY_AMOUNTS, MAX_DUNNING_LEVELS, MAX_KEY_LEN, MAX_POLICIES,
    MAX_TEMPLATES, MAX_TEMPLATE_LEN,
};
use crate::money::{check_minor_units, Money};

use super::interest::InterestRule;

/// One level of a dunning policy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DunningLevel {
    /// Days past due from which an item reaches this level; negative for a
    /// reminder before the due date.
    pub days: i32,
    /// Least overdue amount, per currency, for a notice at this level; a
    /// currency not listed has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub min_overdue: Vec<Money>,
    /// How the notice is sent.
    #[serde(default)]
    pub action: DunningAction,
    /// Id of the template the notice is written with.
    pub template: String,
    /// Fee per notice at this level, per currency.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fee: Vec<Money>,
    /// Whether a notice at this level claims interest (by the policy's
    /// rule).
    #[serde(default)]
    pub interest: bool,
}

/// How a payment is applied when the policy has a say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClearingOrder {
    /// To what the payer names (or FIFO).
    #[default]
    AsNamed,
    /// Costs, then interest, then principal (section 367 BGB): the
    /// command `apply_in_clearing_order`.
    CostsInterestPrincipal,
}

/// A dunning policy.
///
/// # Example
/// ```
/// use ar_core::collections::{DunningLevel, DunningPolicy};
/// let level = |days, template: &str| DunningLevel {
///     days, min_overdue: vec![], action: Default::default(),
///     template: template.into(), fee: vec![], interest: false,
/// };
/// let policy = DunningPolicy {
///     id: "standard".into(),
///     levels: vec![level(-3, "pre"), level(7, "first"), level(21, "second")],
///     min_days_between: 7,
///     interest: None,
///     clearing: Default::default(),
/// };
/// assert!(policy.validate("policy").is_ok());
/// assert_eq!(policy.reached(10), 2); // 10 days past due: the second level
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DunningPolicy {
    /// Id, named by customers' policy dimension.
    pub id: String,
    /// Levels in ascending order of days; at least one.
    pub levels: Vec<DunningLevel>,
    /// Days that must pass after a notice to a customer (in a currency)
    /// before the next one.
    #[serde(default)]
    pub min_days_between: u32,
    /// How interest is computed for levels that claim it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interest: Option<InterestRule>,
    /// How the company applies payments (informs the caller's cash
    /// application; see [`ClearingOrder`]).
    #[serde(default)]
    pub clearing: ClearingOrder,
}

/// The policies of a company, which customer follows which, and the
/// templates notices are written with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DunningSetup {
    /// The policies.
    pub policies: Vec<DunningPolicy>,
    /// Id of the policy of customers that name none.
    pub default_policy: String,
    /// The customer dimension naming a customer's policy.
    #[serde(default = "policy_dimension")]
    pub dimension: String,
    /// Templates by id; when empty, notices carry no text.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub templates: BTreeMap<String, String>,
}

fn policy_dimension() -> String {
    "dunning_policy".to_owned()
}

impl DunningSetup {
    /// One policy for every customer, no templates.
    pub fn single(policy: DunningPolicy) -> Self {
        DunningSetup {
            default_policy: policy.id.clone(),
            policies: vec![policy],
            dimension: policy_dimension(),
            templates: BTreeMap::new(),
        }
    }

    /// Checks the setup on its own.
    ///
    /// # Errors
    /// [`Error::LimitExceeded`] past [`MAX_POLICIES`], [`MAX_TEMPLATES`] or
    /// [`MAX_TEMPLATE_LEN`]; [`Error::NotFound`] for a default policy that
    /// is not given; as [`DunningPolicy::validate`].
    pub fn validate(&self) -> Result<()> {
        check_count("policies", self.policies.len(), MAX_POLICIES)?;
        check_count("templates", self.templates.len(), MAX_TEMPLATES)?;
        check_len("dimension", &self.dimension, MAX_KEY_LEN)?;
        for (id, text) in &self.templates {
            check_len("templates.id", id, MAX_KEY_LEN)?;
            check_len(
                &format!("templates[{}]", crate::error::shown(id)),
                text,
                MAX_TEMPLATE_LEN,
            )?;
        }
        let mut ids = std::collections::HashSet::new();
        for (i, p) in self.policies.iter().enumerate() {
            p.validate(&format!("policies[{i}]"))?;
            if !ids.insert(p.id.as_str()) {
                return Err(Error::DuplicateId {
                    field: format!("policies[{i}].id"),
                    kind: "dunning policy".into(),
                    id: crate::error::shown(&p.id),
                });
            }
        }
        if !ids.contains(self.default_policy.as_str()) {
            return Err(Error::not_found(
                "default_policy",
                "dunning policy",
                &self.default_policy,
            ));
        }
        Ok(())
    }

    /// The policy with id `id`.
    pub fn policy(&self, id: &str) -> Option<&DunningPolicy> {
        self.policies.iter().find(|p| p.id == id)
    }
}

/// The amount listed for `currency`, if any.
pub(crate) fn amount_in(list: &[Money], currency: Currency) -> Option<Decimal> {
    list.iter()
        .find(|m| m.currency() == currency)
        .map(Money::amount)
}

fn check_amounts(field: &str, list: &[Money]) -> Result<()> {
    check_count(field, list.len(), MAX_CURRENCY_AMOUNTS)?;
    let mut seen = std::collections::HashSet::new();
    for (i, m) in list.iter().enumerate() {
        let f = format!("{field}[{i}]");
        check_minor_units(&f, m.amount(), m.currency())?;
        if m.amount().is_sign_negative() && !m.amount().is_zero() {
            return Err(Error::invalid_amount(
                &f,
                m.amount(),
                "must not be negative",
            ));
        }
        if !seen.insert(m.currency()) {
            return Err(Error::invalid_value(
                &f,
                m.currency(),
                "one amount per currency",
            ));
        }
    }
    Ok(())
}

impl DunningPolicy {
    /// Checks the policy on its own.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for no levels or levels out of order;
    /// [`Error::LimitExceeded`] past [`MAX_DUNNING_LEVELS`]; amounts as
    /// [`check_minor_units`]; the interest rule as
    /// [`InterestRule::validate`].
    pub fn validate(&self, field: &str) -> Result<()> {
        check_len(&format!("{field}.id"), &self.id, MAX_KEY_LEN)?;
        if self.levels.is_empty() {
            return Err(Error::invalid_value(
                &format!("{field}.levels"),
                "[]",
                "a policy has at least one level",
            ));
        }
        check_count(
            &format!("{field}.levels"),
            self.levels.len(),
            MAX_DUNNING_LEVELS,
        )?;
        let mut last: Option<i32> = None;
        for (i, l) in self.levels.iter().enumerate() {
            let f = format!("{field}.levels[{i}]");
            if last.is_some_and(|d| l.days <= d) {
                return Err(Error::invalid_value(
                    &format!("{f}.days"),
                    l.days,
                    "levels ascend in days past due",
                ));
            }
            last = Some(l.days);
            check_len(&format!("{f}.template"), &l.template, MAX_KEY_LEN)?;
            check_amounts(&format!("{f}.min_overdue"), &l.min_overdue)?;
            check_amounts(&format!("{f}.fee"), &l.fee)?;
        }
        if let Some(rule) = &self.interest {
            rule.validate(&format!("{field}.interest"))?;
        }
        Ok(())
    }

    /// The highest level (1-based) an item `days_past_due` reaches; 0 for
    /// none.
    pub fn reached(&self, days_past_due: i64) -> u32 {
        let n = self
            .levels
            .iter()
            .take_while(|l| i64::from(l.days) <= days_past_due)
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// Level `n` (1-based).
    pub fn level(&self, n: u32) -> Option<&DunningLevel> {
        self.levels.get(usize::try_from(n).ok()?.checked_sub(1)?)
    }
}
