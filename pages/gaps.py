"""Coverage gaps: the school × strategy matrix sorted by need and the priority-gap list on the first
tab, the feeder-continuity view on the second; each downloadable as CSV."""

from atlas.views import gaps

gaps.render()
