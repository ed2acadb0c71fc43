"""How the code is organised: the package diagram and paragraph that
``render/diagrams.py`` draws from the ``architecture`` section, shown only
when that section exists."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .formatting import count_text

DIAGRAM_FUNCTIONS = ("package_diagram", "mermaid_flowchart", "flowchart")
PARAGRAPH_FUNCTIONS = ("architecture_paragraph", "plain_paragraph", "paragraph")


def _call(module, names: tuple[str, ...], section: dict[str, Any]) -> str | None:
    for name in names:
        function = getattr(module, name, None)
        if callable(function):
            try:
                value = function(section)
            except Exception:  # noqa: BLE001 - a drawing problem must not lose the report
                return None
            return value if isinstance(value, str) and value.strip() else None
    return None


def _fallback_paragraph(section: dict[str, Any]) -> str:
    packages = section.get("packages") or []
    loops = [c for c in section.get("cycles") or [] if isinstance(c, dict) and c.get("level") == "package"]
    text = f"The code is organised in {count_text(len(packages), 'part')}."
    if loops:
        text += f" {count_text(len(loops), 'group')} of parts depend on each other in a loop, which makes changes there risky."
    return text


def part(section: Any) -> dict[str, Any] | None:
    """``{"paragraph", "mermaid", "loops"}`` or None when there is no section."""
    if not isinstance(section, dict) or not section:
        return None
    try:
        diagrams = import_module("archreview.render.diagrams")
    except ImportError:
        diagrams = None
    paragraph = _call(diagrams, PARAGRAPH_FUNCTIONS, section) if diagrams else None
    mermaid = _call(diagrams, DIAGRAM_FUNCTIONS, section) if diagrams else None
    loops = []
    for cycle in section.get("cycles") or []:
        if isinstance(cycle, dict) and cycle.get("level") == "package" and cycle.get("kind", "import") == "import":
            members = [str(m) for m in cycle.get("members") or []]
            path = [str(m) for m in cycle.get("cycle") or members]
            loops.append({"members": members, "path": " → ".join(path)})
    return {
        "paragraph": paragraph or _fallback_paragraph(section),
        "mermaid": mermaid or "",
        "loops": loops[:10],
        "loops_left_out": max(0, len(loops) - 10),
    }
