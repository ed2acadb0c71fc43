"""One scan, end to end: snapshot + configuration + engine + scores. The
commands (scan, check, backfill) and the benchmarks call this."""

from __future__ import annotations

import time
from pathlib import Path

from .config import Config, load_config
from .model import ScanResult
from .resultmemo import ResultMemo
from .scanoptions import ScanOptions, ScanStats
from .scoring import add_scores
from .snapshot import Snapshot, open_snapshot


def config_for(snapshot: Snapshot, config_path: str | None = None) -> Config:
    """Configuration from --config, else the work tree, else the scanned revision."""
    work_tree = None if snapshot.bare else snapshot.root

    def from_revision(name: str) -> str | None:
        ref = next((f for f in snapshot.files if f.path == name and f.status == "ok"), None)
        if ref is None:
            return None
        reader = snapshot.open_reader()
        try:
            data = reader.read(ref)
        finally:
            reader.close()
        return None if data is None else data.decode("utf-8", "replace")

    config = load_config(work_tree, from_revision, config_path)

    def read_repo_file(name: str) -> str | None:
        if work_tree is not None:
            path = Path(work_tree) / name
            try:
                path.resolve().relative_to(Path(work_tree).resolve())
            except ValueError:
                return None
            return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
        return from_revision(name)

    config.read_repo_file = read_repo_file
    return config


def run_scan(
    path: str | Path = ".",
    *,
    rev: str | None = None,
    worktree: bool = False,
    use_cache: bool = True,
    cache_dir: str | Path | None = None,
    jobs: int = 0,
    config_path: str | None = None,
    progress: bool = False,
    config: Config | None = None,
    options: ScanOptions | None = None,
    offline: bool = False,
    advisory_db: str | Path | None = None,
    snapshot: Snapshot | None = None,
) -> tuple[ScanResult, ScanStats, Config]:
    """``snapshot``: one the caller has already opened (then ``path``, ``rev``
    and ``worktree`` are not used to open another)."""
    if snapshot is None:
        snapshot = open_snapshot(path, rev=rev, worktree=worktree)
    config = config or config_for(snapshot, config_path)
    options = options or ScanOptions()
    options.jobs = jobs or options.jobs
    options.use_cache = use_cache and options.use_cache
    options.cache_dir = Path(cache_dir) if cache_dir else options.cache_dir
    options.progress = progress or options.progress
    options.offline = offline or options.offline
    options.advisory_db = str(advisory_db) if advisory_db else options.advisory_db
    memo = ResultMemo.open(snapshot, config, options)
    try:
        started = time.perf_counter()
        result = memo.load(options.now) if memo is not None else None
        if result is not None:
            stats = ScanStats(reused=True, wall=time.perf_counter() - started)
        else:
            from .engine import Engine  # the analyzers: not needed for a kept result

            engine = Engine(config, options)
            try:
                result, stats = engine.scan(snapshot)
            finally:
                engine.close()
            if memo is not None and not stats.incomplete:
                memo.store(result)
    finally:
        if memo is not None:
            memo.close()
    add_scores(result, config)  # the scores section: grades, debt, money, plan (docs/scoring.md)
    return result, stats, config
