"""``ar.spark`` on a local Spark session (``local[2]``): a generated book
of a couple thousand invoices in DataFrames gives, in 1, 2 and 8
partitions, every figure of ``Book.aging`` / ``Book.metrics`` in one
process; bad input is ar's typed error on the driver.

pyspark is an optional extra (``ar[spark]``) and a dev tool of this
repository (``requirements-dev.txt``); it needs Java 17. One session for
the module: starting one costs seconds."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any, Iterator

import pytest

import ar

pytest.importorskip("pyspark")
pa: Any = pytest.importorskip("pyarrow")
if shutil.which("java") is None:  # pragma: no cover - the dev machines have Java
    pytest.skip("Spark needs Java", allow_module_level=True)

import ar.spark  # noqa: E402

# pyspark warns about pandas 3, which ar.spark does not use.
pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas")
from partial_book import AS_OF, START, Tables, book, generate, sorted_rows  # noqa: E402


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # The workers run this interpreter, where ar is installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("ar-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def tables() -> Tables:
    return generate(2_000, seed=5)


def frames(spark: Any, t: Tables) -> dict[str, Any]:
    return {name: spark.createDataFrame(t[name]) for name in ["invoices", "settlements", "open_credits", "unapplied_cash"]}


BOOK = {"dimensions": ["region"], "customer_dimensions": ["region"]}


@pytest.mark.parametrize("partitions", [1, 2, 8])
def test_spark_gives_the_one_process_figures(spark: Any, tables: Tables, partitions: int) -> None:
    f = frames(spark, tables)
    whole = book(tables)
    kw: dict[str, Any] = dict(
        open_credits=f["open_credits"],
        unapplied_cash=f["unapplied_cash"],
        customers=tables["customers"],
        partitions=partitions,
        **BOOK,
    )
    for group_by in [["customer"], ["invoice.region", "customer.region"]]:
        got = ar.spark.aging(f["invoices"], f["settlements"], AS_OF, group_by=group_by, **kw)
        expected = whole.aging(AS_OF, group_by=group_by)
        assert got.rows == sorted_rows(expected.rows)
        assert got.totals == expected.totals
        assert {t.currency for t in got.totals} == {"EUR", "USD"}
    got_m = ar.spark.metrics(f["invoices"], f["settlements"], START, AS_OF, group_by=["invoice.region"], **kw)
    assert got_m == whole.metrics(START, AS_OF, group_by=["invoice.region"])
    assert len(got_m) == 8  # four regions, two currencies


def test_spark_by_customer_and_provisions(spark: Any, tables: Tables) -> None:
    f = frames(spark, tables)
    whole = book(tables)
    # Settlements carry their invoice's customer to be partitioned with it.
    customer = dict(zip(tables["invoices"].column("id").to_pylist(), tables["invoices"].column("customer").to_pylist()))
    stl = tables["settlements"]
    stl = stl.append_column("customer", pa.array([customer[i] for i in stl.column("invoice").to_pylist()]))
    got = ar.spark.aging(
        f["invoices"], spark.createDataFrame(stl), AS_OF, partition_by="customer", partitions=3, dimensions=["region"]
    )
    no_open = ar.Book(tables["invoices"], tables["settlements"], dimensions=["region"])
    assert got.rows == sorted_rows(no_open.aging(AS_OF).rows)
    rates = [1, 3, 10, 25, 50, 90]
    provisions = ar.spark.provision(f["invoices"], f["settlements"], AS_OF, rates, partitions=2)
    expected = [ar.provision(row, rates) for row in whole.aging(AS_OF, group_by=[]).totals]
    assert provisions == expected
    assert [p.currency for p in provisions] == ["EUR", "USD"]
    # Settlements whose customer is not their invoice's sit apart from it.
    wrong = stl.set_column(stl.schema.get_field_index("customer"), "customer", pa.array(["C999999"] * stl.num_rows))
    with pytest.raises(ar.NotFoundError, match=r"settlements\.invoice"):
        ar.spark.aging(f["invoices"], spark.createDataFrame(wrong), AS_OF, partition_by="customer", partitions=2)


def test_spark_bad_input_is_a_typed_error_on_the_driver(spark: Any, tables: Tables) -> None:
    f = frames(spark, tables)
    from pyspark.sql import functions as F

    floats = f["settlements"].withColumn("amount", F.col("amount").cast("double"))
    with pytest.raises(ar.ArTypeError, match=r"settlements\.amount"):
        ar.spark.aging(f["invoices"], floats, AS_OF)
    with pytest.raises(ar.ValidationError, match="partition_by"):
        ar.spark.aging(f["invoices"], f["settlements"], AS_OF, partition_by="region")  # type: ignore[arg-type]
    with pytest.raises(ar.ValidationError, match=r"settlements\.customer"):
        ar.spark.aging(f["invoices"], f["settlements"], AS_OF, partition_by="customer")
    # A bad row is found on a worker and raised here, as ar's error.
    negative = f["invoices"].withColumn("amount", F.when(F.col("id") == "INV00000007", -F.col("amount")).otherwise(F.col("amount")))
    with pytest.raises(ar.ValidationError, match=r"invoices\.amount") as e:
        ar.spark.aging(negative, f["settlements"], AS_OF, partitions=2)
    assert e.value.code == "invalid_amount"
