//! Dunning letters: caller-supplied templates rendered by minijinja (a
//! Jinja dialect) with the notice as context, here in the core so that
//! Rust, Python and Node write the same bytes.
//!
//! The context is the notice as it serializes (amounts as decimal
//! strings at their currency's minor unit, dates as `YYYY-MM-DD`), with
//! two filters: `amount` groups thousands (`1,234.50`) and `money` adds the
//! currency code (`1,234.50 EUR`). An undefined name is an error rather
//! than empty text, and a render has a bounded budget of work
//! ([`TEMPLATE_FUEL`]), so a caller's template cannot loop without end.
//! Names ending in `.html` or `.xml` are HTML-escaped. Whitespace is
//! Jinja's by default (`{%-` and `-%}` trim), except that the template's
//! last newline is kept.

use rust_decimal::Decimal;

use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::limits::{check_len, MAX_KEY_LEN, MAX_TEMPLATE_LEN};

use super::dunning::DunningNotice;
use super::policy::DunningSetup;

/// The work one render may do, in minijinja's fuel (about an instruction,
/// or 64 bytes of output, each): a few milliseconds.
pub const TEMPLATE_FUEL: u64 = 2_000_000;

/// `amount` at `currency`'s minor unit with thousands grouped by commas:
/// `1234.5` EUR is `1,234.50`.
///
/// # Example
/// ```
/// use ar_core::collections::format_amount;
/// use ar_core::Currency;
/// use rust_decimal::Decimal;
/// let eur = Currency::new("EUR").unwrap();
/// assert_eq!(format_amount(Decimal::new(-12345, 1), eur), "-1,234.50");
/// assert_eq!(format_amount(Decimal::new(5, 0), Currency::new("JPY").unwrap()), "5");
/// ```
pub fn format_amount(amount: Decimal, currency: Currency) -> String {
    let rounded = crate::money::RoundingPolicy::HalfAwayFromZero.round_to(amount, currency);
    let text = rounded.abs().to_string();
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text.as_str(), None),
    };
    let mut grouped = String::with_capacity(text.len().saturating_add(8));
    if rounded.is_sign_negative() && !rounded.is_zero() {
        grouped.push('-');
    }
    let len = whole.len();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (len.saturating_sub(i)) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if let Some(f) = fraction {
        grouped.push('.');
        grouped.push_str(f);
    }
    grouped
}

fn parse(value: &minijinja::Value) -> std::result::Result<Decimal, minijinja::Error> {
    let text = value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned);
    crate::serde_decimal::parse_decimal("amount", &text)
        .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string()))
}

fn currency_of(code: &str) -> std::result::Result<Currency, minijinja::Error> {
    Currency::new(code)
        .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string()))
}

fn environment() -> minijinja::Environment<'static> {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_fuel(Some(TEMPLATE_FUEL));
    // The text is the template's to the last byte: a letter that ends in a
    // newline keeps it.
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .keep_trailing_newline(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    env.add_filter(
        "amount",
        |value: minijinja::Value,
         currency: String|
         -> std::result::Result<String, minijinja::Error> {
            Ok(format_amount(parse(&value)?, currency_of(&currency)?))
        },
    );
    env.add_filter(
        "money",
        |value: minijinja::Value,
         currency: String|
         -> std::result::Result<String, minijinja::Error> {
            let c = currency_of(&currency)?;
            Ok(format!("{} {}", format_amount(parse(&value)?, c), c.code()))
        },
    );
    env
}

/// `notice` written with `template` (named `name` in errors).
///
/// # Errors
/// [`Error::LimitExceeded`] for a template over [`MAX_TEMPLATE_LEN`]
/// bytes; [`Error::Template`] (`template_error`) naming the template and
/// the line for a syntax error, an undefined name, a bad filter argument
/// or a render past its budget.
///
/// # Example
/// ```
/// # use ar_core::collections::{render_notice, DunningNotice};
/// # fn f(notice: &DunningNotice) {
/// let text = render_notice("first", "Dear {{ customer_name }},\n{{ overdue|money(currency) }} is overdue.", notice);
/// # }
/// let e = ar_core::collections::render::check_template("broken", "Hello\n{{ name").unwrap_err();
/// assert_eq!(e.code(), "template_error");
/// assert!(e.to_string().contains("broken, line 2"), "{e}");
/// ```
pub fn render_notice(name: &str, template: &str, notice: &DunningNotice) -> Result<String> {
    check_len("template.name", name, MAX_KEY_LEN)?;
    check_len(
        &format!("templates[{}]", crate::error::shown(name)),
        template,
        MAX_TEMPLATE_LEN,
    )?;
    let env = environment();
    env.render_named_str(name, template, minijinja::value::Serde(notice))
        .map_err(|e| template_error(name, &e))
}

/// Parses `template` without rendering it: a caller can check a template
/// when it is saved.
///
/// # Errors
/// As [`render_notice`], for what parsing finds.
pub fn check_template(name: &str, template: &str) -> Result<()> {
    check_len("template.name", name, MAX_KEY_LEN)?;
    check_len(
        &format!("templates[{}]", crate::error::shown(name)),
        template,
        MAX_TEMPLATE_LEN,
    )?;
    let env = environment();
    env.template_from_named_str(name, template)
        .map(|_| ())
        .map_err(|e| template_error(name, &e))
}

fn template_error(name: &str, e: &minijinja::Error) -> Error {
    let reason = match e.detail() {
        Some(d) => format!("{}: {d}", e.kind()),
        None => e.kind().to_string(),
    };
    Error::Template {
        template: crate::error::shown(name),
        line: e.line().and_then(|l| u32::try_from(l).ok()).unwrap_or(0),
        reason: crate::error::shown(&reason),
    }
}

/// Writes each notice of `run` with its level's template, when `setup`
/// has templates.
pub(crate) fn render_all(setup: &DunningSetup, run: &mut super::dunning::DunningRun) -> Result<()> {
    if setup.templates.is_empty() {
        return Ok(());
    }
    for notice in &mut run.notices {
        notice.text = Some(render_with(setup, notice)?);
    }
    Ok(())
}

/// The notice written with its level's template from `setup`.
fn render_with(setup: &DunningSetup, notice: &DunningNotice) -> Result<String> {
    let Some(text) = setup.templates.get(&notice.template) else {
        return Err(Error::Template {
            template: crate::error::shown(&notice.template),
            line: 0,
            reason: "no template with this id was given".to_owned(),
        });
    };
    render_notice(&notice.template, text, notice)
}
