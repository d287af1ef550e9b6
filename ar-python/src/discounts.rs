//! What a discount taken splits into (`Ledger.discount_split`) and writing
//! off what is open on a receipt or credit memo (`Ledger.write_off_source`):
//! their arguments read by [`de`], the split built by [`records`] into the
//! `DiscountSplit` record of `python/ar/_terms.py`.

use ar_core::{Command, CreditMemoId, Error, InvoiceId, ReceiptId, Source, View, WriteOffId};
use pyo3::prelude::*;
use serde::Deserialize;

use crate::de::{self, Amount, Date};
use crate::errors::{fail, guard};
use crate::records;

type Arg<'a, 'py> = Option<&'a Bound<'py, PyAny>>;

/// The arguments of `Ledger.discount_split`.
#[derive(Deserialize)]
struct SplitArgs {
    invoice: String,
    installment: u32,
    amount: Amount,
}

/// `Ledger.discount_split`: the invoice as `issued` (read from the ledger)
/// and the core's split of `amount` on its installment `installment`.
pub fn discount_split<'py>(
    py: Python<'py>,
    issued: impl FnOnce(&InvoiceId) -> ar_core::Result<ar_core::Invoice>,
    invoice: &Bound<'py, PyAny>,
    installment: &Bound<'py, PyAny>,
    amount: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let a: SplitArgs = de::from_args(
        py,
        &[
            ("invoice", Some(invoice)),
            ("installment", Some(installment)),
            ("amount", Some(amount)),
        ],
    )?;
    let split = guard(|| {
        let id = InvoiceId::parse_field("invoice", &a.invoice)?;
        issued(&id)?
            .discount_split(a.installment, a.amount.0)
            .map_err(as_amount)
    })?;
    records::to_py(py, "DiscountSplit", &split)
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

/// The arguments of `Ledger.write_off_source`.
#[derive(Deserialize)]
struct WriteOffSourceArgs {
    date: Date,
    reason: String,
    receipt: Option<String>,
    credit_memo: Option<String>,
    amount: Option<Amount>,
    id: Option<String>,
}

/// The command of `Ledger.write_off_source`.
pub fn write_off_source(
    py: Python<'_>,
    date: &Bound<'_, PyAny>,
    reason: &Bound<'_, PyAny>,
    [receipt, credit_memo, amount, id]: [Arg<'_, '_>; 4],
) -> PyResult<Command> {
    let a: WriteOffSourceArgs = de::from_args(
        py,
        &[
            ("date", Some(date)),
            ("reason", Some(reason)),
            ("receipt", receipt),
            ("credit_memo", credit_memo),
            ("amount", amount),
            ("id", id),
        ],
    )?;
    let source = match (a.receipt, a.credit_memo) {
        (Some(r), None) => Source::Receipt(guard(|| ReceiptId::parse_field("receipt", r))?),
        (None, Some(c)) => {
            Source::CreditMemo(guard(|| CreditMemoId::parse_field("credit_memo", c))?)
        }
        (r, _) => {
            return fail(Error::InvalidValue {
                field: "source".into(),
                value: if r.is_some() { "both" } else { "none" }.into(),
                reason: "give exactly one of receipt and credit_memo".into(),
            })
        }
    };
    Ok(Command::WriteOffSource {
        id: guard(|| a.id.map(|i| WriteOffId::parse_field("id", i)).transpose())?,
        source,
        amount: a.amount.map(|x| x.0),
        date: a.date.0,
        reason: a.reason,
    })
}

/// The invoice `id` as issued, through `View::all()`.
pub fn invoice(ledger: &ar_core::Ledger, id: &InvoiceId) -> ar_core::Result<ar_core::Invoice> {
    Ok(ledger.invoice(id, &View::all())?.invoice)
}
