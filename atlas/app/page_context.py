"""The page context: the filters, the language and presentation mode the shell's sidebar chose for
this run. The shell makes it (atlas.app.shell.sidebar); pages get it from shell.page_context(), and the
app's widgets read their language and mode here, so nothing below the app reads session state.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from atlas.domain import filters as flt
from atlas.present.i18n import DEFAULT_LANGUAGE, translate

CONTEXT_KEY = "atlas_context"


@dataclass(frozen=True)
class PageContext:
    filters: flt.Filters
    lang: str
    presenting: bool
    options: flt.FilterOptions


def keep(context: PageContext) -> None:
    """Store the context the sidebar made, for the page and the widgets it draws."""
    st.session_state[CONTEXT_KEY] = context


def current() -> PageContext | None:
    """This session's context; None until the shell has drawn its sidebar once."""
    return st.session_state.get(CONTEXT_KEY)


def current_language() -> str:
    """The page's language: the context's, or English before the shell has made one."""
    context = current()
    return context.lang if context else DEFAULT_LANGUAGE


def presenting() -> bool:
    """Whether the page is in presentation mode (projector rules: no private columns)."""
    context = current()
    return context.presenting if context else False


def t(key: str, **values) -> str:
    """translate() in the page's language: the short form pages use."""
    return translate(key, current_language(), **values)
