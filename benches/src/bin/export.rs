//! Writes a generated book as CSV for the Python and Node benchmarks:
//! `cargo run --release -p ar-benches --bin export -- DIR [INVOICES] [SEED]`.
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let Some(dir) = args.get(1) else {
        eprintln!("usage: export DIR [INVOICES] [SEED]");
        return ExitCode::FAILURE;
    };
    let n = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let seed = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(42);
    let frames = ar_benches::Frames::from_book(&ar_benches::generate(n, seed));
    match frames.write_csv(std::path::Path::new(dir)) {
        Ok(()) => {
            println!(
                "{} invoices, {} settlements, {} credits in {dir}",
                frames.invoice_id.len(),
                frames.settlement_invoice.len(),
                frames.credit_id.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{dir}: {e}");
            ExitCode::FAILURE
        }
    }
}
