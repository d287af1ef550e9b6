//! Confidence tiers, 0 to 100. Fixed tiers rather than learned weights, so
//! every score can be explained by the evidence behind it and tested.
//!
//! Table arrays are indexed by the fit: exact, discount in window, late
//! discount, tolerated short pay.

/// Every item named by a creditor reference with valid check digits, exact.
pub const CREDITOR_EXACT: u8 = 100;
/// The items referred to, exactly what they have open.
pub const REF_EXACT: u8 = 99;
/// The items referred to, less the discounts still in window.
pub const REF_DISCOUNT: u8 = 97;
/// The items referred to, short within the tolerance.
pub const REF_TOLERATED: u8 = 94;
/// The items referred to, less discounts whose window has passed.
pub const REF_LATE_DISCOUNT: u8 = 90;
/// The items referred to, and more: the rest stays unapplied.
pub const REF_OVER: u8 = 88;
/// One invoice referred to, paid in part.
pub const REF_SHORT_ONE: u8 = 88;
/// Several invoices referred to, paid in part: the cash fills them oldest
/// first, which is a convention, so below one invoice paid in part.
pub const REF_SHORT_MANY: u8 = 86;
/// Some of the items referred to fit.
pub const REF_SUBSET: [u8; 4] = [92, 90, 84, 87];
/// The items referred to and unlisted ones fit.
pub const REF_UNLISTED: u8 = 86;
/// References with a typing error, corroborated by the amount.
pub const FUZZY: [u8; 4] = [90, 89, 80, 86];
/// The amount alone fits one item.
pub const SINGLE: [u8; 4] = [88, 86, 86, 85];
/// The amount alone fits a run of invoices due one after the other.
pub const RUN: u8 = 86;
/// The amount alone fits a combination.
pub const COMBINATION: [u8; 4] = [88, 86, 78, 80];
/// Cap when the remittance and the amount point different ways.
pub const CONFLICT: u8 = 80;
/// Cap when the search stopped at a bound: others may fit as well.
pub const LIMITED: u8 = 80;
/// Cap when only the amount suggests who paid.
pub const PAYER_BY_AMOUNT: u8 = 70;
/// Cap when a disputed item is involved.
pub const DISPUTED: u8 = 70;
/// Reference evidence this strong makes the amount-only search moot.
pub const STRONG: u8 = 88;
