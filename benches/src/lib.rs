//! A seeded generator of a realistic receivables book, shared by the Rust,
//! Python and Node benchmarks: customers with terms and dimensions, invoices
//! over two years, late, early and partial payments, payment runs covering
//! several invoices, and credit memos.

pub mod cash;
pub mod cash_baselines;

use ar_core::chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use ar_core::rust_decimal::Decimal;
use ar_core::*;

/// SplitMix64: a tiny, fast, fully specified generator, so the same seed
/// gives the same book on every platform and in every version.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A generated book: the commands to execute, in order, each with its
/// recorded time.
#[derive(Debug, Clone)]
pub struct Book {
    /// Commands with their recorded times (non-decreasing).
    pub commands: Vec<(Command, DateTime<Utc>)>,
    /// Number of invoices.
    pub invoices: usize,
    /// Last business date of the book.
    pub end: NaiveDate,
}

const REGIONS: [&str; 4] = ["EMEA", "AMER", "APAC", "LATAM"];
const TERMS: [&str; 5] = ["net 30", "net 45", "net 60", "2/10 net 30", "EOM + 15"];

/// How a customer pays.
#[derive(Clone, Copy)]
struct Habit {
    /// Days after due, from `early` to `early + spread`.
    early: i64,
    spread: u64,
    /// Percent of invoices paid in full (the rest partly, or never).
    full: u64,
    /// Pays in runs covering several invoices.
    runs: bool,
}

