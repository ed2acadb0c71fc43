"""The secrets file analyzer inside real scans of small git repositories."""

from __future__ import annotations

import pytest
from secretfakes import Fakes

from archreview.config import parse_config
from archreview.errors import ConfigError
from archreview.scan import run_scan

F = Fakes(3)


def secrets_of(result):
    return [f for f in result.findings if f.area == "secrets"]


def scan(path, config=None, **kwargs):
    cfg = parse_config({"secrets": {"history": False, **(config or {})}}, "test")
    result, _, _ = run_scan(path, config=cfg, **kwargs)
    return result


def test_findings_name_rule_place_and_preview_never_the_secret(git_repo):
    key, password = F.aws_key_id(), F.password()
    git_repo.commit(
        {
            "app/settings.py": f'import os\nAWS_ACCESS_KEY_ID = "{key}"\nDB_PASSWORD = "{password}"\nDEBUG = False\n',
            "deploy/values.yaml": f"db:\n  password: {password}\n",
        },
        date="2025-01-10",
    )
    result = scan(git_repo.path)
    found = {(f.rule, f.path, f.line, f.severity) for f in secrets_of(result)}
    assert found == {
        ("secrets.aws-access-key-id", "app/settings.py", 2, "critical"),
        ("secrets.secret-assignment", "app/settings.py", 3, "high"),
        ("secrets.secret-in-config", "deploy/values.yaml", 2, "high"),
    }
    for finding in secrets_of(result):
        text = f"{finding.message} {finding.basis} {finding.plain} {finding.extra}"
        assert key not in text and password not in text and key[4:] not in text
        assert finding.effort_minutes > 0 and finding.fingerprint
    aws = next(f for f in secrets_of(result) if f.rule == "secrets.aws-access-key-id")
    assert aws.message == "AWS access key ID AKIA**************** assigned to AWS_ACCESS_KEY_ID"
    assert aws.basis == "aws-access-key-id|AKIA****************|AWS_ACCESS_KEY_ID"
    assert "secrets" in result.analyzers


def test_fingerprint_survives_moving_lines_and_changing_the_value(git_repo):
    git_repo.commit({"settings.py": f'DB_PASSWORD = "{F.password()}"\n'}, date="2025-01-10")
    first = secrets_of(scan(git_repo.path))
    git_repo.commit({"settings.py": f'import os\n\n\nDB_PASSWORD = "{F.password()}"\n'}, date="2025-02-10")
    second = secrets_of(scan(git_repo.path))
    assert [f.fingerprint for f in first] == [f.fingerprint for f in second]
    assert first[0].line == 1 and second[0].line == 4


def test_committed_env_file_is_one_finding_plus_its_values(git_repo):
    token = F.password()
    git_repo.commit(
        {
            ".env": f"DEBUG=1\nAPI_TOKEN={token}\nDB_PASSWORD=changeme\nSITE_URL=https://acme.io\n",
            ".env.example": "DEBUG=1\nAPI_TOKEN=\nDB_PASSWORD=changeme\n",
        },
        date="2025-01-10",
    )
    findings = secrets_of(scan(git_repo.path))
    assert sorted((f.rule, f.path, f.line) for f in findings) == [("secrets.env-file", ".env", 2), ("secrets.secret-in-config", ".env", 2)]
    env = next(f for f in findings if f.rule == "secrets.env-file")
    assert env.message == "committed .env file with 1 secret-looking value: API_TOKEN"


def test_punctuation_only_values_in_an_env_file_are_placeholders(git_repo):
    """docker/.env files often ship ``SECRET_KEY=---`` for the user to fill in:
    a value without a letter or digit is no secret."""
    git_repo.commit({"docker/.env": "DEBUG=0\nSECRET_KEY=---\nAPI_TOKEN=***\nDB_PASSWORD=...\nSITE_NAME=Mychecks\n"}, date="2025-01-10")
    assert secrets_of(scan(git_repo.path)) == []
    git_repo.commit({"docker/.env": f"DEBUG=0\nSECRET_KEY={F.password()}\nAPI_TOKEN=***\n"}, date="2025-01-11")
    assert [(f.rule, f.message) for f in secrets_of(scan(git_repo.path)) if f.rule == "secrets.env-file"] == [
        ("secrets.env-file", "committed .env file with 1 secret-looking value: SECRET_KEY")
    ]


