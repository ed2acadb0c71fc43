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
    redact_url,
    summarise_problems,
    unreadable,
)
from .lockfiles import direct_entry, locked_entry
from .pipfile import NOT_CATEGORIES, category_group, source_hosts


class PipfileLockSource(DependencySource):
    format = "Pipfile.lock"

    filename = "Pipfile.lock"

    def parse(self, path: str, text: str, context: SourceContext) -> ParsedFile:
        parsed = ParsedFile(path=path, format=self.format, lock=True)
        try:
            data = json.loads(text)
        except ValueError as exc:
            return unreadable(parsed, f"not valid JSON ({first_line(str(exc))})")
        if not isinstance(data, dict) or not isinstance(data.get("_meta"), dict):
            return unreadable(parsed, "no _meta table: not a Pipfile.lock file")
        hosts, default_host = source_hosts(data["_meta"].get("sources"))
        lines = LineFinder(text)
        problems: list[tuple[int, str]] = []
        for category, table in data.items():
            if category in NOT_CATEGORIES or not isinstance(table, dict):
                continue
            start = lines.find(f'"{category}": {{')
            group = category_group(category)
            for name, value in table.items():
                line = lines.find(f'"{name}": {{', start=start)
                if not isinstance(value, dict):
                    problems.append((line, f"{name}: unreadable entry"))
                    continue
                if "git" in value or ("file" in value and "://" in str(value["file"])):
                    parsed.entries.append(
                        direct_entry(name, redact_url(str(value.get("git") or value.get("file"))), path, line)
                    )
                    continue
                if "path" in value or "file" in value:
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
