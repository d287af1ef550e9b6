//! Reading references and amounts out of remittance text.
//!
//! Remittance text is whatever the payer or the bank wrote: `INV-000123`,
//! `inv 123`, `#123/124`, `123 & 124`, `123-125`, `ACH CCD ACME INV123`,
//! `PO 4500012345`, `less credit 55`, `RF18 5390 0754 7034`. The parser is
//! deliberately generous: it reads every number as a possible reference and
//! leaves it to the matcher to keep only those that lead to the payer's open
//! items and agree with the amount paid.
//!
//! It runs in time linear in the text and reads at most a bounded prefix of
//! it, so hostile input costs no more than a normal remittance.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use std::hash::BuildHasherDefault;

use super::creditor;
use super::keys::{fnv, KeyHasher};

/// What a reference seems to point at, from the words around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceKind {
    /// An invoice number, or a number with no telling word before it.
    Invoice,
    /// A purchase-order number (`PO 4500012345`).
    PurchaseOrder,
    /// A credit memo number (`CM-77`, `credit 77`).
    CreditMemo,
    /// An ISO 11649 creditor reference whose check digits hold.
    Creditor,
    /// A check number (`CHK 4411`, `CHECK NO 4411`): read as an invoice
    /// number only when nothing else fits.
    Check,
}

impl ReferenceKind {
    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            ReferenceKind::Invoice => "invoice",
            ReferenceKind::PurchaseOrder => "purchase_order",
            ReferenceKind::CreditMemo => "credit_memo",
            ReferenceKind::Creditor => "creditor",
            ReferenceKind::Check => "check",
        }
    }
}

/// One reference read from the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Reference {
    /// What it seems to point at.
    pub kind: ReferenceKind,
    /// Letters and digits as read, upper case, separators dropped and a
    /// letter O read as zero inside numbers: `inv-OO123` gives `INV00123`.
    pub text: String,
    /// The digits with leading zeros dropped (`123`); empty when none.
    pub number: String,
    /// Expanded from a range such as `123-125`.
    #[serde(default)]
    pub in_range: bool,
    /// Runs to the very end of the text, so a field limit may have cut it.
    #[serde(default)]
    pub at_end: bool,
}

/// What the parser read from one remittance text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Remittance {
    /// References, in the order read, without repeats.
    pub references: Vec<Reference>,
    /// Amounts named in the text (`1,234.50`, `$55`), in order.
    #[serde(with = "crate::serde_decimal::vec")]
    pub amounts: Vec<Decimal>,
    /// Amounts named as deductions (`less 55`, `less credit 55.00`,
    /// `short 15 bank fee`).
    #[serde(with = "crate::serde_decimal::vec")]
    pub deductions: Vec<Decimal>,
    /// Creditor references (`RF..`) whose check digits fail.
    pub bad_creditor_references: Vec<String>,
    /// The text was longer than the parser reads; the rest was ignored.
    pub truncated: bool,
    /// The text says the cash pays no invoice: `PREPAYMENT`, `DEPOSIT`,
    /// `ADVANCE`, `RETAINER`.
    #[serde(default)]
    pub no_invoice: bool,
    /// Installments named (`installment 3 of 3`, `inst 2`, `instalment
    /// 2/3`): of the invoices referred to, these installments are paid.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub installments: Vec<u32>,
}

/// How much of a text is read, and how much is taken from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// Bytes of text read.
    pub max_bytes: usize,
    /// References kept.
    pub max_references: usize,
    /// Longest range expanded (`123-125` is 3).
    pub max_range: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 4096,
            max_references: 200,
            max_range: 50,
        }
    }
}

/// Reads references and amounts from `text`, with the default limits: the
/// first 4,096 bytes, 200 references, ranges of up to 50 numbers.
///
/// # Example
/// ```
/// use ar_core::matching::{parse_remittance, ReferenceKind};
/// let r = parse_remittance("ACH CCD ACME INV-000123/124, PO 778 less credit 55");
/// let numbers: Vec<&str> = r.references.iter().map(|r| r.number.as_str()).collect();
/// assert_eq!(numbers, ["123", "124", "778", "55"]);
/// assert_eq!(r.references[2].kind, ReferenceKind::PurchaseOrder);
/// assert_eq!(r.deductions[0].to_string(), "55");
/// ```
pub fn parse_remittance(text: &str) -> Remittance {
    parse(text, Limits::default())
}

/// A lexical token of the upper-cased text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// Letters.
    Word(String),
    /// Digits (letter O read as zero).
    Num(String),
    /// An amount with decimals or a currency sign.
    Amount(Decimal),
    /// One punctuation byte.
    Sep(u8),
}

