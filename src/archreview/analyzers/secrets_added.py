"""Secrets in the lines a commit added to a file.

The ``secrets-history`` analyzer checks old versions of Python files this
way: :mod:`.python_history` hands each commit's patch of each Python file
(``git log -p -U0``) to :class:`AddedSecrets`, which runs the ``secrets``
analyzer on the added lines, joined, and gives each finding the line it has
in the version the commit wrote. Every line a Python file ever held was
added by some commit, so this finds what reading every old version would
find, reading a fraction of the bytes. What it does not see: a line that
exists only in a merge commit's own resolution of a conflict (merges are
not diffed), and a secret split over two hunks of one commit's patch.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from ..config import stable_hash
from ..errors import ConfigError
from .secrets import SECTION as CONFIG_SECTION
from .secrets import SecretsAnalyzer, finding_for, scan_role

#: bump when what a scan of added lines returns changes
VERSION = "5"
#: what ``scan`` returns for a file whose added lines the detector failed on
#: (counted and noted by secrets-history, never read as "no secret")
UNCHECKED = "unchecked"
DEFAULT_SECONDS = 20.0
DEFAULT_MAX_FILE_SIZE = 256 * 1024
_ADDED = re.compile(rb"^\+(.*)$", re.M)
_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@", re.M)


@dataclass(frozen=True)
class HistoryOptions:
    """``[tool.archreview.secrets]``: whether history is checked, how long
    old versions of other files are read, and their size limit."""

    enabled: bool = True
    seconds: float = DEFAULT_SECONDS
    max_file_size: int = DEFAULT_MAX_FILE_SIZE

    @classmethod
    def from_config(cls, config) -> HistoryOptions:
        section = config.section(CONFIG_SECTION)
        enabled = section.get("history", True)
        seconds = section.get("history_seconds", DEFAULT_SECONDS)
        size = section.get("history_max_file_size", DEFAULT_MAX_FILE_SIZE)
        if not isinstance(enabled, bool):
            raise ConfigError("[tool.archreview.secrets] history must be true or false")
        for key, value in (("history_seconds", seconds), ("history_max_file_size", size)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ConfigError(f"[tool.archreview.secrets] {key} must be a non-negative number")
        return cls(enabled, float(seconds), min(int(size), config.max_file_size))


class AddedSecrets:
    """A scanner for :func:`.activity.gitlog.read`: the findings of the
    ``secrets`` analyzer in one file's added lines, each with its ``path``
    and its line in the new version."""

    def __init__(self, settings: dict[str, Any], selector, selection_key: str):
        self.analyzer = SecretsAnalyzer()
        self.analyzer.setup(settings)
        self.settings = settings
        self.selector = selector
        # everything the answers depend on; they are kept per commit under it
        self.namespace = "secrets-history.added." + stable_hash(
            {"versions": [SecretsAnalyzer.version, VERSION], "settings": stable_hash(settings), "selection": selection_key}
        )[:24]
        self._paths: dict[str, tuple[bool, str, str]] = {}  # path -> (wanted, role, kind)
        detector = self.analyzer.detector
        self._index = detector.index
        self._by_regex = [rule.keyword_regex for rule in detector.rules if rule.keyword_regex is not None]
        # a rule that needs no keyword (and may run on Python files) could
        # match anywhere: then no patch can be passed over
        python_kind = self.analyzer.kind("module.py")
        self._always = any(
            not rule.has_keywords and rule.keyword_regex is None and python_kind in rule.kinds for rule in detector.rules
        )

    @classmethod
    def for_context(cls, context) -> AddedSecrets | None:
        """The scanner for a scan's settings; None when history is not checked."""
        if not HistoryOptions.from_config(context.config).enabled:
            return None
        analyzer = SecretsAnalyzer()
        return cls(analyzer.settings(context.config), context.selector, context.config.selection_key())

    def relevant(self, patch: bytes) -> bool:
        """Whether any rule's keyword (or keyword pattern) occurs anywhere in
        one commit's patch: most commits' patches hold none, and their files
        need no look. A superset of what each file's added lines hold."""
        if self._always:
            return True
        lowered = patch.lower()
        return self._index.any(lowered) or any(regex.search(lowered) for regex in self._by_regex)

    def scan(self, path: str, hunks: bytes) -> list[dict[str, Any]]:
        decision = self._paths.get(path)
        if decision is None:
            role = scan_role(path, self.selector.role(path))
            wanted = self.selector.excluded_by(path) is None and self.analyzer.wants(path, role, self.settings)
            decision = self._paths[path] = (wanted, role, self.analyzer.kind(path) if wanted else "")
        wanted, role, kind = decision
        if not wanted:
            return []
        lines = _ADDED.findall(hunks)
        if not lines:
            return []
        try:  # what SecretsAnalyzer.analyze does, without a SourceFile per patch
            hits = self.analyzer.detector.scan(b"\n".join(lines), kind, role)
        except Exception:  # noqa: BLE001 - the message could quote the patch
            return [{UNCHECKED: True, "path": path}]
        if not hits:
            return []
        where = line_map(hunks)
        return [{**finding, "path": path, "line": where(finding.get("line", 0))} for finding in (finding_for(hit, role) for hit in hits)]


def line_map(hunks: bytes):
    """From the number of an added line among all the added lines of
    ``hunks`` (1-based) to its line in the new version of the file."""
    firsts: list[int] = []  # index of each hunk's first added line among all added lines
    starts: list[int] = []  # its line in the new version
    count = 0
    heads = list(_HUNK.finditer(hunks))
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(hunks)
        added = hunks.count(b"\n+", head.end(), end)
        if added:
            firsts.append(count)
            starts.append(int(head.group(1)))
            count += added

    def where(line: int) -> int:
        index = line - 1
        at = bisect_right(firsts, index) - 1
        if at < 0 or index < 0:
            return line
        return starts[at] + index - firsts[at]

    return where
