//! Bank statement and remittance files (`ar-formats`): `parseBankFile`
//! (format detected, or named) and one function per format, each giving a
//! `BankStatement`; the receipts of a statement recorded in a ledger
//! (`Ledger.recordBankReceipts`); and bank reconciliation
//! (`Ledger.reconcileBank`, `ar_formats::reconcile`). Every record, rule and
//! check comes from `ar-formats`.
//!
//! Through the conversion layer: results written by `out.rs`, arguments
//! read by `de.rs`; the `#[napi(object)]` structs declare the TypeScript
//! interfaces only. A file that cannot be read is thrown by
//! [`crate::formats::guard`] with its `format`, `line` and `location`.

use ar_core::{Command, CustomerId, ReceiptId, View};
use ar_formats::reconcile::{self, BankEntry as CoreEntry, ReconcileOptions as CoreOptions};
use ar_formats::{BankReceipt as CoreReceipt, Format, Limits, Statement};
use napi::bindgen_prelude::{BufferSlice, Either, Unknown};
use napi::{Env, JsValue, ValueType};
use napi_derive::napi;
use serde::Deserialize;

use crate::de::{self, Date, Limited};
use crate::formats::guard;
use crate::ledger::{self, Ledger};
use crate::out;
use crate::views::{self, Outcome};

/// A file's content: a `Buffer` (any bytes) or a string (its UTF-8 text).
pub(crate) type Source<'a> = Either<BufferSlice<'a>, Unknown<'a>>;

/// The bytes of `source`; text is read as strictly as any other string.
pub(crate) fn bytes_of(env: &Env, source: Source<'_>) -> ar_core::Result<Vec<u8>> {
    match source {
        Either::A(buffer) => Ok(buffer.to_vec()),
        Either::B(value) => {
            if value.get_type().ok() != Some(ValueType::String) {
                // The reader names the type found, as for any argument.
                let text: ar_core::Result<String> =
                    de::from_js(env, value, "source", "a Buffer or a string");
                return text.map(String::into_bytes);
            }
            ledger::string(env, value, "source").map(String::into_bytes)
        }
    }
}

/// Reads `source` as `format` (detected when `None`).
fn parse<'e>(
    env: &'e Env,
    source: Source<'_>,
    format: Option<Format>,
) -> napi::Result<Unknown<'e>> {
    guard(env, || {
        let bytes = bytes_of(env, source)?;
        let statement = ar_formats::parse_with(&bytes, format, &Limits::default())?;
        Ok(out::to_js(env, &statement, None)?)
    })
}

/// A structured reference carried by a payment.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_formats::Reference`
pub struct BankReference {
    #[napi(
        ts_type = "'invoice' | 'credit_note' | 'purchase_order' | 'creditor_reference' | 'belgian' | 'adjustment' | 'other'"
    )]
    pub kind: String,
    /// As written; creditor and Belgian references in compact form
    /// (`RF18539007547034`, `090933755493`).
    pub value: String,
    /// The file's own type code: `CINV`, `SCOR`, `IV`.
    pub scheme: Option<String>,
    /// Amount paid against it, when given.
    pub amount: Option<String>,
    /// Amount of the document, when given.
    pub invoiced: Option<String>,
    /// Discount taken, when given.
    pub discount: Option<String>,
}

/// A booked credit to the account: money received, ready for the matcher
/// (`Ledger.recordBankReceipts` records it).
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_formats::BankReceipt`
pub struct BankReceipt {
    /// Booking date, `YYYY-MM-DD`.
    pub date: String,
    pub value_date: Option<String>,
    /// Greater than zero, at the currency's minor unit.
    pub amount: String,
    /// ISO 4217 code.
    pub currency: String,
    #[napi(ts_type = "PaymentMethod")]
    pub method: String,
    /// camt `AcctSvcrRef`, MT940 bank reference, NACHA trace number, ...
    pub bank_reference: Option<String>,
    pub end_to_end_id: Option<String>,
    /// As written: `PMNT/RCDT/ESCT`, BAI2 `195`, NACHA `22 CCD`.
    pub transaction_code: Option<String>,
    pub payer_name: Option<String>,
    pub payer_account: Option<String>,
    pub ultimate_payer: Option<String>,
    /// Free remittance text (absent when there is none).
    pub remittance: Option<String>,
    /// Invoice numbers, creditor references, Belgian structured
    /// communications (absent when there are none).
    pub references: Option<Vec<BankReference>>,
}

/// An entry that is not a receipt: a debit, a return, a reversal, a
/// pending entry or a notice of no money moved.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_formats::ListedEntry`
pub struct ListedEntry {
    #[napi(ts_type = "'debit' | 'return' | 'reversal' | 'pending' | 'notice'")]
    pub kind: String,
    #[napi(ts_type = "'credit' | 'debit'")]
    pub credit_debit: Option<String>,
    pub date: String,
    pub value_date: Option<String>,
    pub amount: String,
    pub currency: String,
    pub bank_reference: Option<String>,
    pub end_to_end_id: Option<String>,
    pub transaction_code: Option<String>,
    pub counterparty_name: Option<String>,
    pub counterparty_account: Option<String>,
    pub text: Option<String>,
    pub references: Option<Vec<BankReference>>,
}

