"""JSON for script elements and folium templates, and row sets in few bytes.

A row set travels as text: "b" and a base64 bitmap, or "r" and base64 run lengths, whichever is
shorter. Runs win when the rows come in stretches (a round's members, listed by round) or are
few; the bitmap wins for scattered rows. atlas-core.js decodeRows and picker.js read both."""

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


def _bits(positions, size: int) -> np.ndarray:
    bits = np.zeros(size, dtype=bool)
    bits[np.fromiter(positions, dtype=np.int64)] = True
    return bits


def bitmap(positions, size: int) -> str:
    """Rows as a base64 bitmap: bit i of byte i // 8, lowest bit first."""
    packed = np.packbits(_bits(positions, size), bitorder="little")
    return base64.b64encode(packed.tobytes()).decode("ascii")


def _varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)


def runs(positions, size: int) -> str:
    """Rows as base64 run lengths: alternately rows left out and rows kept, from row 0 (the
    first run may be 0), each an unsigned LEB128 varint; the last run ends at `size`."""
    bits = _bits(positions, size)
    edges = np.flatnonzero(np.diff(bits.astype(np.int8))) + 1
    bounds = [0, *edges.tolist(), size]
    lengths = [b - a for a, b in zip(bounds, bounds[1:], strict=False)]
    if bits.size and bits[0]:
        lengths.insert(0, 0)
    out = bytearray()
    for length in lengths:
        _varint(length, out)
    return base64.b64encode(bytes(out)).decode("ascii")


def row_set(positions, size: int) -> str:
    """The rows as the shorter of a bitmap ("b...") and run lengths ("r...")."""
    positions = list(positions)
    packed, counted = bitmap(positions, size), runs(positions, size)
    return "r" + counted if len(counted) < len(packed) else "b" + packed


def rows_of(text: str, size: int) -> list[int]:
    """The rows a row set holds (the inverse of row_set, as the browser reads it; "" holds
    none)."""
    if not text:
        return []
    body = base64.b64decode(text[1:])
    if text[0] == "b":
        return [i for i in range(size) if i // 8 < len(body) and body[i // 8] >> (i % 8) & 1]
    rows, at, keep, value, shift = [], 0, False, 0, 0
    for byte in body:
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte & 0x80:
            continue
        if keep:
            rows.extend(range(at, min(at + value, size)))
        at, keep, value, shift = at + value, not keep, 0, 0
    return rows
