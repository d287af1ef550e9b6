"""Hostile input: every public function, constructor and method of ``ar``
(enumerated from the module, so new ones are covered), called with bad
values in each argument in turn while the others are good. Every exception
must be an ``ar.ArError`` that is not an ``InternalError`` (a caught panic):
never a bare ``TypeError``, ``ValueError``, ``OverflowError``,
``UnicodeEncodeError``, ``RuntimeError``, ``SystemError`` or pyo3's
``PanicException``; a rejected ledger command must leave the ledger as it
was; and nothing may crash the interpreter.

Calls are made with the right number of arguments, so Python's own
``TypeError`` for a wrong count never arises. A second pass puts bad values
in two arguments at once, drawn by a seeded generator. The number of inputs
tried is printed (``pytest -s``) and checked against a floor.

Cases that fail because of the core (an ``InternalError`` from a panic in
``ar-core``) are listed in ``CORE_FINDINGS``: excluded from the sweep and
each run on its own as ``xfail(strict=True)``, so that the core fix shows
exactly which ones it makes pass.
"""

from __future__ import annotations

import datetime
import inspect
import random
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import pytest

import ar
import ar.metrics
from scenario import at, build, d, day

pd: Any = pytest.importorskip("pandas")
pa: Any = pytest.importorskip("pyarrow")

UTC = datetime.timezone.utc
LATER = at("2026-04-01T09:00:00Z")
APRIL = day("2026-04-01")
MAX = Decimal("79228162514264337593543950335")


# ----- bad values ------------------------------------------------------------------

class BrokenSequence:
    """A sequence whose every read raises."""

    def __len__(self) -> int:
        return 3

    def __getitem__(self, i: int) -> object:
        raise RuntimeError("broken sequence")

    def __iter__(self) -> Iterator[object]:
        raise RuntimeError("broken sequence")


class BrokenDecimal(Decimal):
    def as_tuple(self) -> Any:
        raise ValueError("broken decimal")

    def is_finite(self) -> bool:
        raise ValueError("broken decimal")


class BrokenTz(datetime.tzinfo):
    def utcoffset(self, dt: Optional[datetime.datetime]) -> datetime.timedelta:
        raise ZeroDivisionError("broken tzinfo")

    def dst(self, dt: Optional[datetime.datetime]) -> datetime.timedelta:
        return datetime.timedelta(0)

    def tzname(self, dt: Optional[datetime.datetime]) -> str:
        return "broken"


# (label, value). Labels name the cases in CORE_FINDINGS and in failures.
BAD: List[Tuple[str, Any]] = [
    ("float", 1.5),
    ("float nan", float("nan")),
    ("float inf", float("inf")),
    ("None", None),
    ("True", True),
    ("zero", 0),
    ("minus one", -1),
    ("2**63", 2**63),
    ("10**30", 10**30),
    ("-10**30", -(10**30)),
    ("int of 20000 bits", 1 << 20_000),
    ("Decimal NaN", Decimal("NaN")),
    ("Decimal sNaN", Decimal("sNaN")),
    ("Decimal inf", Decimal("Infinity")),
    ("Decimal -inf", Decimal("-Infinity")),
    ("Decimal MAX", MAX),
    ("Decimal -MAX", -MAX),
    ("Decimal 1E+999999", Decimal("1E+999999")),
    ("Decimal 1E-999999", Decimal("1E-999999")),
    ("Decimal -0", Decimal("-0.00")),
    ("Decimal subclass that raises", BrokenDecimal("1")),
    ("str of 10**6", "x" * 1_000_000),
    ("str surrogate", "\ud800"),
    ("str empty", ""),
    ("str spaces", " x "),
    ("str junk", "not a date"),
    ("bytes", b"USD"),
    ("bytearray", bytearray(b"USD")),
    ("list empty", []),
    ("dict empty", {}),
    ("tuple empty", ()),
    ("list of None", [None]),
    ("list of float", [1.5]),
    ("list nested", [[[]]]),
    ("list of 10**5", [Decimal(1)] * 100_000),
    ("dict nested", {"k": {"k": [1.5]}}),
    ("dict int keys", {1: 2}),
    ("dict surrogate", {"\ud800": "\ud800"}),
    ("set", {1}),
    ("iterator", iter([1])),
    ("broken sequence", BrokenSequence()),
    ("object", object()),
    ("type", int),
    ("function", len),
    ("date min", datetime.date.min),
    ("date max", datetime.date.max),
    ("datetime naive", datetime.datetime(2026, 4, 1)),
    ("datetime max aware", datetime.datetime.max.replace(tzinfo=UTC)),
    ("datetime min aware", datetime.datetime.min.replace(tzinfo=UTC)),
    ("datetime past 9999 in UTC", datetime.datetime(
        9999, 12, 31, 23, 59, tzinfo=datetime.timezone(datetime.timedelta(hours=-23)))),
    ("datetime before 1 in UTC", datetime.datetime(
        1, 1, 1, 0, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=23)))),
    ("datetime broken tzinfo", datetime.datetime(2026, 4, 1, tzinfo=BrokenTz())),
    ("Ledger", ar.Ledger()),
    # Lines near the 96-bit limit: their totals overflow.
    ("lines MAX 10% off", [ar.Line("x", 1, MAX, discount_percent=10)]),
    ("lines MAX and 1.00", [ar.Line("x", 1, MAX), ar.Line("y", 1, d("1.00"))]),
    ("lines MAX 19% inclusive", [ar.Line("x", 1, MAX, taxes=[("VAT", 19)])]),
]

