"""Analysis of one file: read it, decode and parse it once, run every file
analyzer it needs on the shared text and tree. Used in worker processes and,
for small jobs, in the main process.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from .analyzers import file_analyzer_classes
from .analyzers.base import ExcludeFile, SkipFile, SourceFile
from .snapshot import BlobReader, FileRef, ReaderSpec


@dataclass(frozen=True)
class Task:
    ref: FileRef
    role: str
    module: str
    analyzers: tuple[str, ...]
    python: bool


@dataclass
class TaskResult:
    path: str
    blob: str
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    skip: str | None = None  # the file could not be analysed (coverage.skipped)
    exclude: str | None = None  # the file is deliberately not analysed
    cacheable: bool = True  # False for outcomes that may differ next time
    timings: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    lines: int = 0


class FileTimeout(BaseException):
    """Raised by the CPU-time alarm. A BaseException, so that an analyzer's
    own ``except Exception`` (bandit wraps every test in one) cannot swallow
    it and carry on past the budget."""


def _on_alarm(signum, frame):  # pragma: no cover - timing dependent
    raise FileTimeout()


class FileProcessor:
    """Holds one reader and one instance of each analyzer for a process."""

    def __init__(
        self,
        reader_spec: ReaderSpec,
        settings: dict[str, dict[str, Any]],
        time_budget: float,
    ):
        self.reader = BlobReader(reader_spec)
        self.settings = settings
        self.time_budget = time_budget
        # the analyzers that yield findings first: a run without the
        # fact-gathering ones (check) does not import those
        classes = {cls.name: cls for cls in file_analyzer_classes(findings_only=True)}
        if not set(settings) <= set(classes):
            classes = {cls.name: cls for cls in file_analyzer_classes()}
        self.analyzers = {name: classes[name]() for name in settings}
        for name, analyzer in self.analyzers.items():
            analyzer.setup(settings[name])
        self._can_alarm = hasattr(signal, "ITIMER_PROF") and threading.current_thread() is threading.main_thread()
        self._previous_unraisable_hook = None
        if self._can_alarm:
            self._previous_unraisable_hook = sys.unraisablehook
            sys.unraisablehook = self._unraisable

    def process(self, task: Task) -> TaskResult:
        started_wall = time.perf_counter()
        started_cpu = time.process_time()
        result = TaskResult(task.ref.path, task.ref.blob or "")
        previous = None
        if self._can_alarm and self.time_budget > 0:
            # CPU time, not wall time: a busy machine must not make a file
            # "too slow" (the parent's wall-clock limit is the backstop).
            previous = signal.signal(signal.SIGPROF, _on_alarm)
            # Repeats every 50 ms of CPU after the budget: an alarm that lands
            # in a destructor is ignored by Python, so the next one stops it.
            signal.setitimer(signal.ITIMER_PROF, self.time_budget, 0.05)
        try:
            self._process(task, result)
        except FileTimeout:
            result.outputs = {}
            result.skip = f"took longer than the {self.time_budget:g} s CPU time budget per file (file_time_budget)"
            result.cacheable = False
        finally:
            if previous is not None:
                signal.setitimer(signal.ITIMER_PROF, 0)
                signal.signal(signal.SIGPROF, previous)
        result.seconds = time.process_time() - started_cpu
        result.timings["wall"] = time.perf_counter() - started_wall
        return result

    def _process(self, task: Task, result: TaskResult) -> None:
        started = time.process_time()
        data = self.reader.read(task.ref)
        read_time = time.process_time() - started
        if data is None:
            result.skip = "missing from the repository's objects (incomplete clone or damaged repository)"
            result.cacheable = False
            return
        file = SourceFile(task.ref.path, result.blob, task.role, data, task.module)
        file.add_time("read", read_time)
        try:
            file.check_content()
            if task.python:
                file.check_generated()
        except SkipFile as exc:
            result.skip = exc.reason
            return
        except ExcludeFile as exc:
            result.exclude = exc.label
            return
        finally:
            result.timings = file.timings
        parse_failure: str | None = None
        for name in task.analyzers:
            analyzer = self.analyzers[name]
            if analyzer.python_only:
                if parse_failure is not None:
                    result.outputs[name] = {"skip": parse_failure}
                    continue
                try:
                    file.tree  # noqa: B018 - parse once, shared by the analyzers below
                except SkipFile as exc:
                    parse_failure = exc.reason
                    result.skip = exc.reason
                    result.outputs[name] = {"skip": exc.reason}
                    continue
            try:
                result.outputs[name] = analyzer.analyze(file, self.settings[name])
            except SkipFile as exc:
                result.outputs[name] = {"skip": exc.reason}
            except FileTimeout:
                raise
            except RecursionError:
                result.outputs[name] = {"skip": f"{name}: nested too deeply to analyse"}
            except Exception as exc:  # noqa: BLE001 - one analyzer's bug must not lose the scan
                result.outputs[name] = {"error": f"{name} failed: {type(exc).__name__}: {exc}"}
                result.cacheable = False
        try:
            result.lines = len(file.lines) if file._text is not None else 0
        except SkipFile:
            result.lines = 0

    def _unraisable(self, unraisable) -> None:
        """An alarm that landed in a destructor: nothing to report (the
        repeating alarm stops the file). Anything else goes to the hook
        that was there before."""
        if isinstance(unraisable.exc_value, FileTimeout):
            return
        self._previous_unraisable_hook(unraisable)

    def close(self) -> None:
        self.reader.close()
        if self._previous_unraisable_hook is not None:
            sys.unraisablehook = self._previous_unraisable_hook
            self._previous_unraisable_hook = None
