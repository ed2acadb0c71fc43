"""The founder report as data: every sentence and number the markdown, HTML
and job-summary templates show, computed here so the templates stay simple.

Parts (GUIDE section 5): verdict, top 3 actions, what changed, health by
area (plus how the code is organised, when the architecture section exists),
readiness, dependencies and vendors, 30/60/90-day plan, appendix.
"""

from __future__ import annotations

import re

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..config import Config, parse_config
from ..errors import ConfigError
from ..model import AREAS, SEVERITY_RANK, TOOL_GROUP, Finding, ScanResult, severity_at_least
from ..plan import MAX_PER_ACTION, PER_WINDOW, WINDOWS, Action, package_of, worst_by_place
from ..scoring import (
    GRADES,
    MINUTES_PER_DAY,
    MINUTES_PER_LINE,
    OWN_SCALE_AREAS,
    READINESS_LIMITS,
    READINESS_WEIGHTS,
    SEVERITY_CAP,
    SQALE_LIMITS,
    Evaluation,
    ScoringSettings,
    effort_minutes,
    evaluate,
    grade_change,
    holes_unchecked,
)
from ..wording import AREA_NAMES, READINESS_MAIN, READINESS_NAMES, STATUS_WORDS, short_name
from . import architecture_view
from .formatting import (
    clip,
    count_text,
    days_exact,
    days_text,
    effort_text,
    join_words,
    money_text,
    month_label,
    number_word,
    percent,
)
from .history_view import CHART_MONTHS, Month, changes, earlier_months, month_of, plan_follow_up
from .safety import finding_text, mask

TOP_ACTIONS = 3
APPENDIX_RULES = 40
APPENDIX_SERIOUS = 30
APPENDIX_EXAMPLES = 3
APPENDIX_FUNCTIONS = 10
APPENDIX_SKIPPED = 30
APPENDIX_DEPENDENCIES = 30
VULNERABLE_SHOWN = 5  # libraries with known holes in the main report
TREND_STEADY = 0.10  # a debt change under 10 % with the same grade is "steady"

VERDICT_STATE = {
    "A": "The code is in good shape.",
    "B": "The code is in fair shape, with a few weak spots.",
    "C": "The product works, but some problems need attention soon.",
    "D": "There are serious problems that need attention this month.",
    "E": "There are urgent problems that put the business at risk.",
}


@dataclass
class Trend:
    arrow: str
    word: str  # better, worse, steady, new

    def __str__(self) -> str:
        return f"{self.arrow} {self.word}".strip()


NO_TREND = Trend("", "new")


def trend(old_grade: str | None, new_grade: str | None, old_amount: float | None, new_amount: float | None) -> Trend:
    """Better or worse: by grade first; with the same grade, by a change of
    10 % or more in the amount (debt minutes, or a share for readiness)."""
    if old_amount is None and old_grade is None:
        return NO_TREND
    change = grade_change(old_grade, new_grade)
    if change > 0:
        return Trend("↑", "better")
    if change < 0:
        return Trend("↓", "worse")
    if old_amount is not None and new_amount is not None:
        base = max(abs(old_amount), 1e-9)
        if (new_amount - old_amount) / base <= -TREND_STEADY:
            return Trend("↑", "better")
        if (new_amount - old_amount) / base >= TREND_STEADY:
            return Trend("↓", "worse")
    return Trend("→", "steady")


@dataclass
class ActionView:
    title: str
    why: str
    effort: str
    effort_days: str
    done_when: str


@dataclass
class AreaRow:
    area: str
    name: str
    grade: str
    trend: Trend
    sentence: str


@dataclass
class ReadinessRow:
    id: str
    name: str
    status: str
    evidence: str
    more: int
    why: str
    quote: str


@dataclass
class RuleRow:
    rule: str
    area: str
    worst: str
    count: int
    effort: str
    examples: list[str]


@dataclass
class ReportView:
    title: str
    subtitle: list[str]
    overall_grade: str
    overall_trend: Trend
    verdict: list[str]
    clean: bool
    debt_days: str
    debt_money: str
    debt_ratio: str
    rate_note: str
    top_actions: list[ActionView]
    baseline: bool
    changes: Any  # history_view.Changes
    change_sentences: list[str]
    new_serious: list[str]
    chart: list[tuple[str, float]]  # (month label, developer-days)
    areas: list[AreaRow]
    not_checked: list[str]
    architecture: dict[str, Any] | None
    readiness_main: list[ReadinessRow]
    readiness_other: list[str]
    readiness_sentence: str
    dependencies_checked: bool
    dependency_sentences: list[str]
    vulnerable: list[dict[str, str]]
    vendors_checked: bool
    vendors: list[tuple[str, str]]
    plan: list[tuple[str, list[ActionView]]]
    plan_later: int
    follow_up: list[dict[str, Any]]
    follow_up_sentence: str
    # appendix
    rule_rows: list[RuleRow]
    rules_left_out: int
    serious: list[dict[str, Any]]
    serious_left_out: int
    functions: list[Any]
    readiness_all: list[ReadinessRow]
    dependencies_all: list[dict[str, str]]
    dependencies_left_out: int
    coverage: list[str]
    skipped: list[tuple[str, str]]
    skipped_left_out: int
    notes: list[str]
    method: list[str]
    grade_basis: list[dict[str, str]]
    findings_total: int
    scores: dict[str, Any] = field(default_factory=dict)
    holes_unchecked: bool = False  # dependencies listed, none audited for known vulnerabilities


def config_of(context) -> Config:
    config = getattr(context, "config", None)
    return config if config is not None else parse_config({}, "defaults")


