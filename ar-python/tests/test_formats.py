"""Bank reconciliation, accounting-system layouts and reports as CSV and
.xlsx through the binding: the hand-made samples of ``ar-formats/tests/data``
with the figures written out by hand (as ``ar-formats/tests/systems.rs``
and ``ar-node/test/formats.test.mjs`` do); workbooks read back with
openpyxl."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any, List

import openpyxl  # type: ignore[import-untyped, unused-ignore]
import pytest

import ar

DATA = Path(__file__).resolve().parents[2] / "ar-formats" / "tests" / "data"
BAI = DATA / "bai2" / "handmade.bai"
SYSTEMS = DATA / "systems"


def d(s: str) -> Decimal:
    return Decimal(s)


def day(s: str) -> datetime.date:
    return datetime.date.fromisoformat(s)


# ----- bank reconciliation --------------------------------------------------------


def reconcile_books() -> ar.Ledger:
    """The books against handmade.bai, whose credits are all booked
    2026-03-01: #0 wire 2,000.00 USD WIRE0001, #1 ACH 1,250.00 USD ACH0002,
    #2 10.00 CAD. Recorded: the wire two days late with its reference
    written ``wire-0001``, the ACH two days early without one, a planted
    500.00 the bank never received, and a January receipt outside the
    statement's period. The CAD credit was never recorded."""
    l = ar.Ledger()
    l.register_customer("GLOBEX", "Globex", "USD")
    l.record_receipt("R-WIRE", "2026-03-03", d("2000.00"), "USD", customer="GLOBEX", method="wire",
                     reference="wire-0001")
    l.record_receipt("R-ACH", "2026-02-27", d("1250.00"), "USD", customer="GLOBEX", method="ach")
    l.record_receipt("R-LOST", "2026-03-01", d("500.00"), "USD", customer="GLOBEX", method="check",
                     reference="CHK 77")
    l.record_receipt("R-OLD", "2026-01-15", d("75.00"), "USD", customer="GLOBEX")
    return l


def test_bank_reconciliation_matched_only_in_the_bank_only_in_the_books() -> None:
    l = reconcile_books()
    s = ar.parse_bank_file(BAI)
    r = l.reconcile_bank(s)
    assert [(p.bank.index, p.receipt.id, p.basis, p.days_apart, p.ambiguous) for p in r.matched] == [
        (0, "R-WIRE", "reference", 2, False),
        (1, "R-ACH", "amount_and_date", -2, False),
    ]
    assert [(e.index, e.amount, e.currency, e.remittance) for e in r.bank_only] == [
        (2, d("10.00"), "CAD", "MISC CREDIT")]
    # R-OLD is outside the statement's period (its first to last credit).
    assert [(x.id, x.amount, x.reference) for x in r.ledger_only] == [("R-LOST", d("500.00"), "CHK 77")]
    assert r.period == [day("2026-03-01"), day("2026-03-01")]

    # A window of one day before: the ACH receipt is two days early, so the
    # bank's ACH credit is unmatched, and R-ACH (dated before the period)
    # is not listed until the period starts earlier.
    narrow = l.reconcile_bank(s, days_before=1)
    assert [p.receipt.id for p in narrow.matched] == ["R-WIRE"]
    assert [e.index for e in narrow.bank_only] == [1, 2]
    assert [x.id for x in narrow.ledger_only] == ["R-LOST"]
    wide = l.reconcile_bank(s.accounts[0].receipts, days_before=1, start="2026-02-01",
                            end=day("2026-03-31"))
    assert [x.id for x in wide.ledger_only] == ["R-ACH", "R-LOST"]
    # The books as they stood on 2026-02-28: R-ACH only.
    assert [p.receipt.id for p in l.reconcile_bank(s, as_of="2026-02-28").matched] == ["R-ACH"]

    assert r.to_csv() == "\n".join([
        "status,cur,bank_date,bank_amount,bank_ref,payer,receipt,book_date,book_amount,book_ref,basis",
        "matched,USD,2026-03-01,2000.00,WIRE0001,GLOBEX CORP,R-WIRE,2026-03-03,2000.00,wire-0001,reference",
        "matched,USD,2026-03-01,1250.00,ACH0002,,R-ACH,2026-02-27,1250.00,,amount_and_date",
        "bank_only,CAD,2026-03-01,10.00,,,,,,,",
        "books_only,USD,,,,,R-LOST,2026-03-01,500.00,CHK 77,",
        "",
    ])
    sheet = openpyxl.load_workbook(io.BytesIO(r.to_xlsx())).active
    assert sheet is not None
    assert [sheet["A3"].value, sheet["D3"].value, sheet["G3"].value] == ["matched", 2000, "R-WIRE"]
    assert [sheet["A6"].value, sheet["G6"].value, sheet["I6"].value] == ["books_only", "R-LOST", 500]
    with pytest.raises(ar.ValidationError):
        l.reconcile_bank(s, days_before=-1)
    with pytest.raises(ar.ValidationError) as e:
        l.reconcile_bank(s, start="2026-02-30")
    assert e.value.code == "invalid_date"


