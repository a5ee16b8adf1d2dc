"""The Map page: its code, and what it shows, are in atlas/views/map.py."""

from atlas.views import map

map.render()
