"""Partnership Atlas: the Python under app.py and pages/, in four layers whose imports point down
only (tests/test_architecture.py checks it):

    atlas.app       Streamlit: shell, navigation, widgets, each page's render()
    atlas.present   figures, tables, sentences, exports, languages
    atlas.domain    filters, typed queries, planning, scenarios, suppression, outcomes, map grid
    atlas.database  SQL runner, database file, writes, importer → queries/

Beside them, the tools: the command line (python -m atlas), bench, bench_import, synth, demo,
nyc and import_commands. They may import any layer; no layer imports them.
"""
