"""JSON for script elements and folium templates, and row sets as compact bitmaps."""

from __future__ import annotations

import base64
import json

import numpy as np

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


def bitmap(positions, size: int) -> str:
    """Rows as a base64 bitmap: bit i of byte i // 8, lowest bit first (Atlas.decodeBitmap
    and picker.js read it)."""
    bits = np.zeros(size, dtype=bool)
    bits[np.fromiter(positions, dtype=np.int64)] = True
    return base64.b64encode(np.packbits(bits, bitorder="little").tobytes()).decode("ascii")
