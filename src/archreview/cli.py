"""Command line: a click group; each command lives in ``commands/<name>.py``
and is registered by one line in COMMANDS."""

from __future__ import annotations

import os
import sys
from importlib import import_module

import click

from . import __version__
from .errors import EXIT_ERROR, EXIT_INTERRUPTED, ArchreviewError

COMMANDS = (
    "archreview.commands.scan:scan",
    "archreview.commands.check:check",
    "archreview.commands.init:init",
    "archreview.commands.backfill:backfill",
    "archreview.commands.report:report",
)


def fail(message: str, code: int = EXIT_ERROR) -> None:
    click.echo(f"archreview: error: {message}", err=True)
    sys.exit(code)


class _Group(click.Group):
    def main(self, *args, **kwargs):  # one line on stderr, never a traceback
        try:
            return super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.Abort:
            fail("interrupted", EXIT_INTERRUPTED)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except ArchreviewError as exc:
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", EXIT_INTERRUPTED)
        except Exception as exc:  # noqa: BLE001
            if os.environ.get("ARCHREVIEW_DEBUG"):
                raise
            fail(f"internal error: {type(exc).__name__}: {exc} (set ARCHREVIEW_DEBUG=1 for details)")


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="archreview")
def cli() -> None:
    """A monthly architecture and risk review of a Python codebase."""


for _spec in COMMANDS:
    _module, _, _name = _spec.partition(":")
    cli.add_command(getattr(import_module(_module), _name))


def main() -> None:
    result = cli.main(prog_name="archreview")
    if isinstance(result, int):
        sys.exit(result)
