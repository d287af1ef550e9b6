"""The records of early-payment discounts (``Ledger.discount_split``): the
core's ``DiscountSplit``, read by :mod:`ar._records`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import List

from ar._records import Record, record
from ar.typedefs import DiscountSplitDict, DiscountTaxDict


@record
@dataclass(frozen=True, init=False, slots=True)
class DiscountTax(Record[DiscountTaxDict]):
    """One tax code's share of a discount taken: the ``taxable`` base it
    reduces (net part x the code's share of the invoice's net) and the
    ``tax`` it reduces, at ``rate`` percent."""

    code: str
    rate: Decimal
    taxable: Decimal
    tax: Decimal


@record
@dataclass(frozen=True, init=False, slots=True)
class DiscountSplit(Record[DiscountSplitDict]):
    """How an early-payment discount taken (``amount``) splits into ``net``
    and ``tax`` (what an EU seller books to adjust VAT), and per tax code
    (``taxes``, in code order). A discount of the total reduces net and tax
    in proportion to the invoice's; one of the untaxed amount, or a mixed
    one, only the net."""

    amount: Decimal
    net: Decimal
    tax: Decimal
    taxes: List[DiscountTax]
