"""The founder report in markdown, on stored real results: its parts, its
reading level, its length, the trend chart, the plan follow-up, and what it
says when an analyzer did not run."""

from __future__ import annotations

import copy
import re

import pytest
import textstat
from markdown_it import MarkdownIt
from resultdata import load, with_history, without_sections

from archreview.config import parse_config
from archreview.render import RenderContext, render
from archreview.scoring import score

PARTS = (
    "## 1. Verdict",
    "## 2. Top 3 actions",
    "## 3. What changed since last month",
    "## 4. Health by area",
    "## 5. Running in production",
    "## 6. Libraries and outside services",
    "## 7. Plan for the next 90 days",
    "## Appendix",
)


def markdown(result, history=(), **config):
    return render("markdown", result, RenderContext(config=parse_config(config, "test"), history=list(history)))


def main_part(text: str) -> str:
    return text.split("\n## Appendix")[0]


def prose_by_part(text: str) -> dict[str, str]:
    """The prose of parts 1-7: paragraphs, list items and the "In plain words"
    column, each list item or cell read as its own sentence; tables of paths,
    code blocks and headings left out."""
    out = {}
    for part in re.split(r"\n## ", main_part(text))[1:]:
        title, _, body = part.partition("\n")
        body = re.sub(r"```.*?```", "", body, flags=re.S)
        units = []
        for line in body.splitlines():
            line = line.strip()
            if line.startswith("| ") and title.startswith("4.") and not line.startswith("| Area"):
                line = line.split("|")[4].strip()  # In plain words
            elif not line or line.startswith(("|", "#", "---")) or re.fullmatch(r"\*\*[^*]+\*\*", line):
                continue
            line = re.sub(r"^(?:[-*]|\d+\.)\s+", "", line)
            line = re.sub(r"\*\*|`", "", line).strip()
            if line and line[-1] not in ".!?:":
                line += "."
            units.append(line)
        out[title] = " ".join(units)
    return out


def test_every_grade_is_traced_in_the_appendix():
    result = load("midsize.json")
    scores = score(result)
    appendix = markdown(result).split("### Appendix G. Method and scoring")[1]
    assert "| Passwords and keys | E | worst open finding is critical | 1 | 120 | under 0.1 % |" in appendix
    assert "| Running in production | B | readiness checklist (72.5 % in place) |" in appendix
    total = scores["debt"]["minutes"]
    assert f"| Overall | D | one grade better than the weakest area (secrets: E) | 146 | {total:,} | 0.6 % |" in appendix
    assert "| Running in production | B | readiness checklist (72.5 % in place) | 4 | 1,920 | own scale |" in appendix
    assert f"Debt is the sum: {total:,} minutes." in appendix
    assert "where lines are the 61,113 source lines of code (sloc) of the analysed product files" in appendix


def test_coverage_names_the_checks_with_their_versions_not_as_counts():
    result = load("midsize.json")
    coverage = markdown(result).split("### Appendix E. Coverage")[1]
    assert "Checks that ran: activity (version 1), architecture (version 1)," in coverage


def test_readiness_row_names_only_main_safety_nets_as_missing_and_says_so():
    result = load("midsize.json")
    row = next(line for line in markdown(result).splitlines() if line.startswith("| Running in production |"))
    items = result.sections["readiness"]
    present = sum(1 for i in items if i["status"] == "present")
    assert f"{present} of {len(items)} safety nets found. The main ones missing: backups, alerts to a person" in row


def test_the_eight_parts_in_order():
    text = markdown(load("midsize.json"))
    positions = [text.index(part) for part in PARTS]
    assert positions == sorted(positions)
    for appendix in ("A. Findings by rule", "B. Most complex functions", "C. Readiness checklist",
                     "D. Libraries with known security holes", "E. Coverage", "G. Method and scoring"):
        assert f"### Appendix {appendix}" in text


@pytest.mark.parametrize("case", ["midsize with history", "midsize first month", "clean", "large"])
def test_prose_reads_at_flesch_50_or_more(case):
    if case == "midsize with history":
        result, history = with_history()
    else:
        result, history = load({"clean": "clean.json", "large": "large.json.gz"}.get(case, "midsize.json")), []
    parts = prose_by_part(markdown(result, history))
    assert len(parts) == 7
    for title, text in parts.items():
        assert len(text.split()) >= 5, title
        assert textstat.flesch_reading_ease(text) >= 50, (title, text)


