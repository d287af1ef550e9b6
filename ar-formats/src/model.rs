//! The records every format is read into.

use ar_core::chrono::{NaiveDate, NaiveDateTime};
use ar_core::limits::MAX_TEXT_LEN;
use ar_core::rust_decimal::Decimal;
use ar_core::{Currency, CustomerId, PaymentMethod, Receipt, ReceiptId};
use serde::{Deserialize, Serialize};

/// A file format this crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// ISO 20022 camt.052, bank to customer account report.
    Camt052,
    /// ISO 20022 camt.053, bank to customer statement.
    Camt053,
    /// ISO 20022 camt.054, bank to customer debit/credit notification.
    Camt054,
    /// BAI2 cash management balance reporting.
    Bai2,
    /// SWIFT MT940 customer statement.
    Mt940,
    /// NACHA ACH file (CCD, CCD+, CTX, PPD, ...).
    Nacha,
    /// ANSI ASC X12 820 payment order / remittance advice.
    X12_820,
}

impl Format {
    /// The snake_case name (`camt053`, `bai2`, `x12_820`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Format::Camt052 => "camt052",
            Format::Camt053 => "camt053",
            Format::Camt054 => "camt054",
            Format::Bai2 => "bai2",
            Format::Mt940 => "mt940",
            Format::Nacha => "nacha",
            Format::X12_820 => "x12_820",
        }
    }
}

/// Credit (money in) or debit (money out) of the account reported on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditDebit {
    /// Money in.
    Credit,
    /// Money out.
    Debit,
}

/// One file read: its metadata and, per account (or batch, or payment),
/// balances, receipts and the other entries.
///
/// # Example
/// ```
/// let file = b"01,BANK,ACME,260302,0800,1,,,2/\n\
/// 02,ACME,BANK,1,260302,,USD,2/\n\
/// 03,123456,,010,100000,,/\n\
/// 16,195,25000,,WIRE001,,INV-1001 ACME CORP/\n\
/// 49,125000,3/\n\
/// 98,125000,1,5/\n\
/// 99,125000,1,7/\n";
/// let statement = ar_formats::parse(file).unwrap();
/// assert_eq!(statement.format, ar_formats::Format::Bai2);
/// let receipt = statement.receipts().next().unwrap();
/// assert_eq!(receipt.amount.to_string(), "250.00");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// The format read.
    pub format: Format,
    /// Version within the format: `camt.053.001.08`, BAI `2`, the X12
    /// version `004010`; `None` where the file does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Message or file id: camt `GrpHdr/MsgId`, BAI2 file id, NACHA
    /// reference code or file id modifier, X12 interchange control number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// When the file was created, as written (no time zone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<NaiveDateTime>,
    /// Sender (bank, originator) as the file names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    /// Receiver as the file names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver: Option<String>,
    /// Statements, notifications, BAI2 accounts, NACHA batches or X12
    /// transaction sets, in file order.
    pub accounts: Vec<AccountStatement>,
}

impl Statement {
    /// Every receipt of every account, in file order.
    pub fn receipts(&self) -> impl Iterator<Item = &BankReceipt> {
        self.accounts.iter().flat_map(|a| a.receipts.iter())
    }

    /// Every entry that is not a receipt (debits, returns, reversals,
    /// pending and zero entries), in file order.
    pub fn other_entries(&self) -> impl Iterator<Item = &ListedEntry> {
        self.accounts.iter().flat_map(|a| a.other_entries.iter())
    }
}

/// The account a statement reports on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// IBAN, when the file gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iban: Option<String>,
    /// Any other account identifier (account number, `BLZ/number`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Currency of the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// Owner's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Servicing bank: BIC, routing or bank number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank: Option<String>,
}

/// One statement (camt `Stmt`/`Ntfctn`/`Rpt`, an MT940 message, a BAI2
/// account, a NACHA batch or an X12 transaction set).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountStatement {
    /// Statement id: camt `Id`, MT940 `:20:`, NACHA batch number, X12
    /// transaction set control number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Sequence: camt electronic/legal sequence number, MT940 `:28C:`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<String>,
    /// The account reported on.
    pub account: Account,
    /// First day covered, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_date: Option<NaiveDate>,
    /// Last day covered (BAI2 as-of date), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_date: Option<NaiveDate>,
    /// Balances reported.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub balances: Vec<Balance>,
    /// Booked credits: money received, ready for the matcher.
    pub receipts: Vec<BankReceipt>,
    /// Entries that are not receipts: debits, returns, reversals, pending
    /// and zero entries.
    pub other_entries: Vec<ListedEntry>,
}

