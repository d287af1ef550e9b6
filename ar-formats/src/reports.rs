//! The ledger's reports as [`Table`]s, ready for text, CSV and .xlsx.

use ar_core::chrono::NaiveDate;
use ar_core::collections::DunningRun;
use ar_core::matching::MatchBatch;
use ar_core::rust_decimal::Decimal;
use ar_core::{AgeBasis, AgingReport, Balance, CustomerId, MetricsRow, OpenItem, Statement};

use crate::reconcile::Reconciliation;
use crate::table::{Cell, Column, ColumnKind, Table, WriteError};

const AMOUNT_WIDTH: usize = 12;

fn customer(c: Option<&CustomerId>) -> Cell {
    Cell::text(c.map_or("(unknown)", CustomerId::as_str))
}

fn as_of_title(what: &str, as_of: Option<NaiveDate>) -> String {
    match as_of {
        Some(d) => format!("{what} as of {d}"),
        None => what.to_owned(),
    }
}

/// Open items: kind, id, customer, currency, due date and what is open;
/// with `totals`, a `Net` row per currency: open invoices less open
/// credits and unapplied cash (each item itself is shown as a positive
/// amount).
///
/// # Errors
/// A [`WriteError`] when a total overflows.
///
/// # Example
/// ```
/// let t = ar_formats::reports::open_items(&[], None, true).unwrap();
/// assert_eq!(t.to_csv().unwrap(), b"kind,id,customer,cur,due,open\n");
/// ```
pub fn open_items(
    items: &[OpenItem],
    as_of: Option<NaiveDate>,
    totals: bool,
) -> Result<Table, WriteError> {
    let mut t = Table::new(
        "open_items",
        as_of_title("Open items", as_of),
        vec![
            Column::new("kind", ColumnKind::Text).min_width(15),
            Column::new("id", ColumnKind::Text).min_width(10),
            Column::new("customer", ColumnKind::Text).min_width(10),
            Column::new("cur", ColumnKind::Text).min_width(3),
            Column::new("due", ColumnKind::Date).min_width(10),
            Column::new("open", ColumnKind::Amount).min_width(AMOUNT_WIDTH),
        ],
    );
    for i in items {
        let id = match i.installment {
            Some(n) => format!("{}/{n}", i.id),
            None => i.id.clone(),
        };
        t.rows.push(vec![
            Cell::text(i.kind.name()),
            Cell::text(id),
            customer(i.customer.as_ref()),
            Cell::text(i.currency.code()),
            Cell::date_opt(i.due_date),
            Cell::amount(i.open, i.currency),
        ]);
    }
    if totals {
        let mut net: Vec<(ar_core::Currency, Decimal)> = Vec::new();
        for i in items {
            let signed = if i.kind == ar_core::OpenItemKind::Invoice {
                i.open
            } else {
                Decimal::ZERO.checked_sub(i.open).unwrap_or_default()
            };
            let at = match net.iter().position(|(c, _)| *c == i.currency) {
                Some(at) => at,
                None => {
                    net.push((i.currency, Decimal::ZERO));
                    net.len().saturating_sub(1)
                }
            };
            if let Some((_, sum)) = net.get_mut(at) {
                *sum = sum.checked_add(signed).ok_or_else(|| WriteError {
                    table: "open_items".into(),
                    message: "a total overflows".into(),
                })?;
            }
        }
        net.sort_by_key(|(c, _)| c.code());
        for (c, sum) in net {
            t.totals.push(vec![
                Cell::text("Net"),
                Cell::Empty,
                Cell::Empty,
                Cell::text(c.code()),
                Cell::Empty,
                Cell::amount(sum, c),
            ]);
        }
    }
    Ok(t)
}

