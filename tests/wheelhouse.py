"""A local wheel folder made from the distributions installed in this
environment, so that pip can install archreview (and build it with
hatchling) without a package index: ``PIP_NO_INDEX=1
PIP_FIND_LINKS=<folder>``.

An installed distribution is an unpacked wheel: its ``.dist-info/RECORD``
lists its files and ``WHEEL`` its tags. Each one is packed back into a
wheel with those files and a fresh RECORD. Files installed outside
site-packages (console scripts) are left out; pip writes its own scripts
from ``entry_points.txt``.
"""

from __future__ import annotations

import base64
import hashlib
import re
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.markers import UndefinedEnvironmentName
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

_DROPPED_METADATA = {"INSTALLER", "REQUESTED", "direct_url.json", "RECORD"}


def requirement_closure(requirements: list[str]) -> dict[str, metadata.Distribution]:
    """Installed distributions that ``requirements`` (PEP 508 strings) need,
    transitively (extras followed, markers evaluated for this interpreter)."""
    found: dict[str, metadata.Distribution] = {}
    pending: list[tuple[str, frozenset[str]]] = []
    for line in requirements:
        requirement = Requirement(line)
        if requirement.marker is None or _marker_true(requirement, ""):
            pending.append((requirement.name, frozenset(requirement.extras)))
    seen: set[tuple[str, frozenset[str]]] = set()
    while pending:
        name, extras = pending.pop()
        key = (canonicalize_name(name), extras)
        if key in seen:
            continue
        seen.add(key)
        dist = metadata.distribution(name)
        found[canonicalize_name(dist.metadata["Name"])] = dist
        for line in dist.requires or []:
            requirement = Requirement(line)
            if requirement.marker is not None and not any(_marker_true(requirement, extra) for extra in ("", *extras)):
                continue
            pending.append((requirement.name, frozenset(requirement.extras)))
    return found


def _marker_true(requirement: Requirement, extra: str) -> bool:
    try:
        return requirement.marker.evaluate({"extra": extra})
    except UndefinedEnvironmentName:
        return False


def pack(dist: metadata.Distribution, folder: Path) -> Path:
    """Write ``dist`` as a wheel into ``folder``."""
    info = Path(dist._path)  # the .dist-info folder
    site = info.parent
    tags = [line.split(":", 1)[1].strip() for line in (info / "WHEEL").read_text().splitlines() if line.startswith("Tag:")]
    tag = _compress_tags(tags or ["py3-none-any"])
    name = re.sub(r"[-_.]+", "_", dist.metadata["Name"])
    target = folder / f"{name}-{dist.version}-{tag}.whl"
    record = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as wheel:
        for entry in dist.files or []:
            source = (site / entry).resolve()
            try:
                arcname = source.relative_to(site.resolve()).as_posix()
            except ValueError:
                continue  # a script in bin/: pip makes its own
            if "__pycache__" in arcname or not source.is_file():
                continue
            if arcname.startswith(info.name + "/") and arcname.split("/", 1)[1] in _DROPPED_METADATA:
                continue
            data = source.read_bytes()
            wheel.writestr(arcname, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{arcname},sha256={digest},{len(data)}")
        record.append(f"{info.name}/RECORD,,")
        wheel.writestr(f"{info.name}/RECORD", "\n".join(record) + "\n")
    return target


def _compress_tags(tags: list[str]) -> str:
    """``cp311-cp311-manylinux_2_17_x86_64`` + ``...manylinux2014_x86_64``
    -> one compressed tag set, as wheel file names spell it."""
    parts = [t.split("-") for t in tags]
    return "-".join(".".join(dict.fromkeys(p[i] for p in parts)) for i in range(3))


def project_requirements(pyproject: Path) -> list[str]:
    """What installing the project from source needs: its build backend and
    its runtime dependencies, read from its pyproject.toml."""
    from archreview.config import tomllib  # tomli before Python 3.11

    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    return [*data["build-system"]["requires"], *data["project"]["dependencies"]]


def build_wheelhouse(folder: Path, requirements: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [pack(dist, folder) for dist in requirement_closure(requirements).values()]
