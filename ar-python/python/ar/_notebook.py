"""Notebook helpers: any list of result records as a ``pandas.DataFrame``
(``ar.to_pandas``), an aging report as an HTML table (its
``_repr_html_``), and plots of metrics over periods (``ar.plot_metrics``).

Reshaping and drawing only: every figure comes from the Rust core already
computed and stays exact (``decimal.Decimal``) in the frames; only drawing
converts to floats.
"""

from __future__ import annotations

import html
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence

from ar._frames import _require

if TYPE_CHECKING:
    import pandas
    from matplotlib.axes import Axes

    from ar._ar import AgingReport, AgingRow, MetricsRow

__all__ = ["to_pandas", "to_arrow", "plot_metrics", "aging_html"]


def _flatten(prefix: str, value: Any, out: Dict[str, Any]) -> None:
    """A nested dict (a metrics row's ``timing``, a finding's ``reason``)
    becomes ``prefix_key`` columns; lists stay as cells."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            _flatten(f"{prefix}_{k}" if prefix else str(k), v, out)
    else:
        out[prefix] = value


def _rounded(value: Any, places: Optional[int]) -> Any:
    if places is None or not isinstance(value, Decimal) or not value.is_finite():
        return value
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


def _records(field: str, value: Any, cls: Optional[type] = None) -> List[Any]:
    """``value`` as a list of result records (of ``cls`` when given), or an
    ``ArTypeError`` naming ``field``: a list or tuple, never a string or a
    number."""
    from ar import ArTypeError

    if not isinstance(value, (list, tuple)):
        found = type(value).__name__[:64]
        raise ArTypeError(f"{field}: expected a list of ar records, got {found}", "invalid_type")
    for i, r in enumerate(value):
        ok = isinstance(r, cls) if cls is not None else callable(getattr(r, "to_dict", None))
        if not ok:
            found = type(r).__name__[:64]
            want = cls.__name__ if cls is not None else "an ar result record"
            raise ArTypeError(f"{field}[{i}]: expected {want}, got {found}", "invalid_type")
    return list(value)


def _flat_rows(what: str, records: Sequence[Any], places: Optional[int]) -> List[Dict[str, Any]]:
    """Each record as one flat dict (nested records as ``parent_field``),
    its ``Decimal``s rounded to ``places`` when given."""
    from ar import ArTypeError, ValidationError

    if places is not None:
        if isinstance(places, bool) or not isinstance(places, int):
            raise ArTypeError(f"places: expected int or None, got {type(places).__name__[:64]}", "invalid_type")
        if not 0 <= places <= 28:
            shown = str(places) if abs(places) < 10**30 else ("a huge number" if places > 0 else "a huge negative number")
            raise ValidationError(f"places: {shown} is not a whole number from 0 to 28", "invalid_value")
    rows: List[Dict[str, Any]] = []
    for r in _records("records", records):
        flat: Dict[str, Any] = {}
        _flatten("", r.to_dict(), flat)
        rows.append({k: _rounded(v, places) for k, v in flat.items()})
    return rows


def to_pandas(records: Sequence[Any], *, places: Optional[int] = None) -> pandas.DataFrame:
    """A ``DataFrame`` of ``records`` (metrics rows, balances, worklist rows,
    any result with ``to_dict()``): one row each, nested records flattened
    into ``parent_field`` columns (``timing_weighted_days_to_pay``).

    Values stay exact: ``Decimal`` objects, ``datetime.date``. ``places``
    rounds every ``Decimal`` (half to even) for display, as a copy; the
    records keep the exact figures. For plotting, ``df.astype(float)`` on
    the columns drawn (binary floats are for pictures, never for sums).
    """
    pd = _require("pandas", "pandas", "ar.to_pandas()")
    frame: pandas.DataFrame = pd.DataFrame(_flat_rows("records", records, places), dtype=object)
    return frame


def to_arrow(records: Sequence[Any], *, places: Optional[int] = None) -> Any:
    """A ``pyarrow.Table`` of ``records``, columns as ``to_pandas`` makes
    them: amounts and figures as ``decimal128`` (exact), dates as
    ``date32``, ``None`` as null. ``pyarrow.parquet.write_table`` writes it
    to Parquet."""
    pa = _require("pyarrow", "pandas", "ar.to_arrow()")
    rows = _flat_rows("records", records, places)
    try:
        return pa.Table.from_pylist(rows)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as e:
        # Records of different kinds give one column values of two types.
        from ar import ValidationError

        raise ValidationError(
            f"records: not one kind of record, a column would mix types ({str(e)[:200]})", "invalid_value"
        ) from None


def _money(value: Decimal) -> str:
    """An exact amount with thousands separators: ``1,234.50``."""
    return f"{value:,}"


def aging_html(report: AgingReport) -> str:
    """``AgingReport._repr_html_``: the rows (and a totals row per currency)
    as an HTML table, amounts right-aligned with thousands separators."""
    esc = html.escape
    head = [*report.group_by, "currency", *report.labels, "total", "open credits", "unapplied cash", "net", "items"]
    parts = [
        "<table class='ar-aging'>",
        f"<caption>Aging as of {report.as_of.isoformat()}"
        f" (days since {'due date' if report.basis == 'due_date' else 'invoice date'})</caption>",
        "<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr></thead><tbody>",
    ]

    def row(r: AgingRow, group: Sequence[str], bold: bool) -> str:
        cells = [esc(g) for g in group] + [esc(r.currency)]
        cells += [_money(b) for b in r.buckets]
        cells += [_money(r.total), _money(r.open_credits), _money(r.unapplied_cash), _money(r.net), str(r.items)]
        tag = "th" if bold else "td"
        n = len(group) + 1
        return "<tr>" + "".join(
            f"<{tag} style='text-align:{'left' if i < n else 'right'}'>{c}</{tag}>" for i, c in enumerate(cells)
        ) + "</tr>"

    for r in report.rows:
        parts.append(row(r, r.group, False))
    for t in report.totals:
        parts.append(row(t, ["total"] + [""] * (len(report.group_by) - 1) if report.group_by else [], True))
    parts.append("</tbody></table>")
    if report.credit_holds:
        parts.append(f"<p>On credit hold: {esc(', '.join(report.credit_holds))}</p>")
    return "".join(parts)


def _thousands(ax: Axes, axis: str) -> None:
    ticker = _require("matplotlib.ticker", "plot", "plot()")
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(ticker.FuncFormatter(lambda x, _: f"{x:,.0f}"))


def aging_plot(report: AgingReport, ax: Any, top: Optional[int]) -> List[Axes]:
    """``AgingReport.plot``: one panel per currency; in each, one stacked
    horizontal bar per group (the ``top`` largest by total, the rest as one
    "other" bar), a segment per bucket."""
    from ar import ArTypeError, ValidationError

    if top is None:
        top = 10
    if isinstance(top, bool) or not isinstance(top, int):
        raise ArTypeError(f"top: expected int, got {type(top).__name__[:64]}", "invalid_type")
    if top < 1:
        said = str(top) if top > -(10**30) else "a huge negative number"
        raise ValidationError(f"top: {said} is not a whole number of at least 1", "invalid_value")
    currencies = [t.currency for t in report.totals]
    panels = max(len(currencies), 1)
    if ax is None:
        plt = _require("matplotlib.pyplot", "plot", "AgingReport.plot()")
        _, made = plt.subplots(panels, 1, figsize=(8, 3 + 1.5 * panels), squeeze=False)
        axes_list = [a for (a,) in made]
    else:
        axes_mod = _require("matplotlib.axes", "plot", "AgingReport.plot()")
        given = [ax] if isinstance(ax, axes_mod.Axes) else ax
        if not isinstance(given, (list, tuple)) or not all(isinstance(a, axes_mod.Axes) for a in given):
            found = type(ax).__name__[:64]
            raise ArTypeError(f"ax: expected matplotlib.axes.Axes, a list of them, or None, got {found}", "invalid_type")
        if len(given) != panels:
            raise ValidationError(
                f"ax: {len(given)} Axes for {panels} currencies ({', '.join(currencies)}): one panel each",
                "invalid_value",
            )
        axes_list = list(given)
    since = "due date" if report.basis == "due_date" else "invoice date"
    for a, currency in zip(axes_list, currencies):
        rows = [r for r in report.rows if r.currency == currency]
        rows.sort(key=lambda r: r.total, reverse=True)
        shown = rows[:top]
        names = [" / ".join(r.group) or "book" for r in shown]
        buckets = [list(r.buckets) for r in shown]
        rest = rows[top:]
        if rest:
            names.append(f"other ({len(rest)})")
            buckets.append([sum((r.buckets[j] for r in rest), Decimal(0)) for j in range(len(report.labels))])
        if not report.group_by:
            names, buckets = ["book"], [list(t.buckets) for t in report.totals if t.currency == currency]
        # Largest at the top.
        names.reverse()
        buckets.reverse()
        left = [0.0] * len(names)
        for j, label in enumerate(report.labels):
            # Drawing needs floats; the figures themselves stay exact elsewhere.
            widths = [float(b[j]) for b in buckets]
            a.barh(names, widths, left=left, label=label)
            left = [x + w for x, w in zip(left, widths)]
        a.set_title(f"Aging as of {report.as_of.isoformat()}: {currency}")
        a.set_xlabel(f"open invoices ({currency})")
        a.set_ylabel(" / ".join(report.group_by) if report.group_by else "")
        _thousands(a, "x")
        a.legend(title=f"days since {since}", fontsize="small")
    return axes_list


def plot_metrics(
    rows: Sequence[MetricsRow], metric: str = "dso_period_end", *, ax: Optional[Axes] = None
) -> Axes:
    """``metric`` of metrics rows over their periods (rows of several
    ``Ledger.metrics`` calls, one per period): one line per group and
    currency, the period end on the x axis."""
    from ar import ArTypeError, MetricsRow, ValidationError

    rows = _records("rows", rows, MetricsRow)
    if not isinstance(metric, str):
        raise ArTypeError(f"metric: expected str, got {type(metric).__name__[:64]}", "invalid_type")
    allowed = {
        "dso_period_end", "dso_average", "dso_countback", "best_possible_dso", "average_days_delinquent",
        "cei", "ar_turnover", "percent_current", "percent_past_due",
    }
    if metric not in allowed:
        raise ValidationError(
            f"metric: {metric[:64]!r} is not one of {', '.join(sorted(allowed))}", "invalid_value"
        )
    if ax is None:
        plt = _require("matplotlib.pyplot", "plot", "ar.plot_metrics()")
        _, ax = plt.subplots()
    else:
        axes_mod = _require("matplotlib.axes", "plot", "ar.plot_metrics()")
        if not isinstance(ax, axes_mod.Axes):
            raise ArTypeError(f"ax: expected matplotlib.axes.Axes or None, got {type(ax).__name__[:64]}", "invalid_type")
    series: Dict[str, List[Any]] = {}
    for r in sorted(rows, key=lambda r: r.end):
        value = getattr(r, metric)
        if value is None:
            continue
        name = " / ".join([*r.group, r.currency])
        series.setdefault(name, []).append((r.end, float(value)))
    for name, points in series.items():
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=name)
    ax.set_title(metric.replace("_", " "))
    ax.set_xlabel("period end")
    ax.set_ylabel("percent" if metric.startswith(("cei", "percent")) else ("times" if metric == "ar_turnover" else "days"))
    if series:
        ax.legend(fontsize="small")
    return ax


# Published beside the native functions (``ar`` exports what ``ar._ar`` does).
def _publish() -> None:
    from ar import _ar

    for f in (to_pandas, to_arrow, plot_metrics):
        f.__module__ = "ar"
        setattr(_ar, f.__name__, f)
        if f.__name__ not in _ar.__all__:
            _ar.__all__.append(f.__name__)


_publish()
