"""How much work an upgrade is, from the two version numbers.

    patch   same major.minor          30 min   "a patch-version bump"
    minor   same major                 2 h     "a minor-version upgrade"
    major   new major version          1 day per major version crossed,
                                       at most 3 days   "a major upgrade"

For 0.x releases a new minor version counts as a major one (by semantic
versioning's convention anything may change there). Calendar-versioned
packages (first number a year, e.g. certifi 2024.8.30) say nothing about
breaking changes with their numbers: a newer year counts as a minor upgrade. When no fixed release
exists the work is to replace the package or contain the flaw: 1 day.
"""

from __future__ import annotations

from dataclasses import dataclass

from .advisories.osv import parse_version

PATCH_MINUTES = 30
MINOR_MINUTES = 120
MAJOR_MINUTES = 480
MAX_MINUTES = 3 * MAJOR_MINUTES
NO_FIX_MINUTES = 480
REPLACE_MINUTES = 960  # move off an abandoned package
YANKED_MINUTES = 30
PIN_MINUTES = 10
LOCKFILE_MINUTES = 60
CALENDAR_YEAR = 1990  # a first release number this large is a year


@dataclass(frozen=True)
class Effort:
    minutes: int
    label: str  # "a patch-version bump", "a major upgrade", ...
    kind: str  # patch | minor | major | unknown


def upgrade(current: str | None, target: str | None) -> Effort:
    old = parse_version(current) if current else None
    new = parse_version(target) if target else None
    if old is None or new is None:
        return Effort(MINOR_MINUTES, "an upgrade of unknown size", "unknown")
    old_release = (old.release + (0, 0))[:2]
    new_release = (new.release + (0, 0))[:2]
    if old_release[0] >= CALENDAR_YEAR and new_release[0] >= CALENDAR_YEAR:
        if old_release == new_release:
            return Effort(PATCH_MINUTES, "a patch-version bump", "patch")
        return Effort(MINOR_MINUTES, "a minor-version upgrade", "minor")
    if old_release[0] != new_release[0] or (old_release[0] == 0 and old_release[1] != new_release[1]):
        steps = max(1, new_release[0] - old_release[0]) if old_release[0] != new_release[0] else 1
        label = "a major upgrade" if steps == 1 else f"a major upgrade across {steps} major versions"
        return Effort(min(MAX_MINUTES, steps * MAJOR_MINUTES), label, "major")
    if old_release[1] != new_release[1]:
        return Effort(MINOR_MINUTES, "a minor-version upgrade", "minor")
    return Effort(PATCH_MINUTES, "a patch-version bump", "patch")
