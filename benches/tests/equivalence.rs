//! A book given as columns and the same book kept as a ledger give the same
//! aging and metrics, to the cent, on a generated book.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use ar_core::bulk::{
    Book, CustomerColumns, InvoiceColumns, OpenColumns, SettlementColumns, SettlementKind,
    StrColumn,
};
use ar_core::chrono::NaiveDate;
use ar_core::*;

/// No grouping, by customer, by a customer dimension, and by two.
fn groupings() -> Vec<Vec<GroupBy>> {
    let region = GroupBy::CustomerDimension("region".into());
    let rep = GroupBy::CustomerDimension("sales_rep".into());
    vec![
        vec![],
        vec![GroupBy::Customer],
        vec![region.clone()],
        vec![region, rep],
    ]
}

#[test]
fn columns_and_ledger_agree() {
    let generated = ar_benches::generate(3_000, 7);
    let (ledger, refused) = ar_benches::build(&generated);
    assert_eq!(refused, 0);
    let invoices: Vec<InvoiceView> = ledger
        .events()
        .iter()
        .filter_map(|e| match &e.event {
            Event::InvoiceIssued { invoice } => {
                Some(ledger.invoice(&invoice.id, &View::all()).unwrap())
            }
            _ => None,
        })
        .collect();
    let ids: Vec<String> = invoices.iter().map(|v| v.invoice.id.to_string()).collect();
    let customers: Vec<String> = invoices
        .iter()
        .map(|v| v.invoice.customer.to_string())
        .collect();
    let apps = ledger.applications(&View::all());
    let app_invoice: Vec<String> = apps.iter().map(|a| a.invoice.to_string()).collect();
    let open = ledger.open_items(&View::all());
    let credits: Vec<&OpenItem> = open
        .iter()
        .filter(|i| i.kind == OpenItemKind::CreditMemo)
        .collect();
    let cash: Vec<&OpenItem> = open
        .iter()
        .filter(|i| i.kind == OpenItemKind::UnappliedCash)
        .collect();
    let credit_customers: Vec<String> = credits
        .iter()
        .map(|i| i.customer.as_ref().unwrap().to_string())
        .collect();
    let cash_customers: Vec<Option<String>> = cash
        .iter()
        .map(|i| i.customer.as_ref().map(ToString::to_string))
        .collect();
    let registered: Vec<&Customer> = ledger.customers().collect();
    let dimension = |key: &str| -> StrColumn {
        registered
            .iter()
            .map(|c| c.dimensions.get(key).map_or("", String::as_str))
            .collect()
    };
    let book = Book {
        customers: CustomerColumns {
            id: registered.iter().map(|c| c.id.as_str()).collect(),
            dimensions: vec![
                ("region".into(), dimension("region")),
                ("sales_rep".into(), dimension("sales_rep")),
            ],
        },
        invoices: InvoiceColumns {
            id: ids.iter().map(String::as_str).collect::<StrColumn>(),
            customer: customers.iter().map(String::as_str).collect::<StrColumn>(),
            currency: invoices.iter().map(|v| v.invoice.currency).collect(),
            date: invoices.iter().map(|v| v.invoice.date).collect(),
            due_date: invoices
                .iter()
                .map(|v| v.invoice.installments[0].due_date)
                .collect(),
            amount: invoices.iter().map(|v| v.invoice.totals.total).collect(),
            dimensions: vec![],
        },
        settlements: SettlementColumns {
            invoice: app_invoice.iter().map(String::as_str).collect(),
            date: apps.iter().map(|a| a.date).collect(),
            amount: apps
                .iter()
                .map(|a| a.allocations.iter().map(|x| x.amount).sum())
                .collect(),
            kind: apps.iter().map(|_| SettlementKind::Payment).collect(),
        },
        open_credits: OpenColumns {
            id: credits.iter().map(|i| i.id.as_str()).collect(),
            customer: credit_customers.iter().map(String::as_str).collect(),
            currency: credits.iter().map(|i| i.currency).collect(),
            date: credits.iter().map(|i| i.date).collect(),
            amount: credits.iter().map(|i| i.open).collect(),
        },
        unapplied_cash: OpenColumns {
            id: cash.iter().map(|i| i.id.as_str()).collect(),
            customer: cash_customers
                .iter()
                .map(|c| c.as_deref().unwrap_or(""))
                .collect(),
            currency: cash.iter().map(|i| i.currency).collect(),
            date: cash.iter().map(|i| i.date).collect(),
            amount: cash.iter().map(|i| i.open).collect(),
        },
    };
    let prepared = book.prepare().unwrap();
    assert_eq!(prepared.invoices(), generated.invoices);
    for as_of in ["2025-06-30", "2026-03-31", "2026-10-31"] {
        let as_of: NaiveDate = as_of.parse().unwrap();
        for group_by in groupings() {
            let options = AgingOptions {
                group_by,
                detail: true,
                ..AgingOptions::new(as_of)
            };
            let from_ledger = ledger.aging(&options).unwrap();
            let from_columns = prepared.aging(&options).unwrap();
            // Credit memos are dated when issued; as of dates before the book's
            // end the ledger may not have them yet, but never differs otherwise.
            if as_of == generated.end {
                assert_eq!(from_columns, from_ledger);
            } else {
                assert_eq!(
                    from_columns
                        .totals
                        .iter()
                        .map(|t| &t.buckets)
                        .collect::<Vec<_>>(),
                    from_ledger
                        .totals
                        .iter()
                        .map(|t| &t.buckets)
                        .collect::<Vec<_>>()
                );
            }
        }
    }
    let period = Period::new("2026-08-01".parse().unwrap(), generated.end).unwrap();
    for group_by in groupings() {
        let options = MetricsOptions {
            group_by,
            ..MetricsOptions::new(period)
        };
        assert_eq!(
            prepared.metrics(&options).unwrap(),
            ledger.metrics(&options).unwrap()
        );
    }
}

