"""Rendering helpers every page uses, so that tables, charts and headlines behave the same
everywhere: private columns dropped in presentation mode and exports, a CSV download
beside every table, a PNG download in every chart's toolbar."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from atlas.app.page_context import current_language, presenting, t
from atlas.domain.privacy import without_private_columns
from atlas.present import escape
from atlas.present.csv_export import csv_bytes
from atlas.present.i18n import catalogue, format_number, not_reported, translate
from atlas.present.table_formats import number_formats


def headline(text: str) -> None:
    """A plain-language finding, the sentence a board member should remember."""
    st.markdown(f"<p class='atlas-headline'>{escape.html(text)}</p>", unsafe_allow_html=True)


def ignored_link_value(key: str, lang: str | None = None) -> None:
    """The note for a value of the link (?key=…) that was malformed or unknown and so ignored.
    The value itself is not shown: anyone can write a link, and its text is not the app's.
    lang: the page's language unless given (the shell gives it: it runs before the page context exists)."""
    st.warning(
        translate("common.link_value_ignored", lang or current_language(), name=escape.markdown(key)),
        icon=":material/link_off:",
    )


def show_chart(figure: go.Figure, *, key: str, file_name: str, **kwargs):
    """A Plotly chart whose toolbar downloads a PNG named file_name (works offline)."""
    config = {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": file_name, "scale": 2},
        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    }
    return st.plotly_chart(figure, key=key, config=config, theme=None, **kwargs)


def list_search(
    container,
    *,
    key: str,
    first: pd.DataFrame,
    total: int,
    find: Callable[[str], pd.DataFrame],
    texts: str = "common.school_search",
):
    """A search box for a list too long to offer whole (schools on School profile and Map, districts
    on Plan). Returns the rows to list: `first` (the first by name) until something is typed, then find(text), whose
    n_matching column counts every match; a caption says how many of how many are listed.
    texts: the key of the box's label, and the prefix of its _placeholder, _first and _matches texts
    (another kind of list, e.g. districts)."""
    lang = current_language()
    search = container.text_input(t(texts), key=key, placeholder=t(f"{texts}_placeholder")).strip()
    if not search:
        caption = t(f"{texts}_first", shown=format_number(len(first), lang), total=format_number(total, lang))
        container.caption(caption)
        return first
    found = find(search)
    n_matching = int(found["n_matching"].max()) if len(found) else 0
    shown = format_number(min(n_matching, len(found)), lang)
    matching = format_number(n_matching, lang)
    container.caption(t(f"{texts}_matches", shown=shown, total=matching, search=escape.markdown(search)))
    return found


def searchable(
    container,
    *,
    key: str,
    find: Callable[[str | None], pd.DataFrame],
    max_rows: int,
    texts: str = "common.school_search",
) -> pd.DataFrame:
    """The rows to offer in a picker: find(None), the first max_rows, whose n_matching column
    counts every row there is; when there are more, a search box above (list_search) and the
    rows find(text) gives for what is typed."""
    first = find(None)
    total = int(first["n_matching"].max()) if len(first) else 0
    if total <= max_rows:
        return first
    return list_search(container, key=key, first=first, total=total, find=find, texts=texts)


# Rows a table shows on screen. A state or national database has hundreds of thousands of
# priority gaps: sending them all to the browser took most of a page's time and nobody reads
# past the first screens. The CSV download still has every row.
SCREEN_ROWS = 1_000


def show_table(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    *,
    key: str,
    file_name: str,
    column_config: dict | None = None,
    first_rows: pd.DataFrame | None = None,
    total_rows: int | None = None,
    **kwargs,
):
    """A table with a CSV download; private columns never appear in the download, and
    appear on screen only outside presentation mode. At most SCREEN_ROWS rows are shown, with a
    caption saying so. For a long table, pass the rows to show as first_rows, their total as
    total_rows and the whole table as a function in frame: it runs only when someone downloads."""
    if first_rows is None:
        first_rows, total_rows = frame, len(frame)
    lang = current_language()
    shown = first_rows.head(SCREEN_ROWS)
    if presenting():
        shown = without_private_columns(shown)
    column_config = dict(column_config or {})
    for column, number_format in number_formats(shown, column_config).items():
        column_config[column] = st.column_config.NumberColumn(format=number_format)
    result = st.dataframe(
        reported_in_words(readable_codes(shown, lang), lang),
        key=key,
        hide_index=True,
        column_config=column_config,
        **kwargs,
    )
    if total_rows and total_rows > len(shown):
        st.caption(t("common.first_rows", shown=format_number(len(shown), lang), total=format_number(total_rows, lang)))
    download_csv(frame, key=f"{key}_csv", file_name=file_name)
    return result


def download_csv(frame: pd.DataFrame | Callable[[], pd.DataFrame], *, key: str, file_name: str) -> None:
    """A CSV download button. The file is made when the button is clicked, not on every run
    (a national table's CSV took seconds to write). frame may be a function returning it."""
    st.download_button(
        t("common.download_csv"),
        functools.partial(_csv_of, frame),
        file_name=f"{file_name}.csv",
        mime="text/csv",
        key=key,
        icon=":material/download:",
    )


def _csv_of(frame: pd.DataFrame | Callable[[], pd.DataFrame]) -> bytes:
    return csv_bytes(frame() if callable(frame) else frame)


# Columns holding stored codes, shown as words (atlas/present/locales/codes.toml) in tables.
# Text the district reports, shown in tables under these headings: a missing value there is said in
# words on screen (Streamlit draws a faded "None"); the CSV keeps the empty cell.
REPORTED_TEXT_COLUMNS = (
    "map.col_region",
    "gaps.col_region",
    "outcomes.col_region",
    "partners.col_languages",
    "school.col_languages",
)


def reported_in_words(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame with a missing value in a column of REPORTED_TEXT_COLUMNS as "not reported"."""
    labels = {translate(key, lang) for key in REPORTED_TEXT_COLUMNS}
    columns = [c for c in frame.columns if c in labels and frame[c].isna().any()]
    if not columns:
        return frame
    readable = frame.copy()
    for column in columns:
        readable[column] = readable[column].astype(object).where(readable[column].notna(), not_reported(lang))
    return readable


CODE_COLUMNS = ("status", "title_i_status", "funding_source", "level")


def readable_codes(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame with code columns (status, level, …) in words of the language."""
    messages = catalogue()
    columns = [c for c in CODE_COLUMNS if c in frame.columns]
    if not columns:
        return frame
    readable = frame.copy()
    for column in columns:
        readable[column] = readable[column].map(
            lambda code, column=column: (
                translate(f"codes.{column}_{code}", lang) if f"codes.{column}_{code}" in messages else code
            )
        )
    return readable


def empty_state(message: str) -> None:
    st.info(message, icon=":material/filter_alt_off:")


def remember(key: str, default, kept_prefix: str):
    """A widget's value, kept across pages: Streamlit forgets a widget's value when another page is
    shown, so a copy is kept under kept_prefix + key and restored when the page comes back."""
    state = st.session_state
    if key not in state:
        state[key] = state.get(kept_prefix + key, default)
    state[kept_prefix + key] = state[key]
    return state[key]
