"""Leaders' participation chart as a PNG: the share of staff who logged, per school day.

Drawn on matplotlib's Agg canvas through `Figure` directly, never `pyplot`: pyplot keeps
global state (the "current figure"), so it is not safe from several threads at once, and
drawing is CPU work that callers run off the event loop with `asyncio.to_thread`.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from datetime import date

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

WIDTH_INCHES, HEIGHT_INCHES, DPI = 8, 4, 100  # 800 x 400 px
MAX_DAY_LABELS = 12  # more would overlap; a long period labels every nth day
INK, GRID = "#1d2a33", "#e1ddd5"


def day_label(day: date) -> str:
    """How a school day reads on the axis: "Mon 3"."""
    return f"{day:%a} {day.day}"


def _plain(text: str) -> str:
    """Text shown as written: `$…$` would be read as mathtext, and a legend leaves out any
    label starting with `_`."""
    text = text.replace("$", r"\$")
    return "\u200b" + text if text.startswith("_") else text


def participation_chart(
    days: Sequence[date], lines: Mapping[str, Sequence[float]], *, title: str
) -> bytes:
    """A PNG of participation (0-100 %) per school day, one line per name in `lines`.

    Days are evenly spaced (weekends and holidays are not school days, so they leave no
    gaps); a legend names the lines when there are several.

    >>> png = participation_chart([date(2026, 11, 23)], {"Hill Top": [80.0]}, title="This week")
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    for name, values in lines.items():
        if len(values) != len(days):
            raise ValueError(f"{name!r} has {len(values)} values for {len(days)} days")
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)  # attaches itself to the figure
    axes = figure.add_subplot()
    axes.set_facecolor("white")
    positions = list(range(len(days)))
    for name, values in lines.items():
        axes.plot(
            positions, list(values), marker="o", markersize=3, linewidth=2, label=_plain(name)
        )
    axes.set_title(_plain(title), color=INK, fontsize=13, loc="left")
    axes.set_ylim(-2, 102)
    axes.set_yticks([0, 25, 50, 75, 100])
    axes.yaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
    step = max(1, math.ceil(len(days) / MAX_DAY_LABELS))
    axes.set_xticks(positions[::step], [day_label(day) for day in days[::step]])
    if days:
        axes.set_xlim(-0.5, len(days) - 0.5)
    axes.grid(axis="y", color=GRID, linewidth=0.8)
    axes.tick_params(colors=INK, labelsize=9)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if len(lines) > 1:
        axes.legend(loc="best", fontsize=9, frameon=False, ncols=min(len(lines), 4))
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, facecolor="white")
    return out.getvalue()
