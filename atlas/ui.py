"""Rendering helpers every page uses, so that tables, charts and headlines behave the same
everywhere: private columns dropped in presentation mode and exports, a CSV download
beside every table, a PNG download in every chart's toolbar."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from atlas.i18n import catalogue, current_language, t, translate
from atlas.privacy import without_private_columns


def headline(text: str) -> None:
    """A plain-language finding, the sentence a board member should remember."""
    st.markdown(f"<p class='atlas-headline'>{_escape(text)}</p>", unsafe_allow_html=True)


def show_chart(figure: go.Figure, *, key: str, file_name: str, **kwargs):
    """A Plotly chart whose toolbar downloads a PNG named file_name (works offline)."""
    config = {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": file_name, "scale": 2},
        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    }
    return st.plotly_chart(figure, key=key, config=config, theme=None, **kwargs)


def show_table(frame: pd.DataFrame, *, key: str, file_name: str, column_config: dict | None = None, **kwargs):
    """A table with a CSV download; private columns never appear in the download, and
    appear on screen only outside presentation mode."""
    presenting = st.session_state.get("present", False)
    shown = without_private_columns(frame) if presenting else frame
    shown = readable_codes(shown, current_language())
    result = st.dataframe(shown, key=key, hide_index=True, column_config=column_config, **kwargs)
    download_csv(frame, key=f"{key}_csv", file_name=file_name)
    return result


def download_csv(frame: pd.DataFrame, *, key: str, file_name: str) -> None:
    data = csv_bytes(frame)
    st.download_button(
        t("common.download_csv"),
        data,
        file_name=f"{file_name}.csv",
        mime="text/csv",
        key=key,
        icon=":material/download:",
    )


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV without private columns, and with spreadsheet formulas neutralised: a cell that
    starts with = + - @ is prefixed with ' so Excel shows it as text."""
    public = without_private_columns(frame).copy()
    for column in public.columns:
        if public[column].dtype == object or pd.api.types.is_string_dtype(public[column]):
            public[column] = public[column].map(_defuse_formula)
    return public.to_csv(index=False).encode("utf-8-sig")  # BOM: Excel then reads UTF-8


# Columns holding stored codes, shown as words (atlas/locales/codes.toml) in tables.
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


def _defuse_formula(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
