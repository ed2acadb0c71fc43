"""Applying the rule pack to one file's bytes.

For each rule whose keywords occur in the file (see :mod:`.keywords`), the
rule's regular expression is tried in a small window around each occurrence
(the line, or from the line start for ``line-start`` rules, the following
block for ``block`` rules, the whole file for ``file`` rules). A match becomes
a :class:`Hit` unless the allow-list rejects it (:mod:`.allow`). Where two
rules match the same bytes, the earlier rule in the pack wins.

A :class:`Hit` never holds the secret: only its position, the line, the
variable name and a redacted preview.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import islice

from ..model import LOWER_SEVERITY
from .allow import is_allowed, looks_like_placeholder, snake_case
from .keywords import MAX_HITS_PER_KEYWORD, KeywordIndex
from .pack import Pack, Rule
from .redact import preview as make_preview

TEST_POLICIES = ("lower", "skip", "report")
#: a line that is a comment: #, //, --, ;, /*, *, <!--, REM
# (``--`` is SQL's comment; ``-----BEGIN`` opens a PEM block, ``---`` a YAML document)
_COMMENT_LINE = re.compile(rb"^[ \t]*(?:#|//|--(?!-)|;|/\*|\*|<!--|rem\s)", re.IGNORECASE)
BLOCK_WINDOW = 20_000
MAX_NAMES = 10
_NAME_BEFORE = re.compile(
    rb"""([A-Za-z_][A-Za-z0-9_.-]{0,63})["'\]]?[ \t]{0,4}(?::=|=>|=|:|,)?[ \t]{0,4}[\[{(]?[ \t]{0,4}(?:[rbuf]{1,2})?["'`]?$"""
)
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.@:/+-]{1,120}$")
#: a run of letters and digits that looks like a key rather than a word
#: (AKIAIOSFODNN7EXAMPLE glued to a name in escaped fixture text): a label
#: holding one is not shown
_TOKEN_RUN = re.compile(r"(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{16,}")


def safe_label(text: str) -> bool:
    """Whether a name or host may be shown next to a finding."""
    return bool(_SAFE_NAME.match(text)) and not _TOKEN_RUN.search(text)


@dataclass
class Hit:
    rule: Rule
    line: int
    start: int  # byte offsets of the secret in the file
    end: int
    preview: str
    name: str = ""
    detail: str = ""  # e.g. "RSA PRIVATE KEY", "postgres://db.internal"
    severity: str = ""
    count: int = 1  # aggregate rules: how many values
    names: tuple[str, ...] = ()
    commented: bool = False  # the line is a comment (commented-out code)
    example: bool = False  # in an example file (.env.example): a generic match one step lower
    #: (start, end, label, text) of the name, scheme and host, checked by _finish_labels
    _labels: list[tuple[int, int, str, str]] = field(default_factory=list, repr=False)


