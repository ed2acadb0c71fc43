"""``archreview scan``."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import EXIT_GATE_FAILED, EXIT_OK, ArchreviewError
from ..output import write_output
from . import FAIL_ON_LEVELS
from .options import format_option, history_dir_option, scan_options


@click.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=str))
@click.option("--rev", default=None, help="Revision to scan (default: HEAD). Read from git objects, no checkout.")
@click.option("--worktree", is_flag=True, help="Scan the work tree as it is, uncommitted changes included.")
@format_option
@click.option("--output", "-o", default=None, help="Write to this file instead of stdout.")
@scan_options
@click.option("--profile", is_flag=True, help="Print where the time went (CPU seconds per stage, slowest files) on stderr.")
@click.option(
    "--save",
    is_flag=True,
    help="Store the result as the month's history file, .archreview/history/YYYY-MM.json (replaces that month's file).",
)
@history_dir_option
@click.option(
    "--month",
    default=None,
    help="Month the saved result describes, YYYY-MM (default: the month of the scanned commit's date, UTC).",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_LEVELS, case_sensitive=False),
    default=None,
    help="Exit 1 when a finding is at or above this severity (secrets: any severity); the report is written first.",
)
@click.option(
    "--baseline",
    default=None,
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=str),
    help="Only findings not in this stored result (scan --format json, a history month) count for --fail-on.",
)
def scan(path, rev, worktree, fmt, output, scan_settings, profile, save, history_dir, month, fail_on, baseline) -> int:
    """Scan the repository at PATH (default: the current folder).

    When the repository keeps a history (.archreview/history), the result
    gains a `delta` section against the latest earlier month.

    Exit codes: 0 done (and the gate passed), 1 the --fail-on gate failed,
    2 the scan could not run."""
    from ..render import RenderContext, render
    from ..scan import run_scan

    if save and worktree:
        raise ArchreviewError("--save stores committed states only; commit your changes, or scan without --worktree")
    if month is not None:
        if not save:
            raise ArchreviewError("--month only applies with --save")
        from ..history import check_month

        check_month(month)
    store = _history_folder(path, history_dir, required=save)

    result, stats, config = run_scan(path, rev=rev, worktree=worktree, **scan_settings)
    earlier = _compare_and_save(path, result, store, month, save) if store is not None else []
    write_output(render(fmt, result, RenderContext(config=config, history=earlier)), output)
    if profile:
        from ..profile import format_profile

        click.echo(format_profile(stats), err=True)
    if fail_on or baseline:
        from ..gate import scan_gate

        failed = scan_gate(result, config, path, fail_on, baseline)
        if failed:
            click.echo(f"archreview: {failed}", err=True)
            return EXIT_GATE_FAILED
    return EXIT_OK


def _compare_and_save(path: str, result, store: Path, month: str | None, save: bool) -> list:
    """Add the delta against the stored months, save when asked; returns the
    earlier months' results, oldest first, for the renderers."""
    from .. import history
    from ..compare import add_delta

    described = history.month_of_result(result)
    month = month or described
    if month < described:
        raise ArchreviewError(f"the scanned commit is from {described}, so it cannot describe the earlier month {month}")
    stored = history.load(store)
    result.coverage.notes.extend(stored.notes())
    result.sections["history"] = history.header(month)
    add_delta(result, month, stored, path)
    if save:
        saved = history.save(store, month, result)
        click.echo(f"archreview: saved {month} to {saved}", err=True)
    return [e.result for e in stored.entries if e.month < month]


def _history_folder(path: str, history_dir: str | None, required: bool) -> Path | None:
    """Where this repository keeps its history; None when it has none and
    none is needed."""
    from .. import history

    if history_dir is not None:
        return Path(history_dir)
    if not Path(path).exists():
        return None  # the scan says so
    if required:
        return history.history_dir(path)
    try:
        folder = history.history_dir(path)
    except ArchreviewError:
        return None
    return folder if folder.is_dir() else None
