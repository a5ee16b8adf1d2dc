"""Opening the app's pages in AppTest and reading what a run put on the page: every element's text,
charts by title, and the CSV bytes of every download button — so page tests can check what a user
could see or export."""

from __future__ import annotations

import base64
import html
import json
import re
from datetime import date
from pathlib import Path

import numpy as np

APP = str(Path(__file__).resolve().parent.parent / "app.py")

# The day the app tests open the demo district on (the app's own default is today's date): the
# demo's partnerships are fixed, so what is active on this day never changes.
DEMO_DAY = date(2026, 12, 1)

# The shared sidebar filters by widget key; every other filter key is a selectbox.
MULTISELECT_FILTERS = ("levels", "regions")
RADIO_FILTERS = ("need_tier",)


def set_filters(at, **filters) -> None:
    """Set the shared sidebar filters by widget key, one run each, as a person would."""
    for key, value in filters.items():
        if key in MULTISELECT_FILTERS:
            widget = at.multiselect(key=key)
        elif key in RADIO_FILTERS:
            widget = at.radio(key=key)
        else:
            widget = at.selectbox(key=key)
        widget.set_value(value).run()


def open_page(at, page: str, query: dict | None = None, **filters):
    """Open page as a person would: the app's first run (with the link's query values, if any),
    the shared filters set by widget key, then the page; no exception on the way."""
    if query:
        at.query_params.update(query)
    at.run()
    set_filters(at, **filters)
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def leaves(at):
    """Every element of the page (sidebar and main), depth first."""

    def walk(node):
        children = getattr(node, "children", None)
        if children:
            for child in children.values():
                yield from walk(child)
        else:
            yield node

    yield from walk(at._tree)


def page_text(at) -> str:
    """Everything the page shows or carries, as one string: dataframes in full (every column,
    including ones a column config hides), Plotly figures as JSON, other elements as their
    protobuf text (labels, values, options, help)."""
    parts = []
    for node in leaves(at):
        if node.type == "arrow_data_frame":
            parts.append(node.value.to_csv(index=False))
        elif node.type == "plotly_chart":
            parts.append(node.proto.spec)
        else:
            parts.append(str(node.proto))
    return "\n".join(parts)


def charts(at) -> list[dict]:
    """Every Plotly figure on the page, as a dict."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def chart_titled(at, start: str) -> dict:
    """The figure whose title starts with start."""
    found = [c for c in charts(at) if c["layout"].get("title", {}).get("text", "").startswith(start)]
    assert len(found) == 1, [c["layout"].get("title", {}).get("text") for c in charts(at)]
    return found[0]


def values(data) -> list:
    """A trace's data array as a list: Plotly writes numeric arrays as typed arrays
    ({"dtype": "i1", "bdata": base64}), other arrays as lists."""
    if isinstance(data, dict) and "bdata" in data:
        array = np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
        if "shape" in data:
            array = array.reshape([int(n) for n in str(data["shape"]).split(",")])
        return array.tolist()
    return list(data)


def headlines(at) -> list[str]:
    """The plain-language findings (atlas.app.ui.headline), as plain text."""
    return [html.unescape(re.sub(r"<[^>]+>", "", m.value)) for m in at.markdown if "atlas-headline" in m.value]


def record_downloads(monkeypatch) -> dict[str, bytes]:
    """The bytes of every CSV download the page offers, keyed by file name (atlas.present.csv_export.csv_bytes
    recorded as the page calls it); filled in as the app runs."""
    from atlas.app import ui
    from atlas.present import csv_export

    recorded: dict[str, bytes] = {}
    original_download = ui.download_csv

    def recording_download(frame, *, key, file_name):
        recorded[file_name] = csv_export.csv_bytes(frame() if callable(frame) else frame)
        return original_download(frame, key=key, file_name=file_name)

    monkeypatch.setattr(ui, "download_csv", recording_download)
    return recorded
