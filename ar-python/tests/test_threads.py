"""One ``Ledger`` (and one ``Matcher``) shared between threads: calls are
serialized, never "Already borrowed", and the result is what the same
commands give when run one after another."""

from __future__ import annotations

import datetime
import sys
import threading
from decimal import Decimal
from typing import List, Tuple

import ar
from ar.typedefs import MatchItemDict, MatchReceiptDict

THREADS = 8
ROUNDS = 60  # per thread; 8 calls a round: 3,840 calls in all
D0 = datetime.date(2026, 3, 2)

# A command as data: (method name, positional args, keyword args).
Command = Tuple[str, Tuple[object, ...], dict[str, object]]


def run(ledger: ar.Ledger, command: Command) -> ar.Outcome:
    name, args, kwargs = command
    result: ar.Outcome = getattr(ledger, name)(*args, **kwargs)
    return result


def worker(
    ledger: ar.Ledger,
    t: int,
    accepted: List[Command],
    unexpected: List[BaseException],
    counts: List[int],
) -> None:
    """Thread ``t``'s share: its own customer, invoices and receipts (so
    that the threads' commands commute), queries of the whole ledger, and
    commands that must be refused."""
    customer = f"C{t}"
    try:
        for i in range(ROUNDS):
            day = D0 + datetime.timedelta(days=i % 20)
            inv, rec = f"I{t}-{i}", f"R{t}-{i}"
            commands: List[Command] = [
                ("issue_invoice", (inv, customer, day, [ar.Line("work", 1, Decimal("100.00"))]), {}),
                ("record_receipt", (rec, day, Decimal("60.00"), "USD"), {"customer": customer}),
                ("apply", (inv, Decimal("60.00"), day), {"receipt": rec}),
            ]
            for c in commands:
                run(ledger, c)
                accepted.append(c)
                counts[0] += 1
            # Refused, and so changing nothing: a duplicate id, an
            # over-application.
            try:
                run(ledger, ("record_receipt", (rec, day, Decimal("1.00"), "USD"), {}))
                raise AssertionError("a duplicate receipt id was accepted")
            except ar.ConflictError as e:
                assert e.code == "duplicate_id"
            try:
                run(ledger, ("apply", (inv, Decimal("50.00"), day), {"receipt": rec}))
                raise AssertionError("an over-application was accepted")
            except ar.StateError as e:
                assert e.code == "over_application"
            counts[0] += 2
            # Queries, while other threads write.
            mine = ledger.customer_balance(customer)
            assert mine[0].invoices == Decimal("40.00") * (i + 1)
            assert ledger.invoice(inv).open == Decimal("40.00")
            assert len(ledger) >= 3 * (i + 1)
            counts[0] += 3
            if i % 10 == 0:
                ledger.aging(day, group_by=["customer"])
                assert ledger == ledger  # locks nothing twice
                counts[0] += 2
    except BaseException as e:  # noqa: BLE001 - every failure is reported
        unexpected.append(e)


def test_a_ledger_shared_by_eight_threads_is_serialized() -> None:
    # Switch threads often, to interleave the calls as much as possible.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        ledger = ar.Ledger()
        for t in range(THREADS):
            ledger.register_customer(f"C{t}", f"Customer {t}", "USD")
        accepted: List[List[Command]] = [[] for _ in range(THREADS)]
        unexpected: List[BaseException] = []
        counts = [[0] for _ in range(THREADS)]
        threads = [
            threading.Thread(target=worker, args=(ledger, t, accepted[t], unexpected, counts[t]))
            for t in range(THREADS)
        ]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    finally:
        sys.setswitchinterval(interval)

    assert unexpected == [], unexpected[:3]
    calls = sum(c[0] for c in counts)
    assert calls >= THREADS * ROUNDS * 8
    print(f"{calls} calls from {THREADS} threads on one ledger")

    # The same commands, one after another, thread by thread.
    replay = ar.Ledger()
    for t in range(THREADS):
        replay.register_customer(f"C{t}", f"Customer {t}", "USD")
    for commands in accepted:
        for c in commands:
            run(replay, c)
    assert len(ledger) == len(replay) == THREADS * (1 + 3 * ROUNDS)
    assert ledger.balances() == replay.balances()
    # Open items come in issue order, which interleaves across threads.
    def by_id(items: List[ar.OpenItem]) -> List[ar.OpenItem]:
        return sorted(items, key=lambda x: (x.kind, x.id))

    assert by_id(ledger.open_items()) == by_id(replay.open_items())
    # Worked by hand: each round leaves 100.00 - 60.00 open.
    for row in ledger.balances():
        assert row.invoices == Decimal("40.00") * ROUNDS
        assert row.unapplied_cash == Decimal("0.00")
    # Every thread's recorded times are in order in the log, and the log
    # reads back to the same ledger.
    assert ar.Ledger.from_json(ledger.to_json()) == ledger


