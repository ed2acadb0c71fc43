"""The manifest and lockfile readers, on real-shaped files."""

from __future__ import annotations

from pathlib import Path

import pytest

from archreview.analyzers.dependencies.sources import SOURCES, poetry_constraints, source_for
from archreview.analyzers.dependencies.sources.interface import SourceContext

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str, as_path: str | None = None, paths=(), max_lines: int = 20_000):
    path = as_path or name
    source = source_for(path)
    assert source is not None, path
    context = SourceContext(max_lines, frozenset(paths) | {path})
    return source.parse(path, (FIXTURES / name).read_text(), context)


def by_name(parsed):
    return {e.name: e for e in parsed.entries}


def everything(parsed) -> str:
    return repr(parsed)


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("requirements.txt", "requirements"),
        ("requirements/dev.in", "requirements"),
        ("requirements/base.txt", "requirements"),
        ("dev-requirements.txt", "requirements"),
        ("constraints.txt", "requirements"),
        ("services/api/pyproject.toml", "pyproject"),
        ("poetry.lock", "poetry.lock"),
        ("uv.lock", "uv.lock"),
        ("Pipfile", "Pipfile"),
        ("Pipfile.lock", "Pipfile.lock"),
        ("pylock.toml", "pylock"),
        ("pylock.dev.toml", "pylock"),
        ("setup.cfg", "setup.cfg"),
    ],
)
def test_formats_are_recognised_by_name(path, fmt):
    assert source_for(path).format == fmt


@pytest.mark.parametrize(
    "path", ["MANIFEST.in", "docs/conf.py", "notes.txt", "setup.py.in", "package-lock.json", "data/config.in"]
)
def test_other_files_are_not_manifests(path):
    assert source_for(path) is None


def test_every_format_has_one_reader():
    assert len({s.format for s in SOURCES}) == len(SOURCES)


# -- requirements -----------------------------------------------------------
def test_pip_compile_output_is_a_lockfile_with_lines_and_markers():
    parsed = read("requirements-compiled.txt", "requirements.txt")
    entries = by_name(parsed)
    assert list(entries) == ["asgiref", "django", "pytz", "sqlparse", "typing-extensions"]
    assert parsed.lock
    assert entries["django"].version == "3.2.0" and entries["django"].line == 11
    assert entries["asgiref"].line == 7
    assert entries["typing-extensions"].marker == 'python_version < "3.11"'
    assert not parsed.skipped


def test_hand_written_requirements():
    parsed = read("requirements-mixed.txt", "requirements.txt", paths={"constraints.txt"})
    entries = by_name(parsed)
    assert not parsed.lock
    assert entries["django"].spec == "<4.0,>=3.2" and entries["django"].version is None
    assert entries["requests"].version == "2.25.1"
    assert entries["celery"].version is None and entries["celery"].spec == "==5.2.*"
    assert entries["gunicorn"].spec == "" and entries["gunicorn"].allowed == ()
    assert entries["psycopg2-binary"].version == "2.9.1"
    assert entries["pywin32"].marker == 'sys_platform == "win32"'
    assert entries["flask-login"].spec == ">=0.5"
    # VCS, wheel URL and PEP 508 URL lines are listed as direct, not pinned
    assert entries["acme-tools"].direct and not entries["acme-tools"].pinned
    assert entries["shiny"].direct and entries["shiny"].version == "1.0.0"
    assert entries["glossy"].direct and entries["glossy"].version == "2.3.4"  # a hash fragment after the wheel name
    assert entries["internal-sdk"].direct
    # -e . and ./libs/local-helper are the project's own code
    assert "local-helper" not in entries
    assert any("local-path" in n for n in parsed.notes)
    # the file's --index-url applies to its packages; only the host is kept
    assert entries["django"].index_host == "pypi.internal.example"
    assert any("mirror.example" in n and "--extra-index-url" in n for n in parsed.notes)
    assert parsed.constraints == ["constraints.txt"]
    # two bad lines: one coverage line that does not quote them
    assert len(parsed.skipped) == 1
    reason = parsed.skipped[0].reason
    assert reason.startswith("2 lines could not be read") and "line 20" in reason and "line 21" in reason


def test_credentials_in_requirement_urls_never_leave_the_reader():
    parsed = read("requirements-mixed.txt", "requirements.txt", paths={"constraints.txt"})
    text = everything(parsed)
    for secret in ("s3cr3t-t0ken", "ghp_abcdefSECRET", "user:pw", "deploy"):
        assert secret not in text
    assert by_name(parsed)["acme-tools"].spec == "git+https://github.example/acme/tools.git@v1.2"


