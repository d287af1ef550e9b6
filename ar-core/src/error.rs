//! The one error type of the crate, with stable codes.

use std::fmt;

/// Bytes of a rejected value an error keeps and shows: a 10 MB value makes
/// an error of a few dozen bytes, not of 10 MB.
pub const MAX_SHOWN: usize = 64;

/// Bytes of a reason that may quote its input (a parser's message).
pub const MAX_REASON: usize = 512;

/// `value`, or its first [`MAX_SHOWN`] bytes (cut at a character boundary)
/// followed by `…` and its length, so that messages stay short whatever the
/// input.
///
/// # Example
/// ```
/// let long = "x".repeat(10_000_000);
/// let shown = ar_core::shown_value(&long);
/// assert!(shown.len() < 100);
/// assert!(shown.ends_with("… (10000000 bytes)"));
/// assert_eq!(ar_core::shown_value("INV-1"), "INV-1");
/// ```
pub fn shown(value: &str) -> String {
    if value.len() <= MAX_SHOWN {
        return value.to_owned();
    }
    let mut end = MAX_SHOWN;
    while !value.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    format!(
        "{}… ({} bytes)",
        value.get(..end).unwrap_or(""),
        value.len()
    )
}

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Families of errors. Bindings map each family to one exception class
/// (Python) or use it as a prefix-free grouping (Node), so callers can catch
/// "any validation problem" without listing codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorFamily {
    /// The input is malformed or out of range, whatever the ledger holds.
    Validation,
    /// The input names something the ledger does not know.
    NotFound,
    /// The input clashes with something that already exists.
    Conflict,
    /// Two amounts in different currencies were combined.
    Currency,
    /// The input is well formed but the ledger's state does not allow it.
    State,
    /// A serialized log cannot be read back.
    Log,
    /// A defect in ar itself (a caught panic in a binding); please report it.
    Internal,
}

impl ErrorFamily {
    /// Stable snake_case name of the family.
    pub fn name(self) -> &'static str {
        match self {
            ErrorFamily::Validation => "validation",
            ErrorFamily::NotFound => "not_found",
            ErrorFamily::Conflict => "conflict",
            ErrorFamily::Currency => "currency",
            ErrorFamily::State => "state",
            ErrorFamily::Log => "log",
            ErrorFamily::Internal => "internal",
        }
    }
}

