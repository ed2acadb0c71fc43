"""The secrets rule pack: TOML data in ``checks/secrets.toml``, checked and
compiled once per process (per pack text and settings: :func:`load_pack`
memoises its result, and a :class:`Pack` is immutable, so callers share it)."""

from __future__ import annotations

import functools
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..resources import checks_dir

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 in CI
    import tomli as tomllib

PACK_FILE = "secrets.toml"
SEVERITIES = ("critical", "high", "medium", "low", "info")
STRENGTHS = ("specific", "generic")
SCOPES = ("line", "line-start", "block", "file")
KINDS = ("code", "config", "env", "env-example", "docs")
FILTERS = ("identifier", "path", "password-hash", "same-as-name", "same-as-user", "same-as-address", "digits")
RULE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")

RULE_KEYS = {
    "id", "description", "strength", "severity", "effort_minutes", "plain", "regex", "keywords",
    "keywords_case", "requires", "scope", "kinds", "preview", "entropy", "min_length", "placeholders",
    "allow_context", "allow_hosts", "filters", "name_pattern", "name_deny", "aggregate", "window",
    "window_before", "anchor", "keyword_regex",
}


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    strength: str  # specific: a provider's own format; generic: assignments, URLs, env files
    severity: str
    effort_minutes: int
    plain: str
    regex: re.Pattern[bytes]
    keywords: tuple[bytes, ...] = ()  # matched in lower case
    keywords_case: tuple[bytes, ...] = ()  # matched exactly
    requires: tuple[bytes, ...] = ()  # lower-case words the file must also contain
    scope: str = "line"
    kinds: frozenset[str] = frozenset(KINDS)
    preview: int = 0  # leading characters a preview may show (at most 4)
    entropy: float = 0.0  # minimum Shannon entropy of the secret, bits per character
    min_length: int = 8
    placeholders: bool = True
    allow_context: re.Pattern[bytes] | None = None
    allow_hosts: tuple[str, ...] = ()
    filters: frozenset[str] = frozenset()
    name_pattern: re.Pattern[str] | None = None
    name_deny: re.Pattern[str] | None = None
    aggregate: bool = False
    window: int = 512  # bytes searched after a keyword
    window_before: int = 96  # bytes searched before a keyword
    #: bytes that may precede a keyword in the match (e.g. the rest of a
    #: variable name); when set, the regex is tried once, where that run of
    #: bytes starts, instead of being searched for in a window
    anchor: frozenset[int] | None = None
    #: where the rule's keywords are found instead: this regex's match starts
    #: in the lower-cased file, one pass in compiled code (for a keyword that
    #: is common but rarely followed by what the rule needs, such as "://")
    keyword_regex: re.Pattern[bytes] | None = None

    @property
    def has_keywords(self) -> bool:
        return bool(self.keywords or self.keywords_case)


@dataclass(frozen=True)
class PathRules:
    skip_suffixes: tuple[str, ...]
    skip_names: frozenset[str]
    docs_suffixes: tuple[str, ...]
    docs_dirs: frozenset[str]
    translation_dirs: frozenset[str]
    translation_suffixes: tuple[str, ...]
    config_suffixes: tuple[str, ...]
    config_names: frozenset[str]
    config_prefixes: tuple[str, ...]
    env_example_markers: frozenset[str]


@dataclass(frozen=True)
class AllowList:
    placeholder_words: tuple[str, ...]
    placeholder_values: frozenset[str]
    known_examples: frozenset[bytes]
    line_markers: tuple[bytes, ...]
    extra: tuple[re.Pattern[str], ...] = ()  # user's own allow patterns (config)


@dataclass(frozen=True)
class Pack:
    digest: str  # of the pack's text (see pack_digest)
    rules: tuple[Rule, ...]
    paths: PathRules
    allow: AllowList


def pack_path() -> Path:
    return checks_dir() / PACK_FILE


def pack_text() -> str:
    return pack_path().read_text(encoding="utf-8")


def pack_digest(text: str | None = None) -> str:
    return hashlib.sha256((text if text is not None else pack_text()).encode()).hexdigest()[:16]


