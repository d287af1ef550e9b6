//! Cash application: `ar.match_receipts`, `ar.Matcher`, `ar.parse_remittance`
//! and `ar.creditor_reference`, the `Ledger.match_*` helpers (through
//! [`items_dicts`], [`options`], ...), and the result classes `MatchBatch`,
//! `ReceiptMatch`, `Proposal`, `ProposedApplication`, `Reason`,
//! `SummaryRow`, `Remittance` and `Reference`.
//!
//! Receipts, open items and customers come in as dicts with the core's
//! serde field names (or as a pandas DataFrame / pyarrow Table, turned into
//! dicts by `ar._bulk.records`); every value goes through [`crate::conv`],
//! so amounts are exact and a float is an `invalid_type`. Every figure and
//! every decision comes from `ar_core::matching`; the data-frame views of a
//! `MatchBatch` only reshape it (`python/ar/_frames.py`).

use std::sync::{Mutex, MutexGuard, PoisonError};

use ar_core::chrono::NaiveDate;
use ar_core::matching::{
    self, ItemKind, MatchCustomer, MatchDiscount, MatchItem, MatchOptions, MatchReceipt,
    PayerBasis, ReasonCode, SourceKind, Tolerance,
};
use ar_core::rust_decimal::Decimal;
use ar_core::{Command, Currency, CustomerId, Error};
use pyo3::prelude::*;
use pyo3::sync::{MutexExt, PyOnceLock};
use pyo3::types::{PyBytes, PyDict, PyList, PyMapping, PySequence, PyString};

use crate::conv::{self, Dec};
use crate::errors::{catch, fail, guard, to_py};
use crate::record;

type Arg<'a, 'py> = Option<&'a Bound<'py, PyAny>>;

// ----- input records --------------------------------------------------------

/// The fields a kind of record may have, with their names as Python strings
/// made once (dict lookups by them hash nothing new).
struct Fields {
    names: &'static [&'static str],
    keys: PyOnceLock<Vec<Py<PyString>>>,
}

impl Fields {
    const fn new(names: &'static [&'static str]) -> Self {
        Fields {
            names,
            keys: PyOnceLock::new(),
        }
    }

    fn keys(&self, py: Python<'_>) -> &[Py<PyString>] {
        self.keys
            .get_or_init(py, || {
                self.names
                    .iter()
                    .map(|n| PyString::intern(py, n).unbind())
                    .collect()
            })
            .as_slice()
    }

    fn key<'a>(&'a self, py: Python<'_>, name: &str) -> Option<&'a Py<PyString>> {
        let i = self.names.iter().position(|n| *n == name)?;
        self.keys(py).get(i)
    }
}

/// Where a record sits, for messages: `receipts[3]`, `items[0].discount`.
enum Place<'a> {
    /// `list[index]`.
    Indexed(&'a str, usize),
    /// Any other name.
    Named(String),
}

impl std::fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Indexed(list, i) => write!(f, "{list}[{i}]"),
            Place::Named(name) => f.write_str(name),
        }
    }
}

/// One input record: a mapping whose keys are checked against the fields it
/// may have (a misspelled key is an error, never silently ignored).
struct Record<'a, 'py> {
    place: Place<'a>,
    fields: &'static Fields,
    map: Bound<'py, PyMapping>,
    /// The same object, when it is a `dict` (the fast path).
    dict: Option<Bound<'py, PyDict>>,
}

impl<'a, 'py> Record<'a, 'py> {
    fn new(place: Place<'a>, obj: &Bound<'py, PyAny>, fields: &'static Fields) -> PyResult<Self> {
        let Ok(map) = obj.cast::<PyMapping>() else {
            return conv::wrong_type(&place.to_string(), "dict", obj);
        };
        let dict = obj.cast::<PyDict>().ok().cloned();
        let r = Record {
            place,
            fields,
            map: map.clone(),
            dict,
        };
        // A dict whose keys are all fields has as many of them as it has
        // keys; only otherwise are its keys read one by one.
        if let Some(d) = &r.dict {
            let py = obj.py();
            let mut found = 0;
            for k in fields.keys(py) {
                if d.contains(k.bind(py))? {
                    found += 1;
                }
            }
            if found == d.len() {
                return Ok(r);
            }
        }
        r.check_keys()?;
        Ok(r)
    }

    /// Every key is a field's name.
    fn check_keys(&self) -> PyResult<()> {
        let known = self.fields.names;
        for key in self.map.keys()?.iter() {
            let name = conv::text(&format!("{} key", self.place), &key)?;
            if !known.contains(&name.as_str()) {
                return fail(Error::InvalidValue {
                    field: self.place.to_string(),
                    value: name,
                    reason: format!("unknown field (the fields are {})", known.join(", ")),
                });
            }
        }
        Ok(())
    }

    /// `place.key`, for messages.
    fn name(&self, key: &str) -> String {
        format!("{}.{key}", self.place)
    }

    /// Converts the value of `key` with `f`, which names the field in its
    /// errors: the full name (`items[3].open`) is made only for an error.
    fn conv<T>(
        &self,
        key: &str,
        value: &Bound<'py, PyAny>,
        f: impl Fn(&str, &Bound<'py, PyAny>) -> PyResult<T>,
    ) -> PyResult<T> {
        f(key, value).or_else(|_| f(&self.name(key), value))
    }

    /// The raw value of `key`, `None` when missing.
    fn lookup(&self, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        let py = self.map.py();
        if let (Some(d), Some(k)) = (&self.dict, self.fields.key(py, key)) {
            return d.get_item(k.bind(py));
        }
        if !self.map.contains(key)? {
            return Ok(None);
        }
        self.map.get_item(key).map(Some)
    }

    /// The value of `key`; `None` when it is missing or `None`.
    fn get(&self, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        Ok(self.lookup(key)?.filter(|v| !v.is_none()))
    }

    /// The value of a required `key`.
    fn required(&self, key: &str) -> PyResult<Bound<'py, PyAny>> {
        match self.lookup(key)? {
            Some(v) if !v.is_none() => Ok(v),
            found => fail(Error::InvalidValue {
                field: self.name(key),
                value: if found.is_some() { "None" } else { "(missing)" }.into(),
                reason: "a value is required".into(),
            }),
        }
    }

    fn text(&self, key: &str) -> PyResult<String> {
        self.conv(key, &self.required(key)?, conv::text)
    }

    fn opt_text(&self, key: &str) -> PyResult<Option<String>> {
        self.get(key)?
            .map(|v| self.conv(key, &v, conv::text))
            .transpose()
    }

    fn date(&self, key: &str) -> PyResult<NaiveDate> {
        self.conv(key, &self.required(key)?, conv::date)
    }

    fn decimal(&self, key: &str) -> PyResult<Decimal> {
        self.conv(key, &self.required(key)?, conv::decimal)
    }

