"""The dependencies analyzer end to end: real git repositories built with
tests/gitfixture.py, scanned through archreview.scan.run_scan, offline
against advisory data from the shared PyPA snapshot and online against fake
services on loopback."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

from archreview.cli import cli
from archreview.engine import ScanOptions
from archreview.scan import run_scan

NOW = datetime(2025, 6, 1, tzinfo=timezone.utc)
ROW_KEYS = {"name", "version", "spec", "source_file", "pinned", "latest", "behind", "last_release", "vulns"}


@pytest.fixture
def django_db(shared_data, tmp_path):
    """The django advisories of the shared PyPA snapshot, as a small database."""
    target = tmp_path / "advisories" / "vulns" / "django"
    shutil.copytree(shared_data / "pypa-advisory-database" / "vulns" / "django", target)
    return tmp_path / "advisories"


def planted_setup_py(marker) -> str:
    return (
        "import pathlib\n"
        f"pathlib.Path({str(marker)!r}).write_text('setup.py was executed')\n"
        "from setuptools import setup\n"
        "setup(name='api', install_requires=['fastapi'])\n"
    )


def scan(repo, **kwargs):
    options = ScanOptions(now=NOW)
    result, _, _ = run_scan(repo.path, jobs=1, options=options, **kwargs)
    return result.to_dict()


def deps_findings(doc, rule=None):
    return [f for f in doc["findings"] if f["area"] == "dependencies" and (rule is None or f["rule"] == rule)]


@pytest.fixture
def monorepo(git_repo, tmp_path):
    marker = tmp_path / "setup-py-ran"
    git_repo.commit(
        {
            "app.py": "print('hello')\n",
            "requirements.txt": "-r requirements/base.txt\ndjango==3.2.0\n",
            "requirements/base.txt": "asgiref==3.3.4\n-r ../requirements.txt\n",
            "services/api/pyproject.toml": '[project]\nname = "api"\nversion = "1"\ndependencies = ["fastapi>=0.100", "uvicorn"]\n',
            "services/api/setup.py": planted_setup_py(marker),
            "services/api/api/__init__.py": "",
            "services/api/api/setup.py": "DEFAULTS = {'name': 'api'}\n",  # the setup wizard's module
            "services/billing/pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.11"\nstripe = "^5.0"\n',
            "services/billing/poetry.lock": '[[package]]\nname = "stripe"\nversion = \n',
            "services/worker/pdm.lock": "# pdm lock\n",
            "vendor/lib/requirements.txt": "django==1.0\n",
            ".venv/lib/python3.11/site-packages/pkg/requirements.txt": "django==1.1\n",
            "tests/fixtures/project/requirements.txt": "django==1.2\n",
        },
        date="2025-05-01",
    )
    return git_repo, marker


def test_offline_audit_of_a_monorepo(monorepo, django_db, no_network):
    repo, marker = monorepo
    doc = scan(repo, offline=True, advisory_db=django_db)
    assert no_network == []  # --offline: not one connection attempted
    assert not marker.exists()  # the planted setup.py never ran
    assert doc["analyzers"]["dependencies"] == "5"

    files = {f["path"]: f for f in doc["dependency_files"]}
    assert set(files) == {
        "requirements.txt",
        "requirements/base.txt",
        "services/api/pyproject.toml",
        "services/billing/pyproject.toml",
        "services/billing/poetry.lock",  # listed, but unreadable: it pins nothing
    }
    assert files["services/billing/poetry.lock"]["count"] == 0 and not files["services/billing/poetry.lock"]["lock"]
    assert files["requirements.txt"] == {"path": "requirements.txt", "format": "requirements", "count": 1, "lock": True}
    assert all(not r["source_file"].startswith(("vendor/", ".venv/", "tests/")) for r in doc["dependencies"])

    rows = doc["dependencies"]
    assert all(ROW_KEYS <= set(row) for row in rows)
    django = next(r for r in rows if r["name"] == "django")
    assert django["source_file"] == "requirements.txt" and django["line"] == 2 and django["pinned"]
    assert django["latest"] is None and django["behind"] is None  # offline: unknown
    assert django["audited_version"] == "3.2.0" and django["vulns"]
    fastapi = next(r for r in rows if r["name"] == "fastapi")
    assert fastapi["source_file"] == "services/api/pyproject.toml" and fastapi["vulns"] is None

    skipped = {(s["path"], s["reason"]) for s in doc["coverage"]["skipped"]}
    reasons = " | ".join(f"{p}: {r}" for p, r in skipped)
    assert (
        "requirements.txt: circular -r/-c includes (requirements.txt → requirements/base.txt → requirements.txt)"
        in reasons
    )
    assert "services/billing/poetry.lock: not valid TOML" in reasons
    assert "services/worker/pdm.lock" in reasons
    assert "services/api/setup.py: dependencies declared in Python code are not read" in reasons
    assert "services/api/api/setup.py" not in reasons  # a module of a package, not a packaging script
    notes = " | ".join(doc["coverage"]["notes"])
    assert "test fixtures (1)" in notes and "vendored code (1)" in notes and "virtual environments (1)" in notes
    assert "--offline, so latest versions" in notes
    assert "local advisory database" in notes

    vulnerable = deps_findings(doc, "deps.vulnerable")
    assert {f["extra"]["advisory"] for f in vulnerable} == {v["id"] for v in django["vulns"]}
    first = vulnerable[0]
    assert first["path"] == "requirements.txt" and first["line"] == 2
    assert first["basis"] == f"django {first['extra']['advisory']}"
    assert first["plain"] and first["effort_minutes"] > 0
    assert first["severity"] in ("critical", "high", "medium", "low", "info")

    no_lock = deps_findings(doc, "deps.no-lockfile")
    assert [(f["path"], f["severity"]) for f in no_lock] == [
        ("services/api/pyproject.toml", "medium"),
        ("services/billing/pyproject.toml", "medium"),
    ]
    unpinned = {(f["path"], f["basis"]) for f in deps_findings(doc, "deps.unpinned")}
    assert unpinned == {
        ("services/api/pyproject.toml", "fastapi"),
        ("services/api/pyproject.toml", "uvicorn"),
        ("services/billing/pyproject.toml", "stripe"),
    }


def test_fingerprints_do_not_depend_on_line_numbers(monorepo, django_db):
    repo, _ = monorepo
    before = {
        (f["rule"], f["basis"]): f["fingerprint"]
        for f in deps_findings(scan(repo, offline=True, advisory_db=django_db))
    }
    repo.commit(
        {
            "requirements.txt": "# production pins\n\n-r requirements/base.txt\n\n# the web framework\ndjango==3.2.0\n",
            "services/api/pyproject.toml": '# api service\n[project]\nname = "api"\nversion = "1"\ndependencies = [\n  "uvicorn",\n  "fastapi>=0.100",\n]\n',
        },
        date="2025-05-20",
    )
    after_doc = scan(repo, offline=True, advisory_db=django_db)
    after = {(f["rule"], f["basis"]): f["fingerprint"] for f in deps_findings(after_doc)}
    assert before == after
    assert next(f for f in deps_findings(after_doc, "deps.vulnerable"))["line"] == 6


def test_offline_without_a_database_checks_nothing_and_says_so(monorepo, no_network):
    repo, marker = monorepo
    doc = scan(repo, offline=True)
    assert no_network == [] and not marker.exists()
    assert all(row["vulns"] is None for row in doc["dependencies"])
    assert "--offline without --advisory-db" in " ".join(doc["coverage"]["notes"])
    assert not deps_findings(doc, "deps.vulnerable")


def test_without_the_cache(monorepo, django_db):
    repo, _ = monorepo
    doc = scan(repo, offline=True, advisory_db=django_db, use_cache=False)
    assert deps_findings(doc, "deps.vulnerable")


def test_the_whole_shared_snapshot(git_repo, shared_data, no_network):
    git_repo.commit({"requirements.txt": "django==3.2.0\njinja2==2.10\nurllib3==2.2.3\n"}, date="2025-05-01")
    doc = scan(git_repo, offline=True, advisory_db=shared_data / "pypa-advisory-database")
    by_name = {r["name"]: r for r in doc["dependencies"]}
    assert by_name["django"]["vulns"] and by_name["jinja2"]["vulns"]
    assert by_name["urllib3"]["vulns"] == []
    assert no_network == []
    # the snapshot's newest advisory (modified 2024-10-10) is 234 days before NOW
    assert doc["advisory_data"]["newest"] == "2024-10-10"
    assert doc["advisory_data"]["age_days"] == 234 and doc["advisory_data"]["old"] is True
    assert any("the newest advisory in the local advisory database" in n and "from 2024-10-10, 7 months before" in n for n in doc["coverage"]["notes"])


def test_advisory_data_age_is_kept_with_the_index_and_fresh_data_is_not_called_old(git_repo, tmp_path, no_network):
    folder = tmp_path / "db" / "vulns" / "django"
    folder.mkdir(parents=True)
    (folder / "PYSEC-X.yaml").write_text(
        "id: PYSEC-X\nmodified: '2025-05-20T10:00:00Z'\naffected:\n- package:\n    name: django\n    ecosystem: PyPI\n"
        "  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: '0'\n    - fixed: '4.0'\n"
    )
    git_repo.commit({"requirements.txt": "django==3.2.0\n"}, date="2025-05-01")
    for _ in range(2):  # the second from the cache
        doc = scan(git_repo, offline=True, advisory_db=tmp_path / "db", cache_dir=tmp_path / "cache")
        assert doc["advisory_data"] == {"source": doc["advisory_data"]["source"], "newest": "2025-05-20", "age_days": 12, "old": False}
        assert not any("newest advisory" in n for n in doc["coverage"]["notes"])


# -- online, against fakes on loopback ------------------------------------------
def online_repo(git_repo, server, marker, extra_config=""):
    config = (
        "[dependencies]\n"
        f'json_api_url = "{server}/pypi"\n'
        f'osv_url = "{server}/v1/query"\n'
        "retries = 1\ntimeout = 2\n" + extra_config
    )
    git_repo.commit(
        {
            ".archreview.toml": config,
            "requirements.txt": "django==3.2.0\noldlib==1.0\nbroken-release==2.0.1\nflask>=2.0\n",
            "setup.py": planted_setup_py(marker),
        },
        date="2025-05-01",
    )
    return git_repo


def serve_projects(fake):
    fake.project(
        "django",
        {
            "3.2": ("2021-04-06T09:32:13Z", False),
            "4.2": ("2023-04-03T08:36:16Z", False),
            "5.0": ("2023-12-04T13:12:50Z", False),
        },
    )
    fake.project("oldlib", {"1.0": ("2014-02-01T10:00:00Z", False), "1.1": ("2015-03-01T10:00:00Z", False)})
    fake.project(
        "broken-release",
        {
            "2.0.0": ("2024-01-01T00:00:00Z", False),
            "2.0.1": ("2024-01-02T00:00:00Z", True),
            "2.0.2": ("2024-01-03T00:00:00Z", False),
        },
    )
    fake.project("flask", {"2.0.0": ("2021-05-11T00:00:00Z", False), "3.0.0": ("2023-09-30T00:00:00Z", False)})
    fake.osv[("django", "3.2")] = [  # audited as the index spells the pin "==3.2.0"
        {
            "id": "GHSA-fake-0001",
            "aliases": ["CVE-2099-0001"],
            "summary": "SQL injection in QuerySet.order_by",
            "affected": [
                {
                    "package": {"name": "django", "ecosystem": "PyPI"},
                    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "3.2"}, {"fixed": "3.2.5"}]}],
                }
            ],
        }
    ]
    fake.osv[("flask", "3.0.0")] = [
        {
            "id": "GHSA-fake-0002",
            "summary": "session cookie flaw",
            "affected": [
                {
                    "package": {"name": "flask", "ecosystem": "PyPI"},
                    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.1"}]}],
                }
            ],
        }
    ]


def test_online_staleness_and_pip_audit_service(git_repo, fake_index, tmp_path):
    marker = tmp_path / "setup-py-ran"
    serve_projects(fake_index)
    repo = online_repo(git_repo, fake_index.url, marker)
    doc = scan(repo)
    assert not marker.exists()
    rows = {r["name"]: r for r in doc["dependencies"]}
    django = rows["django"]
    assert django["latest"] == "5.0"
    assert django["behind"] == {"releases": 2, "days": 972, "majors": 2}
    assert django["last_release"] == "2023-12-04"
    assert django["yanked"] is False
    assert django["vulns"] == [
        {
            "id": "GHSA-fake-0001",
            "aliases": ["CVE-2099-0001"],
            "fixed_in": ["3.2.5"],
            "severity": "high",
            "severity_from": "default",
            "summary": "SQL injection in QuerySet.order_by",
        }
    ]
    assert rows["broken-release"]["yanked"] is True
    assert rows["flask"]["audited_version"] == "3.0.0" and rows["flask"]["vulns"][0]["id"] == "GHSA-fake-0002"
    assert any(r.startswith("POST /v1/query django 3.2") for r in fake_index.requests)
    assert django["audited_version"] == "3.2"

    rules = {(f["rule"], f["basis"]) for f in deps_findings(doc)}
    assert ("deps.vulnerable", "django GHSA-fake-0001") in rules
    assert ("deps.vulnerable", "flask GHSA-fake-0002") in rules
    assert ("deps.outdated", "django") in rules
    assert ("deps.abandoned", "oldlib") in rules
    assert ("deps.yanked", "broken-release") in rules
    assert ("deps.unpinned", "flask") in rules
    assert ("deps.no-lockfile", "no-lockfile ") in rules
    vuln = next(f for f in deps_findings(doc, "deps.vulnerable") if f["basis"].startswith("django"))
    assert vuln["severity"] == "high" and "3.2.5" in vuln["plain"] and "patch-version bump" in vuln["plain"]
    flask = next(f for f in deps_findings(doc, "deps.vulnerable") if f["basis"].startswith("flask"))
    assert "newest release that `>=2.0` allows" in flask["message"]
    outdated = next(f for f in deps_findings(doc, "deps.outdated"))
    assert outdated["extra"]["upgrade"].startswith("a major upgrade") and outdated["effort_minutes"] == 960

    # a second scan within the TTL asks nothing again
    asked = len(fake_index.requests)
    scan(repo)
    assert len(fake_index.requests) == asked


def test_network_down_the_scan_completes_with_unknowns(git_repo, closed_port, tmp_path):
    marker = tmp_path / "setup-py-ran"
    repo = online_repo(git_repo, f"http://127.0.0.1:{closed_port}", marker)
    doc = scan(repo)
    assert not marker.exists()
    rows = {r["name"]: r for r in doc["dependencies"]}
    assert all(r["latest"] is None and r["last_release"] is None and r["vulns"] is None for r in rows.values())
    notes = " | ".join(doc["coverage"]["notes"])
    assert "unknown for 4 packages" in notes and "could not connect" in notes
    assert "were not audited for vulnerabilities" in notes
    rules = {f["rule"] for f in deps_findings(doc)}
    assert rules == {"deps.unpinned", "deps.no-lockfile"}


def test_packages_from_a_private_index_are_not_sent_anywhere(git_repo, fake_index, tmp_path):
    serve_projects(fake_index)
    online_repo(git_repo, fake_index.url, tmp_path / "marker")
    git_repo.commit(
        {
            "requirements.txt": "--index-url https://ci:t0p5ecret@pkgs.internal.example/simple\ninternal-billing==1.2.0\n"
        },
        date="2025-05-02",
    )
    doc = scan(git_repo)
    assert not any("internal-billing" in r for r in fake_index.requests)
    text = json.dumps(doc)
    assert "t0p5ecret" not in text
    assert "pkgs.internal.example" in " ".join(doc["coverage"]["notes"])


def test_cli_flags(monorepo, django_db, tmp_path):
    repo, marker = monorepo
    out = tmp_path / "result.json"
    runner = CliRunner()
    args = [
        "scan",
        str(repo.path),
        "--offline",
        "--advisory-db",
        str(django_db),
        "--format",
        "json",
        "-o",
        str(out),
        "-j",
        "1",
    ]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert doc["dependency_files"] and deps_findings(doc, "deps.vulnerable")
    missing = runner.invoke(cli, ["scan", str(repo.path), "--advisory-db", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2
    assert not marker.exists()


def test_javascript_and_other_languages_dependency_files_are_named_as_not_checked(git_repo, django_db, tmp_path):
    git_repo.commit(
        {
            "requirements.txt": "django==3.2.0\n",
            "app.py": "import django\n",
            "frontend/package.json": '{"dependencies": {"vue": "2.6.0"}}\n',
            "frontend/yarn.lock": "vue@2.6.0:\n  version \"2.6.0\"\n",
            "web/bun.lock": '{"lockfileVersion": 1, "packages": {}}\n',
            "frontend/node_modules/vue/package.json": '{"name": "vue"}\n',
            "tools/go.mod": "module example.com/tools\n",
            "tests/fixtures/site/package.json": "{}\n",
        },
        date="2025-05-01",
    )
    doc = scan(git_repo, offline=True, advisory_db=django_db)
    assert doc["dependencies_not_checked"] == [
        {"language": "Go", "files": ["tools/go.mod"]},
        {"language": "JavaScript", "files": ["frontend/package.json", "frontend/yarn.lock", "web/bun.lock"]},
    ]
    notes = [n for n in doc["coverage"]["notes"] if "were not checked (only Python" in n]
    assert notes == [
        "dependencies: Go libraries were not checked (only Python dependency files are read): tools/go.mod",
        "dependencies: JavaScript libraries were not checked (only Python dependency files are read): "
        "frontend/package.json, frontend/yarn.lock, web/bun.lock",
    ]
    assert [row["name"] for row in doc["dependencies"]] == ["django"]  # the Python side is still read

    out = tmp_path / "report.md"
    result = CliRunner().invoke(
        cli, ["scan", str(git_repo.path), "--offline", "--advisory-db", str(django_db), "-o", str(out), "-j", "1"]
    )
    assert result.exit_code == 0, result.output
    report = out.read_text()
    assert "Only the Python libraries were looked at: the Go and JavaScript libraries" in report


def test_what_a_dockerfile_installs_with_pip_is_audited_and_checked_for_a_pin(git_repo, django_db, no_network):
    git_repo.commit(
        {
            "app.py": "import django\n",
            "requirements.txt": "django==4.2.20\nprometheus-client==0.20.0\n",
            "Dockerfile": (
                "FROM python:3.12-slim\n"
                "COPY requirements.txt .\n"
                "RUN pip install --upgrade pip && pip install -r requirements.txt\n"
                "RUN pip install gunicorn django==3.2.0\n"
            ),
        },
        date="2025-05-01",
    )
    doc = scan(git_repo, offline=True, advisory_db=django_db)
    files = {f["path"]: f for f in doc["dependency_files"]}
    assert files["Dockerfile"] == {"path": "Dockerfile", "format": "dockerfile", "count": 2, "lock": False}
    # the image's own django, older than the pinned one, has its advisories
    vulnerable = {(f["path"], f["line"]) for f in deps_findings(doc, "deps.vulnerable")}
    assert ("Dockerfile", 4) in vulnerable
    # a bare pip install takes the newest release: no lockfile covers it, and
    # the fix is a pin on that line, not a lockfile for the folder
    unpinned = deps_findings(doc, "deps.unpinned")
    assert [(f["path"], f["line"], f["basis"]) for f in unpinned] == [("Dockerfile", 4, "gunicorn")]
    assert unpinned[0]["message"] == (
        "gunicorn is installed as `any version` by Dockerfile, so each image build takes the newest release it allows."
    )
    assert not deps_findings(doc, "deps.no-lockfile")
    # the pinned requirements file still declares the project: its monitoring library counts
    monitoring = next(i for i in doc["readiness"] if i["id"] == "monitoring_metrics")
    assert monitoring["status"] != "absent"


def test_docs_and_test_tools_beside_a_pinned_product_need_no_lockfile(git_repo, django_db, no_network):
    git_repo.commit(
        {
            "app.py": "import django\n",
            "requirements.txt": "django==4.2.20\n",
            "docs/requirements.txt": "mkdocs\nmkdocs-material\n",
            "tests/playwright/requirements.txt": "playwright\n",
        },
        date="2025-05-01",
    )
    doc = scan(git_repo, offline=True, advisory_db=django_db)
    assert not deps_findings(doc, "deps.no-lockfile")
    assert {f["basis"] for f in deps_findings(doc, "deps.unpinned")} == {"mkdocs", "mkdocs-material", "playwright"}
    # the product's own libraries floating still need one
    git_repo.commit({"requirements.txt": "django>=4.2\n"}, date="2025-05-02")
    doc = scan(git_repo, offline=True, advisory_db=django_db)
    no_lock = {f["path"]: f["severity"] for f in deps_findings(doc, "deps.no-lockfile")}
    assert no_lock["requirements.txt"] == "medium"


def test_a_hole_in_a_library_only_the_test_tools_use_is_one_step_less_urgent(git_repo, django_db, no_network):
    git_repo.commit(
        {"app.py": "x = 1\n", "requirements.txt": "flask==3.0.0\n", "requirements-test.txt": "django==3.2.0\n"},
        date="2025-05-01",
    )
    test_only = deps_findings(scan(git_repo, offline=True, advisory_db=django_db), "deps.vulnerable")
    assert test_only and all(f["plain"].endswith("only the team's test or development tools use it, not the product.") for f in test_only)
    git_repo.commit({"requirements.txt": "flask==3.0.0\ndjango==3.2.0\n"}, date="2025-05-02")
    product = deps_findings(scan(git_repo, offline=True, advisory_db=django_db), "deps.vulnerable")
    lower = {"critical": "high", "high": "medium", "medium": "low", "low": "info"}
    by_id = {f["extra"]["advisory"]: f["severity"] for f in product}
    assert {f["extra"]["advisory"]: f["severity"] for f in test_only} == {a: lower.get(s, s) for a, s in by_id.items()}


def test_offline_without_advisory_data_claims_no_clean_bill_of_health(git_repo, tmp_path, no_network):
    git_repo.commit({"requirements.txt": "django==3.2.0\nflask==2.1.3\n", "app.py": "import django\n"}, date="2025-05-01")
    out = tmp_path / "report.md"
    result = CliRunner().invoke(cli, ["scan", str(git_repo.path), "--offline", "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    report = out.read_text()
    assert "They were not checked for known security holes this time" in report
    assert "2 libraries in use; not checked for known security holes this time." in report
    assert "None of them has a known security hole" not in report and "no known security holes" not in report
    appendix_d = report.split("### Appendix D.")[1].split("### Appendix E.")[0]
    assert "Not checked this time" in appendix_d
    row = next(line for line in report.splitlines() if line.startswith("| Outside libraries |"))
    assert row.startswith("| Outside libraries | **–** |")


def test_bad_settings_stop_the_command(git_repo):
    git_repo.commit(
        {".archreview.toml": "[dependencies]\ntimeout = 'soon'\n", "requirements.txt": "x==1\n"}, date="2025-05-01"
    )
    result = CliRunner().invoke(cli, ["scan", str(git_repo.path), "--offline"])
    assert result.exit_code == 2


def test_floating_dev_tools_next_to_pinned_product_dependencies_are_not_a_missing_lockfile(git_repo, no_network):
    git_repo.commit(
        {
            "requirements.txt": "Django==4.2.11\npsycopg==3.1.18\n",
            "requirements-dev.txt": "types-requests\nmypy>=1.8\n",
            "app.py": "import django\n",
        },
        date="2025-01-10",
    )
    result, _, _ = run_scan(git_repo.path, jobs=1, options=ScanOptions(offline=True))
    rules = [(f.rule, f.severity, f.path) for f in result.findings if f.area == "dependencies"]
    assert ("deps.no-lockfile", "medium", "requirements-dev.txt") not in rules
    assert not any(rule == "deps.no-lockfile" for rule, _, _ in rules)
    assert sorted(r for r in rules if r[0] == "deps.unpinned") == [
        ("deps.unpinned", "info", "requirements-dev.txt"),
        ("deps.unpinned", "info", "requirements-dev.txt"),
    ]
