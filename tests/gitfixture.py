"""Tiny git repositories for tests, built with real git commands and dated
commits.

    repo = GitFixture(tmp_path / "repo")
    repo.commit({"app.py": "print(1)\n"}, date="2025-01-15", author="Ann <ann@example.com>")
    repo.commit({"app.py": None}, date="2025-02-03")        # None deletes the file
    repo.rename("a.py", "b.py", date="2025-03-01")
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

DEFAULT_AUTHOR = "Dev One <dev1@example.com>"


def git_env(date: str | None = None, author: str = DEFAULT_AUTHOR) -> dict[str, str]:
    name, _, email = author.partition("<")
    env = dict(os.environ)
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(key, None)
    env.update(
        GIT_AUTHOR_NAME=name.strip(),
        GIT_AUTHOR_EMAIL=email.rstrip(">").strip(),
        GIT_COMMITTER_NAME=name.strip(),
        GIT_COMMITTER_EMAIL=email.rstrip(">").strip(),
        GIT_CONFIG_NOSYSTEM="1",
        HOME=env.get("HOME", "/tmp"),
    )
    if date:
        stamp = date if "T" in date or " " in date else f"{date}T12:00:00+00:00"
        env["GIT_AUTHOR_DATE"] = stamp
        env["GIT_COMMITTER_DATE"] = stamp
    return env


class GitFixture:
    def __init__(self, path: Path, branch: str = "main"):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", branch)
        self.git("config", "user.name", "Dev One")
        self.git("config", "user.email", "dev1@example.com")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str, date: str | None = None, author: str = DEFAULT_AUTHOR, input: bytes | None = None) -> str:
        out = subprocess.run(
            ["git", *args],
            cwd=self.path,
            env=git_env(date, author),
            input=input,
            capture_output=True,
            check=True,
        )
        return out.stdout.decode()

    def write(self, files: dict[str, str | bytes | None]) -> None:
        for rel, content in files.items():
            target = self.path / rel
            if content is None:
                if target.exists() or target.is_symlink():
                    target.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")

    def commit(
        self,
        files: dict[str, str | bytes | None] | None = None,
        *,
        date: str | None = None,
        author: str = DEFAULT_AUTHOR,
        message: str = "change",
    ) -> str:
        """Write the files, stage everything and commit. Returns the commit id."""
        if files:
            self.write(files)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, date=date, author=author)
        return self.head()

    def rename(self, old: str, new: str, *, date: str | None = None, author: str = DEFAULT_AUTHOR) -> str:
        (self.path / new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", old, new)
        self.git("commit", "-q", "-m", f"rename {old} to {new}", date=date, author=author)
        return self.head()

    def symlink(self, target: str, link: str) -> None:
        os.symlink(target, self.path / link)

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()