    fn opt_decimal(&self, key: &str) -> PyResult<Option<Decimal>> {
        self.get(key)?
            .map(|v| self.conv(key, &v, conv::decimal))
            .transpose()
    }

    fn currency(&self, key: &str) -> PyResult<Currency> {
        self.conv(key, &self.required(key)?, conv::currency)
    }

    fn customer(&self, key: &str) -> PyResult<CustomerId> {
        self.conv(key, &self.required(key)?, |f, v| {
            conv::id(f, v, CustomerId::parse_field)
        })
    }

    fn opt_customer(&self, key: &str) -> PyResult<Option<CustomerId>> {
        self.get(key)?
            .map(|v| self.conv(key, &v, |f, v| conv::id(f, v, CustomerId::parse_field)))
            .transpose()
    }

    fn opt_count(&self, key: &str) -> PyResult<Option<u32>> {
        self.get(key)?
            .map(|v| self.conv(key, &v, conv::count))
            .transpose()
    }

    fn flag(&self, key: &str) -> PyResult<bool> {
        Ok(self
            .get(key)?
            .map(|v| self.conv(key, &v, conv::flag))
            .transpose()?
            .unwrap_or(false))
    }

    fn texts(&self, key: &str) -> PyResult<Vec<String>> {
        let Some(obj) = self.get(key)? else {
            return Ok(Vec::new());
        };
        let field = self.name(key);
        conv::items(&field, "list of str", &obj)?
            .iter()
            .enumerate()
            .map(|(i, o)| conv::text(&format!("{field}[{i}]"), o))
            .collect()
    }
}

const RECEIPT_FIELDS: &[&str] = &[
    "id",
    "customer",
    "date",
    "amount",
    "currency",
    "remittance",
    "payer_name",
    "account",
];
const ITEM_FIELDS: &[&str] = &[
    "kind",
    "id",
    "installment",
    "customer",
    "currency",
    "date",
    "due_date",
    "open",
    "discount",
    "po_number",
    "disputed",
];
const CUSTOMER_FIELDS: &[&str] = &["id", "name", "aliases", "accounts"];

/// The records of a table argument: a sequence of dicts, or a pandas
/// DataFrame / pyarrow Table whose rows `ar._bulk.records` turns into dicts
/// (only the columns in `wanted`; dates at midnight as `datetime.date`).
fn records<'py>(
    field: &str,
    obj: &Bound<'py, PyAny>,
    wanted: &[&str],
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    const EXPECTED: &str = "list of dicts, pandas.DataFrame or pyarrow.Table";
    let text_like = obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>();
    if text_like {
        return conv::wrong_type(field, EXPECTED, obj);
    }
    if obj.cast::<PySequence>().is_ok() {
        return conv::items(field, EXPECTED, obj);
    }
    let out = obj
        .py()
        .import("ar._bulk")?
        .getattr("records")?
        .call1((obj, wanted.to_vec()))?;
    if let Ok(found) = out.cast::<PyString>() {
        return fail(Error::InvalidType {
            field: field.to_owned(),
            expected: EXPECTED.into(),
            found: found.to_cow()?.into_owned(),
        });
    }
    let (rows, failed): (Bound<'py, PyAny>, Bound<'py, PyDict>) = out.extract()?;
    if let Some((column, message)) = failed.iter().next() {
        let column: String = column.extract()?;
        let message: String = message.extract()?;
        return fail(Error::InvalidType {
            field: format!("{field}.{column}"),
            expected: "a column pyarrow can convert".into(),
            found: message,
        });
    }
    rows.try_iter()?.collect()
}

static RECEIPT: Fields = Fields::new(RECEIPT_FIELDS);
static ITEM: Fields = Fields::new(ITEM_FIELDS);
static CUSTOMER: Fields = Fields::new(CUSTOMER_FIELDS);
static DISCOUNT: Fields = Fields::new(&["until", "amount"]);
static TOLERANCE: Fields = Fields::new(&["fixed", "percent"]);
static OPTIONS: Fields = Fields::new(OPTION_FIELDS);

fn receipt(place: Place<'_>, obj: &Bound<'_, PyAny>) -> PyResult<MatchReceipt> {
    let r = Record::new(place, obj, &RECEIPT)?;
    Ok(MatchReceipt {
        id: r.text("id")?,
        customer: r.opt_customer("customer")?,
        date: r.date("date")?,
        amount: r.decimal("amount")?,
        currency: r.currency("currency")?,
        remittance: r.opt_text("remittance")?.unwrap_or_default(),
        payer_name: r.opt_text("payer_name")?,
        account: r.opt_text("account")?,
    })
}

/// Receipts to match, named `field[i]`.
fn receipts(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<Vec<MatchReceipt>> {
    records(field, obj, RECEIPT_FIELDS)?
        .iter()
        .enumerate()
        .map(|(i, o)| receipt(Place::Indexed(field, i), o))
        .collect()
}

const ITEM_KINDS: [(&str, ItemKind); 2] = [
    ("invoice", ItemKind::Invoice),
    ("credit_memo", ItemKind::CreditMemo),
];

/// The item kind named `name` (field `kind` of `r`).
fn item_kind(r: &Record<'_, '_>, name: String) -> PyResult<ItemKind> {
    match ITEM_KINDS.iter().find(|(n, _)| *n == name) {
        Some((_, kind)) => Ok(*kind),
        None => fail(Error::InvalidValue {
            field: r.name("kind"),
            value: name,
            reason: "expected \"invoice\" or \"credit_memo\"".into(),
        }),
    }
}

static KEY: Fields = Fields::new(&["kind", "id", "installment"]);

/// Items' identities (`MatchItemKeyDict`: `id`, optional `kind`, default
/// `"invoice"`, and `installment`), or plain invoice ids; named `keys[i]`.
fn keys(obj: &Bound<'_, PyAny>) -> PyResult<Vec<matching::MatchItemKey>> {
    records("keys", obj, &["kind", "id", "installment"])?
        .iter()
        .enumerate()
        .map(|(i, o)| {
            if let Ok(id) = o.cast::<PyString>() {
                return Ok(matching::MatchItemKey::invoice(id.to_cow()?.into_owned()));
            }
            let r = Record::new(Place::Indexed("keys", i), o, &KEY)?;
            let kind = match r.opt_text("kind")? {
                Some(name) => item_kind(&r, name)?,
                None => ItemKind::Invoice,
            };
            Ok(matching::MatchItemKey {
                kind,
                id: r.text("id")?,
                installment: r.opt_count("installment")?,
            })
        })
        .collect()
}

fn item(place: Place<'_>, obj: &Bound<'_, PyAny>) -> PyResult<MatchItem> {
    let r = Record::new(place, obj, &ITEM)?;
    let kind = item_kind(&r, r.text("kind")?)?;
    let discount = match r.get("discount")? {
        None => None,
        Some(d) => {
            let d = Record::new(Place::Named(r.name("discount")), &d, &DISCOUNT)?;
            Some(MatchDiscount {
                until: d.date("until")?,
                amount: d.decimal("amount")?,
            })
        }
    };
    Ok(MatchItem {
        kind,
        id: r.text("id")?,
        installment: r.opt_count("installment")?,
        customer: r.customer("customer")?,
        currency: r.currency("currency")?,
        date: r.date("date")?,
        due_date: r.date("due_date")?,
        open: r.decimal("open")?,
        discount,
        po_number: r.opt_text("po_number")?,
        disputed: r.flag("disputed")?,
    })
}

/// Open items, named `items[i]`.
fn items(obj: &Bound<'_, PyAny>) -> PyResult<Vec<MatchItem>> {
    records("items", obj, ITEM_FIELDS)?
        .iter()
        .enumerate()
        .map(|(i, o)| item(Place::Indexed("items", i), o))
        .collect()
}

/// Customers, named `customers[i]`; none when `None`.
fn customers(obj: Arg<'_, '_>) -> PyResult<Vec<MatchCustomer>> {
    let Some(obj) = conv::given(obj) else {
        return Ok(Vec::new());
    };
    records("customers", obj, CUSTOMER_FIELDS)?
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let r = Record::new(Place::Indexed("customers", i), o, &CUSTOMER)?;
            Ok(MatchCustomer {
                id: r.customer("id")?,
                name: r.text("name")?,
                aliases: r.texts("aliases")?,
                accounts: r.texts("accounts")?,
            })
        })
        .collect()
}