def test_includes_are_resolved_against_the_including_file():
    text = "-r base.txt\n--requirement=../shared/common.txt\n-c https://example.com/c.txt\n-r missing.txt\n-r ../../outside.txt\ndjango==4.2.1\n"
    source = source_for("requirements/prod.txt")
    context = SourceContext(1000, frozenset({"requirements/prod.txt", "requirements/base.txt", "shared/common.txt"}))
    parsed = source.parse("requirements/prod.txt", text, context)
    assert parsed.includes == ["requirements/base.txt", "shared/common.txt"]
    reasons = [s.reason for s in parsed.skipped]
    assert any("remote file is not fetched" in r for r in reasons)
    assert any("missing.txt: no such file" in r for r in reasons)
    assert any("outside the repository" in r for r in reasons)
    assert parsed.lock


def test_a_huge_requirements_file_is_read_up_to_the_limit():
    lines = [f"package-{n}=={n % 7}.{n % 11}.0" for n in range(100_000)]
    source = source_for("requirements.txt")
    parsed = source.parse("requirements.txt", "\n".join(lines), SourceContext(20_000, frozenset()))
    assert len(parsed.entries) == 20_000
    assert parsed.skipped[0].reason.startswith("100,000 lines: only the first 20,000 were read")


def test_requirement_groups_come_from_file_names():
    from archreview.analyzers.dependencies.sources.requirements import requirement_group

    assert requirement_group("requirements.txt") == "main"
    assert requirement_group("requirements-dev.txt") == "dev"
    assert requirement_group("requirements/test.in") == "test"
    assert requirement_group("docs/requirements.txt") == "docs"
    assert requirement_group("constraints.txt") == "constraints"


# -- pyproject.toml ---------------------------------------------------------
def test_pep621_dependencies_extras_and_groups():
    parsed = read("pyproject-pep621.toml", "pyproject.toml")
    entries = by_name(parsed)
    assert parsed.packaged
    assert entries["django"].spec == "~=4.2.7" and entries["django"].group == "main" and entries["django"].line == 10
    assert entries["pillow"].version == "10.0.0"
    assert entries["python-magic"].marker == 'sys_platform != "win32"'
    assert entries["internal-sdk"].direct
    assert entries["boto3"].group == "s3"
    assert entries["pytest"].group == "dev" and entries["ruff"].group == "lint" and entries["ruff"].pinned
    assert entries["coverage"].group == "dev"
    assert not parsed.skipped


def test_poetry_sections():
    parsed = read("pyproject-poetry.toml", "pyproject.toml")
    entries = by_name(parsed)
    assert "python" not in entries
    assert entries["django"].spec == "^3.2" and entries["django"].allowed == (">=3.2,<4",)
    assert entries["requests"].allowed == (">=2.25.1,<2.26",)
    assert entries["stripe"].version == "5.4.0"
    assert entries["numpy"].allowed == (">=1.24,<2", ">=1.21,<2")
    assert entries["mylib"].direct and "token123" not in entries["mylib"].spec
    assert "shared" not in entries
    assert entries["private-pkg"].index_host == "pkgs.internal.example"
    assert entries["sentry-sdk"].allowed == ()
    assert entries["pytest"].group == "dev" and entries["black"].allowed == ("==23.*",)
    assert entries["flake8"].group == "dev" and entries["flake8"].allowed == (">=6,<7",)
    assert entries["django"].line == 9


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        ("^1.2.3", (">=1.2.3,<2",)),
        ("^0.2.3", (">=0.2.3,<0.3",)),
        ("^0.0.3", (">=0.0.3,<0.0.4",)),
        ("^0", (">=0,<1",)),
        ("~1.2.3", (">=1.2.3,<1.3",)),
        ("~1", (">=1,<2",)),
        ("~=1.4", ("~=1.4",)),
        ("1.2.*", ("==1.2.*",)),
        ("2.0.1", ("==2.0.1",)),
        (">= 1.2, < 1.5", (">=1.2,<1.5",)),
        ("^1.0 || ^2.0", (">=1.0,<2", ">=2.0,<3")),
        ("*", ()),
        ("latest", None),
    ],
)
def test_poetry_constraints(constraint, expected):
    assert poetry_constraints.to_pep440(constraint) == expected


