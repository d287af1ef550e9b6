//! A ledger built from tables, as a billing export or a notebook holds a
//! book's history: customers, invoices with their totals, credit memos,
//! receipts, and the applications of receipts and credits to invoices.
//!
//! Each row becomes the command a caller would have executed for it
//! (`RegisterCustomer`, `ImportInvoice` with all of the total open,
//! `IssueCreditMemo`, `RecordReceipt`, `Apply`), validated by the same
//! rules, so the ledger is the one those commands build, event for event.
//! A bad row stops the import; the error names its table, column and row.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::bulk::{InvoiceColumns, OpenColumns, StrColumn};
use crate::command::{Command, CommandMeta, OpeningInvoice};
use crate::credit_memo::CreditKind;
use crate::currency::Currency;
use crate::customer::Customer;
use crate::error::{Error, Result};
use crate::id::{CreditMemoId, CustomerId, InvoiceId, ReceiptId};
use crate::kinds::Source;
use crate::ledger::Ledger;
use crate::progress::{unobserved, Meter, Observer};
use crate::receipt::{PaymentMethod, Receipt};
use crate::terms::PaymentTerms;

/// Customers, one row each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerTable {
    /// Unique ids.
    pub id: StrColumn,
    /// Names; an empty column, or `""` in a row, names the customer by its id.
    pub name: StrColumn,
    /// Currencies of the customers' documents.
    pub currency: Vec<Currency>,
    /// Payment terms; empty for the default terms.
    pub terms: Vec<PaymentTerms>,
    /// Dimensions: a name and one value per customer (`""` for none).
    pub dimensions: Vec<(String, StrColumn)>,
}

impl CustomerTable {
    /// The currency of each of `customers` (ids, one per document row):
    /// its customer's, as a document without a currency of its own is in.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] naming `field[i]` for a customer the table
    /// does not have.
    pub fn currencies_of(
        &self,
        field: &str,
        customers: &StrColumn,
    ) -> crate::Result<Vec<Currency>> {
        let by_id: std::collections::HashMap<&str, Currency> =
            self.id.iter().zip(self.currency.iter().copied()).collect();
        customers
            .iter()
            .enumerate()
            .map(|(i, c)| {
                by_id.get(c).copied().ok_or_else(|| crate::Error::NotFound {
                    field: format!("{field}[{i}]"),
                    kind: "customer".into(),
                    id: c.to_owned(),
                })
            })
            .collect()
    }
}

/// Credit memos for an amount, one row each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreditMemoColumns {
    /// Unique ids.
    pub id: StrColumn,
    /// Customers credited.
    pub customer: StrColumn,
    /// Currencies.
    pub currency: Vec<Currency>,
    /// Issue dates.
    pub date: Vec<NaiveDate>,
    /// Amounts, greater than zero.
    pub amount: Vec<Decimal>,
    /// Invoice credited; an empty column, or `""` in a row, for none.
    pub against: StrColumn,
}

/// Applications of receipts or credit memos to invoices, one row each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplicationColumns {
    /// Receipt applied; `""` when the row applies a credit memo.
    pub receipt: StrColumn,
    /// Credit memo applied; `""` when the row applies a receipt. An empty
    /// column when every row applies a receipt.
    pub credit_memo: StrColumn,
    /// Invoices.
    pub invoice: StrColumn,
    /// Dates, on or after both documents'.
    pub date: Vec<NaiveDate>,
    /// Amounts taken from the source, greater than zero.
    pub amount: Vec<Decimal>,
    /// Early-payment discounts taken on top; empty for none.
    pub discount: Vec<Decimal>,
}

/// What a bank statement says of each receipt besides its amount, for
/// [`LedgerTables::receipt_details`]: every column optional (empty for
/// none, else one value per receipt row; `""` is no value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceiptDetailColumns {
    /// Remittance text, read by the matcher.
    pub remittance: StrColumn,
    /// Bank or check reference.
    pub reference: StrColumn,
    /// How it was paid: `check`, `ach`, `wire`, `card`, `cash`, `other`
    /// (see [`PaymentMethod`]; `""` is `other`).
    pub method: StrColumn,
    /// The payer's name as the bank gives it.
    pub payer_name: StrColumn,
    /// The account the money came from.
    pub payer_account: StrColumn,
}