def _text_setting(config: Config, key: str) -> str:
    value = config.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ConfigError(f"{config.source}: {key} must be a text")
    return value.strip()


def build(result: ScanResult, context) -> ReportView:
    config = config_of(context)
    settings = ScoringSettings.from_config(config)
    current = evaluate(result, settings=settings)
    scores = current.scores
    months = earlier_months(result, getattr(context, "history", None) or [], settings)
    previous = months[-1] if months else None
    change = changes(result, previous)
    overall = scores["overall"]["grade"] or "–"
    overall_trend = NO_TREND
    if previous is not None:
        overall_trend = trend(previous.grade, scores["overall"]["grade"], previous.minutes, scores["debt"]["minutes"])

    client = _text_setting(config, "client")
    reviewer = _text_setting(config, "reviewer")
    repo = result.repository.get("name") or "repository"
    month = month_of(result, current=True)
    subtitle = [f"{month_label(month)} review of {repo}"]
    if result.revision:
        date = (result.repository.get("revision_date") or "")[:10]
        subtitle.append(f"revision {result.revision[:12]}" + (f" of {date}" if date else ""))
    elif result.repository.get("kind"):
        subtitle.append(f"{result.repository['kind']} scan")
    if reviewer:
        subtitle.append(f"reviewed by {reviewer}")
    subtitle.append(f"archreview {result.tool_version}".strip())

    debt = scores["debt"]
    method = scores["method"]
    rate = f"{method['day_rate']:,g} {method['currency']} a day"
    rate_note = (
        f"Money is developer-days at {rate}."
        if method["day_rate_from_config"]
        else f"Money is developer-days at {rate}, the default rate. Set day_rate and currency in the settings to use yours."
    )
    actions = current.actions
    top = [_action_view(a) for a in actions[:TOP_ACTIONS]]
    areas = _areas(result, current, previous)
    not_checked = [AREA_NAMES[a] for a in AREAS if not scores["areas"][a]["checked"]]
    clean = not result.findings

    view = ReportView(
        title=f"Architecture and risk review: {client or repo}",
        subtitle=subtitle,
        overall_grade=overall,
        overall_trend=overall_trend,
        verdict=_verdict(result, current, previous, overall_trend, top, not_checked),
        clean=clean,
        debt_days=days_text(debt["minutes"]),
        debt_money=money_text(debt["money"], method["currency"]),
        debt_ratio=percent(debt["ratio"]),
        rate_note=rate_note,
        top_actions=top,
        baseline=change.baseline,
        changes=change,
        change_sentences=_standstill(result, months) + _change_sentences(change, current, months),
        new_serious=[_where(f) + " — " + finding_text(f, f.plain) for f in change.new_serious[:3]],
        chart=[(month_label(m.month, short=True), round(m.minutes / MINUTES_PER_DAY, 1)) for m in months[-(CHART_MONTHS - 1):]]
        + [(month_label(month, short=True), round(debt["minutes"] / MINUTES_PER_DAY, 1))],
        areas=areas,
        not_checked=not_checked,
        architecture=architecture_view.part(result.sections.get("architecture")),
        readiness_main=[],
        readiness_other=[],
        readiness_sentence="",
        dependencies_checked=scores["areas"]["dependencies"]["checked"],
        dependency_sentences=[],
        vulnerable=[],
        vendors_checked="vendors" in result.sections,
        vendors=_vendors(result.sections.get("vendors")),
        plan=[(label, [_action_view(a) for a in actions if a.horizon == days]) for days, label in _windows()],
        plan_later=sum(1 for a in actions if not a.horizon),
        follow_up=[],
        follow_up_sentence="",
        rule_rows=[],
        rules_left_out=0,
        serious=[],
        serious_left_out=0,
        functions=result.functions[:APPENDIX_FUNCTIONS],
        readiness_all=[],
        dependencies_all=[],
        dependencies_left_out=0,
        coverage=_coverage(result),
        skipped=[],
        skipped_left_out=0,
        notes=[mask(n) for n in result.coverage.notes],
        method=_method(scores, settings),
        grade_basis=_grade_basis(scores),
        findings_total=len(result.findings),
        scores=scores,
    )
    _readiness(view, result.sections.get("readiness"))
    _dependencies(view, result)
    _follow(view, result, previous, change)
    _appendix(view, result, settings)
    return view


def _windows() -> list[tuple[int, str]]:
    labels = []
    start = 1
    for days in WINDOWS:
        labels.append((days, "Next 30 days" if start == 1 else f"Days {start}–{days}"))
        start = days + 1
    return labels


def _action_view(action: Action) -> ActionView:
    return ActionView(
        title=action.title,
        why=action.why,
        effort=effort_text(action.minutes),
        effort_days=(
            days_exact(action.minutes)
            if action.minutes >= MINUTES_PER_DAY
            else f"{effort_text(action.minutes)} ({days_exact(action.minutes)})"
            if action.minutes >= 60
            else effort_text(action.minutes)
        ),
        done_when=action.done_when,
    )


def _where(finding: Finding) -> str:
    if not finding.path:
        return "whole repository"
    return f"{finding.path}:{finding.line}" if finding.line else finding.path


def _example(finding: Finding) -> str:
    """A place in the appendix's list of examples; a dependency finding also
    names its library (one Dockerfile line can install several)."""
    package = (finding.extra or {}).get("package") if finding.area == "dependencies" else None
    return f"{_where(finding)} ({package})" if isinstance(package, str) and package else _where(finding)


