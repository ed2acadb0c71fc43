"""``archreview backfill``: fill the history with past months.

For each month end, the last commit on the branch's first-parent line before
it (what ``git rev-list -1 --first-parent --before=<month end>`` gives) is
scanned from git objects - no checkout, so a dirty work tree does not matter
- and stored as that month. The blob cache makes a file that did not change
since an earlier month cost nothing. A month in which the branch did not
move is a copy of the month before, marked ``carried_forward``. Months
already stored are kept unless ``--force``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

from ..errors import ArchreviewError, RepositoryError
from .options import history_dir_option, scan_options

SHALLOW_MESSAGE = (
    "this is a shallow clone: its history is cut off, so past months cannot be scanned. "
    "Fetch the full history first (git fetch --unshallow); in GitHub Actions, give actions/checkout "
    "`fetch-depth: 0`"
)


@dataclass
class MonthOutcome:
    month: str
    commit: str | None
    status: str  # scanned | carried forward | kept | unreadable | no commits yet
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def month_commits(chain: list[tuple[str, int]], months: list[str]) -> dict[str, tuple[str | None, bool]]:
    """For each month: (the last commit at or before its end, whether the
    branch moved during the month). ``chain`` is the first-parent line,
    newest first, with committer times."""
    from .. import history

    picked: dict[str, tuple[str | None, bool]] = {}
    for month in months:
        start, end = history.month_start(month), history.month_end(month)
        commit = next((c for c, t in chain if t <= end), None)
        moved = any(start <= t <= end for _c, t in chain)
        picked[month] = (commit, moved)
    return picked


def run_backfill(
    path: str,
    *,
    months: int = 12,
    until: str | None = None,
    rev: str = "HEAD",
    force: bool = False,
    history_dir: str | None = None,
    scan_settings: dict | None = None,
    echo=None,
) -> list[MonthOutcome]:
    """Fill the history; returns what happened to each month, oldest first.

    Three steps: every file any of the months needs and the cache lacks is
    analysed in one worker pool (:meth:`Engine.prefetch`); each distinct
    commit is then scanned, newest first, so the activity analyzer reads the
    git history once and the older months reuse it; finally the months are
    compared, oldest first, and written.
    """
    from .. import history
    from ..gitrepo import GitRepo, is_git_repository

    echo = echo or (lambda line: None)
    if not Path(path).exists():
        raise RepositoryError(f"{path}: no such directory")
    if not is_git_repository(path):
        raise RepositoryError(f"{path} is not a git repository: backfill reads past months from git history")
    repo = GitRepo(path)
    try:
        if repo.is_shallow():
            raise RepositoryError(SHALLOW_MESSAGE)
        chain = repo.first_parent_chain(rev)
    finally:
        repo.close()
    folder = history.history_dir(path, history_dir)
    last = history.check_month(until) if until else history.add_months(history.current_month(), -1)
    wanted = [history.add_months(last, -i) for i in range(months - 1, -1, -1)]
    picked = month_commits(chain, wanted)
    stored = history.load(folder)
    for note in stored.notes():
        echo(note)

    outcomes: dict[str, MonthOutcome] = {}
    to_scan: list[str] = []  # distinct commits, newest first
    for month in reversed(wanted):
        commit, moved = picked[month]
        existing = stored.get(month)
        if commit is None:
            outcomes[month] = MonthOutcome(month, None, "no commits yet")
        elif existing is not None and not force:
            outcomes[month] = MonthOutcome(month, existing.result.revision, "kept")
        elif month in stored.unreadable and not force:
            outcomes[month] = MonthOutcome(month, commit, "unreadable")
        else:
            outcomes[month] = MonthOutcome(month, commit, "scanned" if moved else "carried forward")
            if commit not in to_scan:
                to_scan.append(commit)

    results = _scan_commits(path, to_scan, scan_settings or {}, echo)

    for month in wanted:
        outcome = outcomes[month]
        if outcome.status in ("scanned", "carried forward"):
            _store_month(path, folder, stored, outcome, results[outcome.commit])
        echo(describe(outcome))
    return [outcomes[m] for m in wanted]


def _scan_commits(path: str, commits: list[str], settings: dict, echo) -> dict[str, tuple]:
    """Scan each commit (newest first): ``commit -> (result, stats, seconds)``.
    ``settings``: keyword arguments for run_scan."""
    import time

    from ..analyzers.activity import MEMO_OPTION
    from ..analyzers.activity.gitlog import Memo
    from ..analyzers.secrets_history import MEMO_OPTION as SECRETS_MEMO_OPTION
    from ..analyzers.secrets_history import HistoryMemo
    from ..engine import OUTPUT_MEMO, PATH_ANSWERS, Engine, ScanOptions
    from ..scan import config_for, run_scan
    from ..snapshot import open_snapshot

    if not commits:
        return {}
    snapshots = [open_snapshot(path, rev=commit) for commit in commits]
    config = config_for(snapshots[0], settings.get("config_path"))
    memo = Memo()
    secrets_memo = HistoryMemo()
    memos = {MEMO_OPTION: memo, SECRETS_MEMO_OPTION: secrets_memo, PATH_ANSWERS: {}, OUTPUT_MEMO: {}}
    if settings.get("use_cache", True) and len(commits) > 1:
        options = ScanOptions(
            jobs=settings.get("jobs", 0),
            cache_dir=_path(settings.get("cache_dir")),
            progress=settings.get("progress", False),
            extra=memos,
        )
        engine = Engine(config, options)
        try:
            # the newest commit's history is read into the memos meanwhile
            stats = engine.prefetch(snapshots, history_of=snapshots[0])
        finally:
            engine.close()
        echo(
            f"{len(commits)} commits to scan: {stats.files_considered} distinct files, {stats.files_analyzed} "
            f"analysed in {stats.wall:.1f} s, the others were in the cache"
        )
    results = {}
    for commit, snapshot in zip(commits, snapshots):
        started = time.perf_counter()
        result, stats, config = run_scan(
            path,
            snapshot=snapshot,
            config=config,
            options=ScanOptions(extra=memos),
            **settings,
        )
        results[commit] = (result, stats, time.perf_counter() - started)
    return results


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


def _store_month(path: str, folder: Path, stored, outcome: MonthOutcome, scanned: tuple) -> None:
    """Compare one month with the month before it and write it."""
    from .. import history
    from ..compare import add_delta
    from ..model import ScanResult

    result, _stats, seconds = scanned
    result = ScanResult.from_dict(result.to_dict())  # each month its own copy
    carried = outcome.status == "carried forward"
    outcome.seconds = seconds
    result.coverage.notes.extend(n for n in stored.notes() if n not in result.coverage.notes)
    add_delta(result, outcome.month, stored, path, carried_forward=carried)
    delta = result.sections.get("delta")
    if delta:
        outcome.counts = dict(delta["counts"])
    saved = history.save(folder, outcome.month, result, carried_forward=carried)
    stored.entries = [e for e in stored.entries if e.month != outcome.month]
    stored.entries.append(history.HistoryEntry(outcome.month, result, saved, carried_forward=carried))
    stored.entries.sort(key=lambda e: e.month)


def describe(outcome: MonthOutcome) -> str:
    commit = (outcome.commit or "")[:12].ljust(12)
    if outcome.status == "no commits yet":
        return f"{outcome.month}  {'':12}  no commits yet"
    if outcome.status == "kept":
        return f"{outcome.month}  {commit}  kept (already stored; --force rescans it)"
    if outcome.status == "unreadable":
        return f"{outcome.month}  {commit}  not replaced: the stored file cannot be read (--force replaces it)"
    line = f"{outcome.month}  {commit}  {outcome.status}"
    if outcome.status == "scanned":
        line += f" in {outcome.seconds:.1f} s"
    else:
        line += ": no commits on the branch this month, same state as the month before"
    if outcome.counts:
        c = outcome.counts
        line += f"; findings {c['new']} new, {c['fixed']} fixed, {c['open']} still open"
    return line


@click.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=str))
@click.option("--months", "-n", type=click.IntRange(1, 240), default=12, show_default=True, help="How many past months to fill.")
@click.option("--until", default=None, help="Last month to fill, YYYY-MM (default: last month).")
@click.option("--rev", default="HEAD", show_default=True, help="Branch whose history to fill (its first-parent line).")
@click.option("--force", is_flag=True, help="Rescan months that are already stored.")
@history_dir_option
@scan_options
def backfill(path, months, until, rev, force, history_dir, scan_settings) -> None:
    """Fill .archreview/history with the last N months of the repository at PATH,
    each scanned from git objects at its last commit (no checkout)."""
    outcomes = run_backfill(
        path,
        months=months,
        until=until,
        rev=rev,
        force=force,
        history_dir=history_dir,
        scan_settings=scan_settings,
        echo=click.echo,
    )
    written = sum(1 for o in outcomes if o.status in ("scanned", "carried forward"))
    if not written and not any(o.status == "kept" for o in outcomes):
        raise ArchreviewError("no month was filled: the branch has no commits in that time")
    click.echo(f"{written} months written; commit the history folder to keep it")
