"""The layers stay layers: every module imports only from the layers below its own, no module
imports another's private names, and runtime imports form no cycle (docs/architecture.md).

Imports are read from the source (ast), including those inside functions and under
``if TYPE_CHECKING:``; only the cycle check leaves out the type-only ones, which never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "labour_abm"
PACKAGE = "labour_abm"

# layer -> the layers it may import from (besides itself)
ALLOWED = {
    "data": set(),  # data files only
    "errors": set(),
    "version": set(),
    "io": {"errors", "version"},
    "core": {"io", "errors", "version"},
    "measures": {"core", "io", "errors", "version"},
    "analysis": {"core", "io", "errors", "version"},
    "experiments": {"core", "measures", "analysis", "io", "errors", "version"},
    "ui": {"core", "measures", "analysis", "experiments", "io", "errors", "version"},
    "adapters": {"core", "measures", "analysis", "experiments", "io", "errors", "version"},
}
TOP = {"__init__", "_moved"}  # the package's public face may import any layer


def modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    out = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def imports(name: str, path: Path) -> list[tuple[str, tuple[str, ...], bool]]:
    """(imported module, names taken from it, type-only) for every import of the package's own
    modules in one file."""
    known = modules()
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    out = []

    def visit(node, type_only: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for item in child.body:
                    visit_one(item, True)
                for item in child.orelse:
                    visit_one(item, type_only)
                continue
            visit_one(child, type_only)

    def visit_one(child, type_only: bool):
        if isinstance(child, ast.ImportFrom):
            base = here[: len(here) - child.level + 1] if child.level else []
            target = ".".join(base + (child.module.split(".") if child.module else []))
            if target.split(".")[0] != PACKAGE:
                return
            names = tuple(a.name for a in child.names)
            submodules = [f"{target}.{n}" for n in names if f"{target}.{n}" in known]
            if submodules:
                out.extend((m, (), type_only) for m in submodules)
                rest = tuple(n for n in names if f"{target}.{n}" not in known)
                if rest:
                    out.append((target, rest, type_only))
            else:
                out.append((target, names, type_only))
        elif isinstance(child, ast.Import):
            out.extend((a.name, (), type_only) for a in child.names if a.name.split(".")[0] == PACKAGE)
        else:
            visit(child, type_only)

    visit(ast.parse(path.read_text()), False)
    return out


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_module_sits_in_a_layer_whose_package_says_what_belongs_there():
    names = modules()
    layers = {layer(m) for m in names} - TOP
    assert layers == set(ALLOWED), f"modules outside the known layers: {sorted(layers - set(ALLOWED))}"
    for package in ("core", "core.processes", "core.rules", "measures", "analysis", "experiments", "ui", "adapters",
                    "io", "data"):
        doc = ast.get_docstring(ast.parse(names[f"{PACKAGE}.{package}"].read_text()))
        assert doc and len(doc) > 80, f"{package}/__init__.py needs a docstring saying what belongs there"


def test_imports_go_down_the_layers_only():
    wrong = []
    for name, path in modules().items():
        own = layer(name)
        if own in TOP:
            continue
        for target, _, _ in imports(name, path):
            to = layer(target)
            if to != own and to not in ALLOWED[own]:
                wrong.append(f"{name} imports {target} ({own} may import {sorted(ALLOWED[own]) or 'nothing'})")
    assert not wrong, "\n".join(wrong)


def test_no_module_uses_another_modules_private_names():
    """Neither ``from x import _name`` nor ``x._name`` on a module of the package."""
    known = modules()
    wrong = []
    for name, path in modules().items():
        bound = {}  # local name -> package module it is bound to
        for target, names, _ in imports(name, path):
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private and target != name:
                wrong.append(f"{name} imports {', '.join(private)} from {target}")
            if not names:  # a module imported as a whole (``from . import plots``)
                bound[target.rsplit(".", 1)[1]] = target
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound
                    and node.attr.startswith("_") and not node.attr.startswith("__") and bound[node.value.id] in known):
                wrong.append(f"{name} uses {node.value.id}.{node.attr} of {bound[node.value.id]}")
    assert not wrong, "\n".join(wrong)


def test_runtime_imports_form_no_cycle():
    graph = {}
    for name, path in modules().items():
        graph[name] = {t for t, _, type_only in imports(name, path) if not type_only and t != name}
    # a package's __init__ importing its own submodules (and they the package's names) is how a
    # package is put together, not a cycle between parts of the design
    for name in graph:
        graph[name] = {t for t in graph[name] if not (t.startswith(name + ".") or name.startswith(t + "."))}
    state, stack, cycles = {}, [], []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_model_class_only_orchestrates():
    """LabourModel: set-up, the month's table of contents and inspection; the work is in processes."""
    tree = ast.parse((SRC / "core" / "model.py").read_text())
    model = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "LabourModel")
    methods = [n.name for n in model.body if isinstance(n, ast.FunctionDef)]
    assert set(methods) <= {"__init__", "step", "stock", "recipient"}, methods
    assert len((SRC / "core" / "model.py").read_text().splitlines()) < 250


@pytest.mark.parametrize("old", ["labour_abm.sweep", "labour_abm.rules.screening", "labour_abm.cli"])
def test_moved_modules_still_import_under_their_old_names_with_a_warning(old):
    import importlib
    import sys

    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match="moved to"):
        module = importlib.import_module(old)
    assert module.__name__ != old and module is sys.modules[module.__name__]


def test_tests_docs_and_benchmarks_use_the_new_module_paths():
    import re

    from labour_abm._moved import MOVED

    root = SRC.parents[1]
    files = [*root.glob("tests/*.py"), *root.glob("benchmarks/*.py"), *root.glob("experiments/*.py"),
             *root.glob("docs/*.md"), root / "README.md"]
    dotted = re.compile(rf"{PACKAGE}\.({'|'.join(MOVED)})\b(?!\.?\s*moved)")
    from_import = re.compile(rf"from {PACKAGE} import ([\w, ]+)")
    found = []
    for f in files:
        if f.name in (Path(__file__).name, "architecture.md"):  # architecture.md lists the old paths on purpose
            continue
        text = f.read_text()
        found += [f"{f.relative_to(root)}: {m.group(0)}" for m in dotted.finditer(text)]
        found += [f"{f.relative_to(root)}: {m.group(0)}" for m in from_import.finditer(text)
                  if {n.strip().split(" as ")[0] for n in m.group(1).split(",")} & set(MOVED)]
    assert not found, "\n".join(sorted(set(found)))
