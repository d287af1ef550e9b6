//! Recording a dunning notice as sent, and collections holds.

use std::sync::Arc;

use chrono::NaiveDate;
use smallvec::smallvec;

use crate::collection_records::{ItemRef, NoticeRecord};
use crate::decide::{date_before, duplicate, Decided, Decider};
use crate::error::{Error, Result};
use crate::event::Event;
use crate::id::CustomerId;
use crate::limits::{check_count, MAX_COLLECTION_ITEMS, MAX_DUNNING_LEVELS};
use crate::state::{dup, idx, missing, Hold, NoticeState, State};
use crate::view::Stamp;

use super::columns_of;

impl Decider<'_> {
    pub(crate) fn record_dunning_notice(
        &self,
        notice: NoticeRecord,
        date: NaiveDate,
    ) -> Result<Decided> {
        if self.state.collections.notices.contains(&notice.id) {
            return Err(duplicate("notice.id", "notice", notice.id.as_str()));
        }
        self.customer("notice.customer", &notice.customer)?;
        let max = u32::try_from(MAX_DUNNING_LEVELS).unwrap_or(u32::MAX);
        if notice.level == 0 || notice.level > max {
            return Err(Error::invalid_value(
                "notice.level",
                notice.level,
                &format!("levels run from 1 to {max}"),
            ));
        }
        if notice.items.is_empty() {
            return Err(Error::invalid_value(
                "notice.items",
                "[]",
                "a notice reminds of at least one item",
            ));
        }
        check_count("notice.items", notice.items.len(), MAX_COLLECTION_ITEMS)?;
        let mut seen = std::collections::HashSet::new();
        let mut top = 0;
        for (i, item) in notice.items.iter().enumerate() {
            let f = format!("notice.items[{i}]");
            let inv = self.live_invoice(&format!("{f}.invoice"), &item.invoice)?;
            if inv.invoice.customer != notice.customer {
                return Err(Error::CustomerMismatch {
                    field: format!("{f}.invoice"),
                    expected: notice.customer.to_string(),
                    found: inv.invoice.customer.to_string(),
                });
            }
            if inv.invoice.currency != notice.currency {
                return Err(Error::CurrencyMismatch {
                    field: format!("{f}.invoice"),
                    expected: notice.currency.code().into(),
                    found: inv.invoice.currency.code().into(),
                });
            }
            let cols = columns_of(
                inv,
                &ItemRef::installment(item.invoice.clone(), item.installment),
                &f,
            )?;
            if cols.iter().any(|c| !seen.insert(*c)) {
                return Err(Error::invalid_value(
                    &f,
                    &item.invoice,
                    "names an installment already named",
                ));
            }
            if item.level == 0 || item.level > notice.level {
                return Err(Error::invalid_value(
                    &format!("{f}.level"),
                    item.level,
                    &format!(
                        "an item's level runs from 1 to the notice's {}",
                        notice.level
                    ),
                ));
            }
            top = top.max(item.level);
            let live_from = inv.finalized.map_or(inv.issued.eff, |s| s.eff);
            if date < live_from {
                return Err(date_before(
                    "date",
                    date,
                    format!("invoice {}", item.invoice),
                    live_from,
                ));
            }
        }
        if top != notice.level {
            return Err(Error::invalid_value(
                "notice.level",
                notice.level,
                &format!("is the highest of its items' levels, {top}"),
            ));
        }
        Ok(smallvec![(
            date,
            Event::DunningNoticeRecorded {
                notice: Arc::new(notice),
            },
        )])
    }

    pub(crate) fn set_collections_hold(
        &self,
        customer: CustomerId,
        hold: bool,
        date: NaiveDate,
        reason: String,
    ) -> Result<Decided> {
        self.customer("customer", &customer)?;
        Ok(smallvec![(
            date,
            Event::CollectionsHoldSet {
                customer,
                hold,
                reason,
            },
        )])
    }
}

impl State {
    /// Folds `dunning_notice_recorded`.
    pub(crate) fn fold_notice_recorded(
        &mut self,
        at: Stamp,
        notice: &Arc<NoticeRecord>,
    ) -> Result<()> {
        if self.collections.notices.contains(&notice.id) {
            return Err(dup("notice", notice.id.as_str()));
        }
        let customer = self
            .customers
            .index_of(&notice.customer)
            .ok_or_else(|| missing("customer", notice.customer.as_str()))?;
        // Every reference is resolved before anything changes.
        let mut cols = Vec::with_capacity(notice.items.len());
        for item in &notice.items {
            let inv = self
                .invoices
                .get(&item.invoice)
                .ok_or_else(|| missing("invoice", item.invoice.as_str()))?;
            let item_ref = ItemRef::installment(item.invoice.clone(), item.installment);
            let col = columns_of(inv, &item_ref, "notice.items")
                .map_err(|e| Error::corrupt(e.to_string()))?;
            cols.extend(col.into_iter().map(|c| (c, item.level)));
        }
        let row = idx(self.collections.notices.len());
        let c = &mut self.collections;
        for (col, level) in cols {
            c.levels.entry(col).or_default().push((row, level));
        }
        c.notices_of.entry(idx(customer)).or_default().push(row);
        c.notices.insert(
            notice.id.clone(),
            NoticeState {
                notice: notice.clone(),
                at,
            },
        );
        Ok(())
    }

    /// Folds `collections_hold_set`.
    pub(crate) fn fold_hold_set(
        &mut self,
        at: Stamp,
        customer: &CustomerId,
        hold: bool,
        reason: &str,
    ) -> Result<()> {
        let row = self
            .customers
            .index_of(customer)
            .ok_or_else(|| missing("customer", customer.as_str()))?;
        self.collections
            .holds
            .entry(idx(row))
            .or_default()
            .push(Hold {
                at,
                hold,
                reason: reason.to_owned(),
            });
        Ok(())
    }
}
