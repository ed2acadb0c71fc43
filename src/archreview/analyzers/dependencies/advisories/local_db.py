"""A local OSV advisory database (``--advisory-db DIR``): every ``*.yaml``,
``*.yml`` and ``*.json`` file below DIR, one advisory per file (the layout of
the PyPA advisory database, or an unpacked OSV export). Nothing goes over the
network.

Parsing a few thousand YAML files takes seconds, so the parsed, compact form
is kept in the kv cache under the folder's path, together with a fingerprint
of the folder (each file's relative path, size and modification time): the
next scan reads one cached document instead, as long as no file changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import yaml

from ....errors import ArchreviewError
from ..model import Vuln
from . import osv
from .interface import AuditResult, VulnerabilityService

CACHE_NAMESPACE = "deps.advisory-db"
FORMAT_VERSION = "1"  # bump when the compact form changes
SUFFIXES = (".yaml", ".yml", ".json")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def listing(directory: Path) -> list[tuple[str, int, int]]:
    """(relative path, size, mtime in ns) of every advisory file, sorted."""
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.endswith(SUFFIXES) and not name.startswith("."):
                full = os.path.join(root, name)
                try:
                    stat = os.stat(full)
                except OSError:
                    continue
                found.append((os.path.relpath(full, directory).replace(os.sep, "/"), stat.st_size, stat.st_mtime_ns))
    found.sort()
    return found


def fingerprint(entries: list[tuple[str, int, int]]) -> str:
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    for path, size, mtime in entries:
        digest.update(f"{path}\0{size}\0{mtime}\n".encode())
    return digest.hexdigest()


def read_record(path: Path) -> Any:
    with open(path, "rb") as handle:
        if path.suffix == ".json":
            return json.load(handle)
        return yaml.load(handle, Loader=_LOADER)  # noqa: S506 - CSafeLoader/SafeLoader


def build_index(directory: Path, entries: list[tuple[str, int, int]]) -> dict[str, Any]:
    """Parse every file into ``{"packages": {name: [advisory...]}, "files",
    "problems": [first few], "bad": count}``."""
    packages: dict[str, list[dict[str, Any]]] = {}
    problems: list[str] = []
    bad = 0
    for relative, _, _ in entries:
        try:
            record = read_record(directory / relative)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            bad += 1
            if len(problems) < 3:
                problems.append(f"{relative}: {type(exc).__name__}")
            continue
        for name, advisory in osv.compile_record(record):
            packages.setdefault(name, []).append(advisory)
    for advisories in packages.values():
        advisories.sort(key=lambda a: a["id"])
    return {"packages": packages, "files": len(entries), "problems": problems, "bad": bad}


class LocalDatabase(VulnerabilityService):
    def __init__(self, directory: Path, index: dict[str, Any], default_severity: str, from_cache: bool):
        self.directory = directory
        self.index = index
        self.default_severity = default_severity
        self.from_cache = from_cache
        self.description = f"the local advisory database at {directory} ({index['files']:,} files)"

    @classmethod
    def open(cls, directory: str | os.PathLike[str], cache: Any, default_severity: str) -> LocalDatabase:
        path = Path(directory).expanduser().resolve()
        if not path.is_dir():
            raise ArchreviewError(f"--advisory-db {directory}: no such folder")
        entries = listing(path)
        if not entries:
            raise ArchreviewError(f"--advisory-db {directory}: no OSV advisories (*.yaml, *.yml, *.json) in it")
        stamp = fingerprint(entries)
        if cache is not None:
            stored = cache.get_kv(CACHE_NAMESPACE, str(path))
            if isinstance(stored, dict) and stored.get("fingerprint") == stamp:
                return cls(path, stored["index"], default_severity, from_cache=True)
        index = build_index(path, entries)
        if cache is not None:
            cache.put_kv(CACHE_NAMESPACE, str(path), {"fingerprint": stamp, "index": index})
        return cls(path, index, default_severity, from_cache=False)

    def match(self, name: str, version: str) -> list[Vuln] | None:
        """Advisories for one pinned version (None when the version is not PEP 440)."""
        parsed = osv.parse_version(version)
        if parsed is None:
            return None
        found = [
            osv.to_vuln(advisory, parsed, self.default_severity)
            for advisory in self.index["packages"].get(name, ())
            if osv.affects(advisory, parsed)
        ]
        return osv.merge_aliases(found)

    def audit(self, packages: list[tuple[str, str]]) -> AuditResult:
        result = AuditResult()
        unreadable = []
        for name, version in packages:
            vulns = self.match(name, version)
            if vulns is None:
                unreadable.append(f"{name} {version}")
                continue
            result.vulns[(name, version)] = vulns
        if unreadable:
            result.notes.append(
                f"{len(unreadable)} pinned versions are not PEP 440 versions and were not audited: "
                + ", ".join(unreadable[:5])
            )
        if self.index["bad"]:
            result.notes.append(
                f"{self.index['bad']} files of the advisory database could not be read "
                f"({'; '.join(self.index['problems'])})"
            )
        return result
