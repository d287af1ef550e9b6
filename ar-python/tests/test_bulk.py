"""``ar.Book``: the bulk path, a book given as tables (pandas DataFrames or
pyarrow Tables) read through their Arrow buffers.

The "D book" is the metrics book of ``reports_book.py`` (and of
``ar-core/src/bulk.rs``'s tests) as tables: customer D, Q2 2026, J1 03-15
1,000.00 due 04-14 paid 04-20; J2 04-10 2,000.00 due 05-10, 1,500.00 paid
05-05; J3 05-20 3,000.00 due 06-19; J4 06-25 600.00 due 07-25; regions N, N,
S, S. Every figure is worked out by hand there.

pandas and pyarrow are optional extras of the package but dev tools of this
repository (``requirements-dev.txt``): ``importorskip`` is only a safety net,
these tests run in ``scripts/test.sh``."""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Any, Callable, Tuple

import pytest

import ar
from reports_book import amounts, metrics_book
from scenario import d, day

pd: Any = pytest.importorskip("pandas")
pa: Any = pytest.importorskip("pyarrow")

IDS = ["J1", "J2", "J3", "J4"]
DATES = ["2026-03-15", "2026-04-10", "2026-05-20", "2026-06-25"]
DUE = ["2026-04-14", "2026-05-10", "2026-06-19", "2026-07-25"]
TOTALS = ["1000.00", "2000.00", "3000.00", "600.00"]
REGIONS = ["N", "N", "S", "S"]
PAID_INVOICE = ["J1", "J2"]
PAID_DATE = ["2026-04-20", "2026-05-05"]
PAID = ["1000.00", "1500.00"]

Frames = Tuple[Any, Any]


def frames(amount: Callable[[str], Any] = Decimal) -> Frames:
    """The D book as DataFrames: datetime64 dates, amounts made by ``amount``
    (``Decimal`` objects by default)."""
    invoices = pd.DataFrame(
        {
            "id": IDS,
            "customer": ["D"] * 4,
            "date": pd.to_datetime(DATES),
            "due_date": pd.to_datetime(DUE),
            "amount": pd.Series([amount(a) for a in TOTALS], dtype=object),
            "region": REGIONS,
        }
    )
    settlements = pd.DataFrame(
        {
            "invoice": PAID_INVOICE,
            "date": pd.to_datetime(PAID_DATE),
            "amount": pd.Series([amount(a) for a in PAID], dtype=object),
        }
    )
    return invoices, settlements


def arrow_tables() -> Frames:
    """The D book as pyarrow Tables: ``date32`` dates, ``decimal128`` amounts."""
    dec = pa.decimal128(12, 2)
    invoices = pa.table(
        {
            "id": IDS,
            "customer": ["D"] * 4,
            "date": pa.array([day(x) for x in DATES], pa.date32()),
            "due_date": pa.array([day(x) for x in DUE], pa.date32()),
            "amount": pa.array([Decimal(a) for a in TOTALS], dec),
            "region": REGIONS,
        }
    )
    settlements = pa.table(
        {
            "invoice": PAID_INVOICE,
            "date": pa.array([day(x) for x in PAID_DATE], pa.date32()),
            "amount": pa.array([Decimal(a) for a in PAID], dec),
        }
    )
    return invoices, settlements


def d_book(tables: Frames, **kw: Any) -> ar.Book:
    kw.setdefault("currency", "USD")
    kw.setdefault("dimensions", ("region",))
    return ar.Book(tables[0], tables[1], **kw)


def check_hand_worked(book: ar.Book) -> None:
    """The hand-worked figures of the D book."""
    assert book.invoice_count == 4
    (m,) = book.metrics("2026-04-01", "2026-06-30")
    assert amounts([m.ar_begin, m.ar_end, m.current_end, m.credit_sales]) == [
        "1000.00",
        "4100.00",
        "600.00",
        "5600.00",
    ]
    assert m.dso_period_end == d("66.625")
    assert m.dso_countback == d("68.5")
    assert m.best_possible_dso == d("9.75")
    assert m.timing.weighted_days_to_pay == d("29.4")
    assert m.timing.payments == 2
    by_region = book.aging("2026-06-30", group_by=["invoice.region"])
    rows = {tuple(r.group): r for r in by_region.rows}
    assert set(rows) == {("N",), ("S",)}
    # N: J2's 500.00 is 51 days past due; S: J4 600.00 current, J3 3,000.00 11 days.
    assert amounts(rows[("N",)].buckets) == ["0.00", "0.00", "500.00", "0.00", "0.00", "0.00"]
    assert amounts(rows[("S",)].buckets) == ["600.00", "3000.00", "0.00", "0.00", "0.00", "0.00"]


