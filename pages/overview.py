"""The Overview page: its code, and what it shows, are in atlas/app/views/overview.py."""

from atlas.app.views import overview

overview.render()
