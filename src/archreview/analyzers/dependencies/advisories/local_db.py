"""A local OSV advisory database (``--advisory-db DIR``): every ``*.yaml``,
``*.yml`` and ``*.json`` file below DIR, one advisory per file (the layout of
the PyPA advisory database, or an unpacked OSV export). Nothing goes over the
network.

Parsing a few thousand YAML files takes seconds, and a scan needs the
advisories of a few dozen packages: only the files whose text names one of
the audited packages are parsed (the name as canonical ``-`` separated
lower case, against the file's text lower-cased with every run of ``-_.``
read as ``-``; a superset of the files that can concern it, so the result is
the same as parsing every file). The parsed, compact advisories are kept in
the kv cache under the folder's path, with the packages they cover and a
fingerprint of the folder (each file's relative path, size and modification
time): the next scan parses only packages not seen before, as long as no
file changed.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from ....advisory_folder import fingerprint, listing
from ....errors import ArchreviewError
from ..model import Vuln
from . import osv
from .interface import AuditResult, VulnerabilityService

CACHE_NAMESPACE = "deps.advisory-db"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SEPARATORS = re.compile(rb"[-_.]+")
#: an OSV record's ``modified`` time (YAML or JSON), its date part
_MODIFIED = re.compile(rb"""^[ \t]*["']?modified["']?[ \t]*:[ \t]*["']?(\d{4}-\d{2}-\d{2})""", re.MULTILINE)


def newest_date(data: bytes, newest: str = "") -> str:
    """The later of ``newest`` and the ``modified`` date in one advisory file."""
    found = _MODIFIED.search(data)
    return max(newest, found.group(1).decode("ascii")) if found else newest


def build_index(directory: Path, entries: list[tuple[str, int, int]], names: Iterable[str] | None = None) -> dict[str, Any]:
    """Parse the advisory files into ``{"packages": {name: [advisory...]},
    "bad": ["file: error" of each unreadable file]}``: every file, or (``names``: canonical package
    names) only the files whose text names one of them, keeping only those
    packages' advisories."""
    wanted = None if names is None else {n.encode() for n in names}
    packages: dict[str, list[dict[str, Any]]] = {name: [] for name in names or ()}
    bad: list[str] = []
    newest = ""
    for relative, _, _ in entries:
        path = directory / relative
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            bad.append(f"{relative}: {type(exc).__name__}")
            continue
        newest = newest_date(data, newest)
        if wanted is not None:
            text = _SEPARATORS.sub(b"-", data.lower())
            if not any(name in text for name in wanted):
                continue
        try:
            record = parse_record(path, data)
        except (ValueError, yaml.YAMLError) as exc:
            bad.append(f"{relative}: {type(exc).__name__}")
            continue
        for name, advisory in osv.compile_record(record):
            if names is None or name in packages:
                packages.setdefault(name, []).append(advisory)
    for advisories in packages.values():
        advisories.sort(key=lambda a: a["id"])
    return {"packages": packages, "bad": bad, "newest": newest}


def parse_record(path: Path, data: bytes) -> Any:
    if path.suffix == ".json":
        return json.loads(data)
    return yaml.load(data, Loader=_LOADER)  # noqa: S506 - CSafeLoader/SafeLoader


class LocalDatabase(VulnerabilityService):
    """The advisories of the packages asked for so far (``packages``), parsed
    on first use and kept in the cache."""

    def __init__(self, directory: Path, entries, stamp: str, default_severity: str, cache: Any, stored: dict[str, Any] | None):
        self.directory = directory
        self.entries = entries
        self.stamp = stamp
        self.default_severity = default_severity
        self.cache = cache
        self.from_cache = stored is not None
        stored = stored or {}
        self.packages: dict[str, list[dict[str, Any]]] = dict(stored.get("packages", {}))
        self.bad: set[str] = set(stored.get("bad", []))
        #: the newest advisory's date (``modified``), once any file was read
        self.newest: str | None = stored.get("newest")
        self.description = f"the local advisory database at {directory} ({len(entries):,} files)"

    @classmethod
    def open(cls, directory: str | os.PathLike[str], cache: Any, default_severity: str) -> LocalDatabase:
        path = Path(directory).expanduser().resolve()
        if not path.is_dir():
            raise ArchreviewError(f"--advisory-db {directory}: no such folder")
        entries = listing(path)
        if not entries:
            raise ArchreviewError(f"--advisory-db {directory}: no OSV advisories (*.yaml, *.yml, *.json) in it")
        stamp = fingerprint(entries)
        stored = None
        if cache is not None:
            found = cache.get_kv(CACHE_NAMESPACE, str(path))
            if isinstance(found, dict) and found.get("fingerprint") == stamp and isinstance(found.get("index"), dict):
                stored = found["index"]
        return cls(path, entries, stamp, default_severity, cache, stored)

    def load(self, names: Iterable[str]) -> None:
        """Parse the advisories of the packages not covered yet."""
        missing = sorted({name for name in names if name not in self.packages})
        if not missing:
            return
        index = build_index(self.directory, self.entries, missing)
        self.packages.update(index["packages"])
        self.bad.update(index["bad"])
        self.newest = index["newest"] or None
        self._keep()

    def data_date(self) -> str | None:
        """The date of the newest advisory in the folder (YYYY-MM-DD), or
        None when no file gives one; read once and kept with the index."""
        if self.newest is None:
            newest = ""
            for relative, _, _ in self.entries:
                try:
                    newest = newest_date((self.directory / relative).read_bytes(), newest)
                except OSError:
                    continue
            self.newest = newest
            self._keep()
        return self.newest or None

    def _keep(self) -> None:
        if self.cache is not None:
            document = {"packages": self.packages, "bad": sorted(self.bad), "newest": self.newest}
            self.cache.put_kv(CACHE_NAMESPACE, str(self.directory), {"fingerprint": self.stamp, "index": document})

    def match(self, name: str, version: str) -> list[Vuln] | None:
        """Advisories for one pinned version (None when the version is not PEP 440)."""
        parsed = osv.parse_version(version)
        if parsed is None:
            return None
        self.load([name])
        found = [
            osv.to_vuln(advisory, parsed, self.default_severity)
            for advisory in self.packages[name]
            if osv.affects(advisory, parsed)
        ]
        return osv.merge_aliases(found)

    def audit(self, packages: list[tuple[str, str]]) -> AuditResult:
        result = AuditResult()
        self.load(name for name, _ in packages)
        unreadable = []
        for name, version in packages:
            vulns = self.match(name, version)
            if vulns is None:
                unreadable.append(f"{name} {version}")
                continue
            result.vulns[(name, version)] = vulns
        result.data_date = self.data_date()
        if unreadable:
            result.notes.append(
                f"{len(unreadable)} pinned versions are not PEP 440 versions and were not audited: "
                + ", ".join(unreadable[:5])
            )
        if self.bad:
            problems = sorted(self.bad)
            result.notes.append(f"{len(problems)} files of the advisory database could not be read ({'; '.join(problems[:3])})")
        return result
