"""Community priorities: a view for the room of a community conversation (framework strategy 2,
"listening to the community"). A facilitator counts how many people chose each strategy, for
the whole district or one school, and saves the count with its date and place; the results
become strategy weights in the Plan.

Presentation mode: this view is meant to be projected while the room counts, so the counting
inputs, the chart and the save button stay (large, nothing private on it). What is desk work
is hidden: the conversation's details collapse into one line, and earlier conversations can
be looked at but not reopened or deleted.
"""

from atlas.views import community

community.render()
