//! `ar`: the accounts-receivable engine from the command line.
//!
//! Every command reads a BOOK: a directory of CSV tables in the layout of
//! `ar_formats::book` (`customers.csv`, `invoices.csv`, and when there are
//! any `credit_memos.csv`, `receipts.csv`, `applications.csv`), or a ledger
//! log file written by `ar import` or `ar match --apply` (JSON, as
//! `Ledger::to_json` writes it).
//!
//! ```text
//! ar aging examples/data/sample --as-of 2026-11-23
//! ar import --profile xero-invoices --file xero.csv --bank march.sta -o book.json
//! ar match book.json --apply -o matched.json
//! ar export book.json --format xlsx -o reports.xlsx
//! ```
//!
//! Exit codes, by error family:
//!
//! | code | family |
//! |---|---|
//! | 0 | success |
//! | 1 | internal: a defect in ar |
//! | 2 | usage: unknown command or option, bad argument |
//! | 3 | I/O: a file that cannot be read or written, or is too large |
//! | 4 | format: a file that cannot be parsed (a CSV row, a bank file) |
//! | 5 | validation: a value the ledger refuses (a currency, an amount) |
//! | 6 | not found: a row names a customer, invoice or receipt not in the book |
//! | 7 | conflict: a duplicate id |
//! | 8 | state: the book's state does not allow it (an over-application) |
//! | 9 | log: a ledger log that cannot be read back |

use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use ar_core::accounting::JournalOptions;
use ar_core::chrono::{DateTime, NaiveDate, Utc};
use ar_core::matching::{MatchOptions, MatchStatus};
use ar_core::{
    AgeBasis, AgingOptions, CommandMeta, CustomerId, GroupBy, Ledger, MetricsOptions, Period,
    ReceiptId, View,
};
use ar_formats::book::{BookFile, BookFiles, BookTables};
use ar_formats::reconcile::{ledger_receipts, reconcile, BankEntry, ReconcileOptions};
use ar_formats::systems::{self, ExportOptions, Layout, Profile};
use ar_formats::table::Table;
use ar_formats::{reports, Family, RowError};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Largest file `ar` reads: far above any book or bank file, low enough that
/// a wrong path (a disk image) fails at once.
const MAX_FILE_BYTES: u64 = 1 << 30;

#[derive(Parser)]
#[command(
    name = "ar",
    version,
    about = "Accounts receivable from the command line: import books, accounting-system exports and bank files; match receipts; reconcile the bank; print and export aging, metrics, open items and the journal.",
    after_help = "BOOK is a directory of CSV tables (customers.csv, invoices.csv, credit_memos.csv, receipts.csv, applications.csv) or a ledger log file (.json).\n\nExit codes: 0 success, 1 internal, 2 usage, 3 I/O, 4 format, 5 validation, 6 not found, 7 conflict, 8 state, 9 log."
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Build a ledger from CSV tables, accounting-system exports and bank
    /// files, and write it as a ledger log.
    Import(ImportArgs),
    /// Propose how each receipt with unapplied cash settles open items;
    /// with --apply, carry out the automatic proposals.
    Match(MatchArgs),
    /// Aging of the open items, by bucket and currency.
    Aging(AgingArgs),
    /// DSO, CEI, turnover and payment timing over a period.
    Metrics(MetricsArgs),
    /// Open invoices, credit memos and unapplied cash.
    OpenItems(AsOfArgs),
    /// Balances per customer and currency.
    Balances(AsOfArgs),
    /// The journal: the double-entry lines of every event.
    Journal(AsOfArgs),
    /// Bank statement credits against the receipts in the book: matched,
    /// only in the bank, only in the book.
    ReconcileBank(ReconcileArgs),
    /// Write reports to a CSV or .xlsx file, or the invoices and payments
    /// in the QuickBooks or Xero layout.
    Export(ExportArgs),
    /// Statements of account for a period: as text, HTML that prints on A4
    /// and Letter (a page per customer), or CSV.
    Statements(StatementsArgs),
    /// The notices a dunning policy calls for as of a date.
    Dunning(DunningArgs),
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum StatementFormat {
    /// Columns of text, a page per customer.
    Text,
    /// HTML with a print stylesheet.
    Html,
    /// One CSV table of every movement.
    Csv,
}

