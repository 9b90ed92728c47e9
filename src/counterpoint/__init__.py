"""Counterpoint: a balanced daily reading list from news feeds."""

__version__ = "0.1.0"
