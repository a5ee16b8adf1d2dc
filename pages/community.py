"""The Community priorities page: its code, and what it shows, are in atlas/app/views/community.py."""

from atlas.app.views import community

community.render()
