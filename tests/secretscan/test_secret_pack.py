"""The rule pack loads, is checked, and bad packs or settings fail clearly."""

from __future__ import annotations

import pytest

from archreview.errors import ConfigError
from archreview.secretscan.pack import load_pack, pack_text

MINIMAL = """
[pack]
kind = "secrets"
[[rule]]
id = "demo"
description = "demo token"
plain = "A demo token is in the code."
keywords = ["demo_"]
regex = '''(?P<secret>demo_[a-z0-9]{20})'''
"""


def test_shipped_pack_loads_with_unique_ids_and_valid_fields():
    pack = load_pack()
    ids = [r.id for r in pack.rules]
    assert len(ids) == len(set(ids)) and len(ids) >= 25
    for rule in pack.rules:
        assert rule.severity in ("critical", "high")
        assert rule.plain.endswith(".") and rule.effort_minutes > 0
        assert 0 <= rule.preview <= 4
        assert "secret" in rule.regex.groupindex


def test_minimal_pack():
    pack = load_pack(MINIMAL)
    assert [r.id for r in pack.rules] == ["demo"]
    assert pack.rules[0].keywords == (b"demo_",)


@pytest.mark.parametrize(
    "change,message",
    [
        (("regex = '''(?P<secret>demo_[a-z0-9]{20})'''", "regex = '''demo_[a-z0-9]{20}'''"), "(?P<secret>"),
        (("regex = '''(?P<secret>demo_[a-z0-9]{20})'''", "regex = '''(?P<secret>demo_[a-z0-9'''"), "invalid regular expression"),
        (('keywords = ["demo_"]', 'keywords = ["demo_"]\npreview = 8'), "at most 4"),
        (('keywords = ["demo_"]', 'keywords = ["demo_"]\nseverity = "urgent"'), "severity"),
        (('keywords = ["demo_"]', 'keywords = ["demo_"]\nkeyword = ["x"]'), "unknown field 'keyword'"),
        (('keywords = ["demo_"]', ""), "keywords are required"),
        (('kind = "secrets"', 'kind = "readiness"'), "not a secrets rule pack"),
        (('keywords = ["demo_"]', 'keywords = ["demo_"]\nkeyword_regex = \'\'\'token_(?=x)\'\'\''), "must begin with one of the rule's keywords"),
        (('keywords = ["demo_"]', 'keywords_case = ["demo_"]\nkeyword_regex = \'\'\'demo_\'\'\''), "needs keywords"),
    ],
)
def test_bad_pack_is_a_clear_error(change, message):
    old, new = change
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace("?", r"\?")):
        load_pack(MINIMAL.replace(old, new))


def test_disable_and_allow_from_settings():
    pack = load_pack(disable=["google-api-key"], allow=["^acme-dev-"])
    assert "google-api-key" not in {r.id for r in pack.rules}
    assert pack.allow.extra[0].pattern == "^acme-dev-"
    with pytest.raises(ConfigError, match="no rule 'nope'"):
        load_pack(disable=["nope"])
    with pytest.raises(ConfigError, match="invalid regular expression"):
        load_pack(allow=["("])


def test_pack_text_is_the_shipped_file():
    assert "[[rule]]" in pack_text()
