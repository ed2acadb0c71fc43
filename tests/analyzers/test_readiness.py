"""Readiness items on small git repositories: one positive fixture per id
(present and, where it exists, partial) and every look-alike that must not
count."""

from __future__ import annotations

import json

import pytest

from archreview.scan import run_scan

CI_WORKFLOW = """\
name: CI
on:
  push:
  pull_request:
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd
      - run: python -m pytest -q
"""

APP = {
    "manage.py": "import os\n",
    "app/__init__.py": "",
    "app/views.py": "def index(request):\n    return 'ok'\n",
}


def scan(repo, tmp_path):
    result, _, _ = run_scan(str(repo.path), cache_dir=tmp_path / "cache", jobs=1)
    return result


def readiness(result) -> dict[str, dict]:
    return {item["id"]: item for item in result.sections["readiness"]}


def status(repo, tmp_path) -> dict[str, str]:
    return {k: v["status"] for k, v in readiness(scan(repo, tmp_path)).items()}


def test_every_id_is_reported_with_schema_shape(git_repo, tmp_path):
    git_repo.commit(APP, date="2025-01-10")
    result = scan(git_repo, tmp_path)
    items = result.sections["readiness"]
    assert [i["id"] for i in items] == [
        "backups", "monitoring_metrics", "error_tracking", "alerting", "health_check", "logging_config", "ci",
        "dependency_updates", "tests", "container", "iac", "security_policy", "codeowners", "python_lockfile", "runbooks",
    ]
    for item in items:
        assert set(item) == {"id", "status", "evidence", "evidence_files", "why", "quote", "applies"}
        assert item["status"] == "absent"
        assert item["why"].startswith("Not found")
    json.dumps(result.to_dict())
    rules = {f.rule for f in result.findings if f.area == "readiness"}
    # an application: the operational items matter
    assert {"readiness.backups", "readiness.ci", "readiness.error_tracking", "readiness.tests"} <= rules
    assert all(f.plain and f.effort_minutes > 0 for f in result.findings if f.rule.startswith("readiness."))


def test_library_gets_no_operational_findings(git_repo, tmp_path):
    git_repo.commit({"src/lib/__init__.py": "def f():\n    return 1\n", "pyproject.toml": "[project]\nname='lib'\n"})
    result = scan(git_repo, tmp_path)
    rules = {f.rule for f in result.findings}
    assert "readiness.ci" in rules and "readiness.tests" in rules
    assert "readiness.backups" not in rules and "readiness.monitoring_metrics" not in rules
    # the production items do not apply: the grade and the report leave them out
    items = readiness(result)
    assert items["backups"]["applies"] is False and items["ci"]["applies"] is True
    from archreview.config import parse_config
    from archreview.render import RenderContext, render
    from archreview.scoring import add_scores

    add_scores(result)
    applicable = [i for i in items.values() if i["applies"]]
    assert result.sections["scores"]["areas"]["readiness"]["checklist_score"] == 0.0  # none of the applicable ones
    text = render("markdown", result, RenderContext(config=parse_config({}, "test")))
    row = next(line for line in text.splitlines() if line.startswith("| Running in production |"))
    assert f"0 of {len(applicable)} safety nets found." in row
    assert "not a running service" in row and "backups" not in row.split("do not apply")[1]
    assert "We found no sign of backups" not in text


# ---------------------------------------------------------------- backups
def test_backups_present_from_scheduled_ci_dump(git_repo, tmp_path):
    git_repo.commit({**APP, ".github/workflows/backup.yml": """\
name: Nightly backup
on:
  schedule:
    - cron: "0 3 * * *"
jobs:
  dump:
    runs-on: ubuntu-latest
    steps:
      - run: |
          pg_dump "$DATABASE_URL" | gzip > backup.sql.gz
          aws s3 cp backup.sql.gz s3://bucket/
"""})
    item = readiness(scan(git_repo, tmp_path))["backups"]
    assert item["status"] == "present"
    assert item["evidence"] == [".github/workflows/backup.yml"]
    assert "pg_dump" in item["quote"]


def test_backups_present_from_terraform_retention(git_repo, tmp_path):
    git_repo.commit({**APP, "infra/db.tf": 'resource "aws_db_instance" "main" {\n  backup_retention_period = 7\n}\n'})
    assert status(git_repo, tmp_path)["backups"] == "present"


