"""The imports file analyzer: every import statement with its flags, from the shared tree."""

from __future__ import annotations

import ast

from archreview.analyzers.base import SourceFile
from archreview.analyzers.imports import ImportsAnalyzer, collect_imports

SOURCE = '''\
from __future__ import annotations

import os, json as j
import app.models.user
from . import sibling
from ..pkg.mod import a, b as c
from ... import up3
from typing import TYPE_CHECKING
import typing

if TYPE_CHECKING:
    from app.api.schemas import Schema
else:
    from app.runtime import fallback

if typing.TYPE_CHECKING and True:
    import app.typed

if TYPE_CHECKING is True:
    import app.compared

if not TYPE_CHECKING:
    import app.at_runtime
else:
    import app.typed_else

try:
    import ujson
except ImportError:
    ujson = None
finally:
    import atexit

with open("x") as fh:
    import inside_with


def handler():
    import lazy.module
    if True:
        from .helpers import helper


class Config:
    from app.settings import DEFAULTS

    async def load(self):
        from app.loader import *


match os.name:
    case "nt":
        import winreg
'''


def by_module(entries):
    return {e["module"] or f".{e['names'][0]}": e for e in entries}


def test_every_statement_with_names_levels_and_lines():
    entries = collect_imports(ast.parse(SOURCE))
    found = by_module(entries)
    assert [e["line"] for e in entries] == sorted(e["line"] for e in entries)
    assert found["os"] == {"kind": "import", "module": "os", "names": [], "level": 0, "line": 3}
    assert found["json"]["line"] == 3  # "import os, json as j" gives two entries
    assert found["app.models.user"]["kind"] == "import"
    assert found[".sibling"] == {"kind": "from", "module": "", "names": ["sibling"], "level": 1, "line": 5}
    assert found["pkg.mod"] == {"kind": "from", "module": "pkg.mod", "names": ["a", "b"], "level": 2, "line": 6}
    assert found[".up3"]["level"] == 3
    assert found["app.loader"]["names"] == ["*"]
    assert found["__future__"]["future"] is True


def test_flags():
    found = by_module(collect_imports(ast.parse(SOURCE)))
    plain = {"kind", "module", "names", "level", "line"}
    assert set(found["app.models.user"]) == plain
    assert found["app.api.schemas"]["type_checking"] is True
    assert found["app.api.schemas"]["conditional"] is True
    # the else branch of "if TYPE_CHECKING" runs
    assert "type_checking" not in found["app.runtime"]
    assert found["app.runtime"]["conditional"] is True
    assert found["app.typed"]["type_checking"] is True  # typing.TYPE_CHECKING joined with "and"
    assert found["app.compared"]["type_checking"] is True
    assert "type_checking" not in found["app.at_runtime"]
    assert found["app.typed_else"]["type_checking"] is True
    assert found["ujson"]["conditional"] is True
    assert found["atexit"]["conditional"] is True
    assert set(found["inside_with"]) == plain  # a with block always runs
    assert found["lazy.module"]["function"] is True
    assert "conditional" not in found["lazy.module"]
    assert found["helpers"]["function"] is True and found["helpers"]["conditional"] is True
    assert set(found["app.settings"]) == plain  # class bodies run at import time
    assert found["app.loader"]["function"] is True  # async method
    assert found["winreg"]["conditional"] is True  # match case


def test_analyzer_reads_the_shared_tree_and_output_is_json_data():
    file = SourceFile("pkg/mod.py", "0" * 40, "source", b"import yaml\nfrom . import x\n")
    analyzer = ImportsAnalyzer()
    output = analyzer.analyze(file, {})
    assert output == {
        "imports": [
            {"kind": "import", "module": "yaml", "names": [], "level": 0, "line": 1},
            {"kind": "from", "module": "", "names": ["x"], "level": 1, "line": 2},
        ]
    }
    assert "imports" in file.timings and "parse" in file.timings


def test_deep_nesting_needs_no_recursion():
    depth = 90
    lines = []
    for level in range(depth):
        lines.append("    " * level + "if x:")
    lines.append("    " * depth + "import deep")
    entries = collect_imports(ast.parse("\n".join(lines) + "\n"))
    assert entries[0]["module"] == "deep" and entries[0]["conditional"] is True
