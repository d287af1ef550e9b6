"""Partial reports (``Book.aging_partial``, ``Book.metrics_partial``,
``ar.aging_finish``, ``ar.metrics_finish``): a generated book split into
1, 2, 8 and 64 parts in random order, each part's partial table merged as
an engine would (grouped, summed) and finished, gives every figure of
``Book.aging`` and ``Book.metrics`` over the whole book; and partial tables
that do not fit are ar's typed errors."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

import ar

pa: Any = pytest.importorskip("pyarrow")

from partial_book import AS_OF, START, Tables, book, column_count, generate, merge, sorted_rows, split  # noqa: E402

GROUPINGS: List[List[str]] = [[], ["customer"], ["invoice.region"], ["customer.region", "customer"]]


@pytest.fixture(scope="module")
def tables() -> Tables:
    return generate(3_000)


def partials(parts: List[Tables], report: str, **options: Any) -> List[Any]:
    out = []
    for t in parts:
        b = book(t)
        out.append(b.aging_partial(**options) if report == "aging" else b.metrics_partial(**options))
    return out


@pytest.mark.parametrize("k", [1, 2, 8, 64])
def test_parts_merged_give_the_whole_books_aging(tables: Tables, k: int) -> None:
    whole = book(tables)
    parts = split(tables, k, seed=k)
    for group_by in GROUPINGS:
        for basis in ["due_date", "invoice_date"]:
            options: Dict[str, Any] = {"as_of": AS_OF, "group_by": group_by, "basis": basis}
            merged = merge(partials(parts, "aging", **options))
            assert merged.column("sum").to_pylist()[0] >= 0
            got = ar.aging_finish(merged, **options)
            expected = whole.aging(**options)
            assert got.rows == sorted_rows(expected.rows), (k, group_by, basis)
            assert got.totals == expected.totals
            assert (got.labels, got.group_by, got.as_of) == (expected.labels, expected.group_by, expected.as_of)
            # Both currencies, and the payer not yet identified, are there.
            assert {t.currency for t in got.totals} == {"EUR", "USD"}
            if group_by == ["customer"]:
                assert any(r.group == ["(unknown)"] for r in got.rows)


@pytest.mark.parametrize("k", [1, 2, 8, 64])
def test_parts_merged_give_the_whole_books_metrics(tables: Tables, k: int) -> None:
    whole = book(tables)
    parts = split(tables, k, seed=100 + k)
    for group_by in GROUPINGS:
        for countback in [3, 30]:
            options: Dict[str, Any] = {"group_by": group_by, "countback_months": countback}
            merged = merge(partials(parts, "metrics", start=START, end=AS_OF, **options))
            got = ar.metrics_finish(merged, START, AS_OF, **options)
            expected = whole.metrics(START, AS_OF, **options)
            assert got == expected, (k, group_by, countback)
            assert len(got) >= 2
            # Every part counted once.
            assert merged.column("sum").to_pylist()[merged.column("field").to_pylist().index("options")] == k


def test_a_group_in_two_currencies_is_two_rows(tables: Tables) -> None:
    parts = split(tables, 2, seed=1)
    merged = merge(partials(parts, "aging", as_of=AS_OF, group_by=["invoice.region"]))
    report = ar.aging_finish(merged, AS_OF, group_by=["invoice.region"])
    emea = [r.currency for r in report.rows if r.group == ["EMEA"]]
    assert emea == ["EUR", "USD"]


def test_the_partial_table_by_hand() -> None:
    """Two invoices of one customer in two parts: the lines a reader can check."""
    from decimal import Decimal
    from datetime import date

    def part(i: str, amount: str) -> Any:
        return ar.Book(
            pa.table(
                {
                    "id": [i],
                    "customer": ["A"],
                    "date": pa.array([date(2026, 5, 1)], pa.date32()),
                    "due_date": pa.array([date(2026, 5, 31)], pa.date32()),
                    "amount": pa.array([Decimal(amount)], pa.decimal128(12, 2)),
                }
            ),
            currency="USD",
        ).aging_partial("2026-06-30")

    merged = merge([part("I1", "100.00"), part("I2", "50.00")])
    lines = {f: s for c, f, s in zip(*(merged.column(n).to_pylist() for n in ["currency", "field", "sum"])) if c}
    # 30 days past due: bucket 1-30, 150.00 as cents, two items.
    assert lines == {"bucket.1": 15000, "items": 2, "rows": 2}
    report = ar.aging_finish(merged, "2026-06-30")
    assert report.rows[0].buckets[1] == Decimal("150.00")
    assert str(merged.schema.field("sum").type) == "decimal128(38, 0)"


def test_bad_partial_tables_are_typed_errors(tables: Tables) -> None:
    t = book(tables).aging_partial(AS_OF)
    with pytest.raises(ar.ArTypeError, match="partial.sum"):
        ar.aging_finish(t.set_column(3, "sum", pa.array([1.0] * t.num_rows)), AS_OF)
    with pytest.raises(ar.ValidationError, match="partial.field"):
        ar.aging_finish(t.drop_columns(["field"]), AS_OF)
    with pytest.raises(ar.ArTypeError):
        ar.aging_finish([1, 2, 3], AS_OF)
    with pytest.raises(ar.ValidationError, match="as_of"):
        ar.aging_finish(t, "2026-10-30")
    with pytest.raises(ar.ValidationError, match="report"):
        ar.metrics_finish(t, START, AS_OF)
    nulls = t.set_column(4, "min", pa.array([None] * t.num_rows, pa.int64()))
    with pytest.raises(ar.ValidationError, match="partial.min"):
        ar.aging_finish(nulls, AS_OF)
    # Two partials of other options.
    other = book(tables).aging_partial(AS_OF, basis="invoice_date")
    with pytest.raises(ar.ValidationError, match="basis"):
        ar.aging_finish(pa.concat_tables([t, other]), AS_OF)
    assert column_count(t, "options") == 1


def test_a_settlement_apart_from_its_invoice_is_not_found(tables: Tables) -> None:
    parts = split(tables, 2, seed=3)
    wrong = dict(parts[0], settlements=parts[1]["settlements"])
    with pytest.raises(ar.NotFoundError, match=r"settlements\.invoice\[0\]"):
        book(wrong)


def test_a_pandas_frame_is_read_as_its_table(tables: Tables) -> None:
    pytest.importorskip("pandas")
    t = book(tables).aging_partial(AS_OF)
    frame = t.to_pandas(types_mapper=__import__("pandas").ArrowDtype)
    assert ar.aging_finish(frame, AS_OF) == ar.aging_finish(t, AS_OF)
