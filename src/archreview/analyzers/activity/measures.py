"""The activity measures, computed from the commit list and the per-commit
file changes (see :mod:`.gitlog`). Pure functions of their inputs: no git,
no cache.

Definitions (also in docs/result-schema.md):

* time windows end at the scanned revision's commit date (not today) and
  reach back 3, 6 and 12 calendar months;
* churn of a file: lines added plus lines deleted; ``commits``: how many
  commits changed it. Renames are followed: history recorded under an old
  name counts for the file's name at the scanned revision;
* hotspot score: commits in the last 12 months x the file's total cyclomatic
  complexity (product code only) - change frequency times complexity, the
  files where debt costs money every time someone touches them;
* bus factor: the smallest number of authors who together made more than half
  of the lines changed (a file: in the last 12 months, or over its whole
  history when it did not change in that time; the repository: all analysed
  Python files over the last 12 months);
* knowledge loss: product files whose main authors (those who together added
  more than half of the file's lines over its history) have all made no
  commit at all for ``inactive_months``, and that nobody active has taken
  over (made most of the last 12 months' changes to);
* authors are people after ``.mailmap``; two names or addresses that appear
  together on a commit belong to one person (so one person's work, private
  and old addresses count once even without a ``.mailmap``), and names are
  compared without case, spaces or punctuation (``valentijnscholten`` is
  ``Valentijn Scholten``);
* commits by bots (a ``[bot]`` account, Dependabot, Renovate, GitHub Actions,
  pre-commit.ci...) are left out of every measure: a version bump or a
  dependency update is nobody's knowledge and no sign of costly debt.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ...history import add_months
from .gitlog import UNKNOWN, Commit

WINDOWS = (3, 6, 12)
TOP_CHURN = 20
TOP_HOTSPOTS = 10
TOP_FILES = 20
TOP_AUTHORS = 5
#: authors (lower case, after ``.mailmap``) that are automation, beside any
#: ``[bot]`` account
BOT_NAMES = frozenset({
    "dependabot", "dependabot-preview", "renovate", "renovate-bot", "github-actions", "github action",
    "pre-commit-ci", "pyup-bot", "pyup.io bot", "greenkeeper", "snyk-bot", "imgbot", "semantic-release-bot",
    "allcontributors", "deepsource-autofix", "mergify", "gitlab-bot", "transifex-integration", "weblate (bot)",
})


def is_bot(author: str, email: str) -> bool:
    name = " ".join(author.split()).casefold()
    return name.endswith("[bot]") or "[bot]@" in email.casefold() or name in BOT_NAMES


def months_before(stamp: int, months: int) -> int:
    """The same moment ``months`` calendar months earlier (day clamped), UTC."""
    moment = datetime.fromtimestamp(stamp, timezone.utc)
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return int(moment.replace(year=year, month=month, day=day).timestamp())


def month_key(stamp: int) -> str:
    return datetime.fromtimestamp(stamp, timezone.utc).strftime("%Y-%m")


def iso_date(stamp: int) -> str:
    return datetime.fromtimestamp(stamp, timezone.utc).date().isoformat()


class People:
    """Who is who. Authors after ``.mailmap`` are linked when they share a
    name (ignoring case and spacing) or an address, so one person's work,
    private and old addresses count once even without a ``.mailmap``."""

    def __init__(self, commits: list[Commit]):
        parent: dict[str, str] = {}

        def find(node: str) -> str:
            root = node
            while parent.setdefault(root, root) != root:
                root = parent[root]
            while parent[node] != root:
                parent[node], node = root, parent[node]
            return root

        pair_of: dict[tuple[str, str], tuple[str, str]] = {}  # (author, email) as written -> normalised
        for commit in commits:
            raw = (commit.author, commit.email)
            if raw in pair_of:
                continue
            # "Valentijn Scholten" and "valentijnscholten" are one person
            pair = pair_of[raw] = (re.sub(r"[\W_]+", "", commit.author.casefold()), commit.email)
            nodes = [f"n:{pair[0]}" if pair[0] else "", f"e:{pair[1]}" if "@" in pair[1] else ""]
            nodes = [n for n in nodes if n] or [f"e:{pair[1]}"]
            first = find(nodes[0])
            for node in nodes[1:]:
                other = find(node)
                if other != first:
                    parent[other] = first
        key_of = {raw: find(f"n:{pair[0]}" if pair[0] else f"e:{pair[1]}") for raw, pair in pair_of.items()}
        # decided once per author, not per commit
        bots = {raw for raw in pair_of if is_bot(*raw)}
        counts: dict[str, Counter] = defaultdict(Counter)
        self._by_commit: dict[str, str] = {}
        self._bot_commits: set[str] = set()
        for commit in commits:
            key = key_of[(commit.author, commit.email)]
            self._by_commit[commit.id] = key
            if (commit.author, commit.email) in bots:
                self._bot_commits.add(commit.id)
            counts[key][commit.author or commit.email] += 1
        self.names = {key: names.most_common(1)[0][0] for key, names in counts.items()}

    def of(self, commit: Commit) -> str:
        return self._by_commit[commit.id]

    def is_bot(self, commit: Commit) -> bool:
        return commit.id in self._bot_commits

    def name(self, key: str) -> str:
        return self.names.get(key, key)


@dataclass
class FileHistory:
    """Everything measured about one file at the scanned revision."""

    lines: dict[int, int] = field(default_factory=lambda: dict.fromkeys(WINDOWS, 0))
    commits: dict[int, int] = field(default_factory=lambda: dict.fromkeys(WINDOWS, 0))
    recent_by_author: Counter = field(default_factory=Counter)  # lines changed, last 12 months
    added_by_author: Counter = field(default_factory=Counter)  # lines added, whole history
    changed_by_author: Counter = field(default_factory=Counter)  # lines changed, whole history
    unknown_changes: int = 0  # changes whose contents are missing from the repository


@dataclass
class Inputs:
    commits: list[Commit]  # newest first, children before parents
    changes: dict[str, list[list]]  # commit id -> file entries (gitlog.file_changes)
    reference: int  # the scanned revision's commit time
    files: dict[str, Any]  # path -> FileMetrics of the analysed Python files
    findings: list = field(default_factory=list)  # Finding, for debt per hotspot
    inactive_months: int = 6


def follow_history(inputs: Inputs, people: People) -> dict[str, FileHistory]:
    """Per analysed file, its changes over the whole history, renames
    followed back from the scanned revision."""
    starts = {w: months_before(inputs.reference, w) for w in WINDOWS}
    alias: dict[str, str] = {}  # name at the time of a commit -> name at the scanned revision
    histories: dict[str, FileHistory] = {}
    wanted = inputs.files
    for commit in inputs.commits:
        entries = inputs.changes.get(commit.id)
        if not entries:
            continue
        if people.is_bot(commit):
            # renames still followed: a bot may move a file too
            for entry in entries:
                if len(entry) > 3 and entry[3] and entry[3] != entry[0]:
                    alias[entry[3]] = alias.get(entry[0], entry[0])
            continue
        who = people.of(commit)
        windows = [w for w in WINDOWS if commit.time >= starts[w]]
        recent = commit.time >= starts[12]
        for entry in entries:
            path, added, deleted = entry[0], entry[1], entry[2]
            final = alias.get(path, path)
            if len(entry) > 3 and entry[3] and entry[3] != path:
                alias[entry[3]] = final
            if final not in wanted:
                continue
            history = histories.get(final)
            if history is None:
                history = histories[final] = FileHistory()
            if added == UNKNOWN:
                history.unknown_changes += 1
                added = deleted = 0
            churn = added + deleted
            for window in windows:
                history.lines[window] += churn
                history.commits[window] += 1
            if recent:
                history.recent_by_author[who] += churn
            history.added_by_author[who] += added
            history.changed_by_author[who] += churn
    return histories


def bus_factor(shares: Counter) -> int:
    """Smallest number of authors who together hold more than half of the total."""
    total = sum(v for v in shares.values() if v > 0)
    if total <= 0:
        return 0
    held = 0
    for count, (_who, value) in enumerate(shares.most_common(), start=1):
        held += value
        if held * 2 > total:
            return count
    return len(shares)


def main_authors(shares: Counter) -> list[str]:
    """The authors who together hold more than half of the total."""
    n = bus_factor(shares)
    return [who for who, _ in shares.most_common(n)] if n else []


def compute(inputs: Inputs) -> tuple[dict, dict]:
    """The ``activity`` section and a few facts the analyzer turns into
    findings."""
    people = People(inputs.commits)
    histories = follow_history(inputs, people)
    last_commit = _last_commit_by_person(inputs.commits, people)
    inactive_before = months_before(inputs.reference, inputs.inactive_months)
    debt_by_path: dict[str, tuple[int, int]] = {}
    for finding in inputs.findings:
        count, minutes = debt_by_path.get(finding.path, (0, 0))
        debt_by_path[finding.path] = (count + 1, minutes + finding.effort_minutes)

    churn_rows = []
    for path, h in histories.items():
        if h.lines[12] or h.commits[12]:
            churn_rows.append(
                {
                    "path": path,
                    "lines_3m": h.lines[3],
                    "lines_6m": h.lines[6],
                    "lines_12m": h.lines[12],
                    "commits_12m": h.commits[12],
                }
            )
    churn_rows.sort(key=lambda r: (-r["lines_12m"], -r["commits_12m"], r["path"]))

    file_bus: dict[str, int] = {}
    for path, h in histories.items():
        file_bus[path] = bus_factor(h.recent_by_author) or bus_factor(h.changed_by_author)

    hotspots = []
    for path, h in histories.items():
        metrics = inputs.files[path]
        if metrics.role != "source" or h.commits[12] < 2 or metrics.cc_total <= 0:
            continue
        findings, minutes = debt_by_path.get(path, (0, 0))
        hotspots.append(
            {
                "path": path,
                "score": h.commits[12] * metrics.cc_total,
                "commits_12m": h.commits[12],
                "lines_12m": h.lines[12],
                "cc_total": metrics.cc_total,
                "sloc": metrics.sloc,
                "bus_factor": file_bus[path],
                "findings": findings,
                "debt_minutes": minutes,
            }
        )
    hotspots.sort(key=lambda r: (-r["score"], r["path"]))
    hotspots = hotspots[:TOP_HOTSPOTS]

    recent_total: Counter = Counter()
    for h in histories.values():
        recent_total.update(h.recent_by_author)
    recent_sum = sum(recent_total.values())
    repo_bus = bus_factor(recent_total)
    source_paths = [p for p, metrics in inputs.files.items() if metrics.role == "source"]
    single_owner = []
    for path in source_paths:
        if path in histories and file_bus.get(path) == 1:
            h = histories[path]
            shares = h.recent_by_author if sum(h.recent_by_author.values()) else h.changed_by_author
            owner, owned = shares.most_common(1)[0]
            total = sum(shares.values())
            single_owner.append(
                {
                    "path": path,
                    "sloc": inputs.files[path].sloc,
                    "owner": people.name(owner),
                    "owner_share": round(owned / total, 2) if total else 1.0,
                }
            )
    single_owner.sort(key=lambda r: (-r["sloc"], r["path"]))

    lost_files = []
    inactive_owners: dict[str, int] = defaultdict(int)
    source_sloc = sum(inputs.files[p].sloc for p in source_paths)
    for path in source_paths:
        h = histories.get(path)
        if h is None:
            continue
        owners = main_authors(h.added_by_author)
        if not owners or any(last_commit.get(o, 0) >= inactive_before for o in owners):
            continue
        # someone active has taken the file over: they made most of this
        # year's changes to it
        if any(last_commit.get(o, 0) >= inactive_before for o in main_authors(h.recent_by_author)):
            continue
        sloc = inputs.files[path].sloc
        total = sum(h.added_by_author.values())
        lead = owners[0]
        lost_files.append(
            {
                "path": path,
                "sloc": sloc,
                "owner": people.name(lead),
                "owner_share": round(h.added_by_author[lead] / total, 2) if total else 1.0,
                "owner_last_commit": iso_date(last_commit[lead]) if lead in last_commit else None,
            }
        )
        for owner in owners:
            inactive_owners[owner] += sloc
    lost_files.sort(key=lambda r: (-r["sloc"], r["path"]))
    lost_sloc = sum(r["sloc"] for r in lost_files)

    section = {
        "reference_date": datetime.fromtimestamp(inputs.reference, timezone.utc).isoformat(),
        "commits": _commit_counts(inputs),
        "short_history": short_history(inputs.commits, people),
        "cadence": cadence(inputs.commits, inputs.reference, people),
        "churn": {
            **{f"lines_{w}m": sum(h.lines[w] for h in histories.values()) for w in WINDOWS},
            "files_changed_12m": sum(1 for h in histories.values() if h.commits[12]),
            "top": churn_rows[:TOP_CHURN],
        },
        "hotspots": hotspots,
        "bus_factor": {
            "repository": repo_bus,
            "authors_12m": sum(1 for v in recent_total.values() if v > 0),
            "top_authors": [
                {"name": people.name(who), "share": round(v / recent_sum, 2)}
                for who, v in recent_total.most_common(TOP_AUTHORS)
                if v > 0
            ],
            "files_bus_factor_1": len(single_owner),
            "sloc_bus_factor_1": sum(r["sloc"] for r in single_owner),
            "files": single_owner[:TOP_FILES],
        },
        "knowledge_loss": {
            "inactive_months": inputs.inactive_months,
            "sloc": lost_sloc,
            "share": round(lost_sloc / source_sloc, 3) if source_sloc else 0.0,
            "files": lost_files[:TOP_FILES],
            "authors": [
                {
                    "name": people.name(who),
                    "last_commit": iso_date(last_commit[who]) if who in last_commit else None,
                    "sloc_owned": sloc,
                }
                for who, sloc in sorted(inactive_owners.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_FILES]
            ],
        },
    }
    facts = {
        "repo_bus_factor": repo_bus,
        "repo_owner": people.name(recent_total.most_common(1)[0][0]) if recent_total else None,
        "repo_owner_share": round(recent_total.most_common(1)[0][1] / recent_sum, 2) if recent_sum else 0,
        "lost_files": lost_files,
        "hotspots": hotspots,
    }
    return section, facts


#: a history shorter than this (an imported or squashed repository) cannot
#: tell who knows the code
SHORT_HISTORY_COMMITS = 3
SHORT_HISTORY_DAYS = 7


def short_history(commits: list[Commit], people: People) -> bool:
    """Fewer than ``SHORT_HISTORY_COMMITS`` commits by people, or all of them
    within ``SHORT_HISTORY_DAYS`` days."""
    times = [c.time for c in commits if not c.is_merge and not people.is_bot(c)]
    return len(times) < SHORT_HISTORY_COMMITS or max(times) - min(times) < SHORT_HISTORY_DAYS * 86400


def _commit_counts(inputs: Inputs) -> dict:
    merges = with_python = unknown = 0
    for commit in inputs.commits:
        if commit.is_merge:
            merges += 1
        entries = inputs.changes.get(commit.id)
        if entries:
            with_python += 1
            if any(e[1] == UNKNOWN for e in entries):
                unknown += 1
    return {
        "total": len(inputs.commits),
        "merges": merges,
        "with_python_changes": with_python,
        "with_missing_contents": unknown,
    }


def cadence(commits: list[Commit], reference: int, people: People) -> dict:
    """How often work lands: per month for the last 12 months (merges not
    counted), active weeks, authors."""
    start12 = months_before(reference, 12)
    start3 = months_before(reference, 3)
    this_month = month_key(reference)
    months = [add_months(this_month, -back) for back in range(11, -1, -1)]
    per_month = {m: [0, set()] for m in months}
    weeks = set()
    authors3, authors12 = set(), set()
    count3 = count12 = 0
    first = last = None
    for commit in commits:
        if commit.is_merge or people.is_bot(commit):
            continue
        first = commit.time if first is None else min(first, commit.time)
        last = commit.time if last is None else max(last, commit.time)
        if commit.time > reference or commit.time < start12:
            continue
        key = month_key(commit.time)
        if key in per_month:
            per_month[key][0] += 1
            per_month[key][1].add(people.of(commit))
        count12 += 1
        authors12.add(people.of(commit))
        weeks.add(datetime.fromtimestamp(commit.time, timezone.utc).isocalendar()[:2])
        if commit.time >= start3:
            count3 += 1
            authors3.add(people.of(commit))
    return {
        "months": [{"month": m, "commits": per_month[m][0], "authors": len(per_month[m][1])} for m in months],
        "commits_3m": count3,
        "commits_12m": count12,
        "authors_3m": len(authors3),
        "authors_12m": len(authors12),
        "active_weeks_12m": len(weeks),
        "first_commit": iso_date(first) if first is not None else None,
        "last_commit": iso_date(last) if last is not None else None,
    }


def _last_commit_by_person(commits: list[Commit], people: People) -> dict[str, int]:
    last: dict[str, int] = {}
    for commit in commits:
        who = people.of(commit)
        if commit.time > last.get(who, 0):
            last[who] = commit.time
    return last
