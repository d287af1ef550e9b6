"""Result records: frozen dataclasses built from the core's serialized results.

The native module serializes a core result (``serde``: decimals as exact
text, dates and timestamps as ISO text) and hands it to :func:`build_json`
with the name of its record class. A record class is declared once, here or
in a capability's module, as a frozen dataclass whose annotations say how
each field is read:

- ``Decimal`` from the exact text (never a float; ``-0`` as ``0``);
- ``datetime.date`` and (timezone-aware) ``datetime.datetime`` from ISO text;
- ``str``, ``int`` (not ``bool``), ``bool``;
- ``list[T]``, ``dict[str, T]``, ``T | None`` and ``Literal[...]`` (enum
  names, also as a union of one-name ``Literal``s, the form of
  ``ar.typedefs``), and other records, nested to any depth.

A result must have exactly the fields its record declares: a field the core
added without the record (or the reverse) is an ``ar.InternalError`` naming
it, so the binding's tests fail rather than drop it. A field the core leaves
out when it is empty (``skip_serializing_if``) is declared with its default
(``= None``, ``= ""``, ``= field(default_factory=list)``), which it takes when
absent; a record declared with ``omits_none = True`` (a ``ClassVar``) reads
any ``T | None`` field the core leaves out as ``None``. Other fields must be
present. Each record has
``to_dict()`` (nested records as dicts), a readable ``repr`` and equality
by value; like the native classes it has no public constructor and no hash.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import sys
import types
import typing
from decimal import Decimal
from typing import Any, Callable, Dict, Generic, List, Optional, Tuple, Type, TypeVar

from ar import _ar
from ar._ar import InternalError, ValidationError

D = TypeVar("D")
R = TypeVar("R", bound="Record[Any]")

# (value, where) -> the field's Python value. `where` is where the value is,
# as nested (parent, key) pairs, made into text only for an error.
Reader = Callable[[Any, Any], Any]
# A field's default when the core leaves it out, or None when it must be
# present.
Default = Optional[Callable[[], Any]]

_RECORDS: Dict[str, type] = {}
# The globals each record's annotations are resolved in (its own module's:
# its `__module__` says "ar", where it is exported).
_GLOBALS: Dict[type, Dict[str, Any]] = {}
_PLANS: Dict[type, Tuple[Tuple[str, Reader, Default], ...]] = {}
# The `T | None` fields of each record, by name.
_OPTIONAL: Dict[type, frozenset[str]] = {}


class Record(Generic[D]):
    """Base of the result records; ``D`` is the type of ``to_dict()``."""

    __slots__ = ()

    def to_dict(self) -> D:
        """The fields as a dict (nested records, and lists of them, as dicts)."""
        return typing.cast(D, {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)})  # type: ignore[arg-type]


def record(cls: Type[R]) -> Type[R]:
    """Registers the dataclass ``cls`` (declared with ``@dataclass(frozen=True,
    init=False, slots=True)``) as the record of the core result of its name,
    and publishes it in ``ar._ar`` beside the native classes (``ar`` exports
    what ``ar._ar`` does)."""
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} is not a dataclass")
    # Like the native classes: compared by value, never hashed.
    cls.__hash__ = None
    _GLOBALS[cls] = vars(sys.modules[cls.__module__])
    cls.__module__ = "ar"
    _RECORDS[cls.__name__] = cls
    setattr(_ar, cls.__name__, cls)
    if cls.__name__ not in _ar.__all__:
        _ar.__all__.append(cls.__name__)
    return cls


def records() -> Dict[str, type]:
    """Every registered record class, by name."""
    return dict(_RECORDS)


def build_json(name: str, text: str) -> Any:
    """The record ``name`` from the core's JSON ``text``, or a list of them
    from a list (the native module's entry point)."""
    cls = _RECORDS.get(name)
    if cls is None:
        raise InternalError(f"internal error: no record class {name!r}", "internal")
    data = json.loads(text)
    if isinstance(data, list):
        return [build(cls, item, (None, i)) for i, item in enumerate(data)]
    return build(cls, data)


def build(cls: Type[R], data: Any, path: Any = None) -> R:
    """A ``cls`` from the plain data of its serialized form."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _plan(cls)
    if not isinstance(data, dict):
        _unfit(path, f"an object for {cls.__name__}", data)
    if getattr(cls, "omits_none", False):
        absent = _OPTIONAL[cls].difference(data)
        if absent:
            data = dict(data, **dict.fromkeys(absent))
    if len(data) != len(plan) or any(name not in data for name, _, _ in plan):
        extra = sorted(set(data) - {name for name, _, _ in plan})
        missing = [n for n, _, default in plan if n not in data and default is None]
        if extra or missing:
            raise InternalError(
                f"internal error: {_where(path) or cls.__name__}: the core's {cls.__name__} does not match "
                f"the record (fields not declared: {extra}; declared but absent: {missing})",
                "internal",
            )
    obj = object.__new__(cls)
    for name, read, default in plan:
        if name in data:
            object.__setattr__(obj, name, read(data[name], (path, name)))
        elif default is not None:
            object.__setattr__(obj, name, default())
    return obj


def _where(path: Any) -> str:
    parts: List[str] = []
    while path is not None:
        path, key = path
        parts.append(f"[{key!r}]" if isinstance(key, int) else f".{key}")
    return "".join(reversed(parts)).lstrip(".")


def _unfit(path: Any, expected: str, value: Any) -> typing.NoReturn:
    raise InternalError(
        f"internal error: {_where(path)}: the core's result has {type(value).__name__} where {expected} "
        "was declared",
        "internal",
    )


def _plan(cls: type) -> Tuple[Tuple[str, Reader, Default], ...]:
    hints = typing.get_type_hints(cls, globalns=_GLOBALS.get(cls))
    _OPTIONAL[cls] = frozenset(
        f.name
        for f in dataclasses.fields(cls)
        if typing.get_origin(hints[f.name]) in (typing.Union, types.UnionType)
        and type(None) in typing.get_args(hints[f.name])
    )
    return tuple((f.name, _reader(hints[f.name]), _default(f)) for f in dataclasses.fields(cls))


def _default(f: dataclasses.Field[Any]) -> Default:
    if f.default is not dataclasses.MISSING:
        value = f.default
        return lambda: value
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory
    return None


def _decimal(v: Any, path: Any) -> Decimal:
    if type(v) is not str:
        _unfit(path, "decimal text", v)
    d = Decimal(v)
    return d.copy_abs() if d.is_zero() else d


def _date(v: Any, path: Any) -> datetime.date:
    if type(v) is not str:
        _unfit(path, "a date", v)
    if v[:1] in ("+", "-"):
        # The core's dates run past Python's (a forecast as of 9999-12-31
        # expects cash in the year 10000): a typed error, not a ValueError.
        raise ValidationError(
            f"{_where(path)}: the result's date {v} is outside 0001-01-01 to 9999-12-31, "
            "the dates a datetime.date holds",
            "invalid_date",
        )
    return datetime.date.fromisoformat(v)


def _datetime(v: Any, path: Any) -> datetime.datetime:
    if type(v) is not str:
        _unfit(path, "a timestamp", v)
    return datetime.datetime.fromisoformat(v)


def _exact(kind: type) -> Reader:
    def read(v: Any, path: Any) -> Any:
        if type(v) is not kind:
            _unfit(path, kind.__name__, v)
        return v

    return read


def _reader(tp: Any) -> Reader:
    """How a value of the annotation ``tp`` is read."""
    if tp is Decimal:
        return _decimal
    if tp is datetime.date:
        return _date
    if tp is datetime.datetime:
        return _datetime
    if tp in (str, int, bool):
        return _exact(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is list:
        item = _reader(args[0])

        def items(v: Any, path: Any) -> List[Any]:
            if type(v) is not list:
                _unfit(path, "a list", v)
            return [item(x, (path, i)) for i, x in enumerate(v)]

        return items
    if origin is dict:
        value = _reader(args[1])

        def entries(v: Any, path: Any) -> Dict[str, Any]:
            if type(v) is not dict:
                _unfit(path, "a dict", v)
            return {k: value(x, (path, k)) for k, x in v.items()}

        return entries
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        # The enums of `ar.typedefs` are unions of one-name `Literal`s, which
        # an `Optional` flattens into its own union.
        if len(rest) > 1 and all(typing.get_origin(a) is typing.Literal for a in rest):
            enum = _reader(typing.Literal[tuple(n for a in rest for n in typing.get_args(a))])
            if len(rest) == len(args):
                return enum
            return lambda v, path: None if v is None else enum(v, path)
        if len(rest) != 1 or len(args) != 2:
            raise TypeError(f"{tp}: only `T | None` unions are records' fields")
        inner = _reader(rest[0])
        return lambda v, path: None if v is None else inner(v, path)
    if origin is typing.Literal:
        names = frozenset(args)

        def name(v: Any, path: Any) -> Any:
            if v not in names:
                _unfit(path, f"one of {sorted(names)}", v)
            return v

        return name
    if isinstance(tp, type) and issubclass(tp, Record):
        record_type: Type[Record[Any]] = tp
        return lambda v, path: build(record_type, v, path)
    raise TypeError(f"{tp!r} is not a type a record field can have")


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
