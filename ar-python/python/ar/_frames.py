"""Data frames of an ``AgingReport`` (``to_pandas``, ``to_arrow``,
``detail_to_pandas``; its plot is in ``_notebook``) and data frames of a ``MatchBatch``
(``to_pandas``, ``to_arrow``, ``summary_to_pandas``).

Reshaping only: every figure comes from the Rust core already computed. The
methods of ``ar.AgingReport`` call these functions after checking their
arguments. pandas, pyarrow and matplotlib are optional dependencies, imported
here on first use: ``pip install ar[pandas]`` (pandas and pyarrow),
``pip install ar[plot]`` (matplotlib).
"""

from __future__ import annotations

import importlib
from decimal import Decimal
from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable, List, Optional, Sequence, Tuple

if TYPE_CHECKING:
    import pandas
    from matplotlib.axes import Axes

    from ar._ar import (
        AgingReport,
        AgingRow,
        MatchBatch,
        Proposal,
        ProposedApplication,
        ReceiptMatch,
    )

__all__ = [
    "aging_to_pandas",
    "aging_to_arrow",
    "aging_detail_to_pandas",
    "match_to_pandas",
    "match_to_arrow",
    "match_summary_to_pandas",
]

AMOUNT_FIELDS = ("total", "open_credits", "unapplied_cash", "net")

# A column: its name, its kind ("text", "amount", "count", ...) and values.
Column = Tuple[str, str, List[Any]]


