"""Nullable text columns, however pandas or pyarrow built them, at lengths
around a multiple of 8 (where a validity bitmap ends exactly on a byte),
with and without nulls, whole and sliced: ``ar.Book`` and
``ar.Ledger.from_tables`` read every one.

The column under test is a dimension ``region``: ``"N"`` on even rows,
``"S"`` on odd ones, and, with nulls, null on every third row (row 0, 3,
...), which a dimension reads as ``""``. Every invoice is 10.00, so a
region's aging total is 10.00 times its number of rows, counted here from
the pattern itself."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any, Callable, Dict, List, Optional

import pytest

import ar

pd: Any = pytest.importorskip("pandas")
pa: Any = pytest.importorskip("pyarrow")

LENGTHS = [7, 8, 9, 16, 64]
AS_OF = datetime.date(2026, 6, 30)
RECORDED = datetime.datetime(2026, 7, 1, tzinfo=datetime.timezone.utc)


def regions(n: int, nulls: bool, skip: int = 0) -> List[Optional[str]]:
    """The pattern for rows ``skip`` to ``skip + n``."""
    return [
        None if nulls and i % 3 == 0 else ("N" if i % 2 == 0 else "S")
        for i in range(skip, skip + n)
    ]


def expected(values: List[Optional[str]]) -> Dict[str, Decimal]:
    out: Dict[str, Decimal] = {}
    for v in values:
        key = v or ""
        out[key] = out.get(key, Decimal("0.00")) + Decimal("10.00")
    return out


def invoice_columns(n: int, skip: int = 0) -> Dict[str, List[Any]]:
    rows = range(skip, skip + n)
    return {
        "id": [f"I{i}" for i in rows],
        "customer": [f"C{i}" for i in rows],
        "date": [datetime.date(2026, 5, 1)] * n,
        "due_date": [datetime.date(2026, 5, 31)] * n,
        "amount": [Decimal("10.00")] * n,
    }


# Each construction: (n, nulls) -> (invoices table, the region values in the
# table's row order).
def object_column(n: int, nulls: bool) -> Any:
    values = regions(n, nulls)
    frame = pd.DataFrame(invoice_columns(n))
    frame["region"] = pd.Series(values, dtype=object)
    return frame, values


def string_array(n: int, nulls: bool) -> Any:
    values = regions(n, nulls)
    frame = pd.DataFrame(invoice_columns(n))
    frame["region"] = pd.array(values, dtype="string")
    return frame, values


def sampled(n: int, nulls: bool) -> Any:
    values = regions(n, nulls)
    frame = pd.DataFrame(invoice_columns(n))
    frame["region"] = pd.Series(values, dtype=object)
    frame = frame.sample(frac=1, random_state=7)
    return frame, [values[int(i[1:])] for i in frame["id"]]


def categorical(n: int, nulls: bool) -> Any:
    values = regions(n, nulls)
    frame = pd.DataFrame(invoice_columns(n))
    frame["region"] = pd.Categorical(values)
    return frame, values


def read_csv(n: int, nulls: bool) -> Any:
    values = regions(n, nulls)
    text = "id,customer,date,due_date,amount,region\n" + "".join(
        f"I{i},C{i},2026-05-01,2026-05-31,10.00,{v or ''}\n" for i, v in enumerate(values)
    )
    frame = pd.read_csv(io.StringIO(text), dtype={"amount": str}, parse_dates=["date", "due_date"])
    return frame, values


def arrow(kind: Any) -> Callable[[int, bool], Any]:
    def build(n: int, nulls: bool) -> Any:
        values = regions(n, nulls)
        columns = invoice_columns(n)
        table = pa.table({**{k: pa.array(v) for k, v in columns.items()},
                          "region": pa.array(values, type=kind)})
        return table, values

    return build


def arrow_sliced(n: int, nulls: bool) -> Any:
    # Three rows more, then sliced off: every column has offset 3, and the
    # validity bitmap starts mid-byte.
    columns = invoice_columns(n + 3)
    table = pa.table({**{k: pa.array(v) for k, v in columns.items()},
                      "region": pa.array(regions(n + 3, nulls))})
    return table.slice(3), regions(n, nulls, skip=3)


def arrow_array_sliced(n: int, nulls: bool) -> Any:
    # Only the text column is a slice (`arr.slice(3)`).
    column = pa.array(regions(n + 3, nulls)).slice(3)
    table = pa.table({**{k: pa.array(v) for k, v in invoice_columns(n).items()}, "region": column})
    return table, regions(n, nulls, skip=3)


CONSTRUCTIONS: Dict[str, Callable[[int, bool], Any]] = {
    "object": object_column,
    "pd.array(string)": string_array,
    "sample": sampled,
    "categorical": categorical,
    "read_csv": read_csv,
    "pa.array": arrow(pa.string()),
    "pa.array(large_string)": arrow(pa.large_string()),
    "table.slice(3)": arrow_sliced,
    "arr.slice(3)": arrow_array_sliced,
}

CASES = [
    pytest.param(name, n, nulls, id=f"{name}-{n}-{'nulls' if nulls else 'full'}")
    for name in CONSTRUCTIONS
    for n in LENGTHS
    for nulls in (False, True)
]


def totals(report: ar.AgingReport) -> Dict[str, Decimal]:
    return {row.group[0]: row.total for row in report.rows}


@pytest.mark.parametrize("name, n, nulls", CASES)
def test_book_reads_the_text_column(name: str, n: int, nulls: bool) -> None:
    invoices, values = CONSTRUCTIONS[name](n, nulls)
    assert len(values) == n
    book = ar.Book(invoices, currency="USD", dimensions=["region"])
    assert book.invoice_count == n
    got = totals(book.aging(AS_OF, group_by=["invoice.region"]))
    assert got == expected(values)


@pytest.mark.parametrize("name, n, nulls", CASES)
def test_from_tables_reads_the_text_column(name: str, n: int, nulls: bool) -> None:
    invoices, values = CONSTRUCTIONS[name](n, nulls)
    # The customers' names and terms are nullable text columns too: a null
    # name is the id, null terms the default (net 30).
    names = [None if nulls and i % 3 == 1 else f"Name {i}" for i in range(n)]
    terms = [None if nulls and i % 3 == 2 else "net 10" for i in range(n)]
    customers = pa.table({
        "id": pa.array([f"C{i}" for i in range(n + 3)]),
        "currency": pa.array(["USD"] * (n + 3)),
        "name": pa.array(names + ["x", "y", "z"]),
        "terms": pa.array(terms + ["net 5"] * 3),
    }).slice(0, n)
    if name == "table.slice(3)" or name == "arr.slice(3)":
        # The invoices name customers C3...; rename them to C0...
        ids = [f"C{i}" for i in range(n)]
        invoices = invoices.set_column(invoices.schema.get_field_index("customer"), "customer",
                                       pa.array(ids))
    ledger = ar.Ledger.from_tables(
        customers, invoices, currency="USD", dimensions=["region"], recorded=RECORDED
    )
    assert len(ledger.balances()) == n
    got = totals(ledger.aging(AS_OF, group_by=["invoice.region"]))
    assert got == expected(values)
    known = {c["id"]: c["name"] for c in ledger.match_customers()}
    for i in range(n):
        assert known[f"C{i}"] == (names[i] or f"C{i}")
