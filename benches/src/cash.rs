//! A seeded generator of cash-application data with ground truth: the open
//! items of a receivables book as of a batch date, the customers that pay
//! them, four weeks of bank receipts, and for each receipt exactly what it
//! settles.
//!
//! # The book
//!
//! Customers are billed over the 180 days before the batch date
//! ([`batch_date`]); invoices are numbered in one sequence for the whole
//! company (`INV-0123456`, in date order), so the open items' numbers have
//! the gaps left by invoices paid earlier, and a mistyped number often is
//! another customer's open invoice. Each customer has a size (65% small:
//! an invoice every 12-40 days; 28% medium: every 2-7 days; 7% large: 1-4
//! a day, several on one day numbered consecutively), a currency (USD 85%,
//! EUR 10%, GBP 5%), terms (net 15/30/45/60; 2/10 net 30 for 20%, the
//! discount on offer carried by the item; three monthly installments for 2%
//! of the small and medium ones, on invoices of 300.00 or more), a typical
//! invoice size (50.00 to 50,000.00; each invoice 0.3x to 3x of it, at
//! least 10.00, 15% whole amounts; 5% of customers are billed the same
//! recurring amount every time), purchase-order numbers on the invoices of
//! 40% of customers (one PO may cover up to three invoices), and one or two
//! open credit memos for 10% of customers. What is open as of the batch
//! date is what the customer's habit has not paid by then; 2% of invoices
//! are never paid and 1% are disputed (open, not paid in the batch); 3% were
//! paid in part before the batch.
//!
//! # The receipts (habits, remittance, amounts)
//!
//! Receipts are dated over the [`WINDOW_DAYS`] days from the batch date, in
//! date order. A customer's habit decides which items one receipt covers
//! (shares of customers, and of receipts at 100,000 invoices):
//!
//! | habit | customers | receipts | what one receipt pays |
//! |---|---|---|---|
//! | single | ~61% | ~74% | one invoice, at due date + the customer's lateness |
//! | discount | ~8% | ~6% | one invoice 2-10 days after it, less 2%; 15% of the time 12-24 days after, still less 2% |
//! | weekly | ~10% | ~10% | everything fallen due, on a fixed weekday |
//! | monthly | ~19% | ~6% | everything fallen due, on a fixed day of the month |
//! | installments | ~2% | ~4% | one installment |
//!
//! A customer writes remittance in one style (shares of customers): clean
//! `INV-0123456` 28%; compact `INV0123456` 6%; bare numbers `123456` 14%;
//! `#123456` 6%; words (`Invoice 123456`, `inv no. 123456`) 6%; bank
//! prefixed (`ACH CCD ACME LOGISTICS INV123456`, wire `/RFB/`, a check
//! number) 14%; detailed with the amount paid on each invoice, EDI-like,
//! 8%; purchase-order numbers 4%; ISO 11649 `RF` creditor references (made
//! with [`creditor_reference`]) 4%, and 40% of EUR payers; none at all
//! (amount only) 10%. Lists use `/`, `, `, ` & `, `; ` or `123, 124 and
//! 125`; three or more consecutive numbers are written as a range
//! `123456-123458` half the time; a creditor reference names one invoice,
//! so runs of RF payers are written clean. The bank keeps 140 characters:
//! longer texts are cut (about 3% of receipts, long runs). On top, 4% of
//! receipts arrive with no text whatever the style; short, partial and
//! over payments always say which invoice. In all about 13% of receipts are
//! amount-only.
//!
//! Typing errors: 4% of receipts with invoice numbers (about 3% of all)
//! have one number mistyped: transposed digits, a dropped digit, a doubled
//! digit, a letter O for a zero, or a misspelled prefix (`IVN`, `INVOCIE`),
//! in equal parts.
//!
//! Payer: 96% of receipts name the payer (the bank file or lockbox already
//! identified it). The other 4% do not: 55% of those come from an account
//! the customer paid from before, 30% carry the payer's name (in full, or
//! as an ACH company name cut at 16 characters) from a new account, 15%
//! have nothing but the remittance.
//!
//! Amounts (shares of receipts at 100,000 invoices): about 85% pay what is
//! open; discounts in window 4%, after it 2%; bank fees of 5.00-25.00,
//! within the [`TOLERANCE`] and written off, 3% (half the receipts of the
//! 5% of customers paying by international wire); disputes, short by more
//! than the tolerance and left open, sometimes with `short 45.00 damaged`,
//! 1%; overpayments 1%; partial payments 1%; the balance of an invoice paid
//! in part before, 1%; a credit memo netted (`INV-0123456 less CM-1077`),
//! 1.5%.
//!
//! # The truth and its conventions
//!
//! For each receipt, [`Truth`] lists what it settles as the matcher would
//! apply it: credit memos first, each spread over the invoices oldest
//! first (due date, date, number, installment); then the cash, invoice by
//! invoice in the same order. A discount taken in its window is granted;
//! taken late it is not (the deduction stays open). A bank fee within the
//! tolerance is written off on the newest invoice of the receipt (the cash
//! fills the others first); a larger short pay is cash only, the rest left
//! open. An overpayment leaves the excess unapplied. So the truth is what
//! an AR clerk who knows the customer's intent would post, in the
//! matcher's documented order where only the order is a convention.

use std::collections::BTreeMap;

use ar_core::chrono::{Datelike, Duration, NaiveDate};
use ar_core::matching::{
    creditor_reference, ItemKind, MatchCustomer, MatchDiscount, MatchItem, MatchReceipt, Tolerance,
};
use ar_core::rust_decimal::Decimal;
use ar_core::{Currency, CustomerId};

use crate::Rng;

/// Default number of open invoices.
pub const DEFAULT_INVOICES: usize = 100_000;
/// The seed the reports use.
pub const SEED: u64 = 20_261_001;
/// Receipts are dated over this many days from the batch date.
pub const WINDOW_DAYS: i64 = 28;
/// Invoices are issued over this many days before the batch date.
const HISTORY_DAYS: i64 = 180;
/// The first invoice number of the history.
const FIRST_NUMBER: u64 = 100_000;
/// The first credit memo number.
const FIRST_MEMO: u64 = 1_000;
/// The tolerance the truth assumes, in minor units: 25.00 fixed.
const TOLERANCE_MINOR: i64 = 2_500;
/// The bank's remittance field.
const FIELD: usize = 140;

/// The tolerance the truth assumes: short pays up to 25.00 are written off.
pub const TOLERANCE: Tolerance = Tolerance {
    fixed: Some(Decimal::from_parts(2_500, 0, 0, false, 2)),
    percent: None,
};

/// The habits and evidence a generated book is made of: the first style
/// ([`Profile::FIRST`], the book the matcher was tuned on) and a second,
/// unlike it ([`Profile::SECOND`]), so that the matcher is not measured on
/// one shape only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    /// Its name in reports.
    pub name: &'static str,
    /// Remittance styles of customers (weights, in [`Style`] order: clean,
    /// compact, bare, hash, words, bank, detailed, PO, creditor, none).
    pub styles: [u64; 10],
    /// Habits of small, medium and large customers not on discount or
    /// installment terms (weights: single, weekly, monthly).
    pub habits: [[u64; 3]; 3],
    /// Share of small and medium customers on installment terms (weight
    /// beside the other terms' 95).
    pub installments: u64,
    /// Percent of 2/10 customers who take the discount.
    pub takes_discount: u64,
    /// Bank fees per thousand receipts of payers who do not pay by wire.
    pub fee_permille: u64,
    /// Partial payments per thousand single-invoice receipts.
    pub partial_permille: u64,
    /// Percent of receipts whose payer the bank does not identify.
    pub unnamed_percent: u64,
    /// Percent of receipts arriving without text whatever the style.
    pub no_text_percent: u64,
    /// Percent of receipts with invoice numbers that have a typing error.
    pub typo_percent: u64,
}