/// A balance of an account.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_formats::Balance`
pub struct BankBalance {
    /// `OPBD`, `CLBD`, ... or the format's own (`BAI:072`).
    pub code: String,
    /// Signed: negative when overdrawn.
    pub amount: String,
    pub currency: String,
    pub date: Option<String>,
}

/// The account a statement reports on, as far as the file says.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_formats::Account`
pub struct BankAccount {
    pub iban: Option<String>,
    pub number: Option<String>,
    pub currency: Option<String>,
    pub owner: Option<String>,
    pub bank: Option<String>,
}

/// One statement of a file: a camt statement or notification, an MT940
/// message, a BAI2 account, a NACHA batch or an X12 transaction set.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_formats::AccountStatement`
pub struct AccountStatement {
    pub id: Option<String>,
    pub sequence: Option<String>,
    pub account: BankAccount,
    pub from_date: Option<String>,
    pub to_date: Option<String>,
    pub balances: Option<Vec<BankBalance>>,
    pub receipts: Vec<BankReceipt>,
    pub other_entries: Vec<ListedEntry>,
}

/// A bank statement or remittance file read.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_formats::Statement`
pub struct BankStatement {
    #[napi(ts_type = "'camt052' | 'camt053' | 'camt054' | 'bai2' | 'mt940' | 'nacha' | 'x12_820'")]
    pub format: String,
    /// `camt.053.001.08`, BAI `2`, X12 `004010`.
    pub version: Option<String>,
    pub message_id: Option<String>,
    /// As written, no time zone: `2026-03-02T10:00:00`.
    pub created: Option<String>,
    pub sender: Option<String>,
    pub receiver: Option<String>,
    pub accounts: Vec<AccountStatement>,
}

/// Reads a bank statement or remittance file: ISO 20022 camt.052/053/054,
/// BAI2, SWIFT MT940, NACHA or ANSI X12 820, found from how it begins
/// unless `format` names it (`'camt053'`, `'bai2'`, ...).
///
/// Errors: a file that cannot be read throws with `family` `'format'`, a
/// `code` of `FORMAT_ERROR_CODES` (`syntax`, `control_total`, ...),
/// `format`, `line` and `location` (`'Ntry/Amt'`, `':61:'`); `invalid_type`
/// when `source` is neither a `Buffer` nor a string.
#[napi(
    ts_args_type = "source: Buffer | string, format?: 'camt052' | 'camt053' | 'camt054' | 'bai2' | 'mt940' | 'nacha' | 'x12_820'",
    ts_return_type = "BankStatement"
)]
pub fn parse_bank_file<'e>(
    env: &'e Env,
    source: Source<'_>,
    format: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    let format = match format {
        Some(f) => guard(env, || {
            Ok(de::from_js::<Option<Format>>(
                env,
                f,
                "format",
                "a format name",
            )?)
        })?,
        None => None,
    };
    parse(env, source, format)
}

/// Reads an ISO 20022 camt.053 statement, camt.054 notification or camt.052
/// report (any `.001.xx` version). Errors: as `parseBankFile`.
#[napi(
    ts_args_type = "source: Buffer | string",
    ts_return_type = "BankStatement"
)]
pub fn parse_camt<'e>(env: &'e Env, source: Source<'_>) -> napi::Result<Unknown<'e>> {
    parse(env, source, Some(Format::Camt053))
}

/// Reads a BAI2 file, its control totals and record counts checked.
/// Errors: as `parseBankFile`.
#[napi(
    ts_args_type = "source: Buffer | string",
    ts_return_type = "BankStatement"
)]
pub fn parse_bai2<'e>(env: &'e Env, source: Source<'_>) -> napi::Result<Unknown<'e>> {
    parse(env, source, Some(Format::Bai2))
}

