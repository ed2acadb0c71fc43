"""``uv.lock``: one ``[[package]]`` table per locked package; ``source`` says
where it comes from (``registry``, ``git``, ``url``, ``path``, ``directory``,
``editable``, ``virtual``). The workspace's own projects are not listed."""

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

_LOCAL = ("editable", "virtual", "directory", "path")


class UvLockSource(DependencySource):
    format = "uv.lock"

    def matches(self, path: str) -> bool:
        return basename(path) == "uv.lock"

    def parse(self, path: str, text: str, context: SourceContext) -> ParsedFile:
        parsed = ParsedFile(path=path, format=self.format, lock=True)
        try:
            data = load_toml(text)
        except BadFile as exc:
            return unreadable(parsed, str(exc))
        packages = data.get("package", [])
        if not isinstance(packages, list) or "version" not in data:
            return unreadable(parsed, "no lock version or [[package]] list: not a uv.lock file")
        lines = LineFinder(text).array_entries("package")
        problems = []
        for position, package in enumerate(packages):
            line = lines[position] if position < len(lines) else 0
            if not isinstance(package, dict) or not isinstance(package.get("name"), str):
                problems.append((line, "a package without a name"))
                continue
            name = package["name"]
            version = package.get("version")
            source = package.get("source") if isinstance(package.get("source"), dict) else {}
            if any(key in source for key in _LOCAL) and "url" not in source:
                if not str(source.get("path", "")).endswith(".whl"):
                    continue  # a workspace member or local folder: the project's own code
            if "git" in source or "url" in source or "path" in source:
                location = str(source.get("git") or source.get("url") or source.get("path"))
                parsed.entries.append(direct_entry(name, redact_url(location), path, line, version and str(version)))
                continue
            if not version:
                problems.append((line, f"{name} has no version"))
                continue
            host = url_host(str(source.get("registry", ""))) or None
            parsed.entries.append(locked_entry(name, str(version), path, line, index_host=host))
        if problems:
            parsed.skipped.append(Skipped(path, summarise_problems(path, problems, "packages")))
        return parsed
