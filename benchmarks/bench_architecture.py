"""What the architecture view adds to a cold scan.

Runs ``archreview scan REPO --rev REV --no-cache --profile --format json``
alternately without and with the ``imports`` file analyzer and the
``architecture`` repository analyzer (the "without" run takes their two lines
out of the analyzer registry, as if commented out), and prints wall time, CPU
time (this process's children: the scan and its workers), the ``imports``
stage and the ``repository analyzers`` phase from ``--profile``.

    python benchmarks/bench_architecture.py REPO [--rev REV] [--repeat N]

Default revision: 43fe81f9e833, for a clone of github:netbox-community/netbox.
Target: the view adds at most 10 % to a cold scan. The machine is shared, so
wall time is noisy; CPU time is the steadier figure. Each figure is the
median over the repeats.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import processtree  # noqa: E402  (benchmarks/processtree.py)

DEFAULT_REV = "43fe81f9e833"
TARGET = 0.10

WITHOUT = """
import sys
import archreview.analyzers as registry
registry.FILE_ANALYZERS = tuple(s for s in registry.FILE_ANALYZERS if not s.endswith(":ImportsAnalyzer"))
registry.REPO_ANALYZERS = tuple(s for s in registry.REPO_ANALYZERS if not s.endswith(":ArchitectureAnalyzer"))
from archreview.cli import main
sys.argv = ["archreview", *sys.argv[1:]]
main()
"""


def run_once(with_view: bool, repo: str, rev: str, output: str) -> dict[str, float]:
    args = ["scan", repo, "--rev", rev, "--no-cache", "--profile", "--format", "json", "-o", output]
    command = [sys.executable, "-m", "archreview", *args] if with_view else [sys.executable, "-c", WITHOUT, *args]
    wall, cpu, done = processtree.run(command, check=False)
    if done.returncode != 0:
        raise SystemExit(f"scan failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    profile = done.stderr
    imports_cpu = re.search(r"^\s+imports\s+([\d.]+)", profile, re.MULTILINE)
    repo_phase = re.search(r"^\s+repository analyzers\s+([\d.]+)", profile, re.MULTILINE)
    return {
        "wall": wall,
        "cpu": cpu,
        "imports_stage_cpu": float(imports_cpu.group(1)) if imports_cpu else 0.0,
        "repository_analyzers_wall": float(repo_phase.group(1)) if repo_phase else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", help="a clone (bare is fine) of github:netbox-community/netbox or any repository")
    parser.add_argument("--rev", default=DEFAULT_REV)
    parser.add_argument("--repeat", type=int, default=2)
    options = parser.parse_args()
    if not Path(options.repo).exists():
        raise SystemExit(f"{options.repo}: not found (bring it with the fetch tool)")

    runs: dict[bool, list[dict[str, float]]] = {False: [], True: []}
    with tempfile.TemporaryDirectory() as folder:
        output = os.path.join(folder, "result.json")
        for _ in range(options.repeat):
            for with_view in (False, True):
                runs[with_view].append(run_once(with_view, options.repo, options.rev, output))

    def median(with_view: bool, key: str) -> float:
        return statistics.median(r[key] for r in runs[with_view])

    print(f"repository: {options.repo}")
    print(f"revision:   {options.rev}")
    print(f"cores:      {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()}")
    print(f"python:     {platform.python_version()}")
    print(f"runs:       {options.repeat} without and {options.repeat} with the architecture view, alternating, cold (--no-cache)")
    print()
    print(f"{'figure':<34} {'without':>9} {'with':>9} {'added':>8}   target")
    for key, label in (("wall", "wall time of the scan, s"), ("cpu", "CPU time, scan + workers, s")):
        without, with_view = median(False, key), median(True, key)
        added = (with_view - without) / without if without else 0.0
        verdict = "ok" if added <= TARGET else "OVER"
        print(f"{label:<34} {without:9.2f} {with_view:9.2f} {added:+8.1%}   <= {TARGET:.0%} ({verdict})")
    print(f"{'imports stage CPU (workers), s':<34} {'':>9} {median(True, 'imports_stage_cpu'):9.2f}")
    print(
        f"{'repository analyzers phase, s':<34} {median(False, 'repository_analyzers_wall'):9.2f} "
        f"{median(True, 'repository_analyzers_wall'):9.2f}"
    )


if __name__ == "__main__":
    main()
