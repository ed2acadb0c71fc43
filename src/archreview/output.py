"""Writing what a command produces."""

from __future__ import annotations

import os
from pathlib import Path

import click

from .errors import ArchreviewError


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that readers see the old or the new file, never half."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ArchreviewError(f"{path}: cannot write ({exc.strerror})") from exc


def write_output(text: str, output: str | None) -> None:
    """Write to a file atomically, or to stdout when no file (or '-') is given."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    path = Path(output)
    if not path.parent.exists():
        raise ArchreviewError(f"{output}: folder {path.parent} does not exist")
    write_atomic(path, text)