# ----- accounting systems -----------------------------------------------------------


def test_quickbooks_invoices_and_payments_build_a_ledger() -> None:
    inv = ar.import_accounting(SYSTEMS / "qbo_invoice_list.csv", "qbo-invoices", name="inv.csv",
                               currency="USD")
    assert [(i.id, i.customer, i.currency, i.date, i.due_date, i.amount) for i in inv.invoices] == [
        ("1001", "Acme Corp", "USD", day("2026-03-01"), day("2026-03-31"), d("1250.00")),
        ("1002", "Globex Inc", "USD", day("2026-03-05"), day("2026-04-04"), d("480.00")),
        ("1004", "Acme Corp", "USD", day("2026-03-09"), day("2026-04-08"), d("99.99")),
    ]
    assert inv.warnings == ['inv.csv: 1 rows of type "Sales Receipt" skipped',
                            "inv.csv: 1 rows without a type skipped (totals)"]
    assert (inv.invoices[2].origin.file, inv.invoices[2].origin.row) == ("inv.csv", 5)
    pay = ar.import_accounting((SYSTEMS / "qbo_payments.csv").read_bytes(), "qbo-payments",
                               name="pay.csv", currency="USD")
    assert [(r.id, r.amount, r.method) for r in pay.receipts] == [
        ("5521", d("1000.00"), "check"), ("5530", d("99.99"), "check"), ("WT-88", d("350.00"), "wire")]
    # 1001: 1,250.00 - 1,000.00; 1002: 480.00 - 300.00; 1004 paid; WT-88 has
    # 50.00 on account.
    recorded = datetime.datetime(2026, 4, 1, tzinfo=datetime.timezone.utc)
    l = ar.Ledger.from_book_rows([inv, pay], recorded=recorded)
    assert sorted((i.kind, i.id, i.open) for i in l.open_items()) == [
        ("invoice", "1001", d("250.00")), ("invoice", "1002", d("180.00")),
        ("unapplied_cash", "WT-88", d("50.00"))]
    assert l.events()[0].recorded == recorded
    # As open items only: the open balance, settled invoices left out.
    open_ = ar.import_accounting(SYSTEMS / "qbo_invoice_list.csv", "qbo-invoices", currency="USD",
                                 open_items=True)
    assert [(i.id, i.amount) for i in open_.invoices] == [("1001", d("250.00")), ("1002", d("480.00"))]


