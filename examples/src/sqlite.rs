//! An app that keeps its ledger's events in SQLite, one row per event,
//! and rebuilds the ledger from them: `cargo run -p ar-examples --bin
//! ar-sqlite [DB_FILE]`.
//!
//! - After each command the app stores the new events' log lines
//!   (`Ledger::log_lines`) in one transaction; `seq` is the primary key, so
//!   of two writers appending the same sequence number one is refused
//!   (optimistic concurrency): it reloads and decides its command again.
//! - On start it replays the rows one at a time (`Ledger::append_log_line`),
//!   each checked against the hash chain and the rules that made it.
//! - A crash between the command and the commit loses the command, never
//!   half of it: the rebuilt ledger is the last committed one.

use std::path::PathBuf;
use std::process::ExitCode;

use ar_core::chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use ar_core::rust_decimal::Decimal;
use ar_core::*;
use rusqlite::{params, Connection, ErrorCode};

/// What can go wrong for the app.
#[derive(Debug)]
enum AppError {
    /// The command was refused by the ledger.
    Ledger(Error),
    /// Another writer appended first; reload and try again.
    Conflict,
    /// The database failed.
    Db(rusqlite::Error),
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        AppError::Ledger(e)
    }
}

impl From<rusqlite::Error> for AppError {
    fn from(e: rusqlite::Error) -> Self {
        match &e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == ErrorCode::ConstraintViolation => {
                AppError::Conflict
            }
            _ => AppError::Db(e),
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Ledger(e) => write!(f, "{} ({})", e, e.code()),
            AppError::Conflict => f.write_str("another writer appended first"),
            AppError::Db(e) => write!(f, "database: {e}"),
        }
    }
}

/// A writer: a connection and its ledger as last loaded.
struct Store {
    db: Connection,
    ledger: Ledger,
}

impl Store {
    fn open(path: &std::path::Path) -> Result<Self, AppError> {
        let db = Connection::open(path)?;
        db.execute_batch(
            "CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, line TEXT NOT NULL);",
        )?;
        let mut store = Store {
            db,
            ledger: Ledger::new(),
        };
        store.reload()?;
        Ok(store)
    }

    /// Rebuilds the ledger from the stored rows, in order.
    fn reload(&mut self) -> Result<(), AppError> {
        let mut ledger = Ledger::new();
        let mut rows = self.db.prepare("SELECT line FROM events ORDER BY seq")?;
        let lines = rows.query_map([], |r| r.get::<_, String>(0))?;
        for line in lines {
            ledger.append_log_line(&line?)?;
        }
        self.ledger = ledger;
        Ok(())
    }

    /// Decides `command` against the ledger and stores its events; on a
    /// conflict the ledger is reloaded from the database.
    fn execute(&mut self, command: Command, meta: &CommandMeta) -> Result<Outcome, AppError> {
        let stored = self.ledger.events().len();
        let outcome = self.ledger.execute(command, meta)?;
        let committed = (|| -> Result<(), AppError> {
            let tx = self.db.transaction()?;
            for (i, line) in self.ledger.log_lines(stored)?.iter().enumerate() {
                let seq = stored.saturating_add(i).saturating_add(1);
                tx.execute(
                    "INSERT INTO events (seq, line) VALUES (?1, ?2)",
                    params![i64::try_from(seq).unwrap_or(i64::MAX), line],
                )?;
            }
            tx.commit()?;
            Ok(())
        })();
        if let Err(e) = committed {
            // The ledger in memory is ahead of the database: drop it.
            self.reload()?;
            return Err(e);
        }
        Ok(outcome)
    }
}

fn usd() -> Currency {
    Currency::new("USD").unwrap_or_else(|_| std::process::abort())
}

fn id<T>(r: Result<T>) -> T {
    r.unwrap_or_else(|_| std::process::abort())
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).unwrap_or_default()
}

fn receipt(n: &str, amount: i64) -> Command {
    Command::RecordReceipt {
        receipt: Receipt {
            id: id(ReceiptId::new(n)),
            customer: Some(id(CustomerId::new("ACME"))),
            date: day(10),
            amount: Decimal::new(amount, 2),
            currency: usd(),
            method: PaymentMethod::Ach,
            reference: None,
            remittance: String::new(),
            payer_name: None,
            payer_account: None,
        },
    }
}

