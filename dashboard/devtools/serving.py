"""A real ``streamlit run`` on 127.0.0.1, for the benchmark, the load test and the browser tests.

    with StreamlitServer(data=path, log=Path("/tmp/atlas.log")) as server:
        urllib.request.urlopen(server.url)
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "app.py"
# Debian's Chromium (Playwright's own download is not available here), quiet and headless-safe.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


# The map's frame on the page, as atlas-frame.js marks it (it also gives the frame its name).
MAP_FRAME = "iframe[data-atlas-map]"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    """``streamlit run <script>`` in its own process group, until stop() (or the with block
    ends). `data` becomes ATLAS_DATA; `env` adds variables; `settings` are extra
    ``--section.option=value`` flags; the output goes to `log` (or nowhere)."""

    def __init__(self, script: Path = APP, *, data: Path | str | None = None,
                 env: dict[str, str] | None = None, settings: tuple[str, ...] | list[str] = (),
                 log: Path | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {**os.environ, **(env or {})}
        if data is not None:
            environment["ATLAS_DATA"] = str(data)
        self.log_path = log
        self._log = log.open("w") if log else None
        output = self._log or subprocess.DEVNULL
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script),
             "--server.address=127.0.0.1", f"--server.port={self.port}",
             "--server.headless=true", "--browser.gatherUsageStats=false", *settings],
            cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True)

    def wait_ready(self, timeout: float = 60) -> None:
        """Return once /_stcore/health answers 200; raise if the server exits or stays mute."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                where = f"; see {self.log_path}" if self.log_path else ""
                raise RuntimeError(f"streamlit exited early{where}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.2)  # not listening yet: poll again
        raise TimeoutError(f"streamlit did not answer on {self.url}")

    def stop(self) -> None:
        """Stop the server's process group (only what this object started)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if self._log:
            self._log.close()

    def __enter__(self) -> StreamlitServer:
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
