"""Partnership Atlas — entry point: `streamlit run app.py` (or `make run`).

Sets up the page, draws the shared sidebar (language, presentation mode, filters kept in the
URL) and runs the page the URL asks for. The pages are listed in atlas/app/navigation.py.
"""

from atlas.app import shell

shell.run_app()
