"""The report's view of earlier months: which month a result describes, the
debt of each stored month, what changed since the previous one and how last
month's plan went."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..model import SEVERITY_RANK, Finding, ScanResult, severity_at_least
from ..plan import follow_up
from ..scoring import Evaluation, ScoringSettings, evaluate

CHART_MONTHS = 12


def month_of(result: ScanResult, current: bool = False) -> str:
    """``YYYY-MM`` the result describes: the month the history store filed it
    under when it says so; else, for this month's result, the month it was
    scanned in, and for a stored one, the month of the revision it scanned
    (a backfilled month is scanned long after)."""
    for holder in (result.sections.get("history"), result.sections, result.repository):
        if isinstance(holder, dict) and isinstance(holder.get("month"), str):
            return holder["month"][:7]
    date = result.scanned_at if current else (result.repository.get("revision_date") or result.scanned_at)
    return str(date or "")[:7]


@dataclass
class Month:
    month: str
    result: ScanResult
    settings: ScoringSettings

    @cached_property
    def evaluation(self) -> Evaluation:
        """Scored on first use: the report needs only the months the chart
        shows and the full scores of the last one."""
        return evaluate(self.result, settings=self.settings)

    @property
    def minutes(self) -> int:
        return self.evaluation.scores["debt"]["minutes"]

    @property
    def grade(self) -> str | None:
        return self.evaluation.scores["overall"]["grade"]


def earlier_months(result: ScanResult, history: list[Any], settings: ScoringSettings) -> list[Month]:
    """Stored months before this result's month, oldest first, one per month
    (the last stored wins), each scored (when first needed) with today's
    settings so months compare."""
    current = month_of(result, current=True)
    by_month: dict[str, ScanResult] = {}
    for item in history or []:
        if isinstance(item, dict):
            try:
                item = ScanResult.from_dict(item)
            except (ValueError, KeyError):
                continue
        if not isinstance(item, ScanResult):
            continue
        month = month_of(item)
        if month and month < current:
            by_month[month] = item
    return [Month(m, r, settings) for m, r in sorted(by_month.items())]


@dataclass
class Changes:
    baseline: bool
    previous_month: str = ""
    new: int = 0
    fixed: int = 0
    still_open: int = 0
    new_serious: list[Finding] = field(default_factory=list)
    fixed_prints: set[str] | None = None  # from the history comparison, when it lists them
    previous_minutes: int = 0


def _prints(value: Any) -> tuple[int | None, set[str] | None]:
    """Count and fingerprints from one of delta's new/fixed/open entries, which
    may be a number, a list of fingerprints or findings, or a dict holding them."""
    if isinstance(value, bool):
        return None, None
    if isinstance(value, int):
        return value, None
    if isinstance(value, dict):
        for key in ("fingerprints", "findings", "items", "list"):
            if key in value:
                count, prints = _prints(value[key])
                return value.get("count", count), prints
        return value.get("count"), None
    if isinstance(value, list):
        prints = set()
        for item in value:
            if isinstance(item, str):
                prints.add(item)
            elif isinstance(item, dict) and item.get("fingerprint"):
                prints.add(item["fingerprint"])
        return len(value), prints
    return None, None


def changes(result: ScanResult, previous: Month | None) -> Changes:
    """New, fixed and still open since the previous month. The history
    comparison's ``delta`` section wins (it follows renamed files); without
    it, findings are matched by fingerprint."""
    if previous is None:
        return Changes(baseline=True)
    now = {f.fingerprint: f for f in result.findings}
    before = {f.fingerprint for f in previous.result.findings}
    new_prints = set(now) - before
    out = Changes(
        baseline=False,
        previous_month=previous.month,
        new=len(new_prints),
        fixed=len(before - set(now)),
        still_open=len(before & set(now)),
        previous_minutes=previous.minutes,
    )
    delta = result.sections.get("delta")
    if isinstance(delta, dict):
        for attr, key in (("new", "new"), ("fixed", "fixed"), ("still_open", "open")):
            count, prints = _prints(delta.get(key))
            if count is not None:
                setattr(out, attr, count)
            if key == "new" and prints is not None:
                new_prints = prints
            if key == "fixed" and prints is not None:
                out.fixed_prints = prints
    serious = [now[p] for p in new_prints if p in now and severity_at_least(now[p].severity, "high")]
    serious.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.path, f.line))
    out.new_serious = serious
    return out


def previous_plan(previous: Month | None) -> list[dict[str, Any]]:
    """Last month's plan as it was written then (``scores.plan``), or as it
    would have been written from last month's findings."""
    if previous is None:
        return []
    stored = previous.result.sections.get("scores")
    if isinstance(stored, dict) and isinstance(stored.get("plan"), list):
        return [item for item in stored["plan"] if isinstance(item, dict)]
    return previous.evaluation.scores["plan"]


def plan_follow_up(result: ScanResult, previous: Month | None, change: Changes) -> list[dict[str, Any]]:
    return follow_up(previous_plan(previous), {f.fingerprint for f in result.findings}, change.fixed_prints)
