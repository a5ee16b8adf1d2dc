"""School profile: one school's facts and need, its partners, its uncovered strategies by
priority, partners nearby who deliver them elsewhere, and its outcomes over five years against
the district (small-n values suppressed). Opened with ?school=<id> — the map links here — or by
picking the school."""

from atlas.views import school

school.render()
