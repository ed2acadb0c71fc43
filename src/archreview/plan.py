"""Actions and the 30/60/90-day plan, built from the findings.

An *action* is one piece of work that fixes a group of findings: every
finding of a rule family (all weak-hash uses, all leaked keys, one missing
safety net, ...), at most :data:`MAX_PER_ACTION` of them, worst first, so an
action stays a job a team can finish. It carries the fingerprints of the
findings behind it; next month's report marks it done when none of them is
still open (:func:`follow_up`).

Order: worst severity first, then area (secrets, security, dependencies,
readiness, architecture, complexity, activity), then the cheaper action. The
first :data:`PER_WINDOW` actions go into the first 30 days, the next into days
31-60, then 61-90 (with fewer than 12 actions, they are spread evenly over the
three windows); findings for information only never enter the plan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

from .model import SEVERITY_RANK, Finding, ScanResult, severity_at_least
from .wording import ACTION_TEXT, GENERIC_ACTION, READINESS_ACTIONS, SECURITY_FAMILIES, fill, join_words, short_name

MAX_PER_ACTION = 25
PER_WINDOW = 4
WINDOWS = (30, 60, 90)
AREA_ORDER = ("secrets", "security", "dependencies", "readiness", "architecture", "complexity", "activity")


@dataclass
class Action:
    key: str
    area: str
    severity: str
    title: str
    why: str
    done_when: str
    minutes: int
    fingerprints: list[str]
    total: int  # findings in the group (the action covers len(fingerprints) of them)
    rules: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    horizon: int = 0  # 30, 60, 90, or 0 when it is left for later

    @property
    def count(self) -> int:
        return len(self.fingerprints)


def hotspot_paths(result: ScanResult, limit: int = 10) -> set[str]:
    activity = result.sections.get("activity")
    hotspots = activity.get("hotspots") if isinstance(activity, dict) else None
    paths = set()
    for item in (hotspots or [])[:limit]:
        path = item.get("path") if isinstance(item, dict) else item
        if isinstance(path, str):
            paths.add(path)
    return paths


def group_key(finding: Finding, hotspots: set[str]) -> str:
    rule = finding.rule
    if finding.area == "secrets" or rule.startswith("secrets."):
        # a key already deleted from the code is fixed differently (change it;
        # rewriting history is optional), so it is its own action
        return "secrets.history" if finding.extra.get("history") else "secrets"
    if finding.area == "complexity" and finding.path in hotspots:
        return "complexity:hotspots"
    if rule == "complexity.function":
        return "complexity.function:" + ("serious" if severity_at_least(finding.severity, "medium") else "minor")
    if rule.startswith("security."):
        return SECURITY_FAMILIES.get(rule.split(".", 1)[1], "security.other")
    if rule.startswith("deps."):
        return rule.split(":")[0]
    return rule


def worst_by_place(findings: list[Finding]) -> dict[tuple[str, int], str]:
    """The worst severity at each (path, line): two of bandit's tests
    flagging the same line (B308 and B703 on one mark_safe call) are one
    place to change."""
    worst: dict[tuple[str, int], str] = {}
    for f in findings:
        place = (f.path, f.line)
        if place not in worst or SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst[place]]:
            worst[place] = f.severity
    return worst


def _places(key: str, members: list[Finding]) -> int:
    """How many things there are to fix: findings, or places for bandit's."""
    return len(worst_by_place(members)) if key.startswith("security.") else len(members)


def _text(key: str, members: list[Finding], total: int, paths: list[str] | None = None) -> tuple[str, str, str]:
    n = _places(key, members)
    if key.startswith("readiness.") and key.split(".", 1)[1] in READINESS_ACTIONS:
        title, why, done = READINESS_ACTIONS[key.split(".", 1)[1]]
    elif key in ACTION_TEXT:
        title, why, done = ACTION_TEXT[key]
    else:
        title, why, done = GENERIC_ACTION
    files = []
    for f in members:
        name = short_name(f.path, paths) if paths is not None else f.path.rsplit("/", 1)[-1]
        if f.path and name not in files:
            files.append(name)
    shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    title = fill(title, n, rule=key, files=shown)
    if total > n:
        title += f" (the worst {n:,} of {total:,})"
    if key == "deps.vulnerable":
        names = vulnerable_names(members)
        unfixed = [name for name in names if not any((f.extra or {}).get("fixed_in") for f in members if package_of(f) == name)]
        if 0 < len(names) <= 3 and not unfixed:
            title = f"Upgrade {join_words(names)} to close known security holes"
        elif 0 < len(names) <= 3 and len(unfixed) == len(names):
            # no release closes them yet: upgrading is not the way out
            title = f"Check how {join_words(names)} {'is' if len(names) == 1 else 'are'} used: known security holes with no fixed release yet"
        elif 0 < len(names) <= 3:
            fixable = [n for n in names if n not in unfixed]
            title = (
                f"Upgrade {join_words(fixable)} and check how {join_words(unfixed)} "
                f"{'is' if len(unfixed) == 1 else 'are'} used, to close known security holes"
            )
    why = fill(why, n, rule=key, files=shown) if why else members[0].plain
    return title, why, fill(done, n, rule=key, files=shown)


