"""raw_counts must equal radon.raw.analyze wherever radon gives an answer."""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path

import pytest
from radon.raw import analyze

from archreview.analyzers.rawmetrics import raw_counts

SNIPPETS = {
    "empty": "",
    "blank lines": "\n\n\n",
    "one statement": "x = 1\n",
    "no trailing newline": "x = 1",
    "comment only": "# hello\n",
    "inline comment": "x = 1  # set x\n",
    "docstring module": '"""Module docstring."""\n\nimport os\n',
    "multi-line docstring with blank line": 'def f():\n    """First line.\n\n    More text.\n    """\n    return 1\n',
    "string then comment is code": '"""doc"""  # note\n',
    "implicit concatenation is code": '"a" "b"\n',
    "multi-line string assignment": 'x = """\nabc\n\ndef\n"""\n',
    "bracket continuation": "x = [\n    1,\n\n    2,  # two\n]\n",
    "backslash continuation": "x = 1 + \\\n    2\n",
    "compound on one line": "if x: y = 1\n",
    "colon at end": "if x:\n    pass\n",
    "semicolons": "a = 1; b = 2; c = 3\n",
    "semicolon with slice": "a = b[1:]; c = 2\n",
    "semicolon with slice two tokens": "a = b[1:x.y]; c = 2\n",
    "semicolon then colon": "x = 1; y = {1: 2}\n",
    "trailing semicolon": "x = 1;\n",
    "semicolon comment": "x = 1; # c\n",
    "dict literal counts twice": "d = {'a': 1}\n",
    "lambda": "f = lambda x: x + 1\n",
    "walrus": "if (n := 10) > 5:\n    pass\n",
    "annotations": "def f(x: int = 1) -> int:\n    return x\n",
    "decorator": "@dec\ndef f():\n    pass\n",
    "prefixed strings": 'x = rb"\\d"\ny = f"{x!r:>10}"\nz = u"a"\n',
    "raw docstring": 'def f():\n    r"""Raw \\d docstring\n    two\n    """\n',
    "escaped quotes": "x = 'it\\'s'\ny = \"say \\\"hi\\\"\"\n",
    "string with hash": "x = '# not a comment'\n",
    "triple quote containing quotes": "x = '''a ' b '' c'''\n",
    "class body": "class A(B):\n    x: int = 1\n\n    def m(self):\n        return {k: v for k, v in self.items()}\n",
    "nested brackets with comments": "call(\n    a,  # first\n    # alone\n    b=[1, 2],\n)\n",
    "continuation string": "x = 'abc\\\ndef'\n",
    "numbers": "x = 1.5e-3 + 0x1F + 1_000j\n",
    "else colon": "try:\n    x = 1\nexcept ValueError as e:\n    pass\nelse:\n    y = 2\nfinally: z = 3\n",
    "match": "match x:\n    case {'a': 1}:\n        pass\n    case _:\n        pass\n",
    "tabs and spaces": "def f():\n\tif x:\n\t\treturn 1\n",
    "crlf": "x = 1\r\n# c\r\n\r\ny = 2\r\n",
    "ellipsis": "def f(): ...\n",
    "semicolon after compound colon": "if x: a = 1; b = d[1:2]\n",
    "continuation onto an empty line": 'x = ("a"\n"b")\ny = "c"\\\n\n# comment after\nz = 1\n',
    "continuation onto an empty line then bracket": 'y = "c"\\\n\nz = [\n1]\n',
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_snippet_matches_radon(name):
    source = SNIPPETS[name]
    assert raw_counts(source).as_dict() == analyze(source)._asdict(), name


def _stdlib_files():
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    names = [
        "argparse.py",
        "textwrap.py",
        "json/decoder.py",
        "json/encoder.py",
        "email/utils.py",
        "http/client.py",
        "logging/__init__.py",
        "dataclasses.py",
        "string.py",
        "configparser.py",
        "ast.py",
        "functools.py",
    ]
    return [stdlib / n for n in names if (stdlib / n).is_file()]


@pytest.mark.parametrize("path", _stdlib_files(), ids=lambda p: p.name)
def test_real_files_match_radon(path):
    source = path.read_text(encoding="utf-8")
    ast.parse(source)
    assert raw_counts(source).as_dict() == analyze(source)._asdict()


def test_long_statement_is_linear():
    """A 20,000-line literal: radon re-tokenizes the growing statement for
    every line (minutes); one pass must give the obvious answer."""
    body = "".join(f"    'k{i}': {i},\n" for i in range(20_000))
    source = "DATA = {\n" + body + "}\n"
    counts = raw_counts(source)
    assert counts.loc == 20_002
    assert counts.sloc == 20_002
    assert counts.lloc == 2  # radon counts a statement with a ':' as two logical lines


def test_form_feed_line_split_is_counted_like_radon():
    """str.splitlines cuts at a form feed; radon counts the extra empty line
    and so do we (loc follows radon's definition, not the editor's)."""
    source = "x = 1\n\x0c\ny = 2\n"
    assert raw_counts(source).as_dict() == analyze(source)._asdict()
    assert raw_counts(source).loc == 4


def test_form_feed_inside_string_where_radon_fails():
    """A form feed inside a string literal: splitlines cuts the string in two,
    radon's tokenizer never completes the statement and it raises
    SyntaxError on a valid file. We do not copy that bug; the file is
    counted as its lines, each piece as one logical line."""
    source = "x = 'a\x0cb'\ny = 2\n"
    ast.parse(source)
    with pytest.raises(SyntaxError):
        analyze(source)
    counts = raw_counts(source)
    assert counts.loc == 3
    assert counts.sloc == 3
    assert counts.lloc == 3


def test_nested_quotes_in_fstring_follow_python_311_tokens():
    """Python 3.12 allows the same quote inside an f-string; we keep 3.11's
    view (the literal ends early), which changes nothing unless a ':' sits
    inside it. Counts stay sane either way."""
    source = 'x = f"{d["k"]}"\n'
    counts = raw_counts(source)
    assert counts.loc == 1 and counts.sloc == 1 and counts.lloc == 1
