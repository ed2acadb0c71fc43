"""Every rule of checks/secrets.toml: realistic positives it must find and
look-alikes it must leave alone (placeholders, references to the
environment, documented example keys, documentation)."""

from __future__ import annotations

import pytest
from secretfakes import Fakes

from archreview.secretscan.detect import Detector
from archreview.secretscan.pack import load_pack

F = Fakes(7)
DASH5 = "-" * 5


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector(load_pack())


def found(detector, text: str, kind: str = "code", role: str = "source") -> list[tuple[str, int]]:
    return [(h.rule.id, h.line) for h in detector.scan(text.encode(), kind, role)]


POSITIVES = [
    # (rule, kind, text)
    ("aws-access-key-id", "code", f'AWS_ACCESS_KEY_ID = "{F.aws_key_id()}"\n'),
    ("aws-access-key-id", "config", f"aws_access_key_id: {F.aws_key_id()}\n"),
    ("aws-secret-access-key", "code", f'client = boto3.client("s3", aws_secret_access_key="{F.aws_secret()}")\n'),
    ("aws-secret-access-key", "config", f"[default]\naws_secret_access_key = {F.aws_secret()}\n"),
    ("gcp-service-account-key", "code",
     '{"type": "service_account", "project_id": "acme",\n "private_key": "' + DASH5 + "BEGIN PRIVATE KEY" + DASH5 + "\\n"
     + F.pem_body().replace("\n", "\\n") + "\\n" + DASH5 + "END PRIVATE KEY" + DASH5 + '\\n"}\n'),
    ("azure-storage-key", "code",
     f'CONN = "DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey={F.azure_account_key()};EndpointSuffix=core.windows.net"\n'),
    ("digitalocean-token", "config", f"DO_TOKEN={F.digitalocean()}\n"),
    ("github-token", "code", f'token = "{F.github_token()}"\n'),
    ("github-token", "docs", f"Clone with https://{F.github_token()}@github.com/acme/app.git\n"),
    ("gitlab-token", "config", f"GITLAB_TOKEN: {F.gitlab_token()}\n"),
    ("npm-token", "config", f"NPM_TOKEN={F.npm()}\n"),
    ("npmrc-auth-token", "config", f"//registry.npmjs.org/:_authToken={F.chars('abcdef0123456789', 8)}-{F.chars('abcdef0123456789', 4)}-{F.chars('abcdef0123456789', 12)}\n"),
    ("pypi-token", "config", f"[pypi]\nusername = __token__\npassword = {F.pypi()}\n"),
    ("stripe-live-key", "code", f"stripe.api_key = '{F.stripe_live()}'\n"),
    ("slack-token", "code", f'SLACK_BOT_TOKEN = "{F.slack_bot()}"\n'),
    ("slack-webhook", "code", f'WEBHOOK = "{F.slack_webhook()}"\n'),
    ("twilio-api-key", "code", f'from twilio.rest import Client\nclient = Client("{F.twilio_key()}", "x", account_sid)\n'),
    ("twilio-auth-token", "code", f'TWILIO_AUTH_TOKEN = "{F.chars("0123456789abcdef", 32)}"\n'),
    ("sendgrid-api-key", "code", f'SENDGRID_API_KEY = "{F.sendgrid()}"\n'),
    ("openai-api-key", "code", f'openai.api_key = "{F.openai()}"\n'),
    ("anthropic-api-key", "config", f"ANTHROPIC_API_KEY={F.anthropic()}\n"),
    ("huggingface-token", "code", f'HF_TOKEN = "{F.huggingface()}"\n'),
    ("shopify-token", "code", f'SHOPIFY_TOKEN = "{F.shopify()}"\n'),
    ("google-api-key", "code", f'<script src="https://maps.googleapis.com/maps/api/js?key={F.google_api()}"></script>\n'),
    ("private-key", "code", "KEY = '''\n" + F.private_key() + "'''\n"),
    ("private-key", "config", F.private_key("OPENSSH ")),
    ("url-password", "code", f'DATABASE_URL = "postgres://app:{F.password()}@db.prod.internal:5432/app"\n'),
    ("url-password", "config", f"broker_url: amqp://worker:{F.password()}@mq.acme.io//\n"),
    ("url-password", "config", "DATABASE_URL=mysql://root:Xq7-ctfd-prod-2024@db/ctfd\n"),  # not the database's name
    ("django-secret-key", "code", f'SECRET_KEY = "{F.django_key()}"\n'),
    ("django-secret-key", "code", f'SECRET_KEY = os.environ.get("SECRET_KEY", "{F.django_key()}")\n'),
    ("django-secret-key", "code", f"SECRET_KEY = env('DJANGO_SECRET_KEY', default='django-insecure-{F.django_key()}')\n"),
    ("secret-assignment", "code", f'DB_PASSWORD = "{F.password()}"\n'),
    ("secret-assignment", "code", f'DATABASES = {{"default": {{"USER": "app", "PASSWORD": "{F.password()}"}}}}\n'),
    ("secret-assignment", "code", f'connect(host="db", password="{F.password()}")\n'),
    ("secret-assignment", "code", f'{{"api_key": "{F.chars("abcdef0123456789", 32)}"}}\n'),
    ("secret-assignment", "code", f'const apiToken = "{F.password()}";\n'),
    ("secret-assignment", "code", f'settings["smtp_password"] = "{F.password()}"\n'),
    ("secret-variable-default", "config", f'      APP_SECRET_KEY: "${{APP_SECRET_KEY:-{F.password()}}}"\n'),
    ("secret-variable-default", "env", f"DB_PASSWORD=${{DB_PASSWORD:-{F.password()}}}\n"),
    ("secret-in-config", "config", f"database:\n  password: {F.password()}\n"),
    ("secret-in-config", "env", f"DB_PASSWORD={F.password()}\n"),
    ("secret-in-config", "config", f"[smtp]\npassword = {F.password()}\n"),
    ("secret-in-config", "config", f"FROM python:3.12\nENV API_TOKEN={F.password()}\n"),
    ("secret-in-config", "config", f"services:\n  db:\n    environment:\n      - POSTGRES_PASSWORD={F.password()}\n"),
    ("secret-in-config", "config", f"export CLIENT_SECRET={F.password()}\n"),
]


