"""The Plan page (pages/plan.py is two lines that call render()).

Plan: which partner do we ask next, for which schools? page.render reads top to bottom; each part
is a module: district (the picker), controls (radius, weight source, weights, exclusions),
recommendations (the cached matches and bundles), matches, bundles, scenario (before and after),
saved (saved scenarios), export (the XLSX), and state (what the page keeps between pages).
"""

from atlas.app.views.plan.page import render

__all__ = ["render"]
