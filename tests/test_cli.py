"""The scan command end to end, through the real entry point."""

from __future__ import annotations

import json
import subprocess
import sys

from archreview import progress

APP = (
    "import subprocess\n\n\n"
    "def deploy(target, force, dry_run, retries):\n"
    + "".join(f"    if target == {i} and force:\n        return {i}\n" for i in range(12))
    + "    subprocess.call('deploy ' + target, shell=True)\n"
)


def run(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "archreview", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)


def test_json_result_has_the_documented_fields(git_repo, tmp_path):
    commit = git_repo.commit({"app/deploy.py": APP, "tests/test_deploy.py": "def test_x():\n    assert True\n"}, date="2025-01-10")
    out = tmp_path / "result.json"
    proc = run("scan", str(git_repo.path), "--format", "json", "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and proc.stderr == ""
    data = json.loads(out.read_text())
    assert list(data)[0] == "schema_version"
    assert data["revision"] == commit
    assert {"analyzed", "skipped"} <= set(data["coverage"])
    files = {f["path"]: f for f in data["files"]}
    assert set(files) == {"app/deploy.py", "tests/test_deploy.py"}
    deploy = files["app/deploy.py"]
    assert deploy["blob"] == git_repo.git("rev-parse", "HEAD:app/deploy.py").strip()
    assert deploy["cc_max"] == deploy["cc_total"] == 25  # 1 + 12 ifs + 12 "and"
    assert files["tests/test_deploy.py"]["role"] == "test"
    rules = {f["rule"] for f in data["findings"]}
    assert {"security.B602", "security.B404", "complexity.function"} <= rules
    b602 = next(f for f in data["findings"] if f["rule"] == "security.B602")
    assert set(b602) >= {"rule", "area", "severity", "path", "line", "message", "plain", "effort_minutes", "fingerprint"}
    assert b602["severity"] == "high" and b602["path"] == "app/deploy.py"
    # B101 asserts in tests are not product findings
    assert not any(f["path"].startswith("tests/") for f in data["findings"] if f["area"] != "readiness")


def test_markdown_report_sections(git_repo):
    git_repo.commit({"app/deploy.py": APP, "bad.py": "def (:\n"}, date="2025-01-10")
    proc = run("scan", str(git_repo.path))
    assert proc.returncode == 0, proc.stderr
    report = proc.stdout
    for heading in ("## 1. Verdict", "## 2. Top", "### Appendix B. Most complex functions", "### Appendix E. Coverage"):
        assert heading in report
    assert "`deploy`" in report and "25 (rank D)" in report
    assert "| `bad.py` | syntax error at line 1" in report


def test_fingerprints_survive_unrelated_edits(git_repo, tmp_path):
    git_repo.commit({"app/deploy.py": APP}, date="2025-01-10")
    first = json.loads(run("scan", str(git_repo.path), "--format", "json").stdout)
    git_repo.commit({"app/deploy.py": "# a new header comment\n\n" + APP}, date="2025-02-10")
    second = json.loads(run("scan", str(git_repo.path), "--format", "json").stdout)
    before = {f["rule"]: (f["fingerprint"], f["line"]) for f in first["findings"]}
    after = {f["rule"]: (f["fingerprint"], f["line"]) for f in second["findings"]}
    assert before["security.B602"][0] == after["security.B602"][0]
    assert after["security.B602"][1] == before["security.B602"][1] + 2


def test_scanned_code_is_never_executed(git_repo, tmp_path):
    marker = tmp_path / "executed"
    payload = f"open({str(marker)!r}, 'w').write('ran')\n"
    git_repo.commit(
        {
            "setup.py": payload,
            "conftest.py": payload,
            "pkg/__init__.py": payload,
            "pkg/__main__.py": payload,
            "sitecustomize.py": payload,
        },
        date="2025-01-10",
    )
    proc = run("scan", str(git_repo.path), "--worktree", cwd=git_repo.path)
    assert proc.returncode == 0, proc.stderr
    proc = run("scan", str(git_repo.path), "--jobs", "2", "--no-cache", cwd=git_repo.path)
    assert proc.returncode == 0, proc.stderr
    assert not marker.exists()


def test_output_to_missing_folder_is_a_clear_error(git_repo, tmp_path):
    git_repo.commit({"a.py": "x = 1\n"}, date="2025-01-10")
    proc = run("scan", str(git_repo.path), "--output", str(tmp_path / "no" / "such" / "r.md"))
    assert proc.returncode == 2
    assert proc.stderr.startswith("archreview: error: ") and proc.stderr.count("\n") == 1


def test_progress_is_quiet_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert progress.wanted(None) is False
    assert progress.wanted(True) is True
    monkeypatch.delenv("CI")
    assert progress.wanted(False) is False


def test_ctrl_c_is_one_line_and_exit_130(monkeypatch, capsys):
    import pytest

    from archreview import scan as scan_module
    from archreview.cli import cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(scan_module, "run_scan", interrupted)  # the command imports it when it runs
    with pytest.raises(SystemExit) as exited:
        cli.main(["scan", "."], prog_name="archreview")
    assert exited.value.code == 130
    assert capsys.readouterr().err.strip() == "archreview: error: interrupted"  # after the ^C line