def test_backups_partial_from_unscheduled_dump_script_or_docs(git_repo, tmp_path):
    git_repo.commit({**APP, "scripts/save_db.sh": "#!/bin/sh\npg_dump mydb > \"$1\"\n"})
    item = readiness(scan(git_repo, tmp_path))["backups"]
    assert item["status"] == "partial"
    assert item["evidence"] == ["scripts/save_db.sh"]
    git_repo.commit({"scripts/save_db.sh": None, "docs/admin/backup-and-restore.md": "# Backup and restore\n\nRun pg_dump.\n"})
    assert status(git_repo, tmp_path)["backups"] == "partial"
    # a heading below a blank line is cited at its own line, not the blank one above
    git_repo.commit({"docs/admin/backup-and-restore.md": None, "docs/operations.md": "# Operations\n\n## Backups\n\nNightly.\n"})
    item = readiness(scan(git_repo, tmp_path))["backups"]
    assert item["why"].endswith("docs/operations.md line 3.") and item["quote"] == "## Backups"


def test_log_rotation_backup_count_is_not_a_backup(git_repo, tmp_path):
    git_repo.commit({**APP, "app/log.py": """\
import logging
from logging.handlers import RotatingFileHandler

handler = RotatingFileHandler("app.log", maxBytes=10_000_000, backupCount=5)
logging.getLogger().addHandler(handler)
""", "logrotate.conf": "/var/log/app/*.log {\n  rotate 7\n  daily\n}\n"})
    result = status(git_repo, tmp_path)
    assert result["backups"] == "absent"
    assert result["logging_config"] == "present"


def test_snapshot_workflow_that_builds_images_is_not_a_backup(git_repo, tmp_path):
    git_repo.commit({**APP, ".github/workflows/snapshot.yml": """\
name: Periodic Snapshot
on:
  schedule:
    - cron: "10 0 1 * *"
jobs:
  snapshot:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: docker build -t app:snapshot . && docker push app:snapshot
"""})
    assert status(git_repo, tmp_path)["backups"] == "absent"


# ------------------------------------------------------------- monitoring
def test_monitoring_present_from_prometheus_client(git_repo, tmp_path):
    git_repo.commit({**APP, "app/metrics.py": "from prometheus_client import Counter\n\nREQUESTS = Counter('requests', 'n')\n"})
    item = readiness(scan(git_repo, tmp_path))["monitoring_metrics"]
    assert item["status"] == "present" and item["evidence"] == ["app/metrics.py"]


def test_monitoring_partial_from_dependency_only(git_repo, tmp_path):
    git_repo.commit({**APP, "requirements.txt": "django==5.0\nprometheus-client==0.20.0\n"})
    assert status(git_repo, tmp_path)["monitoring_metrics"] == "partial"


UV_LOCK_WITH_FLOWER = """\
version = 1
revision = 3

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "flower" }]

[[package]]
name = "flower"
version = "2.0.1"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "prometheus-client" }]

[[package]]
name = "prometheus-client"
version = "0.24.1"
source = { registry = "https://pypi.org/simple" }
"""


def test_monitoring_package_a_library_brings_along_is_not_monitoring(git_repo, tmp_path):
    pyproject = '[project]\nname = "app"\nversion = "0.1.0"\ndependencies = ["flower~=2.0"]\n'
    git_repo.commit({**APP, "pyproject.toml": pyproject, "uv.lock": UV_LOCK_WITH_FLOWER})
    assert status(git_repo, tmp_path)["monitoring_metrics"] == "absent"  # only the lockfile names prometheus-client
    git_repo.commit({"pyproject.toml": pyproject.replace('"flower~=2.0"', '"flower~=2.0", "prometheus-client>=0.20"')})
    item = readiness(scan(git_repo, tmp_path))["monitoring_metrics"]
    assert item["status"] == "partial" and item["evidence"] == ["pyproject.toml"]
    assert item["why"] == "A metrics or APM package is a dependency: prometheus-client in pyproject.toml."


def test_monitoring_vendor_in_test_fixture_or_vendored_html_is_not_monitoring(git_repo, tmp_path):
    git_repo.commit({
        **APP,
        "tests/fixtures/metrics_app.py": "import datadog\nfrom prometheus_client import Counter\n",
        "tests/test_metrics.py": "import statsd\n",
        "app/static/vendor/newrelic/agent.html": "<script src='https://js-agent.newrelic.com/nr.js'></script>\n",
        "app/static/vendor/datadog-rum.min.js": "datadogRum.init({clientToken: 'x'})\n",
    })
    result = status(git_repo, tmp_path)
    assert result["monitoring_metrics"] == "absent"