/// Generates a book of `invoices` invoices (one customer per 100 invoices),
/// dated over the two years ending `2026-10-31`.
pub fn generate(invoices: usize, seed: u64) -> Book {
    let mut rng = Rng::new(seed);
    let start = NaiveDate::from_ymd_opt(2024, 11, 1).unwrap_or_default();
    let end = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap_or_default();
    let span = u64::try_from((end - start).num_days()).unwrap_or(1);
    let customers = (invoices / 100).max(1);
    let Ok(usd) = Currency::new("USD") else {
        return Book {
            commands: Vec::new(),
            invoices: 0,
            end,
        };
    };
    let t0 = Utc
        .with_ymd_and_hms(2026, 11, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let mut commands = Vec::with_capacity(invoices * 3);
    let mut habits = Vec::with_capacity(customers);
    for c in 0..customers {
        let terms: PaymentTerms = pick(&mut rng, &TERMS).parse().unwrap_or_default();
        let customer = Customer::new(
            CustomerId::new(format!("C{c:06}")).unwrap_or_else(|_| unreachable_id()),
            format!("Customer {c}"),
            usd,
        )
        .with_terms(terms)
        .with_dimension("region", pick(&mut rng, &REGIONS))
        .with_dimension("sales_rep", format!("rep{:02}", rng.below(40)));
        commands.push((Command::RegisterCustomer { customer }, t0));
        habits.push(Habit {
            early: i64::try_from(rng.below(20)).unwrap_or(0) - 10,
            spread: 1 + rng.below(40),
            full: 80 + rng.below(20),
            runs: rng.chance(30),
        });
    }
    // Invoices in date order.
    let mut dates: Vec<u64> = (0..invoices).map(|_| rng.below(span)).collect();
    dates.sort_unstable();
    struct Pay {
        date: NaiveDate,
        customer: usize,
        invoice: usize,
        amount: Decimal,
    }
    let mut pays: Vec<Pay> = Vec::with_capacity(invoices);
    let mut credit_memos = Vec::new();
    for (n, offset) in dates.into_iter().enumerate() {
        let c = usize::try_from(rng.below(u64::try_from(customers).unwrap_or(1))).unwrap_or(0);
        let date = start + Duration::days(i64::try_from(offset).unwrap_or(0));
        let lines: Vec<InvoiceLine> = (0..1 + rng.below(3))
            .map(|_| {
                let price = Decimal::new(i64::try_from(500 + rng.below(200_000)).unwrap_or(500), 2);
                let qty = Decimal::from(1 + rng.below(10));
                InvoiceLine::new("item", qty, price).with_tax("TAX", Decimal::new(825, 2))
            })
            .collect();
        let id = InvoiceId::new(format!("INV{n:08}")).unwrap_or_else(|_| unreachable_id());
        let customer = CustomerId::new(format!("C{c:06}")).unwrap_or_else(|_| unreachable_id());
        let invoice = NewInvoice::new(id, customer, date, lines.clone());
        let total = compute_totals(
            &lines,
            usd,
            TaxMode::Exclusive,
            TaxRounding::PerLine,
            RoundingPolicy::default(),
        )
        .map(|t| t.total)
        .unwrap_or_default();
        commands.push((Command::IssueInvoice { invoice }, t0));
        let h = habits.get(c).copied().unwrap_or(Habit {
            early: 0,
            spread: 1,
            full: 100,
            runs: false,
        });
        let due = date + Duration::days(30);
        let paid = due + Duration::days(h.early + i64::try_from(rng.below(h.spread)).unwrap_or(0));
        if rng.chance(3) {
            // A credit memo for part of the invoice.
            credit_memos.push((
                n,
                c,
                date + Duration::days(5),
                (total / Decimal::from(10)).round_dp(2),
            ));
        }
        if paid > end {
            continue;
        }
        let amount = if rng.chance(h.full) {
            total
        } else if rng.chance(70) {
            (total / Decimal::TWO).round_dp(2)
        } else {
            continue;
        };
        // Runs settle on the next month end.
        let date = if h.runs {
            ar_core::metrics::Period::month_of(paid).end.min(end)
        } else {
            paid
        };
        pays.push(Pay {
            date,
            customer: c,
            invoice: n,
            amount,
        });
    }
    for (n, c, date, amount) in credit_memos {
        if date > end || amount <= Decimal::ZERO {
            continue;
        }
        let invoice = InvoiceId::new(format!("INV{n:08}")).unwrap_or_else(|_| unreachable_id());
        commands.push((
            Command::IssueCreditMemo {
                id: CreditMemoId::new(format!("CM{n:08}")).unwrap_or_else(|_| unreachable_id()),
                customer: CustomerId::new(format!("C{c:06}")).unwrap_or_else(|_| unreachable_id()),
                date,
                currency: None,
                against: Some(invoice.clone()),
                kind: CreditKind::Amount { amount },
                reason: "price adjustment".into(),
            },
            t0,
        ));
    }
    // Receipts: one per payment, or one per customer and date for runs.
    pays.sort_by_key(|p| (p.date, p.customer, p.invoice));
    let mut i = 0;
    let mut r = 0usize;
    while i < pays.len() {
        let mut j = i;
        while pays.get(j).is_some_and(|p| {
            pays.get(i)
                .is_some_and(|q| p.date == q.date && p.customer == q.customer)
        }) {
            j += 1;
        }
        let group = pays.get(i..j).unwrap_or_default();
        let Some(first) = group.first() else { break };
        let total: Decimal = group.iter().map(|p| p.amount).sum();
        let receipt = ReceiptId::new(format!("R{r:08}")).unwrap_or_else(|_| unreachable_id());
        r += 1;
        commands.push((
            Command::RecordReceipt {
                receipt: Receipt {
                    id: receipt.clone(),
                    customer: Some(
                        CustomerId::new(format!("C{:06}", first.customer))
                            .unwrap_or_else(|_| unreachable_id()),
                    ),
                    date: first.date,
                    amount: total,
                    currency: usd,
                    method: PaymentMethod::Ach,
                    reference: None,
                    remittance: String::new(),
                    payer_name: None,
                    payer_account: None,
                },
            },
            t0,
        ));
        for p in group {
            commands.push((
                Command::Apply {
                    id: None,
                    source: Source::Receipt(receipt.clone()),
                    invoice: InvoiceId::new(format!("INV{:08}", p.invoice))
                        .unwrap_or_else(|_| unreachable_id()),
                    installment: None,
                    amount: p.amount,
                    discount: Decimal::ZERO,
                    date: p.date,
                },
                t0,
            ));
        }
        i = j;
    }
    Book {
        commands,
        invoices,
        end,
    }
}

fn unreachable_id<T>() -> T {
    // Generated ids are always valid; a failure here is a bug in this file.
    std::process::abort()
}

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    let i = usize::try_from(rng.below(u64::try_from(items.len()).unwrap_or(1))).unwrap_or(0);
    items.get(i).copied().unwrap_or_default()
}

