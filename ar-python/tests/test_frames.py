"""``AgingReport.to_pandas()``, ``to_arrow()``, ``detail_to_pandas()`` and
``plot()`` on the hand-worked aging of ``reports_book.py``.

pandas, pyarrow and matplotlib are optional extras of the package but dev
tools of this repository (``requirements-dev.txt``): ``importorskip`` is only
a safety net, these tests run in ``scripts/test.sh``."""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Any

import pytest

import ar
from reports_book import aging_book
from scenario import at, d

pd: Any = pytest.importorskip("pandas")
pa: Any = pytest.importorskip("pyarrow")
matplotlib: Any = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

LABELS = ["current", "1-30", "31-60", "61-90", "91-120", "over 120"]
AMOUNTS = ["total", "open_credits", "unapplied_cash", "net"]
SUMMARY = ["customer", "currency", *LABELS, *AMOUNTS, "items"]


@pytest.fixture(scope="module")
def report() -> ar.AgingReport:
    return aging_book().aging("2026-06-30")


def test_to_pandas_keeps_decimals(report: ar.AgingReport) -> None:
    df = report.to_pandas()
    assert list(df.columns) == SUMMARY
    assert len(df) == 3
    assert list(df["customer"]) == ["A", "B", "C"]
    assert list(df["currency"]) == ["USD", "USD", "EUR"]
    a = df.iloc[0]
    assert [a[label] for label in LABELS] == [
        d("160.00"), d("230.00"), d("0.00"), d("0.00"), d("250.00"), d("0.00")
    ]
    assert (a["total"], a["open_credits"], a["unapplied_cash"], a["net"]) == (
        d("640.00"), d("25.00"), d("0.00"), d("615.00")
    )
    for column in [*LABELS, *AMOUNTS]:
        assert df[column].dtype == object, column
        assert all(isinstance(v, Decimal) for v in df[column]), column
    assert str(df["net"][1]) == "730.00"
    assert str(df["items"].dtype) == "int64"
    assert list(df["items"]) == [6, 2, 1]


def test_to_pandas_totals_str_and_float(report: ar.AgingReport) -> None:
    totals = report.to_pandas(totals=True)
    assert list(totals.columns) == SUMMARY[1:]
    assert list(totals["currency"]) == ["EUR", "USD"]
    assert list(totals["net"]) == [d("600.00"), d("1345.00")]
    text = report.to_pandas("str")
    assert list(text["over 120"]) == ["0.00", "400.00", "0.00"]
    assert all(isinstance(v, str) for v in text["total"])
    floats = report.to_pandas(amounts="float")
    assert str(floats["total"].dtype) == "float64"
    assert list(floats["total"]) == [640.0, 800.0, 600.0]


def test_to_arrow_decimal128_at_the_minor_unit(report: ar.AgingReport) -> None:
    table = report.to_arrow()
    assert table.column_names == SUMMARY
    assert table.schema.field("current").type == pa.decimal128(38, 2)
    assert table.schema.field("customer").type == pa.string()
    assert table.schema.field("items").type == pa.int64()
    assert table.column("net").to_pylist() == [d("615.00"), d("730.00"), d("600.00")]
    assert table.column("31-60").to_pylist() == [d("0.00"), d("400.00"), d("600.00")]
    totals = report.to_arrow(totals=True)
    assert totals.column("total").to_pylist() == [d("600.00"), d("1440.00")]
    assert report.to_arrow("str").schema.field("net").type == pa.string()
    assert report.to_arrow("float").column("net").to_pylist() == [615.0, 730.0, 600.0]


def test_to_arrow_one_scale_for_mixed_currencies() -> None:
    l = ar.Ledger()
    for code in ("USD", "JPY", "KWD"):
        l.register_customer(code, code, code, recorded=at("2026-01-01T00:00:00Z"))
    amounts = {"USD": d("100.25"), "JPY": d("10264"), "KWD": d("1.505")}
    for code, amount in amounts.items():
        l.issue_invoice(
            f"I-{code}", code, "2026-01-01", [ar.Line("x", 1, amount)],
            recorded=at("2026-01-01T00:00:00Z"),
        )
    report = l.aging("2026-01-15")
    table = report.to_arrow()
    # KWD has three decimals: the table's scale is 3 for every currency, exactly.
    assert table.schema.field("current").type == pa.decimal128(38, 3)
    assert table.column("current").to_pylist() == [d("100.250"), d("10264.000"), d("1.505")]
    # pandas keeps each amount at its own currency's minor unit.
    assert [str(v) for v in report.to_pandas()["current"]] == ["100.25", "10264", "1.505"]
    # The totals table, JPY only: scale 0.
    jpy = ar.Ledger()
    jpy.register_customer("J", "J", "JPY", recorded=at("2026-01-01T00:00:00Z"))
    jpy.issue_invoice(
        "I", "J", "2026-01-01", [ar.Line("x", 3, 333)], recorded=at("2026-01-01T00:00:00Z")
    )
    only = jpy.aging("2026-01-15").to_arrow(totals=True)
    assert only.schema.field("total").type == pa.decimal128(38, 0)
    assert only.column("total").to_pylist() == [d("999")]


