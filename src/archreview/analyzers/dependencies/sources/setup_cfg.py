"""``setup.cfg``: ``[options] install_requires`` and
``[options.extras_require]``, read as INI data (setuptools' declarative
configuration). ``setup.py`` is code and is never run: its dependencies are
not known to archreview."""

from __future__ import annotations

import configparser

from packaging.utils import canonicalize_name

from ....model import Skipped
from ..model import ParsedFile
from .interface import (
    BadFile,
    DependencySource,
    LineFinder,
    SourceContext,
    declared_from_requirement,
    first_line,
    summarise_problems,
    unreadable,
)


class SetupCfgSource(DependencySource):
    format = "setup.cfg"

    filename = "setup.cfg"

    def parse(self, path: str, text: str, context: SourceContext) -> ParsedFile:
        parsed = ParsedFile(path=path, format=self.format)
        config = configparser.ConfigParser(
            interpolation=None, strict=False, comment_prefixes=("#", ";"), inline_comment_prefixes=(" #", " ;")
        )
        try:
            config.read_string(text, source=path)
        except configparser.Error as exc:
            return unreadable(parsed, f"not a valid INI file ({first_line(str(exc))})")
        parsed.packaged = config.has_section("options") or config.has_section("metadata")
        lines = LineFinder(text)
        problems: list[tuple[int, str]] = []
        values: list[tuple[str, str]] = []
        if config.has_option("options", "install_requires"):
            values.append(("main", config.get("options", "install_requires")))
        if config.has_section("options.extras_require"):
            for extra, value in config.items("options.extras_require", raw=True):
                values.append((canonicalize_name(extra), value))
        for group, value in values:
            if value.strip().startswith("file:"):
                parsed.notes.append(
                    f"{path}: dependencies of group {group} are read from {value.strip()[5:].strip()}; "
                    "that file is reported on its own when it is a requirements file"
                )
                continue
            for item in value.splitlines():
                item = item.strip()
                if not item:
                    continue
                line = lines.find(item)
                try:
                    parsed.entries.append(declared_from_requirement(item, path, line=line, group=group))
                except BadFile as exc:
                    problems.append((line, str(exc)))
        if problems:
            parsed.skipped.append(Skipped(path, summarise_problems(path, problems, "entries")))
        return parsed
