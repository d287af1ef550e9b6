//! What a discount taken splits into (`Ledger.discountSplit`) and writing
//! off what is open on a receipt or credit memo (`Ledger.writeOffSource`),
//! through the conversion layer: arguments read by `de.rs`, the split
//! written by `out.rs` from the core's `DiscountSplit`.

use ar_core::{Command, CreditMemoId, Error, InvoiceId, ReceiptId, Source, View, WriteOffId};
use napi::bindgen_prelude::Unknown;
use napi::Env;
use napi_derive::napi;
use serde::Deserialize;

use crate::de::{self, Amount, Date};
use crate::errors::guard;
use crate::invoice::TaxTotal;
use crate::ledger::Ledger;
use crate::out;
use crate::views::Outcome;

/// For `writeOffSource`: writes off what is open on a receipt (unapplied
/// cash, such as a small overpayment) or a credit memo, to income. Exactly
/// one of `receipt` and `creditMemo`.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct WriteOffSourceOptions {
    /// Effective date, `YYYY-MM-DD`.
    #[napi(ts_type = "string")]
    pub date: Date,
    /// Why; not blank.
    pub reason: String,
    /// The receipt.
    pub receipt: Option<String>,
    /// The credit memo.
    pub credit_memo: Option<String>,
    /// Amount; everything open at `date` when absent.
    #[napi(ts_type = "string")]
    pub amount: Option<Amount>,
    /// Id of the write-off; generated when absent.
    pub id: Option<String>,
}

/// How an early-payment discount taken splits into net and tax (what an EU
/// seller books to adjust VAT): a discount of the total reduces net and tax
/// in proportion to the invoice's; one of the untaxed amount, or a mixed
/// one, only the net.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::DiscountSplit`
pub struct DiscountSplit {
    /// The discount taken.
    pub amount: String,
    /// Its net part.
    pub net: String,
    /// Its tax part.
    pub tax: String,
    /// Per tax code, in code order: the taxable base and the tax it reduces.
    pub taxes: Vec<TaxTotal>,
}

fn source(receipt: Option<String>, credit_memo: Option<String>) -> ar_core::Result<Source> {
    match (receipt, credit_memo) {
        (Some(r), None) => Ok(Source::Receipt(ReceiptId::parse_field("receipt", r)?)),
        (None, Some(m)) => Ok(Source::CreditMemo(CreditMemoId::parse_field(
            "creditMemo",
            m,
        )?)),
        (r, _) => Err(Error::InvalidValue {
            field: "receipt".to_owned(),
            value: if r.is_some() { "both" } else { "none" }.to_owned(),
            reason: "give exactly one of receipt and creditMemo".to_owned(),
        }),
    }
}

/// The core calls the discount `discount`; the caller gave it as `amount`.
fn as_amount(err: Error) -> Error {
    let rename = |field: String| {
        if field == "discount" {
            "amount".to_owned()
        } else {
            field
        }
    };
    match err {
        Error::InvalidAmount {
            field,
            value,
            reason,
        } => Error::InvalidAmount {
            field: rename(field),
            value,
            reason,
        },
        Error::TooManyDecimals {
            field,
            value,
            max,
            currency,
        } => Error::TooManyDecimals {
            field: rename(field),
            value,
            max,
            currency,
        },
        Error::Overflow { field } => Error::Overflow {
            field: rename(field),
        },
        other => other,
    }
}

#[napi]
impl Ledger {
    /// Writes off what is open on a receipt or credit memo, booked to
    /// income; `reverseWriteOff` puts it back.
    ///
    /// Errors: `not_found`, `over_application`, `nothing_to_apply`,
    /// `invalid_state`, `duplicate_id`, `invalid_amount`,
    /// `too_many_decimals`, `invalid_value`, `date_before_document`,
    /// `period_closed`, `invalid_date`, `invalid_type`, `invalid_decimal`.
    #[napi(ts_args_type = "options: WriteOffSourceOptions, meta?: CommandMeta")]
    pub fn write_off_source(
        &self,
        env: Env,
        options: Unknown<'_>,
        meta: Option<Unknown<'_>>,
    ) -> napi::Result<Outcome> {
        self.run(&env, meta, || {
            let o: WriteOffSourceOptions =
                de::options(&env, options, "options", "WriteOffSourceOptions")?;
            Ok(Command::WriteOffSource {
                id: o.id.map(|i| WriteOffId::parse_field("id", i)).transpose()?,
                source: source(o.receipt, o.credit_memo)?,
                amount: o.amount.map(|a| a.0),
                date: o.date.0,
                reason: o.reason,
            })
        })
    }

    /// How `amount`, an early-payment discount taken on installment
    /// `installment` (from 1) of `invoice`, splits into net and tax, by the
    /// base of that installment's discount.
    ///
    /// Errors: `not_found`, `invalid_value` (no such installment),
    /// `invalid_amount`, `too_many_decimals`, `invalid_type`,
    /// `invalid_decimal`.
    #[napi(
        ts_args_type = "invoice: string, installment: number, amount: string",
        ts_return_type = "DiscountSplit"
    )]
    pub fn discount_split<'e>(
        &self,
        env: &'e Env,
        invoice: Unknown<'_>,
        installment: Unknown<'_>,
        amount: Unknown<'_>,
    ) -> napi::Result<Unknown<'e>> {
        guard(env, || {
            let invoice: String = de::from_js(env, invoice, "invoice", "a string")?;
            let installment: u32 = de::from_js(env, installment, "installment", "a whole number")?;
            let amount: Amount = de::from_js(env, amount, "amount", de::AMOUNT_TEXT)?;
            let id = InvoiceId::parse_field("invoice", invoice)?;
            let issued = self.core()?.invoice(&id, &View::all())?.invoice;
            let split = issued
                .discount_split(installment, amount.0)
                .map_err(as_amount)?;
            out::to_js(env, &split, None)
        })
    }
}
