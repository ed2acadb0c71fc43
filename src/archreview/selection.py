"""Which files a scan looks at, and in which role (source or test)."""

from __future__ import annotations

import re
from dataclasses import dataclass

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

    @classmethod
    def from_config(cls, config: Config) -> Selector:
        by_label: dict[str, list[str]] = {}
        for label, pattern in config.excludes:
            by_label.setdefault(label, []).append(pattern)
        excludes = [(label, _Matcher(patterns)) for label, patterns in by_label.items()]
        tests = _Matcher(config.tests)
        return cls(excludes, tests)

    def excluded_by(self, path: str) -> str | None:
        for label, matcher in self._excludes:
            if matcher.match(path):
                return label
        return None

    def role(self, path: str) -> str:
        return "test" if self._tests.match(path) else "source"