def test_verdict_names_grade_trend_and_biggest_risk_in_business_terms():
    result, history = with_history()
    text = markdown(result, history)
    verdict = text.split("## 1. Verdict")[1].split("## 2.")[0]
    assert "**Grade D** (↓ worse)" in verdict
    assert "worse than the B of July 2026" in verdict
    assert "The biggest risk: anyone who can read the code can use the keys written in it" in verdict
    days = score(result)["debt"]["days"]
    assert f"about {round(days)} developer-days" in verdict


def test_top_actions_say_what_why_effort_and_done():
    text = markdown(load("midsize.json"))
    part = text.split("## 2. Top 3 actions")[1].split("## 3.")[0]
    assert part.count("   - Why it matters: ") == 3
    assert part.count("   - Effort: ") == 3
    assert part.count("   - Done when: ") == 3
    assert "1. **Remove 1 password or key from the code and replace it**" in part
    assert "Effort: about 2 hours (0.25 days)" in part


def test_about_two_pages_before_the_appendix():
    result, history = with_history()
    main = main_part(markdown(result, history))
    assert main.count("```mermaid") == 2  # the debt trend and the package diagram
    words = len(re.sub(r"```.*?```", "", main, flags=re.S).split())
    assert words <= 1250  # two printed pages with the charts; the HTML report is printed in a browser in test_report_html
    assert len(main_part(markdown(load("clean.json"))).split()) <= 400


def test_tables_render_with_the_right_number_of_cells():
    parser = MarkdownIt("commonmark").enable("table")
    result, history = with_history()
    for text, least in ((markdown(result, history), 10), (markdown(load("large.json.gz")), 4), (markdown(load("clean.json")), 2)):
        tokens = parser.parse(text)
        tables = 0
        row_cells: list[int] = []
        for token in tokens:
            if token.type == "table_open":
                tables += 1
                row_cells = []
            elif token.type == "tr_open":
                row_cells.append(0)
            elif token.type in ("th_open", "td_open"):
                row_cells[-1] += 1
            elif token.type == "table_close":
                assert len(set(row_cells)) == 1, row_cells
        assert tables >= least
        html = parser.render(text)
        assert html.count("<h2>") >= 8


def test_debt_trend_chart_over_the_stored_months():
    result, history = with_history()
    text = markdown(result, history)
    block = re.search(r"```mermaid\n(xychart-beta\n.*?)```", text, flags=re.S).group(1)
    lines = block.splitlines()
    assert lines[0] == "xychart-beta"
    labels = re.findall(r'"([^"]+)"', next(line for line in lines if "x-axis" in line))
    bars = next(line for line in lines if line.strip().startswith("bar ["))
    values = [float(v) for v in re.findall(r"[\d.]+", bars)]
    assert labels == ["Jun 2026", "Jul 2026", "Aug 2026"]
    expected = [round(score(r)["debt"]["minutes"] / 480, 1) for r in [*history, result]]
    assert values == expected
    top = float(re.search(r"0 --> ([\d.]+)", block).group(1))
    assert top >= max(values)
    assert "Since July 2026: 2 new problems, 6 fixed and 144 still open." in text


def test_first_month_is_a_baseline():
    text = markdown(load("midsize.json"))
    assert "```mermaid\nxychart-beta" not in text
    assert "This is the first review" in text and "baseline" in text
    assert "| Code complexity | **A** | baseline |" in text


def test_next_month_marks_last_months_plan():
    result, history = with_history()
    text = markdown(result, history)
    part = text.split("## 7.")[1].split("\n## Appendix\n")[0]
    assert "Of the 12 items planned in July 2026, none is done and two are partly done." in part
    assert "| Simplify the 8 most tangled functions | Partly done (4 of 8 fixed) |" in part
    assert "| Set up regular backups and test a restore | Not done |" in part


def test_clean_repository_gets_a_short_honest_report():
    text = markdown(load("clean.json"))
    assert "**Grade A**" in text
    assert "We checked 313 lines of product code and found nothing that needs fixing." in text
    assert "This review looked at code complexity and security of the code only." in text
    assert "## 2. What to do next" in text and "Top 3 actions" not in text
    assert "There is nothing to plan this month." in text
    assert "The readiness checklist did not run" in text