/// A book's history as tables, for [`Ledger::from_tables`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerTables {
    /// Customers; every customer the other tables name must be here.
    pub customers: CustomerTable,
    /// Invoices with their totals (their dimensions kept on the invoice).
    pub invoices: InvoiceColumns,
    /// Credit memos.
    pub credit_memos: CreditMemoColumns,
    /// Receipts; a customer of `""` is a payer not yet identified.
    pub receipts: OpenColumns,
    /// The receipts' remittance, reference, method and payer, row for row
    /// with `receipts`.
    pub receipt_details: ReceiptDetailColumns,
    /// Applications.
    pub applications: ApplicationColumns,
}

/// Where a command comes from: a table's row, and the table's columns for
/// the fields a command's errors name (`total` is `amount` in `invoices`).
#[derive(Debug, Clone, Copy)]
struct Origin {
    table: &'static str,
    row: usize,
    columns: &'static [(&'static str, &'static str)],
}

const CUSTOMERS: &[(&str, &str)] = &[];
const INVOICES: &[(&str, &str)] = &[("total", "amount"), ("open", "amount"), ("as_of", "date")];
const CREDIT_MEMOS: &[(&str, &str)] = &[("invoice", "against")];
const RECEIPTS: &[(&str, &str)] = &[];
const FROM_RECEIPT: &[(&str, &str)] = &[("source", "receipt")];
const FROM_CREDIT_MEMO: &[(&str, &str)] = &[("source", "credit_memo")];

impl Origin {
    /// The same error naming the table's column and row.
    fn name(self, e: Error) -> Error {
        e.refield(|field| {
            let last = field.rsplit('.').next().unwrap_or(field);
            let column = self
                .columns
                .iter()
                .find(|(from, _)| *from == last)
                .map_or(last, |(_, to)| *to);
            format!("{}.{column}[{}]", self.table, self.row)
        })
    }
}

/// Rows decided per batch (see `State::warm`).
const BATCH: usize = 64;

/// Executes the commands the rows stand for.
struct Exec<'a, 'o> {
    ledger: &'a mut Ledger,
    meta: &'a CommandMeta,
    meter: Meter<'o>,
}

impl Exec<'_, '_> {
    /// Executes `command`; an error names the row it came from.
    fn run(&mut self, command: Command, origin: Origin) -> Result<()> {
        self.ledger
            .append_decided(command, self.meta, None)
            .map(drop)
            .map_err(|e| origin.name(e))
    }

    /// Executes the commands of rows `0..n`, made by `make`, a batch at a
    /// time: what a batch will read is read together first (see
    /// `State::warm`). The first bad row's error is returned, whether it
    /// could not be made or was refused.
    fn batched(
        &mut self,
        n: usize,
        make: impl Fn(usize) -> Result<(Command, Origin)>,
    ) -> Result<()> {
        let mut batch: Vec<(Command, Origin)> = Vec::with_capacity(BATCH.min(n));
        for first in (0..n).step_by(BATCH) {
            let mut bad = None;
            for row in first..first.saturating_add(BATCH).min(n) {
                match make(row) {
                    Ok(made) => batch.push(made),
                    Err(e) => {
                        bad = Some(e);
                        break;
                    }
                }
            }
            self.ledger.state.warm(batch.iter().map(|(c, _)| c));
            let made = batch.len();
            for (command, origin) in batch.drain(..) {
                self.run(command, origin)?;
            }
            if let Some(e) = bad {
                return Err(e);
            }
            self.meter.add(made)?;
        }
        Ok(())
    }
}

/// Checks that the columns of `table` have one value per row.
fn lengths(table: &str, named: &[(&str, usize)], optional: &[(&str, usize)]) -> Result<usize> {
    let n = named.first().map_or(0, |(_, len)| *len);
    for (column, len) in named {
        if *len != n {
            return Err(Error::invalid_value(
                &format!("{table}.{column}"),
                len,
                &format!("the table has {n} rows"),
            ));
        }
    }
    for (column, len) in optional {
        if *len != 0 && *len != n {
            return Err(Error::invalid_value(
                &format!("{table}.{column}"),
                len,
                &format!("give one value per row ({n}), or none"),
            ));
        }
    }
    Ok(n)
}

/// Text of row `row` of `column` (`""` for an empty column).
fn text(column: &StrColumn, row: usize) -> &str {
    column.get(row).unwrap_or_default()
}

