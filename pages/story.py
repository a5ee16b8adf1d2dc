"""Story: the key screens one at a time (overview → map → gaps → plan), each one idea with a
plain-language headline and one chart, with Previous / Next buttons for a presenter."""

from atlas.views import story

story.render()
