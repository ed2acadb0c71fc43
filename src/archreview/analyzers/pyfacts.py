"""What the readiness and vendor rules need from a Python file, taken from the
tree the engine already parsed: imports, calls (by resolved dotted name),
assignments to names, and string literals (docstrings excluded). Comments
never reach the tree, so a Sentry DSN in a comment is not a call."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from .lines import LineFinder


@dataclass
class PyFacts:
    imports: list[tuple[str, int]] = field(default_factory=list)  # module, line
    calls: list[tuple[str, int, frozenset[str]]] = field(default_factory=list)  # name, line, keywords
    assigns: list[tuple[str, int, str]] = field(default_factory=list)  # name, line, dict|empty|other
    strings: list[tuple[str, int]] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)


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


def _statements(body: list[ast.stmt]):
    """Statements, descending into compound statements but not expressions:
    enough for imports and top-level or class-level assignments, and much
    cheaper than a walk of every node."""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        for name in ("body", "orelse", "finalbody", "handlers"):
            children = getattr(node, name, None)
            if children:
                stack.extend(reversed(children))
        for case in getattr(node, "cases", ()) or ():
            stack.extend(reversed(case.body))


def python_facts(tree: ast.Module, walk: bool = True, want_strings: bool = True) -> PyFacts:
    """``walk=False``: imports and assignments only (no calls, no strings)."""
    facts = PyFacts()
    aliases = facts.aliases
    docstrings: set[int] = set()
    calls: list[ast.Call] = []
    nodes = list(ast.walk(tree)) if walk else list(_statements(tree.body))
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
            # a non-empty dict literal (or dict(...) call) is a definition; {} or
            # anything computed is not; {}, [], (), "", None, 0 are empty
            if (isinstance(value, ast.Dict) and value.keys) or (
                isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict" and value.keywords
            ):
                kind = "dict"
            elif (
                isinstance(value, ast.Dict)
                or (isinstance(value, ast.Constant) and not value.value)
                or (isinstance(value, (ast.List, ast.Tuple, ast.Set)) and not value.elts)
            ):
                kind = "empty"
            else:
                kind = "other"
            for target in targets:
                if isinstance(target, ast.Name):
                    facts.assigns.append((target.id, node.lineno, kind))
                elif isinstance(target, ast.Attribute):
                    facts.assigns.append((target.attr, node.lineno, kind))
    for call in calls:
        keywords = frozenset(k.arg for k in call.keywords if k.arg)
        facts.calls.append((_dotted(call.func, aliases), call.lineno, keywords))
    if want_strings and walk:
        for node in nodes:
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                if len(node.value) <= 300:
                    facts.strings.append((node.value, node.lineno))
    return facts


_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import[ \t]+\(?([\w, \t]+)|import[ \t]+([\w., \t]+))", re.MULTILINE)
_CALL = re.compile(r"(?<![\w.])([A-Za-z_][\w.]*)\s*\(")
_ASSIGN = re.compile(r"^([A-Za-z_]\w*)\s*(?::[^=\n]+)?=\s*(\{\s*[\"'\w]|dict\(\s*\w)?", re.MULTILINE)
_STRING = re.compile(r"""(?<![\w])[rbuf]{0,2}(["'])([^"'\\\n]{0,300})\1""")


def text_facts(text: str) -> PyFacts:
    """The same facts, approximated from the text, for a file the running
    Python cannot parse (newer syntax): comment lines are dropped, imports,
    calls, assignments and short string literals found with patterns."""
    facts = PyFacts()
    code = "\n".join("" if line.lstrip().startswith("#") else line for line in text.splitlines())
    aliases: dict[str, str] = {}
    line_of = LineFinder(code).line

    for match in _IMPORT.finditer(code):
        line = line_of(match.start())
        if match.group(1):
            module = match.group(1)
            facts.imports.append((module, line))
            for part in match.group(2).split(","):
                name, _, alias = part.strip().partition(" as ")
                if name.strip():
                    facts.imports.append((f"{module}.{name.strip()}", line))
                    aliases[(alias or name).strip()] = f"{module}.{name.strip()}"
        else:
            for part in match.group(3).split(","):
                name, _, alias = part.strip().partition(" as ")
                if name.strip():
                    facts.imports.append((name.strip(), line))
                    if alias.strip():
                        aliases[alias.strip()] = name.strip()
    for match in _CALL.finditer(code):
        head, _, rest = match.group(1).partition(".")
        name = aliases.get(head, head) + ("." + rest if rest else "")
        facts.calls.append((name, line_of(match.start()), frozenset()))
    for match in _ASSIGN.finditer(code):
        facts.assigns.append((match.group(1), line_of(match.start()), "dict" if match.group(2) else "other"))
    for match in _STRING.finditer(code):
        facts.strings.append((match.group(2), line_of(match.start())))
    return facts
