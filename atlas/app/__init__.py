"""The app shell and its pages: the only layer that uses Streamlit. Page setup, navigation,
links between pages, the rendering helpers every page uses (ui), each page's render()
(views/), the Data page's sections and the session side of sign-in. app.py and pages/ import
it; it may import atlas.present, atlas.domain and atlas.database, never a tool.
"""
