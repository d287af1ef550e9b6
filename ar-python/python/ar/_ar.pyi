"""Type stubs for the native extension module ``ar._ar`` (implemented in Rust).

Keep in sync with ``src/lib.rs``; ``python -m mypy.stubtest ar`` checks it.
"""

__all__ = ["version"]

def version() -> str:
    """Return the version of the ``ar`` native extension (the crate version)."""
