//! The main job on bundled sample data: load customers, invoices, credit
//! memos and receipts from `examples/data/`, apply the receipts and credit
//! memos, and print open items and customer balances.
//!
//! Usage: `cargo run -p ar-examples --bin ar-demo [DATA_DIR] [AS_OF]`
//!
//! The CSV files are plain: a header row, comma-separated fields, no quoting.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ar_core::chrono::{NaiveDate, TimeZone, Utc};
use ar_core::rust_decimal::Decimal;
use ar_core::*;

type Row = BTreeMap<String, String>;

fn read_csv(dir: &Path, name: &str) -> Result<Vec<Row>, String> {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    Ok(lines
        .map(|l| {
            header
                .iter()
                .map(|h| h.to_string())
                .zip(l.split(',').map(str::to_owned))
                .collect()
        })
        .collect())
}

fn field<'a>(row: &'a Row, name: &str) -> &'a str {
    row.get(name).map_or("", String::as_str)
}

fn opt(row: &Row, name: &str) -> Option<String> {
    Some(field(row, name).to_owned()).filter(|s| !s.is_empty())
}

fn dec(row: &Row, name: &str) -> Result<Decimal> {
    parse_decimal(name, field(row, name))
}

fn date(row: &Row, name: &str) -> Result<NaiveDate> {
    field(row, name).parse().map_err(|_| Error::InvalidDate {
        field: name.into(),
        value: field(row, name).into(),
        expected: "date (YYYY-MM-DD)".into(),
    })
}

/// Loads the sample book into a ledger.
fn load(dir: &Path) -> Result<Ledger, String> {
    let meta = CommandMeta::at(
        Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0)
            .single()
            .ok_or("bad timestamp")?,
    );
    let mut ledger = Ledger::new();
    let mut run = |cmd: Command| {
        ledger
            .execute(cmd, &meta)
            .map(|_| ())
            .map_err(|e| format!("{}: {e}", e.code()))
    };
    let s = |e: Error| format!("{}: {e}", e.code());

    for r in read_csv(dir, "customers.csv")? {
        let mut c = Customer::new(
            CustomerId::new(field(&r, "id")).map_err(s)?,
            field(&r, "name"),
            Currency::new(field(&r, "currency")).map_err(s)?,
        )
        .with_terms(field(&r, "terms").parse().map_err(s)?);
        if let Some(limit) = opt(&r, "credit_limit") {
            c = c.with_credit_limit(parse_decimal("credit_limit", &limit).map_err(s)?);
        }
        for dim in ["region", "sales_rep"] {
            if let Some(v) = opt(&r, dim) {
                c = c.with_dimension(dim, v);
            }
        }
        run(Command::RegisterCustomer { customer: c })?;
    }

    // Invoice lines arrive one per row; rows of one invoice are consecutive.
    let mut invoices: Vec<NewInvoice> = Vec::new();
    for r in read_csv(dir, "invoices.csv")? {
        let mut line = InvoiceLine::new(
            field(&r, "description"),
            dec(&r, "quantity").map_err(s)?,
            dec(&r, "unit_price").map_err(s)?,
        );
        if let Some(code) = opt(&r, "tax_code") {
            line = line.with_tax(code, dec(&r, "tax_rate").map_err(s)?);
        }
        let id = InvoiceId::new(field(&r, "invoice")).map_err(s)?;
        match invoices.last_mut() {
            Some(inv) if inv.id == id => inv.lines.push(line),
            _ => {
                let mut inv = NewInvoice::new(
                    id,
                    CustomerId::new(field(&r, "customer")).map_err(s)?,
                    date(&r, "date").map_err(s)?,
                    vec![line],
                );
                inv.tax_mode = if field(&r, "tax_mode") == "inclusive" {
                    TaxMode::Inclusive
                } else {
                    TaxMode::Exclusive
                };
                inv.po_number = opt(&r, "po_number");
                invoices.push(inv);
            }
        }
    }
    for invoice in invoices {
        run(Command::IssueInvoice { invoice })?;
    }

    for r in read_csv(dir, "credit_memos.csv")? {
        let against = opt(&r, "against")
            .map(InvoiceId::new)
            .transpose()
            .map_err(s)?;
        let kind = match (opt(&r, "line"), opt(&r, "amount")) {
            (Some(line), _) => CreditKind::Lines {
                lines: vec![CreditLine {
                    line: line
                        .parse()
                        .map_err(|_| format!("line: {line:?} is not a line number"))?,
                    quantity: opt(&r, "quantity")
                        .map(|q| parse_decimal("quantity", &q))
                        .transpose()
                        .map_err(s)?,
                }],
            },
            (None, Some(amount)) => CreditKind::Amount {
                amount: parse_decimal("amount", &amount).map_err(s)?,
            },
            (None, None) => CreditKind::WholeInvoice,
        };
        run(Command::IssueCreditMemo {
            id: CreditMemoId::new(field(&r, "id")).map_err(s)?,
            customer: CustomerId::new(field(&r, "customer")).map_err(s)?,
            date: date(&r, "date").map_err(s)?,
            currency: None,
            against,
            kind,
            reason: field(&r, "reason").to_owned(),
        })?;
    }

    for r in read_csv(dir, "receipts.csv")? {
        run(Command::RecordReceipt {
            receipt: Receipt {
                id: ReceiptId::new(field(&r, "id")).map_err(s)?,
                customer: opt(&r, "customer")
                    .map(CustomerId::new)
                    .transpose()
                    .map_err(s)?,
                date: date(&r, "date").map_err(s)?,
                amount: dec(&r, "amount").map_err(s)?,
                currency: Currency::new(field(&r, "currency")).map_err(s)?,
                method: PaymentMethod::parse_field("method", field(&r, "method")).map_err(s)?,
                reference: opt(&r, "reference"),
                remittance: field(&r, "remittance").to_owned(),
            },
        })?;
    }

    for r in read_csv(dir, "applications.csv")? {
        let source = match field(&r, "source_kind") {
            "credit_memo" => Source::CreditMemo(CreditMemoId::new(field(&r, "source")).map_err(s)?),
            _ => Source::Receipt(ReceiptId::new(field(&r, "source")).map_err(s)?),
        };
        let when = date(&r, "date").map_err(s)?;
        if field(&r, "invoice") == "FIFO" {
            run(Command::ApplyFifo {
                source,
                date: when,
                include_disputed: false,
            })?;
        } else {
            run(Command::Apply {
                id: None,
                source,
                invoice: InvoiceId::new(field(&r, "invoice")).map_err(s)?,
                installment: None,
                amount: dec(&r, "amount").map_err(s)?,
                discount: opt(&r, "discount")
                    .map(|d| parse_decimal("discount", &d))
                    .transpose()
                    .map_err(s)?
                    .unwrap_or_default(),
                date: when,
            })?;
        }
    }
    Ok(ledger)
}

