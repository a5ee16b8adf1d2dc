"""Overview: headline figures and plain-language findings for the schools in scope."""

from atlas.views import overview

overview.render()