# -- verdict -----------------------------------------------------------------
def _verdict(result, current: Evaluation, previous: Month | None, overall_trend: Trend, top, not_checked) -> list[str]:
    scores = current.scores
    grade = scores["overall"]["grade"]
    debt = scores["debt"]
    lines = scores["method"]["lines"]
    sentences = []
    if grade is None:
        sentences.append("There is no grade this month: we found no product code to measure.")
    else:
        opening = f"Overall grade: {grade}"
        if previous is None:
            opening += ". This is the first review, so it sets the baseline for the months to come."
        elif overall_trend.word == "steady":
            opening += f", the same as in {month_label(previous.month)}."
        elif previous.grade and previous.grade != grade:
            opening += f", {overall_trend.word} than the {previous.grade} of {month_label(previous.month)}."
        else:
            opening += f", {overall_trend.word} than in {month_label(previous.month)}."
        sentences.append(opening)
        sentences.append(VERDICT_STATE[grade])
    if not result.findings:
        checked = f"{lines:,} lines of product code" if lines else "the repository"
        sentences.append(f"We checked {checked} and found nothing that needs fixing.")
        if not_checked:
            done = [AREA_NAMES[a].lower() for a in AREAS if scores["areas"][a]["checked"]]
            sentences.append(f"This review looked at {join_words(done, 7)} only.")
    else:
        action = top[0] if top else None
        if action is not None:
            sentences.append(f"The biggest risk: {_lower_first(action.why)}")
            sentences.append(f"The first step is to {_lower_first(action.title)}, which takes {action.effort}.")
        sentences.append(
            f"Fixing all we found would take {days_text(debt['minutes'])}, "
            f"or about {money_text(debt['money'], scores['method']['currency'])}."
        )
    newer = _newer_python_sentence(result)
    if newer:
        sentences.append(newer)
    other = _other_code_sentence(result)
    if other:
        sentences.append(other)
    return sentences


#: product code in other languages named in the verdict from this many files,
#: and from this share of the Python product files (below: the appendix only)
OTHER_CODE_MIN_FILES = 20
OTHER_CODE_MIN_SHARE = 0.1