def test_xero_sap_and_netsuite_layouts_and_a_mapping_adjusted_for_a_variant() -> None:
    xero = ar.import_accounting(SYSTEMS / "xero_sales_invoices.csv", "xero-invoices")
    # INV-0101: 2 x 150.00 + 60.00 tax, and 4 x 12.50 less 10 % = 405.00.
    # INV-0102: 1.5 x 800.00 + 240.00 tax = 1,440.00. Dates day first.
    assert [(i.id, i.customer, i.date, i.due_date, i.amount, i.currency) for i in xero.invoices] == [
        ("INV-0101", "Bayside Club", day("2026-03-05"), day("2026-04-04"), d("405.00"), "GBP"),
        ("INV-0102", "Ridgeway Bank", day("2026-03-15"), day("2026-04-14"), d("1440.00"), "GBP"),
    ]
    assert xero.invoices[0].dimensions == {"reference": "PO-5"}
    # The file name defaults to the path given.
    assert xero.invoices[0].origin.file == str(SYSTEMS / "xero_sales_invoices.csv")
    sap = ar.import_accounting(SYSTEMS / "sap_bsid.csv", "sap-open-items")
    # ZFBDT 2026-03-01 + ZBD2T 30 days; ZFBDT 2026-03-15 + ZBD3T 45 days.
    assert [(i.id, i.due_date, i.amount) for i in sap.invoices] == [
        ("0090000123", day("2026-03-31"), d("1190.00")), ("0090000124", day("2026-04-29"), d("595.00"))]
    assert [(r.id, r.amount, r.remittance) for r in sap.receipts] == [
        ("1400000050", d("200.00"), "payment on account")]
    assert [(c.id, c.customer, c.amount) for c in sap.credit_memos] == [
        ("1700000007", "0000004712", d("50.00"))]
    fbl5n = ar.import_accounting(SYSTEMS / "sap_fbl5n.csv", "sap-fbl5n")
    assert (fbl5n.invoices[0].amount, fbl5n.receipts[0].amount) == (d("1190.00"), d("200.00"))
    ns = ar.import_accounting(SYSTEMS / "netsuite_transactions.csv", "netsuite", name="ns.csv")
    assert [(i.id, i.amount) for i in ns.invoices] == [("INV10045", d("2500.00")), ("INV10046", d("750.00"))]
    assert [(r.id, r.amount, r.method) for r in ns.receipts] == [("PYMT2201", d("2000.00"), "ach")]
    assert ns.warnings == ['ns.csv: 1 rows of type "Journal" skipped']

    # A user's variant of the QuickBooks layout: one header, or several.
    variant = ("Client,Invoice #,Invoice Date,Due Date,Total,Currency\n"
               "ACME,77,03/02/2026,04/01/2026,12.50,USD\n")
    v = ar.import_accounting(variant, "qbo-invoices",
                             columns={"customer": "Client", "document": ["Invoice #"], "date": "Invoice Date"})
    assert [(i.id, i.customer, i.date, i.due_date, i.amount) for i in v.invoices] == [
        ("77", "ACME", day("2026-03-02"), day("2026-04-01"), d("12.50"))]
    # The same as a whole profile, adjusted.
    p = ar.accounting_profile("qbo-invoices")
    assert (p.name, p.records, p.date_format, p.delimiter, p.open_items) == (
        "qbo-invoices", "invoices", "%m/%d/%Y", ",", False)
    assert p.columns["document"] == ["InvoiceNo", "No.", "Num", "Invoice no."]
    adjusted = p.to_dict()
    adjusted["columns"] |= {"customer": ["Client"], "document": ["Invoice #"], "date": ["Invoice Date"]}
    assert ar.import_accounting(variant, adjusted).invoices == v.invoices
    with pytest.raises(ar.ValidationError) as e:
        ar.accounting_profile("lotus-123")
    assert e.value.code == "invalid_value"
    with pytest.raises(ar.ValidationError):
        ar.import_accounting(variant, "qbo-invoices", columns={"colour": "Client"})


def test_bad_rows_name_the_file_row_and_column() -> None:
    with pytest.raises(ar.FormatError) as e:
        ar.import_accounting(SYSTEMS / "qbo_invoice_list.csv", "qbo-invoices", name="qbo.csv")
    assert (e.value.code, e.value.file, e.value.row, e.value.column) == ("missing", "qbo.csv", 2, "Currency")
    assert (e.value.line, e.value.location, e.value.format) == (2, "Currency", None)
    with pytest.raises(ar.FormatError) as e:
        ar.import_accounting(SYSTEMS / "xero_sales_invoices.csv", "xero-invoices-us", name="x.csv")
    assert (e.value.code, e.value.row, e.value.column) == ("invalid_date", 4, "*InvoiceDate")
    # A row the ledger refuses: its own code and class, at its row.
    inv = ar.import_accounting(SYSTEMS / "qbo_invoice_list.csv", "qbo-invoices", name="inv.csv",
                               currency="USD")
    pay = ar.import_accounting(
        'Date,Ref no.,Customer,Payment method,Invoice no.,Amount,Memo\n'
        '03/20/2026,5521,Acme Corp,Check,1001,"2,000.00",\n',
        "qbo-payments", name="pay.csv", currency="USD")
    with pytest.raises(ar.StateError) as s:
        ar.Ledger.from_book_rows([inv, pay])
    err: Any = s.value
    assert (err.code, err.family, err.file, err.row, err.column) == (
        "over_application", "state", "pay.csv", 2, "amount")


