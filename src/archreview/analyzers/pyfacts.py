"""What the readiness and vendor rules need from a Python file, taken from the
tree the engine already parsed: imports, calls (by resolved dotted name),
assignments to names, and string literals (docstrings excluded). Comments
never reach the tree, so a Sentry DSN in a comment is not a call."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field


@dataclass
class PyFacts:
    imports: list[tuple[str, int]] = field(default_factory=list)  # module, line
    calls: list[tuple[str, int, frozenset[str]]] = field(default_factory=list)  # name, line, keywords
    assigns: list[tuple[str, int, str]] = field(default_factory=list)  # name, line, dict|other
    strings: list[tuple[str, int]] = field(default_factory=list)


def _dotted(node: ast.AST, aliases: dict[str, str]) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(aliases.get(node.id, node.id))
    else:
        parts.append("?")
    return ".".join(reversed(parts))


def python_facts(tree: ast.Module, want_strings: bool = True) -> PyFacts:
    facts = PyFacts()
    aliases: dict[str, str] = {}
    docstrings: set[int] = set()
    calls: list[ast.Call] = []
    nodes = list(ast.walk(tree))
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                facts.imports.append((alias.name, node.lineno))
                if alias.asname:
                    aliases[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level or not node.module:
                continue
            facts.imports.append((node.module, node.lineno))
            for alias in node.names:
                if alias.name == "*":
                    continue
                full = f"{node.module}.{alias.name}"
                facts.imports.append((full, node.lineno))
                aliases[alias.asname or alias.name] = full
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            docstrings.add(id(node.value))
        elif isinstance(node, ast.Call):
            calls.append(node)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            kind = "dict" if isinstance(value, ast.Dict) or (
                isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict"
            ) else "other"
            for target in targets:
                if isinstance(target, ast.Name):
                    facts.assigns.append((target.id, node.lineno, kind))
                elif isinstance(target, ast.Attribute):
                    facts.assigns.append((target.attr, node.lineno, kind))
    for call in calls:
        keywords = frozenset(k.arg for k in call.keywords if k.arg)
        facts.calls.append((_dotted(call.func, aliases), call.lineno, keywords))
    if want_strings:
        for node in nodes:
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                if len(node.value) <= 300:
                    facts.strings.append((node.value, node.lineno))
    return facts
