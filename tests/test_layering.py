"""Imports flow one way: the layers of docs/design.md, held by a walk over the package's imports.

``LAYERS`` is the table docs/design.md draws: a module may import from its own subpackage and
from lower layers only. Every ``import`` statement counts, including those inside functions
(a lazy import is still an arrow); the names a package's lazy ``__getattr__`` maps to are
strings, not imports. Four checks: no upward or sideways arrow between subpackages, no cycle
between subpackages, no cycle between modules at import time, and neither torch nor PennyLane
reachable at import time from the modules that only read records or compute closed forms.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "plateau_pl"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "_version", "_lazy"),  # the foundation: no imports from the package
    ("_io", "_validation"),  # file writes and argument checks
    ("quantum", "stats", "records", "theory"),  # math, statistics, the record store
    ("circuits", "devices", "budget"),
    ("hamiltonians",),
    ("models",),
    ("engines", "lie"),
    ("diagnostics", "train"),
    ("experiments", "remedies"),
    ("plotting",),
    ("report",),
    ("cli",),
    ("plateau_pl",),  # the lazy top-level namespace
)
"""Bottom to top; the parts of one layer do not import each other."""

RECORD_READERS = ("plotting", "report", "budget", "theory", "stats", "records")
"""Parts that must load without torch or PennyLane (they read records or compute closed forms)."""

LIGHT_MODULES = (
    "plateau_pl.experiments.specs",  # read by plot, report and sweep --help
    "plateau_pl.experiments.registry",
    "plateau_pl.experiments.haar",  # the Haar reference: numpy only, in every sweep worker
)
"""Modules of heavier parts that must load without torch or PennyLane too."""

HEAVY = ("torch", "pennylane")

RANK = {part: rank for rank, parts in enumerate(LAYERS) for part in parts}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _part(module: str) -> str:
    """The layer part of ``plateau_pl.x.y``: ``x`` (``plateau_pl`` for the top level)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(path: Path) -> list[tuple[str, bool, int]]:
    """(imported module, at import time?, line) for every import in the file."""
    module, tree = _module_name(path), ast.parse(path.read_text(), str(path))
    nested = {
        id(n)
        for f in ast.walk(tree)
        if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
        for n in ast.walk(f)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node, module, path.name == "__init__.py")
            # "from plateau_pl.x import y" imports the submodule plateau_pl.x.y when there is one
            subs = [f"{base}.{a.name}" for a in node.names if _is_module(f"{base}.{a.name}")]
            targets = subs if len(subs) == len(node.names) else [base, *subs]
        else:
            continue
        found += [(t, id(node) not in nested, node.lineno) for t in targets]
    return found


def _is_module(name: str) -> bool:
    if not name.startswith("plateau_pl"):
        return False
    rel = Path(*name.split(".")[1:])
    return (PACKAGE / rel).with_suffix(".py").exists() or (PACKAGE / rel / "__init__.py").exists()


def _graph() -> dict[str, list[tuple[str, bool, int]]]:
    return {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


GRAPH = _graph()


def _own(target: str) -> bool:
    return target == "plateau_pl" or target.startswith("plateau_pl.")


def test_every_part_has_a_layer():
    parts = {_part(m) for m in GRAPH}
    missing = sorted(parts - set(RANK))
    assert not missing, f"add these to LAYERS (and to docs/design.md's picture): {missing}"
    assert len(GRAPH) > 50  # the walk found the package


def test_no_arrow_goes_up_or_sideways():
    wrong = []
    for module, imports in GRAPH.items():
        for target, _, line in imports:
            if not _own(target) or _part(target) == _part(module):
                continue
            src, dst = RANK[_part(module)], RANK[_part(target)]
            if dst >= src:
                kind = "sideways" if dst == src else "up"
                wrong.append(f"{module}:{line} imports {target} ({kind})")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in list(edges):
        if v not in index:
            visit(v)
    return out


def test_no_cycle_between_subpackages():
    edges: dict[str, set[str]] = {}
    for module, imports in GRAPH.items():
        for target, _, _ in imports:
            if _own(target) and _part(target) != _part(module):
                edges.setdefault(_part(module), set()).add(_part(target))
    assert _cycles(edges) == []
    assert "models" in edges["engines"]  # the walk sees real arrows


def _loaded_by(module: str) -> set[str]:
    """The package's modules Python runs for ``import module``: its own imports at import
    time and, for each, the ``__init__`` of every package above it."""
    names, parts = set(), module.split(".")
    for i in range(1, len(parts) + 1):
        names.add(".".join(parts[:i]))
    return {n for n in names if n in GRAPH}


def _import_time_edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for module, imports in GRAPH.items():
        for target, at_import, _ in imports:
            if at_import:
                targets = _loaded_by(target) if _own(target) else {target.split(".")[0]}
                edges.setdefault(module, set()).update(targets - {module})
    return edges


def test_no_cycle_between_modules_at_import_time():
    edges = _import_time_edges()
    # a package's __init__ importing its own submodules is not a cycle of two modules
    own = {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in edges.items()}
    assert _cycles(own) == []


def _reachable(start: str, edges: dict[str, set[str]]) -> dict[str, str]:
    """Everything ``import start`` loads, each with the module that imported it."""
    seen, todo = {}, [(m, start) for m in _loaded_by(start)]
    while todo:
        module, parent = todo.pop()
        if module in seen:
            continue
        seen[module] = parent
        todo += [(t, module) for t in edges.get(module, ())]
    return seen


@pytest.mark.parametrize("part", [*RECORD_READERS, *LIGHT_MODULES])
def test_readers_never_reach_torch_or_pennylane(part):
    edges = _import_time_edges()
    modules = [m for m in GRAPH if _part(m) == part or m == part]
    assert modules
    for module in modules:
        seen = _reachable(module, edges)
        for heavy in HEAVY:
            if heavy in seen:
                path, m = [heavy], heavy
                while m != module and seen[m] != m:
                    m = seen[m]
                    path.append(m)
                pytest.fail(f"{module} reaches {heavy}: " + " <- ".join(path))


def test_readers_load_without_torch_or_pennylane_in_a_fresh_process():
    modules = sorted(m for m in GRAPH if _part(m) in RECORD_READERS or m in LIGHT_MODULES)
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print(sorted(h for h in {HEAVY!r} if h in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