def test_large_repository_report_groups_by_rule_and_links_the_appendix():
    result = load("large.json.gz")
    text = markdown(result)
    assert len(result.findings) == 3216
    assert len(text) < 60_000
    assert "| `security.B101` | security | low | 2,600 |" in text
    assert "and 2,597 more |" in text
    appendix = text.split("\n## Appendix\n")[1]
    serious_rows = [line for line in appendix.splitlines() if line.startswith(("| high |", "| medium |"))]
    assert len(serious_rows) == 30
    assert "48 more in the JSON result" in appendix
    assert "(#appendix-a-findings-by-rule)" in main_part(text)
    # the plan stays readable: at most 25 findings behind one item
    assert "(the worst 25 of 2,600)" in text


def test_missing_sections_are_said_to_be_missing():
    result = without_sections(load("midsize.json"), "readiness", "vendors", "dependencies", "architecture", "activity", "delta", "secrets")
    text = markdown(result)
    assert "The readiness checklist did not run" in text
    assert "The check of outside libraries did not run this time." in text
    assert "The list of outside services was not made this time." in text
    assert "How the code is organised" not in text
    assert "Not checked this time: passwords and keys, outside libraries, running in production, structure, team and change." in text


def test_empty_sections_do_not_break_the_report():
    result = copy.deepcopy(load("midsize.json"))
    for key in ("readiness", "vendors", "dependencies", "dependency_files"):
        result.sections[key] = []
    result.sections["activity"] = {}
    result.sections["architecture"] = {"packages": [], "cycles": []}
    result.findings = [f for f in result.findings if f.area not in ("dependencies", "readiness")]
    text = markdown(result)
    assert "We found no list of outside libraries in the repository." in text
    assert "We found no outside services such as payments, e-mail or cloud providers in the code." in text
    assert "## 7. Plan" in text


def test_header_names_client_and_reviewer():
    text = markdown(load("midsize.json"), client="Acme Shop Ltd", reviewer="Jane Doe")
    assert text.startswith("# Architecture and risk review: Acme Shop Ltd\n")
    assert "August 2026 review of saleor · revision 723cd4eba87d of 2026-08-21 · reviewed by Jane Doe" in text


def test_money_uses_the_day_rate_and_says_when_it_is_the_default():
    result = load("midsize.json")
    default = markdown(result)
    assert "Money is developer-days at 800 USD a day, the default rate." in default
    debt = score(result)["debt"]
    days = debt["minutes"] / 480
    assert f"Money: {days:g} days × 800 USD (the default rate) = {days * 800:,.0f} USD, rounded in the report." in default
    own = markdown(result, day_rate=650, currency="EUR")
    assert f"({round(days * 650, -3):,.0f} EUR)" in own
    assert "Money is developer-days at 650 EUR a day." in own


def test_architecture_part_only_when_the_section_exists():
    from archreview.render.diagrams import architecture_paragraph

    result = load("midsize.json")
    text = markdown(result)
    part = text.split("### How the code is organised")[1].split("## 5.")[0]
    assert architecture_paragraph(result.sections["architecture"]) in part
    assert "depend on each other in a loop" in part
    diagram = re.search(r"```mermaid\n(flowchart LR\n.*?)```", part, flags=re.S).group(1)
    assert "saleor.checkout" in diagram and "linkStyle" in diagram  # the loops are drawn in red
    appendix = text.split("### Appendix F. Structure")[1].split("### Appendix G")[0]
    assert "| package | 3 | saleor.checkout → saleor.order → saleor.payment → saleor.checkout | `saleor/checkout/complete_checkout.py:40` |" in appendix
    assert "- `saleor/order/actions.py`: complexity 212; used by 18, uses 27 other modules" in appendix
    without = markdown(without_sections(result, "architecture"))
    assert "How the code is organised" not in without and "flowchart" not in without
    assert "The structure check did not run." in without


