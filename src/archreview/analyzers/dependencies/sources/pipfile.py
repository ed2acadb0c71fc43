"""Pipenv's ``Pipfile`` (TOML): ``[packages]``, ``[dev-packages]`` and other
categories, and ``[[source]]`` package indexes."""

from __future__ import annotations

from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from ....model import Skipped
from ..model import Declared, ParsedFile
from .interface import (
    LineFinder,
    TomlSource,
    pinned_version,
    redact_url,
    summarise_problems,
    url_host,
)

NOT_CATEGORIES = {"source", "requires", "pipenv", "scripts", "_meta"}


def category_group(category: str) -> str:
    return {"packages": "main", "default": "main", "dev-packages": "dev", "develop": "dev"}.get(category, category)


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
        for category, table in data.items():
            if category in NOT_CATEGORIES or not isinstance(table, dict):
                continue
            start = lines.find(f"[{category}]")
            group = category_group(category)
            for name, value in table.items():
                line = lines.key(name, start)
                spec = value if isinstance(value, str) else None
                marker = None
                host = default_host
                if isinstance(value, dict):
                    if "git" in value or ("file" in value and "://" in str(value["file"])):
                        location = redact_url(str(value.get("git") or value.get("file")))
                        parsed.entries.append(
                            Declared(canonicalize_name(name), location, path, line, group=group, direct=True)
                        )
                        continue
                    if "path" in value or "file" in value:
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
                    Declared(
                        name=canonicalize_name(name),
                        spec=spec,
                        source_file=path,
                        line=line,
                        version=pinned_version(specifier),
                        group=group,
                        marker=marker if isinstance(marker, str) else None,
                        allowed=(spec,) if spec else (),
                        index_host=host,
                    )
                )
        if problems:
            parsed.skipped.append(Skipped(path, summarise_problems(path, problems, "entries")))
        if local:
            parsed.notes.append(f"{path}: {local} local-path packages (the project's own code) are not audited")
        return parsed