def _most_first(counts: dict[str, int]) -> list[tuple[str, int]]:
    """(name, count), the largest count first, then by name."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _other_code_sentence(result) -> str:
    """A frontend or service in another language is not graded: a reader who
    sees "Code complexity: A" must know it covers the Python code only."""
    other = result.coverage.other_code
    total = sum(other.values())
    product = sum(1 for f in result.files if f.role == "source")
    if total < OTHER_CODE_MIN_FILES or total < OTHER_CODE_MIN_SHARE * product:
        return ""
    languages = join_words([name for name, _n in _most_first(other)])
    return (
        f"The grades cover the Python code only: the {languages} code beside it "
        f"({count_text(total, 'file')}) was not reviewed."
    )


def _newer_python_sentence(result) -> str:
    """Python files this scan's Python could not read because they are
    written for a newer one: they are missing from every grade, which a
    reader must know up front, not only from the appendix."""
    declared = [s.reason for s in result.coverage.skipped if s.reason.startswith("needs Python ")]
    guessed = [s for s in result.coverage.skipped if s.reason.startswith("needs a newer Python than")]
    count = len(declared) + len(guessed)
    if not count:
        return ""
    ran_on = re.search(r"(?:this scan ran on Python|newer Python than) (\d+\.\d+)", (declared or [guessed[0].reason])[0])
    running = f"Python {ran_on.group(1)}" if ran_on else "the Python"
    wanted = declared[0][len("needs Python ") :].split(" ", 1)[0] if declared else None
    files, them = count_text(count, "Python file"), "it" if count == 1 else "them"
    if wanted:
        return (
            f"This review could not read {files} written for Python {wanted} (it ran on {running}), "
            f"so the grades leave {them} out; run it on Python {wanted} to include {them}."
        )
    return f"This review could not read {files} written for a newer Python than {running} it ran on, so the grades leave {them} out."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


# -- changes ------------------------------------------------------------------
def _standstill(result: ScanResult, months: list[Month]) -> list[str]:
    """When the code did not move since earlier months (the same revision):
    say so first, so that "none fixed" reads as no work done, not as work
    that failed."""
    if not result.revision or not months or months[-1].result.revision != result.revision:
        return []
    first = months[-1].month
    for earlier in reversed(months):
        if earlier.result.revision != result.revision:
            break
        first = earlier.month
    date = (result.repository.get("revision_date") or "")[:10]
    since = f" since {date}" if date else ""
    return [f"Nobody has committed to this branch{since}: the code is the same as in {month_label(first)}."]


def _change_sentences(change, current: Evaluation, months: list[Month]) -> list[str]:
    if change.baseline:
        return [
            "This is the first review, so there is nothing to compare with yet.",
            "Its numbers are the baseline. Next month's report will show what is new, what was fixed and how the debt moved.",
        ]
    minutes = current.scores["debt"]["minutes"]
    sentences = [
        f"Since {month_label(change.previous_month)}: {count_text(change.new, 'new problem')}, "
        f"{change.fixed:,} fixed and {change.still_open:,} still open."
    ]
    before, now = change.previous_minutes / MINUTES_PER_DAY, minutes / MINUTES_PER_DAY
    if round(before, 1) == round(now, 1):
        sentences.append(f"The debt stayed at {now:,.1f} developer-days.")
    else:
        went = "went down" if now < before else "went up"
        sentences.append(f"The debt {went} from {before:,.1f} to {now:,.1f} developer-days.")
    if months:
        sentences.append(f"The chart shows the debt over the last {min(len(months) + 1, CHART_MONTHS)} months.")
    return sentences


# -- areas --------------------------------------------------------------------
def _areas(result: ScanResult, current: Evaluation, previous: Month | None) -> list[AreaRow]:
    rows = []
    for area in AREAS:
        entry = current.scores["areas"][area]
        if not entry["checked"]:
            continue
        old = previous.evaluation.scores["areas"][area] if previous is not None else None
        arrow = NO_TREND
        if old is not None and old["checked"]:
            amount_old, amount_new = old["minutes"], entry["minutes"]
            if area == "readiness":
                amount_old = -(old.get("checklist_score") or 0)
                amount_new = -(entry.get("checklist_score") or 0)
            arrow = trend(old["grade"], entry["grade"], amount_old, amount_new)
        rows.append(
            AreaRow(
                area=area,
                name=AREA_NAMES[area],
                grade=entry["grade"] or "–",
                trend=arrow,
                sentence=_area_sentence(area, entry, result, current.settings.effort),
            )
        )
    return rows


def _area_sentence(area: str, entry: dict[str, Any], result: ScanResult, overrides: dict[str, int]) -> str:
    findings = [f for f in result.findings if f.area == area]
    cost = days_text(entry["minutes"])
    if area == "complexity":
        functions = sum(1 for f in findings if f.rule == "complexity.function")
        files = sum(1 for f in findings if f.rule != "complexity.function")
        if not findings:
            return "No function or file is too complex to change safely."
        parts = []
        if functions:
            parts.append(count_text(functions, "function"))
        if files:
            parts.append(count_text(files, "file"))
        verb = "is" if functions + files == 1 else "are"
        return f"{' and '.join(parts)} {verb} hard to change safely. Cleaning them up takes {cost}."
    if area == "security":
        if not findings:
            return "The scanner found no risky code."
        # places, as the plan counts them: two of bandit's tests on one line
        # (B603 and B607 on one subprocess call) are one thing to fix
        worst = worst_by_place(findings)
        counts = Counter(worst.values())
        parts = []
        for words, severities in (("serious", ("critical", "high")), ("moderate", ("medium",)), ("minor", ("low", "info"))):
            n = sum(counts[s] for s in severities)
            if n:
                parts.append(f"{n:,} {words}")
        text = f"{join_words(parts)} {'issue' if len(worst) == 1 else 'issues'}."
        serious = [f for f in findings if severity_at_least(f.severity, "high")]
        if serious:
            fix = sum(effort_minutes(f, overrides) for f in serious)
            return f"{text} The serious ones take {effort_text(fix)} to fix."
        return f"{text} Fixing all takes {cost}."
    if area == "secrets":
        if not findings:
            return "No passwords or keys were found in the code."
        in_history = sum(1 for f in findings if f.extra.get("history"))
        in_code = len(findings) - in_history
        places = []
        if in_code:
            places.append(f"{count_text(in_code, 'password or key', 'passwords or keys')} in the code")
        if in_history:
            places.append(f"{count_text(in_history, 'password or key', 'passwords or keys')} still in its git history")
        them = "it" if len(findings) == 1 else "them"
        if any(severity_at_least(f.severity, "high") for f in findings):
            return f"Found {join_words(places)}. Change {them} first."
        # only medium and lower: old defaults, example and CI values to confirm
        return f"Found {join_words(places)}. Confirm whether {them} still work{'s' if them == 'it' else ''}, and change any that do."
    if area == "dependencies":
        return _dependency_area_sentence(findings, result)
    if area == "readiness":
        items = result.sections.get("readiness") or []
        if not items:
            return "The checklist was not filled in."
        applicable = [i for i in items if i.get("applies") is not False]
        present = sum(1 for i in applicable if i.get("status") == "present")
        missing = [READINESS_NAMES.get(i.get("id"), i.get("id")) for i in applicable if i.get("status") == "absent"
                   and i.get("id") in READINESS_MAIN]
        text = f"{present} of {len(applicable)} safety nets found."
        if len(applicable) < len(items):
            text += " The project is not a running service, so backups, alerts and the other production items do not apply."
        if missing:
            # only the main safety nets are named here: say so, or "and 2 more"
            # reads as the whole count of what is missing
            text += f" The main ones missing: {join_words([m.lower() for m in missing], 3)}."
        return text
    if area == "architecture":
        section = result.sections.get("architecture") or {}
        packages = section.get("packages") or []
        loops = [c for c in section.get("cycles") or [] if isinstance(c, dict) and c.get("level") == "package"]
        text = f"{count_text(len(packages), 'part')}" if packages else "The code"
        if loops:
            tied = len({m for c in loops for m in c.get("members") or [] if isinstance(m, str)})
            if packages and tied:
                # how much of the code a loop holds, not only how many loops
                return f"{text}; {tied:,} of them depend on each other in {count_text(len(loops), 'loop')}."
            return f"{text}; {count_text(len(loops), 'loop')} in which parts depend on each other."
        if findings:
            return f"{text}; {count_text(len(findings), 'structure issue')}."
        return f"{text}, with no loops between them." if packages else "No structure problems found."
    if area == "activity":
        return _activity_sentence(result.sections.get("activity"), findings, [f.path for f in result.files])
    return f"{count_text(len(findings), 'issue')}." if findings else "Nothing found."


def _dependency_area_sentence(findings: list[Finding], result: ScanResult) -> str:
    rows = [d for d in result.sections.get("dependencies") or [] if isinstance(d, dict)]
    libraries = {d.get("name") for d in rows if not _for_developers(d)} or {d.get("name") for d in rows}
    vulnerable = {package_of(f) for f in findings if f.rule == "deps.vulnerable"}
    abandoned = sum(1 for f in findings if f.rule == "deps.abandoned")
    parts = []
    if vulnerable:
        parts.append(f"{count_text(len(vulnerable), 'library has', 'libraries have')} known security holes")
    if abandoned:
        parts.append(f"{abandoned} may be abandoned")
    outdated = sum(1 for f in findings if f.rule == "deps.outdated")
    if outdated:
        parts.append(f"{outdated} are far behind")
    base = f"{count_text(len(libraries), 'library', 'libraries')} in use" if libraries else "Libraries checked"
    if holes_unchecked(result.sections.get("dependencies")):
        parts.insert(0, "not checked for known security holes this time")
    if not parts:
        old = old_advisory_data(result)
        clean = f"no known security holes in advisory data up to {old}" if old else "no known security holes"
        return f"{base}; {clean}." if not findings else f"{base}; {count_text(len(findings), 'upkeep issue')}."
    return f"{base}; {join_words(parts, 3)}."


def old_advisory_data(result: ScanResult) -> str:
    """``October 2024`` when the advisory data the libraries were checked
    against is older than the analyzer's limit (a local copy), else ""."""
    data = result.sections.get("advisory_data")
    if not isinstance(data, dict) or not isinstance(data.get("newest"), str):
        return ""
    if data.get("old") is not True:
        return ""
    return month_label(data["newest"][:7])