impl Profile {
    /// The first style: the book described above.
    pub const FIRST: Profile = Profile {
        name: "first",
        styles: [28, 6, 14, 6, 6, 14, 8, 4, 4, 10],
        habits: [[80, 5, 15], [50, 20, 30], [25, 35, 40]],
        installments: 2,
        takes_discount: 40,
        fee_permille: 5,
        partial_permille: 10,
        unnamed_percent: 4,
        no_text_percent: 4,
        typo_percent: 4,
    };

    /// A second style: payers who pay in runs and by bank transfer whose
    /// text the bank rewrites (bank-prefixed, purchase orders, often
    /// none), a third of payers not identified by the bank (named on the
    /// statement or known by their account), more installments, bank fees
    /// and partial payments, and more discount takers, whose runs mix
    /// discounts in and out of their windows.
    pub const SECOND: Profile = Profile {
        name: "second",
        styles: [10, 4, 10, 4, 8, 30, 4, 8, 2, 20],
        habits: [[60, 15, 25], [30, 35, 35], [15, 40, 45]],
        installments: 8,
        takes_discount: 60,
        fee_permille: 40,
        partial_permille: 40,
        unnamed_percent: 35,
        no_text_percent: 10,
        typo_percent: 6,
    };
}

/// The date of the open items: before any receipt is applied.
pub fn batch_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 1).unwrap_or_default()
}

/// How a customer pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Habit {
    /// Each invoice separately, around its due date.
    Single,
    /// Each invoice separately and early, taking the 2% discount.
    Discount,
    /// A weekly payment run covering everything fallen due.
    Weekly,
    /// A monthly payment run covering everything fallen due.
    Monthly,
    /// Each installment of installment invoices separately.
    Installments,
}

/// How a receipt's remittance text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Style {
    /// `INV-0123456`.
    Clean,
    /// `INV0123456`.
    Compact,
    /// `123456`, `123456/123457`, ranges.
    Bare,
    /// `#123456`.
    Hash,
    /// `Invoice 123456`, `inv no. 123456`.
    Words,
    /// `ACH CCD ACME LOGISTICS INV123456`, wires, checks.
    Bank,
    /// `INV-0123456 1,234.56; INV-0123457 99.00`.
    Detailed,
    /// `PO 4500012345`.
    PurchaseOrder,
    /// `RF45 INV0 1234 56`.
    Creditor,
    /// No remittance at all.
    None,
}

/// A typing error in one reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Typo {
    /// No typing error.
    None,
    /// Two adjacent digits swapped.
    Transposed,
    /// A digit left out.
    Dropped,
    /// A digit typed twice.
    Doubled,
    /// The letter O for a zero.
    LetterO,
    /// The prefix misspelled (`IVN`, `INVOCIE`).
    Prefix,
}

/// What identifies the payer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PayerEvidence {
    /// The receipt names the customer.
    Given,
    /// Unnamed, from an account the customer paid from before.
    Account,
    /// Unnamed, with the payer's name from the bank.
    Name,
    /// Unnamed, nothing but the remittance.
    RemittanceOnly,
}

/// How the amount relates to what is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AmountKind {
    /// What is open.
    Exact,
    /// Less the early-payment discount, in its window.
    Discount,
    /// Less the discount, after its window (the deduction stays open).
    LateDiscount,
    /// Short by a bank fee within the tolerance (written off).
    BankFee,
    /// Short by more than the tolerance (left open).
    Dispute,
    /// More than is open (the rest unapplied).
    Overpayment,
    /// Part of one invoice.
    Partial,
    /// The balance of an invoice paid in part before the batch.
    Remainder,
    /// Less an open credit memo, which settles the rest.
    CreditNetting,
}

macro_rules! names {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            /// The short name used in reports.
            pub fn name(self) -> &'static str {
                match self { $(Self::$v => $s),* }
            }
        }
    };
}

names!(Habit { Single => "single", Discount => "discount", Weekly => "weekly", Monthly => "monthly", Installments => "installments" });
names!(Style {
    Clean => "clean", Compact => "compact", Bare => "bare", Hash => "hash", Words => "words",
    Bank => "bank", Detailed => "detailed", PurchaseOrder => "po", Creditor => "rf", None => "none",
});
names!(Typo { None => "none", Transposed => "transposed", Dropped => "dropped", Doubled => "doubled", LetterO => "letter_o", Prefix => "prefix" });
names!(PayerEvidence { Given => "given", Account => "account", Name => "name", RemittanceOnly => "remittance_only" });
names!(AmountKind {
    Exact => "exact", Discount => "discount", LateDiscount => "late_discount", BankFee => "bank_fee",
    Dispute => "dispute", Overpayment => "overpayment", Partial => "partial", Remainder => "remainder",
    CreditNetting => "credit_netting",
});

/// What kind of receipt this is, for breaking results down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Category {
    /// The payer's habit.
    pub habit: Habit,
    /// The remittance style as received (`None` when the text is empty).
    pub style: Style,
    /// A typing error, if any.
    pub typo: Typo,
    /// What identifies the payer.
    pub payer: PayerEvidence,
    /// How the amount relates to what is open.
    pub amount: AmountKind,
    /// Invoice installments settled.
    pub items: usize,
    /// The text was cut at 140 characters.
    pub truncated: bool,
    /// Another open invoice of the payer had the same open amount as one
    /// settled (amount-only evidence cannot tell them apart).
    pub twin: bool,
}

impl Category {
    /// The dimensions as (name, value) pairs.
    pub fn dims(&self) -> [(&'static str, &'static str); 8] {
        let items = match self.items {
            0 | 1 => "1",
            2 | 3 => "2-3",
            4..=10 => "4-10",
            _ => "11+",
        };
        let yes = |b: bool| if b { "yes" } else { "no" };
        [
            ("habit", self.habit.name()),
            ("style", self.style.name()),
            ("typo", self.typo.name()),
            ("payer", self.payer.name()),
            ("amount", self.amount.name()),
            ("items", items),
            ("truncated", yes(self.truncated)),
            ("twin amount", yes(self.twin)),
        ]
    }
}

/// One application in the truth.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Settle {
    /// The credit memo applied, or `None` for the receipt's cash.
    pub credit_memo: Option<String>,
    /// The invoice.
    pub invoice: String,
    /// The installment, for installment invoices.
    pub installment: Option<u32>,
    /// Amount applied.
    pub amount: Decimal,
    /// Early-payment discount granted.
    pub discount: Decimal,
    /// Short pay written off.
    pub write_off: Decimal,
}

