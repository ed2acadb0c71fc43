"""The per-file half of the rule engine (``rules``): runs every rule pack's
file-level rules over one file, reading it once for all of them.

It asks only for paths that some rule names (``wants``), so a large
repository's other files are never read. Python files are matched on the tree
the engine already parsed (imports and calls, never comments or docstrings);
other files line by line, comment lines aside; YAML is parsed with PyYAML.
A Python file is walked node by node only when a rule could match its calls
or string literals; imports and assignments come from its statements.

Output per blob (cached like every file analyzer's)::

    {"matches": [{"rule", "line", "quote"}], "manifest": {...}?, "workflow": {...}?}

``quote`` is the deciding line, redacted when it may hold a secret. Which
rules run depends on the path (its globs and kind), so that is part of the
cache key (``cache_variant``); the repository analyzer filters the matches by
path again.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
import time
from typing import Any

from ..rules import PathMatcher, packs_for_config, path_kind, redact
from . import pyfacts, yamlfacts
from .base import FileAnalyzer, SkipFile, SourceFile
from .lines import LineFinder
from .manifests import manifest_format, read_manifest

MAX_MATCHES_PER_RULE = 3
_COMMENT = re.compile(r"^\s*(#|//|;|--\s|<!--|/\*|\*\s|\*$|rem\s|::)", re.IGNORECASE)
_YAML_SUFFIXES = (".yml", ".yaml")


def _call_parts(pattern: str) -> tuple[str, str]:
    """The first component of a call pattern and its last literal one (the
    name that must appear in the text for the call to exist)."""
    parts = pattern.split(".")
    literal = [p for p in parts if "*" not in p and "?" not in p]
    return parts[0], literal[-1] if literal else ""


class _Compiled:
    def __init__(self, rule: dict[str, Any]):
        self.id = rule["id"]
        self.where = set(rule.get("where", ["source"]))
        self.paths = PathMatcher(rule.get("paths", []), rule.get("exclude_paths", []))
        self.content = [re.compile(p, re.MULTILINE) for p in rule.get("content", [])]
        self.strings = [re.compile(p) for p in rule.get("strings", [])]
        self.workflow_run = [re.compile(p, re.MULTILINE) for p in rule.get("workflow_run", [])]
        self.workflow_on = set(rule.get("workflow_on", []))
        self.calls = rule.get("calls", [])
        self.call_kwargs = set(rule.get("call_kwargs", []))
        self.imports = rule.get("imports", [])
        self.assigns = set(rule.get("assigns", []))
        self.assign_value = rule.get("assign_value", "any")
        self.yaml_kinds = set(rule.get("yaml_kinds", []))
        self.yaml_keys = set(rule.get("yaml_keys", []))
        self.yaml_mapping = set(rule.get("yaml_mapping", []))
        self.comments = bool(rule.get("comments"))
        self.hints = [set(h.split("+")) for h in rule.get("hint", [])]
        self.call_parts = [_call_parts(c) for c in self.calls]
        self.path_key = (tuple(rule.get("paths", [])), tuple(rule.get("exclude_paths", [])))
        self.python = bool(self.calls or self.imports or self.assigns or self.strings)
        self.text = bool(self.content or self.yaml_keys or self.yaml_mapping)
        self.workflow = bool(self.workflow_run or self.workflow_on)


class RulesAnalyzer(FileAnalyzer):
    name = "rules"
    version = "6"  # 3: a workflow quote is the test runner's line first; 4: [], () and set() are empty values; 5: a job's if: in workflow summaries; 6: empty YAML keys do not count
    python_only = False

    def __init__(self) -> None:
        self._key: int | None = None
        self._wants: PathMatcher | None = None
        self._kinds: set[str] = set()
        self._rules: list[_Compiled] = []
        self._matchers: dict[tuple, PathMatcher] = {}

    def settings(self, config) -> dict[str, Any]:
        return packs_for_config(config).file_settings()

    def setup(self, settings: dict[str, Any]) -> None:
        self._key = id(settings)
        self._wants = PathMatcher(settings["wants"])
        self._rules = [_Compiled(r) for r in settings["rules"]]
        self._matchers = {r.path_key: r.paths for r in self._rules}
        self._kinds = {k for r in self._rules for k in r.where}

    def _ready(self, settings: dict[str, Any]) -> None:
        if self._key != id(settings):
            self.setup(settings)

    def wants(self, path: str, role: str, settings: dict[str, Any]) -> bool:
        self._ready(settings)
        assert self._wants is not None
        if not self._wants.match(path):
            return False
        if manifest_format(path) or path.startswith(".github/workflows/"):
            return True
        kind = path_kind(path, role)
        return "any" in self._kinds or kind in self._kinds

    def cache_variant(self, path: str, role: str, settings: dict[str, Any]) -> str:
        """Which rules run depends on the path's kind, the rule path globs
        it matches, and whether it is a manifest or a workflow."""
        self._ready(settings)
        kind = path_kind(path, role)
        matched = sorted(str(key) for key, matcher in self._matchers.items() if matcher.match(path))
        extra = f"{manifest_format(path) or ''}|{path.startswith('.github/workflows/')}"
        digest = hashlib.sha1("\0".join(matched).encode(), usedforsecurity=False).hexdigest()[:12]
        return f"{kind}|{extra}|{digest}"

    # ------------------------------------------------------------------
    def analyze(self, file: SourceFile, settings: dict[str, Any]) -> dict[str, Any]:
        self._ready(settings)
        started = time.process_time()
        try:
            return self._analyze(file)
        finally:
            file.add_time("rules", time.process_time() - started)

    def _analyze(self, file: SourceFile) -> dict[str, Any]:
        path = file.path
        kind = path_kind(path, file.role)
        matched = {key for key, matcher in self._matchers.items() if matcher.match(path)}
        rules = [r for r in self._rules if r.path_key in matched and ("any" in r.where or kind in r.where)]
        output: dict[str, Any] = {"matches": []}
        text = file.text
        if manifest_format(path):
            manifest = read_manifest(path, text)
            if manifest:
                output["manifest"] = manifest
        is_python = path.endswith((".py", ".pyw"))
        documents = None
        if path.lower().endswith(_YAML_SUFFIXES) and (
            path.startswith(".github/workflows/") or any(r.yaml_keys or r.yaml_mapping or r.yaml_kinds for r in rules)
        ):
            documents = yamlfacts.load_documents(text)
            if path.startswith(".github/workflows/") and documents:
                summary = yamlfacts.workflow_summary(documents[0])
                if summary:
                    output["workflow"] = summary
        matches: list[dict[str, Any]] = output["matches"]
        if is_python:
            matches.extend(self._python(file, [r for r in rules if r.python]))
        else:
            finder = LineFinder(text)
            for rule in rules:
                if rule.text:
                    matches.extend(self._text(rule, file, finder, documents))
            if "workflow" in output:
                for rule in rules:
                    if rule.workflow:
                        matches.extend(_workflow(rule, output["workflow"], file.line_text))
        return output

    # ------------------------------------------------------------------
    def _python(self, file: SourceFile, rules: list[_Compiled]) -> list[dict[str, Any]]:
        """Cheap first: the statement-level pass (imports, assignments) needs
        no walk of every node; calls and string literals are looked at only
        for rules that could match them (the called module is imported and
        the called name appears in the text, or a hint word does)."""
        if not rules:
            return []
        text = file.text
        try:
            tree = file.tree
        except SkipFile:
            return self._match_python(file, rules, pyfacts.text_facts(text))
        facts = pyfacts.python_facts(tree, walk=False)
        roots = {module.split(".")[0] for module, _ in facts.imports} | set(facts.aliases)
        seen: dict[str, bool] = {}

        def has(word: str) -> bool:
            if word not in seen:
                seen[word] = _has_word(text, word)
            return seen[word]

        deep = [
            rule
            for rule in rules
            if (rule.strings and any(all(has(h) for h in alt) for alt in rule.hints))
            or (rule.calls and any((root in ("*", "?") or root in roots) and last in text for root, last in rule.call_parts))
        ]
        if deep:
            facts = pyfacts.python_facts(tree, walk=True, want_strings=any(r.strings for r in deep))
        return self._match_python(file, rules, facts, deep={r.id for r in deep})

    def _match_python(self, file: SourceFile, rules: list[_Compiled], facts, deep: set[str] | None = None) -> list[dict[str, Any]]:
        modules: dict[str, int] = {}
        for module, line in facts.imports:
            parts = module.split(".")
            for i in range(1, len(parts) + 1):
                modules.setdefault(".".join(parts[:i]), line)
        assigns: dict[str, list[tuple[int, str]]] = {}
        for name, line, value in facts.assigns:
            assigns.setdefault(name, []).append((line, value))
        calls_by_last: dict[str, list[tuple[str, int, frozenset[str]]]] = {}
        for call in facts.calls:
            calls_by_last.setdefault(call[0].rsplit(".", 1)[-1], []).append(call)
        out = []
        for rule in rules:
            hits: list[int] = [modules[m] for m in rule.imports if m in modules]
            for name in rule.assigns:
                hits.extend(line for line, value in assigns.get(name, ()) if rule.assign_value in ("any", value))
            if deep is None or rule.id in deep:
                for pattern in rule.calls:
                    last = pattern.rsplit(".", 1)[-1]
                    candidates = facts.calls if "*" in last or "?" in last else calls_by_last.get(last, ())
                    for name, line, keywords in candidates:
                        if fnmatch.fnmatchcase(name, pattern) and (not rule.call_kwargs or keywords & rule.call_kwargs):
                            hits.append(line)
                if rule.strings:
                    words = [h for alt in rule.hints for h in alt]
                    for value, line in facts.strings:
                        if (not words or any(w in value for w in words)) and any(p.search(value) for p in rule.strings):
                            hits.append(line)
            for line in sorted(set(hits))[:MAX_MATCHES_PER_RULE]:
                out.append({"rule": rule.id, "line": line, "quote": redact(file.line_text(line))})
        return out

    def _text(self, rule: _Compiled, file: SourceFile, finder: LineFinder, documents) -> list[dict[str, Any]]:
        text = file.text
        if rule.yaml_kinds and not _has_kind(rule.yaml_kinds, documents, text):
            return []
        lines: list[int] = []
        for pattern in rule.content:
            for match in pattern.finditer(text):
                line = finder.line(match.start())
                if not rule.comments and _COMMENT.match(file.line_text(line)):
                    continue
                lines.append(line)
                if len(lines) >= MAX_MATCHES_PER_RULE:
                    break
        if rule.yaml_keys or rule.yaml_mapping:
            lines.extend(_yaml_lines(rule, documents, text))
        return [
            {"rule": rule.id, "line": line, "quote": redact(file.line_text(line))}
            for line in sorted(set(lines))[:MAX_MATCHES_PER_RULE]
        ]


def _has_word(text: str, word: str) -> bool:
    """``word`` occurs in ``text`` not glued to other letters or digits (a
    word ending in ``_`` is a prefix: ``STRIPE_`` finds ``STRIPE_KEY``)."""
    if word not in text:
        return False
    tail = "" if word.endswith("_") else "(?![A-Za-z0-9])"
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(word)}{tail}", text) is not None


def _has_kind(kinds: set[str], documents, text: str) -> bool:
    if documents is not None:
        return bool(yamlfacts.document_kinds(documents) & kinds)
    return any(re.search(rf"^kind:\s*['\"]?{re.escape(k)}\b", text, re.MULTILINE) for k in kinds)


def _yaml_lines(rule: _Compiled, documents, text: str) -> list[int]:
    lines: list[int] = []
    if documents is not None:
        for doc in documents:
            for mapping in yamlfacts.iter_mappings(doc):
                keys = {k for k in mapping if isinstance(k, str)}
                # a key set to nothing (livenessProbe: {} in chart defaults,
                # healthcheck: null) switches the thing off
                filled = {k for k in rule.yaml_keys & keys if mapping[k] not in (None, {}, [], "", False)}
                if filled:
                    lines.append(min(mapping.lines[k] for k in filled))
                if rule.yaml_mapping and rule.yaml_mapping <= keys:
                    lines.append(mapping.line)
                if len(lines) >= MAX_MATCHES_PER_RULE:
                    return lines
        return lines
    keys = yamlfacts.key_lines_fallback(text)
    lines.extend(keys[k] for k in rule.yaml_keys if k in keys)
    if rule.yaml_mapping and all(k in keys for k in rule.yaml_mapping):
        lines.append(min(keys[k] for k in rule.yaml_mapping))
    return lines


def _workflow(rule: _Compiled, summary: dict[str, Any], line_text) -> list[dict[str, Any]]:
    """The matches of one workflow rule; a quote is the line of the file the
    match names (``line_text``), never text made up from the summary."""
    if rule.workflow_on and not (rule.workflow_on & set(summary["on"])):
        return []
    if not rule.workflow_run:
        line = summary["on_line"]
        if line_text(line).strip().rstrip(":").strip("'\"") in ("on", "true") and line_text(line + 1).strip():
            line += 1  # "on:" opens a mapping: its first trigger says more
        return [{"rule": rule.id, "line": line, "quote": redact(line_text(line))}]
    # a step matched by an earlier pattern comes first (the sort is stable:
    # steps of one rank keep their order): the list goes from the commands
    # that are surely checks (pytest, ruff) to the looser ones
    found: list[tuple[int, dict[str, Any]]] = []
    for job in summary["jobs"]:
        for step in job["steps"]:
            run = step.get("run")
            if not run:
                continue
            for rank, pattern in enumerate(rule.workflow_run):
                match = pattern.search(run)
                if match:
                    start = run.rfind("\n", 0, match.start()) + 1
                    end = run.find("\n", match.start())
                    offset = run.count("\n", 0, match.start()) + (1 if "\n" in run.rstrip("\n") else 0)
                    quote = redact(run[start : end if end >= 0 else None])
                    found.append((rank, {"rule": rule.id, "line": step["line"] + offset, "quote": quote}))
                    break
    return [match for _rank, match in sorted(found, key=lambda item: item[0])[:MAX_MATCHES_PER_RULE]]
