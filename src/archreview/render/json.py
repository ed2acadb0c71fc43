"""``--format json``: the ScanResult document itself."""

from __future__ import annotations

import json


def render(result, context) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