/// What a receipt settles, exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truth {
    /// The payer.
    pub customer: CustomerId,
    /// Applications, in the matcher's order.
    pub settles: Vec<Settle>,
    /// Cash left unapplied.
    pub unapplied: Decimal,
    /// What kind of receipt it is.
    pub category: Category,
}

/// Generated cash-application data.
#[derive(Debug, Clone)]
pub struct CashBook {
    /// The date of the open items.
    pub batch_date: NaiveDate,
    /// Open invoice installments and credit memos as of the batch date.
    pub items: Vec<MatchItem>,
    /// Customers with names and known accounts.
    pub customers: Vec<MatchCustomer>,
    /// Receipts, in date order.
    pub receipts: Vec<MatchReceipt>,
    /// The truth for each receipt, in the same order.
    pub truths: Vec<Truth>,
    /// The tolerance the truth assumes.
    pub tolerance: Tolerance,
}

// ---- random helpers ---------------------------------------------------------

fn range(rng: &mut Rng, lo: i64, hi: i64) -> i64 {
    let span = u64::try_from(hi - lo + 1).unwrap_or(1);
    lo + i64::try_from(rng.below(span)).unwrap_or(0)
}

fn weighted<T: Copy>(rng: &mut Rng, table: &[(T, u64)], default: T) -> T {
    let total: u64 = table.iter().map(|(_, w)| w).sum();
    let mut x = rng.below(total);
    for &(v, w) in table {
        if x < w {
            return v;
        }
        x -= w;
    }
    default
}

fn choose<'a>(rng: &mut Rng, list: &[&'a str]) -> &'a str {
    let i = usize::try_from(rng.below(u64::try_from(list.len()).unwrap_or(1))).unwrap_or(0);
    list.get(i).copied().unwrap_or_default()
}

// ---- the book ------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Small,
    Medium,
    Large,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Terms {
    Net(i64),
    TwoTen,
    Installments,
}

#[derive(Debug, Clone)]
struct Cust {
    id: CustomerId,
    name: String,
    currency: Currency,
    class: Class,
    habit: Habit,
    style: Style,
    /// Variant of the style (bank form, padding, wording).
    variant: u64,
    terms: Terms,
    lateness: i64,
    spread: i64,
    /// Weekday (0-6) or day of month (1-28) of the payment run.
    run_day: u32,
    accounts: Vec<String>,
    uses_po: bool,
    recurring: Option<i64>,
    typical: i64,
    wire_fees: bool,
    alias: Option<String>,
}

#[derive(Debug, Clone)]
struct Inst {
    k: Option<u32>,
    /// The installment's amount as invoiced.
    amount: i64,
    due: NaiveDate,
    /// Open as of the batch date.
    open: i64,
    disc: i64,
    until: Option<NaiveDate>,
    /// When the habit pays it; `None` for never.
    pay: Option<NaiveDate>,
    late_discount: bool,
    /// Paid in part before the batch.
    prior_partial: bool,
}

#[derive(Debug, Clone)]
struct Inv {
    cust: usize,
    date: NaiveDate,
    /// Order of issue within the customer and day.
    seq: u32,
    number: u64,
    po: Option<String>,
    disputed: bool,
    insts: Vec<Inst>,
}

#[derive(Debug, Clone)]
struct Memo {
    cust: usize,
    date: NaiveDate,
    number: u64,
    open: i64,
    used: bool,
}

const FIRST_WORDS: [&str; 50] = [
    "Atlas",
    "Summit",
    "Pioneer",
    "Harbor",
    "Cedar",
    "Granite",
    "Silver",
    "Bluewater",
    "Redwood",
    "Evergreen",
    "Northern",
    "Pacific",
    "Coastal",
    "Prairie",
    "Lakeside",
    "Highland",
    "Riverside",
    "Sterling",
    "Keystone",
    "Liberty",
    "Crown",
    "Eagle",
    "Falcon",
    "Oakridge",
    "Maple",
    "Pinecrest",
    "Union",
    "Metro",
    "Central",
    "Golden",
    "Ironwood",
    "Copper",
    "Brightline",
    "Clearview",
    "Swift",
    "Prime",
    "Apex",
    "Vertex",
    "Nova",
    "Orion",
    "Delta",
    "Omega",
    "Beacon",
    "Harvest",
    "Meadow",
    "Canyon",
    "Sierra",
    "Arrow",
    "Anchor",
    "Westfield",
];
const SECOND_WORDS: [&str; 40] = [
    "Logistics",
    "Supply",
    "Foods",
    "Industrial",
    "Medical",
    "Dental",
    "Builders",
    "Electric",
    "Plumbing",
    "Motors",
    "Farms",
    "Textiles",
    "Packaging",
    "Chemicals",
    "Software",
    "Systems",
    "Labs",
    "Energy",
    "Hardware",
    "Furniture",
    "Printing",
    "Marine",
    "Aviation",
    "Retail",
    "Hospitality",
    "Healthcare",
    "Pharmacy",
    "Engineering",
    "Construction",
    "Distribution",
    "Trading",
    "Imports",
    "Outfitters",
    "Bakery",
    "Brewing",
    "Coffee",
    "Paper",
    "Steel",
    "Plastics",
    "Glass",
];
const MIDDLE_WORDS: [&str; 8] = [
    "", "West", "East", "National", "Regional", "American", "United", "General",
];
const SUFFIXES_USD: [&str; 6] = ["Inc", "LLC", "Corp", "Co", "Inc", "LLC"];
const SUFFIXES_EUR: [&str; 4] = ["GmbH", "SA", "BV", "AG"];
const SUFFIXES_GBP: [&str; 3] = ["Ltd", "Ltd", "PLC"];

fn customer_name(c: usize, currency: &str, rng: &mut Rng) -> (String, Option<String>) {
    // A permutation of the first 16,000 indices, so neighbours differ.
    let k = (c.wrapping_mul(7919).wrapping_add(13)) % 16_000;
    let first = FIRST_WORDS.get(k % 50).copied().unwrap_or("Atlas");
    let second = SECOND_WORDS.get((k / 50) % 40).copied().unwrap_or("Supply");
    let middle = MIDDLE_WORDS.get((k / 2000) % 8).copied().unwrap_or("");
    let suffix = match currency {
        "EUR" => choose(rng, &SUFFIXES_EUR),
        "GBP" => choose(rng, &SUFFIXES_GBP),
        _ => choose(rng, &SUFFIXES_USD),
    };
    let tail = if c >= 16_000 {
        format!(" {}", c / 16_000 + 1)
    } else {
        String::new()
    };
    let base = if middle.is_empty() {
        format!("{first} {second}{tail}")
    } else {
        format!("{first} {middle} {second}{tail}")
    };
    let alias = rng
        .chance(10)
        .then(|| format!("{first} {second} Holdings{tail}"));
    (format!("{base} {suffix}"), alias)
}

fn account(rng: &mut Rng) -> String {
    const ROUTING: [&str; 6] = [
        "021000021",
        "026009593",
        "121000248",
        "011000138",
        "071000013",
        "122000661",
    ];
    format!(
        "{}-{:010}",
        choose(rng, &ROUTING),
        rng.below(10_000_000_000)
    )
}