def small_ledger() -> ar.Ledger:
    """Acme (USD, net 30): INV-1 of 2026-03-01, Widgets 10 x 125.00 taxed
    8 % (1,250.00 + 100.00) and Installation 4 x 95.00 untaxed (380.00):
    1,730.00; R-1 of 1,000.00 by wire, 800.00 of it applied to INV-1."""
    l = ar.Ledger()
    l.register_customer("ACME", "Acme Corp", "USD", terms="net 30")
    l.issue_invoice("INV-1", "ACME", "2026-03-01", [
        ar.Line("Widgets", 10, d("125.00"), taxes=[("US", 8)]),
        ar.Line("Installation", 4, d("95.00")),
    ], po_number="PO-9")
    l.record_receipt("R-1", "2026-03-20", d("1000.00"), "USD", customer="ACME", method="wire",
                     reference="WT-1")
    l.apply("INV-1", d("800.00"), "2026-03-20", receipt="R-1")
    return l


def test_the_ledger_written_in_the_quickbooks_and_xero_layouts_and_read_back() -> None:
    l = small_ledger()
    qbo = l.export_invoices("quickbooks")
    assert qbo == "\n".join([
        "InvoiceNo,Customer,InvoiceDate,DueDate,Memo,ItemDescription,ItemQuantity,ItemRate,ItemAmount,"
        "ItemTaxCode,ItemTaxAmount,Currency",
        "INV-1,Acme Corp,03/01/2026,03/31/2026,PO-9,Widgets,10,125.00,1250.00,US,100.00,USD",
        "INV-1,Acme Corp,03/01/2026,03/31/2026,PO-9,Installation,4,95.00,380.00,,,USD",
        "",
    ])
    back = ar.import_accounting(qbo, "qbo-invoices")
    assert [(i.id, i.amount, i.due_date) for i in back.invoices] == [("INV-1", d("1730.00"), day("2026-03-31"))]
    assert l.export_invoices("xero", no_tax="No VAT", account_code="4000") == "\n".join([
        "*ContactName,*InvoiceNumber,Reference,*InvoiceDate,*DueDate,Description,*Quantity,*UnitAmount,"
        "Discount,*AccountCode,*TaxType,TaxAmount,Currency",
        "Acme Corp,INV-1,PO-9,01/03/2026,31/03/2026,Widgets,10,125.00,,4000,US,100.00,USD",
        "Acme Corp,INV-1,PO-9,01/03/2026,31/03/2026,Installation,4,95.00,,4000,No VAT,,USD",
        "",
    ])
    assert l.export_payments("quickbooks", date_format="%Y-%m-%d") == "\n".join([
        "Date,Ref no.,Customer,Payment method,Invoice no.,Amount,Memo,Currency",
        "2026-03-20,R-1,Acme Corp,wire,INV-1,800.00,,USD",
        "2026-03-20,R-1,Acme Corp,wire,,200.00,,USD",
        "",
    ])
    # Before the receipt: no payments.
    assert l.export_payments("xero", as_of="2026-03-19") == (
        "*ContactName,*InvoiceNumber,*PaymentDate,*Amount,Reference,Currency,PaymentId\n")
    bads: List[Any] = [{"layout": "sage"}, {"layout": "xero", "date_format": "%Q"}]
    for bad in bads:
        with pytest.raises(ar.ValidationError) as e:
            l.export_invoices(**bad)
        assert e.value.code == "invalid_value"


# ----- reports as CSV and .xlsx -------------------------------------------------------


def xero_ledger() -> ar.Ledger:
    """Xero's two invoices as a ledger, aged at 2026-04-30: INV-0101
    (405.00, due 2026-04-04, 26 days late) and INV-0102 (1,440.00, due
    2026-04-14, 16 days), both in 1-30; GBP total 1,845.00."""
    return ar.Ledger.from_book_rows(ar.import_accounting(SYSTEMS / "xero_sales_invoices.csv", "xero-invoices"))


def cells(sheet: Any, row: int, cols: str) -> List[Any]:
    return [sheet[f"{c}{row}"].value for c in cols]


