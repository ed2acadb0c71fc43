"""The GitHub job summary: the verdict, top actions, areas and findings by
rule, always under GitHub's 1 MiB step-summary limit."""

from __future__ import annotations

import copy

from resultdata import load, with_history

from archreview.config import parse_config
from archreview.render import RenderContext, render
from archreview.render.summary import BUDGET, MAX_BYTES, fit

LIMIT = 1024 * 1024


def summary(result, history=(), **config):
    return render("summary", result, RenderContext(config=parse_config(config, "test"), history=list(history)))


def test_summary_of_a_real_result():
    result, history = with_history()
    text = summary(result, history)
    assert text.startswith("## Architecture and risk review: saleor — grade D (↓ worse)\n")
    assert "| Debt | Debt ratio | Findings | New | Fixed |" in text
    assert "| 146 | 2 | 6 |" in text
    assert "### Top actions" in text and "1. **Remove 1 password or key from the code and replace it**" in text
    assert "### Health by area" in text and "| Passwords and keys | E | ↓ worse |" in text
    assert "### Findings by rule" in text
    assert "<details><summary>Findings of medium severity or worse (15)</summary>" in text


def test_summary_of_the_large_result_stays_small():
    text = summary(load("large.json.gz"))
    assert len(text.encode()) < 20_000 < LIMIT
    assert "| `security.B101` | low | 2,600 |" in text
    assert "more in the full report" in text


def test_summary_never_reaches_one_mebibyte():
    result = load("large.json.gz")
    # a pathological result: 40,000 findings with 2 kB messages, 300 rules, a 5 kB client name
    base = list(result.findings)
    findings = []
    for i in range(40_000):
        f = copy.copy(base[i % len(base)])
        f.rule = f"security.B{i % 300:03d}"
        f.severity = "high"
        f.message = "x" * 2000
        f.plain = "y " * 1000
        f.fingerprint = f"{i:024x}"
        findings.append(f)
    result.findings = findings
    text = summary(result, client="Acme " * 1000)
    assert len(text.encode()) <= BUDGET < MAX_BYTES == LIMIT


def test_fit_cuts_at_a_line_with_a_note():
    text = "".join(f"| row {i} | {'é' * 50} |\n" for i in range(30_000))
    cut = fit(text, budget=100_000)
    assert len(cut.encode()) <= 100_000
    assert cut.endswith("see the full report._\n")
    assert cut.split("\n\n_The summary was cut")[0].splitlines()[-1].endswith("|")


def test_clean_summary():
    text = summary(load("clean.json"))
    assert "grade A" in text and "found nothing that needs fixing" in text
    assert "### Top actions" not in text and "### Findings by rule" not in text
