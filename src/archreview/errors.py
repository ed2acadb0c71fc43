"""Errors that end a command with one clear line on stderr."""

from __future__ import annotations

EXIT_OK = 0
EXIT_GATE_FAILED = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C


class ArchreviewError(Exception):
    """A problem the user can fix; printed as one line, exit code 2."""

    exit_code = EXIT_ERROR


class RepositoryError(ArchreviewError):
    """The repository or revision cannot be scanned."""


class ConfigError(ArchreviewError):
    """The configuration is invalid."""


class Stopped(Exception):
    """A step running beside the scan was asked to stop, because the scan is
    being abandoned (interrupted, or failed); nothing to report."""
