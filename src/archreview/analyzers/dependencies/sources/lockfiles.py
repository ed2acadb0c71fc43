"""What the TOML lockfiles share: one pinned entry per ``[[package]]``."""

from __future__ import annotations

from packaging.utils import canonicalize_name

from ..model import KIND_LOCK, Declared


def locked_entry(name: str, version: str, path: str, line: int, **kwargs) -> Declared:
    return Declared(
        name=canonicalize_name(name),
        spec=f"=={version}",
        source_file=path,
        line=line,
        version=version,
        kind=KIND_LOCK,
        allowed=(f"=={version}",),
        **kwargs,
    )


def direct_entry(name: str, location: str, path: str, line: int, version: str | None = None) -> Declared:
    return Declared(
        name=canonicalize_name(name),
        spec=location,
        source_file=path,
        line=line,
        version=version,
        kind=KIND_LOCK,
        direct=True,
    )
