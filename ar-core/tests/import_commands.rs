//! `Ledger::from_tables` is documented as executing, row by row, the
//! command each row stands for. For random tables (ids that repeat, are
//! unknown or invalid; amounts that are zero, negative or too precise;
//! dates before their documents; receipts of unknown payers) this executes
//! those commands one at a time, as the documentation spells them, and
//! checks the import gives the same log, or refuses the same row with the
//! same error, also for rows past the first two batches the import reads
//! ahead, and across the edge between two.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use ar_core::bulk::{InvoiceColumns, OpenColumns, StrColumn};
use ar_core::chrono::{DateTime, Days, NaiveDate, Utc};
use ar_core::import::{
    ApplicationColumns, CreditMemoColumns, CustomerTable, LedgerTables, ReceiptDetailColumns,
};
use ar_core::rust_decimal::Decimal;
use ar_core::*;
use proptest::prelude::*;

/// Ids put in place of a row's own (`I3` for invoice row 3) now and then:
/// one taken by row 0, an empty one, a padded one.
const IDS: &[&str] = &["0", "", " 1"];
const CUSTOMERS: &[&str] = &["ACME", "BETA", "GAMMA", ""];
const AMOUNTS: &[&str] = &["10.00", "25.50", "40", "100.00", "0", "-5.00", "0.001"];

fn recorded() -> DateTime<Utc> {
    "2026-07-01T09:00:00Z".parse().unwrap()
}

fn day(n: u8) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, 1).unwrap() + Days::new(u64::from(n))
}

fn usd() -> Currency {
    Currency::new("USD").unwrap()
}

fn amount(i: usize) -> Decimal {
    AMOUNTS[i].parse().unwrap()
}

/// A row: indices into the pools above, days after 1 May.
#[derive(Debug, Clone)]
struct Row {
    /// `None` for the row's own id.
    id: Option<usize>,
    customer: usize,
    /// The invoice (and for applications the source) the row refers to:
    /// a row of the table, or from 98 on one past its end.
    other: usize,
    source: usize,
    day: u8,
    later: u8,
    amount: usize,
    memo: bool,
}

fn row() -> impl Strategy<Value = Row> {
    // Mostly good rows, so that imports get far and many succeed.
    (
        proptest::option::weighted(0.015, 0..IDS.len()),
        prop_oneof![60 => Just(0usize), 6 => Just(1), 1 => 0..CUSTOMERS.len()],
        0usize..100,
        0usize..100,
        0u8..20,
        0u8..40,
        prop_oneof![60 => 0..4usize, 1 => 0..AMOUNTS.len()],
        proptest::bool::weighted(0.3),
    )
        .prop_map(
            |(id, customer, other, source, day, later, amount, memo)| Row {
                id,
                customer,
                other,
                source,
                day,
                later,
                amount,
                memo,
            },
        )
}

fn col<'a>(v: impl Iterator<Item = &'a str>) -> StrColumn {
    v.collect()
}