# Values that make pandas or matplotlib do real work rather than fail at
# once are not used for the few arguments that take such objects.
SLOW_FOR = {"ax"}


# ----- good values ------------------------------------------------------------------

LINE = ar.Line("x", 1, d("1.00"))
RECEIPT = {"id": "RX", "customer": "ACME", "date": APRIL, "amount": d("1.00"), "currency": "USD",
           "remittance": "INV-1"}
ITEM = {"kind": "invoice", "id": "INV-9", "customer": "ACME", "currency": "USD",
        "date": day("2026-03-01"), "due_date": day("2026-03-31"), "open": d("1.00")}


NOTICE = {
    "customer": "ACME", "customer_name": "Acme", "currency": "USD", "as_of": APRIL, "policy": "p", "level": 1,
    "action": "email", "template": "t",
    "items": [{"invoice": "INV-1", "installment": 1, "invoice_date": "2026-03-01", "due_date": "2026-03-31",
               "days_past_due": 1, "original": d("1.00"), "open": d("1.00"), "level": 1, "previous_level": 0}],
    "interest": [], "compensation": [], "excluded": [], "overdue": d("1.00"), "fee": d("0.00"),
    "interest_total": d("0.00"), "compensation_total": d("0.00"), "total": d("1.00"),
}


def frames() -> Dict[str, Any]:
    invoices = pd.DataFrame({
        "id": ["I1", "I2"], "customer": ["ACME", "BETA"],
        "date": [day("2026-03-01")] * 2, "due_date": [day("2026-03-31")] * 2,
        "amount": [d("100.00"), d("50.00")], "currency": ["USD", "USD"],
    })
    customers = pd.DataFrame({"id": ["ACME", "BETA"], "currency": ["USD", "USD"]})
    return {"invoices": invoices, "customers": customers}


DATA = Path(__file__).resolve().parents[2] / "ar-formats" / "tests" / "data"
BAI_BYTES = (DATA / "bai2" / "handmade.bai").read_bytes()
CAMT_BYTES = (DATA / "camt" / "handmade-camt054.v04.xml").read_bytes()
MT940_BYTES = (DATA / "mt940" / "mbank.sta").read_bytes()
NACHA_BYTES = (DATA / "nacha" / "handmade-ccd-ctx.ach").read_bytes()
X12_BYTES = (DATA / "x12" / "handmade-820.edi").read_bytes()
XERO_BYTES = (DATA / "systems" / "xero_sales_invoices.csv").read_bytes()

# Good values by parameter name (any callable), then by "Callable.param".
USD_RATES: Any = {"functional": "USD", "rates": []}

