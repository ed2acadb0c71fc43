from __future__ import annotations

import pytest

from archreview.config import parse_config
from archreview.selection import Selector, _Matcher

PATHS = [
    "app/models.py",
    "app/migrations/0001_initial.py",
    "app/migrations/__init__.py",
    "db/migrations/versions/3f2a_add_users.py",
    "db/migrations/env.py",
    "app/alembic/versions/2023_01_05_add_users.py",
    "backend/app/alembic/env.py",
    "sql/migrations/001_init.sql",
    "app/services/migrations/nextcloud.py",
    "node_modules/left-pad/index.js",
    "build/lib/app.py",
    "src/build/app.py",
    "tests/test_app.py",
    "app/foo_test.py",
    "app/conftest.py",
    "venv/lib/python3.11/site-packages/x.py",
    "proto/api_pb2.py",
    ".archreview/history/2025-01.json",
    "docs/vendor.md",
    "third_party/lib.py",
    "backend/retrieval/web/testdata/search_response.json",
    "pkg/test_data/sample.py",
    "playwright_tests/flows/add_article.py",
    "unittests/scans/devskim/crypto.py",
]


def test_default_selection():
    selector = Selector.from_config(parse_config({}, "defaults"))
    got = {p: (selector.excluded_by(p), selector.role(p)) for p in PATHS}
    assert got == {
        "app/models.py": (None, "source"),
        "app/migrations/0001_initial.py": ("database migrations", "source"),
        # a Django migrations package's __init__.py is empty; another one may
        # hold the code that runs the migrations (CTFd/utils/migrations)
        "app/migrations/__init__.py": (None, "source"),
        "db/migrations/versions/3f2a_add_users.py": ("database migrations", "source"),
        "db/migrations/env.py": ("database migrations", "source"),
        "app/alembic/versions/2023_01_05_add_users.py": ("database migrations", "source"),
        "backend/app/alembic/env.py": ("database migrations", "source"),
        "sql/migrations/001_init.sql": ("database migrations", "source"),
        # importers from other apps in a package named "migrations": product code
        "app/services/migrations/nextcloud.py": (None, "source"),
        "node_modules/left-pad/index.js": ("vendored code", "source"),
        "build/lib/app.py": ("build output", "source"),
        "src/build/app.py": (None, "source"),
        "tests/test_app.py": (None, "test"),
        "app/foo_test.py": (None, "test"),
        "app/conftest.py": (None, "test"),
        "venv/lib/python3.11/site-packages/x.py": ("virtual environments", "source"),
        "proto/api_pb2.py": ("generated code", "source"),
        ".archreview/history/2025-01.json": ("archreview history", "source"),
        "docs/vendor.md": (None, "source"),
        "third_party/lib.py": ("vendored code", "source"),
        # recorded responses and sample inputs of tests
        "backend/retrieval/web/testdata/search_response.json": (None, "test"),
        "pkg/test_data/sample.py": (None, "test"),
        # a browser suite beside the unit tests
        "playwright_tests/flows/add_article.py": (None, "test"),
        "unittests/scans/devskim/crypto.py": (None, "test"),
    }


@pytest.mark.parametrize(
    "patterns",
    [["**/vendor/", "/build/", "*_pb2.py", "docs/*.md"], ["legacy/", "!legacy/keep.py", "*.py"]],
)
def test_combined_regex_agrees_with_pathspec(patterns):
    matcher = _Matcher(patterns)
    for path in PATHS + ["legacy/keep.py", "legacy/old.py", "a/vendor/b/c.py", "docs/x/y.md"]:
        assert matcher.match(path) == matcher.spec.match_file(path), (patterns, path)


def test_user_excludes_replace_or_extend_defaults():
    replaced = Selector.from_config(parse_config({"exclude": ["legacy/"]}, "x"))
    assert replaced.excluded_by("legacy/a.py") == "legacy/"
    assert replaced.excluded_by("app/migrations/0001.py") is None
    extended = Selector.from_config(parse_config({"extend_exclude": ["scripts/"]}, "x"))
    assert extended.excluded_by("scripts/a.py") == "scripts/"
    assert extended.excluded_by("app/migrations/0001.py") == "database migrations"
