"""The main job on bundled sample data, through the Python binding: read the
sample book (customers, invoices, credit memos, receipts and their
applications, in the tables layout ``Ledger.from_tables`` takes), then
print its open items, balances, aging, DSO and CEI, and what the matcher
proposes for the cash not yet applied.

Usage: ``python examples/python/demo.py [DATA_DIR] [AS_OF]`` (default
``examples/data/sample`` and the book's last day). The report is byte for
byte the one of the Rust demo (``examples/src/main.rs``), checked against
``examples/expected/demo.txt``.
"""

from __future__ import annotations

import datetime
import sys
from decimal import Decimal
from pathlib import Path
from typing import Optional, Sequence

import pandas as pd

import ar

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
RECORDED = datetime.datetime(2026, 11, 23, tzinfo=datetime.timezone.utc)
USAGE = """usage: demo.py [DATA_DIR] [AS_OF]

Reads the book in DATA_DIR (customers.csv, invoices.csv, and optionally
credit_memos.csv, receipts.csv, applications.csv; default
examples/data/sample) and prints its open items, balances, aging, DSO and
CEI, and cash-application proposals as of AS_OF (YYYY-MM-DD; default: the
book's last day)."""


def load(directory: Path = SAMPLE) -> ar.Ledger:
    """The ledger of the book in ``directory``."""

    def table(name: str) -> Optional[pd.DataFrame]:
        path = directory / f"{name}.csv"
        # Every column as text, so amounts stay exact; an empty cell is missing.
        return pd.read_csv(path, dtype=str) if path.exists() else None

    customers, invoices = table("customers"), table("invoices")
    if customers is None or invoices is None:
        raise FileNotFoundError(f"{directory}: customers.csv and invoices.csv are required")
    dimensions = [c for c in customers.columns if c not in ("id", "name", "currency", "terms")]
    return ar.Ledger.from_tables(
        customers, invoices, receipts=table("receipts"), applications=table("applications"),
        credit_memos=table("credit_memos"), customer_dimensions=dimensions, recorded=RECORDED,
    )


def figure(value: Optional[Decimal]) -> str:
    """A ratio to two places, half to even, or ``-``."""
    return "-" if value is None else str(ar.round_amount(value, "USD", "half_even"))


def report(ledger: ar.Ledger, as_of: datetime.date) -> str:
    lines = [f"Open items as of {as_of}",
             f"{'kind':<15} {'id':<10} {'customer':<10} {'cur':<3} {'due':<10} {'open':>12}"]
    for i in ledger.open_items(as_of=as_of):
        due = str(i.due_date) if i.due_date else "-"
        lines.append(f"{i.kind:<15} {i.id:<10} {i.customer or '(unknown)':<10} {i.currency:<3} {due:<10} {i.open!s:>12}")
    lines += ["", f"Customer balances as of {as_of}",
              f"{'customer':<10} {'cur':<3} {'invoices':>12} {'cash':>12} {'credits':>12} {'net':>12}"]
    for b in ledger.balances(as_of=as_of):
        lines.append(f"{b.customer or '(unknown)':<10} {b.currency:<3} {b.invoices!s:>12} "
                     f"{b.unapplied_cash!s:>12} {b.open_credits!s:>12} {b.net!s:>12}")

    aging = ledger.aging(as_of)
    lines += ["", f"Aging by days past due as of {as_of}",
              f"{'customer':<10} {'cur':<3}" + "".join(f" {label:>10}" for label in aging.labels) + f" {'total':>10}"]
    for r in [*aging.rows, *aging.totals]:
        name = r.group[0] if r.group else "(all)"
        lines.append(f"{name:<10} {r.currency:<3}" + "".join(f" {b!s:>10}" for b in r.buckets) + f" {r.total!s:>10}")

    month = as_of.replace(day=1)
    start = (month - datetime.timedelta(days=1)).replace(day=1)
    lines += ["", f"DSO and CEI from {start} to {as_of}",
              f"{'cur':<3} {'sales':>12} {'AR at end':>12} {'DSO':>10} {'CEI %':>10}"]
    for m in ledger.metrics(start, as_of):
        lines.append(f"{m.currency:<3} {m.credit_sales!s:>12} {m.ar_end!s:>12} "
                     f"{figure(m.dso_period_end):>10} {figure(m.cei):>10}")

    batch = ledger.match_receipts(as_of=as_of)
    lines += ["", f"Cash application: unapplied receipts as of {as_of}"]
    for match in batch.matches:
        best = match.proposals[0] if match.proposals else None
        target = ", ".join(f"{a.invoice} {a.amount}" for a in best.applications) if best else "-"
        lines.append(f"{match.receipt:<8} {match.status:<10} {target}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str]) -> int:
    if any(a in ("--help", "-h") for a in argv):
        print(USAGE)
        return 0
    directory = Path(argv[0]) if argv else SAMPLE
    try:
        ledger = load(directory)
    except (OSError, ar.ArError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if len(argv) > 1:
        try:
            as_of = datetime.date.fromisoformat(argv[1])
        except ValueError:
            print(f"error: AS_OF must be a date, YYYY-MM-DD\n\n{USAGE}", file=sys.stderr)
            return 2
    else:
        as_of = max(e.effective for e in ledger.events())
    sys.stdout.write(report(ledger, as_of))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
