"""Secrets committed to the repository: cloud keys, provider tokens, private
keys, passwords in URLs and settings, committed ``.env`` files.

The rules are data (``checks/secrets.toml``, see ``docs/secrets.md``); the
detection lives in :mod:`archreview.secretscan`. Findings show the rule, the
place, the variable name and a redacted preview - never the secret, and the
fingerprint ``basis`` holds neither the secret nor a hash of it.

Test files (role ``test``) follow ``test_files``: ``lower`` (the default)
reports provider-format secrets one severity lower and skips the generic
rules (passwords in settings, URLs, ``.env``), whose matches in tests are
nearly always fixtures; ``skip`` ignores test files; ``report`` treats them
like product code. CI configuration (workflows, pipeline files, compose files
named for CI or tests; role ``ci`` here) gets provider-format secrets at full
severity (a token there works anywhere) and generic ones a step lower, except
under ``report``; the credentials of the job's own service containers
(``POSTGRES_PASSWORD``, ``DATABASE_URL`` to localhost or a service name) are
throwaway and not reported.

Configuration, ``[tool.archreview.secrets]``::

    disable = ["google-api-key"]      # rule ids
    allow = ["^acme-dev-"]            # regexes: matching values are ignored
    allow_paths = ["fixtures/**"]     # paths never scanned (gitignore patterns)
    test_files = "lower"              # lower | skip | report
    history = true                    # see analyzers/secrets_history.py
    history_seconds = 20
    history_max_file_size = 262144
"""

from __future__ import annotations

import re
import time
from typing import Any

from ..errors import ConfigError
from ..secretscan.detect import TEST_POLICIES, Detector, Hit
from ..secretscan.pack import Pack, load_pack
from ..secretscan.paths import is_skipped, path_kind
from .base import FileAnalyzer, SourceFile, finding_dict

SECTION = "secrets"
#: CI configuration: a job's own files, not the product's
CI_PATH = re.compile(
    r"(?:^|/)(?:\.github/workflows|\.circleci|\.ci|\.buildkite|\.woodpecker)/"
    r"|(?:^|/)(?:\.gitlab-ci\.ya?ml|azure-pipelines\.ya?ml|\.travis\.ya?ml|bitbucket-pipelines\.ya?ml|\.drone\.ya?ml"
    r"|Jenkinsfile|(?:docker-)?compose[._-](?:ci|test|tests|testing|e2e)\.ya?ml)$"
)


def scan_role(path: str, role: str) -> str:
    """``ci`` for a product file that is CI configuration, else ``role``."""
    return "ci" if role == "source" and CI_PATH.search(path) else role

DETECTION_KEYS = {"disable", "allow", "allow_paths", "test_files"}
HISTORY_KEYS = {"history", "history_seconds", "history_max_file_size"}


def detection_settings(config) -> dict[str, Any]:
    """The part of ``[tool.archreview.secrets]`` that changes what a file yields."""
    section = config.section(SECTION)
    unknown = sorted(set(section) - DETECTION_KEYS - HISTORY_KEYS)
    if unknown:
        raise ConfigError(f"[tool.archreview.secrets]: unknown setting {unknown[0]!r}")
    disable = sorted(_strings(section, "disable"))
    allow = _strings(section, "allow")
    allow_paths = _strings(section, "allow_paths")
    test_files = section.get("test_files", "lower")
    if test_files not in TEST_POLICIES:
        raise ConfigError(f"[tool.archreview.secrets] test_files must be one of {', '.join(TEST_POLICIES)}")
    pack = load_pack(disable=disable, allow=allow)  # fails early on a bad rule id or regex
    return {
        "pack": pack.digest,
        "disable": disable,
        "allow": allow,
        "allow_paths": allow_paths,
        "test_files": test_files,
    }


def _strings(section: dict[str, Any], key: str) -> list[str]:
    value = section.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"[tool.archreview.secrets] {key} must be a list of strings")
    return list(value)


