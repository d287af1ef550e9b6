//! Accounting (`ar_core::accounting`): the journal derived from the log,
//! its CSV, the trial balance, reconciliation with a general ledger, the
//! period digest, and the commands `bookAllowance`, `revalue`,
//! `closePeriod` and `reopenPeriod`.
//!
//! Through the conversion layer: arguments are read by `de.rs` into the
//! `Deserialize` structs below (the core's own types inside), results
//! written by `out.rs` from the core's `Serialize` types; the
//! `#[napi(object)]` structs of the results and of the core types read
//! declare their TypeScript interfaces only.

use std::collections::BTreeMap;

use ar_core::accounting::{
    GlLine as CoreGlLine, Journal as CoreJournal, JournalOptions as CoreOptions, PostingRules,
    Rate as CoreRate, RateTable, MAX_CLOSING_RATES, MAX_GL_LINES, MAX_RATES,
};
use ar_core::{ClosePolicy as CorePolicy, ClosingRate as CoreClosingRate, Command, Currency};
use napi::bindgen_prelude::{PromiseRaw, Unknown, ValueType};
use napi::Env;
use napi_derive::napi;
use serde::Deserialize;

use crate::de::{self, Amount, Date, Limited, Timestamp};
use crate::errors::guard;
use crate::ledger::Ledger;
use crate::out;
use crate::task;
use crate::views::Outcome;

// ----- arguments ------------------------------------------------------------------

/// How `journal`, `journalCsv`, `trialBalance` and `reconcileGl` derive the
/// journal: the chart of accounts and, for a book with a functional
/// currency, the exchange rates.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct JournalOptions {
    /// The chart-of-accounts mapping; default: each role posts to an
    /// account named after it (`receivable`, `revenue`, ...).
    #[napi(ts_type = "PostingRules")]
    pub rules: Option<PostingRules>,
    /// Rates into a functional currency: documents are converted at their
    /// own date's rate and settlements book realized differences. Without,
    /// a line's functional amount is its document amount.
    #[napi(ts_type = "Rates")]
    pub rates: Option<Rates>,
}

/// Exchange rates into one functional currency.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct Rates {
    /// ISO 4217 code of the functional currency.
    #[napi(ts_type = "string")]
    pub functional: Currency,
    /// The rates, at most 1,000,000.
    #[napi(ts_type = "Array<Rate>")]
    pub rates: Limited<CoreRate, MAX_RATES>,
}

/// The options of `aging` and `metrics` (on `Ledger` and `Book`) that
/// report in a functional currency.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface; read by `functional`
pub struct InFunctional {
    /// Report in the functional currency of these rates: every amount
    /// converted at its currency's rate on `ratesDate`, rounded once; a
    /// group's currencies become one row (metrics take their ratios of the
    /// converted sums).
    pub rates: Option<Rates>,
    /// The day whose rates convert, `YYYY-MM-DD`; default: `asOf` for an
    /// aging, the period's `end` for metrics.
    pub rates_date: Option<String>,
}

/// The rates and day of a report in the functional currency, read from
/// the same options object as the report's own options (`rates`,
/// `ratesDate`): `None` without `rates`.
pub(crate) fn functional(
    env: &Env,
    options: Unknown<'_>,
    expected: &str,
    default: ar_core::chrono::NaiveDate,
) -> ar_core::Result<Option<(RateTable, ar_core::chrono::NaiveDate)>> {
    #[derive(Deserialize)]
    struct Args {
        rates: Option<Rates>,
        rates_date: Option<Date>,
    }
    let a: Args = de::options(env, options, "options", expected)?;
    match (a.rates, a.rates_date) {
        (None, None) => Ok(None),
        (None, Some(d)) => Err(ar_core::Error::InvalidValue {
            field: "ratesDate".into(),
            value: d.0.to_string(),
            reason: "a day for rates, but no rates given".into(),
        }),
        (Some(r), day) => Ok(Some((
            RateTable::new(r.functional, r.rates.0)?,
            day.map_or(default, |d| d.0),
        ))),
    }
}

/// From `date` on (until the currency's next rate), one unit of `currency`
/// is worth `rate` units of the functional currency.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::accounting::Rate`
pub struct Rate {
    /// ISO 4217 code of the foreign currency.
    pub currency: String,
    /// First day the rate holds, `YYYY-MM-DD`.
    pub date: String,
    /// Functional units per unit of `currency`, a decimal string above zero.
    pub rate: String,
}

