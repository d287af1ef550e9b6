//! The chart-of-accounts mapping: which account each role posts to, with
//! overrides by customer dimension, currency, tax code, payment method and
//! reason.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::limits::{check_count, check_len, MAX_KEY_LEN};
use crate::receipt::PaymentMethod;

/// What a journal line stands for; each role posts to an account of the
/// chart ([`PostingRules`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Receivables control: the open invoices.
    Receivable,
    /// Revenue of invoice lines.
    Revenue,
    /// Tax collected, payable to the authority (per tax code).
    TaxPayable,
    /// Cash or bank clearing (per payment method).
    Cash,
    /// Cash received and not yet applied: owed back to the customer until
    /// it is.
    UnappliedCash,
    /// Credit memos issued and not yet applied: owed to the customer.
    CustomerCredits,
    /// Credit memos issued (sales returns and allowances).
    SalesReturns,
    /// Early-payment discounts allowed.
    Discounts,
    /// Invoice amounts written off.
    WriteOffs,
    /// Written-off amounts recovered (a write-off reversed).
    Recoveries,
    /// Unapplied cash or open credit written off to income.
    OtherIncome,
    /// The other side of opening balances imported.
    OpeningBalance,
    /// Bad-debt expense of allowance adjustments.
    BadDebtExpense,
    /// The bad-debt allowance (a contra-receivable).
    Allowance,
    /// Realized exchange gain.
    FxGain,
    /// Realized exchange loss.
    FxLoss,
    /// Unrealized exchange gain (revaluation).
    UnrealizedFxGain,
    /// Unrealized exchange loss (revaluation).
    UnrealizedFxLoss,
    /// Functional-currency rounding residues.
    Rounding,
    /// Late-payment interest charged on interest notes.
    InterestIncome,
    /// Dunning fees and fixed late-payment compensation charged on fee
    /// notes.
    FeeIncome,
}

impl Role {
    /// Every role, in the order of the enum.
    pub const ALL: [Role; 21] = [
        Role::Receivable,
        Role::Revenue,
        Role::TaxPayable,
        Role::Cash,
        Role::UnappliedCash,
        Role::CustomerCredits,
        Role::SalesReturns,
        Role::Discounts,
        Role::WriteOffs,
        Role::Recoveries,
        Role::OtherIncome,
        Role::OpeningBalance,
        Role::BadDebtExpense,
        Role::Allowance,
        Role::FxGain,
        Role::FxLoss,
        Role::UnrealizedFxGain,
        Role::UnrealizedFxLoss,
        Role::Rounding,
        Role::InterestIncome,
        Role::FeeIncome,
    ];

    /// The snake_case name, which is also the default account.
    pub fn name(self) -> &'static str {
        match self {
            Role::Receivable => "receivable",
            Role::Revenue => "revenue",
            Role::TaxPayable => "tax_payable",
            Role::Cash => "cash",
            Role::UnappliedCash => "unapplied_cash",
            Role::CustomerCredits => "customer_credits",
            Role::SalesReturns => "sales_returns",
            Role::Discounts => "discounts",
            Role::WriteOffs => "write_offs",
            Role::Recoveries => "recoveries",
            Role::OtherIncome => "other_income",
            Role::OpeningBalance => "opening_balance",
            Role::BadDebtExpense => "bad_debt_expense",
            Role::Allowance => "allowance",
            Role::FxGain => "fx_gain",
            Role::FxLoss => "fx_loss",
            Role::UnrealizedFxGain => "unrealized_fx_gain",
            Role::UnrealizedFxLoss => "unrealized_fx_loss",
            Role::Rounding => "rounding",
            Role::InterestIncome => "interest_income",
            Role::FeeIncome => "fee_income",
        }
    }
}