def _percent(share: float) -> str:
    """``38 %``; under one percent ``under 1 %``."""
    return "under 1 %" if 0 < share < 0.005 else f"{share * 100:.0f} %"


def _activity_sentence(section: Any, findings: list[Finding], paths: list[str] | None = None) -> str:
    if not isinstance(section, dict):
        return f"{count_text(len(findings), 'issue')}." if findings else "Nothing found."
    if section.get("short_history") is True:
        return "The history is too short to tell who knows the code (an imported or squashed repository)."
    sentences = []
    bus = section.get("bus_factor")
    if isinstance(bus, dict):
        bus = next((bus[k] for k in ("repository", "repo", "value", "overall") if isinstance(bus.get(k), int)), None)
    if isinstance(bus, int) and bus == 1:
        sentences.append("One person wrote most of the recent changes; the product depends on them.")
    elif isinstance(bus, int) and bus > 1:
        sentences.append(f"{number_word(bus).capitalize()} people wrote most of the recent changes.")
    lost = [f for f in findings if "knowledge" in f.rule]
    knowledge = section.get("knowledge_loss") if isinstance(section.get("knowledge_loss"), dict) else {}
    lost_sloc, share, months = knowledge.get("sloc"), knowledge.get("share"), knowledge.get("inactive_months")
    if lost and isinstance(lost_sloc, int) and lost_sloc > 0 and isinstance(share, (int, float)) and isinstance(months, int):
        # the whole measure, not the few files that became findings
        sentences.append(
            f"The main authors of {_percent(share)} of the product code ({lost_sloc:,} lines) "
            f"have made no commit for {months} months or more."
        )
    elif lost:
        sentences.append(f"The authors of {count_text(len(lost), 'file')} have left.")
    hotspots = [h.get("path") for h in section.get("hotspots") or [] if isinstance(h, dict) and h.get("path")]
    if hotspots:
        names = [short_name(p, paths or hotspots) for p in hotspots[:2]]
        sentences.append(f"The busiest complex code is in {join_words(names)}.")
    return " ".join(sentences) or "No risk found in who changes the code."


# -- readiness ----------------------------------------------------------------
def _count(value: Any, at_least: int) -> int:
    """A count from the result, never below what is listed (an older result
    has no count, a hand-edited one may hold anything)."""
    return max(value, at_least) if isinstance(value, int) and not isinstance(value, bool) else at_least


def _readiness(view: ReportView, items: Any) -> None:
    if not isinstance(items, list):
        return
    rows = []
    for item in items:
        if not isinstance(item, dict):
            continue
        evidence = [p for p in item.get("evidence") or [] if isinstance(p, str)]
        status = item.get("status", "absent")
        shown = "" if status == "absent" or not evidence else evidence[0]
        rows.append(
            ReadinessRow(
                id=item.get("id", ""),
                name=READINESS_NAMES.get(item.get("id", ""), str(item.get("id", "")).replace("_", " ").capitalize()),
                status=STATUS_WORDS.get(status, status),
                evidence=shown,
                more=max(0, _count(item.get("evidence_files"), len(evidence)) - 1) if shown else 0,
                why=mask(item.get("why", "")),
                quote=mask(item.get("quote", "")),
            )
        )
    view.readiness_all = rows
    by_id = {r.id: r for r in rows}
    view.readiness_main = [by_id[i] for i in READINESS_MAIN if i in by_id]
    others = [r for r in rows if r.id not in READINESS_MAIN]
    found = [r.name for r in others if r.status == "Found"]
    partly = [r.name for r in others if r.status == "Partly"]
    missing = [r.name for r in others if r.status == "Not found"]
    if found:
        view.readiness_other.append(f"Also in place: {join_words(found, 9)}.")
    if partly:
        view.readiness_other.append(f"Partly in place: {join_words(partly, 9)}.")
    if missing:
        view.readiness_other.append(f"Missing: {join_words(missing, 9)}.")
    not_applicable = {i.get("id") for i in items if isinstance(i, dict) and i.get("applies") is False}
    absent = [r for r in view.readiness_main if r.status == "Not found" and r.id not in not_applicable]
    part = [r.name.lower() for r in view.readiness_main if r.status == "Partly" and r.id not in not_applicable]
    if not_applicable and not absent and not part:
        view.readiness_sentence = (
            "The project is not a running service, so the production safety nets (backups, alerts, health checks) "
            "do not apply to it."
        )
        return
    if not absent and part:
        view.readiness_sentence = (
            f"Every main safety net we look for was found in the repository, {join_words(part, 6)} only in part."
        )
    elif not absent and missing:
        view.readiness_sentence = "Every main safety net we look for was found in the repository."
    elif not absent:
        view.readiness_sentence = "Every safety net we look for was found in the repository."
    else:
        view.readiness_sentence = (
            f"We found no sign of {join_words([r.name.lower() for r in absent], 6)} in the code. "
            "If they exist outside the code, note them in the repository so the next review sees them."
        )