/// Customer balances: open invoices, unapplied cash, open credits and net
/// per customer and currency; with `totals`, a total row per currency.
///
/// # Errors
/// A [`WriteError`] when a total overflows.
///
/// # Example
/// ```
/// let t = ar_formats::reports::balances(&[], None, true).unwrap();
/// assert_eq!(t.columns.len(), 6);
/// ```
pub fn balances(
    balances: &[Balance],
    as_of: Option<NaiveDate>,
    totals: bool,
) -> Result<Table, WriteError> {
    let mut t = Table::new(
        "balances",
        as_of_title("Customer balances", as_of),
        vec![
            Column::new("customer", ColumnKind::Text).min_width(10),
            Column::new("cur", ColumnKind::Text).min_width(3),
            Column::new("invoices", ColumnKind::Amount).min_width(AMOUNT_WIDTH),
            Column::new("cash", ColumnKind::Amount).min_width(AMOUNT_WIDTH),
            Column::new("credits", ColumnKind::Amount).min_width(AMOUNT_WIDTH),
            Column::new("net", ColumnKind::Amount).min_width(AMOUNT_WIDTH),
        ],
    );
    for b in balances {
        let c = b.currency;
        t.rows.push(vec![
            customer(b.customer.as_ref()),
            Cell::text(c.code()),
            Cell::amount(b.invoices, c),
            Cell::amount(b.unapplied_cash, c),
            Cell::amount(b.open_credits, c),
            Cell::amount(b.net, c),
        ]);
    }
    if totals {
        t.add_currency_totals()?;
    }
    Ok(t)
}

/// An aging: a row per group and currency (the group keys, then the
/// buckets, the total, open credits, unapplied cash, net and the number
/// of items), and the report's own totals per currency.
///
/// # Example
/// ```
/// use ar_core::{chrono::NaiveDate, AgingOptions, Ledger};
/// let report = Ledger::new().aging(&AgingOptions::new(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap())).unwrap();
/// let t = ar_formats::reports::aging(&report);
/// assert_eq!(t.title, "Aging as of 2026-03-31 (days past due)");
/// ```
pub fn aging(report: &AgingReport) -> Table {
    let basis = match report.basis {
        AgeBasis::DueDate => "days past due",
        AgeBasis::InvoiceDate => "days since invoice",
    };
    let mut columns: Vec<Column> = report
        .group_by
        .iter()
        .map(|g| Column::new(g.clone(), ColumnKind::Text).min_width(10))
        .collect();
    if columns.is_empty() {
        columns.push(Column::new("book", ColumnKind::Text));
    }
    columns.push(Column::new("cur", ColumnKind::Text));
    for l in &report.labels {
        columns.push(Column::new(l.clone(), ColumnKind::Amount).min_width(10));
    }
    for name in ["total", "credits", "cash", "net"] {
        columns.push(Column::new(name, ColumnKind::Amount).min_width(AMOUNT_WIDTH));
    }
    columns.push(Column::new("items", ColumnKind::Integer));
    let mut t = Table::new(
        "aging",
        format!("Aging as of {} ({basis})", report.as_of),
        columns,
    );
    let keys = report.group_by.len().max(1);
    let row = |r: &ar_core::AgingRow, total: bool| {
        let c = r.currency;
        let mut cells: Vec<Cell> = if total {
            let mut v = vec![Cell::text("Total")];
            v.resize(keys, Cell::Empty);
            v
        } else if r.group.is_empty() {
            vec![Cell::text("all")]
        } else {
            r.group.iter().map(|g| Cell::text(g.clone())).collect()
        };
        cells.push(Cell::text(c.code()));
        cells.extend(r.buckets.iter().map(|b| Cell::amount(*b, c)));
        cells.extend(
            [r.total, r.open_credits, r.unapplied_cash, r.net]
                .into_iter()
                .map(|a| Cell::amount(a, c)),
        );
        cells.push(Cell::Integer(i64::try_from(r.items).unwrap_or(i64::MAX)));
        cells
    };
    t.rows = report.rows.iter().map(|r| row(r, false)).collect();
    // Ungrouped, the rows are the totals already.
    if !report.group_by.is_empty() {
        t.totals = report.totals.iter().map(|r| row(r, true)).collect();
    }
    t
}

