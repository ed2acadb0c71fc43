"""A small repository with half a year of dated history, for the history,
comparison, activity and backfill tests.

    2025-01  Ann creates app/core.py (a complex function), app/util.py (a
             shell=True call), tests; Bob adds app/api.py
    2025-02  Bob inserts lines above the complex function (it moves lines);
             a feature branch by Cara is merged (--no-ff)
    2025-03  no commits
    2025-04  Ann moves app/util.py to app/helpers/util.py (git mv)
    2025-05  Bob fixes the shell=True call and adds app/billing.py with a new
             complex function
    2025-06  Bob and Cara edit app/api.py and app/billing.py; Ann is gone
"""

from __future__ import annotations

from gitfixture import GitFixture

ANN = "Ann Author <ann@example.com>"
BOB = "Bob Builder <bob@example.com>"
CARA = "Cara Coder <cara@example.com>"


def branchy(name: str, branches: int = 12, extra: str = "") -> str:
    """A function with ``branches`` + 1 paths (cyclomatic complexity)."""
    lines = [f"def {name}(x):"]
    if extra:
        lines.append(f"    {extra}")
    for i in range(branches):
        lines.append(f"    if x == {i}:")
        lines.append(f"        return {i * 3}")
    lines.append("    return -1")
    return "\n".join(lines) + "\n"


UTIL_SHELL = '''import subprocess


def run(cmd):
    return subprocess.call(cmd, shell=True)


def size(items):
    return len(items)
'''

UTIL_FIXED = '''import subprocess


def run(cmd):
    return subprocess.call(cmd.split())


def size(items):
    return len(items)
'''

API = '''def get(items, key):
    for item in items:
        if item == key:
            return item
    return None
'''

TEST_CORE = '''from app.core import route


def test_route():
    assert route(1) == 3
'''


def build(repo: GitFixture) -> dict[str, str]:
    """Make the history; returns the commit ids by label."""
    c: dict[str, str] = {}
    c["jan-ann"] = repo.commit(
        {
            "app/__init__.py": "",
            "app/core.py": "import os\n\n\n" + branchy("route"),
            "app/util.py": UTIL_SHELL,
            "tests/test_core.py": TEST_CORE,
        },
        date="2025-01-10",
        author=ANN,
        message="start",
    )
    c["jan-bob"] = repo.commit({"app/api.py": API}, date="2025-01-20", author=BOB, message="api")
    c["feb-bob"] = repo.commit(
        {"app/core.py": "import os\nimport sys\n\nLIMIT = 3\nNAME = 'core'\n\n\n" + branchy("route")},
        date="2025-02-03",
        author=BOB,
        message="constants above route",
    )
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({"app/api.py": API + "\n\ndef put(items, item):\n    items.append(item)\n"}, date="2025-02-10", author=CARA, message="put")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "merge feature", "feature", date="2025-02-11", author=ANN)
    c["feb-merge"] = repo.head()
    c["apr-ann"] = repo.rename("app/util.py", "app/helpers/util.py", date="2025-04-05", author=ANN)
    c["may-bob"] = repo.commit(
        {"app/helpers/util.py": UTIL_FIXED, "app/billing.py": branchy("charge", 14)},
        date="2025-05-20",
        author=BOB,
        message="fix shell, add billing",
    )
    c["jun-bob"] = repo.commit(
        {"app/billing.py": branchy("charge", 14, extra="x = int(x)")}, date="2025-06-02", author=BOB, message="billing"
    )
    c["jun-cara"] = repo.commit(
        {"app/api.py": API + "\n\ndef put(items, item):\n    items.append(item)\n    return items\n"},
        date="2025-06-15",
        author=CARA,
        message="api returns",
    )
    return c