def _require(module: str, extra: str, what: str) -> ModuleType:
    """Imports an optional dependency, or says how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        package = module.split(".")[0]
        raise ImportError(
            f"{what} needs {package}, an optional dependency of ar: pip install ar[{extra}]"
        ) from e


def _amount(amounts: str) -> Callable[[Decimal], Any]:
    """How amounts are written into a frame (``amounts`` is checked by the caller)."""
    if amounts == "str":
        return str
    if amounts == "float":
        return float  # only when the caller asked for binary floats
    return lambda d: d


def _summary_columns(report: AgingReport, totals: bool, amounts: str) -> List[Column]:
    rows: Sequence[AgingRow] = report.totals if totals else report.rows
    write = _amount(amounts)
    columns: List[Column] = []
    if not totals:
        for i, key in enumerate(report.group_by):
            columns.append((key, "text", [r.group[i] for r in rows]))
    columns.append(("currency", "text", [r.currency for r in rows]))
    buckets = [r.buckets for r in rows]
    for j, label in enumerate(report.labels):
        columns.append((label, "amount", [write(b[j]) for b in buckets]))
    for name in AMOUNT_FIELDS:
        columns.append((name, "amount", [write(getattr(r, name)) for r in rows]))
    columns.append(("items", "count", [r.items for r in rows]))
    return columns


def _pandas_frame(
    pd: ModuleType, columns: List[Column], amounts: str, categories: Sequence[str] = ()
) -> pandas.DataFrame:
    """A DataFrame of the columns; duplicate names (a group key named like a
    bucket, say) are kept side by side, never merged. A ``"bucket"`` column
    becomes an ordered categorical of ``categories``."""
    dtypes = {
        "text": None,
        "amount": "float64" if amounts == "float" else (None if amounts == "str" else object),
        "count": "int64",
        "optional_count": "Int64",
        "date": object,
    }
    series = {}
    for i, (_, kind, values) in enumerate(columns):
        if kind == "bucket":
            series[i] = pd.Series(pd.Categorical(values, categories=categories, ordered=True))
        else:
            series[i] = pd.Series(values, dtype=dtypes[kind])
    frame: pandas.DataFrame = pd.DataFrame(series)
    frame.columns = pd.Index([name for name, _, _ in columns])
    return frame


def aging_to_pandas(report: AgingReport, amounts: str, totals: bool) -> pandas.DataFrame:
    """``AgingReport.to_pandas``."""
    pd = _require("pandas", "pandas", "AgingReport.to_pandas()")
    return _pandas_frame(pd, _summary_columns(report, totals, amounts), amounts)


def aging_to_arrow(report: AgingReport, amounts: str, totals: bool) -> Any:
    """``AgingReport.to_arrow``: a ``pyarrow.Table``."""
    pa = _require("pyarrow", "pandas", "AgingReport.to_arrow()")
    columns = _summary_columns(report, totals, amounts)
    if amounts == "decimal":
        from ar._ar import minor_units

        rows = report.totals if totals else report.rows
        scale = max((minor_units(r.currency) for r in rows), default=0)
        amount_type = pa.decimal128(38, scale)
    else:
        amount_type = pa.string() if amounts == "str" else pa.float64()
    types = {"text": pa.string(), "amount": amount_type, "count": pa.int64()}
    arrays = [pa.array(values, type=types[kind]) for _, kind, values in columns]
    return pa.Table.from_arrays(arrays, names=[name for name, _, _ in columns])


def aging_detail_to_pandas(report: AgingReport, amounts: str) -> pandas.DataFrame:
    """``AgingReport.detail_to_pandas``."""
    pd = _require("pandas", "pandas", "AgingReport.detail_to_pandas()")
    lines = report.detail
    labels = report.labels
    write = _amount(amounts)
    columns: List[Column] = []
    for i, key in enumerate(report.group_by):
        columns.append((key, "text", [x.group[i] for x in lines]))
    columns.append(("kind", "text", [x.kind for x in lines]))
    columns.append(("customer", "text", [x.customer for x in lines]))
    columns.append(("id", "text", [x.id for x in lines]))
    columns.append(("installment", "optional_count", [x.installment for x in lines]))
    columns.append(("currency", "text", [x.currency for x in lines]))
    columns.append(("date", "date", [x.date for x in lines]))
    columns.append(("due_date", "date", [x.due_date for x in lines]))
    columns.append(("days", "count", [x.days for x in lines]))
    bucket = [None if x.bucket is None else labels[x.bucket] for x in lines]
    columns.append(("bucket", "bucket", bucket))
    columns.append(("open", "amount", [write(x.open) for x in lines]))
    return _pandas_frame(pd, columns, amounts, labels)


# One row of a MatchBatch frame: the receipt's match, the proposal's index
# and the proposal, and one of its applications (None where there is none).
_MatchRow = Tuple[
    "ReceiptMatch", Optional[int], Optional["Proposal"], Optional["ProposedApplication"]
]


def _match_columns(batch: MatchBatch, amounts: str, all_proposals: bool) -> List[Column]:
    write = _amount(amounts)

    def opt(d: Optional[Decimal]) -> Any:
        return None if d is None else write(d)

    rows: List[_MatchRow] = []
    for m in batch.matches:
        proposals = m.proposals if all_proposals else m.proposals[:1]
        if not proposals:
            rows.append((m, None, None, None))
        for k, p in enumerate(proposals):
            if not p.applications:
                rows.append((m, k, p, None))
            rows.extend((m, k, p, a) for a in p.applications)
    return [
        ("receipt", "text", [m.receipt for m, _, _, _ in rows]),
        ("receipt_date", "date", [m.date for m, _, _, _ in rows]),
        ("receipt_amount", "amount", [write(m.amount) for m, _, _, _ in rows]),
        ("currency", "text", [m.currency for m, _, _, _ in rows]),
        ("status", "text", [m.status for m, _, _, _ in rows]),
        ("proposal", "optional_count", [k for _, k, _, _ in rows]),
        ("confidence", "optional_count", [p and p.confidence for _, _, p, _ in rows]),
        ("customer", "text", [p and p.customer for _, _, p, _ in rows]),
        ("payer_basis", "text", [p and p.payer_basis for _, _, p, _ in rows]),
        ("source_kind", "text", [a and a.source_kind for _, _, _, a in rows]),
        ("source", "text", [a and a.source for _, _, _, a in rows]),
        ("invoice", "text", [a and a.invoice for _, _, _, a in rows]),
        ("installment", "optional_count", [a and a.installment for _, _, _, a in rows]),
        ("amount", "amount", [opt(a and a.amount) for _, _, _, a in rows]),
        ("discount", "amount", [opt(a and a.discount) for _, _, _, a in rows]),
        ("write_off", "amount", [opt(a and a.write_off) for _, _, _, a in rows]),
        ("open_after", "amount", [opt(a and a.open_after) for _, _, _, a in rows]),
        ("date", "date", [a and a.date for _, _, _, a in rows]),
    ]


def match_to_pandas(batch: MatchBatch, amounts: str, all_proposals: bool) -> pandas.DataFrame:
    """``MatchBatch.to_pandas``."""
    pd = _require("pandas", "pandas", "MatchBatch.to_pandas()")
    return _pandas_frame(pd, _match_columns(batch, amounts, all_proposals), amounts)


def match_to_arrow(batch: MatchBatch, amounts: str, all_proposals: bool) -> Any:
    """``MatchBatch.to_arrow``: a ``pyarrow.Table``."""
    pa = _require("pyarrow", "pandas", "MatchBatch.to_arrow()")
    columns = _match_columns(batch, amounts, all_proposals)
    if amounts == "decimal":
        from ar._ar import minor_units

        currencies = {m.currency for m in batch.matches}
        scale = max((minor_units(c) for c in currencies), default=0)
        amount_type = pa.decimal128(38, scale)
    else:
        amount_type = pa.string() if amounts == "str" else pa.float64()
    types = {
        "text": pa.string(),
        "amount": amount_type,
        "optional_count": pa.int64(),
        "date": pa.date32(),
    }
    arrays = [pa.array(values, type=types[kind]) for _, kind, values in columns]
    return pa.Table.from_arrays(arrays, names=[name for name, _, _ in columns])


def match_summary_to_pandas(batch: MatchBatch, amounts: str) -> pandas.DataFrame:
    """``MatchBatch.summary_to_pandas``."""
    pd = _require("pandas", "pandas", "MatchBatch.summary_to_pandas()")
    write = _amount(amounts)
    rows = batch.summary
    columns: List[Column] = [
        ("status", "text", [r.status for r in rows]),
        ("currency", "text", [r.currency for r in rows]),
        ("receipts", "count", [r.receipts for r in rows]),
        ("amount", "amount", [write(r.amount) for r in rows]),
    ]
    return _pandas_frame(pd, columns, amounts)