@pytest.mark.parametrize("rule,kind,text", POSITIVES, ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(POSITIVES)])
def test_rule_finds_realistic_secret(detector, rule, kind, text):
    assert rule in {rid for rid, _ in found(detector, text, kind)}


NEGATIVES = [
    # (why, kind, text) - nothing may be found
    ("AWS's documented example key id", "code", 'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"\n'),
    ("AWS's documented example secret", "code", 'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n'),
    ("masked key id", "code", 'AWS_ACCESS_KEY_ID = "AKIAXXXXXXXXXXXXXXXX"\n'),
    ("placeholder token", "code", 'GITHUB_TOKEN = "gh' + 'p_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"\n'),
    ("sequential placeholder token", "code", 'token = "gh' + 'p_0123456789abcdefghijklmnopqrstuvwxyz"\n'),
    ("stripe test key", "code", 'stripe.api_key = "sk' + '_test_' + F.chars("abcdefghijklmnopqrstuvwxyz0123456789", 24) + '"\n'),
    ("slack placeholder webhook", "code", 'URL = "https://hooks.' + 'slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"\n'),
    ("azure storage emulator", "code",
     'CONN = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=' + F.azure_account_key() + '"\n'),
    ("password from the environment", "code", 'DB_PASSWORD = os.environ["DB_PASSWORD"]\n'),
    ("password from getenv", "code", 'password = os.getenv("DB_PASSWORD")\n'),
    ("env reference in yaml", "config", "password: ${DB_PASSWORD}\n"),
    ("jinja reference in yaml", "config", "password: \"{{ vault_db_password }}\"\n"),
    ("env reference in .env", "env", "API_TOKEN=${API_TOKEN}\n"),
    ("changeme", "code", 'SECRET_KEY = "changeme-please-1234"\n'),
    ("your-key-here", "code", 'api_key = "your-api-key-here"\n'),
    ("angle placeholder", "code", 'api_key = "<your api key>"\n'),
    ("example in value", "config", "password: example-password-42\n"),
    ("placeholder word value", "config", "password: password\n"),
    ("well-known dev default", "code", 'DATABASES = {"default": {"PASSWORD": "postgres"}}\n'),
    ("type annotation", "code", "def login(username: str, password: str = None) -> bool:\n"),
    ("comparison", "code", 'if password == "hunter2hunter2":\n'),
    ("form field", "code", 'password = forms.CharField(widget=forms.PasswordInput, label="Password")\n'),
    ("name of a setting", "code", 'TOKEN_HEADER_NAME = "X-Api-Token-Header"\n'),
    ("translation", "code", '"password_reset": "Reset your password"\n'),
    ("identifier value", "code", 'token_field = "auth_token"\n'),
    ("constant name value", "code", 'SECRET_SETTING = "DJANGO_SECRET_KEY"\n'),
    ("password hash", "code", 'password = "pbkdf2_sha256$260000$' + F.chars("abcdefghij", 22) + '$' + F.chars("ABCDEFabcdef0123", 43) + '="\n'),
    ("template path", "code", 'password_template = "account/password_reset_email.html"\n'),
    ("url without password", "code", 'URL = "https://user@github.com/acme/app.git"\n'),
    ("url to localhost", "code", 'DATABASE_URL = "postgres://app:' + F.password() + '@localhost:5432/app"\n'),
    ("url to example host", "code", 'DATABASE_URL = "postgres://app:' + F.password() + '@db.example.com/app"\n'),
    ("url password same as user", "config", "DATABASE_URL=postgres://saleor:saleor@db/saleor\n"),
    ("url password same as the database", "config", "DATABASE_URL=mysql+pymysql://root:ctfd@db/ctfd\n"),
    ("url password same as the host", "config", "CACHE_URL=redis://default:cache@cache.internal:6379/0\n"),
    ("url with env password", "config", "url: postgres://app:${DB_PASSWORD}@db.acme.io/app\n"),
    ("documentation example", "docs", "Set `DB_PASSWORD = \"" + F.password() + "\"` in your settings.\n"),
    ("documentation url", "docs", "Use postgres://app:" + F.password() + "@db.acme.io/app\n"),
    ("pem placeholder", "docs", DASH5 + "BEGIN RSA PRIVATE KEY" + DASH5 + "\n...\n" + DASH5 + "END RSA PRIVATE KEY" + DASH5 + "\n"),
    ("public key", "code", DASH5 + "BEGIN PUBLIC KEY" + DASH5 + "\n" + F.pem_body() + "\n" + DASH5 + "END PUBLIC KEY" + DASH5 + "\n"),
    ("allow-list marker", "code", 'API_TOKEN = "' + F.password() + '"  # pragma: allowlist secret\n'),
    ("f-string value", "code", "token_auth_string = f'{prefix}{plaintext}'\n"),
    ("twilio key without twilio", "code", 'SERIAL = "S' + "K" + F.chars("0123456789abcdef", 32) + '"\n'),
    ("digits only", "code", 'PIN_TOKEN = "12394857610"\n'),
    ("long name denylist", "config", "password_reset_timeout: 259200abc\n"),
    ("camelCase name denylist", "code", 'TokenAuthProvider.displayName = "TokenAuthProvider";\n'),
    ("dotted class path", "code", "ACCOUNT_FORMS = {'reset_password_from_key': 'accounts.forms.SetPasswordForm'}\n"),
    ("PascalCase value", "code", 'tokenComponent = "TokenVerifyProvider"\n'),
    ("angular binding to a call", "code", '<pdf-viewer [src]="pdfSource()" [password]="pdfPassword()"></pdf-viewer>\n'),
    ("value that says it is not a secret", "config", "[pytest]\nenv =\n  PAPERLESS_PASSPHRASE=THISISNOTASECRET\n"),
    ("call with arguments", "code", 'const apiToken = "readToken(user.id)";\n'),
    ("call with a string argument in embedded code", "config", '        existing_auth.password = user.get("password")\n'),
    ("placeholder default of a variable", "config", '      POSTGRES_PASSWORD: "${POSTGRES_PASSWORD:-changeme}"\n'),
    ("variable without a default", "config", "      SECRET_KEY: ${SECRET_KEY}\n"),
    ("namespaced cache key", "code", 'WIKI_REBUILD_TOKEN = "sumo:wiki:full-rebuild"\n'),
    ("placeholder spelt in digits", "config", '      - "WEBUI_JWT_SECRET_KEY=t0p-s3cr3t"\n'),
    ("default of a search engine's settings", "config", '  secret_key: "ultrasecretkey"\n'),
]


