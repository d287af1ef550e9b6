"""Bad input: each case asserts the exception class and its stable code, and
that a rejected command leaves the ledger byte-identical."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Callable

import pytest

import ar
from scenario import at, d

LATER = at("2026-04-01T09:00:00Z")


def rejects(
    ledger: ar.Ledger, cls: type[ar.ArError], code: str, call: Callable[[], object]
) -> ar.ArError:
    """Runs ``call``, expects ``cls`` with ``code``, and checks nothing changed."""
    before = ledger.to_json()
    n = len(ledger)
    with pytest.raises(cls) as e:
        call()
    assert e.value.code == code, e.value.message
    assert ledger.to_json() == before, f"{code} changed the ledger"
    assert len(ledger) == n
    return e.value


def test_exception_hierarchy() -> None:
    for cls in (
        ar.ValidationError,
        ar.NotFoundError,
        ar.ConflictError,
        ar.CurrencyMismatchError,
        ar.StateError,
        ar.LogError,
        ar.InternalError,
    ):
        assert issubclass(cls, ar.ArError)
        assert cls.__module__ == "ar"
    assert issubclass(ar.ArError, Exception)
    assert ar.ArError.__module__ == "ar"
    assert issubclass(ar.ArTypeError, ar.ValidationError)
    assert issubclass(ar.ArTypeError, TypeError)
    assert ar.ArTypeError.__module__ == "ar"
    assert ar.ArTypeError.__qualname__ == "ArTypeError"
    families: dict[type[ar.ArError], str] = {
        ar.ValidationError: "validation",
        ar.ArTypeError: "validation",
        ar.NotFoundError: "not_found",
        ar.ConflictError: "conflict",
        ar.CurrencyMismatchError: "currency",
        ar.StateError: "state",
        ar.LogError: "log",
        ar.InternalError: "internal",
    }
    for error_class, family in families.items():
        assert error_class.family == family


def test_errors_can_be_raised_by_callers_too() -> None:
    e = ar.ValidationError("amount: too big")
    assert (e.code, e.family, e.message, str(e)) == (
        "invalid_value",
        "validation",
        "amount: too big",
        "amount: too big",
    )
    s = ar.StateError("nope", code="over_application")
    assert (s.code, s.family) == ("over_application", "state")
    assert ar.ArTypeError("x").code == "invalid_type"
    assert ar.NotFoundError("x").code == "not_found"
    import pickle

    back = pickle.loads(pickle.dumps(ar.ConflictError("k", code="idempotency_conflict")))
    assert (type(back), back.code, back.message) == (
        ar.ConflictError,
        "idempotency_conflict",
        "k",
    )


def test_unknown_customer(ledger: ar.Ledger) -> None:
    e = rejects(
        ledger,
        ar.NotFoundError,
        "not_found",
        lambda: ledger.issue_invoice(
            "INV-9", "NOPE", "2026-04-01", [ar.Line("x", 1, 1)], recorded=LATER
        ),
    )
    assert e.family == "not_found"
    assert e.message == 'invoice.customer: unknown customer "NOPE"'
    assert str(e) == e.message
    with pytest.raises(ar.NotFoundError):
        ledger.customer_balance("NOPE")
    with pytest.raises(ar.NotFoundError):
        ledger.invoice("INV-404")
    with pytest.raises(ar.NotFoundError):
        ledger.receipt("R-404")


def test_duplicate_id(ledger: ar.Ledger) -> None:
    e = rejects(
        ledger,
        ar.ConflictError,
        "duplicate_id",
        lambda: ledger.issue_invoice(
            "INV-1", "ACME", "2026-04-01", [ar.Line("x", 1, 1)], recorded=LATER
        ),
    )
    assert e.family == "conflict"
    rejects(
        ledger,
        ar.ConflictError,
        "duplicate_id",
        lambda: ledger.register_customer("ACME", "Again", "USD", recorded=LATER),
    )


def test_currency_mismatch(ledger: ar.Ledger) -> None:
    ledger.issue_invoice(
        "INV-EUR", "ACME", "2026-04-01", [ar.Line("x", 1, 1)], currency="EUR", recorded=LATER
    )
    e = rejects(
        ledger,
        ar.CurrencyMismatchError,
        "currency_mismatch",
        lambda: ledger.apply("INV-EUR", d("1.00"), "2026-04-01", receipt="R2", recorded=LATER),
    )
    assert e.family == "currency"


def test_state_errors(ledger: ar.Ledger) -> None:
    e = rejects(
        ledger,
        ar.StateError,
        "over_application",
        lambda: ledger.apply("INV-1", d("20.00"), "2026-04-01", receipt="R2", recorded=LATER),
    )
    assert e.family == "state"
    assert "19.00" in e.message
    rejects(
        ledger,
        ar.StateError,
        "date_before_document",
        lambda: ledger.apply("INV-1", 5, "2026-02-01", receipt="R2", recorded=LATER),
    )
    rejects(
        ledger,
        ar.StateError,
        "invalid_state",
        lambda: ledger.void_invoice("INV-1", "2026-04-01", recorded=LATER),
    )
    rejects(
        ledger,
        ar.StateError,
        "recorded_out_of_order",
        lambda: ledger.apply(
            "INV-1", 5, "2026-03-13", receipt="R2", recorded=at("2026-03-01T00:00:00Z")
        ),
    )


def test_too_many_decimals_and_bad_amounts(ledger: ar.Ledger) -> None:
    rejects(
        ledger,
        ar.ValidationError,
        "too_many_decimals",
        lambda: ledger.apply("INV-1", d("1.001"), "2026-04-01", receipt="R2", recorded=LATER),
    )
    rejects(
        ledger,
        ar.ValidationError,
        "invalid_amount",
        lambda: ledger.record_receipt(
            "R9", "2026-04-01", -5, "USD", customer="ACME", recorded=LATER
        ),
    )


@pytest.mark.parametrize(
    "amount, found",
    [(19.0, "float"), (True, "bool"), (None, "NoneType"), (b"1", "bytes")],
)
def test_a_float_or_other_non_decimal_amount_is_a_type_error(
    ledger: ar.Ledger, amount: Any, found: str
) -> None:
    e = rejects(
        ledger,
        ar.ArTypeError,
        "invalid_type",
        lambda: ledger.apply("INV-1", amount, "2026-04-01", receipt="R2", recorded=LATER),
    )
    assert isinstance(e, TypeError)
    assert isinstance(e, ar.ValidationError)
    assert e.family == "validation"
    assert e.message == f"amount: expected decimal.Decimal, int or decimal str, got {found}"
    # `except TypeError` catches it too.
    with pytest.raises(TypeError):
        ar.round_amount(amount, "USD")


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_invalid_decimals(ledger: ar.Ledger, value: str) -> None:
    e = rejects(
        ledger,
        ar.ValidationError,
        "invalid_decimal",
        lambda: ledger.apply("INV-1", Decimal(value), "2026-04-01", receipt="R2", recorded=LATER),
    )
    assert not isinstance(e, TypeError)
    assert e.message.startswith("amount: ")


def test_decimals_are_exact_never_rounded() -> None:
    # Exact values in any representation are accepted...
    assert ar.round_amount(Decimal("1.5E+3"), "USD") == Decimal("1500.00")
    assert ar.round_amount(Decimal("1." + "0" * 40), "USD") == Decimal("1.00")
    assert ar.round_amount(Decimal("-0"), "USD") == Decimal("0.00")
    assert ar.round_amount(10**20, "JPY") == Decimal(10**20)
    # ...values a 96-bit decimal cannot hold exactly are refused, not rounded.
    for bad in (Decimal("1E+40"), Decimal("0." + "1" * 40), 10**40):
        with pytest.raises(ar.ValidationError) as e:
            ar.round_amount(bad, "USD")
        assert e.value.code == "invalid_value"


def test_dates(ledger: ar.Ledger) -> None:
    e = rejects(
        ledger,
        ar.ValidationError,
        "invalid_date",
        lambda: ledger.apply("INV-1", 5, "2026-02-30", receipt="R2", recorded=LATER),
    )
    assert e.message == 'date: "2026-02-30" is not a valid date (YYYY-MM-DD)'
    for text in ("01/04/2026", "2026-4-1", "2026-04-01T00:00:00", " 2026-04-01", ""):
        rejects(
            ledger,
            ar.ValidationError,
            "invalid_date",
            lambda: ledger.apply("INV-1", 5, text, receipt="R2", recorded=LATER),
        )
    e = rejects(
        ledger,
        ar.ArTypeError,
        "invalid_type",
        lambda: ledger.apply(
            "INV-1", 5, datetime.datetime(2026, 4, 1), receipt="R2", recorded=LATER
        ),
    )
    assert "got datetime" in e.message
    rejects(
        ledger,
        ar.ArTypeError,
        "invalid_type",
        lambda: ledger.apply("INV-1", 5, 20260401, receipt="R2", recorded=LATER),  # type: ignore[arg-type]
    )
    with pytest.raises(ar.ArTypeError):
        ledger.open_items(as_of=datetime.datetime(2026, 4, 1, tzinfo=datetime.timezone.utc))
    with pytest.raises(ar.ValidationError) as v:
        ledger.open_items(as_of="yesterday")
    assert v.value.code == "invalid_date"


def test_timestamps(ledger: ar.Ledger) -> None:
    e = rejects(
        ledger,
        ar.ArTypeError,
        "invalid_type",
        lambda: ledger.apply(
            "INV-1", 5, "2026-04-01", receipt="R2", recorded=datetime.datetime(2026, 4, 1)
        ),
    )
    assert e.message == "recorded: expected timezone-aware datetime.datetime, got naive datetime"
    with pytest.raises(ar.ArTypeError) as t:
        ledger.open_items(known_at=datetime.datetime(2026, 4, 1))
    assert t.value.code == "invalid_type"
    with pytest.raises(ar.ArTypeError):
        ledger.open_items(known_at=datetime.date(2026, 4, 1))  # type: ignore[arg-type]
    with pytest.raises(ar.ArTypeError):
        ledger.open_items(known_at="2026-04-01T00:00:00Z")  # type: ignore[arg-type]


def test_other_bad_input(ledger: ar.Ledger) -> None:
    rejects(
        ledger,
        ar.ValidationError,
        "invalid_currency",
        lambda: ledger.register_customer("NEW", "New", "usd", recorded=LATER),
    )
    rejects(
        ledger,
        ar.ValidationError,
        "invalid_value",
        lambda: ledger.register_customer(" NEW", "New", "USD", recorded=LATER),
    )
    rejects(
        ledger,
        ar.ArTypeError,
        "invalid_type",
        lambda: ledger.register_customer(7, "New", "USD", recorded=LATER),  # type: ignore[arg-type]
    )
    rejects(
        ledger,
        ar.ValidationError,
        "invalid_terms",
        lambda: ledger.register_customer("NEW", "New", "USD", terms="net thirty", recorded=LATER),
    )
    rejects(
        ledger,
        ar.ValidationError,
        "invalid_value",
        lambda: ledger.record_receipt(
            "R9", "2026-04-01", 5, "USD", method="bitcoin", recorded=LATER  # type: ignore[arg-type]
        ),
    )
    # Exactly one source.
    e = rejects(
        ledger,
        ar.ValidationError,
        "invalid_value",
        lambda: ledger.apply("INV-1", 5, "2026-04-01", recorded=LATER),
    )
    assert "exactly one of receipt and credit_memo" in e.message
    rejects(
        ledger,
        ar.ValidationError,
        "invalid_value",
        lambda: ledger.apply(
            "INV-1", 5, "2026-04-01", receipt="R2", credit_memo="CM-1", recorded=LATER
        ),
    )
    # Exactly one of amount, lines and whole.
    rejects(
        ledger,
        ar.ValidationError,
        "invalid_value",
        lambda: ledger.issue_credit_memo(
            "CM-9", "ACME", "2026-04-01", amount=5, whole=True, recorded=LATER
        ),
    )
    rejects(
        ledger,
        ar.ArTypeError,
        "invalid_type",
        lambda: ledger.set_dispute("INV-1", 1, "2026-04-01", recorded=LATER),  # type: ignore[arg-type]
    )
    rejects(
        ledger,
        ar.ArTypeError,
        "invalid_type",
        lambda: ledger.issue_invoice(
            "INV-9", "ACME", "2026-04-01", [("x", 1, 1)], recorded=LATER  # type: ignore[list-item]
        ),
    )
    rejects(
        ledger,
        ar.ArTypeError,
        "invalid_type",
        lambda: ledger.register_customer(
            "NEW", "New", "USD", dimensions={"region": 1}, recorded=LATER  # type: ignore[dict-item]
        ),
    )
    rejects(
        ledger,
        ar.ValidationError,
        "invalid_value",
        lambda: ledger.issue_invoice(
            "INV-9", "ACME", "2026-04-01", [ar.Line("x", -1, 1)], recorded=LATER
        ),
    )


def test_constructors_validate_types() -> None:
    with pytest.raises(ar.ArTypeError) as e:
        ar.Line("x", 1.5, 1)  # type: ignore[arg-type]
    assert e.value.message == "quantity: expected decimal.Decimal, int or decimal str, got float"
    with pytest.raises(ar.ArTypeError):
        ar.Line("x", 1, 1, taxes=[("VAT", 0.19)])  # type: ignore[list-item]
    with pytest.raises(ar.ValidationError) as v:
        ar.Line("x", 1, 1, discount_percent=1, discount_amount=1)
    assert v.value.code == "invalid_value"
    with pytest.raises(ar.ValidationError) as v:
        ar.Installment("net 30", percent=50, remainder=True)
    assert v.value.code == "invalid_value"
    with pytest.raises(ar.ValidationError) as v:
        ar.Installment("2/10 net 30")
    assert v.value.code == "invalid_terms"
    with pytest.raises(ar.ValidationError) as v:
        ar.Terms.net(30, discount_percent=2)
    assert v.value.code == "invalid_value"
    with pytest.raises(ar.ValidationError) as v:
        ar.Terms.net(30, discount_percent=150, discount_days=10)
    assert v.value.code == "invalid_terms"
    with pytest.raises(ar.ValidationError) as v:
        ar.Terms.installments([ar.Installment("net 30", remainder=True), ar.Installment("net 60")])
    assert v.value.code == "invalid_terms"
    with pytest.raises(ar.ValidationError) as v:
        ar.Terms.net(-1)
    assert v.value.code == "invalid_value"
    with pytest.raises(ar.ArTypeError):
        ar.Terms.net(True)
    with pytest.raises(ar.ValidationError) as v:
        ar.minor_units("XYZ")
    assert v.value.code == "invalid_currency"


def test_logs_that_cannot_be_read() -> None:
    with pytest.raises(ar.LogError) as e:
        ar.Ledger.from_json("{not json")
    assert (e.value.code, e.value.family) == ("corrupt_log", "log")
    with pytest.raises(ar.LogError) as e:
        ar.Ledger.from_json('{"version": 99, "events": []}')
    assert e.value.code == "unsupported_log_version"
    with pytest.raises(ar.LogError) as e:
        ar.Ledger.from_json('{"version": 1, "events": [{"seq": 2}]}')
    assert e.value.code == "corrupt_log"


def test_amounts_as_decimal_text_are_taken_everywhere(ledger: ar.Ledger) -> None:
    # As Book and from_tables take them: plain decimal text, exactly.
    line = ar.Line("x", "2", "10.25")
    assert (line.quantity, line.unit_price) == (Decimal("2"), Decimal("10.25"))
    assert ar.round_amount("1.005", "USD") == Decimal("1.01")  # half away from zero
    batch = ar.match_receipts(
        [{"id": "R1", "date": "2026-01-05", "amount": "10.00", "currency": "USD", "customer": "A"}],
        [{"kind": "invoice", "id": "I1", "customer": "A", "currency": "USD", "open": "10.00",
          "date": "2026-01-01", "due_date": "2026-01-31"}],
    )
    assert [(s.status, s.amount) for s in batch.summary if s.receipts] == [("auto", Decimal("10.00"))]
    # Text that is not a plain decimal names the field and the value.
    for text in ["19,00", "1e3", "NaN", " 1.00", ""]:
        with pytest.raises(ar.ValidationError) as e:
            ar.Line("x", 1, text)
        assert e.value.code == "invalid_decimal"
        assert e.value.message.startswith("unit_price: ")
