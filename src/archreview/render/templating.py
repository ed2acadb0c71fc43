"""The Jinja2 environment shared by the template-based formats."""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..resources import templates_dir


def md_cell(value) -> str:
    """Text safe inside a markdown table cell."""
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("`", "'")


def thousands(value) -> str:
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


def environment(autoescape: bool = False) -> Environment:
    """Markdown templates escape with ``md_cell``; HTML ones (autoescape=True) by Jinja."""
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md_cell"] = md_cell
    env.filters["thousands"] = thousands
    return env