def test_error_tracker_with_tracing_is_partial_monitoring_and_without_it_is_not(git_repo, tmp_path):
    git_repo.commit({**APP, "app/main.py": "import sentry_sdk\n\nsentry_sdk.init(dsn=str(settings.SENTRY_DSN), enable_tracing=True)\n"})
    item = readiness(scan(git_repo, tmp_path))["monitoring_metrics"]
    # the error tracker's request timings, not a metrics pipeline: partial
    assert item["status"] == "partial" and item["evidence"] == ["app/main.py"]
    assert item["quote"] == "sentry_sdk.init(dsn=str(settings.SENTRY_DSN), enable_tracing=True)"
    git_repo.commit({"app/main.py": "import sentry_sdk\n\nsentry_sdk.init(dsn=str(settings.SENTRY_DSN))\n"})
    found = status(git_repo, tmp_path)
    assert found["monitoring_metrics"] == "absent" and found["error_tracking"] == "present"


# --------------------------------------------------------- error tracking
def test_error_tracking_present_from_sentry_init_call(git_repo, tmp_path):
    git_repo.commit({**APP, "app/settings.py": "import sentry_sdk\n\nsentry_sdk.init(dsn=SENTRY_DSN, traces_sample_rate=0.1)\n"})
    item = readiness(scan(git_repo, tmp_path))["error_tracking"]
    assert item["status"] == "present"
    assert item["quote"].startswith("sentry_sdk.init(")


def test_sentry_dsn_in_comment_docstring_or_readme_is_not_error_tracking(git_repo, tmp_path):
    dsn = "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42"
    git_repo.commit({
        **APP,
        "app/settings.py": f'"""To enable: sentry_sdk.init(dsn="{dsn}")"""\n# sentry_sdk.init(dsn="{dsn}")\nDEBUG = False\n',
        "README.md": f"## Errors\n\n```python\nimport sentry_sdk\nsentry_sdk.init(dsn=\"{dsn}\")\n```\n",
        "docs/errors.py": f"import sentry_sdk\nsentry_sdk.init(dsn='{dsn}')\n",
    })
    result = scan(git_repo, tmp_path)
    assert readiness(result)["error_tracking"]["status"] == "absent"
    assert "0123456789abcdef0123456789abcdef" not in json.dumps(result.to_dict())


def test_django_error_emails_to_the_admins_are_error_tracking(git_repo, tmp_path):
    git_repo.commit({**APP, "app/settings.py": "import os\n\nADMINS = []\n"})
    assert status(git_repo, tmp_path)["error_tracking"] == "absent"  # nobody to e-mail
    settings = 'import os\n\nif admins := os.getenv("ADMINS"):\n    ADMINS = admins.split(",")\n'
    git_repo.commit({"app/settings.py": settings})
    item = readiness(scan(git_repo, tmp_path))["error_tracking"]
    # people are told, but nothing collects and groups the errors: partial
    assert item["status"] == "partial" and item["evidence"] == ["app/settings.py"]
    assert item["why"] == "Django e-mails unhandled errors to the admins (ADMINS): app/settings.py line 4."
    logging = "LOGGING = {'handlers': {'mail': {'class': 'django.utils.log.AdminEmailHandler'}}}\n"
    git_repo.commit({"app/settings.py": logging})
    assert status(git_repo, tmp_path)["error_tracking"] == "partial"
    git_repo.commit({"app/settings.py": logging + "import sentry_sdk\nsentry_sdk.init(dsn=DSN)\n"})
    assert status(git_repo, tmp_path)["error_tracking"] == "present"


def test_admins_in_a_flask_apps_config_is_not_djangos_error_mail(git_repo, tmp_path):
    config = "import os\n\nclass Config:\n    MAIL_SERVER = os.environ.get('MAIL_SERVER')\n    ADMINS = ['ops@acme.io']\n"
    git_repo.commit({"app/__init__.py": "from flask import Flask\n", "config.py": config, "requirements.txt": "flask==3.0.0\n", "Procfile": "web: gunicorn app:app\n"})
    assert status(git_repo, tmp_path)["error_tracking"] == "absent"
    git_repo.commit({"requirements.txt": "django==4.2.0\n"})
    assert status(git_repo, tmp_path)["error_tracking"] == "partial"


