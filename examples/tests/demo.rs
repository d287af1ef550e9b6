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
fn demo_reports_bad_dates() {
    let out = Command::new(env!("CARGO_BIN_EXE_ar-demo"))
        .args([concat!(env!("CARGO_MANIFEST_DIR"), "/data"), "2026-13-01"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}
