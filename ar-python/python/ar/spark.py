"""Aging, metrics and provisions of a book held in PySpark DataFrames, on the
cluster where it lives: the same figures as ``ar.Book`` in one process, to
the last digit.

The invoices, settlements and open items are put in one DataFrame and
repartitioned so that every settlement sits with its invoice (by invoice id,
or by customer with ``partition_by="customer"``); ``DataFrame.mapInArrow``
hands each partition's Arrow batches to a ``Book`` of that part, which gives
its partial report (``Book.aging_partial``, ``Book.metrics_partial``); Spark
merges the partials with a ``groupBy`` (sums and a minimum), and the small
merged table is finished on the driver (``ar.aging_finish``,
``ar.metrics_finish``). An ``ArError`` on a worker comes back as a line of
the partial and is raised on the driver as the same ``ar`` exception.

The workers need ar installed (``pip install ar[spark]`` on each, or the
wheel shipped with the job); ``ar`` and pyarrow are imported there. One
partition's rows are held in memory at once (as Arrow, then as a ``Book``):
choose ``partitions`` so that a partition fits a worker.

Requires ``pyspark`` >= 4.0 (``DataFrame.toArrow``) and pyarrow:
``pip install ar[spark]``.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Literal, Mapping, Optional, Sequence

import ar
from ar._frames import _require
from ar._partial import KEY_COLUMN, TABLE_COLUMN, amount_column, key_of, raise_errors, run_part, schema

__all__ = ["aging", "metrics", "provision"]

def _arrow(obj: Any) -> Any:
    """A small table given as a Spark DataFrame, collected; others as given."""
    # Classic and Connect DataFrames alike.
    if obj is not None and type(obj).__module__.startswith("pyspark.sql") and hasattr(obj, "toArrow"):
        return obj.toArrow()
    return obj


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
    F = _require("pyspark.sql.functions", "spark", "ar.spark")
    T = _require("pyspark.sql.types", "spark", "ar.spark")
    arrow_types = _require("pyspark.sql.pandas.types", "spark", "ar.spark")
    given = {name: df for name, df in tables.items() if df is not None}
    customers = _arrow(customers)
    # The tables' columns checked on the driver, by ar itself, from their
    # schemas: a missing column or dimension fails here, before a job (the
    # values, a float amount among them, are read on the workers).
    empty = {name: arrow_types.to_arrow_schema(df.schema).empty_table() for name, df in given.items()}
    ar.Book(
        empty["invoices"],
        empty.get("settlements"),
        open_credits=empty.get("open_credits"),
        unapplied_cash=empty.get("unapplied_cash"),
        customers=customers,
        **book,
    )
    frames = [
        df.withColumn(TABLE_COLUMN, F.lit(name))
        .withColumn(KEY_COLUMN, F.col(key_of(name, partition_by, df.columns)).cast("string"))
        .withColumnRenamed("amount", amount_column(name))
        for name, df in given.items()
    ]
    rows = frames[0]
    for frame in frames[1:]:
        rows = rows.unionByName(frame, allowMissingColumns=True)
    rows = rows.repartition(partitions, KEY_COLUMN) if partitions else rows.repartition(KEY_COLUMN)
    # For a partition without rows (Spark hands it no batch at all).
    rows_schema = arrow_types.to_arrow_schema(rows.schema)
    out = T.StructType(
        [
            T.StructField("currency", T.StringType(), False),
            T.StructField("group", T.StringType(), False),
            T.StructField("field", T.StringType(), False),
            T.StructField("sum", T.DecimalType(38, 0), False),
            T.StructField("min", T.LongType(), False),
        ]
    )

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        pa = _require("pyarrow", "spark", "ar.spark")
        given = list(batches)
        part = pa.Table.from_batches(given) if given else rows_schema.empty_table()
        yield from run_part(part, report, options, book, customers).to_batches()

    merged = (
        rows.mapInArrow(run, out)
        .groupBy("currency", "group", "field")
        .agg(F.sum("sum").alias("sum"), F.min("min").alias("min"))
    )
    table = merged.toArrow().cast(schema())
    raise_errors(table)
    return table


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
    """``Book.aging`` of the book in these Spark DataFrames (the columns of
    ``ar.Book``; ``settlements`` may be ``None``), rows sorted by currency
    then group. ``customers`` is a small table (a Spark DataFrame is
    collected) given whole to every part. ``partitions``: how many parts
    (Spark's default shuffle partitions otherwise)."""
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
    """``Book.metrics`` of the book in these Spark DataFrames, as ``aging``."""
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
    ``ar.Provision`` per currency, in currency order) at ``rates`` (percent
    per bucket)."""
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


def _book(currency: Optional[str], dimensions: Sequence[str], customer_dimensions: Sequence[str]) -> Dict[str, Any]:
    return {"currency": currency, "dimensions": list(dimensions), "customer_dimensions": list(customer_dimensions)}
