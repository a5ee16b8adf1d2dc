"""Outcomes in words: a value with its unit, a group's name, and the page's findings. No Streamlit here."""

from __future__ import annotations

import pandas as pd

from atlas.present import escape
from atlas.present.i18n import format_number, is_missing, translate

LEVEL_ORDER = ("elementary", "middle", "high", "other")


def decimals(unit: str, span: float | None = None) -> int:
    """Shown decimals: one for percentages, rates and numbers; for a score, two on a short scale
    (span, max − min, at most 10: a 1–5 survey) and one on a longer one (a 0–99 score)."""
    if unit == "score" and (span is None or span != span or span <= 10):
        return 2
    return 1


def metric_decimals(metric) -> int:
    """decimals() for a metric (a row with unit and, when known, min_value and max_value)."""
    low, high = metric.get("min_value"), metric.get("max_value")
    span = None if low is None or high is None else float(high) - float(low)
    return decimals(metric["unit"], span)


def format_value(value: float | None, unit: str, lang: str, places: int | None = None) -> str:
    """'18.8%' (or '18.8 %' in Spanish), '4.2 per 100', '3.87' (a score), '12.0' (a number); '—' when
    missing or hidden."""
    if value is None or value != value:
        return "—"
    number = format_number(value, lang, decimals(unit) if places is None else places)
    if unit == "pct":
        return f"{number}\u00a0%" if lang == "es" else f"{number}%"
    return translate(f"outcomes.unit_{unit}", lang, value=number)


def group_hover(label: str, year: str, value: float, n, n_schools: int, metric: pd.Series, lang: str) -> str:
    """A group figure's hover: its value, and what it is the mean of (weighted by n, or when some n
    is not reported the simple mean of the schools)."""
    schools = format_number(n_schools, lang)
    about = (
        translate("outcomes.hover_simple", lang, schools=schools)
        if is_missing(n)
        else translate("outcomes.hover_n", lang, n=format_number(n, lang), schools=schools)
    )
    shown = format_value(value, metric["unit"], lang, metric_decimals(metric))
    return f"<b>{label}</b> · {year}<br>{shown}<br>{about}"


def scale_text(metric) -> str:
    """' (0–99)' after a score's name (its scale is its range); '' for any other unit."""
    if metric["unit"] != "score" or is_missing(metric.get("min_value")) or is_missing(metric.get("max_value")):
        return ""
    return f" ({float(metric['min_value']):g}–{float(metric['max_value']):g})"


def group_label(dimension: str | None, value, lang: str) -> str:
    """A group's name in words: 'Elementary', 'High-need schools', a region, 'All schools in view'."""
    if dimension is None:
        return translate("outcomes.all_schools", lang)
    if dimension == "level":
        return translate(f"levels.{value}", lang)
    if dimension == "need_tier":
        return translate(f"outcomes.need_{value}", lang)
    if dimension == "has_strategy":
        return translate("outcomes.with_strategy" if value else "outcomes.without_strategy", lang)
    return str(value) if value is not None and value == value else translate("outcomes.no_region", lang)


def group_order(dimension: str, values) -> list:
    present = list(dict.fromkeys(values))
    if dimension == "level":
        return [v for v in LEVEL_ORDER if v in present] + [v for v in present if v not in LEVEL_ORDER]
    if dimension == "need_tier":
        return [v for v in ("high", "other") if v in present]
    if dimension == "has_strategy":
        return [v for v in (True, False) if v in present]
    return sorted(present, key=lambda v: (v is None or v != v, str(v)))


def outcome_findings(
    overall: pd.DataFrame, by_strategy: pd.DataFrame, metric: pd.Series, strategy: str, lang: str
) -> list[str]:
    """The trend for all schools in view, and the latest year's with-vs-without difference."""
    findings = []
    unit, places = metric["unit"], metric_decimals(metric)
    shown = overall.dropna(subset=["value"])
    if len(shown) >= 2:
        first, last = shown.iloc[0], shown.iloc[-1]
        findings.append(
            translate(
                "outcomes.finding_trend",
                lang,
                metric=escape.plotly(metric["label"]),
                first=format_value(first["value"], unit, lang, places),
                first_year=first["school_year"],
                last=format_value(last["value"], unit, lang, places),
                last_year=last["school_year"],
            )
        )
    latest = by_strategy.dropna(subset=["value"])
    if not latest.empty:
        year = latest["school_year"].max()
        rows = latest[latest["school_year"] == year].set_index("has_strategy")
        if True in rows.index and False in rows.index:
            findings.append(
                translate(
                    "outcomes.finding_strategy",
                    lang,
                    year=year,
                    strategy=strategy,
                    with_value=format_value(rows.loc[True, "value"], unit, lang, places),
                    without_value=format_value(rows.loc[False, "value"], unit, lang, places),
                )
            )
    return findings
