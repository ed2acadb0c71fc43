"""A found secret never appears in anything archreview writes.

Realistic fake keys (built at run time, see tests/secretfakes.py) are planted
in current files and in files that history alone still holds; every output
format is produced with profiling and progress on, with and without a cache;
then stdout, stderr, the output files and every row of the cache database
(decompressed) are searched for each key and for parts of it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from secretfakes import Fakes, middles

from archreview.render import FORMATS

SRC = Path(__file__).resolve().parents[1] / "src"
F = Fakes(99)


def plant(git_repo) -> list[str]:
    s = {
        "aws_id": F.aws_key_id(),
        "aws_secret": F.aws_secret(),
        "github": F.github_token(),
        "gitlab": F.gitlab_token(),
        "stripe": F.stripe_live(),
        "slack": F.slack_bot(),
        "webhook": F.slack_webhook(),
        "sendgrid": F.sendgrid(),
        "openai": F.openai(),
        "anthropic": F.anthropic(),
        "npm": F.npm(),
        "npm_legacy": "-".join(F.chars("0123456789abcdef", n) for n in (8, 4, 4, 4, 12)),
        "pypi": F.pypi(),
        "google": F.google_api(),
        "hf": F.huggingface(),
        "azure": F.azure_account_key(),
        "db_password": F.password(),
        "url_password": F.password(),
        "env_password": F.password(),
        "django": F.django_key(),
        "old_github": F.github_token(),
        "old_aws": F.aws_key_id(),
        "old_password": F.password(),
        "test_stripe": F.stripe_live(),
        "mail_password": F.password(),
    }
    pem, old_pem = F.private_key(), F.private_key("OPENSSH ")
    gcp_body = F.pem_body()
    # history: a deploy script with keys, deleted later; a password edited out
    git_repo.commit(
        {
            "scripts/deploy.py": f'GITHUB_TOKEN = "{s["old_github"]}"\nAWS_ACCESS_KEY_ID = "{s["old_aws"]}"\n',
            "keys/id_ed25519": old_pem,
            "app/config.py": f'SMTP_PASSWORD = "{s["old_password"]}"\n',
        },
        date="2024-01-10",
    )
    git_repo.commit({"scripts/deploy.py": None, "keys/id_ed25519": None}, date="2024-02-10")
    git_repo.commit({"app/config.py": 'import os\nSMTP_PASSWORD = os.environ["SMTP_PASSWORD"]\n'}, date="2024-03-10")
    gcp = json.dumps(
        {"type": "service_account", "project_id": "acme", "private_key": "-----BEGIN PRIVATE KEY-----\n" + gcp_body + "\n-----END PRIVATE KEY-----\n"}
    )
    git_repo.commit(
        {
            "app/settings.py": (
                "import os\n"
                f'SECRET_KEY = "{s["django"]}"\n'
                f'AWS_ACCESS_KEY_ID = "{s["aws_id"]}"\n'
                f'AWS_SECRET_ACCESS_KEY = "{s["aws_secret"]}"\n'
                f'DB_PASSWORD = "{s["db_password"]}"\n'
                f'DATABASE_URL = "postgres://app:{s["url_password"]}@db.prod.acme.io:5432/app"\n'
                f'STRIPE_KEY = "{s["stripe"]}"\n'
                f'SLACK_TOKEN = "{s["slack"]}"\n'
                f'SLACK_WEBHOOK = "{s["webhook"]}"\n'
                f'SENDGRID_API_KEY = "{s["sendgrid"]}"\n'
                f'OPENAI_API_KEY = "{s["openai"]}"\n'
                f'ANTHROPIC_API_KEY = "{s["anthropic"]}"\n'
                f'GOOGLE_MAPS_KEY = "{s["google"]}"\n'
                f'HF_TOKEN = "{s["hf"]}"\n'
                f'AZURE = "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey={s["azure"]};EndpointSuffix=core.windows.net"\n'
                f'def connect(password="{s["db_password"]}"):\n    return password\n'
            ),
            "deploy/ci.yml": f"env:\n  GITLAB_TOKEN: {s['gitlab']}\n  GITHUB_TOKEN: {s['github']}\n  NPM_TOKEN: {s['npm']}\n",
            ".npmrc": f"//registry.npmjs.org/:_authToken={s['npm_legacy']}\n",
            ".pypirc": f"[pypi]\nusername = __token__\npassword = {s['pypi']}\n",
            ".env": f"DEBUG=0\nDB_PASSWORD={s['env_password']}\n",
            "certs/server.key": pem,
            "gcp.json": gcp,
            "tests/test_payments.py": f'STRIPE = "{s["test_stripe"]}"\n',
            # bandit quotes the whole literal, line breaks and apostrophes included
            "app/mail.py": f'RESET_PASSWORD = (\n    "it\'s {s["mail_password"]}\\n"\n    "and more"\n)\n',
            "README.md": f"Deploy with `GITHUB_TOKEN={s['github']}`\n",
        },
        date="2024-04-10",
    )
    keys = list(s.values())
    keys += [line for line in (pem + old_pem + gcp_body).splitlines() if len(line) > 40]
    return keys


def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("CI", None)
    return subprocess.run([sys.executable, "-m", "archreview", *args], cwd=cwd, env=env, capture_output=True, timeout=300)


def cache_texts(cache_dir: Path) -> list[bytes]:
    """The raw bytes of every file under the cache folder, and every row of
    the SQLite database with its compressed values decompressed."""
    texts = [p.read_bytes() for p in cache_dir.rglob("*") if p.is_file()]
    database = cache_dir / "cache.sqlite3"
    if database.exists():
        db = sqlite3.connect(database)
        try:
            tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            assert {"results", "kv"} <= set(tables)
            for table in tables:
                for row in db.execute(f"SELECT * FROM {table}"):  # noqa: S608 - table names from the schema
                    for value in row:
                        if isinstance(value, bytes):
                            texts.append(value)
                            try:
                                texts.append(zlib.decompress(value))
                            except zlib.error:
                                pass
                        else:
                            texts.append(str(value).encode())
        finally:
            db.close()
    return texts


def test_no_planted_secret_appears_in_any_output(git_repo, tmp_path):
    keys = plant(git_repo)
    out = tmp_path / "out"
    out.mkdir()
    cache = tmp_path / "cache"
    runs = []
    for fmt in FORMATS:
        runs.append(["scan", str(git_repo.path), "--format", fmt, "--profile", "--progress", "--no-cache"])
        runs.append(["scan", str(git_repo.path), "--format", fmt, "--profile", "--progress", "--cache-dir", str(cache), "-o", str(out / f"cold.{fmt}")])
        runs.append(["scan", str(git_repo.path), "--format", fmt, "--profile", "--cache-dir", str(cache), "-o", str(out / f"warm.{fmt}")])
    runs.append(["scan", str(git_repo.path), "--worktree", "--format", "json", "--cache-dir", str(cache), "-o", str(out / "worktree.json")])
    written: list[bytes] = []
    for args in runs:
        proc = run_cli(args, tmp_path)
        assert proc.returncode == 0, proc.stderr.decode()
        written += [proc.stdout, proc.stderr]
    written += [p.read_bytes() for p in out.iterdir()]
    written += cache_texts(cache)
    written += cache_texts(Path(os.environ["ARCHREVIEW_CACHE_DIR"]))

    # the scan did find them (so the absence below means something)
    result = json.loads((out / "warm.json").read_text())
    rules = {f["rule"] for f in result["findings"]}
    assert {
        "secrets.aws-access-key-id", "secrets.aws-secret-access-key", "secrets.github-token", "secrets.gitlab-token",
        "secrets.stripe-live-key", "secrets.slack-token", "secrets.slack-webhook", "secrets.sendgrid-api-key",
        "secrets.openai-api-key", "secrets.anthropic-api-key", "secrets.npm-token", "secrets.npmrc-auth-token", "secrets.pypi-token",
        "secrets.google-api-key", "secrets.huggingface-token", "secrets.azure-storage-key", "secrets.private-key",
        "secrets.gcp-service-account-key", "secrets.url-password", "secrets.django-secret-key",
        "secrets.secret-assignment", "secrets.env-file", "secrets.secret-in-config", "security.B105",
    } <= rules
    historic = {(f["path"], f["rule"]) for f in result["findings"] if f.get("extra", {}).get("history")}
    assert {
        ("scripts/deploy.py", "secrets.github-token"), ("scripts/deploy.py", "secrets.aws-access-key-id"),
        ("keys/id_ed25519", "secrets.private-key"), ("app/config.py", "secrets.secret-assignment"),
    } <= historic
    markdown = (out / "warm.markdown").read_text()
    assert "`secrets.aws-access-key-id`" in markdown and "still in git history" in markdown

    leaks = []
    for key in keys:
        for part in middles(key):
            needle = part.encode()
            if any(needle in blob for blob in written):
                leaks.append(part[:6] + "…")
    assert leaks == [], f"{len(leaks)} secret fragments leaked"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_is_covered(fmt):
    # a new output format is picked up by the test above through FORMATS
    assert fmt in FORMATS
