"""The Coverage gaps page: its code, and what it shows, are in atlas/views/gaps.py."""

from atlas.views import gaps

gaps.render()
