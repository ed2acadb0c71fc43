"""SARIF 2.1.0 for GitHub code scanning: valid against the OASIS schema,
fingerprints from ours, rules with help, and within GitHub's upload limits."""

from __future__ import annotations

import copy
import gzip
import json

import jsonschema
import pytest
from resultdata import load

from archreview.model import SEVERITY_RANK
from archreview.render import RenderContext, render
from archreview.render import sarif as sarif_mod


@pytest.fixture
def validator(shared_data):
    path = shared_data / "sarif" / "sarif-schema-2.1.0.json"
    return jsonschema.Draft4Validator(json.loads(path.read_text(encoding="utf-8")))


def sarif(result) -> dict:
    return json.loads(render("sarif", result, RenderContext()))


@pytest.mark.parametrize("name", ["midsize.json", "clean.json", "large.json.gz"])
def test_valid_sarif(validator, name):
    result = load(name)
    document = sarif(result)
    validator.validate(document)
    run = document["runs"][0]
    located = [f for f in result.findings if f.path]
    assert len(run["results"]) == len(located)
    rules = run["tool"]["driver"]["rules"]
    assert len({r["id"] for r in rules}) == len(rules) == len({f.rule for f in located})
    for item in run["results"]:
        assert rules[item["ruleIndex"]]["id"] == item["ruleId"]


def test_results_carry_our_fingerprints_and_rules_help():
    result = load("midsize.json")
    run = sarif(result)["runs"][0]
    by_print = {f.fingerprint: f for f in result.findings}
    for item in run["results"]:
        finding = by_print[item["partialFingerprints"]["archreview/v1"]]
        location = item["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == finding.path
        if finding.line:
            assert location["region"]["startLine"] == finding.line
        else:
            assert "region" not in location
        assert item["level"] == {"critical": "error", "high": "error", "medium": "warning"}.get(finding.severity, "note")
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    b105 = rules["security.B105"]
    assert b105["help"]["text"].startswith("A password appears to be written directly in the code")
    assert b105["properties"]["security-severity"] == "3.0" and "security" in b105["properties"]["tags"]
    assert rules["deps.vulnerable"]["properties"]["security-severity"] == "8.0"  # authlib's advisory is high
    assert rules["complexity.function"]["fullDescription"]["text"].startswith("A function with many paths")
    assert "security-severity" not in rules["complexity.function"]["properties"]


def test_repository_wide_findings_are_counted_in_a_note():
    result = load("midsize.json")
    pathless = [f for f in result.findings if not f.path]
    assert pathless  # readiness gaps have no file
    run = sarif(result)["runs"][0]
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert any(f"{len(pathless)} findings about the repository as a whole" in n for n in notes)


def many_findings(count: int):
    """The large result's findings repeated with new lines and fingerprints
    until there are ``count``: more than GitHub takes in one upload."""
    result = load("large.json.gz")
    base = list(result.findings)
    findings = []
    for i in range(count):
        f = copy.copy(base[i % len(base)])
        f.line = f.line + i // len(base) * 1000
        f.fingerprint = f"{i:024x}"
        findings.append(f)
    result.findings = findings
    return result


@pytest.mark.slow
def test_more_than_25000_results_keeps_the_most_severe_with_a_note(validator):
    result = many_findings(30_000)
    text = render("sarif", result, RenderContext())
    document = json.loads(text)
    run = document["runs"][0]
    assert len(run["results"]) == 25_000
    kept = [r["properties"]["severity"] for r in run["results"]]
    dropped_worst = max(
        (SEVERITY_RANK[f.severity] for f in sorted(result.findings, key=lambda f: -SEVERITY_RANK[f.severity])[25_000:]),
    )
    assert min(SEVERITY_RANK[s] for s in kept) >= dropped_worst
    assert sum(1 for f in result.findings if f.severity in ("high", "medium")) == sum(1 for s in kept if s in ("high", "medium"))
    notes = " ".join(n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"])
    assert "Showing the 25,000 most severe of 30,000 results" in notes
    assert run["properties"]["archreview"]["results_left_out"] == 5_000
    assert len(gzip.compress(text.encode())) < 10 * 1000 * 1000
    # every result has the same shape; validating 2,000 of them (first and last) keeps the test quick
    run["results"] = run["results"][:1000] + run["results"][-1000:]
    validator.validate(document)


def test_cut_further_to_fit_the_compressed_size(monkeypatch):
    monkeypatch.setattr(sarif_mod, "MAX_GZIP_BYTES", 60_000)
    result = load("large.json.gz")
    text = render("sarif", result, RenderContext())
    assert len(gzip.compress(text.encode())) <= 60_000
    run = json.loads(text)["runs"][0]
    assert 0 < len(run["results"]) < len(result.findings)
    notes = " ".join(n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"])
    assert f"most severe of {len(result.findings):,} results" in notes
    assert run["results"][0]["properties"]["severity"] == "high"