# -- dependencies and vendors -------------------------------------------------


def _for_developers(row: dict[str, Any]) -> bool:
    group = row.get("group")
    return isinstance(group, str) and bool(TOOL_GROUP.search(group))


def _dependencies(view: ReportView, result: ScanResult) -> None:
    deps = [d for d in result.sections.get("dependencies") or [] if isinstance(d, dict)]
    findings = [f for f in result.findings if f.area == "dependencies"]
    names = sorted({str(d.get("name")) for d in deps if d.get("name")})
    sentences = []
    if names:
        tools = sorted({str(d.get("name")) for d in deps if d.get("name") and _for_developers(d)} - {
            str(d.get("name")) for d in deps if d.get("name") and not _for_developers(d)
        })
        if tools and len(tools) < len(names):
            sentences.append(
                f"The product uses {count_text(len(names) - len(tools), 'outside library', 'outside libraries')}, "
                f"and the team uses {len(tools):,} more only to develop, test or release it."
            )
        else:
            sentences.append(f"The product uses {count_text(len(names), 'outside library', 'outside libraries')}.")
    elif view.dependencies_checked:
        sentences.append("We found no list of outside libraries in the repository.")
    vulnerable = [f for f in findings if f.rule == "deps.vulnerable"]
    packages = {}
    for f in vulnerable:
        extra = f.extra or {}
        key = (package_of(f), extra.get("version") or "")
        row = packages.setdefault(key, {"advisories": [], "fixed": set(), "worst": f.severity})
        row["advisories"].append(extra.get("advisory") or f.rule)
        row["fixed"].update(extra.get("fixed_in") or [])
        if SEVERITY_RANK[f.severity] > SEVERITY_RANK[row["worst"]]:
            row["worst"] = f.severity
    if packages:
        sentences.append(
            f"{count_text(len(packages), 'library has', 'libraries have')} known security holes. "
            "Attackers look for these, so upgrade them first."
        )
    elif view.dependencies_checked and names and holes_unchecked(deps):
        view.holes_unchecked = True
        sentences.append(
            "They were not checked for known security holes this time (no advisory data was available; "
            "see the coverage appendix)."
        )
    elif view.dependencies_checked and names:
        audited = {str(d.get("name")) for d in deps if d.get("name") and d.get("vulns") is not None}
        unaudited = {str(d.get("name")) for d in deps if d.get("name") and d.get("vulns") is None} - audited
        if unaudited:
            sentences.append(
                f"Of the {count_text(len(audited), 'library', 'libraries')} whose version we could check, none has a "
                f"known security hole; the other {len(unaudited):,} have no exact version anywhere and were not checked "
                "(see the coverage appendix)."
            )
        else:
            sentences.append("None of them has a known security hole.")
    old = old_advisory_data(result)
    if old and names and not holes_unchecked(deps):
        sentences.append(
            f"They were checked against a copy of the advisory data that ends in {old}: holes published since then "
            "are not in it, so check again with current data before relying on this."
        )
    for rule, one, many in (
        ("deps.abandoned", "library has had no release for years and may be abandoned", "libraries have had no release for years and may be abandoned"),
        ("deps.outdated", "library is far behind its latest release", "libraries are far behind their latest release"),
        ("deps.yanked", "release in use was pulled back by its authors", "releases in use were pulled back by their authors"),
        ("deps.unpinned", "library has no exact version", "libraries have no exact version"),
    ):
        # a library declared in several files is one library
        n = len({package_of(f) for f in findings if f.rule == rule})
        if n:
            sentences.append(f"{count_text(n, one, many)}.")
    no_lock = [f for f in findings if f.rule == "deps.no-lockfile"]
    locks = [
        str(f.get("path"))
        for f in result.sections.get("dependency_files") or []
        if isinstance(f, dict) and f.get("lock") and f.get("path")
    ]
    if no_lock and locks:
        folders = sorted({str((f.extra or {}).get("folder") or "") or "the repository root" for f in no_lock})
        sentences.append(
            f"The libraries listed in {join_words(folders, 3)} have no lock file ({join_words(locks, 2)} "
            f"{'does' if len(locks) == 1 else 'do'} not cover them), so each install there may get other versions."
        )
    elif no_lock:
        sentences.append("There is no lock file, so each install may get other versions.")
    languages = [
        str(row.get("language"))
        for row in result.sections.get("dependencies_not_checked") or []
        if isinstance(row, dict) and row.get("language")
    ]
    if languages and (names or view.dependencies_checked):
        sentences.append(
            f"Only the Python libraries were looked at: the {join_words(languages)} libraries "
            "(listed in the coverage appendix) were not."
        )
    view.dependency_sentences = sentences
    rows = [
        {
            "name": name,
            "version": version,
            "severity": data["worst"],
            "advisories": sorted(set(data["advisories"])),
            "fixed": sorted(data["fixed"]),
        }
        for (name, version), data in sorted(packages.items(), key=lambda kv: (-SEVERITY_RANK[kv[1]["worst"]], kv[0]))
    ]
    # the appendix lists everything; the main report the first few, fixes shortened
    view.dependencies_all = [
        {**row, "advisories": ", ".join(row["advisories"]), "fixed": ", ".join(row["fixed"]) or "no fix yet"}
        for row in rows[:APPENDIX_DEPENDENCIES]
    ]
    view.vulnerable = [
        {
            "name": row["name"],
            "version": row["version"],
            "severity": row["severity"],
            "fixed": join_words(row["fixed"], 2) or "no fix yet",
        }
        for row in rows[:VULNERABLE_SHOWN]
    ]
    view.dependencies_left_out = max(0, len(rows) - APPENDIX_DEPENDENCIES)


