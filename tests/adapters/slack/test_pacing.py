"""Per-channel pacing and the shared 429 gate, on a hand-driven clock (no real waiting)."""

from __future__ import annotations

from dataclasses import dataclass, field

from adapters.slack.pacing import ChannelPacer, RateLimitGate, retry_after


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