def test_verdict_says_when_files_written_for_a_newer_python_are_left_out():
    result = load("midsize.json")
    verdict = markdown(result).split("## 1. Verdict")[1].split("## 2.")[0]
    assert "could not read 3 Python files written for a newer Python than Python 3.11 it ran on, so the grades leave them out." in verdict
    for skipped in result.coverage.skipped:
        if skipped.reason.startswith("needs a newer Python"):
            skipped.reason = "needs Python 3.14 (pyproject.toml requires-python >=3.14); this scan ran on Python 3.11, which cannot read it (syntax error at line 2)"
    verdict = markdown(result).split("## 1. Verdict")[1].split("## 2.")[0]
    assert "could not read 3 Python files written for Python 3.14 (it ran on Python 3.11), so the grades leave them out; run it on Python 3.14 to include them." in verdict
    result.coverage.skipped = [s for s in result.coverage.skipped if not s.reason.startswith("needs")]
    assert "could not read" not in markdown(result).split("## 2.")[0]


def test_libraries_checked_against_old_advisory_data_say_so():
    result = load("midsize.json")
    result.findings = [f for f in result.findings if f.rule != "deps.vulnerable"]
    for row in result.sections["dependencies"]:
        row["vulns"] = []
    text = markdown(result)
    assert "None of them has a known security hole." in text and "copy of the advisory data" not in text
    result.sections["advisory_data"] = {"source": "the local advisory database", "newest": "2024-10-10", "age_days": 400, "old": True}
    text = markdown(result)
    assert (
        "None of them has a known security hole. They were checked against a copy of the advisory data that ends in "
        "October 2024: holes published since then are not in it, so check again with current data before relying on this."
    ) in text
    result.sections["advisory_data"]["old"] = False
    assert "copy of the advisory data" not in markdown(result)


def test_libraries_named_only_by_a_range_are_not_said_to_be_free_of_holes():
    result = load("midsize.json")
    result.findings = [f for f in result.findings if f.rule != "deps.vulnerable"]
    rows = result.sections["dependencies"]
    for i, row in enumerate(rows):
        row["vulns"] = [] if i % 3 == 0 else None
    audited = {r["name"] for r in rows if r["vulns"] is not None}
    unaudited = {r["name"] for r in rows if r["vulns"] is None} - audited
    assert audited and unaudited
    text = markdown(result)
    assert "None of them has a known security hole." not in text
    assert (
        f"Of the {len(audited)} libraries whose version we could check, none has a known security hole; "
        f"the other {len(unaudited)} have no exact version anywhere and were not checked"
    ) in text


def test_a_folder_without_a_lock_file_beside_one_that_has_it_is_named():
    from archreview.model import Finding

    result = load("midsize.json")
    no_lock = Finding(
        rule="deps.no-lockfile", area="dependencies", severity="medium", path="backend/requirements.txt", line=0,
        message="No lockfile", plain="", effort_minutes=60, basis="no-lockfile backend", extra={"folder": "backend"},
    )
    result.findings = [f for f in result.findings if f.rule != "deps.no-lockfile"] + [no_lock]
    result.sections["dependency_files"] = [
        {"path": "uv.lock", "format": "uv.lock", "count": 300, "lock": True},
        {"path": "backend/requirements.txt", "format": "requirements", "count": 12, "lock": False},
    ]
    text = markdown(result)
    assert "There is no lock file" not in text
    assert (
        "The libraries listed in backend have no lock file (uv.lock does not cover them), so each install there "
        "may get other versions."
    ) in text
    result.sections["dependency_files"] = result.sections["dependency_files"][1:]
    assert "There is no lock file, so each install may get other versions." in markdown(result)


def test_knowledge_loss_is_told_by_the_whole_measure_not_the_files_that_became_findings():
    result = load("midsize.json")
    lost = [f for f in result.findings if f.rule == "activity.knowledge-loss"]
    assert len(lost) == 1
    result.sections["activity"]["knowledge_loss"] = {
        "inactive_months": 6, "sloc": 7946, "share": 0.382, "files": [], "authors": [],
    }
    text = markdown(result)
    assert "The main authors of 38 % of the product code (7,946 lines) have made no commit for 6 months or more." in text
    assert "The authors of 1 file have left." not in text


def test_a_library_unpinned_in_two_files_is_one_library():
    from archreview.model import Finding

    def unpinned(package, path):
        return Finding(
            rule="deps.unpinned", area="dependencies", severity="low", path=path, line=3, message=f"{package} is declared",
            plain="", effort_minutes=10, basis=f"unpinned {package}", extra={"package": package},
        )

    result = load("midsize.json")
    result.findings += [unpinned("pytest", "requirements.txt"), unpinned("pytest", "requirements-min.txt"), unpinned("docker", "requirements.txt")]
    text = markdown(result)
    assert "2 libraries have no exact version." in text
    # the appendix's examples name the library of each place
    row = next(line for line in text.splitlines() if line.startswith("| `deps.unpinned`"))
    assert "`requirements.txt:3 (docker)`" in row and "`requirements.txt:3 (pytest)`" in row


