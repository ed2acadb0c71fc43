"""``archreview scan``."""

from __future__ import annotations

import click

from ..output import write_output
from ..render import FORMATS


@click.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=str))
@click.option("--rev", default=None, help="Revision to scan (default: HEAD). Read from git objects, no checkout.")
@click.option("--worktree", is_flag=True, help="Scan the work tree as it is, uncommitted changes included.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default="markdown",
    show_default=True,
    help="markdown: the founder report; html: the same as one printable page; sarif: for GitHub code scanning; "
    "summary: for $GITHUB_STEP_SUMMARY; json: the result itself.",
)
@click.option("--output", "-o", default=None, help="Write to this file instead of stdout.")
@click.option("--no-cache", is_flag=True, help="Analyse every file again; neither read nor write the cache.")
@click.option("--cache-dir", default=None, help="Cache folder (default: $XDG_CACHE_HOME/archreview).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, help="Worker processes (default: one per CPU).")
@click.option("--config", "config_path", default=None, help="Configuration file (default: .archreview.toml or pyproject.toml).")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: on a terminal, not in CI).")
@click.option("--profile", is_flag=True, help="Print where the time went (CPU seconds per stage, slowest files) on stderr.")
@click.option("--offline", is_flag=True, help="Use no network: no package index lookups, no online vulnerability service.")
@click.option(
    "--advisory-db",
    default=None,
    metavar="DIR",
    type=click.Path(exists=True, file_okay=False, path_type=str),
    help="Audit dependencies against this local OSV advisory database (YAML or JSON files) instead of an online service.",
)
def scan(path, rev, worktree, fmt, output, no_cache, cache_dir, jobs, config_path, progress, profile, offline, advisory_db) -> None:
    """Scan the repository at PATH (default: the current folder)."""
    from .. import progress as progress_mod
    from ..render import RenderContext, render
    from ..scan import run_scan

    result, stats, config = run_scan(
        path,
        rev=rev,
        worktree=worktree,
        use_cache=not no_cache,
        cache_dir=cache_dir,
        jobs=jobs,
        config_path=config_path,
        progress=progress_mod.wanted(progress),
        offline=offline,
        advisory_db=advisory_db,
    )
    write_output(render(fmt, result, RenderContext(config=config)), output)
    if profile:
        from ..profile import format_profile

        click.echo(format_profile(stats), err=True)