GOOD: Dict[str, Any] = {
    "id": "X1", "name": "N", "currency": "USD", "customer": "ACME", "date": APRIL,
    "due_date": day("2026-04-30"), "as_of": APRIL, "known_at": LATER, "recorded": LATER,
    "invoice": "INV-1", "receipt": "R2", "credit_memo": "CM-1", "amount": d("1.00"),
    "total": d("10.00"), "open": d("5.00"), "lines": [LINE], "description": "d",
    "quantity": d("1"), "unit_price": d("1.00"), "reason": "r", "disputed": True,
    "application": "A1", "write_off": "W1", "start": day("2026-03-01"),
    "end": day("2026-03-31"), "period_ends": [day("2026-03-01"), day("2026-03-31")],
    "text": "INV-1", "reference": "INV-1", "code": "USD", "value": d("1.005"),
    "weights": [1, 2], "terms": "net 30", "invoice_date": APRIL, "rates": [d("1"), d("2")],
    "report_row_or_buckets": [d("1"), d("2")], "labels": ["a", "b"],
    "history": [[d("1"), d("2")], [d("1"), d("2")]], "roll": [d("50"), None],
    "required": d("10"), "existing": d("5"), "receipts": [RECEIPT], "items": [ITEM],
    "keys": [{"kind": "invoice", "id": "INV-9"}], "since": 0,
    "command_json": '{"type": "void_receipt", "receipt": "R1", "date": "2026-04-01", "reason": ""}',
    "commands_json": [], "proposal": 0, "days": 30, "due": "net 30",
    "installments": [ar.Installment("net 30")],
    "periods": [(d("100"), 30)], "payments": [(day("2026-03-01"), day("2026-03-31"), APRIL, d("1"))],
    "ar_end": d("100"), "ar_begin": d("50"), "credit_sales": d("200"), "dso": d("40"),
    "best_possible": d("30"), "begin": d("100"), "sales": d("200"), "end_total": d("80"),
    "end_current": d("50"), "current_ar": d("50"), "total_ar": d("80"),
    "Ledger.import_invoice.id": "IMP-1",
    "Ledger.issue_credit_memo.lines": [(0, None)],
    "up_to": day("2026-03-31"), "policy": "refuse", "from_": day("2026-03-01"),
    "options": {"rules": {"accounts": {"receivable": "1200"}}},
    "gl_lines": [{"account": "receivable", "currency": "USD", "date": APRIL,
                  "amount": d("1.00"), "document": "INV-1"}],
    "Ledger.revalue.rates": [{"currency": "EUR", "rate": d("1.10")}],
    "installment": 1, "discount_percent": d("2"), "discount_amount": d("1.00"),
    "discount_days": 10, "discount_base": "untaxed",
    "source": BAI_BYTES, "parse_camt.source": CAMT_BYTES, "parse_mt940.source": MT940_BYTES,
    "parse_nacha.source": NACHA_BYTES, "parse_x12_820.source": X12_BYTES,
    "statement": ar.parse_bank_file(BAI_BYTES), "id_prefix": "BANK-",
    # Accounting systems, reports as CSV and .xlsx.
    "accounting_profile.name": "xero-invoices", "import_accounting.source": XERO_BYTES,
    "profile": "xero-invoices", "layout": "xero",
    "rows": ar.import_accounting(XERO_BYTES, "xero-invoices"),
    "open_items_to_csv.items": [ITEM | {"original": d("1.00")}],
    "open_items_to_xlsx.items": [ITEM | {"original": d("1.00")}],
    "Matcher.receipt": RECEIPT,
    "Matcher.propose.receipt": RECEIPT,
    # Collections.
    "Ledger.open_dispute.dispute": {"id": "DX", "invoice": "INV-1", "reason": "r", "owner": "o"},
    "Ledger.resolve_dispute.dispute": "DX", "by": "me", "hold": True,
    "promise": {"id": "PX", "customer": "ACME", "items": [{"invoice": "INV-1"}], "amount": d("1.00"),
                "due": "2026-05-01"},
    "plan": {"id": "PLX", "customer": "ACME", "items": [{"invoice": "INV-1"}],
             "instalments": [{"due": "2026-05-01", "amount": d("1.00")}]},
    "charge": {"id": "FX", "customer": "ACME", "date": APRIL, "kind": "fee", "lines": [{"amount": d("1.00")}]},
    "notice": NOTICE, "setup": {"id": "p", "levels": [{"days": 1, "template": "t"}]},
    "preset": "eu_directive", "interest_rule.rates": [{"from": "2024-01-01", "rate": d("5")}],
    "rule": {"rates": [{"from": "2024-01-01", "rate": d("5")}], "margin": d("8")},
    "principal": d("100.00"), "through": day("2026-05-01"), "percent": d("2"), "discount_days": 10,
    "net_days": 30, "template": "{{ customer_name }}",
    # Statements, the forecast, the log row by row.
    "weeks": 4, "line": "{}", "records": [], "plot_metrics.rows": [], "metric": "cei", "top": 3,
    "places": 2, "company": {"name": "Widgets Ltd"}, "format": "text",
    "customers": ["ACME"], "Ledger.render_statements.template": "{{ company.name }}",
    # Reports in a functional currency.
    "Ledger.aging.rates": USD_RATES, "Ledger.metrics.rates": USD_RATES,
    "Book.aging.rates": USD_RATES, "Book.metrics.rates": USD_RATES, "rates_date": APRIL,
    # Credit control and the worklist.
    "Ledger.credit_check.policy": {"warn_at_percent": d("80"), "past_due": "warn"}, "orders": d("1.00"),
    "dimension": ("collector", "ann"),
    # Snapshots.
    "tail": [],
}


