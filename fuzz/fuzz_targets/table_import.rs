//! (e) A book's history as tables for `Ledger::from_tables`: a few rows of
//! each table, ids from small pools (so rows refer to each other) or any
//! text, edge amounts and dates, columns now and then of another length
//! (see `ar_fuzz::tables`).
#![no_main]

use ar_core::bulk::{InvoiceColumns, OpenColumns, StrColumn};
use ar_core::chrono::NaiveDate;
use ar_core::import::{ApplicationColumns, CreditMemoColumns, CustomerTable, LedgerTables};
use ar_core::rust_decimal::Decimal;
use ar_core::Currency;
use ar_fuzz::{amount, guard, march, report, tables};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

const CUSTOMERS: &[&str] = &["ACME", "BETA", "GAMMA", ""];
const INVOICES: &[&str] = &["I1", "I2", "I3", "I1 "];
const SOURCES: &[&str] = &["R1", "R2", "M1", "M2", ""];

fn text(u: &mut Unstructured, pool: &[&str], rows: usize) -> Result<StrColumn> {
    let mut column = StrColumn::default();
    for _ in 0..rows {
        if u.ratio(7, 8)? {
            column.push(u.choose(pool)?);
        } else {
            column.push(u.arbitrary::<&str>()?);
        }
    }
    Ok(column)
}

/// `rows` values, or now and then one fewer.
fn values<T>(
    u: &mut Unstructured,
    rows: usize,
    mut one: impl FnMut(&mut Unstructured) -> Result<T>,
) -> Result<Vec<T>> {
    let n = if u.ratio(1, 16)? {
        rows.saturating_sub(1)
    } else {
        rows
    };
    (0..n).map(|_| one(u)).collect()
}

fn currency(u: &mut Unstructured) -> Result<Currency> {
    let codes = ["USD", "USD", "EUR", "JPY", "KWD"];
    Ok(Currency::new(u.choose(&codes)?).unwrap_or_else(|_| unreachable!("a known code")))
}

fn date(u: &mut Unstructured) -> Result<NaiveDate> {
    Ok(if u.ratio(15, 16)? {
        march(1) + ar_core::chrono::Duration::days(u.int_in_range(-60..=120)?)
    } else if u.arbitrary()? {
        NaiveDate::MAX
    } else {
        NaiveDate::MIN
    })
}

fn money(u: &mut Unstructured) -> Result<Decimal> {
    Ok(if u.ratio(3, 4)? {
        Decimal::new(u.int_in_range(1..=1_000_000)?, 2)
    } else {
        amount(u.arbitrary()?, u.arbitrary()?, u.arbitrary()?)
    })
}

fn build(u: &mut Unstructured) -> Result<LedgerTables> {
    let (nc, ni, nm, nr, na) = (
        u.int_in_range(0..=3)?,
        u.int_in_range(0..=6)?,
        u.int_in_range(0..=3)?,
        u.int_in_range(0..=4)?,
        u.int_in_range(0..=6)?,
    );
    let region = text(u, &["west", "", "east"], nc)?;
    let customers = CustomerTable {
        id: text(u, CUSTOMERS, nc)?,
        currency: values(u, nc, currency)?,
        dimensions: if u.arbitrary()? {
            vec![("region".into(), region)]
        } else {
            vec![]
        },
        ..CustomerTable::default()
    };
    let invoices = InvoiceColumns {
        id: text(u, INVOICES, ni)?,
        customer: text(u, CUSTOMERS, ni)?,
        currency: values(u, ni, currency)?,
        date: values(u, ni, date)?,
        due_date: values(u, ni, date)?,
        amount: values(u, ni, money)?,
        dimensions: vec![],
    };
    let credit_memos = CreditMemoColumns {
        id: text(u, SOURCES, nm)?,
        customer: text(u, CUSTOMERS, nm)?,
        currency: values(u, nm, currency)?,
        date: values(u, nm, date)?,
        amount: values(u, nm, money)?,
        against: text(u, INVOICES, nm)?,
    };
    let receipts = OpenColumns {
        id: text(u, SOURCES, nr)?,
        customer: text(u, CUSTOMERS, nr)?,
        currency: values(u, nr, currency)?,
        date: values(u, nr, date)?,
        amount: values(u, nr, money)?,
    };
    let applications = ApplicationColumns {
        receipt: text(u, SOURCES, na)?,
        credit_memo: text(u, &["", "M1", "M2"], na)?,
        invoice: text(u, INVOICES, na)?,
        date: values(u, na, date)?,
        amount: values(u, na, money)?,
        discount: if u.arbitrary()? {
            values(u, na, money)?
        } else {
            vec![]
        },
    };
    Ok(LedgerTables {
        customers,
        invoices,
        credit_memos,
        receipts,
        applications,
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(t) = build(&mut Unstructured::new(data)) {
        report(guard(|| tables(&t)));
    }
});
