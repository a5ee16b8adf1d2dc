"""Living with a folder named pages/ beside app.py: the one place that touches Streamlit internals.

Streamlit (1.67) treats a folder named pages/ next to the entry script as an old-style multipage
app until some session calls st.navigation: a deep link such as /map on a freshly started server
then runs pages/map.py alone, without app.py (AppTest does so on every run of a page it reached
with switch_page). The decision is a bare `Path("pages").exists()` in streamlit.runtime.pages_manager;
no setting turns it off, and pages registered with st.navigation as callables change nothing.
So a page notices when app.py did not run it (page_run_by_app, public) and draws the shell itself.

The shell's widgets must then keep the ids they get when app.py draws them, or their values and
a click on them are lost between runs; Streamlit derives a widget's id from the script drawing it,
and only its private run context can say "draw as app.py". tests/test_pages_folder.py checks
every assumption made here, so a Streamlit upgrade that changes them fails loudly.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from streamlit.runtime.scriptrunner import get_script_run_ctx

# Set while app.py runs the page it chose; each script run has its own thread, so its own value.
_RUN_BY_APP: ContextVar[bool] = ContextVar("atlas_page_run_by_app", default=False)


@contextmanager
def page_run_by_app() -> Iterator[None]:
    """Run the page app.py chose inside this, so the page knows the shell is drawn."""
    token = _RUN_BY_APP.set(True)
    try:
        yield
    finally:
        _RUN_BY_APP.reset(token)


def running_without_app() -> bool:
    """Whether Streamlit started this page script itself, without app.py (see the module note)."""
    return not _RUN_BY_APP.get()


@contextmanager
def as_app_script() -> Iterator[None]:
    """Draw under app.py's own script identity, so the shell's widgets get the same ids whether
    app.py or a page script draws them. Private Streamlit API: see the module note."""
    ctx = get_script_run_ctx()
    with ctx.run_with_active_hash(ctx.pages_manager.main_script_hash):
        yield
