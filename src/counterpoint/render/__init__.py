"""Renderers: one `Digest` drawn as a terminal front page (`frontpage`, on `terminal`'s wrapped
lines), a Markdown briefing or JSON; `words` holds the phrases they share.

Feed text is already clean (see parse.clean); each renderer escapes for its own syntax.
"""
