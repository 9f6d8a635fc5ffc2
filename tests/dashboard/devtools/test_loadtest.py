"""The load test's smoke run: ten visitors speaking Streamlit's websocket protocol to a real
server on 127.0.0.1 for four seconds, with no errors (the full figures: README, Load)."""

from __future__ import annotations

import pytest

from dashboard.devtools import loadtest


def test_ten_sessions_for_four_seconds_rerun_without_errors():
    tally, rss = loadtest.run(10, 4, settings=["--server.fileWatcherType=none"])
    assert tally.errors == []
    assert tally.held == 10
    assert len(tally.reruns) >= 10, tally.reruns  # each visitor changed the filter at least once
    assert all(0 < t < 60 for t in tally.reruns)
    assert rss is not None and rss > 0


def test_a_page_error_is_counted_not_hidden(tmp_path):
    bad = tmp_path / "members.geojson"
    bad.write_text("[1]", encoding="utf-8")  # the page shows its data error, with no filters
    tally, _ = loadtest.run(2, 2, settings=["--server.fileWatcherType=none"], data=str(bad))
    assert tally.reruns == []
    assert tally.errors and all("no round filter" in e for e in tally.errors)


def test_only_loopback_servers_are_driven():
    with pytest.raises(SystemExit, match="loopback"):
        loadtest.run(1, 1, url="http://example.org:8501")


def test_percentiles_come_from_the_measured_values():
    values = [float(v) for v in range(1, 101)]
    assert loadtest.percentile(values, 0.5) == 51.0
    assert loadtest.percentile(values, 0.95) == 96.0
    assert loadtest.percentile([], 0.5) != loadtest.percentile([], 0.5)  # NaN: nothing measured
