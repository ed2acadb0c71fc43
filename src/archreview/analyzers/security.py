"""Security findings with bandit, in-process, on the tree the engine parsed.

bandit's own manager parses each file again and tokenizes it to find
``# nosec``. We drive its node visitor and tester on the shared tree instead,
and tokenize only files that contain the text ``nosec`` (the only comments
that change bandit's output). That uses bandit internals
(``BanditNodeVisitor``, ``BanditTester``), so bandit's version is pinned and
``tests/analyzers/test_security.py`` fails when those internals change.

bandit quotes source text: B105-B107 put the password itself in the message,
and every finding's ``basis`` is the flagged source lines. Both are redacted
before they leave the analyzer (and so before the cache): string literals of
the password tests are masked, and any span a secrets rule matches is replaced
by its redacted preview (``archreview.secretscan.redact``).

Severity mapping (bandit severity x confidence -> our scale)::

                 confidence HIGH   MEDIUM   LOW
    severity HIGH          high     high     medium
             MEDIUM        medium   medium   low
             LOW           low      low      info
"""

from __future__ import annotations

import ast
import io
import logging
import re
import time
import tokenize
from typing import Any

from ..secretscan.detect import Detector
from ..secretscan.pack import load_pack
from ..secretscan.redact import MASK, mask_string_literals, redact_text
from .base import FileAnalyzer, SourceFile, finding_dict, normalise_code
from .security_plain import plain_sentence

SEVERITY_MAP = {
    ("HIGH", "HIGH"): "high",
    ("HIGH", "MEDIUM"): "high",
    ("HIGH", "LOW"): "medium",
    ("MEDIUM", "HIGH"): "medium",
    ("MEDIUM", "MEDIUM"): "medium",
    ("MEDIUM", "LOW"): "low",
    ("LOW", "HIGH"): "low",
    ("LOW", "MEDIUM"): "low",
    ("LOW", "LOW"): "info",
}
EFFORT_BY_SEVERITY = {"critical": 120, "high": 60, "medium": 30, "low": 15, "info": 5}
#: bandit tests whose findings are about a password written in the code
PASSWORD_TESTS = {"B105", "B106", "B107"}


#: ruff's flake8-bandit rules are bandit's tests renumbered S### (S324 is
#: B324); a ``# noqa: S324`` on the flagged line means the team's own linter
#: already reported it and someone marked it as reviewed
_NOQA = re.compile(r"#\s*noqa\s*:\s*([A-Za-z0-9][A-Za-z0-9,\s]*)", re.IGNORECASE)


def ruff_reviewed(lines: list[str], test_id: str) -> str:
    """``noqa: S###`` when one of the flagged ``lines`` carries a ruff
    suppression of the ruff rule for bandit's ``test_id``, else ""."""
    code = "S" + test_id[1:]
    for line in lines:
        match = _NOQA.search(line)
        if match and code in {c.upper() for c in re.split(r"[,\s]+", match.group(1)) if c}:
            return f"noqa: {code}"
    return ""


def map_severity(severity: str, confidence: str) -> str:
    return SEVERITY_MAP.get((severity.upper(), confidence.upper()), "info")


# The bandit release this module drives (see pyproject.toml). It is part of
# the cache key; setup() refuses any other installed version, because the
# internals used below are checked against this one.
BANDIT_PIN = "1.9.4"


def bandit_version() -> str:
    import bandit

    return bandit.__version__


