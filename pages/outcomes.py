"""The Outcomes page: its code, and what it shows, are in atlas/app/views/outcomes.py."""

from atlas.app.views import outcomes

outcomes.render()
