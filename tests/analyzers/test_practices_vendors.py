"""Repository practices, the vendor inventory, rule pack loading and redaction."""

from __future__ import annotations

import json
import subprocess

import pytest

from archreview.errors import ConfigError
from archreview.rules import Packs, parse_pack, redact
from archreview.scan import run_scan

DANGEROUS = """\
name: PR preview
on:
  pull_request_target:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }}"
      - run: pytest || true
"""

SAFE = """\
name: CI
on: [push, pull_request]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v4
      - uses: ./.github/actions/setup
      - run: pytest
"""


def findings(repo, tmp_path):
    result, _, _ = run_scan(str(repo.path), cache_dir=tmp_path / "cache", jobs=1)
    return result


def test_dangerous_workflow_patterns(git_repo, tmp_path):
    git_repo.commit({".github/workflows/preview.yml": DANGEROUS})
    result = findings(git_repo, tmp_path)
    by_rule = {f.rule: f for f in result.findings if f.rule.startswith("practices.")}
    assert by_rule["practices.dangerous-workflow"].severity == "high"
    assert by_rule["practices.dangerous-workflow"].line == 8
    assert "pull_request.title" in by_rule["practices.script-injection"].message
    assert by_rule["practices.unpinned-action"].path == ".github/workflows/preview.yml"
    assert "actions/checkout@v4" in by_rule["practices.unpinned-action"].message
    assert "practices.workflow-permissions" in by_rule
    assert "practices.ci-ignores-failures" in by_rule
    assert all(f.area == "readiness" and f.plain for f in by_rule.values())


PREVIEW = """\
name: Docs
on:
  workflow_run:
    workflows: [Pytest]
    types: [completed]
  {trigger}:
    branches: [main]
permissions:
  contents: read
jobs:
  preview:
    runs-on: ubuntu-latest
    if: {condition}
    permissions:
      pull-requests: write
    steps:
      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v4
        with:
          ref: "refs/pull/${{{{ github.event.number }}}}/merge"
      - run: mkdocs build
"""


@pytest.mark.parametrize(
    ("trigger", "condition", "dangerous"),
    [
        # the pull request payload is empty under workflow_run: the job runs on pull_request only
        ("pull_request", "github.event.pull_request", False),
        ("pull_request", "github.event_name == 'pull_request'", False),
        # ... but pull_request_target has the payload, and secrets
        ("pull_request_target", "github.event.pull_request", True),
        ("pull_request", "always()", True),
    ],
)
def test_a_job_that_runs_only_on_pull_requests_gets_no_secrets(git_repo, tmp_path, trigger, condition, dangerous):
    git_repo.commit({".github/workflows/docs.yml": PREVIEW.format(trigger=trigger, condition=condition)})
    rules = {f.rule for f in findings(git_repo, tmp_path).findings}
    assert ("practices.dangerous-workflow" in rules) is dangerous


def test_safe_workflow_has_no_practice_findings(git_repo, tmp_path):
    git_repo.commit({".github/workflows/ci.yml": SAFE})
    result = findings(git_repo, tmp_path)
    assert not [f for f in result.findings if f.rule.startswith("practices.")]


REUSABLE = """\
name: Build
on:
  workflow_call:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: make
"""


def test_a_workflow_only_other_workflows_call_is_not_asked_for_permissions(git_repo, tmp_path):
    called_and_pushed = REUSABLE.replace("  workflow_call:\n", "  workflow_call:\n  push:\n")
    git_repo.commit({".github/workflows/build.yml": REUSABLE, ".github/workflows/both.yml": called_and_pushed})
    flagged = [f.path for f in findings(git_repo, tmp_path).findings if f.rule == "practices.workflow-permissions"]
    assert flagged == [".github/workflows/both.yml"]


def test_binary_artifacts_and_tags(git_repo, tmp_path):
    git_repo.commit({"tools/helper.exe": b"MZ\x00\x01binary", "gradle/wrapper/gradle-wrapper.jar": b"PK\x03\x04", "app.py": "x = 1\n"})
    git_repo.git("tag", "-a", "v1.0", "-m", "release")
    rules = [f.rule + ":" + f.path for f in findings(git_repo, tmp_path).findings]
    assert "practices.binary-artifact:tools/helper.exe" in rules
    assert not any("gradle-wrapper" in r for r in rules)
    assert "practices.unsigned-tags:" in rules


