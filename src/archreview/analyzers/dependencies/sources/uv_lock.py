"""``uv.lock``: one ``[[package]]`` table per locked package; ``source`` says
where it comes from (``registry``, ``git``, ``url``, ``path``, ``directory``,
``editable``, ``virtual``). The workspace's own projects are not listed."""

from __future__ import annotations

from typing import Any

from ..model import Declared
from .interface import BadFile, redact_url, url_host
from .lockfiles import TomlLockSource, direct_entry, locked_entry

_LOCAL = ("editable", "virtual", "directory", "path")


class UvLockSource(TomlLockSource):
    format = "uv.lock"

    filename = "uv.lock"

    def not_this_format(self, data: dict[str, Any]) -> str | None:
        return None if "version" in data else "no lock version: not a uv.lock file"

    def entry(self, package: dict[str, Any], path: str, line: int) -> Declared | None:
        name, version = package["name"], package.get("version")
        source = package.get("source") if isinstance(package.get("source"), dict) else {}
        if any(key in source for key in _LOCAL) and "url" not in source:
            if not str(source.get("path", "")).endswith(".whl"):
                return None  # a workspace member or local folder: the project's own code
        if "git" in source or "url" in source or "path" in source:
            location = str(source.get("git") or source.get("url") or source.get("path"))
            return direct_entry(name, redact_url(location), path, line, version and str(version))
        if not version:
            raise BadFile(f"{name} has no version")
        host = url_host(str(source.get("registry", ""))) or None
        return locked_entry(name, str(version), path, line, index_host=host)