// ----- options --------------------------------------------------------------

/// The matcher's options, as keyword arguments (each `None` when not given).
pub struct OptionArgs<'a, 'py> {
    /// A dict of options (`MatchOptionsDict`), under the keywords.
    pub options: Arg<'a, 'py>,
    /// `auto_threshold`.
    pub auto_threshold: Arg<'a, 'py>,
    /// `tolerance`.
    pub tolerance: Arg<'a, 'py>,
    /// `tolerance_evidence`.
    pub tolerance_evidence: Arg<'a, 'py>,
    /// `partial_payments`.
    pub partial_payments: Arg<'a, 'py>,
    /// `fuzzy`.
    pub fuzzy: Arg<'a, 'py>,
    /// `max_combination`.
    pub max_combination: Arg<'a, 'py>,
    /// `max_search_items`.
    pub max_search_items: Arg<'a, 'py>,
    /// `max_search_steps`.
    pub max_search_steps: Arg<'a, 'py>,
    /// `max_proposals`.
    pub max_proposals: Arg<'a, 'py>,
    /// `max_remittance_bytes`.
    pub max_remittance_bytes: Arg<'a, 'py>,
}

const OPTION_FIELDS: &[&str] = &[
    "auto_threshold",
    "tolerance",
    "tolerance_evidence",
    "partial_payments",
    "fuzzy",
    "max_combination",
    "max_search_items",
    "max_search_steps",
    "max_proposals",
    "max_remittance_bytes",
];

fn set_option(o: &mut MatchOptions, key: &str, value: &Bound<'_, PyAny>) -> PyResult<()> {
    let field = format!("options.{key}");
    let size = |v: &Bound<'_, PyAny>| -> PyResult<usize> {
        conv::count(&field, v).map(|n| usize::try_from(n).unwrap_or(usize::MAX))
    };
    match key {
        "auto_threshold" => {
            let n = conv::count(&field, value)?;
            o.auto_threshold = match u8::try_from(n) {
                Ok(n) => n,
                Err(_) => {
                    return fail(Error::InvalidValue {
                        field,
                        value: n.to_string(),
                        reason: "must be 0 to 100".into(),
                    });
                }
            };
        }
        "tolerance" => {
            let t = Record::new(Place::Named(field), value, &TOLERANCE)?;
            o.tolerance = Tolerance {
                fixed: t.opt_decimal("fixed")?,
                percent: t.opt_decimal("percent")?,
            };
        }
        "tolerance_evidence" => o.tolerance_evidence = conv::tolerance_evidence(&field, value)?,
        "partial_payments" => o.partial_payments = conv::partial_payments(&field, value)?,
        "fuzzy" => o.fuzzy = conv::flag(&field, value)?,
        "max_combination" => o.max_combination = size(value)?,
        "max_search_items" => o.max_search_items = size(value)?,
        "max_search_steps" => o.max_search_steps = conv::count(&field, value)?,
        "max_proposals" => o.max_proposals = size(value)?,
        "max_remittance_bytes" => o.max_remittance_bytes = size(value)?,
        _ => {}
    }
    Ok(())
}

/// The options: the core's defaults, then the `options` dict, then the
/// keywords given. The core checks the ranges.
pub fn options(args: &OptionArgs<'_, '_>) -> PyResult<MatchOptions> {
    let mut o = MatchOptions::default();
    if let Some(dict) = conv::given(args.options) {
        let r = Record::new(Place::Named("options".into()), dict, &OPTIONS)?;
        for key in OPTION_FIELDS {
            if let Some(v) = r.get(key)? {
                set_option(&mut o, key, &v)?;
            }
        }
    }
    for (key, value) in [
        ("auto_threshold", args.auto_threshold),
        ("tolerance", args.tolerance),
        ("tolerance_evidence", args.tolerance_evidence),
        ("partial_payments", args.partial_payments),
        ("fuzzy", args.fuzzy),
        ("max_combination", args.max_combination),
        ("max_search_items", args.max_search_items),
        ("max_search_steps", args.max_search_steps),
        ("max_proposals", args.max_proposals),
        ("max_remittance_bytes", args.max_remittance_bytes),
    ] {
        if let Some(v) = conv::given(value) {
            set_option(&mut o, key, v)?;
        }
    }
    Ok(o)
}

fn options_dict<'py>(py: Python<'py>, o: &MatchOptions) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("auto_threshold", o.auto_threshold)?;
    let t = PyDict::new(py);
    t.set_item("fixed", o.tolerance.fixed.map(Dec))?;
    t.set_item("percent", o.tolerance.percent.map(Dec))?;
    d.set_item("tolerance", t)?;
    d.set_item("tolerance_evidence", o.tolerance_evidence.name())?;
    d.set_item("partial_payments", o.partial_payments.name())?;
    d.set_item("fuzzy", o.fuzzy)?;
    d.set_item("max_combination", o.max_combination)?;
    d.set_item("max_search_items", o.max_search_items)?;
    d.set_item("max_search_steps", o.max_search_steps)?;
    d.set_item("max_proposals", o.max_proposals)?;
    d.set_item("max_remittance_bytes", o.max_remittance_bytes)?;
    Ok(d)
}