SOURCES: dict[str, Callable[[], Frames]] = {
    "pandas Decimal objects": lambda: frames(),
    "pyarrow decimal128": arrow_tables,
    "pandas str amounts": lambda: frames(str),
    "pandas pyarrow decimal dtype": lambda: frames_arrow_dtype(),
}


def frames_arrow_dtype() -> Frames:
    """pandas columns backed by pyarrow: ``decimal128(18, 2)[pyarrow]``."""
    invoices, settlements = frames()
    dtype = pd.ArrowDtype(pa.decimal128(18, 2))
    return (
        invoices.assign(amount=invoices["amount"].astype(dtype)),
        settlements.assign(amount=settlements["amount"].astype(dtype)),
    )


@pytest.mark.parametrize("source", list(SOURCES))
def test_d_book_hand_worked_from_every_source(source: str) -> None:
    check_hand_worked(d_book(SOURCES[source]()))


def test_the_same_book_as_a_ledger_gives_equal_reports() -> None:
    ledger = metrics_book()
    book = d_book(frames())
    cases: list[dict[str, Any]] = [
        {},
        {"detail": True},
        {"basis": "invoice_date", "buckets": [30, 60], "group_by": []},
    ]
    for options in cases:
        from_ledger = ledger.aging("2026-06-30", **options)
        from_book = book.aging("2026-06-30", **options)
        assert type(from_book) is ar.AgingReport
        assert from_book.rows == from_ledger.rows
        assert from_book.totals == from_ledger.totals
        assert from_book.detail == from_ledger.detail
        assert from_book == from_ledger
    q2 = ("2026-04-01", "2026-06-30")
    assert book.metrics(*q2) == ledger.metrics(*q2)
    assert book.metrics(*q2, group_by=["customer"]) == ledger.metrics(*q2, group_by=["customer"])
    assert book.metrics(*q2, cei="monthly_average", cei_months=3, countback_months=2) == (
        ledger.metrics(*q2, cei="monthly_average", cei_months=3, countback_months=2)
    )
    # The report's conveniences work the same.
    assert book.aging("2026-06-30").to_pandas().equals(ledger.aging("2026-06-30").to_pandas())


# ----- bad books ------------------------------------------------------------------


def _set(frame: Any, column: str, row: int, value: Any) -> Any:
    out = frame.copy()
    values = list(out[column])
    values[row] = value
    out[column] = pd.Series(values, dtype=out[column].dtype)
    return out


BAD = [
    # (edit of (invoices, settlements), class, code, text in the message)
    (lambda i, s: (_set(i, "id", 1, "J1"), s), ar.ConflictError, "duplicate_id", "invoices.id[1]"),
    (lambda i, s: (i, _set(s, "invoice", 1, "J9")), ar.NotFoundError, "not_found",
     'settlements.invoice[1]: unknown invoice "J9"'),
    (lambda i, s: (i, _set(s, "amount", 0, d("1000.001"))), ar.ValidationError,
     "too_many_decimals", "settlements.amount[0]"),
    (lambda i, s: (_set(i, "amount", 2, d("0")), s), ar.ValidationError, "invalid_amount",
     "invoices.amount[2]"),
    (lambda i, s: (i, _set(s, "date", 0, pd.Timestamp("2026-03-01"))), ar.StateError,
     "date_before_document", "settlements.date[0]"),
    (lambda i, s: (i, _set(s, "amount", 0, d("1000.01"))), ar.StateError, "over_application",
     "invoice J1"),
    (lambda i, s: (_set(i, "amount", 1, None), s), ar.ValidationError, "invalid_value",
     "invoices.amount[1]"),
    (lambda i, s: (_set(i, "customer", 3, None), s), ar.ValidationError, "invalid_value",
     "invoices.customer[3]"),
    (lambda i, s: (i, _set(s, "date", 1, pd.NaT)), ar.ValidationError, "invalid_value",
     "settlements.date[1]"),
    (lambda i, s: (i.drop(columns=["due_date"]), s), ar.ValidationError, "invalid_value",
     "invoices.due_date"),
    (lambda i, s: (i, _set(s.assign(amount=PAID), "amount", 1, "12,50")), ar.ValidationError,
     "invalid_decimal",
     'settlements.amount[1]: "12,50" is not a decimal number'),
]