#[derive(Args)]
struct StatementsArgs {
    #[command(flatten)]
    book: Book,
    /// First day of the period.
    #[arg(long)]
    from: NaiveDate,
    /// Last day of the period.
    #[arg(long)]
    to: NaiveDate,
    /// Only this customer's statement (repeat for several); by default
    /// every customer with anything to show.
    #[arg(long = "customer")]
    customers: Vec<String>,
    /// text, html or csv.
    #[arg(long, value_enum, default_value = "text")]
    format: StatementFormat,
    /// The company named in the header.
    #[arg(long, default_value = "")]
    company: String,
    /// An address line of the company (repeat).
    #[arg(long = "address")]
    address: Vec<String>,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    out: Option<PathBuf>,
}

#[derive(Args)]
struct DunningArgs {
    #[command(flatten)]
    book: Book,
    /// The dunning setup as JSON: `{"policies": [...], "default_policy":
    /// "...", "templates": {...}}` (see ar_core::collections).
    #[arg(long)]
    setup: PathBuf,
    /// Date of the run (YYYY-MM-DD); today when not given.
    #[arg(long)]
    as_of: Option<NaiveDate>,
    /// Write CSV to standard output instead of an aligned table.
    #[arg(long)]
    csv: bool,
}

#[derive(Args)]
struct Book {
    /// Directory of CSV tables, or a ledger log file (.json).
    book: PathBuf,
}

#[derive(Args)]
struct AsOfArgs {
    #[command(flatten)]
    book: Book,
    /// Report date (YYYY-MM-DD); today when not given.
    #[arg(long)]
    as_of: Option<NaiveDate>,
    /// Write CSV to standard output instead of an aligned table.
    #[arg(long)]
    csv: bool,
}

#[derive(Args)]
struct ImportArgs {
    /// A directory of CSV tables to start from.
    #[arg(long)]
    book: Option<PathBuf>,
    /// Accounting-system profile for --file: qbo-invoices, qbo-payments,
    /// xero-invoices, xero-invoices-us, xero-payments, sap-open-items,
    /// sap-fbl5n, netsuite; or a JSON file holding a profile.
    #[arg(long)]
    profile: Option<String>,
    /// A file in the profile's layout (repeat for several).
    #[arg(long = "file")]
    files: Vec<PathBuf>,
    /// Currency for rows without one (QuickBooks exports name none).
    #[arg(long)]
    currency: Option<String>,
    /// Take open amounts and leave settled documents out.
    #[arg(long)]
    open_items: bool,
    /// A bank file (camt.052/053/054, BAI2, MT940, NACHA, X12 820); its
    /// credits are recorded as receipts with the payer to be found by
    /// `ar match`.
    #[arg(long = "bank")]
    banks: Vec<PathBuf>,
    /// Where to write the ledger log.
    #[arg(short, long)]
    out: PathBuf,
}

