"""``archreview init``: the configuration, the workflow and the pre-commit
entry, never overwriting without --force, through the real entry point."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from archreview import scaffold
from archreview.config import parse_config, tomllib
from archreview.errors import ArchreviewError

ROOT = Path(__file__).resolve().parents[1]


def init(path, *args):
    return subprocess.run([sys.executable, "-m", "archreview", "init", str(path), *args], capture_output=True, text=True, check=False)


def test_init_writes_three_files_and_the_next_steps(git_repo):
    git_repo.commit({"app.py": "x = 1\n"}, date="2025-01-10")
    proc = init(git_repo.path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    for line in ("written .archreview.toml", "written .github/workflows/archreview.yml", "written .pre-commit-config.yaml"):
        assert line in proc.stdout
    assert "Next steps:" in proc.stdout and "pre-commit install" in proc.stdout
    assert "60 days" in proc.stdout and scaffold.PLACEHOLDER in proc.stdout

    config = (git_repo.path / ".archreview.toml").read_text()
    assert tomllib.loads(config) == {}  # all commented out: the defaults apply
    workflow = (git_repo.path / ".github/workflows/archreview.yml").read_text()
    assert workflow == (ROOT / "examples/monthly-review.yml").read_text()
    hooks = yaml.safe_load((git_repo.path / ".pre-commit-config.yaml").read_text())
    (repo,) = hooks["repos"]
    assert repo["repo"] == "local" and repo["hooks"][0]["id"] == "archreview-check"


def test_existing_files_are_kept_unless_forced(git_repo):
    git_repo.write({".archreview.toml": "jobs = 2\n", ".github/workflows/archreview.yml": "name: mine\n"})
    proc = init(git_repo.path)
    assert proc.returncode == 0
    assert "kept .archreview.toml: it exists; --force replaces it" in proc.stdout
    assert (git_repo.path / ".archreview.toml").read_text() == "jobs = 2\n"
    assert (git_repo.path / ".github/workflows/archreview.yml").read_text() == "name: mine\n"
    forced = init(git_repo.path, "--force")
    assert "replaced .archreview.toml" in forced.stdout and "replaced .github/workflows/archreview.yml" in forced.stdout
    assert (git_repo.path / ".github/workflows/archreview.yml").read_text().startswith("# A monthly architecture")
    # the hook is not added twice, with or without --force
    again = init(git_repo.path, "--force")
    assert "kept .pre-commit-config.yaml: it already has the archreview-check hook" in again.stdout
    assert (git_repo.path / ".pre-commit-config.yaml").read_text().count("archreview-check") == 1


def test_settings_in_pyproject_are_not_shadowed(git_repo):
    git_repo.write({"pyproject.toml": '[project]\nname = "x"\n\n[tool.archreview]\njobs = 2\n'})
    proc = init(git_repo.path, "--force")
    assert "kept .archreview.toml: the settings are in pyproject.toml [tool.archreview]" in proc.stdout
    assert not (git_repo.path / ".archreview.toml").exists()


EXISTING = """\
# hooks run on every commit
default_stages: [pre-commit]
repos:
-   repo: https://github.com/psf/black
    rev: 24.1.0  # keep in step with pyproject
    hooks:
    -   id: black

# settings of pre-commit.ci
ci:
    autofix_prs: false
