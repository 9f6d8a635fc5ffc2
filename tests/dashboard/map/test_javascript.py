"""The map's pure JavaScript, tested as JavaScript: node's test runner over tests/js/, with the
words the page really sends."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from dashboard.map.words import MAP_WORDS
from tests.dashboard.browser_support import require

JS_TESTS = Path(__file__).resolve().parents[2] / "js"


def test_the_javascript_unit_tests_pass():
    node = shutil.which("node")
    require(node is not None, "node is not installed (Debian: apt-get install nodejs)")
    files = sorted(str(path) for path in JS_TESTS.glob("*.test.js"))
    assert files
    run = subprocess.run([node, "--test", *files], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "ATLAS_MAP_WORDS": json.dumps(MAP_WORDS)})
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert re.search(r"^# fail 0$", run.stdout, re.M)
    assert int(re.search(r"^# pass (\d+)$", run.stdout, re.M).group(1)) >= 10
