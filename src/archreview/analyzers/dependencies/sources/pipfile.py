"""Pipenv's ``Pipfile`` (TOML): ``[packages]``, ``[dev-packages]`` and other
categories, and ``[[source]]`` package indexes."""

from __future__ import annotations

from typing import Any, Iterator

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from ....model import Skipped
from ..model import Declared, ParsedFile
from .interface import (
    LineFinder,
    TomlSource,
    declared_from_specifier,
    redact_url,
    summarise_problems,
    url_host,
)

NOT_CATEGORIES = {"source", "requires", "pipenv", "scripts", "_meta"}
#: what :func:`location` says of a package that is not installed from a package index
DIRECT, LOCAL = "direct", "local"


def category_group(category: str) -> str:
    return {"packages": "main", "default": "main", "dev-packages": "dev", "develop": "dev"}.get(category, category)


def categories(data: dict[str, Any]) -> Iterator[tuple[str, str, dict]]:
    """``(category, group, table)`` for each package category of a Pipfile
    or Pipfile.lock."""
    for category, table in data.items():
        if category in NOT_CATEGORIES or not isinstance(table, dict):
            continue
        yield category, category_group(category), table


def location(value: dict[str, Any]) -> tuple[str, str] | None:
    """``(DIRECT, redacted URL)`` for a VCS or remote-file package, ``(LOCAL,
    "")`` for a local path or file (the project's own code), None for a
    package from a package index."""
    if "git" in value or ("file" in value and "://" in str(value["file"])):
        return DIRECT, redact_url(str(value.get("git") or value.get("file")))
    if "path" in value or "file" in value:
        return LOCAL, ""
    return None


def source_hosts(sources: Any) -> tuple[dict[str, str], str | None]:
    """Source name -> host, and the host of the first (default) source."""
    hosts: dict[str, str] = {}
    default = None
    for source in sources if isinstance(sources, list) else []:
        if isinstance(source, dict) and isinstance(source.get("url"), str):
            host = url_host(source["url"])
            hosts[str(source.get("name"))] = host
            default = default or host
    return hosts, default


class PipfileSource(TomlSource):
    format = "Pipfile"
    filename = "Pipfile"

    def read(self, parsed: ParsedFile, data: dict, text: str) -> ParsedFile:
        path = parsed.path
        hosts, default_host = source_hosts(data.get("source"))
        lines = LineFinder(text)
        problems: list[tuple[int, str]] = []
        local = 0
        for category, group, table in categories(data):
            start = lines.find(f"[{category}]")
            for name, value in table.items():
                line = lines.key(name, start)
                spec = value if isinstance(value, str) else None
                marker = None
                host = default_host
                if isinstance(value, dict):
                    where = location(value)
                    if where is not None and where[0] == DIRECT:
                        parsed.entries.append(
                            Declared(canonicalize_name(name), where[1], path, line, group=group, direct=True)
                        )
                        continue
                    if where is not None:
                        local += 1
                        continue
                    spec = str(value.get("version", "*"))
                    marker = value.get("markers")
                    host = hosts.get(str(value.get("index")), host)
                if spec is None:
                    problems.append((line, f"{name}: unreadable entry"))
                    continue
                spec = "" if spec.strip() == "*" else spec.strip()
                try:
                    specifier = SpecifierSet(spec)
                except InvalidSpecifier:
                    problems.append((line, f"{name}: {spec!r} is not a version specifier"))
                    continue
                parsed.entries.append(
                    declared_from_specifier(
                        name,
                        spec,
                        specifier,
                        path,
                        line=line,
                        group=group,
                        marker=marker if isinstance(marker, str) else None,
                        index_host=host,
                    )
                )
        if problems:
            parsed.skipped.append(Skipped(path, summarise_problems(path, problems, "entries")))
        if local:
            parsed.notes.append(f"{path}: {local} local-path packages (the project's own code) are not audited")
        return parsed
