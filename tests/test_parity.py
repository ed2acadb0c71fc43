"""Our numbers equal the radon and bandit command lines on the same files.

The fixture tree is a small application written for these tests plus the
real sources of two installed packages (jinja2 and click), committed into a
git repository and scanned from git objects with the process pool.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from archreview.scan import run_scan

CORPUS = Path(__file__).parent / "data" / "pycorpus"


def _package_dir(name: str) -> Path:
    module = __import__(name)
    return Path(module.__file__).parent


@pytest.fixture(scope="module")
def parity_tree(tmp_path_factory):
    from gitfixture import GitFixture

    root = tmp_path_factory.mktemp("parity") / "repo"
    repo = GitFixture(root)
    shutil.copytree(CORPUS / "shop", root / "shop")
    for name in ("jinja2", "click"):
        shutil.copytree(_package_dir(name), root / "lib" / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    repo.commit(date="2025-03-01")
    return root


@pytest.fixture(scope="module")
def scanned(parity_tree, tmp_path_factory):
    cache = tmp_path_factory.mktemp("paritycache")
    result, stats, _ = run_scan(parity_tree, jobs=2, cache_dir=cache)
    assert stats.workers == 2  # the pool path, not the in-process one
    return result


def _cli_json(*args: str, cwd: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, check=False)
    return json.loads(out.stdout)


def test_cc_matches_radon_cli(parity_tree, scanned):
    radon = _cli_json("radon", "cc", "-j", ".", cwd=parity_tree)
    files = {f.path: f for f in scanned.files}
    assert len(radon) >= 30
    for path, blocks in radon.items():
        path = path.removeprefix("./")
        if isinstance(blocks, dict):  # radon reports an error for this file
            continue
        ccs = [b["complexity"] for b in blocks if b["type"] in ("function", "method")]
        assert files[path].cc_max == max(ccs, default=0), path
        assert files[path].cc_total == sum(ccs), path


def test_mi_and_raw_match_radon_cli(parity_tree, scanned):
    mi = _cli_json("radon", "mi", "-j", ".", cwd=parity_tree)
    raw = _cli_json("radon", "raw", "-j", ".", cwd=parity_tree)
    files = {f.path: f for f in scanned.files}
    for path, value in mi.items():
        ours = files[path.removeprefix("./")]
        assert abs(ours.mi - value["mi"]) <= 0.01, path
    for path, value in raw.items():
        ours = files[path.removeprefix("./")]
        for key in ("loc", "lloc", "sloc", "comments", "multi", "blank", "single_comments"):
            assert getattr(ours, key) == value[key], (path, key)


def test_security_findings_match_bandit_cli(parity_tree, scanned):
    report = _cli_json("bandit", "-r", "-f", "json", "-q", ".", cwd=parity_tree)
    theirs = {
        (r["filename"].removeprefix("./"), r["line_number"], r["test_id"], r["issue_severity"], r["issue_confidence"])
        for r in report["results"]
    }
    ours = {
        (f.path, f.line, f.extra["test_id"], f.extra["bandit_severity"], f.extra["bandit_confidence"])
        for f in scanned.findings
        if f.area == "security"
    }
    assert len(theirs) >= 20
    assert ours == theirs


def test_nosec_comments_are_honoured(scanned):
    lines = {(f.path, f.line, f.rule) for f in scanned.findings if f.area == "security"}
    views = "shop/views.py"
    assert (views, 52, "security.B602") in lines  # no nosec
    assert not any(p == views and line in (53, 54, 55) for p, line, _ in lines)  # nosec / nosec B602 / nosec: B603, B607


def test_a_finding_the_team_marked_reviewed_for_ruff_is_kept_as_information(scanned):
    """ruff's S324 is bandit's B324: bandit (and the parity above) still
    report the line, but a ``# noqa: S324`` there is a decision already made,
    so it is information, not a task."""
    views = "shop/views.py"
    (reviewed,) = [f for f in scanned.findings if f.path == views and f.rule == "security.B324" and f.line == 105]
    assert reviewed.severity == "info" and reviewed.extra["reviewed"] == "noqa: S324"
    assert reviewed.message.endswith("(marked as reviewed: # noqa: S324)")
    assert reviewed.extra["bandit_severity"] == "HIGH"  # bandit's own judgement, unchanged
    unmarked = [f for f in scanned.findings if f.path == views and f.rule == "security.B602" and f.line == 52]
    assert unmarked and unmarked[0].severity != "info" and "reviewed" not in unmarked[0].extra


# Source hashes of the bandit 1.9.4 code that analyzers/security.py mirrors
# (TreeVisitor, FastTester, SharedContext). A new bandit changes them: re-read that code,
# update the mirror, then these hashes.
MIRRORED_BANDIT_CODE = {
    "BanditNodeVisitor.__init__": "b657adb0ab1fe72d",
    "BanditNodeVisitor.pre_visit": "f9142633cc6364f8",
    "BanditNodeVisitor.visit": "988544ad8d36775f",
    "BanditNodeVisitor.post_visit": "1863f74ec3bb00ba",
    "BanditNodeVisitor.generic_visit": "b6c64ce5f0ac6c30",
    "BanditNodeVisitor.process": "800e71f0d829e963",
    "BanditTester.run_tests": "5046e0c7f4669ce6",
    "BanditTester._get_nosecs_from_contexts": "31454842b135091d",
    "Context.__init__": "c61ec7c308bf56bb",
    "Context.is_module_imported_like": "7199c44377e11186",
    # the two tests security._faster_tests gives a shortcut
    "trojansource.trojansource": "4f024e913bdb4315",
    "blacklisting.blacklist": "0fa8274aa13330dc",
}


def test_bandit_internals_we_mirror_are_unchanged():
    import hashlib
    import inspect
    import io

    from bandit.core import blacklisting
    from bandit.core import config as b_config
    from bandit.core import metrics as b_metrics
    from bandit.core import test_set
    from bandit.core.context import Context
    from bandit.core.node_visitor import BanditNodeVisitor
    from bandit.core.tester import BanditTester
    from bandit.plugins import trojansource

    from archreview.analyzers.security import BANDIT_PIN, _tree_visitor_class, bandit_version

    assert bandit_version() == BANDIT_PIN
    classes = {
        "BanditNodeVisitor": BanditNodeVisitor,
        "BanditTester": BanditTester,
        "Context": Context,
        "trojansource": trojansource,
        "blacklisting": blacklisting,
    }
    for qualname, expected in MIRRORED_BANDIT_CODE.items():
        cls, attr = qualname.split(".")
        source = inspect.getsource(getattr(classes[cls], attr))
        assert hashlib.sha256(source.encode()).hexdigest()[:16] == expected, qualname
    testset = test_set.BanditTestSet(b_config.BanditConfig())
    theirs = BanditNodeVisitor("pkg/mod.py", io.BytesIO(b""), None, testset, False, {}, b_metrics.Metrics())
    ours = _tree_visitor_class()("pkg/mod.py", io.BytesIO(b""), testset, {}, b_metrics.Metrics(), "pkg.mod")
    assert set(vars(theirs)) == set(vars(ours)) - {"_interesting"}


# Source hashes of the radon 6.0.1 methods analyzers/radonfast.py mirrors
# (nested visitors of the faster class). A new radon changes them: re-read
# that code, update the mirror, then these hashes.
MIRRORED_RADON_CODE = {
    "ComplexityVisitor.visit_FunctionDef": "85068af7f931518b",
    "ComplexityVisitor.visit_ClassDef": "98b2ebae4afb574e",
    "HalsteadVisitor.visit_FunctionDef": "1da49b7f4480c208",
}

WALK_SAMPLE = '''
import os
from typing import Any

X = 1 if os.name == "nt" else 2.5
NAMES = [n for n in range(10) if n % 2 if n > 3]


class Outer:
    """doc"""

    class Inner:
        def m(self, a, *, b=None):
            try:
                return a or b and not a
            except (KeyError, ValueError):
                return -a
            else:
                pass
            finally:
                del a

    async def run(self, items):
        async for i in items:
            while i > 0:
                i -= 1
            else:
                yield i
        async with self as s:
            assert s, "no"

    def match(self, value: Any):
        match value:
            case {"k": v} if v:
                return lambda q: q * v
            case [1, *rest]:
                return rest
            case _:
                return None


def outer(f):
    def closure(*args):
        return {k: v for k, v in zip(args, args) if k is not v}, b"x", ..., None, True
    return closure @ f if f else (yield from [1, 2])
'''


def test_radon_code_we_mirror_is_unchanged():
    import hashlib
    import inspect

    import radon
    from radon.visitors import ComplexityVisitor, HalsteadVisitor

    assert radon.__version__ == "6.0.1"
    classes = {"ComplexityVisitor": ComplexityVisitor, "HalsteadVisitor": HalsteadVisitor}
    for qualname, expected in MIRRORED_RADON_CODE.items():
        cls, attr = qualname.split(".")
        source = inspect.getsource(getattr(classes[cls], attr))
        assert hashlib.sha256(source.encode()).hexdigest()[:16] == expected, qualname


def test_the_faster_radon_walk_gives_radons_own_numbers():
    """Every block (name, lines, complexity, class), the totals and the
    Halstead report equal radon's own visitors' on the parity corpus and on a
    sample of every construct that changes a count."""
    import ast
    import warnings

    from radon.metrics import h_visit_ast
    from radon.visitors import ComplexityVisitor

    from archreview.analyzers.radonfast import FastComplexityVisitor, halstead_total

    def numbers(visitor):
        blocks = [(b.name, b.lineno, b.endline, b.complexity, getattr(b, "classname", None), str(b)) for b in visitor.blocks]
        return blocks, visitor.total_complexity, visitor.functions_complexity, visitor.classes_complexity, visitor.max_line

    sources = [WALK_SAMPLE] + [p.read_text() for p in sorted(CORPUS.rglob("*.py"))]
    for source in sources:
        tree = ast.parse(source)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            theirs = (numbers(ComplexityVisitor.from_ast(tree)), h_visit_ast(tree).total)
        ours = (numbers(FastComplexityVisitor.from_ast(tree)), halstead_total(tree))
        assert ours == theirs
    blocks, total, *_ = numbers(FastComplexityVisitor.from_ast(ast.parse(WALK_SAMPLE)))
    names = [name for name, *_ in blocks]
    assert total > 10 and {"outer", "Outer", "run", "match"} <= set(names)
    assert "closure" not in names  # radon folds a closure into the function that defines it


SHORTCUT_SOURCES = {
    # B613 fires on the bidirectional character; the coding cookie sends the
    # second file through bandit's own loop
    "bidi.py": 'access = "user"  # \u202e } \u2066 if admin:\nprint(access)\n'.encode("utf-8"),
    "latin.py": b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\nimport pickle\npickle.loads(name)\n",
    # B001's calls: qualified through an alias, __import__ and importlib
    # (both left to bandit's loop), and names no check mentions
    "calls.py": (
        b"import pickle as p\nimport importlib\nimport subprocess\nfrom xml.etree import ElementTree as ET\n"
        b"p.loads(b'')\nET.fromstring('<a/>')\n__import__('telnetlib')\n"
        b"importlib.import_module('ftplib')\nimportlib.import_module(name='telnetlib')\n"
        b"subprocess.run(['ls'])\nprint(len([]))\neval('1')\nmarshal_loads = None\n"
    ),
}


def _security_findings(sources: dict[str, bytes], shortcuts: bool, monkeypatch) -> list:
    from archreview.analyzers import security
    from archreview.analyzers.base import SourceFile
    from archreview.config import parse_config

    if not shortcuts:
        monkeypatch.setattr(security, "_faster_tests", lambda: {})
    analyzer = security.SecurityAnalyzer()
    settings = analyzer.settings(parse_config({}, "test"))
    analyzer.setup(settings)
    found = [
        (path, f["line"], f["extra"]["test_id"], f["extra"]["col"])
        for path, data in sources.items()
        for f in analyzer.analyze(SourceFile(path, "", "source", data), settings)["findings"]
    ]
    monkeypatch.undo()
    return found


def test_the_bandit_shortcuts_report_what_bandits_own_tests_report(monkeypatch):
    fast = _security_findings(SHORTCUT_SOURCES, True, monkeypatch)
    slow = _security_findings(SHORTCUT_SOURCES, False, monkeypatch)
    assert fast == slow
    ids = {(path, test_id) for path, _, test_id, _ in fast}
    assert ("bidi.py", "B613") in ids
    assert {("calls.py", "B403"), ("calls.py", "B301"), ("calls.py", "B314"), ("calls.py", "B307")} <= ids
    assert ("latin.py", "B301") in ids
