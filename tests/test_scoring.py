"""Grades, debt and money (docs/scoring.md), on stored real results; the
expected figures are computed here from the findings, not by the scorer."""

from __future__ import annotations

import copy

import pytest
from resultdata import load, without_sections

from archreview.config import parse_config
from archreview.errors import ConfigError
from archreview.model import Finding
from archreview.scoring import (
    ScoringSettings,
    dependency_grade,
    effort_minutes,
    effort_overrides,
    readiness_grade,
    score,
    sqale_grade,
)


def finding(rule="security.B602", area="security", severity="high", path="app.py", effort=60, fingerprint="f1"):
    return Finding(rule=rule, area=area, severity=severity, path=path, line=3, message="m", plain="p",
                   effort_minutes=effort, fingerprint=fingerprint)


@pytest.mark.parametrize(
    ("ratio", "grade"),
    [(0.0, "A"), (0.05, "A"), (0.0501, "B"), (0.10, "B"), (0.15, "C"), (0.20, "C"), (0.35, "D"), (0.50, "D"), (0.51, "E"), (3.0, "E")],
)
def test_sqale_scale(ratio, grade):
    assert sqale_grade(ratio) == grade


def test_debt_and_ratio_of_a_real_result():
    result = load("midsize.json")
    scores = score(result)
    minutes = sum(f.effort_minutes for f in result.findings)  # every finding there carries its own estimate
    lines = sum(f.sloc for f in result.files if f.role == "source")
    assert lines == 61_113
    assert scores["debt"]["minutes"] == minutes
    assert scores["debt"]["days"] == round(minutes / 480, 2)
    code = sum(f.effort_minutes for f in result.findings if f.area not in ("readiness", "dependencies"))
    assert scores["debt"]["code_minutes"] == code < minutes
    assert scores["debt"]["ratio"] == round(code / (lines * 30), 6)
    assert scores["debt"]["money"] == round(minutes / 480 * 800, 2)
    assert scores["method"]["day_rate"] == 800 and scores["method"]["currency"] == "USD"
    for area, entry in scores["areas"].items():
        assert entry["minutes"] == sum(f.effort_minutes for f in result.findings if f.area == area)
    # a committed key makes passwords-and-keys E; the high authlib advisory makes dependencies D
    assert scores["areas"]["secrets"]["grade"] == "E"
    assert scores["areas"]["dependencies"]["grade"] == "D"
    # the worst security finding is medium (B608): C, though its debt ratio is tiny
    assert scores["areas"]["security"]["grade"] == "C"
    assert scores["areas"]["complexity"]["grade"] == sqale_grade(scores["areas"]["complexity"]["ratio"]) == "A"
    # overall: ratio grade A, but at most one grade better than the weakest area (E) -> D
    assert scores["debt"]["grade"] == "A"
    assert scores["overall"]["grade"] == "D"
    assert "secrets: E" in scores["overall"]["basis"]


def test_readiness_grade_weights_the_safety_nets():
    items = load("midsize.json").sections["readiness"]
    weights = {"backups": 2, "monitoring_metrics": 2, "error_tracking": 2, "alerting": 2, "health_check": 2}
    value = {"present": 1, "partial": 0.5, "absent": 0}
    share = sum(weights.get(i["id"], 1) * value[i["status"]] for i in items) / sum(weights.get(i["id"], 1) for i in items)
    grade, got = readiness_grade(items)
    assert got == pytest.approx(share) == 0.725
    assert grade == "B"
    assert readiness_grade([{"id": i["id"], "status": "present"} for i in items])[0] == "A"
    assert readiness_grade([{"id": i["id"], "status": "absent"} for i in items])[0] == "E"
    assert readiness_grade([]) == (None, None)


def test_dependency_grade_scale():
    deps = [{"name": f"pkg{i}", "vulns": []} for i in range(8)]
    assert dependency_grade([], deps)[0] == "A"
    # not one dependency audited (offline, no advisory data): no grade, not an A
    unaudited = [{"name": f"pkg{i}", "vulns": None} for i in range(8)]
    assert dependency_grade([], unaudited) == (None, "not checked for known vulnerabilities")
    assert dependency_grade([finding("deps.vulnerable", "dependencies", "high")], unaudited)[0] == "D"
    assert dependency_grade([], unaudited[:4] + deps[:4])[0] == "A"  # some audited: their answer counts
    assert dependency_grade([finding("deps.vulnerable", "dependencies", "low")], deps)[0] == "B"
    assert dependency_grade([finding("deps.vulnerable", "dependencies", "medium")], deps)[0] == "C"
    assert dependency_grade([finding("deps.vulnerable", "dependencies", "high")], deps)[0] == "D"
    assert dependency_grade([finding("deps.vulnerable", "dependencies", "critical")], deps)[0] == "E"
    assert dependency_grade([finding("deps.unpinned", "dependencies", "low")], deps)[0] == "B"
    stale = [finding("deps.outdated", "dependencies", "low", fingerprint=str(i)) for i in range(2)]
    assert dependency_grade(stale, deps)[0] == "C"  # 2 of 8 = a quarter far behind


