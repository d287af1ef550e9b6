"""The tables given to ``ar.Book``, as Arrow buffers for the native side;
and the rows of a table given to the matcher (``ar.match_receipts``,
``ar.Matcher``), as dicts.

``read`` turns a table (a ``pandas.DataFrame``, a ``pyarrow.Table`` or
``RecordBatch``, or any object exporting an Arrow stream) into pyarrow
arrays and describes each chunk of each wanted column by its layout and its
buffers (a ``memoryview`` of each, which the native side copies once through
the buffer protocol): the values are read in Rust
(``src/arrow.rs``), never as one Python object per row. Checking the types
and the values is the native side's job; this module only classifies the
layouts. pyarrow is an optional dependency (``pip install ar[pandas]``).
"""

from __future__ import annotations

import sys
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from ar._frames import _require

__all__ = ["read", "records"]

# kind, width (bytes), signed, scale, units per day, length, offset, buffers,
# dictionary (a chunk of the same shape, or None).
Chunk = Tuple[str, int, bool, int, int, int, int, List[Optional[Any]], Any]

# Timestamps: units a day, by unit.
_PER_DAY = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}
# Timezones whose timestamps are UTC wall times (the date is the UTC date).
_UTC = {"UTC", "Etc/UTC", "utc", "Z", "+00:00"}
# pyarrow prints float64 as "double": name it as pandas users know it.
_FLOAT_NAMES = {"halffloat": "float16", "float": "float32", "double": "float64"}


