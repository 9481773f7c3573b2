"""An alarm's history as the engine records it: state changes whose reasons are written
only when read.

A clock moved a day or a year ahead may change thousands of alarms' states, and the
handle reads the reasons of few of them, if any. Wording a reason costs far more than
deciding the change (a one-day jump spent most of its time there), so a change keeps
what its reason is made of (the range of datapoints the rule read, and the
configuration it read them with) and ``record()`` words it on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from lightmock.core.clock import to_datetime
from lightmock.core.domain import ALARM_PERIOD_SECONDS, AlarmState
from lightmock.core.records import AlarmConfig, StateChange
from lightmock.engine.one_alarm import explain

__all__ = ["Change"]


@dataclass(slots=True, eq=False)
class Change:
    """One change of state: when, from what to what, and what its reason is made of.

    ``window`` holds the datapoints of the evaluation range, the last one the period
    that ends at ``end``; it is a copy, so data seeded later cannot alter the reason.
    """

    alarm_name: str
    at: float
    old_state: AlarmState
    new_state: AlarmState
    window: NDArray[np.float64]
    end: float
    config: AlarmConfig
    _record: StateChange | None = field(default=None, repr=False)

    @property
    def timestamp(self) -> datetime:
        return to_datetime(self.at)

    def record(self) -> StateChange:
        """The public record, its reason worded now (once)."""
        if self._record is None:
            window = self.window.tolist()
            count = len(window)
            starts = [to_datetime(self.end - (count - i) * ALARM_PERIOD_SECONDS) for i in range(count)]
            config = self.config
            reason = explain(
                window,
                starts,
                threshold=config.threshold,
                operator=config.comparison_operator,
                periods=config.evaluation_periods,
                datapoints=config.datapoints_to_alarm,
                treatment=config.treat_missing_data,
                old_state=self.old_state,
                new_state=self.new_state,
            )
            self._record = StateChange(
                alarm_name=self.alarm_name,
                timestamp=self.timestamp,
                old_state=self.old_state,
                new_state=self.new_state,
                reason=reason,
            )
        return self._record
