//! (c) Payment terms as text or JSON, scheduled for any total, currency,
//! date and rounding policy (see `ar_fuzz::terms`).
#![no_main]

use ar_core::chrono::NaiveDate;
use ar_core::{Currency, RoundingPolicy};
use ar_fuzz::{amount, guard, report, terms};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

fn run(u: &mut Unstructured) -> Result<()> {
    let json: bool = u.arbitrary()?;
    let date = NaiveDate::from_num_days_from_ce_opt(u.int_in_range(-1_000_000..=4_000_000)?)
        .unwrap_or_default();
    let total = amount(u.arbitrary()?, u.arbitrary()?, u.arbitrary()?);
    let currencies: Vec<Currency> = Currency::all().collect();
    let currency = *u.choose(&currencies)?;
    let policy = if u.arbitrary()? {
        RoundingPolicy::HalfEven
    } else {
        RoundingPolicy::HalfAwayFromZero
    };
    let text: &str = u.arbitrary()?;
    report(guard(|| terms(text, json, date, total, currency, policy)));
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
