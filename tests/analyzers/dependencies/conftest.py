"""Fakes for the dependency analysis tests: a package index (JSON API) and an
OSV query service, each an http.server on loopback in a thread, and a guard
that records every attempt to open a network connection."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class FakeServer:
    """Answers from ``routes``: path -> (status, body) or a list of them, served in turn."""

    def __init__(self):
        self.routes: dict[str, object] = {}
        self.osv: dict[tuple[str, str], list[dict]] = {}
        self.requests: list[str] = []
        self.delay = 0.0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _send(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802
                server.requests.append(self.path)
                if server.delay:
                    time.sleep(server.delay)
                answer = server.routes.get(self.path)
                if isinstance(answer, list):
                    answer = answer.pop(0) if len(answer) > 1 else answer[0]
                if answer is None:
                    self._send(404, {"message": "Not Found"})
                else:
                    self._send(*answer)

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                query = json.loads(self.rfile.read(length) or b"{}")
                server.requests.append(f"POST {self.path} {query['package']['name']} {query['version']}")
                vulns = server.osv.get((query["package"]["name"], query["version"]), [])
                self._send(200, {"vulns": vulns} if vulns else {})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def project(self, name: str, releases: dict[str, tuple[str, bool]], latest: str | None = None) -> None:
        """releases: version -> (upload time ISO, yanked)."""
        body = {
            "info": {"name": name, "version": latest or max(releases, key=lambda v: releases[v][0])},
            "releases": {
                version: [{"upload_time_iso_8601": when, "yanked": yanked, "filename": f"{name}-{version}.tar.gz"}]
                for version, (when, yanked) in releases.items()
            },
        }
        self.routes[f"/pypi/{name}/json"] = (200, body)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(autouse=True)
def _loopback_without_proxy(monkeypatch):
    """Requests to the fakes on loopback must not go through a configured proxy."""
    for key in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(key, "127.0.0.1,localhost")


@pytest.fixture
def fake_index():
    server = FakeServer()
    yield server
    server.close()


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (connections are refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture
def no_network(monkeypatch):
    """Record and refuse every outgoing connection made in this process."""
    attempts: list[object] = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("network use is not allowed in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))
    return attempts
