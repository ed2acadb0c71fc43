from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from gitfixture import GitFixture  # noqa: E402

SHARED_DATA = Path(os.environ.get("ARCHREVIEW_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own empty cache folder, never the user's."""
    monkeypatch.setenv("ARCHREVIEW_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch):
    """Tests run offline: a package index on a closed local port (also for
    the archreview processes tests start), and no connection from this
    process to anything but loopback. Tests of online behaviour serve their
    own fake services on loopback."""
    import ipaddress
    import socket

    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple/")
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def loopback_only(address) -> None:
        host = address[0] if isinstance(address, tuple) else None
        if host is None:
            return  # unix sockets
        try:
            if ipaddress.ip_address(host).is_loopback:
                return
        except ValueError:
            if host == "localhost":
                return
        raise OSError(f"tests run offline: connection to {host} refused")

    def connect(self, address):
        loopback_only(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        loopback_only(address)
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@pytest.fixture
def git_repo(tmp_path) -> GitFixture:
    return GitFixture(tmp_path / "repo")


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("shared test data (../shared/data) is not available")
    return SHARED_DATA
