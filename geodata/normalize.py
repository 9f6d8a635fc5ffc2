"""Name normalisation shared by the gazetteer index and its queries."""

import json
import re
import unicodedata
from itertools import accumulate
from pathlib import Path

# Letters NFKD does not decompose into base letter + combining mark (one table with the
# dashboard's search and the page's picker), and modifier-letter apostrophes (\w to the
# regex engine) that act as separators. Applied after casefold: lower-case forms only.
LETTER_FOLDS: dict[str, str] = json.loads(
    (Path(__file__).with_name("letter_folds.json")).read_text(encoding="utf-8"))["folds"]
_FOLDS = {**LETTER_FOLDS, "ʻ": " ", "ʼ": " ", "ʾ": " ", "ʿ": " ", "_": " "}
_FOLD_RE = re.compile("[" + "".join(_FOLDS) + "]")
# Combining mark blocks; NFKD moves accents and Vietnamese tone marks here.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_SEPARATORS = re.compile(r"[^\w\n]+")
_ASCII_SEPARATORS = re.compile(r"[^a-z0-9]+")


def _fold(text: str) -> str:
    return _FOLD_RE.sub(lambda m: _FOLDS[m.group()], text)


def _pipeline(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = _fold(_COMBINING.sub("", text).casefold())
    return _SEPARATORS.sub(" ", text)


def normalise(name: str) -> str:
    """Fold a place name to its index key.

    Accents stripped (NFKD), case folded, Vietnamese Đ -> d, and every run of
    hyphens, apostrophes, dots or other punctuation turned into one space, so
    "'s-Hertogenbosch" -> "s hertogenbosch" and "Đà Nẵng" -> "da nang".
    """
    if name.isascii():  # fast path, same result: most names are plain ASCII
        return _ASCII_SEPARATORS.sub(" ", name.lower()).strip()
    return _pipeline(name.replace("\n", " ")).strip()


def normalise_many(names: list[str]) -> list[str]:
    """``[normalise(n) for n in names]``, several times faster.

    The same string operations run once over all names joined by newlines
    (which no step creates or removes), instead of once per name.
    """
    text = "\n".join(names)
    if text.count("\n") != max(len(names) - 1, 0):  # a name with a newline: rare, slow path
        text = "\n".join(name.replace("\n", " ") for name in names)
    return [key.strip() for key in _pipeline(text).split("\n")]


_APOSTROPHES = re.compile("['’ʼʻ`´]")


def normalise_joined(name: str) -> str:
    """``normalise`` with apostrophes dropped, not spaced: "N'Zérékoré" -> "nzerekore".

    Transliterations put apostrophes inside words ("Novoyavorivs'k"); the
    gazetteer indexes and queries this form too.
    """
    return normalise(_APOSTROPHES.sub("", name))


def apostrophe_positions(names: list[str]) -> list[int]:
    """Indexes of the names that contain an apostrophe (one regex scan, not one per name)."""
    text = "\n".join(names)
    marks = [m.start() for m in _APOSTROPHES.finditer(text)]
    if not marks:
        return []
    ends = list(accumulate(map(len, names)))  # end offset of name i, minus i separators
    found = []
    for mark in marks:
        # name i spans [ends[i-1] + i, ends[i] + i); find i by bisecting on mark - i.
        lo, hi = 0, len(names) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if ends[mid] + mid <= mark:
                lo = mid + 1
            else:
                hi = mid
        if not found or found[-1] != lo:
            found.append(lo)
    return found


def normalise_joined_many(names: list[str]) -> list[str]:
    """``[normalise_joined(n) for n in names]``, in bulk."""
    return normalise_many([_APOSTROPHES.sub("", name) for name in names])
