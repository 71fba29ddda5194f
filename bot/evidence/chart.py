"""Leaders' evidence chart as a PNG: one horizontal bar per theme, stacked by how its steps went
(kept, changed, dropped, too early to say, not asked yet).

Drawn like `bot.leaders.chart`: on matplotlib's Agg canvas through `Figure` directly, never
`pyplot` (whose global "current figure" is not safe from several threads), by callers that run
it off the event loop with `asyncio.to_thread` and import this module only then, so matplotlib's
start-up is paid on the first chart rather than by every command.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

# The participation chart's size, ink and escaping, so a leader's charts look alike.
from bot.leaders.chart import DPI, GRID, INK, WIDTH_INCHES, _plain
from bot.texts import evidence_report as etexts

# Okabe-Ito colours, told apart with any colour vision; "not asked yet" recedes in grey.
SEGMENTS: tuple[tuple[str, str], ...] = (
    (etexts.EVIDENCE_KEPT, "#009E73"),
    (etexts.EVIDENCE_CHANGED, "#E69F00"),
    (etexts.EVIDENCE_DROPPED, "#D55E00"),
    (etexts.EVIDENCE_TOO_EARLY, "#56B4E9"),
    (etexts.EVIDENCE_NOT_ASKED, "#D9D6D0"),
)
MIN_HEIGHT_INCHES = 4  # 800 x 400 px, like the participation chart, for up to 8 themes
INCHES_PER_THEME = 0.38
MAX_LABEL_CHARS = 28


def _label(name: str) -> str:
    short = name if len(name) <= MAX_LABEL_CHARS else name[: MAX_LABEL_CHARS - 1] + "…"
    return _plain(short)


def outcomes_chart(rows: Sequence[tuple[str, Sequence[int]]], title: str) -> bytes:
    """A PNG of each theme's steps, stacked by outcome; `rows` are (theme, counts) with the
    counts in `SEGMENTS` order, drawn top to bottom as given.

    >>> png = outcomes_chart([("Feedback", [3, 1, 0, 1, 2])], title="This term")
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    for name, counts in rows:
        if len(counts) != len(SEGMENTS):
            raise ValueError(f"{name!r} has {len(counts)} counts for {len(SEGMENTS)} outcomes")
    height = max(MIN_HEIGHT_INCHES, 1.6 + INCHES_PER_THEME * len(rows))
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)  # attaches itself to the figure
    axes = figure.add_subplot()
    axes.set_facecolor("white")
    positions = list(range(len(rows)))
    left = [0] * len(rows)
    for index, (label, colour) in enumerate(SEGMENTS):
        values = [counts[index] for _, counts in rows]
        axes.barh(positions, values, left=left, height=0.65, color=colour, label=_plain(label))
        left = [a + b for a, b in zip(left, values, strict=True)]
    for y, total in zip(positions, left, strict=True):
        axes.annotate(
            str(total),
            (total, y),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            color=INK,
        )
    axes.set_yticks(positions, [_label(name) for name, _ in rows])
    axes.invert_yaxis()  # the first theme on top
    axes.set_xlim(0, max([*left, 1]) * 1.08)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(etexts.EVIDENCE_CHART_STEPS, color=INK, fontsize=9)
    axes.set_title(_plain(title), color=INK, fontsize=13, loc="left")
    axes.grid(axis="x", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    axes.tick_params(colors=INK, labelsize=9)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if rows:
        axes.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.9 / height),
            fontsize=8,
            frameon=False,
            ncols=len(SEGMENTS),
        )
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, facecolor="white")
    return out.getvalue()
