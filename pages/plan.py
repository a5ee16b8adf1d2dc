"""The Plan page: its code, and what it shows, are in atlas/app/views/plan/ (page.py reads top to bottom)."""

from atlas.app.views import plan

plan.render()
