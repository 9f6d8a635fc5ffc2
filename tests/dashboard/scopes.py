"""Building the page's state values in tests, a field at a time."""

from __future__ import annotations

from dashboard.state.model import Filters, Scope


def scope(focus: str = "2025", as_of: str = "", **filters) -> Scope:
    """A Scope with the given filter fields (the small fixture's latest round by default)."""
    return Scope(Filters(**filters), as_of, focus)