CATEGORY_NAMES = {
    "ai": "AI and language models",
    "analytics": "Analytics",
    "auth": "Sign-in",
    "cloud": "Cloud",
    "crm": "Customer records",
    "data": "Data",
    "developer": "Developer tools",
    "documents": "Documents",
    "email": "E-mail",
    "error_tracking": "Error tracking",
    "incident_alerts": "Incident alerts",
    "maps": "Maps",
    "messaging": "Messaging",
    "monitoring": "Monitoring",
    "payments": "Payments",
    "project_tools": "Project tools",
    "search": "Search",
    "security": "Security",
    "sms": "Text messages",
    "storage": "File storage",
    "support": "Customer support",
}


def _vendors(items: Any) -> list[tuple[str, str]]:
    if not isinstance(items, list):
        return []
    by_category: dict[str, list[str]] = {}
    for item in items:
        if isinstance(item, dict) and item.get("name"):
            category = str(item.get("category") or "other")
            by_category.setdefault(category, []).append(str(item["name"]))
    return [
        (CATEGORY_NAMES.get(c, c.replace("_", " ").capitalize()), ", ".join(sorted(set(names))))
        for c, names in sorted(by_category.items(), key=lambda kv: CATEGORY_NAMES.get(kv[0], kv[0]))
    ]


# -- plan follow-up -----------------------------------------------------------
def _follow(view: ReportView, result: ScanResult, previous: Month | None, change) -> None:
    """Last month's plan: totals in a sentence; in the table the items that were
    due in the first 30 days, and any other item with progress."""
    items = plan_follow_up(result, previous, change)
    view.follow_up = [
        {
            "title": item.get("title", item.get("key", "")),
            "status": item["status"],
            "detail": f"{item['fixed']} of {item['total']} fixed" if item["status"] == "partly done" else "",
        }
        for item in items
        if item.get("horizon") == WINDOWS[0] or item["status"] != "not done"
    ]
    if previous is None:
        return
    if not items:
        view.follow_up_sentence = f"The {month_label(previous.month)} report had no plan to check."
        return
    done = sum(1 for i in items if i["status"] == "done")
    partly = sum(1 for i in items if i["status"] == "partly done")
    text = f"Of the {count_text(len(items), 'item')} planned in {month_label(previous.month)}, "
    text += f"{number_word(done) if done else 'none'} {'is' if done <= 1 else 'are'} done"
    if partly:
        text += f" and {number_word(partly)} {'is' if partly == 1 else 'are'} partly done"
    if not done and not partly and previous.result.revision and previous.result.revision == result.revision:
        text += " (no commits since then)"
    view.follow_up_sentence = text + ". Below are the items due in the first 30 days, and other progress."


# -- appendix -----------------------------------------------------------------
def _appendix(view: ReportView, result: ScanResult, settings: ScoringSettings) -> None:
    groups: dict[str, list[Finding]] = {}
    for f in result.findings:
        groups.setdefault(f.rule, []).append(f)
    rows = []
    for rule, members in groups.items():
        members.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.path, f.line))
        worst = members[0]
        rows.append(
            RuleRow(
                rule=rule,
                area=worst.area,
                worst=worst.severity,
                count=len(members),
                effort=days_text(sum(effort_minutes(f, settings.effort) for f in members)),
                examples=[_example(f) for f in members[:APPENDIX_EXAMPLES]],
            )
        )
    rows.sort(key=lambda r: (-SEVERITY_RANK[r.worst], -r.count, r.rule))
    view.rule_rows = rows[:APPENDIX_RULES]
    view.rules_left_out = max(0, len(rows) - APPENDIX_RULES)
    serious = [f for f in result.findings if severity_at_least(f.severity, "medium")]
    serious.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.area, f.path, f.line))
    view.serious = [
        {
            "severity": f.severity,
            "where": _where(f),
            "rule": f.rule,
            "message": clip(finding_text(f, f.message), 180),
        }
        for f in serious[:APPENDIX_SERIOUS]
    ]
    view.serious_left_out = max(0, len(serious) - APPENDIX_SERIOUS)
    skipped = result.coverage.skipped
    view.skipped = [(s.path, s.reason) for s in skipped[:APPENDIX_SKIPPED]]
    view.skipped_left_out = max(0, len(skipped) - APPENDIX_SKIPPED)


def _coverage(result: ScanResult) -> list[str]:
    c = result.coverage
    product = sum(1 for f in result.files if f.role == "source")
    tests = sum(1 for f in result.files if f.role == "test")
    lines = [
        # python_files counts the Python files not left out on purpose (migrations...)
        f"{c.files_total:,} files in the repository; {c.python_files:,} Python files"
        + (" besides those left out on purpose (below)." if c.excluded else "."),
        f"{c.analyzed:,} Python files analysed ({product:,} product, {tests:,} test), {c.lines_analyzed:,} lines.",
    ]
    if c.other_code:
        by = ", ".join(f"{name} ({n:,})" for name, n in _most_first(c.other_code))
        lines.append(f"Code in other languages, not analysed (files): {by}.")
    if c.excluded:
        by = ", ".join(f"{label} ({n:,})" for label, n in sorted(c.excluded_by.items()))
        lines.append(f"{count_text(c.excluded, 'file')} left out on purpose: {by}.")
    lines.append(
        f"{count_text(len(c.skipped), 'file')} could not be analysed (listed below)."
        if c.skipped
        else "Every file that should be analysed was analysed."
    )
    ran = ", ".join(f"{name} (version {version})" for name, version in sorted(result.analyzers.items()))
    if ran:
        lines.append(f"Checks that ran: {ran}.")
    return lines


