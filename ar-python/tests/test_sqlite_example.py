"""``examples/python/sqlite_store.py`` runs: optimistic concurrency refuses
the second writer, a crash before commit loses the whole command, and the
ledger rebuilt from the rows is the committed one (ACME owes 750.00:
1,250.00 invoiced, 400.00 + 100.00 received)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import ar

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "python" / "sqlite_store.py"


def run(db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(EXAMPLE), str(db)], capture_output=True, text=True,
                          check=False, timeout=120)


def test_the_sqlite_example_keeps_the_committed_ledger(tmp_path: Path) -> None:
    db = tmp_path / "events.sqlite"
    out = run(db)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "second writer refused" in out.stdout
    assert "ACME owes 750.00 USD" in out.stdout
    assert "R-3" not in out.stdout
    # The rows rebuild the ledger here too: 4 events, R-1 and R-2 kept.
    conn = sqlite3.connect(db)
    rows = [line for (line,) in conn.execute("SELECT line FROM events ORDER BY seq")]
    ledger = ar.Ledger()
    for line in rows:
        ledger.append_log_line(line)
    assert [e.subject for e in ledger.events()] == ["ACME", "INV-1", "R-1", "R-2"]
    assert ledger.customer_balance("ACME")[0].net == Decimal("750.00")
    assert f"chain head {ledger.chain_head}" in out.stdout
    # Run again on the same file: it is not empty, and the example says so
    # rather than appending to someone else's log.
    again = run(db)
    assert again.returncode != 0 and "is not empty" in again.stderr
    # An edited row is refused when the ledger is rebuilt.
    conn.execute("UPDATE events SET line = replace(line, '\"400.00\"', '\"4000.00\"') WHERE seq = 3")
    conn.commit()
    edited = [line for (line,) in conn.execute("SELECT line FROM events ORDER BY seq")]
    conn.close()
    assert edited[2] != rows[2]
    copy = ar.Ledger()
    for line in edited[:2]:
        copy.append_log_line(line)
    with pytest.raises(ar.LogError) as e:
        copy.append_log_line(edited[2])
    assert e.value.code == "corrupt_log" and len(copy) == 2
