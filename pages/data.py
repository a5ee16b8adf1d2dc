"""Data: import district files (check, preview, commit whole or not at all), edit partnerships,
tag strategies in bulk, the data-quality report, and the history with undo.

Everyone may look at the data-quality report and the history; importing, editing, tagging and
undo need the editor role when sign-in is configured. Presentation mode shows no edit controls."""

from atlas.views import data

data.render()
