"""Our browser files and published data as static files with content-hashed URLs."""

from __future__ import annotations

import re

from dashboard.map import statics


def test_each_file_url_carries_its_content_hash():
    for name in (*statics.MAP_SCRIPTS, *statics.MAP_STYLES, "picker.js", "picker.css"):
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


def test_old_files_of_a_kind_are_pruned_and_other_kinds_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(statics, "DATA_DIR", tmp_path)
    statics.publish('{"options":[]}', "cities")
    for i in range(statics.KEPT_FILES + 3):
        statics.publish(f'{{"rows":[{i}]}}')
    assert len(list(tmp_path.glob("members-*.json"))) == statics.KEPT_FILES
    assert len(list(tmp_path.glob("cities-*.json"))) == 1
    assert not list(tmp_path.glob("*.tmp"))


def test_a_read_only_install_falls_back_to_no_url(tmp_path, monkeypatch, caplog):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(statics, "DATA_DIR", blocked / "data")
    published = statics.publish('{"rows":[]}')
    assert published.url is None and published.version
    assert "the page sends it instead" in caplog.text
