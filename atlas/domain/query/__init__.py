"""Typed functions over the named queries in queries/: one function per query.

Each module covers one area of the app. Functions take a Filters value (and the
language, where labels are returned) and return a DataFrame or a small value.
"""