class SecurityAnalyzer(FileAnalyzer):
    name = "security"
    version = "4"  # 4: weak-hash sentence says where it matters

    def __init__(self) -> None:
        self._testset = None
        self._visitor_class = None
        self._redactor: Detector | None = None

    def settings(self, config) -> dict[str, Any]:
        section = config.section(self.name)
        return {
            "skip": sorted(section.get("skip", [])),
            "include_tests": bool(section.get("include_tests", False)),
            "bandit": BANDIT_PIN,
        }

    def wants(self, path: str, role: str, settings: dict[str, Any]) -> bool:
        return role != "test" or settings["include_tests"]

    def setup(self, settings: dict[str, Any]) -> None:
        installed = bandit_version()
        if installed != BANDIT_PIN:
            from ..errors import ArchreviewError

            raise ArchreviewError(f"archreview needs bandit {BANDIT_PIN}, but {installed} is installed")
        # bandit and its plugin loader log through the logging module; without
        # a handler Python prints ERROR records (e.g. an optional formatter
        # that cannot load) on stderr. Give them a handler that drops them.
        for name in ("bandit", "stevedore"):
            logger = logging.getLogger(name)
            if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
                logger.addHandler(logging.NullHandler())
        from bandit.core import config as b_config
        from bandit.core import test_set

        conf = b_config.BanditConfig()
        profile = {"exclude": list(settings["skip"])} if settings["skip"] else {}
        self._testset = test_set.BanditTestSet(conf, profile=profile)
        self._visitor_class = _tree_visitor_class()
        self._redactor = Detector(load_pack())

    def analyze(self, file: SourceFile, settings: dict[str, Any]) -> dict[str, Any]:
        if self._testset is None:
            self.setup(settings)
        tree = file.tree
        started = time.process_time()
        try:
            issues = run_bandit(self._visitor_class, self._testset, file, tree)
        finally:
            file.add_time("bandit", time.process_time() - started)
        findings = []
        for issue in issues:
            severity = map_severity(issue.severity, issue.confidence)
            linerange = list(issue.linerange) or [issue.lineno]
            first, last = min(linerange), max(linerange)
            flagged_lines = [file.line_text(n) for n in range(first, min(last, first + 4) + 1)]
            flagged = "\n".join(flagged_lines)
            reviewed = ruff_reviewed(flagged_lines, issue.test_id)
            if reviewed:
                severity = "info"  # kept, as bandit reports it, but not a task any more
            cwe = getattr(getattr(issue, "cwe", None), "id", None)
            text = issue.text
            basis = normalise_code(flagged)
            if issue.test_id in PASSWORD_TESTS:
                # bandit quotes the whole literal, which may span lines and
                # hold quotes: everything after the fixed prefix goes
                prefix, _, quoted = text.partition(": ")
                text = f"{prefix}: '{MASK}'" if quoted else mask_string_literals(text)
                basis = mask_string_literals(basis)
            message = f"{issue.test_id} {issue.test}: {text}" + (f" (marked as reviewed: # {reviewed})" if reviewed else "")
            message, basis = redact_text(message, self._redactor), redact_text(basis, self._redactor)
            findings.append(
                finding_dict(
                    rule=f"security.{issue.test_id}",
                    area="security",
                    severity=severity,
                    line=issue.lineno,
                    end_line=last if last != issue.lineno else None,
                    message=message,
                    plain=plain_sentence(issue.test_id),
                    effort_minutes=EFFORT_BY_SEVERITY[severity],
                    basis=basis or f"{issue.test_id}:{message}",
                    extra={
                        "test_id": issue.test_id,
                        "test_name": issue.test,
                        "bandit_severity": issue.severity,
                        "bandit_confidence": issue.confidence,
                        "cwe": cwe,
                        "col": issue.col_offset,
                        **({"reviewed": reviewed} if reviewed else {}),
                    },
                )
            )
        findings.sort(key=lambda f: (f["line"], f["rule"]))
        return {"findings": findings, "metrics": {}}


def nosec_lines(data: bytes) -> dict[int, set[str] | None]:
    """bandit's map of comment lines to the tests a ``# nosec`` there skips.

    Only files that contain 'nosec' can have an entry that matters, so the
    tokenizer runs on those alone."""
    if b"nosec" not in data:
        return {}
    from bandit.core.manager import _parse_nosec_comment

    lines: dict[int, set[str] | None] = {}
    try:
        for tok in tokenize.tokenize(io.BytesIO(data).readline):
            if tok.type == tokenize.COMMENT:
                lines[tok.start[0]] = _parse_nosec_comment(tok.string)
    except (tokenize.TokenError, SyntaxError):
        pass
    return lines


def run_bandit(visitor_class, testset, file: SourceFile, tree) -> list[Any]:
    from bandit.core import metrics as b_metrics

    visitor = visitor_class(
        fname=file.path,
        fdata=io.BytesIO(file.data),
        testset=testset,
        nosec_lines=nosec_lines(file.data),
        metrics=b_metrics.Metrics(),
        namespace=file.module,
    )
    visitor.run(tree)
    return visitor.tester.results


