"""Import statements (from the ``imports`` file analyzer) -> edges between the
repository's own modules, plus third-party imports.

Targets follow what the statement names, not what Python runs on the way:
``import a.b.c`` is an edge to ``a.b.c`` (not also to ``a`` and ``a.b``);
``from a.b import x`` is an edge to ``a.b.x`` when that is a module of the
repository, else to ``a.b``; a name that does not exist resolves to its
longest existing prefix. Relative imports are resolved from the importing
file's module name (``__init__.py`` counts as the package itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .modules import ModuleMap
from .thirdparty import ThirdParty, is_stdlib

RUNTIME = "runtime"
FUNCTION = "function"
TYPE_CHECKING = "type_checking"
KIND_ORDER = {RUNTIME: 0, FUNCTION: 1, TYPE_CHECKING: 2}


@dataclass(frozen=True)
class ImportEdge:
    source: str
    target: str
    path: str
    line: int
    kind: str  # runtime | function | type_checking
    conditional: bool


def import_kind(entry: dict[str, Any]) -> str:
    if entry.get("type_checking"):
        return TYPE_CHECKING
    if entry.get("function"):
        return FUNCTION
    return RUNTIME


def relative_base(importer: str, is_package: bool, level: int) -> list[str] | None:
    parts = importer.split(".")
    package = parts if is_package else parts[:-1]
    drop = level - 1
    if drop > len(package):
        return None
    return package[: len(package) - drop]


def _longest(modules: ModuleMap, parts: list[str], root: str) -> str | None:
    for size in range(len(parts), 0, -1):
        path = modules.lookup(".".join(parts[:size]), root)
        if path is not None:
            return modules.name_of(path)
    return None


def resolve_entry(modules: ModuleMap, path: str, importer: str, entry: dict[str, Any]) -> tuple[list[str], str | None]:
    """(internal target modules, outside module name or None)."""
    level = entry.get("level", 0)
    module = entry.get("module") or ""
    root = modules.root_of.get(path, "")
    if level:
        base = relative_base(importer, path.endswith(("/__init__.py", "/__init__.pyw")) or path == "__init__.py", level)
        if base is None:
            return [], None
        parts = base + (module.split(".") if module else [])
    else:
        if not module:
            return [], None
        head = module.partition(".")[0]
        if is_stdlib(module):
            # a repository module shadows the standard library only for files of its own root
            if modules.local.get((root, head)) is None:
                return [], None
        elif head not in modules.top_names:
            return [], module
        parts = module.split(".")
    if not parts:
        # "from . import x" at the top of a root
        targets = [n for n in (modules.name_of(modules.lookup(name, root) or "") for name in entry.get("names", [])) if n]
        return targets, None
    if entry.get("kind") == "from":
        targets = []
        fallback = None
        for name in entry.get("names", []):
            found = modules.lookup(".".join(parts + [name]), root) if name != "*" else None
            if found is not None:
                targets.append(modules.name_of(found))
            elif fallback is None:
                fallback = _longest(modules, parts, root)
                if fallback is not None:
                    targets.append(fallback)
        return targets, None
    target = _longest(modules, parts, root)
    return ([target] if target else []), None


def resolve_all(
    modules: ModuleMap,
    imports_by_path: dict[str, list[dict[str, Any]]],
) -> tuple[list[ImportEdge], ThirdParty]:
    edges: list[ImportEdge] = []
    outside = ThirdParty()
    for path in sorted(imports_by_path):
        importer = modules.name_of(path)
        if importer is None:
            continue
        for entry in imports_by_path[path]:
            if entry.get("future"):
                continue
            targets, third = resolve_entry(modules, path, importer, entry)
            conditional = bool(entry.get("conditional"))
            if third is not None and not entry.get("type_checking"):
                outside.add(third, path, conditional)
            kind = import_kind(entry)
            for target in dict.fromkeys(targets):
                if target and target != importer:
                    edges.append(ImportEdge(importer, target, path, entry.get("line", 0), kind, conditional))
    return edges, outside
