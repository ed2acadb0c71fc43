"""Entropy, placeholders, previews, redaction and the keyword prefilter."""

from __future__ import annotations

import pytest
from secretfakes import Fakes

from archreview.secretscan import keywords as keywords_module
from archreview.secretscan.allow import has_sequence, is_repetitive, is_template, shannon_entropy
from archreview.secretscan.detect import Detector
from archreview.secretscan.pack import load_pack
from archreview.secretscan.redact import MASK, mask_string_literals, preview, redact_text

F = Fakes(11)


def test_entropy():
    assert shannon_entropy(b"") == 0.0
    assert shannon_entropy(b"aaaaaaaa") == 0.0
    assert shannon_entropy(b"abcdefgh") == pytest.approx(3.0)
    assert shannon_entropy(F.aws_secret().encode()) > 4.5


@pytest.mark.parametrize("value", ["xxxxxxxxxxxx", "000000000000", "abababababab", "aaaaaaaab1"])
def test_repetitive(value):
    assert is_repetitive(value)


@pytest.mark.parametrize("value", ["abc123456xyz", "my-qwerty-pass", "ABCDEFGH"])
def test_typed_sequences(value):
    assert has_sequence(value)


@pytest.mark.parametrize(
    "value", ["${DB_PASSWORD}", "$DB_PASSWORD", "{{ vault_pw }}", "%(password)s", "<password>", "__TOKEN__", "{password}", "os.environ['X']", "process.env.TOKEN"]
)
def test_template_and_references(value):
    assert is_template(value)


@pytest.mark.parametrize("value", [F.password(), F.django_key(), F.aws_secret()])
def test_real_looking_values_are_not_templates(value):
    assert not is_template(value)


def test_preview_is_fixed_length_and_at_most_four_characters():
    token = F.github_token()
    assert preview(token, 4) == token[:4] + MASK
    assert preview(token, 9) == token[:4] + MASK
    assert preview(token + "x" * 50, 4) == preview(token, 4)  # the length does not leak
    assert preview("short-secret", 4) == MASK  # short secrets show nothing
    assert preview(token, 0) == MASK


def test_mask_string_literals():
    assert mask_string_literals("Possible hardcoded password: 'hunter2'") == f"Possible hardcoded password: '{MASK}'"
    assert mask_string_literals('x = "a\\"b" + \'c\'') == f'x = "{MASK}" + \'{MASK}\''


def test_redact_text_replaces_every_match():
    detector = Detector(load_pack())
    token, password = F.github_token(), F.password()
    text = f'requests.get("https://x.io", headers={{"Authorization": "{token}"}}, password="{password}") # DB_PASSWORD = "{password}"'
    redacted = redact_text(text, detector)
    assert token not in redacted and password not in redacted
    assert token[:4] + MASK in redacted


def test_keyword_prefilter_gives_the_same_hits_with_and_without_the_automaton():
    if keywords_module.ahocorasick_rs is None:
        pytest.skip("ahocorasick_rs is not installed")
    pack = load_pack()
    text = "\n".join(
        [f'A = "{F.aws_key_id()}"', f'T = "{F.github_token()}"', f"P = '{F.password()}'", f"U = 'postgres://a:{F.password()}@db.acme.io/x'", "Asia/Tokyo sg.msg token=x"]
    ).encode()
    fast = Detector(pack, use_automaton=True)
    slow = Detector(pack, use_automaton=False)
    assert fast.index.uses_automaton and not slow.index.uses_automaton
    assert fast.index.find(text, text.lower()) == slow.index.find(text, text.lower())
    assert [(h.rule.id, h.start) for h in fast.scan(text)] == [(h.rule.id, h.start) for h in slow.scan(text)]


def test_case_sensitive_keywords_are_checked_exactly():
    detector = Detector(load_pack())
    # "sg." occurs in lower case everywhere ("msg."); only "SG." may start a SendGrid key
    found = detector.index.find(b"msg.send() SG.x", b"msg.send() sg.x")
    sendgrid = next(i for i, r in enumerate(detector.rules) if r.id == "sendgrid-api-key")
    assert found[sendgrid] == [11]
