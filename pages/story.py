"""The Story page: its code, and what it shows, are in atlas/app/views/story.py."""

from atlas.app.views import story

story.render()
