"""Which files a scan looks at, and in which role (source or test)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pathspec

from .config import Config

PYTHON_SUFFIXES = (".py", ".pyw")


def is_python_path(path: str) -> bool:
    return path.endswith(PYTHON_SUFFIXES)


class _Matcher:
    """A gitignore-style pattern list. Lists without negations (the usual
    case) are matched with one combined regular expression: pathspec tries
    each pattern in turn, which costs a scan of a large repository noticeably."""

    def __init__(self, patterns: list[str]):
        self.spec = pathspec.GitIgnoreSpec.from_lines(patterns)
        compiled = [p for p in self.spec.patterns if p.include is not None]
        self.combined = None
        if compiled and all(p.include for p in compiled):
            parts = [p.regex.pattern.replace("(?P<ps_d>", "(?:") for p in compiled]
            self.combined = re.compile("|".join(f"(?:{part})" for part in parts))

    def match(self, path: str) -> bool:
        if self.combined is not None:
            return self.combined.match(path) is not None
        return self.spec.match_file(path)


@dataclass
class Selector:
    """Decides, per repository path, whether it is excluded (and by what) and
    whether it is a test file."""

    _excludes: list[tuple[str, _Matcher]]
    _tests: _Matcher
    #: answers so far, per path: a backfill asks about the same paths for
    #: every month, and several analyzers ask about each path
    _excluded: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)
    _roles: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_config(cls, config: Config) -> Selector:
        by_label: dict[str, list[str]] = {}
        for label, pattern in config.excludes:
            by_label.setdefault(label, []).append(pattern)
        excludes = [(label, _Matcher(patterns)) for label, patterns in by_label.items()]
        tests = _Matcher(config.tests)
        return cls(excludes, tests)

    def excluded_by(self, path: str) -> str | None:
        try:
            return self._excluded[path]
        except KeyError:
            pass
        label = next((label for label, matcher in self._excludes if matcher.match(path)), None)
        self._excluded[path] = label
        return label

    def role(self, path: str) -> str:
        role = self._roles.get(path)
        if role is None:
            role = self._roles[path] = "test" if self._tests.match(path) else "source"
        return role
