"""Fixtures shared by adapter tests that drive the core directly."""

from __future__ import annotations

import pytest

from bot.clock import FixedClock
from tests.bot.chat import TUESDAY


@pytest.fixture
def clock() -> FixedClock:
    """A Tuesday in term, mid-morning in London."""
    return FixedClock(TUESDAY)
