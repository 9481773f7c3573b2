"""The mock's clock: real time until frozen, moved by freezegun and time-machine, never back."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import freezegun
import pytest
import time_machine

from lightmock import Clock, LightmockUsageError, mock_lightsail

NOON = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


class TestClock:
    def test_follows_real_time_by_default(self) -> None:
        """An unfrozen clock reads real time, as an aware UTC datetime."""
        before = datetime.now(UTC)
        now = Clock().now()
        assert now.tzinfo is not None
        assert before - timedelta(seconds=1) <= now <= datetime.now(UTC) + timedelta(seconds=1)

    def test_freeze_and_advance(self) -> None:
        """freeze() stops it; advance() moves it by seconds, minutes, hours and days."""
        clock = Clock()
        clock.freeze(NOON)
        assert clock.now() == NOON
        clock.advance(seconds=1, minutes=2, hours=3, days=4)
        assert clock.now() == NOON + timedelta(days=4, hours=3, minutes=2, seconds=1)

    def test_freeze_without_an_argument_stops_it_now(self) -> None:
        """freeze() with no time holds the clock at the moment of the call, in UTC."""
        clock = Clock()
        before = datetime.now(UTC)
        frozen = clock.freeze()
        assert before <= frozen <= datetime.now(UTC)
        time.sleep(0.01)
        assert clock.now() == frozen
        assert frozen.tzinfo is UTC
        assert clock.now().tzinfo is UTC

    def test_unfreeze_runs_on_from_where_it_stood(self) -> None:
        """After unfreeze() the clock runs on from its frozen reading, not from real time."""
        clock = Clock()
        clock.freeze(datetime(2030, 1, 1, tzinfo=UTC))
        clock.unfreeze()
        assert datetime(2030, 1, 1, tzinfo=UTC) <= clock.now() < datetime(2030, 1, 1, 0, 1, tzinfo=UTC)

    def test_never_moves_backwards(self) -> None:
        """Freezing earlier or advancing by a negative delta is a usage error."""
        clock = Clock()
        clock.freeze(NOON)
        with pytest.raises(LightmockUsageError, match="backwards"):
            clock.freeze(NOON - timedelta(seconds=1))
        with pytest.raises(LightmockUsageError, match="backwards"):
            clock.advance(seconds=-5)

    def test_naive_datetime_is_refused(self) -> None:
        """freeze() with a naive datetime is a usage error."""
        with pytest.raises(LightmockUsageError, match="naive"):
            Clock().freeze(datetime(2026, 1, 1))

    def test_freezegun_moves_it(self) -> None:
        """Under freezegun the mock's clock reads the frozen time, and tick() moves it."""
        with mock_lightsail() as ls, freezegun.freeze_time("2031-05-01 10:00:00") as frozen:
            assert ls.clock.now() == datetime(2031, 5, 1, 10, 0, tzinfo=UTC)
            frozen.tick(timedelta(minutes=5))
            assert ls.clock.now() == datetime(2031, 5, 1, 10, 5, tzinfo=UTC)

    def test_time_machine_moves_it(self) -> None:
        """Under time-machine the mock's clock reads the travelled time, and shift() moves it."""
        with mock_lightsail() as ls, time_machine.travel(datetime(2032, 2, 2, 8, 0, tzinfo=UTC), tick=False) as trip:
            assert ls.clock.now() == datetime(2032, 2, 2, 8, 0, tzinfo=UTC)
            trip.shift(timedelta(hours=1))
            assert ls.clock.now() == datetime(2032, 2, 2, 9, 0, tzinfo=UTC)


class TestValidateThenMove:
    @pytest.mark.parametrize(
        "move",
        [
            lambda clock: clock.freeze(float("nan")),
            lambda clock: clock.freeze(float("inf")),
            lambda clock: clock.freeze(10**400),
            lambda clock: clock.freeze("2026-03-02"),
            lambda clock: clock.freeze(True),
            lambda clock: clock.freeze(datetime(9999, 12, 31, 12, tzinfo=UTC)),
            lambda clock: clock.advance(float("nan")),
            lambda clock: clock.advance("5"),
            lambda clock: clock.advance(True),
            lambda clock: clock.advance(days=1e300),
            lambda clock: clock.advance(days=3_000_000),
            lambda clock: clock.advance(seconds=1e308, minutes=1e308),
        ],
        ids=[
            "freeze-nan",
            "freeze-inf",
            "freeze-huge-int",
            "freeze-string",
            "freeze-bool",
            "freeze-year-9999-end",
            "advance-nan",
            "advance-string",
            "advance-bool",
            "advance-1e300-days",
            "advance-past-9999",
            "advance-overflowing-sum",
        ],
    )
    def test_refused_and_the_clock_stays(self, move: Any) -> None:
        """An invalid move is a usage error and leaves the clock exactly where it was, still usable."""
        with mock_lightsail() as ls:
            ls.clock.freeze(NOON)
            with pytest.raises(LightmockUsageError):
                move(ls.clock)
            assert ls.clock.now() == NOON
            assert ls.clock.advance(minutes=5) == NOON + timedelta(minutes=5)

    def test_running_clock_refuses_a_move_past_9999(self) -> None:
        """Unfrozen, a move past the last year is refused too, and the clock keeps following real time."""
        clock = Clock()
        with pytest.raises(LightmockUsageError, match="9999"):
            clock.advance(days=3_000_000)
        assert abs(clock.now() - datetime.now(UTC)) < timedelta(minutes=1)

    def test_an_ended_clock_reads_but_does_not_move(self) -> None:
        """A stopped mock's clock shows the stop time; moving it says why not."""
        with mock_lightsail() as ls:
            ls.clock.freeze(NOON)
        assert ls.clock.ended
        assert ls.clock.now() == NOON
        with pytest.raises(LightmockUsageError, match="stopped"):
            ls.clock.advance(seconds=1)
