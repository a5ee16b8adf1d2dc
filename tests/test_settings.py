"""Changing a district setting: through the one write path (lock, editor, log, undo), and refused
whole with a clear message when the name or the value is wrong."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

import duckdb
import pytest

from atlas.database import access, writes
from atlas.database.importing import undo_last
from atlas.database.settings import BadSetting, change_setting, read_settings
from atlas.database.upgrade import ensure_database

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


@pytest.fixture
def db(demo_db, tmp_path):
    copy = tmp_path / "district.duckdb"
    shutil.copyfile(demo_db, copy)
    return ensure_database(copy)


def threshold(db) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT suppression_min_n FROM setting").fetchone()[0]


def digest(db) -> str:
    return hashlib.sha256(db.read_bytes()).hexdigest()


def test_every_setting_is_listed_with_its_value(db):
    settings = dict(read_settings(db).itertuples(index=False))
    assert settings["suppression_min_n"] == "10"
    assert settings["travel_radius_miles"] == "5.0"
    assert settings["is_title_i_schoolwide_high_need"] == "true"
    assert settings["need_metrics_proficiency"] == "ela_proficiency_pct,math_proficiency_pct"
    assert "setting_id" not in settings and len(settings) == 10


def test_a_change_is_logged_and_undone_like_an_import(db):
    log_id = change_setting(db, "suppression_min_n", "20")
    assert threshold(db) == 20
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "SELECT action, kind, subject FROM import_log WHERE import_id = $id", {"id": log_id}
        ).fetchone()
    assert row == ("edit", "setting", "suppression_min_n")
    undo_last(db)
    assert threshold(db) == 10


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("suppression_min_n", "0", "is not a value suppression_min_n can take"),
        ("high_need_top_share", "1.5", "is not a value high_need_top_share can take"),
        ("travel_radius_miles", "far", "is not a value travel_radius_miles can take"),
        ("suppresion_min_n", "20", "“suppresion_min_n” is not a setting"),
        ("setting_id", "2", "“setting_id” is not a setting"),
        ("need_metric_chronic_absence", "absence_rate", "takes one measure of this district"),
        ("need_metric_chronic_absence", "chronic_absence_pct,graduation_rate_pct", "takes one measure"),
        ("need_metrics_proficiency", "ela_proficiency_pct, nope", "takes measures separated by commas"),
        ("need_metrics_proficiency", " ", "takes measures separated by commas"),
    ],
)
def test_a_wrong_name_or_value_changes_nothing_and_says_why(db, name, value, words):
    before = digest(db)
    with pytest.raises(BadSetting, match=words):
        change_setting(db, name, value)
    assert digest(db) == before


def test_a_viewer_cannot_change_a_setting(db):
    viewer = access.Access(can_edit=False, sign_in_configured=True, user=None, method="password")
    before = digest(db)
    with pytest.raises(writes.NotAllowed):
        change_setting(db, "suppression_min_n", "20", actor=viewer)
    assert digest(db) == before


def test_the_command_line_lists_and_changes_a_setting(db):
    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "atlas", "setting", *args, "--db", str(db)],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip

    listed = run()
    assert listed.returncode == 0 and "suppression_min_n = 10" in listed.stdout
    changed = run("suppression_min_n", "15")
    assert changed.returncode == 0, changed.stderr
    assert threshold(db) == 15
    refused = run("suppression_min_n", "-3")
    assert refused.returncode == 1 and "nothing was changed" in refused.stderr
    assert threshold(db) == 15