@pytest.mark.parametrize("why,kind,text", NEGATIVES, ids=[n[0] for n in NEGATIVES])
def test_look_alike_is_not_reported(detector, why, kind, text):
    assert found(detector, text, kind) == []


def test_a_quoted_compose_entry_ends_the_value_before_its_quote(detector):
    password = F.password()
    [hit] = detector.scan(f'    environment:\n      - "API_TOKEN={password}"\n'.encode(), "config")
    text = f'    environment:\n      - "API_TOKEN={password}"\n'.encode()
    assert text[hit.start : hit.end].decode() == password


def test_a_key_glued_to_the_next_name_never_becomes_a_label(detector):
    # a scanner's output quoted in a fixture: the key ID runs into the next name
    key, secret = F.aws_key_id(), F.aws_secret()
    text = '{"snippet": "\\n\\naws_access_key_id=' + key + "aws_secret_access_key=" + secret + '\\n"}\n'
    hits = detector.scan(text.encode(), "config")
    assert hits
    for hit in hits:
        assert key[4:] not in hit.name + hit.detail + hit.preview + " ".join(hit.names)


def test_line_numbers_point_at_the_secret(detector):
    text = "import os\n\n\nGITHUB = '" + F.github_token() + "'\n"
    assert found(detector, text) == [("github-token", 4)]