@pytest.mark.parametrize("edit, cls, code, where", BAD, ids=[b[2] + ":" + b[3] for b in BAD])
def test_bad_books_name_the_table_column_and_row(
    edit: Callable[[Any, Any], Frames], cls: type[ar.ArError], code: str, where: str
) -> None:
    with pytest.raises(cls) as e:
        d_book(edit(*frames()))
    assert e.value.code == code, e.value.message
    assert where in e.value.message, e.value.message


def test_columns_of_one_table_always_have_one_length() -> None:
    # The core refuses columns of different lengths (invalid_value); a
    # DataFrame or an Arrow table cannot hold them, so a table that lacks a
    # column is the closest case, and it names what is missing.
    invoices, settlements = frames()
    with pytest.raises(ar.ValidationError) as e:
        d_book((invoices, settlements.drop(columns=["amount"])))
    assert e.value.code == "invalid_value"
    assert e.value.message.startswith("settlements.amount:"), e.value.message
    assert "invoice, date" in e.value.message


def test_errors_in_later_chunks_name_the_row_in_the_whole_table() -> None:
    invoices, settlements = arrow_tables()
    amount = pa.chunked_array(
        [
            pa.array([d("1000.00"), d("2000.00")], pa.decimal128(12, 2)),
            pa.array([d("3000.00"), None], pa.decimal128(12, 2)),
        ]
    )
    chunked = invoices.set_column(invoices.schema.get_field_index("amount"), "amount", amount)
    assert chunked.column("amount").num_chunks == 2
    with pytest.raises(ar.ValidationError, match=r"invoices\.amount\[3\]"):
        d_book((chunked, settlements))
    batches = invoices.to_batches(max_chunksize=3)
    assert len(batches) == 2
    check_hand_worked(d_book((pa.Table.from_batches(batches), settlements)))


# ----- amounts ------------------------------------------------------------------------


def test_float_amounts_are_refused_unless_asked_for() -> None:
    invoices, settlements = frames(float)
    with pytest.raises(ar.ArTypeError) as e:
        d_book((invoices, settlements))
    assert e.value.code == "invalid_type"
    assert e.value.message.startswith("invoices.amount: expected exact amounts"), e.value.message
    assert e.value.message.endswith("got float64")
    with pytest.raises(TypeError, match=r"settlements\.amount"):
        d_book((frames()[0], settlements))
    check_hand_worked(d_book((invoices, settlements), amounts="float"))
    with pytest.raises(ar.ValidationError, match=r'amounts: "floats" is not allowed'):
        d_book((invoices, settlements), amounts="floats")


def test_floats_round_once_half_away_from_zero_to_the_minor_unit() -> None:
    invoices = pd.DataFrame(
        {
            "id": ["U1", "U2", "Y1"],
            "customer": ["A", "A", "B"],
            "currency": ["USD", "USD", "JPY"],
            "date": pd.to_datetime(["2026-06-01"] * 3),
            "due_date": pd.to_datetime(["2026-07-01"] * 3),
            # 10.005 is 10.00499999... in binary: rounded as written, to 10.01.
            "amount": [10.005, 0.125, 100.5],
        }
    )
    settlements = pd.DataFrame(
        {
            "invoice": ["Y1", "U1"],
            "date": pd.to_datetime(["2026-06-10"] * 2),
            "amount": [50.5, 0.004],  # JPY 51; USD 0.00, refused as not positive
        }
    )
    with pytest.raises(ar.ValidationError) as e:
        ar.Book(invoices, settlements, amounts="float")
    assert (e.value.code, e.value.message.split(":")[0]) == ("invalid_amount", "settlements.amount[1]")
    book = ar.Book(invoices, settlements.iloc[:1], amounts="float")
    totals = {t.currency: t.total for t in book.aging("2026-06-30").totals}
    assert totals == {"JPY": d("50"), "USD": d("10.14")}  # 101 - 51; 10.01 + 0.13
    with pytest.raises(ar.ValidationError) as e:
        ar.Book(invoices.assign(amount=[1.0, float("inf"), 3.0]), amounts="float")
    assert (e.value.code, e.value.message) == (
        "invalid_decimal",
        'invoices.amount[1]: "inf" is not a decimal number',
    )
    # pandas reads NaN as missing.
    with pytest.raises(ar.ValidationError) as e:
        ar.Book(invoices.assign(amount=[1.0, float("nan"), 3.0]), amounts="float")
    assert (e.value.code, e.value.message) == (
        "invalid_value",
        'invoices.amount[1]: "null" is not allowed: a value is required',
    )


