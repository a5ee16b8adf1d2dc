"""A vertical axis of strategies, one row each, as the Plan and Community charts draw it: the
labels (wrapped in presentation mode), the row height, the left margin reserved for them, the
axis title, and the house layout of a chart with one horizontal bar per strategy."""

from __future__ import annotations

import textwrap

import pandas as pd

from atlas.present import figures
from atlas.present.figures import font_size, house_layout, merge, strategy_label
from atlas.present.i18n import translate


def label_margin(labels: list[str], size: int) -> int:
    """Left margin for strategy labels plus the vertical axis title (automargin misjudges them)."""
    longest = max((len(line) for label in labels for line in label.split("<br>")), default=10)
    return int(longest * size * 0.55) + 2 * size + 24


def strategy_labels(frame: pd.DataFrame) -> list[str]:
    """'6 · Outreach to …' for each row with strategy_number and short_name."""
    return [strategy_label(n, s) for n, s in zip(frame["strategy_number"], frame["short_name"], strict=True)]


def axis_labels(frame: pd.DataFrame, presenting: bool) -> list[str]:
    """Strategy labels for a vertical axis; in presentation mode wrapped on two lines, so the
    large type leaves room for the bars at 1280 × 720."""
    labels = strategy_labels(frame)
    if not presenting:
        return labels
    return ["<br>".join(textwrap.wrap(label, 22, break_long_words=False)[:3]) for label in labels]


def row_height(labels: list[str], presenting: bool, desk: int) -> int:
    lines = max((label.count("<br>") + 1 for label in labels), default=1)
    return max(46, 26 * lines + 8) if presenting else desk


def bars_layout(
    *,
    title: str,
    labels: list[str],
    x_axis: dict,
    height: int,
    lang: str,
    presenting: bool,
    y_axis: dict | None = None,
) -> dict:
    """The house layout of a chart with one horizontal bar per strategy: the strategy axis
    titled (plus y_axis), its labels in a left margin reserved for them (label_margin)."""
    layout = house_layout(title=title, presenting=presenting, height=height)
    return merge(
        layout,
        {
            "xaxis": x_axis,
            "yaxis": {"title": axis_title(lang, presenting), "automargin": False, **(y_axis or {})},
            "margin": {"l": label_margin(labels, font_size(presenting))},
        },
    )


def axis_title(lang: str, presenting: bool) -> dict:
    """The title of a vertical axis of strategies, set a little apart from their labels."""
    return figures.axis_title(translate("plan.axis_strategy", lang), presenting, standoff=8)
