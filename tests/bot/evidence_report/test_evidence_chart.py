"""The evidence chart: themes by outcome as stacked bars, a real PNG whatever it is given."""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.image import imread

from bot.evidence.chart import outcomes_chart

ROWS = [("Feedback", [6, 2, 1, 1, 3]), ("Retrieval practice", [4, 1, 0, 2, 5])]


def pixels(png: bytes) -> np.ndarray:
    return imread(io.BytesIO(png), format="png")


def test_the_chart_is_an_800_by_400_png() -> None:
    png = outcomes_chart(ROWS, "How steps went")

    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert pixels(png).shape[:2] == (400, 800)
    assert len(np.unique(pixels(png).reshape(-1, 4), axis=0)) > 10


def test_many_themes_make_a_taller_chart() -> None:
    rows = [(f"Theme {n}", [n, 1, 0, 1, 2]) for n in range(14)]

    height, width = pixels(outcomes_chart(rows, "Every theme")).shape[:2]

    assert width == 800
    assert height > 400


def test_the_outcomes_change_the_bars() -> None:
    kept = outcomes_chart([("Feedback", [5, 0, 0, 0, 0])], "How steps went")
    dropped = outcomes_chart([("Feedback", [0, 0, 5, 0, 0])], "How steps went")

    assert not np.array_equal(pixels(kept), pixels(dropped))


def test_no_themes_still_give_a_png() -> None:
    assert outcomes_chart([], "Nothing yet").startswith(b"\x89PNG")


def test_names_that_look_like_mathtext_are_drawn_as_written() -> None:
    png = outcomes_chart([(r"$5 or \frac{ $6", [1, 0, 0, 0, 0])], r"Cost: $5 or \frac{ $6")

    assert png.startswith(b"\x89PNG")


def test_counts_must_match_the_outcomes() -> None:
    with pytest.raises(ValueError, match="Feedback"):
        outcomes_chart([("Feedback", [1, 2])], "How steps went")