def test_integer_and_wide_decimal_amounts_are_exact() -> None:
    invoices, settlements = arrow_tables()
    whole = pa.array([1000, 2000, 3000, 600], pa.int64())
    i = invoices.schema.get_field_index("amount")
    check_hand_worked(d_book((invoices.set_column(i, "amount", whole), settlements)))
    wide = invoices.column("amount").cast(pa.decimal256(40, 4))
    check_hand_worked(d_book((invoices.set_column(i, "amount", wide), settlements)))
    finer = pa.array([d("1000.001"), d("2000"), d("3000"), d("600")], pa.decimal128(10, 3))
    with pytest.raises(ar.ValidationError) as e:
        d_book((invoices.set_column(i, "amount", finer), settlements))
    assert e.value.code == "too_many_decimals"
    assert "invoices.amount[0]: 1000.001" in e.value.message


def test_columns_pyarrow_cannot_convert_are_type_errors() -> None:
    invoices, settlements = frames()
    mixed = _set(invoices, "amount", 1, 2000.0)  # Decimal objects and a float
    with pytest.raises(ar.ArTypeError, match=r"invoices\.amount: .*got object column"):
        d_book((mixed, settlements))


# ----- dates --------------------------------------------------------------------------


def test_dates_as_date32_timestamps_or_iso_text() -> None:
    invoices, settlements = frames()
    as_text = invoices.assign(date=DATES, due_date=DUE)
    check_hand_worked(d_book((as_text, settlements)))
    for unit in ["s", "ms", "us", "ns"]:
        typed = invoices.assign(date=invoices["date"].astype(f"datetime64[{unit}]"))
        check_hand_worked(d_book((typed, settlements)))
    utc = invoices.assign(date=invoices["date"].dt.tz_localize("UTC"))
    check_hand_worked(d_book((utc, settlements)))


def test_bad_dates_name_the_row() -> None:
    invoices, settlements = frames()
    with_time = _set(invoices, "due_date", 2, pd.Timestamp("2026-06-19 13:45"))
    with pytest.raises(ar.ValidationError) as e:
        d_book((with_time, settlements))
    assert e.value.code == "invalid_date"
    assert e.value.message.startswith('invoices.due_date[2]: "2026-06-19 13:45:00" is not a valid date')
    berlin = invoices.assign(date=invoices["date"].dt.tz_localize("Europe/Berlin"))
    with pytest.raises(ar.ArTypeError, match=r"invoices\.date: expected date .*got timestamp"):
        d_book((berlin, settlements))
    text = invoices.assign(date=["2026-03-15", "2026-4-10", "2026-05-20", "2026-06-25"])
    with pytest.raises(ar.ValidationError, match=r'invoices\.date\[1\]: "2026-4-10" is not a valid date'):
        d_book((text, settlements))


# ----- text ---------------------------------------------------------------------------


def test_categoricals_and_sliced_tables() -> None:
    invoices, settlements = frames()
    categorical = invoices.assign(
        customer=pd.Categorical(invoices["customer"]), region=pd.Categorical(REGIONS)
    )
    check_hand_worked(d_book((categorical, settlements.assign(invoice=pd.Categorical(PAID_INVOICE)))))
    table = pa.Table.from_pandas(categorical, preserve_index=False)
    assert pa.types.is_dictionary(table.schema.field("customer").type)
    sliced = d_book((table.slice(1), pa.Table.from_pandas(settlements).slice(1)))
    assert sliced.invoice_count == 3
    (m,) = sliced.metrics("2026-04-01", "2026-06-30")
    assert amounts([m.ar_end, m.credit_sales]) == ["4100.00", "5600.00"]
    r = sliced.aging("2026-06-30", group_by=["invoice.region"], detail=True)
    assert [x.id for x in r.detail] == ["J2", "J3", "J4"]


