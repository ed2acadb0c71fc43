"""Dependency risk: vulnerable, abandoned, far-behind, yanked and unpinned
dependencies from every Python manifest and lockfile, online or fully
offline, without installing, building or running the scanned project.

Layout (one folder per axis of variation):

* ``sources/``    - one module per manifest/lockfile format, one interface;
* ``advisories/`` - where known vulnerabilities come from (a local OSV
  database, or pip-audit's online services) and how OSV ranges match;
* ``index/``      - the package index: where it is, the JSON API client behind
  one network gate (timeouts, retries, budget, breaker), release history;
* ``coverage.py`` - which lockfile covers which manifest; include cycles;
* ``findings.py`` - the ``deps.*`` rules, severities and efforts;
* ``analyzer.py`` - the repository analyzer that ties them together.

Severity of advisories without one: **high** by default (see
``advisories/severity.py``; ``default_severity`` changes it). Efforts: see
``effort.py``. Settings: ``[tool.archreview.dependencies]`` (``settings.py``).
"""

from .analyzer import DependenciesAnalyzer

__all__ = ["DependenciesAnalyzer"]