/// Executes a book's commands; returns the ledger and how many were refused
/// (a credit memo may exceed what a payment left open; that is realistic).
pub fn build(book: &Book) -> (Ledger, usize) {
    build_from(book.commands.clone())
}

/// Executes commands, as [`build`] does; the commands are moved in, as a
/// caller that made or decoded them would, so timing this times the ledger
/// and not a copy of the book.
pub fn build_from(commands: Vec<(Command, DateTime<Utc>)>) -> (Ledger, usize) {
    let mut ledger = Ledger::new();
    let mut refused = 0;
    for (cmd, at) in commands {
        if ledger.execute(cmd, &CommandMeta::at(at)).is_err() {
            refused += 1;
        }
    }
    (ledger, refused)
}

/// An invoice's total and (first) due date, as the ledger computes them.
fn total_and_due(
    invoice: &NewInvoice,
    terms: &PaymentTerms,
    currency: Currency,
) -> Option<(Decimal, NaiveDate)> {
    let totals = compute_totals(
        &invoice.lines,
        currency,
        invoice.tax_mode,
        invoice.tax_rounding,
        invoice.rounding,
    )
    .ok()?;
    let schedule = terms
        .schedule(invoice.date, totals.total, currency, invoice.rounding)
        .ok()?;
    Some((
        totals.total,
        schedule.first().map_or(invoice.date, |s| s.due_date),
    ))
}

/// A generated book's history as the tables of [`Ledger::from_tables`]:
/// customers, invoices with their totals, credit memos, receipts and
/// applications, from the same commands as [`generate`].
pub fn tables(book: &Book) -> import::LedgerTables {
    use ar_core::bulk::StrColumn;
    let mut t = import::LedgerTables::default();
    let mut terms: std::collections::HashMap<&str, (&PaymentTerms, Currency)> =
        std::collections::HashMap::new();
    let mut dims: Vec<&std::collections::BTreeMap<String, String>> = Vec::new();
    let mut memo_against: Vec<String> = Vec::new();
    let mut app_receipt: Vec<String> = Vec::new();
    let mut app_memo: Vec<String> = Vec::new();
    for (cmd, _) in &book.commands {
        match cmd {
            Command::RegisterCustomer { customer: c } => {
                terms.insert(c.id.as_str(), (&c.terms, c.currency));
                t.customers.id.push(c.id.as_str());
                t.customers.name.push(&c.name);
                t.customers.currency.push(c.currency);
                t.customers.terms.push(c.terms.clone());
                dims.push(&c.dimensions);
            }
            Command::IssueInvoice { invoice } => {
                let Some(&(terms, currency)) = terms.get(invoice.customer.as_str()) else {
                    continue;
                };
                let Some((total, due)) = total_and_due(invoice, terms, currency) else {
                    continue;
                };
                let inv = &mut t.invoices;
                inv.id.push(invoice.id.as_str());
                inv.customer.push(invoice.customer.as_str());
                inv.currency.push(currency);
                inv.date.push(invoice.date);
                inv.due_date.push(due);
                inv.amount.push(total);
            }
            Command::IssueCreditMemo {
                id,
                customer,
                date,
                against,
                kind: CreditKind::Amount { amount },
                ..
            } => {
                let Some(&(_, currency)) = terms.get(customer.as_str()) else {
                    continue;
                };
                let m = &mut t.credit_memos;
                m.id.push(id.as_str());
                m.customer.push(customer.as_str());
                m.currency.push(currency);
                m.date.push(*date);
                m.amount.push(*amount);
                memo_against.push(
                    against
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                );
            }
            Command::RecordReceipt { receipt } => {
                let r = &mut t.receipts;
                r.id.push(receipt.id.as_str());
                r.customer
                    .push(receipt.customer.as_ref().map_or("", |c| c.as_str()));
                r.currency.push(receipt.currency);
                r.date.push(receipt.date);
                r.amount.push(receipt.amount);
            }
            Command::Apply {
                source,
                invoice,
                amount,
                discount,
                date,
                ..
            } => {
                let (receipt, memo) = match source {
                    Source::Receipt(r) => (r.to_string(), String::new()),
                    Source::CreditMemo(m) => (String::new(), m.to_string()),
                };
                app_receipt.push(receipt);
                app_memo.push(memo);
                let a = &mut t.applications;
                a.invoice.push(invoice.as_str());
                a.date.push(*date);
                a.amount.push(*amount);
                a.discount.push(*discount);
            }
            _ => {}
        }
    }
    let col = |v: &[String]| v.iter().map(String::as_str).collect::<StrColumn>();
    let keys: std::collections::BTreeSet<&String> = dims.iter().flat_map(|d| d.keys()).collect();
    t.customers.dimensions = keys
        .into_iter()
        .map(|k| {
            let values = dims.iter().map(|d| d.get(k).map_or("", String::as_str));
            (k.clone(), values.collect())
        })
        .collect();
    t.credit_memos.against = col(&memo_against);
    t.applications.receipt = col(&app_receipt);
    t.applications.credit_memo = col(&app_memo);
    t
}