#[derive(Args)]
struct MatchArgs {
    #[command(flatten)]
    book: Book,
    /// Carry out the automatic proposals (and write the ledger to --out).
    #[arg(long, requires = "out")]
    apply: bool,
    /// Where to write the ledger log after --apply.
    #[arg(short, long)]
    out: Option<PathBuf>,
    /// Confidence (1 to 100) from which a lone proposal is applied.
    #[arg(long)]
    auto_threshold: Option<u8>,
    /// Write CSV to standard output instead of an aligned table.
    #[arg(long)]
    csv: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Basis {
    /// Days past the due date.
    Due,
    /// Days since the invoice date.
    Invoice,
}

#[derive(Args)]
struct AgingArgs {
    #[command(flatten)]
    at: AsOfArgs,
    /// Age by due date or by invoice date.
    #[arg(long, value_enum, default_value = "due")]
    basis: Basis,
    /// Group rows by `customer`, `customer.<dimension>` or
    /// `invoice.<dimension>` (repeat to nest).
    #[arg(long)]
    group_by: Vec<String>,
    /// Also list every open item with its bucket.
    #[arg(long)]
    detail: bool,
}

#[derive(Args)]
struct MetricsArgs {
    #[command(flatten)]
    book: Book,
    /// First day of the period.
    #[arg(long)]
    from: NaiveDate,
    /// Last day of the period.
    #[arg(long)]
    to: NaiveDate,
    /// Group rows by `customer` or `customer.<dimension>`.
    #[arg(long)]
    group_by: Vec<String>,
    /// Write CSV to standard output instead of an aligned table.
    #[arg(long)]
    csv: bool,
}

#[derive(Args)]
struct ReconcileArgs {
    #[command(flatten)]
    book: Book,
    /// The bank statement (camt.052/053/054, BAI2, MT940, NACHA, X12 820).
    #[arg(long)]
    bank: PathBuf,
    /// Days a receipt may be dated before the bank's booking date.
    #[arg(long, default_value_t = 5)]
    days_before: u32,
    /// Days a receipt may be dated after the bank's booking date.
    #[arg(long, default_value_t = 5)]
    days_after: u32,
    /// First day of the period whose receipts must be in the bank.
    #[arg(long)]
    from: Option<NaiveDate>,
    /// Last day of that period.
    #[arg(long)]
    to: Option<NaiveDate>,
    /// Write CSV to standard output instead of an aligned table.
    #[arg(long)]
    csv: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One report as CSV.
    Csv,
    /// Reports as worksheets of one workbook.
    Xlsx,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Report {
    /// Aging by currency.
    Aging,
    /// Open items.
    OpenItems,
    /// Customer balances.
    Balances,
    /// The journal.
    Journal,
    /// Match proposals for unapplied cash.
    Matches,
    /// The invoices, in the --layout of an accounting system (CSV).
    Invoices,
    /// The payments, in the --layout of an accounting system (CSV).
    Payments,
}

#[derive(Clone, Copy, ValueEnum)]
enum SystemLayout {
    /// QuickBooks Online.
    Quickbooks,
    /// Xero.
    Xero,
}

#[derive(Args)]
struct ExportArgs {
    #[command(flatten)]
    book: Book,
    /// csv (one report) or xlsx (a worksheet per report).
    #[arg(long, value_enum)]
    format: Format,
    /// Reports to write (repeat); by default aging for csv, and aging,
    /// open-items, balances and journal for xlsx.
    #[arg(long, value_enum)]
    report: Vec<Report>,
    /// Layout of --report invoices or payments.
    #[arg(long, value_enum, default_value = "quickbooks")]
    layout: SystemLayout,
    /// Report date (YYYY-MM-DD); today when not given.
    #[arg(long)]
    as_of: Option<NaiveDate>,
    /// The file to write.
    #[arg(short, long)]
    out: PathBuf,
}

/// An error with its exit code.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn io(path: &Path, e: impl std::fmt::Display) -> Self {
        Failure {
            code: 3,
            message: format!("{}: {e}", path.display()),
        }
    }

    fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: message.into(),
        }
    }

    fn internal(e: impl std::fmt::Display) -> Self {
        Failure {
            code: 1,
            message: e.to_string(),
        }
    }
}

fn family_code(f: Family) -> u8 {
    match f {
        Family::Format => 4,
        Family::Validation | Family::Currency => 5,
        Family::NotFound => 6,
        Family::Conflict => 7,
        Family::State => 8,
        Family::Log => 9,
        Family::Internal => 1,
    }
}

