"""Read members.geojson's bytes as JSON values, or say why not.

Shared by the dashboard (dashboard/data.py) and anything else that reads the file: the
reasons are sentences without paths or tracebacks (not UTF-8, a BOM, truncated JSON, NaN).
"""

from __future__ import annotations

import json

from geodata.schema import Problem, summary_text


class ContractError(ValueError):
    """The data breaks the contract; ``problems`` says where and how."""

    def __init__(self, problems: list[Problem], summary: str):
        self.problems = problems
        self.summary = summary
        super().__init__(summary_text(summary, problems))


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed in JSON")


def parse_text(raw: bytes) -> object:
    """Bytes to JSON values, or ContractError saying why not (no paths, no traceback)."""
    def fail(what: str):
        raise ContractError([Problem("", what)], "The data file cannot be read.")

    if not raw.strip():
        fail("the file is empty")
    if raw.startswith(b"\xef\xbb\xbf"):
        fail("the file starts with a byte order mark (BOM); the build writes plain UTF-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        fail(f"not UTF-8 text: byte {raw[exc.start]:#04x} on line {line} cannot be decoded")
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        where = f"{exc.msg} (line {exc.lineno}, column {exc.colno})"
        body = text.strip()
        if body[:1] in "{[" and body[-1:] not in "}]":
            fail(f"not valid JSON: the text ends early (truncated?); {where}")
        fail(f"not valid JSON: {where}")
    except ValueError as exc:  # NaN, Infinity
        fail(f"not valid JSON: {exc}")
    except RecursionError:
        fail("not valid members data: JSON nested too deeply")
