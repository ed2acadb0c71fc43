"""Comparing two months: new / fixed / still open by fingerprint, with
renames followed through git, measure changes and the debt trend."""

from __future__ import annotations

import pytest

from archreview import compare, history
from archreview.model import Finding
from archreview.scan import run_scan
from historyfixture import build


@pytest.fixture
def repo(git_repo):
    commits = build(git_repo)
    return git_repo, commits


def _scan(repo, rev):
    result, _stats, _config = run_scan(repo.path, rev=rev)
    return result


def _code(findings, rule_prefix=("complexity.", "security.")):
    return sorted((f.rule, f.path) for f in findings if f.rule.startswith(rule_prefix))


def test_finding_whose_code_moved_lines_stays_open(repo):
    git_repo, c = repo
    before, after = _scan(git_repo, c["jan-bob"]), _scan(git_repo, c["feb-bob"])
    old = next(f for f in before.findings if f.rule == "complexity.function")
    new = next(f for f in after.findings if f.rule == "complexity.function")
    assert (old.path, new.path) == ("app/core.py", "app/core.py")
    assert old.line != new.line  # four lines were inserted above the function
    assert old.fingerprint == new.fingerprint
    result = compare.compare(before, after)
    # (January's two commits are too short a history for a bus factor; February's is not)
    assert [f.rule for f in result.new] in ([], ["activity.bus-factor"]) and result.fixed == []
    assert new.fingerprint in {f.fingerprint for f in result.open}


def test_renamed_file_keeps_its_findings(repo):
    git_repo, c = repo
    before, after = _scan(git_repo, c["feb-merge"]), _scan(git_repo, c["apr-ann"])
    renames, note = compare.rename_map(git_repo.path, before.revision, after.revision)
    assert note is None
    assert renames == {"app/util.py": "app/helpers/util.py"}
    with_renames = compare.compare(before, after, renames)
    assert _code(with_renames.new) == [] and _code(with_renames.fixed) == []
    assert ("security.B602", "app/helpers/util.py") in _code(with_renames.open)
    assert with_renames.renamed == {"app/util.py": "app/helpers/util.py"}
    # without git's rename detection the same finding would look fixed and new
    blind = compare.compare(before, after)
    assert ("security.B602", "app/util.py") in _code(blind.fixed)
    assert ("security.B602", "app/helpers/util.py") in _code(blind.new)


def test_fixed_and_new_findings(repo):
    git_repo, c = repo
    before, after = _scan(git_repo, c["apr-ann"]), _scan(git_repo, c["may-bob"])
    result = compare.compare(before, after, compare.rename_map(git_repo.path, before.revision, after.revision)[0])
    assert ("security.B602", "app/helpers/util.py") in _code(result.fixed)
    assert ("complexity.function", "app/billing.py") in _code(result.new)
    assert ("complexity.function", "app/core.py") in _code(result.open)


def test_custom_fingerprints_are_not_recomputed():
    finding = Finding("secrets.aws", "secrets", "high", "a.py", 3, "m", "p", 10, fingerprint="given-by-analyzer", basis="x")
    assert compare.carry_over([finding], {"a.py": "b.py"}) == {}


def test_rename_map_without_the_old_commit_says_why(repo):
    git_repo, c = repo
    renames, note = compare.rename_map(git_repo.path, "0" * 40, c["apr-ann"])
    assert renames == {}
    assert "not in this repository" in note
    assert compare.rename_map(None, c["jan-ann"], c["apr-ann"])[1].startswith("renames between the two months were not followed")


def test_debt_is_a_plain_sum_and_measures_move(repo):
    git_repo, c = repo
    before, after = _scan(git_repo, c["apr-ann"]), _scan(git_repo, c["may-bob"])
    assert compare.debt_minutes(after.findings) == sum(f.effort_minutes for f in after.findings)
    changes = compare.metric_changes(before, after)
    code = changes["code"]
    assert code["source_sloc"]["current"] > code["source_sloc"]["previous"]  # billing.py was added
    assert code["source_sloc"]["change"] == code["source_sloc"]["current"] - code["source_sloc"]["previous"]
    security = changes["areas"]["security"]
    assert security["findings"]["previous"] == sum(1 for f in before.findings if f.area == "security")
    assert changes["areas"]["complexity"]["findings"]["change"] == 1


def test_delta_section_and_trend(repo, tmp_path):
    git_repo, c = repo
    folder = tmp_path / "h"
    months = [("2025-01", c["jan-bob"]), ("2025-02", c["feb-merge"]), ("2025-04", c["apr-ann"])]
    for month, rev in months:
        history.save(folder, month, _scan(git_repo, rev), carried_forward=False)
    current = _scan(git_repo, c["may-bob"])
    stored = history.load(folder)
    assert compare.add_delta(current, "2025-05", stored, git_repo.path)
    delta = current.sections["delta"]
    assert delta["previous"]["month"] == "2025-04"
    assert delta["previous"]["revision"] == c["apr-ann"]
    assert delta["counts"] == {k: len(delta[k]) for k in ("new", "fixed", "open")}
    assert {"fingerprint", "rule", "severity", "path", "line", "first_seen"} <= set(delta["new"][0])
    assert all(item["first_seen"] == "2025-05" for item in delta["new"])
    assert [p["month"] for p in delta["trend"]] == ["2025-01", "2025-02", "2025-04", "2025-05"]
    assert delta["trend"][-1]["debt_minutes"] == compare.debt_minutes(current.findings)
    assert delta["debt"]["current"] == compare.debt_minutes(current.findings)
    # the first month has nothing to compare with
    first = _scan(git_repo, c["jan-bob"])
    assert not compare.add_delta(first, "2025-01", stored, git_repo.path)
    assert "delta" not in first.sections


def test_first_seen_is_carried_from_month_to_month(repo, tmp_path):
    git_repo, c = repo
    folder = tmp_path / "h"
    for month, rev in (("2025-01", c["jan-bob"]), ("2025-02", c["feb-merge"]), ("2025-04", c["apr-ann"])):
        result = _scan(git_repo, rev)
        compare.add_delta(result, month, history.load(folder), git_repo.path)
        history.save(folder, month, result)
    april = history.load(folder).get("2025-04").result
    route = next(i for i in april.sections["delta"]["open"] if i["rule"] == "complexity.function")
    assert route["first_seen"] == "2025-01"
    moved = next(i for i in april.sections["delta"]["open"] if i["rule"] == "security.B602")
    assert moved["path"] == "app/helpers/util.py" and moved["first_seen"] == "2025-01"


def test_file_renamed_and_edited_in_one_commit_keeps_its_findings(repo):
    git_repo, c = repo
    git_repo.git("mv", "app/core.py", "app/routing.py")
    text = (git_repo.path / "app" / "routing.py").read_text(encoding="utf-8")
    git_repo.commit({"app/routing.py": "# routing, renamed from core\n" + text}, date="2025-07-02", message="rename and edit")
    before, after = _scan(git_repo, c["jun-cara"]), _scan(git_repo, "HEAD")
    renames, _note = compare.rename_map(git_repo.path, before.revision, after.revision)
    assert renames == {"app/core.py": "app/routing.py"}
    result = compare.compare(before, after, renames)
    assert ("complexity.function", "app/routing.py") in _code(result.open)
    assert not any(f.rule == "complexity.function" for f in result.new + result.fixed)
