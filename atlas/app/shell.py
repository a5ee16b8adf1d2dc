"""The app shell: page setup, the shared sidebar (language, presentation mode, filters),
filters kept in the URL, and the context every page reads.

app.py calls start() then sidebar(); each page calls page_context() first.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import date

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from atlas.app import district_files, ui
from atlas.app.navigation import PAGES
from atlas.app.page_context import CONTEXT_KEY, PageContext, current_language, keep
from atlas.app.pages_folder import as_app_script, page_run_by_app, running_without_app
from atlas.database.database_file import use_database_file
from atlas.database.upgrade import ensure_database
from atlas.domain import filters as flt
from atlas.domain import link_values
from atlas.domain.query.common import district, filter_options, frameworks, strategies
from atlas.present import escape
from atlas.present.i18n import LANGUAGES, format_date, format_number, translate

log = logging.getLogger(__name__)

SEEDED_KEY = "atlas_seeded_from_url"
# Widget keys equal Filters field names, so session state maps straight onto Filters.
FILTER_KEYS = tuple(flt.URL_KEYS)


def run_app() -> None:
    """What app.py does: the shell, then the page the URL asks for."""
    guarded(_shell_and_page)()


def _shell_and_page() -> None:
    try:
        with as_app_script():
            start()
            context = sidebar()
            page = navigation(context.lang)
        with page_run_by_app():
            page.run()
    finally:
        use_database_file(None)  # the run's file is set again by the next run (a callback asks the session)


def guarded(draw: Callable[[], None]) -> Callable[[], None]:
    """draw, with an unexpected error shown as a short message in the page's language and logged
    with its traceback on the server: a viewer never sees file paths or source lines. Every
    view's render() is guarded too, as a deep link on a fresh server runs a page without app.py.
    Streamlit's own st.stop, st.rerun and st.switch_page raise ScriptControlException, a
    BaseException, so they pass through."""

    @functools.wraps(draw)
    def drawn() -> None:
        try:
            draw()
        except Exception:
            log.exception("Drawing %s.%s failed", draw.__module__, draw.__qualname__)
            st.error(translate("shell.unexpected_error", current_language()), icon=":material/error:")

    return drawn


def navigation(lang: str) -> StreamlitPage:
    """Register every page of atlas.app.navigation.PAGES with Streamlit, titled in lang; returns the one to run."""
    pages = [
        st.Page(
            spec.script,
            title=translate(spec.title_key, lang),
            icon=spec.icon,
            url_path=spec.url_path or None,
            default=not spec.url_path,
        )
        for spec in PAGES
    ]
    return st.navigation(pages)


def start() -> None:
    # This session's district file first (on its first run, the one the link names): everything below reads it.
    file_ignored = not st.session_state.get(SEEDED_KEY) and not district_files.seed_from_url(st.query_params.to_dict())
    ensure_database(district_files.use_session_file())
    ignored = _seed_from_url_once() + ([district_files.URL_KEY] if file_ignored else [])
    presenting = st.session_state.get("present", False)
    st.set_page_config(
        page_title="Partnership Atlas",
        page_icon="🤝",  # an emoji favicon is drawn locally; a :material/…: one is fetched online
        layout="wide",
        initial_sidebar_state="collapsed" if presenting else "auto",
    )
    _inject_css(presenting)
    for key in ignored:
        ui.ignored_link_value(key, st.session_state["lang"])


def sidebar() -> PageContext:
    """Draw the shared sidebar and store the page context for the pages."""
    # The reference data the widgets read is kept per file (run_reference_query), so it is read here in
    # turn: threads to read it at once cost 1.7 ms on every run and saved 8 ms only on a file's first.
    options = filter_options()
    defaults = flt.default_filters(options, date.today())
    with st.sidebar:
        st.selectbox("Language · Idioma", list(LANGUAGES), format_func=LANGUAGES.get, key="lang")
        lang = st.session_state["lang"]
        st.toggle(
            translate("shell.presentation_mode", lang), key="present", help=translate("shell.presentation_help", lang)
        )
        if not st.session_state["present"]:
            district_files.picker(lang)
        # In presentation mode the filters stay drawn (so their values survive) but folded away.
        with st.expander(
            translate("shell.filters", lang), expanded=not st.session_state["present"], icon=":material/tune:"
        ):
            chosen = _filter_widgets(options, defaults, lang)
        context = PageContext(chosen, lang, st.session_state["present"], options)
        _packet_panel(context)
        _district_caption(lang)
    _write_url(chosen, defaults)
    keep(context)
    return context


def page_context() -> PageContext:
    """What every page starts with: the filters, the language and presentation mode.

    When the page runs without app.py (see atlas.app.pages_folder) the shell is drawn here and the
    app's own menu registered, instead of a rerun: a rerun would drop a button click."""
    if running_without_app():
        with as_app_script():
            start()
            navigation(sidebar().lang)
    return st.session_state[CONTEXT_KEY]


