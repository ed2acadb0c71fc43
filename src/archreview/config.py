"""Configuration: ``.archreview.toml`` or ``[tool.archreview]`` in
``pyproject.toml``, then command-line flags.

Where the file is read from: the repository's work tree when it has one (the
settings you have now apply to every month you scan, so months compare),
otherwise the scanned revision itself.

Top-level keys are checked, so a typo is an error and not a silent default.
Each analyzer reads its own table (``[tool.archreview.<analyzer>]``); only that
table enters the analyzer's cache key.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 in CI
    import tomli as tomllib

CONFIG_FILE = ".archreview.toml"

# label -> gitignore-style patterns. The label is what the coverage section shows.
DEFAULT_EXCLUDES: dict[str, tuple[str, ...]] = {
    "vendored code": (
        "**/vendor/",
        "**/vendored/",
        "**/_vendor/",
        "**/third_party/",
        "**/thirdparty/",
        "**/node_modules/",
        "**/bower_components/",
    ),
    # numbered files (Django, South, SQL migration tools) and Alembic/Flask-Migrate
    # folders; a "migrations" package of product code (importers from other
    # apps, data migrations a user runs) is not a database migration
    "database migrations": (
        "**/migrations/[0-9]*",
        "**/migrations/env.py",
        "**/migrations/versions/",
        "**/alembic/versions/",
        "**/alembic/env.py",
        "**/migrate/versions/",
    ),
    "virtual environments": (
        "**/.venv/",
        "**/venv/",
        "**/virtualenv/",
        "**/.virtualenv/",
        "**/site-packages/",
        "**/.tox/",
        "**/.nox/",
    ),
    "build output": ("/build/", "/dist/", "**/.eggs/", "**/*.egg-info/", "**/__pycache__/"),
    "generated code": ("*_pb2.py", "*_pb2_grpc.py", "*_pb2.pyi", "*_pb2_grpc.pyi"),
    "archreview history": ("/.archreview/",),
}

DEFAULT_TESTS = (
    "**/tests/",
    "**/test/",
    "**/unittests/",
    "**/unit_tests/",
    "**/testing/",
    "**/test_*.py",
    "**/*_test.py",
    "**/*_tests.py",
    "**/conftest.py",
    # recorded responses and sample inputs of tests (Go's and many projects' convention)
    "**/testdata/",
    "**/test_data/",
    # JavaScript and TypeScript test conventions (Jest, Vitest, Mocha, Playwright, Cypress)
    "**/__tests__/",
    "**/*.spec.[jt]s",
    "**/*.spec.[jt]sx",
    "**/*.test.[jt]s",
    "**/*.test.[jt]sx",
    "**/e2e/",
    "**/cypress/",
    # browser and integration suites kept beside the unit tests
    "**/playwright/",
    "**/playwright_tests/",
    "**/integration_tests/",
    "**/functional_tests/",
    "**/e2e_tests/",
    "**/selenium_tests/",
    "**/acceptance_tests/",
)

DEFAULT_MAX_FILE_SIZE = 1_048_576
DEFAULT_FILE_TIME_BUDGET = 5.0

TOP_LEVEL_KEYS = {
    "exclude",
    "extend_exclude",
    "tests",
    "max_file_size",
    "file_time_budget",
    "jobs",
    "cache_dir",
    "rule_packs",
    "day_rate",
    "currency",
    "client",
    "reviewer",
    "fail_on",
    "layers",
    "dependencies",
}


@dataclass
class Config:
    excludes: list[tuple[str, str]] = field(default_factory=list)  # (label, pattern)
    tests: list[str] = field(default_factory=lambda: list(DEFAULT_TESTS))
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    file_time_budget: float = DEFAULT_FILE_TIME_BUDGET
    jobs: int = 0
    cache_dir: str | None = None
    source: str = "defaults"
    raw: dict[str, Any] = field(default_factory=dict)
    #: reads a file of the scanned repository (rule packs named by
    #: ``rule_packs``); set by the scan, None when there is no repository
    read_repo_file: Callable[[str], str | None] | None = field(default=None, repr=False, compare=False)

    def section(self, name: str) -> dict[str, Any]:
        value = self.raw.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"[tool.archreview.{name}] must be a table, not {type(value).__name__}")
        return value

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)

    def selection_key(self) -> str:
        """Hash of what decides which files are analysed and how."""
        return stable_hash(
            {
                "excludes": self.excludes,
                "tests": self.tests,
                "max_file_size": self.max_file_size,
            }
        )


def stable_hash(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def default_excludes() -> list[tuple[str, str]]:
    return [(label, pattern) for label, patterns in DEFAULT_EXCLUDES.items() for pattern in patterns]


def parse_config(data: dict[str, Any], source: str) -> Config:
    unknown = sorted(
        key for key in data if key not in TOP_LEVEL_KEYS and not isinstance(data[key], dict)
    )
    if unknown:
        raise ConfigError(f"{source}: unknown setting {unknown[0]!r}")
    config = Config(source=source, raw=dict(data))
    if "exclude" in data:
        config.excludes = [(p, p) for p in string_list(data, "exclude", source)]
    else:
        config.excludes = default_excludes()
    config.excludes += [(p, p) for p in string_list(data, "extend_exclude", source)]
    if "tests" in data:
        config.tests = string_list(data, "tests", source)
    config.max_file_size = number(data, "max_file_size", DEFAULT_MAX_FILE_SIZE, source, int)
    config.file_time_budget = number(data, "file_time_budget", DEFAULT_FILE_TIME_BUDGET, source, float)
    config.jobs = number(data, "jobs", 0, source, int)
    cache_dir = data.get("cache_dir")
    if cache_dir is not None and not isinstance(cache_dir, str):
        raise ConfigError(f"{source}: cache_dir must be a string")
    config.cache_dir = cache_dir
    return config


def string_list(data: dict[str, Any], key: str, source: str) -> list[str]:
    """``data[key]`` (default: empty) checked to be a list of strings."""
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{source}: {key} must be a list of strings")
    return list(value)


def number(data: dict[str, Any], key: str, default: Any, source: str, kind: type) -> Any:
    """``data[key]`` (or ``default``) checked to be a non-negative number, as ``kind``."""
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigError(f"{source}: {key} must be a non-negative number")
    return kind(value)


def parse_toml_text(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML ({exc})") from exc


def config_from_texts(archreview_toml: str | None, pyproject_toml: str | None) -> Config:
    """Build the configuration from the two files' texts (either may be None)."""
    if archreview_toml is not None:
        data = parse_toml_text(archreview_toml, CONFIG_FILE)
        # accept both a bare file and one that nests everything under [tool.archreview]
        data = data.get("tool", {}).get("archreview", data) if "tool" in data else data
        return parse_config(data, CONFIG_FILE)
    if pyproject_toml is not None:
        try:
            data = tomllib.loads(pyproject_toml)
        except tomllib.TOMLDecodeError:
            # a broken pyproject.toml is the project's problem, not a reason to stop
            return parse_config({}, "defaults (pyproject.toml is not valid TOML)")
        section = data.get("tool", {}).get("archreview")
        if isinstance(section, dict):
            return parse_config(section, "pyproject.toml [tool.archreview]")
    return parse_config({}, "defaults")