/// The chart-of-accounts mapping: an account per role, and overrides
/// tried in order, the first that matches winning.
#[napi(
    object,
    js_name = "PostingRules",
    object_to_js = false,
    object_from_js = false
)]
#[allow(dead_code)] // declares the interface of `ar_core::accounting::PostingRules`
pub struct PostingRulesDecl {
    /// The account of each role (`{receivable: "1200"}`); a role not
    /// listed posts to an account named after it.
    #[napi(ts_type = "Partial<Record<Role, string>>")]
    pub accounts: Option<BTreeMap<String, String>>,
    /// Overrides, first match wins; at most 10,000.
    pub overrides: Option<Vec<AccountOverride>>,
}

/// An account for `role` where every condition given holds.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::accounting::AccountOverride`
pub struct AccountOverride {
    /// The role.
    #[napi(ts_type = "Role")]
    pub role: String,
    /// The account.
    pub account: String,
    /// A customer dimension and its value (a customer group).
    #[napi(ts_type = "[string, string]")]
    pub dimension: Option<Vec<String>>,
    /// The document currency.
    pub currency: Option<String>,
    /// The tax code (tax lines).
    pub tax_code: Option<String>,
    /// The payment method (cash lines).
    #[napi(ts_type = "PaymentMethod")]
    pub method: Option<String>,
    /// The reason given on the document (credit memos, write-offs).
    pub reason: Option<String>,
}

/// What a journal line stands for; also, by default, its account's name.
#[napi(string_enum = "snake_case")]
pub enum Role {
    /// Receivables control: the open invoices.
    Receivable,
    /// Revenue of invoice lines.
    Revenue,
    /// Tax collected, payable to the authority.
    TaxPayable,
    /// Cash or bank clearing.
    Cash,
    /// Cash received and not yet applied.
    UnappliedCash,
    /// Credit memos issued and not yet applied.
    CustomerCredits,
    /// Credit memos issued (sales returns and allowances).
    SalesReturns,
    /// Early-payment discounts allowed.
    Discounts,
    /// Invoice amounts written off.
    WriteOffs,
    /// Written-off amounts recovered.
    Recoveries,
    /// Unapplied cash or open credit written off to income.
    OtherIncome,
    /// The other side of opening balances imported.
    OpeningBalance,
    /// Bad-debt expense of allowance bookings.
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
    /// Late-payment interest charged.
    InterestIncome,
    /// Fees charged (dunning, collection costs).
    FeeIncome,
}

/// A line of the general ledger kept elsewhere, as its export gives it.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::accounting::GlLine`
pub struct GlLine {
    /// The account.
    pub account: String,
    /// ISO 4217 code.
    pub currency: String,
    /// Posting date, `YYYY-MM-DD`.
    pub date: String,
    /// Debit positive, credit negative, a decimal string.
    pub amount: String,
    /// The invoice, receipt or credit memo it posts, when the GL knows it.
    pub document: Option<String>,
}

/// For `bookAllowance`: the bad-debt allowance required in `currency` on
/// `date` (such as a provision's total); the journal books its change.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct BookAllowanceOptions {
    /// Effective date, `YYYY-MM-DD`.
    #[napi(ts_type = "string")]
    pub date: Date,
    /// ISO 4217 code.
    #[napi(ts_type = "string")]
    pub currency: Currency,
    /// The allowance required, zero or more.
    #[napi(ts_type = "string")]
    pub amount: Amount,
    /// Why (the provision's method, say).
    pub reason: Option<String>,
}

/// A closing rate: functional units per unit of `currency`.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::ClosingRate`
pub struct ClosingRate {
    /// ISO 4217 code of the foreign currency.
    pub currency: String,
    /// Functional units per unit, a decimal string above zero.
    pub rate: String,
}

/// For `revalue`: open foreign-currency items revalued on `date` at closing
/// rates; the journal books the unrealized difference and reverses it the
/// next day.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct RevalueOptions {
    /// The revaluation date (a period's end), `YYYY-MM-DD`.
    #[napi(ts_type = "string")]
    pub date: Date,
    /// Closing rates, one per currency, at most 200.
    #[napi(ts_type = "Array<ClosingRate>")]
    pub rates: Limited<CoreClosingRate, MAX_CLOSING_RATES>,
}

/// What a command dated in a closed period gets.
#[napi(string_enum = "snake_case")]
pub enum ClosePolicy {
    /// Refused with `period_closed`.
    Refuse,
    /// A settlement, reversal or void is dated on the first open day, its
    /// own date kept; documents dated in the period are still refused.
    MoveToOpenDay,
}