// ----- the core's inputs as dicts (Ledger.match_items, ...) -----------------

/// `Ledger.match_items`: each item as a `MatchItemDict`, every key present.
/// `MatchItemKeyDict`s of `keys`.
pub fn keys_dicts<'py>(
    py: Python<'py>,
    keys: &[matching::MatchItemKey],
) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for k in keys {
        let d = PyDict::new(py);
        d.set_item("kind", k.kind.name())?;
        d.set_item("id", &k.id)?;
        d.set_item("installment", k.installment)?;
        out.append(d)?;
    }
    Ok(out)
}

pub fn items_dicts<'py>(py: Python<'py>, items: &[MatchItem]) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for i in items {
        let d = PyDict::new(py);
        d.set_item("kind", i.kind.name())?;
        d.set_item("id", &i.id)?;
        d.set_item("installment", i.installment)?;
        d.set_item("customer", i.customer.as_str())?;
        d.set_item("currency", i.currency.code())?;
        d.set_item("date", i.date)?;
        d.set_item("due_date", i.due_date)?;
        d.set_item("open", Dec(i.open))?;
        match &i.discount {
            Some(disc) => {
                let x = PyDict::new(py);
                x.set_item("until", disc.until)?;
                x.set_item("amount", Dec(disc.amount))?;
                d.set_item("discount", x)?;
            }
            None => d.set_item("discount", py.None())?,
        }
        d.set_item("po_number", &i.po_number)?;
        d.set_item("disputed", i.disputed)?;
        out.append(d)?;
    }
    Ok(out)
}

/// `Ledger.match_receipt_inputs`: each receipt as a `MatchReceiptDict`.
pub fn receipts_dicts<'py>(
    py: Python<'py>,
    receipts: &[MatchReceipt],
) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for r in receipts {
        let d = PyDict::new(py);
        d.set_item("id", &r.id)?;
        d.set_item("customer", r.customer.as_ref().map(CustomerId::as_str))?;
        d.set_item("date", r.date)?;
        d.set_item("amount", Dec(r.amount))?;
        d.set_item("currency", r.currency.code())?;
        d.set_item("remittance", &r.remittance)?;
        d.set_item("payer_name", &r.payer_name)?;
        d.set_item("account", &r.account)?;
        out.append(d)?;
    }
    Ok(out)
}

/// `Ledger.match_customers`: each customer as a `MatchCustomerDict`.
pub fn customers_dicts<'py>(
    py: Python<'py>,
    customers: &[MatchCustomer],
) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for c in customers {
        let d = PyDict::new(py);
        d.set_item("id", c.id.as_str())?;
        d.set_item("name", &c.name)?;
        d.set_item("aliases", &c.aliases)?;
        d.set_item("accounts", &c.accounts)?;
        out.append(d)?;
    }
    Ok(out)
}

// ----- results --------------------------------------------------------------

/// Generates `__repr__` and `to_dict` for a record class.
macro_rules! record_methods {
    ($ty:ident, $fields:ident) => {
        #[pymethods]
        impl $ty {
            fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
                record::repr(slf.as_any(), stringify!($ty), $fields)
            }

            /// The fields as a dict (nested records as dicts too).
            fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
                record::to_dict(slf.as_any(), $fields)
            }
        }
    };
}

/// The snake_case name of a reason code, as serde writes it.
fn code_name(code: ReasonCode) -> String {
    match serde_json::to_value(code) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn payer_basis_name(b: PayerBasis) -> &'static str {
    b.name()
}

fn source_kind_name(k: SourceKind) -> &'static str {
    match k {
        SourceKind::Receipt => "receipt",
        SourceKind::CreditMemo => "credit_memo",
    }
}

/// One piece of a proposal's explanation: a stable ``code``
/// (``"reference"``, ``"combination"``, ``"discount_in_window"``, ...) and
/// the evidence in words.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct Reason {
    /// The kind of evidence (snake_case).
    code: String,
    /// The evidence in words, naming items and amounts.
    message: String,
}

const REASON_FIELDS: &[&str] = &["code", "message"];

impl From<&matching::Reason> for Reason {
    fn from(r: &matching::Reason) -> Self {
        Reason {
            code: code_name(r.code),
            message: r.message.clone(),
        }
    }
}

record_methods!(Reason, REASON_FIELDS);

/// One reference read from remittance text: what it seems to point at
/// (``kind``: ``"invoice"``, ``"purchase_order"``, ``"credit_memo"`` or
/// ``"creditor"``), its letters and digits as read (``text``), its
/// ``number`` without leading zeros, whether it came from a range
/// (``in_range``) and whether it runs to the end of the text (``at_end``:
/// a field limit may have cut it).
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct Reference {
    /// ``"invoice"``, ``"purchase_order"``, ``"credit_memo"`` or ``"creditor"``.
    kind: &'static str,
    /// Letters and digits as read, upper case.
    text: String,
    /// The digits without leading zeros.
    number: String,
    /// Expanded from a range such as ``123-125``.
    in_range: bool,
    /// Runs to the very end of the text.
    at_end: bool,
}

const REFERENCE_FIELDS: &[&str] = &["kind", "text", "number", "in_range", "at_end"];

impl From<&matching::Reference> for Reference {
    fn from(r: &matching::Reference) -> Self {
        Reference {
            kind: r.kind.name(),
            text: r.text.clone(),
            number: r.number.clone(),
            in_range: r.in_range,
            at_end: r.at_end,
        }
    }
}

record_methods!(Reference, REFERENCE_FIELDS);

/// What ``ar.parse_remittance`` read from a text: ``references`` in the
/// order read, ``amounts`` named in it, ``deductions`` (``less 55``),
/// creditor references whose check digits fail, whether the text was
/// longer than is read (``truncated``), and whether it says the cash pays
/// no invoice (``no_invoice``: ``PREPAYMENT``, ``DEPOSIT``, ``ADVANCE``).
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct Remittance {
    /// References, in the order read, without repeats.
    references: Vec<Reference>,
    /// Amounts named in the text.
    amounts: Vec<Dec>,
    /// Amounts named as deductions.
    deductions: Vec<Dec>,
    /// ``RF`` references whose check digits fail.
    bad_creditor_references: Vec<String>,
    /// The text was longer than is read.
    truncated: bool,
    /// The text says the cash pays no invoice.
    no_invoice: bool,
    /// Installments named (``installment 3 of 3``): of the invoices
    /// referred to, these installments are paid.
    installments: Vec<u32>,
}

const REMITTANCE_FIELDS: &[&str] = &[
    "references",
    "amounts",
    "deductions",
    "bad_creditor_references",
    "truncated",
    "no_invoice",
    "installments",
];

record_methods!(Remittance, REMITTANCE_FIELDS);

