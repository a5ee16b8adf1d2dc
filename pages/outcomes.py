"""Outcomes: metric trends by group and by school, and schools with vs without a strategy, with
small-n suppression (atlas.outcomes.protect) applied before anything is shown."""

from atlas.views import outcomes

outcomes.render()
