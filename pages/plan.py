"""The Plan page: its code, and what it shows, are in atlas/views/plan/ (page.py reads top to bottom)."""

from atlas.views import plan

plan.render()