fn new_customer(c: usize, rng: &mut Rng, profile: &Profile) -> Cust {
    let class = weighted(
        rng,
        &[(Class::Small, 65), (Class::Medium, 28), (Class::Large, 7)],
        Class::Small,
    );
    let code = weighted(rng, &[("USD", 85), ("EUR", 10), ("GBP", 5)], "USD");
    let currency = Currency::new(code).unwrap_or_else(|_| unreachable());
    let (name, alias) = customer_name(c, code, rng);
    // Installment plans are for the smaller customers.
    let installments = if class == Class::Large {
        0
    } else {
        profile.installments
    };
    let terms = weighted(
        rng,
        &[
            (Terms::Net(30), 40),
            (Terms::Net(15), 10),
            (Terms::Net(45), 15),
            (Terms::Net(60), 10),
            (Terms::TwoTen, 20),
            (Terms::Installments, installments),
        ],
        Terms::Net(30),
    );
    let takes_discount = terms == Terms::TwoTen && rng.chance(profile.takes_discount);
    let habit = if terms == Terms::Installments {
        Habit::Installments
    } else if takes_discount {
        Habit::Discount
    } else {
        let [single, weekly, monthly] = match class {
            Class::Small => profile.habits[0],
            Class::Medium => profile.habits[1],
            Class::Large => profile.habits[2],
        };
        let table = [
            (Habit::Single, single),
            (Habit::Weekly, weekly),
            (Habit::Monthly, monthly),
        ];
        weighted(rng, &table, Habit::Single)
    };
    let w = profile.styles;
    let mut style = weighted(
        rng,
        &[
            (Style::Clean, w[0]),
            (Style::Compact, w[1]),
            (Style::Bare, w[2]),
            (Style::Hash, w[3]),
            (Style::Words, w[4]),
            (Style::Bank, w[5]),
            (Style::Detailed, w[6]),
            (Style::PurchaseOrder, w[7]),
            (Style::Creditor, w[8]),
            (Style::None, w[9]),
        ],
        Style::Clean,
    );
    // SEPA payers use creditor references; few others do.
    if code == "EUR" && rng.chance(40) {
        style = Style::Creditor;
    } else if style == Style::Creditor && code != "EUR" && rng.chance(75) {
        style = Style::Clean;
    }
    let uses_po = style == Style::PurchaseOrder || rng.chance(38);
    let typical = {
        let base = weighted(
            rng,
            &[
                (10_000, 16),
                (25_000, 16),
                (50_000, 18),
                (100_000, 18),
                (250_000, 14),
                (500_000, 9),
                (1_000_000, 6),
                (2_500_000, 3),
            ],
            50_000,
        );
        base * range(rng, 50, 200) / 100
    };
    let recurring = rng.chance(5).then(|| (typical / 100).max(1) * 100);
    let n_accounts = if rng.chance(20) { 2 } else { 1 };
    let accounts = (0..n_accounts).map(|_| account(rng)).collect();
    Cust {
        id: CustomerId::new(format!("C{c:06}")).unwrap_or_else(|_| unreachable()),
        name,
        currency,
        class,
        habit,
        style,
        variant: rng.next_u64(),
        terms,
        lateness: range(rng, -5, 25),
        spread: range(rng, 0, 8),
        run_day: u32::try_from(match habit {
            Habit::Weekly => range(rng, 0, 4),
            _ => range(rng, 1, 28),
        })
        .unwrap_or(1),
        accounts,
        uses_po,
        recurring,
        typical,
        wire_fees: (code != "USD" && rng.chance(25)) || rng.chance(2),
        alias,
    }
}

fn unreachable<T>() -> T {
    // Generated ids and currency codes are always valid; a failure here is
    // a bug in this file.
    std::process::abort()
}

fn days(n: i64) -> Duration {
    Duration::days(n)
}

/// The first payment-run date on or after `from`.
fn next_run(from: NaiveDate, habit: Habit, run_day: u32) -> NaiveDate {
    let mut d = from;
    for _ in 0..40 {
        let hit = match habit {
            Habit::Weekly => d.weekday().num_days_from_monday() == run_day,
            _ => d.day() == run_day,
        };
        if hit {
            return d;
        }
        d += days(1);
    }
    d
}

fn split3(total: i64) -> [i64; 3] {
    let base = total / 3;
    let rest = total - base * 3;
    [
        base + i64::from(rest >= 1),
        base + i64::from(rest >= 2),
        base,
    ]
}

/// A customer's invoices over the history, with when the habit pays them.
fn customer_invoices(ci: usize, c: &Cust, rng: &mut Rng, out: &mut Vec<Inv>) {
    let b = batch_date();
    let start = b - days(HISTORY_DAYS);
    let mut date = start + days(range(rng, 0, 20));
    let mut po: Option<(String, u32)> = None;
    let mut po_seq = 0u64;
    while date <= b {
        let count = match c.class {
            Class::Small | Class::Medium => 1,
            Class::Large => range(rng, 1, 4),
        };
        for seq in 0..count {
            let mut total = match c.recurring {
                Some(v) => v,
                None => {
                    let v = c.typical * range(rng, 30, 300) / 100 + range(rng, 0, 99);
                    if rng.chance(15) {
                        (v / 100).max(1) * 100
                    } else {
                        v.max(100)
                    }
                }
            };
            total = total.max(1_000);
            let po_number = if c.uses_po {
                let reuse = matches!(&po, Some((_, left)) if *left > 0);
                if !reuse {
                    po_seq += 1;
                    let n = 4_500_000_000u64 + (ci as u64) * 1_000 + po_seq;
                    po = Some((
                        format!("PO-{n}"),
                        u32::try_from(range(rng, 0, 2)).unwrap_or(0),
                    ));
                } else if let Some((_, left)) = &mut po {
                    *left -= 1;
                }
                po.as_ref().map(|(p, _)| p.clone())
            } else {
                None
            };
            let never = rng.chance(2);
            let disputed = !never && rng.chance(1);
            let mut insts = Vec::new();
            match c.terms {
                // Plans are for invoices of 300.00 or more.
                Terms::Installments if total >= 30_000 => {
                    for (k, amount) in split3(total).into_iter().enumerate() {
                        let k32 = u32::try_from(k).unwrap_or(0);
                        insts.push(Inst {
                            k: Some(k32 + 1),
                            amount,
                            due: date + days(30 * (i64::from(k32) + 1)),
                            open: amount,
                            disc: 0,
                            until: None,
                            pay: None,
                            late_discount: false,
                            prior_partial: false,
                        });
                    }
                }
                Terms::Net(_) | Terms::Installments => insts.push(Inst {
                    k: None,
                    amount: total,
                    due: date
                        + days(match c.terms {
                            Terms::Net(n) => n,
                            _ => 30,
                        }),
                    open: total,
                    disc: 0,
                    until: None,
                    pay: None,
                    late_discount: false,
                    prior_partial: false,
                }),
                Terms::TwoTen => insts.push(Inst {
                    k: None,
                    amount: total,
                    due: date + days(30),
                    open: total,
                    disc: (total * 2 + 50) / 100,
                    until: Some(date + days(10)),
                    pay: None,
                    late_discount: false,
                    prior_partial: false,
                }),
            }
            for inst in &mut insts {
                if never || disputed {
                    continue;
                }
                let jitter = range(rng, -c.spread, c.spread);
                inst.pay = Some(match c.habit {
                    Habit::Discount => {
                        if rng.chance(85) {
                            date + days(range(rng, 2, 10))
                        } else {
                            inst.late_discount = true;
                            date + days(range(rng, 12, 24))
                        }
                    }
                    Habit::Weekly | Habit::Monthly => next_run(
                        (inst.due + days(c.lateness + jitter)).max(date + days(1)),
                        c.habit,
                        c.run_day,
                    ),
                    Habit::Single | Habit::Installments => {
                        (inst.due + days(c.lateness + jitter)).max(date + days(1))
                    }
                });
            }
            // Paid in part before the batch: the rest is open.
            if insts.len() == 1 && c.terms != Terms::TwoTen && date < b - days(5) && rng.chance(3) {
                if let Some(inst) = insts.first_mut() {
                    if inst.open >= 1_000 {
                        inst.open -= inst.open * range(rng, 20, 70) / 100;
                        inst.prior_partial = true;
                    }
                }
            }
            out.push(Inv {
                cust: ci,
                date,
                seq: u32::try_from(seq).unwrap_or(0),
                number: 0,
                po: po_number,
                disputed,
                insts,
            });
        }
        let gap = match c.class {
            Class::Small => range(rng, 12, 40),
            Class::Medium => range(rng, 2, 7),
            Class::Large => 1,
        };
        date += days(gap);
    }
}