def test_unidentified_payers_group_as_unknown() -> None:
    invoices, settlements = frames()
    cash = pd.DataFrame(
        {
            "id": ["R1", "R2", "R3"],
            "customer": ["D", None, ""],
            "date": pd.to_datetime(["2026-06-01", "2026-06-02", "2026-06-03"]),
            "amount": [d("70.00"), d("30.00"), d("5.00")],
        }
    )
    credits = pd.DataFrame(
        {
            "id": ["CM1"],
            "customer": ["D"],
            "date": pd.to_datetime(["2026-06-05"]),
            "amount": ["25.00"],
        }
    )
    book = ar.Book(invoices, settlements, open_credits=credits, unapplied_cash=cash, currency="USD")
    r = book.aging("2026-06-30", detail=True)
    rows = {tuple(x.group): x for x in r.rows}
    assert amounts([rows[("D",)].unapplied_cash, rows[("D",)].open_credits]) == ["70.00", "25.00"]
    unknown = rows[("(unknown)",)]
    assert amounts([unknown.total, unknown.unapplied_cash, unknown.net]) == ["0.00", "35.00", "-35.00"]
    assert [(x.id, x.kind, x.customer) for x in r.detail if x.kind != "invoice"] == [
        ("CM1", "credit_memo", "D"),
        ("R1", "unapplied_cash", "D"),
        ("R2", "unapplied_cash", None),
        ("R3", "unapplied_cash", None),
    ]
    # A null customer on an invoice is an error, not an unknown payer.
    with pytest.raises(ar.ValidationError, match=r"invoices\.customer\[0\]"):
        ar.Book(_set(invoices, "customer", 0, None), currency="USD")


def test_settlement_kinds() -> None:
    invoices, settlements = frames()
    kinds = settlements.assign(kind=["payment", "credit"])
    (m,) = d_book((invoices, kinds)).metrics("2026-04-01", "2026-06-30")
    assert m.ar_end == d("4100.00")  # a credit settles like a payment...
    assert m.timing.payments == 1  # ...but is no payment
    (m,) = d_book((invoices, settlements.assign(kind=[None, "payment"]))).metrics(
        "2026-04-01", "2026-06-30"
    )
    assert m.timing.payments == 2  # a null kind is a payment
    with pytest.raises(ar.ValidationError, match=r'settlements\.kind\[1\]: "refund" is not allowed'):
        d_book((invoices, settlements.assign(kind=["payment", "refund"])))


def test_currencies_from_a_column_or_the_argument() -> None:
    invoices, settlements = frames()
    mixed = invoices.assign(currency=["USD", "EUR", None, "USD"])
    book = d_book((mixed, settlements))
    totals = {t.currency: t.total for t in book.aging("2026-06-30").totals}
    assert totals == {"EUR": d("500.00"), "USD": d("3600.00")}
    with pytest.raises(ar.ValidationError) as e:
        d_book((mixed, settlements), currency=None)
    assert (e.value.code, e.value.message.split(":")[0]) == ("invalid_value", "invoices.currency[2]")
    with pytest.raises(ar.ValidationError) as e:
        d_book((invoices, settlements), currency=None)
    assert e.value.message == 'currency: "None" is not allowed: required: invoices has no currency column'
    with pytest.raises(ar.ValidationError) as e:
        d_book((invoices.assign(currency=["USD", "XXY", "USD", "USD"]), settlements))
    assert (e.value.code, e.value.message.split(":")[0]) == ("invalid_currency", "invoices.currency[1]")


# ----- tables and arguments ----------------------------------------------------------


class Stream:
    """Any object that exports an Arrow stream (a polars DataFrame, say)."""

    def __init__(self, table: Any) -> None:
        self.table = table

    def __arrow_c_stream__(self, requested_schema: object = None) -> object:
        return self.table.__arrow_c_stream__(requested_schema)


def test_tables_as_record_batches_and_arrow_streams() -> None:
    invoices, settlements = arrow_tables()
    check_hand_worked(d_book((invoices.to_batches()[0], Stream(settlements))))


def test_bad_tables_and_arguments() -> None:
    invoices, settlements = frames()
    with pytest.raises(ar.ArTypeError) as e:
        ar.Book([{"id": "J1"}], currency="USD")
    assert e.value.message == "invoices: expected pandas.DataFrame or pyarrow.Table, got list"
    twice = pd.concat([invoices, invoices[["customer"]]], axis=1)
    with pytest.raises(ar.ValidationError, match=r"invoices\.customer: .*more than one column"):
        d_book((twice, settlements))
    with pytest.raises(ar.ArTypeError, match=r"dimensions\[0\]: expected str, got int"):
        d_book((invoices, settlements), dimensions=[1])
    with pytest.raises(ar.ValidationError, match=r"invoices\.zone: .*no such column"):
        d_book((invoices, settlements), dimensions=["zone"])
    with pytest.raises(ar.ArTypeError, match=r"invoices\.region: expected str, got int64"):
        d_book((invoices.assign(region=[1, 1, 2, 2]), settlements))
    with pytest.raises(TypeError):
        d_book((invoices, settlements)).aging("2026-06-30", known_at=None)  # type: ignore[call-arg]
    # An empty table needs no typed columns (an all-empty DataFrame is float64).
    empty = pd.DataFrame({"invoice": [], "date": [], "amount": []})
    assert d_book((invoices, empty)).metrics("2026-04-01", "2026-06-30")[0].ar_end == d("6600.00")


