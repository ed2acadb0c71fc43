"""``--format html``: the founder report as one self-contained page.

Inline CSS and inline SVG charts only: no scripts, fonts, images or style
sheets from anywhere else, so the file opens offline, can be mailed as is and
prints on A4 (the appendix starts on a new page).
"""

from __future__ import annotations

from markupsafe import Markup

from ..scoring import MINUTES_PER_DAY
from . import report
from .charts import area_debt_svg, debt_trend_svg
from .templating import environment


def render(result, context) -> str:
    view = report.build(result, context)
    areas = view.scores["areas"]
    area_rows = [
        (row.name, areas[row.area]["minutes"] / MINUTES_PER_DAY, row.grade)
        for row in view.areas
    ]
    return environment(autoescape=True).get_template("report.html.j2").render(
        v=view,
        trend_svg=Markup(debt_trend_svg(view.chart, width=420, height=200)) if len(view.chart) >= 2 else "",
        area_svg=Markup(area_debt_svg(area_rows, width=420)),
    )