def test_vendor_inventory_from_imports_dependencies_and_config(git_repo, tmp_path):
    git_repo.commit({
        "app/payments.py": "import stripe\n\nstripe.api_key = KEY\n",
        "requirements.txt": "twilio==9.0.0\nopenai==1.0.0\n",
        "app/settings.py": "import os\nSENDGRID_API_KEY = os.environ['SENDGRID_API_KEY']\n",
        ".env.example": "AWS_ACCESS_KEY_ID=\nMIXPANEL_TOKEN=\n",
        "tests/test_pay.py": "import braintree\n",
        "docs/vendors.md": "We might use Auth0 later: AUTH0_DOMAIN\n",
    })
    result = findings(git_repo, tmp_path)
    vendors = {v["name"]: v for v in result.sections["vendors"]}
    assert vendors["Stripe"]["via"] == ["import"] and vendors["Stripe"]["category"] == "payments"
    assert vendors["Twilio"]["via"] == ["dependency"] and vendors["Twilio"]["evidence"] == ["requirements.txt"]
    assert vendors["OpenAI"]["category"] == "ai"
    assert vendors["SendGrid"]["via"] == ["config"]
    assert "Amazon Web Services" in vendors and "Mixpanel" in vendors
    assert "Braintree" not in vendors and "Auth0" not in vendors
    json.dumps(result.sections["vendors"])


def test_vector_databases_local_models_and_oidc_sign_in_are_outside_services(git_repo, tmp_path):
    git_repo.commit({
        "app/chat.py": "import ollama\n",
        "requirements.txt": "qdrant-client==1.9.0\nmozilla-django-oidc==4.0.0\npinecone==5.0.0\n",
        "app/settings.py": "import os\nRECAPTCHA_KEY = os.environ['DJANGO_RECAPTCHA_SITE_KEY']\n",
    })
    vendors = {v["name"]: v for v in findings(git_repo, tmp_path).sections["vendors"]}
    assert vendors["Ollama (self-hosted language models)"]["category"] == "ai"
    assert vendors["Qdrant"]["category"] == vendors["Pinecone"]["category"] == "data"  # a vector database
    assert vendors["An OpenID Connect sign-in provider"]["category"] == "auth"
    assert vendors["reCAPTCHA"]["via"] == ["config"]


def test_hosting_platforms_and_an_smtp_server_are_outside_services(git_repo, tmp_path):
    git_repo.commit({
        "app.py": "x = 1\n",
        "uv.lock": 'version = 1\n[[package]]\nname = "fastapi-cloud-cli"\nversion = "0.3.0"\nsource = { registry = "https://pypi.org/simple" }\n',
        "fly.toml": 'app = "shop"\nprimary_region = "ams"\n',
        "compose.yml": "services:\n  backend:\n    environment:\n      - SMTP_HOST=${SMTP_HOST}\n",
        "docs/hosting.md": "render.yaml would go here\n",
    })
    vendors = {v["name"]: v for v in findings(git_repo, tmp_path).sections["vendors"]}
    assert {"FastAPI Cloud", "Fly.io", "An e-mail server (SMTP)"} <= set(vendors)
    assert vendors["Fly.io"]["evidence"] == ["fly.toml"] and vendors["An e-mail server (SMTP)"]["category"] == "email"
    assert "Render" not in vendors


def test_vendors_prefer_the_dependencies_section(git_repo, tmp_path, monkeypatch):
    from archreview.analyzers import readiness

    git_repo.commit({"app.py": "x = 1\n"})

    class Context:
        sections = {"dependencies": [{"name": "Stripe", "source_file": "poetry.lock"}]}

    names = readiness.dependency_names(Context(), {}, {})
    assert names == {"stripe": ["poetry.lock"]}


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("[[rule]]\nid = 'x'\nreadiness = 'backups'\nstrength = 'maybe'\n", "strength"),
        ("[[rule]]\nid = 'x'\nreadiness = 'backups'\ncontent = ['(']\n", "bad regular expression"),
        ("[[rule]]\nid = 'x'\nreadiness = 'backups'\nbogus = 1\n", "unknown key 'bogus'"),
        ("[[rule]]\nid = 'x'\nreadiness = 'backups'\nstrings = ['^a$']\n", "needs a hint"),
        ("not toml [", "not valid TOML"),
    ],
)
def test_bad_packs_are_one_line_errors(text, error):
    with pytest.raises(ConfigError, match=error):
        parse_pack(text, "ops/checks.toml", Packs())