def test_translation_catalogues_get_only_the_specific_rules(git_repo):
    """A locale file maps message ids such as "user-password" to the word in
    another language: prose, not a secret - but a provider key pasted into one
    is still found."""
    key = F.github_token()
    git_repo.commit(
        {
            "frontend/lang/messages/da-DK.json": '{\n  "user": {\n    "password": "Adgangskode",\n    "user-password": "Brugeradgangskode"\n  }\n}\n',
            "frontend/src/locales/de.json": f'{{\n  "api-token": "API-Token",\n  "example-token": "{key}"\n}}\n',
        },
        date="2025-01-10",
    )
    found = [(f.rule, f.path) for f in secrets_of(scan(git_repo.path))]
    assert found == [("secrets.github-token", "frontend/src/locales/de.json")]


def test_amazon_product_links_carry_a_public_key_id(git_repo):
    """Saved web pages (a scraper's test fixtures) link to Amazon with the site
    owner's key ID as SubscriptionId: public by design. The same ID assigned
    in code is still found."""
    link_id, code_id = F.aws_key_id(), F.aws_key_id()
    page = f'<a href="https://www.amazon.com/dp/B00?tag=x-20&amp;SubscriptionId={link_id}&amp;linkCode=xm2">buy</a>\n'
    git_repo.commit({"tests/data/html/pizza.html": page, "deploy/aws.py": f'ACCESS_KEY_ID = "{code_id}"\n'}, date="2025-01-10")
    found = [(f.rule, f.path) for f in secrets_of(scan(git_repo.path))]
    assert found == [("secrets.aws-access-key-id", "deploy/aws.py")]


def test_same_blob_at_env_and_example_path_is_analysed_for_each(git_repo, tmp_path):
    body = f"API_TOKEN={F.password()}\n"
    git_repo.commit({"config/.env.example": body}, date="2025-01-10")
    cache = tmp_path / "cache"
    first = {(f.rule, f.path) for f in secrets_of(scan(git_repo.path, cache_dir=cache))}
    assert first == {("secrets.secret-in-config", "config/.env.example")}
    git_repo.commit({"config/.env": body}, date="2025-01-11")  # the same bytes, now a committed .env
    second = {(f.rule, f.path) for f in secrets_of(scan(git_repo.path, cache_dir=cache))}
    assert ("secrets.env-file", "config/.env") in second
    assert ("secrets.env-file", "config/.env.example") not in second


def test_test_files_lower_provider_keys_and_skip_generic_rules(git_repo):
    git_repo.commit(
        {
            "tests/test_billing.py": f'STRIPE = "{F.stripe_live()}"\nPASSWORD = "{F.password()}"\n',
            "docs/setup.md": f'Set `DB_PASSWORD = "{F.password()}"`.\nOld token: {F.github_token()}\n',
        },
        date="2025-01-10",
    )
    found = sorted((f.rule, f.path, f.severity, f.message.endswith("(in a test file)")) for f in secrets_of(scan(git_repo.path)))
    assert found == [
        ("secrets.github-token", "docs/setup.md", "critical", False),
        ("secrets.stripe-live-key", "tests/test_billing.py", "high", True),
    ]
    assert [f.path for f in secrets_of(scan(git_repo.path, {"test_files": "skip"}))] == ["docs/setup.md"]
    reported = {(f.rule, f.severity) for f in secrets_of(scan(git_repo.path, {"test_files": "report"})) if f.path.startswith("tests/")}
    assert reported == {("secrets.stripe-live-key", "critical"), ("secrets.secret-assignment", "high")}


