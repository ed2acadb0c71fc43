"""Declarative rule packs: TOML files in ``checks/`` (shipped) plus the packs a
repository names in its configuration (``rule_packs = ["ops/checks.toml"]``).

A pack holds three kinds of tables:

``[readiness.<id>]``  what one readiness item means: title, severity and effort
                      of the finding when it is missing, plain sentences, and
                      optional ``present_when`` / ``partial_when`` groups;
``[[rule]]``          evidence for one readiness item (``readiness = "<id>"``);
``[[vendor]]``        an outside service the product depends on.

A rule (or vendor) says *where* to look (``paths``: gitignore-style globs,
matched case-insensitively; ``where``: which kinds of files count) and *what*
to look for. With no matcher, a file existing at a matching path is the
evidence. Matchers:

* ``content``      regexes on the lines of a non-Python file (comment lines
                   are ignored unless ``comments = true``);
* ``yaml_kinds``   the file must hold a YAML document of one of these kinds for
                   its ``content`` matches to count (k8s ``kind:``);
* ``yaml_keys``    a YAML mapping has one of these keys;
* ``yaml_mapping`` a YAML mapping has all of these keys;
* ``calls``        Python calls, by resolved dotted name (``*`` wildcards);
* ``call_kwargs``  with ``calls``: the call must pass one of these keywords;
* ``imports``      Python imports (module or its children);
* ``assigns``      Python assignments to these names; ``assign_value``:
                   ``dict`` (a dict literal), ``other`` or ``any``;
* ``strings``      regexes on Python string literals (docstrings excluded),
                   with ``hint``: identifiers one of which the file must hold;
* ``workflow_run`` regexes on the ``run:`` commands of GitHub workflows,
                   ``workflow_on``: the workflow must have one of these triggers;
* ``pins``         ``all`` / ``most``: the requirements in the manifest are
                   all (or at least 80 %) pinned to exact versions;
* ``dependencies`` dependency names (PyPI or npm), from the manifests;
* ``commit_authors`` words (case-insensitive) in the author of a commit made
                   in the 12 months before the scanned revision (an update
                   bot enabled in the hosting settings leaves no file).

``framework`` (a dependency name, e.g. ``django``) says the rule is about
that framework: it counts, and an absent item's "none of these" list names
it, only when the project depends on it (or declares no dependencies at all).

Rule ids are unique across packs; a user pack may replace a shipped rule by
using its id.
"""

from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from packaging.utils import canonicalize_name

from .errors import ConfigError
from .resources import checks_dir
from .selection import _Matcher

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

STRENGTHS = ("present", "partial", "support")
KINDS = ("source", "test", "docs", "example", "vendored", "any")
SEVERITIES = ("critical", "high", "medium", "low", "info")
MATCHER_KEYS = (
    "content",
    "yaml_keys",
    "yaml_mapping",
    "calls",
    "imports",
    "assigns",
    "strings",
    "workflow_run",
    "workflow_on",
    "pins",
    "dependencies",
    "commit_authors",
)
RULE_KEYS = {
    "id",
    "readiness",
    "strength",
    "meaning",
    "framework",
    "paths",
    "exclude_paths",
    "where",
    "comments",
    "yaml_kinds",
    "call_kwargs",
    "assign_value",
    "hint",
    *MATCHER_KEYS,
}
VENDOR_KEYS = {"name", "category", "imports", "dependencies", "env", "content", "paths", "where", "calls", "strings", "hint"}
READINESS_KEYS = {
    "title",
    "absent_aside",
    "severity",
    "partial_severity",
    "effort_minutes",
    "partial_effort_minutes",
    "plain_absent",
    "plain_partial",
    "applies_to",
    "present_when",
    "partial_when",
    "order",
}
#: Python modules where configuration is read from the environment
SETTINGS_MODULES = (
    "**/settings.py",
    "**/settings_*.py",
    "**/*_settings.py",
    "**/settings/*.py",
    "**/config.py",
    "**/config/*.py",
    "**/conf.py",
    "**/configuration*.py",
    "**/core/config.py",
    "**/env.py",
    "**/environment.py",
)
ENV_CONFIG_PATHS = (
    "**/.env.example",
    "**/.env.sample",
    "**/.env.template",
    "**/.env.dist",
    "**/*.env.example",
    "**/env.example",
    "**/example.env",
    "**/*.env",
    "**/.env",
    "**/docker-compose*.yml",
    "**/docker-compose*.yaml",
    "**/compose*.yml",
    "**/compose*.yaml",
    "**/values*.yaml",
    "**/*.tf",
    "**/*.tfvars*",
    "**/app.json",
    "**/app.yaml",
    "**/fly.toml",
    "**/render.yaml",
    "**/settings*.ini",
    "**/*.cfg",
    "**/k8s/**/*.yaml",
    "**/k8s/**/*.yml",
    "**/kubernetes/**/*.yaml",
    "**/deploy/**/*.yaml",
    "**/deploy/**/*.yml",
)

