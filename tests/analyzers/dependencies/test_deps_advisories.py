"""The local OSV advisory database and its matcher, against the real PyPA
advisory snapshot in shared data and small hand-made databases."""

from __future__ import annotations

import json
import os

import pytest
import yaml
from packaging.version import InvalidVersion, Version

from archreview.analyzers.dependencies.advisories import local_db, osv
from archreview.analyzers.dependencies.advisories.local_db import LocalDatabase
from archreview.cache import Cache
from archreview.errors import ArchreviewError


def _v(text):
    try:
        return Version(text)
    except InvalidVersion:
        return None


def independent_ids(db_root, package: str, version: str) -> set[str]:
    """Walk the package's YAML files: an advisory applies when the version is
    in its ``versions`` list or between an ``introduced`` and the next
    ``fixed`` of an ECOSYSTEM range (the PyPA files list them in pairs)."""
    wanted = Version(version)
    found = set()
    folder = db_root / "vulns" / package
    for path in sorted(folder.glob("*.yaml")):
        record = yaml.safe_load(path.read_text())
        if record.get("withdrawn"):
            continue
        for affected in record["affected"]:
            if affected["package"]["name"].lower() != package:
                continue
            if any(_v(v) == wanted for v in affected.get("versions", [])):
                found.add(record["id"])
            for rng in affected.get("ranges", []):
                if rng["type"] != "ECOSYSTEM":
                    continue
                low = None
                for event in rng["events"]:
                    if "introduced" in event:
                        low = Version("0") if event["introduced"] == "0" else Version(event["introduced"])
                    elif "fixed" in event and low is not None:
                        if low <= wanted < Version(event["fixed"]):
                            found.add(record["id"])
                        low = None
                if low is not None and wanted >= low:  # introduced with no fix yet
                    found.add(record["id"])
    return found


@pytest.fixture
def pypa_db(shared_data):
    return shared_data / "pypa-advisory-database"


@pytest.fixture(scope="module")
def pypa_cache(tmp_path_factory):
    """One cache for this module: the snapshot is parsed once (seconds), then read from it."""
    c = Cache(tmp_path_factory.mktemp("advisory-cache"))
    yield c
    c.close()


@pytest.fixture
def pypa(pypa_db, pypa_cache):
    return LocalDatabase.open(pypa_db, pypa_cache, "high")


@pytest.fixture
def cache(tmp_path):
    c = Cache(tmp_path / "cache")
    yield c
    c.close()


@pytest.mark.parametrize(
    ("package", "version"),
    [("django", "3.2.0"), ("django", "4.2.1"), ("jinja2", "2.10"), ("pyyaml", "5.3"), ("requests", "2.25.1")],
)
def test_pinned_versions_get_exactly_the_advisories_the_snapshot_lists(pypa_db, pypa, package, version):
    expected = independent_ids(pypa_db, package, version)
    found = pypa.match(package, version)
    reported = {v.id for v in found}
    named = reported | {a for v in found for a in v.aliases}
    assert reported <= expected
    assert expected <= named  # advisories that alias one another are merged into one
    if package == "django":
        assert len(expected) >= 10


def test_django_320_advisories_carry_fixes_above_the_pin(pypa):
    found = pypa.match("django", "3.2.0")
    assert found
    for vuln in found:
        assert all(Version(f) > Version("3.2.0") for f in vuln.fixed_in)
        assert vuln.severity in ("critical", "high", "medium", "low", "info")
    sql = next(v for v in found if v.id == "PYSEC-2021-109")
    assert "CVE-2021-35042" in sql.aliases and sql.fixed_in[0] == "3.2.5"


def test_a_fixed_release_is_clean(pypa_db, pypa):
    db = pypa
    assert independent_ids(pypa_db, "urllib3", "2.2.3") == set()
    assert db.match("urllib3", "2.2.3") == []
    assert db.match("no-such-package-anywhere", "1.0") == []