/// One application of a proposal: ``amount`` from ``source`` (the receipt's
/// cash, ``source_kind="receipt"``, or an open credit memo) to ``invoice``
/// (``installment``), with the early-payment ``discount`` granted, the
/// short pay ``write_off`` within the tolerance, what the installment still
/// has open afterwards (``open_after``: a deduction when above zero) and
/// the effective ``date``.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct ProposedApplication {
    /// ``"receipt"`` or ``"credit_memo"``.
    source_kind: &'static str,
    /// The receipt or credit memo id.
    source: String,
    /// The invoice settled.
    invoice: String,
    /// The installment, for invoices paid in installments.
    installment: Option<u32>,
    /// Amount taken from the source.
    amount: Dec,
    /// Early-payment discount granted with it.
    discount: Dec,
    /// Short pay written off with it.
    write_off: Dec,
    /// What the installment still has open afterwards.
    open_after: Dec,
    /// Effective date.
    date: NaiveDate,
}

const PROPOSED_APPLICATION_FIELDS: &[&str] = &[
    "source_kind",
    "source",
    "invoice",
    "installment",
    "amount",
    "discount",
    "write_off",
    "open_after",
    "date",
];

impl From<&matching::ProposedApplication> for ProposedApplication {
    fn from(a: &matching::ProposedApplication) -> Self {
        ProposedApplication {
            source_kind: source_kind_name(a.source_kind),
            source: a.source.clone(),
            invoice: a.invoice.clone(),
            installment: a.installment,
            amount: Dec(a.amount),
            discount: Dec(a.discount),
            write_off: Dec(a.write_off),
            open_after: Dec(a.open_after),
            date: a.date,
        }
    }
}

record_methods!(ProposedApplication, PROPOSED_APPLICATION_FIELDS);

/// One way a receipt could settle open items: the ``customer`` whose items
/// it settles and how that payer was known (``payer_basis``: ``"given"``,
/// ``"reference"``, ``"account"``, ``"name"`` or ``"amount"``), the
/// ``applications`` (credit memos first, then cash, invoices oldest first),
/// cash left ``unapplied`` (an overpayment), a ``confidence`` from 0 to 100
/// and the ``reasons``.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct Proposal {
    /// How sure the matcher is, 0 to 100.
    confidence: u8,
    /// The customer whose items it settles.
    customer: String,
    /// How that customer was found.
    payer_basis: &'static str,
    /// The applications.
    applications: Vec<ProposedApplication>,
    /// Cash left unapplied.
    unapplied: Dec,
    /// The explanation.
    reasons: Vec<Reason>,
}

const PROPOSAL_FIELDS: &[&str] = &[
    "confidence",
    "customer",
    "payer_basis",
    "applications",
    "unapplied",
    "reasons",
];

impl From<&matching::Proposal> for Proposal {
    fn from(p: &matching::Proposal) -> Self {
        Proposal {
            confidence: p.confidence,
            customer: p.customer.to_string(),
            payer_basis: payer_basis_name(p.payer_basis),
            applications: p
                .applications
                .iter()
                .map(ProposedApplication::from)
                .collect(),
            unapplied: Dec(p.unapplied),
            reasons: p.reasons.iter().map(Reason::from).collect(),
        }
    }
}

record_methods!(Proposal, PROPOSAL_FIELDS);

/// The matcher's answer for one receipt: its ``status`` (``"auto"``: apply
/// the first proposal; ``"review"``: proposals for a person to choose from,
/// never applied automatically; ``"unmatched"``: nothing fits), the
/// ``proposals`` best first, the ``references`` read from its remittance
/// and ``notes`` on the receipt as a whole. ``auto`` is the proposal to
/// apply, if any; ``commands(i)`` gives proposal ``i`` as the ledger's own
/// commands.
#[pyclass(module = "ar", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct ReceiptMatch {
    /// The receipt id.
    #[pyo3(get)]
    receipt: String,
    /// Its date.
    #[pyo3(get)]
    date: NaiveDate,
    /// The amount matched (what was unapplied).
    #[pyo3(get)]
    amount: Dec,
    /// Its currency.
    #[pyo3(get)]
    currency: &'static str,
    /// ``"auto"``, ``"review"`` or ``"unmatched"``.
    #[pyo3(get)]
    status: &'static str,
    /// The payer named on the receipt, if any.
    #[pyo3(get)]
    given_payer: Option<String>,
    /// References read from the remittance.
    #[pyo3(get)]
    references: Vec<Reference>,
    /// Proposals, best first.
    #[pyo3(get)]
    proposals: Vec<Proposal>,
    /// Notes on the receipt as a whole.
    #[pyo3(get)]
    notes: Vec<Reason>,
    /// The core's answer, for `commands` and `Ledger.apply_match`.
    inner: matching::ReceiptMatch,
}

const RECEIPT_MATCH_FIELDS: &[&str] = &[
    "receipt",
    "date",
    "amount",
    "currency",
    "status",
    "given_payer",
    "references",
    "proposals",
    "notes",
];

impl From<matching::ReceiptMatch> for ReceiptMatch {
    fn from(m: matching::ReceiptMatch) -> Self {
        ReceiptMatch {
            receipt: m.receipt.clone(),
            date: m.date,
            amount: Dec(m.amount),
            currency: m.currency.code(),
            status: m.status.name(),
            given_payer: m.given_payer.as_ref().map(ToString::to_string),
            references: m.references.iter().map(Reference::from).collect(),
            proposals: m.proposals.iter().map(Proposal::from).collect(),
            notes: m.notes.iter().map(Reason::from).collect(),
            inner: m,
        }
    }
}

impl ReceiptMatch {
    /// The core's answer.
    pub fn core(&self) -> &matching::ReceiptMatch {
        &self.inner
    }
}

/// Serializes commands as the core's serde JSON (what `Ledger.execute_json`
/// and `Ledger.execute_all_json` read).
fn commands_json(commands: &[Command]) -> ar_core::Result<Vec<String>> {
    commands
        .iter()
        .map(|c| {
            serde_json::to_string(c).map_err(|e| Error::Internal {
                message: format!("cannot serialize command {}: {e}", c.name()),
            })
        })
        .collect()
}

#[pymethods]
impl ReceiptMatch {
    /// The proposal applied automatically (the first, when ``status`` is
    /// ``"auto"``), else ``None``.
    #[getter]
    fn auto(&self) -> Option<Proposal> {
        self.inner.auto().map(Proposal::from)
    }