_VENDORED_PARTS = {"vendor", "vendored", "_vendor", "third_party", "thirdparty", "node_modules", "bower_components", "external", "lib-dist"}
_TEST_PARTS = {"tests", "test", "testing", "fixtures", "__fixtures__", "testdata", "test_data", "__tests__", "spec", "specs", "e2e", "cypress", "unittests", "integration_tests", "functional_tests"}
_DOC_PARTS = {"docs", "doc", "documentation", "mkdocs", "sphinx", "wiki"}
_EXAMPLE_PARTS = {"examples", "example", "samples", "sample", "demo", "demos", "tutorial", "tutorials", "cookbook"}
_DOC_SUFFIXES = (".md", ".markdown", ".rst", ".adoc", ".asciidoc", ".txt", ".html-fragment", ".mdx")


def path_kind(path: str, role: str = "source") -> str:
    """What kind of file a path holds for the readiness rules: ``source``
    (product code and configuration), ``test``, ``docs``, ``example`` or
    ``vendored``."""
    lower = path.lower()
    parts = lower.split("/")
    name = parts[-1]
    folders = set(parts[:-1])
    if folders & _VENDORED_PARTS or name.endswith((".min.js", ".min.css", ".bundle.js")) or "/static/" in f"/{lower}" and "/lib/" in f"/{lower}":
        return "vendored"
    if role == "test" or folders & _TEST_PARTS or name in ("tests.py", "conftest.py") or (
        name.endswith(".py") and (name.startswith("test_") or name.endswith(("_test.py", "_tests.py", "_testing.py")))
    ):
        return "test"
    if folders & _EXAMPLE_PARTS:
        return "example"
    if name.endswith(".py") and any(word in name for word in ("example", "sample", "_template")):
        return "example"
    if name.endswith(_DOC_SUFFIXES) and not name.startswith("requirements") and name not in ("constraints.txt", "cmakelists.txt"):
        return "docs"
    if folders & _DOC_PARTS:
        return "docs"
    return "source"


