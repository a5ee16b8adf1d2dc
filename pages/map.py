"""The Map page: its code, and what it shows, are in atlas/app/views/map.py."""

from atlas.app.views import map

map.render()