/// Everything that can go wrong. Each variant has a stable [`Error::code`]
/// and a message naming the field and the value at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A currency code that is not an active ISO 4217 code.
    #[error("{field}: {:?} is not an active ISO 4217 currency code", shown(.value))]
    InvalidCurrency {
        /// Field that held the code.
        field: String,
        /// The rejected code.
        value: String,
    },
    /// Two currencies met where one was required.
    #[error("{field}: currency {found} does not match {expected}")]
    CurrencyMismatch {
        /// Field that carried the wrong currency.
        field: String,
        /// Currency required there.
        expected: String,
        /// Currency supplied.
        found: String,
    },
    /// An amount with more decimals than the currency's minor unit.
    #[error("{field}: {} has more than {max} decimal places allowed for {currency}", shown(.value))]
    TooManyDecimals {
        /// Field that held the amount.
        field: String,
        /// The rejected amount.
        value: String,
        /// Currency of the amount.
        currency: String,
        /// Decimal places the currency allows.
        max: u32,
    },
    /// An amount that is negative, zero or otherwise out of range.
    #[error("{field}: {} is not allowed: {reason}", shown(.value))]
    InvalidAmount {
        /// Field that held the amount.
        field: String,
        /// The rejected amount.
        value: String,
        /// What was expected.
        reason: String,
    },
    /// Any other value out of range: an empty id, a percentage over 100, ...
    #[error("{field}: {:?} is not allowed: {reason}", shown(.value))]
    InvalidValue {
        /// Field that held the value.
        field: String,
        /// The rejected value.
        value: String,
        /// What was expected.
        reason: String,
    },
    /// A value of the wrong type, such as a binary float where an exact
    /// decimal is required (bindings).
    #[error("{field}: expected {expected}, got {}", shown(.found))]
    InvalidType {
        /// Field that held the value.
        field: String,
        /// What was expected.
        expected: String,
        /// What was given.
        found: String,
    },
    /// Text that is not a decimal number (bindings).
    #[error("{field}: {:?} is not a decimal number", shown(.value))]
    InvalidDecimal {
        /// Field that held the text.
        field: String,
        /// The rejected text.
        value: String,
    },
    /// Text that is not a date or timestamp (bindings).
    #[error("{field}: {:?} is not a valid {expected}", shown(.value))]
    InvalidDate {
        /// Field that held the text.
        field: String,
        /// The rejected text.
        value: String,
        /// The expected format.
        expected: String,
    },
    /// Payment terms that cannot produce a schedule.
    #[error("{field}: {reason}")]
    InvalidTerms {
        /// Field at fault.
        field: String,
        /// Why the terms are rejected.
        reason: String,
    },
    /// A reference to a record the ledger does not hold.
    #[error("{field}: unknown {kind} {:?}", shown(.id))]
    NotFound {
        /// Field that held the reference.
        field: String,
        /// Kind of record: customer, invoice, receipt, ...
        kind: String,
        /// The id that was not found.
        id: String,
    },
    /// An id that is already taken by a record of the same kind.
    #[error("{field}: {kind} {:?} already exists", shown(.id))]
    DuplicateId {
        /// Field that held the id.
        field: String,
        /// Kind of record.
        kind: String,
        /// The duplicated id.
        id: String,
    },
    /// The same idempotency key was used with a different command.
    #[error("idempotency_key: {:?} was already used for a different command", shown(.key))]
    IdempotencyConflict {
        /// The reused key.
        key: String,
    },
    /// A document of one customer used for another's.
    #[error("{field}: customer {found} does not match {expected}")]
    CustomerMismatch {
        /// Field that named the document.
        field: String,
        /// Customer required there.
        expected: String,
        /// Customer found.
        found: String,
    },
    /// More applied, refunded or written off than is open.
    #[error("{field}: {requested} exceeds the {available} open on {target}")]
    OverApplication {
        /// Field that held the amount.
        field: String,
        /// Amount asked for.
        requested: String,
        /// Amount open (at the command's date and at every later date).
        available: String,
        /// What the amount was checked against.
        target: String,
    },
    /// The record's state forbids the command (applying to a void invoice, ...).
    #[error("{field}: {kind} {:?} is {state}; cannot {action}", shown(.id))]
    InvalidState {
        /// Field that named the record.
        field: String,
        /// Kind of record.
        kind: String,
        /// Its id.
        id: String,
        /// Its state.
        state: String,
        /// What was attempted.
        action: String,
    },
    /// A business date earlier than a document it depends on.
    #[error("{field}: {date} is before {document} dated {document_date}")]
    DateBeforeDocument {
        /// Field that held the date.
        field: String,
        /// The rejected date.
        date: String,
        /// The document it depends on.
        document: String,
        /// That document's effective date.
        document_date: String,
    },
    /// A recorded timestamp earlier than the last one in the log.
    #[error("recorded: {recorded} is before the last recorded time {last}")]
    RecordedOutOfOrder {
        /// The rejected timestamp.
        recorded: String,
        /// The last timestamp in the log.
        last: String,
    },
    /// A discount that the terms do not offer at that date or amount.
    #[error("{field}: {reason}")]
    DiscountNotAllowed {
        /// Field that held the discount.
        field: String,
        /// Why.
        reason: String,
    },
    /// A policy command found nothing to do.
    #[error("{field}: nothing to apply: {reason}")]
    NothingToApply {
        /// Field that named the source.
        field: String,
        /// Why.
        reason: String,
    },
    /// Arithmetic left the range of a 96-bit decimal.
    #[error("{field}: arithmetic overflow")]
    Overflow {
        /// Field whose computation overflowed.
        field: String,
    },
    /// A count or size past its documented limit (see [`crate::limits`]):
    /// too many lines, buckets, periods, dimensions; text too long.
    #[error("{field}: {count} is more than the limit of {limit}")]
    LimitExceeded {
        /// Field whose count or length is over the limit.
        field: String,
        /// The count or length given.
        count: u64,
        /// The limit.
        limit: u64,
    },
    /// No exchange rate for a currency on a date.
    #[error("rates: no rate from {from} to {to} on {date}")]
    MissingRate {
        /// The document currency.
        from: String,
        /// The functional currency.
        to: String,
        /// The date a rate was needed for.
        date: String,
    },
    /// A business date in a closed period.
    #[error("{field}: {date} is in a period closed up to {closed_until}")]
    PeriodClosed {
        /// Field that held the date.
        field: String,
        /// The refused date.
        date: String,
        /// The last day of the closed periods.
        closed_until: String,
    },
    /// A template that does not parse or render: a syntax error, an
    /// undefined name, a bad filter argument, a render past its budget.
    #[error("template {template}, line {line}: {reason}")]
    Template {
        /// The template's id.
        template: String,
        /// Line of the error (1-based; 0 when it has none).
        line: u32,
        /// What is wrong.
        reason: String,
    },
    /// A serialized log that is not valid.
    #[error("log: {reason}")]
    CorruptLog {
        /// What is wrong with it.
        reason: String,
    },
    /// A defect in ar caught at a binding boundary instead of crashing the
    /// host process.
    #[error("internal error: {message}")]
    Internal {
        /// What went wrong.
        message: String,
    },
    /// A long operation stopped because its progress callback asked it to
    /// (see [`crate::Progress`]); nothing was made.
    #[error("stopped by the caller after {done} of {total}")]
    Interrupted {
        /// Units of work done when it stopped (rows, events).
        done: u64,
        /// Units of work in all.
        total: u64,
    },
    /// A serialized log of a version this build cannot read.
    #[error("log: version {version} is not supported (expected {supported})")]
    UnsupportedLogVersion {
        /// Version found.
        version: u32,
        /// Version this build reads.
        supported: u32,
    },
}

