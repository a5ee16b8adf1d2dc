"""The rules: filters and the typed queries they scope (query/), planning, scenarios, small-n
suppression, outcomes, private fields, the map grid and the values a link may carry. No
Streamlit, no figures, no text for the screen. It may import atlas.database only.
"""
