"""What counts as *new*: findings compared with a base - a stored result
(``--baseline FILE``: a ``scan --format json`` result or a history month;
the newest month in ``.archreview/history/``) or the same files at another
revision. The matching itself is :func:`archreview.compare.compare`
(fingerprints, renamed files' old findings moved to their new paths).
"""

from __future__ import annotations

import json
from pathlib import Path

from .errors import ArchreviewError
from .model import Coverage, Finding, ScanResult


def load_result(path: str | Path) -> ScanResult:
    """A stored result document: a ``scan --format json`` result, or one
    month of ``.archreview/history`` (read, checked and upgraded by
    :mod:`archreview.history`)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ArchreviewError(f"{path}: no such baseline file") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ArchreviewError(f"{path}: not a readable result document ({exc})") from None
    if isinstance(data, dict) and isinstance(data.get("history"), dict):
        from .history import HistoryFileError, read_entry

        try:
            return read_entry(path).result
        except HistoryFileError as exc:
            raise ArchreviewError(f"{path}: {exc}") from None
    try:
        return ScanResult.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ArchreviewError(f"{path}: not a result document archreview can read ({exc})") from None


def latest_stored(work_tree: str | Path) -> tuple[Path, ScanResult] | None:
    """The newest readable month in the history of the work tree."""
    from .history import history_dir, load

    stored = load(history_dir(work_tree))
    if not stored.entries:
        return None
    entry = stored.entries[-1]
    return entry.path, entry.result


def findings_result(findings: list[Finding], revision: str | None = None) -> ScanResult:
    """A bare result holding ``findings``, for the comparison."""
    return ScanResult(revision=revision, scanned_at="", repository={}, coverage=Coverage(), findings=findings)


def new_findings(current: list[Finding], base: list[Finding], renames: dict[str, str]) -> list[Finding]:
    """The findings of ``current`` that ``base`` does not have; ``renames``
    maps old paths to new ones."""
    from .compare import compare

    return compare(findings_result(base), findings_result(current), renames).new


def renames_since(repo_path: str | Path, old_rev: str | None, new_rev: str | None) -> dict[str, str]:
    """Renames from the stored result's revision to the scanned one; none
    when git cannot tell (not a repository, a commit missing from a shallow clone)."""
    from .compare import rename_map

    return rename_map(repo_path, old_rev, new_rev)[0]
