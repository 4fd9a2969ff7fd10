"""The shape of the code, pinned: imports never run up the layers and form no cycle, no view
imports another view, tests use no private helpers, and no module grows past 450 lines.

docs/ARCHITECTURE.md explains the layers these tests enforce.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 450

# Lower layers never import higher ones; a module may import its own layer and those below.
LAYERS = (
    ("tracker.rules", "tracker.catalogue", "tracker.roles", "tracker.text_checks"),
    ("tracker.models",),
    ("tracker.selectors", "tracker.access", "tracker.worklist", "tracker.auth_audit"),
    ("tracker.services",),
    (
        "tracker.importers",
        "tracker.charts",
        "tracker.demo_timeline",
        "tracker.demo_supportive",
        "tracker.demo",
        "tracker.interop",
    ),
    ("tracker.forms",),
    ("tracker.record_types",),
    ("tracker.presenters",),
    (
        "tracker.views",
        "tracker.tasks",
        "tracker.scheduler",
        "tracker.accounts",
        "tracker.management",
        "tracker.admin",
        "tracker.urls",
        "tracker.urls_charts",
        "tracker.urls_exports",
        "tracker.urls_imports",
        "tracker.urls_portal",
        "tracker.urls_schedule",
        "tracker.middleware",
        "tracker.context_processors",
        "tracker.checks",
        "tracker.apps",
        "tracker.templatetags",
    ),
)


def _python_files(*tops: str):
    for top in tops:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path) for path in _python_files("tracker")}


def _imports(path: Path) -> list[str]:
    """Every tracker module `path` imports, at module level or inside functions. `from
    package import submodule` counts as importing the submodule, not the package."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "tracker":
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.append(submodule if submodule in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names if alias.name.split(".")[0] == "tracker")
    return found


def _layer(module: str) -> int | None:
    for rank, prefixes in enumerate(LAYERS):
        if any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes):
            return rank
    return None


GRAPH = {_module_name(path): set(_imports(path)) for path in _python_files("tracker")}


def test_every_module_has_a_layer():
    unplaced = sorted(m for m in GRAPH if m != "tracker" and _layer(m) is None)
    assert unplaced == [], f"add these modules to LAYERS and docs/ARCHITECTURE.md: {unplaced}"


def test_imports_never_run_up_the_layers():
    upward = sorted(
        f"{module} ({_layer(module)}) imports {target} ({_layer(target)})"
        for module, targets in GRAPH.items()
        for target in targets
        if _layer(module) is not None and _layer(target) is not None and _layer(target) > _layer(module)
    )
    assert upward == []


def test_imports_form_no_cycle():
    """Tarjan's strongly connected components over the module graph: each must be one module."""
    graph = {m: {t for t in targets if t in GRAPH and t != m} for m, targets in GRAPH.items()}
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert cycles == []


def test_no_view_imports_another_view():
    crossing = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if module.startswith("tracker.views.")
        for target in targets
        if target.startswith("tracker.views")
    )
    assert crossing == []


def test_tests_import_no_private_helpers():
    private = []
    for path in _python_files("tests", "benchmarks"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tracker"):
                private.extend(
                    f"{path.relative_to(ROOT)}: {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_")
                )
    assert private == []


def test_no_module_is_over_450_lines():
    long = sorted(
        f"{path.relative_to(ROOT)}: {n} lines"
        for path in _python_files("tracker", "tests", "benchmarks")
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    )
    assert long == []
