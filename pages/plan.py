"""Plan: which partner do we ask next, for which schools? Recommended matches, bundles, a
scenario's before and after, saved scenarios and the plan's export.

Presentation mode shows the results with the settings in one sentence; the controls (radius,
weights, exclusions, scenario choices, saving) are for the desk.
"""

from atlas import plan_page

plan_page.render()
