from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from gitfixture import GitFixture  # noqa: E402

SHARED_DATA = Path(os.environ.get("ARCHREVIEW_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own empty cache folder, never the user's."""
    monkeypatch.setenv("ARCHREVIEW_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def git_repo(tmp_path) -> GitFixture:
    return GitFixture(tmp_path / "repo")


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("shared test data (../shared/data) is not available")
    return SHARED_DATA
