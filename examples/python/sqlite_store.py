"""An app that keeps its ledger's events in SQLite, one row per event, and
rebuilds the ledger from them: ``python examples/python/sqlite_store.py
[DB_FILE]`` (the Python twin of ``examples/src/sqlite.rs``).

- After each command the app stores the new events' log lines
  (``Ledger.log_lines``) in one transaction; ``seq`` is the primary key, so
  of two writers appending the same sequence number one is refused
  (optimistic concurrency): it reloads and decides its command again.
- On start it replays the rows one at a time (``Ledger.append_log_line``),
  each checked against the hash chain and the rules that made it.
- A crash between the command and the commit loses the command, never half
  of it: the rebuilt ledger is the last committed one.
"""

from __future__ import annotations

import datetime
import json
import os
import sqlite3
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Callable

import ar

Command = Callable[[ar.Ledger, datetime.datetime], object]


class Conflict(Exception):
    """Another writer appended first; reload and try again."""


class Store:
    """A writer: a connection and its ledger as last loaded."""

    def __init__(self, path: Path) -> None:
        # Transactions are opened explicitly (`BEGIN`), not by the module.
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, line TEXT NOT NULL)")
        self.ledger = ar.Ledger()
        self.reload()

    def reload(self) -> None:
        """Rebuilds the ledger from the stored rows, in order."""
        ledger = ar.Ledger()
        for (line,) in self.db.execute("SELECT line FROM events ORDER BY seq"):
            ledger.append_log_line(line)
        self.ledger = ledger

    def execute(self, command: Command, recorded: datetime.datetime) -> None:
        """Decides ``command`` against the ledger and stores its events; on a
        conflict the ledger is reloaded from the database."""
        stored = len(self.ledger)
        command(self.ledger, recorded)
        try:
            self.db.execute("BEGIN")
            for i, line in enumerate(self.ledger.log_lines(stored)):
                self.db.execute("INSERT INTO events (seq, line) VALUES (?, ?)", (stored + i + 1, line))
            self.db.execute("COMMIT")
        except sqlite3.IntegrityError as e:
            # The ledger in memory is ahead of the database: drop it.
            self.db.execute("ROLLBACK")
            self.reload()
            raise Conflict("another writer appended first") from e

    def close(self) -> None:
        self.db.close()


def receipt(id: str, amount: str) -> Command:
    def record(l: ar.Ledger, recorded: datetime.datetime) -> object:
        return l.record_receipt(id, "2026-03-10", Decimal(amount), "USD", customer="ACME", method="ach",
                                recorded=recorded)

    return record


def run(path: Path) -> Decimal:
    """The story of ``examples/src/sqlite.rs``; returns what ACME owes."""
    clock = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)

    def tick() -> datetime.datetime:
        nonlocal clock
        clock += datetime.timedelta(seconds=1)
        return clock

    a = Store(path)
    if len(a.ledger):
        raise SystemExit(f"sqlite_store: {path} is not empty; give a new file")
    a.execute(lambda l, t: l.register_customer("ACME", "Acme Corp", "USD", recorded=t), tick())
    a.execute(lambda l, t: l.issue_invoice("INV-1", "ACME", "2026-03-01",
                                           [ar.Line("Widgets", 10, Decimal("125.00"))], recorded=t), tick())

    # A second writer loads the same events; the first appends one more.
    b = Store(path)
    a.execute(receipt("R-1", "400.00"), tick())
    # The second, behind, decides its command on what it loaded: the
    # sequence number it appends is taken, so it is refused.
    try:
        b.execute(receipt("R-2", "100.00"), tick())
    except Conflict:
        print("second writer refused: another writer appended first")
    else:
        raise SystemExit("sqlite_store: expected a conflict")
    # Reloaded, it decides again and succeeds.
    b.execute(receipt("R-2", "100.00"), tick())

    # A crash between deciding and committing: the events are decided, one
    # row is written, and the transaction never commits.
    a.reload()
    reloaded = len(a.ledger)
    receipt("R-3", "50.00")(a.ledger, tick())
    a.db.execute("BEGIN")
    a.db.execute("INSERT INTO events (seq, line) VALUES (?, ?)", (reloaded + 1, a.ledger.log_lines(reloaded)[0]))
    a.close()  # the process dies here: rolled back

    restarted = Store(path)
    names = [f"{e.type} {e.subject}" for e in restarted.ledger.events()]
    print(f"events in {path}:")
    for n in names:
        print(f"  {n}")
    if any(n.endswith("R-3") for n in names):
        raise SystemExit("sqlite_store: a command that never committed came back")
    net = restarted.ledger.customer_balance("ACME")[0].net
    print(f"ACME owes {net} USD (1,250.00 invoiced, 400.00 + 100.00 received)")
    # The rebuilt ledger is the second writer's, event for event.
    b.reload()
    if restarted.ledger != b.ledger:
        raise SystemExit("sqlite_store: two rebuilds of the same rows differ")
    print(f"chain head {restarted.ledger.chain_head}")
    # Each row is the event's line as stored: its seq is the row's.
    seqs = [json.loads(line)["seq"] for (line,) in restarted.db.execute("SELECT line FROM events ORDER BY seq")]
    if seqs != list(range(1, len(names) + 1)):
        raise SystemExit(f"sqlite_store: rows out of order: {seqs}")
    b.close()
    restarted.close()
    return net


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.gettempdir()) / f"ar-events-{os.getpid()}.sqlite"
    try:
        run(path)
    except ar.ArError as e:
        raise SystemExit(f"sqlite_store: {e} ({e.code})") from e


if __name__ == "__main__":
    main()
