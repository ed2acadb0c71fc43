"""The ``--profile`` table: where a scan's time went."""

from __future__ import annotations


def format_profile(stats) -> str:
    if stats.reused:
        return f"wall {stats.wall:.2f} s; the result of an earlier scan of this revision with the same inputs was reused"
    lines = [
        f"wall {stats.wall:.2f} s; {stats.files_considered} files considered, "
        f"{stats.files_analyzed} analysed, {stats.cache_hits} cache hits, {stats.workers or 'no'} worker processes",
        "phase                     wall s",
    ]
    for phase, seconds in stats.phases.items():
        lines.append(f"  {phase:<22} {seconds:8.2f}")
    total = sum(stats.stage_cpu.values())
    lines.append("stage (CPU summed over workers)  cpu s   share")
    for stage, seconds in sorted(stats.stage_cpu.items(), key=lambda kv: -kv[1]):
        share = seconds / total * 100 if total else 0
        lines.append(f"  {stage:<30} {seconds:7.2f} {share:6.1f}%")
    slow = sorted(stats.slow_files, key=lambda x: -x[1])[:10]
    if slow:
        lines.append("slowest files                        cpu s   s per 1k lines")
        for path, seconds, n_lines in slow:
            per_k = seconds / n_lines * 1000 if n_lines else 0
            lines.append(f"  {path[-34:]:<34} {seconds:6.2f} {per_k:8.3f}")
    return "\n".join(lines)
