"""The engine: from a snapshot to a ScanResult.

1. select files (excludes, roles, size limit, symlinks, submodules, missing blobs);
2. look every (analyzer, blob) up in the cache;
3. analyse what is missing - in a process pool, or in this process when the
   job is small - each file read, decoded and parsed once;
4. store new results in the cache;
5. run the repository-level analyzers on the snapshot and the per-file results
   (their history-reading ``prepare`` steps start with step 3, in threads);
6. assemble findings (with fingerprints), file metrics and coverage.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import __version__
from .analyzers import file_analyzer_classes, repo_analyzer_classes
from .analyzers.base import FILES_DONE, SHARED, STOP, FilesDone, Once, PrepareContext, RepoContext, cache_config_key
from .cache import Cache
from .config import Config, default_cache_dir, stable_hash
from .errors import ArchreviewError
from .fingerprints import assign_fingerprints
from .languages import other_language
from .model import SEVERITY_RANK, Coverage, FileMetrics, Finding, FunctionMetric, ScanResult, Skipped
from .preparing import Preparing
from .progress import Progress
from .pythonversion import explain_skips
from .scanoptions import ScanOptions, ScanStats
from .selection import Selector, is_python_path
from .snapshot import STATUS_MISSING, STATUS_OK, STATUS_SUBMODULE, STATUS_SYMLINK, FileRef, Snapshot
from .worker import FileProcessor, Task, TaskResult

#: ScanOptions.extra key of a dict in which scans of several revisions with
#: one configuration (backfill) keep their answers about paths: excluded or
#: not, role, which analyzers want the file, their cache variants - the same
#: paths come back every month, and matching them costs more than a lookup
PATH_ANSWERS = "path_answers"
#: ScanOptions.extra key for a dict in which a caller scanning several
#: revisions in a row (backfill) keeps the per-file outputs already decoded or
#: read from the cache, keyed like it: (analyzer, version, configuration key,
#: blob); each is decoded once and shared, read only, by the scans.
OUTPUT_MEMO = "output_memo"
IN_PROCESS_MAX_FILES = 8
IN_PROCESS_MAX_BYTES = 256 * 1024
TOP_FUNCTIONS = 50


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def module_names(paths: set[str], only: set[str] | None = None) -> dict[str, str]:
    """Dotted module name of each Python path (of ``only`` when given), the
    way bandit derives it: parent folders count while they hold an
    ``__init__.py`` among ``paths``."""
    packages = {p.rsplit("/", 1)[0] for p in paths if p.endswith("/__init__.py")}
    names = {}
    for path in paths if only is None else only:
        if not is_python_path(path):
            continue
        parts = path.split("/")
        name = [parts[-1].rsplit(".", 1)[0]]
        for depth in range(len(parts) - 1, 0, -1):
            folder = "/".join(parts[:depth])
            if folder not in packages:
                break
            name.insert(0, parts[depth - 1])
        names[path] = ".".join(name)
    return names


class Engine:
    def __init__(self, config: Config, options: ScanOptions | None = None):
        self.config = config
        self.options = options or ScanOptions()
        self.selector = Selector.from_config(config)
        self.file_analyzers = [cls() for cls in file_analyzer_classes(findings_only=not self.options.repo_analyzers)]
        self.settings = {a.name: a.settings(config) for a in self.file_analyzers}
        self.config_hashes = {name: stable_hash(s) for name, s in self.settings.items()}
        answers = self.options.extra.get(PATH_ANSWERS)
        # answers from another configuration are never looked at: keyed by it
        self._answers: dict = answers.setdefault(stable_hash([config.selection_key(), self.config_hashes]), {}) if isinstance(answers, dict) else {}
        memo = self.options.extra.get(OUTPUT_MEMO)
        self._memo: dict | None = memo if isinstance(memo, dict) else None
        self.cache: Cache | None = None
        self._cache_keys: dict[tuple[str, str], str] = {}
        self.notes: list[str] = []
        if self.options.use_cache:
            directory = self.options.cache_dir or default_cache_dir(config)
            self.cache, problem = Cache.open(directory)
            if problem:
                self.notes.append(problem)

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()
            self.cache = None

    # ------------------------------------------------------------------
    def scan(self, snapshot: Snapshot) -> tuple[ScanResult, ScanStats]:
        started = time.perf_counter()
        stats = ScanStats()
        coverage = Coverage(files_total=len(snapshot.files), notes=list(snapshot.notes) + list(self.notes))
        python_paths = {f.path for f in snapshot.files if is_python_path(f.path)}

        candidates = self._select(snapshot, coverage)
        stats.phases["select"] = time.perf_counter() - started

        # blob ids for files read from disk (worktree changes, plain folders)
        needs_id = [ref for ref, _, _ in candidates if ref.blob is None]
        if needs_id:
            hashed = {r.path: r for r in snapshot.with_blob_ids(needs_id)}
            candidates = [(hashed.get(ref.path, ref), role, wanted) for ref, role, wanted in candidates]
            for ref, _, _ in list(candidates):
                if ref.status == STATUS_MISSING:
                    coverage.skipped.append(Skipped(ref.path, "could not be read from disk"))
            candidates = [c for c in candidates if c[0].status == STATUS_OK]
        stats.files_considered = len(candidates)

        # cache lookups, grouped by key variant (see FileAnalyzer.cache_variant)
        phase = time.perf_counter()
        outputs: dict[str, dict[str, dict[str, Any]]] = {c[0].path: {} for c in candidates}
        self._cache_keys = {}
        for analyzer in self.file_analyzers:
            groups: dict[str, list[FileRef]] = {}
            for ref, role, wanted in candidates:
                if analyzer.name in wanted:
                    groups.setdefault(self._cache_key(analyzer, ref.path, role), []).append(ref)
            if self.cache is None:
                continue
            for key, refs in groups.items():
                hits = self._cached(analyzer.name, analyzer.version, key, [r.blob for r in refs])
                for ref in refs:
                    if ref.blob in hits:
                        outputs[ref.path][analyzer.name] = hits[ref.blob]
                        stats.cache_hits += 1
        stats.phases["cache lookup"] = time.perf_counter() - phase

        tasks = []
        modules = module_names(python_paths, {ref.path for ref, _, _ in candidates})
        for ref, role, wanted in candidates:
            missing = tuple(name for name in wanted if name not in outputs[ref.path])
            if missing:
                python = is_python_path(ref.path)
                tasks.append(Task(ref, role, modules.get(ref.path, ""), missing, python))
        stats.files_analyzed = len(tasks)

        repo_analyzers = [cls() for cls in repo_analyzer_classes()] if self.options.repo_analyzers else []
        preparing, files_done = self._read_history_ahead(snapshot, repo_analyzers, tasks)
        try:
            phase = time.perf_counter()
            file_skips: dict[str, str] = {}
            file_excludes: dict[str, str] = {}
            progress = Progress(len(tasks), self.options.progress)
            try:
                for result in self._analyse(tasks, snapshot, stats, behind=preparing.reads_history):
                    progress.advance()
                    self._absorb(result, outputs, file_skips, file_excludes, stats)
            finally:
                files_done.mark()
                progress.close()
                if self.cache is not None:
                    self.cache.flush()
            stats.phases["analyse"] = time.perf_counter() - phase

            result = self._assemble(snapshot, candidates, outputs, file_skips, file_excludes, coverage)
            explain_skips(coverage, lambda path: _read_snapshot_text(snapshot, path))
            if self.options.repo_analyzers:
                phase = time.perf_counter()
                self._run_repo_analyzers(snapshot, result, outputs, stats, repo_analyzers, preparing)
                stats.phases["repository analyzers"] = time.perf_counter() - phase
        except BaseException:
            preparing.stop()  # an abandoned scan leaves nothing running
            raise
        assign_fingerprints(result.findings)
        result.findings.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.area, f.path, f.line, f.rule))
        coverage.skipped.sort(key=lambda s: s.path)
        stats.wall = time.perf_counter() - started
        return result, stats

    def _cache_key(self, analyzer, path: str, role: str) -> str:
        """The cache's configuration key for ``analyzer`` on the file at
        ``path``, remembered for storing its result (``_record``)."""
        known = ("variant", analyzer.name, path, role)
        variant = self._answers.get(known)
        if variant is None:
            variant = self._answers[known] = analyzer.cache_variant(path, role, self.settings[analyzer.name])
        key = cache_config_key(self.config_hashes[analyzer.name], variant)
        self._cache_keys[(analyzer.name, path)] = key
        return key

    # ------------------------------------------------------------------
    def _select(self, snapshot: Snapshot, coverage: Coverage) -> list[tuple[FileRef, str, tuple[str, ...]]]:
        """The files to analyse, each with its role and the analyzers that want
        it; what is left out is counted in ``coverage``."""
        candidates: list[tuple[FileRef, str, tuple[str, ...]]] = []
        only = self.options.paths
        for ref in snapshot.files:
            if only is not None and ref.path not in only:
                continue
            decided = self._answers.get(("select", ref.path))
            if decided is None:
                decided = self._answers[("select", ref.path)] = (self.selector.excluded_by(ref.path), self.selector.role(ref.path))
            label, role = decided
            if label is not None:
                coverage.excluded += 1
                coverage.excluded_by[label] = coverage.excluded_by.get(label, 0) + 1
                continue
            python = is_python_path(ref.path)
            if python:
                coverage.python_files += 1
            else:
                language = self._answers.get(("language", ref.path), False)
                if language is False:
                    language = self._answers[("language", ref.path)] = other_language(ref.path, role)
                if language is not None:
                    coverage.other_code[language] = coverage.other_code.get(language, 0) + 1
            if ref.status == STATUS_SUBMODULE:
                coverage.skipped.append(Skipped(ref.path, "git submodule: not scanned (scan it as its own repository)"))
                continue
            wanted = self._answers.get(("wanted", ref.path))
            if wanted is None:
                wanted = self._answers[("wanted", ref.path)] = tuple(
                    a.name
                    for a in self.file_analyzers
                    if (python or not a.python_only) and a.wants(ref.path, role, self.settings[a.name])
                )
            if not wanted:
                continue
            if ref.status == STATUS_SYMLINK:
                if python:
                    coverage.skipped.append(Skipped(ref.path, "symbolic link: not followed"))
                continue
            if ref.status == STATUS_MISSING:
                coverage.skipped.append(
                    Skipped(ref.path, "missing from the repository's objects (incomplete clone or damaged repository)")
                )
                continue
            if ref.size is not None and ref.size > self.config.max_file_size:
                if python:
                    coverage.skipped.append(
                        Skipped(
                            ref.path,
                            f"{ref.size / 1_048_576:.1f} MiB: larger than the "
                            f"{self.config.max_file_size / 1_048_576:g} MiB limit (max_file_size)",
                        )
                    )
                continue
            candidates.append((ref, role, wanted))
        return candidates

    def prefetch(self, snapshots: list[Snapshot], history_of: Snapshot | None = None) -> ScanStats:
        """Analyse, in one pool, every file that any of ``snapshots`` needs and
        the cache lacks, and store the results, so that scanning the snapshots
        afterwards costs only cache lookups. For scanning many revisions of one
        repository in a row (backfill): one pool start, and a blob shared by
        several revisions is analysed once.

        ``history_of``: a snapshot whose history the repository analyzers read
        meanwhile (``prepare``, with this engine's ``extra`` options: the
        backfill's memos, which the scans of the older revisions then reuse);
        what they return is dropped - a step that fails is done again, and
        reported, by the scan of that snapshot."""
        stats = ScanStats()
        if self.cache is None or not snapshots:
            return stats
        started = time.perf_counter()
        # one unit per blob and cache key: what the cache would store once
        units: dict[tuple[str, tuple[str, ...]], tuple[FileRef, str, tuple[str, ...], str]] = {}
        self._cache_keys = {}
        for snapshot in snapshots:
            modules = module_names({f.path for f in snapshot.files if is_python_path(f.path)})
            for ref, role, wanted in self._select(snapshot, Coverage()):
                if ref.blob is None:
                    continue
                keys = [self._cache_key(a, ref.path, role) for a in self.file_analyzers if a.name in wanted]
                units.setdefault((ref.blob, tuple(keys)), (ref, role, wanted, modules.get(ref.path, "")))
        stats.files_considered = len(units)
        wanted_blobs: dict[tuple[str, str], set[str]] = {}  # (analyzer, key) -> blobs
        for ref, _role, wanted, _module in units.values():
            for name in wanted:
                wanted_blobs.setdefault((name, self._cache_keys[(name, ref.path)]), set()).add(ref.blob)
        versions = {a.name: a.version for a in self.file_analyzers}
        hits: set[tuple[str, str, str]] = set()
        for (name, key), blobs in wanted_blobs.items():
            found = self._cached(name, versions[name], key, sorted(blobs))
            hits.update((name, key, blob) for blob in found)
        stats.cache_hits = len(hits)
        tasks = []
        for ref, role, wanted, module in units.values():
            missing = tuple(n for n in wanted if (n, self._cache_keys[(n, ref.path)], ref.blob) not in hits)
            if missing:
                tasks.append(Task(ref, role, module, missing, is_python_path(ref.path)))
        stats.files_analyzed = len(tasks)
        stats.phases["select"] = time.perf_counter() - started
        phase = time.perf_counter()
        preparing = None
        if history_of is not None:
            readers = [cls() for cls in repo_analyzer_classes() if cls.reads_history]
            preparing, files_done = self._read_history_ahead(history_of, readers, tasks)
        progress = Progress(len(tasks), self.options.progress)
        try:
            for result in self._analyse(tasks, snapshots[0], stats, behind=preparing is not None and preparing.reads_history):
                progress.advance()
                self._record(result, stats)
        except BaseException:
            if preparing is not None:
                preparing.stop()  # an abandoned backfill leaves nothing running
            raise
        finally:
            progress.close()
            self.cache.flush()
            if preparing is not None:
                files_done.mark()
                preparing.wait()
        stats.phases["analyse"] = time.perf_counter() - phase
        stats.wall = time.perf_counter() - started
        return stats

    def _read_history_ahead(self, snapshot: Snapshot, analyzers, tasks: list[Task]) -> tuple[Preparing, FilesDone]:
        """Start the ``prepare`` steps of ``analyzers`` for ``snapshot``, to
        run while ``tasks`` are analysed. Beside a pool of workers that keeps
        every CPU busy they get one process and one git command at a time
        (more would only add memory), and their time limit counts from when
        the returned FilesDone is marked."""
        files_done = FilesDone()
        stopping = threading.Event()
        options = {**self._repo_options(), STOP: stopping}
        if self._pooled(tasks):
            options.update({"jobs": 1, FILES_DONE: files_done})
        preparing = Preparing(
            analyzers,
            lambda cache: PrepareContext(snapshot, self.config, options, cache, self.selector),
            self.cache.directory if self.cache is not None else None,
            stopping,
        )
        return preparing, files_done

    def _jobs(self) -> int:
        """How many processes (or git commands) may run side by side: ``--jobs``,
        then the ``jobs`` setting, then one per CPU."""
        return self.options.jobs or self.config.jobs or available_cpus()

    def _pooled(self, tasks: list[Task]) -> bool:
        """Whether ``tasks`` are analysed by a pool of worker processes (else
        in this process: few or small files, or one job)."""
        total_bytes = sum(t.ref.size or 0 for t in tasks)
        small = len(tasks) <= IN_PROCESS_MAX_FILES or total_bytes <= IN_PROCESS_MAX_BYTES
        return self._jobs() > 1 and not small

    def _analyse(self, tasks: list[Task], snapshot: Snapshot, stats: ScanStats, behind: bool = False):
        """The analysed files, in any order. ``behind``: history is read
        alongside, and the workers give it precedence (``pool._lower_priority``)."""
        if not tasks:
            return
        settings = {name: self.settings[name] for name in {n for t in tasks for n in t.analyzers}}
        budget = self.config.file_time_budget
        jobs = self._jobs()
        if not self._pooled(tasks):
            stats.workers = 0
            processor = FileProcessor(snapshot.reader_spec, settings, budget)
            try:
                for task in sorted(tasks, key=lambda t: t.ref.path):
                    yield processor.process(task)
            finally:
                processor.close()
            return
        from .pool import WorkerPool, make_chunks  # multiprocessing only when a pool is needed

        chunks = make_chunks(tasks)
        jobs = min(jobs, len(chunks))
        stats.workers = jobs
        pool = WorkerPool(jobs, snapshot.reader_spec, settings, budget, hard_timeout=budget * 4 + 30, behind=behind)
        try:
            yield from pool.run(chunks)
        except RuntimeError as exc:
            raise ArchreviewError(str(exc)) from exc

    def _absorb(self, result: TaskResult, outputs, file_skips, file_excludes, stats: ScanStats) -> None:
        """Take in one analysed file: its outputs, skip and exclusion, then
        the statistics and the cache (``_record``)."""
        if result.skip:
            file_skips[result.path] = result.skip
        if result.exclude:
            file_excludes[result.path] = result.exclude
        per_file = outputs.setdefault(result.path, {})
        for name, output in result.outputs.items():
            per_file[name] = output
        if result.exclude:
            for name in self.settings:
                per_file.setdefault(name, {"exclude": result.exclude})
        if not result.cacheable:
            stats.incomplete.append(f"{result.path}: {result.skip or 'analysis failed'}")
        self._record(result, stats)

    def _record(self, result: TaskResult, stats: ScanStats) -> None:
        """Count one analysed file's time in ``stats`` and store its outputs
        in the cache."""
        for stage, seconds in result.timings.items():
            if stage != "wall":
                stats.stage_cpu[stage] = stats.stage_cpu.get(stage, 0.0) + seconds
        accounted = sum(v for k, v in result.timings.items() if k != "wall")
        stats.stage_cpu["other"] = stats.stage_cpu.get("other", 0.0) + max(0.0, result.seconds - accounted)
        stats.slow_files.append((result.path, result.seconds, result.lines))
        if len(stats.slow_files) > 40:
            stats.slow_files.sort(key=lambda x: -x[1])
            del stats.slow_files[20:]
        if self.cache is not None and result.cacheable and result.blob:
            stored = dict(result.outputs)
            if result.exclude:
                stored = {name: {"exclude": result.exclude} for name in self.settings}
            elif result.skip and not stored:
                stored = {name: {"skip": result.skip} for name in self.settings}
            for analyzer in self.file_analyzers:
                output = stored.get(analyzer.name)
                key = self._cache_keys.get((analyzer.name, result.path))
                if output is None or "error" in output or key is None:
                    continue
                self.cache.put(analyzer.name, analyzer.version, key, result.blob, output)

    def _cached(self, analyzer: str, version: str, key: str, blobs: list[str]) -> dict[str, Any]:
        """The cache's outputs of ``analyzer`` for ``blobs``, from the memo
        (OUTPUT_MEMO) where an earlier scan of the same run decoded them."""
        if self._memo is None:
            return self.cache.get_many(analyzer, version, key, blobs)
        hits = {}
        for blob in blobs:
            output = self._memo.get((analyzer, version, key, blob))
            if output is not None:
                hits[blob] = output
        rest = [blob for blob in blobs if blob not in hits]
        if rest:
            found = self.cache.get_many(analyzer, version, key, rest)
            for blob, output in found.items():
                self._memo[(analyzer, version, key, blob)] = output
            hits.update(found)
        return hits

    def _assemble(self, snapshot, candidates, outputs, file_skips, file_excludes, coverage: Coverage) -> ScanResult:
        files: list[FileMetrics] = []
        functions: list[FunctionMetric] = []
        findings: list[Finding] = []
        for ref, role, wanted in sorted(candidates, key=lambda c: c[0].path):
            per_file = outputs.get(ref.path, {})
            skip = file_skips.get(ref.path)
            exclude = file_excludes.get(ref.path)
            for output in per_file.values():
                skip = skip or output.get("skip")
                exclude = exclude or output.get("exclude")
            if exclude:
                coverage.excluded += 1
                coverage.excluded_by[exclude] = coverage.excluded_by.get(exclude, 0) + 1
                continue
            python = is_python_path(ref.path)
            errors = [o["error"] for o in per_file.values() if "error" in o]
            if skip and python:
                coverage.skipped.append(Skipped(ref.path, skip))
            for error in errors:
                coverage.skipped.append(Skipped(ref.path, error))
            complexity = per_file.get("complexity")
            if python and complexity and "metrics" in complexity:
                metrics = complexity["metrics"]
                files.append(
                    FileMetrics(
                        path=ref.path,
                        blob=ref.blob or "",
                        role=role,
                        **{k: metrics[k] for k in ("loc", "lloc", "sloc", "comments", "multi", "blank", "single_comments", "mi", "cc_total", "cc_max", "functions", "halstead_volume")},
                    )
                )
                if role == "source":
                    for fn in complexity.get("functions", []):
                        functions.append(FunctionMetric(ref.path, fn["name"], fn["line"], fn["end_line"], fn["cc"], fn["rank"]))
            for name, output in per_file.items():
                for item in output.get("findings", []):
                    findings.append(Finding.from_dict({**item, "path": ref.path}))
        functions.sort(key=lambda f: (-f.cc, f.path, f.line))
        coverage.analyzed = len(files)
        coverage.lines_analyzed = sum(f.loc for f in files)
        repository = {
            "name": _repository_name(snapshot),
            "kind": snapshot.kind,
            "ref": snapshot.ref,
            "revision_date": snapshot.revision_date,
            "shallow": snapshot.shallow,
            "prefix": snapshot.prefix,
        }
        analyzers = {a.name: a.version for a in self.file_analyzers}
        now = self.options.now or datetime.now(timezone.utc)
        return ScanResult(
            revision=snapshot.revision,
            scanned_at=now.replace(microsecond=0).isoformat(),
            repository=repository,
            coverage=coverage,
            files=files,
            functions=functions[:TOP_FUNCTIONS],
            findings=findings,
            analyzers=analyzers,
            tool_version=__version__,
        )

    def _repo_options(self) -> dict[str, Any]:
        return {
            "offline": self.options.offline,
            "advisory_db": self.options.advisory_db,
            "now": self.options.now,
            "jobs": self._jobs(),
            SHARED: Once(),  # work two analyzers need, done once (each call: a scan's run, or its read-ahead)
            **self.options.extra,
        }

    def _run_repo_analyzers(
        self, snapshot: Snapshot, result: ScanResult, outputs, stats: ScanStats, analyzers, preparing: Preparing
    ) -> None:
        if not analyzers:
            return
        by_analyzer: dict[str, dict[str, dict[str, Any]]] = {}
        for path, per_file in outputs.items():
            for name, output in per_file.items():
                by_analyzer.setdefault(name, {})[path] = output
        reader = snapshot.open_reader()
        try:
            context = RepoContext(
                snapshot=snapshot,
                reader=reader,
                config=self.config,
                file_results=by_analyzer,
                files=result.files,
                options=self._repo_options(),
                cache=self.cache,
                selector=self.selector,
                sections=result.sections,
                findings=result.findings,
            )
            for analyzer in analyzers:
                cls = type(analyzer)
                started = time.perf_counter()
                try:
                    context.prepared[cls.name] = preparing.result(cls.name)
                    output = analyzer.run(context)
                except ArchreviewError:
                    raise
                except Exception as exc:  # noqa: BLE001 - one analyzer's bug must not lose the scan
                    result.coverage.notes.append(f"{cls.name} analysis failed: {type(exc).__name__}: {exc}")
                    stats.incomplete.append(f"{cls.name}: failed")
                    continue
                finally:
                    stats.phases[f"  {cls.name}"] = time.perf_counter() - started
                    ahead = preparing.seconds(cls.name)
                    if ahead is not None:
                        stats.phases[f"  {cls.name}: read ahead"] = ahead
                result.analyzers[cls.name] = cls.version
                if output.incomplete:
                    stats.incomplete.append(f"{cls.name}: {output.incomplete}")
                result.findings.extend(output.findings)
                result.coverage.skipped.extend(output.skipped)
                result.coverage.notes.extend(output.notes)
                result.sections.update(output.sections)
        finally:
            reader.close()


def _read_snapshot_text(snapshot: Snapshot, path: str) -> str | None:
    """One small text file of the snapshot, or None."""
    ref = next((f for f in snapshot.files if f.path == path and f.status == STATUS_OK), None)
    if ref is None or (ref.size or 0) > 1_048_576:
        return None
    reader = snapshot.open_reader()
    try:
        data = reader.read(ref)
    finally:
        reader.close()
    return None if data is None else data.decode("utf-8", "replace")


def _repository_name(snapshot: Snapshot) -> str:
    """The name the report gives the repository: its folder's, or for a
    folder with a generic name (a bare clone kept as ``<project>/repo`` or
    ``<project>/.git``) the folder above it."""
    root = Path(snapshot.root)
    name = root.name
    if name.endswith(".git") and len(name) > 4:
        name = name[: -len(".git")]
    if name.lower() in GENERIC_FOLDER_NAMES and root.parent.name:
        return _repository_name_of(root.parent)
    return name


def _repository_name_of(folder: Path) -> str:
    name = folder.name
    return name[: -len(".git")] if name.endswith(".git") and len(name) > 4 else name


#: folder names that say nothing about the project in them
GENERIC_FOLDER_NAMES = {".git", "repo", "repository", "git", "src", "source", "code", "mirror", "bare"}