def test_effort_overrides_from_config():
    config = parse_config(
        {"day_rate": 1000, "currency": "EUR", "effort": {"security.B602": 90, "complexity": 10, "security": {"B105": 5}}},
        "test",
    )
    settings = ScoringSettings.from_config(config)
    assert settings.effort == {"security.B602": 90, "complexity": 10, "security.B105": 5}
    assert effort_minutes(finding("security.B602"), settings.effort) == 90
    assert effort_minutes(finding("security.B105", severity="low", effort=15), settings.effort) == 5
    assert effort_minutes(finding("complexity.function", "complexity", effort=70), settings.effort) == 10
    assert effort_minutes(finding("security.B311", severity="low", effort=15), settings.effort) == 15  # analyzer's own
    assert effort_minutes(finding("readiness.backups", "readiness", effort=0), {}) == 480  # default per rule
    assert effort_minutes(finding("practices.x", "readiness", "medium", effort=0), {}) == 60  # default per severity
    result = load("midsize.json")
    scores = score(result, config)
    expected = sum(effort_minutes(f, settings.effort) for f in result.findings)
    assert scores["debt"]["minutes"] == expected
    assert scores["debt"]["money"] == round(expected / 480 * 1000, 2)
    assert scores["method"]["currency"] == "EUR" and scores["method"]["day_rate_from_config"]


@pytest.mark.parametrize(
    "raw",
    [{"day_rate": "lots"}, {"day_rate": -5}, {"currency": 3}, {"effort": {"security.B602": "an hour"}}, {"effort": {"x": -1}}],
)
def test_bad_scoring_settings_are_config_errors(raw):
    with pytest.raises(ConfigError):
        ScoringSettings.from_config(parse_config(raw, "pyproject.toml [tool.archreview]"))


def test_effort_table_written_as_dotted_keys():
    # TOML `security.B602 = 60` (unquoted) is a nested table: same meaning as the quoted key
    assert effort_overrides({"security": {"B602": 60}, "secrets.*": 240}) == {"security.B602": 60, "secrets": 240}


def test_one_person_making_most_changes_caps_team_and_change():
    """A repository bus factor of 1 is a medium finding: however large the
    code base, team and change is at best C, and the overall grade at best B."""
    result = without_sections(load("midsize.json"), "readiness", "dependencies", "secrets")
    result.findings = [f for f in result.findings if f.area not in ("security", "secrets", "dependencies", "readiness")]
    before = score(result)["areas"]["activity"]
    assert before["grade"] == "B" and before["basis"] == "worst open finding is low"  # knowledge loss, low
    result.findings.append(finding(rule="activity.bus-factor", area="activity", severity="medium", path="", effort=960))
    scores = score(result)
    assert scores["areas"]["activity"]["ratio"] < 0.05  # the debt ratio alone would say A
    assert scores["areas"]["activity"]["grade"] == "C"
    assert scores["areas"]["activity"]["basis"] == "worst open finding is medium"
    assert scores["overall"]["grade"] == "B" and "activity: C" in scores["overall"]["basis"]


def test_clean_result_scores_a():
    scores = score(load("clean.json"))
    assert scores["debt"]["minutes"] == 0
    assert scores["overall"]["grade"] == "A"
    assert scores["plan"] == []
    checked = {a for a, e in scores["areas"].items() if e["checked"]}
    assert checked == {"complexity", "security"}
    assert all(scores["areas"][a]["grade"] == "A" for a in checked)
    assert scores["areas"]["readiness"]["grade"] is None and scores["areas"]["readiness"]["basis"] == "not checked"


def test_areas_that_did_not_run_have_no_grade():
    result = without_sections(load("midsize.json"), "readiness", "dependencies", "architecture", "activity", "secrets")
    scores = score(result)
    for area in ("readiness", "dependencies", "architecture", "activity", "secrets"):
        assert scores["areas"][area]["checked"] is False and scores["areas"][area]["grade"] is None
    # without the key and the advisories, the weakest area is security (C): overall B
    assert scores["overall"]["grade"] == "B"


def test_no_product_code_still_grades_what_was_checked():
    result = load("midsize.json")
    result.files = []
    result.findings = [f for f in result.findings if f.area == "readiness"]
    scores = score(result)
    assert scores["debt"]["ratio"] is None and scores["debt"]["grade"] is None
    assert scores["areas"]["complexity"]["grade"] == "A"  # checked, nothing found
    assert scores["areas"]["readiness"]["grade"] == "B"
    assert scores["overall"]["grade"] == "A"  # one better than the weakest (B)


def test_empty_sections_do_not_break_scoring():
    result = copy.deepcopy(load("midsize.json"))
    for key in ("readiness", "dependencies", "vendors", "activity"):
        result.sections[key] = []
    result.sections["architecture"] = {}
    scores = score(result)
    assert scores["areas"]["readiness"]["grade"] is None
    assert scores["areas"]["readiness"]["basis"] == "no checklist in the result"
    assert scores["overall"]["grade"] in "ABCDE"


def test_scan_writes_scores(git_repo, tmp_path):
    import json
    import subprocess
    import sys

    body = "".join(f"LIMIT_{i} = {i}\n" for i in range(80))  # 80 lines keep the debt ratio under 5 %
    git_repo.commit({"app/run.py": body + "import subprocess\nsubprocess.call('ls ' + x, shell=True)\n"}, date="2025-03-03")
    proc = subprocess.run([sys.executable, "-m", "archreview", "scan", str(git_repo.path), "--format", "json"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    scores = data["scores"]
    minutes = sum(f["effort_minutes"] for f in data["findings"])
    assert scores["debt"]["minutes"] == minutes > 0
    assert scores["debt"]["grade"] == "A"  # the readiness gaps of this tiny repository are not code debt
    assert scores["debt"]["minutes"] > scores["debt"]["code_minutes"]
    assert scores["areas"]["security"]["grade"] == "D"  # B602 is high
    assert scores["plan"][0]["fingerprints"][0] in {f["fingerprint"] for f in data["findings"]}
