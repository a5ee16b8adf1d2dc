"""What a page says when the district's data has parts missing: no schools, no partners, no
partnerships, no strategy tags, no metrics, and a need index made from some of its parts or none.
Sentences only (both languages, atlas/present/locales/missing.toml); atlas.app.next_step draws them with
a link to the Data page. No Streamlit here."""

from __future__ import annotations

from atlas.domain.query.parts import NEED_PART_SOURCES, NEED_PARTS, DistrictParts
from atlas.present.i18n import format_number, translate


def missing_message(parts: DistrictParts, what: str, lang: str) -> str:
    """The sentence for what is missing ('schools', 'partners', 'partnerships', 'tags' or 'metrics'):
    what is there, what is not and where to add it."""
    counts = {
        "schools": format_number(parts.n_schools, lang),
        "partners": format_number(parts.n_partners, lang),
        "partnerships": format_number(parts.n_partnerships, lang),
    }
    return translate(f"missing.{what}", lang, **counts)


def _joined(words: list[str], lang: str) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {translate('missing.and', lang)} {words[-1]}"


def need_note(parts: DistrictParts, year: str, lang: str) -> str | None:
    """Which parts the need index uses when some are missing, or that it cannot be computed (and
    which columns would make it) when none is there; None when every part is there."""
    if not parts.n_schools:
        return None
    if not parts.has_need:
        return translate("missing.need_none", lang, year=year)
    missing = parts.missing_need_parts
    if not missing:
        return None
    used = [translate(f"missing.part_{part}", lang) for part in NEED_PARTS if part not in missing]
    sources = [source for part in missing for source in NEED_PART_SOURCES[part]]
    return translate(
        "missing.need_partial",
        lang,
        used=_joined(used, lang),
        missing=_joined([translate(f"missing.part_{part}", lang) for part in missing], lang),
        year=year,
        sources=", ".join(sources),
    )


def need_unknown_note(parts: DistrictParts, lang: str) -> str | None:
    """How many schools have no need index while others have one; None when none or all lack it."""
    unknown = parts.n_schools - parts.n_need
    if not parts.has_need or unknown <= 0:
        return None
    return translate(
        "missing.need_some_schools",
        lang,
        n=format_number(unknown, lang),
        total=format_number(parts.n_schools, lang),
    )


def empty_tables(parts: DistrictParts) -> tuple[str, ...]:
    """What has no row at all: 'schools', 'partners', 'partnerships', 'tags', 'metrics' (tags only
    when there are partnerships to tag)."""
    counts = {
        "schools": parts.n_schools,
        "partners": parts.n_partners,
        "partnerships": parts.n_partnerships,
        "tags": parts.has_tags or not parts.n_partnerships,
        "metrics": parts.n_metric_values,
    }
    return tuple(table for table, count in counts.items() if not count)


def quality_empty_note(parts: DistrictParts, lang: str) -> str | None:
    """For the data-quality report: what is not loaded yet, so that its zeros do not look healthy."""
    tables = empty_tables(parts)
    if not tables:
        return None
    names = [translate(f"missing.table_{table}", lang) for table in tables]
    return translate("missing.quality_empty", lang, tables=_joined(names, lang))
