"""Actions and the 30/60/90-day plan from real findings, and next month's
follow-up of the plan by fingerprint."""

from __future__ import annotations

import copy

from resultdata import load

from archreview.model import SEVERITY_RANK
from archreview.plan import MAX_PER_ACTION, PER_WINDOW, build_actions, follow_up, plan_items
from archreview.scoring import effort_minutes, evaluate, score


def actions_of(result):
    return build_actions(result, lambda f: effort_minutes(f))


def test_actions_cover_the_findings_worst_first():
    result = load("midsize.json")
    actions = actions_of(result)
    prints = {f.fingerprint: f for f in result.findings}
    covered = [p for a in actions for p in a.fingerprints]
    assert len(covered) == len(set(covered)), "a finding belongs to one action"
    assert all(p in prints for p in covered)
    assert all(len(a.fingerprints) <= MAX_PER_ACTION for a in actions)
    ranks = [SEVERITY_RANK[a.severity] for a in actions]
    assert ranks == sorted(ranks, reverse=True)
    first = actions[0]
    assert first.key == "secrets" and first.severity == "critical"
    assert "password or key" in first.title
    vulnerable = next(a for a in actions if a.key == "deps.vulnerable")
    assert len(vulnerable.fingerprints) == 3
    assert vulnerable.title == "Upgrade authlib, idna and django to close known security holes"
    assert vulnerable.minutes == sum(prints[p].effort_minutes for p in vulnerable.fingerprints)
    backups = next(a for a in actions if a.key == "readiness.backups")
    assert backups.horizon == 30 and backups.title.startswith("Set up regular backups")
    # complexity findings in the files that change most (activity hotspots) are one action
    hot = next(a for a in actions if a.key == "complexity:hotspots")
    hotspots = {h["path"] for h in result.sections["activity"]["hotspots"]}
    assert {prints[p].path for p in hot.fingerprints} <= hotspots
    # more password-like strings than one action holds: the worst 25 of them
    passwords = next(a for a in actions if a.key == "security.passwords")
    assert passwords.total == 44 and len(passwords.fingerprints) == MAX_PER_ACTION
    assert "the worst 25 of 44" in passwords.title


def test_windows_hold_four_actions_each():
    actions = actions_of(load("midsize.json"))
    for window in (30, 60, 90):
        assert len([a for a in actions if a.horizon == window]) == PER_WINDOW
    assert all(a.horizon == 0 for a in actions[3 * PER_WINDOW:])
    items = plan_items(actions)
    assert [i["horizon"] for i in items] == [30] * 4 + [60] * 4 + [90] * 4
    assert all(i["fingerprints"] and i["title"] for i in items)


def test_info_findings_never_enter_the_plan():
    result = load("midsize.json")
    for f in result.findings:
        f.severity = "info"
    assert actions_of(result) == []


def test_next_month_marks_items_done_by_fingerprint():
    august = load("midsize.json")
    plan = score(august)["plan"]
    september = copy.deepcopy(august)
    september.sections.pop("delta")
    # fixed in September: the leaked key (the whole first item) and one of the three advisories
    secret = next(i for i in plan if i["key"] == "secrets")
    deps = next(i for i in plan if i["key"] == "deps.vulnerable")
    gone = set(secret["fingerprints"]) | {deps["fingerprints"][0]}
    september.findings = [f for f in september.findings if f.fingerprint not in gone]
    status = {i["key"]: i for i in follow_up(plan, {f.fingerprint for f in september.findings})}
    assert status["secrets"]["status"] == "done"
    assert status["deps.vulnerable"]["status"] == "partly done"
    assert (status["deps.vulnerable"]["fixed"], status["deps.vulnerable"]["total"]) == (1, len(deps["fingerprints"]))
    assert status["readiness.backups"]["status"] == "not done"


def test_a_moved_finding_is_not_done_when_history_says_it_is_open():
    august = load("midsize.json")
    plan = score(august)["plan"]
    item = plan[0]
    open_now = set()  # the file was renamed: the old fingerprint is gone from this month's findings...
    fixed = set()  # ...but the history comparison (which follows renames) did not call it fixed
    assert follow_up([item], open_now, fixed)[0]["status"] == "not done"
    assert follow_up([item], open_now, None)[0]["status"] == "done"


