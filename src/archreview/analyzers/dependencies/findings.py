"""The findings of the dependency analysis, one rule each, all in area
``dependencies``. Every finding's ``basis`` is the package name (plus the
advisory id for ``deps.vulnerable``; the project folder for
``deps.no-lockfile``), so its fingerprint survives edits that move lines.

    deps.vulnerable   the advisory's severity          effort: the upgrade to the fix
    deps.yanked       medium                           30 min
    deps.abandoned    low                              2 days (move to another package)
    deps.outdated     low                              the upgrade to the latest release
    deps.unpinned     low (info outside the main group) 10 min: a range that no
                      lockfile pins (none covers the file, or the one that
                      does does not list the package)
    deps.no-lockfile  medium (low for a packaged library) 1 h

A package pinned the same way in several files is one finding, on the
lockfile when there is one (``extra.source_files`` lists them all). The
upgrade that fixes all advisories of one pinned version is counted once: its
effort is divided among that version's ``deps.vulnerable`` findings.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ...model import LOWER_SEVERITY, TOOL_GROUP, Finding
from . import effort as effort_mod
from .advisories.osv import parse_version
from .model import KIND_LOCK, Declared, Staleness, Vuln
from .sources.dockerfile import is_dockerfile

AREA = "dependencies"


@dataclass
class Row:
    """One declaration with everything learnt about it."""

    entry: Declared
    locked: bool = False  # pinned here or by a lockfile that covers this file
    covered: bool = False  # a lockfile covers this file
    lockfiles: tuple[str, ...] = ()  # the lockfiles that cover it
    stale: Staleness | None = None  # None: unknown
    audited_version: str | None = None
    vulns: list[Vuln] | None = None  # None: not audited


def _primary(rows: list[Row]) -> Row:
    return min(rows, key=lambda r: (r.entry.kind != KIND_LOCK, r.entry.source_file, r.entry.line))


def _files(rows: Iterable[Row]) -> list[str]:
    return sorted({r.entry.source_file for r in rows})


def _finding(
    rule: str, severity: str, row: Row, message: str, plain: str, minutes: int, basis: str, extra: dict
) -> Finding:
    return Finding(
        rule=rule,
        area=AREA,
        severity=severity,
        path=row.entry.source_file,
        line=row.entry.line,
        message=message,
        plain=plain,
        effort_minutes=max(5, int(minutes)),
        basis=basis,
        extra=extra,
    )


def _grouped(rows: Iterable[Row], key) -> dict:
    groups: dict = {}
    for row in rows:
        k = key(row)
        if k is not None:
            groups.setdefault(k, []).append(row)
    return groups


def vulnerable(rows: list[Row]) -> list[Finding]:
    findings = []
    by_version = _grouped(
        (r for r in rows if r.vulns and r.audited_version),
        lambda r: (r.entry.name, r.entry.version if r.entry.pinned else r.audited_version),
    )
    for (name, version), members in sorted(by_version.items()):
        row = _primary(members)
        vulns = row.vulns or []
        fixes = [v.fixed_in[0] for v in vulns if v.fixed_in]
        no_fix = any(not v.fixed_in for v in vulns)
        target = max(fixes, key=lambda f: parse_version(f)) if fixes else None
        upgrade = effort_mod.upgrade(version, target)
        total = effort_mod.NO_FIX_MINUTES if no_fix or target is None else upgrade.minutes
        share = math.ceil(total / len(vulns))
        ranged = not row.entry.pinned
        tooling = all(TOOL_GROUP.search(m.entry.group or "") for m in members)
        for vuln in vulns:
            what = f"{name} {version}"
            if ranged:
                what = f"{name} {version} (the newest release that `{row.entry.spec}` allows)"
            if vuln.fixed_in:
                fix = vuln.fixed_in[0]
                step = effort_mod.upgrade(version, fix)
                remedy = f"moving to {fix} or later closes it, which is {step.label}"
            else:
                step = None
                remedy = "no fixed release exists yet, so the package has to be replaced or the risk worked around"
            plain = f"{name} {version} has a publicly known security hole ({vuln.id}); {remedy}."
            severity = vuln.severity
            if tooling:
                # only the team's test, development or docs tools use it: it
                # does not run in production, so one step less urgent
                severity = LOWER_SEVERITY.get(severity, severity)
                plain = plain[:-1] + "; only the team's test or development tools use it, not the product."
            aliases = f" ({', '.join(vuln.aliases)})" if vuln.aliases else ""
            summary = f": {vuln.summary}" if vuln.summary else ""
            fixed = ", ".join(vuln.fixed_in) if vuln.fixed_in else "no release yet"
            findings.append(
                _finding(
                    "deps.vulnerable",
                    severity,
                    row,
                    f"{what} is affected by {vuln.id}{aliases}{summary} Fixed in: {fixed}.",
                    plain,
                    share,
                    f"{name} {vuln.id}",
                    {
                        "package": name,
                        "version": version,
                        "advisory": vuln.id,
                        "aliases": list(vuln.aliases),
                        "fixed_in": list(vuln.fixed_in),
                        "severity_from": vuln.severity_from,
                        "upgrade": step.label if step else None,
                        "source_files": _files(members),
                    },
                )
            )
    return findings


def yanked(rows: list[Row]) -> list[Finding]:
    findings = []
    groups = _grouped(
        (r for r in rows if r.stale and r.stale.yanked and r.entry.pinned), lambda r: (r.entry.name, r.entry.version)
    )
    for (name, version), members in sorted(groups.items()):
        row = _primary(members)
        findings.append(
            _finding(
                "deps.yanked",
                "medium",
                row,
                f"{name}=={version} is yanked on the package index (latest: {row.stale.latest or 'unknown'}).",
                f"The {name} release in use ({version}) was pulled back by its authors, most often because it is broken or unsafe.",
                effort_mod.YANKED_MINUTES,
                name,
                {"package": name, "version": version, "latest": row.stale.latest, "source_files": _files(members)},
            )
        )
    return findings


def abandoned(rows: list[Row], today: date, years: float) -> list[Finding]:
    findings = []
    groups = _grouped(
        (r for r in rows if r.stale and r.stale.last_release and not r.entry.direct), lambda r: r.entry.name
    )
    for name, members in sorted(groups.items()):
        row = _primary(members)
        last = date.fromisoformat(row.stale.last_release)
        age_days = (today - last).days
        if years <= 0 or age_days < years * 365.25:
            continue
        findings.append(
            _finding(
                "deps.abandoned",
                "low",
                row,
                f"{name}: no release since {last.isoformat()} ({age_days / 365.25:.1f} years); possibly abandoned.",
                f"{name} has had no new release since {last.year}, so if a security hole is found in it, nobody may fix it.",
                effort_mod.REPLACE_MINUTES,
                name,
                {"package": name, "last_release": last.isoformat(), "source_files": _files(members)},
            )
        )
    return findings


def outdated(rows: list[Row], majors: int, days: int, releases: int) -> list[Finding]:
    """Far behind: ``majors`` or more major versions, or ``releases`` or more
    releases that span ``days`` or more (one late patch release of a quiet
    package is not "far behind")."""
    findings = []
    groups = _grouped(
        (r for r in rows if r.entry.pinned and r.stale and r.stale.behind and r.stale.latest),
        lambda r: (r.entry.name, r.entry.version),
    )
    for (name, version), members in sorted(groups.items()):
        row = _primary(members)
        behind = row.stale.behind
        far_majors = majors > 0 and behind["majors"] >= majors
        far_days = days > 0 and behind["days"] >= days and behind["releases"] >= releases
        if not (far_majors or far_days):
            continue
        latest = row.stale.latest
        step = effort_mod.upgrade(version, latest)
        if behind["majors"]:
            gap = f"{behind['majors']} major version{'s' if behind['majors'] > 1 else ''}"
        else:
            gap = f"{behind['days'] / 365.25:.1f} years of releases"
        findings.append(
            _finding(
                "deps.outdated",
                "low",
                row,
                f"{name} {version} is {_count(behind['releases'], 'release')}, "
                f"{_count(behind['majors'], 'major version')} and {_count(behind['days'], 'day')} "
                f"behind the latest release {latest}.",
                f"{name} is {gap} behind its latest release; the longer an upgrade waits, the bigger and riskier it gets.",
                step.minutes,
                name,
                {
                    "package": name,
                    "version": version,
                    "latest": latest,
                    "behind": behind,
                    "upgrade": step.label,
                    "source_files": _files(members),
                },
            )
        )
    return findings


def unpinned(rows: list[Row]) -> list[Finding]:
    findings = []
    for row in rows:
        entry = row.entry
        if row.locked or entry.direct or entry.kind == KIND_LOCK:
            continue
        spec = entry.spec or "any version"
        if is_dockerfile(entry.source_file):
            message = f"{entry.name} is installed as `{spec}` by {entry.source_file}, so each image build takes the newest release it allows."
        else:
            message = f"{entry.name} is declared as `{spec}` in {entry.source_file} and no lockfile pins it" + _left_out(row.lockfiles)
        findings.append(
            _finding(
                "deps.unpinned",
                "low" if entry.group == "main" else "info",
                row,
                message,
                f"{entry.name} has no fixed version here, so a new release can change what gets installed and break the product with no change on your side.",
                effort_mod.PIN_MINUTES,
                entry.name,
                {"package": entry.name, "spec": entry.spec, "group": entry.group},
            )
        )
    return findings


def no_lockfile(projects: list[tuple[str, Row, bool, bool]]) -> list[Finding]:
    """``projects``: (folder, a row of the main manifest, packaged, only optional groups)."""
    findings = []
    for folder, row, packaged, optional in projects:
        where = folder or "the repository root"
        severity = "low" if packaged or optional else "medium"
        findings.append(
            Finding(
                rule="deps.no-lockfile",
                area=AREA,
                severity=severity,
                path=row.entry.source_file,
                line=0,
                message=f"No lockfile (poetry.lock, uv.lock, Pipfile.lock, pylock.toml or a fully pinned requirements file) for the dependencies declared in {where}.",
                plain="This project has no lockfile, so each install can pull in other versions of its packages and a bad new release can break it overnight.",
                effort_minutes=effort_mod.LOCKFILE_MINUTES,
                basis=f"no-lockfile {folder}",
                extra={"folder": folder, "packaged": packaged},
            )
        )
    return findings


def _left_out(lockfiles: tuple[str, ...]) -> str:
    if not lockfiles:
        return "."
    if len(lockfiles) == 1:
        return f" (the lockfile {lockfiles[0]} covers this file but leaves the package out)."
    return f" (the lockfiles {', '.join(lockfiles)} cover this file but leave the package out)."


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"
