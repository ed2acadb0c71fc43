"""The HTML report: one self-contained page (inline CSS and SVG, nothing
fetched from anywhere), escaped, printable; and, where Chromium is installed,
looked at in a real browser: printed to PDF, the part before the appendix is
about two A4 pages."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from resultdata import load, with_history, without_sections

from archreview.config import parse_config
from archreview.render import RenderContext, render

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr", "source", "track", "embed"}
SVG_EMPTY = {"rect", "line", "path", "circle", "polyline", "polygon"}


def html(result, history=(), **config):
    return render("html", result, RenderContext(config=parse_config(config, "test"), history=list(history)))


class TagChecker(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.count: dict[str, int] = {}

    def handle_starttag(self, tag, attrs):
        self.count[tag] = self.count.get(tag, 0) + 1
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.count[tag] = self.count.get(tag, 0) + 1

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()


def check_tags(page: str) -> TagChecker:
    checker = TagChecker()
    checker.feed(page)
    checker.close()
    assert checker.problems == [] and checker.stack == [], (checker.problems, checker.stack)
    return checker


@pytest.mark.parametrize("case", ["midsize with history", "clean", "large", "nothing but the core"])
def test_one_self_contained_page(case):
    if case == "midsize with history":
        result, history = with_history()
    elif case == "nothing but the core":
        result, history = without_sections(load("midsize.json"), "readiness", "vendors", "dependencies", "architecture", "activity", "delta", "secrets"), []
    else:
        result, history = load({"clean": "clean.json", "large": "large.json.gz"}[case]), []
    page = html(result, history)
    lowered = page.lower()
    for outside in ("http://", "https://", "src=", "<script", "<link", "url(", "@import", "<iframe", "<object"):
        assert outside not in lowered, outside
    assert re.findall(r'href="([^"]*)"', page) == [h for h in re.findall(r'href="([^"]*)"', page) if h.startswith("#")]
    assert "<style>" in page and "@media print" in page and "break-before: page" in page
    tags = check_tags(page)
    assert tags.count["h2"] >= 8
    if case == "midsize with history":
        assert tags.count["svg"] == 2  # debt trend and debt per area
        assert "Jun 2026" in page and "Aug 2026" in page


def test_first_month_has_no_trend_chart_but_says_baseline():
    page = html(load("midsize.json"))
    assert page.count("<svg") == 1  # debt per area only
    assert "first review (baseline)" in page


def test_text_from_the_result_is_escaped():
    result = copy.deepcopy(load("midsize.json"))
    result.findings[0].message = "B999 <script>alert(1)</script> & more"
    result.findings[0].severity = "high"
    result.findings[0].area = "security"
    result.repository["name"] = "<b>shop</b>"
    page = html(result, client='Acme "Shop" <Ltd>')
    assert "<script>" not in page and "<b>shop</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "Acme &#34;Shop&#34; &lt;Ltd&gt;" in page
    check_tags(page)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
PDFINFO = shutil.which("pdfinfo")


def chromium(*args):
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", *args],
        capture_output=True, timeout=120, check=False,
    )


def printed_pages(page: str, tmp_path, name: str) -> int:
    source = tmp_path / f"{name}.html"
    source.write_text(page, encoding="utf-8")
    pdf = tmp_path / f"{name}.pdf"
    chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", source.as_uri())
    if PDFINFO:
        info = subprocess.run([PDFINFO, str(pdf)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_printed_in_a_browser(tmp_path):
    result, history = with_history()
    page = html(result, history)
    before_appendix = page[: page.index('<div class="appendix">')] + "</main></body></html>"
    assert printed_pages(before_appendix, tmp_path, "main") <= 2  # with last month's follow-up and both charts
    first = html(load("midsize.json"))
    assert printed_pages(first[: first.index('<div class="appendix">')] + "</main></body></html>", tmp_path, "first") <= 2
    clean = html(load("clean.json"))
    assert printed_pages(clean, tmp_path, "clean") <= 2  # appendix included
    shot = tmp_path / "shot.png"
    chromium(f"--screenshot={shot}", "--window-size=1200,2000", (tmp_path / "main.html").as_uri())
    assert shot.stat().st_size > 20_000