def _fast_tester_class():
    """BanditTester whose per-node loop skips the ``# nosec`` bookkeeping when
    the file has no nosec comment at all (nearly every file): bandit looks up
    nosec sets for every test on every node, even when the test found
    nothing. With an empty ``nosec_lines`` those lookups always return None,
    so this loop is the original one minus dead work and debug logging - and
    minus a copy of the node's context and a new ``Context`` for each test:
    the tests only read the context, so one serves every test of a node.
    Files with nosec comments use bandit's own loop unchanged."""
    from bandit.core import context as b_context
    from bandit.core import tester as b_tester

    class SharedContext(b_context.Context):
        """bandit's Context, with ``is_module_imported_like`` answered once per
        module while the file's imports stay the same (they only grow)."""

        def __init__(self, context_object, answers: dict):
            super().__init__(context_object)
            self._answers = answers

        def is_module_imported_like(self, module):
            imports = self._context.get("imports")
            key = (module, len(imports) if imports is not None else -1)
            answer = self._answers.get(key)
            if answer is None:
                answer = self._answers[key] = super().is_module_imported_like(module)
            return answer

    no_config = object()
    faster = _faster_tests()

    class FastTester(b_tester.BanditTester):
        def run_tests(self, raw_context, checktype):
            if self.nosec_lines:
                return super().run_tests(raw_context, checktype)
            prepared = self.__dict__.setdefault("_prepared", {})
            tests = prepared.get(checktype)
            if tests is None:
                tests = prepared[checktype] = [
                    (t, getattr(t, "_config", no_config), faster.get(getattr(t, "_test_id", None), t))
                    for t in self.testset.get_tests(checktype)
                ]
            if not tests:
                return None
            context = SharedContext(raw_context, self.__dict__.setdefault("_answers", {}))
            for test, config, call in tests:
                try:
                    result = call(context) if config is no_config else call(context, config)
                    if result is None:
                        continue
                    filename = raw_context["filename"]
                    result.fname = filename.decode("utf-8") if isinstance(filename, bytes) else filename
                    result.fdata = raw_context["file_data"]
                    if result.lineno is None:
                        result.lineno = raw_context["lineno"]
                    if result.linerange == []:
                        result.linerange = raw_context["linerange"]
                    if result.col_offset == -1:
                        result.col_offset = raw_context["col_offset"]
                    result.end_col_offset = raw_context.get("end_col_offset", 0)
                    result.test = test.__name__
                    if result.test_id == "":
                        result.test_id = test._test_id
                    self.results.append(result)
                except Exception as e:  # noqa: BLE001 - bandit's own behaviour
                    self.report_error(test.__name__, context, e)
            return None

    return FastTester


def _faster_tests() -> dict[str, Any]:
    """Two bandit tests, by test id, with a shortcut that gives their answer
    without their per-line or per-name loops (the rest of the time they are
    called unchanged):

    * B613 (bidirectional control characters) tries every character on every
      line; a UTF-8 file whose bytes hold none of those characters' encodings
      has none of them on any line;
    * B001 (blacklisted calls) compares a call's qualified name with every
      blacklisted name in turn and reports the first check naming it; the
      same first check is found in a dict built once from the same list.

    The originals' source is pinned in tests/test_parity.py."""
    from tokenize import detect_encoding

    from bandit.core import blacklisting
    from bandit.plugins import trojansource

    original_bidi = trojansource.trojansource
    bidi_bytes = tuple(char.encode("utf-8") for char in trojansource.BIDI_CHARACTERS)

    def bidi(context):
        data = context.file_data
        data.seek(0)
        encoding, _ = detect_encoding(data.readline)
        data.seek(0)
        if encoding in ("utf-8", "utf-8-sig"):
            raw = data.getvalue()
            if not any(seq in raw for seq in bidi_bytes):
                return None
        return original_bidi(context)

    original_blacklist = blacklisting.blacklist
    first_check: dict[int, tuple[Any, dict[str, Any]]] = {}  # id(config) -> (config, qualname -> first check)

    def blacklist(context, config):
        node = context.node
        if node.__class__.__name__ == "Call" and "Call" in config:
            func = node.func
            if not (isinstance(func, ast.Name) and func.id == "__import__"):
                name = context.call_function_name_qual
                if name not in ("importlib.import_module", "importlib.__import__"):
                    known = first_check.get(id(config))
                    if known is None or known[0] is not config:
                        index: dict[str, Any] = {}
                        for check in config["Call"]:
                            for qualname in check["qualnames"]:
                                index.setdefault(qualname, check)
                        known = first_check[id(config)] = (config, index)
                    check = known[1].get(name) if name is not None else None
                    return None if check is None else blacklisting.report_issue(check, name)
        return original_blacklist(context, config)

    return {"B613": bidi, "B001": blacklist}


def _interesting_node_types(testset, visitor_class) -> frozenset[str]:
    """AST node class names that some bandit test checks or that the visitor
    has a visit_ method for (which may run tests for derived names, e.g.
    Constant -> Str)."""
    names = set(testset.tests)
    names.update(attr[len("visit_") :] for attr in dir(visitor_class) if attr.startswith("visit_"))
    return frozenset(names)