/// A value of row `row` (the column has been checked to have it).
fn value<T: Copy>(column: &[T], row: usize, table: &str, name: &str) -> Result<T> {
    column.get(row).copied().ok_or_else(|| Error::Internal {
        message: format!("{table}.{name}[{row}] is missing after the length check"),
    })
}

impl LedgerTables {
    /// Executes the command each row stands for, table by table
    /// (customers, invoices, credit memos, receipts, applications), each
    /// made as it is executed rather than all held at once; the first bad
    /// row's error names its table, column and row.
    fn execute(
        &self,
        ledger: &mut Ledger,
        meta: &CommandMeta,
        observer: Observer<'_>,
    ) -> Result<()> {
        let c = &self.customers;
        let nc = lengths(
            "customers",
            &[("id", c.id.len()), ("currency", c.currency.len())],
            &[("name", c.name.len()), ("terms", c.terms.len())],
        )?;
        let inv = &self.invoices;
        let ni = lengths(
            "invoices",
            &[
                ("id", inv.id.len()),
                ("customer", inv.customer.len()),
                ("currency", inv.currency.len()),
                ("date", inv.date.len()),
                ("due_date", inv.due_date.len()),
                ("amount", inv.amount.len()),
            ],
            &[],
        )?;
        let m = &self.credit_memos;
        let nm = lengths(
            "credit_memos",
            &[
                ("id", m.id.len()),
                ("customer", m.customer.len()),
                ("currency", m.currency.len()),
                ("date", m.date.len()),
                ("amount", m.amount.len()),
            ],
            &[("against", m.against.len())],
        )?;
        let r = &self.receipts;
        let rd = &self.receipt_details;
        let nr = lengths(
            "receipts",
            &[
                ("id", r.id.len()),
                ("customer", r.customer.len()),
                ("currency", r.currency.len()),
                ("date", r.date.len()),
                ("amount", r.amount.len()),
            ],
            &[
                ("remittance", rd.remittance.len()),
                ("reference", rd.reference.len()),
                ("method", rd.method.len()),
                ("payer_name", rd.payer_name.len()),
                ("payer_account", rd.payer_account.len()),
            ],
        )?;
        let a = &self.applications;
        let na = lengths(
            "applications",
            &[
                ("invoice", a.invoice.len()),
                ("date", a.date.len()),
                ("amount", a.amount.len()),
            ],
            &[
                ("receipt", a.receipt.len()),
                ("credit_memo", a.credit_memo.len()),
                ("discount", a.discount.len()),
            ],
        )?;
        for (table, dims, n) in [
            ("customers", &c.dimensions, nc),
            ("invoices", &inv.dimensions, ni),
        ] {
            if let Some((name, _)) = dims.iter().find(|(_, v)| v.len() != n) {
                return Err(Error::invalid_value(
                    &format!("{table}.{name}"),
                    n,
                    "a dimension needs one value per row",
                ));
            }
        }
        // Lengths of tables held in memory: their sum is far from the limit.
        let rows = [nc, ni, nm, nr, na]
            .into_iter()
            .fold(0, usize::saturating_add);
        ledger.events.reserve(rows);
        ledger.state.reserve(nc, ni, [nr, nm], na);
        let meter = Meter::new(observer, rows);
        let mut exec = Exec {
            ledger,
            meta,
            meter,
        };
        exec.batched(nc, |row| self.customer(row))?;
        exec.batched(ni, |row| self.invoice(row))?;
        exec.batched(nm, |row| self.credit_memo(row))?;
        exec.batched(nr, |row| self.receipt(row))?;
        exec.batched(na, |row| self.application(row))?;
        exec.meter.tell()
    }

    /// The `RegisterCustomer` command of customer row `row`.
    fn customer(&self, row: usize) -> Result<(Command, Origin)> {
        let c = &self.customers;
        let origin = Origin {
            table: "customers",
            row,
            columns: CUSTOMERS,
        };
        let id = CustomerId::new(text(&c.id, row)).map_err(|e| origin.name(e))?;
        let name = match text(&c.name, row) {
            "" => id.as_str().to_owned(),
            name => name.to_owned(),
        };
        let mut customer =
            Customer::new(id, name, value(&c.currency, row, "customers", "currency")?);
        if let Some(terms) = c.terms.get(row) {
            customer = customer.with_terms(terms.clone());
        }
        for (key, values) in &c.dimensions {
            match text(values, row) {
                "" => {}
                v => customer = customer.with_dimension(key.clone(), v),
            }
        }
        Ok((Command::RegisterCustomer { customer }, origin))
    }

