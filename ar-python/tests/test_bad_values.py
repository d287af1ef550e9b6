"""Values Python can hold but ar cannot take: text that is not valid
Unicode, datetimes whose UTC time is outside years 1 to 9999, integers of
any size, decimals of any exponent, values of 10 MB. Each is an
``ar.ArError`` with a code naming the field, raised quickly with a short
message; and no amount comes back as negative zero."""

from __future__ import annotations

import datetime
import time
from decimal import Decimal
from typing import Any, Callable, Dict, List, Tuple, cast

import pytest

import ar
from scenario import at, build, d, day

LATER = at("2026-04-01T09:00:00Z")
S: Any = "\ud800"  # a lone surrogate: a str Python holds, UTF-8 cannot encode
UTC = datetime.timezone.utc


def raises(cls: type[ar.ArError], code: str, field: str, call: Callable[[], object]) -> ar.ArError:
    with pytest.raises(cls) as e:
        call()
    assert e.value.code == code, e.value.message
    assert e.value.message.startswith(field), e.value.message
    return e.value


# ----- lone surrogates ----------------------------------------------------------

# (field the message names, call with the surrogate in that argument). Every
# text argument: ids, names, descriptions, remittance, reasons, dimension
# keys and values, currencies, enums, terms text, JSON, idempotency keys.
def surrogate_calls(l: ar.Ledger) -> List[Tuple[str, Callable[[], object]]]:
    line = ar.Line("x", 1, d("1.00"))
    return [
        ("id", lambda: l.register_customer(S, "n", "USD", recorded=LATER)),
        ("name", lambda: l.register_customer("C9", S, "USD", recorded=LATER)),
        ("currency", lambda: l.register_customer("C9", "n", S, recorded=LATER)),
        ("terms", lambda: l.register_customer("C9", "n", "USD", terms=S, recorded=LATER)),
        ("dimensions key", lambda: l.register_customer("C9", "n", "USD", dimensions={S: "v"}, recorded=LATER)),
        ('dimensions["k"]', lambda: l.register_customer("C9", "n", "USD", dimensions={"k": S}, recorded=LATER)),
        ("idempotency_key", lambda: l.register_customer("C9", "n", "USD", idempotency_key=S, recorded=LATER)),
        ("customer", lambda: l.issue_invoice("I9", S, day("2026-04-01"), [line], recorded=LATER)),
        ("date", lambda: l.issue_invoice("I9", "ACME", S, [line], recorded=LATER)),
        ("po_number", lambda: l.issue_invoice("I9", "ACME", day("2026-04-01"), [line], po_number=S, recorded=LATER)),
        ("tax_mode", lambda: l.issue_invoice("I9", "ACME", day("2026-04-01"), [line], tax_mode=S, recorded=LATER)),
        ("description", lambda: ar.Line(S, 1, d("1.00"))),
        ("taxes[0].code", lambda: ar.Line("x", 1, d("1.00"), taxes=[(S, 19)])),
        ("remittance", lambda: l.record_receipt("R9", day("2026-04-01"), d("1"), "USD", remittance=S, recorded=LATER)),
        ("reference", lambda: l.record_receipt("R9", day("2026-04-01"), d("1"), "USD", reference=S, recorded=LATER)),
        ("method", lambda: l.record_receipt("R9", day("2026-04-01"), d("1"), "USD", method=S, recorded=LATER)),
        ("reason", lambda: l.void_invoice("INV-2", day("2026-04-01"), S, recorded=LATER)),
        ("reason", lambda: l.write_off("INV-1", day("2026-04-01"), S, recorded=LATER)),
        ("receipt", lambda: l.apply("INV-1", d("1"), day("2026-04-01"), receipt=S, recorded=LATER)),
        ("command_json", lambda: l.execute_json(S, recorded=LATER)),
        ("commands_json[0]", lambda: l.execute_all_json([S], recorded=LATER)),
        ("json", lambda: ar.Ledger.from_json(S)),
        ("group_by[0]", lambda: l.aging(day("2026-04-01"), group_by=[S])),
        ("basis", lambda: l.aging(day("2026-04-01"), basis=S)),
        ("text", lambda: ar.parse_remittance(S)),
        ("reference", lambda: ar.creditor_reference(S)),
        ("text", lambda: ar.Terms.parse(S)),
        ("due", lambda: ar.Installment(S)),
        ("code", lambda: ar.minor_units(S)),
        ("policy", lambda: ar.round_amount(d("1"), "USD", S)),
        ("receipt", lambda: l.match_receipt(S)),
    ]


def test_a_lone_surrogate_in_any_text_is_an_invalid_value_naming_the_field() -> None:
    l = build()
    before = l.to_json()
    calls = surrogate_calls(l)
    for field, call in calls:
        e = raises(ar.ValidationError, "invalid_value", field, call)
        assert "surrogate" in e.message, e.message
    assert l.to_json() == before
    assert len(calls) >= 30


# ----- datetimes out of range ---------------------------------------------------

