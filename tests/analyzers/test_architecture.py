"""The architecture view on real git repositories built for the test."""

from __future__ import annotations

import pytest

from archreview.errors import ConfigError
from archreview.scan import run_scan

LAYERED_APP = {
    "pyproject.toml": (
        "[project]\nname = 'app'\n\n"
        "[tool.archreview]\n"
        'layers = ["app.api", "app.services", "app.models"]\n'
    ),
    "manage.py": "import app.api.routes\n",
    "src/app/__init__.py": "",
    "src/app/api/__init__.py": "",
    "src/app/api/routes.py": (
        "import requests\n"
        "from ..services.billing import charge\n"
        "from app.models import user\n"
    ),
    "src/app/api/schemas.py": "from . import routes\nfrom plugins.extra import hook\n",
    "src/app/services/__init__.py": "",
    "src/app/services/billing.py": (
        "import yaml\n"
        "from ..models.invoice import Invoice\n"
        "try:\n"
        "    import ujson\n"
        "except ImportError:\n"
        "    ujson = None\n\n\n"
        "def charge():\n"
        "    return Invoice()\n"
    ),
    "src/app/services/notify.py": "from app.models.user import User\n",
    "src/app/services/deep/__init__.py": "",
    "src/app/services/deep/tax/__init__.py": "",
    "src/app/services/deep/tax/rates.py": "from ...billing import charge\nfrom ....models import invoice\n",
    "src/app/models/__init__.py": "",
    "src/app/models/invoice.py": "import json\nfrom app.services.billing import charge\n\n\nclass Invoice:\n    pass\n",
    "src/app/models/user.py": (
        "from typing import TYPE_CHECKING\n"
        "from .invoice import Invoice\n\n"
        "if TYPE_CHECKING:\n"
        "    from app.api.schemas import UserSchema\n\n\n"
        "class User:\n"
        "    def notify(self):\n"
        "        from app.services.notify import send\n"
        "        return send(self)\n"
    ),
    # a namespace package (no __init__.py in src/plugins) next to the main package
    "src/plugins/extra/__init__.py": "from .helpers import hook\n",
    "src/plugins/extra/helpers.py": "import yaml\n\n\ndef hook():\n    pass\n",
    # a second top-level package at the repository root
    "tools/__init__.py": "",
    "tools/report.py": "from app.services import billing\nfrom . import __init__\n",
    "tests/test_billing.py": "from app.services.billing import charge\nimport pytest\n",
}


def scan(repo, files, **config_files):
    repo.commit({**files, **config_files}, date="2025-03-01")
    result, _, _ = run_scan(repo.path, use_cache=False)
    return result


def cycles_of(section, level=None, kind=None):
    return [
        c for c in section["cycles"] if (level is None or c["level"] == level) and (kind is None or c["kind"] == kind)
    ]


@pytest.fixture
def layered(git_repo):
    result = scan(git_repo, LAYERED_APP)
    return result, result.sections["architecture"]


def test_module_names_src_layout_namespace_and_several_roots(layered):
    _, section = layered
    nodes = {n["id"]: n for n in section["nodes"]}
    assert nodes["app"]["path"] == "src/app/__init__.py"
    assert nodes["app.services.deep.tax.rates"]["path"] == "src/app/services/deep/tax/rates.py"
    assert nodes["plugins.extra"]["path"] == "src/plugins/extra/__init__.py"
    assert nodes["plugins.extra.helpers"]["path"] == "src/plugins/extra/helpers.py"
    assert nodes["tools.report"]["path"] == "tools/report.py"
    assert nodes["manage"]["path"] == "manage.py"
    assert section["namespace_packages"] == ["src/plugins"]
    assert set(section["roots"]) == {"", "src"}
    # test files are left out by default
    assert not any(n["path"].startswith("tests/") for n in section["nodes"])


def test_absolute_and_relative_imports_at_several_depths(layered):
    _, section = layered
    edges = {(e["source"], e["target"]): e for e in section["edges"]}
    assert ("app.api.routes", "app.services.billing") in edges  # from ..services.billing import charge
    assert ("app.api.routes", "app.models.user") in edges  # from app.models import user: a submodule
    assert ("app.api.schemas", "app.api.routes") in edges  # from . import routes
    assert ("app.api.schemas", "plugins.extra") in edges  # namespace package, "hook" is a name
    assert ("app.services.deep.tax.rates", "app.services.billing") in edges  # level 3
    assert ("app.services.deep.tax.rates", "app.models.invoice") in edges  # level 4
    assert ("plugins.extra", "plugins.extra.helpers") in edges  # relative from an __init__.py
    assert ("tools.report", "app.services.billing") in edges  # across roots
    assert ("manage", "app.api.routes") in edges
    assert edges[("app.models.user", "app.services.notify")]["kind"] == "function"
    assert edges[("app.models.user", "app.api.schemas")]["kind"] == "type_checking"
    assert edges[("app.models.invoice", "app.services.billing")]["kind"] == "runtime"
    # standard library and third-party imports are not edges
    assert not any(target in {"json", "yaml", "requests"} for _, target in edges)