def test_every_rule_has_a_positive_case():
    ids = {r.id for r in load_pack().rules}
    covered = {rule for rule, _, _ in POSITIVES} | {"env-file"}  # env-file: tests/analyzers
    assert ids == covered


def test_preview_shows_only_a_public_prefix(detector):
    token = F.github_token()
    [hit] = detector.scan(f'T = "{token}"\n'.encode())
    assert hit.preview == token[:4] + "*" * 16
    password = F.password()
    [hit] = detector.scan(f'DB_PASSWORD = "{password}"\n'.encode())
    assert hit.preview == "*" * 16 and hit.name == "DB_PASSWORD"


def test_url_detail_names_scheme_and_host_only(detector):
    password = F.password()
    [hit] = detector.scan(f'URL = "postgres://app_user:{password}@db.prod.internal/app"\n'.encode())
    assert hit.detail == "postgres://db.prod.internal" and hit.name == "URL"
    assert password not in hit.detail + hit.name + hit.preview and "app_user" not in hit.detail


def test_a_token_used_as_url_user_is_not_shown_as_the_user(detector):
    token = F.github_token()
    hits = detector.scan(f'URL = "https://{token}:x-oauth-basic@github.com/acme/app.git"\n'.encode(), "config")
    assert "github-token" in {h.rule.id for h in hits}
    for hit in hits:
        assert token not in f"{hit.detail}{hit.name}{hit.preview}"


def test_specific_rule_wins_over_generic_on_the_same_text(detector):
    text = f'GITHUB_TOKEN = "{F.github_token()}"\n'
    assert [rid for rid, _ in found(detector, text)] == ["github-token"]


