"""The import statements of one Python file, from the shared tree.

Output (cached per blob, so it depends on the file's contents alone; module
names and relative imports are resolved later, from the path, by the
``architecture`` repository analyzer)::

    {"imports": [{"kind": "import" | "from", "module": "a.b", "names": [...],
                  "level": 0, "line": 3, <flags>}, ...]}

* ``import a.b as c`` -> ``{"kind": "import", "module": "a.b", "names": []}``
  (one entry per name in ``import a, b``);
* ``from ..a import b, c`` -> ``{"kind": "from", "module": "a", "names": ["b", "c"], "level": 2}``;
  ``from . import x`` has ``module`` ``""``; ``*`` stays ``"*"``.

Flags, present only when true:

* ``conditional`` - inside an ``if``, ``try`` (any part), ``for``, ``while``
  or ``match`` block: may not run, typically an optional dependency;
* ``function`` - inside a function body: runs when the function is called,
  not at import time (the usual way to break an import cycle);
* ``type_checking`` - inside ``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``,
  ``t.TYPE_CHECKING``, ``TYPE_CHECKING is True``, or such a test joined with
  ``and``), or in the ``else`` of ``if not TYPE_CHECKING:``: never runs; only
  type checkers see it. The other branch is runtime code;
* ``future`` - ``from __future__ import ...``.

Only statement lists are walked (bodies, ``else``/``finally`` blocks, ``except``
handlers, ``match`` cases): an import statement cannot hide inside an
expression, so expressions are never visited. Imports done with
``importlib.import_module("...")`` or ``__import__`` are not seen.
"""

from __future__ import annotations

import ast
import time
from typing import Any

from .base import FileAnalyzer, SourceFile

_CONDITIONAL = (ast.If, ast.Try, ast.For, ast.AsyncFor, ast.While) + (
    (ast.TryStar,) if hasattr(ast, "TryStar") else ()
)
_FUNCTION = (ast.FunctionDef, ast.AsyncFunctionDef)
_MATCH = getattr(ast, "Match", None)


def _is_flag(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id == "TYPE_CHECKING"
    return isinstance(node, ast.Attribute) and node.attr == "TYPE_CHECKING"


def is_type_checking_test(test: ast.expr) -> bool:
    """``TYPE_CHECKING``, ``<anything>.TYPE_CHECKING``, ``TYPE_CHECKING is True``
    (or ``== True``), or one of these joined with others by ``and``."""
    if _is_flag(test):
        return True
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Is, ast.Eq)):
        right = test.comparators[0]
        return _is_flag(test.left) and isinstance(right, ast.Constant) and right.value is True
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(is_type_checking_test(value) for value in test.values)
    return False


def is_not_type_checking_test(test: ast.expr) -> bool:
    """``not TYPE_CHECKING``: its ``else`` branch is the type-checking one."""
    return isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and is_type_checking_test(test.operand)


def _entry(kind: str, module: str, names: list[str], level: int, line: int, flags: tuple[bool, bool, bool]) -> dict[str, Any]:
    entry: dict[str, Any] = {"kind": kind, "module": module, "names": names, "level": level, "line": line}
    conditional, function, type_checking = flags
    if conditional:
        entry["conditional"] = True
    if function:
        entry["function"] = True
    if type_checking:
        entry["type_checking"] = True
    if module == "__future__" and level == 0:
        entry["future"] = True
    return entry


def collect_imports(tree: ast.Module) -> list[dict[str, Any]]:
    """Every import statement of a module, in source order, with its flags."""
    found: list[dict[str, Any]] = []
    # (statements, (conditional, function, type_checking)); iterative, so deep
    # nesting cannot exhaust the recursion limit
    stack: list[tuple[list[ast.stmt], tuple[bool, bool, bool]]] = [(tree.body, (False, False, False))]
    while stack:
        body, flags = stack.pop()
        conditional, function, type_checking = flags
        for node in body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    found.append(_entry("import", alias.name, [], 0, node.lineno, flags))
            elif isinstance(node, ast.ImportFrom):
                names = [alias.name for alias in node.names]
                found.append(_entry("from", node.module or "", names, node.level or 0, node.lineno, flags))
            elif isinstance(node, _FUNCTION):
                stack.append((node.body, (conditional, True, type_checking)))
            elif isinstance(node, ast.ClassDef):
                stack.append((node.body, flags))
            elif isinstance(node, ast.If):
                negated = is_not_type_checking_test(node.test)
                guarded = not negated and is_type_checking_test(node.test)
                stack.append((node.body, (True, function, type_checking or guarded)))
                if node.orelse:
                    stack.append((node.orelse, (True, function, type_checking or negated)))
            elif isinstance(node, _CONDITIONAL):
                inner = (True, function, type_checking)
                for name in ("body", "orelse", "finalbody"):
                    block = getattr(node, name, None)
                    if block:
                        stack.append((block, inner))
                for handler in getattr(node, "handlers", ()):
                    stack.append((handler.body, inner))
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                stack.append((node.body, flags))
            elif _MATCH is not None and isinstance(node, _MATCH):
                for case in node.cases:
                    stack.append((case.body, (True, function, type_checking)))
    found.sort(key=lambda e: e["line"])
    return found


class ImportsAnalyzer(FileAnalyzer):
    name = "imports"
    version = "2"

    def settings(self, config) -> dict[str, Any]:
        return {}  # the output depends on the file's contents only

    def analyze(self, file: SourceFile, settings: dict[str, Any]) -> dict[str, Any]:
        tree = file.tree
        started = time.process_time()
        try:
            return {"imports": collect_imports(tree)}
        finally:
            file.add_time("imports", time.process_time() - started)
