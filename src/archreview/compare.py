"""Comparing two results: which findings are new, fixed or still open, how
the measures moved, and the debt trend over the stored months.

Findings are matched by fingerprint. Fingerprints ignore line numbers, so a
finding whose code moved lines is still open. A file renamed or moved between
the two revisions keeps its findings: git's rename detection
(``git diff -M`` between the two commits) maps old paths to new ones and the
old findings' fingerprints are recomputed for the new path before matching.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .fingerprints import fingerprint
from .model import AREAS, Finding, ScanResult


def debt_minutes(findings: list[Finding]) -> int:
    """Remediation effort of open findings, in minutes: a plain sum."""
    return sum(f.effort_minutes for f in findings)


@dataclass
class Comparison:
    new: list[Finding] = field(default_factory=list)  # in current, not in previous
    fixed: list[Finding] = field(default_factory=list)  # in previous (as it was), not in current
    open: list[Finding] = field(default_factory=list)  # in both (as they are now)
    renamed: dict[str, str] = field(default_factory=dict)  # old path -> new path, for paths with findings
    previous_fingerprints: dict[str, str] = field(default_factory=dict)  # current fp -> fp in previous
    notes: list[str] = field(default_factory=list)


def rename_map(repo_path: Any, old_rev: str | None, new_rev: str | None) -> tuple[dict[str, str], str | None]:
    """``(old path -> new path, note)`` for two commits of the repository at
    ``repo_path``; an empty map and a note saying why when git cannot tell."""
    if not old_rev or not new_rev or old_rev == new_rev:
        return {}, None
    from .errors import ArchreviewError
    from .gitrepo import GitRepo, is_git_repository

    if repo_path is None or not is_git_repository(repo_path):
        return {}, "renames between the two months were not followed (no git repository to ask)"
    try:
        repo = GitRepo(repo_path)
    except ArchreviewError:
        return {}, "renames between the two months were not followed (no git repository to ask)"
    try:
        missing = [rev for rev in (old_rev, new_rev) if not repo.has_commit(rev)]
        if missing:
            return {}, (
                f"renames between the two months were not followed: commit {missing[0][:12]} is not in this "
                "repository (shallow clone or rewritten history)"
            )
        try:
            return repo.renames(old_rev, new_rev), None
        except ArchreviewError as exc:
            return {}, f"renames between the two months were not followed ({exc})"
    finally:
        repo.close()


def carry_over(findings: list[Finding], renames: dict[str, str]) -> dict[str, str]:
    """Old fingerprint -> the fingerprint the same finding has at its file's
    new path. Only fingerprints made by :func:`archreview.fingerprints.fingerprint`
    from the finding's own fields are recomputed; others stay as they are."""
    groups: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.path in renames:
            groups[(finding.rule, finding.path, " ".join(finding.basis.split()))].append(finding)
    mapped: dict[str, str] = {}
    for (rule, path, basis), members in groups.items():
        members.sort(key=lambda f: (f.line, f.end_line or f.line, f.message))
        for index, finding in enumerate(members):
            if finding.fingerprint == fingerprint(rule, path, basis, index):
                mapped[finding.fingerprint] = fingerprint(rule, renames[path], basis, index)
    return mapped


def compare(previous: ScanResult, current: ScanResult, renames: dict[str, str] | None = None) -> Comparison:
    renames = renames or {}
    carried = carry_over(previous.findings, renames)
    before = {carried.get(f.fingerprint, f.fingerprint): f for f in previous.findings}
    now = {f.fingerprint: f for f in current.findings}
    comparison = Comparison(
        new=[f for fp, f in now.items() if fp not in before],
        fixed=[f for fp, f in before.items() if fp not in now],
        open=[f for fp, f in now.items() if fp in before],
        renamed={old: new for old, new in renames.items() if any(f.path == old for f in previous.findings)},
    )
    back = {new: old for old, new in carried.items()}
    comparison.previous_fingerprints = {fp: back.get(fp, fp) for fp in now if fp in before}
    return comparison


# -- measures -------------------------------------------------------------------
def code_measures(result: ScanResult) -> dict[str, float]:
    source = [f for f in result.files if f.role == "source"]
    tests = [f for f in result.files if f.role == "test"]
    sloc = sum(f.sloc for f in source)
    mi = sum(f.mi * f.sloc for f in source) / sloc if sloc else 0.0
    return {
        "python_files": len(result.files),
        "source_sloc": sloc,
        "test_sloc": sum(f.sloc for f in tests),
        "cc_total": sum(f.cc_total for f in source),
        "maintainability": round(mi, 1),
        "findings": len(result.findings),
        "debt_minutes": debt_minutes(result.findings),
    }


