"""The conversion layer itself: arguments read by ``src/de.rs`` into serde
types, results built by ``ar._records`` from the core's serialized form.

``ar._ar._layer_echo`` reads a value as a sample of every kind the layer
reads (``src/echo.rs``) and writes it back as JSON; :class:`Sample` below is
its record, built by the same builder as the public records."""

from __future__ import annotations

import dataclasses
import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, List, Literal, Optional

import pytest

import ar
from ar import _records
from reports_book import aging_book
from scenario import d
from test_collections import samples as collections_samples
from test_credit import samples as credit_samples
from test_forecast import samples as forecast_samples
from test_formats import samples as formats_samples
from test_statement import samples as statement_samples

UTC = datetime.timezone.utc


@dataclass(frozen=True, init=False, slots=True)
class Nested(_records.Record[Dict[str, Any]]):
    due_date: datetime.date
    lines: List[List[Decimal]]


@dataclass(frozen=True, init=False, slots=True)
class Cei(_records.Record[Dict[str, Any]]):
    variant: Literal["period_sales", "monthly_average"]
    months: int


@dataclass(frozen=True, init=False, slots=True)
class Sample(_records.Record[Dict[str, Any]]):
    amount: Decimal
    amounts: List[Optional[Decimal]]
    core_amount: Decimal
    date: datetime.date
    recorded: Optional[datetime.datetime]
    text: str
    count: int
    days: int
    flag: bool
    rounding: Literal["half_away_from_zero", "half_even"]
    currency: str
    cei: Optional[Cei]
    tolerance: Optional[Dict[str, Dict[str, Decimal]]]
    nested: List[Nested]
    limited: Optional[List[int]]
    dimensions: Dict[str, str]


def good() -> Dict[str, Any]:
    return {
        "amount": Decimal("0.0000000000000000000000000001"),
        "amounts": [Decimal("-0.00"), None, 7, Decimal("79228162514264337593543950335")],
        "core_amount": Decimal("-79228162514264337593543950335"),
        "date": datetime.date(2028, 2, 29),
        "recorded": datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1))),
        "text": "é \U0001f600",
        "count": 4294967295,
        "days": -30,
        "flag": True,
        "rounding": "half_even",
        "currency": "JPY",
        "cei": {"variant": "monthly_average", "months": 3},
        "tolerance": {"percent": {"rate": Decimal("2.5")}},
        "nested": [{"due_date": "2026-03-31", "lines": [[1, Decimal("2.50")], []]}],
        "limited": [1, 2, 3],
        "dimensions": {"Region": "EU", "sales_team": "north"},
    }


def echo(value: Any) -> Sample:
    return _records.build(Sample, json.loads(ar._ar._layer_echo(value)))


def test_every_kind_of_value_round_trips() -> None:
    s = echo(good())
    # Exact at both ends of the 96-bit decimal: 28 places, 29 digits.
    assert str(s.amount) == "1E-28" and s.amount == Decimal("0.0000000000000000000000000001")
    assert s.core_amount == Decimal("-79228162514264337593543950335")
    # -0.00 comes back 0.00 (its scale kept, its sign not); an int as an amount.
    assert [str(a) if a is not None else None for a in s.amounts] == [
        "0.00", None, "7", "79228162514264337593543950335"]
    assert s.date == datetime.date(2028, 2, 29)
    # An aware datetime comes back in UTC, the same instant.
    assert s.recorded == datetime.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert s.recorded is not None and s.recorded.utcoffset() == datetime.timedelta(0)
    assert (s.text, s.count, s.days, s.flag) == ("é \U0001f600", 4294967295, -30, True)
    assert (s.rounding, s.currency) == ("half_even", "JPY")
    assert s.cei is not None and (s.cei.variant, s.cei.months) == ("monthly_average", 3)
    assert s.tolerance == {"percent": {"rate": Decimal("2.5")}}
    assert s.nested[0].due_date == datetime.date(2026, 3, 31)
    assert s.nested[0].lines == [[Decimal("1"), Decimal("2.50")], []]
    assert str(s.nested[0].lines[0][1]) == "2.50"
    assert s.limited == [1, 2, 3]
    # Map keys are data: as given.
    assert s.dimensions == {"Region": "EU", "sales_team": "north"}
    # Optional fields may be absent or None; a defaulted map absent.
    bare = good()
    for k in ("recorded", "cei", "tolerance", "limited", "dimensions"):
        del bare[k]
    b = echo(bare | {"cei": None})
    assert (b.recorded, b.cei, b.tolerance, b.limited, b.dimensions) == (None, None, None, None, {})
    # A date as text; a tuple as a list; the other variant of an enum.
    raw = json.loads(ar._ar._layer_echo(
        good() | {"date": "2026-01-31", "nested": (), "tolerance": {"fixed_amount": 5}}))
    assert (raw["date"], raw["nested"], raw["tolerance"]) == ("2026-01-31", [], {"fixed_amount": "5"})
    # Where a type asks for text, a Decimal or int is its decimal text: how
    # the core's own amounts (read from text) take a Decimal. Documented.
    assert echo(good() | {"text": 5, "core_amount": 12}).text == "5"