/// An account for a role where every given condition holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountOverride {
    /// The role.
    pub role: Role,
    /// The account.
    pub account: String,
    /// A customer dimension and its value (a customer group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimension: Option<(String, String)>,
    /// The document currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// The tax code (tax lines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_code: Option<String>,
    /// The payment method (cash lines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<PaymentMethod>,
    /// The reason given on the document (credit memos, write-offs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The chart-of-accounts mapping: an account for each [`Role`] (by default
/// the role's name), and overrides tried in order, the first that matches
/// winning.
///
/// # Example
/// ```
/// use ar_core::accounting::{AccountOverride, PostingRules, Role};
/// let mut rules = PostingRules::default().with_account(Role::Receivable, "1200");
/// rules.overrides.push(AccountOverride {
///     role: Role::Revenue,
///     account: "4100".into(),
///     dimension: Some(("region".into(), "EU".into())),
///     currency: None,
///     tax_code: None,
///     method: None,
///     reason: None,
/// });
/// assert_eq!(rules.accounts.get(&Role::Receivable).map(String::as_str), Some("1200"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostingRules {
    /// The default account of each role; a role not listed posts to an
    /// account named after it (`"receivable"`, ...).
    #[serde(default)]
    pub accounts: BTreeMap<Role, String>,
    /// Overrides, first match wins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<AccountOverride>,
}

/// Overrides of one set of rules.
pub const MAX_OVERRIDES: usize = 10_000;

/// What a line is about, for matching overrides.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Context<'a> {
    pub dimensions: Option<&'a BTreeMap<String, String>>,
    pub currency: Option<Currency>,
    pub tax_code: Option<&'a str>,
    pub method: Option<PaymentMethod>,
    pub reason: Option<&'a str>,
}

impl PostingRules {
    /// The same rules with `account` as the default of `role`.
    pub fn with_account(mut self, role: Role, account: impl Into<String>) -> Self {
        self.accounts.insert(role, account.into());
        self
    }

    /// Checks the sizes a caller controls.
    ///
    /// # Errors
    /// [`Error::LimitExceeded`] past [`MAX_OVERRIDES`] overrides or an
    /// account name longer than [`MAX_KEY_LEN`]; [`Error::InvalidValue`]
    /// for an empty account name.
    pub fn validate(&self) -> Result<()> {
        check_count("rules.overrides", self.overrides.len(), MAX_OVERRIDES)?;
        let names = self
            .accounts
            .values()
            .chain(self.overrides.iter().map(|o| &o.account));
        for name in names {
            check_len("rules.account", name, MAX_KEY_LEN)?;
            if name.trim().is_empty() {
                return Err(Error::invalid_value(
                    "rules.account",
                    name,
                    "an account needs a name",
                ));
            }
        }
        Ok(())
    }

    /// The account of `role` for a line about `ctx`.
    pub(crate) fn account(&self, role: Role, ctx: &Context<'_>) -> &str {
        let matches = |o: &&AccountOverride| {
            o.role == role
                && o.dimension
                    .as_ref()
                    .is_none_or(|(k, v)| ctx.dimensions.and_then(|d| d.get(k)) == Some(v))
                && o.currency.is_none_or(|c| ctx.currency == Some(c))
                && o.tax_code
                    .as_deref()
                    .is_none_or(|t| ctx.tax_code == Some(t))
                && o.method.is_none_or(|m| ctx.method == Some(m))
                && o.reason.as_deref().is_none_or(|r| ctx.reason == Some(r))
        };
        match self.overrides.iter().find(matches) {
            Some(o) => &o.account,
            None => self.accounts.get(&role).map_or(role.name(), String::as_str),
        }
    }
}

/// Account names interned: a journal of millions of lines shares them.
#[derive(Debug, Default)]
pub(crate) struct Accounts(BTreeMap<String, Arc<str>>);

impl Accounts {
    pub fn get(&mut self, name: &str) -> Arc<str> {
        if let Some(a) = self.0.get(name) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(name);
        self.0.insert(name.to_owned(), a.clone());
        a
    }
}
