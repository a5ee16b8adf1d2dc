"""Presentation: what a page shows, built as plain data. Plotly figures, tables, sentences and
headlines, exports (board packet, CSV, workbook), English and Spanish (i18n and locales/),
escaping of untrusted text. No Streamlit. It may import atlas.domain and atlas.database,
never atlas.app or a tool.
"""