def test_known_cycles_are_found_with_a_concrete_path(layered):
    result, section = layered
    (package,) = cycles_of(section, "package", "import")
    assert package["members"] == ["app.models", "app.services"]
    assert package["cycle"] == ["app.models", "app.services", "app.models"]
    assert package["severity"] == "medium"
    (module,) = cycles_of(section, "module", "import")
    assert module["members"] == ["app.models.invoice", "app.services.billing"]
    assert [(s["path"], s["line"]) for s in module["steps"]] == [
        ("src/app/models/invoice.py", 2),
        ("src/app/services/billing.py", 2),
    ]
    # the loop closed only by an import inside a function: reported apart, lower
    (deferred,) = cycles_of(section, "module", "deferred")
    assert deferred["members"] == ["app.models.user", "app.services.notify"]
    assert deferred["severity"] == "info"
    assert any(step["kind"] == "function" for step in deferred["steps"])

    findings = [f for f in result.findings if f.rule == "architecture.cycle"]
    assert {(f.extra["level"], f.extra["kind"], f.severity) for f in findings} == {
        ("package", "import", "medium"),
        ("module", "import", "low"),
        ("module", "deferred", "info"),
    }
    package_finding = next(f for f in findings if f.extra["level"] == "package")
    assert package_finding.area == "architecture"
    assert (package_finding.path, package_finding.line) == ("src/app/models/invoice.py", 2)
    assert "app.models and app.services depend on each other" in package_finding.plain
    assert package_finding.fingerprint


def test_a_package_over_its_own_subpackages_is_layering_not_a_loop(git_repo):
    """full-stack-fastapi-template: app/main.py wires app.api in, the routes
    use app/models.py and app/crud.py, crud uses app.core: the parts app,
    app.api and app.core point at each other, but no module imports itself
    back. Once one does, the loop is real and reported."""
    files = {
        "backend/app/__init__.py": "",
        "backend/app/main.py": "from app.api.main import api_router\n",
        "backend/app/models.py": "class User:\n    pass\n",
        "backend/app/crud.py": "from app.core.security import hash_password\nfrom app.models import User\n",
        "backend/app/api/__init__.py": "",
        "backend/app/api/main.py": "from app.api.routes import users\n",
        "backend/app/api/routes/__init__.py": "",
        "backend/app/api/routes/users.py": "from app import crud\nfrom app.models import User\n",
        "backend/app/core/__init__.py": "",
        "backend/app/core/security.py": "import hashlib\n",
        "backend/app/core/db.py": "from app.models import User\n",
    }
    section = scan(git_repo, files).sections["architecture"]
    assert cycles_of(section) == []
    git_repo.commit({"backend/app/core/security.py": "import hashlib\nfrom app.crud import User\n"}, date="2025-03-02")
    result, _, _ = run_scan(git_repo.path, use_cache=False)
    section = result.sections["architecture"]
    assert [c["members"] for c in cycles_of(section, "module", "import")] == [["app.core.security", "app.crud"]]
    assert [c["members"] for c in cycles_of(section, "package", "import")] == [["app", "app.api", "app.core"]]


def test_an_informational_loop_of_many_modules_costs_a_look_not_days():
    """CTFd: 140 modules tied only through imports inside functions, an info
    finding, carried 5 developer-days of debt."""
    from archreview.analyzers.architecture.findings import MAX_INFO_EFFORT, cycle_finding
    from archreview.analyzers.architecture.structure import Cycle, Edge

    members = [f"app.m{i}" for i in range(140)]
    step = Edge("app.m0", "app.m1", "function", 1, "app/m0.py", 3, False)
    big = Cycle("module", "deferred", members, ["app.m0", "app.m1", "app.m0"], [step], severity="info")
    assert cycle_finding(big).effort_minutes == MAX_INFO_EFFORT
    at_import = Cycle("module", "import", members, ["app.m0", "app.m1", "app.m0"], [step], severity="low")
    assert cycle_finding(at_import).effort_minutes > 10 * MAX_INFO_EFFORT


def test_a_cycle_through_type_checking_imports_is_not_reported(layered):
    _, section = layered
    # user -(TYPE_CHECKING)-> api.schemas -> api.routes -> models.user
    for cycle in section["cycles"]:
        assert "app.api.schemas" not in cycle["members"]
        assert "app.api" not in cycle["members"]


