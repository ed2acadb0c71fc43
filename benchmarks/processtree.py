"""CPU seconds of a whole process tree, for the benchmarks.

``resource.getrusage(RUSAGE_CHILDREN)`` counts only descendants that were
waited for. archreview's workers come from a multiprocessing forkserver,
which the scan's process starts and never waits for: the forkserver (and the
workers it waited for) would be left out, and a scan would look as if it
used one core. On Linux the benchmark makes itself a child subreaper, so
those orphans are re-parented to it, and :func:`run` waits for them after
the command ends; then ``RUSAGE_CHILDREN`` holds the whole tree. Elsewhere
the figure is what ``getrusage`` gives (the tree's CPU may be undercounted,
:data:`EXACT` says which).
"""

from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import time

PR_SET_CHILD_SUBREAPER = 36


def _become_subreaper() -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


#: True when the CPU figures include every descendant
EXACT = _become_subreaper()


def cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def reap_orphans(timeout: float = 10.0) -> None:
    """Wait for descendants left behind by a finished command (the forkserver
    exits once the scan's process has closed its end)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if time.monotonic() > deadline:
                return
            time.sleep(0.01)


def run(cmd: list[str], **kwargs) -> tuple[float, float, subprocess.CompletedProcess | None]:
    """(wall s, CPU s of the whole tree, completed process or None on
    timeout); keyword arguments go to :func:`subprocess.run`."""
    cpu0, wall0 = cpu_children(), time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    except subprocess.TimeoutExpired:
        proc = None
    wall = time.perf_counter() - wall0
    reap_orphans()
    return wall, cpu_children() - cpu0, proc
