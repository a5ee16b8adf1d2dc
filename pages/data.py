"""The Data page: its code, and what it shows, are in atlas/views/data.py."""

from atlas.views import data

data.render()