def test_an_aging_as_csv_and_xlsx(tmp_path: Path) -> None:
    report = xero_ledger().aging("2026-04-30", detail=True)
    assert report.to_csv() == "\n".join([
        "customer,cur,current,1-30,31-60,61-90,91-120,over 120,total,credits,cash,net,items",
        "Bayside Club,GBP,0.00,405.00,0.00,0.00,0.00,0.00,405.00,0.00,0.00,405.00,1",
        "Ridgeway Bank,GBP,0.00,1440.00,0.00,0.00,0.00,0.00,1440.00,0.00,0.00,1440.00,1",
        "",
    ])
    path = tmp_path / "aging.xlsx"
    data = report.to_xlsx(path)
    assert path.read_bytes() == data
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["aging", "aging_detail"]
    sheet = book["aging"]
    # Title, header, a row per customer, the GBP total in row 5, bold.
    assert sheet["A1"].value == "Aging as of 2026-04-30 (days past due)"
    assert cells(sheet, 2, "ABDI") == ["customer", "cur", "1-30", "total"]
    assert cells(sheet, 3, "ABCDIM") == ["Bayside Club", "GBP", 0, 405, 405, 1]
    assert cells(sheet, 4, "ADL") == ["Ridgeway Bank", 1440, 1440]
    assert cells(sheet, 5, "BDILM") == ["GBP", 1845, 1845, 1845, 2]
    assert sheet["D5"].font.bold and sheet["D3"].number_format == "#,##0.00"
    assert sheet.freeze_panes == "A3"
    # The detail: due dates as dates, days late as numbers.
    detail = [[c for c in row if c is not None] for row in book["aging_detail"].iter_rows(values_only=True)]
    inv1 = next(r for r in detail if "INV-0101" in r)
    inv2 = next(r for r in detail if "INV-0102" in r)
    assert datetime.datetime(2026, 4, 4) in inv1 and 26 in inv1
    assert datetime.datetime(2026, 4, 14) in inv2 and 16 in inv2


def test_open_items_the_journal_and_a_reconciliation_as_xlsx() -> None:
    l = xero_ledger()
    l.record_receipt("R-9", "2026-04-20", d("5.00"), "GBP", customer="Bayside Club")
    items = l.open_items(as_of="2026-04-30")
    # Net: 405.00 + 1,440.00 - 5.00 of unapplied cash = 1,840.00.
    assert ar.open_items_to_csv(items, as_of="2026-04-30") == "\n".join([
        "kind,id,customer,cur,due,open",
        "invoice,INV-0101,Bayside Club,GBP,2026-04-04,405.00",
        "invoice,INV-0102,Ridgeway Bank,GBP,2026-04-14,1440.00",
        "unapplied_cash,R-9,Bayside Club,GBP,,5.00",
        "",
    ])
    sheet = openpyxl.load_workbook(io.BytesIO(ar.open_items_to_xlsx(items, as_of="2026-04-30"))).active
    assert sheet is not None
    assert sheet["A1"].value == "Open items as of 2026-04-30"
    assert cells(sheet, 3, "ABEF") == ["invoice", "INV-0101", datetime.datetime(2026, 4, 4), 405]
    assert cells(sheet, 5, "AEF") == ["unapplied_cash", None, 5]
    assert cells(sheet, 6, "ADF") == ["Net", "GBP", 1840]

    # The journal: each invoice's receivable debit and revenue credit, the
    # receipt's cash and unapplied cash; totals 1,850.00 each side.
    j = openpyxl.load_workbook(io.BytesIO(l.journal().to_xlsx())).active
    assert j is not None
    assert j["A1"].value == "Journal"
    assert cells(j, 2, "AEIJ") == ["seq", "account", "debit", "credit"]
    assert cells(j, j.max_row, "AHIJ") == ["Total", "GBP", 1850, 1850]
    with pytest.raises(ar.ValidationError) as e:
        ar.open_items_to_csv([{"kind": "invoice"}])
    assert e.value.code == "invalid_type" and "items[0]" in e.value.message


def samples() -> List[Any]:
    """A result of each record of this module (for ``test_layer.py``)."""
    xero = ar.import_accounting(SYSTEMS / "xero_sales_invoices.csv", "xero-invoices")
    sap = ar.import_accounting(SYSTEMS / "sap_bsid.csv", "sap-open-items")
    pay = ar.import_accounting(SYSTEMS / "qbo_payments.csv", "qbo-payments", currency="USD")
    return [
        reconcile_books().reconcile_bank(ar.parse_bank_file(BAI)),
        ar.accounting_profile("sap-fbl5n"),
        xero, sap, pay,
    ]
