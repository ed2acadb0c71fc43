"""The CI gate: ``scan --fail-on`` and ``--baseline``, exit codes 0/1/2, and
the gate's rules (secrets fail at any severity)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from archreview.config import parse_config
from archreview.errors import ConfigError
from archreview.gate import explain, fail_on_setting, failing, finding_line
from archreview.model import Finding

SHELL_CALL = (
    "import subprocess\n\n\n"
    "def deploy(target):\n"
    "    return subprocess.call('deploy ' + target, shell=True)\n"
)


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "archreview", *args], cwd=cwd, capture_output=True, text=True, check=False)


def finding(rule="security.B602", area="security", severity="high", path="app.py", line=3, plain="Why it matters."):
    return Finding(rule, area, severity, path, line, "technical", plain, 30, fingerprint=f"{rule}{path}{line}")


def test_no_gate_without_fail_on(git_repo):
    git_repo.commit({"app/deploy.py": SHELL_CALL}, date="2025-01-10")
    proc = run("scan", str(git_repo.path), "--format", "json")
    assert proc.returncode == 0 and proc.stderr == ""


def expected_line(findings, threshold, new=False):
    """The gate's line, counted here from the result document."""
    from collections import Counter

    from archreview.model import severity_at_least

    failing_rules = [f["rule"] for f in findings if f["area"] == "secrets" or severity_at_least(f["severity"], threshold)]
    counts = Counter(failing_rules).most_common()
    noun = ("new " if new else "") + ("finding" if len(failing_rules) == 1 else "findings")
    shown = ", ".join(f"{n} {rule}" for rule, n in counts[:4]) + (f", {len(counts) - 4} more rules" if len(counts) > 4 else "")
    return f"archreview: gate failed: {len(failing_rules)} {noun} at or above {threshold} ({shown})\n"


def test_gate_fails_with_one_line_after_writing_the_report(git_repo, tmp_path):
    git_repo.commit({"app/deploy.py": SHELL_CALL}, date="2025-01-10")
    result = tmp_path / "result.json"
    proc = run("scan", str(git_repo.path), "--fail-on", "high", "--format", "json", "--output", str(result))
    assert proc.returncode == 1
    findings = json.loads(result.read_text())["findings"]  # written before the gate
    assert "security.B602" in {f["rule"] for f in findings}
    assert proc.stderr == expected_line(findings, "high")
    assert "1 security.B602" in proc.stderr
    report = tmp_path / "report.md"
    assert run("scan", str(git_repo.path), "--fail-on", "none", "--output", str(report)).returncode == 0
    assert report.read_text().startswith("# Architecture and risk review")
    if not any(f["severity"] == "critical" for f in findings):
        assert run("scan", str(git_repo.path), "--fail-on", "critical", "--output", str(report)).returncode == 0
    low = run("scan", str(git_repo.path), "--fail-on", "LOW", "--output", str(report))
    assert low.returncode == 1
    assert low.stderr == expected_line(findings, "low")
    assert "1 security.B404" in low.stderr or "more rules" in low.stderr


def test_baseline_counts_only_new_findings(git_repo, tmp_path):
    git_repo.commit({"app/deploy.py": SHELL_CALL}, date="2025-01-10")
    baseline = tmp_path / "2025-01.json"
    assert run("scan", str(git_repo.path), "--format", "json", "--output", str(baseline)).returncode == 0
    # the known finding moves with its file; one new problem appears elsewhere
    git_repo.rename("app/deploy.py", "app/release.py", date="2025-02-01")
    git_repo.commit({"app/tasks.py": SHELL_CALL.replace("deploy", "task")}, date="2025-02-02")
    proc = run("scan", str(git_repo.path), "--fail-on", "high", "--baseline", str(baseline), "--format", "json", "-o", str(tmp_path / "now.json"))
    assert proc.returncode == 1
    assert proc.stderr == "archreview: gate failed: 1 new finding at or above high (1 security.B602)\n"
    now = json.loads((tmp_path / "now.json").read_text())
    assert sum(f["severity"] == "high" for f in now["findings"]) > 1  # the old ones did not count
    assert {f["path"] for f in now["findings"] if f["rule"] == "security.B602"} == {"app/release.py", "app/tasks.py"}
    # against itself nothing is new
    proc = run("scan", str(git_repo.path), "--fail-on", "low", "--baseline", str(tmp_path / "now.json"), "-o", str(tmp_path / "r.md"))
    assert (proc.returncode, proc.stderr) == (0, "")
    # --baseline alone gates at the configured fail_on (default high)
    proc = run("scan", str(git_repo.path), "--baseline", str(baseline), "-o", str(tmp_path / "r.md"))
    assert proc.returncode == 1


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--baseline", "/nonexistent/base.json"], "no such baseline file"),
        (["--fail-on", "severe"], "Invalid value for '--fail-on'"),
    ],
)
def test_usage_errors_exit_2(git_repo, args, needle):
    git_repo.commit({"app/deploy.py": SHELL_CALL}, date="2025-01-10")
    proc = run("scan", str(git_repo.path), *args, "-o", str(git_repo.path / "r.md"))
    assert proc.returncode == 2
    assert needle in proc.stderr and "Traceback" not in proc.stderr


def test_scan_that_cannot_run_exits_2(tmp_path):
    proc = run("scan", str(tmp_path / "missing"), "--fail-on", "high")
    assert proc.returncode == 2 and proc.stderr.startswith("archreview: error:")


def test_secrets_fail_at_any_severity():
    secret = finding(rule="secrets.aws-access-key", area="secrets", severity="low", path="tests/conf.py")
    info = finding(rule="complexity.function", area="complexity", severity="info")
    assert failing([secret, info], "high") == [secret]
    assert failing([secret, info], "none") == []
    assert failing([secret, info], None) == []
    assert failing([info], "info") == [info]


def test_explain_names_rules_most_frequent_first():
    found = [finding(line=n) for n in range(2)] + [finding(rule="secrets.aws-access-key", area="secrets", severity="critical")]
    assert explain(found, "high") == "gate failed: 3 findings at or above high (2 security.B602, 1 secrets.aws-access-key)"
    low_secret = [finding(rule="secrets.generic-password", area="secrets", severity="low")]
    assert explain(low_secret, "high", new=True) == "gate failed: 1 new finding at or above high or secrets (1 secrets.generic-password)"
    many = [finding(rule=f"security.B{600 + n}") for n in range(6)]
    assert explain(many, "medium").endswith(", 2 more rules)")


def test_fail_on_setting_precedence():
    config = parse_config({"fail_on": "medium"}, ".archreview.toml")
    assert fail_on_setting(None, config) == "medium"
    assert fail_on_setting("critical", config) == "critical"
    assert fail_on_setting(None, parse_config({}, "defaults")) == "high"
    assert fail_on_setting(None, None, default=None) is None
    with pytest.raises(ConfigError, match=r"\.archreview\.toml: fail_on must be one of"):
        fail_on_setting(None, parse_config({"fail_on": "urgent"}, ".archreview.toml"))


def test_finding_line_is_one_line():
    line = finding_line(finding(path="app/x.py", line=12, plain="A command runs\n through the shell."))
    assert line == "app/x.py:12: security.B602: A command runs through the shell."