class Detector:
    def __init__(self, pack: Pack, test_files: str = "lower", use_automaton: bool | None = None):
        if test_files not in TEST_POLICIES:
            raise ValueError(f"test_files must be one of {', '.join(TEST_POLICIES)}")
        self.pack = pack
        self.rules = pack.rules
        self.test_files = test_files
        self.index = KeywordIndex(self.rules, use_automaton)
        self._by_regex = frozenset(i for i, r in enumerate(self.rules) if r.keyword_regex is not None)
        self._active: dict[tuple[str, str, bool], tuple[dict[int, Rule], frozenset[int]]] = {}

    # ------------------------------------------------------------------
    def runs(self, rule: Rule, kind: str, role: str) -> bool:
        if kind not in rule.kinds:
            return False
        if rule.strength == "generic" and kind == "docs":
            return False
        if role == "test":
            if self.test_files == "skip":
                return False
            if self.test_files == "lower" and rule.strength == "generic":
                return False
        return True

    def severity(self, rule: Rule, role: str) -> str:
        if role == "test" and self.test_files == "lower":
            return LOWER_SEVERITY[rule.severity]
        if role == "ci" and rule.strength == "generic" and self.test_files != "report":
            return LOWER_SEVERITY[rule.severity]
        return rule.severity

    def scan(self, data: bytes, kind: str = "code", role: str = "source", *, strict: bool = False) -> list[Hit]:
        """Hits in ``data``. ``strict``: every rule everywhere, no allow-list -
        used to redact other text, where missing a secret is worse than
        masking a placeholder."""
        lowered = data.lower()
        found = self.index.find(data, lowered)
        active, unkeyed = self._rules_for(kind, role, strict)
        for index in self._by_regex.intersection(active):
            matches = islice(self.rules[index].keyword_regex.finditer(lowered), MAX_HITS_PER_KEYWORD)
            positions = [m.start() for m in matches]
            if positions:
                found[index] = positions
        hits: list[Hit] = []
        taken: list[tuple[int, int]] = []
        # in pack order: the rules whose keywords occur, and those without keywords
        for index in sorted(unkeyed.union(i for i in found if i in active)):
            rule = active[index]
            if rule.aggregate:
                if not strict:
                    hit = self._aggregate(rule, data, taken, role)
                    if hit is not None:
                        hits.append(hit)
                continue
            positions = found.get(index)
            if rule.has_keywords and not positions:
                continue
            if not strict and rule.requires and not all(w in lowered for w in rule.requires):
                continue
            for match in self._matches(rule, data, positions or []):
                hit = self._hit(rule, data, match, taken, role, strict)
                if hit is not None:
                    hits.append(hit)
                    taken.append((hit.start, hit.end))
        self._finish_labels(hits)
        if not strict:
            if role == "ci" and self.test_files != "report":
                hits = [hit for hit in hits if not _throwaway(hit)]
            if kind == "env-example":
                hits = [_in_example(hit) for hit in hits]
        hits.sort(key=lambda h: (h.start, h.rule.id))
        return hits

    def _rules_for(self, kind: str, role: str, strict: bool) -> tuple[dict[int, Rule], frozenset[int]]:
        """The rules that run on this kind of file, by index, and the indexes
        of those among them that have no keywords (or aggregate)."""
        key = (kind, role, strict)
        plan = self._active.get(key)
        if plan is None:
            active = {i: r for i, r in enumerate(self.rules) if strict or self.runs(r, kind, role)}
            unkeyed = frozenset(i for i, r in active.items() if r.aggregate or not r.has_keywords)
            plan = self._active[key] = (active, unkeyed)
        return plan

    # ------------------------------------------------------------------
    def _matches(self, rule: Rule, data: bytes, positions: list[int]):
        regex = rule.regex
        if rule.scope == "file":
            yield from regex.finditer(data)
            return
        if rule.scope == "line-start" or (rule.anchor is not None and rule.scope != "block"):
            yield from self._anchored(rule, data, positions)
            return
        seen: set[tuple[int, int]] = set()
        windows = []
        for pos in positions:
            line_start = data.rfind(b"\n", 0, pos) + 1
            if rule.scope == "block":
                windows.append((line_start, min(len(data), pos + max(rule.window, BLOCK_WINDOW))))
                continue
            line_end = data.find(b"\n", pos)
            if line_end == -1:
                line_end = len(data)
            start = line_start if rule.scope == "line-start" else max(line_start, pos - rule.window_before)
            windows.append((start, min(line_end, pos + rule.window)))
        for start, end in _merge(windows):
            for match in regex.finditer(data, start, end):
                span = match.span("secret")
                if span in seen:
                    continue
                seen.add(span)
                yield match

    @staticmethod
    def _anchored(rule: Rule, data: bytes, positions: list[int]):
        """One match attempt per keyword: where the run of anchor bytes before
        it starts (the variable name), or at the line start."""
        anchor = rule.anchor or frozenset()
        starts: dict[int, int] = {}
        for pos in positions:
            if rule.scope == "line-start":
                start = data.rfind(b"\n", 0, pos) + 1
            else:
                start, lowest = pos, max(0, pos - rule.window_before)
                while start > lowest and data[start - 1] in anchor:
                    start -= 1
            if start not in starts:
                line_end = data.find(b"\n", pos)
                starts[start] = min(len(data) if line_end == -1 else line_end, pos + rule.window)
        for start, end in sorted(starts.items()):
            match = rule.regex.match(data, start, end)
            if match is not None:
                yield match

    def _hit(self, rule: Rule, data: bytes, match: re.Match, taken, role: str, strict: bool) -> Hit | None:
        start, end = match.span("secret")
        if start < 0 or end <= start:
            return None
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return None
        secret = data[start:end]
        text = secret.decode("utf-8", "replace")
        groups = {k: (v.decode("utf-8", "replace") if v is not None else "") for k, v in match.groupdict().items() if k != "secret"}
        name, name_span = self._name(data, match)
        if not strict:
            if rule.name_pattern is not None and not rule.name_pattern.search(name):
                return None
            if rule.name_deny is not None and name and rule.name_deny.search(snake_case(name)):
                return None
            line_text = _line_at(data, start)
            lowered_line = line_text.lower()
            if any(marker in lowered_line for marker in self.pack.allow.line_markers):
                return None
            if rule.allow_context is not None and rule.allow_context.search(line_text):
                return None
            if is_allowed(rule, secret, text, name, groups, self.pack.allow):
                return None
        commented = bool(_COMMENT_LINE.match(_line_at(data, start))) or _after_comment(data, start)
        severity = self.severity(rule, role)
        if commented and rule.strength == "generic":
            # commented-out code: a password next to its name is most often a
            # tutorial's or an old default; a provider's key keeps its severity
            severity = LOWER_SEVERITY[severity]
        hit = Hit(
            rule=rule,
            line=data.count(b"\n", 0, start) + 1,
            start=start,
            end=end,
            preview=make_preview(text, rule.preview),
            severity=severity,
            commented=commented,
        )
        if name_span is not None:
            hit._labels.append((*name_span, "name", name))
        for group in ("scheme", "host"):
            if groups.get(group):
                hit._labels.append((*match.span(group), group, groups[group]))
        if rule.scope == "block" and "name" in rule.regex.groupindex:
            hit.detail = groups.get("name", "")
        return hit

    def _name(self, data: bytes, match: re.Match) -> tuple[str, tuple[int, int] | None]:
        """The variable or key the secret is assigned to, where there is one:
        the rule's ``name`` group, else the identifier just before the match."""
        if "name" in match.re.groupindex and match.group("name"):
            span = match.span("name")
            return data[span[0] : span[1]].decode("ascii", "replace"), span
        start = match.start()
        line_start = data.rfind(b"\n", 0, start) + 1
        before = data[max(line_start, start - 160) : start]
        found = _NAME_BEFORE.search(before)
        if not found:
            return "", None
        offset = start - len(before)
        span = (offset + found.start(1), offset + found.end(1))
        return found.group(1).decode("ascii", "replace"), span

    def _aggregate(self, rule: Rule, data: bytes, taken, role: str) -> Hit | None:
        """One hit for the whole file: how many secret-looking values it holds."""
        names: list[str] = []
        first_line = 0
        first_start = 0
        lowered_markers = self.pack.allow.line_markers
        for match in rule.regex.finditer(data):
            start, end = match.span("secret")
            if start < 0:
                continue
            name = match.group("name").decode("ascii", "replace") if match.group("name") else ""
            flagged = any(start < t_end and t_start < end for t_start, t_end in taken)
            if not flagged:
                text = data[start:end].decode("utf-8", "replace").strip()
                if rule.name_pattern is not None and not rule.name_pattern.search(name):
                    continue
                if not text or looks_like_placeholder(text, self.pack.allow):
                    continue
                if any(m in _line_at(data, start).lower() for m in lowered_markers):
                    continue
            if not first_line:
                first_line = data.count(b"\n", 0, start) + 1
                first_start = start
            if safe_label(name) and name not in names:
                names.append(name)
        if not first_line:
            return None
        return Hit(
            rule=rule,
            line=first_line,
            start=first_start,
            end=first_start,
            preview="",
            severity=self.severity(rule, role),
            count=len(names) or 1,
            names=tuple(sorted(names)[:MAX_NAMES]),
        )

    @staticmethod
    def _finish_labels(hits: list[Hit]) -> None:
        """Names and hosts shown next to a hit - unless they overlap any hit's
        secret (a token in front of ``=`` or ``@`` must not become a label)."""
        spans = [(h.start, h.end) for h in hits if h.end > h.start]
        for hit in hits:
            parts: dict[str, str] = {}
            for start, end, label, text in hit._labels:
                if any(start < s_end and s_start < end for s_start, s_end in spans):
                    continue
                if safe_label(text):
                    parts[label] = text
            hit._labels = []
            hit.name = parts.get("name", "")
            if "host" in parts:  # the user name is left out: it is half of the credential
                hit.detail = f"{parts.get('scheme', '')}://{parts['host']}"


