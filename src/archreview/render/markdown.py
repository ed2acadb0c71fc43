"""``--format markdown``: the founder report, from ``report_templates/report.md.j2``.

The two mermaid charts (the debt per month and the package diagram) are drawn
here, as ``render/html.py`` draws its SVG charts: only this format shows them.
"""

from __future__ import annotations

from . import architecture_view, report
from .formatting import nice_ceiling
from .templating import environment


def mermaid_trend(points: list[tuple[str, float]]) -> str:
    """A mermaid ``xychart-beta`` bar chart of the debt per month."""
    top = max((v for _, v in points), default=0)
    ceiling = nice_ceiling(top * 1.15)
    labels = ", ".join(f'"{label}"' for label, _ in points)
    values = ", ".join(f"{v:g}" for _, v in points)
    return "\n".join(
        [
            "xychart-beta",
            '    title "Debt in developer-days"',
            f"    x-axis [{labels}]",
            f'    y-axis "Developer-days" 0 --> {ceiling:g}',
            f"    bar [{values}]",
            f"    line [{values}]",
        ]
    )


def render(result, context) -> str:
    view = report.build(result, context)
    return environment().get_template("report.md.j2").render(
        v=view,
        trend_mermaid=mermaid_trend(view.chart) if len(view.chart) >= 2 else "",
        package_mermaid=architecture_view.diagram(result.sections.get("architecture")) if view.architecture else "",
    )
