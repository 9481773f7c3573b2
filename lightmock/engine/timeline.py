"""The alarm engine: alarms evaluated at every 5-minute boundary the clock reaches.

Evaluation is lazy. Before anything that could see or change an evaluation (every
dispatched call, every read or seed through the handle) the engine *catches up*: each
300-second boundary ``t`` with ``evaluated_through < t <= now`` is evaluated, in order,
for every alarm of every region at once (``evaluator.evaluate_history``), exactly as if
the evaluations had run on time. State changes become history records stamped with their
boundary, and notifications are recorded in time order across regions. Only then is the
change applied, so data that arrives late counts from the next boundary on, as in
CloudWatch. A stretch of boundaries that sees no datapoint is crossed in one evaluation,
with the same outcome (``catch_up``), so a clock moved centuries ahead costs no more
than the data it passes.

A new or updated alarm is evaluated at once over the periods that end at the latest
boundary at or before now (``evaluate_now``), by ``one_alarm.assess``.

Both read an alarm's datapoints per 300-second period from the metric store's
``PeriodSets``, and the replay reuses the fleet's arrays (``fleet.py``) from one
catch-up to the next, so a step costs a few array operations over the alarms. A change's
reason is worded only when read (``history.Change``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lightmock.core.clock import to_datetime
from lightmock.core.domain import AlarmState, ContactProtocol
from lightmock.core.exceptions import LightmockUsageError
from lightmock.core.records import Alarm, Notification, StateChange
from lightmock.engine.evaluator import STATES, evaluate_history, evaluation_range
from lightmock.engine.fleet import Fleet, fleet_of
from lightmock.engine.history import Change
from lightmock.engine.metricstore import PERIOD, period_start
from lightmock.engine.one_alarm import assess
from lightmock.engine.store import RegionState, Store

_NAN = float("nan")
#: Evaluations replayed per block, so that a clock moved a year ahead needs bounded memory.
MAX_STEPS_PER_BLOCK = 512
#: Fewer boundaries than this are evaluated without looking for quiet ones first: one
#: binary search per metric series costs more than evaluating that many.
_LOOK_AHEAD_FROM = 32


def boundary_at_or_before(now: float) -> float:
    """The latest 300-second boundary at or before ``now``: the start of the period holding
    it, by the metric store's one rule (``metricstore.period_start``)."""
    return period_start(now)


class settled:
    """Hold the store's lock with every due evaluation and transition done; yields the clock's time.

    The one way to read or change a store: whatever happens inside sees the alarms as
    they are at ``now``, and data or alarms added inside count from the next boundary.
    A class rather than ``contextmanager``, which costs a generator on every call.
    """

    __slots__ = ("_store",)

    def __init__(self, store: Store) -> None:
        self._store = store

    def __enter__(self) -> float:
        store = self._store
        store.lock.acquire()
        try:
            now = store.clock.time()
            # Both checks inline: on most calls no boundary has been reached since the last
            # one and nothing is in transition (``evaluated_through`` is a boundary, so
            # ``catch_up`` has work exactly when ``now`` is a period past it).
            through = store.evaluated_through
            if through is None or now >= through + PERIOD:
                catch_up(store, now)
            if store.transitions.pending:
                store.transitions.settle(now)
        except BaseException:
            store.lock.release()
            raise
        return now

    def __exit__(self, *exc_info: object) -> None:
        self._store.lock.release()


def alarm_datapoints(state: RegionState, alarm: Alarm, *, end: float, count: int) -> list[float]:
    """The alarm's per-period datapoints for the ``count`` periods that end at ``end``.

    The seam to the metric store: the alarm's statistic of each 300-second period (NaN
    where a period has no samples), from the store's ``PeriodSets``, as Python floats,
    which ``one_alarm.assess`` counts in.
    """
    config = alarm.config
    series = state.metrics.get(config.metric_key)
    if series is None:
        return [_NAN] * count
    return series.periods.window_list(end, count, config.metric.statistic)