def good(name: str, param: str, tables: Dict[str, Any], ledger: ar.Ledger) -> Any:
    """A good value for ``param`` of callable ``name`` (``Ledger.apply``)."""
    if f"{name}.{param}" == "Ledger.from_tables.customers":
        return tables["customers"]
    if f"{name}.{param}" in ("Ledger.from_tables.invoices", "Book.invoices"):
        return tables["invoices"]
    if param == "json":
        return ledger.to_json()
    if param == "snapshot":
        return ledger.snapshot()
    if param == "match":
        return ledger.match_receipt("R2")
    if param == "partial":
        b = ar.Book(tables["invoices"], currency="USD")
        if name == "aging_finish":
            return b.aging_partial(GOOD["as_of"])
        return b.metrics_partial(GOOD["start"], GOOD["end"])
    for key in (f"{name}.{param}", f"{name.split('.')[0]}.{param}", param):
        if key in GOOD:
            return GOOD[key]
    raise AssertionError(f"no good value for {name}({param}): add one to GOOD")


# ----- what to call ------------------------------------------------------------------

def instances(ledger: ar.Ledger, tables: Dict[str, Any]) -> Dict[str, Any]:
    """One object of every class whose methods take arguments."""
    return {
        "Ledger": ledger,
        "Book": ar.Book(tables["invoices"], currency="USD"),
        "Matcher": ar.Matcher([ITEM]),
        "AgingReport": ledger.aging(APRIL),
        "MatchBatch": ledger.match_receipts(),
        "ReceiptMatch": ledger.match_receipt("R2"),
        "Journal": ledger.journal(),
        "BankReconciliation": ledger.reconcile_bank(ar.parse_bank_file(BAI_BYTES)),
    }


Target = Tuple[str, Callable[..., Any], inspect.Signature]


def targets(ledger: ar.Ledger, tables: Dict[str, Any]) -> List[Target]:
    """(qualified name, callable, signature) of every public callable."""
    objects = instances(ledger, tables)
    out: List[Target] = []
    modules = [("", ar), ("metrics.", ar.metrics)]
    for prefix, module in modules:
        for name in getattr(module, "__all__", dir(module)):
            obj = getattr(module, name)
            if name.startswith("_") or inspect.ismodule(obj):
                continue
            if inspect.isclass(obj):
                if issubclass(obj, BaseException):
                    continue  # ar's exception classes: plain Python
                methods = [
                    m for m in dir(obj)
                    if not m.startswith("_") and callable(inspect.getattr_static(obj, m))
                ]
                try:
                    ctor: Optional[inspect.Signature] = inspect.signature(obj)
                except ValueError:
                    ctor = None
                if ctor is not None and ctor.parameters:
                    out.append((f"{name}", obj, ctor))
                for m in methods:
                    static = inspect.getattr_static(obj, m)
                    if isinstance(static, (classmethod, staticmethod)) or type(static).__name__ in (
                        "classmethod_descriptor", "builtin_function_or_method"
                    ):
                        bound: Any = getattr(obj, m)
                    else:
                        sig = inspect.signature(getattr(obj, m))
                        if len(sig.parameters) <= 1:
                            continue  # self only: no argument to make bad
                        assert name in objects, f"no instance of ar.{name}: add one to instances()"
                        bound = getattr(objects[name], m)
                    out.append((f"{name}.{m}", bound, inspect.signature(bound)))
            elif callable(obj):
                out.append((f"{prefix}{name}", obj, inspect.signature(obj)))
    return out


