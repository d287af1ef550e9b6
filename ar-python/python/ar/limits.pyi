"""Type stubs for ``ar.limits``: the limits on every count and size a caller
controls, read from the core's constants (a submodule of the native
extension registered as ``ar.limits``). Past one, a call raises
``ar.ValidationError`` with code ``"limit_exceeded"``. Lengths are bytes of
UTF-8. Keep in sync with ``src/limits.rs``; ``python -m mypy.stubtest ar``
checks it.
"""

from typing import Final

__all__ = [
    "MAX_ID_LEN",
    "MAX_TEXT_LEN",
    "MAX_KEY_LEN",
    "MAX_DIMENSIONS",
    "MAX_LINES",
    "MAX_TAXES_PER_LINE",
    "MAX_INSTALLMENTS",
    "MAX_BUCKETS",
    "MAX_PERIODS",
    "MAX_WEIGHTS",
    "MAX_SHOWN",
]

MAX_ID_LEN: Final[int]
"""An id (customer, invoice, receipt, ...): 128 bytes."""
MAX_TEXT_LEN: Final[int]
"""Free text (names, descriptions, reasons, remittance, references): 65,536 bytes."""
MAX_KEY_LEN: Final[int]
"""A tax code, a dimension's key or value: 256 bytes."""
MAX_DIMENSIONS: Final[int]
"""Dimensions of a customer or invoice, keys of a ``group_by``: 64."""
MAX_LINES: Final[int]
"""Lines of an invoice or credit memo: 10,000."""
MAX_TAXES_PER_LINE: Final[int]
"""Taxes on one invoice line: 16."""
MAX_INSTALLMENTS: Final[int]
"""Portions (installments) of one set of payment terms: 366."""
MAX_BUCKETS: Final[int]
"""Bucket bounds of one aging report: 64."""
MAX_PERIODS: Final[int]
"""Periods of a metrics report, months a countback DSO may look back: 1,200."""
MAX_WEIGHTS: Final[int]
"""Weights of one allocation: 1,000,000."""
MAX_SHOWN: Final[int]
"""Bytes of a rejected value an error message shows (then ``…`` and its length): 64."""
