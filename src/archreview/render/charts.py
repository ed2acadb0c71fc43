"""Inline SVG charts for the HTML report: no scripts, no fonts or images from
elsewhere, so the file works offline and prints as it shows."""

from __future__ import annotations

from html import escape

from .formatting import nice_ceiling

GRADE_COLOURS = {"A": "#2e7d32", "B": "#689f38", "C": "#f9a825", "D": "#ef6c00", "E": "#c62828", "–": "#9e9e9e"}
BAR = "#90a4ae"
BAR_NOW = "#37474f"
INK = "#263238"
GRID = "#cfd8dc"


def _number(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".") if value < 100 else f"{value:,.0f}"


def debt_trend_svg(points: list[tuple[str, float]], width: int = 640, height: int = 220) -> str:
    """Bars of the debt in developer-days per month, the latest month dark."""
    if not points:
        return ""
    left, right, top, bottom = 48, 12, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    ceiling = nice_ceiling(max(v for _, v in points) * 1.15)
    slot = plot_w / len(points)
    bar_w = min(56.0, slot * 0.6)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="Debt in developer-days per month">',
        "<title>Debt in developer-days per month</title>",
    ]
    for fraction in (0, 0.5, 1):
        y = top + plot_h - fraction * plot_h
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="{INK}">{_number(ceiling * fraction)}</text>'
        )
    for index, (label, value) in enumerate(points):
        h = plot_h * (value / ceiling) if ceiling else 0
        x = left + slot * index + (slot - bar_w) / 2
        y = top + plot_h - h
        colour = BAR_NOW if index == len(points) - 1 else BAR
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}"/>')
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="11" fill="{INK}">{_number(value)}</text>'
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" fill="{INK}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def area_debt_svg(rows: list[tuple[str, float, str]], width: int = 640) -> str:
    """Horizontal bars: developer-days of debt per area, coloured by grade."""
    rows = [r for r in rows if r[1] > 0]
    if not rows:
        return ""
    label_w, right, row_h = 150, 56, 22
    height = row_h * len(rows) + 8
    most = max(v for _, v, _ in rows)
    plot_w = width - label_w - right
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="Debt per area in developer-days">',
        "<title>Debt per area in developer-days</title>",
    ]
    for index, (name, days, grade) in enumerate(rows):
        y = 4 + index * row_h
        w = max(2.0, plot_w * days / most)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" font-size="12" fill="{INK}">{escape(name)}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="16" fill="{GRADE_COLOURS.get(grade, BAR)}"/>'
        )
        parts.append(
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" font-size="12" fill="{INK}">{_number(days)} d</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
