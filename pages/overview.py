"""The Overview page: its code, and what it shows, are in atlas/views/overview.py."""

from atlas.views import overview

overview.render()
