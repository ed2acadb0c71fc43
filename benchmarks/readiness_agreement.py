"""Agreement of the readiness analyzer with hand labels.

Each ``tests/data/readiness_labels/<repo>.toml`` holds a repository, the
commit that was labelled and, per readiness id, the status a person gave it
after reading the files (before the tool ran). This script scans each of
those commits (from git objects; the repositories must be on this machine,
as ``<MIRRORS>/<owner+name>/repo``, MIRRORS given by ``--mirrors`` or
``$ARCHREVIEW_MIRRORS``) with only the readiness analyzers, and prints per
id and overall agreement, plus every disagreement.

    python benchmarks/readiness_agreement.py [--all-analyzers] [--labels DIR] [-v]

Target: 90 % agreement per id.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from archreview import engine as engine_module  # noqa: E402
from archreview.analyzers import file_analyzer_classes, repo_analyzer_classes  # noqa: E402
from archreview.engine import ScanOptions, available_cpus  # noqa: E402
from archreview.scan import run_scan  # noqa: E402

TARGET = 0.90


def only_readiness() -> None:
    """Run just the analyzers the readiness section needs."""
    files = [c for c in file_analyzer_classes() if c.name == "rules"]
    repos = [c for c in repo_analyzer_classes() if c.name == "readiness"]
    engine_module.file_analyzer_classes = lambda findings_only=False: [cls for cls in files if not findings_only or cls.name not in ("imports", "rules")]
    engine_module.repo_analyzer_classes = lambda: repos


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", default=str(HERE.parent / "tests" / "data" / "readiness_labels"))
    parser.add_argument("--mirrors", default=os.environ.get("ARCHREVIEW_MIRRORS"), help="folder of <owner+name>/repo clones")
    parser.add_argument("--all-analyzers", action="store_true", help="run every analyzer, not only the readiness ones")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the tool's why for every disagreement")
    args = parser.parse_args()
    if not args.mirrors:
        parser.error("--mirrors DIR (or $ARCHREVIEW_MIRRORS) is needed: the folder of <owner+name>/repo clones")
    if not args.all_analyzers:
        only_readiness()
    print(f"python {platform.python_version()}, {available_cpus()} cores")
    per_id: dict[str, list[int]] = {}
    total = [0, 0]
    by_set: dict[str, list[int]] = {}
    for label_file in sorted(Path(args.labels).glob("*.toml")):
        labels = tomllib.loads(label_file.read_text(encoding="utf-8"))
        repo = Path(args.mirrors) / labels["mirror"] / "repo"
        if not repo.exists():
            print(f"{labels['repo']}: not on this machine ({repo}), skipped")
            continue
        started = time.perf_counter()
        result, _, _ = run_scan(str(repo), rev=labels["commit"], use_cache=not args.no_cache, options=ScanOptions(offline=True))
        seconds = time.perf_counter() - started
        got = {item["id"]: item for item in result.sections.get("readiness", [])}
        agree = 0
        lines = []
        for rid, expected in labels["ids"].items():
            item = got.get(rid, {"status": "missing", "why": "", "evidence": []})
            ok = item["status"] == expected["status"]
            agree += ok
            per_id.setdefault(rid, [0, 0])
            per_id[rid][0] += ok
            per_id[rid][1] += 1
            if not ok:
                lines.append(f"    {rid}: expected {expected['status']}, got {item['status']}  ({expected['why']})")
                if args.verbose:
                    lines.append(f"        tool: {item['why']} {item['evidence'][:3]}")
        total[0] += agree
        total[1] += len(labels["ids"])
        subset = by_set.setdefault(labels.get("set", "development"), [0, 0])
        subset[0] += agree
        subset[1] += len(labels["ids"])
        print(f"{labels['repo']} @ {labels['commit'][:12]}: {agree}/{len(labels['ids'])} agree ({seconds:.1f} s)")
        print("\n".join(lines)) if lines else None
    if not total[1]:
        print("no labelled repository found")
        return 1
    print()
    print(f"{'id':<22} agreement   (target {TARGET:.0%})")
    for rid, (ok, n) in per_id.items():
        flag = "" if ok / n >= TARGET else "  below target"
        print(f"{rid:<22} {ok}/{n} {ok / n:6.0%}{flag}")
    for name, (ok, n) in sorted(by_set.items()):
        print(f"{name + ' set':<22} {ok}/{n} {ok / n:6.1%}")
    print(f"{'overall':<22} {total[0]}/{total[1]} {total[0] / total[1]:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
