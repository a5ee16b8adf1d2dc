"""The Community priorities page: its code, and what it shows, are in atlas/views/community.py."""

from atlas.views import community

community.render()
