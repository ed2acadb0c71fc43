"""Repository analyzers' ``prepare`` steps, run ahead in threads.

Reading a repository's history (old file versions and every commit's
Python changes, for secrets and activity) needs only the revision and the
settings, and it is mostly git's work in other processes; so does the
dependency audit (the dependency files and the package index). The engine starts these steps
when the files begin to be analysed, one thread per analyzer, each with a
cache connection of its own (an SQLite connection belongs to one thread), so
that the history is read while the workers analyse the files; each
analyzer's ``run`` then gets what its step returned.

A step that fails hands its exception to ``result``, which raises it where
the analyzer's ``run`` would have run, so a failure is reported the same way.
A scan that is abandoned (interrupted, or failed) calls ``stop``: the steps
see the event they were given set, end within a fraction of a second (git
commands are killed, share processes terminated) and are joined, so nothing
runs on while the interpreter exits - a thread still inside a native
extension then can abort the process.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from .analyzers.base import RepoAnalyzer
from .cache import Cache


class _Step(threading.Thread):
    def __init__(self, analyzer: RepoAnalyzer, make_context, cache_dir: Path | None):
        super().__init__(name=f"prepare-{analyzer.name}", daemon=True)
        self.analyzer = analyzer
        self.make_context = make_context
        self.cache_dir = cache_dir
        self.value: Any = None
        self.error: BaseException | None = None
        self.seconds = 0.0

    def run(self) -> None:
        started = time.perf_counter()
        # opened here: an SQLite connection belongs to the thread that made it
        cache = Cache.open(self.cache_dir)[0] if self.cache_dir is not None else None
        try:
            self.value = self.analyzer.prepare(self.make_context(cache))
        except BaseException as exc:  # noqa: BLE001 - handed to the analyzer's run
            self.error = exc
        finally:
            if cache is not None:
                cache.close()
            self.seconds = time.perf_counter() - started


class Preparing:
    """The prepare steps of ``analyzers`` that have one, started at once.
    ``make_context(cache)`` gives a step its PrepareContext."""

    def __init__(self, analyzers: list[RepoAnalyzer], make_context, cache_dir: Path | None, stopping: threading.Event | None = None):
        """``stopping``: the event the steps' contexts carry (``STOP``), set by :meth:`stop`."""
        self._steps: dict[str, _Step] = {}
        self._stopping = stopping if stopping is not None else threading.Event()
        for analyzer in analyzers:
            if type(analyzer).prepares():
                step = self._steps[analyzer.name] = _Step(analyzer, make_context, cache_dir)
                step.start()

    @property
    def reads_history(self) -> bool:
        """Whether one of the steps reads git history (the long ones)."""
        return any(type(step.analyzer).reads_history for step in self._steps.values())

    def seconds(self, name: str) -> float | None:
        """How long the finished step of analyzer ``name`` took (None without one)."""
        step = self._steps.get(name)
        return step.seconds if step is not None else None

    def result(self, name: str) -> Any:
        """What the step of analyzer ``name`` returned (None without one),
        once it has finished; its exception, raised here."""
        step = self._steps.get(name)
        if step is None:
            return None
        step.join()
        if step.error is not None:
            raise step.error
        return step.value

    def wait(self) -> None:
        """Until every step has finished (what they returned or raised stays unread)."""
        for step in self._steps.values():
            step.join()

    def stop(self) -> None:
        """Ask every step to end now, and wait until they have."""
        self._stopping.set()
        self.wait()