def test_ci_configuration_gets_provider_tokens_and_a_step_less_for_passwords_but_not_its_service_credentials(git_repo):
    password, token, percy = F.password(), F.github_token(), F.password()
    service = (
        f"services:\n  postgres:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: {password}\n"
        f"  web:\n    environment:\n      DATABASE_URL: postgresql://app:{password}@postgres/app\n"
        f"      APP_COOKIE_SECRET: {F.password()}\n"
    )
    git_repo.commit(
        {
            ".github/workflows/ci.yml": f"name: CI\non: push\nenv:\n  PERCY_TOKEN: {percy}\n",
            ".ci/compose.ci.yaml": service,
            "docker-compose.test.yml": service,
            ".gitlab-ci.yml": f"deploy:\n  script:\n    - curl -H 'Authorization: token {token}' https://example.com\n",
            # the same services in the production compose file hold real passwords
            "deploy/compose.yaml": service,
        },
        date="2025-01-10",
    )
    found = sorted((f.rule, f.path, f.severity) for f in secrets_of(scan(git_repo.path)))
    assert found == [
        ("secrets.github-token", ".gitlab-ci.yml", "critical"),
        ("secrets.secret-in-config", ".github/workflows/ci.yml", "medium"),
        # the production compose file's database password and the app's cookie secret
        ("secrets.secret-in-config", "deploy/compose.yaml", "high"),
        ("secrets.secret-in-config", "deploy/compose.yaml", "high"),
        ("secrets.url-password", "deploy/compose.yaml", "high"),
    ]
    percy_finding = next(f for f in secrets_of(scan(git_repo.path)) if f.path == ".github/workflows/ci.yml")
    assert percy_finding.message.endswith("(in CI configuration)")
    reported = {f.path for f in secrets_of(scan(git_repo.path, {"test_files": "report"}))}
    assert {".github/workflows/ci.yml", ".ci/compose.ci.yaml", "docker-compose.test.yml"} <= reported


def test_an_example_file_gets_provider_tokens_and_a_step_less_for_passwords(git_repo):
    git_repo.commit({".env.sample": f"DB_PASSWORD={F.password()}\nGITHUB_TOKEN={F.github_token()}\n"}, date="2025-01-10")
    found = {f.rule: f for f in secrets_of(scan(git_repo.path))}
    assert found["secrets.github-token"].severity == "critical"
    generic = [f for f in found.values() if f.rule != "secrets.github-token"]
    assert generic and all(f.severity == "medium" and f.message.endswith("(in an example file)") for f in generic)


def test_javascript_test_files_are_test_files(git_repo):
    # a Jest spec's fake token, and the same line in product code
    line = f"const newToken = '{F.password()}'\n"
    git_repo.commit(
        {"src-ui/app/profile.component.spec.ts": line, "src-ui/e2e/login.ts": line, "src-ui/app/profile.component.ts": line},
        date="2025-01-10",
    )
    assert [f.path for f in secrets_of(scan(git_repo.path))] == ["src-ui/app/profile.component.ts"]


def test_lockfiles_binaries_and_allowed_paths_are_not_read(git_repo):
    token = F.github_token()
    git_repo.commit(
        {
            "yarn.lock": f'"pkg@1": resolved "https://{token}@npm.pkg.github.com/pkg.tgz"\n',
            "static/app.min.js": f'var t="{token}";\n',
            "blob.py": b"\0\0binary " + token.encode(),
            "fixtures/keys.json": f'{{"token": "{token}"}}\n',
        },
        date="2025-01-10",
    )
    assert secrets_of(scan(git_repo.path, {"allow_paths": ["fixtures/"]})) == []


def test_disable_and_allow_settings(git_repo):
    git_repo.commit({"a.py": f'KEY = "{F.google_api()}"\nPASSWORD = "acme-dev-{F.password()}"\n'}, date="2025-01-10")
    assert {f.rule for f in secrets_of(scan(git_repo.path))} == {"secrets.google-api-key", "secrets.secret-assignment"}
    assert secrets_of(scan(git_repo.path, {"disable": ["google-api-key"], "allow": ["^acme-dev-"]})) == []


@pytest.mark.parametrize(
    "section,message",
    [({"colour": 1}, "unknown setting 'colour'"), ({"test_files": "maybe"}, "test_files"), ({"disable": "x"}, "list of strings"), ({"disable": ["nope"]}, "no rule 'nope'")],
)
def test_bad_settings_are_clear_errors(git_repo, section, message):
    git_repo.commit({"a.py": "x = 1\n"}, date="2025-01-10")
    with pytest.raises(ConfigError, match=message):
        scan(git_repo.path, section)


def test_bandit_password_findings_are_redacted(git_repo):
    password = "hunter2x"  # short and weak: no secrets rule reports it, bandit does
    git_repo.commit({"app.py": f'password = "{password}"\ndef login(pw="{password}"):\n    return pw\n'}, date="2025-01-10")
    result = scan(git_repo.path)
    bandit = [f for f in result.findings if f.rule in ("security.B105", "security.B107")]
    assert bandit, "bandit should flag the hard-coded password"
    for finding in bandit:
        assert password not in finding.message and password not in finding.basis
        assert "****************" in finding.message
