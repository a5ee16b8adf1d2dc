"""The Partners page: its code, and what it shows, are in atlas/views/partners.py."""

from atlas.views import partners

partners.render()
