"""Aging by customer of a generated book on PySpark and Dask with ar
(``ar.spark.aging``, ``ar.dask.aging``), against the same aging written in
PySpark SQL (exact decimals, as a data team would write it) and against
``ar.Book.aging`` in one process. Every result is checked equal to the
one-process figures to the cent before a time is printed.

    python benches/python/bench_scale.py [INVOICES ...] [--partitions N]
        [--engines book,spark,sql,dask] [--repeat N]

The book is generated on the fly, each partition by itself from its seed
(invoices over two years ending 2026-10-31, one customer per 100 invoices,
about 85 % paid in full or in half), so no table is held whole by the
driver except for the one-process run. Spark runs on a local[2] session
(set SPARK_LOCAL_IP and Java 17 as for the tests), Dask on its threaded
scheduler with two workers. Wall time is the best of ``--repeat`` runs
(2 by default: Spark's first job also warms the JVM) of the report alone, on inputs
already materialized (cached in Spark, persisted frames in Dask); peak
memory is the largest resident size of this process and its children
(the JVM and Spark's Python workers) sampled every 50 ms during the report.
Dask runs before Spark is started, so that its peak does not count the JVM.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import numpy as np
import pyarrow as pa

import ar
import ar.dask
import ar.spark

AS_OF = date(2026, 10, 31)
START = date(2024, 11, 1)
SPAN = (AS_OF - START).days
LABELS = ["current", "1-30", "31-60", "61-90", "91-120", "over 120"]
DEC = pa.decimal128(18, 2)
EPOCH = date(1970, 1, 1)


def decimals(cents: Any) -> Any:
    """Cents (a non-negative int64 numpy array) as an Arrow decimal128(18, 2)."""
    wide = np.zeros((len(cents), 2), dtype=np.int64)
    wide[:, 0] = cents
    return pa.Array.from_buffers(DEC, len(cents), [None, pa.py_buffer(wide.tobytes())])


def part(p: int, per_part: int, customers: int) -> Tuple[Any, Any]:
    """Invoices and settlements of partition ``p``, from its own seed."""
    rng = np.random.default_rng(1_000 + p)
    n = per_part
    first = p * per_part
    day0 = (START - EPOCH).days
    days = day0 + rng.integers(0, SPAN, n)
    due = days + rng.choice([30, 45, 60], n)
    cents = rng.integers(500, 2_000_000, n)
    customer = rng.integers(0, customers, n)
    ids = [f"INV{first + i:09}" for i in range(n)]
    invoices = pa.table(
        {
            "id": ids,
            "customer": [f"C{c:07}" for c in customer],
            "currency": pa.array(["USD"] * n),
            "date": pa.array(days.astype(np.int32), pa.int32()).cast(pa.date32()),
            "due_date": pa.array(due.astype(np.int32), pa.int32()).cast(pa.date32()),
            "amount": decimals(cents),
        }
    )
    paid = due + rng.integers(-10, 40, n)
    full = rng.random(n) < 0.8
    half = ~full & (rng.random(n) < 0.7)
    keep = (full | half) & (paid <= (AS_OF - EPOCH).days)
    rows = np.nonzero(keep)[0]
    settlements = pa.table(
        {
            "invoice": [ids[i] for i in rows],
            # Their invoice's customer, as a lakehouse table usually has it.
            "customer": [f"C{customer[i]:07}" for i in rows],
            "date": pa.array(np.maximum(paid, days)[rows].astype(np.int32), pa.int32()).cast(pa.date32()),
            "amount": decimals(np.where(full, cents, cents // 2)[rows]),
        }
    )
    return invoices, settlements


class Peak:
    """Largest resident size of this process and its descendants."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _tree_rss() -> int:
        children: Dict[int, List[int]] = {}
        rss: Dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                pages = int(Path(f"/proc/{entry}/statm").read_text().split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
            rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE")
        total, todo = 0, [os.getpid()]
        while todo:
            pid = todo.pop()
            total += rss.get(pid, 0)
            todo.extend(children.get(pid, []))
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._tree_rss())
            time.sleep(0.05)

    def __enter__(self) -> "Peak":
        self._thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._stop.set()
        self._thread.join()


REPEAT = 1


def timed(fn: Callable[[], Any]) -> Tuple[float, int, Any]:
    """The best wall time of ``REPEAT`` runs (the first also warms the
    JVM's compiler), the largest peak, and the output."""
    best, top, out = float("inf"), 0, None
    for _ in range(REPEAT):
        with Peak() as peak:
            t0 = time.perf_counter()
            out = fn()
            best = min(best, time.perf_counter() - t0)
        top = max(top, peak.peak)
    return best, top, out


def spark_session() -> Any:
    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("ar-bench-scale")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "8g")
        .config("spark.sql.shuffle.partitions", "8")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def spark_frames(spark: Any, parts: int, per_part: int, customers: int) -> Tuple[Any, Any]:
    """The book generated on the executors, partition by partition, cached."""
    inv_schema = part(0, 1, 1)[0].schema
    stl_schema = part(0, 1, 1)[1].schema
    from pyspark.sql.pandas.types import from_arrow_schema

    def gen(which: int) -> Callable[[Any], Any]:
        def run(batches: Any) -> Any:
            for batch in batches:
                for p in batch.column(0).to_pylist():
                    yield from part(p, per_part, customers)[which].to_batches()

        return run

    seeds = spark.range(parts, numPartitions=parts)
    inv = seeds.mapInArrow(gen(0), from_arrow_schema(inv_schema)).cache()
    stl = seeds.mapInArrow(gen(1), from_arrow_schema(stl_schema)).cache()
    inv.count(), stl.count()
    return inv, stl


