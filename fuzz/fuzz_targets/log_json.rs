//! (a) A log as JSON: raw text, byte edits of a valid log, or structured
//! edits of it (see `ar_fuzz::log_json`).
#![no_main]

use ar_fuzz::{edits_from, guard, log_json, mutated_log, report, seeded_ledger};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = match mode % 3 {
        0 => String::from_utf8_lossy(rest).into_owned(),
        1 => {
            let mut bytes = seeded_ledger().to_json().unwrap_or_default().into_bytes();
            let len = bytes.len().max(1);
            for c in rest.chunks_exact(3).take(16) {
                let at = usize::from(u16::from_le_bytes([c[0], c[1]]));
                if let Some(b) = bytes.get_mut(at % len) {
                    *b = c[2];
                }
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
        _ => mutated_log(&edits_from(rest)),
    };
    if std::env::var_os("AR_FUZZ_SHOW").is_some() {
        eprintln!("log:\n{text}");
    }
    report(guard(|| log_json(&text)));
});
