"""The Outcomes page: its code, and what it shows, are in atlas/views/outcomes.py."""

from atlas.views import outcomes

outcomes.render()