/// The report, as text. The Python and Node examples print the same bytes.
fn report(ledger: &Ledger, as_of: NaiveDate) -> String {
    let view = View::as_of(as_of);
    let mut out = String::new();
    let _ = writeln!(out, "Open items as of {as_of}");
    let _ = writeln!(
        out,
        "{:<15} {:<10} {:<10} {:<3} {:<10} {:>12}",
        "kind", "id", "customer", "cur", "due", "open"
    );
    for i in ledger.open_items(&view) {
        let due = i
            .due_date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "-".into());
        let customer = i.customer.as_ref().map_or("(unknown)", CustomerId::as_str);
        let _ = writeln!(
            out,
            "{:<15} {:<10} {:<10} {:<3} {:<10} {:>12}",
            i.kind.name(),
            i.id,
            customer,
            i.currency.code(),
            due,
            i.open
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Customer balances as of {as_of}");
    let _ = writeln!(
        out,
        "{:<10} {:<3} {:>12} {:>12} {:>12} {:>12}",
        "customer", "cur", "invoices", "cash", "credits", "net"
    );
    for b in ledger.balances(&view) {
        let customer = b.customer.as_ref().map_or("(unknown)", CustomerId::as_str);
        let _ = writeln!(
            out,
            "{:<10} {:<3} {:>12} {:>12} {:>12} {:>12}",
            customer,
            b.currency.code(),
            b.invoices,
            b.unapplied_cash,
            b.open_credits,
            b.net
        );
    }
    out
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data"),
        PathBuf::from,
    );
    let as_of = match args.get(2).map(|s| s.parse::<NaiveDate>()) {
        None => NaiveDate::from_ymd_opt(2026, 11, 23),
        Some(Ok(d)) => Some(d),
        Some(Err(_)) => None,
    };
    let Some(as_of) = as_of else {
        eprintln!("AS_OF must be a date, YYYY-MM-DD");
        return ExitCode::FAILURE;
    };
    match load(&dir) {
        Ok(ledger) => {
            print!("{}", report(&ledger, as_of));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