def test_evaluate_returns_the_stored_plan():
    result = load("midsize.json")
    evaluation = evaluate(result)
    assert evaluation.scores["plan"] == plan_items(evaluation.actions)


def test_keys_left_in_history_are_their_own_action():
    from archreview.model import Finding
    from archreview.plan import group_key

    def secret(history: bool) -> Finding:
        return Finding(
            rule="secrets.github-token", area="secrets", severity="critical", path="app.py", line=1,
            message="GitHub token ghp_****************", plain="", effort_minutes=60,
            extra={"history": {"commit": "abc"}} if history else {},
        )

    assert group_key(secret(False), set()) == "secrets"
    assert group_key(secret(True), set()) == "secrets.history"


def test_activity_and_pipeline_findings_get_plain_titles_not_rule_ids():
    """Every rule the activity analyzer and the practices pack produce has
    its own action text: a founder never reads "found by the
    activity.bus-factor check"."""
    from archreview.model import Finding
    from archreview.rules import load_packs

    rules = ["activity.bus-factor", "activity.knowledge-loss"]
    rules += [f"practices.{pid}" for pid in load_packs().practices]
    assert len(rules) > 5
    findings = [
        Finding(rule=rule, area="readiness", severity="medium", path=f"f{i}.py", line=1, message=rule,
                plain="The plain text of the finding.", effort_minutes=30)
        for i, rule in enumerate(rules)
    ]
    result = load("midsize.json")
    result.findings = findings
    result.sections.pop("activity", None)
    actions = {a.key: a for a in actions_of(result)}
    assert set(actions) == set(rules)
    for rule, action in actions.items():
        assert rule not in action.title and "found by the" not in action.title, action.title
        assert action.why == "The plain text of the finding."
    assert actions["activity.knowledge-loss"].title == "Find a new owner for 1 file whose main authors have left"


def test_two_tests_on_one_line_are_one_place_to_fix():
    from archreview.fingerprints import assign_fingerprints
    from archreview.model import Coverage, Finding, ScanResult

    def html(rule, path, line):
        return Finding.from_dict({
            "rule": rule, "area": "security", "severity": "medium", "path": path, "line": line,
            "message": f"{rule.split('.')[1]} mark_safe", "plain": "", "effort_minutes": 15,
        })

    findings = [
        html("security.B308", "app/tags.py", 81), html("security.B703", "app/tags.py", 81),  # one mark_safe call
        html("security.B308", "app/tags.py", 102),
    ]
    assign_fingerprints(findings)
    [action] = actions_of(ScanResult(
        revision="r", scanned_at="2025-01-10T00:00:00+00:00", repository={}, coverage=Coverage(), findings=findings
    ))
    assert action.title == "Check 2 places that mark text as safe HTML"
    assert action.minutes == 30 and len(action.fingerprints) == 3  # each finding is followed up


def test_file_names_shared_by_several_folders_are_told_apart():
    from archreview.wording import short_name

    paths = ["hc/api/models.py", "hc/front/models.py", "hc/front/views.py", "hc/api/views.py", "hc/settings.py", "hc/front/tests/test_views.py"]
    assert [short_name(p, paths) for p in paths] == [
        "api/models.py", "front/models.py", "front/views.py", "api/views.py", "settings.py", "test_views.py",
    ]
    assert short_name("views.py", ["views.py", "app/views.py"]) == "views.py"  # the whole path is all there is


def test_a_library_with_no_fixed_release_is_not_told_to_upgrade():
    result = load("midsize.json")
    vulnerable = [f for f in result.findings if f.rule == "deps.vulnerable"]
    django = [f for f in vulnerable if f.extra.get("package") == "django"]
    for finding in django:
        finding.extra["fixed_in"] = []
    actions = build_actions(result, lambda f: effort_minutes(f, {}))
    action = next(a for a in actions if a.key == "deps.vulnerable")
    assert action.title == "Upgrade authlib and idna and check how django is used, to close known security holes"
    for finding in vulnerable:
        finding.extra["fixed_in"] = []
    action = next(a for a in build_actions(result, lambda f: effort_minutes(f, {})) if a.key == "deps.vulnerable")
    assert action.title == "Check how authlib, idna and django are used: known security holes with no fixed release yet"
