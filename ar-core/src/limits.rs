//! The limits on every count and size a caller controls.
//!
//! Each limit is checked where the input enters the core, and going past it
//! is [`Error::LimitExceeded`] naming the field,
//! the size given and the limit, so that no input can make the library
//! allocate or work without bound. The limits are generous for real books
//! and small enough that the work they allow is measured in milliseconds.
//!
//! | limit | value | counts |
//! |---|---|---|
//! | [`MAX_ID_LEN`](crate::MAX_ID_LEN) | 128 bytes | an id |
//! | [`MAX_TEXT_LEN`] | 65,536 bytes | free text: names, descriptions, reasons, remittance, references |
//! | [`MAX_KEY_LEN`] | 256 bytes | a tax code, a dimension's key or value |
//! | [`MAX_DIMENSIONS`] | 64 | dimensions of a customer or invoice, and keys of a `group_by` |
//! | [`MAX_LINES`] | 10,000 | lines of an invoice or of a credit memo |
//! | [`MAX_TAXES_PER_LINE`] | 16 | taxes on one invoice line |
//! | [`MAX_INSTALLMENTS`] | 366 | portions of payment terms |
//! | [`MAX_BUCKETS`] | 64 | aging bucket bounds |
//! | [`MAX_PERIODS`] | 1,200 | periods of a metrics report, months a countback may look back |
//! | [`MAX_WEIGHTS`] | 1,000,000 | weights of an allocation |
//! | [`MAX_COLLECTION_ITEMS`] | 10,000 | items of a dunning notice, promise or payment plan |
//! | [`MAX_DUNNING_LEVELS`] | 16 | levels of a dunning policy |
//! | [`MAX_POLICIES`] | 1,000 | dunning policies of a setup |
//! | [`MAX_TEMPLATES`] | 1,000 | templates of a dunning setup |
//! | [`MAX_TEMPLATE_LEN`] | 65,536 bytes | one template |
//! | [`MAX_RATES`] | 1,000 | entries of an interest rate table |
//! | [`MAX_CURRENCY_AMOUNTS`] | 256 | amounts per currency of a threshold, fee or compensation |
//! | [`MAX_COMPENSATION_TIERS`] | 16 | tiers of a fixed compensation |

use crate::error::{Error, Result};

/// Free text: customer names, line descriptions, reasons, remittance text,
/// bank references, purchase-order numbers.
pub const MAX_TEXT_LEN: usize = 65_536;

/// A short key: a tax code, a dimension's key or value.
pub const MAX_KEY_LEN: usize = 256;

/// Dimensions of one customer or invoice; keys of one `group_by`.
pub const MAX_DIMENSIONS: usize = 64;

/// Lines of one invoice or credit memo.
pub const MAX_LINES: usize = 10_000;

/// Taxes on one invoice line.
pub const MAX_TAXES_PER_LINE: usize = 16;

/// Portions (installments) of one set of payment terms.
pub const MAX_INSTALLMENTS: usize = 366;

/// Bucket bounds of one aging report.
pub const MAX_BUCKETS: usize = 64;

/// Periods of one metrics report, and months a countback DSO may look back.
pub const MAX_PERIODS: usize = 1_200;

/// Weights of one allocation.
pub const MAX_WEIGHTS: usize = 1_000_000;

/// Items of one dunning notice, promise to pay or payment plan.
pub const MAX_COLLECTION_ITEMS: usize = 10_000;

/// Levels of one dunning policy.
pub const MAX_DUNNING_LEVELS: usize = 16;

/// Policies of one dunning setup.
pub const MAX_POLICIES: usize = 1_000;

/// Templates of one dunning setup.
pub const MAX_TEMPLATES: usize = 1_000;

/// Bytes of one template.
pub const MAX_TEMPLATE_LEN: usize = 65_536;

/// Entries of one interest rate table.
pub const MAX_RATES: usize = 1_000;

/// Amounts (one per currency) of a threshold, a fee or a compensation.
pub const MAX_CURRENCY_AMOUNTS: usize = 256;

/// Tiers of one fixed compensation.
pub const MAX_COMPENSATION_TIERS: usize = 16;

/// `Err(LimitExceeded)` when `count` is over `limit`.
///
/// # Errors
/// [`Error::LimitExceeded`] naming `field`.
pub(crate) fn check_count(field: &str, count: usize, limit: usize) -> Result<()> {
    if count > limit {
        return Err(Error::LimitExceeded {
            field: field.to_owned(),
            count: u64::try_from(count).unwrap_or(u64::MAX),
            limit: u64::try_from(limit).unwrap_or(u64::MAX),
        });
    }
    Ok(())
}

/// `Err(LimitExceeded)` when `text` is longer than `limit` bytes.
///
/// # Errors
/// [`Error::LimitExceeded`] naming `field`.
pub(crate) fn check_len(field: &str, text: &str, limit: usize) -> Result<()> {
    check_count(field, text.len(), limit)
}

/// Checks a map of dimensions: how many, and the length of each key and
/// value.
///
/// # Errors
/// [`Error::LimitExceeded`] naming `field` (and the key at fault).
pub(crate) fn check_dimensions<'a>(
    field: &str,
    dimensions: impl ExactSizeIterator<Item = (&'a String, &'a String)>,
) -> Result<()> {
    check_count(field, dimensions.len(), MAX_DIMENSIONS)?;
    for (k, v) in dimensions {
        check_len(&format!("{field}.key"), k, MAX_KEY_LEN)?;
        check_len(
            &format!("{field}[{}]", crate::error::shown(k)),
            v,
            MAX_KEY_LEN,
        )?;
    }
    Ok(())
}
