"""Map: the schools in scope coloured by a measure the user chooses and sized by enrollment,
partners as a second layer, the district boundary and attendance zones — drawn with no
internet. Clicking a school (or picking it below the map) opens its profile."""

from atlas.views import map

map.render()