/// Reads a SWIFT MT940 file of one or more messages, each closing balance
/// checked. Errors: as `parseBankFile`.
#[napi(
    ts_args_type = "source: Buffer | string",
    ts_return_type = "BankStatement"
)]
pub fn parse_mt940<'e>(env: &'e Env, source: Source<'_>) -> napi::Result<Unknown<'e>> {
    parse(env, source, Some(Format::Mt940))
}

/// Reads a NACHA ACH file (one statement per batch), its hashes, totals and
/// counts checked. Errors: as `parseBankFile`.
#[napi(
    ts_args_type = "source: Buffer | string",
    ts_return_type = "BankStatement"
)]
pub fn parse_nacha<'e>(env: &'e Env, source: Source<'_>) -> napi::Result<Unknown<'e>> {
    parse(env, source, Some(Format::Nacha))
}

/// Reads an ANSI X12 820 payment order / remittance advice (one statement
/// per transaction set). Errors: as `parseBankFile`.
#[napi(
    js_name = "parseX12_820",
    ts_args_type = "source: Buffer | string",
    ts_return_type = "BankStatement"
)]
pub fn parse_x12_820<'e>(env: &'e Env, source: Source<'_>) -> napi::Result<Unknown<'e>> {
    parse(env, source, Some(Format::X12_820))
}

/// Receipts of one call: as many as one file may hold by the parsers'
/// default limit (`Limits::max_entries`).
const MAX_RECEIPTS: usize = 2_000_000;

/// A statement's receipts, or the receipts given as an array.
fn receipts(env: &Env, statement: Unknown<'_>) -> ar_core::Result<Vec<CoreReceipt>> {
    if statement.is_array().unwrap_or(false) {
        let list: Limited<CoreReceipt, MAX_RECEIPTS> = de::from_js(
            env,
            statement,
            "statement",
            "a BankStatement or BankReceipt[]",
        )?;
        return Ok(list.0);
    }
    let s: Statement = de::from_js(env, statement, "statement", "a BankStatement")?;
    Ok(s.receipts().cloned().collect())
}

/// The options of `Ledger.recordBankReceipts`.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct RecordBankReceipts {
    /// The `n`-th receipt (from 1) gets the id `${idPrefix}${n}`.
    pub id_prefix: String,
    /// The payer of every receipt; default: unknown, for the matcher to
    /// find.
    pub customer: Option<String>,
}

/// The options of `Ledger.reconcileBank`.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct ReconcileBankOptions {
    /// Days a receipt may be dated before the bank's booking date. Default 5.
    pub days_before: Option<u32>,
    /// Days a receipt may be dated after it. Default 5.
    pub days_after: Option<u32>,
    /// First day of the period whose receipts must be in the bank,
    /// `YYYY-MM-DD`; default: the statement's first credit.
    #[napi(ts_type = "string")]
    pub from: Option<Date>,
    /// Last day of that period; default: the statement's last credit.
    #[napi(ts_type = "string")]
    pub to: Option<Date>,
}

/// A credit on the bank statement.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_formats::reconcile::BankEntry`
pub struct BankEntry {
    /// 0-based position among the statement's credits.
    pub index: i64,
    pub date: String,
    pub amount: String,
    pub currency: String,
    pub bank_reference: Option<String>,
    pub end_to_end_id: Option<String>,
    pub payer_name: Option<String>,
    /// Remittance text with its structured references (absent when empty).
    pub remittance: Option<String>,
}

/// A receipt recorded in the ledger.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_formats::reconcile::RecordedReceipt`
pub struct RecordedReceipt {
    pub id: String,
    pub customer: Option<String>,
    pub date: String,
    pub amount: String,
    pub currency: String,
    #[napi(ts_type = "PaymentMethod")]
    pub method: String,
    pub reference: Option<String>,
}

/// A bank credit and the recorded receipt it is.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_formats::reconcile::ReconciledPair`
pub struct ReconciledPair {
    pub bank: BankEntry,
    pub receipt: RecordedReceipt,
    /// `'reference'`: amount, date window and reference agree;
    /// `'amount_and_date'`: amount and date window only.
    #[napi(ts_type = "'reference' | 'amount_and_date'")]
    pub basis: String,
    /// Receipt date less bank date, in days.
    pub days_apart: i64,
    /// Another pair was as good: a person should confirm this one.
    pub ambiguous: bool,
}