def test_dynamic_dependencies_are_said_not_read():
    source = source_for("pyproject.toml")
    text = '[project]\nname = "x"\nversion = "1"\ndynamic = ["dependencies"]\n'
    parsed = source.parse("pyproject.toml", text, SourceContext(100, frozenset()))
    assert parsed.entries == [] and "dynamic" in parsed.notes[0]


# -- lockfiles ----------------------------------------------------------------
def test_poetry_lock():
    parsed = read("poetry.lock")
    entries = by_name(parsed)
    assert parsed.lock
    assert sorted(entries) == ["asgiref", "black", "django", "mylib", "private-pkg"]
    assert entries["django"].version == "3.2.0" and entries["django"].kind == "lock"
    assert entries["django"].line == 31
    assert entries["mylib"].direct and "token123" not in entries["mylib"].spec
    assert entries["private-pkg"].index_host == "pkgs.internal.example"


def test_uv_lock():
    parsed = read("uv.lock")
    entries = by_name(parsed)
    assert sorted(entries) == ["anyio", "django", "toolkit"]  # not the project itself, not the workspace member
    assert entries["django"].version == "3.2.0" and entries["django"].index_host == "index.example"
    assert entries["django"].line == 16
    assert entries["toolkit"].direct


UV_GROUPS = """\
version = 1
revision = 3

[manifest]
members = ["app"]

[manifest.dependency-groups]
release = [{ name = "twine", specifier = ">=5" }]

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "backend" }
dependencies = [
    { name = "fastapi", extra = ["standard"] },
    { name = "sqlmodel" },
]

[package.dev-dependencies]
dev = [
    { name = "pytest" },
    { name = "ruff" },
]

[[package]]
name = "fastapi"
version = "0.120.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "starlette" }]

[package.optional-dependencies]
standard = [{ name = "uvicorn" }]

[[package]]
name = "starlette"
version = "0.48.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "uvicorn"
version = "0.38.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "click" }]

[[package]]
name = "click"
version = "8.3.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "sqlmodel"
version = "0.0.27"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "sqlalchemy" }, { name = "fastapi" }]

[[package]]
name = "sqlalchemy"
version = "2.0.44"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "8.4.2"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "click" }, { name = "pluggy" }]

[[package]]
name = "pluggy"
version = "1.6.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "ruff"
version = "0.14.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "twine"
version = "6.2.0"
source = { registry = "https://pypi.org/simple" }
"""


def test_uv_lock_groups_come_from_the_lock_graph():
    """What the workspace's projects need at run time is main (an extra they
    ask for included); what only a dependency group reaches is that group;
    a package both need stays main."""
    parsed = source_for("uv.lock").parse("uv.lock", UV_GROUPS, SourceContext(1000, frozenset({"uv.lock"})))
    groups = {e.name: e.group for e in parsed.entries}
    assert groups == {
        "fastapi": "main", "starlette": "main", "uvicorn": "main", "click": "main", "sqlmodel": "main", "sqlalchemy": "main",
        "pytest": "dev", "pluggy": "dev", "ruff": "dev", "twine": "release",
    }


def test_pipfile():
    parsed = read("Pipfile")
    entries = by_name(parsed)
    assert not parsed.lock
    assert entries["django"].version == "3.2.0"
    assert entries["requests"].spec == ">=2.25"
    assert entries["gunicorn"].spec == ""
    assert entries["private-pkg"].index_host == "pkgs.internal.example"
    assert entries["django"].index_host == "index.example"
    assert entries["tools"].direct
    assert "localpkg" not in entries
    assert entries["pytest"].group == "dev"


def test_pipfile_lock():
    parsed = read("Pipfile.lock")
    assert parsed.lock
    pairs = sorted((e.name, e.version, e.group) for e in parsed.entries if not e.direct)
    assert pairs == [
        ("asgiref", "3.8.1", "main"),
        ("django", "3.2.0", "dev"),
        ("django", "3.2.0", "main"),
        ("private-pkg", "2.1.0", "main"),
        ("pytest", "7.4.4", "dev"),
    ]
    django_main = next(e for e in parsed.entries if e.name == "django" and e.group == "main")
    django_dev = next(e for e in parsed.entries if e.name == "django" and e.group == "dev")
    assert django_main.line < django_dev.line
    assert by_name(parsed)["private-pkg"].index_host == "pkgs.internal.example"