def _grade_basis(scores: dict[str, Any]) -> list[dict[str, str]]:
    """Each area's grade with the figures it came from."""
    rows = []
    for area in AREAS:
        entry = scores["areas"][area]
        if not entry["checked"]:
            continue
        basis = entry["basis"]
        if entry.get("checklist_score") is not None:
            basis += f" ({entry['checklist_score'] * 100:.1f} % in place)"
        rows.append(
            {
                "area": AREA_NAMES[area],
                "grade": entry["grade"] or "–",
                "basis": basis,
                "findings": f"{entry['findings']:,}",
                "minutes": f"{entry['minutes']:,}",
                "ratio": "own scale" if area in OWN_SCALE_AREAS else percent(entry["ratio"]),
            }
        )
    debt = scores["debt"]
    rows.append(
        {
            "area": "Overall",
            "grade": scores["overall"]["grade"] or "–",
            "basis": scores["overall"]["basis"],
            "findings": f"{sum(scores['areas'][a]['findings'] for a in AREAS):,}",
            "minutes": f"{debt['minutes']:,}",
            "ratio": percent(debt["ratio"]),
        }
    )
    return rows


def _method(scores: dict[str, Any], settings: ScoringSettings) -> list[str]:
    m = scores["method"]
    debt = scores["debt"]
    exact_days = round(debt["minutes"] / MINUTES_PER_DAY, 6)
    sqale = ", ".join(f"{g} ≤ {limit * 100:g} %" for limit, g in SQALE_LIMITS) + ", E above"
    readiness = ", ".join(f"{g} ≥ {limit * 100:g} %" for limit, g in READINESS_LIMITS) + ", E below"
    caps = ", ".join(f"{severity} {cap}" for severity, cap in SEVERITY_CAP.items() if cap != GRADES[0])
    weighted = _weighted_readiness()
    lines = [
        f"Effort: each finding has an estimate in minutes (the check's own, or a default per rule; "
        f"settings in [tool.archreview.effort] override it). Debt is the sum: {debt['minutes']:,} minutes.",
        f"Developer-day: {MINUTES_PER_DAY // 60} hours, so {debt['minutes']:,} minutes are {exact_days:g} days. "
        f"Money: {exact_days:g} days × {m['day_rate']:,g} {m['currency']}"
        + (" (the default rate)" if not m["day_rate_from_config"] else " (from day_rate)")
        + f" = {debt['money']:,.0f} {m['currency']}, rounded in the report.",
        f"Debt ratio: the debt in the code ({debt['code_minutes']:,} minutes; readiness and libraries have their own "
        f"scales and are left out) ÷ (lines × {MINUTES_PER_LINE} minutes), where lines are the {m['lines']:,} "
        f"{m['lines_basis']}: {percent(debt['ratio'])}.",
        f"Code grades (SQALE scale on the debt ratio): {sqale}.",
        f"Security, secrets and team: the worse of the ratio grade and the worst open finding ({caps}).",
        f"Readiness: share of the checklist in place (present 1, partial ½, absent 0; {weighted}): {readiness}.",
        "Dependency risk: E with a critical known vulnerability, D with a high one, C with a medium one or when "
        "a quarter of the libraries are abandoned or far behind, B with low ones or any upkeep issue, else A.",
        "Overall: the ratio grade of the code's debt, but at most one grade better than the weakest area.",
        f"Trend: better or worse when the grade moved; with the same grade, when the debt moved by "
        f"{TREND_STEADY * 100:g} % or more. Earlier months are scored again with today's settings so that months compare.",
        f"Plan: findings are grouped into actions (at most {MAX_PER_ACTION} findings each, worst first), ordered by "
        f"severity, then area, then effort; up to {number_word(PER_WINDOW)} per {WINDOWS[0]} days. An action is done "
        "when none of its findings is still open.",
    ]
    if settings.effort:
        overrides = ", ".join(f"{k} = {v}" for k, v in sorted(settings.effort.items()))
        lines.append(f"Effort overrides in use: {overrides}.")
    if scores["method"]["lines"] == 0:
        lines.append("No product code was measured, so there is no debt ratio and code areas have no grade.")
    return lines


# how the method names the checklist items that weigh more (else READINESS_NAMES)
_WEIGHTED_NAMES = {"alerting": "alerts"}
_TIMES = {2: "twice"}


def _weighted_readiness() -> str:
    """``backups, monitoring, ... count twice``: the checklist items that weigh
    more than 1, from READINESS_WEIGHTS."""
    by_weight: dict[int, list[str]] = {}
    for item, weight in READINESS_WEIGHTS.items():
        name = _WEIGHTED_NAMES.get(item) or READINESS_NAMES.get(item, item.replace("_", " ")).lower()
        by_weight.setdefault(weight, []).append(name)
    return "; ".join(
        f"{join_words(names, len(names))} count {_TIMES.get(weight, f'{weight:g} times')}"
        for weight, names in sorted(by_weight.items(), reverse=True)
    )
