"""The vendor step: pins agree, tarballs are verified, and extraction cannot be steered."""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile

import pytest

from dashboard import assets, vendor


def tarball(files: dict[str, bytes], links: dict[str, str] = {}) -> bytes:  # noqa: B006
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
        for name, target in links.items():
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, target
            archive.addfile(info)
    return buffer.getvalue()


def integrity(body: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(body).digest()).decode()


def test_pins_agree_and_every_package_has_a_registry_url_and_hash():
    entries = vendor.check_pins()
    assert set(entries) == {*assets.PACKAGES, *assets.TEST_PACKAGES}
    for name, entry in entries.items():
        assert entry["resolved"].startswith("https://registry.npmjs.org/" + name + "/-/")
        assert entry["integrity"].startswith("sha512-")


def test_a_tarball_that_does_not_match_the_lockfile_is_refused():
    body = tarball({"package/dist/x.js": b"ok"})
    vendor.verify(body, integrity(body), "x")
    with pytest.raises(vendor.VendorError, match="integrity"):
        vendor.verify(body + b"tampered", integrity(body), "x")


def test_extraction_writes_only_wanted_regular_files_inside_the_target(tmp_path):
    body = tarball(
        {"package/dist/x.js": b"wanted", "package/dist/images/a.png": b"png",
         "package/src/other.js": b"not wanted", "package/../../escape.js": b"evil",
         "/abs/evil.js": b"evil"},
        links={"package/dist/link.js": "/etc/passwd"})
    target = tmp_path / "pkg"
    target.mkdir()
    written = vendor.extract(body, ["dist/x.js", "dist/images"], target)
    assert sorted(p.relative_to(target).as_posix() for p in written) == [
        "dist/images/a.png", "dist/x.js"]
    assert (target / "dist" / "x.js").read_bytes() == b"wanted"
    assert not (target / "src").exists()
    assert not list(tmp_path.rglob("escape.js")) and not list(tmp_path.rglob("evil.js"))


def test_a_link_or_missing_file_is_never_extracted(tmp_path):
    body = tarball({"package/dist/x.js": b"ok"}, links={"package/dist/link.js": "/etc/passwd"})
    with pytest.raises(vendor.VendorError, match="dist/link.js"):
        vendor.extract(body, ["dist/link.js"], tmp_path)
    assert not (tmp_path / "dist" / "link.js").exists()


def test_local_files_are_used_when_installed_unless_the_setting_says_otherwise(monkeypatch):
    monkeypatch.delenv(assets.OFFLINE_ENV, raising=False)
    monkeypatch.setattr(assets, "missing_local_files", lambda: [])
    assert assets.use_local_files() is True
    monkeypatch.setattr(assets, "missing_local_files", lambda: [assets.BASEMAP_FILE])
    assert assets.use_local_files() is False
    monkeypatch.setenv(assets.OFFLINE_ENV, "1")
    assert assets.use_local_files() is True
    monkeypatch.setattr(assets, "missing_local_files", lambda: [])
    monkeypatch.setenv(assets.OFFLINE_ENV, "0")
    assert assets.use_local_files() is False
