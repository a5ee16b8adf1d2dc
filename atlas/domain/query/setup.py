"""The setup checklist's counts (queries/setup_checklist.sql) and the state of each step.

A step is 'missing' (nothing yet), 'partial' (there, with gaps the pages can live with) or 'done';
the boundary is 'optional'. A district is incomplete while a step is missing: the Overview then shows
the checklist; the Data page shows it while any step is missing or partial.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from atlas.database.db import run_query

MISSING, PARTIAL, DONE, OPTIONAL = "missing", "partial", "done", "optional"
# The steps in the order a district takes them.
STEPS = ("schools", "partners", "partnerships", "tags", "metrics", "need", "boundary")
# The parts of the need index, by the count that says how many schools have each.
NEED_PARTS = ("frl", "el", "chronic_absence", "proficiency")


@dataclass(frozen=True)
class SetupCounts:
    n_schools: int
    n_schools_located: int
    n_partners: int
    n_partnerships: int
    n_untagged: int  # partnerships with no strategy of the framework
    n_metric_values: int
    n_schools_with_metrics: int
    n_frl: int  # schools with an FRL %
    n_el: int
    n_chronic_absence: int  # schools with a chronic-absence value in some school year
    n_proficiency: int  # schools with an ELA or math proficiency value in some school year
    n_boundary: int

    def need_parts(self) -> dict[str, int]:
        """Schools with each part of the need index, by part."""
        return {part: getattr(self, f"n_{part}") for part in NEED_PARTS}


def setup_counts(framework_id: str) -> SetupCounts:
    """The checklist's counts for the current database file (untagged: with no strategy of framework_id)."""
    row = run_query("setup_checklist", framework_id=framework_id).iloc[0]
    return SetupCounts(**{f.name: int(row[f.name]) for f in fields(SetupCounts)})


def step_states(counts: SetupCounts) -> dict[str, str]:
    """Each step of STEPS with its state."""
    c = counts
    parts = c.need_parts().values()
    return {
        "schools": _state(c.n_schools, c.n_schools_located == c.n_schools),
        "partners": _state(c.n_partners, True),
        "partnerships": _state(c.n_partnerships, True),
        # Tags: missing while no partnership is tagged (or none exists to tag).
        "tags": _state(c.n_partnerships - c.n_untagged, c.n_untagged == 0),
        "metrics": _state(c.n_metric_values, c.n_schools_with_metrics == c.n_schools),
        "need": _state(sum(parts), all(n == c.n_schools for n in parts)),
        "boundary": DONE if c.n_boundary else OPTIONAL,
    }


def _state(n_present: int, is_whole: bool) -> str:
    if n_present == 0:
        return MISSING
    return DONE if is_whole else PARTIAL


def is_incomplete(states: dict[str, str]) -> bool:
    """Whether a step is still missing (the Overview shows the checklist)."""
    return MISSING in states.values()


def needs_attention(states: dict[str, str]) -> bool:
    """Whether a step is missing or partial (the Data page shows the checklist open)."""
    return MISSING in states.values() or PARTIAL in states.values()
