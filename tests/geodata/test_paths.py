"""geodata.paths: the cache directory and the one atomic write."""

from __future__ import annotations

import os
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata import paths


def test_the_cache_directory_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("LCA_CACHE_DIR", str(tmp_path / "mine"))
    assert paths.default_cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("LCA_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert paths.default_cache_dir() == tmp_path / "xdg" / "learning-cities-atlas"


def test_a_write_makes_missing_folders_and_a_file_others_can_read(tmp_path):
    target = tmp_path / "a" / "b" / "out.json"
    old = os.umask(0o022)
    try:
        paths.atomic_write(target, "{}\n")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"{}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["out.json"]  # no temporary left


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    target.write_text("old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(paths.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        paths.atomic_write(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


@settings(max_examples=50, deadline=None)
@given(content=st.one_of(st.text(), st.binary()))
def test_what_is_written_is_what_is_read(tmp_path_factory, content):
    target = tmp_path_factory.mktemp("w") / "file"
    paths.atomic_write(target, content)
    read = target.read_bytes()
    assert read == (content.encode("utf-8") if isinstance(content, str) else content)