def test_empty_report_frames() -> None:
    empty = ar.Ledger().aging("2026-01-01", detail=True)
    df = empty.to_pandas()
    assert list(df.columns) == SUMMARY and len(df) == 0
    table = empty.to_arrow()
    assert table.num_rows == 0 and table.column_names == SUMMARY
    assert len(empty.detail_to_pandas()) == 0


def test_detail_to_pandas() -> None:
    r = aging_book().aging(
        "2026-06-30", group_by=["customer.region"], basis="invoice_date", buckets=[30, 60, 90],
        detail=True,
    )
    df = r.detail_to_pandas()
    assert list(df.columns) == [
        "region", "kind", "customer", "id", "installment", "currency", "date", "due_date",
        "days", "bucket", "open",
    ]
    assert len(df) == 11
    assert list(df["id"][:6]) == ["I1", "I2", "I3", "I4", "I5", "I6"]
    assert list(df["bucket"].cat.categories) == ["up to 30", "31-60", "61-90", "over 90"]
    assert df["bucket"].cat.ordered
    assert list(df["bucket"][:3]) == ["up to 30", "31-60", "over 90"]
    # Credits and cash have no bucket.
    assert df["bucket"][9] is None or pd.isna(df["bucket"][9])
    assert list(df["installment"][6:9]) == [1, 2, 3]
    assert pd.isna(df["installment"][0])
    assert all(isinstance(v, Decimal) for v in df["open"])
    invoices = df[(df["kind"] == "invoice") & (df["currency"] == "USD")]
    assert sum(invoices["open"], Decimal(0)) == d("1440.00")
    by_bucket = invoices.groupby("bucket", observed=False)["open"].sum()
    assert [str(v) for v in by_bucket] == ["100.00", "290.00", "400.00", "650.00"]
    assert list(r.detail_to_pandas("str")["open"][-2:]) == ["25.00", "70.00"]


def test_bad_amounts_option(report: ar.AgingReport) -> None:
    with pytest.raises(ar.ValidationError) as e:
        report.to_pandas("decimal128")  # type: ignore[arg-type]
    assert e.value.code == "invalid_value"
    assert e.value.message.startswith('amounts: "decimal128" is not allowed')
    with pytest.raises(ar.ArTypeError):
        report.to_arrow(totals=1)  # type: ignore[arg-type]


def test_plot_draws_a_panel_per_currency_and_a_bar_per_group(report: ar.AgingReport) -> None:
    import matplotlib.pyplot as plt

    from matplotlib.patches import Rectangle

    eur, usd = report.plot()
    try:
        # EUR: customer C alone; USD: B (800.00) above A (640.00).
        assert eur.get_title() == "Aging as of 2026-06-30: EUR"
        assert usd.get_xlabel() == "open invoices (USD)"
        assert usd.get_ylabel() == "customer"
        assert len(eur.patches) == len(LABELS)
        assert len(usd.patches) == 2 * len(LABELS)
        assert [t.get_text() for t in usd.get_yticklabels()] == ["A", "B"]
        legend = usd.get_legend()
        assert legend is not None
        assert [t.get_text() for t in legend.get_texts()] == LABELS
        bars = [p for p in usd.patches if isinstance(p, Rectangle)]
        b_bar = [p for p in bars if abs(p.get_y() + p.get_height() / 2 - 1) < 1e-9]
        assert max(p.get_x() + p.get_width() for p in b_bar) == pytest.approx(800.0)
        # Thousands separators on the amounts.
        assert usd.xaxis.get_major_formatter()(1234567.0, 0) == "1,234,567"
    finally:
        plt.close("all")
    # The top group and the rest as one bar.
    _, usd = report.plot(top=1)
    try:
        assert [t.get_text() for t in usd.get_yticklabels()] == ["other (1)", "B"]
    finally:
        plt.close("all")
    fig, given = plt.subplots(2, 1)
    try:
        assert report.plot(ax=list(given)) == list(given)
        with pytest.raises(ar.ValidationError):
            report.plot(ax=given[0])  # two currencies, one panel
        with pytest.raises(ar.ArTypeError):
            report.plot(ax="axes")  # type: ignore[arg-type]
        with pytest.raises(ar.ValidationError):
            report.plot(top=0)
    finally:
        plt.close(fig)


