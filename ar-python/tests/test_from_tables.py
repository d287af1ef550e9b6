"""``ar.Ledger.from_tables``: a book's history given as tables (pandas
DataFrames or pyarrow Tables, read through their Arrow buffers) becomes the
ledger its commands build.

The history is the hand-worked one of ``ar-core/tests/import.rs``:

- ACME "Acme Corp" (net 30, region N) and BETA (no name: named by its id,
  default terms, region S), both USD.
- I1 ACME 05-01 due 05-31 100.00 (channel web); I2 BETA 05-10 due 06-09
  250.00 (no channel).
- CM1 BETA 05-15 50.00 against I2.
- R1 ACME 05-20 40.00; R2 BETA 06-01 300.00; R3 (payer unknown) 06-02 10.00.
- R1 -> I1 40.00 on 05-20; CM1 -> I2 50.00 on 05-20; R2 -> I2 150.00 on 06-01.

pandas and pyarrow are dev tools of this repository (``requirements-dev.txt``):
``importorskip`` is only a safety net, these tests run in ``scripts/test.sh``.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any, Callable, Dict

import pytest

import ar
from reports_book import amounts
from scenario import at, d, day

pd: Any = pytest.importorskip("pandas")
pa: Any = pytest.importorskip("pyarrow")

RECORDED = at("2026-07-01T09:00:00Z")

CUSTOMER_IDS = ["ACME", "BETA"]
REGIONS = ["N", "S"]

INVOICE_IDS = ["I1", "I2"]
INVOICE_CUSTOMERS = ["ACME", "BETA"]
INVOICE_DATES = ["2026-05-01", "2026-05-10"]
INVOICE_DUE = ["2026-05-31", "2026-06-09"]
INVOICE_TOTALS = ["100.00", "250.00"]

MEMO_DATES = ["2026-05-15"]
MEMO_AMOUNTS = ["50.00"]

RECEIPT_IDS = ["R1", "R2", "R3"]
RECEIPT_DATES = ["2026-05-20", "2026-06-01", "2026-06-02"]
RECEIPT_AMOUNTS = ["40.00", "300.00", "10.00"]

APPLIED_TO = ["I1", "I2", "I2"]
APPLIED_ON = ["2026-05-20", "2026-05-20", "2026-06-01"]
APPLIED = ["40.00", "50.00", "150.00"]

Tables = Dict[str, Any]


def frames() -> Tables:
    """The history as DataFrames: ``datetime64`` dates, ``Decimal`` objects,
    nulls (``None``) for no name, default terms, no channel, an unknown payer
    and the source an application does not use. The invoices carry a
    ``currency`` column with a null (which takes the ``currency`` argument);
    the other tables have none."""

    def dates(values: list[str]) -> Any:
        return pd.to_datetime(values)

    def money(values: list[str]) -> Any:
        return pd.Series([Decimal(v) for v in values], dtype=object)

    return {
        "customers": pd.DataFrame(
            {
                "id": CUSTOMER_IDS,
                "name": ["Acme Corp", None],
                "terms": ["net 30", None],
                "region": REGIONS,
            }
        ),
        "invoices": pd.DataFrame(
            {
                "id": INVOICE_IDS,
                "customer": INVOICE_CUSTOMERS,
                "currency": ["USD", None],
                "date": dates(INVOICE_DATES),
                "due_date": dates(INVOICE_DUE),
                "amount": money(INVOICE_TOTALS),
                "channel": ["web", None],
            }
        ),
        "credit_memos": pd.DataFrame(
            {
                "id": ["CM1"],
                "customer": ["BETA"],
                "date": dates(MEMO_DATES),
                "amount": money(MEMO_AMOUNTS),
                "against": ["I2"],
            }
        ),
        "receipts": pd.DataFrame(
            {
                "id": RECEIPT_IDS,
                "customer": ["ACME", "BETA", None],
                "date": dates(RECEIPT_DATES),
                "amount": money(RECEIPT_AMOUNTS),
            }
        ),
        "applications": pd.DataFrame(
            {
                "receipt": ["R1", None, "R2"],
                "credit_memo": [None, "CM1", None],
                "invoice": APPLIED_TO,
                "date": dates(APPLIED_ON),
                "amount": money(APPLIED),
            }
        ),
    }


def arrow_tables() -> Tables:
    """The history as pyarrow Tables: ``date32`` dates, ``decimal128``
    amounts, ``""`` for no name, no channel, an unknown payer and the source
    an application does not use; no ``currency`` columns (the ``currency``
    argument applies) and no ``terms`` column (default terms: net 30)."""

    def dates(values: list[str]) -> Any:
        return pa.array([day(v) for v in values], pa.date32())

    def money(values: list[str]) -> Any:
        return pa.array([Decimal(v) for v in values], pa.decimal128(12, 2))

    return {
        "customers": pa.table(
            {"id": CUSTOMER_IDS, "name": ["Acme Corp", ""], "region": REGIONS}
        ),
        "invoices": pa.table(
            {
                "id": INVOICE_IDS,
                "customer": INVOICE_CUSTOMERS,
                "date": dates(INVOICE_DATES),
                "due_date": dates(INVOICE_DUE),
                "amount": money(INVOICE_TOTALS),
                "channel": ["web", ""],
            }
        ),
        "credit_memos": pa.table(
            {
                "id": ["CM1"],
                "customer": ["BETA"],
                "date": dates(MEMO_DATES),
                "amount": money(MEMO_AMOUNTS),
                "against": ["I2"],
            }
        ),
        "receipts": pa.table(
            {
                "id": RECEIPT_IDS,
                "customer": ["ACME", "BETA", ""],
                "date": dates(RECEIPT_DATES),
                "amount": money(RECEIPT_AMOUNTS),
            }
        ),
        "applications": pa.table(
            {
                "receipt": ["R1", "", "R2"],
                "credit_memo": ["", "CM1", ""],
                "invoice": APPLIED_TO,
                "date": dates(APPLIED_ON),
                "amount": money(APPLIED),
            }
        ),
    }


SOURCES: Dict[str, Callable[[], Tables]] = {
    "pandas DataFrames": frames,
    "pyarrow Tables": arrow_tables,
}


def from_tables(t: Tables, **kw: Any) -> ar.Ledger:
    kw.setdefault("currency", "USD")
    kw.setdefault("dimensions", ["channel"])
    kw.setdefault("customer_dimensions", ["region"])
    kw.setdefault("recorded", RECORDED)
    return ar.Ledger.from_tables(
        t["customers"],
        t["invoices"],
        receipts=t.get("receipts"),
        applications=t.get("applications"),
        credit_memos=t.get("credit_memos"),
        **kw,
    )


def registered(ledger: ar.Ledger) -> list[dict[str, Any]]:
    """The customers as registered (their events' JSON)."""
    events = [json.loads(e.json)["event"] for e in ledger.events()]
    return [e["customer"] for e in events if e["type"] == "customer_registered"]


def by_commands() -> ar.Ledger:
    """The same history executed command by command, in the order of the
    tables: customers, invoices, credit memos, receipts, applications."""
    l = ar.Ledger()
    t = RECORDED
    l.register_customer(
        "ACME", "Acme Corp", "USD", terms="net 30", dimensions={"region": "N"}, recorded=t
    )
    l.register_customer("BETA", "BETA", "USD", dimensions={"region": "S"}, recorded=t)
    for id, customer, date, due, total, dims in [
        ("I1", "ACME", "2026-05-01", "2026-05-31", "100.00", {"channel": "web"}),
        ("I2", "BETA", "2026-05-10", "2026-06-09", "250.00", None),
    ]:
        l.import_invoice(
            id, customer, day(date), day(due), d(total), d(total),
            as_of=day(date), currency="USD", dimensions=dims, recorded=t,
        )
    l.issue_credit_memo(
        "CM1", "BETA", day("2026-05-15"), amount=d("50.00"), against="I2", currency="USD",
        recorded=t,
    )
    l.record_receipt("R1", day("2026-05-20"), d("40.00"), "USD", customer="ACME", recorded=t)
    l.record_receipt("R2", day("2026-06-01"), d("300.00"), "USD", customer="BETA", recorded=t)
    l.record_receipt("R3", day("2026-06-02"), d("10.00"), "USD", recorded=t)
    l.apply("I1", d("40.00"), day("2026-05-20"), receipt="R1", recorded=t)
    l.apply("I2", d("50.00"), day("2026-05-20"), credit_memo="CM1", recorded=t)
    l.apply("I2", d("150.00"), day("2026-06-01"), receipt="R2", recorded=t)
    return l


@pytest.mark.parametrize("source", list(SOURCES))
def test_the_history_ages_as_worked_by_hand(source: str) -> None:
    ledger = from_tables(SOURCES[source]())
    # 2 customers + 2 invoices + 1 memo + 3 receipts + 3 applications.
    assert len(ledger) == 11
    assert {e.recorded for e in ledger.events()} == {RECORDED}
    by_region = ledger.aging(day("2026-06-30"), group_by=["customer.region"])
    rows = {tuple(r.group): r for r in by_region.rows}
    # N: I1 100.00 - 40.00 (R1) = 60.00, due 05-31: 30 days past due (1-30).
    assert amounts(rows[("N",)].buckets) == ["0.00", "60.00", "0.00", "0.00", "0.00", "0.00"]
    assert rows[("N",)].unapplied_cash == d("0.00")
    # S: I2 250.00 - 50.00 (CM1) - 150.00 (R2) = 50.00, due 06-09: 21 days
    # past due (1-30); R2 300.00 - 150.00 = 150.00 unapplied.
    assert amounts(rows[("S",)].buckets) == ["0.00", "50.00", "0.00", "0.00", "0.00", "0.00"]
    assert rows[("S",)].unapplied_cash == d("150.00")
    # R3's 10.00 has no payer, hence no region.
    assert rows[("",)].unapplied_cash == d("10.00")
    (total,) = by_region.totals
    # 60.00 + 50.00 = 110.00 open; 150.00 + 10.00 = 160.00 unapplied.
    assert (total.total, total.unapplied_cash, total.open_credits) == (
        d("110.00"),
        d("160.00"),
        d("0.00"),
    )
    # As of 05-31 R2 is not yet received: I1 60.00 + I2 250.00 - 50.00 = 260.00.
    assert ledger.aging(day("2026-05-31")).totals[0].total == d("260.00")
    # The invoice dimension is kept where the row has a value.
    by_channel = ledger.aging(day("2026-06-30"), group_by=["invoice.channel"])
    channels = {tuple(r.group): r.total for r in by_channel.rows if r.total}
    assert channels == {("web",): d("60.00"), ("",): d("50.00")}
    # A null or empty name is the id.
    assert [c["name"] for c in registered(ledger)] == ["Acme Corp", "BETA"]
    assert ledger.invoice("I2").credited == d("50.00")


@pytest.mark.parametrize("source", list(SOURCES))
def test_the_same_ledger_as_its_commands_build(source: str) -> None:
    ledger = from_tables(SOURCES[source]())
    commands = by_commands()
    assert len(ledger) == len(commands)
    for as_of in ["2026-05-31", "2026-06-30"]:
        for group_by in (["customer"], ["customer.region"], ["invoice.channel"]):
            assert (
                ledger.aging(day(as_of), group_by=group_by).to_arrow()
                == commands.aging(day(as_of), group_by=group_by).to_arrow()
            )
    assert ledger.metrics(day("2026-05-01"), day("2026-06-30"), group_by=["customer"]) == (
        commands.metrics(day("2026-05-01"), day("2026-06-30"), group_by=["customer"])
    )
    # Event for event: the same log, so the same ledger.
    assert [e.json for e in ledger.events()] == [e.json for e in commands.events()]
    assert ledger == commands


def test_optional_columns_and_tables() -> None:
    t = frames()
    # Without applications and credit memos: I1 100.00 + I2 250.00 open.
    only = ar.Ledger.from_tables(
        t["customers"], t["invoices"], receipts=t["receipts"], currency="USD", recorded=RECORDED
    )
    assert len(only) == 2 + 2 + 3
    assert only.aging(day("2026-06-30")).totals[0].total == d("350.00")
    # An applications table of receipts only has no credit_memo column:
    # I1 100.00 - 40.00 = 60.00.
    receipts_only = pd.DataFrame(
        {
            "receipt": ["R1"],
            "invoice": ["I1"],
            "date": pd.to_datetime(["2026-05-20"]),
            "amount": [Decimal("40.00")],
            "discount": [Decimal("0.00")],
        }
    )
    ledger = from_tables({**t, "applications": receipts_only, "credit_memos": None})
    assert len(ledger) == 2 + 2 + 3 + 1
    assert ledger.invoice("I1").open == d("60.00")
    # A null discount is none, as zero is (as in Node).
    blank = receipts_only.assign(discount=pd.array([None], dtype=object))
    blank_ledger = from_tables({**t, "applications": blank, "credit_memos": None})
    assert blank_ledger == ledger
    # The discount column is read: an imported invoice (net N, from its
    # dates) offers no early-payment discount, so a discount is the core's
    # error on that row.
    discounted = receipts_only.assign(discount=[Decimal("2.00")])
    with pytest.raises(ar.StateError) as e:
        from_tables({**t, "applications": discounted, "credit_memos": None})
    check(e, "discount_not_allowed", "applications.discount[0]")
    # Terms as text, as PaymentTerms parses them; a null is the default.
    terms = t["customers"].assign(terms=["2/10 net 30", None])
    ledger = from_tables({**t, "customers": terms})
    one_by_one = ar.Ledger()
    one_by_one.register_customer("ACME", "Acme Corp", "USD", terms="2/10 net 30")
    one_by_one.register_customer("BETA", "BETA", "USD")
    assert [c["terms"] for c in registered(ledger)] == [
        c["terms"] for c in registered(one_by_one)
    ]
    # Currencies from a currency column everywhere, no currency argument.
    usd = {
        name: table.assign(currency="USD") for name, table in t.items() if name != "applications"
    }
    ledger = from_tables({**t, **usd}, currency=None)
    assert ledger == from_tables(t)


def test_recorded_defaults_to_now_and_must_be_aware() -> None:
    before = datetime.datetime.now(datetime.timezone.utc)
    ledger = from_tables(frames(), recorded=None)
    after = datetime.datetime.now(datetime.timezone.utc)
    assert all(before <= e.recorded <= after for e in ledger.events())
    with pytest.raises(ar.ArTypeError) as e:
        from_tables(frames(), recorded=datetime.datetime(2026, 7, 1, 9))
    assert e.value.code == "invalid_type"
    assert "recorded" in str(e.value)


def check(error: pytest.ExceptionInfo[ar.ArError], code: str, field: str) -> None:
    assert error.value.code == code, error.value
    assert str(error.value).startswith(field), error.value


@pytest.mark.parametrize("source", list(SOURCES))
def test_a_bad_row_is_named_by_table_column_and_row(source: str) -> None:
    t = SOURCES[source]()
    apps = t["applications"]
    # I2 has 250.00 - 50.00 = 200.00 open when R2 comes: 250.00 exceeds it.
    over = [Decimal("40.00"), Decimal("50.00"), Decimal("250.00")]
    if source == "pyarrow Tables":
        over_apps = apps.set_column(4, "amount", pa.array(over, pa.decimal128(12, 2)))
    else:
        over_apps = apps.assign(amount=pd.Series(over, dtype=object))
    with pytest.raises(ar.StateError) as e:
        from_tables({**t, "applications": over_apps})
    check(e, "over_application", "applications.amount[2]")
    assert "250.00" in str(e.value)

    unknown = ["ACME", "GAMMA"]
    if source == "pyarrow Tables":
        bad = t["invoices"].set_column(1, "customer", pa.array(unknown))
    else:
        bad = t["invoices"].assign(customer=unknown)
    with pytest.raises(ar.NotFoundError) as missing:
        from_tables({**t, "invoices": bad})
    check(missing, "not_found", "invoices.customer[1]")

    # Row 1 names both R2 and CM1.
    both = ["R1", "R2", "R2"]
    if source == "pyarrow Tables":
        both_apps = apps.set_column(0, "receipt", pa.array(both))
    else:
        both_apps = apps.assign(receipt=both)
    with pytest.raises(ar.ValidationError) as invalid:
        from_tables({**t, "applications": both_apps})
    check(invalid, "invalid_value", "applications.receipt[1]")


def test_float_amounts_are_refused_as_book_refuses_them() -> None:
    t = frames()
    floats = t["invoices"].assign(amount=[100.0, 250.0])
    with pytest.raises(ar.ArTypeError) as e:
        from_tables({**t, "invoices": floats})
    check(e, "invalid_type", "invoices.amount")
    assert "float64" in str(e.value)
    with pytest.raises(TypeError):
        ar.Book(floats, currency="USD")
    with pytest.raises(TypeError):
        from_tables({**t, "receipts": t["receipts"].assign(amount=[40.0, 300.0, 10.0])})


def test_errors_of_the_columns() -> None:
    t = frames()
    # Terms the core cannot parse: its own error, naming the row.
    bad_terms = t["customers"].assign(terms=["net 30", "net thirty"])
    with pytest.raises(ar.ValidationError) as e:
        from_tables({**t, "customers": bad_terms})
    check(e, "invalid_terms", "customers.terms[1]")
    # A required column missing.
    with pytest.raises(ar.ValidationError) as e:
        from_tables({**t, "receipts": t["receipts"].drop(columns=["amount"])})
    check(e, "invalid_value", "receipts.amount")
    # No currency anywhere.
    with pytest.raises(ar.ValidationError) as e:
        from_tables(t, currency=None)
    check(e, "invalid_value", "currency")
    # A null id.
    with pytest.raises(ar.ValidationError) as e:
        from_tables({**t, "receipts": t["receipts"].assign(id=["R1", None, "R3"])})
    check(e, "invalid_value", "receipts.id[1]")
    # An application naming no source.
    none = t["applications"].assign(receipt=[None, None, "R2"])
    with pytest.raises(ar.ValidationError) as e:
        from_tables({**t, "applications": none})
    check(e, "invalid_value", "applications.receipt[0]")
    # A dimension that is not a column.
    with pytest.raises(ar.ValidationError) as e:
        from_tables(t, customer_dimensions=["segment"])
    check(e, "invalid_value", "customers.segment")
    # Not a table.
    with pytest.raises(ar.ArTypeError) as e:
        ar.Ledger.from_tables([{"id": "ACME"}], t["invoices"], currency="USD")
    check(e, "invalid_type", "customers")


def test_invoices_without_a_currency_column_are_in_their_customers_currency() -> None:
    import pandas as pd

    customers = pd.DataFrame({"id": ["ACME", "EURO"], "name": ["Acme", "Euro"], "currency": ["USD", "EUR"]})
    invoices = pd.DataFrame({
        "id": ["I1", "I2"], "customer": ["ACME", "EURO"], "date": ["2026-03-01", "2026-03-01"],
        "due_date": ["2026-03-31", "2026-03-31"], "amount": ["100.00", "200.00"],
    })
    ledger = ar.Ledger.from_tables(customers, invoices)
    assert [(i.id, i.currency) for i in ledger.open_items()] == [("I1", "USD"), ("I2", "EUR")]
    stray = invoices.assign(customer=["ACME", "NOBODY"])
    with pytest.raises(ar.NotFoundError) as e:
        ar.Ledger.from_tables(customers, stray)
    assert e.value.message.startswith("invoices.customer[1]: unknown customer")


def test_a_bad_row_of_an_indexed_frame_is_named_by_its_label_too() -> None:
    t = frames()
    # Applications indexed by their own keys: row 2 (label "A-3") over-applies.
    apps = t["applications"].assign(amount=pd.Series(
        [Decimal("40.00"), Decimal("50.00"), Decimal("250.00")], dtype=object))
    apps.index = pd.Index(["A-1", "A-2", "A-3"], name="key")
    with pytest.raises(ar.StateError) as e:
        from_tables({**t, "applications": apps})
    check(e, "over_application", "applications.amount[2]")
    assert e.value.field == "applications.amount[2]"
    assert e.value.label == "A-3"
    assert "(index label 'A-3')" in str(e.value)
    assert e.value.message == str(e.value)
    # The default index adds nothing: the position is the label.
    with pytest.raises(ar.StateError) as plain:
        from_tables({**t, "applications": apps.reset_index(drop=True)})
    assert plain.value.label is None
    assert "index label" not in str(plain.value)
    # A filtered frame keeps its labels (rows 0 and 2 of a larger one).
    inv = t["invoices"].assign(amount=["100.00", "x"]).set_axis([10, 30])
    with pytest.raises(ar.ValidationError) as f:
        from_tables({**t, "invoices": inv})
    check(f, "invalid_decimal", "invoices.amount[1]")
    assert (f.value.label, f.value.value) == (30, "x")
    # ar.Book names them the same way.
    with pytest.raises(ar.ValidationError) as b:
        ar.Book(inv, currency="USD")
    assert b.value.field == "invoices.amount[1]" and b.value.label == 30


def test_errors_carry_their_field_and_value() -> None:
    with pytest.raises(ar.ValidationError) as e:
        ar.Ledger().register_customer("ACME", "Acme", "usd")
    assert (e.value.field, e.value.value) == ("currency", "usd")
    with pytest.raises(ar.NotFoundError) as nf:
        ar.Ledger().receipt("NOPE")
    assert (nf.value.field, nf.value.value) == ("source", "NOPE")
    # An error that names no field.
    with pytest.raises(ar.LogError) as log:
        ar.Ledger.from_json("{")
    assert (log.value.field, log.value.value) == (None, None)


def test_progress_is_reported_and_an_exception_stops_the_build() -> None:
    n = 70_000
    customers = pd.DataFrame({"id": ["ACME"], "currency": ["USD"]})
    invoices = pd.DataFrame({
        "id": [f"I{i}" for i in range(n)], "customer": "ACME",
        "date": datetime.date(2026, 5, 1), "due_date": datetime.date(2026, 5, 31),
        "amount": "1.00"})
    seen: list[tuple[int, int]] = []
    ledger = ar.Ledger.from_tables(
        customers, invoices, recorded=RECORDED, progress=lambda d, t: seen.append((d, t)))
    # One report past 65,536 rows, then the end: 1 customer + 70,000 invoices.
    assert len(seen) == 2 and 65_536 <= seen[0][0] < n + 1, seen
    assert seen[-1] == (n + 1, n + 1)
    assert len(ledger.events()) == n + 1

    class Enough(Exception):
        pass

    def stop(done: int, total: int) -> None:
        raise Enough(f"{done} of {total}")

    # The callable's own exception comes out; nothing is made.
    with pytest.raises(Enough, match="of 70001"):
        ar.Ledger.from_tables(customers, invoices, recorded=RECORDED, progress=stop)
    # A tqdm-style bar: update() by the difference.
    class Bar:
        n = 0
        total = 0

        def update(self, k: int) -> None:
            self.n += k

    bar = Bar()

    def drive(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    small = ar.Ledger.from_tables(customers, invoices.head(10), recorded=RECORDED, progress=drive)
    assert (bar.n, bar.total) == (11, 11)
    # Reading a log back reports events the same way.
    last: list[tuple[int, int]] = []
    again = ar.Ledger.from_json(small.to_json(), progress=lambda d, t: last.append((d, t)))
    assert last == [(11, 11)] and again == small
    with pytest.raises(Enough):
        ar.Ledger.from_json(small.to_json(), progress=stop)
    with pytest.raises(ar.ArTypeError) as e:
        ar.Ledger.from_json(small.to_json(), progress=3)  # type: ignore[arg-type]
    assert e.value.field == "progress"


def test_receipts_keep_remittance_reference_method_and_payer() -> None:
    t = frames()
    receipts = t["receipts"].assign(
        remittance=["I1", None, "payment I2"],
        reference=[None, "CHK 1001", None],
        method=["ach", "check", None],
        payer_name=[None, None, "BETA LLC"],
        payer_account=[None, None, "GB29 NWBK 6016 1331 9268 19"],
    )
    ledger = from_tables({**t, "receipts": receipts})
    inputs = {r["id"]: r for r in ledger.match_receipt_inputs()}
    assert inputs["R3"]["remittance"] == "payment I2"
    assert inputs["R3"]["payer_name"] == "BETA LLC"
    assert inputs["R3"]["account"] == "GB29 NWBK 6016 1331 9268 19"
    # R2's check reference is read as the account it came from.
    assert inputs["R2"]["account"] == "CHK 1001"
    events = json.loads(ledger.to_json())["events"]
    r2 = next(e for e in events if e["event"].get("receipt", {}).get("id") == "R2")
    assert r2["event"]["receipt"]["method"] == "check"
    # The same receipt recorded by its command.
    same = ar.Ledger()
    same.register_customer("BETA", "Beta", "USD", recorded=RECORDED)
    same.record_receipt("R3", day("2026-06-02"), "10.00", "USD", remittance="payment I2",
                        payer_name="BETA LLC", payer_account="GB29 NWBK 6016 1331 9268 19",
                        recorded=RECORDED)
    assert same.match_receipt_inputs()[0] == inputs["R3"]
    # A method that is not one names its row (and its label).
    bad = receipts.assign(method=["ach", "telegraph", None]).set_axis(["a", "b", "c"])
    with pytest.raises(ar.ValidationError) as e:
        from_tables({**t, "receipts": bad})
    check(e, "invalid_value", "receipts.method[1]")
    assert e.value.label == "b"
