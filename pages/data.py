"""The Data page: its code, and what it shows, are in atlas/app/views/data.py."""

from atlas.app.views import data

data.render()
