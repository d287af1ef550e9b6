"""Accounts-receivable engine (Python bindings for the Rust crate ``ar-core``)."""

from ar._ar import version

__all__ = ["version"]