/// The open items behind an aging (its `detail`), one per row.
///
/// # Example
/// ```
/// use ar_core::{chrono::NaiveDate, AgingOptions, Ledger};
/// let report = Ledger::new().aging(&AgingOptions::new(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap())).unwrap();
/// assert!(ar_formats::reports::aging_detail(&report).rows.is_empty());
/// ```
pub fn aging_detail(report: &AgingReport) -> Table {
    let mut columns: Vec<Column> = report
        .group_by
        .iter()
        .map(|g| Column::new(g.clone(), ColumnKind::Text))
        .collect();
    columns.extend([
        Column::new("kind", ColumnKind::Text),
        Column::new("id", ColumnKind::Text),
        Column::new("cur", ColumnKind::Text),
        Column::new("date", ColumnKind::Date),
        Column::new("due", ColumnKind::Date),
        Column::new("days", ColumnKind::Integer),
        Column::new("bucket", ColumnKind::Text),
        Column::new("open", ColumnKind::Amount).min_width(AMOUNT_WIDTH),
    ]);
    let mut t = Table::new(
        "aging_detail",
        format!("Aged items as of {}", report.as_of),
        columns,
    );
    for l in &report.detail {
        let mut cells: Vec<Cell> = l.group.iter().map(|g| Cell::text(g.clone())).collect();
        let id = match l.installment {
            Some(n) => format!("{}/{n}", l.id),
            None => l.id.clone(),
        };
        cells.extend([
            Cell::text(l.kind.name()),
            Cell::text(id),
            Cell::text(l.currency.code()),
            Cell::Date(l.date),
            Cell::date_opt(l.due_date),
            Cell::Integer(l.days),
            l.bucket
                .and_then(|b| report.labels.get(b))
                .map_or(Cell::Empty, |s| Cell::text(s.clone())),
            Cell::amount(l.open, l.currency),
        ]);
        t.rows.push(cells);
    }
    t
}

/// Metrics, a row per group and currency: AR at both ends of the period,
/// credit sales, the three DSOs, best possible DSO, average days
/// delinquent, CEI, turnover, percent current and past due, and payment
/// timing. A metric with no value (a zero denominator) is empty.
///
/// # Example
/// ```
/// assert_eq!(ar_formats::reports::metrics(&[]).title, "Metrics");
/// ```
pub fn metrics(rows: &[MetricsRow]) -> Table {
    let n1 = ColumnKind::Number { decimals: 1 };
    let n2 = ColumnKind::Number { decimals: 2 };
    let title = match rows.first() {
        Some(r) => format!("Metrics {} to {}", r.period.start, r.period.end),
        None => "Metrics".to_owned(),
    };
    let mut t = Table::new(
        "metrics",
        title,
        vec![
            Column::new("group", ColumnKind::Text).min_width(10),
            Column::new("cur", ColumnKind::Text),
            Column::new("days", ColumnKind::Integer),
            Column::new("ar_begin", ColumnKind::Amount),
            Column::new("ar_end", ColumnKind::Amount),
            Column::new("credit_sales", ColumnKind::Amount),
            Column::new("dso", n1),
            Column::new("dso_avg", n1),
            Column::new("dso_countback", n1),
            Column::new("best_dso", n1),
            Column::new("add", n1),
            Column::new("cei_pct", n1),
            Column::new("turnover", n2),
            Column::new("current_pct", n1),
            Column::new("past_due_pct", n1),
            Column::new("payments", ColumnKind::Integer),
            Column::new("days_to_pay", n1),
            Column::new("days_to_pay_w", n1),
            Column::new("days_late", n1),
            Column::new("days_late_w", n1),
        ],
    );
    for r in rows {
        let c = r.currency;
        let group = if r.group.is_empty() {
            "all".to_owned()
        } else {
            r.group.join(" / ")
        };
        t.rows.push(vec![
            Cell::text(group),
            Cell::text(c.code()),
            Cell::Integer(i64::from(r.days)),
            Cell::amount(r.ar_begin, c),
            Cell::amount(r.ar_end, c),
            Cell::amount(r.credit_sales, c),
            Cell::number_opt(r.dso_period_end),
            Cell::number_opt(r.dso_average),
            Cell::number_opt(r.dso_countback),
            Cell::number_opt(r.best_possible_dso),
            Cell::number_opt(r.average_days_delinquent),
            Cell::number_opt(r.cei),
            Cell::number_opt(r.ar_turnover),
            Cell::number_opt(r.percent_current),
            Cell::number_opt(r.percent_past_due),
            Cell::Integer(i64::try_from(r.timing.payments).unwrap_or(i64::MAX)),
            Cell::number_opt(r.timing.average_days_to_pay),
            Cell::number_opt(r.timing.weighted_days_to_pay),
            Cell::number_opt(r.timing.average_days_beyond_terms),
            Cell::number_opt(r.timing.weighted_days_beyond_terms),
        ]);
    }
    t
}

