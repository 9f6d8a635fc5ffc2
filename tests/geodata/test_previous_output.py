"""Whatever stands at the output path, build, check and report say so and never crash."""

from __future__ import annotations

import json

import pytest

from geodata.build import OutputError, read_collection
from tests.geodata.conftest import ROOT, run_geodata

NOT_MEMBERS = {
    "array": "[1]", "string": '"x"', "number": "5", "true/false value": "true", "null": "null",
}


@pytest.mark.parametrize(("kind", "text"), NOT_MEMBERS.items())
def test_json_that_is_not_an_object_is_named(tmp_path, kind, text):
    path = tmp_path / "members.geojson"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OutputError, match=f"holds a JSON {kind}, not an object"):
        read_collection(path)


@pytest.mark.parametrize(("make", "words"), [
    (lambda p: p.mkdir(), "is a directory"),
    (lambda p: p.write_text("[" * 100_000, encoding="utf-8"), "nested too deeply"),
    (lambda p: p.write_text('{"a": ', encoding="utf-8"), "truncated"),
    (lambda p: p.write_bytes(b"\xff\xfe"), "not UTF-8"),
])
def test_other_things_at_the_output_path_are_named(tmp_path, make, words):
    path = tmp_path / "members.geojson"
    make(path)
    with pytest.raises(OutputError, match=words):
        read_collection(path)


def test_no_previous_output_is_none(tmp_path):
    assert read_collection(tmp_path / "members.geojson") is None


@pytest.mark.parametrize("command", ["build", "check", "report"])
def test_commands_exit_with_a_message_not_a_traceback(tmp_path, cache_dir, command):
    out = tmp_path / "p.geojson"
    out.write_text("[1]", encoding="utf-8")
    result = run_geodata(command, "--seeds", str(ROOT / "seeds"), "--out", str(out),
                         "--cache-dir", str(cache_dir), cwd=ROOT, cache_dir=cache_dir)
    assert result.returncode == (1 if command == "check" else 2), result.stderr
    assert "Traceback" not in result.stderr
    assert "is not a members file: it holds a JSON array" in result.stderr
    assert out.read_text(encoding="utf-8") == "[1]"  # left as it was


@pytest.mark.parametrize("argv", [[], ["build"], ["check"], ["report"]])
def test_every_command_has_help(argv):
    result = run_geodata(*argv, "--help", cwd=ROOT)
    assert result.returncode == 0 and "usage: python -m geodata" in result.stdout
    assert json.dumps(argv) and "Traceback" not in result.stderr
