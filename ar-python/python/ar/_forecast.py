"""The records of the cash forecast (``Ledger.forecast``,
``Ledger.forecast_backtest``): the core's ``ar_core::forecast`` results,
read by :mod:`ar._records`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Dict, List

from ar._records import Record, record

Any_ = Dict[str, Any]


@record
@dataclass(frozen=True, init=False, slots=True)
class ForecastItem(Record[Any_]):
    """One open installment: ``expected_amount`` (all of ``open``, or a
    disputed item's share) on ``expected_date``, ``delay_days`` after its
    due date (never before the day after the forecast); ``history`` counts
    the customer's paid installments the delay was learnt from."""

    customer: str
    invoice: str
    installment: int
    currency: str
    due_date: datetime.date
    open: Decimal
    expected_date: datetime.date
    expected_amount: Decimal
    delay_days: int
    history: int
    disputed: bool


@record
@dataclass(frozen=True, init=False, slots=True)
class ForecastBucket(Record[Any_]):
    """Cash expected in ``currency`` in the day, week (from Monday) or month
    that begins on ``start``."""

    start: datetime.date
    currency: str
    amount: Decimal


@record
@dataclass(frozen=True, init=False, slots=True)
class Forecast(Record[Any_]):
    """The cash expected after ``as_of``: per item, and totalled per day, week
    and month; ``book_delay_days`` is the whole book's average delay, which a
    customer with little history is shrunk toward."""

    as_of: datetime.date
    book_delay_days: int
    items: List[ForecastItem]
    daily: List[ForecastBucket]
    weekly: List[ForecastBucket]
    monthly: List[ForecastBucket]


@record
@dataclass(frozen=True, init=False, slots=True)
class BacktestWeek(Record[Any_]):
    """One week of a back-test from ``start``: what the forecast expected,
    what was ``actual``ly received on its items, and the two naive forecasts
    (paid on the due date; paid the book's average delay after it)."""

    start: datetime.date
    currency: str
    forecast: Decimal
    actual: Decimal
    on_due_date: Decimal
    book_average: Decimal


@record
@dataclass(frozen=True, init=False, slots=True)
class BacktestError(Record[Any_]):
    """Per currency, the mean absolute weekly error (``mae``) and the bias
    (mean of forecast minus actual) of the forecast, and the mean absolute
    errors of the two naive forecasts."""

    currency: str
    mae: Decimal
    bias: Decimal
    mae_on_due_date: Decimal
    mae_book_average: Decimal


@record
@dataclass(frozen=True, init=False, slots=True)
class Backtest(Record[Any_]):
    """A forecast as of a past date against the weeks after it."""

    forecast: Forecast
    weeks: List[BacktestWeek]
    errors: List[BacktestError]
