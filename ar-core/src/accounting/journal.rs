//! Journal entries derived from the log: one entry per event that moves
//! money, never stored twice.
//!
//! The entries are made walking the events in log order. Each line carries
//! its amount in the document's currency and in the functional currency
//! (when a rate table is given); every entry balances in both. An entry
//! that reverses another (an unapplication, a void, a write-off reversed)
//! is that entry's lines with debit and credit swapped, so that reversals
//! cancel to the cent whatever the rates.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use super::rates::RateTable;
use super::rules::{Accounts, Context, PostingRules, Role};
use crate::credit_memo::{CreditKind, CreditMemo};
use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::event::{Allocation, Event, EventEnvelope};
use crate::id::DocumentId;
use crate::invoice::{DiscountSplit, Invoice};
use crate::kinds::Source;
use crate::money::{neg, OrOverflow, RoundingPolicy};
use crate::receipt::Receipt;
use crate::state::{SourceDoc, State};
use crate::view::Cut;

/// One line of a journal entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JournalLine {
    /// The account.
    pub account: Arc<str>,
    /// What the line stands for.
    pub role: Role,
    /// The document's currency.
    pub currency: Currency,
    /// Amount in the document's currency: positive a debit, negative a
    /// credit.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
    /// Amount in the functional currency (the document's own when the
    /// journal has none), same sign.
    #[serde(with = "crate::serde_decimal")]
    pub functional: Decimal,
    /// The document the line is about: an invoice, receipt or credit memo
    /// id.
    pub document: DocumentId,
}

impl JournalLine {
    /// The debit in the document's currency (zero for a credit).
    pub fn debit(&self) -> Decimal {
        self.amount.max(Decimal::ZERO)
    }

    /// The credit in the document's currency (zero for a debit).
    pub fn credit(&self) -> Decimal {
        neg(self.amount.min(Decimal::ZERO))
    }
}

/// The entry of one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JournalEntry {
    /// The event's place in the log.
    pub seq: u64,
    /// Its business date.
    pub effective: NaiveDate,
    /// The event: `invoice_issued`, `applied`, ... (`revaluation_reversed`
    /// for the reversal of a revaluation, dated the next day).
    pub event: Cow<'static, str>,
    /// The record the event creates or changes (an application id, ...).
    pub subject: DocumentId,
    /// The lines: debits and credits sum to zero in the document's
    /// currency and in the functional currency.
    pub lines: Vec<JournalLine>,
}

/// How to derive a journal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalOptions {
    /// The chart-of-accounts mapping.
    #[serde(default)]
    pub rules: PostingRules,
    /// Rates into the functional currency, when the book has one: each
    /// document is converted at its own date's rate and settlements book
    /// realized exchange differences. Without, a line's functional amount
    /// is its document amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rates: Option<RateTable>,
}

/// A journal: the entries, in log order (a revaluation's reversal right
/// after it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Journal {
    /// The functional currency, when the journal was derived with rates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub functional: Option<Currency>,
    /// The entries.
    pub entries: Vec<JournalEntry>,
}

/// The header of [`Journal::to_csv`].
const CSV_HEADER: &str =
    "seq,effective,event,subject,document,account,role,currency,amount,functional";

/// `field` as a CSV field (RFC 4180): quoted, with its quotes doubled, when
/// it holds a comma, a quote or a line break; as is otherwise.
fn csv_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

impl Journal {
    /// The journal as CSV (RFC 4180, CRLF line ends): a header, then one
    /// row per line of each entry, in order: `seq`, `effective`, `event`,
    /// `subject`, `document`, `account`, `role`, `currency`, `amount`
    /// (document currency, debit positive, credit negative) and
    /// `functional` (same sign). Amounts are exact decimal text; text
    /// fields are written as they are (quoted where CSV needs it), so a
    /// value beginning with `=` stays one: a spreadsheet should import the
    /// file as text.
    ///
    /// # Example
    /// ```
    /// use ar_core::accounting::Journal;
    /// assert_eq!(
    ///     Journal::default().to_csv(),
    ///     "seq,effective,event,subject,document,account,role,currency,amount,functional\r\n"
    /// );
    /// ```
    pub fn to_csv(&self) -> String {
        // About 80 bytes a line; one reservation for the usual journal.
        let lines: usize = self.entries.iter().map(|e| e.lines.len()).sum();
        let mut out = String::with_capacity(lines.saturating_mul(80).saturating_add(96));
        out.push_str(CSV_HEADER);
        out.push_str("\r\n");
        for e in &self.entries {
            let head = [
                &e.seq.to_string(),
                &e.effective.to_string(),
                &*e.event,
                e.subject.as_str(),
            ];
            for l in &e.lines {
                let fields = [
                    l.document.as_str(),
                    &l.account,
                    l.role.name(),
                    l.currency.code(),
                    &l.amount.to_string(),
                    &l.functional.to_string(),
                ];
                for (i, f) in head.into_iter().chain(fields).enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    csv_field(&mut out, f);
                }
                out.push_str("\r\n");
            }
        }
        out
    }
}

