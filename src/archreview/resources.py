"""Where the data shipped with archreview lives.

In a wheel, ``checks/``, ``report_templates/`` and ``examples/`` are installed inside the
package as ``archreview/_data/...``. In a source checkout (and editable
installs, which may skip hatchling's force-include) they are the top-level
folders of the repository. This is the one place that knows both.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Folder of shipped data: ``checks``, ``report_templates`` or ``examples``."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    source = _PACKAGE.parent.parent / name
    if source.is_dir():
        return source
    raise FileNotFoundError(f"archreview's {name} folder is missing from this installation")


def templates_dir() -> Path:
    return data_dir("report_templates")


def checks_dir() -> Path:
    return data_dir("checks")


def examples_dir() -> Path:
    """The files ``archreview init`` writes: the example workflow and the
    commented configuration."""
    return data_dir("examples")