LATE = datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.timezone(datetime.timedelta(hours=-23)))
EARLY = datetime.datetime(1, 1, 1, 0, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=23)))


@pytest.mark.parametrize("when", [LATE, EARLY], ids=["late", "early"])
def test_a_datetime_whose_utc_time_is_out_of_range_is_an_invalid_date(when: datetime.datetime) -> None:
    l = build()
    before = l.to_json()
    calls: List[Tuple[str, Callable[[], object]]] = [
        ("recorded", lambda: l.register_customer("C9", "n", "USD", recorded=when)),
        ("recorded", lambda: l.execute_all_json([], recorded=when)),
        ("known_at", lambda: l.balances(known_at=when)),
        ("known_at", lambda: l.aging(day("2026-04-01"), known_at=when)),
        ("known_at", lambda: l.metrics(day("2026-03-01"), day("2026-03-31"), known_at=when)),
        ("known_at", lambda: l.roll_rates([day("2026-03-01"), day("2026-03-31")], "USD", known_at=when)),
        ("known_at", lambda: l.match_items(known_at=when)),
        ("recorded", lambda: ar.Ledger.from_tables(
            [{"id": "C", "currency": "USD"}], [], recorded=when)),
    ]
    for field, call in calls:
        e = raises(ar.ValidationError, "invalid_date", field, call)
        assert "years 1 to 9999" in e.message
    assert l.to_json() == before
    # The last and first minutes in UTC are fine.
    edge = datetime.timedelta(hours=23)
    for ok, known in ((LATE - edge, 1), (EARLY + edge, 0)):
        assert ok.astimezone(UTC).year in (1, 9999)
        # In year 9999 the customer is known; in year 1 it was not yet.
        assert len(l.balances(known_at=ok)) == known


def test_a_tzinfo_that_raises_is_an_ar_error_with_the_cause() -> None:
    class Broken(datetime.tzinfo):
        def utcoffset(self, dt: datetime.datetime | None) -> datetime.timedelta:
            raise ZeroDivisionError("no offset")

        def dst(self, dt: datetime.datetime | None) -> datetime.timedelta:
            return datetime.timedelta(0)

        def tzname(self, dt: datetime.datetime | None) -> str:
            return "broken"

    when = datetime.datetime(2026, 4, 1, tzinfo=Broken())
    e = raises(ar.ValidationError, "invalid_value", "recorded",
               lambda: build().register_customer("C9", "n", "USD", recorded=when))
    assert isinstance(e.__cause__, ZeroDivisionError)


def test_naive_and_wrong_datetimes_are_type_errors() -> None:
    l = build()
    raises(ar.ArTypeError, "invalid_type", "recorded",
           lambda: l.register_customer("C9", "n", "USD", recorded=datetime.datetime(2026, 4, 1)))
    raises(ar.ArTypeError, "invalid_type", "known_at", lambda: l.balances(known_at=cast(Any, day("2026-04-01"))))
    raises(ar.ArTypeError, "invalid_type", "as_of",
           lambda: l.balances(as_of=datetime.datetime(2026, 4, 1, tzinfo=UTC)))
    # Dates at the ends of Python's range are dates like any other.
    assert l.balances(as_of=datetime.date.min)[0].net == d("0.00")
    assert l.balances(as_of=datetime.date.max)[0].net == d("-31.00")


# ----- integers and decimals of any size ------------------------------------------

@pytest.mark.parametrize(
    "big", [2**32, 10**30, 10**5000, -1, -(10**5000)], ids=["2^32", "1e30", "1e5000", "-1", "-1e5000"]
)
def test_integers_of_any_size_are_invalid_values(big: int) -> None:
    l = build()
    raises(ar.ValidationError, "invalid_value", "installment",
           lambda: l.apply("INV-1", d("1"), day("2026-04-01"), receipt="R2", installment=big, recorded=LATER))
    raises(ar.ValidationError, "invalid_value", "installment",
           lambda: l.write_off("INV-1", day("2026-04-01"), "r", installment=big, recorded=LATER))
    raises(ar.ValidationError, "invalid_value", "countback_months",
           lambda: l.metrics(day("2026-03-01"), day("2026-03-31"), countback_months=big))
    raises(ar.ValidationError, "invalid_value", "days",
           lambda: ar.metrics.dso_period_end(d("1"), d("1"), big))
    raises(ar.ValidationError, "invalid_value", "lines[0].line",
           lambda: l.issue_credit_memo("CM9", "ACME", day("2026-04-01"), against="INV-1",
                                       lines=[(big, None)], recorded=LATER))
    if abs(big) > 2**64:
        raises(ar.ValidationError, "invalid_value", "buckets[0]",
               lambda: l.aging(day("2026-04-01"), buckets=[big]))
        raises(ar.ValidationError, "invalid_value", "amount",
               lambda: l.record_receipt("R9", day("2026-04-01"), big, "USD", recorded=LATER))