def test_the_parsed_database_is_cached_and_reused(pypa_db, pypa_cache, pypa, monkeypatch):
    first = pypa  # parsed (or read back) once for this module

    def must_not_parse(path, data):
        raise AssertionError(f"parsed {path} again")

    monkeypatch.setattr(local_db, "parse_record", must_not_parse)
    second = LocalDatabase.open(pypa_db, pypa_cache, "high")
    assert second.from_cache
    assert [v.id for v in second.match("django", "3.2.0")] == [v.id for v in first.match("django", "3.2.0")]


def test_parsing_only_the_files_naming_the_packages_gives_the_full_parse_s_answer(pypa_db):
    entries = local_db.listing(pypa_db)
    full = local_db.build_index(pypa_db, entries)["packages"]
    names = sorted(full)
    sample = names[::15] + [n for n in names if "-" in n][::10] + ["django", "pyyaml", "no-such-package"]
    lazy = local_db.build_index(pypa_db, entries, sample)["packages"]
    assert set(lazy) == set(sample)
    for name in sample:
        assert lazy[name] == full.get(name, []), name
    assert sum(len(lazy[n]) for n in sample) > 100


def test_only_files_that_name_an_audited_package_are_parsed(tmp_path, cache, monkeypatch):
    folder = write_db(
        tmp_path / "osv",
        [record("PYSEC-2099-1", "Demo_Pkg", [{"introduced": "0"}]), record("PYSEC-2099-2", "other", [{"introduced": "0"}])],
        suffix=".yaml",
    )
    (folder / "broken-elsewhere.yaml").write_text("id: [unclosed\n")
    parsed = []
    real = local_db.parse_record
    monkeypatch.setattr(local_db, "parse_record", lambda path, data: parsed.append(path.name) or real(path, data))
    db = LocalDatabase.open(folder, cache, "high")
    result = db.audit([("demo-pkg", "1.0")])
    assert parsed == ["PYSEC-2099-1.yaml"]
    assert [v.id for v in result.vulns[("demo-pkg", "1.0")]] == ["PYSEC-2099-1"]
    assert not any("could not be read" in n for n in result.notes)  # the broken file names no audited package
    again = LocalDatabase.open(folder, cache, "high")
    assert again.from_cache and again.match("demo-pkg", "1.0")
    assert parsed == ["PYSEC-2099-1.yaml"]  # covered by the cache
    assert [v.id for v in again.match("other", "1.0")] == ["PYSEC-2099-2"]  # a new package: its file only
    assert parsed == ["PYSEC-2099-1.yaml", "PYSEC-2099-2.yaml"]


# -- small hand-made databases ------------------------------------------------
def write_db(folder, records, suffix=".json"):
    folder.mkdir(parents=True, exist_ok=True)
    for record in records:
        target = folder / f"{record['id']}{suffix}"
        target.write_text(json.dumps(record) if suffix == ".json" else yaml.safe_dump(record))
    return folder


def record(id, name, events=None, versions=None, **extra):
    affected = {"package": {"name": name, "ecosystem": "PyPI"}}
    if events is not None:
        affected["ranges"] = [{"type": "ECOSYSTEM", "events": events}]
    if versions is not None:
        affected["versions"] = versions
    return {"id": id, "summary": f"flaw {id}", "affected": [affected], **extra}


def test_osv_range_evaluation():
    def hit(events, version):
        return osv.in_range(Version(version), [[k, v] for e in events for k, v in e.items()])

    simple = [{"introduced": "0"}, {"fixed": "1.1"}]
    assert hit(simple, "1.0.9") and not hit(simple, "1.1") and not hit(simple, "2.0")
    two = [{"introduced": "2.0"}, {"fixed": "2.2.5"}, {"introduced": "3.0"}, {"fixed": "3.0.2"}]
    assert (
        not hit(two, "1.9") and hit(two, "2.1") and not hit(two, "2.2.5") and hit(two, "3.0.1") and not hit(two, "3.1")
    )
    unsorted = [{"fixed": "3.0.2"}, {"introduced": "3.0"}, {"fixed": "2.2.5"}, {"introduced": "2.0"}]
    assert hit(unsorted, "2.1") and not hit(unsorted, "2.9")
    last = [{"introduced": "1.0"}, {"last_affected": "1.4"}]
    assert hit(last, "1.4") and not hit(last, "1.4.1")
    assert hit([{"introduced": "1.0"}], "99.0")  # no fix yet
    assert hit(simple, "1.1rc1")  # a pre-release of the fix is still affected
    assert hit([{"introduced": "0"}, {"fixed": "not a version"}], "5.0")  # unreadable event ignored


