//! Progress of a long operation, for a progress bar or a way to stop.

use std::ops::ControlFlow;

use crate::error::{Error, Result};

/// How far a long operation (a build from tables, a log read back) has come.
///
/// The operation calls its observer every [`Progress::STEP`] units of work
/// and once at the end; the observer returns [`ControlFlow::Break`] to stop
/// it, and the operation then returns [`Error::Interrupted`] and makes
/// nothing.
///
/// # Example
///
/// ```
/// use std::ops::ControlFlow;
/// use ar_core::import::LedgerTables;
/// use ar_core::{Ledger, Progress};
///
/// let mut seen = Vec::new();
/// let at = "2026-06-01T00:00:00Z".parse().unwrap();
/// let ledger = Ledger::from_tables_with_progress(&LedgerTables::default(), at, &mut |p: Progress| {
///     seen.push((p.done, p.total));
///     ControlFlow::Continue(())
/// })?;
/// assert_eq!(seen, [(0, 0)]);
/// assert!(ledger.events().is_empty());
/// # Ok::<(), ar_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Units done: table rows executed, events read back.
    pub done: u64,
    /// Units in all.
    pub total: u64,
}

impl Progress {
    /// Units of work between two calls of the observer: often enough for a
    /// bar that moves every few tens of milliseconds, rare enough to cost
    /// nothing measurable.
    pub const STEP: u64 = 65_536;
}

/// The observer of a long operation: told its [`Progress`], it says whether
/// to go on.
pub type Observer<'a> = &'a mut dyn FnMut(Progress) -> ControlFlow<()>;

/// Counts units of work and tells the observer every [`Progress::STEP`].
pub(crate) struct Meter<'a> {
    observer: Observer<'a>,
    done: u64,
    total: u64,
    next: u64,
}

impl<'a> Meter<'a> {
    /// A meter of `total` units.
    pub(crate) fn new(observer: Observer<'a>, total: usize) -> Self {
        let total = u64::try_from(total).unwrap_or(u64::MAX);
        Meter {
            observer,
            done: 0,
            total,
            next: Progress::STEP,
        }
    }

    /// Counts `units` more; tells the observer when a step is passed.
    ///
    /// # Errors
    ///
    /// [`Error::Interrupted`] when the observer asks to stop.
    pub(crate) fn add(&mut self, units: usize) -> Result<()> {
        self.done = self
            .done
            .saturating_add(u64::try_from(units).unwrap_or(u64::MAX));
        if self.done >= self.next {
            self.next = self.done.saturating_add(Progress::STEP);
            self.tell()?;
        }
        Ok(())
    }

    /// Tells the observer where the work stands (at the end, say).
    ///
    /// # Errors
    ///
    /// [`Error::Interrupted`] when the observer asks to stop.
    pub(crate) fn tell(&mut self) -> Result<()> {
        let progress = Progress {
            done: self.done,
            total: self.total,
        };
        match (self.observer)(progress) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(Error::Interrupted {
                done: self.done,
                total: self.total,
            }),
        }
    }
}

/// An observer that lets everything run.
pub(crate) fn unobserved(_: Progress) -> ControlFlow<()> {
    ControlFlow::Continue(())
}