class SecretsAnalyzer(FileAnalyzer):
    name = "secrets"
    version = "9"  # 2: punctuation-only values are placeholders; 3: calls are code, JS test files are tests; 4: commented-out lines; 5: CI configuration; 6: SECRET_KEY not only Django; 7: example files one step lower; 8: no key-like label, app secrets in CI, defaults of variables; 9: trailing comments, .py is code
    python_only = False

    def __init__(self) -> None:
        self._pack: Pack | None = None
        self._detector: Detector | None = None
        self._allow_paths = None
        self._key: tuple | None = None

    def settings(self, config) -> dict[str, Any]:
        return detection_settings(config)

    def setup(self, settings: dict[str, Any]) -> None:
        key = (settings["pack"], tuple(settings["disable"]), tuple(settings["allow"]), tuple(settings["allow_paths"]), settings["test_files"])
        if key == self._key:
            return
        import pathspec

        self._pack = load_pack(disable=settings["disable"], allow=settings["allow"])
        self._detector = Detector(self._pack, settings["test_files"])
        self._allow_paths = pathspec.GitIgnoreSpec.from_lines(settings["allow_paths"]) if settings["allow_paths"] else None
        self._key = key

    @property
    def detector(self) -> Detector:
        assert self._detector is not None, "setup() first"
        return self._detector

    def kind(self, path: str) -> str:
        assert self._pack is not None, "setup() first"
        return path_kind(path, self._pack.paths)

    def wants(self, path: str, role: str, settings: dict[str, Any]) -> bool:
        self.setup(settings)
        if role == "test" and settings["test_files"] == "skip":
            return False
        if is_skipped(path, self._pack.paths):
            return False
        return self._allow_paths is None or not self._allow_paths.match_file(path)

    def cache_variant(self, path: str, role: str, settings: dict[str, Any]) -> str:
        """The output depends on the kind of file and its role, not only on its bytes."""
        self.setup(settings)
        return f"{self.kind(path)}/{scan_role(path, role)}"

    def analyze(self, file: SourceFile, settings: dict[str, Any]) -> dict[str, Any]:
        self.setup(settings)
        started = time.process_time()
        try:
            role = scan_role(file.path, file.role)
            hits = self.detector.scan(file.data, self.kind(file.path), role)
        except Exception as exc:  # noqa: BLE001 - the message could quote file contents
            raise RuntimeError(f"secret scan stopped ({type(exc).__name__})") from None
        finally:
            file.add_time("secrets", time.process_time() - started)
        findings = [finding_for(hit, role) for hit in hits]
        return {"findings": findings, "metrics": {"secrets": len(findings)}}


def describe(hit: Hit) -> str:
    """What was found, without the secret: rule, detail, preview and name."""
    rule = hit.rule
    if rule.aggregate:
        names = ", ".join(hit.names)
        values = "value" if hit.count == 1 else "values"
        return f"{rule.description} with {hit.count} secret-looking {values}" + (f": {names}" if names else "")
    what = rule.description + (f" ({hit.detail})" if hit.detail else "")
    return f"{what} {hit.preview}" + (f" assigned to {hit.name}" if hit.name else "")


def finding_for(hit: Hit, role: str) -> dict[str, Any]:
    rule = hit.rule
    message = describe(hit)
    if role == "test":
        message += " (in a test file)"
    elif role == "ci" and rule.strength == "generic":
        message += " (in CI configuration)"
    if hit.example:
        message += " (in an example file)"
    if hit.commented:
        message += " (in a commented-out line)"
    basis = rule.id if rule.aggregate else "|".join((rule.id, hit.preview, hit.name or hit.detail))
    extra: dict[str, Any] = {"secret_rule": rule.id}
    if hit.preview:
        extra["preview"] = hit.preview
    if hit.name:
        extra["name"] = hit.name
    if hit.names:
        extra["names"] = list(hit.names)
    return finding_dict(
        rule=f"secrets.{rule.id}",
        area="secrets",
        severity=hit.severity or rule.severity,
        line=hit.line,
        message=message,
        plain=rule.plain,
        effort_minutes=rule.effort_minutes,
        basis=basis,
        extra=extra,
    )
