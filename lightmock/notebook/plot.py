"""One picture of an alarm: what it evaluated, where the line is, what state it was in.

``alarm_picture`` gathers everything from the mock (under the store's lock, after the
engine has caught up with the clock) into plain data; ``plot_alarm`` draws that data with
matplotlib. Keeping the two apart means the picture's content can be checked without
pixels, and matplotlib stays an optional extra (``pip install 'lightmock[plot]'``):
importing this module does not import it.

What is drawn:

* the alarm's datapoint per 5-minute period (its statistic, as the evaluator sees it),
  from a few periods before the alarm was created up to the last evaluated boundary,
  each at the start of its period;
* the threshold as a dashed horizontal line, and the breaching datapoints in red;
* the alarm's state over time as background bands, from its creation to now;
* each notification as a dotted vertical line in the colour of the state it announced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from lightmock.core.clock import to_datetime
from lightmock.core.domain import ALARM_PERIOD_SECONDS, AlarmState, ComparisonOperator
from lightmock.core.exceptions import LightmockUsageError
from lightmock.core.records import Notification
from lightmock.engine import timeline
from lightmock.engine.evaluator import COMPARE, evaluation_range
from lightmock.notebook.display import OPERATOR_SYMBOL, STATE_COLOURS
from lightmock.notebook.view import MockView

if TYPE_CHECKING:
    from matplotlib.axes import Axes


__all__ = ["AlarmPicture", "PlotExtraMissing", "StateInterval", "alarm_picture", "plot_alarm"]

INSTALL_HINT = "pip install 'lightmock[plot]'"


class PlotExtraMissing(LightmockUsageError, ImportError):
    """Plotting was asked for but matplotlib, the ``lightmock[plot]`` extra, is not installed.

    An ``ImportError`` because that is what it is, and a usage error so pytest reports it
    as a failed test.
    """


@dataclass(frozen=True, slots=True, kw_only=True)
class StateInterval:
    """A stretch of time the alarm spent in one state."""

    start: datetime
    end: datetime
    state: AlarmState


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmPicture:
    """Everything ``plot_alarm`` draws, as plain data."""

    alarm_name: str
    resource_name: str
    metric_name: str
    statistic: str
    unit: str
    threshold: float
    operator: ComparisonOperator
    periods: int
    datapoints: int
    #: Start of each 5-minute period, and the alarm's datapoint for it (NaN: no data).
    period_starts: list[datetime]
    values: NDArray[np.float64]
    breaching: NDArray[np.bool_]
    intervals: list[StateInterval]
    notifications: list[Notification]
    now: datetime


def _intervals(created_at: float, changes: list[tuple[float, AlarmState]], now: float) -> list[StateInterval]:
    """States from creation to now; a change at the very moment of the last one leaves no band."""
    intervals: list[StateInterval] = []
    start, state = created_at, AlarmState.INSUFFICIENT_DATA
    for at, new in [*changes, (now, state)]:
        if at > start:
            intervals.append(StateInterval(start=to_datetime(start), end=to_datetime(at), state=state))
            start = at
        state = new
    return intervals


def alarm_picture(mock: MockView, alarm_name: str, region: str | None = None) -> AlarmPicture:
    """Read what there is to draw of one alarm, consistently, at the clock's current time."""
    region_name = mock.default_region if region is None else region
    store = mock.store
    with timeline.settled(store) as now:
        state = store.region(mock.account_id, region_name)
        alarm = state.alarms.get(alarm_name)
        if alarm is None:
            raise LightmockUsageError(f"there is no alarm {alarm_name!r} in {region_name}")
        config = alarm.config
        last_end = timeline.boundary_at_or_before(now)
        first = timeline.boundary_at_or_before(alarm.created_at) - evaluation_range(config.evaluation_periods) * (
            ALARM_PERIOD_SECONDS
        )
        count = round((last_end - first) / ALARM_PERIOD_SECONDS)
        values = np.array(timeline.alarm_datapoints(state, alarm, end=last_end, count=count))
        changes = [(change.timestamp.timestamp(), change.new_state) for change in state.history.get(alarm_name, [])]
        notifications = [n for n in store.notifications if n.alarm_name == alarm_name and n.region == region_name]
        created_at = alarm.created_at
    breaching = COMPARE[config.comparison_operator](values, config.threshold)  # NaN compares false
    return AlarmPicture(
        alarm_name=alarm_name,
        resource_name=config.resource.name,
        metric_name=config.metric.name,
        statistic=str(config.metric.statistic),
        unit=config.metric.unit,
        threshold=config.threshold,
        operator=config.comparison_operator,
        periods=config.evaluation_periods,
        datapoints=config.datapoints_to_alarm,
        period_starts=[to_datetime(first + i * ALARM_PERIOD_SECONDS) for i in range(count)],
        values=values,
        breaching=breaching,
        intervals=_intervals(created_at, changes, now),
        notifications=notifications,
        now=to_datetime(now),
    )


