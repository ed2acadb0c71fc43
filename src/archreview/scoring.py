"""Grades, debt in developer-days and money, from one ScanResult.

Everything here is a pure function of the result and the configuration, so
a stored result (this month's or an older one) can be scored again the same
way. ``docs/scoring.md`` explains each number for a reader of the report.

* effort per finding: ``[tool.archreview.effort]`` override (rule id, then the
  longest rule prefix, then the area) -> the analyzer's own estimate ->
  :data:`DEFAULT_EFFORT` (rule prefix) -> :data:`EFFORT_BY_SEVERITY`;
* debt = sum of effort (days, money); debt ratio = the debt in the code
  (every area but readiness and dependencies, which have their own scales)
  / (lines x 30 min), where lines are the source lines of code (sloc) of the
  analysed product files (and of the test files when findings in tests are
  reported), as in SonarQube's SQALE model;
* SQALE grade of a ratio: A <= 5 %, B <= 10 %, C <= 20 %, D <= 50 %, E above;
* security, secrets and activity (team and change): the worse of the SQALE
  grade and the worst open severity (critical E, high D, medium C, low B);
* readiness: weighted checklist score (own scale, :func:`readiness_grade`);
* dependency risk: vulnerabilities and upkeep (own scale, :func:`dependency_grade`);
* overall: SQALE grade of the whole debt, but never more than one grade
  better than the weakest area that was checked;
* money = debt in days (8 hours) x ``day_rate`` in ``currency``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import ConfigError
from .model import SEVERITY_RANK, Finding, ScanResult
from .wording import count_text

GRADES = ("A", "B", "C", "D", "E")
SQALE_LIMITS = ((0.05, "A"), (0.10, "B"), (0.20, "C"), (0.50, "D"))
MINUTES_PER_LINE = 30  # SQALE: cost to develop one line of code
MINUTES_PER_DAY = 8 * 60

DEFAULT_DAY_RATE = 800
DEFAULT_CURRENCY = "USD"

# Where an analyzer gave no estimate (effort_minutes 0): minutes per finding,
# by the longest matching rule prefix.
DEFAULT_EFFORT: dict[str, int] = {
    "secrets": 120,  # remove from the code, rotate at the provider, check access logs
    "deps.vulnerable": 60,
    "deps.yanked": 30,
    "deps.abandoned": 960,
    "deps.outdated": 120,
    "deps.unpinned": 10,
    "deps.no-lockfile": 60,
    "readiness.backups": 480,
    "readiness.monitoring_metrics": 960,
    "readiness.error_tracking": 240,
    "readiness.alerting": 480,
    "readiness.health_check": 120,
    "readiness.logging_config": 240,
    "readiness.ci": 480,
    "readiness.dependency_updates": 60,
    "readiness.tests": 2400,
    "readiness.container": 480,
    "readiness.iac": 2400,
    "readiness.security_policy": 60,
    "readiness.codeowners": 30,
    "readiness.python_lockfile": 120,
    "readiness.runbooks": 480,
    "architecture.cycle": 480,
}
EFFORT_BY_SEVERITY = {"critical": 240, "high": 120, "medium": 60, "low": 30, "info": 10}

# Worst open finding -> best grade the area can have (SonarQube's security
# rating works the same way). Activity too: a repository bus factor of 1 is a
# risk to the whole product, and a large code base does not dilute it.
SEVERITY_CAP = {"critical": "E", "high": "D", "medium": "C", "low": "B", "info": "A"}
SEVERITY_CAPPED_AREAS = ("security", "secrets", "activity")
# Areas with their own scale: their work counts in the debt (days, money) but
# not in the debt ratio, which measures the code against its size.
OWN_SCALE_AREAS = ("readiness", "dependencies")

# Readiness checklist: weight of each id (others weigh 1) and the score limits.
READINESS_WEIGHTS = {
    "backups": 2,
    "monitoring_metrics": 2,
    "error_tracking": 2,
    "alerting": 2,
    "health_check": 2,
}
READINESS_STATUS_SCORE = {"present": 1.0, "partial": 0.5, "absent": 0.0}
READINESS_LIMITS = ((0.85, "A"), (0.70, "B"), (0.50, "C"), (0.30, "D"))

# Dependency risk: share of dependencies abandoned or far behind that lowers the grade.
DEPENDENCY_STALE_SHARE = 0.25
STALE_RULES = ("deps.abandoned", "deps.outdated")

# Which analyzer names show that an area was checked (besides a section or a finding).
AREA_ANALYZERS = {
    "complexity": ("complexity",),
    "security": ("security",),
    "secrets": ("secrets",),
    "dependencies": ("dependencies", "deps"),
    "readiness": ("readiness",),
    "architecture": ("architecture",),
    "activity": ("activity", "history"),
}
AREA_SECTIONS = {
    "dependencies": ("dependencies",),
    "readiness": ("readiness",),
    "architecture": ("architecture",),
    "activity": ("activity",),
}


@dataclass
class ScoringSettings:
    day_rate: float = DEFAULT_DAY_RATE
    currency: str = DEFAULT_CURRENCY
    day_rate_from_config: bool = False
    effort: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config) -> ScoringSettings:
        if config is None:
            return cls()
        day_rate = config.get("day_rate")
        currency = config.get("currency", DEFAULT_CURRENCY)
        if day_rate is not None and (isinstance(day_rate, bool) or not isinstance(day_rate, (int, float)) or day_rate < 0):
            raise ConfigError(f"{config.source}: day_rate must be a non-negative number")
        if not isinstance(currency, str) or not currency.strip():
            raise ConfigError(f"{config.source}: currency must be a text such as \"EUR\"")
        return cls(
            day_rate=DEFAULT_DAY_RATE if day_rate is None else day_rate,
            currency=currency.strip(),
            day_rate_from_config=day_rate is not None,
            effort=effort_overrides(config.section("effort"), config.source),
        )


def effort_overrides(table: dict[str, Any], source: str = "configuration") -> dict[str, int]:
    """``[tool.archreview.effort]`` as ``{rule or prefix: minutes}``.

    ``"security.B602" = 60`` (quoted) and ``security.B602 = 60`` (a nested
    table in TOML) mean the same; ``security = 30`` sets every security rule.
    """
    flat: dict[str, int] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ConfigError(f"{source}: effort for {prefix!r} must be a non-negative number of minutes")
        flat[prefix.removesuffix(".*")] = int(round(value))

    walk("", table)
    return flat


def _prefixes(rule: str):
    parts = rule.split(".")
    for i in range(len(parts), 0, -1):
        yield ".".join(parts[:i])


def effort_minutes(finding: Finding, overrides: dict[str, int] | None = None) -> int:
    """Remediation minutes for one finding (see the module docstring for the order)."""
    overrides = overrides or {}
    for prefix in _prefixes(finding.rule):
        if prefix in overrides:
            return overrides[prefix]
    if finding.area in overrides:
        return overrides[finding.area]
    if finding.effort_minutes and finding.effort_minutes > 0:
        return int(finding.effort_minutes)
    for prefix in _prefixes(finding.rule):
        if prefix in DEFAULT_EFFORT:
            return DEFAULT_EFFORT[prefix]
    return EFFORT_BY_SEVERITY.get(finding.severity, 30)


def sqale_grade(ratio: float | None) -> str | None:
    if ratio is None:
        return None
    for limit, grade in SQALE_LIMITS:
        if ratio <= limit:
            return grade
    return "E"


def worse(*grades: str | None) -> str | None:
    known = [g for g in grades if g]
    return max(known, key=GRADES.index) if known else None


def step_better(grade: str, steps: int = 1) -> str:
    return GRADES[max(0, GRADES.index(grade) - steps)]


def grade_change(old: str | None, new: str | None) -> int:
    """+n when ``new`` is n grades better than ``old``, -n when worse."""
    if not old or not new:
        return 0
    return GRADES.index(old) - GRADES.index(new)


def product_lines(result: ScanResult) -> tuple[int, str]:
    """Lines the debt ratio is measured against, and what they are: the sloc
    of the analysed product files, plus the test files' when the checks were
    set to report findings in tests (debt and lines then cover the same code)."""
    tests = {f.path for f in result.files if f.role == "test"}
    product = sum(f.sloc for f in result.files if f.role == "source")
    if tests and any(f.path in tests for f in result.findings):
        return product + sum(f.sloc for f in result.files if f.role == "test"), (
            "source lines of code (sloc) of the analysed product and test files "
            "(the checks reported findings in tests)"
        )
    return product, "source lines of code (sloc) of the analysed product files, tests left out"


def area_checked(result: ScanResult, area: str) -> bool:
    names = AREA_ANALYZERS.get(area, (area,))
    if any(name in result.analyzers or any(a.startswith(name) for a in result.analyzers) for name in names):
        return True
    if any(key in result.sections for key in AREA_SECTIONS.get(area, ())):
        return True
    return any(f.area == area for f in result.findings)


def readiness_grade(items: list[dict[str, Any]] | None) -> tuple[str | None, float | None]:
    """Weighted share of the checklist in place: present 1, partial 0.5,
    absent 0; backups, monitoring, error tracking, alerting and health checks
    weigh 2. A >= 85 %, B >= 70 %, C >= 50 %, D >= 30 %, E below. Items
    that do not apply (``applies`` false: backups or alerting in a library
    or command-line tool) are left out."""
    if not items:
        return None, None
    total = got = 0.0
    for item in items:
        if item.get("applies") is False:
            continue  # an item for running services, in a library or tool
        weight = READINESS_WEIGHTS.get(item.get("id", ""), 1)
        total += weight
        got += weight * READINESS_STATUS_SCORE.get(item.get("status", "absent"), 0.0)
    share = got / total if total else 0.0
    for limit, grade in READINESS_LIMITS:
        if share >= limit:
            return grade, share
    return "E", share


def holes_unchecked(dependencies: list[dict[str, Any]] | None) -> bool:
    """True when the result lists dependencies but not one was audited for
    known vulnerabilities (``vulns`` null everywhere: offline without an
    advisory database, or the audit failed)."""
    rows = [d for d in dependencies or [] if isinstance(d, dict)]
    return bool(rows) and all(d.get("vulns") is None for d in rows)


def dependency_grade(findings: list[Finding], dependencies: list[dict[str, Any]] | None) -> tuple[str | None, str]:
    """Dependency risk grade and why.

    E: a critical known vulnerability; D: a high one; C: a medium one (or one
    with no severity), or a quarter or more of the dependencies abandoned or
    far behind; B: only low vulnerabilities, or any abandoned, far behind or
    unpinned dependency, or no lockfile; A: none of these. No grade when no
    dependency was checked for known vulnerabilities: an A would claim what
    was not looked at.
    """
    vulnerable = [f for f in findings if f.rule.startswith("deps.vulnerable")]
    if not vulnerable and holes_unchecked(dependencies):
        return None, "not checked for known vulnerabilities"
    stale = [f for f in findings if f.rule.startswith(STALE_RULES)]
    upkeep = [f for f in findings if f.area == "dependencies" and f not in vulnerable]
    if vulnerable:
        worst = max(vulnerable, key=lambda f: SEVERITY_RANK[f.severity]).severity
        grade = {"critical": "E", "high": "D", "medium": "C"}.get(worst, "B")
        why = f"{count_text(len(vulnerable), 'known vulnerability', 'known vulnerabilities')}, worst {worst}"
    else:
        grade, why = "A", "no known vulnerabilities"
    count = len(dependencies or [])
    if count and len(stale) / count >= DEPENDENCY_STALE_SHARE:
        grade = worse(grade, "C")
        why += f"; {len(stale)} of {count} dependencies abandoned or far behind"
    elif upkeep:
        grade = worse(grade, "B")
        why += f"; {count_text(len(upkeep), 'upkeep issue')}"
    return grade, why


def money(days: float, settings: ScoringSettings) -> float:
    return round(days * settings.day_rate, 2)


def _debt(minutes: int, lines: int, settings: ScoringSettings) -> dict[str, Any]:
    ratio = minutes / (lines * MINUTES_PER_LINE) if lines else None
    days = minutes / MINUTES_PER_DAY
    return {
        "minutes": minutes,
        "days": round(days, 2),
        "money": money(days, settings),
        "ratio": None if ratio is None else round(ratio, 6),
    }


@dataclass
class Evaluation:
    scores: dict[str, Any]
    actions: list[Any]  # plan.Action, in priority order
    settings: ScoringSettings


def score(result: ScanResult, config=None, settings: ScoringSettings | None = None) -> dict[str, Any]:
    """The ``scores`` section of the result (see docs/scoring.md)."""
    return evaluate(result, config, settings).scores


def _short_history(section: Any) -> bool:
    return isinstance(section, dict) and section.get("short_history") is True


def add_scores(result: ScanResult, config=None) -> ScanResult:
    """Add the ``scores`` section; the scan command calls this after the engine."""
    result.sections["scores"] = score(result, config)
    return result


def evaluate(result: ScanResult, config=None, settings: ScoringSettings | None = None) -> Evaluation:
    """Scores plus the actions behind the plan (what the renderers need)."""
    from .plan import build_actions, plan_items

    settings = settings or ScoringSettings.from_config(config)
    lines, lines_basis = product_lines(result)
    minutes_by_area: dict[str, int] = {}
    count_by_area: dict[str, int] = {}
    worst_by_area: dict[str, str] = {}
    for finding in result.findings:
        minutes = effort_minutes(finding, settings.effort)
        minutes_by_area[finding.area] = minutes_by_area.get(finding.area, 0) + minutes
        count_by_area[finding.area] = count_by_area.get(finding.area, 0) + 1
        worst = worst_by_area.get(finding.area)
        if worst is None or SEVERITY_RANK[finding.severity] > SEVERITY_RANK[worst]:
            worst_by_area[finding.area] = finding.severity

    from .model import AREAS

    areas: dict[str, Any] = {}
    for area in AREAS:
        checked = area_checked(result, area)
        entry: dict[str, Any] = {
            "checked": checked,
            "findings": count_by_area.get(area, 0),
            "worst": worst_by_area.get(area),
            **_debt(minutes_by_area.get(area, 0), lines, settings),
        }
        grade, basis = None, "not checked"
        if checked:
            if area == "readiness":
                grade, share = readiness_grade(result.sections.get("readiness"))
                entry["checklist_score"] = None if share is None else round(share, 4)
                basis = "readiness checklist" if grade else "no checklist in the result"
            elif area == "dependencies":
                deps_findings = [f for f in result.findings if f.area == "dependencies"]
                grade, basis = dependency_grade(deps_findings, result.sections.get("dependencies"))
            elif area == "activity" and _short_history(result.sections.get("activity")):
                grade, basis = None, "history too short to judge"
            else:
                ratio_grade = sqale_grade(entry["ratio"]) if lines else ("A" if not entry["minutes"] else None)
                grade, basis = ratio_grade, "debt ratio"
                if area in SEVERITY_CAPPED_AREAS and entry["worst"]:
                    cap = SEVERITY_CAP[entry["worst"]]
                    if worse(grade, cap) != grade:
                        basis = f"worst open finding is {entry['worst']}"
                    grade = worse(grade, cap)
        entry["grade"] = grade
        entry["basis"] = basis
        areas[area] = entry

    total_minutes = sum(minutes_by_area.values())
    code_minutes = sum(m for a, m in minutes_by_area.items() if a not in OWN_SCALE_AREAS)
    debt = _debt(total_minutes, lines, settings)
    debt["code_minutes"] = code_minutes
    debt["ratio"] = round(code_minutes / (lines * MINUTES_PER_LINE), 6) if lines else None
    ratio_grade = sqale_grade(debt["ratio"]) if lines else None
    graded = {a: e["grade"] for a, e in areas.items() if e["grade"]}
    weakest = worse(*graded.values())
    cap = step_better(weakest) if weakest else None
    overall = worse(ratio_grade, cap)
    overall_basis = "debt ratio"
    if overall is not None and overall != ratio_grade:
        weakest_areas = sorted(a for a, g in graded.items() if g == weakest)
        overall_basis = f"one grade better than the weakest area ({', '.join(weakest_areas)}: {weakest})"
    debt["grade"] = ratio_grade

    actions = build_actions(result, lambda f: effort_minutes(f, settings.effort))
    scores = {
        "method": {
            "lines": lines,
            "lines_basis": lines_basis,
            "minutes_per_line": MINUTES_PER_LINE,
            "minutes_per_day": MINUTES_PER_DAY,
            "day_rate": settings.day_rate,
            "currency": settings.currency,
            "day_rate_from_config": settings.day_rate_from_config,
            "effort_overrides": dict(sorted(settings.effort.items())),
        },
        "overall": {"grade": overall, "basis": overall_basis},
        "debt": debt,
        "areas": areas,
        "plan": plan_items(actions),
    }
    return Evaluation(scores, actions, settings)