def bad(**changes: Any) -> ar.ArError:
    with pytest.raises(ar.ArError) as e:
        ar._ar._layer_echo(good() | changes)
    assert len(str(e.value)) < 800, str(e.value)
    return e.value


@pytest.mark.parametrize(
    "changes, code, field",
    [
        ({"amount": 1.5}, "invalid_type", "value.amount"),
        ({"amount": float("nan")}, "invalid_type", "value.amount"),
        ({"amount": Decimal("NaN")}, "invalid_decimal", "value.amount"),
        ({"amount": "1,50"}, "invalid_decimal", "value.amount"),
        ({"amount": True}, "invalid_type", "value.amount"),
        ({"amounts": [1, Decimal("1E+40")]}, "invalid_value", "value.amounts[1]"),
        ({"core_amount": "1e3"}, "invalid_decimal", "value.core_amount"),
        ({"count": True}, "invalid_type", "value.count"),
        ({"count": 1.0}, "invalid_type", "value.count"),
        ({"count": -1}, "invalid_value", "value.count"),
        ({"count": 2**32}, "invalid_value", "value.count"),
        ({"days": 2**200}, "invalid_value", "value.days"),
        ({"flag": 1}, "invalid_type", "value.flag"),
        ({"date": datetime.datetime(2026, 1, 1)}, "invalid_type", "value.date"),
        ({"date": "2026-02-30"}, "invalid_date", "value.date"),
        ({"recorded": datetime.datetime(2026, 1, 1)}, "invalid_type", "value.recorded"),
        ({"rounding": "up"}, "invalid_value", "value.rounding"),
        ({"currency": "usd"}, "invalid_currency", "value.currency"),
        ({"nested": [{"due_date": "2026-03-31", "lines": [["2.5O"]]}]}, "invalid_decimal",
         "value.nested[0].lines[0][0]"),
        ({"nested": [{"due_date": "2026-03-31", "lines": 5}]}, "invalid_type", "value.nested[0].lines"),
        ({"nested": [{"due_date": "2026-03-31", "lines": [], "extra": 1}]}, "invalid_value",
         "value.nested[0].extra"),
        ({"nested": [{"lines": []}]}, "invalid_type", "value.nested[0].due_date"),
        ({"bogus": 1}, "invalid_value", "value.bogus"),
        ({"text": "x" * 10_000_000}, "limit_exceeded", "value.text"),
        ({"text": "a\ud800b"}, "invalid_value", "value.text"),
        ({"text": 1.5}, "invalid_type", "value.text"),
        ({"text": ["a"]}, "invalid_type", "value.text"),
        ({"dimensions": {"k": "\udfff"}}, "invalid_value", "value.dimensions.k"),
        ({"limited": [1, 2, 3, 4]}, "limit_exceeded", "value.limited"),
        ({"tolerance": {"fixed_amount": 1, "percent": {}}}, "invalid_value", "value.tolerance"),
        ({"cei": {"variant": "monthly"}}, "invalid_value", "value.cei.variant"),
    ],
)
def test_bad_values_are_typed_errors_naming_the_path(changes: Dict[str, Any], code: str, field: str) -> None:
    e = bad(**changes)
    assert e.code == code, e.message
    assert e.message.startswith(f"{field}:"), e.message


def test_a_10_mb_string_is_refused_from_its_length() -> None:
    import time

    start = time.perf_counter()
    e = bad(text="é" * 5_000_000)
    assert e.code == "limit_exceeded" and time.perf_counter() - start < 0.05


