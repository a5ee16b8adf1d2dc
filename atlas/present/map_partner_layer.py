"""The Map page's partners drawn one by one: rings (a white dot inside a coloured one, a shape no
school has) coloured by type, one legend entry per type; and the partners the user chose to see.
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


def partner_traces(partners: pd.DataFrame, lang: str, presenting: bool) -> list:
    """One ring per partner, coloured by type (a trace, and a legend entry, per type)."""
    outer, inner = (15, 6) if presenting else (12, 5)
    title = translate("map.legend_partners", lang)
    # customdata[0] is empty: a click on a partner never opens a school's profile.
    template = "<br>".join(f"%{{customdata[{i}]}}" for i in range(1, 5)) + "<extra></extra>"
    traces = []
    for rank, rows in partners.groupby("type_rank", sort=True):
        colour = PARTNER_COLOURS[rank - 1] if rank <= len(PARTNER_COLOURS) else palette.GREY
        rings = go.Scattermap(
            lat=compact(rows["latitude"]),
            lon=compact(rows["longitude"]),
            mode="markers",
            marker={"size": outer, "color": colour, "opacity": 1},
            customdata=text_table(pd.Series([_partner_hover_data(row, lang) for row in frames.rows(rows)])),
            hovertemplate=template,
            name=f"{escape.plotly(rows['type_label'].iloc[0])} ({format_number(len(rows), lang)})",
            legendgroup=PARTNERS,
            legendgrouptitle={"text": title},
            meta={"layer": PARTNERS, "partner_type_id": rows["partner_type_id"].iloc[0]},
        )
        traces.append(rings)
    # White centres make each partner a ring, a shape no school has.
    centres = go.Scattermap(
        lat=compact(partners["latitude"]),
        lon=compact(partners["longitude"]),
        mode="markers",
        marker={"size": inner, "color": "#FFFFFF", "opacity": 1},
        hoverinfo="skip",
        showlegend=False,
        name=translate("map.partner_centres", lang),
        meta={"layer": PARTNER_CENTRES},
    )
    return [*traces, centres]


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
