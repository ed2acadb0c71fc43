"""From the JSON API's answer for one project to what the report needs:
latest release, how far a pin is behind, the last release date, whether the
pinned release was yanked, and the newest release a range allows.

``latest`` is the highest final (non pre-release) release with at least one
file not yanked. ``behind``: ``releases`` counts final, not yanked releases
above the pin up to ``latest``; ``days`` is the time between the pin's first
upload and the latest's; ``majors`` the difference of the first release
numbers. ``last_release`` is the newest upload of any release (pre-releases
and yanked ones too: they show the project is alive).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from ..advisories.osv import parse_version
from ..model import Staleness


def summarise(data: dict[str, Any]) -> dict[str, Any]:
    """The parts of ``/pypi/<name>/json`` that are kept (in the cache too):
    ``{"releases": [[version, first upload or None, yanked]], "info_version"}``."""
    releases = []
    raw = data.get("releases")
    for version, files in raw.items() if isinstance(raw, dict) else []:
        files = [f for f in files or [] if isinstance(f, dict)]
        times = sorted(str(f.get("upload_time_iso_8601") or f.get("upload_time") or "") for f in files)
        times = [t for t in times if t]
        yanked = bool(files) and all(f.get("yanked") for f in files)
        releases.append([str(version), times[0] if times else None, yanked])
    info = data.get("info") if isinstance(data.get("info"), dict) else {}
    return {"releases": releases, "info_version": str(info.get("version") or "")}


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def specifier_sets(allowed: tuple[str, ...]) -> list[SpecifierSet] | None:
    """The ranges of ``allowed`` parsed once: ``None`` when there are none
    (everything is allowed); a range that does not parse allows nothing."""
    if not allowed:
        return None
    sets = []
    for text in allowed:
        try:
            sets.append(SpecifierSet(text))
        except InvalidSpecifier:
            continue
    return sets


def allows(sets: list[SpecifierSet] | None, version: Version) -> bool:
    """Whether any range from :func:`specifier_sets` allows ``version``."""
    if sets is None:
        return True
    return any(s.contains(version, prereleases=False) for s in sets)


def staleness(summary: dict[str, Any], version: str | None, allowed: tuple[str, ...] = ()) -> Staleness:
    releases = []
    for text, uploaded, yanked in summary.get("releases", []):
        parsed = parse_version(text)
        if parsed is not None:
            releases.append((parsed, text, _when(uploaded), yanked))
    usable = [r for r in releases if not r[3] and r[2] is not None]
    finals = [r for r in usable if not r[0].is_prerelease]
    newest = max(finals or usable, key=lambda r: r[0], default=None)
    out = Staleness()
    if newest is not None:
        out.latest = newest[1]
    elif summary.get("info_version"):
        out.latest = summary["info_version"]
    uploads = [r[2] for r in releases if r[2] is not None]
    if uploads:
        out.last_release = max(uploads).date().isoformat()
    sets = specifier_sets(allowed)
    allowed_finals = [r for r in finals if allows(sets, r[0])]
    if allowed_finals:
        out.newest_allowed = max(allowed_finals, key=lambda r: r[0])[1]
    pinned = parse_version(version) if version else None
    if pinned is None:
        return out
    mine = [r for r in releases if r[0] == pinned]
    if mine:
        out.yanked = bool(mine[0][3])
        out.release = mine[0][1]
    if newest is None:
        return out
    latest_version, _, latest_time, _ = newest
    if pinned >= latest_version:
        out.behind = {"releases": 0, "days": 0, "majors": 0}
        return out
    days = 0
    if mine and mine[0][2] is not None and latest_time is not None:
        days = max(0, (latest_time - mine[0][2]).days)
    out.behind = {
        "releases": sum(1 for r in finals if pinned < r[0] <= latest_version),
        "days": days,
        "majors": max(0, latest_version.major - pinned.major),
    }
    return out
