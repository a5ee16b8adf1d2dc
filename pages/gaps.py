"""The Coverage gaps page: its code, and what it shows, are in atlas/app/views/gaps.py."""

from atlas.app.views import gaps

gaps.render()