def _change(
    store: Store, state: RegionState, alarm: Alarm, new: AlarmState, at: float, window: NDArray[np.float64], end: float
) -> None:
    """Record a change of state: history, the alarm's record, and its notifications."""
    old = alarm.state
    alarm.state = new
    alarm.publish()
    state.history.setdefault(alarm.name, []).append(
        Change(alarm_name=alarm.name, at=at, old_state=old, new_state=new, window=window, end=end, config=alarm.config)
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
    window = alarm_datapoints(state, alarm, end=end, count=evaluation_range(config.evaluation_periods))
    new = assess(
        window,
        threshold=config.threshold,
        operator=config.comparison_operator,
        periods=config.evaluation_periods,
        datapoints=config.datapoints_to_alarm,
        treatment=config.treat_missing_data,
        current=alarm.state,
    ).state
    if new is not alarm.state:
        _change(store, state, alarm, new, now, np.array(window), end)


def catch_up(store: Store, now: float) -> None:
    """Evaluate every alarm at every boundary reached since the last catch-up.

    The result is that of evaluating each boundary in turn, but a stretch of boundaries
    whose evaluations see no datapoint at all costs one evaluation, whatever its length:
    no data can arrive during a catch-up (it holds the store's lock), and over a range
    without datapoints the rule gives every alarm a state that does not depend on the
    state before (INSUFFICIENT_DATA, ALARM or OK by its treatment of missing data;
    ``ignore`` keeps the state), so the stretch's first evaluation decides it and the
    others repeat it. A clock moved a thousand years ahead past a day of data thus costs
    the day's evaluations and one more.
    """
    target = boundary_at_or_before(now)
    if store.evaluated_through is None:
        store.evaluated_through = target
        return
    if store.evaluated_through >= target:
        return
    fleet = fleet_of(store)
    if fleet is None:  # no alarm: nothing to evaluate
        store.evaluated_through = target
        return
    reached, last = round(store.evaluated_through / PERIOD), round(target / PERIOD)
    while reached < last:
        left = last - reached
        steps = min(left, MAX_STEPS_PER_BLOCK)
        if left >= _LOOK_AHEAD_FROM:
            quiet = fleet.quiet(reached + 1)
            if quiet >= 2:
                _replay(store, fleet, reached, 1)
                reached += min(quiet, left)
                store.evaluated_through = float(reached * PERIOD)
                continue
            # Up to the last boundary that sees a datapoint, not a whole block past it.
            seen = fleet.seen_until(reached + steps)
            if seen is not None:
                steps = max(1, min(steps, seen - reached))
        _replay(store, fleet, reached, steps)
        reached += steps
        store.evaluated_through = float(reached * PERIOD)


def _replay(store: Store, fleet: Fleet, reached: int, steps: int) -> None:
    """Evaluations at boundaries ``reached + 1`` to ``reached + steps`` (numbered as
    periods), every alarm at once."""
    evaluated_through = float(reached * PERIOD)
    columns = steps + fleet.widest - 1
    last_end = evaluated_through + steps * PERIOD
    values = fleet.datapoints(last_end, columns)
    initial = fleet.states
    states = evaluate_history(values, fleet.params, initial, steps)
    fleet.states = states[:, -1].copy()
    previous = np.concatenate([initial[:, None], states[:, :-1]], axis=1)
    changed_alarm, changed_step = np.nonzero(states != previous)
    if not changed_alarm.size:
        return
    # Time order first, then the order alarms were listed (region by region).
    order = np.lexsort((changed_alarm, changed_step))
    periods = fleet.params.periods
    for k, j in zip(changed_alarm[order].tolist(), changed_step[order].tolist(), strict=True):
        state, alarm = fleet.members[k]
        newest = columns - steps + j
        window = values[k, newest - evaluation_range(int(periods[k])) + 1 : newest + 1].copy()
        end = evaluated_through + (j + 1) * PERIOD
        _change(store, state, alarm, STATES[int(states[k, j])], end, window, end)


def history(store: Store, account_id: str, region: str, alarm_name: str) -> list[StateChange]:
    with settled(store):
        state = store.region(account_id, region)
        if alarm_name not in state.alarms:
            raise LightmockUsageError(f"there is no alarm {alarm_name!r} in {region}")
        return [change.record() for change in state.history.get(alarm_name, [])]


def notifications(store: Store) -> list[Notification]:
    with settled(store):
        return list(store.notifications)


def verify_contact_method(store: Store, account_id: str, region: str, protocol: ContactProtocol) -> None:
    with settled(store):
        state = store.region(account_id, region)
        contact = state.contact_methods.get(protocol)
        if contact is None:
            raise LightmockUsageError(f"there is no {protocol} contact method in {region} to verify")
        contact.verify()


__all__ = [
    "alarm_datapoints",
    "boundary_at_or_before",
    "catch_up",
    "evaluate_now",
    "history",
    "notifications",
    "notify",
    "settled",
    "verify_contact_method",
]
