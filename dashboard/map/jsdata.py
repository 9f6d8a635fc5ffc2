"""JSON for script elements and folium templates."""

from __future__ import annotations

import json

# Jinja's openers: branca compiles every rendered script again as a template (Element(script)),
# so data containing "{{ 7*7 }}" would be evaluated on the server. In JSON a structural "{" is
# never followed by "{", "%" or "#", so these pairs only occur inside strings, where the second
# character can be written as a unicode escape.
_JINJA_OPENERS = {"{{": "{\\u007b", "{%": "{\\u0025", "{#": "{\\u0023"}


def safe_json(value) -> str:
    """JSON that can sit inside a <script> element and pass through folium's Jinja templates:
    no '<', '>' or '&' survive literally, and no Jinja opener either."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    for opener, escaped in _JINJA_OPENERS.items():
        text = text.replace(opener, escaped)
    return text