/// Bank credits against the receipts recorded in the ledger.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_formats::reconcile::Reconciliation`
pub struct BankReconciliation {
    /// Pairs, in bank order.
    pub matched: Vec<ReconciledPair>,
    /// Credits in the bank with no receipt in the books.
    pub bank_only: Vec<BankEntry>,
    /// Receipts in the books, dated in the period, the bank does not show.
    pub ledger_only: Vec<RecordedReceipt>,
    /// The period the ledger side was held to, `[from, to]`.
    #[napi(ts_type = "[string, string]")]
    pub period: Option<Vec<String>>,
}

#[napi]
impl Ledger {
    /// Records the receipts of a bank file (`statement`, a `BankStatement`
    /// or an array of its `BankReceipt`s) all or none: the `n`-th (from 1)
    /// with id `${idPrefix}${n}`, of `customer` (default: unknown), its
    /// remittance the file's text followed by its structured references.
    /// Recording the same file again with the same prefix is refused
    /// (`duplicate_id`). One outcome per receipt.
    ///
    /// Errors: `invalid_type`, `invalid_value` for a statement or options
    /// that cannot be read; `invalid_id`, `limit_exceeded`; then those of
    /// the first receipt the ledger refuses.
    #[napi(
        ts_args_type = "statement: BankStatement | Array<BankReceipt>, options: RecordBankReceipts, meta?: CommandMeta",
        ts_return_type = "Array<Outcome>"
    )]
    pub fn record_bank_receipts(
        &self,
        env: Env,
        statement: Unknown<'_>,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Vec<Outcome>> {
        guard(&env, || {
            let list = receipts(&env, statement)?;
            let o: RecordBankReceipts =
                de::options(&env, options, "options", "RecordBankReceipts")?;
            let customer = o
                .customer
                .map(|c| CustomerId::parse_field("options.customer", c))
                .transpose()?;
            let commands = list
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let id = format!("{}{}", o.id_prefix, i.saturating_add(1));
                    let id = ReceiptId::parse_field("options.idPrefix", id)?;
                    let receipt = r.to_receipt(id, customer.clone())?;
                    Ok(Command::RecordReceipt { receipt })
                })
                .collect::<ar_core::Result<Vec<_>>>()?;
            let meta = Ledger::meta(&env, meta)?;
            let outcomes = self.mutate(&env, |l| l.execute_all(commands, &meta))?;
            let ledger = self.core()?;
            Ok(outcomes
                .iter()
                .map(|o| views::outcome(&ledger, o))
                .collect::<ar_core::Result<Vec<_>>>()?)
        })
    }

    /// Reconciles a bank file's credits (`statement`, a `BankStatement` or
    /// an array of its `BankReceipt`s) with the receipts recorded in this
    /// ledger as seen through `view`: pairs by amount and currency within
    /// the date window, a matching reference first, then the closest
    /// dates; what is only in the bank, and what is only in the books
    /// within the period.
    ///
    /// Errors: `invalid_type`, `invalid_value`, `invalid_date`.
    #[napi(
        ts_args_type = "statement: BankStatement | Array<BankReceipt>, options?: ReconcileBankOptions | null, view?: View",
        ts_return_type = "BankReconciliation"
    )]
    pub fn reconcile_bank<'e>(
        &self,
        env: &'e Env,
        statement: Unknown<'_>,
        options: Option<Unknown<'_>>,
        view: Option<Unknown<'_>>,
    ) -> napi::Result<Unknown<'e>> {
        guard(env, || {
            let list = receipts(env, statement)?;
            let o: Option<ReconcileBankOptions> = match options {
                Some(v) => de::options(env, v, "options", "ReconcileBankOptions")?,
                None => None,
            };
            let view: View = Ledger::view(env, view)?;
            let defaults = CoreOptions::default();
            let options = match o {
                Some(o) => CoreOptions {
                    days_before: o.days_before.unwrap_or(defaults.days_before),
                    days_after: o.days_after.unwrap_or(defaults.days_after),
                    from: o.from.map(|d| d.0),
                    to: o.to.map(|d| d.0),
                },
                None => defaults,
            };
            let bank: Vec<CoreEntry> = list
                .iter()
                .enumerate()
                .map(|(i, r)| CoreEntry::from_receipt(i, r))
                .collect();
            let books = reconcile::ledger_receipts(&*self.core()?, &view);
            let r = reconcile::reconcile(&bank, &books, &options);
            Ok(out::to_js(env, &r, None)?)
        })
    }
}
