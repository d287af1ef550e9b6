"""Statements of account of the sample book as one HTML document (a page
per customer, a print stylesheet for A4 and Letter), rendered by the core's
template engine: ``examples/statements_pdf.sh`` prints it to PDF.

Usage: ``python examples/python/statements.py OUT.html [START END]``
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

from ar.typedefs import CompanyDict
from demo import load

COMPANY: CompanyDict = {"name": "Widgets Ltd", "address": ["1 Main Street", "Springfield, IL 62701"]}


def main(argv: Sequence[str]) -> int:
    if len(argv) not in (1, 3):
        print(__doc__, file=sys.stderr)
        return 2
    start, end = (argv[1], argv[2]) if len(argv) == 3 else ("2026-08-01", "2026-11-23")
    ledger = load()
    html = ledger.render_statements(start, end, company=COMPANY)
    Path(argv[0]).write_text(html, encoding="utf-8")
    sections = html.count('<section class="statement">')
    print(f"{sections} statements -> {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
