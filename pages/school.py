"""The School profile page: its code, and what it shows, are in atlas/views/school.py."""

from atlas.views import school

school.render()
