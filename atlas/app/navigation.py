"""The pages of the app, in menu order. app.py builds st.navigation from this list and the
browser tests open every page by its URL path."""

from __future__ import annotations

from typing import NamedTuple


class PageSpec(NamedTuple):
    script: str  # path from the repository root
    url_path: str  # '' for the default page
    title_key: str  # i18n key of the menu title
    icon: str


PAGES = [
    PageSpec("pages/overview.py", "", "nav.overview", ":material/insights:"),
    PageSpec("pages/map.py", "map", "nav.map", ":material/map:"),
    PageSpec("pages/gaps.py", "gaps", "nav.gaps", ":material/grid_on:"),
    PageSpec("pages/partners.py", "partners", "nav.partners", ":material/handshake:"),
    PageSpec("pages/outcomes.py", "outcomes", "nav.outcomes", ":material/trending_up:"),
    PageSpec("pages/school.py", "school", "nav.school", ":material/school:"),
    PageSpec("pages/plan.py", "plan", "nav.plan", ":material/route:"),
    PageSpec("pages/community.py", "community", "nav.community", ":material/groups:"),
    PageSpec("pages/story.py", "story", "nav.story", ":material/slideshow:"),
    PageSpec("pages/data.py", "data", "nav.data", ":material/upload_file:"),
]
