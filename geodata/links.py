"""Source links: the one rule for what counts as a usable http(s) URL.

The build keeps a seed URL only if it is already in canonical form (parsing and writing it
again changes nothing), and the page builds every link from the canonical form, so no URL in
the data can carry markup, spaces or a quote out of the link it is put in.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote, urlsplit, urlunsplit

# RFC 3986 characters allowed unescaped in a path, a query and a fragment ("%" keeps the
# escapes already there).
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")


def _encoded(part: str, safe: str) -> str:
    """Percent-encode what RFC 3987 would not leave as it is; letters, marks and digits of
    other scripts stay readable (an IRI), everything else outside `safe` is escaped."""
    return "".join(ch if ch in safe or ch.isascii() and ch.isalnum()
                   or not ch.isascii() and unicodedata.category(ch)[0] in "LMN"
                   else quote(ch, safe="") for ch in part)


def canonical_url(value: object) -> str | None:
    """The URL percent-encoded where RFC 3986/3987 want it, or None unless it is plain
    http(s) with an ASCII host (no control characters, no spaces)."""
    text = str(value or "")
    if not text or any(ch.isspace() or ord(ch) < 32 or ch == "\x7f" for ch in text):
        return None
    try:
        parts = urlsplit(text)
        port = parts.port  # raises for a port that is not a number in range
    except ValueError:
        return None
    del port
    host = parts.netloc
    if (parts.scheme.lower() not in ("http", "https") or not parts.hostname
            or not set(host) <= _HOST_CHARS):
        return None
    return urlunsplit((parts.scheme.lower(), host, _encoded(parts.path, _PATH_SAFE),
                       _encoded(parts.query, _QUERY_SAFE),
                       _encoded(parts.fragment, _QUERY_SAFE)))


def is_canonical_url(value: str) -> bool:
    """True for an http(s) URL that survives parsing and writing again unchanged."""
    return canonical_url(value) == value


def markdown_target(url: str) -> str:
    """A canonical URL as the target of a Markdown link: its parentheses escaped too."""
    return url.replace("(", "%28").replace(")", "%29")