def test_test_files_lower_specific_and_skip_generic():
    detector = Detector(load_pack(), "lower")
    text = f'AWS_ACCESS_KEY_ID = "{F.aws_key_id()}"\nDB_PASSWORD = "{F.password()}"\n'.encode()
    hits = detector.scan(text, "code", "test")
    assert [(h.rule.id, h.severity) for h in hits] == [("aws-access-key-id", "high")]
    assert [h.rule.id for h in Detector(load_pack(), "skip").scan(text, "code", "test")] == []
    reported = Detector(load_pack(), "report").scan(text, "code", "test")
    assert [(h.rule.id, h.severity) for h in reported] == [("aws-access-key-id", "critical"), ("secret-assignment", "high")]


def test_strict_mode_masks_placeholders_too(detector):
    hits = detector.scan(b'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"\n', strict=True)
    assert [h.rule.id for h in hits] == ["aws-access-key-id"]


def without_keyword_regex(pack):
    import dataclasses

    return dataclasses.replace(pack, rules=tuple(dataclasses.replace(r, keyword_regex=None) for r in pack.rules))


def test_keyword_regex_finds_what_the_keywords_find(detector):
    """url-password looks only at the "://" followed by user:password@host;
    on real-shaped text it finds exactly what trying every "://" finds."""
    plain = Detector(without_keyword_regex(load_pack()))
    assert any(r.keyword_regex is not None for r in detector.rules)
    texts = [text for _rule, _kind, text in POSITIVES] + [
        'LINKS = ["https://docs.acme.io/a", "http://x.y:8080/p", "ftp://files.acme.io/"]\n',
        f'A = "https://docs.acme.io"\nB = "redis://:{F.password()}@cache.acme.io:6379/0"\n',
        f'url = "postgres://app:{F.password()}@db.acme.io/app" # https://wiki\n',
        f"mongodb+srv://admin:{F.password()}@cluster0.acme.mongodb.net/db\nhttps://a.b/c:d@e\n",
        'POSTGRES://APP:S3cr3tPassW0rd@DB.ACME.IO/APP\n',
    ]
    for text in texts:
        for kind in ("code", "config", "docs"):
            expected = [(h.rule.id, h.start, h.end, h.preview) for h in plain.scan(text.encode(), kind)]
            assert [(h.rule.id, h.start, h.end, h.preview) for h in detector.scan(text.encode(), kind)] == expected


def test_a_password_url_after_thousands_of_links_is_found(detector):
    """Each keyword is followed at most 5,000 times per file; a generated page
    of links no longer uses them up before the one URL that matters."""
    links = "".join(f'    "https://docs.acme.io/page/{n}",\n' for n in range(6000))
    text = f"PAGES = [\n{links}]\nDATABASE_URL = \"postgres://app:{F.password()}@db.prod.internal/app\"\n"
    assert ("url-password", 6003) in found(detector, text)
    assert found(Detector(without_keyword_regex(load_pack())), text) == []


def test_a_password_in_commented_out_code_is_one_step_less_severe(detector):
    password, token = F.password(), F.github_token()
    [live] = detector.scan(f'SECRET = "{password}"\n'.encode())
    [commented] = detector.scan(f'# SECRET = "{password}"\n'.encode())
    assert (live.severity, live.commented) == ("high", False)
    assert (commented.severity, commented.commented) == ("medium", True)
    [provider] = detector.scan(f'    // const t = "{token}";\n'.encode())
    assert provider.commented and provider.severity == "critical"  # a provider's key works wherever it is written
    # a comment after code on the line is a comment too, but not a # inside a string
    [trailing] = detector.scan(f'return "docs"  # e.g. "password": "{password}"\n'.encode())
    assert trailing.commented and trailing.severity == "medium"
    [fragment] = detector.scan(f'url = "https://x.io/#top"; TOKEN = "{password}"\n'.encode())
    assert not fragment.commented
    # a PEM block opens with five dashes, not SQL's comment
    [key] = detector.scan(F.private_key().encode())
    assert not key.commented
    [sql] = detector.scan(f"-- SECRET = '{password}'\n".encode())
    assert sql.commented