def test_type_checking_imports_count_when_configured(git_repo):
    config = LAYERED_APP["pyproject.toml"] + "\n[tool.archreview.architecture]\ninclude_type_checking = true\n"
    result = scan(git_repo, {**LAYERED_APP, "pyproject.toml": config})
    section = result.sections["architecture"]
    loops = [c["members"] for c in cycles_of(section, "module", "import")]
    assert ["app.api.routes", "app.api.schemas", "app.models.user"] in loops
    # the function-level import ties one more module to that loop: shown through it
    (deferred,) = cycles_of(section, "module", "deferred")
    assert deferred["joined"] == ["app.services.notify"]
    assert deferred["cycle"] == ["app.models.user", "app.services.notify", "app.models.user"]
    finding = next(f for f in result.findings if f.extra.get("kind") == "deferred")
    assert finding.plain.startswith("1 more file is tied into a loop of 4 files")
    (package,) = cycles_of(section, "package", "import")
    assert package["members"] == ["app.api", "app.models", "app.services"]


def test_layer_violations_point_at_the_offending_import(layered):
    result, section = layered
    violations = sorted(
        (f.path, f.line, f.extra["source"], f.extra["target"]) for f in result.findings if f.rule == "architecture.layer-violation"
    )
    assert violations == [
        ("src/app/models/invoice.py", 2, "app.models.invoice", "app.services.billing"),
        ("src/app/models/user.py", 10, "app.models.user", "app.services.notify"),
    ]
    finding = next(f for f in result.findings if f.rule == "architecture.layer-violation")
    assert finding.severity == "medium" and finding.area == "architecture"
    assert "app.models" in finding.plain and "app.services" in finding.plain
    assert section["metrics"]["cycles"]["layer_violations"] == 2


def test_packages_metrics_and_third_party(layered):
    _, section = layered
    packages = {p["name"]: p for p in section["packages"]}
    # "app" holds everything, so its sub-packages are the parts
    assert {"app.api", "app.services", "app.models", "app", "plugins", "tools", "./"} == set(packages)
    api = packages["app.api"]
    assert api["fan_in"] == 1 and api["fan_out"] == 3  # manage imports it; it uses services, models, plugins
    assert api["instability"] == 0.75
    assert packages["app.models"]["in_cycle"] and not packages["app.api"]["in_cycle"]
    third = {t["name"]: t for t in section["third_party"]}
    assert third["PyYAML"]["import_names"] == ["yaml"]
    assert third["PyYAML"]["files"] == ["src/app/services/billing.py", "src/plugins/extra/helpers.py"]
    assert third["PyYAML"]["modules"] == 2 and third["PyYAML"]["optional"] is False
    assert third["ujson"]["optional"] is True
    assert "requests" in third
    assert "pytest" not in third and "json" not in third and "typing" not in third
    top = section["metrics"]["most_depended_on"][0]
    assert top["module"] == "app.services.billing"


def test_tests_join_the_graph_when_asked(git_repo):
    config = LAYERED_APP["pyproject.toml"] + "\n[tool.archreview.architecture]\ninclude_tests = true\n"
    result = scan(git_repo, {**LAYERED_APP, "pyproject.toml": config})
    nodes = {n["id"] for n in result.sections["architecture"]["nodes"]}
    assert "test_billing" in nodes


def test_invalid_settings_stop_the_scan(git_repo):
    bad = LAYERED_APP["pyproject.toml"].replace('layers = ["app.api"', 'layers = [1, "app.api"')
    git_repo.commit({**LAYERED_APP, "pyproject.toml": bad}, date="2025-03-01")
    with pytest.raises(ConfigError, match="layers"):
        run_scan(git_repo.path, use_cache=False)


def test_a_layer_that_matches_nothing_is_noted(git_repo):
    config = LAYERED_APP["pyproject.toml"].replace('"app.models"]', '"app.models", "app.db"]')
    result = scan(git_repo, {**LAYERED_APP, "pyproject.toml": config})
    assert any("'app.db'" in note for note in result.coverage.notes)


def test_results_come_from_the_cache_the_same(git_repo, tmp_path):
    git_repo.commit(LAYERED_APP, date="2025-03-01")
    first, _, _ = run_scan(git_repo.path, cache_dir=tmp_path / "c")
    second, stats, _ = run_scan(git_repo.path, cache_dir=tmp_path / "c")
    assert stats.files_analyzed == 0
    assert first.sections["architecture"] == second.sections["architecture"]


def test_flat_folder_and_a_file_that_does_not_parse(git_repo):
    result = scan(
        git_repo,
        {
            "app.py": "import models\nimport views\nimport broken\n",
            "models.py": "import views\n",
            "views.py": "import models\n",
            "broken.py": "def (:\n",
        },
    )
    assert any(s.path == "broken.py" for s in result.coverage.skipped)
    section = result.sections["architecture"]
    assert {p["name"] for p in section["packages"]} == {"app", "models", "views"}
    (loop,) = cycles_of(section, "package", "import")
    assert loop["members"] == ["models", "views"]


def test_a_local_module_does_not_hide_the_standard_library_elsewhere(git_repo):
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": "import json\nimport logging\n",
        "scripts/logging.py": "",
        "scripts/run.py": "import logging\n",
    }
    section = scan(git_repo, files).sections["architecture"]
    edges = {(e["source"], e["target"]) for e in section["edges"]}
    assert edges == {("run", "logging")}
    assert section["third_party"] == []
