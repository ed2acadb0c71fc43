"""What a scan is asked to do (``ScanOptions``) and what it cost
(``ScanStats``): plain data, importable without the engine and its
analyzers, so that a rescan answered from a kept result stays cheap."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any


@dataclass
class ScanOptions:
    jobs: int = 0  # 0: one per CPU
    use_cache: bool = True
    cache_dir: Path | None = None
    progress: bool = False
    offline: bool = False
    advisory_db: str | None = None
    now: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: False: file analyzers only - no repository-wide analyzers, nor the file
    #: analyzers that only gather facts for them (``check``: they are slow
    #: and look at the whole repository, not at a change)
    repo_analyzers: bool = True
    #: analyse only these paths of the snapshot (None: every file); the other
    #: files still name modules (packages are folders with ``__init__.py``)
    paths: frozenset[str] | None = None
    #: reuse the kept result of an earlier scan of the same revision with the
    #: same inputs (see resultmemo); False: scan, with the per-file cache only
    reuse_result: bool = True


@dataclass
class ScanStats:
    """Where the time went; printed by ``scan --profile`` and the benchmarks."""

    wall: float = 0.0
    files_considered: int = 0
    files_analyzed: int = 0
    cache_hits: int = 0
    stage_cpu: dict[str, float] = field(default_factory=dict)
    slow_files: list[tuple[str, float, int]] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)
    workers: int = 0
    #: files and repository analyzers whose output may differ on a rescan, and why
    incomplete: list[str] = field(default_factory=list)
    #: the result was a kept one (see resultmemo)
    reused: bool = False
