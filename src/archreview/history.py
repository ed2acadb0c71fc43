"""The history store: one result per month, kept in the scanned repository.

``.archreview/history/YYYY-MM.json`` in the work tree (the folder the scan
pointed at), committed with the code. ``YYYY-MM.json`` describes the
repository as it was at the end of month YYYY-MM (UTC): ``scan --save``
files the scanned commit under the month of its commit date, ``backfill``
scans the last commit of each past month. A month with no commits is a copy
of the month before, marked ``carried_forward``.

What is stored is the ScanResult document itself, with two changes that keep
a monthly commit small and its diff readable:

* every list of objects most of which share their keys (files, functions,
  findings, the lists in the sections) is a table - ``{"~table": [keys],
  "rows": [[values], ...]}`` - so each key is written once, not once per
  item (an object with other keys stays an object among the rows);
* each file's blob id is left out (not needed to compare months or render a
  report; it reads back as ``""``);
* one finding, table row or list item per line.

and one addition, ``history``: ``{month, saved_at, carried_forward,
checksum}`` (a result read back, or just saved, has it as its ``history``
section, without the checksum). The checksum (sha256 of the canonical JSON of everything else)
tells a file archreview wrote from one edited by hand or mangled by a merge.

Reading never fails a command: a file that is not valid JSON, was changed
after it was written, has a merge conflict, or uses a result schema this
version cannot read becomes a line in ``History.problems`` (shown in the
result's coverage notes) and is skipped - never read wrongly. Older schemas
are upgraded through :data:`MIGRATIONS`; newer ones are refused.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .errors import ArchreviewError
from .model import SCHEMA_VERSION, SEVERITIES, ScanResult
from .output import write_atomic

HISTORY_DIR = Path(".archreview") / "history"
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
#: marks a list of objects stored as a table (see :func:`tabulate`)
TABLE = "~table"

#: result schema version -> function that turns a document of that version
#: into one of the next version. Registered when SCHEMA_VERSION goes up.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class HistoryError(ArchreviewError):
    """The history cannot be kept where asked."""


class HistoryFileError(Exception):
    """One stored month cannot be read; the message says why."""


@dataclass
class HistoryEntry:
    month: str
    result: ScanResult
    path: Path
    carried_forward: bool = False
    saved_at: str = ""


@dataclass
class History:
    """The readable months, oldest first, and what could not be read."""

    directory: Path
    entries: list[HistoryEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)  # months whose file could not be read

    def get(self, month: str) -> HistoryEntry | None:
        return next((e for e in self.entries if e.month == month), None)

    def before(self, month: str) -> HistoryEntry | None:
        """The latest stored month earlier than ``month``."""
        earlier = [e for e in self.entries if e.month < month]
        return earlier[-1] if earlier else None

    def notes(self) -> list[str]:
        return [f"history: {problem}" for problem in self.problems]


# -- months -----------------------------------------------------------------
def check_month(month: str) -> str:
    if not _MONTH.match(month or ""):
        raise ArchreviewError(f"{month!r} is not a month; write it as YYYY-MM")
    return month


def month_of(iso: str | None) -> str:
    """Month (UTC) of an ISO 8601 time."""
    if not iso:
        raise ArchreviewError("the result has no date to file it under; pass --month YYYY-MM")
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m")


def month_of_result(result: ScanResult) -> str:
    """The month a result describes: its commit's date, else when it was scanned."""
    return month_of(result.repository.get("revision_date") or result.scanned_at)


def add_months(month: str, count: int) -> str:
    year, mon = (int(x) for x in check_month(month).split("-"))
    year, index = divmod(year * 12 + mon - 1 + count, 12)
    return f"{year:04d}-{index + 1:02d}"


def month_start(month: str) -> int:
    year, mon = (int(x) for x in check_month(month).split("-"))
    return int(datetime(year, mon, 1, tzinfo=timezone.utc).timestamp())


def month_end(month: str) -> int:
    """The last second of the month, UTC."""
    return month_start(add_months(month, 1)) - 1


def current_month(now: datetime | None = None) -> str:
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y-%m")


# -- where ------------------------------------------------------------------
def history_dir(path: str | Path, explicit: str | Path | None = None) -> Path:
    """``.archreview/history`` in the work tree of the repository at ``path``
    (in the folder the scan pointed at), or ``explicit``."""
    if explicit is not None:
        return Path(explicit)
    from .gitrepo import GitRepo, is_git_repository

    if not is_git_repository(path):
        raise HistoryError(
            f"{path} is not a git repository, so there is no work tree to keep history in; "
            "pass --history-dir DIR to keep it elsewhere"
        )
    repo = GitRepo(path)
    try:
        if repo.work_tree is None:
            raise HistoryError(
                f"{path} is a bare repository: it has no work tree to keep .archreview/history in; "
                "pass --history-dir DIR to keep it elsewhere"
            )
        root = repo.work_tree.resolve()
    finally:
        repo.close()
    try:
        sub = Path(path).resolve().relative_to(root)
    except ValueError:
        sub = Path()
    return root / sub / HISTORY_DIR