def test_missing_user_pack_is_an_error(git_repo, tmp_path):
    from archreview.errors import ArchreviewError

    git_repo.commit({".archreview.toml": 'rule_packs = ["nope.toml"]\n', "app.py": "x = 1\n"})
    with pytest.raises(ArchreviewError, match="nope.toml"):
        findings(git_repo, tmp_path)


@pytest.mark.parametrize(
    ("line", "hidden"),
    [
        ("SENTRY_DSN = 'https://abc123def456abc123def456@o1.ingest.sentry.io/5'", "abc123def456"),
        ("password: hunter2-very-secret", "hunter2"),
        ("DATABASE_URL=postgres://app:s3cr3tpw@db:5432/app", "s3cr3tpw"),
        ("api_key = '" + "sk_" + "live_4eC39HqLyjWDarjtT1zdp7dc'", "4eC39HqLyjWDarjtT1zdp7dc"),  # split: no key shape in the repo
        ("token=ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghij"),
    ],
)
def test_redact_hides_secret_values(line, hidden):
    out = redact(line)
    assert hidden not in out and "****" in out


def test_redact_keeps_references_and_code():
    assert redact("SENTRY_DSN = os.environ.get('SENTRY_DSN')") == "SENTRY_DSN = os.environ.get('SENTRY_DSN')"
    assert redact("    sentry_sdk.init(") == "sentry_sdk.init("
    assert "PrometheusBeforeMiddleware" in redact("'django_prometheus.middleware.PrometheusBeforeMiddleware',")
    # a value computed by code is shown, with only its literals hidden
    assert redact("sentry_sdk.init(dsn=str(settings.SENTRY_DSN), enable_tracing=True)") == (
        "sentry_sdk.init(dsn=str(settings.SENTRY_DSN), enable_tracing=True)"
    )
    assert redact("password=self.password") == "password=self.password"
    assert redact('client = Client(api_key=load_key("hunter2-xyz"))') == 'client = Client(api_key=load_key("****"))'
    assert redact("PASSWORD=hunter2") == "PASSWORD=****"


def test_a_release_whose_commit_is_signed_is_not_reported_as_unsigned(git_repo, tmp_path):
    git_repo.commit({"app.py": "x = 1\n"})
    head = git_repo.head()
    raw = git_repo.git("cat-file", "commit", head)
    header, message = raw.split("\n\n", 1)
    # a signature header as git writes it (read, never verified)
    signature = "gpgsig -----BEGIN SSH SIGNATURE-----\n U1NIU0lHAAAAAQ==\n -----END SSH SIGNATURE-----"
    signed = subprocess.run(
        ["git", "-C", str(git_repo.path), "hash-object", "-t", "commit", "-w", "--stdin"],
        input=f"{header}\n{signature}\n\n{message}", capture_output=True, text=True, check=True,
    ).stdout.strip()
    git_repo.git("tag", "-a", "v1.0", "-m", "release", head)
    assert "practices.unsigned-tags" in {f.rule for f in findings(git_repo, tmp_path).findings}
    git_repo.git("tag", "-a", "v1.1", "-m", "release", signed)
    assert "practices.unsigned-tags" not in {f.rule for f in findings(git_repo, tmp_path).findings}


def test_notification_services_a_product_sends_to_are_outside_services(git_repo, tmp_path):
    settings = (
        "import os\n"
        'DISCORD_CLIENT_ID = os.getenv("DISCORD_CLIENT_ID")\n'
        'PUSHOVER_API_TOKEN = os.getenv("PUSHOVER_API_TOKEN")\n'
        'MATRIX_ACCESS_TOKEN = os.getenv("MATRIX_ACCESS_TOKEN")\n'
        'PD_ENABLED = os.getenv("PD_ENABLED")\n'  # not PagerDuty's own name: not listed
    )
    git_repo.commit({"hc/settings.py": settings, "requirements.txt": "apprise==1.9.0\n"})
    vendors = {v["name"]: v["category"] for v in findings(git_repo, tmp_path).sections["vendors"]}
    assert vendors == {
        "Discord": "messaging",
        "Pushover": "messaging",
        "Matrix": "messaging",
        "Apprise (many notification services)": "messaging",
    }