/// Tables from rows: customers ACME and BETA; invoices, memos, receipts
/// and applications from `rows` (ids `I<id>`, `M<id>`, `R<id>`, so that
/// they repeat and are unknown; an empty or padded id stays invalid).
fn tables(invoices: &[Row], memos: &[Row], receipts: &[Row], apps: &[Row]) -> LedgerTables {
    let id = |prefix: &str, i: usize, instead: Option<usize>| match instead.map(|k| IDS[k]) {
        None => format!("{prefix}{i}"),
        Some("") => String::new(),
        Some(s) if s.starts_with(' ') => format!(" {prefix}{}", s.trim()),
        Some(s) => format!("{prefix}{s}"),
    };
    let column = |v: Vec<String>| -> StrColumn { v.iter().map(String::as_str).collect() };
    let ids = |prefix: &str, rows: &[Row]| {
        column(
            rows.iter()
                .enumerate()
                .map(|(i, r)| id(prefix, i, r.id))
                .collect(),
        )
    };
    // A reference to row `k % n` of a table of `n`, or from 98 on to
    // one past its end.
    let refs =
        |prefix: &str, n: usize, rows: &[Row], pick: fn(&Row) -> usize, when: fn(&Row) -> bool| {
            let name = |k: usize| if k >= 98 || n == 0 { n } else { k % n };
            let named = |r: &Row| match when(r) {
                true => format!("{prefix}{}", name(pick(r))),
                false => String::new(),
            };
            column(rows.iter().map(named).collect())
        };
    let customers = |rows: &[Row]| col(rows.iter().map(|r| CUSTOMERS[r.customer]));
    LedgerTables {
        customers: CustomerTable {
            id: col(["ACME", "BETA"].into_iter()),
            name: col(["Acme", ""].into_iter()),
            currency: vec![usd(); 2],
            terms: vec![],
            dimensions: vec![("region".into(), col(["N", ""].into_iter()))],
        },
        invoices: InvoiceColumns {
            id: ids("I", invoices),
            customer: customers(invoices),
            currency: vec![usd(); invoices.len()],
            date: invoices.iter().map(|r| day(r.day)).collect(),
            due_date: invoices
                .iter()
                .map(|r| day(r.day + r.later).pred_opt().unwrap())
                .collect(),
            amount: invoices.iter().map(|r| amount(r.amount)).collect(),
            dimensions: vec![],
        },
        credit_memos: CreditMemoColumns {
            id: ids("M", memos),
            customer: customers(memos),
            currency: vec![usd(); memos.len()],
            date: memos.iter().map(|r| day(r.day)).collect(),
            amount: memos.iter().map(|r| amount(r.amount)).collect(),
            against: refs("I", invoices.len(), memos, |r| r.other, |r| r.memo),
        },
        receipts: OpenColumns {
            id: ids("R", receipts),
            // One receipt in seven from a payer not yet identified.
            customer: col(receipts.iter().map(|r| match r.later % 7 {
                0 => "",
                _ => CUSTOMERS[r.customer],
            })),
            currency: vec![usd(); receipts.len()],
            date: receipts.iter().map(|r| day(r.day)).collect(),
            amount: receipts.iter().map(|r| amount(r.amount)).collect(),
        },
        // Remittance on every other receipt, an account on every third.
        receipt_details: ReceiptDetailColumns {
            remittance: col(receipts.iter().map(|r| match r.later % 2 {
                0 => "INV I1",
                _ => "",
            })),
            payer_account: col(receipts.iter().map(|r| match r.later % 3 {
                0 => "GB29 NWBK 6016 1331 9268 19",
                _ => "",
            })),
            ..ReceiptDetailColumns::default()
        },
        applications: ApplicationColumns {
            // Now and then a row names no source (`id` set) or both.
            receipt: refs(
                "R",
                receipts.len(),
                apps,
                |r| r.source,
                |r| !r.memo || r.id == Some(0),
            ),
            credit_memo: refs(
                "M",
                memos.len(),
                apps,
                |r| r.source,
                |r| r.memo || r.id == Some(0),
            ),
            invoice: refs("I", invoices.len(), apps, |r| r.other, |r| r.id != Some(1)),
            date: apps.iter().map(|r| day(r.day + r.later)).collect(),
            amount: apps.iter().map(|r| amount(r.amount)).collect(),
            discount: apps
                .iter()
                .map(|r| {
                    if r.later > 35 {
                        amount(0)
                    } else {
                        Decimal::ZERO
                    }
                })
                .collect(),
        },
    }
}

/// Rows read ahead per batch by the import.
const BATCH: usize = 64;