def test_decimals_of_any_exponent_are_read_in_bounded_time() -> None:
    start = time.perf_counter()
    # Zero at any exponent is zero (this used to loop once per unit of the
    # exponent: 10^18 times).
    assert str(ar.round_amount(Decimal("0E+999999999999999999"), "USD")) == "0.00"
    for value in ["1E+999999999999999999", "1E-999999999999999999", "-1E+40", "1" * 10_000]:
        raises(ar.ValidationError, "invalid_value", "value",
               lambda: ar.round_amount(Decimal(value), "USD"))
    for value in ["NaN", "-sNaN", "Infinity", "-Infinity"]:
        raises(ar.ValidationError, "invalid_decimal", "value",
               lambda: ar.round_amount(Decimal(value), "USD"))
    # A guard against a hang (this once looped 10^18 times), not a speed goal.
    assert time.perf_counter() - start < 10.0


# ----- negative zero --------------------------------------------------------------

def test_no_amount_is_negative_zero() -> None:
    l = ar.Ledger()
    l.register_customer("C", "C", "USD", recorded=LATER)
    l.issue_invoice("I", "C", day("2026-04-01"), [ar.Line("x", 1, d("10.00"))], recorded=LATER)
    l.record_receipt("R", day("2026-04-01"), d("5.00"), "USD", customer="C", recorded=LATER)
    inv = l.invoice("I")
    for name in ("paid", "credited", "discounted", "written_off", "settled_before_import", "tax"):
        assert str(getattr(inv, name)) == "0.00", (name, getattr(inv, name))
    rec = l.receipt("R")
    assert str(rec.applied) == "0.00" and str(rec.refunded) == "0.00"
    # The binding's own conversion drops a zero's sign whatever the core
    # hands it: rounding -0.001 to cents is zero, not minus zero.
    assert str(ar.round_amount(Decimal("-0.001"), "USD")) == "0.00"
    assert str(ar.round_amount(Decimal("-0.4"), "JPY")) == "0"
    assert [str(x) for x in ar.allocate(Decimal("-0.00"), [1, 1], "USD")] == ["0.00", "0.00"]


# ----- bounded messages -------------------------------------------------------------

TEN_MB = "9" * 10_000_000
BIG_VALUES: Dict[str, Any] = {
    "a 10 MB str": TEN_MB,
    "10 MB of bytes": TEN_MB.encode(),
    "a list of 10^6 items": [Decimal(1)] * 1_000_000,
    "an int of 10^6 digits": 1 << 3_400_000,
}


def bounded(call: Callable[[], object]) -> ar.ArError:
    start = time.perf_counter()
    with pytest.raises(ar.ArError) as e:
        call()
    elapsed = time.perf_counter() - start
    assert len(str(e.value)) < 1000, str(e.value)[:200]
    # A guard against reading the whole value quadratically or forever
    # (98 s once), not a speed goal: loaded machines vary tenfold.
    assert elapsed < 10.0, elapsed
    return e.value


@pytest.mark.parametrize("what", list(BIG_VALUES))
def test_huge_values_make_short_errors_quickly(what: str) -> None:
    big = BIG_VALUES[what]
    l = build()
    calls: List[Callable[[], object]] = [
        lambda: ar.round_amount(big, "USD"),  # an amount
        lambda: l.record_receipt("R9", big, d("1"), "USD", recorded=LATER),  # a date
        lambda: l.invoice(big),  # an id
        lambda: l.record_receipt(big, day("2026-04-01"), d("1"), "USD", recorded=LATER),  # an id
        lambda: ar.minor_units(big),  # a currency
        lambda: l.record_receipt("R9", day("2026-04-01"), d("1"), big, recorded=LATER),  # a currency
        lambda: l.execute_json(big),
        lambda: l.aging(day("2026-04-01"), group_by=[big]),
        lambda: l.balances(known_at=big),
    ]
    for call in calls:
        bounded(call)


def test_a_huge_terms_text_makes_a_short_error() -> None:
    bounded(lambda: ar.Terms.parse(TEN_MB))


def test_a_10_mb_dimension_value_is_refused_quickly() -> None:
    e = bounded(lambda: build().register_customer(
        "C9", "n", "USD", dimensions={"k": TEN_MB}, recorded=LATER))
    assert e.code == "limit_exceeded"


def test_a_long_dimension_key_is_shown_shortened_in_the_field_name() -> None:
    key = "k" * 1_000_000
    e = bounded(lambda: build().register_customer(
        "C9", "n", "USD", dimensions={key: 5}, recorded=LATER))  # type: ignore[dict-item]
    assert e.code == "invalid_type"
    assert "1000000 bytes" in e.message


def test_a_long_bad_command_json_is_shown_shortened() -> None:
    e = bounded(lambda: build().execute_json('{"type": "' + "x" * 1_000_000 + '"}'))
    assert e.code == "invalid_value"
    e = bounded(lambda: build().execute_all_json(['{"type": "' + "x" * 1_000_000 + '"}']))
    assert e.code == "invalid_value"