def test_html_and_any_records_as_a_frame(report: ar.AgingReport) -> None:
    html = report._repr_html_()
    assert html.startswith("<table class='ar-aging'>")
    assert "<caption>Aging as of 2026-06-30 (days since due date)</caption>" in html
    assert html.count("<tr>") == 1 + len(report.rows) + len(report.totals)
    assert "1,440.00" in html  # the USD total, with its separator
    rows = [
        *aging_book().metrics("2026-04-01", "2026-04-30", group_by=["customer"]),
    ]
    df = ar.to_pandas(rows)
    assert len(df) == len(rows)
    assert "timing_weighted_days_to_pay" in df.columns and "timing" not in df.columns
    assert all(v is None or isinstance(v, Decimal) for v in df["dso_period_end"])
    assert list(df["ar_end"]) == [r.ar_end for r in rows]
    shown = ar.to_pandas(rows, places=1)
    exact = [r.dso_average for r in rows]
    assert [None if v is None else v.quantize(Decimal("0.1")) for v in exact] == list(shown["dso_average"])
    with pytest.raises(ar.ArTypeError):
        ar.to_pandas([1])
    with pytest.raises(ar.ValidationError):
        ar.to_pandas(rows, places=-1)


def test_metrics_over_periods_plot_a_line_per_group(report: ar.AgingReport) -> None:
    import matplotlib.pyplot as plt

    book = aging_book()
    rows = [
        *book.metrics("2026-04-01", "2026-04-30"),
        *book.metrics("2026-05-01", "2026-05-31"),
        *book.metrics("2026-06-01", "2026-06-30"),
    ]
    ax = ar.plot_metrics(rows, "cei")
    try:
        names = {line.get_label() for line in ax.get_lines()}
        assert names == {"EUR", "USD"}
        usd = next(line for line in ax.get_lines() if line.get_label() == "USD")
        xs: Any = usd.get_xdata()
        assert len(xs) == 3  # one point per period
        assert ax.get_ylabel() == "percent"
        with pytest.raises(ar.ValidationError):
            ar.plot_metrics(rows, "nope")
    finally:
        plt.close("all")


def test_missing_extras_say_how_to_install(
    report: ar.AgingReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"pip install ar\[pandas\]"):
        report.to_pandas()
    with pytest.raises(ImportError, match=r"pip install ar\[pandas\]"):
        report.detail_to_pandas()
    with pytest.raises(ImportError, match=r"to_arrow\(\) needs pyarrow.*pip install ar\[pandas\]"):
        report.to_arrow()
    with pytest.raises(ImportError, match=r"plot\(\) needs matplotlib.*pip install ar\[plot\]"):
        report.plot()


def test_key_names_that_repeat_keep_their_own_columns() -> None:
    r = aging_book().aging("2026-06-30", group_by=["customer.region", "invoice.region"])
    assert r.group_by == ["region", "region"]
    df = r.to_pandas()
    assert list(df.columns[:3]) == ["region", "region", "currency"]
    assert df.iloc[:, 0].tolist() == ["EMEA", "AMER", ""]
    assert df.iloc[:, 1].tolist() == ["", "", ""]
    assert r.to_arrow().column_names[:3] == ["region", "region", "currency"]


def test_any_records_as_arrow_and_parquet(tmp_path: Any) -> None:
    import pyarrow as pa  # type: ignore[import-untyped, import-not-found, unused-ignore]
    import pyarrow.parquet as pq  # type: ignore[import-untyped, import-not-found, unused-ignore]

    rows = aging_book().metrics("2026-04-01", "2026-04-30", group_by=["customer"])
    table = ar.to_arrow(rows)
    assert table.num_rows == len(rows)
    assert pa.types.is_decimal(table.schema.field("ar_end").type)
    assert pa.types.is_date32(table.schema.field("end").type)
    assert table.column("ar_end").to_pylist() == [r.ar_end for r in rows]
    path = tmp_path / "metrics.parquet"
    pq.write_table(table, path)
    back = pq.read_table(path)
    assert back.column("ar_end").to_pylist() == [r.ar_end for r in rows]
    assert back.column("timing_payments").to_pylist() == [r.timing.payments for r in rows]
    with pytest.raises(ar.ArTypeError):
        ar.to_arrow("rows")  # a str is no list of records
