"""geodata/ has no import cycle: each module imports alone, and the package's own imports
(at any depth in a module, top level or inside functions) form no cycle."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import geodata

PACKAGE = Path(geodata.__file__).parent


def module_names() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def imported_by(name: str, known: set[str]) -> set[str]:
    """The package modules that module `name` imports, wherever in it the import stands."""
    path = PACKAGE.parent / Path(*name.split("."))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {module for module in found if module in known and module != name}


def test_the_modules_import_graph_has_no_cycle():
    known = set(module_names())
    graph = {name: imported_by(name, known) for name in known}
    # A package's __init__ importing its own submodules is no cycle in this sense.
    for name in known:
        graph[name] = {m for m in graph[name] if not name.startswith(m + ".")}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, "import cycle: " + " -> ".join((*path, name))
        if name in done:
            return
        for imported in sorted(graph[name]):
            visit(imported, (*path, name))
        done.add(name)

    for name in sorted(known):
        visit(name, ())


def test_each_module_imports_alone_in_a_fresh_interpreter():
    names = [name for name in module_names() if name != "geodata.__main__"]  # runs the CLI
    assert len(names) > 15
    runs = {name: subprocess.Popen([sys.executable, "-c", f"import {name}"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for name in names}
    failed = {}
    for name, run in runs.items():
        _, err = run.communicate(timeout=120)
        if run.returncode:
            failed[name] = err.strip().splitlines()[-1]
    assert failed == {}