#: in CI configuration (role ``ci``): the credentials of the job's own service containers (a database, a queue)
_CI_SERVICE_NAME = re.compile(
    r"(?i)^(?:postgres(?:ql)?|pg|mysql|mariadb|mongo(?:db)?(?:_initdb)?(?:_root)?|redis|rabbitmq(?:_default)?|minio|"
    r"db|database|test_db|ci_db)_?(?:user_?)?(?:pass(?:word)?|pwd|url|uri|dsn|secret_key)$"
    # the application's own signing secret for the test run (a cloud
    # provider's secret key is not one)
    r"|^(?!(?:aws|s3|gcp|gcs|google|azure|stripe|minio|r2|b2|do|spaces)_)[a-z0-9_]*"
    r"(?:secret_key|cookie_secret|session_secret|jwt_secret(?:_key)?|signing_key)$"
)
#: hosts of such services: this machine or a service name without dots
_LOCAL_HOST = re.compile(r"(?i)^[a-z][a-z0-9+.-]*://(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|[a-z0-9_-]+)(?::\d+)?(?:/|$)")


def _throwaway(hit: Hit) -> bool:
    """A generic match in CI configuration that is the job's own service
    credential (``POSTGRES_PASSWORD``, a database URL to ``localhost``)."""
    if hit.rule.strength != "generic":
        return False
    return bool(_CI_SERVICE_NAME.match(hit.name)) or bool(hit.detail and _LOCAL_HOST.match(hit.detail))


