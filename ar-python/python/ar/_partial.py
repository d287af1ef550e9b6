"""Partial reports as Arrow tables (``Book.aging_partial``,
``Book.metrics_partial``, ``ar.aging_finish``, ``ar.metrics_finish``), and
what ``ar.spark`` and ``ar.dask`` share: running a part of a book into its
partial on a worker, and carrying a worker's ``ArError`` back to the driver
as a line of the table.

A partial table has five columns: ``currency``, ``group`` (the group's
values as a JSON list), ``field``, ``sum`` (``decimal128(38, 0)``: integer
minor units, days or counts) and ``min`` (``int64``). Partials merge by
grouping on the first three columns, adding up ``sum`` and taking the least
``min``; the figures themselves are made and finished in the core
(``ar_core::partial``).
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Sequence, Tuple, Union

from ar._frames import _require

__all__ = [
    "KEYS",
    "TABLES",
    "columns",
    "amount_column",
    "error_table",
    "key_of",
    "raise_errors",
    "run_part",
    "schema",
    "table",
]

# The columns a merge groups by.
KEYS = ["currency", "group", "field"]
# The field of a line that carries a worker's error.
_ERROR = "error"
# Tables of a book, in the order ``ar.Book`` takes them, with the column an
# engine partitions each by: an invoice's settlements must sit with it.
TABLES = {
    "invoices": "id",
    "settlements": "invoice",
    "open_credits": "id",
    "unapplied_cash": "id",
}
# Column telling, in the rows of a book put in one table, which table a
# row is from.
TABLE_COLUMN = "_ar_table"
KEY_COLUMN = "_ar_key"
# Each table's amounts in a column of their own: a union of tables would
# widen one table's decimals to another's floats (which ar then refuses
# naming the wrong table), or two decimal types to one.
AMOUNT_PREFIX = "_ar_amount_"


def amount_column(name: str) -> str:
    """The column holding table ``name``'s amounts in the rows of a book."""
    return AMOUNT_PREFIX + name


def schema() -> Any:
    """The Arrow schema of a partial table."""
    pa = _require("pyarrow", "pandas", "a partial report")
    return pa.schema(
        [
            ("currency", pa.string()),
            ("group", pa.string()),
            ("field", pa.string()),
            ("sum", pa.decimal128(38, 0)),
            ("min", pa.int64()),
        ]
    )


def table(
    currency: List[str], group: List[str], field: List[str], sum: List[int], min: List[int]
) -> Any:
    """The lines of a partial as a ``pyarrow.Table``."""
    pa = _require("pyarrow", "pandas", "a partial report")
    return pa.Table.from_arrays(
        [
            pa.array(currency, pa.string()),
            pa.array(group, pa.string()),
            pa.array(field, pa.string()),
            pa.array(sum, pa.decimal128(38, 0)),
            pa.array(min, pa.int64()),
        ],
        schema=schema(),
    )


Columns = Union[
    Tuple[str, str, str, str],
    Tuple[str, List[Any], List[Any], List[Any], List[int], List[int]],
]


def _as_table(pa: Any, obj: object) -> Any:
    pd = _loaded("pandas")
    if pd is not None and isinstance(obj, pd.DataFrame):
        return pa.Table.from_pandas(obj, preserve_index=False)
    if isinstance(obj, pa.RecordBatch):
        return pa.Table.from_batches([obj])
    if not isinstance(obj, pa.Table) and hasattr(obj, "__arrow_c_stream__"):
        return pa.table(obj)
    return obj if isinstance(obj, pa.Table) else None


def _loaded(name: str) -> Any:
    import sys

    return sys.modules.get(name)


def columns(obj: object) -> Columns:
    """The lines of a partial table (a ``pyarrow.Table`` or ``RecordBatch``,
    a ``pandas.DataFrame``, or any object exporting an Arrow stream) as
    ``("ok", currency, group, field, sum, min)`` lists, the sums as exact
    ``int``; or what is wrong: ``("invalid_type", field, expected, found)``
    or ``("invalid_value", field, value, reason)``."""
    pa = _require("pyarrow", "pandas", "a partial report")
    t = _as_table(pa, obj)
    if t is None:
        return ("invalid_type", "partial", "pyarrow.Table or pandas.DataFrame", type(obj).__name__)
    out: List[List[Any]] = []
    for name in ["currency", "group", "field", "sum", "min"]:
        indices = t.schema.get_all_field_indices(name)
        if len(indices) != 1:
            why = "the column is required" if not indices else "more than one column of that name"
            return ("invalid_value", f"partial.{name}", "(no such column)" if not indices else name, why)
        column = t.column(indices[0])
        typ = column.type
        if name in ("currency", "group", "field"):
            if not (pa.types.is_string(typ) or pa.types.is_large_string(typ)):
                return ("invalid_type", f"partial.{name}", "a string column", str(typ))
        elif name == "sum":
            # Exact integers only: a float sum has lost digits already.
            exact = pa.types.is_integer(typ) or (pa.types.is_decimal(typ) and typ.scale == 0)
            if not exact:
                return ("invalid_type", "partial.sum", "decimal128(38, 0) or an integer column", str(typ))
        elif not pa.types.is_integer(typ):
            return ("invalid_type", "partial.min", "an integer column", str(typ))
        if column.null_count:
            return ("invalid_value", f"partial.{name}", "null", "a partial has no nulls")
        values = column.to_pylist()
        out.append([int(v) for v in values] if name == "sum" else values)
    return ("ok", out[0], out[1], out[2], out[3], out[4])


