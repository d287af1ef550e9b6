//! The `ar` command line (subcommands to come).

fn main() {}
