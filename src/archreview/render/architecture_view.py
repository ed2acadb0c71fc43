"""How the code is organised: the paragraph of ``render/diagrams.py``, the
loops with the import to start untangling at, and the complex modules many
others depend on. Shown only when the result has an ``architecture`` section.
The package diagram (mermaid, markdown only) is drawn by :func:`diagram`."""

from __future__ import annotations

from typing import Any

from .diagrams import architecture_paragraph, package_diagram

LOOPS_SHOWN = 10
HOTSPOTS_SHOWN = 5


def _safe(function, section: dict[str, Any]) -> str | None:
    try:
        return function(section)
    except (KeyError, TypeError, AttributeError, ValueError):  # a malformed stored section must not lose the report
        return None


def part(section: Any) -> dict[str, Any] | None:
    if not isinstance(section, dict) or not section:
        return None
    loops = [c for c in section.get("cycles") or [] if isinstance(c, dict) and c.get("kind", "import") == "import"]
    loops.sort(key=lambda c: (c.get("level") != "package", -int(c.get("size") or 0)))
    rows = []
    for cycle in loops[:LOOPS_SHOWN]:
        steps = [s for s in cycle.get("steps") or [] if isinstance(s, dict)]
        first = steps[0] if steps else {}
        rows.append(
            {
                "level": cycle.get("level", ""),
                "size": cycle.get("size") or len(cycle.get("members") or []),
                "path": " → ".join(str(m) for m in cycle.get("cycle") or cycle.get("members") or []),
                "first": f"{first.get('path')}:{first.get('line')}" if first.get("path") else "",
            }
        )
    metrics = section.get("metrics") if isinstance(section.get("metrics"), dict) else {}
    hotspots = [h for h in metrics.get("hotspots") or [] if isinstance(h, dict) and h.get("path")]
    return {
        "paragraph": _safe(architecture_paragraph, section) or "",
        "loops": rows,
        "loops_left_out": max(0, len(loops) - LOOPS_SHOWN),
        "hotspots": hotspots[:HOTSPOTS_SHOWN],
    }


def diagram(section: Any) -> str:
    """Mermaid source of the package diagram, or "" when there is none."""
    return _safe(package_diagram, section) or ""
