"""Partnership Atlas — entry point: `streamlit run app.py` (or `make run`).

Sets up the page, draws the shared sidebar and runs the chosen page.
"""

import streamlit as st

from atlas import shell
from atlas.i18n import t
from atlas.navigation import PAGES

shell.start()
shell.sidebar()
pages = [
    st.Page(
        spec.script, title=t(spec.title_key), icon=spec.icon, url_path=spec.url_path or None, default=not spec.url_path
    )
    for spec in PAGES
]
st.navigation(pages).run()
