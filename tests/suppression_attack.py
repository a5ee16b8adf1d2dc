"""The attacker of tests/test_suppression_attack.py: collect every number the Outcomes page (every
filter combination, grouping and strategy), its CSV exports and the School profile (every school)
publish for a metric, then solve for each hidden value by differencing.

What is collected comes from the app's own functions that build what is shown (the same frames the
charts, hovers, tables and CSVs are drawn from; the test checks a sample against the page itself):

* cells: every school's value as the heatmap carries it (unrounded) or hidden, with its n (shown
  for hidden cells too), from every view;
* figures: every group figure (all schools in view, each level / need tier / region group, schools
  with and without each strategy, the district beside a school), unrounded, with the n and number
  of schools its hover and table give, and the schools it is about (their level, region, need tier
  and strategy coverage are public).

Solving: each figure is a mean of some of its schools' values, weighted by n — or, where the page
says a figure is a simple mean (some n not reported), weighted 1 each. Which ones, the attacker
works out from the published n and number of schools (the published members only, or all of them);
the district figure, which shows neither, is taken to be what its caption says. A figure over
hidden values gives one linear equation in them; all figures of a metric, over every view, form one
system (so nested and overlapping views are differenced too). A hidden value is recovered when the
system determines it (its unit vector lies in the row space) and the solution agrees with the true
value to the published precision. A cell's n is NaN where it is not reported (never hidden).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from atlas.domain import outcomes, school_trends
from atlas.domain.filters import LEVELS, NEED_TIERS, Filters
from atlas.domain.query.common import strategies
from atlas.domain.query.outcomes import metric_values
from atlas.domain.query.school import school_metrics
from atlas.present.i18n import translate

FRAMEWORK = "nea-fscp-2"
LANG = "en"
TOLERANCE = 0.05  # half the published precision (one decimal)


@dataclass
class Published:
    """Everything published about one metric: cells[(school, year)] = (value or NaN, n or NaN) and
    figures: (year, member schools, value, n or None, number of schools or None, weighted by n)."""

    cells: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)  # keyed by (year, members, n, schools, weighted) to drop repeats
    inconsistent: set = field(default_factory=set)  # cells hidden in one view and shown in another

    def add_cell(self, key: tuple, value: float, n: float) -> None:
        """A value shown in any view is known to the attacker."""
        before, before_n = self.cells.get(key, (value, n))
        assert before_n == n or (before_n != before_n and n != n), (key, before_n, n)
        if (before != before) != (value != value):
            self.inconsistent.add(key)
        assert before != before or value != value or abs(before - value) < 1e-9, (key, before, value)
        self.cells[key] = (value if before != before else before, n)

    def add_figure(self, year: str, members, value: float, n=None, schools=None, weighted=True) -> None:
        if value == value:
            self.figures[(year, frozenset(members), n, schools, bool(weighted))] = value


def all_subsets(items) -> list[tuple]:
    return [combo for size in range(len(items) + 1) for combo in itertools.combinations(items, size)]


def filter_views(regions, school_year: str) -> list[Filters]:
    """Every level × region × need-tier choice (each multiselect's every subset, the empty "all" one too)."""
    base = Filters(framework_id=FRAMEWORK, on_date=date(2026, 1, 15), school_year=school_year)
    return [
        base.with_(levels=levels, regions=chosen, need_tier=tier)
        for levels in all_subsets(LEVELS)
        for chosen in all_subsets(sorted(regions))
        for tier in NEED_TIERS
    ]


def page_frames(values: pd.DataFrame, min_n: int, numbers: list[int]):
    """What the Outcomes page builds from a view's values: the protected values (heatmap, table,
    CSV) and every group figure frame it can show (each grouping, each strategy), with the
    membership column of each frame. Replaced to attack another version of the app."""
    protected = outcomes.protect(values, min_n)
    frames = [(outcomes.group_totals(protected, min_n, None), None)]
    frames += [(outcomes.group_totals(protected, min_n, d), d) for d in outcomes.GROUP_DIMENSIONS]
    frames += [
        (outcomes.strategy_totals(protected, min_n, s), outcomes.strategy_column(s)) for s in numbers
    ]  # the column of the strategy: True / False is has_strategy
    return protected, frames


def profile_trends(metrics: pd.DataFrame, school_id: str, min_n: int) -> pd.DataFrame:
    """The School profile's values and district figures (atlas.domain.school_trends.metric_trends)."""
    return school_trends.metric_trends(metrics, school_id, min_n)


def collect(
    db: Path,
    metric_ids: list[str],
    views: Callable[[list[str]], list[Filters]],
    frames_of: Callable = page_frames,
    trends_of: Callable = profile_trends,
    profiles: Callable[[list[str]], list[str]] = list,
) -> dict[str, Published]:
    """Every number published about each metric, over every view views(regions) gives, and the School
    profiles of the schools profiles(every school id) picks (all of them by default)."""
    os.environ["ATLAS_DB"] = str(db)
    with duckdb.connect(str(db), read_only=True) as con:
        min_n = con.execute("SELECT suppression_min_n FROM setting").fetchone()[0]
        regions = [r for (r,) in con.execute("SELECT DISTINCT region FROM school WHERE region IS NOT NULL").fetchall()]
        school_year = con.execute("SELECT max(school_year) FROM metric").fetchone()[0]
        school_ids = [s for (s,) in con.execute("SELECT school_id FROM school ORDER BY school_id").fetchall()]
    numbers = [int(n) for n in strategies(FRAMEWORK, LANG)["strategy_number"]]
    published = {metric_id: Published() for metric_id in metric_ids}
    for filters in views(regions, school_year):
        for metric_id in metric_ids:
            values = metric_values(metric_id, filters)
            if not values.empty:
                add_outcomes_view(published[metric_id], outcomes.prepare(values, numbers), min_n, numbers, frames_of)
    add_profiles(published, profiles(school_ids), Filters(FRAMEWORK, date(2026, 1, 15), school_year), min_n, trends_of)
    return published


def add_outcomes_view(published: Published, values: pd.DataFrame, min_n: int, numbers, frames_of) -> None:
    protected, frames = frames_of(values, min_n, numbers)
    for row in protected[["school_id", "school_year", "value", "n"]].itertuples(index=False):
        published.add_cell((row.school_id, row.school_year), float(row.value), float(row.n))
    for totals, column in frames:
        # Each figure's schools: those of its year (and of its group, for a grouping or strategy).
        keys = ["school_year"] if column is None else ["school_year", column]
        members = protected.groupby(keys, dropna=False)["school_id"].apply(list).to_dict()
        group_column = "has_strategy" if column and column.startswith("with_strategy_") else column
        for row in totals.to_dict("records"):
            key = row["school_year"] if column is None else (row["school_year"], row[group_column])
            weighted = bool(row.get("is_weighted", True))  # a simple mean shows no n
            n = int(row["n"]) if weighted else None
            published.add_figure(row["school_year"], members[key], row["value"], n, int(row["n_schools"]), weighted)


def add_profiles(published: dict[str, Published], school_ids, filters: Filters, min_n: int, trends_of) -> None:
    """Every School profile: the school's own values and the district figure beside them. The district
    figure shows no n: the attacker takes it to be what the page's caption says it is."""
    published_only = "published values" in translate("school.district_caption", LANG)
    for school_id in school_ids:
        metrics = school_metrics(school_id, filters, LANG)
        if metrics.empty:
            continue
        trends = trends_of(metrics, school_id, min_n)
        for row in trends.itertuples():
            if row.metric_id not in published:
                continue
            target = published[row.metric_id]
            n = metrics.loc[(metrics["school_id"] == school_id) & (metrics["school_year"] == row.school_year)
                            & (metrics["metric_id"] == row.metric_id), "n"].iloc[0]  # fmt: skip
            target.add_cell((school_id, row.school_year), float(row.value), float("nan") if pd.isna(n) else float(n))
            year_rows = metrics[(metrics["metric_id"] == row.metric_id) & (metrics["school_year"] == row.school_year)]
            shown = (year_rows["n"].isna() | (year_rows["n"] >= min_n)).astype(bool)
            members = year_rows.loc[shown, "school_id"] if published_only else year_rows["school_id"]
            weighted = getattr(row, "district_is_weighted", True)  # the page says when it is a simple mean
            weighted = True if pd.isna(weighted) else bool(weighted)
            target.add_figure(row.school_year, members.tolist(), float(row.district_value), weighted=weighted)


@dataclass
class Attack:
    hidden: int  # hidden values of the metric
    determined: list  # the hidden cells the system determines
    recovered: dict  # of those, the ones solved to within TOLERANCE: cell -> (solved, true)
    unexplained: int  # figures whose n and schools match neither their published members nor all of them


def solve(published: Published, truth: dict) -> Attack:
    """Differencing over every figure at once; truth: (school, year) -> the true value."""
    hidden = sorted(key for key, (value, _) in published.cells.items() if value != value)
    column = {key: j for j, key in enumerate(hidden)}
    rows, right, unexplained = [], [], 0
    for (year, members, n, schools, weighted), value in published.figures.items():
        cells = [(school, year) for school in members if (school, year) in published.cells]
        shown = [c for c in cells if c not in column]
        secret = [c for c in cells if c in column]

        def weight(cell, weighted=weighted):
            return published.cells[cell][1] if weighted else 1

        n_shown = sum(weight(c) for c in shown)
        n_all = n_shown + sum(weight(c) for c in secret)
        if not weighted:  # a simple mean: its "n" is its number of schools
            n = schools
        if n is None or schools is None:  # the district figure: the values its caption says it averages
            n, schools = n_all, len(cells)
        if (n, schools) == (n_shown, len(shown)):
            continue  # published values only: nothing hidden in it
        if not secret or (n, schools) != (n_all, len(cells)):
            unexplained += 1
            continue
        row = np.zeros(len(hidden))
        for c in secret:
            row[column[c]] = weight(c)
        rows.append(row)
        right.append(value * n - sum(published.cells[c][0] * weight(c) for c in shown))
    if not rows:
        return Attack(len(hidden), [], {}, unexplained)
    system, target = np.array(rows), np.array(right)
    _, singular, vt = np.linalg.svd(system)
    rank = int((singular > 1e-9 * singular.max()).sum())
    null_space = vt[rank:]
    determined = [key for key in hidden if np.abs(null_space[:, column[key]]).max(initial=0) < 1e-9]
    solution = np.linalg.lstsq(system, target, rcond=None)[0]
    recovered = {
        key: (float(solution[column[key]]), truth[key])
        for key in determined
        if abs(solution[column[key]] - truth[key]) <= TOLERANCE
    }
    return Attack(len(hidden), determined, recovered, unexplained)


def true_values(db: Path, metric_id: str) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT school_id, school_year, value FROM metric WHERE metric_id = $m", {"m": metric_id})
        return {(school, year): value for school, year, value in rows.fetchall()}


def attack(db: Path, metric_ids: list[str], views, **versions) -> dict[str, Attack]:
    published = collect(db, metric_ids, views, **versions)
    return {metric_id: solve(published[metric_id], true_values(db, metric_id)) for metric_id in metric_ids}
