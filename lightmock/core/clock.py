"""The mock's clock: real time by default, frozen or moved on at the test's command.

Everything time-dependent in lightmock (``createdAt``, alarm evaluation, default metric
timestamps) reads :meth:`Clock.now`. While not frozen it reads ``time.time()`` at every
call, so freezegun and time-machine, which patch ``time.time``, move it too.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from lightmock.core.exceptions import LightmockUsageError


def to_datetime(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


def to_epoch(moment: datetime | float | int) -> float:
    """Epoch seconds of an aware datetime or a number; a naive datetime is a usage error."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise LightmockUsageError(f"naive datetime {moment!r}: give an aware datetime (tz=UTC)")
        return moment.timestamp()
    return float(moment)


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

    def freeze(self, at: datetime | float | None = None) -> datetime:
        """Stop the clock at ``at`` (default: now). Moving it backwards is a usage error."""
        target = self.time() if at is None else to_epoch(at)
        with self._lock:
            if target < self._latest:
                raise LightmockUsageError(
                    f"the clock cannot move backwards: {to_datetime(target).isoformat()} is before "
                    f"{to_datetime(self._latest).isoformat()}"
                )
            self._frozen_at = target
            self._latest = target
        return to_datetime(target)

    def advance(self, seconds: float = 0, minutes: float = 0, hours: float = 0, days: float = 0) -> datetime:
        """Move the clock forward; frozen stays frozen, real time keeps running from there."""
        delta = seconds + 60 * minutes + 3600 * hours + 86400 * days
        if delta < 0:
            raise LightmockUsageError("the clock cannot move backwards: advance() takes a positive delta")
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += delta
            else:
                self._offset += delta
        return self.now()

    def unfreeze(self) -> datetime:
        """Let the clock run again from where it stands."""
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - time.time()
                self._frozen_at = None
        return self.now()

    def __repr__(self) -> str:
        state = "frozen" if self.frozen else "running"
        return f"<Clock {state} at {self.now().isoformat()}>"