def test_djangos_error_mail_alerts_someone_only_when_admins_are_set(git_repo, tmp_path):
    logging = "LOGGING = {'handlers': {'mail_admins': {'class': 'django.utils.log.AdminEmailHandler'}}}\n"
    empty = "ADMINS = (\n    # ('Your Name', 'your_email@domain.com'),\n)\n"
    git_repo.commit({**APP, "requirements.txt": "django==4.2.0\n", "app/settings.py": empty + logging})
    assert status(git_repo, tmp_path)["alerting"] == "absent"  # the handler mails nobody
    git_repo.commit({"app/settings.py": "ADMINS = [('Ops', 'ops@acme.io')]\n" + logging})
    item = readiness(scan(git_repo, tmp_path))["alerting"]
    assert item["status"] == "present" and item["evidence"] == ["app/settings.py"]
    # a watchdog's own recipients setting
    git_repo.commit({"app/settings.py": "from decouple import config\nWATCHDOG_EMAIL_RECIPIENTS = config('WATCHDOG_EMAIL_RECIPIENTS', default='')\n"})
    assert status(git_repo, tmp_path)["alerting"] == "present"
    # Python's own mail handler names its recipients itself
    git_repo.commit({"app/settings.py": "import logging.handlers\nh = logging.handlers.SMTPHandler('smtp', 'a@acme.io', ['ops@acme.io'], 'Error')\n"})
    assert status(git_repo, tmp_path)["alerting"] == "present"


def test_error_tracking_partial_from_dsn_in_deploy_config(git_repo, tmp_path):
    git_repo.commit({**APP, "docker-compose.yml": "services:\n  web:\n    image: app\n    environment:\n      SENTRY_DSN: ${SENTRY_DSN}\n"})
    assert status(git_repo, tmp_path)["error_tracking"] == "partial"


def test_quote_redacts_secret_values(git_repo, tmp_path):
    git_repo.commit({**APP, "app/settings.py": "import sentry_sdk\nsentry_sdk.init(dsn='https://abcdef0123456789abcdef0123456789@sentry.example.com/1')\n"})
    result = scan(git_repo, tmp_path)
    item = readiness(result)["error_tracking"]
    assert item["status"] == "present"
    assert "abcdef0123456789" not in item["quote"] and "****" in item["quote"]
    assert "abcdef0123456789abcdef" not in json.dumps(result.to_dict())


# ---------------------------------------------------------------- alerting
def test_alerting_present_from_cloudwatch_alarm(git_repo, tmp_path):
    git_repo.commit({**APP, "infra/alarms.tf": 'resource "aws_cloudwatch_metric_alarm" "cpu" {\n  alarm_name = "cpu"\n}\n'})
    assert status(git_repo, tmp_path)["alerting"] == "present"


def test_alerting_present_from_prometheus_rules(git_repo, tmp_path):
    git_repo.commit({**APP, "deploy/alerts.yml": "groups:\n  - name: app\n    rules:\n      - alert: HighErrorRate\n        expr: rate(errors[5m]) > 1\n"})
    assert status(git_repo, tmp_path)["alerting"] == "present"


def test_alerting_absent_beside_an_error_tracker_says_what_the_tracker_covers(git_repo, tmp_path):
    """Sentry and the like may e-mail the team about new errors: worth
    saying, but it is not an alert when the product is down."""
    git_repo.commit({**APP, "app/views.py": "def index(request):\n    return 'ok'\n"})
    assert "error tracker" not in readiness(scan(git_repo, tmp_path))["alerting"]["why"]
    git_repo.commit({"app/main.py": "import sentry_sdk\n\nsentry_sdk.init(dsn=str(settings.SENTRY_DSN))\n"})
    item = readiness(scan(git_repo, tmp_path))["alerting"]
    assert item["status"] == "absent"
    assert item["why"].endswith("The error tracker may e-mail the team about new errors, but that does not tell anyone when the product is down or slow.")


def test_integrations_with_customer_pagerduty_datadog_slack_are_not_own_alerting(git_repo, tmp_path):
    git_repo.commit({
        **APP,
        "app/integrations/pagerduty.py": "import requests\n\ndef notify(channel, event):\n    requests.post('https://events.pagerduty.com/v2/enqueue', json={'routing_key': channel.key})\n",
        "app/integrations/datadog.py": "from datadog_api_client import ApiClient\n\ndef send(customer):\n    ApiClient(customer.config)\n",
        "app/integrations/slack.py": "from slack_sdk import WebClient\n\ndef post(customer, text):\n    WebClient(token=customer.token).chat_postMessage(channel=customer.channel, text=text)\n",
    })
    result = scan(git_repo, tmp_path)
    assert readiness(result)["alerting"]["status"] == "absent"
    assert readiness(result)["monitoring_metrics"]["status"] == "absent"
    assert any(v["name"] == "Slack (API)" for v in result.sections["vendors"])


# ------------------------------------------------------------ health check
def test_health_check_from_docker_healthcheck_and_route(git_repo, tmp_path):
    git_repo.commit({**APP, "Dockerfile": "FROM python:3.12\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n"})
    assert status(git_repo, tmp_path)["health_check"] == "present"
    git_repo.commit({"Dockerfile": "FROM python:3.12\n", "app/urls.py": "from django.urls import path\nurlpatterns = [path('healthz/', lambda r: None)]\n"})
    item = readiness(scan(git_repo, tmp_path))["health_check"]
    assert item["status"] == "present" and item["evidence"] == ["app/urls.py"]


def test_health_evidence_is_the_route_not_a_settings_list_naming_its_path(git_repo, tmp_path):
    settings = 'SECURE_REDIRECT_EXEMPT = [\n    r"^healthz/$",\n]\n'
    urls = "from django.urls import path\n\nurlpatterns = [\n    path('healthz/', views.health),\n]\n"
    git_repo.commit({**APP, "app/settings.py": settings, "app/sumo/urls.py": urls})
    item = readiness(scan(git_repo, tmp_path))["health_check"]
    assert item["status"] == "present"
    assert item["evidence"][0] == "app/sumo/urls.py"


def test_an_empty_probe_in_chart_defaults_is_no_health_check(git_repo, tmp_path):
    git_repo.commit({**APP, "helm/values.yaml": "celery:\n  livenessProbe: {}\n  readinessProbe: {}\n"})
    assert status(git_repo, tmp_path)["health_check"] == "absent"
    probe = "web:\n  livenessProbe:\n    httpGet:\n      path: /healthz\n      port: 8080\n"
    git_repo.commit({"helm/values.yaml": probe})
    item = readiness(scan(git_repo, tmp_path))["health_check"]
    assert item["status"] == "present" and item["evidence"] == ["helm/values.yaml"]


def test_status_field_name_is_not_a_health_route(git_repo, tmp_path):
    git_repo.commit({**APP, "app/tables.py": "fields = ('name', 'status', 'ping')\nORDER = {'status': 1}\n"})
    assert status(git_repo, tmp_path)["health_check"] == "absent"


def test_health_check_from_kubernetes_probe(git_repo, tmp_path):
    git_repo.commit({**APP, "k8s/deployment.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: app
          livenessProbe:
            httpGet:
              path: /healthz
              port: 8000
"""})
    result = status(git_repo, tmp_path)
    assert result["health_check"] == "present"
    assert result["iac"] == "present"


# ----------------------------------------------------------------- logging
def test_logging_config_present_partial_absent(git_repo, tmp_path):
    git_repo.commit({**APP, "app/settings.py": "LOGGING = {'version': 1, 'handlers': {'console': {'class': 'logging.StreamHandler'}}}\n"})
    assert status(git_repo, tmp_path)["logging_config"] == "present"
    git_repo.commit({"app/settings.py": "import logging\nlogging.basicConfig(level=logging.INFO)\n"})
    assert status(git_repo, tmp_path)["logging_config"] == "partial"
    git_repo.commit({"app/settings.py": "import logging\nlog = logging.getLogger(__name__)\nLOGGING = {}\n"})
    assert status(git_repo, tmp_path)["logging_config"] == "absent"


# ------------------------------------------------------------- CI and tests
def test_tests_partial_without_ci_and_present_with_it(git_repo, tmp_path):
    git_repo.commit({**APP, "tests/__init__.py": "", "tests/test_views.py": "def test_index():\n    assert True\n"})
    result = readiness(scan(git_repo, tmp_path))
    assert result["tests"]["status"] == "partial"
    assert result["tests"]["why"].endswith("no CI job runs them.")
    assert result["ci"]["status"] == "absent"
    git_repo.commit({".github/workflows/ci.yml": CI_WORKFLOW})
    result = readiness(scan(git_repo, tmp_path))
    assert result["tests"]["status"] == "present"
    assert result["ci"]["status"] == "present"
    assert ".github/workflows/ci.yml" in result["tests"]["evidence"]
    # the why cites the test file; a quote, if any, must be a line of that file,
    # never the workflow's "pytest" line shown next to the test file's name
    assert result["tests"]["why"] == "A test suite: tests/test_views.py."
    assert "pytest" not in result["tests"]["quote"]


def test_the_report_counts_every_file_of_evidence_not_only_the_ones_listed(git_repo, tmp_path):
    from archreview.config import parse_config
    from archreview.render import RenderContext, render

    tests = {f"tests/test_part{i:02}.py": f"def test_{i}():\n    assert {i} == {i}\n" for i in range(40)}
    git_repo.commit({**APP, "tests/__init__.py": "", **tests, ".github/workflows/ci.yml": CI_WORKFLOW})
    result = scan(git_repo, tmp_path)
    item = readiness(result)["tests"]
    assert item["status"] == "present"
    assert len(item["evidence"]) == 6
    # the 40 test files, the tests package and the workflow that runs them
    assert item["evidence_files"] == 42
    text = render("markdown", result, RenderContext(config=parse_config({}, "test")))
    row = next(line for line in text.splitlines() if line.startswith("| Tests |"))
    assert "and 41 more" in row


def test_a_production_compose_file_is_partial_infrastructure_as_code(git_repo, tmp_path):
    git_repo.commit({**APP, "compose.yml": "services:\n  web:\n    image: app\n"})
    assert status(git_repo, tmp_path)["iac"] == "absent"  # a compose file for development is not production's description
    git_repo.commit({"compose.deploy.yml": "services:\n  proxy:\n    image: traefik:3\n  web:\n    image: app\n    restart: always\n"})
    result = scan(git_repo, tmp_path)
    assert readiness(result)["iac"]["status"] == "partial" and readiness(result)["iac"]["evidence"] == ["compose.deploy.yml"]
    finding = next(f for f in result.findings if f.rule.startswith("readiness.") and "iac" in f.rule)
    assert finding.severity == "info" and "servers under them are not described in code" in finding.plain


def test_ci_evidence_is_the_workflow_that_runs_the_checks_quoted_from_its_own_line(git_repo, tmp_path):
    board = "name: Add to project\non:\n  pull_request_target: # a bot\n  issues:\njobs:\n  add:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo add\n"
    git_repo.commit({**APP, ".github/workflows/add-to-project.yml": board})
    item = readiness(scan(git_repo, tmp_path))["ci"]
    assert item["evidence"] == [".github/workflows/add-to-project.yml"]
    assert item["quote"] == "pull_request_target: # a bot"  # the file's line, not "on: pull_request_target, issues"
    git_repo.commit({".github/workflows/test-backend.yml": CI_WORKFLOW})
    item = readiness(scan(git_repo, tmp_path))["ci"]
    assert item["evidence"][0] == ".github/workflows/test-backend.yml"
    assert item["why"].startswith("A GitHub Actions workflow runs the tests or checks")


def test_ci_quote_is_the_test_runner_not_a_file_named_test(git_repo, tmp_path):
    workflow = (
        "name: Backend\non:\n  push:\njobs:\n  tests:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: |\n          docker compose --file docker-compose.ci-test.yml pull --quiet\n"
        "      - run: uv sync\n"
        "      - run: |\n          cd src\n          uv run pytest --cov\n"
    )
    git_repo.commit({**APP, ".github/workflows/ci-backend.yml": workflow})
    item = readiness(scan(git_repo, tmp_path))["ci"]
    assert item["quote"] == "uv run pytest --cov"
    assert item["why"].endswith("ci-backend.yml line 13.")
    # with no test runner, a command named test is enough
    git_repo.commit({".github/workflows/ci-backend.yml": workflow.replace("uv run pytest --cov", "./run test")})
    item = readiness(scan(git_repo, tmp_path))["ci"]
    assert item["status"] == "present" and item["quote"] == "./run test"
    # an install of the test extras is not a test run
    install = workflow.replace("uv run pytest --cov", "pip install -e .[dev,test]")
    git_repo.commit({".github/workflows/ci-backend.yml": install})
    item = readiness(scan(git_repo, tmp_path))["ci"]
    assert "[dev,test]" not in item["quote"]


def test_health_evidence_prefers_the_applications_endpoint_to_a_database_healthcheck(git_repo, tmp_path):
    compose = "services:\n  db:\n    image: postgres:17\n    healthcheck:\n      test: [CMD, pg_isready]\n"
    routes = "from fastapi import APIRouter\nrouter = APIRouter()\n\n\n@router.get('/health-check/')\ndef health():\n    return True\n"
    git_repo.commit({**APP, "compose.yml": compose, "app/routes.py": routes})
    item = readiness(scan(git_repo, tmp_path))["health_check"]
    assert item["status"] == "present" and item["evidence"][0] == "app/routes.py"


def test_ci_evidence_is_the_pipeline_that_runs_the_tests_whichever_service_runs_it(git_repo, tmp_path):
    build = "name: Build\non:\n  push:\npermissions:\n  contents: read\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build .\n"
    circle = "version: 2.1\njobs:\n  test:\n    docker:\n      - image: python:3.12\n    steps:\n      - checkout\n      - run: python -m pytest -q\n"
    git_repo.commit({**APP, ".github/workflows/build-and-push.yml": build, ".circleci/config.yml": circle})
    item = readiness(scan(git_repo, tmp_path))["ci"]
    assert item["status"] == "present"
    assert item["why"].startswith("A CI pipeline runs the tests or checks: .circleci/config.yml line 8")
    assert "pytest" in item["quote"]


def test_release_only_workflow_is_not_ci(git_repo, tmp_path):
    git_repo.commit({**APP, ".github/workflows/release.yml": "on:\n  release:\n    types: [published]\njobs:\n  pub:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo publish\n"})
    assert status(git_repo, tmp_path)["ci"] == "absent"


def test_gitlab_ci_runs_tests(git_repo, tmp_path):
    git_repo.commit({**APP, "tests/test_a.py": "def test_a():\n    pass\n", ".gitlab-ci.yml": "test:\n  script:\n    - pytest\n"})
    result = status(git_repo, tmp_path)
    assert result["ci"] == "present" and result["tests"] == "present"


# ---------------------------------------------------- repository files
@pytest.mark.parametrize(
    ("files", "rid"),
    [
        ({".github/dependabot.yml": "version: 2\nupdates: []\n"}, "dependency_updates"),
        ({"renovate.json": "{}\n"}, "dependency_updates"),
        ({"docker/Dockerfile": "FROM python:3.12\n"}, "container"),
        ({"compose.yaml": "services:\n  web:\n    image: app\n"}, "container"),
        ({"infra/main.tf": 'provider "aws" {}\n'}, "iac"),
        ({"chart/Chart.yaml": "apiVersion: v2\nname: app\n"}, "iac"),
        ({"SECURITY.md": "Report to security@example.com\n"}, "security_policy"),
        ({".github/CODEOWNERS": "* @team\n"}, "codeowners"),
        ({"poetry.lock": "# lock\n"}, "python_lockfile"),
        ({"requirements.txt": "django==5.0.1\nrequests==2.31.0\n"}, "python_lockfile"),
        ({"docs/runbooks/database-outage.md": "# Database outage\n"}, "runbooks"),
    ],
)
def test_present_from_files(git_repo, tmp_path, files, rid):
    git_repo.commit({**APP, **files})
    item = readiness(scan(git_repo, tmp_path))[rid]
    assert item["status"] == "present", item
    assert item["evidence"] and item["evidence"][0] in files


def test_devcontainer_and_security_config_docs_do_not_count(git_repo, tmp_path):
    git_repo.commit({**APP, ".devcontainer/Dockerfile": "FROM python\n", "docs/configuration/security.md": "# Security settings\n"})
    result = status(git_repo, tmp_path)
    assert result["container"] == "absent" and result["security_policy"] == "absent"


def test_terraform_lock_is_not_a_python_lockfile(git_repo, tmp_path):
    git_repo.commit({**APP, "infra/.terraform.lock.hcl": 'provider "registry.terraform.io/hashicorp/aws" {\n  version = "5.0.0"\n}\n', "infra/main.tf": "terraform {}\n"})
    result = status(git_repo, tmp_path)
    assert result["python_lockfile"] == "absent"
    assert result["iac"] == "present"


def test_lockfile_partial_when_most_requirements_are_pinned(git_repo, tmp_path):
    pinned = "".join(f"pkg{i}=={i}.0\n" for i in range(9))
    git_repo.commit({**APP, "requirements.txt": pinned + "floating\n", "requirements-dev.txt": "pytest\n"})
    assert status(git_repo, tmp_path)["python_lockfile"] == "partial"
    git_repo.commit({"requirements.txt": "django>=4\nrequests\n"})
    assert status(git_repo, tmp_path)["python_lockfile"] == "absent"


def test_runbooks_partial_with_deploy_guide_only(git_repo, tmp_path):
    git_repo.commit({**APP, "Dockerfile": "FROM python\n", "docs/deployment.md": "# Deploying\n"})
    assert status(git_repo, tmp_path)["runbooks"] == "partial"


def test_runbooks_partial_with_a_deployment_section_in_the_readme(git_repo, tmp_path):
    git_repo.commit({**APP, "Dockerfile": "FROM python\n", "README.md": "# Shop\n\nA shop.\n\n## Usage\n\nRun it.\n"})
    assert status(git_repo, tmp_path)["runbooks"] == "absent"
    # "Installation" in a README is how to set up a development copy
    git_repo.commit({"README.md": "# Shop\n\nA shop.\n\n## Installation\n\n    pip install -r requirements.txt\n"})
    assert status(git_repo, tmp_path)["runbooks"] == "absent"
    git_repo.commit({"README.md": "# Shop\n\nA shop.\n\n## Deployment\n\n    docker compose up -d\n"})
    item = readiness(scan(git_repo, tmp_path))["runbooks"]
    assert item["status"] == "partial"
    assert item["evidence"] == ["README.md"] and item["quote"] == "## Deployment"


def test_an_install_section_in_a_librarys_readme_is_not_a_deployment_guide(git_repo, tmp_path):
    # the chart library of the repository: "Installation" is npm install, not the product
    git_repo.commit({**APP, "Dockerfile": "FROM python\n", "viz-lib/README.md": "# Charts\n\n## Installation\n\n    npm install @acme/viz\n"})
    assert status(git_repo, tmp_path)["runbooks"] == "absent"
    git_repo.commit({"backend/README.md": "# API\n\n## Deployment\n\nBuild the image and push it.\n"})
    item = readiness(scan(git_repo, tmp_path))["runbooks"]
    assert item["status"] == "partial" and item["evidence"] == ["backend/README.md"]


def test_an_update_bot_enabled_in_the_hosting_settings_is_seen_in_the_history(git_repo, tmp_path):
    """Dependabot switched on in GitHub's settings leaves no file, only its
    commits: one in the year before the scanned revision counts, as partial
    (without a configuration it proposes security fixes only)."""
    bot = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"
    git_repo.commit({**APP, "requirements.txt": "django==4.2.1\n"}, date="2024-01-10")
    git_repo.commit({"requirements.txt": "django==4.2.2\n"}, date="2024-02-01", author=bot, message="Bump django")
    git_repo.commit({"app/views.py": "def index(request):\n    return 'ok!'\n"}, date="2025-06-01")
    item = readiness(scan(git_repo, tmp_path))["dependency_updates"]
    assert item["status"] == "absent"  # the bot's last commit is more than a year old
    bump = git_repo.commit({"requirements.txt": "django==4.2.3\n"}, date="2025-06-15", author=bot, message="Bump django")
    item = readiness(scan(git_repo, tmp_path))["dependency_updates"]
    assert item["status"] == "partial"
    assert item["evidence"] == [f"commit {bump[:12]} by dependabot[bot] on 2025-06-15"]
    assert item["why"] == (
        "An update bot changed the project in the last 12 months (enabled in the hosting settings: security fixes only): "
        f"commit {bump[:12]} by dependabot[bot] on 2025-06-15."
    )
    git_repo.commit({".github/dependabot.yml": "version: 2\nupdates: []\n"}, date="2025-06-20")
    assert status(git_repo, tmp_path)["dependency_updates"] == "present"


def test_user_rule_pack_from_config(git_repo, tmp_path):
    git_repo.commit({
        **APP,
        ".archreview.toml": 'rule_packs = ["ops/checks.toml"]\n',
        "ops/checks.toml": '[[rule]]\nid = "backups.our-tool"\nreadiness = "backups"\nmeaning = "our backup job"\ncontent = [\'^snapshot_all\']\npaths = ["ops/*.job"]\n',
        "ops/nightly.job": "snapshot_all --keep 30\n",
    })
    item = readiness(scan(git_repo, tmp_path))["backups"]
    assert item["status"] == "present"
    assert item["evidence"] == ["ops/nightly.job"]
    assert item["why"].startswith("Our backup job")


def test_why_sentences_keep_names_from_code_as_written_and_list_what_was_missing():
    from archreview.analyzers.readiness import _sentence_start

    assert _sentence_start("logging.basicConfig sets the level") == "logging.basicConfig sets the level"
    assert _sentence_start("sentry_sdk is set up") == "sentry_sdk is set up"
    assert _sentence_start("a test suite") == "A test suite"
    assert _sentence_start("GitHub Actions") == "GitHub Actions"


def test_an_absent_item_says_none_of_the_signs_was_found(git_repo, tmp_path):
    git_repo.commit(APP, date="2025-01-10")
    why = readiness(scan(git_repo, tmp_path))["backups"]["why"]
    assert why.startswith("Not found (none of these: the infrastructure code keeps automatic database backups; ")


def test_an_absent_item_names_framework_signs_only_for_a_project_on_that_framework(git_repo, tmp_path):
    git_repo.commit({**APP, "requirements.txt": "fastapi==0.115.0\n"})
    why = readiness(scan(git_repo, tmp_path))["error_tracking"]["why"]
    assert why.startswith("Not found (none of these: ") and "Django" not in why
    git_repo.commit({"requirements.txt": "fastapi==0.115.0\ndjango==5.1\n"})
    assert "an error tracker is configured in the Django settings" in readiness(scan(git_repo, tmp_path))["error_tracking"]["why"]