def _layout(pa: Any, t: Any) -> Tuple[str, int, bool, int, int]:
    """(kind, width, signed, scale, units per day) of an Arrow type."""
    types = pa.types
    if types.is_string(t):
        return ("utf8", 0, False, 0, 0)
    if types.is_large_string(t):
        return ("large_utf8", 0, False, 0, 0)
    if types.is_decimal(t):
        return ("decimal", t.byte_width, True, t.scale, 0)
    if types.is_floating(t):
        return ("float", t.bit_width // 8, True, 0, 0)
    if types.is_integer(t):
        return ("int", t.bit_width // 8, types.is_signed_integer(t), 0, 0)
    if types.is_date32(t):
        return ("date32", 4, True, 0, 0)
    if types.is_date64(t):
        return ("date64", 8, True, 0, 0)
    if types.is_timestamp(t):
        kind = "timestamp" if t.tz is None or t.tz in _UTC else "timestamp_tz"
        return (kind, 8, True, 0, _PER_DAY.get(t.unit, 0))
    if types.is_dictionary(t):
        index = t.index_type
        return ("dictionary", index.bit_width // 8, types.is_signed_integer(index), 0, 0)
    if types.is_null(t):
        return ("null", 0, False, 0, 0)
    return ("other", 0, False, 0, 0)


def _chunk(pa: Any, array: Any) -> Chunk:
    """One chunk: its layout and its buffers, as pyarrow holds them."""
    t = array.type
    if hasattr(pa.types, "is_string_view") and pa.types.is_string_view(t):
        array = array.cast(pa.large_string())
        t = array.type
    kind, width, signed, scale, per_day = _layout(pa, t)
    buffers: List[Optional[Any]] = []
    dictionary: Optional[Chunk] = None
    if kind != "other":
        for i, buffer in enumerate(array.buffers()[:3]):
            if buffer is None or (i == 0 and array.null_count == 0):
                buffers.append(None)
            else:
                # As unsigned bytes (pyarrow exports signed ones, `b`).
                buffers.append(memoryview(buffer).cast("B"))
        if kind == "dictionary":
            dictionary = _chunk(pa, array.dictionary)
    return (kind, width, signed, scale, per_day, len(array), array.offset, buffers, dictionary)


def _type_name(t: Any) -> str:
    name = str(t)
    return _FLOAT_NAMES.get(name, name)


def _from_pandas(pa: Any, frame: Any, present: List[str]) -> Tuple[Any, Dict[str, Tuple[str, ...]]]:
    """The ``present`` columns of a DataFrame as a ``pyarrow.Table``, and why
    each column pyarrow cannot convert was left out."""
    try:
        return pa.Table.from_pandas(frame, preserve_index=False, nthreads=1, columns=present), {}
    except (pa.ArrowException, ValueError, TypeError):
        pass
    # Find the columns at fault; convert the others.
    failed: Dict[str, Tuple[str, ...]] = {}
    good: List[str] = []
    for name in present:
        try:
            pa.Table.from_pandas(frame, preserve_index=False, nthreads=1, columns=[name])
            good.append(name)
        except (pa.ArrowException, ValueError, TypeError) as e:
            message = e.args[0] if e.args else str(e)
            failed[name] = ("unreadable", f"{frame[name].dtype} column ({message})")
    return pa.Table.from_pandas(frame, preserve_index=False, nthreads=1, columns=good), failed


def _table(
    pa: Any, obj: object, wanted: Sequence[str]
) -> Tuple[Any, Dict[str, Tuple[str, ...]], List[str]]:
    """(table, the wanted columns that cannot be read and why, the names of
    all its columns), or (None, {}, []) when ``obj`` is not a table."""
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(obj, pd.DataFrame):
        names = [str(c) for c in obj.columns]
        columns = list(obj.columns)
        present = [c for c in dict.fromkeys(wanted) if columns.count(c) == 1]
        # from_pandas(columns=...) reads only those, but refuses a frame with
        # duplicate names anywhere: select the wanted ones first then.
        frame = obj if obj.columns.is_unique else obj[present]
        table, failed = _from_pandas(pa, frame, present)
        for c in dict.fromkeys(wanted):
            if columns.count(c) > 1:
                failed[c] = ("duplicate",)
        return table, failed, names
    if isinstance(obj, pa.RecordBatch):
        obj = pa.Table.from_batches([obj])
    if not isinstance(obj, pa.Table) and hasattr(obj, "__arrow_c_stream__"):
        obj = pa.table(obj)
    if isinstance(obj, pa.Table):
        return obj, {}, list(obj.column_names)
    return None, {}, []


def read(
    obj: object, wanted: Sequence[str]
) -> Union[str, Tuple[List[str], Dict[str, Tuple[Any, ...]]]]:
    """The ``wanted`` columns of table ``obj``: ``(all column names, {name:
    ("ok", type name, [chunk, ...]) | ("unreadable", message) |
    ("duplicate",)})`` for those it has; the name of its type when ``obj``
    is not a table."""
    pa = _require("pyarrow", "pandas", "ar.Book")
    table, failed, names = _table(pa, obj, wanted)
    if table is None:
        return type(obj).__name__
    out: Dict[str, Tuple[Any, ...]] = {}
    for name in dict.fromkeys(wanted):
        if name in failed:
            out[name] = failed[name]
            continue
        indices = table.schema.get_all_field_indices(name)
        if len(indices) > 1:
            out[name] = ("duplicate",)
        elif indices:
            column = table.column(indices[0])
            chunks = [_chunk(pa, c) for c in column.chunks]
            out[name] = ("ok", _type_name(column.type), chunks)
    return names, out


def _values(pa: Any, column: Any) -> List[Any]:
    """The values of a column as Python objects, with timestamps (no
    timezone, or UTC) at midnight as ``datetime.date``; a timestamp with a
    time of day stays a ``datetime``, which the native side refuses for a
    date, naming its row."""
    t = column.type
    if pa.types.is_date64(t):
        return list(column.cast(pa.date32()).to_pylist())
    if not (pa.types.is_timestamp(t) and (t.tz is None or t.tz in _UTC)):
        return list(column.to_pylist())
    pc = _require("pyarrow.compute", "pandas", "a table of receipts, items or customers")
    days = pc.cast(column, pa.date32(), safe=False)
    midnight = pc.equal(pc.cast(days, t), column).to_pylist()
    return [
        day if at_midnight else value
        for day, at_midnight, value in zip(days.to_pylist(), midnight, column.to_pylist())
    ]


def records(
    obj: object, wanted: Sequence[str]
) -> Union[str, Tuple[List[Dict[str, Any]], Dict[str, str]]]:
    """The rows of table ``obj`` (a ``pandas.DataFrame``, a ``pyarrow.Table``
    or ``RecordBatch``, or any object exporting an Arrow stream) as dicts of
    the ``wanted`` columns it has, with ``(rows, {column: why it cannot be
    read})``; the name of its type when ``obj`` is not a table. Values are
    what pyarrow gives (``str``, ``decimal.Decimal``, ``int``, ``bool``,
    ``None`` for a null, lists, dicts), with timestamps at midnight as
    ``datetime.date``; the native side checks them as it checks dicts."""
    pd = sys.modules.get("pandas")
    loaded = sys.modules.get("pyarrow")
    is_table = (
        (pd is not None and isinstance(obj, pd.DataFrame))
        or (loaded is not None and isinstance(obj, (loaded.Table, loaded.RecordBatch)))
        or hasattr(obj, "__arrow_c_stream__")
    )
    if not is_table:
        return type(obj).__name__
    pa = _require("pyarrow", "pandas", "a table of receipts, items or customers")
    table, failed, _ = _table(pa, obj, wanted)
    if table is None:
        return type(obj).__name__
    problems: Dict[str, str] = {}
    for name, why in failed.items():
        problems[name] = why[1] if why[0] == "unreadable" else "more than one column of that name"
    columns: Dict[str, List[Any]] = {}
    for name in dict.fromkeys(wanted):
        if name in failed:
            continue
        indices = table.schema.get_all_field_indices(name)
        if len(indices) > 1:
            problems[name] = "more than one column of that name"
        elif indices:
            columns[name] = _values(pa, table.column(indices[0]))
    names = list(columns)
    rows = [{name: columns[name][i] for name in names} for i in range(table.num_rows)]
    return rows, problems
