//! What a query sees: a view cuts the log by business date and by recorded
//! time.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Which slice of history a query sees.
///
/// `as_of` keeps events effective on or before that business date;
/// `known_at` keeps events recorded at or before that time. Either may be
/// absent (no limit). "Aging as of 31 October as the books stood at close"
/// is both; "as of 31 October including later back-dated entries" is
/// `as_of` alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct View {
    /// Last effective date included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<NaiveDate>,
    /// Last recorded time included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_at: Option<DateTime<Utc>>,
}

impl View {
    /// Everything the ledger holds.
    pub fn all() -> Self {
        View::default()
    }

    /// Effective on or before `date`.
    pub fn as_of(date: NaiveDate) -> Self {
        View {
            as_of: Some(date),
            known_at: None,
        }
    }

    /// Also limited to what was recorded by `time`.
    pub fn known_at(mut self, time: DateTime<Utc>) -> Self {
        self.known_at = Some(time);
        self
    }
}

/// Where an event sits: its business date and its place in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub eff: NaiveDate,
    pub seq: u64,
}

/// A view's cut through the log: effective on or before `date`, recorded
/// at or before event `seq`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cut {
    pub date: NaiveDate,
    pub seq: u64,
}

impl Cut {
    pub const ALL: Cut = Cut {
        date: NaiveDate::MAX,
        seq: u64::MAX,
    };

    pub fn sees(&self, s: Stamp) -> bool {
        s.eff <= self.date && s.seq <= self.seq
    }

    pub fn sees_opt(&self, s: Option<Stamp>) -> bool {
        s.is_some_and(|s| self.sees(s))
    }

    /// The last of `records` this cut sees, by business date then log
    /// order: of a switch set and reset (a hold placed, lifted), the one in
    /// force.
    pub fn latest<'r, T>(&self, records: &'r [T], at: impl Fn(&T) -> Stamp) -> Option<&'r T> {
        records.iter().filter(|r| self.sees(at(r))).max_by_key(|r| {
            let s = at(r);
            (s.eff, s.seq)
        })
    }
}