/// A balance of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    /// ISO 20022 balance code where one applies (`OPBD` opening booked,
    /// `CLBD` closing booked, `OPAV`/`CLAV` opening/closing available,
    /// `FWAV` forward available, `ITBD` interim booked, `PRCD` previously
    /// closed); otherwise the format's own code (`BAI:072`).
    pub code: String,
    /// Signed amount: negative for a debit (overdrawn) balance.
    #[serde(with = "ar_core::serde_decimal")]
    pub amount: Decimal,
    /// Currency.
    pub currency: Currency,
    /// Date of the balance, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
}

/// What a structured reference refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceKind {
    /// An invoice number (camt `RfrdDocInf` of type CINV/DEBN/none, X12
    /// `RMR*IV`).
    Invoice,
    /// A credit note the payer deducted.
    CreditNote,
    /// A purchase order number.
    PurchaseOrder,
    /// An ISO 11649 creditor reference (`RF..`), check digits verified.
    CreditorReference,
    /// A Belgian structured communication (`+++ddd/dddd/ddddd+++`), check
    /// digits verified; the value is its 12 digits.
    Belgian,
    /// An X12 `ADX` adjustment: the value is the reason code, the amount
    /// the adjustment (negative when it reduces the payment).
    Adjustment,
    /// Any other reference: a proprietary or unverified creditor reference,
    /// an X12 `REF`, a document of another type.
    Other,
}

/// A structured reference carried by a payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// What it refers to.
    pub kind: ReferenceKind,
    /// The reference as written (for creditor and Belgian references, in
    /// their compact form: `RF18539007547034`, `090933755493`).
    pub value: String,
    /// The file's own type code: camt document type (`CINV`) or creditor
    /// reference type (`SCOR`, a proprietary name), X12 qualifier (`IV`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// Amount paid against it, when given.
    #[serde(
        default,
        with = "ar_core::serde_decimal::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub amount: Option<Decimal>,
    /// Amount of the document (invoice total), when given.
    #[serde(
        default,
        with = "ar_core::serde_decimal::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub invoiced: Option<Decimal>,
    /// Discount taken, when given.
    #[serde(
        default,
        with = "ar_core::serde_decimal::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub discount: Option<Decimal>,
}

impl Reference {
    pub(crate) fn new(kind: ReferenceKind, value: impl Into<String>) -> Self {
        Reference {
            kind,
            value: value.into(),
            scheme: None,
            amount: None,
            invoiced: None,
            discount: None,
        }
    }

    pub(crate) fn with_scheme(mut self, scheme: Option<String>) -> Self {
        self.scheme = scheme;
        self
    }
}

/// A booked credit to the account: money received, with what the file says
/// about who paid and for what, ready for the matcher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankReceipt {
    /// Booking date (entry date; the value date where no booking date is
    /// given).
    pub date: NaiveDate,
    /// Value date, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_date: Option<NaiveDate>,
    /// Amount received, greater than zero, at the currency's minor unit.
    #[serde(with = "ar_core::serde_decimal")]
    pub amount: Decimal,
    /// Currency received.
    pub currency: Currency,
    /// How it was paid, as far as the format and transaction code tell.
    pub method: PaymentMethod,
    /// The bank's reference for the entry (camt `AcctSvcrRef`, MT940 bank
    /// reference, BAI2 bank reference, NACHA trace number, X12 `TRN02`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_reference: Option<String>,
    /// The payer's end-to-end id or customer reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_to_end_id: Option<String>,
    /// The bank transaction code as written (`PMNT/RCDT/ESCT`, BAI2 `195`,
    /// MT940 `NTRF`, NACHA `22 CCD`, X12 `ACH`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_code: Option<String>,
    /// Payer's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_name: Option<String>,
    /// Payer's account (IBAN or number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_account: Option<String>,
    /// Ultimate debtor, when it differs from the payer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ultimate_payer: Option<String>,
    /// Free remittance text, as received (several blocks joined).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub remittance: String,
    /// Structured references: invoice numbers, creditor references,
    /// Belgian structured communications (also those found in the free
    /// text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
}

impl BankReceipt {
    /// The remittance text the matcher reads: the free text followed by
    /// every structured reference not already in it.
    pub fn remittance_text(&self) -> String {
        let mut text = self.remittance.clone();
        for r in &self.references {
            let shown = match r.kind {
                ReferenceKind::Belgian => crate::refs::belgian_display(&r.value),
                ReferenceKind::Adjustment => continue,
                _ => r.value.clone(),
            };
            if shown.is_empty() || text.contains(&shown) {
                continue;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&shown);
        }
        text
    }