/// A token with whether white space came before it.
#[derive(Debug, Clone)]
struct Lexed {
    tok: Tok,
    space_before: bool,
    /// Ends where the text ends.
    at_end: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordClass {
    Invoice,
    PurchaseOrder,
    Credit,
    /// A check number follows: `CHK`, `CHECK`, `CHEQUE`.
    Check,
    /// The cash pays no invoice: `PREPAYMENT`, `DEPOSIT`, `ADVANCE`.
    NoInvoice,
    /// Keeps the current context: `and`, `plus`.
    Connector,
    /// Announces a deduction: `less`, `minus`, `short`.
    Deduct,
    /// Announces an installment number: `installment 2 of 3`.
    Installment,
    /// Anything else: names, bank codes.
    Other,
}

const INVOICE_WORDS: &[&str] = &[
    "INV", "INVS", "INVOICE", "INVOICES", "INVNO", "INVNR", "IN", "IV", "NO", "NR", "NUM",
    "NUMBER", "REF", "DOC", "BILL", "BILLS", "FACT", "FACTURA", "FACTURE", "RECHNUNG",
];
const PO_WORDS: &[&str] = &["PO", "PONO", "PONR", "PURCHASE", "ORDER", "ORDERNO"];
const CREDIT_WORDS: &[&str] = &["CM", "CR", "CRN", "CN", "CREDIT", "CREDITS", "MEMO"];
const CHECK_WORDS: &[&str] = &["CHK", "CHECK", "CHEQUE", "CHQ", "CK"];
/// Words that say which number follows without saying of what: after a
/// purchase-order or check word they keep its meaning (`PO NO 12993`).
const NUMBER_WORDS: &[&str] = &["NO", "NR", "NUM", "NUMBER"];
const NO_INVOICE_WORDS: &[&str] = &[
    "PREPAYMENT",
    "PREPAY",
    "PREPAID",
    "DEPOSIT",
    "ADVANCE",
    "RETAINER",
];
const CONNECTOR_WORDS: &[&str] = &["AND", "PLUS", "ALSO", "THRU", "TO"];
const INSTALLMENT_WORDS: &[&str] = &[
    "INSTALLMENT",
    "INSTALMENT",
    "INSTALLMENTS",
    "INSTALMENTS",
    "INST",
    "INSTAL",
    "INSTALL",
    "TEILZAHLUNG",
];
/// Installments named are at most this (a plan of more is not read).
const MAX_INSTALLMENT: u32 = 999;
const DEDUCT_WORDS: &[&str] = &[
    "LESS",
    "MINUS",
    "DEDUCT",
    "DEDUCTED",
    "DEDUCTION",
    "SHORT",
    "SHORTPAID",
];

/// Longer than any word [`classify`] tells apart (`PREPAYMENT`; a
/// misspelled `INVOICE` is at most two letters longer): letters run
/// together beyond it are only a word of no class.
const LONGEST_CLASSIFIED: usize = 10;

/// Optimal string alignment distance, bounded: adjacent transpositions
/// count once, so `INOVICE` is one edit from `INVOICE`.
fn osa_within(a: &[u8], b: &[u8], max: usize) -> bool {
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    // Distances are at most the lengths of the words, and indexes within
    // them: the (wrapping) additions below are exact.
    let n = b.len();
    let mut prev2 = vec![0usize; n.wrapping_add(1)];
    let mut prev: Vec<usize> = (0..=n).collect();
    let mut cur = vec![0usize; n.wrapping_add(1)];
    let plus = |v: &usize, by: usize| v.wrapping_add(by);
    for (i, &ca) in a.iter().enumerate() {
        if let Some(c0) = cur.first_mut() {
            *c0 = plus(&i, 1);
        }
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let next = plus(&j, 1);
            let del = prev.get(next).map_or(usize::MAX, |v| plus(v, 1));
            let ins = cur.get(j).map_or(usize::MAX, |v| plus(v, 1));
            let sub = prev.get(j).map_or(usize::MAX, |v| plus(v, cost));
            let mut best = del.min(ins).min(sub);
            if let (Some(i1), Some(j1)) = (i.checked_sub(1), j.checked_sub(1)) {
                if a.get(i1) == Some(&cb) && b.get(j1) == Some(&ca) {
                    best = best.min(prev2.get(j1).map_or(usize::MAX, |v| plus(v, 1)));
                }
            }
            if let Some(c) = cur.get_mut(next) {
                *c = best;
            }
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.get(n).is_some_and(|d| *d <= max)
}

fn classify(word: &str) -> WordClass {
    let has = |list: &[&str]| list.contains(&word);
    if has(INVOICE_WORDS) {
        WordClass::Invoice
    } else if has(PO_WORDS) {
        WordClass::PurchaseOrder
    } else if has(CREDIT_WORDS) {
        WordClass::Credit
    } else if has(CHECK_WORDS) {
        WordClass::Check
    } else if has(NO_INVOICE_WORDS) {
        WordClass::NoInvoice
    } else if has(CONNECTOR_WORDS) {
        WordClass::Connector
    } else if has(DEDUCT_WORDS) {
        WordClass::Deduct
    } else if has(INSTALLMENT_WORDS) {
        WordClass::Installment
    } else if (word.len() >= 3 && osa_within(word.as_bytes(), b"INV", 1))
        || (word.len() >= 5 && osa_within(word.as_bytes(), b"INVOICE", 2))
    {
        // Misspelled prefixes: IVN, INB, INVC, INOVICE, INVOCIE.
        WordClass::Invoice
    } else {
        WordClass::Other
    }
}

/// Words that end in O on purpose and must not have it read as a zero.
fn keeps_trailing_o(word: &[u8]) -> bool {
    matches!(word, b"PO" | b"NO" | b"MEMO" | b"INFO")
}

/// An amount starting at `i`: `1,234.50`, `55.00`, `12.5`, or digits after a
/// currency sign. Returns the amount and the index after it.
fn scan_amount(b: &[u8], i: usize, after_sign: bool) -> Option<(Decimal, usize)> {
    // Positions within the text (a slice): `k + 4` cannot saturate.
    let at = |k: usize, by: usize| k.saturating_add(by);
    let digit = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
    let mut k = i;
    let mut int = String::new();
    while digit(k) {
        int.push(char::from(*b.get(k)?));
        k = at(k, 1);
    }
    if int.is_empty() {
        return None;
    }
    // Thousands groups of exactly three digits.
    while b.get(k) == Some(&b',')
        && digit(at(k, 1))
        && digit(at(k, 2))
        && digit(at(k, 3))
        && !digit(at(k, 4))
    {
        int.extend(b.get(at(k, 1)..at(k, 4))?.iter().map(|c| char::from(*c)));
        k = at(k, 4);
    }
    let mut frac = String::new();
    if b.get(k) == Some(&b'.') && digit(at(k, 1)) {
        let mut m = at(k, 1);
        while digit(m) {
            frac.push(char::from(*b.get(m)?));
            m = at(m, 1);
        }
        // `23.11.2026` is a date, `1.2.3` a version: not amounts.
        if frac.len() > 3 || (b.get(m) == Some(&b'.') && digit(at(m, 1))) {
            return None;
        }
        k = m;
    } else if !after_sign {
        return None;
    }
    if b.get(k).is_some_and(u8::is_ascii_alphanumeric) {
        return None;
    }
    let text = if frac.is_empty() {
        int
    } else {
        format!("{int}.{frac}")
    };
    let value = Decimal::from_str_exact(&text).ok()?;
    Some((value, k))
}

/// Splits an alphanumeric run into words and numbers, reading the letter O
/// as a zero where it sits among digits.
fn split_run(run: &[u8], out: &mut Vec<Tok>) {
    let mut segs: Vec<(bool, Vec<u8>)> = Vec::new(); // (is_digits, bytes)
    for &c in run {
        let is_digit = c.is_ascii_digit();
        match segs.last_mut() {
            Some((d, s)) if *d == is_digit => s.push(c),
            _ => segs.push((is_digit, vec![c])),
        }
    }
    let mut merged: Vec<(bool, Vec<u8>)> = Vec::new();
    let count = segs.len();
    for (idx, (is_digit, mut seg)) in segs.into_iter().enumerate() {
        if !is_digit {
            let next_is_digits = idx.saturating_add(1) < count;
            let prev_is_digits = matches!(merged.last(), Some((true, _)));
            if seg.iter().all(|c| *c == b'O') && (next_is_digits || prev_is_digits) {
                // `1O23`, `12O`, `OO123`: zeros typed as letters.
                let zeros = vec![b'0'; seg.len()];
                match merged.last_mut() {
                    Some((true, s)) => s.extend(zeros),
                    _ => merged.push((true, zeros)),
                }
                continue;
            }
            if next_is_digits {
                // `INVOO123`: trailing O's are zeros unless the word means it.
                let mut zeros = 0usize;
                while seg.last() == Some(&b'O') && !keeps_trailing_o(&seg) && !known(&seg) {
                    seg.pop();
                    zeros = zeros.saturating_add(1);
                }
                merged.push((false, seg));
                if zeros > 0 {
                    merged.push((true, vec![b'0'; zeros]));
                }
                continue;
            }
            merged.push((false, seg));
        } else {
            match merged.last_mut() {
                Some((true, s)) => s.extend(seg),
                _ => merged.push((true, seg)),
            }
        }
    }
    for (is_digit, seg) in merged {
        if seg.is_empty() {
            continue;
        }
        let text = String::from_utf8_lossy(&seg).into_owned();
        out.push(if is_digit {
            Tok::Num(text)
        } else {
            Tok::Word(text)
        });
    }
}

/// A word in one of the lists, spelled exactly.
fn known(word: &[u8]) -> bool {
    std::str::from_utf8(word).is_ok_and(|w| {
        [
            INVOICE_WORDS,
            PO_WORDS,
            CREDIT_WORDS,
            CHECK_WORDS,
            CONNECTOR_WORDS,
            DEDUCT_WORDS,
        ]
        .iter()
        .any(|list| list.contains(&w))
    })
}

fn lex(b: &[u8]) -> Vec<Lexed> {
    let mut out: Vec<Lexed> = Vec::new();
    let mut i = 0;
    let mut space = false;
    let mut after_sign = false;
    while let Some(&c) = b.get(i) {
        if c.is_ascii_alphanumeric() {
            let prev = i.checked_sub(1).and_then(|p| b.get(p));
            let prev_alnum = prev.is_some_and(u8::is_ascii_alphanumeric);
            let prev_dot = prev == Some(&b'.');
            if c.is_ascii_digit() && !prev_alnum && !prev_dot {
                if let Some((amount, end)) = scan_amount(b, i, after_sign) {
                    out.push(Lexed {
                        tok: Tok::Amount(amount),
                        space_before: space,
                        at_end: end >= b.len(),
                    });
                    i = end;
                    space = false;
                    after_sign = false;
                    continue;
                }
            }
            let start = i;
            // Positions within the text: the additions cannot saturate.
            while b.get(i).is_some_and(u8::is_ascii_alphanumeric) {
                i = i.saturating_add(1);
            }
            let mut toks = Vec::new();
            split_run(b.get(start..i).unwrap_or_default(), &mut toks);
            let n = toks.len();
            for (k, tok) in toks.into_iter().enumerate() {
                out.push(Lexed {
                    tok,
                    space_before: space && k == 0,
                    at_end: k.saturating_add(1) == n && i >= b.len(),
                });
            }
            space = false;
            after_sign = false;
        } else {
            if c.is_ascii_whitespace() || !c.is_ascii() {
                space = true;
            } else {
                out.push(Lexed {
                    tok: Tok::Sep(c),
                    space_before: space,
                    at_end: false,
                });
                space = false;
            }
            after_sign = c == b'$';
            i = i.saturating_add(1);
        }
    }
    out
}

/// Merges `P.O.` and `P O` style abbreviations into one word.
fn merge_dotted(toks: Vec<Lexed>) -> Vec<Lexed> {
    let mut out: Vec<Lexed> = Vec::with_capacity(toks.len());
    // Positions within `toks`: the additions cannot saturate.
    let next = |k: usize| k.saturating_add(1);
    let mut i = 0;
    while let Some(t) = toks.get(i) {
        if let Tok::Word(w) = &t.tok {
            if w.len() == 1 {
                let mut word = w.clone();
                let mut j = next(i);
                // Past the longest word with a class, merging letters on
                // would only make one of none: stop there, so a run of
                // single letters costs its length, not its square.
                while word.len() <= LONGEST_CLASSIFIED {
                    let dot = matches!(toks.get(j).map(|t| &t.tok), Some(Tok::Sep(b'.')));
                    let k = if dot { next(j) } else { j };
                    match toks.get(k).map(|t| &t.tok) {
                        Some(Tok::Word(following)) if following.len() == 1 && (dot || k == j) => {
                            word.push_str(following);
                            j = next(k);
                        }
                        _ => break,
                    }
                }
                if word.len() > 1 && classify(&word) != WordClass::Other {
                    if matches!(toks.get(j).map(|t| &t.tok), Some(Tok::Sep(b'.'))) {
                        j = next(j);
                    }
                    out.push(Lexed {
                        tok: Tok::Word(word),
                        space_before: t.space_before,
                        at_end: false,
                    });
                    i = j;
                    continue;
                }
            }
        }
        out.push(t.clone());
        i = next(i);
    }
    out
}

fn strip_zeros(digits: &str) -> String {
    let s = digits.trim_start_matches('0');
    if s.is_empty() && !digits.is_empty() {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

struct Builder {
    refs: Vec<Reference>,
    /// Where each reference is in `refs`, by a hash of its text and
    /// number: a repeat is found without reading them all.
    index: std::collections::HashMap<u64, usize, BuildHasherDefault<KeyHasher>>,
    limits: Limits,
}

impl Builder {
    fn push(
        &mut self,
        kind: ReferenceKind,
        text: String,
        digits: &str,
        in_range: bool,
        at_end: bool,
    ) {
        if self.refs.len() >= self.limits.max_references || text.is_empty() {
            return;
        }
        let number = strip_zeros(digits);
        let hash = fnv(text.bytes().chain([0xff]).chain(number.bytes()));
        let same = |r: &Reference| r.text == text && r.number == number;
        let at = match self.index.get(&hash) {
            Some(&k) if self.refs.get(k).is_some_and(same) => Some(k),
            // Another reference with the same hash (rare): read them all.
            Some(_) => self.refs.iter().position(same),
            None => None,
        };
        if let Some(old) = at.and_then(|k| self.refs.get_mut(k)) {
            // The first reading wins, but a telling word beats none.
            if old.kind == ReferenceKind::Invoice && kind != ReferenceKind::Invoice {
                old.kind = kind;
            }
            return;
        }
        self.index.entry(hash).or_insert(self.refs.len());
        self.refs.push(Reference {
            kind,
            text,
            number,
            in_range,
            at_end,
        });
    }
}

fn kind_of(class: WordClass) -> Option<ReferenceKind> {
    match class {
        WordClass::Invoice => Some(ReferenceKind::Invoice),
        WordClass::PurchaseOrder => Some(ReferenceKind::PurchaseOrder),
        WordClass::Credit => Some(ReferenceKind::CreditMemo),
        WordClass::Check => Some(ReferenceKind::Check),
        _ => None,
    }
}

/// Reads creditor references first, from the raw upper-cased bytes, since
/// their body may be written in groups of four: `RF18 5390 0754 7034`.
fn creditor_refs(b: &[u8], rem: &mut Remittance, builder: &mut Builder) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    // Positions within the text: the additions cannot saturate.
    let at = |k: usize, by: usize| k.saturating_add(by);
    let mut i = 0;
    while at(i, 4) <= b.len() {
        let starts_word = i
            .checked_sub(1)
            .is_none_or(|p| b.get(p).is_some_and(|c| !c.is_ascii_alphanumeric()));
        let head = b.get(i..at(i, 4)).unwrap_or_default();
        let is_rf = starts_word
            && head.get(..2) == Some(b"RF")
            && head
                .get(2..)
                .is_some_and(|d| d.iter().all(u8::is_ascii_digit));
        if !is_rf {
            i = at(i, 1);
            continue;
        }
        // Gather the body: letters and digits, single spaces allowed between
        // groups, up to the longest body there can be.
        let mut body = Vec::new();
        let mut ends = Vec::new(); // (body length, byte index after it)
        let mut k = at(i, 4);
        while body.len() < creditor::MAX_BODY {
            match b.get(k) {
                Some(c) if c.is_ascii_alphanumeric() => {
                    body.push(*c);
                    k = at(k, 1);
                }
                Some(b' ') if b.get(at(k, 1)).is_some_and(u8::is_ascii_alphanumeric) => {
                    ends.push((body.len(), k));
                    k = at(k, 1);
                }
                _ => break,
            }
        }
        if !b.get(k).is_some_and(u8::is_ascii_alphanumeric) {
            ends.push((body.len(), k));
        }
        // The longest reading whose check digits hold.
        let found = ends.iter().rev().find_map(|&(len, end)| {
            let mut cand = head.to_vec();
            cand.extend(body.get(..len)?);
            creditor::check(&cand).map(|body| (body.to_vec(), end))
        });
        match found {
            Some((body, end)) => {
                let text = String::from_utf8_lossy(&body).into_owned();
                let digits: String = text.chars().filter(char::is_ascii_digit).collect();
                builder.push(
                    ReferenceKind::Creditor,
                    text,
                    &digits,
                    false,
                    end >= b.len(),
                );
                spans.push((i, end));
                i = end;
            }
            None => {
                let end = ends.last().map_or(k, |e| e.1);
                rem.bad_creditor_references
                    .push(String::from_utf8_lossy(b.get(i..end).unwrap_or_default()).into_owned());
                i = at(i, 4);
            }
        }
    }
    spans
}

/// The first `max_bytes` bytes of `text`, or fewer to end between
/// characters: the part of a text the matcher reads.
pub(crate) fn read_prefix(text: &str, max_bytes: usize) -> &str {
    let mut cut = text.len().min(max_bytes);
    // 0 is a boundary: the loop ends there at the latest.
    while !text.is_char_boundary(cut) {
        cut = cut.saturating_sub(1);
    }
    text.get(..cut).unwrap_or_default()
}

pub(crate) fn parse(text: &str, limits: Limits) -> Remittance {
    let mut rem = Remittance::default();
    let read = read_prefix(text, limits.max_bytes);
    rem.truncated = read.len() < text.len();
    let mut bytes = read.as_bytes().to_ascii_uppercase();
    let mut builder = Builder {
        refs: Vec::new(),
        index: std::collections::HashMap::default(),
        limits,
    };
    for (start, end) in creditor_refs(&bytes, &mut rem, &mut builder) {
        for c in bytes.get_mut(start..end).into_iter().flatten() {
            *c = b' ';
        }
    }
    let toks = merge_dotted(lex(&bytes));

    let mut context: Option<ReferenceKind> = None;
    let mut deduct = false;
    // The number after an installment word is an installment, and `of N`
    // or `/N` after it is the plan's length, neither a reference.
    let mut installment = false;
    // Positions within `toks`: the additions cannot saturate.
    let next = |k: usize| k.saturating_add(1);
    let mut i = 0;
    while let Some(t) = toks.get(i) {
        match &t.tok {
            Tok::Word(w) => {
                let class = classify(w);
                let keeps_kind = matches!(
                    context,
                    Some(ReferenceKind::PurchaseOrder | ReferenceKind::Check)
                ) && NUMBER_WORDS.contains(&w.as_str());
                match class {
                    WordClass::Connector => {}
                    _ if keeps_kind => {}
                    WordClass::NoInvoice => {
                        rem.no_invoice = true;
                        context = None;
                        deduct = false;
                    }
                    WordClass::Deduct => {
                        deduct = true;
                        context = None;
                    }
                    WordClass::Installment => {
                        installment = true;
                        deduct = false;
                    }
                    _ => {
                        if let Some(k) = kind_of(class) {
                            context = Some(k);
                        } else {
                            context = None;
                            deduct = false;
                        }
                    }
                }
                i = next(i);
            }
            Tok::Amount(a) => {
                if deduct {
                    rem.deductions.push(*a);
                    deduct = false;
                } else {
                    rem.amounts.push(*a);
                }
                i = next(i);
            }
            Tok::Sep(_) => i = next(i),
            Tok::Num(n) if installment => {
                installment = false;
                if let Some(k) = n
                    .parse::<u32>()
                    .ok()
                    .filter(|k| (1..=MAX_INSTALLMENT).contains(k))
                {
                    if !rem.installments.contains(&k) {
                        rem.installments.push(k);
                    }
                }
                i = next(i);
                // `of 3`, `/3`: the plan's length.
                let of = match toks.get(i).map(|t| &t.tok) {
                    Some(Tok::Word(w)) if w == "OF" => true,
                    Some(Tok::Sep(b'/')) => true,
                    _ => false,
                };
                if of && matches!(toks.get(next(i)).map(|t| &t.tok), Some(Tok::Num(_))) {
                    i = next(next(i));
                }
            }
            Tok::Num(n) => {
                let kind = context.unwrap_or(ReferenceKind::Invoice);
                if deduct {
                    if let Ok(a) = Decimal::from_str_exact(n) {
                        rem.deductions.push(a);
                    }
                    deduct = false;
                }
                // The word glued to the number: `INV000123`, `INV-000123`.
                let glued = glued_word(&toks, i);
                // A chain `A-B-C` of numbers joined by hyphens.
                let mut chain = vec![(n.clone(), t.at_end)];
                let mut j = next(i);
                while let (Some(sep), Some(after)) = (toks.get(j), toks.get(next(j))) {
                    match (&sep.tok, &after.tok) {
                        (Tok::Sep(b'-'), Tok::Num(m)) => {
                            chain.push((m.clone(), after.at_end));
                            j = next(next(j));
                        }
                        _ => break,
                    }
                }
                let at_end = chain.last().is_some_and(|c| c.1);
                let prefix = glued.unwrap_or_default();
                if let [(a, a_end), (b, b_end)] = chain.as_slice() {
                    if let Some((lo, hi)) = range(a, b, limits.max_range) {
                        for v in lo..=hi {
                            let digits = format!("{v:0width$}", width = a.len());
                            let last = v == hi && *b_end;
                            builder.push(kind, format!("{prefix}{digits}"), &digits, true, last);
                        }
                    } else {
                        builder.push(kind, format!("{prefix}{a}"), a, false, *a_end);
                        builder.push(kind, format!("{prefix}{b}"), b, false, *b_end);
                    }
                } else {
                    for (k, (m, e)) in chain.iter().enumerate() {
                        let p = if k == 0 { prefix.as_str() } else { "" };
                        builder.push(kind, format!("{p}{m}"), m, false, *e);
                    }
                }
                if chain.len() > 1 {
                    // Also the whole chain, for ids written with hyphens.
                    let digits: String = chain.iter().map(|c| c.0.as_str()).collect();
                    builder.push(kind, format!("{prefix}{digits}"), &digits, false, at_end);
                }
                i = j;
            }
        }
    }
    rem.references = builder.refs;
    rem
}

/// The word written right before the number at `i` (`INV000123`, or
/// `INV-000123` with one hyphen between), if any.
fn glued_word(toks: &[Lexed], i: usize) -> Option<String> {
    let num = toks.get(i)?;
    if num.space_before {
        return None;
    }
    let prev = toks.get(i.checked_sub(1)?)?;
    match &prev.tok {
        Tok::Word(w) => Some(w.clone()),
        Tok::Sep(b'-') if !prev.space_before => match &toks.get(i.checked_sub(2)?)?.tok {
            Tok::Word(w) => Some(w.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// `123-125` as 123..=125; `1234-36` as 1234..=1236. `None` unless the
/// range is increasing and at most `max` long.
fn range(a: &str, b: &str, max: u32) -> Option<(u64, u64)> {
    if a.len() > 18 || b.len() > a.len() {
        return None;
    }
    let lo: u64 = a.parse().ok()?;
    let spliced = format!("{}{b}", a.get(..a.len().checked_sub(b.len())?)?);
    let hi: u64 = spliced.parse().ok()?;
    (hi > lo && hi.saturating_sub(lo) < u64::from(max)).then_some((lo, hi))
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    fn numbers(text: &str) -> Vec<String> {
        parse_remittance(text)
            .references
            .into_iter()
            .map(|r| r.number)
            .collect()
    }

    #[test]
    fn prefixes_and_zeros() {
        for text in [
            "INV-000123",
            "inv 123",
            "#123",
            "000123",
            "INV000123",
            "Invoice no. 123",
        ] {
            assert_eq!(numbers(text), ["123"], "{text}");
        }
        let r = parse_remittance("INV-000123");
        assert_eq!(r.references[0].text, "INV000123");
        assert_eq!(r.references[0].kind, ReferenceKind::Invoice);
    }

    #[test]
    fn lists_and_ranges() {
        assert_eq!(numbers("123/124"), ["123", "124"]);
        assert_eq!(numbers("123 & 124"), ["123", "124"]);
        assert_eq!(numbers("123, 124 and 125"), ["123", "124", "125"]);
        assert_eq!(numbers("INV 123-125"), ["123", "124", "125", "123125"]);
        assert_eq!(numbers("1234-36"), ["1234", "1235", "1236", "123436"]);
        // Not a range: decreasing, or too long.
        assert_eq!(numbers("2026-11"), ["2026", "11", "202611"]);
        assert_eq!(numbers("100-900"), ["100", "900", "100900"]);
        assert!(parse_remittance("INV-1001/1002")
            .references
            .iter()
            .all(|r| !r.in_range));
        assert_eq!(numbers("INV-1001/1002"), ["1001", "1002"]);
    }

    #[test]
    fn letter_o_and_misspelled_prefixes() {
        assert_eq!(numbers("INV 1O23"), ["1023"]);
        assert_eq!(numbers("INVOO123"), ["123"]);
        assert_eq!(parse_remittance("INVOO123").references[0].text, "INV00123");
        assert_eq!(numbers("IVN 123"), ["123"]);
        assert_eq!(
            parse_remittance("INOVICE 55").references[0].kind,
            ReferenceKind::Invoice
        );
        assert_eq!(
            parse_remittance("PO123").references[0].kind,
            ReferenceKind::PurchaseOrder
        );
        assert_eq!(
            parse_remittance("P.O. 778").references[0].kind,
            ReferenceKind::PurchaseOrder
        );
        assert_eq!(
            parse_remittance("CM-77").references[0].kind,
            ReferenceKind::CreditMemo
        );
    }

    #[test]
    fn bank_prefixes_and_amounts() {
        let r = parse_remittance("ACH CCD ACME INV123 1,234.50 less credit 55");
        assert_eq!(
            r.references
                .iter()
                .map(|r| r.number.as_str())
                .collect::<Vec<_>>(),
            ["123", "55"]
        );
        assert_eq!(r.amounts, [Decimal::new(123450, 2)]);
        assert_eq!(r.deductions, [Decimal::from(55)]);
        assert_eq!(r.references[1].kind, ReferenceKind::CreditMemo);
        let r = parse_remittance("paid $55 on 23.11.2026");
        assert_eq!(r.amounts, [Decimal::from(55)]);
        assert_eq!(
            r.references
                .iter()
                .map(|r| r.number.as_str())
                .collect::<Vec<_>>(),
            ["23", "11", "2026"]
        );
    }

    #[test]
    fn creditor_references() {
        let r = parse_remittance("pmt RF18 5390 0754 7034 thanks");
        assert_eq!(r.references.len(), 1);
        assert_eq!(r.references[0].kind, ReferenceKind::Creditor);
        assert_eq!(r.references[0].text, "539007547034");
        let r = parse_remittance("RF19 5390 0754 7034");
        assert_eq!(r.bad_creditor_references, ["RF19 5390 0754 7034"]);
        assert!(r
            .references
            .iter()
            .all(|r| r.kind != ReferenceKind::Creditor));
    }

    #[test]
    fn check_and_purchase_order_numbers_keep_their_kind() {
        let kinds = |text: &str| -> Vec<(ReferenceKind, String)> {
            parse_remittance(text)
                .references
                .into_iter()
                .map(|r| (r.kind, r.number))
                .collect()
        };
        for text in ["CHK 4411", "CHECK NO 4411", "check no. 4411", "CHQ#4411"] {
            assert_eq!(
                kinds(text),
                [(ReferenceKind::Check, "4411".into())],
                "{text}"
            );
        }
        assert_eq!(
            kinds("PO NO 12993"),
            [(ReferenceKind::PurchaseOrder, "12993".into())]
        );
        // "NO" on its own still announces an invoice.
        assert_eq!(kinds("NO 55"), [(ReferenceKind::Invoice, "55".into())]);
        // A check number, then an invoice.
        assert_eq!(
            kinds("CHECK 4411 INV 123"),
            [
                (ReferenceKind::Check, "4411".into()),
                (ReferenceKind::Invoice, "123".into())
            ]
        );
    }

    #[test]
    fn words_that_mean_no_invoice() {
        for text in [
            "PREPAYMENT",
            "deposit for order 55",
            "Advance May",
            "RETAINER",
        ] {
            assert!(parse_remittance(text).no_invoice, "{text}");
        }
        for text in ["INV 55", "ACH CCD ACME", ""] {
            assert!(!parse_remittance(text).no_invoice, "{text}");
        }
    }

    #[test]
    fn installments_named_are_not_references() {
        for (text, refs, installments) in [
            ("Inv 282198 installment 3 of 3", vec!["282198"], vec![3]),
            ("INV-7 inst 2/3", vec!["7"], vec![2]),
            ("INV-7 INSTALMENT 1, INV-8", vec!["7", "8"], vec![1]),
            ("INV-7 installment", vec!["7"], vec![]),
            ("installment 0 of 3 INV-9", vec!["9"], vec![]),
        ] {
            let r = parse_remittance(text);
            assert_eq!(numbers(text), refs, "{text}");
            assert_eq!(r.installments, installments, "{text}");
        }
    }

    #[test]
    fn end_of_text_is_marked() {
        let r = parse_remittance("INV 123, INV 12");
        assert!(!r.references[0].at_end);
        assert!(r.references[1].at_end);
    }

    #[test]
    fn no_word_longer_than_the_merge_bound_has_a_class() {
        for list in [
            INVOICE_WORDS,
            PO_WORDS,
            CREDIT_WORDS,
            CHECK_WORDS,
            NUMBER_WORDS,
            NO_INVOICE_WORDS,
            CONNECTOR_WORDS,
            DEDUCT_WORDS,
        ] {
            assert!(list.iter().all(|w| w.len() <= LONGEST_CLASSIFIED));
        }
        // INVOICE with two letters more is still read as one; with three, not.
        assert_eq!(classify("INVOICEXX"), WordClass::Invoice);
        assert_eq!(classify("INVOICEXXX"), WordClass::Other);
        // Single letters run together: P.O. is one word, 30,000 of them none.
        assert_eq!(
            parse_remittance("P.O. 778").references[0].kind,
            ReferenceKind::PurchaseOrder
        );
        let r = parse(
            &"X ".repeat(30_000),
            Limits {
                max_bytes: 60_000,
                ..Limits::default()
            },
        );
        assert!(r.references.is_empty() && !r.truncated);
    }

    #[test]
    fn long_text_is_bounded() {
        let text = "INV 123 ".repeat(200_000);
        let r = parse_remittance(&text);
        assert!(r.truncated);
        assert_eq!(r.references.len(), 1);
        let text: String = (0..100_000).map(|i| format!("{i} ")).collect();
        let r = parse_remittance(&text);
        assert_eq!(r.references.len(), 200);
    }
}
