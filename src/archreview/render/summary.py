"""``--format summary``: markdown for ``$GITHUB_STEP_SUMMARY``.

GitHub caps a step's summary at 1 MiB. The summary shows the verdict, the top
actions, the areas and findings grouped by rule (capped lists, clipped cells),
so it stays small on any repository; if it were ever over the budget, the
tables are cut further and, as a last resort, the text is cut at a line with
a note.
"""

from __future__ import annotations

from . import report
from .templating import environment

MAX_BYTES = 1024 * 1024
BUDGET = 1_000_000  # bytes we allow ourselves, under GitHub's 1 MiB
RULES = 15
SERIOUS = 50
CUT_NOTE = "\n\n_The summary was cut to stay under GitHub's 1 MiB limit; see the full report._\n"


def _render(view, change, rules: int, serious: int) -> str:
    return environment().get_template("summary.md.j2").render(
        v=view,
        changes=change,
        rules=view.rule_rows[:rules],
        rules_left_out=max(0, len(view.rule_rows) - rules) + view.rules_left_out,
        serious=view.serious[:serious],
        serious_total=len(view.serious) + view.serious_left_out,
    )


def fit(text: str, budget: int = BUDGET) -> str:
    """``text`` cut at a line boundary so that it and the note fit in ``budget`` bytes."""
    data = text.encode("utf-8")
    if len(data) <= budget:
        return text
    room = budget - len(CUT_NOTE.encode("utf-8"))
    cut = data[:room].decode("utf-8", "ignore")
    cut = cut[: cut.rfind("\n")] if "\n" in cut else cut
    return cut + CUT_NOTE


def render(result, context) -> str:
    view = report.build(result, context)
    change = view.changes
    rules, serious = RULES, SERIOUS
    while True:
        text = _render(view, change, rules, serious)
        if len(text.encode("utf-8")) <= BUDGET or (rules == 0 and serious == 0):
            return fit(text)
        rules, serious = rules // 2, serious // 2
