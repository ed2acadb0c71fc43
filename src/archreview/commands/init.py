"""``archreview init``."""

from __future__ import annotations

import click


@click.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=str))
@click.option("--force", is_flag=True, help="Replace .archreview.toml and the workflow when they exist.")
@click.option(
    "--source",
    default=None,
    metavar="OWNER/REPOSITORY@COMMIT",
    help="archreview's GitHub repository and commit, for the workflow and the pre-commit hook "
    "(default: where archreview was installed from, when pip knows).",
)
def init(path, force, source) -> None:
    """Set up archreview in the repository at PATH: a commented .archreview.toml,
    the monthly review workflow (.github/workflows/archreview.yml) and the
    pre-commit hook (.pre-commit-config.yaml). Existing files are kept
    unless --force; the hook is added to an existing pre-commit configuration."""
    from ..scaffold import Source, init_repository, installed_source, next_steps

    chosen = Source.parse(source) if source else installed_source()
    done = init_repository(path, force=force, source=chosen)
    click.echo(next_steps(done, chosen))
