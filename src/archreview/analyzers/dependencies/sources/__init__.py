"""Readers of dependency declarations: one module per format, one interface
(:class:`.interface.DependencySource`). A new format is one module plus one
line in ``SOURCES``."""

from __future__ import annotations

from .dockerfile import DockerfileSource
from .interface import DependencySource, SourceContext
from .pipfile import PipfileSource
from .pipfile_lock import PipfileLockSource
from .poetry_lock import PoetryLockSource
from .pylock import PylockSource
from .pyproject import PyprojectSource
from .requirements import RequirementsSource
from .setup_cfg import SetupCfgSource
from .uv_lock import UvLockSource

SOURCES: tuple[DependencySource, ...] = (
    RequirementsSource(),
    PyprojectSource(),
    PoetryLockSource(),
    UvLockSource(),
    PipfileSource(),
    PipfileLockSource(),
    PylockSource(),
    SetupCfgSource(),
    DockerfileSource(),
)

#: files that declare dependencies in a form archreview does not read, and why
UNSUPPORTED = {
    "setup.py": "dependencies declared in Python code are not read: archreview never runs the project's code",
    "pdm.lock": "PDM lockfiles are not read yet",
    "pixi.lock": "pixi lockfiles are not read",
    "environment.yml": "conda environments are not read",
    "environment.yaml": "conda environments are not read",
    "conda-lock.yml": "conda lockfiles are not read",
}

#: dependency files of other languages: archreview checks Python dependencies
#: only, and says so for each language it saw (file name -> language)
OTHER_ECOSYSTEMS = {
    **dict.fromkeys(("package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "bun.lockb", "deno.lock"), "JavaScript"),
    **dict.fromkeys(("Gemfile", "Gemfile.lock"), "Ruby"),
    **dict.fromkeys(("go.mod", "go.sum"), "Go"),
    **dict.fromkeys(("Cargo.toml", "Cargo.lock"), "Rust"),
    **dict.fromkeys(("composer.json", "composer.lock"), "PHP"),
    **dict.fromkeys(("pom.xml", "build.gradle", "build.gradle.kts"), "Java"),
}


def source_for(path: str) -> DependencySource | None:
    for source in SOURCES:
        if source.matches(path):
            return source
    return None


def by_format(name: str) -> DependencySource:
    return next(s for s in SOURCES if s.format == name)


__all__ = ["OTHER_ECOSYSTEMS", "SOURCES", "UNSUPPORTED", "DependencySource", "SourceContext", "by_format", "source_for"]