impl Error {
    /// The stable snake_case code of the error, e.g. `"currency_mismatch"`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidCurrency { .. } => "invalid_currency",
            Error::CurrencyMismatch { .. } => "currency_mismatch",
            Error::TooManyDecimals { .. } => "too_many_decimals",
            Error::InvalidAmount { .. } => "invalid_amount",
            Error::InvalidValue { .. } => "invalid_value",
            Error::InvalidType { .. } => "invalid_type",
            Error::InvalidDecimal { .. } => "invalid_decimal",
            Error::InvalidDate { .. } => "invalid_date",
            Error::InvalidTerms { .. } => "invalid_terms",
            Error::NotFound { .. } => "not_found",
            Error::DuplicateId { .. } => "duplicate_id",
            Error::IdempotencyConflict { .. } => "idempotency_conflict",
            Error::CustomerMismatch { .. } => "customer_mismatch",
            Error::OverApplication { .. } => "over_application",
            Error::InvalidState { .. } => "invalid_state",
            Error::DateBeforeDocument { .. } => "date_before_document",
            Error::RecordedOutOfOrder { .. } => "recorded_out_of_order",
            Error::DiscountNotAllowed { .. } => "discount_not_allowed",
            Error::NothingToApply { .. } => "nothing_to_apply",
            Error::Overflow { .. } => "overflow",
            Error::LimitExceeded { .. } => "limit_exceeded",
            Error::Template { .. } => "template_error",
            Error::MissingRate { .. } => "missing_rate",
            Error::PeriodClosed { .. } => "period_closed",
            Error::CorruptLog { .. } => "corrupt_log",
            Error::UnsupportedLogVersion { .. } => "unsupported_log_version",
            Error::Interrupted { .. } => "interrupted",
            Error::Internal { .. } => "internal",
        }
    }

    /// The family the error belongs to.
    pub fn family(&self) -> ErrorFamily {
        match self {
            Error::InvalidCurrency { .. }
            | Error::TooManyDecimals { .. }
            | Error::InvalidAmount { .. }
            | Error::InvalidValue { .. }
            | Error::InvalidType { .. }
            | Error::InvalidDecimal { .. }
            | Error::InvalidDate { .. }
            | Error::InvalidTerms { .. }
            | Error::Overflow { .. }
            | Error::LimitExceeded { .. }
            | Error::Template { .. } => ErrorFamily::Validation,
            Error::NotFound { .. } | Error::MissingRate { .. } => ErrorFamily::NotFound,
            Error::DuplicateId { .. } | Error::IdempotencyConflict { .. } => ErrorFamily::Conflict,
            Error::CurrencyMismatch { .. } => ErrorFamily::Currency,
            Error::OverApplication { .. }
            | Error::CustomerMismatch { .. }
            | Error::InvalidState { .. }
            | Error::DateBeforeDocument { .. }
            | Error::RecordedOutOfOrder { .. }
            | Error::DiscountNotAllowed { .. }
            | Error::NothingToApply { .. }
            | Error::Interrupted { .. }
            | Error::PeriodClosed { .. } => ErrorFamily::State,
            Error::CorruptLog { .. } | Error::UnsupportedLogVersion { .. } => ErrorFamily::Log,
            Error::Internal { .. } => ErrorFamily::Internal,
        }
    }

    /// Every code, for bindings and documentation.
    pub const CODES: [&'static str; 28] = [
        "invalid_currency",
        "currency_mismatch",
        "too_many_decimals",
        "invalid_amount",
        "invalid_value",
        "invalid_type",
        "invalid_decimal",
        "invalid_date",
        "invalid_terms",
        "not_found",
        "duplicate_id",
        "idempotency_conflict",
        "customer_mismatch",
        "over_application",
        "invalid_state",
        "date_before_document",
        "recorded_out_of_order",
        "discount_not_allowed",
        "nothing_to_apply",
        "overflow",
        "limit_exceeded",
        "template_error",
        "missing_rate",
        "period_closed",
        "corrupt_log",
        "unsupported_log_version",
        "interrupted",
        "internal",
    ];

    // Short constructors keep call sites readable.

    pub(crate) fn invalid_value(field: &str, value: impl fmt::Display, reason: &str) -> Self {
        Error::InvalidValue {
            field: field.to_owned(),
            value: shown(&value.to_string()),
            reason: reason.to_owned(),
        }
    }

    pub(crate) fn invalid_amount(field: &str, value: impl fmt::Display, reason: &str) -> Self {
        Error::InvalidAmount {
            field: field.to_owned(),
            value: shown(&value.to_string()),
            reason: reason.to_owned(),
        }
    }

    pub(crate) fn not_found(field: &str, kind: &str, id: &str) -> Self {
        Error::NotFound {
            field: field.to_owned(),
            kind: kind.to_owned(),
            id: shown(id),
        }
    }

    pub(crate) fn overflow(field: &str) -> Self {
        Error::Overflow {
            field: field.to_owned(),
        }
    }

    /// A corrupt log, with a reason of at most [`MAX_REASON`] bytes: a
    /// parser's message may quote what it could not read.
    pub(crate) fn corrupt(reason: impl Into<String>) -> Self {
        let mut reason: String = reason.into();
        if reason.len() > MAX_REASON {
            let mut end = MAX_REASON;
            while !reason.is_char_boundary(end) {
                end = end.saturating_sub(1);
            }
            reason.truncate(end);
            reason.push('…');
        }
        Error::CorruptLog { reason }
    }

    /// The same error naming another field: `rename` maps the field the
    /// error names (for a command, `amount`) to the one the caller knows
    /// (for a table, `applications.amount[12]`).
    pub(crate) fn refield(mut self, rename: impl FnOnce(&str) -> String) -> Self {
        match &mut self {
            Error::InvalidCurrency { field, .. }
            | Error::CurrencyMismatch { field, .. }
            | Error::TooManyDecimals { field, .. }
            | Error::InvalidAmount { field, .. }
            | Error::InvalidValue { field, .. }
            | Error::InvalidType { field, .. }
            | Error::InvalidDecimal { field, .. }
            | Error::InvalidDate { field, .. }
            | Error::InvalidTerms { field, .. }
            | Error::NotFound { field, .. }
            | Error::DuplicateId { field, .. }
            | Error::CustomerMismatch { field, .. }
            | Error::OverApplication { field, .. }
            | Error::InvalidState { field, .. }
            | Error::DateBeforeDocument { field, .. }
            | Error::DiscountNotAllowed { field, .. }
            | Error::NothingToApply { field, .. }
            | Error::Overflow { field }
            | Error::LimitExceeded { field, .. }
            | Error::PeriodClosed { field, .. } => *field = rename(field),
            Error::IdempotencyConflict { .. }
            | Error::Template { .. }
            | Error::RecordedOutOfOrder { .. }
            | Error::MissingRate { .. }
            | Error::CorruptLog { .. }
            | Error::Internal { .. }
            | Error::Interrupted { .. }
            | Error::UnsupportedLogVersion { .. } => {}
        }
        self
    }

    /// The field the error names and the value it refused, when it has
    /// them: each variant says them in its own words (`found` for a type,
    /// `id` for a record, `requested` for an amount), so that a binding can
    /// give every error the same two attributes.
    ///
    /// # Example
    ///
    /// ```
    /// let e = ar_core::Currency::new("usd").unwrap_err();
    /// assert_eq!(e.field_and_value(), (Some("currency"), Some("usd")));
    /// ```
    pub fn field_and_value(&self) -> (Option<&str>, Option<&str>) {
        match self {
            Error::InvalidCurrency { field, value }
            | Error::TooManyDecimals { field, value, .. }
            | Error::InvalidAmount { field, value, .. }
            | Error::InvalidValue { field, value, .. }
            | Error::InvalidDecimal { field, value }
            | Error::InvalidDate { field, value, .. } => (Some(field), Some(value)),
            Error::InvalidType { field, found, .. }
            | Error::CurrencyMismatch { field, found, .. }
            | Error::CustomerMismatch { field, found, .. } => (Some(field), Some(found)),
            Error::NotFound { field, id, .. }
            | Error::DuplicateId { field, id, .. }
            | Error::InvalidState { field, id, .. } => (Some(field), Some(id)),
            Error::OverApplication {
                field, requested, ..
            } => (Some(field), Some(requested)),
            Error::DateBeforeDocument { field, date, .. }
            | Error::PeriodClosed { field, date, .. } => (Some(field), Some(date)),
            Error::InvalidTerms { field, .. }
            | Error::DiscountNotAllowed { field, .. }
            | Error::NothingToApply { field, .. }
            | Error::Overflow { field }
            | Error::LimitExceeded { field, .. } => (Some(field), None),
            Error::IdempotencyConflict { key } => (Some("idempotency_key"), Some(key)),
            Error::RecordedOutOfOrder { recorded, .. } => (Some("recorded"), Some(recorded)),
            Error::MissingRate { .. } => (Some("rates"), None),
            Error::Template { .. }
            | Error::CorruptLog { .. }
            | Error::Internal { .. }
            | Error::Interrupted { .. }
            | Error::UnsupportedLogVersion { .. } => (None, None),
        }
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_listed_and_messages_name_the_field() {
        let samples = [
            Error::invalid_value("lines[0].quantity", "-1", "must be greater than zero"),
            Error::InvalidType {
                field: "amount".into(),
                expected: "Decimal".into(),
                found: "float".into(),
            },
            Error::not_found("customer", "customer", "NOPE"),
            Error::Internal {
                message: "x".into(),
            },
            Error::CustomerMismatch {
                field: "invoice".into(),
                expected: "A".into(),
                found: "B".into(),
            },
        ];
        for e in &samples {
            assert!(Error::CODES.contains(&e.code()), "{}", e.code());
        }
        assert_eq!(
            samples[0].to_string(),
            "lines[0].quantity: \"-1\" is not allowed: must be greater than zero"
        );
        assert_eq!(
            samples[2].to_string(),
            "customer: unknown customer \"NOPE\""
        );
        assert_eq!(samples[1].family(), ErrorFamily::Validation);
        assert_eq!(samples[3].family().name(), "internal");
    }
}
