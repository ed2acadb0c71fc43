"""The package index: where it is, the JSON API client behind the network
gate, and what its answers say about a pin. Served by a fake index on
loopback, never the real network."""

from __future__ import annotations

import pytest

from archreview.analyzers.dependencies.index import location as location_mod
from archreview.analyzers.dependencies.index.client import IndexClient
from archreview.analyzers.dependencies.index.gate import Asker, Failed, NetworkGate
from archreview.analyzers.dependencies.index.location import IndexLocation, json_root, resolve
from archreview.analyzers.dependencies.index.releases import staleness, summarise
from archreview.analyzers.dependencies.settings import DependencySettings
from archreview.cache import Cache

DJANGO = {
    "3.2": ("2021-04-06T09:32:13Z", False),
    "3.2.1": ("2021-05-04T08:47:45Z", False),
    "3.2.2": ("2021-05-06T07:40:32Z", True),
    "4.0": ("2021-12-07T09:20:41Z", False),
    "5.0": ("2023-12-04T13:12:50Z", False),
    "5.1a1": ("2024-05-22T15:12:25Z", False),
}


def summary_of(releases):
    return summarise(
        {
            "info": {"version": "x"},
            "releases": {v: [{"upload_time_iso_8601": t, "yanked": y}] for v, (t, y) in releases.items()},
        }
    )


def test_staleness_of_a_pin():
    info = staleness(summary_of(DJANGO), "3.2.1")
    assert info.latest == "5.0"  # not the pre-release
    assert info.last_release == "2024-05-22"
    assert info.yanked is False
    assert info.behind == {"releases": 2, "days": 944, "majors": 2}  # 3.2.2 is yanked: not counted


def test_a_yanked_pin_and_a_current_pin():
    assert staleness(summary_of(DJANGO), "3.2.2").yanked is True
    current = staleness(summary_of(DJANGO), "5.0")
    assert current.behind == {"releases": 0, "days": 0, "majors": 0}
    unknown = staleness(summary_of(DJANGO), "9.9")
    assert unknown.yanked is None and unknown.behind == {"releases": 0, "days": 0, "majors": 0}


def test_newest_release_a_range_allows():
    assert staleness(summary_of(DJANGO), None, ("<4.0,>=3.2",)).newest_allowed == "3.2.1"
    assert staleness(summary_of(DJANGO), None, ()).newest_allowed == "5.0"
    assert staleness(summary_of(DJANGO), None, (">=3.2,<3.3", ">=5")).newest_allowed == "5.0"


# -- where the index is -----------------------------------------------------
@pytest.fixture
def clean_pip_env(monkeypatch, tmp_path):
    for key in ("PIP_INDEX_URL", "PIP_CERT"):
        monkeypatch.delenv(key, raising=False)
    empty = tmp_path / "pip.conf"
    empty.write_text("")
    monkeypatch.setenv("PIP_CONFIG_FILE", str(empty))
    return empty


def test_the_default_index_comes_from_pip(clean_pip_env, monkeypatch):
    monkeypatch.setattr(location_mod, "_pip_config", lambda: {})
    from pip._internal.models.index import PyPI

    found = resolve(DependencySettings())
    assert found.json_api == PyPI.pypi_url
    assert found.origin == "pip's default index"


def test_pip_index_url_and_pip_config_files(clean_pip_env, monkeypatch):
    clean_pip_env.write_text("[global]\nindex-url = https://deploy:t0ken@nexus.example/repository/pypi/simple/\n")
    found = resolve(DependencySettings())
    assert found.json_api == "https://deploy:t0ken@nexus.example/repository/pypi/pypi"
    assert found.host == "nexus.example" and found.origin == "pip's configuration"
    monkeypatch.setenv("PIP_INDEX_URL", "https://mirror.example/simple")
    assert resolve(DependencySettings()).host == "mirror.example"
    ours = resolve(DependencySettings(index_url="https://devpi.example/root/pypi/+simple/"))
    assert ours.json_api == "https://devpi.example/root/pypi/pypi" and "archreview" in ours.origin
    direct = resolve(DependencySettings(json_api_url="https://api.example/json/"))
    assert direct.json_api == "https://api.example/json"
    assert "api.example" in direct.public_hosts and direct.host == "api.example"


def test_json_root():
    assert json_root("https://idx.example/simple/", None) == "https://idx.example/pypi"
    assert (
        json_root("https://idx.example/simple", ("https://idx.example/simple", "https://idx.example/pypi"))
        == "https://idx.example/pypi"
    )
    assert json_root("https://idx.example/custom", None) == "https://idx.example/custom/pypi"