/// `t` after `n` good rows: invoices `P0`.. of 100.00, a receipt `PR`
/// paying them all, and its applications, so that the random rows fall in
/// a later batch of their tables (or across two).
fn padded(mut t: LedgerTables, n: usize) -> LedgerTables {
    fn before(pad: Vec<String>, column: &StrColumn) -> StrColumn {
        let rows: Vec<&str> = pad
            .iter()
            .map(String::as_str)
            .chain(column.iter())
            .collect();
        rows.into_iter().collect()
    }
    fn first<T: Clone>(pad: T, n: usize, column: &mut Vec<T>) {
        column.splice(0..0, std::iter::repeat_n(pad, n));
    }
    let invoices: Vec<String> = (0..n).map(|i| format!("P{i}")).collect();
    let hundred = amount(3);
    let inv = &mut t.invoices;
    inv.id = before(invoices.clone(), &inv.id);
    inv.customer = before(vec!["ACME".into(); n], &inv.customer);
    first(usd(), n, &mut inv.currency);
    first(day(0), n, &mut inv.date);
    first(day(30), n, &mut inv.due_date);
    first(hundred, n, &mut inv.amount);
    let r = &mut t.receipts;
    r.id = before(vec!["PR".into()], &r.id);
    r.customer = before(vec!["ACME".into()], &r.customer);
    first(usd(), 1, &mut r.currency);
    first(day(0), 1, &mut r.date);
    first(hundred * Decimal::from(n), 1, &mut r.amount);
    let d = &mut t.receipt_details;
    d.remittance = before(vec![String::new()], &d.remittance);
    d.payer_account = before(vec![String::new()], &d.payer_account);
    let a = &mut t.applications;
    let rows = a.invoice.len();
    a.receipt = before(vec!["PR".into(); n], &a.receipt);
    a.credit_memo = before(vec![String::new(); n], &a.credit_memo);
    a.invoice = before(invoices, &a.invoice);
    first(day(0), n, &mut a.date);
    first(hundred, n, &mut a.amount);
    if !a.discount.is_empty() || rows == 0 {
        first(Decimal::ZERO, n, &mut a.discount);
    }
    t
}

