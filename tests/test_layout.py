"""The package's layout: layers as subpackages, imports pointing down only.

A module may import from its own layer and the layers below it, never from one above,
not even under ``TYPE_CHECKING`` (every import statement counts, wherever it is), and no
two modules may import each other, directly or around a loop.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lightmock"

#: Lowest first. A top-level module is its own layer, above every subpackage it may use.
LAYERS: list[set[str]] = [
    {"core"},
    {"schema"},
    {"engine"},
    {"service"},
    {"gateway"},
    {"notebook"},
    {"mock"},
    {"server", "demo", "plugin"},
    {"cli", "__main__", "__init__"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 2 else parts)


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> set[str]:
    """Every ``lightmock`` module the file imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("lightmock"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("lightmock"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                is_module = (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(".py").exists() or (
                    PACKAGE.parent / candidate.replace(".", "/")
                ).is_dir()
                found.add(candidate if is_module else node.module)
    return found


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


@functools.cache
def graph() -> dict[str, set[str]]:
    """Each module's ``lightmock`` imports (read when a test asks, not when the file is collected)."""
    return {name: {target for target in _imports(path) if target != name} for name, path in MODULES.items()}


def test_every_module_is_in_a_known_layer() -> None:
    """A new subpackage or top-level module must be given its place in the layers here."""
    assert {_layer(name) for name in MODULES} <= set(RANK)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module: str) -> None:
    """No module imports from a layer above its own (the package's own ``__init__`` aside)."""
    upward = sorted(
        target for target in graph()[module] if target != "lightmock" and RANK[_layer(target)] > RANK[_layer(module)]
    )
    assert upward == []


def test_no_import_cycles() -> None:
    """No two modules import each other, directly or through others."""
    state: dict[str, int] = {}
    cycle: list[str] = []

    imports = graph()

    def visit(node: str, path: list[str]) -> bool:
        state[node] = 1
        for target in sorted(imports.get(node, ())):
            if target not in imports or target == "lightmock":
                continue
            if state.get(target) == 1:
                cycle.extend([*path, node, target])
                return True
            if target not in state and visit(target, [*path, node]):
                return True
        state[node] = 2
        return False

    for name in sorted(imports):
        if name not in state and visit(name, []):
            break
    assert cycle == []


def test_records_live_below_the_handlers() -> None:
    """The domain's records and the request context are not defined in a handler module."""
    service = PACKAGE / "service"
    handler_classes = {
        node.name
        for path in service.glob("*.py")
        if path.stem not in {"context"}
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ClassDef)
    }
    assert not handler_classes & {"Alarm", "AlarmConfig", "ContactMethod", "Resource", "RequestContext"}


def test_every_module_is_described_in_the_architecture_guide() -> None:
    """docs/architecture.md names every module, so a new maintainer finds each one there."""
    guide = (PACKAGE.parent / "docs" / "architecture.md").read_text()
    missing = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "__init__.py" and f"`{path.relative_to(PACKAGE)}`" not in guide
    )
    assert missing == []
