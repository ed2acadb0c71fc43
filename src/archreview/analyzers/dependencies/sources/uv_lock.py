"""``uv.lock``: one ``[[package]]`` table per locked package; ``source`` says
where it comes from (``registry``, ``git``, ``url``, ``path``, ``directory``,
``editable``, ``virtual``). The workspace's own projects are not listed.

Each package's ``group`` comes from the lock's graph: ``main`` when the
workspace's own projects need it at run time (their ``dependencies``, then
what those depend on), else the first dependency group or extra that reaches
it (a project's ``dev-dependencies`` and ``optional-dependencies``, the
workspace's ``[manifest.dependency-groups]``) - pytest and ruff are ``dev``,
not libraries the product runs on. A package no root reaches stays ``main``."""

from __future__ import annotations

import re
from typing import Any

from packaging.utils import canonicalize_name

from ..model import Declared, ParsedFile
from .interface import BadFile, redact_url, url_host
from .lockfiles import TomlLockSource, direct_entry, locked_entry

_LOCAL = ("editable", "virtual", "directory", "path")


class UvLockSource(TomlLockSource):
    format = "uv.lock"

    filename = "uv.lock"

    def not_this_format(self, data: dict[str, Any]) -> str | None:
        return None if "version" in data else "no lock version: not a uv.lock file"

    def read(self, parsed: ParsedFile, data: dict, text: str) -> ParsedFile:
        parsed = super().read(parsed, data, text)
        groups = package_groups(data)
        for entry in parsed.entries:
            entry.group = groups.get(entry.name, "main")
        return parsed

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


def _is_own(package: dict[str, Any]) -> bool:
    source = package.get("source") if isinstance(package.get("source"), dict) else {}
    return any(key in source for key in ("editable", "virtual")) or (
        "directory" in source and not str(source.get("directory", "")).endswith(".whl")
    )


def _names(items: Any) -> list[tuple[str, list[str]]]:
    """(canonical name, extras asked for) of a list of dependency tables."""
    out = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            extras = item.get("extra") if isinstance(item.get("extra"), list) else []
            out.append((canonicalize_name(item["name"]), [str(e) for e in extras]))
    return out


_PRODUCTION = re.compile(r"(?i)^(?:prod|production|server|runtime|deploy|deployment)$")


def package_groups(data: dict[str, Any]) -> dict[str, str]:
    """Canonical package name -> ``main`` or the dependency group / extra that
    first reaches it (see the module's docstring)."""
    packages: dict[str, list[dict[str, Any]]] = {}
    for package in data.get("package", []) if isinstance(data.get("package"), list) else []:
        if isinstance(package, dict) and isinstance(package.get("name"), str):
            packages.setdefault(canonicalize_name(package["name"]), []).append(package)
    own = [p for versions in packages.values() for p in versions if _is_own(p)]
    roots: list[tuple[str, list[tuple[str, list[str]]]]] = [("main", [d for p in own for d in _names(p.get("dependencies"))])]
    named: list[tuple[str, list[tuple[str, list[str]]]]] = []
    for p in own:
        for table in ("dev-dependencies", "optional-dependencies"):
            for group, items in (p.get(table) or {}).items() if isinstance(p.get(table), dict) else []:
                named.append((str(group), _names(items)))
    manifest = data.get("manifest") if isinstance(data.get("manifest"), dict) else {}
    for group, items in (manifest.get("dependency-groups") or {}).items() if isinstance(manifest.get("dependency-groups"), dict) else []:
        named.append((str(group), _names(items)))
    # an extra or group for production (uv sync --extra prod in the image) is
    # what the product runs on; then the dev group, then the others by name
    roots += [("main", items) for group, items in named if _PRODUCTION.match(group)]
    roots += sorted((g for g in named if not _PRODUCTION.match(g[0])), key=lambda g: (g[0] != "dev", g[0]))
    found: dict[str, str] = {}
    for group, start in roots:
        pending = list(start)
        seen: set[tuple[str, str]] = set()  # (package, "" or an extra) already followed for this group
        while pending:
            name, extras = pending.pop()
            versions = packages.get(name, [])
            if versions and all(_is_own(p) for p in versions):
                continue  # a workspace member: its own roots are counted above
            found.setdefault(name, group)
            for part in ("", *extras):
                if (name, part) in seen:
                    continue
                seen.add((name, part))
                for package in versions:
                    if not part:
                        pending.extend(_names(package.get("dependencies")))
                        continue
                    optional = package.get("optional-dependencies") if isinstance(package.get("optional-dependencies"), dict) else {}
                    pending.extend(_names(optional.get(part)))
    return found