def error_table(error: BaseException) -> Any:
    """A one-line partial table carrying ``error`` (an ``ar.ArError``)."""
    body = {
        "code": getattr(error, "code", "internal"),
        "family": getattr(error, "family", "internal"),
        "message": getattr(error, "message", str(error)),
    }
    return table([""], [json.dumps(body, sort_keys=True)], [_ERROR], [0], [0])


def raise_errors(merged: Any) -> None:
    """Raises the first (by message) error a worker carried into the merged
    partial table ``merged`` (a ``pyarrow.Table``), as the ``ar`` exception
    of its code; nothing without one."""
    import ar

    fields = merged.column("field").to_pylist()
    groups = merged.column("group").to_pylist()
    found = sorted(g for f, g in zip(fields, groups) if f == _ERROR)
    if not found:
        return
    body = json.loads(found[0])
    classes: Dict[str, type] = {
        "validation": ar.ValidationError,
        "format": ar.FormatError,
        "not_found": ar.NotFoundError,
        "conflict": ar.ConflictError,
        "currency": ar.CurrencyMismatchError,
        "state": ar.StateError,
        "log": ar.LogError,
    }
    cls = ar.ArTypeError if body["code"] == "invalid_type" else classes.get(body["family"], ar.InternalError)
    raise cls(body["message"], body["code"])


def run_part(
    rows: Any,
    report: str,
    options: Mapping[str, Any],
    book: Mapping[str, Any],
    customers: Any,
) -> Any:
    """The partial table of one part of a book: ``rows`` (a
    ``pyarrow.Table``) holds the rows of every table, told apart by
    ``TABLE_COLUMN``; ``book`` the other arguments of ``ar.Book``;
    ``customers`` the whole customers table or ``None``. An ``ArError`` is
    returned as an error line rather than raised, so that the driver raises
    it as ar's (an engine would wrap it in its own exception)."""
    import ar

    pc = _require("pyarrow.compute", "pandas", "a partial report")
    try:
        which = rows.column(TABLE_COLUMN)
        parts: Dict[str, Any] = {}
        names = rows.column_names
        for name in TABLES:
            part = rows.filter(pc.equal(which, name))
            if name == "invoices" or part.num_rows:
                own = [c for c in names if c.startswith(AMOUNT_PREFIX) and c != amount_column(name)]
                part = part.drop_columns([TABLE_COLUMN, KEY_COLUMN, *own])
                parts[name] = part.rename_columns(
                    ["amount" if c == amount_column(name) else c for c in part.column_names]
                )
        b = ar.Book(
            parts["invoices"],
            parts.get("settlements"),
            open_credits=parts.get("open_credits"),
            unapplied_cash=parts.get("unapplied_cash"),
            customers=customers,
            **book,
        )
        if report == "aging":
            return b.aging_partial(**options)
        return b.metrics_partial(**options)
    except ar.ArError as e:
        return error_table(e)


def key_of(name: str, partition_by: str, columns: Sequence[str]) -> str:
    """The column table ``name`` (with ``columns``) is partitioned by: its
    invoice id (``partition_by="invoice"``) or its customer (an invoice's
    settlements then need a ``customer`` column, that of their invoice)."""
    import ar

    if partition_by == "invoice":
        key = TABLES[name]
    elif partition_by == "customer":
        # Open items go with their customer too: fewer groups per part.
        key = "customer"
    else:
        raise ar.ValidationError(
            f'partition_by: "{partition_by}" is not allowed: expected "invoice" or "customer"',
            "invalid_value",
        )
    if key not in columns:
        raise ar.ValidationError(
            f'{name}.{key}: "(no such column)" is not allowed: '
            f"the column is required to partition by {partition_by}",
            "invalid_value",
        )
    return key