"""


def test_the_hook_is_added_to_an_existing_configuration_without_breaking_it(git_repo):
    git_repo.write({".pre-commit-config.yaml": EXISTING})
    proc = init(git_repo.path, "--source", "acme/archreview@" + "a" * 40)
    assert proc.returncode == 0, proc.stderr
    assert "added archreview-check to .pre-commit-config.yaml" in proc.stdout
    text = (git_repo.path / ".pre-commit-config.yaml").read_text()
    # every line of the old file is still there, in order, comments included
    old = EXISTING.splitlines()
    new = text.splitlines()
    kept = [line for line in new if line in old]
    assert kept == old
    data = yaml.safe_load(text)
    assert data["default_stages"] == ["pre-commit"] and data["ci"] == {"autofix_prs": False}
    assert data["repos"][0]["hooks"] == [{"id": "black"}]
    assert data["repos"][1] == {"repo": "https://github.com/acme/archreview", "rev": "a" * 40, "hooks": [{"id": "archreview-check"}]}
    # the workflow uses the same source, pinned
    workflow = yaml.safe_load((git_repo.path / ".github/workflows/archreview.yml").read_text())
    step = next(s for s in workflow["jobs"]["review"]["steps"] if "archreview" in s.get("uses", ""))
    assert step["uses"] == "acme/archreview@" + "a" * 40
    assert scaffold.PLACEHOLDER not in proc.stdout


@pytest.mark.parametrize(
    "existing",
    [
        "repos:\n  - repo: https://github.com/psf/black\n    rev: 24.1.0\n    hooks:\n      - id: black\n",
        "repos:\n- repo: https://github.com/psf/black\n  rev: 24.1.0\n  hooks:\n  - id: black\nminimum_pre_commit_version: '3.2.0'\n",
        "repos:\n  - repo: https://github.com/psf/black\n    rev: 24.1.0\n    hooks:\n      - id: black",  # no final newline
        "# only a comment\nrepos:\n    - repo: meta\n      hooks:\n          - id: check-hooks-apply\n\n\n",
    ],
)
def test_add_hook_layouts(existing):
    text, outcome = scaffold.add_hook(existing, scaffold.hook_entry(None))
    assert outcome == "added"
    before, after = yaml.safe_load(existing), yaml.safe_load(text)
    assert after["repos"][:-1] == before["repos"]
    assert after["repos"][-1]["hooks"][0]["id"] == "archreview-check"
    assert {k: v for k, v in after.items() if k != "repos"} == {k: v for k, v in before.items() if k != "repos"}


@pytest.mark.parametrize(
    "existing, message",
    [
        ("repos: [{repo: local, hooks: []}]\n", "add it under repos: by hand"),
        ("repos: [\n", "not valid YAML"),
        ("default_stages: [pre-commit]\n", "has no list of repos"),
    ],
)
def test_a_configuration_that_cannot_be_edited_safely_is_left_alone(git_repo, existing, message):
    git_repo.write({".pre-commit-config.yaml": existing})
    proc = init(git_repo.path)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert (git_repo.path / ".pre-commit-config.yaml").read_text() == existing


def test_a_subfolder_gets_its_own_configuration_and_the_workflow_reviews_it(git_repo):
    git_repo.commit({"backend/app.py": "x = 1\n"}, date="2025-01-10")
    proc = init(git_repo.path / "backend")
    assert proc.returncode == 0, proc.stderr
    assert (git_repo.path / "backend/.archreview.toml").is_file()
    assert (git_repo.path / ".pre-commit-config.yaml").is_file()
    workflow = yaml.safe_load((git_repo.path / ".github/workflows/archreview.yml").read_text())
    step = next(s for s in workflow["jobs"]["review"]["steps"] if "archreview" in s.get("uses", ""))
    assert step["with"]["path"] == "backend"


def test_the_local_hook_matches_the_published_manifest():
    (published,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (local,) = yaml.safe_load(scaffold.LOCAL_HOOK)[0]["hooks"]
    for key in ("id", "name", "entry", "types", "require_serial"):
        assert local[key] == published[key], key


def test_every_setting_in_the_template_is_one_archreview_knows():
    """Uncommented, the template is a valid configuration."""
    text = (ROOT / "examples/archreview.toml").read_text()
    uncommented = "\n".join(re.sub(r"^# ?(?=(\[|[a-z_]+ = ))", "", line) for line in text.splitlines())
    data = tomllib.loads(uncommented)
    assert {"fail_on", "day_rate", "layers", "complexity", "security"} <= set(data)
    parse_config(data, ".archreview.toml")  # raises on an unknown top-level key


def test_source_from_pip_metadata(monkeypatch):
    from importlib import metadata

    class Dist:
        def __init__(self, text):
            self.text = text

        def read_text(self, name):
            return self.text

    cases = {
        json.dumps({"url": "https://github.com/acme/archreview.git", "vcs_info": {"vcs": "git", "commit_id": "b" * 40}}): scaffold.Source(
            "acme/archreview", "b" * 40
        ),
        json.dumps({"url": "file:///src/archreview", "dir_info": {"editable": True}}): None,
        "": None,
    }
    for text, expected in cases.items():
        monkeypatch.setattr(metadata, "distribution", lambda name, text=text: Dist(text))
        assert scaffold.installed_source() == expected


def test_bad_source_is_a_usage_error(git_repo):
    proc = init(git_repo.path, "--source", "not a source")
    assert proc.returncode == 2 and "--source must look like OWNER/REPOSITORY@COMMIT" in proc.stderr
    with pytest.raises(ArchreviewError):
        scaffold.Source.parse("acme@x")
