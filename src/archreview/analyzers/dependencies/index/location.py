"""Which package index to ask, from the user's configuration.

In order: ``json_api_url`` or ``index_url`` in ``[tool.archreview.dependencies]``,
``PIP_INDEX_URL``, ``index-url`` in pip's configuration files (read by pip's
own configuration loader, so every file pip would read counts), and last the
public index as pip itself names it (``pip._internal.models.index.PyPI``).
No registry address is written in archreview.

The JSON API lives next to the simple index: ``<root>/simple`` ->
``<root>/pypi/<name>/json`` (PyPI, and mirrors such as Nexus, Artifactory and
bandersnatch that copy its layout); ``json_api_url`` sets it outright.
Credentials in a configured URL are used for requests but never shown: the
report names only the host.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from ..settings import DependencySettings
from ..sources.interface import url_host


@dataclass(frozen=True)
class IndexLocation:
    json_api: str | None  # root of the JSON API: <json_api>/<name>/json
    host: str  # for messages
    origin: str  # where the setting came from, for messages
    verify: str | bool = True  # CA bundle (pip's "cert") or True
    public_hosts: frozenset[str] = frozenset()  # this index and the public one

    def project_url(self, name: str) -> str:
        return f"{self.json_api}/{name}/json"


def _pip_default() -> tuple[str, str] | None:
    """(simple index URL, JSON API root) of the public index, as pip names it."""
    try:
        from pip._internal.models.index import PyPI
    except Exception:  # noqa: BLE001 - pip absent or reorganised
        return None
    return PyPI.simple_url.rstrip("/"), PyPI.pypi_url.rstrip("/")


def _pip_config() -> dict[str, str]:
    """pip's configuration (files and PIP_* variables), as pip reads it."""
    try:
        from pip._internal.configuration import Configuration

        configuration = Configuration(isolated=False)
        configuration.load()
        values: dict[str, str] = {}
        # newer pips yield (file, {key: value}) in load order, older ones (key, value) already merged
        for first, second in configuration.items():
            pairs = second.items() if isinstance(second, dict) else [(first, second)]
            for key, value in pairs:
                values[key.split(".", 1)[-1] if key.startswith(":env:") else key] = value
        return values
    except Exception:  # noqa: BLE001 - pip absent, or a broken pip.conf: use the defaults
        return {}


def json_root(index_url: str, default: tuple[str, str] | None) -> str:
    url = index_url.rstrip("/")
    if default and url == default[0]:
        return default[1]
    for suffix in ("/simple", "/+simple"):
        if url.endswith(suffix):
            return url[: -len(suffix)] + "/pypi"
    return url + "/pypi"


def resolve(settings: DependencySettings, environ: Mapping[str, str] | None = None) -> IndexLocation:
    environ = os.environ if environ is None else environ
    default = _pip_default()
    config = _pip_config()
    verify: str | bool = environ.get("PIP_CERT") or config.get("global.cert") or config.get("cert") or True
    public = {url_host(default[0])} if default else set()
    if settings.json_api_url:
        root, origin = settings.json_api_url.rstrip("/"), "json_api_url in [tool.archreview.dependencies]"
    else:
        index_url, origin = None, ""
        for value, where in (
            (settings.index_url, "index_url in [tool.archreview.dependencies]"),
            (environ.get("PIP_INDEX_URL"), "PIP_INDEX_URL"),
            (config.get("install.index-url"), "pip's configuration"),
            (config.get("global.index-url"), "pip's configuration"),
        ):
            if value:
                index_url, origin = value.split()[0], where
                break
        if index_url is None:
            if default is None:
                return IndexLocation(None, "", "no package index is configured and pip is not installed", verify)
            index_url, origin = default[0], "pip's default index"
        root = json_root(index_url, default)
    host = url_host(root)
    return IndexLocation(root, host, origin, verify, frozenset(public | {host}))