fn open_at_batch(inst: &Inst) -> bool {
    inst.open > 0 && inst.pay.is_none_or(|p| p >= batch_date())
}

fn in_batch(inst: &Inst) -> bool {
    let b = batch_date();
    inst.pay
        .is_some_and(|p| p >= b && p < b + days(WINDOW_DAYS))
}

fn money(v: i64) -> Decimal {
    Decimal::new(v, 2)
}

fn invoice_id(n: u64) -> String {
    format!("INV-{n:07}")
}

fn memo_id(n: u64) -> String {
    format!("CM-{n:06}")
}

/// `1,234.56`.
fn amount_text(v: i64) -> String {
    let units = v / 100;
    let cents = v % 100;
    let digits = units.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{out}.{cents:02}")
}

// ---- remittance ------------------------------------------------------------

/// One reference as written: a prefix and a digit string.
struct Written {
    prefix: String,
    digits: String,
    /// Text after it (an amount, for the detailed style).
    suffix: String,
}

fn typo_digits(rng: &mut Rng, digits: &str, kind: Typo) -> Option<String> {
    let mut d: Vec<u8> = digits.bytes().collect();
    // Significant digits start after the padding zeros.
    let first = d.iter().position(|c| *c != b'0').unwrap_or(0);
    let n = d.len();
    if n < first + 3 {
        return None;
    }
    let pick = |rng: &mut Rng, lo: usize, hi: usize| -> usize {
        lo + usize::try_from(rng.below(u64::try_from(hi - lo).unwrap_or(1))).unwrap_or(0)
    };
    match kind {
        Typo::Transposed => {
            let cands: Vec<usize> = (first..n - 1)
                .filter(|&i| d.get(i) != d.get(i + 1))
                .collect();
            let i = *cands.get(pick(rng, 0, cands.len().max(1)))?;
            d.swap(i, i + 1);
        }
        Typo::Dropped => {
            let i = pick(rng, first, n);
            d.remove(i);
        }
        Typo::Doubled => {
            let i = pick(rng, first, n);
            let c = *d.get(i)?;
            d.insert(i, c);
        }
        Typo::LetterO => {
            let zeros: Vec<usize> = (0..n).filter(|&i| d.get(i) == Some(&b'0')).collect();
            let i = *zeros.get(pick(rng, 0, zeros.len().max(1)))?;
            if let Some(c) = d.get_mut(i) {
                *c = b'O';
            }
        }
        Typo::None | Typo::Prefix => return None,
    }
    String::from_utf8(d).ok()
}

fn misspell(prefix: &str, rng: &mut Rng) -> Option<String> {
    let p = prefix.trim_end_matches(['-', ' ', '#', '.']);
    let tail = prefix.get(p.len()..).unwrap_or_default();
    let bad = match p.to_ascii_uppercase().as_str() {
        "INV" => choose(rng, &["IVN", "INB", "IMV", "INVC"]),
        "INVOICE" => choose(rng, &["INVOCIE", "INOVICE", "INVIOCE", "INVOCE"]),
        _ => return None,
    };
    let bad = if p.chars().any(|c| c.is_ascii_lowercase()) {
        let mut s = bad.to_ascii_lowercase();
        if let Some(f) = s.get_mut(0..1) {
            f.make_ascii_uppercase();
        }
        s
    } else {
        bad.to_owned()
    };
    Some(format!("{bad}{tail}"))
}

fn join_list(rng: &mut Rng, parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        _ => {
            let sep = weighted(
                rng,
                &[
                    (", ", 30),
                    (" ", 20),
                    ("/", 15),
                    (" & ", 10),
                    ("; ", 10),
                    ("and", 15),
                ],
                ", ",
            );
            if sep == "and" {
                match parts.split_last() {
                    Some((last, head)) => format!("{} and {last}", head.join(", ")),
                    None => String::new(),
                }
            } else {
                parts.join(sep)
            }
        }
    }
}

fn name16(name: &str) -> String {
    let up: String = name
        .to_ascii_uppercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
        .collect();
    up.chars()
        .take(16)
        .collect::<String>()
        .trim_end()
        .to_owned()
}

struct TextPlan<'a> {
    cust: &'a Cust,
    style: Style,
    /// (number, paid amount) per invoice, age order, one per invoice.
    invoices: Vec<(u64, i64)>,
    pos: Vec<String>,
    memo: Option<u64>,
    short_note: Option<i64>,
    /// Installment k of n, for one installment paid.
    installment: Option<(u32, usize)>,
    typo: Typo,
}

