"""OSV advisories: from a record to the compact form archreview keeps, and
whether one applies to a version.

An advisory applies to version ``v`` of a PyPI package when ``v`` is listed in
``affected[].versions`` or falls in an ``ECOSYSTEM`` range: the range's events
are sorted by version (``introduced: "0"`` first) and walked in order -
``introduced`` at or below ``v`` switches "affected" on, ``fixed`` at or below
``v`` switches it off, ``last_affected`` below ``v`` switches it off
(https://ossf.github.io/osv-schema/#evaluation). Versions compare with
``packaging.version``; events whose version PEP 440 cannot read are ignored.
``GIT`` ranges (commit ids) say nothing about releases and are ignored too.
Withdrawn advisories are dropped.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from ....model import SEVERITY_RANK
from ..model import Vuln
from . import severity as severity_mod

SUMMARY_LIMIT = 200
_ID_ORDER = ("PYSEC-", "GHSA-", "CVE-")


@lru_cache(maxsize=65536)
def parse_version(text: str) -> Version | None:
    try:
        return Version(text)
    except (InvalidVersion, TypeError):
        return None


def compile_record(record: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """``[(canonical package name, compact advisory)]`` for the PyPI packages a
    record affects; empty for withdrawn or non-PyPI records."""
    if not isinstance(record, dict) or record.get("withdrawn") or not isinstance(record.get("id"), str):
        return []
    rated = severity_mod.from_osv(record)
    summary = record.get("summary") or (record.get("details") or "").strip().split("\n\n")[0]
    summary = " ".join(str(summary).split())
    if len(summary) > SUMMARY_LIMIT:
        summary = summary[: SUMMARY_LIMIT - 1] + "…"
    base = {
        "id": record["id"],
        "aliases": sorted(a for a in record.get("aliases") or [] if isinstance(a, str)),
        "summary": summary,
        "severity": rated[0] if rated else None,
        "severity_from": rated[1] if rated else None,
    }
    out = []
    for affected in record.get("affected") or []:
        package = (affected or {}).get("package") or {}
        if package.get("ecosystem") != "PyPI" or not isinstance(package.get("name"), str):
            continue
        ranges = []
        for item in affected.get("ranges") or []:
            if not isinstance(item, dict) or item.get("type") != "ECOSYSTEM":
                continue
            events = []
            for event in item.get("events") or []:
                if isinstance(event, dict):
                    for kind in ("introduced", "fixed", "last_affected"):
                        if kind in event:
                            events.append([kind, str(event[kind])])
            if events:
                ranges.append(events)
        versions = [str(v) for v in affected.get("versions") or []]
        if ranges or versions:
            out.append((canonicalize_name(package["name"]), {**base, "ranges": ranges, "versions": versions}))
    return out


def _sorted_events(events: list[list[str]]) -> list[tuple[Version | None, str]]:
    parsed = []
    for kind, value in events:
        if kind == "introduced" and value == "0":
            parsed.append((None, kind))
            continue
        version = parse_version(value)
        if version is not None:
            parsed.append((version, kind))
    parsed.sort(key=lambda e: (e[0] is not None, e[0] or Version("0")))
    return parsed


def in_range(version: Version, events: list[list[str]]) -> bool:
    affected = False
    for at, kind in _sorted_events(events):
        if kind == "introduced":
            if at is None or version >= at:
                affected = True
        elif kind == "fixed":
            if version >= at:
                affected = False
        elif kind == "last_affected":
            if version > at:
                affected = False
    return affected


def affects(advisory: dict[str, Any], version: Version) -> bool:
    if any(in_range(version, events) for events in advisory["ranges"]):
        return True
    return any(parse_version(v) == version for v in advisory["versions"])


def fixed_above(advisory: dict[str, Any], version: Version) -> list[str]:
    fixes = set()
    for events in advisory["ranges"]:
        for kind, value in events:
            parsed = parse_version(value) if kind == "fixed" else None
            if parsed is not None and parsed > version:
                fixes.add(parsed)
    return [str(v) for v in sorted(fixes)]


def to_vuln(advisory: dict[str, Any], version: Version, default_severity: str) -> Vuln:
    return Vuln(
        id=advisory["id"],
        aliases=tuple(advisory["aliases"]),
        fixed_in=tuple(fixed_above(advisory, version)),
        severity=advisory["severity"] or default_severity,
        severity_from=advisory["severity_from"] or "default",
        summary=advisory["summary"],
    )


def _id_rank(identifier: str) -> tuple[int, str]:
    for rank, prefix in enumerate(_ID_ORDER):
        if identifier.startswith(prefix):
            return rank, identifier
    return len(_ID_ORDER), identifier


def merge_aliases(vulns: list[Vuln]) -> list[Vuln]:
    """One entry per flaw: advisories that name each other (the same flaw in
    PYSEC, GHSA and CVE) become one, with the union of their aliases, named by
    the same id whichever service reported it (so fingerprints do not change
    between online and offline scans)."""
    groups: list[tuple[set[str], list[Vuln]]] = []
    for vuln in vulns:
        names = {vuln.id, *vuln.aliases}
        joined = [g for g in groups if g[0] & names]
        merged_names, members = set(names), [vuln]
        for group in joined:
            merged_names |= group[0]
            members += group[1]
            groups.remove(group)
        groups.append((merged_names, members))
    out = []
    for names, members in groups:
        # the same id whichever service found it: PYSEC, then GHSA, then CVE
        best_id = min(names, key=_id_rank)
        members.sort(key=lambda v: _id_rank(v.id))
        rated = [m for m in members if m.severity_from != "default"] or members
        top = max(rated, key=lambda m: SEVERITY_RANK[m.severity])
        fixes = sorted({f for m in members for f in m.fixed_in}, key=lambda f: parse_version(f) or Version("0"))
        out.append(
            Vuln(
                id=best_id,
                aliases=tuple(sorted(names - {best_id})),
                fixed_in=tuple(fixes),
                severity=top.severity,
                severity_from=top.severity_from,
                summary=next((m.summary for m in members if m.summary), ""),
            )
        )
    out.sort(key=lambda v: (-SEVERITY_RANK[v.severity], _id_rank(v.id)))
    return out