/// A generated book as flat tables, the way a notebook or a billing export
/// holds it: invoice totals, settlements, open credits and unapplied cash.
/// Built from the same commands as [`generate`], without a ledger.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frames {
    /// Invoice ids.
    pub invoice_id: Vec<String>,
    /// Invoice customers.
    pub invoice_customer: Vec<String>,
    /// Invoice dates.
    pub invoice_date: Vec<NaiveDate>,
    /// Due dates.
    pub invoice_due: Vec<NaiveDate>,
    /// Invoice totals.
    pub invoice_amount: Vec<Decimal>,
    /// Invoice regions (the customer's).
    pub invoice_region: Vec<String>,
    /// Settled invoice ids.
    pub settlement_invoice: Vec<String>,
    /// Settlement dates.
    pub settlement_date: Vec<NaiveDate>,
    /// Settlement amounts.
    pub settlement_amount: Vec<Decimal>,
    /// Credit memo ids.
    pub credit_id: Vec<String>,
    /// Credit memo customers.
    pub credit_customer: Vec<String>,
    /// Credit memo dates.
    pub credit_date: Vec<NaiveDate>,
    /// Credit memo amounts (open: the generator never applies them).
    pub credit_amount: Vec<Decimal>,
    /// Currency of everything.
    pub currency: Option<Currency>,
}

impl Frames {
    /// The tables of a generated book.
    pub fn from_book(book: &Book) -> Self {
        let mut f = Frames::default();
        let mut terms: std::collections::HashMap<&str, (&PaymentTerms, String)> =
            std::collections::HashMap::new();
        for (cmd, _) in &book.commands {
            match cmd {
                Command::RegisterCustomer { customer } => {
                    let region = customer
                        .dimensions
                        .get("region")
                        .cloned()
                        .unwrap_or_default();
                    terms.insert(customer.id.as_str(), (&customer.terms, region));
                    f.currency = Some(customer.currency);
                }
                Command::IssueInvoice { invoice } => {
                    let Some(currency) = f.currency else { continue };
                    let Some((t, region)) = terms.get(invoice.customer.as_str()) else {
                        continue;
                    };
                    let Some((total, due)) = total_and_due(invoice, t, currency) else {
                        continue;
                    };
                    f.invoice_id.push(invoice.id.to_string());
                    f.invoice_customer.push(invoice.customer.to_string());
                    f.invoice_date.push(invoice.date);
                    f.invoice_due.push(due);
                    f.invoice_amount.push(total);
                    f.invoice_region.push(region.clone());
                }
                Command::IssueCreditMemo {
                    id,
                    customer,
                    date,
                    kind: CreditKind::Amount { amount },
                    ..
                } => {
                    f.credit_id.push(id.to_string());
                    f.credit_customer.push(customer.to_string());
                    f.credit_date.push(*date);
                    f.credit_amount.push(*amount);
                }
                Command::Apply {
                    invoice,
                    amount,
                    date,
                    ..
                } => {
                    f.settlement_invoice.push(invoice.to_string());
                    f.settlement_date.push(*date);
                    f.settlement_amount.push(*amount);
                }
                _ => {}
            }
        }
        f
    }

