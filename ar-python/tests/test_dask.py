"""``ar.dask`` on Dask's local scheduler: a generated book in Dask
DataFrames gives, in 1, 2 and 8 partitions, every figure of ``Book.aging``
/ ``Book.metrics`` in one process; bad input is ar's typed error.

dask is an optional extra (``ar[dask]``) and a dev tool of this repository
(``requirements-dev.txt``)."""

from __future__ import annotations

from typing import Any, Iterator

import pytest

import ar

dask: Any = pytest.importorskip("dask")
dd: Any = pytest.importorskip("dask.dataframe")
pd: Any = pytest.importorskip("pandas")
pa: Any = pytest.importorskip("pyarrow")

import ar.dask  # noqa: E402
from partial_book import AS_OF, START, Tables, book, generate, sorted_rows  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def threads() -> Iterator[None]:
    with dask.config.set(scheduler="threads", num_workers=2):
        yield


@pytest.fixture(scope="module")
def tables() -> Tables:
    return generate(2_000, seed=9)


def frames(t: Tables, npartitions: int = 3) -> dict[str, Any]:
    """Dask frames of the tables, amounts as Arrow decimals, ids as text."""
    return {
        name: dd.from_pandas(t[name].to_pandas(types_mapper=pd.ArrowDtype), npartitions=npartitions)
        for name in ["invoices", "settlements", "open_credits", "unapplied_cash"]
    }


BOOK = {"dimensions": ["region"], "customer_dimensions": ["region"]}


@pytest.mark.parametrize("partitions", [1, 2, 8])
def test_dask_gives_the_one_process_figures(tables: Tables, partitions: int) -> None:
    f = frames(tables)
    whole = book(tables)
    kw: dict[str, Any] = dict(
        open_credits=f["open_credits"],
        unapplied_cash=f["unapplied_cash"],
        customers=tables["customers"].to_pandas(),
        partitions=partitions,
        **BOOK,
    )
    for group_by in [["customer"], ["invoice.region", "customer.region"]]:
        got = ar.dask.aging(f["invoices"], f["settlements"], AS_OF, group_by=group_by, **kw)
        expected = whole.aging(AS_OF, group_by=group_by)
        assert got.rows == sorted_rows(expected.rows)
        assert got.totals == expected.totals
        assert {t.currency for t in got.totals} == {"EUR", "USD"}
    got_m = ar.dask.metrics(f["invoices"], f["settlements"], START, AS_OF, group_by=["invoice.region"], **kw)
    assert got_m == whole.metrics(START, AS_OF, group_by=["invoice.region"])
    assert len(got_m) == 8  # four regions, two currencies


def test_dask_decimal_objects_by_customer_and_provisions(tables: Tables) -> None:
    # Amounts as decimal.Decimal objects, as pandas holds them by default.
    f = {name: dd.from_pandas(tables[name].to_pandas(), npartitions=2) for name in ["invoices", "settlements"]}
    customer = dict(zip(tables["invoices"].column("id").to_pylist(), tables["invoices"].column("customer").to_pylist()))
    stl = f["settlements"].assign(customer=f["settlements"]["invoice"].map(customer, meta=("invoice", object)))
    got = ar.dask.aging(f["invoices"], stl, AS_OF, partition_by="customer", partitions=3)
    no_open = ar.Book(tables["invoices"], tables["settlements"])
    assert got.rows == sorted_rows(no_open.aging(AS_OF).rows)
    rates = [1, 3, 10, 25, 50, 90]
    provisions = ar.dask.provision(f["invoices"], f["settlements"], AS_OF, rates, partitions=2)
    assert provisions == [ar.provision(row, rates) for row in no_open.aging(AS_OF, group_by=[]).totals]
    assert [p.currency for p in provisions] == ["EUR", "USD"]
    wrong = f["settlements"].assign(customer="C999999")
    with pytest.raises(ar.NotFoundError, match=r"settlements\.invoice"):
        ar.dask.aging(f["invoices"], wrong, AS_OF, partition_by="customer", partitions=2)


def test_dask_bad_input_is_a_typed_error(tables: Tables) -> None:
    f = frames(tables)
    floats = f["settlements"].assign(amount=f["settlements"]["amount"].astype("float64"))
    with pytest.raises(ar.ArTypeError, match=r"settlements\.amount"):
        ar.dask.aging(f["invoices"], floats, AS_OF)
    with pytest.raises(ar.ValidationError, match=r"settlements\.customer"):
        ar.dask.aging(f["invoices"], f["settlements"], AS_OF, partition_by="customer")
    bad_currency = f["invoices"].assign(currency="XXX1")
    with pytest.raises(ar.ArError, match=r"invoices\.currency") as e:
        ar.dask.aging(bad_currency, f["settlements"], AS_OF)
    assert e.value.code == "invalid_currency"
