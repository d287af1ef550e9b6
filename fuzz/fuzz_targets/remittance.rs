//! (d) Remittance text, parsed and matched for a receipt carrying it (see
//! `ar_fuzz::remittance`).
#![no_main]

use ar_core::Currency;
use ar_fuzz::{amount, guard, remittance, report};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

fn run(u: &mut Unstructured) -> Result<()> {
    let total = if u.ratio(3, 4)? {
        ar_core::rust_decimal::Decimal::new(u.int_in_range(1..=10_000_000)?, 2)
    } else {
        amount(u.arbitrary()?, u.arbitrary()?, u.arbitrary()?)
    };
    let all: Vec<Currency> = Currency::all().collect();
    let currency = match (u.ratio(3, 4)?, Currency::new("USD")) {
        (true, Ok(usd)) => usd,
        _ => *u.choose(&all)?,
    };
    let payer: bool = u.arbitrary()?;
    let day = u.int_in_range(1..=31)?;
    let text: &str = u.arbitrary()?;
    report(guard(|| remittance(text, total, currency, payer, day)));
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
