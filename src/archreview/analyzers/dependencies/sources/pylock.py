"""``pylock.toml`` / ``pylock.<name>.toml`` (PEP 751): ``[[packages]]`` with
``name``, ``version`` and where the files come from (``index``, ``vcs``,
``directory``, ``archive``)."""

from __future__ import annotations

import re
from typing import Any

from ..model import Declared
from .interface import BadFile, basename, redact_url, url_host
from .lockfiles import TomlLockSource, direct_entry, locked_entry

_NAME = re.compile(r"^pylock\.([^.]+\.)?toml$")


class PylockSource(TomlLockSource):
    format = "pylock"
    table = "packages"

    def matches(self, path: str) -> bool:
        return bool(_NAME.match(basename(path)))

    def not_this_format(self, data: dict[str, Any]) -> str | None:
        return None if "lock-version" in data else "no lock-version: not a PEP 751 lockfile"

    def entry(self, package: dict[str, Any], path: str, line: int) -> Declared | None:
        name, version = package["name"], package.get("version")
        if isinstance(package.get("directory"), dict):
            return None  # a local folder: the project's own code
        for key in ("vcs", "archive"):
            if isinstance(package.get(key), dict):
                where = package[key].get("url") or package[key].get("path") or key
                return direct_entry(name, redact_url(str(where)), path, line, version and str(version))
        if not version:
            raise BadFile(f"{name} has no version")
        host = url_host(str(package.get("index", ""))) or None
        return locked_entry(name, str(version), path, line, index_host=host)
