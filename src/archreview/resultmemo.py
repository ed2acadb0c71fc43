"""A whole scan result kept per revision, so that scanning the same revision
again with the same inputs costs one cache lookup instead of a scan.

The key holds everything a result depends on besides the revision itself
(whose commit id fixes its files and its whole history):

* archreview's own code and shipped rule packs (path, size and modification
  time of every file of the package and of ``checks/``), so a changed rule or
  an upgrade never reuses an old result;
* the configuration (every setting, and the text of the repository's own
  ``rule_packs`` as the scan reads them);
* where the repository is (the name in the report), the revision as it was
  named (``--rev``), the path prefix, the ``.mailmap`` of the work tree
  (git reads it from there) and the newest tags (whether releases are
  signed is read from them);
* the dependency audit's data: ``--offline``, the advisory database's path
  and fingerprint; when the network is used, the UTC date and the ``PIP_*``
  environment (the package index answers are kept for a day as well).

Only whole results of a committed revision are kept (not the work tree, the
staged files, a plain folder or a shallow clone, whose history can grow, nor
a scan of some paths), and only when nothing in them may come out
differently next time (``ScanStats.incomplete``): no service that failed, no
time limit reached, no file the per-file cache would not keep. A result of a
revision with objects missing from the repository (an incomplete clone) is
kept with git's count of objects and used only while that count is
unchanged. A kept result is returned with the current time as
``scanned_at``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import __version__
from .cache import Cache
from .config import Config, default_cache_dir, stable_hash
from .model import ScanResult
from .resources import checks_dir
from .snapshot import STATUS_MISSING, Snapshot

NAMESPACE = "scan-result"
FORMAT = "1"  # bump when what is stored changes


def code_stamp() -> str:
    """Path, size and modification time of archreview's files and shipped rule packs."""
    digest = hashlib.sha256()
    for base in (Path(__file__).resolve().parent, Path(checks_dir()).resolve()):
        for root, dirs, files in os.walk(base):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".toml", ".json", ".yaml", ".yml", ".txt")):
                    stat = os.stat(os.path.join(root, name))
                    digest.update(f"{os.path.relpath(os.path.join(root, name), base)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def memo_key(snapshot: Snapshot, config: Config, options) -> str | None:
    """The key of this scan's result, or None when it is not kept."""
    if snapshot.kind != "revision" or not snapshot.revision or snapshot.shallow:
        return None
    if options.paths is not None or not options.repo_analyzers or options.extra or not options.use_cache or not options.reuse_result:
        return None
    work_mailmap = None if snapshot.bare else Path(snapshot.root) / ".mailmap"
    packs = config.get("rule_packs", []) or []
    read = config.read_repo_file
    network: dict[str, Any] = {}
    if not options.offline:
        network = {
            "day": datetime.now(timezone.utc).date().isoformat(),
            "pip": sorted((k, v) for k, v in os.environ.items() if k.startswith("PIP_")),
        }
    return stable_hash(
        {
            "format": FORMAT,
            "tool": __version__,
            "code": code_stamp(),
            "revision": snapshot.revision,
            "ref": snapshot.ref,
            "root": str(Path(snapshot.root).resolve()),
            "prefix": snapshot.prefix,
            "mailmap": _file_hash(work_mailmap) if work_mailmap is not None else None,
            "tags": _newest_tags(snapshot.root),
            "config": _config_document(config),
            "rule_packs": [(p, stable_hash(read(p)) if read is not None and isinstance(p, str) else None) for p in packs],
            "offline": options.offline,
            "advisory_db": _advisory_stamp(options.advisory_db),
            "now": options.now.isoformat() if options.now else None,
            "network": network,
        }
    )


def _newest_tags(root: str) -> str | None:
    """The tags the release-signing check reads (the newest 30), as one hash."""
    from .gitrepo import safe_git_env

    try:
        proc = subprocess.run(
            ["git", "-C", root, "for-each-ref", "--sort=-creatordate", "--count=30", "--format=%(objectname)", "refs/tags"],
            capture_output=True, env=safe_git_env(), timeout=30, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return hashlib.sha256(proc.stdout).hexdigest() if proc.returncode == 0 else None


def object_count(root: str) -> str | None:
    """git's count of the repository's objects (loose and packed)."""
    from .gitrepo import safe_git_env

    try:
        proc = subprocess.run(
            ["git", "-C", root, "count-objects", "-v"], capture_output=True, env=safe_git_env(), timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout.decode("utf-8", "replace") if proc.returncode == 0 else None


class ResultMemo:
    """Reading and writing kept results in the scan cache."""

    def __init__(self, cache: Cache, key: str, root: str, missing_objects: bool):
        self.cache = cache
        self.key = key
        self.root = root
        self.missing_objects = missing_objects

    @classmethod
    def open(cls, snapshot: Snapshot, config: Config, options) -> ResultMemo | None:
        key = memo_key(snapshot, config, options)
        if key is None:
            return None
        cache, _problem = Cache.open(options.cache_dir or default_cache_dir(config))
        if cache is None:
            return None
        return cls(cache, key, snapshot.root, any(f.status == STATUS_MISSING for f in snapshot.files))

    def load(self, now: datetime | None = None) -> ScanResult | None:
        stored = self.cache.get_kv(NAMESPACE, self.key)
        if not isinstance(stored, dict) or not isinstance(stored.get("result"), dict):
            return None
        if stored.get("objects") is not None and stored["objects"] != object_count(self.root):
            return None
        try:
            result = ScanResult.from_dict(stored["result"])
        except (KeyError, TypeError, ValueError):
            return None
        moment = now or datetime.now(timezone.utc)
        result.scanned_at = moment.replace(microsecond=0).isoformat()
        return result

    def store(self, result: ScanResult) -> None:
        objects = None
        if self.missing_objects:
            objects = object_count(self.root)
            if objects is None:
                return
        self.cache.put_kv(NAMESPACE, self.key, {"objects": objects, "result": result.to_dict()})

    def close(self) -> None:
        self.cache.close()


def _config_document(config: Config) -> dict[str, Any]:
    return {"selection": config.selection_key(), "file_time_budget": config.file_time_budget, "raw": config.raw}


def _file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _advisory_stamp(directory: str | None) -> str | None:
    if not directory:
        return None
    from .advisory_folder import fingerprint, listing

    path = Path(directory).expanduser().resolve()
    return f"{path}\0{fingerprint(listing(path))}" if path.is_dir() else str(path)
