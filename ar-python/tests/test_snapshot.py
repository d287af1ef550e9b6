"""Snapshots: ``Ledger.snapshot`` and ``Ledger.restore`` give back the
ledger the whole log gives, with the log lines written after the snapshot;
a damaged or edited snapshot is refused."""

from __future__ import annotations

import struct
from decimal import Decimal

import pytest

import ar


def book() -> ar.Ledger:
    l = ar.Ledger()
    l.register_customer("ACME", "Acme", "USD")
    l.issue_invoice("INV-1", "ACME", "2026-03-01", [ar.Line("x", 1, Decimal("1000.00"))], terms="net 30")
    l.record_receipt("R-1", "2026-03-10", Decimal("250.00"), "USD", customer="ACME")
    l.apply("INV-1", Decimal("250.00"), "2026-03-10", receipt="R-1", idempotency_key="k-1")
    return l


def test_restore_gives_the_ledger_with_its_tail() -> None:
    l = book()
    snap = l.snapshot()
    assert isinstance(snap, bytes) and snap.startswith(b"ar-snap\n")
    info = ar.Ledger.snapshot_info(snap)
    assert (info.version, info.log_version, info.events) == (1, 2, 4)
    assert info.chain_head == l.chain_head
    assert info.to_dict()["events"] == 4
    assert ar.Ledger.restore(snap) == l
    # Commands after the snapshot, stored as log lines.
    l.record_receipt("R-2", "2026-03-20", Decimal("750.00"), "USD", customer="ACME")
    l.apply("INV-1", Decimal("750.00"), "2026-03-20", receipt="R-2")
    tail = l.log_lines(info.events)
    assert len(tail) == 2
    restored = ar.Ledger.restore(snap, tail)
    assert restored == l == ar.Ledger.from_json(l.to_json())
    assert restored.chain_head == l.chain_head
    assert restored.customer_balance("ACME")[0].net == Decimal("0.00")
    # The idempotency key of a command before the snapshot is still known:
    # the retry appends nothing.
    again = restored.apply("INV-1", Decimal("250.00"), "2026-03-10", receipt="R-1", idempotency_key="k-1")
    assert again.replayed and len(restored) == len(l)


def test_a_damaged_or_edited_snapshot_is_refused() -> None:
    snap = book().snapshot()
    # An amount edited inside an event: the chain no longer reaches the head.
    edited = snap.replace(b'"1000.00"', b'"9000.00"', 1)
    assert edited != snap
    truncated = snap[:-10]
    wrong_count = snap[:16] + struct.pack("<Q", 5) + snap[24:]
    for bad in [edited, truncated, wrong_count, b"not a snapshot", b""]:
        with pytest.raises(ar.LogError) as e:
            ar.Ledger.restore(bad)
        assert e.value.code == "corrupt_log"
    newer = snap[:8] + struct.pack("<I", 2) + snap[12:]
    with pytest.raises(ar.LogError) as e:
        ar.Ledger.snapshot_info(newer)
    assert e.value.code == "unsupported_log_version"


def test_a_tail_line_that_does_not_follow_is_refused() -> None:
    l = book()
    snap = l.snapshot()
    l.record_receipt("R-2", "2026-03-20", Decimal("1.00"), "USD", customer="ACME")
    l.record_receipt("R-3", "2026-03-21", Decimal("2.00"), "USD", customer="ACME")
    first, second = l.log_lines(4)
    with pytest.raises(ar.LogError) as e:
        ar.Ledger.restore(snap, [second])  # one dropped
    assert e.value.code == "corrupt_log"
    with pytest.raises(ar.LogError):
        ar.Ledger.restore(snap, [first, first])  # one repeated


def test_wrong_types_name_the_argument() -> None:
    snap = book().snapshot()
    with pytest.raises(ar.ArTypeError) as e:
        ar.Ledger.restore(bytearray(snap))  # type: ignore[arg-type]
    assert e.value.field == "snapshot"
    with pytest.raises(ar.ArTypeError) as e:
        ar.Ledger.restore(snap, "line")
    assert e.value.field == "tail"
    with pytest.raises(ar.ArTypeError) as e:
        ar.Ledger.restore(snap, [b"{}"])  # type: ignore[list-item]
    assert e.value.field == "tail[0]"
    with pytest.raises(ar.ArTypeError):
        ar.Ledger.snapshot_info("text")  # type: ignore[arg-type]


def test_progress_is_told_and_can_stop_the_restore() -> None:
    l = book()
    snap = l.snapshot()
    l.record_receipt("R-2", "2026-03-20", Decimal("1.00"), "USD", customer="ACME")
    seen: list[tuple[int, int]] = []
    restored = ar.Ledger.restore(snap, l.log_lines(4), progress=lambda done, total: seen.append((done, total)))
    assert restored == l
    assert seen == [(5, 5)]

    class Stop(Exception):
        pass

    def stop(done: int, total: int) -> None:
        raise Stop()

    with pytest.raises(Stop):
        ar.Ledger.restore(snap, progress=stop)
    with pytest.raises(ar.ArTypeError):
        ar.Ledger.restore(snap, progress=42)  # type: ignore[arg-type]
