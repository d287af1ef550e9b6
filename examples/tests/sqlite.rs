//! The SQLite example runs: optimistic concurrency refuses the second
//! writer, a crash before commit loses the whole command, and the ledger
//! rebuilt from the rows is the committed one.
#![allow(missing_docs, clippy::unwrap_used)]

use std::process::Command;

#[test]
fn the_sqlite_example_keeps_the_committed_ledger() {
    let dir = std::env::temp_dir().join(format!("ar-sqlite-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("events.sqlite");
    let _ = std::fs::remove_file(&db);
    let out = Command::new(env!("CARGO_BIN_EXE_ar-sqlite"))
        .arg(&db)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("second writer refused"), "{stdout}");
    assert!(stdout.contains("ACME owes 750.00 USD"), "{stdout}");
    assert!(!stdout.contains("R-3"), "{stdout}");
    // Run again on the same file: it is not empty, and the example says so
    // rather than appending to someone else's log.
    let again = Command::new(env!("CARGO_BIN_EXE_ar-sqlite"))
        .arg(&db)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("is not empty"));
    // An edited row is refused when the ledger is rebuilt.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE events SET line = replace(line, '\"400.00\"', '\"4000.00\"') WHERE seq = 3",
        [],
    )
    .unwrap();
    let lines: Vec<String> = conn
        .prepare("SELECT line FROM events ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut ledger = ar_core::Ledger::new();
    let mut refused = None;
    for (i, line) in lines.iter().enumerate() {
        if let Err(e) = ledger.append_log_line(line) {
            refused = Some((i, e.code()));
            break;
        }
    }
    assert_eq!(refused, Some((2, "corrupt_log")));
    assert_eq!(ledger.events().len(), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}
