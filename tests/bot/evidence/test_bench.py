"""A small slice of the themes benchmark, so that the evaluation cannot rot. It runs on the
repository's own check set (`bench/themes_check.csv`): the dev set lives outside the repository
(`../shared/data`), and CI must run this whatever is beside the checkout."""

from __future__ import annotations

import pytest

from bench import themes
from bot.evidence.taxonomy import THEME_IDS


@pytest.fixture(scope="module")
def dev_slice() -> list[themes.Row]:
    """Four entries of each theme, whole groups kept together where they come first."""
    rows = themes.load(themes.CHECK_CSV)
    return [row for theme in THEME_IDS for row in [r for r in rows if r.theme == theme][:4]]


def test_cross_validation_runs_on_a_slice(dev_slice) -> None:
    assert len(dev_slice) == 48
    predicted = themes.cross_validate(dev_slice, folds=2)

    assert len(predicted) == len(dev_slice)
    assert set(predicted) <= set(THEME_IDS)
    assert themes.macro_f1([r.theme for r in dev_slice], predicted) > 0.6


def test_leave_one_out_similarity_runs_on_a_slice(dev_slice) -> None:
    result = themes.leave_one_out(dev_slice, [r.theme for r in dev_slice])

    assert 0.0 <= result.r_precision <= 1.0
    assert 0.0 <= result.precision_at_3 <= 1.0
    assert result.best_in_group > 0.3
    precision, recall = result.precision_above(0.0)
    assert recall == pytest.approx(1.0)
    assert 0.0 < precision < 1.0
    assert 0.0 <= result.calibrate() <= 1.0


def test_the_check_set_has_ten_entries_a_theme_in_groups() -> None:
    rows = themes.load(themes.CHECK_CSV)

    assert len(rows) == 120
    assert len({r.id for r in rows}) == 120
    assert sorted({r.theme for r in rows}) == sorted(THEME_IDS)
    assert all(sum(r.theme == t for r in rows) == 10 for t in THEME_IDS)
    sizes = [sum(r.group == g for r in rows) for g in {r.group for r in rows}]
    assert min(sizes) >= 2