def _filter_widgets(options: flt.FilterOptions, defaults: flt.Filters, lang: str) -> flt.Filters:
    names = frameworks(lang).set_index("framework_id")["name"]
    st.selectbox(translate("shell.framework", lang), options.framework_ids, format_func=names.get, key="framework_id")
    labels = strategies(st.session_state["framework_id"], lang).set_index("strategy_number")["short_name"]
    # 0 stands for "all strategies": a selectbox shows None as an empty placeholder.
    if st.session_state.get("strategy_pick") not in (0, *labels.index):
        st.session_state["strategy_pick"] = 0
    st.selectbox(
        translate("shell.strategy", lang),
        [0, *labels.index],
        # format_func must not read session state: AppTest and reruns call it outside a script run.
        format_func=lambda n: f"{n} · {labels[n]}" if n else translate("shell.all_strategies", lang),
        key="strategy_pick",
    )
    st.session_state["strategy_number"] = st.session_state["strategy_pick"] or None
    st.date_input(
        translate("shell.on_date", lang), key="on_date", format="YYYY-MM-DD", help=translate("shell.on_date_help", lang)
    )
    if options.school_years:
        st.selectbox(translate("shell.school_year", lang), options.school_years, key="school_year")
    st.multiselect(
        translate("shell.levels", lang),
        options.levels,
        format_func=lambda v: translate(f"levels.{v}", lang),
        key="levels",
        placeholder=translate("shell.all", lang),
    )
    if options.regions:
        st.multiselect(
            translate("shell.regions", lang), options.regions, key="regions", placeholder=translate("shell.all", lang)
        )
    st.radio(
        translate("shell.need_tier", lang),
        flt.NEED_TIERS,
        format_func=lambda v: translate(f"shell.need_{v}", lang),
        key="need_tier",
    )
    values = {key: st.session_state.get(key, getattr(defaults, key)) for key in FILTER_KEYS}
    values["levels"] = tuple(values["levels"])
    values["regions"] = tuple(values["regions"])
    return flt.Filters(**values)


def _seed_from_url_once() -> list[str]:
    """On a session's first run, set every widget's value from the URL (or its default).
    Returns the URL keys whose value was ignored (malformed or unknown)."""
    if st.session_state.get(SEEDED_KEY):
        return []
    query = st.query_params.to_dict()
    options = filter_options()
    chosen, ignored = flt.read_url(query, options, flt.default_filters(options, date.today()))
    for key in FILTER_KEYS:
        value = getattr(chosen, key)
        st.session_state[key] = list(value) if isinstance(value, tuple) else value
    st.session_state["strategy_pick"] = chosen.strategy_number or 0
    st.session_state["lang"] = link_values.known(query.get("lang"), LANGUAGES) or "en"
    st.session_state["present"] = query.get("present") == "1"
    ignored += [key for key, allowed in (("lang", LANGUAGES), ("present", ("0", "1"))) if _unknown(query, key, allowed)]
    st.session_state[SEEDED_KEY] = True
    return ignored


def _unknown(query: dict[str, str], key: str, allowed) -> bool:
    return key in query and link_values.known(query[key], allowed) is None


def _write_url(chosen: flt.Filters, defaults: flt.Filters) -> None:
    """Keep the URL equal to the view, so a copied link reopens it. Only our keys are
    touched; page-specific ones (?school=…) stay."""
    wanted = flt.to_url(chosen, defaults)
    if st.session_state["lang"] != "en":
        wanted["lang"] = st.session_state["lang"]
    if st.session_state["present"]:
        wanted["present"] = "1"
    if district_files.session_file_key():
        wanted[district_files.URL_KEY] = district_files.session_file_key()
    for key in (*flt.URL_KEYS.values(), "lang", "present", district_files.URL_KEY):
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


