"""The main job on bundled sample data, through the Python binding: load
customers, invoices, credit memos and receipts from ``examples/data/``, apply
the receipts and credit memos, and print open items and customer balances.

Usage: ``python examples/python/demo.py [DATA_DIR] [AS_OF]``

The CSV files are plain: a header row, comma-separated fields, no quoting.
The report is byte-for-byte the one of the Rust demo
(``examples/src/main.rs``), checked against ``examples/expected/demo.txt``.
"""

from __future__ import annotations

import csv
import datetime
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Dict, List, Optional, Sequence, cast

import ar
from ar.typedefs import PaymentMethod

Row = Dict[str, str]

# Everything is recorded at the same instant, as in the Rust demo.
RECORDED = datetime.datetime(2026, 11, 23, tzinfo=datetime.timezone.utc)
DEFAULT_AS_OF = datetime.date(2026, 11, 23)
PLAIN_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class DataError(Exception):
    """A value in the sample data that is not what its column needs."""


def read_csv(directory: Path, name: str) -> List[Row]:
    """The rows of a plain CSV file as dicts keyed by the header."""
    with open(directory / name, newline="", encoding="utf-8") as f:
        reader = csv.reader(f, quoting=csv.QUOTE_NONE)
        rows = [r for r in reader if any(field.strip() for field in r)]
    if not rows:
        return []
    header, body = rows[0], rows[1:]
    return [dict(zip(header, r)) for r in body]


def field(row: Row, name: str) -> str:
    return row.get(name, "")


def opt(row: Row, name: str) -> Optional[str]:
    return field(row, name) or None


def dec(text: str, name: str) -> Decimal:
    """A plain decimal (``"1234.50"``, ``"-3"``); exponents, NaN and thousands
    separators are refused, like ``ar_core::parse_decimal``."""
    if not PLAIN_DECIMAL.fullmatch(text):
        raise DataError(f'invalid_decimal: {name}: "{text}" is not a decimal number')
    return Decimal(text)


