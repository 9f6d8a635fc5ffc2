"""The README's promises: two quick-start commands, and CI runs the test one."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.S)]


def test_quick_start_is_two_commands_run_dashboard_then_tests():
    commands = quick_start_commands()
    assert len(commands) == 2
    run_dashboard, run_tests = commands
    assert "streamlit run dashboard/app.py" in run_dashboard
    # Two workers (pytest-xdist), each test file kept on one of them: its servers start once.
    assert run_tests.endswith("python -m pytest -n 2 --dist loadfile")
    assert all("\n" not in command for command in commands)


def test_ci_runs_the_readme_test_command():
    """.ci/run extracts its command from the README; extract it the same way and compare."""
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    extraction = re.search(r"test_command=\$\((.*)\)\n", script).group(1)
    extracted = subprocess.run(
        ["bash", "-c", extraction], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert extracted == quick_start_commands()[1]
    assert "apt-get install -y chromium" in script


def test_modules_named_by_the_readme_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for module in set(re.findall(r"python -m ([a-z_.]+)", readme)) - {"pytest"}:
        path = ROOT.joinpath(*module.split("."))
        assert path.with_suffix(".py").exists() or (path / "__main__.py").exists(), module
    assert (ROOT / "dashboard" / "app.py").exists()


def locked_versions() -> dict[str, str]:
    """name -> version pinned in requirements.lock (names normalised as PEP 503 does)."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    return {re.sub(r"[-_.]+", "-", name).lower(): version
            for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", text, re.M)}


def test_the_installed_packages_are_the_locked_ones():
    """The README installs from the lock: what runs is exactly what CI tested."""
    from importlib.metadata import PackageNotFoundError, version

    locked = locked_versions()
    assert {"streamlit", "folium", "streamlit-folium", "geopy", "pandas", "pytest"} <= set(locked)
    differ = {}
    for name, pinned in locked.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pinned:
            differ[name] = (pinned, installed)
    assert differ == {}, f"installed packages differ from requirements.lock: {differ}"


def test_the_lock_pins_every_dependency_with_hashes():
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pins = re.findall(r"^[A-Za-z0-9_.\-]+==[^\n]*(?:\n    --hash=sha256:[0-9a-f]{64}[^\n]*)+",
                      text, re.M)
    assert len(pins) == len(locked_versions()) > 0
    declared = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for name in re.findall(r'^\s*"([A-Za-z0-9_.\-]+)>=', declared, re.M):
        if name != "setuptools":
            assert re.sub(r"[-_.]+", "-", name).lower() in locked_versions(), name


@pytest.mark.parametrize("module", ["geodata", "geodata.benchmark", "dashboard.devtools.benchmark",
                                    "dashboard.vendor", "dashboard.devtools.loadtest"])
def test_every_command_module_has_help(module):
    result = subprocess.run([sys.executable, "-m", module, "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: "), result.stdout[:200]
    assert "Traceback" not in result.stderr


def test_the_code_passes_the_linter_and_no_function_is_over_complexity_15():
    """ruff with the project's settings (pyproject.toml), C901 among them."""
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "dashboard",
                          "geodata", "tests"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:]