@dataclass
class Rule:
    id: str
    target: str  # readiness id, or vendor name for vendor rules
    strength: str = "present"
    meaning: str = ""
    paths: list[str] = field(default_factory=list)
    exclude_paths: list[str] = field(default_factory=list)
    where: list[str] = field(default_factory=lambda: ["source"])
    comments: bool = False
    content: list[str] = field(default_factory=list)
    yaml_kinds: list[str] = field(default_factory=list)
    yaml_keys: list[str] = field(default_factory=list)
    yaml_mapping: list[str] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    call_kwargs: list[str] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)
    assigns: list[str] = field(default_factory=list)
    assign_value: str = "any"
    strings: list[str] = field(default_factory=list)
    hint: list[str] = field(default_factory=list)
    workflow_run: list[str] = field(default_factory=list)
    workflow_on: list[str] = field(default_factory=list)
    pins: str = ""
    dependencies: list[str] = field(default_factory=list)
    commit_authors: list[str] = field(default_factory=list)
    vendor: bool = False
    category: str = ""
    via: str = ""
    pack: str = ""
    framework: str = ""  # a dependency name: the rule is about that framework

    # ------------------------------------------------------------------
    @property
    def python(self) -> bool:
        return bool(self.calls or self.imports or self.assigns or self.strings)

    @property
    def text(self) -> bool:
        return bool(self.content or self.yaml_keys or self.yaml_mapping)

    @property
    def workflow(self) -> bool:
        return bool(self.workflow_run or self.workflow_on)

    @property
    def path_only(self) -> bool:
        return not (self.python or self.text or self.workflow or self.pins or self.dependencies or self.commit_authors)

    @property
    def file_level(self) -> bool:
        """Needs the contents of files (the per-file analyzer)."""
        return self.python or self.text or self.workflow or bool(self.pins)

    def default_paths(self) -> list[str]:
        globs = list(self.paths)
        if self.python and not any(g.endswith(".py") for g in globs):
            globs.append("**/*.py")
        if self.vendor and self.content and not self.paths:
            globs.extend(ENV_CONFIG_PATHS)
            globs.extend(SETTINGS_MODULES)
        if self.workflow and not self.paths:
            globs.extend(WORKFLOW_GLOBS)
        return globs

    def to_settings(self) -> dict[str, Any]:
        """What the per-file analyzer needs (JSON-able; enters its cache key)."""
        keys = (
            "id", "where", "comments", "content", "yaml_kinds", "yaml_keys", "yaml_mapping", "calls",
            "call_kwargs", "imports", "assigns", "assign_value", "strings", "hint",
            "workflow_run", "workflow_on", "pins",
        )
        data = {k: getattr(self, k) for k in keys if getattr(self, k) not in ("", [], False) or k == "id"}
        data["paths"] = self.default_paths()
        data["exclude_paths"] = self.exclude_paths
        return data


@dataclass
class ReadinessSpec:
    id: str
    title: str
    severity: str = "medium"
    partial_severity: str = "low"
    effort_minutes: int = 120
    partial_effort_minutes: int = 60
    plain_absent: str = ""
    plain_partial: str = ""
    applies_to: str = "app"  # app | any
    present_when: list[list[str]] = field(default_factory=list)
    partial_when: list[list[str]] = field(default_factory=list)
    order: int = 0
    #: {readiness id: sentence}: added to the "why" of this item when it is
    #: absent and that other item is present (alerting, when an error
    #: tracker is set up: it may mail the team, which is not an alert of an
    #: outage)
    absent_aside: dict[str, str] = field(default_factory=dict)


@dataclass
class Packs:
    readiness: dict[str, ReadinessSpec] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    vendors: list[Rule] = field(default_factory=list)
    practices: dict[str, dict[str, Any]] = field(default_factory=dict)

    def all_rules(self) -> list[Rule]:
        return self.rules + self.vendors

    def file_settings(self) -> dict[str, Any]:
        """The rules the per-file analyzer runs, plus the paths it wants."""
        rules = [r for r in self.all_rules() if r.file_level]
        globs: list[str] = []
        for rule in rules:
            globs.extend(rule.default_paths())
        globs.extend(MANIFEST_GLOBS)
        globs.extend(WORKFLOW_GLOBS)
        return {
            "rules": [r.to_settings() for r in rules],
            "wants": sorted(set(globs)),
        }


MANIFEST_GLOBS = (
    "**/requirements*.txt",
    "**/requirements/*.txt",
    "**/requirements*.in",
    "**/pyproject.toml",
    "**/pipfile",
    "**/setup.cfg",
    "**/setup.py",
    "**/package.json",
)
WORKFLOW_GLOBS = (".github/workflows/*.yml", ".github/workflows/*.yaml")


