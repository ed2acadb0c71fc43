"""A process pool that loses a file, never a scan.

Each worker gets chunks of tasks over a pipe and answers per file, so the
parent always knows which file a worker is on. A worker that dies (crash,
out-of-memory kill) or stops answering for longer than the hard time limit
is killed and replaced; the file it was on is reported as skipped with the
reason, and the rest of its chunk goes back in the queue.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Any

from .worker import FileProcessor, Task, TaskResult

#: modules a worker needs whatever it analyses: imported once, in the
#: forkserver, instead of in every worker (``process_context``)
WORKER_MODULES = (
    "archreview.worker",
    "archreview.analyzers.complexity",
    "archreview.analyzers.radonfast",
    "archreview.analyzers.security",
    "archreview.analyzers.rulefiles",
    "archreview.analyzers.secrets",
    "archreview.analyzers.imports",
    "archreview.analyzers.secrets_history",
    "bandit.core.config",
    "bandit.core.test_set",
    "bandit.core.manager",
    "radon.metrics",
)


def process_context():
    """Where worker processes come from: a fresh interpreter that has
    imported archreview's analyzers and their libraries once (the
    ``forkserver``) forks each of them. A worker is then safe whatever
    threads the scan runs (nothing is forked from the scan itself), as with
    a new interpreter per worker, without each one importing bandit and radon
    again (netbox, cold, 2 cores: about 0.35 s of CPU less). Where there is no
    forkserver (Windows), each worker is a new interpreter (``spawn``)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(WORKER_MODULES))
    return context


#: how much lower than the scan's own the workers' scheduling priority is
#: when history is read alongside them (``WorkerPool(behind=True)``): see
#: ``_lower_priority``
BEHIND_NICE = 3


def _lower_priority(steps: int) -> None:  # pragma: no cover - runs in a child
    """Let the scan's other processes go first.

    While the workers analyse the files, the scan reads the repository's
    history in threads of its own and in git processes, one command at a
    time: on a long history that pass is the last to end, and while it runs
    alone, the cores the workers used sit idle. With the workers a few
    steps lower in priority (``nice``), the history gets its share first and
    the files, which can use every core, end the scan instead (netbox, 2
    cores: the history pass ends before the files and the scan waits no
    more for it). The total work is the same; other programs on the machine
    are not slowed down by it. Where ``os.nice`` is missing, nothing changes."""
    if steps > 0 and hasattr(os, "nice"):
        try:
            os.nice(steps)
        except OSError:
            pass


def _worker_main(conn, reader_spec, settings, time_budget, nice=0) -> None:  # pragma: no cover - runs in a child
    _lower_priority(nice)
    processor = FileProcessor(reader_spec, settings, time_budget)
    # Everything imported so far lives for the whole process: keep the
    # garbage collector's full passes away from it. (Collecting explicitly
    # after each file doubled the CPU cost of a scan.) A parsed file is
    # hundreds of thousands of young objects, nearly all freed by reference
    # counting; collecting every 20,000 allocations instead of every 700
    # takes about 5 % off the CPU cost of a file (netbox: 15.8 s to 15.1 s in
    # one process) for about 30 MB more per worker. Bandit's parent links
    # make each tree a cycle, so collections still come, just less often.
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 100)
    try:
        while True:
            try:
                chunk = conn.recv()
            except EOFError:
                break
            if chunk is None:
                break
            for index, task in enumerate(chunk):
                result = processor.process(task)
                conn.send((index, result))
            conn.send(None)
    except (BrokenPipeError, KeyboardInterrupt):
        pass
    finally:
        processor.close()


@dataclass
class _Worker:
    process: Any
    conn: Any
    chunk: list[Task] = field(default_factory=list)
    next_index: int = 0
    last_progress: float = 0.0

    @property
    def busy(self) -> bool:
        return bool(self.chunk)


