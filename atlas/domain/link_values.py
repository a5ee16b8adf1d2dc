"""Values read from a link (the URL's query string), checked strictly: anyone can write a link,
so each reader returns None for a value that is malformed, too long or not one the app knows,
and the page ignores it with a note (atlas.app.ui.ignored_link_value) instead of failing.

Numbers are ASCII digits only (str.isdigit also accepts '²' and 5,000-digit strings, which int()
then rejects or chews on), dates are YYYY-MM-DD within DATE_RANGE, and ids are compared exactly
with the ids the database holds, after a length check so a 100 KB value never reaches a query.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

MAX_ID_LENGTH = 200  # longer than any id a district writes; anything longer is not looked up
DATE_RANGE = (date(1900, 1, 1), date(2100, 12, 31))
_WHOLE_NUMBER = re.compile(r"[0-9]{1,4}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def whole_number(raw: str | None, low: int, high: int) -> int | None:
    """raw as a whole number from low to high, written with at most four ASCII digits."""
    if raw is None or not _WHOLE_NUMBER.fullmatch(raw):
        return None
    number = int(raw)
    return number if low <= number <= high else None


def iso_date(raw: str | None) -> date | None:
    """raw as a date written YYYY-MM-DD within DATE_RANGE."""
    if raw is None or not _ISO_DATE.fullmatch(raw):
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:  # 2025-02-30
        return None
    return day if DATE_RANGE[0] <= day <= DATE_RANGE[1] else None


def plausible_id(raw: str | None) -> str | None:
    """raw if it could be an id (not empty, not too long, no control characters): worth looking up."""
    if not raw or len(raw) > MAX_ID_LENGTH or _CONTROL.search(raw):
        return None
    return raw


def known(raw: str | None, allowed: Collection[str]) -> str | None:
    """raw if it is exactly one of allowed."""
    return raw if plausible_id(raw) is not None and raw in allowed else None
