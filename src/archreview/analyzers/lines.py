"""Line numbers of offsets in a text, for analyzers that search the whole text
with regular expressions and report the line of each match."""

from __future__ import annotations

import bisect
import re


class LineFinder:
    """The 1-based line of a character offset: a binary search in the offsets
    where lines start (listed on the first lookup), where counting the
    newlines before every match would cost time quadratic in the file's size.
    Lines end at ``\\n`` only."""

    def __init__(self, text: str):
        self._text = text
        self._starts: list[int] | None = None

    def line(self, offset: int) -> int:
        if self._starts is None:
            self._starts = [m.end() for m in re.finditer("\n", self._text)]
        return bisect.bisect_right(self._starts, offset) + 1