fn run(path: &std::path::Path) -> Result<(), String> {
    let err = |e: AppError| e.to_string();
    let mut clock: DateTime<Utc> = Utc
        .with_ymd_and_hms(2026, 3, 1, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let mut tick = || {
        clock += Duration::seconds(1);
        CommandMeta::at(clock)
    };
    let mut a = Store::open(path).map_err(err)?;
    if !a.ledger.events().is_empty() {
        return Err(format!("{} is not empty; give a new file", path.display()));
    }
    let acme = Customer::new(id(CustomerId::new("ACME")), "Acme Corp", usd());
    a.execute(Command::RegisterCustomer { customer: acme }, &tick())
        .map_err(err)?;
    let line = InvoiceLine::new("Widgets", Decimal::TEN, Decimal::new(12500, 2));
    let invoice = NewInvoice::new(
        id(InvoiceId::new("INV-1")),
        id(CustomerId::new("ACME")),
        day(1),
        vec![line],
    );
    a.execute(Command::IssueInvoice { invoice }, &tick())
        .map_err(err)?;

    // A second writer loads the same events; the first appends one more.
    let mut b = Store::open(path).map_err(err)?;
    a.execute(receipt("R-1", 40000), &tick()).map_err(err)?;
    // The second, behind, decides its command on what it loaded: the
    // sequence number it appends is taken, so it is refused.
    match b.execute(receipt("R-2", 10000), &tick()) {
        Err(AppError::Conflict) => println!("second writer refused: another writer appended first"),
        other => return Err(format!("expected a conflict, got {other:?}")),
    }
    // Reloaded, it decides again and succeeds.
    b.execute(receipt("R-2", 10000), &tick()).map_err(err)?;

    // A crash between deciding and committing: the events are decided,
    // one row is written, and the transaction never commits.
    {
        a.reload().map_err(err)?;
        let reloaded = a.ledger.events().len();
        a.ledger
            .execute(receipt("R-3", 5000), &tick())
            .map_err(|e| e.to_string())?;
        let lines = a.ledger.log_lines(reloaded).map_err(|e| e.to_string())?;
        let tx = a.db.transaction().map_err(|e| e.to_string())?;
        tx.execute(
            "INSERT INTO events (seq, line) VALUES (?1, ?2)",
            params![
                i64::try_from(reloaded + 1).unwrap_or(i64::MAX),
                lines.first()
            ],
        )
        .map_err(|e| e.to_string())?;
        drop(tx); // the process dies here: rolled back
    }
    let restarted = Store::open(path).map_err(err)?;
    let ids: Vec<String> = restarted
        .ledger
        .events()
        .iter()
        .map(|e| format!("{} {}", e.event.name(), e.event.subject()))
        .collect();
    println!("events in {}:", path.display());
    for i in &ids {
        println!("  {i}");
    }
    if ids.iter().any(|i| i.ends_with("R-3")) {
        return Err("a command that never committed came back".into());
    }
    let balance = restarted
        .ledger
        .customer_balance(&id(CustomerId::new("ACME")), &View::all())
        .map_err(|e| e.to_string())?;
    let net = balance.first().map(|b| b.net).unwrap_or_default();
    println!("ACME owes {net} USD (1,250.00 invoiced, 400.00 + 100.00 received)");
    if net != Decimal::new(75000, 2) {
        return Err(format!("expected 750.00, got {net}"));
    }
    // The rebuilt ledger is the second writer's, event for event.
    b.reload().map_err(err)?;
    if restarted.ledger != b.ledger {
        return Err("two rebuilds of the same rows differ".into());
    }
    println!(
        "chain head {}",
        restarted.ledger.chain_head().map_err(|e| e.to_string())?
    );
    Ok(())
}

fn main() -> ExitCode {
    let path = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::temp_dir().join(format!("ar-events-{}.sqlite", std::process::id()))
        });
    match run(&path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ar-sqlite: {e}");
            ExitCode::FAILURE
        }
    }
}
