"""Per-channel pacing and the shared 429 gate, on a hand-driven clock (no real waiting)."""

from __future__ import annotations

from dataclasses import dataclass, field

from adapters.pacing import ChannelPacer, RateLimitGate, WindowPacer, retry_after


@dataclass
class FakeTime:
    now: float = 100.0
    slept: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


async def test_the_first_post_to_a_channel_does_not_wait() -> None:
    clock = FakeTime()
    pacer = ChannelPacer(monotonic=clock.monotonic, sleep=clock.sleep)

    await pacer.wait("D1")

    assert clock.slept == []


async def test_a_second_post_to_the_same_channel_waits_a_second() -> None:
    clock = FakeTime()
    pacer = ChannelPacer(monotonic=clock.monotonic, sleep=clock.sleep)

    await pacer.wait("D1")
    await pacer.wait("D1")

    assert clock.slept == [1.0]


async def test_posts_to_different_channels_never_wait() -> None:
    clock = FakeTime()
    pacer = ChannelPacer(monotonic=clock.monotonic, sleep=clock.sleep)

    for n in range(100):
        await pacer.wait(f"D{n}")

    assert clock.slept == []


async def test_a_closed_gate_holds_everyone_until_it_opens() -> None:
    clock = FakeTime()
    gate = RateLimitGate(monotonic=clock.monotonic, sleep=clock.sleep)

    gate.hold(3)
    await gate.wait()
    await gate.wait()

    assert clock.slept == [3.0]


async def test_a_shorter_hold_never_reopens_a_longer_one() -> None:
    clock = FakeTime()
    gate = RateLimitGate(monotonic=clock.monotonic, sleep=clock.sleep)

    gate.hold(5)
    gate.hold(1)
    await gate.wait()

    assert clock.slept == [5.0]


def test_retry_after_reads_slacks_header_in_any_case_and_shape() -> None:
    assert retry_after({"retry-after": ["7"]}) == 7.0
    assert retry_after({"Retry-After": "2"}) == 2.0


def test_a_missing_or_odd_retry_after_means_one_second() -> None:
    assert retry_after({}) == 1.0
    assert retry_after({"Retry-After": "soon"}) == 1.0


TEAMS = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))


async def test_a_conversation_gets_seven_sends_at_once_then_waits() -> None:
    clock = FakeTime()
    pacer = WindowPacer(TEAMS, monotonic=clock.monotonic, sleep=clock.sleep)

    for _ in range(7):
        await pacer.wait("19:team")
    await pacer.wait("19:team")

    assert clock.slept == [1.0]


async def test_the_two_second_window_holds_the_ninth_send() -> None:
    clock = FakeTime()
    pacer = WindowPacer(TEAMS, monotonic=clock.monotonic, sleep=clock.sleep)

    for _ in range(9):
        await pacer.wait("19:team")

    assert sum(clock.slept) == 2.0


async def test_sixty_sends_fill_the_thirty_second_window() -> None:
    clock = FakeTime()
    pacer = WindowPacer(TEAMS, monotonic=clock.monotonic, sleep=clock.sleep)

    for _ in range(61):
        await pacer.wait("19:team")

    assert clock.now - 100.0 >= 30.0


async def test_other_conversations_are_not_held_up() -> None:
    clock = FakeTime()
    pacer = WindowPacer(TEAMS, monotonic=clock.monotonic, sleep=clock.sleep)

    for n in range(50):
        await pacer.wait(f"a:{n}")

    assert clock.slept == []
