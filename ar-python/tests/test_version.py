"""Smoke tests for the ``ar`` Python package."""

import importlib.metadata
import re

import ar
from ar import _ar


def test_version_is_a_semver_string() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+(?:[-+].*)?", ar.version())


def test_version_matches_installed_distribution() -> None:
    # maturin takes the distribution version from the crate version.
    assert ar.version() == importlib.metadata.version("ar")


def test_package_reexports_native_module() -> None:
    assert ar.version is _ar.version


def test_dunder_version_is_the_crate_version() -> None:
    assert ar.__version__ == ar.version()
    assert _ar.__version__ == ar.__version__


def test_everything_public_is_reexported() -> None:
    for name in _ar.__all__:
        assert getattr(ar, name) is getattr(_ar, name), name
    assert sorted(ar.__all__) == sorted(_ar.__all__)
