"""Renderers: one `Digest` drawn as terminal text, Markdown or JSON.

Feed text is already clean (see sanitize); each renderer escapes for its own syntax.
"""
