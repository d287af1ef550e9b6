//! A candidate carried out as applications: credits first, then cash, with
//! discounts, write-offs and what stays open.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::evaluate::{Cand, Evaluator};
use super::evidence::{reason, Fit};
use super::types::{PayerBasis, Proposal, ProposedApplication, ReasonCode, SourceKind};

impl Evaluator<'_> {
    // ---- proposals ------------------------------------------------------------

    /// Turns a candidate into applications. `None` when the fit cannot be
    /// carried out with positive amounts (a discount larger than what the
    /// credits leave, say).
    pub(super) fn build(&self, c: &Cand) -> Option<(Proposal, Vec<(u32, i64)>)> {
        let b = self.book;
        let r = self.receipt;
        let (invoices, credits) = self.by_kind(&c.set);
        let mut need: Vec<i64> = invoices.iter().map(|&i| b.remaining(i)).collect();
        let mut apps: Vec<ProposedApplication> = Vec::new();
        let mut consumes: Vec<(u32, i64)> = Vec::new();
        let item = |i: u32| b.items.get(i as usize);
        let date_of = |extra: NaiveDate, inv: u32| {
            let d = item(inv).map_or(r.date, |m| m.date);
            r.date.max(d).max(extra)
        };
        // Credits fill the invoices in order: the invoices before `filled`
        // need nothing more, so each is passed over once, not once per credit.
        let mut filled = 0usize;
        for &cm in &credits {
            let mut left = b.remaining(cm);
            let cm_date = item(cm).map_or(r.date, |m| m.date);
            for (k, &inv) in invoices.iter().enumerate().skip(filled) {
                if left <= 0 {
                    break;
                }
                let n = need.get_mut(k)?;
                let take = left.min(*n);
                if take <= 0 {
                    if *n <= 0 && k == filled {
                        filled = filled.saturating_add(1);
                    }
                    continue;
                }
                // `take` is at most each of them: both stay at least zero.
                *n = n.saturating_sub(take);
                left = left.saturating_sub(take);
                if *n <= 0 && k == filled {
                    filled = filled.saturating_add(1);
                }
                let m = item(inv)?;
                apps.push(ProposedApplication {
                    source_kind: SourceKind::CreditMemo,
                    source: item(cm)?.id.clone(),
                    invoice: m.id.clone(),
                    installment: m.installment,
                    amount: self.money(take),
                    discount: Decimal::ZERO,
                    write_off: Decimal::ZERO,
                    open_after: self.money(*n),
                    date: date_of(cm_date, inv),
                });
                consumes.push((cm, take));
                consumes.push((inv, take));
            }
            if left != 0 {
                return None;
            }
        }
        let mut cash_left = self.amount;
        let mut unapplied = 0;
        for (k, &inv) in invoices.iter().enumerate() {
            let n = *need.get(k)?;
            if n <= 0 {
                continue;
            }
            let (din, dlate) = self.discounts(inv);
            // `n` and the discounts are at least zero: these differences
            // fit; past the cash left, a proposal is not carried out.
            let (cash, discount, write_off) = match c.fit {
                Fit::Exact | Fit::Over(_) => (n, 0, 0),
                Fit::Discount => (n.checked_sub(din)?, din, 0),
                Fit::LateDiscount => (n.checked_sub(dlate)?, 0, 0),
                Fit::MixedDiscount => (n.checked_sub(din)?.checked_sub(dlate)?, din, 0),
                Fit::Tolerated(_) => {
                    let cash = cash_left.min(n);
                    (cash, 0, n.checked_sub(cash)?)
                }
                Fit::Short(_) => (cash_left.min(n), 0, 0),
            };
            if cash < 0 || (cash == 0 && discount > 0) {
                return None;
            }
            if cash == 0 && write_off == 0 {
                continue;
            }
            cash_left = cash_left.checked_sub(cash)?;
            let m = item(inv)?;
            let settled = cash.checked_add(discount)?.checked_add(write_off)?;
            let open_after = n.checked_sub(settled)?;
            apps.push(ProposedApplication {
                source_kind: SourceKind::Receipt,
                source: r.id.clone(),
                invoice: m.id.clone(),
                installment: m.installment,
                amount: self.money(cash),
                discount: self.money(discount),
                write_off: self.money(write_off),
                open_after: self.money(open_after),
                date: date_of(r.date, inv),
            });
            consumes.push((inv, settled));
        }
        if let Fit::Over(x) = c.fit {
            unapplied = x;
        }
        if cash_left != unapplied {
            return None;
        }
        let customer = b.customer(c.cust)?.clone();
        let mut reasons = Vec::new();
        let payer_reason = match c.basis {
            PayerBasis::Given => None,
            PayerBasis::Reference => Some((
                ReasonCode::PayerByReference,
                format!("payer {customer} found from the items referred to"),
            )),
            PayerBasis::Account => Some((
                ReasonCode::PayerByAccount,
                format!("payer {customer} has paid from this account before"),
            )),
            PayerBasis::Name => Some((
                ReasonCode::PayerByName,
                format!("payer {customer} named in the remittance"),
            )),
            PayerBasis::Amount => Some((
                ReasonCode::PayerByAmount,
                format!("payer {customer} guessed from the amount alone"),
            )),
        };
        if let Some((code, msg)) = payer_reason {
            reasons.push(reason(code, msg));
        }
        reasons.extend(c.reasons.iter().cloned());
        Some((
            Proposal {
                confidence: c.score,
                customer,
                payer_basis: c.basis,
                applications: apps,
                unapplied: self.money(unapplied),
                reasons,
            },
            consumes,
        ))
    }
}
