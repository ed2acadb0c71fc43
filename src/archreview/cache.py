"""SQLite cache shared by every scan on this machine.

``results``: analyzer output per ``(analyzer, analyzer version, config hash,
blob id)``. A blob analysed once - in any repository, revision or month - is
never analysed again with the same analyzer and settings.

``kv``: small keyed documents with a timestamp (package metadata, parsed
advisory databases, per-commit git statistics), for analyzers that need a
cache of their own; ``get_kv`` takes a maximum age.

Only the parent process writes. Values are zlib-compressed JSON. A cache that
cannot be opened (read-only home, corrupt file) degrades to no cache with a
note, never a failed scan.
"""

from __future__ import annotations

import json
import sqlite3
import time
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    analyzer TEXT NOT NULL,
    version TEXT NOT NULL,
    config TEXT NOT NULL,
    blob TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (analyzer, version, config, blob)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS kv (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    stored_at REAL NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (namespace, key)
) WITHOUT ROWID;
"""

BATCH = 500


def _encode(value: Any) -> bytes:
    return zlib.compress(json.dumps(value, separators=(",", ":")).encode(), 1)


def _decode(data: bytes) -> Any:
    return json.loads(zlib.decompress(data))


class Cache:
    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / "cache.sqlite3"
        self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        self._pending: list[tuple[str, str, str, str, bytes]] = []

    @classmethod
    def open(cls, directory: str | Path) -> tuple[Cache | None, str | None]:
        """(cache, None) or (None, why it could not be used)."""
        try:
            return cls(directory), None
        except (OSError, sqlite3.Error) as exc:
            return None, f"cache at {directory} could not be used ({exc}); scanned without it"

    # -- per-blob analyzer results ----------------------------------------
    def get_many(self, analyzer: str, version: str, config: str, blobs: Iterable[str]) -> dict[str, Any]:
        return self._select_many(
            "SELECT blob, data FROM results WHERE analyzer=? AND version=? AND config=? AND blob IN ({marks})",
            (analyzer, version, config),
            blobs,
        )

    def _select_many(self, sql: str, params: tuple, keys: Iterable[str]) -> dict[str, Any]:
        """``key -> document`` for the keys found, in batches; a damaged row is a miss."""
        found: dict[str, Any] = {}
        for key, data in self._rows_for(sql, params, keys):
            try:
                found[key] = _decode(data)
            except (zlib.error, ValueError):
                continue
        return found

    def _rows_for(self, sql: str, params: tuple, keys: Iterable[str]):
        """Rows of ``sql`` (with ``{marks}`` for the keys' placeholders) for
        each key once, asked in batches."""
        keys = list(dict.fromkeys(keys))
        for start in range(0, len(keys), BATCH):
            batch = keys[start : start + BATCH]
            yield from self._db.execute(sql.format(marks=",".join("?" * len(batch))), (*params, *batch))

    def put(self, analyzer: str, version: str, config: str, blob: str, value: Any) -> None:
        self._pending.append((analyzer, version, config, blob, _encode(value)))
        if len(self._pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        self._insert_many("INSERT OR REPLACE INTO results VALUES (?,?,?,?,?)", pending)

    def _insert_many(self, sql: str, rows: list[tuple]) -> None:
        """All rows in one transaction, or none (a failed write is a miss next time)."""
        try:
            self._db.execute("BEGIN")
            self._db.executemany(sql, rows)
            self._db.execute("COMMIT")
        except sqlite3.Error:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    # -- keyed documents ----------------------------------------------------
    def get_kv(self, namespace: str, key: str, max_age: float | None = None) -> Any | None:
        row = self._db.execute(
            "SELECT stored_at, data FROM kv WHERE namespace=? AND key=?", (namespace, key)
        ).fetchone()
        if row is None:
            return None
        stored_at, data = row
        if max_age is not None and time.time() - stored_at > max_age:
            return None
        try:
            return _decode(data)
        except (zlib.error, ValueError):
            return None

    def put_kv(self, namespace: str, key: str, value: Any) -> None:
        try:
            self._db.execute(
                "INSERT OR REPLACE INTO kv VALUES (?,?,?,?)", (namespace, key, time.time(), _encode(value))
            )
        except sqlite3.Error:
            pass

    def get_kv_many(self, namespace: str, keys: Iterable[str]) -> dict[str, Any]:
        """Documents stored under ``keys`` (any age); missing or damaged ones are left out."""
        return self._select_many("SELECT key, data FROM kv WHERE namespace=? AND key IN ({marks})", (namespace,), keys)

    def kv_present(self, namespace: str, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` have a document (not read)."""
        return {key for (key,) in self._rows_for("SELECT key FROM kv WHERE namespace=? AND key IN ({marks})", (namespace,), keys)}

    def prune_kv(self, namespace: str, keep: int) -> None:
        """Drop all but the ``keep`` most recently stored documents of a namespace."""
        try:
            self._db.execute(
                "DELETE FROM kv WHERE namespace=? AND key NOT IN "
                "(SELECT key FROM kv WHERE namespace=? ORDER BY stored_at DESC LIMIT ?)",
                (namespace, namespace, keep),
            )
        except sqlite3.Error:
            pass

    def put_kv_many(self, namespace: str, items: dict[str, Any]) -> None:
        """Store many documents in one transaction."""
        if not items:
            return
        now = time.time()
        rows = [(namespace, key, now, _encode(value)) for key, value in items.items()]
        self._insert_many("INSERT OR REPLACE INTO kv VALUES (?,?,?,?)", rows)

    def close(self) -> None:
        self.flush()
        self._db.close()