/// For `closePeriod`: every period up to `upTo` closed.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct ClosePeriodOptions {
    /// Last day closed, `YYYY-MM-DD`.
    #[napi(ts_type = "string")]
    pub up_to: Date,
    /// Default `refuse`.
    #[napi(ts_type = "ClosePolicy")]
    pub policy: Option<CorePolicy>,
}

/// For `reopenPeriod`: closed periods reopened from `from` on, or all.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct ReopenPeriodOptions {
    /// First day reopened, `YYYY-MM-DD`; default: every closed day.
    #[napi(ts_type = "string")]
    pub from: Option<Date>,
    /// Why; not blank (reopening is recorded).
    pub reason: String,
}

// ----- results ------------------------------------------------------------------

/// One line of a journal entry.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::accounting::JournalLine`
pub struct JournalLine {
    /// The account.
    pub account: String,
    /// What the line stands for.
    #[napi(ts_type = "Role")]
    pub role: String,
    /// The document's currency.
    pub currency: String,
    /// Amount in the document's currency: positive a debit, negative a
    /// credit.
    pub amount: String,
    /// Amount in the functional currency (the document's own without
    /// rates), same sign.
    pub functional: String,
    /// The invoice, receipt or credit memo the line is about.
    pub document: String,
}

/// The entry of one event: its lines balance in the document's currency
/// and in the functional currency.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::accounting::JournalEntry`
pub struct JournalEntry {
    /// The event's place in the log.
    pub seq: i64,
    /// Its business date, `YYYY-MM-DD`.
    pub effective: String,
    /// The event (`invoice_issued`, `applied`, ...; `revaluation_reversed`
    /// for a revaluation's reversal, dated the next day).
    pub event: String,
    /// The record the event creates or changes.
    pub subject: String,
    /// The lines.
    pub lines: Vec<JournalLine>,
}

/// A journal: the entries in log order.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::accounting::Journal`
pub struct Journal {
    /// The functional currency, when derived with rates.
    pub functional: Option<String>,
    /// The entries.
    pub entries: Vec<JournalEntry>,
}

/// One account in one currency, as the journal leaves it.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::accounting::TrialBalanceRow`
pub struct TrialBalanceRow {
    /// The account.
    pub account: String,
    /// The document currency.
    pub currency: String,
    /// Debits.
    pub debit: String,
    /// Credits.
    pub credit: String,
    /// Debits less credits.
    pub balance: String,
    /// The balance in the functional currency.
    pub functional: String,
}

/// Why a document's amounts differ between the journal and the GL.
#[napi(string_enum = "snake_case")]
pub enum ReconcileCause {
    /// In the journal by the cut-off, not in the GL at all.
    MissingInGl,
    /// In the GL by the cut-off, not in the journal at all.
    MissingInAr,
    /// In both by the cut-off, for different amounts.
    AmountDiffers,
    /// In both, but after the cut-off on one side: a timing difference.
    AfterCutOff,
    /// A GL line that names no document: not from ar.
    Unidentified,
}

/// A document behind a difference.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::accounting::ReconcileItem`
pub struct ReconcileItem {
    /// The document (empty for GL lines naming none).
    pub document: String,
    /// Its amount in the journal by the cut-off.
    pub ar: String,
    /// Its amount in the GL by the cut-off.
    pub gl: String,
    /// Why they differ.
    #[napi(ts_type = "ReconcileCause")]
    pub cause: String,
}

/// One account and currency reconciled.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::accounting::ReconcileRow`
pub struct ReconcileRow {
    /// The account.
    pub account: String,
    /// The currency.
    pub currency: String,
    /// The journal's balance by the cut-off.
    pub ar: String,
    /// The GL's balance by the cut-off.
    pub gl: String,
    /// `ar - gl`.
    pub difference: String,
    /// The documents behind the difference; their `ar - gl` add up to it.
    pub items: Vec<ReconcileItem>,
}

// ----- reading ------------------------------------------------------------------