impl From<RowError> for Failure {
    fn from(e: RowError) -> Self {
        let at = match (e.row, e.column.is_empty()) {
            (0, _) => String::new(),
            (r, true) => format!(": row {r}"),
            (r, false) => format!(": row {r}, column {:?}", e.column),
        };
        Failure {
            code: family_code(e.family),
            message: format!("{}{at}: {} ({})", e.file, e.message, e.code),
        }
    }
}

impl From<ar_core::Error> for Failure {
    fn from(e: ar_core::Error) -> Self {
        Failure {
            code: family_code(Family::of(e.family())),
            message: format!("{e} ({})", e.code()),
        }
    }
}

impl From<ar_formats::table::WriteError> for Failure {
    fn from(e: ar_formats::table::WriteError) -> Self {
        Failure::internal(e)
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, Failure> {
    let meta = std::fs::metadata(path).map_err(|e| Failure::io(path, e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Failure::io(
            path,
            format!("larger than {MAX_FILE_BYTES} bytes"),
        ));
    }
    std::fs::read(path).map_err(|e| Failure::io(path, e))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes).map_err(|e| Failure::io(path, e))
}

/// Progress on standard error, only where a person watches it.
fn progress(message: impl AsRef<str>) {
    let err = std::io::stderr();
    if err.is_terminal() {
        let _ = writeln!(err.lock(), "{}", message.as_ref());
    }
}

fn now() -> DateTime<Utc> {
    DateTime::<Utc>::from(std::time::SystemTime::now())
}

fn as_file(f: &Option<(String, Vec<u8>)>) -> Option<BookFile<'_>> {
    f.as_ref().map(|(n, b)| BookFile::new(n, b))
}

/// The CSV tables of a directory.
fn read_book_dir(dir: &Path) -> Result<BookTables, Failure> {
    let load = |name: &str, required: bool| -> Result<Option<(String, Vec<u8>)>, Failure> {
        let path = dir.join(name);
        if !required && !path.exists() {
            return Ok(None);
        }
        Ok(Some((path.display().to_string(), read_file(&path)?)))
    };
    let customers = load("customers.csv", true)?;
    let invoices = load("invoices.csv", true)?;
    let memos = load("credit_memos.csv", false)?;
    let receipts = load("receipts.csv", false)?;
    let apps = load("applications.csv", false)?;
    let (Some(customers), Some(invoices)) = (as_file(&customers), as_file(&invoices)) else {
        return Err(Failure::internal("required tables not read"));
    };
    Ok(BookTables::read(&BookFiles {
        customers,
        invoices,
        credit_memos: as_file(&memos),
        receipts: as_file(&receipts),
        applications: as_file(&apps),
    })?)
}

/// The ledger of a BOOK argument.
fn load(path: &Path) -> Result<Ledger, Failure> {
    let started = Instant::now();
    let ledger = if path.is_dir() {
        read_book_dir(path)?.ledger(now())?
    } else {
        let bytes = read_file(path)?;
        let text = String::from_utf8(bytes).map_err(|_| Failure {
            code: 9,
            message: format!("{}: a ledger log is UTF-8 JSON", path.display()),
        })?;
        Ledger::from_json(&text).map_err(|e| Failure {
            code: 9,
            message: format!("{}: {e} ({})", path.display(), e.code()),
        })?
    };
    progress(format!(
        "read {} ({} events) in {} ms",
        path.display(),
        ledger.events().len(),
        started.elapsed().as_millis()
    ));
    Ok(ledger)
}

fn today(as_of: Option<NaiveDate>) -> NaiveDate {
    as_of.unwrap_or_else(|| now().date_naive())
}

fn print(table: &Table, csv: bool) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    let written = if csv {
        out.write_all(&table.to_csv()?)
    } else {
        out.write_all(table.to_text(true).as_bytes())
    };
    written.map_err(|e| Failure::io(Path::new("<stdout>"), e))
}

