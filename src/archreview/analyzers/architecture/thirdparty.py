"""Outside code the repository imports: the standard library (ignored) and
third-party packages, named by the distribution you install where the import
name differs (``import yaml`` -> PyYAML).

The mapping is a short list of well-known cases; any other import is reported
under its top-level import name, which for most packages is also the name to
install. The standard library is the running Python's list plus the modules
removed or added in the versions we support, so a result does not depend on
which Python ran the scan.
"""

from __future__ import annotations

import sys

# removed in 3.12/3.13 or added after 3.10, plus Python 2 names old code still has
_STDLIB_EXTRA = frozenset(
    {
        "asynchat", "asyncore", "distutils", "imp", "smtpd",
        "aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "lib2to3", "mailcap", "msilib",
        "nis", "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau", "telnetlib", "uu", "xdrlib",
        "tomllib",
        "__builtin__", "ConfigParser", "Queue", "StringIO", "cPickle", "cStringIO", "commands",
        "exceptions", "httplib", "HTMLParser", "sets", "Tkinter", "urllib2", "urlparse",
    }
)
STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | _STDLIB_EXTRA | {"__future__", "__main__"}

# import name (or dotted prefix) -> distribution name, where they differ
DISTRIBUTIONS = {
    "yaml": "PyYAML",
    "PIL": "Pillow",
    "sklearn": "scikit-learn",
    "skimage": "scikit-image",
    "cv2": "opencv-python",
    "bs4": "beautifulsoup4",
    "dateutil": "python-dateutil",
    "dotenv": "python-dotenv",
    "jwt": "PyJWT",
    "jose": "python-jose",
    "magic": "python-magic",
    "slugify": "python-slugify",
    "multipart": "python-multipart",
    "docx": "python-docx",
    "pptx": "python-pptx",
    "ldap": "python-ldap",
    "attr": "attrs",
    "OpenSSL": "pyOpenSSL",
    "Crypto": "pycryptodome",
    "nacl": "PyNaCl",
    "git": "GitPython",
    "github": "PyGithub",
    "MySQLdb": "mysqlclient",
    "serial": "pyserial",
    "usb": "pyusb",
    "zmq": "pyzmq",
    "graphql": "graphql-core",
    "google.protobuf": "protobuf",
    "google.cloud.storage": "google-cloud-storage",
    "google.cloud.pubsub": "google-cloud-pubsub",
    "google.auth": "google-auth",
    "googleapiclient": "google-api-python-client",
    "grpc": "grpcio",
    "rest_framework": "djangorestframework",
    "django_filters": "django-filter",
    "debug_toolbar": "django-debug-toolbar",
    "corsheaders": "django-cors-headers",
    "storages": "django-storages",
    "environ": "django-environ",
    "mptt": "django-mptt",
    "taggit": "django-taggit",
    "social_core": "social-auth-core",
    "social_django": "social-auth-app-django",
    "drf_spectacular": "drf-spectacular",
    "django_rq": "django-rq",
    "pkg_resources": "setuptools",
    "sentry_sdk": "sentry-sdk",
    "opentelemetry": "opentelemetry-api",
    "typing_extensions": "typing-extensions",
    "websocket": "websocket-client",
    "Levenshtein": "python-Levenshtein",
    "markdown": "Markdown",
    "jinja2": "Jinja2",
    "sqlalchemy": "SQLAlchemy",
    "flask": "Flask",
    "werkzeug": "Werkzeug",
    "django": "Django",
}


def is_stdlib(name: str) -> bool:
    return name.partition(".")[0] in STDLIB


def distribution_for(module: str) -> str:
    """Distribution name for an absolute import of outside code."""
    parts = module.split(".")
    for size in range(min(len(parts), 3), 0, -1):
        dist = DISTRIBUTIONS.get(".".join(parts[:size]))
        if dist is not None:
            return dist
    return parts[0]


class ThirdParty:
    """Collects third-party imports per distribution."""

    MAX_FILES = 25

    def __init__(self) -> None:
        self._files: dict[str, set[str]] = {}
        self._names: dict[str, set[str]] = {}
        self._required: set[str] = set()

    def add(self, module: str, path: str, conditional: bool) -> None:
        dist = distribution_for(module)
        self._files.setdefault(dist, set()).add(path)
        self._names.setdefault(dist, set()).add(module.partition(".")[0])
        if not conditional:
            self._required.add(dist)

    def as_list(self) -> list[dict]:
        out = []
        for dist, files in self._files.items():
            ordered = sorted(files)
            out.append(
                {
                    "name": dist,
                    "import_names": sorted(self._names[dist]),
                    "modules": len(ordered),
                    "files": ordered[: self.MAX_FILES],
                    "optional": dist not in self._required,
                }
            )
        out.sort(key=lambda d: (-d["modules"], d["name"].lower()))
        return out
