"""The package's layout holds (docs/architecture.md): no import cycle, lazy imports
included; no private name imported from another module; no module over 900 lines;
the layers import only what is below them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tappedin_widgets"
MAX_LINES = 900
#: Modules allowed past MAX_LINES, and why (none).
LONG_FOR_NOW: dict[str, str] = {}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute name of what ``from <node.module> import ...`` names, in ``module``."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not _is_package(module):
        base = base[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str) -> list[tuple[str, list[str], int]]:
    """Every import in ``module``, at the top or inside a function (lazy): the module
    imported, the names taken from it, and the line."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append((alias.name, [], node.lineno))
        elif isinstance(node, ast.ImportFrom):
            found.append((_resolve(module, node), [a.name for a in node.names], node.lineno))
    return found


def _edges(module: str) -> set[str]:
    """The package's modules that importing ``module`` runs, directly."""
    targets = set()
    for target, names, _line in _imports(module):
        if not target.startswith("tappedin_widgets"):
            continue
        submodules = [f"{target}.{n}" for n in names if f"{target}.{n}" in MODULES]
        # `from . import x` runs the module x; `from .m import f` (or `import m`) runs m
        candidates = submodules + ([target] if len(submodules) < max(len(names), 1) else [])
        for name in candidates:
            if name not in MODULES:
                continue
            targets.add(name)
            parts = name.split(".")
            for i in range(1, len(parts)):  # a package runs before its submodules
                parent = ".".join(parts[:i])
                if parent in MODULES and not module.startswith(parent + "."):
                    targets.add(parent)
    targets.discard(module)
    return targets


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle in ``graph``, as the modules around it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_cycle_finder_finds_a_cycle_and_passes_a_tree():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycle_lazy_imports_included():
    graph = {m: _edges(m) for m in MODULES}
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_no_private_name_is_imported_from_another_module():
    found = []
    for module in MODULES:
        for target, names, line in _imports(module):
            if not target.startswith("tappedin_widgets"):
                continue
            for name in names:
                if name.startswith("_") and not name.startswith("__"):
                    found.append(f"{MODULES[module].relative_to(PACKAGE.parent)}:{line} "
                                 f"imports {name} from {target}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_900_lines(module):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    if module in LONG_FOR_NOW:
        return
    assert lines <= MAX_LINES, f"{module} has {lines} lines: split it (docs/architecture.md)"


#: What each layer may import from the package (docs/architecture.md). A module not
#: listed in any layer fails the test: say where a new module belongs.
LAYERS: dict[str, tuple[str, ...]] = {
    # the base: records, validation, small tools; imports nothing of ours but the base
    "base": ("models", "batching", "diagnostics", "unzip", "workbooks", "preheat"),
    # the store layer: the only SQL about a job seeker's data
    "store": ("locations", "sqlite_file", "schema", "store_files", "staging", "frames",
              "store_steps",
              "store", "cohort"),
    # reading and computing: no drawing, no widgets
    "logic": ("analysis", "theme_lexicon", "theme_rules", "theme_discovery", "theme_model",
              "theme_train", "theme_user", "themes", "notes",
              "reminders",
              "exchange", "backups", "demo"),
    # drawing: figures and PNGs from analysis results
    "charts": ("charts", "drawhelper", "drawhelper_main"),
    # widgets and the app around them
    "views": ("views", "app", "probe"),
    # the ways in: command line and server
    "entry": ("cli", "voila_server"),
}
ORDER = list(LAYERS)


def _layer(module: str) -> str:
    top = module.split(".")[1] if "." in module else ""
    for layer, names in LAYERS.items():
        if top in names:
            return layer
    raise AssertionError(f"{module} is in no layer of tests/test_layout.py's LAYERS")


def test_each_layer_imports_only_its_own_and_those_below():
    found = []
    for module in MODULES:
        if module == "tappedin_widgets":
            continue
        mine = ORDER.index(_layer(module))
        for target in _edges(module):
            if target == "tappedin_widgets":
                continue
            if ORDER.index(_layer(target)) > mine:
                found.append(f"{module} ({_layer(module)}) imports {target} "
                             f"({_layer(target)})")
    assert not found, "\n".join(found)


def test_no_test_reads_a_file_under_benchmarks():
    """Benchmarks measure; tests don't depend on them (a docstring may mention them)."""
    found = []
    for path in sorted((PACKAGE.parent / "tests").rglob("*.py")):
        if path.name == "test_layout.py":  # this check names the folder itself
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
                      and node.body and isinstance(node.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and "benchmarks" in node.value and id(node) not in docstrings):
                found.append(f"{path.name}:{node.lineno}: {node.value[:60]!r}")
    assert not found, "\n".join(found)


#: Outside the store layer, these may still import a database library, and why.
DATABASE_LIBRARIES = ("sqlite3", "sqlalchemy", "psycopg")
DATABASE_IMPORTS_ALLOWED = {
    # its error type (what a failed copy raises) and make_url (is the target a file?):
    # the copies and checks themselves are sqlite_file's
    "tappedin_widgets.backups",
}


def test_only_the_store_layer_imports_a_database_library():
    found = []
    for module in MODULES:
        if module == "tappedin_widgets" or _layer(module) == "store":
            continue
        if module in DATABASE_IMPORTS_ALLOWED:
            continue
        for target, _names, line in _imports(module):
            if target.split(".")[0] in DATABASE_LIBRARIES:
                found.append(f"{MODULES[module].relative_to(PACKAGE.parent)}:{line} imports "
                             f"{target}")
    assert not found, "\n".join(found)
