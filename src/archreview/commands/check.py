"""``archreview check``: what a pre-commit hook runs."""

from __future__ import annotations

import click

from . import FAIL_ON_LEVELS


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_LEVELS, case_sensitive=False),
    default=None,
    help="Lowest severity of a new finding that fails (default: fail_on in the configuration, else high). "
    "Secrets fail at any severity; none: never fail.",
)
@click.option("--baseline", default=None, metavar="FILE", help="Compare with this stored result (scan --format json, a history month) instead of HEAD.")
@click.option("--history", "use_history", is_flag=True, help="Compare with the newest result in .archreview/history/ instead of HEAD.")
@click.option("--config", "config_path", default=None, help="Configuration file (default: .archreview.toml or pyproject.toml).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option("--cache-dir", default=None, help="Cache folder (default: $XDG_CACHE_HOME/archreview).")
def check(files, fail_on, baseline, use_history, config_path, no_cache, cache_dir) -> int:
    """Check the staged version of FILES (default: every staged change) and fail
    on findings that are new since HEAD. Prints one line per new finding
    (path:line: rule: why it matters) and nothing when all is well."""
    from ..check import run_check
    from ..errors import EXIT_GATE_FAILED, EXIT_OK, ArchreviewError

    if baseline and use_history:
        raise ArchreviewError("--baseline and --history both name the base; give one")
    from ..gate import finding_line

    outcome = run_check(
        ".",
        list(files),
        fail_on=fail_on,
        baseline=baseline,
        history=use_history,
        config_path=config_path,
        use_cache=not no_cache,
        cache_dir=cache_dir,
    )
    for finding in sorted(outcome.failures, key=lambda f: (f.path, f.line, f.rule)):
        click.echo(finding_line(finding))
    return EXIT_GATE_FAILED if outcome.failures else EXIT_OK