# -- write ------------------------------------------------------------------
HISTORY_DROPPED_ARCHITECTURE = ("nodes", "edges")


def encode(result: ScanResult, month: str, *, carried_forward: bool = False, saved_at: str | None = None) -> str:
    """The text of a history file for ``result``."""
    doc = result.to_dict()
    doc.pop("history", None)  # the header below takes its place
    for item in doc.get("files", []):
        item.pop("blob", None)
    architecture = doc.get("architecture")
    if isinstance(architecture, dict):
        # The module-level import graph is most of a large repository's
        # file and nothing reads it back: reports use the packages, their
        # links, the cycles and the metrics, which stay.
        doc["architecture"] = {k: v for k, v in architecture.items() if k not in HISTORY_DROPPED_ARCHITECTURE}
    doc = tabulate(doc)
    meta = header(month, carried_forward, saved_at)
    ordered = {"schema_version": doc.pop("schema_version"), "history": meta, **doc}
    meta["checksum"] = checksum(ordered)
    return _layout(ordered)


def header(month: str, carried_forward: bool = False, saved_at: str | None = None) -> dict[str, Any]:
    """The ``history`` section: which month a result is filed under."""
    return {
        "month": check_month(month),
        "saved_at": saved_at or datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "carried_forward": bool(carried_forward),
    }