# -- the client ---------------------------------------------------------------
def client_for(url, tmp_path=None, retries=2, timeout=5.0, budget=60.0, cache=None):
    location = IndexLocation(f"{url}/pypi", "127.0.0.1", "test", True, frozenset({"127.0.0.1"}))
    gate = NetworkGate("the package index at 127.0.0.1", retries=retries, budget=budget, sleep=lambda s: None)
    return IndexClient(location, Asker(gate, timeout, cache, 3600.0, 4)), gate


def test_lookup_summaries_missing_packages_and_a_retry(fake_index):
    fake_index.project("django", DJANGO)
    fake_index.project("flaky", {"1.0": ("2020-01-01T00:00:00Z", False)})
    fake_index.routes["/pypi/flaky/json"] = [(503, {}), fake_index.routes["/pypi/flaky/json"]]
    client, gate = client_for(fake_index.url)
    found = client.lookup(["django", "flaky", "private-thing"])
    assert set(found.summaries) == {"django", "flaky"}
    assert found.missing == ["private-thing"]
    assert found.unknown == []
    assert fake_index.requests.count("/pypi/flaky/json") == 2
    assert gate.summary() is None


def test_answers_are_cached_with_a_ttl(fake_index, tmp_path):
    fake_index.project("django", DJANGO)
    cache = Cache(tmp_path / "cache")
    try:
        client, _ = client_for(fake_index.url, cache=cache)
        client.lookup(["django", "nothing-here"])
        client, _ = client_for(fake_index.url, cache=cache)
        again = client.lookup(["django", "nothing-here"])
        assert again.from_cache == 2 and "django" in again.summaries and again.missing == ["nothing-here"]
        assert len(fake_index.requests) == 2
        client.asker.ttl = 0.0  # expired: asked again
        client.lookup(["django"])
        assert len(fake_index.requests) == 3
    finally:
        cache.close()


def test_network_down_gives_up_quickly_and_says_why(closed_port):
    client, gate = client_for(f"http://127.0.0.1:{closed_port}")
    found = client.lookup([f"pkg-{n}" for n in range(30)])
    assert len(found.unknown) == 30 and not found.summaries
    assert gate.closed and "gave up" in gate.closed
    assert gate.failures < 30  # the breaker stopped the rest without asking
    assert "could not connect" in gate.summary()


def test_a_service_that_was_down_is_not_asked_again_for_a_while(closed_port, fake_index, tmp_path):
    cache = Cache(tmp_path / "cache")
    try:
        client, gate = client_for(f"http://127.0.0.1:{closed_port}", cache=cache)
        client.lookup(["django"] + [f"pkg-{n}" for n in range(5)])
        assert gate.closed.startswith("gave up")
        # the next scan (same service name) does not try: it says when it failed
        fake_index.project("django", DJANGO)
        client, gate = client_for(fake_index.url, cache=cache)
        found = client.lookup(["django"])
        assert found.unknown == ["django"] and fake_index.requests == []
        assert "not asked again for 10 minutes" in gate.summary() and "could not connect" in gate.summary()
        # once the note is older than that, the service is asked again
        cache._db.execute("UPDATE kv SET stored_at = stored_at - 601 WHERE namespace = 'deps.down'")
        client, gate = client_for(fake_index.url, cache=cache)
        assert "django" in client.lookup(["django"]).summaries and gate.summary() is None
        # a service that answered is never noted as down
        client, gate = client_for(fake_index.url, cache=cache)
        client.lookup(["django", "pkg-x"])
        assert cache.get_kv("deps.down", "the package index at 127.0.0.1", 600.0) is None
    finally:
        cache.close()


def test_a_slow_index_times_out(fake_index):
    fake_index.project("django", DJANGO)
    fake_index.delay = 1.5
    client, gate = client_for(fake_index.url, retries=0, timeout=0.3)
    found = client.lookup(["django"])
    assert found.unknown == ["django"]
    assert "no answer within 0.3 s" in gate.summary()


def test_http_errors_are_reported_without_retrying_access_denied(fake_index):
    fake_index.routes["/pypi/secret/json"] = (401, {})
    client, gate = client_for(fake_index.url)
    assert client.lookup(["secret"]).unknown == ["secret"]
    assert fake_index.requests == ["/pypi/secret/json"]
    assert "access denied" in gate.summary()


def test_the_gate_budget_stops_further_requests():
    ticks = iter([0.0, 0.0, 100.0, 200.0])
    gate = NetworkGate("svc", retries=0, budget=50.0, clock=lambda: next(ticks), sleep=lambda s: None)
    assert gate.call(lambda: 1) == 1
    with pytest.raises(Failed, match="stopped asking after 50 s"):
        gate.call(lambda: 2)