def call(fn: Callable[..., Any], sig: inspect.Signature, values: Dict[str, Any]) -> Any:
    args: List[Any] = []
    kwargs: Dict[str, Any] = {}
    for p in sig.parameters.values():
        if p.name not in values:
            continue
        if p.kind == p.POSITIONAL_ONLY or (p.kind == p.POSITIONAL_OR_KEYWORD and p.default is p.empty):
            args.append(values[p.name])
        else:
            kwargs[p.name] = values[p.name]
    return fn(*args, **kwargs)


def base_values(name: str, sig: inspect.Signature, tables: Dict[str, Any], ledger: ar.Ledger) -> Dict[str, Any]:
    """Good values for the required parameters (and ``recorded``, so that
    every command is recorded at the same time)."""
    return {
        p.name: good(name, p.name, tables, ledger)
        for p in sig.parameters.values()
        if p.name not in ("self", "cls") and (p.default is p.empty or p.name == "recorded")
    }


# ----- the sweep ---------------------------------------------------------------------

# (callable, parameter, bad value's label) -> why the core is at fault.
# Calls that reach deeper than one bad argument among good ones: the
# reproducers of the hardening issue near the decimal limit.
def deep_calls(ledger: ar.Ledger) -> Dict[str, Callable[[], object]]:
    return {
        "apply 10.00 with a discount of MAX": lambda: ledger.apply(
            "INV-1", d("10.00"), day("2026-03-11"), receipt="R2", discount=MAX, recorded=LATER),
        "schedule 2/10 net 30 of MAX JPY": lambda: ar.schedule("2/10 net 30", day("2026-03-01"), MAX, "JPY"),
        "issue_invoice of MAX 19% inclusive": lambda: ledger.issue_invoice(
            "IX", "ACME", APRIL, [ar.Line("x", 1, MAX, taxes=[("VAT", 19)])], tax_mode="inclusive",
            recorded=LATER),
        "compute_totals of MAX 19% inclusive": lambda: ar.compute_totals(
            [ar.Line("x", 1, MAX, taxes=[("VAT", 19)])], "USD", tax_mode="inclusive"),
        "allocate MAX over MAX weights": lambda: ar.allocate(MAX, [MAX, MAX], "USD"),
        "round_amount -MAX to JPY half even": lambda: ar.round_amount(-MAX, "JPY", "half_even"),
    }



CORE_FINDINGS: Dict[Tuple[str, str, str], str] = {}

# Parameters that take the caller's own callable: what a callable given
# there raises is the caller's exception, and ar raises it as it is (a
# non-callable value is still refused with an ArError).
CALLBACKS = {"progress"}

Failure = Tuple[str, str, str, str]


def check(name: str, fn: Callable[..., Any], sig: inspect.Signature, values: Dict[str, Any],
          ledger: ar.Ledger, where: Tuple[str, str]) -> Optional[str]:
    """Calls once; ``None`` when all is well, else what went wrong."""
    before = len(ledger)
    try:
        call(fn, sig, values)
    except ar.InternalError as e:
        return f"InternalError: {str(e)[:200]}"
    except ar.ArError as e:
        if name.startswith("Ledger.") and len(ledger) != before and not isinstance(e, ar.LogError):
            return f"a rejected command changed the ledger ({before} -> {len(ledger)} events)"
        if len(str(e)) > 2000:
            return f"a message of {len(str(e))} characters"
        return None
    except Exception as e:  # noqa: BLE001 - anything else is the finding
        return f"{type(e).__module__}.{type(e).__name__}: {str(e)[:200]}"
    return None


def sweep() -> Tuple[int, List[Failure]]:
    ledger = build()
    tables = frames()
    tried = 0
    failures: List[Failure] = []
    for name, fn, sig in targets(ledger, tables):
        base = base_values(name, sig, tables, ledger)
        params = [p for p in sig.parameters.values() if p.name not in ("self", "cls")]
        for p in params:
            for label, bad in BAD:
                if p.name in SLOW_FOR and not isinstance(bad, (int, float, str, bytes)):
                    continue
                if (name, p.name, label) in CORE_FINDINGS:
                    continue
                if p.name in CALLBACKS and callable(bad):
                    continue
                tried += 1
                what = check(name, fn, sig, {**base, p.name: bad}, ledger, (p.name, label))
                if what is not None:
                    failures.append((name, p.name, label, what))
    return tried, failures


