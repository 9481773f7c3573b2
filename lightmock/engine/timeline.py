"""The alarm engine: alarms evaluated at every 5-minute boundary the clock reaches.

Evaluation is lazy. Before anything that could see or change an evaluation (every
dispatched call, every read or seed through the handle) the engine *catches up*: each
300-second boundary ``t`` with ``evaluated_through < t <= now`` is evaluated, in order,
for every alarm of every region at once (``evaluator.evaluate_history``), exactly as if
the evaluations had run on time. State changes become history records stamped with their
boundary, and notifications are recorded in time order across regions. Only then is the
change applied, so data that arrives late counts from the next boundary on, as in
CloudWatch.

A new or updated alarm is evaluated at once over the periods that end at the latest
boundary at or before now (``evaluate_now``), through the one-alarm fast path.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from lightmock.core.clock import to_datetime
from lightmock.core.domain import ALARM_PERIOD_SECONDS, AlarmState, ContactProtocol
from lightmock.core.exceptions import LightmockUsageError
from lightmock.core.records import Alarm, Notification, StateChange
from lightmock.engine.aggregate import statistic_per_period, statistic_per_period_list
from lightmock.engine.evaluator import (
    STATE_CODE,
    STATES,
    AlarmParams,
    evaluate_history,
    evaluate_one,
    evaluation_range,
    explain,
)
from lightmock.engine.store import RegionState, Store

PERIOD = ALARM_PERIOD_SECONDS
#: Evaluations replayed per block, so that a clock moved a year ahead needs bounded memory.
MAX_STEPS_PER_BLOCK = 2048


def boundary_at_or_before(now: float) -> float:
    """The latest 300-second boundary at or before ``now``. ``now % PERIOD`` is exact, so
    unlike ``floor(now / PERIOD) * PERIOD`` a time just before a boundary cannot round up
    onto it."""
    return now - now % PERIOD


def alarm_datapoints(state: RegionState, alarm: Alarm, *, end: float, count: int) -> NDArray[np.float64]:
    """The alarm's per-period datapoints for the ``count`` periods that end at ``end``.

    The seam to the metric store: the alarm's statistic over 300-second periods (NaN where
    a period has no samples), computed by the same aggregation as Get*MetricData.
    """
    series = state.metrics.get(alarm.config.metric_key)
    if series is None:
        return np.full(count, np.nan)
    times, values = series.samples()
    return statistic_per_period(
        times, values, start=end - count * PERIOD, period=PERIOD, buckets=count, statistic=alarm.config.metric.statistic
    )


def alarm_window(state: RegionState, alarm: Alarm, *, end: float, count: int) -> list[float]:
    """``alarm_datapoints`` as a list, without numpy for a short window.

    For the one alarm that PutAlarm evaluates on every call (see
    ``aggregate.statistic_per_period_list``); the same numbers, bit for bit.
    """
    series = state.metrics.get(alarm.config.metric_key)
    if series is None:
        return [math.nan] * count
    times, values = series.samples()
    return statistic_per_period_list(
        times,
        values,
        start=end - count * PERIOD,
        period=PERIOD,
        buckets=count,
        statistic=alarm.config.metric.statistic,
        as_lists=series.sample_lists(),
    )


def _reason(alarm: Alarm, window: list[float], end: float, old: AlarmState, new: AlarmState) -> str:
    starts = [to_datetime(end - (len(window) - i) * PERIOD) for i in range(len(window))]
    config = alarm.config
    return explain(
        window,
        starts,
        threshold=config.threshold,
        operator=config.comparison_operator,
        periods=config.evaluation_periods,
        datapoints=config.datapoints_to_alarm,
        treatment=config.treat_missing_data,
        old_state=old,
        new_state=new,
    )


def _change(
    store: Store,
    state: RegionState,
    alarm: Alarm,
    new: AlarmState,
    at: float,
    window: list[float],
    end: float,
) -> None:
    """Record a change of state: history, the alarm's record, and its notifications."""
    old = alarm.state
    alarm.state = new
    alarm.publish()
    state.history.setdefault(alarm.name, []).append(
        StateChange(
            alarm_name=alarm.name,
            timestamp=to_datetime(at),
            old_state=old,
            new_state=new,
            reason=_reason(alarm, window, end, old, new),
        )
    )
    notify(store, state, alarm, new, at, test=False)


