"""``activity``: how the code changes and who changes it, from git history.

Churn per file over the last 3/6/12 months, hotspots (change frequency x
complexity), bus factor per file and for the repository, knowledge loss
(code whose main authors stopped committing) and commit cadence. The history
is read by :mod:`.gitlog` (one listing, one ``git log -p`` pass over the
commits not yet cached, shared with the secrets check of old versions:
:mod:`..python_history`) and measured by :mod:`.measures`.

Settings (``[tool.archreview.activity]``): ``inactive_months`` (default 6),
after which an author who made no commit counts as gone.

Skipped, with a note, for a plain folder (no history) and for a shallow clone
(history cut off, so every measure would be wrong).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ...config import stable_hash
from ...errors import ConfigError
from ...model import Finding
from ...wording import count_text
from ..base import RepoAnalyzer, RepoContext, RepoOutput
from . import gitlog, measures

DEFAULT_INACTIVE_MONTHS = 6
FILE_FINDINGS = 10  # at most this many file-level findings per rule
KNOWLEDGE_MIN_SLOC = 100
MEMO_OPTION = gitlog.MEMO_OPTION

SHALLOW_NOTE = (
    "activity: this is a shallow clone, so its commit history is cut off; churn, hotspots and bus factor "
    "were not measured. Fetch the full history (in GitHub Actions: actions/checkout with fetch-depth: 0)."
)


class ActivityAnalyzer(RepoAnalyzer):
    name = "activity"
    reads_history = True
    version = "6"  # 2: bots left out; 3: short histories; 4: a file taken over is not lost; 5: names without spaces; 6: wording

    def prepare(self, context) -> History | RepoOutput:
        """The commits and their changes (they need only the revision, so
        they can be read while the files are analysed); a RepoOutput when
        there is no history to measure."""
        snapshot = context.snapshot
        absent = _no_history(snapshot)
        if absent is not None:
            return absent
        from .. import python_history  # it imports this package's gitlog

        history = python_history.read(context)
        commits, changes = history.commits, history.changes
        return History(commits, changes)

    def run(self, context: RepoContext) -> RepoOutput:
        snapshot = context.snapshot
        absent = _no_history(snapshot)
        if absent is not None:
            return absent
        inactive_months = _inactive_months(context.config.section(self.name))
        files = {f.path: f for f in context.files if f.path.startswith(snapshot.prefix)}
        output_key = _output_key(self.version, context, inactive_months, files)
        if context.cache is not None:
            stored = context.cache.get_kv(OUTPUT_NAMESPACE, output_key)
            if stored is not None:
                return _output_from(stored)
        history = context.prepared.get(self.name)
        if not isinstance(history, History):
            history = self.prepare(context)
        commits, changes = history.commits, history.changes
        inputs = measures.Inputs(
            commits=commits,
            changes=changes,
            reference=_timestamp(snapshot.revision_date) or max((c.time for c in commits), default=0),
            files=files,
            findings=[f for f in context.findings if f.path in files],
            inactive_months=inactive_months,
        )
        section, facts = measures.compute(inputs)
        output = RepoOutput(sections={"activity": section}, findings=_findings(section, facts, files))
        if section["short_history"]:
            # one imported or squashed commit says nothing about who knows the code
            output.findings = [f for f in output.findings if f.rule not in PEOPLE_RULES]
            total = section["commits"]["total"]
            output.notes.append(
                f"activity: the history is too short to tell who knows the code ({count_text(total, 'commit')}, "
                f"first on {section['cadence']['first_commit']}), so bus factor and knowledge loss are not reported"
            )
        missing = section["commits"]["with_missing_contents"]
        if missing:
            output.notes.append(
                f"activity: {count_text(missing, 'commit')} {'changes' if missing == 1 else 'change'} files whose "
                "contents are missing from the repository; those changes count, with unknown line counts"
            )
        if context.cache is not None:
            context.cache.put_kv(
                OUTPUT_NAMESPACE,
                output_key,
                {"section": section, "findings": [f.to_dict() for f in output.findings], "notes": output.notes},
            )
        return output


OUTPUT_NAMESPACE = "activity-output"
#: the findings about people, which a short history cannot support
PEOPLE_RULES = {"activity.bus-factor", "activity.knowledge-loss"}


def _no_history(snapshot) -> RepoOutput | None:
    if snapshot.kind == "directory" or not snapshot.revision:
        return RepoOutput(notes=["activity: not a git repository with commits, so there is no history to measure"])
    if snapshot.shallow:
        return RepoOutput(notes=[SHALLOW_NOTE])
    if snapshot.kind == "index":
        return RepoOutput(notes=["activity: not measured for staged changes (it describes commits)"])
    return None


@dataclass
class History:
    commits: list[gitlog.Commit]
    changes: dict[str, list[list]]


def _output_key(version: str, context: RepoContext, inactive_months: int, files: dict) -> str:
    """Everything the output depends on: the revision (its whole history),
    the mailmap in force, the settings, and the files (``files``: the
    analysed ones under the snapshot's prefix, by path) and findings it
    weighs. The same inputs again (a rescan, a rerun in CI) cost one lookup."""
    snapshot = context.snapshot
    work_mailmap = None if snapshot.bare else Path(snapshot.root) / ".mailmap"  # git reads the work tree's
    if work_mailmap is not None and work_mailmap.is_file():
        mailmap = stable_hash(work_mailmap.read_bytes().hex())
    else:
        ref = next((f for f in snapshot.files if f.path == ".mailmap"), None)
        mailmap = ref.blob if ref is not None and ref.blob else ""
    weighed = sorted((f.path, f.role, f.sloc, f.cc_total, f.cc_max, f.blob) for f in files.values())
    findings = sorted((f.rule, f.path, f.line, f.severity, f.effort_minutes) for f in context.findings)
    return stable_hash(
        {
            "version": version,
            "revision": snapshot.revision,
            "prefix": snapshot.prefix,
            "inactive_months": inactive_months,
            "mailmap": mailmap,
            "files": stable_hash(weighed),
            "findings": stable_hash(findings),
        }
    )


def _output_from(stored: dict) -> RepoOutput:
    return RepoOutput(
        sections={"activity": stored["section"]},
        findings=[Finding.from_dict(f) for f in stored.get("findings", [])],
        notes=list(stored.get("notes", [])),
    )


def _findings(section: dict, facts: dict, files: dict) -> list[Finding]:
    findings: list[Finding] = []
    bus = section["bus_factor"]
    if facts["repo_bus_factor"] == 1:
        owner = facts["repo_owner"] or "one person"
        findings.append(
            Finding(
                rule="activity.bus-factor",
                area="activity",
                severity="medium",
                path="",
                line=0,
                message=(
                    f"repository bus factor 1: {owner} made {facts['repo_owner_share']:.0%} of the lines changed "
                    f"in Python code over the last 12 months ({bus['authors_12m']} authors in all)"
                ),
                plain=(
                    "One person made most of the code changes this year; if they leave or fall ill, "
                    "work on the product slows down sharply."
                ),
                effort_minutes=_handover_minutes(sum(f.sloc for f in files.values() if f.role == "source"), 16 * 60),
                basis="repository",
            )
        )
    elif facts["repo_bus_factor"] > 1:
        for spot in [s for s in facts["hotspots"] if s["bus_factor"] == 1][:FILE_FINDINGS]:
            findings.append(
                Finding(
                    rule="activity.bus-factor",
                    area="activity",
                    severity="low",
                    path=spot["path"],
                    line=0,
                    message=(
                        f"hotspot with bus factor 1: {spot['commits_12m']} commits in 12 months, "
                        f"total complexity {spot['cc_total']}, one author made most of the changes"
                    ),
                    plain=(
                        "One person made most of the changes to this complex file, one of the most changed, so "
                        "the team depends on them for a part of the code that keeps changing."
                    ),
                    effort_minutes=_handover_minutes(spot["sloc"], 4 * 60),
                    basis="file",
                )
            )
    lost = [r for r in facts["lost_files"] if r["sloc"] >= KNOWLEDGE_MIN_SLOC][:FILE_FINDINGS]
    hot = {spot["path"] for spot in facts["hotspots"]}
    for row in lost:
        since = row["owner_last_commit"] or "long ago"
        findings.append(
            Finding(
                rule="activity.knowledge-loss",
                area="activity",
                severity="medium" if row["path"] in hot else "low",
                path=row["path"],
                line=0,
                message=(
                    f"{row['sloc']} lines of code whose main authors have made no commit for "
                    f"{section['knowledge_loss']['inactive_months']} months or more ({row['owner']} added "
                    f"{row['owner_share']:.0%} of its lines; last commit {since})"
                ),
                plain=(
                    "The people who wrote most of this file no longer work on the code, so nobody may know "
                    "why it works the way it does; changing it will be slower and riskier."
                ),
                effort_minutes=_handover_minutes(row["sloc"], 8 * 60),
                basis="file",
            )
        )
    return findings


def _handover_minutes(sloc: int, most: int) -> int:
    """Time for a second person to learn code well enough to change it (review
    it with its author, write down what is not obvious): about ten lines a
    minute, at least half an hour, at most ``most``."""
    return max(30, min(most, sloc // 10))


def _inactive_months(section: dict) -> int:
    value = section.get("inactive_months", DEFAULT_INACTIVE_MONTHS)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 120:
        raise ConfigError("[tool.archreview.activity] inactive_months must be a whole number of months (1-120)")
    return value


def _timestamp(iso: str | None) -> int | None:
    if not iso:
        return None
    try:
        return int(datetime.fromisoformat(iso).timestamp())
    except ValueError:
        return None
