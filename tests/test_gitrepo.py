"""The git layer: safe environment, trees, blobs."""

from __future__ import annotations

import threading

from archreview.gitrepo import GitRepo, safe_git_env


def test_stopping_a_blob_stream_early_does_not_hang(git_repo):
    """Closing the stream while git still has much to send (its output pipe
    full, our feeder blocked writing ids) must end promptly."""
    files = {f"data/f{i}.txt": ("x" * 4000 + str(i)) for i in range(300)}
    git_repo.commit(files)
    repo = GitRepo(git_repo.path)
    oids = [git_repo.git("rev-parse", f"HEAD:{path}").strip() for path in list(files)[:50]] * 2000
    done = threading.Event()

    def read_two_then_stop():
        stream = repo.iter_blobs(oids)
        next(stream)
        next(stream)
        stream.close()
        done.set()

    worker = threading.Thread(target=read_two_then_stop, daemon=True)
    worker.start()
    worker.join(timeout=20)
    repo.close()
    assert done.is_set(), "iter_blobs did not stop"


def test_blobs_in_order_and_missing_ones(git_repo):
    git_repo.commit({"a.txt": "alpha\n", "b.txt": "beta\n"})
    repo = GitRepo(git_repo.path)
    a = git_repo.git("rev-parse", "HEAD:a.txt").strip()
    b = git_repo.git("rev-parse", "HEAD:b.txt").strip()
    missing = "0" * 40
    got = list(repo.iter_blobs([b, missing, a]))
    repo.close()
    assert got == [(b, b"beta\n"), (missing, None), (a, b"alpha\n")]


def test_safe_environment_disables_repository_programs():
    env = safe_git_env({})
    pairs = {env[f"GIT_CONFIG_KEY_{i}"]: env[f"GIT_CONFIG_VALUE_{i}"] for i in range(int(env["GIT_CONFIG_COUNT"]))}
    assert pairs["core.fsmonitor"] == "false"
    assert pairs["diff.external"] == ""
    assert env["GIT_OPTIONAL_LOCKS"] == "0"


def test_a_stoppable_command_is_killed_when_asked_to_stop(git_repo):
    from archreview.errors import Stopped

    git_repo.commit({"a.py": "x = 1\n"})
    repo = GitRepo(git_repo.path)
    stop = threading.Event()
    try:
        assert repo.run("rev-parse", "HEAD", stop=stop).returncode == 0  # not stopped: a normal result
        # a command that outlasts several checks gets all its input and gives all its output
        data = b"".join(b"%06d commit\n" % n for n in range(20000))
        slow = repo.run("-c", "alias.slowcat=!sleep 0.7; cat", "slowcat", input=data, stop=stop)
        assert slow.returncode == 0 and slow.stdout == data
        timer = threading.Timer(0.3, stop.set)
        timer.start()
        try:
            repo.run("-c", "alias.pause=!sleep 3", "pause", stop=stop)
        except Stopped:
            pass
        else:
            raise AssertionError("the command ran to its end although it was asked to stop")
        finally:
            timer.cancel()
        try:  # already stopped: nothing starts
            repo.run("rev-parse", "HEAD", stop=stop)
        except Stopped:
            pass
        else:
            raise AssertionError("a command started after the stop")
    finally:
        repo.close()


def test_blob_listing_is_the_same_with_and_without_git_leaving_out_trees(git_repo):
    """git 2.32+ lists only blobs (``--filter=object:type=blob``); an older
    git lists every object and the non-blobs are dropped here: same answer."""
    git_repo.commit({"a.py": "x = 1\n", "docs/b.md": "b\n"}, date="2025-01-01")
    git_repo.commit({"a.py": "x = 2\n", "docs/c.md": "c\n"}, date="2025-02-01")
    git_repo.commit({"docs/b.md": None}, date="2025-03-01")
    repo = GitRepo(git_repo.path)
    try:
        assert repo.version() >= (2, 32)
        filtered = list(repo.reachable_blobs("HEAD"))
        repo._version = (2, 20)
        assert list(repo.reachable_blobs("HEAD")) == filtered
    finally:
        repo.close()
    assert sorted(path for _oid, _size, path in filtered) == ["a.py", "a.py", "docs/b.md", "docs/c.md"]


def test_a_streamed_command_gives_all_its_output_in_blocks_and_stops_when_asked(git_repo, monkeypatch):
    import time

    from archreview.errors import Stopped
    from archreview.gitrepo import Streamed

    git_repo.commit({"a.py": "x = 1\n"})
    repo = GitRepo(git_repo.path)
    monkeypatch.setattr(Streamed, "BLOCK", 4096)
    stop = threading.Event()
    try:
        data = b"".join(b"%06d commit\n" % n for n in range(50000))  # more than a pipe holds, both ways
        streamed = repo.stream("-c", "alias.slowcat=!sleep 0.5; cat", "slowcat", input=data, stop=stop)
        blocks = list(streamed)
        assert b"".join(blocks) == data and len(blocks) > 1 and max(map(len, blocks)) <= 4096
        assert streamed.returncode == 0 and streamed.stderr == b""
        failed = repo.stream("rev-parse", "--verify", "no-such-branch")
        assert list(failed) == [] and failed.returncode != 0 and failed.stderr
        timer = threading.Timer(0.3, stop.set)
        timer.start()
        started = time.monotonic()
        try:
            list(repo.stream("-c", "alias.pause=!sleep 3", "pause", stop=stop))
        except Stopped:
            assert time.monotonic() - started < 2
        else:
            raise AssertionError("the command ran to its end although it was asked to stop")
        finally:
            timer.cancel()
    finally:
        repo.close()


def test_a_patch_read_in_small_blocks_parses_like_one_read_whole(git_repo, monkeypatch):
    from archreview.analyzers.activity import gitlog
    from archreview.gitrepo import Streamed

    for day in range(1, 8):
        git_repo.commit({f"m{day % 3}.py": "".join(f"line {day} {n}\n" for n in range(day * 40)), "n.txt": f"{day}\n"}, date=f"2025-01-{day:02d}")
    repo = GitRepo(git_repo.path)
    try:
        commits = gitlog.list_commits(repo, "HEAD")
        whole = gitlog.file_changes(repo, commits, None, jobs=1)
        monkeypatch.setattr(Streamed, "BLOCK", 7)  # commits and headers cut anywhere
        assert gitlog.file_changes(repo, commits, None, jobs=1) == whole
        assert sum(len(entries) for entries in whole.values()) == 7
    finally:
        repo.close()
