"""The layout by stage holds (README, "Development"): small modules, one-way imports, no private
names taken across modules, the middle never reaching up into rendering or the CLI, and a top
level a newcomer can read at a glance. Read from the source with `ast`; nothing is imported."""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[2] / "src" / "counterpoint"
MAX_LINES = 400
MAX_ROOMS = 12
MIDDLE = ("config", "fetch", "parse", "store", "update", "stories", "analysis")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@functools.cache
def tree_of(module: str) -> ast.Module:
    return ast.parse(MODULES[module].read_text("utf-8"))


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(tree: ast.AST, *, typing_too: bool) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth (lazy imports inside functions count)."""
    for node in ast.iter_child_nodes(tree):
        if not typing_too and _type_checking_only(node):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from _imports(node, typing_too=typing_too)


def _absolute(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".")
    if MODULES[module].name != "__init__.py":
        package = package[:-1]
    base = package[:len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def imported(module: str, *, typing_too: bool = False) -> Iterator[tuple[str, str | None]]:
    """(counterpoint module imported, name taken from it or None) for each import."""
    for node in _imports(tree_of(module), typing_too=typing_too):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES:
                    yield alias.name, None
            continue
        source = _absolute(module, node)
        for alias in node.names:
            if f"{source}.{alias.name}" in MODULES:
                yield f"{source}.{alias.name}", None
            elif source in MODULES:
                yield source, alias.name


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")),
                         ids=lambda path: str(path.relative_to(PACKAGE)))
def test_every_module_is_under_400_lines(path: Path) -> None:
    lines = len(path.read_text("utf-8").splitlines())
    assert lines < MAX_LINES, f"{path.relative_to(PACKAGE)}: {lines} lines"


def test_no_import_circle() -> None:
    graph = {m: {target for target, _ in imported(m)} - {m} for m in MODULES}
    # A package's __init__ is imported on the way to its submodules, but a submodule importing
    # a sibling does not import the package's own code back: only real edges count.
    done: set[str] = set()
    on_path: list[str] = []

    def visit(node: str) -> None:
        if node in on_path:
            circle = [*on_path[on_path.index(node):], node]
            raise AssertionError("import circle: " + " -> ".join(circle))
        if node in done:
            return
        on_path.append(node)
        for target in sorted(graph[node]):
            visit(target)
        on_path.pop()
        done.add(node)

    for module in sorted(graph):
        visit(module)


def test_no_private_name_is_taken_from_another_module() -> None:
    taken = []
    for module in MODULES:
        for source, name in imported(module, typing_too=True):
            if name and name.startswith("_") and not name.startswith("__") \
                    and source != module:
                taken.append(f"{module}: from {source} import {name}")
        # `import counterpoint.x as y` / `from counterpoint import x`, then `y._private`
        tree = tree_of(module)
        aliases = {alias.asname or alias.name.split(".")[-1]
                   for node in _imports(tree, typing_too=True) for alias in node.names
                   if (isinstance(node, ast.Import) and alias.name in MODULES)
                   or (isinstance(node, ast.ImportFrom)
                       and f"{_absolute(module, node)}.{alias.name}" in MODULES)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and node.attr.startswith("_")
                    and not node.attr.startswith("__")):
                taken.append(f"{module}: {node.value.id}.{node.attr}")
    assert taken == []


def test_the_middle_never_imports_render_or_cli() -> None:
    upward = []
    for module in MODULES:
        room = module.split(".")[1] if module.count(".") else ""
        if room not in MIDDLE:
            continue
        for source, _ in imported(module, typing_too=True):
            if source.startswith(("counterpoint.render", "counterpoint.cli")):
                upward.append(f"{module} imports {source}")
    assert upward == []


def test_the_top_level_has_at_most_12_rooms() -> None:
    entries = sorted(p.name for p in PACKAGE.iterdir()
                     if p.name not in ("__init__.py", "__main__.py", "py.typed", "__pycache__")
                     and not p.name.endswith(".egg-info"))
    assert len(entries) <= MAX_ROOMS, entries


def test_the_checks_see_what_they_check() -> None:
    """Guards against checks that pass because they read nothing."""
    assert len(MODULES) > 40 and "counterpoint.parse.fast.walk" in MODULES
    edges = dict(imported("counterpoint.update.run"))
    assert "counterpoint.store.db" in edges and "counterpoint.fetch.http" in edges
    assert ("counterpoint.parse.fast", None) in set(imported("counterpoint.parse.feed"))
