"""``archreview report``: render a report from stored history, no rescanning."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import ArchreviewError
from ..output import write_output
from .options import format_option


@click.command()
@click.option(
    "--from",
    "source",
    default=".archreview/history",
    show_default=True,
    type=click.Path(path_type=str),
    help="History folder (or one stored month's file) to report from.",
)
@click.option("--month", default=None, help="Month to report on, YYYY-MM (default: the latest stored).")
@format_option
@click.option("--output", "-o", default=None, help="Write to this file instead of stdout.")
@click.option("--config", "config_path", default=None, help="Configuration file (default: the repository's, if any).")
def report(source, month, fmt, output, config_path) -> None:
    """Render the report for a stored month, with what changed since the month
    before. Nothing is scanned: the result comes from the history."""
    from .. import history
    from ..compare import add_delta
    from ..config import load_config
    from ..render import RenderContext, render

    path = Path(source)
    if path.is_file():
        folder, month = path.parent, month or path.stem
    elif path.is_dir():
        folder = path
    else:
        raise ArchreviewError(f"{source}: no such history folder or file")
    stored = history.load(folder)
    if month is not None:
        history.check_month(month)
    if not stored.entries:
        why = f" ({'; '.join(stored.problems)})" if stored.problems else ""
        raise ArchreviewError(f"{folder}: no readable month in this history{why}")
    entry = stored.get(month) if month else stored.entries[-1]
    if entry is None:
        if month in stored.unreadable:
            problem = next(p for p in stored.problems if p.startswith(f"{month}.json"))
            raise ArchreviewError(f"{folder}: {problem}")
        raise ArchreviewError(f"{folder}: no stored result for {month}")
    result = entry.result
    result.coverage.notes.extend(n for n in stored.notes() if n not in result.coverage.notes)
    # compare again with what is stored now (an earlier month may have been rescanned since)
    result.sections.pop("delta", None)
    add_delta(result, entry.month, stored, folder, carried_forward=entry.carried_forward)
    config = load_config(_work_tree_of(folder), None, config_path)
    earlier = [e.result for e in stored.entries if e.month < entry.month]
    write_output(render(fmt, result, RenderContext(config=config, history=earlier)), output)


def _work_tree_of(folder: Path) -> Path | None:
    """The work tree a ``.archreview/history`` folder belongs to, if any."""
    folder = folder.resolve()
    if folder.name == "history" and folder.parent.name == ".archreview":
        return folder.parent.parent
    return None
