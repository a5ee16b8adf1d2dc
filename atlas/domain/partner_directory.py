"""The partner directory as data: its contact columns, how many partners a search found, the
partners the picker lists, and the directory counted by partner type and by strategy. No Streamlit here."""

from __future__ import annotations

import pandas as pd

CONTACT_COLUMNS = ("contact_name", "contact_email", "contact_phone")


PICKER_ROWS = 1_000  # partners the picker lists; the directory search narrows them


def n_matching(found: pd.DataFrame) -> int:
    """How many partners the directory's search found in all (queries/partners_directory.sql): found
    holds the first rows only."""
    return int(found["n_matching"].iloc[0]) if len(found) else 0


def picker_partners(found: pd.DataFrame, chosen: pd.DataFrame | None = None) -> pd.DataFrame:
    """partner_id, name of the partners the picker lists: the first PICKER_ROWS found, plus the
    chosen one (its directory row; no row when it is not in the directory) when it is not among
    them, first: a link or an earlier pick must still open, whatever the search."""
    listed = found[["partner_id", "name"]].head(PICKER_ROWS)
    if chosen is not None and len(chosen) and chosen["partner_id"].iloc[0] not in set(listed["partner_id"]):
        listed = pd.concat([chosen[["partner_id", "name"]], listed], ignore_index=True)
    return listed


def type_counts(counts: pd.Series) -> pd.DataFrame:
    """Per partner type (every type, zero included): partners with an active partnership and
    partners without one, most partners first, then by name (the query's order). counts: the
    directory counted (queries/partners_counts.sql)."""
    table = pd.DataFrame(list(counts["by_type"]), columns=["partner_type_id", "partner_type", "n_active", "n_inactive"])
    table["n_partners"] = table["n_active"] + table["n_inactive"]
    return table


def strategy_counts(counts: pd.Series, strategies: pd.DataFrame) -> pd.DataFrame:
    """Per strategy (every strategy of the framework, zero included): partners delivering it through
    an active partnership at a school in scope. counts: the directory counted
    (queries/partners_counts.sql)."""
    found = {row["strategy_number"]: row["n_partners"] for row in counts["by_strategy"]}
    table = strategies[["strategy_number", "short_name"]].copy()
    table["n_partners"] = [int(found.get(n, 0)) for n in table["strategy_number"]]
    return table
