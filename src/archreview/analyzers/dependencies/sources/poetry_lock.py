"""``poetry.lock``: one ``[[package]]`` table per locked package, with an
optional ``[package.source]`` (``git``, ``url``, ``file``, ``directory`` or a
``legacy`` package index)."""

from __future__ import annotations

from ....model import Skipped
from ..model import ParsedFile
from .interface import (
    BadFile,
    DependencySource,
    LineFinder,
    SourceContext,
    basename,
    load_toml,
    redact_url,
    summarise_problems,
    unreadable,
    url_host,
)
from .lockfiles import direct_entry, locked_entry


class PoetryLockSource(DependencySource):
    format = "poetry.lock"

    def matches(self, path: str) -> bool:
        return basename(path) == "poetry.lock"

    def parse(self, path: str, text: str, context: SourceContext) -> ParsedFile:
        parsed = ParsedFile(path=path, format=self.format, lock=True)
        try:
            data = load_toml(text)
        except BadFile as exc:
            return unreadable(parsed, str(exc))
        packages = data.get("package", [])
        if not isinstance(packages, list) or ("metadata" not in data and not packages):
            return unreadable(parsed, "no [[package]] list and no [metadata]: not a poetry.lock file")
        lines = LineFinder(text).array_entries("package")
        problems = []
        for position, package in enumerate(packages):
            line = lines[position] if position < len(lines) else 0
            if not isinstance(package, dict) or not isinstance(package.get("name"), str) or not package.get("version"):
                problems.append((line, "a package without name or version"))
                continue
            name, version = package["name"], str(package["version"])
            group = _group(package)
            source = package.get("source") if isinstance(package.get("source"), dict) else {}
            kind = source.get("type")
            if kind in ("directory", "file") and not str(source.get("url", "")).endswith(".whl"):
                continue  # the project's own code or a local folder
            if kind in ("git", "url", "file"):
                parsed.entries.append(direct_entry(name, redact_url(str(source.get("url", ""))), path, line))
                continue
            host = url_host(str(source.get("url", ""))) if kind == "legacy" else None
            parsed.entries.append(locked_entry(name, version, path, line, group=group, index_host=host or None))
        if problems:
            parsed.skipped.append(Skipped(path, summarise_problems(path, problems, "packages")))
        return parsed


def _group(package: dict) -> str:
    groups = package.get("groups")
    if isinstance(groups, list) and groups and "main" not in groups:
        return str(groups[0])
    category = package.get("category")
    if isinstance(category, str) and category != "main":
        return category
    return "main"
