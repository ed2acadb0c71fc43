"""``--format markdown``: the founder report, from ``report_templates/report.md.j2``."""

from __future__ import annotations

from . import report
from .templating import environment


def render(result, context) -> str:
    view = report.build(result, context)
    return environment().get_template("report.md.j2").render(v=view)
