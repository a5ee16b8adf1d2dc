"""Shared fixtures: the tiny hand-made district and the bundled demo district."""

from __future__ import annotations

import duckdb
import pytest

from atlas.build import build_demo_database
from tests.tiny_district import build_tiny_district


@pytest.fixture
def tiny_db(tmp_path):
    return build_tiny_district(tmp_path / "tiny.duckdb")


@pytest.fixture
def tiny_con(tiny_db):
    with duckdb.connect(str(tiny_db), read_only=True) as con:
        yield con


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """The demo district built once per test session (read-only use only)."""
    return build_demo_database(tmp_path_factory.mktemp("demo") / "demo.duckdb")