def test_every_main_safety_net_found_does_not_claim_the_others():
    from archreview.wording import READINESS_MAIN

    result = load("midsize.json")
    for item in result.sections["readiness"]:
        item["status"] = "present" if item["id"] in READINESS_MAIN else item["status"]
        item["evidence"] = item.get("evidence") or ["x"]
    others = [i for i in result.sections["readiness"] if i["id"] not in READINESS_MAIN]
    others[0]["status"] = "absent"
    text = markdown(result)
    assert "Every main safety net we look for was found in the repository." in text
    assert "Every safety net we look for was found" not in text
    for item in others:
        item["status"] = "present"
    assert "Every safety net we look for was found in the repository." in markdown(result)
    backups = next(i for i in result.sections["readiness"] if i["id"] == "backups")
    backups["status"] = "partial"
    assert "Every main safety net we look for was found in the repository, backups only in part." in markdown(result)


def test_the_python_file_count_says_it_leaves_out_the_excluded_files():
    result = load("midsize.json")
    result.coverage.excluded, result.coverage.excluded_by = 11, {"database migrations": 11}
    text = markdown(result)
    assert (
        f"{result.coverage.files_total:,} files in the repository; {result.coverage.python_files:,} Python files "
        "besides those left out on purpose (below)."
    ) in text
    assert "11 files left out on purpose: database migrations (11)." in text


def test_two_bandit_tests_on_one_line_are_one_security_issue():
    from archreview.model import Finding

    def finding(test, severity, line):
        return Finding(
            rule=f"security.{test}", area="security", severity=severity, path="app/run.py", line=line,
            message=test, plain="", effort_minutes=15, basis=test,
        )

    result = load("midsize.json")
    result.findings = [f for f in result.findings if f.area != "security"] + [
        finding("B603", "low", 10), finding("B607", "low", 10), finding("B602", "high", 20), finding("B604", "medium", 20),
    ]
    row = next(line for line in markdown(result).splitlines() if line.startswith("| Security of the code |"))
    assert "1 serious and 1 minor issues." in row


def test_only_medium_secrets_are_to_be_confirmed_not_changed_first():
    result = load("midsize.json")
    secrets = [f for f in result.findings if f.area == "secrets"]
    assert secrets
    row = lambda text: next(line for line in text.splitlines() if line.startswith("| Passwords and keys |"))  # noqa: E731
    assert "first." in row(markdown(result))
    for f in secrets:
        f.severity = "medium"
    assert "Confirm whether them still work" not in row(markdown(result))
    assert "and change any that do." in row(markdown(result))


def test_the_structure_row_says_how_many_parts_the_loops_hold():
    result = load("midsize.json")
    row = next(line for line in markdown(result).splitlines() if line.startswith("| Structure |"))
    # 15 parts; two package loops of 3 and 2 parts
    assert "15 parts; 5 of them depend on each other in 2 loops." in row


def test_months_without_commits_are_said_to_be_without_commits():
    result, history = with_history()
    text = markdown(result, history)
    assert "Nobody has committed" not in text
    history[-1].revision = result.revision  # July's state is August's: nothing was committed
    history[0].revision = result.revision
    text = markdown(result, history)
    part = text.split("## 3. What changed since last month")[1].split("## 4.")[0]
    date = result.repository["revision_date"][:10]
    assert part.lstrip().startswith(f"Nobody has committed to this branch since {date}: the code is the same as in June 2026.")


def test_libraries_the_team_uses_only_to_develop_are_counted_apart():
    result = load("midsize.json")
    names = sorted({d["name"] for d in result.sections["dependencies"]})
    for row in result.sections["dependencies"]:
        if row["name"] in names[:4]:
            row["group"] = "dev"
    text = markdown(result)
    assert f"The product uses {len(names) - 4} outside libraries, and the team uses 4 more only to develop, test or release it." in text
    assert f"| {len(names) - 4} libraries in use;" in text
