"""The setup checklist's sentences: for each step, what is there now (in numbers) and the next step's label."""

from __future__ import annotations

from atlas.domain.query.setup import DONE, MISSING, NEED_PARTS, SetupCounts
from atlas.present.i18n import format_number, translate


def step_label(step: str, lang: str) -> str:
    return translate(f"setup.step_{step}", lang)


def state_label(state: str, lang: str) -> str:
    return translate(f"setup.state_{state}", lang)


def step_sentence(step: str, state: str, counts: SetupCounts, lang: str) -> str:
    """What the step's data is now, in numbers."""
    c = counts

    def n(value: int) -> str:
        return format_number(value, lang)

    if step == "schools":
        if state == MISSING:
            return translate("setup.schools_missing", lang)
        return translate("setup.schools_state", lang, n=n(c.n_schools), located=n(c.n_schools_located))
    if step in ("partners", "partnerships"):
        if state == MISSING:
            return translate(f"setup.{step}_missing", lang)
        return translate(f"setup.{step}_state", lang, n=n(getattr(c, f"n_{step}")))
    if step == "tags":
        return _tags_sentence(state, c, lang)
    if step == "metrics":
        if state == MISSING:
            return translate("setup.metrics_missing", lang)
        return translate(
            "setup.metrics_state",
            lang,
            n=n(c.n_metric_values),
            schools=n(c.n_schools_with_metrics),
            total=n(c.n_schools),
        )
    if step == "need":
        return need_sentence(c, lang)
    return translate("setup.boundary_done" if state == DONE else "setup.boundary_optional", lang)


def _tags_sentence(state: str, c: SetupCounts, lang: str) -> str:
    if c.n_partnerships == 0:
        return translate("setup.tags_nothing", lang)
    if state == MISSING:
        return translate("setup.tags_missing", lang, n=format_number(c.n_partnerships, lang))
    if state == DONE:
        return translate("setup.tags_done", lang)
    return translate(
        "setup.tags_state",
        lang,
        untagged=format_number(c.n_untagged, lang),
        n=format_number(c.n_partnerships, lang),
    )


def need_sentence(counts: SetupCounts, lang: str) -> str:
    """Which parts of the need index the district has, for how many schools, and which it lacks."""
    parts = counts.need_parts()
    present = [part for part in NEED_PARTS if parts[part]]
    if not present:
        return translate("setup.need_missing", lang)
    total = format_number(counts.n_schools, lang)
    listed = [
        translate(
            "setup.need_part",
            lang,
            part=translate(f"setup.part_{part}", lang),
            n=format_number(parts[part], lang),
            total=total,
        )
        for part in present
    ]
    sentence = translate("setup.need_state", lang, present="; ".join(listed))
    absent = [translate(f"setup.part_{part}", lang) for part in NEED_PARTS if not parts[part]]
    if absent:
        sentence += " " + translate("setup.need_absent", lang, absent=", ".join(absent))
    return sentence


def next_steps(step: str, state: str, counts: SetupCounts, lang: str) -> list[tuple[str, str | None, str | None]]:
    """The next step's actions: (label, target, help), target 'import:<kind>' (the Data page's import with that
    kind chosen), 'tag' (its strategy tagging) or None (a note with no button). Empty when nothing is to do."""
    c = counts
    if state in (DONE, "optional"):
        return []
    if step == "schools":
        if state == MISSING:
            return [_action("next_schools", "import:schools", lang)]
        return [_action("next_schools_locations", "import:schools", lang, with_help=True)]
    if step == "partners":
        return [_action("next_partners", "import:partners", lang)]
    if step == "partnerships":
        if not (c.n_schools and c.n_partners):
            return [_action("partnerships_after", None, lang)]
        return [_action("next_partnerships", "import:partnerships", lang)]
    if step == "tags":
        return [_action("next_tags", "tag", lang)] if c.n_partnerships else []
    if step == "metrics":
        return [_action("next_metrics", "import:metrics", lang)]
    actions = []
    if min(c.n_frl, c.n_el) < c.n_schools:
        actions.append(_action("next_need_schools", "import:schools", lang, with_help=True))
    if min(c.n_chronic_absence, c.n_proficiency) < c.n_schools:
        actions.append(_action("next_need_metrics", "import:metrics", lang, with_help=True))
    return actions


def _action(key: str, target: str | None, lang: str, *, with_help: bool = False) -> tuple[str, str | None, str | None]:
    return translate(f"setup.{key}", lang), target, translate(f"setup.{key}_help", lang) if with_help else None