def test_pylock():
    parsed = read("pylock.toml")
    entries = by_name(parsed)
    assert sorted(entries) == ["django", "sqlparse", "toolkit"]
    assert entries["sqlparse"].version == "0.4.4" and entries["sqlparse"].line == 13
    assert entries["toolkit"].direct


def test_setup_cfg():
    parsed = read("setup.cfg")
    entries = by_name(parsed)
    assert sorted(entries) == ["django", "psycopg2", "pyyaml", "requests", "six", "sphinx"]
    assert entries["requests"].version == "2.20.0" and entries["requests"].line == 9
    assert entries["psycopg2"].group == "postgres"
    assert parsed.packaged


@pytest.mark.parametrize(
    ("path", "text", "why"),
    [
        ("poetry.lock", "[[package]]\nname = 'x'\nversion = \n", "not valid TOML"),
        ("uv.lock", "[tool]\nx = 1\n", "not a uv.lock file"),
        ("Pipfile.lock", '{"default": {', "not valid JSON"),
        ("Pipfile.lock", '{"default": {}}', "not a Pipfile.lock"),
        ("pylock.toml", "[[packages]]\nname = 'x'\n", "not a PEP 751 lockfile"),
        ("pyproject.toml", "[project\n", "not valid TOML"),
        ("Pipfile", "[packages\n", "not valid TOML"),
        ("setup.cfg", "install_requires = x\n", "not a valid INI file"),
        ("poetry.lock", "title = 'something else'\n", "not a poetry.lock file"),
    ],
)
def test_malformed_files_become_one_coverage_line(path, text, why):
    parsed = source_for(path).parse(path, text, SourceContext(100, frozenset()))
    assert parsed.entries == []
    assert len(parsed.skipped) == 1 and why in parsed.skipped[0].reason


def test_lockfile_entries_without_versions_are_reported_not_fatal():
    text = 'version = 1\n\n[[package]]\nname = "a"\nsource = { registry = "https://index.example/simple" }\n\n[[package]]\nname = "b"\nversion = "1.0"\nsource = { registry = "https://index.example/simple" }\n'
    parsed = source_for("uv.lock").parse("uv.lock", text, SourceContext(100, frozenset()))
    assert [e.name for e in parsed.entries] == ["b"]
    assert "a has no version" in parsed.skipped[0].reason


def test_lockfile_coverage_rules():
    from archreview.analyzers.dependencies.coverage import lock_coverage

    def parse(path, text, paths=()):
        return source_for(path).parse(path, text, SourceContext(100, frozenset(paths) | {path}))

    files = {
        "base_requirements.txt": parse("base_requirements.txt", "django>=4\ncelery\nredis\n"),
        "requirements.txt": parse("requirements.txt", "django==4.2.1\ncelery==5.3.0\nkombu==5.3.1\n"),
        "requirements-dev.txt": parse("requirements-dev.txt", "pytest>=7\n"),
        "reqs/app.in": parse("reqs/app.in", "flask\n"),
        "reqs/app.txt": parse("reqs/app.txt", "flask==3.0.0\n"),
        "web/pyproject.toml": parse("web/pyproject.toml", '[project]\nname="w"\nversion="1"\ndependencies=["django"]\n'),
        "uv.lock": parse("uv.lock", 'version = 1\n[[package]]\nname = "django"\nversion = "4.2.1"\n'),
        "Pipfile": parse("Pipfile", '[packages]\nrequests = "*"\n'),
    }
    coverage = lock_coverage(files)
    assert coverage.covering["base_requirements.txt"] == ["requirements.txt"]
    assert not coverage.covered("requirements-dev.txt")  # pytest is pinned nowhere
    assert coverage.covering["reqs/app.in"] == ["reqs/app.txt"]
    assert coverage.covering["web/pyproject.toml"] == ["uv.lock"]  # a lockfile in a parent folder
    assert not coverage.covered("Pipfile")  # only a Pipfile.lock covers a Pipfile
    assert coverage.locked_names["web/pyproject.toml"] == {"django"}


def test_a_requirements_folder_belongs_to_the_project_one_level_up():
    """Every folder name the requirements reader recognises (deps/base.txt is
    a requirements file) also places its files in the parent's project, so
    they are not reported as a project of their own without a lockfile."""
    from archreview.analyzers.dependencies.coverage import project_folder
    from archreview.analyzers.dependencies.sources.requirements import REQUIREMENT_FOLDERS, RequirementsSource

    for folder in sorted(REQUIREMENT_FOLDERS):
        assert RequirementsSource().matches(f"api/{folder}/base.txt")
        assert project_folder(f"api/{folder}/base.txt") == "api"
    assert project_folder("api/requirements.txt") == "api"
    assert project_folder("api/tools/base.txt") == "api/tools"


