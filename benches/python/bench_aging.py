"""Aging by customer + DSO + CEI over a generated book: ar's bulk path
against an idiomatic, vectorized pandas implementation (float64, as notebook
users write it), both starting from DataFrames already in memory, run in the
same process and checked to give the same figures to the cent.

    python benches/python/bench_aging.py [INVOICES] [--repeat N] [--shape first|second]

The book comes from the Rust generator (`cargo run --release -p ar-benches
--bin export`), written once into target/bench-data/INVOICES/. The second
shape is the same book as another system exports it: a currency column on
every invoice (two currencies, by customer), credit memos among the
settlements with a text `kind` (every fifth settlement), text columns held
as Python strings (pandas' object dtype), and the aging by customer and
currency, DSO and CEI per currency.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
import pyarrow as pa

import ar

ROOT = Path(__file__).resolve().parents[2]
BOUNDS = [0, 30, 60, 90, 120]
LABELS = ["current", "1-30", "31-60", "61-90", "91-120", "over 120"]
AS_OF = date(2026, 10, 31)
START, END = date(2026, 8, 1), date(2026, 10, 31)


def book_dir(n: int) -> Path:
    d = ROOT / "target" / "bench-data" / str(n)
    if not (d / "invoices.csv").exists():
        subprocess.run(
            ["cargo", "run", "--release", "-q", "-p", "ar-benches", "--bin", "export", "--", str(d), str(n)],
            cwd=ROOT,
            check=True,
        )
    return d


def load(d: Path) -> dict[str, pd.DataFrame]:
    """The tables as a notebook would hold them: dates as datetime64; amounts
    as float64 for pandas, as Arrow decimal128 for ar (loading is not timed)."""
    out: dict[str, pd.DataFrame] = {}
    for name, dates in [("invoices", ["date", "due_date"]), ("settlements", ["date"]), ("credits", ["date"])]:
        df = pd.read_csv(d / f"{name}.csv", parse_dates=dates, dtype={"amount": str})
        out[name + "_float"] = df.assign(amount=df["amount"].astype("float64"))
        amounts = pa.array([Decimal(a) for a in df["amount"]], type=pa.decimal128(18, 2))
        out[name] = df.assign(amount=pd.arrays.ArrowExtensionArray(amounts))
    return out


def open_invoices(inv: pd.DataFrame, stl: pd.DataFrame, day: date) -> pd.DataFrame:
    """The invoices issued by `day` with what the settlements by then left
    open of each (`open`)."""
    ts = pd.Timestamp(day)
    settled = stl.loc[stl["date"] <= ts].groupby("invoice")["amount"].sum()
    live = inv.loc[inv["date"] <= ts]
    return live.assign(open=live["amount"] - live["id"].map(settled).fillna(0.0))


def second_shape(t: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The book reshaped as described at the top (building it is not timed)."""
    out: dict[str, pd.DataFrame] = {}
    inv, stl = t["invoices"], t["settlements"]
    # Every third customer bills in EUR: a currency column of Python strings.
    eur = inv["customer"].str[-1].isin(["0", "3", "6", "9"])
    currency = pd.Series(np.where(eur, "EUR", "USD"), index=inv.index, dtype=object)
    kind = pd.Series(np.where(np.arange(len(stl)) % 5 == 4, "credit", "payment"), index=stl.index, dtype=object)
    for suffix in ["", "_float"]:
        out["invoices" + suffix] = t["invoices" + suffix].assign(currency=currency)
        out["settlements" + suffix] = t["settlements" + suffix].assign(kind=kind)
    return out


