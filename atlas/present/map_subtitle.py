"""The Map figure's subtitle, line by line: what the measure means (when it needs explaining), how
to read the schools (sizes and clicks, or the areas), then what the rings and lines are. No Streamlit here."""

from __future__ import annotations

from atlas.present.i18n import translate


def map_subtitle(*, explain: str | None, how_to_read: str, marks: list[str]) -> str:
    """How to read the map, line by line: the measure (when it needs explaining), sizes and clicks
    (or the areas), then rings and lines."""
    lines = [*([explain] if explain else []), how_to_read, *([" ".join(marks)] if marks else [])]
    return "<br>".join(lines)


def layer_marks(lang: str, *, partners: str | None, with_boundary: bool, with_zones: bool) -> list[str]:
    """What the rings and lines are; partners is None, 'rings' or 'grouped'."""
    marks = []
    if partners == "rings":
        marks.append(translate("map.subtitle_partners", lang))
    elif partners == "grouped":
        marks.append(translate("map.subtitle_partner_areas", lang))
    if with_boundary:
        marks.append(translate("map.subtitle_boundary", lang))
    if with_zones:
        marks.append(translate("map.subtitle_zones", lang))
    return marks


def explanation(measure: str, lang: str, *, focus: bool) -> str | None:
    if measure == "need_index":
        return translate("map.explain_need", lang)
    if measure == "priority_gap":
        return translate("map.explain_priority_focus" if focus else "map.explain_priority", lang)
    return None