    /// An [`ar_core::Receipt`] for this payment, to record in a ledger or
    /// hand to the matcher: its remittance text is the free text plus the
    /// structured references (see [`BankReceipt::remittance_text`]).
    ///
    /// # Errors
    /// [`ar_core::Error::LimitExceeded`] when that text would be longer than
    /// [`ar_core::limits::MAX_TEXT_LEN`], or the bank reference is.
    ///
    /// # Example
    /// ```
    /// use ar_core::{CustomerId, ReceiptId};
    /// let file = b":20:STMT1\n:25:NL91ABNA0417164300\n:28C:1/1\n\
    /// :60F:C260301EUR0,00\n:61:2603020302C121,00NTRFNONREF//BANK1\n\
    /// :86:INVOICE 4711 +++090/9337/55493+++\n:62F:C260302EUR121,00\n-";
    /// let statement = ar_formats::parse_mt940(file).unwrap();
    /// let bank = statement.receipts().next().unwrap();
    /// let receipt = bank
    ///     .to_receipt(ReceiptId::new("R-1").unwrap(), Some(CustomerId::new("ACME").unwrap()))
    ///     .unwrap();
    /// assert_eq!(receipt.amount.to_string(), "121.00");
    /// assert_eq!(receipt.remittance, "INVOICE 4711 +++090/9337/55493+++");
    /// assert_eq!(receipt.reference.as_deref(), Some("BANK1"));
    /// ```
    pub fn to_receipt(
        &self,
        id: ReceiptId,
        customer: Option<CustomerId>,
    ) -> ar_core::Result<Receipt> {
        let remittance = self.remittance_text();
        for (field, text) in [
            ("remittance", remittance.as_str()),
            ("reference", self.bank_reference.as_deref().unwrap_or("")),
        ] {
            if text.len() > MAX_TEXT_LEN {
                return Err(ar_core::Error::LimitExceeded {
                    field: field.to_owned(),
                    count: u64::try_from(text.len()).unwrap_or(u64::MAX),
                    limit: u64::try_from(MAX_TEXT_LEN).unwrap_or(u64::MAX),
                });
            }
        }
        Ok(Receipt {
            id,
            customer,
            date: self.date,
            amount: self.amount,
            currency: self.currency,
            method: self.method,
            reference: self.bank_reference.clone(),
            remittance,
            payer_name: None,
            payer_account: None,
        })
    }
}

/// Why an entry is listed rather than turned into a receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListedKind {
    /// Money out of the account.
    Debit,
    /// A returned payment (camt `RtrInf`, NACHA return addenda or return
    /// transaction codes, BAI2 return and adjustment codes).
    Return,
    /// A reversal of an earlier entry (camt `RvslInd`, MT940 `RC`/`RD`).
    Reversal,
    /// Not booked yet (camt status `PDNG`, `INFO`, `FUTR`).
    Pending,
    /// No money moved: a zero amount, a prenote, a non-monetary record, or a
    /// BAI2 loan code of no stated direction.
    Notice,
}

/// An entry that is not a receipt, listed so that nothing in the file goes
/// unseen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedEntry {
    /// Why it is not a receipt.
    pub kind: ListedKind,
    /// Credit or debit, where the file says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_debit: Option<CreditDebit>,
    /// Booking date.
    pub date: NaiveDate,
    /// Value date, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_date: Option<NaiveDate>,
    /// Amount, zero or more.
    #[serde(with = "ar_core::serde_decimal")]
    pub amount: Decimal,
    /// Currency.
    pub currency: Currency,
    /// The bank's reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_reference: Option<String>,
    /// End-to-end id or customer reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_to_end_id: Option<String>,
    /// Bank transaction code as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_code: Option<String>,
    /// The other party's name (creditor of a debit, debtor of a credit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterparty_name: Option<String>,
    /// The other party's account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterparty_account: Option<String>,
    /// Free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// Structured references.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
}

/// Bounds on every size a file controls. Past one, parsing stops with
/// [`crate::ErrorCode::LimitExceeded`] naming the limit.
///
/// # Example
/// ```
/// use ar_formats::{parse_with, ErrorCode, Limits};
/// let limits = Limits { max_entries: 1, ..Limits::default() };
/// let file = b":20:S\n:25:ACCT\n:28C:1\n:60F:C260301EUR0,00\n\
/// :61:260302C1,00NTRFX\n:61:260302C1,00NTRFY\n:62F:C260302EUR2,00\n-";
/// let err = parse_with(file, None, &limits).unwrap_err();
/// assert_eq!(err.code, ErrorCode::LimitExceeded);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Bytes of input.
    pub max_input_bytes: usize,
    /// Entries (receipts plus listed entries) in one file.
    pub max_entries: usize,
    /// Statements, accounts, batches or transaction sets in one file.
    pub max_accounts: usize,
    /// Bytes of any one text kept: remittance text of an entry, a name, a
    /// reference.
    pub max_text_len: usize,
    /// Structured references of one entry.
    pub max_references: usize,
    /// Nesting depth of XML elements.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 1 << 30,
            max_entries: 2_000_000,
            max_accounts: 100_000,
            max_text_len: MAX_TEXT_LEN,
            max_references: 10_000,
            max_depth: 64,
        }
    }
}
