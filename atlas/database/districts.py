"""The district files the server knows, and a new, empty district's file.

The server knows its default database ($ATLAS_DB, else data/atlas.duckdb) and every `<id>.duckdb` in the
districts folder ($ATLAS_DISTRICTS_DIR, else data/districts/, created with its first district). A browser
session picks one of them by its key (the file's name; "" for the default): only keys from this listing are
ever turned into a path (resolve), so no link or form value can name a file elsewhere.

A new district (create_district) is checked first (a name, a two-letter state, an id safe in a file name
and not taken) and then written through the one write path (atlas.database.writes: the editor role, the
lock, the import log's 'create' row).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from atlas.database import access, sql, writes
from atlas.database.database_file import ROOT, default_database_path
from atlas.database.load_csv import insert_default_setting, load_frameworks, load_reference

DISTRICTS_DIR_VARIABLE = "ATLAS_DISTRICTS_DIR"
DEFAULT_DISTRICTS_DIR = ROOT / "data" / "districts"
SUFFIX = ".duckdb"
DEFAULT_KEY = ""  # the default database's key in the listing
# A district id becomes a file name: letters, digits, '-' and '_' only (an NCES LEAID is 7 digits).
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
STATE = re.compile(r"[A-Za-z]{2}")
MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class DistrictFile:
    key: str  # what a session keeps: the file's name in the folder, or DEFAULT_KEY
    path: Path

    @property
    def is_default(self) -> bool:
        return self.key == DEFAULT_KEY


class DistrictExists(FileExistsError):
    """A district file with that id was made between the check and the write."""


def districts_dir() -> Path:
    """The folder of district files: $ATLAS_DISTRICTS_DIR, else data/districts (read at call time)."""
    return Path(os.environ.get(DISTRICTS_DIR_VARIABLE) or DEFAULT_DISTRICTS_DIR)


def district_files() -> list[DistrictFile]:
    """The default database, then the folder's district files by name (hidden and temporary files left out)."""
    default = default_database_path()
    found = [DistrictFile(DEFAULT_KEY, default)]
    folder = districts_dir()
    if folder.is_dir():
        seen = {_same(default)}
        for path in sorted(folder.glob(f"*{SUFFIX}")):
            if not path.name.startswith(".") and path.is_file() and _same(path) not in seen:
                found.append(DistrictFile(path.name, path))
    return found


def resolve(key: str | None) -> Path | None:
    """The path of a listed file by its key; None for a key the listing does not hold."""
    for known in district_files():
        if known.key == key:
            return known.path
    return None


def _same(path: Path) -> Path:
    return Path(os.path.abspath(path))


# ---- a new district --------------------------------------------------------------------------------


def district_file_path(district_id: str) -> Path:
    return districts_dir() / f"{district_id}{SUFFIX}"


def check_new_district(district_id: str, name: str, state: str) -> list[str]:
    """What is wrong with a new district's id, name and state, as problem codes (empty: nothing):
    'name_empty', 'name_too_long', 'state_not_two_letters', 'id_unsafe', 'id_exists'."""
    problems = []
    if not name.strip():
        problems.append("name_empty")
    elif len(name.strip()) > MAX_NAME_LENGTH:
        problems.append("name_too_long")
    if not STATE.fullmatch(state.strip()):
        problems.append("state_not_two_letters")
    if not SAFE_ID.fullmatch(district_id.strip()):
        problems.append("id_unsafe")
    elif district_file_path(district_id.strip()).exists():
        problems.append("id_exists")
    return problems


def create_district(district_id: str, name: str, state: str, actor: access.Access | None = None) -> Path:
    """A new, empty district file in the districts folder, named by its id; check_new_district's
    problems must be none (ValueError otherwise). Raises writes.NotAllowed for a writer who may not
    change data and DistrictExists when the file appeared meanwhile; either way nothing is written."""
    problems = check_new_district(district_id, name, state)
    if problems:
        raise ValueError(f"cannot create the district: {', '.join(problems)}")
    path = district_file_path(district_id.strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    return new_district_database(path, district_id.strip(), name.strip(), state.strip(), actor=actor, new_file=True)


def new_district_database(
    path: Path, district_id: str, name: str, state: str, *, actor: access.Access | None = None, new_file: bool = False
) -> Path:
    """An empty database for a real district: schema, frameworks, partner types, metric
    definitions, default settings and the district row — ready for imports.
    new_file: refuse (DistrictExists) when the file exists, checked under the write lock."""

    def fill(con) -> None:
        load_frameworks(con, ROOT / "data" / "frameworks")
        load_reference(con, ROOT / "data" / "reference")
        insert_default_setting(con)
        sql.execute(con, "data_new_district", district_id=district_id, district_name=name, state=state.upper())

    def change(target: Path) -> writes.Change:
        if new_file and target.exists():
            raise DistrictExists(str(target.name))
        return writes.Change("create", "district", fill, subject=district_id)

    writes.write(Path(path), change, actor)
    return Path(path)
