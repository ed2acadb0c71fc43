"""``pylock.toml`` / ``pylock.<name>.toml`` (PEP 751): ``[[packages]]`` with
``name``, ``version`` and where the files come from (``index``, ``vcs``,
``directory``, ``archive``)."""

from __future__ import annotations

import re

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

_NAME = re.compile(r"^pylock\.([^.]+\.)?toml$")


class PylockSource(DependencySource):
    format = "pylock"

    def matches(self, path: str) -> bool:
        return bool(_NAME.match(basename(path)))

    def parse(self, path: str, text: str, context: SourceContext) -> ParsedFile:
        parsed = ParsedFile(path=path, format=self.format, lock=True)
        try:
            data = load_toml(text)
        except BadFile as exc:
            return unreadable(parsed, str(exc))
        packages = data.get("packages", [])
        if "lock-version" not in data or not isinstance(packages, list):
            return unreadable(parsed, "no lock-version or [[packages]] list: not a PEP 751 lockfile")
        lines = LineFinder(text).array_entries("packages")
        problems = []
        for position, package in enumerate(packages):
            line = lines[position] if position < len(lines) else 0
            if not isinstance(package, dict) or not isinstance(package.get("name"), str):
                problems.append((line, "a package without a name"))
                continue
            name, version = package["name"], package.get("version")
            if isinstance(package.get("directory"), dict):
                continue  # a local folder: the project's own code
            for key in ("vcs", "archive"):
                if isinstance(package.get(key), dict):
                    where = package[key].get("url") or package[key].get("path") or key
                    parsed.entries.append(
                        direct_entry(name, redact_url(str(where)), path, line, version and str(version))
                    )
                    break
            else:
                if not version:
                    problems.append((line, f"{name} has no version"))
                    continue
                host = url_host(str(package.get("index", ""))) or None
                parsed.entries.append(locked_entry(name, str(version), path, line, index_host=host))
        if problems:
            parsed.skipped.append(Skipped(path, summarise_problems(path, problems, "packages")))
        return parsed
