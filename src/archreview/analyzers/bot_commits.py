"""The newest commit by one of some authors (an update bot) in the year
before the scanned revision: evidence that leaves no file in the repository
(Dependabot switched on in the hosting settings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..gitrepo import GitRepo

WINDOW_DAYS = 365


@dataclass(frozen=True)
class BotCommit:
    id: str
    author: str
    date: str  # YYYY-MM-DD

    def label(self) -> str:
        return f"commit {self.id[:12]} by {self.author} on {self.date}"


def newest_commit_by(snapshot, authors: list[str]) -> BotCommit | None:
    """None for a plain folder, no such commit, or a git error."""
    if snapshot.kind == "directory" or not snapshot.revision or not authors:
        return None
    args = ["log", "-1", "--no-show-signature", "--regexp-ignore-case", "--fixed-strings", "--format=%H%x1f%aN%x1f%cs"]
    if snapshot.revision_date:
        try:
            end = datetime.fromisoformat(snapshot.revision_date.replace("Z", "+00:00"))
        except ValueError:
            end = None
        if end is not None:
            args.append(f"--since={(end - timedelta(days=WINDOW_DAYS)).isoformat()}")
    args += [f"--author={author}" for author in authors]
    repo = GitRepo(snapshot.root)
    try:
        proc = repo.run(*args, snapshot.revision, "--")
    finally:
        repo.close()
    if proc.returncode != 0:
        return None
    parts = proc.stdout.decode("utf-8", "replace").strip().split("\x1f")
    if len(parts) != 3 or not parts[0]:
        return None
    return BotCommit(*parts)
