//! Collections: dunning policies and runs, late-payment interest and
//! fees, disputes, promises to pay and payment plans.
//!
//! The records (notices sent, disputes, promises, plans, holds, charge
//! notes) are commands and events like any other; a dunning run, the
//! interest on an item and the status of a promise or plan are queries
//! over them, as of a date and as known at a time. See `DESIGN.md`,
//! section "Collections", for the decisions.

mod charge;
mod dispute;
pub mod dunning;
pub mod interest;
mod notice;
mod plan;
pub mod policy;
mod promise;
pub mod render;
pub mod status;

pub use dunning::{
    DunningNotice, DunningRun, DunningSkip, ExcludedItem, Exclusion, InterestLine, NoticeLine,
    SkipReason,
};
pub use interest::{
    discount_cost, discount_cost_of_terms, late_interest, Compensation, CompensationLine,
    CompensationTier, DayCount, DiscountCost, InterestRule, InterestSegment, LateInterest,
    PrincipalChange, RateBasis, RateEntry, RateMode,
};
pub use policy::{ClearingOrder, DunningLevel, DunningPolicy, DunningSetup};
pub use render::{format_amount, render_notice};
pub use status::{
    DisputeGroup, DisputeSummaryRow, DisputeView, PlanStatus, PlanView, PromiseStatus, PromiseView,
};

use crate::collection_records::ItemRef;
use crate::decide::Decider;
use crate::error::{Error, Result};
use crate::state::{InvoiceState, State};

/// The installment columns an item names, checked against its invoice.
///
/// # Errors
/// [`Error::InvalidValue`] naming `field` for an installment the invoice
/// does not have.
pub(crate) fn columns_of(inv: &InvoiceState, item: &ItemRef, field: &str) -> Result<Vec<u32>> {
    let count = u32::try_from(inv.installments.len()).unwrap_or(u32::MAX);
    match item.installment {
        None => Ok((0..count)
            .map(|i| inv.first_inst.saturating_add(i))
            .collect()),
        Some(n) if n >= 1 && n <= count => {
            Ok(vec![inv.first_inst.saturating_add(n.saturating_sub(1))])
        }
        Some(n) => Err(Error::invalid_value(
            &format!("{field}.installment"),
            n,
            &format!("invoice {} has installments 1 to {count}", inv.invoice.id),
        )),
    }
}

/// The invoice row and installment number (1-based) of installment
/// column `col`.
pub(crate) fn installment_at(state: &State, col: u32) -> Option<(&InvoiceState, u32)> {
    let inv_row = state.cols.inst_invoice.get(col as usize)?;
    let inv = state.invoices.at(*inv_row as usize)?;
    let n = col.checked_sub(inv.first_inst)?.checked_add(1)?;
    Some((inv, n))
}

impl Decider<'_> {
    /// The live invoices of `items`, all of `customer`'s and in one
    /// currency, with their installment columns; no item twice.
    pub(crate) fn items_of(
        &self,
        field: &str,
        customer: &crate::id::CustomerId,
        items: &[ItemRef],
    ) -> Result<(Option<crate::currency::Currency>, Vec<u32>)> {
        let mut currency = None;
        let mut cols: Vec<u32> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        if items.is_empty() {
            return Err(Error::invalid_value(
                field,
                "[]",
                "at least one item is required",
            ));
        }
        crate::limits::check_count(field, items.len(), crate::limits::MAX_COLLECTION_ITEMS)?;
        for (i, item) in items.iter().enumerate() {
            let f = format!("{field}[{i}]");
            let inv = self.live_invoice(&format!("{f}.invoice"), &item.invoice)?;
            if &inv.invoice.customer != customer {
                return Err(Error::CustomerMismatch {
                    field: format!("{f}.invoice"),
                    expected: customer.to_string(),
                    found: inv.invoice.customer.to_string(),
                });
            }
            match currency {
                None => currency = Some(inv.invoice.currency),
                Some(c) if c != inv.invoice.currency => {
                    return Err(Error::CurrencyMismatch {
                        field: format!("{f}.invoice"),
                        expected: c.code().into(),
                        found: inv.invoice.currency.code().into(),
                    })
                }
                Some(_) => {}
            }
            for c in columns_of(inv, item, &f)? {
                if !seen.insert(c) {
                    return Err(Error::invalid_value(
                        &f,
                        &item.invoice,
                        "names an installment already named",
                    ));
                }
                cols.push(c);
            }
        }
        Ok((currency, cols))
    }
}