def deep() -> Tuple[int, List[Failure]]:
    ledger = build()
    failures: List[Failure] = []
    calls = deep_calls(ledger)
    for label, fn in calls.items():
        if ("deep", label, "") in CORE_FINDINGS:
            continue
        what = check("deep", lambda **_: fn(), inspect.Signature(), {}, ledger, ("", label))
        if what is not None:
            failures.append(("deep", label, "", what))
    return len(calls), failures


def pairs(seed: int, count: int) -> Tuple[int, List[Failure]]:
    """Bad values in two arguments at once, drawn by a seeded generator."""
    rng = random.Random(seed)
    ledger = build()
    tables = frames()
    all_targets = [t for t in targets(ledger, tables) if len(t[2].parameters) >= 2]
    tried = 0
    failures: List[Failure] = []
    for _ in range(count):
        name, fn, sig = rng.choice(all_targets)
        params = [p.name for p in sig.parameters.values() if p.name not in ("self", "cls")]
        if len(params) < 2:
            continue
        chosen = rng.sample(params, 2)
        picks = {n: rng.choice(BAD) for n in chosen}
        if any(n in SLOW_FOR for n in chosen):
            continue
        if any((name, n, picks[n][0]) in CORE_FINDINGS for n in chosen):
            continue
        base = base_values(name, sig, tables, ledger)
        tried += 1
        what = check(name, fn, sig, {**base, **{n: v for n, (_, v) in picks.items()}}, ledger,
                     (chosen[0], picks[chosen[0]][0]))
        if what is not None:
            labels = ", ".join(f"{n}={picks[n][0]}" for n in chosen)
            failures.append((name, "+".join(chosen), labels, what))
    return tried, failures


def test_every_public_callable_refuses_bad_values_with_an_ar_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A bad `path` of a `to_xlsx` may still be a file name (" x "): written
    # here, not beside the tests.
    monkeypatch.chdir(tmp_path)
    tried, failures = sweep()
    more, more_failures = pairs(seed=14, count=4000)
    deeper, deep_failures = deep()
    everything = failures + more_failures + deep_failures
    print(f"\nhostile inputs tried: {tried} one at a time, {more} in pairs, {deeper} deep, "
          f"{tried + more + deeper} in all; {len(CORE_FINDINGS)} known core findings left out")
    report = "\n".join(f"{n}({p}={label}): {what}" for n, p, label, what in everything)
    assert not everything, f"{len(everything)} findings:\n{report}"
    assert tried > 10_000


def test_the_sweep_covers_every_public_callable() -> None:
    ledger = build()
    found = {name for name, _, _ in targets(ledger, frames())}
    # A few that must be there (the enumeration itself is what covers new ones).
    for name in ("Ledger.apply", "Ledger.from_tables", "Book", "Book.aging", "Matcher",
                 "Matcher.match_batch", "Terms.parse", "Line", "allocate", "metrics.cei",
                 "AgingReport.provision", "ReceiptMatch.commands", "MatchBatch.to_pandas"):
        assert name in found, name
    assert len(found) >= 80


@pytest.mark.parametrize(
    "name, param, label",
    [pytest.param(*k, marks=pytest.mark.xfail(strict=True, reason=v), id="-".join(k))
     for k, v in CORE_FINDINGS.items()] or [pytest.param("", "", "", marks=pytest.mark.skip(
         reason="no core findings"))],
)
def test_core_findings(name: str, param: str, label: str) -> None:
    ledger = build()
    if name == "deep":
        what = check("deep", lambda **_: deep_calls(ledger)[param](), inspect.Signature(), {},
                     ledger, ("", param))
        assert what is None, what
        return
    tables = frames()
    by_name = {n: (fn, sig) for n, fn, sig in targets(ledger, tables)}
    fn, sig = by_name[name]
    bad = dict(BAD)[label]
    what = check(name, fn, sig, {**base_values(name, sig, tables, ledger), param: bad}, ledger,
                 (param, label))
    assert what is None, what
