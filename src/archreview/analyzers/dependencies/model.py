"""The data the dependency analysis passes from one stage to the next.

``Declared`` is one dependency as one file states it; ``ParsedFile`` is what a
source module returns for one manifest or lockfile; ``Vuln`` is one advisory
that applies to one ``(package, version)``; ``Staleness`` is what the package
index says about one package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...model import Skipped

KIND_MANIFEST = "manifest"
KIND_LOCK = "lock"


@dataclass
class Declared:
    """One dependency declaration in one file."""

    name: str  # canonical (PEP 503) name
    spec: str  # the constraint as written ("" for any version); URLs redacted
    source_file: str
    line: int = 0
    version: str | None = None  # the exact version when pinned
    kind: str = KIND_MANIFEST  # manifest | lock
    group: str = "main"  # main, dev, test, docs, an extra's name, constraints
    marker: str | None = None
    #: PEP 440 specifier strings, any of which allows a version (Poetry's
    #: ``||`` gives several); empty for "any version"
    allowed: tuple[str, ...] = ()
    direct: bool = False  # VCS, URL or local path: not from a package index
    index_host: str | None = None  # another package index it is installed from

    @property
    def pinned(self) -> bool:
        return self.version is not None and not self.direct


@dataclass
class ParsedFile:
    """What one source module read from one file."""

    path: str
    format: str
    entries: list[Declared] = field(default_factory=list)
    lock: bool = False  # a lockfile, or a requirements file that pins everything
    packaged: bool = False  # declares a build backend (likely a library)
    includes: list[str] = field(default_factory=list)  # -r targets (repo paths)
    constraints: list[str] = field(default_factory=list)  # -c targets (repo paths)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Vuln:
    id: str
    aliases: tuple[str, ...]
    fixed_in: tuple[str, ...]  # fixed versions above the audited one, lowest first
    severity: str
    severity_from: str  # cvss | advisory | default
    summary: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "aliases": list(self.aliases),
            "fixed_in": list(self.fixed_in),
            "severity": self.severity,
            "severity_from": self.severity_from,
            "summary": self.summary,
        }


@dataclass
class Staleness:
    latest: str | None = None
    behind: dict[str, int] | None = None  # {releases, days, majors}
    last_release: str | None = None  # ISO date of the newest upload of any release
    yanked: bool | None = None
    newest_allowed: str | None = None  # newest release a range allows
    release: str | None = None  # the index's spelling of the pinned version ("3.2" for "3.2.0")