def _in_example(hit: Hit) -> Hit:
    """A generic secret in an example file (``.env.example``, ``.env.sample``)
    is one step less severe: most often a sample value to replace, though
    real ones do get copied there; a provider's key keeps its severity."""
    if hit.rule.strength != "generic" or hit.rule.aggregate:
        return hit
    return replace(hit, severity=LOWER_SEVERITY[hit.severity], example=True)


def _after_comment(data: bytes, pos: int) -> bool:
    """Whether ``pos`` lies in a comment after code on its line
    (``x = 1  # "password": "example"``): a ``#`` or `` //`` outside quotes
    comes before it."""
    line_start = data.rfind(b"\n", 0, pos) + 1
    quote = 0
    prefix = data[line_start:pos]
    for i, byte in enumerate(prefix):
        if quote:
            if byte == quote and (i == 0 or prefix[i - 1] != 0x5C):  # not escaped
                quote = 0
        elif byte in (0x22, 0x27, 0x60):  # " ' `
            quote = byte
        elif byte == 0x23 and (i == 0 or prefix[i - 1] in (0x20, 0x09)):  # " #"
            return True
        elif byte == 0x2F and prefix[i : i + 2] == b"//" and (i == 0 or prefix[i - 1] in (0x20, 0x09)):
            return True  # (a URL's :// never follows a space)
    return False


def _line_at(data: bytes, pos: int) -> bytes:
    line_start = data.rfind(b"\n", 0, pos) + 1
    line_end = data.find(b"\n", pos)
    return data[line_start : line_end if line_end != -1 else len(data)]


def _merge(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