/// An open amount and what it is carried at in the functional currency.
#[derive(Debug, Clone, Copy, Default)]
struct Carried {
    currency: Option<Currency>,
    open: Decimal,
    functional: Decimal,
}

/// The walk through the log.
struct Walker<'a> {
    state: &'a State,
    rules: &'a PostingRules,
    rates: Option<&'a RateTable>,
    accounts: Accounts,
    /// Whether any override is by a customer dimension.
    by_dimension: bool,
    /// The account of each role where no override names the role (most
    /// lines), by `Role as usize`.
    plain: Vec<Option<Arc<str>>>,
    entries: Vec<JournalEntry>,
    /// Per document (by key): open amount and functional carried, when
    /// converting.
    carried: HashMap<String, Carried>,
    /// Quantity credited so far per invoice line (invoice id -> lines).
    credited: HashMap<String, Vec<Decimal>>,
    /// The allowance booked so far per currency.
    allowance: HashMap<Currency, Decimal>,
}

fn key(kind: char, id: &str) -> String {
    let mut k = String::with_capacity(id.len().saturating_add(2));
    k.push(kind);
    k.push(':');
    k.push_str(id);
    k
}

fn source_key(source: &Source) -> String {
    match source {
        Source::Receipt(id) => key('r', id.as_str()),
        Source::CreditMemo(id) => key('c', id.as_str()),
    }
}

/// Lines of an entry being made.
type Lines = SmallVec<[JournalLine; 4]>;

impl<'a> Walker<'a> {
    fn functional_minor(&self) -> Option<u32> {
        self.rates.map(|r| r.functional().minor_units())
    }

    /// `amount` of `currency` at `date`'s rate, rounded once.
    fn convert(&self, amount: Decimal, currency: Currency, date: NaiveDate) -> Result<Decimal> {
        let (Some(rates), Some(minor)) = (self.rates, self.functional_minor()) else {
            return Ok(amount);
        };
        let rate = rates.rate(currency, date)?;
        let exact = amount.checked_mul(rate).or_overflow("rates")?;
        RoundingPolicy::default().round_checked("rates", exact, minor)
    }

    fn line(
        &mut self,
        role: Role,
        ctx: &Context<'_>,
        currency: Currency,
        amount: Decimal,
        functional: Decimal,
        document: &str,
    ) -> JournalLine {
        let plain = self.plain.get(role as usize).and_then(Option::as_ref);
        let account = match plain {
            Some(a) => a.clone(),
            None => self.accounts.get(self.rules.account(role, ctx)),
        };
        let document = DocumentId::of(document);
        JournalLine {
            account,
            role,
            currency,
            amount,
            functional,
            document,
        }
    }

    /// Takes `amount` off the document `k`'s open amount: what it was
    /// carried at in the functional currency (all that is left when it
    /// closes the document), and the residue that closing leaves beyond
    /// `amount` at `rate_date`'s rate.
    fn take(
        &mut self,
        k: impl FnOnce() -> String,
        amount: Decimal,
        currency: Currency,
        rate_date: NaiveDate,
    ) -> Result<(Decimal, Decimal)> {
        let at_rate = self.convert(amount, currency, rate_date)?;
        if self.rates.is_none() {
            return Ok((amount, Decimal::ZERO));
        }
        let c = self.carried.entry(k()).or_default();
        let functional = if amount >= c.open {
            c.functional
        } else {
            at_rate
        };
        c.open = c.open.checked_sub(amount).or_overflow("journal")?;
        c.functional = c
            .functional
            .checked_sub(functional)
            .or_overflow("journal")?;
        let residue = functional.checked_sub(at_rate).or_overflow("journal")?;
        Ok((functional, residue))
    }

    /// Puts back what [`Walker::take`] took (a reversal).
    fn put(
        &mut self,
        k: impl FnOnce() -> String,
        amount: Decimal,
        functional: Decimal,
    ) -> Result<()> {
        if self.rates.is_none() {
            return Ok(());
        }
        let c = self.carried.entry(k()).or_default();
        c.open = c.open.checked_add(amount).or_overflow("journal")?;
        c.functional = c
            .functional
            .checked_add(functional)
            .or_overflow("journal")?;
        Ok(())
    }

    /// A line on the rounding or exchange accounts that balances `lines`
    /// in the functional currency, when they do not.
    fn balance(
        &mut self,
        lines: &mut Lines,
        fx: bool,
        currency: Currency,
        document: &str,
    ) -> Result<()> {
        let sum = lines
            .iter()
            .try_fold(Decimal::ZERO, |s, l| s.checked_add(l.functional))
            .or_overflow("journal")?;
        if sum.is_zero() {
            return Ok(());
        }
        // Debits exceed credits: the difference is credited (a gain);
        // otherwise debited (a loss).
        let role = match (fx, sum.is_sign_positive()) {
            (true, true) => Role::FxGain,
            (true, false) => Role::FxLoss,
            (false, _) => Role::Rounding,
        };
        let ctx = Context {
            currency: Some(currency),
            ..Context::default()
        };
        let line = self.line(role, &ctx, currency, Decimal::ZERO, neg(sum), document);
        lines.push(line);
        Ok(())
    }