def load(directory: Path) -> ar.Ledger:
    """Loads the sample book into a ledger."""
    ledger = ar.Ledger()

    for r in read_csv(directory, "customers.csv"):
        limit = opt(r, "credit_limit")
        dimensions = {dim: v for dim in ("region", "sales_rep") if (v := field(r, dim))}
        ledger.register_customer(
            field(r, "id"),
            field(r, "name"),
            field(r, "currency"),
            terms=ar.Terms.parse(field(r, "terms")),
            credit_limit=dec(limit, "credit_limit") if limit is not None else None,
            dimensions=dimensions,
            recorded=RECORDED,
        )

    # Invoice lines arrive one per row; rows of one invoice are consecutive.
    invoices: List[Row] = []
    lines: Dict[str, List[ar.Line]] = {}
    for r in read_csv(directory, "invoices.csv"):
        code = opt(r, "tax_code")
        taxes = [(code, dec(field(r, "tax_rate"), "tax_rate"))] if code is not None else []
        line = ar.Line(
            field(r, "description"),
            dec(field(r, "quantity"), "quantity"),
            dec(field(r, "unit_price"), "unit_price"),
            taxes=taxes,
        )
        id = field(r, "invoice")
        if not invoices or field(invoices[-1], "invoice") != id:
            invoices.append(r)
            lines[id] = []
        lines[id].append(line)
    for r in invoices:
        ledger.issue_invoice(
            field(r, "invoice"),
            field(r, "customer"),
            field(r, "date"),
            lines[field(r, "invoice")],
            tax_mode="inclusive" if field(r, "tax_mode") == "inclusive" else "exclusive",
            po_number=opt(r, "po_number"),
            recorded=RECORDED,
        )

    for r in read_csv(directory, "credit_memos.csv"):
        line_text, amount = opt(r, "line"), opt(r, "amount")
        if line_text is not None:
            if not line_text.isdigit():
                raise DataError(f'line: "{line_text}" is not a line number')
            quantity = opt(r, "quantity")
            ledger.issue_credit_memo(
                field(r, "id"),
                field(r, "customer"),
                field(r, "date"),
                against=opt(r, "against"),
                lines=[(int(line_text), dec(quantity, "quantity") if quantity else None)],
                reason=field(r, "reason"),
                recorded=RECORDED,
            )
        elif amount is not None:
            ledger.issue_credit_memo(
                field(r, "id"),
                field(r, "customer"),
                field(r, "date"),
                against=opt(r, "against"),
                amount=dec(amount, "amount"),
                reason=field(r, "reason"),
                recorded=RECORDED,
            )
        else:
            ledger.issue_credit_memo(
                field(r, "id"),
                field(r, "customer"),
                field(r, "date"),
                against=opt(r, "against"),
                whole=True,
                reason=field(r, "reason"),
                recorded=RECORDED,
            )

    for r in read_csv(directory, "receipts.csv"):
        ledger.record_receipt(
            field(r, "id"),
            field(r, "date"),
            dec(field(r, "amount"), "amount"),
            field(r, "currency"),
            customer=opt(r, "customer"),
            # Any text is passed on: ar refuses unknown methods (invalid_value).
            method=cast("PaymentMethod", field(r, "method")),
            reference=opt(r, "reference"),
            remittance=field(r, "remittance"),
            recorded=RECORDED,
        )

    for r in read_csv(directory, "applications.csv"):
        is_memo = field(r, "source_kind") == "credit_memo"
        receipt = None if is_memo else field(r, "source")
        credit_memo = field(r, "source") if is_memo else None
        if field(r, "invoice") == "FIFO":
            ledger.apply_fifo(
                field(r, "date"), receipt=receipt, credit_memo=credit_memo, recorded=RECORDED
            )
        else:
            discount = opt(r, "discount")
            ledger.apply(
                field(r, "invoice"),
                dec(field(r, "amount"), "amount"),
                field(r, "date"),
                receipt=receipt,
                credit_memo=credit_memo,
                discount=dec(discount, "discount") if discount is not None else None,
                recorded=RECORDED,
            )
    return ledger


def report(ledger: ar.Ledger, as_of: datetime.date) -> str:
    """The report, as text: the same bytes as the Rust and Node demos."""
    out: List[str] = []
    out.append(f"Open items as of {as_of}")
    out.append(f"{'kind':<15} {'id':<10} {'customer':<10} {'cur':<3} {'due':<10} {'open':>12}")
    for i in ledger.open_items(as_of=as_of):
        due = str(i.due_date) if i.due_date is not None else "-"
        customer = i.customer if i.customer is not None else "(unknown)"
        out.append(
            f"{i.kind:<15} {i.id:<10} {customer:<10} {i.currency:<3} {due:<10} {str(i.open):>12}"
        )
    out.append("")
    out.append(f"Customer balances as of {as_of}")
    out.append(
        f"{'customer':<10} {'cur':<3} {'invoices':>12} {'cash':>12} {'credits':>12} {'net':>12}"
    )
    for b in ledger.balances(as_of=as_of):
        customer = b.customer if b.customer is not None else "(unknown)"
        out.append(
            f"{customer:<10} {b.currency:<3} {str(b.invoices):>12} {str(b.unapplied_cash):>12} "
            f"{str(b.open_credits):>12} {str(b.net):>12}"
        )
    return "\n".join(out) + "\n"


def main(argv: Sequence[str]) -> int:
    directory = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "data"
    if len(argv) > 2:
        try:
            as_of = datetime.date.fromisoformat(argv[2])
        except ValueError:
            print("AS_OF must be a date, YYYY-MM-DD", file=sys.stderr)
            return 1
    else:
        as_of = DEFAULT_AS_OF
    try:
        ledger = load(directory)
    except ar.ArError as e:
        print(f"error: {e.code}: {e.message}", file=sys.stderr)
        return 1
    except (DataError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    sys.stdout.write(report(ledger, as_of))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