def load_pack(text: str | None = None, *, disable=(), allow=(), source: str = PACK_FILE) -> Pack:
    """Parse and check a pack; ``disable`` drops rules by id, ``allow`` adds
    regular expressions for values to ignore.

    The result is memoised on the text and the settings, so every analyzer
    of a scan (and every scan of a process) shares one checked and compiled
    pack; the shipped file is still read on each call, so an edited pack is
    picked up."""
    key = (pack_text() if text is None else text, tuple(disable), tuple(allow), source)
    try:
        hash(key)
    except TypeError:  # a non-string setting: not memoised, the checks report it
        return _load_pack.__wrapped__(*key)
    return _load_pack(*key)


@functools.lru_cache(maxsize=16)
def _load_pack(text: str, disable: tuple[str, ...], allow: tuple[str, ...], source: str) -> Pack:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML ({exc})") from exc
    if data.get("pack", {}).get("kind") != "secrets":
        raise ConfigError(f"{source}: not a secrets rule pack ([pack] kind = \"secrets\" is missing)")
    rules = [_rule(item, source) for item in data.get("rule", [])]
    ids = [r.id for r in rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ConfigError(f"{source}: rule id {duplicates[0]!r} is used twice")
    unknown = sorted(set(disable) - set(ids))
    if unknown:
        raise ConfigError(f"[tool.archreview.secrets] disable: no rule {unknown[0]!r} (rules: {', '.join(ids)})")
    extra = tuple(_compile_str(p, "[tool.archreview.secrets] allow") for p in allow)
    return Pack(
        digest=pack_digest(text),
        rules=tuple(r for r in rules if r.id not in set(disable)),
        paths=_paths(data.get("paths", {}), source),
        allow=_allow(data.get("allow", {}), extra),
    )


def _rule(item: dict[str, Any], source: str) -> Rule:
    rid = item.get("id")
    where = f"{source}: rule {rid!r}"
    if not isinstance(rid, str) or not RULE_ID.match(rid):
        raise ConfigError(f"{source}: a rule has no valid id (lower-case letters, digits and '-')")
    unknown = sorted(set(item) - RULE_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown field {unknown[0]!r}")
    for key in ("description", "plain", "regex"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise ConfigError(f"{where}: {key} is required")
    severity = item.get("severity", "high")
    if severity not in SEVERITIES:
        raise ConfigError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
    strength = item.get("strength", "generic")
    if strength not in STRENGTHS:
        raise ConfigError(f"{where}: strength must be specific or generic")
    scope = item.get("scope", "line")
    if scope not in SCOPES:
        raise ConfigError(f"{where}: scope must be one of {', '.join(SCOPES)}")
    kinds = frozenset(item.get("kinds", KINDS))
    if not kinds <= set(KINDS):
        raise ConfigError(f"{where}: kinds must be among {', '.join(KINDS)}")
    filters = frozenset(item.get("filters", ()))
    if not filters <= set(FILTERS):
        raise ConfigError(f"{where}: filters must be among {', '.join(FILTERS)}")
    regex = _compile_bytes(item["regex"], where)
    if "secret" not in regex.groupindex:
        raise ConfigError(f"{where}: the regex must name the secret with (?P<secret>...)")
    keywords = tuple(k.lower().encode() for k in item.get("keywords", ()))
    keywords_case = tuple(k.encode() for k in item.get("keywords_case", ()))
    aggregate = bool(item.get("aggregate", False))
    if not (keywords or keywords_case) and not (aggregate or scope == "file"):
        raise ConfigError(f"{where}: keywords are required (they decide where the regex runs)")
    if scope != "file" and not (keywords or keywords_case):
        raise ConfigError(f"{where}: a rule without keywords must have scope = \"file\"")
    preview = int(item.get("preview", 0))
    if not 0 <= preview <= 4:
        raise ConfigError(f"{where}: preview shows at most 4 characters")
    effort = item.get("effort_minutes", 60)
    if not isinstance(effort, int) or effort < 0:
        raise ConfigError(f"{where}: effort_minutes must be a non-negative whole number")
    return Rule(
        id=rid,
        description=item["description"].strip(),
        strength=strength,
        severity=severity,
        effort_minutes=effort,
        plain=" ".join(item["plain"].split()),
        regex=regex,
        keywords=keywords,
        keywords_case=keywords_case,
        requires=tuple(k.lower().encode() for k in item.get("requires", ())),
        scope=scope,
        kinds=kinds,
        preview=preview,
        entropy=float(item.get("entropy", 0.0)),
        min_length=int(item.get("min_length", 8)),
        placeholders=bool(item.get("placeholders", True)),
        allow_context=_compile_bytes(item["allow_context"], where) if "allow_context" in item else None,
        allow_hosts=tuple(h.lower() for h in item.get("allow_hosts", ())),
        filters=filters,
        name_pattern=_compile_str(item["name_pattern"], where) if "name_pattern" in item else None,
        name_deny=_compile_str(item["name_deny"], where) if "name_deny" in item else None,
        aggregate=aggregate,
        window=int(item.get("window", 512)),
        window_before=int(item.get("window_before", 96)),
        anchor=_byte_class(item["anchor"], where) if "anchor" in item else None,
        keyword_regex=_keyword_regex(item, keywords, where),
    )


def _keyword_regex(item: dict[str, Any], keywords: tuple[bytes, ...], where: str) -> re.Pattern[bytes] | None:
    """``keyword_regex`` must begin with one of the rule's (lower-case)
    keywords, so that its matches are keyword occurrences."""
    if "keyword_regex" not in item:
        return None
    if item.get("keywords_case") or not keywords:
        raise ConfigError(f"{where}: keyword_regex needs keywords (lower-case ones only)")
    compiled = _compile_bytes(item["keyword_regex"], where)
    if not any(item["keyword_regex"].startswith(re.escape(k.decode())) for k in keywords):
        raise ConfigError(f"{where}: keyword_regex must begin with one of the rule's keywords")
    return compiled


def _byte_class(pattern: str, where: str) -> frozenset[int]:
    """The bytes a character class such as ``[A-Za-z0-9_.-]`` matches ('' for none)."""
    if not pattern:
        return frozenset()
    compiled = _compile_bytes(pattern, where)
    return frozenset(b for b in range(256) if compiled.fullmatch(bytes([b])))


def _paths(data: dict[str, Any], source: str) -> PathRules:
    def lower_list(key: str) -> list[str]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{source}: [paths] {key} must be a list of strings")
        return [v.lower() for v in value]

    return PathRules(
        skip_suffixes=tuple(lower_list("skip_suffixes")),
        skip_names=frozenset(lower_list("skip_names")),
        docs_suffixes=tuple(lower_list("docs_suffixes")),
        docs_dirs=frozenset(lower_list("docs_dirs")),
        translation_dirs=frozenset(lower_list("translation_dirs")),
        translation_suffixes=tuple(lower_list("translation_suffixes")),
        config_suffixes=tuple(lower_list("config_suffixes")),
        config_names=frozenset(lower_list("config_names")),
        config_prefixes=tuple(lower_list("config_prefixes")),
        env_example_markers=frozenset(lower_list("env_example_markers")),
    )


def _allow(data: dict[str, Any], extra: tuple[re.Pattern[str], ...]) -> AllowList:
    return AllowList(
        placeholder_words=tuple(w.lower() for w in data.get("placeholder_words", ())),
        placeholder_values=frozenset(v.lower() for v in data.get("placeholder_values", ())),
        known_examples=frozenset(v.encode() for v in data.get("known_examples", ())),
        line_markers=tuple(m.lower().encode() for m in data.get("line_markers", ())),
        extra=extra,
    )


def _compile_bytes(pattern: str, where: str) -> re.Pattern[bytes]:
    try:
        return re.compile(pattern.encode())
    except re.error as exc:
        raise ConfigError(f"{where}: invalid regular expression ({exc})") from exc


def _compile_str(pattern: str, where: str) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise ConfigError(f"{where}: a pattern must be a string")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"{where}: invalid regular expression ({exc})") from exc
