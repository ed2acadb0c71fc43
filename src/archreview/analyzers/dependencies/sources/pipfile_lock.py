"""Pipenv's ``Pipfile.lock`` (JSON): one table per category (``default``,
``develop``, ...) of pinned packages, and ``_meta.sources``."""

from __future__ import annotations

import json

from ....model import Skipped
from ..model import ParsedFile
from .interface import (
    DependencySource,
    LineFinder,
    SourceContext,
    first_line,
    summarise_problems,
    unreadable,
)
from .lockfiles import direct_entry, locked_entry
from .pipfile import DIRECT, categories, location, source_hosts


class PipfileLockSource(DependencySource):
    format = "Pipfile.lock"
    filename = "Pipfile.lock"
    lock = True

    def parse(self, path: str, text: str, context: SourceContext) -> ParsedFile:
        parsed = ParsedFile(path=path, format=self.format, lock=self.lock)
        try:
            data = json.loads(text)
        except ValueError as exc:
            return unreadable(parsed, f"not valid JSON ({first_line(str(exc))})")
        if not isinstance(data, dict) or not isinstance(data.get("_meta"), dict):
            return unreadable(parsed, "no _meta table: not a Pipfile.lock file")
        hosts, default_host = source_hosts(data["_meta"].get("sources"))
        lines = LineFinder(text)
        problems: list[tuple[int, str]] = []
        for category, group, table in categories(data):
            start = lines.find(f'"{category}": {{')
            for name, value in table.items():
                line = lines.find(f'"{name}": {{', start=start)
                if not isinstance(value, dict):
                    problems.append((line, f"{name}: unreadable entry"))
                    continue
                where = location(value)
                if where is not None and where[0] == DIRECT:
                    parsed.entries.append(direct_entry(name, where[1], path, line))
                    continue
                if where is not None:
                    continue  # the project's own code or a local folder
                version = str(value.get("version", ""))
                if not version.startswith("=="):
                    problems.append((line, f"{name}: no pinned version"))
                    continue
                host = hosts.get(str(value.get("index")), default_host)
                parsed.entries.append(locked_entry(name, version[2:], path, line, group=group, index_host=host))
        if problems:
            parsed.skipped.append(Skipped(path, summarise_problems(path, problems, "packages")))
        return parsed