    /// Proposal ``proposal`` as the ledger's own commands, each as the
    /// JSON ``Ledger.execute_json`` reads: ``assign_payer`` when the receipt
    /// named no payer, one ``apply`` per application (with its discount),
    /// one ``write_off`` per tolerated short pay. Run them together with
    /// ``Ledger.execute_all_json`` (or use ``Ledger.apply_match``). Raises
    /// ``NotFoundError`` when there is no such proposal.
    #[pyo3(
        signature = (proposal = None),
        text_signature = "($self, proposal=0)"
    )]
    fn commands(&self, proposal: Arg<'_, '_>) -> PyResult<Vec<String>> {
        let index = proposal_index(proposal)?;
        guard(|| commands_json(&self.inner.commands(index)?))
    }

    fn __repr__(&self) -> String {
        let best = self.proposals.first().map_or_else(String::new, |p| {
            format!(", best {} for {}", p.confidence, p.customer)
        });
        format!(
            "<ar.ReceiptMatch {} {} {}: {} {}, {} proposal{}{best}>",
            self.receipt,
            self.amount.0,
            self.currency,
            self.date,
            self.status,
            self.proposals.len(),
            if self.proposals.len() == 1 { "" } else { "s" },
        )
    }

    /// The fields as a dict (nested records as dicts too).
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        record::to_dict(slf.as_any(), RECEIPT_MATCH_FIELDS)
    }
}

/// The index of a proposal: an ``int`` from 0 (default 0).
pub fn proposal_index(obj: Arg<'_, '_>) -> PyResult<usize> {
    Ok(conv::opt_count("proposal", obj)?.map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX)))
}

/// Receipts and their amounts with one ``status`` in one ``currency``.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct SummaryRow {
    /// ``"auto"``, ``"review"`` or ``"unmatched"``.
    status: &'static str,
    /// Currency code.
    currency: &'static str,
    /// Number of receipts.
    receipts: u64,
    /// Their amounts.
    amount: Dec,
}

const SUMMARY_ROW_FIELDS: &[&str] = &["status", "currency", "receipts", "amount"];

record_methods!(SummaryRow, SUMMARY_ROW_FIELDS);

/// The answer for a batch of receipts: ``matches``, one ``ReceiptMatch`` per
/// receipt in the order given, and ``summary``, receipts and amounts per
/// status (auto, review, unmatched) and currency.
///
/// ``to_pandas()``, ``to_arrow()`` and ``summary_to_pandas()`` need the
/// optional extra ``pip install ar[pandas]``.
#[pyclass(module = "ar", frozen, eq)]
pub struct MatchBatch {
    /// The matches (Python objects, handed out without copying).
    matches: Vec<Py<ReceiptMatch>>,
    /// Per status and currency.
    #[pyo3(get)]
    summary: Vec<SummaryRow>,
}

impl PartialEq for MatchBatch {
    fn eq(&self, other: &Self) -> bool {
        self.summary == other.summary
            && self.matches.len() == other.matches.len()
            && self
                .matches
                .iter()
                .zip(&other.matches)
                .all(|(a, b)| a.get() == b.get())
    }
}

const MATCH_BATCH_FIELDS: &[&str] = &["matches", "summary"];

impl MatchBatch {
    fn new(py: Python<'_>, batch: matching::MatchBatch) -> PyResult<Self> {
        Ok(MatchBatch {
            matches: batch
                .matches
                .into_iter()
                .map(|m| Py::new(py, ReceiptMatch::from(m)))
                .collect::<PyResult<_>>()?,
            summary: batch
                .summary
                .iter()
                .map(|s| SummaryRow {
                    status: s.status.name(),
                    currency: s.currency.code(),
                    receipts: s.receipts,
                    amount: Dec(s.amount),
                })
                .collect(),
        })
    }
}

/// Calls `ar._frames.<name>(*args)`: the Python-side reshaping.
fn frames<'py>(
    py: Python<'py>,
    name: &str,
    args: impl pyo3::call::PyCallArgs<'py>,
) -> PyResult<Bound<'py, PyAny>> {
    py.import("ar._frames")?.getattr(name)?.call1(args)
}

/// `"first"` (the default) or `"all"` proposals in a frame.
fn which_proposals(obj: Arg<'_, '_>) -> PyResult<bool> {
    let Some(obj) = conv::given(obj) else {
        return Ok(false);
    };
    match conv::text("proposals", obj)?.as_str() {
        "first" => Ok(false),
        "all" => Ok(true),
        other => fail(Error::InvalidValue {
            field: "proposals".into(),
            value: other.to_owned(),
            reason: "expected \"first\" or \"all\"".into(),
        }),
    }
}

#[pymethods]
impl MatchBatch {
    /// One ``ReceiptMatch`` per receipt, in the order given.
    #[getter]
    fn matches<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.matches.iter().map(|m| m.clone_ref(py)))
    }

    /// A ``pandas.DataFrame`` with one row per application of each receipt's
    /// first proposal (every proposal with ``proposals="all"``), and one row
    /// with empty proposal columns for a receipt without proposals:
    /// ``receipt``, ``receipt_date``, ``receipt_amount``, ``currency``,
    /// ``status``, ``proposal`` (its index), ``confidence``, ``customer``,
    /// ``payer_basis``, ``source_kind``, ``source``, ``invoice``,
    /// ``installment``, ``amount``, ``discount``, ``write_off``,
    /// ``open_after``, ``date``. Amounts are ``decimal.Decimal`` objects
    /// (``amounts="decimal"``), text (``"str"``) or, only when asked, binary
    /// floats (``"float"``).
    #[pyo3(
        signature = (amounts = None, *, proposals = None),
        text_signature = "($self, amounts='decimal', *, proposals='first')"
    )]
    fn to_pandas<'py>(
        slf: &Bound<'py, Self>,
        amounts: Arg<'_, 'py>,
        proposals: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let amounts = conv::amounts_as("amounts", amounts)?;
        let all = which_proposals(proposals)?;
        frames(slf.py(), "match_to_pandas", (slf, amounts, all))
    }

    /// A ``pyarrow.Table`` with the columns of ``to_pandas()``. Amounts are
    /// ``decimal128(38, s)`` (``amounts="decimal"``), with ``s`` the largest
    /// minor unit of the currencies in the batch (exact), ``string`` or
    /// ``float64``; dates ``date32``.
    #[pyo3(
        signature = (amounts = None, *, proposals = None),
        text_signature = "($self, amounts='decimal', *, proposals='first')"
    )]
    fn to_arrow<'py>(
        slf: &Bound<'py, Self>,
        amounts: Arg<'_, 'py>,
        proposals: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let amounts = conv::amounts_as("amounts", amounts)?;
        let all = which_proposals(proposals)?;
        frames(slf.py(), "match_to_arrow", (slf, amounts, all))
    }

    /// A ``pandas.DataFrame`` of ``summary``: ``status``, ``currency``,
    /// ``receipts``, ``amount``.
    #[pyo3(
        signature = (amounts = None),
        text_signature = "($self, amounts='decimal')"
    )]
    fn summary_to_pandas<'py>(
        slf: &Bound<'py, Self>,
        amounts: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let amounts = conv::amounts_as("amounts", amounts)?;
        frames(slf.py(), "match_summary_to_pandas", (slf, amounts))
    }

    fn __len__(&self) -> usize {
        self.matches.len()
    }

    fn __repr__(&self) -> String {
        let count = |status: &str| {
            self.summary
                .iter()
                .filter(|s| s.status == status)
                .map(|s| s.receipts)
                .sum::<u64>()
        };
        format!(
            "<ar.MatchBatch of {} receipts: {} auto, {} review, {} unmatched>",
            self.matches.len(),
            count("auto"),
            count("review"),
            count("unmatched"),
        )
    }

    /// The fields as a dict (matches and summary rows as dicts too).
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        record::to_dict(slf.as_any(), MATCH_BATCH_FIELDS)
    }
}

