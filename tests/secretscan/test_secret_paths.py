"""Paths decide the kind of file (and what is never read), cheaply."""

from __future__ import annotations

import pytest

from archreview.secretscan.pack import load_pack
from archreview.secretscan.paths import is_skipped, path_kind

RULES = load_pack().paths


@pytest.mark.parametrize(
    "path,kind",
    [
        (".env", "env"),
        ("deploy/.env.production", "env"),
        ("config/prod.env", "env"),
        (".env.example", "env-example"),
        ("sample.env", "env-example"),
        (".env.dist", "env-example"),
        ("docker/.env.template", "env-example"),
        ("README.md", "docs"),
        ("docs/conf.py", "docs"),
        ("doc/setup.txt", "docs"),
        ("docker-compose.yml", "config"),
        ("deploy/values.yaml", "config"),
        ("setup.cfg", "config"),
        ("Dockerfile", "config"),
        ("docker/Dockerfile.prod", "config"),
        ("sources/dockerfile.py", "code"),  # a module that reads Dockerfiles
        ("scripts/deploy.sh", "config"),
        (".npmrc", "config"),
        ("app/settings.py", "code"),
        ("config/settings.json", "code"),
        ("web/src/api.ts", "code"),
        # translation catalogues are prose, read like documentation
        ("frontend/lang/messages/da-DK.json", "docs"),
        ("frontend/src/locales/sv.json", "docs"),
        ("app/i18n/de.yml", "docs"),
        ("mealie/lang/providers.py", "code"),  # code in a translation folder is still code
        ("config/lang.json", "code"),
    ],
)
def test_path_kind(path, kind):
    assert path_kind(path, RULES) == kind


@pytest.mark.parametrize(
    "path",
    ["logo.PNG", "static/app.min.js", "static/app.js.map", "poetry.lock", "package-lock.json", "yarn.lock",
     "locale/de/LC_MESSAGES/django.po", "locale/de/LC_MESSAGES/django.mo", "fonts/a.woff2", "dist/pkg.whl",
     "infra/.terraform.lock.hcl", "__snapshots__/App.test.tsx.snap", "icons/x.svg", "go.sum"],
)
def test_binaries_lockfiles_and_minified_assets_are_skipped(path):
    assert is_skipped(path, RULES)


@pytest.mark.parametrize("path", ["app/settings.py", ".env", "static/app.js", "deploy/values.yaml", "README.md", "data/users.csv"])
def test_text_files_are_read(path):
    assert not is_skipped(path, RULES)