def _district_caption(lang: str) -> None:
    info = district()
    if info["n_districts"] == 1:
        st.caption(f"**{escape.markdown(info['name'])}** ({escape.markdown(info['state'])})")
    elif info["n_states"] == 1:
        n = format_number(info["n_districts"], lang)
        st.caption(translate("shell.districts_in_state", lang, n=n, state=escape.markdown(info["state"])))
    else:
        st.caption(
            translate(
                "shell.districts_in_states", lang, n=format_number(info["n_districts"], lang), states=info["n_states"]
            )
        )
    if info["is_fictional"]:
        st.caption(translate("shell.fictional_notice", lang))
    st.caption(translate("shell.today", lang, day=format_date(date.today(), lang)))


PACKET_KEY = "atlas_packet_file"
PACKET_MIME = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
}


def _packet_panel(context: PageContext) -> None:
    """The board packet: made from the current filters and language, with a progress bar,
    then offered as a download. It follows presentation-mode rules whatever the mode."""
    lang = context.lang
    with st.expander(translate("shell.packet", lang), icon=":material/slideshow:"):
        st.caption(translate("shell.packet_help", lang))
        kind = st.radio(
            translate("shell.packet_format", lang),
            list(PACKET_MIME),
            format_func=lambda k: translate(f"shell.packet_{k}", lang),
            key="packet_format",
            horizontal=True,
        )
        wanted = (kind, context.lang, context.filters)
        if st.button(
            translate("shell.packet_make", lang), key="packet_make", icon=":material/slideshow:", width="stretch"
        ):
            from atlas.present import packet  # python-pptx, fpdf2 and kaleido load only when needed

            bar = st.progress(0.0, text=translate("shell.packet_starting", lang))
            data = packet.packet_bytes(
                kind, context.lang, context.filters, progress=lambda done, text: bar.progress(done, text=text)
            )
            bar.empty()
            st.session_state[PACKET_KEY] = (wanted, data)
        made = st.session_state.get(PACKET_KEY)
        if made and made[0] == wanted:
            st.download_button(
                translate("shell.packet_download", lang, kind=kind.upper()),
                made[1],
                file_name=f"board-packet-{context.filters.on_date.isoformat()}-{context.lang}.{kind}",
                mime=PACKET_MIME[kind],
                key="packet_download",
                icon=":material/download:",
                width="stretch",
            )


# Text colours: #111 (the theme) on white is 18.9:1, and captions are darkened from Streamlit's
# 60 % grey to #4A4A4A (8.9:1), so every text meets WCAG AA (tests/test_accessibility.py).
_BASE_CSS = """
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #4A4A4A; }
.atlas-headline { font-weight: 600; line-height: 1.35; margin: 0.2rem 0 0.6rem; color: #000; }
.atlas-step { font-weight: 600; color: #4A4A4A; letter-spacing: 0.02em; margin: 0; }
"""

# Presentation mode, for a projector at 1280×720: large type, black on white, generous spacing,
# Streamlit's menu and decoration hidden, the content starting near the top so one headline and
# its chart fit on one screen.
_PRESENTING_CSS = """
html, body, [data-testid="stAppViewContainer"] { font-size: 20px; color: #000; }
[data-testid="stMainBlockContainer"] { padding: 1.1rem 3rem 3rem 3rem; max-width: 100%; }
[data-testid="stHeader"] { background: transparent; height: 2.5rem; }
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stMainMenu"] { display: none; }
h1 { font-size: 2.1rem !important; line-height: 1.2 !important; padding: 0 0 0.3rem 3rem !important; color: #000; }
.atlas-headline { font-size: 1.45rem; margin: 0.1rem 0 0.4rem; }
/* !important: a metric's value is a markdown paragraph, which the paragraph rule below would shrink. */
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p { font-size: 2.6rem !important; color: #000; }
[data-testid="stMetricLabel"] p { font-size: 1.2rem; color: #000; }
/* A long label wraps instead of ending in "…" in a quarter of a 1280-pixel screen. */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important; height: auto;
}
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.2rem; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 1rem; color: #222; }
[data-testid="stBaseButton-secondary"], [data-testid="stBaseButton-primary"] {
    font-size: 1.2rem; padding: 0.5rem 1.4rem;
}
"""


def _inject_css(presenting: bool) -> None:
    size = "1.45rem" if presenting else "1.15rem"
    css = _BASE_CSS + f".atlas-headline {{ font-size: {size}; }}"
    if presenting:
        css += _PRESENTING_CSS
    st.html(f"<style>{css}</style>")
