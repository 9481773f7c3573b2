"""The mock's clock: real time by default, frozen or moved on at the test's command.

Everything time-dependent in lightmock (``createdAt``, alarm evaluation, default metric
timestamps) reads :meth:`Clock.now`. While not frozen it reads ``time.time()`` at every
call, so freezegun and time-machine, which patch ``time.time``, move it too.
"""

from __future__ import annotations

import math
import numbers
import os
import threading
import time
import weakref
from datetime import UTC, datetime

from lightmock.core.exceptions import LightmockUsageError

#: The latest moment a clock may be moved to: datetime's last year, with a day to spare for
#: a clock left running from there.
MAX_EPOCH = datetime(9999, 12, 31, tzinfo=UTC).timestamp()
MIN_EPOCH = datetime(1, 1, 2, tzinfo=UTC).timestamp()


def to_datetime(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


def _shown(value: object) -> str:
    """``repr`` of a value, cut short: an error message quotes a bounded prefix."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _number(value: object, what: str) -> float:
    """A finite real number (not a bool, not a string that happens to parse)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise LightmockUsageError(f"{what} must be a number, got {_shown(value)}")
    try:
        number = float(value)
    except (OverflowError, ValueError, TypeError):
        raise LightmockUsageError(f"{what} must be a finite number, got {_shown(value)}") from None
    if not math.isfinite(number):
        raise LightmockUsageError(f"{what} must be a finite number, got {_shown(value)}")
    return number


def _in_range(epoch: float, what: str) -> float:
    if not MIN_EPOCH <= epoch <= MAX_EPOCH:
        raise LightmockUsageError(f"{what} is outside the years a clock can show (0001 to 9999)")
    return epoch


def to_epoch(moment: datetime | float | int) -> float:
    """Epoch seconds of an aware datetime or a number of seconds; anything else (a naive
    datetime, a string, a bool, NaN, infinity, a time outside the years 1-9999) is a usage error."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise LightmockUsageError(f"naive datetime {moment!r}: give an aware datetime (tz=UTC)")
        return _in_range(moment.timestamp(), moment.isoformat())
    return _in_range(_number(moment, "a time in epoch seconds"), f"{_shown(moment)} (epoch seconds)")


class Clock:
    """A clock that follows real time until frozen, and never moves backwards.

    Never moving back matters to the alarm engine: evaluations that happened (and the
    notifications they sent) cannot un-happen. A real-time reading that is earlier than the
    latest reading seen (freezegun moved back, say) is held at the latest reading.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frozen_at: float | None = None
        self._offset = 0.0
        self._latest = float("-inf")
        #: Why the clock may no longer move (its mock has stopped), or None while it may.
        self._ended: str | None = None
        _clocks.add(self)

    def time(self) -> float:
        """Now, in epoch seconds."""
        with self._lock:
            now = self._frozen_at if self._frozen_at is not None else time.time() + self._offset
            if now < self._latest:
                now = self._latest
            self._latest = now
            return now

    def now(self) -> datetime:
        """Now, as an aware UTC datetime."""
        return to_datetime(self.time())

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    @property
    def ended(self) -> bool:
        """Whether the clock's mock has stopped: it reads the stop time and moves no more."""
        return self._ended is not None

    def end(self, reason: str) -> None:
        """Hold the clock where it stands for good; every later move raises ``reason``."""
        with self._lock:
            if self._ended is None:
                now = self._frozen_at if self._frozen_at is not None else time.time() + self._offset
                self._frozen_at = max(now, self._latest)
                self._latest = self._frozen_at
                self._ended = reason

    def _check_movable(self) -> None:
        if self._ended is not None:
            raise LightmockUsageError(self._ended)

    def freeze(self, at: datetime | float | None = None) -> datetime:
        """Stop the clock at ``at`` (default: now). Moving it backwards is a usage error."""
        self._check_movable()
        target = self.time() if at is None else to_epoch(at)
        with self._lock:
            self._check_movable()
            if target < self._latest:
                raise LightmockUsageError(
                    f"the clock cannot move backwards: {to_datetime(target).isoformat()} is before "
                    f"{to_datetime(self._latest).isoformat()}"
                )
            self._frozen_at = target
            self._latest = target
        return to_datetime(target)

    def advance(self, seconds: float = 0, minutes: float = 0, hours: float = 0, days: float = 0) -> datetime:
        """Move the clock forward; frozen stays frozen, real time keeps running from there.

        The move is checked whole (every part a finite number, the sum not negative, the
        result a time a clock can show) before the clock changes at all."""
        self._check_movable()
        parts = {"seconds": seconds, "minutes": minutes, "hours": hours, "days": days}
        scales = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
        delta = sum(_number(value, f"advance({name}=...)") * scales[name] for name, value in parts.items())
        if not math.isfinite(delta):
            raise LightmockUsageError(f"advance() moves the clock by a finite amount, not {delta!r} seconds")
        if delta < 0:
            raise LightmockUsageError("the clock cannot move backwards: advance() takes a positive delta")
        with self._lock:
            self._check_movable()
            base = self._frozen_at if self._frozen_at is not None else time.time() + self._offset
            start = max(base, self._latest)
            _in_range(start + delta, f"advance() by {delta:g} seconds from {to_datetime(start).isoformat()}")
            if self._frozen_at is not None:
                self._frozen_at += delta
            else:
                self._offset += delta
        return self.now()

    def unfreeze(self) -> datetime:
        """Let the clock run again from where it stands."""
        self._check_movable()
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - time.time()
                self._frozen_at = None
        return self.now()

    def __repr__(self) -> str:
        state = "frozen" if self.frozen else "running"
        return f"<Clock {state} at {self.now().isoformat()}>"


_clocks: weakref.WeakSet[Clock] = weakref.WeakSet()


def _fresh_locks_in_child() -> None:
    """A forked child gets fresh clock locks: a thread of the parent may have held one."""
    for clock in list(_clocks):
        clock._lock = threading.Lock()


os.register_at_fork(after_in_child=_fresh_locks_in_child)
