"""The Map page's partners drawn one by one: rings, bullseyes and double rings (circles stacked on a
coloured one, shapes no school has) coloured and patterned by type, one legend entry per type; and
the partners the user chose to see.
No Streamlit here."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas.domain import frames
from atlas.present import escape, palette
from atlas.present.i18n import format_number, translate
from atlas.present.map_marks import (
    PARTNER_CENTRES,
    PARTNERS,
    compact,
    count_phrase,
    size_factor,
    text_table,
)

# Partner types in order of how common they are in the district (type_rank 1, 2, …); rarer ones are grey.
# The commonest types first take colours no school measure uses (schools are blue, sky blue,
# vermillion or orange), so a ring is not read as a school; their shape (a ring) differs anyway.
PARTNER_COLOURS = [
    palette.BLACK,
    palette.PURPLE,
    palette.GREEN,
    palette.YELLOW,
    palette.ORANGE,
    palette.SKY_BLUE,
    palette.BLUE,
    palette.VERMILLION,
]


# Each type also has a pattern, so types read apart in grey print and for colour-blind readers:
# circles stacked from the outside in, (diameter in px, "type" = the type's colour or white). Consecutive
# types differ in both colour and pattern; the first 24 types are 24 distinct (colour, pattern) pairs.
# MapLibre draws other marker symbols (triangles, squares) only from a sprite fetched from a server,
# which an offline map does not have: patterns of circles draw everywhere, in the board packet too.
PATTERNS = {
    "ring": ((12, "type"), (5, "white")),
    "bullseye": ((12, "type"), (8, "white"), (4, "type")),
    "double_ring": ((14, "type"), (10, "white"), (7, "type"), (3, "white")),
}
PATTERN_ORDER = ("ring", "bullseye", "double_ring")
# How each pattern is written in the legend (before the type's name).
PATTERN_GLYPHS = {"ring": "○", "bullseye": "◉", "double_ring": "◎"}
DISTINCT_TYPES = len(PARTNER_COLOURS) * len(PATTERN_ORDER)  # rarer types: grey rings
WHITE = "#FFFFFF"


def type_look(rank: int) -> tuple[str, str]:
    """(colour, pattern) of the type_rank-th commonest partner type."""
    if rank > DISTINCT_TYPES:
        return palette.GREY, "ring"
    return PARTNER_COLOURS[(rank - 1) % len(PARTNER_COLOURS)], PATTERN_ORDER[(rank - 1) % len(PATTERN_ORDER)]


def partner_traces(partners: pd.DataFrame, lang: str, presenting: bool) -> list:
    """One mark per partner, coloured and patterned by type (a trace, and a legend entry, per type:
    the pattern's glyph, the type's name and count), then the inner circles of every pattern."""
    # Patterns need a few pixels: a large district's partners shrink less than its schools.
    scale = (1.25 if presenting else 1.0) * size_factor(len(partners), smallest=0.8)
    title = translate("map.legend_partners", lang)
    # customdata[0] is empty: a click on a partner never opens a school's profile.
    template = "<br>".join(f"%{{customdata[{i}]}}" for i in range(1, 5)) + "<extra></extra>"
    traces = []
    looks = partners["type_rank"].map(type_look)
    for rank, rows in partners.groupby("type_rank", sort=True):
        colour, pattern = type_look(rank)
        label = escape.plotly(rows["type_label"].iloc[0])
        traces.append(
            go.Scattermap(
                lat=compact(rows["latitude"]),
                lon=compact(rows["longitude"]),
                mode="markers",
                marker={"size": PATTERNS[pattern][0][0] * scale, "color": colour, "opacity": 1},
                customdata=text_table(pd.Series([_partner_hover_data(row, lang) for row in frames.rows(rows)])),
                hovertemplate=template,
                name=f"{PATTERN_GLYPHS[pattern]} {label} ({format_number(len(rows), lang)})",
                legendgroup=PARTNERS,
                legendgrouptitle={"text": title},
                meta={"layer": PARTNERS, "partner_type_id": rows["partner_type_id"].iloc[0], "pattern": pattern},
            )
        )
    return [*traces, *_inner_circles(partners, looks, scale, lang)]


def _inner_circles(partners: pd.DataFrame, looks: pd.Series, scale: float, lang: str) -> list:
    """The circles inside each partner's outer one, one trace per depth (the first, white, is the
    ring's centre: layer PARTNER_CENTRES); sizes and colours per partner from its type's pattern."""
    traces = []
    for depth in range(1, max(len(circles) for circles in PATTERNS.values())):
        has_depth = [len(PATTERNS[pattern]) > depth for _, pattern in looks]
        rows, drawn = partners[has_depth], looks[has_depth]
        if not len(rows):
            break
        circles = [PATTERNS[pattern][depth] for _, pattern in drawn]
        colours = [WHITE if fill == "white" else colour for (colour, _), (_, fill) in zip(drawn, circles, strict=True)]
        traces.append(
            go.Scattermap(
                lat=compact(rows["latitude"]),
                lon=compact(rows["longitude"]),
                mode="markers",
                marker={
                    "size": [size * scale for size, _ in circles],
                    "color": colours[0] if len(set(colours)) == 1 else colours,
                    "opacity": 1,
                },
                hoverinfo="skip",
                showlegend=False,
                name=translate("map.partner_centres", lang),
                meta={"layer": PARTNER_CENTRES if depth == 1 else f"{PARTNER_CENTRES}_{depth}"},
            )
        )
    return traces


def _partner_hover_data(row, lang: str) -> list[str]:
    """["", name in bold, type, where it is active now, strategies delivered, languages]."""
    strategies = (
        translate("map.hover_partner_strategies", lang, numbers=row.strategy_numbers)
        if isinstance(row.strategy_numbers, str) and row.strategy_numbers
        else ""
    )
    languages = (
        translate("map.hover_partner_languages", lang, languages=escape.plotly(row.languages))
        if isinstance(row.languages, str) and row.languages
        else ""
    )
    active = translate(
        "map.hover_partner_active",
        lang,
        schools=count_phrase("map.n_schools", row.n_active_schools, lang),
        partnerships=count_phrase("map.n_partnerships", row.n_active_partnerships, lang),
    )
    return ["", f"<b>{escape.plotly(row.name)}</b><br>{escape.plotly(row.type_label)}", active, strategies, languages]


def filter_partners(
    partners: pd.DataFrame, partner_type_ids: list[str] | tuple[str, ...], *, only_focus: bool
) -> pd.DataFrame:
    """The partners the user chose to see: of the given types (none chosen = all), and only
    those delivering the focus strategy when only_focus is set."""
    shown = partners
    if partner_type_ids:
        shown = shown[shown["partner_type_id"].isin(list(partner_type_ids))]
    if only_focus:
        shown = shown[shown["delivers_focus"]]
    return shown


def count_partners(
    partner_types: pd.DataFrame, partner_type_ids: list[str] | tuple[str, ...], *, only_focus: bool
) -> int:
    """How many partners filter_partners would keep, from the counts per type (rows of
    queries/map_partner_types.sql): so the map knows whether to fetch them or their areas."""
    chosen = partner_types
    if partner_type_ids:
        chosen = chosen[chosen["partner_type_id"].isin(list(partner_type_ids))]
    return int(chosen["n_delivering_focus" if only_focus else "n_partners"].sum())
