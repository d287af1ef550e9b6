//! (f) A bulk `Book` from columns, prepared, aged and measured as of any
//! date (see `ar_fuzz::book`).
#![no_main]

use ar_core::bulk::{
    Book, CustomerColumns, InvoiceColumns, OpenColumns, SettlementColumns, SettlementKind,
    StrColumn,
};
use ar_core::chrono::NaiveDate;
use ar_core::rust_decimal::Decimal;
use ar_core::Currency;
use ar_fuzz::{amount, book, guard, march, report};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

const CUSTOMERS: &[&str] = &["ACME", "BETA", "GAMMA", ""];
const INVOICES: &[&str] = &["I1", "I2", "I3", "I1 "];
const SOURCES: &[&str] = &["R1", "R2", "M1", ""];

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

fn open(u: &mut Unstructured, rows: usize) -> Result<OpenColumns> {
    Ok(OpenColumns {
        id: text(u, SOURCES, rows)?,
        customer: text(u, CUSTOMERS, rows)?,
        currency: values(u, rows, currency)?,
        date: values(u, rows, date)?,
        amount: values(u, rows, money)?,
    })
}

fn build(u: &mut Unstructured) -> Result<(Book, NaiveDate)> {
    let (ni, ns, nm, nr, nc) = (
        u.int_in_range(0..=6)?,
        u.int_in_range(0..=6)?,
        u.int_in_range(0..=3)?,
        u.int_in_range(0..=3)?,
        u.int_in_range(0..=3)?,
    );
    let team = text(u, &["a", "b", ""], ni)?;
    let invoices = InvoiceColumns {
        id: text(u, INVOICES, ni)?,
        customer: text(u, CUSTOMERS, ni)?,
        currency: values(u, ni, currency)?,
        date: values(u, ni, date)?,
        due_date: values(u, ni, date)?,
        amount: values(u, ni, money)?,
        dimensions: if u.arbitrary()? {
            vec![("team".into(), team)]
        } else {
            vec![]
        },
    };
    let kinds = [
        SettlementKind::Payment,
        SettlementKind::Credit,
        SettlementKind::Discount,
        SettlementKind::WriteOff,
    ];
    let settlements = SettlementColumns {
        invoice: text(u, INVOICES, ns)?,
        date: values(u, ns, date)?,
        amount: values(u, ns, money)?,
        kind: if u.arbitrary()? {
            values(u, ns, |u| u.choose(&kinds).copied())?
        } else {
            vec![]
        },
    };
    let open_credits = open(u, nm)?;
    let unapplied_cash = open(u, nr)?;
    let region = text(u, &["west", ""], nc)?;
    let customers = CustomerColumns {
        id: text(u, CUSTOMERS, nc)?,
        dimensions: if u.arbitrary()? {
            vec![("region".into(), region)]
        } else {
            vec![]
        },
    };
    let as_of = date(u)?;
    Ok((
        Book {
            invoices,
            settlements,
            open_credits,
            unapplied_cash,
            customers,
        },
        as_of,
    ))
}

fuzz_target!(|data: &[u8]| {
    if let Ok((b, as_of)) = build(&mut Unstructured::new(data)) {
        report(guard(|| book(b, as_of)));
    }
});
