"""Progress on stderr: a rich bar on a terminal once a scan has run for a
second; nothing in CI or when stderr is not a terminal."""

from __future__ import annotations

import os
import sys
import time


def wanted(force: bool | None = None) -> bool:
    if force is not None:
        return force
    if os.environ.get("CI"):
        return False
    return sys.stderr.isatty()


class Progress:
    def __init__(self, total: int, enabled: bool, label: str = "Analysing", delay: float = 1.0):
        self.total = total
        self.enabled = enabled and total > 0
        self.label = label
        self.delay = delay
        self.done = 0
        self._started = time.monotonic()
        self._bar = None
        self._task = None

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        if self._bar is None and time.monotonic() - self._started >= self.delay:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgress, TextColumn, TimeRemainingColumn

            self._bar = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total, completed=self.done)
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