def _strings(table: dict[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a string or a list of strings")
    return list(value)


def _check_regexes(patterns: list[str], where: str) -> None:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{where}: bad regular expression {pattern!r} ({exc})") from exc


def _parse_rule(table: dict[str, Any], source: str) -> Rule:
    """One [[rule]] table (vendors are parsed by _parse_vendor)."""
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: each [[rule]] / [[vendor]] must be a table")
    unknown = sorted(set(table) - RULE_KEYS)
    name = table.get("id")
    where = f"{source}: rule {name!r}"
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}")
    if not isinstance(name, str) or not name:
        raise ConfigError(f"{source}: a rule has no id")
    lists = {k: _strings(table, k, where) for k in (
        "paths", "exclude_paths", "where", "content", "yaml_kinds", "yaml_keys", "yaml_mapping", "calls",
        "call_kwargs", "imports", "assigns", "strings", "hint", "workflow_run", "workflow_on", "dependencies",
        "commit_authors",
    )}
    for key in ("content", "strings", "workflow_run"):
        _check_regexes(lists[key], where)
    kinds = lists.get("where") or ["source"]
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise ConfigError(f"{where}: where must name file kinds among {', '.join(KINDS)}, not {bad[0]!r}")
    if lists.get("strings") and not lists.get("hint"):
        raise ConfigError(f"{where}: strings needs a hint (identifiers the file must contain)")
    target = table.get("readiness")
    if not isinstance(target, str) or not target:
        raise ConfigError(f"{where}: readiness (the id this rule is evidence for) is required")
    strength = table.get("strength", "present")
    if strength not in STRENGTHS:
        raise ConfigError(f"{where}: strength must be one of {', '.join(STRENGTHS)}")
    pins = table.get("pins", "")
    if pins not in ("", "all", "most"):
        raise ConfigError(f"{where}: pins must be 'all' or 'most'")
    assign_value = table.get("assign_value", "any")
    if assign_value not in ("any", "dict", "other"):
        raise ConfigError(f"{where}: assign_value must be any, dict or other")
    return Rule(
        id=name,
        target=target,
        strength=strength,
        meaning=str(table.get("meaning", "")),
        framework=canonicalize_name(str(table.get("framework", ""))) if table.get("framework") else "",
        comments=bool(table.get("comments", False)),
        assign_value=assign_value,
        pins=pins,
        where=kinds,
        pack=source,
        **{k: v for k, v in lists.items() if k != "where"},
    )


def _parse_vendor(table: dict[str, Any], source: str, index: int) -> list[Rule]:
    """One [[vendor]] table becomes up to two rules: code (imports, calls,
    dependency names) and configuration (environment variable names)."""
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: each [[vendor]] must be a table")
    name = table.get("name")
    if not isinstance(name, str) or not name:
        raise ConfigError(f"{source}: a vendor has no name")
    where = f"{source}: vendor {name!r}"
    unknown = sorted(set(table) - VENDOR_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}")
    lists = {k: _strings(table, k, where) for k in VENDOR_KEYS - {"name", "category"}}
    _check_regexes(lists["content"] + lists["strings"], where)
    kinds = lists["where"] or ["source"]
    common = {"target": name, "category": str(table.get("category", "other")), "vendor": True, "where": kinds, "pack": source}
    rules = []
    if lists["imports"] or lists["calls"] or lists["dependencies"]:
        rules.append(Rule(
            id=f"vendor.{name}#{index}.code",
            imports=lists["imports"],
            calls=lists["calls"],
            dependencies=[normalise_name(d) for d in lists["dependencies"]],
            paths=[p for p in lists["paths"] if p.endswith(".py")],
            via="import",
            **common,
        ))
    env = lists["env"]
    content = lists["content"] + [rf"\b{re.escape(prefix)}[A-Z0-9_]*\b" for prefix in env]
    strings = lists["strings"] + [rf"^{re.escape(prefix)}[A-Z0-9_]*$" for prefix in env]
    if content or strings:
        hint = lists["hint"] + sorted({p.split("_")[0] + "_" for p in env})
        rules.append(Rule(
            id=f"vendor.{name}#{index}.config",
            content=content,
            strings=strings,
            hint=[h for h in hint if h],
            paths=lists["paths"] or (list(ENV_CONFIG_PATHS) + list(SETTINGS_MODULES) if content and strings else []),
            via="config",
            **common,
        ))
    return rules


def _parse_readiness(rid: str, table: dict[str, Any], source: str) -> ReadinessSpec:
    where = f"{source}: [readiness.{rid}]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    unknown = sorted(set(table) - READINESS_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}")
    for key in ("severity", "partial_severity"):
        if key in table and table[key] not in SEVERITIES:
            raise ConfigError(f"{where}: {key} must be one of {', '.join(SEVERITIES)}")
    groups = {}
    for key in ("present_when", "partial_when"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(g, list) and all(isinstance(x, str) for x in g) for g in value):
            raise ConfigError(f"{where}: {key} must be a list of lists of rule ids")
        groups[key] = value
    aside = table.get("absent_aside", {})
    if not isinstance(aside, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in aside.items()):
        raise ConfigError(f"{where}: absent_aside must be a table of readiness ids to sentences")
    return ReadinessSpec(
        id=rid,
        title=str(table.get("title", rid)),
        severity=table.get("severity", "medium"),
        partial_severity=table.get("partial_severity", "low"),
        effort_minutes=int(table.get("effort_minutes", 120)),
        partial_effort_minutes=int(table.get("partial_effort_minutes", 60)),
        plain_absent=str(table.get("plain_absent", "")),
        plain_partial=str(table.get("plain_partial", "")),
        applies_to=str(table.get("applies_to", "app")),
        order=int(table.get("order", 0)),
        absent_aside=dict(aside),
        **groups,
    )


