"""The Plan page: its code, and what it shows, are in atlas/views/plan.py."""

from atlas.views import plan

plan.render()