def package_of(finding: Finding) -> str:
    """The library a dependency finding is about (``extra.package``; older
    results: the first word of the message)."""
    name = (finding.extra or {}).get("package")
    return name if isinstance(name, str) and name else finding.message.split(" ")[0]


def vulnerable_names(members: list[Finding]) -> list[str]:
    names: list[str] = []
    for f in members:
        name = package_of(f)
        if name and name not in names:
            names.append(name)
    return names


def build_actions(result: ScanResult, effort_of: Callable[[Finding], int]) -> list[Action]:
    """Group the findings into actions, in priority order."""
    hotspots = hotspot_paths(result)
    all_paths = [f.path for f in result.files]
    groups: dict[str, list[Finding]] = {}
    for finding in result.findings:
        if finding.severity == "info":
            continue
        groups.setdefault(group_key(finding, hotspots), []).append(finding)
    actions = []
    for key, members in groups.items():
        members.sort(key=lambda f: (-SEVERITY_RANK[f.severity], -effort_of(f), f.path, f.line))
        covered = members[:MAX_PER_ACTION]
        title, why, done = _text(key, covered, _places(key, members), all_paths)
        worst = covered[0]
        # one effort per place: the second test on the same line adds no work
        effort: dict[tuple[str, int] | str, int] = {}
        for f in covered:
            spot = (f.path, f.line) if key.startswith("security.") else f.fingerprint
            effort[spot] = max(effort.get(spot, 0), effort_of(f))
        actions.append(
            Action(
                key=key,
                area=worst.area,
                severity=worst.severity,
                title=title,
                why=why,
                done_when=done,
                minutes=sum(effort.values()),
                fingerprints=[f.fingerprint for f in covered],
                total=len(members),
                rules=sorted({f.rule for f in covered}),
                paths=sorted({f.path for f in covered if f.path}),
            )
        )
    actions.sort(key=priority)
    per_window = min(PER_WINDOW, math.ceil(len(actions) / len(WINDOWS)))
    for index, action in enumerate(actions):
        window = index // per_window
        action.horizon = WINDOWS[window] if window < len(WINDOWS) else 0
    return actions


def priority(action: Action) -> tuple:
    area = AREA_ORDER.index(action.area) if action.area in AREA_ORDER else len(AREA_ORDER)
    return (-SEVERITY_RANK[action.severity], area, action.minutes, action.key)


def plan_items(actions: list[Action]) -> list[dict[str, Any]]:
    """The plan as stored in ``scores.plan`` (what next month checks)."""
    return [
        {
            "key": a.key,
            "horizon": a.horizon,
            "title": a.title,
            "area": a.area,
            "severity": a.severity,
            "effort_minutes": a.minutes,
            "fingerprints": list(a.fingerprints),
        }
        for a in actions
        if a.horizon
    ]


def follow_up(
    previous: list[dict[str, Any]],
    open_now: set[str],
    fixed: set[str] | None = None,
) -> list[dict[str, Any]]:
    """Mark each item of last month's plan done, partly done or not done.

    A finding behind an item counts as fixed when its fingerprint is no
    longer open; when the history comparison gives its own list of fixed
    fingerprints (it follows renamed files), the finding must be on it too.
    """
    out = []
    for item in previous:
        prints = [p for p in item.get("fingerprints", []) if p]
        if not prints:
            continue
        gone = [p for p in prints if p not in open_now and (fixed is None or p in fixed)]
        status = "done" if len(gone) == len(prints) else "partly done" if gone else "not done"
        out.append({**item, "status": status, "fixed": len(gone), "total": len(prints)})
    return out
