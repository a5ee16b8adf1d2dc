"""The Partners page: its code, and what it shows, are in atlas/app/views/partners.py."""

from atlas.app.views import partners

partners.render()
