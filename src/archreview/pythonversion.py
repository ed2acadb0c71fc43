"""Which Python a project says it needs, and what that means for files the
scan's own Python cannot parse.

radon and bandit parse with the Python archreview runs on. A project written
for a newer one (``except A, B:`` is Python 3.14, ``type X = ...`` 3.12) has
files that Python cannot read: they are skipped, and the reason must say that
the code is fine and the scan's Python too old, not that the code is broken.
The project's own statement of its Python comes from, in this order:

* ``pyproject.toml``: ``[project] requires-python`` (PEP 621), or Poetry's
  ``[tool.poetry.dependencies] python``;
* ``.python-version`` (pyenv, uv): its first version line.

The lowest version a ``requires-python`` admits is its lower bound
(``>=3.14``, ``~=3.14``, ``==3.14.*``, ``^3.14``); a specifier with none
(``<4``) says nothing.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from .model import Coverage, Skipped
from .selection import is_python_path

try:  # pragma: no cover - depends on the Python version
    import tomllib
except ModuleNotFoundError:  # pragma: no cover
    import tomli as tomllib  # type: ignore[no-redef]

_VERSION_LINE = re.compile(r"^\s*(?:(?:c?python|py)-?)?(\d+)\.(\d+)(?:[.\w+-]*)\s*$", re.IGNORECASE)
_POETRY_CARET = re.compile(r"^\s*[\^~]\s*(\d+)\.(\d+)")
#: skip reasons the worker gives for a file its Python could not parse
SYNTAX_REASONS = ("syntax error at line", "needs a newer Python than")


@dataclass(frozen=True)
class Declared:
    """The oldest Python the project admits, and where it says so."""

    minimum: tuple[int, int]
    source: str  # e.g. "pyproject.toml requires-python >=3.14"

    @property
    def label(self) -> str:
        return f"{self.minimum[0]}.{self.minimum[1]}"


def running() -> tuple[int, int]:
    return sys.version_info[:2]


def declared(read_text: Callable[[str], str | None]) -> Declared | None:
    """The project's stated minimum Python, from the files ``read_text``
    gives by repository path (None: missing)."""
    text = read_text("pyproject.toml")
    if text:
        found = _from_pyproject(text)
        if found is not None:
            return found
    text = read_text(".python-version")
    if text:
        for line in text.splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                match = _VERSION_LINE.match(line)
                if match:
                    return Declared((int(match.group(1)), int(match.group(2))), f".python-version {line.strip()}")
                break
    return None


def _from_pyproject(text: str) -> Declared | None:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeError):
        return None
    project = data.get("project")
    spec = project.get("requires-python") if isinstance(project, dict) else None
    if isinstance(spec, str):
        minimum = lower_bound(spec)
        if minimum is not None:
            return Declared(minimum, f"pyproject.toml requires-python {spec.strip()}")
    poetry = data.get("tool", {}).get("poetry", {}) if isinstance(data.get("tool"), dict) else {}
    dependencies = poetry.get("dependencies") if isinstance(poetry, dict) else None
    spec = dependencies.get("python") if isinstance(dependencies, dict) else None
    if isinstance(spec, str):
        caret = _POETRY_CARET.match(spec)
        minimum = (int(caret.group(1)), int(caret.group(2))) if caret else lower_bound(spec)
        if minimum is not None:
            return Declared(minimum, f"pyproject.toml Poetry python {spec.strip()}")
    return None


def lower_bound(spec: str) -> tuple[int, int] | None:
    """The (major, minor) lower bound of a PEP 440 specifier set, or None
    when it has none."""
    try:
        specifiers = SpecifierSet(spec)
    except InvalidSpecifier:
        return None
    bounds = []
    for item in specifiers:
        if item.operator in (">=", "~=", "==", "===", ">"):
            try:
                version = Version(item.version.rstrip(".*"))
            except InvalidVersion:
                continue
            release = (*version.release, 0)
            bounds.append((release[0], release[1]))
    return max(bounds) if bounds else None


def explain_skips(coverage: Coverage, read_text: Callable[[str], str | None]) -> int:
    """Reword the skip reason of each Python file the scan's Python could
    not parse when the project says it needs a newer Python: the file is not
    broken, the scan's Python is too old for it. Adds one coverage note with
    the count; returns how many files that concerns."""
    skipped = [s for s in coverage.skipped if is_python_path(s.path) and s.reason.startswith(SYNTAX_REASONS)]
    if not skipped:
        return 0
    project = declared(read_text)
    if project is None or project.minimum <= running():
        return 0
    scan_python = ".".join(map(str, running()))
    for index, item in enumerate(coverage.skipped):
        if item in skipped:
            detail = item.reason
            if detail.startswith("needs a newer Python than"):
                detail = detail[detail.find("(") + 1 : -1] if "(" in detail else detail
            coverage.skipped[index] = Skipped(
                item.path,
                f"needs Python {project.label} ({project.source}); this scan ran on Python {scan_python}, "
                f"which cannot read it ({detail})",
            )
    coverage.notes.append(
        f"{len(skipped)} Python {'file needs' if len(skipped) == 1 else 'files need'} Python {project.label} "
        f"({project.source}) and could not be analysed on Python {scan_python}: run archreview on Python "
        f"{project.label} or newer to include {'it' if len(skipped) == 1 else 'them'}."
    )
    return len(skipped)