def parse_pack(text: str, source: str, packs: Packs) -> None:
    """Add one pack's contents to ``packs`` (later packs win on equal ids)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML ({exc})") from exc
    unknown = sorted(set(data) - {"pack", "description", "readiness", "rule", "vendor", "practice"})
    if unknown:
        raise ConfigError(f"{source}: unknown table {unknown[0]!r}")
    for rid, table in data.get("readiness", {}).items():
        packs.readiness[rid] = _parse_readiness(rid, table, source)
    for table in data.get("rule", []):
        rule = _parse_rule(table, source)
        packs.rules[:] = [r for r in packs.rules if r.id != rule.id]
        packs.rules.append(rule)
    for table in data.get("vendor", []):
        packs.vendors.extend(_parse_vendor(table, source, len(packs.vendors)))
    for pid, table in data.get("practice", {}).items():
        if not isinstance(table, dict):
            raise ConfigError(f"{source}: [practice.{pid}] must be a table")
        packs.practices[pid] = dict(table)


def load_packs(extra: list[str] | None = None, read: Callable[[str], str | None] | None = None) -> Packs:
    """The shipped packs (sorted by file name), then the repository's own."""
    packs = Packs()
    for path in sorted(Path(checks_dir()).glob("*.toml")):
        if path.name == "secrets.toml":
            continue  # read by the secrets analyzer
        parse_pack(path.read_text(encoding="utf-8"), f"checks/{path.name}", packs)
    for rel in extra or []:
        text = read(rel) if read is not None else None
        if text is None:
            raise ConfigError(f"rule_packs: {rel} is not a file of the scanned repository")
        parse_pack(text, rel, packs)
    known = set(packs.readiness) | {"_deployable"}
    for rule in packs.rules:
        if rule.target not in known:
            raise ConfigError(f"{rule.pack}: rule {rule.id!r} is evidence for unknown readiness id {rule.target!r}")
    return packs


def packs_for_config(config) -> Packs:
    """The packs for one scan's configuration (loaded once per configuration)."""
    cached = getattr(config, "__dict__", {}).get("_rule_packs")
    if cached is not None:
        return cached
    packs = _load_for_config(config)
    if hasattr(config, "__dict__"):
        config.__dict__["_rule_packs"] = packs
    return packs


def _load_for_config(config) -> Packs:
    extra = config.get("rule_packs", []) or []
    if not isinstance(extra, list) or not all(isinstance(p, str) for p in extra):
        raise ConfigError("rule_packs must be a list of paths of TOML files in the repository")
    return load_packs(extra, getattr(config, "read_repo_file", None))