/// A batch from the core, as Python objects.
pub fn batch(py: Python<'_>, b: matching::MatchBatch) -> PyResult<MatchBatch> {
    MatchBatch::new(py, b)
}

// ----- the matcher ----------------------------------------------------------

/// Open items indexed once for matching, with what a batch has consumed so
/// far. ``items`` (``MatchItemDict``: invoice installments and open credit
/// memos) and ``customers`` (``MatchCustomerDict``: names, aliases and
/// accounts that identify unnamed payers) are lists of dicts or a pandas
/// DataFrame / pyarrow Table with those columns. Options come as keywords
/// (``auto_threshold``, ``tolerance={"fixed": ..., "percent": ...}``,
/// ``tolerance_evidence``, ``partial_payments``, ``fuzzy``, ``max_combination``, ``max_search_items``,
/// ``max_search_steps``, ``max_proposals``, ``max_remittance_bytes``) or as
/// an ``options`` dict (the keywords win).
///
/// A matcher may be shared between threads: its calls are serialized, so
/// no item is consumed by two batches.
#[pyclass(module = "ar", frozen)]
pub struct Matcher {
    /// Behind a lock (the class is `frozen`, so threads sharing it never
    /// see "Already borrowed"); waited for without the GIL.
    inner: Mutex<matching::Matcher>,
}

impl Matcher {
    /// Runs `f` on the matcher, locked, with the GIL released; a panic is
    /// `InternalError`, the core's error its exception.
    fn change<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut matching::Matcher) -> ar_core::Result<T> + Send,
    ) -> PyResult<T> {
        let mut matcher = self.lock(py);
        let matcher = &mut *matcher;
        py.detach(|| catch(|| f(matcher))).map_err(|e| to_py(&e))
    }

    /// The matcher, locked; a poisoned lock is used as is (see
    /// `Ledger::read`: the engine's panics are caught inside).
    fn lock(&self, py: Python<'_>) -> MutexGuard<'_, matching::Matcher> {
        self.inner
            .lock_py_attached(py)
            .unwrap_or_else(PoisonError::into_inner)
    }
}

#[pymethods]
impl Matcher {
    #[new]
    #[pyo3(
        signature = (items, customers = None, *, options = None, auto_threshold = None, tolerance = None, tolerance_evidence = None, partial_payments = None, fuzzy = None, max_combination = None, max_search_items = None, max_search_steps = None, max_proposals = None, max_remittance_bytes = None),
        text_signature = "(items, customers=None, *, options=None, auto_threshold=85, tolerance=None, tolerance_evidence='reference', partial_payments='review', fuzzy=True, max_combination=6, max_search_items=40, max_search_steps=50000, max_proposals=10, max_remittance_bytes=4096)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        items: &Bound<'_, PyAny>,
        customers: Arg<'_, '_>,
        options: Arg<'_, '_>,
        auto_threshold: Arg<'_, '_>,
        tolerance: Arg<'_, '_>,
        tolerance_evidence: Arg<'_, '_>,
        partial_payments: Arg<'_, '_>,
        fuzzy: Arg<'_, '_>,
        max_combination: Arg<'_, '_>,
        max_search_items: Arg<'_, '_>,
        max_search_steps: Arg<'_, '_>,
        max_proposals: Arg<'_, '_>,
        max_remittance_bytes: Arg<'_, '_>,
    ) -> PyResult<Self> {
        let options = self::options(&OptionArgs {
            options,
            auto_threshold,
            tolerance,
            tolerance_evidence,
            partial_payments,
            fuzzy,
            max_combination,
            max_search_items,
            max_search_steps,
            max_proposals,
            max_remittance_bytes,
        })?;
        let items = self::items(items)?;
        let customers = self::customers(customers)?;
        let inner = py
            .detach(|| catch(|| matching::Matcher::new(items, &customers, options)))
            .map_err(|e| to_py(&e))?;
        Ok(Matcher {
            inner: Mutex::new(inner),
        })
    }

    /// The options in force, as a ``MatchOptionsDict``.
    #[getter]
    fn options<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let options = self.lock(py).options().clone();
        options_dict(py, &options)
    }

    /// Proposals for one ``receipt`` (a ``MatchReceiptDict``) against the
    /// items as they stand; nothing is consumed.
    #[pyo3(signature = (receipt))]
    fn propose(&self, py: Python<'_>, receipt: &Bound<'_, PyAny>) -> PyResult<ReceiptMatch> {
        let r = self::receipt(Place::Named("receipt".into()), receipt)?;
        let m = {
            let matcher = self.lock(py);
            let matcher = &*matcher;
            py.detach(|| catch(|| matcher.propose(&r)))
        }
        .map_err(|e| to_py(&e))?;
        Ok(ReceiptMatch::from(m))
    }

    /// Matches a batch of ``receipts`` (a list of ``MatchReceiptDict`` or a
    /// DataFrame). Items are consumed as receipts are applied automatically,
    /// also for later batches of this matcher, so no item is settled twice;
    /// proposals left for review consume nothing. On an error the matcher is
    /// unchanged.
    #[pyo3(signature = (receipts))]
    fn match_batch(&self, py: Python<'_>, receipts: &Bound<'_, PyAny>) -> PyResult<MatchBatch> {
        let receipts = self::receipts("receipts", receipts)?;
        let b = self.change(py, |m| m.match_batch(&receipts))?;
        MatchBatch::new(py, b)
    }

    /// Adds open ``items`` (``MatchItemDict``s or a DataFrame) issued since
    /// the matcher was built, and files ``customers`` (new ones, or more
    /// accounts and aliases of known ones): later batches see them as if
    /// they had been given at first, at the cost of the items added, not of
    /// a rebuild. Raises ``ConflictError`` (``duplicate_id``) for an item
    /// the matcher holds, and the errors of ``Matcher(...)``; the matcher
    /// is then unchanged.
    #[pyo3(signature = (items, customers = None))]
    fn add_items(
        &self,
        py: Python<'_>,
        items: &Bound<'_, PyAny>,
        customers: Arg<'_, '_>,
    ) -> PyResult<()> {
        let items = self::items(items)?;
        let customers = self::customers(customers)?;
        self.change(py, |m| m.add_items(items, &customers))
    }

    /// Replaces ``items`` changed outside the matcher (a payment posted by
    /// hand, a credit memo applied, a dispute raised, a due date moved):
    /// each replaces the item of its ``kind``, ``id`` and ``installment``,
    /// keeping its customer and currency. Raises ``NotFoundError`` for an
    /// item the matcher does not hold; the matcher is then unchanged.
    #[pyo3(signature = (items))]
    fn update_items(&self, py: Python<'_>, items: &Bound<'_, PyAny>) -> PyResult<()> {
        let items = self::items(items)?;
        self.change(py, |m| m.update_items(items))
    }

    /// Items settled or voided outside the matcher, no longer offered:
    /// ``MatchItemKeyDict``s (``id``, optional ``kind`` and
    /// ``installment``) or invoice ids. Raises ``NotFoundError`` for an
    /// item the matcher does not hold; the matcher is then unchanged.
    #[pyo3(signature = (keys))]
    fn remove_items(&self, py: Python<'_>, keys: &Bound<'_, PyAny>) -> PyResult<()> {
        let keys = self::keys(keys)?;
        self.change(py, |m| m.remove_items(&keys))
    }

    /// Brings the matcher to the books as they now stand, from
    /// ``Ledger.match_changes``: each of ``items`` replaces the item held
    /// or is added when none is; each of ``closed`` (``MatchItemKeyDict``s
    /// or invoice ids) held is no longer offered, one not held is passed
    /// over. All or nothing; errors name ``items[k]``.
    #[pyo3(signature = (items, closed = None))]
    fn sync(&self, py: Python<'_>, items: &Bound<'_, PyAny>, closed: Arg<'_, '_>) -> PyResult<()> {
        let items = self::items(items)?;
        let closed = match conv::given(closed) {
            Some(c) => self::keys(c)?,
            None => Vec::new(),
        };
        self.change(py, |m| m.sync(items, &closed))
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let matcher = self.lock(py);
        let o = matcher.options();
        format!(
            "<ar.Matcher auto_threshold={} fuzzy={}>",
            o.auto_threshold,
            if o.fuzzy { "True" } else { "False" }
        )
    }
}