def notify(store: Store, state: RegionState, alarm: Alarm, new: AlarmState, at: float, *, test: bool) -> None:
    """Record a notification per contact protocol that the rules of docs/alarm-evaluation.md allow."""
    config = alarm.config
    if not config.notification_enabled or new not in config.notification_triggers:
        return
    for protocol in config.contact_protocols:
        contact = state.contact_methods.get(protocol)
        if contact is None or not contact.deliverable:
            continue
        store.notifications.append(
            Notification(
                alarm_name=alarm.name,
                state=new,
                protocol=protocol,
                endpoint=contact.endpoint,
                timestamp=to_datetime(at),
                region=state.region,
                test=test,
            )
        )


def evaluate_now(store: Store, state: RegionState, alarm: Alarm, now: float) -> None:
    """Evaluate one new or updated alarm at once (its current state is kept as the start)."""
    end = boundary_at_or_before(now)
    config = alarm.config
    window = alarm_window(state, alarm, end=end, count=evaluation_range(config.evaluation_periods))
    new = evaluate_one(
        window,
        threshold=config.threshold,
        operator=config.comparison_operator,
        periods=config.evaluation_periods,
        datapoints=config.datapoints_to_alarm,
        treatment=config.treat_missing_data,
        current=alarm.state,
    )
    if new is not alarm.state:
        _change(store, state, alarm, new, now, window, end)


def _all_alarms(store: Store) -> list[tuple[RegionState, Alarm]]:
    return [(state, alarm) for state in store.regions.values() for alarm in state.alarms.values()]


def catch_up(store: Store, now: float) -> None:
    """Evaluate every alarm at every boundary reached since the last catch-up."""
    target = boundary_at_or_before(now)
    if store.evaluated_through is None:
        store.evaluated_through = target
        return
    while store.evaluated_through < target:
        steps = min(round((target - store.evaluated_through) / PERIOD), MAX_STEPS_PER_BLOCK)
        _replay(store, store.evaluated_through, steps)
        store.evaluated_through += steps * PERIOD


def _replay(store: Store, evaluated_through: float, steps: int) -> None:
    """Evaluations at ``evaluated_through + PERIOD * (1..steps)``, every alarm at once."""
    members = _all_alarms(store)
    if not members:
        return
    configs = [alarm.config for _, alarm in members]
    params = AlarmParams.build(
        threshold=[c.threshold for c in configs],
        operator=[c.comparison_operator for c in configs],
        periods=[c.evaluation_periods for c in configs],
        datapoints=[c.datapoints_to_alarm for c in configs],
        treatment=[c.treat_missing_data for c in configs],
    )
    widest = evaluation_range(max(c.evaluation_periods for c in configs))
    columns = steps + widest - 1
    last_end = evaluated_through + steps * PERIOD
    values = np.vstack([alarm_datapoints(state, alarm, end=last_end, count=columns) for state, alarm in members])
    initial = np.array([STATE_CODE[alarm.state] for _, alarm in members], dtype=np.int8)
    states = evaluate_history(values, params, initial, steps)
    previous = np.concatenate([initial[:, None], states[:, :-1]], axis=1)
    changed_alarm, changed_step = np.nonzero(states != previous)
    # Time order first, then the order alarms were listed (region by region).
    order = np.lexsort((changed_alarm, changed_step))
    for k, j in zip(changed_alarm[order].tolist(), changed_step[order].tolist(), strict=True):
        state, alarm = members[k]
        newest = columns - steps + j
        range_width = evaluation_range(alarm.config.evaluation_periods)
        window = values[k, max(newest - range_width + 1, 0) : newest + 1].tolist()
        end = evaluated_through + (j + 1) * PERIOD
        _change(store, state, alarm, STATES[int(states[k, j])], end, window, end)


def history(store: Store, account_id: str, region: str, alarm_name: str) -> list[StateChange]:
    with store.lock:
        catch_up(store, store.clock.time())
        state = store.region(account_id, region)
        if alarm_name not in state.alarms:
            raise LightmockUsageError(f"there is no alarm {alarm_name!r} in {region}")
        return list(state.history.get(alarm_name, []))


def notifications(store: Store) -> list[Notification]:
    with store.lock:
        catch_up(store, store.clock.time())
        return list(store.notifications)


def verify_contact_method(store: Store, account_id: str, region: str, protocol: ContactProtocol) -> None:
    with store.lock:
        catch_up(store, store.clock.time())
        state = store.region(account_id, region)
        contact = state.contact_methods.get(protocol)
        if contact is None:
            raise LightmockUsageError(f"there is no {protocol} contact method in {region} to verify")
        contact.verify()


__all__ = ["catch_up", "evaluate_now", "history", "notifications", "notify", "verify_contact_method"]