    fn push(&mut self, env: &EventEnvelope, lines: Lines) {
        if lines.is_empty() {
            return;
        }
        let subject = DocumentId::of(env.event.subject());
        self.entries.push(JournalEntry {
            seq: env.seq,
            effective: env.effective,
            event: Cow::Borrowed(env.event.name()),
            subject,
            lines: lines.into_vec(),
        });
    }

    /// The entry made by the event at `seq` with every line swapped.
    fn reversal_of(&mut self, seq: u64) -> Result<Lines> {
        let at = self
            .entries
            .binary_search_by_key(&seq, |e| e.seq)
            .map_err(|_| Error::corrupt(format!("no journal entry for event {seq}")))?;
        let original = self
            .entries
            .get(at)
            .map(|e| e.lines.clone())
            .unwrap_or_default();
        Ok(original
            .into_iter()
            .map(|mut l| {
                l.amount = neg(l.amount);
                l.functional = neg(l.functional);
                l
            })
            .collect())
    }

    fn dimensions(
        &self,
        customer: &crate::id::CustomerId,
        seq: u64,
    ) -> Option<&'a std::collections::BTreeMap<String, String>> {
        // Only overrides by a customer dimension read them: without any,
        // no lookup.
        if !self.by_dimension {
            return None;
        }
        let row = self.state.customers.index_of(customer)?;
        self.state.customer_at(row, seq).map(|c| &c.dimensions)
    }

    fn invoice(&self, id: &crate::id::InvoiceId) -> Result<&'a Arc<Invoice>> {
        self.state
            .invoices
            .get(id)
            .map(|s| &s.invoice)
            .ok_or_else(|| Error::corrupt(format!("unknown invoice {id}")))
    }

    fn source_doc(&self, source: &Source) -> Result<&'a SourceDoc> {
        self.state
            .source(source)
            .map(|s| &s.doc)
            .ok_or_else(|| Error::corrupt(format!("unknown {} {}", source.kind(), source.id())))
    }

    /// The entry of an invoice becoming receivable.
    fn invoice_entry(&mut self, env: &EventEnvelope, invoice: &Invoice) -> Result<()> {
        let c = invoice.currency;
        let dims = self.dimensions(&invoice.customer, env.seq);
        let ctx = Context {
            dimensions: dims,
            currency: Some(c),
            ..Context::default()
        };
        let doc = invoice.id.as_str();
        let date = invoice.date;
        let mut lines = Lines::new();
        let receivable = invoice.opening_open.unwrap_or(invoice.totals.total);
        let f = self.convert(receivable, c, date)?;
        let l = self.line(Role::Receivable, &ctx, c, receivable, f, doc);
        lines.push(l);
        if invoice.opening_open.is_some() {
            let l = self.line(Role::OpeningBalance, &ctx, c, neg(receivable), neg(f), doc);
            lines.push(l);
        } else {
            // Interest and fee notes earn income of their own, not sales.
            let income = match invoice.charge.as_ref().map(|ch| ch.kind) {
                Some(crate::collection_records::ChargeKind::Interest) => Role::InterestIncome,
                Some(crate::collection_records::ChargeKind::Fee) => Role::FeeIncome,
                None => Role::Revenue,
            };
            for line in &invoice.totals.lines {
                if line.net.is_zero() {
                    continue;
                }
                let f = self.convert(line.net, c, date)?;
                let l = self.line(income, &ctx, c, neg(line.net), neg(f), doc);
                lines.push(l);
            }
            for tax in &invoice.totals.taxes {
                if tax.tax.is_zero() {
                    continue;
                }
                let tctx = Context {
                    tax_code: Some(tax.code.as_str()),
                    ..ctx
                };
                let f = self.convert(tax.tax, c, date)?;
                let l = self.line(Role::TaxPayable, &tctx, c, neg(tax.tax), neg(f), doc);
                lines.push(l);
            }
        }
        self.balance(&mut lines, false, c, doc)?;
        if self.rates.is_some() {
            self.carried.insert(
                key('i', doc),
                Carried {
                    currency: Some(c),
                    open: receivable,
                    functional: f,
                },
            );
        }
        self.push(env, lines);
        Ok(())
    }

    /// Lines debiting a split's net to `role` and its tax to each code.
    #[allow(clippy::too_many_arguments)]
    fn split_lines(
        &mut self,
        lines: &mut Lines,
        split: &DiscountSplit,
        role: Role,
        ctx: &Context<'_>,
        currency: Currency,
        date: NaiveDate,
        doc: &str,
    ) -> Result<()> {
        if !split.net.is_zero() {
            let f = self.convert(split.net, currency, date)?;
            let l = self.line(role, ctx, currency, split.net, f, doc);
            lines.push(l);
        }
        for t in &split.taxes {
            if t.tax.is_zero() {
                continue;
            }
            let tctx = Context {
                tax_code: Some(t.code.as_str()),
                ..*ctx
            };
            let f = self.convert(t.tax, currency, date)?;
            let l = self.line(Role::TaxPayable, &tctx, currency, t.tax, f, doc);
            lines.push(l);
        }
        Ok(())
    }

    /// How a credit memo splits into net and tax: by the lines it credits,
    /// in proportion to its invoice, or all net when standalone.
    fn memo_split(&mut self, memo: &CreditMemo, sign: Decimal) -> Result<DiscountSplit> {
        let all_net = || DiscountSplit {
            amount: memo.amount,
            net: memo.amount,
            tax: Decimal::ZERO,
            taxes: Vec::new(),
        };
        let Some(inv_id) = &memo.against else {
            return Ok(all_net());
        };
        let invoice = self.invoice(inv_id)?;
        let CreditKind::Lines { lines } = &memo.kind else {
            return invoice.tax_split(memo.amount);
        };
        // Each credited line's tax share of the quantities credited, as the
        // memo's amount took its gross share: the first q units' share,
        // rounded, less that of those credited before.
        let done = self
            .credited
            .entry(inv_id.to_string())
            .or_insert_with(|| vec![Decimal::ZERO; invoice.lines.len()]);
        let policy = invoice.rounding;
        let minor = invoice.currency.minor_units();
        let mut tax_by_code: std::collections::BTreeMap<String, Decimal> = Default::default();
        let mut tax = Decimal::ZERO;
        for cl in lines {
            let i = usize::try_from(cl.line).unwrap_or(usize::MAX);
            let (Some(line), Some(totals), Some(d)) = (
                invoice.lines.get(i),
                invoice.totals.lines.get(i),
                done.get_mut(i),
            ) else {
                continue;
            };
            let q = cl.quantity.unwrap_or_default();
            let share = |units: Decimal| -> Result<Decimal> {
                let exact = totals
                    .tax
                    .checked_mul(units)
                    .and_then(|x| x.checked_div(line.quantity))
                    .or_overflow("journal")?;
                policy.round_checked("journal", exact, minor)
            };
            let (before, after) = if sign.is_sign_positive() {
                (*d, d.checked_add(q).or_overflow("journal")?)
            } else {
                (d.checked_sub(q).or_overflow("journal")?, *d)
            };
            let part = share(after)?
                .checked_sub(share(before)?)
                .or_overflow("journal")?;
            *d = if sign.is_sign_positive() {
                after
            } else {
                before
            };
            tax = tax.checked_add(part).or_overflow("journal")?;
            // A line's tax goes to its codes by their rates.
            let rates: Vec<Decimal> = line.taxes.iter().map(|t| t.rate).collect();
            if rates.iter().any(|r| !r.is_zero()) && !part.is_zero() {
                let parts = crate::money::allocate(part, &rates, minor)?;
                for (t, p) in line.taxes.iter().zip(parts) {
                    let e = tax_by_code.entry(t.code.clone()).or_default();
                    *e = e.checked_add(p).or_overflow("journal")?;
                }
            }
        }
        let net = memo.amount.checked_sub(tax).or_overflow("journal")?;
        let taxes = invoice
            .totals
            .taxes
            .iter()
            .filter_map(|t| {
                tax_by_code
                    .get(&t.code)
                    .map(|tax| crate::invoice::TaxTotal {
                        code: t.code.clone(),
                        rate: t.rate,
                        taxable: Decimal::ZERO,
                        tax: *tax,
                    })
            })
            .collect();
        Ok(DiscountSplit {
            amount: memo.amount,
            net,
            tax,
            taxes,
        })
    }

    fn step(&mut self, env: &EventEnvelope) -> Result<()> {
        let date = env.effective;
        match &env.event {
            Event::InvoiceIssued { invoice } if !invoice.draft => {
                self.invoice_entry(env, invoice)?;
            }
            Event::InvoiceFinalized { invoice } => {
                let invoice = self.invoice(invoice)?.clone();
                self.invoice_entry(env, &invoice)?;
            }
            Event::InvoiceVoided { invoice, .. } => {
                let state = self
                    .state
                    .invoices
                    .get(invoice)
                    .ok_or_else(|| Error::corrupt(format!("unknown invoice {invoice}")))?;
                // A draft voided was never receivable.
                let Some(live) = state.finalized else {
                    return Ok(());
                };
                let lines = self.reversal_of(live.seq)?;
                if let Some(r) = lines.iter().find(|l| l.role == Role::Receivable) {
                    let (amount, functional) = (r.amount, r.functional);
                    self.put(|| key('i', invoice.as_str()), amount, functional)?;
                }
                self.push(env, lines);
            }
            Event::ReceiptRecorded { receipt } => self.receipt_entry(env, receipt)?,
            Event::ReceiptVoided { receipt, .. } => {
                let created = self
                    .state
                    .receipts
                    .get(receipt)
                    .map(|s| s.created.seq)
                    .ok_or_else(|| Error::corrupt(format!("unknown receipt {receipt}")))?;
                let lines = self.reversal_of(created)?;
                self.carried.remove(&key('r', receipt.as_str()));
                self.push(env, lines);
            }
            Event::CreditMemoIssued { credit_memo } => {
                let memo = credit_memo.clone();
                self.memo_entry(env, &memo)?;
            }
            Event::CreditMemoVoided { credit_memo, .. } => {
                let state =
                    self.state.credit_memos.get(credit_memo).ok_or_else(|| {
                        Error::corrupt(format!("unknown credit memo {credit_memo}"))
                    })?;
                let created = state.created.seq;
                if let SourceDoc::CreditMemo(memo) = &state.doc {
                    let memo = memo.clone();
                    // Lines credited by the memo may be credited again.
                    self.memo_split(&memo, neg(Decimal::ONE))?;
                }
                let lines = self.reversal_of(created)?;
                self.carried.remove(&key('c', credit_memo.as_str()));
                self.push(env, lines);
            }
            Event::Applied {
                source,
                invoice,
                allocations,
                ..
            } => self.applied(env, source, invoice, allocations)?,
            Event::Unapplied { application, .. } => {
                let app =
                    self.state.applications.get(application).ok_or_else(|| {
                        Error::corrupt(format!("unknown application {application}"))
                    })?;
                let (seq, invoice, source) = (app.at.seq, app.invoice.clone(), app.source.clone());
                let lines = self.reversal_of(seq)?;
                for l in &lines {
                    match l.role {
                        Role::Receivable => {
                            self.put(|| key('i', invoice.as_str()), l.amount, l.functional)?
                        }
                        Role::UnappliedCash | Role::CustomerCredits => {
                            self.put(|| source_key(&source), neg(l.amount), neg(l.functional))?
                        }
                        _ => {}
                    }
                }
                self.push(env, lines);
            }
            Event::WrittenOff {
                invoice,
                allocations,
                reason,
                ..
            } => {
                let inv = self.invoice(invoice)?;
                let c = inv.currency;
                let dims = self.dimensions(&inv.customer, env.seq);
                let ctx = Context {
                    dimensions: dims,
                    currency: Some(c),
                    reason: Some(reason.as_str()),
                    ..Context::default()
                };
                let amount = allocations
                    .iter()
                    .try_fold(Decimal::ZERO, |s, a| s.checked_add(a.amount))
                    .or_overflow("journal")?;
                let doc = invoice.as_str();
                let (f, _) = self.take(|| key('i', doc), amount, c, inv.date)?;
                let mut lines = Lines::new();
                let l = self.line(Role::WriteOffs, &ctx, c, amount, f, doc);
                lines.push(l);
                let l = self.line(Role::Receivable, &ctx, c, neg(amount), neg(f), doc);
                lines.push(l);
                self.push(env, lines);
            }
            Event::SourceWrittenOff {
                source,
                amount,
                reason,
                ..
            } => {
                let (c, created, role, customer) = self.source_facts(source)?;
                let ctx = Context {
                    dimensions: customer.and_then(|c| self.dimensions(&c, env.seq)),
                    currency: Some(c),
                    reason: Some(reason.as_str()),
                    ..Context::default()
                };
                let doc = source.id();
                let (f, _) = self.take(|| source_key(source), *amount, c, created)?;
                let mut lines = Lines::new();
                let l = self.line(role, &ctx, c, *amount, f, doc);
                lines.push(l);
                let l = self.line(Role::OtherIncome, &ctx, c, neg(*amount), neg(f), doc);
                lines.push(l);
                self.push(env, lines);
            }
            Event::WriteOffReversed { write_off, .. } => {
                let wo = self
                    .state
                    .write_offs
                    .get(write_off)
                    .ok_or_else(|| Error::corrupt(format!("unknown write-off {write_off}")))?;
                let seq = wo.at.seq;
                let mut lines = self.reversal_of(seq)?;
                // An invoice's write-off reversed is a recovery.
                for l in &mut lines {
                    if l.role == Role::WriteOffs {
                        l.role = Role::Recoveries;
                        l.account = self.accounts.get(self.rules.account(
                            Role::Recoveries,
                            &Context {
                                currency: Some(l.currency),
                                ..Context::default()
                            },
                        ));
                    }
                }
                let doc_key = |l: &JournalLine| match l.role {
                    Role::Receivable => Some(key('i', &l.document)),
                    _ => None,
                };
                for l in &lines {
                    if let Some(k) = doc_key(l) {
                        self.put(|| k.clone(), neg(l.amount), neg(l.functional))?;
                    }
                }
                // A source's write-off reversed puts the amount back too.
                if let crate::state::WrittenOff::Source(source, _) = &wo.target {
                    let source = source.clone();
                    for l in &lines {
                        if matches!(l.role, Role::UnappliedCash | Role::CustomerCredits) {
                            self.put(|| source_key(&source), neg(l.amount), neg(l.functional))?;
                        }
                    }
                }
                self.push(env, lines);
            }
            Event::Refunded {
                source,
                amount,
                method,
                reason,
                ..
            } => {
                let (c, created, role, customer) = self.source_facts(source)?;
                let dims = customer.and_then(|c| self.dimensions(&c, env.seq));
                let ctx = Context {
                    dimensions: dims,
                    currency: Some(c),
                    method: Some(*method),
                    reason: Some(reason.as_str()),
                    ..Context::default()
                };
                let doc = source.id();
                let (f_src, residue) = self.take(|| source_key(source), *amount, c, created)?;
                let f_cash = self.convert(*amount, c, date)?;
                let mut lines = Lines::new();
                let l = self.line(role, &ctx, c, *amount, f_src, doc);
                lines.push(l);
                let l = self.line(Role::Cash, &ctx, c, neg(*amount), neg(f_cash), doc);
                lines.push(l);
                self.residue(&mut lines, neg(residue), c, doc);
                self.balance(&mut lines, true, c, doc)?;
                self.push(env, lines);
            }
            // Collections records are no postings: notes are invoices
            // (above); notices, disputes, promises, plans and holds move
            // no money.
            Event::DunningNoticeRecorded { .. }
            | Event::DisputeOpened { .. }
            | Event::DisputeResolved { .. }
            | Event::PromiseRecorded { .. }
            | Event::PlanAgreed { .. }
            | Event::CollectionsHoldSet { .. }
            | Event::CreditHoldSet { .. } => {}
            Event::AllowanceBooked {
                currency, amount, ..
            } => {
                let c = *currency;
                let before = self.allowance.insert(c, *amount).unwrap_or_default();
                let delta = amount.checked_sub(before).or_overflow("journal")?;
                if !delta.is_zero() {
                    let ctx = Context {
                        currency: Some(c),
                        ..Context::default()
                    };
                    let f = self.convert(delta, c, date)?;
                    let doc = c.code();
                    let mut lines = Lines::new();
                    let l = self.line(Role::BadDebtExpense, &ctx, c, delta, f, doc);
                    lines.push(l);
                    let l = self.line(Role::Allowance, &ctx, c, neg(delta), neg(f), doc);
                    lines.push(l);
                    self.push(env, lines);
                }
            }
            Event::Revalued { rates } => self.revalue(env, rates)?,
            Event::InvoiceIssued { .. }
            | Event::PeriodClosed { .. }
            | Event::PeriodReopened { .. }
            | Event::CustomerRegistered { .. }
            | Event::CustomerUpdated { .. }
            | Event::DisputeSet { .. }
            | Event::PayerAssigned { .. } => {}
        }
        Ok(())
    }

    /// The unrealized exchange difference of every open document in a
    /// revalued currency: what its open amount is worth at the closing
    /// rate less what it is carried at, on the receivable (or the unapplied
    /// cash and credits) against unrealized gain or loss; then the same
    /// lines swapped, dated the next day, so that settlements keep booking
    /// realized differences from the documents' own rates.
    fn revalue(
        &mut self,
        env: &EventEnvelope,
        rates: &[crate::command::ClosingRate],
    ) -> Result<()> {
        let (Some(table), Some(minor)) = (self.rates, self.functional_minor()) else {
            // Without a functional currency there is nothing to revalue.
            return Ok(());
        };
        let functional = table.functional();
        let mut open: Vec<(String, Carried)> = self
            .carried
            .iter()
            .filter(|(_, c)| !c.open.is_zero())
            .map(|(k, c)| (k.clone(), *c))
            .collect();
        // One line per document, in a stable order.
        open.sort_by(|a, b| a.0.cmp(&b.0));
        let mut lines = Lines::new();
        for (k, c) in open {
            let Some(currency) = c.currency.filter(|c| *c != functional) else {
                continue;
            };
            let Some(rate) = rates.iter().find(|r| r.currency == currency) else {
                continue;
            };
            let exact = c.open.checked_mul(rate.rate).or_overflow("rates")?;
            let worth = RoundingPolicy::default().round_checked("rates", exact, minor)?;
            let adj = worth.checked_sub(c.functional).or_overflow("journal")?;
            if adj.is_zero() {
                continue;
            }
            let doc = k.get(2..).unwrap_or_default().to_owned();
            let ctx = Context {
                currency: Some(currency),
                ..Context::default()
            };
            // An asset worth more is a gain; a liability worth more a loss.
            let (role, signed) = match k.as_bytes().first() {
                Some(b'i') => (Role::Receivable, adj),
                Some(b'r') => (Role::UnappliedCash, neg(adj)),
                _ => (Role::CustomerCredits, neg(adj)),
            };
            let fx = if signed.is_sign_positive() {
                Role::UnrealizedFxGain
            } else {
                Role::UnrealizedFxLoss
            };
            let l = self.line(role, &ctx, currency, Decimal::ZERO, signed, &doc);
            lines.push(l);
            let l = self.line(fx, &ctx, currency, Decimal::ZERO, neg(signed), &doc);
            lines.push(l);
        }
        if lines.is_empty() {
            return Ok(());
        }
        let reversal: Vec<JournalLine> = lines
            .iter()
            .cloned()
            .map(|mut l| {
                l.functional = neg(l.functional);
                l
            })
            .collect();
        self.push(env, lines);
        let next = env
            .effective
            .checked_add_days(chrono::Days::new(1))
            .unwrap_or(env.effective);
        self.entries.push(JournalEntry {
            seq: env.seq,
            effective: next,
            event: Cow::Borrowed("revaluation_reversed"),
            subject: DocumentId::of(env.event.subject()),
            lines: reversal,
        });
        Ok(())
    }

    /// A residue of closing a document in the functional currency, booked
    /// to rounding (never left open): `residue` debited (positive) or
    /// credited, to make up for the line that took the document's last
    /// functional amount rather than its amount at the rate.
    fn residue(&mut self, lines: &mut Lines, residue: Decimal, currency: Currency, doc: &str) {
        if residue.is_zero() {
            return;
        }
        let ctx = Context {
            currency: Some(currency),
            ..Context::default()
        };
        let l = self.line(Role::Rounding, &ctx, currency, Decimal::ZERO, residue, doc);
        lines.push(l);
    }

    /// Currency, date, liability role and customer of a receipt or memo.
    fn source_facts(
        &self,
        source: &Source,
    ) -> Result<(Currency, NaiveDate, Role, Option<crate::id::CustomerId>)> {
        let state = self
            .state
            .source(source)
            .ok_or_else(|| Error::corrupt(format!("unknown {} {}", source.kind(), source.id())))?;
        let customer = state.customer(Cut::ALL).cloned();
        Ok(match &state.doc {
            SourceDoc::Receipt(r) => (r.currency, r.date, Role::UnappliedCash, customer),
            SourceDoc::CreditMemo(m) => (m.currency, m.date, Role::CustomerCredits, customer),
        })
    }

    fn receipt_entry(&mut self, env: &EventEnvelope, receipt: &Receipt) -> Result<()> {
        let c = receipt.currency;
        let dims = receipt
            .customer
            .as_ref()
            .and_then(|cu| self.dimensions(cu, env.seq));
        let ctx = Context {
            dimensions: dims,
            currency: Some(c),
            method: Some(receipt.method),
            ..Context::default()
        };
        let doc = receipt.id.as_str();
        let f = self.convert(receipt.amount, c, receipt.date)?;
        let mut lines = Lines::new();
        let l = self.line(Role::Cash, &ctx, c, receipt.amount, f, doc);
        lines.push(l);
        let l = self.line(
            Role::UnappliedCash,
            &ctx,
            c,
            neg(receipt.amount),
            neg(f),
            doc,
        );
        lines.push(l);
        if self.rates.is_some() {
            self.carried.insert(
                key('r', doc),
                Carried {
                    currency: Some(c),
                    open: receipt.amount,
                    functional: f,
                },
            );
        }
        self.push(env, lines);
        Ok(())
    }

    fn memo_entry(&mut self, env: &EventEnvelope, memo: &CreditMemo) -> Result<()> {
        let c = memo.currency;
        let dims = self.dimensions(&memo.customer, env.seq);
        let ctx = Context {
            dimensions: dims,
            currency: Some(c),
            reason: Some(memo.reason.as_str()),
            ..Context::default()
        };
        let doc = memo.id.as_str();
        let split = self.memo_split(memo, Decimal::ONE)?;
        let mut lines = Lines::new();
        self.split_lines(
            &mut lines,
            &split,
            Role::SalesReturns,
            &ctx,
            c,
            memo.date,
            doc,
        )?;
        let f = self.convert(memo.amount, c, memo.date)?;
        let l = self.line(
            Role::CustomerCredits,
            &ctx,
            c,
            neg(memo.amount),
            neg(f),
            doc,
        );
        lines.push(l);
        self.balance(&mut lines, false, c, doc)?;
        if self.rates.is_some() {
            self.carried.insert(
                key('c', doc),
                Carried {
                    currency: Some(c),
                    open: memo.amount,
                    functional: f,
                },
            );
        }
        self.push(env, lines);
        Ok(())
    }

    fn applied(
        &mut self,
        env: &EventEnvelope,
        source: &Source,
        invoice_id: &crate::id::InvoiceId,
        allocations: &[Allocation],
    ) -> Result<()> {
        let invoice = self.invoice(invoice_id)?.clone();
        let c = invoice.currency;
        // One lookup of the source for its date, role and method.
        let (src_date, role, method) = match self.source_doc(source)? {
            SourceDoc::Receipt(r) => (r.date, Role::UnappliedCash, Some(r.method)),
            SourceDoc::CreditMemo(m) => (m.date, Role::CustomerCredits, None),
        };
        let dims = self.dimensions(&invoice.customer, env.seq);
        let ctx = Context {
            dimensions: dims,
            currency: Some(c),
            method,
            ..Context::default()
        };
        let (mut amount, mut discount) = (Decimal::ZERO, Decimal::ZERO);
        for a in allocations {
            amount = amount.checked_add(a.amount).or_overflow("journal")?;
            discount = discount.checked_add(a.discount).or_overflow("journal")?;
        }
        let settled = amount.checked_add(discount).or_overflow("journal")?;
        let doc = invoice_id.as_str();
        let (f_src, res_src) = self.take(|| source_key(source), amount, c, src_date)?;
        let (f_inv, res_inv) = self.take(|| key('i', doc), settled, c, invoice.date)?;
        let mut lines = Lines::new();
        let l = self.line(role, &ctx, c, amount, f_src, source.id());
        lines.push(l);
        let l = self.line(Role::Receivable, &ctx, c, neg(settled), neg(f_inv), doc);
        lines.push(l);
        if !discount.is_zero() {
            // A discount on one installment, by that installment's base.
            let installment = allocations
                .iter()
                .find(|a| !a.discount.is_zero())
                .map_or(1, |a| a.installment);
            let split = invoice.discount_split(installment, discount)?;
            self.split_lines(
                &mut lines,
                &split,
                Role::Discounts,
                &ctx,
                c,
                invoice.date,
                doc,
            )?;
        }
        // Residues of closing either document, then the exchange
        // difference between the cash's rate and the invoice's.
        // (One line: closing both at once may leave residues that cancel.)
        let residue = res_inv.checked_sub(res_src).or_overflow("journal")?;
        self.residue(&mut lines, residue, c, doc);
        self.balance(&mut lines, true, c, doc)?;
        self.push(env, lines);
        Ok(())
    }
}

