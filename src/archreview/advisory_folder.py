"""The files of a local OSV advisory database (``--advisory-db DIR``) and
their fingerprint: what the dependencies analyzer parses, and what tells
the result memo that the folder changed - without importing the analyzer.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

FORMAT_VERSION = "2"  # bump when the compact form of the parsed advisories changes
SUFFIXES = (".yaml", ".yml", ".json")


def listing(directory: Path) -> list[tuple[str, int, int]]:
    """(relative path, size, mtime in ns) of every advisory file, sorted
    (hidden files and folders left out; symlinks to folders not followed)."""
    found: list[tuple[str, int, int]] = []
    pending = [(os.fspath(directory), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{prefix}{name}/"))
                elif name.endswith(SUFFIXES):
                    stat = entry.stat()
                    found.append((f"{prefix}{name}", stat.st_size, stat.st_mtime_ns))
            except OSError:
                continue
    found.sort()
    return found


def fingerprint(entries: list[tuple[str, int, int]]) -> str:
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    for path, size, mtime in entries:
        digest.update(f"{path}\0{size}\0{mtime}\n".encode())
    return digest.hexdigest()
