"""Imports are bounded and ids are compared as a person reads them: a file too large to import
(compressed or not) is refused before it is read, ids that differ only in case are a clear error,
exported cells cannot smuggle a formula, and the editors' passwords never reach git."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from atlas.ui import csv_bytes

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(demo_db, tmp_path):
    copy = tmp_path / "atlas.duckdb"
    shutil.copyfile(demo_db, copy)
    return copy


# ---- exports and secrets ---------------------------------------------------------------------------


def test_exported_cells_starting_with_tab_or_carriage_return_are_defused():
    frame = pd.DataFrame({"name": ["\t=1+1", "\r=HYPERLINK(1)", "=2+2", "Plain", " =spaced"]})
    cells = [row[0] for row in csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8-sig"), newline=""))]
    assert cells == ["name", "'\t=1+1", "'\r=HYPERLINK(1)", "'=2+2", "Plain", " =spaced"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_streamlit_secrets_file_is_ignored_by_git():
    checked = subprocess.run(
        ["git", "check-ignore", "--no-index", "-q", ".streamlit/secrets.toml"], cwd=ROOT, check=False
    )
    assert checked.returncode == 0