/// The remittance text, and the typing error actually made.
fn render(rng: &mut Rng, plan: &TextPlan<'_>) -> (String, Typo) {
    let c = plan.cust;
    let v = c.variant;
    let numbers: Vec<u64> = plan.invoices.iter().map(|(n, _)| *n).collect();
    let consecutive = numbers.len() >= 3
        && numbers
            .windows(2)
            .all(|w| matches!(w, [a, b] if *b == *a + 1));
    let mut written: Vec<Written> = plan
        .invoices
        .iter()
        .map(|&(n, paid)| {
            let padded = format!("{n:07}");
            let plain = n.to_string();
            let (prefix, digits, suffix) = match plan.style {
                Style::Clean => ("INV-".to_owned(), padded, String::new()),
                Style::Compact => ("INV".to_owned(), padded, String::new()),
                Style::Bare => {
                    let d = if v.is_multiple_of(3) { padded } else { plain };
                    (String::new(), d, String::new())
                }
                Style::Hash => ("#".to_owned(), plain, String::new()),
                Style::Words => {
                    let p = ["Invoice ", "inv no. ", "Inv ", "INVOICE "]
                        .get(usize::try_from(v % 4).unwrap_or(0))
                        .copied()
                        .unwrap_or("Invoice ");
                    (p.to_owned(), plain, String::new())
                }
                Style::Bank => {
                    let d = if v.is_multiple_of(2) { plain } else { padded };
                    ("INV".to_owned(), d, String::new())
                }
                Style::Detailed => ("INV-".to_owned(), padded, format!(" {}", amount_text(paid))),
                Style::PurchaseOrder | Style::Creditor | Style::None => {
                    (String::new(), String::new(), String::new())
                }
            };
            Written {
                prefix,
                digits,
                suffix,
            }
        })
        .collect();
    // One reference mistyped.
    let mut typo = Typo::None;
    if plan.typo != Typo::None && !written.is_empty() {
        let k = usize::try_from(rng.below(u64::try_from(written.len()).unwrap_or(1))).unwrap_or(0);
        if let Some(w) = written.get_mut(k) {
            let mut kind = plan.typo;
            if kind == Typo::Prefix {
                match misspell(&w.prefix, rng) {
                    Some(p) => {
                        w.prefix = p;
                        typo = Typo::Prefix;
                    }
                    None => kind = Typo::Transposed,
                }
            }
            if kind == Typo::LetterO && !w.digits.contains('0') {
                kind = Typo::Transposed;
            }
            if kind != Typo::Prefix {
                if let Some(d) = typo_digits(rng, &w.digits, kind) {
                    w.digits = d;
                    typo = kind;
                }
            }
        }
    }
    let as_text = |w: &Written| format!("{}{}{}", w.prefix, w.digits, w.suffix);
    let refs = match plan.style {
        Style::None => String::new(),
        Style::PurchaseOrder => {
            let p = ["PO ", "P.O. ", "PO#", "PO NO "]
                .get(usize::try_from(v % 4).unwrap_or(0))
                .copied()
                .unwrap_or("PO ");
            let parts: Vec<String> = plan
                .pos
                .iter()
                .map(|po| format!("{p}{}", po.trim_start_matches("PO-")))
                .collect();
            join_list(rng, &parts)
        }
        Style::Creditor => {
            let parts: Vec<String> = numbers
                .iter()
                .filter_map(|&n| creditor_reference(&invoice_id(n)).ok())
                .map(|rf| {
                    let chars: Vec<char> = rf.chars().collect();
                    chars
                        .chunks(4)
                        .map(|g| g.iter().collect::<String>())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            parts.join(" ")
        }
        Style::Bare | Style::Hash | Style::Words
            if consecutive && typo == Typo::None && rng.chance(50) =>
        {
            let first = written.first().map(as_text).unwrap_or_default();
            let last = numbers.last().copied().unwrap_or_default();
            format!("{first}-{last}")
        }
        Style::Words => {
            // The word once, then the numbers.
            let head = written.first().map(as_text).unwrap_or_default();
            let mut parts = vec![head];
            parts.extend(written.iter().skip(1).map(|w| w.digits.clone()));
            join_list(rng, &parts)
        }
        Style::Detailed => {
            let parts: Vec<String> = written.iter().map(as_text).collect();
            parts.join("; ")
        }
        Style::Bank => {
            let parts: Vec<String> = written.iter().map(as_text).collect();
            parts.join(" ")
        }
        Style::Clean | Style::Compact | Style::Bare | Style::Hash => {
            let parts: Vec<String> = written.iter().map(as_text).collect();
            join_list(rng, &parts)
        }
    };
    let mut text = match plan.style {
        Style::Bank => {
            let n16 = name16(&c.name);
            match (v >> 8) % 5 {
                0 => format!("ACH CCD {n16} {refs}"),
                1 => format!("ACH CREDIT {n16} PMT {refs}"),
                2 => format!("WIRE IN /ORG/{} /RFB/{refs}", c.name.to_ascii_uppercase()),
                3 => format!("CHECK {} {refs}", range(rng, 10_000, 99_999)),
                _ => format!("{n16} PAYMENT REF {refs}"),
            }
        }
        Style::Detailed => format!("PMT ADVICE {refs}"),
        _ => refs,
    };
    if let Some(m) = plan.memo {
        let note = match rng.below(4) {
            0 => format!("less CM-{m}"),
            1 => format!("less credit memo {m}"),
            2 => format!("minus CM{m:06}"),
            _ => format!("less CM-{m:06}"),
        };
        text = if text.is_empty() {
            note
        } else {
            format!("{text} {note}")
        };
    }
    if let Some((k, n)) = plan.installment {
        if !text.is_empty() && rng.chance(30) {
            text = format!("{text} installment {k} of {n}");
        }
    }
    if let Some(s) = plan.short_note {
        text = format!("{text} short {} damaged", amount_text(s));
    }
    let text = text.trim().to_owned();
    (text, typo)
}

// ---- receipts and truth ------------------------------------------------------

/// Where an item of the open book is.
#[derive(Debug, Clone, Copy)]
struct ItemRef {
    inv: usize,
    inst: usize,
}

fn age_key(invs: &[Inv], r: ItemRef) -> (NaiveDate, NaiveDate, u64, u32) {
    let Some(inv) = invs.get(r.inv) else {
        return (NaiveDate::MAX, NaiveDate::MAX, 0, 0);
    };
    let inst = inv.insts.get(r.inst);
    (
        inst.map_or(NaiveDate::MAX, |i| i.due),
        inv.date,
        inv.number,
        inst.and_then(|i| i.k).unwrap_or(0),
    )
}

/// Generates about `invoices` open invoice installments and the receipts
/// that pay part of them, with the truth for each receipt.
pub fn generate(invoices: usize, seed: u64) -> CashBook {
    generate_as(invoices, seed, &Profile::FIRST)
}

/// A book of `invoices` open invoices in the style of `profile`.
pub fn generate_as(invoices: usize, seed: u64, profile: &Profile) -> CashBook {
    let mut rng = Rng::new(seed);
    let b = batch_date();
    let mut custs: Vec<Cust> = Vec::new();
    let mut invs: Vec<Inv> = Vec::new();
    let mut open = 0usize;
    while open < invoices.max(1) {
        let ci = custs.len();
        let c = new_customer(ci, &mut rng, profile);
        let before = invs.len();
        customer_invoices(ci, &c, &mut rng, &mut invs);
        open += invs
            .get(before..)
            .unwrap_or_default()
            .iter()
            .flat_map(|i| &i.insts)
            .filter(|i| open_at_batch(i))
            .count();
        custs.push(c);
    }
    // One numbering for the company, in date order; several invoices of a
    // customer on one day are consecutive.
    let mut order: Vec<usize> = (0..invs.len()).collect();
    order.sort_by_key(|&i| invs.get(i).map(|v| (v.date, v.cust, v.seq)));
    for (k, &i) in order.iter().enumerate() {
        if let Some(v) = invs.get_mut(i) {
            v.number = FIRST_NUMBER + k as u64;
        }
    }
    // Open credit memos: 10% of customers have one or two.
    let mut memos: Vec<Memo> = Vec::new();
    for (ci, c) in custs.iter().enumerate() {
        if rng.chance(10) {
            for _ in 0..range(&mut rng, 1, 2) {
                let amount = (c.typical * range(&mut rng, 5, 25) / 100).max(500);
                memos.push(Memo {
                    cust: ci,
                    date: b - days(range(&mut rng, 1, 90)),
                    number: 0,
                    open: amount,
                    used: false,
                });
            }
        }
    }
    memos.sort_by_key(|m| (m.date, m.cust));
    let mut memos_of: Vec<Vec<usize>> = vec![Vec::new(); custs.len()];
    for (k, m) in memos.iter_mut().enumerate() {
        m.number = FIRST_MEMO + k as u64;
        if let Some(list) = memos_of.get_mut(m.cust) {
            list.push(k);
        }
    }

    // The open book, in number order.
    let mut items: Vec<MatchItem> = Vec::new();
    for &i in &order {
        let Some(v) = invs.get(i) else { continue };
        let Some(c) = custs.get(v.cust) else { continue };
        for inst in &v.insts {
            if !open_at_batch(inst) {
                continue;
            }
            let discount = (inst.disc > 0 && inst.disc < inst.open)
                .then_some(())
                .and(inst.until)
                .map(|until| MatchDiscount {
                    until,
                    amount: money(inst.disc),
                });
            items.push(MatchItem {
                kind: ItemKind::Invoice,
                id: invoice_id(v.number),
                installment: inst.k,
                customer: c.id.clone(),
                currency: c.currency,
                date: v.date,
                due_date: inst.due,
                open: money(inst.open),
                discount,
                po_number: v.po.clone(),
                disputed: v.disputed,
            });
        }
    }
    for m in &memos {
        let Some(c) = custs.get(m.cust) else { continue };
        items.push(MatchItem {
            kind: ItemKind::CreditMemo,
            id: memo_id(m.number),
            installment: None,
            customer: c.id.clone(),
            currency: c.currency,
            date: m.date,
            due_date: m.date,
            open: money(m.open),
            discount: None,
            po_number: None,
            disputed: false,
        });
    }
    // Open amounts per customer, to tell which payments have a twin.
    let mut amounts: BTreeMap<(usize, i64), u32> = BTreeMap::new();
    for v in &invs {
        for inst in &v.insts {
            if open_at_batch(inst) {
                *amounts.entry((v.cust, inst.open)).or_default() += 1;
            }
        }
    }

    // What each receipt pays: one item, or a run's items.
    let mut paid: Vec<(NaiveDate, usize, u64, u32, ItemRef)> = Vec::new();
    for (i, v) in invs.iter().enumerate() {
        for (k, inst) in v.insts.iter().enumerate() {
            if in_batch(inst) && inst.open > 0 {
                if let Some(pay) = inst.pay {
                    paid.push((
                        pay,
                        v.cust,
                        v.number,
                        inst.k.unwrap_or(0),
                        ItemRef { inv: i, inst: k },
                    ));
                }
            }
        }
    }
    paid.sort_by_key(|p| (p.0, p.1, p.2, p.3));
    let mut groups: Vec<(NaiveDate, usize, Vec<ItemRef>)> = Vec::new();
    for (date, cust, _, _, r) in paid {
        let run = custs
            .get(cust)
            .is_some_and(|c| matches!(c.habit, Habit::Weekly | Habit::Monthly));
        match groups.last_mut() {
            Some((d, c, list)) if run && *d == date && *c == cust => list.push(r),
            _ => groups.push((date, cust, vec![r])),
        }
    }

    let mut receipts = Vec::with_capacity(groups.len());
    let mut truths = Vec::with_capacity(groups.len());
    for (n, (date, ci, mut refs)) in groups.into_iter().enumerate() {
        let Some(c) = custs.get(ci) else { continue };
        refs.sort_by_key(|&r| age_key(&invs, r));
        let inst_of = |r: ItemRef| invs.get(r.inv).and_then(|v| v.insts.get(r.inst));
        let single = refs.len() == 1;
        let first = refs.first().copied();
        let first_inst = first.and_then(inst_of).cloned();
        // The amount.
        let mut kind = AmountKind::Exact;
        let mut memo: Option<(u64, i64)> = None;
        if c.habit == Habit::Discount {
            let any = refs
                .iter()
                .any(|&r| inst_of(r).is_some_and(|i| i.disc > 0 && i.disc < i.open));
            let late = first_inst.as_ref().is_some_and(|i| i.late_discount);
            if any {
                kind = if late {
                    AmountKind::LateDiscount
                } else {
                    AmountKind::Discount
                };
            }
        } else {
            let roll = rng.below(1000);
            let fee = if c.wire_fees {
                500
            } else {
                profile.fee_permille
            };
            let partial = profile.partial_permille;
            let partly = first_inst.as_ref().is_some_and(|i| i.prior_partial);
            if roll < fee {
                kind = AmountKind::BankFee;
            } else if single && roll < fee + 15 {
                kind = AmountKind::Dispute;
            } else if single && roll < fee + 25 {
                kind = AmountKind::Overpayment;
            } else if single
                && roll < fee + 25 + partial
                && first_inst.as_ref().is_some_and(|i| i.k.is_none())
            {
                kind = AmountKind::Partial;
            } else if single && partly {
                kind = if rng.chance(25) {
                    AmountKind::Overpayment
                } else {
                    AmountKind::Remainder
                };
            }
            // Net an open credit memo now and then.
            if kind == AmountKind::Exact && rng.chance(33) {
                let need: i64 = refs
                    .iter()
                    .filter_map(|&r| inst_of(r))
                    .map(|i| i.open)
                    .sum();
                let mine = memos_of.get(ci).map(Vec::as_slice).unwrap_or_default();
                let pick = mine.iter().copied().find(|&k| {
                    memos
                        .get(k)
                        .is_some_and(|m| !m.used && m.open < need && m.date <= date)
                });
                if let Some(m) = pick.and_then(|k| memos.get_mut(k)) {
                    m.used = true;
                    kind = AmountKind::CreditNetting;
                    memo = Some((m.number, m.open));
                }
            }
        }
        // Truth: credits first, then cash, oldest first.
        let mut need: Vec<i64> = refs
            .iter()
            .map(|&r| inst_of(r).map_or(0, |i| i.open))
            .collect();
        let mut settles: Vec<Settle> = Vec::new();
        let id_of = |r: ItemRef| {
            invs.get(r.inv)
                .map(|v| invoice_id(v.number))
                .unwrap_or_default()
        };
        if let Some((num, open)) = memo {
            let mut left = open;
            for (k, &r) in refs.iter().enumerate() {
                let Some(nd) = need.get_mut(k) else { continue };
                let take = left.min(*nd);
                if take <= 0 {
                    continue;
                }
                *nd -= take;
                left -= take;
                settles.push(Settle {
                    credit_memo: Some(memo_id(num)),
                    invoice: id_of(r),
                    installment: inst_of(r).and_then(|i| i.k),
                    amount: money(take),
                    discount: Decimal::ZERO,
                    write_off: Decimal::ZERO,
                });
            }
        }
        let total_need: i64 = need.iter().sum();
        let last_need = need.last().copied().unwrap_or(0);
        let cash_total = match kind {
            AmountKind::Exact | AmountKind::Remainder | AmountKind::CreditNetting => total_need,
            AmountKind::Discount | AmountKind::LateDiscount => {
                let d: i64 = refs
                    .iter()
                    .filter_map(|&r| inst_of(r))
                    .filter(|i| {
                        i.disc > 0
                            && i.disc < i.open
                            && (kind == AmountKind::LateDiscount
                                || i.until.is_some_and(|u| date <= u))
                    })
                    .map(|i| i.disc)
                    .sum();
                total_need - d
            }
            AmountKind::BankFee => {
                let fee = range(&mut rng, 500, TOLERANCE_MINOR).min(last_need - 1);
                total_need - fee.max(0)
            }
            AmountKind::Dispute => {
                let max = (total_need / 2).min(50_000);
                if max <= TOLERANCE_MINOR + 100 {
                    // Too small to dispute more than the tolerance: paid.
                    kind = AmountKind::Exact;
                    total_need
                } else {
                    total_need - range(&mut rng, TOLERANCE_MINOR + 100, max)
                }
            }
            AmountKind::Partial => {
                let part = total_need * range(&mut rng, 25, 75) / 100;
                // Short by no more than the tolerance is a tolerated short
                // pay, not a partial payment: pay it all instead.
                if part <= 0 || total_need - part <= TOLERANCE_MINOR {
                    kind = AmountKind::Exact;
                    total_need
                } else {
                    part
                }
            }
            AmountKind::Overpayment => match first_inst.as_ref() {
                // Pays the invoice's full amount, forgetting the part paid.
                Some(i) if i.prior_partial && rng.chance(50) => i.amount,
                _ => total_need + range(&mut rng, 100, 5_000),
            },
        };
        let mut cash_left = cash_total;
        let mut paid_lines: Vec<(u64, i64)> = Vec::new();
        for (k, &r) in refs.iter().enumerate() {
            let Some(inst) = inst_of(r) else { continue };
            let nd = need.get(k).copied().unwrap_or(0);
            if nd <= 0 {
                continue;
            }
            let in_window = inst.until.is_some_and(|u| date <= u);
            let has_disc = inst.disc > 0 && inst.disc < inst.open;
            let (cash, discount, write_off) = match kind {
                AmountKind::Discount if has_disc && in_window => (nd - inst.disc, inst.disc, 0),
                AmountKind::LateDiscount if has_disc => (nd - inst.disc, 0, 0),
                AmountKind::BankFee => {
                    let cash = cash_left.min(nd);
                    (cash, 0, nd - cash)
                }
                AmountKind::Dispute | AmountKind::Partial => (cash_left.min(nd), 0, 0),
                _ => (nd, 0, 0),
            };
            cash_left -= cash;
            let number = invs.get(r.inv).map_or(0, |v| v.number);
            match paid_lines.last_mut() {
                Some((num, amt)) if *num == number => *amt += cash,
                _ => paid_lines.push((number, cash)),
            }
            settles.push(Settle {
                credit_memo: None,
                invoice: id_of(r),
                installment: inst.k,
                amount: money(cash),
                discount: money(discount),
                write_off: money(write_off),
            });
        }
        let unapplied = cash_left.max(0);
        // The text.
        let mut style = c.style;
        if style == Style::PurchaseOrder
            && refs
                .iter()
                .any(|&r| invs.get(r.inv).is_some_and(|v| v.po.is_none()))
        {
            style = Style::Clean;
        }
        // Who pays short, over or in part says which invoice.
        let explains = matches!(
            kind,
            AmountKind::Dispute | AmountKind::Partial | AmountKind::Overpayment
        );
        // A transfer carries one structured creditor reference: runs are
        // described in free text.
        if style == Style::Creditor && paid_lines.len() > 1 {
            style = Style::Clean;
        }
        if explains && style == Style::None {
            style = Style::Clean;
        } else if !explains && rng.chance(profile.no_text_percent) {
            style = Style::None;
        }
        let typo = if matches!(style, Style::None | Style::PurchaseOrder | Style::Creditor)
            || !rng.chance(profile.typo_percent)
        {
            Typo::None
        } else {
            weighted(
                &mut rng,
                &[
                    (Typo::Transposed, 1),
                    (Typo::Dropped, 1),
                    (Typo::Doubled, 1),
                    (Typo::LetterO, 1),
                    (Typo::Prefix, 1),
                ],
                Typo::Transposed,
            )
        };
        let mut pos: Vec<String> = Vec::new();
        for &r in &refs {
            if let Some(po) = invs.get(r.inv).and_then(|v| v.po.clone()) {
                if !pos.contains(&po) {
                    pos.push(po);
                }
            }
        }
        let plan = TextPlan {
            cust: c,
            style,
            invoices: paid_lines,
            pos,
            memo: memo.map(|(num, _)| num).filter(|_| style != Style::None),
            installment: match (single, first) {
                (true, Some(r)) => invs
                    .get(r.inv)
                    .and_then(|v| Some((v.insts.get(r.inst)?.k?, v.insts.len()))),
                _ => None,
            },
            short_note: (kind == AmountKind::Dispute && rng.chance(50))
                .then(|| total_need - cash_total),
            typo,
        };
        let (mut text, typo) = render(&mut rng, &plan);
        let truncated = text.len() > FIELD;
        if truncated {
            text.truncate(FIELD);
            text = text.trim_end().to_owned();
        }
        let style = if text.is_empty() { Style::None } else { style };
        // The payer.
        let payer = if rng.chance(profile.unnamed_percent) {
            weighted(
                &mut rng,
                &[
                    (PayerEvidence::Account, 55),
                    (PayerEvidence::Name, 30),
                    (PayerEvidence::RemittanceOnly, 15),
                ],
                PayerEvidence::Account,
            )
        } else {
            PayerEvidence::Given
        };
        let known_account = {
            let k = usize::try_from(rng.below(c.accounts.len() as u64)).unwrap_or(0);
            c.accounts.get(k).cloned()
        };
        let (account, payer_name) = match payer {
            PayerEvidence::Given => {
                let acct = if rng.chance(90) {
                    known_account
                } else {
                    Some(account(&mut rng))
                };
                let name = rng.chance(70).then(|| {
                    if rng.chance(50) {
                        name16(&c.name)
                    } else {
                        c.name.to_ascii_uppercase()
                    }
                });
                (acct, name)
            }
            PayerEvidence::Account => (known_account, None),
            PayerEvidence::Name => {
                let name = if rng.chance(70) {
                    c.name.to_ascii_uppercase()
                } else {
                    name16(&c.name)
                };
                (Some(account(&mut rng)), Some(name))
            }
            PayerEvidence::RemittanceOnly => (Some(account(&mut rng)), None),
        };
        let twin = refs.iter().any(|&r| {
            inst_of(r).is_some_and(|i| amounts.get(&(ci, i.open)).copied().unwrap_or(0) > 1)
        });
        let category = Category {
            habit: c.habit,
            style,
            typo,
            payer,
            amount: kind,
            items: refs.len(),
            truncated,
            twin,
        };
        receipts.push(MatchReceipt {
            id: format!("RCPT-{:07}", n + 1),
            customer: (payer == PayerEvidence::Given).then(|| c.id.clone()),
            date,
            amount: money(cash_total),
            currency: c.currency,
            remittance: text,
            payer_name,
            account,
        });
        truths.push(Truth {
            customer: c.id.clone(),
            settles,
            unapplied: money(unapplied),
            category,
        });
    }
    let customers = custs
        .iter()
        .map(|c| MatchCustomer {
            id: c.id.clone(),
            name: c.name.clone(),
            aliases: c.alias.iter().cloned().collect(),
            accounts: c.accounts.clone(),
        })
        .collect();
    CashBook {
        batch_date: b,
        items,
        customers,
        receipts,
        truths,
        tolerance: TOLERANCE,
    }
}
