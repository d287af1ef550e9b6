//! (b) Commands as JSON executed in order on a seeded ledger: raw lines of
//! text, or templates with structured edits (see `ar_fuzz::command_json`).
#![no_main]

use ar_fuzz::{command_json, command_templates, edits_from, guard, mutate, report, seeded_ledger};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let lines: Vec<String> = if mode % 2 == 0 {
        String::from_utf8_lossy(rest)
            .lines()
            .take(8)
            .map(str::to_owned)
            .collect()
    } else {
        let templates = command_templates();
        rest.split(|b| *b == 0xff)
            .take(8)
            .filter_map(|part| {
                let (&pick, edits) = part.split_first()?;
                let text = templates.get(usize::from(pick) % templates.len())?;
                let mut v: serde_json::Value = serde_json::from_str(text).ok()?;
                for e in edits_from(edits) {
                    mutate(&mut v, e);
                }
                Some(v.to_string())
            })
            .collect()
    };
    if std::env::var_os("AR_FUZZ_SHOW").is_some() {
        eprintln!("commands:\n{}", lines.join("\n"));
    }
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    report(guard(|| command_json(seeded_ledger(), &lines)));
});
