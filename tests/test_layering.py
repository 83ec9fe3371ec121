"""The package's layering, read from its source: only the Streamlit glue imports Streamlit, and
no two dashboard modules import each other in a loop."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest
from support import ROOT

# pages are scripts, exempt as well
STREAMLIT_GLUE = {"dashboard.ui", "dashboard.app", "dashboard.server"}
IMPORT_FUNCTIONS = {"import_module", "__import__"}  # importlib.import_module("x"), __import__


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted((ROOT / "dashboard").rglob("*.py"))}


def imported_names(source: str, package: str) -> list[tuple[int, str]]:
    """Every module a source imports, anywhere in it (functions too), with its line number.

    ``from a.b import c`` gives ``a.b.c`` (c may be a module or a name in a.b),
    relative imports are made absolute from ``package``, and a literal string passed to
    ``importlib.import_module`` or ``__import__`` counts."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0]
                base = f"{anchor}.{base}" if base else anchor
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
        elif (isinstance(node, ast.Call) and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
              and getattr(node.func, "attr", getattr(node.func, "id", None)) in IMPORT_FUNCTIONS):
            found.append((node.lineno, node.args[0].value))
    return found


def imports_of(name: str) -> list[tuple[int, str]]:
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return imported_names(path.read_text(encoding="utf-8"), package)


def is_streamlit(name: str) -> bool:
    return name == "streamlit" or name.startswith("streamlit.") or name in STREAMLIT_GLUE


def dashboard_imports(name: str) -> set[str]:
    """The dashboard modules ``name`` imports (a name imported from a module is that module)."""
    modules = {imported if imported in MODULES else imported.rpartition(".")[0]
               for _, imported in imports_of(name)}
    return (modules & set(MODULES)) - {name}


@pytest.mark.parametrize("name", sorted(set(MODULES) - STREAMLIT_GLUE))
def test_only_the_streamlit_glue_imports_streamlit(name):
    offending = [f"line {line}: {imported}" for line, imported in imports_of(name)
                 if is_streamlit(imported)]
    assert not offending, (f"{name} imports Streamlit (or the glue that does); only "
                           f"dashboard/ui.py, app.py and server.py may: {offending}")


def test_the_check_sees_every_way_of_importing_streamlit():
    source = ("import streamlit.components.v1\n"
              "from .. import ui\n"
              "def later():\n"
              "    import importlib\n"
              "    importlib.import_module('streamlit')\n"
              "    from streamlit import session_state\n")
    found = sorted((line, name) for line, name in imported_names(source, "dashboard.sites")
                   if is_streamlit(name))
    assert found == [(1, "streamlit.components.v1"), (2, "dashboard.ui"), (5, "streamlit"),
                     (6, "streamlit.session_state")]


def test_the_import_graph_resolves_modules_and_names_in_them():
    assert {"dashboard.ui", "dashboard.app", "dashboard.filters", "dashboard.db"} <= set(MODULES)
    # `from dashboard import data, db, ...` and `from dashboard.filters import Filters, ...`
    assert {"dashboard.data", "dashboard.db", "dashboard.filters"} <= dashboard_imports(
        "dashboard.ui")


def test_no_dashboard_modules_import_each_other_in_a_loop():
    graph = {name: dashboard_imports(name) for name in MODULES}
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as loop:
        pytest.fail("import loop: " + " -> ".join(loop.args[1]))
