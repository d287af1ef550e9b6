//! Accounting-system layouts.