def test_an_exception_of_the_callers_own_code_is_an_ar_error() -> None:
    class Exploding(list[int]):
        def __iter__(self) -> Any:
            raise RuntimeError("boom")

        def __len__(self) -> int:
            raise RuntimeError("boom")

    e = bad(limited=Exploding())
    assert e.code == "invalid_value" and e.message.startswith("value.limited:")
    assert isinstance(e.__cause__, RuntimeError)
    # A list holding itself ends at the depth limit, not in a stack overflow.
    loop: List[Any] = []
    loop.append(loop)
    e = bad(nested=[{"due_date": "2026-03-31", "lines": loop}])
    assert e.code in ("invalid_type", "limit_exceeded"), e.message


# ----- records -------------------------------------------------------------------


def samples() -> List[Any]:
    """One result of every public record class, from the public API."""
    report = aging_book().aging("2026-06-30")
    return [
        report.provision([1, 2, 5, 10, 20, 50], "USD"),
        ar.allowance_adjustment(d("4350.00"), d("3000.00")),
        aging_book().roll_rates(["2026-05-31", "2026-06-30"], "USD"),
        *collections_samples(),
        *statement_samples(),
        *forecast_samples(),
        *credit_samples(),
        *accounting_samples(),
        *formats_samples(),
        # Every bank record: balances, references, listed entries.
        ar.parse_bank_file(Path(__file__).resolve().parents[2] / "ar-formats" / "tests" / "data"
                           / "bai2" / "handmade.bai"),
    ]


def accounting_samples() -> List[Any]:
    """A discount split, a journal in a functional currency, its trial
    balance and a reconciliation with a difference."""
    l = ar.Ledger()
    l.register_customer("EURO", "Euro GmbH", "EUR")
    l.issue_invoice("E-1", "EURO", "2026-03-01", [ar.Line("x", 1, d("100.00"), taxes=[("V", 20)])],
                    terms="2/10 net 30")
    options: Any = {"rates": {"functional": "USD",
                              "rates": [{"currency": "EUR", "date": "2026-01-01", "rate": d("1.1")}]}}
    gl: Any = [{"account": "receivable", "currency": "EUR", "date": "2026-03-01", "amount": d("1.00")}]
    return [
        l.discount_split("E-1", 1, d("2.40")),
        l.journal(options),
        l.trial_balance(options),
        l.reconcile_gl(gl, options),
    ]


def test_every_record_matches_the_core_and_is_tested() -> None:
    # Each sample was built by the strict builder: its fields are the core's
    # serialized keys, exactly (a field the core adds fails the build).
    seen: Dict[str, Any] = {}

    def walk(value: Any) -> None:
        if isinstance(value, _records.Record):
            seen[type(value).__name__] = value
            for f in dataclasses.fields(value):  # type: ignore[arg-type]
                walk(getattr(value, f.name))
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for s in samples():
        walk(s)
    assert sorted(seen) == sorted(_records.records()), "add a sample of each record to samples()"
    for name, value in seen.items():
        cls = _records.records()[name]
        assert getattr(ar, name) is cls and getattr(ar._ar, name) is cls
        assert list(value.to_dict()) == [f.name for f in dataclasses.fields(cls)]


def test_a_result_that_does_not_fit_its_record_is_an_internal_error() -> None:
    line = {"bucket": "a", "exposure": "1.00", "rate": "1", "provision": "0.01"}
    ok = _records.build(ar.ProvisionLine, line)
    assert ok.provision == Decimal("0.01")
    for data, says in [
        (line | {"new_field": "1"}, "new_field"),
        ({k: v for k, v in line.items() if k != "rate"}, "rate"),
    ]:
        with pytest.raises(ar.InternalError) as e:
            _records.build(ar.ProvisionLine, data)
        assert says in str(e.value)
    with pytest.raises(ar.InternalError) as e:
        _records.build(ar.ProvisionLine, line | {"exposure": 1.0})
    assert "exposure" in str(e.value)
    with pytest.raises(ar.InternalError):
        _records.build_json("NoSuchRecord", "{}")


def test_records_behave_like_the_native_classes() -> None:
    a = ar.allowance_adjustment(d("1.00"), d("0.50"))
    other: object = 1
    assert a == ar.allowance_adjustment(d("1.00"), d("0.50")) and a != other
    with pytest.raises(TypeError):
        hash(a)
    with pytest.raises(AttributeError):
        a.required = d("2")  # type: ignore[misc]
    with pytest.raises(TypeError):
        ar.AllowanceAdjustment(d("1"), d("1"), d("0"))  # type: ignore[call-arg]
    assert type(a).__module__ == "ar"
    assert repr(a) == ("AllowanceAdjustment(required=Decimal('1.00'), existing=Decimal('0.50'), "
                       "adjustment=Decimal('0.50'))")
