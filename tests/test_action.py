"""The GitHub Action's steps, run as a runner would (tests/actionrunner.py)
against a fixture repository cloned from a local bare repository, with the
runner's GITHUB_* variables: install (pip, from this checkout, offline),
backfill on the first run, the month's scan, the reports, the job summary,
the artifact and SARIF paths, the history commit pushed to the bare
repository, and the gate failing the job last."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from actionrunner import run_action
from gitfixture import GitFixture, git_env
from wheelhouse import build_wheelhouse, project_requirements

from archreview.action import SUMMARY_LIMIT, add_summary

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

SHELL_CALL = "import subprocess\n\n\ndef deploy(target):\n    return subprocess.call('deploy ' + target, shell=True)\n"


def months_ago(count: int, day: int = 10) -> str:
    """A date ``count`` months before this month (backfill fills past months up to last month)."""
    today = date.today()
    year, month = divmod(today.year * 12 + today.month - 1 - count, 12)
    return f"{year:04d}-{month + 1:02d}-{day:02d}"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=git_env(), capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheels")
    build_wheelhouse(folder, project_requirements(ROOT / "pyproject.toml"))
    return folder


@pytest.fixture
def origin(tmp_path) -> Path:
    """A project with a few months of history, pushed to a bare repository."""
    project = GitFixture(tmp_path / "upstream")
    project.commit({"shop/__init__.py": "", "shop/cart.py": "def total(items):\n    return sum(items)\n"}, date=months_ago(5))
    project.commit({"shop/deploy.py": SHELL_CALL}, date=months_ago(3, day=12))
    project.commit({"shop/cart.py": "def total(items):\n    return sum(i for i in items if i)\n"}, date=months_ago(1, day=3))
    bare = tmp_path / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(project.path), str(bare)], check=True, env=git_env())
    return bare


def runner_env(tmp_path: Path, workspace: Path, wheels: Path) -> dict[str, str]:
    env = git_env()
    env.pop("PYTHONPATH", None)  # the steps must use what the install step installed
    env.update(
        CI="true",
        GITHUB_ACTIONS="true",
        GITHUB_WORKSPACE=str(workspace),
        RUNNER_TEMP=str(tmp_path / "runner-temp"),
        GITHUB_REF_NAME="main",
        GITHUB_REF_TYPE="branch",
        GITHUB_EVENT_NAME="schedule",
        GITHUB_REPOSITORY="acme/shop",
        ARCHREVIEW_CACHE_DIR=str(tmp_path / "cache"),
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheels),
        PIP_CONFIG_FILE=os.devnull,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        ARCHREVIEW_BASE_PYTHON=sys.executable,
    )
    return env


def checkout(origin: Path, target: Path, *args: str) -> Path:
    subprocess.run(["git", "clone", "-q", *args, f"file://{origin}", str(target)], check=True, env=git_env())
    return target


def history_files(repo: Path, rev: str = "HEAD") -> list[str]:
    return sorted(git(repo, "ls-tree", "--name-only", f"{rev}:.archreview/history").split())


def test_a_monthly_run_end_to_end(origin, wheels, tmp_path):
    workspace = checkout(origin, tmp_path / "workspace")
    env = runner_env(tmp_path, workspace, wheels)
    reviewed = git(workspace, "rev-parse", "HEAD").strip()
    inputs = {"months": "3", "formats": "markdown,html,sarif,json", "commit-history": "true", "fail-on": "high", "day-rate": "1000"}
    run = run_action(ROOT, inputs, env)

    install = run.step("Install archreview")
    assert install.exit_code == 0, install.stdout + install.stderr
    python = install.outputs["python"]
    assert Path(python).is_relative_to(tmp_path / "runner-temp")

    review = run.step("Review")
    assert review.exit_code == 0, review.stdout + review.stderr
    out = review.outputs
    month = out["month"]
    report_dir = Path(out["report-dir"])
    assert {p.name for p in report_dir.iterdir()} >= {"report.md", "report.html", "archreview.sarif", "result.json", "summary.md"}
    result = json.loads((report_dir / "result.json").read_text())
    assert result["revision"] == reviewed
    assert any(f["rule"] == "security.B602" for f in result["findings"])
    if "scores" in result:
        assert "1000" in json.dumps(result["scores"])  # day-rate reached the scoring
    assert json.loads((report_dir / "archreview.sarif").read_text())["version"] == "2.1.0"

    # the job summary: written, under GitHub's limit
    assert run.summary.strip() and len(run.summary.encode()) < SUMMARY_LIMIT
    assert run.summary == (report_dir / "summary.md").read_text()

    # the uploads get existing paths
    artifact = run.step("Upload the reports")
    assert artifact.ran and Path(artifact.with_["path"]) == report_dir and artifact.with_["name"] == "archreview-report"
    sarif = run.step("Upload SARIF to code scanning")
    assert sarif.ran and Path(sarif.with_["sarif_file"]).is_file()

    # the history: backfilled months plus this one, committed and pushed
    commit = run.step("Commit the history")
    assert commit.exit_code == 0, commit.stdout + commit.stderr
    assert commit.outputs["pushed"] == "true"
    pushed = git(origin, "rev-parse", "main").strip()
    assert pushed == commit.outputs["commit"] == run.outputs["history-commit"]
    files = history_files(origin, "main")
    assert f"{month}.json" in files and len(files) >= 2
    changed = git(origin, "show", "--name-only", "--format=%an|%s", "main").split("\n")
    assert changed[0].startswith("github-actions[bot]|archreview: review history for ") and "[skip ci]" in changed[0]
    assert all(p.startswith(".archreview/history/") for p in changed[1:] if p)

    # and last, the gate fails the job
    gate = run.step("Gate")
    assert gate.ran and gate.exit_code == 1
    assert "gate failed:" in gate.stderr and "security.B602" in gate.stderr
    assert "::error::archreview: gate failed:" in gate.stdout
    assert run.failed and run.outputs["gate"] == "failed"

    # a second run the same month: history exists, so no backfill; nothing new to push
    again = run_action(ROOT, {**inputs, "fail-on": "none", "formats": "markdown"}, env, skip={"install": {"python": python}})
    review = again.step("Review")
    assert review.exit_code == 0, review.stderr
    assert "archreview backfill" not in review.stdout
    assert not again.step("Upload SARIF to code scanning").ran
    assert not again.step("Gate").ran and not again.failed
    assert again.step("Commit the history").exit_code == 0


def test_a_shallow_checkout_skips_the_backfill_with_a_warning(origin, wheels, tmp_path):
    workspace = checkout(origin, tmp_path / "workspace", "--depth", "1")
    env = runner_env(tmp_path, workspace, wheels)
    run = run_action(ROOT, {"months": "6", "formats": "markdown"}, env)
    review = run.step("Review")
    assert review.exit_code == 0, review.stdout + review.stderr
    assert "::warning::archreview: past months were not filled in because this is a shallow clone" in review.stdout
    assert "fetch-depth: 0" in review.stdout
    assert [p.name for p in (workspace / ".archreview" / "history").iterdir()] == [f"{review.outputs['month']}.json"]
    assert not run.step("Commit the history").ran  # commit-history defaults to false
    assert not run.failed


def test_the_history_commit_goes_on_top_of_a_branch_that_moved(origin, wheels, tmp_path):
    workspace = checkout(origin, tmp_path / "workspace")
    # someone pushes while the review runs
    other = checkout(origin, tmp_path / "other")
    (other / "README.md").write_text("# shop\n")
    git(other, "add", "README.md")
    git(other, "commit", "-q", "-m", "readme")
    git(other, "push", "-q", "origin", "HEAD:main")
    env = runner_env(tmp_path, workspace, wheels)
    run = run_action(ROOT, {"months": "0", "formats": "markdown", "commit-history": "true"}, env)
    commit = run.step("Commit the history")
    assert commit.exit_code == 0, commit.stdout + commit.stderr
    log = git(origin, "log", "--format=%s", "-2", "main").splitlines()
    assert log[0].startswith("archreview: review history") and log[1] == "readme"


@pytest.mark.parametrize(
    "inputs, message",
    [
        ({"months": "twelve"}, "months must be a whole number"),
        ({"fail-on": "severe"}, "fail-on must be one of"),
        ({"formats": "markdown,pdf"}, "unknown format 'pdf'"),
        ({"day-rate": "-5"}, "day-rate must be a non-negative number"),
        ({"path": "missing"}, "is not a folder in the checkout"),
    ],
)
def test_bad_inputs_stop_the_review_with_one_error(tmp_path, inputs, message):
    env = dict(os.environ, GITHUB_WORKSPACE=str(tmp_path), RUNNER_TEMP=str(tmp_path / "t"), GITHUB_OUTPUT=str(tmp_path / "out"))
    env.update({f"INPUT_{k.upper().replace('-', '_')}": v for k, v in inputs.items()})
    proc = subprocess.run([sys.executable, "-m", "archreview.action", "review"], env=env, capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stdout.startswith("::error::archreview: ") and message in proc.stdout
    assert "Traceback" not in proc.stderr


def test_a_summary_over_the_limit_is_cut_at_a_line(tmp_path):
    target = tmp_path / "summary"
    line = "| finding | where |\n"
    written = add_summary({"GITHUB_STEP_SUMMARY": str(target)}, line * (SUMMARY_LIMIT // len(line) + 100))
    data = target.read_bytes()
    assert written == len(data) <= SUMMARY_LIMIT
    assert data.endswith(b"the full report is in the run's artifact._\n")
    assert data.split(b"\n\n_The summary was cut")[0].rstrip(b"\n").endswith(line.strip().encode())
