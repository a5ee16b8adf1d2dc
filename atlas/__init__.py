"""Partnership Atlas: the code that is neither SQL nor a page."""
