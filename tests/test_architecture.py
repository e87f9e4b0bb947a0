"""The package's shape (issue 9): imports point one way, ``import moikg`` is light.

* The import graph of ``src/moikg`` has no cycle. Imports inside functions count
  (they hide a cycle, they do not remove it); imports under ``if TYPE_CHECKING:``
  do not (they never run).
* ``import moikg`` loads none of the heavy libraries; public names load on first use.
* No public function is shadowed by a submodule of the same name.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import moikg

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "moikg"
HEAVY = (
    "igraph",
    "networkx",
    "pyshacl",
    "pandas",
    "jsonschema",
    "numpy",
    "yaml",
    "SPARQLWrapper",
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every ``moikg`` module imported anywhere in ``tree`` except under ``if TYPE_CHECKING``."""
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph() -> nx.DiGraph:
    """Module → imported module, for every module of the package."""
    modules = _modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for target in _imports(tree, name, path.name == "__init__.py"):
            if target in modules and target != name:
                graph.add_edge(name, target)
    return graph


def test_the_import_graph_is_read_from_the_source() -> None:
    graph = import_graph()
    # Known edges, so the test cannot pass by reading nothing.
    assert graph.has_edge("moikg.pipeline", "moikg.ingest.validation")
    assert graph.has_edge("moikg.sparql.dispatch", "moikg.sparql.remote")
    # An import inside a function counts.
    assert graph.has_edge("moikg.pipeline", "moikg.network.page")
    # An import under `if TYPE_CHECKING:` does not.
    assert not any(target != "moikg._version" for target in graph.successors("moikg"))


def test_finds_a_cycle_hidden_in_a_function() -> None:
    tree = ast.parse("def f():\n    from moikg.a import x\n")
    assert _imports(tree, "moikg.b", False) >= {"moikg.a"}
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import moikg.a\n")
    assert "moikg.a" not in _imports(tree, "moikg.b", False)


def test_no_import_cycles() -> None:
    cycles = list(nx.simple_cycles(import_graph()))
    assert cycles == [], "import cycles: " + "; ".join(" → ".join(c) for c in cycles)


# The layers of docs/ARCHITECTURE.md, bottom first. A module imports only from its own unit
# (subpackage or top-level module) or from a lower layer. Top-level private modules
# (``moikg._x``) are shared helpers at the bottom.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"moikg.errors"}),
    frozenset({"moikg.rdf"}),
    frozenset({"moikg.ingest"}),
    frozenset({"moikg.sparql"}),
    frozenset({"moikg.network", "moikg.cards", "moikg.docs"}),
    frozenset({"moikg.pipeline"}),
    frozenset({"moikg.service"}),
    frozenset({"moikg.cli"}),
    frozenset({"moikg.__main__"}),
)


def _unit(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _layer(module: str) -> int:
    unit = _unit(module)
    if unit.startswith("moikg._") and unit != "moikg.__main__":
        return 0
    for index, units in enumerate(LAYERS):
        if unit in units:
            return index
    raise AssertionError(f"{unit} is in no layer: add it to LAYERS and docs/ARCHITECTURE.md")


def test_imports_point_only_downward() -> None:
    upward = [
        f"{a} → {b}"
        for a, b in import_graph().edges()
        if b != "moikg"  # the package itself: it imports only moikg._version
        and a != "moikg"
        and (_layer(b) > _layer(a) or (_layer(b) == _layer(a) and _unit(a) != _unit(b)))
        and not (_layer(a) == _layer(b) == 0)
    ]
    assert upward == []


def test_import_moikg_loads_no_heavy_library() -> None:
    code = (
        "import json, sys, moikg; "
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stdout) == []


def test_public_names_load_on_first_use() -> None:
    code = (
        "import json, sys, moikg; before = 'networkx' in sys.modules; "
        "f = moikg.actor_graph; "
        "print(json.dumps([before, 'networkx' in sys.modules, f.__module__]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stdout) == [False, True, "moikg.network.projection"]


def test_every_public_name_resolves() -> None:
    for name in moikg.__all__:
        assert getattr(moikg, name) is not None, name
    with pytest.raises(AttributeError, match="no_such_name"):
        moikg.no_such_name  # noqa: B018


def test_no_public_name_is_also_a_module_name() -> None:
    # A submodule named like a public function would replace it on `import moikg.<name>`.
    clashes = {
        name.rpartition(".")[2] for name in _modules() if name.rpartition(".")[2] in moikg.__all__
    }
    assert clashes == set()


def test_no_module_is_over_500_lines() -> None:
    # House rule (HELPERS.md): one job per module, small enough to read in one sitting.
    long = {
        name: count
        for name, path in _modules().items()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}