fn group_by(specs: &[String]) -> Result<Vec<GroupBy>, Failure> {
    specs
        .iter()
        .map(|s| GroupBy::parse_field("group_by", s).map_err(Failure::from))
        .collect()
}

fn aging_options(args: &AgingArgs) -> Result<AgingOptions, Failure> {
    let mut o = AgingOptions::new(today(args.at.as_of));
    o.basis = match args.basis {
        Basis::Due => AgeBasis::DueDate,
        Basis::Invoice => AgeBasis::InvoiceDate,
    };
    o.group_by = group_by(&args.group_by)?;
    o.detail = args.detail;
    Ok(o)
}

fn profile(name: &str) -> Result<Profile, Failure> {
    if let Some(p) = Profile::builtin(name) {
        return Ok(p);
    }
    let path = Path::new(name);
    if path.is_file() {
        let bytes = read_file(path)?;
        return serde_json::from_slice(&bytes).map_err(|e| Failure {
            code: 4,
            message: format!("{}: not a profile: {e}", path.display()),
        });
    }
    Err(Failure::usage(format!(
        "unknown profile {name:?}: one of {} or a JSON file",
        systems::BUILTIN.join(", ")
    )))
}

fn import(args: &ImportArgs) -> Result<(), Failure> {
    let mut book = match &args.book {
        Some(dir) => read_book_dir(dir)?,
        None => BookTables::default(),
    };
    if !args.files.is_empty() {
        let name = args
            .profile
            .as_deref()
            .ok_or_else(|| Failure::usage("--file needs a --profile"))?;
        let mut p = profile(name)?;
        if let Some(c) = &args.currency {
            p.currency = Some(ar_core::Currency::parse_field(
                "currency",
                &c.to_ascii_uppercase(),
            )?);
        }
        p.open_items |= args.open_items;
        for path in &args.files {
            let bytes = read_file(path)?;
            let name = path.display().to_string();
            let part = systems::import(&p, BookFile::new(&name, &bytes))?;
            progress(format!(
                "{name}: {} invoices, {} receipts, {} credit memos",
                part.invoices.len(),
                part.receipts.len(),
                part.credit_memos.len()
            ));
            book.merge(part);
        }
    }
    for w in &book.warnings {
        eprintln!("warning: {w}");
    }
    let recorded = now();
    let mut ledger = book.ledger(recorded)?;
    let meta = CommandMeta::at(recorded);
    let mut recorded_count = 0usize;
    for path in &args.banks {
        let bytes = read_file(path)?;
        let statement = ar_formats::parse(&bytes).map_err(|e| Failure {
            code: 4,
            message: format!("{}: {e}", path.display()),
        })?;
        let stem = path
            .file_stem()
            .map_or_else(|| "bank".to_owned(), |s| s.to_string_lossy().into_owned());
        for (i, r) in statement.receipts().enumerate() {
            let id = ReceiptId::new(format!("{stem}-{}", i.saturating_add(1)))?;
            let receipt = r.to_receipt(id, None::<CustomerId>)?;
            ledger.execute(ar_core::Command::RecordReceipt { receipt }, &meta)?;
            recorded_count = recorded_count.saturating_add(1);
        }
    }
    let json = ledger.to_json()?;
    write_file(&args.out, json.as_bytes())?;
    println!(
        "{}: {} customers, {} invoices, {} credit memos, {} receipts, {} applications, {} bank receipts",
        args.out.display(),
        book.customers.len(),
        book.invoices.len(),
        book.credit_memos.len(),
        book.receipts.len(),
        book.applications.len(),
        recorded_count
    );
    Ok(())
}