def test_json_database_severity_aliases_and_withdrawn(tmp_path, cache):
    folder = write_db(
        tmp_path / "osv",
        [
            record("PYSEC-2099-1", "Demo_Pkg", [{"introduced": "0"}, {"fixed": "1.4.2"}], aliases=["CVE-2099-1"]),
            record(
                "GHSA-aaaa-bbbb-cccc",
                "demo-pkg",
                [{"introduced": "1.0"}, {"fixed": "1.4.3"}],
                aliases=["CVE-2099-1"],
                severity=[{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
            ),
            record("GHSA-dddd-eeee-ffff", "demo-pkg", versions=["1.3.0"], database_specific={"severity": "MODERATE"}),
            record("PYSEC-2099-2", "demo-pkg", [{"introduced": "0"}], withdrawn="2099-01-01T00:00:00Z"),
            record("PYSEC-2099-3", "other", [{"introduced": "0"}]),
            {"id": "NPM-1", "affected": [{"package": {"name": "demo-pkg", "ecosystem": "npm"}, "versions": ["1.3.0"]}]},
        ],
    )
    (folder / "broken.json").write_text('{"id": "PYSEC-2099-7", "affected": [{"package": {"name": "Demo.Pkg"')
    db = LocalDatabase.open(folder, cache, "high")
    found = db.match("demo-pkg", "1.3")
    assert [v.id for v in found] == ["PYSEC-2099-1", "GHSA-dddd-eeee-ffff"]
    merged = found[0]
    assert set(merged.aliases) == {"CVE-2099-1", "GHSA-aaaa-bbbb-cccc"}
    assert merged.severity == "critical" and merged.severity_from == "cvss"
    assert merged.fixed_in == ("1.4.2", "1.4.3")
    assert found[1].severity == "medium" and found[1].severity_from == "advisory"
    assert db.match("demo-pkg", "1.4.3") == []
    result = db.audit([("demo-pkg", "1.3"), ("demo-pkg", "not-a-version")])
    assert ("demo-pkg", "1.3") in result.vulns and ("demo-pkg", "not-a-version") not in result.vulns
    assert any("not PEP 440" in n for n in result.notes)
    assert any("1 files of the advisory database could not be read" in n for n in result.notes)


def test_default_severity_applies_to_unscored_advisories(tmp_path):
    folder = write_db(tmp_path / "osv", [record("PYSEC-2099-9", "demo", [{"introduced": "0"}])], suffix=".yaml")
    assert LocalDatabase.open(folder, None, "high").match("demo", "1.0")[0].severity == "high"
    low = LocalDatabase.open(folder, None, "low").match("demo", "1.0")[0]
    assert low.severity == "low" and low.severity_from == "default"


def test_a_changed_database_is_parsed_again(tmp_path, cache):
    folder = write_db(tmp_path / "osv", [record("PYSEC-2099-1", "demo", [{"introduced": "0"}, {"fixed": "2.0"}])])
    assert LocalDatabase.open(folder, cache, "high").match("demo", "1.0")
    assert LocalDatabase.open(folder, cache, "high").from_cache
    write_db(folder, [record("PYSEC-2099-1", "demo", [{"introduced": "0"}, {"fixed": "0.5"}])])
    os.utime(folder / "PYSEC-2099-1.json", ns=(1, 1))
    reopened = LocalDatabase.open(folder, cache, "high")
    assert not reopened.from_cache
    assert reopened.match("demo", "1.0") == []


def test_a_missing_or_empty_database_stops_the_command(tmp_path):
    with pytest.raises(ArchreviewError, match="no such folder"):
        LocalDatabase.open(tmp_path / "nowhere", None, "high")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ArchreviewError, match="no OSV advisories"):
        LocalDatabase.open(tmp_path / "empty", None, "high")