    /// The `ImportInvoice` command of invoice row `row`, all of its total open.
    fn invoice(&self, row: usize) -> Result<(Command, Origin)> {
        let inv = &self.invoices;
        let origin = Origin {
            table: "invoices",
            row,
            columns: INVOICES,
        };
        let fail = |e| origin.name(e);
        let date = value(&inv.date, row, "invoices", "date")?;
        let amount = value(&inv.amount, row, "invoices", "amount")?;
        let invoice = OpeningInvoice {
            id: InvoiceId::new(text(&inv.id, row)).map_err(&fail)?,
            customer: CustomerId::new(text(&inv.customer, row)).map_err(&fail)?,
            date,
            due_date: value(&inv.due_date, row, "invoices", "due_date")?,
            currency: Some(value(&inv.currency, row, "invoices", "currency")?),
            total: amount,
            open: amount,
            po_number: None,
            dimensions: inv
                .dimensions
                .iter()
                .filter(|(_, v)| !text(v, row).is_empty())
                .map(|(k, v)| (k.clone(), text(v, row).to_owned()))
                .collect(),
        };
        let command = Command::ImportInvoice {
            invoice,
            as_of: date,
        };
        Ok((command, origin))
    }

    /// The `IssueCreditMemo` command of credit memo row `row`.
    fn credit_memo(&self, row: usize) -> Result<(Command, Origin)> {
        let m = &self.credit_memos;
        let origin = Origin {
            table: "credit_memos",
            row,
            columns: CREDIT_MEMOS,
        };
        let fail = |e| origin.name(e);
        let against = match text(&m.against, row) {
            "" => None,
            id => Some(InvoiceId::new(id).map_err(&fail)?),
        };
        let command = Command::IssueCreditMemo {
            id: CreditMemoId::new(text(&m.id, row)).map_err(&fail)?,
            customer: CustomerId::new(text(&m.customer, row)).map_err(&fail)?,
            date: value(&m.date, row, "credit_memos", "date")?,
            currency: Some(value(&m.currency, row, "credit_memos", "currency")?),
            against,
            kind: CreditKind::Amount {
                amount: value(&m.amount, row, "credit_memos", "amount")?,
            },
            reason: String::new(),
        };
        Ok((command, origin))
    }

    /// The `RecordReceipt` command of receipt row `row`.
    fn receipt(&self, row: usize) -> Result<(Command, Origin)> {
        let r = &self.receipts;
        let origin = Origin {
            table: "receipts",
            row,
            columns: RECEIPTS,
        };
        let fail = |e| origin.name(e);
        let customer = match text(&r.customer, row) {
            "" => None,
            id => Some(CustomerId::new(id).map_err(&fail)?),
        };
        let d = &self.receipt_details;
        let some = |column: &StrColumn| match text(column, row) {
            "" => None,
            t => Some(t.to_owned()),
        };
        let method = match text(&d.method, row) {
            "" => PaymentMethod::default(),
            name => PaymentMethod::parse_field("method", name).map_err(&fail)?,
        };
        let receipt = Receipt {
            id: ReceiptId::new(text(&r.id, row)).map_err(&fail)?,
            customer,
            date: value(&r.date, row, "receipts", "date")?,
            amount: value(&r.amount, row, "receipts", "amount")?,
            currency: value(&r.currency, row, "receipts", "currency")?,
            method,
            reference: some(&d.reference),
            remittance: text(&d.remittance, row).to_owned(),
            payer_name: some(&d.payer_name),
            payer_account: some(&d.payer_account),
        };
        Ok((Command::RecordReceipt { receipt }, origin))
    }

    /// The `Apply` command of application row `row`.
    fn application(&self, row: usize) -> Result<(Command, Origin)> {
        let a = &self.applications;
        let origin = |columns| Origin {
            table: "applications",
            row,
            columns,
        };
        let (source, origin) = match (text(&a.receipt, row), text(&a.credit_memo, row)) {
            (receipt, "") if !receipt.is_empty() => {
                let origin = origin(FROM_RECEIPT);
                let id = ReceiptId::new(receipt).map_err(|e| origin.name(e))?;
                (Source::Receipt(id), origin)
            }
            ("", memo) if !memo.is_empty() => {
                let origin = origin(FROM_CREDIT_MEMO);
                let id = CreditMemoId::new(memo).map_err(|e| origin.name(e))?;
                (Source::CreditMemo(id), origin)
            }
            (receipt, memo) => {
                return Err(Error::invalid_value(
                    &format!("applications.receipt[{row}]"),
                    format!("{receipt:?} and credit_memo {memo:?}"),
                    "name one source: a receipt or a credit memo",
                ))
            }
        };
        let command = Command::Apply {
            id: None,
            source,
            invoice: InvoiceId::new(text(&a.invoice, row)).map_err(|e| origin.name(e))?,
            installment: None,
            amount: value(&a.amount, row, "applications", "amount")?,
            discount: a.discount.get(row).copied().unwrap_or_default(),
            date: value(&a.date, row, "applications", "date")?,
        };
        Ok((command, origin))
    }
}

