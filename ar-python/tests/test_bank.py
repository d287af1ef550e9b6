"""Bank statement and remittance files through the binding: the hand-made
samples of ``ar-formats/tests/data``, checked against the figures written
in them (as ``ar-formats/tests/samples.rs`` does), and their receipts
recorded in a ledger."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

import ar

DATA = Path(__file__).resolve().parents[2] / "ar-formats" / "tests" / "data"
BAI = DATA / "bai2" / "handmade.bai"


def d(s: str) -> Decimal:
    return Decimal(s)


def test_a_bai2_file_as_records() -> None:
    # From a path, from bytes, from text: the same statement.
    s = ar.parse_bank_file(BAI)
    assert ar.parse_bai2(BAI.read_bytes()) == s == ar.parse_bank_file(BAI.read_text())
    assert (s.format, s.message_id) == ("bai2", "FILE7")
    usd = s.accounts[0]
    # 03 record: opening ledger 1,500.00, closing ledger -25.00 (cents).
    assert [(b.code, b.amount) for b in usd.balances] == [
        ("OPBD", d("1500.00")), ("CLBD", d("-25.00"))]
    wire, ach = usd.receipts
    assert (wire.amount, wire.method, wire.bank_reference, wire.payer_name) == (
        d("2000.00"), "wire", "WIRE0001", "GLOBEX CORP")
    assert wire.remittance == (
        "ORIG CO NAME:GLOBEX CORP ORIG ID:123 INV-2001 INV-2002 RF18 5390 0754 7034")
    assert [(r.kind, r.value) for r in wire.references] == [
        ("creditor_reference", "RF18539007547034")]
    assert (ach.amount, ach.method) == (d("1250.00"), "ach")
    assert [(r.kind, r.value) for r in ach.references] == [("belgian", "090933755493")]
    # The return and the check paid are listed, not receipts.
    assert [(e.kind, e.amount) for e in usd.other_entries] == [
        ("return", d("40.00")), ("debit", d("25.00"))]
    assert usd.other_entries[1].value_date == datetime.date(2026, 3, 1)
    assert [(r.amount, r.currency) for r in s.accounts[1].receipts] == [(d("10.00"), "CAD")]
    assert len(s.receipts()) == 3 and len(s.other_entries()) == 2


def test_files_that_cannot_be_read_name_the_line() -> None:
    with pytest.raises(ar.FormatError) as e:
        ar.parse_bank_file(DATA / "mt940" / "postfinance.sta")
    assert (e.value.code, e.value.format, e.value.line, e.value.location) == (
        "control_total", "mt940", 27, ":62F:")
    assert isinstance(e.value, ar.ValidationError)
    with pytest.raises(ar.FormatError) as e:
        ar.parse_bank_file(b"hello")
    assert e.value.code == "unknown_format"
    with pytest.raises(ar.FormatError) as e:
        ar.parse_camt(BAI.read_bytes())
    # Read as what it was asked for: a BAI2 file is no XML.
    assert (e.value.code, e.value.line) == ("syntax", 1)
    assert "no XML element" in e.value.message
    with pytest.raises(ar.ArTypeError):
        ar.parse_bank_file(1.5)  # type: ignore[arg-type]
    with pytest.raises(ar.ValidationError) as v:
        ar.parse_bank_file(DATA / "no-such-file.bai")
    assert v.value.code == "invalid_value" and "source" in v.value.message


def test_recording_a_files_receipts() -> None:
    l = ar.Ledger()
    l.register_customer("ACME", "Acme", "USD")
    l.register_customer("GLOBEX", "Globex", "USD")
    s = ar.parse_bank_file(BAI)
    usd = s.accounts[0].receipts
    out = l.record_bank_receipts(usd, id_prefix="BAI-", customer="GLOBEX")
    assert [o.events[0].subject for o in out] == ["BAI-1", "BAI-2"]
    assert [(i.id, i.customer, i.open) for i in l.unapplied_cash()] == [
        ("BAI-1", "GLOBEX", d("2000.00")), ("BAI-2", "GLOBEX", d("1250.00"))]
    # The same file again with the same prefix: refused, nothing recorded.
    before = l.to_json()
    with pytest.raises(ar.ConflictError) as e:
        l.record_bank_receipts(usd, id_prefix="BAI-")
    assert e.value.code == "duplicate_id"
    assert l.to_json() == before
    # A whole statement mixes currencies: the CAD receipt has no payer.
    out = l.record_bank_receipts(s, id_prefix="S-")
    assert [(i.id, i.currency, i.customer) for i in l.unapplied_cash()][2:] == [
        ("S-1", "USD", None), ("S-2", "USD", None), ("S-3", "CAD", None)]


def test_a_format_named_is_read_as_that_format() -> None:
    assert ar.parse_bank_file(BAI, format="bai2") == ar.parse_bai2(BAI)
    # Named wrongly, the file is read as the format named, and fails there.
    with pytest.raises(ar.FormatError) as e:
        ar.parse_bank_file(BAI, format="mt940")
    assert e.value.code
    with pytest.raises(ar.ValidationError):
        ar.parse_bank_file(BAI, format="csv")  # type: ignore[arg-type]
