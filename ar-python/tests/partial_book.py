"""A generated book shaped like the benchmarks' (``benches/src/lib.rs``):
one customer per 100 invoices over two years ending 2026-10-31, four
regions, customers who pay early, late, in part or not at all, partial
credit memos left open; plus every seventh invoice in EUR (so customers and
regions have groups in two currencies), settlements of every kind and some
unapplied cash, a few from payers not yet identified. As pyarrow Tables,
and split into parts as a distributed engine holds them."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Dict, List, Sequence

import pyarrow as pa  # type: ignore[import-untyped, import-not-found, unused-ignore]
import pyarrow.compute as pc  # type: ignore[import-untyped, import-not-found, unused-ignore]

import ar

AS_OF = date(2026, 10, 31)
START = date(2026, 8, 1)
REGIONS = ["EMEA", "AMER", "APAC", "LATAM"]
KINDS = ["payment", "payment", "payment", "credit", "discount", "write_off"]
DEC = pa.decimal128(18, 2)

Tables = Dict[str, Any]


def generate(invoices: int, seed: int = 42) -> Tables:
    """The tables ``invoices``, ``settlements``, ``open_credits``,
    ``unapplied_cash`` and ``customers`` (with a ``region`` dimension)."""
    rng = random.Random(seed)
    start = date(2024, 11, 1)
    span = (AS_OF - start).days
    n_customers = max(invoices // 100, 1)
    region = [rng.choice(REGIONS) for _ in range(n_customers)]
    # Days after due paid (from `early` on, over `spread`), percent paid in full.
    habits = [(rng.randrange(20) - 10, 1 + rng.randrange(40), 80 + rng.randrange(20)) for _ in range(n_customers)]
    dates = sorted(rng.randrange(span) for _ in range(invoices))
    inv: Dict[str, List[Any]] = {k: [] for k in ["id", "customer", "currency", "date", "due_date", "amount", "region"]}
    stl: Dict[str, List[Any]] = {k: [] for k in ["invoice", "date", "amount", "kind"]}
    cred: Dict[str, List[Any]] = {k: [] for k in ["id", "customer", "currency", "date", "amount"]}
    for n, offset in enumerate(dates):
        c = rng.randrange(n_customers)
        day = start + timedelta(days=offset)
        due = day + timedelta(days=rng.choice([30, 45, 60]))
        total = Decimal(rng.randrange(500, 2_000_000)) / 100
        currency = "EUR" if n % 7 == 3 else "USD"
        iid = f"INV{n:08}"
        for key, value in [
            ("id", iid),
            ("customer", f"C{c:06}"),
            ("currency", currency),
            ("date", day),
            ("due_date", due),
            ("amount", total),
            ("region", region[c]),
        ]:
            inv[key].append(value)
        if rng.randrange(100) < 3 and day + timedelta(days=5) <= AS_OF:
            for key, value in [
                ("id", f"CM{n:08}"),
                ("customer", f"C{c:06}"),
                ("currency", currency),
                ("date", day + timedelta(days=5)),
                ("amount", (total / 10).quantize(Decimal("0.01"))),
            ]:
                cred[key].append(value)
        early, spread, full = habits[c]
        paid = due + timedelta(days=early + rng.randrange(spread))
        if paid > AS_OF:
            continue
        if rng.randrange(100) < full:
            amount = total
        elif rng.randrange(100) < 70:
            amount = (total / 2).quantize(Decimal("0.01"))
        else:
            continue
        for key, value in [("invoice", iid), ("date", max(paid, day)), ("amount", amount), ("kind", rng.choice(KINDS))]:
            stl[key].append(value)
    cash: Dict[str, List[Any]] = {
        "id": [f"R{i}" for i in range(40)],
        # Every fifth from a payer not yet identified.
        "customer": ["" if i % 5 == 0 else f"C{i % 13:06}" for i in range(40)],
        "currency": ["EUR" if i % 3 == 0 else "USD" for i in range(40)],
        "date": [date(2026, 1, 1) + timedelta(days=7 * i) for i in range(40)],
        "amount": [Decimal(1000 + 37 * i) / 100 for i in range(40)],
    }

    def table(columns: Dict[str, List[Any]]) -> Any:
        types = {"date": pa.date32(), "due_date": pa.date32(), "amount": DEC}
        return pa.table({k: pa.array(v, types.get(k, pa.string())) for k, v in columns.items()})

    return {
        "invoices": table(inv),
        "settlements": table(stl),
        "open_credits": table(cred),
        "unapplied_cash": table(cash),
        "customers": pa.table({"id": [f"C{c:06}" for c in range(n_customers)], "region": region}),
    }


def book(t: Tables) -> ar.Book:
    """The whole book in one process."""
    return ar.Book(
        t["invoices"],
        t["settlements"],
        open_credits=t["open_credits"],
        unapplied_cash=t["unapplied_cash"],
        customers=t["customers"],
        dimensions=["region"],
        customer_dimensions=["region"],
    )


def split(t: Tables, k: int, seed: int) -> List[Tables]:
    """``k`` parts: each invoice in a random part with its settlements,
    open items anywhere, the rows of each part in random order; the
    customers table whole in each."""
    rng = random.Random(seed)
    ids = t["invoices"].column("id").to_pylist()
    part_of = {i: rng.randrange(k) for i in ids}
    rows: Dict[str, List[List[int]]] = {name: [[] for _ in range(k)] for name in t if name != "customers"}
    for r, i in enumerate(ids):
        rows["invoices"][part_of[i]].append(r)
    for r, i in enumerate(t["settlements"].column("invoice").to_pylist()):
        rows["settlements"][part_of[i]].append(r)
    for name in ["open_credits", "unapplied_cash"]:
        for r in range(t[name].num_rows):
            rows[name][rng.randrange(k)].append(r)
    parts = []
    for p in range(k):
        part: Tables = {"customers": t["customers"]}
        for name, by_part in rows.items():
            order = by_part[p]
            rng.shuffle(order)
            part[name] = t[name].take(pa.array(order, pa.int64()))
        parts.append(part)
    return parts


def merge(partials: Sequence[Any]) -> Any:
    """Partial tables merged as an engine merges them: grouped by currency,
    group and field, ``sum`` added up and the least ``min`` kept."""
    whole = pa.concat_tables(partials)
    m = whole.group_by(["currency", "group", "field"]).aggregate([("sum", "sum"), ("min", "min")])
    names = {"currency": "currency", "group": "group", "field": "field", "sum": "sum_sum", "min": "min_min"}
    return pa.table({name: m.column(column) for name, column in names.items()})


def sorted_rows(rows: Sequence[Any]) -> List[Any]:
    """Report rows by currency then group, the order of a finished partial."""
    return sorted(rows, key=lambda r: (r.currency, list(r.group)))


def column_count(table: Any, field: str) -> int:
    """Lines of a partial table with ``field``."""
    return int(pc.sum(pc.equal(table.column("field"), field)).as_py() or 0)