class WorkerPool:
    def __init__(
        self,
        jobs: int,
        reader_spec,
        settings,
        time_budget: float,
        hard_timeout: float,
        start_method: str | None = None,
        behind: bool = False,
    ):
        """``behind``: the workers run at a lower priority than the scan
        (``_lower_priority``), for a scan that reads history alongside them."""
        self.jobs = max(1, jobs)
        self._args = (reader_spec, settings, time_budget, BEHIND_NICE if behind else 0)
        self.hard_timeout = hard_timeout
        self._ctx = multiprocessing.get_context(start_method) if start_method else process_context()
        self._workers: list[_Worker] = []
        self._failures_in_a_row = 0

    def _start(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=_worker_main, args=(child, *self._args), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def run(self, chunks: list[list[Task]], on_result: Callable[[TaskResult], None] | None = None) -> Iterator[TaskResult]:
        queue: deque[list[Task]] = deque(c for c in chunks if c)
        try:
            self._workers = [self._start() for _ in range(min(self.jobs, len(queue)))]
            while queue or any(w.busy for w in self._workers):
                for worker in self._workers:
                    if not worker.busy and queue:
                        worker.chunk = queue.popleft()
                        worker.next_index = 0
                        worker.last_progress = time.monotonic()
                        try:
                            worker.conn.send(worker.chunk)
                        except (BrokenPipeError, OSError):
                            pass  # noticed below through its sentinel
                busy = [w for w in self._workers if w.busy]
                ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=1.0)
                ready_set = set(ready)
                for worker in busy:
                    if worker.conn in ready_set:
                        yield from self._drain(worker, queue)
                    elif worker.process.sentinel in ready_set:
                        yield from self._lost(worker, queue, self._death_reason(worker))
                    elif time.monotonic() - worker.last_progress > self.hard_timeout:
                        yield from self._lost(
                            worker,
                            queue,
                            f"still running after {self.hard_timeout:g} s; the analysis was stopped",
                        )
        finally:
            self.close()

    def _drain(self, worker: _Worker, queue: deque) -> Iterator[TaskResult]:
        while worker.busy and worker.conn.poll():
            try:
                message = worker.conn.recv()
            except (EOFError, OSError):
                yield from self._lost(worker, queue, self._death_reason(worker))
                return
            if message is None:
                worker.chunk = []
                return
            index, result = message
            self._failures_in_a_row = 0
            worker.next_index = index + 1
            worker.last_progress = time.monotonic()
            yield result
        if worker.busy and not worker.process.is_alive():
            yield from self._lost(worker, queue, self._death_reason(worker))

    def _death_reason(self, worker: _Worker) -> str:
        worker.process.join(timeout=1)
        code = worker.process.exitcode
        if code is not None and code < 0:
            return f"the analysis process was killed by signal {-code} while on this file"
        return f"the analysis process stopped (exit code {code}) while on this file"

    def _lost(self, worker: _Worker, queue: deque, reason: str) -> Iterator[TaskResult]:
        """The worker is gone or stuck: skip its current file, requeue the rest."""
        chunk, index = worker.chunk, worker.next_index
        self._kill(worker)
        self._failures_in_a_row += 1
        if self._failures_in_a_row > 3 * self.jobs + 3:
            raise RuntimeError(f"analysis processes keep stopping ({reason})")
        replacement = self._start()
        self._workers[self._workers.index(worker)] = replacement
        if index < len(chunk):
            task = chunk[index]
            yield TaskResult(task.ref.path, task.ref.blob or "", skip=reason, cacheable=False)
            rest = chunk[index + 1 :]
            if rest:
                queue.appendleft(rest)

    @staticmethod
    def _kill(worker: _Worker) -> None:
        try:
            worker.conn.close()
        except OSError:
            pass
        if worker.process.is_alive():
            worker.process.terminate()
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=2)
        worker.chunk = []

    def close(self) -> None:
        for worker in self._workers:
            try:
                worker.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        deadline = time.monotonic() + 5
        for worker in self._workers:
            worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                self._kill(worker)
            try:
                worker.conn.close()
            except OSError:
                pass
        self._workers = []


def make_chunks(tasks: list[Task], max_bytes: int = 256 * 1024, max_files: int = 24) -> list[list[Task]]:
    """Largest files first (so no single big file ends the scan late), in
    chunks bounded by total bytes and file count."""
    ordered = sorted(tasks, key=lambda t: -(t.ref.size or 0))
    chunks: list[list[Task]] = []
    current: list[Task] = []
    size = 0
    for task in ordered:
        task_size = task.ref.size or 0
        if current and (size + task_size > max_bytes or len(current) >= max_files):
            chunks.append(current)
            current, size = [], 0
        current.append(task)
        size += task_size
    if current:
        chunks.append(current)
    return chunks
