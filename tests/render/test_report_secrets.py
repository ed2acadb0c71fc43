"""No output carries a secret value. Analyzers put only a redacted preview in
a finding; the formats print rule, path, line, message and plain sentence -
never ``basis`` or ``extra`` - and mask credential-shaped text that comes
from the scanned files (readiness quotes, secrets messages)."""

from __future__ import annotations

import copy

import pytest
from resultdata import load

from archreview.model import Finding
from archreview.render import RenderContext, render
from archreview.render.safety import mask

FAKE_KEY = "AKIAZ7Q4EXAMPLE5KEYX"  # shaped like an AWS access key id; not a real one
FAKE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
FAKE_TOKEN = "ghp_4fT9kLm2Qx8Rz1Vb7Nc3Hd6Jw0Ys5Ue2Ap9"
FAKE_PASSWORD = "Tr0ub4dor&3horse"


@pytest.fixture
def leaky_result():
    """A result where a careless analyzer left secrets where only the JSON goes
    (basis, extra) and a readiness quote that holds credentials."""
    result = copy.deepcopy(load("midsize.json"))
    result.findings.append(
        Finding(
            rule="secrets.github-token",
            area="secrets",
            severity="critical",
            path="deploy/ci.env",
            line=3,
            message=f"GitHub token committed: ghp_************ (also seen as {FAKE_TOKEN})",
            plain="A GitHub token is in the code.",
            effort_minutes=120,
            fingerprint="0" * 24,
            basis=f"GITHUB_TOKEN={FAKE_TOKEN} {FAKE_KEY}",
            extra={"preview": "ghp_************", "raw": FAKE_SECRET},
        )
    )
    # bandit's password tests quote the literal they flagged in the message
    result.findings.append(
        Finding(
            rule="security.B105",
            area="security",
            severity="medium",
            path="shop/settings.py",
            line=12,
            message=f"B105 hardcoded_password_string: Possible hardcoded password: '{FAKE_PASSWORD}'",
            plain="A password appears to be written directly in the code.",
            effort_minutes=15,
            fingerprint="1" * 24,
            basis=f"ADMIN_PASSWORD = '{FAKE_PASSWORD}'",
        )
    )
    item = next(i for i in result.sections["readiness"] if i["id"] == "error_tracking")
    item["quote"] = f'SENTRY_DSN = "https://{FAKE_KEY}:{FAKE_PASSWORD}@o1.ingest.example/42" ; token: {FAKE_SECRET}'
    item["why"] = f'The Sentry SDK is initialised with password = "{FAKE_PASSWORD}"'
    return result


@pytest.mark.parametrize("fmt", ["markdown", "html", "sarif", "summary"])
def test_no_secret_in_any_report_format(leaky_result, fmt):
    text = render(fmt, leaky_result, RenderContext())
    for value in (FAKE_KEY, FAKE_SECRET, FAKE_TOKEN, FAKE_PASSWORD):
        assert value not in text, (fmt, value)
    if fmt == "markdown":
        assert "`deploy/ci.env:3`" in text  # the finding itself is reported
        assert "ghp_************" in text
        assert "Possible hardcoded password: '****'" in text


def test_mask_hides_credential_shapes_and_keeps_ordinary_text():
    assert FAKE_KEY not in mask(f"key {FAKE_KEY}")
    assert mask("postgres://app:s3cr3t-pw@db:5432/shop") == "postgres://****:****@db:5432/shop"
    assert mask('password = "hunter2hunter2"') == 'password = "****"'
    for text in ("sentry_sdk.init(dsn=settings.SENTRY_DSN)", "saleor/graphql/app/dataloaders/app.py:17",
                 "complete_checkout_with_payment_2", "AKIA****************", "LOGGING = {"):
        assert mask(text) == text


def test_a_stored_password_message_is_masked_to_its_end_even_across_lines_and_quotes():
    """Results written before the analyzer masked whole literals still print
    nothing of the literal: bandit quotes it whole, apostrophes and line
    breaks included."""
    from archreview.render.safety import finding_text

    message = "B105 hardcoded_password_string: Possible hardcoded password: 'it's Tr0ub4dor&3\nsecond line'"
    finding = Finding(rule="security.B105", area="security", severity="low", path="app/mail.py", line=1,
                      message=message, plain="", effort_minutes=15)
    assert finding_text(finding, message) == "B105 hardcoded_password_string: Possible hardcoded password: '****'"