def tabulate(value: Any) -> Any:
    """A list of objects most of which share their keys becomes
    ``{"~table": [keys], "rows": [...]}``: an object with exactly those keys,
    in that order, is a row of values; any other object stays an object in
    the rows. Keys are written once instead of once per item, and
    :func:`untabulate` gives back exactly the same list."""
    if isinstance(value, dict):
        return {key: tabulate(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [tabulate(item) for item in value]
        if len(items) >= 3 and all(isinstance(item, dict) for item in items):
            shapes = Counter(tuple(item) for item in items)
            keys, count = shapes.most_common(1)[0]
            if keys and count >= 3:
                rows = [[item[k] for k in keys] if tuple(item) == keys else item for item in items]
                return {TABLE: list(keys), "rows": rows}
        return items
    return value


def untabulate(value: Any) -> Any:
    if isinstance(value, dict):
        if TABLE in value:
            keys, rows = value.get(TABLE), value.get("rows")
            if set(value) != {TABLE, "rows"} or not isinstance(keys, list) or not isinstance(rows, list):
                raise HistoryFileError("a table in it is damaged (columns or rows missing)")
            out = []
            for number, row in enumerate(rows, start=1):
                if isinstance(row, dict):
                    out.append(untabulate(row))
                elif isinstance(row, list) and len(row) == len(keys):
                    out.append({key: untabulate(item) for key, item in zip(keys, row)})
                else:
                    raise HistoryFileError(f"row {number} of a table in it does not match the columns")
            return out
        return {key: untabulate(item) for key, item in value.items()}
    if isinstance(value, list):
        return [untabulate(item) for item in value]
    return value


def save(directory: Path, month: str, result: ScanResult, *, carried_forward: bool = False) -> Path:
    """Write (or replace) a month's file atomically."""
    target = Path(directory) / f"{check_month(month)}.json"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise HistoryError(f"{target.parent}: cannot create the history folder ({exc.strerror})") from exc
    meta = header(month, carried_forward)
    write_atomic(target, encode(result, month, carried_forward=carried_forward, saved_at=meta["saved_at"]))
    result.sections["history"] = meta
    return target


def checksum(doc: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of a stored document, leaving out the checksum itself."""
    copy = dict(doc)
    meta = dict(copy.get("history") or {})
    meta.pop("checksum", None)
    copy["history"] = meta
    text = json.dumps(copy, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _layout(doc: dict[str, Any]) -> str:
    """JSON with one top-level key, section key, list item or table row per
    line: small, and a month-to-month git diff shows what changed."""
    return _block(doc, 0) + "\n"


def _block(value: Any, depth: int) -> str:
    if isinstance(value, dict) and value and (depth <= 2 or TABLE in value):
        inner = ",\n".join(f"{_compact(k)}: {_block(v, depth + 1)}" for k, v in value.items())
        return "{\n" + inner + "\n}"
    if isinstance(value, list) and len(value) > 1 and depth <= 5 and isinstance(value[0], (dict, list)):
        return "[\n" + ",\n".join(_compact(item) for item in value) + "\n]"
    return _compact(value)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# -- read -------------------------------------------------------------------
def load(directory: str | Path) -> History:
    """Every readable month in ``directory`` (missing folder: no history)."""
    directory = Path(directory)
    history = History(directory)
    if not directory.is_dir():
        return history
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or path.suffix != ".json":
            continue
        month = path.stem
        if not _MONTH.match(month):
            history.problems.append(f"{path.name} skipped: its name is not a month (YYYY-MM.json)")
            continue
        try:
            entry = read_entry(path)
        except HistoryFileError as exc:
            history.problems.append(f"{path.name} skipped: {exc}")
            history.unreadable.add(month)
            continue
        history.entries.append(entry)
    history.entries.sort(key=lambda e: e.month)
    return history


def read_entry(path: Path) -> HistoryEntry:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HistoryFileError(f"cannot be read ({exc})") from exc
    return decode(text, path.stem, path)


def decode(text: str, month: str, path: Path | None = None) -> HistoryEntry:
    """Parse and check one stored month; HistoryFileError says what is wrong."""
    if re.search(r"^(<{7}|={7}|>{7})( |$)", text, re.MULTILINE):
        raise HistoryFileError("it has unresolved merge conflict markers; keep one side or rescan the month")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HistoryFileError(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from exc
    if not isinstance(doc, dict):
        raise HistoryFileError("not an archreview result (the JSON is not an object)")
    meta = doc.get("history")
    if not isinstance(meta, dict):
        raise HistoryFileError("not written by archreview --save (it has no history header)")
    if meta.get("checksum") != checksum(doc):
        raise HistoryFileError(
            "it was changed after archreview wrote it (checksum mismatch); restore it from git or rescan the month"
        )
    if meta.get("month") != month:
        raise HistoryFileError(f"it says it describes {meta.get('month')!r}, not {month}")
    doc = migrate(doc, month)
    del doc["history"]
    doc = untabulate(doc)
    for item in doc.get("files", []) if isinstance(doc.get("files"), list) else []:
        if isinstance(item, dict):
            item.setdefault("blob", "")
    _check_result(doc)
    try:
        result = ScanResult.from_dict(doc)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise HistoryFileError(f"not a valid archreview result ({type(exc).__name__}: {exc})") from exc
    result.sections["history"] = {key: meta.get(key) for key in ("month", "saved_at", "carried_forward")}
    return HistoryEntry(
        month=month,
        result=result,
        path=path or Path(f"{month}.json"),
        carried_forward=bool(meta.get("carried_forward")),
        saved_at=str(meta.get("saved_at") or ""),
    )


def migrate(doc: dict[str, Any], month: str = "") -> dict[str, Any]:
    """Bring a stored document up to SCHEMA_VERSION through MIGRATIONS, or
    say clearly why it cannot be read."""
    version = doc.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise HistoryFileError(f"schema_version {version!r} is not a version number")
    if version > SCHEMA_VERSION:
        raise HistoryFileError(
            f"written by a newer archreview (result schema {version}; this one reads up to {SCHEMA_VERSION}); "
            "upgrade archreview to read it"
        )
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            rev = doc.get("revision")
            redo = f"archreview scan --save --rev {rev} --month {month}" if rev and month else "a rescan"
            raise HistoryFileError(
                f"uses result schema {version}, which this archreview cannot read or upgrade "
                f"(it reads {SCHEMA_VERSION}); replace it with {redo}"
            )
        doc = step(doc)
        new_version = doc.get("schema_version")
        if new_version != version + 1:
            raise HistoryFileError(f"the upgrade from schema {version} went wrong (it gave {new_version!r})")
        version = new_version
    return doc


def _check_result(doc: dict[str, Any]) -> None:
    """The parts later stages rely on have the right types."""
    if not isinstance(doc.get("scanned_at"), str):
        raise HistoryFileError("not a valid archreview result (scanned_at is missing)")
    findings = doc.get("findings", [])
    if not isinstance(findings, list):
        raise HistoryFileError("not a valid archreview result (findings is not a list)")
    for number, item in enumerate(findings, start=1):
        if not isinstance(item, dict):
            raise HistoryFileError(f"finding {number} is not an object")
        for key, kind in (("rule", str), ("area", str), ("path", str), ("fingerprint", str), ("line", int), ("effort_minutes", int)):
            if not isinstance(item.get(key), kind) or isinstance(item.get(key), bool):
                raise HistoryFileError(f"finding {number} has no valid {key}")
        if item.get("severity") not in SEVERITIES:
            raise HistoryFileError(f"finding {number} has an unknown severity {item.get('severity')!r}")
    files = doc.get("files", [])
    if not isinstance(files, list) or not all(isinstance(f, dict) and isinstance(f.get("path"), str) for f in files):
        raise HistoryFileError("not a valid archreview result (files are damaged)")