/// Matches ``receipts`` against the open ``items`` in one batch: a
/// ``Matcher(items, customers, **options).match_batch(receipts)``.
#[pyfunction]
#[pyo3(
    signature = (receipts, items, customers = None, *, options = None, auto_threshold = None, tolerance = None, tolerance_evidence = None, partial_payments = None, fuzzy = None, max_combination = None, max_search_items = None, max_search_steps = None, max_proposals = None, max_remittance_bytes = None),
    text_signature = "(receipts, items, customers=None, *, options=None, auto_threshold=85, tolerance=None, tolerance_evidence='reference', partial_payments='review', fuzzy=True, max_combination=6, max_search_items=40, max_search_steps=50000, max_proposals=10, max_remittance_bytes=4096)"
)]
#[allow(clippy::too_many_arguments)]
pub fn match_receipts(
    py: Python<'_>,
    receipts: &Bound<'_, PyAny>,
    items: &Bound<'_, PyAny>,
    customers: Arg<'_, '_>,
    options: Arg<'_, '_>,
    auto_threshold: Arg<'_, '_>,
    tolerance: Arg<'_, '_>,
    tolerance_evidence: Arg<'_, '_>,
    partial_payments: Arg<'_, '_>,
    fuzzy: Arg<'_, '_>,
    max_combination: Arg<'_, '_>,
    max_search_items: Arg<'_, '_>,
    max_search_steps: Arg<'_, '_>,
    max_proposals: Arg<'_, '_>,
    max_remittance_bytes: Arg<'_, '_>,
) -> PyResult<MatchBatch> {
    let options = self::options(&OptionArgs {
        options,
        auto_threshold,
        tolerance,
        tolerance_evidence,
        partial_payments,
        fuzzy,
        max_combination,
        max_search_items,
        max_search_steps,
        max_proposals,
        max_remittance_bytes,
    })?;
    let receipts = self::receipts("receipts", receipts)?;
    let items = self::items(items)?;
    let customers = self::customers(customers)?;
    let b = py
        .detach(|| catch(|| matching::match_receipts(&receipts, items, &customers, &options)))
        .map_err(|e| to_py(&e))?;
    MatchBatch::new(py, b)
}

/// The references and amounts in remittance ``text`` as the matcher reads
/// them (the first 4,096 bytes): invoice numbers with or without prefixes,
/// lists and ranges, purchase-order and credit memo numbers, ``RF``
/// creditor references, amounts and deductions.
#[pyfunction]
#[pyo3(signature = (text))]
pub fn parse_remittance(text: &Bound<'_, PyAny>) -> PyResult<Remittance> {
    let text = conv::text("text", text)?;
    let r = guard(|| Ok(matching::parse_remittance(&text)))?;
    Ok(Remittance {
        references: r.references.iter().map(Reference::from).collect(),
        amounts: conv::decs(&r.amounts),
        deductions: conv::decs(&r.deductions),
        bad_creditor_references: r.bad_creditor_references,
        truncated: r.truncated,
        no_invoice: r.no_invoice,
        installments: r.installments,
    })
}

/// The ISO 11649 ``RF`` creditor reference for ``reference`` (an invoice
/// number, say): its letters and digits, upper-cased, behind ``RF`` and two
/// check digits. Raises ``ValidationError`` when it has no letters or
/// digits, or more than 21.
#[pyfunction]
#[pyo3(signature = (reference))]
pub fn creditor_reference(reference: &Bound<'_, PyAny>) -> PyResult<String> {
    let text = conv::text("reference", reference)?;
    guard(|| matching::creditor_reference(&text))
}

/// `Ledger.execute_all_json`'s commands: a sequence of command JSON
/// strings, named `field[i]`.
pub fn commands(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<Vec<Command>> {
    conv::items(field, "list of str (command JSON)", obj)?
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let field = format!("{field}[{i}]");
            let text = conv::text(&field, o)?;
            guard(|| conv::command(&field, &text))
        })
        .collect()
}

/// The `ReceiptMatch` passed to `Ledger.apply_match`.
pub fn receipt_match<'a, 'py>(
    field: &str,
    obj: &'a Bound<'py, PyAny>,
) -> PyResult<&'a Bound<'py, ReceiptMatch>> {
    match obj.cast::<ReceiptMatch>() {
        Ok(m) => Ok(m),
        Err(_) => conv::wrong_type(field, "ar.ReceiptMatch", obj),
    }
}
