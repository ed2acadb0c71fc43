"""Every format from the scan command, on a small real git repository."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from archreview.render import FORMATS, RenderContext, render

APP = (
    "import subprocess\n\n\n"
    "def deploy(target, force):\n"
    + "".join(f"    if target == {i} and force:\n        return {i}\n" for i in range(12))
    + "    subprocess.call('deploy ' + target, shell=True)\n"
)


def scan(path, *args):
    return subprocess.run([sys.executable, "-m", "archreview", "scan", str(path), *args],
                          capture_output=True, text=True, check=False)


@pytest.fixture
def repo(git_repo):
    git_repo.commit({"app/deploy.py": APP, "app/util.py": "".join(f"X{i} = {i}\n" for i in range(200))}, date="2025-04-02")
    git_repo.commit(
        {"pyproject.toml": '[tool.archreview]\nclient = "Acme Shop"\nreviewer = "Jane Doe"\nday_rate = 700\ncurrency = "EUR"\n'},
        date="2025-04-03",
    )
    return git_repo


def test_formats_are_registered_in_one_place():
    assert list(FORMATS) == ["markdown", "html", "sarif", "summary", "json"]


@pytest.mark.parametrize("fmt", ["markdown", "html", "sarif", "summary", "json"])
def test_scan_writes_each_format(repo, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    proc = scan(repo.path, "--format", fmt, "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    text = out.read_text(encoding="utf-8")
    if fmt == "json":
        data = json.loads(text)
        assert data["scores"]["method"]["day_rate"] == 700 and data["scores"]["method"]["currency"] == "EUR"
        assert data["scores"]["areas"]["security"]["grade"] == "D"
    elif fmt == "sarif":
        data = json.loads(text)
        assert data["version"] == "2.1.0"
        assert {r["ruleId"] for r in data["runs"][0]["results"]} >= {"security.B602", "complexity.function"}
    else:
        assert "Acme Shop" in text
    if fmt in ("markdown", "html"):
        assert "Jane Doe" in text and "EUR" in text
    if fmt == "html":
        assert "http://" not in text and "https://" not in text and "src=" not in text


def test_json_format_is_the_result_itself():
    from resultdata import load

    result = load("midsize.json")
    assert json.loads(render("json", result, RenderContext())) == result.to_dict()


def test_unknown_format_is_a_usage_error(repo):
    proc = scan(repo.path, "--format", "pdf")
    assert proc.returncode == 2
    assert "pdf" in proc.stderr


def test_bad_day_rate_is_one_line_and_exit_2(git_repo):
    git_repo.commit({"app.py": "x = 1\n", ".archreview.toml": 'day_rate = "a lot"\n'}, date="2025-04-02")
    proc = scan(git_repo.path)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "archreview: error: .archreview.toml: day_rate must be a non-negative number"