def sql_aging(inv: Any, stl: Any) -> Any:
    """Aging by customer in PySpark SQL: settlements up to the date netted
    from each invoice by a join, days past due bucketed, pivoted; exact
    decimals throughout."""
    from pyspark.sql import functions as F

    as_of = F.lit(AS_OF)
    paid = stl.where(F.col("date") <= as_of).groupBy("invoice").agg(F.sum("amount").alias("paid"))
    open_ = (
        inv.where(F.col("date") <= as_of)
        .join(paid, inv["id"] == paid["invoice"], "left")
        .select("currency", "customer", "due_date", (F.col("amount") - F.coalesce(F.col("paid"), F.lit(0))).alias("open"))
        .where(F.col("open") != 0)
    )
    days = F.datediff(as_of, F.col("due_date"))
    bucket = (
        F.when(days <= 0, "current")
        .when(days <= 30, "1-30")
        .when(days <= 60, "31-60")
        .when(days <= 90, "61-90")
        .when(days <= 120, "91-120")
        .otherwise("over 120")
    )
    aging = open_.withColumn("bucket", bucket).groupBy("currency", "customer").pivot("bucket", LABELS).agg(F.sum("open"))
    return aging.toArrow()


def same_as_sql(sql: Any, report: Any) -> None:
    rows = {r.group[0]: r for r in report.rows}
    assert len(rows) == sql.num_rows, (len(rows), sql.num_rows)
    for row in sql.to_pylist():
        got = rows[row["customer"]].buckets
        want = [row[label] if row[label] is not None else 0 for label in LABELS]
        assert [int(g * 100) for g in got] == [int(w * 100) for w in want], row["customer"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("invoices", nargs="*", type=int, default=[1_000_000])
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--engines", default="book,spark,sql,dask")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    global REPEAT
    REPEAT = args.repeat
    engines = args.engines.split(",")
    spark = None
    print(f"{os.cpu_count()} cores; ar {ar.__version__}; partitions {args.partitions}")
    for n in args.invoices:
        per_part = n // args.partitions
        customers = max(n // 100, 1)
        results: Dict[str, Tuple[float, int]] = {}
        expected = None
        if "book" in engines:
            tables = [part(p, per_part, customers) for p in range(args.partitions)]
            inv = pa.concat_tables([t[0] for t in tables])
            stl = pa.concat_tables([t[1] for t in tables])
            del tables
            secs, peak, expected = timed(lambda: ar.Book(inv, stl).aging(AS_OF))
            results["ar.Book, one process"] = (secs, peak)
            del inv, stl
        if "dask" in engines:
            import dask
            import dask.dataframe as dd
            import pandas as pd

            def frame(which: int) -> Any:
                meta = part(0, 1, 1)[which].schema.empty_table().to_pandas(types_mapper=pd.ArrowDtype)
                return dd.from_map(
                    lambda p: part(p, per_part, customers)[which].to_pandas(types_mapper=pd.ArrowDtype),
                    range(args.partitions),
                    meta=meta,
                )

            with dask.config.set(scheduler="threads", num_workers=2):
                inv_dd, stl_dd = dask.persist(frame(0), frame(1))
                secs, peak, got = timed(lambda: ar.dask.aging(inv_dd, stl_dd, AS_OF, partitions=args.partitions))
            if expected is not None:
                assert got.rows == sorted(expected.rows, key=lambda r: (r.currency, r.group))
            results["ar.dask"] = (secs, peak)
            with dask.config.set(scheduler="threads", num_workers=2):
                secs, peak, got = timed(
                    lambda: ar.dask.aging(inv_dd, stl_dd, AS_OF, partitions=args.partitions, partition_by="customer")
                )
            if expected is not None:
                assert got.rows == sorted(expected.rows, key=lambda r: (r.currency, r.group))
            results["ar.dask by customer"] = (secs, peak)
        if {"spark", "sql"} & set(engines):
            # Started after the one-process run, whose peak it would count.
            spark = spark or spark_session()
            inv_df, stl_df = spark_frames(spark, args.partitions, per_part, customers)
            if "spark" in engines:
                secs, peak, got = timed(lambda: ar.spark.aging(inv_df, stl_df, AS_OF, partitions=args.partitions))
                if expected is not None:
                    assert got.rows == sorted(expected.rows, key=lambda r: (r.currency, r.group))
                expected = expected or got
                results["ar.spark"] = (secs, peak)
                secs, peak, got = timed(
                    lambda: ar.spark.aging(inv_df, stl_df, AS_OF, partitions=args.partitions, partition_by="customer")
                )
                assert got.rows == sorted(expected.rows, key=lambda r: (r.currency, r.group))
                results["ar.spark by customer"] = (secs, peak)
            if "sql" in engines:
                secs, peak, table = timed(lambda: sql_aging(inv_df, stl_df))
                if expected is not None:
                    same_as_sql(table, expected)
                results["PySpark SQL"] = (secs, peak)
            inv_df.unpersist(), stl_df.unpersist()
        base = results.get("PySpark SQL", (0.0, 0))[0]
        print(f"\n{n:,} invoices, aging by customer as of {AS_OF} ({customers:,} customers):")
        for name, (secs, peak) in results.items():
            ratio = f"  {base / secs:5.2f}x PySpark SQL" if base else ""
            print(f"  {name:<24} {secs:8.2f} s   peak {peak / 2**30:6.2f} GiB{ratio}")
    if spark is not None:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
