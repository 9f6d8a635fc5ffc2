"""Our browser files and published data as static files with content-hashed URLs."""

from __future__ import annotations

import os
import re
import time

from dashboard import assets
from dashboard.map import statics


def test_each_file_url_carries_its_content_hash():
    components = ("picker.js", "picker.css", "copy-link.js", "copy-link.css")
    for name in (*statics.MAP_SCRIPTS, *statics.MAP_STYLES, *components):
        url = statics.url_of(name)
        assert re.fullmatch(rf"/app/static/atlas/{re.escape(name)}\?v=[0-9a-f]{{16}}", url)
        assert url.endswith(statics.digest((statics.ATLAS_DIR / name).read_bytes()))


def test_a_table_is_written_once_under_its_hash(tmp_path, monkeypatch):
    monkeypatch.setattr(statics, "DATA_DIR", tmp_path / "data")
    first = statics.publish('{"rows":[]}')
    again = statics.publish('{"rows":[]}')
    assert first == again and first.url == f"/app/static/data/members-{first.version}.json"
    (written,) = (tmp_path / "data").iterdir()
    assert written.read_text() == '{"rows":[]}'
    other = statics.publish('{"rows":[1]}')
    assert other.version != first.version and len(list((tmp_path / "data").iterdir())) == 2


def test_old_files_of_a_kind_are_pruned_and_recent_or_other_kinds_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(statics, "DATA_DIR", tmp_path)
    statics.publish('{"options":[]}', "cities")
    day_ago = time.time() - statics.STALE_AFTER_S - 60
    for i in range(statics.KEPT_FILES + 3):
        old = tmp_path / statics.publish(f'{{"rows":[{i}]}}').url.rsplit("/", 1)[1]
        os.utime(old, (day_ago + i, day_ago + i))
    statics.publish('{"rows":["recent"]}')
    statics.publish('{"rows":["recent too"]}')
    names = {p.name for p in tmp_path.glob("members-*.json")}
    # the newest eight stay; the older ones go unless they are recent (another server's)
    assert len(names) == statics.KEPT_FILES
    assert len(list(tmp_path.glob("cities-*.json"))) == 1
    assert not list(tmp_path.glob("*.tmp"))
    for i in range(statics.KEPT_FILES + 1):
        statics.publish(f'{{"rows":["fresh {i}"]}}')
    left = list(tmp_path.glob("members-*.json"))
    assert len(left) == statics.KEPT_FILES + 3  # no old one left; every recent one kept
    assert all(p.stat().st_mtime > day_ago + 3600 for p in left)


def test_a_read_only_install_falls_back_to_no_url(tmp_path, monkeypatch, caplog):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(statics, "DATA_DIR", blocked / "data")
    published = statics.publish('{"rows":[]}')
    assert published.url is None and published.version
    assert "the page sends it instead" in caplog.text


def test_the_map_scripts_travel_as_one_file_in_their_order(tmp_path, monkeypatch):
    monkeypatch.setattr(statics, "DATA_DIR", tmp_path / "data")
    statics.map_script_urls.cache_clear()
    try:
        online = statics.map_script_urls(False)
        assert [url for _, url in online[:2]] == [
            asset.cdn_url for asset in assets.MAP_JS.values()]
        ((name, url),) = online[2:]
        assert name == "atlas-map.js" and re.fullmatch(
            r"/app/static/data/atlas-map-[0-9a-f]{16}\.js", url)
        joined = (tmp_path / "data" / url.rsplit("/", 1)[1]).read_text(encoding="utf-8")
        starts = [joined.index(statics.file_text(script)) for script in statics.MAP_SCRIPTS]
        assert starts == sorted(starts) and len(starts) == len(set(starts))
    finally:
        statics.map_script_urls.cache_clear()


def test_a_read_only_install_loads_the_map_scripts_one_by_one(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(statics, "DATA_DIR", blocked / "data")
    statics.map_script_urls.cache_clear()
    try:
        for offline in (True, False):
            assert statics.map_script_urls(offline) == (
                *assets.links(assets.MAP_JS, offline),
                *((name, statics.url_of(name)) for name in statics.MAP_SCRIPTS))
    finally:
        statics.map_script_urls.cache_clear()
