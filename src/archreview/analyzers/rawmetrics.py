"""radon's raw metrics (loc, lloc, sloc, comments, multi, blank,
single_comments) in one linear pass.

``radon.raw.analyze`` strips every line, then for each line re-tokenizes a
growing buffer until the statement is complete: quadratic in a statement's
length (a 10,000-line dict literal takes minutes). The chunks it finds are
exactly the spans between top-level line ends, so one regular-expression scan
over the same stripped, ``\\n``-joined lines finds the same chunks, and each
chunk is classified with radon's rules:

* a chunk that is a single comment, or a single one-line string, is one
  ``single_comments`` line;
* a chunk that is a single multi-line string adds its non-empty lines to
  ``multi`` and its empty lines to ``blank``;
* any other chunk adds its non-empty lines to ``sloc``, empty ones to ``blank``;
* ``comments`` counts comment tokens;
* ``lloc``: per chunk, split on ``;``; a part with a ``:`` counts 2 unless the
  last ``:`` is its last token (then 1) - radon's rule, which also counts the
  colons of slices, dict literals and lambdas; a part without ``:`` counts 1 if
  it has any token.

Where radon itself goes wrong we do not follow it: it raises SyntaxError on
valid files whose lines ``str.splitlines`` cuts inside a string (form feed,
``\\u2028``...), and on Python 3.12+ its counts change with the tokenizer
(f-string parts become tokens); this module keeps Python 3.11's tokenizer
semantics on every Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PREFIX = r"(?:[rRbBuUfFtT]{1,2})?"
_STRING = (
    _PREFIX
    + r"""(?:'''[^'\\]*(?:(?:\\[\s\S]|'(?!''))[^'\\]*)*'''"""
    + r'''|"""[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*"""'''
    + r"""|'[^'\\\n]*(?:\\[\s\S][^'\\\n]*)*'"""
    + r'''|"[^"\\\n]*(?:\\[\s\S][^"\\\n]*)*")'''
)

_TOKEN = re.compile(
    r"(?P<nl>\n)"
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<string>" + _STRING + r")"
    r"|(?P<cont>\\\n)"
    r"|(?P<open>[(\[{])"
    r"|(?P<close>[)\]}])"
    r"|(?P<walrus>:=)"
    r"|(?P<colon>:)"
    r"|(?P<semi>;)"
    r"|(?P<other>[^\s#'\"\\()\[\]{}:;]+|[^\s])"
)

# Exact Python tokens, used only to count the tokens of an 'other' run.
_EXACT = re.compile(
    r"\s*(?:"
    r"(?:0[xX](?:_?[0-9a-fA-F])+|0[bB](?:_?[01])+|0[oO](?:_?[0-7])+"
    r"|(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][-+]?\d(?:_?\d)*)?[jJ]?)"
    r"|\w+"
    r"|\*\*=|//=|>>=|<<=|\.\.\.|->|\*\*|//|<<|>>|<=|>=|==|!=|[-+*/%@&|^]=|[-+*/%@&|^~<>=.,!]"
    r"|[^\s])"
)

NAMES = ("loc", "lloc", "sloc", "comments", "multi", "blank", "single_comments")


@dataclass
class RawCounts:
    loc: int = 0
    lloc: int = 0
    sloc: int = 0
    comments: int = 0
    multi: int = 0
    blank: int = 0
    single_comments: int = 0

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in NAMES}


def _token_count(text: str) -> int:
    return len(_EXACT.findall(text))


class _Part:
    """One ';'-separated part of a chunk, reduced to what radon's rule needs."""

    __slots__ = ("tokens", "after_colon", "after_colon_text", "has_colon")

    def __init__(self) -> None:
        self.tokens = 0  # significant tokens (comments and line ends excluded)
        self.has_colon = False
        self.after_colon = 0  # items after the last colon
        self.after_colon_text = ""  # the single 'other' run after the last colon, if any

    def add(self, kind: str, text: str) -> None:
        self.tokens += 1
        if kind == "colon":
            self.has_colon = True
            self.after_colon = 0
            self.after_colon_text = ""
        elif self.has_colon:
            self.after_colon += 1
            self.after_colon_text = text if kind == "other" and self.after_colon == 1 else ""

    def logical_lines(self, is_last: bool) -> int:
        if not self.has_colon:
            return 1 if self.tokens else 0
        if is_last:
            # radon: the colon is the last token before ENDMARKER -> 1, else 2
            return 1 if self.after_colon == 0 else 2
        # radon compares with len(processed) - 2 in a part that has no
        # ENDMARKER: the colon must be followed by exactly one token.
        if self.after_colon != 1:
            return 2
        if self.after_colon_text:
            return 1 if _token_count(self.after_colon_text) == 1 else 2
        return 1


def raw_counts(text: str) -> RawCounts:
    """radon.raw.analyze's counts for ``text``, in linear time."""
    lines = [line.strip() for line in text.splitlines()]
    counts = RawCounts(loc=len(lines))
    if not lines:
        return counts
    # empties[i] = number of empty lines among lines[:i]
    empties = [0] * (len(lines) + 1)
    running = 0
    for i, line in enumerate(lines):
        if not line:
            running += 1
        empties[i + 1] = running

    joined = "\n".join(lines)
    line_no = 0  # 0-based index of the current line
    chunk_start = 0
    depth = 0
    comments_in_chunk = 0
    items = 0  # significant items in the chunk
    single_string_multiline: bool | None = None  # set when the chunk's only item is a string
    parts = [_Part()]

    def close_chunk(end_line: int) -> None:
        nonlocal chunk_start, depth, comments_in_chunk, items, single_string_multiline, parts
        n_lines = end_line - chunk_start + 1
        n_empty = empties[end_line + 1] - empties[chunk_start]
        counts.comments += comments_in_chunk
        if items == 0 and comments_in_chunk == 1:
            counts.single_comments += 1
        elif items == 1 and comments_in_chunk == 0 and single_string_multiline is not None:
            if single_string_multiline:
                counts.multi += n_lines - n_empty
                counts.blank += n_empty
            else:
                counts.single_comments += 1
        else:
            counts.sloc += n_lines - n_empty
            counts.blank += n_empty
        last = len(parts) - 1
        counts.lloc += sum(part.logical_lines(i == last) for i, part in enumerate(parts))
        chunk_start = end_line + 1
        depth = 0
        comments_in_chunk = 0
        items = 0
        single_string_multiline = None
        parts = [_Part()]

    extend_once = False
    for match in _TOKEN.finditer(joined):
        kind = match.lastgroup
        if kind == "nl":
            if depth <= 0:
                if extend_once:
                    extend_once = False
                else:
                    close_chunk(line_no)
            line_no += 1
            continue
        if kind == "comment":
            comments_in_chunk += 1
            continue
        if kind == "cont":
            line_no += 1
            # A backslash continued onto an empty line: the buffer radon
            # tokenizes then ends right after the continuation, which the
            # tokenizer rejects, so radon takes one more line into the chunk.
            extend_once = joined.startswith("\n", match.end())
            continue
        if kind == "semi":
            parts.append(_Part())
            items += 1
            single_string_multiline = None
            continue
        text_ = match.group()
        if kind == "string":
            newlines = text_.count("\n")
            single_string_multiline = newlines > 0 if items == 0 else None
            line_no += newlines
        else:
            single_string_multiline = None
            if kind == "open":
                depth += 1
            elif kind == "close":
                depth -= 1
        items += 1
        parts[-1].add(kind, text_)
    if chunk_start < len(lines):
        close_chunk(len(lines) - 1)
    return counts
