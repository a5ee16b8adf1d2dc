"""The School profile page: its code, and what it shows, are in atlas/app/views/school.py."""

from atlas.app.views import school

school.render()