def load_config(root: str | os.PathLike[str] | None, read_from_revision=None, explicit: str | None = None) -> Config:
    """Load configuration.

    ``explicit``: a path given with ``--config``. ``root``: a work tree to read
    the files from. ``read_from_revision(path) -> str | None``: fallback that
    reads the file from the scanned revision.
    """
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{explicit}: no such configuration file")
        text = path.read_text(encoding="utf-8")
        if path.name == "pyproject.toml":
            return apply_environment(config_from_texts(None, text))
        return apply_environment(config_from_texts(text, None))
    texts: dict[str, str | None] = {CONFIG_FILE: None, "pyproject.toml": None}
    for name in texts:
        if root is not None and (Path(root) / name).is_file():
            texts[name] = (Path(root) / name).read_text(encoding="utf-8", errors="replace")
        elif read_from_revision is not None:
            texts[name] = read_from_revision(name)
    return apply_environment(config_from_texts(texts[CONFIG_FILE], texts["pyproject.toml"]))


#: settings an environment variable overrides (the GitHub Action's inputs
#: reach archreview this way): variable -> (top-level key, type)
ENVIRONMENT_SETTINGS = {"ARCHREVIEW_DAY_RATE": ("day_rate", float)}


def apply_environment(config: Config) -> Config:
    for variable, (key, kind) in ENVIRONMENT_SETTINGS.items():
        value = os.environ.get(variable, "").strip()
        if not value:
            continue
        try:
            number = kind(value)
        except ValueError:
            raise ConfigError(f"{variable} must be a number (got {value!r})") from None
        if number < 0:
            raise ConfigError(f"{variable} must not be negative")
        config.raw[key] = number
    return config


def default_cache_dir(config: Config | None = None) -> Path:
    env = os.environ.get("ARCHREVIEW_CACHE_DIR")
    if env:
        return Path(env)
    if config is not None and config.cache_dir:
        return Path(os.path.expanduser(config.cache_dir))
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "archreview"
