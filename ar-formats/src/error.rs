//! Typed errors naming the file position.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::Format;

/// What went wrong, as a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The bytes are none of the supported formats.
    UnknownFormat,
    /// Text that is not valid in the file's encoding.
    Encoding,
    /// The file's structure is broken: a record, tag, segment or element
    /// that is malformed, out of place or missing its end.
    Syntax,
    /// A required field, record or element is absent.
    Missing,
    /// An amount that does not parse, is negative where it may not be, or
    /// has more decimals than its currency allows.
    InvalidAmount,
    /// A date or time that does not parse or does not exist.
    InvalidDate,
    /// Any other field whose value is not allowed (a currency code, a
    /// credit/debit mark, a type code).
    InvalidValue,
    /// A control total, hash or balance that does not match the records it
    /// controls.
    ControlTotal,
    /// A record, segment or entry count that does not match.
    RecordCount,
    /// A size the caller bounds (see [`crate::Limits`]) was exceeded.
    LimitExceeded,
}

impl ErrorCode {
    /// The snake_case code, stable across versions.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::UnknownFormat => "unknown_format",
            ErrorCode::Encoding => "encoding",
            ErrorCode::Syntax => "syntax",
            ErrorCode::Missing => "missing",
            ErrorCode::InvalidAmount => "invalid_amount",
            ErrorCode::InvalidDate => "invalid_date",
            ErrorCode::InvalidValue => "invalid_value",
            ErrorCode::ControlTotal => "control_total",
            ErrorCode::RecordCount => "record_count",
            ErrorCode::LimitExceeded => "limit_exceeded",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A file that cannot be read, with where and why.
///
/// The message quotes at most a short prefix of any offending value, so its
/// size does not grow with the input.
///
/// # Example
/// ```
/// use ar_formats::{parse_bai2, ErrorCode};
/// let err = parse_bai2(b"01,BANK,CUST,260301,0800,1,,,2/\n").unwrap_err();
/// assert_eq!(err.code, ErrorCode::Missing);
/// assert_eq!(err.line, 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{}", self.describe())]
pub struct FormatError {
    /// What went wrong.
    pub code: ErrorCode,
    /// The format being read, when known.
    pub format: Option<Format>,
    /// 1-based line of the offending record, tag, segment or element; 0 when
    /// the file has no lines to speak of (an empty input).
    pub line: usize,
    /// The record, tag, segment or element at fault: `record 16`, `:61:`,
    /// `segment RMR #12`, `Ntry/Amt`.
    pub location: String,
    /// What is wrong with it.
    pub message: String,
}

impl FormatError {
    fn describe(&self) -> String {
        let format = self.format.map_or("input", Format::name);
        if self.location.is_empty() {
            format!("{format} line {}: {}", self.line, self.message)
        } else {
            format!(
                "{format} line {} ({}): {}",
                self.line, self.location, self.message
            )
        }
    }
}

/// Result of the parsers.
pub type Result<T> = std::result::Result<T, FormatError>;

/// Longest part of an offending value quoted in a message.
const SHOWN: usize = 40;

/// `value` cut to a short prefix (at a character boundary) for messages.
pub(crate) fn shown(value: &str) -> String {
    if value.len() <= SHOWN {
        return format!("{value:?}");
    }
    let mut end = SHOWN;
    while !value.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    let head = value.get(..end).unwrap_or("");
    format!("{head:?}… ({} bytes)", value.len())
}

/// An error at a byte offset of `input`, its line worked out from the
/// offset (only when an error is raised, so the happy path counts nothing).
pub(crate) struct Locator<'a> {
    pub(crate) input: &'a [u8],
    pub(crate) format: Format,
}

impl Locator<'_> {
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.input.len());
        let before = self.input.get(..end).unwrap_or(&[]);
        let newlines = before.iter().filter(|&&b| b == b'\n').count();
        newlines.saturating_add(1)
    }

    pub(crate) fn at(
        &self,
        offset: usize,
        code: ErrorCode,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> FormatError {
        FormatError {
            code,
            format: Some(self.format),
            line: self.line_of(offset),
            location: location.into(),
            message: message.into(),
        }
    }
}

/// An error at a known line.
pub(crate) fn at_line(
    format: Format,
    line: usize,
    code: ErrorCode,
    location: impl Into<String>,
    message: impl Into<String>,
) -> FormatError {
    FormatError {
        code,
        format: Some(format),
        line,
        location: location.into(),
        message: message.into(),
    }
}
