"""Aging, metrics and provisions of a book held in Dask DataFrames: the same
figures as ``ar.Book`` in one process, to the last digit.

As ``ar.spark``: the invoices, settlements and open items are put in one
DataFrame and shuffled so that every settlement sits with its invoice (by
invoice id, or by customer with ``partition_by="customer"``);
``map_partitions`` gives each partition's partial report
(``Book.aging_partial``, ``Book.metrics_partial``) as a frame of Arrow
types, ``groupby().agg`` merges them (sums and a minimum; the sums stay
``decimal128(38, 0)``, exact), and the merged table is finished where
``compute`` returns it (``ar.aging_finish``, ``ar.metrics_finish``). An
``ArError`` in a partition comes back as a line of the partial and is
raised as the same ``ar`` exception.

Amount columns must be exact: ``decimal.Decimal`` objects, ``str`` or an
Arrow decimal dtype (``pd.ArrowDtype(pa.decimal128(18, 2))``); a float
column is ar's ``ArTypeError``. Requires ``dask[dataframe]`` and pyarrow:
``pip install ar[dask]``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Literal, Mapping, Optional, Sequence

import ar
from ar._frames import _require
from ar._partial import KEY_COLUMN, KEYS, TABLE_COLUMN, amount_column, key_of, raise_errors, run_part, schema

__all__ = ["aging", "metrics", "provision"]


def _part(frame: Any, report: str, options: Mapping[str, Any], book: Mapping[str, Any], customers: Any) -> Any:
    """One partition's partial, as a pandas frame of Arrow types."""
    pa = _require("pyarrow", "dask", "ar.dask")
    pd = _require("pandas", "dask", "ar.dask")
    rows = pa.Table.from_pandas(frame, preserve_index=False)
    return run_part(rows, report, options, book, customers).to_pandas(types_mapper=pd.ArrowDtype)


def _partials(
    report: str,
    tables: Mapping[str, Any],
    options: Mapping[str, Any],
    book: Mapping[str, Any],
    customers: Any,
    partitions: Optional[int],
    partition_by: str,
) -> Any:
    """The merged partial table (pyarrow) of the book in ``tables``."""
    dd = _require("dask.dataframe", "dask", "ar.dask")
    pa = _require("pyarrow", "dask", "ar.dask")
    pd = _require("pandas", "dask", "ar.dask")
    given = {name: df for name, df in tables.items() if df is not None}
    if customers is not None and hasattr(customers, "compute"):
        customers = customers.compute()
    frames = [
        df.assign(**{TABLE_COLUMN: name, KEY_COLUMN: df[key_of(name, partition_by, list(df.columns))].astype(str)})
        .rename(columns={"amount": amount_column(name)})
        for name, df in given.items()
    ]
    rows = dd.concat(frames) if len(frames) > 1 else frames[0]
    rows = rows.shuffle(on=KEY_COLUMN, npartitions=partitions)
    meta = schema().empty_table().to_pandas(types_mapper=pd.ArrowDtype)
    parts = rows.map_partitions(_part, report, options, book, customers, meta=meta)
    merged = parts.groupby(KEYS).agg({"sum": "sum", "min": "min"}).compute().reset_index()
    table = pa.Table.from_pandas(merged, preserve_index=False).select(["currency", "group", "field", "sum", "min"])
    table = table.cast(schema())
    raise_errors(table)
    return table


def _book(currency: Optional[str], dimensions: Sequence[str], customer_dimensions: Sequence[str]) -> Dict[str, Any]:
    return {"currency": currency, "dimensions": list(dimensions), "customer_dimensions": list(customer_dimensions)}


def aging(
    invoices: Any,
    settlements: Any,
    as_of: Any,
    *,
    open_credits: Any = None,
    unapplied_cash: Any = None,
    customers: Any = None,
    currency: Optional[str] = None,
    dimensions: Sequence[str] = (),
    customer_dimensions: Sequence[str] = (),
    partitions: Optional[int] = None,
    partition_by: Literal["invoice", "customer"] = "invoice",
    basis: Optional[str] = None,
    buckets: Optional[Sequence[int]] = None,
    group_by: Optional[Sequence[str]] = None,
) -> ar.AgingReport:
    """``Book.aging`` of the book in these Dask DataFrames (the columns of
    ``ar.Book``; ``settlements`` may be ``None``), rows sorted by currency
    then group. ``customers``, a small table given whole to every part, may
    be a pandas or Dask DataFrame or a pyarrow Table. ``partitions``: how
    many parts (those of the input otherwise)."""
    options: Dict[str, Any] = {"as_of": as_of, "basis": basis, "buckets": buckets, "group_by": group_by}
    table = _partials(
        "aging",
        {"invoices": invoices, "settlements": settlements, "open_credits": open_credits, "unapplied_cash": unapplied_cash},
        options,
        _book(currency, dimensions, customer_dimensions),
        customers,
        partitions,
        partition_by,
    )
    return ar.aging_finish(table, **options)


def metrics(
    invoices: Any,
    settlements: Any,
    start: Any,
    end: Any,
    *,
    open_credits: Any = None,
    unapplied_cash: Any = None,
    customers: Any = None,
    currency: Optional[str] = None,
    dimensions: Sequence[str] = (),
    customer_dimensions: Sequence[str] = (),
    partitions: Optional[int] = None,
    partition_by: Literal["invoice", "customer"] = "invoice",
    group_by: Optional[Sequence[str]] = None,
    cei: Optional[str] = None,
    cei_months: Optional[int] = None,
    countback_months: Optional[int] = None,
) -> List[ar.MetricsRow]:
    """``Book.metrics`` of the book in these Dask DataFrames, as ``aging``."""
    options: Dict[str, Any] = {
        "start": start,
        "end": end,
        "group_by": group_by,
        "cei": cei,
        "cei_months": cei_months,
        "countback_months": countback_months,
    }
    table = _partials(
        "metrics",
        {"invoices": invoices, "settlements": settlements, "open_credits": open_credits, "unapplied_cash": unapplied_cash},
        options,
        _book(currency, dimensions, customer_dimensions),
        customers,
        partitions,
        partition_by,
    )
    return ar.metrics_finish(table, **options)


def provision(
    invoices: Any,
    settlements: Any,
    as_of: Any,
    rates: Sequence[Any],
    *,
    rounding: Optional[str] = None,
    open_credits: Any = None,
    unapplied_cash: Any = None,
    currency: Optional[str] = None,
    partitions: Optional[int] = None,
    partition_by: Literal["invoice", "customer"] = "invoice",
    basis: Optional[str] = None,
    buckets: Optional[Sequence[int]] = None,
) -> List[Any]:
    """``ar.provision`` of each currency's whole-book aging (one
    ``ar.Provision`` per currency, in currency order) at ``rates``."""
    report = aging(
        invoices,
        settlements,
        as_of,
        open_credits=open_credits,
        unapplied_cash=unapplied_cash,
        currency=currency,
        partitions=partitions,
        partition_by=partition_by,
        basis=basis,
        buckets=buckets,
        group_by=[],
    )
    return [ar.provision(row, rates, rounding=rounding) for row in report.totals]  # type: ignore[arg-type]