@pytest.mark.parametrize(
    ("path", "read"),
    [
        ("Dockerfile", True),
        ("docker/Dockerfile.prod", True),
        ("deploy/api.dockerfile", True),
        ("Containerfile", True),
        ("Dockerfile.md", False),
        ("docs/dockerfile-notes.md", False),
    ],
)
def test_dockerfiles_are_read_by_name(path, read):
    source = source_for(path)
    assert (source is not None and source.format == "dockerfile") is read


def test_packages_an_image_installs_with_pip_are_its_requirements():
    parsed = read("Dockerfile")
    entries = by_name(parsed)
    # pip's own tooling, files (-r, -e ., a wheel) and echo's text are left out;
    # a package named by a build argument cannot be read and is counted
    # (uv's options and their values are not packages; pip wheel builds what the image installs)
    assert list(entries) == ["apprise", "uvicorn", "psycopg2-binary", "example-tool", "gunicorn", "mysqlclient"]
    assert (entries["apprise"].spec, entries["apprise"].pinned, entries["apprise"].line) == ("", False, 11)
    assert (entries["uvicorn"].version, entries["uvicorn"].line) == ("0.30.1", 12)
    assert (entries["psycopg2-binary"].spec, entries["psycopg2-binary"].line) == (">=2.9", 14)
    assert entries["example-tool"].direct and entries["example-tool"].line == 18
    assert (entries["gunicorn"].version, entries["gunicorn"].line) == ("22.0.0", 19)
    assert {e.group for e in parsed.entries} == {"main"}
    assert not parsed.lock
    assert parsed.notes == [
        "Dockerfile: 1 package(s) installed with pip are named by build arguments ($...) and could not be read"
    ]
    assert entries["mysqlclient"].line == 22
    assert {e.group for e in read("Dockerfile", as_path="docker/dev/Dockerfile").entries} == {"dev"}
    assert {e.group for e in read("Dockerfile", as_path=".devcontainer/Dockerfile").entries} == {"dev"}
    assert {e.group for e in read("Dockerfile", as_path="Dockerfile.test").entries} == {"test"}


def test_a_heading_comment_in_a_requirements_file_groups_the_block_under_it():
    from archreview.analyzers.dependencies.sources.requirements import RequirementsSource

    text = (
        "# Core\nfastapi==0.110.0\n# pinned for a security fix\nrequests==2.31.0\n"
        "## Tests\npytest==8.0.0\npytest-docker\n"
        "## Database\nsqlalchemy==2.0.0\n"
        "#  Development tools:\nruff\n"
    )
    parsed = RequirementsSource().parse("backend/requirements.txt", text, SourceContext(1000, frozenset()))
    assert [(e.name, e.group) for e in parsed.entries] == [
        ("fastapi", "main"), ("requests", "main"), ("pytest", "test"), ("pytest-docker", "test"),
        ("sqlalchemy", "main"), ("ruff", "dev"),
    ]
    # a file named for tests stays a test file under a heading about the product
    parsed = RequirementsSource().parse("requirements-test.txt", "# Database\npsycopg==3.1.0\n", SourceContext(1000, frozenset()))
    assert [e.group for e in parsed.entries] == ["test"]


UV_PROD_EXTRA = """\
version = 1

[[package]]
name = "shop"
version = "1.0"
source = { editable = "." }
dependencies = [{ name = "django" }]

[package.optional-dependencies]
dev = [{ name = "psycopg" }, { name = "pytest" }]
prod = [{ name = "psycopg" }, { name = "gunicorn" }]

[[package]]
name = "django"
version = "5.2.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "psycopg"
version = "3.2.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "8.4.2"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "gunicorn"
version = "23.0.0"
source = { registry = "https://pypi.org/simple" }
"""


def test_an_extra_for_production_is_what_the_product_runs_on():
    # the image runs uv sync --extra prod: the database driver both extras
    # name is a production library, not a development tool
    parsed = source_for("uv.lock").parse("uv.lock", UV_PROD_EXTRA, SourceContext(1000, frozenset({"uv.lock"})))
    groups = {e.name: e.group for e in parsed.entries}
    assert groups == {"django": "main", "psycopg": "main", "gunicorn": "main", "pytest": "dev"}
