"""Where the atlas keeps its caches, and the one way it writes a file.

This module imports nothing from the package, so any module can use it without a cycle.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def default_cache_dir() -> Path:
    """``$LCA_CACHE_DIR``, else ``~/.cache/learning-cities-atlas`` (XDG-aware)."""
    if os.environ.get("LCA_CACHE_DIR"):
        return Path(os.environ["LCA_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "learning-cities-atlas"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path | str, content: str | bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``: readers see the
    old file or the new one, never half of one, and a failed write leaves the old in place.

    Text is written as UTF-8 with "\\n" line ends. The file gets the mode a plain open() would
    give (0666 less the umask), not mkstemp's 0600: a server running as another user must be
    able to read it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