def pandas_second(t: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Aging by customer and currency, DSO and CEI per currency, in pandas."""
    inv, stl = t["invoices_float"], t["settlements_float"]

    def open_at(day: date) -> pd.DataFrame:
        # Payments and credit memos alike reduce what is open.
        return open_invoices(inv, stl, day)

    o = open_at(AS_OF)
    o = o.loc[o["open"].round(2) != 0]
    days = (pd.Timestamp(AS_OF) - o["due_date"]).dt.days
    bucket = pd.cut(days, [-np.inf, *BOUNDS, np.inf], labels=LABELS)
    aging = o.groupby(["customer", "currency", bucket], observed=False)["open"].sum().unstack(fill_value=0.0)
    aging = aging.loc[aging.sum(axis=1).round(2) != 0]
    begin, end = open_at(START - timedelta(days=1)), open_at(END)
    in_period = (inv["date"] >= pd.Timestamp(START)) & (inv["date"] <= pd.Timestamp(END))
    days_in_period = (END - START).days + 1
    metrics = {}
    for cur in ["EUR", "USD"]:
        ar_begin = begin.loc[begin["currency"] == cur, "open"].sum()
        e = end.loc[end["currency"] == cur]
        ar_end = e["open"].sum()
        current = e.loc[e["due_date"] >= pd.Timestamp(END), "open"].sum()
        sales = inv.loc[in_period & (inv["currency"] == cur), "amount"].sum()
        metrics[cur] = {
            "dso": ar_end / sales * days_in_period,
            "cei": (ar_begin + sales - ar_end) / (ar_begin + sales - current) * 100,
            "ar_end": ar_end,
        }
    return {"aging": aging, "metrics": metrics}


def ar_second(t: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """The same report through ar's bulk path, from the same DataFrames."""
    book = ar.Book(t["invoices"], t["settlements"])
    aging = book.aging(AS_OF, group_by=("customer",))
    metrics = {m.currency: m for m in book.metrics(START, END)}
    return {"aging": aging, "metrics": metrics}


def check_second(p: dict[str, Any], a: dict[str, Any]) -> None:
    """Same figures to the cent: every bucket of every customer and currency,
    AR, DSO and CEI of each currency."""
    rows = {(r.group[0], r.currency): r for r in a["aging"].rows}
    assert len(rows) == len(p["aging"]), (len(rows), len(p["aging"]))
    for (customer, currency), prow in p["aging"].iterrows():
        arow = rows[(customer, currency)]
        for label, amount in zip(LABELS, arow.buckets):
            assert Decimal(f"{prow[label]:.2f}") == amount, (customer, currency, label, prow[label], amount)
    assert sorted(a["metrics"]) == ["EUR", "USD"]
    for cur, pm in p["metrics"].items():
        am = a["metrics"][cur]
        assert Decimal(f"{pm['ar_end']:.2f}") == am.ar_end, cur
        assert round(Decimal(pm["dso"]), 6) == round(am.dso_period_end, 6), (cur, pm["dso"], am.dso_period_end)
        assert round(Decimal(pm["cei"]), 6) == round(am.cei, 6), (cur, pm["cei"], am.cei)


def pandas_report(t: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Aging by customer as of AS_OF, DSO and CEI for START..END, in pandas."""
    inv, stl, cred = t["invoices_float"], t["settlements_float"], t["credits_float"]

    def open_at(day: date) -> pd.DataFrame:
        return open_invoices(inv, stl, day)

    o = open_at(AS_OF)
    o = o.loc[o["open"].round(2) != 0]
    days = (pd.Timestamp(AS_OF) - o["due_date"]).dt.days
    bucket = pd.cut(days, [-np.inf, *BOUNDS, np.inf], labels=LABELS)
    aging = o.groupby(["customer", bucket], observed=False)["open"].sum().unstack(fill_value=0.0)
    credits = cred.loc[cred["date"] <= pd.Timestamp(AS_OF)].groupby("customer")["amount"].sum()
    aging = aging.reindex(aging.index.union(credits.index), fill_value=0.0)
    aging["open_credits"] = credits.reindex(aging.index, fill_value=0.0)

    begin, end = open_at(START - timedelta(days=1)), open_at(END)
    ar_begin, ar_end = begin["open"].sum(), end["open"].sum()
    current = end.loc[end["due_date"] >= pd.Timestamp(END), "open"].sum()
    in_period = (inv["date"] >= pd.Timestamp(START)) & (inv["date"] <= pd.Timestamp(END))
    sales = inv.loc[in_period, "amount"].sum()
    days_in_period = (END - START).days + 1
    return {
        "aging": aging,
        "dso": ar_end / sales * days_in_period,
        "cei": (ar_begin + sales - ar_end) / (ar_begin + sales - current) * 100,
        "ar_end": ar_end,
    }


def ar_report(t: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """The same report through ar's bulk path, from the same DataFrames."""
    book = ar.Book(t["invoices"], t["settlements"], open_credits=t["credits"], currency="USD")
    aging = book.aging(AS_OF, group_by=("customer",))
    metrics = book.metrics(START, END)[0]
    return {"aging": aging, "dso": metrics.dso_period_end, "cei": metrics.cei, "ar_end": metrics.ar_end}


def check_same(p: dict[str, Any], a: dict[str, Any]) -> None:
    """Same figures to the cent: every bucket of every customer, AR, DSO, CEI."""
    rows = {r.group[0]: r for r in a["aging"].rows}
    assert len(rows) == len(p["aging"]), (len(rows), len(p["aging"]))
    for customer, prow in p["aging"].iterrows():
        arow = rows[customer]
        for label, amount in zip(LABELS, arow.buckets):
            assert Decimal(f"{prow[label]:.2f}") == amount, (customer, label, prow[label], amount)
        assert Decimal(f"{prow['open_credits']:.2f}") == arow.open_credits, customer
    assert Decimal(f"{p['ar_end']:.2f}") == a["ar_end"]
    assert round(Decimal(p["dso"]), 6) == round(a["dso"], 6), (p["dso"], a["dso"])
    assert round(Decimal(p["cei"]), 6) == round(a["cei"], 6), (p["cei"], a["cei"])


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """The best time of `repeat` runs, the first run's time, and the output."""
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), times[0], out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("invoices", nargs="?", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shape", choices=["first", "second"], default="first")
    args = parser.parse_args()
    tables = load(book_dir(args.invoices))
    if args.shape == "second":
        tables = second_shape(tables)
        t_pandas, first_pandas, p = best(lambda: pandas_second(tables), args.repeat)
        t_ar, first_ar, a = best(lambda: ar_second(tables), args.repeat)
        check_second(p, a)
    else:
        t_pandas, first_pandas, p = best(lambda: pandas_report(tables), args.repeat)
        t_ar, first_ar, a = best(lambda: ar_report(tables), args.repeat)
        check_same(p, a)
    shape = "" if args.shape == "first" else " (second shape: currencies, credit memos, text columns)"
    print(f"{args.invoices} invoices, aging by customer + DSO + CEI, from DataFrames in memory{shape}")
    print(f"  pandas (float64): {t_pandas * 1000:9.1f} ms")
    print(f"  ar bulk path:     {t_ar * 1000:9.1f} ms   ({t_pandas / t_ar:.1f}x faster, same figures to the cent)")
    # The best of the runs above; a first run also touches fresh memory.
    print(
        f"  first runs:       {first_pandas * 1000:9.1f} ms vs {first_ar * 1000:.1f} ms"
        f"   ({first_pandas / first_ar:.1f}x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
