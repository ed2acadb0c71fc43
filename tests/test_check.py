"""``archreview check``: the staged change against HEAD or a stored result,
through the real entry point, in real git repositories."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from gitfixture import git_env

SHELL_CALL = (
    "import subprocess\n\n\n"
    "def deploy(target):\n"
    "    return subprocess.call('deploy ' + target, shell=True)\n"
)
SHELL_LINE = "app/deploy.py:5: security.B602: "
CLEAN = "def add(a, b):\n    return a + b\n"


def check(repo, *args, env=None):
    """Run ``archreview check`` in the repository, as a hook would."""
    full = git_env()
    full.update(env or {})
    full.setdefault("ARCHREVIEW_CACHE_DIR", os.environ["ARCHREVIEW_CACHE_DIR"])
    return subprocess.run(
        [sys.executable, "-m", "archreview", "check", *args], cwd=repo.path, env=full, capture_output=True, text=True, check=False
    )


def stage(repo, files):
    repo.write(files)
    repo.git("add", "-A")


def test_nothing_staged_passes_silently(git_repo):
    git_repo.commit({"app/deploy.py": SHELL_CALL}, date="2025-01-10")
    proc = check(git_repo)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_a_new_finding_fails_with_one_line(git_repo):
    git_repo.commit({"app/deploy.py": CLEAN}, date="2025-01-10")
    stage(git_repo, {"app/deploy.py": SHELL_CALL})
    proc = check(git_repo)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(SHELL_LINE)
    assert "system shell" in lines[0]  # the plain sentence, not bandit's text
    assert proc.stderr == ""


def test_a_finding_already_at_head_does_not_fail(git_repo):
    git_repo.commit({"app/deploy.py": SHELL_CALL}, date="2025-01-10")
    # an unrelated edit moves the finding two lines down: same fingerprint
    stage(git_repo, {"app/deploy.py": "# deployment helpers\n\n" + SHELL_CALL + "\n\ndef other():\n    return 1\n"})
    proc = check(git_repo)
    assert (proc.returncode, proc.stdout) == (0, ""), proc.stderr


def test_the_index_is_checked_not_the_work_tree(git_repo):
    git_repo.commit({"app/deploy.py": CLEAN}, date="2025-01-10")
    # the work tree has the problem, the index does not
    git_repo.write({"app/deploy.py": SHELL_CALL})
    assert check(git_repo).returncode == 0
    # the index has the problem, the work tree has fixed it since
    git_repo.git("add", "app/deploy.py")
    git_repo.write({"app/deploy.py": CLEAN})
    proc = check(git_repo)
    assert proc.returncode == 1 and proc.stdout.startswith(SHELL_LINE)


def test_a_renamed_file_keeps_its_old_findings(git_repo):
    git_repo.commit({"app/deploy.py": SHELL_CALL + "\n\ndef a():\n    return 1\n\n\ndef b():\n    return 2\n"}, date="2025-01-10")
    git_repo.git("mv", "app/deploy.py", "app/release.py")
    stage(git_repo, {"app/release.py": "# moved\n" + (git_repo.path / "app/release.py").read_text()})
    status = git_repo.git("diff", "--cached", "-M", "--name-status")
    assert status.startswith("R"), status
    proc = check(git_repo)
    assert (proc.returncode, proc.stdout) == (0, ""), proc.stderr
    # and a new problem in the renamed file is still found, under its new name
    text = (git_repo.path / "app/release.py").read_text()
    stage(git_repo, {"app/release.py": text + "\n\ndef c(x):\n    return subprocess.call(x + 'c', shell=True)\n"})
    proc = check(git_repo)
    assert proc.returncode == 1
    line = len(text.splitlines()) + 4
    assert proc.stdout.splitlines() == [proc.stdout.splitlines()[0]]
    assert proc.stdout.startswith(f"app/release.py:{line}: security.B602: ")


def test_only_the_given_files_are_checked(git_repo):
    git_repo.commit({"app/deploy.py": CLEAN, "app/other.py": CLEAN}, date="2025-01-10")
    stage(git_repo, {"app/deploy.py": SHELL_CALL, "app/other.py": CLEAN + "\n# note\n"})
    assert check(git_repo, "app/other.py").returncode == 0
    proc = check(git_repo, "app/other.py", "app/deploy.py")
    assert proc.returncode == 1 and proc.stdout.startswith(SHELL_LINE)
    # a folder selects the files below it
    assert check(git_repo, "app").returncode == 1


def test_a_new_file_counts_all_its_findings(git_repo):
    git_repo.commit({"README.md": "hi\n"}, date="2025-01-10")
    stage(git_repo, {"app/deploy.py": SHELL_CALL})
    proc = check(git_repo)
    assert proc.returncode == 1 and proc.stdout.startswith(SHELL_LINE)


def test_a_repository_without_commits(git_repo):
    stage(git_repo, {"app/deploy.py": SHELL_CALL})
    proc = check(git_repo)
    assert proc.returncode == 1 and proc.stdout.startswith(SHELL_LINE), proc.stderr


def test_threshold_from_flag_and_configuration(git_repo):
    git_repo.commit({"app/deploy.py": CLEAN}, date="2025-01-10")
    # `import subprocess` alone is a low finding (B404)
    stage(git_repo, {"app/deploy.py": "import subprocess\n\n" + CLEAN})
    assert check(git_repo).returncode == 0
    proc = check(git_repo, "--fail-on", "low")
    assert proc.returncode == 1 and "security.B404" in proc.stdout
    git_repo.commit({".archreview.toml": 'fail_on = "low"\n', "app/deploy.py": CLEAN}, date="2025-01-11")
    stage(git_repo, {"app/deploy.py": "import subprocess\n\n" + CLEAN})
    assert check(git_repo).returncode == 1
    assert check(git_repo, "--fail-on", "high").returncode == 0
    assert check(git_repo, "--fail-on", "none").returncode == 0


def test_git_commit_a_runs_the_hook_on_its_temporary_index(git_repo):
    """``git commit -a`` stages into a temporary index and names it in
    GIT_INDEX_FILE; the hook must read that index, not .git/index."""
    git_repo.commit({"app/deploy.py": CLEAN}, date="2025-01-10")
    hook = git_repo.path / ".git" / "hooks" / "pre-commit"
    hook.write_text(f"#!/bin/sh\nexec {sys.executable} -m archreview check\n")
    hook.chmod(0o755)
    git_repo.write({"app/deploy.py": SHELL_CALL})  # modified, not staged
    env = git_env("2025-01-11")
    env["ARCHREVIEW_CACHE_DIR"] = os.environ["ARCHREVIEW_CACHE_DIR"]
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    proc = subprocess.run(["git", "commit", "-a", "-m", "deploy"], cwd=git_repo.path, env=env, capture_output=True, text=True)
    assert proc.returncode != 0, proc.stdout
    assert SHELL_LINE in proc.stdout + proc.stderr
    # a partial commit of a clean file passes although the other file is bad
    git_repo.write({"README.md": "notes\n"})
    git_repo.git("add", "README.md")
    git_repo.git("commit", "-q", "-m", "readme", date="2025-01-12")
    git_repo.write({"README.md": "more notes\n"})
    proc = subprocess.run(["git", "commit", "-m", "notes", "README.md"], cwd=git_repo.path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_relative_git_index_file(git_repo, tmp_path):
    git_repo.commit({"app/deploy.py": CLEAN}, date="2025-01-10")
    env = git_env()
    env["GIT_INDEX_FILE"] = ".git/other-index"
    subprocess.run(["git", "read-tree", "HEAD"], cwd=git_repo.path, env=env, check=True)
    git_repo.write({"app/deploy.py": SHELL_CALL})
    subprocess.run(["git", "add", "app/deploy.py"], cwd=git_repo.path, env=env, check=True)
    assert check(git_repo).returncode == 0  # .git/index is untouched
    proc = check(git_repo, env={"GIT_INDEX_FILE": ".git/other-index"})
    assert proc.returncode == 1 and proc.stdout.startswith(SHELL_LINE), proc.stderr


def _stored_result(repo, tmp_path) -> Path:
    out = tmp_path / "baseline.json"
    proc = subprocess.run(
        [sys.executable, "-m", "archreview", "scan", str(repo.path), "--format", "json", "--output", str(out)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    return out


def test_against_a_stored_baseline(git_repo, tmp_path):
    git_repo.commit({"app/deploy.py": SHELL_CALL, "app/other.py": CLEAN}, date="2025-01-10")
    baseline = _stored_result(git_repo, tmp_path)
    git_repo.commit({"app/deploy.py": CLEAN}, date="2025-01-20")  # fixed since
    stage(git_repo, {"app/deploy.py": SHELL_CALL})  # back again: known to the baseline
    assert check(git_repo).returncode == 1  # new against HEAD
    assert check(git_repo, "--baseline", str(baseline)).returncode == 0
    # files given: checked whether or not they are staged changes
    git_repo.git("reset", "-q", "--hard")
    git_repo.commit({"app/other.py": SHELL_CALL.replace("deploy", "other")}, date="2025-01-21")
    assert check(git_repo, "app/other.py").returncode == 0  # nothing staged in it
    proc = check(git_repo, "--baseline", str(baseline), "app/other.py")
    assert proc.returncode == 1 and proc.stdout.startswith("app/other.py:5: security.B602")


def save_month(repo):
    proc = subprocess.run(
        [sys.executable, "-m", "archreview", "scan", str(repo.path), "--save", "--format", "json", "--output", os.devnull],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr


def test_against_the_newest_history_month(git_repo):
    git_repo.commit({"app/deploy.py": SHELL_CALL}, date="2025-01-10")
    save_month(git_repo)  # .archreview/history/2025-01.json, with the finding
    git_repo.git("mv", "app/deploy.py", "app/release.py")
    assert check(git_repo, "--history").returncode == 0  # renamed, still known
    git_repo.git("reset", "-q", "--hard")
    git_repo.commit({"app/deploy.py": CLEAN}, date="2025-02-10")
    save_month(git_repo)  # 2025-02: fixed
    stage(git_repo, {"app/deploy.py": SHELL_CALL})  # and back
    proc = check(git_repo, "--history")
    assert proc.returncode == 1 and proc.stdout.startswith(SHELL_LINE)
    # a month of the history as the baseline
    assert check(git_repo, "--baseline", ".archreview/history/2025-01.json").returncode == 0
    assert check(git_repo, "--baseline", ".archreview/history/2025-02.json").returncode == 1


@pytest.mark.parametrize(
    "args, files, needle",
    [
        (["--baseline", "missing.json"], {}, "missing.json: no such baseline file"),
        (["--baseline", "bad.json"], {"bad.json": "{not json"}, "bad.json: not a readable result document"),
        (["--history"], {}, "no stored result in .archreview/history/"),
        ([], {".archreview.toml": 'fail_on = "severe"\n'}, "fail_on must be one of"),
        (["--baseline", "x.json", "--history"], {}, "give one"),
        (["../elsewhere.py"], {}, "outside the repository"),
    ],
)
def test_errors_exit_2_with_one_line(git_repo, args, files, needle):
    git_repo.commit({"app/deploy.py": CLEAN, **files}, date="2025-01-10")
    stage(git_repo, {"app/deploy.py": SHELL_CALL})
    proc = check(git_repo, *args)
    assert proc.returncode == 2
    assert needle in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_outside_a_repository_exits_2(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "archreview", "check"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 2 and "not a git repository" in proc.stderr


def test_the_gate_levels_of_the_command_line_match_the_gate():
    from archreview.commands import FAIL_ON_LEVELS
    from archreview.gate import GATE_LEVELS

    assert FAIL_ON_LEVELS == GATE_LEVELS


def test_the_command_line_loads_no_scan_machinery():
    """Every command module is imported at start: the hook pays for what they import."""
    code = (
        "import sys, archreview.cli\n"
        "heavy = [m for m in ('git', 'bandit', 'radon', 'jinja2', 'rich', 'archreview.engine', 'archreview.check', 'sqlite3') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_a_new_secret_fails_at_any_threshold_and_is_never_printed(git_repo):
    from secretfakes import Fakes

    fakes = Fakes()
    key_id, secret = fakes.aws_key_id(), fakes.aws_secret()
    git_repo.commit({"app/deploy.py": CLEAN, "deploy/prod.env": "DEBUG=false\n"}, date="2025-01-10")
    stage(git_repo, {"deploy/prod.env": f"DEBUG=false\nAWS_ACCESS_KEY_ID={key_id}\nAWS_SECRET_ACCESS_KEY={secret}\n"})
    for args in ([], ["--fail-on", "critical"], ["deploy/prod.env"]):
        proc = check(git_repo, *args)
        assert proc.returncode == 1, (args, proc.stdout, proc.stderr)
        assert proc.stdout.startswith("deploy/prod.env:2: secrets.")
        for value in (key_id, secret, key_id[4:], secret[8:]):
            assert value not in proc.stdout + proc.stderr
    # a secret lowered to a low severity (a test file) still fails
    git_repo.git("reset", "-q", "--hard")
    stage(git_repo, {"tests/test_client.py": f"KEY_ID = '{key_id}'\nSECRET = '{secret}'\n"})
    proc = check(git_repo)
    assert proc.returncode == 1 and "tests/test_client.py:1: secrets." in proc.stdout


def test_a_secret_already_committed_does_not_block_unrelated_edits(git_repo):
    """Blocking the commit cannot take back a secret that is already in the
    history; the scan and the monthly report show it."""
    from secretfakes import Fakes

    key_id = Fakes().aws_key_id()
    git_repo.commit({"deploy/prod.env": f"AWS_ACCESS_KEY_ID={key_id}\n"}, date="2025-01-10")
    stage(git_repo, {"deploy/prod.env": f"# production\nAWS_ACCESS_KEY_ID={key_id}\nREGION=eu-west-1\n"})
    proc = check(git_repo)
    assert (proc.returncode, proc.stdout) == (0, ""), proc.stderr


def test_files_are_relative_to_where_it_runs(git_repo):
    git_repo.commit({"app/deploy.py": CLEAN}, date="2025-01-10")
    stage(git_repo, {"app/deploy.py": SHELL_CALL})
    env = git_env()
    env["ARCHREVIEW_CACHE_DIR"] = os.environ["ARCHREVIEW_CACHE_DIR"]
    proc = subprocess.run(
        [sys.executable, "-m", "archreview", "check", "deploy.py"], cwd=git_repo.path / "app", env=env, capture_output=True, text=True
    )
    assert proc.returncode == 1 and proc.stdout.startswith(SHELL_LINE), proc.stderr
