"""Which files of the snapshot declare dependencies, and which of them are
not read (excluded folders, test fixtures, unsupported formats, too large)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

import pathspec

from ...model import Skipped
from ...snapshot import STATUS_MISSING, STATUS_OK
from .settings import DependencySettings
from .sources import OTHER_ECOSYSTEMS, UNSUPPORTED, DependencySource, source_for
from .sources.interface import basename

#: folders below a test folder that hold sample projects, not the project's own dependencies
FIXTURE_FOLDERS = {"fixtures", "fixture", "testdata", "test_data", "data", "samples", "cassettes", "resources"}


@dataclass
class Discovery:
    files: list[tuple[str, DependencySource]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    not_read: dict[str, int] = field(default_factory=dict)  # why -> how many
    other_languages: dict[str, list[str]] = field(default_factory=dict)  # language -> its dependency files


def discover(snapshot_files, selector, settings: DependencySettings) -> Discovery:
    found = Discovery()
    excludes = pathspec.PathSpec.from_lines("gitwildmatch", settings.exclude) if settings.exclude else None
    snapshot_files = list(snapshot_files)
    # a setup.py inside a package is one of its modules (a setup wizard's
    # form), not a packaging script
    packages = {posixpath.dirname(ref.path) for ref in snapshot_files if basename(ref.path) == "__init__.py"}
    for ref in snapshot_files:
        source = source_for(ref.path)
        unsupported = UNSUPPORTED.get(basename(ref.path))
        if unsupported is not None and basename(ref.path) == "setup.py" and posixpath.dirname(ref.path) in packages:
            unsupported = None
        if source is None and unsupported is None:
            language = OTHER_ECOSYSTEMS.get(basename(ref.path))
            if language is not None and selector.excluded_by(ref.path) is None and not _fixture(ref.path, selector):
                found.other_languages.setdefault(language, []).append(ref.path)
            continue
        label = selector.excluded_by(ref.path)
        if label is None and excludes is not None and excludes.match_file(ref.path):
            label = "exclude in [tool.archreview.dependencies]"
        if label is None and _fixture(ref.path, selector):
            label = "test fixtures"
        if label is not None:
            found.not_read[label] = found.not_read.get(label, 0) + 1
            continue
        if unsupported is not None:
            found.skipped.append(Skipped(ref.path, unsupported))
            continue
        if ref.status == STATUS_MISSING:
            found.skipped.append(Skipped(ref.path, "missing from the repository's objects: dependencies not read"))
            continue
        if ref.status != STATUS_OK:
            continue  # symbolic links and submodules are not followed
        if ref.size is not None and ref.size > settings.max_bytes:
            found.skipped.append(
                Skipped(
                    ref.path, f"{ref.size / 1_048_576:.1f} MiB: larger than max_bytes in [tool.archreview.dependencies]"
                )
            )
            continue
        found.files.append((ref.path, source))
    found.files.sort(key=lambda item: item[0])
    return found


def _fixture(path: str, selector) -> bool:
    if selector.role(path) != "test":
        return False
    return any(part.lower() in FIXTURE_FOLDERS for part in path.split("/")[:-1])