def require_matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError as error:
        raise PlotExtraMissing(
            f"plotting an alarm needs matplotlib, which lightmock installs as an extra: {INSTALL_HINT}"
        ) from error
    return matplotlib


def plot_alarm(mock: MockView, alarm_name: str, region: str | None = None, ax: Axes | None = None) -> Axes:
    """Draw the alarm on ``ax`` (a new figure's axes if None) and return the axes."""
    require_matplotlib()
    from matplotlib import dates
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    picture = alarm_picture(mock, alarm_name, region)
    if ax is None:
        from matplotlib import pyplot

        _, ax = pyplot.subplots(figsize=(10, 4), layout="constrained")
    ax.xaxis_date()  # a date axis even when there is no band to tell matplotlib so
    for interval in picture.intervals:
        ax.axvspan(
            interval.start,  # type: ignore[arg-type]  # matplotlib converts datetimes
            interval.end,  # type: ignore[arg-type]
            color=STATE_COLOURS[interval.state],
            alpha=0.15,
            linewidth=0,
            zorder=0,
            gid="state-band",
        )
    label = f"{picture.metric_name} ({picture.statistic} per 5 min)"
    starts = dates.date2num(picture.period_starts)  # type: ignore[no-untyped-call]  # unannotated in matplotlib
    ax.plot(starts, picture.values, marker="o", markersize=3, color="#1f77b4", label=label, gid="datapoints")
    hot = picture.breaching
    ax.scatter(
        starts[hot],
        picture.values[hot],
        color=STATE_COLOURS[AlarmState.ALARM],
        zorder=3,
        label="breaching",
        gid="breaching",
    )
    symbol = OPERATOR_SYMBOL[picture.operator]
    ax.axhline(
        picture.threshold,
        color="black",
        linestyle="--",
        linewidth=1,
        label=f"threshold ({symbol} {picture.threshold:g})",
        gid="threshold",
    )
    for notification in picture.notifications:
        ax.axvline(
            notification.timestamp,  # type: ignore[arg-type]  # matplotlib converts datetimes
            color=STATE_COLOURS[notification.state],
            linestyle=":",
            linewidth=1.5,
            gid="notification",
        )
    handles, _ = ax.get_legend_handles_labels()
    if picture.notifications:
        handles.append(Line2D([], [], color="grey", linestyle=":", label="notification (in its state's colour)"))
    seen = dict.fromkeys(interval.state for interval in picture.intervals)
    handles += [Patch(color=STATE_COLOURS[state], alpha=0.3, label=str(state)) for state in seen]
    ax.legend(handles=handles, loc="upper left", fontsize="small")
    locator = dates.AutoDateLocator()  # type: ignore[no-untyped-call]  # matplotlib leaves it unannotated
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]  # likewise
    ax.set_xlabel("time (UTC)")
    ax.set_ylabel(picture.unit)
    ax.set_title(
        f"{picture.alarm_name}: {picture.statistic} {picture.metric_name} of {picture.resource_name} "
        f"{symbol} {picture.threshold:g} in {picture.datapoints} of {picture.periods} periods"
    )
    return ax
