//! Columns of text in the Arrow layout: one buffer and the offsets where
//! each row ends.

use crate::error::{Error, Result};
use crate::heap::{self, Heap};

/// A column of text, stored as one buffer and offsets (the Arrow layout):
/// no allocation per row, and rows that sit next to each other in memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StrColumn {
    data: String,
    ends: Vec<usize>,
}

impl StrColumn {
    /// An empty column with room for `rows` rows of `bytes` bytes in all.
    pub fn with_capacity(rows: usize, bytes: usize) -> Self {
        StrColumn {
            data: String::with_capacity(bytes),
            ends: Vec::with_capacity(rows),
        }
    }

    /// Appends a row.
    pub fn push(&mut self, value: &str) {
        self.data.push_str(value);
        self.ends.push(self.data.len());
    }

    /// Appends rows laid out as Arrow lays out text: all of them in
    /// `text`, and where each ends in it, in order. Binding code fills a
    /// column this way from an Arrow buffer in one copy.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] on `field` for an end before the previous
    /// one, beyond `text` or inside a character; the column is then as it
    /// was.
    ///
    /// # Example
    /// ```
    /// use ar_core::bulk::StrColumn;
    /// let mut ids = StrColumn::default();
    /// ids.extend_ends("invoices.id", "INV-1INV-22", [5, 11])?;
    /// assert_eq!(ids.get(1), Some("INV-22"));
    /// assert!(ids.extend_ends("invoices.id", "é", [1]).is_err());
    /// assert_eq!(ids.len(), 2);
    /// # Ok::<(), ar_core::Error>(())
    /// ```
    pub fn extend_ends(
        &mut self,
        field: &str,
        text: &str,
        ends: impl IntoIterator<Item = usize>,
    ) -> Result<()> {
        let (base, rows) = (self.data.len(), self.ends.len());
        self.data.push_str(text);
        let mut prev = 0;
        for end in ends {
            if end < prev || !text.is_char_boundary(end) {
                self.data.truncate(base);
                self.ends.truncate(rows);
                return Err(Error::invalid_value(
                    field,
                    end,
                    "text offsets must rise and fall between characters of the text",
                ));
            }
            // `end` is within `text`, now at `base` in `data`: no overflow.
            self.ends.push(base.saturating_add(end));
            prev = end;
        }
        // Text after the last row belongs to none.
        self.data.truncate(base.saturating_add(prev));
        Ok(())
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The first row longer than `limit` bytes, read from the offsets alone.
    pub(crate) fn first_longer_than(&self, limit: usize) -> Option<usize> {
        let mut start = 0usize;
        for (row, &end) in self.ends.iter().enumerate() {
            // Offsets rise (`push`, `extend_ends`): no wrap.
            if end.wrapping_sub(start) > limit {
                return Some(row);
            }
            start = end;
        }
        None
    }

    /// Where row `i` ends in the text.
    pub(crate) fn end(&self, i: usize) -> Option<usize> {
        self.ends.get(i).copied()
    }

    /// Row `i`.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = match i.checked_sub(1) {
            None => 0,
            Some(before) => *self.ends.get(before)?,
        };
        self.data.get(start..end)
    }

    /// The rows in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.get(i).unwrap_or_default())
    }
}

impl<'a> FromIterator<&'a str> for StrColumn {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Self {
        let mut c = StrColumn::default();
        for v in iter {
            c.push(v);
        }
        c
    }
}

impl Heap for StrColumn {
    fn heap(&self) -> usize {
        heap::sum([self.data.capacity(), heap::vec(&self.ends)])
    }
}
