"""The pre-commit hook for real: ``pre-commit try-repo`` against this
repository builds the hook's virtual environment and pip-installs archreview
from source into it, in a fixture repository - without a network.

pip gets no index (``PIP_NO_INDEX``) and a local wheel folder made from the
distributions installed here (``tests/wheelhouse.py``): hatchling to build
archreview, and archreview's dependencies. Where the system allows it, the
run happens in a new network namespace, which has no network at all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from gitfixture import GitFixture, git_env
from wheelhouse import build_wheelhouse, project_requirements

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

SHELL_CALL = "import subprocess\n\n\ndef deploy(target):\n    return subprocess.call('deploy ' + target, shell=True)\n"


def _no_network_prefix() -> list[str]:
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode == 0:
        return [unshare, "-rn"]
    return []


@pytest.fixture(scope="module")
def offline_env(tmp_path_factory) -> dict[str, str]:
    if not (ROOT / ".git").exists():
        pytest.skip("try-repo needs this project as a git repository")
    base = tmp_path_factory.mktemp("precommit")
    wheels = base / "wheels"
    build_wheelhouse(wheels, project_requirements(ROOT / "pyproject.toml"))
    env = git_env()
    env.pop("PYTHONPATH", None)  # the hook must run the copy pip installed
    env.update(
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheels),
        PIP_CONFIG_FILE=os.devnull,  # no machine-wide index settings
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PRE_COMMIT_HOME=str(base / "pre-commit-home"),
        VIRTUALENV_OVERRIDE_APP_DATA=str(base / "virtualenv-data"),
        VIRTUALENV_NO_PERIODIC_UPDATE="1",
        ARCHREVIEW_CACHE_DIR=str(base / "cache"),
    )
    return env


def try_repo(repo: GitFixture, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    command = [*_no_network_prefix(), sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "archreview-check", *args]
    return subprocess.run(command, cwd=repo.path, env=env, capture_output=True, text=True, timeout=900)


def test_the_manifest_declares_the_hook():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "archreview-check"
    assert hook["entry"] == "archreview check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    assert hook["types"] == ["text"]  # secrets live in .env, YAML and JSON files too


def test_try_repo_blocks_only_new_problems(offline_env, tmp_path):
    repo = GitFixture(tmp_path / "project")
    repo.commit({"app/deploy.py": "def deploy(target):\n    return target\n", "README.md": "# app\n"}, date="2025-01-10")
    repo.write({"app/deploy.py": SHELL_CALL})
    repo.git("add", "-A")
    failed = try_repo(repo, offline_env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "archreview (new problems in the staged change)" in failed.stdout
    assert "app/deploy.py:5: security.B602: A command runs through the system shell" in failed.stdout

    # committed, the problem is no longer new: an unrelated staged edit passes
    repo.git("commit", "-q", "-m", "deploy", "--no-verify", date="2025-01-11")
    repo.write({"app/deploy.py": "# deployment\n" + SHELL_CALL, "README.md": "# app\n\nNotes.\n"})
    repo.git("add", "-A")
    passed = try_repo(repo, offline_env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout

    # --all-files passes every file; nothing differs from HEAD, nothing is new
    repo.git("commit", "-q", "-m", "notes", "--no-verify", date="2025-01-12")
    everything = try_repo(repo, offline_env, "--all-files")
    assert everything.returncode == 0, everything.stdout + everything.stderr


def test_try_repo_catches_a_secret_in_a_text_file(offline_env, tmp_path):
    from secretfakes import Fakes

    token = Fakes().github_token()
    repo = GitFixture(tmp_path / "project")
    repo.commit({"config/app.yaml": "debug: false\n"}, date="2025-01-10")
    repo.write({"config/app.yaml": f"debug: false\ngithub_token: {token}\n"})
    repo.git("add", "-A")
    proc = try_repo(repo, offline_env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "config/app.yaml:2: secrets." in proc.stdout
    assert token not in proc.stdout + proc.stderr