impl Ledger {
    /// A ledger built from a book's history given as tables, every event
    /// recorded at `recorded` (see [`LedgerTables`] and the module
    /// [`crate::import`]).
    ///
    /// # Errors
    /// The first bad row's error, naming its table, column and row
    /// (`applications.amount[12]`): any error the row's command raises
    /// ([`Error::NotFound`] for an unknown customer, invoice or source,
    /// [`Error::OverApplication`], [`Error::DateBeforeDocument`], ...), and
    /// [`Error::InvalidValue`] for columns of different lengths or an
    /// application naming no source or two.
    ///
    /// # Example
    /// ```
    /// use ar_core::bulk::{InvoiceColumns, OpenColumns};
    /// use ar_core::import::{ApplicationColumns, CustomerTable, LedgerTables};
    /// use ar_core::{Currency, Ledger, View};
    /// use rust_decimal::Decimal;
    /// let day = |s: &str| s.parse().unwrap();
    /// let usd = Currency::new("USD").unwrap();
    /// let tables = LedgerTables {
    ///     customers: CustomerTable {
    ///         id: ["ACME"].into_iter().collect(),
    ///         currency: vec![usd],
    ///         ..CustomerTable::default()
    ///     },
    ///     invoices: InvoiceColumns {
    ///         id: ["I1"].into_iter().collect(),
    ///         customer: ["ACME"].into_iter().collect(),
    ///         currency: vec![usd],
    ///         date: vec![day("2026-05-01")],
    ///         due_date: vec![day("2026-05-31")],
    ///         amount: vec![Decimal::new(10000, 2)],
    ///         dimensions: vec![],
    ///     },
    ///     receipts: OpenColumns {
    ///         id: ["R1"].into_iter().collect(),
    ///         customer: ["ACME"].into_iter().collect(),
    ///         currency: vec![usd],
    ///         date: vec![day("2026-05-20")],
    ///         amount: vec![Decimal::new(4000, 2)],
    ///     },
    ///     applications: ApplicationColumns {
    ///         receipt: ["R1"].into_iter().collect(),
    ///         invoice: ["I1"].into_iter().collect(),
    ///         date: vec![day("2026-05-20")],
    ///         amount: vec![Decimal::new(4000, 2)],
    ///         ..ApplicationColumns::default()
    ///     },
    ///     ..LedgerTables::default()
    /// };
    /// let at = "2026-06-01T00:00:00Z".parse().unwrap();
    /// let ledger = Ledger::from_tables(&tables, at).unwrap();
    /// let acme = ar_core::CustomerId::new("ACME").unwrap();
    /// let balance = &ledger.customer_balance(&acme, &View::all()).unwrap()[0];
    /// assert_eq!(balance.invoices.to_string(), "60.00");
    /// ```
    pub fn from_tables(tables: &LedgerTables, recorded: DateTime<Utc>) -> Result<Ledger> {
        Ledger::from_tables_with_progress(tables, recorded, &mut unobserved)
    }

    /// [`Ledger::from_tables`], telling `observer` how many rows are done
    /// every [`crate::Progress::STEP`] rows and at the end; the observer may
    /// stop the build (see [`crate::Progress`]).
    ///
    /// # Errors
    ///
    /// As [`Ledger::from_tables`]; [`Error::Interrupted`] when the observer
    /// stops the build.
    pub fn from_tables_with_progress(
        tables: &LedgerTables,
        recorded: DateTime<Utc>,
        observer: Observer<'_>,
    ) -> Result<Ledger> {
        let mut ledger = Ledger::new();
        tables.execute(&mut ledger, &CommandMeta::at(recorded), observer)?;
        Ok(ledger)
    }
}