# ----------------------------------------------------------------------
# helpers shared by the analyzers

def normalise_name(name: str) -> str:
    """PEP 503 normalised package name; an @-scoped npm name is only
    lower-cased."""
    if name.startswith("@"):
        return name.lower()
    return canonicalize_name(name.strip())


class PathMatcher:
    """Case-insensitive gitignore-style matching of a rule's paths, compiled
    into one regular expression per side (include, exclude)."""

    def __init__(self, include: list[str], exclude: list[str] | None = None):
        self._include = _combined(include)
        self._exclude = _combined(exclude or [])

    def match(self, path: str) -> bool:
        if self._include is None:
            return False
        lower = path.lower()
        if not self._include(lower):
            return False
        return not (self._exclude is not None and self._exclude(lower))


def _combined(globs: list[str]) -> Callable[[str], bool] | None:
    return _combined_cached(tuple(globs)) if globs else None


@functools.lru_cache(maxsize=1024)
def _combined_cached(globs: tuple[str, ...]) -> Callable[[str], bool] | None:
    matcher = _Matcher([g.lower() for g in globs])
    if not any(p.include is not None for p in matcher.spec.patterns):
        # only blank lines and comments: such a list has always matched every
        # path here (it was joined into an empty regular expression)
        return lambda path: True
    return matcher.match


_SECRETISH = re.compile(
    r"(?i)(\b[\w.-]*(?:key|secret|token|passw(?:or)?d|passwd|pwd|dsn|credential|auth|apikey|api_key|private)[\w.-]*[\"']?\s*(?:=|:|=>)\s*)(\S.*)"
)
_URL_CREDS = re.compile(r"(://[^/\s:@]+:)[^@\s/]+@")
_LONG_TOKEN = re.compile(r"[A-Za-z0-9+/_\-]{24,}={0,2}")
_DSN_URL = re.compile(r"(https?://)[0-9a-f]{16,}(@)", re.I)
#: a value computed by code: a call (``str(settings.SENTRY_DSN)``) or an
#: attribute of an object that holds settings (``self.password``)
_CODE_VALUE = re.compile(r"^(?:[A-Za-z_][\w.]*\(|(?:self|settings|config|conf|cfg|app|current_app|options|args|os)\.[A-Za-z_][\w.]*\s*(?:[,)\]}]|$))")
_STRING_LITERAL = re.compile(r"""(?P<q>["'])(?:\\.|(?!(?P=q)).)*(?P=q)""")


def _mask_literal(match: re.Match) -> str:
    quote = match.group("q")
    return f"{quote}****{quote}" if len(match.group()) > 2 else match.group()


def _mask_token(match: re.Match) -> str:
    token = match.group(0)
    if "/" in token or not (re.search(r"\d", token) and re.search(r"[A-Za-z]", token)):
        return token
    return "****"


def redact(line: str, limit: int = 160) -> str:
    """The deciding line of a piece of evidence, with anything that may be a
    secret replaced by ``****``: values of key/token/password/dsn-like
    assignments, passwords in URLs and long token-like strings."""
    text = line.strip()
    text = _URL_CREDS.sub(r"\1****@", text)
    text = _DSN_URL.sub(r"\1****\2", text)
    match = _SECRETISH.search(text)
    if match:
        value = match.group(2)
        # keep a value that is plainly a reference, not a literal
        if re.match(r"""^(os\.environ|os\.getenv|env\(|getenv\(|settings\.|config\.|\$\{|\$[A-Z_]|\{\{|None\b|null\b|""\s*$|''\s*$|\w+\($)""", value):
            pass
        elif _CODE_VALUE.match(value):
            # code that computes the value (a call, a setting read): only
            # the literals in it are hidden
            text = text[: match.start(2)] + _STRING_LITERAL.sub(_mask_literal, value)
        else:
            text = text[: match.start(2)] + "****"
    text = _LONG_TOKEN.sub(_mask_token, text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text
