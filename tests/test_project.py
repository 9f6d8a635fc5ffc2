"""The README's promises: two quick-start commands, and CI runs the test one."""

import re
import subprocess
from pathlib import Path

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
    assert run_tests.endswith("python -m pytest")
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
