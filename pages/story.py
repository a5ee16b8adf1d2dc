"""The Story page: its code, and what it shows, are in atlas/views/story.py."""

from atlas.views import story

story.render()
