"""Read one seed CSV: decode it, split it into rows and record problems.

Every problem becomes a ``SeedError`` with the file and the line a text editor
shows (header = line 1), so one run reports all of them. What a row *means* is
checked in ``geodata.roster``; this module only knows bytes, text and columns.
"""

import csv
import hashlib
import io
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from geodata.links import canonical_url, is_canonical_url

# [0-9], not \d or str.isdigit(): those also accept '²', '①' or Arabic-Indic digits,
# which int() and date() then reject or silently convert.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHOLE = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


@dataclass(frozen=True, slots=True)
class SeedError:
    """One problem in a seed file, printed as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class SeedErrors(Exception):
    """Raised with every ``SeedError`` found."""

    def __init__(self, errors: list[SeedError]):
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors


def display_path(path: Path) -> str:
    """The path relative to the working directory when it is below it."""
    try:
        return str(Path(os.path.relpath(path)))
    except ValueError:
        return str(path)


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def is_http_url(value: str) -> bool:
    """An absolute http(s) URL in canonical form (geodata.links)."""
    return is_canonical_url(value)


ECHO_MAX = 80  # a bad value is quoted in its error up to this many characters


def echo(value: object) -> str:
    """A value as an error quotes it: repr'd, and shortened past ECHO_MAX characters."""
    if not isinstance(value, str) or len(value) <= ECHO_MAX:
        return repr(value)
    return repr(value[:ECHO_MAX]) + f"… ({len(value):,} characters)"


class SeedReader:
    """Decode and split one CSV file, recording errors with line numbers."""

    def __init__(self, path: Path, columns, errors: list[SeedError], warnings=None):
        self.path, self.columns, self.errors = Path(path), columns, errors
        self.warnings = warnings if warnings is not None else []
        self.name = display_path(self.path)

    def error(self, line: int, message: str) -> None:
        self.errors.append(SeedError(self.name, line, message))

    def warn(self, line: int, message: str) -> None:
        """A doubt that does not stop the build (printed as a warning)."""
        self.warnings.append(SeedError(self.name, line, message))

    def rows(self):
        """Yield (line, dict) for each well-formed record; errors for the rest."""
        text = self._text()
        if text is None:
            return
        self._check_lines(text)
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = self._header(reader)
        if header is not None:
            yield from self._records(reader, header)

    def _text(self) -> str | None:
        """The file as text, or None (with the error) if it cannot be read as UTF-8."""
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            self.error(0, f"cannot read: {exc.strerror or exc}")
            return None
        if data.startswith(b"\xef\xbb\xbf"):
            self.error(1, "starts with a UTF-8 byte order mark (BOM); save without BOM")
            data = data[3:]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            self.error(line, f"not UTF-8: byte {data[exc.start]:#04x} cannot be decoded")
            return None

    def _check_lines(self, text: str) -> None:
        """Control characters and Windows line endings, by line number."""
        # split("\n") and not splitlines(): the latter also breaks at \x0b, \x1c...
        # and would shift the line numbers an editor shows.
        crlf = []
        for number, raw_line in enumerate(text.split("\n"), start=1):
            if raw_line.endswith("\r"):
                crlf.append(number)
                raw_line = raw_line[:-1]
            bad = [ch for ch in raw_line if unicodedata.category(ch) == "Cc"]
            if bad:
                self.error(number, f"control character {bad[0]!r} in the line")
        if crlf:
            # One line ending for every seed file keeps diffs and digests stable.
            more = f" (and {len(crlf) - 1} more lines)" if len(crlf) > 1 else ""
            self.error(crlf[0], f"Windows line ending (CR LF){more}; save with LF line endings")

    def _header(self, reader) -> list[str] | None:
        """The header row, or None (with the errors) if the records cannot be read by it."""
        try:
            header = next(reader)
        except StopIteration:
            self.error(1, "empty file: no header row")
            return None
        except csv.Error as exc:
            self.error(1, f"CSV syntax: {exc}")
            return None
        repeated = sorted({c for c in header if header.count(c) > 1})
        for column in repeated:
            places = ", ".join(str(i) for i, c in enumerate(header, 1) if c == column)
            self.error(1, f"column {echo(column)} appears more than once (columns {places}); "
                          "each column once")
        if repeated:
            return None
        missing = [c for c in self.columns if c not in header]
        for column in missing:
            self.error(1, f"missing column '{column}'")
        for column in header:
            if column not in self.columns:
                self.error(1, f"unknown column {echo(column)} (see seeds/README.md)")
        return None if missing else header

    def _records(self, reader, header: list[str]):
        end = reader.line_num
        while True:
            start = end + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self.error(start, f"CSV syntax: {exc}")
                return
            end = reader.line_num
            if not fields:
                continue  # a blank line
            if len(fields) != len(header):
                self.error(start, f"{len(fields)} fields, the header has {len(header)}")
                continue
            row = dict(zip(header, fields, strict=True))
            for column, value in row.items():
                if value != value.strip():
                    self.error(start, f"{column}: leading or trailing whitespace in {echo(value)}")
            yield start, {c: row[c].strip() for c in self.columns}

    def require(self, line: int, row: dict, *columns: str) -> bool:
        ok = True
        for column in columns:
            if not row[column]:
                self.error(line, f"{column}: empty")
                ok = False
        return ok

    def choice(self, line: int, row: dict, column: str, allowed, empty_ok=False) -> bool:
        value = row[column]
        if (empty_ok and value == "") or value in allowed:
            return True
        shown = " / ".join(allowed) + (" / empty" if empty_ok else "")
        self.error(line, f"{column}: {echo(value)} is not one of {shown}")
        return False

    def url(self, line: int, row: dict, column: str = "source_url") -> None:
        value = row[column]
        if not value:
            self.error(line, f"{column}: empty (every row needs its source)")
        elif not is_http_url(value):
            fixed = canonical_url(value)
            self.error(line, f"{column}: {echo(value)} is not an absolute http(s) URL"
                       + (f" in canonical form (write it as {echo(fixed)})" if fixed else ""))


    def iso_date(self, line: int, column: str, value: str) -> date | None:
        if not value:
            return None
        if _ISO_DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.error(line, f"{column}: {echo(value)} is not an ISO date YYYY-MM-DD")
        return None

    def decimal(self, line: int, column: str, value: str) -> float | None:
        """A plain decimal like -33.45 (no exponent, nan, inf or Unicode digits)."""
        if _DECIMAL.fullmatch(value):
            return float(value)
        self.error(line, f"{column}: {echo(value)} is not a decimal number like -33.45")
        return None

    def whole_number(self, line: int, column: str, value: str) -> int | None:
        if not value:
            return None
        if _WHOLE.fullmatch(value):
            return int(value)
        self.error(line, f"{column}: {echo(value)} is not a whole number")
        return None
