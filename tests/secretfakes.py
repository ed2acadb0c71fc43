"""Fake secrets with the shapes of real ones, built at run time.

Nothing in this file is a key: every token is assembled from split prefixes
and random characters when a test runs, so the test sources themselves hold
nothing a secret scanner (or a code host's push protection) would flag.
"""

from __future__ import annotations

import base64
import random
import string

UPPER = string.ascii_uppercase
LOWER = string.ascii_lowercase
DIGITS = string.digits
ALNUM = UPPER + LOWER + DIGITS
BASE32 = UPPER + "234567"
HEX = "0123456789abcdef"


class Fakes:
    """A deterministic source of realistic-looking secrets."""

    def __init__(self, seed: int = 20250101):
        self.rnd = random.Random(seed)

    def chars(self, alphabet: str, n: int) -> str:
        return "".join(self.rnd.choice(alphabet) for _ in range(n))

    def aws_key_id(self) -> str:
        return "AK" + "IA" + self.chars(BASE32, 16)

    def aws_secret(self) -> str:
        return self.chars(ALNUM + "/+", 40)

    def github_token(self) -> str:
        return "gh" + "p_" + self.chars(ALNUM, 36)

    def gitlab_token(self) -> str:
        return "gl" + "pat-" + self.chars(ALNUM + "_-", 20)

    def stripe_live(self) -> str:
        return "sk" + "_live_" + self.chars(ALNUM, 24)

    def slack_bot(self) -> str:
        return "xo" + "xb-" + self.chars(DIGITS, 11) + "-" + self.chars(DIGITS, 13) + "-" + self.chars(ALNUM, 24)

    def slack_webhook(self) -> str:
        return "https://hooks." + "slack.com/services/T" + self.chars(UPPER + DIGITS, 8) + "/B" + self.chars(UPPER + DIGITS, 10) + "/" + self.chars(ALNUM, 24)

    def twilio_key(self) -> str:
        return "S" + "K" + self.chars(HEX, 32)

    def sendgrid(self) -> str:
        return "S" + "G." + self.chars(ALNUM + "_-", 22) + "." + self.chars(ALNUM + "_-", 43)

    def openai(self) -> str:
        return "sk-" + "proj-" + self.chars(ALNUM, 40) + "T3Blb" + "kFJ" + self.chars(ALNUM, 40)

    def anthropic(self) -> str:
        return "sk-" + "ant-" + "api03-" + self.chars(ALNUM + "_-", 93) + "AA"

    def npm(self) -> str:
        return "np" + "m_" + self.chars(ALNUM, 36)

    def pypi(self) -> str:
        return "py" + "pi-AgEIcHlwaS5vcmc" + self.chars(ALNUM + "_-", 70)

    def google_api(self) -> str:
        return "AI" + "za" + self.chars(ALNUM + "_-", 35)

    def huggingface(self) -> str:
        return "h" + "f_" + self.chars(UPPER + LOWER, 34)

    def shopify(self) -> str:
        return "shp" + "at_" + self.chars(HEX, 32)

    def digitalocean(self) -> str:
        return "do" + "p_v1_" + self.chars(HEX, 64)

    def azure_account_key(self) -> str:
        return self.chars(ALNUM + "+/", 86) + "=="

    def password(self) -> str:
        return self.chars(LOWER, 3) + self.chars(UPPER, 2) + self.chars(DIGITS, 3) + "-" + self.chars(ALNUM, 7)

    def django_key(self) -> str:
        return self.chars(LOWER + DIGITS + "!@#^&*-_=+", 50)

    def pem_body(self) -> str:
        raw = base64.b64encode(bytes(self.rnd.getrandbits(8) for _ in range(900))).decode()
        return "\n".join(raw[i : i + 64] for i in range(0, len(raw), 64))

    def private_key(self, kind: str = "RSA ") -> str:
        dashes = "-" * 5
        return f"{dashes}BEGIN {kind}PRIVATE KEY{dashes}\n{self.pem_body()}\n{dashes}END {kind}PRIVATE KEY{dashes}\n"


def middles(secret: str) -> list[str]:
    """The secret and parts of it that must not appear anywhere either."""
    parts = [secret]
    if len(secret) >= 12:
        parts.append(secret[4:-4])
        parts.append(secret[len(secret) // 3 : len(secret) // 3 + 8])
    return parts