def _tree_visitor_class():
    """A BanditNodeVisitor that takes a parsed tree and a module name, instead
    of parsing the file and looking for ``__init__.py`` files on disk."""
    from bandit.core import constants
    from bandit.core import utils as b_utils
    from bandit.core.node_visitor import BanditNodeVisitor

    tester_class = _fast_tester_class()

    class TreeVisitor(BanditNodeVisitor):
        #: the last testset seen and its interesting node types: a scan uses
        #: one testset for every file, so they are worked out once
        _interesting_for: tuple[Any, frozenset[str]] | None = None

        # Mirrors BanditNodeVisitor.__init__ of the pinned bandit (1.9.4),
        # minus get_module_qualname_from_path's file-system lookups.
        def __init__(self, fname, fdata, testset, nosec_lines, metrics, namespace):  # noqa: PLR0913
            self.debug = False
            self.nosec_lines = nosec_lines
            self.scores = {
                "SEVERITY": [0] * len(constants.RANKING),
                "CONFIDENCE": [0] * len(constants.RANKING),
            }
            self.depth = 0
            self.fname = fname
            self.fdata = fdata
            self.metaast = None
            self.testset = testset
            self.imports = set()
            self.import_aliases = {}
            self.tester = tester_class(self.testset, self.debug, nosec_lines, metrics)
            self.namespace = namespace
            self.metrics = metrics
            self._interesting = self._interesting_types(testset)

        @classmethod
        def _interesting_types(cls, testset) -> frozenset[str]:
            known = cls._interesting_for
            if known is None or known[0] is not testset:
                known = cls._interesting_for = (testset, _interesting_node_types(testset, cls))
            return known[1]

        def update_scores(self, scores):
            """Scores are bandit's own summary; we report issues, not scores."""

        # The traversal below is BanditNodeVisitor's generic_visit, pre_visit,
        # visit and post_visit of the pinned bandit fused into one loop,
        # without debug logging (bandit formats hex(id(node)) for every node
        # even when debug is off), and without building a test context for
        # nodes that no test and no visit_ method looks at: that context
        # (and the line range it needs, costly for nodes without a line
        # number) would be thrown away unused.
        def generic_visit(self, node):
            interesting = self._interesting
            for field in node._fields:  # what ast.iter_fields yields, without its generator
                try:
                    value = getattr(node, field)
                except AttributeError:
                    continue
                if isinstance(value, list):
                    max_idx = len(value) - 1
                    for idx, item in enumerate(value):
                        if isinstance(item, ast.AST):
                            item._bandit_sibling = value[idx + 1] if idx < max_idx else None
                            item._bandit_parent = node
                            self._visit_node(item, interesting)
                elif isinstance(value, ast.AST):
                    value._bandit_sibling = None
                    value._bandit_parent = node
                    self._visit_node(value, interesting)

        def _visit_node(self, node, interesting):
            name = node.__class__.__name__
            if name in interesting:
                self.pre_visit(node)
                self.visit(node)
                self.generic_visit(node)
                self.post_visit(node)
            else:
                self.generic_visit(node)

        def pre_visit(self, node):
            context = {"imports": self.imports, "import_aliases": self.import_aliases}
            if hasattr(node, "lineno"):
                context["lineno"] = node.lineno
            if hasattr(node, "col_offset"):
                context["col_offset"] = node.col_offset
            if hasattr(node, "end_col_offset"):
                context["end_col_offset"] = node.end_col_offset
            context["node"] = node
            context["linerange"] = b_utils.linerange(node)
            context["filename"] = self.fname
            context["file_data"] = self.fdata
            self.context = context
            self.depth += 1
            return True

        def visit(self, node):
            name = node.__class__.__name__
            visitor = getattr(self, "visit_" + name, None)
            if visitor is not None:
                visitor(node)
            else:
                self.tester.run_tests(self.context, name)

        def post_visit(self, node):
            self.depth -= 1
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                self.namespace = b_utils.namespace_path_split(self.namespace)[0]

        def run(self, tree):
            # BanditNodeVisitor.process without its ast.parse
            self.generic_visit(tree)
            self.context = {
                "file_data": self.fdata,
                "filename": self.fname,
                "lineno": 0,
                "linerange": [0, 1],
                "col_offset": 0,
            }
            self.tester.run_tests(self.context, "File")

    return TreeVisitor