    /// The tables as a [`ar_core::bulk::Book`].
    pub fn book(&self) -> ar_core::bulk::Book {
        use ar_core::bulk::{InvoiceColumns, OpenColumns, SettlementColumns, StrColumn};
        let col = |v: &[String]| v.iter().map(String::as_str).collect::<StrColumn>();
        let currency = self.currency.into_iter().cycle();
        ar_core::bulk::Book {
            invoices: InvoiceColumns {
                id: col(&self.invoice_id),
                customer: col(&self.invoice_customer),
                currency: currency.clone().take(self.invoice_id.len()).collect(),
                date: self.invoice_date.clone(),
                due_date: self.invoice_due.clone(),
                amount: self.invoice_amount.clone(),
                dimensions: vec![("region".to_owned(), col(&self.invoice_region))],
            },
            settlements: SettlementColumns {
                invoice: col(&self.settlement_invoice),
                date: self.settlement_date.clone(),
                amount: self.settlement_amount.clone(),
                kind: Vec::new(),
            },
            open_credits: OpenColumns {
                id: col(&self.credit_id),
                customer: col(&self.credit_customer),
                currency: currency.take(self.credit_id.len()).collect(),
                date: self.credit_date.clone(),
                amount: self.credit_amount.clone(),
            },
            unapplied_cash: OpenColumns::default(),
            customers: ar_core::bulk::CustomerColumns::default(),
        }
    }

    /// Writes the tables as CSV files (`invoices.csv`, `settlements.csv`,
    /// `credits.csv`) into `dir`, for the Python and Node benchmarks.
    ///
    /// # Errors
    /// I/O errors.
    pub fn write_csv(&self, dir: &std::path::Path) -> std::io::Result<()> {
        use std::fmt::Write as _;
        std::fs::create_dir_all(dir)?;
        let mut s = String::from("id,customer,date,due_date,amount,region\n");
        for i in 0..self.invoice_id.len() {
            let _ = writeln!(
                s,
                "{},{},{},{},{},{}",
                self.invoice_id.get(i).map_or("", String::as_str),
                self.invoice_customer.get(i).map_or("", String::as_str),
                self.invoice_date.get(i).copied().unwrap_or_default(),
                self.invoice_due.get(i).copied().unwrap_or_default(),
                self.invoice_amount.get(i).copied().unwrap_or_default(),
                self.invoice_region.get(i).map_or("", String::as_str),
            );
        }
        std::fs::write(dir.join("invoices.csv"), s)?;
        let mut s = String::from("invoice,date,amount\n");
        for i in 0..self.settlement_invoice.len() {
            let _ = writeln!(
                s,
                "{},{},{}",
                self.settlement_invoice.get(i).map_or("", String::as_str),
                self.settlement_date.get(i).copied().unwrap_or_default(),
                self.settlement_amount.get(i).copied().unwrap_or_default(),
            );
        }
        std::fs::write(dir.join("settlements.csv"), s)?;
        let mut s = String::from("id,customer,date,amount\n");
        for i in 0..self.credit_id.len() {
            let _ = writeln!(
                s,
                "{},{},{},{}",
                self.credit_id.get(i).map_or("", String::as_str),
                self.credit_customer.get(i).map_or("", String::as_str),
                self.credit_date.get(i).copied().unwrap_or_default(),
                self.credit_amount.get(i).copied().unwrap_or_default(),
            );
        }
        std::fs::write(dir.join("credits.csv"), s)
    }
}

/// `a / b` to a tenth, in integers (`"4.8x"`).
pub fn ratio(a: std::time::Duration, b: std::time::Duration) -> String {
    let tenths = a.as_micros() * 10 / b.as_micros().max(1);
    format!("{}.{}x", tenths / 10, tenths % 10)
}
