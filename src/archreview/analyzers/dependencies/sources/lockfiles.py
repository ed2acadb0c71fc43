"""What the TOML lockfiles (poetry.lock, uv.lock, pylock.toml) share: a
list of package tables, one pinned entry each."""

from __future__ import annotations

from typing import Any, ClassVar

from packaging.utils import canonicalize_name

from ....model import Skipped
from ..model import KIND_LOCK, Declared, ParsedFile
from .interface import BadFile, LineFinder, TomlSource, summarise_problems, unreadable


def locked_entry(name: str, version: str, path: str, line: int, **kwargs) -> Declared:
    return Declared(
        name=canonicalize_name(name),
        spec=f"=={version}",
        source_file=path,
        line=line,
        version=version,
        kind=KIND_LOCK,
        allowed=(f"=={version}",),
        **kwargs,
    )


def direct_entry(name: str, location: str, path: str, line: int, version: str | None = None) -> Declared:
    return Declared(
        name=canonicalize_name(name),
        spec=location,
        source_file=path,
        line=line,
        version=version,
        kind=KIND_LOCK,
        direct=True,
    )


class TomlLockSource(TomlSource):
    """A TOML lockfile with one ``[[<table>]]`` per package."""

    lock = True
    table: ClassVar[str] = "package"

    def not_this_format(self, data: dict[str, Any]) -> str | None:
        """Why the document is not a lockfile of this format, or None."""
        return None

    def entry(self, package: dict[str, Any], path: str, line: int) -> Declared | None:
        """One package table as an entry (None: the project's own code);
        raises BadFile for a package that cannot be read."""
        raise NotImplementedError

    def read(self, parsed: ParsedFile, data: dict, text: str) -> ParsedFile:
        path = parsed.path
        packages = data.get(self.table, [])
        problem = self.not_this_format(data) if isinstance(packages, list) else f"[[{self.table}]] is not a list"
        if problem:
            return unreadable(parsed, problem)
        lines = LineFinder(text).array_entries(self.table)
        problems = []
        for position, package in enumerate(packages):
            line = lines[position] if position < len(lines) else 0
            if not isinstance(package, dict) or not isinstance(package.get("name"), str):
                problems.append((line, "a package without a name"))
                continue
            try:
                entry = self.entry(package, path, line)
            except BadFile as exc:
                problems.append((line, str(exc)))
                continue
            if entry is not None:
                parsed.entries.append(entry)
        if problems:
            parsed.skipped.append(Skipped(path, summarise_problems(path, problems, "packages")))
        return parsed
