"""Effort estimates and the founder sentences of the deps.* findings."""

from __future__ import annotations

from datetime import date

import pytest
import textstat

from archreview.analyzers.dependencies import effort, findings
from archreview.analyzers.dependencies.findings import Row
from archreview.analyzers.dependencies.model import KIND_LOCK, Declared, Staleness, Vuln


@pytest.mark.parametrize(
    ("current", "target", "kind", "minutes"),
    [
        ("3.2.0", "3.2.5", "patch", 30),
        ("3.2.0", "3.3", "minor", 120),
        ("3.2.0", "4.0.1", "major", 480),
        ("1.4", "4.0", "major", 1440),
        ("1.0", "9.0", "major", 1440),  # capped at three days
        ("0.4.2", "0.5.0", "major", 480),  # 0.x: a new minor version may break anything
        ("0.4.2", "0.4.9", "patch", 30),
        ("2022.12.7", "2024.8.30", "minor", 120),  # calendar versions
        ("3.2.0", None, "unknown", 120),
    ],
)
def test_upgrade_effort(current, target, kind, minutes):
    found = effort.upgrade(current, target)
    assert (found.kind, found.minutes) == (kind, minutes)


def entry(name="django", version="3.2.0", path="poetry.lock", line=10, kind=KIND_LOCK, spec=None, group="main"):
    return Declared(
        name=name,
        spec=spec if spec is not None else f"=={version}",
        source_file=path,
        line=line,
        version=version if spec is None else None,
        kind=kind,
        group=group,
    )


def vuln(id, fixed=("3.2.5",), severity="high"):
    return Vuln(id=id, aliases=(), fixed_in=fixed, severity=severity, severity_from="cvss", summary="a flaw")


def test_one_vulnerable_version_in_several_files_is_one_finding_per_advisory():
    vulns = [vuln("PYSEC-1", ("3.2.5",)), vuln("PYSEC-2", ("3.2.10",), "critical")]
    rows = [
        Row(entry(), audited_version="3.2.0", vulns=vulns),
        Row(entry(path="requirements.txt", line=3, kind="manifest"), audited_version="3.2.0", vulns=vulns),
    ]
    found = findings.vulnerable(rows)
    assert [(f.path, f.line, f.basis, f.severity) for f in found] == [
        ("poetry.lock", 10, "django PYSEC-1", "high"),
        ("poetry.lock", 10, "django PYSEC-2", "critical"),
    ]
    assert found[0].extra["source_files"] == ["poetry.lock", "requirements.txt"]
    assert sum(f.effort_minutes for f in found) == 30  # one patch bump to 3.2.10 fixes both


def test_a_vulnerability_without_a_fix():
    (found,) = findings.vulnerable([Row(entry(), audited_version="3.2.0", vulns=[vuln("PYSEC-3", ())])])
    assert found.effort_minutes == effort.NO_FIX_MINUTES and "no fixed release exists" in found.plain


def test_staleness_findings():
    stale = Staleness(
        latest="5.0", behind={"releases": 12, "days": 900, "majors": 2}, last_release="2020-01-01", yanked=True
    )
    row = Row(entry(), stale=stale)
    assert findings.outdated([row], 1, 730, 3)[0].effort_minutes == 960
    assert findings.yanked([row])[0].severity == "medium"
    assert findings.abandoned([row], date(2025, 6, 1), 2)[0].extra["last_release"] == "2020-01-01"
    assert findings.abandoned([row], date(2021, 6, 1), 2) == []
    quiet = Row(
        entry("six", "1.16.0"), stale=Staleness(latest="1.17.0", behind={"releases": 1, "days": 1300, "majors": 0})
    )
    assert findings.outdated([quiet], 1, 730, 3) == []  # one late release is not "far behind"


def test_unpinned_is_low_in_main_and_info_elsewhere():
    rows = [
        Row(entry("flask", path="requirements.txt", kind="manifest", spec=">=2")),
        Row(entry("pytest", path="requirements-dev.txt", kind="manifest", spec=">=7", group="dev")),
        Row(entry("celery", path="pyproject.toml", kind="manifest", spec=">=5"), covered=True, locked=True),
        Row(entry("redis", path="base.txt", kind="manifest", spec=">=4"), covered=True, lockfiles=("requirements.txt",)),
    ]
    found = findings.unpinned(rows)
    assert [(f.basis, f.severity) for f in found] == [("flask", "low"), ("pytest", "info"), ("redis", "low")]
    assert "the lockfile requirements.txt covers this file but leaves the package out" in found[2].message


def test_founder_sentences_are_plain():
    stale = Staleness(
        latest="5.0", behind={"releases": 12, "days": 900, "majors": 2}, last_release="2019-01-01", yanked=True
    )
    row = Row(entry(), stale=stale, audited_version="3.2.0", vulns=[vuln("PYSEC-1")])
    unpinned = Row(entry("flask", path="requirements.txt", kind="manifest", spec=">=2"))
    produced = (
        findings.vulnerable([row])
        + findings.yanked([row])
        + findings.abandoned([row], date(2025, 6, 1), 2)
        + findings.outdated([row], 1, 730, 3)
        + findings.unpinned([unpinned])
        + findings.no_lockfile([("", unpinned, False, False)])
    )
    assert {f.rule for f in produced} == {
        "deps.vulnerable",
        "deps.yanked",
        "deps.abandoned",
        "deps.outdated",
        "deps.unpinned",
        "deps.no-lockfile",
    }
    for finding in produced:
        assert finding.plain.endswith(".") and finding.plain.count(". ") == 0  # one sentence
        assert textstat.flesch_reading_ease(finding.plain) >= 50, finding.plain
        assert finding.area == "dependencies"
