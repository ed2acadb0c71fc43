"""The name a report gives the scanned repository."""

from __future__ import annotations

import subprocess

import pytest
from gitfixture import git_env

from archreview.scan import run_scan


@pytest.mark.parametrize(("folder", "name"), [("shop.git", "shop"), ("shop/repo", "shop"), ("shop.git/.git", "shop"), ("shop-api", "shop-api")])
def test_a_bare_clone_is_named_after_its_project_not_a_generic_folder(git_repo, tmp_path, folder, name):
    git_repo.commit({"app.py": "x = 1\n"}, date="2025-01-10")
    bare = tmp_path / "clones" / folder
    bare.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "clone", "-q", "--bare", str(git_repo.path), str(bare)], check=True, env=git_env())
    result, _, _ = run_scan(bare, use_cache=False, jobs=1)
    assert result.repository["name"] == name