fn run_match(args: &MatchArgs) -> Result<(), Failure> {
    let mut ledger = load(&args.book.book)?;
    let mut options = MatchOptions::default();
    if let Some(t) = args.auto_threshold {
        options.auto_threshold = t;
    }
    let started = Instant::now();
    let batch = ledger.match_receipts(&View::all(), &options)?;
    progress(format!(
        "matched {} receipts in {} ms",
        batch.matches.len(),
        started.elapsed().as_millis()
    ));
    print(&reports::matches(&batch)?, args.csv)?;
    if args.apply {
        let out = args
            .out
            .as_ref()
            .ok_or_else(|| Failure::usage("--apply needs --out"))?;
        // Recorded no earlier than the book's last event.
        let last = ledger.events().last().map(|e| e.recorded);
        let meta = CommandMeta::at(last.map_or_else(now, |t| t.max(now())));
        let mut applied = 0usize;
        for m in batch
            .matches
            .iter()
            .filter(|m| m.status == MatchStatus::Auto)
        {
            ledger.apply_match(m, 0, &meta)?;
            applied = applied.saturating_add(1);
        }
        write_file(out, ledger.to_json()?.as_bytes())?;
        eprintln!(
            "applied {applied} automatic matches; wrote {}",
            out.display()
        );
    }
    Ok(())
}

fn journal_table(ledger: &Ledger, as_of: Option<NaiveDate>) -> Result<Table, Failure> {
    let view = as_of.map_or_else(View::all, View::as_of);
    let journal = ledger.journal(&JournalOptions::default(), &view)?;
    Ok(reports::journal(&journal)?)
}

fn reconcile_bank(args: &ReconcileArgs) -> Result<(), Failure> {
    let ledger = load(&args.book.book)?;
    let bytes = read_file(&args.bank)?;
    let statement = ar_formats::parse(&bytes).map_err(|e| Failure {
        code: 4,
        message: format!("{}: {e}", args.bank.display()),
    })?;
    let bank = BankEntry::from_statement(&statement);
    let books = ledger_receipts(&ledger, &View::all());
    let options = ReconcileOptions {
        days_before: args.days_before,
        days_after: args.days_after,
        from: args.from,
        to: args.to,
    };
    let r = reconcile(&bank, &books, &options);
    print(&reports::reconciliation(&r)?, args.csv)
}

fn export(args: &ExportArgs) -> Result<(), Failure> {
    let ledger = load(&args.book.book)?;
    let as_of = today(args.as_of);
    let view = View::as_of(as_of);
    let reports_wanted = if args.report.is_empty() {
        match args.format {
            Format::Csv => vec![Report::Aging],
            Format::Xlsx => vec![
                Report::Aging,
                Report::OpenItems,
                Report::Balances,
                Report::Journal,
            ],
        }
    } else {
        args.report.clone()
    };
    let layout = match args.layout {
        SystemLayout::Quickbooks => Layout::QuickBooks,
        SystemLayout::Xero => Layout::Xero,
    };
    let mut tables = Vec::new();
    for r in &reports_wanted {
        let table = match r {
            Report::Aging => reports::aging(&ledger.aging(&AgingOptions::new(as_of))?),
            Report::OpenItems => reports::open_items(&ledger.open_items(&view), Some(as_of), true)?,
            Report::Balances => reports::balances(&ledger.balances(&view), Some(as_of), true)?,
            Report::Journal => journal_table(&ledger, Some(as_of))?,
            Report::Matches => {
                reports::matches(&ledger.match_receipts(&view, &MatchOptions::default())?)?
            }
            Report::Invoices | Report::Payments => {
                if args.format != Format::Csv || reports_wanted.len() != 1 {
                    return Err(Failure::usage(
                        "--report invoices or payments is written alone, as csv",
                    ));
                }
                let options = ExportOptions::for_layout(layout);
                let bytes = if *r == Report::Invoices {
                    systems::export_invoices(&ledger, &view, layout, &options)?
                } else {
                    systems::export_payments(&ledger, &view, layout, &options)?
                };
                return write_file(&args.out, &bytes);
            }
        };
        tables.push(table);
    }
    let bytes = match args.format {
        Format::Csv => {
            let [table] = tables.as_slice() else {
                return Err(Failure::usage("csv holds one report: give one --report"));
            };
            table.to_csv()?
        }
        Format::Xlsx => ar_formats::table::to_xlsx(&tables)?,
    };
    write_file(&args.out, &bytes)
}