/// Match results, a row per receipt: its status, and for the best
/// proposal the confidence, the payer, the invoices and credits it
/// settles, what it applies, discounts, writes off and leaves unapplied,
/// and its reasons.
///
/// # Errors
/// A [`WriteError`] when a sum overflows.
///
/// # Example
/// ```
/// use ar_core::matching::{match_receipts, MatchOptions};
/// let batch = match_receipts(&[], vec![], &[], &MatchOptions::default()).unwrap();
/// assert!(ar_formats::reports::matches(&batch).unwrap().rows.is_empty());
/// ```
pub fn matches(batch: &MatchBatch) -> Result<Table, WriteError> {
    let mut t = Table::new(
        "matches",
        "Cash application proposals",
        vec![
            Column::new("receipt", ColumnKind::Text).min_width(10),
            Column::new("date", ColumnKind::Date),
            Column::new("cur", ColumnKind::Text),
            Column::new("amount", ColumnKind::Amount).min_width(AMOUNT_WIDTH),
            Column::new("status", ColumnKind::Text).min_width(9),
            Column::new("conf", ColumnKind::Integer),
            Column::new("customer", ColumnKind::Text).min_width(10),
            Column::new("settles", ColumnKind::Text).min_width(10),
            Column::new("applied", ColumnKind::Amount),
            Column::new("discount", ColumnKind::Amount),
            Column::new("write_off", ColumnKind::Amount),
            Column::new("unapplied", ColumnKind::Amount),
            Column::new("why", ColumnKind::Text),
        ],
    );
    let overflow = || WriteError {
        table: "matches".into(),
        message: "a sum overflows".into(),
    };
    for m in &batch.matches {
        let c = m.currency;
        let mut row = vec![
            Cell::text(m.receipt.clone()),
            Cell::Date(m.date),
            Cell::text(c.code()),
            Cell::amount(m.amount, c),
            Cell::text(m.status.name()),
        ];
        match m.proposals.first() {
            Some(p) => {
                let mut sums = [Decimal::ZERO; 3];
                let mut settles: Vec<String> = Vec::new();
                for a in &p.applications {
                    for (s, v) in sums.iter_mut().zip([a.amount, a.discount, a.write_off]) {
                        *s = s.checked_add(v).ok_or_else(overflow)?;
                    }
                    let part = if a.source == m.receipt {
                        a.invoice.clone()
                    } else {
                        format!("{} (with {})", a.invoice, a.source)
                    };
                    if !settles.contains(&part) {
                        settles.push(part);
                    }
                }
                let [applied, discount, write_off] = sums;
                row.extend([
                    Cell::Integer(i64::from(p.confidence)),
                    Cell::text(p.customer.as_str()),
                    Cell::text(settles.join(", ")),
                    Cell::amount(applied, c),
                    Cell::amount(discount, c),
                    Cell::amount(write_off, c),
                    Cell::amount(p.unapplied, c),
                    Cell::text(
                        p.reasons
                            .iter()
                            .map(|r| r.message.as_str())
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                ]);
            }
            None => {
                row.extend([
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                ]);
                row.push(Cell::amount(m.amount, c));
                row.push(Cell::text(
                    m.notes
                        .iter()
                        .map(|r| r.message.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                ));
            }
        }
        t.rows.push(row);
    }
    Ok(t)
}

/// A bank reconciliation as one table: matched pairs, then credits only
/// in the bank, then receipts only in the books, with a total row per
/// currency of the bank and book amounts.
///
/// # Errors
/// A [`WriteError`] when a total overflows.
///
/// # Example
/// ```
/// use ar_formats::reconcile::{reconcile, ReconcileOptions};
/// let r = reconcile(&[], &[], &ReconcileOptions::default());
/// assert_eq!(ar_formats::reports::reconciliation(&r).unwrap().title, "Bank reconciliation");
/// ```
pub fn reconciliation(r: &Reconciliation) -> Result<Table, WriteError> {
    let title = match r.period {
        Some((a, b)) => format!("Bank reconciliation {a} to {b}"),
        None => "Bank reconciliation".to_owned(),
    };
    let mut t = Table::new(
        "reconciliation",
        title,
        vec![
            Column::new("status", ColumnKind::Text).min_width(11),
            Column::new("cur", ColumnKind::Text),
            Column::new("bank_date", ColumnKind::Date),
            Column::new("bank_amount", ColumnKind::Amount).min_width(AMOUNT_WIDTH),
            Column::new("bank_ref", ColumnKind::Text).min_width(10),
            Column::new("payer", ColumnKind::Text),
            Column::new("receipt", ColumnKind::Text).min_width(8),
            Column::new("book_date", ColumnKind::Date),
            Column::new("book_amount", ColumnKind::Amount).min_width(AMOUNT_WIDTH),
            Column::new("book_ref", ColumnKind::Text),
            Column::new("basis", ColumnKind::Text),
        ],
    );
    let text = |s: &Option<String>| s.as_ref().map_or(Cell::Empty, |s| Cell::text(s.clone()));
    for p in &r.matched {
        let c = p.bank.currency;
        t.rows.push(vec![
            Cell::text(if p.ambiguous { "check" } else { "matched" }),
            Cell::text(c.code()),
            Cell::Date(p.bank.date),
            Cell::amount(p.bank.amount, c),
            text(&p.bank.bank_reference),
            text(&p.bank.payer_name),
            Cell::text(p.receipt.id.clone()),
            Cell::Date(p.receipt.date),
            Cell::amount(p.receipt.amount, c),
            text(&p.receipt.reference),
            Cell::text(p.basis.name()),
        ]);
    }
    for b in &r.bank_only {
        let c = b.currency;
        t.rows.push(vec![
            Cell::text("bank_only"),
            Cell::text(c.code()),
            Cell::Date(b.date),
            Cell::amount(b.amount, c),
            text(&b.bank_reference),
            text(&b.payer_name),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ]);
    }
    for x in &r.ledger_only {
        let c = x.currency;
        t.rows.push(vec![
            Cell::text("books_only"),
            Cell::text(c.code()),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::text(x.id.clone()),
            Cell::Date(x.date),
            Cell::amount(x.amount, c),
            text(&x.reference),
            Cell::Empty,
        ]);
    }
    t.add_currency_totals()?;
    Ok(t)
}

/// A journal (from [`ar_core::Ledger::journal`]), a row per line: the
/// entry's sequence, date, event and subject, the line's account, role and
/// document, and its debit or credit in the document's currency; a total
/// row per currency (debits equal credits).
///
/// # Errors
/// A [`WriteError`] when a total overflows.
///
/// # Example
/// ```
/// let journal = ar_core::accounting::Journal::default();
/// let t = ar_formats::reports::journal(&journal).unwrap();
/// assert_eq!(t.to_csv().unwrap(), b"seq,date,event,subject,account,role,document,cur,debit,credit\n");
/// ```
pub fn journal(journal: &ar_core::accounting::Journal) -> Result<Table, WriteError> {
    let mut t = Table::new(
        "journal",
        "Journal",
        vec![
            Column::new("seq", ColumnKind::Integer),
            Column::new("date", ColumnKind::Date),
            Column::new("event", ColumnKind::Text),
            Column::new("subject", ColumnKind::Text),
            Column::new("account", ColumnKind::Text),
            Column::new("role", ColumnKind::Text),
            Column::new("document", ColumnKind::Text),
            Column::new("cur", ColumnKind::Text),
            Column::new("debit", ColumnKind::Amount).min_width(AMOUNT_WIDTH),
            Column::new("credit", ColumnKind::Amount).min_width(AMOUNT_WIDTH),
        ],
    );
    for e in &journal.entries {
        for l in &e.lines {
            let c = l.currency;
            t.rows.push(vec![
                Cell::Integer(i64::try_from(e.seq).unwrap_or(i64::MAX)),
                Cell::Date(e.effective),
                Cell::text(e.event.as_ref()),
                Cell::text(&*e.subject),
                Cell::text(&*l.account),
                Cell::text(l.role.name()),
                Cell::text(&*l.document),
                Cell::text(c.code()),
                Cell::amount(l.debit(), c),
                Cell::amount(l.credit(), c),
            ]);
        }
    }
    t.add_currency_totals()?;
    Ok(t)
}

/// Statements of account as one table: per customer and currency, the
/// balance brought forward, each movement (debit or credit, running
/// balance) and the closing balance, as the rendered statements show them.
///
/// # Example
/// ```
/// let t = ar_formats::reports::statements(&[]);
/// assert_eq!(t.to_csv().unwrap(), b"customer,cur,date,document,description,debit,credit,balance\n");
/// ```
pub fn statements(statements: &[Statement]) -> Table {
    let title = match statements.first() {
        Some(s) => format!("Statements of account from {} to {}", s.from, s.to),
        None => "Statements of account".to_owned(),
    };
    let mut t = Table::new(
        "statements",
        title,
        vec![
            Column::new("customer", ColumnKind::Text).min_width(10),
            Column::new("cur", ColumnKind::Text).min_width(3),
            Column::new("date", ColumnKind::Date),
            Column::new("document", ColumnKind::Text).min_width(10),
            Column::new("description", ColumnKind::Text).min_width(24),
            Column::new("debit", ColumnKind::Amount).min_width(AMOUNT_WIDTH),
            Column::new("credit", ColumnKind::Amount).min_width(AMOUNT_WIDTH),
            Column::new("balance", ColumnKind::Amount).min_width(AMOUNT_WIDTH),
        ],
    );
    let money = |d: Decimal, c| {
        if d.is_zero() {
            Cell::Empty
        } else {
            Cell::amount(d, c)
        }
    };
    for s in statements {
        for sec in &s.sections {
            let c = sec.currency;
            let line = |date, document: &str, what: String, debit, credit, balance| {
                vec![
                    Cell::text(s.customer.as_str()),
                    Cell::text(c.code()),
                    Cell::Date(date),
                    Cell::text(document),
                    Cell::text(what),
                    debit,
                    credit,
                    Cell::amount(balance, c),
                ]
            };
            t.rows.push(line(
                s.from,
                "",
                "Opening balance".into(),
                Cell::Empty,
                Cell::Empty,
                sec.opening,
            ));
            for e in &sec.entries {
                let mut what = e.kind.name().replace('_', " ");
                if let Some(r) = e.reference.as_ref().filter(|r| **r != e.document) {
                    what.push_str(" on ");
                    what.push_str(r);
                }
                t.rows.push(line(
                    e.date,
                    &e.document,
                    what,
                    money(e.debit(), c),
                    money(e.credit(), c),
                    e.balance,
                ));
            }
            t.rows.push(line(
                s.to,
                "",
                "Closing balance".into(),
                Cell::Empty,
                Cell::Empty,
                sec.closing,
            ));
        }
    }
    t
}

/// A dunning run's notices: customer, currency, level and action, the
/// overdue items' count and amount, fee, interest, compensation and total,
/// and whether the customer is on credit hold.
///
/// # Example
/// ```
/// use ar_core::chrono::NaiveDate;
/// use ar_core::collections::{DunningLevel, DunningPolicy, DunningSetup};
/// use ar_core::DunningAction;
/// let level = DunningLevel { days: 7, min_overdue: vec![], action: DunningAction::Email,
///     template: "first".into(), fee: vec![], interest: false };
/// let policy = DunningPolicy {
///     id: "std".into(), levels: vec![level], min_days_between: 7, interest: None,
///     clearing: Default::default(),
/// };
/// let as_of = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
/// let run = ar_core::Ledger::new().dunning_run(&DunningSetup::single(policy), as_of, None).unwrap();
/// let t = ar_formats::reports::dunning(&run);
/// assert_eq!(t.title, "Dunning notices as of 2026-03-31");
/// ```
pub fn dunning(run: &DunningRun) -> Table {
    let mut t = Table::new(
        "dunning",
        format!("Dunning notices as of {}", run.as_of),
        vec![
            Column::new("customer", ColumnKind::Text).min_width(10),
            Column::new("cur", ColumnKind::Text).min_width(3),
            Column::new("level", ColumnKind::Integer),
            Column::new("action", ColumnKind::Text),
            Column::new("items", ColumnKind::Integer),
            Column::new("overdue", ColumnKind::Amount).min_width(AMOUNT_WIDTH),
            Column::new("fee", ColumnKind::Amount).min_width(AMOUNT_WIDTH),
            Column::new("interest", ColumnKind::Amount).min_width(AMOUNT_WIDTH),
            Column::new("compensation", ColumnKind::Amount).min_width(AMOUNT_WIDTH),
            Column::new("total", ColumnKind::Amount).min_width(AMOUNT_WIDTH),
            Column::new("credit hold", ColumnKind::Text),
        ],
    );
    for n in &run.notices {
        let c = n.currency;
        t.rows.push(vec![
            Cell::text(n.customer.as_str()),
            Cell::text(c.code()),
            Cell::Integer(i64::from(n.level)),
            Cell::text(n.action.name()),
            Cell::Integer(i64::try_from(n.items.len()).unwrap_or(i64::MAX)),
            Cell::amount(n.overdue, c),
            Cell::amount(n.fee, c),
            Cell::amount(n.interest_total, c),
            Cell::amount(n.compensation_total, c),
            Cell::amount(n.total, c),
            Cell::text(if n.credit_hold { "yes" } else { "" }),
        ]);
    }
    t
}