def test_book_reports_like_a_ledger() -> None:
    customers = pd.DataFrame({"id": ["D"], "region": ["East"]})
    book = d_book(frames(), customers=customers, customer_dimensions=["region"])
    assert repr(book) == "<ar.Book with 4 invoices>"
    r = book.aging("2026-06-30", group_by=["customer.region", "invoice.region"])
    assert sorted(tuple(x.group) for x in r.rows) == [("East", "N"), ("East", "S")]
    assert r.group_by == ["region", "region"]
    with pytest.raises(ar.ValidationError, match="group_by"):
        book.aging("2026-06-30", group_by=["zone"])
    with pytest.raises(ar.ValidationError, match="end"):
        book.metrics("2026-06-30", "2026-04-01")
    p = book.aging("2026-06-30").provision([1, 2, 5, 10, 25, 50], "USD")
    assert p.exposure == d("4100.00")


def test_without_pyarrow_the_book_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    invoices, settlements = frames()
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=r"ar\.Book needs pyarrow.*pip install ar\[pandas\]"):
        d_book((invoices, settlements))


def test_customer_dimensions_come_from_the_customers_table() -> None:
    """Customers D (region N, sales rep R1) and Z (W, no invoices); E has an
    invoice but is not in the customers table, so it has no dimensions."""
    invoices, settlements = frames()
    e = pd.DataFrame(
        {
            "id": ["K1"],
            "customer": ["E"],
            "date": pd.to_datetime(["2026-06-01"]),
            "due_date": pd.to_datetime(["2026-06-20"]),
            "amount": pd.Series([Decimal("70.00")], dtype=object),
            "region": ["S"],
        }
    )
    invoices = pd.concat([invoices, e], ignore_index=True)
    customers = pd.DataFrame({"id": ["D", "Z"], "region": ["N", "W"], "rep": ["R1", None]})
    book = d_book((invoices, settlements), customers=customers, customer_dimensions=["region"])
    report = book.aging("2026-06-30", group_by=["customer.region"])
    # As of 06-30 D has J2 500.00, J3 3,000.00 and J4 600.00 open: 4,100.00;
    # E's K1 70.00 groups under "" (E is not listed). Z has nothing open.
    totals = {tuple(r.group): r.total for r in report.rows}
    assert totals == {("N",): d("4100.00"), ("",): d("70.00")}
    # The same from a pyarrow Table.
    from_arrow = d_book(
        (invoices, settlements),
        customers=pa.Table.from_pandas(customers, preserve_index=False),
        customer_dimensions=["region"],
    )
    assert from_arrow.aging("2026-06-30", group_by=["customer.region"]) == report
    # A null dimension is no value.
    by_rep = d_book(
        (invoices, settlements), customers=customers, customer_dimensions=["region", "rep"]
    ).metrics("2026-04-01", "2026-06-30", group_by=["customer.rep"])
    assert sorted(tuple(m.group) for m in by_rep) == [("",), ("R1",)]
    # A dimension the book was not given is refused, not grouped as "".
    refused: list[tuple[Callable[[], Any], str, str]] = [
        (lambda: book.aging("2026-06-30", group_by=["customer.rep"]), "invalid_value", "customer.rep"),
        (
            lambda: book.metrics("2026-04-01", "2026-06-30", group_by=["invoice.channel"]),
            "invalid_value",
            "invoice.channel",
        ),
        (
            lambda: d_book((invoices, settlements), customer_dimensions=["region"]),
            "invalid_value",
            "customer_dimensions",
        ),
        (
            lambda: d_book((invoices, settlements), customers=customers.assign(id=["D", "D"])),
            "duplicate_id",
            "customers.id[1]",
        ),
        (
            lambda: d_book((invoices, settlements), customers=customers, customer_dimensions=["segment"]),
            "invalid_value",
            "customers.segment",
        ),
    ]
    for call, code, field in refused:
        with pytest.raises(ar.ArError) as raised:
            call()
        assert raised.value.code == code, raised.value
        assert field in str(raised.value), raised.value
