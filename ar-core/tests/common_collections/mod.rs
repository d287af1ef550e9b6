//! A small book for the collections tests: commands by name, each
//! recorded at noon of its business date (or later, never earlier than
//! the last).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use ar_core::chrono::{DateTime, NaiveDate, TimeZone, Utc};
use ar_core::collections::{DunningLevel, DunningPolicy, DunningSetup, InterestRule};
use ar_core::rust_decimal::Decimal;
use ar_core::*;

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub fn m(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub fn noon(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap())
}

pub struct Book {
    pub ledger: Ledger,
    pub clock: DateTime<Utc>,
}

impl Default for Book {
    fn default() -> Self {
        Book {
            ledger: Ledger::new(),
            clock: noon(d("2000-01-01")),
        }
    }
}

impl Book {
    pub fn new() -> Self {
        Book::default()
    }

    /// Recorded at noon of `day`, or at the last recorded time if later.
    pub fn run(&mut self, day: NaiveDate, command: Command) -> Result<Outcome> {
        self.clock = self.clock.max(noon(day));
        self.ledger.execute(command, &CommandMeta::at(self.clock))
    }

    pub fn ok(&mut self, day: NaiveDate, command: Command) -> Outcome {
        let name = command.name();
        self.run(day, command)
            .unwrap_or_else(|e| panic!("{name} on {day}: {e}"))
    }

    pub fn customer(&mut self, id: &str, currency: &str) {
        let c = Customer::new(
            CustomerId::new(id).unwrap(),
            format!("{id} Ltd"),
            Currency::new(currency).unwrap(),
        );
        self.ok(d("2000-01-01"), Command::RegisterCustomer { customer: c });
    }

    pub fn customer_with(&mut self, customer: Customer) {
        self.ok(d("2000-01-01"), Command::RegisterCustomer { customer });
    }

    /// An invoice of `amount` dated `date`, net `days`.
    pub fn invoice(&mut self, id: &str, customer: &str, date: &str, amount: &str, days: u32) {
        let mut inv = NewInvoice::new(
            InvoiceId::new(id).unwrap(),
            CustomerId::new(customer).unwrap(),
            d(date),
            vec![InvoiceLine::new("Goods", Decimal::ONE, m(amount))],
        );
        inv.terms = Some(PaymentTerms::net(days));
        self.ok(d(date), Command::IssueInvoice { invoice: inv });
    }

    /// A receipt of `amount` applied to `invoice` on `date`.
    pub fn pay(&mut self, receipt: &str, customer: &str, invoice: &str, date: &str, amount: &str) {
        let currency = self
            .ledger
            .customer(&CustomerId::new(customer).unwrap())
            .unwrap()
            .currency;
        let r = Receipt {
            id: ReceiptId::new(receipt).unwrap(),
            customer: Some(CustomerId::new(customer).unwrap()),
            date: d(date),
            amount: m(amount),
            currency,
            method: PaymentMethod::default(),
            reference: None,
            remittance: String::new(),
            payer_name: None,
            payer_account: None,
        };
        self.ok(d(date), Command::RecordReceipt { receipt: r });
        self.ok(
            d(date),
            Command::Apply {
                id: None,
                source: Source::Receipt(ReceiptId::new(receipt).unwrap()),
                invoice: InvoiceId::new(invoice).unwrap(),
                installment: None,
                amount: m(amount),
                discount: Decimal::ZERO,
                date: d(date),
            },
        );
    }

    /// A credit memo of `amount` against `invoice`, applied to it.
    pub fn credit(&mut self, memo: &str, customer: &str, invoice: &str, date: &str, amount: &str) {
        self.ok(
            d(date),
            Command::IssueCreditMemo {
                id: CreditMemoId::new(memo).unwrap(),
                customer: CustomerId::new(customer).unwrap(),
                date: d(date),
                currency: None,
                against: Some(InvoiceId::new(invoice).unwrap()),
                kind: CreditKind::Amount { amount: m(amount) },
                reason: "returned goods".into(),
            },
        );
        self.ok(
            d(date),
            Command::Apply {
                id: None,
                source: Source::CreditMemo(CreditMemoId::new(memo).unwrap()),
                invoice: InvoiceId::new(invoice).unwrap(),
                installment: None,
                amount: m(amount),
                discount: Decimal::ZERO,
                date: d(date),
            },
        );
    }

    /// The log reads back into the same ledger.
    pub fn reads_back(&self) {
        let json = self.ledger.to_json().unwrap();
        let back = Ledger::from_json(&json).unwrap();
        assert_eq!(back, self.ledger);
        assert_eq!(back.to_json().unwrap(), json);
    }
}

pub fn level(days: i32, template: &str) -> DunningLevel {
    DunningLevel {
        days,
        min_overdue: vec![],
        action: DunningAction::Email,
        template: template.into(),
        fee: vec![],
        interest: false,
    }
}

pub fn money(amount: &str, currency: &str) -> Money {
    Money::new(m(amount), Currency::new(currency).unwrap()).unwrap()
}

pub fn policy(id: &str, levels: Vec<DunningLevel>, min_days_between: u32) -> DunningPolicy {
    DunningPolicy {
        id: id.into(),
        levels,
        min_days_between,
        interest: None,
        clearing: Default::default(),
    }
}

pub fn setup(policy: DunningPolicy) -> DunningSetup {
    DunningSetup::single(policy)
}

pub fn rates(entries: &[(&str, &str)]) -> Vec<collections::RateEntry> {
    entries
        .iter()
        .map(|(from, rate)| collections::RateEntry {
            from: d(from),
            rate: m(rate),
        })
        .collect()
}

pub fn uk(rate: &str) -> InterestRule {
    InterestRule::uk_late_payment(rates(&[("2000-01-01", rate)]))
}
