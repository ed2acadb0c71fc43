"""Command-line options that several commands share."""

from __future__ import annotations

import click

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


def scan_options(func):
    """How files are analysed: --no-cache, --cache-dir, --jobs, --config,
    --progress, --offline, --advisory-db."""
    for option in reversed(_SCAN_OPTIONS):
        func = option(func)
    return func


history_dir_option = click.option(
    "--history-dir",
    default=None,
    help="History folder (default: .archreview/history in the repository's work tree). "
    "Needed for a bare repository or a plain folder.",
)
