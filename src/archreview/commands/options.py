"""Command-line options that several commands share."""

from __future__ import annotations

import functools

import click

from ..render import FORMATS

_SCAN_OPTIONS = (
    click.option("--no-cache", is_flag=True, help="Analyse every file again; neither read nor write the cache."),
    click.option("--cache-dir", default=None, help="Cache folder (default: $XDG_CACHE_HOME/archreview)."),
    click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, help="Worker processes (default: one per CPU)."),
    click.option(
        "--config", "config_path", default=None, help="Configuration file (default: .archreview.toml or pyproject.toml)."
    ),
    click.option(
        "--progress/--no-progress", default=None, help="Progress bar on stderr (default: on a terminal, not in CI)."
    ),
    click.option("--offline", is_flag=True, help="Use no network: no package index lookups, no online vulnerability service."),
    click.option(
        "--advisory-db",
        default=None,
        metavar="DIR",
        type=click.Path(exists=True, file_okay=False, path_type=str),
        help="Audit dependencies against this local OSV advisory database (YAML or JSON files) instead of an online service.",
    ),
)
_SCAN_NAMES = ("no_cache", "cache_dir", "jobs", "config_path", "progress", "offline", "advisory_db")


def scan_options(func):
    """How files are analysed: --no-cache, --cache-dir, --jobs, --config,
    --progress, --offline, --advisory-db. The command receives them as one
    argument, ``scan_settings``: keyword arguments for ``archreview.scan.run_scan``."""

    @functools.wraps(func)
    def command(*args, **kwargs):
        from .. import progress as progress_mod

        given = {name: kwargs.pop(name) for name in _SCAN_NAMES}
        kwargs["scan_settings"] = {
            "use_cache": not given["no_cache"],
            "cache_dir": given["cache_dir"],
            "jobs": given["jobs"],
            "config_path": given["config_path"],
            "progress": progress_mod.wanted(given["progress"]),
            "offline": given["offline"],
            "advisory_db": given["advisory_db"],
        }
        return func(*args, **kwargs)

    for option in reversed(_SCAN_OPTIONS):
        command = option(command)
    return command


format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default="markdown",
    show_default=True,
    help="markdown: the founder report; html: the same as one printable page; sarif: for GitHub code scanning; "
    "summary: for $GITHUB_STEP_SUMMARY; json: the result itself.",
)

history_dir_option = click.option(
    "--history-dir",
    default=None,
    help="History folder (default: .archreview/history in the repository's work tree). "
    "Needed for a bare repository or a plain folder.",
)
