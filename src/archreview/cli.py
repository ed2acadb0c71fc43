"""Command line. Each command is a thin function over the library."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import EXIT_ERROR, ArchreviewError

FORMATS = ("markdown", "json")


def _fail(message: str, code: int = EXIT_ERROR) -> None:
    click.echo(f"archreview: error: {message}", err=True)
    sys.exit(code)


def write_output(text: str, output: str | None) -> None:
    """Write to a file atomically (temp + rename), or to stdout."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    path = Path(output)
    if not path.parent.exists():
        raise ArchreviewError(f"{output}: folder {path.parent} does not exist")
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ArchreviewError(f"{output}: cannot write ({exc.strerror})") from exc


class _Group(click.Group):
    def main(self, *args, **kwargs):  # one line, never a traceback
        try:
            return super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.Abort:
            _fail("interrupted")
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except ArchreviewError as exc:
            _fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted")
        except Exception as exc:  # noqa: BLE001
            if os.environ.get("ARCHREVIEW_DEBUG"):
                raise
            _fail(f"internal error: {type(exc).__name__}: {exc} (set ARCHREVIEW_DEBUG=1 for details)")


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="archreview")
def cli() -> None:
    """A monthly architecture and risk review of a Python codebase."""


@cli.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=str))
@click.option("--rev", default=None, help="Revision to scan (default: HEAD). Read from git objects, no checkout.")
@click.option("--worktree", is_flag=True, help="Scan the work tree as it is, uncommitted changes included.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="markdown", show_default=True)
@click.option("--output", "-o", default=None, help="Write to this file instead of stdout.")
@click.option("--no-cache", is_flag=True, help="Analyse every file again; neither read nor write the cache.")
@click.option("--cache-dir", default=None, help="Cache folder (default: $XDG_CACHE_HOME/archreview).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, help="Worker processes (default: one per CPU).")
@click.option("--config", "config_path", default=None, help="Configuration file (default: .archreview.toml or pyproject.toml).")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: on a terminal, not in CI).")
@click.option("--profile", is_flag=True, help="Print where the time went (CPU seconds per stage, slowest files) on stderr.")
def scan(path, rev, worktree, fmt, output, no_cache, cache_dir, jobs, config_path, progress, profile) -> None:
    """Scan the repository at PATH (default: the current folder)."""
    from . import progress as progress_mod
    from .render import RenderContext, render
    from .scan import run_scan

    result, stats, config = run_scan(
        path,
        rev=rev,
        worktree=worktree,
        use_cache=not no_cache,
        cache_dir=cache_dir,
        jobs=jobs,
        config_path=config_path,
        progress=progress_mod.wanted(progress),
    )
    write_output(render(fmt, result, RenderContext(config=config)), output)
    if profile:
        from .profile import format_profile

        click.echo(format_profile(stats), err=True)


def main() -> None:
    cli.main(prog_name="archreview")