#[test]
fn generator_is_deterministic() {
    let a = ar_benches::generate(500, 11);
    let b = ar_benches::generate(500, 11);
    assert_eq!(a.commands, b.commands);
    assert_ne!(a.commands, ar_benches::generate(500, 12).commands);
    assert!(a
        .commands
        .iter()
        .any(|(c, _)| matches!(c, Command::IssueCreditMemo { .. })));
    assert!(
        a.commands
            .iter()
            .filter(|(c, _)| matches!(c, Command::Apply { .. }))
            .count()
            > 400
    );
}

#[test]
fn a_ledger_from_tables_reports_as_the_commands_ledger() {
    // The same history executed command by command and imported as tables:
    // invoices imported with their totals age, settle and measure alike.
    let generated = ar_benches::generate(3_000, 11);
    let (by_commands, refused) = ar_benches::build(&generated);
    assert_eq!(refused, 0);
    let tables = ar_benches::tables(&generated);
    assert_eq!(tables.invoices.id.len(), generated.invoices);
    let at = "2026-11-01T00:00:00Z".parse().unwrap();
    let imported = Ledger::from_tables(&tables, at).unwrap();
    assert_eq!(imported.events().len(), by_commands.events().len());
    for as_of in [
        "2025-06-30",
        "2026-03-31",
        generated.end.to_string().as_str(),
    ] {
        for group_by in groupings() {
            let options = AgingOptions {
                group_by,
                detail: true,
                ..AgingOptions::new(as_of.parse().unwrap())
            };
            assert_eq!(
                imported.aging(&options).unwrap(),
                by_commands.aging(&options).unwrap()
            );
        }
    }
    let period = Period::new("2026-08-01".parse().unwrap(), generated.end).unwrap();
    for group_by in groupings() {
        let options = MetricsOptions {
            group_by,
            ..MetricsOptions::new(period)
        };
        assert_eq!(
            imported.metrics(&options).unwrap(),
            by_commands.metrics(&options).unwrap()
        );
    }
}