def _change(before: float, after: float) -> dict[str, float]:
    change = after - before
    return {"previous": before, "current": after, "change": round(change, 1) if isinstance(change, float) else change}


def metric_changes(previous: ScanResult, current: ScanResult) -> dict[str, Any]:
    """Per area: open findings and debt; for the code as a whole: size,
    complexity, maintainability; previous, current and change of each."""
    areas = {}
    for area in AREAS:
        old = [f for f in previous.findings if f.area == area]
        new = [f for f in current.findings if f.area == area]
        if not old and not new:
            continue
        areas[area] = {
            "findings": _change(len(old), len(new)),
            "debt_minutes": _change(debt_minutes(old), debt_minutes(new)),
        }
    before, after = code_measures(previous), code_measures(current)
    return {"areas": areas, "code": {key: _change(before[key], after[key]) for key in after}}


def debt_trend(months: list[tuple[str, ScanResult, bool]]) -> list[dict[str, Any]]:
    """One point per stored month, oldest first: ``(month, result, carried_forward)``."""
    return [
        {
            "month": month,
            "revision": (result.revision or "")[:12],
            "debt_minutes": debt_minutes(result.findings),
            "findings": len(result.findings),
            "carried_forward": carried,
        }
        for month, result, carried in months
    ]


# -- the delta section ------------------------------------------------------------
def _item(finding: Finding, **extra: Any) -> dict[str, Any]:
    item = {
        "fingerprint": finding.fingerprint,
        "rule": finding.rule,
        "severity": finding.severity,
        "path": finding.path,
        "line": finding.line,
    }
    item.update(extra)
    return item


def delta_section(
    previous_month: str,
    previous: ScanResult,
    current_month: str,
    current: ScanResult,
    comparison: Comparison,
    trend: list[dict[str, Any]],
) -> dict[str, Any]:
    """The ``delta`` section of the result (see docs/result-schema.md)."""
    first_seen = _first_seen(previous, previous_month)
    open_items = [
        _item(f, first_seen=first_seen.get(comparison.previous_fingerprints.get(f.fingerprint, ""), previous_month))
        for f in comparison.open
    ]
    order = lambda item: (item["path"], item["line"], item["rule"])  # noqa: E731
    return {
        "previous": {
            "month": previous_month,
            "revision": previous.revision,
            "revision_date": previous.repository.get("revision_date"),
        },
        "month": current_month,
        "counts": {"new": len(comparison.new), "fixed": len(comparison.fixed), "open": len(comparison.open)},
        "new": sorted((_item(f, first_seen=current_month) for f in comparison.new), key=order),
        "fixed": sorted((_item(f) for f in comparison.fixed), key=order),
        "open": sorted(open_items, key=order),
        "renamed": [{"from": old, "to": new} for old, new in sorted(comparison.renamed.items())],
        "debt": _change(debt_minutes(previous.findings), debt_minutes(current.findings)),
        "metrics": metric_changes(previous, current),
        "trend": trend,
        "notes": list(comparison.notes),
    }


def _first_seen(previous: ScanResult, previous_month: str) -> dict[str, str]:
    """When each of the previous month's findings was first seen, from that
    month's own delta (the month itself when it has none)."""
    delta = previous.sections.get("delta")
    seen: dict[str, str] = {}
    if isinstance(delta, dict):
        for key in ("new", "open"):
            for item in delta.get(key) or []:
                if isinstance(item, dict) and isinstance(item.get("fingerprint"), str):
                    seen[item["fingerprint"]] = str(item.get("first_seen") or previous_month)
    return {f.fingerprint: seen.get(f.fingerprint, previous_month) for f in previous.findings}


def add_delta(result: ScanResult, month: str, history: Any, repo_path: Any, carried_forward: bool = False) -> bool:
    """Put the ``delta`` section on ``result``: against the latest month of
    ``history`` (a :class:`archreview.history.History`) before ``month``.
    False when there is no earlier month."""
    previous = history.before(month)
    if previous is None:
        return False
    renames, note = rename_map(repo_path, previous.result.revision, result.revision)
    comparison = compare(previous.result, result, renames)
    if note:
        comparison.notes.append(note)
    months = [(e.month, e.result, e.carried_forward) for e in history.entries if e.month < month]
    months.append((month, result, carried_forward))
    result.sections["delta"] = delta_section(
        previous.month, previous.result, month, result, comparison, debt_trend(months)
    )
    return True
