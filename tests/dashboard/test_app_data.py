"""The page on bad data (AppTest): an error page or a warning in plain words, never a traceback.

The cases are in tests/dashboard/malformed_data.py, each with the words the user must see.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.malformed_data import CASES, WARNING_SHOWN

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def page_text(at) -> str:
    """Everything the page shows in text elements."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning",
                 "info", "success", "exception"):
        parts += [str(getattr(element, "value", "")) for element in getattr(at, kind)]
    return "\n".join(parts)


def run_on(path: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("ATLAS_DATA", str(path))
    monkeypatch.delenv("ATLAS_OFFLINE_ASSETS", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return at


def unescape(text: str) -> str:
    """The page escapes Markdown punctuation; compare with the plain message."""
    return text.replace("\\", "")


@pytest.mark.parametrize("name", sorted(CASES))
def test_page_on_malformed_file(name, tmp_path, monkeypatch):
    case = CASES[name]
    path = tmp_path / "members.geojson"
    if case.make is not None:
        path.write_bytes(case.make())
    at = run_on(path, monkeypatch)
    assert not at.exception, at.exception
    text = unescape(page_text(at))
    assert "Traceback" not in text and str(tmp_path) not in text
    if case.page == "error":
        assert at.error and "The map cannot be shown." in at.error[0].value
        assert case.says in text
        assert "python -m geodata build" in text
        assert not at.metric  # nothing else of the page
    else:
        warning = unescape(" ".join(w.value for w in at.warning))
        assert "1 member is left out because their rows in the data file are invalid" in warning
        assert case.says in warning
        shown = {m.label: m.value for m in at.metric}["Members shown"]
        assert shown == str(WARNING_SHOWN.get(name, 18))


def test_page_recovers_when_the_file_is_rebuilt(tmp_path, monkeypatch, small_path):
    path = tmp_path / "members.geojson"
    path.write_bytes(b"{")
    at = run_on(path, monkeypatch)
    assert at.error and not at.metric
    path.write_bytes(small_path.read_bytes())
    at.run()
    assert not at.error and {m.label: m.value for m in at.metric}["Members shown"] == "19"


def test_unforeseen_errors_show_no_details_to_visitors():
    """.streamlit/config.toml: Streamlit shows a generic message, logs the stack on the server."""
    import tomllib

    config = tomllib.loads((Path(APP).parents[1] / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


def test_the_message_cache_setting_is_one_streamlit_reads():
    """An upgrade of Streamlit that drops the hidden option fails here, not silently."""
    import tomllib

    from streamlit import config as streamlit_config

    config = tomllib.loads((Path(APP).parents[1] / ".streamlit" / "config.toml").read_text())
    wanted = config["global"]["minCachedMessageSize"]
    assert "global.minCachedMessageSize" in streamlit_config._config_options_template
    assert 0 < wanted < streamlit_config._config_options_template[
        "global.minCachedMessageSize"].default_val