def test_default_recorded_times_never_go_back_between_threads() -> None:
    # Each command's default `recorded` is read with the ledger locked, so
    # eight threads recording at once never get recorded_out_of_order.
    ledger = ar.Ledger()
    ledger.register_customer("C", "C", "USD")
    errors: List[BaseException] = []

    def record(t: int) -> None:
        try:
            for i in range(100):
                ledger.record_receipt(f"R{t}-{i}", D0, Decimal("1.00"), "USD", customer="C")
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=record, args=(t,)) for t in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    times = [e.recorded for e in ledger.events()]
    assert times == sorted(times)
    assert len(times) == 1 + THREADS * 100


def test_equality_is_safe_across_threads() -> None:
    # a == b and b == a at the same time, with writers: no deadlock.
    a, b = ar.Ledger(), ar.Ledger()
    for led in (a, b):
        led.register_customer("C", "C", "USD", recorded=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc))
    assert a == b and not (a != b)
    assert a == a
    assert (a == 1) is False and a != "x"
    stop = threading.Event()
    errors: List[BaseException] = []

    def compare(x: ar.Ledger, y: ar.Ledger) -> None:
        try:
            while not stop.is_set():
                x == y  # noqa: B015 - the comparison is the test
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    def write(led: ar.Ledger, tag: str) -> None:
        try:
            for i in range(200):
                led.record_receipt(f"{tag}{i}", D0, Decimal("1.00"), "USD")
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    readers = [threading.Thread(target=compare, args=p) for p in ((a, b), (b, a), (a, a))]
    writers = [threading.Thread(target=write, args=p) for p in ((a, "A"), (b, "B"))]
    for th in readers + writers:
        th.start()
    for th in writers:
        th.join(timeout=60)
    stop.set()
    for th in readers:
        th.join(timeout=60)
    assert not any(th.is_alive() for th in readers + writers), "deadlock"
    assert errors == []
    assert len(a) == len(b) == 201


def test_a_matcher_shared_by_threads_settles_an_item_once() -> None:
    item: MatchItemDict = {
        "kind": "invoice",
        "id": "INV-1",
        "customer": "ACME",
        "currency": "USD",
        "date": datetime.date(2026, 3, 1),
        "due_date": datetime.date(2026, 3, 31),
        "open": Decimal("100.00"),
    }
    matcher = ar.Matcher([item])
    results: List[str] = []
    errors: List[BaseException] = []
    lock = threading.Lock()

    def match(t: int) -> None:
        try:
            receipt: MatchReceiptDict = {
                "id": f"R{t}",
                "customer": "ACME",
                "currency": "USD",
                "date": datetime.date(2026, 4, 1),
                "amount": Decimal("100.00"),
                "remittance": "INV-1",
            }
            matcher.propose(receipt)
            batch = matcher.match_batch([receipt])
            with lock:
                results.append(batch.matches[0].status)
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads: List[threading.Thread] = [
        threading.Thread(target=match, args=(t,)) for t in range(THREADS)
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert len(results) == THREADS
    # Exactly one receipt takes the one invoice; the others find it settled.
    assert results.count("auto") == 1, results


