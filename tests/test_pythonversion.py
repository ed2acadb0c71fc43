"""The Python a project says it needs, and files the scan's Python cannot read."""

from __future__ import annotations

import sys

import pytest

from archreview.model import Coverage, Skipped
from archreview.pythonversion import declared, explain_skips, lower_bound, running
from archreview.scan import run_scan

NEXT = f"{sys.version_info[0]}.{sys.version_info[1] + 1}"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [(">=3.14", (3, 14)), ("~=3.12", (3, 12)), ("==3.13.*", (3, 13)), (">=3.9,<4", (3, 9)), (">3.10", (3, 10)), ("<4", None), ("not a spec", None)],
)
def test_lower_bound_of_requires_python(spec, expected):
    assert lower_bound(spec) == expected


def files(**texts):
    return lambda path: texts.get(path.replace(".", "_").replace("-", "_").lstrip("_"))


def test_declared_python_comes_from_pyproject_then_python_version():
    assert declared(files(pyproject_toml='[project]\nname = "x"\nrequires-python = ">=3.14"\n')).minimum == (3, 14)
    poetry = '[tool.poetry.dependencies]\npython = "^3.12"\ndjango = "^5"\n'
    found = declared(files(pyproject_toml=poetry))
    assert found.minimum == (3, 12) and "Poetry" in found.source
    found = declared(files(pyproject_toml='[project]\nname = "x"\n', python_version="# pinned\n3.13.1\n"))
    assert found.minimum == (3, 13) and found.source == ".python-version 3.13.1"
    assert declared(files(pyproject_toml="not = [toml")) is None
    assert declared(files()) is None


def test_only_syntax_failures_of_a_project_needing_a_newer_python_are_reworded():
    coverage = Coverage(
        skipped=[
            Skipped("app/deps.py", "syntax error at line 36 with Python 3.11: multiple exception types must be parenthesized"),
            Skipped("app/latin1.py", "not valid utf-8 text (bad byte at offset 3)"),
            Skipped("docs/conf.txt", "syntax error at line 1 with Python 3.11: x"),
        ]
    )
    project = files(pyproject_toml=f'[project]\nname = "x"\nrequires-python = ">={NEXT}"\n')
    assert explain_skips(coverage, project) == 1
    reason = coverage.skipped[0].reason
    assert reason.startswith(f"needs Python {NEXT} (pyproject.toml requires-python >={NEXT}); this scan ran on Python ")
    assert reason.endswith("(syntax error at line 36 with Python 3.11: multiple exception types must be parenthesized)")
    assert coverage.skipped[1].reason.startswith("not valid utf-8")
    assert coverage.skipped[2].reason.startswith("syntax error")  # not a Python file
    assert coverage.notes == [
        f"1 Python file needs Python {NEXT} (pyproject.toml requires-python >={NEXT}) and could not be analysed on "
        f"Python {'.'.join(map(str, running()))}: run archreview on Python {NEXT} or newer to include it."
    ]


def test_a_syntax_error_in_a_project_for_this_python_stays_a_syntax_error():
    coverage = Coverage(skipped=[Skipped("app/broken.py", "syntax error at line 1 with Python 3.11: invalid syntax")])
    current = ".".join(map(str, running()))
    assert explain_skips(coverage, files(pyproject_toml=f'[project]\nname = "x"\nrequires-python = ">={current}"\n')) == 0
    assert explain_skips(coverage, files()) == 0
    assert coverage.skipped[0].reason.startswith("syntax error") and not coverage.notes


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="except A, B: parses on 3.14+")
def test_a_scan_explains_files_written_for_the_projects_newer_python(git_repo):
    git_repo.commit(
        {
            "pyproject.toml": f'[project]\nname = "svc"\nversion = "1"\nrequires-python = ">={NEXT}"\n',
            "app/deps.py": "def user(token):\n    try:\n        return decode(token)\n    except ValueError, KeyError:\n        return None\n",
            "app/ok.py": "def f(x):\n    return x\n",
        },
        date="2025-01-10",
    )
    result, _, _ = run_scan(git_repo.path, jobs=1, offline=True)
    reason = {s.path: s.reason for s in result.coverage.skipped}["app/deps.py"]
    assert reason.startswith(f"needs Python {NEXT} (pyproject.toml requires-python >={NEXT})")
    assert any(note.startswith(f"1 Python file needs Python {NEXT}") for note in result.coverage.notes)