/// A command, or the error making it raised, and the table and row it
/// stands for.
type Made = (std::result::Result<Command, Error>, &'static str, usize);

/// The commands of the tables, in the documented order and spelling.
fn commands(t: &LedgerTables) -> Vec<Made> {
    let text = |c: &StrColumn, i: usize| c.get(i).unwrap_or_default().to_owned();
    let mut out: Vec<Made> = Vec::new();
    let c = &t.customers;
    for i in 0..c.id.len() {
        let made = CustomerId::new(text(&c.id, i)).map(|id| {
            let name = match text(&c.name, i) {
                n if n.is_empty() => id.as_str().to_owned(),
                n => n,
            };
            let mut customer = Customer::new(id, name, c.currency[i]);
            for (key, values) in &c.dimensions {
                let v = text(values, i);
                if !v.is_empty() {
                    customer = customer.with_dimension(key.clone(), v);
                }
            }
            Command::RegisterCustomer { customer }
        });
        out.push((made, "customers", i));
    }
    let inv = &t.invoices;
    for i in 0..inv.id.len() {
        let made = (|| {
            Ok(Command::ImportInvoice {
                invoice: OpeningInvoice {
                    id: InvoiceId::new(text(&inv.id, i))?,
                    customer: CustomerId::new(text(&inv.customer, i))?,
                    date: inv.date[i],
                    due_date: inv.due_date[i],
                    currency: Some(inv.currency[i]),
                    total: inv.amount[i],
                    open: inv.amount[i],
                    po_number: None,
                    dimensions: Default::default(),
                },
                as_of: inv.date[i],
            })
        })();
        out.push((made, "invoices", i));
    }
    let m = &t.credit_memos;
    for i in 0..m.id.len() {
        let made = (|| {
            let against = match text(&m.against, i) {
                a if a.is_empty() => None,
                a => Some(InvoiceId::new(a)?),
            };
            Ok(Command::IssueCreditMemo {
                id: CreditMemoId::new(text(&m.id, i))?,
                customer: CustomerId::new(text(&m.customer, i))?,
                date: m.date[i],
                currency: Some(m.currency[i]),
                against,
                kind: CreditKind::Amount {
                    amount: m.amount[i],
                },
                reason: String::new(),
            })
        })();
        out.push((made, "credit_memos", i));
    }
    let r = &t.receipts;
    for i in 0..r.id.len() {
        let made = (|| {
            let customer = match text(&r.customer, i) {
                c if c.is_empty() => None,
                c => Some(CustomerId::new(c)?),
            };
            Ok(Command::RecordReceipt {
                receipt: Receipt {
                    id: ReceiptId::new(text(&r.id, i))?,
                    customer,
                    date: r.date[i],
                    amount: r.amount[i],
                    currency: r.currency[i],
                    method: PaymentMethod::default(),
                    reference: None,
                    remittance: text(&t.receipt_details.remittance, i),
                    payer_name: None,
                    payer_account: Some(text(&t.receipt_details.payer_account, i))
                        .filter(|a| !a.is_empty()),
                },
            })
        })();
        out.push((made, "receipts", i));
    }
    let a = &t.applications;
    for i in 0..a.invoice.len() {
        let made = (|| {
            let source = match (text(&a.receipt, i), text(&a.credit_memo, i)) {
                (r, m) if m.is_empty() && !r.is_empty() => Source::Receipt(ReceiptId::new(r)?),
                (r, m) if r.is_empty() && !m.is_empty() => {
                    Source::CreditMemo(CreditMemoId::new(m)?)
                }
                _ => {
                    return Err(Error::InvalidValue {
                        field: "receipt".into(),
                        value: String::new(),
                        reason: "name one source".into(),
                    })
                }
            };
            Ok(Command::Apply {
                id: None,
                source,
                invoice: InvoiceId::new(text(&a.invoice, i))?,
                installment: None,
                amount: a.amount[i],
                discount: a.discount.get(i).copied().unwrap_or_default(),
                date: a.date[i],
            })
        })();
        out.push((made, "applications", i));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn from_tables_is_the_rows_commands_executed_one_by_one(
        invoices in proptest::collection::vec(row(), 0..8),
        memos in proptest::collection::vec(row(), 0..4),
        receipts in proptest::collection::vec(row(), 0..6),
        apps in proptest::collection::vec(row(), 0..10),
        // No padding, one batch of it, or up to three batches and a
        // part: rows past the second batch, and a batch's edge among them.
        pad in prop_oneof![14 => Just(0usize), 3 => Just(BATCH), 3 => BATCH + 1..3 * BATCH + 8],
    ) {
        let t = tables(&invoices, &memos, &receipts, &apps);
        let t = if pad > 0 { padded(t, pad) } else { t };
        let imported = Ledger::from_tables(&t, recorded());
        let meta = CommandMeta::at(recorded());
        let mut ledger = Ledger::new();
        let mut refused = None;
        for (made, table, row) in commands(&t) {
            let outcome = made.and_then(|command| ledger.execute(command, &meta).map(drop));
            if let Err(e) = outcome {
                refused = Some((e, table, row));
                break;
            }
        }
        match (imported, refused) {
            (Ok(imported), None) => prop_assert_eq!(imported.events(), ledger.events()),
            (Err(e), Some((expected, table, row))) => {
                let field = e.to_string();
                prop_assert!(field.starts_with(&format!("{table}.")), "{} for {} row {}", field, table, row);
                prop_assert!(field.contains(&format!("[{row}]")), "{} for {} row {}", field, table, row);
                prop_assert_eq!(e.code(), expected.code(), "{} vs {}", e, expected);
            }
            (imported, refused) => prop_assert!(
                false,
                "import {:?}, commands {:?}",
                imported.map(|l| l.events().len()),
                refused.map(|(e, t, r)| format!("{e} at {t}[{r}]"))
            ),
        }
    }
}