/// The journal of `events` (a ledger's log, folded into `state`).
///
/// # Errors
/// [`Error::MissingRate`] for a document in a currency the rate table has
/// no rate for on its date; [`Error::Overflow`]; [`Error::CorruptLog`] for
/// an event the state does not know (a defect).
pub(crate) fn derive(
    events: &[EventEnvelope],
    state: &State,
    options: &JournalOptions,
) -> Result<Journal> {
    options.rules.validate()?;
    let mut w = Walker {
        state,
        rules: &options.rules,
        rates: options.rates.as_ref(),
        accounts: Accounts::default(),
        by_dimension: options
            .rules
            .overrides
            .iter()
            .any(|o| o.dimension.is_some()),
        plain: Vec::new(),
        entries: Vec::with_capacity(events.len()),
        carried: HashMap::new(),
        credited: HashMap::new(),
        allowance: HashMap::new(),
    };
    w.plain = Role::ALL
        .iter()
        .map(|&role| {
            let overridden = options.rules.overrides.iter().any(|o| o.role == role);
            (!overridden).then(|| {
                w.accounts
                    .get(options.rules.account(role, &Context::default()))
            })
        })
        .collect();
    for env in events {
        w.step(env)?;
    }
    Ok(Journal {
        functional: options.rates.as_ref().map(RateTable::functional),
        entries: w.entries,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_are_quoted_where_csv_needs_it() {
        let usd = Currency::new("USD").unwrap();
        let line = |account: &str, amount: Decimal| JournalLine {
            account: account.into(),
            role: Role::Receivable,
            currency: usd,
            amount,
            functional: amount,
            document: DocumentId::of("INV \"1\", March"),
        };
        let journal = Journal {
            functional: None,
            entries: vec![JournalEntry {
                seq: 7,
                effective: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
                event: "invoice_issued".into(),
                subject: DocumentId::of("INV \"1\", March"),
                lines: vec![
                    line("1200", Decimal::new(17000, 2)),
                    line("4000 sales,\nEU", Decimal::new(-17000, 2)),
                ],
            }],
        };
        assert_eq!(
            journal.to_csv(),
            "seq,effective,event,subject,document,account,role,currency,amount,functional\r\n\
             7,2026-03-01,invoice_issued,\"INV \"\"1\"\", March\",\"INV \"\"1\"\", March\",1200,receivable,USD,170.00,170.00\r\n\
             7,2026-03-01,invoice_issued,\"INV \"\"1\"\", March\",\"INV \"\"1\"\", March\",\"4000 sales,\nEU\",receivable,USD,-170.00,-170.00\r\n"
        );
    }
}
