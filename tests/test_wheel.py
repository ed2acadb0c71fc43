"""The wheel carries checks/ and report_templates/, and a scan renders its
report from an installed (not editable) copy."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("archreview-*.whl")
    return built


def test_wheel_contains_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "archreview/_data/report_templates/report.md.j2" in names
    shipped_checks = {n for n in names if n.startswith("archreview/_data/checks/")}
    repo_checks = {f"archreview/_data/checks/{p.relative_to(ROOT / 'checks').as_posix()}" for p in (ROOT / "checks").rglob("*") if p.is_file()}
    assert repo_checks <= shipped_checks


def test_installed_wheel_renders_a_report(wheel, tmp_path, git_repo):
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    git_repo.commit({"app.py": "import subprocess\nsubprocess.call('ls', shell=True)\n"}, date="2025-01-10")
    env = dict(os.environ, PYTHONPATH=str(site))
    where = subprocess.run(
        [sys.executable, "-c", "import archreview.resources as r; print(r.templates_dir())"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(site)
    report = subprocess.run(
        [sys.executable, "-m", "archreview", "scan", str(git_repo.path), "--no-cache"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    ).stdout
    assert "security.B602" in report
