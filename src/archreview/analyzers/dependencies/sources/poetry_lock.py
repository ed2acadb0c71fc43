"""``poetry.lock``: one ``[[package]]`` table per locked package, with an
optional ``[package.source]`` (``git``, ``url``, ``file``, ``directory`` or a
``legacy`` package index)."""

from __future__ import annotations

from typing import Any

from ..model import Declared
from .interface import BadFile, redact_url, url_host
from .lockfiles import TomlLockSource, direct_entry, locked_entry


class PoetryLockSource(TomlLockSource):
    format = "poetry.lock"

    filename = "poetry.lock"

    def not_this_format(self, data: dict[str, Any]) -> str | None:
        if "metadata" not in data and not data.get("package"):
            return "no [[package]] list and no [metadata]: not a poetry.lock file"
        return None

    def entry(self, package: dict[str, Any], path: str, line: int) -> Declared | None:
        name, version = package["name"], package.get("version")
        if not version:
            raise BadFile(f"{name} has no version")
        source = package.get("source") if isinstance(package.get("source"), dict) else {}
        kind = source.get("type")
        if kind in ("directory", "file") and not str(source.get("url", "")).endswith(".whl"):
            return None  # the project's own code or a local folder
        if kind in ("git", "url", "file"):
            return direct_entry(name, redact_url(str(source.get("url", ""))), path, line)
        host = url_host(str(source.get("url", ""))) if kind == "legacy" else None
        return locked_entry(name, str(version), path, line, group=_group(package), index_host=host or None)


def _group(package: dict) -> str:
    groups = package.get("groups")
    if isinstance(groups, list) and groups and "main" not in groups:
        return str(groups[0])
    category = package.get("category")
    if isinstance(category, str) and category != "main":
        return category
    return "main"
