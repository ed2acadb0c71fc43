"""Numbers and dates in words a founder reads without thinking."""

from __future__ import annotations

import calendar
import math
import re

from ..scoring import MINUTES_PER_DAY
from ..wording import count_text, join_words  # noqa: F401  (re-exported: the renderers import them from here)

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})")


def effort_text(minutes: float) -> str:
    """``about 2 hours`` under a day, ``about 6 days`` above."""
    if minutes < 60:
        return "under an hour"
    if minutes < MINUTES_PER_DAY:
        hours = round(minutes / 60)
        return f"about {hours} hour{'s' if hours != 1 else ''}"
    days = days_number(minutes / MINUTES_PER_DAY)
    return f"about {days} day{'s' if days != '1' else ''}"


def days_exact(minutes: float) -> str:
    """``0.25 days``: effort in developer-days, two significant digits under 10."""
    days = minutes / MINUTES_PER_DAY
    text = f"{days:.2g}" if days < 10 else f"{days:,.0f}"
    return f"{text} day{'s' if text != '1' else ''}"


def days_number(days: float) -> str:
    if days < 10:
        value = round(days * 2) / 2
        return f"{value:g}"
    return f"{round(days):,}"


def days_text(minutes: float) -> str:
    days = minutes / MINUTES_PER_DAY
    if days == 0:
        return "no developer time"
    if days < 0.5:
        return effort_text(minutes)
    number = days_number(days)
    return f"about {number} developer-day{'s' if number != '1' else ''}"


def money_text(amount: float, currency: str) -> str:
    if amount >= 10_000:
        amount = round(amount, -3)
    elif amount >= 1_000:
        amount = round(amount, -2)
    else:
        amount = round(amount, -1)
    return f"{amount:,.0f} {currency}"


def percent(ratio: float | None) -> str:
    if ratio is None:
        return "n/a"
    value = ratio * 100
    if 0 < value < 0.1:
        return "under 0.1 %"
    return f"{value:.1f} %" if value < 10 else f"{value:.0f} %"


def month_label(month: str | None, short: bool = False) -> str:
    """``2026-11`` -> ``November 2026`` (``Nov 2026`` when short)."""
    match = MONTH_RE.match(month or "")
    if not match:
        return month or "unknown month"
    year, number = int(match.group(1)), int(match.group(2))
    if not 1 <= number <= 12:
        return month or "unknown month"
    names = calendar.month_abbr if short else calendar.month_name
    return f"{names[number]} {year}"


def number_word(n: int) -> str:
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return words[n] if 0 <= n < len(words) else f"{n:,}"


def clip(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def nice_ceiling(value: float) -> float:
    """The next round number at or above ``value`` (1, 2, 2.5, 5 x 10^n)."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude
