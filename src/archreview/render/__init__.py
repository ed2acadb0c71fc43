"""Output formats: one module per format, one line each here.

Each module has ``render(result: ScanResult, context: RenderContext) -> str``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

FORMATS = {
    "markdown": "archreview.render.markdown",
    "html": "archreview.render.html",
    "sarif": "archreview.render.sarif",
    "summary": "archreview.render.summary",
    "json": "archreview.render.json",
}


@dataclass
class RenderContext:
    config: Any = None
    history: list[Any] = field(default_factory=list)  # earlier ScanResults, oldest first
    options: dict[str, Any] = field(default_factory=dict)


def render(fmt: str, result, context: RenderContext | None = None) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    module = import_module(FORMATS[fmt])
    return module.render(result, context or RenderContext())