/// `undefined` and `null` stand for an argument not given.
fn given(value: Option<Unknown<'_>>) -> napi::Result<Option<Unknown<'_>>> {
    match value {
        None => Ok(None),
        Some(v) => match v.get_type()? {
            ValueType::Undefined | ValueType::Null => Ok(None),
            _ => Ok(Some(v)),
        },
    }
}

fn options(env: &Env, value: Option<Unknown<'_>>) -> ar_core::Result<CoreOptions> {
    let Some(value) = given(value).map_err(internal)? else {
        return Ok(CoreOptions::default());
    };
    let o: JournalOptions = de::options(env, value, "options", "JournalOptions")?;
    let rates = o
        .rates
        .map(|r| RateTable::new(r.functional, r.rates.0))
        .transpose()?;
    Ok(CoreOptions {
        rules: o.rules.unwrap_or_default(),
        rates,
    })
}

fn internal(e: napi::Error) -> ar_core::Error {
    ar_core::Error::Internal {
        message: e.reason.clone(),
    }
}

#[napi]
impl Ledger {
    /// The journal entries derived from the log by `options` (chart of
    /// accounts, rates), cut by `view`: one entry per event that moves
    /// money, each balanced in the document's and the functional currency.
    ///
    /// Errors: `missing_rate` (a document whose currency has no rate on its
    /// date), `limit_exceeded`, `invalid_value`, `invalid_amount` (a rate
    /// not above zero), `invalid_type`, `invalid_decimal`,
    /// `invalid_currency`, `invalid_date`.
    #[napi(
        ts_args_type = "options?: JournalOptions | null, view?: View",
        ts_return_type = "Journal"
    )]
    pub fn journal<'e>(
        &self,
        env: &'e Env,
        options: Option<Unknown<'_>>,
        view: Option<Unknown<'_>>,
    ) -> napi::Result<Unknown<'e>> {
        guard(env, || {
            let options = self::options(env, options)?;
            let view = Self::view(env, view)?;
            let journal = self.core()?.journal(&options, &view)?;
            out::to_js(env, &journal, None)
        })
    }

    /// `journal` off the JS thread: resolves to the same journal, of the
    /// ledger as it was when called. Rejects with the errors `journal`
    /// throws.
    #[napi(
        ts_args_type = "options?: JournalOptions | null, view?: View",
        ts_return_type = "Promise<Journal>"
    )]
    pub fn journal_async<'e>(
        &self,
        env: &'e Env,
        options: Option<Unknown<'_>>,
        view: Option<Unknown<'_>>,
    ) -> napi::Result<PromiseRaw<'e, Unknown<'e>>> {
        task::promise(env, || {
            let options = self::options(env, options)?;
            let view = Self::view(env, view)?;
            let ledger = self.snapshot()?;
            Ok((
                move || ledger.journal(&options, &view),
                |env: &'e Env, journal: CoreJournal| out::to_js(env, &journal, None),
            ))
        })
    }

    /// `journal(options, view)` as CSV (RFC 4180, CRLF line ends): a header
    /// `seq,effective,event,subject,document,account,role,currency,amount,functional`
    /// and one row per line, amounts as exact decimal text (debit positive).
    ///
    /// Errors: as `journal`.
    #[napi(ts_args_type = "options?: JournalOptions | null, view?: View")]
    pub fn journal_csv(
        &self,
        env: Env,
        options: Option<Unknown<'_>>,
        view: Option<Unknown<'_>>,
    ) -> napi::Result<String> {
        guard(&env, || {
            let options = self::options(&env, options)?;
            let view = Self::view(&env, view)?;
            let journal: CoreJournal = self.core()?.journal(&options, &view)?;
            Ok(journal.to_csv())
        })
    }

    /// Debits, credits and balance per account and currency of
    /// `journal(options, view)`, in account order.
    ///
    /// Errors: as `journal`.
    #[napi(
        ts_args_type = "options?: JournalOptions | null, view?: View",
        ts_return_type = "Array<TrialBalanceRow>"
    )]
    pub fn trial_balance<'e>(
        &self,
        env: &'e Env,
        options: Option<Unknown<'_>>,
        view: Option<Unknown<'_>>,
    ) -> napi::Result<Unknown<'e>> {
        guard(env, || {
            let options = self::options(env, options)?;
            let view = Self::view(env, view)?;
            let rows = self.core()?.trial_balance(&options, &view)?;
            out::to_js(env, &rows, None)
        })
    }

    /// The journal against the general ledger's `glLines` by the cut-off
    /// `view.asOf` (every line without one): per account and currency the
    /// difference and the documents behind it.
    ///
    /// Errors: as `journal`; `limit_exceeded` past 10,000,000 lines.
    #[napi(
        ts_args_type = "glLines: Array<GlLine>, options?: JournalOptions | null, view?: View",
        ts_return_type = "Array<ReconcileRow>"
    )]
    pub fn reconcile_gl<'e>(
        &self,
        env: &'e Env,
        gl_lines: Unknown<'_>,
        options: Option<Unknown<'_>>,
        view: Option<Unknown<'_>>,
    ) -> napi::Result<Unknown<'e>> {
        guard(env, || {
            let lines: Limited<CoreGlLine, MAX_GL_LINES> =
                de::from_js(env, gl_lines, "glLines", "an array of GlLine")?;
            let options = self::options(env, options)?;
            let view = Self::view(env, view)?;
            let rows = self.core()?.reconcile_gl(&options, &lines.0, &view)?;
            out::to_js(env, &rows, None)
        })
    }

    /// SHA-256 (64 hex digits) of every open item as of `upTo` as known at
    /// `knownAt` (RFC 3339; default: everything): what `closePeriod`
    /// records, recomputed with the close's `recorded` to show the closed
    /// figures stand.
    ///
    /// Errors: `invalid_date`, `invalid_type`.
    #[napi(ts_args_type = "upTo: string, knownAt?: string")]
    pub fn period_digest(
        &self,
        env: Env,
        up_to: Unknown<'_>,
        known_at: Option<Unknown<'_>>,
    ) -> napi::Result<String> {
        guard(&env, || {
            let up_to: Date = de::from_js(&env, up_to, "upTo", "a YYYY-MM-DD string")?;
            let known_at: Option<Timestamp> = match given(known_at).map_err(internal)? {
                Some(k) => Some(de::from_js(&env, k, "knownAt", "an RFC 3339 string")?),
                None => None,
            };
            Ok(self.core()?.period_digest(up_to.0, known_at.map(|k| k.0)))
        })
    }

    /// Records the bad-debt allowance required in a currency on a date;
    /// the journal books its change since the last booking.
    ///
    /// Errors: `invalid_amount` (below zero), `too_many_decimals`,
    /// `period_closed`, `invalid_currency`, `invalid_date`, `invalid_type`,
    /// `invalid_decimal`.
    #[napi(ts_args_type = "options: BookAllowanceOptions, meta?: CommandMeta")]
    pub fn book_allowance(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: BookAllowanceOptions =
                de::options(&env, options, "options", "BookAllowanceOptions")?;
            Ok(Command::BookAllowance {
                date: o.date.0,
                currency: o.currency,
                amount: o.amount.0,
                reason: o.reason.unwrap_or_default(),
            })
        })
    }

    /// Revalues open foreign-currency items at closing rates.
    ///
    /// Errors: `invalid_value` (no rates, a currency twice),
    /// `invalid_amount` (a rate not above zero), `period_closed`,
    /// `limit_exceeded`, `invalid_currency`, `invalid_date`,
    /// `invalid_type`, `invalid_decimal`.
    #[napi(ts_args_type = "options: RevalueOptions, meta?: CommandMeta")]
    pub fn revalue(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: RevalueOptions = de::options(&env, options, "options", "RevalueOptions")?;
            Ok(Command::Revalue {
                date: o.date.0,
                rates: o.rates.0,
            })
        })
    }

    /// Closes every period up to `upTo`, recording the digest of its
    /// figures (`periodDigest`). Afterwards a command dated on or before it
    /// is refused with `period_closed`, or, with `policy:
    /// 'move_to_open_day'`, a settlement is dated on the first open day.
    ///
    /// Errors: `invalid_value` (a day before one already closed, an
    /// unknown policy), `invalid_date`, `invalid_type`.
    #[napi(ts_args_type = "options: ClosePeriodOptions, meta?: CommandMeta")]
    pub fn close_period(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        guard(&env, || {
            let o: ClosePeriodOptions =
                de::options(&env, options, "options", "ClosePeriodOptions")?;
            let meta = Self::meta(&env, meta)?;
            let policy = o.policy.unwrap_or_default();
            let out = self.mutate(&env, |l| l.close_period(o.up_to.0, policy, &meta))?;
            crate::views::outcome(&*self.core()?, &out)
        })
    }

    /// Reopens closed periods from `from` on, or all of them; recorded
    /// with its reason.
    ///
    /// Errors: `invalid_value` (a blank reason), `invalid_date`,
    /// `invalid_type`.
    #[napi(ts_args_type = "options: ReopenPeriodOptions, meta?: CommandMeta")]
    pub fn reopen_period(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: ReopenPeriodOptions =
                de::options(&env, options, "options", "ReopenPeriodOptions")?;
            Ok(Command::ReopenPeriod {
                from: o.from.map(|d| d.0),
                reason: o.reason,
            })
        })
    }
}
