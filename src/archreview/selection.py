"""Which files a scan looks at, and in which role (source or test)."""

from __future__ import annotations

from dataclasses import dataclass

import pathspec

from .config import Config

PYTHON_SUFFIXES = (".py", ".pyw")


def is_python_path(path: str) -> bool:
    return path.endswith(PYTHON_SUFFIXES)


@dataclass
class Selector:
    """Decides, per repository path, whether it is excluded (and by what) and
    whether it is a test file."""

    _excludes: list[tuple[str, pathspec.GitIgnoreSpec]]
    _tests: pathspec.GitIgnoreSpec

    @classmethod
    def from_config(cls, config: Config) -> Selector:
        by_label: dict[str, list[str]] = {}
        for label, pattern in config.excludes:
            by_label.setdefault(label, []).append(pattern)
        excludes = [(label, pathspec.GitIgnoreSpec.from_lines(patterns)) for label, patterns in by_label.items()]
        tests = pathspec.GitIgnoreSpec.from_lines(config.tests)
        return cls(excludes, tests)

    def excluded_by(self, path: str) -> str | None:
        for label, spec in self._excludes:
            if spec.match_file(path):
                return label
        return None

    def role(self, path: str) -> str:
        return "test" if self._tests.match_file(path) else "source"