fn statements(a: &StatementsArgs) -> Result<(), Failure> {
    let ledger = load(&a.book.book)?;
    let options = ar_core::StatementOptions::new(a.from, a.to);
    let all = if a.customers.is_empty() {
        ledger.statements(&options)?
    } else {
        let ids = a
            .customers
            .iter()
            .map(|c| ar_core::CustomerId::parse_field("customer", c))
            .collect::<ar_core::Result<Vec<_>>>()?;
        ledger.statements_for(&ids, &options)?
    };
    let company = ar_core::statement::Company {
        name: a.company.clone(),
        address: a.address.clone(),
    };
    let bytes = match a.format {
        StatementFormat::Csv => reports::statements(&all).to_csv()?,
        StatementFormat::Text => ar_core::statement::render_statements(
            "statements.txt",
            ar_core::statement::STATEMENTS_TEXT,
            &all,
            &company,
        )?
        .into_bytes(),
        StatementFormat::Html => ar_core::statement::render_statements(
            "statements.html",
            ar_core::statement::STATEMENTS_HTML,
            &all,
            &company,
        )?
        .into_bytes(),
    };
    match &a.out {
        Some(path) => write_file(path, &bytes),
        None => std::io::stdout()
            .lock()
            .write_all(&bytes)
            .map_err(|e| Failure::io(Path::new("<stdout>"), e)),
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Cmd::Import(a) => import(&a),
        Cmd::Match(a) => run_match(&a),
        Cmd::Aging(a) => {
            let ledger = load(&a.at.book.book)?;
            let report = ledger.aging(&aging_options(&a)?)?;
            print(&reports::aging(&report), a.at.csv)?;
            if a.detail {
                println!();
                print(&reports::aging_detail(&report), a.at.csv)?;
            }
            Ok(())
        }
        Cmd::Metrics(a) => {
            let ledger = load(&a.book.book)?;
            let mut o = MetricsOptions::new(Period::new(a.from, a.to)?);
            o.group_by = group_by(&a.group_by)?;
            print(&reports::metrics(&ledger.metrics(&o)?), a.csv)
        }
        Cmd::OpenItems(a) => {
            let ledger = load(&a.book.book)?;
            let as_of = today(a.as_of);
            let items = ledger.open_items(&View::as_of(as_of));
            print(&reports::open_items(&items, Some(as_of), true)?, a.csv)
        }
        Cmd::Balances(a) => {
            let ledger = load(&a.book.book)?;
            let as_of = today(a.as_of);
            let b = ledger.balances(&View::as_of(as_of));
            print(&reports::balances(&b, Some(as_of), true)?, a.csv)
        }
        Cmd::Journal(a) => {
            let ledger = load(&a.book.book)?;
            print(&journal_table(&ledger, a.as_of)?, a.csv)
        }
        Cmd::ReconcileBank(a) => reconcile_bank(&a),
        Cmd::Export(a) => export(&a),
        Cmd::Statements(a) => statements(&a),
        Cmd::Dunning(a) => {
            let ledger = load(&a.book.book)?;
            let bytes = read_file(&a.setup)?;
            let setup: ar_core::collections::DunningSetup = serde_json::from_slice(&bytes)
                .map_err(|e| Failure {
                    code: 4,
                    message: format!("{}: not a dunning setup: {e}", a.setup.display()),
                })?;
            let run = ledger.dunning_run(&setup, today(a.as_of), None)?;
            print(&reports::dunning(&run), a.csv)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
