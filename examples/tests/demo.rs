//! The demo prints exactly the report worked out by hand in
//! `examples/expected/demo.txt` (the Python and Node demos print it too).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::process::Command;

#[test]
fn demo_prints_the_expected_report() {
    let out = Command::new(env!("CARGO_BIN_EXE_ar-demo"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/expected/demo.txt")).unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
}

#[test]
fn demo_says_how_to_use_it_and_reports_bad_dates() {
    let help = Command::new(env!("CARGO_BIN_EXE_ar-demo"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8(help.stdout)
        .unwrap()
        .starts_with("usage: ar-demo [DATA_DIR] [AS_OF]\n"));
    let out = Command::new(env!("CARGO_BIN_EXE_ar-demo"))
        .args([
            concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample"),
            "2026-13-01",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .starts_with("error: AS_OF must be a date"));
}
