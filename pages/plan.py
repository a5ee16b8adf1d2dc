"""Plan: which partner do we ask next, for which schools? Recommended matches, bundles, a
scenario's before and after, saved scenarios and the plan's export."""

from atlas.views import plan

plan.render()
