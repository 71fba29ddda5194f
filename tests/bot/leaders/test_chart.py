"""The participation chart: a real 800 x 400 PNG, whatever it is given."""

from __future__ import annotations

import io
from datetime import date, timedelta

import numpy as np
import pytest
from matplotlib.image import imread

from bot.leaders.chart import day_label, participation_chart

WEEK = [date(2026, 11, 23) + timedelta(days=n) for n in range(5)]  # Monday to Friday


def pixels(png: bytes) -> np.ndarray:
    return imread(io.BytesIO(png), format="png")


def test_the_chart_is_an_800_by_400_png() -> None:
    png = participation_chart(WEEK, {"Hill Top": [80, 60, 70, 90, 100]}, title="This week")

    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert pixels(png).shape[:2] == (400, 800)


def test_the_chart_is_not_blank() -> None:
    png = participation_chart(WEEK, {"Hill Top": [80, 60, 70, 90, 100]}, title="This week")

    assert len(np.unique(pixels(png).reshape(-1, 4), axis=0)) > 10


def test_the_background_is_white() -> None:
    png = participation_chart(WEEK, {"Hill Top": [80, 60, 70, 90, 100]}, title="This week")

    assert pixels(png)[0, -1].tolist() == [1.0, 1.0, 1.0, 1.0]  # the top right corner


def test_several_lines_are_drawn_with_a_legend() -> None:
    one = participation_chart(WEEK, {"Maths": [80, 60, 70, 90, 100]}, title="Departments")
    two = participation_chart(
        WEEK, {"Maths": [80, 60, 70, 90, 100], "English": [10, 20, 30, 40, 50]}, title="Departments"
    )

    assert not np.array_equal(pixels(one), pixels(two))


def test_no_days_still_give_a_png_with_the_title() -> None:
    png = participation_chart([], {}, title="Nothing yet")

    assert pixels(png).shape[:2] == (400, 800)
    assert not np.array_equal(
        pixels(png), pixels(participation_chart([], {}, title="Something else"))
    )


def test_a_name_that_looks_like_mathtext_is_drawn_as_written() -> None:
    png = participation_chart(
        WEEK, {r"$5 or \frac{ $6": [1, 2, 3, 4, 5]}, title=r"Cost: $5 or \frac{ $6"
    )  # read as mathtext, this would not parse

    assert pixels(png).shape[:2] == (400, 800)


def test_a_line_must_have_a_value_for_each_day() -> None:
    with pytest.raises(ValueError, match="3 values for 5 days"):
        participation_chart(WEEK, {"Maths": [1, 2, 3]}, title="Broken")


def test_a_day_reads_as_its_weekday_and_date() -> None:
    assert day_label(date(2026, 11, 3)) == "Tue 3"
